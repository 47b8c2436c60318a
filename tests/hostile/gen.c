/* gen.c - write the hostile-input corpus that tests/cli/test_hostile.sh runs every subcommand over.
 *
 * usage: qt_hostile_gen DIR [--big-mb N]
 *
 * DIR gets one subdirectory per input kind (txt/, jsonl/, html/, warc/, gz/), each file a way an
 * input can lie: broken UTF-8, NULs, lying lengths, truncated or corrupt gzip. The inputs that
 * cost seconds rather than milliseconds each are kept apart, so the test can run the cheap ones
 * in every mode and these once: heavy/ (10^6 quote marks, 10^5 nested quotes, 10^5-deep HTML,
 * huge attributes), bomb/ (gzip bombs, GBs from MBs) and big/ (one line of N MB, default 50).
 * Everything is written from this file and a fixed seed, so the corpus is the same on every run
 * and every machine, and no third-party text is involved.
 * Exit status 0, or 1 when a file could not be written.
 *
 * A bug found through the corpus keeps its case here (comments name it), so the fix stays tested.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

static const char *root;
static int failed;

/* An open output file; writes are checked once, at close. */
static FILE *out_open(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, dir);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof path, "%s/%s/%s", root, dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    return f;
}

static void out_close(FILE *f)
{
    if (ferror(f) | fclose(f)) {
        perror("qt_hostile_gen: write");
        failed = 1;
    }
}

static void put(FILE *f, const char *s) { fputs(s, f); }
static void putn(FILE *f, const void *p, size_t n) { fwrite(p, 1, n, f); }
static void rep(FILE *f, const char *s, long n)
{
    size_t len = strlen(s);
    for (long i = 0; i < n; i++)
        fwrite(s, 1, len, f);
}

/* One file from a single string of n bytes (n, not strlen, so NULs can be inside). */
static void file_bytes(const char *dir, const char *name, const void *p, size_t n)
{
    FILE *f = out_open(dir, name);
    putn(f, p, n);
    out_close(f);
}
#define FILE_LIT(dir, name, lit) file_bytes(dir, name, lit, sizeof lit - 1)

/* xorshift64*: a fixed seed, so "random" noise is the same on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

static void noise(FILE *f, size_t n)
{
    unsigned char buf[4096];
    while (n) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        for (size_t i = 0; i < k; i++)
            buf[i] = (unsigned char)rng();
        putn(f, buf, k);
        n -= k;
    }
}

/* The byte sequences that are not UTF-8, each inside a quotation so the quote finder, the
 * speaker search and the folding all step over them. */
static const char *const bad_utf8[] = {
    "\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf",     /* overlong '/' */
    "\xc0\x80", "\xc1\xbf",                             /* overlong NUL, overlong DEL */
    "\xed\xa0\x80", "\xed\xbf\xbf", "\xed\xa0\x80\xed\xb0\x80", /* surrogates, a "pair" */
    "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe", /* above U+10FFFF, never bytes */
    "\x80", "\xbf\xbf", "\xe2\x80", "\xe2", "\xf0\x9f\x98", /* stray continuations, cut short */
    "\xe2\x80\x9c\xe2\x80",                             /* an opening mark, a closing one cut */
};
#define N_BAD (sizeof bad_utf8 / sizeof bad_utf8[0])

static void text_with_bad(FILE *f, int json)
{
    for (size_t i = 0; i < N_BAD; i++) {
        put(f, "\xe2\x80\x9cThe harbour ");
        put(f, bad_utf8[i]);
        put(f, " wall will hold,\xe2\x80\x9d Ma");
        put(f, bad_utf8[i]);
        put(f, "rta Vell");
        put(f, bad_utf8[i]);
        put(f, " said. ");
        put(f, json ? "\\n" : "\n");
    }
}

