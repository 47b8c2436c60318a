/*
 * cmd_dups.c - `quotetrail dups`: pairs of stored articles that are copies of each other, or
 * that reprint most of one another.
 *
 * The work is qt_db_each_dup_ex()'s: candidates from LSH bands over the MinHash signatures the
 * store keeps, each verified from the two signatures, and counted from the two texts when the
 * estimate is too near --min to trust. This file prints the pairs as a table, or with --json as
 * exactly one JSON object (the one eval/link reads). The database is opened read-only, so this
 * can run during an ingest. Messages go to stderr: the count, a bucket cut at
 * QT_DUP_BUCKET_MAX articles, articles stored before signatures were.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"
#define DEFAULT_MIN 0.8

static const char usage[] = "quotetrail dups [--db FILE] [--min 0.8] [--estimates-only] [--json]";

static const char help[] =
    "usage: quotetrail dups [--db FILE] [--min 0.8] [--estimates-only] [--json]\n"
    "\n"
    "List the pairs of articles stored by 'quotetrail ingest' that are near-duplicates: the\n"
    "same story syndicated, reprinted or lightly edited. Most similar first.\n"
    "\n"
    "Each article's text is read as its set of 5-word shingles, every run of five consecutive\n"
    "words, case and punctuation aside (a word is a run of letters and digits: \"well-known\"\n"
    "is two). The similarity of two articles is the Jaccard similarity of those sets (shared\n"
    "shingles over all shingles of either); A IN B is the share of A's shingles that B has.\n"
    "A pair is listed with its KIND:\n"
    "  exact        the same shingles (only case, punctuation or spacing differ), or the\n"
    "               same text under two ids: a text is stored once, but every id it came\n"
    "               under is kept and listed\n"
    "  near         similarity at least MIN (a few words changed, an ending cut, boilerplate\n"
    "               added)\n"
    "  containment  similarity under MIN, but one article holds at least MIN of the other's\n"
    "               shingles: B reprints most of A under its own intro. A is the one held\n"
    "\n"
    "How: each stored article keeps a 192-byte MinHash signature of its shingles. Its 96\n"
    "positions form 48 bands of 2, and two articles are compared when they agree on a whole\n"
    "band: a pair of similarity 0.4 is compared with probability 1.00, 0.3 with 0.99, 0.2\n"
    "with 0.86, so containment pairs of a short text in a long one are found too. Each pair\n"
    "compared is estimated from the two signatures (typical error 0.04 at 0.8); when the\n"
    "estimate lies within 0.1 of MIN, the two stored texts are read again and the shingles\n"
    "counted, so the pair is decided exactly (BY \"texts\" in the table rather than \"sigs\",\n"
    "\"counted\": true in the JSON).\n"
    "A band value shared by more than 64 articles (bodies that are only boilerplate) pairs\n"
    "64 of them, chosen by content hash; the cut is reported.\n"
    "\n"
    "Options:\n"
    "  --db FILE    the database to read (default ./" DEFAULT_DB ")\n"
    "  --min X      the least similarity (or containment) listed: above 0, at most 1\n"
    "               (default 0.8)\n"
    "  --estimates-only  never read a text: every figure is the signatures' estimate\n"
    "               (faster on a very large store; a pair near MIN may fall either side)\n"
    "  --json       one JSON object instead of a table: {\"pairs\": [{\"a\", \"b\",\n"
    "               \"similarity\", \"containment\": [A in B, B in A], \"kind\", \"counted\",\n"
    "               \"titles\", \"sources\"}], \"min\", \"articles\", \"unsigned\",\n"
    "               \"candidates\", \"counted\", \"truncated\": {\"buckets\", \"pairs\"}}; a and\n"
    "               b are the articles' ids (the JSONL id, else the content hash); printed\n"
    "               even when no pair is found\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 pairs listed, 1 no pair found, 2 usage error or no database.\n"
    "\n"
    "Examples:\n"
    "  quotetrail ingest wire/ && quotetrail dups\n"
    "  quotetrail dups --min 0.9                  only the closest copies\n"
    "  quotetrail dups --min 0.5 --estimates-only a quick look at looser reprints\n"
    "  quotetrail dups --json | jq -r '.pairs[] | select(.kind == \"containment\") | .b'\n";

_Static_assert(QT_DUP_BUCKET_MAX == 64, "the help text gives the bucket cap as 64");

typedef struct dups_out {
    cli_listing l;
    int json;
} dups_out;

/* A number as printed: three decimals, which is finer than the estimate. */
static double round3(double x) { return round(x * 1000.0) / 1000.0; }

