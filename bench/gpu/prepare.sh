#!/usr/bin/env bash
# On the build machine (this one): everything bench/gpu/run.sh needs on a bare NVIDIA GPU machine.
#   - dist/ (npm run build) when dist/gpu.js or dist/bench.js is missing or older than the sources
#   - .gpu/ (Node.js, Dawn, the Vulkan loader) from bench/gpu/bundle.sh when missing
# then prints what to copy and the commands to run there. No variables needed from a fresh clone
# (after npm ci); the first bundle takes about 20 s.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[ -d node_modules/webgpu ] || { echo "prepare.sh: node_modules/webgpu missing: run npm ci first" >&2; exit 1; }

stale=""
for f in dist/gpu.js dist/bench.js; do [ -f "$f" ] || stale="$f is missing"; done
if [ -z "$stale" ]; then
  newer=$(find src bench shaders package.json vite.config.ts \( -path bench/results -o -path bench/gpu/run.sh -o -path bench/gpu/report.py \) -prune -o \
    -type f \( -name '*.ts' -o -name '*.wgsl' -o -name '*.js' -o -name package.json \) -newer dist/gpu.js -print 2>/dev/null | head -n 1)
  [ -z "$newer" ] || stale="$newer is newer than dist/gpu.js"
fi
if [ -n "$stale" ]; then
  echo "== build ($stale): npm run build"
  npm run build || { echo "prepare.sh: npm run build failed" >&2; exit 1; }
else
  echo "== dist/ is up to date"
fi
bash bench/gpu/bundle.sh

cat <<MSG

Ready. Copy to the GPU machine, into the project root: the repository's files with dist/ and .gpu/
  e.g.  tar czf brox-gpu.tgz dist .gpu bench package.json   (about $(du -shc dist .gpu 2>/dev/null | tail -n 1 | cut -f1)), untar there
  (with the device tool: carry ["dist", ".gpu"]; bench/ and package.json are tracked files)
Then run there, from the project root:
  bash bench/gpu/run.sh --smoke    # ~1 minute: driver, adapter, every kernel once against the CPU backend
  bash bench/gpu/run.sh            # the smoke, then the full run (under 7 minutes; BROX_GPU_BUDGET=400 s)
Results: bench/results/gpu-<date>-<adapter>.json and .md (also copied into \$OUT when set).
MSG
