/*
 * reader.c - turn the command line's inputs (files, directories, "-") into qt_input articles.
 *
 * A .txt file is one article (the whole file is its text); a .jsonl file holds one article per
 * non-empty line ({"text": ..., "id", "title", "url", "published"}); an .html file is one page; a
 * .warc file holds one article per HTML response record (warc.c); any may be gzip-compressed.
 * Directories are walked recursively in sorted order. Problems with one input (missing, empty,
 * binary, a bad JSONL line, corrupt gzip) are returned one at a time and the next call goes on.
 *
 * Design notes
 *  (1) At most one file is open at a time (r->gz or r->warc != NULL). A .txt file is opened,
 *      read and closed within one qt_reader_next() call; only JSONL and WARC files stay open
 *      between calls.
 *  (2) A directory argument is first expanded into a sorted list of files (r->walk), costing a
 *      path's bytes per file, and these are then opened one by one like explicit arguments.
 *  (3) Everything a returned qt_input points to lives in reader buffers that the next call reuses,
 *      so memory is bounded by the largest article, never by the number of articles.
 *  (4) Every negative return from qt_reader_next() is one failed input (a file, stdin, or one
 *      JSONL line) and is counted once, in qt_reader_next() itself.
 *  (5) All input goes through zlib's gzFile, which reads plain data transparently: gzip is
 *      recognised by its magic bytes, whatever the file is called. WARC is the exception: a
 *      seekable WARC input is handed to warc.c on a file descriptor of its own (it inflates each
 *      gzip member itself, to find and skip damaged ones); only a WARC arriving through a pipe
 *      is read through the gzFile (qt_warc_open_stream()).
 *  (6) A WARC record's source is "path#offset", the offset of the record (of its gzip member in
 *      a .warc.gz) in the file. Records that are not HTML responses are counted, not reported.
 *
 * States: IDLE --open_input()--> TXT --read_txt(), close--> IDLE
 *                             \-> JSONL --read_jsonl() per call ... end or read error--> IDLE
 *                             \-> WARC --read_warc() per call ... end--> IDLE
 */
#include "ingest/qt_ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/uri.h>
#include <zlib.h>

#include "core/qt_core.h"
#include "core/qt_limits.h"
#include "extract/qt_extract.h"

#define IBUF_SIZE ((size_t)256 * 1024)  /* read-ahead; JSONL lines are cut out of it */
#define SNIFF_LEN 4096                  /* bytes looked at to decide that an input is binary */
#define MAX_WARN 8                      /* more than one article can produce (5 at most) */
#define KEEP_CAP ((size_t)1 << 20)      /* buffers bigger than this are freed between articles */

typedef enum { FMT_TXT, FMT_JSONL, FMT_HTML, FMT_WARC, FMT_SNIFF } in_format;

typedef struct walk_entry {
    size_t off;             /* the path's offset in r->walk_names */
    int err;                /* errno from reading a directory or stat'ing a file, else 0 */
    const char *path;       /* set once collecting is over and walk_names no longer moves */
} walk_entry;

/* A directory on the way down from a directory argument; see walk_dir(). */
typedef struct dir_id {
    dev_t dev;
    ino_t ino;
    const struct dir_id *up;
} dir_id;

struct qt_reader {
    char **args;            /* copies of the paths given to qt_reader_open() */
    size_t n_args;
    size_t next_arg;        /* next argument to open */

    qt_buf walk_names;      /* the current directory argument's files, NUL-separated; see (2) */
    qt_vec walk;            /* walk_entry, sorted by path */
    size_t walk_next;       /* next entry of walk to open */

    gzFile gz;              /* the open input, or NULL; see (1) */
    in_format fmt;          /* FMT_TXT or FMT_JSONL once open */
    int eof;                /* gzread() reported the end, or an error */
    size_t line_no;         /* JSONL: lines read so far, blank ones included */
    size_t n_lines;         /* JSONL: non-blank lines seen */
    int too_long;           /* read_line() skipped a line longer than max_article */
    char *ibuf;             /* IBUF_SIZE bytes of read-ahead */
    size_t ipos, ilen;      /* ibuf[ipos, ilen) is not consumed yet */
    qt_buf name;            /* the open input's source: path as reached, or "-" */

    /* The current article; see (3). */
    qt_buf raw;             /* a .txt file's bytes */
    qt_buf fixed;           /* text (or a JSONL line) after UTF-8 repair */
    qt_buf line;            /* the current JSONL line */
    qt_buf src, id, title, url, published;
    qt_buf warn[MAX_WARN];
    const char *warn_ptr[MAX_WARN];
    size_t n_warn;
    json_t *doc;            /* the parsed JSONL line; text may point into it */
    qt_html *html;          /* the page extractor, made at the first HTML input */
    qt_warc *warc;          /* the open WARC input, or NULL; see (5) */
    unsigned long long in_size; /* the open input's size in bytes, 0 when unknown (a pipe) */
    size_t n_skipped;       /* WARC records that were not HTML responses, in closed inputs */
    qt_jsonl_fields fast;   /* the same line decoded by the fast path, when it could */

    qt_limits lim;          /* qt_reader_set_limits(), else the defaults */
    size_t max_article;     /* lim.article_bytes (a test may lower it alone) */
    uint64_t unzipped;      /* the open gzip input's bytes decompressed so far */
    int lines;              /* qt_reader_set_lines(): every input is JSONL, lines go out raw */
    size_t n_failures, n_articles;
};

/* ---- small helpers --------------------------------------------------------------------------- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)p[i]))
            return 0;
    return 1;
}

static int has_bom(const char *p, size_t n)
{
    return n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0;
}

static size_t count_nul(const char *p, size_t n)
{
    size_t count = 0;
    for (const char *end = p + n; (p = memchr(p, 0, (size_t)(end - p))) != NULL; p++)
        count++;
    return count;
}

/* True when p[0..n) is valid UTF-8 without NUL bytes, i.e. qt_utf8_repair() would change nothing.
 * Checking first lets the common, clean article skip a copy. */
