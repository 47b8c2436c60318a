# test_limits.sh - every limit (quotetrail --limits) is hit with a small --limit value,
# announced with its name, value and how to raise it, and leaves the right exit status: an
# input over a size limit fails alone (3 when others were read, 2 when none was); a limit inside
# analysis keeps the article and adds a warning to its record. Bad --limit arguments are usage
# errors (2). Fictional fixtures, a few KB each; seconds in all.
#
# usage: bash tests/cli/test_limits.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- --limits and bad arguments ----
for cmd in extract ingest link; do
    run "$QT" $cmd --limits
    check "$cmd --limits lists every limit with its default" \
        eval 'rc_is 0 && out_has "^article-bytes  *4M " && out_has "^decompress-ratio  *200 " &&
              [ "$(grep -cE "^(article-bytes|warc-record-bytes|decompress-ratio|html-depth|quote-bytes|quote-depth|people) " "$T/out")" = 7 ]'
    run "$QT" $cmd --help
    check "$cmd --help documents --limit" eval 'rc_is 0 && out_has "--limit NAME=VALUE"'
done
run "$QT" extract --limit artcle-bytes=4M x.txt
check "an unknown limit is a usage error naming the known ones" \
    eval 'rc_is 2 && err_has "unknown limit .artcle-bytes." && err_has "known: article-bytes"'
run "$QT" extract --limit article-bytes=4Q x.txt
check "a bad size is a usage error" eval 'rc_is 2 && err_has "not a size"'
run "$QT" ingest --db x.db --limit quote-depth=5 x.txt
check "a value out of range gives the range" eval 'rc_is 2 && err_has "out of range (1 to 2)"'
run "$QT" extract --limit
check "--limit without a value is a usage error" eval 'rc_is 2 && err_has "needs NAME=VALUE"'

# ---- fixtures ----
cat >small.txt <<'TXT'
Ferry vote delayed

"We will decide in spring," said Ana Lima, the harbour chair. "Nobody wants the 'fast track' plan," added Tomas Reyes.

Officials said the vote would come later.
TXT
head -c 3000 /dev/zero | tr '\0' x | sed 's/^/Long filler\n\n/' >long.txt
printf '{"text": "\\"Short,\\" said Ana Lima.", "id": "one"}\n{"text": "%s"}\n{"text": "\\"Also short,\\" said Tomas Reyes.", "id": "three"}\n' \
    "$(head -c 3000 /dev/zero | tr '\0' y)" >lines.jsonl

# ---- article-bytes ----
run "$QT" extract --json --limit article-bytes=1K small.txt long.txt
check "article-bytes: the big file fails alone, named with the limit, exit 3" \
    eval 'rc_is 3 && err_has "long.txt. is larger than --limit article-bytes=1K, skipped; raise it with --limit article-bytes=4K" && [ "$(lines "$T/out")" = 1 ] && out_has "Ana Lima"'
run "$QT" extract --json --limit article-bytes=1K lines.jsonl
check "article-bytes: a long JSONL line fails alone and the next line is read" \
    eval 'rc_is 3 && err_has "lines.jsonl:2.: the line is longer than --limit article-bytes=1K" && out_has "\"id\":\"one\"" && out_has "\"id\":\"three\""'
run "$QT" extract --json --limit article-bytes=4K long.txt
check "article-bytes: raised, the same file is read (exit 0)" eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ]'
run "$QT" extract --json --limit article-bytes=1K long.txt
check "article-bytes: nothing readable is exit 2" eval 'rc_is 2 && err_has "article-bytes=1K"'
run "$QT" ingest --db lim.db --limit article-bytes=1K small.txt long.txt
check "ingest: article-bytes refused one input, stored the other, exit 3" \
    eval 'rc_is 3 && err_has "article-bytes=1K" && err_has "1 new"'
gzip -c long.txt >long.txt.gz
run "$QT" extract --json --limit article-bytes=1K - <long.txt.gz
check "article-bytes: a gzip pipe is refused after the limit, not read whole" \
    eval 'rc_is 2 && err_has "^quotetrail: error: .-. is larger than --limit article-bytes=1K"'

