/*
 * qt_ingest.h - the input reader's internals shared with its tests.
 *
 * The public side is the "reading inputs" section of quotetrail.h (qt_reader_open/next/free).
 * This header names the limits the reader enforces and a hook that lets a test lower them, so
 * the QT_ETOOBIG paths can be run without writing a quarter-gigabyte fixture, the JSONL fast
 * path, and the WARC record reader (warc.c) that the reader uses for .warc and .warc.gz inputs.
 *
 * A qt_reader is not thread-safe: use one per thread, or feed one reader's articles to workers.
 */
#ifndef QT_INGEST_H
#define QT_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "quotetrail.h"
#include "core/qt_core.h"

/* The largest article the reader accepts is qt_limits.article_bytes (quotetrail.h, "limits"):
 * a whole .txt or .html file (after gzip decompression), or one JSONL line. Inputs over it fail
 * with QT_ETOOBIG and the reader goes on with the next one. QT_MAX_ARTICLE is the default, for
 * a qt_warc opened without a record limit. */
#define QT_MAX_ARTICLE ((size_t)4 << 20)

/* Replace article-bytes and warc-record-bytes for this reader (tests; max must be > 0), before
 * its first input is opened. This function can't fail. */
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

/* ---- WARC (warc.c) ------------------------------------------------------------------------------
 *
 * A WARC file, plain or gzip-compressed per record, read one HTML response at a time. Every
 * other record (warcinfo, request, metadata, revisit, non-HTML and non-2xx responses) is passed
 * over and counted. Memory is bounded by the largest HTML record kept (max_record), never by the
 * file: blocks are streamed, and only a response's block is buffered. warc.c's design notes say
 * how damage (corrupt or truncated gzip members, lying Content-Lengths) is reported and skipped.
 */
typedef struct qt_warc qt_warc;

/* One HTML response. Everything points into the qt_warc and is valid until the next call. */
typedef struct qt_warc_record {
    uint64_t offset;            /* where the record starts in the input: its gzip member's offset
                                 * in a .warc.gz; decompressed bytes in stream mode */
    const char *target_uri;     /* WARC-Target-URI (without WARC/1.0's <>), or NULL */
    const char *date;           /* WARC-Date, when the page was fetched, or NULL */
    const char *truncated;      /* WARC-Truncated's reason ("length", "time"), or NULL */
    const char *charset;        /* charset= of the HTTP Content-Type, or NULL */
    int status;                 /* the HTTP status, 2xx */
    const char *body;           /* the HTTP body, chunking and gzip/deflate undone; non-empty */
    size_t body_len;
    const char *const *warnings;   /* what was odd (bad chunking, gzip that was not), n_warnings */
    size_t n_warnings;
} qt_warc_record;

/* Where stream mode's bytes come from: like gzread(), *got == 0 at the end. */
typedef qt_status (*qt_warc_read_fn)(void *ctx, void *buf, size_t want, size_t *got,
                                     qt_err *err);

/* Read the WARC file open on fd (from its current offset, which offsets count from). fd should
 * be seekable: damage is skipped by seeking. The qt_warc owns fd from now on, also on failure.
 * name is used in messages and copied. max_record bounds the HTML records kept (0: QT_MAX_ARTICLE).
 * Fails with QT_ENOMEM, QT_EIO, or QT_EFORMAT for an empty file. */
qt_status qt_warc_open_fd(qt_warc **out, int fd, const char *name, size_t max_record,
                          qt_err *err);
/* Read a WARC from a source that cannot seek (a pipe), already decompressed: head[0..head_len),
 * at most 256 KiB that were read ahead to recognise it, then fn(). Fails only with QT_ENOMEM
 * or QT_EINVAL (head too long). */
qt_status qt_warc_open_stream(qt_warc **out, qt_warc_read_fn fn, void *ctx, const void *head,
                              size_t head_len, const char *name, size_t max_record, qt_err *err);
/* The next HTML response. QT_OK, QT_DONE at the end, or a negative status for one damaged or
 * unreadable record, member or stretch of bytes, named "path#offset" in err; the next call goes
 * on after it (QT_ENOMEM and QT_EIO end the file: the next call returns QT_DONE). */
qt_status qt_warc_next(qt_warc *w, qt_warc_record *rec, qt_err *err);
/* Refuse the rest of a .warc.gz that inflates to more than ratio times its compressed bytes
 * (checked once QT_DECOMPRESS_FLOOR bytes are out; 0: never). Stream mode is the caller's to
 * check. This function can't fail. */
void qt_warc_set_ratio(qt_warc *w, uint32_t ratio);
/* Bytes of the input consumed so far (compressed bytes of a gzip file), for progress. */
uint64_t qt_warc_position(const qt_warc *w);
/* Records passed over as not HTML responses (not failures). */
size_t qt_warc_skipped(const qt_warc *w);
void qt_warc_free(qt_warc *w);

#endif /* QT_INGEST_H */
