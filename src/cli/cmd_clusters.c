/*
 * cmd_clusters.c - `quotetrail clusters`: the same quote in several stored articles, reprinted
 * whole or in part, and the article that carried it first.
 *
 * The work is qt_db_each_quote_cluster()'s: quotes joined by the key hashes the store keeps
 * (migration 7), never by their texts. This file prints the clusters as a table, or with --json
 * as the JSONL file eval/link reads: one line per quote occurrence, then one per cluster with
 * its earliest carrier, fullest wording, speakers and first venue (src/store/clusters.c). The database is opened read-only. Messages go to stderr: the count and
 * the key hashes too common to join anything.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] = "quotetrail clusters [--db FILE] [--json]";

static const char help[] =
    "usage: quotetrail clusters [--db FILE] [--json]\n"
    "\n"
    "Group the quotes stored by 'quotetrail ingest' into clusters: one quote as printed in\n"
    "several articles, whole, trimmed, cut by an ellipsis or quoted in part. Each cluster\n"
    "names its earliest carrier, the article that printed the quote first.\n"
    "\n"
    "Each quote (direct or partial, in an article's body, not nested in another) is read as\n"
    "its 4-word shingles, keeping the 16 smallest hashes. Two quotes are joined when they\n"
    "share at least 2 of those hashes, or 1 when either quote is short (1 or 2 hashes:\n"
    "under six words); a cluster is everything joined, directly or through other quotes. A\n"
    "hash held by more than 200 quotes (a stock phrase) joins none of them; how many is\n"
    "reported.\n"
    "\n"
    "The earliest carrier, with the rule that chose it:\n"
    "  published     the member with the earliest 'published' date (as written, compared\n"
    "                as text: ISO 8601 sorts right), ties to the least id;\n"
    "  inferred      when no member is dated, the one whose inferred date (see\n"
    "                'quotetrail articles --help') starts earliest, ties to the one that\n"
    "                ends earliest, then the least id. An undated member also beats a dated\n"
    "                one when its inferred range ends before the earliest date starts (a\n"
    "                range that overlaps the date, or is open, does not: a date is stronger\n"
    "                evidence than an inference);\n"
    "  stored first  no member is dated or has an inferred date: the one stored first.\n"
    "A text stored under several ids (exact copies) is one article: its quotes appear once in\n"
    "the table and once per id in --json; each id keeps its copy's own date, and the\n"
    "earliest carrier is named by the id with the earliest date (ties: the least id).\n"
    "\n"
    "Each cluster also shows what its articles said about the words:\n"
    "  QUOTE        the fullest wording: the member with the most words outside\n"
    "               [brackets], ties to the fewest edits ([...] and ellipses), then the\n"
    "               earliest carrier's\n"
    "  SPEAKERS     the people the articles credited, one name each (\"Moreau\" and\n"
    "               \"Renée Moreau\" are one), after \"conflict:\" when two articles\n"
    "               name different people at the same words (\"he said\" names no one)\n"
    "  FIRST VENUE  where the words were first given: the venue credited by the earliest\n"
    "               dated member that names one; when no dated member names one, the\n"
    "               venue most members credit\n"
    "'quotetrail trace WORDS' shows one cluster's carriers and their wording.\n"
    "\n"
    "Options:\n"
    "  --db FILE    the database to read (default ./" DEFAULT_DB ")\n"
    "  --json       JSON lines instead of a table: one per quote occurrence,\n"
    "               {\"article\", \"start\", \"end\", \"cluster\", \"speaker\", \"venue\"}\n"
    "               (article is the JSONL id, start and end byte offsets of the quote in\n"
    "               its text), then one per cluster, {\"cluster\", \"earliest\", \"rule\",\n"
    "               \"size\", \"text\", \"speakers\", \"conflict\", \"venue\", \"venue_rule\",\n"
    "               \"earliest_published\", \"earliest_inferred\"}; rule is \"published\",\n"
    "               \"inferred\" or \"stored first\"; earliest_inferred is the inferred\n"
    "               carrier's {\"from\", \"to\", \"evidence\"}, else null\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 clusters listed, 1 no quote stored, 2 usage error or no database.\n"
    "\n"
    "Examples:\n"
    "  quotetrail ingest wire/ && quotetrail clusters\n"
    "  quotetrail clusters --json | jq -c 'select(.size > 1)'\n"
    "  quotetrail clusters --json | jq -c 'select(.conflict) | {cluster, speakers}'\n";

_Static_assert(QT_QKEY_HASH_MAX == 200, "the help text gives the hash cap as 200");

typedef struct clusters_out {
    cli_listing l;
    int json;
} clusters_out;

/* ---- table ------------------------------------------------------------------------------------ */

enum { CAR_W = 34, VENUE_W = 18, SPEAKER_W = 24, TEXT_W = 44 };

/* "Renée Moreau", or "conflict: Renée Moreau / Paul Girard" when outlets disagree (first, so
 * that clipping the cell keeps it). */
static const char *speakers_cell(const qt_quote_cluster *c, char *buf, size_t cap)
{
    size_t at = (size_t)snprintf(buf, cap, "%s", c->conflict ? "conflict: " : "");
    for (size_t i = 0; i < c->n_speakers && at < cap; i++)
        at += (size_t)snprintf(buf + at, cap - at, "%s%s", i ? " / " : "", c->speakers[i]);
    return c->n_speakers ? buf : "-";
}

