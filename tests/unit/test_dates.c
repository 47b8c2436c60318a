/*
 * test_dates.c - dating undated articles (issue 6): calendar values, the bound an article's
 * own times give (the record's published_inferred), and qt_db_infer_dates() over a store of
 * hand-made articles: bounds from the text, ages across articles, following a dated article,
 * a conflict left out and named, the listing's order, and results that do not depend on the
 * order articles were stored in.
 *
 * Articles are fictional and built by hand, their times as the recognizer would fill them
 * (qt_time), so these tests do not depend on it.
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
#include "link/qt_dates.h"
#include "link/qt_link.h"
#include "quotetrail.h"

/* ---- calendar values and the article's own text ------------------------------------------- */

static void test_parse_values(void **state)
{
    (void)state;
    qt_day_span s;
    char b[16];
    assert_true(qt_date_parse("2015-10-13T14:00", &s));
    assert_int_equal(s.gran, 'D');
    assert_string_equal(qt_date_format(s.first, s.gran, b, sizeof b), "2015-10-13");
    assert_true(qt_date_parse("2016-02", &s));
    assert_int_equal(s.last - s.first, 28);       /* a leap February */
    assert_true(qt_date_parse("2013", &s));
    assert_string_equal(qt_date_format(s.last, 'D', b, sizeof b), "2013-12-31");
    assert_true(qt_date_parse("2015-SU", &s) && s.gran == 'Y');
    assert_true(qt_date_parse("199X", &s));
    assert_string_equal(qt_date_format(s.last, 'Y', b, sizeof b), "1999");
    assert_false(qt_date_parse("XXXX-12", &s));   /* unresolved: nothing guessed */
    assert_false(qt_date_parse("P4Y", &s));
    assert_false(qt_date_parse("PRESENT_REF", &s));
    assert_false(qt_date_parse(NULL, &s));
    int y, m, d;
    qt_civil_from_days(qt_days_from_civil(2000, 2, 29), &y, &m, &d);
    assert_true(y == 2000 && m == 2 && d == 29);
}

static void test_own_text_latest_mention(void **state)
{
    (void)state;
    const qt_time t[] = {
        {.type = "DATE", .value = "2013"},
        {.type = "DATE", .value = "2015-10-13"},
        {.type = "DURATION", .value = "P4Y"},
        {.type = "DATE", .value = NULL},           /* "last week" without a date */
        {.type = "DATE", .value = "2015-10"},      /* earlier start than the 13th */
    };
    qt_arena a = QT_ARENA_INIT;
    const qt_date_range *r = qt_dates_own(t, 5, &a);
    assert_non_null(r);
    assert_string_equal(r->from, "2015-10-13");
    assert_null(r->to);
    assert_string_equal(r->evidence, "mentions 2015-10-13");
    assert_null(qt_dates_own(t + 2, 2, &a));       /* nothing absolute */
    qt_arena_free(&a);
}

static void test_ages(void **state)
{
    (void)state;
    int lo, hi;
    qt_time t = {.type = "DURATION", .value = "P40Y", .age_of = "Ana Vale"};
    assert_true(qt_age_of(&t, &lo, &hi) && lo == 40 && hi == 40);
    t.mod = "LESS_THAN";                           /* "almost 40" */
    assert_true(qt_age_of(&t, &lo, &hi) && lo == 39 && hi == 39);
    t.mod = "APPROX";
    assert_true(qt_age_of(&t, &lo, &hi) && lo == 39 && hi == 41);
    t.age_of = NULL;                               /* "four years": a duration, no age */
    assert_false(qt_age_of(&t, &lo, &hi));
}

/* ---- the store -------------------------------------------------------------------------------- */

typedef struct art {
    qt_article a;
    char hash[33];
    qt_time times[4];
    qt_person people[2];
    uint16_t sig[QT_MINHASH_K];
} art;

static const char *const vale_aliases[] = {"Vale", "the skipper"};

