/*
 * qt_dates.h - calendar arithmetic for dating articles (issue 6): TIMEX3 and ISO values as day
 * ranges, the bound an article's own time expressions put on its date, and stated ages.
 *
 * Pure functions of their arguments; safe on any number of threads. The collection's part
 * (ages across articles, articles that follow dated ones) is src/store/dates.c's.
 *
 * Invariants:
 *  (1) A day is a count of days since 1970-01-01 (proleptic Gregorian). A qt_day_span is
 *      inclusive, first <= last, and gran says how it was written: 'Y' a year (or a decade,
 *      a season, a quarter, a week: anything coarser than a month within a year or more),
 *      'M' a month, 'D' a day.
 *  (2) Only values that name a calendar period parse: "2015", "2015-10", "2015-10-13T14:00",
 *      "2015-SU", "2015-W12", "199X". Relative or unresolved ones ("XXXX-12", "P4Y",
 *      "PRESENT_REF", NULL) do not: nothing is guessed.
 */
#ifndef QT_DATES_H
#define QT_DATES_H

#include <stddef.h>
#include <stdint.h>

#include "core/qt_core.h"
#include "quotetrail.h"

#define QT_NO_DAY INT32_MIN

typedef struct qt_day_span {
    int32_t first, last;    /* inclusive days, (1) */
    char gran;              /* 'Y', 'M' or 'D' */
} qt_day_span;

/* Days since 1970-01-01 of a civil date (Hinnant's days_from_civil). Can't fail. */
int32_t qt_days_from_civil(int y, int m, int d);
/* The civil date of a day. Can't fail. */
void qt_civil_from_days(int32_t z, int *y, int *m, int *d);

/* Parse a TIMEX3 or ISO value into the span it names, (2). Returns 1, or 0 (out untouched)
 * when s names no calendar period. */
int qt_date_parse(const char *s, qt_day_span *out);

/* Write day at granularity gran ("2015", "2015-10", "2015-10-13") into out (cap >= 11).
 * Returns out. */
char *qt_date_format(int32_t day, char gran, char *out, size_t cap);

/* The latest calendar period among the DATE and TIME expressions of t[0..n): an article that
 * mentions a date was written on or after the start of it (news looks back). Returns 1 with
 * *out filled and *which its index, or 0 when no expression names one. */
int qt_dates_latest_mention(const qt_time *t, size_t n, qt_day_span *out, size_t *which);

/* A stated age: t is an age when it names whose age it is (age_of) and its value is a
 * duration in years ("P45Y"). *lo and *hi receive the ages it allows: "almost 40" (mod
 * LESS_THAN) is 39, "about 40" (APPROX) 39 to 41, "over 40" (MORE_THAN) 41 and up (*hi -1:
 * no upper limit). Returns 1, or 0 when t is not an age. */
int qt_age_of(const qt_time *t, int *lo, int *hi);

/* published_inferred from the article's own text alone: from the start of the latest period
 * it mentions, to open, evidence "mentions 2015-10-13". NULL when it mentions none, or when
 * out of memory (the record then has no inference rather than a wrong one). Allocated in a. */
const qt_date_range *qt_dates_own(const qt_time *t, size_t n, qt_arena *a);

/* ---- the earliest carrier of a quote cluster (qt_quote_cluster.earliest_rule) ---------------
 *
 * A cluster's members are dated by their ids' published strings; a member none of whose ids is
 * dated may have its text's inferred range (qt_db_infer_dates()). The rule, applied in
 * src/store/store.c's qc_build():
 *  (e1) no id is dated: the member with the earliest range by qt_date_range_cmp() is the
 *       earliest carrier ("inferred"); none has a range: the one stored first ("stored first").
 *  (e2) some id is dated, P the least published string: P wins ("published") unless an
 *       undated member's range ends before P starts (qt_dates_range_before()): the words were
 *       printed before P was, whatever else is uncertain. The earliest of those by
 *       qt_date_range_cmp() then wins ("inferred"). A range that overlaps P, or is open at
 *       its end, does not beat a date: an inference is weaker evidence than a date, and
 *       "from 2015" says the article may as well be later. (The collection's inference makes
 *       an undated member of a dated cluster follow its earliest dated carrier, so (e2)'s
 *       exception arises only from contradicting evidence or clusters too large to date by.)
 *  Ties: the least id. Ranges and dates depend only on which articles are stored, so the
 *  earliest carrier does not depend on the order they were ingested in. */

/* The last day of the period an ISO prefix or TIMEX3 value names, or QT_NO_DAY when s is NULL
 * or names none (qt_date_parse()); qt_date_first_day() (quotetrail.h) is the first. The order
 * of ranges is qt_date_range_cmp()'s (quotetrail.h). */
int32_t qt_dates_end(const char *s);

/* 1 when r's "to" ends before the period published names starts: r lies wholly before it.
 * 0 when r is NULL, open at its end, or either does not parse. */
int qt_dates_range_before(const qt_date_range *r, const char *published);

/* 1 when r bounds a date at all: its "from" or its "to" parses. */
int qt_dates_usable(const qt_date_range *r);

#endif /* QT_DATES_H */
