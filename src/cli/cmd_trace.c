/*
 * cmd_trace.c - `quotetrail trace WORDS`: follow one quote through the stored articles. For
 * each quote cluster whose wording has all the words, every carrier in date order with how
 * its wording differs from the cluster's fullest one, the venue the words were first given
 * to, and the people the carriers credited when they disagree.
 *
 * The search, the clusters and their speakers and venue are qt_db_trace()'s
 * (src/store/clusters.c); this file orders the carriers and diffs their wording word by word
 * (LCS over words: quotes are short), then prints a report or, with --json, one object as
 * DESIGN.md gives it. The database is opened read-only.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_DB "quotetrail.db"

static const char usage[] = "quotetrail trace [--db FILE] [--json] WORDS...";

static const char help[] =
    "usage: quotetrail trace [--db FILE] [--json] WORDS...\n"
    "\n"
    "Follow a quote through the articles stored by 'quotetrail ingest': find the quote\n"
    "clusters (see 'quotetrail clusters --help') with a member whose wording has all the\n"
    "WORDS, and for each show every article that carried it, in date order, with how its\n"
    "wording differs from the fullest one, where the words were first given, and who each\n"
    "article credited them to.\n"
    "\n"
    "WORDS are matched whole, ignoring accents, case and punctuation: 'Renee' finds\n"
    "\"Renée\", and it's finds \"it’s\". Best matches come first: clusters in which more\n"
    "carriers have all the words, then a larger share of them, then the closer match\n"
    "(bm25).\n"
    "\n"
    "For each cluster:\n"
    "  the fullest wording   the member with the most words outside [brackets]; every\n"
    "                        carrier's wording is shown against it: [-words it lacks-]\n"
    "                        {+words it adds+} (red and green on a terminal)\n"
    "  first venue           the venue credited by the earliest dated carrier that names\n"
    "                        one; when no dated carrier names one, the venue most carriers\n"
    "                        credit\n"
    "  speakers              one name per person (\"Moreau\" is \"Renée Moreau\"); CONFLICT\n"
    "                        when articles credit different people\n"
    "  carriers              every id each text arrived under, in date order: its\n"
    "                        'published' date, else the start of its text's inferred\n"
    "                        date, shown as (FROM..TO) (see 'quotetrail articles'), then\n"
    "                        undated ones by their article's id\n"
    "  first carrier         as 'quotetrail clusters' picks it, with its rule: the earliest\n"
    "                        dated id (published); with no date, the earliest inferred\n"
    "                        date (inferred), which also beats a date when its range ends\n"
    "                        before that date starts; else the one stored first\n"
    "\n"
    "Options:\n"
    "  --db FILE    the database to read (default ./" DEFAULT_DB ")\n"
    "  --json       one JSON object: {\"query\", \"clusters\": [{\"id\", \"text\", \"speakers\",\n"
    "               \"conflict\", \"venue\", \"venue_rule\", \"first\": {carrier}, \"rule\",\n"
    "               \"carriers\": [{\"source\", \"id\", \"title\", \"published\",\n"
    "               \"published_inferred\", \"text\", \"speaker\", \"venue\", \"diff\", \"same\",\n"
    "               \"removed\", \"added\"}]}]}; published_inferred is an undated id's\n"
    "               {\"from\", \"to\", \"evidence\"} or null\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 found, 1 no cluster matched, 2 usage error or no database.\n"
    "\n"
    "Examples:\n"
    "  quotetrail trace rebuild the harbour wall\n"
    "  quotetrail trace --json \"we’re not back together\" | jq '.clusters[0].first'\n"
    "  quotetrail trace --json harbour | jq -r '.clusters[] | select(.conflict) | .id'\n";

typedef struct trace_out {
    int json, colour;
    size_t n;
    int failed;
    json_t *clusters;             /* --json: the array being filled */
} trace_out;

/* ---- word diff -------------------------------------------------------------------------------- */

typedef struct tok {
    size_t start, len;            /* the words as written */
    uint64_t key;                 /* what is compared: folded, edge punctuation aside */
} tok;

typedef struct toks {
    tok *v;
    size_t n, cap;
} toks;

