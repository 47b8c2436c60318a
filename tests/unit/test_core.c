/*
 * test_core.c - the pieces every stage stands on (src/core/qt_core.h): qt_buf's invariants and
 * overflow check, the arena, UTF-8 decoding and repair, folding for matching, and the content
 * hash that keys articles in the store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/qt_core.h"
#include "quotetrail.h"

#define FFFD "\xEF\xBF\xBD"

/* A strict UTF-8 check written independently of qt_utf8_decode(): shortest forms only, no
 * surrogates, nothing past U+10FFFF, no NUL. */
static bool valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) need = 1, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0) need = 2, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0) need = 3, cp = c & 0x07, min = 0x10000;
        else return false;
        if (i + need >= n)              /* the last continuation byte is p[i + need] */
            return false;
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += need + 1;
    }
    return true;
}

/* ---- qt_buf ----------------------------------------------------------------------------------- */

static void buf_starts_empty_and_stays_terminated(void **state)
{
    (void)state;
    qt_buf b = QT_BUF_INIT;
    assert_int_equal(b.len, 0);
    assert_int_equal(qt_buf_puts(&b, "tide"), QT_OK);
    assert_int_equal(qt_buf_putc(&b, ' '), QT_OK);
    assert_int_equal(qt_buf_append(&b, "table chart", 5), QT_OK);
    assert_int_equal(qt_buf_printf(&b, " %d%s", 42, "m"), QT_OK);
    assert_int_equal(b.len, strlen("tide table 42m"));
    assert_string_equal(b.data, "tide table 42m");
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[b.len], '\0');
    qt_buf_release(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

static void buf_is_binary_safe(void **state)
{
    (void)state;
    qt_buf b = QT_BUF_INIT;
    assert_int_equal(qt_buf_append(&b, "a\0b", 3), QT_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 4);
    assert_int_equal(qt_buf_append(&b, "", 0), QT_OK);
    assert_int_equal(b.len, 3);
    qt_buf_release(&b);
}

static void buf_printf_longer_than_its_scratch(void **state)
{
    (void)state;
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    qt_buf b = QT_BUF_INIT;
    assert_int_equal(qt_buf_puts(&b, "<"), QT_OK);
    assert_int_equal(qt_buf_printf(&b, "%s|%s>", big, big), QT_OK);
    assert_int_equal(b.len, 1 + 2 * strlen(big) + 2);
    assert_int_equal(b.data[0], '<');
    assert_int_equal(b.data[1 + strlen(big)], '|');
    assert_int_equal(b.data[b.len - 1], '>');
    assert_int_equal(b.data[b.len], '\0');
    qt_buf_release(&b);
}

static void buf_grows_across_many_appends(void **state)
{
    (void)state;
    qt_buf b = QT_BUF_INIT;
    for (int i = 0; i < 100000; i++)
        assert_int_equal(qt_buf_putc(&b, (char)('a' + i % 26)), QT_OK);
    assert_int_equal(b.len, 100000);
    assert_int_equal(b.data[99999], 'a' + 99999 % 26);
    assert_int_equal(b.data[b.len], '\0');
    size_t cap = b.cap;
    qt_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap);            /* reset keeps the memory */
    assert_string_equal(b.data, "");
    qt_buf_release(&b);
}

static void buf_overflow_leaves_buffer_unchanged(void **state)
{
    (void)state;
    qt_buf b = QT_BUF_INIT;
    assert_int_equal(qt_buf_puts(&b, "keep"), QT_OK);
    char *data = b.data;
    size_t cap = b.cap;
    assert_int_equal(qt_buf_grow(&b, SIZE_MAX), QT_ENOMEM);
    assert_int_equal(qt_buf_grow(&b, SIZE_MAX - 2), QT_ENOMEM);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_int_equal(b.len, 4);
    assert_string_equal(b.data, "keep");
    qt_buf_release(&b);
    qt_buf_release(&b);                      /* releasing twice is harmless */
}

