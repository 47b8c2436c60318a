/*
 * test_store.c - the SQLite store's contract: idempotent puts keyed by content hash, analysis
 * replaced in place, stale detection, batches that land whole or not at all, the three quote
 * filters, people across articles (with their kind: the articles' majority, kept through
 * migration 4), venues learned across articles (short forms, rivals, shown names, order
 * independence, migration), near-duplicate articles from stored signatures (rows kept and
 * replaced, LSH candidates verified, the three kinds, the bucket cap, order independence,
 * migration 5), and clean failures for missing, foreign and read-only databases.
 *
 * Articles are built by hand from fictional text; offsets are found with strstr() so the tests
 * state which words a quote holds rather than numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/qt_core.h"
#include "link/qt_link.h"
#include "quotetrail.h"
#include "store/qt_store.h"
#include "text/qt_text.h"

/* What migration 11 added, dropped again by the tests that make an older database by hand. */
#define UNDO_11                                                                                \
    "DROP TABLE times; DROP TABLE article_dates; ALTER TABLE articles DROP COLUMN site;"      \
    " ALTER TABLE articles DROP COLUMN byline; ALTER TABLE articles DROP COLUMN rating; "

/* ---- fixtures --------------------------------------------------------------------------------- */

typedef struct tmp {
    char dir[64];
    char path[128];    /* dir/q.db, not created by setup */
} tmp;

static void tmp_file(const tmp *t, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", t->dir, name);
}

static int setup(void **state)
{
    tmp *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/qt_store_XXXXXX");
    if (!mkdtemp(t->dir))
        return -1;
    tmp_file(t, "q.db", t->path, sizeof t->path);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tmp *t = *state;
    static const char *const names[] = {"q.db", "q.db-wal", "q.db-shm", "q.db-journal",
                                        "other.db", "other.db-wal", "other.db-shm", "junk.db",
                                        "third.db", "third.db-wal", "third.db-shm"};
    char p[160];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        tmp_file(t, names[i], p, sizeof p);
        unlink(p);
    }
    rmdir(t->dir);
    free(t);
    return 0;
}

/* An article under construction: its arrays live here so a test can edit them. */
typedef struct art {
    qt_article a;
    char hash[33];
    qt_quote quotes[8];
    qt_person people[4];
    qt_block blocks[4];
} art;

static void add_quote(art *x, const char *words, int in_title, qt_quote_kind kind, int parent,
                      const char *speaker, qt_speaker_kind sk, const char *mention,
                      const char *cue, const char *venue)
{
    const char *base = in_title ? x->a.title : x->a.text;
    const char *p = strstr(base, words);
    assert_non_null(p);
    qt_quote *q = &x->quotes[x->a.n_quotes++];
    memset(q, 0, sizeof *q);
    q->start = (size_t)(p - base);
    q->end = q->start + strlen(words);
    snprintf(q->id, sizeof q->id, "q-%.16s-%s%zu", x->hash, in_title ? "t" : "", q->start);
    q->in_title = in_title;
    q->kind = kind;
    q->parent = parent;
    q->speaker = speaker;
    q->speaker_kind = sk;
    q->speaker_mention = mention;
    q->cue = cue;
    q->venue = venue;
    q->confidence = 0.75;
}

static void art_init(art *x, const char *source, const char *id, const char *title,
                     const char *text)
{
    memset(x, 0, sizeof *x);
    x->a.source = source;
    x->a.id = id;
    x->a.title = title;
    x->a.title_given = title != NULL;   /* hand-made articles carry their title like JSONL */
    x->a.text = text;
    x->a.text_len = strlen(text);
    x->a.url = "https://example.test/harbour";
    x->a.published = "2031-04-02";
    qt_hash128_hex(text, x->a.text_len, x->hash);
    x->a.hash = x->hash;
    x->a.quotes = x->quotes;
    x->a.people = x->people;
    x->a.blocks = x->blocks;
}

static const char *const marta_aliases_a[] = {"Marta", "Valdés", "the mayor"};
static const char *const brekke_aliases[] = {"Brekke"};
static const char *const ines_aliases[] = {"Ångström", "the councillor"};
static const char *const marta_aliases_b[] = {"Valdés"};
static const char *const warnings_a[] = {"no date found"};

static const char text_a[] =
    "Mayor Marta Valdés spoke on Tuesday.\n\n"
    "\xE2\x80\x9CWe will rebuild the harbour, and we will do it together,\xE2\x80\x9D Valdés told "
    "Radio Nórdica. \xE2\x80\x9CMy father used to say \xE2\x80\x98the sea gives back\xE2\x80\x99 "
    "and I believe him,\xE2\x80\x9D she said.\n\n"
    "Tomas Brekke called the plan \xE2\x80\x9C" "a fantasy (for now)\xE2\x80\x9D in the Harbour "
    "Gazette.\n\n"
    "\xE2\x80\x9CNobody asked us,\xE2\x80\x9D one resident said.";

static const char text_b[] =
    "\xE2\x80\x9CIt's a plan with no money behind it -- none!\xE2\x80\x9D said Inès Ångström, a "
    "councillor, on Radio Nordica's morning show. Marta Valdés replied: \xE2\x80\x9CWait and see, "
    "the café stays.\xE2\x80\x9D";

/* Article A: six quotes (one in the title, one nested, one anonymous), two people. */
static void make_a(art *x)
{
    /* The title quote starts at a later byte than the first body quote, yet comes first. */
    art_init(x, "seeds/harbour-a.txt", "caller-42",
             "Harbour town mayor answers her critics: \xE2\x80\x9CWe will rebuild the "
             "harbour\xE2\x80\x9D", text_a);
    add_quote(x, "We will rebuild the harbour", 1, QT_QUOTE_DIRECT, -1, "Marta Valdés",
              QT_SPEAKER_PERSON, "Valdés", NULL, NULL);
    add_quote(x, "We will rebuild the harbour, and we will do it together,", 0, QT_QUOTE_DIRECT,
              -1, "Marta Valdés", QT_SPEAKER_PERSON, "Valdés", "told", "Radio Nórdica");
    add_quote(x, "My father used to say \xE2\x80\x98the sea gives back\xE2\x80\x99 and I believe him,",
              0, QT_QUOTE_DIRECT, -1, "Marta Valdés", QT_SPEAKER_PERSON, "she", "said", NULL);
    add_quote(x, "the sea gives back", 0, QT_QUOTE_NESTED, 2, NULL, QT_SPEAKER_UNKNOWN, NULL, NULL,
              NULL);
    add_quote(x, "a fantasy (for now)", 0, QT_QUOTE_PARTIAL, -1, "Tomas Brekke",
              QT_SPEAKER_PERSON, "Tomas Brekke", "called", "the Harbour Gazette");
    add_quote(x, "Nobody asked us,", 0, QT_QUOTE_DIRECT, -1, NULL, QT_SPEAKER_ANONYMOUS,
              "one resident", "said", NULL);
    x->people[0] = (qt_person){"Marta Valdés", marta_aliases_a, 3, 4, 3, QT_SPEAKER_PERSON};
    x->people[1] = (qt_person){"Tomas Brekke", brekke_aliases, 1, 1, 1, QT_SPEAKER_PERSON};
    x->a.n_people = 2;
    x->blocks[0] = (qt_block){0, 36, "body"};
    x->a.n_blocks = 1;
    x->a.warnings = warnings_a;
    x->a.n_warnings = 1;
}

/* Article B: two quotes, the speaker of one named with accents the query will leave out. */
static void make_b(art *x)
{
    art_init(x, "seeds/harbour-b.txt", NULL, "Harbour plan: councillor responds", text_b);
    add_quote(x, "It's a plan with no money behind it -- none!", 0, QT_QUOTE_DIRECT, -1,
              "Inès Ångström", QT_SPEAKER_PERSON, "Inès Ångström", "said", "Radio Nordica");
    /* Named by an alias: "marta" must reach it through the person's name. */
    add_quote(x, "Wait and see, the café stays.", 0, QT_QUOTE_DIRECT, -1, "Valdes",
              QT_SPEAKER_PERSON, "Marta Valdés", "replied", NULL);
    x->people[0] = (qt_person){"Inès Ångström", ines_aliases, 2, 1, 1, QT_SPEAKER_PERSON};
    x->people[1] = (qt_person){"Marta Valdés", marta_aliases_b, 1, 1, 1, QT_SPEAKER_PERSON};
    x->a.n_people = 2;
}

static qt_db *open_db(const char *path, int readonly)
{
    qt_db *db = NULL;
    qt_err err = {0};
    qt_status rc = qt_db_open(&db, path, readonly, &err);
    if (rc != QT_OK)
        fail_msg("qt_db_open: %s", err.msg);
    return db;
}

static void put_batch(qt_db *db, const qt_article *const *arts, size_t n)
{
    qt_err err = {0};
    assert_int_equal(qt_db_begin(db, &err), QT_OK);
    for (size_t i = 0; i < n; i++) {
        if (qt_db_put(db, arts[i], &err) != QT_OK)
            fail_msg("qt_db_put: %s", err.msg);
    }
    assert_int_equal(qt_db_commit(db, &err), QT_OK);
}

/* Store A then B in one batch. */
static void put_ab(qt_db *db, art *a, art *b)
{
    make_a(a);
    make_b(b);
    const qt_article *arts[] = {&a->a, &b->a};
    put_batch(db, arts, 2);
}

/* Quote rows copied out of the callback (its pointers die when it returns). */
typedef struct rows {
    size_t n;
    char *id[16], *text[16], *speaker[16], *kind[16], *venue[16], *article_id[16];
    long start[16];
    size_t stop_after;   /* return non-zero after this many rows; 0 never */
} rows;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int collect(void *ctx, const qt_quote_row *r)
{
    rows *rs = ctx;
    if (rs->n < 16) {
        rs->id[rs->n] = dup_or_null(r->id);
        rs->text[rs->n] = dup_or_null(r->text);
        rs->speaker[rs->n] = dup_or_null(r->speaker);
        rs->kind[rs->n] = dup_or_null(r->kind);
        rs->venue[rs->n] = dup_or_null(r->venue);
        rs->article_id[rs->n] = dup_or_null(r->article_id);
        rs->start[rs->n] = r->start;
    }
    rs->n++;
    return rs->stop_after && rs->n >= rs->stop_after;
}

static void rows_free(rows *rs)
{
    for (size_t i = 0; i < rs->n && i < 16; i++) {
        free(rs->id[i]);
        free(rs->text[i]);
        free(rs->speaker[i]);
        free(rs->kind[i]);
        free(rs->venue[i]);
        free(rs->article_id[i]);
    }
    memset(rs, 0, sizeof *rs);
}

/* How many quotes match; also checks the callback ran exactly n_found times. */
static size_t count(qt_db *db, const char *speaker, const char *venue, const char *search)
{
    qt_quote_filter f = {speaker, venue, search};
    rows rs = {0};
    size_t n = 99;
    qt_err err = {0};
    qt_status rc = qt_db_each_quote(db, &f, collect, &rs, &n, &err);
    if (rc != QT_OK)
        fail_msg("qt_db_each_quote: %s", err.msg);
    assert_int_equal(n, rs.n);
    rows_free(&rs);
    return n;
}

/* One integer from a raw SQLite connection to the same file, as another process would see it. */
static long long raw_int(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("raw exec: %s", msg);
    sqlite3_close(h);
}

/* ---- tests ------------------------------------------------------------------------------------ */

static void test_put_then_lookup_current(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db_state st = QT_DB_CURRENT;
    qt_db *db = open_db(t->path, 0);
    make_a(&a);
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_ABSENT);
    put_ab(db, &a, &b);
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_CURRENT);
    assert_int_equal(qt_db_lookup(db, b.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_CURRENT);
    assert_int_equal(count(db, NULL, NULL, NULL), 8);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM articles"), 2);
    assert_int_equal(raw_int(t->path, "SELECT engine_version FROM articles LIMIT 1"),
                     QT_ENGINE_VERSION);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM people"), 4);
    /* Marta in A: name + 3 aliases; Brekke: 2; Inès: 3; Marta in B: 2. */
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM aliases"), 11);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM blocks"), 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM warnings"), 1);
    /* Each resolved speaker points at its person row; the anonymous and nested ones do not. */
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM quotes WHERE person IS NOT NULL"), 6);
    char mode[16] = "";
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(h);
    assert_string_equal(mode, "wal");
}

