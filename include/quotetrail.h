/*
 * quotetrail.h - the public API of libquotetrail.
 *
 * quotetrail reads news articles and answers who said what, to whom and when. The library is a
 * pipeline of pure per-article stages (read -> analyse -> write) plus a SQLite store:
 *
 *     qt_reader  ->  qt_input  ->  qt_analyze()  ->  qt_article  ->  qt_write_json() / qt_db_put()
 *
 * Error rule (stated once, as libuv does): every function returning qt_status returns QT_OK on
 * success and a negative status on failure, with a one-line, lowercase message naming the input in
 * the qt_err passed by the caller (which may be NULL). Nothing in the library prints or exits;
 * only the command-line tool does.
 *
 * Memory rule: records handed out by the library (qt_input, qt_article and everything they point
 * to) are borrowed. They stay valid until the next call on the object that produced them, or until
 * that object is freed. Every *_free() accepts NULL.
 *
 * Offsets are UTF-8 byte offsets into the article's text (or its separate title when a quote's
 * in_title is set), exactly as DESIGN.md's record schema defines them.
 */
#ifndef QUOTETRAIL_H
#define QUOTETRAIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define QT_EXTERN __attribute__((visibility("default")))
#else
#define QT_EXTERN
#endif

#define QT_VERSION "0.1.0"
/* Bumped whenever analysis output changes, so `ingest --reprocess` knows which stored articles
 * were analysed by an older engine. */
#define QT_ENGINE_VERSION 4
/* The record schema of DESIGN.md; bumped only when a field is renamed or changes meaning. */
#define QT_SCHEMA 1

/* ---- status codes ---------------------------------------------------------------------------- */

#define QT_STATUS_MAP(X)                                            \
    X(OK,       0, "success")                                       \
    X(DONE,     1, "no more input")                                 \
    X(ENOMEM,  -1, "out of memory")                                 \
    X(EIO,     -2, "input/output error")                            \
    X(EFORMAT, -3, "input is not in a recognised format")           \
    X(EDB,     -4, "database error")                                \
    X(EINVAL,  -5, "invalid argument")                              \
    X(ETOOBIG, -6, "input exceeds a size limit")

#define X(name, val, msg) QT_##name = (val),
typedef enum { QT_STATUS_MAP(X) } qt_status;
#undef X

/* Describes the most recent failure; msg is one line without a trailing newline. */
typedef struct qt_err {
    qt_status code;
    char msg[512];
} qt_err;

QT_EXTERN const char *qt_strerror(qt_status s);

/* ---- reading inputs -------------------------------------------------------------------------- */

/* One article as read, before analysis. All strings are NUL-terminated UTF-8; text may contain
 * U+FFFD where the input held invalid bytes (each repair is announced in warnings). */
typedef struct qt_input {
    const char *source;     /* path as reached, "path:line" for JSONL, "-" for stdin,
                             * "path#offset" for a WARC record (its byte offset in the file) */
    const char *id;         /* the caller's id (JSONL "id"), or NULL */
    const char *title;      /* JSONL "title", or NULL: analysis then takes the first line */
    const char *url;        /* JSONL "url", a page's canonical URL, a WARC record's target URI */
    const char *published;  /* JSONL "published", or NULL */
    const char *site;       /* the site's name (an HTML page's og:site_name), or NULL */
    const char *byline;     /* the author line (JSONL "byline", an HTML page's author), or NULL */
    const char *text;       /* the article text; offsets point into this */
    size_t text_len;
    char hash[33];          /* xxh3-128 of the text bytes as given (for JSONL: of the decoded
                             * "text" string, after any repair), 32 lowercase hex digits */
    const char *const *warnings; /* repairs made while reading (invalid UTF-8, NUL bytes) */
    size_t n_warnings;
} qt_input;

typedef struct qt_reader qt_reader;

/* Open a reader over files, directories (walked in sorted path order) and "-" (stdin). Each may
 * be .txt, .jsonl, .html or .warc (one article per HTML response record), or any of them
 * gzip-compressed (.gz; a .warc.gz per record, as crawlers write it). Fails only for bad
 * arguments; unreadable inputs are reported one by one by qt_reader_next(). */
QT_EXTERN qt_status qt_reader_open(qt_reader **out, const char *const *paths, size_t n_paths,
                                   qt_err *err);

/* Read the next article into *in. Returns QT_OK, QT_DONE at the end, or a negative status when
 * one input (a file, one JSONL line, one WARC record or damaged gzip member) could not be read:
 * err names it, and the next call goes on with the rest. */
QT_EXTERN qt_status qt_reader_next(qt_reader *r, qt_input *in, qt_err *err);

/* Counts for the caller's summary: inputs (files, stdin, JSONL lines, WARC records) that failed,
 * and articles read so far. */
QT_EXTERN size_t qt_reader_failures(const qt_reader *r);
QT_EXTERN size_t qt_reader_articles(const qt_reader *r);
/* WARC records passed over because they are not HTML pages (requests, metadata, images,
 * redirects): not failures, only counted. */
QT_EXTERN size_t qt_reader_skipped(const qt_reader *r);
/* Progress through the input open now: bytes of the file read so far (compressed bytes for
 * gzip) and its size, 0 when unknown (a pipe, or no input open). Either pointer may be NULL. */
QT_EXTERN void qt_reader_position(const qt_reader *r, unsigned long long *done,
                                  unsigned long long *total);
QT_EXTERN void qt_reader_free(qt_reader *r);
/* Hand every line over as it is, for a caller that parses records itself (`link`): each input
 * is read as JSON lines whatever its name, and each non-blank line becomes a qt_input whose
 * text is the line (text_len its length, without the newline), source "path:line", and
 * nothing else set (no id, no hash). Set it before the first qt_reader_next(). This function
 * can't fail. */
QT_EXTERN void qt_reader_set_lines(qt_reader *r, int on);

/* ---- analysis -------------------------------------------------------------------------------- */

typedef enum { QT_QUOTE_DIRECT, QT_QUOTE_PARTIAL, QT_QUOTE_NESTED } qt_quote_kind;
typedef enum { QT_SPEAKER_PERSON, QT_SPEAKER_ORGANISATION, QT_SPEAKER_ANONYMOUS,
               QT_SPEAKER_UNKNOWN } qt_speaker_kind;

