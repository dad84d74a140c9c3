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

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node;

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

async function quietVulkanLoader(): Promise<void> {
  if (verbose || process.platform !== 'linux') return;
  const { existsSync, mkdtempSync, rmSync } = await import('node:fs');
  const current = process.env.XDG_RUNTIME_DIR;
  if (current && existsSync(current)) return;
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'brox-xdg-')); // mode 0700, as the spec wants
  process.env.XDG_RUNTIME_DIR = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}

export async function acquireGpu(): Promise<{ handle: GpuHandle | null; why: string }> {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  if (nav?.gpu) return { handle: { gpu: nav.gpu, source: 'navigator.gpu', release() {} }, why: '' };
  if (!isNode()) {
    const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
    return { handle: null, why: secure === false ? 'not a secure context (WebGPU needs https or localhost)' : 'navigator.gpu is missing (browser without WebGPU)' };
  }
  let mod: { create(flags: string[]): GPU; globals: Record<string, unknown> };
  await quietVulkanLoader();
  try {
    const spec = 'webgpu';
    mod = await import(/* @vite-ignore */ spec);
  } catch (e) {
    // an optional peer dependency: Node users add it for GPU runs
    const missing = /Cannot find (package|module)/.test((e as Error).message);
    return { handle: null, why: missing ? "the 'webgpu' package (Dawn for Node, an optional peer dependency of brox) is not installed; for GPU runs in Node: npm install webgpu" : `the 'webgpu' package (Dawn for Node) could not be loaded: ${(e as Error).message}` };
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
  const icd = process.env.VK_ICD_FILENAMES;
  return icd
    ? ` (VK_ICD_FILENAMES=${icd})`
    : `; without a GPU, install Debian's chromium and libvulkan1 and set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} to use SwiftShader`;
}