static void test_rows_in_article_then_text_order(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    rows rs = {0};
    size_t n = 0;
    assert_int_equal(qt_db_each_quote(db, NULL, collect, &rs, &n, &err), QT_OK);
    assert_int_equal(n, 8);
    /* A's title quote first, then A's body quotes by start (the nested one after its parent),
     * then B's. */
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(rs.id[i], a.quotes[i].id);
    for (size_t i = 0; i < 2; i++)
        assert_string_equal(rs.id[6 + i], b.quotes[i].id);
    /* The stored text is exactly the slice, of the title for a title quote. */
    assert_string_equal(rs.text[0], "We will rebuild the harbour");
    assert_string_equal(rs.text[1], "We will rebuild the harbour, and we will do it together,");
    assert_string_equal(rs.text[3], "the sea gives back");
    assert_int_equal(rs.start[1], (long)a.quotes[1].start);
    assert_true(rs.start[0] > rs.start[1]);   /* title first, whatever its offset */
    assert_string_equal(rs.kind[3], "nested");
    assert_string_equal(rs.kind[4], "partial");
    assert_string_equal(rs.venue[1], "Radio Nórdica");
    assert_null(rs.speaker[5]);
    assert_string_equal(rs.article_id[0], "caller-42");
    assert_string_equal(rs.article_id[6], b.hash);   /* no caller id: the hash */
    rows_free(&rs);
    qt_db_close(db);
    /* The nested quote's parent is stored as the parent's id. */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM quotes WHERE kind = 'nested' AND parent_qid = '%s'",
             a.quotes[2].id);
    assert_int_equal(raw_int(t->path, sql), 1);
}

static int first_row_fields(void *ctx, const qt_quote_row *r)
{
    int *seen = ctx;
    if ((*seen)++ == 0) {
        /* Every field of a fully attributed row. */
        assert_string_equal(r->speaker, "Marta Valdés");
        assert_string_equal(r->speaker_kind, "person");
        assert_string_equal(r->speaker_mention, "Valdés");
        assert_string_equal(r->cue, "told");
        assert_string_equal(r->kind, "direct");
        assert_true(r->confidence > 0.74 && r->confidence < 0.76);
        assert_true(r->end > r->start);
        assert_string_equal(r->source, "seeds/harbour-a.txt");
        assert_string_equal(r->published, "2031-04-02");
        assert_non_null(strstr(r->title, "answers her critics"));
        assert_int_equal(strlen(r->article_hash), 32);
    }
    return 0;
}

static void test_row_fields(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    qt_quote_filter f = {NULL, "nordica", "together"};
    int seen = 0;
    size_t n = 0;
    assert_int_equal(qt_db_each_quote(db, &f, first_row_fields, &seen, &n, &err), QT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(seen, 1);
    qt_db_close(db);
}

static void test_put_twice_adds_nothing(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    /* Again in a second batch, and twice within one batch. */
    const qt_article *again[] = {&a.a, &b.a, &a.a};
    put_batch(db, again, 3);
    assert_int_equal(count(db, NULL, NULL, NULL), 8);
    /* The FTS index follows deletes too: an un-deleted entry would count twice. */
    assert_int_equal(count(db, NULL, NULL, "harbour"), 2);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM articles"), 2);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM people"), 4);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM aliases"), 11);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM warnings"), 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM quotes_fts"), 8);
    assert_int_equal(raw_int(t->path,
                             "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'harbour'"),
                     2);
}

static void test_put_replaces_analysis_keeping_identity(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    qt_db_close(db);
    long long id_before = raw_int(t->path, "SELECT id FROM articles WHERE ext_id = 'caller-42'");
    assert_true(id_before > 0);

    /* A newer analysis: fewer quotes and people, and the same bytes reached from another path. */
    a.a.n_quotes = 3;
    a.a.n_people = 1;
    a.a.source = "elsewhere/copy.txt";
    db = open_db(t->path, 0);
    const qt_article *arts[] = {&a.a};
    put_batch(db, arts, 1);
    assert_int_equal(count(db, NULL, NULL, NULL), 5);
    assert_int_equal(count(db, "brekke", NULL, NULL), 0);
    assert_int_equal(count(db, NULL, NULL, "fantasy"), 0);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT id FROM articles WHERE ext_id = 'caller-42'"),
                     id_before);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM articles"
                                      " WHERE source = 'seeds/harbour-a.txt'"), 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM people"), 3);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM quotes_fts"), 5);
}

/* Entity keys (migration 10) are replaced with the rest of the analysis, kept as signed 32-bit
 * values, and a count without its array is refused. */
