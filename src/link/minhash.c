/*
 * minhash.c - MinHash signatures of word shingles (qt_link.h's contract).
 *
 * Design notes.
 *  (1) One-permutation hashing: each shingle is hashed once; the hash's high bits choose one of
 *      K bins and its low bits compete for that bin's minimum. This costs one hash per shingle
 *      instead of K, which is what makes signatures run at memory speed. Bins that no shingle
 *      reached (short texts) borrow the next filled bin's minimum, changed by how far they
 *      borrowed (rotation densification, Shrivastava 2017), so two texts agree on an empty bin
 *      only as often as on a filled one.
 *  (2) A shingle's hash comes from its words' hashes, which the tokenizer already computed
 *      (lowercased, apostrophes unified): no text is read twice.
 *  (3) A stored value keeps the ORDER of the bin minima, not only their equality: which of
 *      two texts holds a bin's least shingle says which one has shingles the other lacks, and
 *      that is what a containment estimate needs (qt_minhash_compare()). The 32-bit minimum
 *      is written as a 15-bit float (5-bit exponent, 10-bit mantissa, inverted so that a
 *      smaller minimum reads larger): two different minima read equal only when within 0.1%
 *      of each other. Pure integer arithmetic, so shards made on any machine compare equal.
 *      A bin that borrowed its value (densification) sets bit 15 and holds 15 bits of a mix
 *      of what it borrowed: it serves the LSH bands, and tells compare() only that the text
 *      has no shingle there.
 *  (4) qt_minhash_compare() is the maximum-likelihood estimate of the shared shingle count s
 *      from the bins (see there); the bare share of equal positions, qt_minhash_similarity(),
 *      ignores both the order and the set sizes and has about 1.4 times its error at s ~ 0.8.
 */
#include "link/qt_link.h"

#include "core/qt_core.h"
#include "text/qt_text.h"

#include <stdlib.h>

#include <math.h>
#include <string.h>


#define EMPTY UINT64_MAX

void qt_minhash_init(qt_minhash_builder *b)
{
    memset(b->win, 0, sizeof b->win);
    b->roll = 0;
    for (size_t i = 0; i < QT_MINHASH_K; i++)
        b->mins[i] = EMPTY;
    b->seen = 0;
    b->shingles = 0;
    memset(b->distinct, 0, sizeof b->distinct);
}

/* The rolling base and its QT_SHINGLE-th power: a shingle's hash is the polynomial of its
 * words' mixed hashes, updated in O(1) as the window slides (Rabin-Karp, modulo 2^64). */
#define BASE 0x100000001B3ull
#define POW_K (BASE * BASE * BASE * BASE * BASE)   /* BASE^QT_SHINGLE (unsigned: wraps) */
_Static_assert(QT_SHINGLE == 5, "POW_K is BASE to the power QT_SHINGLE");

/* Slide the window over one more word; returns 1 with *h the hash of the shingle it now
 * holds, 0 while fewer than QT_SHINGLE words have been seen. */
static inline int shingle_next(uint64_t win[QT_SHINGLE], uint64_t *roll, size_t *seen,
                               uint64_t word_hash, uint64_t *h)
{
    size_t slot = *seen % QT_SHINGLE;
    uint64_t w = qt_mix64(word_hash);
    *roll = *roll * BASE + w - (*seen >= QT_SHINGLE ? win[slot] * POW_K : 0);
    win[slot] = w;
    ++*seen;
    if (*seen < QT_SHINGLE)
        return 0;
    *h = qt_mix64(*roll);
    return 1;
}

void qt_minhash_word(qt_minhash_builder *b, uint64_t word_hash)
{
    uint64_t h;
    if (!shingle_next(b->win, &b->roll, &b->seen, word_hash, &h))
        return;
    size_t bin = (size_t)(((h >> 32) * QT_MINHASH_K) >> 32);
    uint64_t v = h & 0xFFFFFFFFull;
    if (v < b->mins[bin])
        b->mins[bin] = v;
    b->shingles++;
    size_t bit = (size_t)(h >> 48) & (QT_DISTINCT_BITS - 1);   /* bits the bin and v left */
    b->distinct[bit / 64] |= 1ull << (bit % 64);
}

/* (3): the 15-bit order-keeping code of a 32-bit bin minimum; a larger code is a smaller v. */
static uint16_t order_code(uint64_t v)
{
    uint64_t y = (v ? v : 1) << 20;               /* top bit at 20..51 */
    int p = 63 - __builtin_clzll(y);
    unsigned e = (unsigned)(51 - p);              /* 0..31: more for a smaller minimum */
    unsigned mant = (unsigned)(y >> (p - 10)) & 0x3FFu;
    return (uint16_t)(e << 10 | (0x3FFu - mant));
}

