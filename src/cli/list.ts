import { builtins } from '../objectives/registry.js';
import { jsonLine } from './output.js';

export function listCommand(json: boolean, out: (line: string) => void): void {
  const rows = Object.values(builtins).map((b) => {
    const m2 = b.minimum(2);
    return { name: b.name, dims: b.dims, domain: b.domain, description: b.description, minimumD2: m2 };
  });
  if (json) {
    out(jsonLine(rows));
    return;
  }
  for (const r of rows) {
    out(`${r.name.padEnd(16)} d in [${r.dims.join(', ')}]  domain [${r.domain.map((v) => +v.toFixed(4)).join(', ')}]^d  f*(d=2) = ${r.minimumD2 ? r.minimumD2.fun : 'unknown'}  ${r.description}`);
  }
}
