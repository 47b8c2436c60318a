/*
 * store.c - the SQLite store: schema and migrations, batches, idempotent article storage, the
 * quote queries behind `quotetrail quotes`, the people queries behind `quotetrail people` and
 * the near-duplicate query behind `quotetrail dups`.
 *
 * An article is keyed by its content hash (see qt_store.h (1)); storing it again replaces its
 * analysis in place (2), so ingest is idempotent and `ingest --reprocess` keeps article identity.
 * Names and venues are stored folded (4) so queries match "khloe" to "Khloé Kardashian"; quote
 * text is indexed by FTS5 (3). Venues are normalised across articles: see "venues across
 * articles" below for what is learned and the rule that applies it. Near-duplicate articles are
 * found from each article's MinHash signature and LSH band keys alone ("near-duplicates").
 *
 * Design notes:
 *  (a) One connection per qt_db, used by one thread at a time (SQLITE_OPEN_NOMUTEX).
 *  (b) Every statement is prepared at most once per qt_db, on first use, and reset after each use:
 *      stmt_sql[] holds the fixed ones, quote_sql() builds the 8 filter variants of the quote
 *      query. No statement is left mid-step when a public function returns.
 *  (c) qt_db_put() wraps its writes in a SAVEPOINT, so one article is stored whole or not at all
 *      whether or not the caller opened a batch; a failed put leaves the batch as it was.
 *  (d) Messages for SQLite failures read "<what> database '<path>': <sqlite's errmsg>". They are
 *      formatted before any cleanup statement runs, because cleanup replaces sqlite3_errmsg().
 *  (e) A database that cannot be written is named for what it is and what to do, not in
 *      SQLite's words: a full disk or file size limit (SQLITE_FULL; SQLITE_IOERR with ENOSPC or
 *      EFBIG) and a read-only file (SQLITE_READONLY) in qt_db_fail(); a read-only file or
 *      directory up front in qt_db_open(), before SQLite creates or journals anything.
 *
 * Schema migrations (migrations[] below) run in order, all in one BEGIN IMMEDIATE transaction,
 * and set PRAGMA user_version to how many have run. Append new ones; never edit an old one.
 */
#include "store/qt_store.h"
#include "store/store_int.h"

#include "core/qt_core.h"
#include "link/qt_dates.h"
#include "link/qt_link.h"
#include "text/qt_text.h"
#include "quotes/qt_quotes.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

/* ---- schema ----------------------------------------------------------------------------------- */

static const char *const migrations[] = {
    /* 1: articles with their text, people and folded aliases, quotes with an FTS5 index. */
    "CREATE TABLE articles (\n"
    "    id             INTEGER PRIMARY KEY,    -- ingest order, kept across re-analysis\n"
    "    hash           TEXT NOT NULL UNIQUE,   -- xxh3-128 of the text: the article's key\n"
    "    ext_id         TEXT NOT NULL,          -- the record's id: caller's id, else the hash\n"
    "    source         TEXT,\n"
    "    url            TEXT,\n"
    "    title          TEXT,\n"
    "    published      TEXT,\n"
    "    text           TEXT NOT NULL,\n"
    "    engine_version INTEGER NOT NULL,       -- QT_ENGINE_VERSION of the last analysis\n"
    "    ingested_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),\n"
    "    analysed_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))\n"
    ");\n"
    "CREATE INDEX articles_engine ON articles(engine_version);\n"
    "CREATE TABLE people (\n"
    "    id          INTEGER PRIMARY KEY,\n"
    "    article     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    ord         INTEGER NOT NULL,          -- index in the article's people[]\n"
    "    name        TEXT NOT NULL,\n"
    "    name_folded TEXT NOT NULL,\n"
    "    mentions    INTEGER NOT NULL DEFAULT 0,\n"
    "    n_quotes    INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX people_article ON people(article);\n"
    "CREATE INDEX people_name ON people(name_folded);\n"
    "CREATE TABLE aliases (                     -- a person's name and every alias, folded\n"
    "    person  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,\n"
    "    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    alias   TEXT NOT NULL,\n"
    "    folded  TEXT NOT NULL,\n"
    "    is_name INTEGER NOT NULL DEFAULT 0,\n"
    "    PRIMARY KEY (person, folded)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX aliases_article ON aliases(article);\n"
    "CREATE INDEX aliases_folded ON aliases(folded);\n"
    "CREATE TABLE quotes (\n"
    "    id              INTEGER PRIMARY KEY,\n"
    "    article         INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    ord             INTEGER NOT NULL,      -- index in the article's quotes[]\n"
    "    qid             TEXT NOT NULL,         -- the record's quote id\n"
    "    in_title        INTEGER NOT NULL DEFAULT 0,\n"
    "    start           INTEGER NOT NULL,\n"
    "    \"end\"           INTEGER NOT NULL,\n"
    "    text            TEXT NOT NULL,         -- text[start:end], or the title's slice\n"
    "    kind            TEXT NOT NULL CHECK (kind IN ('direct', 'partial', 'nested')),\n"
    "    parent_qid      TEXT,                  -- qid of the enclosing quote\n"
    "    speaker         TEXT,\n"
    "    speaker_folded  TEXT,\n"
    "    person          INTEGER REFERENCES people(id) ON DELETE SET NULL,\n"
    "    speaker_kind    TEXT NOT NULL\n"
    "                    CHECK (speaker_kind IN ('person', 'organisation', 'anonymous', 'unknown')),\n"
    "    speaker_mention TEXT,\n"
    "    cue             TEXT,\n"
    "    venue           TEXT,\n"
    "    venue_folded    TEXT,\n"
    "    confidence      REAL NOT NULL DEFAULT 0,\n"
    "    CHECK (start < \"end\")\n"
    ");\n"
    "CREATE INDEX quotes_order ON quotes(article, in_title DESC, start, ord);\n"
    "CREATE INDEX quotes_person ON quotes(person);\n"
    "CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id',\n"
    "    tokenize='unicode61 remove_diacritics 2');\n"
    "CREATE TRIGGER quotes_fts_ai AFTER INSERT ON quotes BEGIN\n"
    "    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);\n"
    "END;\n"
    "CREATE TRIGGER quotes_fts_ad AFTER DELETE ON quotes BEGIN\n"
    "    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);\n"
    "END;\n"
    "CREATE TRIGGER quotes_fts_au AFTER UPDATE OF text ON quotes BEGIN\n"
    "    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);\n"
    "    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);\n"
    "END;\n"
    "CREATE TABLE blocks (\n"
    "    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    ord     INTEGER NOT NULL,\n"
    "    start   INTEGER NOT NULL,\n"
    "    \"end\"   INTEGER NOT NULL,\n"
    "    role    TEXT NOT NULL,\n"
    "    PRIMARY KEY (article, ord)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE warnings (\n"
    "    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    ord     INTEGER NOT NULL,\n"
    "    message TEXT NOT NULL,\n"
    "    PRIMARY KEY (article, ord)\n"
    ") WITHOUT ROWID;\n",
    /* 2: whether the title came with the input. A .txt article's title is its first line, and
     * re-analysis must not be handed it as a separate title (its quotes would count twice). */
    "ALTER TABLE articles ADD COLUMN title_given INTEGER NOT NULL DEFAULT 1;\n",
    /* 3: venues across articles (see "venues across articles" below). Per article: the venue
     * names its quotes use, and the short forms it shows to stand for a longer name. Summed
     * over the collection by triggers, so learning is incremental and independent of ingest
     * order. Analyses stored before this carry no venue keys: engine_version 0 marks them for
     * re-analysis by `ingest --reprocess` (or by ingesting them again). */
    "ALTER TABLE quotes ADD COLUMN venue_key TEXT;    -- qt_quote.venue_key of the analysis\n"
    "CREATE TABLE article_venues (\n"
    "    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    key     TEXT NOT NULL,                  -- qt_quote.venue_key\n"
    "    name    TEXT NOT NULL,                  -- qt_quote.venue, as the article gave it\n"
    "    folded  TEXT NOT NULL,                  -- fold_key(name)\n"
    "    PRIMARY KEY (article, key, name)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE venue_names (                  -- article_venues summed over articles\n"
    "    key      TEXT NOT NULL,\n"
    "    name     TEXT NOT NULL,\n"
    "    folded   TEXT NOT NULL,\n"
    "    articles INTEGER NOT NULL,              -- articles whose quotes use this name\n"
    "    PRIMARY KEY (key, name)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE venue_evidence (               -- 'told Quay' where 'Quay Weekly' is a venue\n"
    "    article   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    short_key TEXT NOT NULL,\n"
    "    full_key  TEXT NOT NULL,\n"
    "    PRIMARY KEY (article, short_key, full_key)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE venue_alias (                  -- venue_evidence summed over articles\n"
    "    short_key TEXT NOT NULL,\n"
    "    full_key  TEXT NOT NULL,\n"
    "    articles  INTEGER NOT NULL,             -- articles that showed this pair\n"
    "    PRIMARY KEY (short_key, full_key)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TRIGGER article_venues_ai AFTER INSERT ON article_venues BEGIN\n"
    "    INSERT INTO venue_names(key, name, folded, articles)\n"
    "        VALUES (new.key, new.name, new.folded, 1)\n"
    "        ON CONFLICT(key, name) DO UPDATE SET articles = articles + 1;\n"
    "END;\n"
    "CREATE TRIGGER article_venues_ad AFTER DELETE ON article_venues BEGIN\n"
    "    UPDATE venue_names SET articles = articles - 1 WHERE key = old.key AND name = old.name;\n"
    "    DELETE FROM venue_names WHERE key = old.key AND name = old.name AND articles <= 0;\n"
    "END;\n"
    "CREATE TRIGGER venue_evidence_ai AFTER INSERT ON venue_evidence BEGIN\n"
    "    INSERT INTO venue_alias(short_key, full_key, articles)\n"
    "        VALUES (new.short_key, new.full_key, 1)\n"
    "        ON CONFLICT(short_key, full_key) DO UPDATE SET articles = articles + 1;\n"
    "END;\n"
    "CREATE TRIGGER venue_evidence_ad AFTER DELETE ON venue_evidence BEGIN\n"
    "    UPDATE venue_alias SET articles = articles - 1\n"
    "        WHERE short_key = old.short_key AND full_key = old.full_key;\n"
    "    DELETE FROM venue_alias\n"
    "        WHERE short_key = old.short_key AND full_key = old.full_key AND articles <= 0;\n"
    "END;\n"
    "UPDATE articles SET engine_version = 0;\n",
    /* 4: each stored person's kind (qt_person.kind): a person, or an organisation or outlet
     * speaking ("the Clinton campaign said"), so `people` can tell them apart. Rows stored
     * before this had no kind and take 'person'; as in migration 3, engine_version 0 marks
     * their articles for re-analysis by `ingest --reprocess`, which stores the kind found. */
    "ALTER TABLE people ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'\n"
    "    CHECK (kind IN ('person', 'organisation'));\n"
    "UPDATE articles SET engine_version = 0;\n",
    /* 5: near-duplicate articles (see "near-duplicates" below): each article's MinHash
     * signature and its LSH band keys, the only things qt_db_each_dup() reads. lsh has no
     * index on article, to keep the index at 16 small rows per article: qt_db_put() removes an
     * article's rows by the keys of its stored signature, and deleting an article (which the
     * store never does) finds them by a scan. Articles stored before this have no signature;
     * as in migrations 3 and 4, engine_version 0 marks them for `ingest --reprocess`. */
    "CREATE TABLE signatures (\n"
    "    article  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    minhash  BLOB NOT NULL,                 -- 96 uint16 values, little-endian: 192 bytes\n"
    "    shingles INTEGER NOT NULL               -- qt_article.shingles\n"
    ");\n"
    "CREATE TABLE lsh (\n"
    "    band    INTEGER NOT NULL,               -- 0..15\n"
    "    key     INTEGER NOT NULL,               -- the band's key, as a signed 32-bit value\n"
    "    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    PRIMARY KEY (band, key, article)\n"
    ") WITHOUT ROWID;\n"
    "UPDATE articles SET engine_version = 0;\n",
    /* 6: every (id, source) a stored text arrived under (see "near-duplicates: copies"). An
     * article is stored once per text, with the id and source it first came with; a copy
     * under another id or from another file adds a row here and nothing else. The rows are a
     * set, so ingesting the same input again adds nothing and the rows do not depend on the
     * order the copies came in. source is '' when unknown (the key cannot hold NULL). Each
     * stored article starts with its own id and source. */
    "CREATE TABLE copies (\n"
    "    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    ext_id  TEXT NOT NULL,                  -- as articles.ext_id: the id, else the hash\n"
    "    source  TEXT NOT NULL,                  -- as articles.source, '' for none\n"
    "    PRIMARY KEY (article, ext_id, source)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO copies(article, ext_id, source)\n"
    "    SELECT id, ext_id, coalesce(source, '') FROM articles WHERE true\n"
    "    ON CONFLICT DO NOTHING;\n",
    /* 7: quote keys (see "quote clusters" below): the key hashes (qt_quote.key) of every
     * top-level body quote, direct or partial, found by hash to join quotes across articles.
     * Replaced with the article's quotes (the cascade from quotes). Quotes stored before this
     * have no keys; as in migrations 3-5, engine_version 0 marks them for re-analysis. */
    "CREATE TABLE qkeys (\n"
    "    quote INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,\n"
    "    hash  INTEGER NOT NULL,                 -- a key hash, as a signed 32-bit value\n"
    "    PRIMARY KEY (quote, hash)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX qkeys_hash ON qkeys(hash);\n"
    "UPDATE articles SET engine_version = 0;\n",
    /* 8: each copy's own published date, so that the earliest carrier of a quote cluster can be
     * a copy published before the text first stored. NULL when unknown; a copy recorded more
     * than once keeps the least date (so the order copies came in does not show). Rows before
     * this take their article's date: the best known. */
    "ALTER TABLE copies ADD COLUMN published TEXT;   -- as articles.published, NULL for none\n"
    "UPDATE copies SET published =\n"
    "    (SELECT nullif(a.published, '') FROM articles a WHERE a.id = copies.article);\n",
    /* 9: signatures keep the order of their bin minima (src/link/minhash.c (3)) and LSH bands
     * are formed in memory by qt_db_each_dup(), not stored: the lsh table goes, which takes
     * the store from about 460 to about 230 bytes per article. Old signatures cannot be
     * compared with new ones, so they go too; engine_version 0 marks their articles for
     * `ingest --reprocess`, as in migrations 3-5 and 7. */
    "DROP TABLE IF EXISTS lsh;\n"
    "DELETE FROM signatures;\n"
    "UPDATE articles SET engine_version = 0;\n",
    /* 10: entity keys (qt_article.names): the names, two words or more, of every person,
     * organisation and place an article names, quoted or not, by which `stories` links
     * articles. Replaced with the article's analysis, as its people are. No index on hash:
     * stories reads the whole table once and pairs the keys in memory. Articles stored before
     * this have no keys (stories falls back on their quoted people's names); as in migrations
     * 3-5, 7 and 9, engine_version 0 marks them for `ingest --reprocess`. */
    "CREATE TABLE article_names (\n"
    "    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    hash    INTEGER NOT NULL,               -- an entity key, as a signed 32-bit value\n"
    "    PRIMARY KEY (article, hash)\n"
    ") WITHOUT ROWID;\n"
    "UPDATE articles SET engine_version = 0;\n",
    /* 11: dates (issue 6). The record's site, byline and rating, kept as the analysis gives
     * them; each article's time expressions (qt_article.times), replaced with its analysis as
     * its quotes are; and the date inferred for an article none of whose copies is dated,
     * which qt_db_infer_dates() recomputes for the whole collection (src/store/dates.c) and
     * which is therefore never part of an article's analysis. Articles stored before this have
     * no times; as in migrations 3-5, 7, 9 and 10, engine_version 0 marks them for `ingest
     * --reprocess`. */
    "ALTER TABLE articles ADD COLUMN site TEXT;\n"
    "ALTER TABLE articles ADD COLUMN byline TEXT;\n"
    "ALTER TABLE articles ADD COLUMN rating TEXT;\n"
    "CREATE TABLE times (\n"
    "    article    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    ord        INTEGER NOT NULL,            -- index in the article's times[]\n"
    "    start      INTEGER NOT NULL,\n"
    "    \"end\"      INTEGER NOT NULL,\n"
    "    in_title   INTEGER NOT NULL DEFAULT 0,\n"
    "    type       TEXT,                        -- DATE, TIME, DURATION, SET\n"
    "    value      TEXT,                        -- TIMEX3 value, NULL when unresolved\n"
    "    mod        TEXT,\n"
    "    age_of     TEXT,                        -- an age's person, as the article names them\n"
    "    birth_from TEXT,\n"
    "    birth_to   TEXT,\n"
    "    PRIMARY KEY (article, ord)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE article_dates (                -- qt_db_infer_dates(): the whole table at once\n"
    "    article  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,\n"
    "    \"from\"   TEXT,                          -- ISO prefix, inclusive; NULL when open\n"
    "    \"to\"     TEXT,\n"
    "    evidence TEXT NOT NULL\n"
    ");\n"
    "UPDATE articles SET engine_version = 0;\n",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

int qt_db_schema_version(void) { return N_MIGRATIONS; }

/* ---- statements ------------------------------------------------------------------------------- */

enum {
    S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
    S_LOOKUP, S_ARTICLE_UPSERT,
    S_DEL_QUOTES, S_DEL_ALIASES, S_DEL_PEOPLE, S_DEL_BLOCKS, S_DEL_WARNINGS,
    S_DEL_VENUES, S_DEL_EVIDENCE,
    S_INS_PERSON, S_INS_ALIAS, S_INS_QUOTE, S_INS_BLOCK, S_INS_WARNING,
    S_INS_VENUE, S_INS_EVIDENCE,
    S_STALE_IDS, S_STALE_GET,
    S_PEOPLE_ALL, S_PEOPLE_MATCH, S_PERSON_OWNERS, S_PERSON_EXISTS, S_PERSON_ROWS,
    S_PERSON_ALIASES,
    S_SIG_GET, S_SIG_PUT, S_SIG_DEL,
    S_DUP_SAVEPOINT, S_DUP_RELEASE, S_DUP_ROLLBACK_TO, S_DUP_COUNTS, S_DUP_SIGS, S_DUP_TEXT, S_DUP_ARTICLE,
    S_ARTICLE_ID, S_COPY_INS, S_DUP_IDS, S_DUP_COPIES,
    S_QKEY_INS, S_QC_QUOTES, S_QC_SCAN, S_QC_COPIES,
    S_DEL_NAMES, S_INS_NAME,
    S_DEL_TIMES, S_INS_TIME,
    N_STMT
};

static const char *const stmt_sql[N_STMT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT qt_put",
    [S_RELEASE] = "RELEASE qt_put",
    [S_ROLLBACK_TO] = "ROLLBACK TO qt_put",
    [S_LOOKUP] = "SELECT engine_version, " QT_DB_HAS_TEXT " FROM articles WHERE hash = ?1",
    /* Identity (source, ext_id, url, published, text) stays as first stored: (1); but a text
     * stored empty (a record without its text) is filled in when it comes whole. */
    [S_ARTICLE_UPSERT] =
        "INSERT INTO articles(hash, ext_id, source, url, title, published, text, engine_version,"
        " title_given, site, byline, rating) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11, ?12)"
        " ON CONFLICT(hash) DO UPDATE SET engine_version = excluded.engine_version,"
        "  title = coalesce(excluded.title, articles.title),"
        "  title_given = excluded.title_given,"
        "  text = CASE WHEN length(CAST(articles.text AS BLOB)) = 0 THEN excluded.text"
        "         ELSE articles.text END,"
        /* the site came with the input, which a re-analysis may not have: keep the known one */
        "  site = coalesce(excluded.site, articles.site),"
        "  byline = coalesce(excluded.byline, articles.byline),"
        "  rating = excluded.rating,"
        "  analysed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " RETURNING id",
    [S_DEL_QUOTES] = "DELETE FROM quotes WHERE article = ?1",
    [S_DEL_ALIASES] = "DELETE FROM aliases WHERE article = ?1",
    [S_DEL_PEOPLE] = "DELETE FROM people WHERE article = ?1",
    [S_DEL_BLOCKS] = "DELETE FROM blocks WHERE article = ?1",
    [S_DEL_WARNINGS] = "DELETE FROM warnings WHERE article = ?1",
    [S_DEL_VENUES] = "DELETE FROM article_venues WHERE article = ?1",
    [S_DEL_EVIDENCE] = "DELETE FROM venue_evidence WHERE article = ?1",
    [S_INS_PERSON] = "INSERT INTO people(article, ord, name, name_folded, mentions, n_quotes,"
                     " kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_INS_ALIAS] = "INSERT INTO aliases(person, article, alias, folded, is_name)"
                    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(person, folded) DO NOTHING",
    [S_INS_QUOTE] =
        "INSERT INTO quotes(article, ord, qid, in_title, start, \"end\", text, kind, parent_qid,"
        " speaker, speaker_folded, person, speaker_kind, speaker_mention, cue, venue,"
        " venue_folded, confidence, venue_key)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19)",
    [S_INS_BLOCK] = "INSERT INTO blocks(article, ord, start, \"end\", role)"
                    " VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_INS_WARNING] = "INSERT INTO warnings(article, ord, message) VALUES (?1, ?2, ?3)",
    /* Once per article, however many of its quotes repeat a name or a pair (the triggers count
     * articles, not quotes). */
    [S_INS_VENUE] = "INSERT INTO article_venues(article, key, name, folded)"
                    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
    [S_INS_EVIDENCE] = "INSERT INTO venue_evidence(article, short_key, full_key)"
                       " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    [S_STALE_IDS] = "SELECT id FROM articles WHERE engine_version < ?1 AND " QT_DB_HAS_TEXT
                    " ORDER BY id",
    [S_STALE_GET] = "SELECT source, ext_id, hash, CASE WHEN title_given THEN title END, url,"
                    " published, text, site FROM articles WHERE id = ?1",
    /* People (see qt_db_each_person()). Every ?1 is a folded key (4); an empty key is a person
     * whose name folded to nothing, never listed. */
    [S_PEOPLE_ALL] = "SELECT DISTINCT name_folded FROM people WHERE name_folded <> ''",
    /* The quote query's speaker rule: words of a name, or exactly an alias. */
    [S_PEOPLE_MATCH] =
        "SELECT name_folded FROM (SELECT DISTINCT name_folded FROM people)"
        " WHERE name_folded <> '' AND qt_has_words(name_folded, ?1)"
        " UNION SELECT p.name_folded FROM aliases al JOIN people p ON p.id = al.person"
        " WHERE al.folded = ?1 AND p.name_folded <> ''",
    [S_PERSON_OWNERS] =
        "SELECT DISTINCT p.name_folded FROM aliases al JOIN people p ON p.id = al.person"
        " WHERE al.folded = ?1 AND NOT al.is_name AND p.name_folded NOT IN (?1, '') LIMIT 2",
    [S_PERSON_EXISTS] = "SELECT 1 FROM people WHERE name_folded = ?1 LIMIT 1",
    [S_PERSON_ROWS] = "SELECT article, n_quotes, mentions, kind = 'organisation' FROM people"
                      " WHERE name_folded = ?1",
    [S_PERSON_ALIASES] =
        "SELECT al.folded, al.alias, count(*) FROM people p JOIN aliases al ON al.person = p.id"
        " WHERE p.name_folded = ?1 GROUP BY al.folded, al.alias",
    /* Signatures (see "near-duplicates"). */
    [S_SIG_GET] = "SELECT minhash, shingles FROM signatures WHERE article = ?1",
    [S_SIG_PUT] = "INSERT INTO signatures(article, minhash, shingles) VALUES (?1, ?2, ?3)"
                  " ON CONFLICT(article) DO UPDATE SET minhash = excluded.minhash,"
                  " shingles = excluded.shingles",
    [S_SIG_DEL] = "DELETE FROM signatures WHERE article = ?1",
    [S_DUP_SAVEPOINT] = "SAVEPOINT qt_dups",
    [S_DUP_RELEASE] = "RELEASE qt_dups",
    [S_DUP_ROLLBACK_TO] = "ROLLBACK TO qt_dups",
    [S_DUP_COUNTS] = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM signatures)",
    /* Every signature, in row id order (n3). */
    [S_DUP_SIGS] = "SELECT article, minhash, shingles FROM signatures ORDER BY article",
    [S_DUP_TEXT] = "SELECT text FROM articles WHERE id = ?1",
    [S_DUP_ARTICLE] = "SELECT ext_id, hash, source, title FROM articles WHERE id = ?1",
    /* Copies (see "near-duplicates: copies"). */
    [S_ARTICLE_ID] = "SELECT id FROM articles WHERE hash = ?1",
    [S_COPY_INS] = "INSERT INTO copies(article, ext_id, source, published)"
                   " VALUES (?1, ?2, coalesce(?3, ''), nullif(?4, ''))"
                   " ON CONFLICT(article, ext_id, source) DO UPDATE SET published = excluded.published"
                   " WHERE excluded.published IS NOT NULL"
                   " AND (published IS NULL OR excluded.published < published)",
    /* An article's ids, each with the least source it came from: (n4). */
    [S_DUP_IDS] = "SELECT ext_id, min(nullif(source, '')) FROM copies WHERE article = ?1"
                  " GROUP BY ext_id ORDER BY ext_id",
    /* The ids of every article that has more than one. */
    [S_DUP_COPIES] =
        "SELECT c.article, c.ext_id, min(nullif(c.source, '')), a.hash, a.title, s.shingles"
        " FROM copies c JOIN articles a ON a.id = c.article"
        " LEFT JOIN signatures s ON s.article = c.article"
        " WHERE c.article IN (SELECT article FROM copies GROUP BY article"
        "                     HAVING count(DISTINCT ext_id) > 1)"
        " GROUP BY c.article, c.ext_id ORDER BY c.article, c.ext_id",
    /* Quote keys and clusters (see "quote clusters"). */
    [S_QKEY_INS] = "INSERT INTO qkeys(quote, hash) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    [S_DEL_NAMES] = "DELETE FROM article_names WHERE article = ?1",
    [S_DEL_TIMES] = "DELETE FROM times WHERE article = ?1",
    [S_INS_TIME] = "INSERT INTO times(article, ord, start, \"end\", in_title, type, value, mod,"
                   " age_of, birth_from, birth_to)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [S_INS_NAME] = "INSERT INTO article_names(article, hash) VALUES (?1, ?2)"
                   " ON CONFLICT DO NOTHING",
    [S_QC_QUOTES] =
        "SELECT q.id, q.article, q.start, q.\"end\", q.text, a.ext_id, a.published,"
        " (SELECT count(*) FROM qkeys k WHERE k.quote = q.id), a.hash"
        " FROM quotes q JOIN articles a ON a.id = q.article"
        " WHERE q.id IN (SELECT quote FROM qkeys) ORDER BY q.id",
    /* The hash index's order: each hash's quotes together. */
    [S_QC_SCAN] = "SELECT hash, quote FROM qkeys ORDER BY hash, quote",
    /* Each id with its least date from any source (min() skips NULLs). */
    [S_QC_COPIES] = "SELECT c.article, c.ext_id, min(c.published), d.\"from\", d.\"to\","
                    " d.evidence FROM copies c"
                    " LEFT JOIN article_dates d ON d.article = c.article"
                    " WHERE c.article IN (SELECT q.article FROM quotes q JOIN qkeys k"
                    "                     ON k.quote = q.id)"
                    " GROUP BY c.article, c.ext_id ORDER BY c.article, c.ext_id",
};


