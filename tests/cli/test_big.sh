# test_big.sh - a 100 MB article on one line: extract and ingest must finish without a crash,
# exit 0 (or fail with a clear message, never a signal), and keep stdout and stderr apart.
#
# The file is one line of plain prose with a quotation at each end, so the work is reading,
# scanning and storing 100 MB, not attributing millions of quotes. It takes about 2 s per command
# on a plain build and 6 s under AddressSanitizer; each run is capped at 120 s. QT_BIG_MB sets
# another size (e.g. QT_BIG_MB=10 for a quick run).
#
# usage: bash tests/cli/test_big.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

MB=${QT_BIG_MB:-100}
LIMIT=120
# past the default article-bytes (4M): this test is about analysing a big article, not refusing it
BIG_LIMIT="--limit article-bytes=$((MB + 1))M"

if ! have python3; then
    skip "a ${MB} MB single-line article" "python3 not installed"
    finish
    exit
fi

python3 - "$MB" <<'EOF'
import sys
n = int(sys.argv[1]) << 20
head = "“We will decide soon,” Ana Lima said. ".encode()
tail = " “Done at last,” Ana Lima said.".encode()
unit = b"the council met again and nothing was decided about the road plan. "
body = unit * ((n - len(head) - len(tail)) // len(unit) + 1)
with open("big.txt", "wb") as f:
    f.write(head + body[: n - len(head) - len(tail)] + tail)
EOF
check "the fixture is ${MB} MB on one line" \
    eval '[ "$(wc -c <big.txt)" -eq $((MB << 20)) ] && [ "$(wc -l <big.txt)" -eq 0 ]'

# timed COMMAND...: run() under a time limit; sets SECS.
timed()
{
    local t0=$SECONDS
    if have timeout; then run timeout "$LIMIT" "$@"; else run "$@"; fi
    SECS=$((SECONDS - t0))
}

# The status must be 0, or 2/3 with a message: never a signal (>= 124: timeout or crash).
clean_exit() { rc_is 0 || { { rc_is 2 || rc_is 3; } && [ -s "$T/err" ]; }; }

timed "$QT" extract --json $BIG_LIMIT big.txt
check "extract on ${MB} MB exits cleanly (status $RC, ${SECS}s)" eval 'clean_exit && no_crash'
if rc_is 0; then
    check "the record is one valid JSON line" \
        eval '[ "$(lines "$T/out")" = 1 ] && json_lines "$T/out"'
    check "the quotes at both ends are found" \
        eval 'out_has "We will decide soon" && out_has "Done at last"'
    check "stderr stays empty" err_empty
    check "the record's hash is 32 hex digits" grep -q '"hash":"[0-9a-f]\{32\}"' "$T/out"
fi

timed "$QT" extract $BIG_LIMIT big.txt
check "the table for ${MB} MB exits cleanly (${SECS}s) with a clipped title" \
    eval 'clean_exit && no_crash && [ "$(head -n 1 "$T/out" | wc -c)" -lt 400 ]'

timed "$QT" ingest --db big.db $BIG_LIMIT big.txt
check "ingest of ${MB} MB exits cleanly (status $RC, ${SECS}s)" eval 'clean_exit && no_crash'
check "ingest prints nothing on stdout" out_empty
if rc_is 0; then
    run "$QT" quotes --db big.db --speaker lima --json
    check "its quotes can be queried" eval 'rc_is 0 && [ "$(lines "$T/out")" -ge 1 ]'
    timed "$QT" ingest --db big.db $BIG_LIMIT big.txt
    check "ingesting it again skips it quickly (${SECS}s)" \
        eval 'rc_is 0 && grep -q "1 already stored" "$T/err"'
fi

finish
