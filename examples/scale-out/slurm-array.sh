#!/usr/bin/env bash
# slurm-array.sh - the map step of map-reduce.sh as a Slurm job array, and the reduce step as a
# job that waits for it. tests/slow/slurm runs it on a private one-node Slurm cluster (slow tier;
# tests/cli/test_link.sh runs map-reduce.sh, the same steps without Slurm). Adjust the
# partition, time and paths to your cluster.
#
#   ls -1 /data/news/*.warc.gz > files.txt        # one input per line
#   N=64 sbatch --array=0-63 examples/scale-out/slurm-array.sh files.txt shards/
#   sbatch --dependency=afterok:<array job id> --wrap 'quotetrail link shards/ --db news.db'
#
# Task k extracts every N-th file of the list from the k-th on into shards/shard-k.jsonl.gz.
# Only the shards (a few KB per article) travel to the machine that links them.
#SBATCH --job-name=qt-extract
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=02:00:00
#SBATCH --output=qt-extract-%A_%a.log
set -euo pipefail
list=${1:?usage: slurm-array.sh FILE_LIST SHARD_DIR}
out=${2:?usage: slurm-array.sh FILE_LIST SHARD_DIR}
n=${N:-${SLURM_ARRAY_TASK_COUNT:?set N or run as an array}}
k=${SLURM_ARRAY_TASK_ID:?run as a job array}
mkdir -p "$out"
awk -v n="$n" -v k="$k" '(NR - 1) % n == k' "$list" >"$out/shard-$k.list"
# Written under a temporary name, renamed when whole: link never reads half a shard.
xargs -d '\n' quotetrail extract --json --fingerprints -j "${SLURM_CPUS_PER_TASK:-1}" \
    <"$out/shard-$k.list" | gzip >"$out/.shard-$k.jsonl.gz.part"
mv "$out/.shard-$k.jsonl.gz.part" "$out/shard-$k.jsonl.gz"
