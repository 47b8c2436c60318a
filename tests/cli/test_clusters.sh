# test_clusters.sh - end-to-end checks of `quotetrail clusters`: the same quote across stored
# articles, from the quote keys the store keeps. Fictional articles written here: a quote
# printed whole in "orig" and reprinted whole in "first" (stored first, published later), a
# fragment of it in "frag", an unrelated undated quote in "other", and an exact copy of "orig"
# under the id "orig-copy" (published later). The first three form one cluster whose earliest
# carrier is "orig" by published date; a copy "orig-early" published before it is the earliest
# carrier instead, in either ingest order; "other" is its own cluster, earliest by storage;
# the copy's id gets an occurrence line; offsets are the quote's bytes in the text; a stock
# phrase held by more than 200 quotes joins none of them and is reported; usage errors.
#
# usage: bash tests/cli/test_clusters.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

if ! have jq; then
    skip "clusters" "jq is not installed"
    finish
    exit
fi

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p fx
Q='We looked at that hull and saw shelves, and everybody told us it would sink or leak.'
art()   # art ID PUBLISHED|"" TITLE TEXT
{
    jq -nc --arg id "$1" --arg p "$2" --arg ti "$3" --arg t "$4" \
        '{id: $id, title: $ti, text: $t} + (if $p == "" then {} else {published: $p} end)'
}
{
    art first 2024-03-05T10:00:00Z "Queue at floating library" "The floating library on Lake Vellmark drew a queue along the pier on its first morning, organisers said on Monday.

“$Q” Oskar Lindqvist told reporters at the opening.

The barge will spend the summer travelling between the six villages on the shore."
    art orig 2024-03-01T08:00:00Z "Floating library opens" "A converted grain barge moored at the east pier of Lake Vellmark opened its doors on Saturday as the region's first floating library.

“$Q” said Oskar Lindqvist, the retired shipwright who led the volunteers.

Volunteers stripped the barge down to bare steel over two winters and lined the hold with pine boards from a sawmill in the hills."
    art frag 2024-03-07T09:30:00Z "Old barges, new lives" "Shipwrights in the north of the county say old barges are finding new lives as shops, cafes and even a library.

Oskar Lindqvist, who rebuilt one at Vellmark, remembered the doubters. “Everybody told us it would sink or leak,” he said.

Steel prices have made such conversions cheaper than new hulls this year."
    art other "" "New bus timetable" "The county council approved a new bus timetable for the lake villages on Thursday after months of complaints.

“The first bus will now leave the station before six every weekday morning,” said transport officer Mira Halvorsen.

The changes take effect in April."
} >fx/all.jsonl
jq -c 'select(.id == "orig") | .id = "orig-copy" | .published = "2024-03-09T00:00:00Z"' \
    fx/all.jsonl >fx/copy.jsonl

"$QT" ingest --db all.db fx/all.jsonl fx/copy.jsonl 2>/dev/null

# ---- clusters --json ---------------------------------------------------------------------------

run "$QT" clusters --db all.db --json
check "clusters --json exits 0 with JSON lines" eval 'rc_is 0 && json_lines "$T/out" && no_crash'
cp "$T/out" c.jsonl
cl() { jq -r --arg a "$1" 'select(.article == $a) | .cluster' c.jsonl; }
check "one occurrence per article with a keyed quote, the copy's id included" \
    eval '[ "$(jq -r "select(.article) | .article" c.jsonl | sort | tr "\n" " ")" = "first frag orig orig-copy other " ]'
check "the reprint and the fragment join the original's cluster" \
    eval '[ -n "$(cl orig)" ] && [ "$(cl first)" = "$(cl orig)" ] && [ "$(cl frag)" = "$(cl orig)" ]'
check "the exact copy's id is in the original's cluster" eval '[ "$(cl orig-copy)" = "$(cl orig)" ]'
check "the unrelated quote is a cluster of its own" \
    eval '[ -n "$(cl other)" ] && [ "$(cl other)" != "$(cl orig)" ]'
check "two cluster lines, each naming its earliest carrier" \
    eval '[ "$(jq -c "select(.earliest)" c.jsonl | wc -l)" -eq 2 ]'
check "earliest carrier by published date, not by storage order" \
    jq_ok -s --arg c "$(cl orig)" \
    'map(select(.cluster == $c and .earliest)) | .[0] | .earliest == "orig" and .rule == "published" and .size == 3' c.jsonl
check "an undated cluster names the article stored first, and says so" \
    jq_ok -s --arg c "$(cl other)" \
    'map(select(.cluster == $c and .earliest)) | .[0] | .earliest == "other" and .rule == "stored first"' c.jsonl