static void test_names_replaced_with_analysis(void **state)
{
    tmp *t = *state;
    art a, b;
    static const uint32_t first[] = {7, 0xFFFFFFFFu, 0x80000000u}, second[] = {7};
    make_a(&a);
    make_b(&b);
    a.a.names = first;
    a.a.n_names = 3;
    qt_db *db = open_db(t->path, 0);
    const qt_article *arts[] = {&a.a, &b.a};
    put_batch(db, arts, 2);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM article_names"), 3);
    assert_int_equal(raw_int(t->path, "SELECT min(hash) FROM article_names"), -2147483648LL);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM article_names WHERE hash = -1"), 1);

    a.a.names = second;
    a.a.n_names = 1;
    db = open_db(t->path, 0);
    put_batch(db, arts, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM article_names"), 1);
    a.a.n_names = 0;
    put_batch(db, arts, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM article_names"), 0);

    a.a.names = NULL;
    a.a.n_names = 2;
    qt_err err = {0};
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EINVAL);
    qt_db_close(db);
}

static void test_speaker_filter(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    /* Marta speaks three times in A (title included) and once in B. */
    assert_int_equal(count(db, "valdes", NULL, NULL), 4);        /* surname, no accent */
    assert_int_equal(count(db, "MARTA", NULL, NULL), 4);         /* first name, any case */
    assert_int_equal(count(db, "Marta  Valdés", NULL, NULL), 4); /* full name, extra space */
    assert_int_equal(count(db, "valdes marta", NULL, NULL), 4);  /* words in any order */
    assert_int_equal(count(db, "the mayor", NULL, NULL), 3);     /* an alias, only A has it */
    assert_int_equal(count(db, "THE MAYOR", NULL, NULL), 3);
    assert_int_equal(count(db, "mart", NULL, NULL), 0);          /* whole words only */
    assert_int_equal(count(db, "arta", NULL, NULL), 0);
    assert_int_equal(count(db, "mayor", NULL, NULL), 0);         /* not a name word, no alias */
    assert_int_equal(count(db, "marta brekke", NULL, NULL), 0);  /* every word must match */
    assert_int_equal(count(db, "angstrom", NULL, NULL), 1);
    assert_int_equal(count(db, "ines", NULL, NULL), 1);
    assert_int_equal(count(db, "the councillor", NULL, NULL), 1);
    assert_int_equal(count(db, "Brekke", NULL, NULL), 1);
    assert_int_equal(count(db, "one resident", NULL, NULL), 0);  /* a mention, not a speaker */
    assert_int_equal(count(db, "", NULL, NULL), 8);              /* empty: no filter */
    qt_db_close(db);
}

static void test_venue_filter(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    assert_int_equal(count(db, NULL, "nordica", NULL), 2);   /* "Nórdica" and "Nordica" */
    assert_int_equal(count(db, NULL, "RADIO NÓRDICA", NULL), 2);
    assert_int_equal(count(db, NULL, "gazette", NULL), 1);
    assert_int_equal(count(db, NULL, "harbour gaz", NULL), 1);  /* a substring */
    assert_int_equal(count(db, NULL, "tv", NULL), 0);
    assert_int_equal(count(db, NULL, "%", NULL), 0);            /* not a LIKE pattern */
    assert_int_equal(count(db, "valdes", "nordica", NULL), 1);  /* filters combine */
    assert_int_equal(count(db, "angstrom", "nordica", NULL), 1);
    qt_db_close(db);
}

static void test_search(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    assert_int_equal(count(db, NULL, NULL, "harbour"), 2);         /* title and body */
    assert_int_equal(count(db, NULL, NULL, "HARBOUR together"), 1); /* all words */
    assert_int_equal(count(db, NULL, NULL, "cafe"), 1);            /* diacritics removed */
    assert_int_equal(count(db, NULL, NULL, "fantasy"), 1);
    assert_int_equal(count(db, NULL, NULL, "zeppelin"), 0);
    /* Punctuation and FTS5 syntax in user input are just words, never a syntax error. */
    assert_int_equal(count(db, NULL, NULL, "harbour!"), 2);
    assert_int_equal(count(db, NULL, NULL, "rebuild \"harbour"), 2);
    assert_int_equal(count(db, NULL, NULL, "together,\""), 1);
    assert_int_equal(count(db, NULL, NULL, "(for now)"), 1);
    assert_int_equal(count(db, NULL, NULL, "it's"), 1);
    assert_int_equal(count(db, NULL, NULL, "none! --"), 1);
    assert_int_equal(count(db, NULL, NULL, "sea:gives"), 2);       /* outer and nested quote */
    assert_int_equal(count(db, NULL, NULL, "harbour AND NOT"), 0); /* "and" yes, "not" no */
    assert_int_equal(count(db, NULL, NULL, "harbour OR zeppelin"), 0);
    assert_int_equal(count(db, NULL, NULL, "text:harbour"), 0);    /* no column filter */
    assert_int_equal(count(db, NULL, NULL, "harb*"), 0);           /* no prefix operator */
    assert_int_equal(count(db, NULL, NULL, "* ^ NEAR("), 0);
    assert_int_equal(count(db, NULL, NULL, "   "), 8);             /* blank: no filter */
    assert_int_equal(count(db, "valdes", NULL, "harbour"), 2);
    assert_int_equal(count(db, "brekke", NULL, "harbour"), 0);
    qt_db_close(db);
}

static void test_empty_result_and_early_stop(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    size_t n = 99;
    qt_db *db = open_db(t->path, 0);
    assert_int_equal(qt_db_each_quote(db, NULL, collect, &(rows){0}, &n, &err), QT_OK);
    assert_int_equal(n, 0);
    put_ab(db, &a, &b);
    qt_quote_filter f = {"nobody by that name", NULL, NULL};
    n = 99;
    assert_int_equal(qt_db_each_quote(db, &f, NULL, NULL, &n, &err), QT_OK);
    assert_int_equal(n, 0);
    rows rs = {.stop_after = 2};
    assert_int_equal(qt_db_each_quote(db, NULL, collect, &rs, &n, &err), QT_OK);
    assert_int_equal(rs.n, 2);
    assert_int_equal(n, 2);
    rows_free(&rs);
    /* The statement was reset: the next query starts from the first row again. */
    assert_int_equal(count(db, NULL, NULL, NULL), 8);
    qt_db_close(db);
}

/* People rows copied out of the callback, aliases joined with '|'. */
typedef struct prows {
    size_t n;
    char name[8][64], aliases[8][160], kind[8][16];
    size_t articles[8], quotes[8], mentions[8];
    size_t stop_after;   /* return non-zero after this many rows; 0 never */
} prows;

static int collect_person(void *ctx, const qt_person_row *r)
{
    prows *ps = ctx;
    if (ps->n < 8) {
        snprintf(ps->name[ps->n], sizeof ps->name[0], "%s", r->name);
        size_t o = 0;
        for (size_t i = 0; i < r->n_aliases && o < sizeof ps->aliases[0]; i++)
            o += (size_t)snprintf(ps->aliases[ps->n] + o, sizeof ps->aliases[0] - o, "%s%s",
                                  i ? "|" : "", r->aliases[i]);
        ps->articles[ps->n] = r->n_articles;
        ps->quotes[ps->n] = r->n_quotes;
        ps->mentions[ps->n] = r->n_mentions;
        snprintf(ps->kind[ps->n], sizeof ps->kind[0], "%s", r->kind ? r->kind : "(null)");
    }
    ps->n++;
    return ps->stop_after && ps->n >= ps->stop_after;
}

/* The people matching name, into *ps; also checks the callback ran exactly n_found times. */
static size_t people(qt_db *db, const char *name, prows *ps)
{
    size_t n = 99;
    qt_err err = {0};
    memset(ps, 0, sizeof *ps);
    if (qt_db_each_person(db, name, collect_person, ps, &n, &err) != QT_OK)
        fail_msg("qt_db_each_person: %s", err.msg);
    assert_int_equal(n, ps->n);
    return n;
}

static void test_people_across_articles(void **state)
{
    tmp *t = *state;
    art a, b;
    prows ps;
    qt_db *db = open_db(t->path, 0);
    assert_int_equal(people(db, NULL, &ps), 0);
    put_ab(db, &a, &b);
    /* Marta is in both articles; Inès and Tomas tie on one quote and go by folded name. */
    assert_int_equal(people(db, NULL, &ps), 3);
    assert_string_equal(ps.name[0], "Marta Valdés");
    assert_int_equal(ps.quotes[0], 4);
    assert_int_equal(ps.articles[0], 2);
    assert_int_equal(ps.mentions[0], 5);
    /* "Valdés" was used in both articles, the others in one; then by folded form. */
    assert_string_equal(ps.aliases[0], "Valdés|Marta|the mayor");
    assert_string_equal(ps.name[1], "Inès Ångström");
    assert_string_equal(ps.aliases[1], "Ångström|the councillor");
    assert_string_equal(ps.name[2], "Tomas Brekke");
    assert_int_equal(ps.quotes[2], 1);
    assert_int_equal(ps.articles[2], 1);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(ps.kind[i], "person");

    /* The filter is the speaker filter of quotes: words of a name, or exactly an alias. */
    assert_int_equal(people(db, "valdes", &ps), 1);
    assert_string_equal(ps.name[0], "Marta Valdés");
    assert_int_equal(ps.quotes[0], 4);       /* the whole person, not the matching rows */
    assert_int_equal(people(db, "VALDÉS  marta", &ps), 1);
    assert_int_equal(people(db, "The Mayor", &ps), 1);
    assert_string_equal(ps.name[0], "Marta Valdés");
    assert_int_equal(people(db, "mayor", &ps), 0);
    assert_int_equal(people(db, "mart", &ps), 0);
    assert_int_equal(people(db, "marta brekke", &ps), 0);
    assert_int_equal(people(db, "angstrom", &ps), 1);
    assert_string_equal(ps.name[0], "Inès Ångström");
    assert_int_equal(people(db, "the councillor", &ps), 1);
    assert_int_equal(people(db, "", &ps), 3);
    assert_int_equal(people(db, " \t", &ps), 3);

    /* Stopping early is not an error, and the next call starts afresh. */
    prows stop = {.stop_after = 1};
    size_t n = 99;
    qt_err err = {0};
    assert_int_equal(qt_db_each_person(db, NULL, collect_person, &stop, &n, &err), QT_OK);
    assert_int_equal(stop.n, 1);
    assert_int_equal(n, 1);
    assert_int_equal(qt_db_each_person(db, "brekke", NULL, NULL, &n, &err), QT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(people(db, NULL, &ps), 3);
    assert_int_equal(qt_db_each_person(NULL, NULL, NULL, NULL, &n, &err), QT_EINVAL);
    assert_int_equal(n, 0);
    qt_db_close(db);
}

static const char text_c[] = "\xE2\x80\x9CThe harbour can wait,\xE2\x80\x9D Valdés said.";
static const char text_d[] = "Pablo Valdés, her cousin, would not comment.";
static const char *const pablo_aliases[] = {"Valdés"};

static void test_people_merge_short_names(void **state)
{
    tmp *t = *state;
    art a, b, c, d;
    prows ps;
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    /* An article that knew her only as "Valdés": one person, since only she went by it. */
    art_init(&c, "seeds/harbour-c.txt", NULL, "Harbour can wait", text_c);
    c.people[0] = (qt_person){"Valdés", NULL, 0, 1, 2, QT_SPEAKER_PERSON};
    c.a.n_people = 1;
    const qt_article *arts_c[] = {&c.a};
    put_batch(db, arts_c, 1);
    assert_int_equal(people(db, NULL, &ps), 3);
    assert_string_equal(ps.name[0], "Marta Valdés");
    assert_int_equal(ps.quotes[0], 6);
    assert_int_equal(ps.articles[0], 3);
    assert_int_equal(ps.mentions[0], 6);
    assert_int_equal(people(db, "the mayor", &ps), 1);
    assert_int_equal(ps.quotes[0], 6);

    /* Once someone else also goes by "Valdés", that article's Valdés is nobody's. */
    art_init(&d, "seeds/harbour-d.txt", NULL, "Cousin silent", text_d);
    d.people[0] = (qt_person){"Pablo Valdés", pablo_aliases, 1, 1, 0, QT_SPEAKER_PERSON};
    d.a.n_people = 1;
    const qt_article *arts_d[] = {&d.a};
    put_batch(db, arts_d, 1);
    assert_int_equal(people(db, "valdes", &ps), 3);
    assert_string_equal(ps.name[0], "Marta Valdés");
    assert_int_equal(ps.quotes[0], 4);
    assert_string_equal(ps.name[1], "Valdés");
    assert_int_equal(ps.quotes[1], 2);
    assert_string_equal(ps.aliases[1], "");
    assert_string_equal(ps.name[2], "Pablo Valdés");
    assert_int_equal(people(db, NULL, &ps), 5);
    qt_db_close(db);
}

/* The name shown is the most used form; on a tie, the accented one (the longer in bytes). */
static void test_people_display_name(void **state)
{
    tmp *t = *state;
    static const char *const texts[] = {"Renee Moreau spoke.", "Renée Moreau spoke again.",
                                        "Then Renee Moreau left.", "Renée Moreau came back."};
    static const char *const names[] = {"Renee Moreau", "Renée Moreau", "Renee Moreau",
                                        "Renée Moreau"};
    art x[4];
    prows ps;
    qt_db *db = open_db(t->path, 0);
    for (size_t i = 0; i < 4; i++) {
        art_init(&x[i], texts[i], NULL, NULL, texts[i]);
        x[i].people[0] = (qt_person){names[i], NULL, 0, 1, 0, QT_SPEAKER_PERSON};
        x[i].a.n_people = 1;
        const qt_article *one[] = {&x[i].a};
        put_batch(db, one, 1);
        assert_int_equal(people(db, "renee", &ps), 1);
        assert_int_equal(ps.articles[0], i + 1);
        assert_string_equal(ps.name[0], i % 2 == 0 ? "Renee Moreau" : "Renée Moreau");
        assert_string_equal(ps.aliases[0], "");
    }
    qt_db_close(db);
}

typedef struct stale_seen {
    size_t n;
    char source[64], id[64], title[128], hash[33], url[64], published[16];
    int id_null, text_ok;
    const qt_article *reput;   /* stored again from inside the callback, as reprocessing does */
    qt_db *db;
    int stop;
} stale_seen;

static int on_stale(void *ctx, const qt_input *in)
{
    stale_seen *s = ctx;
    if (s->n++ == 0) {
        snprintf(s->source, sizeof s->source, "%s", in->source);
        snprintf(s->id, sizeof s->id, "%s", in->id ? in->id : "");
        s->id_null = in->id == NULL;
        snprintf(s->title, sizeof s->title, "%s", in->title ? in->title : "");
        snprintf(s->url, sizeof s->url, "%s", in->url ? in->url : "");
        snprintf(s->published, sizeof s->published, "%s", in->published ? in->published : "");
        snprintf(s->hash, sizeof s->hash, "%s", in->hash);
        s->text_ok = in->text_len == sizeof text_a - 1 &&
                     memcmp(in->text, text_a, in->text_len) == 0 && in->text[in->text_len] == 0;
    }
    if (s->reput) {
        qt_err err = {0};
        if (qt_db_begin(s->db, &err) != QT_OK || qt_db_put(s->db, s->reput, &err) != QT_OK ||
            qt_db_commit(s->db, &err) != QT_OK)
            fail_msg("re-put: %s", err.msg);
    }
    return s->stop;
}

static void test_stale_articles(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db_state st;
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    stale_seen none = {0};
    assert_int_equal(qt_db_each_stale(db, on_stale, &none, &err), QT_OK);
    assert_int_equal(none.n, 0);
    qt_db_close(db);

    /* An older engine analysed A. */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE articles SET engine_version = %d WHERE hash = '%s'",
             QT_ENGINE_VERSION - 1, a.hash);
    raw_exec(t->path, sql);

    db = open_db(t->path, 0);
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_STALE);
    assert_int_equal(qt_db_lookup(db, b.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_CURRENT);

    stale_seen s = {.reput = &a.a, .db = db};
    assert_int_equal(qt_db_each_stale(db, on_stale, &s, &err), QT_OK);
    assert_int_equal(s.n, 1);
    assert_true(s.text_ok);
    assert_string_equal(s.source, "seeds/harbour-a.txt");
    assert_string_equal(s.id, "caller-42");
    assert_string_equal(s.hash, a.hash);
    assert_string_equal(s.title, a.a.title);
    assert_string_equal(s.url, "https://example.test/harbour");
    assert_string_equal(s.published, "2031-04-02");

    /* Re-storing it from the callback made it current, without duplicating anything. */
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_CURRENT);
    stale_seen after = {0};
    assert_int_equal(qt_db_each_stale(db, on_stale, &after, &err), QT_OK);
    assert_int_equal(after.n, 0);
    assert_int_equal(count(db, NULL, NULL, NULL), 8);
    qt_db_close(db);
}

static void test_stale_stop_and_id(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    qt_db_close(db);
    raw_exec(t->path, "UPDATE articles SET engine_version = 0");
    db = open_db(t->path, 0);
    /* B first would break ingest order: A came first, so it comes first. */
    stale_seen s = {.stop = 1};
    assert_int_equal(qt_db_each_stale(db, on_stale, &s, &err), QT_EINVAL);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.source, "seeds/harbour-a.txt");
    assert_non_null(strstr(err.msg, "harbour-a"));
    qt_db_close(db);

    /* An article stored without a caller id gives back id NULL, not its hash. */
    raw_exec(t->path, "UPDATE articles SET engine_version = 1000 WHERE ext_id = 'caller-42'");
    db = open_db(t->path, 0);
    stale_seen sb = {0};
    assert_int_equal(qt_db_each_stale(db, on_stale, &sb, &err), QT_OK);
    assert_int_equal(sb.n, 1);
    assert_string_equal(sb.source, "seeds/harbour-b.txt");
    assert_true(sb.id_null);
    qt_db_close(db);
}

static void test_rollback_leaves_nothing(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db_state st;
    qt_db *db = open_db(t->path, 0);
    make_a(&a);
    make_b(&b);
    assert_int_equal(qt_db_begin(db, &err), QT_OK);
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_OK);
    assert_int_equal(qt_db_put(db, &b.a, &err), QT_OK);
    assert_int_equal(count(db, NULL, NULL, NULL), 8);   /* visible inside the batch */
    assert_int_equal(qt_db_rollback(db, &err), QT_OK);
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_ABSENT);
    assert_int_equal(count(db, NULL, NULL, NULL), 0);
    assert_int_equal(count(db, NULL, NULL, "harbour"), 0);
    /* A rollback with no batch open is harmless (cleanup paths call it). */
    assert_int_equal(qt_db_rollback(db, &err), QT_OK);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM articles"), 0);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM quotes_fts"), 0);
}

static void test_close_with_open_batch_discards_it(void **state)
{
    tmp *t = *state;
    art a;
    qt_err err = {0};
    qt_db *db = open_db(t->path, 0);
    make_a(&a);
    assert_int_equal(qt_db_begin(db, &err), QT_OK);
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_OK);
    qt_db_close(db);   /* a killed run: nothing half-written survives */
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM articles"), 0);
}

static void test_invalid_article_stores_nothing(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db_state st;
    qt_db *db = open_db(t->path, 0);
    make_a(&a);
    make_b(&b);
    a.quotes[4].end = a.a.text_len + 1;   /* past the end of the text */
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EINVAL);
    assert_non_null(strstr(err.msg, "harbour-a"));
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_ABSENT);
    make_a(&a);
    a.quotes[3].parent = 3;                /* its own parent */
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EINVAL);
    make_a(&a);
    a.quotes[0].end = 200;                 /* past the end of the title */
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EINVAL);
    assert_non_null(strstr(err.msg, "title"));
    make_a(&a);
    a.people[1].kind = QT_SPEAKER_ANONYMOUS;   /* a person is a person or an organisation */
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EINVAL);
    assert_non_null(strstr(err.msg, "person 1"));
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_ABSENT);
    a.a.hash = NULL;
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EINVAL);
    assert_int_equal(count(db, NULL, NULL, NULL), 0);
    qt_db_close(db);
}

/* A write that fails half way through an article (here a trigger planted in the file) undoes
 * that article only: the batch goes on, and the caller decides to commit or roll back. */