/* A word's key (the CLI sees only the public API, which has no hash of its own). */
static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static int is_blank(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

static size_t ellipsis_at(const char *t, size_t i, size_t len)
{
    if (i + 3 <= len && !memcmp(t + i, "\xE2\x80\xA6", 3))
        return 3;
    if (i + 3 <= len && !memcmp(t + i, "...", 3))
        return 3;
    return 0;
}

static int push_tok(toks *ts, const char *t, size_t start, size_t len)
{
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 64;
        tok *v = realloc(ts->v, cap * sizeof *v);
        if (!v)
            return -1;
        ts->v = v;
        ts->cap = cap;
    }
    char folded[512];
    size_t full = qt_fold(t + start, len, folded, sizeof folded), n = full, a = 0;
    int bracket = folded[0] == '[';
    while (!bracket && a < n && (unsigned char)folded[a] < 0x80 &&
           !((folded[a] | 0x20) >= 'a' && (folded[a] | 0x20) <= 'z') &&
           !(folded[a] >= '0' && folded[a] <= '9'))
        a++;
    while (!bracket && n > a && (unsigned char)folded[n - 1] < 0x80 &&
           !((folded[n - 1] | 0x20) >= 'a' && (folded[n - 1] | 0x20) <= 'z') &&
           !(folded[n - 1] >= '0' && folded[n - 1] <= '9'))
        n--;
    if (n == a) {   /* all punctuation ("—", "-"): compared as written (folded whole) */
        a = 0;
        n = full;
    }
    ts->v[ts->n++] = (tok){.start = start, .len = len, .key = fnv(folded + a, n - a)};
    return 0;
}

/* Words: runs between blanks; a [bracketed edit] is one word whatever it holds, and an
 * ellipsis is a word of its own, so "leak…" and "leak" differ only by the cut. */
static int tokenize(const char *t, toks *ts)
{
    size_t len = strlen(t), i = 0;
    ts->n = 0;
    while (i < len) {
        while (i < len && is_blank(t[i]))
            i++;
        if (i >= len)
            break;
        size_t s = i, e;
        if ((e = ellipsis_at(t, i, len)) != 0) {
            i += e;
        } else if (t[i] == '[' && memchr(t + i, ']', len - i)) {
            i = (size_t)((const char *)memchr(t + i, ']', len - i) - t) + 1;
            while (i < len && !is_blank(t[i]) && !ellipsis_at(t, i, len))
                i++;
        } else {
            while (i < len && !is_blank(t[i]) && !ellipsis_at(t, i, len))
                i++;
        }
        if (push_tok(ts, t, s, i - s) != 0)
            return -1;
    }
    return 0;
}

typedef struct diff {
    char *text;                   /* the carrier's words with [-...-] and {+...+} marks */
    size_t removed, added;        /* words */
} diff;

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

/* Print the run of tokens with op ('-' or '+') among ops[from..to) of a or b. */
static int put_run(buf *o, const char *ops, size_t from, size_t to, char op, const char *ta,
                   const toks *a, const char *tb, const toks *b, const size_t *ia,
                   const size_t *ib, int colour)
{
    int any = 0;
    for (size_t k = from; k < to; k++) {
        if (ops[k] != op && ops[k] != 'x')
            continue;
        const tok *t = op == '-' ? &a->v[ia[k]] : &b->v[ib[k]];
        const char *src = op == '-' ? ta : tb;
        int bad = (o->n && put(o, " ", 1)) ||
                  (!any && put(o, colour ? (op == '-' ? "\x1b[31m" : "\x1b[32m")
                                         : (op == '-' ? "[-" : "{+"), colour ? 5 : 2));
        if (bad || put(o, src + t->start, t->len))
            return -1;
        any = 1;
    }
    if (any && put(o, colour ? "\x1b[m" : (op == '-' ? "-]" : "+}"), colour ? 3 : 2))
        return -1;
    return 0;
}

/* The wording of tb (a carrier) against ta (the fullest wording): LCS over words. Texts too
 * long for the table (over 4M cells after the common end) are shown as replaced whole. */
