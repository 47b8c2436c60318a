/*
 * cmd_people.c - `quotetrail people`: the people named across the stored articles, with the
 * names they went by and how often they were quoted.
 *
 * The store keeps each article's people apart; qt_db_each_person() groups them by folded name
 * (Renée = Renee = RENEE) and lists the most quoted first. NAME may be any name or alias an
 * article used, as for `quotes --speaker`. Output is a table, or with --json one object per
 * person per line. The database is opened read-only, so this can run during an ingest. Nobody
 * matching is exit 1 with nothing on stdout.
 */
#include <jansson.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] = "quotetrail people [--db FILE] [NAME] [--json]";

static const char help[] =
    "usage: quotetrail people [--db FILE] [NAME] [--json]\n"
    "\n"
    "List the people named in the articles stored by 'quotetrail ingest': each with the names\n"
    "the articles used for them, how many quotes were attributed to them and in how many\n"
    "articles they appear. The most quoted come first.\n"
    "\n"
    "A person is everyone called by the same name in any article, accents and case aside\n"
    "(\"Renée Moreau\" = \"Renee Moreau\"), plus those known in an article only by a shorter\n"
    "name, such as a surname, that exactly one other person had among their aliases.\n"
    "\n"
    "NAME lists only the people it matches: every word of NAME a word of their name (\"reyes\",\n"
    "\"Imogen Reyes\"), or NAME exactly one of their aliases (\"the presenter\"). Accents and case\n"
    "never matter. Several words without quote marks are taken as one NAME.\n"
    "\n"
    "Options:\n"
    "  --db FILE    the database to read (default ./" DEFAULT_DB ")\n"
    "  --json       one JSON object per person per line instead of a table:\n"
    "               {\"name\", \"aliases\", \"articles\", \"quotes\", \"mentions\"}\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 people listed, 1 nobody matched, 2 usage error or no database.\n"
    "\n"
    "Examples:\n"
    "  quotetrail ingest examples/ && quotetrail people\n"
    "  quotetrail people brannock\n"
    "  quotetrail people --json | jq -r 'select(.quotes > 0) | \"\\(.quotes)\\t\\(.name)\"'\n";

/* What the row printers share with cmd_people(). */

/* ---- table ------------------------------------------------------------------------------------ */

enum { NAME_W = 28, ALIASES_W = 60 };

static int print_row(void *ctx, const qt_person_row *p)
{
    cli_listing *pr = ctx;
    char buf[512];
    if (pr->n++ == 0)
        printf("%-*s %6s %8s  %s\n", NAME_W, "NAME", "QUOTES", "ARTICLES", "ALIASES");
    cli_cell(p->name, NAME_W);
    printf("%6zu %8zu  ", p->n_quotes, p->n_articles);
    /* The aliases as one line, cut at the column's width: the most used come first. */
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_aliases && o < sizeof buf - 1; i++) {
        int n = snprintf(buf + o, sizeof buf - o, "%s%s", i ? ", " : "", p->aliases[i]);
        if (n < 0)
            break;
        o += (size_t)n < sizeof buf - o ? (size_t)n : sizeof buf - 1 - o;
    }
    char clip[512];
    puts(p->n_aliases ? cli_clip(buf, ALIASES_W, clip, sizeof clip) : "-");
    pr->failed = ferror(stdout) != 0;
    return pr->failed;
}

/* ---- JSON ------------------------------------------------------------------------------------- */

/* Returns 0 to go on, 1 to stop the listing (stdout failed or out of memory). */
static int print_json(void *ctx, const qt_person_row *p)
{
    cli_listing *pr = ctx;
    json_t *o = json_object(), *aliases = json_array();
    int bad = !o || !aliases;
    for (size_t i = 0; !bad && i < p->n_aliases; i++) {
        json_t *a = cli_jstr(p->aliases[i]);
        bad = !a || json_array_append_new(aliases, a) != 0;
    }
    bad = bad || cli_jput(o, "name", cli_jstr(p->name)) ||
          json_object_set(o, "aliases", aliases) != 0 ||
          cli_jput(o, "articles", json_integer((json_int_t)p->n_articles)) ||
          cli_jput(o, "quotes", json_integer((json_int_t)p->n_quotes)) ||
          cli_jput(o, "mentions", json_integer((json_int_t)p->n_mentions));
    bad = bad || json_dumpf(o, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF;
    json_decref(aliases);
    json_decref(o);
    if (bad) {
        if (!ferror(stdout))
            cli_error("cannot format person '%s' as JSON: out of memory", p->name);
        pr->failed = 1;
        return 1;
    }
    pr->n++;
    return 0;
}

/* ---- command ---------------------------------------------------------------------------------- */

int cmd_people(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    int json = 0, only_names = 0;
    char name[1024];
    size_t name_len = 0;
    name[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_names) {
            if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                fputs(help, stdout);
                return cli_finish(QT_EXIT_OK);
            }
            if (!strcmp(a, "--json")) {
                json = 1;
                continue;
            }
            if (!strcmp(a, "--")) {
                only_names = 1;
                continue;
            }
            int m = cli_opt_value(argc, argv, &i, "--db", &db_path);
            if (m < 0)
                return cli_usage_error("people", usage, "option '--db' needs a value");
            if (m)
                continue;
            if (a[0] == '-' && a[1] != '\0')
                return cli_usage_error("people", usage, "unknown option '%s'", a);
        }
        /* `people niall brannock` is the name "niall brannock". */
        size_t len = strlen(a);
        if (name_len + (name_len > 0) + len >= sizeof name)
            return cli_usage_error("people", usage, "NAME is longer than %zu bytes",
                                   sizeof name - 1);
        if (name_len > 0)
            name[name_len++] = ' ';
        memcpy(name + name_len, a, len + 1);
        name_len += len;
    }

    qt_db *db = NULL;
    qt_err err = {0};
    if (qt_db_open(&db, db_path, 1, &err) != QT_OK) {
        cli_error("%s", err.msg);
        return cli_finish(QT_EXIT_USAGE);
    }
    size_t n_found = 0;
    cli_listing pr = {0};
    qt_status rc = qt_db_each_person(db, name_len ? name : NULL, json ? print_json : print_row,
                                     &pr, &n_found, &err);
    char none[sizeof name + 32];
    if (name_len)
        snprintf(none, sizeof none, "no people match '%s'", name);
    else
        snprintf(none, sizeof none, "the database holds no people");
    int status = cli_listing_status(rc, &err, &pr, n_found, json, none, "person", "people");
    qt_db_close(db);
    return cli_finish(status);
}