/* ---- table ------------------------------------------------------------------------------------ */

/* 4 + 2 + 11 + 2 + 6 + 2 + 6 + 2 + 5 + 2 + 38 + 1 + 38 = 119 columns at most. BY says where
 * the figures come from: counted from the two texts, or estimated from the signatures. */
enum { ART_W = 38 };

/* "id “title”": the caller's id, else the source path, else the hash. */
static void print_article(const qt_dup_article *a, int last)
{
    char buf[1024];
    const char *label = strcmp(a->id, a->hash) != 0 ? a->id : a->source ? a->source : a->hash;
    if (a->title)
        snprintf(buf, sizeof buf, "%s \xE2\x80\x9C%s\xE2\x80\x9D", label, a->title);
    else
        snprintf(buf, sizeof buf, "%s", label);
    if (!last) {
        cli_cell(buf, ART_W);
    } else {
        char clip[1024];
        puts(cli_clip(buf, ART_W, clip, sizeof clip));
    }
}

static int print_row(dups_out *o, const qt_dup_pair *p)
{
    if (o->l.n++ == 0)
        printf("%-4s  %-11s  %6s  %6s  %-5s  %-*s %s\n", "SIM", "KIND", "A IN B", "B IN A",
               "BY", ART_W, "A", "B");
    printf("%4.2f  %-11s  %6.2f  %6.2f  %-5s  ", p->similarity, p->kind, p->containment[0],
           p->containment[1], p->counted ? "texts" : "sigs");
    print_article(&p->a, 0);
    print_article(&p->b, 1);
    o->l.failed = ferror(stdout) != 0;
    return o->l.failed;
}

/* ---- JSON ------------------------------------------------------------------------------------- */

static json_t *pair_of(const char *x, const char *y)
{
    json_t *a = json_array();
    if (a && (json_array_append_new(a, cli_jstr(x)) || json_array_append_new(a, cli_jstr(y)))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* One pair object, after "[" or ","; the object around them is printed by cmd_dups(). */
static int print_json(dups_out *o, const qt_dup_pair *p)
{
    json_t *j = json_object(), *c = json_array();
    int bad = !j || !c || json_array_append_new(c, json_real(round3(p->containment[0]))) ||
              json_array_append_new(c, json_real(round3(p->containment[1])));
    bad = bad || cli_jput(j, "a", cli_jstr(p->a.id)) || cli_jput(j, "b", cli_jstr(p->b.id)) ||
          cli_jput(j, "similarity", json_real(round3(p->similarity))) ||
          json_object_set(j, "containment", c) != 0 || cli_jput(j, "kind", cli_jstr(p->kind)) ||
          cli_jput(j, "counted", json_boolean(p->counted)) ||
          cli_jput(j, "titles", pair_of(p->a.title, p->b.title)) ||
          cli_jput(j, "sources", pair_of(p->a.source, p->b.source));
    bad = bad || fputs(o->l.n == 0 ? "{\"pairs\":[" : ",", stdout) == EOF ||
          json_dumpf(j, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6)) != 0;
    json_decref(c);
    json_decref(j);
    if (bad) {
        if (!ferror(stdout))
            cli_error("cannot format pair '%s' '%s' as JSON: out of memory", p->a.id, p->b.id);
        o->l.failed = 1;
        return 1;
    }
    o->l.n++;
    return 0;
}

static int print_pair(void *ctx, const qt_dup_pair *p)
{
    dups_out *o = ctx;
    return o->json ? print_json(o, p) : print_row(o, p);
}

/* ---- command ---------------------------------------------------------------------------------- */

/* X for --min: a number from 0 (excluded) to 1. Returns 0, or -1 when s is not one. */
static int parse_min(const char *s, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v > 0.0 && v <= 1.0))
        return -1;
    *out = v;
    return 0;
}