static int utf8_clean(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] > 0 && p[i] < 0x80) {
            i++;
            continue;
        }
        if (p[i] == 0)
            return 0;
        int len;
        int32_t cp = qt_utf8_decode(p + i, n - i, &len);
        if (cp == 0xFFFD && len != 3)   /* a real U+FFFD in the input is 3 bytes long */
            return 0;
        i += (size_t)len;
    }
    return 1;
}

static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)s[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c != (unsigned char)suffix[i])
            return 0;
    }
    return 1;
}

/* Format by name: .txt, .jsonl, .html/.htm, .warc, and any with .gz (any case). FMT_SNIFF for
 * anything else. */
static in_format format_of(const char *name)
{
    size_t n = strlen(name);
    if (ends_with_ci(name, n, ".gz"))
        n -= 3;
    if (ends_with_ci(name, n, ".txt"))
        return FMT_TXT;
    if (ends_with_ci(name, n, ".jsonl"))
        return FMT_JSONL;
    if (ends_with_ci(name, n, ".html") || ends_with_ci(name, n, ".htm"))
        return FMT_HTML;
    if (ends_with_ci(name, n, ".warc"))
        return FMT_WARC;
    return FMT_SNIFF;
}

/* Stdin and oddly named files: a JSON object first means JSONL, anything else is one article. */
static in_format sniff(const char *p, size_t n)
{
    if (n >= 7 && memcmp(p, "WARC/1.", 7) == 0)
        return FMT_WARC;
    size_t i = has_bom(p, n) ? 3 : 0;
    while (i < n && is_space((unsigned char)p[i]))
        i++;
    if (i < n && p[i] == '{')
        return FMT_JSONL;
    /* markup first: "<!DOCTYPE html", "<html", or a page that starts with its <head> */
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<!--", NULL};
    for (const char *const *t = tags; *t; t++)
        if (n - i >= strlen(*t) && strncasecmp(p + i, *t, strlen(*t)) == 0)
            return FMT_HTML;
    return FMT_TXT;
}

/* Formats that are surely not an article, by their magic bytes (gzip itself is decompressed
 * before we look, so a gzip header here means it was compressed twice). */
static const struct {
    unsigned char off, len;
    const char *magic;
} binary_magics[] = {
    {0, 5, "%PDF-"},            {0, 4, "PK\x03\x04"},           {0, 8, "\x89PNG\r\n\x1A\n"},
    {0, 3, "\xFF\xD8\xFF"},     {0, 6, "GIF87a"},               {0, 6, "GIF89a"},
    {0, 4, "\x7F" "ELF"},       {4, 6, "1AY&SY"} /* bzip2 */,   {0, 6, "\xFD" "7zXZ\0"},
    {0, 4, "\x28\xB5\x2F\xFD"} /* zstd */,                      {0, 6, "7z\xBC\xAF\x27\x1C"},
    {0, 6, "Rar!\x1A\x07"},     {0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"} /* old MS Office */,
    {0, 16, "SQLite format 3"}, {0, 3, "\x1F\x8B\x08"},         {0, 4, "\xCA\xFE\xBA\xBE"},
    {0, 4, "\xCF\xFA\xED\xFE"}, {0, 4, "\0asm"},                {4, 4, "ftyp"} /* MP4 */,
};

/* A known binary magic, or more than 10% control bytes in the first SNIFF_LEN bytes. Text with a
 * few stray NULs stays text (they are repaired with a warning); UTF-16 counts as binary. */
static int looks_binary(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < sizeof binary_magics / sizeof *binary_magics; i++) {
        size_t off = binary_magics[i].off, len = binary_magics[i].len;
        if (n >= off + len && memcmp(p + off, binary_magics[i].magic, len) == 0)
            return 1;
    }
    if (n > SNIFF_LEN)
        n = SNIFF_LEN;
    size_t ctrl = 0;
    for (size_t i = 0; i < n; i++)
        if ((p[i] < 0x20 && !is_space(p[i])) || p[i] == 0x7F)
            ctrl++;
    return ctrl * 10 > n;
}

/* A record line for `link` (qt_reader_set_lines()) carries its article's text, quotes and
 * people: it may be this many times article-bytes. */
#define LINE_FACTOR 8

/* article-bytes, or LINE_FACTOR times it for record lines, capped at its maximum. */
static void set_max_article(qt_reader *r)
{
    uint64_t a = r->lim.article_bytes, cap = (uint64_t)4 << 30;
    r->max_article = (size_t)(r->lines ? (a > cap / LINE_FACTOR ? cap : a * LINE_FACTOR) : a);
}

/* The refusal of the open input (or of its line) for article-bytes. */
static qt_status too_big(qt_reader *r, const char *name, int line, qt_err *err)
{
    char arg[64], raise[80];
    uint64_t a = r->lines ? r->max_article / LINE_FACTOR : r->max_article;
    qt_limit_arg("article-bytes", a, arg);
    qt_limit_raise("article-bytes", a, raise);
    return qt_fail(err, QT_ETOOBIG, "'%s'%s than %s%s, skipped; %s", name,
                   line ? ": the line is longer" : " is larger", r->lines ? "8 times " : "", arg,
                   raise);
}

static void buf_truncate(qt_buf *b, size_t len)
{
    if (b->data) {
        b->len = len;
        b->data[len] = '\0';
    }
}

/* Free a buffer that one huge article blew up, so that it does not stay for the whole run. */
static void buf_trim(qt_buf *b)
{
    if (b->cap > KEEP_CAP)
        qt_buf_release(b);
    else
        qt_buf_reset(b);
}

