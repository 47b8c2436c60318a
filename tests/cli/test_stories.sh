# test_stories.sh - end-to-end checks of `quotetrail stories`: stored articles grouped into
# stories. Two fictional stories, each an original, a reprint of it and a follow-up that
# prints one of its quotes again; and a third article whose only tie to either is a name
# every other article also names (a president quoted in most of the collection). Then two
# stories whose articles share names (people and places, quoted or not) but no quote, and a
# council every article names. Checked:
# the grouping (the common name joins nothing), the order of stories and articles not
# depending on ingest order, the JSON shape, --by, --min-size, the help and the exit
# statuses (1 nothing stored, 2 usage error or no database).
#
# usage: bash tests/cli/test_stories.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# ---- fixtures (fictional, written here) --------------------------------------------------------

mkdir -p fx
cat >fx/a1.txt <<'EOF'
Ferry crews walk out on the Kessel Sound crossing

KESSEL HARBOUR — Crews on the Kessel Sound ferry stopped work on Monday morning after talks over rest breaks and winter rosters broke down late on Sunday night, leaving hundreds of commuters stranded on the island side of the crossing.

The strike is the first on the route in eleven years. The ferry company said it had offered a new roster with longer breaks between crossings, but the union said the offer cut the number of crews on the night boats from three to two.

“We have asked for one thing, which is enough sleep to bring a boat across the sound safely,” said Ilse Brandvold, who speaks for the deck and engine crews. “Nobody on this quay wants to strand a nurse or a schoolchild, but we will not sail tired.”

Buses were laid on around the head of the sound, a journey of almost two hours instead of twenty five minutes. Shopkeepers in the old town said the first morning of the strike had emptied their streets.

President Oda Marsk told reporters in the capital that the government would not step in. “This is a matter for the company and its crews, and I trust them to settle it,” Marsk said.

Talks are due to resume on Wednesday at the harbour office, the company said.
EOF
# The reprint: the same story with share and sign-up lines under it.
{ cat fx/a1.txt; printf '\nShare this story with your friends\n\nSign up for the Kessel morning briefing\n'; } >fx/a2.txt
# A follow-up a week on: its own text, one quote of the first day printed again.
cat >fx/a3.txt <<'EOF'
Island families count the cost of a week without the ferry

KESSEL ISLAND — A week into the strike that has halted the ferry across Kessel Sound, families on the island are rationing trips to the mainland and the only bakery on the north shore has run out of flour twice.

Deck crews on the picket line repeated the words their spokeswoman used on the first day. “We have asked for one thing, which is enough sleep to bring a boat across the sound safely,” Ilse Brandvold said again on Saturday, standing beside a brazier on the slipway.

The island's doctor said two patients had been taken to the mainland hospital by lifeboat, and the harbour master has opened a small office where people can share lifts on private boats.

Children from the island are sleeping at a sports hall near the mainland school during the week, and their parents take turns to stay with them.
EOF
cat >fx/b1.txt <<'EOF'
Beekeepers in the Orrin hills lose half their hives to a wet spring

ORRIN — Beekeepers across the Orrin hills say they have lost about half of their colonies after the wettest spring in forty years kept the bees inside their hives through the weeks when the clover should have fed them.

The regional beekeepers' association counted four hundred dead colonies among its members in the first week of June, against fewer than fifty in an ordinary year.

“I opened hive after hive and found them starved on combs with no honey left in them,” said Tamsin Olderhus, who has kept bees above the village of Lenn for twenty years. “You cannot feed sugar to two hundred hives by hand when the rain never stops.”

Orchard growers fear that fewer bees will mean a thin harvest in the autumn, and some have begun to rent hives from the lowlands at twice last year's price.

President Oda Marsk said on a visit to the hills that farmers would get help. “We will not leave the orchards of the Orrin hills to face this year alone,” Marsk said.

The association will ask the ministry for money to rebuild the colonies next spring.
EOF
# The reprint under its own headline, with a line of its own below.
{ printf 'Wet spring starves Orrin bees | Valley Times\n\n'; tail -n +3 fx/b1.txt; printf '\nRead more from the Valley Times farming desk\n'; } >fx/b2.txt
cat >fx/b3.txt <<'EOF'
Lowland hives rented out as the Orrin orchards wait for bees

