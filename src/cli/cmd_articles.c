/*
 * cmd_articles.c - `quotetrail articles`: every stored article with its title, site, byline,
 * rating and date, the one it was given or the range inferred from the collection, in date
 * order.
 *
 * The work is qt_db_each_article()'s; the dates are those qt_db_infer_dates() stored at the
 * end of the last ingest or link (src/store/dates.c), so listing reads and computes nothing
 * new, and the database is opened read-only.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] = "quotetrail articles [--db FILE] [--json]";

static const char help[] =
    "usage: quotetrail articles [--db FILE] [--json]\n"
    "\n"
    "List the articles stored by 'quotetrail ingest' or 'quotetrail link', oldest first,\n"
    "with their title, site, byline, rating and date. An article stored under several ids\n"
    "(exact copies) is listed once per id, each with its own date and its copies' ids.\n"
    "\n"
    "The date is the one the article came with (a JSONL \"published\", an HTML page's date).\n"
    "Without one, it is a range inferred from the collection, shown as ~FROM..TO (either\n"
    "end may be open) with its evidence on the line below. Strongest evidence first:\n"
    "  follows   a near-duplicate or reprint of a dated article, a quote whose earliest\n"
    "            carrier is dated, or an exact copy of a dated text: on or after that date\n"
    "  mentions  the latest calendar date the text names (\"in 2013\", \"October 13, 2015\"):\n"
    "            written on or after it\n"
    "  ages      the same person's stated age in other articles: \"Vale, 34\" in an article\n"
    "            from 2020 means born 1985-1986, so an undated article calling Vale 45 is\n"
    "            from 2030-2032\n"
    "  shares    only when nothing else bounds it: no earlier than the articles it shares\n"
    "            a quote or most of its text with (an assumption, said so)\n"
    "Bounds are intersected; one that contradicts stronger evidence is left out and the\n"
    "evidence says so. Dates are recomputed at the end of every ingest and link, from\n"
    "everything stored, so they do not depend on the order articles came in.\n"
    "Sorted by the given date or the inferred FROM (a period sorts at its start); undated\n"
    "articles last; ties by id.\n"
    "\n"
    "Options:\n"
    "  --db FILE    the database to read (default ./" DEFAULT_DB ")\n"
    "  --json       one JSON object per article per line: {\"id\", \"source\", \"url\",\n"
    "               \"title\", \"site\", \"byline\", \"rating\", \"published\",\n"
    "               \"published_inferred\": {\"from\", \"to\", \"evidence\"} or null,\n"
    "               \"copies\": [other ids of the same text]}\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 articles listed, 1 nothing stored, 2 usage error or no database.\n"
    "\n"
    "Examples:\n"
    "  quotetrail ingest wire/ && quotetrail articles\n"
    "  quotetrail articles --json | jq -r 'select(.published == null) | \"\\(.id)\\t\\"
    "(.published_inferred.from)\"'\n";

typedef struct articles_out {
    cli_listing l;
    int json;
} articles_out;

enum { DATE_W = 22, ID_W = 20, SITE_W = 16, BYLINE_W = 18, RATING_W = 6, TITLE_W = 48 };

/* "2015-10-13", "~2013..2016", "~2013..", "~..2016", "-" */
static const char *date_cell(const qt_article_row *r, char *buf, size_t cap)
{
    const qt_date_range *d = r->published_inferred;
    if (r->published)
        return r->published;
    if (!d || (!d->from && !d->to) || cap < 2)
        return "-";
    buf[0] = '~';
    cli_range_cell(d, buf + 1, cap - 1);
    return buf;
}

static int print_row(articles_out *o, const qt_article_row *r)
{
    char date[64], clip[512];
    if (o->l.n++ == 0)
        printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", DATE_W, "DATE", ID_W, "ID", SITE_W, "SITE",
               BYLINE_W, "BYLINE", RATING_W, "RATING", "TITLE");
    cli_cell(date_cell(r, date, sizeof date), DATE_W);
    putchar(' ');
    cli_cell(r->id, ID_W);
    putchar(' ');
    cli_cell(r->site ? r->site : "-", SITE_W);
    putchar(' ');
    cli_cell(r->byline ? r->byline : "-", BYLINE_W);
    putchar(' ');
    cli_cell(r->rating ? r->rating : "-", RATING_W);
    putchar(' ');
    puts(cli_clip(r->title ? r->title : "-", TITLE_W, clip, sizeof clip));
    if (r->published_inferred && r->published_inferred->evidence)
        printf("%*s  inferred: %s\n", DATE_W, "",
               cli_clip(r->published_inferred->evidence, 120, clip, sizeof clip));
    o->l.failed = ferror(stdout) != 0;
    return o->l.failed;
}

static int print_json(articles_out *o, const qt_article_row *r)
{
    const qt_date_range *d = r->published_inferred;
    json_t *j = json_object(), *inf = d ? json_object() : json_null();
    int bad = !j || !inf ||
              (d && (cli_jput(inf, "from", cli_jstr(d->from)) ||
                     cli_jput(inf, "to", cli_jstr(d->to)) ||
                     cli_jput(inf, "evidence", cli_jstr(d->evidence))));
    if (bad) {
        json_decref(inf);
        inf = NULL;
    }
    bad = bad || cli_jput(j, "id", cli_jstr(r->id)) ||
          cli_jput(j, "source", cli_jstr(r->source)) || cli_jput(j, "url", cli_jstr(r->url)) ||
          cli_jput(j, "title", cli_jstr(r->title)) || cli_jput(j, "site", cli_jstr(r->site)) ||
          cli_jput(j, "byline", cli_jstr(r->byline)) ||
          cli_jput(j, "rating", cli_jstr(r->rating)) ||
          cli_jput(j, "published", cli_jstr(r->published)) ||
          cli_jput(j, "published_inferred", inf) ||
          cli_jput(j, "copies", cli_jstrs(r->copies, r->n_copies));
    bad = bad || json_dumpf(j, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF;
    json_decref(j);
    if (bad) {
        if (!ferror(stdout))
            cli_error("cannot format article '%s' as JSON: out of memory", r->id);
        o->l.failed = 1;
        return 1;
    }
    o->l.n++;
    return 0;
}

static int print_article(void *ctx, const qt_article_row *r)
{
    articles_out *o = ctx;
    return o->json ? print_json(o, r) : print_row(o, r);
}

int cmd_articles(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int q = cli_query_opt(argc, argv, &i, "articles", usage, help, &db_path, &json);
        if (q < 0)
            return -q - 1;
        if (q)
            continue;
        if (a[0] == '-' && a[1] != '\0')
            return cli_usage_error("articles", usage, "unknown option '%s'", a);
        return cli_usage_error("articles", usage, "unexpected argument '%s'", a);
    }

    qt_db *db = NULL;
    qt_err err = {0};
    if (qt_db_open(&db, db_path, 1, &err) != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(QT_EXIT_USAGE);
    }
    articles_out o = {.json = json};
    size_t n_found = 0;
    qt_status rc = qt_db_each_article(db, print_article, &o, &n_found, &err);
    qt_db_close(db);
    return cli_finish(cli_listing_status(rc, &err, &o.l, n_found, json, "no articles stored",
                                         "article", "articles"));
}
