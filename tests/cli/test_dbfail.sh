# test_dbfail.sh - end-to-end checks of a database that cannot be written: a read-only file, a
# read-only directory, a full disk (a small tmpfs) and a file size limit (EFBIG). Each must give
# one clear error line naming the database and what to do, exit 2 (nothing stored) or 3 (some
# batches stored), leave only whole articles (integrity_check, tests/slow/invariants.sql), and
# let a later run with room resume to the same content as a clean run. A read-only database
# must still answer every query command.
#
# Root ignores file modes, so the read-only cases run as nobody (setpriv) when run as root, and
# are skipped when that is impossible; the tmpfs case needs `unshare -m` (root) and is skipped
# without it. The corpus is the kill tests' (tests/slow/kill-corpus.py), made up on the fly.
#
# usage: bash tests/cli/test_dbfail.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

if ! have python3 || ! have sqlite3; then
    skip "unwritable databases" "python3 and sqlite3 are needed"
    finish
    exit
fi
python3 "$QT_SRC/tests/slow/kill-corpus.py" corpus --articles 600 --seed 7 || exit 2
INV=$QT_SRC/tests/slow/invariants.sql
QUERIES="articles quotes people dups clusters stories"

# the reference: a clean run, and what the query commands say of it
"$QT" ingest -j 2 --db ref.db corpus 2>/dev/null
observe() { for c in $QUERIES; do "$QT" $c --db "$1" --json 2>/dev/null; echo "$c: $?"; done; }
observe ref.db >ref.txt
FULL=$(stat -c %s ref.db)
N_REF=$(sqlite3 ref.db 'SELECT count(*) FROM articles')

one_error() { [ "$(grep -c 'error:' "$T/err")" = 1 ]; }
consistent()   # consistent DB: integrity, foreign keys and the store's invariants hold
{
    [ "$(sqlite3 "$1" 'PRAGMA integrity_check')" = ok ] &&
        [ -z "$(sqlite3 "$1" 'PRAGMA foreign_key_check')" ] &&
        [ -z "$(sqlite3 -separator ' ' "$1" <"$INV" | grep -v ' 0$')" ]
}
n_articles() { sqlite3 "$1" 'SELECT count(*) FROM articles'; }

# ---- read-only file and directory --------------------------------------------------------------

AS=()
if [ "$(id -u)" = 0 ]; then
    if have setpriv && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
        AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    else
        AS=(none)
    fi
fi
if [ "${AS[0]:-}" = none ]; then
    skip "read-only database" "running as root without setpriv, so modes do not stop writes"
elif [ -n "${AS[0]:-}" ] && ! "${AS[@]}" test -x "$QT"; then
    skip "read-only database" "nobody cannot run $QT"
else
    chmod 755 "$T"
    mkdir ro && cp ref.db ro/a.db && cp -r corpus ro/ && chown -R nobody: ro 2>/dev/null
    before=$(sha256sum ro/a.db)

    chmod 444 ro/a.db
    run "${AS[@]}" "$QT" ingest --db ro/a.db ro/corpus/txt
    check "read-only file: ingest exits 2" rc_is 2
    check "read-only file: one error line, naming the file and what to do" \
        eval 'one_error && err_has "ro/a.db" && err_has "read-only" && err_has "make it writable"'
    check "read-only file: nothing written" \
        eval '[ "$(sha256sum ro/a.db)" = "$before" ] && [ ! -e ro/a.db-wal ]'
    "${AS[@]}" bash -c "cd '$T' && $(declare -f observe); QT='$QT' QUERIES='$QUERIES'; \
                        observe ro/a.db" >got.txt
    check "read-only file: every query command reads it as a clean run's" cmp -s ref.txt got.txt

    chmod 644 ro/a.db
    rm -f ro/a.db-wal ro/a.db-shm   # empty, left by the read-only readers above
    chmod 555 ro
    run "${AS[@]}" "$QT" ingest --db ro/a.db ro/corpus/txt
    check "read-only directory: ingest exits 2" rc_is 2
    check "read-only directory: one error line, naming the directory and what to do" \
        eval 'one_error && err_has "ro/a.db" && err_has "directory .ro. is read-only" &&
              err_has "make the directory writable"'
    check "read-only directory: nothing written" \
        eval '[ "$(sha256sum ro/a.db)" = "$before" ] && [ ! -e ro/a.db-wal ]'
    run "${AS[@]}" "$QT" ingest --db ro/new.db ro/corpus/txt
    check "read-only directory: a new database is refused the same way, exit 2" \
        eval 'rc_is 2 && one_error && err_has "ro/new.db" && err_has "read-only" &&
              [ ! -e ro/new.db ]'
    "${AS[@]}" bash -c "cd '$T' && $(declare -f observe); QT='$QT' QUERIES='$QUERIES'; \
                        observe ro/a.db" >got.txt
    check "read-only directory: every query command still reads it" cmp -s ref.txt got.txt
    chmod 755 ro
