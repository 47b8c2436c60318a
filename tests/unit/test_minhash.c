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

/* Pairs at Jaccard 0.85 share a band key almost always; pairs at about 0.2 rarely. */
static void bands_find_near_duplicates(void **state)
{
    (void)state;
    uint64_t w[N + 1200];
    int near = 0, far = 0, trials = 60;
    for (int t = 0; t < trials; t++) {
        for (size_t i = 0; i < N + 1200; i++)
            w[i] = next_word();
        qt_minhash a, b, c;
        sign(w, N, &a);
        sign(w + 160, N, &b);      /* J = (1996-160)/(1996+160) = 0.85 */
        sign(w + 1300 - 100, N, &c);  /* J about 0.2 against a */
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
    if (near < trials * 9 / 10 || far > trials / 5)
        fail_msg("band hits: %d/%d at J=0.85, %d/%d at J~0.2", near, trials, far, trials);
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

/* ---- quote keys -------------------------------------------------------------------------------- */

static size_t key_of(const char *s, uint32_t out[QT_QKEY_MAX])
{
    qt_text t = {0};
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
        cmocka_unit_test(quote_keys_survive_edits),
    };
    return cmocka_run_group_tests_name("minhash", tests, NULL, NULL);
}