int cmd_dups(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB, *min_arg = NULL;
    double min = DEFAULT_MIN;
    int json = 0;
    unsigned flags = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int q = cli_query_opt(argc, argv, &i, "dups", usage, help, &db_path, &json);
        if (q < 0)
            return -q - 1;
        if (q)
            continue;
        if (strcmp(a, "--estimates-only") == 0) {
            flags |= QT_DUP_ESTIMATES_ONLY;
            continue;
        }
        int m = cli_opt_value(argc, argv, &i, "--min", &min_arg);
        if (m < 0)
            return cli_usage_error("dups", usage, "option '--min' needs a value");
        if (m) {
            if (parse_min(min_arg, &min) != 0)
                return cli_usage_error("dups", usage,
                                       "'--min %s': give a similarity above 0 and at most 1, "
                                       "such as 0.8", min_arg);
            continue;
        }
        if (a[0] == '-' && a[1] != '\0')
            return cli_usage_error("dups", usage, "unknown option '%s'", a);
        return cli_usage_error("dups", usage, "unexpected argument '%s'", a);
    }

    qt_db *db = NULL;
    qt_err err = {0};
    if (qt_db_open(&db, db_path, 1, &err) != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(QT_EXIT_USAGE);
    }
    dups_out o = {.json = json};
    qt_dup_stats st = {0};
    qt_status rc = qt_db_each_dup_ex(db, min, flags, print_pair, &o, &st, &err);
    qt_db_close(db);
    if (rc != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(QT_EXIT_USAGE);   /* nothing printed: the query runs before fn */
    }
    if (json && !o.l.failed) {
        /* The one object, also when no pair was found. */
        if ((o.l.n == 0 && fputs("{\"pairs\":[", stdout) == EOF) ||
            printf("],\"min\":%.6g,\"articles\":%zu,\"unsigned\":%zu,\"candidates\":%zu,"
                   "\"counted\":%zu,\"truncated\":{\"buckets\":%zu,\"pairs\":%zu}}\n",
                   min, st.n_articles, st.n_unsigned, st.n_candidates, st.n_counted,
                   st.n_capped, st.n_unproposed) < 0)
            o.l.failed = 1;
    }
    if (st.n_capped)
        cli_warn("%zu band value%s shared by more than %d articles each (bodies that are only "
                 "boilerplate?) paired %d of their articles: %zu pair%s not compared (counted "
                 "per band value)",
                 st.n_capped, st.n_capped == 1 ? "" : "s", QT_DUP_BUCKET_MAX, QT_DUP_BUCKET_MAX,
                 st.n_unproposed, st.n_unproposed == 1 ? "" : "s");
    if (st.n_textless)
        cli_warn("%zu pair%s near %g left to the estimate: %s stored without %s text "
                 "('quotetrail link' of a shard made without --with-text)",
                 st.n_textless, st.n_textless == 1 ? "" : "s", min,
                 st.n_textless == 1 ? "an article was" : "articles were",
                 st.n_textless == 1 ? "its" : "their");
    if (st.n_unsigned)
        cli_warn("%zu article%s stored before signatures were kept %s not compared; run "
                 "'quotetrail ingest --reprocess --db %s'",
                 st.n_unsigned, st.n_unsigned == 1 ? "" : "s",
                 st.n_unsigned == 1 ? "is" : "are", db_path);
    if (o.l.failed)
        return cli_finish(QT_EXIT_PARTIAL);
    if (st.n_pairs == 0) {
        fprintf(stderr, "quotetrail: no near-duplicate pairs at similarity %g among %zu article%s\n",
                min, st.n_articles, st.n_articles == 1 ? "" : "s");
        return cli_finish(QT_EXIT_NONE);
    }
    if (!json)
        fprintf(stderr, "%zu pair%s among %zu article%s (%zu candidate%s compared, %zu counted "
                "from their texts)\n", st.n_pairs,
                st.n_pairs == 1 ? "" : "s", st.n_articles, st.n_articles == 1 ? "" : "s",
                st.n_candidates, st.n_candidates == 1 ? "" : "s", st.n_counted);
    return cli_finish(QT_EXIT_OK);
}
