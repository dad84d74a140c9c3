import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { version } from '../../package.json';
import { BroxError } from '../errors.js';
import { setGpuTrace, setGpuVerbose } from '../gpu/acquire.js';
import { evalCommand, type EvalFlags } from './eval.js';
import { listCommand } from './list.js';
import { objectiveOptions } from './objective-flags.js';
import { jsonLine, out } from './output.js';
import { parseNumber, parseVector } from './parse.js';
import { DEFAULT_METHOD, methodNames } from '../methods/registry.js';
import { MAX_RUNS } from '../methods/minimize.js';
import { runHelp } from './method-help.js';
import { broxCommand, openOracle, runCommand, type BroxFlags, type RunFlags } from './run.js';
import { DEFAULT_LIMITS, SERVE_METHODS, serveStdio, type ServeLimits } from './serve.js';

// A reader that stops early (`brox list | head -1`) closes the pipe: the output has ended, not failed.
// serve handles its own stdout (it reads on to EOF and writes nothing more).
if (process.argv[2] !== 'serve') {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
}

// commander: subcommands with --help each, and usage errors that name the option.
const program = new Command('brox')
  .description('Sampled broximal oracle and the Ball Proximal Point Method on WebGPU and CPU')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride();

const backendOption = () => new Option('--backend <b>', 'auto: a hardware GPU if any, else the CPU').choices(['auto', 'webgpu', 'cpu']).default('auto');
const common = (cmd: Command) =>
  cmd
    .addOption(backendOption())
    .option('--threads <n>', 'CPU backend: worker threads (default: all cores)')
    .option('--tune', 'WebGPU: time a few kernel configurations on this device first and use the fastest')
    .option('--verbose', "print the GPU probe's decisions (Vulkan drivers found, Dawn loaded or not) and the Vulkan loader's messages");
let jsonMode = false;

/** Flags that must parse as numbers / vectors: checked before any backend opens (a flag swallowed
 *  as a value, as in `--radius --json`, is caught here too). */
const NUMBER_FLAGS = ['runs', 'radius', 'radiusDecay', 'radiusMin', 'samples', 'seed', 'maxIter', 'maxEvals', 'fTarget', 'ftol', 'call', 'offset', 'threads', 'dim', 'rounds', 'shrink'];
const VECTOR_FLAGS = ['x0', 'x', 'shape'];
const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
program.hook('preAction', (_program, action) => {
  const opts = action.opts() as Record<string, unknown>;
  jsonMode = !!opts.json || process.argv.includes('--json');
  setGpuVerbose(!!opts.verbose);
  setGpuTrace(opts.verbose ? (line) => void process.stderr.write(`brox: ${line}\n`) : null);
  if (action.name() === 'serve') return; // serve flags: serveLimits()
  for (const key of NUMBER_FLAGS) if (typeof opts[key] === 'string' && !(key === 'fTarget' && opts[key] === 'none')) parseNumber(opts[key], flagName(key));
  for (const key of VECTOR_FLAGS) if (typeof opts[key] === 'string') parseVector(opts[key], flagName(key));
});

common(
  objectiveOptions(program.command('run').description(`minimize an objective with a method of minimize() (default ${DEFAULT_METHOD}; BPM: x_{k+1} = brox_t(x_k), adaptive radius, restarts)`), 'rastrigin')
    .option('--method <name>', `method: ${methodNames().join(', ')} (default ${DEFAULT_METHOD}; bpm when a BPM flag such as --radius is given)`)
    .option('--bounds <box>', 'search box "lo,hi" or "lo1,...;hi1,..." (default: a built-in\'s usual domain), or "none"')
    .option('--x0 <list>', "start point \"x1,x2,...\" (default: a built-in's documented start, away from the minimum; zeros for other objectives)")
    .option('--max-evals <n>', runHelp.maxEvals)
    .option('--max-iter <k>', 'maximum iterations (default 10^6)')
    .option('--f-target <f>', 'stop once f <= this (default for built-ins: f* + 1e-3 max(1, |f*|)); "none": run the whole budget')
    .option('--samples <n>', runHelp.samples)
    .option('--seed <s>', 'RNG seed, u32', '1')
    .option('--generator <g>', 'random generator of the samples: reference (default; Threefry-2x32-20) or lean (Threefry-2x32-13, branch-free Box-Muller; docs/generators.md)')
    .option('--radius <t>', runHelp.radius)
    .option('--schedule <s>', runHelp.schedule)
    .option('--radius-decay <g>', runHelp.radiusDecay)
    .option('--radius-min <t>', runHelp.radiusMin)
    .option('--rounds <r>', runHelp.rounds)
    .option('--shrink <s>', runHelp.shrink)
    .option('--no-restarts', 'BPM: stop at the first sampled fixed point at the radius floor instead of restarting')
    .option('--ball <b>', runHelp.ball)
    .option('--params <json>', 'method parameters as JSON, e.g. \'{"popsize": 64}\'')
    .option('--runs <B>', `independent runs in one call (1..${MAX_RUNS}, default 1): run r has seed --seed + r and the same start, each with the whole --max-evals; prints the best run and one line per run (--json: every run)`)
    .option('--json', 'print one JSON object instead of progress lines (a progress bar goes to stderr when it is a terminal)'),
).action((f: RunFlags) => runCommand(f));

