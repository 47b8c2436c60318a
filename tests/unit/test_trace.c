/*
 * test_trace.c - what qt_db_each_quote_cluster() says about a cluster and how qt_db_trace()
 * finds clusters: the fullest wording, speakers compared by name (a surname alone is the same
 * person, another name a conflict; only names printed at the quote, of the same words, make
 * one), the first venue by the earliest dated member, the trace ranking and its failures, and
 * the earliest carrier by inferred dates (rule "inferred"): the earliest range among undated
 * members, a range wholly before a date beating it, the same whatever the storage order.
 *
 * Fictional articles, analysed by the real engine and stored in a fresh database, so the tests
 * state what the articles say rather than hand-made rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/qt_core.h"
#include "quotetrail.h"
#include "store/store_int.h"

typedef struct fx {
    char dir[64], path[128];
    qt_engine *e;
    qt_doc *d;
    qt_db *db;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/qt_trace_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    qt_err err = {0};
    if (qt_engine_new(&f->e, &err) != QT_OK || !(f->d = qt_doc_new()) ||
        qt_db_open(&f->db, f->path, 0, &err) != QT_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    qt_db_close(f->db);
    qt_doc_free(f->d);
    qt_engine_free(f->e);
    static const char *const names[] = {"t.db", "t.db-wal", "t.db-shm"};
    char p[160];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static void put(fx *f, const char *id, const char *published, const char *text)
{
    qt_input in = {.source = id, .id = id, .title = "A harbour story", .published = published,
                   .text = text, .text_len = strlen(text)};
    qt_hash128_hex(text, strlen(text), in.hash);
    const qt_article *a = NULL;
    qt_err err = {0};
    assert_int_equal(qt_analyze(f->e, f->d, &in, &a, &err), QT_OK);
    assert_int_equal(qt_db_put(f->db, a, &err), QT_OK);
}

#define Q "\xE2\x80\x9CWe will rebuild the harbour wall before winter comes again, and nobody " \
          "in the town will pay a cent more for it,\xE2\x80\x9D "

static void store_harbour(fx *f)
{
    put(f, "late", "2024-03-09", Q "Renee Moreau said in an interview with Coastline Radio.");
    put(f, "gazette", "2024-03-01", Q "Renée Moreau told the Harbour Gazette.");
    put(f, "short", NULL,
        "\xE2\x80\x9CWe will rebuild the harbour wall before winter comes again,\xE2\x80\x9D "
        "Moreau said.");
}

typedef struct seen {
    size_t n;
    qt_quote_cluster c;           /* the first cluster, shallow */
    char text[512], venue[64], rule[32], speakers[4][64];
    size_t n_speakers;
    size_t index[8];
    char earliest[64], earliest_rule[32], inf[96];   /* inf: "from|to", "" for none */
} seen;

static int keep(void *ctx, const qt_quote_cluster *c)
{
    seen *s = ctx;
    if (s->n < 8)
        s->index[s->n] = c->index;
    if (s->n++ == 0) {
        s->c = *c;
        snprintf(s->text, sizeof s->text, "%s", c->text ? c->text : "");
        snprintf(s->venue, sizeof s->venue, "%s", c->venue ? c->venue : "");
        snprintf(s->rule, sizeof s->rule, "%s", c->venue_rule ? c->venue_rule : "");
        s->n_speakers = c->n_speakers;
        for (size_t i = 0; i < c->n_speakers && i < 4; i++)
            snprintf(s->speakers[i], sizeof s->speakers[i], "%s", c->speakers[i]);
        snprintf(s->earliest, sizeof s->earliest, "%s", c->earliest_id);
        snprintf(s->earliest_rule, sizeof s->earliest_rule, "%s", c->earliest_rule);
        const qt_date_range *r = c->earliest_inferred;
        if (r)
            snprintf(s->inf, sizeof s->inf, "%s|%s", r->from ? r->from : "", r->to ? r->to : "");
        /* the inferred range is the earliest member's */
        assert_ptr_equal(r, strcmp(c->earliest_rule, "inferred") ? NULL
                                : c->members[c->earliest].published_inferred);
    }
    return 0;
}

