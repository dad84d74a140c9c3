import { rolldown } from 'rolldown';
import { build, createLogger } from 'vite';

export interface Bundle {
  /** Every emitted file: name -> size in bytes. */
  files: Record<string, number>;
  /** The JavaScript chunks' code, concatenated. */
  code: string;
  warnings: string[];
}

/** A browser app build (Vite's defaults, not lib mode) of one JS/TS entry, in memory. */
export async function viteBrowserBundle(entry: string, root: string): Promise<Bundle> {
  const warnings: string[] = [];
  const logger = createLogger('silent');
  logger.warn = (m) => void warnings.push(m);
  logger.warnOnce = (m) => void warnings.push(m);
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    customLogger: logger,
    root,
    build: { write: false, rolldownOptions: { input: entry, onwarn: (w) => void warnings.push(String(w.message)) } },
  });
  const items = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? o.output : []));
  return collect(items, warnings);
}

/** rolldown with platform 'browser' (what esbuild --bundle --platform=browser does), in memory. */
export async function rolldownBrowserBundle(entry: string): Promise<Bundle> {
  const warnings: string[] = [];
  const b = await rolldown({ input: entry, platform: 'browser', onLog: (level, log) => void warnings.push(`${level}: ${log.message}`) });
  const { output } = await b.generate({ format: 'es' });
  await b.close();
  return collect(output, warnings);
}

function collect(items: Array<{ type: string; fileName: string; code?: string; source?: string | Uint8Array }>, warnings: string[]): Bundle {
  const files: Record<string, number> = {};
  let code = '';
  for (const o of items) {
    const text = o.type === 'chunk' ? o.code! : o.source!;
    files[o.fileName] = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    if (o.type === 'chunk') code += o.code + '\n';
  }
  return { files, code, warnings };
}

/** `node:` built-ins (or bare fs/os/path...) that the bundle still imports, or Vite's browser stub of them. */
export function nodeBuiltinsIn(code: string): string[] {
  const found = [...code.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)["']((?:node:)?(?:fs|os|path|url|worker_threads|child_process|module|util|events)(?:\/[\w/]+)?)["']/g)].map((m) => m[1]);
  if (code.includes('__vite-browser-external')) found.push('__vite-browser-external');
  return [...new Set(found)];
}
