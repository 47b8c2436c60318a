# test_dups.sh - end-to-end checks of `quotetrail dups`: near-duplicate articles found from the
# stored signatures. A fictional story and its variants (an exact copy that differs only in
# spacing and quote marks, a copy with share and subscribe lines added, one with its last
# paragraph cut, a reprint under its own intro), an unrelated story, and one that repeats a
# single quote of the story; the kinds each pair gets, unrelated articles never paired, --min,
# the JSON object eval/link reads, the table, ingest order and batching not changing the output,
# a bucket of boilerplate bodies cut and reported, a database from before signatures, and the
# exit statuses (1 nothing found, 2 usage error or no database).
#
# The pairs' figures are MinHash estimates (src/link), or counted from the two texts when the
# estimate is within 0.1 of --min: fixed for fixed texts. The copies are 1.0, the cut ending
# about 0.9, the reprint about 0.75 with its original 0.98 contained (its headline is not
# reprinted), the unrelated articles under 0.05.
#
# usage: bash tests/cli/test_dups.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p fx
cat >fx/orig.txt <<'EOF'
Floating library opens on Lake Vellmark after six years of planning

VELLMARK — A converted grain barge moored at the east pier of Lake Vellmark opened its doors on Saturday as the region's first floating library, carrying eleven thousand books, a reading room for forty people and a small workshop where children can bind their own notebooks.

The project began in a school hall six years ago, when a group of parents asked the town council why the nearest public library was a ninety minute bus ride away. The council had no money for a new building, but it did own an old barge that had been rusting in the boatyard since the grain trade moved to the railway.

“We looked at that hull and saw shelves,” said Oskar Lindqvist, the retired shipwright who led the volunteers. “Everybody told us it would sink, or leak, or smell of wet paper forever. It does none of those things.”

Volunteers stripped the barge down to bare steel over two winters, welded new ribs into the hold and lined it with pine boards donated by a sawmill in the hills above the lake. A solar roof now powers the lights and a small heat pump keeps the books dry through the damp season.

The library will spend the summer travelling between the six villages on the shore, stopping for a week at each one before moving on. In winter, when the lake freezes along its northern edge, it will stay at the east pier and open four evenings a week.

Head librarian Greta Amundsen said the first morning brought more visitors than she had expected. “We had a queue along the pier before nine o'clock, and most of the people in it had never held a library card,” she said. “One man asked whether he could borrow the barge itself.”

The council has agreed to pay for one full time librarian for three years, while the rest of the running costs will come from a trust set up by local businesses and from a modest fee for private events in the reading room.

Not everyone in town has welcomed the plan. Councillor Henrik Falk, who voted against the grant, said the money would have been better spent on repairing the road to the railway station. “A boat full of novels is charming, but it does not get anybody to work on time,” he told the Vellmark Courier.

The library's first travelling week begins on Monday in the village of Sorbyn, where the harbour master has promised to clear a berth for it beside the ferry slip.
EOF
# The same words: spaces doubled, straight quote marks, trailing blanks. Other bytes, same body.
sed -e 's/ /  /g' -e 's/[“”]/"/g' -e 's/$/  /' fx/orig.txt >fx/copy.txt
# Share and subscribe lines added under the story.
{ cat fx/orig.txt; printf '\nShare this article\n\nSubscribe to our newsletter for the latest news from the lakes\n\nRead more: Ferry timetable changes for the summer season\n'; } >fx/boiler.txt
# The last paragraph cut.
head -n 17 fx/orig.txt >fx/cut.txt
# A reprint under its own headline and intro: the story's body follows whole.
{ cat <<'EOF'
Weekend guide: a library that sails from village to village

Looking for something to do with the children this weekend? Our regional desk has been following one of the more unusual community projects in the lake district, and this week it finally reached the water. Below we reprint the full report from our partners at the Vellmark wire service, with opening times for the first month of the tour.

Families should note that the workshop sessions are free but limited to twelve children at a time, and bookings open on the Friday before each stop.

EOF
tail -n +3 fx/orig.txt; } >fx/reprint.txt
cat >fx/unrelated.txt <<'EOF'
Orchard growers count losses after late frost in the Tarn valley

