/*
 * cmd_ingest.c - `quotetrail ingest`: analyse articles and store them in a database.
 *
 * Ingest is idempotent: an article is keyed by the hash of its text, so one already stored by
 * this engine is skipped (before it is analysed), and running the same inputs again adds nothing.
 * An article stored by an older engine (QT_DB_STALE) is analysed again and replaced in place.
 *
 * Design notes:
 *  (1) Writes go in batches of CLI_BATCH_SIZE articles, each one transaction (batch.c).
 *      A killed run loses at most the open batch, and the next run redoes exactly that.
 *  (2) Counts of the open batch are kept apart (pending) and only join the totals when the batch
 *      commits, so the summary never counts an article that was rolled back.
 *  (3) A database error (lookup, put, commit) rolls the open batch back and stops the run: what
 *      was committed before stays, nothing half-written does. Exit 2 when nothing at all was
 *      stored, 3 otherwise.
 *  (4) An article the store refuses as malformed (QT_EINVAL: an analysis breaking the quote
 *      invariants) is one failed input, like an unreadable file: reported, counted, and the run
 *      goes on; qt_db_put() has then left the batch as it was.
 *  (5) --reprocess copies each stale article (cli_input_copy) before analysing it. The qt_input that
 *      qt_db_each_stale() hands over lives in the store's scratch memory, which qt_db_put()
 *      reuses; the analysed article points into its input, so without the copy its text and
 *      title would be overwritten while they are being stored.
 *  (6) A skipped article is not lost: its id and source are recorded (qt_db_put_copy()) in the
 *      open batch, counted in it like a stored article, so that `dups` lists a text that came
 *      under several ids as an exact copy. Recording the same copy again adds nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_int.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] =
    "quotetrail ingest INPUT... [--db FILE] [--reprocess] [-j N] [--wait SECONDS] [--limit NAME=VALUE]";

static const char help[] =
    "usage: quotetrail ingest INPUT... [--db FILE] [--reprocess] [-j N] [--wait SECONDS]\n"
    "                         [--limit NAME=VALUE]\n"
    "\n"
    "Find the quotes in the articles, with their speakers, and store articles, people and quotes\n"
    "in a SQLite database, to be queried with 'quotetrail quotes'. Articles are keyed by the hash\n"
    "of their text: one already stored is skipped, so ingesting the same files twice adds nothing\n"
    "and an interrupted run can simply be started again.\n"
    "\n"
    CLI_INPUT_HELP
    "\n"
    "Options:\n"
    "  --db FILE     the database to write, created if missing (default ./" DEFAULT_DB ")\n"
    "  --reprocess   also analyse again every stored article that an older version of\n"
    "                quotetrail analysed; INPUT is then optional\n"
    "  -j, --jobs N  analyse on N threads (default: one per core); articles are stored in\n"
    "                input order whatever N\n"
    "  --wait SECONDS  how long a write waits for another process's lock on the database\n"
    "                (another ingest, say) before the run stops (default 60)\n"
    CLI_LIMIT_HELP
    "  -h, --help    show this help\n"
    "\n"
    "A summary goes to standard error; progress too, when it is a terminal.\n"
    "\n"
    "Exit status: 0 all inputs stored, 2 usage error, nothing readable or nothing stored,\n"
    "3 some inputs failed (or a database error stopped the run) and the rest were stored.\n"
    "\n"
    "Examples:\n"
    "  quotetrail ingest examples/articles examples/wire.jsonl\n"
    "  quotetrail ingest --db news.db archive/2024/ && quotetrail quotes --db news.db --speaker reyes\n"
    "  quotetrail ingest --reprocess --db news.db       after upgrading quotetrail\n";

/* One ingest run: the database, the open batch (1) and the counts for the summary (2). */
typedef struct ingest {
    qt_db *db;
    const char *db_path;
    cli_batch b;             /* the open batch (1), its counts (2), the error that stopped (3) */
    size_t n_bad;            /* refused by the store, see (4) */
    const qt_engine *engine; /* for --reprocess */
    qt_doc *doc;
    char *stale_copy;        /* the stale article being re-analysed, see (5) */
    size_t stale_cap;
    const char **stale_warn;
    size_t stale_warn_cap;
} ingest;

/* The counts a batch keeps for the summary (2). A skipped article is counted there too: its
 * copy is recorded in the batch (6), and it may have been found stored by an earlier put of
 * the same batch, which a rollback takes back. */
enum { C_NEW, C_RE, C_QUOTES, C_SKIPPED };

/* Store one analysed article in the open batch, opening one if needed, and commit the batch when
 * it is full. Returns QT_OK (also when the store refused the article, see (4)), or a database
 * error after abandoning the batch. */
static qt_status note_copy(ingest *g, const qt_input *in);