/* A qt_quote always satisfies:
 *  (1) start < end, UTF-8 byte offsets into text (or into title when in_title).
 *  (2) [start, end) leaves out the opening and closing quote marks themselves.
 *  (3) a nested quote lies inside its parent's [start, end); parent is an index into quotes[].
 *  (4) quotes[] is in text order (title quotes first), parents before their children. */
typedef struct qt_quote {
    char id[48];                  /* "q-<first 16 hex of hash>-<start>", stable across runs */
    size_t start, end;
    int in_title;
    qt_quote_kind kind;
    int parent;                   /* index of the enclosing quote, or -1 */
    const char *speaker;          /* resolved name, or NULL */
    qt_speaker_kind speaker_kind;
    const char *speaker_mention;  /* the words that named the speaker ("she", "Odom"), or NULL */
    const char *cue;              /* the cue words ("told", "says"), or NULL */
    const char *venue;            /* outlet, show or medium the words were given to, or NULL */
    double confidence;            /* 0..1 that span and speaker are right */
    size_t mention_start, mention_end;   /* speaker_mention's bytes in the text; 0/0 if none */
    size_t cue_start, cue_end;           /* cue's bytes in the text; 0/0 if none */
    const char *rule;             /* why this speaker: "after-frame", "sentence subject", ... */
    const uint32_t *key;          /* the quote's key: its 4-word shingles' smallest hashes, by
                                   * which linking finds the same quote in other articles */
    size_t n_key;
    int cell;                     /* calibration cell; set only when the environment has
                                   * QT_CONFIDENCE_CELLS (tools/calibrate.py), else 0 */
    const char *venue_key;        /* one key per outlet however written ("people"), or NULL */
    const char *text;             /* the quote's words when the article's text is not at hand
                                   * (qt_record_parse() of a record without "text"), else NULL:
                                   * the words are then text[start:end] (or the title's) */
} qt_quote;

typedef enum { QT_ATTR_INDIRECT, QT_ATTR_ACCORDING_TO, QT_ATTR_MIXED } qt_attr_kind;

/* Attributed speech without quotation marks around all of it: "Vale said the deal was dead",
 * "according to officials, …", or mixed ("Vale called the deal "dead on arrival""; its quoted
 * fragment is also in quotes[] as a partial quote). Spans are text offsets; a source span may be
 * empty (0/0) when the sentence names no one. */
typedef struct qt_attribution {
    qt_attr_kind kind;
    size_t source_start, source_end;
    size_t cue_start, cue_end;
    size_t content_start, content_end;
    const char *speaker;          /* resolved name, the anonymous phrase, or NULL */
    qt_speaker_kind speaker_kind;
    double confidence;
    int cell;                     /* as qt_quote.cell */
} qt_attribution;

typedef struct qt_person {
    const char *name;             /* the fullest form used in the article */
    const char *const *aliases;   /* other forms that referred to the same person */
    size_t n_aliases;
    unsigned mentions;            /* name and alias mentions (pronouns not counted) */
    int quotes;                   /* quotes attributed to this person in the article */
    qt_speaker_kind kind;         /* QT_SPEAKER_PERSON, or QT_SPEAKER_ORGANISATION for an
                                   * organisation or outlet speaking ("the Clinton campaign
                                   * said", "The Post has learned"); never anything else */
} qt_person;

/* A time expression (TimeML TIMEX3), resolved against the article's date (issue 6; src/events).
 * Granularity follows the text: "in December" is a month, never a made-up day. */
typedef struct qt_time {
    size_t start, end;            /* byte offsets into text, or into title when in_title */
    int in_title;
    const char *type;             /* "DATE", "TIME", "DURATION" or "SET" */
    const char *value;            /* TIMEX3 value: "2013-12", "2015-10-13T14:00", "P4Y",
                                   * "PRESENT_REF", "XXXX-WI", "199X"; NULL when the expression
                                   * cannot be resolved (no reference date for "last week") */
    const char *mod;              /* TIMEX3 mod ("BEFORE", "AFTER", "APPROX", "START", ...), or
                                   * NULL */
    /* An age ("the 45-year-old", "Odom, 34,"): the person it is given for (as qt_person.name,
     * or NULL when unknown) and the birth years it allows given the reference date, e.g.
     * "1978" to "1979"; NULL otherwise or when there is no reference date. */
    const char *age_of;
    const char *birth_from, *birth_to;
} qt_time;

/* A date range inferred for an article that gives none (issue 6): ISO prefixes, inclusive
 * ("2015-10" to "2015-12"), either one NULL when open, and the evidence in words. */
typedef struct qt_date_range {
    const char *from, *to;
    const char *evidence;
} qt_date_range;

/* The first day of the period an ISO date or prefix names ("2015", "2015-10",
 * "2015-10-13T14:00"; TIMEX3 "2015-SU", "199X"), as days since 1970-01-01, or INT32_MIN when
 * s is NULL or names no calendar period. */
QT_EXTERN int32_t qt_date_first_day(const char *s);

/* Order of inferred ranges, earliest first: the lesser "from" (the first day of its period),
 * a range open at its start after every range with one (it says less); then the lesser "to"
 * (the last day of its period), open last. 0 when neither tells them apart. The earliest
 * carrier of a quote cluster and `trace` order undated carriers by it. */
QT_EXTERN int qt_date_range_cmp(const qt_date_range *a, const qt_date_range *b);

typedef struct qt_block {
    size_t start, end;            /* one paragraph, byte offsets into text */
    const char *role;             /* "headline" or "body" in this version */
} qt_block;

