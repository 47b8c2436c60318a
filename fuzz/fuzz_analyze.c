/*
 * fuzz_analyze.c - the quote finder, attribution, people and times (qt_analyze()) and the
 * record writer (qt_write_json()) on any text.
 *
 * Input: one byte of options, then the text. The text is repaired as the reader repairs it
 * (invalid UTF-8 and NULs become U+FFFD), since qt_analyze() is promised valid UTF-8.
 * Option bits: 1 a publication date (relative times resolve), 2 the first line is a given
 * title, 4 fingerprints off, 8 the record also carries the text.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/qt_core.h"
#include "quotetrail.h"

static qt_engine *engine;
static qt_doc *doc;
static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    qt_err err = {0};
    if (qt_engine_new(&engine, &err) != QT_OK || !(doc = qt_doc_new()) ||
        !(sink = fopen("/dev/null", "w"))) {
        fprintf(stderr, "fuzz_analyze: setup failed: %s\n", err.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned opt = data[0];
    qt_buf text = QT_BUF_INIT, title = QT_BUF_INIT;
    size_t bad = 0;
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    if (opt & 2) {
        const char *nl = memchr(p, '\n', n);
        size_t tn = nl ? (size_t)(nl - p) : 0;
        if (qt_utf8_repair(p, tn, &title, &bad) != QT_OK)
            goto out;
        if (nl) {
            n -= tn + 1;
            p = nl + 1;
        }
    }
    if (n == 0 || qt_utf8_repair(p, n, &text, &bad) != QT_OK)
        goto out;
    qt_input in = {0};
    in.source = "fuzz";
    in.text = text.data;
    in.text_len = text.len;
    in.title = (opt & 2) && title.data ? title.data : NULL;
    in.published = (opt & 1) ? "2015-10-13" : NULL;
    qt_hash128_hex(text.data, text.len, in.hash);
    qt_doc_set_fingerprints(doc, !(opt & 4));
    const qt_article *a = NULL;
    qt_err err = {0};
    if (qt_analyze(engine, doc, &in, &a, &err) == QT_OK)
        qt_write_json(a, ((opt & 8) ? QT_JSON_TEXT : 0) | QT_JSON_FINGERPRINTS, sink);
out:
    qt_buf_release(&text);
    qt_buf_release(&title);
    return 0;
}