static int word_diff(const char *ta, const char *tb, int colour, diff *out)
{
    toks a = {0}, b = {0};
    int rc = -1;
    uint32_t *dp = NULL;
    char *ops = NULL;
    size_t *ia = NULL, *ib = NULL;
    buf o = {0};
    *out = (diff){0};
    if (tokenize(ta, &a) || tokenize(tb, &b))
        goto done;
    /* Only the common end is set aside: a common start would pin a fragment's first word to
     * the first place it fits (see below). */
    size_t suf = 0;
    while (suf < a.n && suf < b.n && a.v[a.n - 1 - suf].key == b.v[b.n - 1 - suf].key)
        suf++;
    size_t n = a.n - suf, m = b.n - suf, cells = (n + 1) * (m + 1);
    int lcs = cells <= (4u << 20);
    if (lcs && !(dp = calloc(cells, sizeof *dp)))
        goto done;
    size_t cap = a.n + b.n + 1;
    ops = malloc(cap);
    ia = malloc(cap * sizeof *ia);
    ib = malloc(cap * sizeof *ib);
    if (!ops || !ia || !ib)
        goto done;
    /* dp[i][j] = LCS of a[i..n) and b[j..m), the part before the common end */
#define DP(i, j) dp[(size_t)(i) * (m + 1) + (j)]
    for (size_t i = n; lcs && i-- > 0;)
        for (size_t j = m; j-- > 0;)
            DP(i, j) = a.v[i].key == b.v[j].key
                           ? DP(i + 1, j + 1) + 1
                           : (DP(i + 1, j) >= DP(i, j + 1) ? DP(i + 1, j) : DP(i, j + 1));
    size_t k = 0, i = 0, j = 0;
    while (i < n || j < m) {
        /* A match is taken only when skipping the fullest wording's word would lose it, so
         * a fragment's words pair with the latest place they fit: "[-…-] it’s not even",
         * not "it’s [-…-] not even". */
        if (lcs && i < n && j < m && a.v[i].key == b.v[j].key &&
            DP(i + 1, j) < DP(i, j)) {
            ops[k] = '=', ia[k] = i++, ib[k] = j++;
        } else if (i < n && (j == m || !lcs || DP(i + 1, j) >= DP(i, j + 1))) {
            ops[k] = '-', ia[k] = i++, ib[k] = 0;
            out->removed++;
        } else {
            ops[k] = '+', ia[k] = 0, ib[k] = j++;
            out->added++;
        }
        k++;
    }
#undef DP
    for (size_t p = 0; p < suf; p++, k++)
        ops[k] = '=', ia[k] = n + p, ib[k] = m + p;
    /* Semantic cleanup (after diff-match-patch's): a run of one or two kept words between
     * edits at least as long on both sides, or a longer run a quarter of the edits around it,
     * is a coincidence ("in", "the"), not a shared passage, and reads better as replaced: 'x'
     * is a word taken out of a and put in from b. Repeated until stable, since each merge
     * makes the edits around the next run longer. */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t s = 0; s < k;) {
            if (ops[s] != '=') {
                s++;
                continue;
            }
            size_t e = s;
            while (e < k && ops[e] == '=')
                e++;
            size_t before = 0, after = 0;
            for (size_t t = s; t > 0 && ops[t - 1] != '='; t--)
                before += ops[t - 1] == 'x' ? 2 : 1;
            for (size_t t = e; t < k && ops[t] != '='; t++)
                after += ops[t] == 'x' ? 2 : 1;
            size_t len = e - s, least = before < after ? before : after;
            if (least && (len <= 2 ? len <= least : 4 * len <= least)) {
                for (size_t t = s; t < e; t++)
                    ops[t] = 'x';
                out->removed += e - s;
                out->added += e - s;
                changed = 1;
            }
            s = e;
        }
    }
    /* Between two kept words, every word taken out is shown before every word put in. */
    for (size_t s = 0; s < k;) {
        if (ops[s] == '=') {
            const tok *t = &b.v[ib[s]];
            if ((o.n && put(&o, " ", 1)) || put(&o, tb + t->start, t->len))
                goto done;
            s++;
            continue;
        }
        size_t e = s;
        while (e < k && ops[e] != '=')
            e++;
        if (put_run(&o, ops, s, e, '-', ta, &a, tb, &b, ia, ib, colour) ||
            put_run(&o, ops, s, e, '+', ta, &a, tb, &b, ia, ib, colour))
            goto done;
        s = e;
    }
    if (!o.p && put(&o, "", 0))
        goto done;
    out->text = o.p;
    o.p = NULL;
    rc = 0;
done:
    free(o.p);
    free(ib);
    free(ia);
    free(ops);
    free(dp);
    free(b.v);
    free(a.v);
    return rc;
}

