import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { broxJson, jsonLine } from '../src/cli/output';
import type { BroxResult } from '../src/oracle/types';

// The built CLI (`npx vite build` first): exit statuses, JSON errors, --version, a quiet stderr.
const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args: string[], input?: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['bin/brox.js', ...args], { cwd: root, encoding: 'utf8', input, env, timeout: 120_000 });
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l));

describe('CLI reliability', () => {
  it('--version prints the package version', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version);
  });

  it('usage errors exit 2 in every command, bench included, and with --json are one JSON object on stdout', () => {
    const bench = run(['bench', '--bogus']);
    expect(bench.status).toBe(2);
    expect(bench.stderr).toMatch(/^brox bench: Unknown option '--bogus'/);
    expect(bench.stderr).not.toMatch(/ERR_PARSE_ARGS|    at /);
    expect(jsonLines(run(['bench', '--bogus', '--json']).stdout)).toEqual([{ error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/--bogus/) } }]);
    expect(run(['bench', '--repeats', 'many']).status).toBe(2);
    // a flag swallowed as a value: caught before the backend opens, no run header on stdout
    const swallowed = run(['run', '--radius', '--json', '--backend', 'cpu']);
    expect(swallowed.status).toBe(2);
    expect(jsonLines(swallowed.stdout)).toEqual([{ error: { code: 'INVALID_ARGUMENT', argument: '--radius', message: "--radius: must be a number, got '--json'" } }]);
    for (const args of [['brox', '--samples', 'lots'], ['eval', '--dim', 'x'], ['list', '--bogus'], ['run', '--x0', '1,,2']]) {
      const r = run([...args, '--json'], '[[1]]');
      expect(r.status, args.join(' ')).toBe(2);
      expect(jsonLines(r.stdout), args.join(' ')).toEqual([{ error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) }]);
    }
  });

  it('serve: startup errors are a response line on stdout too (bad flag; NO_ADAPTER without an adapter)', () => {
    const flag = run(['serve', '--timeout-ms', '0'], '');
    expect(flag.status).toBe(2);
    expect(jsonLines(flag.stdout)).toEqual([{ id: null, error: { code: 'INVALID_ARGUMENT', argument: '--timeout-ms', message: '--timeout-ms: must be an integer in [1, 2147483647], got 0' } }]);
    const none = run(['serve', '--backend', 'webgpu'], '{"id":1,"method":"info"}\n', { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    expect(none.status).toBe(2);
    expect(jsonLines(none.stdout)).toEqual([{ id: null, error: expect.objectContaining({ code: 'NO_ADAPTER', argument: 'backend' }) }]);
  });

  it('serve survives the hostile line of issue 10 and answers the queued request', () => {
    const r = run(['serve', '--backend', 'cpu'], `{"id":${'['.repeat(5000)}${']'.repeat(5000)},"method":"info"}\n{"id":2,"method":"info"}\n`);
    expect(r.status, r.stderr).toBe(0);
    const res = jsonLines(r.stdout);
    expect(res).toHaveLength(2);
    expect(res[1]).toMatchObject({ id: 2, result: { backend: 'cpu' } });
  });

  it('non-finite values: the same strings in eval --json as in serve, and in oracle results', () => {
    const r = run(['eval', '--expr', 'log(x[0]) + 1/x[1]', '--dim', '2', '--backend', 'cpu', '--json'], '[[0,1],[-1,1],[1,0],[1,1]]');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ values: ['-Infinity', 'NaN', 'Infinity', 1], backend: 'cpu' });
    const res = { x: [Infinity, -Infinity], fun: NaN, funCenter: -Infinity, nfev: 2, index: 0, improved: true, backend: 'cpu', ms: 1 } as BroxResult;
    expect(JSON.parse(JSON.stringify(broxJson(res)))).toMatchObject({ x: ['Infinity', '-Infinity'], fun: 'NaN', funCenter: '-Infinity' });
    expect(jsonLine({ a: [NaN, 1, -Infinity], b: Infinity })).toBe('{"a":["NaN",1,"-Infinity"],"b":"Infinity"}');
  });

  it('probing for an adapter does not print the Vulkan loader XDG_RUNTIME_DIR error unless --verbose', () => {
    const env = { ...process.env };
    delete env.XDG_RUNTIME_DIR;
    const r = run(['brox', '--backend', 'webgpu', '--dim', '2', '--samples', '64', '--json'], undefined, env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).backend).toBe('webgpu');
    expect(r.stderr).not.toMatch(/XDG_RUNTIME_DIR/);
  });
});