static qt_status enomem(qt_reader *r, qt_err *err)
{
    return qt_fail(err, QT_ENOMEM, "out of memory reading '%s'", r->name.data ? r->name.data : "");
}

/* Add one warning to the current article. Returns QT_OK or QT_ENOMEM. */
static qt_status warn(qt_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static qt_status warn(qt_reader *r, const char *fmt, ...)
{
    if (r->n_warn == MAX_WARN)
        return QT_OK;
    qt_buf *b = &r->warn[r->n_warn];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    qt_buf_reset(b);
    if (n < 0 || qt_buf_grow(b, (size_t)n) != QT_OK)
        return QT_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len = (size_t)n;
    r->n_warn++;
    return QT_OK;
}

/* ---- reading bytes --------------------------------------------------------------------------- */

static void close_input(qt_reader *r)
{
    if (r->warc)
        r->n_skipped += qt_warc_skipped(r->warc);
    qt_warc_free(r->warc);
    r->warc = NULL;
    if (r->gz)
        gzclose(r->gz);
    r->gz = NULL;
    r->ipos = r->ilen = 0;
    r->in_size = 0;
}

/* Read up to want bytes into dst. *got is 0 at the end of input. Returns QT_OK or the read error
 * (a truncated or corrupt gzip stream, an I/O error); either way r->eof is then set. */
static qt_status gz_read(qt_reader *r, void *dst, size_t want, size_t *got, qt_err *err)
{
    *got = 0;
    if (want > INT_MAX / 2)
        want = INT_MAX / 2;
    int n = gzread(r->gz, dst, (unsigned)want);
    if (n > 0) {
        *got = (size_t)n;
        /* A gzip bomb is refused as it streams, before it costs minutes of inflating: see
         * qt_limits.decompress_ratio. gzoffset() counts the compressed bytes consumed. */
        r->unzipped += (uint64_t)n;
        z_off_t in = r->unzipped > QT_DECOMPRESS_FLOOR && r->lim.decompress_ratio &&
                     !gzdirect(r->gz) ? gzoffset(r->gz) : 0;
        if (in > 0 && r->unzipped / r->lim.decompress_ratio > (uint64_t)in) {
            char arg[64], raise[80];
            r->eof = 1;
            *got = 0;
            return qt_fail(err, QT_ETOOBIG, "'%s' decompresses to over %" PRIu32 " times its "
                           "compressed size (%s), rest of the input skipped; %s", r->name.data,
                           r->lim.decompress_ratio,
                           qt_limit_arg("decompress-ratio", r->lim.decompress_ratio, arg),
                           qt_limit_raise("decompress-ratio", r->lim.decompress_ratio, raise));
        }
        return QT_OK;
    }
    r->eof = 1;
    int errnum = Z_OK;
    const char *msg = gzerror(r->gz, &errnum);
    if (n == 0 && errnum == Z_OK)
        return QT_OK;
    /* zlib prefixes its message with the path it was given ("<fd:3>: "); ours says it better. */
    const char *colon = msg ? strstr(msg, ": ") : NULL;
    msg = colon ? colon + 2 : msg && *msg ? msg : "unknown error";
    switch (errnum) {
    case Z_BUF_ERROR:
        return qt_fail(err, QT_EFORMAT, "'%s': truncated gzip data", r->name.data);
    case Z_DATA_ERROR:
        return qt_fail(err, QT_EFORMAT, "'%s': corrupt gzip data: %s", r->name.data, msg);
    case Z_MEM_ERROR:
        return enomem(r, err);
    default:
        return qt_fail(err, QT_EIO, "cannot read '%s': %s", r->name.data, msg);
    }
}

/* Refill the read-ahead. r->ilen == 0 afterwards means the end of input. */
static qt_status fill(qt_reader *r, qt_err *err)
{
    size_t got = 0;
    qt_status rc = QT_OK;
    r->ipos = r->ilen = 0;
    if (!r->eof)
        rc = gz_read(r, r->ibuf, IBUF_SIZE, &got, err);
    r->ilen = got;
    return rc;
}

/* Stream mode's source (qt_warc_open_stream()): the open gzFile, after the read-ahead. */
static qt_status warc_read(void *ctx, void *buf, size_t want, size_t *got, qt_err *err)
{
    qt_reader *r = ctx;
    *got = 0;
    return r->eof ? QT_OK : gz_read(r, buf, want, got, err);
}

/* Hand the input recognised as WARC to warc.c; see (5). again is a second descriptor of a
 * seekable input (its start at offset start), or -1 for a pipe; it is consumed either way. */
static qt_status open_warc(qt_reader *r, int again, off_t start, qt_err *err)
{
    if (again >= 0) {
        if (r->gz)
            gzclose(r->gz);
        r->gz = NULL;
        r->ipos = r->ilen = 0;
        if (lseek(again, start, SEEK_SET) < 0) {
            int e = errno;
            close(again);
            return qt_fail(err, QT_EIO, "cannot read '%s': %s", r->name.data, strerror(e));
        }
        qt_status rc = qt_warc_open_fd(&r->warc, again, r->name.data,
                                       (size_t)r->lim.warc_record_bytes, err);
        if (rc == QT_OK)
            qt_warc_set_ratio(r->warc, r->lim.decompress_ratio);
        return rc;
    }
    /* A pipe is inflated by our gzFile, whose reads check the ratio themselves. */
    qt_status rc = qt_warc_open_stream(&r->warc, warc_read, r, r->ibuf + r->ipos,
                                       r->ilen - r->ipos, r->name.data,
                                       (size_t)r->lim.warc_record_bytes, err);
    r->ipos = r->ilen;
    return rc;
}

/* Open path (or stdin when path is "-" and is_stdin) and look at its start: an empty or binary
 * input fails here, and FMT_SNIFF is settled. On failure nothing stays open. */
static qt_status open_input(qt_reader *r, const char *path, int is_stdin, in_format fmt,
                            qt_err *err)
{
    qt_buf_reset(&r->name);
    if (qt_buf_puts(&r->name, path) != QT_OK)
        return enomem(r, err);
    /* dup() so that gzclose() leaves the caller's stdin open. */
    int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return qt_fail(err, QT_EIO, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return qt_fail(err, QT_EIO, "cannot open '%s': %s", path, strerror(e));
    }
    /* A WARC can be read on its own descriptor only where it can seek; see (5). */
    off_t start = S_ISREG(st.st_mode) ? lseek(fd, 0, SEEK_CUR) : -1;
    r->in_size = start >= 0 && st.st_size > start ? (unsigned long long)(st.st_size - start) : 0;
    if (fmt == FMT_WARC && start >= 0) {
        r->fmt = FMT_WARC;
        qt_status rc = open_warc(r, fd, start, err);
        if (rc != QT_OK)
            close_input(r);
        return rc;
    }
    int again = fmt == FMT_SNIFF && start >= 0 ? dup(fd) : -1;   /* in case it sniffs as WARC */
    r->gz = gzdopen(fd, "rb");
    if (!r->gz) {
        close(fd);
        if (again >= 0)
            close(again);
        return enomem(r, err);
    }
    gzbuffer(r->gz, 128 * 1024);
    r->eof = 0;
    r->unzipped = 0;
    r->line_no = r->n_lines = 0;

    qt_status rc = fill(r, err);
    if (rc == QT_OK && r->ilen == 0)
        rc = qt_fail(err, QT_EFORMAT, "'%s' is empty", path);
    if (rc == QT_OK)
        r->fmt = fmt == FMT_SNIFF ? sniff(r->ibuf, r->ilen) : fmt;
    /* A WARC's records may be images: its bytes are judged record by record. */
    if (rc == QT_OK && r->fmt != FMT_WARC && looks_binary(r->ibuf, r->ilen))
        rc = qt_fail(err, QT_EFORMAT, "'%s' looks binary, skipped", path);
    /* A plain file's size is known up front: no need to read 300 MB to refuse it. */
    if (rc == QT_OK && r->fmt != FMT_JSONL && r->fmt != FMT_WARC && gzdirect(r->gz) &&
        S_ISREG(st.st_mode) && (unsigned long long)st.st_size > r->max_article) {
        rc = too_big(r, path, 0, err);
    }
    if (rc == QT_OK && r->fmt == FMT_WARC) {
        rc = open_warc(r, again, start, err);
        again = -1;
    }
    if (again >= 0)
        close(again);
    if (rc != QT_OK)
        close_input(r);
    return rc;
}

/* Cut the next line (without its "\n" or "\r\n") into r->line. Returns QT_OK, QT_DONE at the end
 * of input, or a read error, in which case a partial last line is dropped. A line longer than
 * max_article is read past but not kept: r->too_long is set and r->line is empty. The read-ahead
 * is searched with memchr and appended in runs, so a 100 MB line costs linear time. */
static qt_status read_line(qt_reader *r, qt_err *err)
{
    int any = 0;
    qt_buf_reset(&r->line);
    r->too_long = 0;
    for (;;) {
        if (r->ipos == r->ilen) {
            qt_status rc = fill(r, err);
            if (rc != QT_OK)
                return rc;
            if (r->ilen == 0)
                break;
        }
        any = 1;
        char *p = r->ibuf + r->ipos;
        size_t avail = r->ilen - r->ipos;
        char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) : avail;
        if (!r->too_long) {
            if (take > r->max_article - r->line.len) {
                r->too_long = 1;
                qt_buf_reset(&r->line);
            } else if (qt_buf_append(&r->line, p, take) != QT_OK) {
                return enomem(r, err);
            }
        }
        r->ipos += take + (nl != NULL);
        if (nl)
            break;
    }
    if (!any)
        return QT_DONE;
    if (r->line.len && r->line.data[r->line.len - 1] == '\r')
        buf_truncate(&r->line, r->line.len - 1);
    return QT_OK;
}

