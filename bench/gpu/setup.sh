# Sourced on the GPU machine (bench/gpu/run.sh does it): unpacks Node and Dawn from .gpu/ and puts
# .gpu/lib (Vulkan loader, GL dispatch) and the NVIDIA driver's library folders on LD_LIBRARY_PATH.
# Copied into .gpu/ by bench/gpu/bundle.sh. It chooses no Vulkan driver: run.sh discovers it.
# Needs only a shell and either xz or python3 (for the .xz files).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
unxz_to() { # file.xz dest
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" > "$2.part"
  else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2.part"; fi && mv "$2.part" "$2"
}
[ -x "$here/node" ] || { unxz_to "$here/node.xz" "$here/node" && chmod +x "$here/node"; }
[ -f "$here/webgpu/dist/linux-x64/dawn.node" ] || unxz_to "$here/webgpu/dist/linux-x64/dawn.node.xz" "$here/webgpu/dist/linux-x64/dawn.node"
libs="$here/lib"
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu/nvidia; do [ -d "$d" ] && libs="$libs:$d"; done
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$here:$PATH"
[ -n "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] || [ ! -f /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json ] ||
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
# `import 'webgpu'` resolves through node_modules: give the carried copy that name.
mkdir -p node_modules
[ -e node_modules/webgpu ] || ln -s "$here/webgpu" node_modules/webgpu
node --version
