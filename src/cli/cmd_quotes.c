/*
 * cmd_quotes.c - `quotetrail quotes`: list stored quotes, filtered by speaker, venue or words.
 *
 * The database is opened read-only, so quotes can run while an ingest is writing (WAL). Output
 * is a table, or with --json one object per quote per line (the quote fields of DESIGN.md's
 * record, plus the article it came from). Nothing matching is exit 1 with nothing on stdout.
 * The venue shown is the collection's name for it (qt_quote_row.venue); the JSON adds the name
 * the quote's own article gave ("venue_as_written") and the collection's "venue_key".
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
    "  --venue V         quotes given to this outlet or show: a part of any name the stored\n"
    "                    articles use for it, a short form (\"Quay\") counting as the long\n"
    "                    name other articles showed it stands for (\"Quay Weekly\")\n"
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


static int print_row(void *ctx, const qt_quote_row *q)
{
    cli_listing *pr = ctx;
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

/* Returns 0 to go on, 1 to stop the query (stdout failed or out of memory). */
static int print_json(void *ctx, const qt_quote_row *q)
{
    cli_listing *pr = ctx;
    json_t *o = json_object(), *art = json_object();
    int bad = !o || !art;
    bad = bad || cli_jput(art, "id", cli_jstr(q->article_id)) ||
          cli_jput(art, "hash", cli_jstr(q->article_hash)) || cli_jput(art, "source", cli_jstr(q->source)) ||
          cli_jput(art, "title", cli_jstr(q->title)) || cli_jput(art, "published", cli_jstr(q->published));
    bad = bad || cli_jput(o, "id", cli_jstr(q->id)) || cli_jput(o, "text", cli_jstr(q->text)) ||
          cli_jput(o, "start", json_integer(q->start)) || cli_jput(o, "end", json_integer(q->end)) ||
          cli_jput(o, "in", json_string(q->in_title ? "title" : "text")) ||
          cli_jput(o, "kind", cli_jstr(q->kind)) || cli_jput(o, "parent", cli_jstr(q->parent)) ||
          cli_jput(o, "speaker", cli_jstr(q->speaker)) ||
          cli_jput(o, "speaker_kind", cli_jstr(q->speaker_kind)) ||
          cli_jput(o, "speaker_mention", cli_jstr(q->speaker_mention)) ||
          cli_jput(o, "cue", cli_jstr(q->cue)) || cli_jput(o, "venue", cli_jstr(q->venue)) ||
          cli_jput(o, "venue_as_written", cli_jstr(q->venue_as_written)) ||
          cli_jput(o, "venue_key", cli_jstr(q->venue_key)) ||
          cli_jput(o, "confidence", json_real(q->confidence));
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
    cli_listing pr = {0};
    qt_status rc = qt_db_each_quote(db, &f, json ? print_json : print_row, &pr, &n_found, &err);
    int status = cli_listing_status(rc, &err, &pr, n_found, json,
                                    f.speaker || f.venue || f.search
                                        ? "no quotes match"
                                        : "no quotes match (the database holds no quotes)",
                                    "quote", "quotes");
    qt_db_close(db);
    return cli_finish(status);
}
