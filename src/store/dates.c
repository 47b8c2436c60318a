/*
 * dates.c - qt_db_infer_dates(): a date range for every stored text none of whose copies is
 * dated, from the collection; qt_db_each_article(): the listing behind `quotetrail articles`.
 *
 * Design notes. A "text" is one stored article (one content hash, every id it arrived under);
 * texts are numbered by content hash, and every tie is broken by that number or by id, so
 * nothing depends on ingest order (rowids do).
 *  (1) A text is dated when one of its copies is (copies.published parses as a calendar
 *      period, qt_dates.h (2)); its date is the earliest start among them. A dated text is
 *      fixed: nothing below moves it. Its undated ids start at that date ("a copy is dated").
 *  (2) Bounds are day ranges [lo, hi] (qt_dates.h (1)), each with its class, strongest first:
 *        FOLLOW  a near-duplicate pair (similarity, or containment of the dated text in the
 *                undated one, at QT_DATE_DUP_MIN) with a dated text, or a quote cluster whose
 *                earliest carrier is dated: on or after that date. A reprint could in truth be
 *                the original; the rule takes the dated text as the source, as trace does.
 *        TEXT    the latest calendar period its times mention (qt_dates_latest_mention()).
 *        AGE     (3).
 *        NEAR    (4).
 *      FOLLOW and TEXT bounds are lower bounds, so they never conflict; the base range is
 *      their maximum. Only AGE gives upper bounds.
 *  (3) Ages. A stated age (qt_age_of()) belongs to a person keyed by the folded name of the
 *      article's person the age is given for (its name or an alias, as `people` matches), so
 *      "Odom, 34," and "the 45-year-old" meet as one person. A text whose range is known
 *      (dated, or bounded by (2) or by earlier rounds of this rule) and which states age
 *      [a_lo, a_hi] gives a birth-year range [year(lo) - a_hi - 1, year(hi) - a_lo]. A
 *      person's birth range is the intersection of those of dated texts, then of inferred
 *      ones that agree with it (a contradicting one is a conflict, left out). An undated
 *      text stating age [b_lo, b_hi] then lies in [born_lo + b_lo, born_hi + b_hi + 1]
 *      (years), intersected with its base range; a person whose range would empty it is left
 *      out (a conflict), persons with more dated support first. Rounds repeat, each computed
 *      from the previous one whole (so the order texts are visited in never shows), until
 *      nothing changes or AGE_ROUNDS have run: a bound found for one text can bound a
 *      person and so another text.
 *  (4) NEAR, an assumption and the weakest class: a text with no lower bound after (3) takes
 *      the least lower bound among the texts it shares a quote cluster or a near-duplicate
 *      pair with (the least, since it may itself have carried the words first). It is one
 *      step, from the ranges of (3), so it never feeds on itself.
 *  (5) article_dates is rewritten whole in one savepoint: one row per text that has an undated
 *      id and a range (or a dated copy). qt_db_each_article() reads it as it is.
 * Memory: about 200 bytes per text, 24 per stated age and per link to another text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "link/qt_dates.h"
#include "store/store_int.h"

#define AGE_ROUNDS 12
#define NO_LO INT32_MIN
#define NO_HI INT32_MAX
#define EV_MAX 120        /* one piece of evidence */

enum { C_NONE, C_FOLLOW, C_TEXT, C_AGE, C_NEAR };

typedef struct dnode {
    sqlite3_int64 rowid;
    char hash[33];
    const char *name;         /* its least id: how evidence names it (1) */
    int dated;
    qt_day_span given;        /* (1), when dated */
    const char *given_id;     /* the copy that gives it */
    int has_undated;          /* an id of it is undated */
    int32_t base_lo;          /* (2); NO_LO for none */
    char base_gran;
    int base_cls;
    char base_ev[EV_MAX];
    const char *follow_by;    /* the dated text a FOLLOW bound came from */
    int32_t lo, hi;           /* the current range, (3) */
    char lo_gran;
    int lo_cls, hi_cls;
    char lo_ev[EV_MAX], hi_ev[EV_MAX];
    char conflict[EV_MAX + 16];   /* the first bound left out, or "" */
} dnode;

typedef struct age {
    uint32_t node;
    uint32_t person;          /* index into the person keys */
    int lo, hi;               /* ages allowed; hi -1 for no limit */
    const char *shown;        /* the name as this article gives it */
} age;

typedef struct person {
    const char *key;
    int32_t born_lo, born_hi;     /* years; NO_LO / NO_HI when open */
    const char *lo_by, *hi_by;    /* the text whose age set each */
    int n_dated;                  /* dated texts stating the age */
} person;

typedef struct id_node {
    const char *id;
    uint32_t node;
} id_node;

typedef struct pair {
    uint32_t u, v;            /* u follows v when kind says so, see on_dup() */
    int follows;              /* 1: u is on or after v if v is dated; 0: symmetric */
} pair;

