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

/* Largest article the reader accepts, in bytes: a whole .txt file (after gzip decompression), or
 * one JSONL line. Real news articles are a few KB to a few MB; 256 MiB is far past any of them
 * yet keeps a stray database dump or log file from taking all memory. Inputs over the limit fail
 * with QT_ETOOBIG and the reader goes on with the next one. */
#define QT_MAX_ARTICLE ((size_t)256 << 20)

/* Replace QT_MAX_ARTICLE for this reader (tests only; max must be > 0). This function can't
 * fail. */
void qt_reader_set_max_article(qt_reader *r, size_t max);

#endif /* QT_INGEST_H */