static void test_cluster_description(void **state)
{
    fx *f = *state;
    store_harbour(f);
    seen s = {0};
    qt_err err = {0};
    assert_int_equal(qt_db_each_quote_cluster(f->db, keep, &s, NULL, &err), QT_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c.n_members, 3);
    /* the fullest wording, not the shorter reprint stored last */
    assert_non_null(strstr(s.text, "pay a cent more"));
    /* "Moreau" and "Renee Moreau" are Renée Moreau: one person, no conflict */
    assert_int_equal(s.n_speakers, 1);
    assert_int_equal(s.c.conflict, 0);
    /* the venue of the earliest dated member, though a later one credits another */
    assert_string_equal(s.venue, "Harbour Gazette");
    assert_string_equal(s.rule, "earliest dated");
    assert_string_equal(s.c.earliest_rule, "published");
}

static void test_conflict(void **state)
{
    fx *f = *state;
    store_harbour(f);
    put(f, "other", NULL, Q "said Paul Girard, the harbour master.");
    seen s = {0};
    qt_err err = {0};
    assert_int_equal(qt_db_each_quote_cluster(f->db, keep, &s, NULL, &err), QT_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c.n_members, 4);
    assert_int_equal(s.c.conflict, 1);
    assert_int_equal(s.n_speakers, 2);
    assert_string_equal(s.speakers[1], "Paul Girard");   /* credited by fewer members */
}

/* A pronoun or a description is quotetrail's reading of the text around the quote, not the
 * outlet's credit: "he said" under another story's intro names no one, nor "the company". */
static void test_pronoun_is_no_conflict(void **state)
{
    fx *f = *state;
    store_harbour(f);
    put(f, "intro", NULL,
        "Paul Girard opened the council meeting on Monday with a report on the ferry.\n\n"
        Q "he said.");
    put(f, "desc", NULL, Q "the company said in a statement.");
    seen s = {0};
    qt_err err = {0};
    assert_int_equal(qt_db_each_quote_cluster(f->db, keep, &s, NULL, &err), QT_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c.n_members, 5);
    assert_int_equal(s.n_speakers, 3);   /* still listed: Renée Moreau, Paul Girard, the company */
    assert_int_equal(s.c.conflict, 0);
}

/* "Moreau said" in two articles is one credit, even where one article's Moreau is read as
 * another Moreau; two full names printed are two people. */
static void test_same_printed_name(void **state)
{
    fx *f = *state;
    store_harbour(f);
    put(f, "brother", NULL,
        "Paul Moreau, the harbour master, spoke to the council on Monday.\n\n" Q
        "Moreau said.");
    seen s = {0};
    qt_err err = {0};
    assert_int_equal(qt_db_each_quote_cluster(f->db, keep, &s, NULL, &err), QT_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c.n_members, 4);
    assert_int_equal(s.c.conflict, 0);
    put(f, "full", NULL, Q "said Paul Moreau, the harbour master.");
    memset(&s, 0, sizeof s);
    assert_int_equal(qt_db_each_quote_cluster(f->db, keep, &s, NULL, &err), QT_OK);
    assert_int_equal(s.c.n_members, 5);
    assert_int_equal(s.c.conflict, 1);
}

/* Two quotes joined through a stock phrase they share are not the same words: different
 * speakers there are no conflict. */
static void test_stock_phrase_is_no_conflict(void **state)
{
    fx *f = *state;
    put(f, "bridge", NULL,
        "\xE2\x80\x9CThe council is not going to be able to finish the old bridge before the "
        "spring floods,\xE2\x80\x9D said Renée Moreau.");
    put(f, "ferry", NULL,
        "\xE2\x80\x9CThe ferry company is not going to be able to sail while the storms keep "
        "hitting the coast,\xE2\x80\x9D said Paul Girard.");
    seen s = {0};
    qt_err err = {0};
    assert_int_equal(qt_db_each_quote_cluster(f->db, keep, &s, NULL, &err), QT_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c.n_members, 2);
    assert_int_equal(s.n_speakers, 2);
    assert_int_equal(s.c.conflict, 0);
}

/* ---- the earliest carrier by inferred dates --------------------------------------------------- */

