import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What the README and package.json say about Node must stay true as dependencies move: every
// runtime dependency supports the lowest Node of `engines`; the dev tools that do not are exactly
// the ones the README names (npm ci prints EBADENGINE for them).
const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const readme = readFileSync(`${root}/README.md`, 'utf8');
const enginesOf = (name: string): string | undefined => JSON.parse(readFileSync(`${root}/node_modules/${name}/package.json`, 'utf8')).engines?.node;

type V = [number, number, number];
const parse = (v: string): V => {
  const [a = 0, b = 0, c = 0] = v.replace(/^v/, '').split('.').map((x) => Number.parseInt(x, 10) || 0);
  return [a, b, c];
};
const cmp = (x: V, y: V) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
/** npm's range forms used in engines fields: ||, space-separated AND, ^ ~ >= > <= < = and x-ranges. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alt) =>
    alt.trim().split(/\s+/).filter(Boolean).every((term) => {
      const m = term.match(/^(\^|~|>=|<=|>|<|=)?v?([\d.x*]+)$/);
      if (!m) throw new Error(`range term not understood: ${term}`);
      const [op = '', raw] = [m[1], m[2]];
      const parts = raw.split('.').filter((p) => p !== 'x' && p !== '*');
      const t = parse(parts.join('.'));
      if (op === '^') return cmp(v, t) >= 0 && (t[0] > 0 ? v[0] === t[0] : v[0] === 0 && v[1] === t[1]);
      if (op === '~') return cmp(v, t) >= 0 && v[0] === t[0] && v[1] === t[1];
      if (op === '>=') return cmp(v, t) >= 0;
      if (op === '>') return cmp(v, t) > 0;
      if (op === '<=') return cmp(v, t) <= 0;
      if (op === '<') return cmp(v, t) < 0;
      // exact or x-range: the given parts must match
      return parts.every((p, i) => v[i] === Number(p));
    }),
  );
}

describe('engines', () => {
  const lowest = (pkg.engines.node as string).replace(/^>=\s*/, '');

  it('the range checker reads npm ranges', () => {
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.18.9', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.19.0', '^22.12.0 || ^24.0.0 || >=26.0.0')).toBe(false);
    expect(satisfies('20.19.0', '>=20')).toBe(true);
    expect(satisfies('20.19.0', '>=14.17')).toBe(true);
    expect(satisfies('20.19.0', '20.x')).toBe(true);
    expect(satisfies('21.0.0', '>=18 <21')).toBe(false);
  });

  it('every runtime dependency supports the lowest Node of engines', () => {
    expect(pkg.engines.node).toMatch(/^>=\s*\d+\.\d+/);
    for (const name of Object.keys(pkg.dependencies)) {
      const e = enginesOf(name);
      if (e) expect(satisfies(lowest, e), `${name} declares node ${e}`).toBe(true);
    }
  });

  it('the README names the Node of engines and exactly the dev tools that want a newer one', () => {
    expect(readme).toContain(`Node ${lowest.replace(/\.0$/, '')}+`);
    const newer = Object.keys(pkg.devDependencies).filter((name) => {
      const e = enginesOf(name);
      return e !== undefined && !satisfies(lowest, e);
    });
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('```sh'));
    for (const name of newer) expect(quick, `README's Quick start should name ${name} (engines ${enginesOf(name)})`).toMatch(new RegExp(`${name} \\d+`));
    for (const m of quick.matchAll(/(\S+) (\d+)(?: and|,| want)/g)) if (Object.hasOwn(pkg.devDependencies, m[1])) expect(newer).toContain(m[1]);
    expect(newer.length).toBeGreaterThan(0); // today: vitest, puppeteer-core
  });
});