TARN VALLEY — Apple and pear growers across the upper Tarn valley are counting their losses after two nights of hard frost last week killed much of the blossom on trees that had flowered early in a mild spring.

Farmers said temperatures fell to minus four degrees before dawn on Wednesday and Thursday, far below what open blossom can survive. Some orchards on the valley floor, where cold air collects, lost almost all of their flowers, while those on higher slopes escaped with lighter damage.

“I have grown apples here for thirty one years and I have never seen the whole valley go brown in a single morning,” said Marit Solberg, who runs a cooperative of fourteen family orchards. “We will pick something this autumn, but nobody knows yet how much.”

Several growers lit small fires and ran wind machines through the night to keep the air moving, but the frost was too deep for most of those measures to help. Insurance covers only part of the loss for the larger farms and nothing at all for many of the smaller ones.

Agronomist Tobias Reinholt said early flowering had become more common as winters warmed, leaving trees exposed when cold snaps still arrived in April. “The risk is not that it is colder than before, but that the trees wake up sooner,” he said.
EOF
# Another story that repeats one quote of the first, word for word.
cat >fx/sameq.txt <<'EOF'
Shipwrights gather for the autumn boat fair

SORBYN — More than two hundred boat builders, restorers and collectors met in Sorbyn on Sunday for the annual autumn fair, where the talk of the day was an old grain barge that now carries books.

Among the speakers was Oskar Lindqvist, who repeated the line he has used since the project started: “We looked at that hull and saw shelves.” He spent most of his hour, however, on the craft of steaming oak planks, and on the shortage of young apprentices willing to learn it.

Stalls along the quay sold brass fittings, hand-sewn sails and tarred rope, and a children's race of model yachts was won by a nine year old from the next valley. Organisers said the fair would return next year on the first Sunday of October.
EOF
NAMES="orig copy boiler cut reprint unrelated sameq"
# The same articles as one JSONL file with ids, as eval/link's corpus has them.
for n in $NAMES; do
    jq -nc --arg id "$n" --rawfile text "fx/$n.txt" '{id: $id, text: $text}'
done >fx/all.jsonl

# kind_of FILE A B: the kind of the pair {A, B} in dups --json output FILE, "none" if absent.
kind_of()
{
    jq -r --arg a "$2" --arg b "$3" '[.pairs[] | select((.a == $a and .b == $b)
        or (.a == $b and .b == $a)) | .kind] | if length == 1 then .[0] else "none" end' "$1"
}

# ---- help and usage ----------------------------------------------------------------------------

run "$QT" dups --help
check "dups --help exits 0 with usage on stdout, nothing on stderr" \
    eval 'rc_is 0 && out_has "^usage: quotetrail dups \[--db FILE\] \[--min 0.8\] \[--estimates-only\] \[--json\]" && err_empty'
check "dups --help says what near-duplicate, --min and the three kinds mean" \
    eval 'out_has "Jaccard" && out_has "5-word shingles" && out_has "^  --min X" &&
          out_has "^  exact " && out_has "^  near " && out_has "^  containment "'
check "dups --help explains the LSH bands, their curve and the bucket cap" \
    eval 'out_has "48 bands of 2" && out_has "0.4 is" && out_has "within 0.1 of MIN" && out_has "more than 64 articles" &&
          out_has "Examples:"'
run "$QT" --help
check "quotetrail --help lists the dups command" eval 'rc_is 0 && out_has "^  dups  "'

run "$QT" dups --db nowhere.db
check "dups on a missing database exits 2, naming it and saying to run ingest" \
    eval 'rc_is 2 && err_has "nowhere.db" && err_has "ingest" && out_empty'
check "dups does not create the missing database" test ! -e nowhere.db
for bad in 0 1.5 -0.2 abc 0.8x ""; do
    run "$QT" dups --db nowhere.db --min "$bad"
    check "dups --min '$bad' exits 2, naming --min, before opening anything" \
        eval 'rc_is 2 && err_has "\-\-min" && err_has "usage:" && out_empty'