/* ---- building an article --------------------------------------------------------------------- */

/* Point in->text at p[0..n), repairing invalid UTF-8 and NUL bytes into r->fixed when needed, and
 * hash the bytes as given. invalid and nul count repairs already made to this article (a JSONL
 * line is repaired before parsing); one warning reports them all. */
static qt_status set_text(qt_reader *r, qt_input *in, const char *p, size_t n, size_t invalid,
                          size_t nul, qt_err *err)
{
    qt_hash128_hex(p, n, in->hash);
    in->text = p;
    in->text_len = n;
    if (!utf8_clean(p, n)) {
        size_t bad = 0, n_nul = count_nul(p, n);
        qt_buf_reset(&r->fixed);
        if (qt_utf8_repair(p, n, &r->fixed, &bad) != QT_OK)
            return enomem(r, err);
        in->text = r->fixed.data;
        in->text_len = r->fixed.len;
        invalid += bad - n_nul;     /* qt_utf8_repair() counts each NUL as one repair */
        nul += n_nul;
    }
    qt_status rc = QT_OK;
    const char *src = in->source;
    if (invalid && nul)
        rc = warn(r, "'%s': %zu invalid UTF-8 sequence%s and %zu NUL byte%s replaced with U+FFFD",
                  src, invalid, invalid == 1 ? "" : "s", nul, nul == 1 ? "" : "s");
    else if (invalid)
        rc = warn(r, "'%s': %zu invalid UTF-8 sequence%s replaced with U+FFFD", src, invalid,
                  invalid == 1 ? "" : "s");
    else if (nul)
        rc = warn(r, "'%s': %zu NUL byte%s replaced with U+FFFD", src, nul, nul == 1 ? "" : "s");
    return rc == QT_OK ? QT_OK : enomem(r, err);
}

