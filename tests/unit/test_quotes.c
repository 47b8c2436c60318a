/*
 * test_quotes.c - the quotation finder and first-version attribution, through the public API.
 *
 * Each test hands qt_analyze() a short fictional text and states which words each quote holds,
 * its kind and its parent; offsets are checked by slicing the text, so a test reads as the quote
 * it expects rather than as numbers. Every analysed article is also checked against the qt_quote
 * invariants of quotetrail.h (bounds, text order, parents enclosing their children, stable ids).
 *
 * These are contract tests on hand-made inputs. How well the finder does on real news is
 * eval/quotes's job, not theirs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quotetrail.h"

/* ---- fixture ---------------------------------------------------------------------------------- */

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

#define HASH "0123456789abcdef0123456789abcdef"

/* The qt_quote invariants (1)-(4) of quotetrail.h, plus the id format. */
static void check_invariants(const qt_article *a)
{
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        size_t len = q->in_title ? strlen(a->title) : a->text_len;
        assert_true(q->start < q->end);                                     /* (1) */
        assert_true(q->end <= len);
        assert_int_equal(strncmp(q->id, "q-0123456789abcdef-", 19), 0);
        if (q->parent >= 0) {                                               /* (3) */
            assert_true(q->parent < (int)i);
            const qt_quote *p = &a->quotes[q->parent];
            assert_int_equal(q->kind, QT_QUOTE_NESTED);
            assert_int_equal(p->in_title, q->in_title);
            assert_true(p->start <= q->start && q->end <= p->end);
        } else {
            assert_true(q->kind != QT_QUOTE_NESTED);
        }
        if (i > 0) {                                                        /* (4) */
            const qt_quote *o = &a->quotes[i - 1];
            assert_true(o->in_title >= q->in_title);
            if (o->in_title == q->in_title)
                assert_true(o->start <= q->start);
        }
    }
}

/* Analyse `text` (with `title`, which may be NULL) and check the invariants. */
static const qt_article *analyze_titled(void **state, const char *title, const char *text)
{
    fx *f = *state;
    memset(&f->in, 0, sizeof f->in);
    f->in.source = "test.txt";
    f->in.id = NULL;
    f->in.title = title;
    f->in.text = text;
    f->in.text_len = strlen(text);
    memcpy(f->in.hash, HASH, sizeof f->in.hash);
    const qt_article *a = NULL;
    qt_err err = {0};
    qt_status rc = qt_analyze(f->engine, f->doc, &f->in, &a, &err);
    if (rc != QT_OK)
        fail_msg("qt_analyze: %s", err.msg);
    assert_non_null(a);
    assert_ptr_equal(a->text, text);
    check_invariants(a);
    return a;
}

/* The tests give a separate title so that every line of `text` is body text. */
static const qt_article *analyze(void **state, const char *text)
{
    return analyze_titled(state, "A fictional test article", text);
}

#define ANY_KIND (-1)
typedef struct want {
    const char *text;    /* exact bytes of text[start:end] */
    int kind;            /* qt_quote_kind, or ANY_KIND */
    int parent;          /* index into quotes[], or -1 */
} want;

static void dump(const qt_article *a)
{
    print_error("  %zu quote(s) found:\n", a->n_quotes);
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        const char *base = q->in_title ? a->title : a->text;
        static const char *const kinds[] = {"direct", "partial", "nested"};
        print_error("  [%zu] %s parent=%d [%zu,%zu) \"%.*s\"\n", i, kinds[q->kind], q->parent,
                    q->start, q->end, (int)(q->end - q->start), base + q->start);
    }
}

/* Do the body quotes of `a` match `w` exactly, in order? Prints what differs when not. */
static bool quotes_match(const qt_article *a, const want *w, size_t n)
{
    bool ok = a->n_quotes == n;
    for (size_t i = 0; ok && i < n; i++) {
        const qt_quote *q = &a->quotes[i];
        size_t len = q->end - q->start;
        ok = !q->in_title && len == strlen(w[i].text) &&
             memcmp(a->text + q->start, w[i].text, len) == 0 &&
             (w[i].kind == ANY_KIND || (int)q->kind == w[i].kind) && q->parent == w[i].parent;
    }
    if (!ok) {
        print_error("  expected %zu quote(s):\n", n);
        for (size_t i = 0; i < n; i++)
            print_error("  [%zu] kind=%d parent=%d \"%s\"\n", i, w[i].kind, w[i].parent, w[i].text);
        dump(a);
    }
    return ok;
}