/* Bits of the quote query's filter; each combination is its own prepared statement. */
enum { F_SPEAKER = 1, F_VENUE = 2, F_SEARCH = 4, N_QUOTE_STMT = 8 };

struct qt_db {
    sqlite3 *h;
    char *path;                              /* as given to qt_db_open(), for messages */
    int readonly;
    int fail_code;                           /* the extended code qt_db_fail() last reported */
    sqlite3_stmt *stmt[N_STMT];              /* prepared on first use, see (b) */
    sqlite3_stmt *quote_stmt[N_QUOTE_STMT];  /* indexed by F_* bits */
    qt_buf key;                              /* scratch for qt_db_fold_key() */
    qt_buf key2;                             /* a second key: the venue filter's */
    qt_buf query;                            /* scratch for the FTS5 query */
    qt_arena scratch;                        /* per-call memory: person_refs, stale rows */
};

/* qt_db_fail(): see store_int.h. */
qt_status qt_db_fail(qt_db *db, qt_err *err, const char *fmt, ...)
{
    int os_errno = errno;   /* first: see below */
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *msg = db->h ? sqlite3_errmsg(db->h) : "out of memory";
    int code = db->h ? sqlite3_extended_errcode(db->h) : SQLITE_NOMEM;
    int sys = db->h ? sqlite3_system_errno(db->h) : 0;
    db->fail_code = code;
    /* A write refused for a file size limit fails with EFBIG, which SQLite reports as "disk I/O
     * error" (SQLITE_IOERR_WRITE), and a failed COMMIT does not keep the OS error for
     * sqlite3_system_errno(): errno, untouched since, still has it. */
    if (sys == 0 && code == SQLITE_IOERR_WRITE)
        sys = os_errno;
    /* What SQLite says of a full disk, a file size limit or a file that cannot be written
     * does not say what to do: (e). */
    if ((code & 0xff) == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR &&
                                         (sys == ENOSPC || sys == EFBIG
#ifdef EDQUOT
                                          || sys == EDQUOT
#endif
                                          )))
        msg = "disk full or file size limit reached (make room, or raise the limit)";
    else if ((code & 0xff) == SQLITE_READONLY)
        msg = "the file or its directory is read-only (make both writable)";
    return qt_fail(err, QT_EDB, "%s database '%s': %s", what, db->path, msg);
}

/* Return the prepared statement for `which`, preparing it on first use; NULL on failure with
 * sqlite3_errmsg() set. */
static sqlite3_stmt *stmt(qt_db *db, int which)
{
    if (!db->stmt[which])
        sqlite3_prepare_v3(db->h, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &db->stmt[which], NULL);
    return db->stmt[which];
}

/* Step s to completion and reset it. Returns SQLITE_OK or the failing SQLite code, with
 * sqlite3_errmsg() describing it (sqlite3_reset() re-reports the step's error). */
int qt_db_run(sqlite3_stmt *s)
{
    if (!s)
        return SQLITE_ERROR;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    int rc2 = sqlite3_reset(s);
    return rc == SQLITE_DONE ? rc2 : rc2 != SQLITE_OK ? rc2 : rc;
}

/* Finish a statement stepped by hand: rc is the last step's result (SQLITE_OK when the loop
 * stopped early on purpose). Returns SQLITE_OK or the first error. */
int qt_db_finish(sqlite3_stmt *s, int rc)
{
    int rc2 = sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_OK ? rc2 : rc;
}

