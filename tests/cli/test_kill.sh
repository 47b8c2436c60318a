# test_kill.sh - the fast tier of tests/slow/kill-ingest: SIGKILL `ingest` at 10 random moments
# on a small made-up corpus, verify the database after each kill, and check that resuming ends
# equal to a clean run. Also two ingests at once on one database: both succeed, and the result
# is whole. The slow tier runs tests/slow/kill-ingest with its default 200 kills.
#
# usage: bash tests/cli/test_kill.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

if ! have python3 || ! have sqlite3; then
    skip "kills" "python3 and sqlite3 are needed"
    finish
    exit
fi

run bash "$QT_SRC/tests/slow/kill-ingest" --kills 10 --articles 300 --seed 3 --bin "$QT" --keep kill
check "10 kills: every database verified, every resumed chain equal to a clean run" \
    eval 'rc_is 0 && out_has "10 kills in" && out_has "all passed" && ! out_has FAIL'
grep '^kill-ingest: ' "$T/out" | tail -n 9 | sed 's/^/    /'

# Two at once: one waits for the other's write lock; neither refuses the half-migrated file or
# loses its dates to the other's commits.
python3 "$QT_SRC/tests/slow/kill-corpus.py" corpus --articles 300 --seed 4 || exit 2
"$QT" ingest -j 1 --db two.db corpus >/dev/null 2>err1 &
pid=$!
"$QT" ingest -j 1 --db two.db corpus >/dev/null 2>err2
rc2=$?
wait $pid
rc1=$?
cat err1 err2 >"$T/err"
RC="$rc1 $rc2"
check "two ingests at once both succeed" eval '[ "$RC" = "0 0" ] && ! err_has error'
"$QT" ingest -j 2 --db one.db corpus 2>/dev/null
check "two ingests at once store what one does" \
    eval '[ "$(sqlite3 two.db "SELECT count(*), (SELECT count(*) FROM quotes),
                                       (SELECT count(*) FROM article_dates) FROM articles")" = \
            "$(sqlite3 one.db "SELECT count(*), (SELECT count(*) FROM quotes),
                                       (SELECT count(*) FROM article_dates) FROM articles")" ] &&
          [ "$(sqlite3 two.db "PRAGMA integrity_check")" = ok ] &&
          [ -z "$(sqlite3 -separator " " two.db <"$QT_SRC/tests/slow/invariants.sql" |
                  grep -v " 0$")" ]'

finish
