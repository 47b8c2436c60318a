/*
 * test_warc.c - WARC input (src/ingest/warc.c, and the reader's use of it) against archives
 * written at test time: plain and gzip-per-record, with the damage real crawls have (a member cut
 * off by the end of the file, a corrupt member, a Content-Length that lies, stray bytes).
 *
 * Every page is a made-up three-paragraph story; each test checks what was read (sources with
 * their offsets, URLs, titles), what was reported, and that the records after damage survive.
 */
#define _XOPEN_SOURCE 700       /* nftw(), to remove the fixtures */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "core/qt_core.h"
#include "ingest/qt_ingest.h"

static char g_root[4096];

/* ---- fixtures -------------------------------------------------------------------------------- */

static const char *tmp_path(const char *rel)
{
    static char bufs[16][4200];
    static int next;
    char *p = bufs[next++ % 16];
    snprintf(p, 4200, "%s/%s", g_root, rel);
    return p;
}

static const char *write_file(const char *rel, const void *data, size_t n)
{
    const char *path = tmp_path(rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* An archive being built: its records, each kept apart so it can be written plain or as one
 * gzip member per record, and damaged one at a time. */
#define MAX_RECS 12
typedef struct archive {
    qt_buf rec[MAX_RECS];
    size_t n;
    uint64_t off[MAX_RECS];     /* where each record (its member) starts in the written file */
} archive;

static void archive_release(archive *a)
{
    for (size_t i = 0; i < a->n; i++)
        qt_buf_release(&a->rec[i]);
    a->n = 0;
}

/* A WARC record; length < 0 means the block's true length, else the one the header claims. */
static size_t add_record(archive *a, const char *type, const char *uri, const char *ctype,
                         const void *block, size_t n, long long length)
{
    assert_true(a->n < MAX_RECS);
    qt_buf *b = &a->rec[a->n];
    *b = (qt_buf)QT_BUF_INIT;
    assert_int_equal(qt_buf_printf(b, "WARC/1.0\r\nWARC-Type: %s\r\n"
                                   "WARC-Record-ID: <urn:uuid:%08zx-0000-4000-8000-0000>\r\n"
                                   "WARC-Date: 2024-05-%02zuT10:11:12Z\r\n", type, a->n, a->n + 1),
                     QT_OK);
    if (uri)
        assert_int_equal(qt_buf_printf(b, "WARC-Target-URI: %s\r\n", uri), QT_OK);
    assert_int_equal(qt_buf_printf(b, "Content-Type: %s\r\nContent-Length: %lld\r\n\r\n", ctype,
                                   length < 0 ? (long long)n : length), QT_OK);
    assert_int_equal(qt_buf_append(b, block, n), QT_OK);
    assert_int_equal(qt_buf_puts(b, "\r\n\r\n"), QT_OK);
    return a->n++;
}

/* An HTTP response block: status line, Content-Type (unless NULL), more header lines, body. */
static void http(qt_buf *b, int status, const char *ctype, const char *extra, const void *body,
                 size_t n)
{
    *b = (qt_buf)QT_BUF_INIT;
    assert_int_equal(qt_buf_printf(b, "HTTP/1.1 %d %s\r\nServer: test\r\n", status,
                                   status == 200 ? "OK" : "Other"), QT_OK);
    if (ctype)
        assert_int_equal(qt_buf_printf(b, "Content-Type: %s\r\n", ctype), QT_OK);
    assert_int_equal(qt_buf_printf(b, "%s\r\n", extra ? extra : ""), QT_OK);
    assert_int_equal(qt_buf_append(b, body, n), QT_OK);
}

/* A made-up news page whose article the extractor finds; `n` varies the words. */
static void page(qt_buf *b, int n, const char *title)
{
    *b = (qt_buf)QT_BUF_INIT;
    assert_int_equal(qt_buf_printf(b,
        "<!DOCTYPE html><html><head><title>%s</title>"
        "<link rel=\"canonical\" href=\"/story/%d\"></head><body>"
        "<nav><a href=\"/\">Home</a> <a href=\"/sport\">Sport</a></nav><article><h1>%s</h1>"
        "<p>The tide gauge at pier %d read higher than any spring on record, the harbour "
        "office said on Monday, and the lower road was closed before noon.</p>"
        "<p>\"We moved the boats to the inner basin at first light,\" said Ines Alvarado, "
        "who keeps the chandlery by berth %d. \"Nobody wanted to wait for the second tide.\"</p>"
        "<p>The council will meet on Thursday to decide whether the sea wall needs another "
        "metre, with a report from the engineers expected by the end of the month.</p>"
        "</article></body></html>", title, n, title, n, n * 3), QT_OK);
}

static size_t add_page(archive *a, int n, const char *title)
{
    qt_buf body, block;
    page(&body, n, title);
    http(&block, 200, "text/html; charset=utf-8", NULL, body.data, body.len);
    char uri[64];
    snprintf(uri, sizeof uri, "http://tides.example/story/%d?ref=feed", n);
    size_t i = add_record(a, "response", uri, "application/http; msgtype=response", block.data,
                          block.len, -1);
    qt_buf_release(&body);
    qt_buf_release(&block);
    return i;
}

/* One gzip member holding p[0..n), appended to out; level 0 stores the bytes as they are. */
static void gz_member_level(qt_buf *out, const void *p, size_t n, int level)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    size_t bound = deflateBound(&zs, (uLong)n);
    assert_int_equal(qt_buf_grow(out, bound), QT_OK);
    zs.next_in = (unsigned char *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    zs.next_out = (unsigned char *)out->data + out->len;
    zs.avail_out = (uInt)bound;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out->len += bound - zs.avail_out;
    out->data[out->len] = '\0';
    deflateEnd(&zs);
}

static void gz_member(qt_buf *out, const void *p, size_t n)
{
    gz_member_level(out, p, n, 6);
}

/* The archive's bytes, plain or one gzip member per record; fills a->off. */
static void archive_bytes(archive *a, int gzip, qt_buf *out)
{
    *out = (qt_buf)QT_BUF_INIT;
    for (size_t i = 0; i < a->n; i++) {
        a->off[i] = out->len;
        if (gzip)
            gz_member(out, a->rec[i].data, a->rec[i].len);
        else
            assert_int_equal(qt_buf_append(out, a->rec[i].data, a->rec[i].len), QT_OK);
    }
}

static const char *archive_write(archive *a, int gzip, const char *rel)
{
    qt_buf b;
    archive_bytes(a, gzip, &b);
    const char *path = write_file(rel, b.data, b.len);
    qt_buf_release(&b);
    return path;
}

/* ---- expectations ---------------------------------------------------------------------------- */

static qt_reader *open1(const char *path)
{
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, &path, 1, NULL), QT_OK);
    return r;
}

