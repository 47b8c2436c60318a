/*
 * test_jsonl_fast.c - the JSONL fast path must agree with jansson on every line it accepts,
 * and decline (return 0) the lines it does not fully understand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ingest/qt_ingest.h"

static const char *const accepted[] = {
    "{\"text\":\"plain\"}",
    "{\"id\":\"a1\",\"text\":\"She said \\\"no\\\".\\nThen left.\",\"title\":\"T\"}",
    "{\"text\":\"caf\\u00e9 \\u201cquoted\\u201d \\ud83d\\ude00 \\/ \\\\ \\t\"}",
    "  { \"text\" : \"spaced\" , \"url\" : null , \"published\" : \"2024-03-11\" }  ",
    "{\"extra\":{\"a\":[1,2.5e3,-0.1,true,false,null,{\"b\":\"x\"}]},\"text\":\"nested skipped\"}",
    "{\"text\":\"first\",\"text\":\"last wins\"}",
    "{\"text\":\"Ren\u00e9e Moreau\",\"title\":\"\"}",
};

static const char *const declined[] = {
    "{\"id\":7,\"text\":\"numeric id goes to jansson\"}",
    "{\"text\":\"nul \\u0000 escape\"}",
    "{\"text\":\"lone \\ud800 surrogate\"}",
    "{\"text\":\"bad \\x escape\"}",
    "{\"text\":\"raw\ttab\"}",
    "{\"text\":\"unterminated}",
    "{\"text\":\"x\"} trailing",
    "{\"title\":\"no text\"}",
    "[\"text\"]",
    "{\"text\":5}",
    "{\"te\\u0078t\":\"escaped key\"}",
};

static const char *const names[QT_JF_COUNT] = {"text", "id", "title", "url", "published"};

static void test_agrees_with_jansson(void **state)
{
    (void)state;
    qt_jsonl_fields f;
    memset(&f, 0, sizeof f);
    for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++) {
        const char *line = accepted[i];
        assert_int_equal(qt_jsonl_fast(line, strlen(line), &f), 1);
        json_error_t je;
        json_t *doc = json_loads(line, 0, &je);
        assert_non_null(doc);
        for (int k = 0; k < QT_JF_COUNT; k++) {
            json_t *v = json_object_get(doc, names[k]);
            if (json_is_string(v)) {
                assert_true(f.present & (1u << k));
                assert_int_equal(f.value[k].len, json_string_length(v));
                assert_memory_equal(f.value[k].data, json_string_value(v), f.value[k].len);
            } else {
                assert_false(f.present & (1u << k));
            }
        }
        json_decref(doc);
    }
    qt_jsonl_fields_release(&f);
}

static void test_declines_what_it_does_not_understand(void **state)
{
    (void)state;
    qt_jsonl_fields f;
    memset(&f, 0, sizeof f);
    for (size_t i = 0; i < sizeof declined / sizeof *declined; i++)
        assert_int_equal(qt_jsonl_fast(declined[i], strlen(declined[i]), &f), 0);
    qt_jsonl_fields_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agrees_with_jansson),
        cmocka_unit_test(test_declines_what_it_does_not_understand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
