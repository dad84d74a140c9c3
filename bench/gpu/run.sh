#!/usr/bin/env bash
# Real GPU numbers for brox. On the GPU machine, from the repository root, with dist/ and .gpu/
# there (bench/gpu/prepare.sh makes both on the build machine):
#
#     bash bench/gpu/run.sh --smoke     # ~1 minute: driver, adapter, every kernel once (checked
#                                       # against the CPU backend), a resident loop, peers' devices
#     bash bench/gpu/run.sh             # the smoke, then (only if it passed) the full run, < 7 min
#
# Steps, each under `timeout`, all within BROX_GPU_BUDGET seconds (default 400):
#   discover  every Vulkan ICD file in the usual places (and VK_DRIVER_FILES / VK_ICD_FILENAMES
#             when set) is tried in turn with `node dist/gpu.js` (adapter only); the first hardware
#             adapter wins and its ICD is printed. None: a loud failure with every attempt's loader
#             and Dawn messages; a software adapter is refused unless BROX_GPU_ALLOW_SOFTWARE=1.
#   smoke     node dist/gpu.js --smoke; python3 bench/peers/peers.py --check (torch/jax see a GPU?)
#   bench     node dist/bench.js --json --tune --backends webgpu --dims D --samples N --steps 0, per d
#   loop      node dist/bench.js ... --dims 10 --samples 4096 --steps 100 (100 BPM steps of 2^20)
#   user      node dist/gpu.js --user: minimize() per method to a target at d = 10 and 100, WebGPU
#             vs brox's CPU backend vs scipy; bpm() GPU-resident vs step by step; round trips
#   peers     python3 bench/peers/peers.py per d (torch, jax: skipped with the reason when they
#             see no GPU), numpy (CPU) at its own N
# then python3 bench/gpu/report.py merges everything into bench/results/gpu-<date>-<adapter>.{json,md}
# (also copied into $OUT when that names a directory, as on the device tool). The kernel tuning is
# measured once (BROX_TUNE_CACHE) and shared by every step. Raw logs are kept whenever a step failed.
#
# Environment (all optional):
#   BROX_GPU_DIMS="2 10 100 1000"   dimensions of the one-call bench
#   BROX_GPU_SAMPLES=N              samples per call at every d (overrides the per-d values)
#   BROX_GPU_SAMPLES_<d>=N          per d; defaults 2^28 (d <= 10), 2^25 (d <= 100), 2^22 (above)
#   BROX_GPU_STEPS=100              BPM loop steps (0: no loop step)
#   BROX_GPU_USER_DIMS="10 100"     dimensions of the minimize() timings ("" for none)
#   BROX_GPU_USER_BUDGET=150        seconds for them; BROX_GPU_USER_CAP=3 seconds per run (d >= 100: twice)
#   BROX_GPU_USER_METHODS=          methods timed (comma-separated; default every registered one)
#   BROX_GPU_PEERS="torch jax numpy"  peers to run ("" for none)
#   BROX_GPU_BUDGET=400             seconds for the whole run; BROX_GPU_STEP_TIMEOUT=120 per step
#   BROX_GPU_ALLOW_SOFTWARE=1       measure even on a software adapter (SwiftShader dry runs, CI)
#   BROX_GPU_TINY=1                 tiny sizes everywhere (the CI dry run)
#   BROX_GPU_RESULTS=bench/results  where the report lands; BROX_GPU_KEEP_RAW=1 keeps the raw files
#   BROX_GPU_SETUP=1                source .gpu/setup.sh even when node is already on PATH
#   BROX_PYTHON=python3             the Python for peers and the report
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
start=$SECONDS
mode=full
for a in "$@"; do
  case $a in
    --smoke) mode=smoke ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$a' (allowed: --smoke, --help)" >&2; exit 2 ;;
  esac
done

tiny=${BROX_GPU_TINY:-0}
budget=${BROX_GPU_BUDGET:-400}
step_max=${BROX_GPU_STEP_TIMEOUT:-120}
dims=${BROX_GPU_DIMS-2 10 100 1000}
loop_steps=${BROX_GPU_STEPS:-100}
user_dims=${BROX_GPU_USER_DIMS-10 100}
user_budget=${BROX_GPU_USER_BUDGET:-150}
user_cap=${BROX_GPU_USER_CAP:-3}
peers=${BROX_GPU_PEERS-torch jax numpy}
results=${BROX_GPU_RESULTS:-bench/results}
python=${BROX_PYTHON:-python3}
deadline=$((start + budget))
for d in $dims $user_dims; do [[ "$d" =~ ^[0-9]+$ ]] && [ "$d" -gt 0 ] || { echo "run.sh: dimensions must be positive integers, got '$d'" >&2; exit 2; }; done
say() { echo "[brox gpu $(date +%H:%M:%S) +$((SECONDS - start))s] $*" >&2; }
loud() { # a failure nobody can miss, with what to read
  echo "" >&2; echo "######## brox gpu: FAILED: $* ########" >&2
}