/* Read the rest of the open input into r->raw (at most max_article bytes). */
static qt_status slurp(qt_reader *r, qt_err *err)
{
    qt_buf *b = &r->raw;
    qt_buf_reset(b);
    if (qt_buf_append(b, r->ibuf + r->ipos, r->ilen - r->ipos) != QT_OK)
        return enomem(r, err);
    r->ipos = r->ilen;
    /* Read straight into one growing buffer; qt_buf_grow() grows geometrically, so a big file
     * costs a few reallocations, and we never ask for more than max_article + 1 bytes. */
    while (!r->eof && b->len <= r->max_article) {
        if (qt_buf_grow(b, IBUF_SIZE) != QT_OK)
            return enomem(r, err);
        size_t want = b->cap - b->len - 1, got = 0;
        if (want > r->max_article + 1 - b->len)
            want = r->max_article + 1 - b->len;
        qt_status rc = gz_read(r, b->data + b->len, want, &got, err);
        if (rc != QT_OK)
            return rc;
        b->len += got;
        b->data[b->len] = '\0';
    }
    if (b->len > r->max_article)
        return too_big(r, r->name.data, 0, err);
    return QT_OK;
}

/* Read the rest of the open .txt input as one article. */
static qt_status read_txt(qt_reader *r, qt_input *in, qt_err *err)
{
    qt_status rc = slurp(r, err);
    if (rc != QT_OK)
        return rc;
    qt_buf *b = &r->raw;
    const char *p = b->data;
    size_t n = b->len;
    /* A leading UTF-8 byte order mark is an encoding marker, not text: drop it, so that offsets
     * and the hash do not depend on whether the editor wrote one. */
    if (has_bom(p, n))
        p += 3, n -= 3;
    if (is_blank(p, n))
        return qt_fail(err, QT_EFORMAT, "'%s' is empty", r->name.data);
    in->source = r->name.data;
    return set_text(r, in, p, n, 0, 0, err);
}

static qt_status new_html(qt_reader *r, qt_err *err)
{
    qt_status rc = qt_html_new(&r->html, err);
    if (rc == QT_OK)
        qt_html_set_max_depth(r->html, r->lim.html_depth);
    return rc;
}

/* Read the rest of the open HTML page and take its article (src/extract): the headline as the
 * title, the body paragraphs as the text, and the page's URL, date, site and byline. */
static qt_status read_html(qt_reader *r, qt_input *in, qt_err *err)
{
    qt_status rc = slurp(r, err);
    if (rc != QT_OK)
        return rc;
    if (!r->html && new_html(r, err) != QT_OK)
        return enomem(r, err);
    qt_page pg;
    qt_err e2 = {0};
    rc = qt_html_extract(r->html, r->raw.data, r->raw.len, NULL, NULL, &pg, &e2);
    if (rc != QT_OK)
        return qt_fail(err, rc, "'%s': %s", r->name.data, e2.msg);
    if (!pg.text_len)
        return qt_fail(err, QT_EFORMAT, "'%s': no article text found in the page", r->name.data);
    in->source = r->name.data;
    in->title = pg.title;
    in->url = pg.url;
    in->published = pg.published;
    in->site = pg.site;
    in->byline = pg.byline;
    return set_text(r, in, pg.text, pg.text_len, 0, 0, err);
}

/* Return the next HTML response of the open WARC input as an article: the page's headline,
 * body and metadata as for an .html file, its URL the page's canonical one or else the record's
 * target URI (also the base for relative links). QT_DONE when the input is used up. */
static qt_status read_warc(qt_reader *r, qt_input *in, qt_err *err)
{
    qt_warc_record rec;
    qt_status rc = qt_warc_next(r->warc, &rec, err);
    if (rc != QT_OK)
        return rc;
    qt_buf_reset(&r->src);
    if (qt_buf_printf(&r->src, "%s#%" PRIu64, r->name.data, rec.offset) != QT_OK)
        return enomem(r, err);
    const char *src = r->src.data;
    if (!r->html && new_html(r, err) != QT_OK)
        return enomem(r, err);
    qt_page pg;
    qt_err e2 = {0};
    rc = qt_html_extract(r->html, rec.body, rec.body_len, rec.charset, rec.target_uri, &pg, &e2);
    if (rc != QT_OK)
        return qt_fail(err, rc, "'%s': %s", src, e2.msg);
    if (!pg.text_len)
        return qt_fail(err, QT_EFORMAT, "'%s': no article text found in the page", src);
    in->source = src;
    in->title = pg.title;
    in->url = pg.url ? pg.url : rec.target_uri;
    if (pg.url && rec.target_uri && !strstr(pg.url, "://")) {
        /* a relative canonical link ("/news/ferry") read against the address it was fetched at */
        xmlChar *abs = xmlBuildURI((const xmlChar *)pg.url, (const xmlChar *)rec.target_uri);
        qt_buf_reset(&r->url);
        rc = abs ? qt_buf_puts(&r->url, (const char *)abs) : QT_OK;
        xmlFree(abs);
        if (rc != QT_OK)
            return enomem(r, err);
        if (abs)
            in->url = r->url.data;
    }
    in->published = pg.published;
    in->site = pg.site;
    in->byline = pg.byline;
    rc = QT_OK;
    for (size_t i = 0; i < rec.n_warnings && rc == QT_OK; i++)
        rc = warn(r, "%s", rec.warnings[i]);
    if (rc == QT_OK && rec.truncated)
        rc = warn(r, "'%s': the archive holds only the start of this page (WARC-Truncated: %s)",
                  src, rec.truncated);
    if (rc != QT_OK)
        return enomem(r, err);
    return set_text(r, in, pg.text, pg.text_len, 0, 0, err);
}

