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

/* The FTS5 query for a user's words, safe whatever they typed: each whitespace-separated word
 * becomes an FTS5 string, ANDed. *n_words receives how many. QT_OK or QT_ENOMEM. */
qt_status qt_db_fts_query(qt_buf *b, const char *words, int *n_words);

/* Venues across articles (store.c, "venues across articles"), as SQL expressions.
 * The collection's key for venue key k: the long name's key when store.c's rule (v3) holds for
 * k as a short form, else k. At most one long name can have more than twice the
 * support of every other, so the subquery yields at most one row. */
#define VENUE_CANON(k)                                                                       \
    "coalesce((SELECT va.full_key FROM venue_alias va WHERE va.short_key = " k                \
    " AND va.articles > 2 * coalesce((SELECT max(vb.articles) FROM venue_alias vb"           \
    " WHERE vb.short_key = va.short_key AND vb.full_key <> va.full_key), 0)), " k ")"

/* The name to show for collection key k, see store.c (v4); NULL when no article used one. */
#define VENUE_NAME(k)                                                                        \
    "(SELECT vn.name FROM venue_names vn WHERE vn.key = " k " ORDER BY vn.articles DESC,"     \
    " vn.name = upper(vn.name), length(vn.name) DESC, vn.name LIMIT 1)"

/* ---- quote clusters (store.c builds them, clusters.c describes them) ---- */

/* qt_db_each_quote_cluster(), and with words (not NULL) qt_db_trace(): the clusters with a
 * member matching all the words, best first. *n_found (may be NULL) receives how many clusters
 * fn was offered. */
qt_status qt_db_clusters_run(qt_db *db, const char *words,
                             int (*fn)(void *ctx, const qt_quote_cluster *c), void *ctx,
                             qt_cluster_stats *stats, size_t *n_found, qt_err *err);

/* Fill in what clusters.c adds to the n built clusters (whose members came from the quote rows
 * rows[], parallel to the members array that clusters[0].members starts), allocating in a,
 * and choose the clusters to hand out: *order (in a) receives their indexes, *n_order how
 * many. With words NULL every cluster is described and handed out in index order; else only
 * those with a member whose text matches all the words (FTS5), best first (clusters.c).
 * Runs inside the caller's read savepoint. SQLITE_OK or an SQLite error code (SQLITE_NOMEM
 * when out of memory). */
int qt_db_clusters_describe(qt_db *db, qt_arena *a, qt_quote_cluster *clusters, size_t n,
                            const sqlite3_int64 *rows, const char *words, size_t **order,
                            size_t *n_order);
/* An SQL condition on `articles`: the article's text is stored. An article linked from a
 * record made without --with-text (qt_record_parse()) is stored with an empty text; an input
 * text is never empty (the readers refuse one), so an empty text is a missing one. No text, no
 * re-analysis (qt_db_each_stale() passes over it) and no counting in dups (store.c (n5)); the
 * text is filled in when the same text arrives whole (qt_db_lookup(): QT_DB_TEXTLESS). */
#define QT_DB_HAS_TEXT "length(CAST(articles.text AS BLOB)) > 0"

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

/* The index of the element whose content hash (a string at byte offset off of each element)
 * is hash, in an array of n elements of stride bytes sorted by that string; -1 when none.
 * The store's query modules number articles by content hash so that nothing depends on
 * ingest order, and look them up by it. */
long qt_db_find_hash(const void *base, size_t n, size_t stride, size_t off, const char *hash);

#endif /* QT_STORE_INT_H */
