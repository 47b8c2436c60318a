/*
 * test_limits.c - the limits' table (quotetrail.h, "limits"): defaults, NAME=VALUE parsing with
 * size suffixes, clear errors for bad names and values (the limits left unchanged), and the
 * way a value is printed back as --limit takes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/qt_limits.h"
#include "quotetrail.h"

static void test_defaults(void **state)
{
    (void)state;
    qt_limits l = qt_limits_default();
    assert_int_equal(l.article_bytes, (uint64_t)4 << 20);
    assert_int_equal(l.quote_depth, 2);
    size_t n = 0;
    const qt_limit_info *info = qt_limit_list(&n);
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++) {    /* the table and the struct agree on every default */
        assert_int_equal(qt_limit_get(&l, info[i].name), info[i].dflt);
        assert_true(info[i].min <= info[i].dflt && info[i].dflt <= info[i].max);
        assert_non_null(info[i].meaning);
    }
    assert_true(qt_limit_get(&l, "no-such-limit") == UINT64_MAX);
}

static uint64_t set(qt_limits *l, const char *arg)
{
    qt_err err = {0};
    if (qt_limits_set(l, arg, &err) != QT_OK)
        fail_msg("qt_limits_set(%s): %s", arg, err.msg);
    const char *eq = strchr(arg, '=');
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
    return qt_limit_get(l, name);
}

static void test_suffixes(void **state)
{
    (void)state;
    qt_limits l = qt_limits_default();
    assert_int_equal(set(&l, "article-bytes=1000"), 1000);
    assert_int_equal(set(&l, "article-bytes=16K"), 16 << 10);
    assert_int_equal(set(&l, "article-bytes=16k"), 16 << 10);
    assert_int_equal(set(&l, "article-bytes=16M"), 16 << 20);
    assert_int_equal(set(&l, "article-bytes=16MB"), 16 << 20);
    assert_int_equal(set(&l, "article-bytes=16MiB"), 16 << 20);
    assert_int_equal(set(&l, "article-bytes=1G"), (uint64_t)1 << 30);
    assert_int_equal(set(&l, "article-bytes=100B"), 100);
    assert_int_equal(l.article_bytes, 100);
    assert_int_equal(set(&l, "warc-record-bytes=2M"), 2 << 20);
    assert_int_equal(set(&l, "decompress-ratio=50"), 50);
    assert_int_equal(set(&l, "html-depth=64"), 64);
    assert_int_equal(set(&l, "quote-bytes=20000"), 20000);
    assert_int_equal(set(&l, "quote-depth=1"), 1);
    assert_int_equal(set(&l, "people=3"), 3);
    assert_int_equal(l.people, 3);
    assert_int_equal(l.article_bytes, 100);     /* setting one leaves the others */
}

/* A bad argument fails with QT_EINVAL, a message containing want, and l unchanged. */
static void expect_bad(const char *arg, const char *want)
{
    qt_limits l = qt_limits_default(), before = l;
    qt_err err = {0};
    assert_int_equal(qt_limits_set(&l, arg, &err), QT_EINVAL);
    if (!strstr(err.msg, want))
        fail_msg("'%s': message \"%s\" lacks \"%s\"", arg, err.msg, want);
    assert_memory_equal(&l, &before, sizeof l);
}

static void test_errors(void **state)
{
    (void)state;
    expect_bad("article-bytes", "needs NAME=VALUE");
    expect_bad("artcle-bytes=4M", "unknown limit 'artcle-bytes' (known: article-bytes,");
    expect_bad("=4M", "unknown limit ''");
    expect_bad("article-bytes=", "'' is not a size");
    expect_bad("article-bytes=4Q", "'4Q' is not a size");
    expect_bad("article-bytes=-1", "is not a size");
    expect_bad("article-bytes=4M4", "is not a size");
    expect_bad("people=10K", "'10K' is not a whole number");  /* counts take no suffix */
    expect_bad("article-bytes=0", "0 is out of range (1 to ");
    expect_bad("article-bytes=5G", "out of range");
    expect_bad("quote-depth=3", "3 is out of range (1 to 2)");
    expect_bad("html-depth=99999999999999999999999", "is not a whole number");
    expect_bad("article-bytes=99999999999999G", "is not a size");   /* overflow */
}

static void test_printing(void **state)
{
    (void)state;
    char b[32], arg[64], raise[80];
    assert_string_equal(qt_limit_str((uint64_t)4 << 20, 1, b), "4M");
    assert_string_equal(qt_limit_str(1536 << 10, 1, b), "1536K");
    assert_string_equal(qt_limit_str((uint64_t)2 << 30, 1, b), "2G");
    assert_string_equal(qt_limit_str(1000, 1, b), "1000");
    assert_string_equal(qt_limit_str(1024, 0, b), "1024");
    assert_string_equal(qt_limit_arg("article-bytes", (uint64_t)4 << 20, arg),
                        "--limit article-bytes=4M");
    assert_string_equal(qt_limit_raise("article-bytes", (uint64_t)4 << 20, raise),
                        "raise it with --limit article-bytes=16M");
    /* never past the maximum: quote-depth stops at 2 */
    assert_string_equal(qt_limit_raise("quote-depth", 1, raise),
                        "raise it with --limit quote-depth=2");
    /* what qt_limit_str prints, qt_limits_set reads back */
    qt_limits l = qt_limits_default();
    snprintf(arg, sizeof arg, "article-bytes=%s", qt_limit_str(1536 << 10, 1, b));
    assert_int_equal(qt_limits_set(&l, arg, NULL), QT_OK);
    assert_int_equal(l.article_bytes, 1536 << 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_suffixes),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_printing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
