/*
 * test_html.c - the article in a web page (src/extract), on fictional pages written here: what
 * is kept and dropped, the metadata, and pages built to break an extractor (no body, a 50 MB
 * paragraph, 100,000 nested elements, a charset declaration that lies).
 *
 * How well it does on real pages is eval/extraction's job; these tests pin the contract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/qt_core.h"
#include "extract/qt_extract.h"

static int setup(void **state)
{
    qt_html *h = NULL;
    qt_err err = {0};
    if (qt_html_new(&h, &err) != QT_OK)
        return -1;
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    qt_html_free(*state);
    return 0;
}

static qt_page extract(void **state, const char *html, size_t n, const char *charset)
{
    qt_page pg;
    qt_err err = {0};
    if (qt_html_extract(*state, html, n, charset, NULL, &pg, &err) != QT_OK)
        fail_msg("qt_html_extract: %s", err.msg);
    return pg;
}

#define PARA1 "The harbour commission voted on Tuesday to close the old ferry pier, ending a " \
              "service that has run since 1911, after engineers found the pilings unsafe."
#define PARA2 "Residents of the island, who rely on the ferry for school and work, said they " \
              "would appeal, and the mayor promised a temporary landing by the spring."
#define PARA3 "The commission will meet again next month to hear proposals for a new pier, " \
              "which could cost as much as twelve million, according to its own estimate."

static const char PAGE[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
    "<title>Pier to close | Harbor Gazette</title>"
    "<meta property=\"og:site_name\" content=\"Harbor Gazette\">"
    "<meta property=\"article:published_time\" content=\"2024-03-05T09:00:00Z\">"
    "<meta name=\"author\" content=\"Ada Vale\">"
    "<link rel=\"canonical\" href=\"https://gazette.example/pier\"></head><body>"
    "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a></nav>"
    "<div class=\"share-bar\"><a href=\"#\">Share on a network</a></div>"
    "<article><h1>Old ferry pier to close</h1>"
    "<p>" PARA1 "</p><p>" PARA2 "</p><p>" PARA3 "</p>"
    "<p>Subscribe to our newsletter for more harbour news.</p></article>"
    "<div class=\"related-stories\"><h3>Related</h3><ul>"
    "<li><a href=\"/a\">Ferry fares to rise in May as fuel costs climb again</a></li>"
    "<li><a href=\"/b\">Island school wins regional rowing title for third year</a></li>"
    "</ul></div><footer>Copyright Harbor Gazette. All rights reserved.</footer></body></html>";

static void article_kept_boilerplate_dropped(void **state)
{
    qt_page pg = extract(state, PAGE, sizeof PAGE - 1, NULL);
    assert_string_equal(pg.text, PARA1 "\n\n" PARA2 "\n\n" PARA3);
    assert_int_equal(pg.n_paragraphs, 3);
    assert_string_equal(pg.title, "Old ferry pier to close");
    assert_string_equal(pg.site, "Harbor Gazette");
    assert_string_equal(pg.published, "2024-03-05T09:00:00Z");
    assert_string_equal(pg.byline, "Ada Vale");
    assert_string_equal(pg.url, "https://gazette.example/pier");
}

static void page_without_body(void **state)
{
    static const char html[] = "<html><head><title>Nothing here</title></head></html>";
    qt_page pg = extract(state, html, sizeof html - 1, NULL);
    assert_int_equal(pg.text_len, 0);
    assert_string_equal(pg.text, "");
    pg = extract(state, "", 0, NULL);
    assert_int_equal(pg.text_len, 0);
}

static void fifty_megabyte_paragraph(void **state)
{
    size_t n = (size_t)50 << 20;
    char *html = malloc(n + 64);
    assert_non_null(html);
    size_t k = (size_t)sprintf(html, "<html><body><p>");
    static const char word[] = "harbour ";
    while (k + sizeof word < n) {
        memcpy(html + k, word, sizeof word - 1);
        k += sizeof word - 1;
    }
    k += (size_t)sprintf(html + k, "end.</p></body></html>");
    qt_page pg = extract(state, html, k, NULL);
    free(html);
    assert_true(pg.text_len > ((size_t)49 << 20));
    assert_int_equal(memcmp(pg.text + pg.text_len - 4, "end.", 4), 0);
}

static void hundred_thousand_levels_deep(void **state)
{
    size_t depth = 100000;
    qt_buf b = {0};
    assert_int_equal(qt_buf_puts(&b, "<html><body>"), QT_OK);
    for (size_t i = 0; i < depth; i++)
        assert_int_equal(qt_buf_puts(&b, "<div>"), QT_OK);
    assert_int_equal(qt_buf_puts(&b, "<p>" PARA1 "</p>"), QT_OK);
    for (size_t i = 0; i < depth; i++)
        assert_int_equal(qt_buf_puts(&b, "</div>"), QT_OK);
    assert_int_equal(qt_buf_puts(&b, "<p>" PARA2 "</p></body></html>"), QT_OK);
    qt_page pg = extract(state, b.data, b.len, NULL);   /* must come back, not crash */
    qt_buf_release(&b);
    /* the parser may cut what is nested too deep; what it keeps is well-formed text */
    assert_true(pg.text_len == strlen(pg.text));
}

