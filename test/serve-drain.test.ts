import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// Issue 20 as the hostile probe saw it, on the built CLI (`npm run build` first): deadlines and
// cancel hold for costly CPU work (defect 1), cancel stops the worker threads (2), and SIGTERM /
// SIGINT drain and exit 0 (14). Bounds are generous: the point is seconds, not the minutes before.
const root = fileURLToPath(new URL('..', import.meta.url));

interface Server {
  send(req: object): void;
  /** The next answer line, parsed; fails after `ms`. */
  next(ms?: number): Promise<Record<string, any>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  proc: ChildProcessWithoutNullStreams;
}

const started: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL'); // a failed test leaves no server computing
});

function startServe(flags: string[]): Server {
  const proc = spawn(process.execPath, ['bin/brox.js', 'serve', '--backend', 'cpu', ...flags], { cwd: root });
  started.push(proc);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buf = '';
  proc.stdout.setEncoding('utf8').on('data', (c: string) => {
    buf += c;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
      waiters.splice(0).forEach((w) => w());
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  return {
    proc,
    exited,
    send: (req) => proc.stdin.write(JSON.stringify(req) + '\n'),
    async next(ms = 20_000) {
      const t0 = performance.now();
      while (lines.length === 0) {
        if (performance.now() - t0 > ms) throw new Error(`no answer within ${ms} ms`);
        await new Promise<void>((r) => (waiters.push(r), setTimeout(r, 100)));
      }
      return JSON.parse(lines.shift()!);
    },
  };
}

const heavy = { name: 'heavy', expr: 'sum(i=0..4194303, x[0]*x[0])', dim: 1 };
const points = Array.from({ length: 1500 }, (_, i) => [i / 1500]);

describe('brox serve (built CLI): costly work on the CPU backend', () => {
  it('an evaluate of 1500 costly points under --timeout-ms 2000 answers TIMEOUT within seconds (4-11 s late before), info right after', async () => {
    const s = startServe(['--timeout-ms', '2000', '--threads', '1']);
    s.send({ id: 1, method: 'define', params: heavy });
    expect(await s.next()).toMatchObject({ id: 1, result: { name: 'heavy' } });
    const t0 = performance.now();
    s.send({ id: 2, method: 'evaluate', params: { objective: 'heavy', points } });
    s.send({ id: 3, method: 'info' });
    expect(await s.next()).toMatchObject({ id: 2, error: { code: 'TIMEOUT' } });
    expect(performance.now() - t0).toBeLessThan(2000 + 3000);
    expect(await s.next()).toMatchObject({ id: 3, result: { backend: 'cpu' } });
    s.proc.stdin.end();
    expect(await s.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('cancel stops that evaluate within a second or so (it answered cancelled: 0 before)', async () => {
    const s = startServe(['--threads', '1']);
    s.send({ id: 1, method: 'define', params: heavy });
    await s.next();
    s.send({ id: 2, method: 'evaluate', params: { objective: 'heavy', points } });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    s.send({ id: 3, method: 'cancel', params: { id: 2 } });
    expect(await s.next()).toMatchObject({ id: 2, error: { code: 'ABORTED' } });
    expect(await s.next()).toEqual({ id: 3, result: { cancelled: 1 } });
    expect(performance.now() - t0).toBeLessThan(3000);
    s.proc.stdin.end();
    await s.exited;
  }, 60_000);

  it('an expression of 3900 sibling sums is refused at define (376 s per point before); --max-work refuses a costly call up front', async () => {
    const s = startServe(['--max-work', '1000000000']);
    const bal = (n: number): string => (n === 1 ? 'sum(i=0..4194303,x[0])' : `(${bal(n >> 1)}+${bal(n - (n >> 1))})`);
    s.send({ id: 1, method: 'define', params: { name: 'sib', expr: bal(3900), dim: 1 } });
    expect(await s.next()).toMatchObject({ id: 1, error: { code: 'LIMIT', argument: 'expr' } });
    s.send({ id: 2, method: 'define', params: heavy });
    await s.next();
    s.send({ id: 3, method: 'evaluate', params: { objective: 'heavy', points } });
    expect(await s.next()).toMatchObject({ id: 3, error: { code: 'LIMIT', argument: 'points', message: expect.stringMatching(/--max-work/) } });
    s.send({ id: 4, method: 'info' });
    expect(await s.next()).toMatchObject({ id: 4, result: { limits: { maxWork: 1e9 } } });
    s.proc.stdin.end();
    await s.exited;
  }, 60_000);

  it('cancel of a 2^32-sample call on 2 worker threads stops the workers: the next call is answered (it waited ~11 min before)', async () => {
    const s = startServe(['--threads', '2', '--timeout-ms', '30000']);
    s.send({ id: 1, method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 2 ** 32 } });
    await new Promise((r) => setTimeout(r, 1000));
    s.send({ id: 2, method: 'cancel', params: { id: 1 } });
    s.send({ id: 3, method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 2 ** 22 } });
    expect(await s.next()).toMatchObject({ id: 1, error: { code: 'ABORTED' } });
    expect(await s.next()).toEqual({ id: 2, result: { cancelled: 1 } });
    expect(await s.next(40_000)).toMatchObject({ id: 3, result: { nfev: 2 ** 22 + 1 } }); // a TIMEOUT if the workers were still busy
    s.proc.stdin.end();
    await s.exited;
  }, 90_000);
});

describe('brox serve (built CLI): SIGTERM and SIGINT drain', () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    it(`${sig}: in-flight requests are answered (ABORTED after a short grace), then exit 0`, async () => {
      const s = startServe(['--threads', '1']);
      s.send({ id: 'ready', method: 'info' });
      await s.next(); // serving (a signal while node loads the CLI still ends it the default way)
      s.send({ id: 'long', method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 2 ** 32 } });
      s.send({ id: 'i', method: 'info' });
      await new Promise((r) => setTimeout(r, 500));
      const t0 = performance.now();
      s.proc.kill(sig);
      expect(await s.next()).toEqual({ id: 'long', error: { code: 'ABORTED', message: `the server is shutting down (${sig})` } });
      expect(await s.next()).toMatchObject({ id: 'i', result: { backend: 'cpu' } });
      expect(await s.exited).toEqual({ code: 0, signal: null }); // stdin still open: the drain ends it
      expect(performance.now() - t0).toBeLessThan(8000);
    }, 60_000);
  }
});