/* Set the stored inferred range of the text stored under id (as qt_db_infer_dates() would). */
static void set_range(fx *f, const char *id, const char *from, const char *to)
{
    sqlite3 *h = qt_db_handle(f->db);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "INSERT OR REPLACE INTO article_dates(article,"
                                        " \"from\", \"to\", evidence) SELECT article, ?2, ?3,"
                                        " 'set by the test' FROM copies WHERE ext_id = ?1",
                                        -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (from)
        sqlite3_bind_text(s, 2, from, -1, SQLITE_STATIC);
    if (to)
        sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
}

static void first_cluster(fx *f, seen *s)
{
    qt_err err = {0};
    memset(s, 0, sizeof *s);
    assert_int_equal(qt_db_each_quote_cluster(f->db, keep, s, NULL, &err), QT_OK);
    assert_int_equal(s->n, 1);
}

/* No member dated: the earliest inferred "from" wins, whatever the ids and the storage order;
 * with no range at all, the one stored first. */
static void test_earliest_inferred_undated(void **state)
{
    fx *f = *state;
    put(f, "b-later", NULL, Q "Renée Moreau said.");
    put(f, "c-earlier", NULL, Q "Moreau told the Harbour Gazette.");
    put(f, "a-none", NULL, Q "said Renée Moreau, the mayor.");
    seen s;
    first_cluster(f, &s);
    assert_string_equal(s.earliest_rule, "stored first");
    assert_string_equal(s.earliest, "b-later");
    assert_string_equal(s.inf, "");
    set_range(f, "b-later", "2019-05", NULL);
    set_range(f, "c-earlier", "2017", "2019");
    first_cluster(f, &s);
    assert_string_equal(s.earliest_rule, "inferred");
    assert_string_equal(s.earliest, "c-earlier");
    assert_string_equal(s.inf, "2017|2019");
    /* same start: the one that ends first; then the least id */
    set_range(f, "b-later", "2017", "2018");
    first_cluster(f, &s);
    assert_string_equal(s.earliest, "b-later");
    set_range(f, "c-earlier", "2017", "2018");
    first_cluster(f, &s);
    assert_string_equal(s.earliest, "b-later");
    /* a range open at its start says less than one with a start */
    set_range(f, "a-none", NULL, "2016");
    first_cluster(f, &s);
    assert_string_equal(s.earliest, "b-later");
}

/* A dated member wins unless an undated one's range ends before its date starts. */
static void test_earliest_inferred_against_date(void **state)
{
    fx *f = *state;
    store_harbour(f);    /* gazette 2024-03-01, late 2024-03-09, short undated */
    seen s;
    set_range(f, "short", "2023", NULL);          /* open: may be later */
    first_cluster(f, &s);
    assert_string_equal(s.earliest_rule, "published");
    assert_string_equal(s.earliest, "gazette");
    set_range(f, "short", "2023", "2024");        /* overlaps the date */
    first_cluster(f, &s);
    assert_string_equal(s.earliest, "gazette");
    set_range(f, "short", "2024-02-01", "2024-03-01");   /* ends on the date's day */
    first_cluster(f, &s);
    assert_string_equal(s.earliest, "gazette");
    set_range(f, "short", "2023", "2024-02");     /* wholly before */
    first_cluster(f, &s);
    assert_string_equal(s.earliest_rule, "inferred");
    assert_string_equal(s.earliest, "short");
    assert_string_equal(s.inf, "2023|2024-02");
    /* a dated copy of a text makes it dated: its range is not used */
    put(f, "short-copy", "2025-01-01",
        "\xE2\x80\x9CWe will rebuild the harbour wall before winter comes again,\xE2\x80\x9D "
        "Moreau said.");
    first_cluster(f, &s);
    assert_string_equal(s.earliest, "gazette");
    assert_string_equal(s.earliest_rule, "published");
}

/* From the texts: qt_db_infer_dates() dates undated members by the years they mention, and the
 * earliest carrier follows, the same whichever order the articles came in. */
