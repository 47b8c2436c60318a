/*
 * cmd_quotes.c - `quotetrail quotes`: list stored quotes, filtered by speaker, venue or words.
 *
 * The database is opened read-only, so quotes can run while an ingest is writing (WAL). Output
 * is a table, or with --json one object per quote per line (the quote fields of DESIGN.md's
 * record, plus the article it came from). Nothing matching is exit 1 with nothing on stdout.
 */
#include <jansson.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] =
    "quotetrail quotes [--db FILE] [--speaker NAME] [--venue V] [--search WORDS] [--json]";

static const char help[] =
    "usage: quotetrail quotes [--db FILE] [--speaker NAME] [--venue V] [--search WORDS] [--json]\n"
    "\n"
    "List the quotes stored by 'quotetrail ingest', in article then text order. Filters combine:\n"
    "a quote is listed when it matches all of them. Accents and case never matter.\n"
    "\n"
    "Options:\n"
    "  --db FILE         the database to read (default ./" DEFAULT_DB ")\n"
    "  --speaker NAME    quotes by this person: full name, surname, or any alias the articles\n"
    "                    used (\"reyes\", \"Imogen Reyes\", \"the presenter\")\n"
    "  --venue V         quotes given to this outlet or show (a part of its name is enough)\n"
    "  --search WORDS    quotes containing all these words (full-text search)\n"
    "  --json            one JSON object per quote per line instead of a table\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 quotes listed, 1 nothing matched, 2 usage error or no database.\n"
    "\n"
    "Examples:\n"
    "  quotetrail ingest examples/ && quotetrail quotes --speaker brannock --venue lantern\n"
    "  quotetrail quotes --search 'best friend' --json | jq -r '.speaker + \": \" + .text'\n";

/* ---- table ------------------------------------------------------------------------------------ */

/* What the row printers share with cmd_quotes(). */
typedef struct printed {
    size_t n;       /* rows printed */
    int failed;     /* a row could not be printed: stdout failed, or out of memory */
} printed;

static int print_row(void *ctx, const qt_quote_row *q)
{
    printed *pr = ctx;
    char buf[512];
    if (pr->n++ == 0)
        printf("%-24s %-22s %-8s %-62s %s\n", "SPEAKER", "TO (VENUE)", "KIND", "QUOTE", "SOURCE");
    cli_cell(q->speaker ? q->speaker : q->speaker_mention ? q->speaker_mention : "?", 24);
    cli_cell(q->venue ? q->venue : "-", 22);
    cli_cell(q->kind ? q->kind : "?", 8);
    /* the clip is 60 columns inside the two quote marks */
    cli_clip(q->text, 60, buf, sizeof buf);
    printf("\u201c%s\u201d%*s %s\n", buf, (int)(60 - cli_columns(buf)), "",
           q->source ? q->source : "-");
    pr->failed = ferror(stdout) != 0;
    return pr->failed;
}

/* ---- JSON ------------------------------------------------------------------------------------- */

/* Set key to value, taking ownership of value; returns 0, or -1 when value is NULL (out of
 * memory) or cannot be set. */
static int put(json_t *obj, const char *key, json_t *value)
{
    return value ? json_object_set_new(obj, key, value) : -1;
}

/* Returns 0 to go on, 1 to stop the query (stdout failed or out of memory). */
static int print_json(void *ctx, const qt_quote_row *q)
{
    printed *pr = ctx;
    json_t *o = json_object(), *art = json_object();
    int bad = !o || !art;
    bad = bad || put(art, "id", cli_jstr(q->article_id)) ||
          put(art, "hash", cli_jstr(q->article_hash)) || put(art, "source", cli_jstr(q->source)) ||
          put(art, "title", cli_jstr(q->title)) || put(art, "published", cli_jstr(q->published));
    bad = bad || put(o, "id", cli_jstr(q->id)) || put(o, "text", cli_jstr(q->text)) ||
          put(o, "start", json_integer(q->start)) || put(o, "end", json_integer(q->end)) ||
          put(o, "in", json_string(q->in_title ? "title" : "text")) ||
          put(o, "kind", cli_jstr(q->kind)) || put(o, "parent", cli_jstr(q->parent)) ||
          put(o, "speaker", cli_jstr(q->speaker)) ||
          put(o, "speaker_kind", cli_jstr(q->speaker_kind)) ||
          put(o, "speaker_mention", cli_jstr(q->speaker_mention)) ||
          put(o, "cue", cli_jstr(q->cue)) || put(o, "venue", cli_jstr(q->venue)) ||
          put(o, "confidence", json_real(q->confidence));
    if (!bad) {
        bad = json_object_set(o, "article", art) ||
              json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(3)) != 0 ||
              putchar('\n') == EOF;
    }
    json_decref(art);
    json_decref(o);
    if (bad) {
        if (!ferror(stdout))
            cli_error("cannot format quote '%s' as JSON: out of memory", q->id ? q->id : "?");
        pr->failed = 1;
        return 1;
    }
    pr->n++;
    return 0;
}

/* ---- command ---------------------------------------------------------------------------------- */

int cmd_quotes(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    qt_quote_filter f = {0};
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *names[] = {"--db", "--speaker", "--venue", "--search"};
        const char **dests[] = {&db_path, &f.speaker, &f.venue, &f.search};
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return cli_finish(QT_EXIT_OK);
        }
        if (!strcmp(a, "--json")) {
            json = 1;
            continue;
        }
        int m = 0;
        for (size_t k = 0; k < sizeof names / sizeof *names && !m; k++) {
            m = cli_opt_value(argc, argv, &i, names[k], dests[k]);
            if (m < 0)
                return cli_usage_error("quotes", usage, "option '%s' needs a value", names[k]);
        }
        if (m)
            continue;
        if (a[0] == '-' && a[1] != '\0')
            return cli_usage_error("quotes", usage, "unknown option '%s'", a);
        return cli_usage_error("quotes", usage,
                               "unexpected argument '%s' (to search quote text, use --search)", a);
    }

    qt_db *db = NULL;
    qt_err err = {0};
    if (qt_db_open(&db, db_path, 1, &err) != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(QT_EXIT_USAGE);
    }
    size_t n_found = 0;
    printed pr = {0};
    qt_status rc = qt_db_each_quote(db, &f, json ? print_json : print_row, &pr, &n_found, &err);
    int status = QT_EXIT_OK;
    if (rc != QT_OK) {
        cli_error("%s", err.msg);
        status = pr.n > 0 ? QT_EXIT_PARTIAL : QT_EXIT_USAGE;
    } else if (pr.failed) {
        status = QT_EXIT_PARTIAL;   /* cli_finish() reports a failed stdout */
    } else if (n_found == 0) {
        fprintf(stderr, "quotetrail: no quotes match%s\n",
                f.speaker || f.venue || f.search ? "" : " (the database holds no quotes)");
        status = QT_EXIT_NONE;
    } else if (!json && !pr.failed) {
        fprintf(stderr, "%zu quote%s\n", pr.n, pr.n == 1 ? "" : "s");
    }
    qt_db_close(db);
    return cli_finish(status);
}
