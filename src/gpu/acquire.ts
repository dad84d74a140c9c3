/**
 * Where a GPU object comes from: `navigator.gpu` in browsers, the `webgpu` package (Dawn) in Node.
 * Dawn is imported lazily so the CPU-only path never loads the native addon.
 */
export interface GpuHandle {
  gpu: GPU;
  source: 'navigator.gpu' | 'dawn';
  /** Drops our reference to Dawn's GPU object (a live one keeps Node's event loop running). */
  release(): void;
}

import { isNode, nodeImport } from '../node-import.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

type Fs = typeof import('node:fs');
type Path = typeof import('node:path');

let verbose = true;

/**
 * The CLI turns this off unless --verbose: Dawn's Vulkan probe then runs with a private
 * XDG_RUNTIME_DIR when none is usable, so the loader's window-system libraries do not print
 * "error: XDG_RUNTIME_DIR is invalid or not set" (native code writing fd 2: only the cause can be
 * removed, not the output). The library default leaves the environment alone.
 */
export function setGpuVerbose(on: boolean): void {
  verbose = on;
}

let trace: ((line: string) => void) | null = null;

/**
 * Where GPU discovery reports its decisions (the Vulkan probe, loading Dawn); the CLI's --verbose
 * sends them to stderr. Off (null) by default.
 */
export function setGpuTrace(fn: ((line: string) => void) | null): void {
  trace = fn;
}

async function quietVulkanLoader(): Promise<void> {
  if (verbose || process.platform !== 'linux') return;
  const { existsSync, mkdtempSync, rmSync } = await nodeImport<Fs>('node:fs');
  const current = process.env.XDG_RUNTIME_DIR;
  if (current && existsSync(current)) return;
  const { tmpdir } = await nodeImport<typeof import('node:os')>('node:os');
  const { join } = await nodeImport<Path>('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'brox-xdg-')); // mode 0700, as the spec wants
  process.env.XDG_RUNTIME_DIR = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * Where the Vulkan loader looks for driver manifests (ICD JSON files) on Linux when no environment
 * variable names them: the XDG config and data dirs (defaults /etc/xdg; /usr/local/share:/usr/share),
 * /etc, ~/.local/share, plus the NVIDIA container toolkit's folder.
 */
export function vulkanIcdDirs(env: Record<string, string | undefined> = process.env): string[] {
  const config = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':');
  const data = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  const home = env.XDG_DATA_HOME || (env.HOME ? `${env.HOME}/.local/share` : '');
  const roots = [...config, '/etc', home, ...data, '/usr/local/share', '/usr/share', '/usr/local/nvidia/share'].filter((r) => r.startsWith('/'));
  return [...new Set(roots.map((r) => `${r.replace(/\/+$/, '')}/vulkan/icd.d`))];
}

/**
 * Can a Vulkan driver exist here? Linux only (elsewhere Dawn has Metal/D3D12 and the answer is yes).
 * Yes when VK_DRIVER_FILES / VK_ICD_FILENAMES (which replace the loader's search) name a file that
 * exists, when VK_ADD_DRIVER_FILES does, or when an ICD folder holds a manifest whose driver library
 * is there (a bare library name counts: the dynamic linker finds it). No otherwise: Dawn would only print "vkCreateInstance: Found
 * no drivers!" and find no adapter, so brox does not load it.
 */
export async function vulkanDriverPossible(env: Record<string, string | undefined> = process.env, dirs: string[] = vulkanIcdDirs(env), platform: string = process.platform): Promise<{ possible: boolean; why: string }> {
  if (platform !== 'linux') return { possible: true, why: '' };
  const fs = await nodeImport<Fs>('node:fs');
  const path = await nodeImport<Path>('node:path');
  // VK_DRIVER_FILES (VK_ICD_FILENAMES before it) replaces the search; VK_ADD_DRIVER_FILES adds to it
  const named = (v: string) => (env[v] ?? '').split(':').filter((f) => f !== '');
  for (const v of ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES']) {
    if (!env[v]) continue;
    const there = named(v).filter((f) => fs.existsSync(f));
    return there.length ? { possible: true, why: `${v}=${env[v]}` } : { possible: false, why: `no WebGPU adapter found: ${v}=${env[v]} names no file that exists, so Dawn is not loaded` };
  }
  if (named('VK_ADD_DRIVER_FILES').some((f) => fs.existsSync(f))) return { possible: true, why: `VK_ADD_DRIVER_FILES=${env.VK_ADD_DRIVER_FILES}` };
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
    } catch {
      continue; // no such folder
    }
    for (const n of names) {
      const file = path.join(dir, n);
      let lib: unknown;
      try {
        lib = (JSON.parse(fs.readFileSync(file, 'utf8')) as { ICD?: { library_path?: unknown } }).ICD?.library_path;
      } catch {
        return { possible: true, why: `${file} (unreadable: the loader decides)` };
      }
      if (typeof lib !== 'string') continue;
      if (!lib.includes('/')) return { possible: true, why: `${file} (${lib})` };
      if (fs.existsSync(path.resolve(dir, lib))) return { possible: true, why: file };
    }
  }
  return { possible: false, why: `no WebGPU adapter found: no Vulkan driver is installed (no ICD manifest with its library in ${dirs.join(', ')}; VK_ICD_FILENAMES and VK_DRIVER_FILES unset), so Dawn is not loaded` };
}

