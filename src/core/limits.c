/*
 * limits.c - the table of limits (quotetrail.h, "limits"): names, defaults, ranges, parsing of
 * "NAME=VALUE" and the words every stage uses to announce a limit it hit.
 *
 * One table row per limit and the offset of its field: parsing, printing and `--limits` all read
 * the table, so a new limit is one row, one field and the stage that enforces it.
 */
#include "core/qt_limits.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/qt_core.h"

#define KIB ((uint64_t)1 << 10)
#define MIB ((uint64_t)1 << 20)
#define GIB ((uint64_t)1 << 30)

/* Sizes stop at 4 GiB: analysis indexes an article with 32-bit offsets. */
static const qt_limit_info infos[] = {
    {"article-bytes", 1, 4 * MIB, 1, 4 * GIB - 2,
     "largest article: a .txt or .html file, a JSONL line, gzip input decompressed"},
    {"warc-record-bytes", 1, 4 * MIB, 1, 4 * GIB - 2,
     "largest WARC HTML response kept, and its body once decoded"},
    {"decompress-ratio", 0, 200, 1, 1000000,
     "most decompressed bytes per compressed byte of a gzip input (checked past 16M out)"},
    {"html-depth", 0, 512, 8, 1000000, "deepest nesting of elements in a web page"},
    {"quote-bytes", 1, 64 * KIB, 16, 4 * GIB - 2,
     "longer quotations are kept but not searched for quotes inside them"},
    {"quote-depth", 0, 2, 1, 2, "levels of quotes searched: 1 top-level, 2 quotes inside quotes"},
    {"people", 0, 500, 1, 1000000, "people listed per article (their quotes keep the speaker)"},
    /* Each quote costs ~500 bytes of analysis, so a text of nothing but quote marks would cost
     * 100x its size; real articles hold dozens, transcripts a few thousand. */
    {"quotes", 0, 10000, 1, 10000000, "quotations listed per article, the first in text order"},
};
#define N_ROWS (sizeof infos / sizeof *infos)

/* Where each limit lives in qt_limits, in the order of infos[]; wide: a uint64_t field. */
static const struct { size_t off; int wide; } fields[] = {
    {offsetof(qt_limits, article_bytes), 1},  {offsetof(qt_limits, warc_record_bytes), 1},
    {offsetof(qt_limits, decompress_ratio), 0}, {offsetof(qt_limits, html_depth), 0},
    {offsetof(qt_limits, quote_bytes), 1},    {offsetof(qt_limits, quote_depth), 0},
    {offsetof(qt_limits, people), 0},         {offsetof(qt_limits, quotes), 0},
};
_Static_assert(sizeof fields / sizeof *fields == N_ROWS, "one field per limit");

static uint64_t get(const qt_limits *l, size_t i)
{
    const char *p = (const char *)l + fields[i].off;
    if (fields[i].wide) {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static void put(qt_limits *l, size_t i, uint64_t v)
{
    char *p = (char *)l + fields[i].off;
    if (fields[i].wide) {
        memcpy(p, &v, sizeof v);
    } else {
        uint32_t w = (uint32_t)v;
        memcpy(p, &w, sizeof w);
    }
}

/* The index of the limit called name[0..len), or N_ROWS. */
static size_t find(const char *name, size_t len)
{
    size_t i = 0;
    while (i < N_ROWS && !(strlen(infos[i].name) == len && memcmp(infos[i].name, name, len) == 0))
        i++;
    return i;
}

qt_limits qt_limits_default(void)
{
    qt_limits l;
    memset(&l, 0, sizeof l);
    for (size_t i = 0; i < N_ROWS; i++)
        put(&l, i, infos[i].dflt);
    return l;
}

const qt_limit_info *qt_limit_list(size_t *n)
{
    if (n)
        *n = N_ROWS;
    return infos;
}

uint64_t qt_limit_get(const qt_limits *l, const char *name)
{
    size_t i = name ? find(name, strlen(name)) : N_ROWS;
    return i < N_ROWS && l ? get(l, i) : UINT64_MAX;
}

const char *qt_limit_str(uint64_t v, int is_size, char buf[32])
{
    static const struct { uint64_t unit; char c; } units[] = {{GIB, 'G'}, {MIB, 'M'}, {KIB, 'K'}};
    if (is_size && v)
        for (size_t i = 0; i < 3; i++)
            if (v % units[i].unit == 0) {
                snprintf(buf, 32, "%" PRIu64 "%c", v / units[i].unit, units[i].c);
                return buf;
            }
    snprintf(buf, 32, "%" PRIu64, v);
    return buf;
}

/* The number at s: digits, then for sizes an optional K/M/G and an optional B or iB. */
static int parse_value(const char *s, int is_size, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    uint64_t mul = 1;
    if (is_size && *p) {
        switch (*p) {
        case 'k': case 'K': mul = KIB; p++; break;
        case 'm': case 'M': mul = MIB; p++; break;
        case 'g': case 'G': mul = GIB; p++; break;
        default: break;
        }
        if (mul > 1 && (*p == 'i' || *p == 'I') && (p[1] == 'b' || p[1] == 'B'))
            p += 2;
        else if (*p == 'b' || *p == 'B')
            p++;
    }
    if (*p || (v && mul > UINT64_MAX / v))
        return -1;
    *out = v * mul;
    return 0;
}

qt_status qt_limits_set(qt_limits *l, const char *arg, qt_err *err)
{
    if (!l || !arg)
        return qt_fail(err, QT_EINVAL, "qt_limits_set: no limits or no argument");
    const char *eq = strchr(arg, '=');
    if (!eq)
        return qt_fail(err, QT_EINVAL, "--limit needs NAME=VALUE, not '%s'", arg);
    size_t i = find(arg, (size_t)(eq - arg));
    if (i == N_ROWS) {
        char names[256] = "";
        for (size_t k = 0; k < N_ROWS; k++) {
            strcat(names, k ? ", " : "");
            strcat(names, infos[k].name);
        }
        return qt_fail(err, QT_EINVAL, "unknown limit '%.*s' (known: %s)",
                       (int)(eq - arg > 40 ? 40 : eq - arg), arg, names);
    }
    const qt_limit_info *in = &infos[i];
    uint64_t v;
    char lo[32], hi[32];
    if (parse_value(eq + 1, in->is_size, &v) != 0)
        return qt_fail(err, QT_EINVAL, "limit %s: '%.40s' is not %s", in->name, eq + 1,
                       in->is_size ? "a size (a number, optionally with K, M or G)"
                                   : "a whole number");
    if (v < in->min || v > in->max)
        return qt_fail(err, QT_EINVAL, "limit %s: %.40s is out of range (%s to %s)", in->name,
                       eq + 1, qt_limit_str(in->min, in->is_size, lo),
                       qt_limit_str(in->max, in->is_size, hi));
    put(l, i, v);
    return QT_OK;
}

const char *qt_limit_arg(const char *name, uint64_t v, char buf[64])
{
    size_t i = find(name, strlen(name));
    char s[32];
    snprintf(buf, 64, "--limit %s=%s", name, qt_limit_str(v, i < N_ROWS && infos[i].is_size, s));
    return buf;
}

const char *qt_limit_raise(const char *name, uint64_t v, char buf[80])
{
    size_t i = find(name, strlen(name));
    uint64_t max = i < N_ROWS ? infos[i].max : UINT64_MAX, up = v > max / 4 ? max : v * 4;
    char s[32];
    snprintf(buf, 80, "raise it with --limit %s=%s", name,
             qt_limit_str(up, i < N_ROWS && infos[i].is_size, s));
    return buf;
}