static void gen_txt(void)
{
    FILE *f = out_open("txt", "invalid_utf8.txt");
    put(f, "Title \xff\xfe with bad bytes\n\n");
    text_with_bad(f, 0);
    out_close(f);

    f = out_open("txt", "overlong.txt");
    put(f, "Overlong\n\n\xc0\xafWe\xe0\x80\xaf said \xf0\x80\x80\xaf \xc0\x80\xe2\x80\x9cyes"
           "\xc0\xaf\xe2\x80\x9d, Ana Lima said\xc0\xae\n");
    out_close(f);

    f = out_open("txt", "surrogates.txt");
    put(f, "Surrogates\n\n\xed\xa0\x80\xe2\x80\x9c\xed\xb0\x80 all \xed\xbf\xbf\xe2\x80\x9d, "
           "\xed\xa0\x80" "Ana Lima\xed\xb0\x80 said.\n");
    out_close(f);

    static const char nul[] = "Nul\0 title\n\n\xe2\x80\x9cWe\0will\0rebuild,\xe2\x80\x9d "
                              "Ana\0Lima said.\0\0\0 \"\0\" he said.\n\0";
    file_bytes("txt", "nul.txt", nul, sizeof nul - 1);
    FILE_LIT("txt", "bom_only.txt", "\xef\xbb\xbf");
    FILE_LIT("txt", "bom_bom.txt", "\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf\n\xef\xbb\xbf");
    FILE_LIT("txt", "bom_utf16le.txt", "\xff\xfeT\0i\0t\0l\0e\0\n\0\n\0\x1c\x20h\0i\0\x1d\x20");
    FILE_LIT("txt", "bom_utf32.txt", "\x00\x00\xfe\xff\x00\x00\x00T");
    FILE_LIT("txt", "empty.txt", "");
    FILE_LIT("txt", "one_quote.txt", "\"");
    FILE_LIT("txt", "cr_only.txt", "\r\r\r\r\"\r\"\r");

    f = out_open("txt", "newlines.txt");
    rep(f, "\n", 100000);
    out_close(f);
    f = out_open("txt", "noise.txt");
    noise(f, 1 << 20);
    out_close(f);

    /* 10^6 quote marks of each kind, balanced and not. */
    static const struct { const char *name, *unit; long n; } marks[] = {
        {"q1m_straight.txt", "\"", 1000000},              /* one run, odd/even ambiguous */
        {"q1m_straight_words.txt", "\"a\" ", 500000},     /* 10^6 marks, balanced */
        {"q1m_curly_open.txt", "\xe2\x80\x9c", 1000000},  /* every one unclosed */
        {"q1m_curly_close.txt", "\xe2\x80\x9dx ", 1000000}, /* closes with no opening */
        {"q1m_curly_pairs.txt", "\xe2\x80\x9cyes,\xe2\x80\x9d she said. ", 500000},
        {"q1m_guillemets.txt", "\xc2\xab\xc2\xbb\xc2\xbb", 333334},
        {"q1m_single.txt", "'\xe2\x80\x98\xe2\x80\x99 it's ", 333334},
        {"q1m_mixed.txt", "\"\xe2\x80\x9c'\xc2\xab\xe2\x80\x9e\xe3\x80\x8c", 166667},
        {"q1m_said.txt", "\"x,\" A B said. ", 500000},    /* 5*10^5 attributed quotes */
    };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        f = out_open("heavy", marks[i].name);
        put(f, "Marks\n\n");
        rep(f, marks[i].unit, marks[i].n);
        put(f, "\n");
        out_close(f);
    }

    /* 10^5 nested quotes: alternating double and single curly marks, all opened, then closed. */
    f = out_open("heavy", "nest_1e5.txt");
    put(f, "Nested\n\n");
    for (int i = 0; i < 100000; i++)
        put(f, i & 1 ? "\xe2\x80\x98w " : "\xe2\x80\x9cw ");
    for (int i = 100000; i-- > 0;)
        put(f, i & 1 ? "w\xe2\x80\x99 " : "w\xe2\x80\x9d ");
    put(f, "said Ana Lima.\n");
    out_close(f);
    f = out_open("heavy", "nest_1e5_unclosed.txt");
    put(f, "Nested\n\n");
    rep(f, "\xe2\x80\x9c\xe2\x80\x98\xc2\xab", 100000 / 3 + 1);
    put(f, "said Ana Lima.\n");
    out_close(f);

    /* Many distinct speakers in one article, every one quoted. */
    f = out_open("heavy", "people_1e5.txt");
    put(f, "Crowd\n\n");
    for (int i = 0; i < 100000; i++)
        fprintf(f, "\xe2\x80\x9cYes %d,\xe2\x80\x9d said Ann%c%c%c Vol%c%c%c. ", i,
                'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26,
                'a' + i / 17576 % 26, 'a' + i % 7, 'a' + i % 11);
    put(f, "\n");
    out_close(f);

    /* A 2 MB word: no space anywhere for the tokeniser to stop at. */
    f = out_open("heavy", "long_word.txt");
    put(f, "Word\n\n\xe2\x80\x9c");
    rep(f, "a", 2 << 20);
    put(f, "\xe2\x80\x9d said Ana Lima.\n");
    out_close(f);

    /* Time expressions that could overflow a year, day or count. */
    f = out_open("txt", "timex.txt");
    put(f, "Dates\n\nOn 99999999999999999999-13-45 and 31 February 2024, in 2147483648, "
           "9223372036854775808 days ago, 0000-00-00, -2024-01-01, 18446744073709551616 BC, "
           "\xe2\x80\x9cIn 1e999 years,\xe2\x80\x9d Ana Lima, 99999999999999999999, said on "
           "12/12/99999999999999999999. Ana Lima, -5, and Bo Ek, 4294967296, spoke.\n");
    out_close(f);
}

