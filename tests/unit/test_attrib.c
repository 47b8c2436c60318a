/*
 * test_attrib.c - attributions without quotation marks, and quotes that take their source from
 * one, through the public API.
 *
 * Each test analyses a short fictional text and names the attribution it expects by its words:
 * the source, cue and content are sliced from the text, so a test reads as the sentence it is
 * about. These are contract tests of the shapes indirect speech takes; how often the engine is
 * right on real news is eval/attribution's job.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const qt_article *analyze_titled(void **state, const char *title, const char *text)
{
    fx *f = *state;
    memset(&f->in, 0, sizeof f->in);
    f->in.source = "test.txt";
    f->in.title = title;
    f->in.text = text;
    f->in.text_len = strlen(text);
    memcpy(f->in.hash, "0123456789abcdef0123456789abcdef", sizeof f->in.hash);
    const qt_article *a = NULL;
    qt_err err = {0};
    if (qt_analyze(f->engine, f->doc, &f->in, &a, &err) != QT_OK)
        fail_msg("qt_analyze: %s", err.msg);
    return a;
}

static const qt_article *analyze(void **state, const char *text)
{
    return analyze_titled(state, "A fictional test article", text);
}

static int same(const qt_article *a, size_t s, size_t e, const char *want)
{
    return want && e - s == strlen(want) && memcmp(a->text + s, want, e - s) == 0;
}

static void dump(const qt_article *a)
{
    for (size_t i = 0; i < a->n_attributions; i++) {
        const qt_attribution *t = &a->attributions[i];
        print_error("  [%zu] source \"%.*s\" cue \"%.*s\" content \"%.*s\" speaker %s\n", i,
                    (int)(t->source_end - t->source_start), a->text + t->source_start,
                    (int)(t->cue_end - t->cue_start), a->text + t->cue_start,
                    (int)(t->content_end - t->content_start), a->text + t->content_start,
                    t->speaker ? t->speaker : "(none)");
    }
}

/* The attribution whose content is exactly `content`; fails (listing what there is) if none. */
static const qt_attribution *with_content(const qt_article *a, const char *content)
{
    for (size_t i = 0; i < a->n_attributions; i++)
        if (same(a, a->attributions[i].content_start, a->attributions[i].content_end, content))
            return &a->attributions[i];
    dump(a);
    fail_msg("no attribution with content \"%s\"", content);
    return NULL;
}

static void expect(const qt_article *a, const qt_attribution *t, const char *source,
                   const char *speaker, qt_speaker_kind kind)
{
    if (!same(a, t->source_start, t->source_end, source)) {
        dump(a);
        fail_msg("source: expected \"%s\"", source);
    }
    if (speaker && (!t->speaker || strcmp(t->speaker, speaker) != 0))
        fail_msg("speaker: expected \"%s\", got \"%s\"", speaker, t->speaker ? t->speaker : "-");
    assert_int_equal(t->speaker_kind, kind);
}

/* ---- who: speaker phrases longer than a name ------------------------------------------------- */

static void long_subject_phrases(void **state)
{
    const qt_article *a = analyze(state,
        "The Harbor Commission on Ferry Safety says the old pier will close in May.\n\n"
        "Experts on tides and coastal erosion said the sea wall could fail within a decade.\n");
    expect(a, with_content(a, "the old pier will close in May"),
           "The Harbor Commission on Ferry Safety", "Harbor Commission", QT_SPEAKER_ORGANISATION);
    const qt_attribution *t = with_content(a, "the sea wall could fail within a decade");
    assert_true(same(a, t->source_start, t->source_end,
                     "Experts on tides and coastal erosion"));
}

static void phrase_after_content(void **state)
{
    const qt_article *a = analyze(state,
        "The ferry will stop running in winter, lawyers for the family said.\n");
    expect(a, with_content(a, "The ferry will stop running in winter"),
           "lawyers for the family", "lawyers for the family", QT_SPEAKER_ANONYMOUS);
}

static void name_with_party_and_state(void **state)
{
    const qt_article *a = analyze(state,
        "Rep. Ada Vale (R-S.C.) said the harbor bill would pass on Tuesday.\n");
    const qt_attribution *t = with_content(a, "the harbor bill would pass on Tuesday");
    assert_non_null(t->speaker);
    assert_string_equal(t->speaker, "Ada Vale");
}

static void relative_pronoun_stands_for_the_name(void **state)
{
    const qt_article *a = analyze(state,
        "The vote was close, said Tom Reed, who warned that the pier would not survive another "
        "storm.\n");
    expect(a, with_content(a, "that the pier would not survive another storm"), "who",
           "Tom Reed", QT_SPEAKER_PERSON);
}

static void it_stands_for_the_organisation(void **state)
{
    const qt_article *a = analyze(state,
        "The Harbor Union endorsed Ada Vale on Monday. It said the pier would stay open all "
        "year.\n");
    expect(a, with_content(a, "the pier would stay open all year"), "It", "Harbor Union",
           QT_SPEAKER_ORGANISATION);
}