#define WANT(...) (const want[]){__VA_ARGS__}
#define N_WANT(...) (sizeof(WANT(__VA_ARGS__)) / sizeof(want))
/* Fail at the caller's line (cmocka's fail() is _fail(__FILE__, __LINE__)). */
static void expect_quotes(const qt_article *a, const want *w, size_t n, const char *file, int line)
{
    if (!quotes_match(a, w, n))
        _fail(file, line);
}
#define EXPECT_QUOTES(a, ...) \
    expect_quotes((a), WANT(__VA_ARGS__), N_WANT(__VA_ARGS__), __FILE__, __LINE__)
#define EXPECT_NO_QUOTES(a) expect_quotes((a), NULL, 0, __FILE__, __LINE__)

#define D QT_QUOTE_DIRECT
#define P QT_QUOTE_PARTIAL
#define N QT_QUOTE_NESTED

/* The quote whose text is exactly s, or fail. */
static const qt_quote *quote_with_text(const qt_article *a, const char *s)
{
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        if (!q->in_title && q->end - q->start == strlen(s) &&
            memcmp(a->text + q->start, s, strlen(s)) == 0)
            return q;
    }
    print_error("  no quote \"%s\"\n", s);
    dump(a);
    fail();
    return NULL;
}

/* ---- quotation marks -------------------------------------------------------------------------- */

static void curly_double_quotes(void **state)
{
    const qt_article *a = analyze(state,
        "The ferry to Gull Island will run again next week.\n\n"
        "“We fixed the engine ourselves,” said Tomas Ferrer, who owns the boat.\n");
    EXPECT_QUOTES(a, {"We fixed the engine ourselves,", D, -1});
}

static void straight_double_quotes(void **state)
{
    const qt_article *a = analyze(state,
        "Tomas Ferrer did not wait for the vote. \"The harbour needs a new crane,\" he said. "
        "\"Nobody listens.\"\n");
    EXPECT_QUOTES(a, {"The harbour needs a new crane,", D, -1}, {"Nobody listens.", D, -1});
}

static void french_guillemets(void **state)
{
    /* French sets the marks off with spaces; they are not part of the quote. */
    const qt_article *a = analyze(state,
        "Lise Arnaud a répondu : « Nous reviendrons au printemps », puis elle est partie.\n");
    EXPECT_QUOTES(a, {"Nous reviendrons au printemps", D, -1});
}

static void guillemets_unspaced(void **state)
{
    const qt_article *a = analyze(state,
        "The coach was brief: «We play to win.» Then he left the room.\n");
    EXPECT_QUOTES(a, {"We play to win.", D, -1});
}

static void german_low_high_quotes(void **state)
{
    const qt_article *a = analyze(state,
        "Die Bürgermeisterin sagte: „Die Brücke bleibt offen.“ Danach ging sie.\n");
    EXPECT_QUOTES(a, {"Die Brücke bleibt offen.", D, -1});
}

static void single_guillemets(void **state)
{
    const qt_article *a = analyze(state,
        "Der Trainer sagte: ‹Wir spielen auf Sieg.› Mehr sagte er nicht.\n");
    EXPECT_QUOTES(a, {"Wir spielen auf Sieg.", D, -1});
}

static void corner_brackets(void **state)
{
    const qt_article *a = analyze(state, "田中さんは「明日また来ます」と言った。\n");
    EXPECT_QUOTES(a, {"明日また来ます", ANY_KIND, -1});
    a = analyze(state, "The card on the door read: 「Back at noon.」 It was signed by Ferrer.\n");
    EXPECT_QUOTES(a, {"Back at noon.", D, -1});
}

/* ---- nesting and paragraphs ------------------------------------------------------------------- */

static void nested_single_in_double(void **state)
{
    const qt_article *a = analyze(state,
        "“My mother always said, ‘Never sell the boat,’ and I never did,” Ferrer said.\n");
    EXPECT_QUOTES(a,
        {"My mother always said, ‘Never sell the boat,’ and I never did,", D, -1},
        {"Never sell the boat,", N, 0});

    a = analyze(state,
        "The inquiry heard from the night guard.\n\n"
        "\"I lock the gate at ten,\" he said. \"My boss told me, 'Keep the lights on,' "
        "and then he left.\"\n");
    EXPECT_QUOTES(a,
        {"I lock the gate at ten,", D, -1},
        {"My boss told me, 'Keep the lights on,' and then he left.", D, -1},
        {"Keep the lights on,", N, 1});
}