/* Linear counting (Whang et al. 1990): n = -m ln(share of zero bits), never more than were
 * counted with repeats; when every bit is set, those. */
static uint32_t distinct_count(const qt_minhash_builder *b)
{
    size_t ones = 0;
    for (size_t i = 0; i < QT_DISTINCT_BITS / 64; i++)
        ones += (size_t)__builtin_popcountll(b->distinct[i]);
    if (ones >= QT_DISTINCT_BITS)
        return b->shingles;
    double n = -(double)QT_DISTINCT_BITS * log1p(-(double)ones / QT_DISTINCT_BITS);
    uint32_t r = (uint32_t)(n + 0.5);
    if (r < ones)   /* rounding: at least one shingle per bit set */
        r = (uint32_t)ones;
    return r < b->shingles ? r : b->shingles;
}

void qt_minhash_finish(qt_minhash_builder *b, qt_minhash *out)
{
    out->shingles = b->shingles ? distinct_count(b) : 0;
    if (!b->shingles) {
        memset(out->v, 0, sizeof out->v);
        return;
    }
    for (size_t i = 0; i < QT_MINHASH_K; i++) {
        uint64_t v = b->mins[i];
        if (v != EMPTY) {
            out->v[i] = order_code(v);
            continue;
        }
        size_t d = 0;
        while (v == EMPTY) {            /* some bin is filled: shingles > 0 */
            d++;
            v = b->mins[(i + d) % QT_MINHASH_K];
        }
        out->v[i] = (uint16_t)(QT_MINHASH_BORROWED | qt_mix64(v + 0x51ED27ull * d) >> 49);
    }
}

double qt_minhash_similarity(const qt_minhash *a, const qt_minhash *b)
{
    if (!a->shingles || !b->shingles)
        return 0.0;
    size_t eq = 0;
    for (size_t i = 0; i < QT_MINHASH_K; i++)
        eq += a->v[i] == b->v[i];
    return (double)eq / QT_MINHASH_K;
}

double qt_minhash_containment(const qt_minhash *a, const qt_minhash *b)
{
    qt_minhash_est e;
    qt_minhash_compare(a, b, &e);
    return e.contained[0];
}

/* Bin counts of a pair (4), over the bins some shingle of either text reached: where the least
 * shingle of the two texts together lies. Shared (equal minima), only a's (a's minimum the
 * smaller, or b's bin empty), only b's. A bin empty in both says nothing. */
typedef struct bins { unsigned eq, lt, gt; } bins;

/* Log-likelihood of s shared shingles given sizes na, nb: in each bin reached, the least
 * shingle of the union is shared with probability s/u, only a's with (na-s)/u, only b's with
 * (nb-s)/u (u = na + nb - s). */
static double loglik(const bins *c, double na, double nb, double s)
{
    double u = na + nb - s, t[3] = {0, 0, 0};
    const double p[3] = {s / u, (na - s) / u, (nb - s) / u};
    const unsigned n[3] = {c->eq, c->lt, c->gt};
    for (int i = 0; i < 3; i++) {
        if (!n[i])
            continue;
        if (p[i] <= 0.0)
            return -HUGE_VAL;
        t[i] = n[i] * log(p[i]);
    }
    /* a's and b's terms added first, together: compare(a, b) and compare(b, a) then round
     * alike, so a pair's figures do not depend on which article was stored first */
    return t[0] + (t[1] + t[2]);
}

void qt_minhash_compare(const qt_minhash *a, const qt_minhash *b, qt_minhash_est *out)
{
    *out = (qt_minhash_est){0};
    if (!a->shingles || !b->shingles)
        return;
    bins c = {0};
    size_t same = 0;
    for (size_t i = 0; i < QT_MINHASH_K; i++) {
        uint16_t x = a->v[i], y = b->v[i];
        same += x == y;
        int ex = (x & QT_MINHASH_BORROWED) != 0, ey = (y & QT_MINHASH_BORROWED) != 0;
        if (ex && ey)
            continue;
        if (ey || (!ex && x > y))   /* a's minimum is the smaller: a shingle b lacks */
            c.lt++;
        else if (ex || x < y)
            c.gt++;
        else
            c.eq++;
    }
    double na = a->shingles, nb = b->shingles, hi = na < nb ? na : nb;
    if (same == QT_MINHASH_K && a->shingles == b->shingles) {
        *out = (qt_minhash_est){1.0, {1.0, 1.0}, na};
        return;
    }
    /* The likelihood is unimodal in s on [0, min(na, nb)]: golden-section search to within
     * a millionth of the range, so that printed figures do not depend on rounding. */
    double lo = 0.0, top = hi;
    const double g = 0.6180339887498949;
    double x1 = top - g * (top - lo), x2 = lo + g * (top - lo);
    double f1 = loglik(&c, na, nb, x1), f2 = loglik(&c, na, nb, x2);
    while (top - lo > hi * 1e-6) {
        if (f1 < f2) {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (top - lo);
            f2 = loglik(&c, na, nb, x2);
        } else {
            top = x2;
            x2 = x1;
            f2 = f1;
            x1 = top - g * (top - lo);
            f1 = loglik(&c, na, nb, x1);
        }
    }
    double s = (lo + top) / 2;
    /* The maximum is often at the end: a text wholly contained in the other (no bin where
     * its minimum is the smaller) is most likely exactly contained. */
    if (loglik(&c, na, nb, hi) >= loglik(&c, na, nb, s))
        s = hi;
    if (c.eq == 0)
        s = 0.0;
    out->shared = s;
    out->similarity = s / (na + nb - s);
    out->contained[0] = s / na;
    out->contained[1] = s / nb;
}