/* Copy the optional field `key` of the current JSONL object into buf and point *out at it. Absent,
 * null and "" give NULL. An "id" may be a number (its decimal form is used); any other type is
 * ignored with a warning. NUL bytes (from "\u0000") are replaced and counted into *nul. */
static qt_status take_field(qt_reader *r, const char *key, qt_buf *buf, const char **out,
                            const char *src, size_t *nul)
{
    json_t *v = json_object_get(r->doc, key);
    qt_status rc = QT_OK;
    *out = NULL;
    qt_buf_reset(buf);
    if (!v || json_is_null(v))
        return QT_OK;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v), bad = 0;
        if (n == 0)
            return QT_OK;
        if (memchr(s, 0, n))
            rc = qt_utf8_repair(s, n, buf, &bad);
        else
            rc = qt_buf_append(buf, s, n);
        *nul += bad;
    } else if (strcmp(key, "id") == 0 && json_is_integer(v)) {
        rc = qt_buf_printf(buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (strcmp(key, "id") == 0 && json_is_real(v)) {
        rc = qt_buf_printf(buf, "%.17g", json_real_value(v));
    } else {
        return warn(r, "'%s': \"%s\" is not a string, ignored", src, key);
    }
    if (rc == QT_OK)
        *out = buf->data;
    return rc;
}

/* Parse one non-blank JSONL line p[0..n) into an article. */
static qt_status jsonl_article(qt_reader *r, const char *p, size_t n, qt_input *in, qt_err *err)
{
    const char *src = r->src.data;
    size_t invalid = 0, nul = 0;
    /* JSON must be UTF-8 and jansson rejects a line with one bad byte; repairing the line first
     * keeps the article (with a warning) rather than losing it over a stray Latin-1 byte. */
    if (!utf8_clean(p, n)) {
        size_t bad = 0;
        nul = count_nul(p, n);
        qt_buf_reset(&r->fixed);
        if (qt_utf8_repair(p, n, &r->fixed, &bad) != QT_OK)
            return enomem(r, err);
        invalid = bad - nul;
        p = r->fixed.data;
        n = r->fixed.len;
    }
    if (qt_jsonl_fast(p, n, &r->fast)) {
        const qt_buf *v = r->fast.value;
        if (is_blank(v[QT_JF_TEXT].data, v[QT_JF_TEXT].len))
            return qt_fail(err, QT_EFORMAT, "'%s': \"text\" is empty", src);
        in->source = src;
        const char **outs[QT_JF_COUNT] = {NULL, &in->id, &in->title, &in->url, &in->published};
        for (int i = 1; i < QT_JF_COUNT; i++)
            *outs[i] = (r->fast.present & (1u << i)) && v[i].len ? v[i].data : NULL;
        return set_text(r, in, v[QT_JF_TEXT].data, v[QT_JF_TEXT].len, invalid, nul, err);
    }
    json_error_t je;
    r->doc = json_loadb(p, n, JSON_ALLOW_NUL, &je);
    if (!r->doc)
        return qt_fail(err, QT_EFORMAT, "'%s': invalid JSON: %s", src, je.text);
    if (!json_is_object(r->doc))
        return qt_fail(err, QT_EFORMAT, "'%s': not a JSON object", src);
    json_t *text = json_object_get(r->doc, "text");
    if (!json_is_string(text))
        return qt_fail(err, QT_EFORMAT, "'%s': no \"text\" string", src);
    const char *s = json_string_value(text);
    size_t len = json_string_length(text);
    if (is_blank(s, len))
        return qt_fail(err, QT_EFORMAT, "'%s': \"text\" is empty", src);
    in->source = src;
    qt_status rc = take_field(r, "id", &r->id, &in->id, src, &nul);
    if (rc == QT_OK)
        rc = take_field(r, "title", &r->title, &in->title, src, &nul);
    if (rc == QT_OK)
        rc = take_field(r, "url", &r->url, &in->url, src, &nul);
    if (rc == QT_OK)
        rc = take_field(r, "published", &r->published, &in->published, src, &nul);
    if (rc != QT_OK)
        return enomem(r, err);
    /* The hash covers the decoded "text" string: the same article gets the same hash whether it
     * came as a .txt file or as a JSONL line. */
    return set_text(r, in, s, len, invalid, nul, err);
}

/* Return the next article of the open JSONL input. QT_DONE when it is used up (it is then
 * closed); a read error also closes it, while a bad line leaves it open for the next call. */
static qt_status read_jsonl(qt_reader *r, qt_input *in, qt_err *err)
{
    for (;;) {
        qt_status rc = read_line(r, err);
        if (rc == QT_DONE) {
            close_input(r);
            /* Only blank lines: as empty as a file of zero bytes. */
            return r->n_lines ? QT_DONE : qt_fail(err, QT_EFORMAT, "'%s' is empty", r->name.data);
        }
        if (rc != QT_OK) {
            close_input(r);
            return rc;
        }
        r->line_no++;
        const char *p = r->line.data ? r->line.data : "";
        size_t n = r->line.len;
        if (r->line_no == 1 && has_bom(p, n))   /* see read_txt() */
            p += 3, n -= 3;
        if (!r->too_long && is_blank(p, n))
            continue;
        r->n_lines++;
        qt_buf_reset(&r->src);
        if (qt_buf_printf(&r->src, "%s:%zu", r->name.data, r->line_no) != QT_OK)
            return enomem(r, err);
        if (r->too_long)
            return too_big(r, r->src.data, 1, err);
        if (r->lines) {
            in->source = r->src.data;
            in->text = p;
            in->text_len = n;
            return QT_OK;
        }
        return jsonl_article(r, p, n, in, err);
    }
}

/* ---- directory walks ------------------------------------------------------------------------- */

static qt_status walk_add(qt_reader *r, const char *path, size_t len, int err)
{
    size_t off = r->walk_names.len;
    if (qt_buf_append(&r->walk_names, path, len) != QT_OK ||
        qt_buf_putc(&r->walk_names, '\0') != QT_OK)
        return QT_ENOMEM;
    walk_entry *e = qt_vec_push(&r->walk);
    if (!e)
        return QT_ENOMEM;
    e->off = off;
    e->err = err;
    return QT_OK;
}

/* Collect the readable-looking files under the directory path (which ends with '/') into r->walk.
 * Hidden entries are skipped, and so are files other than .txt/.jsonl/.html/.warc(.gz). A
 * directory that cannot be read becomes an entry with its errno, reported in turn, under its
 * first err_len bytes of path. Symlinks are followed, except back up to a directory we are
 * inside, which would never end. Entry names are read and the directory closed before
 * descending, so the depth of the tree does not cost open file descriptors. Returns QT_OK or
 * QT_ENOMEM. */
/* NOLINTNEXTLINE(misc-no-recursion): one small frame per level of the tree, loops refused */
static qt_status walk_dir(qt_reader *r, qt_buf *path, size_t err_len, const dir_id *up)
{
    size_t base = path->len;
    qt_buf names = QT_BUF_INIT;     /* entry names, each followed by a NUL */
    qt_status rc = QT_OK;
    DIR *d = opendir(path->data);
    if (!d)
        return walk_add(r, path->data, err_len, errno);
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno)
                rc = walk_add(r, path->data, err_len, errno);
            break;
        }
        if (de->d_name[0] == '.')
            continue;
        if (qt_buf_append(&names, de->d_name, strlen(de->d_name) + 1) != QT_OK) {
            rc = QT_ENOMEM;
            break;
        }
    }
    closedir(d);
    for (size_t off = 0; rc == QT_OK && off < names.len; off += strlen(names.data + off) + 1) {
        const char *name = names.data + off;
        struct stat st;
        buf_truncate(path, base);
        if (qt_buf_puts(path, name) != QT_OK) {
            rc = QT_ENOMEM;
            break;
        }
        /* A directory of shards for `link` may hold other files beside them (logs, a README). */
        int wanted = r->lines ? format_of(name) == FMT_JSONL : format_of(name) != FMT_SNIFF;
        if (stat(path->data, &st) != 0) {
            if (wanted)     /* a dangling symlink named like an article is worth reporting */
                rc = walk_add(r, path->data, path->len, errno);
        } else if (S_ISDIR(st.st_mode)) {
            dir_id me = {st.st_dev, st.st_ino, up};
            int loop = 0;
            for (const dir_id *a = up; a && !loop; a = a->up)
                loop = a->dev == me.dev && a->ino == me.ino;
            size_t len = path->len;
            if (!loop && (rc = qt_buf_putc(path, '/')) == QT_OK)
                rc = walk_dir(r, path, len, &me);
        } else if (wanted && S_ISREG(st.st_mode)) {
            rc = walk_add(r, path->data, path->len, 0);
        }
    }
    buf_truncate(path, base);
    qt_buf_release(&names);
    return rc;
}