/* ---- carriers --------------------------------------------------------------------------------- */

typedef struct carrier {
    const qt_cluster_member *m;
    size_t member, id;            /* indexes: into members, into m->ids */
    const char *published;        /* the id's own date, or NULL */
    const qt_date_range *inferred;   /* an undated id's: its text's inferred date, or NULL */
    int32_t day;                  /* sort key: the first day of published, else of
                                   * inferred->from; INT32_MIN for neither */
} carrier;

/* Date order, as `articles` lists: the first day of the given date, else of the inferred
 * "from" (a given date before an inferred one on the same day); then carriers with a date
 * that names no day (by the string), then inferred ranges open at their start (by "to"),
 * then undated ones; ties by member (least id) and id. */
static int cmp_carrier(const void *pa, const void *pb)
{
    const carrier *a = pa, *b = pb;
    int ga = a->day != INT32_MIN ? 0 : a->published ? 1 : a->inferred ? 2 : 3;
    int gb = b->day != INT32_MIN ? 0 : b->published ? 1 : b->inferred ? 2 : 3;
    if (ga != gb)
        return ga < gb ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (!a->published != !b->published)
        return a->published ? -1 : 1;
    if (a->published) {
        int c = strcmp(a->published, b->published);
        if (c)
            return c;
    } else if (a->inferred && b->inferred) {
        int c = qt_date_range_cmp(a->inferred, b->inferred);
        if (c)
            return c;
    }
    if (a->member != b->member)
        return a->member < b->member ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static carrier *carriers_of(const qt_quote_cluster *c, size_t *n_out)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_members; i++)
        n += c->members[i].n_ids;
    carrier *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < c->n_members; i++) {
        const qt_cluster_member *m = &c->members[i];
        for (size_t j = 0; j < m->n_ids; j++) {
            const char *p = m->ids_published[j];
            carrier *x = &v[k++];
            *x = (carrier){.m = m, .member = i, .id = j, .published = p && *p ? p : NULL};
            if (!x->published)
                x->inferred = m->published_inferred;
            x->day = x->published ? qt_date_first_day(x->published)
                     : x->inferred ? qt_date_first_day(x->inferred->from) : INT32_MIN;
        }
    }
    qsort(v, n, sizeof *v, cmp_carrier);
    *n_out = n;
    return v;
}

static const char *carrier_source(const carrier *k)
{
    const char *s = k->m->ids_source ? k->m->ids_source[k->id] : NULL;
    return s ? s : k->m->source;
}

static int is_first(const qt_quote_cluster *c, const carrier *k)
{
    return k->member == c->earliest && !strcmp(k->m->ids[k->id], c->earliest_id);
}

/* ---- JSON ------------------------------------------------------------------------------------- */

static json_t *carrier_json(const qt_quote_cluster *c, const carrier *k, const diff *d)
{
    const qt_cluster_member *m = k->m;
    json_t *j = json_object();
    int bad = !j || cli_jput(j, "source", cli_jstr(carrier_source(k))) ||
              cli_jput(j, "id", cli_jstr(m->ids[k->id])) ||
              cli_jput(j, "title", cli_jstr(m->title)) ||
              cli_jput(j, "published", cli_jstr(k->published)) ||
              cli_jput(j, "published_inferred", cli_jrange(k->inferred)) ||
              cli_jput(j, "text", cli_jstr(m->text)) ||
              cli_jput(j, "speaker", cli_jstr(m->speaker)) ||
              cli_jput(j, "venue", cli_jstr(m->venue)) ||
              cli_jput(j, "quote", cli_jstr(m->quote_id)) ||
              cli_jput(j, "start", json_integer((json_int_t)m->start)) ||
              cli_jput(j, "end", json_integer((json_int_t)m->end)) ||
              cli_jput(j, "diff", cli_jstr(d->text)) ||
              cli_jput(j, "same", json_boolean(d->removed == 0 && d->added == 0)) ||
              cli_jput(j, "removed", json_integer((json_int_t)d->removed)) ||
              cli_jput(j, "added", json_integer((json_int_t)d->added)) ||
              cli_jput(j, "matched", json_boolean(m->matched));
    (void)c;
    if (bad) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *carriers_json(const qt_quote_cluster *c, const carrier *ks, size_t n,
                             const diff *ds)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, carrier_json(c, &ks[i], &ds[i])) != 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

