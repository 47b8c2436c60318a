/*
 * quotekey.c - a quote's key: the smallest hashes of its 4-word shingles (qt_link.h).
 *
 * Design notes. The words come from the tokenizer's hashes (lowercased, apostrophes unified);
 * words with non-ASCII letters are folded first ("Khloé" = "Khloe"), since outlets differ on
 * accents more than on words. Bracketed words are an editor's, not the speaker's; an ellipsis
 * marks a cut, across which no shingle may reach. Keeping the smallest hashes (a bottom-k
 * sample) makes the key of a fragment a sample of the same shingles as the full quote's.
 */
#include "link/qt_link.h"

#include <string.h>

#include "core/qt_core.h"
#include "text/qt_text.h"

static uint64_t word_of(const qt_text *t, const qt_tok *k)
{
    if (!(k->flags & QT_TF_NONASCII))
        return k->hash;
    char fold[256];
    size_t n = qt_fold(t->p + k->start, k->end - k->start, fold, sizeof fold);
    return qt_word_hash(fold, n);
}

static int is_ellipsis(const qt_text *t, const qt_tok *k)
{
    const char *p = t->p + k->start;
    size_t n = k->end - k->start;
    return (n == 3 && (memcmp(p, "\xe2\x80\xa6", 3) == 0 || memcmp(p, "...", 3) == 0));
}

/* Keep h among the QT_QKEY_MAX smallest distinct values of out[0..*n), sorted. */
static void keep_small(uint32_t *out, size_t *n, uint32_t h)
{
    size_t i = 0;
    while (i < *n && out[i] < h)
        i++;
    if (i < *n && out[i] == h)
        return;
    if (i == QT_QKEY_MAX)
        return;
    size_t last = *n < QT_QKEY_MAX ? *n : QT_QKEY_MAX - 1;
    memmove(out + i + 1, out + i, (last - i) * sizeof *out);
    out[i] = h;
    if (*n < QT_QKEY_MAX)
        (*n)++;
}

static uint32_t shingle_hash(const uint64_t *w, size_t n)
{
    uint64_t h = 0x2545F4914F6CDD1Dull;
    for (size_t i = 0; i < n; i++)
        h = qt_mix64(h ^ (w[i] + i));
    return (uint32_t)(h >> 32);
}

size_t qt_quote_key(const struct qt_text *t, size_t first, size_t end, uint32_t out[QT_QKEY_MAX])
{
    uint64_t win[QT_QKEY_WORDS];
    size_t n = 0, run = 0, words = 0, depth = 0;
    uint64_t all[QT_QKEY_WORDS];     /* a quote's first words, for one under four words */
    for (size_t i = first; i < end && i < t->toks.n; i++) {
        const qt_tok *k = &QT_TOK(t, i);
        if (k->kind == QT_TOK_PUNCT) {
            const char c = t->p[k->start];
            depth += c == '[';
            if (c == ']' && depth)
                depth--;
            if (is_ellipsis(t, k))
                run = 0;                 /* a cut: shingles start again after it */
            continue;
        }
        if (k->kind != QT_TOK_WORD && k->kind != QT_TOK_NUM)
            continue;
        if (depth)
            continue;                    /* "[him]": the editor's word */
        uint64_t w = word_of(t, k);
        if (words < QT_QKEY_WORDS)
            all[words] = w;
        words++;
        /* shift the window */
        if (run < QT_QKEY_WORDS) {
            win[run++] = w;
        } else {
            memmove(win, win + 1, (QT_QKEY_WORDS - 1) * sizeof *win);
            win[QT_QKEY_WORDS - 1] = w;
        }
        if (run == QT_QKEY_WORDS)
            keep_small(out, &n, shingle_hash(win, QT_QKEY_WORDS));
    }
    if (n == 0 && words)
        keep_small(out, &n, shingle_hash(all, words < QT_QKEY_WORDS ? words : QT_QKEY_WORDS));
    return n;
}
