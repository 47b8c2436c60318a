/*
 * fuzz_html.c - the article extractor (qt_html_extract()) on any page, and analysis of the
 * article it returns.
 *
 * Input: one byte choosing the charset the HTTP header would give (none: the page's own or a
 * guess; utf-8; windows-1252; shift_jis; a bogus name) and whether the extracted text is also
 * analysed (bit 8: the quote finder on real extractor output), then the page.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/qt_core.h"
#include "extract/qt_extract.h"
#include "quotetrail.h"

static qt_html *html;
static qt_engine *engine;
static qt_doc *doc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    qt_err err = {0};
    if (qt_html_new(&html, &err) != QT_OK || qt_engine_new(&engine, &err) != QT_OK ||
        !(doc = qt_doc_new())) {
        fprintf(stderr, "fuzz_html: setup failed: %s\n", err.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const charsets[] = {NULL, "utf-8", "windows-1252", "shift_jis",
                                           "x-no-such-charset", NULL, "UTF-8", "iso-8859-1"};
    const char *charset = charsets[data[0] & 7];
    const char *base = (data[0] & 16) ? "https://example.test/news/2015/story.html" : NULL;
    qt_page pg;
    qt_err err = {0};
    if (qt_html_extract(html, (const char *)data + 1, size - 1, charset, base, &pg, &err) !=
        QT_OK)
        return 0;
    if (!pg.text || strlen(pg.text) != pg.text_len)
        abort();
    if ((data[0] & 8) && pg.text_len > 0) {
        /* As the reader does: the text is repaired before analysis. */
        qt_buf fixed = QT_BUF_INIT;
        size_t bad = 0;
        if (qt_utf8_repair(pg.text, pg.text_len, &fixed, &bad) == QT_OK) {
            qt_input in = {0};
            in.source = "fuzz.html";
            in.text = fixed.data;
            in.text_len = fixed.len;
            in.title = pg.title;
            in.published = pg.published;
            in.url = pg.url;
            in.site = pg.site;
            in.byline = pg.byline;
            qt_hash128_hex(fixed.data, fixed.len, in.hash);
            const qt_article *a = NULL;
            qt_analyze(engine, doc, &in, &a, &err);
        }
        qt_buf_release(&fixed);
    }
    return 0;
}
