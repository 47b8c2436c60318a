/*
 * test_reader.c - the input reader (src/ingest/reader.c) against fixtures written at test time.
 *
 * Every fixture is a few lines of made-up text written into a fresh mkdtemp() directory, so the
 * tests need nothing from the tree and leave nothing behind.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "core/qt_core.h"
#include "ingest/qt_ingest.h"

static char g_root[4096];       /* the mkdtemp() directory of this run */

/* ---- fixtures -------------------------------------------------------------------------------- */

/* A path under the run's temp dir. Returns a pointer to one of a few rotating static buffers, so
 * that a test can hold several paths at once. */
static const char *tmp_path(const char *rel)
{
    static char bufs[32][4200];
    static int next;
    char *p = bufs[next++ % 32];
    snprintf(p, 4200, "%s/%s", g_root, rel);
    return p;
}

static void make_parents(const char *path)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *s = tmp + strlen(g_root) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(tmp, 0755);
        *s = '/';
    }
}

static const char *write_file(const char *rel, const void *data, size_t n)
{
    const char *path = tmp_path(rel);
    make_parents(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *write_str(const char *rel, const char *s)
{
    return write_file(rel, s, strlen(s));
}

static const char *write_gz(const char *rel, const void *data, size_t n)
{
    const char *path = tmp_path(rel);
    make_parents(path);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)n), (int)n);
    assert_int_equal(gzclose(gz), Z_OK);
    return path;
}