sourced=0
gpu_setup() {
  say "source .gpu/setup.sh"
  # shellcheck disable=SC1091
  source .gpu/setup.sh || say "setup.sh ended with status $? (going on)"
  sourced=1
}
if [ "${BROX_GPU_SETUP:-0}" = 1 ] || ! command -v node >/dev/null 2>&1; then
  [ -f .gpu/setup.sh ] || { loud "no node on PATH and no .gpu/setup.sh here: run bench/gpu/prepare.sh on the build machine and copy .gpu/ over"; exit 1; }
  gpu_setup
fi
[ -f dist/gpu.js ] && [ -f dist/bench.js ] || { loud "dist/gpu.js or dist/bench.js missing: run bench/gpu/prepare.sh on the build machine and copy dist/ over"; exit 1; }
have_python=0; command -v "$python" >/dev/null 2>&1 && have_python=1
have_timeout=0; command -v timeout >/dev/null 2>&1 && have_timeout=1

samples_for() { # d -> samples per call
  local d=$1 v
  [ "$tiny" = 1 ] && { echo 4096; return; }
  v=${BROX_GPU_SAMPLES:-}
  [ -n "$v" ] && { echo "$v"; return; }
  v=$(eval "echo \${BROX_GPU_SAMPLES_$d:-}")
  [ -n "$v" ] && { echo "$v"; return; }
  if [ "$d" -le 10 ]; then echo $((1 << 28)); elif [ "$d" -le 100 ]; then echo $((1 << 25)); else echo $((1 << 22)); fi
}

mkdir -p "$results"
work="$results/gpu-raw-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$work"
export BROX_TUNE_CACHE="$work/tuning.json"
printf 'kind\tbackend\td\tsamples\tsteps\trc\tsecs\tout\terr\tnote\n' > "$work/steps.tsv"
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$work/steps.tsv"; }
failed=0