/* The next article comes from the record at offset off of path. */
static void expect_article(qt_reader *r, qt_input *in, const char *path, uint64_t off)
{
    qt_err err = {0};
    qt_status rc = qt_reader_next(r, in, &err);
    if (rc != QT_OK)
        fail_msg("expected the article at #%" PRIu64 ", got %d: %s", off, rc, err.msg);
    char want[4400];
    snprintf(want, sizeof want, "%s#%" PRIu64, path, off);
    assert_string_equal(in->source, want);
    assert_true(in->text_len > 100);
}

/* The next call fails with code and a message that names path#off and contains what. */
static void expect_fail(qt_reader *r, qt_status code, const char *path, uint64_t off,
                        const char *what)
{
    qt_input in;
    qt_err err = {0};
    qt_status rc = qt_reader_next(r, &in, &err);
    if (rc != code)
        fail_msg("expected status %d, got %d (%s)", code, rc, err.msg);
    char want[4400];
    snprintf(want, sizeof want, "'%s#%" PRIu64 "'", path, off);
    if (!strstr(err.msg, want) || !strstr(err.msg, what))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err.msg, want, what);
}

static void expect_done(qt_reader *r)
{
    qt_input in;
    qt_err err = {0};
    qt_status rc = qt_reader_next(r, &in, &err);
    if (rc != QT_DONE)
        fail_msg("expected the end, got %d (%s)", rc, err.msg);
}

/* ---- the records of a healthy archive -------------------------------------------------------- */

/* warcinfo, request, an article, an image, a redirect, a page without an article, a page with
 * an empty body, a second article: both articles come out, the two pages that are HTML but not
 * articles are reported, and the rest is passed over and counted. */
