#!/usr/bin/env bash
# map-reduce.sh - quotetrail's scale-out (DESIGN.md) in plain shell: `extract` as a map step over
# N shards of the inputs, each writing its records to a file, then `link` as the reduce step
# storing them all in one database. The map tasks here run as background jobs on this machine;
# on a cluster each one is a task of a job array (slurm-array.sh beside this file), and only the
# shard files travel to the machine that links them.
#
# usage: map-reduce.sh [-n N] [-q QUOTETRAIL] [-w WORKDIR] --db FILE INPUT...
#
# INPUT is a file or a directory (walked in sorted order, as ingest walks it). The files are
# dealt round-robin into N shards; each shard's records keep the path each file was reached by,
# so the database `link` makes equals the one `quotetrail ingest INPUT...` makes: `dups --json`
# and `clusters --json` print the same (tests/cli/test_link.sh checks it).
set -euo pipefail

n=4 qt=${QUOTETRAIL:-quotetrail} work= db=
usage() { sed -n '9p' "$0" | sed 's/^# //' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
    -n) n=$2; shift 2 ;;
    -q) qt=$2; shift 2 ;;
    -w) work=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) echo "map-reduce.sh: unknown option '$1'" >&2; usage ;;
    *) break ;;
    esac
done
[ -n "$db" ] && [ $# -gt 0 ] && [ "$n" -ge 1 ] 2>/dev/null || usage
work=${work:-$(mktemp -d "${TMPDIR:-/tmp}/qt-shards.XXXXXX")}
mkdir -p "$work"

# The file list, in the order ingest would read it: arguments in turn, a directory's files
# sorted by path (LC_ALL=C: byte order, as the reader sorts).
list=$work/files
: >"$list"
for a in "$@"; do
    if [ -d "$a" ]; then
        find "${a%/}" -type f \( -name '*.txt' -o -name '*.jsonl' -o -name '*.html' -o -name '*.htm' \
            -o -name '*.warc' -o -name '*.gz' \) ! -path '*/.*' | LC_ALL=C sort >>"$list"
    else
        echo "$a" >>"$list"
    fi
done

# Map: shard k takes every n-th file from the k-th on; one extract per shard.
pids=()
for ((k = 0; k < n; k++)); do
    awk -v n="$n" -v k="$k" '(NR - 1) % n == k' "$list" >"$work/shard-$k.list"
    [ -s "$work/shard-$k.list" ] || continue
    xargs -d '\n' "$qt" extract --json --fingerprints -j 1 <"$work/shard-$k.list" \
        | gzip >"$work/shard-$k.jsonl.gz" &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=3; done

# Reduce: every shard into one database.
"$qt" link "$work"/shard-*.jsonl.gz --db "$db" || status=$?
exit "$status"