/* A valid record, for lines that break only one thing. */
#define REC_TEXT "\"\\u201cWe will rebuild,\\u201d Ana Lima said.\""

static void gen_jsonl(void)
{
    FILE *f = out_open("heavy", "deep_array.jsonl");
    rep(f, "[", 100000);
    rep(f, "]", 100000);
    put(f, "\n{\"text\":" REC_TEXT "}\n");
    out_close(f);

    f = out_open("heavy", "deep_object.jsonl");
    rep(f, "{\"a\":", 100000);
    put(f, "1");
    rep(f, "}", 100000);
    put(f, "\n{\"text\":" REC_TEXT ",\"x\":");
    rep(f, "[", 100000);
    put(f, "}\n");
    out_close(f);

    f = out_open("jsonl", "numbers.jsonl");
    put(f, "{\"text\":" REC_TEXT ",\"id\":123456789012345678901234567890123456789}\n"
           "{\"text\":" REC_TEXT ",\"id\":1e999999999,\"published\":-1e-999999999}\n"
           "{\"text\":" REC_TEXT ",\"id\":-0,\"published\":9223372036854775808}\n"
           "{\"text\":" REC_TEXT ",\"id\":NaN,\"published\":Infinity}\n"
           "{\"text\":" REC_TEXT ",\"id\":");
    rep(f, "9", 100000);
    put(f, "}\n");
    out_close(f);

    f = out_open("jsonl", "escapes.jsonl");
    put(f, "{\"text\":\"bad \\q escape\"}\n"
           "{\"text\":\"short \\u12\"}\n"
           "{\"text\":\"hex \\uZZZZ\"}\n"
           "{\"text\":\"trailing \\\"}\n"
           "{\"text\":\"end\\\n"
           "{\"text\":\"\\u\"}\n"
           "{\"text\":\"\\x41 \\0 \\' \\a\"}\n"
           "{\"text\":\"raw\tcontrol\x01\x1f chars\"}\n"
           "{\"text\":\"ok \\\\\\\\ \\/ \\b\\f\\r\\t\\n\"}\n");
    out_close(f);

    f = out_open("jsonl", "surrogates.jsonl");
    put(f, "{\"text\":\"lone high \\ud800 \\u201cyes,\\u201d Ana Lima said\"}\n"
           "{\"text\":\"lone low \\udc00 end\"}\n"
           "{\"text\":\"high then letter \\ud800\\u0041\"}\n"
           "{\"text\":\"two highs \\ud800\\ud800\"}\n"
           "{\"text\":\"pair \\ud83d\\ude00 ok\",\"title\":\"\\udfff\",\"id\":\"\\ud800\"}\n"
           "{\"text\":\"\\ud800\"}\n");
    out_close(f);

    static const char nul[] =
        "{\"text\":\"te\\u0000xt \\u201cwe\\u0000will,\\u201d Ana\\u0000Lima said\"}\n"
        "{\"text\":\"\\u0000\",\"id\":\"\\u0000\",\"title\":\"a\\u0000b\"}\n"
        "{\"text\":\"raw \0 nul in string\"}\n"
        "{\"text\":" REC_TEXT "}\0{\"text\":" REC_TEXT "}\n"
        "\0\0\0\n";
    file_bytes("jsonl", "nul.jsonl", nul, sizeof nul - 1);

    put(f = out_open("jsonl", "dupkeys.jsonl"),
        "{\"text\":\"first\",\"text\":" REC_TEXT ",\"id\":\"a\",\"id\":\"b\"}\n"
        "{\"id\":\"x\",\"id\":1,\"text\":" REC_TEXT ",\"text\":null}\n");
    out_close(f);

    put(f = out_open("jsonl", "nonobject.jsonl"),
        "1\n\"str\"\n[]\nnull\ntrue\n{}\n{\n}\n garbage\n{\"text\":" REC_TEXT "} trailing\n"
        "{\"text\":" REC_TEXT "}{\"text\":" REC_TEXT "}\n\n   \n\t\n,\n[{\"text\":" REC_TEXT "}]\n");
    out_close(f);

    put(f = out_open("jsonl", "types.jsonl"),
        "{\"text\":42}\n{\"text\":null}\n{\"text\":[\"a\"]}\n{\"text\":{\"a\":1}}\n{\"text\":true}\n"
        "{\"text\":\"\"}\n{\"text\":" REC_TEXT ",\"id\":{\"a\":1},\"title\":[1,2],\"url\":3,"
        "\"published\":{}}\n{\"text\":" REC_TEXT ",\"published\":\"99999-99-99T99:99:99Z\"}\n"
        "{\"text\":" REC_TEXT ",\"published\":\"\"}\n{\"text\":" REC_TEXT ",\"id\":\"\"}\n");
    out_close(f);

    f = out_open("jsonl", "invalid_utf8.jsonl");
    put(f, "{\"text\":\"");
    text_with_bad(f, 1);
    put(f, "\",\"title\":\"\xc0\xaf\",\"id\":\"\xff\xfe\"}\n{\"text\":\"\xed\xa0\x80\"}\n");
    out_close(f);

    f = out_open("heavy", "big_string.jsonl");   /* 4 MB of quote marks in one JSON string */
    put(f, "{\"text\":\"");
    rep(f, "\\u201c\\\"", 500000);
    put(f, "\"}\n");
    out_close(f);

    FILE_LIT("jsonl", "empty.jsonl", "");
    f = out_open("jsonl", "newlines.jsonl");
    rep(f, "\n", 100000);
    out_close(f);
    f = out_open("jsonl", "noise.jsonl");
    noise(f, 1 << 20);
    out_close(f);
    FILE_LIT("jsonl", "no_newline.jsonl", "{\"text\":" REC_TEXT "}");
    FILE_LIT("jsonl", "crlf.jsonl", "{\"text\":" REC_TEXT "}\r\n\r\n{\"text\":\"b\"}\r\n");
}