typedef struct qt_article {
    const char *source, *id, *hash, *url, *title, *published, *site, *byline;
    const char *rating;       /* a rating line's value ("Truth rating: 10" -> "10"), or NULL */
    const uint16_t *minhash;  /* MinHash signature of the body's 5-word shingles (src/link) */
    size_t n_minhash;
    unsigned shingles;        /* shingles behind it; 0 for a body under five words */
    int title_given;          /* title came with the input (JSONL); else it is the first line */
    const char *text;         /* NULL when not at hand (an article read back from a record made
                               * without --with-text): text_len is then the length the record
                               * shows (its blocks' and quotes' furthest end) and every quote
                               * outside the title carries its own words (qt_quote.text) */
    size_t text_len;
    const qt_block *blocks;   size_t n_blocks;
    const qt_quote *quotes;   size_t n_quotes;
    const qt_attribution *attributions; size_t n_attributions;
    const qt_person *people;  size_t n_people;
    const char *const *warnings; size_t n_warnings;
    const uint32_t *names;    /* entity keys: every person, organisation or place the article
                               * names by two words or more, as a 32-bit hash of its fullest
                               * name folded (accents, case and spacing) as the store folds
                               * names; each once, most mentioned first (ties: the lesser key),
                               * at most QT_NAME_KEYS_MAX. `stories` links articles by them.
                               * Computed with the other fingerprints (qt_doc_set_fingerprints) */
    size_t n_names;
    const qt_time *times;     /* time expressions, in text order (title ones first) */
    size_t n_times;
    const qt_date_range *published_inferred;   /* NULL: none inferred (or published given) */
} qt_article;

/* Most entity keys an article keeps (qt_article.names): a story's own names are its most
 * mentioned ones, and a long list of names met once each adds chance matches, not evidence. */
#define QT_NAME_KEYS_MAX 32

/* Read-only resources (cue lexicon, word lists), built once and shared by any number of threads. */
typedef struct qt_engine qt_engine;
QT_EXTERN qt_status qt_engine_new(qt_engine **out, qt_err *err);
QT_EXTERN void qt_engine_free(qt_engine *e);

/* A workspace for one thread: analysing reuses its memory, so the article it returns is valid
 * until the next qt_analyze() on the same qt_doc. */
typedef struct qt_doc qt_doc;
QT_EXTERN qt_doc *qt_doc_new(void);
QT_EXTERN void qt_doc_free(qt_doc *d);
QT_EXTERN qt_status qt_analyze(const qt_engine *e, qt_doc *d, const qt_input *in,
                               const qt_article **out, qt_err *err);
/* A doc keeps its buffers for the next article; to give back what a very large article left
 * there, free the doc and make a new one (what the quotetrail command does). */
/* Whether qt_analyze() on d computes the fingerprints that linking reads: the article's MinHash
 * signature and each quote's key (on by default; `ingest` and `extract --fingerprints` need
 * them, a plain `extract` saves their cost). Off, n_minhash, n_key and n_names are 0. */
QT_EXTERN void qt_doc_set_fingerprints(qt_doc *d, int on);

/* ---- output ---------------------------------------------------------------------------------- */

/* Write one DESIGN.md record as a single JSON line (with trailing newline). flags add fields:
 * QT_JSON_TEXT the "text", QT_JSON_FINGERPRINTS the "fingerprint" (`extract --fingerprints`).
 * Returns QT_EIO if writing failed. */
#define QT_JSON_TEXT 1           /* add "text" */
#define QT_JSON_FINGERPRINTS 2   /* add "fingerprint": the MinHash signature linking uses */
QT_EXTERN qt_status qt_write_json(const qt_article *a, int flags, FILE *f);

/* ---- records back into articles (`link`) -------------------------------------------------- */

/* The reduce step of DESIGN.md's scale-out: a record that qt_write_json() wrote with
 * QT_JSON_FINGERPRINTS on one machine becomes, on another, the qt_article it was written from,
 * without its text unless the record has one (QT_JSON_TEXT) and without analysing anything:
 * identity, blocks, quotes (speakers, venues, keys), people, warnings, times and the MinHash
 * signature, exactly as the record gives them. Attributions, events and published_inferred
 * are not read (the store keeps no attributions or events, and infers dates itself). */
typedef struct qt_record qt_record;
QT_EXTERN qt_record *qt_record_new(void);
QT_EXTERN void qt_record_free(qt_record *r);

/* Parse one record (a JSON object of len bytes) into *out, valid until the next call on r.
 * Fails with QT_EFORMAT, r unchanged for the caller's purposes and err saying why, when the
 * line is not JSON or not a record, when its "schema" is not QT_SCHEMA, when its "engine" is
 * not QT_ENGINE_VERSION (an analysis by another version must not mix with this one's), when it
 * has no "fingerprint" (extract was run without --fingerprints) or a malformed one, or when
 * a field breaks the record's invariants (a quote outside its text or title); QT_ENOMEM. */
QT_EXTERN qt_status qt_record_parse(qt_record *r, const char *json, size_t len,
                                    const qt_article **out, qt_err *err);

/* Accent- and case-fold s (NFKD, strip marks, casefold, quote marks unified) into out, a buffer of
 * cap bytes. Returns the folded length; when it does not fit the result is truncated at a
 * character boundary. Used for matching names and search words, never for offsets. */
QT_EXTERN size_t qt_fold(const char *s, size_t len, char *out, size_t cap);

/* ---- store ----------------------------------------------------------------------------------- */

typedef struct qt_db qt_db;

/* Open (creating and migrating as needed) a quotetrail database. WAL mode. */
QT_EXTERN qt_status qt_db_open(qt_db **out, const char *path, int readonly, qt_err *err);
QT_EXTERN void qt_db_close(qt_db *db);
/* How long a write waits for another process's write lock before failing with "database is
 * locked": QT_DB_WAIT_MS (60 s) unless set here. This function can't fail. */
#define QT_DB_WAIT_MS 60000
QT_EXTERN void qt_db_set_wait(qt_db *db, unsigned ms);

/* Batches: everything between begin and commit lands together or not at all. */
QT_EXTERN qt_status qt_db_begin(qt_db *db, qt_err *err);
QT_EXTERN qt_status qt_db_commit(qt_db *db, qt_err *err);
QT_EXTERN qt_status qt_db_rollback(qt_db *db, qt_err *err);

/* State of a content hash in the store. QT_DB_TEXTLESS: stored by this engine from a record
 * made without its text (`link`); storing the article again with its text fills it in. */