done
run "$QT" dups --min
check "dups --min with no value exits 2" eval 'rc_is 2 && err_has "needs a value" && out_empty'
run "$QT" dups --frobnicate
check "dups with an unknown option exits 2, naming it" \
    eval 'rc_is 2 && err_has "frobnicate" && out_empty'
run "$QT" dups somefile.txt
check "dups with an argument exits 2, naming it" eval 'rc_is 2 && err_has "somefile.txt"'

# ---- pairs and their kinds ---------------------------------------------------------------------

"$QT" ingest --db all.db fx/all.jsonl 2>/dev/null
run "$QT" dups --db all.db --json
cp "$T/out" all.json
check "dups --json exits 0 with nothing on stderr" eval 'rc_is 0 && err_empty'
check "dups --json prints exactly one JSON object, on one line" \
    eval 'json_lines all.json && [ "$(lines all.json)" = 1 ] && jq_ok "type == \"object\"" all.json'
check "the object has pairs, min 0.8, articles 7 and the truncation counts at 0" \
    jq_ok '(.pairs | type == "array") and .min == 0.8 and .articles == 7 and .unsigned == 0
           and .truncated == {"buckets": 0, "pairs": 0} and .candidates >= (.pairs | length)' all.json
check "every pair has eval/link's fields: a, b, similarity, kind (and containment both ways)" \
    jq_ok '(.pairs | length) > 0 and all(.pairs[]; (.a | type == "string") and (.b | type == "string")
           and .a != .b and (.similarity | type == "number") and .similarity <= 1
           and (.kind == "exact" or .kind == "near" or .kind == "containment")
           and (.containment | length == 2) and (.titles | length == 2) and (.sources | length == 2))' all.json
check "pairs are listed most similar first" \
    jq_ok '[.pairs[].similarity] as $s | $s == ($s | sort | reverse)' all.json
check "the copy that differs only in spacing and quote marks is an exact duplicate" \
    eval '[ "$(kind_of all.json orig copy)" = exact ]'
k=$(kind_of all.json orig boiler)
check "the copy with share and subscribe lines is paired with the original ($k)" \
    eval '[ "$k" = exact ] || [ "$k" = near ]'
check "the copy with its last paragraph cut is a near duplicate" \
    eval '[ "$(kind_of all.json orig cut)" = near ]'
check "the reprint under its own intro is a containment pair: the original first, held whole" \
    jq_ok '[.pairs[] | select(.b == "reprint" and .a == "orig")] | length == 1 and
           (.[0] | .kind == "containment" and .containment[0] >= 0.8 and .similarity < 0.8
                   and .containment[0] > .containment[1])' all.json
check "the unrelated story is in no pair" \
    jq_ok 'all(.pairs[]; .a != "unrelated" and .b != "unrelated")' all.json
check "the story that repeats one quote of the original is in no pair" \
    jq_ok 'all(.pairs[]; .a != "sameq" and .b != "sameq")' all.json
check "each pair is listed once" \
    jq_ok '[.pairs[] | [.a, .b] | sort] | length == (unique | length)' all.json

run "$QT" dups --db all.db --json --min 0.99
cp "$T/out" high.json
check "--min 0.99 keeps the exact pair and drops the reprint (0.98 of the original in it)" \
    eval 'rc_is 0 && [ "$(kind_of high.json orig copy)" = exact ] &&
          [ "$(kind_of high.json orig reprint)" = none ] && jq_ok ".min == 0.99" high.json'
# Under 0.99 alike, but the cut version is held whole in the original.
check "--min 0.99 makes the cut ending a containment pair, the cut one first" \
    jq_ok '[.pairs[] | select(.a == "cut" and .b == "orig")] | length == 1 and
           (.[0] | .kind == "containment" and .similarity < 0.99 and .containment[0] >= 0.99)' high.json
check "pairs near --min are counted from the texts, and say so" \
    jq_ok '[.pairs[] | select(.a == "cut" and .b == "orig")] | .[0].counted == true' high.json