static const char *make_dir(const char *rel)
{
    const char *path = tmp_path(rel);
    make_parents(path);
    mkdir(path, 0755);
    return path;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    chmod(path, 0700);
    return remove(path);
}

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(g_root, sizeof g_root, "%s/qt_reader_XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(g_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return nftw(g_root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- helpers --------------------------------------------------------------------------------- */

static qt_reader *open1(const char *path)
{
    qt_reader *r = NULL;
    qt_err err = {0};
    assert_int_equal(qt_reader_open(&r, &path, 1, &err), QT_OK);
    assert_non_null(r);
    return r;
}

static void expect_ok(qt_reader *r, qt_input *in)
{
    qt_err err = {0};
    qt_status rc = qt_reader_next(r, in, &err);
    if (rc != QT_OK)
        fail_msg("expected an article, got %d: %s", rc, err.msg);
}

/* Expect a failure with the given status whose message contains want. */
static void expect_fail(qt_reader *r, qt_status code, const char *want)
{
    qt_input in;
    qt_err err = {0};
    qt_status rc = qt_reader_next(r, &in, &err);
    if (rc != code)
        fail_msg("expected status %d, got %d (%s)", code, rc, err.msg);
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
    assert_null(strchr(err.msg, '\n'));
}

static void expect_done(qt_reader *r)
{
    qt_input in;
    qt_err err = {0};
    qt_status rc = qt_reader_next(r, &in, &err);
    if (rc != QT_DONE)
        fail_msg("expected the end, got %d (%s)", rc, err.msg);
}

static void assert_hash_of(const qt_input *in, const void *p, size_t n)
{
    char want[33];
    qt_hash128_hex(p, n, want);
    assert_string_equal(in->hash, want);
}

/* ---- .txt ------------------------------------------------------------------------------------ */

static void test_txt_one_article(void **state)
{
    (void)state;
    const char *text = "Mayor Opens Bridge\n\n"
                       "\"It is finally done,\" the mayor of Eastvale said.\n";
    const char *path = write_str("txt/one.txt", text);
    qt_reader *r = open1(path);
    qt_input in;
    expect_ok(r, &in);
    assert_string_equal(in.source, path);
    assert_null(in.id);
    assert_null(in.title);
    assert_null(in.url);
    assert_null(in.published);
    assert_int_equal(in.text_len, strlen(text));
    assert_memory_equal(in.text, text, in.text_len);
    assert_int_equal(in.text[in.text_len], '\0');
    assert_hash_of(&in, text, strlen(text));
    assert_int_equal(in.n_warnings, 0);
    expect_done(r);
    expect_done(r);     /* the end stays the end */
    assert_int_equal(qt_reader_articles(r), 1);
    assert_int_equal(qt_reader_failures(r), 0);
    qt_reader_free(r);
}

static void test_txt_bom_dropped(void **state)
{
    (void)state;
    const char *path = write_str("txt/bom.txt", "\xEF\xBB\xBFTown fair returns.\n");
    qt_reader *r = open1(path);
    qt_input in;
    expect_ok(r, &in);
    assert_string_equal(in.text, "Town fair returns.\n");
    assert_hash_of(&in, "Town fair returns.\n", strlen("Town fair returns.\n"));
    assert_int_equal(in.n_warnings, 0);
    qt_reader_free(r);
}

static void test_txt_invalid_utf8_repaired(void **state)
{
    (void)state;
    const char raw[] = "Caf\xE9 owner \xFF\xFE said it was fine.\n";
    const char *path = write_file("txt/latin1.txt", raw, sizeof raw - 1);
    qt_reader *r = open1(path);
    qt_input in;
    expect_ok(r, &in);
    assert_string_equal(in.text,
                        "Caf\xEF\xBF\xBD owner \xEF\xBF\xBD\xEF\xBF\xBD said it was fine.\n");
    assert_int_equal(in.text_len, strlen(in.text));
    assert_hash_of(&in, raw, sizeof raw - 1);   /* the bytes as given, before repair */
    assert_int_equal(in.n_warnings, 1);
    char want[4400];
    snprintf(want, sizeof want, "'%s': 3 invalid UTF-8 sequences replaced with U+FFFD", path);
    assert_string_equal(in.warnings[0], want);
    qt_reader_free(r);
}

static void test_txt_nul_bytes(void **state)
{
    (void)state;
    const char raw[] = "The council\0 met on Tuesday and voted\0 to repave the main road.\n";
    const char *path = write_file("txt/nul.txt", raw, sizeof raw - 1);
    qt_reader *r = open1(path);
    qt_input in;
    expect_ok(r, &in);
    assert_int_equal(in.text_len, sizeof raw - 1 + 2 * 2);
    assert_int_equal(strlen(in.text), in.text_len);     /* no NUL left inside */
    assert_non_null(strstr(in.text, "council\xEF\xBF\xBD met"));
    assert_int_equal(in.n_warnings, 1);
    assert_non_null(strstr(in.warnings[0], "2 NUL bytes replaced with U+FFFD"));
    assert_hash_of(&in, raw, sizeof raw - 1);
    qt_reader_free(r);
}

static void test_empty_files(void **state)
{
    (void)state;
    const char *paths[] = {
        write_str("empty/zero.txt", ""),
        write_str("empty/blank.txt", "  \n\t\n"),
        write_str("empty/blank.jsonl", "\n\n  \n"),
        write_gz("empty/zero.txt.gz", "", 0),
        write_str("empty/after.txt", "Snow closed the pass overnight.\n"),
    };
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 5, NULL), QT_OK);
    char want[4400];
    for (int i = 0; i < 4; i++) {
        snprintf(want, sizeof want, "'%s' is empty", paths[i]);
        expect_fail(r, QT_EFORMAT, want);
    }
    qt_input in;
    expect_ok(r, &in);      /* the reader goes on after failures */
    assert_string_equal(in.source, paths[4]);
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 4);
    assert_int_equal(qt_reader_articles(r), 1);
    qt_reader_free(r);
}

static void test_binary_files(void **state)
{
    (void)state;
    unsigned char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i % 7 == 0 ? 0 : (i * 37) % 32);
    const unsigned char png[] = "\x89PNG\r\n\x1A\nthe rest would be pixels";
    const char *paths[] = {
        write_file("bin/junk.txt", junk, sizeof junk),
        write_file("bin/image.txt", png, sizeof png - 1),
        write_gz("bin/junk.txt.gz", junk, sizeof junk),
    };
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 3, NULL), QT_OK);
    char want[4400];
    for (int i = 0; i < 3; i++) {
        snprintf(want, sizeof want, "'%s' looks binary, skipped", paths[i]);
        expect_fail(r, QT_EFORMAT, want);
    }
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 3);
    qt_reader_free(r);
}