static void multi_paragraph_quote(void **state)
{
    /* The first paragraph opens a quote and never closes it; the next opens with a mark again. */
    const qt_article *a = analyze(state,
        "Ferrer remembers the night of the storm.\n\n"
        "“The wind came first. We tied everything down and waited.\n\n"
        "“By morning the pier was gone. We started again from nothing.”\n\n"
        "The town rebuilt the pier within a year.\n");
    EXPECT_QUOTES(a,
        {"The wind came first. We tied everything down and waited.\n\n"
         "“By morning the pier was gone. We started again from nothing.", D, -1});

    a = analyze(state,
        "Moreau wrote a long letter to the council.\n\n"
        "\"We have run this cafe for eleven years.\n\n"
        "\"We ask only for a fair rent,\" the letter ends.\n");
    EXPECT_QUOTES(a,
        {"We have run this cafe for eleven years.\n\n\"We ask only for a fair rent,", D, -1});
}

static void partial_quotes(void **state)
{
    const qt_article *a = analyze(state,
        "The mayor called the plan \"a bridge to nowhere\" and left the meeting early.\n");
    EXPECT_QUOTES(a, {"a bridge to nowhere", P, -1});

    a = analyze(state,
        "Critics found the budget “reckless” and the timing “worse than careless” this week.\n");
    EXPECT_QUOTES(a, {"reckless", P, -1}, {"worse than careless", P, -1});
}

/* ---- apostrophes ------------------------------------------------------------------------------ */

/* British style and headlines: single marks quote where a paragraph has no double marks, and
 * apostrophes in the same paragraph stay apostrophes. */
static void expect_speaker(const qt_quote *q, const char *name);

static void single_marks_as_quotation_marks(void **state)
{
    const qt_article *a = analyze(state,
        "Moreau says the Vales' plan is 'a folly' and that 'nobody asked the harbour'.\n\n"
        "\u2018We will not move,\u2019 said the mayor, who doesn\u2019t drive.\n");
    EXPECT_QUOTES(a, {"a folly", P, -1}, {"nobody asked the harbour", P, -1},
                  {"We will not move,", D, -1});
}

/* Two apostrophes are one double mark: how the New York Times archive writes quotations. */
static void doubled_apostrophes_are_double_marks(void **state)
{
    const qt_article *a = analyze(state,
        "''It is a folly,'' Ren\u00e9e Moreau said. ''Nobody asked the harbour.''\n");
    EXPECT_QUOTES(a, {"It is a folly,", D, -1}, {"Nobody asked the harbour.", D, -1});
    expect_speaker(&a->quotes[0], "Ren\u00e9e Moreau");
    expect_speaker(&a->quotes[1], "Ren\u00e9e Moreau");
}

/* Surnames that end like participles or adverbs ("Manning", "Reed", "Kelly") are names even
 * at the start of a sentence; "Following the vote" is not one. */
static void participle_like_names_stay_names(void **state)
{
    const qt_article *a = analyze(state,
        "Following the vote, Ada Reed spoke first.\n\n"
        "Reed told the Harbor Gazette: \"It is over.\"\n\n"
        "\"We lost,\" Kelly said.\n");
    EXPECT_QUOTES(a, {"It is over.", D, -1}, {"We lost,", D, -1});
    expect_speaker(&a->quotes[0], "Ada Reed");
    expect_speaker(&a->quotes[1], "Kelly");
}

/* With no cue word, a partial quote belongs to its sentence's subject: the person, not a
 * name that only modifies another ("Larch journalist Tom Reed"). */
static void partial_quote_takes_sentence_subject(void **state)
{
    const qt_article *a = analyze(state,
        "Ada Vale exhorted voters to \"stay home\" on Friday.\n\n"
        "It has led the Larch journalist Tom Reed to fear a \"quiet collapse.\"\n\n"
        "Tom Reed branded the plan a \"folly\" in his column.\n");
    EXPECT_QUOTES(a, {"stay home", P, -1}, {"quiet collapse.", P, -1}, {"folly", P, -1});
    expect_speaker(&a->quotes[0], "Ada Vale");
    expect_speaker(&a->quotes[2], "Tom Reed");
}