static void test_failed_put_is_undone(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db_state st;
    qt_db_close(open_db(t->path, 0));
    raw_exec(t->path, "CREATE TRIGGER boom BEFORE INSERT ON quotes WHEN new.text LIKE '%fantasy%'"
                      " BEGIN SELECT RAISE(ABORT, 'planted failure'); END;");
    qt_db *db = open_db(t->path, 0);
    make_a(&a);
    make_b(&b);
    /* Outside a batch. */
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EDB);
    assert_non_null(strstr(err.msg, t->path));
    assert_non_null(strstr(err.msg, "planted failure"));
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_ABSENT);
    /* Inside a batch. */
    assert_int_equal(qt_db_begin(db, &err), QT_OK);
    assert_int_equal(qt_db_put(db, &b.a, &err), QT_OK);
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EDB);
    assert_int_equal(qt_db_commit(db, &err), QT_OK);
    assert_int_equal(qt_db_lookup(db, b.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_CURRENT);
    assert_int_equal(qt_db_lookup(db, a.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_ABSENT);
    assert_int_equal(count(db, NULL, NULL, NULL), 2);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM people"), 2);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM quotes_fts"), 2);
}

static void test_readonly_missing_file(void **state)
{
    tmp *t = *state;
    qt_db *db = (qt_db *)&db;
    qt_err err = {0};
    struct stat sb;
    assert_int_equal(qt_db_open(&db, t->path, 1, &err), QT_EDB);
    assert_null(db);
    char want[256];
    snprintf(want, sizeof want, "no database at '%s' (run quotetrail ingest first)", t->path);
    assert_string_equal(err.msg, want);
    assert_int_equal(err.code, QT_EDB);
    assert_int_not_equal(stat(t->path, &sb), 0);   /* nothing was created */
}

static void test_open_failures(void **state)
{
    tmp *t = *state;
    qt_db *db = NULL;
    qt_err err = {0};
    assert_int_equal(qt_db_open(&db, "/nonexistent-qt-dir/x.db", 0, &err), QT_EDB);
    assert_null(db);
    assert_string_equal(err.msg,
                        "cannot create database '/nonexistent-qt-dir/x.db': there is no "
                        "directory '/nonexistent-qt-dir'");
    assert_int_equal(qt_db_open(&db, "", 0, &err), QT_EINVAL);

    /* Not a SQLite file at all. */
    char junk[160];
    tmp_file(t, "junk.db", junk, sizeof junk);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("this is a note, not a database, and it is long enough to look like a header...\n", f);
    fclose(f);
    assert_int_equal(qt_db_open(&db, junk, 0, &err), QT_EDB);
    assert_non_null(strstr(err.msg, junk));
    assert_non_null(strstr(err.msg, "file is not a database"));
    assert_int_equal(qt_db_open(&db, junk, 1, &err), QT_EDB);

    /* Someone else's SQLite database is left alone. */
    char other[160];
    tmp_file(t, "other.db", other, sizeof other);
    raw_exec(other, "CREATE TABLE recipes(name TEXT)");
    assert_int_equal(qt_db_open(&db, other, 0, &err), QT_EDB);
    assert_non_null(strstr(err.msg, "is not a quotetrail database"));
    assert_int_equal(raw_int(other, "SELECT count(*) FROM sqlite_schema"), 1);

    /* A schema from the future is refused rather than misread. */
    qt_db_close(open_db(t->path, 0));
    raw_exec(t->path, "PRAGMA user_version = 999");
    assert_int_equal(qt_db_open(&db, t->path, 0, &err), QT_EDB);
    assert_non_null(strstr(err.msg, "newer"));
    assert_int_equal(qt_db_open(&db, t->path, 1, &err), QT_EDB);
}

static void test_readonly_refuses_writes(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    qt_db_close(db);
    db = open_db(t->path, 1);
    assert_int_equal(count(db, "valdes", NULL, NULL), 4);
    assert_int_equal(qt_db_begin(db, &err), QT_EDB);
    assert_non_null(strstr(err.msg, t->path));
    assert_non_null(strstr(err.msg, "read-only"));
    a.a.n_quotes = 1;
    assert_int_equal(qt_db_put(db, &a.a, &err), QT_EDB);
    assert_non_null(strstr(err.msg, "read-only"));
    qt_db_close(db);
    db = open_db(t->path, 1);
    assert_int_equal(count(db, NULL, NULL, NULL), 8);
    qt_db_close(db);
}

static void test_write_protected_file(void **state)
{
    tmp *t = *state;
    if (geteuid() == 0)
        skip();   /* root writes through file permissions */
    qt_db_close(open_db(t->path, 0));
    assert_int_equal(chmod(t->path, 0444), 0);
    qt_db *db = NULL;
    qt_err err = {0};
    assert_int_equal(qt_db_open(&db, t->path, 0, &err), QT_EDB);
    assert_non_null(strstr(err.msg, "read-only"));
    chmod(t->path, 0644);
}

static void test_reopen_keeps_data(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_db *db = open_db(t->path, 0);
    put_ab(db, &a, &b);
    qt_db_close(db);
    long long n_objects = raw_int(t->path, "SELECT count(*) FROM sqlite_schema");
    for (int i = 0; i < 2; i++) {
        db = open_db(t->path, 0);   /* migrations run once: reopening changes nothing */
        assert_int_equal(count(db, NULL, NULL, NULL), 8);
        assert_int_equal(count(db, NULL, NULL, "harbour"), 2);
        qt_db_close(db);
    }
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), qt_db_schema_version());
    assert_int_equal(raw_int(t->path, "PRAGMA application_id"), QT_DB_APP_ID);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM sqlite_schema"), n_objects);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM articles"), 2);
}

static void test_two_connections(void **state)
{
    tmp *t = *state;
    art a, b;
    qt_err err = {0};
    qt_db *w = open_db(t->path, 0);
    qt_db *r = open_db(t->path, 1);
    make_a(&a);
    make_b(&b);
    /* WAL: a reader sees committed batches only, and is not blocked by the open one. */
    assert_int_equal(qt_db_begin(w, &err), QT_OK);
    assert_int_equal(qt_db_put(w, &a.a, &err), QT_OK);
    assert_int_equal(count(r, NULL, NULL, NULL), 0);
    assert_int_equal(qt_db_commit(w, &err), QT_OK);
    assert_int_equal(count(r, NULL, NULL, NULL), 6);
    qt_db_close(r);
    qt_db_close(w);
}

/* ---- venues across articles ------------------------------------------------------------------- */

/* A one-quote article for the venue tests (fictional outlets "Quay Weekly", "Quay Monthly"):
 * the skipper's quote went to `name` with key `key`, and `more` is a further body paragraph,
 * where a short form may stand alone. n keeps the texts (and so the hashes) apart. */
typedef struct vart {
    art x;
    char source[32];
    char text[512];
} vart;

static void make_vart(vart *v, int n, const char *name, const char *key, const char *more)
{
    snprintf(v->source, sizeof v->source, "venues/%02d.txt", n);
    snprintf(v->text, sizeof v->text,
             "\xE2\x80\x9CStatement number %d,\xE2\x80\x9D the skipper told %s.\n\n%s", n, name,
             more ? more : "");
    art_init(&v->x, v->source, NULL, "Harbour news", v->text);
    add_quote(&v->x, "Statement number", 0, QT_QUOTE_DIRECT, -1, "the skipper",
              QT_SPEAKER_ANONYMOUS, "the skipper", "told", name);
    /* the whole quote, up to its comma */
    v->x.quotes[0].end = (size_t)(strchr(v->text + v->x.quotes[0].start, ',') - v->text) + 1;
    v->x.quotes[0].venue_key = key;
}

/* The venue fields of the first quote of one article, copied out of qt_db_each_quote(). */
typedef struct vshown {
    const char *source;               /* the article to look for */
    char venue[64], written[64], key[64];
    int found;
} vshown;

static int find_venue(void *ctx, const qt_quote_row *r)
{
    vshown *v = ctx;
    if (strcmp(r->source, v->source) == 0 && v->found++ == 0) {   /* its first quote */
        snprintf(v->venue, sizeof v->venue, "%s", r->venue ? r->venue : "(null)");
        snprintf(v->written, sizeof v->written, "%s",
                 r->venue_as_written ? r->venue_as_written : "(null)");
        snprintf(v->key, sizeof v->key, "%s", r->venue_key ? r->venue_key : "(null)");
    }
    return 0;
}

static vshown shown(qt_db *db, const vart *v)
{
    vshown out = {.source = v->source};
    qt_err err = {0};
    if (qt_db_each_quote(db, NULL, find_venue, &out, NULL, &err) != QT_OK)
        fail_msg("qt_db_each_quote: %s", err.msg);
    assert_true(out.found >= 1);
    return out;
}

static void put_varts(qt_db *db, vart *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const qt_article *arts[] = {&v[i]->x.a};
        put_batch(db, arts, 1);
    }
}

/* One text value from a raw connection, as raw_int() does for integers. */
static void raw_text(const char *path, const char *sql, char *out, size_t cap)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(h);
}

static const char told_quay[] = "She told Quay that the boat was her home.";

static void test_venue_short_form_learned(void **state)
{
    tmp *t = *state;
    vart l, s;
    make_vart(&l, 1, "Quay Weekly", "quay weekly", told_quay);
    make_vart(&s, 2, "Quay", "quay", NULL);
    qt_db *db = open_db(t->path, 0);
    put_varts(db, (vart *const[]){&s}, 1);
    /* Alone, the short form is all there is. */
    vshown v = shown(db, &s);
    assert_string_equal(v.venue, "Quay");
    assert_string_equal(v.key, "quay");
    assert_int_equal(count(db, NULL, "quay weekly", NULL), 0);
    /* One article showing that "Quay" is "Quay Weekly", and no rival: one article is enough. */
    put_varts(db, (vart *const[]){&l}, 1);
    v = shown(db, &s);
    assert_string_equal(v.venue, "Quay Weekly");
    assert_string_equal(v.written, "Quay");
    assert_string_equal(v.key, "quay weekly");
    v = shown(db, &l);
    assert_string_equal(v.venue, "Quay Weekly");
    assert_string_equal(v.written, "Quay Weekly");
    assert_int_equal(count(db, NULL, "quay weekly", NULL), 2);
    assert_int_equal(count(db, NULL, "WEEKLY", NULL), 2);   /* a part of any of its names */
    assert_int_equal(count(db, NULL, "monthly", NULL), 0);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT articles FROM venue_alias"
                                      " WHERE short_key = 'quay' AND full_key = 'quay weekly'"),
                     1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM venue_alias"), 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM quotes WHERE venue_key = 'quay'"), 1);
}

/* Where the short form appears in a way that says nothing, no pair is learned. */
static void test_venue_evidence_needs_short_form_alone(void **state)
{
    tmp *t = *state;
    static const char *const silent[] = {
        "The boat came in late. Quay said nothing more.", /* at a sentence start */
        "Readers of the Quay Times were told.",           /* part of another name */
        "He told quay staff about it.",                   /* not capitalised */
        "She spoke to Quayside Radio.",                   /* part of a word */
        "\xE2\x80\x9CQuay\xE2\x80\x9D was all she said.", /* after a quote mark */
    };
    enum { N_SILENT = sizeof silent / sizeof *silent };
    vart l[N_SILENT], s, yes1, yes2;
    qt_db *db = open_db(t->path, 0);
    make_vart(&s, 99, "Quay", "quay", NULL);
    put_varts(db, (vart *const[]){&s}, 1);
    for (int i = 0; i < N_SILENT; i++) {
        make_vart(&l[i], i + 1, "Quay Weekly", "quay weekly", silent[i]);
        put_varts(db, (vart *const[]){&l[i]}, 1);
    }
    assert_string_equal(shown(db, &s).venue, "Quay");
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM venue_evidence"), 0);

    /* After a comma, and at the very end of the text, it counts. */
    db = open_db(t->path, 0);
    make_vart(&yes1, 20, "Quay Weekly", "quay weekly", "Asked by her old paper, Quay, she sighed.");
    make_vart(&yes2, 21, "Quay Weekly", "quay weekly", "That is what she told Quay");
    put_varts(db, (vart *const[]){&yes1, &yes2}, 2);
    assert_string_equal(shown(db, &s).venue, "Quay Weekly");
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT articles FROM venue_alias"), 2);
}