static void art_init(art *x, const char *id, const char *published, const char *text)
{
    memset(x, 0, sizeof *x);
    x->a.source = id;
    x->a.id = id;
    x->a.title = id;
    x->a.title_given = 1;
    x->a.text = text;
    x->a.text_len = strlen(text);
    x->a.published = published;
    qt_hash128_hex(text, x->a.text_len, x->hash);
    x->a.hash = x->hash;
    x->a.times = x->times;
    x->a.people = x->people;
    /* a signature of its own, so that only the tests that want a pair make one */
    uint32_t s = 2166136261u;
    for (const char *p = text; *p; p++)
        s = (s ^ (unsigned char)*p) * 16777619u;
    for (size_t i = 0; i < QT_MINHASH_K; i++) {
        s ^= s << 13, s ^= s >> 17, s ^= s << 5;
        x->sig[i] = (uint16_t)s;
    }
    x->a.minhash = x->sig;
    x->a.n_minhash = QT_MINHASH_K;
    x->a.shingles = 40;
}

static void add_time(art *x, const char *type, const char *value, const char *mod,
                     const char *age_of)
{
    qt_time *t = &x->times[x->a.n_times++];
    const char *p = strstr(x->a.text, "e");      /* any span inside the text will do */
    t->start = (size_t)(p - x->a.text);
    t->end = t->start + 1;
    t->type = type;
    t->value = value;
    t->mod = mod;
    t->age_of = age_of;
}

static void add_vale(art *x)
{
    x->people[x->a.n_people++] = (qt_person){.name = "Ana Vale", .aliases = vale_aliases,
                                            .n_aliases = 2, .mentions = 2,
                                            .kind = QT_SPEAKER_PERSON};
}

typedef struct tmp {
    char dir[64], path[128];
} tmp;

