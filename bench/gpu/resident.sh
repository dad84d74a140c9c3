# A prepared device check for the resident executor (run on a lent GPU machine with carry ["dist", ".gpu"]):
# the smoke, then bench:resident at d = 10 and 100 with runs: B; everything lands in $OUT.
#   bash bench/gpu/resident.sh
set -u
export BROX_GPU_RESULTS=$OUT/results BROX_GPU_KEEP_RAW=0
mkdir -p $OUT/results
# 1. smoke (driver discovery, every kernel vs CPU, every method's minimize)
bash bench/gpu/run.sh --smoke > $OUT/smoke.log 2>&1; echo "smoke rc=$?" >> $OUT/smoke.log
tail -5 $OUT/smoke.log
# 2. resident executor: every method, step by step vs resident; runs: 64 in one call vs 64 calls
source .gpu/setup.sh >/dev/null 2>&1 || true
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
unset VK_ICD_FILENAMES
timeout 200 node dist/resident.js --dims 10 --evals 65536 --runs 64 --runs-evals 16384 > $OUT/resident-d10.md 2> $OUT/resident-d10.log; echo "rc=$?" >> $OUT/resident-d10.log
cat $OUT/resident-d10.md
timeout 150 node dist/resident.js --dims 100 --evals 16384 --runs 16 --runs-evals 8192 > $OUT/resident-d100.md 2> $OUT/resident-d100.log; echo "rc=$?" >> $OUT/resident-d100.log
cat $OUT/resident-d100.md