static void build_mixed(archive *a, size_t *art1, size_t *noart, size_t *nobody, size_t *art2)
{
    static const char info[] = "software: handmade\r\nformat: WARC File Format 1.0\r\n";
    add_record(a, "warcinfo", NULL, "application/warc-fields", info, sizeof info - 1, -1);
    static const char req[] = "GET /story/1 HTTP/1.1\r\nHost: tides.example\r\n\r\n";
    add_record(a, "request", "http://tides.example/story/1", "application/http; msgtype=request",
               req, sizeof req - 1, -1);
    *art1 = add_page(a, 1, "Spring tide closes the lower road");
    qt_buf blk;
    static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08";
    http(&blk, 200, "image/png", NULL, png, sizeof png - 1);
    add_record(a, "response", "http://tides.example/logo.png",
               "application/http; msgtype=response", blk.data, blk.len, -1);
    qt_buf_release(&blk);
    http(&blk, 301, "text/html", "Location: /story/2\r\n", "<html>moved</html>", 18);
    add_record(a, "response", "http://tides.example/s2", "application/http; msgtype=response",
               blk.data, blk.len, -1);
    qt_buf_release(&blk);
    static const char nav[] = "<!DOCTYPE html><html><head><title>Sections</title></head><body>"
                              "<nav><ul><li><a href=\"/a\">Harbour</a></li><li><a href=\"/b\">"
                              "Council</a></li></ul></nav></body></html>";
    http(&blk, 200, "text/html", NULL, nav, sizeof nav - 1);
    *noart = add_record(a, "response", "http://tides.example/sections",
                        "application/http; msgtype=response", blk.data, blk.len, -1);
    qt_buf_release(&blk);
    http(&blk, 200, "text/html; charset=utf-8", "Content-Length: 0\r\n", "", 0);
    *nobody = add_record(a, "response", "http://tides.example/empty",
                         "application/http; msgtype=response", blk.data, blk.len, -1);
    qt_buf_release(&blk);
    static const char meta[] = "fetchTimeMs: 112\r\n";
    add_record(a, "metadata", "http://tides.example/story/1", "application/warc-fields", meta,
               sizeof meta - 1, -1);
    *art2 = add_page(a, 2, "Council to weigh a higher sea wall");
}

static void check_mixed(int gzip)
{
    archive a = {0};
    size_t art1, noart, nobody, art2;
    build_mixed(&a, &art1, &noart, &nobody, &art2);
    const char *path = archive_write(&a, gzip, gzip ? "mixed.warc.gz" : "mixed.warc");
    qt_reader *r = open1(path);
    qt_input in;
    expect_article(r, &in, path, a.off[art1]);
    assert_string_equal(in.title, "Spring tide closes the lower road");
    /* the canonical link, read against the address the page was fetched from */
    assert_string_equal(in.url, "http://tides.example/story/1");
    assert_non_null(strstr(in.text, "Ines Alvarado"));
    assert_null(strstr(in.text, "Sport"));          /* the nav is not the article */
    expect_fail(r, QT_EFORMAT, path, a.off[noart], "no article text found");
    expect_fail(r, QT_EFORMAT, path, a.off[nobody], "has no body");
    expect_article(r, &in, path, a.off[art2]);
    assert_string_equal(in.title, "Council to weigh a higher sea wall");
    expect_done(r);
    assert_int_equal(qt_reader_articles(r), 2);
    assert_int_equal(qt_reader_failures(r), 2);
    /* warcinfo, request, image, redirect, metadata */
    assert_int_equal(qt_reader_skipped(r), 5);
    qt_reader_free(r);
    archive_release(&a);
}

static void test_plain_records(void **state)
{
    (void)state;
    check_mixed(0);
}

static void test_gzip_records(void **state)
{
    (void)state;
    check_mixed(1);
}

