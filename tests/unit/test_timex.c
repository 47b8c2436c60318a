/*
 * test_timex.c - time expressions (src/events): each kind of expression with its TIMEX3 type,
 * value, mod and exact span against a fixed reference date, the NULL-reference rule, text
 * without expressions, and hostile input staying bounded and well formed (qt_events.h (1)-(4)).
 *
 * Sentences are made up for these tests. The reference, Friday 13 December 2013, is ISO week 50.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "events/qt_events.h"
#include "text/qt_text.h"

#define REF "2013-12-13"

static qt_text text = QT_TEXT_INIT;
static qt_timex_ctx *ctx;
static const qt_time *found;
static size_t n_found;

static void scan(const char *s, const char *ref)
{
    assert_int_equal(qt_text_scan(&text, s, strlen(s)), QT_OK);
    assert_int_equal(qt_timex_scan(ctx, &text, ref, &found, &n_found), QT_OK);
}

/* The expression whose span is exactly `phrase` (its first occurrence in s). */
static const qt_time *span(const char *s, const char *phrase)
{
    const char *p = strstr(s, phrase);
    assert_non_null(p);
    size_t start = (size_t)(p - s), end = start + strlen(phrase);
    for (size_t i = 0; i < n_found; i++)
        if (found[i].start == start && found[i].end == end)
            return &found[i];
    for (size_t i = 0; i < n_found; i++)
        print_message("  found [%zu,%zu) '%.*s' %s %s\n", found[i].start, found[i].end,
                      (int)(found[i].end - found[i].start), s + found[i].start, found[i].type,
                      found[i].value ? found[i].value : "(null)");
    fail_msg("no expression spans '%s' in '%s'", phrase, s);
    return NULL;
}

/* One expression expected in s, with its span, type, value (NULL for none) and mod. */
static const qt_time *expect_ref(const char *s, const char *ref, const char *phrase,
                                 const char *type, const char *value, const char *mod)
{
    scan(s, ref);
    const qt_time *t = span(s, phrase);
    assert_string_equal(t->type, type);
    if (value) {
        assert_non_null(t->value);
        assert_string_equal(t->value, value);
    } else {
        assert_null(t->value);
    }
    if (mod) {
        assert_non_null(t->mod);
        assert_string_equal(t->mod, mod);
    } else {
        assert_null(t->mod);
    }
    assert_false(t->in_title);
    return t;
}

static const qt_time *expect(const char *s, const char *phrase, const char *type,
                             const char *value, const char *mod)
{
    return expect_ref(s, REF, phrase, type, value, mod);
}

static int setup(void **state)
{
    (void)state;
    ctx = qt_timex_new();
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    qt_timex_free(ctx);
    qt_text_release(&text);
    return 0;
}

static void full_dates_months_years(void **state)
{
    (void)state;
    expect("The mill reopened on Aug. 7, 1998, after the flood.", "Aug. 7, 1998", "DATE",
           "1998-08-07", NULL);
    expect("The ferry was sold on 4 March 2009 to a museum.", "4 March 2009", "DATE",
           "2009-03-04", NULL);
    expect("The pair married in September 2009 at the lake.", "September 2009", "DATE",
           "2009-09", NULL);
    expect("The bakery opened in 1987 on Elm Street.", "1987", "DATE", "1987", NULL);
    expect("Prices rose through the 1990s across the valley.", "1990s", "DATE", "199X", NULL);
    expect("Stone walls from the 12th century still stand.", "12th century", "DATE", "11",
           NULL);
    expect("Ticket sales fell in the third quarter of the year.", "the third quarter of the year",
           "DATE", "2013-Q3", NULL);
    expect("The council met on 2013-11-04 to vote.", "2013-11-04", "DATE", "2013-11-04", NULL);
}