static qt_status store(ingest *g, const qt_article *a, const qt_input *in, int is_new)
{
    qt_status rc = cli_batch_open(&g->b);
    if (rc != QT_OK)
        return rc;
    qt_err err = {0};
    if (is_new) {
        /* The same text twice in one read-ahead batch: both were absent when looked up, but the
         * first is stored by now, so the second is a copy, as it would be in a later batch. */
        qt_db_state state = QT_DB_ABSENT;
        rc = qt_db_lookup(g->db, a->hash, &state, &g->b.err);
        if (rc != QT_OK) {
            cli_batch_abandon(&g->b);
            return rc;
        }
        if (state == QT_DB_CURRENT) {
            g->b.pending[C_SKIPPED]++;
            return note_copy(g, in);
        }
    }
    rc = qt_db_put(g->db, a, &err);
    if (rc == QT_EINVAL) {
        cli_progress_end();
        cli_error("%s", err.msg);
        g->n_bad++;
        return QT_OK;
    }
    if (rc != QT_OK) {
        g->b.err = err;
        cli_batch_abandon(&g->b);
        return rc;
    }
    g->b.pending[is_new ? C_NEW : C_RE]++;
    g->b.pending[C_QUOTES] += a->n_quotes;
    return cli_batch_wrote(&g->b);
}

/* Record, in the open batch, the id and source an already stored text came with this time, so
 * that `dups` lists it (6). Returns QT_OK, or a database error after abandoning the batch. */
static qt_status note_copy(ingest *g, const qt_input *in)
{
    qt_status rc = cli_batch_open(&g->b);
    if (rc == QT_OK)
        rc = qt_db_put_copy(g->db, in->hash, in->id, in->source, in->published, &g->b.err);
    if (rc != QT_OK) {
        cli_batch_abandon(&g->b);
        return rc;
    }
    return cli_batch_wrote(&g->b);
}

/* cli_run_batch() callback: skip an article this engine already stored (before analysing it);
 * tag the rest 1 (new) or 2 (stale: stored by an older engine). -1 stops on a database error. */
static int keep_unstored(void *ctx, const qt_input *in)
{
    ingest *g = ctx;
    qt_db_state state = QT_DB_ABSENT;
    if (g->b.stopped)
        return -1;
    if (qt_db_lookup(g->db, in->hash, &state, &g->b.err) != QT_OK) {
        cli_batch_abandon(&g->b);
        return -1;
    }
    if (state == QT_DB_CURRENT) {
        g->b.pending[C_SKIPPED]++;   /* before note_copy(), which may commit the batch */
        if (note_copy(g, in) != QT_OK)
            return -1;
        return 0;
    }
    /* stale, or linked without its text: analysed again and stored whole */
    return state == QT_DB_ABSENT ? 1 : 2;
}

/* Read, look up, analyse (in batches, on the run's threads) and store every input article, in
 * input order. */
static void ingest_inputs(ingest *g, cli_run *run)
{
    while (!g->b.stopped && cli_run_batch(run, keep_unstored, g) > 0) {
        for (size_t k = 0; k < run->n_jobs && !g->b.stopped; k++) {
            const cli_job *j = &run->jobs[k];
            if (j->article && store(g, j->article, &j->in, j->tag == 1) != QT_OK)
                break;
        }
        cli_progress("ingest", run->articles);
    }
    if (!g->b.stopped)
        cli_batch_flush(&g->b);
}

/* qt_db_each_stale() callback: analyse one stored article again and store it in place. */
static int reprocess_one(void *ctx, const qt_input *stale)
{
    ingest *g = ctx;
    const qt_article *a;
    qt_input copy, *in = &copy;
    qt_err err = {0};
    if (cli_input_copy(stale, &copy, &g->stale_copy, &g->stale_cap, &g->stale_warn,
                       &g->stale_warn_cap) != 0) {
        snprintf(g->b.err.msg, sizeof g->b.err.msg, "cannot reprocess '%s': out of memory",
                 stale->source ? stale->source : stale->hash);
        cli_batch_abandon(&g->b);
        return 1;
    }
    if (qt_analyze(g->engine, g->doc, in, &a, &err) != QT_OK) {
        cli_progress_end();
        cli_error("%s", err.msg);
        g->n_bad++;
        return 0;
    }
    if (store(g, a, in, 0) != QT_OK)
        return 1;
    cli_progress("reprocess", g->b.total[C_RE] + g->b.pending[C_RE]);
    return 0;
}

/* Analyse again, on this thread, every article an older engine stored. */
static void reprocess(ingest *g, const qt_engine *engine)
{
    qt_err err = {0};
    g->engine = engine;
    g->doc = qt_doc_new();
    if (!g->doc) {
        snprintf(g->b.err.msg, sizeof g->b.err.msg, "cannot reprocess: out of memory");
        cli_batch_abandon(&g->b);
        return;
    }
    qt_status rc = qt_db_each_stale(g->db, reprocess_one, g, &err);
    qt_doc_free(g->doc);
    g->doc = NULL;
    if (g->b.stopped)
        return;   /* reprocess_one() stopped the walk; g->b.err says why */
    if (rc != QT_OK) {
        g->b.err = err;
        cli_batch_abandon(&g->b);
        return;
    }
    cli_batch_flush(&g->b);
}

