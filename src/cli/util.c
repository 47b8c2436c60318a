/*
 * util.c - messages, option parsing helpers, terminal output and JSON strings shared by the
 * subcommands.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void message(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "quotetrail: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message("error", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message("warning", fmt, ap);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "quotetrail %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nusage: %s\nTry 'quotetrail %s --help' for more.\n", usage, cmd);
    va_end(ap);
    return QT_EXIT_USAGE;
}

int cli_finish(int status)
{
    int bad = ferror(stdout);
    if (fclose(stdout) != 0 || bad) {
        fprintf(stderr, "quotetrail: error: writing output failed: %s\n",
                strerror(errno ? errno : EIO));
        if (status == QT_EXIT_OK || status == QT_EXIT_NONE)
            status = QT_EXIT_PARTIAL;
    }
    return status;
}

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

int cli_query_opt(int argc, char **argv, int *i, const char *cmd, const char *usage,
                  const char *help, const char **db_path, int *json)
{
    const char *a = argv[*i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
        fputs(help, stdout);
        return -cli_finish(QT_EXIT_OK) - 1;
    }
    if (!strcmp(a, "--json")) {
        *json = 1;
        return 1;
    }
    int m = cli_opt_value(argc, argv, i, "--db", db_path);
    if (m < 0)
        return -cli_usage_error(cmd, usage, "option '--db' needs a value") - 1;
    return m;
}

size_t cli_columns(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

const char *cli_clip(const char *s, size_t width, char *buf, size_t cap)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    /* One column per character: wide and combining characters are rare in names and outlets,
     * and the table only needs to line up for the common case. */
    size_t keep = cli_columns((const char *)p) > width ? width - 1 : width;
    size_t cols = 0, o = 0, i = 0;
    while (p[i] && cols < keep) {
        size_t len = p[i] < 0x80 ? 1 : p[i] < 0xE0 ? 2 : p[i] < 0xF0 ? 3 : 4;
        if (o + len + 4 >= cap)
            break;
        unsigned char c = p[i];
        for (size_t k = 0; k < len && p[i]; k++, i++)
            buf[o++] = (char)((c == '\n' || c == '\t' || c == '\r') ? ' ' : p[i]);
        cols++;
    }
    if (p[i]) {
        memcpy(buf + o, "\xE2\x80\xA6", 3);   /* … */
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

void cli_cell(const char *s, size_t width)
{
    char buf[512];
    cli_clip(s, width, buf, sizeof buf);
    fputs(buf, stdout);
    printf("%*s ", (int)(width - cli_columns(buf)), "");
}

static int progress_shown;
static unsigned long long input_done, input_total;

void cli_progress_input(unsigned long long done, unsigned long long total)
{
    input_done = done;
    input_total = total;
}

void cli_progress(const char *what, size_t done)
{
    static time_t last;
    if (!isatty(STDERR_FILENO))
        return;
    time_t now = time(NULL);
    if (now == last)
        return;
    last = now;
    fprintf(stderr, "\r%s: %zu articles", what, done);
    if (input_total >= CLI_PROGRESS_BIG)    /* one big file (a WARC): how far through it */
        fprintf(stderr, ", %llu of %llu MB (%llu%%)", input_done >> 20, input_total >> 20,
                input_done * 100 / input_total);
    fputs("\033[K", stderr);
    progress_shown = 1;
}

void cli_progress_end(void)
{
    if (progress_shown)
        fputs("\r\033[K", stderr);
    progress_shown = 0;
}

/* ---- JSON ------------------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when it is not one. Rejects
 * overlong forms, surrogates and code points past U+10FFFF, as jansson does. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    size_t len = p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
               : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
        return 0;
    return len;
}

/* The store holds text the reader already made valid UTF-8; should a slice still be cut
 * mid-character, each bad byte becomes U+FFFD rather than the field going missing (jansson
 * refuses invalid UTF-8). */
json_t *cli_jstr(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t n = strlen(s);
    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    char *fixed = malloc(n * 3 + 1);
    if (!fixed)
        return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; ) {
        size_t len = utf8_seq(p + i, n - i);
        if (len == 0) {
            memcpy(fixed + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(fixed + o, p + i, len);
            o += len;
            i += len;
        }
    }
    j = json_stringn(fixed, o);
    free(fixed);
    return j;
}

int cli_jput(struct json_t *obj, const char *key, struct json_t *value)
{
    return value ? json_object_set_new(obj, key, value) : -1;
}

json_t *cli_jstrs(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, cli_jstr(v[i])) != 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

json_t *cli_jrange(const qt_date_range *r)
{
    if (!r)
        return json_null();
    json_t *j = json_object();
    if (j && (cli_jput(j, "from", cli_jstr(r->from)) || cli_jput(j, "to", cli_jstr(r->to)) ||
              cli_jput(j, "evidence", cli_jstr(r->evidence)))) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

const char *cli_range_cell(const qt_date_range *r, char *buf, size_t cap)
{
    if (!r || (!r->from && !r->to))
        snprintf(buf, cap, "%s", "");
    else if (r->from && r->to && !strcmp(r->from, r->to))
        snprintf(buf, cap, "%s", r->from);
    else
        snprintf(buf, cap, "%s..%s", r->from ? r->from : "", r->to ? r->to : "");
    return buf;
}

int cli_listing_status(qt_status rc, const qt_err *err, const cli_listing *l, size_t n_found,
                       int json, const char *none, const char *one, const char *many)
{
    if (rc != QT_OK) {
        cli_error("%s", err->msg);
        return l->n > 0 ? QT_EXIT_PARTIAL : QT_EXIT_USAGE;
    }
    if (l->failed)
        return QT_EXIT_PARTIAL;   /* cli_finish() reports a failed stdout */
    if (n_found == 0) {
        fprintf(stderr, "quotetrail: %s\n", none);
        return QT_EXIT_NONE;
    }
    if (!json)
        fprintf(stderr, "%zu %s\n", l->n, l->n == 1 ? one : many);
    return QT_EXIT_OK;
}

/* ---- --limit (bounded resources) --------------------------------------------------------------- */

static qt_limits limits;
static int limits_set;      /* limits holds a value: the defaults, then each --limit */

const qt_limits *cli_limits(void)
{
    if (!limits_set) {
        limits = qt_limits_default();
        limits_set = 1;
    }
    return &limits;
}

static void print_limits(void)
{
    size_t n;
    const qt_limit_info *l = qt_limit_list(&n);
    printf("%-18s %-8s %s\n", "LIMIT", "DEFAULT", "WHAT IT BOUNDS");
    for (size_t i = 0; i < n; i++) {
        char v[32];
        printf("%-18s %-8s %s\n", l[i].name, qt_limit_str(l[i].dflt, l[i].is_size, v),
               l[i].meaning);
    }
    fputs("\nSet one with --limit NAME=VALUE (sizes take K, M or G: --limit article-bytes=16M).\n"
          "An input over a size limit fails alone (exit status 3) and the run goes on; a limit\n"
          "hit inside analysis keeps the article and says so in its \"warnings\".\n", stdout);
}

int cli_limit_opt(int argc, char **argv, int *i, const char *cmd, const char *usage)
{
    const char *v = NULL;
    if (!strcmp(argv[*i], "--limits")) {
        print_limits();
        return -cli_finish(QT_EXIT_OK) - 1;
    }
    int m = cli_opt_value(argc, argv, i, "--limit", &v);
    if (m == 0)
        return 0;
    if (m < 0)
        return -cli_usage_error(cmd, usage, "option '--limit' needs NAME=VALUE "
                                "(see --limits)") - 1;
    qt_err err = {0};
    cli_limits();
    if (qt_limits_set(&limits, v, &err) != QT_OK)
        return -cli_usage_error(cmd, usage, "%s", err.msg) - 1;
    return 1;
}
