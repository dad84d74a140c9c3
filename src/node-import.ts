/** True in Node (and Node-compatible runtimes), false in browsers and Web Workers. */
export const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node;

/**
 * A Node built-in by a runtime specifier: bundlers (Vite, rolldown, esbuild) leave `import(spec)`
 * alone, so a browser bundle of brox neither resolves nor externalizes `node:*` modules. Call it
 * only on Node paths (after isNode()).
 */
export const nodeImport = <T>(spec: string): Promise<T> => import(/* @vite-ignore */ spec) as Promise<T>;
