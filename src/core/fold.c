/*
 * fold.c - accent- and case-folding for matching names, venues and search words.
 *
 * Folding never touches offsets: it makes a separate key. "Khloé", "KHLOE" and "khloe" all fold
 * to "khloe"; curly and straight quote marks fold to one form so that search words match
 * whatever marks an outlet used.
 */
#include "core/qt_core.h"

#include <string.h>
#include <utf8proc.h>

static int32_t fold_mark(int32_t c)
{
    switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
    case 0x2039: case 0x203A: case 0x300C: case 0x300D: case 0x2033: return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: return '-';
    case 0x00A0: return ' ';
    default: return c;
    }
}

size_t qt_fold(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            /* ASCII fast path: most text in most news is ASCII. */
            if (o + 1 >= cap)
                break;
            unsigned char c = p[i++];
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        int n;
        int32_t c = qt_utf8_decode(p + i, len - i, &n);
        i += (size_t)n;
        c = fold_mark(c);
        int32_t dec[8];
        utf8proc_ssize_t nd = utf8proc_decompose_char(
            c, dec, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
            NULL);
        if (nd < 0 || nd > 8) {
            dec[0] = c;
            nd = 1;
        }
        for (utf8proc_ssize_t k = 0; k < nd; k++) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t ne = utf8proc_encode_char(dec[k], enc);
            if (o + (size_t)ne >= cap)
                goto done;
            memcpy(out + o, enc, (size_t)ne);
            o += (size_t)ne;
        }
    }
done:
    out[o] = '\0';
    return o;
}
