// Chromium flags for WebGPU, shared by the headless runner and the page tests.
export const COMMON_FLAGS = ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-sandbox', '--headless=new'];
/** WebGPU on SwiftShader (CPU Vulkan shipped with Debian's chromium): works with no GPU. */
export const SOFTWARE_FLAGS = [...COMMON_FLAGS, '--enable-unsafe-webgpu', '--enable-features=Vulkan'];
/** WebGPU on a hardware GPU through Vulkan (Linux): ANGLE on Vulkan, no GPU blocklist. */
export const GPU_FLAGS = [...COMMON_FLAGS, '--enable-unsafe-webgpu', '--enable-features=Vulkan,VulkanFromANGLE', '--use-angle=vulkan', '--ignore-gpu-blocklist', '--enable-gpu'];
