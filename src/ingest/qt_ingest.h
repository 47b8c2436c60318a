/*
 * qt_ingest.h - the input reader's internals shared with its tests.
 *
 * The public side is the "reading inputs" section of quotetrail.h (qt_reader_open/next/free).
 * This header only names the limits the reader enforces and a hook that lets a test lower them,
 * so the QT_ETOOBIG paths can be run without writing a quarter-gigabyte fixture.
 *
 * A qt_reader is not thread-safe: use one per thread, or feed one reader's articles to workers.
 */
#ifndef QT_INGEST_H
#define QT_INGEST_H

#include <stddef.h>

#include "quotetrail.h"
#include "core/qt_core.h"

/* Largest article the reader accepts, in bytes: a whole .txt file (after gzip decompression), or
 * one JSONL line. Real news articles are a few KB to a few MB; 256 MiB is far past any of them
 * yet keeps a stray database dump or log file from taking all memory. Inputs over the limit fail
 * with QT_ETOOBIG and the reader goes on with the next one. */
#define QT_MAX_ARTICLE ((size_t)256 << 20)

/* Replace QT_MAX_ARTICLE for this reader (tests only; max must be > 0). This function can't
 * fail. */
void qt_reader_set_max_article(qt_reader *r, size_t max);

/* The fields of a JSONL article, decoded by the fast path (jsonl_fast.c). */
enum { QT_JF_TEXT, QT_JF_ID, QT_JF_TITLE, QT_JF_URL, QT_JF_PUBLISHED, QT_JF_COUNT };
typedef struct qt_jsonl_fields {
    qt_buf value[QT_JF_COUNT];   /* decoded UTF-8 of each string field */
    unsigned present;            /* bit i set: field i was a string */
} qt_jsonl_fields;

/* Decode a JSONL line that is a flat object whose article fields are strings or null. Returns
 * 1 when it did (with "text" present), 0 when the line needs the full parser: the fast path
 * never rejects valid input, it only declines. */
int qt_jsonl_fast(const char *line, size_t n, qt_jsonl_fields *f);
void qt_jsonl_fields_release(qt_jsonl_fields *f);

#endif /* QT_INGEST_H */
