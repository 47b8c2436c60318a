/*
 * cli_int.h - the read-and-analyse loop shared by extract and ingest, and table printing.
 *
 * Articles are read on the main thread (the reader is sequential), copied into jobs, analysed in
 * batches on `threads` threads, and handed back in input order, so the output of `-j 8` is
 * byte-identical to that of `-j 1`. A batch is bounded in articles and in bytes, so memory stays
 * flat however long the run.
 */
#ifndef QT_CLI_INT_H
#define QT_CLI_INT_H

#include "cli.h"

/* The input formats, as the --help of every command that reads articles explains them. */
#define CLI_INPUT_HELP                                                                          \
    "INPUT is a file, a directory (walked in sorted order) or - for standard input:\n"           \
    "  .txt         one article; its first non-empty line is the title\n"                        \
    "  .jsonl       one article per line: {\"text\": ..., \"id\", \"title\", \"url\", \"published\"}\n" \
    "  .html        a web page: its article (headline, body, date, site, author)\n"        \
    "  .warc        a web archive: one article per HTML page it holds (also .warc.gz)\n"  \
    "  .gz          any of the above, gzip-compressed\n"

/* One article of a batch. It owns a copy of its input (the reader reuses its buffers for the
 * next article) and a doc of its own (the analysed article lives there until the next batch). */
typedef struct cli_job {
    qt_input in;
    char *copy;              /* in's strings */
    size_t copy_cap;
    const char **warn;       /* in.warnings, pointing into copy */
    size_t warn_cap;
    size_t last_len;         /* text bytes of the article the doc analysed last */
    qt_doc *doc;
    const qt_article *article;   /* NULL when the article was skipped or failed */
    int tag;                 /* what keep() returned for it */
    qt_status rc;
    qt_err err;
} cli_job;

/* A run over inputs: reader, engine, jobs, and the counts for the summary. */
typedef struct cli_run {
    qt_reader *reader;
    qt_engine *engine;
    int threads;
    int fingerprints;    /* jobs' docs compute fingerprints (default 1) */
    cli_job *jobs;
    size_t n_jobs, cap_jobs;
    int stop;            /* keep() asked to stop reading */
    size_t articles;     /* read: analysed, or skipped by keep() */
    size_t failed;       /* inputs (files, lines, articles) that could not be read or analysed */
} cli_run;

/* Returns QT_EXIT_OK, or QT_EXIT_USAGE after printing why nothing can run. threads < 1 means
 * one per online core. */
int cli_run_open(cli_run *r, const char *const *inputs, size_t n, int threads);
/* Read the next batch and analyse it. keep (may be NULL) sees each input before analysis and
 * returns > 0 to analyse it (the value lands in job->tag), 0 to skip it, < 0 to stop reading.
 * Unreadable inputs and failed analyses are reported on stderr and counted. Returns the number
 * of jobs in r->jobs (skipped and failed ones have article NULL), 0 at the end. */
size_t cli_run_batch(cli_run *r, int (*keep)(void *ctx, const qt_input *in), void *ctx);
/* Print the summary, free everything, and return the exit status: 0 all read, 2 nothing
 * readable, 3 partial. */
int cli_run_close(cli_run *r);

/* Copy in's strings into *buf (grown as needed) and point *out at them. 0, or -1 out of memory. */
int cli_input_copy(const qt_input *in, qt_input *out, char **buf, size_t *cap, const char ***warn,
                   size_t *warn_cap);
/* The arguments extract and ingest share, at argv[*i]: "-j N" / "--jobs N", "--" (the rest are
 * inputs) and an input. Returns QT_EXIT_OK when taken, or QT_EXIT_USAGE after printing what is
 * wrong (an unknown option, a bad -j value). */
int cli_input_arg(int argc, char **argv, int *i, const char *cmd, const char *usage,
                  const char **inputs, size_t *n_inputs, int *threads);

void cli_print_article_table(const qt_article *a, int first);

#endif
