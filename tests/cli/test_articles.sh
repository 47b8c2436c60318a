# test_articles.sh - end-to-end checks of `quotetrail articles`: stored articles with their
# title, site, byline, rating and date, given or inferred from the collection (a byline as the
# analysis finds it in the text: JSONL carries no site). Fictional
# JSONL articles: a dated wire story, an undated reprint of it, an undated exact copy of it
# under another id, an undated article naming a year, an undated profile giving the age of a
# person the wire story also gives an age for, and one with no evidence at all. Checked: the
# dates and their evidence, the order (by date, ties by id, undated last), the table and
# --json, the same output whatever order the articles were ingested in and when linked from
# shards, the help and the exit statuses (1 nothing stored, 2 usage error or no database).
#
# usage: bash tests/cli/test_articles.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p corpus
# art FILE JSON: one JSONL article per file.
art() { printf '%s\n' "$2" >"corpus/$1"; }

WIRE='By Tove Lind\n\nCrews on the Kessel Sound ferry stopped work on Monday morning after talks over rest breaks and winter rosters broke down late on Sunday night, leaving hundreds of commuters stranded on the island side of the crossing.\n\nThe strike is the first on the route in eleven years. The ferry company said it had offered a new roster with longer breaks between crossings, but the union said the offer cut the number of crews on the night boats from three to two.\n\nIlse Brandvold, 41, who speaks for the deck and engine crews, said nobody on the quay wanted to strand a nurse or a schoolchild.'
art 1-wire.jsonl '{"id": "wire", "published": "2031-03-04", "title": "Ferry crews walk out", "text": "'"$WIRE"'"}'
art 2-reprint.jsonl '{"id": "reprint", "title": "Ferry crews walk out | Valley Times", "text": "'"$WIRE"'\n\nRead more from the Valley Times."}'
art 3-mirror.jsonl '{"id": "mirror", "title": "Ferry crews walk out", "text": "'"$WIRE"'"}'
art 4-museum.jsonl '{"id": "museum", "title": "Maritime hall reopens", "text": "The Orlen town museum reopened its maritime hall on Saturday, two years after the storms of 2033 tore its roof away, and volunteers have catalogued more than three thousand objects."}'
art 5-profile.jsonl '{"id": "profile", "title": "A life on the night boats", "text": "Ilse Brandvold, 52, has worked the night boats across Kessel Sound since she was a girl, and now trains the young deckhands who will take her place on the crossing."}'
art 6-none.jsonl '{"id": "zz-none", "title": "Lighthouse keepers", "text": "The keepers of the northern lights met at the harbour office to talk about their work and the old lamps they still polish by hand."}'
FILES=(corpus/*.jsonl)
REV=($(printf '%s\n' "${FILES[@]}" | LC_ALL=C sort -r))

run "$QT" ingest --db a.db "${FILES[@]}"
check "ingest exits 0" rc_is 0
run "$QT" articles --db a.db --json
check "articles --json exits 0, one JSON object per line" eval 'rc_is 0 && json_lines "$T/out" && [ "$(lines "$T/out")" -eq 6 ]'
cp "$T/out" a.json

if have jq; then
    check "order: by date (ties by id), the undated last" \
        jq_ok -s '[.[].id] == ["mirror", "reprint", "wire", "museum", "profile", "zz-none"]' a.json
    check "a given date is kept, with the byline found in the text and the copies' ids" \
        jq_ok -s '.[] | select(.id == "wire") | .published == "2031-03-04" and .byline == "Tove Lind" and .published_inferred == null and .copies == ["mirror"]' a.json
    check "an undated exact copy starts at its copy's date" \
        jq_ok -s '.[] | select(.id == "mirror") | .published == null and .published_inferred.from == "2031-03-04" and (.published_inferred.evidence | test("copy, wire, is dated"))' a.json
    check "an undated reprint follows the dated article" \
        jq_ok -s '.[] | select(.id == "reprint") | .published_inferred.from == "2031-03-04" and (.published_inferred.evidence | test("follows wire"))' a.json
    check "an undated article is no earlier than the latest year it names" \
        jq_ok -s '.[] | select(.id == "museum") | .published_inferred == {"from": "2033", "to": null, "evidence": "mentions 2033"}' a.json
    check "a stated age against the dated article's age: Brandvold 41 in 2031, 52 in 2041-2043" \
        jq_ok -s '.[] | select(.id == "profile") | .published_inferred.from == "2041" and .published_inferred.to == "2043" and (.published_inferred.evidence | test("52"))' a.json
    check "nothing to go on: no date, listed last" \
        jq_ok -s '.[-1] | .id == "zz-none" and .published == null and .published_inferred == null' a.json
else
    skip "the JSON checks" "jq is not installed"
fi

run "$QT" articles --db a.db
check "the table: header, dates given and inferred, evidence below, count on stderr" \
    eval 'rc_is 0 && out_has "^DATE *ID *SITE *BYLINE *RATING *TITLE" && out_has "^2031-03-04 *wire *- *Tove Lind" && out_has "^~2041..2043 *profile" && out_has "inferred: mentions 2033" && err_has "6 articles"'

# ---- order of ingest, and link -----------------------------------------------------------------

for f in "${REV[@]}"; do "$QT" ingest --db rev.db "$f" >/dev/null 2>&1; done
"$QT" articles --db rev.db --json >rev.json 2>/dev/null
check "ingested one file at a time in reverse order: the same listing" cmp -s a.json rev.json

"$QT" extract --json --fingerprints "${FILES[@]:0:3}" >shard-a.jsonl 2>/dev/null
"$QT" extract --json --fingerprints "${FILES[@]:3}" >shard-b.jsonl 2>/dev/null
run "$QT" link shard-a.jsonl shard-b.jsonl --db linked.db
check "link of two shards exits 0" rc_is 0
"$QT" articles --db linked.db --json >linked.json 2>/dev/null
# link stores sources as "shard:line"; everything else must agree
if have jq; then
    check "link of shards gives the same dates, order and copies" \
        eval 'diff <(jq -c "del(.source)" a.json) <(jq -c "del(.source)" linked.json) >/dev/null'
fi

# ---- help and exit statuses --------------------------------------------------------------------

run "$QT" articles --help
check "--help: stdout, exit 0, explains the evidence" \
    eval 'rc_is 0 && out_has "usage: quotetrail articles" && out_has "mentions" && out_has "ages" && err_empty'
run "$QT" articles --db missing.db
check "no database: exit 2" eval 'rc_is 2 && out_empty && err_has "no database"'
run "$QT" articles --db a.db --bogus
check "unknown option: exit 2, named" eval 'rc_is 2 && err_has "--bogus"'
"$QT" ingest --db empty.db none >/dev/null 2>&1
run "$QT" articles --db empty.db
check "nothing stored: exit 1" eval 'rc_is 1 && out_empty && err_has "no articles stored"'
check "no crash" no_crash

finish