static void test_missing_file(void **state)
{
    (void)state;
    const char *paths[] = {tmp_path("nope/missing.txt"),
                           write_str("nope/there.txt", "A second article.\n")};
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 2, NULL), QT_OK);
    char want[4400];
    snprintf(want, sizeof want, "cannot open '%s': No such file or directory", paths[0]);
    qt_input in;
    qt_err err = {0};
    assert_int_equal(qt_reader_next(r, &in, &err), QT_EIO);
    assert_string_equal(err.msg, want);
    expect_ok(r, &in);
    assert_string_equal(in.source, paths[1]);
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 1);
    qt_reader_free(r);
}

static void test_too_big(void **state)
{
    (void)state;
    char big[2000];
    memset(big, 'a', sizeof big);
    char lines[3000];
    int n = snprintf(lines, sizeof lines, "{\"text\": \"short one\"}\n{\"text\": \"%.1500s\"}\n"
                     "{\"text\": \"short two\"}\n", big);
    const char *paths[] = {
        write_file("big/plain.txt", big, sizeof big),
        write_gz("big/packed.txt.gz", big, sizeof big),
        write_file("big/lines.jsonl", lines, (size_t)n),
        write_file("big/fits.txt", big, 1000),
    };
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 4, NULL), QT_OK);
    qt_reader_set_max_article(r, 1000);
    char want[4400];
    const char *limit = "--limit article-bytes=1000, skipped; raise it with "
                        "--limit article-bytes=4000";
    snprintf(want, sizeof want, "'%s' is larger than %s", paths[0], limit);
    expect_fail(r, QT_ETOOBIG, want);
    snprintf(want, sizeof want, "'%s' is larger than %s", paths[1], limit);
    expect_fail(r, QT_ETOOBIG, want);
    qt_input in;
    expect_ok(r, &in);
    assert_string_equal(in.text, "short one");
    snprintf(want, sizeof want, "'%s:2': the line is longer than %s", paths[2], limit);
    expect_fail(r, QT_ETOOBIG, want);
    expect_ok(r, &in);
    assert_string_equal(in.text, "short two");
    snprintf(want, sizeof want, "%s:3", paths[2]);
    assert_string_equal(in.source, want);
    expect_ok(r, &in);      /* exactly at the limit is fine */
    assert_int_equal(in.text_len, 1000);
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 3);
    assert_int_equal(qt_reader_articles(r), 3);
    qt_reader_free(r);
}

/* ---- .jsonl ---------------------------------------------------------------------------------- */

static void test_jsonl_fields_and_bad_lines(void **state)
{
    (void)state;
    const char *data =
        "{\"text\": \"The harbour reopened.\", \"id\": \"a-1\", \"title\": \"Harbour\","
        " \"url\": \"https://example.org/h\", \"published\": \"2021-05-04\"}\n"
        "\n"
        "{\"text\": \"Broken line\", \n"                          /* 3: malformed */
        "{\"title\": \"no text here\"}\n"                          /* 4: no text */
        "{\"text\": 17}\n"                                          /* 5: text not a string */
        "   \n"
        "{\"text\": \"Ferries run again.\", \"id\": 42, \"title\": null}\r\n"   /* 7 */
        "[1, 2]\n"                                                  /* 8: not an object */
        "{\"text\": \"  \"}\n"                                      /* 9: empty text */
        "{\"text\": \"Last one, no newline.\", \"title\": 5}";      /* 10 */
    const char *path = write_str("jsonl/mixed.jsonl", data);
    qt_reader *r = open1(path);
    qt_input in;
    char want[4400];

    expect_ok(r, &in);
    snprintf(want, sizeof want, "%s:1", path);
    assert_string_equal(in.source, want);
    assert_string_equal(in.text, "The harbour reopened.");
    assert_string_equal(in.id, "a-1");
    assert_string_equal(in.title, "Harbour");
    assert_string_equal(in.url, "https://example.org/h");
    assert_string_equal(in.published, "2021-05-04");
    assert_hash_of(&in, "The harbour reopened.", strlen("The harbour reopened."));

    snprintf(want, sizeof want, "'%s:3': invalid JSON: ", path);
    expect_fail(r, QT_EFORMAT, want);
    snprintf(want, sizeof want, "'%s:4': no \"text\" string", path);
    expect_fail(r, QT_EFORMAT, want);
    snprintf(want, sizeof want, "'%s:5': no \"text\" string", path);
    expect_fail(r, QT_EFORMAT, want);

    expect_ok(r, &in);      /* the line after the bad ones is still read */
    snprintf(want, sizeof want, "%s:7", path);
    assert_string_equal(in.source, want);
    assert_string_equal(in.text, "Ferries run again.");
    assert_string_equal(in.id, "42");
    assert_null(in.title);
    assert_null(in.url);

    snprintf(want, sizeof want, "'%s:8': not a JSON object", path);
    expect_fail(r, QT_EFORMAT, want);
    snprintf(want, sizeof want, "'%s:9': \"text\" is empty", path);
    expect_fail(r, QT_EFORMAT, want);

    expect_ok(r, &in);
    snprintf(want, sizeof want, "%s:10", path);
    assert_string_equal(in.source, want);
    assert_string_equal(in.text, "Last one, no newline.");
    assert_null(in.title);
    assert_int_equal(in.n_warnings, 1);
    snprintf(want, sizeof want, "'%s:10': \"title\" is not a string, ignored", path);
    assert_string_equal(in.warnings[0], want);

    expect_done(r);
    assert_int_equal(qt_reader_articles(r), 3);
    assert_int_equal(qt_reader_failures(r), 5);
    qt_reader_free(r);
}

