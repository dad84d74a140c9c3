import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../src/data/load';

// Issue 20 (4, 12, 15): the built CLI (`npm run build` first) with inputs that never end, readers
// that stop early and a large raw dataset.
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'brox-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[], input?: string) => spawnSync(process.execPath, ['bin/brox.js', ...args], { cwd: root, encoding: 'utf8', input, timeout: 120_000 });

/** Runs the CLI with its stdout pipe closed before it writes anything: every write gets EPIPE. */
function withClosedStdout(args: string[], input: string): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/brox.js', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader went away (`| head -1` after its line)
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a reader that stops early ends the output quietly (issue 20 #12)', () => {
  const points = Array.from({ length: 20_000 }, (_, i) => `${i},${i}`).join('\n');
  for (const [name, args] of [
    ['list', ['list']],
    ['eval', ['eval', '--objective', 'sphere', '--backend', 'cpu']],
    ['run', ['run', '--objective', 'sphere', '--dim', '2', '--backend', 'cpu', '--max-evals', '2000']],
  ] as const) {
    it(`brox ${name} | head: exit 0, no stack trace`, async () => {
      const r = await withClosedStdout([...args], points);
      expect(r.stderr).not.toMatch(/EPIPE|    at /);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
    }, 60_000);
  }
});

describe('inputs whose size cannot be known are refused, and reads are bounded (issue 20 #4)', () => {
  it('--data /dev/zero (also as a .f32 link) and --points /dev/zero: refused at once, exit 2', () => {
    const link = join(dir, 'zero.f32');
    spawnSync('ln', ['-s', '/dev/zero', link]);
    for (const args of [
      ['eval', '--data', '/dev/zero', '--shape', '2,2', '--objective', 'least-squares'],
      ['eval', '--data', link, '--shape', '2,2', '--objective', 'least-squares'],
      ['eval', '--points', '/dev/zero', '--objective', 'sphere'],
      ['run', '--data', '/dev/zero', '--objective', 'least-squares', '--json'],
    ]) {
      const r = run([...args, '--backend', 'cpu'], '[[1]]');
      expect(r.error, args.join(' ')).toBeUndefined(); // not killed by the timeout
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/is a character device, not a file: its size cannot be known/);
    }
  });

  it('a pipe that never ends is read only to the size the shape needs + 1 byte', () => {
    const fifo = join(dir, 'endless.f32');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // a writer that would go on for ever, stopped by its own timeout when the reader has gone
    const writer = spawn('bash', ['-c', `timeout 100 cat /dev/zero > '${fifo}'`], { stdio: 'ignore' });
    try {
      const r = run(['eval', '--data', fifo, '--shape', '2,2', '--objective', 'least-squares', '--backend', 'cpu'], '[[1]]');
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/shape: 2 x 2 float32 values need 16 bytes, '.*endless.f32' has more/);
    } finally {
      writer.kill();
    }
  });

  it('a regular file of the wrong size is refused by its size, the right one read', () => {
    const file = join(dir, 'small.f32');
    writeFileSync(file, Buffer.from(new Float32Array([1, 2, 3, 4, 5, 6]).buffer));
    expect(run(['eval', '--data', file, '--shape', '2,2', '--objective', 'least-squares', '--backend', 'cpu'], '[[1]]').stderr).toMatch(/need 16 bytes, '.*small.f32' has 24/);
    const ok = run(['eval', '--data', file, '--shape', '2,3', '--objective', 'least-squares', '--backend', 'cpu'], '[[1,1]]');
    expect(ok.status, ok.stderr).toBe(0);
    expect(Number(ok.stdout)).toBe((1 + 2 - 3) ** 2 + (4 + 5 - 6) ** 2);
  });
});

describe('a raw .f32 dataset is read as typed arrays (issue 20 #15)', () => {
  it('loadDataset gives flat Float32Arrays: no array per row, no number per value', () => {
    const file = join(dir, 'rows.f32');
    writeFileSync(file, Buffer.from(new Float32Array([1, 2, 3, 4, 5, 6]).buffer));
    const ds = loadDataset(file, [2, 3]);
    expect(ds.A).toBeInstanceOf(Float32Array);
    expect(ds.y).toBeInstanceOf(Float32Array);
    expect([Array.from(ds.A as Float32Array), Array.from(ds.y), ds.d]).toEqual([[1, 2, 4, 5], [3, 6], 2]);
  });

  it('32 MiB of float32 peak below 4x the file in the CLI (857 MiB before), with the same value', () => {
    const m = 1 << 20;
    const k = 8;
    const f = new Float32Array(m * k);
    for (let i = 0; i < f.length; i++) f[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    const file = join(dir, 'big.f32');
    writeFileSync(file, Buffer.from(f.buffer));
    // least squares at x = (1, ..., 1) on the CPU twin: float64 sums of the float32 values
    let want = 0;
    for (let i = 0; i < m; i++) {
      let z = 0;
      for (let j = 0; j < k - 1; j++) z += f[i * k + j];
      want += (z - f[i * k + k - 1]) ** 2;
    }
    const rss = join(dir, 'rss.cjs');
    writeFileSync(rss, "process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\\n`));\n");
    const base = spawnSync(process.execPath, ['-r', rss, 'bin/brox.js', 'list'], { cwd: root, encoding: 'utf8' });
    const r = spawnSync(process.execPath, ['-r', rss, 'bin/brox.js', 'eval', '--data', file, '--shape', `${m},${k}`, '--objective', 'least-squares', '--backend', 'cpu'], { cwd: root, encoding: 'utf8', input: '[[1,1,1,1,1,1,1]]', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(Number(r.stdout)).toBeCloseTo(want, 6);
    const kb = (s: string) => Number(/maxrss (\d+)/.exec(s)![1]);
    const grew = (kb(r.stderr) - kb(base.stderr)) * 1024;
    expect(grew).toBeLessThan(4 * f.byteLength);
  }, 120_000);
});
