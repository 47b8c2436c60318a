/*
 * fuzz_opts.c - the command line: every subcommand's option parsing, and whatever the options
 * make it do, on small inputs in a scratch directory.
 *
 * Input: arguments separated by NUL bytes; the first picks the command (by name, or by its
 * first byte modulo the number of commands when it names none). The commands parse options
 * in the same loop that runs them, so each is run whole, as main() would run it, with its
 * paths confined: an argument holding '/' or starting with ".." is refused (the input is
 * skipped), so a fuzzed argv can only name the scratch directory and the seed files in it
 * (an article, JSONL, a page, a shard of records and a database made from them). The scratch
 * directory is put back as it was after every run, so one input's effects never reach the next.
 *
 * stdout and stderr are pointed at /dev/null while a command runs (sanitizer reports still
 * reach file descriptor 2). cli_finish() closes stdout, so this program is linked with
 * -Wl,--wrap=fclose and keeps that one stream open (see __wrap_fclose()).
 */
#include "fuzz.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "quotetrail.h"

#define MAX_ARGS 24
#define MAX_ARG_LEN 256

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
    {"extract", cmd_extract}, {"ingest", cmd_ingest},   {"quotes", cmd_quotes},
    {"people", cmd_people},   {"dups", cmd_dups},       {"clusters", cmd_clusters},
    {"trace", cmd_trace},     {"link", cmd_link},       {"stories", cmd_stories},
    {"articles", cmd_articles},
};
#define N_COMMANDS (sizeof commands / sizeof *commands)

static const char article[] =
    "Harbour wall to be rebuilt after storm\n\n"
    "KESTON, Oct. 12 - The harbour wall will be rebuilt by next spring, the mayor said on "
    "Monday.\n\n"
    "\"We will not let the sea take the town,\" Mayor Ilse Brannock told the Keston Gazette. "
    "\"Work starts in December.\"\n\n"
    "According to officials, the repairs will cost 4 million crowns. Brannock, 52, said the "
    "council had \"no other choice.\"\n";
static const char jsonl[] =
    "{\"id\": 1, \"title\": \"Ferry strike ends\", \"published\": \"2015-10-13\", "
    "\"text\": \"The strike ended on Tuesday. \\u201cWe are glad to be back,\\u201d said "
    "union leader Oskar Venn. Talks had lasted three weeks.\"}\n"
    "{\"id\": \"b2\", \"url\": \"https://example.test/b2\", \"text\": \"Venn said last week "
    "that \\\"the ferries will run again\\\" before winter.\"}\n";
static const char page[] =
    "<!doctype html><html><head><title>Market reopens | Keston Post</title>"
    "<meta property=\"og:site_name\" content=\"Keston Post\">"
    "<meta name=\"author\" content=\"Lena Marsh\">"
    "<meta property=\"article:published_time\" content=\"2015-11-02T08:00:00Z\"></head>"
    "<body><nav><a href=\"/\">Home</a></nav><article><h1>Market reopens</h1>"
    "<p>The covered market reopened on Sunday after two years of repairs.</p>"
    "<p>\"It feels like the town has its heart back,\" said stallholder Ada Pell.</p>"
    "</article><footer>Share this story</footer></body></html>\n";

typedef struct seed {
    const char *name;
    char *data;
    size_t n;
} seed;
static seed seeds[8];
static size_t n_seeds;
static int work_dir = -1, home_dir = -1;
static FILE *sink;
static int sink_closed;

/* cli_finish() closes stdout; the harness's stdout must survive for the next run. */
int __real_fclose(FILE *f);
int __wrap_fclose(FILE *f)
{
    if (f == sink) {
        sink_closed = 1;
        return fflush(f);
    }
    return __real_fclose(f);
}

static void add_seed(const char *name, const void *p, size_t n)
{
    seed *s = &seeds[n_seeds++];
    s->name = name;
    s->data = malloc(n ? n : 1);
    if (!s->data)
        abort();
    memcpy(s->data, p, n);
    s->n = n;
}