LENN — Trucks carrying rented beehives from the lowland farms began arriving in the Orrin valley this week, as growers tried to save a harvest that the loss of local colonies had put at risk.

At a meeting in the village hall of Lenn, beekeeper Tamsin Olderhus described the spring again. “I opened hive after hive and found them starved on combs with no honey left in them,” Olderhus said, to murmurs from the growers in the room.

Each hive costs a grower ninety crowns for the month of blossom, and the lowland farms say they have no more to spare this year.

The growers' cooperative has asked its members to share the hives between neighbouring orchards.
EOF
# Shares only the president, whom four of the six other articles also quote.
cat >fx/c.txt <<'EOF'
President opens new railway museum in the capital

THE CAPITAL — A museum of railway history opened on Friday in the old goods shed beside the central station, with twelve restored locomotives and a model of the first line to the coast.

President Oda Marsk cut the ribbon in front of a crowd of schoolchildren. “Every one of these engines carried somebody's hopes to somewhere new,” Marsk said.

The museum will be free to visit for its first month.
EOF
ALL="fx/a1.txt fx/a2.txt fx/a3.txt fx/b1.txt fx/b2.txt fx/b3.txt fx/c.txt"
REV="fx/c.txt fx/b3.txt fx/b2.txt fx/b1.txt fx/a3.txt fx/a2.txt fx/a1.txt"

# story_of FILE SOURCE: the story number of the article read from SOURCE in stories --json FILE.
story_of() { jq -r --arg s "$2" 'select(any(.articles[]; .source == $s)) | .story' "$1"; }

# ---- help and usage ----------------------------------------------------------------------------

run "$QT" stories --help
check "stories --help exits 0 with usage on stdout, nothing on stderr" \
    eval 'rc_is 0 && out_has "^usage: quotetrail stories \[--db FILE\]" && err_empty'
check "stories --help explains the three signals, the JSON shape and gives examples" \
    eval 'out_has "^  dups " && out_has "^  quotes " && out_has "^  people " &&
          out_has "joined_by" && out_has "Examples:" && out_has "Exit status"'
run "$QT" --help
check "quotetrail --help lists the stories command" eval 'rc_is 0 && out_has "^  stories  "'

run "$QT" stories --db nowhere.db
check "stories on a missing database exits 2, naming it" \
    eval 'rc_is 2 && err_has "nowhere.db" && out_empty'
check "stories does not create the missing database" test ! -e nowhere.db
for bad in "--min-size 0" "--min-size x" "--by dups,typo" "--by" "--frobnicate" "extra"; do
    run "$QT" stories --db nowhere.db $bad
    check "stories $bad exits 2 with the usage, before opening anything" \
        eval 'rc_is 2 && err_has "usage:" && out_empty'
done

mkdir -p none
"$QT" ingest --db empty.db none >/dev/null 2>&1
run "$QT" stories --db empty.db
check "stories on a database with no article exits 1 and says so" \
    eval 'rc_is 1 && err_has "no stored articles" && out_empty'

# ---- grouping ----------------------------------------------------------------------------------

"$QT" ingest --db one.db $ALL 2>/dev/null
"$QT" ingest --db two.db $REV 2>/dev/null
run "$QT" stories --db one.db --json
cp "$T/out" one.json
check "stories --json exits 0 with nothing on stderr" eval 'rc_is 0 && err_empty'
check "stories --json prints one JSON object per line, three stories" \
    eval 'json_lines one.json && [ "$(lines one.json)" = 3 ]'
check "the reprint and the follow-up join the ferry story" \
    eval '[ "$(story_of one.json fx/a1.txt)" = "$(story_of one.json fx/a2.txt)" ] &&
          [ "$(story_of one.json fx/a1.txt)" = "$(story_of one.json fx/a3.txt)" ]'
check "the reprint and the follow-up join the bee story" \
    eval '[ "$(story_of one.json fx/b1.txt)" = "$(story_of one.json fx/b2.txt)" ] &&
          [ "$(story_of one.json fx/b1.txt)" = "$(story_of one.json fx/b3.txt)" ]'
check "the two stories stay apart, though the president is quoted in both" \
    eval '[ "$(story_of one.json fx/a1.txt)" != "$(story_of one.json fx/b1.txt)" ]'
