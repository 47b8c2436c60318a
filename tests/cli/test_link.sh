# test_link.sh - end-to-end checks of `quotetrail link` (the reduce step of DESIGN.md's
# scale-out) and of incremental ingest. A fictional corpus of ten dated articles (a story, an
# exact copy under another id, a copy with its last paragraph cut, a reprint under its own
# intro, two stories citing its quotes, one trimming a quote, and unrelated stories) is stored
# four ways: (1) ingested at once, (2) one file per ingest run, (3) in reverse order in two
# runs, (4) extracted with --fingerprints into two shards and linked. dups, clusters, quotes,
# people and stories (all --json; dups from the fingerprints alone; stories from the entity
# keys the records carry) must print the same, byte for byte, every way. Then: linking reads
# fingerprints only (old texts wiped from the store before the next ingest change nothing),
# link is idempotent, refuses records per line (no fingerprint, other schema, other engine)
# with exit 3 or 2, --reprocess leaves text-less articles alone, records with their text are
# stored whole, and examples/scale-out/map-reduce.sh gives the same database as ingest.
#
# usage: bash tests/cli/test_link.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p corpus
# art ID FILE PUBLISHED TITLE TEXT: one JSONL article (text with \n escapes as given).
art()
{
    printf '{"id": "%s", "published": "%s", "title": "%s", "text": "%s"}\n' "$1" "$3" "$4" "$5" >>"corpus/$2"
}

P1='The ferry service between Orlen Harbour and the island of Skarva will stop running at the end of March, the regional transport board announced on Monday, after forty one years of daily crossings.'
P2='\u201cWe cannot keep an old boat afloat with money we do not have,\u201d said Ingrid Malmo, who chairs the transport board. \u201cThe engines are older than most of the crew, and the insurers have told us plainly that they will not cover another winter.\u201d'
P3='Islanders have started a petition asking the board to lease a smaller vessel for the summer months, when tourists fill the guesthouses on the western shore and the ferry often runs full.'
P4='\u201cThis island does not exist without that boat,\u201d said Tomas Brekke, who runs the bakery beside the Skarva pier. \u201cMy flour comes on it, my customers come on it, and my daughter goes to school on it every single morning.\u201d'
P5='The board said a decision on a replacement service would be taken at its meeting in June, and that a water taxi would carry passengers with medical appointments in the meantime.'
INTRO='Residents of a small northern island gathered at the harbour on Tuesday evening to protest against a decision they say will cut them off from the mainland for good, and organisers promised more protests before spring.'
OTHER1='The Orlen town museum reopened its maritime hall on Saturday after a two year restoration that replaced the roof, the lighting and every display case in the building, and volunteers catalogued more than three thousand objects.'
OTHER2='\u201cPeople will finally see the models as the builders meant them to be seen,\u201d said curator Aino Lahti, standing beside a scale model of a herring drifter that took a retired captain nine winters to finish.'
OTHER3='Admission will be free for the first month, and the museum plans evening openings in the summer when the cruise ships call at the deep water quay.'
WX1='A storm warning was issued for the whole coast on Thursday as forecasters predicted gusts of up to one hundred kilometres an hour along the exposed headlands north of Orlen.'
WX2='\u201cStay off the breakwaters and keep away from the cliff paths until the wind drops,\u201d said coastguard officer Lena Sund. Schools on the islands will close early on Friday.'

