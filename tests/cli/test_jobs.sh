# test_jobs.sh - `-j N` changes how many threads analyse, never what comes out: extract prints
# the same bytes and ingest stores the same quotes, in input order, for every N.
#
# usage: bash tests/cli/test_jobs.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# More articles than one batch holds, so batches and threads both come into play.
for i in $(seq 1 150); do
    printf '{"id":"a%d","text":"Headline %d\\n\\n\\"We are ready,\\" Ada Quill said. She told the Harbor Gazette: \\"Number %d is next.\\""}\n' "$i" "$i" "$i"
done > many.jsonl

run "$QT" extract --json -j 1 many.jsonl "$EX"
check "extract -j 1: exit 0" rc_is 0
cp "$T/out" one.json
for n in 2 3 8; do
    run "$QT" extract --json -j "$n" many.jsonl "$EX"
    check "extract -j $n: exit 0" rc_is 0
    check "extract -j $n: the same bytes as -j 1" cmp -s "$T/out" one.json
done
run "$QT" extract -j 3 "$EX/articles"
check "extract -j 3 table: exit 0" rc_is 0
check "extract -j 3 table: articles in input order" \
    bash -c "grep '^== ' '$T/out' | sed 's/ .*//' | cmp -s - <(grep '^== ' '$T/out' | sed 's/ .*//' | sort)"

run "$QT" extract -j x many.jsonl
check "extract -j x: usage error, exit 2" rc_is 2
check "extract -j x: the message says what -j wants" err_has "-j needs a number"

run "$QT" ingest --db one.db -j 1 many.jsonl "$EX"
check "ingest -j 1: exit 0" rc_is 0
run "$QT" ingest --db three.db -j 3 many.jsonl "$EX"
check "ingest -j 3: exit 0" rc_is 0
"$QT" quotes --db one.db --json > q1 2>/dev/null
"$QT" quotes --db three.db --json > q3 2>/dev/null
check "ingest -j 3 stores the same quotes, in the same order, as -j 1" \
    bash -c "[ -s q1 ] && cmp -s q1 q3"
run "$QT" ingest --db three.db -j 3 many.jsonl
check "ingest -j 3 again: nothing new" err_has "0 new"

finish
