/*
 * namekey.c - an entity key: the 32-bit hash of a name folded as the store folds names
 * (qt_store.h (4)), so that a key computed from an article's text at analysis time and one
 * computed later from a stored folded name (people.name_folded) agree.
 *
 * Folding is qt_fold() with whitespace runs collapsed and trimmed: a name broken over a line
 * or written with a no-break space is the same name. A name too long for the buffer is keyed
 * by its first QT_NAME_FOLD_MAX folded bytes; both sides cut it at the same place, since
 * folding a folded name gives it back.
 */
#include "link/qt_link.h"

#include "core/qt_core.h"

#define QT_NAME_FOLD_MAX 1024

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

uint32_t qt_name_key(const char *name, size_t len, unsigned *words)
{
    char buf[QT_NAME_FOLD_MAX];
    size_t n = qt_fold(name, len, buf, sizeof buf), o = 0;
    unsigned w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (is_space(c)) {
            if (o > 0 && buf[o - 1] != ' ')
                buf[o++] = ' ';
            continue;
        }
        if (o == 0 || buf[o - 1] == ' ')
            w++;
        buf[o++] = (char)c;
    }
    if (o > 0 && buf[o - 1] == ' ')
        o--;
    if (words)
        *words = w;
    return (uint32_t)qt_hash64(buf, o);
}