static void test_jsonl_repairs(void **state)
{
    (void)state;
    /* Line 1 starts with a BOM; line 2 holds a raw Latin-1 byte; line 3 an escaped NUL. */
    const char data[] = "\xEF\xBB\xBF{\"text\": \"Rain at noon.\"}\n"
                        "{\"text\": \"Gar\xE7on wins prize.\"}\n"
                        "{\"text\": \"Two\\u0000parts.\"}\n";
    const char *path = write_file("jsonl/repairs.jsonl", data, sizeof data - 1);
    qt_reader *r = open1(path);
    qt_input in;
    expect_ok(r, &in);
    assert_string_equal(in.text, "Rain at noon.");
    assert_int_equal(in.n_warnings, 0);

    expect_ok(r, &in);
    assert_string_equal(in.text, "Gar\xEF\xBF\xBDon wins prize.");
    assert_int_equal(in.n_warnings, 1);
    assert_non_null(strstr(in.warnings[0], ":2': 1 invalid UTF-8 sequence replaced with U+FFFD"));

    expect_ok(r, &in);
    assert_string_equal(in.text, "Two\xEF\xBF\xBDparts.");
    assert_int_equal(in.text_len, strlen("Two\xEF\xBF\xBDparts."));
    assert_hash_of(&in, "Two\0parts.", 10);
    assert_int_equal(in.n_warnings, 1);
    assert_non_null(strstr(in.warnings[0], ":3': 1 NUL byte replaced with U+FFFD"));
    expect_done(r);
    qt_reader_free(r);
}

/* One line far bigger than the read-ahead, with many articles after it: the reader must cut it
 * out whole and then go on. (A linear-time read makes this take well under a second.) */
static void test_jsonl_huge_line(void **state)
{
    (void)state;
    size_t n_text = (size_t)24 << 20;
    qt_buf b = QT_BUF_INIT;
    assert_int_equal(qt_buf_puts(&b, "{\"text\": \""), QT_OK);
    assert_int_equal(qt_buf_grow(&b, n_text + 64), QT_OK);
    for (size_t i = 0; i < n_text; i++)
        b.data[b.len++] = (char)('a' + i % 26);
    assert_int_equal(qt_buf_puts(&b, "\"}\n"), QT_OK);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(qt_buf_printf(&b, "{\"text\": \"item %d\", \"id\": %d}\n", i, i), QT_OK);
    const char *path = write_file("jsonl/huge.jsonl", b.data, b.len);
    qt_buf_release(&b);

    qt_reader *r = open1(path);
    qt_limits lim = qt_limits_default();     /* 24 MiB is over the default article-bytes */
    lim.article_bytes = (uint64_t)32 << 20;
    qt_reader_set_limits(r, &lim);
    qt_input in;
    expect_ok(r, &in);
    assert_int_equal(in.text_len, n_text);
    assert_int_equal(in.text[n_text - 1], 'a' + (n_text - 1) % 26);
    for (int i = 0; i < 1000; i++) {
        char want[32];
        expect_ok(r, &in);
        snprintf(want, sizeof want, "item %d", i);
        assert_string_equal(in.text, want);
        snprintf(want, sizeof want, "%d", i);
        assert_string_equal(in.id, want);
    }
    expect_done(r);
    assert_int_equal(qt_reader_articles(r), 1001);
    qt_reader_free(r);
}

