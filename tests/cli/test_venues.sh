# test_venues.sh - end-to-end checks of venues normalised across the stored articles: a short
# form an article leaves alone ("told Quay") reads as the long name other articles showed it
# stands for ("Quay Weekly"), in the table, in --json (with the name as written kept) and for
# --venue; rival long names with similar support leave it alone; learning is incremental and
# gives the same result whatever the ingest order; the user's venue table (QT_VENUES) joins in.
#
# usage: bash tests/cli/test_venues.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p fx
# Three articles that give "Quay Weekly" as a venue and also write "Quay" alone mid-sentence.
cat >fx/w1.txt <<'EOF'
Ferry captain looks back

Captain Rosa Marlow spent forty years on the crossing.

“I never missed a tide,” Marlow told Quay Weekly in an interview this month.

She told Quay that the boat had been her home.
EOF
cat >fx/w2.txt <<'EOF'
Lighthouse keeper retires

Anton Vell has climbed the tower for the last time.

“Every step was worth it,” Vell told Quay Weekly on Sunday.

In a longer talk with Quay, he spoke about the gulls.
EOF
cat >fx/w3.txt <<'EOF'
Net mender wins award

Odile Sand has mended nets on the pier since she was twelve.

“My hands know the knots better than I do,” Sand told Quay Weekly.

She later showed Quay her workshop.
EOF
# A rival: "Quay" beside "Quay Herald".
cat >fx/h1.txt <<'EOF'
Tide mill restored

Engineer Pim Ostra led the restoration of the old tide mill.

“The wheel turns again after sixty years,” Ostra told Quay Herald.

He first described the project to Quay in the spring.
EOF
# Only the short form.
cat >fx/s1.txt <<'EOF'
Harbour master speaks out

Harbour master Ilse Brandt criticised the new mooring rules.

“The rules make no sense for small boats,” Brandt told Quay.
EOF
# An abbreviation only the user's venue table knows.
cat >fx/ab.txt <<'EOF'
Crab season opens early

Fisher Tomas Gale welcomed the early start to the crab season.

“We have waited all winter for this,” Gale told QW.
EOF
printf 'alias\tcanonical\nQW\tQuay Weekly\n' >fx/venues.tsv

# venue_of DB FILE: the venue `quotes --json` gives the quote from FILE.
venue_of()
{
    "$QT" quotes --db "$1" --json 2>/dev/null |
        jq -r --arg f "$2" 'select(.article.source == $f) | .venue'
}
# row_has VENUE FILE: the table in $T/out has a row with VENUE for the quote from FILE (the
# rows are matched by source, not speaker: finding speakers is not what is tested here).
row_has() { grep -q "  $1  .* $2\$" "$T/out"; }

# ---- a short form learned from other articles ------------------------------------------------

"$QT" ingest --db one.db fx/s1.txt 2>/dev/null
run "$QT" quotes --db one.db --venue "quay weekly"
check "before any article shows what 'Quay' stands for, --venue 'quay weekly' finds nothing" \
    eval 'rc_is 1 && out_empty'
run "$QT" quotes --db one.db
check "and the table shows the venue as written" eval 'rc_is 0 && row_has Quay fx/s1.txt'

"$QT" ingest --db one.db fx/w1.txt 2>/dev/null
run "$QT" quotes --db one.db --venue "Quay Weekly"
check "once an article shows 'Quay' beside 'Quay Weekly', --venue 'Quay Weekly' finds 'told Quay'" \
    eval 'rc_is 0 && row_has "Quay Weekly" fx/s1.txt && row_has "Quay Weekly" fx/w1.txt'
