/*
 * run.c - the read-analyse loop (batched, on threads) and the readable table.
 */
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"

/* A batch holds at most BATCH_PER_THREAD articles per thread and BATCH_BYTES of text (but always
 * at least one article), so that a run's memory does not depend on its length. */
#define BATCH_PER_THREAD 32
#define BATCH_BYTES ((size_t)1 << 20)
/* An article this big has its doc freed once analysed, see cli_run_batch(). */
#define BIG_ARTICLE ((size_t)1 << 20)

/* Hand freed memory back to the system. glibc keeps the top of its heaps after a big free, and
 * raises its mmap threshold after freeing mapped blocks, so without this a run's resident size
 * is the high-water mark of every huge article it met, not of the largest one. */
static void give_back(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

int cli_run_open(cli_run *r, const char *const *inputs, size_t n, int threads)
{
    qt_err err = {0};
    memset(r, 0, sizeof *r);
    if (threads < 1) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (int)(cores > 256 ? 256 : cores) : 1;
    }
    r->threads = threads;
    r->fingerprints = 1;
    r->cap_jobs = (size_t)threads * BATCH_PER_THREAD;
    if (threads == 1)
        r->cap_jobs = 1;    /* one at a time: output streams as soon as an article is done */
    r->jobs = calloc(r->cap_jobs, sizeof *r->jobs);
    if (!r->jobs || qt_engine_new(&r->engine, &err) != QT_OK) {
        cli_error("%s", r->jobs ? err.msg : "out of memory");
        free(r->jobs);
        return QT_EXIT_USAGE;
    }
    if (qt_reader_open(&r->reader, inputs, n, &err) != QT_OK) {
        cli_error("%s", err.msg);
        qt_engine_free(r->engine);
        free(r->jobs);
        return QT_EXIT_USAGE;
    }
    qt_reader_set_limits(r->reader, cli_limits());
    qt_engine_set_limits(r->engine, cli_limits());
    return QT_EXIT_OK;
}

int cli_input_copy(const qt_input *in, qt_input *out, char **buf, size_t *cap, const char ***warn,
                   size_t *warn_cap)
{
    const char *src[] = {in->source, in->id, in->title, in->url, in->published, in->site,
                         in->byline};
    const char **dst[] = {&out->source, &out->id, &out->title, &out->url, &out->published,
                          &out->site, &out->byline};
    size_t n = sizeof src / sizeof *src, total = in->text_len + 1;
    for (size_t i = 0; i < n; i++)
        total += src[i] ? strlen(src[i]) + 1 : 0;
    for (size_t i = 0; i < in->n_warnings; i++)
        total += strlen(in->warnings[i]) + 1;
    if (total > *cap) {
        char *p = realloc(*buf, total);
        if (!p)
            return -1;
        *buf = p;
        *cap = total;
    }
    if (in->n_warnings > *warn_cap) {
        const char **w = realloc(*warn, in->n_warnings * sizeof *w);
        if (!w)
            return -1;
        *warn = w;
        *warn_cap = in->n_warnings;
    }
    *out = *in;
    char *p = *buf;
    if (in->text_len)
        memcpy(p, in->text, in->text_len);
    p[in->text_len] = '\0';
    out->text = p;
    p += in->text_len + 1;
    for (size_t i = 0; i < n; i++) {
        if (!src[i])
            continue;
        size_t len = strlen(src[i]) + 1;
        memcpy(p, src[i], len);
        *dst[i] = p;
        p += len;
    }
    for (size_t i = 0; i < in->n_warnings; i++) {
        size_t len = strlen(in->warnings[i]) + 1;
        memcpy(p, in->warnings[i], len);
        (*warn)[i] = p;
        p += len;
    }
    out->warnings = *warn;
    return 0;
}