typedef enum { QT_DB_ABSENT, QT_DB_CURRENT, QT_DB_STALE, QT_DB_TEXTLESS } qt_db_state;
QT_EXTERN qt_status qt_db_lookup(qt_db *db, const char *hash, qt_db_state *state, qt_err *err);

/* Store an analysed article with its text, people, quotes and entity keys (qt_article.names),
 * and its MinHash signature for qt_db_each_dup() (minhash with n_minhash QT_MINHASH_K = 96, or n_minhash 0 for none; any
 * other count is QT_EINVAL). An article whose hash is already stored has its analysis and
 * signature replaced (used by reprocessing); its identity fields are kept. */
QT_EXTERN qt_status qt_db_put(qt_db *db, const qt_article *a, qt_err *err);

/* Record that the text of the stored article with content hash `hash` also arrived as record
 * id (NULL for none: the hash stands for it) from source (may be NULL), published then
 * (its JSONL "published"; NULL or "" for unknown), without storing or analysing it again:
 * what ingest does with a text it skips as already stored. qt_db_put() records each
 * article's own id, source and date the same way. qt_db_each_dup() lists every id a text
 * arrived under; qt_db_each_quote_cluster() dates each by its own copy. Recording a copy
 * already recorded adds nothing but an earlier date (the least one is kept). QT_EINVAL when
 * no stored article has that hash. */
QT_EXTERN qt_status qt_db_put_copy(qt_db *db, const char *hash, const char *id,
                                   const char *source, const char *published, qt_err *err);

/* Call fn for every stored article analysed by an engine older than QT_ENGINE_VERSION, with its
 * stored text and metadata as a qt_input. An article stored without its text (linked from a
 * record made without --with-text) is passed over: there is nothing to analyse. fn returns 0 to go on, non-zero to stop (that value is
 * then returned as QT_EINVAL). */
QT_EXTERN qt_status qt_db_each_stale(qt_db *db, int (*fn)(void *ctx, const qt_input *in),
                                     void *ctx, qt_err *err);

typedef struct qt_quote_filter {
    const char *speaker;   /* any alias, accent- and case-insensitive; NULL for all */
    const char *venue;     /* accent- and case-insensitive substring of any name the
                              collection uses for the venue (see qt_quote_row.venue); NULL
                              for all */
    const char *search;    /* FTS5 words over quote text; NULL for all */
} qt_quote_filter;

/* Venues are normalised across the collection: `venue` is the name most stored articles use
 * for the outlet, and a short form an article left alone ("told Quay") reads as the long name
 * other articles showed it stands for ("Quay Weekly"), unless rival long names have similar
 * support. The rule is in store.c ("venues across articles"). */
typedef struct qt_quote_row {
    const char *id, *text, *kind, *speaker, *speaker_kind, *speaker_mention, *cue;
    const char *venue;     /* the collection's name for the venue, or NULL */
    double confidence;
    long start, end;
    const char *article_id, *article_hash, *source, *title, *published;
    int in_title;          /* start and end are offsets into title rather than the text */
    const char *parent;    /* id of the enclosing quote (kind "nested"), or NULL */
    const char *venue_as_written;  /* the venue as the quote's own article gave it, or NULL */
    const char *venue_key; /* the collection's key for the venue, or NULL (also for quotes
                              stored before venue keys existed) */
} qt_quote_row;

/* Call fn for each stored quote matching the filter, in article then text order. *n_found
 * (may be NULL) receives the count. fn returns non-zero to stop early. */
QT_EXTERN qt_status qt_db_each_quote(qt_db *db, const qt_quote_filter *f,
                                     int (*fn)(void *ctx, const qt_quote_row *row), void *ctx,
                                     size_t *n_found, qt_err *err);

/* One person across the stored articles. The store keeps each article's people apart; a person
 * here is every stored person with the same folded name (accents and case ignored), plus any
 * stored person known only by a shorter name, such as a surname, that exactly one other person
 * has among their aliases. That rule is limited: a surname two people share is not merged into
 * either, and an article that used a short name for someone else ends up merged anyway. */
typedef struct qt_person_row {
    const char *name;             /* the form of the name used most often */
    const char *const *aliases;   /* every other form seen, one per folded form, most used first */
    size_t n_aliases;
    size_t n_articles;            /* articles that name the person */
    size_t n_quotes;              /* quotes attributed to the person, summed over articles */
    size_t n_mentions;            /* name and alias mentions, summed over articles */
    const char *kind;             /* "person" or "organisation": the kind most of the articles
                                   * that name it gave it ("person" on a tie, and for articles
                                   * stored before kinds were: see store.c, migration 4) */
} qt_person_row;

/* Call fn once for each person, most quotes first, then by name. With a name filter (NULL, or
 * one that folds to nothing, lists everyone) only the people it matches are listed: every word
 * of the filter is a whole word of one of the person's names, or the whole filter is exactly
 * one of their aliases ("khloe", "Kardashian", "the reality star"), as for a quote's speaker.
 * Accents and case are ignored.
 * All the work is done before fn first runs, so on failure (QT_ENOMEM, QT_EDB) fn has not been
 * called. fn returns non-zero to stop early, which is not an error; it may use db. Rows are
 * borrowed until fn returns. *n_found (may be NULL) receives how many rows fn was given. */
QT_EXTERN qt_status qt_db_each_person(qt_db *db, const char *name,
                                      int (*fn)(void *ctx, const qt_person_row *row), void *ctx,
                                      size_t *n_found, qt_err *err);

/* ---- near-duplicate articles ----------------------------------------------------------------- */

/* The store keeps each article's MinHash signature (qt_article.minhash, 192 bytes, and its
 * shingle count) and finds near-duplicates from those: band keys are computed from every
 * signature when asked (qt_db_each_dup()), and two articles are candidates when they share one
 * (a "bucket"). Whether a pair with Jaccard similarity s is proposed at all follows the banding
 * curve of src/link/qt_link.h: 1.00 at s = 0.4, 0.86 at s = 0.2. Every candidate pair is then
 * verified from the two signatures, and, when that estimate falls near the minimum asked for,
 * by counting the shingles of the two stored texts (QT_DUP_CHECK_BAND).
 *
 * A bucket of more than QT_DUP_BUCKET_MAX articles (bodies that are all boilerplate, or one
 * wire story stored hundreds of times) proposes pairs only among QT_DUP_BUCKET_MAX of them:
 * those ranked first by a hash of their content hash, so the choice does not depend on
 * ingest order. Its
 * other articles are still paired through the other bands they share with smaller buckets.
 * So an article is in at most 48 * (QT_DUP_BUCKET_MAX - 1) candidate pairs, whatever the
 * collection. qt_dup_stats counts the buckets cut and the pairs they did not propose. */