/* A short form alone in a headline says nothing (title case); the same words in the body do. */
static void test_venue_evidence_only_from_body(void **state)
{
    tmp *t = *state;
    static const char head[] = "Why she spoke to Quay";
    vart l;
    make_vart(&l, 1, "Quay Weekly", "quay weekly", head);
    size_t at = (size_t)(strstr(l.text, head) - l.text);
    l.x.blocks[0] = (qt_block){0, at - 2, "body"};
    l.x.blocks[1] = (qt_block){at, l.x.a.text_len, "headline"};
    l.x.a.n_blocks = 2;
    qt_db *db = open_db(t->path, 0);
    put_varts(db, (vart *const[]){&l}, 1);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM venue_evidence"), 0);

    l.x.blocks[1].role = "body";   /* the same article, analysed again */
    db = open_db(t->path, 0);
    put_varts(db, (vart *const[]){&l}, 1);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM venue_evidence"), 1);
}

/* Two long names for one short form: merged only when one has more than twice the support. */
static void test_venue_rival_long_names(void **state)
{
    tmp *t = *state;
    vart w1, w2, w3, m1, s;
    make_vart(&w1, 1, "Quay Weekly", "quay weekly", told_quay);
    make_vart(&w2, 2, "Quay Weekly", "quay weekly", told_quay);
    make_vart(&w3, 3, "Quay Weekly", "quay weekly", told_quay);
    make_vart(&m1, 4, "Quay Monthly", "quay monthly", told_quay);
    make_vart(&s, 5, "Quay", "quay", NULL);
    qt_db *db = open_db(t->path, 0);
    put_varts(db, (vart *const[]){&s, &w1, &m1}, 3);
    assert_string_equal(shown(db, &s).venue, "Quay");             /* 1 against 1 */
    assert_string_equal(shown(db, &s).key, "quay");
    assert_int_equal(count(db, NULL, "quay weekly", NULL), 1);
    assert_int_equal(count(db, NULL, "quay monthly", NULL), 1);
    put_varts(db, (vart *const[]){&w2}, 1);
    assert_string_equal(shown(db, &s).venue, "Quay");             /* 2 against 1 */
    put_varts(db, (vart *const[]){&w3}, 1);
    assert_string_equal(shown(db, &s).venue, "Quay Weekly");      /* 3 against 1 */
    assert_int_equal(count(db, NULL, "quay weekly", NULL), 4);
    assert_int_equal(count(db, NULL, "quay monthly", NULL), 1);   /* the rival keeps its own */
    assert_string_equal(shown(db, &m1).venue, "Quay Monthly");

    /* A new analysis of w3 that gives its quote no venue takes its support back. */
    w3.x.quotes[0].venue = NULL;
    w3.x.quotes[0].venue_key = NULL;
    put_varts(db, (vart *const[]){&w3}, 1);
    assert_string_equal(shown(db, &s).venue, "Quay");             /* 2 against 1 again */
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT articles FROM venue_alias"
                                      " WHERE full_key = 'quay weekly'"), 2);
}

/* The name shown for a venue is the one most articles use; on a tie, not all capitals. */
static void test_venue_display_name(void **state)
{
    tmp *t = *state;
    vart a, b, c;
    /* Two quotes of a to the same venue: one article, counted once. */
    make_vart(&a, 1, "Quay Weekly", "quay weekly",
              "\xE2\x80\x9C" "Again and again,\xE2\x80\x9D she told Quay Weekly.");
    add_quote(&a.x, "Again and again,", 0, QT_QUOTE_DIRECT, -1, NULL, QT_SPEAKER_UNKNOWN, "she",
              "told", "Quay Weekly");
    a.x.quotes[1].venue_key = "quay weekly";
    make_vart(&b, 2, "QUAY WEEKLY", "quay weekly", NULL);
    make_vart(&c, 3, "QUAY WEEKLY", "quay weekly", NULL);
    qt_db *db = open_db(t->path, 0);
    put_varts(db, (vart *const[]){&b, &a}, 2);
    assert_string_equal(shown(db, &a).venue, "Quay Weekly");
    assert_string_equal(shown(db, &b).venue, "Quay Weekly");
    assert_string_equal(shown(db, &b).written, "QUAY WEEKLY");
    put_varts(db, (vart *const[]){&c}, 1);
    assert_string_equal(shown(db, &b).venue, "QUAY WEEKLY");      /* 2 articles against 1 */
    assert_string_equal(shown(db, &a).written, "Quay Weekly");
    assert_int_equal(count(db, NULL, "quay weekly", NULL), 4);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT articles FROM venue_names"
                                      " WHERE name = 'Quay Weekly'"), 1);
}

/* The learned tables, the shown venues and the rule's outcome depend only on which articles
 * are stored: not on their order, their batches, or articles stored twice or re-analysed. */
static void dump_venues(const char *path, qt_db *db, vart *const *v, size_t n, char *out,
                        size_t cap)
{
    char names[512], pairs[256];
    raw_text(path, "SELECT group_concat(key || '|' || name || '=' || articles, ';')"
                   " FROM (SELECT * FROM venue_names ORDER BY key, name)", names, sizeof names);
    raw_text(path, "SELECT group_concat(short_key || '>' || full_key || '=' || articles, ';')"
                   " FROM (SELECT * FROM venue_alias ORDER BY short_key, full_key)", pairs,
             sizeof pairs);
    int len = snprintf(out, cap, "%s\n%s\n", names, pairs);
    for (size_t i = 0; i < n && len > 0 && (size_t)len < cap; i++) {
        vshown sh = shown(db, v[i]);
        len += snprintf(out + len, cap - (size_t)len, "%s: %s (%s)\n", v[i]->source, sh.venue,
                        sh.key);
    }
}

static void test_venue_incremental_equals_all_at_once(void **state)
{
    tmp *t = *state;
    vart w1, w2, m1, s1, s2, caps;
    make_vart(&w1, 1, "Quay Weekly", "quay weekly", told_quay);
    make_vart(&w2, 2, "Quay Weekly", "quay weekly", "Asked by Quay, she smiled.");
    make_vart(&m1, 3, "Quay Monthly", "quay monthly", told_quay);
    make_vart(&s1, 4, "Quay", "quay", NULL);
    make_vart(&s2, 5, "Quay", "quay", "Nothing else was said.");
    make_vart(&caps, 6, "QUAY WEEKLY", "quay weekly", NULL);
    vart *const all[] = {&w1, &w2, &m1, &s1, &s2, &caps};
    enum { N = sizeof all / sizeof *all };
    char once[2048], step[2048], other[160];

    /* All at once, in one batch. */
    qt_db *db = open_db(t->path, 0);
    const qt_article *arts[N];
    for (size_t i = 0; i < N; i++)
        arts[i] = &all[i]->x.a;
    put_batch(db, arts, N);
    dump_venues(t->path, db, all, N, once, sizeof once);
    qt_db_close(db);

    /* One at a time, in reverse order, with w1 stored twice and m1 re-analysed on the way. */
    tmp_file(t, "other.db", other, sizeof other);
    db = open_db(other, 0);
    put_varts(db, (vart *const[]){&caps, &s2, &s1, &m1, &w1, &w1}, 6);
    m1.x.quotes[0].venue = NULL;
    put_varts(db, (vart *const[]){&m1}, 1);
    m1.x.quotes[0].venue = "Quay Monthly";
    put_varts(db, (vart *const[]){&m1, &w2}, 2);
    dump_venues(other, db, all, N, step, sizeof step);
    qt_db_close(db);

    assert_string_equal(step, once);
    /* And the outcome is the rule's: 2 against 1 leaves "Quay" alone. */
    assert_non_null(strstr(once, "quay>quay weekly=2"));
    assert_non_null(strstr(once, "venues/04.txt: Quay (quay)"));
}

/* A database made before venue keys gets the new tables, and its articles are marked for
 * re-analysis, which then feeds the learning. */
static void test_venue_migration_from_v2(void **state)
{
    tmp *t = *state;
    vart w, s;
    qt_err err = {0};
    qt_db_state st = QT_DB_CURRENT;
    make_vart(&w, 1, "Quay Weekly", "quay weekly", told_quay);
    make_vart(&s, 2, "Quay", "quay", NULL);
    qt_db *db = open_db(t->path, 0);
    put_varts(db, (vart *const[]){&w, &s}, 2);
    qt_db_close(db);
    /* Undo migrations 5 to 3 by hand: what a version 2 database looks like. */
    raw_exec(t->path,
             UNDO_11 "DROP TABLE article_names; DROP TABLE qkeys; DROP TABLE copies; DROP TABLE signatures;"
             " DROP TABLE article_venues; DROP TABLE venue_names; DROP TABLE venue_evidence;"
             " DROP TABLE venue_alias; ALTER TABLE quotes DROP COLUMN venue_key;"
             " ALTER TABLE people DROP COLUMN kind; PRAGMA user_version = 2;");
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), 2);

    db = open_db(t->path, 0);
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), qt_db_schema_version());
    assert_int_equal(qt_db_lookup(db, s.x.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_STALE);
    vshown v = shown(db, &s);                     /* listed as stored, without a key */
    assert_string_equal(v.venue, "Quay");
    assert_string_equal(v.key, "(null)");
    put_varts(db, (vart *const[]){&w, &s}, 2);    /* what ingest --reprocess does */
    assert_string_equal(shown(db, &s).venue, "Quay Weekly");
    assert_int_equal(qt_db_lookup(db, s.x.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_CURRENT);
    qt_db_close(db);
}

/* ---- people's kind ------------------------------------------------------------------------- */

/* An article naming one speaker: name, kind (and a second row of the same name, as a second
 * entity of the analysis would be, when twice). */
static void make_speaker(art *x, const char *text, const char *name, qt_speaker_kind kind,
                         int twice)
{
    art_init(x, text, NULL, NULL, text);
    x->people[0] = (qt_person){name, NULL, 0, 1, 1, kind};
    x->people[1] = (qt_person){name, NULL, 0, 1, 0, kind};
    x->a.n_people = twice ? 2 : 1;
    add_quote(x, "Fares rise", 0, QT_QUOTE_DIRECT, -1, name, kind, name, "said", NULL);
}

/* The one person name finds is listed with this kind. */
static void assert_kind(qt_db *db, const char *name, const char *kind)
{
    prows ps;
    assert_int_equal(people(db, name, &ps), 1);
    if (strcmp(ps.kind[0], kind) != 0)
        fail_msg("'%s' is listed as %s, not %s", ps.name[0], ps.kind[0], kind);
}

/* Each article votes once for the kind it gave; organisation needs a majority. */
static void test_people_kind_majority(void **state)
{
    tmp *t = *state;
    static const char *const texts[] = {
        "\xE2\x80\x9C" "Fares rise\xE2\x80\x9D, Sealink said on Monday.",
        "\xE2\x80\x9C" "Fares rise\xE2\x80\x9D, SEALINK said on Tuesday.",
        "\xE2\x80\x9C" "Fares rise\xE2\x80\x9D, Sealink said on Friday.",
        "\xE2\x80\x9C" "Fares rise\xE2\x80\x9D, Harbour Board said.",
        "\xE2\x80\x9C" "Fares rise\xE2\x80\x9D, Harbour Board said again.",
        "\xE2\x80\x9C" "Fares rise\xE2\x80\x9D, Ines Lund said.",
    };
    art x[6];
    prows ps;
    qt_db *db = open_db(t->path, 0);
    /* Sealink: an organisation in one article (two rows there), a person in another. One
     * article, one vote: a tie, so a person; counting rows would have said organisation. */
    make_speaker(&x[0], texts[0], "Sealink", QT_SPEAKER_ORGANISATION, 1);
    make_speaker(&x[1], texts[1], "SEALINK", QT_SPEAKER_PERSON, 0);
    const qt_article *first[] = {&x[0].a, &x[1].a};
    put_batch(db, first, 2);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM people WHERE kind = 'organisation'"),
                     2);
    assert_kind(db, "sealink", "person");
    /* A third article calling it an organisation: two votes to one. */
    make_speaker(&x[2], texts[2], "Sealink", QT_SPEAKER_ORGANISATION, 0);
    /* Harbour Board: an organisation wherever it is named. Ines Lund: a person. */
    make_speaker(&x[3], texts[3], "Harbour Board", QT_SPEAKER_ORGANISATION, 0);
    make_speaker(&x[4], texts[4], "Harbour Board", QT_SPEAKER_ORGANISATION, 1);
    make_speaker(&x[5], texts[5], "Ines Lund", QT_SPEAKER_PERSON, 0);
    const qt_article *rest[] = {&x[2].a, &x[3].a, &x[4].a, &x[5].a};
    put_batch(db, rest, 4);
    assert_kind(db, "sealink", "organisation");
    assert_kind(db, "harbour board", "organisation");
    assert_kind(db, "lund", "person");
    assert_int_equal(people(db, NULL, &ps), 3);
    assert_string_equal(ps.name[0], "Sealink");   /* 3 quotes, listed whatever its kind */
    assert_string_equal(ps.kind[0], "organisation");
    assert_int_equal(ps.articles[0], 3);

    /* Re-analysing an article replaces its vote: the third now says person, back to a tie. */
    make_speaker(&x[2], texts[2], "Sealink", QT_SPEAKER_PERSON, 0);
    const qt_article *again[] = {&x[2].a};
    put_batch(db, again, 1);
    assert_kind(db, "sealink", "person");
    qt_db_close(db);
}

