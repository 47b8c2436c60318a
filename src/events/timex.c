/*
 * timex.c - temporal expressions (TimeML TIMEX3) recognised over tokens and normalised against
 * a reference date, rule by rule as HeidelTime and SUTime do, in one pass.
 *
 * Design notes:
 *  (1) Trigger first. Every word token costs one probe of a small hashed word table; only a
 *      token the table knows (a month, a unit, "last", "yesterday"...) or a number starts a
 *      pattern. Text without time words costs the probe and nothing else.
 *  (2) Patterns look a bounded number of tokens ahead (LOOK) and never back more than a few,
 *      so the scan is linear whatever the input (10^5 digits are one token that is no number).
 *  (3) Spans follow TempEval-3: modifiers that change the value are inside ("last week",
 *      "early 2015", "nearly a decade", "more than four hours"); prepositions are outside ("in",
 *      "on", "since", "about"); "the" is inside before a unit-headed phrase ("the past two
 *      months", "the third quarter", "the weekend") and outside before a name of a date ("the
 *      1990s", "the Oct. 23 meeting").
 *  (4) Values never invent precision: "in December" is a month, "two years ago" a year, a
 *      vague count an X ("several weeks" PXW). A relative expression without a reference date
 *      has a NULL value.
 *  (5) News looks back: a bare month or weekday is the most recent one (the reference's own
 *      day or month counts), unless the clause points ahead, then the coming one. The nearest
 *      tense cue before the expression in its sentence decides (24 tokens back at most; "." of
 *      "a.m." or "U.S." ends no sentence), else the nearest after it: future auxiliaries and
 *      plans ("will", "would", "'ll", "scheduled", "is set to", "is to", "plans") point ahead,
 *      past verbs ("said", "was", "had", a lowercase "-ed" word not after "be" or "the") back;
 *      "had been scheduled" is past; "by"/"until" right before is a deadline, ahead. A past
 *      clause never moves a month-day into next year. Cue words that are no time words live
 *      in a table of their own (cue_find), looked at only when a tense is needed.
 *  (6) Anaphora: "the latest quarter/period" is the quarter last named when it is over, else
 *      the last one over; "the 1988 period", "the year-ago quarter" compare with the quarter
 *      last named; "the same day", "to end the day", "for the day" are the day last named
 *      (a full date emitted earlier), else the reference.
 *  (7) Furniture (tokens with QT_TF_FURNITURE: captions, credits, boilerplate) emits nothing.
 */
#include "events/qt_events.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the word table ---------------------------------------------------------------------- */

enum {
    K_MONTH = 1u << 0, K_WDAY = 1u << 1, K_UNIT = 1u << 2, K_NUM = 1u << 3, K_ORD = 1u << 4,
    K_SEASON = 1u << 5, K_PART = 1u << 6, K_DEIX = 1u << 7, K_REL = 1u << 8, K_SETADV = 1u << 9,
    K_FUZZY = 1u << 10, K_MISC = 1u << 11, K_TZ = 1u << 12, K_FUTURE = 1u << 13,
    K_START = 1u << 14,   /* may begin an expression (1) */
    K_PRE = 1u << 15,     /* begins one only before another time word ("the", "a", "about") */
    K_PASTV = 1u << 16,   /* a past-tense cue ("said", "was", "had") (5) */
    K_HOLIDAY = 1u << 17, /* a fixed or computed day: "Christmas", "Thanksgiving" */
};

/* Kinds of K_FUTURE / K_PASTV cue (lexent.misc) */
enum { F_PLAIN, F_PLAN, F_NEEDS_TO, F_NOT_TO, F_AUX };

enum { U_NONE, U_SEC, U_MIN, U_HOUR, U_DAY, U_WEEK, U_FORTNIGHT, U_MONTH, U_QUARTER, U_YEAR,
       U_DECADE, U_CENTURY, U_WEEKEND, U_HALF };

enum { R_THIS = 1, R_LAST, R_NEXT, R_PAST, R_PREVIOUS, R_COMING, R_FOLLOWING, R_FIRST_N,
       R_LATEST, R_CURRENT, R_RECENT };

enum { H_CHRISTMAS = 1, H_THANKSGIVING, H_HALLOWEEN };

enum { D_TODAY = 1, D_YESTERDAY, D_TOMORROW, D_TONIGHT, D_PRESENT, D_PAST, D_FUTURE,
       D_FUTURE_NOUN, D_PAST_NOUN };

enum { M_THE = 1, M_A, M_AGO, M_EARLIER, M_LATER, M_OF, M_AND, M_HALF, M_EVERY, M_FISCAL,
       M_OLD, M_AGED, M_MORE, M_LESS, M_THAN, M_AT, M_LEAST, M_OVER, M_UNDER, M_ABOUT,
       M_APPROX, M_NEARLY, M_AM, M_PM, M_NOON, M_MIDNIGHT, M_EARLY, M_LATE, M_MID, M_END,
       M_BEGINNING, M_MIDDLE, M_YEARAGO, M_NEAR, M_TERM, M_OTHER, M_UP, M_TO, M_LONG, M_SOME,
       M_TIMES, M_TWICE, M_ONCE, M_PER, M_OCLOCK, M_FOR, M_IN, M_DURING, M_SINCE, M_BY,
       M_UNTIL, M_FROM, M_BEFORE, M_AFTER, M_OR, M_SO, M_COUPLE, M_DOZEN, M_PERIOD, M_ENDED, M_SAME, M_EVE,
       M_INNER };

typedef struct lexent {
    uint64_t h;
    uint32_t k;          /* K_* */
    uint8_t month, wday, unit, plural, ord, season, part, deix, rel, misc, setu;
    int32_t num;
} lexent;

typedef struct wdef {
    const char *w;
    uint32_t k;
    uint8_t a, b;        /* class value, and plural for units */
    int32_t num;
} wdef;

/* Open addressing without wrap-around: a word lives within LEX_WIN slots of its home, so a
 * lookup compares a fixed window of keys (no data-dependent loop; the keys of all the words fit in
 * 16 kB of cache), and only a hit touches the entry. A window of two in 2048 slots (the first
 * multiplier places every word) costs a miss two compares, not four. */
#define LEX_BITS 11
#define LEX_SIZE (1u << LEX_BITS)
#define LEX_WIN 2
static uint64_t lex_key[LEX_SIZE + LEX_WIN];   /* 0: empty */
static lexent lex[LEX_SIZE + LEX_WIN];
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

static const char *const months[] = {"january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"};
static const char *const month_abbr[] = {"jan", "feb", "mar", "apr", NULL, "jun", "jul", "aug",
    "sep", "oct", "nov", "dec"};
