import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../src/cli/output';
import { methods } from '../src/methods/registry';

// `brox run` as a user reads it: the bar, the iteration lines against the summary, --help's
// defaults, and the BPM flags. Runs the built CLI (`npm test` builds first).
const root = fileURLToPath(new URL('..', import.meta.url));
const VK = { VK_ICD_FILENAMES: '/nonexistent/icd.json' }; // CPU runs, Dawn not loaded
const brox = (args: string[]) => spawnSync(process.execPath, ['bin/brox.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...VK }, timeout: 120_000 });
const json = (args: string[]) => {
  const r = brox([...args, '--backend', 'cpu', '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
/** The last "iter" line's nfev and the summary's evaluations. */
const nfevs = (stdout: string) => {
  const iters = [...stdout.matchAll(/^iter +\d+ .* nfev = (\d+) /gm)].map((m) => Number(m[1]));
  const cut = stdout.match(/^\(\+ \d+ evaluations of a step the budget cut short: nfev = (\d+)\)$/m);
  return { line: cut ? Number(cut[1]) : iters.at(-1), summary: Number(stdout.match(/^iterations \d+, evaluations (\d+),/m)![1]) };
};

describe('progress bar', () => {
  it('counts evaluations against the budget, with an ETA (on a terminal)', async () => {
    let text = '';
    const tty = Object.assign(new Writable({ write: (c, _e, cb) => ((text += c.toString()), cb()) }), { isTTY: true, columns: 160 }) as unknown as NodeJS.WriteStream;
    const bar = progressBar(1 << 20, 'bpm', 'evaluations', tty);
    await new Promise((r) => setTimeout(r, 120));
    bar.tick(262144, 'iter 7  f = 1e-3');
    await new Promise((r) => setTimeout(r, 120));
    bar.tick(524288, 'iter 9  f = 1e-4');
    bar.stop();
    expect(text).toMatch(/bpm \[.*\] 0% 0\/1048576 evaluations \| ETA/);
    expect(text).toMatch(/25% 262144\/1048576 evaluations \| ETA \d+s \| iter 7 {2}f = 1e-3/);
  });

  it('is silent when stderr is not a terminal', () => {
    let text = '';
    const pipe = Object.assign(new Writable({ write: (c, _e, cb) => ((text += c.toString()), cb()) }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const bar = progressBar(100, 'bpm', 'evaluations', pipe);
    bar.tick(50, '');
    bar.stop();
    expect(text).toBe('');
  });

  it.runIf(existsSync('/usr/bin/script'))('brox run --json on a terminal: the bar total is the budget', () => {
    const r = spawnSync('script', ['-qec', `${process.execPath} bin/brox.js run --backend cpu --json --dim 10 --max-evals 200000 --f-target none`, '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...VK }, timeout: 120_000 });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/portfolio \[.*\] \d+% \d+\/200000 evaluations \| ETA/); // the default method's name
    expect(r.stdout).not.toMatch(/\/100 /);
  });
});

describe('iteration lines agree with the summary', () => {
  for (const args of [
    ['--dim', '5', '--max-iter', '250', '--f-target', 'none'], // past the 200 printed lines
    ['--dim', '10', '--max-evals', '100000', '--f-target', 'none'], // the budget cuts a step short
    ['--method', 'cma-es', '--dim', '10', '--max-evals', '3001', '--f-target', 'none'],
    [], // solved at iteration 1 (no callback before the end)
  ]) {
    it(args.join(' ') || 'defaults', () => {
      const r = brox(['run', '--backend', 'cpu', ...args]);
      expect(r.status, r.stderr).toBe(0);
      const { line, summary } = nfevs(r.stdout);
      expect(line).toBe(summary);
    });
  }
});

describe('npm start', () => {
  it('shows the method at work: many steps, the radius adapting, not one ball over the whole domain', () => {
    const start: string = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).scripts.start;
    const args = start.split('node bin/brox.js ')[1].split(' ');
    const r = brox([...args, '--backend', 'cpu']);
    expect(r.status, r.stderr).toBe(0);
    const radii = [...r.stdout.matchAll(/^iter +\d+ .* t = ([\d.e+-]+) /gm)].map((m) => Number(m[1]));
    expect(radii.length).toBeGreaterThanOrEqual(10);
    expect(Math.min(...radii)).toBeLessThan(Math.max(...radii) / 10);
    expect(r.stdout).toMatch(/^status: target-reached/m);
  });
});

describe('--verbose', () => {
  it("prints the GPU probe's decision (and nothing without it)", () => {
    const v = brox(['run', '--max-evals', '2000', '--verbose']);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stderr).toMatch(/^brox: Vulkan probe: no WebGPU adapter found: VK_ICD_FILENAMES=\/nonexistent\/icd.json names no file that exists, so Dawn is not loaded$/m);
    const q = brox(['run', '--max-evals', '2000']);
    expect(q.stderr).toBe(''); // no Dawn, no Vulkan loader lines: a clean CPU start
  });
});

describe('run --help', () => {
  it("shows the methods' own defaults", () => {
    const r = brox(['run', '--help']);
    const help = r.stdout.replace(/\s+/g, ' ');
    const unit = { lo: Float64Array.of(0, 0), hi: Float64Array.of(1, 1) };
    const d = methods.bpm.defaults(2, unit) as unknown as Record<string, number | string>;
    expect(help).toContain(`initial radius t0 (default ${d.radius} x the mean box width`);
    expect(help).toContain(`x${d.shrinkBy} after a failed step`);
    expect(help).toContain(`(default ${d.shrink})`);
    expect(help).toContain(`default ${d.ball})`);
    expect(help).toMatch(new RegExp(`samples per step \\(default: bpm 2\\^${Math.log2(d.samples as number)}; cma-es popsize`));
    expect(help).not.toMatch(/a quarter of the mean box width/);
  });
});

describe('BPM flags', () => {
  const base = ['--method', 'bpm', '--dim', '10', '--max-evals', '60000', '--f-target', 'none', '--seed', '3'];
  it('--ball sets the ball (the same run as --params)', () => {
    const flag = json(['run', ...base, '--ball', 'l2']);
    const params = json(['run', ...base, '--params', '{"ball":"l2"}']);
    const dflt = json(['run', ...base]);
    expect(flag.x).toEqual(params.x);
    expect(flag.x).not.toEqual(dflt.x); // the default is mixed balls
    expect(json(['run', ...base, '--ball', 'linf']).x).toEqual(json(['run', ...base, '--params', '{"ball":"linf"}']).x);
  });

  it('bad values and BPM flags with another method are refused, naming the flag', () => {
    const bad = brox(['run', '--ball', 'l3', '--backend', 'cpu']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--ball: must be one of 'l2', 'linf', 'l1', 'gaussian', 'coord', 'mixed', got "l3"/);
    const other = brox(['run', '--method', 'cma-es', '--ball', 'l2', '--backend', 'cpu']);
    expect(other.status).not.toBe(0);
    expect(other.stderr).toMatch(/--ball: is a BPM option and --method cma-es has no such parameter; its parameters go in --params \(allowed: .*popsize/);
    const radius = brox(['run', '--method', 'cem', '--radius', '1', '--backend', 'cpu']);
    expect(radius.stderr).toMatch(/--radius: is a BPM option/);
    const decay = brox(['run', '--radius-decay', '0.9', '--schedule', 'adaptive', '--backend', 'cpu']);
    expect(decay.stderr).toMatch(/--radius-decay: sets the geometric schedule/);
  });

  it('--radius-min is the floor as a radius (params radiusMin), over --params; above t0 it is refused', () => {
    const t0 = methods.bpm.defaults(10, { lo: new Float64Array(10).fill(-5.12), hi: new Float64Array(10).fill(5.12) }).radius as number;
    const flag = json(['run', ...base, '--radius-min', '0.5']);
    const params = json(['run', ...base, '--params', JSON.stringify({ radiusMin: 0.5 })]);
    expect(flag.x).toEqual(params.x);
    expect(flag.x).not.toEqual(json(['run', ...base]).x);
    expect(json(['run', ...base, '--params', JSON.stringify({ radiusMin: 2 }), '--radius-min', '0.5']).x).toEqual(flag.x);
    const bad = brox(['run', ...base, '--radius-min', String(2 * t0)]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--radius-min: must be at most the initial radius t0/);
  });
});

describe('run --runs B', () => {
  const base = ['run', '--method', 'cma-es', '--dim', '4', '--max-evals', '4000', '--f-target', 'none', '--seed', '11'];

  it('--json: the best run as today, every run (seed, fields) and best; run r is the run of --seed + r alone', () => {
    const j = json([...base, '--runs', '3']);
    expect(j.runs).toHaveLength(3);
    expect(j.runs.map((r: { seed: number }) => r.seed)).toEqual([11, 12, 13]);
    for (const r of j.runs) expect(Object.keys(r)).toEqual(['seed', 'x', 'fun', 'nit', 'nfev', 'success', 'status', 'message', 'info', 'ms']);
    expect(j.fun).toBe(Math.min(...j.runs.map((r: { fun: number }) => r.fun)));
    expect(j.x).toEqual(j.runs[j.best].x);
    expect(j.nfev).toBe(j.runs.reduce((a: number, r: { nfev: number }) => a + r.nfev, 0));
    const alone = json([...base.slice(0, -1), '13']);
    expect(j.runs[2].x).toEqual(alone.x);
    expect(j.runs[2].nfev).toBe(alone.nfev);
    // --runs 1 is today's output
    const one = json([...base, '--runs', '1']);
    expect(one).not.toHaveProperty('runs');
    expect(one.x).toEqual(json(base).x);
  });

  it('text: best-so-far lines over all runs, the summary of the best run, one line per run', () => {
    const r = brox([...base, '--runs', '3', '--backend', 'cpu']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^brox: cma-es on rastrigin d=4 .*, 3 runs \(seeds 11\.\.13\)$/m);
    // each line: a run beating the best of all runs so far; nfev over all runs, so never decreasing
    const lines = [...r.stdout.matchAll(/^run +(\d+) +iter +\d+ +f = (\S+) +t = \S+ +nfev = (\d+)$/gm)].map((m) => ({ run: Number(m[1]), f: Number(m[2]), nfev: Number(m[3]) }));
    expect(lines.length).toBeGreaterThan(3);
    for (let i = 1; i < lines.length; i++) {
      expect(lines[i].f).toBeLessThan(lines[i - 1].f);
      expect(lines[i].nfev).toBeGreaterThanOrEqual(lines[i - 1].nfev);
    }
    expect(new Set(lines.map((l) => l.run)).size).toBeGreaterThan(1);
    const total = Number(r.stdout.match(/^iterations \d+, evaluations (\d+) over 3 runs,/m)![1]);
    const best = Number(r.stdout.match(/^best of 3 runs: run (\d) \(seed 1[123]\)/m)![1]);
    const rows = [...r.stdout.matchAll(/^ +(\d) +(\d+) +(\S+) +(\d+) +(\S+)( +\(best\))?$/gm)];
    expect(rows.map((m) => [Number(m[1]), Number(m[2])])).toEqual([[0, 11], [1, 12], [2, 13]]);
    expect(rows.reduce((a, m) => a + Number(m[4]), 0)).toBe(total);
    expect(rows.filter((m) => m[6]).map((m) => Number(m[1]))).toEqual([best]);
    expect(lines.at(-1)!.nfev).toBeLessThanOrEqual(total);
    expect(Number(r.stdout.match(/^f = (\S+)/m)![1])).toBeCloseTo(Number(rows[best][3]), 5);
  });

  it('bad values exit 2 naming --runs and its range (JSON error with --json)', () => {
    for (const [v, msg] of [
      ['0', /--runs: must be an integer in \[1, 1024\], got 0/],
      ['1025', /--runs: must be an integer in \[1, 1024\], got 1025/],
      ['2.5', /--runs: must be an integer in \[1, 1024\], got 2.5/],
      ['x', /--runs: must be a number, got 'x'/],
    ] as const) {
      const r = brox(['run', '--runs', v, '--backend', 'cpu']);
      expect(r.status, v).toBe(2);
      expect(r.stderr, v).toMatch(msg);
      expect(r.stdout, v).toBe(''); // refused before the backend opens
    }
    const j = brox(['run', '--runs', '0', '--backend', 'cpu', '--json']);
    expect(j.status).toBe(2);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: '--runs' });
  });

  it.runIf(existsSync('/usr/bin/script'))('--json on a terminal: the bar counts every run against B budgets', () => {
    const r = spawnSync('script', ['-qec', `${process.execPath} bin/brox.js run --backend cpu --json --method cma-es --dim 4 --max-evals 20000 --f-target none --runs 3`, '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...VK }, timeout: 120_000 });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/cma-es \[.*\] \d+% \d+\/60000 evaluations \| ETA/);
  });
});