#define QT_DUP_BUCKET_MAX 64

typedef struct qt_dup_article {
    const char *id;        /* the record's id: the caller's id, else the hash */
    const char *hash;      /* content hash (32 hex digits) */
    const char *source;    /* where it was read from, or NULL */
    const char *title;     /* or NULL */
    unsigned shingles;     /* the 5-word shingles behind its signature */
} qt_dup_article;

/* One pair. kind is, in this order of precedence:
 *   "exact"        the signatures agree in every position and the shingle counts are equal:
 *                  the same body as far as the signature can tell (case, punctuation, spacing
 *                  and captions do not count); and the ids of one stored text: a content hash
 *                  is stored once (articles.hash is unique), but every id it arrived under is
 *                  kept (qt_db_put_copy()), and each two of them are an "exact" pair of
 *                  similarity and containment 1. An article in a pair is listed under each of
 *                  its ids, so the output does not depend on which copy was stored first.
 *   "near"         similarity >= min.
 *   "containment"  similarity < min, but one contains at least min of the other's shingles:
 *                  "B reprints most of A under its own intro". a is then the one contained.
 * For "exact" and "near" pairs a is the one whose id (then hash) sorts first. */
typedef struct qt_dup_pair {
    qt_dup_article a, b;
    double similarity;      /* Jaccard similarity of the two shingle sets (estimated, or
                             * counted: see counted) */
    double containment[2];  /* share of a's shingles that b has; of b's that a has */
    const char *kind;       /* "exact", "near" or "containment" */
    int counted;            /* 1: the figures were counted from the two stored texts (a pair
                             * whose estimate fell near min); 0: estimated from signatures */
} qt_dup_pair;

typedef struct qt_dup_stats {
    size_t n_articles;      /* stored articles with a signature: those compared */
    size_t n_unsigned;      /* stored articles without one (stored before signatures were,
                             * until `ingest --reprocess`): never paired, but
                             * for the ids of one text (qt_db_put_copy()) */
    size_t n_candidates;    /* distinct pairs the buckets proposed, each one verified */
    size_t n_capped;        /* buckets of more than QT_DUP_BUCKET_MAX articles */
    size_t n_unproposed;    /* pairs those buckets did not propose, counted per bucket (a pair
                             * cut from several buckets counts once for each) */
    size_t n_pairs;         /* pairs found at min, whether or not fn stopped early */
    size_t n_counted;       /* candidates whose estimate fell within QT_DUP_CHECK_BAND of min,
                             * counted from their texts */
    size_t n_textless;      /* such candidates left to the estimate: a text not stored (an
                             * article stored by `link` from a shard without text) */
} qt_dup_stats;

/* A candidate whose estimated similarity or containment lies within this distance of min is
 * decided from the two stored texts, shingle by shingle, unless QT_DUP_ESTIMATES_ONLY: 2.5
 * times the estimate's typical error, so that a decision left to the estimate is almost never
 * on the wrong side of min. */
#define QT_DUP_CHECK_BAND 0.1
#define QT_DUP_ESTIMATES_ONLY 1u   /* flag: never read a text, every figure an estimate */

/* Call fn once for each near-duplicate pair of stored articles at minimum similarity min
 * (0 < min <= 1), highest similarity first, then by a's id, b's id, a's hash and b's hash: the
 * order depends only on which articles are stored, not on the order they were stored in.
 * Candidates come from signatures alone; texts are read only for the candidates whose
 * estimate falls within QT_DUP_CHECK_BAND of min, two at a time. All the work is done before
 * fn first runs, so on failure (QT_EINVAL for a min out of range, QT_ENOMEM, QT_EDB) fn has
 * not been called. fn returns non-zero to stop early, which is not an error; it may use db.
 * Pairs are borrowed until fn returns. *stats (may be NULL) is filled in whenever QT_OK is
 * returned. Memory: about 220 bytes per signed article, 16 per candidate pair, and the two
 * texts being counted. */
QT_EXTERN qt_status qt_db_each_dup(qt_db *db, double min,
                                   int (*fn)(void *ctx, const qt_dup_pair *pair), void *ctx,
                                   qt_dup_stats *stats, qt_err *err);
/* The same with flags (QT_DUP_ESTIMATES_ONLY); qt_db_each_dup() passes 0. */
QT_EXTERN qt_status qt_db_each_dup_ex(qt_db *db, double min, unsigned flags,
                                      int (*fn)(void *ctx, const qt_dup_pair *pair), void *ctx,
                                      qt_dup_stats *stats, qt_err *err);

/* ---- quote clusters -------------------------------------------------------------------------- */

/* The store keeps the key hashes (qt_quote.key) of every top-level body quote, direct or
 * partial, and clusters the quotes from those alone: the same quote reprinted, trimmed or
 * excerpted in other articles. Two quotes are joined when their keys share at least
 * 2 hashes, or 1 hash when either key has only 1 or 2 (a quote under six words); clusters are
 * the connected components (union-find). A hash held by more than QT_QKEY_HASH_MAX quotes is
 * a stock phrase and joins none of them; qt_cluster_stats counts such hashes. */
#define QT_QKEY_HASH_MAX 200