int qt_db_bind_str(sqlite3_stmt *s, int i, const char *z)
{
    return z ? sqlite3_bind_text(s, i, z, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

static int bind_key(sqlite3_stmt *s, int i, const qt_buf *k)
{
    return sqlite3_bind_text(s, i, k->data ? k->data : "", (int)k->len, SQLITE_TRANSIENT);
}

const char *qt_db_col_str(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* ---- folding ---------------------------------------------------------------------------------- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A byte that belongs to a word of a folded name: ASCII letters and digits, and every byte of a
 * non-ASCII character (folding has already removed accents and unified punctuation). */
static int is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static int has_non_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* Set b to the matching key of s, see qt_store.h (4). Returns QT_OK or QT_ENOMEM.
 *
 * Non-ASCII input is decomposed (NFKD) before qt_fold(): qt_fold() in utf8proc 2.6 leaves
 * precomposed letters whole ("Valdés" stays "valdés") because UTF8PROC_STRIPMARK only acts on
 * decomposed input and it does not ask for UTF8PROC_DECOMPOSE. On decomposed input it drops the
 * marks. The result is the same key qt_fold() will give once it decomposes by itself, so keys
 * stored now stay valid after that fix. */
qt_status qt_db_fold_key(qt_buf *b, const char *s)
{
    size_t len = strlen(s);
    utf8proc_uint8_t *nfkd = NULL;
    qt_buf_reset(b);
    if (has_non_ascii(s, len)) {
        utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                          &nfkd, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT);
        if (n == UTF8PROC_ERROR_NOMEM)
            return QT_ENOMEM;
        if (n >= 0) {
            s = (const char *)nfkd;
            len = (size_t)n;
        }   /* invalid UTF-8: fold it as it is, qt_fold() replaces the bad bytes */
    }
    /* One input character folds to at most 8 code points of 4 bytes, and a non-ASCII input
     * character takes at least 2 bytes, so 16 bytes per input byte always fit. */
    if (len > (SIZE_MAX - 1) / 16 || qt_buf_grow(b, len * 16 + 1) != QT_OK) {
        free(nfkd);
        return QT_ENOMEM;
    }
    size_t n = qt_fold(s, len, b->data, b->cap);
    free(nfkd);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b->data[i];
        if (is_space(c)) {
            if (o > 0 && b->data[o - 1] != ' ')
                b->data[o++] = ' ';
        } else {
            b->data[o++] = (char)c;
        }
    }
    if (o > 0 && b->data[o - 1] == ' ')
        o--;
    b->data[o] = '\0';
    b->len = o;
    return QT_OK;
}

/* Does hay contain w[0..wl) bounded by non-word bytes on both sides? */
static int has_word(const char *hay, size_t hay_len, const char *w, size_t wl)
{
    for (size_t i = 0; i + wl <= hay_len; i++) {
        if (memcmp(hay + i, w, wl) != 0)
            continue;
        int left = i == 0 || !is_word_byte((unsigned char)hay[i - 1]);
        int right = i + wl == hay_len || !is_word_byte((unsigned char)hay[i + wl]);
        if (left && right)
            return 1;
    }
    return 0;
}

/* SQL qt_has_words(hay, words): 1 when every word of `words` is a whole word of `hay` (both
 * folded), 0 otherwise, and 0 when `words` has no word at all. Not used by the schema, so the
 * database stays readable by the stock sqlite3 shell. */
static void sql_has_words(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *hay = (const char *)sqlite3_value_text(argv[0]);
    size_t hay_len = (size_t)sqlite3_value_bytes(argv[0]);
    const char *w = (const char *)sqlite3_value_text(argv[1]);
    size_t w_len = (size_t)sqlite3_value_bytes(argv[1]);
    if (!hay || !w) {
        sqlite3_result_null(ctx);
        return;
    }
    int n_words = 0;
    size_t i = 0;
    while (i < w_len) {
        while (i < w_len && !is_word_byte((unsigned char)w[i]))
            i++;
        size_t start = i;
        while (i < w_len && is_word_byte((unsigned char)w[i]))
            i++;
        if (i == start)
            break;
        n_words++;
        if (!has_word(hay, hay_len, w + start, i - start)) {
            sqlite3_result_int(ctx, 0);
            return;
        }
    }
    sqlite3_result_int(ctx, n_words > 0);
}

/* ---- open and migrate ------------------------------------------------------------------------- */

/* Run one single-value PRAGMA or query at open time; *out receives its integer. */
static int query_int(qt_db *db, const char *sql, int *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(s, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    int rc2 = sqlite3_finalize(s);
    return rc != SQLITE_OK ? rc : rc2;
}

/* Read the file's identity. *version receives user_version; *fresh is set for a file with no
 * schema at all (new or empty). Fails for a SQLite file that is not ours or is too new.
 *
 * The three values are read in one transaction: read one by one, they could straddle another
 * ingest's commit of the migrations, and a file seen with its tables but not yet its
 * application_id would be refused as not ours. */
static qt_status check_identity(qt_db *db, int *version, int *fresh, qt_err *err)
{
    int app_id = 0, n_objects = 0;
    int own = sqlite3_get_autocommit(db->h);   /* migrate() reads it under its own BEGIN */
    if ((own && sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) ||
        query_int(db, "PRAGMA application_id", &app_id) ||
        query_int(db, "PRAGMA user_version", version) ||
        query_int(db, "SELECT count(*) FROM sqlite_schema", &n_objects) ||
        (own && sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)) {
        qt_status rc = qt_db_fail(db, err, "cannot read");
        if (own && !sqlite3_get_autocommit(db->h))
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    *fresh = app_id == 0 && *version == 0 && n_objects == 0;
    if (!*fresh && app_id != QT_DB_APP_ID)
        return qt_fail(err, QT_EDB, "'%s' is not a quotetrail database", db->path);
    if (*version > N_MIGRATIONS)
        return qt_fail(err, QT_EDB,
                       "database '%s' has schema version %d, newer than this quotetrail knows (%d)",
                       db->path, *version, N_MIGRATIONS);
    return QT_OK;
}

/* Apply migrations[version..] in one transaction. Another process may have migrated between
 * our first look and BEGIN IMMEDIATE, so the version is read again under the write lock. */
static qt_status migrate(qt_db *db, int version, qt_err *err)
{
    qt_status rc = QT_OK;
    int fresh = 0;
    if (version == N_MIGRATIONS)
        return QT_OK;
    if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return qt_db_fail(db, err, "cannot migrate");
    rc = check_identity(db, &version, &fresh, err);
    for (int v = version; rc == QT_OK && v < N_MIGRATIONS; v++) {
        if (sqlite3_exec(db->h, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
            rc = qt_db_fail(db, err, "cannot apply migration %d to", v + 1);
    }
    if (rc == QT_OK && version < N_MIGRATIONS) {
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                 QT_DB_APP_ID, N_MIGRATIONS);
        if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
            rc = qt_db_fail(db, err, "cannot set the schema version of");
    }
    if (rc == QT_OK && sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = qt_db_fail(db, err, "cannot commit migrations to");
    if (rc != QT_OK)
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Can the database at path be written, with its journal? SQLite creates path-wal (and the
 * file itself, if new) in the file's directory, and reports a directory it cannot write to
 * only at the first write, as "attempt to write a readonly database" or "unable to open
 * database file". access() asks with the real ids, which are the ones that open files here. */
static qt_status check_writable(const char *path, qt_err *err)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (access(path, F_OK) == 0 && access(path, W_OK) != 0 && errno != ENOENT)
        return qt_fail(err, QT_EDB, "cannot write database '%s': the file is read-only (make it "
                       "writable; the query commands can still read it)", path);
    if (access(dir, W_OK) != 0 && errno == ENOENT)
        return qt_fail(err, QT_EDB, "cannot create database '%s': there is no directory '%s'",
                       path, dir);
    if (access(dir, W_OK) != 0)
        return qt_fail(err, QT_EDB, "cannot write database '%s': its directory '%s' is "
                       "read-only, and the database needs to keep a journal beside it (make "
                       "the directory writable, or move the database)", path, dir);
    return QT_OK;
}

/* Did reading fail because SQLite cannot create the -shm file a WAL database is read with,
 * in a directory it may not write to? Asked of fail_code: a rollback after the failure has
 * replaced sqlite3_extended_errcode(). */
static int cant_share(qt_db *db)
{
    return db->fail_code == SQLITE_READONLY_CANTINIT ||
           db->fail_code == SQLITE_READONLY_DIRECTORY;
}

/* Open db->path again, read-only, as an immutable file: no -shm, no locks. Right only when
 * there is no -wal beside it, so that the file holds every commit; and then nothing can write
 * it, for a writer would need to create the -wal in the same read-only directory. A database
 * with a -wal to recover must first be opened where it can be written. */
static qt_status reopen_immutable(qt_db *db, qt_err *err)
{
    qt_buf uri = QT_BUF_INIT;
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", db->path);
    if (access(wal, F_OK) == 0)
        return qt_fail(err, QT_EDB, "cannot read database '%s': its directory is read-only "
                       "and its write-ahead log '%s' must be recovered first (run quotetrail "
                       "ingest on it where it can be written)", db->path, wal);
    qt_status rc = qt_buf_append(&uri, "file:", 5);
    for (const char *p = db->path; rc == QT_OK && *p; p++) {
        char esc[4];
        if (*p == '%' || *p == '?' || *p == '#') {
            snprintf(esc, sizeof esc, "%%%02X", (unsigned char)*p);
            rc = qt_buf_append(&uri, esc, 3);
        } else {
            rc = qt_buf_append(&uri, p, 1);
        }
    }
    if (rc == QT_OK)
        rc = qt_buf_append(&uri, "?immutable=1", 13);   /* with the terminating NUL */
    if (rc != QT_OK) {
        qt_buf_release(&uri);
        return qt_fail(err, QT_ENOMEM, "cannot open database '%s': out of memory", db->path);
    }
    sqlite3_close_v2(db->h);
    db->h = NULL;
    int src = sqlite3_open_v2(uri.data, &db->h,
                              SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    qt_buf_release(&uri);
    if (src != SQLITE_OK)
        return qt_db_fail(db, err, "cannot open");
    if (sqlite3_exec(db->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        return qt_db_fail(db, err, "cannot open");
    return QT_OK;
}

qt_status qt_db_open(qt_db **out, const char *path, int readonly, qt_err *err)
{
    qt_status rc = QT_OK;
    int version = 0, fresh = 0;
    if (out)
        *out = NULL;
    if (!out || !path || !*path)
        return qt_fail(err, QT_EINVAL, "no database path given");
    if (readonly) {
        /* SQLITE_OPEN_READONLY never creates a file, but its message for a missing one
         * ("unable to open database file") does not say what to do about it. */
        struct stat st;
        if (stat(path, &st) != 0) {
            if (errno == ENOENT)
                return qt_fail(err, QT_EDB, "no database at '%s' (run quotetrail ingest first)",
                               path);
            return qt_fail(err, QT_EDB, "cannot open database '%s': %s", path, strerror(errno));
        }
    }
    qt_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = strdup(path))) {
        free(db);
        return qt_fail(err, QT_ENOMEM, "cannot open database '%s': out of memory", path);
    }
    db->readonly = readonly;
    db->key = (qt_buf)QT_BUF_INIT;
    db->key2 = (qt_buf)QT_BUF_INIT;
    db->query = (qt_buf)QT_BUF_INIT;
    db->scratch = (qt_arena)QT_ARENA_INIT;

    if (!readonly) {
        rc = check_writable(path, err);
        if (rc != QT_OK)
            goto fail;
    }
    int flags = SQLITE_OPEN_NOMUTEX |
                (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        rc = qt_db_fail(db, err, "cannot open");
        goto fail;
    }
    /* Another ingest may hold the write lock for a whole batch, or for the date inference over
     * the collection, and on a loaded machine that takes seconds: wait for it rather than fail
     * a run that would have gone through. */
    sqlite3_busy_timeout(db->h, QT_DB_WAIT_MS);
    if (!readonly && sqlite3_db_readonly(db->h, "main") == 1) {
        /* SQLite quietly falls back to reading a write-protected file; ingest needs to know. */
        rc = qt_fail(err, QT_EDB, "cannot write database '%s': the file is read-only (make it "
                     "writable; the query commands can still read it)", path);
        goto fail;
    }
    if (sqlite3_exec(db->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
        rc = qt_db_fail(db, err, "cannot open");
        goto fail;
    }
    rc = check_identity(db, &version, &fresh, err);
    if (rc != QT_OK && readonly && cant_share(db)) {
        rc = reopen_immutable(db, err);
        if (rc == QT_OK)
            rc = check_identity(db, &version, &fresh, err);
    }
    if (rc != QT_OK)
        goto fail;
    if (readonly) {
        if (fresh) {
            rc = qt_fail(err, QT_EDB, "database '%s' is empty (run quotetrail ingest first)",
                         path);
            goto fail;
        }
        if (version < N_MIGRATIONS) {
            rc = qt_fail(err, QT_EDB,
                         "database '%s' has schema version %d; run quotetrail ingest to upgrade it",
                         path, version);
            goto fail;
        }
    } else {
        /* WAL lets readers (quotes, serve) run while ingest writes; NORMAL sync is safe with
         * WAL, and a commit lost to a power cut is redone by the next idempotent ingest. */
        if (sqlite3_exec(db->h, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL,
                         NULL, NULL) != SQLITE_OK) {
            rc = qt_db_fail(db, err, "cannot open");
            goto fail;
        }
        rc = migrate(db, version, err);
        if (rc != QT_OK)
            goto fail;
    }
    if (sqlite3_create_function_v2(db->h, "qt_has_words", 2,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   sql_has_words, NULL, NULL, NULL) != SQLITE_OK) {
        rc = qt_db_fail(db, err, "cannot open");
        goto fail;
    }
    *out = db;
    return QT_OK;
fail:
    qt_db_close(db);
    return rc;
}

void qt_db_close(qt_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < N_STMT; i++)
        sqlite3_finalize(db->stmt[i]);
    for (int i = 0; i < N_QUOTE_STMT; i++)
        sqlite3_finalize(db->quote_stmt[i]);
    if (db->h && !db->readonly && sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close_v2(db->h);   /* rolls back a batch left open */
    qt_buf_release(&db->key);
    qt_buf_release(&db->key2);
    qt_buf_release(&db->query);
    qt_arena_free(&db->scratch);
    free(db->path);
    free(db);
}

/* ---- batches ---------------------------------------------------------------------------------- */

/* SQLite accepts BEGIN IMMEDIATE on a read-only connection and only fails at the first write,
 * with a message that does not say why; say it up front instead. */
static qt_status refuse_readonly(qt_db *db, qt_err *err)
{
    return qt_fail(err, QT_EDB, "cannot write database '%s': it was opened read-only", db->path);
}

qt_status qt_db_begin(qt_db *db, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    if (db->readonly)
        return refuse_readonly(db, err);
    if (qt_db_run(stmt(db, S_BEGIN)) != SQLITE_OK)
        return qt_db_fail(db, err, "cannot begin a batch in");
    return QT_OK;
}

qt_status qt_db_commit(qt_db *db, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    if (qt_db_run(stmt(db, S_COMMIT)) != SQLITE_OK)
        return qt_db_fail(db, err, "cannot commit a batch to");
    return QT_OK;
}

/* Rolling back with no batch open is not an error: it is what cleanup paths do after a failure
 * that SQLite has already rolled back by itself (SQLITE_FULL, SQLITE_IOERR). */
qt_status qt_db_rollback(qt_db *db, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    if (sqlite3_get_autocommit(db->h))
        return QT_OK;
    if (qt_db_run(stmt(db, S_ROLLBACK)) != SQLITE_OK)
        return qt_db_fail(db, err, "cannot roll back a batch in");
    return QT_OK;
}

/* ---- lookup and put --------------------------------------------------------------------------- */

qt_status qt_db_lookup(qt_db *db, const char *hash, qt_db_state *state, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    if (!hash || !state)
        return qt_fail(err, QT_EINVAL, "no hash to look up");
    *state = QT_DB_ABSENT;
    sqlite3_stmt *s = stmt(db, S_LOOKUP);
    int rc = s ? qt_db_bind_str(s, 1, hash) : SQLITE_ERROR;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            /* A newer engine's analysis counts as current: never downgrade it. */
            *state = sqlite3_column_int64(s, 0) < QT_ENGINE_VERSION ? QT_DB_STALE
                     : sqlite3_column_int(s, 1)                    ? QT_DB_CURRENT
                                                                   : QT_DB_TEXTLESS;
            rc = SQLITE_DONE;
        }
        int rc2 = sqlite3_reset(s);
        rc = rc == SQLITE_DONE ? rc2 : rc;
    }
    if (rc != SQLITE_OK)
        return qt_db_fail(db, err, "cannot look up article '%s' in", hash);
    return QT_OK;
}

static const char *const kind_names[] = {
    [QT_QUOTE_DIRECT] = "direct", [QT_QUOTE_PARTIAL] = "partial", [QT_QUOTE_NESTED] = "nested",
};
static const char *const speaker_kind_names[] = {
    [QT_SPEAKER_PERSON] = "person", [QT_SPEAKER_ORGANISATION] = "organisation",
    [QT_SPEAKER_ANONYMOUS] = "anonymous", [QT_SPEAKER_UNKNOWN] = "unknown",
};

/* Check the qt_quote invariants the store relies on before writing anything, so a malformed
 * analysis fails whole with QT_EINVAL instead of half-written. */
static qt_status validate(const qt_article *a, qt_err *err)
{
    const char *name = a->source ? a->source : a->hash;
    size_t title_len = a->title ? strlen(a->title) : 0;
    /* text NULL with a length: the text is not at hand (quotetrail.h, qt_article.text). */
    for (size_t i = 0; !a->text && i < a->n_quotes; i++)
        if (!a->quotes[i].in_title && !a->quotes[i].text)
            return qt_fail(err, QT_EINVAL, "article '%s' has neither its text nor quote %zu's",
                           name, i);
    if (a->text_len > (size_t)0x7fffffff)   /* refused, not a database error: (c) */
        return qt_fail(err, QT_EINVAL, "article '%s' is over 2 GiB", name);
    if ((a->n_quotes && !a->quotes) || (a->n_people && !a->people) ||
        (a->n_blocks && !a->blocks) || (a->n_warnings && !a->warnings) ||
        (a->n_minhash && !a->minhash) || (a->n_names && !a->names) ||
        (a->n_times && !a->times))
        return qt_fail(err, QT_EINVAL, "article '%s' has a count without its array", name);
    if (a->n_minhash != 0 && a->n_minhash != QT_MINHASH_K)
        return qt_fail(err, QT_EINVAL, "article '%s' has a signature of %zu values, not %d", name,
                       a->n_minhash, QT_MINHASH_K);
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        size_t len = q->in_title ? title_len : a->text_len;
        if (q->start >= q->end || q->end > len)
            return qt_fail(err, QT_EINVAL,
                           "article '%s': quote %zu spans [%zu, %zu) outside its %s (%zu bytes)",
                           name, i, q->start, q->end, q->in_title ? "title" : "text", len);
        if ((unsigned)q->kind > QT_QUOTE_NESTED || (unsigned)q->speaker_kind > QT_SPEAKER_UNKNOWN)
            return qt_fail(err, QT_EINVAL, "article '%s': quote %zu has an unknown kind", name, i);
        if (q->parent < -1 || q->parent == (int)i ||
            (q->parent >= 0 && (size_t)q->parent >= a->n_quotes))
            return qt_fail(err, QT_EINVAL, "article '%s': quote %zu has parent %d", name, i,
                           q->parent);
    }
    for (size_t i = 0; i < a->n_people; i++) {
        const qt_person *p = &a->people[i];
        if (!p->name || (p->n_aliases && !p->aliases))
            return qt_fail(err, QT_EINVAL, "article '%s': person %zu has no name", name, i);
        if (p->kind != QT_SPEAKER_PERSON && p->kind != QT_SPEAKER_ORGANISATION)
            return qt_fail(err, QT_EINVAL,
                           "article '%s': person %zu is neither a person nor an organisation",
                           name, i);
    }
    return QT_OK;
}

/* A person row written by put_people(), with its folded name and aliases (in db->scratch) so
 * speakers resolve without folding every alias again for every quote. */
typedef struct person_ref {
    sqlite3_int64 id;
    const char **keys;     /* keys[0] is the folded name; empty keys are left out */
    size_t n_keys;
} person_ref;

/* The stored person a quote's speaker names: same name first, then same folded name or alias.
 * *out receives the person's row id, or 0 when none matches (organisations, outlets). Returns
 * SQLITE_OK or SQLITE_NOMEM. */
static int speaker_person(qt_db *db, const qt_article *a, const person_ref *refs,
                          const char *speaker, sqlite3_int64 *out)
{
    *out = 0;
    if (!speaker)
        return SQLITE_OK;
    for (size_t i = 0; i < a->n_people; i++) {
        if (strcmp(a->people[i].name, speaker) == 0) {
            *out = refs[i].id;
            return SQLITE_OK;
        }
    }
    if (qt_db_fold_key(&db->key, speaker) != QT_OK)
        return SQLITE_NOMEM;
    for (size_t i = 0; db->key.len && i < a->n_people; i++) {
        for (size_t k = 0; k < refs[i].n_keys; k++) {
            if (strcmp(refs[i].keys[k], db->key.data) == 0) {
                *out = refs[i].id;
                return SQLITE_OK;
            }
        }
    }
    return SQLITE_OK;
}

static int put_people(qt_db *db, const qt_article *a, sqlite3_int64 art, person_ref *refs)
{
    sqlite3_stmt *sp = stmt(db, S_INS_PERSON), *sa = stmt(db, S_INS_ALIAS);
    if (!sp || !sa)
        return SQLITE_ERROR;
    for (size_t i = 0; i < a->n_people; i++) {
        const qt_person *p = &a->people[i];
        person_ref *r = &refs[i];
        r->keys = qt_arena_calloc(&db->scratch, p->n_aliases + 1, sizeof *r->keys);
        if (!r->keys || qt_db_fold_key(&db->key, p->name) != QT_OK)
            return SQLITE_NOMEM;
        int rc = sqlite3_bind_int64(sp, 1, art) || sqlite3_bind_int64(sp, 2, (sqlite3_int64)i) ||
                 qt_db_bind_str(sp, 3, p->name) || bind_key(sp, 4, &db->key) ||
                 sqlite3_bind_int64(sp, 5, p->mentions) || sqlite3_bind_int(sp, 6, p->quotes) ||
                 qt_db_bind_str(sp, 7, speaker_kind_names[p->kind]);   /* validate(): one of two */
        if (rc == SQLITE_OK)
            rc = qt_db_run(sp);
        if (rc != SQLITE_OK)
            return rc;
        r->id = sqlite3_last_insert_rowid(db->h);
        for (size_t k = 0; k <= p->n_aliases; k++) {
            const char *form = k == 0 ? p->name : p->aliases[k - 1];
            if (!form)
                continue;
            if (qt_db_fold_key(&db->key, form) != QT_OK)
                return SQLITE_NOMEM;
            if (db->key.len == 0)
                continue;
            if (!(r->keys[r->n_keys++] = qt_arena_strndup(&db->scratch, db->key.data,
                                                          db->key.len)))
                return SQLITE_NOMEM;
            rc = sqlite3_bind_int64(sa, 1, r->id) || sqlite3_bind_int64(sa, 2, art) ||
                 qt_db_bind_str(sa, 3, form) || bind_key(sa, 4, &db->key) ||
                 sqlite3_bind_int(sa, 5, k == 0);
            if (rc == SQLITE_OK)
                rc = qt_db_run(sa);
            if (rc != SQLITE_OK)
                return rc;
        }
    }
    return SQLITE_OK;
}

static sqlite3_int64 key_col(uint32_t k);

/* The key rows of quote q, stored as row id: only a top-level body quote (direct or partial)
 * has them, see migration 7. */
static int put_qkeys(qt_db *db, const qt_quote *q, sqlite3_int64 id)
{
    if (q->in_title || q->kind == QT_QUOTE_NESTED || q->parent >= 0 || !q->key || !q->n_key)
        return SQLITE_OK;
    sqlite3_stmt *s = stmt(db, S_QKEY_INS);
    if (!s)
        return SQLITE_ERROR;
    for (size_t k = 0; k < q->n_key; k++) {
        int rc = sqlite3_bind_int64(s, 1, id) || sqlite3_bind_int64(s, 2, key_col(q->key[k]));
        if (rc == SQLITE_OK)
            rc = qt_db_run(s);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int put_quotes(qt_db *db, const qt_article *a, sqlite3_int64 art, const person_ref *refs)
{
    sqlite3_stmt *s = stmt(db, S_INS_QUOTE);
    if (!s)
        return SQLITE_ERROR;
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        const char *base = q->in_title ? a->title : a->text;
        const char *words = q->text ? q->text : base + q->start;   /* validate(): one is set */
        sqlite3_int64 person = 0;
        int rc = speaker_person(db, a, refs, q->speaker, &person);
        if (rc != SQLITE_OK)
            return rc;
        rc = sqlite3_bind_int64(s, 1, art) || sqlite3_bind_int64(s, 2, (sqlite3_int64)i) ||
                 qt_db_bind_str(s, 3, q->id) || sqlite3_bind_int(s, 4, q->in_title != 0) ||
                 sqlite3_bind_int64(s, 5, (sqlite3_int64)q->start) ||
                 sqlite3_bind_int64(s, 6, (sqlite3_int64)q->end) ||
                 sqlite3_bind_text(s, 7, words, (int)(q->end - q->start), SQLITE_STATIC) ||
                 qt_db_bind_str(s, 8, kind_names[q->kind]) ||
                 qt_db_bind_str(s, 9, q->parent >= 0 ? a->quotes[q->parent].id : NULL) ||
                 qt_db_bind_str(s, 10, q->speaker) ||
                 qt_db_bind_str(s, 13, speaker_kind_names[q->speaker_kind]) ||
                 qt_db_bind_str(s, 14, q->speaker_mention) || qt_db_bind_str(s, 15, q->cue) ||
                 qt_db_bind_str(s, 16, q->venue) ||
                 sqlite3_bind_double(s, 18, qt_db_confidence(q->confidence)) ||
                 qt_db_bind_str(s, 19, q->venue ? q->venue_key : NULL) ||
                 (person ? sqlite3_bind_int64(s, 12, person) : sqlite3_bind_null(s, 12));
        if (rc == SQLITE_OK) {
            if (!q->speaker)
                rc = sqlite3_bind_null(s, 11);
            else if (qt_db_fold_key(&db->key, q->speaker) != QT_OK)
                rc = SQLITE_NOMEM;
            else
                rc = bind_key(s, 11, &db->key);
        }
        if (rc == SQLITE_OK) {
            if (!q->venue)
                rc = sqlite3_bind_null(s, 17);
            else if (qt_db_fold_key(&db->key, q->venue) != QT_OK)
                rc = SQLITE_NOMEM;
            else
                rc = bind_key(s, 17, &db->key);
        }
        if (rc == SQLITE_OK)
            rc = qt_db_run(s);
        if (rc == SQLITE_OK)
            rc = put_qkeys(db, q, sqlite3_last_insert_rowid(db->h));
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int put_blocks_and_warnings(qt_db *db, const qt_article *a, sqlite3_int64 art)
{
    sqlite3_stmt *sb = stmt(db, S_INS_BLOCK), *sw = stmt(db, S_INS_WARNING);
    if (!sb || !sw)
        return SQLITE_ERROR;
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < a->n_blocks; i++) {
        const qt_block *b = &a->blocks[i];
        rc = sqlite3_bind_int64(sb, 1, art) || sqlite3_bind_int64(sb, 2, (sqlite3_int64)i) ||
             sqlite3_bind_int64(sb, 3, (sqlite3_int64)b->start) ||
             sqlite3_bind_int64(sb, 4, (sqlite3_int64)b->end) ||
             qt_db_bind_str(sb, 5, b->role ? b->role : "body");
        if (rc == SQLITE_OK)
            rc = qt_db_run(sb);
    }
    for (size_t i = 0; rc == SQLITE_OK && i < a->n_warnings; i++) {
        if (!a->warnings[i])
            continue;
        rc = sqlite3_bind_int64(sw, 1, art) || sqlite3_bind_int64(sw, 2, (sqlite3_int64)i) ||
             qt_db_bind_str(sw, 3, a->warnings[i]);
        if (rc == SQLITE_OK)
            rc = qt_db_run(sw);
    }
    return rc;
}

/* ---- venues across articles ------------------------------------------------------------------- */

/* An article that says "told Quay" and elsewhere "Quay Weekly" has its quotes' venue expanded
 * by the analysis; one that only ever says "Quay" keeps the short form. The store learns across
 * the collection which long name such a short form stands for:
 *  (v1) Per article, put_venues() records the venue names its quotes use with their keys
 *       (article_venues), and the pairs it establishes (venue_evidence): short_key -> full_key
 *       when a quote's venue has key full_key and the article's body also writes a leading
 *       part of that venue name on its own, mid-sentence, with key short_key, a leading part of
 *       full_key word for word ("She told Quay that ..." beside "Quay Weekly"). Only the article
 *       being stored is read: old texts are never scanned again.
 *  (v2) Triggers sum both over articles (venue_names, venue_alias): one article counts once
 *       however many quotes repeat a name or a pair, and replacing an article's analysis
 *       subtracts its old rows first. The sums do not depend on ingest order or batching.
 *  (v3) The rule (VENUE_CANON): short_key reads as full_key when the articles showing that
 *       pair number more than twice those showing any other long name for the same short
 *       form. With no rival, one article is enough; 1 against 1, or 2 against 1, is ambiguous
 *       and the short form is left as written. Nothing is keyed to a particular outlet.
 *  (v4) A quote is shown under the name most articles use for its key after (v3) (ties: not
 *       all capitals, then the longer, then byte order), so "PEOPLE", "People" and "People
 *       Magazine" print alike; the name its own article gave stays in venue_as_written.
 * Keys come from the analysis (qt_quote.venue_key, with the engine's alias table); a short
 * form's key is the same reduction without the table. Where the table would give the short
 * form another key, no quote carries the key the evidence names, so that evidence is inert. */

/* qt_venue_key() without an alias table: case, accents, a leading "the" and medium words. */
static const qt_engine no_alias_table;

/* At most this many distinct venue names of one article are looked for in its text, so a
 * pathological article costs a bounded number of passes over its text. */
#define VENUE_SCANS_MAX 32

/* Is offset i in a body paragraph? Headlines are title case ("All About Quay"), and only body
 * blocks feed quotes (DESIGN.md); an article without blocks is all body. */
static int in_body(const qt_article *a, size_t i)
{
    if (a->n_blocks == 0)
        return 1;
    for (size_t b = 0; b < a->n_blocks; b++)
        if (i >= a->blocks[b].start && i < a->blocks[b].end)
            return !a->blocks[b].role || strcmp(a->blocks[b].role, "body") == 0;
    return 0;
}

/* Is the occurrence of n bytes at t[i] a name on its own, inside a sentence? Before it: a
 * space after a word or a comma ("told Quay", "to Quay, she"), since a capital at a sentence
 * start says nothing ("Us against them"). After it: the end of a word that a capitalised word
 * does not follow ("Quay Weekly", "Quay Times" are other names). */
static int alone_mid_sentence(const char *t, size_t len, size_t i, size_t n)
{
    if (i < 2 || t[i - 1] != ' ')
        return 0;
    size_t k = i - 1;
    while (k > 0 && t[k] == ' ')
        k--;
    unsigned char before = (unsigned char)t[k];
    if (before >= 0x80 || (!is_word_byte(before) && before != ',' && before != ';'))
        return 0;
    size_t e = i + n;
    if (e == len)
        return 1;
    if (is_word_byte((unsigned char)t[e]))
        return 0;
    unsigned char next = e + 1 < len ? (unsigned char)t[e + 1] : 0;
    return !(t[e] == ' ' && ((next >= 'A' && next <= 'Z') || next >= 0x80));
}

/* Does a's body write p[0..n) on its own, mid-sentence (see alone_mid_sentence())? */
static int writes_alone(const qt_article *a, const char *p, size_t n)
{
    const char *t = a->text;
    size_t len = a->text_len;
    for (size_t i = 0; t && n && i + n <= len; i++) {
        const char *hit = memchr(t + i, p[0], len - i - n + 1);
        if (!hit)
            return 0;
        i = (size_t)(hit - t);
        if (memcmp(hit, p, n) == 0 && alone_mid_sentence(t, len, i, n) && in_body(a, i))
            return 1;
    }
    return 0;
}

/* Record (v1)'s pairs for one venue name v with key `key`: every leading part of v (whole
 * words, after a leading "the") whose own key leads `key` word for word and that the article
 * writes alone. */
static int put_evidence(qt_db *db, const qt_article *a, sqlite3_int64 art, const char *v,
                        const char *key)
{
    sqlite3_stmt *s = stmt(db, S_INS_EVIDENCE);
    if (!s)
        return SQLITE_ERROR;
    if (strncmp(v, "the ", 4) == 0 || strncmp(v, "The ", 4) == 0)
        v += 4;
    size_t key_len = strlen(key);
    for (const char *sp = strchr(v, ' '); sp; sp = strchr(sp + 1, ' ')) {
        char part[256], short_key[128];
        size_t n = (size_t)(sp - v);
        if (n == 0 || n >= sizeof part)
            continue;
        memcpy(part, v, n);
        part[n] = '\0';
        const char *k = qt_venue_key(&no_alias_table, part, short_key, sizeof short_key);
        size_t kl = k ? strlen(k) : 0;
        if (!kl || kl >= key_len || memcmp(k, key, kl) != 0 || key[kl] != ' ' ||
            !writes_alone(a, part, n))
            continue;
        int rc = sqlite3_bind_int64(s, 1, art) || qt_db_bind_str(s, 2, k) || qt_db_bind_str(s, 3, key);
        if (rc == SQLITE_OK)
            rc = qt_db_run(s);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Record the venue names a's quotes use and the pairs a establishes, see (v1). */
static int put_venues(qt_db *db, const qt_article *a, sqlite3_int64 art)
{
    sqlite3_stmt *s = stmt(db, S_INS_VENUE);
    if (!s)
        return SQLITE_ERROR;
    const char *seen[VENUE_SCANS_MAX];   /* names already looked for, see VENUE_SCANS_MAX */
    size_t n_seen = 0;
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        if (!q->venue || !q->venue_key || !*q->venue_key)
            continue;
        if (qt_db_fold_key(&db->key, q->venue) != QT_OK)
            return SQLITE_NOMEM;
        int rc = sqlite3_bind_int64(s, 1, art) || qt_db_bind_str(s, 2, q->venue_key) ||
                 qt_db_bind_str(s, 3, q->venue) || bind_key(s, 4, &db->key);
        if (rc == SQLITE_OK)
            rc = qt_db_run(s);
        if (rc != SQLITE_OK)
            return rc;
        size_t j = 0;
        while (j < n_seen && strcmp(seen[j], q->venue) != 0)
            j++;
        if (j < n_seen || n_seen == VENUE_SCANS_MAX || !strchr(q->venue_key, ' '))
            continue;
        seen[n_seen++] = q->venue;
        rc = put_evidence(db, a, art, q->venue, q->venue_key);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* ---- near-duplicates: signatures ------------------------------------------------------------- */

/* Articles are compared by their MinHash signatures alone (src/link/qt_link.h), never by text:
 *  (n1) Per article, put_signature() keeps one signatures row: the QT_MINHASH_K values as a
 *       little-endian blob, and the shingle count. Re-putting an article replaces it; a
 *       re-analysis that gives the same signature writes nothing. That row is all the index
 *       there is: 192 + 2 + 3 bytes of payload, about 230 bytes on disk with SQLite's record
 *       header and B-tree cell (measured on eval/link's corpus, README "quotetrail dups").
 *  (n2) No band key is stored (migration 9): qt_db_each_dup() reads every signature, once, in
 *       row id order, and forms the QT_LSH_BANDS buckets in memory, one band at a time, so
 *       its memory is about 220 bytes per signed article plus 16 per article for the band
 *       being sorted, and storing an article costs one row write.
 *  (n3) Each bucket pairs its articles (at most QT_DUP_BUCKET_MAX of them, chosen by content
 *       hash), and each distinct pair is verified from its two signatures by
 *       qt_minhash_compare(): similarity, containment both ways, then the kind
 *       (quotetrail.h). Nothing depends on ingest order or batching.
 *  (n4) Copies: an article is stored once per text (qt_store.h (1)), but copies records every
 *       (id, source) its text arrived under: qt_db_put() its own, qt_db_put_copy() each one
 *       ingest skips as already stored. A pair is listed once per id of one article with
 *       each id of the other, and the ids of one article are paired among themselves as
 *       "exact" (similarity and containment 1), whether or not it has a signature. An id with
 *       several sources shows the least one, so that which copy came first never shows. Each
 *       row keeps its copy's own published date (migration 8), the least one when recorded
 *       again, for the earliest carrier of a quote cluster.
 *  (n5) An estimate has a typical error of 0.04 near 0.8, so a pair whose estimate lies within
 *       QT_DUP_CHECK_BAND of min is decided by counting: both stored texts are tokenized again
 *       and their exact shingle sets (qt_shingle_set(): the set the signature summarises)
 *       compared. Only such pairs are read, two texts at a time, nothing of them kept; an
 *       article stored without its text (`link` from a shard made without --with-text) keeps
 *       its estimate. On eval/link's corpus this reads about one candidate in ten. */

#define SIG_BYTES (QT_MINHASH_K * 2)

static void sig_encode(const uint16_t *v, unsigned char out[SIG_BYTES])
{
    for (size_t i = 0; i < QT_MINHASH_K; i++) {
        out[2 * i] = (unsigned char)(v[i] & 0xff);
        out[2 * i + 1] = (unsigned char)(v[i] >> 8);
    }
}

static void sig_decode(const unsigned char *p, qt_minhash *m)
{
    for (size_t i = 0; i < QT_MINHASH_K; i++)
        m->v[i] = (uint16_t)(p[2 * i] | (unsigned)p[2 * i + 1] << 8);
}

/* A 32-bit key hash as stored: its bits as a signed value, which SQLite keeps in 4 bytes
 * (values of 2^31 and more would take 6). */
static sqlite3_int64 key_col(uint32_t k)
{
    return k >= 0x80000000u ? (sqlite3_int64)k - 0x100000000ll : (sqlite3_int64)k;
}

/* Read article art's stored signature: *found is set when it has a row, *ok when that row
 * holds a well-formed signature, then decoded into *m. */
static int sig_get(qt_db *db, sqlite3_int64 art, qt_minhash *m, int *found, int *ok)
{
    sqlite3_stmt *s = stmt(db, S_SIG_GET);
    *found = *ok = 0;
    if (!s)
        return SQLITE_ERROR;
    int rc = sqlite3_bind_int64(s, 1, art);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(s, 0);
        sqlite3_int64 n = sqlite3_column_int64(s, 1);
        *found = 1;
        *ok = p && sqlite3_column_bytes(s, 0) == SIG_BYTES && n >= 0 && n <= UINT32_MAX;
        if (*ok) {
            sig_decode(p, m);
            m->shingles = (uint32_t)n;
        }
        rc = SQLITE_DONE;
    }
    int rc2 = sqlite3_reset(s);
    return rc == SQLITE_DONE ? rc2 : rc;
}

/* Replace article art's signature with a's, see (n1). */
static int put_signature(qt_db *db, const qt_article *a, sqlite3_int64 art)
{
    qt_minhash old, cur;
    int had = 0, old_ok = 0, has = a->n_minhash == QT_MINHASH_K;   /* validate(): 0 or K */
    int rc = sig_get(db, art, &old, &had, &old_ok);
    if (rc != SQLITE_OK)
        return rc;
    if (has) {
        memcpy(cur.v, a->minhash, sizeof cur.v);
        cur.shingles = a->shingles;
        if (had && old_ok && old.shingles == cur.shingles &&
            memcmp(old.v, cur.v, sizeof cur.v) == 0)
            return SQLITE_OK;
    }
    if (had && !has) {
        sqlite3_stmt *s = stmt(db, S_SIG_DEL);
        rc = s ? sqlite3_bind_int64(s, 1, art) : SQLITE_ERROR;
        if (rc == SQLITE_OK)
            rc = qt_db_run(s);
    }
    if (rc != SQLITE_OK || !has)
        return rc;
    unsigned char blob[SIG_BYTES];
    sig_encode(cur.v, blob);
    sqlite3_stmt *s = stmt(db, S_SIG_PUT);
    rc = s ? SQLITE_OK : SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 1, art) ||
             sqlite3_bind_blob(s, 2, blob, SIG_BYTES, SQLITE_TRANSIENT) ||
             sqlite3_bind_int64(s, 3, (sqlite3_int64)cur.shingles);
    if (rc == SQLITE_OK)
        rc = qt_db_run(s);
    return rc;
}

/* Insert the article row, or find the existing one and mark it re-analysed; *art receives its
 * row id. */
static int put_article(qt_db *db, const qt_article *a, sqlite3_int64 *art)
{
    sqlite3_stmt *s = stmt(db, S_ARTICLE_UPSERT);
    if (!s)
        return SQLITE_ERROR;
    if (a->text_len > (size_t)0x7fffffff)
        return SQLITE_TOOBIG;
    int rc = qt_db_bind_str(s, 1, a->hash) || qt_db_bind_str(s, 2, a->id ? a->id : a->hash) ||
             qt_db_bind_str(s, 3, a->source) || qt_db_bind_str(s, 4, a->url) || qt_db_bind_str(s, 5, a->title) ||
             qt_db_bind_str(s, 6, a->published) ||
             sqlite3_bind_text(s, 7, a->text ? a->text : "", a->text ? (int)a->text_len : 0,
                               SQLITE_STATIC) ||
             sqlite3_bind_int(s, 8, QT_ENGINE_VERSION) ||
             sqlite3_bind_int(s, 9, a->title_given != 0) || qt_db_bind_str(s, 10, a->site) ||
             qt_db_bind_str(s, 11, a->byline) || qt_db_bind_str(s, 12, a->rating);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *art = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_INTERNAL;   /* RETURNING always yields the row */
        }
        int rc2 = sqlite3_reset(s);
        if (rc == SQLITE_OK)
            rc = rc2;
    }
    return rc;
}

/* Record that article art's text arrived as record id from source, published then (may be
 * NULL): (n4). */
static int put_copy(qt_db *db, sqlite3_int64 art, const char *id, const char *source,
                    const char *published)
{
    sqlite3_stmt *s = stmt(db, S_COPY_INS);
    int rc = s ? SQLITE_OK : SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 1, art) || qt_db_bind_str(s, 2, id) || qt_db_bind_str(s, 3, source) ||
             qt_db_bind_str(s, 4, published);
    return rc == SQLITE_OK ? qt_db_run(s) : rc;
}

/* The article's entity keys (migration 10); the old ones went with its other child rows. */
static int put_names(qt_db *db, const qt_article *a, sqlite3_int64 art)
{
    sqlite3_stmt *s = a->n_names ? stmt(db, S_INS_NAME) : NULL;
    if (a->n_names && !s)
        return SQLITE_ERROR;
    for (size_t i = 0; i < a->n_names; i++) {
        int rc = sqlite3_bind_int64(s, 1, art) || sqlite3_bind_int64(s, 2, key_col(a->names[i]));
        if (rc == SQLITE_OK)
            rc = qt_db_run(s);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* The article's time expressions (migration 11); the old ones went with its other child rows. */
static int put_times(qt_db *db, const qt_article *a, sqlite3_int64 art)
{
    sqlite3_stmt *s = a->n_times ? stmt(db, S_INS_TIME) : NULL;
    if (a->n_times && !s)
        return SQLITE_ERROR;
    for (size_t i = 0; i < a->n_times; i++) {
        const qt_time *t = &a->times[i];
        int rc = sqlite3_bind_int64(s, 1, art) || sqlite3_bind_int64(s, 2, (sqlite3_int64)i) ||
                 sqlite3_bind_int64(s, 3, (sqlite3_int64)t->start) ||
                 sqlite3_bind_int64(s, 4, (sqlite3_int64)t->end) ||
                 sqlite3_bind_int(s, 5, t->in_title != 0) || qt_db_bind_str(s, 6, t->type) ||
                 qt_db_bind_str(s, 7, t->value) || qt_db_bind_str(s, 8, t->mod) ||
                 qt_db_bind_str(s, 9, t->age_of) || qt_db_bind_str(s, 10, t->birth_from) ||
                 qt_db_bind_str(s, 11, t->birth_to);
        if (rc == SQLITE_OK)
            rc = qt_db_run(s);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

void qt_db_set_wait(qt_db *db, unsigned ms)
{
    if (db && db->h)
        sqlite3_busy_timeout(db->h, ms > INT_MAX ? INT_MAX : (int)ms);
}

qt_status qt_db_put(qt_db *db, const qt_article *a, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    if (!a || !a->hash || !*a->hash)
        return qt_fail(err, QT_EINVAL, "article has no hash");
    if (db->readonly)
        return refuse_readonly(db, err);
    qt_status rc = validate(a, err);
    if (rc != QT_OK)
        return rc;
    const char *name = a->source ? a->source : a->hash;
    if (qt_db_run(stmt(db, S_SAVEPOINT)) != SQLITE_OK)
        return qt_db_fail(db, err, "cannot store article '%s' in", name);

    qt_arena_reset(&db->scratch);
    sqlite3_int64 art = 0;
    person_ref *refs = qt_arena_calloc(&db->scratch, a->n_people + 1, sizeof *refs);
    int src = refs ? SQLITE_OK : SQLITE_NOMEM;
    if (src == SQLITE_OK)
        src = put_article(db, a, &art);
    /* Children go in dependency order: quotes point at people, aliases at people. (2) */
    static const int deletes[] = {S_DEL_QUOTES, S_DEL_ALIASES, S_DEL_PEOPLE, S_DEL_BLOCKS,
                                  S_DEL_WARNINGS, S_DEL_VENUES, S_DEL_EVIDENCE, S_DEL_NAMES,
                                  S_DEL_TIMES};
    for (size_t i = 0; src == SQLITE_OK && i < sizeof deletes / sizeof *deletes; i++) {
        sqlite3_stmt *s = stmt(db, deletes[i]);
        src = s ? sqlite3_bind_int64(s, 1, art) : SQLITE_ERROR;
        if (src == SQLITE_OK)
            src = qt_db_run(s);
    }
    if (src == SQLITE_OK)
        src = put_people(db, a, art, refs);
    if (src == SQLITE_OK)
        src = put_quotes(db, a, art, refs);
    if (src == SQLITE_OK)
        src = put_blocks_and_warnings(db, a, art);
    if (src == SQLITE_OK)
        src = put_venues(db, a, art);
    if (src == SQLITE_OK)
        src = put_names(db, a, art);
    if (src == SQLITE_OK)
        src = put_times(db, a, art);
    if (src == SQLITE_OK)
        src = put_signature(db, a, art);
    if (src == SQLITE_OK)
        src = put_copy(db, art, a->id ? a->id : a->hash, a->source, a->published);
    if (src == SQLITE_OK)
        src = qt_db_run(stmt(db, S_RELEASE));
    if (src == SQLITE_OK)
        return QT_OK;

    /* (d): the message first, then undo this article only; the caller's batch stays usable. */
    if (src == SQLITE_NOMEM && sqlite3_errcode(db->h) != SQLITE_NOMEM)
        rc = qt_fail(err, QT_ENOMEM, "cannot store article '%s': out of memory", name);
    else
        rc = qt_db_fail(db, err, "cannot store article '%s' in", name);
    if (!sqlite3_get_autocommit(db->h)) {
        qt_db_run(stmt(db, S_ROLLBACK_TO));
        qt_db_run(stmt(db, S_RELEASE));
    }
    return rc;
}

qt_status qt_db_put_copy(qt_db *db, const char *hash, const char *id, const char *source,
                         const char *published, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    if (!hash || !*hash)
        return qt_fail(err, QT_EINVAL, "copy has no hash");
    if (db->readonly)
        return refuse_readonly(db, err);
    sqlite3_stmt *s = stmt(db, S_ARTICLE_ID);
    sqlite3_int64 art = 0;
    int rc = s ? qt_db_bind_str(s, 1, hash) : SQLITE_ERROR;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        art = sqlite3_column_int64(s, 0);
        rc = SQLITE_DONE;
    }
    rc = qt_db_finish(s, rc);
    if (rc == SQLITE_OK && art == 0)
        return qt_fail(err, QT_EINVAL, "cannot record a copy of '%s': no article has its text",
                       source ? source : hash);
    if (rc == SQLITE_OK)
        rc = put_copy(db, art, id ? id : hash, source, published);
    if (rc != SQLITE_OK)
        return qt_db_fail(db, err, "cannot record a copy of '%s' in", source ? source : hash);
    return QT_OK;
}

/* ---- stale articles --------------------------------------------------------------------------- */

static char *col_dup(qt_arena *a, sqlite3_stmt *s, int i)
{
    const char *z = qt_db_col_str(s, i);
    return z ? qt_arena_strndup(a, z, (size_t)sqlite3_column_bytes(s, i)) : NULL;
}

/* The ids are read first and each article is then fetched and copied before fn runs, so fn may
 * store the re-analysed article (changing engine_version under a live SELECT otherwise) and may
 * commit or roll back batches. Memory: 8 bytes per stale article plus one article's text. */
qt_status qt_db_each_stale(qt_db *db, int (*fn)(void *ctx, const qt_input *in), void *ctx,
                           qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    qt_status rc = QT_OK;
    qt_vec ids = QT_VEC_INIT(sqlite3_int64);
    sqlite3_stmt *s = stmt(db, S_STALE_IDS);
    int src = s ? sqlite3_bind_int(s, 1, QT_ENGINE_VERSION) : SQLITE_ERROR;
    while (src == SQLITE_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
        sqlite3_int64 *id = qt_vec_push(&ids);
        if (!id) {
            sqlite3_reset(s);
            qt_vec_release(&ids);
            return qt_fail(err, QT_ENOMEM, "cannot list stale articles: out of memory");
        }
        *id = sqlite3_column_int64(s, 0);
        src = SQLITE_OK;
    }
    if (s) {
        int rc2 = sqlite3_reset(s);
        src = src == SQLITE_DONE ? rc2 : src;
    }
    if (src != SQLITE_OK) {
        qt_vec_release(&ids);
        return qt_db_fail(db, err, "cannot list stale articles in");
    }

    sqlite3_stmt *g = stmt(db, S_STALE_GET);
    if (!g && ids.n > 0)
        rc = qt_db_fail(db, err, "cannot read stale articles in");
    for (size_t i = 0; rc == QT_OK && i < ids.n; i++) {
        qt_arena_reset(&db->scratch);
        qt_input in = {0};
        int found = 0, oom = 0;
        src = sqlite3_bind_int64(g, 1, QT_VEC_AT(&ids, sqlite3_int64, i));
        if (src == SQLITE_OK && (src = sqlite3_step(g)) == SQLITE_ROW) {
            found = 1;
            char *ext_id = col_dup(&db->scratch, g, 1);
            const char *hash = qt_db_col_str(g, 2);
            in.source = col_dup(&db->scratch, g, 0);
            in.title = col_dup(&db->scratch, g, 3);
            in.url = col_dup(&db->scratch, g, 4);
            in.published = col_dup(&db->scratch, g, 5);
            in.text = col_dup(&db->scratch, g, 6);
            in.text_len = (size_t)sqlite3_column_bytes(g, 6);
            in.site = col_dup(&db->scratch, g, 7);
            snprintf(in.hash, sizeof in.hash, "%s", hash ? hash : "");
            /* The stored id is the caller's id or else the hash; only the former is an input. */
            in.id = ext_id && strcmp(ext_id, in.hash) != 0 ? ext_id : NULL;
            oom = !in.text || (qt_db_col_str(g, 0) && !in.source) || (qt_db_col_str(g, 1) && !ext_id) ||
                  (qt_db_col_str(g, 3) && !in.title) || (qt_db_col_str(g, 4) && !in.url) ||
                  (qt_db_col_str(g, 5) && !in.published) || (qt_db_col_str(g, 7) && !in.site);
            src = SQLITE_DONE;
        }
        int rc2 = sqlite3_reset(g);
        src = src == SQLITE_DONE ? rc2 : src;
        if (src != SQLITE_OK)
            rc = qt_db_fail(db, err, "cannot read stale articles in");
        else if (oom)
            rc = qt_fail(err, QT_ENOMEM, "cannot read stale articles: out of memory");
        else if (found && fn && fn(ctx, &in) != 0)
            rc = qt_fail(err, QT_EINVAL, "stopped at stale article '%s'",
                         in.source ? in.source : in.hash);
    }
    qt_arena_reset(&db->scratch);
    qt_vec_release(&ids);
    return rc;
}

/* ---- quote queries ---------------------------------------------------------------------------- */

/* VENUE_CANON() and VENUE_NAME(): see store_int.h. */

/* The quote query for one combination of filters. Parameters: :speaker and :venue are folded
 * keys (4), :search an FTS5 query made by fts_query(). */
static sqlite3_stmt *quote_stmt(qt_db *db, int mask)
{
    if (db->quote_stmt[mask])
        return db->quote_stmt[mask];
    qt_buf sql = QT_BUF_INIT;
    int ok = qt_buf_puts(&sql,
                         "SELECT q.qid, q.text, q.kind, q.speaker, q.speaker_kind,"
                         " q.speaker_mention, q.cue, coalesce(" VENUE_NAME("q.vkey") ", q.venue),"
                         " q.confidence, q.start, q.\"end\","
                         " a.ext_id, a.hash, a.source, a.title, a.published,"
                         " q.in_title, q.parent_qid, q.venue, q.vkey"
                         " FROM (SELECT qq.*, " VENUE_CANON("qq.venue_key") " AS vkey"
                         "  FROM quotes qq) q"
                         " JOIN articles a ON a.id = q.article WHERE 1") == QT_OK;
    /* A speaker matches by the words of its name (the quote's or its person's), or by being
     * exactly one of the person's folded aliases ("the reality star"). */
    if (ok && (mask & F_SPEAKER))
        ok = qt_buf_puts(&sql,
                         " AND (qt_has_words(q.speaker_folded, :speaker)"
                         "  OR EXISTS (SELECT 1 FROM aliases al WHERE al.person = q.person"
                         "   AND (al.folded = :speaker"
                         "    OR (al.is_name AND qt_has_words(al.folded, :speaker)))))") == QT_OK;
    /* A venue matches by a part of the name its article gave, or of any name the collection
     * uses for the same venue after (v3): "us weekly" finds "told Us" in an article that never
     * wrote the long name, once other articles showed what "Us" stands for. */
    if (ok && (mask & F_VENUE))
        ok = qt_buf_puts(&sql,
                         " AND (instr(q.venue_folded, :venue) > 0"
                         "  OR q.vkey IN (SELECT " VENUE_CANON("vm.key") " FROM venue_names vm"
                         "   WHERE instr(vm.folded, :venue) > 0))") == QT_OK;
    if (ok && (mask & F_SEARCH))
        ok = qt_buf_puts(&sql, " AND q.id IN (SELECT rowid FROM quotes_fts"
                               " WHERE quotes_fts MATCH :search)") == QT_OK;
    if (ok)
        ok = qt_buf_puts(&sql, " ORDER BY q.article, q.in_title DESC, q.start, q.ord") == QT_OK;
    if (ok)
        sqlite3_prepare_v3(db->h, sql.data, (int)sql.len, SQLITE_PREPARE_PERSISTENT,
                           &db->quote_stmt[mask], NULL);
    qt_buf_release(&sql);
    return db->quote_stmt[mask];
}

/* Turn the user's words into an FTS5 query that cannot be a syntax error: each
 * whitespace-separated word becomes an FTS5 string ("..." with " doubled), and the strings are
 * ANDed. Operators, column filters and stray quotes in the input are then just text. Sets
 * *n_words to how many words there were. */
static qt_status fts_query(qt_buf *b, const char *words, int *n_words)
{
    qt_buf_reset(b);
    *n_words = 0;
    const char *p = words;
    while (*p) {
        while (*p && is_space((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if ((*n_words > 0 && qt_buf_putc(b, ' ') != QT_OK) || qt_buf_putc(b, '"') != QT_OK)
            return QT_ENOMEM;
        for (; *p && !is_space((unsigned char)*p); p++) {
            if ((*p == '"' && qt_buf_putc(b, '"') != QT_OK) || qt_buf_putc(b, *p) != QT_OK)
                return QT_ENOMEM;
        }
        if (qt_buf_putc(b, '"') != QT_OK)
            return QT_ENOMEM;
        (*n_words)++;
    }
    return QT_OK;
}

qt_status qt_db_fts_query(qt_buf *b, const char *words, int *n_words)
{
    return fts_query(b, words, n_words);
}

qt_status qt_db_each_quote(qt_db *db, const qt_quote_filter *f,
                           int (*fn)(void *ctx, const qt_quote_row *row), void *ctx,
                           size_t *n_found, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    int mask = 0, n_words = 0;
    size_t n = 0;
    if (n_found)
        *n_found = 0;
    /* A filter that folds to nothing ("", "  ") is no filter. */
    if (f && f->speaker) {
        if (qt_db_fold_key(&db->key, f->speaker) != QT_OK)
            return qt_fail(err, QT_ENOMEM, "cannot query: out of memory");
        mask |= db->key.len ? F_SPEAKER : 0;
    }
    if (f && f->venue) {
        if (qt_db_fold_key(&db->key2, f->venue) != QT_OK)
            return qt_fail(err, QT_ENOMEM, "cannot query: out of memory");
        mask |= db->key2.len ? F_VENUE : 0;
    }
    if (f && f->search) {
        if (fts_query(&db->query, f->search, &n_words) != QT_OK)
            return qt_fail(err, QT_ENOMEM, "cannot query: out of memory");
        mask |= n_words ? F_SEARCH : 0;
    }
    sqlite3_stmt *s = quote_stmt(db, mask);
    if (!s)
        return qt_db_fail(db, err, "cannot query");
    int rc = SQLITE_OK;
    if (mask & F_SPEAKER)
        rc = bind_key(s, sqlite3_bind_parameter_index(s, ":speaker"), &db->key);
    if (rc == SQLITE_OK && (mask & F_VENUE))
        rc = bind_key(s, sqlite3_bind_parameter_index(s, ":venue"), &db->key2);
    if (rc == SQLITE_OK && (mask & F_SEARCH))
        rc = bind_key(s, sqlite3_bind_parameter_index(s, ":search"), &db->query);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        qt_quote_row row = {
            .id = qt_db_col_str(s, 0), .text = qt_db_col_str(s, 1), .kind = qt_db_col_str(s, 2),
            .speaker = qt_db_col_str(s, 3), .speaker_kind = qt_db_col_str(s, 4),
            .speaker_mention = qt_db_col_str(s, 5), .cue = qt_db_col_str(s, 6), .venue = qt_db_col_str(s, 7),
            .confidence = sqlite3_column_double(s, 8),
            .start = (long)sqlite3_column_int64(s, 9), .end = (long)sqlite3_column_int64(s, 10),
            .article_id = qt_db_col_str(s, 11), .article_hash = qt_db_col_str(s, 12),
            .source = qt_db_col_str(s, 13), .title = qt_db_col_str(s, 14), .published = qt_db_col_str(s, 15),
            .in_title = sqlite3_column_int(s, 16), .parent = qt_db_col_str(s, 17),
            .venue_as_written = qt_db_col_str(s, 18), .venue_key = qt_db_col_str(s, 19),
        };
        n++;
        rc = SQLITE_OK;
        if (fn && fn(ctx, &row) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    int rc2 = sqlite3_reset(s);
    rc = rc == SQLITE_DONE ? rc2 : rc;
    if (n_found)
        *n_found = n;
    if (rc != SQLITE_OK)
        return qt_db_fail(db, err, "cannot query");
    return QT_OK;
}

/* ---- people across articles ------------------------------------------------------------------- */

/* qt_db_each_person() does all its work before fn first runs:
 *  1. the candidates: every distinct folded name, or those the filter matches (S_PEOPLE_*);
 *  2. the person each candidate is listed under (group_target());
 *  3. for each such person, its articles, counts and alias forms summed over the groups it takes
 *     in, and its kind (person_build()); then the people are sorted.
 * The kind is a vote of the articles: each article naming the person votes for the kind its
 * people[] gave them (for both, in the rare article where two merged rows differ), and
 * "organisation" needs more votes than "person", so a tie, like a row stored before kinds
 * were (migration 4), leaves a person a person.
 * A "group" is the stored people sharing one folded name. Groups are looked up through prepared
 * statements and cached for the call in a hash table, so a filtered query reads only the rows of
 * the people it lists plus one index probe per alias, and an unfiltered one reads each people
 * and aliases row about once. Everything lives in the call's own arena and vectors, so fn may
 * use the db (every statement has been reset before it runs). */

typedef struct pgroup {
    const char *key;              /* the folded name (4), in the call's arena */
    size_t len;
    uint64_t hash;
    struct pgroup *owner;         /* see group_owner(); valid once owner_known */
    int owner_known;
    int listed;                   /* already built as a listed person */
} pgroup;

typedef struct atally {           /* one original form of an alias, and in how many people rows */
    const char *folded, *alias;
    size_t n;
} atally;

typedef struct pvote {           /* one people row: its article and the kind it gave */
    sqlite3_int64 article;
    int org;                      /* stored as 'organisation' */
} pvote;

typedef struct prow {
    qt_person_row row;
    const char *key;              /* the person's folded name, for sorting */
} prow;

typedef struct people_q {
    qt_db *db;
    qt_arena arena;               /* groups, strings and alias arrays of this call */
    pgroup **slot;                /* open addressing; cap is a power of two, at most half full */
    size_t cap, n_groups;
    qt_vec tally;                 /* atally: forms of the person being built */
    qt_vec articles;              /* pvote: articles of the person being built */
    qt_vec rows;                  /* prow: the people to list */
} people_q;

/* The group with folded name key[0..len), created on first use; NULL when out of memory. */
static pgroup *group_get(people_q *q, const char *key, size_t len)
{
    uint64_t h = qt_hash64(key, len);
    if (2 * (q->n_groups + 1) > q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 256;
        pgroup **slot = qt_arena_calloc(&q->arena, cap, sizeof *slot);
        if (!slot)
            return NULL;
        for (size_t i = 0; i < q->cap; i++) {
            if (!q->slot[i])
                continue;
            size_t j = q->slot[i]->hash & (cap - 1);
            while (slot[j])
                j = (j + 1) & (cap - 1);
            slot[j] = q->slot[i];
        }
        q->slot = slot;   /* the old table stays in the arena: at most as much again */
        q->cap = cap;
    }
    size_t j = h & (q->cap - 1);
    for (; q->slot[j]; j = (j + 1) & (q->cap - 1)) {
        pgroup *g = q->slot[j];
        if (g->hash == h && g->len == len && memcmp(g->key, key, len) == 0)
            return g;
    }
    pgroup *g = qt_arena_calloc(&q->arena, 1, sizeof *g);
    char *k = qt_arena_strndup(&q->arena, key, len);
    if (!g || !k)
        return NULL;
    *g = (pgroup){.key = k, .len = len, .hash = h};
    q->slot[j] = g;
    q->n_groups++;
    return g;
}

static int bind_group(sqlite3_stmt *s, const pgroup *g)
{
    return sqlite3_bind_text(s, 1, g->key, (int)g->len, SQLITE_STATIC);
}

/* Set g->owner to the one other group whose people have g's name among their aliases (not as
 * their own name), or NULL when no group or several do: "brannock" is owned by "niall brannock"
 * as long as nobody else was also called Brannock. Looked up once per call. Returns SQLITE_OK
 * or an SQLite error code. */
static int group_owner(people_q *q, pgroup *g)
{
    if (g->owner_known)
        return SQLITE_OK;
    sqlite3_stmt *s = stmt(q->db, S_PERSON_OWNERS);
    if (!s)
        return SQLITE_ERROR;
    pgroup *first = NULL;
    int n = 0;
    int rc = bind_group(s, g);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        if (n++ == 0 &&
            !(first = group_get(q, qt_db_col_str(s, 0), (size_t)sqlite3_column_bytes(s, 0))))
            rc = SQLITE_NOMEM;
    }
    rc = qt_db_finish(s, rc);
    if (rc == SQLITE_OK) {
        g->owner = n == 1 ? first : NULL;
        g->owner_known = 1;
    }
    return rc;
}

/* *out receives the group g is listed under: its owner, when that owner is not owned in turn,
 * else g itself. Only one level is followed, so a chain or a cycle of aliases ("A" an alias of
 * "A B", "A B" of "A B C") merges at most two names and every group has exactly one target. */
static int group_target(people_q *q, pgroup *g, pgroup **out)
{
    *out = g;
    int rc = group_owner(q, g);
    if (rc == SQLITE_OK && g->owner)
        rc = group_owner(q, g->owner);
    if (rc == SQLITE_OK && g->owner && !g->owner->owner)
        *out = g->owner;
    return rc;
}

/* *exists is set when some stored person's folded name is key. */
static int group_exists(people_q *q, const char *key, int *exists)
{
    sqlite3_stmt *s = stmt(q->db, S_PERSON_EXISTS);
    if (!s)
        return SQLITE_ERROR;
    int rc = sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    *exists = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *exists = 1;
        rc = SQLITE_OK;
    }
    return qt_db_finish(s, rc);
}

/* Add g's people rows (articles and counts) and alias forms to the person being built. */
static int person_add_group(people_q *q, const pgroup *g, size_t *n_quotes, size_t *n_mentions)
{
    sqlite3_stmt *s = stmt(q->db, S_PERSON_ROWS);
    if (!s)
        return SQLITE_ERROR;
    int rc = bind_group(s, g);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        pvote *v = qt_vec_push(&q->articles);
        sqlite3_int64 nq = sqlite3_column_int64(s, 1), nm = sqlite3_column_int64(s, 2);
        rc = v ? SQLITE_OK : SQLITE_NOMEM;
        if (v)
            *v = (pvote){sqlite3_column_int64(s, 0), sqlite3_column_int(s, 3) != 0};
        *n_quotes += nq > 0 ? (size_t)nq : 0;
        *n_mentions += nm > 0 ? (size_t)nm : 0;
    }
    rc = qt_db_finish(s, rc);

    s = rc == SQLITE_OK ? stmt(q->db, S_PERSON_ALIASES) : NULL;
    if (rc == SQLITE_OK && !s)
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK) {
        rc = bind_group(s, g);
        while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            atally *t = qt_vec_push(&q->tally);
            if (t) {
                t->folded = qt_arena_strndup(&q->arena, qt_db_col_str(s, 0),
                                             (size_t)sqlite3_column_bytes(s, 0));
                t->alias = qt_arena_strndup(&q->arena, qt_db_col_str(s, 1),
                                            (size_t)sqlite3_column_bytes(s, 1));
                t->n = (size_t)sqlite3_column_int64(s, 2);
            }
            rc = t && t->folded && t->alias ? SQLITE_OK : SQLITE_NOMEM;
        }
        rc = qt_db_finish(s, rc);
    }
    return rc;
}

/* Forms of one folded alias together, the most used original first; on a tie the longer one
 * (in bytes: "Renée" over "Renee", as accents are more often dropped than added), then byte
 * order, so the result never depends on row order. */
static int cmp_tally(const void *pa, const void *pb)
{
    const atally *a = pa, *b = pb;
    int c = strcmp(a->folded, b->folded);
    if (c)
        return c;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    size_t la = strlen(a->alias), lb = strlen(b->alias);
    if (la != lb)
        return la > lb ? -1 : 1;
    return strcmp(a->alias, b->alias);
}

/* Most used alias first, then by folded form. */
static int cmp_alias_total(const void *pa, const void *pb)
{
    const atally *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->folded, b->folded);
}

/* By article, then kind: each article's votes together, each vote once. */
static int cmp_vote(const void *pa, const void *pb)
{
    const pvote *a = pa, *b = pb;
    if (a->article != b->article)
        return a->article < b->article ? -1 : 1;
    return (a->org > b->org) - (a->org < b->org);
}

/* Most quotes first, then by folded name, then by name. */
static int cmp_prow(const void *pa, const void *pb)
{
    const prow *a = pa, *b = pb;
    if (a->row.n_quotes != b->row.n_quotes)
        return a->row.n_quotes > b->row.n_quotes ? -1 : 1;
    int c = strcmp(a->key, b->key);
    return c ? c : strcmp(a->row.name, b->row.name);
}

/* Build the person listed under root and append it to q->rows. The groups root takes in are
 * among its own aliases, since being one is what made root their owner. */
static int person_build(people_q *q, pgroup *root)
{
    size_t n_quotes = 0, n_mentions = 0;
    q->tally.n = 0;
    q->articles.n = 0;
    int rc = person_add_group(q, root, &n_quotes, &n_mentions);
    size_t n_own = q->tally.n;
    if (n_own > 1)
        qsort(q->tally.items, n_own, sizeof(atally), cmp_tally);
    for (size_t i = 0; rc == SQLITE_OK && !root->owner && i < n_own; i++) {
        /* The vector may move as groups are added: keep the arena strings, not the items. */
        const char *folded = QT_VEC_AT(&q->tally, atally, i).folded;
        int exists = 0;
        if ((i > 0 && strcmp(QT_VEC_AT(&q->tally, atally, i - 1).folded, folded) == 0) ||
            strcmp(folded, root->key) == 0)
            continue;
        rc = group_exists(q, folded, &exists);
        if (rc != SQLITE_OK || !exists)
            continue;
        pgroup *g = group_get(q, folded, strlen(folded));
        rc = g ? group_owner(q, g) : SQLITE_NOMEM;
        if (rc == SQLITE_OK && g->owner == root)
            rc = person_add_group(q, g, &n_quotes, &n_mentions);
    }
    if (rc != SQLITE_OK)
        return rc;

    /* Articles: a merged group may share an article with root ("Brannock" in the headline).
     * Each article votes once for each kind its rows gave (the design note above). */
    size_t n_articles = 0, n_org = 0, n_person = 0;
    pvote *votes = q->articles.items;
    if (q->articles.n > 1)
        qsort(votes, q->articles.n, sizeof *votes, cmp_vote);
    for (size_t i = 0; i < q->articles.n; i++) {
        int new_article = i == 0 || votes[i].article != votes[i - 1].article;
        n_articles += new_article;
        if (new_article || votes[i].org != votes[i - 1].org)
            *(votes[i].org ? &n_org : &n_person) += 1;
    }

    /* One entry per folded form: its best original and its total use. */
    atally *t = q->tally.items;
    size_t n_forms = 0;
    if (q->tally.n > 1)
        qsort(t, q->tally.n, sizeof *t, cmp_tally);
    for (size_t i = 0; i < q->tally.n; i++) {
        if (n_forms > 0 && strcmp(t[n_forms - 1].folded, t[i].folded) == 0)
            t[n_forms - 1].n += t[i].n;
        else
            t[n_forms++] = t[i];
    }
    const char *name = root->key;   /* only if the name's own alias row is missing */
    const char **aliases = qt_arena_calloc(&q->arena, n_forms + 1, sizeof *aliases);
    if (!aliases)
        return SQLITE_NOMEM;
    size_t n_aliases = 0;
    for (size_t i = 0; i < n_forms; i++) {
        if (strcmp(t[i].folded, root->key) == 0)
            name = t[i].alias;
        else
            t[n_aliases++] = t[i];
    }
    if (n_aliases > 1)
        qsort(t, n_aliases, sizeof *t, cmp_alias_total);
    for (size_t i = 0; i < n_aliases; i++)
        aliases[i] = t[i].alias;

    prow *r = qt_vec_push(&q->rows);
    if (!r)
        return SQLITE_NOMEM;
    r->key = root->key;
    r->row = (qt_person_row){.name = name, .aliases = aliases, .n_aliases = n_aliases,
                             .n_articles = n_articles, .n_quotes = n_quotes,
                             .n_mentions = n_mentions,
                             .kind = n_org > n_person ? "organisation" : "person"};
    return SQLITE_OK;
}

/* Steps 1 to 3 of the design note above: fill q->rows, sorted. */
static int people_collect(people_q *q, int filtered)
{
    qt_vec cands = QT_VEC_INIT(pgroup *);
    sqlite3_stmt *s = stmt(q->db, filtered ? S_PEOPLE_MATCH : S_PEOPLE_ALL);
    int rc = s ? SQLITE_OK : SQLITE_ERROR;
    if (rc == SQLITE_OK && filtered)
        rc = bind_key(s, 1, &q->db->key);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        pgroup **c = qt_vec_push(&cands);
        if (c)
            *c = group_get(q, qt_db_col_str(s, 0), (size_t)sqlite3_column_bytes(s, 0));
        rc = c && *c ? SQLITE_OK : SQLITE_NOMEM;
    }
    if (s)
        rc = qt_db_finish(s, rc);
    for (size_t i = 0; rc == SQLITE_OK && i < cands.n; i++) {
        pgroup *root = NULL;
        rc = group_target(q, QT_VEC_AT(&cands, pgroup *, i), &root);
        if (rc == SQLITE_OK && !root->listed) {
            root->listed = 1;
            rc = person_build(q, root);
        }
    }
    qt_vec_release(&cands);
    if (rc == SQLITE_OK && q->rows.n > 1)
        qsort(q->rows.items, q->rows.n, sizeof(prow), cmp_prow);
    return rc;
}

qt_status qt_db_each_person(qt_db *db, const char *name,
                            int (*fn)(void *ctx, const qt_person_row *row), void *ctx,
                            size_t *n_found, qt_err *err)
{
    if (n_found)
        *n_found = 0;
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    /* A filter that folds to nothing ("", "  ") is no filter, as for quotes. */
    if (name && qt_db_fold_key(&db->key, name) != QT_OK)
        return qt_fail(err, QT_ENOMEM, "cannot list people: out of memory");
    int filtered = name && db->key.len > 0;

    people_q q = {.db = db, .arena = QT_ARENA_INIT, .tally = QT_VEC_INIT(atally),
                  .articles = QT_VEC_INIT(pvote), .rows = QT_VEC_INIT(prow)};
    qt_status rc = QT_OK;
    int src = people_collect(&q, filtered);
    if (src == SQLITE_NOMEM && sqlite3_errcode(db->h) != SQLITE_NOMEM)
        rc = qt_fail(err, QT_ENOMEM, "cannot list people: out of memory");
    else if (src != SQLITE_OK)
        rc = qt_db_fail(db, err, "cannot list people in");
    for (size_t i = 0; rc == QT_OK && i < q.rows.n; i++) {
        if (n_found)
            (*n_found)++;
        if (fn && fn(ctx, &QT_VEC_AT(&q.rows, prow, i).row) != 0)
            break;
    }
    qt_vec_release(&q.rows);
    qt_vec_release(&q.articles);
    qt_vec_release(&q.tally);
    qt_arena_free(&q.arena);
    return rc;
}

/* ---- near-duplicate queries ------------------------------------------------------------------- */

/* qt_db_each_dup() in four steps, all before fn first runs (n2, n3):
 *  1. every signature, read once in row id order (dup_node);
 *  2. candidates: for each band, the band keys of all signatures sorted, each bucket's
 *     articles paired (bucket_pairs()); then the pairs sorted and made distinct;
 *  3. verification of each pair from its two signatures, and its kind;
 *  4. identities (id, hash, source, title) of the articles in a pair found, then the order.
 * The whole query runs inside one savepoint, so it reads one state of the database even while
 * an ingest commits (WAL), and it is released before fn runs, so fn may use db. */

typedef struct dup_cand {        /* two articles (row ids) that share a bucket, x < y */
    sqlite3_int64 x, y;
} dup_cand;

typedef struct dup_member {      /* an article of a bucket over the cap, ranked by its hash */
    uint64_t rank;
    sqlite3_int64 id;
} dup_member;

typedef struct dup_rank {        /* the rank cache: one entry per article looked up */
    sqlite3_int64 id;
    uint64_t rank;
} dup_rank;

typedef struct dup_band {        /* one signed article's key in the band being bucketed */
    uint32_t key;
    uint32_t node;               /* index into nodes: row id order */
} dup_band;

typedef struct dup_node {        /* a signed article */
    sqlite3_int64 id;
    qt_minhash m;
    int has_sig;
    int loaded;                  /* arts filled in (step 4) */
    qt_dup_article *arts;        /* one per id it arrived under, by id (n4) */
    size_t n_arts;
} dup_node;

typedef struct dup_hit {         /* a verified pair, before orientation */
    size_t x, y;                 /* indexes into nodes */
    double sim, cxy, cyx;        /* cxy: the share of x's shingles that y has */
    const char *kind;
    int counted;                 /* figures from the texts (n5) */
} dup_hit;

typedef struct dup_q {
    qt_db *db;
    qt_arena arena;              /* strings and the rank cache of this call */
    qt_vec members;              /* sqlite3_int64: the bucket being read */
    qt_vec band;                 /* dup_band: the band being bucketed */
    qt_vec ranked;               /* dup_member: a bucket over the cap */
    qt_vec cands;                /* dup_cand */
    qt_vec nodes;                /* dup_node, by id */
    qt_vec hits;                 /* dup_hit */
    qt_vec checks;               /* dup_hit (kind unset): estimates near min, to count (n5) */
    qt_text tx;                  /* a text being counted */
    qt_vec set_x, set_y;         /* uint64_t: shingle sets of the pair being counted */
    sqlite3_int64 set_x_id;      /* whose set set_x holds, 0 for none */
    unsigned flags;
    qt_vec pairs;                /* qt_dup_pair, the result */
    qt_vec ids;                  /* qt_dup_article: one article's ids, being read */
    dup_rank *slot;              /* open addressing; cap a power of two, at most half full */
    size_t cap, n_ranked;
    qt_dup_stats st;
} dup_q;

/* *out receives article id's rank: a hash of its content hash, so that the articles a capped
 * bucket keeps do not depend on the order they were stored in. Looked up once per call. */
static int dup_rank_of(dup_q *q, sqlite3_int64 id, uint64_t *out)
{
    if (2 * (q->n_ranked + 1) > q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 1024;
        dup_rank *slot = qt_arena_calloc(&q->arena, cap, sizeof *slot);
        if (!slot)
            return SQLITE_NOMEM;
        for (size_t i = 0; i < q->cap; i++) {
            if (!q->slot[i].id)
                continue;
            size_t j = (size_t)qt_hash64(&q->slot[i].id, sizeof id) & (cap - 1);
            while (slot[j].id)
                j = (j + 1) & (cap - 1);
            slot[j] = q->slot[i];
        }
        q->slot = slot;   /* the old table stays in the arena: at most as much again */
        q->cap = cap;
    }
    size_t j = (size_t)qt_hash64(&id, sizeof id) & (q->cap - 1);
    for (; q->slot[j].id; j = (j + 1) & (q->cap - 1)) {
        if (q->slot[j].id == id) {
            *out = q->slot[j].rank;
            return SQLITE_OK;
        }
    }
    sqlite3_stmt *s = stmt(q->db, S_DUP_ARTICLE);
    if (!s)
        return SQLITE_ERROR;
    uint64_t rank = 0;
    int rc = sqlite3_bind_int64(s, 1, id);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rank = qt_hash64(qt_db_col_str(s, 1) ? qt_db_col_str(s, 1) : "", (size_t)sqlite3_column_bytes(s, 1));
        rc = SQLITE_DONE;
    }
    rc = qt_db_finish(s, rc);
    if (rc != SQLITE_OK)
        return rc;
    q->slot[j] = (dup_rank){id, rank};   /* row ids are >= 1: 0 marks an empty slot */
    q->n_ranked++;
    *out = rank;
    return SQLITE_OK;
}

static int cmp_i64(const void *pa, const void *pb)
{
    sqlite3_int64 a = *(const sqlite3_int64 *)pa, b = *(const sqlite3_int64 *)pb;
    return (a > b) - (a < b);
}

static int cmp_member(const void *pa, const void *pb)
{
    const dup_member *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int cmp_cand(const void *pa, const void *pb)
{
    const dup_cand *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return (a->y > b->y) - (a->y < b->y);
}

static int cmp_node(const void *pa, const void *pb)
{
    const dup_node *a = pa, *b = pb;
    return (a->id > b->id) - (a->id < b->id);
}

/* Pair the articles of the bucket in q->members (in row id order), keeping
 * QT_DUP_BUCKET_MAX of them when there are more: those of lowest rank. */
static int bucket_pairs(dup_q *q)
{
    size_t n = q->members.n;
    sqlite3_int64 *m = q->members.items;
    if (n < 2)
        return SQLITE_OK;
    if (n > QT_DUP_BUCKET_MAX) {
        const size_t cap = QT_DUP_BUCKET_MAX;
        q->st.n_capped++;
        q->st.n_unproposed += n * (n - 1) / 2 - cap * (cap - 1) / 2;
        q->ranked.n = 0;
        for (size_t i = 0; i < n; i++) {
            dup_member *r = qt_vec_push(&q->ranked);
            if (!r)
                return SQLITE_NOMEM;
            r->id = m[i];
            int rc = dup_rank_of(q, m[i], &r->rank);
            if (rc != SQLITE_OK)
                return rc;
        }
        qsort(q->ranked.items, n, sizeof(dup_member), cmp_member);
        for (size_t i = 0; i < cap; i++)
            m[i] = QT_VEC_AT(&q->ranked, dup_member, i).id;
        n = cap;
        qsort(m, n, sizeof *m, cmp_i64);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            dup_cand *c = qt_vec_push(&q->cands);
            if (!c)
                return SQLITE_NOMEM;
            /* the new item may have moved the array, but m is q->members', not q->cands' */
            *c = (dup_cand){m[i], m[j]};
        }
    }
    return SQLITE_OK;
}

static int cmp_band(const void *pa, const void *pb)
{
    const dup_band *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->node > b->node) - (a->node < b->node);
}

/* Step 1: a node for every stored signature, by row id. A body under five words has none to
 * compare (its all-zero signature would share every band with every other short body). */
static int dup_signatures(dup_q *q)
{
    sqlite3_stmt *s = stmt(q->db, S_DUP_SIGS);
    if (!s)
        return SQLITE_ERROR;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(s, 1);
        sqlite3_int64 n = sqlite3_column_int64(s, 2);
        if (!p || sqlite3_column_bytes(s, 1) != SIG_BYTES || n <= 0 || n > UINT32_MAX)
            continue;
        dup_node *d = qt_vec_push(&q->nodes);
        if (!d) {
            rc = SQLITE_NOMEM;
            break;
        }
        *d = (dup_node){.id = sqlite3_column_int64(s, 0), .has_sig = 1};
        sig_decode(p, &d->m);
        d->m.shingles = (uint32_t)n;
    }
    return qt_db_finish(s, rc);
}

/* Sort q->cands and drop repeats; returns how many are left. */
static size_t dup_distinct(dup_q *q)
{
    dup_cand *c = q->cands.items;
    size_t m = 0;
    if (q->cands.n > 1)
        qsort(c, q->cands.n, sizeof *c, cmp_cand);
    for (size_t i = 0; i < q->cands.n; i++)
        if (m == 0 || c[i].x != c[m - 1].x || c[i].y != c[m - 1].y)
            c[m++] = c[i];
    q->cands.n = m;
    return m;
}

/* Step 2: q->cands, sorted and distinct, band by band (n2). */
static int dup_candidates(dup_q *q)
{
    size_t distinct = 1024;   /* not worth sorting before this many */
    size_t n = q->nodes.n;
    if (n < 2 || n > UINT32_MAX)
        return n < 2 ? SQLITE_OK : SQLITE_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (!qt_vec_push(&q->band))
            return SQLITE_NOMEM;
    dup_band *e = q->band.items;
    for (size_t band = 0; band < QT_LSH_BANDS; band++) {
        for (size_t i = 0; i < n; i++)
            e[i] = (dup_band){qt_minhash_band(&QT_VEC_AT(&q->nodes, dup_node, i).m, band),
                              (uint32_t)i};
        qsort(e, n, sizeof *e, cmp_band);
        for (size_t i = 0; i < n;) {
            size_t j = i;
            q->members.n = 0;
            for (; j < n && e[j].key == e[i].key; j++) {
                sqlite3_int64 *id = qt_vec_push(&q->members);
                if (!id)
                    return SQLITE_NOMEM;
                *id = QT_VEC_AT(&q->nodes, dup_node, e[j].node).id;
            }
            int rc = bucket_pairs(q);
            if (rc != SQLITE_OK)
                return rc;
            i = j;
        }
        /* A family of reprints shares most of its bands: without this its pairs would pile
         * up once per band. Made distinct whenever they have doubled since last time, so the
         * list stays under twice the distinct pairs at a cost of O(log bands) sorts. */
        if (q->cands.n >= 2 * distinct || band + 1 == QT_LSH_BANDS) {
            distinct = dup_distinct(q);
            if (distinct < 1024)
                distinct = 1024;
        }
    }
    q->st.n_candidates = q->cands.n;
    return SQLITE_OK;
}

/* The node of article id (step 1 made one for every signed article, in id order). */
static dup_node *dup_node_of(dup_q *q, sqlite3_int64 id)
{
    dup_node key = {.id = id};
    return bsearch(&key, q->nodes.items, q->nodes.n, sizeof key, cmp_node);
}

/* The kind of a pair from its figures, or NULL when it is none at min. */
static const char *dup_kind(double sim, double cxy, double cyx, double min)
{
    if (sim >= min)
        return "near";
    if (cxy >= min || cyx >= min)
        return "containment";
    return NULL;
}

static int dup_push_hit(dup_q *q, const dup_hit *h)
{
    dup_hit *p = qt_vec_push(&q->hits);
    if (!p)
        return SQLITE_NOMEM;
    *p = *h;
    return SQLITE_OK;
}

/* Step 3: verify each candidate pair from the two signatures; keep those of a kind, and set
 * aside those whose estimate is too near min to trust (n5). */
static int dup_verify(dup_q *q, double min)
{
    for (size_t i = 0; i < q->cands.n; i++) {
        dup_cand c = QT_VEC_AT(&q->cands, dup_cand, i);
        dup_node *x = dup_node_of(q, c.x), *y = dup_node_of(q, c.y);
        if (!x || !y || !x->has_sig || !y->has_sig)
            continue;
        qt_minhash_est est;
        qt_minhash_compare(&x->m, &y->m, &est);
        dup_hit h = {(size_t)(x - (dup_node *)q->nodes.items),
                     (size_t)(y - (dup_node *)q->nodes.items), est.similarity,
                     est.contained[0], est.contained[1], NULL, 0};
        if (h.sim == 1.0 && x->m.shingles == y->m.shingles &&
            memcmp(x->m.v, y->m.v, sizeof x->m.v) == 0) {
            h.kind = "exact";
        } else {
            double top = fmax(h.sim, fmax(h.cxy, h.cyx));
            /* near min either way the pair could be decided: listed at all, or as near */
            if (!(q->flags & QT_DUP_ESTIMATES_ONLY) &&
                (fabs(top - min) < QT_DUP_CHECK_BAND || fabs(h.sim - min) < QT_DUP_CHECK_BAND)) {
                dup_hit *k = qt_vec_push(&q->checks);
                if (!k)
                    return SQLITE_NOMEM;
                *k = h;
                continue;
            }
            h.kind = dup_kind(h.sim, h.cxy, h.cyx, min);
        }
        if (h.kind && dup_push_hit(q, &h) != SQLITE_OK)
            return SQLITE_NOMEM;
    }
    return SQLITE_OK;
}

/* The exact shingle set of stored article id into set; *found is 0 when it has no text (a
 * shard's article) or no shingle. */
static int dup_set(dup_q *q, sqlite3_int64 id, qt_vec *set, int *found)
{
    sqlite3_stmt *s = stmt(q->db, S_DUP_TEXT);
    if (!s)
        return SQLITE_ERROR;
    *found = 0;
    set->n = 0;
    int rc = sqlite3_bind_int64(s, 1, id);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(s, 0);
        size_t n = (size_t)sqlite3_column_bytes(s, 0);
        rc = SQLITE_DONE;
        if (p && n && (qt_text_scan(&q->tx, p, n) != QT_OK || qt_shingle_set(&q->tx, set) != QT_OK))
            rc = SQLITE_NOMEM;
        *found = rc == SQLITE_DONE && set->n > 0;
    }
    return qt_db_finish(s, rc);
}

