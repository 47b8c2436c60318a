/*
 * lexicon.c - the engine: one hash table of the words the analysis needs to recognise.
 *
 * Two sources feed it:
 *  - data/cues.tsv, the cue lexicon mined from PolNeAR train by tools/mine-cues.py and compiled in
 *    (see data/README.md). It says which words introduce speech, and how reliably.
 *  - the closed-class lists below: pronouns, determiners, titles, prepositions, calendar words.
 *    They describe English, not any article; nothing here names a person, outlet or story.
 */
#include "quotes/qt_quotes.h"

#include <stdlib.h>
#include <string.h>

extern const char qt_data_cues[];

static const char *const stopcap[] = {
    "the", "a", "an", "but", "and", "or", "nor", "so", "yet", "for", "however", "in", "on", "at",
    "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "my", "your",
    "this", "that", "these", "those", "there", "here", "when", "while", "after", "before", "if",
    "as", "with", "without", "from", "to", "of", "by", "not", "no", "yes", "even", "meanwhile",
    "instead", "still", "now", "then", "what", "who", "why", "how", "where", "which", "although",
    "though", "because", "since", "despite", "during", "over", "under", "also", "just", "only",
    "many", "some", "most", "all", "both", "each", "every", "sure", "nevertheless", "recently",
    "hopefully", "consider", "has", "had", "is", "was", "will", "would", "could", "should", "do",
    "does", "did", "one", "two", "three", "once", "indeed", "thus", "until", "unless", "whether",
    "about", "against", "among", "between", "into", "through", "like", "unlike", "more", "less",
    "other", "another", "such", "same", "last", "next", "first", "second", "new", "according",
    "asked", "said", "says", "later", "earlier", "today", "yesterday", "tomorrow", "tonight",
    "let", "please", "well", "oh", "ok", "okay", "fast", "read", "share", "click", "see", "watch",
    "photo", "photos", "video", "related", "advertisement", "can",
    "may", "might", "must", "are", "were", "be", "been", "being", "have", "having", "any", "none",
    "neither", "either", "whose", "whom", "mr", "mrs", "ms", "dr", "me", "him", "them", "us",
    "rather", "perhaps", "maybe", "already", "again", "often", "never", "always", "too", "very",
    "so-called", "within", "across", "along", "around", "behind", "beyond", "near", "per", "via",
    NULL};
static const char *const pron_m[] = {"he", "him", "his", "himself", "he's", "he'll", "he'd", NULL};
static const char *const pron_f[] = {"she", "her", "hers", "herself", "she's", "she'll", "she'd",
                                     NULL};
static const char *const pron_pl[] = {"they", "them", "their", "theirs", "themselves", NULL};
static const char *const pron_subj[] = {"he", "she", "they", "we", "i", "he's", "he'll", "he'd",
                                        "she's", "she'll", "she'd", NULL};
static const char *const pron_i[] = {"i", "we", "me", "us", "my", "our", "you", NULL};
static const char *const pron_it[] = {"it", "its", NULL};
static const char *const det[] = {
    "the", "a", "an", "his", "her", "their", "its", "another", "one", "our", "this", "that",
    "these", "those", "some", "several", "two", "three", "many", "other", "former", NULL};
static const char *const skip[] = {
    "also", "later", "then", "has", "had", "have", "would", "will", "could", "can", "did", "does",
    "do", "is", "was", "were", "are", "been", "be", "further", "once", "even", "still", "not",
    "just", "only", "again", "first", "goes", "went", "go", "going", "on", "to", "has", "never",
    "always", "previously", "recently", "simply", "reportedly", "initially", "finally", "often",
    "quickly", "repeatedly", "publicly", "privately", "subsequently", "immediately", "openly",
    "shall", "should", "might", "may", "must", "already", "too", "ultimately", "soon", "frankly",
    "isn't", "wasn't", "aren't", "weren't", "doesn't", "didn't", "don't", "won't", "hasn't",
    "haven't", "hadn't", "can't", "couldn't", "wouldn't", "shouldn't", "cannot", NULL};
static const char *const nonverb[] = {
    "of", "and", "or", "in", "on", "at", "to", "for", "with", "from", "by", "the", "a", "an",
    "about", "as", "than", "into", "over", "after", "before", "who", "whose", "whom", "which",
    "that", "but", "nor", "so", "if", "when", "while", "because", "since", "like", "via", "vs",
    "between", "among", "during", "under", "through", "against", "without", "within", "&",
    "de", "van", "von", "del", "da", "la", "le", NULL};