# start/end are byte offsets of the quote's words in the article's text (marks excluded).
slice() { # slice ID: the text of ID's occurrence, cut from its JSONL text by byte offsets
    local s e
    s=$(jq -r --arg a "$1" 'select(.article == $a) | .start' c.jsonl)
    e=$(jq -r --arg a "$1" 'select(.article == $a) | .end' c.jsonl)
    jq -j --arg a "$1" 'select(.id == $a) | .text' fx/all.jsonl | head -c "$e" | tail -c "+$((s + 1))"
}
check "offsets cut the quote out of the original's text" eval '[ "$(slice orig)" = "$Q" ]'
check "offsets cut the fragment out of its text" \
    eval '[ "$(slice frag)" = "Everybody told us it would sink or leak," ]'

# ---- table -------------------------------------------------------------------------------------

run "$QT" clusters --db all.db
check "the table lists both clusters with size, earliest carrier and rule" \
    eval 'rc_is 0 && out_has "^1  *3  orig (published 2024-03-01" && out_has "other (stored first)"'
check "the table shows the first member's text, shortened" \
    eval 'out_has "We looked at that hull" && ! out_has "sink or leak" && err_has "2 clusters of 4 quotes"'

# An exact copy under another id, published before the original: its id is the earliest
# carrier (each copy keeps its own date), whichever file is ingested first.
jq -c 'select(.id == "orig") | .id = "orig-early" | .published = "2024-02-20T07:00:00Z"' \
    fx/all.jsonl >fx/early.jsonl
"$QT" ingest --db early1.db fx/all.jsonl fx/early.jsonl 2>/dev/null
"$QT" ingest --db early2.db fx/early.jsonl fx/all.jsonl 2>/dev/null
for d in early1 early2; do
    run "$QT" clusters --db $d.db --json
    check "$d: an exact copy published earlier is the earliest carrier, under its own id" \
        eval 'rc_is 0 && jq_ok -s "map(select(.earliest and .size == 3)) | length == 1 and .[0].earliest == \"orig-early\" and .[0].rule == \"published\"" "$T/out"'
    check "$d: occurrence lines for both ids of the text, as before" \
        eval '[ "$(jq -r "select(.article) | .article" "$T/out" | sort | tr "\n" " ")" = "first frag orig orig-early other " ]'
    jq -c 'select(.article) | del(.cluster)' "$T/out" | sort >$d.occ
    run "$QT" clusters --db $d.db
    check "$d: the table names the copy and its date" \
        eval 'rc_is 0 && out_has "^1  *3  orig-early (published 2024-02-20"'
done
check "the two ingest orders give the same occurrences" \
    eval '[ -s early1.occ ] && cmp -s early1.occ early2.occ'

# Two long quotes sharing one 4-word shingle ("everybody told us it") stay apart.
{
    jq -c 'select(.id == "orig")' fx/all.jsonl
    art onehash 2024-03-02T08:00:00Z "Fishermen expect hard winter" "Fishermen on the lake expect a hard season as the ice comes early.

“Everybody told us it was going to be a long winter for the boats on this lake,” said Per Dahl, who fishes from Vellmark.

Prices for smoked fish have already risen."
} >fx/onehash.jsonl
"$QT" ingest --db onehash.db fx/onehash.jsonl 2>/dev/null
run "$QT" clusters --db onehash.db --json
check "long quotes sharing a single hash are not joined" \
    eval 'rc_is 0 && [ "$(jq -c "select(.earliest and .size == 1)" "$T/out" | wc -l)" -eq 2 ]'

# ---- a stock phrase ----------------------------------------------------------------------------

for i in $(seq 1 201); do
    art "s$i" "" "Notice $i" "Officers visited house number $i on Mill Lane during the morning patrol.

“No comment,” a resident of house $i said."
done >fx/stock.jsonl
"$QT" ingest --db stock.db fx/stock.jsonl 2>/dev/null
run "$QT" clusters --db stock.db --json
check "a hash held by over 200 quotes joins none of them, and is reported" \
    eval 'rc_is 0 && [ "$(jq -c "select(.size == 1)" "$T/out" | wc -l)" -eq 201 ] && err_has "1 quote key hash held by more than 200"'
art s202 "" "Notice 202" "Officers visited the last house on Mill Lane.

“No comment,” a resident said." >fx/stock2.jsonl
"$QT" ingest --db few.db fx/stock2.jsonl fx/all.jsonl 2>/dev/null
"$QT" ingest --db few.db <(head -n 3 fx/stock.jsonl) 2>/dev/null
run "$QT" clusters --db few.db --json
check "under the cap, a short quote joins on its one hash" \
    eval 'rc_is 0 && jq_ok -s "map(select(.earliest and .size == 4)) | length == 1" "$T/out" && ! err_has "stock"'

# ---- errors ------------------------------------------------------------------------------------

run "$QT" clusters --db all.db --bogus
check "an unknown option is a usage error" eval 'rc_is 2 && err_has "unknown option"'
run "$QT" clusters --db missing.db
check "a missing database exits 2" eval 'rc_is 2 && out_empty'
"$QT" ingest --db empty.db /dev/null 2>/dev/null
run "$QT" clusters --db empty.db
check "no quote stored exits 1" eval 'rc_is 1 && err_has "no stored quotes"'
run "$QT" --help
check "the command list names clusters" out_has "clusters"

finish