static int setup(void **state)
{
    tmp *t = calloc(1, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/qt_dates_XXXXXX");
    if (!t || !mkdtemp(t->dir))
        return -1;
    snprintf(t->path, sizeof t->path, "%s/d.db", t->dir);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tmp *t = *state;
    char p[160];
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    for (int r = 0; r < 2; r++)
        for (size_t i = 0; i < 4; i++) {
            snprintf(p, sizeof p, "%s/%s%s", t->dir, r ? "e.db" : "d.db", sfx[i]);
            unlink(p);
        }
    rmdir(t->dir);
    free(t);
    return 0;
}

typedef struct listed {
    char line[16][400];
    size_t n;
} listed;

/* "id|published|from|to|evidence|copies" per row, in the listing's order */
static int collect(void *ctx, const qt_article_row *r)
{
    listed *l = ctx;
    const qt_date_range *d = r->published_inferred;
    if (l->n < 16)
        snprintf(l->line[l->n++], sizeof l->line[0], "%s|%s|%s|%s|%s|%zu", r->id,
                 r->published ? r->published : "", d && d->from ? d->from : "",
                 d && d->to ? d->to : "", d ? d->evidence : "", r->n_copies);
    return 0;
}

/* Store arts in the given order, infer, list. */
static void store_and_list(const char *path, art *const *arts, size_t n, listed *out,
                           qt_date_stats *st)
{
    qt_db *db = NULL;
    qt_err err = {0};
    assert_int_equal(qt_db_open(&db, path, 0, &err), QT_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(qt_db_put(db, &arts[i]->a, &err), QT_OK);
    assert_int_equal(qt_db_infer_dates(db, st, &err), QT_OK);
    memset(out, 0, sizeof *out);
    size_t found = 0;
    assert_int_equal(qt_db_each_article(db, collect, out, &found, &err), QT_OK);
    assert_int_equal(found, n);
    qt_db_close(db);
}

static const char *line_of(const listed *l, const char *id)
{
    size_t n = strlen(id);
    for (size_t i = 0; i < l->n; i++)
        if (!strncmp(l->line[i], id, n) && l->line[i][n] == '|')
            return l->line[i];
    fail_msg("'%s' not listed", id);
    return NULL;
}

static void test_store_bound_from_text(void **state)
{
    tmp *t = *state;
    art a;
    art_init(&a, "harbour", NULL, "The harbour wall broke in the storm of 2031, and again this week.");
    add_time(&a, "DATE", "2031", NULL, NULL);
    add_time(&a, "DATE", NULL, NULL, NULL);
    art *v[] = {&a};
    listed l;
    qt_date_stats st;
    store_and_list(t->path, v, 1, &l, &st);
    assert_string_equal(line_of(&l, "harbour"), "harbour||2031||mentions 2031|0");
    assert_int_equal(st.n_inferred, 1);
    assert_int_equal(st.n_dated, 0);
}

/* Vale is 34 in a dated article of 2030: born 1995-1996. An undated article calling her 45
 * ("Vale", an alias) is from 2040-2042. */
static void test_store_ages_across_articles(void **state)
{
    tmp *t = *state;
    art a, b;
    art_init(&a, "dated", "2030-06-01", "Ana Vale, 34, sailed the ferry home.");
    add_vale(&a);
    add_time(&a, "DURATION", "P34Y", NULL, "Ana Vale");
    art_init(&b, "undated", NULL, "The 45-year-old skipper Vale retired from the ferry.");
    add_vale(&b);
    add_time(&b, "DURATION", "P45Y", NULL, "Vale");
    art *v[] = {&a, &b};
    listed l;
    store_and_list(t->path, v, 2, &l, NULL);
    const char *u = line_of(&l, "undated");
    assert_non_null(strstr(u, "|2040|2042|"));
    assert_non_null(strstr(u, "Vale 45 (born 1995-1996 per dated)"));
    assert_int_equal(strncmp(l.line[0], "dated|", 6), 0);      /* by date: the dated first */
}

/* An undated near-duplicate of a dated article follows it; an undated exact copy (another id
 * of the same text) starts at its copy's date. */
static void test_store_follows_dated(void **state)
{
    tmp *t = *state;
    art a, b;
    art_init(&a, "wire", "2031-03-04", "Crews stopped work on the Kessel ferry on Monday.");
    art_init(&b, "reprint", NULL, "Crews stopped work on the Kessel ferry on Monday. Share this.");
    memcpy(b.sig, a.sig, sizeof a.sig);           /* the same shingles, as far as a signature tells */
    art *v[] = {&a, &b};
    listed l;
    qt_db *db = NULL;
    qt_err err = {0};
    store_and_list(t->path, v, 2, &l, NULL);
    assert_string_equal(line_of(&l, "reprint"), "reprint||2031-03-04||follows wire (2031-03-04)|0");

    assert_int_equal(qt_db_open(&db, t->path, 0, &err), QT_OK);
    assert_int_equal(qt_db_put_copy(db, a.hash, "mirror", "mirror.txt", NULL, &err), QT_OK);
    assert_int_equal(qt_db_infer_dates(db, NULL, &err), QT_OK);
    memset(&l, 0, sizeof l);
    assert_int_equal(qt_db_each_article(db, collect, &l, NULL, &err), QT_OK);
    qt_db_close(db);
    assert_string_equal(line_of(&l, "mirror"), "mirror||2031-03-04||a copy, wire, is dated 2031-03-04|1");
    assert_string_equal(line_of(&l, "wire"), "wire|2031-03-04||||1");
}

/* An age that would put the article before a date it mentions is left out, and said so. */
static void test_store_conflict(void **state)
{
    tmp *t = *state;
    art a, c;
    art_init(&a, "dated", "2030-06-01", "Ana Vale, 34, sailed the ferry home.");
    add_vale(&a);
    add_time(&a, "DURATION", "P34Y", NULL, "Ana Vale");
    art_init(&c, "late", NULL, "Vale, 45, looked back on the great storm of 2050.");
    add_vale(&c);
    add_time(&c, "DURATION", "P45Y", NULL, "Vale");
    add_time(&c, "DATE", "2050", NULL, NULL);
    art *v[] = {&a, &c};
    listed l;
    qt_date_stats st;
    store_and_list(t->path, v, 2, &l, &st);
    const char *u = line_of(&l, "late");
    assert_string_equal(u, "late||2050||mentions 2050; left out: Vale 45 (born 1995-1996 per "
                           "dated)|0");
    assert_int_equal(st.n_conflicts, 1);
}

/* Ages chain through inferred ranges, and the result is the same whatever the order of
 * storing: three undated articles and one dated one, stored forwards and backwards. */
static void test_store_order_independent(void **state)
{
    tmp *t = *state;
    art a, b, c, d;
    art_init(&a, "d-first", "2030-06-01", "Ana Vale, 34, sailed the ferry home.");
    add_vale(&a);
    add_time(&a, "DURATION", "P34Y", NULL, "Ana Vale");
    art_init(&b, "b-text", NULL, "Vale, 40, recalled the winter of 2036 on the island.");
    add_vale(&b);
    add_time(&b, "DURATION", "P40Y", NULL, "Vale");
    add_time(&b, "DATE", "2036-12", NULL, NULL);
    art_init(&c, "c-age", NULL, "The skipper Vale, now 50, sold her boat.");
    add_vale(&c);
    add_time(&c, "DURATION", "P50Y", NULL, "Vale");
    art_init(&d, "a-none", NULL, "Nothing here says when the ferry ran.");
    art *fw[] = {&a, &b, &c, &d}, *bw[] = {&d, &c, &b, &a};
    listed l1, l2;
    char other[160];
    store_and_list(t->path, fw, 4, &l1, NULL);
    snprintf(other, sizeof other, "%s/e.db", t->dir);
    store_and_list(other, bw, 4, &l2, NULL);
    assert_int_equal(l1.n, l2.n);
    for (size_t i = 0; i < l1.n; i++)
        assert_string_equal(l1.line[i], l2.line[i]);
    /* Vale born 1995-1996: b 40 lies in 2035-2037, its own mention raising the start; c 50
     * in 2045-2047. Sorted: dated 2030, then 2036-12, then 2045, undated last. */
    assert_int_equal(strncmp(l1.line[0], "d-first|", 8), 0);
    assert_string_equal(l1.line[1], "b-text||2036-12|2037|mentions 2036-12; Vale 40 (born "
                                    "1995-1996 per d-first)|0");
    assert_string_equal(l1.line[2], "c-age||2045|2047|Vale 50 (born 1995-1996 per d-first)|0");
    assert_string_equal(l1.line[3], "a-none|||||0");
}

/* A record's times come back through qt_record_parse() (link stores them as ingest would). */
static void test_record_times_round_trip(void **state)
{
    (void)state;
    art a;
    art_init(&a, "rt", NULL, "Vale, 45, looked back on the great storm of 2050.");
    add_vale(&a);
    add_time(&a, "DURATION", "P45Y", NULL, "Vale");
    add_time(&a, "DATE", "2050", "AFTER", NULL);
    a.times[0].birth_from = "2004";
    a.times[0].birth_to = "2005";
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(qt_write_json(&a.a, QT_JSON_FINGERPRINTS, f), QT_OK);
    fclose(f);
    qt_record *r = qt_record_new();
    const qt_article *back = NULL;
    qt_err err = {0};
    assert_int_equal(qt_record_parse(r, buf, len, &back, &err), QT_OK);
    assert_int_equal(back->n_times, 2);
    assert_string_equal(back->times[0].value, "P45Y");
    assert_string_equal(back->times[0].age_of, "Vale");
    assert_string_equal(back->times[0].birth_to, "2005");
    assert_string_equal(back->times[1].mod, "AFTER");
    assert_int_equal(back->times[1].start, a.times[1].start);
    qt_record_free(r);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_values),
        cmocka_unit_test(test_own_text_latest_mention),
        cmocka_unit_test(test_ages),
        cmocka_unit_test_setup_teardown(test_store_bound_from_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_ages_across_articles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_follows_dated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_order_independent, setup, teardown),
        cmocka_unit_test(test_record_times_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