static int cluster_json(trace_out *o, const qt_quote_cluster *c, const carrier *ks, size_t n,
                        const diff *ds)
{
    char id[32];
    snprintf(id, sizeof id, "%zu", c->index);
    size_t first = 0;
    while (first < n && !is_first(c, &ks[first]))
        first++;
    json_t *j = json_object();
    int bad = !j || cli_jput(j, "id", cli_jstr(id)) || cli_jput(j, "text", cli_jstr(c->text)) ||
              cli_jput(j, "speakers", cli_jstrs(c->speakers, c->n_speakers)) ||
              cli_jput(j, "conflict", json_boolean(c->conflict)) ||
              cli_jput(j, "venue", cli_jstr(c->venue)) ||
              cli_jput(j, "venue_rule", cli_jstr(c->venue_rule)) ||
              cli_jput(j, "first", first < n ? carrier_json(c, &ks[first], &ds[first])
                                             : json_null()) ||
              cli_jput(j, "rule", cli_jstr(c->earliest_rule)) ||
              cli_jput(j, "size", json_integer((json_int_t)c->n_members)) ||
              cli_jput(j, "matched", json_integer((json_int_t)c->n_matched)) ||
              cli_jput(j, "carriers", carriers_json(c, ks, n, ds));
    if (bad) {
        json_decref(j);
        return -1;
    }
    return json_array_append_new(o->clusters, j) != 0 ? -1 : 0;
}

/* ---- report ----------------------------------------------------------------------------------- */

static void print_cluster(trace_out *o, const qt_quote_cluster *c, const carrier *ks, size_t n,
                          const diff *ds)
{
    if (o->n > 1)
        putchar('\n');
    printf("Cluster %zu: %zu carrier%s", c->index, n, n == 1 ? "" : "s");
    if (c->venue)
        printf(", first given to %s (%s)", c->venue, c->venue_rule);
    printf("\n  \xE2\x80\x9C%s\xE2\x80\x9D\n", c->text);
    if (c->n_speakers) {
        fputs(c->conflict ? "  Speakers: CONFLICT, articles credit " : "  Speaker: ", stdout);
        for (size_t i = 0; i < c->n_speakers; i++)
            printf("%s%s", i ? (i + 1 == c->n_speakers ? " and " : ", ") : "", c->speakers[i]);
        putchar('\n');
    }
    char range[96], when[112];
    const char *pub = c->earliest_published;
    if (!pub && c->earliest_inferred)
        pub = cli_range_cell(c->earliest_inferred, range, sizeof range);
    printf("  First carrier: %s (%s%s%s)\n", c->earliest_id, c->earliest_rule,
           pub && *pub ? " " : "", pub ? pub : "");
    if (c->earliest_inferred && c->earliest_inferred->evidence)
        printf("    inferred: %s\n", c->earliest_inferred->evidence);
    for (size_t i = 0; i < n; i++) {
        const carrier *k = &ks[i];
        const qt_cluster_member *m = k->m;
        const char *src = carrier_source(k);
        const char *date = k->published ? k->published : "(undated)";
        if (!k->published && k->inferred) {
            snprintf(when, sizeof when, "(%s)",
                     cli_range_cell(k->inferred, range, sizeof range));
            date = when;
        }
        printf("  %2zu. %-20s %s%s%s\n", i + 1, date,
               m->ids[k->id], m->title ? "  " : "", m->title ? m->title : "");
        printf("      %s%s%s%s", m->speaker ? m->speaker : "(no speaker)",
               m->venue ? ", to " : "", m->venue ? m->venue : "", src ? "  [" : "");
        if (src)
            printf("%s]", src);
        putchar('\n');
        if (ds[i].removed == 0 && ds[i].added == 0)
            puts("      = the fullest wording");
        else
            printf("      %s\n", ds[i].text);
    }
}