int cli_input_arg(int argc, char **argv, int *i, const char *cmd, const char *usage,
                  const char **inputs, size_t *n_inputs, int *threads)
{
    const char *a = argv[*i], *v = NULL;
    int m = cli_opt_value(argc, argv, i, "-j", &v);
    if (m == 0)
        m = cli_opt_value(argc, argv, i, "--jobs", &v);
    if (m != 0) {
        char *end = NULL;
        long n = m > 0 ? strtol(v, &end, 10) : -1;
        if (m < 0 || *v == '\0' || *end != '\0' || n < 0 || n > 256)
            return cli_usage_error(cmd, usage, "-j needs a number of threads, 0 to 256");
        *threads = (int)n;
    } else if (!strcmp(a, "--")) {
        while (++*i < argc)
            inputs[(*n_inputs)++] = argv[*i];
    } else if (a[0] == '-' && a[1] != '\0') {
        return cli_usage_error(cmd, usage, "unknown option '%s'", a);
    } else {
        inputs[(*n_inputs)++] = a;
    }
    return QT_EXIT_OK;
}

/* Next readable input; reports unreadable inputs and read warnings and goes on. 0 at the end. */
static int read_input(cli_run *r, qt_input *in)
{
    for (;;) {
        qt_err err = {0};
        qt_status rc = qt_reader_next(r->reader, in, &err);
        if (rc == QT_DONE)
            return 0;
        if (rc != QT_OK) {
            cli_progress_end();
            cli_error("%s", err.msg);
            r->failed++;
            if (rc == QT_ENOMEM)
                return 0;
            continue;
        }
        for (size_t i = 0; i < in->n_warnings; i++)
            cli_warn("%s", in->warnings[i]);
        return 1;
    }
}

typedef struct worker {
    cli_run *run;
    size_t n;
    atomic_size_t next;
} worker;

/* Analyse jobs until none is left; each job is taken by exactly one thread. */
static void *work(void *arg)
{
    worker *w = arg;
    const qt_engine *e = w->run->engine;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;) {
        cli_job *j = &w->run->jobs[i];
        if (j->tag > 0)
            j->rc = qt_analyze(e, j->doc, &j->in, &j->article, &j->err);
    }
    return NULL;
}

size_t cli_run_batch(cli_run *r, int (*keep)(void *ctx, const qt_input *in), void *ctx)
{
    size_t n = 0, bytes = 0;
    r->n_jobs = 0;
    /* Memory stays flat: slots that held a huge article give it back before anything more is
     * read (the reader parses a web page on this thread), else a doc keeps the largest tokens,
     * quotes and people it has seen, each from another article, and the run's resident size
     * becomes the sum of every huge input's peaks, not the largest one. */
    int freed = 0;
    for (size_t i = 0; i < r->cap_jobs; i++) {
        cli_job *j = &r->jobs[i];
        if (j->doc && (j->copy_cap > BIG_ARTICLE || j->last_len > BIG_ARTICLE)) {
            qt_doc_free(j->doc);
            j->doc = NULL;
            free(j->copy);
            j->copy = NULL;
            j->copy_cap = 0;
            freed = 1;
        }
    }
    if (freed)
        give_back();
    while (!r->stop && n < r->cap_jobs && (n == 0 || bytes < BATCH_BYTES)) {
        qt_input in;
        if (!read_input(r, &in))
            break;
        cli_job *j = &r->jobs[n];
        j->article = NULL;
        j->rc = QT_OK;
        j->tag = keep ? keep(ctx, &in) : 1;
        if (j->tag < 0) {
            r->stop = 1;
            break;
        }
        r->articles++;
        if (j->tag > 0) {
            j->last_len = in.text_len;
            if (!j->doc && !(j->doc = qt_doc_new())) {
                cli_error("out of memory");
                r->stop = 1;
                break;
            }
            qt_doc_set_fingerprints(j->doc, r->fingerprints);
            /* One job per batch (one thread): the caller is done with this article before
             * the reader is asked for the next, so the reader's buffers can be used as they
             * are. With several jobs, each needs its own copy. */
            if (r->cap_jobs == 1)
                j->in = in;
            else if (cli_input_copy(&in, &j->in, &j->copy, &j->copy_cap, &j->warn,
                                    &j->warn_cap)) {
                cli_error("'%s': out of memory", in.source);
                r->stop = 1;
                break;
            }
            bytes += in.text_len;
        }
        n++;
    }
    worker w = {r, n, 0};
    int spawned = 0;
    pthread_t tid[256];
    for (int t = 1; t < r->threads && (size_t)t < n; t++)
        if (pthread_create(&tid[spawned], NULL, work, &w) == 0)
            spawned++;
    work(&w);   /* the main thread works too, and alone when there are no others */
    for (int t = 0; t < spawned; t++)
        pthread_join(tid[t], NULL);
    for (size_t i = 0; i < n; i++) {
        cli_job *j = &r->jobs[i];
        if (j->tag > 0 && j->rc != QT_OK) {
            cli_progress_end();
            cli_error("%s", j->err.msg);
            r->failed++;
            r->articles--;
            j->article = NULL;
        } else if (j->tag > 0) {
            /* limits analysis hit (after the reader's warnings, already printed) */
            for (size_t w = j->in.n_warnings; w < j->article->n_warnings; w++)
                cli_warn("%s: %s", j->article->source, j->article->warnings[w]);
        }
    }
    r->n_jobs = n;
    unsigned long long done, total;
    qt_reader_position(r->reader, &done, &total);
    cli_progress_input(done, total);
    return n;
}

