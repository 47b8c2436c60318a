# test_people.sh - end-to-end checks of `quotetrail people`: the people of the stored examples
# with their aliases and counts, the NAME filter (any alias, accent- and case-insensitive, whole
# words), one person across articles however the name was accented, a surname-only mention
# merged into the one person who used it and left alone when two did, each one's kind (person or
# organisation, in extract's people[] and in `people`, with the --kind filter), JSON rows, and
# exit statuses (1 nobody matched, 2 usage error or no database).
#
# usage: bash tests/cli/test_people.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p fx
moreau_fixture fx/moreau.txt
# The same person, her name written without the accent.
cat >fx/moreau-plain.txt <<'EOF'
Sea wall vote passes

PORT SAINT-CLAIR — Councillors approved the harbour budget on Friday.

“It is a good day for the harbour,” said Renee Moreau.

Moreau added: “The work starts in March.”
EOF
# Only her surname: one person, "Moreau", in this article.
cat >fx/moreau-surname.txt <<'EOF'
Budget row at council

PORT SAINT-CLAIR — The harbour budget drew fresh criticism on Monday.

“The reserve fund is there for storms, not for walls,” Moreau said.
EOF
# Two people called Brun, each also called just "Brun", and an article naming only "Brun".
cat >fx/brun-odile.txt <<'EOF'
Market hall to reopen

“The stalls will open at eight every morning,” said Odile Brun, who runs the market.

Brun said the roof had been mended.
EOF
cat >fx/brun-paul.txt <<'EOF'
Ferry timetable changes

“We will add a late crossing on Fridays,” said Paul Brun, the ferry operator.

Brun said tickets would cost the same.
EOF
cat >fx/brun-only.txt <<'EOF'
Fish prices rise

“Prices are up a third since winter,” Brun said.
EOF
# Two organisations quoted as speakers (a head word, "Board"; a one-word all-capitals name) and
# two people.
cat >fx/pier.txt <<'EOF'
Pier to stay shut all summer

The old pier will not reopen before autumn.

“We will not reopen the pier this year,” said Harbour Board spokesman Tomas Vik.

“Repairs must come first,” Kestrel Harbour Board said in a statement on Wednesday.

Ferry operator SEALINK was blunt. “Fares will rise in May,” SEALINK said.

“The pier was never safe,” said Agnes Holm, who runs the fish market.
EOF
cat >fx/noquotes.txt <<'EOF'
Tide tables for the week

high water is at 06:12 on monday and 18:40 on tuesday.
EOF

# person FILE NAME: the JSON row of NAME in FILE (people --json output), empty when absent.
person() { jq -c --arg n "$2" 'select(.name == $n)' "$1"; }

# ---- help and usage ----------------------------------------------------------------------------

run "$QT" people --help
check "people --help exits 0 with usage and examples on stdout, nothing on stderr" \
    eval 'rc_is 0 && out_has "usage: quotetrail people" && out_has "Examples:" && err_empty'
run "$QT" --help
check "quotetrail --help lists the people command" eval 'rc_is 0 && out_has "^  people "'
run "$QT" people --frobnicate
check "people with an unknown option exits 2, naming it, with usage on stderr" \
    eval 'rc_is 2 && err_has "--frobnicate" && err_has "usage:" && out_empty'
run "$QT" people --db
check "people --db with no file name exits 2" eval 'rc_is 2 && err_has "--db" && out_empty'
run "$QT" people --help
check "people --help teaches --kind and its two values" \
    eval 'out_has "^  --kind KIND .*person or organisation" && out_has "people --kind organisation"'
run "$QT" people --kind
check "people --kind with no value exits 2" eval 'rc_is 2 && err_has "--kind" && out_empty'
run "$QT" people --kind robot
check "people --kind with an unknown kind exits 2, naming it and the two kinds" \
    eval 'rc_is 2 && err_has "robot" && err_has "person or organisation" && out_empty'

run "$QT" people --db nowhere.db
check "people on a missing database exits 2, naming it and saying to run ingest" \
    eval 'rc_is 2 && err_has "nowhere.db" && err_has "ingest" && out_empty'
check "people does not create the missing database" test ! -e nowhere.db
printf 'this is not a database\n%.0s' $(seq 1 200) >notadb.db
run "$QT" people --db notadb.db
check "people on a file that is not a database exits 2" eval 'rc_is 2 && err_has "notadb.db"'

# ---- the examples ------------------------------------------------------------------------------

"$QT" ingest --db ex.db "$EX/articles" "$EX/wire.jsonl" 2>/dev/null
run "$QT" people --db ex.db
check "people exits 0 with a table on stdout and a count on stderr" \
    eval 'rc_is 0 && err_has "^[0-9][0-9]* people\$"'
check "the table's columns are NAME, QUOTES, ARTICLES, KIND, ALIASES" \
    eval 'head -n 1 "$T/out" | grep -q "^NAME  *QUOTES  *ARTICLES  *KIND  *ALIASES\$"'
