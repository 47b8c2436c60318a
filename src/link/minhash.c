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
 *  (3) Stored values are 16 bits of a mix of the bin's minimum (b-bit MinHash): two different
 *      minima collide with probability 2^-16, far below the estimate's own error.
 */
#include "link/qt_link.h"

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
}

/* The rolling base and its QT_SHINGLE-th power: a shingle's hash is the polynomial of its
 * words' mixed hashes, updated in O(1) as the window slides (Rabin-Karp, modulo 2^64). */
#define BASE 0x100000001B3ull
#define POW_K (BASE * BASE * BASE * BASE * BASE)   /* BASE^QT_SHINGLE (unsigned: wraps) */
_Static_assert(QT_SHINGLE == 5, "POW_K is BASE to the power QT_SHINGLE");

void qt_minhash_word(qt_minhash_builder *b, uint64_t word_hash)
{
    size_t slot = b->seen % QT_SHINGLE;
    uint64_t w = qt_mix64(word_hash);
    b->roll = b->roll * BASE + w - (b->seen >= QT_SHINGLE ? b->win[slot] * POW_K : 0);
    b->win[slot] = w;
    b->seen++;
    if (b->seen < QT_SHINGLE)
        return;
    uint64_t h = qt_mix64(b->roll);
    size_t bin = (size_t)(((h >> 32) * QT_MINHASH_K) >> 32);
    uint64_t v = h & 0xFFFFFFFFull;
    if (v < b->mins[bin])
        b->mins[bin] = v;
    b->shingles++;
}

void qt_minhash_finish(qt_minhash_builder *b, qt_minhash *out)
{
    out->shingles = b->shingles;
    if (!b->shingles) {
        memset(out->v, 0, sizeof out->v);
        return;
    }
    for (size_t i = 0; i < QT_MINHASH_K; i++) {
        uint64_t v = b->mins[i];
        size_t d = 0;
        while (v == EMPTY) {            /* some bin is filled: shingles > 0 */
            d++;
            v = b->mins[(i + d) % QT_MINHASH_K];
        }
        out->v[i] = (uint16_t)(qt_mix64(v + 0x51ED27ull * d) >> 48);
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
    double j = qt_minhash_similarity(a, b);
    if (j <= 0.0)
        return 0.0;
    /* |A n B| = J (|A| + |B|) / (1 + J), over |A| */
    double c = j * ((double)a->shingles + (double)b->shingles) / ((1.0 + j) * a->shingles);
    return c > 1.0 ? 1.0 : c;
}

void qt_minhash_bands(const qt_minhash *m, uint32_t keys[QT_LSH_BANDS])
{
    for (size_t band = 0; band < QT_LSH_BANDS; band++) {
        uint64_t h = qt_mix64(band + 1);
        for (size_t r = 0; r < QT_LSH_ROWS; r++)
            h = qt_mix64(h ^ m->v[band * QT_LSH_ROWS + r]);
        keys[band] = (uint32_t)(h >> 32);
    }
}