static void months_follow_tense(void **state)
{
    (void)state;
    /* news looks back: the latest March before the reference, unless the clause is future */
    expect("The harbour froze in March, the keeper said.", "March", "DATE", "2013-03", NULL);
    expect("The new bridge will open in March.", "March", "DATE", "2014-03", NULL);
    expect("A storm hit the coast on Nov. 30, officials said.", "Nov. 30", "DATE", "2013-11-30",
           NULL);
    expect("Ada Vale left the band last April.", "last April", "DATE", "2013-04", NULL);
    /* a month with its year phrase is one expression; after "of" the year is its own */
    expect("The dam opened in June last year.", "June last year", "DATE", "2012-06", NULL);
    expect("The fair moves to a new field in May next year.", "May next year", "DATE",
           "2014-05", NULL);
    expect("Stalls will close after October of next year.", "October", "DATE", "2014-10", NULL);
    span("Stalls will close after October of next year.", "next year");
    /* "may" the verb and "March" the verb are no months */
    scan("Ada may march with the others, and she may not.", REF);
    assert_int_equal(n_found, 0);
}

static void weekdays(void **state)
{
    (void)state;
    expect("The mayor resigned on Monday, aides said.", "Monday", "DATE", "2013-12-09", NULL);
    expect("The board will vote on Tuesday.", "Tuesday", "DATE", "2013-12-17", NULL);
    expect("The shop was robbed last Friday.", "last Friday", "DATE", "2013-12-06", NULL);
    expect("Crews left Wednesday's blaze at dawn.", "Wednesday", "DATE", "2013-12-11", NULL);
    expect("Police were called Sunday night to the pier.", "Sunday night", "TIME",
           "2013-12-08TNI", NULL);
}

/* (5) the nearest tense cue decides which way a bare weekday or month points */
static void clause_tense(void **state)
{
    (void)state;
    /* the reference day itself is the most recent Friday */
    expect("The ferry docked Friday at the quay.", "Friday", "DATE", "2013-12-13", NULL);
    /* "said Friday that ... will" is past: the verb next to the date decides */
    expect("The mayor said Monday that the bridge will reopen.", "Monday", "DATE",
           "2013-12-09", NULL);
    expect("On Monday, the guild planned a parade for spring.", "Monday", "DATE",
           "2013-12-09", NULL);
    expect("The choir is set to sing on Tuesday in the chapel.", "Tuesday", "DATE",
           "2013-12-17", NULL);
    expect("The guild is to meet Wednesday in the old hall.", "Wednesday", "DATE",
           "2013-12-18", NULL);
    expect("The crew would be sailing Sunday with the tide.", "Sunday", "DATE", "2013-12-15",
           NULL);
    expect("Keepers will open the gates at 9 a.m. Monday for the fair.", "9 a.m. Monday",
           "TIME", "2013-12-16T09:00", NULL);
    expect("Officials postponed until Tuesday any vote on the pier.", "Tuesday", "DATE",
           "2013-12-17", NULL);
    expect("The expiry had been scheduled for Monday, the clerk said.", "Monday", "DATE",
           "2013-12-09", NULL);
    /* deadlines look ahead; a planning word after "had" does not */
    expect("The mill must repay the loan by February, the bank said.", "February", "DATE",
           "2014-02", NULL);
    expect("The rules will be announced in January by the board.", "January", "DATE",
           "2014-01", NULL);
    expect("The plan was announced in January by the board.", "January", "DATE", "2013-01",
           NULL);
    expect("The lease expired in the year ended March 31.", "March 31", "DATE", "2013-03-31",
           NULL);
    expect("The new rate is effective June 1 for all members.", "June 1", "DATE", "2014-06-01",
           NULL);
}

static void deictic_days(void **state)
{
    (void)state;
    expect("The river crested yesterday near the mill.", "yesterday", "DATE", "2013-12-12", NULL);
    expect("The result is due today from the panel.", "today", "DATE", "2013-12-13", NULL);
    expect("The band plays tonight at the old hall.", "tonight", "TIME", "2013-12-13TNI", NULL);
    expect("Two roads closed this morning in town.", "this morning", "TIME", "2013-12-13TMO",
           NULL);
    expect("The fund is now closed to newcomers.", "now", "DATE", "PRESENT_REF", NULL);
    expect("The trail was recently widened by volunteers.", "recently", "DATE", "PAST_REF",
           NULL);
    expect("The rules will change in the future, she said.", "the future", "DATE",
           "FUTURE_REF", NULL);
}

