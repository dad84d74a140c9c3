#!/usr/bin/env bash
# On the build machine (this one): everything bench/gpu/run.sh needs on a bare NVIDIA GPU machine.
#   - dist/ (npm run build) when dist/bench.js is missing or older than the sources
#   - .gpu/ (Node.js, Dawn, the Vulkan loader) from ../shared/gpu/make-device-bundle.sh when missing
# then prints what to copy and the command to run there.
# Usage: bash bench/gpu/prepare.sh   (BROX_GPU_BUNDLE_SCRIPT=path overrides where the bundle script is)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bundle_script=${BROX_GPU_BUNDLE_SCRIPT:-$root/../shared/gpu/make-device-bundle.sh}

[ -d node_modules/webgpu ] || { echo "prepare.sh: node_modules/webgpu missing: run npm install first" >&2; exit 1; }
have_bundle=0
[ -f .gpu/setup.sh ] && [ -f .gpu/node.xz ] && [ -f .gpu/webgpu/dist/linux-x64/dawn.node.xz ] && have_bundle=1
if [ "$have_bundle" = 0 ] && [ ! -f "$bundle_script" ]; then
  echo "prepare.sh: .gpu/ is missing and the device bundle script is not at $bundle_script" >&2
  echo "  (expected ../shared/gpu/make-device-bundle.sh beside the repo root; set BROX_GPU_BUNDLE_SCRIPT=/path/to/it)" >&2
  exit 1
fi

stale=""
if [ ! -f dist/bench.js ]; then
  stale="dist/bench.js is missing"
else
  newer=$(find src bench shaders package.json vite.config.ts \( -path bench/results -o -path bench/gpu \) -prune -o \
    -type f \( -name '*.ts' -o -name '*.wgsl' -o -name '*.js' -o -name package.json \) -newer dist/bench.js -print 2>/dev/null | head -n 1)
  [ -z "$newer" ] || stale="$newer is newer than dist/bench.js"
fi
if [ -n "$stale" ]; then
  echo "== build ($stale): npm run build"
  npm run build || { echo "prepare.sh: npm run build failed" >&2; exit 1; }
else
  echo "== dist/bench.js is up to date"
fi

if [ "$have_bundle" = 1 ]; then
  echo "== .gpu/ bundle present ($(du -sh .gpu | cut -f1))"
else
  echo "== .gpu/ bundle: bash $bundle_script"
  bash "$bundle_script"
fi

cat <<MSG

Ready. Copy to the GPU machine, into the project root:  dist/  .gpu/  bench/  package.json
  e.g.  tar czf brox-gpu.tgz dist .gpu bench package.json   (about $(du -shc dist .gpu 2>/dev/null | tail -n 1 | cut -f1)), untar there
  (with the device tool: carry ["dist", ".gpu"]; bench/ and package.json are tracked files)
Then run there, from the project root (a few minutes; it stops itself within BROX_GPU_BUDGET=510 s):
  bash bench/gpu/run.sh
Results: bench/results/gpu-<date>-<adapter>.json and .md (also copied into \$OUT when set).
MSG