typedef struct qt_cluster_member {
    const char *article;          /* the article's id (its first JSONL id, else its hash) */
    const char *const *ids;       /* every id its text arrived under (copies), sorted; the
                                   * article's own id among them; n_ids >= 1 */
    const char *const *ids_published;   /* each id's own published string (the least one
                                   * recorded for it), or NULL; parallel to ids */
    size_t n_ids;
    const char *published;        /* the article's published string, or NULL */
    size_t start, end;            /* byte offsets of the quote in the article's text */
    const char *text;             /* the quote's text */
    /* Added with `trace` (issue 5): what the member's article said about the words. */
    const char *quote_id;         /* the quote's record id ("q-<hash>-<start>") */
    const char *kind;             /* "direct" or "partial" */
    const char *title;            /* the article's title, or NULL */
    const char *source;           /* where the article was read from, or NULL */
    const char *const *ids_source;   /* each id's source (the least one it came from), or
                                   * NULL; parallel to ids */
    const char *speaker;          /* the speaker the article credited, as it wrote it, or NULL */
    const char *speaker_kind;     /* "person", "organisation", "anonymous" or "unknown" */
    int speaker_index;            /* index into the cluster's speakers, or -1 (no speaker, or
                                   * an anonymous or unknown one) */
    const char *venue;            /* the collection's name for the venue credited, or NULL */
    const char *venue_as_written; /* the venue as the article gave it, or NULL */
    const char *venue_key;        /* the collection's key for it, or NULL */
    int matched;                  /* qt_db_trace(): the text has all the words; else 0 */
    const char *hash;             /* the article's content hash: which text, even where two
                                   * texts arrived under one id */
    /* Added with inferred dates (issue 6). */
    const qt_date_range *published_inferred;   /* the text's row of the last
                                   * qt_db_infer_dates(), as qt_article_row gives it to its
                                   * undated ids: for a text no id of which is dated, its
                                   * inferred range; for a dated text, its date ("a copy, X,
                                   * is dated"); NULL when there is none */
} qt_cluster_member;

typedef struct qt_quote_cluster {
    size_t index;                 /* 1, 2, ... in the order given */
    const qt_cluster_member *members;   /* by article (its least id, then its hash), then
                                   * start: not by storage order */
    size_t n_members;
    size_t earliest;              /* index into members: the earliest carrier's article */
    const char *earliest_id;      /* the earliest carrier: one of members[earliest].ids */
    const char *earliest_published;   /* its published string; NULL unless "published" */
    const char *earliest_rule;    /* "published": the id, among every id of every member, with
                                   * the least published string (ties: the least id);
                                   * "inferred": a member none of whose ids is dated, with the
                                   * earliest inferred range, named by its least id: when no
                                   * id is dated, or when its range ends before the least
                                   * published date starts (the rule: src/link/qt_dates.h,
                                   * "the earliest carrier");
                                   * "stored first": no id is dated and no member has a range,
                                   * the first stored member's article id (the one rule that
                                   * storage order decides) */
    /* Added with `trace` (issue 5); the rules are in src/store/clusters.c. */
    size_t canonical;             /* index into members: the fullest wording (most words
                                   * outside [brackets]; ties: fewest edit marks, the earliest
                                   * carrier's member, then the first member) */
    const char *text;             /* members[canonical].text */
    const char *const *speakers;  /* the people credited, one name per person (folded
                                   * comparison; "Moreau" is "Renée Moreau"), most credited
                                   * first; anonymous and unknown speakers are left out */
    size_t n_speakers;
    int conflict;                 /* outlets credit different people for the same words: two
                                   * members name different speakers at the quote (no pronoun
                                   * or description), printed differently, with at least half
                                   * of the shorter's 4-word runs shared; n_speakers > 1
                                   * without it is possible */
    const char *venue;            /* where the quote was first given, or NULL: see venue_rule */
    const char *venue_key;        /* the collection's key for venue, or NULL */
    const char *venue_rule;       /* "earliest dated": the venue credited by the earliest
                                   * dated member that credits one; "most credited": no dated
                                   * member credits one, so the venue most members credit
                                   * (ties: the first member); NULL when none does */
    size_t n_matched;             /* qt_db_trace(): members whose text has all the words */
    double rank;                  /* qt_db_trace(): the best bm25 of those (lower is better) */
    /* Added with inferred dates (issue 6). */
    const qt_date_range *earliest_inferred;   /* "inferred": the earliest carrier's range
                                   * (members[earliest].published_inferred); else NULL */
} qt_quote_cluster;

typedef struct qt_cluster_stats {
    size_t n_quotes;              /* quotes with a key: those clustered */
    size_t n_clusters;
    size_t n_common;              /* hashes held by more than QT_QKEY_HASH_MAX quotes */
} qt_cluster_stats;

/* Call fn once per cluster of stored quotes (a quote alone is a cluster of one), in the order
 * of their first member. All the work is done before fn first runs, so on failure (QT_ENOMEM,
 * QT_EDB) fn has not been called. fn returns non-zero to stop early; clusters are borrowed
 * until fn returns. *stats (may be NULL) is filled in whenever QT_OK is returned. An exact
 * copy stored under several ids is one article: its quotes are members once, with every id
 * in ids. The earliest carrier is chosen among ids, each dated by its own copy: an exact copy
 * published before the text first stored is the earliest carrier under its own id. */
QT_EXTERN qt_status qt_db_each_quote_cluster(qt_db *db,
                                             int (*fn)(void *ctx, const qt_quote_cluster *c),
                                             void *ctx, qt_cluster_stats *stats, qt_err *err);

/* `quotetrail trace`: call fn for each cluster with a member whose text has all the words
 * (FTS5 over quote texts: accents, case and quote marks aside; each whitespace-separated word
 * is matched as a phrase of its tokens, so "it's" finds "it’s"), best first: more members
 * matching, then the larger share of members matching, then the better bm25 (rank), then
 * index. Clusters
 * are numbered as qt_db_each_quote_cluster() numbers them. QT_EINVAL when words holds no word;
 * otherwise as qt_db_each_quote_cluster(). *n_found (may be NULL) receives how many matched. */
QT_EXTERN qt_status qt_db_trace(qt_db *db, const char *words,
                                int (*fn)(void *ctx, const qt_quote_cluster *c), void *ctx,
                                size_t *n_found, qt_err *err);

/* ---- stories --------------------------------------------------------------------------------- */