static void relative_units(void **state)
{
    (void)state;
    expect("The mill closed last week after the storm.", "last week", "DATE", "2013-W49", NULL);
    expect("The plant reopens next month for visitors.", "next month", "DATE", "2014-01", NULL);
    expect("Sales fell last year at the co-op.", "last year", "DATE", "2012", NULL);
    expect("The dam burst two years ago in spring.", "two years ago", "DATE", "2011", NULL);
    expect("Rents rose over the past three months in town.", "the past three months",
           "DURATION", "P3M", NULL);
    expect("Rents have risen in recent years across town.", "recent years", "DURATION", "PXY",
           NULL);
    expect("The orchard was planted earlier this year by pupils.", "earlier this year", "DATE",
           "2013", "START");
    expect("Ferries stopped over the weekend because of fog.", "the weekend", "DATE",
           "2013-W49-WE", NULL);
}

/* quarterly reports: the quarter reported, comparisons with a year before, the fiscal year */
static void quarters(void **state)
{
    (void)state;
    /* in December the latest quarter over is the third; the current one is the fourth */
    expect("Profit at the mill rose in the latest quarter.", "the latest quarter", "DATE",
           "2013-Q3", NULL);
    expect("Orders slowed in the current quarter, the mill said.", "the current quarter", "DATE",
           "2013-Q4", NULL);
    expect("The co-op earned $4 million in the third quarter. The latest period had no "
           "one-time gains.", "The latest period", "DATE", "2013-Q3", NULL);
    expect("The co-op earned $4 million in the third quarter, up from $3 million in the 2012 "
           "period.", "the 2012 period", "DATE", "2012-Q3", NULL);
    expect("The loss compares with a gain in the 2011 second quarter.", "the 2011 second quarter",
           "DATE", "2011-Q2", NULL);
    expect("The co-op earned $4 million in the third quarter, against $3 million in the "
           "year-ago period.", "the year-ago period", "DATE", "2012-Q3", NULL);
    expect("Sales rose against the year-earlier second quarter at the mill.",
           "the year-earlier second quarter", "DATE", "2012-Q2", NULL);
    expect("The mill had revenue of $7 million for the year ended March 31.", "the year",
           "DURATION", "P1Y", NULL);
    expect("Ticket sales will rise in third-quarter results, the club said.", "third-quarter",
           "DATE", "2013-Q3", NULL);
    expect("A factor in the third-quarter loss was the flood.", "third-quarter", "DATE",
           "2013-Q3", NULL);
}

/* lengths written as adjectives or with a word inside the count */
static void duration_forms(void **state)
{
    (void)state;
    expect("The guild began a two day rally in the square.", "two day", "DURATION", "P2D", NULL);
    expect("Shares hit a five year low at the close.", "five year", "DURATION", "P5Y", NULL);
    expect("The pier stays shut for two more weeks.", "two more weeks", "DURATION", "P2W", NULL);
    expect("The index fell after six straight days of losses.", "six straight days",
           "DURATION", "P6D", NULL);
    expect("The lease may run for an additional year at the mill.", "an additional year",
           "DURATION", "P1Y", NULL);
    expect("It was the worst single-day fall for the co-op.", "single-day", "DURATION", "P1D",
           NULL);
    /* "3 second" alone stays an ordinal-like count, not a duration */
    scan("He came 3 second in the race.", REF);
    assert_int_equal(n_found, 0);
}

/* "the same day", "to end the day": the day last named, else the reference */
static void anaphoric_day(void **state)
{
    (void)state;
    expect("The index rose 2% on Monday. A report came out on the same day.", "the same day",
           "DATE", "2013-12-09", NULL);
    expect("The index gained 40 points to end the day at 8,017.", "the day", "DATE",
           "2013-12-13", NULL);
    expect("For the day, the index closed down 6%.", "the day", "DATE", "2013-12-13", NULL);
    /* a day in general is no date */
    scan("It was the day of the fair, and the day was warm.", REF);
    assert_int_equal(n_found, 0);
}