/* The same archive read through qt_warc directly: the fields the reader does not pass on. */
static void test_record_fields(void **state)
{
    (void)state;
    archive a = {0};
    qt_buf body, blk, chunked = QT_BUF_INIT, gz = QT_BUF_INIT;
    page(&body, 7, "Ferry timetable");
    /* gzip content coding inside chunked transfer coding, cut into 100-byte chunks */
    gz_member(&gz, body.data, body.len);
    for (size_t i = 0; i < gz.len; i += 100) {
        size_t k = gz.len - i < 100 ? gz.len - i : 100;
        assert_int_equal(qt_buf_printf(&chunked, "%zx;ext=1\r\n", k), QT_OK);
        assert_int_equal(qt_buf_append(&chunked, gz.data + i, k), QT_OK);
        assert_int_equal(qt_buf_puts(&chunked, "\r\n"), QT_OK);
    }
    assert_int_equal(qt_buf_puts(&chunked, "0\r\n\r\n"), QT_OK);
    http(&blk, 200, "text/html;charset=\"ISO-8859-1\"",
         "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", chunked.data, chunked.len);
    add_record(&a, "response", "<http://ferry.example/timetable>",
               "application/http;msgtype=response", blk.data, blk.len, -1);
    qt_buf_release(&blk);
    /* No Content-Type at all: sniffed as HTML. */
    http(&blk, 200, NULL, NULL, body.data, body.len);
    add_record(&a, "response", "http://ferry.example/plain", "application/http", blk.data,
               blk.len, -1);
    qt_buf_release(&blk);
    const char *path = archive_write(&a, 1, "fields.warc.gz");

    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    qt_warc *w = NULL;
    qt_err err = {0};
    assert_int_equal(qt_warc_open_fd(&w, fd, "fields.warc.gz", 0, &err), QT_OK);
    qt_warc_record rec;
    qt_status rc = qt_warc_next(w, &rec, &err);
    if (rc != QT_OK)
        fail_msg("%d: %s", rc, err.msg);
    assert_int_equal(rec.offset, 0);
    assert_string_equal(rec.target_uri, "http://ferry.example/timetable");
    assert_string_equal(rec.date, "2024-05-01T10:11:12Z");
    assert_string_equal(rec.charset, "ISO-8859-1");
    assert_int_equal(rec.status, 200);
    assert_int_equal(rec.n_warnings, 0);
    assert_int_equal(rec.body_len, body.len);
    assert_memory_equal(rec.body, body.data, body.len);

    assert_int_equal(qt_warc_next(w, &rec, &err), QT_OK);
    assert_int_equal(rec.offset, a.off[1]);
    assert_null(rec.charset);
    assert_int_equal(rec.body_len, body.len);
    assert_int_equal(qt_warc_next(w, &rec, &err), QT_DONE);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(qt_warc_position(w), (uint64_t)st.st_size);
    qt_warc_free(w);
    qt_buf_release(&body);
    qt_buf_release(&chunked);
    qt_buf_release(&gz);
    archive_release(&a);
}

/* A Latin-1 page: the charset of the HTTP header reaches the extractor, so the text is UTF-8.
 * WARC-Truncated becomes a warning on the article. */
static void test_charset_and_truncated(void **state)
{
    (void)state;
    archive a = {0};
    qt_buf body, blk;
    page(&body, 3, "Caf\xe9 on the quay reopens");
    http(&blk, 200, "text/html; charset=iso-8859-1", NULL, body.data, body.len);
    add_record(&a, "response", "http://quay.example/cafe", "application/http; msgtype=response",
               blk.data, blk.len, -1);
    /* the same record, marked as cut by the crawler */
    qt_buf *r0 = &a.rec[0];
    const char *cl = strstr(r0->data, "Content-Length");
    qt_buf t = QT_BUF_INIT;
    assert_int_equal(qt_buf_append(&t, r0->data, (size_t)(cl - r0->data)), QT_OK);
    assert_int_equal(qt_buf_puts(&t, "WARC-Truncated: length\r\n"), QT_OK);
    assert_int_equal(qt_buf_puts(&t, cl), QT_OK);
    a.rec[a.n++] = t;
    const char *path = archive_write(&a, 0, "latin1.warc");
    qt_reader *r = open1(path);
    qt_input in;
    expect_article(r, &in, path, 0);
    assert_string_equal(in.title, "Caf\xc3\xa9 on the quay reopens");
    assert_int_equal(in.n_warnings, 0);
    expect_article(r, &in, path, a.off[1]);
    assert_int_equal(in.n_warnings, 1);
    assert_non_null(strstr(in.warnings[0], "WARC-Truncated: length"));
    expect_done(r);
    qt_reader_free(r);
    qt_buf_release(&body);
    qt_buf_release(&blk);
    archive_release(&a);
}

/* Content codings: an unknown one is a failure, a gzip bomb stops at the article limit, and a
 * body that says gzip but is not (archives that stored it decoded) is read with a warning. */