check "Niall Brannock is listed as a person, with 'Brannock' among his aliases" \
    grep -q "^Niall Brannock  *[0-9][0-9]*  *[0-9][0-9]*  person  .*Brannock" "$T/out"
# Characters, not bytes: a clipped row ends in "…", one column but three bytes.
check "every row fits 100 columns (aliases clipped)" \
    eval '! LC_ALL=C.UTF-8 grep -q "^.\{101\}" "$T/out"'

run "$QT" people --db ex.db --json
cp "$T/out" all.jsonl
check "people --json exits 0 with nothing on stderr" eval 'rc_is 0 && err_empty'
check "every line of people --json is valid JSON" json_lines all.jsonl
if have jq; then
    check "each row has name, kind, aliases, articles, quotes, mentions" \
        jq_ok -s 'length > 0 and all((.name | type == "string" and length > 0)
            and (.kind == "person" or .kind == "organisation")
            and (.aliases | type == "array" and all(type == "string")) and (.articles >= 1)
            and (.quotes >= 0) and (.mentions >= 0) and (keys == ["aliases", "articles", "kind",
            "mentions", "name", "quotes"]))' all.jsonl
    check "rows are sorted by quotes, most first" \
        jq_ok -s '[.[].quotes] as $q | $q == ($q | sort | reverse)' all.jsonl
    check "no person is listed twice, nor has its own name among its aliases" \
        jq_ok -s '(map(.name | ascii_downcase) | length) == (map(.name | ascii_downcase) | unique
                  | length) and all(.name as $n | .aliases | index($n) | not)' all.jsonl
    n_quotes=$("$QT" quotes --db ex.db --json 2>/dev/null | lines /dev/stdin)
    check "the people's quotes add up to at most the $n_quotes stored quotes" \
        jq_ok -s --argjson n "$n_quotes" 'map(.quotes) | add <= $n' all.jsonl
    nb=$(person all.jsonl "Niall Brannock")
    check "Niall Brannock appears in several articles, is quoted, and is a person" \
        eval 'echo "$nb" | jq_ok ".articles >= 2 and .quotes >= 1 and .kind == \"person\"
                                  and (.aliases | index(\"Brannock\"))"'
    n_table=$("$QT" people --db ex.db 2>/dev/null | lines /dev/stdin)
    check "the table and the JSON give the same number of people" \
        eval '[ "$n_table" = $(( $(lines all.jsonl) + 1 )) ]'
fi

for name in brannock BRANNOCK "Niall  Brannock" "brannock niall"; do
    run "$QT" people --db ex.db "$name" --json
    check "people '$name' finds Niall Brannock, and only him" \
        eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ] && out_has "\"name\":\"Niall Brannock\""'
done
run "$QT" people --db ex.db niall brannock --json
check "several words without quote marks are one NAME" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ] && out_has "\"name\":\"Niall Brannock\""'
if have jq; then
    # An alias that is not made of his name's words ("the retired soccer star"), if the
    # analysis found one: it must reach him too.
    alias=$(echo "$nb" |
            jq -r '.aliases[] | select(test(" ") and (test("(?i)niall|brannock") | not))' |
            head -n 1)
    if [ -n "$alias" ]; then
        run "$QT" people --db ex.db "$alias" --json
        check "people '$alias' (an alias) finds Niall Brannock" \
            eval 'rc_is 0 && out_has "\"name\":\"Niall Brannock\""'
        run "$QT" people --db ex.db "$(echo "$alias" | tr '[:lower:]' '[:upper:]')" --json
        check "an alias matches whatever its case" eval 'rc_is 0 && out_has "Niall Brannock"'
    else
        skip "a descriptive alias finds Niall Brannock" "the analysis found none"
    fi
fi

run "$QT" people --db ex.db brann
check "a part of a word does not match: exit 1, nothing on stdout, one line on stderr" \
    eval 'rc_is 1 && out_empty && [ "$(lines "$T/err")" = 1 ] && err_has "no people match"'
run "$QT" people --db ex.db "Nobody Atall" --json
check "a name nobody has exits 1 with nothing on stdout" eval 'rc_is 1 && out_empty'
run "$QT" people --db ex.db "niall reyes"
check "every word of NAME must be in the same name" eval 'rc_is 1 && out_empty'
run "$QT" people --db ex.db -- --json
check "after --, an argument is a name even if it starts with -" eval 'rc_is 1 && out_empty'
run "$QT" people --db ex.db "  "
check "a blank NAME lists everyone" eval 'rc_is 0 && [ "$(lines "$T/out")" -gt 1 ]'

# ---- kinds: person or organisation -------------------------------------------------------------

if have jq; then
    "$QT" extract --json fx/pier.txt >pier.json 2>/dev/null
    check "extract --json gives each of an article's people a kind, person or organisation" \
        jq_ok '(.people | length) >= 3
               and all(.people[]; .kind == "person" or .kind == "organisation")' pier.json
    check "extract --json: Kestrel Harbour Board and SEALINK are organisations, Holm a person" \
        jq_ok '[.people[] | {(.name): .kind}] | add
               | .["Kestrel Harbour Board"] == "organisation" and .SEALINK == "organisation"
                 and .["Agnes Holm"] == "person"' pier.json