uint32_t qt_minhash_band(const qt_minhash *m, size_t band)
{
    uint64_t h = qt_mix64(band + 1);
    for (size_t r = 0; r < QT_LSH_ROWS; r++)
        h = qt_mix64(h ^ m->v[band * QT_LSH_ROWS + r]);
    return (uint32_t)(h >> 32);
}

void qt_minhash_bands(const qt_minhash *m, uint32_t keys[QT_LSH_BANDS])
{
    for (size_t band = 0; band < QT_LSH_BANDS; band++)
        keys[band] = qt_minhash_band(m, band);
}

/* ---- the words a fingerprint reads ---------------------------------------------------------- */

/* Hash of bytes w[0..n) as the tokenizer hashes a whole word: qt_word_hash() of the bytes, or
 * of their folded form when any is non-ASCII (the tokenizer folds such words). */
static uint64_t run_hash(const char *w, size_t n, int nonascii)
{
    if (!nonascii)
        return qt_word_hash(w, n);
    char fold[256];
    size_t fl = qt_fold(w, n, fold, sizeof fold);
    return qt_word_hash(fold, fl);
}

size_t qt_fp_words(const qt_text *t, const qt_tok *tk, uint64_t out[QT_FP_RUNS])
{
    if (tk->kind != QT_TOK_WORD && tk->kind != QT_TOK_NUM)
        return 0;
    const char *p = t->p + tk->start;
    size_t n = tk->end - tk->start, k = 0, start = 0;
    if (!memchr(p, '-', n) && !memchr(p, ',', n) && !memchr(p, '.', n)) {
        out[0] = tk->hash;
        return 1;
    }
    int nonascii = (tk->flags & QT_TF_NONASCII) != 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '-' && p[i] != ',' && p[i] != '.')
            continue;
        /* the last slot takes the rest of a token of more runs, whole */
        size_t end = k == QT_FP_RUNS - 1 ? n : i;
        if (end > start)
            out[k++] = run_hash(p + start, end - start, nonascii);
        if (end == n)
            break;
        start = i + 1;
    }
    return k;
}

void qt_minhash_text(const qt_text *t, qt_minhash *out)
{
    qt_minhash_builder b;
    qt_minhash_init(&b);
    uint64_t w[QT_FP_RUNS];
    for (size_t i = 0; i < t->toks.n; i++) {
        size_t k = qt_fp_words(t, &QT_TOK(t, i), w);
        for (size_t j = 0; j < k; j++)
            qt_minhash_word(&b, w[j]);
    }
    qt_minhash_finish(&b, out);
}

/* ---- exact shingle sets ---------------------------------------------------------------------- */

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

int qt_shingle_set(const qt_text *t, qt_vec *out)
{
    out->n = 0;
    uint64_t win[QT_SHINGLE] = {0}, roll = 0, h, w[QT_FP_RUNS];
    size_t seen = 0;
    for (size_t i = 0; i < t->toks.n; i++) {
        size_t k = qt_fp_words(t, &QT_TOK(t, i), w);
        for (size_t j = 0; j < k; j++) {
            if (!shingle_next(win, &roll, &seen, w[j], &h))
                continue;
            uint64_t *slot = qt_vec_push(out);
            if (!slot)
                return QT_ENOMEM;
            *slot = h;
        }
    }
    uint64_t *a = out->items;
    if (out->n > 1)
        qsort(a, out->n, sizeof *a, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < out->n; i++)
        if (m == 0 || a[i] != a[m - 1])
            a[m++] = a[i];
    out->n = m;
    return QT_OK;
}

size_t qt_shingle_shared(const qt_vec *a, const qt_vec *b)
{
    const uint64_t *x = a->items, *y = b->items;
    size_t i = 0, j = 0, n = 0;
    while (i < a->n && j < b->n) {
        if (x[i] == y[j]) {
            n++;
            i++;
            j++;
        } else if (x[i] < y[j]) {
            i++;
        } else {
            j++;
        }
    }
    return n;
}
