# test_ingest.sh - end-to-end checks of `quotetrail ingest` and `quotetrail quotes`: storing the
# examples, idempotence (a second ingest adds nothing), the --speaker / --venue / --search
# filters (accent- and case-insensitive), JSON rows, exit statuses (1 no match, 2 no database),
# --reprocess after lowering the stored engine version, and a database error mid-run leaving the
# database as it was.
#
# usage: bash tests/cli/test_ingest.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p fx
moreau_fixture fx/moreau.txt
cat >fx/noquotes.txt <<'EOF'
Tide tables for the week

High water at Port Saint-Clair is at 06:12 on Monday and 18:40 on Tuesday.
EOF

# summary_field NAME: the number before NAME in ingest's summary line on stderr ("3 new").
summary_field() { sed -n "s/^ingested .*[( ]\([0-9][0-9]*\) $1[,)].*/\1/p" "$T/err" | head -n 1; }
summary_articles() { sed -n 's/^ingested \([0-9][0-9]*\) article.*/\1/p' "$T/err" | head -n 1; }
summary_quotes() { sed -n 's/.*, \([0-9][0-9]*\) quotes\{0,1\} → .*/\1/p' "$T/err" | head -n 1; }

# ---- help and usage ----------------------------------------------------------------------------

for cmd in ingest quotes; do
    run "$QT" $cmd --help
    check "$cmd --help exits 0 with usage and an example on stdout, nothing on stderr" \
        eval 'rc_is 0 && out_has "usage: quotetrail $cmd" && out_has "Examples:" && err_empty'
    run "$QT" $cmd --frobnicate
    check "$cmd with an unknown option exits 2, naming it, with usage on stderr" \
        eval 'rc_is 2 && err_has "--frobnicate" && err_has "usage:" && out_empty'
done
run "$QT" ingest --db x.db
check "ingest with no input exits 2 and creates no database" \
    eval 'rc_is 2 && err_has "no input" && [ ! -e x.db ]'
run "$QT" ingest fx/moreau.txt --db
check "ingest --db with no file name exits 2" eval 'rc_is 2 && err_has "--db"'
run "$QT" quotes harbour
check "quotes with a stray argument exits 2 and suggests --search" \
    eval 'rc_is 2 && err_has "--search" && out_empty'

# ---- a missing database ------------------------------------------------------------------------

run "$QT" quotes --db nowhere.db
check "quotes on a missing database exits 2" rc_is 2
check "the message names the path and says to run ingest first" \
    eval 'err_has "nowhere.db" && err_has "ingest" && out_empty'
check "quotes does not create the missing database" test ! -e nowhere.db

# ---- ingest the examples, twice ----------------------------------------------------------------

n_wire=$(grep -c . "$EX/wire.jsonl")
n_ex=$((6 + n_wire))
run "$QT" ingest --db ex.db "$EX/articles" "$EX/wire.jsonl"
check "ingest of the examples exits 0" rc_is 0
check "ingest prints nothing on stdout" out_empty
check "the summary counts $n_ex articles, all new" \
    eval '[ "$(summary_articles)" = "$n_ex" ] && [ "$(summary_field new)" = "$n_ex" ] &&
          [ "$(summary_field "already stored")" = 0 ] && [ "$(summary_field reprocessed)" = 0 ]'
check "the summary names the database" err_has "→ ex.db"
n_q=$(summary_quotes)
check "the summary counts some quotes" eval '[ "${n_q:-0}" -gt 0 ]'

run "$QT" quotes --db ex.db --json
cp "$T/out" all1.jsonl
check "quotes --json exits 0 and prints nothing on stderr" eval 'rc_is 0 && err_empty'
check "quotes --json prints one line per stored quote ($n_q)" \
    eval '[ "$(lines all1.jsonl)" = "${n_q:-x}" ]'
