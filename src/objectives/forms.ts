// Which forms a WGSL objective snippet defines: the engine composes kernels from them, and
// defineObjective checks a user's snippet with the same rule (one place, no engine import here).

/** Does the snippet define the array form, the streaming form, or both? */
export function objectiveForms(wgsl: string): { array: boolean; streaming: boolean } {
  return { array: /\bfn\s+objective\s*\(/.test(wgsl), streaming: /\bfn\s+objective_term\s*\(/.test(wgsl) };
}
