# test_trace.sh - end-to-end checks of `quotetrail trace` and of what `clusters` now says about
# a cluster. Fictional articles written here: a mayor's words given to the Harbour Gazette
# ("gazette", dated first), reprinted with an ellipsis under her surname only ("trimmed"),
# with a bracketed edit and another venue ("bracket", dated later), credited to someone else by
# an undated outlet ("conflict"), and an unrelated quote with accents ("cafe"). Checked: the
# carriers' date order (an undated one by its inferred date), the first carrier and the first venue, each carrier's
# word diff against the fullest wording, the conflict flag (and that a surname alone is no
# conflict), the JSON shape, accent-, case- and quote-mark-insensitive words, exit statuses.
#
# usage: bash tests/cli/test_trace.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

if ! have jq; then
    skip "trace" "jq is not installed"
    finish
    exit
fi

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p fx
art()   # art ID PUBLISHED|"" TITLE TEXT
{
    jq -nc --arg id "$1" --arg p "$2" --arg ti "$3" --arg t "$4" \
        '{id: $id, title: $ti, text: $t} + (if $p == "" then {} else {published: $p} end)'
}
{
    art bracket 2024-03-05T09:00:00Z "Mayor repeats harbour pledge" "The mayor of Port Saint-Clair repeated her pledge on the radio on Tuesday.

“We’ll rebuild the [sea] wall before winter comes again, and nobody in Port Saint-Clair will pay a cent more for it, not even the café owners,” Renée Moreau said in an interview with Coastline Radio.

The council meets again next month."
    art conflict "" "Harbour master speaks" "Work on the old harbour is expected to begin soon.

“We’ll rebuild the harbour wall before winter comes again, and nobody in Port Saint-Clair will pay a cent more for it,” said Paul Girard, the harbour master.

Girard has worked at the port for thirty years."
    art gazette 2024-03-01T08:00:00Z "Harbour wall to be rebuilt" "PORT SAINT-CLAIR — The town council voted on Tuesday to fund repairs to the old harbour wall.

“We’ll rebuild the harbour wall before winter comes again, and nobody in Port Saint-Clair will pay a cent more for it, not even the café owners,” Renée Moreau told the Harbour Gazette.

Moreau, 52, said the money would come from the town’s reserve fund."
    art trimmed 2024-03-03T12:00:00Z "Council backs harbour plan" "The council backed the harbour plan by seven votes to two.

“We’ll rebuild the harbour wall before winter comes again … nobody in Port Saint-Clair will pay a cent more for it, not even the café owners,” Moreau said.

Two councillors wanted the money spent on roads."
    art cafe 2024-02-10T10:00:00Z "Station café to close" "The café at the old station will close for the summer.

“L’été sera calme à la gare, and the café will open again in September,” said Élodie Fairchild, who runs it.

The station itself stays open."
} >fx/all.jsonl

"$QT" ingest --db t.db fx/all.jsonl 2>/dev/null

# ---- trace --json ------------------------------------------------------------------------------

run "$QT" trace --db t.db --json rebuild the harbour wall
check "trace --json exits 0 with one JSON object" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" -eq 1 ] && jq_ok . "$T/out" && no_crash'
cp "$T/out" t.json
check "the JSON has the DESIGN.md shape" \
    jq_ok '.query == "rebuild the harbour wall" and (.clusters | length) == 1 and
           (.clusters[0] | has("id") and has("text") and has("speakers") and has("venue")
            and has("first") and has("carriers") and has("conflict")) and
           (.clusters[0].carriers | all(has("source") and has("id") and has("title")
            and has("published") and has("published_inferred") and has("text")
            and has("speaker") and has("venue") and has("diff")))' t.json
check "carriers in date order, the undated one by its inferred date (it follows gazette)" \
    jq_ok '[.clusters[0].carriers[].id] == ["gazette", "conflict", "trimmed", "bracket"]' t.json
check "an undated carrier gives its inferred date, a dated one null" \
    jq_ok '(.clusters[0].carriers[1].published_inferred | .from == "2024-03-01" and .to == null
            and (.evidence | contains("follows gazette")))
           and ([.clusters[0].carriers[] | select(.published) | .published_inferred] | all(. == null))' t.json
check "the first carrier is the earliest dated, by published date" \
    jq_ok '.clusters[0].first.id == "gazette" and .clusters[0].rule == "published"' t.json
check "the first venue is the earliest dated carrier's, not a later one's" \
    jq_ok '.clusters[0].venue == "Harbour Gazette" and .clusters[0].venue_rule == "earliest dated"' t.json
check "each carrier keeps its own venue" \
    jq_ok '[.clusters[0].carriers[].venue] == ["Harbour Gazette", null, null, "Coastline Radio"]' t.json
