import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { BroxError } from '../errors.js';
import { evalCommand, type EvalFlags } from './eval.js';
import { listCommand } from './list.js';
import { objectiveOptions } from './objective-flags.js';
import { out } from './output.js';
import { broxCommand, openOracle, runCommand, type BroxFlags, type RunFlags } from './run.js';
import { serveStdio } from './serve.js';

// commander: subcommands with --help each, and usage errors that name the option.
const program = new Command('brox')
  .description('Sampled broximal oracle and the Ball Proximal Point Method on WebGPU and CPU')
  .showHelpAfterError()
  .exitOverride();

const backendOption = () => new Option('--backend <b>', 'auto: a hardware GPU if any, else the CPU').choices(['auto', 'webgpu', 'cpu']).default('auto');
const common = (cmd: Command) =>
  cmd
    .addOption(backendOption())
    .option('--threads <n>', 'CPU backend: worker threads (default: all cores)')
    .option('--tune', 'WebGPU: time a few kernel configurations on this device first and use the fastest');
let jsonMode = false;

common(
  objectiveOptions(program.command('run').description('run BPM, x_{k+1} = brox_t(x_k), on an objective'), 'rastrigin')
    .option('--radius <t>', 'ball radius t > 0', '1.5')
    .option('--radius-decay <g>', 'radius t_k = max(radius-min, radius * g^k), g in (0, 1] (default 1: constant)')
    .option('--radius-min <t>', 'floor of the decaying radius (default 0)')
    .option('--x0 <list>', "start point \"x1,x2,...\" (default: a built-in's documented start, away from the minimum; zeros for other objectives)")
    .option('--samples <n>', `samples per oracle call (default ${1 << 20})`)
    .option('--seed <s>', 'RNG seed, u32', '1')
    .option('--max-iter <k>', 'maximum BPM iterations', '50')
    .option('--max-evals <n>', 'evaluation budget')
    .option('--f-target <f>', 'stop once f <= this')
    .option('--ftol <r>', 'stop when the relative decrease of f falls below this')
    .option('--json', 'print one JSON object instead of progress lines (a progress bar goes to stderr when it is a terminal)'),
).action((f: RunFlags) => ((jsonMode = !!f.json), runCommand(f)));

common(
  objectiveOptions(program.command('brox').description('one oracle call: the best of N samples in the ball around x'), 'rastrigin')
    .option('--x <list>', 'ball centre "x1,x2,..."')
    .option('--radius <t>', 'ball radius t > 0', '1')
    .option('--samples <n>', `samples (default ${1 << 20})`)
    .option('--seed <s>', 'RNG seed, u32', '1')
    .option('--call <k>', 'RNG call counter, u32', '0')
    .option('--offset <i>', 'first sample index', '0')
    .option('--json', 'JSON output'),
).action((f: BroxFlags) => ((jsonMode = !!f.json), broxCommand(f)));

common(
  objectiveOptions(program.command('eval').description('evaluate f at points from a file or stdin (JSON array, JSON lines or CSV lines)'))
    .option('--points <file>', 'points file (default: stdin)')
    .option('--json', 'one JSON object {values} instead of one value per line'),
).action((f: EvalFlags) => ((jsonMode = !!f.json), evalCommand(f)));

program
  .command('list')
  .description('list the built-in objectives with domains and known minima')
  .option('--json', 'JSON output')
  .action((f: { json?: boolean }) => ((jsonMode = !!f.json), listCommand(!!f.json, out)));

program
  .command('bench')
  .description('oracle throughput on every backend (the same as npm run bench); --help for its options')
  .allowUnknownOption()
  .helpOption(false)
  .argument('[args...]')
  .action(
    (args: string[]) =>
      new Promise<void>((resolve) => {
        const bench = './bench.js'; // a variable: Vite leaves runtime URLs alone
        const script = fileURLToPath(new URL(bench, import.meta.url));
        const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
        child.on('exit', (code) => {
          process.exitCode = code ?? 1;
          resolve();
        });
      }),
  );

common(
  program
    .command('serve')
    .description('JSON-lines server on stdin/stdout: define | brox | evaluate | bpm | info (see README)')
    .option('--allow-code', 'allow define with user WGSL + JavaScript source (runs it in this process)'),
).action(async (f: { backend: string; threads?: string; tune?: boolean; allowCode?: boolean }) => {
  const oracle = await openOracle({ backend: f.backend, threads: f.threads, tune: f.tune });
  try {
    await serveStdio({ oracle, allowCode: !!f.allowCode });
  } finally {
    oracle.destroy();
  }
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof BroxError) {
    process.stderr.write(`brox: ${e.message}\n`);
    if (jsonMode) out(JSON.stringify({ error: { code: e.code, argument: e.argument, message: e.message } }));
    process.exitCode = 2;
  } else if ((e as { code?: string }).code?.startsWith('commander.')) {
    const code = (e as { exitCode?: number }).exitCode ?? 2;
    process.exitCode = code === 0 ? 0 : 2;
    // usage errors happen before any action ran: look for --json on the command line itself
    if (code !== 0 && process.argv.includes('--json')) out(JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message: (e as Error).message } }));
  } else {
    process.stderr.write(`brox: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}