static const char *const title_m[] = {"mr", "sir", "lord", "king", "prince", "father", "brother",
                                      "mister", NULL};
static const char *const title_f[] = {"mrs", "ms", "miss", "madam", "lady", "dame", "queen",
                                      "princess", "sister", "mother", NULL};
static const char *const title[] = {
    "dr", "sen", "senator", "rep", "representative", "gov", "governor", "president", "judge",
    "justice", "secretary", "gen", "general", "col", "colonel", "lt", "capt", "captain", "sgt",
    "pope", "rev", "reverend", "prof", "professor", "mayor", "chancellor", "minister",
    "premier", "ambassador", "commissioner", "chairman", "chairwoman", "chief", "coach",
    "detective", "officer", "attorney", "adm", "admiral", "sheriff", "speaker", "vice", "prime",
    "former", "dean", "bishop", "cardinal", "rabbi", "imam", "pastor", "congressman",
    "congresswoman", "councilman", "councilwoman", "sec", "supt", "insp", "maj", "cmdr", "del",
    "delegate", "assemblyman", "assemblywoman", "commander", "sgt", "rabbi", "dr",
    NULL};
static const char *const calendar[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "christmas", "easter", NULL};
static const char *const org[] = {
    "campaign", "party", "committee", "department", "ministry", "post", "times", "news",
    "network", "magazine", "weekly", "journal", "press", "inc", "corp", "corporation", "company",
    "co", "llc", "ltd", "association", "council", "foundation", "institute", "university",
    "college", "agency", "administration", "bureau", "commission", "office", "court", "senate",
    "house", "congress", "police", "army", "navy", "group", "bank", "fund", "union", "center",
    "centre", "service", "board", "organization", "organisation", "club", "team", "tribune",
    "herald", "gazette", "daily", "channel", "radio", "television", "tv", "reuters", "show",
    "federation", "league", "authority", "parliament", "government", "cabinet", "caucus",
    "coalition", "alliance", "society", "network", "studios", "records", "media", "report",
    NULL};
static const char *const speechn[] = {
    "interview", "interviews", "statement", "statements", "remarks", "comments", "comment",
    "appearance", "conversation", "chat", "sit-down", "speech", "op-ed", "essay", "letter",
    "post", "tweet", "podcast", "episode", "profile", "q&a", "press", "conference", "briefing",
    "memoir", "book", "cover", "story", "issue", "video", "clip", "broadcast", "call", NULL};
static const char *const medium[] = {
    "website", "site", "blog", "podcast", "radio", "show", "program", "programme", "page",
    "account", "feed", "channel", "newsletter", "twitter", "instagram", "facebook", "tiktok",
    "youtube", "x", "threads", "snapchat", "livestream", "broadcast", "television", "tv",
    "magazine", "newspaper", "station", "network", "stories", "story", NULL};
static const char *const anon[] = {
    "source", "sources", "insider", "insiders", "official", "officials", "aide", "aides",
    "person", "people", "spokesman", "spokeswoman", "spokesperson", "representative", "rep",
    "friend", "friends", "pal", "confidant", "observer", "observers", "analyst", "analysts",
    "expert", "experts", "critic", "critics", "witness", "witnesses", "neighbor", "neighbour",
    "resident", "residents", "staffer", "staffers", "adviser", "advisers", "advisor",
    "advisors", "diplomat", "diplomats", "lawmaker", "lawmakers", "relative", "member",
    "members", "supporter", "supporters", "fan", "fans", "reporter", "reporters", NULL};
static const char *const collective[] = {
    "campaign", "company", "firm", "department", "agency", "administration", "government",
    "ministry", "committee", "team", "network", "magazine", "newspaper", "outlet", "group",
    "organization", "organisation", "police", "office", "court", "union", "party", NULL};
/* Role nouns that carry gender: "ex-husband Niall Brannock", "his wife, Imogen". */
static const char *const noun_m[] = {
    "husband", "ex-husband", "boyfriend", "ex-boyfriend", "father", "dad", "son", "brother",
    "uncle", "nephew", "grandfather", "grandson", "king", "prince", "actor", "businessman",
    "chairman", "congressman", "councilman", "spokesman", "widower", "stepfather", "fiance",
    NULL};