check "the fullest wording is the canonical text, and its carrier has no diff" \
    jq_ok '(.clusters[0].text | startswith("We’ll rebuild the harbour wall") and endswith("café owners,"))
           and (.clusters[0].carriers[0] | .same and .diff == .text)' t.json
check "the ellipsis reprint's diff shows the cut" \
    jq_ok '.clusters[0].carriers[2].diff | contains("[-and-]") and contains("{+…+}")' t.json
check "the bracketed edit's diff shows the replaced word" \
    jq_ok '.clusters[0].carriers[3].diff | contains("[-harbour-]") and contains("{+[sea]+}")' t.json
check "the shorter reprint's diff shows the words it lacks" \
    jq_ok '.clusters[0].carriers[1] | .removed == 5 and .added == 0 and (.diff | contains("[-not even the café owners,-]"))' t.json
check "outlets crediting different people are a conflict" \
    jq_ok '.clusters[0].conflict and (.clusters[0].speakers | sort) == ["Paul Girard", "Renée Moreau"]' t.json
check "a surname alone is the same person, not a conflict" \
    jq_ok '.clusters[0].carriers[2].speaker == "Moreau" and (.clusters[0].speakers | index("Moreau")) == null' t.json
check "carriers name their source" \
    jq_ok '.clusters[0].carriers | all(.source | startswith("fx/all.jsonl:"))' t.json

# ---- words: accents, case, quote marks ---------------------------------------------------------

run "$QT" trace --db t.db --json "WE'LL REBUILD"
check "a straight apostrophe and capitals find the curly, lower-case text" \
    eval 'rc_is 0 && jq_ok ".clusters[0].carriers | length == 4" "$T/out"'
run "$QT" trace --db t.db --json "“we’ll" rebuild
check "curly quote marks in the words are no obstacle" \
    eval 'rc_is 0 && jq_ok ".clusters | length == 1" "$T/out"'
run "$QT" trace --db t.db --json cafe OWNERS
check "words without accents find accented text" \
    eval 'rc_is 0 && jq_ok ".clusters | length == 1 and .[0].carriers[0].id == \"gazette\"" "$T/out"'
run "$QT" trace --db t.db --json "l'ete" gare
check "accented words of another quote find it, and only it" \
    eval 'rc_is 0 && jq_ok ".clusters | length == 1 and .[0].first.id == \"cafe\" and .[0].conflict == false" "$T/out"'
run "$QT" trace --db t.db --json café
check "a word two clusters share finds both, the one more carriers have it in first" \
    eval 'rc_is 0 && jq_ok "[.clusters[].first.id] == [\"gazette\", \"cafe\"]" "$T/out"'

# ---- the report --------------------------------------------------------------------------------

run env NO_COLOR=1 "$QT" trace --db t.db harbour wall
check "the report names the first venue, the conflict and the first carrier" \
    eval 'rc_is 0 && out_has "first given to Harbour Gazette (earliest dated)" && out_has "CONFLICT" && out_has "First carrier: gazette (published 2024-03-01"'
check "the report lists carriers in date order with diff marks, no colour off a terminal" \
    eval 'out_has "^   1\. 2024-03-01" && out_has "^   2\. (2024-03-01\.\.) *conflict" && out_has "{+\[sea\]+}" && ! grep -q $'"'"'\x1b'"'"' "$T/out"'
check "the count goes to stderr" err_has "^1 cluster$"

# ---- clusters shows the same ------------------------------------------------------------------

run "$QT" clusters --db t.db --json
check "clusters --json: the cluster line adds text, speakers, conflict and venue" \
    eval 'rc_is 0 && jq_ok -s "map(select(.earliest == \"gazette\")) | .[0] | .size == 4 and .conflict and .venue == \"Harbour Gazette\" and (.text | endswith(\"café owners,\"))" "$T/out"'
check "clusters --json: occurrence lines keep their fields and add speaker and venue" \
    eval 'jq_ok -s "map(select(.article == \"trimmed\")) | .[0] | has(\"start\") and has(\"end\") and has(\"cluster\") and .speaker == \"Moreau\"" "$T/out"'
run "$QT" clusters --db t.db
check "the clusters table shows venue and speakers with the conflict" \
    eval 'rc_is 0 && out_has "Harbour Gazette" && out_has "conflict: Renée Moreau" && out_has "FIRST VENUE"'

# ---- the earliest carrier by inferred dates ----------------------------------------------------
# Undated articles carrying one quote, dated only by the years their texts mention: "mid"
# mentions 2019, "early" (stored last, with the greatest id) 2017, "late" March 2021. Then a
# dated carrier whose date the undated ones' ranges overlap.

