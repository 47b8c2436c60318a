# test_extract.sh - end-to-end checks of `quotetrail extract`: help and usage errors, the table
# and JSON outputs on the bundled fictional examples, offsets (text[start:end] == quote text, in
# bytes), and how bad inputs are reported: missing, binary, empty, malformed JSONL, invalid
# UTF-8, NUL bytes. Messages go to stderr only; exit statuses follow DESIGN.md.
#
# usage: bash tests/cli/test_extract.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p fx/mixed
moreau_fixture fx/moreau.txt
cp fx/moreau.txt fx/mixed/a-good.txt
printf '\000\001\002\377\376\375 not text at all \000\000' >fx/mixed/b-binary.txt
: >fx/mixed/c-empty.txt
: >fx/empty.txt

# JSONL: line 2 is broken; lines 1 and 3 are fine, one with a quote in its title and an emoji.
if have python3; then
    python3 - <<'EOF'
import json
good1 = {"id": "fx-1", "title": "Moreau: “We’re not done yet”", "published": "2024-05-03",
         "text": "The mayor spoke on Friday.\n\n“We’re not done yet — the wall comes first 🌊,” "
                 "Renée Moreau told the Harbour Gazette. “Then the school,” she said.\n"}
good3 = {"id": "fx-3", "text": "“Les travaux commencent lundi,” said Élodie Faure, the "
                               "council’s engineer.\n"}