common(
  objectiveOptions(program.command('brox').description('one oracle call: the best of N samples in the ball around x'), 'rastrigin')
    .option('--x <list>', 'ball centre "x1,x2,..."')
    .option('--radius <t>', 'ball radius t > 0', '1')
    .option('--samples <n>', `samples (default ${1 << 20})`)
    .option('--seed <s>', 'RNG seed, u32', '1')
    .option('--generator <g>', 'random generator of the samples: reference (default; Threefry-2x32-20) or lean (Threefry-2x32-13, branch-free Box-Muller; docs/generators.md)')
    .option('--call <k>', 'RNG call counter, u32', '0')
    .option('--offset <i>', 'first sample index', '0')
    .option('--ball <b>', 'l2 (default), linf, l1, or JSON: \'{"kind":"mnorm","M":[...]}\', \'{"kind":"gaussian","diag":[...]}\'')
    .option('--bounds <box>', 'box "lo,hi" or "lo1,...;hi1,...": samples are folded into it')
    .option('--rounds <r>', 'refinement rounds (default 1)')
    .option('--shrink <s>', 'radius factor per refinement round (default 0.25)')
    .option('--json', 'JSON output'),
).action((f: BroxFlags) => broxCommand(f));

common(
  objectiveOptions(program.command('eval').description('evaluate f at points from a file or stdin (JSON array, JSON lines or CSV lines)'))
    .option('--points <file>', 'points file (default: stdin)')
    .option('--json', 'one JSON object {values} instead of one value per line'),
).action((f: EvalFlags) => evalCommand(f));

program
  .command('list')
  .description('list the built-in objectives with domains and known minima')
  .option('--json', 'JSON output')
  .action((f: { json?: boolean }) => listCommand(!!f.json, out));

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
        if (!existsSync(script)) {
          // the npm package leaves the bench programs out (package.json "files")
          process.stderr.write('error: brox bench runs from a checkout of the brox repository (npm run bench); the npm package does not ship the bench programs\n');
          process.exitCode = 2;
          resolve();
          return;
        }
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
    .description(`JSON-lines server on stdin/stdout, brox's own form or JSON-RPC 2.0: ${SERVE_METHODS.join(' | ')} (see README)`)
    .option('--jsonrpc', 'answer lines that are not JSON (or too long) in JSON-RPC 2.0 form from the start (otherwise: the form of the last request)')
    .option('--allow-code', 'allow define with user WGSL + JavaScript source (runs it in this process)')
    .option('--max-line-bytes <n>', 'longest request line; longer ones get a LIMIT error unread', String(DEFAULT_LIMITS.maxLineBytes))
    .option('--max-expr-chars <n>', 'longest define expression', String(DEFAULT_LIMITS.maxExprChars))
    .option('--max-samples <n>', 'objective evaluations per request, defaults included: samples x rounds of brox, samples of topk/moments, points of evaluate, the whole budget of bpm/minimize (runs x maxEvals with runs)', String(DEFAULT_LIMITS.maxSamples))
    .option('--max-iter <n>', 'BPM iterations per run', String(DEFAULT_LIMITS.maxIter))
    .option('--timeout-ms <ms>', 'deadline of one request; its work is aborted then (TIMEOUT)', String(DEFAULT_LIMITS.timeoutMs))
    .option('--max-pending <n>', 'requests running at once (cancelled work still stopping included); as many more wait read, reading stdin pauses beyond', String(DEFAULT_LIMITS.maxPending))
    .option('--max-defined <n>', 'objectives defined at once (LIMIT beyond; undefine frees one)', String(DEFAULT_LIMITS.maxDefined))
    .option('--max-defined-bytes <n>', 'bytes the defined objectives hold at once (datasets, sources)', String(DEFAULT_LIMITS.maxDefinedBytes))
    .option('--max-work <ops>', 'operations per oracle call (evaluations x operations per evaluation), refused up front', String(DEFAULT_LIMITS.maxWork)),
).action(async (f: ServeFlags) => {
  const limits = serveLimits(f); // before the backend opens: a bad flag costs no GPU probe
  // SIGTERM/SIGINT drain: answers for everything read (ABORTED past a short grace), then exit 0
  const shutdown = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (shutdown.signal.aborted) process.exit(1); // a second signal: stop at once
    shutdown.abort(sig);
    setTimeout(() => process.exit(1), 10_000).unref(); // a client that stopped reading our answers cannot hold us
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const oracle = await openOracle({ backend: f.backend, threads: f.threads, tune: f.tune });
  try {
    await serveStdio({ oracle, allowCode: !!f.allowCode, limits, jsonrpc: !!f.jsonrpc, shutdown: shutdown.signal });
  } finally {
    oracle.destroy();
  }
  if (shutdown.signal.aborted) process.stdin.destroy(); // stdin is still open: let the process end
});