/* ---- gzip ------------------------------------------------------------------------------------ */

static void test_gzip(void **state)
{
    (void)state;
    const char *text = "Lighthouse keeper retires after forty years.\n";
    const char *lines = "{\"text\": \"First packed story.\"}\n"
                        "{\"text\": \"Second packed story.\"}\n";
    const char *paths[] = {
        write_gz("gz/story.txt.gz", text, strlen(text)),
        write_gz("gz/stories.jsonl.gz", lines, strlen(lines)),
        write_gz("gz/misnamed.txt", text, strlen(text)),  /* gzip found by its magic bytes */
    };
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 3, NULL), QT_OK);
    qt_input in;
    expect_ok(r, &in);
    assert_string_equal(in.source, paths[0]);
    assert_string_equal(in.text, text);
    assert_hash_of(&in, text, strlen(text));
    expect_ok(r, &in);
    assert_string_equal(in.text, "First packed story.");
    char want[4400];
    snprintf(want, sizeof want, "%s:1", paths[1]);
    assert_string_equal(in.source, want);
    expect_ok(r, &in);
    assert_string_equal(in.text, "Second packed story.");
    expect_ok(r, &in);
    assert_string_equal(in.text, text);
    expect_done(r);
    qt_reader_free(r);
}

static void test_gzip_truncated_and_corrupt(void **state)
{
    (void)state;
    /* Varied lines so that the compressed stream is long enough to cut in the middle. */
    qt_buf b = QT_BUF_INIT;
    for (int i = 0; i < 20000; i++)
        assert_int_equal(qt_buf_printf(&b, "{\"text\": \"Report %d: the %x river rose %d cm.\"}\n",
                                       i, i * 2654435761u, (i * 7919) % 1000), QT_OK);
    const char *full = write_gz("gzbad/full.jsonl.gz", b.data, b.len);
    qt_buf_release(&b);

    FILE *f = fopen(full, "rb");
    assert_non_null(f);
    static unsigned char gz[4 << 20];
    size_t n = fread(gz, 1, sizeof gz, f);
    fclose(f);
    assert_true(n > 1000 && n < sizeof gz);
    const char *cut = write_file("gzbad/cut.jsonl.gz", gz, n / 2);
    for (size_t i = n / 3; i < n / 3 + 64; i++)
        gz[i] ^= 0x5A;
    const char *bad = write_file("gzbad/bad.jsonl.gz", gz, n);

    const char *paths[] = {cut, bad};
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 2, NULL), QT_OK);
    qt_input in;
    qt_err err = {0};
    qt_status rc;
    size_t n_cut = 0;
    while ((rc = qt_reader_next(r, &in, &err)) == QT_OK)
        n_cut++;
    /* What came before the cut stays read, then the damage is reported. */
    assert_true(n_cut > 100 && n_cut < 20000);
    assert_int_equal(rc, QT_EFORMAT);
    char want[4400];
    snprintf(want, sizeof want, "'%s': truncated gzip data", cut);
    assert_string_equal(err.msg, want);

    /* Flipped bytes may first inflate to garbage lines; the stream's check must catch it. */
    size_t n_bad = 0, n_gz_errors = 0;
    while ((rc = qt_reader_next(r, &in, &err)) != QT_DONE) {
        if (rc == QT_OK) {
            n_bad++;
            continue;
        }
        assert_non_null(strstr(err.msg, bad));
        n_gz_errors += strstr(err.msg, "corrupt gzip data: ") != NULL;
    }
    assert_true(n_bad < 20000);
    assert_int_equal(n_gz_errors, 1);
    assert_int_equal(qt_reader_articles(r), n_cut + n_bad);
    qt_reader_free(r);
}

