/*
 * minhash_rate.c - how fast quotetrail turns raw text into MinHash signatures (bench/link).
 *
 * Reads JSONL ({"text": ...} per line) with the library's reader, tokenizes each text as the
 * analysis does (qt_text_scan: one pass, word hashes included) and signs it as the analysis
 * does (qt_minhash_text: every word and number, split into runs of letters and digits by
 * qt_fp_words, 5-word shingles, 96 one-permutation bins keeping the order of their minima, and
 * the distinct shingle count), nothing else. Prints one JSON object: articles, bytes of text,
 * seconds of CPU time for tokenizing + signing (reading and JSON decoding not counted, as for
 * the peer).
 *
 * With --pairs FILE, the library's own banding proposes candidates as `quotetrail dups` does
 * (QT_LSH_BANDS bands of QT_LSH_ROWS positions, qt_minhash_band(), buckets formed in memory one
 * band at a time, at most QT_DUP_BUCKET_MAX articles paired per bucket, a text under five words
 * left out), each distinct candidate is compared once by qt_minhash_compare(), and a pair whose
 * similarity estimate is >= --min goes to FILE as "i<TAB>j<TAB>estimate<TAB>counted". The
 * counted column is the exact Jaccard similarity of the two texts' shingle sets
 * (qt_shingle_set, the set the signature summarises) for a candidate whose estimate lies within
 * QT_DUP_CHECK_BAND of --min -- what `dups` counts from the stored texts -- and "-" for the
 * others; such a candidate is written whatever its estimate, so that the caller can score both
 * "estimates only" and "counted near --min". Candidate forming + comparing and counting are
 * timed apart (pairs_cpu_seconds, count_cpu_seconds).
 *
 * usage: minhash_rate INPUT.jsonl [--min 0.8] [--pairs FILE]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quotetrail.h"
#include "core/qt_core.h"
#include "link/qt_link.h"
#include "text/qt_text.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct entry {
    uint32_t key, doc;
} entry;

typedef struct cand {
    uint32_t x, y;
} cand;

static int by_key(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static int by_pair(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->x != y->x)
        return x->x < y->x ? -1 : 1;
    return (x->y > y->y) - (x->y < y->y);
}

typedef struct doc_text {
    char *p;
    size_t n;
} doc_text;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "minhash_rate: out of memory\n");
        exit(2);
    }
    return q;
}

/* The exact shingle set of a text, as the library counts it in `dups`. */
static void shingle_set(qt_text *t, const doc_text *d, qt_vec *set)
{
    if (qt_text_scan(t, d->p, d->n) != QT_OK || qt_shingle_set(t, set) != QT_OK) {
        fprintf(stderr, "minhash_rate: out of memory\n");
        exit(2);
    }
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
    doc_text *texts = NULL;
    double cpu = 0;
    qt_input in;
    qt_status rc;
    while ((rc = qt_reader_next(r, &in, &err)) != QT_DONE) {
        if (rc != QT_OK)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            sigs = xrealloc(sigs, cap * sizeof *sigs);
            texts = xrealloc(texts, cap * sizeof *texts);
        }
        double t0 = cpu_now();
        if (qt_text_scan(&t, in.text, in.text_len) != QT_OK)
            return 2;
        qt_minhash_text(&t, &sigs[n]);
        cpu += cpu_now() - t0;
        texts[n] = (doc_text){NULL, in.text_len};
        if (pairs_path) {   /* kept for counting near --min; not timed */
            texts[n].p = xrealloc(NULL, in.text_len + 1);
            memcpy(texts[n].p, in.text, in.text_len);
            texts[n].p[in.text_len] = '\0';
        }
        bytes += in.text_len;
        n++;
    }
    qt_reader_free(r);
    size_t ncand = 0, nest = 0, ncounted = 0;
    double cpu_pairs = 0, cpu_count = 0;
    if (pairs_path) {
        FILE *f = fopen(pairs_path, "w");
        entry *e = xrealloc(NULL, (n ? n : 1) * sizeof *e);
        size_t cc = 0, ccap = 1024;
        cand *c = xrealloc(NULL, ccap * sizeof *c);
        if (!f)
            return 2;
        double t0 = cpu_now();
        for (uint32_t band = 0; band < QT_LSH_BANDS; band++) {
            size_t m = 0;
            for (size_t d = 0; d < n; d++)
                if (sigs[d].shingles)   /* under five words: nothing to compare, as in dups */
                    e[m++] = (entry){qt_minhash_band(&sigs[d], band), (uint32_t)d};
            qsort(e, m, sizeof *e, by_key);
            for (size_t i = 0; i < m;) {
                size_t j = i;
                while (j < m && e[j].key == e[i].key)
                    j++;
                /* dups keeps QT_DUP_BUCKET_MAX members of a bucket over the cap (by content
                 * hash); here the first ones by input order (no bucket comes near it) */
                size_t end = j - i > QT_DUP_BUCKET_MAX ? i + QT_DUP_BUCKET_MAX : j;
                for (size_t x = i; x < end; x++)
                    for (size_t y = x + 1; y < end; y++) {
                        if (cc == ccap)
                            c = xrealloc(c, (ccap *= 2) * sizeof *c);
                        c[cc++] = (cand){e[x].doc, e[y].doc};
                    }
                i = j;
            }
        }
        qsort(c, cc, sizeof *c, by_pair);
        size_t m = 0;
        for (size_t i = 0; i < cc; i++)
            if (m == 0 || c[i].x != c[m - 1].x || c[i].y != c[m - 1].y)
                c[m++] = c[i];
        ncand = m;
        /* compare each candidate once; note those near --min for counting below */
        double *est = xrealloc(NULL, (m ? m : 1) * sizeof *est);
        for (size_t i = 0; i < m; i++) {
            qt_minhash_est s;
            qt_minhash_compare(&sigs[c[i].x], &sigs[c[i].y], &s);
            est[i] = s.similarity;
            nest += s.similarity >= min;
        }
        cpu_pairs = cpu_now() - t0;
        qt_vec a = QT_VEC_INIT(uint64_t), b = QT_VEC_INIT(uint64_t);
        for (size_t i = 0; i < m; i++) {
            int near = fabs(est[i] - min) < QT_DUP_CHECK_BAND;
            if (!near) {
                if (est[i] >= min)
                    fprintf(f, "%u\t%u\t%.4f\t-\n", c[i].x, c[i].y, est[i]);
                continue;
            }
            double t1 = cpu_now();
            shingle_set(&t, &texts[c[i].x], &a);
            shingle_set(&t, &texts[c[i].y], &b);
            size_t sh = qt_shingle_shared(&a, &b), un = a.n + b.n - sh;
            double exact = un ? (double)sh / un : 0.0;
            cpu_count += cpu_now() - t1;
            ncounted++;
            fprintf(f, "%u\t%u\t%.4f\t%.4f\n", c[i].x, c[i].y, est[i], exact);
        }
        qt_vec_release(&a);
        qt_vec_release(&b);
        fclose(f);
        free(est);
        free(c);
        free(e);
    }
    qt_text_release(&t);
    printf("{\"articles\": %zu, \"bytes\": %zu, \"cpu_seconds\": %.4f, \"bands\": %d, "
           "\"rows\": %d, \"candidates\": %zu, \"pairs_estimated\": %zu, \"counted\": %zu, "
           "\"pairs_cpu_seconds\": %.4f, \"count_cpu_seconds\": %.4f}\n",
           n, bytes, cpu, QT_LSH_BANDS, QT_LSH_ROWS, ncand, nest, ncounted, cpu_pairs,
           cpu_count);
    for (size_t i = 0; i < n; i++)
        free(texts[i].p);
    free(texts);
    free(sigs);
    return 0;
}