/* years in words (transcripts) and holidays */
static void word_years_and_holidays(void **state)
{
    (void)state;
    expect("The mill burned in nineteen ninety-six, the keeper said.", "nineteen ninety-six",
           "DATE", "1996", NULL);
    expect("The choir formed in January nineteen eighty four.", "January nineteen eighty four",
           "DATE", "1984-01", NULL);
    expect("Prices peaked in the winter of nineteen ninety-four.",
           "the winter of nineteen ninety-four", "DATE", "1994-WI", NULL);
    expect("The guild aims to finish by the year two thousand.", "the year two thousand", "DATE",
           "2000", NULL);
    scan("The cellar holds two thousand years of wine lore.", REF);
    for (size_t i = 0; i < n_found; i++)
        assert_string_not_equal(found[i].type, "DATE");
    /* Thanksgiving is the fourth Thursday of November */
    expect("The boy was found Thanksgiving Day on the shore.", "Thanksgiving Day", "DATE",
           "2013-11-28", NULL);
    expect("The fair will close for Christmas this year.", "Christmas", "DATE", "2013-12-25",
           NULL);
    expect("The pier flooded last Christmas, they said.", "last Christmas", "DATE", "2012-12-25",
           NULL);
    expect("The ferry sank on Christmas Eve 2009 off the cape.", "Christmas Eve 2009", "DATE",
           "2009-12-24", NULL);
}

static void seasons(void **state)
{
    (void)state;
    expect("The lake froze last winter for a month.", "last winter", "DATE", "2012-WI", NULL);
    expect("The choir toured in the summer of 2011.", "the summer of 2011", "DATE", "2011-SU",
           NULL);
    expect("The dig resumed in spring 2013 with students.", "spring 2013", "DATE", "2013-SP",
           NULL);
}

static void durations_and_sets(void **state)
{
    (void)state;
    expect("Their marriage lasted four years in all.", "four years", "DURATION", "P4Y", NULL);
    expect("The strike lasted 48 hours before talks.", "48 hours", "DURATION", "PT48H", NULL);
    expect("The road took a decade to build.", "a decade", "DURATION", "P10Y", NULL);
    expect("Repairs will take several weeks, the firm said.", "several weeks", "DURATION",
           "PXW", NULL);
    expect("She signed a five-year lease on the shop.", "five-year", "DURATION", "P5Y", NULL);
    expect("The market opens every Monday by the quay.", "every Monday", "SET", "XXXX-WXX-1",
           NULL);
    expect("The paper is printed daily in the old works.", "daily", "SET", "P1D", NULL);
}

static void times_of_day(void **state)
{
    (void)state;
    expect("The vote starts at 10 a.m. Friday in the hall.", "10 a.m. Friday", "TIME",
           "2013-12-13T10:00", NULL);
    expect("The quake struck at 14:58 UTC near the coast.", "14:58 UTC", "TIME",
           "2013-12-13T14:58Z", NULL);
}

static void mods(void **state)
{
    (void)state;
    expect("The hall will be finished in early 2015, the council said.", "early 2015", "DATE",
           "2015", "START");
    expect("The pier was rebuilt late last year by a local firm.", "late last year", "DATE",
           "2012", "END");
    expect("The feud lasted more than a decade between the farms.", "more than a decade",
           "DURATION", "P10Y", "MORE_THAN");
    expect("They met again nearly a decade after the trial.", "nearly a decade", "DURATION",
           "P10Y", "APPROX");
    expect("The ferry sank in mid-1996 off the cape.", "mid-1996", "DATE", "1996", "MID");
}

