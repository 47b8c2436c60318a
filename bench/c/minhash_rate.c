/*
 * minhash_rate.c - how fast quotetrail turns raw text into MinHash signatures (bench/link).
 *
 * Reads JSONL ({"text": ...} per line) with the library's reader, tokenizes each text as the
 * analysis does (qt_text_scan: one pass, word hashes included) and builds its signature
 * (src/link), nothing else. Prints one JSON object: articles, bytes of text, seconds of CPU
 * time for tokenizing + signing (reading and JSON decoding not counted, as for the peer), and
 * with --pairs FILE the signatures' LSH candidate pairs verified at --min, one per line.
 *
 * usage: minhash_rate INPUT.jsonl [--min 0.8] [--pairs FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quotetrail.h"
#include "link/qt_link.h"
#include "text/qt_text.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct entry {
    uint32_t key, band, doc;
} entry;

static int by_key(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->band != y->band)
        return x->band < y->band ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

int main(int argc, char **argv)
{
    const char *input = NULL, *pairs_path = NULL;
    double min = 0.8;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--min") && i + 1 < argc)
            min = atof(argv[++i]);
        else if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
            pairs_path = argv[++i];
        else
            input = argv[i];
    }
    if (!input) {
        fprintf(stderr, "usage: minhash_rate INPUT.jsonl [--min 0.8] [--pairs FILE]\n");
        return 2;
    }
    qt_reader *r;
    qt_err err = {0};
    if (qt_reader_open(&r, &input, 1, &err) != QT_OK) {
        fprintf(stderr, "minhash_rate: %s\n", err.msg);
        return 2;
    }
    qt_text t = {0};
    t.toks = (qt_vec)QT_VEC_INIT(qt_tok);
    t.paras = (qt_vec)QT_VEC_INIT(qt_para);
    size_t n = 0, cap = 0, bytes = 0;
    qt_minhash *sigs = NULL;
    double cpu = 0;
    qt_input in;
    qt_status rc;
    while ((rc = qt_reader_next(r, &in, &err)) != QT_DONE) {
        if (rc != QT_OK)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            sigs = realloc(sigs, cap * sizeof *sigs);
            if (!sigs)
                return 2;
        }
        double t0 = cpu_now();
        if (qt_text_scan(&t, in.text, in.text_len) != QT_OK)
            return 2;
        qt_minhash_builder b;
        qt_minhash_init(&b);
        for (size_t k = 0; k < t.toks.n; k++) {
            const qt_tok *tk = &QT_TOK(&t, k);
            if (tk->kind == QT_TOK_WORD)
                qt_minhash_word(&b, tk->hash);
        }
        qt_minhash_finish(&b, &sigs[n]);
        cpu += cpu_now() - t0;
        bytes += in.text_len;
        n++;
    }
    qt_reader_free(r);
    qt_text_release(&t);
    size_t npairs = 0;
    double cpu_pairs = 0;
    if (pairs_path) {
        FILE *f = fopen(pairs_path, "w");
        entry *e = malloc(n * QT_LSH_BANDS * sizeof *e);
        if (!f || !e)
            return 2;
        double t0 = cpu_now();
        for (size_t d = 0; d < n; d++) {
            uint32_t keys[QT_LSH_BANDS];
            qt_minhash_bands(&sigs[d], keys);
            for (uint32_t bnd = 0; bnd < QT_LSH_BANDS; bnd++)
                e[d * QT_LSH_BANDS + bnd] = (entry){keys[bnd], bnd, (uint32_t)d};
        }
        qsort(e, n * QT_LSH_BANDS, sizeof *e, by_key);
        /* candidate pairs of each bucket, verified; a pair found in several bands is written
         * once per band here and de-duplicated by the caller */
        for (size_t i = 0; i < n * QT_LSH_BANDS;) {
            size_t j = i;
            while (j < n * QT_LSH_BANDS && e[j].band == e[i].band && e[j].key == e[i].key)
                j++;
            for (size_t x = i; x < j && j - i <= 64; x++)
                for (size_t y = x + 1; y < j; y++) {
                    double s = qt_minhash_similarity(&sigs[e[x].doc], &sigs[e[y].doc]);
                    if (s >= min) {
                        fprintf(f, "%u\t%u\t%.4f\n", e[x].doc, e[y].doc, s);
                        npairs++;
                    }
                }
            i = j;
        }
        cpu_pairs = cpu_now() - t0;
        fclose(f);
        free(e);
    }
    printf("{\"articles\": %zu, \"bytes\": %zu, \"cpu_seconds\": %.4f, \"pair_rows\": %zu, "
           "\"pairs_cpu_seconds\": %.4f}\n", n, bytes, cpu, npairs, cpu_pairs);
    free(sigs);
    return 0;
}