typedef struct dates_q {
    qt_db *db;
    sqlite3 *h;
    qt_err *err;
    qt_arena arena;
    dnode *nodes;
    size_t n;
    id_node *ids;
    size_t n_ids;
    qt_vec ages;              /* age */
    person *persons;
    size_t n_persons;
    qt_vec pairs;             /* pair: near-duplicates and shared quotes */
    int oom;
    qt_date_stats st;
} dates_q;

static qt_status oom(dates_q *q)
{
    return qt_fail(q->err, QT_ENOMEM, "cannot infer dates: out of memory");
}

static int cmp_node_hash(const void *x, const void *y)
{
    return strcmp(((const dnode *)x)->hash, ((const dnode *)y)->hash);
}

static int cmp_id(const void *x, const void *y)
{
    return strcmp(((const id_node *)x)->id, ((const id_node *)y)->id);
}

static long node_of_hash(const dates_q *q, const char *hash)
{
    return qt_db_find_hash(q->nodes, q->n, sizeof *q->nodes, offsetof(dnode, hash), hash);
}

static long node_of_rowid(const dates_q *q, const sqlite3_int64 *by_row, const uint32_t *idx,
                          sqlite3_int64 row)
{
    size_t lo = 0, hi = q->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (by_row[mid] == row)
            return (long)idx[mid];
        if (by_row[mid] < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static long node_of_id(const dates_q *q, const char *id)
{
    id_node key = {id, 0};
    const id_node *f = id ? bsearch(&key, q->ids, q->n_ids, sizeof *q->ids, cmp_id) : NULL;
    return f ? (long)f->node : -1;
}

static int year_of(int32_t day)
{
    int y, m, d;
    qt_civil_from_days(day, &y, &m, &d);
    return y;
}

static char *arena_str(dates_q *q, const char *s)
{
    if (!s)
        return NULL;
    char *c = qt_arena_strndup(&q->arena, s, strlen(s));
    if (!c)
        q->oom = 1;
    return c;
}

/* ---- loading ---------------------------------------------------------------------------------- */

/* Texts, then every id with its least date: (1). */
static qt_status load_nodes(dates_q *q)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(q->h, "SELECT id, hash FROM articles", -1, &s, NULL);
    size_t cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (q->n == cap) {
            cap = cap ? 2 * cap : 64;
            dnode *g = realloc(q->nodes, cap * sizeof *g);
            if (!g) {
                sqlite3_finalize(s);
                return oom(q);
            }
            q->nodes = g;
        }
        dnode *x = memset(&q->nodes[q->n++], 0, sizeof *x);
        x->rowid = sqlite3_column_int64(s, 0);
        snprintf(x->hash, sizeof x->hash, "%s", qt_db_col_str(s, 1) ? qt_db_col_str(s, 1) : "");
        x->base_lo = x->lo = NO_LO;
        x->hi = NO_HI;
        rc = SQLITE_OK;
    }
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_finalize(s);
    if (rc != SQLITE_OK)
        return qt_db_fail(q->db, q->err, "cannot read articles from");
    if (q->n)
        qsort(q->nodes, q->n, sizeof *q->nodes, cmp_node_hash);

    s = NULL;
    rc = sqlite3_prepare_v2(q->h,
                            "SELECT a.hash, c.ext_id, min(c.published) FROM copies c"
                            " JOIN articles a ON a.id = c.article"
                            " GROUP BY c.article, c.ext_id ORDER BY c.ext_id",
                            -1, &s, NULL);
    size_t idcap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        long x = node_of_hash(q, qt_db_col_str(s, 0) ? qt_db_col_str(s, 0) : "");
        const char *id = qt_db_col_str(s, 1), *pub = qt_db_col_str(s, 2);
        rc = SQLITE_OK;
        if (x < 0 || !id)
            continue;
        dnode *d = &q->nodes[x];
        char *idc = arena_str(q, id);
        if (q->n_ids == idcap) {
            idcap = idcap ? 2 * idcap : 64;
            id_node *g = realloc(q->ids, idcap * sizeof *g);
            if (!g)
                q->oom = 1;
            else
                q->ids = g;
        }
        if (q->oom)
            break;
        q->ids[q->n_ids++] = (id_node){idc, (uint32_t)x};
        /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): x >= 0 means nodes exist */
        if (!d->name)
            d->name = idc;    /* ids come sorted: the least one */
        qt_day_span sp;
        if (pub && *pub && qt_date_parse(pub, &sp)) {
            if (!d->dated || sp.first < d->given.first) {
                d->given = sp;
                d->given_id = idc;
            }
            d->dated = 1;
        } else {
            d->has_undated = 1;
        }
    }
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_finalize(s);
    if (q->oom)
        return oom(q);
    if (rc != SQLITE_OK)
        return qt_db_fail(q->db, q->err, "cannot read article copies from");
    if (q->n_ids)
        qsort(q->ids, q->n_ids, sizeof *q->ids, cmp_id);
    for (size_t i = 0; i < q->n; i++) {
        dnode *d = &q->nodes[i];
        if (!d->name)
            d->name = d->hash;
        if (d->dated) {
            d->lo = d->given.first;
            d->hi = d->given.last;
            q->st.n_dated++;
        }
    }
    return QT_OK;
}