static void test_content_codings(void **state)
{
    (void)state;
    archive a = {0};
    qt_buf body, blk, gz = QT_BUF_INIT;
    page(&body, 90, "Coded");
    http(&blk, 200, "text/html", "Content-Encoding: br\r\n", "\x1b\x03\x02", 3);
    size_t br = add_record(&a, "response", "http://c.example/br",
                           "application/http; msgtype=response", blk.data, blk.len, -1);
    qt_buf_release(&blk);
    qt_buf bomb = QT_BUF_INIT;
    for (int i = 0; i < 4000; i++)
        assert_int_equal(qt_buf_puts(&bomb, "<p>the same words again and again</p>"), QT_OK);
    gz_member(&gz, bomb.data, bomb.len);
    assert_true(gz.len < 4000);
    http(&blk, 200, "text/html", "Content-Encoding: gzip\r\n", gz.data, gz.len);
    size_t boom = add_record(&a, "response", "http://c.example/bomb",
                             "application/http; msgtype=response", blk.data, blk.len, -1);
    qt_buf_release(&blk);
    http(&blk, 200, "text/html", "Content-Encoding: gzip\r\n", body.data, body.len);
    size_t plain = add_record(&a, "response", "http://c.example/plain",
                              "application/http; msgtype=response", blk.data, blk.len, -1);
    const char *path = archive_write(&a, 1, "codings.warc.gz");
    qt_reader *r = open1(path);
    qt_reader_set_max_article(r, 8000);
    qt_input in;
    expect_fail(r, QT_EFORMAT, path, a.off[br], "Content-Encoding 'br' is not supported");
    expect_fail(r, QT_ETOOBIG, path, a.off[boom], "inflates to more than --limit warc-record-bytes=8000, skipped");
    expect_article(r, &in, path, a.off[plain]);
    assert_int_equal(in.n_warnings, 1);
    assert_non_null(strstr(in.warnings[0], "not compressed"));
    expect_done(r);
    qt_reader_free(r);
    qt_buf_release(&body);
    qt_buf_release(&blk);
    qt_buf_release(&gz);
    qt_buf_release(&bomb);
    archive_release(&a);
}

/* ---- damage ---------------------------------------------------------------------------------- */

/* The last member is cut in half, as by an interrupted download: the records before it are read,
 * then the cut is reported once, naming the member. */
static void test_truncated_member(void **state)
{
    (void)state;
    archive a = {0};
    for (int i = 0; i < 3; i++)
        add_page(&a, 10 + i, "Pier lights");
    qt_buf b;
    archive_bytes(&a, 1, &b);
    size_t cut = a.off[2] + (b.len - a.off[2]) / 2;
    const char *path = write_file("cut.warc.gz", b.data, cut);
    qt_reader *r = open1(path);
    qt_input in;
    expect_article(r, &in, path, a.off[0]);
    expect_article(r, &in, path, a.off[1]);
    expect_fail(r, QT_EFORMAT, path, a.off[2], "truncated gzip member");
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 1);
    qt_reader_free(r);

    /* A plain WARC cut inside the last record's block: the record runs past the end. */
    qt_buf_release(&b);
    archive_bytes(&a, 0, &b);
    path = write_file("cut.warc", b.data, a.off[2] + (b.len - a.off[2]) / 2);
    r = open1(path);
    expect_article(r, &in, path, a.off[0]);
    expect_article(r, &in, path, a.off[1]);
    expect_fail(r, QT_EFORMAT, path, a.off[2], "runs past the end of the file");
    expect_done(r);
    qt_reader_free(r);
    qt_buf_release(&b);
    archive_release(&a);
}

/* Bytes flipped inside the second of four members: it is reported once, and the third and
 * fourth are read, with their own offsets. */
