/*
 * fuzz_jsonl.c - JSON lines: the fast decoder (qt_jsonl_fast()) on each line, and the reader
 * (qt_reader_open() on a .jsonl file, qt_reader_next() to the end) on the whole input.
 *
 * The fast path promises never to reject valid input, only to decline: when it accepts a line,
 * jansson must accept it too and agree on "text", which this harness checks.
 */
#include "fuzz.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/qt_ingest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_tmpdir();
    return 0;
}

/* The line as the reader hands it to the fast path: repaired to valid UTF-8 first. */
static void fast_line(const char *line, size_t len)
{
    qt_buf fixed = QT_BUF_INIT;
    size_t bad = 0;
    if (qt_utf8_repair(line, len, &fixed, &bad) != QT_OK)
        return;
    const char *p = fixed.data ? fixed.data : "";
    size_t n = fixed.len;
    qt_jsonl_fields f;
    memset(&f, 0, sizeof f);
    if (qt_jsonl_fast(p, n, &f)) {
        /* The fast path's promise: for a line jansson accepts, the result is jansson's. */
        json_t *j = json_loadb(p, n, JSON_ALLOW_NUL, NULL);
        json_t *t = j ? json_object_get(j, "text") : NULL;
        const qt_buf *v = &f.value[QT_JF_TEXT];
        if (j && (!json_is_string(t) || json_string_length(t) != v->len ||
                  memcmp(json_string_value(t), v->data ? v->data : "", v->len) != 0))
            abort();
        json_decref(j);
    }
    qt_jsonl_fields_release(&f);
    qt_buf_release(&fixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    size_t n = size;
    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t len = nl ? (size_t)(nl - p) : n;
        fast_line(p, len);
        if (!nl)
            break;
        n -= len + 1;
        p = nl + 1;
    }

    const char *path = fuzz_write("in.jsonl", data, size);
    qt_reader *r = NULL;
    qt_err err = {0};
    if (qt_reader_open(&r, &path, 1, &err) != QT_OK)
        abort();
    qt_reader_set_max_article(r, 1 << 20);
    qt_input in;
    qt_status rc;
    while ((rc = qt_reader_next(r, &in, &err)) != QT_DONE)
        if (rc == QT_OK && (!in.text || strlen(in.text) != in.text_len))
            abort();
    qt_reader_free(r);
    return 0;
}