art orig     01-orig.jsonl     2024-03-04 'Skarva ferry to stop after 41 years' "$P1\n\n$P2\n\n$P3\n\n$P4\n\n$P5"
art copy     02-copy.jsonl     2024-03-05 'Skarva ferry to stop after 41 years' "$P1\n\n$P2\n\n$P3\n\n$P4\n\n$P5"
art cut      03-cut.jsonl      2024-03-05 'Island ferry to end' "$P1\n\n$P2\n\n$P3\n\n$P4"
art reprint  04-reprint.jsonl  2024-03-06 'Islanders protest ferry closure' "$INTRO\n\n$P1\n\n$P2\n\n$P3\n\n$P4"
art cites    05-cites.jsonl    2024-03-08 'Weekend reading: the islands' "Our weekly look at life on the outer islands begins with Skarva, where the board has said its ferry will stop.\n\nMalmo was blunt: \u201cWe cannot keep an old boat afloat with money we do not have.\u201d The petition has gathered some four hundred names.\n\n\u201cThis island does not exist without that boat,\u201d the baker Tomas Brekke said."
art trims    06-trims.jsonl    2024-03-02 'Transport board weighs ferry future' "The regional transport board is expected to decide soon on the Skarva ferry.\n\nIts chair, Ingrid Malmo, said last week that the engines were \u201colder than most of the crew\u201d and that the board would look at every option."
art museum   07-museum.jsonl   2024-02-20 'Maritime hall reopens' "$OTHER1\n\n$OTHER2\n\n$OTHER3"
art museum2  08-museum2.jsonl  2024-02-21 'Museum hall back after restoration' "$OTHER1\n\n$OTHER2"
art storm    09-storm.jsonl    2024-01-11 'Storm warning for the coast' "$WX1\n\n$WX2"
art storm2   10-storm2.jsonl   2024-01-11 'Gales expected along the coast' "$WX1\n\n$WX2\n\nFerries to the islands may be cancelled at short notice."