static int on_cluster(void *ctx, const qt_quote_cluster *c)
{
    trace_out *o = ctx;
    size_t n = 0;
    carrier *ks = carriers_of(c, &n);
    diff *ds = ks ? calloc(n ? n : 1, sizeof *ds) : NULL;
    int bad = !ds;
    /* The diff belongs to the member; its ids share it. */
    for (size_t i = 0; !bad && i < n; i++) {
        size_t same = i;
        for (size_t p = 0; p < i && same == i; p++)
            if (ks[p].member == ks[i].member)
                same = p;
        if (same != i) {
            ds[i] = ds[same];
            ds[i].text = ds[same].text ? strdup(ds[same].text) : NULL;
            bad = ds[same].text && !ds[i].text;
        } else {
            bad = word_diff(c->text, ks[i].m->text, o->colour, &ds[i]) != 0;
        }
    }
    o->n++;
    if (!bad) {
        if (o->json)
            bad = cluster_json(o, c, ks, n, ds) != 0;
        else
            print_cluster(o, c, ks, n, ds);
    }
    for (size_t i = 0; ds && i < n; i++)
        free(ds[i].text);
    free(ds);
    free(ks);
    if (bad) {
        cli_error("cannot show cluster %zu: out of memory", c->index);
        o->failed = 1;
        return 1;
    }
    if (ferror(stdout)) {
        o->failed = 1;
        return 1;
    }
    return 0;
}

/* ---- command ---------------------------------------------------------------------------------- */

int cmd_trace(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    int json = 0, words_only = 0;
    char *words = NULL;
    size_t words_len = 0;
    int status = QT_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!words_only) {
            if (!strcmp(a, "--")) {
                words_only = 1;
                continue;
            }
            int q = cli_query_opt(argc, argv, &i, "trace", usage, help, &db_path, &json);
            if (q < 0) {
                free(words);
                return -q - 1;
            }
            if (q)
                continue;
            if (a[0] == '-' && a[1] != '\0') {
                free(words);
                return cli_usage_error("trace", usage, "unknown option '%s'", a);
            }
        }
        size_t n = strlen(a);
        char *w = realloc(words, words_len + n + 2);
        if (!w) {
            free(words);
            cli_error("out of memory");
            return cli_finish(QT_EXIT_USAGE);
        }
        words = w;
        if (words_len)
            words[words_len++] = ' ';
        memcpy(words + words_len, a, n + 1);
        words_len += n;
    }
    if (!words)
        return cli_usage_error("trace", usage, "no words to trace");

    qt_db *db = NULL;
    qt_err err = {0};
    if (qt_db_open(&db, db_path, 1, &err) != QT_OK) {
        cli_error("%s", err.msg);
        free(words);
        return cli_finish(QT_EXIT_USAGE);
    }
    const char *no_color = getenv("NO_COLOR");
    trace_out o = {.json = json,
                   .colour = !json && isatty(STDOUT_FILENO) && !(no_color && *no_color)};
    if (json && !(o.clusters = json_array())) {
        cli_error("out of memory");
        qt_db_close(db);
        free(words);
        return cli_finish(QT_EXIT_USAGE);
    }
    size_t n_found = 0;
    qt_status rc = qt_db_trace(db, words, on_cluster, &o, &n_found, &err);
    qt_db_close(db);
    if (rc == QT_EINVAL) {
        status = cli_usage_error("trace", usage, "no words to trace in '%s'", words);
    } else if (rc != QT_OK) {
        cli_error("%s", err.msg);
        status = QT_EXIT_USAGE;   /* nothing printed: the query runs before fn */
    } else if (o.failed) {
        status = QT_EXIT_PARTIAL;
    } else {
        if (json) {
            json_t *j = json_object();
            int bad = !j || cli_jput(j, "query", cli_jstr(words));
            if (!bad) {
                bad = cli_jput(j, "clusters", o.clusters);
                o.clusters = NULL;   /* j has it now, or it is gone with j */
            }
            bad = bad || json_dumpf(j, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF;
            json_decref(j);
            if (bad) {
                if (!ferror(stdout))
                    cli_error("cannot format the clusters as JSON: out of memory");
                status = QT_EXIT_PARTIAL;
            }
        }
        if (status == QT_EXIT_OK && n_found == 0) {
            fprintf(stderr, "quotetrail: no quote cluster has all of '%s'\n", words);
            status = QT_EXIT_NONE;
        } else if (status == QT_EXIT_OK && !json) {
            fprintf(stderr, "%zu cluster%s\n", n_found, n_found == 1 ? "" : "s");
        }
    }
    json_decref(o.clusters);
    free(words);
    return cli_finish(status);
}
