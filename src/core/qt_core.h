/*
 * qt_core.h - the small pieces every stage stands on: error reporting, growable byte buffers,
 * an arena for per-article records, and hashing.
 *
 * Invariants:
 *  (1) A qt_buf's data is either NULL with len == cap == 0, or points at cap bytes of which the
 *      first len are used and data[len] == '\0' (so a buffer is always a valid C string).
 *  (2) Arena memory is released all at once by qt_arena_reset()/qt_arena_free(); nothing in it is
 *      freed one by one. Per-article records live there, so analysing one article costs a few
 *      block allocations however many tokens and quotes it has.
 */
#ifndef QT_CORE_H
#define QT_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "quotetrail.h"

/* Fill err (if not NULL) with code and a formatted message; returns code so that
 * `return qt_fail(err, QT_EIO, "cannot open '%s'", p);` fits on one line. */
qt_status qt_fail(qt_err *err, qt_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- qt_buf: a growable, always NUL-terminated byte string ------------------------------------ */

typedef struct qt_buf {
    char *data;
    size_t len, cap;
} qt_buf;

#define QT_BUF_INIT {NULL, 0, 0}

/* Make room for `add` more bytes. Returns QT_OK or QT_ENOMEM with b unchanged. */
qt_status qt_buf_grow(qt_buf *b, size_t add);
qt_status qt_buf_append(qt_buf *b, const void *p, size_t n);
qt_status qt_buf_puts(qt_buf *b, const char *s);
qt_status qt_buf_putc(qt_buf *b, char c);
qt_status qt_buf_printf(qt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empty the buffer but keep its memory. This function can't fail. */
void qt_buf_reset(qt_buf *b);
void qt_buf_release(qt_buf *b);

/* ---- qt_arena: bump allocation in blocks, freed all at once ------------------------------------ */

typedef struct qt_arena_block qt_arena_block;
typedef struct qt_arena {
    qt_arena_block *head;   /* current block; older ones follow ->next */
    size_t used;            /* bytes used in head */
} qt_arena;

#define QT_ARENA_INIT {NULL, 0}

/* Returns 16-byte aligned memory, or NULL when out of memory. */
void *qt_arena_alloc(qt_arena *a, size_t n);
void *qt_arena_calloc(qt_arena *a, size_t n, size_t size);
char *qt_arena_strndup(qt_arena *a, const char *s, size_t n);
/* Forget everything allocated but keep the largest block for reuse. This function can't fail. */
void qt_arena_reset(qt_arena *a);
void qt_arena_free(qt_arena *a);

/* A growable array of fixed-size items kept in malloc'd memory that is reused across articles. */
typedef struct qt_vec {
    void *items;
    size_t n, cap, size;
} qt_vec;
#define QT_VEC_INIT(type) {NULL, 0, 0, sizeof(type)}
/* Append one zeroed item and return it, or NULL when out of memory. */
void *qt_vec_push(qt_vec *v);
void qt_vec_release(qt_vec *v);
#define QT_VEC_AT(v, type, i) (((type *)(v)->items)[i])

/* ---- hashing ---------------------------------------------------------------------------------- */

/* xxh3-128 of p[0..n) as 32 lowercase hex digits plus NUL. This function can't fail. */
void qt_hash128_hex(const void *p, size_t n, char out[33]);
uint64_t qt_hash64(const void *p, size_t n);

/* ---- UTF-8 ------------------------------------------------------------------------------------ */

/* Copy src[0..n) into out, replacing each invalid UTF-8 sequence with U+FFFD and each NUL byte with
 * U+FFFD. *n_bad receives how many were replaced. */
qt_status qt_utf8_repair(const char *src, size_t n, qt_buf *out, size_t *n_bad);
/* Decode one code point at p (n bytes available); *len receives its byte length (>= 1). Invalid
 * bytes decode as U+FFFD with length 1. */
int32_t qt_utf8_decode(const unsigned char *p, size_t n, int *len);

#endif /* QT_CORE_H */