ferry="“We will keep the island ferry running every morning until the new bridge opens, whatever it costs the county,”"
art late "" "Ferry cuts reversed" "The ferry service was cut in March 2021 after a close council vote.

$ferry said Ines Calder, who runs the ferry.

Passengers on the island welcomed the news." >fx/late.jsonl
art mid "" "Bridge plan worries islanders" "When the bridge plan was first drawn up in 2019, islanders worried about the crossing.

$ferry Calder said.

The county has not yet set a budget." >fx/mid.jsonl
art zz-early "" "A ferry for the island" "The old pier was rebuilt in 2017 with money from the county.

$ferry Ines Calder told islanders at the pier.

A new timetable starts next month." >fx/early.jsonl
art dated 2020-06-01 "County backs the ferry" "The county board met on Monday.

$ferry Calder said on the radio.

The vote was unanimous." >fx/dated.jsonl

"$QT" ingest --db f1.db fx/late.jsonl fx/mid.jsonl 2>/dev/null
"$QT" ingest --db f1.db fx/early.jsonl 2>/dev/null
"$QT" ingest --db f2.db fx/early.jsonl 2>/dev/null
"$QT" ingest --db f2.db fx/mid.jsonl fx/late.jsonl 2>/dev/null

run "$QT" trace --db f1.db --json island ferry running
cp "$T/out" f1.json
check "no carrier dated: the earliest inferred date is the first carrier (rule inferred)" \
    jq_ok '.clusters[0] | .rule == "inferred" and .first.id == "zz-early" and .first.published == null
           and (.first.published_inferred | .from == "2017" and (.evidence | contains("2017")))' f1.json
check "undated carriers in order of their inferred dates" \
    jq_ok '[.clusters[0].carriers[] | [.id, .published_inferred.from]] ==
           [["zz-early", "2017"], ["mid", "2019"], ["late", "2021-03"]]' f1.json
run "$QT" clusters --db f1.db --json
check "clusters --json gives rule inferred with the range" \
    eval 'jq_ok -s "map(select(.rule)) | .[0] | .earliest == \"zz-early\" and .rule == \"inferred\" and .earliest_published == null and .earliest_inferred.from == \"2017\" and .earliest_inferred.to == null" "$T/out"'
cp "$T/out" f1.clusters
run "$QT" clusters --db f1.db
check "the clusters table names the rule and the range" out_has "zz-early (inferred 2017\.\.)"
run env NO_COLOR=1 "$QT" trace --db f1.db island ferry running
check "the report shows inferred dates in brackets and the evidence" \
    eval 'out_has "First carrier: zz-early (inferred 2017\.\.)" && out_has "inferred: mentions 2017" && out_has "^   1\. (2017\.\.) *zz-early" && out_has "^   3\. (2021-03\.\.) *late"'
run "$QT" trace --db f2.db --json island ferry running
check "the same carriers and first carrier whichever order the articles came in" \
    eval 'jq_ok -s ".[0] == .[1]" f1.json "$T/out"'
run "$QT" clusters --db f2.db --json
check "the same clusters --json whichever order the articles came in" \
    eval 'cmp -s f1.clusters "$T/out"'

"$QT" ingest --db f1.db fx/dated.jsonl 2>/dev/null
run "$QT" trace --db f1.db --json island ferry running
check "a dated carrier beats undated ones whose inferred ranges overlap its date" \
    jq_ok '.clusters[0] | .rule == "published" and .first.id == "dated" and .carriers[0].id == "dated"
           and ([.carriers[] | select(.id == "zz-early") | .published_inferred.from] == ["2020-06-01"])' "$T/out"

# ---- exit statuses -----------------------------------------------------------------------------

run "$QT" trace --db t.db --json zeppelin
check "nothing matched: exit 1, an empty list in JSON" \
    eval 'rc_is 1 && jq_ok ".clusters == []" "$T/out" && err_has "no quote cluster"'
run "$QT" trace --db t.db harbour zeppelin
check "every word must match" eval 'rc_is 1 && out_empty'
run "$QT" trace --db t.db
check "no words is a usage error" eval 'rc_is 2 && err_has "no words"'
run "$QT" trace --db t.db --bogus wall
check "an unknown option is a usage error" eval 'rc_is 2 && err_has "unknown option"'
run "$QT" trace --db t.db -- --bogus
check "after --, words that look like options are words" eval 'rc_is 1'
run "$QT" trace --db missing.db wall
check "a missing database exits 2" eval 'rc_is 2 && out_empty'
run "$QT" trace --help
check "--help teaches, with examples, on stdout" \
    eval 'rc_is 0 && out_has "^usage: quotetrail trace" && out_has "Examples:" && err_empty'
run "$QT" --help
check "the command list names trace" out_has "trace"

finish
