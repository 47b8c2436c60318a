/*
 * cmd_stories.c - `quotetrail stories`: the stored articles grouped into stories, by the
 * near-duplicates, quotes and people they share.
 *
 * The work is qt_db_each_story()'s (src/store/stories.c): groups made from the fingerprints
 * the store keeps, never from the texts. This file prints each story as a block of lines, or
 * with --json as one JSON object per story per line (the lines eval/stories reads). The
 * database is opened read-only, so this can run during an ingest.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] =
    "quotetrail stories [--db FILE] [--min-size N] [--by dups,quotes,people] [--json]";

static const char help[] =
    "usage: quotetrail stories [--db FILE] [--min-size N] [--by dups,quotes,people] [--json]\n"
    "\n"
    "Group the articles stored by 'quotetrail ingest' into stories: the reports, reprints\n"
    "and follow-ups of one event. Largest story first; in each, its articles in date order.\n"
    "\n"
    "Articles are grouped from what the store already keeps about them, never by reading\n"
    "the texts again:\n"
    "  dups     near-duplicates at similarity or containment 0.5 ('quotetrail dups --min\n"
    "           0.5'): copies, reprints and excerpts of one text are always one story\n"
    "  quotes   the same quote printed by both ('quotetrail clusters'); a quote printed by\n"
    "           more than 64 texts (a slogan) links nothing\n"
    "  people   names of two words or more both articles name (people, organisations and\n"
    "           places, quoted or not), each weighted by how rare it is in the collection:\n"
    "           a president named in half the articles weighs almost nothing, and a name in\n"
    "           more than 64 texts nothing at all. One shared name counts only beside a\n"
    "           shared quote; names weaken when the articles' dates are more than a week\n"
    "           apart\n"
    "Near-duplicates first make groups. Two groups then join when their quote and name links,\n"
    "summed over every pair of their articles and divided by the number of pairs, reach one\n"
    "shared quote per pair (or two fairly rare names): a story where every article prints\n"
    "the same quotes joins another that does, but one article quoting another story does\n"
    "not drag its whole story in. The result does not depend on the order articles were\n"
    "ingested in.\n"
    "\n"
    "Each story shows its title (that of its most linked article), its dates, its main\n"
    "people (named by 2 or more of its texts), its most printed quotes, why its articles\n"
    "are together (pairs of texts linked by each signal, and the merges of groups), and\n"
    "every article: each id a text arrived under, with its own date and source.\n"
    "\n"
    "Options:\n"
    "  --db FILE       the database to read (default ./" DEFAULT_DB ")\n"
    "  --min-size N    only stories of at least N articles (default 1: every article is in\n"
    "                  a story, alone if nothing links it)\n"
    "  --by LIST       the signals that may link articles, comma-separated, from dups,\n"
    "                  quotes and people (default all three)\n"
    "  --json          one JSON object per story per line instead of blocks:\n"
    "                  {\"story\": 1, \"title\", \"title_id\", \"size\" (articles),\n"
    "                  \"texts\" (distinct stored texts), \"first_published\",\n"
    "                  \"last_published\", \"articles\": [{\"id\", \"title\", \"published\",\n"
    "                  \"source\"}], \"people\": [{\"name\", \"articles\"}], \"quotes\":\n"
    "                  [{\"text\", \"articles\"}], \"joined_by\": {\"dups\", \"quotes\",\n"
    "                  \"people\", \"merges\"}}; ids are the JSONL ids, else content hashes\n"
    "  -h, --help      show this help\n"
    "\n"
    "Exit status: 0 stories listed, 1 nothing stored (or no story that large), 2 usage\n"
    "error or no database.\n"
    "\n"
    "Examples:\n"
    "  quotetrail ingest wire/ && quotetrail stories --min-size 2\n"
    "  quotetrail stories --by dups                 only copies and reprints\n"
    "  quotetrail stories --json | jq -r 'select(.size > 3) | \"\\(.size)\\t\\(.title)\"'\n";

_Static_assert(QT_STORY_NAME_MAX == 64 && QT_STORY_QUOTE_MAX == 64,
               "the help text gives the name and quote caps as 64");

typedef struct stories_out {
    cli_listing l;
    int json;
    size_t min_size;
    size_t n_skipped;
} stories_out;

/* ---- table ------------------------------------------------------------------------------------ */

enum { TITLE_W = 60, ID_W = 24, QUOTE_W = 90 };

/* The date part of a published string, for the table. */
static void print_day(const char *p)
{
    printf("%-10.10s", p ? p : "-");
}