/* Step 3b (n5): count the pairs set aside from their texts, in candidate order, so that each
 * article on the left is read once for the run of pairs it leads. */
static int dup_count(dup_q *q, double min)
{
    q->set_x_id = 0;
    int has_x = 0;
    for (size_t i = 0; i < q->checks.n; i++) {
        dup_hit h = QT_VEC_AT(&q->checks, dup_hit, i);
        sqlite3_int64 xid = QT_VEC_AT(&q->nodes, dup_node, h.x).id;
        sqlite3_int64 yid = QT_VEC_AT(&q->nodes, dup_node, h.y).id;
        int rc, has_y = 0;
        if (xid != q->set_x_id) {
            if ((rc = dup_set(q, xid, &q->set_x, &has_x)) != SQLITE_OK)
                return rc;
            q->set_x_id = xid;
        }
        if (has_x && (rc = dup_set(q, yid, &q->set_y, &has_y)) != SQLITE_OK)
            return rc;
        if (has_x && has_y) {
            double sh = (double)qt_shingle_shared(&q->set_x, &q->set_y);
            double nx = (double)q->set_x.n, ny = (double)q->set_y.n;
            h.sim = sh / (nx + ny - sh);
            h.cxy = sh / nx;
            h.cyx = sh / ny;
            h.counted = 1;
            h.kind = sh == nx && sh == ny ? "exact" : dup_kind(h.sim, h.cxy, h.cyx, min);
            q->st.n_counted++;
        } else {
            h.kind = dup_kind(h.sim, h.cxy, h.cyx, min);
            q->st.n_textless++;
        }
        if (h.kind && dup_push_hit(q, &h) != SQLITE_OK)
            return SQLITE_NOMEM;
    }
    return SQLITE_OK;
}