/* ---- qt_arena and qt_vec ---------------------------------------------------------------------- */

static void arena_alignment_and_contents(void **state)
{
    (void)state;
    qt_arena a = QT_ARENA_INIT;
    char *ptrs[2000];
    for (size_t i = 0; i < 2000; i++) {
        size_t n = 1 + i % 97;
        ptrs[i] = qt_arena_alloc(&a, n);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        memset(ptrs[i], (int)(i & 0x7F), n);
    }
    /* Later allocations never overwrite earlier ones. */
    for (size_t i = 0; i < 2000; i++)
        for (size_t k = 0; k < 1 + i % 97; k++)
            assert_int_equal(ptrs[i][k], (char)(i & 0x7F));
    /* Bigger than a block. */
    unsigned char *big = qt_arena_alloc(&a, 1 << 20);
    assert_non_null(big);
    memset(big, 0xAB, 1 << 20);
    assert_int_equal(ptrs[1999][0], (char)(1999 & 0x7F));
    qt_arena_free(&a);
    assert_null(a.head);
}

static void arena_calloc_strndup_reset(void **state)
{
    (void)state;
    qt_arena a = QT_ARENA_INIT;
    int *z = qt_arena_calloc(&a, 1000, sizeof *z);
    assert_non_null(z);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(z[i], 0);
    assert_null(qt_arena_calloc(&a, SIZE_MAX / 2, 4));   /* n * size overflows */
    char *s = qt_arena_strndup(&a, "Moreau said", 6);
    assert_string_equal(s, "Moreau");
    qt_arena_reset(&a);
    assert_non_null(a.head);                               /* a block is kept for reuse */
    assert_int_equal(a.used, 0);
    s = qt_arena_strndup(&a, "again", 5);
    assert_string_equal(s, "again");
    qt_arena_free(&a);
    qt_arena_free(&a);                                     /* freeing twice is harmless */
}

static void vec_push_zeroes_and_keeps_items(void **state)
{
    (void)state;
    qt_vec v = QT_VEC_INIT(uint64_t);
    for (uint64_t i = 0; i < 1000; i++) {
        uint64_t *p = qt_vec_push(&v);
        assert_non_null(p);
        assert_int_equal(*p, 0);
        *p = i * 3;
    }
    assert_int_equal(v.n, 1000);
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(QT_VEC_AT(&v, uint64_t, i), i * 3);
    qt_vec_release(&v);
    assert_null(v.items);
    assert_int_equal(v.n, 0);
}

/* ---- UTF-8 ------------------------------------------------------------------------------------ */

/* Repair `in` (n bytes) and check the result is `want` with `want_bad` replacements. */
static void expect_repair(const char *in, size_t n, const char *want, size_t want_bad)
{
    qt_buf out = QT_BUF_INIT;
    size_t bad = 12345;
    assert_int_equal(qt_utf8_repair(in, n, &out, &bad), QT_OK);
    assert_true(valid_utf8(out.data, out.len));
    assert_int_equal(out.len, strlen(want));
    assert_memory_equal(out.data, want, strlen(want) + 1);
    assert_int_equal(bad, want_bad);
    qt_buf_release(&out);
}
#define REPAIR(lit, want, n_bad) expect_repair((lit), sizeof(lit) - 1, (want), (n_bad))

static void repair_keeps_valid_text(void **state)
{
    (void)state;
    REPAIR("plain ascii", "plain ascii", 0);
    REPAIR("Renée’s café — 東京 🎉", "Renée’s café — 東京 🎉", 0);
    REPAIR("already replaced " FFFD " stays", "already replaced " FFFD " stays", 0);
    REPAIR("", "", 0);
}

