/*
 * cli.h - what the subcommands share: exit statuses, messages, option helpers.
 * Only src/cli/ prints to the terminal or ends the process; the library never does.
 */
#ifndef QT_CLI_H
#define QT_CLI_H

#include <stdio.h>

#include "quotetrail.h"

/* Exit statuses (DESIGN.md): the contract scripts depend on. */
typedef enum {
    QT_EXIT_OK = 0,        /* every input processed (warnings allowed) */
    QT_EXIT_NONE = 1,      /* a query found nothing */
    QT_EXIT_USAGE = 2,     /* usage error, or no input readable */
    QT_EXIT_PARTIAL = 3,   /* some inputs failed, the rest were processed */
} qt_exit;

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a short usage line and a hint to stderr; returns QT_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Flush and close stdout; a failed write turns success into QT_EXIT_PARTIAL. */
int cli_finish(int status);
/* Is opt one of "--name" or "--name=value"? On match *val gets the value (next argv if needed);
 * returns 1, 0 for no match, -1 when the value is missing. */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val);
/* The options every query command shares: -h/--help (prints help), --json, --db FILE. Returns
 * 1 when argv[*i] was one of them, 0 when it was not, and -(status + 1) when the command is to
 * exit with status (help printed, or --db without a value reported). */
int cli_query_opt(int argc, char **argv, int *i, const char *cmd, const char *usage,
                  const char *help, const char **db_path, int *json);
/* Writes in batches of CLI_BATCH_SIZE, each one transaction (batch.c): ingest and link. Counts
 * go in pending[] while the batch is open and move to total[] when it commits. */
#define CLI_BATCH_SIZE 256
#define CLI_BATCH_COUNTS 4
typedef struct cli_batch {
    qt_db *db;
    int open;                           /* a transaction is open */
    int stopped;                        /* a database error stopped the run: err says why */
    size_t n;                           /* writes in the open batch */
    size_t pending[CLI_BATCH_COUNTS], total[CLI_BATCH_COUNTS];
    qt_err err;
} cli_batch;
/* Open a batch unless one is open. On failure the run is stopped (err set). */
qt_status cli_batch_open(cli_batch *b);
/* Count one write; commit the batch when it is full. */
qt_status cli_batch_wrote(cli_batch *b);
/* Commit the open batch, adding its counts to the totals; on failure roll it back and stop. */
qt_status cli_batch_flush(cli_batch *b);
/* Roll back the open batch after a database error (err already says why) and stop. */
void cli_batch_abandon(cli_batch *b);
/* At the end of a run that stored articles: recompute the collection's inferred dates
 * (qt_db_infer_dates()) unless the run stopped. 0, or -1 with the error reported. */
int cli_infer_dates(cli_batch *b);

/* Clip s to at most `width` columns (… included when cut) into buf; newlines become spaces. */
const char *cli_clip(const char *s, size_t width, char *buf, size_t cap);
/* Characters in a UTF-8 string, taken as display columns. */
size_t cli_columns(const char *s);
/* Print s clipped and padded to exactly `width` columns, then one space. */
void cli_cell(const char *s, size_t width);
/* Progress to stderr, only when stderr is a terminal. */
void cli_progress(const char *what, size_t done);
/* Where the reader is in the input open now (bytes done of total); cli_progress() shows it for
 * inputs of CLI_PROGRESS_BIG bytes or more. */
#define CLI_PROGRESS_BIG (50ULL << 20)
void cli_progress_input(unsigned long long done, unsigned long long total);
void cli_progress_end(void);
/* A JSON string for s (jansson's json_t), null for NULL; invalid UTF-8 bytes become U+FFFD.
 * Returns NULL only when out of memory. */
struct json_t *cli_jstr(const char *s);
/* A JSON array of the n strings v[] (each as cli_jstr()); NULL only when out of memory. */
struct json_t *cli_jstrs(const char *const *v, size_t n);
/* An inferred date range as DESIGN.md's published_inferred: {"from", "to", "evidence"}, or
 * JSON null when r is NULL; NULL only when out of memory. */
struct json_t *cli_jrange(const qt_date_range *r);
/* An inferred date range in a few characters: "2015-10..", "2013..2016", "..2016", "2015"
 * (from and to alike), "" for NULL or a range with neither bound. Returns buf. */
const char *cli_range_cell(const qt_date_range *r, char *buf, size_t cap);
/* Set key of obj to value, taking ownership of value; 0, or -1 when value is NULL (out of
 * memory) or cannot be set. */
int cli_jput(struct json_t *obj, const char *key, struct json_t *value);

/* A listing printed row by row from a database query (quotes, people). */
typedef struct cli_listing {
    size_t n;       /* rows printed */
    int failed;     /* a row could not be printed: stdout failed, or out of memory */
} cli_listing;
/* The exit status of a finished listing: 2 when the query failed before any row (3 after
 * some), 3 when printing failed, 1 with `none` on stderr when nothing matched, else 0 with the
 * count ("12 quotes", in `one`/`many`) on stderr for tables. */
int cli_listing_status(qt_status rc, const qt_err *err, const cli_listing *l, size_t n_found,
                       int json, const char *none, const char *one, const char *many);

/* ---- --limit (bounded resources) ---- */
/* The limits for this run: the defaults (qt_limits_default()) and every --limit given. */
const qt_limits *cli_limits(void);
/* "--limit NAME=VALUE" (repeatable) or "--limits" (print the limits and exit) at argv[*i], for
 * every command that reads articles. Returns 1 when taken, 0 when argv[*i] is neither, and
 * -(status + 1) when the command is to exit with status (--limits printed, or a bad --limit
 * reported). */
int cli_limit_opt(int argc, char **argv, int *i, const char *cmd, const char *usage);
/* The lines of --help that explain them. */
#define CLI_LIMIT_HELP                                                                          \
    "  --limit NAME=VALUE  raise or lower one limit on what an input may cost (repeatable;\n"    \
    "                sizes take K, M or G): --limit article-bytes=16M\n"                         \
    "  --limits      list the limits, their defaults and what each bounds\n"

int cmd_extract(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_quotes(int argc, char **argv);
int cmd_people(int argc, char **argv);
int cmd_dups(int argc, char **argv);
int cmd_clusters(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_stories(int argc, char **argv);
int cmd_articles(int argc, char **argv);

#endif