fi

run "$QT" ingest --db nodir/a.db corpus/txt
check "missing directory: exit 2, one line naming it" \
    eval 'rc_is 2 && one_error && err_has "no directory .nodir."'

# ---- a file size limit: EFBIG, SIGXFSZ ignored so that the write fails instead of killing -------

if have prlimit; then
    # 7/10 of the full size: the first batch of 256 (and its WAL) fits, the rest does not
    limit=$((FULL * 7 / 10))
    ( trap '' XFSZ; exec prlimit --fsize=$limit "$QT" ingest -j 2 --db fsize.db corpus ) \
        >"$T/out" 2>"$T/err"
    RC=$?
    check "file size limit: exit 3, the first batches stored" \
        eval 'rc_is 3 && [ "$(n_articles fsize.db)" -gt 0 ] &&
              [ "$(n_articles fsize.db)" -lt "$N_REF" ]'
    check "file size limit: one error line, naming the database, 'disk full or file size limit'" \
        eval 'one_error && err_has "fsize.db" && err_has "disk full or file size limit" &&
              err_has "run ingest again to resume"'
    check "file size limit: only whole articles stored" consistent fsize.db
    run "$QT" ingest -j 2 --db fsize.db corpus
    observe fsize.db >got.txt
    check "file size limit: a run without it resumes to a clean run's content" \
        eval 'rc_is 0 && cmp -s ref.txt got.txt'
    ( trap '' XFSZ; exec prlimit --fsize=16384 "$QT" ingest --db tiny.db corpus ) \
        >"$T/out" 2>"$T/err"
    RC=$?
    check "file size limit at creation: exit 2, one line, no half-made schema" \
        eval 'rc_is 2 && one_error && err_has "disk full or file size limit" &&
              [ "$(sqlite3 tiny.db "SELECT count(*) FROM sqlite_schema")" = 0 ]'
else
    skip "file size limit" "prlimit is missing"
fi

# ---- a full disk: a tmpfs of its own, in a mount namespace ---------------------------------------

if [ "$(id -u)" = 0 ] && have unshare && unshare -m true 2>/dev/null; then
    mkdir mnt
    # 1/2 of the full size, for the database, its WAL and its -shm together
    small=$((FULL / 2 / 1024))k
    unshare -m bash -c "
        mount -t tmpfs -o size=$small tmpfs mnt || exit 9
        '$QT' ingest -j 2 --db mnt/full.db corpus >out 2>err; echo \$? >rc1
        cp mnt/full.db full.db; [ -e mnt/full.db-wal ] && cp mnt/full.db-wal full.db-wal
        mount -o remount,size=64m mnt
        '$QT' ingest -j 2 --db mnt/full.db corpus >/dev/null 2>err2; echo \$? >rc2
        cp mnt/full.db resumed.db"
    RC=$(cat rc1 2>/dev/null || echo none)
    if [ "$RC" = none ]; then
        skip "full disk" "cannot mount a tmpfs here"
    else
        check "full disk: exit 2 or 3" eval 'rc_is 2 || rc_is 3'
        check "full disk: one error line, naming the database, 'disk full or file size limit'" \
            eval 'one_error && err_has "full.db" && err_has "disk full or file size limit"'
        check "full disk: only whole articles stored" consistent full.db
        observe resumed.db >got.txt
        check "full disk: a run with room resumes to a clean run's content" \
            eval '[ "$(cat rc2)" = 0 ] && cmp -s ref.txt got.txt'
    fi
else
    skip "full disk" "needs root and unshare -m for a small tmpfs"
fi

finish
