/*
 * cmd_link.c - `quotetrail link`: the reduce step of DESIGN.md's scale-out. Records that
 * `quotetrail extract --json --fingerprints` wrote elsewhere (one shard per map task) are
 * stored as `ingest` would have stored the articles they came from, with no text to read and
 * nothing to analyse: qt_record_parse() gives back each article, qt_db_put() stores it.
 *
 * Design notes:
 *  (1) The same rules as ingest (cmd_ingest.c): a content hash already stored by this engine is
 *      not stored again, only its id, source and date are recorded as a copy (qt_db_put_copy()),
 *      so linking a shard twice adds nothing and a text under another id is an exact copy.
 *  (2) Linking reads nothing of the stored articles but their hashes, and `clusters`, `stories`
 *      and `dups --estimates-only` read only fingerprints (signatures, quote keys, entity keys)
 *      and copies: so the database after `link` of every shard answers as the one `ingest` of
 *      every input makes, in any order. Plain `dups` also counts from the texts a pair near
 *      --min; shards made without --with-text leave such a pair to its estimate.
 *  (3) Writes go in batches of CLI_BATCH_SIZE records, each one transaction: a killed run loses at
 *      most the open batch, which the next run redoes. A database error stops the run.
 *  (4) A record that cannot be used (not JSON, another schema or engine version, no
 *      fingerprint, a broken invariant) is reported as path:line and counted; the rest go on
 *      (exit 3; 2 when no record at all could be used).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] = "quotetrail link SHARD... [--db FILE] [--limit NAME=VALUE]";

static const char help[] =
    "usage: quotetrail link SHARD... [--db FILE]\n"
    "\n"
    "Store the records that 'quotetrail extract --json --fingerprints' wrote, on this machine\n"
    "or others, as 'quotetrail ingest' would have stored the articles themselves: the reduce\n"
    "step after extract has run as a map step over shards of a collection. Nothing is\n"
    "analysed again and no article text is needed: each record brings its analysis (quotes,\n"
    "speakers, venues, people, paragraphs) and its fingerprints (the MinHash signature of its\n"
    "body, each quote's key and its entity keys), which are all that 'dups', 'clusters' and\n"
    "'stories' read. After linking every shard, 'clusters --json', 'stories --json' and\n"
    "'dups --estimates-only --json' print what they would after ingesting every input, in\n"
    "whatever order and however many runs; plain 'dups' also counts from the texts a pair\n"
    "whose estimate is near --min, so shards made with --with-text give it the same too.\n"
    "\n"
    "SHARD is a file of records (one JSON object per line), a directory (its .jsonl files,\n"
    "walked in sorted order) or - for standard input; any of them may be gzip-compressed.\n"
    "Records made with --with-text keep their text; without it the article is stored without\n"
    "its text, which 'ingest --reprocess' then leaves alone (there is nothing to analyse).\n"
    "\n"
    "Like ingest, link is idempotent: a text already stored is not stored again (the id and\n"
    "source it came with this time are recorded as a copy), so linking a shard twice adds\n"
    "nothing. A record is refused, with its path:line, when it is not a record, has another\n"
    "'schema', was made by another engine version (run extract again with this quotetrail),\n"
    "or has no fingerprint (extract ran without --fingerprints); the others are stored.\n"
    "\n"
    "Options:\n"
    "  --db FILE    the database to write (default ./" DEFAULT_DB ")\n"
    CLI_LIMIT_HELP
    "               (a shard's line may be 8 times article-bytes: it carries text and quotes)\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 every record stored, 2 usage error or no record usable, 3 some records\n"
    "refused or unreadable and the rest stored.\n"
    "\n"
    "Example, two machines and one database:\n"
    "  alpha$ quotetrail extract --json --fingerprints wire/2024-05/ | gzip > alpha.jsonl.gz\n"
    "  beta$  quotetrail extract --json --fingerprints wire/2024-06/ | gzip > beta.jsonl.gz\n"
    "  alpha$ scp beta:beta.jsonl.gz . && quotetrail link alpha.jsonl.gz beta.jsonl.gz\n"
    "  alpha$ quotetrail dups && quotetrail clusters\n"
    "examples/scale-out/ has the same as a shell script and as a Slurm job array.\n";

typedef struct linker {
    qt_db *db;
    cli_batch b;                         /* (3); counts as ingest's (2) */
    size_t n_bad;
} linker;

/* The counts a batch keeps for the summary. */
enum { C_NEW, C_COPIES, C_QUOTES };

/* Store one record's article, or record it as a copy (1). Returns QT_OK (also when the store
 * refused the article, which is then counted), or a database error after abandoning. */
