#!/usr/bin/env bash
# Real GPU numbers for brox in one command. On the GPU machine, from the repo root, with dist/, .gpu/,
# bench/ and package.json copied there (bench/gpu/prepare.sh builds them on the build machine):
#
#     bash bench/gpu/run.sh
#
# Steps, each under `timeout`, all within BROX_GPU_BUDGET seconds (default 510, under 9 minutes):
#   probe   node dist/bench.js, tiny, to read the adapter (a software or missing adapter stops the
#           brox steps unless BROX_GPU_ALLOW_SOFTWARE=1: its timings are not GPU timings)
#   bench   node dist/bench.js --json --tune --backends webgpu --dims D --samples N --steps 0, per d (no BPM loop)
#   loop    node dist/bench.js --json --tune --backends webgpu --dims 10 --samples 4096 --steps 100
#           (the BPM loop runs 2^20 samples per step on a GPU unless --loop-samples; --samples 4096
#           keeps that run's one-call rows cheap)
#   peers   python3 bench/peers/peers.py --json: torch and jax per d at the same N, numpy at its
#           default N (CPU); a peer that fails or is missing is recorded, the run goes on
# then python3 bench/gpu/report.py merges everything into bench/results/gpu-<date>-<adapter>.{json,md}
# (also copied into $OUT when that names a directory, as on the device tool).
#
# Environment (all optional):
#   BROX_GPU_DIMS="2 10 100 1000"   dimensions
#   BROX_GPU_SAMPLES=N              samples per call at every d (overrides the per-d values)
#   BROX_GPU_SAMPLES_<d>=N          per d; defaults 2^28 (d <= 10), 2^25 (d <= 100), 2^22 (above)
#   BROX_GPU_STEPS=100              BPM loop steps (0: no loop step)
#   BROX_GPU_PEERS="torch jax numpy"  peers to run ("" for none)
#   BROX_GPU_BUDGET=510             seconds for the whole run; BROX_GPU_STEP_TIMEOUT=150 per step
#   BROX_GPU_ALLOW_SOFTWARE=1       measure even on a software adapter (SwiftShader dry runs)
#   BROX_GPU_RESULTS=bench/results  where the report lands; BROX_GPU_KEEP_RAW=1 keeps the raw files
#   BROX_GPU_SETUP=1                source .gpu/setup.sh even when node is already on PATH
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
start=$SECONDS

budget=${BROX_GPU_BUDGET:-510}
step_max=${BROX_GPU_STEP_TIMEOUT:-150}
dims=${BROX_GPU_DIMS:-2 10 100 1000}
loop_steps=${BROX_GPU_STEPS:-100}
peers=${BROX_GPU_PEERS-torch jax numpy}
results=${BROX_GPU_RESULTS:-bench/results}
deadline=$((start + budget))
for d in $dims; do [[ "$d" =~ ^[0-9]+$ ]] || { echo "run.sh: BROX_GPU_DIMS must be positive integers, got '$dims'" >&2; exit 2; }; done
say() { echo "[brox gpu $(date +%H:%M:%S) +$((SECONDS - start))s] $*" >&2; }

sourced=0
gpu_setup() {
  say "source .gpu/setup.sh"
  # shellcheck disable=SC1091
  source .gpu/setup.sh || say "setup.sh ended with status $? (going on)"
  sourced=1
}
if [ "${BROX_GPU_SETUP:-0}" = 1 ] || ! command -v node >/dev/null 2>&1; then
  [ -f .gpu/setup.sh ] || { echo "run.sh: no node on PATH and no .gpu/setup.sh here: run bench/gpu/prepare.sh on the build machine and copy .gpu/ over" >&2; exit 1; }
  gpu_setup
fi
[ -f dist/bench.js ] || { echo "run.sh: dist/bench.js missing: run bench/gpu/prepare.sh on the build machine and copy dist/ over" >&2; exit 1; }
have_python=0; command -v python3 >/dev/null 2>&1 && have_python=1
have_timeout=0; command -v timeout >/dev/null 2>&1 && have_timeout=1

samples_for() { # d -> samples per call
  local d=$1 v
  v=${BROX_GPU_SAMPLES:-}
  [ -n "$v" ] && { echo "$v"; return; }
  v=$(eval "echo \${BROX_GPU_SAMPLES_$d:-}")
  [ -n "$v" ] && { echo "$v"; return; }
  if [ "$d" -le 10 ]; then echo $((1 << 28)); elif [ "$d" -le 100 ]; then echo $((1 << 25)); else echo $((1 << 22)); fi
}

mkdir -p "$results"
work="$results/gpu-raw-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$work"
printf 'kind\tbackend\td\tsamples\tsteps\trc\tsecs\tout\terr\tnote\n' > "$work/steps.tsv"
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$work/steps.tsv"; }

# step KIND BACKEND D SAMPLES STEPS -- command...: runs it under the time left (at most $step_max or
# $STEP_MAX when set), records it in steps.tsv; returns its status
step() {
  local kind=$1 backend=$2 d=$3 samples=$4 steps=$5; shift 6
  local name="$kind-$backend-d${d//,/_}" step_max=${STEP_MAX:-$step_max}
  local left=$((deadline - SECONDS - 20)) # 20 s kept for the report
  if [ "$left" -lt 10 ]; then
    say "$name: skipped (time budget spent)"
    record "$kind" "$backend" "$d" "$samples" "$steps" "" "" "" "" "skipped: time budget spent"
    return 125
  fi
  local t=$((left < step_max ? left : step_max)) t0=$SECONDS rc
  say "$name (timeout ${t}s): $*"
  if [ "$have_timeout" = 1 ]; then timeout -k 10 "$t" "$@" > "$work/$name.json" 2> "$work/$name.err"; rc=$?
  else "$@" > "$work/$name.json" 2> "$work/$name.err"; rc=$?; fi
  [ "$rc" = 0 ] || say "$name: exit $rc: $(grep -v XDG_RUNTIME_DIR "$work/$name.err" | tail -n 2 | tr '\n' ' ')"
  record "$kind" "$backend" "$d" "$samples" "$steps" "$rc" "$((SECONDS - t0))" "$name.json" "$name.err" ""
  return "$rc"
}
skip() { record "$1" "$2" "$3" "$4" "$5" "" "" "" "" "$6"; say "$1 $2 d=$3: $6"; }

