/*
 * qt_events.h - time expressions (TimeML TIMEX3) found in one text and resolved against the
 * article's date (issue 6; DESIGN.md "Values").
 *
 * Input: a qt_text after qt_text_scan() (sentence marks are not needed: the tense of the
 * clause is read from the words around each expression). Output: qt_time records in text
 * order with TempEval-3 spans, types and values.
 *
 * Invariants of the records qt_timex_scan() returns:
 *  (1) start < end, byte offsets into t->p; records are in text order and never overlap.
 *  (2) type is one of "DATE", "TIME", "DURATION", "SET" (static strings, as is mod).
 *  (3) value is NULL only when the expression needs a reference date that was not given
 *      ("last week" with ref NULL), never a guess; granularity follows the text.
 *  (4) an age ("the 45-year-old", "Odom, 34,") is a DURATION whose birth_from/birth_to hold
 *      the birth years it allows (when ref is known) and age_of the person it is said of
 *      (when a name stands in apposition or right after: "the 34-year-old Lamar Odom").
 *      TempEval-3 does not annotate ages as TIMEX3, so scorers comparing with it skip records
 *      with birth_from set.
 *  (5) tokens flagged QT_TF_FURNITURE (a caption, credit, boilerplate) give no records.
 *
 * Thread safety: the word table is built once per process (pthread_once); a qt_timex_ctx is
 * one thread's scratch. Memory: everything returned lives in the context until its next scan.
 */
#ifndef QT_EVENTS_H
#define QT_EVENTS_H

#include "core/qt_core.h"
#include "text/qt_text.h"

typedef struct qt_timex_ctx qt_timex_ctx;           /* reusable scratch, one per thread */

/* A new context, or NULL when out of memory. */
qt_timex_ctx *qt_timex_new(void);
/* Release a context and everything it returned. NULL is fine. */
void qt_timex_free(qt_timex_ctx *c);

/* Find and resolve the time expressions of t (qt_text_scan() done; sentences marked if you need
 * them), against ref: the reference date as an ISO 8601 prefix ("1998-08-10", "2015-10-13T09:00Z")
 * or NULL (then relative expressions get value NULL, absolute ones still resolve). *out (n) is
 * valid until the next call on c; spans are byte offsets into t's text; in_title 0.
 * Returns QT_OK, or QT_ENOMEM with *out NULL and *n 0. Time is linear in the tokens: every
 * pattern looks a bounded number of tokens ahead. */
qt_status qt_timex_scan(qt_timex_ctx *c, const struct qt_text *t, const char *ref,
                        const qt_time **out, size_t *n);

#endif /* QT_EVENTS_H */
