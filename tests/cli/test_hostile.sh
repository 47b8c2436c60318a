# test_hostile.sh - every subcommand over a hostile-input corpus: invalid and overlong UTF-8,
# surrogates, NULs, lone BOMs, 10^6 quote marks, 10^5 nested quotes, 10^5-deep HTML, huge
# attributes, a 50 MB single line, gzip bombs, truncated gzip, WARC records with lying
# Content-Lengths, deeply nested and broken JSON, binary noise, a symlink loop, hostile shards for
# `link` and hostile command lines. The corpus is written by qt_hostile_gen (tests/hostile/gen.c,
# built beside quotetrail) into the test's temporary directory.
#
# Each run must: end without a signal (exit status < 128; a sanitizer report aborts, so it is
# caught too) and within TIMEOUT seconds, exit with a status its --help documents, say something
# on stderr when it refused an input, print JSON lines that parse when --json was given, and peak
# below QT_HOSTILE_MEM_MB (default 200) of resident memory. The memory check is skipped in a
# sanitizer build. Only runs with limits raised on purpose, and the one ingest of the whole corpus
# (see there), have a bound of their own.
#
# usage: bash tests/cli/test_hostile.sh PATH_TO_quotetrail   (QT_SRC = repo root)
#        QT_HOSTILE_BIG_MB=N sets the single line's size (default 50)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

GEN=$(dirname "$QT")/qt_hostile_gen
TIMEOUT=${QT_HOSTILE_TIMEOUT:-60}
MEM_MB=${QT_HOSTILE_MEM_MB:-200}

if [ ! -x "$GEN" ]; then
    fail "qt_hostile_gen is built beside $QT"
    finish
    exit
fi
check "the corpus is generated" "$GEN" c --big-mb "${QT_HOSTILE_BIG_MB:-50}"

# A sanitizer build: memory figures mean nothing there.
SANITIZED=0
if grep -aq '__asan_init\|__ubsan_handle' "$QT" || [ -n "${QT_HOSTILE_NO_MEM:-}" ]; then
    SANITIZED=1
fi
have timeout || timeout() { shift; "$@"; }
MEASURE=()
[ -x /usr/bin/time ] && [ "$SANITIZED" = 0 ] && MEASURE=(/usr/bin/time -f %M -o "$T/mem")


# hrun WHAT ALLOWED ARGS...: run quotetrail ARGS under the time limit (and memory measure), then
# check the status is in ALLOWED (a space-separated list) and is not a signal, a refusal has a
# message, and peak memory is in bounds. Leaves $T/out and $T/err as run() does.
hrun()
{
    local what=$1 allowed=$2
    shift 2
    rm -f "$T/mem"
    run timeout -k 5 "$TIMEOUT" "${MEASURE[@]}" "$QT" "$@"
    local bad=
    if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
        bad="timed out after ${TIMEOUT}s"
    elif [ "$RC" -ge 128 ]; then
        bad="killed by signal $((RC - 128))"
    elif ! no_crash; then
        bad="sanitizer or crash report on stderr"
    elif [[ " $allowed " != *" $RC "* ]]; then
        bad="exit status $RC not in {$allowed}"
    elif [ "$RC" -ne 0 ] && [ "$RC" -ne 1 ] && err_empty; then
        bad="exit status $RC with nothing on stderr"
    fi
    if [ -n "$bad" ]; then
        fail "$what: $bad"
        return 1
    fi
    if [ -s "$T/mem" ]; then
        local kb
        kb=$(tail -n 1 "$T/mem")
        if [ "$kb" -gt $((MEM_MB * 1024)) ]; then
            fail "$what: peak memory $((kb / 1024)) MB > $MEM_MB MB"
            return 1
        fi
    fi
    return 0
}

# json_out WHAT: every stdout line is JSON (nothing printed is fine).
json_out()
{
    [ -s "$T/out" ] || return 0
    # jq, not json_lines: a python start per run would double the test's time
    if jq . "$T/out" >/dev/null 2>"$T/jerr"; then return 0; fi
    cp "$T/jerr" "$T/err"
    fail "$1: stdout is not JSON lines"
    return 1
}

# ---- extract: each file --------------------------------------------------------------------------