static const char *const wdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday"};
static const char *const wday_abbr[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const ones[] = {"zero", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen"};
static const char *const tens[] = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety"};
static const char *const ords[] = {"first", "second", "third", "fourth", "fifth", "sixth",
    "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"};

static const wdef words[] = {
    {"second", K_UNIT, U_SEC, 0, 0}, {"seconds", K_UNIT, U_SEC, 1, 0},
    {"minute", K_UNIT, U_MIN, 0, 0}, {"minutes", K_UNIT, U_MIN, 1, 0},
    {"hour", K_UNIT, U_HOUR, 0, 0}, {"hours", K_UNIT, U_HOUR, 1, 0},
    {"day", K_UNIT, U_DAY, 0, 0}, {"days", K_UNIT, U_DAY, 1, 0},
    {"week", K_UNIT, U_WEEK, 0, 0}, {"weeks", K_UNIT, U_WEEK, 1, 0},
    {"fortnight", K_UNIT, U_FORTNIGHT, 0, 0},
    {"month", K_UNIT, U_MONTH, 0, 0}, {"months", K_UNIT, U_MONTH, 1, 0},
    {"quarter", K_UNIT, U_QUARTER, 0, 0}, {"quarters", K_UNIT, U_QUARTER, 1, 0},
    {"year", K_UNIT, U_YEAR, 0, 0}, {"years", K_UNIT, U_YEAR, 1, 0},
    {"decade", K_UNIT, U_DECADE, 0, 0}, {"decades", K_UNIT, U_DECADE, 1, 0},
    {"century", K_UNIT, U_CENTURY, 0, 0}, {"centuries", K_UNIT, U_CENTURY, 1, 0},
    {"weekend", K_UNIT, U_WEEKEND, 0, 0}, {"weekends", K_UNIT, U_WEEKEND, 1, 0},
    {"half", K_UNIT | K_MISC, U_HALF, M_HALF, 0},
    {"a", K_MISC | K_START | K_PRE, M_A, 0, 1}, {"an", K_MISC | K_START | K_PRE, M_A, 0, 1},
    {"several", K_FUZZY | K_START, 0, 0, -1}, {"few", K_FUZZY | K_START, 0, 0, -1},
    {"many", K_FUZZY | K_START, 0, 0, -1}, {"couple", K_FUZZY | K_MISC, M_COUPLE, 0, 2},
    {"dozen", K_NUM | K_MISC, M_DOZEN, 0, 12}, {"hundred", K_NUM, 0, 0, 100},
    {"spring", K_SEASON | K_START, 1, 0, 0}, {"summer", K_SEASON | K_START, 2, 0, 0},
    {"fall", K_SEASON | K_START, 3, 0, 0}, {"autumn", K_SEASON | K_START, 3, 0, 0},
    {"winter", K_SEASON | K_START, 4, 0, 0},
    {"morning", K_PART, 1, 0, 0}, {"afternoon", K_PART, 2, 0, 0},
    {"evening", K_PART, 3, 0, 0}, {"night", K_PART, 4, 0, 0},
    {"today", K_DEIX | K_START, D_TODAY, 0, 0}, {"yesterday", K_DEIX | K_START, D_YESTERDAY, 0, 0},
    {"tomorrow", K_DEIX | K_START | K_FUTURE, D_TOMORROW, 0, 0},
    {"tonight", K_DEIX | K_START, D_TONIGHT, 0, 0},
    {"now", K_DEIX | K_START, D_PRESENT, 0, 0}, {"currently", K_DEIX | K_START, D_PRESENT, 0, 0},
    {"nowadays", K_DEIX | K_START, D_PRESENT, 0, 0},
    {"recently", K_DEIX | K_START, D_PAST, 0, 0}, {"lately", K_DEIX | K_START, D_PAST, 0, 0},
    {"future", K_DEIX, D_FUTURE_NOUN, 0, 0},
    {"this", K_REL | K_START, R_THIS, 0, 0}, {"last", K_REL | K_START, R_LAST, 0, 0},
    {"next", K_REL | K_START | K_FUTURE, R_NEXT, 0, 0},
    {"past", K_REL | K_START, R_PAST, 0, 0},
    {"previous", K_REL | K_START, R_PREVIOUS, 0, 0}, {"coming", K_REL | K_START, R_COMING, 0, 0},
    {"following", K_REL | K_START, R_FOLLOWING, 0, 0},
    {"latest", K_REL | K_START, R_LATEST, 0, 0}, {"current", K_REL | K_START, R_CURRENT, 0, 0},
    {"recent", K_REL | K_START, R_RECENT, 0, 0},
    {"daily", K_SETADV | K_START, U_DAY, 0, 0}, {"nightly", K_SETADV | K_START, U_DAY, 0, 0},
    {"weekly", K_SETADV | K_START, U_WEEK, 0, 0}, {"monthly", K_SETADV | K_START, U_MONTH, 0, 0},
    {"annual", K_SETADV | K_START, U_YEAR, 1, 0},
    {"yearly", K_SETADV | K_START, U_YEAR, 0, 0}, {"hourly", K_SETADV | K_START, U_HOUR, 0, 0},
    {"the", K_MISC | K_START | K_PRE, M_THE, 0, 0}, {"ago", K_MISC, M_AGO, 0, 0},
    {"earlier", K_MISC | K_START | K_PRE, M_EARLIER, 0, 0}, {"later", K_MISC | K_START | K_PRE, M_LATER, 0, 0},
    {"of", K_MISC, M_OF, 0, 0}, {"and", K_MISC, M_AND, 0, 0},
    {"every", K_MISC | K_START | K_PRE, M_EVERY, 0, 0}, {"each", K_MISC | K_START | K_PRE, M_EVERY, 0, 0},
    {"fiscal", K_MISC | K_START | K_PRE, M_FISCAL, 0, 0}, {"old", K_MISC, M_OLD, 0, 0},
    {"aged", K_MISC | K_START | K_PRE, M_AGED, 0, 0}, {"more", K_MISC | K_START | K_PRE, M_MORE, 0, 0},
    {"less", K_MISC | K_START | K_PRE, M_LESS, 0, 0}, {"fewer", K_MISC | K_START | K_PRE, M_LESS, 0, 0},
    {"than", K_MISC, M_THAN, 0, 0}, {"at", K_MISC | K_START | K_PRE, M_AT, 0, 0},
    {"least", K_MISC, M_LEAST, 0, 0}, {"over", K_MISC | K_START | K_PRE, M_OVER, 0, 0},
    {"under", K_MISC | K_START | K_PRE, M_UNDER, 0, 0}, {"about", K_MISC | K_START | K_PRE, M_ABOUT, 0, 0},
    {"around", K_MISC | K_START | K_PRE, M_APPROX, 0, 0},
    {"approximately", K_MISC | K_START | K_PRE, M_APPROX, 0, 0},
    {"roughly", K_MISC | K_START | K_PRE, M_APPROX, 0, 0},
    {"nearly", K_MISC | K_START | K_PRE, M_NEARLY, 0, 0}, {"almost", K_MISC | K_START | K_PRE, M_NEARLY, 0, 0},
    {"am", K_MISC, M_AM, 0, 0}, {"pm", K_MISC, M_PM, 0, 0},
    {"noon", K_MISC | K_START, M_NOON, 0, 0}, {"midday", K_MISC | K_START, M_NOON, 0, 0},
    {"midnight", K_MISC | K_START, M_MIDNIGHT, 0, 0},
    {"early", K_MISC | K_START | K_PRE, M_EARLY, 0, 0}, {"late", K_MISC | K_START | K_PRE, M_LATE, 0, 0},
    {"mid", K_MISC | K_START | K_PRE, M_MID, 0, 0}, {"end", K_MISC, M_END, 0, 0},
    {"beginning", K_MISC, M_BEGINNING, 0, 0}, {"start", K_MISC, M_BEGINNING, 0, 0},
    {"middle", K_MISC, M_MIDDLE, 0, 0},
    {"year-ago", K_MISC | K_START, M_YEARAGO, 0, 0},
    {"year-earlier", K_MISC | K_START, M_YEARAGO, 0, 0},
    {"near", K_MISC, M_NEAR, 0, 0}, {"term", K_MISC, M_TERM, 0, 0},
    {"other", K_MISC, M_OTHER, 0, 0}, {"up", K_MISC | K_START | K_PRE, M_UP, 0, 0},
    {"to", K_MISC, M_TO, 0, 0}, {"long", K_MISC, M_LONG, 0, 0},
    {"some", K_MISC | K_START | K_PRE, M_SOME, 0, 0}, {"times", K_MISC, M_TIMES, 0, 0},
    {"twice", K_MISC, M_TWICE, 0, 0}, {"once", K_MISC, M_ONCE, 0, 0},
    {"per", K_MISC, M_PER, 0, 0}, {"o'clock", K_MISC, M_OCLOCK, 0, 0},
    {"for", K_MISC, M_FOR, 0, 0}, {"in", K_MISC, M_IN, 0, 0}, {"during", K_MISC, M_DURING, 0, 0},
    {"since", K_MISC, M_SINCE, 0, 0}, {"by", K_MISC, M_BY, 0, 0}, {"until", K_MISC, M_UNTIL, 0, 0},
    {"from", K_MISC, M_FROM, 0, 0}, {"before", K_MISC, M_BEFORE, 0, 0},
    {"after", K_MISC, M_AFTER, 0, 0}, {"or", K_MISC, M_OR, 0, 0}, {"so", K_MISC, M_SO, 0, 0},
    {"christmas", K_HOLIDAY | K_START, H_CHRISTMAS, 0, 0},
    {"thanksgiving", K_HOLIDAY | K_START, H_THANKSGIVING, 0, 0},
    {"halloween", K_HOLIDAY | K_START, H_HALLOWEEN, 0, 0},
    {"eve", K_MISC, M_EVE, 0, 0},
    {"period", K_MISC, M_PERIOD, 0, 0}, {"ended", K_MISC, M_ENDED, 0, 0},
    {"ending", K_MISC, M_ENDED, 0, 0}, {"same", K_MISC, M_SAME, 0, 0},
    {"additional", K_MISC, M_INNER, 0, 0}, {"consecutive", K_MISC, M_INNER, 0, 0},
    {"straight", K_MISC, M_INNER, 0, 0}, {"successive", K_MISC, M_INNER, 0, 0},
    {"trading", K_MISC, M_INNER, 0, 0}, {"extra", K_MISC, M_INNER, 0, 0},
    {"will", K_FUTURE, F_AUX, 0, 0}, {"shall", K_FUTURE, F_AUX, 0, 0}, {"won't", K_FUTURE, F_AUX, 0, 0},
    {"upcoming", K_FUTURE, 0, 0, 0}, {"scheduled", K_FUTURE, F_PLAN, 0, 0},
    {"expected", K_FUTURE, F_PLAN, 0, 0}, {"expects", K_FUTURE, 0, 0, 0},
    {"plans", K_FUTURE, F_PLAN, 0, 0}, {"planned", K_FUTURE, F_PLAN, 0, 0},
    {"est", K_TZ, 0, 0, 0}, {"edt", K_TZ, 0, 0, 0}, {"cst", K_TZ, 0, 0, 0},
    {"cdt", K_TZ, 0, 0, 0}, {"pst", K_TZ, 0, 0, 0}, {"pdt", K_TZ, 0, 0, 0},
    {"mst", K_TZ, 0, 0, 0}, {"mdt", K_TZ, 0, 0, 0}, {"gmt", K_TZ, 1, 0, 0},
    {"utc", K_TZ, 1, 0, 0}, {"bst", K_TZ, 0, 0, 0}, {"cet", K_TZ, 0, 0, 0},
};

/* Tense cues that are no time words (5): a table of their own, read only when a tense is
 * needed, so that common words ("is", "said") cost the scan nothing. */
static const wdef cue_words[] = {
    {"would", K_FUTURE, F_AUX, 0, 0}, {"soon", K_FUTURE, 0, 0, 0},
    {"plan", K_FUTURE, F_PLAN, 0, 0}, {"planning", K_FUTURE, F_PLAN, 0, 0},
    {"supposed", K_FUTURE, F_PLAN, 0, 0}, {"intends", K_FUTURE, 0, 0, 0},
    {"effective", K_FUTURE, 0, 0, 0}, {"postponed", K_FUTURE, 0, 0, 0},
    {"set", K_FUTURE, F_NEEDS_TO, 0, 0}, {"going", K_FUTURE, F_NEEDS_TO, 0, 0},
    {"is", K_FUTURE, F_NEEDS_TO, 0, 0}, {"are", K_FUTURE, F_NEEDS_TO, 0, 0},
    {"due", K_FUTURE, F_NOT_TO, 0, 0},
    {"said", K_PASTV, 0, 0, 0}, {"told", K_PASTV, 0, 0, 0}, {"was", K_PASTV, 0, 0, 0},
    {"were", K_PASTV, 0, 0, 0}, {"had", K_PASTV, 0, 0, 0}, {"did", K_PASTV, 0, 0, 0},
    {"been", K_PASTV, 0, 0, 0}, {"previously", K_PASTV, 0, 0, 0},
};

#define CUE_SIZE 128u
static lexent cue[CUE_SIZE];

static uint64_t lex_mul = 0x9E3779B97F4A7C15ull;   /* odd; another one if a window fills */
static int lex_spilled;

static size_t lex_home(uint64_t h)
{
    return (size_t)((h * lex_mul) >> (64 - LEX_BITS));
}

static lexent *lex_add(const char *w)
{
    static lexent spill;     /* a full window: never at this table's load (see build_lex) */
    uint64_t h = qt_word_hash(w, strlen(w));
    size_t i = lex_home(h);
    for (size_t d = 0; d < LEX_WIN; d++) {
        if (lex_key[i + d] == h || !lex_key[i + d]) {
            lex_key[i + d] = h;
            lex[i + d].h = h;
            return &lex[i + d];
        }
    }
    lex_spilled = 1;
    return &spill;
}

static void build_lex(void)
{
    for (int m = 0; m < 12; m++) {
        lexent *e = lex_add(months[m]);
        e->k |= K_MONTH | K_START;
        e->month = (uint8_t)(m + 1);
        if (month_abbr[m]) {
            e = lex_add(month_abbr[m]);
            e->k |= K_MONTH | K_START;
            e->month = (uint8_t)(m + 1);
        }
    }
    lexent *e = lex_add("sept");
    e->k |= K_MONTH | K_START;
    e->month = 9;
    for (int d = 0; d < 7; d++) {
        e = lex_add(wdays[d]);
        e->k |= K_WDAY | K_START;
        e->wday = (uint8_t)(d + 1);
        e = lex_add(wday_abbr[d]);
        e->k |= K_WDAY;       /* "Mon" alone is too often something else: only before a date */
        e->wday = (uint8_t)(d + 1);
    }
    for (int n = 1; n < 20; n++) {
        e = lex_add(ones[n]);
        e->k |= K_NUM | K_START;
        e->num = n;
    }
    for (int n = 0; n < 8; n++) {
        e = lex_add(tens[n]);
        e->k |= K_NUM | K_START;
        e->num = 20 + 10 * n;
    }
    for (int n = 0; n < 12; n++) {
        e = lex_add(ords[n]);
        e->k |= K_ORD | K_START;
        e->ord = (uint8_t)(n + 1);
    }
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        const wdef *w = &words[i];
        e = lex_add(w->w);
        e->k |= w->k;
        if (w->k & K_UNIT) {
            e->unit = w->a;
            e->plural = (w->k & K_MISC) ? 0 : w->b;
            if (e->plural)
                e->k |= K_START;     /* "for years" */
        }
        if (w->k & K_SEASON) e->season = w->a;
        if (w->k & K_HOLIDAY) e->part = w->a;
        if (w->k & K_PART) e->part = w->a;
        if (w->k & K_DEIX) e->deix = w->a;
        if (w->k & K_REL) e->rel = w->a;
        if (w->k & K_SETADV) e->setu = w->a, e->plural = w->b;
        if (w->k & K_MISC) e->misc = (w->k & K_UNIT) ? w->b : w->a;
        if (w->k & K_TZ) e->misc = w->a;   /* 1: a zone TIMEX3 writes as Z */
        if (w->k & (K_FUTURE | K_PASTV)) e->misc = w->a;
        if (w->num) e->num = w->num;
    }
    for (size_t i = 0; i < sizeof cue_words / sizeof *cue_words; i++) {
        uint64_t h = qt_word_hash(cue_words[i].w, strlen(cue_words[i].w));
        size_t j = (size_t)(h ^ (h >> 29)) & (CUE_SIZE - 1);
        while (cue[j].h)
            j = (j + 1) & (CUE_SIZE - 1);
        cue[j].h = h;
        cue[j].k = cue_words[i].k;
        cue[j].misc = cue_words[i].a;
    }
}

static const lexent *cue_find(uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (CUE_SIZE - 1);
    while (cue[i].h && cue[i].h != h)
        i = (i + 1) & (CUE_SIZE - 1);
    return cue[i].h ? &cue[i] : NULL;
}

/* build_lex until every word sits in its window (the first multiplier does at this load). */
static void build_lex_table(void)
{
    for (int tries = 0; tries < 64; tries++) {
        memset(lex_key, 0, sizeof lex_key);
        memset(lex, 0, sizeof lex);
        lex_spilled = 0;
        build_lex();
        if (!lex_spilled)
            return;
        lex_mul += 0x5851F42D4C957F2Eull;   /* stays odd */
    }
}

static inline const lexent *lex_find(uint64_t h)
{
    size_t i = lex_home(h);
    const uint64_t *k = &lex_key[i];
    /* branch-free: one slot of the window at most holds h (LEX_WIN is 2) */
    size_t at = k[0] == h ? 0 : k[1] == h ? 1 : LEX_WIN;
    return at < LEX_WIN && h ? &lex[i + at] : NULL;
}

/* ---- calendar arithmetic (proleptic Gregorian, days since 1970-01-01) --------------------- */

static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int weekday_of(long z)   /* 1 Monday .. 7 Sunday; 1970-01-01 was a Thursday */
{
    return (int)(((z % 7) + 7 + 3) % 7) + 1;
}

static void iso_week(long z, long *wy, int *wn)
{
    long th = z - (weekday_of(z) - 1) + 3;   /* the Thursday decides the week's year */
    int m, d;
    civil_from_days(th, wy, &m, &d);
    *wn = (int)((th - days_from_civil(*wy, 1, 1)) / 7) + 1;
}

static int days_in_month(long y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : dm[m - 1];
}

/* ---- the scan ------------------------------------------------------------------------------ */

struct qt_timex_ctx {
    qt_vec out;            /* qt_time */
    qt_vec lx;             /* const lexent * per token */
    qt_vec cand;           /* uint32_t: tokens that may begin an expression, in order */
    qt_vec near;           /* uint8_t per token (+ LOOK): a time word or a number (K_PRE) */
    qt_arena arena;        /* values and names of the current scan */
};

/* How far any pattern reads ahead of its first token (2). */
#define LOOK 12

typedef struct scan {
    qt_timex_ctx *c;
    const qt_text *t;
    const lexent **lx;
    size_t n;
    int gran;              /* reference known to: 0 nothing, 1 year, 2 month, 3 day */
    long ry;
    int rm, rd;
    long rz;               /* reference day number, when gran == 3 */
    long qy;               /* the quarter last named ("the quarter" refers back to it) */
    int qq;
    size_t q_sent_tok;     /* token where that quarter was named */
    size_t done;           /* tokens before this are in an emitted expression */
    long dz;               /* the day last named (a full date), for "the same day" */
    int have_dz;
    size_t dg_i;           /* digits(): the token last read (SIZE_MAX: none), its value and */
    long dg_v;             /* digit count; the rules ask one number's value several times */
    int dg_nd;
} scan;

typedef struct hit {
    size_t first, last;    /* tokens [first, last) */
    int trim;              /* bytes to drop from the last token ("Friday's") */
    const char *type;
    char value[48];
    int has_value;
    const char *mod;
    int the_ok;            /* a "the" right before belongs to the expression (3) */
    int age;               /* years of an age, else 0 */
    int qv;                /* the value is a quarter: remember it for "the quarter" */
} hit;

static const qt_tok *TK(const scan *s, size_t i) { return &QT_TOK(s->t, i); }
static const lexent *LX(const scan *s, size_t i) { return i < s->n ? s->lx[i] : NULL; }
static int MISC(const scan *s, size_t i)
{
    const lexent *e = LX(s, i);
    return e && (e->k & K_MISC) ? e->misc : 0;
}
static int HAS(const scan *s, size_t i, unsigned k)
{
    const lexent *e = LX(s, i);
    return e && (e->k & k);
}
static int IS_P(const scan *s, size_t i, char ch)
{
    return i < s->n && TK(s, i)->kind == QT_TOK_PUNCT && TK(s, i)->hash == (uint64_t)(unsigned char)ch;
}
static int CAP(const scan *s, size_t i) { return i < s->n && (TK(s, i)->flags & QT_TF_CAP); }
/* Tokens i and i+1 touch (no space): "Aug." */
static int GLUED(const scan *s, size_t i)
{
    return i + 1 < s->n && TK(s, i)->end == TK(s, i + 1)->start;
}

/* Token i is the lowercase word w followed by up to `suffix` more letters ("finish" matches
 * "finished" with suffix 2). */
static int word_is(const scan *s, size_t i, const char *w, size_t suffix)
{
    if (i >= s->n || TK(s, i)->kind != QT_TOK_WORD)
        return 0;
    const qt_tok *k = TK(s, i);
    size_t len = k->end - k->start, wl = strlen(w);
    if (len < wl || len > wl + suffix)
        return 0;
    for (size_t j = 0; j < wl; j++)
        if ((s->t->p[k->start + j] | 32) != w[j])
            return 0;
    return 1;
}

/* The value of a token made of 1..9 ASCII digits, else -1. */
static long digits_read(const scan *s, size_t i, int *ndig)
{
    if (i >= s->n || TK(s, i)->kind != QT_TOK_NUM)
        return -1;
    const qt_tok *k = TK(s, i);
    size_t len = k->end - k->start;
    if (len == 0 || len > 9)
        return -1;
    long v = 0;
    for (size_t j = 0; j < len; j++) {
        char ch = s->t->p[k->start + j];
        if (ch < '0' || ch > '9')
            return -1;
        v = v * 10 + (ch - '0');
    }
    *ndig = (int)len;
    return v;
}

/* The value of a token made of 1..9 ASCII digits, else -1 (*ndig, when given, set only for a
 * value). The last answer is kept in the scan (the tokens do not change during one). */
static long digits(const scan *s, size_t i, int *ndig)
{
    scan *w = (scan *)s;   /* a cache only: every scan object is writable */
    if (i != w->dg_i) {
        int nd = 0;
        w->dg_v = digits_read(s, i, &nd);
        w->dg_nd = nd;
        w->dg_i = i;
    }
    if (ndig && w->dg_v >= 0)
        *ndig = w->dg_nd;
    return w->dg_v;
}

/* vsnprintf(out, cap, fmt, ap) for the conversions values use -- %d %ld with an optional
 * zero-padded width ("%04ld", "%02d"), %s and %.Ns -- without stdio's cost (a value is written
 * for every expression found). Returns 0, having written nothing that counts, for anything else
 * (%g, a NULL string, a result that does not fit): the caller then asks vsnprintf. */
static int format_value(char *out, size_t cap, const char *fmt, va_list ap)
{
    size_t o = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            if (o + 1 >= cap)
                return 0;
            out[o++] = *f;
            continue;
        }
        f++;
        int zero = 0, width = 0, prec = -1, lng = 0;
        if (*f == '0')
            zero = 1, f++;
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (*f++ - '0');
        if (*f == '.') {
            prec = 0;
            for (f++; *f >= '0' && *f <= '9'; f++)
                prec = prec * 10 + (*f - '0');
        }
        if (*f == 'l')
            lng = 1, f++;
        if (*f == 'd' && prec < 0 && (zero || width == 0)) {
            long v = lng ? va_arg(ap, long) : (long)va_arg(ap, int);
            unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
            char dig[24];
            int nd = 0;
            do
                dig[nd++] = (char)('0' + u % 10);
            while ((u /= 10) != 0);
            int len = nd + (v < 0);
            int pad = width > len ? width - len : 0;
            if (o + (size_t)(len + pad) >= cap)
                return 0;
            if (v < 0)
                out[o++] = '-';
            while (pad-- > 0)
                out[o++] = '0';
            while (nd > 0)
                out[o++] = dig[--nd];
        } else if (*f == 's' && !zero && width == 0 && !lng) {
            const char *a = va_arg(ap, const char *);
            if (!a)
                return 0;
            size_t len = prec < 0 ? strlen(a) : strnlen(a, (size_t)prec);
            if (o + len >= cap)
                return 0;
            memcpy(out + o, a, len);
            o += len;
        } else {
            return 0;
        }
    }
    out[o] = 0;
    return 1;
}