static int walk_cmp(const void *a, const void *b)
{
    /* Every path starts with the same directory argument, so this orders the relative paths
     * byte by byte (strcmp compares as unsigned char), as DESIGN.md promises. */
    return strcmp(((const walk_entry *)a)->path, ((const walk_entry *)b)->path);
}

/* Expand the directory argument arg (st is its stat) into r->walk. Fails with QT_ENOMEM, or
 * QT_EFORMAT when it holds no file to read. */
static qt_status walk_start(qt_reader *r, const char *arg, const struct stat *st, qt_err *err)
{
    qt_buf path = QT_BUF_INIT;
    dir_id top = {st->st_dev, st->st_ino, NULL};
    size_t arg_len = strlen(arg);
    qt_buf_reset(&r->walk_names);
    r->walk.n = r->walk_next = 0;
    /* "examples" and "examples/" both give "examples/01.txt": join without doubling the '/'. */
    qt_status rc = qt_buf_puts(&path, arg);
    if (rc == QT_OK && arg[arg_len - 1] != '/')
        rc = qt_buf_putc(&path, '/');
    if (rc == QT_OK)
        rc = walk_dir(r, &path, arg_len, &top);
    qt_buf_release(&path);
    if (rc != QT_OK) {
        r->walk.n = 0;
        return qt_fail(err, QT_ENOMEM, "out of memory reading '%s'", arg);
    }
    for (size_t i = 0; i < r->walk.n; i++) {
        walk_entry *e = &QT_VEC_AT(&r->walk, walk_entry, i);
        e->path = r->walk_names.data + e->off;
    }
    if (r->walk.n == 0)
        return qt_fail(err, QT_EFORMAT, "'%s' has no .txt, .jsonl, .html or .warc files", arg);
    qsort(r->walk.items, r->walk.n, sizeof(walk_entry), walk_cmp);
    return QT_OK;
}

/* ---- the reader ------------------------------------------------------------------------------ */

qt_status qt_reader_open(qt_reader **out, const char *const *paths, size_t n_paths, qt_err *err)
{
    if (!out)
        return qt_fail(err, QT_EINVAL, "qt_reader_open: no place for the reader");
    *out = NULL;
    if (n_paths && !paths)
        return qt_fail(err, QT_EINVAL, "qt_reader_open: no input paths");
    for (size_t i = 0; i < n_paths; i++)
        if (!paths[i] || !paths[i][0])
            return qt_fail(err, QT_EINVAL, "input path %zu is empty", i + 1);
    qt_reader *r = calloc(1, sizeof *r);
    if (!r)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    r->walk = (qt_vec)QT_VEC_INIT(walk_entry);
    r->lim = qt_limits_default();
    r->max_article = (size_t)r->lim.article_bytes;
    r->ibuf = malloc(IBUF_SIZE);
    r->args = calloc(n_paths ? n_paths : 1, sizeof *r->args);
    if (!r->ibuf || !r->args) {
        qt_reader_free(r);
        return qt_fail(err, QT_ENOMEM, "out of memory");
    }
    for (r->n_args = 0; r->n_args < n_paths; r->n_args++) {
        r->args[r->n_args] = strdup(paths[r->n_args]);
        if (!r->args[r->n_args]) {
            qt_reader_free(r);
            return qt_fail(err, QT_ENOMEM, "out of memory");
        }
    }
    *out = r;
    return QT_OK;
}

