/*
 * test_minhash.c - MinHash signatures (src/link): the estimate tracks the true Jaccard
 * similarity of the shingle sets, LSH bands find near-duplicates and not strangers, and the
 * edge cases (identical, too short, contained) come out as the contract says.
 *
 * Texts here are streams of word hashes drawn from a seeded generator, so every shingle is
 * distinct and the true Jaccard similarity of two streams is known by construction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include <string.h>

#include "core/qt_core.h"
#include "link/qt_link.h"
#include "text/qt_text.h"

static uint64_t rng = 88172645463325252ull;
static uint64_t next_word(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void sign(const uint64_t *words, size_t n, qt_minhash *out)
{
    qt_minhash_builder b;
    qt_minhash_init(&b);
    for (size_t i = 0; i < n; i++)
        qt_minhash_word(&b, words[i]);
    qt_minhash_finish(&b, out);
}

#define N 2000

static void identical_texts_are_one(void **state)
{
    (void)state;
    uint64_t *w = malloc(N * sizeof *w);
    assert_non_null(w);
    for (size_t i = 0; i < N; i++)
        w[i] = next_word();
    qt_minhash a, b;
    sign(w, N, &a);
    sign(w, N, &b);
    assert_true(qt_minhash_similarity(&a, &b) == 1.0);
    assert_int_equal(a.shingles, N - QT_SHINGLE + 1);
    free(w);
}

/* B is A shifted by k words: they share N-k-4 of N-4 shingles each. */
static void estimate_tracks_jaccard(void **state)
{
    (void)state;
    uint64_t *w = malloc((N + 800) * sizeof *w);
    assert_non_null(w);
    for (size_t i = 0; i < N + 800; i++)
        w[i] = next_word();
    size_t shifts[] = {0, 50, 150, 300, 600, 800};
    for (size_t s = 0; s < sizeof shifts / sizeof *shifts; s++) {
        size_t k = shifts[s];
        qt_minhash a, b;
        sign(w, N, &a);
        sign(w + k, N, &b);
        double m = N - QT_SHINGLE + 1;
        double truth = (m - (double)k) / (m + (double)k);
        double est = qt_minhash_similarity(&a, &b);
        if (fabs(est - truth) > 0.15)
            fail_msg("shift %zu: Jaccard %.3f, estimate %.3f", k, truth, est);
    }
    free(w);
}

/* Pairs at Jaccard 0.85 share a band key almost always; pairs at about 0.05 rarely (the curve
 * 1 - (1 - s^2)^48 of qt_link.h: 0.11). */
static void bands_find_near_duplicates(void **state)
{
    (void)state;
    uint64_t w[N + 1900];
    int near = 0, far = 0, trials = 60;
    for (int t = 0; t < trials; t++) {
        for (size_t i = 0; i < N + 1900; i++)
            w[i] = next_word();
        qt_minhash a, b, c;
        sign(w, N, &a);
        sign(w + 160, N, &b);      /* J = (1996-160)/(1996+160) = 0.85 */
        sign(w + 1806, N, &c);     /* J = 190/3802 = 0.05 against a */
        uint32_t ka[QT_LSH_BANDS], kb[QT_LSH_BANDS], kc[QT_LSH_BANDS];
        qt_minhash_bands(&a, ka);
        qt_minhash_bands(&b, kb);
        qt_minhash_bands(&c, kc);
        int hit_b = 0, hit_c = 0;
        for (size_t i = 0; i < QT_LSH_BANDS; i++) {
            hit_b |= ka[i] == kb[i];
            hit_c |= ka[i] == kc[i];
        }
        near += hit_b;
        far += hit_c;
    }
    if (near < trials * 9 / 10 || far > trials / 4)
        fail_msg("band hits: %d/%d at J=0.85, %d/%d at J~0.05", near, trials, far, trials);
}

static void short_text_has_no_shingles(void **state)
{
    (void)state;
    uint64_t w[4] = {1, 2, 3, 4};
    qt_minhash a, b;
    sign(w, 4, &a);
    sign(w, 4, &b);
    assert_int_equal(a.shingles, 0);
    assert_true(qt_minhash_similarity(&a, &b) == 0.0);
}

/* A reprint of the second half of B under nothing new is contained in B. */
static void containment_of_a_part(void **state)
{
    (void)state;
    uint64_t *w = malloc(N * sizeof *w);
    assert_non_null(w);
    for (size_t i = 0; i < N; i++)
        w[i] = next_word();
    qt_minhash whole, part;
    sign(w, N, &whole);
    sign(w + N / 2, N / 2, &part);
    double c = qt_minhash_containment(&part, &whole);
    double j = qt_minhash_similarity(&part, &whole);
    if (c < 0.8 || j > 0.65)
        fail_msg("containment %.3f (want ~1), Jaccard %.3f (want ~0.5)", c, j);
    free(w);
}

/* The maximum-likelihood estimate reads order as well as equality: over many pairs its
 * containment error is well under the share-of-equal-positions estimate's, and a wholly
 * contained text a fifth the size of its container reads as contained. */