if have jq; then
    run "$QT" quotes --db one.db --json
    check "--json gives the collection's venue, its key and the venue as written" \
        eval 'rc_is 0 && jq_ok -s "map(select(.article.source == \"fx/s1.txt\")) | length == 1 and
              all(.venue == \"Quay Weekly\" and .venue_key == \"quay weekly\" and
                  .venue_as_written == \"Quay\")" "$T/out"'
    check "a quote whose article wrote the long name has it as written too" \
        eval 'jq_ok -s "map(select(.article.source == \"fx/w1.txt\")) | length == 1 and
              all(.venue == \"Quay Weekly\" and .venue_as_written == \"Quay Weekly\")" "$T/out"'
fi

# ---- rivals ----------------------------------------------------------------------------------

if have jq; then
    "$QT" ingest --db r.db fx/s1.txt fx/w1.txt fx/h1.txt 2>/dev/null
    check "one article for 'Quay Weekly' and one for 'Quay Herald': 'Quay' is left as written" \
        eval '[ "$(venue_of r.db fx/s1.txt)" = Quay ]'
    run "$QT" quotes --db r.db --venue "quay weekly"
    check "and --venue 'quay weekly' does not find the quote told to 'Quay'" \
        eval 'rc_is 0 && row_has "Quay Weekly" fx/w1.txt && ! out_has "fx/s1.txt\$"'
    "$QT" ingest --db r.db fx/w2.txt 2>/dev/null
    check "two against one is still too close: 'Quay' stays as written" \
        eval '[ "$(venue_of r.db fx/s1.txt)" = Quay ]'
    "$QT" ingest --db r.db fx/w3.txt 2>/dev/null
    check "three against one: 'Quay' reads as 'Quay Weekly'" \
        eval '[ "$(venue_of r.db fx/s1.txt)" = "Quay Weekly" ]'
    check "the rival keeps its own name" eval '[ "$(venue_of r.db fx/h1.txt)" = "Quay Herald" ]'
fi

# ---- incremental: any order, any batches, the same answers --------------------------------------

all="fx/w1.txt fx/w2.txt fx/w3.txt fx/h1.txt fx/s1.txt"
# shellcheck disable=SC2086
"$QT" ingest --db once.db $all 2>/dev/null
for f in fx/s1.txt fx/h1.txt fx/w3.txt; do "$QT" ingest --db step.db "$f" 2>/dev/null; done
"$QT" ingest --db step.db fx/w1.txt fx/w2.txt 2>/dev/null
# shellcheck disable=SC2086
"$QT" ingest --db step.db $all 2>/dev/null    # all already stored: changes nothing
"$QT" quotes --db once.db --json 2>/dev/null | sort >once.jsonl
"$QT" quotes --db step.db --json 2>/dev/null | sort >step.jsonl
check "ingesting one at a time in another order gives the same quotes as all at once" \
    eval '[ "$(lines once.jsonl)" = 5 ] && cmp -s once.jsonl step.jsonl'
check "and those quotes include 'Quay' read as 'Quay Weekly'" \
    grep -q '"venue":"Quay Weekly","venue_as_written":"Quay"' once.jsonl
if have sqlite3; then
    q="SELECT short_key, full_key, articles FROM venue_alias ORDER BY 1, 2"
    check "and the same learned pairs, with their article counts" \
        eval '[ "$(sqlite3 once.db "$q")" = "$(sqlite3 step.db "$q")" ] &&
              [ "$(sqlite3 once.db "$q")" = "$(printf "quay|quay herald|1\nquay|quay weekly|3")" ]'
fi

# ---- the user's table --------------------------------------------------------------------------

QT_VENUES=fx/venues.tsv "$QT" ingest --db t.db fx/ab.txt fx/w1.txt 2>/dev/null
run "$QT" quotes --db t.db
check "a name the user's venue table maps ('QW') is shown under the outlet's usual name" \
    eval 'rc_is 0 && row_has "Quay Weekly" fx/ab.txt'
run "$QT" quotes --db t.db --venue "quay weekly"
check "and --venue with the usual name finds it" eval 'rc_is 0 && row_has "Quay Weekly" fx/ab.txt'

# ---- help ----------------------------------------------------------------------------------------

run "$QT" quotes --help
check "quotes --help says a short form counts as its long name" \
    eval 'rc_is 0 && out_has "short form" && err_empty'

finish
