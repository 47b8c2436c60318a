/*
 * fuzz_timex.c - time expressions (qt_timex_scan()) over tokenized text, and the ISO/TIMEX3
 * value parsers (qt_date_parse(), qt_date_first_day()).
 *
 * Input: one byte choosing the reference date (none, a day, a month, a time, a fuzzed one: the
 * first line of the rest), then the text. The text is repaired to valid UTF-8 first, as every
 * caller's is. Each line of the text is also given to the value parsers, which take any string.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/qt_core.h"
#include "events/qt_events.h"
#include "link/qt_dates.h"
#include "text/qt_text.h"

static qt_timex_ctx *ctx;
static qt_text text = QT_TEXT_INIT;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!(ctx = qt_timex_new()))
        abort();
    return 0;
}

static void parse_values(const char *p, size_t n)
{
    char line[64];
    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t len = nl ? (size_t)(nl - p) : n;
        size_t k = len < sizeof line - 1 ? len : sizeof line - 1;
        memcpy(line, p, k);
        line[k] = '\0';
        qt_day_span span;
        qt_date_parse(line, &span);
        qt_date_first_day(line);
        qt_dates_end(line);
        if (!nl)
            break;
        n -= len + 1;
        p = nl + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const refs[] = {NULL, "1998-08-10", "2015-10", "2015-10-13T09:00Z"};
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    char ref_buf[64];
    const char *ref = refs[data[0] & 3];
    if (data[0] & 4) {   /* the reference date is the first line, as given */
        const char *nl = memchr(p, '\n', n);
        size_t len = nl ? (size_t)(nl - p) : n;
        size_t k = len < sizeof ref_buf - 1 ? len : sizeof ref_buf - 1;
        memcpy(ref_buf, p, k);
        ref_buf[k] = '\0';
        ref = ref_buf;
        n -= nl ? len + 1 : len;
        p += nl ? len + 1 : len;
    }
    parse_values(p, n);
    qt_buf fixed = QT_BUF_INIT;
    size_t bad = 0;
    if (qt_utf8_repair(p, n, &fixed, &bad) == QT_OK &&
        qt_text_scan(&text, fixed.data ? fixed.data : "", fixed.len) == QT_OK) {
        const qt_time *times = NULL;
        size_t nt = 0;
        if (qt_timex_scan(ctx, &text, ref, &times, &nt) == QT_OK) {
            /* The contract's invariant (1): spans in order, inside the text, never overlapping. */
            size_t last = 0;
            for (size_t i = 0; i < nt; i++) {
                if (times[i].start >= times[i].end || times[i].end > fixed.len ||
                    times[i].start < last)
                    abort();
                last = times[i].end;
            }
        }
    }
    qt_buf_release(&fixed);
    return 0;
}