/* ---- what: where a content starts and stops -------------------------------------------------- */

static void second_predicate_shares_the_speaker(void **state)
{
    const qt_article *a = analyze(state,
        "Ada Vale denied the report and said the pier would stay open all year.\n");
    const qt_attribution *t = with_content(a, "the pier would stay open all year");
    assert_non_null(t->speaker);
    assert_string_equal(t->speaker, "Ada Vale");
    assert_true(same(a, t->cue_start, t->cue_end, "said"));
}

static void speech_verb_skips_its_adjuncts(void **state)
{
    const qt_article *a = analyze(state,
        "Ada Vale said on Friday that the ferry would be sold.\n\n"
        "\"We are done,\" the mayor said. Ada Vale said at a briefing on Monday.\n");
    with_content(a, "that the ferry would be sold");
    for (size_t i = 0; i < a->n_attributions; i++)
        if (same(a, a->attributions[i].content_start, a->attributions[i].content_end,
                 "at a briefing on Monday"))
            fail_msg("an adjunct was taken for a content");
}

static void passive_cue_names_no_speaker(void **state)
{
    const qt_article *a = analyze(state,
        "The harbor report was released by the council on a quiet Friday afternoon.\n");
    assert_int_equal(a->n_attributions, 0);
}

static void block_quote_after_a_colon(void **state)
{
    const qt_article *a = analyze(state,
        "Ada Vale spoke for an hour. Vale added:\n\n"
        "The pier has served this town for a century, and it will serve it for another.\n");
    const qt_attribution *t =
        with_content(a, "The pier has served this town for a century, and it will serve it for "
                        "another");
    assert_non_null(t->speaker);
    assert_string_equal(t->speaker, "Ada Vale");
}

static void according_to_a_plain_noun_phrase(void **state)
{
    const qt_article *a = analyze(state,
        "According to federal port data, 70 ferries sailed from the harbor last year.\n");
    const qt_attribution *t = with_content(a, "70 ferries sailed from the harbor last year");
    assert_int_equal(t->kind, QT_ATTR_ACCORDING_TO);
    assert_true(same(a, t->source_start, t->source_end, "federal port data"));
}

static void headline_in_title_case(void **state)
{
    const qt_article *a = analyze_titled(state, NULL,
        "Vale Says Harbor Will Close Next Year\n\n"
        "Ada Vale has run the harbor since 2009.\n\n"
        "Pier Is Safe, Former Mayor Says\n");
    const qt_attribution *t = with_content(a, "Harbor Will Close Next Year");
    assert_non_null(t->speaker);
    assert_string_equal(t->speaker, "Ada Vale");
    /* only the headline (the first paragraph or two) is read this way */
    for (size_t i = 0; i < a->n_attributions; i++)
        if (same(a, a->attributions[i].content_start, a->attributions[i].content_end,
                 "Pier Is Safe"))
            fail_msg("a title-case line deep in the body was read as a headline");
}

/* ---- quotes inside an attribution ------------------------------------------------------------ */

static void quote_inside_attribution_takes_its_source(void **state)
{
    const qt_article *a = analyze(state,
        "Tom Reed runs the ferry.\n\n"
        "According to Ada Vale, the plan is a \"folly\" and a waste of money.\n");
    const qt_quote *q = NULL;
    for (size_t i = 0; i < a->n_quotes; i++)
        if (same(a, a->quotes[i].start, a->quotes[i].end, "folly"))
            q = &a->quotes[i];
    assert_non_null(q);
    assert_non_null(q->speaker);
    assert_string_equal(q->speaker, "Ada Vale");
    assert_string_equal(q->rule, "inside an attribution");
}

/* ---- people ---------------------------------------------------------------------------------- */

static void surname_before_full_name_is_one_person(void **state)
{
    const qt_article *a = analyze(state,
        "Vale speaks out on the pier.\n\n"
        "Ada Vale has run the harbor café since 2009. \"We stay,\" Ada Vale said.\n");
    size_t named = 0;
    for (size_t i = 0; i < a->n_people; i++)
        named += strstr(a->people[i].name, "Vale") != NULL;
    assert_int_equal(named, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_subject_phrases),
        cmocka_unit_test(phrase_after_content),
        cmocka_unit_test(name_with_party_and_state),
        cmocka_unit_test(relative_pronoun_stands_for_the_name),
        cmocka_unit_test(it_stands_for_the_organisation),
        cmocka_unit_test(second_predicate_shares_the_speaker),
        cmocka_unit_test(speech_verb_skips_its_adjuncts),
        cmocka_unit_test(passive_cue_names_no_speaker),
        cmocka_unit_test(block_quote_after_a_colon),
        cmocka_unit_test(according_to_a_plain_noun_phrase),
        cmocka_unit_test(headline_in_title_case),
        cmocka_unit_test(quote_inside_attribution_takes_its_source),
        cmocka_unit_test(surname_before_full_name_is_one_person),
    };
    return cmocka_run_group_tests_name("attributions", tests, group_setup, group_teardown);
}