static void read_seed(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap && !(buf = realloc(buf, cap = cap ? cap * 2 : 65536)))
            abort();
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    __real_fclose(f);
    add_seed(name, buf, n);
    free(buf);
}

/* Put the scratch directory back: the seed files as made, nothing else. */
static void restore(void)
{
    DIR *d = opendir(fuzz_tmpdir());
    if (!d)
        abort();
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        int keep = 0;
        for (size_t i = 0; i < n_seeds; i++)
            keep |= !strcmp(e->d_name, seeds[i].name);
        if (!keep && unlinkat(dirfd(d), e->d_name, 0) != 0)
            unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
    }
    closedir(d);
    for (size_t i = 0; i < n_seeds; i++)
        fuzz_write(seeds[i].name, seeds[i].data, seeds[i].n);
}

static int run(int argc, char **argv)
{
    FILE *out = stdout, *err = stderr;
    stdout = sink;
    stderr = sink;
    sink_closed = 0;
    if (fchdir(work_dir) != 0)
        abort();
    int fn = -1;
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[0], commands[i].name))
            fn = (int)i;
    if (fn < 0)
        fn = (int)((unsigned char)argv[0][0] % N_COMMANDS);
    int status = commands[fn].fn(argc, argv);
    if (fchdir(home_dir) != 0)
        abort();
    fflush(sink);
    clearerr(sink);
    stdout = out;
    stderr = err;
    /* The exit statuses are a contract (cli.h): nothing else may come back. */
    if (status < QT_EXIT_OK || status > QT_EXIT_PARTIAL)
        abort();
    return status;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    int null_in = open("/dev/null", O_RDONLY);
    if (null_in < 0 || dup2(null_in, STDIN_FILENO) < 0 || !(sink = fopen("/dev/null", "w")))
        abort();
    close(null_in);
    home_dir = open(".", O_RDONLY | O_DIRECTORY);
    work_dir = open(fuzz_tmpdir(), O_RDONLY | O_DIRECTORY);
    if (home_dir < 0 || work_dir < 0)
        abort();
    add_seed("a.txt", article, sizeof article - 1);
    add_seed("b.jsonl", jsonl, sizeof jsonl - 1);
    add_seed("c.html", page, sizeof page - 1);
    restore();
    /* A database of the three, and a shard of their records, made by the commands themselves. */
    char *ingest[] = {"ingest", "a.txt", "b.jsonl", "c.html", "-j", "1", NULL};
    char *shard[] = {"extract", "--json", "--fingerprints", "--with-text", "a.txt", "c.html",
                     "-j", "1", NULL};
    if (run(6, ingest) != QT_EXIT_OK)
        abort();
    /* extract prints to stdout: point the sink at the shard file for this one run. */
    FILE *keep = sink;
    char path[512];
    snprintf(path, sizeof path, "%s/r.jsonl", fuzz_tmpdir());
    if (!(sink = fopen(path, "w")) || run(8, shard) != QT_EXIT_OK || __real_fclose(sink) != 0)
        abort();
    sink = keep;
    read_seed("quotetrail.db");
    read_seed("r.jsonl");
    restore();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[MAX_ARGS * (MAX_ARG_LEN + 1)];
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    size_t at = 0, o = 0;
    while (at < size && argc < MAX_ARGS) {
        const uint8_t *nul = memchr(data + at, 0, size - at);
        size_t len = nul ? (size_t)(nul - (data + at)) : size - at;
        if (len > MAX_ARG_LEN)
            return 0;
        memcpy(buf + o, data + at, len);
        buf[o + len] = '\0';
        /* Confined to the scratch directory: no path may leave it. */
        if (memchr(buf + o, '/', len) || !strncmp(buf + o, "..", 2))
            return 0;
        argv[argc++] = buf + o;
        o += len + 1;
        at += len + 1;
    }
    if (argc == 0 || at < size)
        return 0;
    argv[argc] = NULL;
    run(argc, argv);
    restore();
    return 0;
}