/* One outlet, several spellings: a short form the article writes out in full elsewhere takes
 * the full name, and venue_key ignores case, "the" and trailing medium words. */
static void venues_named_differently_are_one(void **state)
{
    const qt_article *a = analyze(state,
        "Ann Vale poured her heart out to Harbor Weekly this month.\n\n"
        "\"We are fine,\" Vale told Harbor. \"Really fine.\"\n\n"
        "Later she went on the Morning Dock Show. \"I mean it,\" Vale said on the MORNING DOCK "
        "show.\n");
    EXPECT_QUOTES(a, {"We are fine,", D, -1}, {"Really fine.", D, -1}, {"I mean it,", D, -1});
    assert_non_null(a->quotes[0].venue);
    assert_string_equal(a->quotes[0].venue, "Harbor Weekly");
    assert_string_equal(a->quotes[0].venue_key, "harbor weekly");
    assert_non_null(a->quotes[2].venue_key);
    assert_string_equal(a->quotes[2].venue_key, "morning dock");
}

/* Frames that reach the very start or end of the text (found by review: an apposition walk
 * read before the token array; a cue ending a text without a full stop lost its content). */
static void frames_at_the_edges_of_the_text(void **state)
{
    const qt_article *a = analyze(state, ", a friend, a chef, said \"We won the game today.\"");
    EXPECT_QUOTES(a, {"We won the game today.", D, -1});
    a = analyze(state, "Headline\n\nThe harbour will close next week, Ada Vale said");
    assert_int_equal(a->n_attributions, 1);
    assert_string_equal(a->attributions[0].speaker, "Ada Vale");
}

static void apostrophes_outside_quotes(void **state)
{
    const qt_article *a = analyze(state,
        "Renée's café doesn't close before two. In the '90s it played rock 'n' roll all night, "
        "and the Moreaus' house next door didn't mind.\n\n"
        "Renée’s sister doesn’t agree. In the ’90s she hated rock ’n’ roll, and the Moreaus’ "
        "neighbours still do.\n");
    EXPECT_NO_QUOTES(a);
}

static void apostrophes_inside_quotes(void **state)
{
    const qt_article *a = analyze(state,
        "\"Renée's café doesn't close before two,\" Moreau said. \"In the '90s we played rock "
        "'n' roll until dawn, and the Moreaus' house next door never complained.\"\n");
    EXPECT_QUOTES(a,
        {"Renée's café doesn't close before two,", D, -1},
        {"In the '90s we played rock 'n' roll until dawn, and the Moreaus' house next door "
         "never complained.", D, -1});

    a = analyze(state,
        "“Renée’s café doesn’t close before two,” Moreau said. “In the ’90s we played rock "
        "’n’ roll until dawn, and the Moreaus’ house next door never complained.”\n");
    EXPECT_QUOTES(a,
        {"Renée’s café doesn’t close before two,", D, -1},
        {"In the ’90s we played rock ’n’ roll until dawn, and the Moreaus’ house next door "
         "never complained.", D, -1});
}

/* ---- scraped text ----------------------------------------------------------------------------- */

static void mismatched_pairs(void **state)
{
    /* “…" and ‘…' as scraped text has them: a curly opener closed by a straight mark. */
    const qt_article *a = analyze(state,
        "“He said ‘we are done here' and walked out,\" Moreau recalled.\n");
    EXPECT_QUOTES(a,
        {"He said ‘we are done here' and walked out,", D, -1},
        {"we are done here", N, 0});
}