static void test_corrupt_member(void **state)
{
    (void)state;
    archive a = {0};
    for (int i = 0; i < 4; i++)
        add_page(&a, 20 + i, "Lifeboat launch");
    qt_buf b;
    archive_bytes(&a, 1, &b);
    size_t mid = a.off[1] + (a.off[2] - a.off[1]) / 2;
    for (size_t i = mid; i < mid + 16; i++)
        b.data[i] ^= 0x55;
    const char *path = write_file("corrupt.warc.gz", b.data, b.len);
    qt_reader *r = open1(path);
    qt_input in;
    expect_article(r, &in, path, a.off[0]);
    expect_fail(r, QT_EFORMAT, path, a.off[1], "corrupt gzip member");
    expect_article(r, &in, path, a.off[2]);
    expect_article(r, &in, path, a.off[3]);
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 1);
    assert_int_equal(qt_reader_articles(r), 3);
    qt_reader_free(r);

    /* Its CRC alone is wrong (the data inflates): caught at the member's end all the same. */
    qt_buf_release(&b);
    archive_bytes(&a, 1, &b);
    b.data[a.off[2] - 8] ^= 0x01;
    path = write_file("crc.warc.gz", b.data, b.len);
    r = open1(path);
    expect_article(r, &in, path, a.off[0]);
    expect_fail(r, QT_EFORMAT, path, a.off[1], "incorrect data check");
    expect_article(r, &in, path, a.off[2]);
    expect_article(r, &in, path, a.off[3]);
    expect_done(r);
    qt_reader_free(r);

    /* Stored (uncompressed) members, the second's Content-Length changed in place: it inflates
     * to a record whose length lies, but it is one corrupt member, reported once, as such. */
    qt_buf_release(&b);
    b = (qt_buf)QT_BUF_INIT;
    uint64_t off[4];
    for (size_t i = 0; i < 4; i++) {
        off[i] = b.len;
        gz_member_level(&b, a.rec[i].data, a.rec[i].len, 0);
    }
    char *cl = NULL;
    for (size_t i = off[1]; !cl && i + 16 < off[2]; i++)
        if (memcmp(b.data + i, "Content-Length: ", 16) == 0)
            cl = b.data + i + 16;
    assert_non_null(cl);
    int changed = 0;        /* 1234 -> 1000: shorter, so the block ends inside the member */
    for (char *d = cl + 1; *d >= '0' && *d <= '9'; d++)
        changed |= *d != '0', *d = '0';
    assert_true(changed);
    path = write_file("stored.warc.gz", b.data, b.len);
    r = open1(path);
    expect_article(r, &in, path, off[0]);
    expect_fail(r, QT_EFORMAT, path, off[1], "corrupt gzip member (incorrect data check)");
    expect_article(r, &in, path, off[2]);
    expect_article(r, &in, path, off[3]);
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 1);
    qt_reader_free(r);
    qt_buf_release(&b);
    archive_release(&a);
}

/* Stray bytes between two members (a botched concatenation) are reported and passed. */
static void test_garbage_between_members(void **state)
{
    (void)state;
    archive a = {0};
    for (int i = 0; i < 2; i++)
        add_page(&a, 30 + i, "Harbour dues");
    qt_buf b, g = QT_BUF_INIT;
    archive_bytes(&a, 1, &b);
    assert_int_equal(qt_buf_append(&g, b.data, a.off[1]), QT_OK);
    assert_int_equal(qt_buf_puts(&g, "<html>not a member, \x1f\x8b but no gzip either</html>"),
                     QT_OK);
    uint64_t second = g.len;
    assert_int_equal(qt_buf_append(&g, b.data + a.off[1], b.len - a.off[1]), QT_OK);
    const char *path = write_file("garbage.warc.gz", g.data, g.len);
    qt_reader *r = open1(path);
    qt_input in;
    expect_article(r, &in, path, 0);
    expect_fail(r, QT_EFORMAT, path, a.off[1], "not a gzip member");
    expect_article(r, &in, path, second);
    expect_done(r);
    qt_reader_free(r);
    qt_buf_release(&b);
    qt_buf_release(&g);
    archive_release(&a);
}

/* Three articles; the second's Content-Length is off by `delta` bytes. The second is reported,
 * and the first and third are read, whether the lie is short or long, plain or gzip. */
static void check_lying_length(int gzip, long long delta, const char *what)
{
    archive a = {0};
    for (int i = 0; i < 3; i++)
        add_page(&a, 40 + i, "Breakwater repairs");
    /* rewrite the second record's Content-Length */
    qt_buf *rec = &a.rec[1];
    const char *cl = strstr(rec->data, "Content-Length: ");
    const char *blk = strstr(rec->data, "\r\n\r\n") + 4;
    long long len = (long long)(rec->len - (size_t)(blk - rec->data)) - 4;
    qt_buf t = QT_BUF_INIT;
    assert_int_equal(qt_buf_append(&t, rec->data, (size_t)(cl - rec->data)), QT_OK);
    assert_int_equal(qt_buf_printf(&t, "Content-Length: %lld\r\n\r\n", len + delta), QT_OK);
    assert_int_equal(qt_buf_append(&t, blk, rec->len - (size_t)(blk - rec->data)), QT_OK);
    qt_buf_release(rec);
    *rec = t;
    char name[64];
    snprintf(name, sizeof name, "lie%+lld.warc%s", delta, gzip ? ".gz" : "");
    const char *path = archive_write(&a, gzip, name);
    qt_reader *r = open1(path);
    qt_input in;
    expect_article(r, &in, path, a.off[0]);
    expect_fail(r, QT_EFORMAT, path, a.off[1], what);
    expect_article(r, &in, path, a.off[2]);
    assert_non_null(strstr(in.url, "/story/42"));
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 1);
    qt_reader_free(r);
    archive_release(&a);
}

