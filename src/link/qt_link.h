/*
 * qt_link.h - compact fingerprints of articles for cross-article linking.
 *
 * Contract. An article's MinHash signature summarises the set of its 5-word shingles (the
 * words of qt_fp_words(): every run of letters and digits of the text as given, lowercased,
 * accents folded) in QT_MINHASH_K 16-bit values that keep the order of each bin's least
 * shingle hash, plus the count of distinct shingles. qt_minhash_compare() estimates from two
 * signatures how many shingles the texts share, hence their Jaccard similarity and the share
 * of each held in the other (containment); its typical error is 0.04 at 0.8. QT_LSH_BANDS
 * band keys of QT_LSH_ROWS positions index the signature: two articles with Jaccard s share at
 * least one band key with probability 1 - (1 - s^2)^48 (1.00 at s = 0.4, 0.99 at 0.3, 0.86
 * at 0.2), so even a short text held whole in a long one (its Jaccard is their size ratio) is
 * proposed. Candidates are then verified from the signatures (src/store, "near-duplicates").
 *
 * Space: K * 2 = 192 bytes of signature and a shingle count per article; band keys are
 * computed when needed, never stored.
 * (Rows of 2: with 4 rows, 24 bands (eval/link pair F1 0.921 with the old estimator), a
 * containment pair of similarity 0.4 was proposed one time in two; with 2 it always is, for
 * some 5 times more candidates, each checked in microseconds.)
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
#define QT_LSH_ROWS 2
#define QT_MINHASH_BORROWED 0x8000u   /* bit of a value that a bin borrowed (densification) */
#define QT_LSH_BANDS (QT_MINHASH_K / QT_LSH_ROWS)

typedef struct qt_minhash {
    uint16_t v[QT_MINHASH_K];
    uint32_t shingles;        /* distinct shingles (linear counting: exact to within a shingle
                               * or two up to some thousands); 0 for a text under 5 words */
} qt_minhash;

/* Building a signature from a stream of word hashes: init, feed each word, finish. One pass,
 * no allocation; the builder's 8 KB bitmap counts distinct shingles, which containment
 * estimates divide by (a repeated paragraph must not make a text look bigger than it is). */
#define QT_DISTINCT_BITS 65536

typedef struct qt_minhash_builder {
    uint64_t win[QT_SHINGLE];
    uint64_t roll;            /* rolling hash of the words in win */
    uint64_t mins[QT_MINHASH_K];
    size_t seen;
    uint32_t shingles;        /* counted with repeats */
    uint64_t distinct[QT_DISTINCT_BITS / 64];
} qt_minhash_builder;

void qt_minhash_init(qt_minhash_builder *b);
void qt_minhash_word(qt_minhash_builder *b, uint64_t word_hash);
void qt_minhash_finish(qt_minhash_builder *b, qt_minhash *out);

/* Estimated Jaccard similarity of the two shingle sets (0 when either text had none). */
double qt_minhash_similarity(const qt_minhash *a, const qt_minhash *b);
/* Estimated containment of a in b: the share of a's shingles that b also has. */
double qt_minhash_containment(const qt_minhash *a, const qt_minhash *b);

/* The maximum-likelihood estimate, from two signatures and their shingle counts, of how many
 * shingles the texts share, and from it their Jaccard similarity and containment both ways.
 * It reads the order of the bin minima as well as their equality (minhash.c (3), (4)), so a
 * text wholly contained in another is seen as such even when it is much the smaller.
 * All zero when either text has no shingle; all one when the signatures and counts agree. */
typedef struct qt_minhash_est {
    double similarity;        /* |A n B| / |A u B| */
    double contained[2];      /* |A n B| / |A|, |A n B| / |B| */
    double shared;            /* |A n B| */
} qt_minhash_est;
void qt_minhash_compare(const qt_minhash *a, const qt_minhash *b, qt_minhash_est *out);
/* The QT_LSH_BANDS band keys of a signature; one of them. */
void qt_minhash_bands(const qt_minhash *m, uint32_t keys[QT_LSH_BANDS]);
uint32_t qt_minhash_band(const qt_minhash *m, size_t band);

/* ---- the words of a text ------------------------------------------------------------------------
 *
 * A fingerprint reads every word and number of the text, as the text is given (captions and
 * share lines included: two texts are as similar as their words), with a word taken as a run
 * of letters and digits, an apostrophe between two of them kept inside ("don't"), case and
 * accents aside: "well-known" is two words and "1,000.5" three, as eval/link counts them. */
#define QT_FP_RUNS 16

struct qt_text;
struct qt_tok;
/* The fingerprint words of one token into out, in order: its tokenizer hash when it is one run,
 * else one hash per run (the 16th run holds the rest of the token). 0 for a non-word. */
size_t qt_fp_words(const struct qt_text *t, const struct qt_tok *tk, uint64_t out[QT_FP_RUNS]);

/* The signature of a tokenized text: qt_fp_words() of every token, fed to a builder. */
void qt_minhash_text(const struct qt_text *t, qt_minhash *out);

/* The exact set of a tokenized text's shingles, the set its signature summarises: into out
 * (a qt_vec of uint64_t, reused), sorted, each once. Empty for a text under five words.
 * QT_OK or QT_ENOMEM. */
struct qt_vec;
int qt_shingle_set(const struct qt_text *t, struct qt_vec *out);
/* How many shingles two such sets share. */
size_t qt_shingle_shared(const struct qt_vec *a, const struct qt_vec *b);

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

/* The key of the words in tokens [first, end) of t into out (sorted ascending); returns how
 * many hashes (0 when the span has no word). */
size_t qt_quote_key(const struct qt_text *t, size_t first, size_t end,
                    uint32_t out[QT_QKEY_MAX]);

/* ---- entity keys ---------------------------------------------------------------------------------
 * A name's key (namekey.c): the low 32 bits of qt_hash64() of the name folded as the store folds
 * names (qt_fold(), whitespace runs collapsed to one space, trimmed). *words (may be NULL)
 * receives how many space-separated words the folded name has. */
uint32_t qt_name_key(const char *name, size_t len, unsigned *words);

#endif