int cmd_ingest(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    int do_reprocess = 0, threads = 0;
    const char *wait_arg = NULL;
    unsigned wait_ms = QT_DB_WAIT_MS;
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t n_inputs = 0;
    if (!inputs) {
        cli_error("out of memory");
        return QT_EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            free(inputs);
            return cli_finish(QT_EXIT_OK);
        } else if ((m = cli_opt_value(argc, argv, &i, "--db", &db_path)) != 0) {
            if (m < 0) {
                free(inputs);
                return cli_usage_error("ingest", usage, "option '--db' needs a file name");
            }
        } else if ((m = cli_opt_value(argc, argv, &i, "--wait", &wait_arg)) != 0) {
            char *end = NULL;
            unsigned long v = m > 0 ? strtoul(wait_arg, &end, 10) : 0;
            if (m < 0 || end == wait_arg || *end || v > 86400 || wait_arg[0] == '-') {
                free(inputs);
                return cli_usage_error("ingest", usage,
                                       "option '--wait' needs a number of seconds, 0 to 86400");
            }
            wait_ms = (unsigned)v * 1000u;
        } else if (!strcmp(a, "--reprocess")) {
            do_reprocess = 1;
        } else if ((m = cli_limit_opt(argc, argv, &i, "ingest", usage)) != 0) {
            if (m < 0) {
                free(inputs);
                return -m - 1;
            }
        } else if (cli_input_arg(argc, argv, &i, "ingest", usage, inputs, &n_inputs,
                                 &threads) != QT_EXIT_OK) {
            free(inputs);
            return QT_EXIT_USAGE;
        }
    }
    if (n_inputs == 0 && !do_reprocess) {
        free(inputs);
        return cli_usage_error("ingest", usage,
                               "no input given (use - for standard input, or --reprocess)");
    }

    ingest g = {.db_path = db_path};
    if (qt_db_open(&g.db, db_path, 0, &g.b.err) != QT_OK) {
        cli_error("%s", g.b.err.msg);
        free(inputs);
        return cli_finish(QT_EXIT_USAGE);
    }
    qt_db_set_wait(g.db, wait_ms);
    g.b.db = g.db;

    int status = QT_EXIT_OK;
    if (n_inputs > 0) {
        cli_run run;
        status = cli_run_open(&run, inputs, n_inputs, threads);
        if (status == QT_EXIT_OK) {
            ingest_inputs(&g, &run);
            if (do_reprocess && !g.b.stopped)
                reprocess(&g, run.engine);
            cli_progress_end();
            status = cli_run_close(&run);
        }
    } else {
        qt_engine *engine = NULL;
        qt_err err = {0};
        if (qt_engine_new(&engine, &err) != QT_OK) {
            cli_error("%s", err.msg);
            status = QT_EXIT_USAGE;
        } else {
            qt_engine_set_limits(engine, cli_limits());
            reprocess(&g, engine);
            cli_progress_end();
        }
        qt_engine_free(engine);
    }

    int dates_failed = cli_infer_dates(&g.b) != 0;
    if (g.b.stopped) {
        /* (3): the open batch is gone; what committed before it stays. One line, which
         * names the database and says what to do. */
        cli_error("%s; stopped, the unfinished batch rolled back: run ingest again to resume",
                  g.b.err.msg);
        status = g.b.total[C_NEW] + g.b.total[C_RE] > 0 ? QT_EXIT_PARTIAL : QT_EXIT_USAGE;
    } else if (g.n_bad > 0 && status == QT_EXIT_OK) {
        status = g.b.total[C_NEW] + g.b.total[C_RE] + g.b.total[C_SKIPPED] > 0 ? QT_EXIT_PARTIAL
                                                                               : QT_EXIT_USAGE;
    } else if (dates_failed && status == QT_EXIT_OK) {
        status = QT_EXIT_PARTIAL;
    }
    size_t n = g.b.total[C_NEW] + g.b.total[C_SKIPPED] + g.b.total[C_RE];
    fprintf(stderr,
            "ingested %zu article%s (%zu new, %zu already stored, %zu reprocessed), "
            "%zu quote%s \u2192 %s\n",
            n, n == 1 ? "" : "s", g.b.total[C_NEW], g.b.total[C_SKIPPED], g.b.total[C_RE],
            g.b.total[C_QUOTES],
            g.b.total[C_QUOTES] == 1 ? "" : "s", db_path);
    qt_db_close(g.db);
    free(g.stale_copy);
    free(g.stale_warn);
    free(inputs);
    return cli_finish(status);
}
