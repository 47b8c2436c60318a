/*
 * test_names.c - an article's entity keys (qt_article.names): which names qt_analyze() keys,
 * how they are folded, deduplicated, ranked and capped, and that a record carries them to
 * `link` and back (with "names" absent read as none).
 *
 * Keys are compared with qt_name_key() of the name as a test writes it, so a test reads as the
 * names it expects. The articles are fictional.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/qt_link.h"
#include "quotetrail.h"

typedef struct fx {
    qt_engine *engine;
    qt_doc *doc;
    qt_input in;
} fx;

static int group_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    qt_err err = {0};
    if (!f || qt_engine_new(&f->engine, &err) != QT_OK || !(f->doc = qt_doc_new())) {
        fprintf(stderr, "setup failed: %s\n", err.msg);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    fx *f = *state;
    qt_doc_free(f->doc);
    qt_engine_free(f->engine);
    free(f);
    return 0;
}

/* Analyse text; title NULL makes its first line the headline paragraph. */
static const qt_article *analyze(void **state, const char *title, const char *text)
{
    fx *f = *state;
    memset(&f->in, 0, sizeof f->in);
    f->in.source = "names.txt";
    f->in.title = title;
    f->in.text = text;
    f->in.text_len = strlen(text);
    memcpy(f->in.hash, "00112233445566778899aabbccddeeff", 33);
    const qt_article *a = NULL;
    qt_err err = {0};
    if (qt_analyze(f->engine, f->doc, &f->in, &a, &err) != QT_OK)
        fail_msg("qt_analyze: %s", err.msg);
    return a;
}

static uint32_t key(const char *name) { return qt_name_key(name, strlen(name), NULL); }

/* Where the key of name is in a's names, or -1. */
static int rank_of(const qt_article *a, const char *name)
{
    uint32_t k = key(name);
    for (size_t i = 0; i < a->n_names; i++)
        if (a->names[i] == k)
            return (int)i;
    return -1;
}

static void assert_unique(const qt_article *a)
{
    for (size_t i = 0; i < a->n_names; i++)
        for (size_t j = i + 1; j < a->n_names; j++)
            assert_true(a->names[i] != a->names[j]);
}

static const char harbour[] =
    "Ada Vale told the Kessel Harbour Board on Monday that the pier would close. Vale said "
    "repairs would take a year.\n\n"
    "\xE2\x80\x9CWe cannot let boats tie up at a pier that may fall into the sea,\xE2\x80\x9D "
    "Vale said. Tomas Brekke, who fishes from the pier, said he had not been asked.\n\n"
    "Orrin, the next village, has offered its slipway. Ada Vale's office will decide in June, "
    "and Marta Vald\xC3\xA9s of the Kessel Harbour Board will report to Vale.\n";

static void two_word_names_keyed_one_word_not(void **state)
{
    const qt_article *a = analyze(state, "Pier to close", harbour);
    /* people, organisations and places alike; quoted or not */
    assert_true(rank_of(a, "Ada Vale") >= 0);
    assert_true(rank_of(a, "Tomas Brekke") >= 0);
    assert_true(rank_of(a, "Kessel Harbour Board") >= 0);
    assert_true(rank_of(a, "Marta Valdés") >= 0);
    /* one-word mentions are no keys of their own */
    assert_int_equal(rank_of(a, "Orrin"), -1);
    assert_int_equal(rank_of(a, "Vale"), -1);
    assert_int_equal(rank_of(a, "Monday"), -1);
    assert_int_equal(a->n_names, 4);
    assert_unique(a);
    /* people[] still holds the quoted people only */
    assert_int_equal(a->n_people, 1);
    assert_string_equal(a->people[0].name, "Ada Vale");
}

static void keys_fold_accents_case_and_spacing(void **state)
{
    (void)state;
    unsigned words = 0;
    uint32_t k = qt_name_key("Marta Valdés", strlen("Marta Valdés"), &words);
    assert_int_equal(words, 2);
    assert_true(k == key("marta valdes"));
    assert_true(k == key("MARTA VALDÉS"));
    assert_true(k == key("  Marta \n\tValdes "));
    assert_true(k == key("Marta\xC2\xA0Valdes"));   /* a no-break space */
    assert_true(k != key("Marta Valde"));
    qt_name_key("Orrin", 5, &words);
    assert_int_equal(words, 1);
}

static void most_mentioned_first_ties_by_key(void **state)
{
    const qt_article *a = analyze(state, "Pier to close", harbour);
    /* Ada Vale: her full name twice and "Vale" four times; the board twice; the others once */
    assert_int_equal(rank_of(a, "Ada Vale"), 0);
    assert_int_equal(rank_of(a, "Kessel Harbour Board"), 1);
    int b = rank_of(a, "Tomas Brekke"), m = rank_of(a, "Marta Valdes");
    assert_true(b >= 2 && m >= 2);
    assert_true((b < m) == (key("Tomas Brekke") < key("Marta Valdes")));
}

static void names_deduplicated_across_forms(void **state)
{
    const qt_article *a = analyze(state, "Vale again",
        "Ada Vale spoke first. Later ADA VALE spoke again, and Ada Vale's deputy, Ada Vale, "
        "spoke last. Ada  Vale left at noon with Tomas Brekke.\n");
    assert_int_equal(rank_of(a, "Ada Vale"), 0);
    assert_true(rank_of(a, "Tomas Brekke") >= 0);
    assert_unique(a);
}

