/*
 * test_trace.c - what qt_db_each_quote_cluster() says about a cluster and how qt_db_trace()
 * finds clusters: the fullest wording, speakers compared by name (a surname alone is the same
 * person, another name a conflict; only names printed at the quote, of the same words, make
 * one), the first venue by the earliest dated member, the trace ranking and its failures.
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