static void test_length_too_short(void **state)
{
    (void)state;
    check_lying_length(0, -150, "does not match its block");
    check_lying_length(1, -150, "does not match its block");
}

/* The second record's Content-Length is too long by exactly the third record, so its block ends
 * where the fourth begins and nothing after the block looks wrong. The HTTP response's own
 * Content-Length shows where the block really ends: the third record is still read. */
static void test_length_too_long_aligned(void **state)
{
    (void)state;
    archive a = {0};
    for (int i = 0; i < 4; i++) {
        qt_buf body, blk;
        char len[64], uri[64];
        page(&body, 100 + i, "Aligned");
        snprintf(len, sizeof len, "Content-Length: %zu\r\n", body.len);
        http(&blk, 200, "text/html", len, body.data, body.len);
        snprintf(uri, sizeof uri, "http://tides.example/story/%d", 100 + i);
        add_record(&a, "response", uri, "application/http; msgtype=response", blk.data, blk.len,
                   -1);
        qt_buf_release(&body);
        qt_buf_release(&blk);
    }
    /* now that the third record exists, make the second's length swallow it exactly */
    qt_buf *rec = &a.rec[1];
    const char *cl = strstr(rec->data, "Content-Length: ");
    const char *blk = strstr(rec->data, "\r\n\r\n") + 4;
    size_t real = rec->len - (size_t)(blk - rec->data) - 4;
    qt_buf t = QT_BUF_INIT;
    assert_int_equal(qt_buf_append(&t, rec->data, (size_t)(cl - rec->data)), QT_OK);
    assert_int_equal(qt_buf_printf(&t, "Content-Length: %zu\r\n\r\n", real + a.rec[2].len),
                     QT_OK);
    assert_int_equal(qt_buf_append(&t, blk, rec->len - (size_t)(blk - rec->data)), QT_OK);
    qt_buf_release(rec);
    *rec = t;
    const char *path = archive_write(&a, 0, "aligned.warc");
    qt_reader *r = open1(path);
    qt_input in;
    expect_article(r, &in, path, a.off[0]);
    expect_fail(r, QT_EFORMAT, path, a.off[1], "does not match its block");
    expect_article(r, &in, path, a.off[2]);
    expect_article(r, &in, path, a.off[3]);
    expect_done(r);
    qt_reader_free(r);
    archive_release(&a);
}

static void test_length_too_long(void **state)
{
    (void)state;
    /* plain: the block swallows the start of the third record, which is then found again */
    check_lying_length(0, 200, "does not match its block");
    /* far too long: runs to the end of the file, and the third record is still found */
    check_lying_length(0, 1 << 20, "runs past the end of the file");
    /* gzip per record: the block runs into the next member, which starts a record */
    check_lying_length(1, 200, "runs into the next record's gzip member");
}

/* ---- limits, names, sniffing, pipes ---------------------------------------------------------- */

static void test_record_too_big(void **state)
{
    (void)state;
    archive a = {0};
    add_page(&a, 50, "Small page");
    qt_buf body = QT_BUF_INIT, blk;
    assert_int_equal(qt_buf_puts(&body, "<!DOCTYPE html><html><body><article>"), QT_OK);
    for (int i = 0; i < 400; i++)
        assert_int_equal(qt_buf_printf(&body, "<p>Paragraph %d of a very long report.</p>", i),
                         QT_OK);
    assert_int_equal(qt_buf_puts(&body, "</article></body></html>"), QT_OK);
    http(&blk, 200, "text/html", NULL, body.data, body.len);
    size_t big = add_record(&a, "response", "http://x.example/big",
                            "application/http; msgtype=response", blk.data, blk.len, -1);
    add_page(&a, 51, "Another small page");
    const char *path = archive_write(&a, 1, "big.warc.gz");
    qt_reader *r = open1(path);
    qt_reader_set_max_article(r, 8000);
    qt_input in;
    expect_article(r, &in, path, a.off[0]);
    expect_fail(r, QT_ETOOBIG, path, a.off[big], "larger than --limit warc-record-bytes=8000, skipped; raise it with "
                "--limit warc-record-bytes=32000");
    expect_article(r, &in, path, a.off[2]);
    expect_done(r);
    qt_reader_free(r);
    qt_buf_release(&body);
    qt_buf_release(&blk);
    archive_release(&a);
}