static void gen_html(void)
{
    FILE *f = out_open("heavy", "deep_open.html");
    put(f, "<html><body>");
    rep(f, "<div>", 100000);
    put(f, "<p>\xe2\x80\x9cWe will rebuild,\xe2\x80\x9d Ana Lima said.</p>\n");
    out_close(f);

    f = out_open("heavy", "deep_closed.html");
    put(f, "<html><body><article>");
    rep(f, "<div><span>", 100000);
    put(f, "<p>\xe2\x80\x9cWe will rebuild,\xe2\x80\x9d Ana Lima said.</p>");
    rep(f, "</span></div>", 100000);
    put(f, "</article></body></html>\n");
    out_close(f);

    f = out_open("heavy", "deep_mixed.html");
    put(f, "<html><body>");
    rep(f, "<table><tr><td><ul><li><b><i><a href=x>", 20000);
    put(f, "<p>text</p>\n");
    out_close(f);

    f = out_open("html", "unclosed.html");
    put(f, "<html><head><title>Unclosed <b>title<body><p \"a\"='b' <p class=\"x>"
           "\xe2\x80\x9cWords,\xe2\x80\x9d she said<script>var a = \"</p>\";<!-- never "
           "ends <style> p { <![CDATA[ x <");
    out_close(f);
    FILE_LIT("html", "lone_lt.html", "<");
    FILE_LIT("html", "comment_only.html", "<!--");
    FILE_LIT("html", "script_only.html", "<html><body><script>");
    FILE_LIT("html", "attr_unclosed.html", "<html><body><p title=\"");

    f = out_open("heavy", "big_attr.html");
    put(f, "<html><head><meta name=\"description\" content=\"");
    rep(f, "\xe2\x80\x9cx\xe2\x80\x9d ", 1 << 20);
    put(f, "\"><title>");
    rep(f, "T", 1 << 20);
    put(f, "</title></head><body><p data-x=\"");
    rep(f, "a", 8 << 20);
    put(f, "\">\xe2\x80\x9cWe will rebuild,\xe2\x80\x9d Ana Lima said.</p></body></html>\n");
    out_close(f);

    f = out_open("heavy", "many_attrs.html");
    put(f, "<html><body><p");
    for (int i = 0; i < 100000; i++)
        fprintf(f, " a%d=\"%d\"", i, i);
    put(f, ">text</p></body></html>\n");
    out_close(f);

    put(f = out_open("html", "entities.html"),
        "<html><head><title>&#0;&#xD800;&#x110000;</title><meta charset=\"utf-16\">"
        "<meta property=\"article:published_time\" content=\"99999-99-99\"></head><body><p>"
        "&#0; &#xD800; &#xDFFF; &#x110000; &#99999999999999999999; &#; &#x; &bogus; &amp "
        "&ldquo;We will rebuild,&rdquo; Ana Lima said &#8220;x&#8221; &#x201C;y&#x201D;"
        "</p></body></html>\n");
    out_close(f);

    f = out_open("html", "invalid_utf8.html");
    put(f, "<html><head><meta charset=\"utf-8\"><title>\xc0\xaf\xff</title></head><body><p>");
    text_with_bad(f, 0);
    put(f, "</p></body></html>\n");
    out_close(f);

    static const char nul[] = "<html><body><p>\xe2\x80\x9cWe\0will,\xe2\x80\x9d Ana Lima\0 "
                              "said.</p><\0p>\0</body></html>\n";
    file_bytes("html", "nul.html", nul, sizeof nul - 1);

    f = out_open("heavy", "many_quotes.html");
    put(f, "<html><body><article>");
    rep(f, "<p>&ldquo;<q>\"</q>", 100000);
    put(f, "</article></body></html>\n");
    out_close(f);

    f = out_open("html", "jsonld.html");   /* structured data that lies */
    put(f, "<html><head><script type=\"application/ld+json\">");
    rep(f, "[", 100000);
    put(f, "</script><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
           "\"datePublished\":1e999,\"author\":{\"name\":{\"name\":[]}},\"headline\":\"\\ud800\"}"
           "</script></head><body><p>body</p></body></html>\n");
    out_close(f);

    FILE_LIT("html", "empty.html", "");
    f = out_open("html", "noise.html");
    noise(f, 1 << 20);
    out_close(f);
}