int cli_run_close(cli_run *r)
{
    int status = QT_EXIT_OK;
    if (r->failed && r->articles) {
        fprintf(stderr, "quotetrail: %zu article%s read, %zu input%s failed\n", r->articles,
                r->articles == 1 ? "" : "s", r->failed, r->failed == 1 ? "" : "s");
        status = QT_EXIT_PARTIAL;
    } else if (r->articles == 0) {
        cli_error("no readable input");
        status = QT_EXIT_USAGE;
    }
    /* WARC records that are not pages are passed over silently; a terminal is told how many. */
    size_t skipped = qt_reader_skipped(r->reader);
    if (skipped && isatty(STDERR_FILENO))
        fprintf(stderr, "quotetrail: %zu WARC record%s passed over (not HTML pages)\n", skipped,
                skipped == 1 ? "" : "s");
    cli_progress_input(0, 0);
    qt_reader_free(r->reader);
    for (size_t i = 0; i < r->cap_jobs; i++) {
        qt_doc_free(r->jobs[i].doc);
        free(r->jobs[i].copy);
        free(r->jobs[i].warn);
    }
    free(r->jobs);
    qt_engine_free(r->engine);
    return status;
}

static const char *const kind_names[] = {"direct", "partial", "nested"};

void cli_print_article_table(const qt_article *a, int first)
{
    char b1[256], b3[512];
    if (!first)
        putchar('\n');
    printf("== %s", a->source);
    if (a->title)
        printf("  \"%s\"", cli_clip(a->title, 70, b1, sizeof b1));
    putchar('\n');
    if (a->n_quotes == 0) {
        puts("   (no quotes found)");
        return;
    }
    printf("   %-24s %-22s %-8s %s\n", "SPEAKER", "TO (VENUE)", "KIND", "QUOTE");
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        const char *base = q->in_title ? a->title : a->text;
        char text[400];
        size_t len = q->end - q->start;
        if (len >= sizeof text)
            len = sizeof text - 1;
        /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): in_title needs a title */
        memcpy(text, base + q->start, len);
        text[len] = '\0';
        const char *who = q->speaker ? q->speaker : q->speaker_mention ? q->speaker_mention : "?";
        fputs("   ", stdout);
        cli_cell(who, 24);
        cli_cell(q->venue ? q->venue : "-", 22);
        cli_cell(kind_names[q->kind], 8);
        printf("\u201c%s\u201d\n", cli_clip(text, 60, b3, sizeof b3));
    }
}