fi
"$QT" ingest --db k.db fx/pier.txt fx/moreau.txt 2>/dev/null
run "$QT" people --db k.db
check "people lists organisations too, by default, with their kind in the table" \
    eval 'rc_is 0 && grep -q "^Kestrel Harbour Board  *1  *1  organisation  " "$T/out" &&
          grep -q "^Agnes Holm  *1  *1  person  " "$T/out" && out_has "^Renée Moreau "'
run "$QT" people --db k.db --json
cp "$T/out" k-all.jsonl
run "$QT" people --db k.db --kind organisation --json
cp "$T/out" k-org.jsonl
check "people --kind organisation exits 0 with organisations only" \
    eval 'rc_is 0 && err_empty && out_has "\"name\":\"Kestrel Harbour Board\"" &&
          out_has "\"name\":\"SEALINK\"" && ! out_has "\"kind\":\"person\"" &&
          ! out_has "Agnes Holm" && ! out_has "Moreau"'
run "$QT" people --db k.db --kind=person --json
cp "$T/out" k-person.jsonl
check "people --kind=person exits 0 with people only" \
    eval 'rc_is 0 && out_has "\"name\":\"Agnes Holm\"" && out_has "\"name\":\"Renée Moreau\"" &&
          ! out_has "\"kind\":\"organisation\"" && ! out_has "SEALINK"'
check "the two kinds together are everyone, each once" \
    eval '[ "$(cat k-org.jsonl k-person.jsonl | sort)" = "$(sort k-all.jsonl)" ]'
if have jq; then
    check "people's kinds are the ones extract gave (one article each)" \
        eval '[ "$(jq -r ".people[] | .name + \"=\" + .kind" pier.json | sort)" = \
                "$(jq -r "select(.name != \"Renée Moreau\") | .name + \"=\" + .kind" \
                   k-all.jsonl | sort)" ]'
fi
run "$QT" people --db k.db --kind organisation
check "a table of one kind counts only its rows on stderr" \
    eval 'rc_is 0 && err_has "^2 people\$" && [ "$(lines "$T/out")" = 3 ]'
run "$QT" people --db k.db --kind organization sealink --json
check "--kind takes the US spelling too, and combines with NAME" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ] && out_has "\"kind\":\"organisation\""'
run "$QT" people --db k.db --kind organisation holm
check "a NAME of the other kind exits 1, saying which kind was asked for" \
    eval 'rc_is 1 && out_empty && err_has "no people of kind .organisation. match .holm."'
run "$QT" people --db k.db --kind person sealink --json
check "an organisation is not listed under --kind person" eval 'rc_is 1 && out_empty'

# ---- accents, merges -------------------------------------------------------------------------

"$QT" ingest --db m.db fx/moreau.txt fx/moreau-plain.txt fx/moreau-surname.txt 2>/dev/null
for name in renee RENÉE "Renee Moreau" moreau MOREAU; do
    run "$QT" people --db m.db "$name" --json
    check "people '$name' finds Renée Moreau, one person over three articles" \
        eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ] &&
              { ! have jq || jq_ok ".articles == 3 and .quotes >= 3" "$T/out"; }'
done
run "$QT" people --db m.db
check "the table shows her name with its accent, over both spellings" \
    eval 'rc_is 0 && grep -q "^Renée Moreau  *[0-9][0-9]*  *3  " "$T/out" && ! out_has "^Moreau "'
# One column per character: with "é" as one byte, the count of articles ends under ARTICLES.
check "the accented name's columns line up with the header" \
    eval 'sed "s/é/e/g" "$T/out" | awk "NR == 1 { end = index(\$0, \"ARTICLES\") + 7 }
          NR == 2 { exit !(substr(\$0, end, 1) == \"3\" && substr(\$0, end + 1, 1) == \" \") }"'

"$QT" ingest --db b.db fx/brun-odile.txt fx/brun-paul.txt fx/brun-only.txt 2>/dev/null
run "$QT" people --db b.db brun --json
check "a surname two people used is merged into neither of them" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" = 3 ] && out_has "\"name\":\"Brun\"" &&
          out_has "\"name\":\"Odile Brun\"" && out_has "\"name\":\"Paul Brun\""'
run "$QT" people --db b.db odile --json
check "people odile lists Odile Brun alone" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" = 1 ] && out_has "\"name\":\"Odile Brun\""'

"$QT" ingest --db e.db fx/noquotes.txt 2>/dev/null
run "$QT" people --db e.db
check "a database with no people exits 1 and says so" \
    eval 'rc_is 1 && out_empty && [ "$(lines "$T/err")" = 1 ] && err_has "no people"'
run "$QT" people --db e.db --kind organisation
check "with --kind too, and it names the kind" \
    eval 'rc_is 1 && out_empty && err_has "holds no people of kind .organisation."'

finish