static void unbalanced_mark_is_contained(void **state)
{
    /* An opening mark that never closes, where no direct quote starts: the later paragraphs'
     * quotes are still found exactly. */
    const qt_article *a = analyze(state,
        "Moreau said the “plan was late and over budget.\n\n"
        "Ferrer disagreed. “We will finish the roof by June,” he said.\n\n"
        "Later the council called it “a fair deal” in a statement.\n");
    EXPECT_QUOTES(a, {"We will finish the roof by June,", D, -1}, {"a fair deal", P, -1});

    /* One that stands where a direct quote starts may run to its paragraph's end, no further. */
    const char *text =
        "Ferrer said: \"We will finish the roof by June.\n\n"
        "The council met on Tuesday. It called the plan \"a fair deal\" in a statement.\n\n"
        "\"It is done,\" Moreau said.\n";
    a = analyze(state, text);
    assert_true(a->n_quotes >= 2);
    size_t para_end = (size_t)(strstr(text, "\n\n") - text);
    for (size_t i = 0; i < a->n_quotes; i++)
        assert_true(a->quotes[i].start > para_end || a->quotes[i].end <= para_end);
    const qt_quote *q = quote_with_text(a, "a fair deal");
    assert_int_equal(q->kind, QT_QUOTE_PARTIAL);
    q = quote_with_text(a, "It is done,");
    assert_int_equal(q->kind, QT_QUOTE_DIRECT);
    assert_ptr_equal(q, &a->quotes[a->n_quotes - 1]);
}

static void editorial_brackets_kept(void **state)
{
    const qt_article *a = analyze(state,
        "“I told [him] to wait for the tide,” Moreau said of her brother.\n");
    EXPECT_QUOTES(a, {"I told [him] to wait for the tide,", D, -1});
}

static void typos_never_fixed(void **state)
{
    /* Misspellings, doubled spaces and a decomposed é (e + U+0301) come back byte for byte. */
    const qt_article *a = analyze(state,
        "“We was never told about teh  closure of the cafe\xCC\x81,” said Ferrer.\n");
    EXPECT_QUOTES(a, {"We was never told about teh  closure of the cafe\xCC\x81,", D, -1});
}

static void quotes_in_text_order(void **state)
{
    const qt_article *a = analyze(state,
        "“First,” said Ferrer. Moreau called it “second” and “third, in a way” before lunch.\n\n"
        "“Fourth, with ‘fifth’ inside,” she added.\n");
    EXPECT_QUOTES(a,
        {"First,", D, -1},
        {"second", P, -1},
        {"third, in a way", P, -1},
        {"Fourth, with ‘fifth’ inside,", D, -1},
        {"fifth", N, 3});
}

static void byte_offsets_after_multibyte_text(void **state)
{
    const char *text = "Ünal Şahin, the café’s owner — 東京 born — said: “Open at nine.”\n";
    const qt_article *a = analyze(state, text);
    EXPECT_QUOTES(a, {"Open at nine.", D, -1});
    size_t start = (size_t)(strstr(text, "Open") - text);
    assert_int_equal(a->quotes[0].start, start);
    assert_int_equal(a->quotes[0].end, start + strlen("Open at nine."));
}

static void title_quotes_come_first(void **state)
{
    const char *title = "Moreau: “We stay open”";
    const qt_article *a = analyze_titled(state, title,
        "“We stay open,” Renée Moreau said on Friday.\n");
    assert_int_equal(a->n_quotes, 2);
    assert_true(a->quotes[0].in_title);
    assert_int_equal(a->quotes[0].start, (size_t)(strstr(title, "We") - title));
    assert_int_equal(a->quotes[0].end, strlen(title) - strlen("”"));
    assert_false(a->quotes[1].in_title);
    assert_int_equal(a->quotes[1].end - a->quotes[1].start, strlen("We stay open,"));
}

static void same_input_same_record(void **state)
{
    const char *text = "“The tide is late,” Ferrer said. Moreau called it “odd”.\n";
    const qt_article *a = analyze(state, text);
    assert_int_equal(a->n_quotes, 2);
    qt_quote first[2];
    memcpy(first, a->quotes, sizeof first);
    a = analyze(state, text);
    assert_int_equal(a->n_quotes, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(a->quotes[i].id, first[i].id);
        assert_int_equal(a->quotes[i].start, first[i].start);
        assert_int_equal(a->quotes[i].end, first[i].end);
    }
    char id[48];
    snprintf(id, sizeof id, "q-%.16s-%zu", HASH, a->quotes[0].start);
    assert_string_equal(a->quotes[0].id, id);
}

static void no_quotes_no_records(void **state)
{
    const qt_article *a = analyze(state, "The harbour was quiet on Sunday. Nobody spoke.\n");
    EXPECT_NO_QUOTES(a);
    a = analyze(state, "");
    EXPECT_NO_QUOTES(a);
    assert_int_equal(a->n_people, 0);
}

/* ---- attribution ------------------------------------------------------------------------------ */