check "every line of quotes --json is valid JSON" json_lines all1.jsonl
if have jq; then
    check "each row has the quote fields and its article" \
        jq_ok -s 'length > 0 and all(
            (.id | type == "string") and (.text | type == "string") and (.start < .end)
            and (.in == "text" or .in == "title") and has("parent") and has("speaker")
            and has("speaker_kind") and has("speaker_mention") and has("cue") and has("venue")
            and (.confidence >= 0 and .confidence <= 1)
            and (.kind == "nested") == (.parent != null)
            and (.article | (.hash | test("^[0-9a-f]{32}$")) and (.source | length > 0)
                 and has("id") and has("title") and has("published")))' all1.jsonl
    check "rows from the wire keep the caller's id and published date" \
        jq_ok -s 'map(select(.article.id == "mp-20240311-0412")) | length > 0
                  and all(.article.published != null)' all1.jsonl
    check "a nested quote's parent is the id of another stored quote" \
        jq_ok -s '(map(.id)) as $ids | map(select(.parent != null)) | all(.parent as $p | $ids | index($p))' \
        all1.jsonl
fi

run "$QT" ingest --db ex.db "$EX/articles" "$EX/wire.jsonl"
check "a second ingest of the same inputs exits 0" rc_is 0
check "the second summary says 0 new, $n_ex already stored, 0 quotes" \
    eval '[ "$(summary_field new)" = 0 ] && [ "$(summary_field "already stored")" = "$n_ex" ] &&
          [ "$(summary_quotes)" = 0 ]'
run "$QT" quotes --db ex.db --json
check "the second ingest added no quotes (quotes --json | wc -l unchanged)" \
    eval '[ "$(lines "$T/out")" = "$(lines all1.jsonl)" ]'

cp "$EX/articles/03-pitchside.txt" fx/same-text-other-name.txt
run "$QT" ingest --db ex.db fx/same-text-other-name.txt
check "the same text under another name is already stored" \
    eval 'rc_is 0 && [ "$(summary_field "already stored")" = 1 ] && [ "$(summary_field new)" = 0 ]'

run "$QT" ingest --db ex.db - <fx/moreau.txt
check "ingest reads standard input" eval 'rc_is 0 && [ "$(summary_field new)" = 1 ]'

# More articles than one batch (256), with one text repeated inside the run.
for i in $(seq 1 600); do
    printf '{"id":"gen-%d","text":"\\"Stall %d opens at %d,\\" said Odile Brun. Item %d."}\n' \
        "$i" "$i" "$((i % 12 + 1))" "$i"
done >fx/many.jsonl
sed -n 1p fx/many.jsonl >>fx/many.jsonl
run "$QT" ingest --db many.db fx/many.jsonl
check "601 JSONL lines over three batches: 600 new, the repeat already stored" \
    eval 'rc_is 0 && [ "$(summary_field new)" = 600 ] && [ "$(summary_field "already stored")" = 1 ]'
run "$QT" quotes --db many.db --speaker "odile brun" --json
check "every batch was committed (600 quotes by Odile Brun)" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" = 600 ]'
run "$QT" ingest --db many.db fx/many.jsonl
check "ingesting them again stores nothing" \
    eval 'rc_is 0 && [ "$(summary_field new)" = 0 ] && [ "$(summary_field "already stored")" = 601 ]'

# ---- filters -----------------------------------------------------------------------------------

run "$QT" ingest --db f.db fx/moreau.txt fx/noquotes.txt "$EX/articles"
check "ingest of the fixtures exits 0" rc_is 0

for name in moreau MOREAU "renée moreau" "Renee Moreau" "RENÉE"; do
    run "$QT" quotes --db f.db --speaker "$name" --json
    check "--speaker '$name' finds Renée Moreau's quotes, and only hers" \
        eval 'rc_is 0 && [ "$(lines "$T/out")" -ge 2 ] &&
              ! grep -v "\"speaker\":\"Renée Moreau\"" "$T/out" >/dev/null'
done

run "$QT" quotes --db f.db --speaker moreau
check "the table lists speaker, venue, kind, quote and source" \
    eval 'rc_is 0 && out_has "SPEAKER" && out_has "SOURCE" &&
          grep -q "^Renée Moreau .*Harbour Gazette .*direct .*We will rebuild.*fx/moreau.txt" "$T/out"'
