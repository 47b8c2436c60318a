/*
 * cmd_people.c - `quotetrail people`: the people named across the stored articles, with the
 * names they went by and how often they were quoted.
 *
 * The store keeps each article's people apart; qt_db_each_person() groups them by folded name
 * (Renée = Renee = RENEE) and lists the most quoted first. NAME may be any name or alias an
 * article used, as for `quotes --speaker`; --kind keeps the people of one kind (a person, or an
 * organisation or outlet quoted as a speaker), a filter applied here to the listed rows. Output
 * is a table, or with --json one object per person per line. The database is opened read-only,
 * so this can run during an ingest. Nobody matching is exit 1 with nothing on stdout.
 */
#include <jansson.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] =
    "quotetrail people [--db FILE] [NAME] [--kind person|organisation] [--json]";

static const char help[] =
    "usage: quotetrail people [--db FILE] [NAME] [--kind person|organisation] [--json]\n"
    "\n"
    "List the people named in the articles stored by 'quotetrail ingest': each with the names\n"
    "the articles used for them, how many quotes were attributed to them and in how many\n"
    "articles they appear. The most quoted come first.\n"
    "\n"
    "A person is everyone called by the same name in any article, accents and case aside\n"
    "(\"Renée Moreau\" = \"Renee Moreau\"), plus those known in an article only by a shorter\n"
    "name, such as a surname, that exactly one other person had among their aliases.\n"
    "\n"
    "Each has a KIND: person, or organisation for a company, party, club or outlet quoted as\n"
    "a speaker (\"Quay Ferry Company said\", \"SEALINK said\"), which the articles show by a\n"
    "name ending in a word such as Company, Party or Gazette, or by one word in capitals. The\n"
    "kind shown is the one most of the articles naming them gave; on a tie, person.\n"
    "\n"
    "NAME lists only the people it matches: every word of NAME a word of their name (\"reyes\",\n"
    "\"Imogen Reyes\"), or NAME exactly one of their aliases (\"the presenter\"). Accents and case\n"
    "never matter. Several words without quote marks are taken as one NAME.\n"
    "\n"
    "Options:\n"
    "  --db FILE    the database to read (default ./" DEFAULT_DB ")\n"
    "  --kind KIND  only those of this kind: person or organisation (default: both)\n"
    "  --json       one JSON object per person per line instead of a table:\n"
    "               {\"name\", \"kind\", \"aliases\", \"articles\", \"quotes\", \"mentions\"}\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 people listed, 1 nobody matched, 2 usage error or no database.\n"
    "\n"
    "Examples:\n"
    "  quotetrail ingest examples/ && quotetrail people\n"
    "  quotetrail people brannock\n"
    "  quotetrail people --kind organisation      the companies, parties and outlets quoted\n"
    "  quotetrail people --json | jq -r 'select(.quotes > 0) | \"\\(.quotes)\\t\\(.name)\"'\n";

/* What the row printers share with cmd_people(): the listing, and the kind asked for. */
typedef struct people_out {
    cli_listing l;
    const char *kind;     /* "person", "organisation", or NULL for both */
    int json;
    size_t n_match;       /* rows of that kind, printed or not */
} people_out;

/* ---- table ------------------------------------------------------------------------------------ */

/* 29 + 6 + 1 + 8 + 2 + 12 + 2 + 40 = 100 columns at most. */
enum { NAME_W = 28, KIND_W = 12, ALIASES_W = 40 };

static int print_row(cli_listing *pr, const qt_person_row *p)
{
    char buf[512];
    if (pr->n++ == 0)
        printf("%-*s %6s %8s  %-*s  %s\n", NAME_W, "NAME", "QUOTES", "ARTICLES", KIND_W, "KIND",
               "ALIASES");
    cli_cell(p->name, NAME_W);
    printf("%6zu %8zu  %-*s  ", p->n_quotes, p->n_articles, KIND_W, p->kind);
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
static int print_json(cli_listing *pr, const qt_person_row *p)
{
    json_t *o = json_object(), *aliases = json_array();
    int bad = !o || !aliases;
    for (size_t i = 0; !bad && i < p->n_aliases; i++) {
        json_t *a = cli_jstr(p->aliases[i]);
        bad = !a || json_array_append_new(aliases, a) != 0;
    }
    bad = bad || cli_jput(o, "name", cli_jstr(p->name)) ||
          cli_jput(o, "kind", cli_jstr(p->kind)) ||
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

/* One row from qt_db_each_person(): skipped unless of the kind asked for, else printed. */
static int print_person(void *ctx, const qt_person_row *p)
{
    people_out *po = ctx;
    if (po->kind && strcmp(p->kind, po->kind) != 0)
        return 0;
    po->n_match++;
    return po->json ? print_json(&po->l, p) : print_row(&po->l, p);
}

/* ---- command ---------------------------------------------------------------------------------- */

int cmd_people(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    const char *kind = NULL;
    int json = 0, only_names = 0;
    char name[1024];
    size_t name_len = 0;
    name[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_names) {
            int q = cli_query_opt(argc, argv, &i, "people", usage, help, &db_path, &json);
            if (q < 0)
                return -q - 1;
            if (q)
                continue;
            if (!strcmp(a, "--")) {
                only_names = 1;
                continue;
            }
            const char *k = NULL;
            int m = cli_opt_value(argc, argv, &i, "--kind", &k);
            if (m < 0)
                return cli_usage_error("people", usage, "option '--kind' needs a value");
            if (m) {
                if (!strcmp(k, "person"))
                    kind = "person";
                else if (!strcmp(k, "organisation") || !strcmp(k, "organization"))
                    kind = "organisation";
                else
                    return cli_usage_error("people", usage,
                                           "unknown kind '%s' for '--kind' "
                                           "(person or organisation)", k);
                continue;
            }
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
    people_out po = {.kind = kind, .json = json};
    qt_status rc = qt_db_each_person(db, name_len ? name : NULL, print_person, &po, NULL, &err);
    char none[sizeof name + 48 + 32];  /* name, of_kind, the words around them */
    char of_kind[48] = "";
    if (kind)
        snprintf(of_kind, sizeof of_kind, " of kind '%s'", kind);
    if (name_len)
        snprintf(none, sizeof none, "no people%s match '%s'", of_kind, name);
    else
        snprintf(none, sizeof none, "the database holds no people%s", of_kind);
    int status = cli_listing_status(rc, &err, &po.l, po.n_match, json, none, "person", "people");
    qt_db_close(db);
    return cli_finish(status);
}