static void charset_declaration_that_lies(void **state)
{
    /* UTF-8 bytes ("café", "Zoë") under a Latin-1 declaration */
    static const char lie[] =
        "<html><head><meta charset=\"iso-8859-1\"></head><body><article>"
        "<p>The café on the quay, run by Zoë Marsh since 2002, will stay open through the "
        "works, the commission said, with a temporary ramp for deliveries.</p>"
        "</article></body></html>";
    qt_page pg = extract(state, lie, sizeof lie - 1, NULL);
    assert_non_null(strstr(pg.text, "The café on the quay, run by Zoë Marsh"));
    /* and Windows-1252 bytes declared as UTF-8: decoded, not replaced */
    static const char cp[] =
        "<html><head><meta charset=\"utf-8\"></head><body><article>"
        "<p>The caf\xe9 on the quay, run by Zo\xeb Marsh since 2002, will stay open through the "
        "works, the commission said, with a temporary ramp for deliveries.</p>"
        "</article></body></html>";
    pg = extract(state, cp, sizeof cp - 1, NULL);
    assert_non_null(strstr(pg.text, "The café on the quay, run by Zoë Marsh"));
}

/* No machine-readable date: the one written on the page, in a date-classed element. */
static void visible_date_read(void **state)
{
    static const char html[] =
        "<html><body><div class=\"story-date\">Published Tuesday, March 5, 2024</div>"
        "<article><p>" PARA1 "</p><p>" PARA2 "</p></article></body></html>";
    qt_page pg = extract(state, html, sizeof html - 1, NULL);
    assert_non_null(pg.published);
    assert_string_equal(pg.published, "2024-03-05");
    static const char html2[] =
        "<html><body><time>11 March 2024</time><article><p>" PARA1 "</p></article></body></html>";
    pg = extract(state, html2, sizeof html2 - 1, NULL);
    assert_non_null(pg.published);
    assert_string_equal(pg.published, "2024-03-11");
}

/* No declaration, not UTF-8: the charset is guessed from the bytes (Windows-1251 Cyrillic). */
static void undeclared_charset_is_guessed(void **state)
{
    static const char html[] = "<html><body><article><p>\xcf\xee\xf0\xf2\xee\xe2\xe0\xff \xea\xee\xec\xe8\xf1\xf1\xe8\xff \xe2\xee \xe2\xf2\xee\xf0\xed\xe8\xea \xef\xf0\xee\xe3\xee\xeb\xee\xf1\xee\xe2\xe0\xeb\xe0 \xe7\xe0 \xe7\xe0\xea\xf0\xfb\xf2\xe8\xe5 \xf1\xf2\xe0\xf0\xee\xe3\xee \xef\xe0\xf0\xee\xec\xed\xee\xe3\xee \xef\xf0\xe8\xf7\xe0\xeb\xe0, \xea\xee\xf2\xee\xf0\xfb\xe9 \xf1\xeb\xf3\xe6\xe8\xeb \xee\xf1\xf2\xf0\xee\xe2\xf3 \xf1 1911 \xe3\xee\xe4\xe0. \xc6\xe8\xf2\xe5\xeb\xe8 \xee\xf1\xf2\xf0\xee\xe2\xe0 \xe7\xe0\xff\xe2\xe8\xeb\xe8, \xf7\xf2\xee \xe1\xf3\xe4\xf3\xf2 \xee\xe1\xe6\xe0\xeb\xee\xe2\xe0\xf2\xfc \xfd\xf2\xee \xf0\xe5\xf8\xe5\xed\xe8\xe5.</p></article></body></html>";
    qt_page pg = extract(state, html, sizeof html - 1, NULL);
    assert_non_null(strstr(pg.text, "Портовая комиссия во вторник"));
}

static void text_written_into_a_container(void **state)
{
    static const char html[] =
        "<html><body><div class=\"menu\"><a href=\"/\">Home</a></div>"
        "<div class=\"col\">" PARA1 "<div class=\"spacer\"></div>" PARA2 "<br></div>"
        "<div class=\"footer-note\">Harbor Gazette, 1 Quay Street, Port Ellery</div>"
        "</body></html>";
    qt_page pg = extract(state, html, sizeof html - 1, NULL);
    assert_non_null(strstr(pg.text, PARA1));
    assert_non_null(strstr(pg.text, PARA2));
    assert_null(strstr(pg.text, "Quay Street"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(article_kept_boilerplate_dropped),
        cmocka_unit_test(page_without_body),
        cmocka_unit_test(fifty_megabyte_paragraph),
        cmocka_unit_test(hundred_thousand_levels_deep),
        cmocka_unit_test(charset_declaration_that_lies),
        cmocka_unit_test(visible_date_read),
        cmocka_unit_test(undeclared_charset_is_guessed),
        cmocka_unit_test(text_written_into_a_container),
    };
    return cmocka_run_group_tests_name("html", tests, setup, teardown);
}