check "the article sharing only the president is a story of its own, listed last" \
    jq_ok -s '.[2].size == 1 and .[2].articles[0].source == "fx/c.txt"' one.json
check "each story object has the documented fields" \
    jq_ok -s 'all(.[]; (.story | type == "number") and (.title | type == "string")
           and (.title_id | type == "string") and (.size | type == "number")
           and (.texts | type == "number") and has("first_published") and has("last_published")
           and (.articles | type == "array") and .size == (.articles | length)
           and all(.articles[]; has("id") and has("title") and has("published") and has("source"))
           and all(.people[]; (.name | type == "string") and (.articles | type == "number"))
           and all(.quotes[]; (.text | type == "string") and (.articles | type == "number"))
           and (.joined_by | keys == ["dups", "merges", "people", "quotes"]))' one.json
check "stories are numbered 1, 2, 3, largest first" \
    jq_ok -s '[.[].story] == [1, 2, 3] and [.[].size] == [3, 3, 1]' one.json
check "the ferry story says why: one reprint pair, quote links, a merge" \
    jq_ok -s '.[] | select(any(.articles[]; .source == "fx/a1.txt")) | .joined_by.dups == 1
           and .joined_by.quotes >= 2 and .joined_by.merges == 1' one.json
check "the ferry story's main person and most printed quote are its spokeswoman's" \
    jq_ok -s '.[] | select(any(.articles[]; .source == "fx/a1.txt"))
           | .people[0] == {"name": "Ilse Brandvold", "articles": 3}
           and .quotes[0].articles == 3 and (.quotes[0].text | startswith("We have asked"))' one.json
check "the bee story's title is its original's, the most linked article" \
    jq_ok -s '.[] | select(any(.articles[]; .source == "fx/b1.txt"))
           | .title == "Beekeepers in the Orrin hills lose half their hives to a wet spring"' one.json

run "$QT" stories --db two.db --json
check "ingesting in the reverse order gives the same output, byte for byte" \
    eval 'rc_is 0 && cmp -s one.json "$T/out"'

run "$QT" stories --db one.db --by dups --json
check "--by dups keeps only the reprints together: five stories" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" = 5 ]'
run "$QT" stories --db one.db --by people --json
cp "$T/out" people.json
check "--by people joins each original and its reprint, which name the same people and places" \
    eval 'rc_is 0 && [ "$(lines people.json)" = 4 ] &&
          [ "$(story_of people.json fx/a1.txt)" = "$(story_of people.json fx/a2.txt)" ] &&
          [ "$(story_of people.json fx/b1.txt)" = "$(story_of people.json fx/b2.txt)" ]'
check "--by people joins the ferry follow-up, which names two of its names (a person, a place)" \
    eval '[ "$(story_of people.json fx/a1.txt)" = "$(story_of people.json fx/a3.txt)" ]'
check "--by people leaves the bee follow-up alone: one shared name needs a shared quote beside it" \
    jq_ok -s '[.[] | select(any(.articles[]; .source == "fx/b3.txt")) | .size] == [1]' people.json

run "$QT" stories --db one.db
check "the table shows each story with its title, people, quotes and articles" \
    eval 'rc_is 0 && out_has "^STORY 1  3 articles" && out_has "^  people: Ilse Brandvold (3)" &&
          out_has "^  quote: " && out_has "fx/a3.txt" && err_has "3 stories of 7 articles"'
run "$QT" stories --db one.db --min-size 2
check "--min-size 2 leaves out the story of one article" \
    eval 'rc_is 0 && ! out_has "fx/c.txt" && out_has "fx/b3.txt"'
run "$QT" stories --db one.db --min-size 4
check "--min-size larger than every story exits 1" eval 'rc_is 1 && out_empty && err_has "no story"'
# ---- names without a shared quote --------------------------------------------------------------
# Two stories from one valley. In each, two articles name the same two people, quoting
# different words (or only naming them): no shared quote, no shared text. Every article of the
# collection also names the valley's council, which must not chain the two stories together.

mkdir -p nx
cat >nx/d1.txt <<'EOF'
Orchard cooperative wins its water case

The Vessel Valley Council lost its appeal on Tuesday against the orchard cooperative of Hobbe, ending a dispute over river water that began four summers ago.

“The river does not belong to whoever builds the biggest pipe,” Petra Lindqvist, who chairs the cooperative, said outside the court house.