/* Stored articles grouped into stories, from the fingerprints the store keeps and never from
 * the texts: near-duplicate pairs (qt_db_each_dup() at QT_STORY_DUP_MIN), quote clusters
 * (qt_db_each_quote_cluster()) and the names each article names (qt_article.names). The
 * method is src/store/stories.c's "design notes":
 *  1. Each near-duplicate component (pairs at similarity or containment >= QT_STORY_DUP_MIN)
 *     starts as one group: reprints, copies and excerpts of one text.
 *  2. Two articles are linked by the quote clusters both carry and by the names (two words
 *     or more: people, organisations, places) both name. A name is weighted by its rarity in the collection (inverse
 *     document frequency), so a name most articles carry weighs almost nothing, and one named
 *     by more than QT_STORY_NAME_MAX articles links none; a single shared name counts only
 *     beside a shared quote; names weaken as the two articles' dates drift apart.
 *  3. Groups merge by average linkage: two groups join when their links summed over every
 *     pair of their articles, divided by the number of such pairs, reach 1/2 (one shared
 *     quote, or two fairly rare names). A link from one article of a large group no longer
 *     pulls the whole group in, so stories do not chain into one.
 * The result depends only on which articles are stored, not on the order they came in. */
#define QT_STORY_DUP_MIN 0.5
#define QT_STORY_NAME_MAX 64
/* A quote carried by more stored articles than this (a slogan, a stock line) links none. */
#define QT_STORY_QUOTE_MAX 64

/* What may link articles; all three when NULL is passed for options. */
#define QT_STORY_BY_DUPS 1
#define QT_STORY_BY_QUOTES 2
#define QT_STORY_BY_PEOPLE 4
#define QT_STORY_BY_ALL 7

typedef struct qt_story_article {
    const char *id;               /* one id the text arrived under (qt_db_put_copy()) */
    const char *hash;             /* the stored text's content hash */
    const char *title;            /* the stored article's title (of the copy stored first) */
    const char *published;        /* this id's own published string, or NULL */
    const char *source;           /* where this id was read from, or NULL */
} qt_story_article;

typedef struct qt_story_person {
    const char *name;             /* the form most of the story's articles use */
    size_t n_articles;            /* stored articles of the story naming the person */
} qt_story_person;

typedef struct qt_story_quote {
    const char *text;             /* the longest wording the story's articles print */
    size_t n_articles;            /* stored articles of the story carrying the quote */
} qt_story_quote;

typedef struct qt_story {
    size_t index;                 /* 1, 2, ... in the order given: most articles first */
    const char *title;            /* the title of the most central article (most linked
                                   * within the story; ties: earliest, then least hash) */
    const char *title_id;         /* that article's id */
    const qt_story_article *articles;   /* every id, in date order (undated last, then id) */
    size_t n_articles;
    size_t n_texts;               /* distinct stored texts among them */
    const char *first_published, *last_published;   /* NULL when none is dated */
    const qt_story_person *people;      /* up to 5, most articles first (named by 2+ texts
                                         * unless the story has one text) */
    size_t n_people;
    const qt_story_quote *quotes; /* up to 3 carried by 2+ texts, most carried first */
    size_t n_quotes;
    /* Why the story's texts are together: pairs of its texts linked by each signal (one pair
     * may count under several), and the merges of step 3. */
    size_t n_dup_links, n_quote_links, n_people_links, n_merges;
} qt_story;

typedef struct qt_story_stats {
    size_t n_texts;               /* stored texts grouped */
    size_t n_ids;                 /* ids they arrived under (qt_story.n_articles summed) */
    size_t n_stories;
    size_t n_largest;             /* texts in the largest story */
    size_t n_dup_pairs, n_quote_pairs, n_people_pairs;   /* linked pairs of texts, by signal */
    size_t n_common_names;        /* names skipped for more than QT_STORY_NAME_MAX texts */
    size_t n_common_quotes;       /* clusters skipped for more than QT_STORY_QUOTE_MAX texts */
    size_t n_merges;              /* group merges in step 3 */
} qt_story_stats;

/* Call fn once per story (a text linked to nothing is a story of one), most texts first, then
 * earliest date (undated last), then least content hash. by is a mask of
 * QT_STORY_BY_* (0 means QT_STORY_BY_ALL). All the grouping is done before fn first runs, so
 * on failure (QT_ENOMEM, QT_EDB) fn has not been called; each story's rows are then read as it
 * is given, so a failure there stops the listing with fn called for the stories before it.
 * fn returns non-zero to stop early, which is not an error. Stories are borrowed until fn
 * returns. *stats (may be NULL) is filled in whenever QT_OK is returned.
 * Memory: about 80 bytes per stored text, 16 per id, per name and per quote carried, and 32
 * per linked pair of texts. */
QT_EXTERN qt_status qt_db_each_story(qt_db *db, int by,
                                     int (*fn)(void *ctx, const qt_story *s), void *ctx,
                                     qt_story_stats *stats, qt_err *err);

/* ---- article dates (issue 6) ----------------------------------------------------------------- */

/* Dates for stored articles that give none, from the collection (src/store/dates.c, "design
 * notes"). A text whose copies are all undated gets a range [from, to] (ISO prefixes at the
 * granularity of the evidence; either may be open) from, strongest first:
 *  1. the dated articles it follows: a near-duplicate or a reprint (containment at
 *     QT_DATE_DUP_MIN) of a dated text, or a quote whose earliest carrier is dated, puts it
 *     on or after that date; an undated copy of a dated text starts at the copy's date;
 *  2. its own text: the latest calendar date it mentions (qt_article.times) is a lower bound;
 *  3. ages: a person (by folded name, as `people` matches them) whose age articles with a
 *     date or a range state gets a birth-year range, and an article stating their age N then
 *     lies in [born from + N, born to + N + 1];
 *  4. only when nothing above gives a lower bound: the least lower bound of the articles it
 *     shares a quote or a near-duplicate with (an assumption, said so in the evidence:
 *     articles carrying the same words are published close together).
 * Bounds are intersected; a bound that would empty the range is left out, the evidence says
 * so, and the stronger evidence stays. Ranges are recomputed whole, so they depend only on
 * which articles are stored, never on the order they came in. */
#define QT_DATE_DUP_MIN 0.8