/* Named .warc but not one: one failure, nothing else. Named .dat but a WARC: sniffed. */
static void test_names_and_sniffing(void **state)
{
    (void)state;
    const char *path = write_file("notes.warc", "Meeting notes\n\nNothing here.\n", 29);
    qt_reader *r = open1(path);
    qt_input in;
    qt_err err = {0};
    assert_int_equal(qt_reader_next(r, &in, &err), QT_EFORMAT);
    assert_non_null(strstr(err.msg, "is not a WARC file"));
    expect_done(r);
    qt_reader_free(r);

    archive a = {0};
    add_page(&a, 60, "Sniffed");
    const char *plain = archive_write(&a, 0, "crawl.dat");
    const char *gz = archive_write(&a, 1, "crawl.dat.gz");
    const char *paths[] = {plain, gz};
    r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 2, NULL), QT_OK);
    expect_article(r, &in, plain, 0);
    expect_article(r, &in, gz, 0);
    expect_done(r);
    qt_reader_free(r);
    archive_release(&a);
}

static int saved_stdin = -1;

static void stdin_from(int fd)
{
    if (saved_stdin < 0)
        saved_stdin = dup(STDIN_FILENO);
    assert_true(dup2(fd, STDIN_FILENO) >= 0);
    close(fd);
}

static void stdin_restore(void)
{
    assert_true(dup2(saved_stdin, STDIN_FILENO) >= 0);
}

/* Standard input: a file (seekable: members are visible) and a pipe (stream mode: offsets count
 * decompressed bytes, which for a plain WARC are the file's). */
static void test_stdin(void **state)
{
    (void)state;
    archive a = {0};
    add_page(&a, 70, "From a file");
    add_page(&a, 71, "From a pipe");
    const char *gz = archive_write(&a, 1, "stdin.warc.gz");
    qt_buf plain;
    archive_bytes(&a, 0, &plain);
    uint64_t second_plain = a.off[1];
    qt_buf tmp;
    archive_bytes(&a, 1, &tmp);             /* a.off back to the gzip offsets */
    qt_buf_release(&tmp);

    stdin_from(open(gz, O_RDONLY));
    const char *dash = "-";
    qt_reader *r = open1(dash);
    qt_input in;
    expect_article(r, &in, "-", 0);
    expect_article(r, &in, "-", a.off[1]);
    expect_done(r);
    qt_reader_free(r);

    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_true(plain.len < 60000);     /* fits in the pipe: no writer thread needed */
    assert_int_equal(write(p[1], plain.data, plain.len), (ssize_t)plain.len);
    close(p[1]);
    stdin_from(p[0]);
    r = open1(dash);
    expect_article(r, &in, "-", 0);
    assert_string_equal(in.title, "From a file");
    expect_article(r, &in, "-", second_plain);
    expect_done(r);
    qt_reader_free(r);
    stdin_restore();
    qt_buf_release(&plain);
    archive_release(&a);
}

/* A directory walk takes .warc and .warc.gz files like the other formats. */
static void test_directory(void **state)
{
    (void)state;
    archive a = {0};
    add_page(&a, 80, "Walked");
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/walk", g_root);
    assert_int_equal(mkdir(dir, 0755), 0);
    archive_write(&a, 0, "walk/a.warc");
    archive_write(&a, 1, "walk/b.WARC.GZ");
    const char *d = dir;
    qt_reader *r = open1(d);
    qt_input in;
    char want[4400];
    assert_int_equal(qt_reader_next(r, &in, NULL), QT_OK);
    snprintf(want, sizeof want, "%s/a.warc#0", dir);
    assert_string_equal(in.source, want);
    assert_int_equal(qt_reader_next(r, &in, NULL), QT_OK);
    snprintf(want, sizeof want, "%s/b.WARC.GZ#0", dir);
    assert_string_equal(in.source, want);
    expect_done(r);
    qt_reader_free(r);
    archive_release(&a);
}

/* ---- runner ---------------------------------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_root, sizeof g_root, "%s/qt-warc-test.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(g_root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return nftw(g_root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_records),
        cmocka_unit_test(test_gzip_records),
        cmocka_unit_test(test_record_fields),
        cmocka_unit_test(test_charset_and_truncated),
        cmocka_unit_test(test_content_codings),
        cmocka_unit_test(test_truncated_member),
        cmocka_unit_test(test_corrupt_member),
        cmocka_unit_test(test_garbage_between_members),
        cmocka_unit_test(test_length_too_short),
        cmocka_unit_test(test_length_too_long),
        cmocka_unit_test(test_length_too_long_aligned),
        cmocka_unit_test(test_record_too_big),
        cmocka_unit_test(test_names_and_sniffing),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_directory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
