import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// bench/gpu/report.py merges what bench/gpu/run.sh collected on a GPU machine. Here it gets fake
// raw outputs (the shapes of dist/bench.js --json and bench/peers/peers.py --json) and no GPU.

const H100 = { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H100 80GB HBM3', description: 'NVIDIA driver 550.54.15', software: false };
const SWIFTSHADER = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', software: true };
const tuning = { best: { wg: 256, samplesPerThread: 4, streamingMinDim: 32 }, trials: [] };
const brox = (kernel: string, d: number, samples: number, sps: number) => ({ backend: 'webgpu', kernel, d, samples, msMedian: (samples / sps) * 1e3, gpuMsMedian: (samples / sps) * 900, samplesPerSec: sps, coordEvalsPerSec: sps * d });
const bench = (adapter: object, rows: object[], bpmLoop: object | null = null) => ({ schema: 2, date: '2026-11-24T10:00:00.000Z', node: 'v22.23.3', cpu: 'Intel Xeon x16', adapter, rows, bpmLoop, tuning, notes: [] });
const peer = (backend: string, device: string, d: number, samples: number, sps: number) => ({ backend, device, d, samples, ms: (samples / sps) * 1e3, samplesPerSec: sps, coordEvalsPerSec: sps * d, best: 1 });
const peers = (rows: object[]) => ({ schema: 1, task: 'rastrigin, uniform l2 ball, best of N', rows });

interface Step {
  kind: string;
  backend: string;
  d: string;
  samples?: number;
  steps?: number;
  rc?: number;
  note?: string;
  out?: object | string; // JSON document or raw stdout
  err?: string;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function report(steps: Step[]): { json: any; md: string; files: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'brox-gpu-report-'));
  dirs.push(root);
  const work = join(root, 'raw');
  mkdirSync(work);
  const lines = ['kind\tbackend\td\tsamples\tsteps\trc\tsecs\tout\terr\tnote'];
  for (const s of steps) {
    const name = `${s.kind}-${s.backend}-d${s.d.replaceAll(',', '_')}`;
    const ran = s.rc !== undefined;
    if (ran) {
      writeFileSync(join(work, `${name}.json`), s.out === undefined ? '' : typeof s.out === 'string' ? s.out : JSON.stringify(s.out, null, 2));
      writeFileSync(join(work, `${name}.err`), s.err ?? 'error: XDG_RUNTIME_DIR is invalid or not set in the environment.\n');
    }
    lines.push([s.kind, s.backend, s.d, s.samples ?? '', s.steps ?? '', ran ? s.rc : '', ran ? 3 : '', ran ? `${name}.json` : '', ran ? `${name}.err` : '', s.note ?? ''].join('\t'));
  }
  writeFileSync(join(work, 'steps.tsv'), lines.join('\n') + '\n');
  const out = join(root, 'results');
  const r = spawnSync('python3', ['bench/gpu/report.py', '--work', work, '--out-dir', out, '--date', '2026-11-24', '--no-system', '--setting', 'samples at d 10=268435456'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const files = r.stdout.trim().split('\n');
  return { json: JSON.parse(readFileSync(files[0], 'utf8')), md: readFileSync(files[1], 'utf8'), files };
}

/** The markdown table line of the throughput table for d and a brox kernel label. */
const line = (md: string, d: number, kernel: string) => md.split('\n').find((l) => l.startsWith(`| ${d} | `) && l.includes(`| ${kernel} |`));
const target = (md: string, what: string) => md.split('\n').find((l) => l.startsWith('| d = ') && l.includes(what));

describe('bench/gpu/report.py', () => {
  it('an H100 run: rows per kernel variant, peers, ratios, targets, failures recorded', () => {
    const N28 = 2 ** 28;
    const N25 = 2 ** 25;
    const N22 = 2 ** 22;
    const { json, md, files } = report([
      { kind: 'probe', backend: 'webgpu', d: '2', samples: 4096, steps: 1, rc: 0, out: bench(H100, []) },
      { kind: 'bench', backend: 'webgpu', d: '10', samples: N28, steps: 1, rc: 0,
        // stray lines before the JSON are tolerated
        out: 'warning: something\n' + JSON.stringify(bench(H100, [brox('brox (wg 256, subgroups)', 10, N28, 75e9), brox('brox (wg 256, tree)', 10, N28, 60e9), brox('plain reference (bench/naive)', 10, N28, 27e9)]), null, 2) },
      { kind: 'bench', backend: 'webgpu', d: '100', samples: N25, steps: 1, rc: 0,
        out: bench(H100, [brox('brox (wg 256, subgroups, streaming)', 100, N25, 5e9), brox('plain reference (bench/naive)', 100, N25, 1.5e9)]) },
      { kind: 'bench', backend: 'webgpu', d: '1000', samples: N22, steps: 1, rc: 124, out: '' },
      { kind: 'loop', backend: 'webgpu', d: '10', steps: 100, rc: 0,
        out: bench(H100, [], { d: 10, steps: 100, samples: 2 ** 20, residentMs: 8.5, stepByStepMs: 60, speedup: 60 / 8.5 }) },
      { kind: 'peers', backend: 'torch', d: '10', samples: N28, rc: 0, out: peers([peer('torch', 'NVIDIA H100 80GB HBM3', 10, N28, 2.7e9)]) },
      { kind: 'peers', backend: 'torch', d: '100', samples: N25, rc: 0, out: peers([peer('torch', 'NVIDIA H100 80GB HBM3', 100, N25, 0.33e9)]) },
      { kind: 'peers', backend: 'torch', d: '1000', samples: N22, rc: 1, out: '', err: 'Traceback (most recent call last):\ntorch.OutOfMemoryError: CUDA out of memory\n' },
      { kind: 'peers', backend: 'jax', d: '10', samples: N28, rc: 0, out: peers([peer('jax', 'cuda:0', 10, N28, 5.3e9)]) },
      { kind: 'peers', backend: 'jax', d: '100', samples: N25, rc: 124, out: '' },
      { kind: 'peers', backend: 'jax', d: '1000', samples: N22, note: 'skipped: timed out at a smaller d' },
      { kind: 'peers', backend: 'numpy', d: '10,100,1000', rc: 0,
        out: peers([peer('numpy', 'cpu', 10, 2 ** 17, 1.7e6), peer('numpy', 'cpu', 100, 2 ** 13, 1.6e5), peer('numpy', 'cpu', 1000, 2 ** 10, 1.4e4)]) },
    ]);

    expect(files[0]).toMatch(/gpu-2026-11-24-nvidia-h100-80gb-hbm3\.json$/);
    expect(files[1]).toMatch(/gpu-2026-11-24-nvidia-h100-80gb-hbm3\.md$/);
    expect(md).not.toContain('software adapter');

    // d = 10: one line per brox variant, each with plain / torch / jax beside it and the ratios
    const sub = line(md, 10, 'brox (wg 256, subgroups)');
    expect(sub).toBeDefined();
    expect(sub).toContain('| 2^28 |');
    for (const cell of ['| 75 G |', '| 27 G |', '| 2.7 G |', '| 5.3 G |', '| 1.7 M |', '| 2.78× |', '| 27.78× |', '| 14.15× |']) expect(sub).toContain(cell);
    const tree = line(md, 10, 'brox (wg 256, tree)');
    for (const cell of ['| 60 G |', '| 2.22× |', '| 22.22× |', '| 11.32× |']) expect(tree).toContain(cell);
    expect(line(md, 10, 'plain reference (bench/naive)')).toBeUndefined(); // the plain kernel is a column

    // d = 100: jax timed out, so no brox/jax ratio
    const d100 = line(md, 100, 'brox (wg 256, subgroups, streaming)')!;
    for (const cell of ['| 2^25 |', '| 5 G |', '| 1.5 G |', '| 330 M |', '| timeout |', '| 3.33× |', '| 15.15× |', '| — |']) expect(d100).toContain(cell);

    // d = 1000: brox timed out, torch failed, jax skipped: all said so
    const d1000 = md.split('\n').find((l) => l.startsWith('| 1000 | '))!;
    expect(d1000).toContain('| timeout |');
    expect(d1000).toContain('| failed (exit 1) |');
    expect(d1000).toContain('| skipped: timed out at a smaller d |');
    expect(md).toContain('CUDA out of memory');

    // targets
    expect(target(md, '70 G')).toContain('**met**');
    expect(target(md, '7 G')).toContain('**missed**');
    expect(target(md, 'GPU-resident')).toContain('8.5 ms');
    expect(target(md, 'GPU-resident')).toContain('**met**');
    expect(md).toContain('GPU-resident **8.5 ms**');
    expect(md).toContain('settings: samples at d 10 = 2^28');

    expect(json.schema).toBe('brox-gpu-run/1');
    expect(json.adapter.device).toBe('NVIDIA H100 80GB HBM3');
    expect(json.targets.map((t: { verdict: string }) => t.verdict)).toEqual(['met', 'missed', 'met']);
    expect(json.targetsAreFor).toBe('an H100/H200-class GPU');
    expect(json.bpmLoop.residentMs).toBe(8.5);
    expect(json.rows).toHaveLength(5);
    expect(json.table.find((t: { d: number; kernel: string }) => t.d === 10 && t.kernel.includes('subgroups')).broxOverTorch).toBeCloseTo(75 / 2.7, 6);
    expect(json.peers.find((p: { backend: string; d: string }) => p.backend === 'torch' && p.d === '1000').error).toMatch(/^failed \(exit 1\)/);
    expect(json.steps).toHaveLength(12);
  });

  it('a software adapter, a loop at the wrong size, a peer on the CPU: flagged, not passed', () => {
    const { json, md } = report([
      { kind: 'bench', backend: 'webgpu', d: '10', samples: 4096, steps: 1, rc: 0,
        out: bench(SWIFTSHADER, [brox('brox (wg 64, subgroups)', 10, 4096, 1e6), brox('plain reference (bench/naive)', 10, 4096, 1.2e6)]) },
      { kind: 'bench', backend: 'webgpu', d: '100', samples: 4096, steps: 1, rc: 1, out: '', err: 'Error: device lost\n' },
      { kind: 'loop', backend: 'webgpu', d: '10', steps: 100, rc: 0, out: bench(SWIFTSHADER, [], { d: 10, steps: 100, samples: 2 ** 14, residentMs: 1800, stepByStepMs: 1900, speedup: 1.05 }) },
      { kind: 'peers', backend: 'torch', d: '10', samples: 4096, rc: 0, out: peers([{ backend: 'torch', skipped: "not installed: No module named 'torch'" }]) },
      { kind: 'peers', backend: 'torch', d: '100', samples: 4096, note: 'skipped: not installed' },
      { kind: 'peers', backend: 'jax', d: '10', samples: 4096, rc: 0, out: peers([peer('jax', 'TFRT_CPU_0', 10, 4096, 2e6)]) },
    ]);
    expect(md).toContain('not GPU timings');
    expect(json.adapterSlug).toBe('swiftshader-device-subzero');
    const d10 = line(md, 10, 'brox (wg 64, subgroups)')!;
    expect(d10).toContain('| not installed |');
    expect(d10).toContain('| 2 M (CPU!) |');
    expect(d10).toContain('| 0.83× |');
    expect(md.split('\n').find((l) => l.startsWith('| 100 | '))).toContain('failed (exit 1)');
    expect(md).toContain('device lost');
    expect(target(md, '70 G')).toContain('**missed**');
    expect(target(md, '7 G')).toContain('**not measured**');
    expect(target(md, 'GPU-resident')).toContain('**n/a');
    expect(json.targetsAreFor).toMatch(/another device/);
  });
});