The council's lawyer, Marek Soltan, told the court that the council had followed the rules in force when the pipe was laid. The judges found that it had not.

Growers will be allowed to draw water from the river again from the first of May.
EOF
cat >nx/d2.txt <<'EOF'
After the ruling, growers in Hobbe count the days to May

Growers of the Hobbe orchard cooperative met in their packing shed on Wednesday night to plan the first season with river water since the dispute with the Vessel Valley Council began.

Petra Lindqvist thanked the members for four years of patience and read out the ruling to applause. Some growers want new channels dug before the blossom comes.

Marek Soltan said on Wednesday that the council would not appeal again. “We accept the judgment and we will take the pipe out before the spring,” he said.

Each farm will be given a day of the week on which to open its sluice.
EOF
cat >nx/e1.txt <<'EOF'
Ferry to the valley's lake islands to stop in winter

The boat that carries post and passengers to the islands of Lake Ambre will stop running from November to March, the Vessel Valley Council said on Monday, citing the cost of fuel.

“The islands will be cut off for five months of the year,” said Jonas Ferreira, who runs the shop on the largest island. “Nobody asked us.”

Lena Okonjo, the boat's captain for twenty years, said she would keep a small launch ready for emergencies whatever the council decided.

A public meeting will be held in the village hall on Friday.
EOF
cat >nx/e2.txt <<'EOF'
Islanders fill the hall to fight the winter ferry cut

More than two hundred people crowded the village hall on Friday evening to hear the Vessel Valley Council defend its plan to stop the island boat over the winter.

Jonas Ferreira handed the council a letter signed by every household on the three islands. “We pay for the boat like everyone else pays for the road,” one fisherman shouted.

Lena Okonjo told the meeting that the old engine could last one more winter if it had to. Council officers promised to look again at the figures before the end of the month.

The vote on the timetable is due next week.
EOF
cat >nx/f.txt <<'EOF'
Library hours extended for the exam season

Libraries run by the Vessel Valley Council will open until nine in the evening for the six weeks of the school exams, the council said.

Students will be able to book study rooms by telephone. Ada Moreau, who looks after the central library, said the rooms had been full every afternoon last spring.
EOF
"$QT" ingest --db names.db nx 2>/dev/null
run "$QT" stories --db names.db --json
cp "$T/out" names.json
check "two articles naming the same two people, with no quote or text in common, are one story" \
    eval 'rc_is 0 && [ "$(story_of names.json nx/d1.txt)" = "$(story_of names.json nx/d2.txt)" ] &&
          [ "$(story_of names.json nx/e1.txt)" = "$(story_of names.json nx/e2.txt)" ]'
check "the council every article names chains nothing: three stories, the library alone" \
    eval '[ "$(lines names.json)" = 3 ] &&
          [ "$(story_of names.json nx/d1.txt)" != "$(story_of names.json nx/e1.txt)" ] &&
          [ "$(jq -s "[.[] | select(any(.articles[]; .source == \"nx/f.txt\")) | .size]" -c \
               names.json)" = "[1]" ]'
"$QT" stories --db names.db --by dups,quotes --json >nq.json 2>/dev/null
check "the names joined them: without them, five stories" eval '[ "$(lines nq.json)" = 5 ]'

# Two different texts that arrived under one id (a corrected story re-sent under its URL, say),
# each with a follow-up reprinting its quote: each quote is its own text's, whatever the id.
mkdir -p sameid
jq -nc --rawfile t fx/a1.txt '{id: "story", text: $t}' >sameid/1.jsonl
jq -nc --rawfile t fx/a3.txt '{id: "follow-a", text: $t}' >sameid/2.jsonl
jq -nc --rawfile t fx/b1.txt '{id: "story", text: $t}' >sameid/3.jsonl
jq -nc --rawfile t fx/b3.txt '{id: "follow-b", text: $t}' >sameid/4.jsonl
"$QT" ingest --db sameid.db sameid 2>/dev/null
"$QT" stories --db sameid.db --by quotes --json >sameid.json 2>/dev/null
check "one id on two texts: each text's quotes are its own (two stories of two)" \
    jq_ok -s 'map(.size) | sort == [2, 2]' sameid.json

check "no sanitizer report in any run" no_crash

finish