with open("fx/wire.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps(good1, ensure_ascii=False) + "\n")
    f.write('{"id": "fx-2", "text": "unterminated\n')
    f.write(json.dumps(good3, ensure_ascii=False) + "\n")
EOF
else
    printf '%s\n' '{"id":"fx-1","text":"\"We are not done yet,\" Ren\u00e9e Moreau said."}' \
        '{"id": "fx-2", "text": "unterminated' \
        '{"id":"fx-3","text":"\"Work starts Monday,\" said \u00c9lodie Faure."}' >fx/wire.jsonl
fi

# Invalid UTF-8 (a Latin-1 é) inside a quote, and NUL bytes inside another.
printf 'Bakery reopens\n\n"The caf\351 is open again," Ana Lima said.\n' >fx/latin1.txt
printf 'Bakery reopens\n\n"The bread\000 is back," Ana Lima said.\n' >fx/nul.txt

# slices FILE: every record's quotes satisfy text[start:end] == quote text in UTF-8 bytes (the
# title's bytes when "in" is "title"), start < end, and a nested quote lies inside its parent.
# Fails, saying why on stderr, when one is wrong or there were none.
slices()
{
    python3 - "$1" <<'EOF'
import json, sys
n = 0
for ln, line in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        r = json.loads(line)
    except ValueError as e:
        sys.exit("line %d is not JSON: %s" % (ln, e))
    by_id = {q["id"]: q for q in r["quotes"]}
    for q in r["quotes"]:
        base = r["title"] if q["in"] == "title" else r["text"]
        b = base.encode("utf-8")
        if not (0 <= q["start"] < q["end"] <= len(b)):
            sys.exit("line %d: quote %s spans [%d,%d) of %d bytes" % (ln, q["id"], q["start"], q["end"], len(b)))
        got = b[q["start"]:q["end"]].decode("utf-8")
        if got != q["text"]:
            sys.exit("line %d: quote %s: slice %r != text %r" % (ln, q["id"], got, q["text"]))
        if q["parent"] is not None:
            p = by_id.get(q["parent"])
            if p is None or not (p["start"] <= q["start"] and q["end"] <= p["end"]):
                sys.exit("line %d: nested quote %s is not inside its parent" % (ln, q["id"]))
        n += 1
sys.exit(0 if n else "no quotes at all")
EOF
}

# ---- help and usage ----------------------------------------------------------------------------

run "$QT" extract --help
check "extract --help exits 0" rc_is 0
check "extract --help prints usage and an example to stdout" \
    eval 'out_has "usage: quotetrail extract" && out_has "Examples:"'
check "extract --help writes nothing to stderr" err_empty

run "$QT" --help
check "quotetrail --help exits 0 and lists extract, ingest, quotes" \
    eval 'rc_is 0 && out_has "extract" && out_has "ingest" && out_has "quotes"'

run "$QT" extract --no-such-option "$EX/articles"
check "extract with an unknown option exits 2" rc_is 2
check "the usage error names the option and shows usage, on stderr only" \
    eval 'err_has "--no-such-option" && err_has "usage:" && out_empty'

run "$QT" extract
check "extract with no input exits 2 with a message" eval 'rc_is 2 && err_has "no input"'

run "$QT" no-such-command
check "an unknown command exits 2" eval 'rc_is 2 && err_has "no-such-command" && out_empty'

run "$QT"
check "no command at all exits 2 with usage on stderr" eval 'rc_is 2 && err_has "usage:" && out_empty'

# ---- the examples ------------------------------------------------------------------------------

run "$QT" extract "$EX/articles"
check "extract on examples/articles exits 0" rc_is 0
# The answer key in examples/README.md gives 01-lantern.txt #4 to Niall Brannock; this checks
# that the pipeline runs end to end, not how accurate it is.
check "the table shows a known speaker beside a known quote" \
    grep -qE '^ +Niall Brannock +.*Imogen and I are still friends' "$T/out"
check "the table has one section per article" \
    eval '[ "$(grep -c "^== " "$T/out")" -eq 6 ]'
check "clean inputs give no messages at all" err_empty

n_wire=$(grep -c . "$EX/wire.jsonl")
run "$QT" extract --json --with-text "$EX/articles" "$EX/wire.jsonl"
cp "$T/out" ex.jsonl
check "extract --json on the examples exits 0" rc_is 0
check "extract --json prints one record per article ($((6 + n_wire)))" \
    eval '[ "$(lines ex.jsonl)" -eq $((6 + n_wire)) ]'
check "every line of extract --json is valid JSON" json_lines ex.jsonl
check "every record's id and hash are 32 hex digits (the content hash)" \
    eval '[ "$(grep -ac "\"id\":\"[0-9a-z-]*\",\"hash\":\"[0-9a-f]\{32\}\"," ex.jsonl)" -eq $((6 + n_wire)) ]'
if have jq; then
    check "every record has schema 1 and the fixed fields" \
        jq_ok -s 'length > 0 and all(.schema == 1 and (.source | type == "string")
                  and (.hash | test("^[0-9a-f]{32}$")) and (.id | type == "string")
                  and (.quotes | type == "array") and (.people | type == "array")
                  and (.warnings | type == "array") and (.text | type == "string"))' \
        ex.jsonl
    check "JSONL records carry the caller's id and a path:line source" \
        jq_ok -s 'map(select(.id == "mp-20240311-0412")) | length == 1
                  and (.[0].source | endswith("wire.jsonl:1"))' ex.jsonl
    check "every quote has the record's fields with allowed values" \
        jq_ok -s '[.[].quotes[]] | length > 0 and all(
                  (.id | type == "string") and (.in == "text" or .in == "title")
                  and (.kind == "direct" or .kind == "partial" or .kind == "nested")
                  and (.speaker_kind | IN("person", "organisation", "anonymous", "unknown"))
                  and (.confidence >= 0 and .confidence <= 1))' ex.jsonl
else
    skip "record fields checked with jq" "jq not installed"
fi
if have python3; then
    check "quotes[].text == text[start:end] in bytes, on the examples" slices ex.jsonl
else
    skip "byte offsets checked" "python3 not installed"
fi

if have jq; then
    run "$QT" extract --json "$EX/articles/01-lantern.txt"
    check "without --with-text the record has no text field" \
        eval 'rc_is 0 && jq -e "has(\"text\") | not" "$T/out" >/dev/null'
fi

# ---- non-ASCII text and offsets ----------------------------------------------------------------

run "$QT" extract --json --with-text fx/moreau.txt
cp "$T/out" moreau.jsonl
check "an accented speaker name comes through whole" \
    eval 'rc_is 0 && grep -q "\"speaker\":\"Renée Moreau\"" moreau.jsonl'