/* A database from before kinds: its people read as persons and its articles are marked for
 * re-analysis (as migration 3 did), which then stores the kind found. */
static void test_people_kind_migration_from_v3(void **state)
{
    tmp *t = *state;
    art x;
    qt_err err = {0};
    qt_db_state st = QT_DB_CURRENT;
    char kind[32];
    qt_db *db = open_db(t->path, 0);
    make_speaker(&x, "\xE2\x80\x9C" "Fares rise\xE2\x80\x9D, Harbour Board said.",
                 "Harbour Board", QT_SPEAKER_ORGANISATION, 0);
    const qt_article *one[] = {&x.a};
    put_batch(db, one, 1);
    assert_kind(db, "harbour board", "organisation");
    qt_db_close(db);
    /* Undo migrations 5 and 4 by hand: what a version 3 database looks like. */
    raw_exec(t->path, UNDO_11 "DROP TABLE article_names; DROP TABLE qkeys; DROP TABLE copies;"
                      " DROP TABLE signatures; ALTER TABLE people DROP COLUMN kind;"
                      " PRAGMA user_version = 3;");
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), 3);

    /* Read-only, an old database is refused with a hint, and left as it was. */
    qt_db *ro = NULL;
    assert_int_equal(qt_db_open(&ro, t->path, 1, &err), QT_EDB);
    assert_non_null(strstr(err.msg, "ingest"));
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), 3);

    db = open_db(t->path, 0);
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), qt_db_schema_version());
    raw_text(t->path, "SELECT group_concat(kind) FROM people", kind, sizeof kind);
    assert_string_equal(kind, "person");
    assert_kind(db, "harbour board", "person");
    assert_int_equal(qt_db_lookup(db, x.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_STALE);
    put_batch(db, one, 1);                         /* what ingest --reprocess does */
    assert_kind(db, "harbour board", "organisation");
    assert_int_equal(qt_db_lookup(db, x.hash, &st, &err), QT_OK);
    assert_int_equal(st, QT_DB_CURRENT);
    qt_db_close(db);
    /* The column refuses anything but the two kinds. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(t->path, &h), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h, "UPDATE people SET kind = 'anonymous'", NULL, NULL,
                                      NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* ---- near-duplicates ----------------------------------------------------------------------- */

/* Signatures are made by hand, value by value, so each test states exactly which positions and
 * which bands two articles share; the estimate's own accuracy is test_minhash.c's business. */

/* An article with a hand-made signature; its text (hence its hash) is its id. */
typedef struct dart {
    art x;
    char text[64];
    uint16_t v[QT_MINHASH_K];
} dart;

static uint32_t dup_rng = 2463534242u;
static uint16_t rnd16(void)
{
    dup_rng ^= dup_rng << 13;
    dup_rng ^= dup_rng >> 17;
    dup_rng ^= dup_rng << 5;
    return (uint16_t)(dup_rng >> 8);
}

/* Values of filled bins: QT_MINHASH_BORROWED clear, so that order counts (minhash.c (3)). */
static void sig_random(uint16_t v[QT_MINHASH_K])
{
    for (size_t i = 0; i < QT_MINHASH_K; i++)
        v[i] = rnd16() & (uint16_t)~QT_MINHASH_BORROWED;
}

static void make_dart(dart *d, const char *id, const uint16_t *v, unsigned shingles)
{
    memset(d, 0, sizeof *d);
    snprintf(d->text, sizeof d->text, "Article %s, whose words only its signature stands for.",
             id);
    art_init(&d->x, id, id, id, d->text);
    memcpy(d->v, v, sizeof d->v);
    d->x.a.minhash = d->v;
    d->x.a.n_minhash = QT_MINHASH_K;
    d->x.a.shingles = shingles;
}

static void put_darts(qt_db *db, dart *const *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const qt_article *one[] = {&d[i]->x.a};
        put_batch(db, one, 1);
    }
}

/* Pairs as lines "a b kind similarity c0 c1", in the order given. */
typedef struct dlist {
    qt_buf b;
    size_t n;
    size_t stop_after;   /* return non-zero after this many pairs; 0 never */
} dlist;

static int dcollect(void *ctx, const qt_dup_pair *p)
{
    dlist *l = ctx;
    assert_int_equal(qt_buf_printf(&l->b, "%s %s %s %.4f %.4f %.4f\n", p->a.id, p->b.id,
                                   p->kind, p->similarity, p->containment[0],
                                   p->containment[1]), QT_OK);
    assert_string_equal(p->a.title, p->a.id);   /* identities come along: make_dart() */
    assert_non_null(p->b.hash);
    l->n++;
    return l->stop_after && l->n >= l->stop_after;
}

/* As dcollect, with whether the figures were counted from the texts. */
static int dcollect2(void *ctx, const qt_dup_pair *p)
{
    dlist *l = ctx;
    assert_int_equal(qt_buf_printf(&l->b, "%s %s %s %.4f %.4f %.4f %s\n", p->a.id, p->b.id,
                                   p->kind, p->similarity, p->containment[0], p->containment[1],
                                   p->counted ? "counted" : "estimated"), QT_OK);
    l->n++;
    return 0;
}

/* The pairs at min as one string (caller frees), with the call's stats. */
static char *dups(qt_db *db, double min, qt_dup_stats *st)
{
    dlist l = {.b = QT_BUF_INIT};
    qt_err err = {0};
    qt_dup_stats local;
    /* hand-made signatures stand for texts that are not there: estimates only */
    if (qt_db_each_dup_ex(db, min, QT_DUP_ESTIMATES_ONLY, dcollect, &l, st ? st : &local, &err) !=
        QT_OK)
        fail_msg("qt_db_each_dup: %s", err.msg);
    assert_int_equal(l.n, (st ? st : &local)->n_pairs);
    char *out = strdup(l.b.data ? l.b.data : "");
    assert_non_null(out);
    qt_buf_release(&l.b);
    return out;
}

/* The line of pair "a b" in out, or NULL. */
static const char *dline(const char *out, const char *a, const char *b)
{
    char key[96];
    snprintf(key, sizeof key, "%s %s ", a, b);
    for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, key, strlen(key)) == 0)
            return p;
    return NULL;
}

static int appears(const char *out, const char *id)
{
    char key[64];
    size_t n = (size_t)snprintf(key, sizeof key, "%s ", id);
    for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, n) == 0)
            return 1;
        const char *sp = strchr(p, ' ');
        if (sp && strncmp(sp + 1, key, n) == 0)
            return 1;
    }
    return 0;
}

/* One signature row per article and nothing else (migration 9: no stored band keys), replaced
 * when the article is stored again, and gone with the article. */