# A symlink loop and a dangling link: directory walks must end and report.
ln -s . c/txt/loop
ln -s ../txt c/jsonl/up
ln -s missing c/txt/dangling.txt
# Unreadable (means nothing to root).
if [ "$(id -u)" -ne 0 ]; then
    printf 'x\n' >c/txt/unreadable.txt
    chmod 000 c/txt/unreadable.txt
fi

# The cheap inputs, every mode each.
LIGHT=(c/txt c/jsonl c/html c/warc c/gz)
n_files=0
n_ok=0
while IFS= read -r f; do
    n_files=$((n_files + 1))
    name=${f#c/}
    good=1
    # 0 read, 2 nothing readable, 3 some failed
    hrun "extract $name" "0 2 3" extract -j 1 "$f" || good=0
    hrun "extract --json $name" "0 2 3" extract --json -j 2 "$f" && json_out "extract --json $name" || good=0
    hrun "extract --json --with-text --fingerprints $name" "0 2 3" \
        extract --json --with-text --fingerprints -j 2 "$f" &&
        json_out "extract --json --with-text --fingerprints $name" || good=0
    [ "$good" = 1 ] && n_ok=$((n_ok + 1))
done < <(find "${LIGHT[@]}" -type f | LC_ALL=C sort)
check "extract: all $n_files light hostile files survived every mode ($n_ok ok)" [ "$n_ok" -eq "$n_files" ]

# json_ends: the first and last stdout lines are JSON (outputs of 100+ MB take too long whole).
json_ends()
{
    [ -s "$T/out" ] || return 0
    head -n 1 "$T/out" >"$T/ends"
    tail -n 1 "$T/out" >>"$T/ends"
    if jq . "$T/ends" >/dev/null 2>"$T/jerr"; then return 0; fi
    cp "$T/jerr" "$T/err"
    fail "$1: stdout is not JSON lines"
    return 1
}

# The costly ones (seconds each), once: JSON with fingerprints, the most work per article.
while IFS= read -r f; do
    name=${f#c/}
    hrun "extract --json --fingerprints $name" "0 2 3" extract --json --fingerprints -j 2 "$f" &&
        json_ends "extract --json --fingerprints $name" && ok "extract --json --fingerprints $name: exit $RC"
done < <(find c/heavy c/bomb -type f | LC_ALL=C sort)

# ---- extract: whole directories ------------------------------------------------------------------

for d in "${LIGHT[@]}"; do
    for mode in "" "--json" "--json --with-text" "--json --fingerprints"; do
        for j in 1 2; do
            what="extract $mode -j $j $d/"
            # shellcheck disable=SC2086
            hrun "$what" "0 2 3" extract $mode -j "$j" "$d" || continue
            # every directory holds something refused: exit 3, and it was said
            if ! rc_is 3; then fail "$what: some inputs refused, so exit 3"; continue; fi
            [ -n "$mode" ] && ! json_out "$what" && continue
            ok "$what"
        done
    done
done

# The big single line, as JSON (the table costs as much and shows no more).
# Past --limit article-bytes (4M): refused, naming the limit; raised, it is analysed.
if hrun "extract --json big/line.txt" "2" extract --json -j 2 c/big/line.txt; then
    check "extract --json big/line.txt: refused, naming the limit" \
        eval '[ "$(lines "$T/out")" -eq 0 ] && err_has "limit article-bytes"'
fi
# Raised limits are the user's choice of memory: only no crash and the announcements count.
mem_was=$MEM_MB
MEM_MB=4096
if hrun "extract --json big/line.txt, limit raised" "0" extract --json -j 1 \
        --limit article-bytes=64M --limit quotes=1000 c/big/line.txt; then
    check "... then one record, its title cut, the quotes past the limit announced" \
        eval '[ "$(lines "$T/out")" -eq 1 ] && [ "$(jq -r ".title | length" "$T/out")" -le 301 ] &&
              err_has "limit quotes=1000"'
fi
MEM_MB=$mem_was

# Standard input: noise and a bomb through a pipe (a pipe cannot be measured before reading).
run timeout "$TIMEOUT" "$QT" extract - <c/txt/noise.txt
check "extract - <noise: refused with a message, exit 2" eval 'rc_is 2 && ! err_empty && no_crash'
run timeout "$TIMEOUT" "$QT" extract --json - <c/bomb/bomb_quotes.txt.gz
check "extract - <gzip bomb: no signal, exit 2 or 3, a message" \
    eval '[ "$RC" -eq 2 ] || [ "$RC" -eq 3 ] && ! err_empty && no_crash'

# ---- ingest, then every query --------------------------------------------------------------------

# Everything: the limits refuse what is too big and keep at most --limit quotes per article.
# Bound 256 MB, not MEM_MB: one run over every huge input keeps ~80 MB more resident than its
# largest input needs alone (each input alone stays under MEM_MB, checked above) - freed
# memory that glibc does not hand back whole; known, listed in the issue's closing note.
mem_was=$MEM_MB
MEM_MB=256
hrun "ingest all" "0 3" ingest --db h.db -j 2 "${LIGHT[@]}" c/bomb c/heavy c/big &&
    ok "ingest the corpus: exit $RC"
MEM_MB=$mem_was
check "ingest: said which inputs failed" err_has 'error'
hrun "ingest again" "0 2 3" ingest --db h.db -j 1 "${LIGHT[@]}" && ok "ingest again: exit $RC"
hrun "ingest --reprocess" "0 2 3" ingest --db h.db --reprocess && ok "ingest --reprocess: exit $RC"
hrun "ingest garbage db" "2 3" ingest --db c/txt/noise.txt c/jsonl/crlf.jsonl &&
    ok "ingest into a file that is not a database: exit $RC, said so"
hrun "ingest into a directory" "2 3" ingest --db c c/jsonl/crlf.jsonl &&
    ok "ingest --db DIR: exit $RC, said so"

# query CMD ARGS...: the command on h.db, as a table and as JSON.
query()
{
    local c=$1
    shift
    hrun "$c $*" "0 1" "$c" --db h.db "$@" && ok "$c $*: exit $RC"
    hrun "$c --json $*" "0 1" "$c" --db h.db --json "$@" && json_out "$c --json $*" &&
        ok "$c --json $*: exit $RC, JSON lines"
}
query quotes
query quotes --speaker 'Ana Lima'
query quotes --speaker ''
query quotes --search '"'
query quotes --search 'AND OR NOT NEAR( * ^ "'
query quotes --search $'\xff\xc0\xaf'
query quotes --venue "$(printf '%*s' 5000 '' | tr ' ' x)"
query people
query people $'\xed\xa0\x80'
query people --kind organisation
query articles
query dups
query dups --min 0.01
query dups --min 1 --estimates-only
query clusters
query stories
query stories --min-size 1000000
query stories --by quotes
query trace rebuild
query trace '"'
query trace $'\xe2\x80\x9c'
query trace 'NEAR(a b) * OR'
query trace "$(printf 'w%.0s ' $(seq 1 500))"

# Query commands on things that are not a database.
for c in quotes people articles dups clusters stories; do
    hrun "$c on noise" "2" "$c" --db c/txt/noise.txt && ok "$c --db NOISE: exit 2, said so"
    hrun "$c on missing" "2" "$c" --db nope.db && ok "$c --db MISSING: exit 2, said so"
done
hrun "trace on noise" "2" trace --db c/txt/noise.txt x && ok "trace --db NOISE: exit 2, said so"

# ---- link ----------------------------------------------------------------------------------------

mkdir -p shards
printf '{"id":"s1","published":"2024-05-01","text":"Shard\\n\\n\\u201cWe will rebuild the wall,\\u201d Ana Lima said."}\n' >s.jsonl
"$QT" extract --json --fingerprints --with-text s.jsonl >base.json 2>/dev/null
check "link: a base record to break" json_lines base.json
# break JQ NAME: one shard line per broken variant of the base record.
brk() { jq -c "$1" base.json >>shards/broken.jsonl 2>/dev/null || true; }
for k in $(jq -r 'keys[]' base.json); do
    for v in null 0 -1 1e308 '"x"' '[]' '{}' 99999999999999999999 '"\u0000"'; do
        brk ".[\"$k\"] = $v"
    done
    brk "del(.[\"$k\"])"
done
for v in null -1 1e12 '"x"' 0.5; do
    brk ".quotes[0].start = $v"
    brk ".quotes[0].end = $v"
    brk ".quotes |= map(.start = $v)"
done
brk '.quotes = [range(0; 2000) | {}]'
brk '.quotes = ([.quotes[0]] * 3000)'
brk '.text = ""'
brk '.fingerprints = {}'
brk '.fingerprint = (.fingerprint // {} | map_values("zz"))'
brk '.. |= (if type == "string" then . + "\ud800" else . end)'
brk '.. |= (if type == "number" then -. else . end)'
brk '.. |= (if type == "array" then [] else . end)'
brk '.. |= (if type == "string" then "" else . end)'
check "link: $(lines shards/broken.jsonl) broken records written" [ "$(lines shards/broken.jsonl)" -gt 50 ]
hrun "link broken shards" "0 2 3" link --db l.db shards/broken.jsonl && ok "link broken records: exit $RC"
hrun "link broken shards again" "0 2 3" link --db l.db shards/broken.jsonl &&
    ok "link broken records twice: exit $RC"
query_l() { hrun "$1 after link" "0 1" "$1" --db l.db --json && json_out "$1 after link" && ok "$1 --json after link: exit $RC"; }
for c in quotes people articles dups clusters stories; do query_l "$c"; done
for f in c/jsonl/*.jsonl c/txt/noise.txt c/bomb/bomb.jsonl.gz c/gz/trunc.jsonl.gz c/gz/corrupt.jsonl.gz; do
    hrun "link ${f#c/}" "0 2 3" link --db l2.db "$f" && ok "link ${f#c/}: exit $RC"
done
hrun "link dir" "0 2 3" link --db l2.db c/jsonl && ok "link c/jsonl/: exit $RC"
hrun "link big" "0 2 3" link --db l2.db c/big/line.txt && ok "link a 50 MB line: exit $RC"

# ---- hostile command lines -----------------------------------------------------------------------

# argv CMD...: a usage error, exit 2, with a message.
argv() { hrun "argv: $*" "2" "$@" && ok "argv '$*': exit 2, said so"; }
argv extract
argv extract -j
argv extract -j ''
argv extract -j -1 c/jsonl/crlf.jsonl
argv extract -j 99999999999999999999999 c/jsonl/crlf.jsonl
argv extract -j 1x c/jsonl/crlf.jsonl
argv extract --bogus c/jsonl/crlf.jsonl
argv extract ''
argv extract --json=1 c/jsonl/crlf.jsonl
argv ingest --db
argv ingest --db '' c/jsonl/crlf.jsonl
argv ingest -j 99999999999999999999999 c/jsonl/crlf.jsonl
argv dups --db h.db --min
argv dups --db h.db --min ''
argv dups --db h.db --min nan
argv dups --db h.db --min inf
argv dups --db h.db --min -0
argv dups --db h.db --min 1e309
argv dups --db h.db --min 2
argv dups --db h.db --min 0x1p-2000
argv stories --db h.db --min-size
hrun "argv: --min-size 10^23" "1 2" stories --db h.db --min-size 99999999999999999999999 &&
    ok "stories --min-size 10^23: exit $RC"
hrun "argv: -j 0 (default)" "0 3" extract -j 0 c/jsonl/crlf.jsonl && ok "extract -j 0: exit $RC"
argv stories --db h.db --min-size -1
argv stories --db h.db --by ''
argv stories --db h.db --by dups,,quotes
argv stories --db h.db --by nothing
argv people --db h.db --kind ''
argv people --db h.db --kind robot
argv quotes --db h.db --speaker
argv quotes --db h.db --bogus
argv trace --db h.db
argv trace --db h.db --json
argv link
argv link --db
argv articles --db h.db extra
argv clusters --db h.db --json --json2
argv nosuchcommand
argv ''
hrun "argv: -j 64 (capped, not refused)" "0 2 3" extract -j 64 c/jsonl/crlf.jsonl && ok "extract -j 64: exit $RC"
hrun "argv: a 100 KB argument" "0 1 2" quotes --db h.db --speaker "$(printf '%*s' 100000 '' | tr ' ' a)" &&
    ok "quotes --speaker 100KB: exit $RC"

finish
