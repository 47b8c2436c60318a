# lib.sh - helpers shared by the end-to-end tests in tests/cli/test_*.sh (sourced, not run).
#
# A test file runs as `bash test_x.sh PATH_TO_quotetrail`, with QT_SRC set to the repo root.
# Each check prints one line, `ok - what` or `FAIL - what` (with the evidence indented below it);
# finish() prints `N passed, M failed` and the exit status is non-zero when anything failed.
# Everything a test writes goes to a fresh temporary directory, removed at exit.

set -u

QT=${1:?usage: bash $0 PATH_TO_quotetrail}
case $QT in /*) ;; *) QT=$PWD/$QT ;; esac
QT_SRC=${QT_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
EX=$QT_SRC/examples
T=$(mktemp -d "${TMPDIR:-/tmp}/qt-cli-test.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2

N_PASS=0
N_FAIL=0
RC=0

have() { command -v "$1" >/dev/null 2>&1; }

ok() { N_PASS=$((N_PASS + 1)); echo "ok - $1"; }

# fail WHAT: also shows the last command's status and the start of its stderr and stdout.
fail()
{
    N_FAIL=$((N_FAIL + 1))
    echo "FAIL - $1"
    echo "    exit status: $RC"
    [ -s "$T/err" ] && head -n 5 "$T/err" | cut -c 1-200 | sed 's/^/    stderr: /'
    [ -s "$T/out" ] && head -n 5 "$T/out" | cut -c 1-200 | sed 's/^/    stdout: /'
    return 0
}

skip() { echo "ok - $1 # SKIP $2"; }

# check WHAT COMMAND...: the check passes when COMMAND succeeds.
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

# run COMMAND...: stdout to $T/out, stderr to $T/err, exit status in $RC.
run() { "$@" >"$T/out" 2>"$T/err"; RC=$?; }

rc_is() { [ "$RC" -eq "$1" ]; }
out_has() { grep -q -- "$1" "$T/out"; }
err_has() { grep -q -- "$1" "$T/err"; }
out_empty() { [ ! -s "$T/out" ]; }
err_empty() { [ ! -s "$T/err" ]; }
# No sanitizer report or crash message on stderr.
no_crash() { ! grep -qE 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:|Segmentation' "$T/err"; }

# json_lines FILE: every line of FILE is one JSON value (and there is at least one line).
json_lines()
{
    [ -s "$1" ] || return 1
    if have python3; then
        python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        json.loads(line)
    except ValueError as e:
        sys.exit("line %d is not JSON: %s" % (n, e))
' "$1"
    else
        jq -e . "$1" >/dev/null
    fi
}

# jq_ok ARGS...: jq -e succeeds (the last output is neither false nor null); output dropped.
jq_ok() { jq -e "$@" >/dev/null; }

# Count lines (wc -l without the padding).
lines() { wc -l <"$1" | tr -d ' '; }

finish()
{
    echo "$N_PASS passed, $N_FAIL failed"
    [ "$N_FAIL" -eq 0 ]
}

# moreau_fixture PATH: a short fictional article (an accented speaker, a venue, a surname
# reference and a pronoun) that several test files check against.
moreau_fixture()
{
    cat >"$1" <<'EOF'
Harbour repairs to start in spring, mayor says

PORT SAINT-CLAIR — The town council voted on Tuesday to fund repairs to the old harbour wall.

“We will rebuild the harbour wall before winter comes again,” Renée Moreau told the Harbour Gazette.

Moreau, 52, said the money would come from the town’s reserve fund. “Nobody in this town should have to watch the sea come through their kitchen door,” she said.
EOF
}