run "$QT" dups --db all.db --json --min=0.5
check "--min=0.5 lists at least the pairs of 0.8" \
    eval 'rc_is 0 && jq_ok --slurpfile all all.json "(.pairs | length) >= (\$all[0].pairs | length)" "$T/out"'

run "$QT" dups --db all.db
check "the table exits 0, with a header and the count on stderr" \
    eval 'rc_is 0 && head -n 1 "$T/out" | grep -q "^SIM  *KIND  *A IN B  *B IN A  *BY  *A  *B\$" &&
          err_has "^[0-9][0-9]* pairs among 7 articles"'
check "the table has one row per pair, with the ids and kinds" \
    eval '[ "$(lines "$T/out")" = $(( $(jq ".pairs | length" all.json) + 1 )) ] &&
          grep -q "^0\.[0-9][0-9]  containment .* orig .*reprint" "$T/out" &&
          grep -q "^1\.00  exact " "$T/out"'
check "table rows show titles, and fit 120 columns" \
    eval 'out_has "Floating library" && ! LC_ALL=C.UTF-8 grep -q "^.\{121\}" "$T/out"'

# ---- nothing found -----------------------------------------------------------------------------

"$QT" ingest --db apart.db fx/unrelated.txt fx/sameq.txt fx/orig.txt 2>/dev/null
run "$QT" dups --db apart.db
check "no pair: exit 1, nothing on stdout, one line on stderr" \
    eval 'rc_is 1 && out_empty && [ "$(lines "$T/err")" = 1 ] && err_has "no near-duplicate pairs"'
run "$QT" dups --db apart.db --json
check "no pair with --json: exit 1, and still the one object, with no pairs" \
    eval 'rc_is 1 && jq_ok ".pairs == [] and .articles == 3" "$T/out"'

# ---- order and batches do not matter -----------------------------------------------------------

for n in $NAMES; do
    jq -c --arg id "$n" 'select(.id == $id)' fx/all.jsonl >"fx/one-$n.jsonl"
    "$QT" ingest --db byone.db "fx/one-$n.jsonl" 2>/dev/null
done
for n in $(echo $NAMES | tr ' ' '\n' | tac); do
    "$QT" ingest --db reverse.db "fx/one-$n.jsonl" 2>/dev/null
done
# The sources differ by construction (fx/one-orig.jsonl:1): everything else must be equal.
nosrc() { jq -c 'del(.pairs[].sources)' "$1"; }
"$QT" dups --db byone.db --json >byone.json 2>/dev/null
"$QT" dups --db reverse.db --json >reverse.json 2>/dev/null
nosrc all.json >all.nosrc
check "ingesting one article at a time gives the same output as all at once" \
    eval 'nosrc byone.json | cmp -s - all.nosrc'
check "ingesting in reverse order gives the same output" eval 'nosrc reverse.json | cmp -s - all.nosrc'
check "(and that output is not empty)" jq_ok '.pairs | length >= 5' byone.json
"$QT" ingest --db all.db fx/all.jsonl 2>/dev/null
"$QT" dups --db all.db --json >again.json 2>/dev/null
check "ingesting the same file again changes nothing" cmp -s again.json all.json

# ---- the same text under another id ------------------------------------------------------------

# An exact copy of orig's bytes under another JSONL id, in another file: stored once, but listed.
jq -c 'select(.id == "orig") | .id = "orig-wire"' fx/all.jsonl >fx/wire.jsonl
"$QT" ingest --db all.db fx/wire.jsonl 2>/dev/null
run "$QT" dups --db all.db --json
cp "$T/out" wire.json
check "an exact copy under another JSONL id is an exact pair of similarity 1 with the original" \
    jq_ok '[.pairs[] | select(.a == "orig" and .b == "orig-wire")] | length == 1 and
           (.[0] | .kind == "exact" and .similarity == 1 and .containment == [1, 1]
                   and .sources == ["fx/all.jsonl:1", "fx/wire.jsonl:1"])' wire.json
check "the copy is paired with the original's other duplicates too, like the original" \
    eval '[ "$(kind_of wire.json orig-wire cut)" = "$(kind_of wire.json orig cut)" ] &&
          [ "$(kind_of wire.json orig-wire reprint)" = containment ]'