/* Fill in d->arts from the articles and copies tables (step 4), once per node: one entry per
 * id the article's text arrived under, all with its hash, title and shingles (n4). */
static int dup_load(dup_q *q, dup_node *d)
{
    if (d->loaded)
        return SQLITE_OK;
    sqlite3_stmt *s = stmt(q->db, S_DUP_ARTICLE);
    if (!s)
        return SQLITE_ERROR;
    qt_dup_article art = {0};
    int rc = sqlite3_bind_int64(s, 1, d->id);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        art.id = col_dup(&q->arena, s, 0);
        art.hash = col_dup(&q->arena, s, 1);
        art.source = col_dup(&q->arena, s, 2);
        art.title = col_dup(&q->arena, s, 3);
        art.shingles = (unsigned)d->m.shingles;
        rc = (qt_db_col_str(s, 0) && !art.id) || (qt_db_col_str(s, 1) && !art.hash) ||
                     (qt_db_col_str(s, 2) && !art.source) || (qt_db_col_str(s, 3) && !art.title)
                 ? SQLITE_NOMEM
                 : SQLITE_DONE;
    }
    rc = qt_db_finish(s, rc);
    if (rc == SQLITE_OK && (!art.id || !art.hash))
        rc = SQLITE_CORRUPT;   /* a signature whose article has gone: the foreign key forbids it */
    if (rc != SQLITE_OK)
        return rc;
    q->ids.n = 0;
    s = stmt(q->db, S_DUP_IDS);
    rc = s ? sqlite3_bind_int64(s, 1, d->id) : SQLITE_ERROR;
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        qt_dup_article *e = qt_vec_push(&q->ids);
        if (!e) {
            rc = SQLITE_NOMEM;
            break;
        }
        *e = art;
        e->id = col_dup(&q->arena, s, 0);
        e->source = col_dup(&q->arena, s, 1);
        if (!e->id || (qt_db_col_str(s, 1) && !e->source))
            rc = SQLITE_NOMEM;
        else
            rc = SQLITE_OK;
    }
    if (s)
        rc = qt_db_finish(s, rc);
    if (rc != SQLITE_OK)
        return rc;
    if (q->ids.n == 0) {   /* no copies row (the store always writes one): its own identity */
        d->arts = qt_arena_calloc(&q->arena, 1, sizeof art);
        if (!d->arts)
            return SQLITE_NOMEM;
        d->arts[0] = art;
        d->n_arts = 1;
    } else {
        d->arts = qt_arena_calloc(&q->arena, q->ids.n, sizeof art);
        if (!d->arts)
            return SQLITE_NOMEM;
        memcpy(d->arts, q->ids.items, q->ids.n * sizeof art);
        d->n_arts = q->ids.n;
    }
    d->loaded = 1;
    return SQLITE_OK;
}