FILES=(corpus/*.jsonl)
REV=($(printf '%s\n' "${FILES[@]}" | LC_ALL=C sort -r))

# snapshot DB NAME: the four query outputs of DB as NAME.{dups,clusters,quotes,people}. dups
# --estimates-only: what linking stores (fingerprints); plain dups also counts from the texts the
# pairs near --min (compared apart below, since a shard made without --with-text has none).
snapshot()
{
    for c in dups clusters quotes people stories; do
        "$QT" "$c" --db "$1" --json $([ "$c" = dups ] && echo --estimates-only) >"$2.$c" 2>/dev/null
    done
    "$QT" dups --db "$1" --json >"$2.counted" 2>/dev/null
}
same_as()   # same_as NAME REF: every output of NAME equals REF's, and REF's are not empty
{
    local c
    for c in dups clusters quotes people stories; do
        [ -s "$2.$c" ] && cmp -s "$1.$c" "$2.$c" || { diff "$2.$c" "$1.$c" | head -5; return 1; }
    done
}
# same_set NAME REF: as same_as, but quotes compared as a set of lines without the article's id,
# source and date. `quotes` is the one output where storage order shows, by design: it lists in
# "ingest order" (src/store/qt_store.h (1)), and a text stored once under several ids shows the
# identity it first arrived with. Every quote must still be there, the same in every other way.
same_set()
{
    local c
    for c in dups clusters people stories; do
        [ -s "$2.$c" ] && cmp -s "$1.$c" "$2.$c" || { diff "$2.$c" "$1.$c" | head -5; return 1; }
    done
    local norm='del(.article.id, .article.source, .article.published)'
    [ -s "$2.quotes" ] &&
        cmp -s <(jq -c "$norm" "$1.quotes" | LC_ALL=C sort) <(jq -c "$norm" "$2.quotes" | LC_ALL=C sort)
}

# ---- four ways to the same database ------------------------------------------------------------

run "$QT" ingest corpus --db all.db
check "(1) ingest of the whole corpus at once" rc_is 0
snapshot all.db all
check "the corpus has exact copies, near-duplicates and containment" jq_ok \
    '[.pairs[].kind] | any(. == "exact") and any(. == "near") and any(. == "containment")' all.dups
check "the corpus has quote clusters of several carriers" jq_ok -s \
    'map(select(.size != null and .size >= 3)) | length >= 2' all.clusters

for f in "${FILES[@]}"; do "$QT" ingest "$f" --db each.db 2>/dev/null || echo "ingest $f failed"; done
snapshot each.db each
check "(2) one file per ingest run gives the same dups, clusters, quotes, people, stories" \
    same_as each all

"$QT" ingest "${REV[@]:0:5}" --db rev.db 2>/dev/null
"$QT" ingest "${REV[@]:5}" --db rev.db 2>/dev/null
snapshot rev.db rev
check "(3) reverse order in two runs gives the same (quotes: the same lines)" same_set rev all

"$QT" extract --json --fingerprints "${FILES[@]:0:5}" >shard-a.jsonl 2>/dev/null
"$QT" extract --json --fingerprints "${FILES[@]:5}" | gzip >shard-b.jsonl.gz
run "$QT" link shard-a.jsonl shard-b.jsonl.gz --db linked.db
check "(4) link of two shards exits 0" rc_is 0
check "link says what it stored" err_has "linked 10 records (9 new, 1 already stored, 0 refused)"
check "the shards hold no text" jq_ok -s 'all(has("text") | not)' shard-a.jsonl
snapshot linked.db linked
check "(4) extract --fingerprints on two shards + link gives the same" same_as linked all
check "ingest counts a pair near --min from its texts" jq_ok '.counted >= 1' all.counted
run "$QT" dups --db linked.db --json
check "... shards without text leave it to the estimate, and dups says so" \
    eval 'rc_is 0 && jq_ok ".counted == 0" "$T/out" && err_has "left to the estimate"'

# ---- linking reads fingerprints, never the stored texts -----------------------------------------

if have sqlite3; then
    EVEN=() ODD=()
    for i in "${!FILES[@]}"; do
        if ((i % 2)); then ODD+=("${FILES[i]}"); else EVEN+=("${FILES[i]}"); fi
    done
    "$QT" ingest "${EVEN[@]}" --db wiped.db 2>/dev/null
    # Scramble the stored texts (same length, other words): were linking to read them, the new
    # articles would no longer match the old ones.
    sqlite3 wiped.db "UPDATE articles SET text =
        replace(replace(replace(replace(text, 'a', 'q'), 'e', 'z'), 'o', 'k'), ' ', 'x')"
    "$QT" ingest "${ODD[@]}" --db wiped.db 2>/dev/null
    snapshot wiped.db wiped
    check "old texts changed under the store change nothing that the next ingest links" \
        eval 'cmp -s wiped.dups all.dups && cmp -s wiped.clusters all.clusters'
else
    skip "old texts changed under the store change nothing" "no sqlite3 shell"
fi

# ---- idempotence -------------------------------------------------------------------------------

run "$QT" link shard-a.jsonl shard-b.jsonl.gz --db linked.db
check "linking the same shards again adds nothing" \
    eval 'rc_is 0 && err_has "(0 new, 10 already stored, 0 refused), 0 quotes"'
snapshot linked.db again
check "... and every output stays the same" same_as again all
run "$QT" link shard-a.jsonl --db all.db
check "linking shards of articles ingested already adds nothing" \
    eval 'rc_is 0 && err_has "0 new, 5 already stored"'
snapshot all.db all_again
check "... and the ingested database prints the same" same_as all_again all

# ---- refused records ---------------------------------------------------------------------------

"$QT" extract --json "${FILES[@]:0:2}" >plain.jsonl 2>/dev/null
run "$QT" link plain.jsonl --db refused.db
check "records without a fingerprint: exit 2, nothing stored" rc_is 2
check "... each named path:line, saying why" \
    eval 'err_has "plain.jsonl:1: no \"fingerprint\"" && err_has "plain.jsonl:2: " && no_crash'
head -n 1 shard-a.jsonl | sed 's/"schema":1/"schema":99/' >bad.jsonl
head -n 2 shard-a.jsonl | tail -n 1 | sed 's/"engine":[0-9]*/"engine":999/' >>bad.jsonl
echo 'not json' >>bad.jsonl
head -n 3 shard-a.jsonl | tail -n 1 >>bad.jsonl
run "$QT" link bad.jsonl --db refused.db
check "a wrong schema, engine or line: exit 3 and the good record stored" \
    eval 'rc_is 3 && err_has "(1 new, 0 already stored, 3 refused)"'
check "... each refusal says where and why" \
    eval 'err_has "bad.jsonl:1: record schema 99" && err_has "bad.jsonl:2: made by engine 999" &&
          err_has "bad.jsonl:3: invalid JSON"'
# A record whose blocks reach past 2 GiB, or whose hash is not lowercase hex, is refused on its
# own; the good record after it is still stored.
head -n 1 shard-a.jsonl | jq -c '.blocks[0].end = 3000000000' >huge.jsonl
head -n 1 shard-a.jsonl | jq -c '.hash |= ascii_upcase' >>huge.jsonl
head -n 3 shard-a.jsonl | tail -n 1 >>huge.jsonl
run "$QT" link huge.jsonl --db huge.db
check "a block past 2 GiB or an upper-case hash: that record refused, the next one stored" \
    eval 'rc_is 3 && err_has "huge.jsonl:1: .*2 GiB" && err_has "huge.jsonl:2: " &&
          err_has "(1 new, 0 already stored, 2 refused)"'
run "$QT" link missing.jsonl --db refused.db
check "no shard readable: exit 2" eval 'rc_is 2 && err_has "missing.jsonl"'
run "$QT" link --db refused.db
check "no shard given: usage error" eval 'rc_is 2 && err_has "usage:"'
run "$QT" link --help
check "--help teaches, with a two-machine example, on stdout" \
    eval 'rc_is 0 && out_has "--fingerprints" && out_has "alpha[$] quotetrail" && out_has "beta[$]  quotetrail" && err_empty'
run "$QT" --help
check "link is in the command list" out_has "^  link "

# ---- text-less articles and --reprocess --------------------------------------------------------

if have sqlite3; then
    sqlite3 linked.db "UPDATE articles SET engine_version = 0"
    run "$QT" ingest --reprocess --db linked.db
    check "--reprocess leaves articles linked without their text alone" \
        eval 'rc_is 0 && err_has "0 reprocessed" && no_crash'
    snapshot linked.db reprocessed
    check "... and they still print the same" same_as reprocessed all
    "$QT" extract --json --fingerprints --with-text "${FILES[@]}" >withtext.jsonl 2>/dev/null
    "$QT" link withtext.jsonl --db withtext.db 2>/dev/null
    sqlite3 withtext.db "UPDATE articles SET engine_version = 0"
    run "$QT" ingest --reprocess --db withtext.db
    check "records with their text are stored whole: --reprocess analyses them again" \
        eval 'rc_is 0 && err_has "9 reprocessed"'
    snapshot withtext.db withtext
    check "... to the same result" same_as withtext all
    check "... and pairs near --min are counted from their texts, as after ingest" \
        cmp -s withtext.counted all.counted
else
    skip "--reprocess and text-less articles" "no sqlite3 shell"
fi

# ---- a text linked without its words, then ingested whole ------------------------------------

"$QT" link shard-a.jsonl shard-b.jsonl.gz --db late.db 2>/dev/null
run "$QT" ingest corpus --db late.db
check "ingesting the texts of articles linked without them stores the texts" \
    eval 'rc_is 0 && err_has "10 reprocessed"'
snapshot late.db late
check "... and the database then prints what ingest alone prints, pairs counted from texts" \
    eval 'same_as late all && cmp -s late.counted all.counted'

# ---- the scale-out example ---------------------------------------------------------------------

run bash "$QT_SRC/examples/scale-out/map-reduce.sh" -n 3 -q "$QT" -w work --db mr.db corpus
check "examples/scale-out/map-reduce.sh: three map tasks and a link" \
    eval 'rc_is 0 && [ -s work/shard-0.jsonl.gz ] && [ -s work/shard-2.jsonl.gz ]'
snapshot mr.db mr
check "... give the same database as ingest (quotes: the same lines)" same_set mr all

finish