/** Is the `webgpu` package installed? Resolved without loading it (loading it loads Dawn). */
function webgpuInstalled(): boolean {
  const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
  if (typeof resolve !== 'function') return true; // cannot tell: the import below says
  try {
    resolve('webgpu');
    return true;
  } catch {
    return false;
  }
}

const NO_WEBGPU_PACKAGE = "the 'webgpu' package (Dawn for Node, an optional peer dependency of brox) is not installed; for GPU runs in Node: npm install webgpu";

export async function acquireGpu(): Promise<{ handle: GpuHandle | null; why: string }> {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  if (nav?.gpu) return { handle: { gpu: nav.gpu, source: 'navigator.gpu', release() {} }, why: '' };
  if (!isNode()) {
    const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
    return { handle: null, why: secure === false ? 'not a secure context (WebGPU needs https or localhost)' : 'navigator.gpu is missing (browser without WebGPU)' };
  }
  let mod: { create(flags: string[]): GPU; globals: Record<string, unknown> };
  if (!webgpuInstalled()) return { handle: null, why: NO_WEBGPU_PACKAGE };
  const vk = await vulkanDriverPossible();
  trace?.(vk.possible ? `Vulkan probe: a driver may be here (${vk.why || process.platform}): loading Dawn (the 'webgpu' package)` : `Vulkan probe: ${vk.why}`);
  if (!vk.possible) return { handle: null, why: vk.why + (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES ? '' : noAdapterHint()) };
  await quietVulkanLoader();
  try {
    const spec = 'webgpu';
    mod = await import(/* @vite-ignore */ spec);
  } catch (e) {
    // an optional peer dependency: Node users add it for GPU runs
    const missing = /Cannot find (package|module)/.test((e as Error).message);
    return { handle: null, why: missing ? NO_WEBGPU_PACKAGE : `the 'webgpu' package (Dawn for Node) could not be loaded: ${(e as Error).message}` };
  }
  // Dawn's enums (GPUBufferUsage, GPUMapMode, ...) are what browsers provide as globals.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  let gpu: GPU | null = mod.create(['disable-dawn-features=timestamp_quantization']);
  return {
    handle: {
      get gpu(): GPU {
        if (!gpu) throw new Error('GPU handle already released');
        return gpu;
      },
      source: 'dawn',
      release() {
        gpu = null;
      },
    },
    why: '',
  };
}

export function noAdapterHint(): string {
  if (!isNode()) return '';
  const icd = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES;
  if (icd) return ` (Vulkan drivers named by the environment: ${icd})`;
  // not the chromium + libvulkan1 install again when SwiftShader is already there: say how to use it
  let swiftshader = false;
  try {
    swiftshader = typeof process.getBuiltinModule === 'function' && !!(process.getBuiltinModule('node:fs') as typeof import('node:fs')).existsSync(SWIFTSHADER_ICD);
  } catch {
    // cannot tell
  }
  return swiftshader
    ? `; SwiftShader (Vulkan on the CPU, from chromium) is installed: VK_ICD_FILENAMES=${SWIFTSHADER_ICD} with --backend webgpu runs WebGPU on it ('auto' prefers the CPU backend to a software adapter)`
    : `; for WebGPU without a GPU: apt-get install chromium libvulkan1, then VK_ICD_FILENAMES=${SWIFTSHADER_ICD} with --backend webgpu (SwiftShader, Vulkan on the CPU)`;
}