static void expect_speaker(const qt_quote *q, const char *name)
{
    if (!q->speaker || strcmp(q->speaker, name) != 0)
        fail_msg("speaker: expected \"%s\", got \"%s\" (mention \"%s\")", name,
                 q->speaker ? q->speaker : "(null)",
                 q->speaker_mention ? q->speaker_mention : "(null)");
}

static void speaker_after_quote(void **state)
{
    const qt_article *a = analyze(state, "“The lighthouse stays open,” Renée Moreau said.\n");
    const qt_quote *q = quote_with_text(a, "The lighthouse stays open,");
    expect_speaker(q, "Renée Moreau");
    assert_int_equal(q->speaker_kind, QT_SPEAKER_PERSON);
    assert_non_null(q->cue);
    assert_string_equal(q->cue, "said");
    bool listed = false;
    for (size_t i = 0; i < a->n_people; i++)
        listed |= strcmp(a->people[i].name, "Renée Moreau") == 0 && a->people[i].quotes == 1;
    assert_true(listed);
}

static void speaker_and_venue_before_quote(void **state)
{
    const qt_article *a = analyze(state,
        "Renée Moreau has run the lighthouse café for eleven years.\n\n"
        "Moreau told the Harbor Gazette: “We never planned to sell.”\n");
    const qt_quote *q = quote_with_text(a, "We never planned to sell.");
    expect_speaker(q, "Renée Moreau");
    assert_non_null(q->venue);
    assert_string_equal(q->venue, "Harbor Gazette");
}

static void pronoun_resolves_to_named_woman(void **state)
{
    const qt_article *a = analyze(state,
        "Tomas Ferrer sold the old pier last year.\n\n"
        "Renée Moreau opened her café on it in 2019.\n\n"
        "“We open at dawn,” she said.\n");
    const qt_quote *q = quote_with_text(a, "We open at dawn,");
    expect_speaker(q, "Renée Moreau");
    assert_non_null(q->speaker_mention);
    assert_string_equal(q->speaker_mention, "she");
}

static void surname_resolves_to_full_name(void **state)
{
    const qt_article *a = analyze(state,
        "Renée Moreau opened her café on the pier in 2019.\n\n"
        "“Business is slow in winter,” Moreau said.\n");
    const qt_quote *q = quote_with_text(a, "Business is slow in winter,");
    expect_speaker(q, "Renée Moreau");
    assert_non_null(q->speaker_mention);
    assert_string_equal(q->speaker_mention, "Moreau");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(curly_double_quotes),
        cmocka_unit_test(straight_double_quotes),
        cmocka_unit_test(french_guillemets),
        cmocka_unit_test(guillemets_unspaced),
        cmocka_unit_test(german_low_high_quotes),
        cmocka_unit_test(single_guillemets),
        cmocka_unit_test(corner_brackets),
        cmocka_unit_test(nested_single_in_double),
        cmocka_unit_test(multi_paragraph_quote),
        cmocka_unit_test(partial_quotes),
        cmocka_unit_test(single_marks_as_quotation_marks),
        cmocka_unit_test(doubled_apostrophes_are_double_marks),
        cmocka_unit_test(participle_like_names_stay_names),
        cmocka_unit_test(partial_quote_takes_sentence_subject),
        cmocka_unit_test(venues_named_differently_are_one),
        cmocka_unit_test(frames_at_the_edges_of_the_text),
        cmocka_unit_test(apostrophes_outside_quotes),
        cmocka_unit_test(apostrophes_inside_quotes),
        cmocka_unit_test(mismatched_pairs),
        cmocka_unit_test(unbalanced_mark_is_contained),
        cmocka_unit_test(editorial_brackets_kept),
        cmocka_unit_test(typos_never_fixed),
        cmocka_unit_test(quotes_in_text_order),
        cmocka_unit_test(byte_offsets_after_multibyte_text),
        cmocka_unit_test(title_quotes_come_first),
        cmocka_unit_test(same_input_same_record),
        cmocka_unit_test(no_quotes_no_records),
        cmocka_unit_test(speaker_after_quote),
        cmocka_unit_test(speaker_and_venue_before_quote),
        cmocka_unit_test(pronoun_resolves_to_named_woman),
        cmocka_unit_test(surname_resolves_to_full_name),
    };
    return cmocka_run_group_tests_name("quotes", tests, group_setup, group_teardown);
}