static int print_row(clusters_out *o, const qt_quote_cluster *c)
{
    const char *pub = c->earliest_published;
    char car[512], text[1024], clip[1024], who[512];
    if (o->l.n++ == 0)
        printf("%-7s  %4s  %-*s  %-*s  %-*s  %s\n", "CLUSTER", "SIZE", CAR_W, "EARLIEST (RULE)",
               VENUE_W, "FIRST VENUE", SPEAKER_W, "SPEAKERS", "QUOTE (FULLEST WORDING)");
    char range[96];
    if (!pub && c->earliest_inferred)
        pub = cli_range_cell(c->earliest_inferred, range, sizeof range);
    snprintf(car, sizeof car, "%s (%s%s%s)", c->earliest_id, c->earliest_rule,
             pub && *pub ? " " : "", pub ? pub : "");
    snprintf(text, sizeof text, "\xE2\x80\x9C%s\xE2\x80\x9D", c->text);
    for (char *p = text; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    printf("%-7zu  %4zu  ", c->index, c->n_members);
    cli_cell(car, CAR_W);
    putchar(' ');
    cli_cell(c->venue ? c->venue : "-", VENUE_W);
    putchar(' ');
    cli_cell(speakers_cell(c, who, sizeof who), SPEAKER_W);
    putchar(' ');
    puts(cli_clip(text, TEXT_W, clip, sizeof clip));
    o->l.failed = ferror(stdout) != 0;
    return o->l.failed;
}

/* ---- JSON ------------------------------------------------------------------------------------- */

static int print_line(json_t *j)
{
    int bad = !j || json_dumpf(j, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF;
    json_decref(j);
    return bad;
}

static int print_json(clusters_out *o, const qt_quote_cluster *c)
{
    char id[32];
    snprintf(id, sizeof id, "%zu", c->index);
    int bad = 0;
    for (size_t i = 0; !bad && i < c->n_members; i++) {
        const qt_cluster_member *m = &c->members[i];
        for (size_t k = 0; !bad && k < m->n_ids; k++) {
            json_t *j = json_object();
            bad = !j || cli_jput(j, "article", cli_jstr(m->ids[k])) ||
                  cli_jput(j, "start", json_integer((json_int_t)m->start)) ||
                  cli_jput(j, "end", json_integer((json_int_t)m->end)) ||
                  cli_jput(j, "cluster", cli_jstr(id)) ||
                  cli_jput(j, "speaker", cli_jstr(m->speaker)) ||
                  cli_jput(j, "venue", cli_jstr(m->venue));
            bad = print_line(j) || bad;
        }
    }
    if (!bad) {
        json_t *j = json_object();
        bad = !j || cli_jput(j, "cluster", cli_jstr(id)) ||
              cli_jput(j, "earliest", cli_jstr(c->earliest_id)) ||
              cli_jput(j, "rule", cli_jstr(c->earliest_rule)) ||
              cli_jput(j, "size", json_integer((json_int_t)c->n_members)) ||
              cli_jput(j, "text", cli_jstr(c->text)) ||
              cli_jput(j, "speakers", cli_jstrs(c->speakers, c->n_speakers)) ||
              cli_jput(j, "conflict", json_boolean(c->conflict)) ||
              cli_jput(j, "venue", cli_jstr(c->venue)) ||
              cli_jput(j, "venue_rule", cli_jstr(c->venue_rule)) ||
              cli_jput(j, "earliest_published", cli_jstr(c->earliest_published)) ||
              cli_jput(j, "earliest_inferred", cli_jrange(c->earliest_inferred));
        bad = print_line(j) || bad;
    }
    if (bad) {
        if (!ferror(stdout))
            cli_error("cannot format cluster %s as JSON: out of memory", id);
        o->l.failed = 1;
        return 1;
    }
    o->l.n++;
    return 0;
}

static int print_cluster(void *ctx, const qt_quote_cluster *c)
{
    clusters_out *o = ctx;
    return o->json ? print_json(o, c) : print_row(o, c);
}

/* ---- command ---------------------------------------------------------------------------------- */

int cmd_clusters(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int q = cli_query_opt(argc, argv, &i, "clusters", usage, help, &db_path, &json);
        if (q < 0)
            return -q - 1;
        if (q)
            continue;
        if (a[0] == '-' && a[1] != '\0')
            return cli_usage_error("clusters", usage, "unknown option '%s'", a);
        return cli_usage_error("clusters", usage, "unexpected argument '%s'", a);
    }

    qt_db *db = NULL;
    qt_err err = {0};
    if (qt_db_open(&db, db_path, 1, &err) != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(QT_EXIT_USAGE);
    }
    clusters_out o = {.json = json};
    qt_cluster_stats st = {0};
    qt_status rc = qt_db_each_quote_cluster(db, print_cluster, &o, &st, &err);
    qt_db_close(db);
    if (rc != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(QT_EXIT_USAGE);   /* nothing printed: the query runs before fn */
    }
    if (st.n_common)
        cli_warn("%zu quote key hash%s held by more than %d quotes each (stock phrases) joined "
                 "none of them", st.n_common, st.n_common == 1 ? "" : "es", QT_QKEY_HASH_MAX);
    if (o.l.failed)
        return cli_finish(QT_EXIT_PARTIAL);
    if (st.n_quotes == 0) {
        fputs("quotetrail: no stored quotes to cluster (articles stored before quote keys were "
              "kept need 'quotetrail ingest --reprocess')\n", stderr);
        return cli_finish(QT_EXIT_NONE);
    }
    fprintf(stderr, "%zu cluster%s of %zu quote%s\n", st.n_clusters,
            st.n_clusters == 1 ? "" : "s", st.n_quotes, st.n_quotes == 1 ? "" : "s");
    return cli_finish(QT_EXIT_OK);
}