check "no article is paired with itself" jq_ok 'all(.pairs[]; .a != .b)' wire.json
"$QT" ingest --db all.db fx/wire.jsonl fx/all.jsonl 2>/dev/null
"$QT" dups --db all.db --json >wire-again.json 2>/dev/null
check "ingesting both files again changes nothing" cmp -s wire-again.json wire.json
"$QT" ingest --db wirefirst.db fx/wire.jsonl fx/all.jsonl 2>/dev/null
"$QT" dups --db wirefirst.db --json >wirefirst.json 2>/dev/null
check "the copy first, then the original: the same output" cmp -s wirefirst.json wire.json

# ---- a bucket of boilerplate bodies ------------------------------------------------------------

# 70 pages with the same notice as their whole body: different bytes (trailing spaces), the
# same words, so every band key is shared by all 70.
for i in $(seq 1 70); do
    jq -nc --arg id "wall-$i" --arg text "Notice$(printf '%*s' "$i" '')

The page you asked for is not available in your region at the moment, so please try again later from another connection or contact the help desk." '{id: $id, text: $text}'
done >fx/wall.jsonl
"$QT" ingest --db wall.db fx/wall.jsonl 2>/dev/null
run "$QT" dups --db wall.db --json
check "a bucket of 70 pairs 64 of them: 2016 exact pairs, the cut reported in the JSON" \
    eval 'rc_is 0 && jq_ok "(.pairs | length) == 2016 and all(.pairs[]; .kind == \"exact\")
          and .truncated.buckets == 48 and .truncated.pairs == 48 * (2415 - 2016)" "$T/out"'
check "the cut is reported on stderr too" \
    eval 'err_has "warning: 48 band values" && err_has "64 articles"'
check "exactly 64 of the 70 pages are paired" \
    eval 'jq_ok "[.pairs[] | .a, .b] | unique | length == 64" "$T/out"'
cp "$T/out" wall.json
tac fx/wall.jsonl >fx/llaw.jsonl
"$QT" ingest --db llaw.db fx/llaw.jsonl 2>/dev/null
"$QT" dups --db llaw.db --json >llaw.json 2>/dev/null
check "the 64 kept do not depend on ingest order" eval 'nosrc llaw.json | cmp -s - <(nosrc wall.json)'

# ---- a database from before signatures ---------------------------------------------------------

if have sqlite3; then
    cp all.db old.db
    sqlite3 old.db 'DROP TABLE article_names; DROP TABLE times; DROP TABLE article_dates; ALTER TABLE articles DROP COLUMN site; ALTER TABLE articles DROP COLUMN byline; ALTER TABLE articles DROP COLUMN rating; DROP TABLE qkeys; DROP TABLE copies;
        DROP TABLE signatures; PRAGMA user_version = 4;'
    run "$QT" dups --db old.db
    check "dups on a database from before signatures exits 2, asking for an ingest" \
        eval 'rc_is 2 && err_has "ingest" && out_empty'
    printf 'Ferry notice\n\nThe evening ferry to Sorbyn will leave ten minutes early on Friday.\n' \
        >fx/notice.txt
    "$QT" ingest --db old.db fx/notice.txt 2>/dev/null
    run "$QT" dups --db old.db --json
    check "after the upgrade, its old articles are not compared, and dups says so" \
        eval 'rc_is 1 && jq_ok ".unsigned == 7 and .articles == 1 and .pairs == []" "$T/out" &&
              err_has "7 articles stored before signatures" && err_has "ingest --reprocess"'
    "$QT" ingest --db old.db --reprocess 2>/dev/null
    "$QT" dups --db old.db --json >old.json 2>/dev/null
    check "after ingest --reprocess, the same pairs as a new database" \
        eval 'jq -c .pairs old.json >p1 && jq -c .pairs all.json >p2 && cmp -s p1 p2 &&
              jq_ok ".unsigned == 0 and (.pairs | length) >= 5" old.json'
else
    skip "a database from before signatures" "no sqlite3 command"
fi

check "no crash or sanitizer report" no_crash
finish
