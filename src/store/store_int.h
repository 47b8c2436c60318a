/*
 * store_int.h - what the store's own modules share: the connection behind a qt_db and the
 * small statement helpers of store.c. Not for callers outside src/store/ (they use the qt_db_*
 * API of quotetrail.h), so that the schema stays the store's business.
 *
 * A module in src/store/ other than store.c prepares its own statements (sqlite3_prepare_v2
 * on qt_db_handle(), finalized before it returns): its queries run once per command, so the
 * persistent statement cache of store.c would buy nothing there.
 */
#ifndef QT_STORE_INT_H
#define QT_STORE_INT_H

#include "core/qt_core.h"
#include "quotetrail.h"

#include <sqlite3.h>

/* The connection, for a module's own statements. */
sqlite3 *qt_db_handle(qt_db *db);

/* Per-call scratch memory, reset by the public function that uses it. */
qt_arena *qt_db_scratch(qt_db *db);

/* Format "<what> database '<path>': <sqlite's errmsg>" into err and return QT_EDB. `what` is
 * printf-style and ends with a preposition or verb ("cannot read quotes from"). Call it before
 * any cleanup statement runs, which would replace the message. */
qt_status qt_db_fail(qt_db *db, qt_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Step s to completion and reset it: SQLITE_OK or the failing code. */
int qt_db_run(sqlite3_stmt *s);

/* Reset a statement stepped by hand; rc is its last step's result (SQLITE_OK when the loop
 * stopped early on purpose). SQLITE_OK or the first error. */
int qt_db_finish(sqlite3_stmt *s, int rc);

/* Bind z as text, or NULL when z is NULL. */
int qt_db_bind_str(sqlite3_stmt *s, int i, const char *z);

/* Column i as text (NULL for SQL NULL). */
const char *qt_db_col_str(sqlite3_stmt *s, int i);

/* b = the folded matching key of s (qt_store.h (4)): accents, case and quote marks aside,
 * whitespace runs one space. QT_OK or QT_ENOMEM. */
qt_status qt_db_fold_key(qt_buf *b, const char *s);

/* An SQL condition on `articles`: the article's text is stored. An article linked from a
 * record made without --with-text (qt_record_parse()) is stored with an empty text, yet its
 * blocks reach into the text it had: that is how it is told apart, with no column of its own.
 * No text, no re-analysis (qt_db_each_stale() passes over it; shards.c counts it). */
#define QT_DB_HAS_TEXT                                                                     \
    "length(CAST(articles.text AS BLOB)) >= coalesce((SELECT max(b.\"end\") FROM blocks b"  \
    " WHERE b.article = articles.id), 0)"

/* A quote's confidence as stored: two decimals, as a record prints it (src/report/json.c),
 * so that an article linked from its record and one ingested from its text read alike. */
static inline double qt_db_confidence(double c)
{
    if (!(c > 0))
        return 0;
    if (c > 1)
        return 1;
    return (double)(unsigned)(c * 100 + 0.5) / 100;
}

#endif /* QT_STORE_INT_H */