static void print_block(stories_out *o, const qt_story *s)
{
    char clip[1024], buf[1024];
    if (o->l.n++)
        putchar('\n');
    printf("STORY %zu  %zu article%s", s->index, s->n_articles, s->n_articles == 1 ? "" : "s");
    if (s->n_texts != s->n_articles)
        printf(" (%zu text%s)", s->n_texts, s->n_texts == 1 ? "" : "s");
    if (s->first_published) {
        fputs("  ", stdout);
        print_day(s->first_published);
        if (strncmp(s->first_published, s->last_published, 10) != 0) {
            fputs(" to ", stdout);
            print_day(s->last_published);
        }
    }
    if (s->n_texts > 1)
        printf("  joined by: %zu dup, %zu quote, %zu people link%s, %zu merge%s",
               s->n_dup_links, s->n_quote_links, s->n_people_links,
               s->n_people_links == 1 ? "" : "s", s->n_merges, s->n_merges == 1 ? "" : "s");
    putchar('\n');
    snprintf(buf, sizeof buf, "\xE2\x80\x9C%s\xE2\x80\x9D", s->title ? s->title : "(no title)");
    printf("  %s\n", cli_clip(buf, TITLE_W + 40, clip, sizeof clip));
    if (s->n_people) {
        fputs("  people:", stdout);
        for (size_t i = 0; i < s->n_people; i++)
            printf("%s %s (%zu)", i ? "," : "", s->people[i].name, s->people[i].n_articles);
        putchar('\n');
    }
    for (size_t i = 0; i < s->n_quotes; i++) {
        snprintf(buf, sizeof buf, "\xE2\x80\x9C%s\xE2\x80\x9D (%zu)", s->quotes[i].text,
                 s->quotes[i].n_articles);
        printf("  quote: %s\n", cli_clip(buf, QUOTE_W, clip, sizeof clip));
    }
    for (size_t i = 0; i < s->n_articles; i++) {
        /* The caller's id, else the source path, else the hash, as `dups` labels them. */
        const qt_story_article *a = &s->articles[i];
        int own_id = strcmp(a->id, a->hash) != 0;
        fputs("    ", stdout);
        print_day(a->published);
        fputs("  ", stdout);
        cli_cell(own_id ? a->id : a->source ? a->source : a->hash, ID_W);
        snprintf(buf, sizeof buf, "\xE2\x80\x9C%s\xE2\x80\x9D%s%s",
                 a->title ? a->title : "(no title)", own_id && a->source ? "  " : "",
                 own_id && a->source ? a->source : "");
        puts(cli_clip(buf, TITLE_W, clip, sizeof clip));
    }
}

/* ---- JSON ------------------------------------------------------------------------------------- */

static json_t *story_json(const qt_story *s)
{
    json_t *j = json_object(), *arts = json_array(), *people = json_array(),
           *quotes = json_array(), *why = json_object();
    int bad = !j || !arts || !people || !quotes || !why;
    for (size_t i = 0; !bad && i < s->n_articles; i++) {
        const qt_story_article *a = &s->articles[i];
        json_t *x = json_object();
        bad = !x || cli_jput(x, "id", cli_jstr(a->id)) ||
              cli_jput(x, "title", cli_jstr(a->title)) ||
              cli_jput(x, "published", cli_jstr(a->published)) ||
              cli_jput(x, "source", cli_jstr(a->source)) || json_array_append_new(arts, x);
    }
    for (size_t i = 0; !bad && i < s->n_people; i++) {
        json_t *x = json_object();
        bad = !x || cli_jput(x, "name", cli_jstr(s->people[i].name)) ||
              cli_jput(x, "articles", json_integer((json_int_t)s->people[i].n_articles)) ||
              json_array_append_new(people, x);
    }
    for (size_t i = 0; !bad && i < s->n_quotes; i++) {
        json_t *x = json_object();
        bad = !x || cli_jput(x, "text", cli_jstr(s->quotes[i].text)) ||
              cli_jput(x, "articles", json_integer((json_int_t)s->quotes[i].n_articles)) ||
              json_array_append_new(quotes, x);
    }
    bad = bad || cli_jput(why, "dups", json_integer((json_int_t)s->n_dup_links)) ||
          cli_jput(why, "quotes", json_integer((json_int_t)s->n_quote_links)) ||
          cli_jput(why, "people", json_integer((json_int_t)s->n_people_links)) ||
          cli_jput(why, "merges", json_integer((json_int_t)s->n_merges));
    bad = bad || cli_jput(j, "story", json_integer((json_int_t)s->index)) ||
          cli_jput(j, "title", cli_jstr(s->title)) ||
          cli_jput(j, "title_id", cli_jstr(s->title_id)) ||
          cli_jput(j, "size", json_integer((json_int_t)s->n_articles)) ||
          cli_jput(j, "texts", json_integer((json_int_t)s->n_texts)) ||
          cli_jput(j, "first_published", cli_jstr(s->first_published)) ||
          cli_jput(j, "last_published", cli_jstr(s->last_published)) ||
          json_object_set(j, "articles", arts) || json_object_set(j, "people", people) ||
          json_object_set(j, "quotes", quotes) || json_object_set(j, "joined_by", why);
    json_decref(arts);
    json_decref(people);
    json_decref(quotes);
    json_decref(why);
    if (bad) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static int print_story(void *ctx, const qt_story *s)
{
    stories_out *o = ctx;
    if (s->n_articles < o->min_size) {
        o->n_skipped++;
        return 0;
    }
    if (!o->json) {
        print_block(o, s);
        o->l.failed = ferror(stdout) != 0;
        return o->l.failed;
    }
    json_t *j = story_json(s);
    int bad = !j || json_dumpf(j, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF;
    json_decref(j);
    if (bad) {
        if (!ferror(stdout))
            cli_error("cannot format story %zu as JSON: out of memory", s->index);
        o->l.failed = 1;
        return 1;
    }
    o->l.n++;
    return 0;
}

/* ---- command ---------------------------------------------------------------------------------- */

/* LIST for --by: names from dups, quotes, people. Returns the mask, or 0 when LIST is bad. */
static int parse_by(const char *s)
{
    int by = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 4 && !strncmp(s, "dups", 4))
            by |= QT_STORY_BY_DUPS;
        else if (n == 6 && !strncmp(s, "quotes", 6))
            by |= QT_STORY_BY_QUOTES;
        else if (n == 6 && !strncmp(s, "people", 6))
            by |= QT_STORY_BY_PEOPLE;
        else
            return 0;
        s += n;
        if (*s == ',' && *++s == '\0')
            return 0;
    }
    return by;
}