static void ages(void **state)
{
    (void)state;
    const qt_time *t = expect("Lamar Vale, 34, joined the crew.", "34", "DURATION", "P34Y",
                              NULL);
    assert_string_equal(t->age_of, "Lamar Vale");
    assert_string_equal(t->birth_from, "1978");
    assert_string_equal(t->birth_to, "1979");
    t = expect("Dora Kent, the 45-year-old skipper, spoke first.", "45-year-old", "DURATION",
               "P45Y", NULL);
    assert_string_equal(t->age_of, "Dora Kent");
    assert_string_equal(t->birth_from, "1967");
    t = expect("The 45-year-old skipper spoke first.", "45-year-old", "DURATION", "P45Y", NULL);
    assert_null(t->age_of);
    assert_non_null(t->birth_to);
    t = expect("The 34-year-old Lamar Vale joined the crew.", "34-year-old", "DURATION", "P34Y",
               NULL);
    assert_string_equal(t->age_of, "Lamar Vale");
    t = expect("Police said 34-year-old Vale was rescued.", "34-year-old", "DURATION", "P34Y",
               NULL);
    assert_string_equal(t->age_of, "Vale");
    t = expect("The 45-year-old American skipper spoke first.", "45-year-old", "DURATION", "P45Y",
               NULL);
    assert_null(t->age_of);
    t = expect("Dora Kent, aged 45, spoke first.", "45", "DURATION", "P45Y", NULL);
    assert_string_equal(t->age_of, "Dora Kent");
    t = expect_ref("A man aged 61 was rescued.", NULL, "61", "DURATION", "P61Y", NULL);
    assert_null(t->birth_from);      /* no reference date, no birth years */
    assert_null(t->age_of);
}

/* a caption or credit (tokens marked QT_TF_FURNITURE by the block classifier) is read past */
static void furniture_skipped(void **state)
{
    (void)state;
    const char *s = "Ada Vale, 34, at the fair in 2009.\n\nThe mill closed in 2012 after a flood.";
    assert_int_equal(qt_text_scan(&text, s, strlen(s)), QT_OK);
    const char *para = strstr(s, "\n\n");
    for (size_t i = 0; i < text.toks.n; i++)
        if (QT_TOK(&text, i).start < (size_t)(para - s))
            QT_TOK(&text, i).flags |= QT_TF_FURNITURE;
    assert_int_equal(qt_timex_scan(ctx, &text, REF, &found, &n_found), QT_OK);
    assert_int_equal(n_found, 1);
    span(s, "2012");
    /* without the mark, the caption's age and year are found */
    scan(s, REF);
    assert_int_equal(n_found, 3);
}

static void null_reference(void **state)
{
    (void)state;
    expect_ref("The mill closed last week after the storm.", NULL, "last week", "DATE", NULL,
               NULL);
    expect_ref("The mayor resigned on Monday.", NULL, "Monday", "DATE", NULL, NULL);
    expect_ref("The pair married in September 2009.", NULL, "September 2009", "DATE",
               "2009-09", NULL);
    expect_ref("Their marriage lasted four years.", NULL, "four years", "DURATION", "P4Y", NULL);
    /* a reference given to the month only still resolves months, not days */
    expect_ref("Sales fell last month.", "2013-12", "last month", "DATE", "2013-11", NULL);
    expect_ref("The river crested yesterday.", "2013-12", "yesterday", "DATE", NULL, NULL);
    expect_ref("The river crested yesterday.", "2013-12-13T09:00Z", "yesterday", "DATE",
               "2013-12-12", NULL);
}

static void plain_text_has_none(void **state)
{
    (void)state;
    scan("The committee approved the plan after a long debate, and the chair thanked the "
         "volunteers who had cleaned the riverbank. Second, it paid $1999 for the bricks.", REF);
    assert_int_equal(n_found, 0);
    scan("", REF);
    assert_int_equal(n_found, 0);
}

/* (1) on any input: in order, not overlapping, inside the text; and the scan stays linear. */
static void check_invariants(const char *s, size_t len)
{
    for (size_t i = 0; i < n_found; i++) {
        assert_true(found[i].start < found[i].end);
        assert_true(found[i].end <= len);
        if (i)
            assert_true(found[i - 1].end <= found[i].start);
        assert_non_null(found[i].type);
    }
    (void)s;
}