if have python3; then
    check "byte offsets are right after multi-byte characters (— ’ é)" slices moreau.jsonl
fi

run "$QT" extract --json --with-text fx/wire.jsonl
cp "$T/out" fxwire.jsonl
check "a malformed JSONL line makes the run exit 3" rc_is 3
check "the message names the file and line number" err_has "wire.jsonl:2"
check "the lines around the bad one are still processed" \
    eval 'grep -q "\"id\":\"fx-1\"" fxwire.jsonl && grep -q "\"id\":\"fx-3\"" fxwire.jsonl'
check "the bad line prints nothing on stdout" eval '[ "$(lines fxwire.jsonl)" -eq 2 ]'
check "stdout stays pure JSON when an input fails" json_lines fxwire.jsonl
if have python3; then
    check "offsets are right with a 4-byte emoji and a quoted title" slices fxwire.jsonl
fi

# ---- bad inputs --------------------------------------------------------------------------------

run "$QT" extract fx/missing.txt
check "a missing file exits 2" rc_is 2
check "the message names the missing file" err_has "fx/missing.txt"
check "a missing file prints nothing on stdout" out_empty

run "$QT" extract fx/missing.txt fx/moreau.txt
check "a missing file beside a good one exits 3 and the good one is printed" \
    eval 'rc_is 3 && out_has "Renée Moreau" && err_has "fx/missing.txt"'

run "$QT" extract fx/mixed
check "a directory with good, binary and empty files exits 3" rc_is 3
check "the good article is still printed" eval 'out_has "a-good.txt" && out_has "Renée Moreau"'
check "the binary and the empty file are each named on stderr" \
    eval 'err_has "b-binary.txt" && err_has "c-empty.txt"'
check "nothing about the failures leaks onto stdout" \
    eval '! out_has "b-binary" && ! out_has "c-empty" && ! out_has "error"'

run "$QT" extract fx/empty.txt
check "an empty file alone exits 2 with a message naming it" \
    eval 'rc_is 2 && err_has "empty.txt" && out_empty'

run "$QT" extract --json --with-text fx/latin1.txt
cp "$T/out" latin1.jsonl
check "invalid UTF-8 is a warning, not a failure (exit 0)" rc_is 0
check "the warning names the file" eval 'err_has "warning" && err_has "latin1.txt"'
check "the bad byte becomes U+FFFD in the text" grep -q "caf�" latin1.jsonl
check "the output is valid JSON" json_lines latin1.jsonl
if have python3; then
    check "offsets stay right around the replacement character" slices latin1.jsonl
fi

run "$QT" extract --json --with-text fx/nul.txt
cp "$T/out" nul.jsonl
check "NUL bytes are a warning, not a failure (exit 0)" eval 'rc_is 0 && err_has "NUL"'
check "the NUL byte becomes U+FFFD and the quote is still found" \
    eval 'grep -q "bread� is back" nul.jsonl && json_lines nul.jsonl'

# ---- stdin, gzip, output errors ----------------------------------------------------------------

run "$QT" extract --json - <fx/moreau.txt
check "- reads standard input, with source \"-\"" \
    eval 'rc_is 0 && out_has "\"source\":\"-\"" && out_has "Renée Moreau"'

if have gzip; then
    gzip -c fx/moreau.txt >fx/moreau.txt.gz
    run "$QT" extract --json fx/moreau.txt.gz
    check "a gzip-compressed input reads like the plain one" \
        eval 'rc_is 0 && out_has "Renée Moreau"'
fi