static int cmp_person_key(const void *x, const void *y)
{
    return strcmp(((const person *)x)->key, ((const person *)y)->key);
}

/* The person key of an age given for `who` in article `row`: the folded name of the article's
 * person with that name or alias, else `who` folded. */
static const char *person_key(dates_q *q, sqlite3_stmt *ps, sqlite3_int64 row, const char *who,
                              qt_buf *key)
{
    if (qt_db_fold_key(key, who) != QT_OK) {
        q->oom = 1;
        return NULL;
    }
    const char *found = NULL;
    if (sqlite3_bind_int64(ps, 1, row) == SQLITE_OK &&
        sqlite3_bind_text(ps, 2, key->data, (int)key->len, SQLITE_TRANSIENT) == SQLITE_OK &&
        sqlite3_step(ps) == SQLITE_ROW && qt_db_col_str(ps, 0) && *qt_db_col_str(ps, 0))
        found = arena_str(q, qt_db_col_str(ps, 0));
    sqlite3_reset(ps);
    return found ? found : key->len ? arena_str(q, key->data) : NULL;
}

/* Each text's TEXT bound and its stated ages: (2), (3). */
static qt_status load_times(dates_q *q)
{
    sqlite3_stmt *s = NULL, *ps = NULL, *pd = NULL;
    qt_buf key = QT_BUF_INIT;
    sqlite3_int64 *by_row = calloc(q->n + 1, sizeof *by_row);
    uint32_t *idx = calloc(q->n + 1, sizeof *idx);
    qt_vec keys = QT_VEC_INIT(const char *);
    if (!by_row || !idx) {
        free(by_row);
        free(idx);
        return oom(q);
    }
    /* rowid -> node, sorted by rowid for the lookups below */
    for (size_t i = 0; i < q->n; i++)
        idx[i] = (uint32_t)i;
    for (size_t i = 1; i < q->n; i++) {       /* insertion sort on a nearly sorted array */
        uint32_t v = idx[i];
        size_t j = i;
        while (j > 0 && q->nodes[idx[j - 1]].rowid > q->nodes[v].rowid) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    for (size_t i = 0; i < q->n; i++)
        by_row[i] = q->nodes[idx[i]].rowid;

    /* An age the recognizer gave no person ("the 45-year-old athlete said") is still that
     * person's when its words lie inside an alias of one person of the article: the words of
     * a duration in years are read back from the text for that (column 5). */
    int rc = sqlite3_prepare_v2(q->h,
                                "SELECT t.article, t.type, t.value, t.mod, t.age_of,"
                                " CASE WHEN t.age_of IS NULL AND t.value GLOB 'P[0-9]*Y'"
                                " AND NOT t.in_title THEN CAST(substr(CAST(a.text AS BLOB),"
                                " t.start + 1, t.\"end\" - t.start) AS TEXT) END"
                                " FROM times t JOIN articles a ON a.id = t.article"
                                " ORDER BY t.article, t.ord", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(q->h,
                                "SELECT p.name_folded FROM aliases al JOIN people p"
                                " ON p.id = al.person WHERE al.article = ?1 AND al.folded = ?2"
                                " ORDER BY al.is_name DESC, p.ord LIMIT 1", -1, &ps, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(q->h,
                                "SELECT min(p.name), count(DISTINCT p.name_folded) FROM aliases al"
                                " JOIN people p ON p.id = al.person WHERE al.article = ?1"
                                " AND NOT al.is_name AND instr(al.folded, ?2) > 0", -1, &pd,
                                NULL);
    while (rc == SQLITE_OK && !q->oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        sqlite3_int64 row = sqlite3_column_int64(s, 0);
        long x = node_of_rowid(q, by_row, idx, row);
        if (x < 0)
            continue;
        dnode *d = &q->nodes[x];
        qt_time t = {.type = qt_db_col_str(s, 1), .value = qt_db_col_str(s, 2),
                     .mod = qt_db_col_str(s, 3), .age_of = qt_db_col_str(s, 4)};
        qt_day_span sp;
        size_t which;
        if (qt_dates_latest_mention(&t, 1, &sp, &which) &&
            (d->base_lo == NO_LO || sp.first > d->base_lo)) {
            char day[16];
            d->base_lo = sp.first;
            d->base_gran = sp.gran;
            d->base_cls = C_TEXT;
            snprintf(d->base_ev, sizeof d->base_ev, "mentions %s",
                     qt_date_format(sp.first, sp.gran, day, sizeof day));
        }
        const char *words = qt_db_col_str(s, 5);
        if (!t.age_of && words) {
            if (qt_db_fold_key(&key, words) != QT_OK) {
                q->oom = 1;
                break;
            }
            if (key.len && sqlite3_bind_int64(pd, 1, row) == SQLITE_OK &&
                sqlite3_bind_text(pd, 2, key.data, (int)key.len, SQLITE_TRANSIENT) == SQLITE_OK &&
                sqlite3_step(pd) == SQLITE_ROW && sqlite3_column_int(pd, 1) == 1)
                t.age_of = arena_str(q, qt_db_col_str(pd, 0));
            sqlite3_reset(pd);
        }
        int alo, ahi;
        if (!qt_age_of(&t, &alo, &ahi))
            continue;
        const char *k = person_key(q, ps, row, t.age_of, &key);
        age *g = k ? qt_vec_push(&q->ages) : NULL;
        const char **kk = g ? qt_vec_push(&keys) : NULL;
        if (!kk) {
            q->oom = 1;
            break;
        }
        *kk = k;
        *g = (age){(uint32_t)x, 0, alo, ahi, arena_str(q, t.age_of)};
    }
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    qt_status st = QT_OK;
    if (q->oom)
        st = oom(q);
    else if (rc != SQLITE_OK)
        st = qt_db_fail(q->db, q->err, "cannot read times from");
    sqlite3_finalize(s);
    sqlite3_finalize(ps);
    sqlite3_finalize(pd);
    qt_buf_release(&key);
    free(by_row);
    free(idx);

    /* Persons: distinct keys, sorted; each age points at its person. */
    if (st == QT_OK && keys.n) {
        q->persons = calloc(keys.n, sizeof *q->persons);
        if (!q->persons)
            st = oom(q);
        for (size_t i = 0; st == QT_OK && i < keys.n; i++)
            q->persons[i].key = QT_VEC_AT(&keys, const char *, i);
        if (st == QT_OK) {
            qsort(q->persons, keys.n, sizeof *q->persons, cmp_person_key);
            size_t n = 0;
            for (size_t i = 0; i < keys.n; i++)
                if (n == 0 || strcmp(q->persons[n - 1].key, q->persons[i].key) != 0)
                    q->persons[n++] = q->persons[i];
            q->n_persons = n;
            for (size_t i = 0; i < q->ages.n; i++) {
                person k = {.key = QT_VEC_AT(&keys, const char *, i)};
                const person *p = bsearch(&k, q->persons, n, sizeof *p, cmp_person_key);
                QT_VEC_AT(&q->ages, age, i).person = (uint32_t)(p - q->persons);
            }
        }
    }
    qt_vec_release(&keys);
    return st;
}

/* ---- links to other texts: (2) FOLLOW and (4) NEAR -------------------------------------------- */

static void add_pair(dates_q *q, long u, long v, int follows)
{
    if (u < 0 || v < 0 || u == v)
        return;
    pair *p = qt_vec_push(&q->pairs);
    if (!p)
        q->oom = 1;
    else
        *p = (pair){(uint32_t)u, (uint32_t)v, follows};
}

/* A near pair follows both ways; a containment pair only the container follows the one it
 * contains (a, by quotetrail.h's convention): an undated excerpt of a dated text could be
 * its draft as well as a later cut. */
static int on_dup(void *ctx, const qt_dup_pair *p)
{
    dates_q *q = ctx;
    long a = node_of_hash(q, p->a.hash), b = node_of_hash(q, p->b.hash);
    if (!strcmp(p->kind, "containment")) {
        add_pair(q, b, a, 1);
        add_pair(q, a, b, 0);
    } else {
        add_pair(q, a, b, 1);
        add_pair(q, b, a, 1);
    }
    return q->oom;
}

/* The cluster's earliest dated id: the least published string among every id of every member
 * (ties: the least id), as the "published" rule picks it. Not c->earliest: that may be an
 * undated member by the ranges of the previous inference (qt_dates.h, "the earliest
 * carrier"), and dates are recomputed from the stored articles alone. */
static const char *earliest_dated(const qt_quote_cluster *c)
{
    const char *best_id = NULL, *best_p = NULL;
    for (size_t i = 0; i < c->n_members; i++) {
        const qt_cluster_member *m = &c->members[i];
        for (size_t j = 0; j < m->n_ids; j++) {
            const char *p = m->ids_published[j];
            if (!p || !*p)
                continue;
            int k = best_p ? strcmp(p, best_p) : -1;
            if (k < 0 || (k == 0 && strcmp(m->ids[j], best_id) < 0)) {
                best_id = m->ids[j];
                best_p = p;
            }
        }
    }
    return best_id;
}

static int on_cluster(void *ctx, const qt_quote_cluster *c)
{
    dates_q *q = ctx;
    if (c->n_members < 2 || c->n_members > QT_STORY_QUOTE_MAX)
        return 0;   /* a slogan printed everywhere dates nothing */
    const char *dated = earliest_dated(c);
    long first = dated ? node_of_id(q, dated) : -1;
    for (size_t i = 0; i < c->n_members; i++) {
        const qt_cluster_member *m = &c->members[i];
        long x = m->n_ids ? node_of_id(q, m->ids[0]) : -1;
        if (x < 0)
            continue;
        if (first >= 0)
            add_pair(q, x, first, 1);
        /* NEAR partners: the other members, each once from here */
        for (size_t k = 0; k < c->n_members; k++) {
            long y = k != i && c->members[k].n_ids ? node_of_id(q, c->members[k].ids[0]) : -1;
            if (y >= 0 && y != first)
                add_pair(q, x, y, 0);
        }
    }
    return q->oom;
}

static void follow_bounds(dates_q *q)
{
    for (size_t i = 0; i < q->pairs.n; i++) {
        const pair *p = &QT_VEC_AT(&q->pairs, pair, i);
        dnode *u = &q->nodes[p->u];
        const dnode *v = &q->nodes[p->v];
        if (!p->follows || u->dated || !v->dated)
            continue;
        /* ties: the stronger class, then the least name, so the evidence does not depend on
         * the order pairs came in */
        int better = u->base_lo == NO_LO || v->given.first > u->base_lo ||
                     (v->given.first == u->base_lo &&
                      (u->base_cls != C_FOLLOW || strcmp(v->name, u->follow_by) < 0));
        if (!better)
            continue;
        char day[16];
        u->base_lo = v->given.first;
        u->base_gran = v->given.gran;
        u->base_cls = C_FOLLOW;
        u->follow_by = v->name;
        snprintf(u->base_ev, sizeof u->base_ev, "follows %s (%s)", v->given_id,
                 qt_date_format(v->given.first, v->given.gran, day, sizeof day));
    }
}

/* ---- ages: (3) -------------------------------------------------------------------------------- */

static int cmp_age(const void *x, const void *y)
{
    const age *a = x, *b = y;
    if (a->node != b->node)
        return a->node < b->node ? -1 : 1;
    return (a->person > b->person) - (a->person < b->person);
}

/* Birth ranges from the ranges of the previous round: dated texts first, then inferred ones
 * that agree. */
static void birth_ranges(dates_q *q)
{
    for (size_t k = 0; k < q->n_persons; k++) {
        person *p = &q->persons[k];
        p->born_lo = NO_LO;
        p->born_hi = NO_HI;
        p->lo_by = p->hi_by = NULL;
        p->n_dated = 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < q->ages.n; i++) {
            const age *g = &QT_VEC_AT(&q->ages, age, i);
            const dnode *d = &q->nodes[g->node];
            if (d->dated != (pass == 0) || (d->lo == NO_LO && d->hi == NO_HI))
                continue;
            person *p = &q->persons[g->person];
            int32_t lo = d->lo != NO_LO && g->hi >= 0 ? year_of(d->lo) - g->hi - 1 : NO_LO;
            int32_t hi = d->hi != NO_HI ? year_of(d->hi) - g->lo : NO_HI;
            int32_t nlo = lo > p->born_lo ? lo : p->born_lo;
            int32_t nhi = hi < p->born_hi ? hi : p->born_hi;
            if (nlo > nhi)
                continue;          /* (3): a contradicting one is left out */
            /* a dated text is named by the id that dates it */
            if (nlo != p->born_lo)
                p->lo_by = d->dated ? d->given_id : d->name;
            if (nhi != p->born_hi)
                p->hi_by = d->dated ? d->given_id : d->name;
            p->born_lo = nlo;
            p->born_hi = nhi;
            p->n_dated += d->dated;
        }
    }
}

/* "Lamar Odom 34 (born 1979-1980 per 'x')" */
static void age_evidence(const age *g, const person *p, char *out, size_t cap)
{
    char ages[24], born[48];
    if (g->hi == g->lo)
        snprintf(ages, sizeof ages, "%d", g->lo);
    else if (g->hi < 0)
        snprintf(ages, sizeof ages, "%d+", g->lo);
    else
        snprintf(ages, sizeof ages, "%d-%d", g->lo, g->hi);
    if (p->born_lo != NO_LO && p->born_hi != NO_HI)
        snprintf(born, sizeof born, "born %d-%d", (int)p->born_lo, (int)p->born_hi);
    else if (p->born_lo != NO_LO)
        snprintf(born, sizeof born, "born %d or later", (int)p->born_lo);
    else
        snprintf(born, sizeof born, "born %d or earlier", (int)p->born_hi);
    const char *by = p->lo_by ? p->lo_by : p->hi_by;
    snprintf(out, cap, "%s %s (%s per %s)", g->shown ? g->shown : p->key, ages, born,
             by ? by : "?");
}

#define AGES_PER_TEXT 64   /* ages of one text weighed; more is a list, not a story */

/* Does age a come before b: its person has more dated support, then the lesser key? */
static int before(const person *persons, const age *a, const age *b)
{
    int na = persons[a->person].n_dated, nb = persons[b->person].n_dated;
    if (na != nb)
        return na > nb;
    if (a->person != b->person)
        return a->person < b->person;
    return a->lo < b->lo;
}

/* One round: every undated text's range from its base and the birth ranges. Returns whether
 * anything changed. next[] is the new state, written apart from q->nodes until the end. */
static int age_round(dates_q *q, dnode *next)
{
    birth_ranges(q);
    int changed = 0;
    const age *here[AGES_PER_TEXT];
    memcpy(next, q->nodes, q->n * sizeof *next);
    size_t i = 0;
    while (i < q->ages.n) {
        uint32_t x = QT_VEC_AT(&q->ages, age, i).node;
        size_t j = i;
        while (j < q->ages.n && QT_VEC_AT(&q->ages, age, j).node == x)
            j++;
        dnode *d = &next[x];
        if (d->dated) {
            i = j;
            continue;
        }
        /* from the base only: what the ages gave last round is recomputed, not kept */
        d->lo = d->base_lo;
        d->lo_gran = d->base_gran;
        d->lo_cls = d->base_cls;
        memcpy(d->lo_ev, d->base_ev, sizeof d->lo_ev);
        d->hi = NO_HI;
        d->hi_cls = C_NONE;
        d->hi_ev[0] = '\0';
        d->conflict[0] = '\0';
        /* persons with more dated support first, then by key */
        size_t n_here = 0;
        for (size_t k = i; k < j && n_here < AGES_PER_TEXT; k++)
            here[n_here++] = &QT_VEC_AT(&q->ages, age, k);
        for (size_t k = 1; k < n_here; k++) {      /* insertion sort: a handful */
            const age *v = here[k];
            size_t m = k;
            while (m > 0 && before(q->persons, v, here[m - 1])) {
                here[m] = here[m - 1];
                m--;
            }
            here[m] = v;
        }
        for (size_t k = 0; k < n_here; k++) {
            const age *g = here[k];
            const person *p = &q->persons[g->person];
            if (p->born_lo == NO_LO && p->born_hi == NO_HI)
                continue;
            /* a text alone behind a birth range says nothing new about itself */
            int32_t lo = p->born_lo != NO_LO && p->lo_by != d->name
                             ? qt_days_from_civil(p->born_lo + g->lo, 1, 1) : NO_LO;
            int32_t hi = p->born_hi != NO_HI && g->hi >= 0 && p->hi_by != d->name
                             ? qt_days_from_civil(p->born_hi + g->hi + 1, 12, 31) : NO_HI;
            if (lo == NO_LO && hi == NO_HI)
                continue;
            int32_t nlo = lo > d->lo ? lo : d->lo, nhi = hi < d->hi ? hi : d->hi;
            char ev[EV_MAX];
            age_evidence(g, p, ev, sizeof ev);
            if (nlo > nhi) {
                if (!d->conflict[0])
                    snprintf(d->conflict, sizeof d->conflict, "left out: %s", ev);
                continue;
            }
            if (nlo != d->lo) {
                d->lo = nlo;
                d->lo_gran = 'Y';
                d->lo_cls = C_AGE;
                memcpy(d->lo_ev, ev, sizeof ev);
            }
            if (nhi != d->hi) {
                d->hi = nhi;
                d->hi_cls = C_AGE;
                memcpy(d->hi_ev, ev, sizeof ev);
            }
        }
        const dnode *o = &q->nodes[x];
        changed |= o->lo != d->lo || o->hi != d->hi;
        i = j;
    }
    memcpy(q->nodes, next, q->n * sizeof *next);
    return changed;
}

static qt_status solve(dates_q *q)
{
    for (size_t i = 0; i < q->n; i++) {
        dnode *d = &q->nodes[i];
        if (d->dated)
            continue;
        d->lo = d->base_lo;
        d->lo_gran = d->base_gran;
        d->lo_cls = d->base_cls;
        memcpy(d->lo_ev, d->base_ev, sizeof d->lo_ev);
    }
    if (q->ages.n) {
        qsort(q->ages.items, q->ages.n, sizeof(age), cmp_age);
        /* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI): ages imply q->n > 0 */
        dnode *next = malloc(q->n * sizeof *next);
        if (!next)
            return oom(q);
        for (int r = 0; r < AGE_ROUNDS && age_round(q, next); r++)
            ;
        free(next);
        for (size_t i = 0; i < q->n; i++)
            q->st.n_conflicts += q->nodes[i].conflict[0] != '\0';
    }
    /* (4), from the ranges (3) left: the least lower bound among partners, in one step */
    int32_t *near = malloc((q->n + 1) * sizeof *near);
    uint32_t *near_by = malloc((q->n + 1) * sizeof *near_by);
    if (!near || !near_by) {
        free(near);
        free(near_by);
        return oom(q);
    }
    for (size_t i = 0; i < q->n; i++)
        near[i] = NO_HI;
    for (size_t i = 0; i < q->pairs.n; i++) {
        const pair *p = &QT_VEC_AT(&q->pairs, pair, i);
        const dnode *u = &q->nodes[p->u], *v = &q->nodes[p->v];
        if (u->dated || u->lo != NO_LO || v->lo == NO_LO)
            continue;
        if (v->lo < near[p->u] ||
            (v->lo == near[p->u] && strcmp(v->name, q->nodes[near_by[p->u]].name) < 0)) {
            near[p->u] = v->lo;
            near_by[p->u] = p->v;
        }
    }
    for (size_t i = 0; i < q->n; i++) {
        dnode *d = &q->nodes[i];
        if (near[i] == NO_HI || near[i] > d->hi)
            continue;
        const dnode *v = &q->nodes[near_by[i]];
        char day[16];
        d->lo = near[i];
        d->lo_gran = v->dated ? v->given.gran : v->lo_gran;
        d->lo_cls = C_NEAR;
        snprintf(d->lo_ev, sizeof d->lo_ev, "shares words with %s (from %s), taken as no earlier",
                 v->name, qt_date_format(near[i], d->lo_gran, day, sizeof day));
    }
    free(near);
    free(near_by);
    return QT_OK;
}

/* ---- writing: (5) ----------------------------------------------------------------------------- */

static qt_status write_dates(dates_q *q)
{
    sqlite3_stmt *ins = NULL;
    int rc = sqlite3_exec(q->h, "DELETE FROM article_dates", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(q->h, "INSERT INTO article_dates(article, \"from\", \"to\","
                                " evidence) VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < q->n; i++) {
        const dnode *d = &q->nodes[i];
        char from[16], to[16], ev[3 * EV_MAX + 8];
        const char *f = NULL, *t = NULL;
        if (!d->has_undated)
            continue;
        if (d->dated) {
            f = qt_date_format(d->given.first, d->given.gran, from, sizeof from);
            snprintf(ev, sizeof ev, "a copy, %s, is dated %s", d->given_id, f);
        } else {
            if (d->lo == NO_LO && d->hi == NO_HI)
                continue;
            if (d->lo != NO_LO)
                f = qt_date_format(d->lo, d->lo_gran ? d->lo_gran : 'Y', from, sizeof from);
            if (d->hi != NO_HI)
                t = qt_date_format(d->hi, 'Y', to, sizeof to);
            size_t at = (size_t)snprintf(ev, sizeof ev, "%s", d->lo != NO_LO ? d->lo_ev : "");
            if (d->hi != NO_HI && strcmp(d->hi_ev, d->lo_ev) != 0 && at < sizeof ev)
                at += (size_t)snprintf(ev + at, sizeof ev - at, "%s%s", at ? "; " : "",
                                       d->hi_ev);
            if (d->conflict[0] && at < sizeof ev)
                snprintf(ev + at, sizeof ev - at, "%s%s", at ? "; " : "", d->conflict);
            q->st.n_inferred++;
        }
        rc = sqlite3_bind_int64(ins, 1, d->rowid) || qt_db_bind_str(ins, 2, f) ||
             qt_db_bind_str(ins, 3, t) || qt_db_bind_str(ins, 4, ev);
        if (rc == SQLITE_OK)
            rc = qt_db_run(ins);
    }
    qt_status st = rc == SQLITE_OK ? QT_OK : qt_db_fail(q->db, q->err, "cannot store dates in");
    sqlite3_finalize(ins);
    return st;
}

qt_status qt_db_infer_dates(qt_db *db, qt_date_stats *stats, qt_err *err)
{
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    dates_q q = {.db = db, .h = qt_db_handle(db), .err = err, .arena = QT_ARENA_INIT,
                 .ages = QT_VEC_INIT(age), .pairs = QT_VEC_INIT(pair)};
    /* Outside a batch, take the write lock before reading: a savepoint alone starts a read
     * transaction, and when another ingest commits while the dates are computed, upgrading it
     * to write fails at once (SQLITE_BUSY_SNAPSHOT, no busy wait) and the dates are lost. */
    int own = sqlite3_get_autocommit(q.h);
    if (own && sqlite3_exec(q.h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return qt_db_fail(db, err, "cannot infer dates in");
    if (sqlite3_exec(q.h, "SAVEPOINT qt_dates", NULL, NULL, NULL) != SQLITE_OK) {
        qt_status st = qt_db_fail(db, err, "cannot infer dates in");
        if (own)
            sqlite3_exec(q.h, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    qt_status st = load_nodes(&q);
    q.st.n_texts = q.n;
    size_t n_undated = q.n - q.st.n_dated;
    if (st == QT_OK && n_undated)
        st = load_times(&q);
    /* Links are read only when there is an undated text to date by them. Estimates only:
     * dates read fingerprints, never texts. */
    if (st == QT_OK && n_undated) {
        st = qt_db_each_dup_ex(db, QT_DATE_DUP_MIN, QT_DUP_ESTIMATES_ONLY, on_dup, &q, NULL, err);
        if (st == QT_OK && q.oom)
            st = oom(&q);
    }
    if (st == QT_OK && n_undated) {
        st = qt_db_each_quote_cluster(db, on_cluster, &q, NULL, err);
        if (st == QT_OK && q.oom)
            st = oom(&q);
    }
    if (st == QT_OK) {
        follow_bounds(&q);
        st = solve(&q);
    }
    if (st == QT_OK)
        st = write_dates(&q);
    if (st == QT_OK && sqlite3_exec(q.h, "RELEASE qt_dates", NULL, NULL, NULL) != SQLITE_OK)
        st = qt_db_fail(db, err, "cannot infer dates in");
    if (st == QT_OK && own && sqlite3_exec(q.h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = qt_db_fail(db, err, "cannot infer dates in");
    if (st != QT_OK && !sqlite3_get_autocommit(q.h)) {
        sqlite3_exec(q.h, "ROLLBACK TO qt_dates", NULL, NULL, NULL);
        sqlite3_exec(q.h, "RELEASE qt_dates", NULL, NULL, NULL);
        if (own)
            sqlite3_exec(q.h, "ROLLBACK", NULL, NULL, NULL);
    }
    if (st == QT_OK && stats)
        *stats = q.st;
    free(q.nodes);
    free(q.ids);
    free(q.persons);
    qt_vec_release(&q.ages);
    qt_vec_release(&q.pairs);
    qt_arena_free(&q.arena);
    return st;
}

/* ---- the listing ------------------------------------------------------------------------------ */

typedef struct arow {
    qt_article_row r;
    qt_date_range inferred;
    sqlite3_int64 article;
    int32_t day;              /* sort key: start of the given or inferred date, NO_HI if none */
} arow;

static int cmp_arow(const void *x, const void *y)
{
    const arow *a = x, *b = y;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    int c = strcmp(a->r.id, b->r.id);
    return c ? c : strcmp(a->r.hash, b->r.hash);
}

static int32_t sort_day(const char *s)
{
    qt_day_span sp;
    return s && qt_date_parse(s, &sp) ? sp.first : NO_HI;
}

qt_status qt_db_each_article(qt_db *db, int (*fn)(void *ctx, const qt_article_row *r),
                             void *ctx, size_t *n_found, qt_err *err)
{
    if (n_found)
        *n_found = 0;
    if (!db || !fn)
        return qt_fail(err, QT_EINVAL, "no database");
    sqlite3 *h = qt_db_handle(db);
    qt_arena a = QT_ARENA_INIT;
    qt_vec rows = QT_VEC_INIT(arow);
    sqlite3_stmt *s = NULL;
    int oom_ = 0;
    /* ids by article, then id: the copies of one text come together for the copies lists */
    int rc = sqlite3_prepare_v2(h,
        "SELECT c.article, c.ext_id, min(nullif(c.source, '')), min(c.published), a.hash,"
        " a.url, a.title, a.site, a.byline, a.rating, d.\"from\", d.\"to\", d.evidence"
        " FROM copies c JOIN articles a ON a.id = c.article"
        " LEFT JOIN article_dates d ON d.article = c.article"
        " GROUP BY c.article, c.ext_id ORDER BY c.article, c.ext_id", -1, &s, NULL);
    while (rc == SQLITE_OK && !oom_ && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        arow *x = qt_vec_push(&rows);
        if (!x) {
            oom_ = 1;
            break;
        }
        memset(x, 0, sizeof *x);
        x->article = sqlite3_column_int64(s, 0);
        const char **f[] = {&x->r.id, &x->r.source, &x->r.published, &x->r.hash, &x->r.url,
                            &x->r.title, &x->r.site, &x->r.byline, &x->r.rating,
                            &x->inferred.from, &x->inferred.to, &x->inferred.evidence};
        for (int k = 0; k < 12; k++) {
            const char *z = qt_db_col_str(s, k + 1);
            if (z && !(*f[k] = qt_arena_strndup(&a, z, (size_t)sqlite3_column_bytes(s, k + 1))))
                oom_ = 1;
        }
        if (x->r.published && !*x->r.published)
            x->r.published = NULL;
    }
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    qt_status st = QT_OK;
    if (oom_)
        st = qt_fail(err, QT_ENOMEM, "cannot list articles: out of memory");
    else if (rc != SQLITE_OK)
        st = qt_db_fail(db, err, "cannot list articles in");
    sqlite3_finalize(s);
    /* copies: the other ids of the same text (rows of one article are adjacent) */
    for (size_t i = 0; st == QT_OK && i < rows.n;) {
        size_t j = i;
        while (j < rows.n && QT_VEC_AT(&rows, arow, j).article == QT_VEC_AT(&rows, arow, i).article)
            j++;
        for (size_t k = i; st == QT_OK && k < j; k++) {
            arow *x = &QT_VEC_AT(&rows, arow, k);
            const char **c = qt_arena_calloc(&a, j - i, sizeof *c);
            if (!c) {
                st = qt_fail(err, QT_ENOMEM, "cannot list articles: out of memory");
                break;
            }
            for (size_t m = i; m < j; m++)
                if (m != k)
                    c[x->r.n_copies++] = QT_VEC_AT(&rows, arow, m).r.id;
            x->r.copies = c;
            if (x->r.published) {
                x->day = sort_day(x->r.published);
            } else if (x->inferred.evidence) {
                x->day = sort_day(x->inferred.from);
            } else {
                x->day = NO_HI;
            }
        }
        i = j;
    }
    if (st == QT_OK && rows.n)
        qsort(rows.items, rows.n, sizeof(arow), cmp_arow);
    size_t n = 0;
    for (size_t i = 0; st == QT_OK && i < rows.n; i++) {
        arow *x = &QT_VEC_AT(&rows, arow, i);
        if (!x->r.published && x->inferred.evidence)
            x->r.published_inferred = &x->inferred;   /* after sorting: rows moved */
        n++;
        if (fn(ctx, &QT_VEC_AT(&rows, arow, i).r))
            break;
    }
    if (n_found)
        *n_found = n;
    qt_vec_release(&rows);
    qt_arena_free(&a);
    return st;
}