static const char *const noun_f[] = {
    "wife", "ex-wife", "girlfriend", "ex-girlfriend", "mother", "mom", "mum", "daughter",
    "sister", "aunt", "niece", "grandmother", "granddaughter", "queen", "princess", "actress",
    "businesswoman", "chairwoman", "congresswoman", "councilwoman", "spokeswoman", "widow",
    "stepmother", "fiancee", "mom-of-two", "mother-of-two", NULL};
static const char *const tell[] = {"told", "tells", "tell", "telling", NULL};
static const char *const vprep[] = {"to", "with", "on", NULL};
static const char *const elision[] = {
    "em", "til", "till", "cause", "bout", "round", "n", "tis", "twas", "cept", "nuff", "sup",
    "kay", "cuz", "coz", "fraid", NULL};
static const char *const abbrev[] = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "st", "jr",
    "sr", "inc", "co", "corp", "ltd", "vs", "etc", "no", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "prof", "rev", "hon", "pres",
    "adm", "cmdr", "maj", "brig", "supt", "insp", "det", "gov", "sec", "atty", "approx", "dept",
    "est", "fig", "vol", "op", "al", NULL};
static const char *const conj[] = {"but", "and", "then", "before", "while", "as", NULL};
static const char *const issue[] = {"issue", "edition", "episode", "pages", "cover", NULL};
static const char *const namepart[] = {"de", "van", "von", "der", "del", "della", "da", "di",
                                       "du", "la", "le", "bin", "al", "ibn", "dos", "das", NULL};
static const char *const suffix[] = {"jr", "sr", "ii", "iii", "iv", NULL};

static int table_put(qt_engine *e, uint64_t h, uint32_t flags, float prec, qt_word **out)
{
    /* The table is sized once for the closed lists and the mined lexicon (about 1.3k words in
     * 4k slots); a lexicon grown past three quarters of it would make probing slow, and a full
     * table would never end a probe, so refuse to add more. */
    if (++e->n_words > e->mask - e->mask / 4) {
        e->n_words--;
        return -1;
    }
    size_t i = (size_t)h & e->mask;
    while (e->table[i].hash && e->table[i].hash != h)
        i = (i + 1) & e->mask;
    qt_word *w = &e->table[i];
    if (!w->hash) {
        w->hash = h;
        w->phrase = -1;
    }
    w->flags |= flags;
    if (prec > w->cue_prec)
        w->cue_prec = prec;
    if (out)
        *out = w;
    return 0;
}

static void put_list(qt_engine *e, const char *const *list, uint32_t flags)
{
    for (; *list; list++)
        table_put(e, qt_word_hash(*list, strlen(*list)), flags, 0, NULL);
}

const qt_word *qt_lex_get(const qt_engine *e, uint64_t h)
{
    if (!h)
        return NULL;
    size_t i = (size_t)h & e->mask;
    while (e->table[i].hash) {
        if (e->table[i].hash == h)
            return &e->table[i];
        i = (i + 1) & e->mask;
    }
    return NULL;
}

int qt_lex_is_abbrev(const void *engine, uint64_t h)
{
    return (qt_lex_flags(engine, h) & W_ABBREV) != 0;
}

int qt_lex_phrase_at(const qt_engine *e, const qt_text *t, size_t i, float *prec)
{
    const qt_word *w = qt_lex_get(e, QT_TOK(t, i).hash);
    if (!w || !(w->flags & W_PHRASE))
        return 0;
    int best = 0;
    for (int32_t k = w->phrase; k >= 0; k = e->phrases[k].next) {
        const qt_phrase *ph = &e->phrases[k];
        if (i + (size_t)ph->n > t->toks.n)
            continue;
        int ok = 1;
        for (int j = 1; j < ph->n && ok; j++)
            ok = QT_TOK(t, i + (size_t)j).hash == ph->words[j];
        if (ok && ph->n > best) {
            best = ph->n;
            if (prec)
                *prec = ph->prec;
        }
    }
    return best;
}