interface ServeFlags {
  backend: string;
  threads?: string;
  tune?: boolean;
  allowCode?: boolean;
  jsonrpc?: boolean;
  maxLineBytes: string;
  maxExprChars: string;
  maxSamples: string;
  maxIter: string;
  timeoutMs: string;
  maxPending: string;
  maxDefined: string;
  maxDefinedBytes: string;
  maxWork: string;
}

function serveLimits(f: ServeFlags): ServeLimits {
  const positive = (v: string, flag: string, max: number) => {
    const n = parseNumber(v, flag);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new BroxError(flag, `must be an integer in [1, ${max}], got ${v}`);
    return n;
  };
  return {
    maxLineBytes: positive(f.maxLineBytes, '--max-line-bytes', 2 ** 31 - 1),
    maxExprChars: positive(f.maxExprChars, '--max-expr-chars', 2 ** 30),
    maxSamples: positive(f.maxSamples, '--max-samples', 2 ** 53 - 1),
    maxIter: positive(f.maxIter, '--max-iter', 1e9),
    timeoutMs: positive(f.timeoutMs, '--timeout-ms', 2 ** 31 - 1), // setTimeout's range
    maxPending: positive(f.maxPending, '--max-pending', 4096),
    maxDefined: positive(f.maxDefined, '--max-defined', 2 ** 20),
    maxDefinedBytes: positive(f.maxDefinedBytes, '--max-defined-bytes', 2 ** 53 - 1),
    maxWork: positive(f.maxWork, '--max-work', 2 ** 53 - 1),
  };
}

// serve's client reads stdout only: startup errors (NO_ADAPTER, bad flags) go there too, as a response line
const isServe = () => process.argv[2] === 'serve';
const serveError = (error: Record<string, unknown>): boolean => {
  if (isServe()) out(jsonLine({ id: null, error }));
  return isServe();
};

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // with --json, every error is also one JSON object on stdout
  if (e instanceof BroxError) {
    process.stderr.write(`brox: ${e.message}\n`);
    if (!serveError({ code: e.code, message: e.message, argument: e.argument }) && jsonMode) out(jsonLine({ error: { code: e.code, argument: e.argument, message: e.message } }));
    process.exitCode = 2;
  } else if ((e as { code?: string }).code?.startsWith('commander.')) {
    const code = (e as { exitCode?: number }).exitCode ?? 2;
    process.exitCode = code === 0 ? 0 : 2;
    // usage errors happen before any action ran: look for --json on the command line itself
    if (code !== 0 && !serveError({ code: 'INVALID_ARGUMENT', message: (e as Error).message }) && process.argv.includes('--json')) out(jsonLine({ error: { code: 'INVALID_ARGUMENT', message: (e as Error).message } }));
  } else {
    process.stderr.write(`brox: ${(e as Error)?.stack ?? e}\n`);
    const error = { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) };
    if (!serveError(error) && jsonMode) out(jsonLine({ error }));
    process.exitCode = 1;
  }
}