static void test_dups_signature_rows(void **state)
{
    tmp *t = *state;
    dart d;
    qt_err err = {0};
    uint16_t v[QT_MINHASH_K], w[QT_MINHASH_K];
    sig_random(v);
    sig_random(w);
    v[0] = 0x1234;
    qt_db *db = open_db(t->path, 0);
    make_dart(&d, "solo", v, 120);
    const qt_article *one[] = {&d.x.a};
    put_batch(db, one, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM signatures"), 1);
    assert_int_equal(raw_int(t->path, "SELECT length(minhash) FROM signatures"), 192);
    assert_int_equal(raw_int(t->path, "SELECT shingles FROM signatures"), 120);
    /* little-endian: 0x1234 is stored as 34 12 */
    assert_int_equal(raw_int(t->path, "SELECT hex(substr(minhash, 1, 2)) = '3412'"
                                      " FROM signatures"), 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM sqlite_master WHERE name = 'lsh'"), 0);

    /* Stored again as it was: nothing added. */
    put_batch(db, one, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM signatures"), 1);

    /* Re-analysed with another signature: replaced. */
    memcpy(d.v, w, sizeof d.v);
    d.x.a.shingles = 130;
    put_batch(db, one, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM signatures"), 1);
    assert_int_equal(raw_int(t->path, "SELECT shingles FROM signatures"), 130);
    w[0] = 0x1234;
    assert_int_equal(raw_int(t->path, "SELECT hex(substr(minhash, 1, 2)) = '3412'"
                                      " FROM signatures"), 0);

    /* A body under five words: a signature row (never compared: see test_dups_kinds). */
    memset(d.v, 0, sizeof d.v);
    d.x.a.shingles = 0;
    put_batch(db, one, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM signatures"), 1);
    assert_int_equal(raw_int(t->path, "SELECT shingles FROM signatures"), 0);

    /* No signature at all: no row. */
    memcpy(d.v, v, sizeof d.v);
    d.x.a.shingles = 120;
    put_batch(db, one, 1);
    d.x.a.n_minhash = 0;
    put_batch(db, one, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM signatures"), 0);

    /* A signature of the wrong length is refused whole. */
    d.x.a.n_minhash = 50;
    assert_int_equal(qt_db_put(db, &d.x.a, &err), QT_EINVAL);
    assert_non_null(strstr(err.msg, "signature"));
    d.x.a.n_minhash = QT_MINHASH_K;
    d.x.a.minhash = NULL;
    assert_int_equal(qt_db_put(db, &d.x.a, &err), QT_EINVAL);
    d.x.a.minhash = d.v;
    put_batch(db, one, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM signatures"), 1);
    qt_db_close(db);

    /* Deleting the article takes its rows with it. */
    raw_exec(t->path, "PRAGMA foreign_keys = ON; DELETE FROM articles;");
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM signatures"), 0);
}

/* The test collection of near-duplicates: pairs of every kind, pairs that must not be found,
 * and one candidate that verification rejects. */
typedef struct dset {
    dart d[15];
    size_t n;
} dset;

static dart *dset_add(dset *s, const char *id, const uint16_t *v, unsigned shingles)
{
    dart *d = &s->d[s->n++];
    make_dart(d, id, v, shingles);
    return d;
}

static void make_dset(dset *s)
{
    uint16_t base[QT_MINHASH_K], v[QT_MINHASH_K];
    s->n = 0;
    dup_rng = 2463534242u;
    /* A, E: the same signature and shingle count: exact. */
    sig_random(base);
    dset_add(s, "A", base, 200);
    dset_add(s, "E", base, 200);
    /* B, F: the same signature, shingle counts apart: B read as wholly in F, near at 200/230. */
    sig_random(base);
    dset_add(s, "B", base, 200);
    dset_add(s, "F", base, 230);
    /* C, N: band 0 whole, the first position of 15 other bands changed: 81/96 = 0.84. */
    sig_random(base);
    memcpy(v, base, sizeof v);
    for (int b = 1; b <= 15; b++)
        v[b * QT_LSH_ROWS] ^= 0x5a5a;
    dset_add(s, "C", base, 300);
    dset_add(s, "N", v, 300);
    /* D, R: R agrees on the first 67 positions and holds the smaller minimum (the larger
     * value, minhash.c (3)) in the other 29, as a text holding all of D and 43 shingles more
     * would: Jaccard 0.70, and D wholly contained in R. */
    sig_random(base);
    for (int i = 67; i < QT_MINHASH_K; i++)
        base[i] &= 0x3fff;
    memcpy(v, base, sizeof v);
    for (int i = 67; i < QT_MINHASH_K; i++)
        v[i] |= 0x4000;
    dset_add(s, "D", base, 100);
    dset_add(s, "R", v, 143);
    /* G, H: alike but for one position of every band (48/96 with bands of 2): no shared
     * band, so never a candidate, however alike. */
    sig_random(base);
    memcpy(v, base, sizeof v);
    for (int b = 0; b < QT_LSH_BANDS; b++)
        v[b * QT_LSH_ROWS + 1] ^= 0x00ff;
    dset_add(s, "G", base, 150);
    dset_add(s, "H", v, 150);
    /* P, Q: bands 0 and 1 shared, nothing else: a candidate that verification rejects. */
    sig_random(base);
    memcpy(v, base, sizeof v);
    for (int i = 2 * QT_LSH_ROWS; i < QT_MINHASH_K; i++)
        v[i] ^= 0x3c3c;
    dset_add(s, "P", base, 150);
    dset_add(s, "Q", v, 150);
    /* U: unrelated. S1, S2: bodies under five words, all-zero signatures. */
    sig_random(base);
    dset_add(s, "U", base, 180);
    memset(base, 0, sizeof base);
    dset_add(s, "S1", base, 0);
    dset_add(s, "S2", base, 0);
}

static void put_dset(qt_db *db, dset *s, int reverse)
{
    for (size_t i = 0; i < s->n; i++) {
        const qt_article *one[] = {&s->d[reverse ? s->n - 1 - i : i].x.a};
        put_batch(db, one, 1);
    }
}

/* Candidates come from shared bands only; each is verified from the two signatures and given
 * its kind, in the documented order and orientation. */
static void test_dups_kinds(void **state)
{
    tmp *t = *state;
    dset s;
    qt_dup_stats st;
    make_dset(&s);
    qt_db *db = open_db(t->path, 0);
    put_dset(db, &s, 0);

    char *out = dups(db, 0.8, &st);
    assert_string_equal(out, "A E exact 1.0000 1.0000 1.0000\n"
                             "B F near 0.8696 1.0000 0.8696\n"
                             "C N near 0.8437 0.9153 0.9153\n"
                             "D R containment 0.6993 1.0000 0.6993\n");
    assert_int_equal(st.n_articles, s.n);
    assert_int_equal(st.n_unsigned, 0);
    assert_int_equal(st.n_candidates, 5);   /* the four and P-Q */
    assert_int_equal(st.n_pairs, 4);
    assert_int_equal(st.n_capped, 0);
    assert_int_equal(st.n_unproposed, 0);
    assert_null(dline(out, "G", "H"));
    assert_null(dline(out, "P", "Q"));
    assert_false(appears(out, "U"));
    assert_false(appears(out, "S1"));
    /* The figures are those of the two signatures. */
    qt_minhash d = {.shingles = 100}, r = {.shingles = 143};
    memcpy(d.v, s.d[6].v, sizeof d.v);
    memcpy(r.v, s.d[7].v, sizeof r.v);
    char want[96];
    qt_minhash_est e;
    qt_minhash_compare(&d, &r, &e);
    snprintf(want, sizeof want, "D R containment %.4f %.4f %.4f\n", e.similarity,
             e.contained[0], e.contained[1]);
    assert_non_null(strstr(out, want));
    free(out);

    /* A higher min drops the pairs under it; exact stays whatever min. C and N, of equal
     * size, share 0.915 of each other's shingles: at 0.9 that makes them a containment pair
     * (the definition eval/link scores), at 0.95 nothing. B and D, wholly contained, stay
     * containment pairs up to 1. */
    out = dups(db, 0.9, &st);
    assert_string_equal(out, "A E exact 1.0000 1.0000 1.0000\n"
                             "B F containment 0.8696 1.0000 0.8696\n"
                             "C N containment 0.8437 0.9153 0.9153\n"
                             "D R containment 0.6993 1.0000 0.6993\n");
    free(out);
    out = dups(db, 0.95, &st);
    assert_string_equal(out, "A E exact 1.0000 1.0000 1.0000\n"
                             "B F containment 0.8696 1.0000 0.8696\n"
                             "D R containment 0.6993 1.0000 0.6993\n");
    free(out);
    out = dups(db, 1.0, &st);
    assert_string_equal(out, "A E exact 1.0000 1.0000 1.0000\n"
                             "B F containment 0.8696 1.0000 0.8696\n"
                             "D R containment 0.6993 1.0000 0.6993\n");
    assert_int_equal(st.n_candidates, 5);
    free(out);
    /* A low min finds no more: candidates come from the bands, not from the threshold. */
    out = dups(db, 0.05, &st);
    assert_non_null(dline(out, "P", "Q"));   /* 4 of 96 bins: 0.08 contained */
    assert_null(dline(out, "G", "H"));
    assert_int_equal(st.n_pairs, 5);
    free(out);
    qt_db_close(db);
}

/* Out-of-range minimums are refused before fn runs; fn may stop early; nothing stored is fine. */
static void test_dups_arguments_and_empty(void **state)
{
    tmp *t = *state;
    dset s;
    qt_err err = {0};
    qt_dup_stats st = {.n_pairs = 99};
    dlist l = {.b = QT_BUF_INIT};
    qt_db *db = open_db(t->path, 0);
    assert_int_equal(qt_db_each_dup(db, 0.8, dcollect, &l, &st, &err), QT_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(st.n_pairs, 0);
    assert_int_equal(st.n_articles, 0);
    const double bad[] = {0.0, -0.5, 1.01, NAN};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err.msg[0] = '\0';
        assert_int_equal(qt_db_each_dup(db, bad[i], dcollect, &l, NULL, &err), QT_EINVAL);
        assert_non_null(strstr(err.msg, "minimum similarity"));
    }
    assert_int_equal(qt_db_each_dup(NULL, 0.8, dcollect, &l, NULL, &err), QT_EINVAL);
    make_dset(&s);
    put_dset(db, &s, 0);
    l.stop_after = 1;
    /* hand-made signatures: estimates only, as dups() */
    assert_int_equal(qt_db_each_dup_ex(db, 0.8, QT_DUP_ESTIMATES_ONLY, dcollect, &l, &st, &err),
                     QT_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(st.n_pairs, 4);   /* found, though fn stopped after one */
    assert_int_equal(qt_db_each_dup_ex(db, 0.8, QT_DUP_ESTIMATES_ONLY, NULL, NULL, &st, &err),
                     QT_OK);
    assert_int_equal(st.n_pairs, 4);
    qt_buf_release(&l.b);
    qt_db_close(db);
    /* A reader sees the same as the writer. */
    db = open_db(t->path, 1);
    char *out = dups(db, 0.8, &st);
    assert_int_equal(st.n_pairs, 4);
    free(out);
    qt_db_close(db);
}

/* One by one, all at once, in reverse, or with a detour through another signature: the same
 * pairs in the same order. */
static void test_dups_incremental_equals_all_at_once(void **state)
{
    tmp *t = *state;
    dset s;
    char other[160], third[160];
    tmp_file(t, "other.db", other, sizeof other);
    tmp_file(t, "third.db", third, sizeof third);
    make_dset(&s);

    qt_db *db = open_db(t->path, 0);
    const qt_article *all[15];
    for (size_t i = 0; i < s.n; i++)
        all[i] = &s.d[i].x.a;
    put_batch(db, all, s.n);
    char *once = dups(db, 0.8, NULL);
    qt_db_close(db);

    db = open_db(other, 0);
    put_dset(db, &s, 0);
    char *one_by_one = dups(db, 0.8, NULL);
    qt_db_close(db);

    db = open_db(third, 0);
    put_dset(db, &s, 1);
    /* N re-analysed to something unrelated, then back. */
    uint16_t keep[QT_MINHASH_K];
    dart *n = &s.d[5];
    memcpy(keep, n->v, sizeof keep);
    sig_random(n->v);
    put_darts(db, (dart *const[]){n}, 1);
    char *detour = dups(db, 0.8, NULL);
    assert_null(dline(detour, "C", "N"));
    free(detour);
    memcpy(n->v, keep, sizeof keep);
    put_darts(db, (dart *const[]){n}, 1);
    char *reverse = dups(db, 0.8, NULL);
    qt_db_close(db);

    assert_int_equal(strlen(once) > 0, 1);
    assert_string_equal(one_by_one, once);
    assert_string_equal(reverse, once);
    free(once);
    free(one_by_one);
    free(reverse);
}

/* Pairs as lines "a b kind similarity c0 c1 source-a source-b", for copies of one text, whose
 * entries share the first-stored title. */
static int ccollect(void *ctx, const qt_dup_pair *p)
{
    dlist *l = ctx;
    assert_int_equal(qt_buf_printf(&l->b, "%s %s %s %.4f %.4f %.4f %s %s\n", p->a.id, p->b.id,
                                   p->kind, p->similarity, p->containment[0],
                                   p->containment[1], p->a.source ? p->a.source : "-",
                                   p->b.source ? p->b.source : "-"), QT_OK);
    l->n++;
    return 0;
}

static char *cdups(qt_db *db)
{
    dlist l = {.b = QT_BUF_INIT};
    qt_err err = {0};
    qt_dup_stats st;
    if (qt_db_each_dup(db, 0.8, ccollect, &l, &st, &err) != QT_OK)
        fail_msg("qt_db_each_dup: %s", err.msg);
    assert_int_equal(l.n, st.n_pairs);
    char *out = strdup(l.b.data ? l.b.data : "");
    assert_non_null(out);
    qt_buf_release(&l.b);
    return out;
}

static void put_copy(qt_db *db, const char *hash, const char *id, const char *source)
{
    qt_err err = {0};
    assert_int_equal(qt_db_begin(db, &err), QT_OK);
    if (qt_db_put_copy(db, hash, id, source, NULL, &err) != QT_OK)
        fail_msg("qt_db_put_copy: %s", err.msg);
    assert_int_equal(qt_db_commit(db, &err), QT_OK);
}

/* One text under two ids: stored once, both ids recorded, one exact pair; a pair with another
 * article listed once per id; recording a copy again, or the same id from another source,
 * adds no pair; and the result does not depend on which copy came first. */
/* Each copy keeps its own date, the least one when recorded again (in either order); migration 8
 * gives rows from before it their article's date. */
static void test_copies_published(void **state)
{
    tmp *t = *state;
    static const char text[] = "The same wire story, word for word, under two ids.";
    art p;
    art_init(&p, "a.jsonl:1", "P", "Wire", text);
    p.a.published = "2024-03-05";
    qt_db *db = open_db(t->path, 0);
    put_batch(db, (const qt_article *const[]){&p.a}, 1);
    qt_err err = {0};
    static const char *const dates[] = {"2024-03-09", "2024-03-01", NULL, "", "2024-03-02"};
    assert_int_equal(qt_db_begin(db, &err), QT_OK);
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        assert_int_equal(qt_db_put_copy(db, p.hash, "Q", "b.jsonl:4", dates[i], &err), QT_OK);
    assert_int_equal(qt_db_put_copy(db, p.hash, "R", "c.jsonl:2", NULL, &err), QT_OK);
    assert_int_equal(qt_db_commit(db, &err), QT_OK);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM copies"), 3);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM copies WHERE ext_id = 'P'"
                                      " AND published = '2024-03-05'"), 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM copies WHERE ext_id = 'Q'"
                                      " AND published = '2024-03-01'"), 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM copies WHERE ext_id = 'R'"
                                      " AND published IS NULL"), 1);

    /* Undo migration 8 by hand: every row then takes the article's date. */
    raw_exec(t->path, UNDO_11 "DROP TABLE article_names; ALTER TABLE copies DROP COLUMN published;"
                      " PRAGMA user_version = 7;");
    db = open_db(t->path, 0);
    qt_db_close(db);
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), qt_db_schema_version());
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM copies"
                                      " WHERE published = '2024-03-05'"), 3);
}

