/*
 * cli_int.h - the read-and-analyse loop shared by extract and ingest, and table printing.
 */
#ifndef QT_CLI_INT_H
#define QT_CLI_INT_H

#include "cli.h"

/* A run over inputs: reader + engine + doc, with counts for the summary. */
typedef struct cli_run {
    qt_reader *reader;
    qt_engine *engine;
    qt_doc *doc;
    size_t articles;     /* analysed */
    size_t failed;       /* inputs (files, lines, articles) that could not be read or analysed */
} cli_run;

/* Returns QT_EXIT_OK, or QT_EXIT_USAGE after printing why nothing can run. */
int cli_run_open(cli_run *r, const char *const *inputs, size_t n);
/* Next readable input, not yet analysed (ingest looks its hash up first); reports unreadable
 * inputs and read warnings on stderr and goes on. 0 at the end. */
int cli_run_read(cli_run *r, qt_input *in);
/* Next analysed article; reports unreadable inputs on stderr and goes on. 0 at the end. */
int cli_run_next(cli_run *r, const qt_article **out);
/* Print the summary and return the exit status: 0 all read, 2 nothing readable, 3 partial. */
int cli_run_close(cli_run *r);

void cli_print_article_table(const qt_article *a, int first);

#endif