# A web page: the article, its metadata, and quotes found in the body.
cat >fx/page.html <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>Pier | Harbor Gazette</title>
<meta property="og:site_name" content="Harbor Gazette">
<meta property="article:published_time" content="2024-03-05T09:00:00Z">
<meta name="author" content="Ada Vale"><link rel="canonical" href="https://gazette.example/pier">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry pier to close</h1>
<p>The harbour commission voted on Tuesday to close the old ferry pier, which has served the
island since 1911, after engineers found its pilings unsafe.</p>
<p>“We had no choice,” said Renée Moreau, who chairs the commission. “The pilings are gone.”</p>
</article><div class="related-links"><a href="/x">Fares rise in May</a></div></body></html>
HTML
run "$QT" extract --json --with-text fx/page.html
check "an HTML page gives its headline, site, date, author and canonical URL" \
    eval 'rc_is 0 && out_has "\"title\":\"Ferry pier to close\"" && out_has "\"site\":\"Harbor Gazette\"" &&
          out_has "\"published\":\"2024-03-05T09:00:00Z\"" && out_has "\"byline\":\"Ada Vale\"" &&
          out_has "\"url\":\"https://gazette.example/pier\""'
check "an HTML page's text is its body, without headline, navigation or related links" \
    eval 'out_has "\"text\":\"The harbour commission voted" && ! out_has "Home" && ! out_has "Fares rise"'
check "quotes are found in the page's body" eval 'out_has "\"speaker\":\"Renée Moreau\""'
printf '<html><head><title>Empty</title></head><body><nav><a href="/">Home</a></nav></body></html>' >fx/empty.html
run "$QT" extract --json fx/empty.html
check "a page with no article is a failed input (exit 2, named on stderr)" \
    eval 'rc_is 2 && err_has "fx/empty.html.*no article text"'

# Fingerprints: the text's MinHash signature, only when asked for.
cp fx/moreau.txt fx/reprint.txt
printf '\nShare this article\n' >>fx/reprint.txt
run "$QT" extract --json fx/moreau.txt
check "records carry no fingerprint or quote key by default" \
    eval 'rc_is 0 && ! out_has "\"fingerprint\"" && ! out_has "\"key\":"'
run "$QT" extract --json --fingerprints fx/moreau.txt fx/reprint.txt
check "--fingerprints adds a 96-position MinHash signature" \
    eval 'rc_is 0 && grep -q "\"fingerprint\":{\"minhash\":\"[0-9a-f]\{384\}\",\"shingles\":[1-9]" "$T/out"'
check "--fingerprints gives each quote its key (8 hex digits per shingle hash)" \
    eval 'grep -q "\"key\":\"\([0-9a-f]\{8\}\)\{1,16\}\"" "$T/out"'
# The words are read as given (a share line counts), case and punctuation aside.
sigs() { grep -o '"minhash":"[0-9a-f]*"' "$T/out" | cut -d'"' -f4; }
differing() {   # how many of the 96 positions of the first two signatures differ
    sigs | python3 -c 'import sys; a, b = sys.stdin.read().split()[:2]; print(sum(a[i:i+4] != b[i:i+4] for i in range(0, 384, 4)))'
}
check "a reprint that adds a share line differs from it in a few positions only" \
    eval 'n=$(differing); [ "$n" -le 16 ]'
tr 'a-z' 'A-Z' <fx/moreau.txt | sed 's/,/ ,/g' >fx/shouted.txt
run "$QT" extract --json --fingerprints fx/moreau.txt fx/shouted.txt
check "case and punctuation do not change the fingerprint" eval '[ "$(sigs | sort -u | wc -l)" -eq 1 ]'

# Calibration hook (tools/calibrate.py): cell numbers appear only when asked for.
run "$QT" extract --json fx/moreau.txt
check "records carry no calibration cell by default" eval 'rc_is 0 && ! out_has "\"cell\""'
QT_CONFIDENCE_CELLS=1 "$QT" extract --json fx/moreau.txt >"$T/out" 2>"$T/err"
RC=$?
check "QT_CONFIDENCE_CELLS adds each quote's calibration cell" \
    eval 'rc_is 0 && grep -q "\"cell\":1[0-9]\{4\}" "$T/out"'

if [ -w /dev/full ]; then
    "$QT" extract "$EX/articles" >/dev/full 2>"$T/err"
    RC=$?
    check "a failed write to stdout is an error (exit 3), not silent success" \
        eval 'rc_is 3 && err_has "writing output failed"'
fi

finish
