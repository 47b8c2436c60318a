# test_dense.sh - articles built to make a naive frame search quadratic: hundreds of thousands of
# quotes in one paragraph with no full stop, a million quote marks, a thousand-fold possessive
# inside one quote. Each must finish (a hang guard of 120 s, far above the < 1 s they take) with
# exit 0, valid output and every quote span inside the text. QT_DENSE_N sets the repeat count
# (default 100000; the million marks are 10 x N), e.g. a smaller one under valgrind.
#
# usage: bash tests/cli/test_dense.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

if ! have python3; then
    skip "dense quote articles" "python3 not installed"
    finish
    exit
fi

python3 - "${QT_DENSE_N:-100000}" <<'EOF_PY'
import sys
n = int(sys.argv[1])
units = {
    "frames": '"a" he said ',                 # quote after quote, one endless sentence
    "named": 'Ann Lee said "x y" and ',       # a named frame per quote
    "described": 'the old chef said "ok" ',   # a descriptor per quote
    "possessive": "the Vales' house ",        # apostrophe candidates inside one quote
}
for name, unit in units.items():
    with open(name + ".txt", "w") as f:
        body = unit * n
        f.write("Title\n\n" + ('"' + body + '"' if name == "possessive" else body) + "\n")
with open("marks.txt", "w") as f:
    f.write("Title\n\n" + '"' * (10 * n) + "\n")
EOF_PY

for name in frames named described possessive marks; do
    run timeout 120 "$QT" extract --json --with-text "$name.txt"
    check "$name: exit 0 within the hang guard" rc_is 0
    check "$name: no crash report" no_crash
    check "$name: one valid JSON record" json_lines "$T/out"
    if python3 - "$T/out" <<'EOF_PY'
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").readline())
b = r["text"].encode()
assert all(0 <= q["start"] < q["end"] <= len(b) and
           b[q["start"]:q["end"]].decode() == q["text"] for q in r["quotes"])
EOF_PY
    then ok "$name: every quote is its own slice of the text"; else fail "$name: quote slices"; fi
done

finish