static qt_status link_one(linker *g, const qt_article *a, const char *where)
{
    qt_db_state state = QT_DB_ABSENT;
    qt_err err = {0};
    qt_status rc = cli_batch_open(&g->b);
    if (rc != QT_OK)
        return rc;
    if ((rc = qt_db_lookup(g->db, a->hash, &state, &g->b.err)) != QT_OK) {
        cli_batch_abandon(&g->b);
        return rc;
    }
    /* A text stored without its words takes them from a record that has them. */
    if (state == QT_DB_CURRENT || (state == QT_DB_TEXTLESS && !a->text)) {
        rc = qt_db_put_copy(g->db, a->hash, a->id, a->source, a->published, &err);
        g->b.pending[C_COPIES] += rc == QT_OK;
    } else {
        rc = qt_db_put(g->db, a, &err);
        if (rc == QT_OK) {
            g->b.pending[C_NEW]++;
            g->b.pending[C_QUOTES] += a->n_quotes;
        }
    }
    if (rc == QT_EINVAL) {
        cli_progress_end();
        cli_error("%s: %s", where, err.msg);
        g->n_bad++;
        return QT_OK;
    }
    if (rc != QT_OK) {
        g->b.err = err;
        cli_batch_abandon(&g->b);
        return rc;
    }
    return cli_batch_wrote(&g->b);
}

int cmd_link(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    const char **inputs = calloc((size_t)argc, sizeof *inputs);
    size_t n_inputs = 0;
    if (!inputs) {
        cli_error("out of memory");
        return cli_finish(QT_EXIT_USAGE);
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int got;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            free(inputs);
            return cli_finish(QT_EXIT_OK);
        } else if ((got = cli_opt_value(argc, argv, &i, "--db", &v)) != 0) {
            if (got < 0) {
                free(inputs);
                return cli_usage_error("link", usage, "option '--db' needs a file name");
            }
            db_path = v;
        } else if ((got = cli_limit_opt(argc, argv, &i, "link", usage)) != 0) {
            if (got < 0) {
                free(inputs);
                return -got - 1;
            }
        } else if (!strcmp(a, "--")) {
            while (++i < argc)
                inputs[n_inputs++] = argv[i];
        } else if (a[0] == '-' && a[1] != '\0') {
            free(inputs);
            return cli_usage_error("link", usage, "unknown option '%s'", a);
        } else {
            inputs[n_inputs++] = a;
        }
    }
    if (n_inputs == 0) {
        free(inputs);
        return cli_usage_error("link", usage, "no shard given (use - for standard input)");
    }

    linker g = {0};
    qt_reader *r = NULL;
    qt_record *rec = qt_record_new();
    qt_err err = {0};
    int status = QT_EXIT_OK;
    if (!rec) {
        cli_error("out of memory");
        status = QT_EXIT_USAGE;
    } else if (qt_reader_open(&r, inputs, n_inputs, &err) != QT_OK) {
        cli_error("%s", err.msg);
        status = QT_EXIT_USAGE;
    } else if (qt_db_open(&g.db, db_path, 0, &err) != QT_OK) {
        cli_error("%s", err.msg);
        status = QT_EXIT_USAGE;
    }
    if (status != QT_EXIT_OK) {
        qt_reader_free(r);
        qt_record_free(rec);
        free(inputs);
        return cli_finish(status);
    }
    qt_reader_set_lines(r, 1);
    qt_reader_set_limits(r, cli_limits());     /* article-bytes bounds a shard's line */
    g.b.db = g.db;

    size_t n_records = 0;
    for (;;) {
        qt_input in;
        qt_status rc = qt_reader_next(r, &in, &err);
        if (rc == QT_DONE)
            break;
        if (rc != QT_OK) {
            cli_progress_end();
            cli_error("%s", err.msg);
            continue;   /* counted by the reader: qt_reader_failures() */
        }
        const qt_article *a = NULL;
        if (qt_record_parse(rec, in.text, in.text_len, &a, &err) != QT_OK) {
            cli_progress_end();
            cli_error("%s: %s", in.source, err.msg);
            g.n_bad++;
            continue;
        }
        n_records++;
        if (link_one(&g, a, in.source) != QT_OK)
            break;
        cli_progress("link", n_records);
    }
    if (!g.b.stopped)
        cli_batch_flush(&g.b);
    cli_progress_end();
    int dates_failed = cli_infer_dates(&g.b) != 0;

    size_t n_failed = g.n_bad + qt_reader_failures(r);
    size_t n_done = g.b.total[C_NEW] + g.b.total[C_COPIES];
    if (g.b.stopped) {
        cli_error("%s", g.b.err.msg);
        cli_error("stopped; the last unfinished batch was rolled back, and '%s' holds only "
                  "whole articles", db_path);
        status = n_done > 0 ? QT_EXIT_PARTIAL : QT_EXIT_USAGE;
    } else if (n_failed > 0) {
        status = n_done > 0 ? QT_EXIT_PARTIAL : QT_EXIT_USAGE;
    } else if (dates_failed) {
        status = QT_EXIT_PARTIAL;
    }
    fprintf(stderr, "linked %zu record%s (%zu new, %zu already stored, %zu refused), "
            "%zu quote%s \u2192 %s\n", n_done, n_done == 1 ? "" : "s", g.b.total[C_NEW], g.b.total[C_COPIES],
            n_failed, g.b.total[C_QUOTES], g.b.total[C_QUOTES] == 1 ? "" : "s", db_path);
    qt_db_close(g.db);
    qt_reader_free(r);
    qt_record_free(rec);
    free(inputs);
    return cli_finish(status);
}