static int set_value(hit *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_value(hit *h, const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    if (!format_value(h->value, sizeof h->value, fmt, aq))
        vsnprintf(h->value, sizeof h->value, fmt, ap);
    va_end(aq);
    va_end(ap);
    h->has_value = 1;
    return 1;
}

static void put_day(hit *h, long z)
{
    long y;
    int m, d;
    civil_from_days(z, &y, &m, &d);
    set_value(h, "%04ld-%02d-%02d", y, m, d);
}

/* A time word or a tense cue at token j. */
static const lexent *CUE(const scan *s, size_t j)
{
    const lexent *e = LX(s, j);
    if (!e && j < s->n && TK(s, j)->kind == QT_TOK_WORD)
        e = cue_find(TK(s, j)->hash);
    return e;
}

/* Does the '.' at token j end a sentence? Not after a single letter or a short capitalised
 * abbreviation ("a.m.", "U.S.", "Gen.", "Oct."). */
static int sentence_stop(const scan *s, size_t j)
{
    const qt_tok *k = TK(s, j);
    if (k->kind != QT_TOK_PUNCT)
        return 0;
    if (k->hash == '!' || k->hash == '?' || k->hash == ';')
        return 1;
    if (k->hash != '.')
        return 0;
    if (j == 0 || !GLUED(s, j - 1))
        return 1;
    const qt_tok *p = TK(s, j - 1);
    size_t len = p->end - p->start;
    if (p->kind == QT_TOK_WORD && (len == 1 || (len <= 3 && (p->flags & QT_TF_CAP))))
        return 0;
    return 1;
}

/* The tense cue of token j: +1 future ("will", "'ll", "scheduled", "plans", "set to", "is to",
 * "due", "soon"), -1 past ("said", "was", "had", a lowercase "-ed" verb), else 0. A planning
 * word after "had"/"been"/"previously" is past ("had been scheduled to expire"). */
static int tense_cue(const scan *s, size_t j, int ahead)
{
    const qt_tok *k = TK(s, j);
    if (k->kind != QT_TOK_WORD)
        return 0;
    const lexent *e = CUE(s, j);
    const char *p = s->t->p + k->start;
    size_t len = k->end - k->start;
    if (e && (e->k & K_FUTURE)) {
        int to = j + 1 < s->n && MISC(s, j + 1) == M_TO;
        if (e->misc == F_PLAN && j > 0 && CUE(s, j - 1) && (CUE(s, j - 1)->k & K_PASTV))
            return -1;
        if ((e->misc == F_NEEDS_TO && !to) || (e->misc == F_NOT_TO && to))
            return 0;
        if (ahead && e->misc == F_PLAN)      /* "On Friday, the team planned ..." */
            return len > 2 && p[len - 1] == 'd' && p[len - 2] == 'e' ? -1 : 0;
        if (ahead && e->misc != F_AUX && e->misc != F_NEEDS_TO)
            return 0;
        return 1;
    }
    if (e && (e->k & K_PASTV))
        return -1;
    if (len > 3 && p[len - 1] == 'l' && p[len - 2] == 'l' && p[len - 3] == '\'')
        return 1;   /* "he'll", "they'll" */
    if (len >= 5 && (k->flags & QT_TF_LOWER) && p[len - 1] == 'd' && p[len - 2] == 'e' &&
        p[len - 3] != 'e' && !e) {
        /* "rallied", "announced"; not "need", "proceed"; a participle after "be" is no past:
         * "will be named" reads on, "to be published" is ahead */
        if (j > 0 && TK(s, j - 1)->kind == QT_TOK_WORD && TK(s, j - 1)->end - TK(s, j - 1)->start == 2 &&
            (s->t->p[TK(s, j - 1)->start] | 32) == 'b' && s->t->p[TK(s, j - 1)->start + 1] == 'e')
            return j > 1 && MISC(s, j - 2) == M_TO ? 1 : 0;
        if (j > 0 && (MISC(s, j - 1) == M_THE || MISC(s, j - 1) == M_A ||
                      (TK(s, j - 1)->flags & QT_TF_POSS)))
            return 0;   /* "the reduced dividend": an adjective */
        return -1;
    }
    return 0;
}

/* Is the clause around token i about the future (5)? The nearest tense cue before the
 * expression in its sentence decides ("said Friday that it will" is past, "will leave at 4
 * a.m. Thursday" future); without one, the nearest after it; "by" or "until" right before
 * ("by May", "postponed until Tuesday") is a deadline, which news sets ahead. Bounded: 24
 * tokens back, 8 on. */
static int clause_tense(const scan *s, size_t i)
{
    if (i > 0) {
        int m = MISC(s, i - 1);
        if ((m == M_BY || m == M_UNTIL) && i > 1 && !sentence_stop(s, i - 2) &&
            !(TK(s, i - 1)->flags & QT_TF_PARA_START) && MISC(s, i - 2) != M_UP &&
            !(TK(s, i - 2)->kind == QT_TOK_PUNCT))
            return 1;
    }
    size_t lo = i > 24 ? i - 24 : 0;
    for (size_t j = i; j-- > lo;) {
        if (sentence_stop(s, j))
            break;
        int c = tense_cue(s, j, 0);
        if (c)
            return c;
        if (TK(s, j)->flags & QT_TF_PARA_START)
            break;
    }
    for (size_t j = i + 1; j < s->n && j < i + 8; j++) {
        const qt_tok *k = TK(s, j);
        if (sentence_stop(s, j) || (k->flags & QT_TF_PARA_START))
            break;
        int c = tense_cue(s, j, 1);
        if (c)
            return c;
    }
    return 0;
}

static int future_tense(const scan *s, size_t i) { return clause_tense(s, i) > 0; }

/* ---- numbers ------------------------------------------------------------------------------- */

typedef struct numph {
    size_t end;            /* token after the number */
    double v;              /* < 0: vague ("several") */
    int article;           /* it was "a"/"an" */
} numph;

/* A word number, including "twenty-five" inside one token, else -1. */
static long word_number(const scan *s, size_t i)
{
    const lexent *e = LX(s, i);
    if (e && (e->k & K_NUM) && !(e->k & K_MISC))
        return e->num;
    if (i >= s->n || TK(s, i)->kind != QT_TOK_WORD)
        return -1;
    const qt_tok *k = TK(s, i);
    const char *p = s->t->p + k->start;
    size_t len = k->end - k->start;
    const char *dash = len < 20 ? memchr(p, '-', len) : NULL;
    if (!dash)
        return -1;
    const lexent *a = lex_find(qt_word_hash(p, (size_t)(dash - p)));
    const lexent *b = lex_find(qt_word_hash(dash + 1, len - (size_t)(dash - p) - 1));
    if (a && b && (a->k & K_NUM) && (b->k & K_NUM) && a->num >= 20 && a->num % 10 == 0 &&
        b->num < 10)
        return a->num + b->num;
    return -1;
}

/* A count before a unit: "48", "four", "twenty five", "a", "several", "a few", "a couple of",
 * "two and a half", "1.5". */
static int number_at(const scan *s, size_t i, numph *np)
{
    long v = digits(s, i, NULL);
    np->article = 0;
    if (v >= 0) {
        np->v = (double)v;
        np->end = i + 1;
        if (IS_P(s, i + 1, '.') && GLUED(s, i) && GLUED(s, i + 1)) {
            int nd = 0;
            long f = digits(s, i + 2, &nd);
            if (f >= 0 && nd <= 3) {
                double div = nd == 1 ? 10 : nd == 2 ? 100 : 1000;
                np->v += (double)f / div;
                np->end = i + 3;
            }
        }
    } else if (i < s->n && TK(s, i)->kind == QT_TOK_NUM) {
        /* "1.5" is one token */
        const qt_tok *k = TK(s, i);
        size_t len = k->end - k->start;
        char buf[16];
        /* strtod only where it could answer: a "." inside */
        if (len >= sizeof buf || !memchr(s->t->p + k->start, '.', len))
            return 0;
        /* digits with one "." and at most 15 digits in all: an integer below 2^53 over an
         * exact power of ten, one correctly rounded division, as strtod rounds */
        const char *q = s->t->p + k->start;
        uint64_t m = 0;
        int nd = 0, fd = -1;
        for (size_t j = 0; j < len; j++) {
            if (q[j] >= '0' && q[j] <= '9')
                m = m * 10 + (uint64_t)(q[j] - '0'), nd++, fd += fd >= 0;
            else if (q[j] == '.' && fd < 0)
                fd = 0;
            else {
                nd = 99;
                break;
            }
        }
        static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                     1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
        double d;
        if (nd >= 1 && nd <= 15 && fd >= 0) {
            d = (double)m / p10[fd];
        } else {
            memcpy(buf, q, len);
            buf[len] = 0;
            char *e;
            d = strtod(buf, &e);
            if (*e)
                return 0;
        }
        np->v = d;
        np->end = i + 1;
    } else if ((v = word_number(s, i)) >= 0) {
        np->v = (double)v;
        np->end = i + 1;
        long u = word_number(s, i + 1);
        if (v >= 20 && v % 10 == 0 && u > 0 && u < 10) {
            np->v += (double)u;
            np->end = i + 2;
        }
    } else if (MISC(s, i) == M_A) {
        np->article = 1;
        np->v = 1;
        np->end = i + 1;
        if (HAS(s, i + 1, K_FUZZY)) {           /* "a few", "a couple of" */
            np->v = MISC(s, i + 1) == M_COUPLE ? 2 : -1;
            np->article = 0;
            np->end = i + 2 + (MISC(s, i + 2) == M_OF);
        } else if (MISC(s, i + 1) == M_DOZEN) {
            np->v = 12;
            np->article = 0;
            np->end = i + 2;
        }
    } else if (HAS(s, i, K_FUZZY) && MISC(s, i) != M_COUPLE) {
        np->v = -1;
        np->end = i + 1;
    } else if (MISC(s, i) == M_SOME && HAS(s, i + 1, K_UNIT) && LX(s, i + 1)->plural) {
        np->v = -1;
        np->end = i + 1;
    } else {
        return 0;
    }
    /* "two and a half years" */
    if (np->v > 0 && MISC(s, np->end) == M_AND && MISC(s, np->end + 1) == M_A &&
        MISC(s, np->end + 2) == M_HALF) {
        np->v += 0.5;
        np->end += 3;
    }
    return 1;
}

/* A year in words, as transcripts write them: "nineteen ninety-six", "nineteen ninety six",
 * "two thousand", "two thousand and one". Sets *end past it; else -1. */
static long word_year(const scan *s, size_t i, size_t *end)
{
    long a = word_number(s, i);
    if ((a == 19 || a == 20) && !(a == 20 && word_number(s, i + 1) == 1000)) {
        long b = word_number(s, i + 1);
        if (b < 10 || b > 99)
            return -1;
        size_t e = i + 2;
        long c = word_number(s, e);
        if (b >= 20 && b % 10 == 0 && c >= 1 && c <= 9 && !memchr(s->t->p + TK(s, i + 1)->start,
                                                                   '-', TK(s, i + 1)->end - TK(s, i + 1)->start))
            b += c, e++;
        *end = e;
        return a * 100 + b;
    }
    if (a == 2 && i + 1 < s->n && word_is(s, i + 1, "thousand", 0)) {
        size_t e = i + 2;
        long c = word_number(s, e + (MISC(s, e) == M_AND));
        if (c >= 1 && c <= 19 && !HAS(s, e + (MISC(s, e) == M_AND) + 1, K_UNIT))
            e += 1 + (MISC(s, e) == M_AND), *end = e;
        else
            c = 0;
        if (HAS(s, e, K_UNIT))
            return -1;                  /* "two thousand years" is a count */
        *end = e;
        return 2000 + c;
    }
    return -1;
}

static const char *unit_code(int u)
{
    switch (u) {
    case U_SEC: return "S";
    case U_MIN: return "M";
    case U_HOUR: return "H";
    case U_DAY: return "D";
    case U_WEEK: case U_FORTNIGHT: return "W";
    case U_MONTH: return "M";
    case U_QUARTER: return "Q";
    case U_WEEKEND: return "WE";
    default: return "Y";
    }
}

/* "P4Y", "PT48H", "P10Y" for a decade, "PXW" for several weeks. */
static void duration_value(hit *h, double v, int u)
{
    const char *t = u == U_SEC || u == U_MIN || u == U_HOUR ? "T" : "";
    if (v < 0) {
        set_value(h, "P%sX%s", t, u == U_DECADE || u == U_CENTURY ? "Y" : unit_code(u));
        return;
    }
    if (u == U_DECADE) v *= 10;
    else if (u == U_CENTURY) v *= 100;
    else if (u == U_FORTNIGHT) v *= 2;
    else if (u == U_HALF) { v *= 6; u = U_MONTH; }
    if (v > 0 && v < 1e6 && v == (double)(long)v)   /* what %g writes, without stdio */
        set_value(h, "P%s%ld%s", t, (long)v, unit_code(u));
    else
        set_value(h, "P%s%g%s", t, v, unit_code(u));
}

/* ---- resolving against the reference ------------------------------------------------------ */

static int quarter_of(int m) { return (m - 1) / 3 + 1; }

/* A date `n` units before the reference (n < 0: after), at the unit's granularity (4). */
static int shift_value(const scan *s, hit *h, int u, long n)
{
    switch (u) {
    case U_YEAR:
        if (s->gran < 1) return 0;
        return set_value(h, "%04ld", s->ry - n);
    case U_DECADE:
        if (s->gran < 1) return 0;
        return set_value(h, "%03ldX", (s->ry - 10 * n) / 10);
    case U_CENTURY:
        if (s->gran < 1) return 0;
        return set_value(h, "%02ld", (s->ry - 100 * n) / 100);
    case U_MONTH: {
        if (s->gran < 2) return 0;
        long mm = s->ry * 12 + (s->rm - 1) - n;
        return set_value(h, "%04ld-%02ld", mm / 12, mm % 12 + 1);
    }
    case U_QUARTER: {
        if (s->gran < 2) return 0;
        long qq = s->ry * 4 + (quarter_of(s->rm) - 1) - n;
        h->qv = 1;
        return set_value(h, "%04ld-Q%ld", qq / 4, qq % 4 + 1);
    }
    case U_WEEK: case U_WEEKEND: {
        if (s->gran < 3) return 0;
        long wy;
        int wn;
        iso_week(s->rz - 7 * n, &wy, &wn);
        return set_value(h, "%04ld-W%02d%s", wy, wn, u == U_WEEKEND ? "-WE" : "");
    }
    case U_FORTNIGHT:
        if (s->gran < 3) return 0;
        put_day(h, s->rz - 14 * n);
        return 1;
    case U_DAY: case U_HOUR: case U_MIN: case U_SEC:
        if (s->gran < 3) return 0;
        put_day(h, s->rz - (u == U_DAY ? n : 0));
        return 1;
    default:
        return 0;
    }
}

/* The month m of the year the clause means: the latest one up to the reference month, or the
 * next one from it in the future tense (5). rel: R_LAST / R_NEXT / R_THIS force it. */
static long year_for_month(const scan *s, int m, int future, int rel)
{
    if (rel == R_THIS) return s->ry;
    if (rel == R_LAST) return m < s->rm ? s->ry : s->ry - 1;
    if (rel == R_NEXT) return m > s->rm ? s->ry : s->ry + 1;
    if (future) return m >= s->rm ? s->ry : s->ry + 1;
    return m <= s->rm ? s->ry : s->ry - 1;
}

/* A month and day without year: the year that puts it nearest the reference, looking forward
 * only in the future tense. */
static long year_for_day(const scan *s, int m, int d, int tense)
{
    if (s->gran < 2) return s->ry;
    long ref = s->gran >= 3 ? s->rz : days_from_civil(s->ry, s->rm, 15);
    long z = days_from_civil(s->ry, m, d);
    int future = tense > 0;
    if (future && z < ref - 30) return s->ry + 1;
    if (z - ref > (future ? 183 : 60)) return s->ry - 1;
    if (tense == 0 && ref - z > 183) return s->ry + 1;
    return s->ry;
}

static int weekday_value(const scan *s, hit *h, int wd, int rel, int future)
{
    if (s->gran < 3)
        return 0;
    int rw = weekday_of(s->rz);
    long z;
    if (rel == R_LAST) {
        int back = (rw - wd + 7) % 7;
        z = s->rz - (back ? back : 7);
    } else if (rel == R_NEXT || (future && rel != R_THIS)) {
        int fwd = (wd - rw + 7) % 7;
        z = s->rz + (fwd ? fwd : (rel == R_NEXT ? 7 : 0));
    } else if (rel == R_THIS) {
        z = s->rz + (wd - rw);
    } else {
        z = s->rz - (rw - wd + 7) % 7;
    }
    put_day(h, z);
    return 1;
}

static const char *const part_code[] = {"", "MO", "AF", "EV", "NI"};

/* ---- patterns -------------------------------------------------------------------------------
 * Each tries to read one expression whose core starts at token i, fills h and returns 1, or
 * returns 0 and leaves the scan where it was. */

/* A four-digit year at token i, not money or a count ("$1990", "1990 people"). */
static long year_at(const scan *s, size_t i)
{
    int nd = 0;
    long v = digits(s, i, &nd);
    if (v < 0 && i < s->n && (TK(s, i)->flags & QT_TF_POSS)) {   /* "1998's" */
        const qt_tok *k = TK(s, i);
        const char *p = s->t->p + k->start;
        if (k->end - k->start == 6 && p[0] >= '0' && p[0] <= '9') {
            v = 0;
            for (int j = 0; j < 4; j++) {
                if (p[j] < '0' || p[j] > '9') return -1;
                v = v * 10 + (p[j] - '0');
            }
            nd = 4;
        }
    }
    if (v < 0 || nd != 4 || v < 1000 || v > 2199)
        return -1;
    if (i > 0) {
        const qt_tok *p = TK(s, i - 1);
        if (p->kind == QT_TOK_PUNCT && p->end == TK(s, i)->start &&
            (p->hash == '$' || p->hash == '#' || p->hash == '-' || p->hash == '/'))
            return -1;
        if (p->kind != QT_TOK_WORD && p->kind != QT_TOK_PUNCT && p->kind != QT_TOK_QUOTE)
            return -1;      /* "5 1990" */
        if (p->kind == QT_TOK_PUNCT && (p->flags & QT_TF_NONASCII) && p->end == TK(s, i)->start)
            return -1;      /* "£1990", "€1990" */
    }
    if (i + 1 < s->n) {
        const qt_tok *nx = TK(s, i + 1);
        if (nx->kind == QT_TOK_PUNCT && nx->hash == '%')
            return -1;
        if (nx->kind == QT_TOK_NUM)
            return -1;
        if (HAS(s, i + 1, K_UNIT))
            return -1;
    }
    if (v < 1800) {   /* older years only after a preposition: "in 1066" */
        int m = i ? MISC(s, i - 1) : 0;
        if (!(m == M_IN || m == M_SINCE || m == M_BY || m == M_UNTIL || m == M_FROM ||
              m == M_BEFORE || m == M_AFTER || m == M_OF))
            return -1;
    }
    return v;
}

/* A decade written "1990s" (or "1990's"): its first three digits, else -1. */
static long decade_at(const scan *s, size_t i)
{
    if (i >= s->n || TK(s, i)->kind != QT_TOK_WORD)
        return -1;
    const qt_tok *k = TK(s, i);
    const char *p = s->t->p + k->start;
    size_t len = k->end - k->start;
    if (!((len == 5 && p[4] == 's') || (len == 6 && p[4] == '\'' && p[5] == 's')))
        return -1;
    for (int j = 0; j < 4; j++)
        if (p[j] < '0' || p[j] > '9')
            return -1;
    if (p[3] != '0')
        return -1;
    return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

/* A day of the month at token i: "7", "7th", else 0. */
static int day_at(const scan *s, size_t i)
{
    long v = digits(s, i, NULL);
    if (v < 0 && i < s->n && TK(s, i)->kind == QT_TOK_WORD) {
        const qt_tok *k = TK(s, i);
        const char *p = s->t->p + k->start;
        size_t len = k->end - k->start;
        if (len >= 3 && len <= 4 && p[0] >= '0' && p[0] <= '9') {
            v = p[0] - '0';
            size_t j = 1;
            if (p[1] >= '0' && p[1] <= '9')
                v = v * 10 + (p[1] - '0'), j = 2;
            const char *suf = p + j;
            if (len - j != 2 || !(memcmp(suf, "st", 2) == 0 || memcmp(suf, "nd", 2) == 0 ||
                                  memcmp(suf, "rd", 2) == 0 || memcmp(suf, "th", 2) == 0))
                v = -1;
        }
    }
    return v >= 1 && v <= 31 ? (int)v : 0;
}

/* Is the month word at i a month here? "May" and "March" are also words, so they need a
 * capital and a date-like neighbour; "Jan" needs its full stop or a number. */
static int month_at(const scan *s, size_t i)
{
    const lexent *e = LX(s, i);
    if (!e || !(e->k & K_MONTH) || !CAP(s, i))
        return 0;
    const qt_tok *k = TK(s, i);
    size_t len = k->end - k->start;
    if (k->flags & QT_TF_ALLCAPS && len > 3 && i > 0 && (TK(s, i - 1)->flags & QT_TF_ALLCAPS))
        return 0;     /* a capitalised headline word run: "MARCH ON WASHINGTON" */
    int is_abbr = len <= 4 && !(e->month == 6 && len == 4) && !(e->month == 7 && len == 4) &&
                  e->month != 5;
    int next_num = day_at(s, i + 1 + (IS_P(s, i + 1, '.') && GLUED(s, i))) ||
                   year_at(s, i + 1 + (IS_P(s, i + 1, '.') && GLUED(s, i)) +
                           IS_P(s, i + 1, ',')) > 0;
    if (is_abbr)
        return (IS_P(s, i + 1, '.') && GLUED(s, i)) || next_num;
    if (e->month == 5 || e->month == 3) {
        if (next_num)
            return 1;
        int m = i ? MISC(s, i - 1) : 0;
        const lexent *pe = i ? LX(s, i - 1) : NULL;
        if ((k->flags & QT_TF_PARA_START) || (i && IS_P(s, i - 1, '.')))
            return 0;       /* sentence-initial "May" is the verb */
        return m == M_IN || m == M_SINCE || m == M_UNTIL || m == M_BY || m == M_EARLY ||
               m == M_LATE || m == M_MID || m == M_FROM || m == M_OF || m == M_BEFORE ||
               m == M_AFTER || m == M_END || (pe && (pe->k & K_REL));
    }
    return 1;
}

static int match_core(scan *s, size_t i, hit *h);

/* The full stop after an abbreviated month belongs to it ("Aug."); after "April" it ends the
 * sentence. */
static int month_dot(const scan *s, size_t i)
{
    const qt_tok *k = TK(s, i);
    size_t len = k->end - k->start;
    int m = LX(s, i)->month;
    int abbr = len <= 3 || (len == 4 && m == 9);     /* "Sept" */
    return abbr && IS_P(s, i + 1, '.') && GLUED(s, i);
}

/* Month-headed dates: "Aug. 7", "August 7, 1998", "August 1998", "December". */
static int match_month(scan *s, size_t i, hit *h, int rel)
{
    if (!month_at(s, i))
        return 0;
    int m = LX(s, i)->month;
    size_t j = i + 1;
    if (IS_P(s, j, '.') && GLUED(s, i))
        j++;
    int d = day_at(s, j);
    h->first = i;
    if (d && d <= days_in_month(2000, m)) {
        size_t k = j + 1;
        long y = -1;
        if (IS_P(s, k, ',') && (y = year_at(s, k + 1)) > 0)
            k += 2;
        else if ((y = year_at(s, k)) > 0)
            k += 1;
        h->last = k;
        h->type = "DATE";
        if (y > 0)
            return set_value(h, "%04ld-%02d-%02d", y, m, d);
        if (s->gran < 1)
            return 1;
        return set_value(h, "%04ld-%02d-%02d", year_for_day(s, m, d, clause_tense(s, i)), m, d);
    }
    long y = year_at(s, j + IS_P(s, j, ','));
    if (y < 0 && MISC(s, j) == M_OF)
        y = year_at(s, j + 1), j += y > 0;
    h->type = "DATE";
    size_t wend;
    if (y < 0 && (y = word_year(s, j, &wend)) > 0) {   /* "January nineteen ninety-seven" */
        h->last = wend;
        return set_value(h, "%04ld-%02d", y, m);
    }
    if (y > 0) {
        h->last = j + 1 + IS_P(s, j, ',');
        return set_value(h, "%04ld-%02d", y, m);
    }
    h->last = i + 1 + month_dot(s, i);
    /* "June last year", "February this year", "October of next year" */
    size_t r = h->last + (MISC(s, h->last) == M_OF);
    if (!rel && HAS(s, r, K_REL) && HAS(s, r + 1, K_UNIT) && LX(s, r + 1)->unit == U_YEAR &&
        !LX(s, r + 1)->plural && !(TK(s, r + 1)->flags & QT_TF_POSS)) {
        int yr = LX(s, r)->rel;
        if (yr == R_THIS || yr == R_LAST || yr == R_NEXT) {
            if (r == h->last)        /* "October of next year": the year is its own (3) */
                h->last = r + 2;
            if (s->gran < 1)
                return 1;
            return set_value(h, "%04ld-%02d", s->ry + (yr == R_NEXT) - (yr == R_LAST), m);
        }
    }
    if (s->gran < 2)
        return 1;
    return set_value(h, "%04ld-%02d", year_for_month(s, m, future_tense(s, i), rel), m);
}

/* Seasons: "spring", "last fall", "summer 2013" (2013-SU). */
static int match_season(scan *s, size_t i, hit *h, int rel, int context)
{
    const lexent *e = LX(s, i);
    if (!e || !(e->k & K_SEASON))
        return 0;
    static const char *const code[] = {"", "SP", "SU", "FA", "WI"};
    static const int start_month[] = {0, 3, 6, 9, 12};
    int se = e->season;
    long y = year_at(s, i + 1);
    size_t last = i + 1;
    size_t wend;
    if (y < 0 && MISC(s, i + 1) == M_OF && (y = year_at(s, i + 2)) > 0)
        last = i + 3;
    else if (y < 0 && MISC(s, i + 1) == M_OF && (y = word_year(s, i + 2, &wend)) > 0)
        last = wend;
    else if (y > 0)
        last = i + 2;
    /* "fall" and "spring" are verbs and nouns too: a season needs a date word beside it */
    if (y < 0 && !rel && !context)
        return 0;
    h->first = i;
    h->last = last;
    h->type = "DATE";
    h->the_ok = 1;
    if (y > 0)
        return set_value(h, "%04ld-%s", y, code[se]);
    if (s->gran < 2)
        return s->gran < 1 ? 1 : (rel == R_THIS || !rel ? set_value(h, "%04ld-%s", s->ry, code[se]) : 1);
    int fut = future_tense(s, i);
    long yy = s->ry;
    int sm = start_month[se];
    if (rel == R_LAST)
        yy = sm + 2 < s->rm ? s->ry : s->ry - 1;
    else if (rel == R_NEXT)
        yy = sm > s->rm ? s->ry : s->ry + 1;
    else if (rel == R_THIS)
        yy = se == 4 && s->rm <= 2 ? s->ry - 1 : s->ry;
    else if (!fut && sm > s->rm)
        yy = s->ry - 1;
    return set_value(h, "%04ld-%s", yy, code[se]);
}

/* Hyphenated compounds: "five-year", "16-hour", "45-year-old", "third-quarter",
 * "mid-November", "mid-1990s", "decades-long", "twenty-five". Fills the parts. */
typedef struct part {
    long num;              /* a number (digits or a word), else -1 */
    const lexent *e;
} part;

static int split_hyphens(const scan *s, size_t i, part *pt, int max)
{
    const qt_tok *k = TK(s, i);
    const char *p = s->t->p + k->start, *end = s->t->p + k->end;
    if (k->end - k->start > 40 || !memchr(p, '-', (size_t)(end - p)))
        return 0;
    int n = 0;
    while (p < end && n < max) {
        const char *q = memchr(p, '-', (size_t)(end - p));
        if (!q) q = end;
        size_t len = (size_t)(q - p);
        pt[n].num = -1;
        pt[n].e = NULL;
        if (len && len <= 4 && p[0] >= '0' && p[0] <= '9') {
            long v = 0;
            size_t j = 0;
            while (j < len && p[j] >= '0' && p[j] <= '9')
                v = v * 10 + (p[j++] - '0');
            if (j == len)
                pt[n].num = v;
        }
        if (pt[n].num < 0 && len) {
            pt[n].e = lex_find(qt_word_hash(p, len));
            if (pt[n].e && (pt[n].e->k & K_NUM) && !(pt[n].e->k & K_MISC))
                pt[n].num = pt[n].e->num;
        }
        n++;
        p = q + 1;
    }
    return p >= end ? n : 0;
}

static int match_compound(scan *s, size_t i, hit *h)
{
    if (i >= s->n || (TK(s, i)->kind != QT_TOK_WORD && TK(s, i)->kind != QT_TOK_NUM))
        return 0;
    part pt[4];
    int np = split_hyphens(s, i, pt, 4);
    if (np < 2)
        return 0;
    h->first = i;
    h->last = i + 1;
    /* "twenty-five" + unit is left to the number reader */
    if (np == 2 && pt[0].num >= 20 && pt[1].num >= 1 && pt[1].num < 10 && !pt[1].e)
        return 0;
    int k0 = 0;
    long n = pt[0].num;
    if (n < 0 && word_is(s, i, "single-", 8))
        n = 1;                            /* "single-day" */
    if (np >= 3 && pt[0].num >= 20 && pt[0].num % 10 == 0 && pt[1].num > 0 && pt[1].num < 10 &&
        pt[0].e && pt[1].e) {
        n = pt[0].num + pt[1].num;        /* "twenty-five-year-old" */
        k0 = 1;
    }
    const lexent *u = k0 + 1 < np ? pt[k0 + 1].e : NULL;
    if (n > 0 && u && (u->k & K_UNIT) && u->unit != U_HALF) {
        int old = k0 + 2 < np && pt[k0 + 2].e && pt[k0 + 2].e->misc == M_OLD;
        int is_long = k0 + 2 < np && pt[k0 + 2].e && pt[k0 + 2].e->misc == M_LONG;
        if (k0 + 2 < np && !old && !is_long)
            return 0;
        h->type = "DURATION";
        duration_value(h, (double)n, u->unit);
        if (old && u->unit == U_YEAR)
            h->age = (int)n;
        return 1;
    }
    if (pt[0].e && (pt[0].e->k & K_UNIT) && pt[0].e->plural && np == 2 && pt[1].e &&
        pt[1].e->misc == M_LONG) {                  /* "decades-long" */
        h->type = "DURATION";
        duration_value(h, -1, pt[0].e->unit);
        return 1;
    }
    if (np == 2 && pt[0].e && (pt[0].e->k & K_ORD) && pt[1].e && (pt[1].e->k & K_UNIT) &&
        (pt[1].e->unit == U_QUARTER || pt[1].e->unit == U_HALF) && pt[0].e->ord <= 4) {
        int q = pt[0].e->ord;                       /* "third-quarter": an adjective, */
        h->type = "DATE";                           /* "the" stays outside (3) */
        if (pt[1].e->unit == U_HALF && q > 2)
            return 0;
        if (s->gran < 1)
            return 1;
        int cur = s->gran >= 2 ? quarter_of(s->rm) : 4;
        long y = s->ry;
        if (pt[1].e->unit == U_QUARTER) {
            if (q > cur && !future_tense(s, i)) y--;
            h->qv = 1;
            return set_value(h, "%04ld-Q%d", y, q);
        }
        if (q == 2 && cur <= 2 && !future_tense(s, i)) y--;
        return set_value(h, "%04ld-H%d", y, q);
    }
    if (np == 2 && pt[0].e && pt[0].e->misc == M_MID) {   /* "mid-November", "mid-1990s" */
        const lexent *b = pt[1].e;
        h->type = "DATE";
        h->mod = "MID";
        if (b && (b->k & K_MONTH)) {
            if (s->gran < 2) return 1;
            return set_value(h, "%04ld-%02d", year_for_month(s, b->month, future_tense(s, i), 0),
                             b->month);
        }
        if (pt[1].num >= 1000 && pt[1].num < 2200)
            return set_value(h, "%04ld", pt[1].num);
        const qt_tok *k = TK(s, i);
        const char *p = s->t->p + k->start + 4;
        if (k->end - k->start == 9 && p[4] == 's' && p[3] == '0' && p[0] >= '1' && p[0] <= '2')
            return set_value(h, "%.3sX", p);
        if (b && (b->k & K_PART)) {
            h->type = "TIME";
            if (s->gran < 3) return 1;
            put_day(h, s->rz);
            size_t l = strlen(h->value);
            snprintf(h->value + l, sizeof h->value - l, "T%s", part_code[b->part]);
            return 1;
        }
        return 0;
    }
    if (np == 3 && pt[0].num >= 1000 && pt[1].num >= 1 && pt[1].num <= 12 && pt[2].num >= 1 &&
        pt[2].num <= days_in_month(pt[0].num, (int)pt[1].num)) {     /* "1998-08-10" */
        h->type = "DATE";
        return set_value(h, "%04ld-%02ld-%02ld", pt[0].num, pt[1].num, pt[2].num);
    }
    return 0;
}

/* Holidays: "Christmas" (XXXX-12-25 in the year the clause means), "Christmas Eve",
 * "Thanksgiving Day" (the fourth Thursday of November), "last Christmas", "Christmas 2009". */
static int match_holiday(scan *s, size_t i, hit *h, int rel)
{
    const lexent *e = LX(s, i);
    if (!e || !(e->k & K_HOLIDAY) || !CAP(s, i))
        return 0;
    int hol = e->part, m = hol == H_HALLOWEEN ? 10 : hol == H_CHRISTMAS ? 12 : 11;
    int d = hol == H_HALLOWEEN ? 31 : 25;
    size_t j = i + 1;
    if (hol == H_CHRISTMAS && MISC(s, j) == M_EVE && CAP(s, j))
        d = 24, j++;
    else if (hol != H_HALLOWEEN && HAS(s, j, K_UNIT) && LX(s, j)->unit == U_DAY &&
             !LX(s, j)->plural && CAP(s, j))
        j++;                                    /* "Christmas Day", "Thanksgiving Day" */
    if (TK(s, j - 1)->flags & QT_TF_POSS)
        h->trim = TK(s, j - 1)->flags & QT_TF_NONASCII ? 4 : 2;
    long y = h->trim ? -1 : year_at(s, j);
    h->first = i;
    h->last = j + (y > 0);
    h->type = "DATE";
    if (y < 0) {
        if (s->gran < 2)
            return 1;
        long ref = s->gran >= 3 ? s->rz : days_from_civil(s->ry, s->rm, 15);
        y = s->ry;
        long z = days_from_civil(y, m, d);
        if (rel == R_LAST)
            y = z < ref ? s->ry : s->ry - 1;
        else if (rel == R_NEXT)
            y = z > ref ? s->ry : s->ry + 1;
        else if (rel != R_THIS)
            y = year_for_day(s, m, d, clause_tense(s, i));
    }
    if (hol == H_THANKSGIVING) {                /* the fourth Thursday */
        long first = days_from_civil(y, 11, 1);
        int wd = weekday_of(first);
        d = 1 + (4 - wd + 7) % 7 + 21;
    }
    return set_value(h, "%04ld-%02d-%02d", y, m, d);
}

/* A time of day: "10 a.m.", "10:30 p.m. EST", "14:58 UTC", "noon", "7 o'clock". The date is
 * a day word right after ("10 a.m. Friday", "16:00 UTC today") or the reference. */
/* NOLINTNEXTLINE(misc-no-recursion): to match_core on a day word, which cannot be a clock */
static int match_clock(scan *s, size_t i, hit *h)
{
    long hh = -1, mm = 0;
    size_t j = i;
    int pm = -1, colon = 0, zone_z = 0;
    if (MISC(s, i) == M_NOON || MISC(s, i) == M_MIDNIGHT) {
        hh = MISC(s, i) == M_NOON ? 12 : 24;
        j = i + 1;
    } else {
        hh = digits(s, i, NULL);
        if (hh < 0 || hh > 24)
            return 0;
        j = i + 1;
        if (IS_P(s, j, ':') && GLUED(s, i) && GLUED(s, j)) {
            int nd = 0;
            mm = digits(s, j + 1, &nd);
            if (mm < 0 || mm > 59 || nd != 2)
                return 0;
            j += 2;
            colon = 1;
        }
        /* "a.m." is four tokens, "am" one */
        const lexent *e = LX(s, j);
        const qt_tok *k = j < s->n ? TK(s, j) : NULL;
        if (k && k->kind == QT_TOK_WORD && k->end - k->start == 1 &&
            (s->t->p[k->start] == 'a' || s->t->p[k->start] == 'p' ||
             s->t->p[k->start] == 'A' || s->t->p[k->start] == 'P') &&
            IS_P(s, j + 1, '.') && j + 2 < s->n && TK(s, j + 2)->end - TK(s, j + 2)->start == 1 &&
            (s->t->p[TK(s, j + 2)->start] | 32) == 'm') {
            pm = (s->t->p[k->start] | 32) == 'p';
            j += 3;
            /* the closing stop is the sentence's when a new sentence follows */
            if (IS_P(s, j, '.') && !(j + 1 < s->n && (TK(s, j + 1)->flags & QT_TF_CAP) &&
                                     !HAS(s, j + 1, K_TZ | K_WDAY | K_DEIX)))
                j++;
            else if (IS_P(s, j, '.') && j + 1 < s->n && HAS(s, j + 1, K_TZ | K_WDAY | K_DEIX))
                j++;
        } else if (e && (e->misc == M_AM || e->misc == M_PM) && (e->k & K_MISC)) {
            pm = e->misc == M_PM;
            j++;
        } else if (e && e->misc == M_OCLOCK && (e->k & K_MISC)) {
            pm = 2;
            j++;
        } else if (colon && j < s->n && HAS(s, j, K_TZ)) {
            pm = 2;
        } else if (i < s->n && TK(s, i)->kind == QT_TOK_NUM && colon && hh < 24 &&
                   MISC(s, i ? i - 1 : i) == M_AT) {
            pm = 2;
        } else {
            return 0;
        }
        if (pm == 1 && hh < 12) hh += 12;
        if (pm == 0 && hh == 12) hh = 0;
        if (hh > 24 || (pm != 2 && hh > 23 && pm != 1))
            return 0;
    }
    if (j < s->n && HAS(s, j, K_TZ)) {
        zone_z = LX(s, j)->misc == 1;
        j++;
    }
    /* the day it belongs to */
    long z = s->gran >= 3 ? s->rz : 0;
    int have_day = s->gran >= 3;
    size_t k = j + IS_P(s, j, ',');
    hit d = {0};
    if (k < s->n && (HAS(s, k, K_WDAY) || HAS(s, k, K_DEIX) || month_at(s, k)) &&
        match_core(s, k, &d) && d.has_value && strlen(d.value) == 10 &&
        d.value[4] == '-' && d.value[7] == '-') {
        long y = strtol(d.value, NULL, 10);
        int m = (int)strtol(d.value + 5, NULL, 10), dd = (int)strtol(d.value + 8, NULL, 10);
        z = days_from_civil(y, m, dd);
        have_day = 1;
        j = d.last;
    }
    h->first = i;
    h->last = j;
    h->type = "TIME";
    if (!have_day)
        return 1;
    put_day(h, z);
    size_t l = strlen(h->value);
    if (hh == 24 && !colon)
        snprintf(h->value + l, sizeof h->value - l, "T24:00");
    else
        snprintf(h->value + l, sizeof h->value - l, "T%02ld:%02ld%s", hh, mm, zone_z ? "Z" : "");
    return 1;
}

/* After a day ("Friday", "yesterday"): a part of the day makes it a TIME ("Friday night"). */
static void add_part(scan *s, hit *h)
{
    const lexent *e = LX(s, h->last);
    if (!e || !(e->k & K_PART) || (TK(s, h->last)->flags & QT_TF_POSS))
        return;
    h->last++;
    h->type = "TIME";
    if (h->has_value) {
        size_t l = strlen(h->value);
        snprintf(h->value + l, sizeof h->value - l, "T%s", part_code[e->part]);
    }
}

/* rel + unit: "last week", "this year", "next month", "the past two months", "the coming
 * years", "this morning", "last night". */
static int match_rel(scan *s, size_t i, hit *h)
{
    const lexent *r = LX(s, i);
    if (!r || !(r->k & K_REL))
        return 0;
    int rel = r->rel;
    size_t j = i + 1;
    const lexent *e = LX(s, j);
    h->first = i;
    h->the_ok = 1;
    if (!e && j < s->n && TK(s, j)->kind != QT_TOK_NUM)
        return 0;
    if (rel == R_RECENT || rel == R_CURRENT || rel == R_LATEST) {
        if (e && (e->k & K_UNIT) && e->plural && rel == R_RECENT && e->unit >= U_DAY) {
            h->last = j + 1;           /* "recent years": a vague length, PXY, as TimeML */
            h->type = "DURATION";
            duration_value(h, -1, e->unit);
            return 1;
        }
        /* "the latest quarter" / "the latest period": the quarter last reported (the last one
         * named, if it is over, else the last one over); "the current quarter": the one under way */
        if ((e && (e->k & K_UNIT) && e->unit == U_QUARTER && !e->plural) ||
            (MISC(s, j) == M_PERIOD && rel == R_LATEST && s->qq)) {
            h->last = j + 1;
            h->type = "DATE";
            if (rel != R_CURRENT && s->qq &&
                (s->gran < 2 || s->qy * 4 + s->qq - 1 < s->ry * 4 + quarter_of(s->rm) - 1)) {
                h->qv = 1;
                return set_value(h, "%04ld-Q%d", s->qy, s->qq);
            }
            return shift_value(s, h, U_QUARTER, rel == R_CURRENT ? 0 : 1) || 1;
        }
        if (rel == R_CURRENT && e && (e->k & K_UNIT) && !e->plural &&
            e->unit >= U_WEEK && e->unit <= U_YEAR) {
            h->last = j + 1;
            h->type = "DATE";
            return shift_value(s, h, e->unit, 0) || 1;
        }
        return 0;
    }
    if (e && (e->k & K_PART) && (rel == R_THIS || rel == R_LAST)) {
        if (rel == R_LAST && e->part != 4)
            return 0;
        h->last = j + 1;
        h->type = "TIME";
        h->the_ok = 0;
        if (s->gran < 3) return 1;
        put_day(h, s->rz - (rel == R_LAST));
        size_t l = strlen(h->value);
        snprintf(h->value + l, sizeof h->value - l, "T%s", part_code[e->part]);
        return 1;
    }
    if (rel == R_THIS || rel == R_LAST || rel == R_NEXT) {
        if (e && (month_at(s, j) || ((e->k & K_MONTH) && CAP(s, j)))) {  /* month_at needs e */
            int m = e->month;
            h->last = j + 1 + month_dot(s, j);
            h->type = "DATE";
            h->the_ok = 0;
            if (s->gran < 2) return 1;
            return set_value(h, "%04ld-%02d", year_for_month(s, m, 0, rel), m);
        }
        if (e && (e->k & K_WDAY) && CAP(s, j)) {
            h->last = j + 1;
            h->type = "DATE";
            h->the_ok = 0;
            if (TK(s, j)->flags & QT_TF_POSS) h->trim = 2;
            weekday_value(s, h, e->wday, rel, future_tense(s, i));
            if (!h->trim) add_part(s, h);
            return 1;
        }
        if (e && (e->k & K_SEASON))
            return match_season(s, j, h, rel, 1) ? (h->first = i, 1) : 0;
        if (e && (e->k & K_HOLIDAY)) {
            if (!match_holiday(s, j, h, rel))
                return 0;
            h->first = i;
            h->the_ok = 0;
            return 1;
        }
    }
    /* "the past two months", "the next few years", "the first nine months" */
    numph np;
    if ((rel == R_PAST || rel == R_LAST || rel == R_NEXT || rel == R_COMING ||
         rel == R_PREVIOUS || rel == R_FOLLOWING || rel == R_FIRST_N) &&
        number_at(s, j, &np) && !np.article) {
        const lexent *u = LX(s, np.end);
        if (u && (u->k & K_UNIT) && u->unit != U_HALF && (u->plural || np.v == 1)) {
            h->last = np.end + 1;
            h->type = "DURATION";
            duration_value(h, np.v, u->unit);
            return 1;
        }
        return 0;
    }
    if (!e || !(e->k & K_UNIT) || e->unit == U_HALF)
        return 0;
    h->last = j + 1;
    if (TK(s, j)->flags & QT_TF_POSS)
        h->trim = 2;
    int u = e->unit;
    if (e->plural) {          /* "the coming years", "the past months" */
        if (rel == R_THIS)
            return 0;
        h->type = "DURATION";
        duration_value(h, -1, u);
        return 1;
    }
    h->type = "DATE";
    switch (rel) {
    case R_THIS: case R_CURRENT:
        if (u == U_DAY) { h->type = "DATE"; return shift_value(s, h, U_DAY, 0) || 1; }
        return shift_value(s, h, u, 0) || 1;
    case R_LAST: case R_PREVIOUS:
        if (u == U_DECADE || u == U_CENTURY) {
            h->type = "DURATION";
            duration_value(h, 1, u);
            return 1;
        }
        return shift_value(s, h, u, 1) || 1;
    case R_NEXT: case R_FOLLOWING: case R_COMING:
        return shift_value(s, h, u, -1) || 1;
    case R_PAST:
        h->type = "DURATION";
        duration_value(h, 1, u);
        return 1;
    default:
        return 0;
    }
}

/* The quarter named by "the third quarter", "the fourth quarter of 1998", "the first half". */
static int match_ordinal(scan *s, size_t i, hit *h)
{
    const lexent *o = LX(s, i);
    if (!o || !(o->k & K_ORD))
        return 0;
    const lexent *u = LX(s, i + 1);
    h->first = i;
    h->the_ok = 1;
    if (o->ord <= 4 && u && (u->k & K_UNIT) && !u->plural &&
        (u->unit == U_QUARTER || (u->unit == U_HALF && o->ord <= 2))) {
        size_t j = i + 2;
        long y = -1;
        if (MISC(s, j) == M_OF) {
            if ((y = year_at(s, j + 1)) > 0) {
                j += 2;
            } else if (HAS(s, j + 1, K_REL) && HAS(s, j + 2, K_UNIT) &&
                       LX(s, j + 2)->unit == U_YEAR) {
                int rel = LX(s, j + 1)->rel;
                if (s->gran >= 1 && (rel == R_THIS || rel == R_LAST || rel == R_NEXT))
                    y = s->ry + (rel == R_NEXT) - (rel == R_LAST);
                j += 3;
            } else if (MISC(s, j + 1) == M_THE && HAS(s, j + 2, K_UNIT) &&
                       LX(s, j + 2)->unit == U_YEAR && !LX(s, j + 2)->plural) {
                j += 3;
            }
        } else if (i >= 2 && HAS(s, i - 1, K_UNIT) && (TK(s, i - 1)->flags & QT_TF_POSS) &&
                   HAS(s, i - 2, K_REL)) {
            /* "this year's third quarter": the year phrase is part of the expression */
            int rel = LX(s, i - 2)->rel;
            if (s->gran >= 1)
                y = s->ry + (rel == R_NEXT) - (rel == R_LAST);
            h->first = i - 2;
        } else if (i >= 1 && year_at(s, i - 1) > 0 && (TK(s, i - 1)->flags & QT_TF_POSS)) {
            y = year_at(s, i - 1);
            h->first = i - 1;
        }
        h->last = j;
        h->type = "DATE";
        if (y < 0 && s->gran < 1)
            return 1;
        int q = o->ord;
        if (y < 0) {
            int cur = s->gran >= 2 ? quarter_of(s->rm) : 4;
            y = s->ry;
            if (u->unit == U_QUARTER && q > cur && !future_tense(s, i)) y--;
            if (u->unit == U_HALF && q == 2 && cur <= 2 && !future_tense(s, i)) y--;
        }
        if (u->unit == U_HALF)
            return set_value(h, "%04ld-H%d", y, q);
        h->qv = 1;
        return set_value(h, "%04ld-Q%d", y, q);
    }
    /* "the first nine months" */
    numph np;
    if (o->ord == 1 && number_at(s, i + 1, &np) && !np.article && np.v > 0) {
        const lexent *uu = LX(s, np.end);
        if (uu && (uu->k & K_UNIT) && uu->plural) {
            h->last = np.end + 1;
            h->type = "DURATION";
            duration_value(h, np.v, uu->unit);
            return 1;
        }
    }
    /* "the 20th century" is handled by match_century; "first week of" is left alone */
    return 0;
}

/* "the 20th century", "the nineteenth century" -> "19". */
static int match_century(scan *s, size_t i, hit *h)
{
    int n = 0;
    const lexent *o = LX(s, i);
    if (o && (o->k & K_ORD))
        n = o->ord;
    else if (i < s->n && TK(s, i)->kind == QT_TOK_WORD) {
        const qt_tok *k = TK(s, i);
        const char *p = s->t->p + k->start;
        size_t len = k->end - k->start;
        if (len == 4 && p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9')
            n = (p[0] - '0') * 10 + (p[1] - '0');
    }
    const lexent *u = LX(s, i + 1);
    if (!n || !u || !(u->k & K_UNIT) || u->unit != U_CENTURY || u->plural)
        return 0;
    h->first = i;
    h->last = i + 2;
    h->type = "DATE";
    return set_value(h, "%02d", n - 1);
}

/* A count and a unit, with what may follow: "four years" P4Y, "two years ago", "a year
 * earlier", "34 years old" (an age). */
static int match_count(scan *s, size_t i, hit *h)
{
    numph np;
    if (!number_at(s, i, &np))
        return 0;
    size_t j = np.end;
    /* "two more weeks", "six straight days", "an additional year", "eight trading days" */
    if ((MISC(s, j) == M_INNER || (MISC(s, j) == M_MORE && MISC(s, j + 1) != M_THAN)) &&
        HAS(s, j + 1, K_UNIT) && !(TK(s, j)->flags & QT_TF_POSS))
        j++;
    const lexent *u = LX(s, j);
    if (!u || !(u->k & K_UNIT) || u->unit == U_WEEKEND)
        return 0;
    if (u->unit == U_HALF)
        return 0;
    if (np.v == 1 && u->plural && !np.article)
        return 0;
    /* "a three hour meeting", "a four day rally": a count before a singular unit is an
     * adjective when a lowercase noun follows; "3 second" alone is an ordinal */
    int adj = np.v > 1 && !u->plural;
    if (adj &&
        !(u->unit != U_SEC && u->unit != U_QUARTER && j + 1 < s->n &&
          TK(s, j + 1)->kind == QT_TOK_WORD && (TK(s, j + 1)->flags & QT_TF_LOWER) &&
          !LX(s, j + 1) && !(TK(s, j)->flags & QT_TF_POSS) && (double)(long)np.v == np.v))
        return 0;
    if (np.article && i > 0) {
        /* "twice a year", "$5 a day", "per year": a rate, not a duration */
        int m = MISC(s, i - 1);
        const qt_tok *p = TK(s, i - 1);
        if (m == M_TWICE || m == M_ONCE || m == M_TIMES || p->kind == QT_TOK_NUM ||
            (HAS(s, i - 1, K_NUM) && !HAS(s, i - 1, K_MISC)))
            return 0;
        if (u->unit == U_SEC)
            return 0;   /* "a second" is an ordinal more often than a duration */
    }
    if (np.v > 0 && u->unit == U_SEC && !np.article && TK(s, i)->kind != QT_TOK_NUM &&
        np.v < 2)
        return 0;
    h->first = i;
    h->last = j + 1;
    h->the_ok = !adj;     /* "the two day rally": "the" belongs to the noun (3) */
    /* "a year and a half" */
    if (np.v == 1 && MISC(s, j + 1) == M_AND && MISC(s, j + 2) == M_A &&
        MISC(s, j + 3) == M_HALF) {
        np.v = 1.5;
        h->last = j + 4;
    }
    int nx = MISC(s, h->last);
    /* "a week or so ago" */
    if (nx == M_OR && MISC(s, h->last + 1) == M_SO && MISC(s, h->last + 2) == M_AGO) {
        h->last += 2;
        nx = M_AGO;
        h->mod = "APPROX";
    }
    if (nx == M_AGO || (nx == M_EARLIER && np.v > 0)) {
        h->last++;
        h->type = "DATE";
        h->the_ok = 0;
        if (np.v < 0) {
            return set_value(h, "PAST_REF");
        }
        long n = (long)np.v;
        if ((double)n != np.v)
            return 1;
        /* In a sentence about a quarter, "a year ago" is that quarter a year before. */
        if (u->unit == U_YEAR && s->qq && i >= s->q_sent_tok && i - s->q_sent_tok < 80) {
            h->qv = 0;
            return set_value(h, "%04ld-Q%d", s->qy - n, s->qq);
        }
        return shift_value(s, h, u->unit, n) || 1;
    }
    if (nx == M_OLD && u->unit == U_YEAR && np.v > 0) {
        h->last++;
        h->age = (int)np.v;
        h->the_ok = 0;
    }
    h->type = "DURATION";
    duration_value(h, np.v, u->unit);
    return 1;
}

/* Days by name: "yesterday", "today", "tonight", "now", "recently", "soon", "Friday". */
static int match_day(scan *s, size_t i, hit *h)
{
    const lexent *e = LX(s, i);
    if (!e)
        return 0;
    h->first = i;
    h->last = i + 1;
    if (TK(s, i)->flags & QT_TF_POSS)
        h->trim = TK(s, i)->flags & QT_TF_NONASCII ? 4 : 2;
    if (e->k & K_WDAY) {
        const qt_tok *k = TK(s, i);
        if (!CAP(s, i) || k->end - k->start <= 3)
            return 0;
        h->type = "DATE";
        /* "Wednesday's ruling" names what has happened */
        weekday_value(s, h, e->wday, 0, !h->trim && future_tense(s, i));
        /* "Friday, Aug. 7": the date says which Friday */
        if (!h->trim) add_part(s, h);
        return 1;
    }
    if (!(e->k & K_DEIX))
        return 0;
    h->type = "DATE";
    switch (e->deix) {
    case D_TODAY: case D_YESTERDAY: case D_TOMORROW:
        if (s->gran >= 3)
            put_day(h, s->rz + (e->deix == D_TOMORROW) - (e->deix == D_YESTERDAY));
        if (!h->trim) add_part(s, h);
        return 1;
    case D_TONIGHT:
        h->type = "TIME";
        if (s->gran >= 3) {
            put_day(h, s->rz);
            strcat(h->value, "TNI");
        }
        return 1;
    case D_PRESENT: return set_value(h, "PRESENT_REF");
    case D_PAST: return set_value(h, "PAST_REF");
    case D_FUTURE: return set_value(h, "FUTURE_REF");
    default: return 0;
    }
}

/* Every core pattern at token i, longest first. */
/* Could a rule of match_core's number branch start on the number token i? Most numbers of a
 * text ("1,000", "$350", "48 percent") start none, and this answers for them before the rules
 * are tried one by one. Each rule needs at least what is tested here:
 * - a '-' inside (match_compound) or a '.' (match_count reads "1.5"): the rules decide;
 * - any other byte not a digit ("1,000"): none (every other rule reads digits() >= 0; a number
 *   token has no letter, so the word rules (century, decade, "5th", "1990's") never apply);
 * - 1..9 digits of value v: a clock, m/d/y or bare day needs v <= 24 or a month after it
 *   ("7 August"); a year or "the 1988 quarter" four digits from 1000 to 2199; a count a unit
 *   within the next four tokens (its number ends at i + 1 or i + 3, one word may come between). */
#define NUM_HYPHEN 2   /* num_may_start: a '-' may be inside (else match_compound cannot match) */
static int num_may_start(const scan *s, size_t i)
{
    const qt_tok *k = TK(s, i);
    const char *p = s->t->p + k->start;
    size_t len = k->end - k->start;
    if (len == 0 || len > 9)
        return 1 | NUM_HYPHEN;
    long v = 0;
    for (size_t j = 0; j < len; j++) {
        unsigned d = (unsigned)(unsigned char)p[j] - '0';
        if (d > 9) {
            int r = 0;
            for (; j < len; j++)
                if (p[j] == '-')
                    return 1 | NUM_HYPHEN;
                else if (p[j] == '.')
                    r = 1;
            return r;
        }
        v = v * 10 + (long)d;
    }
    if (v <= 24 || (len == 4 && v >= 1000 && v <= 2199))
        return 1;
    return HAS(s, i + 1, K_UNIT | K_MONTH) || HAS(s, i + 2, K_UNIT) || HAS(s, i + 3, K_UNIT) ||
           HAS(s, i + 4, K_UNIT);
}

/* NOLINTNEXTLINE(misc-no-recursion): through match_clock (one level) and "fiscal" (once) */
static int match_core(scan *s, size_t i, hit *h)
{
    memset(h, 0, sizeof *h);
    if (i >= s->n)   /* a rule looked past the last token ("... almost fiscal") */
        return 0;
    const lexent *e = LX(s, i);
    const qt_tok *k = TK(s, i);
    /* a number token: which rules could start on it (see num_may_start); match_century reads
     * words only, match_compound needs a '-', and neither writes to h when it fails so */
    int may = NUM_HYPHEN;
    if (k->kind == QT_TOK_NUM && !(may = num_may_start(s, i)))
        return 0;
    if (k->kind == QT_TOK_NUM || (k->kind == QT_TOK_WORD && k->start < s->t->n &&
                                  s->t->p[k->start] >= '0' && s->t->p[k->start] <= '9')) {
        if (match_clock(s, i, h)) return 1;
        memset(h, 0, sizeof *h);
        if (may & NUM_HYPHEN) {
            if (match_compound(s, i, h)) return 1;
            memset(h, 0, sizeof *h);
        }
        if (k->kind != QT_TOK_NUM) {
            if (match_century(s, i, h)) return 1;
            memset(h, 0, sizeof *h);
        }
        if (match_count(s, i, h)) return 1;
        memset(h, 0, sizeof *h);
        int d = day_at(s, i);
        if (d && month_at(s, i + 1)) {        /* "7 August 1998" */
            int m = LX(s, i + 1)->month;
            size_t j = i + 2 + (IS_P(s, i + 2, '.') && GLUED(s, i + 1));
            long y = year_at(s, j + IS_P(s, j, ','));
            h->first = i;
            h->type = "DATE";
            if (y > 0) {
                h->last = j + 1 + IS_P(s, j, ',');
                return set_value(h, "%04ld-%02d-%02d", y, m, d);
            }
            h->last = j;
            if (s->gran >= 1)
                set_value(h, "%04ld-%02d-%02d", year_for_day(s, m, d, clause_tense(s, i)), m, d);
            return 1;
        }
        /* "the 1988 third quarter", "the 1988 quarter", "the 1989 period" */
        int ynd = 0;
        long qy = digits(s, i, &ynd);
        if (ynd == 4 && qy >= 1800 && qy < 2200 && i > 0 && MISC(s, i - 1) == M_THE) {
            int q = 0;
            size_t l = 0;
            if (HAS(s, i + 1, K_ORD) && HAS(s, i + 2, K_UNIT) && LX(s, i + 2)->unit == U_QUARTER &&
                !LX(s, i + 2)->plural && LX(s, i + 1)->ord <= 4)
                q = LX(s, i + 1)->ord, l = i + 3;
            else if (s->qq && (MISC(s, i + 1) == M_PERIOD ||
                               (HAS(s, i + 1, K_UNIT) && LX(s, i + 2 - 1)->unit == U_QUARTER &&
                                !LX(s, i + 1)->plural)))
                q = s->qq, l = i + 2;
            if (q) {
                h->first = i;
                h->last = l;
                h->type = "DATE";
                h->the_ok = 1;     /* a comparison: the quarter talked about stays */
                return set_value(h, "%04ld-Q%d", qy, q);
            }
        }
        long y = year_at(s, i);
        if (y > 0) {
            h->first = i;
            h->last = i + 1;
            if (TK(s, i)->kind == QT_TOK_WORD) h->trim = 2;
            h->type = "DATE";
            return set_value(h, "%04ld", y);
        }
        long dec = decade_at(s, i);
        if (dec >= 100) {
            h->first = i;
            h->last = i + 1;
            h->type = "DATE";
            return set_value(h, "%03ldX", dec);
        }
        /* "8/10/98", "10/23/1998": month/day/year as US news writes it */
        long m = digits(s, i, NULL);
        if (m >= 1 && m <= 12 && IS_P(s, i + 1, '/') && GLUED(s, i) && GLUED(s, i + 1) &&
            IS_P(s, i + 3, '/') && GLUED(s, i + 2) && GLUED(s, i + 3)) {
            long d2 = digits(s, i + 2, NULL);
            int nd = 0;
            long yy = digits(s, i + 4, &nd);
            if (d2 >= 1 && d2 <= days_in_month(2000, (int)m) && (nd == 2 || nd == 4)) {
                if (nd == 2) yy += yy < 30 ? 2000 : 1900;
                h->first = i;
                h->last = i + 5;
                h->type = "DATE";
                return set_value(h, "%04ld-%02ld-%02ld", yy, m, d2);
            }
        }
        return 0;
    }
    if (!e) {
        if (k->kind == QT_TOK_WORD && memchr(s->t->p + k->start, '-', k->end - k->start))
            return match_compound(s, i, h);
        return 0;
    }
    /* h is cleared again only after a rule ran (and may have written to it) */
    if (e->k & K_MONTH) {
        if (match_month(s, i, h, 0)) return 1;
        memset(h, 0, sizeof *h);
    }
    if (e->k & K_HOLIDAY) {
        if (match_holiday(s, i, h, 0)) return 1;
        memset(h, 0, sizeof *h);
    }
    if (e->k & (K_WDAY | K_DEIX)) {
        if (match_day(s, i, h)) return 1;
        memset(h, 0, sizeof *h);
    }
    if (e->k & K_REL) {
        if (match_rel(s, i, h)) return 1;
        memset(h, 0, sizeof *h);
    }
    if (e->k & K_ORD) {
        if (match_century(s, i, h)) return 1;
        memset(h, 0, sizeof *h);
        if (match_ordinal(s, i, h)) return 1;
        memset(h, 0, sizeof *h);
    }
    if ((e->k & (K_NUM | K_FUZZY)) || e->misc == M_A || e->misc == M_SOME) {
        if (match_count(s, i, h)) return 1;
        memset(h, 0, sizeof *h);
        size_t wend;
        long wy = (e->k & K_NUM) ? word_year(s, i, &wend) : -1;
        if (wy > 0) {
            h->first = i;
            h->last = wend;
            h->type = "DATE";
            return set_value(h, "%04ld", wy);
        }
    }
    if (e->k & K_SEASON) {
        int m = i ? MISC(s, i - 1) : 0;
        int ctx = m == M_THE || m == M_IN || m == M_DURING || m == M_SINCE || m == M_BY ||
                  m == M_UNTIL || m == M_EARLY || m == M_LATE || m == M_MID;
        /* "the fall of Rome" is an event, not a season */
        if (m == M_THE && MISC(s, i + 1) == M_OF && year_at(s, i + 2) < 0)
            ctx = 0;
        if (e->season == 3 && !(m == M_EARLY || m == M_LATE || m == M_MID || m == M_THE))
            ctx = 0;
        if (match_season(s, i, h, 0, ctx)) return 1;
        memset(h, 0, sizeof *h);
    }
    if (e->k & K_SETADV) {
        h->first = i;
        h->last = i + 1;
        /* "annual" is a length ("annual report"): TimeML calls it a DURATION */
        h->type = e->plural ? "DURATION" : "SET";
        duration_value(h, 1, e->setu);
        return 1;
    }
    if ((e->k & K_UNIT) && e->plural && e->unit != U_WEEKEND && e->unit != U_QUARTER && i) {
        /* "for years", "within minutes": a bare plural after a preposition is a vague span */
        int m = MISC(s, i - 1);
        if (m == M_FOR || m == M_IN || m == M_OVER || m == M_AFTER || m == M_DURING ||
            m == M_BEFORE) {
            h->first = i;
            h->last = i + 1;
            h->type = "DURATION";
            duration_value(h, -1, e->unit);
            return 1;
        }
    }
    if (e->k & K_MISC) {
        switch (e->misc) {
        case M_NOON: case M_MIDNIGHT:
            return match_clock(s, i, h);
        case M_EVERY: {       /* "every Monday", "each year", "every other week" */
            size_t j = i + 1;
            int other = MISC(s, j) == M_OTHER;
            j += other;
            const lexent *u = LX(s, j);
            if (!u) return 0;
            h->first = i;
            h->last = j + 1;
            h->type = "SET";
            if ((u->k & K_WDAY) && CAP(s, j))
                return set_value(h, "XXXX-WXX-%d", u->wday);
            if ((u->k & K_UNIT) && !u->plural && u->unit != U_HALF) {
                duration_value(h, other ? 2 : 1, u->unit);
                return 1;
            }
            if ((u->k & K_PART) && !u->plural)
                return set_value(h, "XXXX-XX-XXT%s", part_code[u->part]);
            return 0;
        }
        case M_YEARAGO:
            /* "the year-ago quarter", "year-earlier": the quarter talked about, a year before */
            h->first = i;
            h->last = i + 1;
            h->type = "DATE";
            h->the_ok = 1;
            if ((HAS(s, i + 1, K_UNIT) && LX(s, i + 1)->unit == U_QUARTER) ||
                MISC(s, i + 1) == M_PERIOD)
                h->last = i + 2;
            else if (HAS(s, i + 1, K_ORD) && HAS(s, i + 2, K_UNIT) &&
                     LX(s, i + 2)->unit == U_QUARTER && LX(s, i + 1)->ord <= 4) {
                /* "the year-ago third quarter" */
                h->last = i + 3;
                if (s->gran < 1) return 1;
                return set_value(h, "%04ld-Q%d", (s->qq ? s->qy : s->ry) - 1, LX(s, i + 1)->ord);
            } else if (HAS(s, i + 1, K_UNIT) || !s->qq)
                return 0;
            if (s->qq)
                return set_value(h, "%04ld-Q%d", s->qy - 1, s->qq);
            return s->gran >= 2 ? set_value(h, "%04ld-Q%d", s->ry - 1, quarter_of(s->rm)) : 1;
        case M_FISCAL: {      /* "fiscal 1989", "fiscal second-quarter" */
            hit in;
            /* the one recursion in match_core: a "fiscal" right after would recurse again,
             * one stack frame per word of "fiscal fiscal ..." */
            if (MISC(s, i + 1) == M_FISCAL || !match_core(s, i + 1, &in) || !in.has_value ||
                in.age)
                return 0;
            *h = in;
            h->first = i;
            h->the_ok = 1;
            return 1;
        }
        case M_THE: {
            const lexent *n = LX(s, i + 1);
            if (!n) return 0;
            /* "the future", "the near future", "the past", "the near term" */
            size_t j = i + 1 + (MISC(s, i + 1) == M_NEAR);
            const lexent *w = LX(s, j);
            if (w && (w->k & K_DEIX) && w->deix == D_FUTURE_NOUN) {
                h->first = i; h->last = j + 1; h->type = "DATE";
                return set_value(h, "FUTURE_REF");
            }
            if (w && MISC(s, j) == M_TERM && j == i + 2) {
                h->first = i; h->last = j + 1; h->type = "DATE";
                return set_value(h, "FUTURE_REF");
            }
            if (n->k & K_REL && n->rel == R_PAST && j == i + 1 &&
                !(HAS(s, i + 2, K_UNIT | K_NUM | K_FUZZY) || number_at(s, i + 2, &(numph){0}))) {
                h->first = i; h->last = i + 2; h->type = "DATE";
                return set_value(h, "PAST_REF");
            }
            /* "the same day", "to end the day", "for the day", "the start of the day": the
             * day last named, else the reference (MEANTIME's market reports annotate these) */
            {
                size_t d = i + 1 + (MISC(s, i + 1) == M_SAME);
                const lexent *du = LX(s, d);
                int mid = i > 0 ? MISC(s, i - 1) : 0;
                if (du && (du->k & K_UNIT) && du->unit == U_DAY && !du->plural &&
                    !(TK(s, d)->flags & QT_TF_POSS) &&
                    (d == i + 2 || mid == M_FOR || mid == M_END || mid == M_ENDED ||
                     (mid == M_OF && i > 1 && (MISC(s, i - 2) == M_END ||
                                               MISC(s, i - 2) == M_BEGINNING)) ||
                     (i > 0 && (word_is(s, i - 1, "finish", 3) ||
                                word_is(s, i - 1, "clos", 3))))) {
                    h->first = i;
                    h->last = d + 1;
                    h->type = "DATE";
                    if (s->have_dz)
                        put_day(h, s->dz);
                    else if (s->gran >= 3)
                        put_day(h, s->rz);
                    return 1;
                }
            }
            /* "the year 2000", "the year two thousand" */
            if ((n->k & K_UNIT) && n->unit == U_YEAR && !n->plural) {
                size_t wend = i + 3;
                long y = year_at(s, i + 2);
                if (y < 0)
                    y = word_year(s, i + 2, &wend);
                if (y > 0) {
                    h->first = i;
                    h->last = wend;
                    h->type = "DATE";
                    return set_value(h, "%04ld", y);
                }
            }
            /* "the year ended March 31": the fiscal year as a length */
            if ((n->k & K_UNIT) && !n->plural && n->unit == U_YEAR && MISC(s, i + 2) == M_ENDED) {
                h->first = i;
                h->last = i + 2;
                h->type = "DURATION";
                return set_value(h, "P1Y");
            }
            /* "the year", "the weekend", "the quarter" */
            if ((n->k & K_UNIT) && !n->plural && !(HAS(s, i + 2, K_UNIT))) {
                h->first = i;
                h->last = i + 2;
                h->type = "DATE";
                if (n->unit == U_WEEKEND) {
                    if (s->gran < 3) return 1;
                    long z = s->rz;
                    int wd = weekday_of(z);
                    /* the weekend just past, or the coming one in the future tense */
                    if (future_tense(s, i)) z += wd <= 5 ? 6 - wd : 0;
                    else if (wd <= 5) z -= wd;
                    long wy;
                    int wn;
                    iso_week(z, &wy, &wn);
                    return set_value(h, "%04ld-W%02d-WE", wy, wn);
                }
                if (n->unit == U_QUARTER && MISC(s, i + 2) != M_OF) {
                    if (s->qq) {
                        h->qv = 1;
                        return set_value(h, "%04ld-Q%d", s->qy, s->qq);
                    }
                    return shift_value(s, h, U_QUARTER, 1) || 1;
                }
                if (n->unit == U_YEAR && MISC(s, i + 2) != M_OF && MISC(s, i + 2) != M_AGO &&
                    MISC(s, i + 2) != M_EARLIER && !(TK(s, i + 1)->flags & QT_TF_POSS))
                    return shift_value(s, h, U_YEAR, 0) || 1;
            }
            return 0;
        }
        default:
            break;
        }
    }
    if (k->kind == QT_TOK_WORD && memchr(s->t->p + k->start, '-', k->end - k->start))
        return match_compound(s, i, h);
    return 0;
}

/* Modifiers before a core, with their TIMEX3 mod and whether TempEval-3 spans include them (3). */
static int match_at(scan *s, size_t i, hit *h)
{
    size_t p = i, span = i;
    const char *mod = NULL, *edge = NULL;
    int m = MISC(s, p);
    if (m == M_ABOUT || (m == M_SOME && (HAS(s, p + 1, K_NUM) || digits(s, p + 1, NULL) >= 0))) {
        mod = "APPROX";
        span = ++p;
    } else if (m == M_APPROX || m == M_NEARLY) {
        mod = "APPROX";
        p++;
    } else if ((m == M_MORE || m == M_LESS) && MISC(s, p + 1) == M_THAN) {
        mod = m == M_MORE ? "MORE_THAN" : "LESS_THAN";
        p += 2;
    } else if (m == M_AT && MISC(s, p + 1) == M_LEAST) {
        mod = "EQUAL_OR_MORE";
        p += 2;
    } else if (m == M_UP && MISC(s, p + 1) == M_TO) {
        mod = "EQUAL_OR_LESS";
        p += 2;
    } else if ((m == M_OVER || m == M_UNDER) && p + 1 < s->n) {
        numph np;
        if (!number_at(s, p + 1, &np))
            return 0;
        mod = m == M_OVER ? "MORE_THAN" : "LESS_THAN";
        p++;
    }
    size_t the = SIZE_MAX;
    if (MISC(s, p) == M_THE && p + 1 < s->n) {
        /* "the end of 1998", "the beginning of October" */
        int e2 = MISC(s, p + 1);
        if ((e2 == M_END || e2 == M_BEGINNING || e2 == M_MIDDLE) && MISC(s, p + 2) == M_OF &&
            p + 3 < s->n) {
            hit in;
            if (match_core(s, p + 3, &in) && strcmp(in.type, "DATE") == 0 && !in.age) {
                *h = in;
                h->first = p;
                if (!h->has_value || h->value[0] != 'P')
                    h->mod = e2 == M_END ? "END" : e2 == M_MIDDLE ? "MID" : "START";
                if (MISC(s, p + 3) == M_THE && !in.the_ok)
                    h->first = p;
                if (span < p) h->first = span;
                return 1;
            }
            return 0;
        }
        the = p++;
    }
    m = MISC(s, p);
    if ((m == M_EARLY || m == M_LATE || m == M_MID || m == M_EARLIER || m == M_LATER) &&
        p + 1 < s->n && !(TK(s, p)->flags & QT_TF_POSS)) {
        hit in;
        if (match_core(s, p + 1, &in) && in.type[0] != 'S' && !in.age &&
            (in.type[0] == 'D' && in.type[1] == 'A')) {
            if ((m == M_EARLIER || m == M_LATER) &&
                !(HAS(s, p + 1, K_REL) && LX(s, p + 1)->rel == R_THIS))
                return 0;     /* "earlier this year" only: "later Friday" is no mod */
            edge = m == M_EARLY || m == M_EARLIER ? "START" : m == M_LATE || m == M_LATER
                                                               ? "END" : "MID";
            *h = in;
            h->first = p;
            h->mod = edge;
            if (the != SIZE_MAX)
                h->first = the;   /* "the early summer" */
            if (span < h->first && (mod || span < p)) h->first = span;
            if (mod && !h->mod) h->mod = mod;
            return the == SIZE_MAX || in.the_ok ? 1 : (h->first = p, 1);
        }
        if (m == M_EARLY || m == M_LATE || m == M_MID || m == M_EARLIER || m == M_LATER) {
            if (the == SIZE_MAX && span == p && !mod)
                return 0;
        }
    }
    if (!match_core(s, p, h)) {
        /* "the quarter", "the future", "the weekend": "the" is part of the pattern */
        if (the == SIZE_MAX || !match_core(s, the, h))
            return 0;
    }
    if (the != SIZE_MAX && h->the_ok && h->first == p)
        h->first = the;
    if (mod) {
        if (!h->mod)
            h->mod = mod;
        if (span < p && h->first == p)
            h->first = span;
        else if (span < p && the != SIZE_MAX && h->first == the)
            h->first = span;
    }
    return 1;
}

/* ---- ages ------------------------------------------------------------------------------------ */

/* "Odom, 34,": a number from 1 to 119 between commas right after a capitalised name. Returns
 * the first token of the name or SIZE_MAX. */
static size_t apposition_name(const scan *s, size_t i, size_t *name_end)
{
    if (i < 2 || !IS_P(s, i - 1, ','))
        return SIZE_MAX;
    size_t e = i - 1, b = e;
    while (b > 0 && b + 5 > e && CAP(s, b - 1) && TK(s, b - 1)->kind == QT_TOK_WORD &&
           !HAS(s, b - 1, K_MONTH | K_WDAY) && !(TK(s, b - 1)->flags & QT_TF_ALLCAPS))
        b--;
    if (b == e)
        return SIZE_MAX;
    /* a sentence's first word is capitalised anyway: "The" is not a name */
    while (b < e && MISC(s, b) == M_THE)
        b++;
    if (b == e)
        return SIZE_MAX;
    *name_end = e;
    return b;
}

/* "the 34-year-old Lamar Odom", "34-year-old Odom said": a capitalised name right after an
 * age. One word alone needs a verb or a stop after it ("the 45-year-old American athlete"
 * is no name). Returns the name's first token or SIZE_MAX. */
static size_t name_after(const scan *s, size_t i, size_t *name_end)
{
    size_t e = i;
    while (e < s->n && e < i + 4 && CAP(s, e) && TK(s, e)->kind == QT_TOK_WORD &&
           !HAS(s, e, K_MONTH | K_WDAY) && !(TK(s, e)->flags & QT_TF_ALLCAPS) &&
           !(TK(s, e)->flags & QT_TF_PARA_START) && !(e > i && (TK(s, e - 1)->flags & QT_TF_POSS)))
        e++;
    if (e == i)
        return SIZE_MAX;
    if (e == i + 1) {
        const lexent *v = CUE(s, e);
        int ok = e >= s->n || TK(s, e)->kind == QT_TOK_PUNCT ||
                 (v && (v->k & (K_PASTV | K_FUTURE))) || word_is(s, e, "who", 0) ||
                 word_is(s, e, "has", 0) || word_is(s, e, "says", 0);
        if (!ok)
            return SIZE_MAX;
    }
    *name_end = e;
    return i;
}

static int bare_age(const scan *s, size_t i, hit *h)
{
    int nd = 0;
    long v = digits(s, i, &nd);
    if (v >= 1 && v <= 119 && i > 0 && MISC(s, i - 1) == M_AGED)
        goto age;
    if (v < 1 || v > 119 || !(IS_P(s, i + 1, ',') || IS_P(s, i + 1, ')') || IS_P(s, i + 1, ';') ||
                              (IS_P(s, i + 1, '.') && i + 2 < s->n && CAP(s, i + 2))))
        return 0;
    size_t ne;
    if (apposition_name(s, i, &ne) == SIZE_MAX)
        return 0;
age:
    memset(h, 0, sizeof *h);
    h->first = i;
    h->last = i + 1;
    h->type = "DURATION";
    h->age = (int)v;
    duration_value(h, (double)v, U_YEAR);
    return 1;
}

/* ---- driver ---------------------------------------------------------------------------------- */

qt_timex_ctx *qt_timex_new(void)
{
    qt_timex_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->out = (qt_vec)QT_VEC_INIT(qt_time);
    c->lx = (qt_vec)QT_VEC_INIT(const lexent *);
    c->cand = (qt_vec)QT_VEC_INIT(uint32_t);
    c->near = (qt_vec)QT_VEC_INIT(uint8_t);
    pthread_once(&lex_once, build_lex_table);
    return c;
}

void qt_timex_free(qt_timex_ctx *c)
{
    if (!c)
        return;
    qt_vec_release(&c->out);
    qt_vec_release(&c->lx);
    qt_vec_release(&c->cand);
    qt_vec_release(&c->near);
    qt_arena_free(&c->arena);
    free(c);
}

/* Does a word token start with an ASCII digit ("1990s", "10-year")? A letter first is in the
 * flags, so only the rest read the text. */
static inline int digit_first(const char *p, const qt_tok *k)
{
    return !(k->flags & (QT_TF_CAP | QT_TF_LOWER)) && p[k->start] >= '0' && p[k->start] <= '9';
}

/* Could match_core succeed at token j, reading it first? Only on a word the table knows, a
 * number, or a word with a digit first or a hyphen in it; any other token fails at once. Every
 * rule from a K_PRE word ("the", "a", "about", "over", "early"...) needs that of the token right
 * after it (match_at goes on at it, or the word's own rule reads its table entry), so a K_PRE
 * word before anything else starts nothing. */
static inline int core_word(const char *p, const qt_tok *toks, const lexent *const *lx, size_t j,
                            size_t nt)
{
    if (j >= nt)
        return 0;
    const qt_tok *k = &toks[j];
    if (lx[j] || k->kind == QT_TOK_NUM)
        return 1;
    return k->kind == QT_TOK_WORD &&
           ((p[k->start] >= '0' && p[k->start] <= '9') ||
            memchr(p + k->start, '-', k->end - k->start) != NULL);
}

/* Room for n items in v (contents not kept). */
static int vec_room(qt_vec *v, size_t n)
{
    if (v->cap >= n)
        return 1;
    size_t cap = v->cap ? v->cap : 1024;
    while (cap < n)
        cap *= 2;
    void *p = realloc(v->items, cap * v->size);
    if (!p)
        return 0;
    v->items = p;
    v->cap = cap;
    return 1;
}

/* "1998-08-10", "2015-10-13T09:00Z", "19980810", "2015-10", "2015": how much of a date. */
static void parse_ref(scan *s, const char *ref)
{
    s->gran = 0;
    if (!ref)
        return;
    int v[3] = {0, 0, 0}, nd[3] = {0, 0, 0}, k = 0;
    const char *p = ref;
    while (*p == ' ')
        p++;
    for (; k < 3; k++) {
        while (*p >= '0' && *p <= '9' && nd[k] < 8)
            v[k] = v[k] * 10 + (*p++ - '0'), nd[k]++;
        if (*p != '-')
            break;
        p++;
    }
    if (nd[0] == 8) {      /* basic format */
        v[2] = v[0] % 100;
        v[1] = v[0] / 100 % 100;
        v[0] /= 10000;
        nd[0] = 4, nd[1] = nd[2] = 2;
    }
    if (nd[0] != 4)
        return;
    s->ry = v[0];
    s->gran = 1;
    if (nd[1] == 2 && v[1] >= 1 && v[1] <= 12) {
        s->rm = v[1];
        s->gran = 2;
        if (nd[2] == 2 && v[2] >= 1 && v[2] <= days_in_month(s->ry, s->rm)) {
            s->rd = v[2];
            s->gran = 3;
            s->rz = days_from_civil(s->ry, s->rm, s->rd);
        }
    }
}

/* strtol(p, NULL, 10) without its cost for what values hold: digits up to anything else, and a
 * letter ("XXXX") first is 0; a space or sign first, or 19 digits, asks strtol. */
static long lead_long(const char *p)
{
    if (*p < '0' || *p > '9')
        return (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ? 0 : strtol(p, NULL, 10);
    long v = 0;
    for (int i = 0; p[i] >= '0' && p[i] <= '9'; i++) {
        if (i == 18)
            return strtol(p, NULL, 10);
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

static qt_status emit(scan *s, const hit *h)
{
    qt_timex_ctx *c = s->c;
    /* A caption, credit, share line or boilerplate (QT_TF_FURNITURE, set when the caller has
     * classified the blocks) is no part of the story: a caption's "Vale, 34, in 2009" or a
     * footer's "(c) 2024" would date the article wrongly. Its expressions are read past. */
    if (TK(s, h->first)->flags & QT_TF_FURNITURE) {
        s->done = h->last;
        return QT_OK;
    }
    /* "this year's third quarter" takes back the "this year" emitted before it (1) */
    while (c->out.n && h->first < s->done &&
           QT_VEC_AT(&c->out, qt_time, c->out.n - 1).start >= TK(s, h->first)->start)
        c->out.n--;
    s->done = h->last;
    qt_time *o = qt_vec_push(&c->out);
    if (!o)
        return QT_ENOMEM;
    const qt_tok *a = TK(s, h->first), *b = TK(s, h->last - 1);
    o->start = a->start;
    o->end = b->end - (size_t)h->trim;
    if (o->end <= o->start)
        o->end = b->end;
    o->type = h->type;
    o->mod = h->mod;
    if (h->has_value && !(o->value = qt_arena_strndup(&c->arena, h->value, strlen(h->value))))
        return QT_ENOMEM;
    if (h->has_value && strlen(h->value) >= 10 && h->value[4] == '-' && h->value[7] == '-' &&
        h->value[8] >= '0' && h->value[8] <= '3') {
        long y = lead_long(h->value);
        int m = (int)lead_long(h->value + 5), d = (int)lead_long(h->value + 8);
        if (m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m)) {
            s->dz = days_from_civil(y, m, d);
            s->have_dz = 1;
        }
    }
    if (h->age) {
        if (s->gran >= 1) {
            char y[24];
            snprintf(y, sizeof y, "%04ld", s->ry - h->age - 1);
            o->birth_from = qt_arena_strndup(&c->arena, y, strlen(y));
            snprintf(y, sizeof y, "%04ld", s->ry - h->age);
            o->birth_to = qt_arena_strndup(&c->arena, y, strlen(y));
            if (!o->birth_from || !o->birth_to)
                return QT_ENOMEM;
        }
        size_t ne, i = h->first;
        /* "Lamar Odom, the 45-year-old," / "Odom, 34," / "Odom, aged 34," */
        while (i > 0 && (MISC(s, i - 1) == M_THE || MISC(s, i - 1) == M_A ||
                         MISC(s, i - 1) == M_AGED) && i + 3 > h->first)
            i--;
        size_t nb = apposition_name(s, i, &ne);
        if (nb == SIZE_MAX)
            nb = name_after(s, h->last, &ne);
        if (nb != SIZE_MAX) {
            size_t st = TK(s, nb)->start, en = TK(s, ne - 1)->end;
            if (TK(s, ne - 1)->flags & QT_TF_POSS)
                return QT_OK;
            if (!(o->age_of = qt_arena_strndup(&c->arena, s->t->p + st, en - st)))
                return QT_ENOMEM;
        }
    }
    return QT_OK;
}

qt_status qt_timex_scan(qt_timex_ctx *c, const struct qt_text *t, const char *ref,
                        const qt_time **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    c->out.n = 0;
    qt_arena_reset(&c->arena);
    size_t nt = t->toks.n;
    if (!vec_room(&c->lx, nt) || !vec_room(&c->cand, nt) || !vec_room(&c->near, nt + 4))
        return QT_ENOMEM;
    const lexent **lx = c->lx.items;
    uint32_t *cand = c->cand.items;
    uint8_t *near = c->near.items;
    size_t nc = 0;
    const char *tp = t->p;
    const qt_tok *toks = t->toks.items;
    /* The first hyphen at or after hy_from (t->n: none): "five-year" is a word with a hyphen
     * inside, [start + 1, end - 1). Hyphens are rare, so one memchr per hyphen of the text
     * answers for every word, instead of reading each word's bytes. */
    size_t hy_from = 0, hy_at = 0;
    for (size_t i = 0; i < nt; i++) {         /* (1): one probe per word */
        const qt_tok *k = &toks[i];
        const lexent *e = NULL;
        int start = k->kind == QT_TOK_NUM, nr = start;
        if (k->kind == QT_TOK_WORD) {
            uint64_t h = k->hash;
            if (k->flags & QT_TF_POSS) {      /* "Friday's", "last year's" */
                size_t len = k->end - k->start - ((k->flags & QT_TF_NONASCII) ? 4 : 2);
                h = qt_word_hash(tp + k->start, len);
            }
            e = lex_find(h);
            if (e) {
                nr = 1;
                start = (e->k & K_START) != 0 || digit_first(tp, k);
            } else if (digit_first(tp, k)) {
                start = nr = 1;
            } else {
                /* hy_at > k->start here, so a word of two bytes or less never counts */
                if (hy_from <= k->start) {
                    const char *q = memchr(tp + k->start + 1, '-', t->n - k->start - 1);
                    hy_at = q ? (size_t)(q - tp) : t->n;
                    hy_from = hy_at;          /* the answer for any start below hy_at */
                }
                start = hy_at + 1 < k->end;
            }
        }
        lx[i] = e;
        near[i] = (uint8_t)nr;
        cand[nc] = (uint32_t)i;
        nc += (size_t)start;
    }
    memset(near + nt, 0, 4);
    scan s = {.c = c, .t = t, .lx = lx, .n = nt, .dg_i = SIZE_MAX};
    parse_ref(&s, ref);
    qt_status rc = QT_OK;
    size_t next = 0;                          /* tokens before this are passed */
    for (size_t ci = 0; ci < nc && rc == QT_OK; ci++) {
        size_t i = cand[ci];
        if (i < next)
            continue;
        const lexent *e = lx[i];
        if (e && (e->k & K_PRE) &&
            (!(near[i + 1] | near[i + 2] | near[i + 3]) || !core_word(tp, toks, lx, i + 1, nt)))
            continue;
        hit h;
        if (match_at(&s, i, &h) || bare_age(&s, i, &h)) {
            if (h.last <= h.first || h.last > nt)
                h.last = h.first + 1;
            if (h.qv && h.has_value) {
                s.qy = lead_long(h.value);
                s.qq = h.value[6] - '0';
                s.q_sent_tok = h.first;
            }
            rc = emit(&s, &h);
            next = h.last > i ? h.last : i + 1;
        }
    }
    if (rc != QT_OK) {
        c->out.n = 0;
        return rc;
    }
    *out = c->out.items;
    *n = c->out.n;
    return QT_OK;
}
