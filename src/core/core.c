/*
 * core.c - errors, buffers, arena, vectors and hashing (see qt_core.h for the invariants).
 */
#include "core/qt_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

static const char *const status_msgs[] = {
#define X(name, val, msg) [(val) + 8] = msg,
    QT_STATUS_MAP(X)
#undef X
};

const char *qt_strerror(qt_status s)
{
    int i = (int)s + 8;
    if (i < 0 || i >= (int)(sizeof status_msgs / sizeof *status_msgs) || !status_msgs[i])
        return "unknown status";
    return status_msgs[i];
}

qt_status qt_fail(qt_err *err, qt_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

/* ---- qt_buf ----------------------------------------------------------------------------------- */

qt_status qt_buf_grow(qt_buf *b, size_t add)
{
    if (b->cap - b->len > add)
        return QT_OK;
    if (add > SIZE_MAX / 2 - b->len - 1)
        return QT_ENOMEM;
    size_t need = b->len + add + 1;
    /* Double while small, then grow by a quarter so a huge line does not reserve 2x its size. */
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need)
        cap = cap < ((size_t)1 << 26) ? cap * 2 : cap + cap / 4;
    char *p = realloc(b->data, cap);
    if (!p)
        return QT_ENOMEM;
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0';
    return QT_OK;
}

qt_status qt_buf_append(qt_buf *b, const void *p, size_t n)
{
    if (qt_buf_grow(b, n) != QT_OK)
        return QT_ENOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return QT_OK;
}

qt_status qt_buf_puts(qt_buf *b, const char *s) { return qt_buf_append(b, s, strlen(s)); }
qt_status qt_buf_putc(qt_buf *b, char c) { return qt_buf_append(b, &c, 1); }

qt_status qt_buf_printf(qt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return QT_EINVAL;
    if ((size_t)n < sizeof tmp)
        return qt_buf_append(b, tmp, (size_t)n);
    if (qt_buf_grow(b, (size_t)n) != QT_OK)
        return QT_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return QT_OK;
}

void qt_buf_reset(qt_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void qt_buf_release(qt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- qt_arena --------------------------------------------------------------------------------- */

struct qt_arena_block {
    qt_arena_block *next;
    size_t size;                     /* usable bytes after the header */
    _Alignas(16) unsigned char mem[];
};

#define ARENA_MIN_BLOCK (64 * 1024)

void *qt_arena_alloc(qt_arena *a, size_t n)
{
    if (n > SIZE_MAX - 15 - sizeof(qt_arena_block))
        return NULL;
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->head->size - a->used < n) {
        size_t size = n > ARENA_MIN_BLOCK ? n : ARENA_MIN_BLOCK;
        if (a->head && a->head->size * 2 > size && a->head->size < ((size_t)1 << 24))
            size = a->head->size * 2;
        qt_arena_block *blk = malloc(sizeof *blk + size);
        if (!blk)
            return NULL;
        blk->next = a->head;
        blk->size = size;
        a->head = blk;
        a->used = 0;
    }
    void *p = a->head->mem + a->used;
    a->used += n;
    return p;
}

void *qt_arena_calloc(qt_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = qt_arena_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *qt_arena_strndup(qt_arena *a, const char *s, size_t n)
{
    char *p = qt_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void qt_arena_reset(qt_arena *a)
{
    /* Keep the biggest block: the next article is likely to need about as much. */
    qt_arena_block *keep = NULL;
    for (qt_arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        if (!keep || b->size > keep->size) {
            free(keep);
            keep = b;
        } else {
            free(b);
        }
    }
    if (keep)
        keep->next = NULL;
    a->head = keep;
    a->used = 0;
}

void qt_arena_free(qt_arena *a)
{
    for (qt_arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
    a->used = 0;
}

/* ---- qt_vec ----------------------------------------------------------------------------------- */

void *qt_vec_push(qt_vec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        if (cap > SIZE_MAX / v->size)
            return NULL;
        void *p = realloc(v->items, cap * v->size);
        if (!p)
            return NULL;
        v->items = p;
        v->cap = cap;
    }
    void *item = (char *)v->items + v->n++ * v->size;
    memset(item, 0, v->size);
    return item;
}

void qt_vec_release(qt_vec *v)
{
    free(v->items);
    v->items = NULL;
    v->n = v->cap = 0;
}

/* ---- hashing ---------------------------------------------------------------------------------- */

void qt_hash128_hex(const void *p, size_t n, char out[33])
{
    XXH128_hash_t h = XXH3_128bits(p, n);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
}

uint64_t qt_hash64(const void *p, size_t n) { return XXH3_64bits(p, n); }

/* ---- UTF-8 ------------------------------------------------------------------------------------ */

int32_t qt_utf8_decode(const unsigned char *p, size_t n, int *len)
{
    unsigned c = p[0];
    *len = 1;
    if (c < 0x80)
        return (int32_t)c;
    int need;
    int32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return 0xFFFD;
    }
    if ((size_t)need >= n)
        return 0xFFFD;
    for (int i = 1; i <= need; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are invalid, not merely unusual. */
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    *len = need + 1;
    return cp;
}

qt_status qt_utf8_repair(const char *src, size_t n, qt_buf *out, size_t *n_bad)
{
    const unsigned char *p = (const unsigned char *)src;
    size_t bad = 0, i = 0, run = 0;
    if (qt_buf_grow(out, n) != QT_OK)
        return QT_ENOMEM;
    while (i < n) {
        if (p[i] >= 0x80 || p[i] == 0) {
            int len;
            int32_t cp = p[i] ? qt_utf8_decode(p + i, n - i, &len) : (len = 1, 0xFFFD);
            if (cp == 0xFFFD && !(len == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD)) {
                if (qt_buf_append(out, p + run, i - run) != QT_OK ||
                    qt_buf_append(out, "\xEF\xBF\xBD", 3) != QT_OK)
                    return QT_ENOMEM;
                bad++;
                i += (size_t)len;
                run = i;
                continue;
            }
            i += (size_t)len;
        } else {
            i++;
        }
    }
    if (qt_buf_append(out, p + run, n - run) != QT_OK)
        return QT_ENOMEM;
    *n_bad = bad;
    return QT_OK;
}