typedef struct qt_date_stats {
    size_t n_texts;         /* stored texts */
    size_t n_dated;         /* with at least one dated copy */
    size_t n_inferred;      /* undated texts given a range */
    size_t n_conflicts;     /* bounds left out because they contradicted stronger ones */
} qt_date_stats;

/* Recompute every stored text's inferred date (the article_dates table) in one savepoint:
 * `ingest` and `link` call it when they finish. On failure (QT_ENOMEM, QT_EDB) the previous
 * dates are left as they were. *stats (may be NULL) is filled in on QT_OK. */
QT_EXTERN qt_status qt_db_infer_dates(qt_db *db, qt_date_stats *stats, qt_err *err);

/* One id a stored text arrived under (qt_db_put_copy()), as `quotetrail articles` lists it. */
typedef struct qt_article_row {
    const char *id;               /* the JSONL id, else the content hash */
    const char *hash;
    const char *source;           /* the least source this id came from, or NULL */
    const char *url, *title, *site, *byline, *rating;   /* the stored text's, or NULL */
    const char *published;        /* this id's own date (the least recorded), or NULL */
    const qt_date_range *published_inferred;   /* for an undated id: its text's inferred
                                   * range, NULL when nothing was inferred */
    const char *const *copies;    /* the other ids of the same text, sorted */
    size_t n_copies;
} qt_article_row;

/* Call fn once per id of every stored text, by date: the given date, else the inferred
 * "from" (compared as days, at the start of their period), undated last; ties by id, then
 * hash. The dates are those of the last qt_db_infer_dates(). All the reading is done before
 * fn first runs, so on failure (QT_ENOMEM, QT_EDB) fn has not been called; fn returns non-zero
 * to stop early, which is not an error. Rows are borrowed until fn returns. *n_found (may be
 * NULL) receives how many rows fn was given. */
QT_EXTERN qt_status qt_db_each_article(qt_db *db, int (*fn)(void *ctx, const qt_article_row *r),
                                       void *ctx, size_t *n_found, qt_err *err);


/* ---- limits (bounded resources) -------------------------------------------------------------- */

/* What one input may cost. Every limit is announced when hit, and none drops data silently:
 *  - an input over a size or ratio limit (article-bytes, warc-record-bytes, decompress-ratio,
 *    html-depth) fails as one input (QT_ETOOBIG), with a message naming the limit, its value
 *    and the value to raise it to; the reader goes on with the next input;
 *  - a limit inside analysis (quote-bytes, quote-depth, people, quotes) keeps the article and its text
 *    whole and adds a warning to qt_article.warnings saying what was not analysed.
 * Fixed bounds that are not limits here: a WARC or HTTP header is at most 64 KiB (warc.c), and
 * a JSONL line's JSON nests at most 2048 levels (jansson's own bound; deeper is invalid JSON).
 * The defaults keep `extract -j 2` on a hostile article (one quote every 40 bytes) under
 * 200 MB: analysis costs about 28 bytes of memory per article byte on each thread. */
typedef struct qt_limits {
    uint64_t article_bytes;       /* largest article: a .txt or .html file, a JSONL line, a
                                   * gzip input's decompressed bytes (4 MiB) */
    uint64_t warc_record_bytes;   /* largest WARC HTML response kept, and its decoded body
                                   * (4 MiB) */
    uint64_t quote_bytes;         /* a quotation longer than this is kept as found but not
                                   * searched for quotes inside it (64 KiB) */
    uint32_t decompress_ratio;    /* decompressed bytes over compressed bytes of one gzip input,
                                   * checked as it streams once QT_DECOMPRESS_FLOOR bytes are out
                                   * (200; real text compresses 3-10x, a bomb 1000x) */
    uint32_t html_depth;          /* deepest element nesting of a page (512) */
    uint32_t quote_depth;         /* levels of quotes searched: 1 top-level only, 2 also quotes
                                   * inside quotes (2, the most the finder knows) */
    uint32_t people;              /* people listed per article (500) */
    uint32_t quotes;              /* quotations listed per article, in text order: the rest of
                                   * the text is kept but not analysed for quotes (10000) */
} qt_limits;

/* Below this many decompressed bytes the ratio is not checked: a small file of repeats may
 * compress 1000x and harms nothing. */
#define QT_DECOMPRESS_FLOOR ((uint64_t)16 << 20)

/* One limit's name ("article-bytes"), whether its values are sizes (K/M/G suffixes), its
 * default, the range accepted, and what it bounds in a few words. */
typedef struct qt_limit_info {
    const char *name;
    int is_size;
    uint64_t dflt, min, max;
    const char *meaning;
} qt_limit_info;

/* The defaults above. This function can't fail. */
QT_EXTERN qt_limits qt_limits_default(void);
/* Every limit, in a fixed order; *n receives how many. This function can't fail. */
QT_EXTERN const qt_limit_info *qt_limit_list(size_t *n);
/* Set one limit from "NAME=VALUE" (a --limit argument): VALUE a whole number, for sizes with an
 * optional K, M or G (binary: 1K = 1024) and an optional "B" or "iB" after it. Fails with
 * QT_EINVAL and a message naming the bad part (an unknown name lists the known ones; a value out
 * of range gives the range); l is then unchanged. */
QT_EXTERN qt_status qt_limits_set(qt_limits *l, const char *arg, qt_err *err);
/* The value of the limit called name, or UINT64_MAX for an unknown name. */
QT_EXTERN uint64_t qt_limit_get(const qt_limits *l, const char *name);
/* A value as --limit takes it: "4M", "1500K", "12345", "200" (sizes with the largest exact
 * suffix). Returns buf. */
QT_EXTERN const char *qt_limit_str(uint64_t v, int is_size, char buf[32]);
/* Apply limits to a reader (before its first qt_reader_next()) or an engine (before analysing
 * with it). Both copy *l. These functions can't fail. */
QT_EXTERN void qt_reader_set_limits(qt_reader *r, const qt_limits *l);
QT_EXTERN void qt_engine_set_limits(qt_engine *e, const qt_limits *l);

#ifdef __cplusplus
}
#endif
#endif /* QUOTETRAIL_H */