/* A rule that reads the token after the last one must find none, not one left over from a
 * longer text scanned before (ASan caught a read past the text's end there). */
static void rule_at_the_end(void **state)
{
    (void)state;
    scan("The board met on Tuesday and again on Thursday, three weeks before the vote in "
         "March, to settle the budget for the fiscal year that ends in June 2014.", REF);
    assert_true(n_found > 0);
    scan("Sales rose almost fiscal", REF);
    for (size_t i = 0; i < n_found; i++)
        assert_true(found[i].end <= strlen("Sales rose almost fiscal"));
    scan("fiscal", REF);
    scan("the fiscal", NULL);
}

static void hostile_input(void **state)
{
    (void)state;
    size_t n = 100000;
    char *s = malloc(2 * n + 64);
    assert_non_null(s);
    memset(s, '9', n);                         /* 10^5 digits: one token, no number */
    s[n] = 0;
    scan(s, REF);
    check_invariants(s, n);
    assert_int_equal(n_found, 0);
    for (size_t i = 0; i < n; i++)             /* "1 2 3 ..." and years, no sentence end */
        s[2 * i] = (char)('0' + i % 10), s[2 * i + 1] = ' ';
    s[2 * n] = 0;
    scan(s, REF);
    check_invariants(s, 2 * n);
    size_t k = 0;                              /* "last last last ..." and "a a a ..." */
    while (k + 16 < 2 * n) {
        memcpy(s + k, k % 3 ? "last a year " : "the the ", k % 3 ? 12 : 8);
        k += k % 3 ? 12 : 8;
    }
    s[k] = 0;
    scan(s, REF);
    check_invariants(s, k);
    scan("Feb. 31, 1998 and 25:99 p.m. and 0th century", REF);
    check_invariants(NULL, strlen("Feb. 31, 1998 and 25:99 p.m. and 0th century"));
    scan("x", "garbage-ref");
    scan("last week", "9999999999-99-99");
    assert_int_equal(n_found, 1);
    assert_null(found[0].value);
    free(s);
}

/* "fiscal fiscal ... 1989": each "fiscal" matched the rest of the chain by recursion, one
 * stack frame per word, and 50 000 of them overflowed the stack (found by clang-tidy's
 * misc-no-recursion). A chain must stay bounded and the last "fiscal 1989" still match. */
static void fiscal_chain(void **state)
{
    (void)state;
    size_t n = 200000;
    char *s = malloc(7 * n + 16);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 7 * i, "fiscal ", 7);
    strcpy(s + 7 * n, "1989");
    scan(s, REF);
    check_invariants(s, 7 * n + 4);
    const qt_time *last = NULL;
    for (size_t i = 0; i < n_found; i++)
        if (found[i].start == 7 * (n - 1) && found[i].end == 7 * n + 4)
            last = &found[i];
    assert_non_null(last);
    assert_string_equal(last->type, "DATE");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_dates_months_years),
        cmocka_unit_test(months_follow_tense),
        cmocka_unit_test(weekdays),
        cmocka_unit_test(clause_tense),
        cmocka_unit_test(deictic_days),
        cmocka_unit_test(relative_units),
        cmocka_unit_test(quarters),
        cmocka_unit_test(duration_forms),
        cmocka_unit_test(anaphoric_day),
        cmocka_unit_test(word_years_and_holidays),
        cmocka_unit_test(seasons),
        cmocka_unit_test(durations_and_sets),
        cmocka_unit_test(times_of_day),
        cmocka_unit_test(mods),
        cmocka_unit_test(ages),
        cmocka_unit_test(furniture_skipped),
        cmocka_unit_test(null_reference),
        cmocka_unit_test(plain_text_has_none),
        cmocka_unit_test(rule_at_the_end),
        cmocka_unit_test(hostile_input),
        cmocka_unit_test(fiscal_chain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