/* Articles by id, then by hash (unique): a total order that ingest order cannot change. */
static int cmp_dup_article(const qt_dup_article *a, const qt_dup_article *b)
{
    int c = strcmp(a->id, b->id);
    return c ? c : strcmp(a->hash, b->hash);
}

static int cmp_dup_pair(const void *pa, const void *pb)
{
    const qt_dup_pair *a = pa, *b = pb;
    if (a->similarity != b->similarity)
        return a->similarity > b->similarity ? -1 : 1;
    int c = cmp_dup_article(&a->a, &b->a);
    return c ? c : cmp_dup_article(&a->b, &b->b);
}

/* Push the pairs among n ids of one text (sorted by id, all distinct) as "exact" copies. */
static int copy_pairs(dup_q *q, const qt_dup_article *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            qt_dup_pair *p = qt_vec_push(&q->pairs);
            if (!p)
                return SQLITE_NOMEM;
            *p = (qt_dup_pair){.a = ids[i], .b = ids[j], .similarity = 1.0,
                               .containment = {1.0, 1.0}, .kind = "exact"};
        }
    }
    return SQLITE_OK;
}

/* The pairs among the ids of every article whose text arrived under more than one (n4). */
static int dup_copies(dup_q *q)
{
    sqlite3_stmt *s = stmt(q->db, S_DUP_COPIES);
    if (!s)
        return SQLITE_ERROR;
    int rc;
    sqlite3_int64 cur = 0;
    q->ids.n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sqlite3_int64 art = sqlite3_column_int64(s, 0);
        if (q->ids.n && art != cur) {
            if ((rc = copy_pairs(q, q->ids.items, q->ids.n)) != SQLITE_OK)
                break;
            q->ids.n = 0;
        }
        cur = art;
        qt_dup_article *e = qt_vec_push(&q->ids);
        if (!e) {
            rc = SQLITE_NOMEM;
            break;
        }
        sqlite3_int64 sh = sqlite3_column_int64(s, 5);   /* NULL (no signature) reads 0 */
        *e = (qt_dup_article){.id = col_dup(&q->arena, s, 1), .source = col_dup(&q->arena, s, 2),
                              .hash = col_dup(&q->arena, s, 3), .title = col_dup(&q->arena, s, 4),
                              .shingles = sh > 0 && sh <= UINT32_MAX ? (unsigned)sh : 0};
        if (!e->id || !e->hash || (qt_db_col_str(s, 2) && !e->source) || (qt_db_col_str(s, 4) && !e->title)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    rc = qt_db_finish(s, rc);
    if (rc == SQLITE_OK)
        rc = copy_pairs(q, q->ids.items, q->ids.n);
    return rc;
}

/* Step 4: q->pairs, oriented as quotetrail.h says and sorted: each verified pair of articles
 * once for every id of one with every id of the other, and the pairs among each article's own
 * ids (n4). */
static int dup_results(dup_q *q)
{
    for (size_t i = 0; i < q->hits.n; i++) {
        dup_hit h = QT_VEC_AT(&q->hits, dup_hit, i);
        dup_node *x = &QT_VEC_AT(&q->nodes, dup_node, h.x), *y = &QT_VEC_AT(&q->nodes, dup_node, h.y);
        int rc = dup_load(q, x);
        if (rc == SQLITE_OK)
            rc = dup_load(q, y);
        if (rc != SQLITE_OK)
            return rc;
        for (size_t ix = 0; ix < x->n_arts; ix++) {
            for (size_t iy = 0; iy < y->n_arts; iy++) {
                const qt_dup_article *xa = &x->arts[ix], *ya = &y->arts[iy];
                /* A containment pair names the one contained first; ties and the others go
                 * by id. */
                int swap = strcmp(h.kind, "containment") == 0 && h.cxy != h.cyx
                               ? h.cyx > h.cxy
                               : cmp_dup_article(xa, ya) > 0;
                qt_dup_pair *p = qt_vec_push(&q->pairs);
                if (!p)
                    return SQLITE_NOMEM;
                *p = (qt_dup_pair){.a = swap ? *ya : *xa, .b = swap ? *xa : *ya,
                                   .similarity = h.sim,
                                   .containment = {swap ? h.cyx : h.cxy, swap ? h.cxy : h.cyx},
                                   .kind = h.kind, .counted = h.counted};
            }
        }
    }
    int rc = dup_copies(q);
    if (rc != SQLITE_OK)
        return rc;
    q->st.n_pairs = q->pairs.n;
    if (q->pairs.n > 1)
        qsort(q->pairs.items, q->pairs.n, sizeof(qt_dup_pair), cmp_dup_pair);
    return SQLITE_OK;
}

static int dup_counts(dup_q *q)
{
    sqlite3_stmt *s = stmt(q->db, S_DUP_COUNTS);
    if (!s)
        return SQLITE_ERROR;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        sqlite3_int64 n_all = sqlite3_column_int64(s, 0), n_sig = sqlite3_column_int64(s, 1);
        q->st.n_articles = n_sig > 0 ? (size_t)n_sig : 0;
        q->st.n_unsigned = n_all > n_sig ? (size_t)(n_all - n_sig) : 0;
        rc = SQLITE_DONE;
    }
    return qt_db_finish(s, rc);
}