/* One WARC record with the given Content-Length header value and an actual block. */
static void warc_rec(FILE *f, const char *cl, const char *block, size_t n)
{
    fprintf(f, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.invalid/a\r\n"
               "WARC-Date: 2024-05-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
               "Content-Length: %s\r\n\r\n", cl);
    putn(f, block, n);
    put(f, "\r\n\r\n");
}

#define HTTP_OK "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" \
                "<html><body><p>\xe2\x80\x9cWe will rebuild,\xe2\x80\x9d Ana Lima said.</p></body></html>"

static void gen_warc(void)
{
    static const char ok[] = HTTP_OK;
    char n[32];
    snprintf(n, sizeof n, "%zu", sizeof ok - 1);
    static const char *const lies[][2] = {
        {"cl_long.warc", "100000"}, {"cl_short.warc", "10"}, {"cl_zero.warc", "0"},
        {"cl_negative.warc", "-5"}, {"cl_nonnumeric.warc", "lots"}, {"cl_empty.warc", ""},
        {"cl_huge.warc", "99999999999999999999999"}, {"cl_int64.warc", "9223372036854775807"},
        {"cl_plus.warc", "+12"}, {"cl_hex.warc", "0x20"}, {"cl_space.warc", " 1 2"},
    };
    for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
        FILE *f = out_open("warc", lies[i][0]);
        warc_rec(f, lies[i][1], ok, sizeof ok - 1);
        warc_rec(f, n, ok, sizeof ok - 1);   /* a good record after the lie */
        out_close(f);
    }

    FILE *f = out_open("warc", "two_cl.warc");
    put(f, "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\nContent-Length: 99999\r\n\r\n");
    putn(f, ok, sizeof ok - 1);
    out_close(f);

    f = out_open("warc", "truncated.warc");
    warc_rec(f, n, ok, sizeof ok - 1);
    fprintf(f, "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: %s\r\n\r\n", n);
    putn(f, ok, 40);
    out_close(f);

    f = out_open("warc", "headers_no_end.warc");
    put(f, "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10\r\n");
    for (int i = 0; i < 200000; i++)
        fprintf(f, "X-H%d: v\r\n", i);
    out_close(f);

    f = out_open("warc", "header_huge_line.warc");
    put(f, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: ");
    rep(f, "u", 4 << 20);
    fprintf(f, "\r\nContent-Length: %s\r\n\r\n", n);
    putn(f, ok, sizeof ok - 1);
    out_close(f);

    /* Lies one level down: the HTTP message inside a well-framed WARC record. */
    static const char *const http[] = {
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 999999\r\n\r\n<p>x</p>",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: -1\r\n\r\n<p>x</p>",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        "ffffffffffffffff\r\n<p>x</p>\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        "zz\r\n<p>x</p>",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
        "\x1f\x8b\x08\x00garbage",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"\r\n\r\n<p>x</p>",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=x-unknown-ebcdic\r\n\r\n<p>x</p>",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n",
        "HTTP/1.1 200",
        "",
        "HTTP/1.1 999999999999999999999 OK\r\n\r\n<p>x</p>",
    };
    f = out_open("warc", "http_lies.warc");
    for (size_t i = 0; i < sizeof http / sizeof http[0]; i++) {
        snprintf(n, sizeof n, "%zu", strlen(http[i]));
        warc_rec(f, n, http[i], strlen(http[i]));
    }
    out_close(f);

    FILE_LIT("warc", "empty.warc", "");
    FILE_LIT("warc", "magic_only.warc", "WARC/1.0");
    FILE_LIT("warc", "magic_crlf.warc", "WARC/1.0\r\n\r\n");
    f = out_open("warc", "noise.warc");
    put(f, "WARC/1.0\r\n");
    noise(f, 1 << 20);
    out_close(f);
}