int cmd_stories(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB, *val = NULL;
    int json = 0, by = QT_STORY_BY_ALL;
    size_t min_size = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int q = cli_query_opt(argc, argv, &i, "stories", usage, help, &db_path, &json);
        if (q < 0)
            return -q - 1;
        if (q)
            continue;
        int m = cli_opt_value(argc, argv, &i, "--min-size", &val);
        if (m < 0)
            return cli_usage_error("stories", usage, "option '--min-size' needs a value");
        if (m) {
            char *end = NULL;
            long v = strtol(val, &end, 10);
            if (end == val || *end != '\0' || v < 1)
                return cli_usage_error("stories", usage,
                                       "'--min-size %s': give a whole number of articles, 1 or "
                                       "more", val);
            min_size = (size_t)v;
            continue;
        }
        m = cli_opt_value(argc, argv, &i, "--by", &val);
        if (m < 0)
            return cli_usage_error("stories", usage, "option '--by' needs a value");
        if (m) {
            if (!(by = parse_by(val)))
                return cli_usage_error("stories", usage,
                                       "'--by %s': give signals from dups, quotes and people, "
                                       "comma-separated", val);
            continue;
        }
        if (a[0] == '-' && a[1] != '\0')
            return cli_usage_error("stories", usage, "unknown option '%s'", a);
        return cli_usage_error("stories", usage, "unexpected argument '%s'", a);
    }

    qt_db *db = NULL;
    qt_err err = {0};
    if (qt_db_open(&db, db_path, 1, &err) != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(QT_EXIT_USAGE);
    }
    stories_out o = {.json = json, .min_size = min_size};
    qt_story_stats st = {0};
    qt_status rc = qt_db_each_story(db, by, print_story, &o, &st, &err);
    qt_db_close(db);
    if (rc != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(o.l.n ? QT_EXIT_PARTIAL : QT_EXIT_USAGE);
    }
    if (o.l.failed)
        return cli_finish(QT_EXIT_PARTIAL);
    if (st.n_texts == 0) {
        fputs("quotetrail: no stored articles to group\n", stderr);
        return cli_finish(QT_EXIT_NONE);
    }
    if (o.l.n == 0) {
        fprintf(stderr, "quotetrail: no story of %zu or more articles among %zu stories\n",
                min_size, st.n_stories);
        return cli_finish(QT_EXIT_NONE);
    }
    if (st.n_common_names || st.n_common_quotes)
        cli_warn("%zu name%s in more than %d texts and %zu quote%s printed by more than %d "
                 "linked nothing", st.n_common_names, st.n_common_names == 1 ? "" : "s",
                 QT_STORY_NAME_MAX, st.n_common_quotes, st.n_common_quotes == 1 ? "" : "s",
                 QT_STORY_QUOTE_MAX);
    if (!json)
        fprintf(stderr, "%zu stor%s of %zu article%s (%zu text%s; the largest %zu)%s\n",
                st.n_stories, st.n_stories == 1 ? "y" : "ies", st.n_ids,
                st.n_ids == 1 ? "" : "s", st.n_texts, st.n_texts == 1 ? "" : "s", st.n_largest,
                o.n_skipped ? ", smaller ones not shown" : "");
    return cli_finish(QT_EXIT_OK);
}