static void at_most_the_cap_most_mentioned_kept(void **state)
{
    static const char *const first[] = {"Ada", "Bo", "Cai", "Dag", "Eli", "Fen", "Gus", "Hal"};
    static const char *const last[] = {"Arnesen", "Borg", "Castell", "Dunmore", "Ekwall",
                                       "Falk"};
    char *text = malloc(8192);
    assert_non_null(text);
    size_t n = 0;
    /* 48 people named once each, then Hal Falk and Gus Ekwall twice more */
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 6; j++)
            n += (size_t)snprintf(text + n, 8192 - n, "%s %s arrived. ", first[i], last[j]);
    snprintf(text + n, 8192 - n, "\n\nLater Hal Falk left, and Gus Ekwall left. Hal Falk and "
             "Gus Ekwall came back.\n");
    const qt_article *a = analyze(state, "A crowded hall", text);
    assert_int_equal(a->n_names, QT_NAME_KEYS_MAX);
    assert_unique(a);
    assert_true(rank_of(a, "Hal Falk") == 0 || rank_of(a, "Hal Falk") == 1);
    assert_true(rank_of(a, "Gus Ekwall") == 0 || rank_of(a, "Gus Ekwall") == 1);
    /* the rest met once each: the 30 least keys of the 46 are kept, in key order */
    for (size_t i = 3; i < a->n_names; i++)
        assert_true(a->names[i - 1] < a->names[i]);
    free(text);
}

static void title_case_headline_names_not_keyed(void **state)
{
    const qt_article *a = analyze(state, NULL,
        "Marek Soltan Joins The Kessel Harbour Board\n\n"
        "A new member joined the harbour board on Tuesday, said Ada Vale, who chairs it.\n");
    assert_int_equal(rank_of(a, "Marek Soltan"), -1);
    assert_true(rank_of(a, "Ada Vale") >= 0);
}

static void no_names_without_fingerprints(void **state)
{
    fx *f = *state;
    qt_doc_set_fingerprints(f->doc, 0);
    const qt_article *a = analyze(state, "Pier to close", harbour);
    qt_doc_set_fingerprints(f->doc, 1);
    assert_int_equal(a->n_names, 0);
    assert_int_equal(a->n_minhash, 0);
}

/* Write a as a fingerprinted record into a malloc'd string. */
static char *record_of(const qt_article *a)
{
    FILE *t = tmpfile();
    assert_non_null(t);
    assert_int_equal(qt_write_json(a, QT_JSON_FINGERPRINTS, t), QT_OK);
    long len = ftell(t);
    assert_true(len > 0);
    char *s = malloc((size_t)len + 1);
    assert_non_null(s);
    rewind(t);
    assert_int_equal(fread(s, 1, (size_t)len, t), (size_t)len);
    s[len] = '\0';
    fclose(t);
    return s;
}

static void record_carries_names_and_may_lack_them(void **state)
{
    const qt_article *a = analyze(state, "Pier to close", harbour);
    size_t n = a->n_names;
    uint32_t want[QT_NAME_KEYS_MAX];
    memcpy(want, a->names, n * sizeof *want);
    char *rec = record_of(a);
    assert_non_null(strstr(rec, "\"names\":\""));
    qt_record *r = qt_record_new();
    assert_non_null(r);
    const qt_article *b = NULL;
    qt_err err = {0};
    assert_int_equal(qt_record_parse(r, rec, strlen(rec), &b, &err), QT_OK);
    assert_int_equal(b->n_names, n);
    assert_memory_equal(b->names, want, n * sizeof *want);

    /* a record made before entity keys: accepted, with none */
    char *p = strstr(rec, ",\"names\":\"");
    char *e = strchr(p + 10, '"');
    memmove(p, e + 1, strlen(e + 1) + 1);
    assert_null(strstr(rec, "\"names\""));
    assert_int_equal(qt_record_parse(r, rec, strlen(rec), &b, &err), QT_OK);
    assert_int_equal(b->n_names, 0);

    /* a malformed one is refused */
    const char *bad = "\"shingles\":";
    p = strstr(rec, bad);
    assert_non_null(p);
    size_t at = (size_t)(p - rec);
    char *worse = malloc(strlen(rec) + 32);
    assert_non_null(worse);
    memcpy(worse, rec, at);
    strcpy(worse + at, "\"names\":\"12345\",");
    strcat(worse, rec + at);
    assert_int_equal(qt_record_parse(r, worse, strlen(worse), &b, &err), QT_EFORMAT);
    assert_non_null(strstr(err.msg, "names"));
    free(worse);
    free(rec);
    qt_record_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_word_names_keyed_one_word_not),
        cmocka_unit_test(keys_fold_accents_case_and_spacing),
        cmocka_unit_test(most_mentioned_first_ties_by_key),
        cmocka_unit_test(names_deduplicated_across_forms),
        cmocka_unit_test(at_most_the_cap_most_mentioned_kept),
        cmocka_unit_test(title_case_headline_names_not_keyed),
        cmocka_unit_test(no_names_without_fingerprints),
        cmocka_unit_test(record_carries_names_and_may_lack_them),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