check "the table's columns line up after an accented name" \
    eval '[ "$(awk "/Harbour Gazette/ { print index(\$0, \"Harbour Gazette\") }" "$T/out" | head -n 1)" -le 28 ]'

run "$QT" quotes --db f.db --search "harbour wall" --json
check "--search finds the quote with those words" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ] && out_has "We will rebuild the harbour wall"'
run "$QT" quotes --db f.db --search "KITCHEN Door" --json
check "--search ignores case" eval 'rc_is 0 && out_has "kitchen door"'
run "$QT" quotes --db f.db --search 'wall" OR "sea' --json
check "--search treats FTS operators and quote marks as words, without an error" \
    eval '[ "$RC" -le 1 ] && ! err_has "error"'

run "$QT" quotes --db f.db --venue "harbour GAZETTE" --json
check "--venue matches case-insensitively" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" -ge 1 ] &&
          ! grep -v "\"venue\":\"Harbour Gazette\"" "$T/out" >/dev/null'
run "$QT" quotes --db f.db --venue gazette --speaker moreau --search winter --json
check "filters combine (venue + speaker + search)" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ]'

run "$QT" quotes --db f.db --speaker "Nobody Atall"
check "a speaker with no quotes exits 1" rc_is 1
check "no match prints nothing on stdout and one line on stderr" \
    eval 'out_empty && [ "$(lines "$T/err")" = 1 ] && err_has "no quotes match"'
run "$QT" quotes --db f.db --search zzyzzx --json
check "a search with no match exits 1 with nothing on stdout" eval 'rc_is 1 && out_empty'
run "$QT" quotes --db f.db --venue "Moon Weekly"
check "a venue with no quotes exits 1" eval 'rc_is 1 && out_empty'

run "$QT" ingest --db empty.db fx/noquotes.txt
run "$QT" quotes --db empty.db
check "a database with no quotes at all exits 1 and says so" \
    eval 'rc_is 1 && out_empty && err_has "no quotes"'

# ---- failures ----------------------------------------------------------------------------------

run "$QT" ingest --db p.db fx/missing.txt fx/moreau.txt
check "ingest with one missing input exits 3, naming it" eval 'rc_is 3 && err_has "fx/missing.txt"'
check "the readable input is still stored" eval '[ "$(summary_field new)" = 1 ]'
run "$QT" quotes --db p.db --speaker moreau --json
check "its quotes can be queried" eval 'rc_is 0 && [ "$(lines "$T/out")" -ge 2 ]'

run "$QT" ingest --db n.db fx/missing.txt
check "ingest with nothing readable exits 2" eval 'rc_is 2 && err_has "fx/missing.txt"'

printf 'this is not a database\n%.0s' $(seq 1 200) >notadb.db
run "$QT" ingest --db notadb.db fx/moreau.txt
check "ingest into a file that is not a database exits 2 with a message naming it" \
    eval 'rc_is 2 && err_has "notadb.db"'
run "$QT" quotes --db notadb.db
check "quotes on a file that is not a database exits 2" eval 'rc_is 2 && err_has "notadb.db"'

run "$QT" ingest --db "$T/no/such/dir/x.db" fx/moreau.txt
check "ingest into a directory that does not exist exits 2" eval 'rc_is 2 && err_has "x.db"'

# A database error mid-run: another process holds the write lock for longer than ingest waits
# (--wait 2), so the batch cannot begin. Nothing may be half-written. The lock is held until
# ingest has returned (the file "done"; at most 120 s), not for a fixed time, so a slow run
# (under valgrind) still meets it.
if have python3 && python3 -c 'import sqlite3' 2>/dev/null; then
    "$QT" ingest --db lock.db fx/noquotes.txt 2>/dev/null
    python3 - lock.db <<'EOF' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
t0 = time.time()
while not os.path.exists("done") and time.time() - t0 < 120:
    time.sleep(0.05)