static void compare_beats_equal_positions(void **state)
{
    (void)state;
    enum { W = 3000 };
    uint64_t *w = malloc(W * sizeof *w);
    assert_non_null(w);
    double err_mle = 0, err_eq = 0;
    int trials = 40;
    for (int t = 0; t < trials; t++) {
        for (size_t i = 0; i < W; i++)
            w[i] = next_word();
        /* a: words [0, 1000); b: words [150, 2150): a shares 846 of its 996 shingles */
        qt_minhash a, b;
        sign(w, 1000, &a);
        sign(w + 150, 2000, &b);
        double truth = 846.0 / 996.0;
        qt_minhash_est e;
        qt_minhash_compare(&a, &b, &e);
        double j = qt_minhash_similarity(&a, &b);
        double c_eq = j * (a.shingles + b.shingles) / ((1 + j) * a.shingles);
        err_mle += (e.contained[0] - truth) * (e.contained[0] - truth);
        err_eq += (c_eq - truth) * (c_eq - truth);
        assert_true(e.similarity > 0 && e.similarity < 1);
        assert_true(fabs(e.shared / a.shingles - e.contained[0]) < 1e-9);
    }
    if (!(err_mle < err_eq))
        fail_msg("squared error: compare %.4f, equal positions %.4f", err_mle, err_eq);
    for (size_t i = 0; i < W; i++)
        w[i] = next_word();
    qt_minhash part, whole;
    sign(w + 1000, 600, &part);
    sign(w, W, &whole);
    qt_minhash_est e;
    qt_minhash_compare(&part, &whole, &e);
    if (e.contained[0] < 0.95 || e.contained[1] > 0.3)
        fail_msg("a fifth contained: %.3f of the part, %.3f of the whole", e.contained[0],
                 e.contained[1]);
    free(w);
}

/* A fingerprint's words are runs of letters and digits: hyphens and digit-group marks split
 * what the tokenizer keeps whole; apostrophes stay inside. */
static void fingerprint_words_split_runs(void **state)
{
    (void)state;
    static const char text[] = "A well-known don't 1,000.5 Caf\xc3\xa9-Bar";
    qt_text t = QT_TEXT_INIT;
    assert_int_equal(qt_text_scan(&t, text, sizeof text - 1), QT_OK);
    uint64_t out[QT_FP_RUNS], all[16];
    size_t n = 0;
    for (size_t i = 0; i < t.toks.n; i++) {
        size_t k = qt_fp_words(&t, &QT_TOK(&t, i), out);
        for (size_t j = 0; j < k && n < 16; j++)
            all[n++] = out[j];
    }
    assert_int_equal(n, 9);
    assert_true(all[0] == qt_word_hash("a", 1));
    assert_true(all[1] == qt_word_hash("well", 4));
    assert_true(all[2] == qt_word_hash("known", 5));
    assert_true(all[3] == qt_word_hash("don't", 5));
    assert_true(all[4] == qt_word_hash("1", 1));
    assert_true(all[5] == qt_word_hash("000", 3));
    assert_true(all[6] == qt_word_hash("5", 1));
    assert_true(all[7] == qt_word_hash("cafe", 4));   /* folded, as the tokenizer folds */
    assert_true(all[8] == qt_word_hash("bar", 3));
    qt_text_release(&t);
}

/* ---- quote keys -------------------------------------------------------------------------------- */

static size_t key_of(const char *s, uint32_t out[QT_QKEY_MAX])
{
    qt_text t = QT_TEXT_INIT;
    t.toks = (qt_vec)QT_VEC_INIT(qt_tok);
    t.paras = (qt_vec)QT_VEC_INIT(qt_para);
    assert_int_equal(qt_text_scan(&t, s, strlen(s)), QT_OK);
    size_t n = qt_quote_key(&t, 0, t.toks.n, out);
    qt_text_release(&t);
    return n;
}

static size_t shared(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t k = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            k += a[i] == b[j];
    return k;
}

static void quote_keys_survive_edits(void **state)
{
    (void)state;
    uint32_t full[QT_QKEY_MAX], frag[QT_QKEY_MAX], acc[QT_QKEY_MAX], plain[QT_QKEY_MAX];
    uint32_t brk[QT_QKEY_MAX], other[QT_QKEY_MAX];
    size_t nf = key_of("The pier has served this town for a century. It will serve it for "
                       "another if we let it, and I intend to make sure we do.", full);
    size_t ng = key_of("It will serve it for another if we let it", frag);
    assert_int_equal(nf, QT_QKEY_MAX);          /* 22 words: a bottom-k sample */
    assert_true(shared(frag, ng, full, nf) >= 2);   /* a fragment keeps shingles */
    /* accents folded, case ignored */
    size_t na = key_of("Khloé never wanted the cameras at the wedding", acc);
    size_t np = key_of("KHLOE never wanted the cameras at the wedding", plain);
    assert_int_equal(na, np);
    assert_memory_equal(acc, plain, na * sizeof *acc);
    /* an editor's bracketed word is not the speaker's: the rest still matches */
    size_t nb = key_of("I told [him] to take the ferry home tonight", brk);
    size_t no = key_of("I told to take the ferry home tonight", other);
    assert_int_equal(nb, no);
    assert_memory_equal(brk, other, nb * sizeof *brk);
    /* an ellipsis is a cut: no shingle reaches across it */
    uint32_t cut[QT_QKEY_MAX], joined[QT_QKEY_MAX];
    size_t nc = key_of("we will stay here … and we will fight on", cut);
    size_t nj = key_of("we will stay here and we will fight on", joined);
    assert_true(nc < nj);
    /* unrelated quotes share nothing */
    uint32_t u[QT_QKEY_MAX];
    size_t nu = key_of("Fares will rise in May because fuel costs keep climbing", u);
    assert_int_equal(shared(u, nu, full, nf), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identical_texts_are_one),
        cmocka_unit_test(estimate_tracks_jaccard),
        cmocka_unit_test(bands_find_near_duplicates),
        cmocka_unit_test(short_text_has_no_shingles),
        cmocka_unit_test(containment_of_a_part),
        cmocka_unit_test(compare_beats_equal_positions),
        cmocka_unit_test(fingerprint_words_split_runs),
        cmocka_unit_test(quote_keys_survive_edits),
    };
    return cmocka_run_group_tests_name("minhash", tests, NULL, NULL);
}
