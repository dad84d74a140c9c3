import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vulkanDriverPossible, vulkanIcdDirs } from '../src/gpu/acquire';

// Dawn is not loaded where no Vulkan driver can exist (it would only print "vkCreateInstance: Found
// no drivers!"): the probe reads the loader's ICD folders and environment variables.
const dir = mkdtempSync(join(tmpdir(), 'brox-icd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const folder = (name: string, manifests: Record<string, unknown>): string => {
  const d = join(dir, name, 'vulkan/icd.d');
  mkdirSync(d, { recursive: true });
  for (const [f, m] of Object.entries(manifests)) writeFileSync(join(d, f), typeof m === 'string' ? m : JSON.stringify(m));
  return d;
};

describe('vulkanDriverPossible', () => {
  it('no: no folders, empty folders, manifests whose library is missing', async () => {
    expect((await vulkanDriverPossible({}, [join(dir, 'nowhere')], 'linux')).possible).toBe(false);
    const empty = folder('empty', {});
    const stale = folder('stale', { 'lvp.json': { ICD: { library_path: join(dir, 'missing/libvulkan_lvp.so') } }, 'notes.txt': 'x' });
    const r = await vulkanDriverPossible({}, [empty, stale], 'linux');
    expect(r.possible).toBe(false);
    expect(r.why).toMatch(/no Vulkan driver is installed .*VK_ICD_FILENAMES and VK_DRIVER_FILES unset/);
    expect(r.why).toContain(stale);
  });

  it('yes: a manifest with its library (absolute, relative to the manifest, or a bare name for the linker)', async () => {
    const lib = join(dir, 'libvulkan_fake.so');
    writeFileSync(lib, '');
    expect((await vulkanDriverPossible({}, [folder('abs', { 'a.json': { ICD: { library_path: lib } } })], 'linux')).possible).toBe(true);
    expect((await vulkanDriverPossible({}, [folder('rel', { 'a.json': { ICD: { library_path: '../../../libvulkan_fake.so' } } })], 'linux')).possible).toBe(true);
    expect((await vulkanDriverPossible({}, [folder('bare', { 'a.json': { ICD: { library_path: 'libvulkan_nvidia.so.1' } } })], 'linux')).possible).toBe(true);
    expect((await vulkanDriverPossible({}, [folder('bad', { 'a.json': '{ not json' })], 'linux')).possible).toBe(true); // the loader decides
  });

  it('yes: the environment names drivers, or not Linux', async () => {
    const icd = join(dir, 'swiftshader.json');
    writeFileSync(icd, '{}');
    for (const v of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES']) expect((await vulkanDriverPossible({ [v]: `/nonexistent.json:${icd}` }, [], 'linux')).possible).toBe(true);
    expect((await vulkanDriverPossible({}, [], 'darwin')).possible).toBe(true);
    expect((await vulkanDriverPossible({}, [], 'win32')).possible).toBe(true);
  });

  it('no: VK_ICD_FILENAMES / VK_DRIVER_FILES replace the search and name nothing that exists', async () => {
    const lib = join(dir, 'libvulkan_real.so');
    writeFileSync(lib, '');
    const good = folder('good', { 'a.json': { ICD: { library_path: lib } } });
    for (const v of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES']) {
      const r = await vulkanDriverPossible({ [v]: '/nonexistent/icd.json' }, [good], 'linux');
      expect(r.possible).toBe(false);
      expect(r.why).toMatch(new RegExp(`^no WebGPU adapter found: ${v}=/nonexistent/icd.json names no file`));
    }
    expect((await vulkanDriverPossible({ VK_ADD_DRIVER_FILES: '/nonexistent/icd.json' }, [good], 'linux')).possible).toBe(true); // adds to the search
  });

  it("the loader's folders", () => {
    const dirs = vulkanIcdDirs({ HOME: '/home/u' });
    for (const d of ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d', '/etc/xdg/vulkan/icd.d', '/home/u/.local/share/vulkan/icd.d']) expect(dirs).toContain(d);
    expect(vulkanIcdDirs({ XDG_DATA_DIRS: '/opt/share', HOME: '/h' })).toContain('/opt/share/vulkan/icd.d');
  });
});