c.execute("ROLLBACK")
EOF
    locker=$!
    for _ in $(seq 1 50); do [ -e locked ] && break; sleep 0.1; done
    run "$QT" ingest --wait 2 --db lock.db fx/moreau.txt "$EX/articles"
    touch done
    check "a locked database stops ingest with exit 2 (nothing stored)" rc_is 2
    check "the error names the database and says the batch was rolled back" \
        eval 'err_has "lock.db" && err_has "rolled back"'
    check "the summary counts nothing as stored" eval '[ "$(summary_field new)" = 0 ]'
    wait "$locker"
    run "$QT" quotes --db lock.db
    check "the database still holds only what it held before" \
        eval 'rc_is 1 && err_has "no quotes"'
    run "$QT" ingest --db lock.db fx/moreau.txt "$EX/articles"
    check "the same ingest succeeds once the lock is gone" \
        eval 'rc_is 0 && [ "$(summary_field new)" = 7 ]'
else
    skip "a database error mid-run rolls back" "python3 with sqlite3 not available"
fi

# ---- reprocess ---------------------------------------------------------------------------------

run "$QT" ingest --reprocess --db ex.db
check "--reprocess with nothing stale exits 0 and reprocesses nothing" \
    eval 'rc_is 0 && [ "$(summary_field reprocessed)" = 0 ]'

# bad_slices DB: how many stored quotes are not the bytes [start, end) of their article's text
# (or title). 0 when the store is consistent.
bad_slices()
{
    sqlite3 "$1" 'SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article
        WHERE CAST(q.text AS BLOB) IS NOT
              substr(CAST(CASE WHEN q.in_title THEN a.title ELSE a.text END AS BLOB),
                     q.start + 1, q."end" - q.start)'
}
# quote_list DB: one line per stored quote, to compare two states of a database.
quote_list()
{
    "$QT" quotes --db "$1" --json 2>/dev/null |
        jq -r '[.article.source, .in, .start, .end, .kind, .speaker, .text] | @tsv'
}

if have sqlite3 && have jq; then
    check "every stored quote is its article's text[start:end]" eval '[ "$(bad_slices ex.db)" = 0 ]'
    quote_list ex.db >before.tsv
    n_art=$(sqlite3 ex.db 'SELECT count(*) FROM articles')
    sqlite3 ex.db 'UPDATE articles SET engine_version = 0'
    run "$QT" ingest --reprocess --db ex.db
    check "ingest --reprocess re-analyses every article of an older engine ($n_art)" \
        eval 'rc_is 0 && [ "$(summary_field reprocessed)" = "$n_art" ] &&
              [ "$(summary_field new)" = 0 ]'
    check "the re-analysed articles are marked current" \
        eval '[ "$(sqlite3 ex.db "SELECT count(*) FROM articles WHERE engine_version = 0")" = 0 ]'
    check "they keep their row ids, so nothing is duplicated" \
        eval '[ "$(sqlite3 ex.db "SELECT count(*) FROM articles")" = "$n_art" ]'
    check "after --reprocess every stored quote is still its article's text[start:end]" \
        eval '[ "$(bad_slices ex.db)" = 0 ]'
    quote_list ex.db >after.tsv
    if diff before.tsv after.tsv >quotes.diff; then
        ok "the same engine gives the same quotes again"
    else
        fail "the same engine gives the same quotes again"
        head -n 6 quotes.diff | cut -c 1-160 | sed 's/^/    diff: /'
    fi
    run "$QT" ingest --reprocess --db ex.db
    check "a second --reprocess finds nothing left to do" \
        eval 'rc_is 0 && [ "$(summary_field reprocessed)" = 0 ]'

    sqlite3 ex.db "UPDATE articles SET engine_version = 0 WHERE source LIKE '%01-lantern.txt'"
    run "$QT" ingest --db ex.db "$EX/articles"
    check "a plain ingest re-analyses a stale input in place" \
        eval 'rc_is 0 && [ "$(summary_field reprocessed)" = 1 ] &&
              [ "$(summary_field "already stored")" = 5 ]'
else
    skip "ingest --reprocess after lowering engine_version" "the sqlite3 shell or jq is missing"
fi

finish
