import { Command, Option } from 'commander';
import { BroxError } from '../errors';
import { builtinNames } from '../objectives/registry';
import { listCommand } from './list';
import { runCommand, type RunFlags } from './run';

// commander: subcommands with --help each, and usage errors that name the option.
const program = new Command('brox')
  .description('Sampled broximal oracle and the Ball Proximal Point Method on WebGPU and CPU')
  .showHelpAfterError()
  .exitOverride();

const out = (line: string) => process.stdout.write(line + '\n');

program
  .command('run')
  .description('run BPM, x_{k+1} = brox_t(x_k), on an objective')
  .addOption(new Option('--objective <name>', `built-in objective: ${builtinNames().join(', ')}`).default('rastrigin'))
  .option('--dim <d>', 'dimension, 1..1024', '2')
  .option('--radius <t>', 'ball radius t > 0', '1.5')
  .option('--x0 <list>', 'start point "x1,x2,..." (default: the objective\'s documented start, away from the minimum; `brox list`)')
  .option('--samples <n>', `samples per oracle call (default ${1 << 20})`)
  .option('--seed <s>', 'RNG seed, u32', '1')
  .option('--max-iter <k>', 'maximum BPM iterations', '50')
  .option('--max-evals <n>', 'evaluation budget')
  .option('--f-target <f>', 'stop once f <= this')
  .option('--ftol <r>', 'stop when the relative decrease of f falls below this')
  .addOption(new Option('--backend <b>', 'backend').choices(['auto', 'webgpu', 'cpu']).default('auto'))
  .option('--json', 'print one JSON object instead of progress lines')
  .action(async (flags: RunFlags) => runCommand(flags, out));

program
  .command('list')
  .description('list the built-in objectives with domains and known minima')
  .option('--json', 'JSON output')
  .action((flags: { json?: boolean }) => listCommand(!!flags.json, out));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof BroxError) {
    process.stderr.write(`brox: ${e.message}\n`);
    process.exitCode = 2;
  } else if ((e as { code?: string }).code?.startsWith('commander.')) {
    const code = (e as { exitCode?: number }).exitCode ?? 2;
    process.exitCode = code === 0 ? 0 : 2;
  } else {
    process.stderr.write(`brox: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}