/* ---- directories ----------------------------------------------------------------------------- */

static void test_directory_walk(void **state)
{
    (void)state;
    write_str("walk/b.txt", "Story b.\n");
    write_str("walk/a/2.txt", "Story a/2.\n");
    write_str("walk/a/10.txt", "Story a/10.\n");
    write_str("walk/a.txt", "Story a.\n");
    write_str("walk/.hidden.txt", "Hidden story.\n");
    write_str("walk/.git/c.txt", "Hidden dir story.\n");
    write_str("walk/notes.md", "Not an article.\n");
    const char *c = "{\"text\": \"Story c1.\"}\n{\"text\": \"Story c2.\"}\n";
    write_gz("walk/c.jsonl.gz", c, strlen(c));
    write_str("walk/deep/er/Z.TXT", "Story Z.\n");
    const char *order[] = {"a.txt", "a/10.txt", "a/2.txt", "b.txt", "c.jsonl.gz:1",
                           "c.jsonl.gz:2", "deep/er/Z.TXT"};
    /* Both spellings of the argument give the same sources, without a doubled '/'. */
    const char *dir = tmp_path("walk");
    char slashed[4400];
    snprintf(slashed, sizeof slashed, "%s/", dir);
    const char *args[] = {dir, slashed};
    for (int k = 0; k < 2; k++) {
        qt_reader *r = open1(args[k]);
        qt_input in;
        for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
            char want[4400];
            expect_ok(r, &in);
            snprintf(want, sizeof want, "%s/%s", dir, order[i]);
            assert_string_equal(in.source, want);
        }
        expect_done(r);
        assert_int_equal(qt_reader_failures(r), 0);
        qt_reader_free(r);
    }
}

static void test_directory_problems(void **state)
{
    (void)state;
    write_str("dirbad/1.txt", "First.\n");
    assert_int_equal(symlink("nowhere.txt", tmp_path("dirbad/2.txt")), 0);
    assert_int_equal(symlink(".", tmp_path("dirbad/self")), 0);  /* a loop: must end */
    make_dir("dirbad/sub");
    assert_int_equal(symlink("..", tmp_path("dirbad/sub/back")), 0);
    write_str("dirbad/3.txt", "Third.\n");
    make_dir("dirbad/none");
    write_str("dirbad/none/readme.md", "No articles here.\n");
    const char *paths[] = {tmp_path("dirbad"), tmp_path("dirbad/none")};
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 2, NULL), QT_OK);
    qt_input in;
    expect_ok(r, &in);
    assert_string_equal(in.source, tmp_path("dirbad/1.txt"));
    char want[4400];
    snprintf(want, sizeof want, "cannot open '%s': No such file or directory",
             tmp_path("dirbad/2.txt"));
    expect_fail(r, QT_EIO, want);
    expect_ok(r, &in);
    assert_string_equal(in.source, tmp_path("dirbad/3.txt"));
    snprintf(want, sizeof want, "'%s' has no .txt, .jsonl, .html or .warc files", paths[1]);
    expect_fail(r, QT_EFORMAT, want);
    expect_done(r);
    assert_int_equal(qt_reader_failures(r), 2);
    qt_reader_free(r);
}

static void test_unreadable_file_in_directory(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip();     /* root reads everything */
    write_str("locked/a.txt", "Open story.\n");
    const char *locked = write_str("locked/b.txt", "Locked story.\n");
    assert_int_equal(chmod(locked, 0), 0);
    qt_reader *r = open1(tmp_path("locked"));
    qt_input in;
    expect_ok(r, &in);
    char want[4400];
    snprintf(want, sizeof want, "cannot open '%s': Permission denied", locked);
    expect_fail(r, QT_EIO, want);
    expect_done(r);
    qt_reader_free(r);
}

/* ---- explicit files, stdin, arguments -------------------------------------------------------- */

