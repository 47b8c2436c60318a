/*
 * jsonl_fast.c - a strict fast path for the usual JSONL article line.
 *
 * Why: parsing with jansson builds a tree and copies every string; on JSONL corpora that was a
 * third of `extract`'s time. Almost every line is a flat object of strings, so this scanner
 * decodes just the five fields an article has, in one pass over the line. It accepts only what
 * it fully understands and says "no" to everything else (a control byte in a string, a NUL
 * escape, a lone surrogate, an id that is not a plain integer, a field of an unexpected type,
 * trailing bytes ...); the caller then parses the line with jansson, which also produces the
 * error messages. So for a line jansson accepts, the result is the one jansson gives, only
 * faster. (Values of keys it skips are checked less strictly than jansson would: a control
 * byte inside such a string passes here.)
 */
#include "ingest/qt_ingest.h"

#include <string.h>

static const char *ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static int hex4(const char *p, const char *e, unsigned *out)
{
    if (e - p < 4)
        return 0;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* Decode the string starting after its opening quote; out may be NULL to skip. Returns the
 * position after the closing quote, or NULL to give up. */
static const char *string(const char *p, const char *e, qt_buf *out)
{
    const char *run = p;
    while (p < e) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            if (out && qt_buf_append(out, run, (size_t)(p - run)) != QT_OK)
                return NULL;
            return p + 1;
        }
        if (c < 0x20)
            return NULL;
        if (c != '\\') {
            p++;
            continue;
        }
        if (out && qt_buf_append(out, run, (size_t)(p - run)) != QT_OK)
            return NULL;
        if (p + 1 >= e)
            return NULL;
        char esc = p[1];
        char one = 0;
        p += 2;
        switch (esc) {
        case '"': one = '"'; break;
        case '\\': one = '\\'; break;
        case '/': one = '/'; break;
        case 'b': one = '\b'; break;
        case 'f': one = '\f'; break;
        case 'n': one = '\n'; break;
        case 'r': one = '\r'; break;
        case 't': one = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (!hex4(p, e, &cp))
                return NULL;
            p += 4;
            if (cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
                return NULL;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (e - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, e, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return NULL;
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            char u[4];
            size_t n;
            if (cp < 0x80) u[0] = (char)cp, n = 1;
            else if (cp < 0x800) u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 63)), n = 2;
            else if (cp < 0x10000) u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 63)),
                                   u[2] = (char)(0x80 | (cp & 63)), n = 3;
            else u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 63)),
                 u[2] = (char)(0x80 | ((cp >> 6) & 63)), u[3] = (char)(0x80 | (cp & 63)), n = 4;
            if (out && qt_buf_append(out, u, n) != QT_OK)
                return NULL;
            run = p;
            continue;
        }
        default:
            return NULL;
        }
        if (out && qt_buf_putc(out, one) != QT_OK)
            return NULL;
        run = p;
    }
    return NULL;
}

static const char *digits(const char *p, const char *e)
{
    while (p < e && *p >= '0' && *p <= '9')
        p++;
    return p;
}

/* Skip a number, true/false/null, or (with depth limit) an array/object. */
/* NOLINTNEXTLINE(misc-no-recursion): bounded, depth > 32 stops it */
static const char *skip_value(const char *p, const char *e, int depth)
{
    if (p >= e || depth > 32)
        return NULL;
    if (*p == '"')
        return string(p + 1, e, NULL);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        int obj = *p == '{';
        p = ws(p + 1, e);
        if (p < e && *p == close)
            return p + 1;
        for (;;) {
            if (obj) {
                if (p >= e || *p != '"' || !(p = string(p + 1, e, NULL)))
                    return NULL;
                p = ws(p, e);
                if (p >= e || *p != ':')
                    return NULL;
                p = ws(p + 1, e);
            }
            if (!(p = skip_value(p, e, depth + 1)))
                return NULL;
            p = ws(p, e);
            if (p < e && *p == ',') {
                p = ws(p + 1, e);
                continue;
            }
            return p < e && *p == close ? p + 1 : NULL;
        }
    }
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t l = strlen(words[i]);
        if ((size_t)(e - p) >= l && memcmp(p, words[i], l) == 0)
            return p + l;
    }
    /* a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    const char *s = p;
    if (p < e && *p == '-')
        p++;
    if (p >= e || *p < '0' || *p > '9')
        return NULL;
    if (*p == '0')
        p++;
    else
        p = digits(p, e);
    if (p < e && *p == '.') {
        if (p + 1 >= e || p[1] < '0' || p[1] > '9')
            return NULL;
        p = digits(p + 1, e);
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        if (p >= e || *p < '0' || *p > '9')
            return NULL;
        p = digits(p, e);
    }
    return p > s ? p : NULL;
}

static const char *const field_names[QT_JF_COUNT] = {"text", "id", "title", "url", "published"};

int qt_jsonl_fast(const char *line, size_t n, qt_jsonl_fields *f)
{
    const char *p = line, *e = line + n;
    f->present = 0;
    for (int i = 0; i < QT_JF_COUNT; i++)
        qt_buf_reset(&f->value[i]);
    p = ws(p, e);
    if (p >= e || *p != '{')
        return 0;
    p = ws(p + 1, e);
    if (p < e && *p == '}')
        return 0;   /* no "text": let jansson word the error */
    for (;;) {
        if (p >= e || *p != '"')
            return 0;
        const char *k = p + 1;
        const char *kend = memchr(k, '"', (size_t)(e - k));
        if (!kend)
            return 0;
        int which = -1;
        for (int i = 0; i < QT_JF_COUNT && which < 0; i++)
            if ((size_t)(kend - k) == strlen(field_names[i]) &&
                memcmp(k, field_names[i], (size_t)(kend - k)) == 0)
                which = i;
        if (which < 0 && memchr(k, '\\', (size_t)(kend - k)))
            return 0;   /* an escaped key could spell one of ours */
        p = ws(kend + 1, e);
        if (p >= e || *p != ':')
            return 0;
        p = ws(p + 1, e);
        if (which < 0) {
            p = skip_value(p, e, 0);
        } else if (p < e && *p == '"') {
            qt_buf_reset(&f->value[which]);   /* a repeated key: the last one wins, as in jansson */
            p = string(p + 1, e, &f->value[which]);
            f->present |= 1u << which;
        } else if (p + 4 <= e && memcmp(p, "null", 4) == 0) {
            qt_buf_reset(&f->value[which]);
            f->present &= ~(1u << which);
            p += 4;
        } else {
            return 0;   /* a number id, a wrong type: jansson's path handles and warns */
        }
        if (!p)
            return 0;
        p = ws(p, e);
        if (p < e && *p == ',') {
            p = ws(p + 1, e);
            continue;
        }
        if (p >= e || *p != '}')
            return 0;
        p = ws(p + 1, e);
        return p == e && (f->present & 1u);
    }
}

void qt_jsonl_fields_release(qt_jsonl_fields *f)
{
    for (int i = 0; i < QT_JF_COUNT; i++)
        qt_buf_release(&f->value[i]);
}
