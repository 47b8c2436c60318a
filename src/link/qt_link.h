/*
 * qt_link.h - compact fingerprints of articles for cross-article linking.
 *
 * Contract. An article's MinHash signature summarises the set of its 5-word shingles (words
 * lowercased as the tokenizer hashes them, body text only) in QT_MINHASH_K 16-bit values, so
 * that the share of equal positions in two signatures estimates the Jaccard similarity of the
 * two shingle sets. QT_LSH_BANDS band keys of QT_LSH_ROWS positions each index the signature:
 * two articles with Jaccard s share at least one band key with probability
 * 1 - (1 - s^ROWS)^BANDS (1.00 at s = 0.8, 0.96 at s = 0.6, 0.46 at s = 0.4), which is how
 * near-duplicate candidates are found without comparing every pair.
 *
 * Space: K * 2 bytes of signature plus BANDS * 4 bytes of band keys = 288 bytes per article.
 * (Rows of 4 rather than 6: reprints under an intro of their own, similarity 0.5-0.8, are
 * proposed; every candidate is verified from the signatures anyway. eval/link: pair F1 0.877
 * with 16 x 6, 0.921 with 24 x 4, 0.926 with 32 x 3.)
 */
#ifndef QT_LINK_H
#define QT_LINK_H

#include <stddef.h>
#include <stdint.h>

/* A 64-bit finalizer (splitmix64's): spreads a hash's bits before they pick bins and minima. */
static inline uint64_t qt_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

#define QT_SHINGLE 5          /* words per shingle */
#define QT_MINHASH_K 96       /* signature positions (one-permutation hashing bins) */
#define QT_LSH_ROWS 4
#define QT_LSH_BANDS (QT_MINHASH_K / QT_LSH_ROWS)

typedef struct qt_minhash {
    uint16_t v[QT_MINHASH_K];
    uint32_t shingles;        /* distinct shingles seen (an estimate for long texts: all
                               * shingles, counted with repeats); 0 for a text under 5 words */
} qt_minhash;

/* Building a signature from a stream of word hashes (qt_tok.hash of the body's words, in
 * order): init, feed each word, finish. One pass, no allocation. */
typedef struct qt_minhash_builder {
    uint64_t win[QT_SHINGLE];
    uint64_t roll;            /* rolling hash of the words in win */
    uint64_t mins[QT_MINHASH_K];
    size_t seen;
    uint32_t shingles;
} qt_minhash_builder;

void qt_minhash_init(qt_minhash_builder *b);
void qt_minhash_word(qt_minhash_builder *b, uint64_t word_hash);
void qt_minhash_finish(qt_minhash_builder *b, qt_minhash *out);

/* Estimated Jaccard similarity of the two shingle sets (0 when either text had none). */
double qt_minhash_similarity(const qt_minhash *a, const qt_minhash *b);
/* Estimated containment of a in b: the share of a's shingles that b also has. */
double qt_minhash_containment(const qt_minhash *a, const qt_minhash *b);
/* The QT_LSH_BANDS band keys of a signature. */
void qt_minhash_bands(const qt_minhash *m, uint32_t keys[QT_LSH_BANDS]);

/* ---- quote keys ----------------------------------------------------------------------------------
 *
 * A quote's key is the set of its 4-word shingles (words as the tokenizer hashes them, accents
 * folded), kept as the QT_QKEY_MAX smallest 32-bit shingle hashes: every shingle of a quote up
 * to 19 words, a bottom-k sample of a longer one. Words in square brackets (an editor's
 * "[him]") are left out, and an ellipsis breaks the shingles, so a trimmed or bracket-edited
 * reprint keeps the shingles it did not change. Two keys sharing shingles mark the same quote
 * or a fragment of it (src/link clusters them). A quote under four words is one shingle. */
#define QT_QKEY_WORDS 4
#define QT_QKEY_MAX 16

struct qt_text;
/* The key of the words in tokens [first, end) of t into out (sorted ascending); returns how
 * many hashes (0 when the span has no word). */
size_t qt_quote_key(const struct qt_text *t, size_t first, size_t end,
                    uint32_t out[QT_QKEY_MAX]);

#endif
