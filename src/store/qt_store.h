/*
 * qt_store.h - internals of the SQLite store (the public contract is the qt_db_* section of
 * quotetrail.h; this header only names what tests and later migrations need to see).
 *
 * The store is the only place with state (DESIGN.md). It keeps, per article: its identity and
 * text, the engine version that analysed it, its people with folded aliases, its quotes (with an
 * FTS5 index over their text), its blocks, its warnings, the venue names and short forms it
 * shows, summed over the collection to normalise venues across articles, its MinHash
 * signature, from which near-duplicate articles are found, and its entity keys, by which
 * stories link articles.
 *
 * Invariants:
 *  (1) articles.hash is UNIQUE: one row per content hash, whatever path it was read from. The
 *      row's id (its rowid) is fixed at first ingest and is the "ingest order" of queries.
 *  (2) Every child row (people, aliases, quotes, blocks, warnings, article_names) belongs to
 *      exactly one article and is replaced as a whole by qt_db_put(): a stored article never
 *      mixes two analyses.
 *  (3) quotes_fts mirrors quotes.text exactly; triggers on quotes keep it so, so no code path
 *      writes quotes_fts directly.
 *  (4) Folded columns (*_folded, aliases.folded) hold fold_key() of their source: qt_fold() with
 *      whitespace runs collapsed to one space and trimmed. Queries fold their input the same way.
 *  (5) PRAGMA user_version is the number of migrations applied; PRAGMA application_id is
 *      QT_DB_APP_ID from migration 1 on. Migrations only ever get appended.
 *  (6) venue_names and venue_alias hold, for each row key, the number of articles with that
 *      row in article_venues and venue_evidence respectively; triggers keep them so, and a row
 *      whose count falls to 0 is deleted. Learned venues therefore depend only on which
 *      articles are stored (store.c, "venues across articles").
 *  (7) An article has at most one signatures row, holding the signature of its last analysis
 *      (no band key is stored: migration 9). qt_db_each_dup() finds candidates from those rows
 *      alone, and reads two articles' texts only to decide a pair whose estimate is near its
 *      minimum (store.c, "near-duplicates" (n5)), apart from copies (8).
 *  (8) copies holds every (ext_id, source) an article's text arrived under, its first one
 *      included, as a set: at least one row per article from migration 6 on (store.c, (n4)).
 *  (9) article_names holds an article's entity keys (qt_article.names, as signed 32-bit
 *      values), each once, from its last analysis: none for an article analysed or linked
 *      without them (stored before migration 10, or from a record without "names"), which
 *      stories then link by its quoted people's names alone (stories.c (3)).
 */
#ifndef QT_STORE_H
#define QT_STORE_H

#include "quotetrail.h"

/* 'qtrl': marks a SQLite file as a quotetrail database (PRAGMA application_id). */
#define QT_DB_APP_ID 0x7174726c

/* Schema version of this build: the length of the migrations array in store.c. */
int qt_db_schema_version(void);

#endif /* QT_STORE_H */
