/*
 * run.c - the read-analyse loop and the readable table.
 */
#include <string.h>

#include "cli_int.h"

int cli_run_open(cli_run *r, const char *const *inputs, size_t n)
{
    qt_err err = {0};
    memset(r, 0, sizeof *r);
    if (qt_engine_new(&r->engine, &err) != QT_OK) {
        cli_error("%s", err.msg);
        return QT_EXIT_USAGE;
    }
    r->doc = qt_doc_new();
    if (!r->doc || qt_reader_open(&r->reader, inputs, n, &err) != QT_OK) {
        cli_error("%s", r->doc ? err.msg : "out of memory");
        qt_doc_free(r->doc);
        qt_engine_free(r->engine);
        return QT_EXIT_USAGE;
    }
    return QT_EXIT_OK;
}

int cli_run_read(cli_run *r, qt_input *in)
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

int cli_run_next(cli_run *r, const qt_article **out)
{
    qt_input in;
    while (cli_run_read(r, &in)) {
        qt_err err = {0};
        qt_status rc = qt_analyze(r->engine, r->doc, &in, out, &err);
        if (rc != QT_OK) {
            cli_error("%s", err.msg);
            r->failed++;
            continue;
        }
        r->articles++;
        return 1;
    }
    return 0;
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
    qt_reader_free(r->reader);
    qt_doc_free(r->doc);
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