static void repair_invalid_sequences(void **state)
{
    (void)state;
    REPAIR("a\xC3(b", "a" FFFD "(b", 1);                   /* lead byte without continuation */
    REPAIR("x\x80y", "x" FFFD "y", 1);                     /* stray continuation byte */
    REPAIR("\xFF\xFE", FFFD FFFD, 2);                      /* never valid in UTF-8 */
    REPAIR("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4);    /* past U+10FFFF */
}

static void repair_overlong_forms(void **state)
{
    (void)state;
    REPAIR("/\xC0\xAF/", "/" FFFD FFFD "/", 2);            /* '/' in two bytes */
    REPAIR("\xE0\x80\xAF", FFFD FFFD FFFD, 3);             /* '/' in three bytes */
    REPAIR("\xC1\xBF", FFFD FFFD, 2);
}

static void repair_surrogates(void **state)
{
    (void)state;
    REPAIR("a\xED\xA0\x80z", "a" FFFD FFFD FFFD "z", 3);   /* U+D800 encoded directly */
    REPAIR("\xED\xBF\xBF", FFFD FFFD FFFD, 3);             /* U+DFFF */
    REPAIR("\xED\x9F\xBF", "\xED\x9F\xBF", 0);             /* U+D7FF is fine */
}

static void repair_nul_bytes(void **state)
{
    (void)state;
    REPAIR("before\0after", "before" FFFD "after", 1);
    REPAIR("\0\0", FFFD FFFD, 2);
}

static void repair_truncated_at_end(void **state)
{
    (void)state;
    /* How many U+FFFD a cut-off sequence becomes is a policy choice; that the valid text before
     * it is kept and the result is valid UTF-8 is not. */
    const char in[] = "tail \xE2\x80";
    qt_buf out = QT_BUF_INIT;
    size_t bad = 0;
    assert_int_equal(qt_utf8_repair(in, sizeof in - 1, &out, &bad), QT_OK);
    assert_true(bad >= 1);
    assert_true(valid_utf8(out.data, out.len));
    assert_memory_equal(out.data, "tail " FFFD, strlen("tail " FFFD));
    qt_buf_release(&out);
}

static void decode_code_points(void **state)
{
    (void)state;
    int len = 0;
    assert_int_equal(qt_utf8_decode((const unsigned char *)"A", 1, &len), 'A');
    assert_int_equal(len, 1);
    assert_int_equal(qt_utf8_decode((const unsigned char *)"é", 2, &len), 0xE9);
    assert_int_equal(len, 2);
    assert_int_equal(qt_utf8_decode((const unsigned char *)"“", 3, &len), 0x201C);
    assert_int_equal(len, 3);
    assert_int_equal(qt_utf8_decode((const unsigned char *)"🎉", 4, &len), 0x1F389);
    assert_int_equal(len, 4);
    /* Fewer bytes available than the lead byte announces: invalid, one byte consumed. */
    assert_int_equal(qt_utf8_decode((const unsigned char *)"“", 2, &len), 0xFFFD);
    assert_int_equal(len, 1);
}

/* ---- folding ---------------------------------------------------------------------------------- */

static void expect_fold(const char *in, const char *want)
{
    char out[256];
    size_t n = qt_fold(in, strlen(in), out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void fold_accents_and_case(void **state)
{
    (void)state;
    expect_fold("Khloé", "khloe");
    expect_fold("KHLOÉ", "khloe");
    expect_fold("khloe", "khloe");
    expect_fold("Renée Moreau", "renee moreau");
    expect_fold("Ångström", "angstrom");
    expect_fold("Straße", "strasse");
    expect_fold("Çelik Öztürk", "celik ozturk");
    expect_fold("", "");
}

static void fold_quote_marks(void **state)
{
    (void)state;
    expect_fold("“Don’t,” she said", "\"don't,\" she said");
    expect_fold("‘single’", "'single'");
    expect_fold("«Oui» „ja“ ‹si› 「はい」", "\"oui\" \"ja\" \"si\" \"はい\"");
    expect_fold("\"straight\" 'marks'", "\"straight\" 'marks'");
}

static void fold_truncates_at_a_character(void **state)
{
    (void)state;
    char out[4];
    /* ж is two bytes and has no decomposition: two of them do not fit in 3 bytes + NUL. */
    size_t n = qt_fold("жжж", strlen("жжж"), out, sizeof out);
    assert_int_equal(n, 2);
    assert_string_equal(out, "ж");
    assert_int_equal(qt_fold("abc", 3, out, 0), 0);
    n = qt_fold("ABCDEF", 6, out, sizeof out);
    assert_int_equal(n, 3);
    assert_string_equal(out, "abc");
}

/* ---- hashing and errors ----------------------------------------------------------------------- */

static bool lower_hex32(const char *s)
{
    if (strlen(s) != 32)
        return false;
    for (size_t i = 0; i < 32; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static void hash_is_stable_hex(void **state)
{
    (void)state;
    char h1[33], h2[33], h3[33];
    memset(h1, 'Z', sizeof h1);
    qt_hash128_hex("", 0, h1);
    /* Stored articles are keyed by this value: it must never change between versions.
     * XXH3-128 of the empty input, high 64 bits first. */
    assert_string_equal(h1, "99aa06d3014798d86001c324468d497f");
    const char text[] = "“We open at dawn,” she said.";
    qt_hash128_hex(text, sizeof text - 1, h1);
    qt_hash128_hex(text, sizeof text - 1, h2);
    assert_true(lower_hex32(h1));
    assert_string_equal(h1, h2);
    qt_hash128_hex(text, sizeof text - 2, h3);             /* one byte less */
    assert_true(lower_hex32(h3));
    assert_string_not_equal(h1, h3);
    assert_int_equal(qt_hash64(text, sizeof text - 1), qt_hash64(text, sizeof text - 1));
    assert_true(qt_hash64(text, sizeof text - 1) != qt_hash64(text, sizeof text - 2));
}

static void status_messages(void **state)
{
    (void)state;
    assert_string_equal(qt_strerror(QT_OK), "success");
    assert_string_equal(qt_strerror(QT_ENOMEM), "out of memory");
    assert_string_equal(qt_strerror(QT_ETOOBIG), "input exceeds a size limit");
    assert_string_equal(qt_strerror((qt_status)-99), "unknown status");
    assert_string_equal(qt_strerror((qt_status)99), "unknown status");
    qt_err err = {0};
    assert_int_equal(qt_fail(&err, QT_EIO, "cannot open '%s'", "x.txt"), QT_EIO);
    assert_int_equal(err.code, QT_EIO);
    assert_string_equal(err.msg, "cannot open 'x.txt'");
    assert_int_equal(qt_fail(NULL, QT_EFORMAT, "no err given"), QT_EFORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_starts_empty_and_stays_terminated),
        cmocka_unit_test(buf_is_binary_safe),
        cmocka_unit_test(buf_printf_longer_than_its_scratch),
        cmocka_unit_test(buf_grows_across_many_appends),
        cmocka_unit_test(buf_overflow_leaves_buffer_unchanged),
        cmocka_unit_test(arena_alignment_and_contents),
        cmocka_unit_test(arena_calloc_strndup_reset),
        cmocka_unit_test(vec_push_zeroes_and_keeps_items),
        cmocka_unit_test(repair_keeps_valid_text),
        cmocka_unit_test(repair_invalid_sequences),
        cmocka_unit_test(repair_overlong_forms),
        cmocka_unit_test(repair_surrogates),
        cmocka_unit_test(repair_nul_bytes),
        cmocka_unit_test(repair_truncated_at_end),
        cmocka_unit_test(decode_code_points),
        cmocka_unit_test(fold_accents_and_case),
        cmocka_unit_test(fold_quote_marks),
        cmocka_unit_test(fold_truncates_at_a_character),
        cmocka_unit_test(hash_is_stable_hex),
        cmocka_unit_test(status_messages),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