# ---- decompress-ratio (past the 16M floor: 20 MB of one letter, ~20 KB compressed) ----
if have gzip; then
    { printf 'Headline\n\n'; head -c 20000000 /dev/zero | tr '\0' z; } | gzip -9 >bomb.txt.gz
    run "$QT" extract --json --limit article-bytes=64M --limit decompress-ratio=100 bomb.txt.gz small.txt
    check "decompress-ratio: the bomb fails alone, named with the limit, exit 3" \
        eval 'rc_is 3 && err_has "bomb.txt.gz. decompresses to over 100 times its compressed size (--limit decompress-ratio=100), rest of the input skipped; raise it with --limit decompress-ratio=400" && [ "$(lines "$T/out")" = 1 ]'
    run "$QT" extract --json --limit article-bytes=64M --limit decompress-ratio=5000 bomb.txt.gz
    check "decompress-ratio: raised past the file's ratio, it is read" eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ]'
fi

# ---- html-depth ----
{ printf '<html><head><title>Deep</title></head><body><article><p>"We are deep," said Ana Lima, the chair of the harbour board, at length and at some length.</p>';
  for _ in $(seq 40); do printf '<div>'; done; printf 'x'; for _ in $(seq 40); do printf '</div>'; done
  printf '</article></body></html>\n'; } >deep.html
run "$QT" extract --json --limit html-depth=16 deep.html small.txt
check "html-depth: the deep page fails alone, named with the limit, exit 3" \
    eval 'rc_is 3 && err_has "deep.html.: the page nests elements deeper than --limit html-depth=16, skipped; raise it with --limit html-depth=64"'
run "$QT" extract --json deep.html
check "html-depth: at the default the page is read" eval 'rc_is 0 && out_has "We are deep"'

# ---- analysis limits: the article is kept, the record says what was not analysed ----
run "$QT" extract --json --limit quote-bytes=16 small.txt
check "quote-bytes: article kept (exit 0), quotes kept, warning in the record and on stderr" \
    eval 'rc_is 0 && jq_ok ".quotes | length >= 2" "$T/out" && jq_ok ".warnings | any(test(\"quote-bytes=16\"))" "$T/out" && err_has "quote-bytes=16"'
run "$QT" extract --json small.txt
check "the default quote-bytes leaves the nested quote found and no warning" \
    eval 'rc_is 0 && jq_ok "any(.quotes[]; .kind == \"nested\") and (.warnings | length == 0)" "$T/out"'
run "$QT" extract --json --limit quote-depth=1 small.txt
check "quote-depth=1: no nested quote, and the record counts the one not listed" \
    eval 'rc_is 0 && jq_ok "(any(.quotes[]; .kind == \"nested\") | not) and (.warnings | any(test(\"1 quote inside quotes in the text not listed\")))" "$T/out"'
run "$QT" extract --json --limit people=1 small.txt
check "people=1: one person listed, the warning counts them, both quotes keep their speaker" \
    eval 'rc_is 0 && jq_ok "(.people | length == 1) and (.warnings | any(test(\"2 people quoted, only the first 1 listed\"))) and ([.quotes[].speaker] | index(\"Tomas Reyes\") != null)" "$T/out"'
run "$QT" ingest --db lim2.db --limit people=1 small.txt
check "ingest takes analysis limits too (exit 0, warning shown)" \
    eval 'rc_is 0 && err_has "people=1"'

# ---- link: a shard line may be 8 times article-bytes ----
run "$QT" extract --json --with-text --fingerprints small.txt
cp "$T/out" shard.jsonl
run "$QT" link --db link.db --limit article-bytes=16 shard.jsonl
check "link: article-bytes bounds a shard's line (8 times it), announced" \
    eval 'rc_is 2 && err_has "the line is longer than 8 times --limit article-bytes=16"'
run "$QT" link --db link2.db shard.jsonl
check "link: at the default the shard is stored" eval 'rc_is 0'

check "nothing crashed" no_crash
finish