/* Compress n bytes of p into one gzip member appended to f. */
static void gz_member(FILE *f, const void *p, size_t n)
{
    z_stream z = {0};
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        exit(1);
    uLong cap = deflateBound(&z, (uLong)n);
    unsigned char *buf = malloc(cap);
    if (!buf)
        exit(1);
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        exit(1);
    putn(f, buf, z.total_out);
    deflateEnd(&z);
    free(buf);
}

/* The gzip bomb: one member of 1 MiB of a repeated byte, written `members` times (multi-member
 * gzip is valid), so the file is ~1 KB per member and the data a MiB per member. */
static void gz_bomb(const char *name, const char *head, int byte, int members)
{
    size_t n = 1 << 20;
    unsigned char *zeros = malloc(n);
    if (!zeros)
        exit(1);
    memset(zeros, byte, n);
    z_stream z = {0};
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        exit(1);
    unsigned char member[4096];
    z.next_in = zeros;
    z.avail_in = (uInt)n;
    z.next_out = member;
    z.avail_out = sizeof member;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        exit(1);
    size_t len = z.total_out;
    deflateEnd(&z);
    FILE *f = out_open("bomb", name);
    if (head)
        gz_member(f, head, strlen(head));
    for (int i = 0; i < members; i++)
        putn(f, member, len);
    out_close(f);
    free(zeros);
}