qt_status qt_db_each_dup(qt_db *db, double min, int (*fn)(void *ctx, const qt_dup_pair *pair),
                         void *ctx, qt_dup_stats *stats, qt_err *err)
{
    return qt_db_each_dup_ex(db, min, 0, fn, ctx, stats, err);
}

qt_status qt_db_each_dup_ex(qt_db *db, double min, unsigned flags,
                            int (*fn)(void *ctx, const qt_dup_pair *pair), void *ctx,
                            qt_dup_stats *stats, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    if (!(min > 0.0 && min <= 1.0))   /* NaN too */
        return qt_fail(err, QT_EINVAL, "minimum similarity %g is not in (0, 1]", min);
    dup_q q = {.db = db, .arena = QT_ARENA_INIT, .members = QT_VEC_INIT(sqlite3_int64),
               .band = QT_VEC_INIT(dup_band), .checks = QT_VEC_INIT(dup_hit),
               .set_x = QT_VEC_INIT(uint64_t), .set_y = QT_VEC_INIT(uint64_t), .flags = flags,
               .tx = QT_TEXT_INIT,
               .ranked = QT_VEC_INIT(dup_member), .cands = QT_VEC_INIT(dup_cand),
               .nodes = QT_VEC_INIT(dup_node), .hits = QT_VEC_INIT(dup_hit),
               .pairs = QT_VEC_INIT(qt_dup_pair), .ids = QT_VEC_INIT(qt_dup_article)};
    qt_status rc = QT_OK;
    int src = qt_db_run(stmt(db, S_DUP_SAVEPOINT));
    int open = src == SQLITE_OK;
    if (src == SQLITE_OK)
        src = dup_counts(&q);
    if (src == SQLITE_OK)
        src = dup_signatures(&q);
    if (src == SQLITE_OK)
        src = dup_candidates(&q);
    if (src == SQLITE_OK)
        src = dup_verify(&q, min);
    if (src == SQLITE_OK)
        src = dup_count(&q, min);
    if (src == SQLITE_OK)
        src = dup_results(&q);
    if (src == SQLITE_OK)
        src = qt_db_run(stmt(db, S_DUP_RELEASE));
    if (src == SQLITE_NOMEM && sqlite3_errcode(db->h) != SQLITE_NOMEM)
        rc = qt_fail(err, QT_ENOMEM, "cannot list near-duplicates: out of memory");
    else if (src != SQLITE_OK)
        rc = qt_db_fail(db, err, "cannot list near-duplicates in");
    if (rc != QT_OK && open && !sqlite3_get_autocommit(db->h)) {
        qt_db_run(stmt(db, S_DUP_ROLLBACK_TO));
        qt_db_run(stmt(db, S_DUP_RELEASE));
    }
    if (rc == QT_OK && stats)
        *stats = q.st;
    for (size_t i = 0; rc == QT_OK && fn && i < q.pairs.n; i++)
        if (fn(ctx, &QT_VEC_AT(&q.pairs, qt_dup_pair, i)) != 0)
            break;
    qt_vec_release(&q.pairs);
    qt_vec_release(&q.ids);
    qt_vec_release(&q.hits);
    qt_vec_release(&q.nodes);
    qt_vec_release(&q.cands);
    qt_vec_release(&q.ranked);
    qt_vec_release(&q.members);
    qt_vec_release(&q.band);
    qt_vec_release(&q.checks);
    qt_vec_release(&q.set_x);
    qt_vec_release(&q.set_y);
    qt_text_release(&q.tx);
    qt_arena_free(&q.arena);
    return rc;
}

