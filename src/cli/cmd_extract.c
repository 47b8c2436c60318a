/*
 * cmd_extract.c - `quotetrail extract`: per-article records, no database.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_int.h"

static const char usage[] =
    "quotetrail extract INPUT... [--json] [--with-text] [--fingerprints] [-j N] "
    "[--limit NAME=VALUE]";

static const char help[] =
    "usage: quotetrail extract INPUT... [--json] [--with-text] [--fingerprints] [-j N]\n"
    "\n"
    "Find every quotation in the articles and who said it, to whom (the venue), with which\n"
    "cue. Nothing is stored: use 'quotetrail ingest' for that.\n"
    "\n"
    CLI_INPUT_HELP
    "\n"
    "Options:\n"
    "  --json        one JSON record per article (the schema in DESIGN.md) instead of a table\n"
    "  --with-text   include each article's text in the JSON, so offsets can be checked\n"
    "  --fingerprints  include each article's \"fingerprint\" in the JSON: the MinHash\n"
    "                signature of its body and its entity keys, which cross-article linking\n"
    "                reads (`link`)\n"
    "  -j, --jobs N  analyse on N threads (default: one per core); the output is the same,\n"
    "                in input order, whatever N\n"
    CLI_LIMIT_HELP
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 all inputs read, 2 usage error or nothing readable, 3 some inputs failed.\n"
    "\n"
    "Examples:\n"
    "  quotetrail extract examples/articles\n"
    "  quotetrail extract --json examples/wire.jsonl | jq '.quotes[] | {speaker, text}'\n";

int cmd_extract(int argc, char **argv)
{
    int json = 0, with_text = 0, fingerprints = 0, threads = 0;
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t n_inputs = 0;
    if (!inputs)
        return QT_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            free(inputs);
            return cli_finish(QT_EXIT_OK);
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--with-text")) {
            with_text = 1;
        } else if (!strcmp(a, "--fingerprints")) {
            fingerprints = 1;
        } else if ((m = cli_limit_opt(argc, argv, &i, "extract", usage)) != 0) {
            if (m < 0) {
                free(inputs);
                return -m - 1;
            }
        } else if (cli_input_arg(argc, argv, &i, "extract", usage, inputs, &n_inputs,
                                 &threads) != QT_EXIT_OK) {
            free(inputs);
            return QT_EXIT_USAGE;
        }
    }
    if (n_inputs == 0) {
        free(inputs);
        return cli_usage_error("extract", usage, "no input given (use - for standard input)");
    }
    if ((with_text || fingerprints) && !json)
        cli_warn("--with-text and --fingerprints only change --json output");

    cli_run run;
    int status = cli_run_open(&run, inputs, n_inputs, threads);
    run.fingerprints = fingerprints;     /* their cost only when they are printed */
    if (status == QT_EXIT_OK) {
        size_t printed = 0;
        while (!ferror(stdout) && cli_run_batch(&run, NULL, NULL) > 0) {
            for (size_t k = 0; k < run.n_jobs; k++) {
                const qt_article *a = run.jobs[k].article;
                if (!a)
                    continue;
                if (json)
                    qt_write_json(a, (with_text ? QT_JSON_TEXT : 0) |
                                         (fingerprints ? QT_JSON_FINGERPRINTS : 0), stdout);
                else
                    cli_print_article_table(a, printed == 0);
                printed++;
            }
            cli_progress("extract", run.articles);
        }
        cli_progress_end();
        status = cli_run_close(&run);
    }
    free(inputs);
    return cli_finish(status);
}