static void test_explicit_unknown_extension(void **state)
{
    (void)state;
    const char *paths[] = {
        write_str("ext/notes.md", "{braces} do not start JSON here? They do: sniffed.\n"),
        write_str("ext/feed.log", "  {\"text\": \"From a log.\"}\n{\"text\": \"Again.\"}\n"),
        write_str("ext/plain", "Just words.\n"),
    };
    qt_reader *r = NULL;
    assert_int_equal(qt_reader_open(&r, paths, 3, NULL), QT_OK);
    qt_input in;
    char want[4400];
    /* "{braces}..." is sniffed as JSONL and fails as JSON: the sniff is by first byte only. */
    snprintf(want, sizeof want, "'%s:1': invalid JSON", paths[0]);
    expect_fail(r, QT_EFORMAT, want);
    expect_ok(r, &in);
    assert_string_equal(in.text, "From a log.");
    expect_ok(r, &in);
    assert_string_equal(in.text, "Again.");
    expect_ok(r, &in);
    assert_string_equal(in.source, paths[2]);
    assert_string_equal(in.text, "Just words.\n");
    expect_done(r);
    qt_reader_free(r);
}

/* Run one reader over "-" with stdin redirected from the file at path. */
static qt_reader *with_stdin(const char *path, int *saved)
{
    fflush(stdin);
    *saved = dup(STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    assert_true(*saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    return open1("-");
}

static void restore_stdin(int saved)
{
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
}

static void test_stdin(void **state)
{
    (void)state;
    int saved;
    qt_input in;
    qt_reader *r = with_stdin(write_str("stdin/lines", "\n {\"text\": \"Piped one.\"}\n"), &saved);
    expect_ok(r, &in);
    assert_string_equal(in.source, "-:2");
    assert_string_equal(in.text, "Piped one.");
    expect_done(r);
    qt_reader_free(r);
    restore_stdin(saved);

    const char *story = "Piped plain story.\n";
    r = with_stdin(write_gz("stdin/packed", story, strlen(story)), &saved);
    expect_ok(r, &in);
    assert_string_equal(in.source, "-");
    assert_string_equal(in.text, story);
    expect_done(r);
    qt_reader_free(r);
    restore_stdin(saved);

    r = with_stdin(write_str("stdin/empty", ""), &saved);
    expect_fail(r, QT_EFORMAT, "'-' is empty");
    qt_reader_free(r);
    restore_stdin(saved);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    qt_reader *r = (qt_reader *)&r;
    qt_err err = {0};
    const char *with_null[] = {"a.txt", NULL};
    assert_int_equal(qt_reader_open(&r, with_null, 2, &err), QT_EINVAL);
    assert_null(r);
    const char *with_empty[] = {""};
    assert_int_equal(qt_reader_open(&r, with_empty, 1, &err), QT_EINVAL);
    assert_non_null(strstr(err.msg, "empty"));
    assert_int_equal(qt_reader_open(NULL, with_empty, 0, &err), QT_EINVAL);
    assert_int_equal(qt_reader_open(&r, NULL, 0, &err), QT_OK);   /* nothing to read is fine */
    qt_input in;
    assert_int_equal(qt_reader_next(r, &in, NULL), QT_DONE);
    assert_int_equal(qt_reader_next(r, NULL, &err), QT_EINVAL);
    qt_reader_free(r);
    qt_reader_free(NULL);
    assert_int_equal(qt_reader_failures(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_txt_one_article),
        cmocka_unit_test(test_txt_bom_dropped),
        cmocka_unit_test(test_txt_invalid_utf8_repaired),
        cmocka_unit_test(test_txt_nul_bytes),
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_binary_files),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_jsonl_fields_and_bad_lines),
        cmocka_unit_test(test_jsonl_repairs),
        cmocka_unit_test(test_jsonl_huge_line),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gzip_truncated_and_corrupt),
        cmocka_unit_test(test_directory_walk),
        cmocka_unit_test(test_directory_problems),
        cmocka_unit_test(test_unreadable_file_in_directory),
        cmocka_unit_test(test_explicit_unknown_extension),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests_name("reader", tests, group_setup, group_teardown);
}