/* Read data/cues.tsv: "cue<TAB>class<TAB>count<TAB>precision<TAB>source_before". */
static qt_status load_cues(qt_engine *e, const char *data, qt_err *err)
{
    size_t cap = 0;
    for (const char *line = data; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const char *next = eol ? eol + 1 : line + len;
        if (len == 0 || line[0] == '#' || strncmp(line, "cue\t", 4) == 0) {
            line = next;
            continue;
        }
        const char *tab = memchr(line, '\t', len);
        if (!tab)
            return qt_fail(err, QT_EFORMAT, "cue lexicon: malformed line '%.*s'", (int)len, line);
        size_t wl = (size_t)(tab - line);
        /* precision is the 4th column; a missing one counts as fully reliable. */
        float prec = 1.0f;
        const char *col = tab;
        for (int c = 0; c < 2 && col; c++)
            col = memchr(col + 1, '\t', (size_t)(line + len - col - 1));
        if (col)
            prec = strtof(col + 1, NULL);
        uint64_t words[6];
        int nw = 0;
        for (size_t a = 0; a < wl && nw < 6;) {
            size_t b = a;
            while (b < wl && line[b] != ' ')
                b++;
            words[nw++] = qt_word_hash(line + a, b - a);
            a = b + 1;
        }
        if (nw == 1) {
            if (table_put(e, words[0], W_CUE, prec, NULL) != 0)
                return qt_fail(err, QT_ETOOBIG, "cue lexicon: more words than the table holds");
        } else if (nw > 1) {
            if (e->n_phrases == cap) {
                cap = cap ? cap * 2 : 64;
                qt_phrase *p = realloc(e->phrases, cap * sizeof *p);
                if (!p)
                    return qt_fail(err, QT_ENOMEM, "out of memory");
                e->phrases = p;
            }
            qt_phrase *ph = &e->phrases[e->n_phrases];
            memcpy(ph->words, words, sizeof words);
            ph->n = nw;
            ph->prec = prec;
            qt_word *w = NULL;
            if (table_put(e, words[0], W_PHRASE, 0, &w) != 0)
                return qt_fail(err, QT_ETOOBIG, "cue lexicon: more words than the table holds");
            ph->next = w->phrase;
            w->phrase = (int32_t)e->n_phrases++;
        }
        line = next;
    }
    return QT_OK;
}

qt_status qt_engine_new(qt_engine **out, qt_err *err)
{
    *out = NULL;
    qt_engine *e = calloc(1, sizeof *e);
    if (!e)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    e->lim = qt_limits_default();
    e->mask = 4096 - 1;
    e->table = calloc(e->mask + 1, sizeof *e->table);
    if (!e->table) {
        free(e);
        return qt_fail(err, QT_ENOMEM, "out of memory");
    }
    put_list(e, stopcap, W_STOPCAP);
    put_list(e, pron_m, W_PRON_M);
    put_list(e, pron_f, W_PRON_F);
    put_list(e, pron_pl, W_PRON_PL);
    put_list(e, pron_subj, W_PRON_SUBJ);
    put_list(e, pron_i, W_PRON_I);
    put_list(e, pron_it, W_PRON_IT);
    put_list(e, det, W_DET);
    put_list(e, skip, W_SKIP);
    put_list(e, nonverb, W_NONVERB);
    put_list(e, title, W_TITLE);
    put_list(e, title_m, W_TITLE | W_TITLE_M);
    put_list(e, title_f, W_TITLE | W_TITLE_F);
    put_list(e, calendar, W_CALENDAR);
    put_list(e, org, W_ORG);
    put_list(e, speechn, W_SPEECHN);
    put_list(e, medium, W_MEDIUM);
    put_list(e, anon, W_ANON);
    put_list(e, collective, W_COLLECTIVE);
    put_list(e, tell, W_TELL);
    put_list(e, noun_m, W_NOUN_M);
    put_list(e, noun_f, W_NOUN_F);
    put_list(e, vprep, W_VPREP);
    put_list(e, elision, W_ELISION);
    put_list(e, abbrev, W_ABBREV);
    put_list(e, conj, W_CONJ);
    put_list(e, issue, W_ISSUE);
    put_list(e, namepart, W_NAMEPART);
    put_list(e, suffix, W_SUFFIX);
    qt_status rc = load_cues(e, qt_data_cues, err);
    if (rc == QT_OK)
        rc = qt_venues_load(e, err);
    if (rc == QT_OK)
        rc = qt_confidence_load(e, err);
    if (rc != QT_OK) {
        qt_engine_free(e);
        return rc;
    }
    *out = e;
    return QT_OK;
}

void qt_engine_set_limits(qt_engine *e, const qt_limits *l)
{
    if (e && l)
        e->lim = *l;
}

void qt_engine_free(qt_engine *e)
{
    if (!e)
        return;
    free(e->table);
    free(e->phrases);
    free(e->venue_aliases);
    free(e->cells);
    free(e);
}