static void test_dups_copies(void **state)
{
    tmp *t = *state;
    char other[160];
    tmp_file(t, "other.db", other, sizeof other);
    static const char text[] = "The same wire story, word for word, under two ids.";
    uint16_t v[QT_MINHASH_K], w[QT_MINHASH_K], u[QT_MINHASH_K];
    sig_random(v);
    sig_random(u);
    memcpy(w, v, sizeof w);
    for (int i = 0; i < 5; i++)   /* band 0 only: 91 of 96 positions agree */
        w[i] ^= 0x5a5a;
    art p, q;
    art_init(&p, "a.jsonl:1", "P", "Wire", text);
    art_init(&q, "b.jsonl:4", "Q", "Wire", text);
    p.a.minhash = q.a.minhash = v;
    p.a.n_minhash = q.a.n_minhash = QT_MINHASH_K;
    p.a.shingles = q.a.shingles = 100;
    dart n, x;
    make_dart(&n, "N", w, 100);
    make_dart(&x, "X", u, 100);
    const char *want = "P Q exact 1.0000 1.0000 1.0000 a.jsonl:1 b.jsonl:4\n"
                       "N P near 0.9479 0.9733 0.9733 N a.jsonl:1\n"
                       "N Q near 0.9479 0.9733 0.9733 N b.jsonl:4\n";

    /* P stored, Q skipped by ingest as already stored: its copy recorded. */
    qt_db *db = open_db(t->path, 0);
    put_batch(db, (const qt_article *const[]){&p.a, &n.x.a, &x.x.a}, 3);
    char *out = cdups(db);
    assert_string_equal(out, "N P near 0.9479 0.9733 0.9733 N a.jsonl:1\n");
    free(out);
    put_copy(db, q.hash, "Q", "b.jsonl:4");
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM articles"), 3);
    char *first = cdups(db);
    assert_string_equal(first, want);

    /* The same inputs again, and P stored again: nothing new. P from another file: still no
     * pair of P with itself, and its least source shown. */
    put_copy(db, q.hash, "Q", "b.jsonl:4");
    put_copy(db, p.hash, "P", "a.jsonl:1");
    put_batch(db, (const qt_article *const[]){&p.a}, 1);
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM copies"), 4);
    put_copy(db, p.hash, "P", "c.jsonl:9");
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM copies"), 5);
    out = cdups(db);
    assert_string_equal(out, want);
    free(out);

    /* A hash not stored is refused, and a read-only store refuses copies. */
    qt_err err = {0};
    assert_int_equal(qt_db_put_copy(db, x.x.hash + 1, "Z", NULL, NULL, &err), QT_EINVAL);
    assert_int_equal(qt_db_put_copy(db, NULL, "Z", NULL, NULL, &err), QT_EINVAL);
    qt_db_close(db);
    db = open_db(t->path, 1);
    assert_int_equal(qt_db_put_copy(db, p.hash, "Z", NULL, NULL, &err), QT_EDB);
    out = cdups(db);
    assert_string_equal(out, want);
    free(out);
    qt_db_close(db);

    /* The other order: Q stored first, then the copies of P, then the other articles. */
    db = open_db(other, 0);
    put_batch(db, (const qt_article *const[]){&q.a}, 1);
    put_copy(db, q.hash, "P", "c.jsonl:9");
    put_copy(db, q.hash, "P", "a.jsonl:1");
    put_batch(db, (const qt_article *const[]){&x.x.a, &n.x.a}, 2);
    out = cdups(db);
    assert_string_equal(out, first);
    free(out);
    qt_db_close(db);
    free(first);
}

/* A pair whose estimate lies near min is decided by counting the two stored texts: its figures
 * are the exact shares of shingles, whatever the signatures say; --estimates-only keeps them. */
static void test_dups_counted_from_texts(void **state)
{
    tmp *t = *state;
    static char ta[2048], tb[2048];
    size_t na = 0, nb = 0;
    /* A: words w0..w99; B: w0..w89 then x0..x9. Shingles: 96 each, 86 shared (the five-word
     * runs inside w0..w89): similarity 86/106, each 86/96 in the other. */
    for (int i = 0; i < 100; i++) {
        na += (size_t)snprintf(ta + na, sizeof ta - na, "w%d ", i);
        nb += (size_t)snprintf(tb + nb, sizeof tb - nb, i < 90 ? "w%d " : "x%d ", i);
    }
    art a, b;
    art_init(&a, "a.txt", "A", "A", ta);
    art_init(&b, "b.txt", "B", "B", tb);
    qt_minhash ma, mb;
    qt_text tx = QT_TEXT_INIT;
    assert_int_equal(qt_text_scan(&tx, ta, na), QT_OK);
    qt_minhash_text(&tx, &ma);
    assert_int_equal(qt_text_scan(&tx, tb, nb), QT_OK);
    qt_minhash_text(&tx, &mb);
    qt_text_release(&tx);
    a.a.minhash = ma.v;
    b.a.minhash = mb.v;
    a.a.n_minhash = b.a.n_minhash = QT_MINHASH_K;
    a.a.shingles = ma.shingles;
    b.a.shingles = mb.shingles;
    qt_db *db = open_db(t->path, 0);
    put_batch(db, (const qt_article *const[]){&a.a, &b.a}, 2);

    qt_dup_stats st;
    dlist l = {.b = QT_BUF_INIT};
    qt_err err = {0};
    /* The estimate puts each about 0.95 in the other: near 0.85 and 0.9, so both count. */
    assert_int_equal(qt_db_each_dup(db, 0.85, dcollect2, &l, &st, &err), QT_OK);
    assert_string_equal(l.b.data ? l.b.data : "", "A B containment 0.8113 0.8958 0.8958 counted\n");
    assert_int_equal(st.n_counted, 1);
    assert_int_equal(st.n_textless, 0);
    qt_buf_release(&l.b);
    l = (dlist){.b = QT_BUF_INIT};
    assert_int_equal(qt_db_each_dup(db, 0.9, dcollect2, &l, &st, &err), QT_OK);
    assert_int_equal(l.n, 0);   /* 0.8958 < 0.9, whatever the estimate said */
    assert_int_equal(st.n_counted, 1);
    qt_buf_release(&l.b);

    /* Estimates only: the same pair, not counted, its figures the signatures'. */
    l = (dlist){.b = QT_BUF_INIT};
    assert_int_equal(qt_db_each_dup_ex(db, 0.5, QT_DUP_ESTIMATES_ONLY, dcollect2, &l, &st, &err),
                     QT_OK);
    qt_minhash_est e;
    qt_minhash_compare(&ma, &mb, &e);
    char want[96];
    snprintf(want, sizeof want, "A B %s %.4f %.4f %.4f estimated\n",
             e.similarity >= 0.5 ? "near" : "containment", e.similarity, e.contained[0],
             e.contained[1]);
    assert_string_equal(l.b.data, want);
    assert_int_equal(st.n_counted, 0);
    qt_buf_release(&l.b);
    qt_db_close(db);
}

/* More than QT_DUP_BUCKET_MAX articles in one bucket: pairs among QT_DUP_BUCKET_MAX of them,
 * those whose hashes rank first, whatever the order they were stored in, and the cut counted. */
static void test_dups_bucket_cap(void **state)
{
    tmp *t = *state;
    enum { N_WALL = QT_DUP_BUCKET_MAX + 6 };
    static dart d[N_WALL];
    char ids[N_WALL][16], other[160];
    uint16_t v[QT_MINHASH_K];
    qt_dup_stats st;
    tmp_file(t, "other.db", other, sizeof other);
    sig_random(v);
    for (int i = 0; i < N_WALL; i++) {
        snprintf(ids[i], sizeof ids[i], "wall%02d", i);
        make_dart(&d[i], ids[i], v, 40);   /* the same boilerplate body, every time */
    }
    qt_db *db = open_db(t->path, 0);
    for (int i = 0; i < N_WALL; i++)
        put_darts(db, (dart *const[]){&d[i]}, 1);
    char *out = dups(db, 0.8, &st);
    const size_t cap = QT_DUP_BUCKET_MAX;
    assert_int_equal(st.n_pairs, cap * (cap - 1) / 2);
    assert_int_equal(st.n_candidates, cap * (cap - 1) / 2);
    assert_int_equal(st.n_capped, QT_LSH_BANDS);   /* every band is the same bucket */
    assert_int_equal(st.n_unproposed,
                     QT_LSH_BANDS * ((size_t)N_WALL * (N_WALL - 1) / 2 - cap * (cap - 1) / 2));
    /* The 6 left out are those whose hashes rank last (store.c: dup_rank_of()). */
    uint64_t rank[N_WALL];
    int left_out = 0;
    for (int i = 0; i < N_WALL; i++)
        rank[i] = qt_hash64(d[i].x.hash, strlen(d[i].x.hash));
    for (int i = 0; i < N_WALL; i++) {
        int higher = 0;
        for (int k = 0; k < N_WALL; k++)
            higher += rank[k] > rank[i];
        int kept = higher >= N_WALL - QT_DUP_BUCKET_MAX;
        if (appears(out, ids[i]) != kept)
            fail_msg("%s is %s the pairs but ranks %d", ids[i], kept ? "not in" : "in",
                     N_WALL - higher);
        left_out += !kept;
    }
    assert_int_equal(left_out, N_WALL - QT_DUP_BUCKET_MAX);
    qt_db_close(db);

    db = open_db(other, 0);
    for (int i = N_WALL - 1; i >= 0; i--)
        put_darts(db, (dart *const[]){&d[i]}, 1);
    char *reverse = dups(db, 0.8, NULL);
    assert_string_equal(reverse, out);
    qt_db_close(db);
    free(out);
    free(reverse);
}

/* A database from before signatures: read-only use asks for an ingest; the upgrade marks its
 * articles stale, they are not compared until re-analysed, and then the pairs are back. */
static void test_dups_migration_from_v4(void **state)
{
    tmp *t = *state;
    dset s;
    qt_err err = {0};
    qt_dup_stats st;
    qt_db_state state_of = QT_DB_CURRENT;
    make_dset(&s);
    qt_db *db = open_db(t->path, 0);
    put_dset(db, &s, 0);
    char *before = dups(db, 0.8, NULL);
    qt_db_close(db);
    /* Undo migration 5 by hand: what a version 4 database looks like. */
    raw_exec(t->path, UNDO_11 "DROP TABLE article_names; DROP TABLE qkeys; DROP TABLE copies;"
                      " DROP TABLE signatures; PRAGMA user_version = 4;");

    qt_db *ro = NULL;
    assert_int_equal(qt_db_open(&ro, t->path, 1, &err), QT_EDB);
    assert_non_null(strstr(err.msg, "ingest"));
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), 4);

    db = open_db(t->path, 0);
    assert_int_equal(raw_int(t->path, "PRAGMA user_version"), qt_db_schema_version());
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM signatures"), 0);
    /* Migration 6: each article's own id and source, one copies row each. */
    assert_int_equal(raw_int(t->path, "SELECT count(*) FROM copies c JOIN articles a"
                                      " ON a.id = c.article AND a.ext_id = c.ext_id"
                                      " AND a.source = c.source"), (long long)s.n);
    assert_int_equal(qt_db_lookup(db, s.d[0].x.hash, &state_of, &err), QT_OK);
    assert_int_equal(state_of, QT_DB_STALE);
    char *after = dups(db, 0.8, &st);
    assert_string_equal(after, "");
    assert_int_equal(st.n_unsigned, s.n);
    assert_int_equal(st.n_articles, 0);
    free(after);
    put_dset(db, &s, 0);                           /* what ingest --reprocess does */
    after = dups(db, 0.8, &st);
    assert_string_equal(after, before);
    assert_int_equal(st.n_unsigned, 0);
    assert_int_equal(qt_db_lookup(db, s.d[0].x.hash, &state_of, &err), QT_OK);
    assert_int_equal(state_of, QT_DB_CURRENT);
    qt_db_close(db);
    free(before);
    free(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_put_then_lookup_current),
        T(test_rows_in_article_then_text_order),
        T(test_row_fields),
        T(test_put_twice_adds_nothing),
        T(test_put_replaces_analysis_keeping_identity),
        T(test_names_replaced_with_analysis),
        T(test_speaker_filter),
        T(test_venue_filter),
        T(test_search),
        T(test_empty_result_and_early_stop),
        T(test_people_across_articles),
        T(test_people_merge_short_names),
        T(test_people_display_name),
        T(test_stale_articles),
        T(test_stale_stop_and_id),
        T(test_rollback_leaves_nothing),
        T(test_close_with_open_batch_discards_it),
        T(test_invalid_article_stores_nothing),
        T(test_failed_put_is_undone),
        T(test_readonly_missing_file),
        T(test_open_failures),
        T(test_readonly_refuses_writes),
        T(test_write_protected_file),
        T(test_reopen_keeps_data),
        T(test_two_connections),
        T(test_venue_short_form_learned),
        T(test_venue_evidence_needs_short_form_alone),
        T(test_venue_evidence_only_from_body),
        T(test_venue_rival_long_names),
        T(test_venue_display_name),
        T(test_venue_incremental_equals_all_at_once),
        T(test_venue_migration_from_v2),
        T(test_people_kind_majority),
        T(test_people_kind_migration_from_v3),
        T(test_dups_signature_rows),
        T(test_dups_kinds),
        T(test_dups_arguments_and_empty),
        T(test_dups_incremental_equals_all_at_once),
        T(test_dups_counted_from_texts),
        T(test_dups_bucket_cap),
        T(test_copies_published),
        T(test_dups_copies),
        T(test_dups_migration_from_v4),
#undef T
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