void qt_reader_set_max_article(qt_reader *r, size_t max)
{
    if (r && max > 0) {
        r->max_article = max;
        r->lim.warc_record_bytes = max;
    }
}

void qt_reader_set_limits(qt_reader *r, const qt_limits *l)
{
    if (!r || !l)
        return;
    r->lim = *l;
    set_max_article(r);
    if (r->html)
        qt_html_set_max_depth(r->html, l->html_depth);
}

/* Find and read the next article, opening inputs as needed; see the state diagram above. */
static qt_status next_article(qt_reader *r, qt_input *in, qt_err *err)
{
    for (;;) {
        qt_status rc;
        if (r->warc) {
            rc = read_warc(r, in, err);
            if (rc != QT_DONE)
                return rc;
            close_input(r);
            continue;
        }
        if (r->gz && (r->fmt == FMT_TXT || r->fmt == FMT_HTML)) {
            rc = r->fmt == FMT_TXT ? read_txt(r, in, err) : read_html(r, in, err);
            close_input(r);
            return rc;
        }
        if (r->gz) {
            rc = read_jsonl(r, in, err);
            if (rc != QT_DONE)
                return rc;
            continue;
        }
        if (r->walk_next < r->walk.n) {
            const walk_entry *e = &QT_VEC_AT(&r->walk, walk_entry, r->walk_next++);
            if (e->err)
                return qt_fail(err, QT_EIO, "cannot open '%s': %s", e->path, strerror(e->err));
            rc = open_input(r, e->path, 0, r->lines ? FMT_JSONL : format_of(e->path), err);
            if (rc != QT_OK)
                return rc;
            continue;
        }
        if (r->next_arg == r->n_args)
            return QT_DONE;
        const char *arg = r->args[r->next_arg++];
        struct stat st;
        if (strcmp(arg, "-") == 0) {
            rc = open_input(r, "-", 1, r->lines ? FMT_JSONL : FMT_SNIFF, err);
        } else if (stat(arg, &st) != 0) {
            rc = qt_fail(err, QT_EIO, "cannot open '%s': %s", arg, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk_start(r, arg, &st, err);
        } else {
            /* Named explicitly, any file is tried: by extension, else sniffed like stdin. */
            rc = open_input(r, arg, 0, r->lines ? FMT_JSONL : format_of(arg), err);
        }
        if (rc != QT_OK)
            return rc;
    }
}

void qt_reader_set_lines(qt_reader *r, int on)
{
    if (r) {
        r->lines = on != 0;
        set_max_article(r);
    }
}

qt_status qt_reader_next(qt_reader *r, qt_input *in, qt_err *err)
{
    if (!r || !in)
        return qt_fail(err, QT_EINVAL, "qt_reader_next: no reader or no place for the input");
    memset(in, 0, sizeof *in);
    /* The previous article is given up now; see (3). */
    json_decref(r->doc);
    r->doc = NULL;
    r->n_warn = 0;
    buf_trim(&r->raw);
    buf_trim(&r->fixed);
    buf_trim(&r->line);

    qt_status rc = next_article(r, in, err);
    if (rc == QT_OK) {
        for (size_t i = 0; i < r->n_warn; i++)
            r->warn_ptr[i] = r->warn[i].data;
        in->warnings = r->warn_ptr;
        in->n_warnings = r->n_warn;
        r->n_articles++;
    } else if (rc < 0) {
        memset(in, 0, sizeof *in);
        r->n_failures++;    /* (4) */
    }
    return rc;
}

size_t qt_reader_failures(const qt_reader *r)
{
    return r ? r->n_failures : 0;
}

size_t qt_reader_articles(const qt_reader *r)
{
    return r ? r->n_articles : 0;
}

size_t qt_reader_skipped(const qt_reader *r)
{
    return r ? r->n_skipped + qt_warc_skipped(r->warc) : 0;
}

void qt_reader_position(const qt_reader *r, unsigned long long *done, unsigned long long *total)
{
    unsigned long long d = 0, t = r ? r->in_size : 0;
    if (r && r->warc && !r->gz) {
        d = qt_warc_position(r->warc);
    } else if (r && r->gz) {
        z_off_t off = gzoffset(r->gz);
        d = off > 0 ? (unsigned long long)off : 0;
    }
    if (done)
        *done = t && d > t ? t : d;
    if (total)
        *total = t;
}

void qt_reader_free(qt_reader *r)
{
    if (!r)
        return;
    close_input(r);
    for (size_t i = 0; i < r->n_args; i++)
        free(r->args[i]);
    free(r->args);
    free(r->ibuf);
    json_decref(r->doc);
    qt_html_free(r->html);
    qt_buf_release(&r->walk_names);
    qt_jsonl_fields_release(&r->fast);
    qt_vec_release(&r->walk);
    qt_buf *bufs[] = {&r->name, &r->raw, &r->fixed, &r->line, &r->src,
                      &r->id, &r->title, &r->url, &r->published};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        qt_buf_release(bufs[i]);
    for (size_t i = 0; i < MAX_WARN; i++)
        qt_buf_release(&r->warn[i]);
    free(r);
}