static void test_earliest_inferred_from_texts(void **state)
{
    fx *f = *state;
    static const char *const ids[] = {"a-2021", "z-2018"};
    static const char *const texts[] = {
        "The council first discussed the wall in March 2021.\n\n" Q "Renée Moreau said.",
        "The storm of 2018 broke the old wall.\n\n" Q "Moreau said."};
    char first[2][64], inf[2][96];
    for (int order = 0; order < 2; order++) {
        if (order) {
            qt_db_close(f->db);
            char p[160];
            snprintf(p, sizeof p, "%s/u.db", f->dir);
            unlink(p);
            qt_err e0 = {0};
            assert_int_equal(qt_db_open(&f->db, p, 0, &e0), QT_OK);
        }
        for (int k = 0; k < 2; k++) {
            int i = order ? 1 - k : k;
            put(f, ids[i], NULL, texts[i]);
        }
        qt_err err = {0};
        assert_int_equal(qt_db_infer_dates(f->db, NULL, &err), QT_OK);
        seen s;
        first_cluster(f, &s);
        assert_string_equal(s.earliest_rule, "inferred");
        snprintf(first[order], sizeof first[order], "%s", s.earliest);
        snprintf(inf[order], sizeof inf[order], "%s", s.inf);
    }
    assert_string_equal(first[0], "z-2018");
    assert_string_equal(inf[0], "2018|");
    assert_string_equal(first[1], first[0]);
    assert_string_equal(inf[1], inf[0]);
    char p[160];
    static const char *const sfx[] = {"", "-wal", "-shm"};
    qt_db_close(f->db);      /* teardown closes the database it opened */
    qt_err e1 = {0};
    assert_int_equal(qt_db_open(&f->db, f->path, 0, &e1), QT_OK);
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/u.db%s", f->dir, sfx[i]);
        unlink(p);
    }
}

/* The order of ranges (quotetrail.h) and the first day of a date. */
static void test_range_order(void **state)
{
    (void)state;
    qt_date_range y2015 = {"2015", NULL, "x"}, oct = {"2015-10", NULL, "x"},
                  y2015_16 = {"2015", "2016", "x"}, to2014 = {NULL, "2014", "x"},
                  none = {NULL, NULL, "x"};
    assert_true(qt_date_range_cmp(&y2015, &oct) < 0);       /* the lesser start */
    assert_true(qt_date_range_cmp(&y2015_16, &y2015) < 0);  /* same start: closed end first */
    assert_true(qt_date_range_cmp(&to2014, &oct) > 0);      /* no start: after one with */
    assert_true(qt_date_range_cmp(&none, &to2014) > 0);
    assert_int_equal(qt_date_range_cmp(&y2015, &y2015), 0);
    assert_int_equal(qt_date_first_day("1970-01-02T10:00:00Z"), 1);
    assert_int_equal(qt_date_first_day("1970"), 0);
    assert_int_equal(qt_date_first_day("last week"), INT32_MIN);
    assert_int_equal(qt_date_first_day(NULL), INT32_MIN);
}

static void test_trace_words(void **state)
{
    fx *f = *state;
    store_harbour(f);
    put(f, "bus", "2024-01-01",
        "\xE2\x80\x9CThe first bus will leave before six, winter or not,\xE2\x80\x9D said Mira "
        "Halvorsen.");
    seen s = {0};
    size_t n = 0;
    qt_err err = {0};
    /* case, accents and quote marks aside: "WINTER" is in both clusters */
    assert_int_equal(qt_db_trace(f->db, "WINTER", keep, &s, &n, &err), QT_OK);
    assert_int_equal(n, 2);
    assert_int_equal(s.c.n_members, 3);   /* more matching members first */
    assert_int_equal(s.c.n_matched, 3);
    memset(&s, 0, sizeof s);
    assert_int_equal(qt_db_trace(f->db, "\xE2\x80\x9Cwe will", keep, &s, &n, &err), QT_OK);
    assert_int_equal(n, 1);
    memset(&s, 0, sizeof s);
    assert_int_equal(qt_db_trace(f->db, "cent more", keep, &s, &n, &err), QT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s.c.n_matched, 2);   /* the short reprint lacks them */
    assert_int_equal(qt_db_trace(f->db, "zeppelin harbour", keep, &s, &n, &err), QT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(qt_db_trace(f->db, "   ", keep, &s, &n, &err), QT_EINVAL);
    assert_int_equal(qt_db_trace(NULL, "wall", keep, &s, &n, &err), QT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cluster_description, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pronoun_is_no_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_printed_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stock_phrase_is_no_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_earliest_inferred_undated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_earliest_inferred_against_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_earliest_inferred_from_texts, setup, teardown),
        cmocka_unit_test(test_range_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