# 1. the adapter: a software one (SwiftShader) would take hours at these sample counts
brox_ok=1
probe() { # $1: backend label -> $kind: hardware | software | none | unknown
  STEP_MAX=60 step probe "$1" 2 4096 1 -- node dist/bench.js --json --backends webgpu --dims 2 --samples 4096 --repeats 1 --steps 0
  kind=$(node -e '
    const s = require("fs").readFileSync(process.argv[1], "utf8"); const i = s.indexOf("{");
    try { const a = JSON.parse(s.slice(i)).adapter; console.log(!a ? "none" : a.software ? "software" : "hardware");
          process.stderr.write("adapter: " + (a ? [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(" / ") : "none") + "\n"); }
    catch { console.log("unknown"); }' "$work/probe-$1-d2.json")
  say "adapter kind: $kind"
}
probe webgpu
if [ "$kind" != hardware ] && [ "$sourced" = 0 ] && [ -f .gpu/setup.sh ] && command -v nvidia-smi >/dev/null 2>&1; then
  gpu_setup # node was on PATH, but the Vulkan loader / NVIDIA ICD may come only from .gpu/
  probe webgpu-after-setup
fi
run_brox=1
if [ "$kind" != hardware ] && [ "${BROX_GPU_ALLOW_SOFTWARE:-0}" != 1 ]; then
  run_brox=0; brox_ok=0
  say "no hardware WebGPU adapter ($kind): brox steps skipped (BROX_GPU_ALLOW_SOFTWARE=1 measures anyway)"
fi

# 2. brox per d (tuned), 3. the BPM loop at d = 10
for d in $dims; do
  n=$(samples_for "$d")
  if [ "$run_brox" = 1 ]; then
    step bench webgpu "$d" "$n" 1 -- node dist/bench.js --json --tune --backends webgpu --dims "$d" --samples "$n" --steps 0 || brox_ok=0
  else skip bench webgpu "$d" "$n" 1 "skipped: no hardware adapter ($kind)"; fi
done
if [ "$loop_steps" -gt 0 ]; then
  if [ "$run_brox" = 1 ]; then
    step loop webgpu 10 "" "$loop_steps" -- node dist/bench.js --json --tune --backends webgpu --dims 10 --samples 4096 --steps "$loop_steps" || brox_ok=0
  else skip loop webgpu 10 "" "$loop_steps" "skipped: no hardware adapter ($kind)"; fi
fi

# 4. peers: torch and jax at the same d and N; numpy (CPU) at its default N. Failures are recorded.
all_dims=$(echo $dims | tr ' ' ',')
for b in $peers; do
  if [ "$have_python" = 0 ]; then skip peers "$b" "$all_dims" "" "" "skipped: python3 not found"; continue; fi
  if [ "$b" = numpy ]; then
    step peers numpy "$all_dims" "" "" -- python3 bench/peers/peers.py --json --backends numpy --dims "$all_dims"
    continue
  fi
  gone=""
  for d in $dims; do
    n=$(samples_for "$d")
    if [ -n "$gone" ]; then skip peers "$b" "$d" "$n" "" "skipped: $gone"; continue; fi
    step peers "$b" "$d" "$n" "" -- python3 bench/peers/peers.py --json --backends "$b" --dims "$d" --samples "$n"
    rc=$?
    if grep -q '"skipped"' "$work/peers-$b-d$d.json" 2>/dev/null; then gone="not installed"
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then gone="timed out at a smaller d"; fi
  done
done

# 5. the report
if [ "$have_python" = 0 ]; then
  say "python3 not found: no report; raw outputs in $work"
  [ -n "${OUT:-}" ] && [ -d "${OUT:-}" ] && cp -r "$work" "$OUT/"
  exit 1
fi
settings=(--setting "dims=$all_dims" --setting "loop steps=$loop_steps" --setting "budget=${budget}s")
for d in $dims; do settings+=(--setting "samples at d $d=$(samples_for "$d")"); done
if files=$(python3 bench/gpu/report.py --work "$work" --out-dir "$results" "${settings[@]}"); then
  say "report written in $((SECONDS - start)) s:"
  echo "$files"
  [ -n "${OUT:-}" ] && [ -d "${OUT:-}" ] && cp $files "$OUT/"
  [ "${BROX_GPU_KEEP_RAW:-0}" = 1 ] || rm -rf "$work"
  md=$(echo "$files" | sed -n 2p)
  sed -n '/^## Targets/,/^## BPM/p' "$md" | sed '$d'
else
  say "report.py failed; raw outputs kept in $work"
  [ -n "${OUT:-}" ] && [ -d "${OUT:-}" ] && cp -r "$work" "$OUT/"
  exit 1
fi
[ "$brox_ok" = 1 ] || { say "some brox steps failed or were skipped (see the report)"; exit 1; }