# step KIND BACKEND D SAMPLES STEPS -- command...: runs it under the time left (at most $step_max or
# $STEP_MAX when set), records it in steps.tsv; returns its status. NAME overrides the file name.
step() {
  local kind=$1 backend=$2 d=$3 samples=$4 steps=$5; shift 6
  local name=${NAME:-$kind-$backend-d${d//,/_}} step_max=${STEP_MAX:-$step_max}
  local left=$((deadline - SECONDS - 15)) # 15 s kept for the report
  if [ "$left" -lt 5 ]; then
    say "$name: skipped (time budget spent)"
    record "$kind" "$backend" "$d" "$samples" "$steps" "" "" "" "" "skipped: time budget spent"
    return 125
  fi
  local t=$((left < step_max ? left : step_max)) t0=$SECONDS rc
  say "$name (timeout ${t}s): $*"
  if [ "$have_timeout" = 1 ]; then timeout -k 5 "$t" "$@" > "$work/$name.json" 2> "$work/$name.err"; rc=$?
  else "$@" > "$work/$name.json" 2> "$work/$name.err"; rc=$?; fi
  if [ "$rc" != 0 ]; then
    say "$name: exit $rc; its last messages:"
    grep -v XDG_RUNTIME_DIR "$work/$name.err" | tail -n 15 | sed 's/^/    /' >&2
  fi
  record "$kind" "$backend" "$d" "$samples" "$steps" "$rc" "$((SECONDS - t0))" "$name.json" "$name.err" "${NOTE:-}"
  return "$rc"
}
skip() { record "$1" "$2" "$3" "$4" "$5" "" "" "" "" "$6"; say "$1 $2 d=$3: $6"; }

report() { # writes the report (partial or not); copies it (and the raw files when anything failed) to $OUT
  local files md
  if [ "$have_python" = 0 ]; then
    say "$python not found: no report; raw outputs in $work"
    [ -n "${OUT:-}" ] && [ -d "${OUT:-}" ] && cp -r "$work" "$OUT/"
    return 1
  fi
  settings=(--setting "mode=$mode" --setting "dims=$(echo $dims | tr ' ' ',')" --setting "loop steps=$loop_steps" --setting "budget=${budget}s" --setting "icd=${icd_used:-none}")
  for d in $dims; do settings+=(--setting "samples at d $d=$(samples_for "$d")"); done
  if files=$("$python" bench/gpu/report.py --work "$work" --out-dir "$results" "${settings[@]}"); then
    say "report written in $((SECONDS - start)) s:"
    echo "$files"
    [ -n "${OUT:-}" ] && [ -d "${OUT:-}" ] && cp $files "$OUT/"
    md=$(echo "$files" | sed -n 2p)
    sed -n '/^## Targets/,/^## One oracle/p' "$md" | sed '$d'
  else
    say "report.py failed"
    failed=1
  fi
  if [ "$failed" = 1 ] || [ "${BROX_GPU_KEEP_RAW:-0}" = 1 ]; then
    say "raw outputs kept in $work"
    # the device tool brings back files two folders down at most: one tarball
    [ -n "${OUT:-}" ] && [ -d "${OUT:-}" ] && tar czf "$OUT/gpu-raw.tgz" -C "$(dirname "$work")" "$(basename "$work")"
  else
    rm -rf "$work"
  fi
}

# 1. driver discovery: which Vulkan ICD gives Dawn a hardware adapter
icd_candidates() {
  local seen="" f
  local dv=${VK_DRIVER_FILES:-} iv=${VK_ICD_FILENAMES:-}
  for f in ${dv//:/ } ${iv//:/ } \
    /usr/local/nvidia/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json \
    /usr/local/share/vulkan/icd.d/*.json /usr/share/nvidia/*.json /etc/nvidia/*icd*.json /usr/lib/chromium/vk_swiftshader_icd.json; do
    [ -f "$f" ] || continue
    case " $seen " in *" $f "*) continue ;; esac
    seen="$seen $f"; echo "$f"
  done
}
adapter_kind() { # file -> hardware | software | none
  node -e '
    const s = require("fs").readFileSync(process.argv[1], "utf8");
    try { const j = JSON.parse(s.slice(s.indexOf("{"))); const a = j.adapter;
          console.log(!a ? "none" : a.software ? "software" : "hardware");
          process.stderr.write("    adapter: " + (a ? [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(" / ") : "none: " + (j.reason || "")) + "\n"); }
    catch { console.log("none"); }' "$1"
}
icd_used="" kind=none attempt=0 software_icd=""
try_icd() { # ICD file or "" (the loader's own search) -> sets kind
  attempt=$((attempt + 1))
  local label=${1:-loader-default}
  say "discover #$attempt: VK_DRIVER_FILES=${1:-<unset>}"
  local envs=(env -u VK_ICD_FILENAMES -u VK_DRIVER_FILES VK_LOADER_DEBUG=error,warn BROX_GPU_ALLOW_SOFTWARE=1)
  [ -n "$1" ] && envs+=("VK_DRIVER_FILES=$1")
  NAME="discover-$attempt" STEP_MAX=60 NOTE="icd=$label" step probe webgpu 2 "" "" -- "${envs[@]}" node dist/gpu.js --json
  kind=$(adapter_kind "$work/discover-$attempt.json")
  say "  -> $kind"
}
discover() {
  local f
  for f in $(icd_candidates) ""; do
    try_icd "$f"
    if [ "$kind" = hardware ]; then icd_used=${f:-loader-default}; return 0; fi
    [ "$kind" = software ] && [ -z "$software_icd" ] && software_icd=${f:-loader-default}
  done
  return 1
}
if ! discover && [ "$sourced" = 0 ] && [ -f .gpu/setup.sh ] && command -v nvidia-smi >/dev/null 2>&1; then
  gpu_setup # node was on PATH, but the Vulkan loader may come only from .gpu/
  discover
fi
if [ "$kind" != hardware ] && ls .gpu/lib/*.deb >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 && command -v nvidia-smi >/dev/null 2>&1; then
  say "no hardware adapter through LD_LIBRARY_PATH: the device notes' recipe (dpkg -x over /, ldconfig), then again"
  for f in .gpu/lib/*.deb; do dpkg -x "$f" /; done; ldconfig
  discover
fi
if [ "$kind" != hardware ]; then
  if [ -n "$software_icd" ] && [ "${BROX_GPU_ALLOW_SOFTWARE:-0}" = 1 ]; then
    icd_used=$software_icd
    say "no hardware adapter; BROX_GPU_ALLOW_SOFTWARE=1: measuring the software one ($icd_used)"
  else
    failed=1
    loud "no hardware WebGPU adapter after $attempt attempts (software one: ${software_icd:-none})"
    for f in "$work"/discover-*.err; do echo "---- $(basename "$f") (loader and Dawn messages):" >&2; grep -v XDG_RUNTIME_DIR "$f" | tail -n 25 >&2; done
    command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >&2
    report; exit 3
  fi
fi
unset VK_ICD_FILENAMES VK_DRIVER_FILES
[ "$icd_used" = loader-default ] || export VK_DRIVER_FILES=$icd_used
say "using VK_DRIVER_FILES=${VK_DRIVER_FILES:-<loader default>}"

# 2. smoke: every kernel once, checked against the CPU backend; peers' devices
NAME=smoke step smoke webgpu "2,10,100" "" "" -- node dist/gpu.js --smoke --json; smoke_rc=$?
if [ "$have_python" = 1 ]; then
  NAME=peercheck step peercheck python "" "" "" -- "$python" bench/peers/peers.py --check --backends torch,jax,numpy
  say "peers: $(cat "$work/peercheck.json" 2>/dev/null)"
fi
if [ "$smoke_rc" != 0 ]; then
  failed=1
  loud "smoke checks failed (exit $smoke_rc): the full run is not started"
  grep -E 'FAIL|uncaptured|device lost' "$work/smoke.err" | head -n 40 >&2
  report; exit 1
fi
say "smoke passed on $(grep -o 'adapter: .*' "$work/smoke.err" | head -n 1 | cut -c1-120)"
if [ "$mode" = smoke ]; then report; exit $failed; fi

# 3. the full run: a worst-case estimate first
est=$(( ${#dims} > 0 ? $(echo $dims | wc -w) * 20 : 0 ))
est=$((est + (loop_steps > 0 ? 20 : 0) + (${#user_dims} > 0 ? user_budget + 30 : 0) + $(echo $peers | wc -w) * 25 + 20))
say "full run: worst case about ${est} s by the step sizes (budget ${budget} s; BROX_GPU_BUDGET changes it)"
for d in $dims; do
  n=$(samples_for "$d")
  step bench webgpu "$d" "$n" 1 -- node dist/bench.js --json --tune --backends webgpu --dims "$d" --samples "$n" --steps 0 || failed=1
done
if [ "$loop_steps" -gt 0 ]; then
  loop_args=(--samples 4096 --steps "$loop_steps")
  [ "$tiny" = 1 ] && loop_args+=(--loop-samples 4096)
  step loop webgpu 10 "" "$loop_steps" -- node dist/bench.js --json --tune --backends webgpu --dims 10 "${loop_args[@]}" || failed=1
fi
if [ -n "$user_dims" ]; then
  user_args=(--user --json --dims "$(echo $user_dims | tr ' ' ',')" --budget-s "$user_budget" --cap-s "$user_cap")
  [ "$tiny" = 1 ] && user_args+=(--tiny)
  [ -n "${BROX_GPU_USER_METHODS:-}" ] && user_args+=(--methods "$BROX_GPU_USER_METHODS")
  NAME=user STEP_MAX=$((user_budget + 60)) step user webgpu "$(echo $user_dims | tr ' ' ',')" "" "" -- node dist/gpu.js "${user_args[@]}" || failed=1
fi

# 4. peers: torch and jax at the same d and N (only on a GPU); numpy (CPU) at its own N
all_dims=$(echo $dims | tr ' ' ',')
for b in $peers; do
  if [ "$have_python" = 0 ]; then skip peers "$b" "$all_dims" "" "" "skipped: $python not found"; continue; fi
  if [ "$b" = numpy ]; then
    step peers numpy "$all_dims" "" "" -- "$python" bench/peers/peers.py --json --backends numpy --dims "$all_dims"
    continue
  fi
  why=$("$python" -c 'import json,sys; c=json.load(open(sys.argv[1])).get(sys.argv[2], {}); print("" if c.get("ok") else c.get("why", "not checked"))' "$work/peercheck.json" "$b" 2>/dev/null || echo "device check unreadable")
  gone=${why:+skipped: $why}
  for d in $dims; do
    n=$(samples_for "$d")
    if [ -n "$gone" ]; then skip peers "$b" "$d" "$n" "" "$gone"; continue; fi
    step peers "$b" "$d" "$n" "" -- "$python" bench/peers/peers.py --json --require-gpu --backends "$b" --dims "$d" --samples "$n"
    rc=$?
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then gone="skipped: timed out at a smaller d"; fi
  done
done

report
[ "$failed" = 0 ] || { loud "some steps failed (see the report's Steps table; raw logs kept)"; exit 1; }