static void gen_gz(int bomb_members)
{
    gz_bomb("bomb_zeros.txt.gz", NULL, 0, bomb_members);
    gz_bomb("bomb_quotes.txt.gz", "Bomb\n\n", '"', bomb_members / 4);
    gz_bomb("bomb.jsonl.gz", "{\"text\":\"", 'a', bomb_members / 4);
    gz_bomb("bomb_newlines.jsonl.gz", NULL, '\n', bomb_members / 64);   /* ~16 ns a line */
    gz_bomb("bomb.warc.gz", "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999999\r\n\r\n",
            0, bomb_members / 4);
    gz_bomb("bomb.html.gz", "<html><body>", '<', bomb_members / 8);

    static const char text[] = "Gz\n\n\xe2\x80\x9cWe will rebuild,\xe2\x80\x9d Ana Lima said.\n";
    static const char rec[] = "{\"text\":" REC_TEXT "}\n";
    char warc[1024];
    int wn = snprintf(warc, sizeof warc, "WARC/1.0\r\nWARC-Type: response\r\n"
                      "Content-Type: application/http; msgtype=response\r\nContent-Length: %zu\r\n"
                      "\r\n%s\r\n\r\n", sizeof HTTP_OK - 1, HTTP_OK);
    static const struct { const char *name; const char *data; size_t n; } base[] = {
        {"trunc.txt.gz", text, sizeof text - 1}, {"trunc.jsonl.gz", rec, sizeof rec - 1},
    };
    unsigned char *buf = malloc(1 << 16);
    for (size_t i = 0; i < 3; i++) {
        const char *name = i < 2 ? base[i].name : "trunc.warc.gz";
        const void *d = i < 2 ? (const void *)base[i].data : warc;
        size_t n = i < 2 ? base[i].n : (size_t)wn;
        /* a good member, then the same one cut in half */
        FILE *tmp = tmpfile();
        gz_member(tmp, d, n);
        long len = ftell(tmp);
        rewind(tmp);
        size_t got = fread(buf, 1, (size_t)len, tmp);
        fclose(tmp);
        FILE *f = out_open("gz", name);
        putn(f, buf, got);
        putn(f, buf, got / 2);
        out_close(f);

        /* flipped byte in the middle (a CRC or inflate error), and garbage after the end */
        char bad[64];
        snprintf(bad, sizeof bad, "corrupt%s", name + 5);
        buf[got / 2] ^= 0x55;
        f = out_open("gz", bad);
        putn(f, buf, got);
        out_close(f);
        buf[got / 2] ^= 0x55;
        snprintf(bad, sizeof bad, "trailing%s", name + 5);
        f = out_open("gz", bad);
        putn(f, buf, got);
        noise(f, 1000);
        out_close(f);
    }
    free(buf);
    FILE_LIT("gz", "magic_only.txt.gz", "\x1f\x8b");
    FILE_LIT("gz", "header_only.jsonl.gz", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03");
    FILE_LIT("gz", "not_gzip.txt.gz", "plain text, named .gz\n");
    FILE_LIT("gz", "empty.warc.gz", "");
    FILE *f = out_open("gz", "noise.warc.gz");
    put(f, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03");
    noise(f, 1 << 16);
    out_close(f);

    /* gzip inside gzip */
    f = out_open("gz", "double.txt.gz");
    FILE *inner = tmpfile();
    gz_member(inner, text, sizeof text - 1);
    long il = ftell(inner);
    rewind(inner);
    char ib[256];
    size_t ig = fread(ib, 1, (size_t)il, inner);
    fclose(inner);
    gz_member(f, ib, ig);
    out_close(f);
}

/* The huge single line: prose with a quotation every few KB, so every stage has work to do. */
static void gen_big(long mb)
{
    FILE *f = out_open("big", "line.txt");
    static const char unit[] = "the council met again and nothing was decided about the road. ";
    static const char q[] = "\xe2\x80\x9cWe will decide soon,\xe2\x80\x9d Ana Lima said. ";
    long want = mb << 20, n = 0;
    for (long i = 0; n < want; i++) {
        const char *s = i % 64 ? unit : q;
        size_t len = i % 64 ? sizeof unit - 1 : sizeof q - 1;
        putn(f, s, len);
        n += (long)len;
    }
    out_close(f);
}

int main(int argc, char **argv)
{
    long big_mb = 50;
    int bomb = 3072;   /* members of 1 MiB: 3 GiB of zeros from ~3 MB */
    if (argc < 2) {
        fputs("usage: qt_hostile_gen DIR [--big-mb N] [--bomb-mib N]\n", stderr);
        return 2;
    }
    root = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--big-mb") == 0)
            big_mb = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--bomb-mib") == 0)
            bomb = atoi(argv[i + 1]);
    }
    if (mkdir(root, 0777) != 0 && errno != EEXIST) {
        perror(root);
        return 1;
    }
    gen_txt();
    gen_jsonl();
    gen_html();
    gen_warc();
    gen_gz(bomb);
    if (big_mb > 0)
        gen_big(big_mb);
    return failed;
}