/* ---- quote clusters --------------------------------------------------------------------------- */

/* qt_db_each_quote_cluster() from qkeys alone (migration 7), in five steps before fn runs:
 *  1. the keyed quotes, with their article's id and date, in row id order (qc_node);
 *  2. one pass over qkeys in hash order: a hash of at most QT_QKEY_HASH_MAX quotes joins at
 *     once each two of them where either key is short (1 or 2 hashes), and lists the other
 *     pairs; a pair listed twice or more (two shared hashes) is then joined;
 *  3. every id each article arrived under (copies), with that copy's own date;
 *  4. members ordered by their article's least id (then content hash, then start), clusters
 *     numbered in the order of their first member, so neither depends on the order articles
 *     were stored in; and the earliest carrier of each: the least date among every id of every
 *     member (ties: the least id), unless an undated member's inferred range (article_dates)
 *     ends before it; with no date, the earliest inferred range (link/qt_dates.h, "the
 *     earliest carrier"). Only a cluster with neither falls back to storage order, the one
 *     trace of time left: the member stored first.
 *  5. src/store/clusters.c describes them (wording, speakers, venue) and, for qt_db_trace(),
 *     keeps and orders the clusters the words match.
 * Inside one savepoint, released before fn runs, as qt_db_each_dup(). Memory: about 80 bytes
 * per keyed quote and 8 per listed pair. */

typedef struct qc_node {
    sqlite3_int64 id, art;
    size_t start, end;
    const char *text, *ext_id, *published, *hash;
    size_t n_key;
    uint32_t parent;
} qc_node;

typedef struct qc_copy {
    sqlite3_int64 art;
    const char *id, *published;
    const qt_date_range *inferred;   /* the article's row in article_dates, or NULL */
} qc_copy;

typedef struct qc_q {
    qt_db *db;
    qt_arena arena;
    qt_vec nodes;                /* qc_node, by id */
    qt_vec group;                /* uint32_t: the quotes of the hash being read */
    qt_vec pairs;                /* uint64_t: x << 32 | y, x < y */
    qt_vec copies;               /* qc_copy, by article then id */
    qt_vec ids;                  /* const char *: copies' ids in the same order */
    qt_vec pubs;                 /* const char *: copies' dates in the same order */
    qt_cluster_member *members;
    sqlite3_int64 *rows;         /* each member's quote row id, parallel to members */
    qt_quote_cluster *clusters;
    qt_cluster_stats st;
} qc_q;

static uint32_t qc_find(qc_node *n, uint32_t x)
{
    while (n[x].parent != x) {
        n[x].parent = n[n[x].parent].parent;
        x = n[x].parent;
    }
    return x;
}

static void qc_union(qc_node *n, uint32_t x, uint32_t y)
{
    x = qc_find(n, x);
    y = qc_find(n, y);
    if (x < y)
        n[y].parent = x;
    else if (y < x)
        n[x].parent = y;
}

static qc_node *qc_node_of(qc_q *q, sqlite3_int64 id, uint32_t *at)
{
    size_t lo = 0, hi = q->nodes.n;
    qc_node *n = q->nodes.items;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (n[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == q->nodes.n || n[lo].id != id)
        return NULL;
    *at = (uint32_t)lo;
    return &n[lo];
}

static int qc_load(qc_q *q)
{
    sqlite3_stmt *s = stmt(q->db, S_QC_QUOTES);
    if (!s)
        return SQLITE_ERROR;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (q->nodes.n >= UINT32_MAX) {
            rc = SQLITE_TOOBIG;
            break;
        }
        qc_node *n = qt_vec_push(&q->nodes);
        if (!n) {
            rc = SQLITE_NOMEM;
            break;
        }
        sqlite3_int64 st = sqlite3_column_int64(s, 2), en = sqlite3_column_int64(s, 3),
                      nk = sqlite3_column_int64(s, 7);
        *n = (qc_node){.id = sqlite3_column_int64(s, 0), .art = sqlite3_column_int64(s, 1),
                       .start = st > 0 ? (size_t)st : 0, .end = en > 0 ? (size_t)en : 0,
                       .text = col_dup(&q->arena, s, 4), .ext_id = col_dup(&q->arena, s, 5),
                       .published = col_dup(&q->arena, s, 6), .hash = col_dup(&q->arena, s, 8),
                       .n_key = nk > 0 ? (size_t)nk : 0, .parent = (uint32_t)(q->nodes.n - 1)};
        if (!n->text || !n->ext_id || !n->hash || (qt_db_col_str(s, 6) && !n->published)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    q->st.n_quotes = q->nodes.n;
    return qt_db_finish(s, rc);
}

/* Step 2 for the hash whose quotes are in q->group. */
static int qc_group(qc_q *q)
{
    size_t m = q->group.n;
    const uint32_t *g = q->group.items;
    qc_node *n = q->nodes.items;
    if (m > QT_QKEY_HASH_MAX) {
        q->st.n_common++;
        return SQLITE_OK;
    }
    for (size_t i = 0; i < m; i++) {
        for (size_t j = i + 1; j < m; j++) {
            if (n[g[i]].n_key <= 2 || n[g[j]].n_key <= 2) {
                qc_union(n, g[i], g[j]);
                continue;
            }
            uint64_t *p = qt_vec_push(&q->pairs);
            if (!p)
                return SQLITE_NOMEM;
            uint32_t x = g[i] < g[j] ? g[i] : g[j], y = g[i] < g[j] ? g[j] : g[i];
            *p = (uint64_t)x << 32 | y;
        }
    }
    return SQLITE_OK;
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static int qc_join(qc_q *q)
{
    sqlite3_stmt *s = stmt(q->db, S_QC_SCAN);
    if (!s)
        return SQLITE_ERROR;
    int rc, have = 0;
    sqlite3_int64 cur = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sqlite3_int64 h = sqlite3_column_int64(s, 0);
        uint32_t at = 0;
        if (!qc_node_of(q, sqlite3_column_int64(s, 1), &at))
            continue;   /* cannot happen inside the savepoint: qkeys rows have their quote */
        if (have && h != cur) {
            if ((rc = qc_group(q)) != SQLITE_OK)
                break;
            q->group.n = 0;
        }
        have = 1;
        cur = h;
        uint32_t *p = qt_vec_push(&q->group);
        if (!p) {
            rc = SQLITE_NOMEM;
            break;
        }
        *p = at;
    }
    rc = qt_db_finish(s, rc);
    if (rc == SQLITE_OK && q->group.n)
        rc = qc_group(q);
    if (rc != SQLITE_OK)
        return rc;
    uint64_t *p = q->pairs.items;
    if (q->pairs.n > 1)
        qsort(p, q->pairs.n, sizeof *p, cmp_u64);
    for (size_t i = 0; i + 1 < q->pairs.n; i++)
        if (p[i] == p[i + 1])
            qc_union(q->nodes.items, (uint32_t)(p[i] >> 32), (uint32_t)(p[i] & 0xffffffffu));
    return SQLITE_OK;
}

static int qc_copies(qc_q *q)
{
    sqlite3_stmt *s = stmt(q->db, S_QC_COPIES);
    if (!s)
        return SQLITE_ERROR;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        qc_copy *c = qt_vec_push(&q->copies);
        const char **id = c ? qt_vec_push(&q->ids) : NULL;
        const char **pub = id ? qt_vec_push(&q->pubs) : NULL;
        if (!c || !id || !pub) {
            rc = SQLITE_NOMEM;
            break;
        }
        *c = (qc_copy){.art = sqlite3_column_int64(s, 0), .id = col_dup(&q->arena, s, 1),
                       .published = col_dup(&q->arena, s, 2)};
        *id = c->id;
        *pub = c->published;
        if (!c->id || (qt_db_col_str(s, 2) && !c->published)) {
            rc = SQLITE_NOMEM;
            break;
        }
        /* the article's date row, once per article: its rows come together */
        if (q->copies.n > 1 && c[-1].art == c->art) {
            c->inferred = c[-1].inferred;
        } else if (qt_db_col_str(s, 5)) {
            qt_date_range *r = qt_arena_calloc(&q->arena, 1, sizeof *r);
            if (!r || !(r->evidence = col_dup(&q->arena, s, 5)) ||
                (qt_db_col_str(s, 3) && !(r->from = col_dup(&q->arena, s, 3))) ||
                (qt_db_col_str(s, 4) && !(r->to = col_dup(&q->arena, s, 4)))) {
                rc = SQLITE_NOMEM;
                break;
            }
            c->inferred = r;
        }
    }
    return qt_db_finish(s, rc);
}

typedef struct qc_ord {          /* a node's place in the output order */
    const char *id;              /* its article's least id (copies), then */
    const char *hash;            /* its article's content hash */
    size_t start;
    size_t lo, hi;               /* its article's rows in copies: [lo, hi) */
    uint32_t i;                  /* index into nodes (its row id order breaks ties) */
} qc_ord;

/* Nothing here depends on the order articles were stored in (row ids tie only quotes of one
 * article, stored in text order by every analysis), so a collection ingested in any order or
 * any number of runs numbers and lists its clusters alike. */
static int cmp_qc_ord(const void *pa, const void *pb)
{
    const qc_ord *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c == 0)
        c = strcmp(a->hash, b->hash);
    if (c != 0)
        return c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Step 4. */
static int qc_build(qc_q *q)
{
    size_t n = q->nodes.n;
    qc_node *nodes = q->nodes.items;
    if (n == 0)
        return SQLITE_OK;
    qc_ord *ord = qt_arena_calloc(&q->arena, n, sizeof *ord);
    uint32_t *cl = qt_arena_calloc(&q->arena, n, sizeof *cl);      /* root -> cluster + 1 */
    size_t *size = qt_arena_calloc(&q->arena, n + 1, sizeof *size);
    q->members = qt_arena_calloc(&q->arena, n, sizeof *q->members);
    q->rows = qt_arena_calloc(&q->arena, n, sizeof *q->rows);
    sqlite3_int64 *m_art = qt_arena_calloc(&q->arena, n, sizeof *m_art);   /* by member */
    if (!ord || !cl || !size || !q->members || !q->rows || !m_art)
        return SQLITE_NOMEM;
    const qc_copy *cp = q->copies.items;
    const char **ids = q->ids.items, **pubs = q->pubs.items;
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = q->copies.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cp[mid].art < nodes[i].art)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < q->copies.n && cp[end].art == nodes[i].art)
            end++;
        ord[i] = (qc_ord){.id = end > lo ? ids[lo] : nodes[i].ext_id, .hash = nodes[i].hash,
                          .start = nodes[i].start, .lo = lo, .hi = end, .i = (uint32_t)i};
    }
    qsort(ord, n, sizeof *ord, cmp_qc_ord);
    size_t n_cl = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = qc_find(nodes, ord[i].i);
        if (!cl[r])
            cl[r] = (uint32_t)++n_cl;
        size[cl[r]]++;
    }
    q->clusters = qt_arena_calloc(&q->arena, n_cl, sizeof *q->clusters);
    if (!q->clusters)
        return SQLITE_NOMEM;
    size_t at = 0;
    for (size_t c = 0; c < n_cl; c++) {
        q->clusters[c] = (qt_quote_cluster){.index = c + 1, .members = q->members + at};
        at += size[c + 1];
    }
    for (size_t i = 0; i < n; i++) {
        const qc_node *d = &nodes[ord[i].i];
        qt_quote_cluster *c = &q->clusters[cl[qc_find(nodes, ord[i].i)] - 1];
        size_t lo = ord[i].lo, end = ord[i].hi;
        qt_cluster_member *m = (qt_cluster_member *)&c->members[c->n_members++];
        q->rows[m - q->members] = d->id;
        m_art[m - q->members] = d->art;
        *m = (qt_cluster_member){.article = d->ext_id, .ids = end > lo ? ids + lo : &d->ext_id,
                                 .ids_published = end > lo ? pubs + lo : &d->published,
                                 .n_ids = end > lo ? end - lo : 1, .published = d->published,
                                 .start = d->start, .end = d->end, .text = d->text,
                                 .hash = d->hash,
                                 .published_inferred = end > lo ? cp[lo].inferred : NULL};
    }
    for (size_t c = 0; c < n_cl; c++) {
        qt_quote_cluster *k = &q->clusters[c];
        const sqlite3_int64 *art = m_art + (k->members - q->members);
        size_t best = 0;
        for (size_t i = 1; i < k->n_members; i++)
            if (art[i] < art[best])
                best = i;
        const char *best_id = k->members[best].article, *best_p = NULL;
        for (size_t i = 0; i < k->n_members; i++) {
            const qt_cluster_member *m = &k->members[i];
            for (size_t j = 0; j < m->n_ids; j++) {
                const char *p = m->ids_published[j];
                int c = p && *p && best_p ? strcmp(p, best_p) : 0;
                if (p && *p && (!best_p || c < 0 || (c == 0 && strcmp(m->ids[j], best_id) < 0))) {
                    best = i;
                    best_id = m->ids[j];
                    best_p = p;
                }
            }
        }
        /* Inferred ranges: qt_dates.h, "the earliest carrier". Only a member none of whose
         * ids is dated is dated by its text's range; with a date in the cluster, only a range
         * that ends before it starts counts. */
        size_t inf = SIZE_MAX;
        for (size_t i = 0; i < k->n_members; i++) {
            const qt_cluster_member *m = &k->members[i];
            const qt_date_range *r = m->published_inferred;
            int dated = 0;
            for (size_t j = 0; j < m->n_ids && !dated; j++)
                dated = m->ids_published[j] && *m->ids_published[j];
            if (dated || !qt_dates_usable(r) || (best_p && !qt_dates_range_before(r, best_p)))
                continue;
            int c = inf == SIZE_MAX
                        ? -1 : qt_date_range_cmp(r, k->members[inf].published_inferred);
            if (c < 0 || (c == 0 && strcmp(m->ids[0], k->members[inf].ids[0]) < 0))
                inf = i;
        }
        if (inf != SIZE_MAX) {
            best = inf;
            best_id = k->members[inf].ids[0];
            best_p = NULL;
            k->earliest_inferred = k->members[inf].published_inferred;
        }
        k->earliest = best;
        k->earliest_id = best_id;
        k->earliest_published = best_p;
        k->earliest_rule = best_p ? "published" : inf != SIZE_MAX ? "inferred" : "stored first";
    }
    q->st.n_clusters = n_cl;
    return SQLITE_OK;
}

/* The clusters are described (src/store/clusters.c) inside the savepoint, so that the words
 * matched and the speakers and venues read agree with the keys clustered. */
qt_status qt_db_clusters_run(qt_db *db, const char *words,
                             int (*fn)(void *ctx, const qt_quote_cluster *c), void *ctx,
                             qt_cluster_stats *stats, size_t *n_found, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    size_t *order = NULL, n_order = 0;
    qc_q q = {.db = db, .arena = QT_ARENA_INIT, .nodes = QT_VEC_INIT(qc_node),
              .group = QT_VEC_INIT(uint32_t), .pairs = QT_VEC_INIT(uint64_t),
              .copies = QT_VEC_INIT(qc_copy), .ids = QT_VEC_INIT(const char *),
              .pubs = QT_VEC_INIT(const char *)};
    qt_status rc = QT_OK;
    int src = qt_db_run(stmt(db, S_DUP_SAVEPOINT));
    int open = src == SQLITE_OK;
    if (src == SQLITE_OK)
        src = qc_load(&q);
    if (src == SQLITE_OK)
        src = qc_join(&q);
    if (src == SQLITE_OK)
        src = qc_copies(&q);
    if (src == SQLITE_OK)
        src = qc_build(&q);
    if (src == SQLITE_OK)
        src = qt_db_clusters_describe(db, &q.arena, q.clusters, q.st.n_clusters, q.rows, words,
                                      &order, &n_order);
    if (src == SQLITE_OK)
        src = qt_db_run(stmt(db, S_DUP_RELEASE));
    if (src == SQLITE_NOMEM && sqlite3_errcode(db->h) != SQLITE_NOMEM)
        rc = qt_fail(err, QT_ENOMEM, "cannot cluster quotes: out of memory");
    else if (src != SQLITE_OK)
        rc = qt_db_fail(db, err, "cannot cluster quotes in");
    if (rc != QT_OK && open && !sqlite3_get_autocommit(db->h)) {
        qt_db_run(stmt(db, S_DUP_ROLLBACK_TO));
        qt_db_run(stmt(db, S_DUP_RELEASE));
    }
    if (rc == QT_OK && stats)
        *stats = q.st;
    if (n_found)
        *n_found = rc == QT_OK ? n_order : 0;
    for (size_t i = 0; rc == QT_OK && fn && i < n_order; i++)
        if (fn(ctx, &q.clusters[order[i]]) != 0)
            break;
    qt_vec_release(&q.pubs);
    qt_vec_release(&q.ids);
    qt_vec_release(&q.copies);
    qt_vec_release(&q.pairs);
    qt_vec_release(&q.group);
    qt_vec_release(&q.nodes);
    qt_arena_free(&q.arena);
    return rc;
}

qt_status qt_db_each_quote_cluster(qt_db *db, int (*fn)(void *ctx, const qt_quote_cluster *c),
                                   void *ctx, qt_cluster_stats *stats, qt_err *err)
{
    return qt_db_clusters_run(db, NULL, fn, ctx, stats, NULL, err);
}

sqlite3 *qt_db_handle(qt_db *db) { return db->h; }

long qt_db_find_hash(const void *base, size_t n, size_t stride, size_t off, const char *hash)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp((const char *)base + mid * stride + off, hash);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

qt_arena *qt_db_scratch(qt_db *db) { return &db->scratch; }
