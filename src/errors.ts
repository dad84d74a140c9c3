/**
 * Every error brox throws on bad input: `argument` names what was wrong, the message says what is
 * allowed. `code` separates input errors from environment/kernel errors for the CLI and servers.
 */
export type BroxErrorCode = 'INVALID_ARGUMENT' | 'NO_ADAPTER' | 'WGSL_COMPILE' | 'GPU_ERROR' | 'DEVICE_LOST' | 'ABORTED' | 'LIMIT';

export class BroxError extends Error {
  override readonly name = 'BroxError';
  constructor(
    readonly argument: string,
    message: string,
    readonly code: BroxErrorCode = 'INVALID_ARGUMENT',
  ) {
    super(`${argument}: ${message}`);
  }
}

/** Characters of an input value an error message echoes (a 300k-element array is not repeated back). */
export const PREVIEW_CHARS = 80;

/**
 * An input value as an error message shows it: strings as they are, other values as JSON-like
 * text, cut to about `max` characters with the full size named ("… (300000 items)"). Never throws:
 * nesting, cycles, getters and proxies that throw are shown as "…" or "an unprintable value".
 */
export function preview(v: unknown, max = PREVIEW_CHARS): string {
  try {
    if (typeof v === 'string') return v.length <= max ? v : `${v.slice(0, max)}… (${v.length} characters)`;
    const out = render(v, 0, { left: max });
    return out.length <= max + 40 ? out : `${out.slice(0, max)}…`;
  } catch {
    return 'an unprintable value';
  }
}

/** JSON-like text of v within budget.left characters; deeper than 3 levels is "…". */
function render(v: unknown, depth: number, budget: { left: number }): string {
  const spend = (s: string) => ((budget.left -= s.length), s);
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || v === undefined) return spend(String(v));
  if (typeof v === 'bigint') return spend(String(v));
  if (typeof v === 'string') return spend(JSON.stringify(v.length <= 40 ? v : `${v.slice(0, 40)}…`));
  if (typeof v === 'function') return spend('a function');
  if (typeof v === 'symbol') return spend(String(v));
  const list = Array.isArray(v) || ArrayBuffer.isView(v);
  const [open, close] = list ? ['[', ']'] : ['{', '}'];
  const keys = list ? null : Object.keys(v as object);
  const n = list ? ((v as ArrayLike<unknown>).length ?? 0) : keys!.length;
  if (n === 0) return spend(open + close);
  if (depth >= 3) return spend(`${open}…${close}`);
  const parts: string[] = [];
  budget.left -= 2;
  for (let i = 0; i < n; i++) {
    if (budget.left <= 0) {
      parts.push(`… (${n} ${list ? 'items' : 'keys'})`);
      break;
    }
    const item = list ? (v as ArrayLike<unknown>)[i] : (v as Record<string, unknown>)[keys![i]];
    parts.push(list ? render(item, depth + 1, budget) : `${spend(JSON.stringify(keys![i].slice(0, 40)))}:${render(item, depth + 1, budget)}`);
    budget.left -= 1;
  }
  return open + parts.join(',') + close;
}
