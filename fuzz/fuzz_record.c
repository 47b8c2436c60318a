/*
 * fuzz_record.c - shard records back into articles (qt_record_parse(), what `link` reads),
 * and a parsed record written out again (qt_write_json() of an article without text).
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "quotetrail.h"

static qt_record *rec;
static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!(rec = qt_record_new()) || !(sink = fopen("/dev/null", "w")))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const qt_article *a = NULL;
    qt_err err = {0};
    if (qt_record_parse(rec, (const char *)data, size, &a, &err) == QT_OK)
        qt_write_json(a, QT_JSON_TEXT | QT_JSON_FINGERPRINTS, sink);
    return 0;
}
