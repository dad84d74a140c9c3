import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Layers call only downward: the folders of src/ (one concern each) form an acyclic import graph.
// Root files: errors/validate/yield are the base every folder may use; index.ts (the package's
// API) and internal.ts (the repository's own programs' entry) are the top.
const src = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const node = (path: string): string => {
  const rel = relative(src, path).split(sep);
  return rel.length > 1 ? rel[0] : rel[0].startsWith('index') || rel[0].startsWith('internal') ? 'index' : 'base';
};

function folderGraph(): Map<string, Map<string, string[]>> {
  const g = new Map<string, Map<string, string[]>>();
  for (const f of files(src)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g)) {
      if (m[1].includes('?raw')) continue; // WGSL text, not code
      const target = normalize(join(dirname(f), m[1]));
      if (relative(src, target).startsWith('..')) continue;
      const [a, b] = [node(f), node(target)];
      if (a === b) continue;
      if (!g.has(a)) g.set(a, new Map());
      const edges = g.get(a)!;
      edges.set(b, [...(edges.get(b) ?? []), `${relative(src, f)} -> ${m[1]}`]);
    }
  }
  return g;
}

function cycles(g: Map<string, Map<string, string[]>>): string[] {
  const out: string[] = [];
  for (const [a, edges] of g) {
    for (const b of edges.keys()) {
      const stack: Array<[string, string[]]> = [[b, [a, b]]];
      const seen = new Set<string>();
      while (stack.length) {
        const [n, path] = stack.pop()!;
        if (n === a) {
          out.push(path.join(' -> '));
          break;
        }
        if (seen.has(n)) continue;
        seen.add(n);
        for (const c of g.get(n)?.keys() ?? []) stack.push([c, [...path, c]]);
      }
    }
  }
  return out;
}

describe('architecture', () => {
  it('no import cycle between the folders of src/', () => {
    const g = folderGraph();
    const found = cycles(g);
    const detail = found.map((c) => {
      const [a, b] = c.split(' -> ');
      return `${c}\n    ${(g.get(a)?.get(b) ?? []).join('\n    ')}`;
    });
    expect(detail).toEqual([]);
  });

  it('the check finds a cycle when there is one', () => {
    const g = new Map([
      ['engine', new Map([['oracle', ['engine/x.ts -> ../oracle/y.js']]])],
      ['oracle', new Map([['engine', ['oracle/y.ts -> ../engine/x.js']]])],
    ]);
    expect(cycles(g).length).toBeGreaterThan(0);
  });

  it('bench/ reaches src/ only through the public index or the one internal entry (src/internal.ts)', () => {
    const bench = fileURLToPath(new URL('../bench', import.meta.url));
    const bad: string[] = [];
    for (const f of files(bench)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g)) {
        const target = relative(src, normalize(join(dirname(f), m[1])));
        if (target.startsWith('..')) continue; // bench's own files
        if (!/^(index|internal)(\.js|\.ts)?$/.test(target)) bad.push(`${relative(bench, f)} -> ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the engine knows no method and no oracle', () => {
    const g = folderGraph();
    expect([...(g.get('engine')?.keys() ?? [])].filter((b) => ['methods', 'oracle', 'bpm', 'cli'].includes(b))).toEqual([]);
  });
});
