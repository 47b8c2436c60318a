/*
 * stories.c - qt_db_each_story(): stored articles grouped into stories by the fingerprints the
 * store already keeps (near-duplicate pairs, quote clusters, the names each article stores),
 * never by re-reading a text.
 *
 * Design notes. A "text" below is one stored article (one content hash, every id it arrived
 * under); texts are the nodes of a graph, numbered by content hash.
 *  (1) Node numbers are ranks by content hash, and every tie anywhere is broken by them, so
 *      nothing depends on ingest order (rowids do): a group is named by its least node, stories
 *      and their rows are sorted by content, float sums run in node order.
 *  (2) A link between two texts keeps, per signal, what the texts share: the near-duplicate
 *      score (max of similarity and both containments, 0 when not paired at QT_STORY_DUP_MIN),
 *      how many quote clusters both carry, how many full names both name and the sum of those
 *      names' rarities (3). Links exist only for pairs sharing something; there is at most one
 *      per pair.
 *  (3) A text's names are its entity keys (article_names: every person, organisation and place
 *      it names by two words or more, quoted or not, at most QT_NAME_KEYS_MAX), together with
 *      its quoted people's full names keyed alike (people.name_folded), which are the same keys
 *      for a text analysed with entity keys and the only names of a text stored or linked
 *      without them. A name's rarity is idf / log(N + K): idf = log((N + K) / (df + 1)) over
 *      the N stored texts, df of which name it, as if K more texts naming nobody were stored.
 *      The prior K keeps a collection of five articles all naming the same two people from
 *      reading those names as worthless, while a name in every one of thousands of texts weighs little. A
 *      rarity is 1 for a name in one text of a large collection and falls towards 0 as df
 *      grows; a name in more than QT_STORY_NAME_MAX texts links nothing at all (it would also
 *      cost df^2 pairs).
 *  (4) Step 1: union-find over links with a near-duplicate score: copies, reprints and
 *      excerpts of one text are one group whatever else they share.
 *  (5) Step 2, average linkage: weight(link) = quotes (0.5 for one shared cluster, 1 for two or
 *      more) + names (the summed rarity, at most 1, times a date factor: 1 within a week, 7/gap
 *      in days beyond; counted only for two or more shared names, or one beside a shared
 *      quote: a single name, however rare, is as often a coincidence as a story, and entity
 *      keys make single matches on a place or an institution common. The rule was kept, not
 *      raised to three names, when places and organisations joined quoted people (decided
 *      before measuring): two names that are each rare and shared by two texts within days
 *      rarely meet by chance, a name common across stories is weighed down by (3) whatever
 *      its kind, and a follow-up typically shares with its story exactly its main person and
 *      its place). Two groups score the sum of weights over their cross links divided by
 *      |A| * |B|, and merge when the score is at least MERGE_MIN. Every group joins its best
 *      neighbour when that one's best is it too, in rounds until no pair qualifies: average
 *      linkage is reducible, so these reciprocal merges give what one-at-a-time greedy merging
 *      would. A citation (one reprint quoting another story) adds one link between two groups
 *      of several texts each and stays under the bar; stories where every text carries the
 *      same quotes and names merge.
 * Memory: a node (about 64 bytes) per text, 16 bytes per id, per (name, text) and per
 * (cluster, text), and about 32 per link (its record and hash slot). Output rows are read
 * from the store story by story.
 */
#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "link/qt_dates.h"
#include "link/qt_link.h"
#include "store/store_int.h"

#define MERGE_MIN 0.5   /* one shared quote per pair of texts, or two fairly rare names */
#define NAME_PRIOR 20.0 /* K of (3) */
#define DATE_NEAR 7.0   /* days within which names keep their full weight */
#define NO_DAY QT_NO_DAY
#define QUOTE_RUN_GRAMS 3 /* shared 4-word runs for two printings to be one quote */
#define MAX_PEOPLE 5
#define MAX_QUOTES 3

typedef struct node {
    sqlite3_int64 rowid;    /* articles.id */
    char hash[33];
    int32_t day;            /* days since 1970-01-01 of its least dated copy, or NO_DAY */
    uint32_t parent;        /* union-find; a root is the least node of its group (1) */
    uint32_t size;          /* texts in the group, at roots */
    uint32_t merges;        /* step-2 merges inside the group, at roots */
    float centrality;       /* summed weights of its links inside its story */
} node;

typedef struct link {
    uint32_t u, v;          /* u < v */
    float dup;              /* (2) */
    float names;            /* summed rarity of the shared names */
    uint16_t n_quotes, n_names;
} link;

typedef struct keyed {      /* (key, node): an id, a name or a cluster carried by a text */
    uint64_t key;
    uint32_t node;
} keyed;

typedef struct mem_grams { /* one printing of a quote: its 4-word runs in story_q.grams */
    uint32_t node;
    size_t from, n;
} mem_grams;

typedef struct gsum {       /* one cross link, as step 2 sums it */
    uint32_t a, b;          /* group roots, a < b */
    uint32_t u, v;          /* its texts, for a summation order fixed by (1) */
    float w;
} gsum;

typedef struct story_q {
    qt_db *db;
    sqlite3 *h;
    int by;
    qt_err *err;
    node *nodes;
    uint32_t n_nodes;
    keyed *byrow;           /* (rowid, node), by rowid */
    qt_vec links;           /* link */
    uint32_t *slots;        /* open addressing over links: link index + 1, 0 empty */
    size_t n_slots;
    qt_vec names;           /* keyed: (hash of folded name, node) */
    qt_vec carries;         /* keyed: (cluster key, node) for clusters of 2+ texts */
    qt_vec scratch;         /* uint32 nodes of one cluster */
    qt_vec grams, mems;     /* uint32 hashes and mem_grams of one cluster's printings */
    qt_vec qpairs;          /* uint64 pair keys of one cluster's linked texts */
    qt_story_stats st;
    int oom;
} story_q;

/* ---- small helpers ---------------------------------------------------------------------------- */

/* qsort(), which may not be handed the NULL items of an empty qt_vec. */
static void sort_items(void *items, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(items, n, size, cmp);
}

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->node > b->node) - (a->node < b->node);
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Days since 1970-01-01 of a date given to the day, else NO_DAY: a month or a year alone is
 * too vague to weaken a link by. */
static int32_t iso_day(const char *s)
{
    qt_day_span sp;
    return s && qt_date_parse(s, &sp) && sp.gran == 'D' ? sp.first : NO_DAY;
}

static uint32_t find(node *n, uint32_t x)
{
    while (n[x].parent != x) {
        n[x].parent = n[n[x].parent].parent;
        x = n[x].parent;
    }
    return x;
}

/* Join two groups under the lesser root (1). Returns the root. */
static uint32_t unite(node *n, uint32_t a, uint32_t b)
{
    a = find(n, a);
    b = find(n, b);
    if (a == b)
        return a;
    if (b < a) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    n[b].parent = a;
    n[a].size += n[b].size;
    n[a].merges += n[b].merges;
    return a;
}

static uint64_t pair_key(uint32_t u, uint32_t v) { return (uint64_t)u << 32 | v; }

static size_t slot_of(uint64_t k, size_t n_slots)
{
    return (size_t)(qt_hash64(&k, sizeof k) & (n_slots - 1));
}

/* The link between u and v, made empty when new; NULL when out of memory. */
static link *link_get(story_q *q, uint32_t u, uint32_t v)
{
    if (u > v) {
        uint32_t t = u;
        u = v;
        v = t;
    }
    if (2 * (q->links.n + 1) > q->n_slots) {
        size_t n = q->n_slots ? 2 * q->n_slots : 1024;
        uint32_t *s = calloc(n, sizeof *s);
        if (!s)
            return NULL;
        for (size_t i = 0; i < q->links.n; i++) {
            link *l = &QT_VEC_AT(&q->links, link, i);
            size_t j = slot_of(pair_key(l->u, l->v), n);
            while (s[j])
                j = (j + 1) & (n - 1);
            s[j] = (uint32_t)i + 1;
        }
        free(q->slots);
        q->slots = s;
        q->n_slots = n;
    }
    size_t j = slot_of(pair_key(u, v), q->n_slots);
    for (; q->slots[j]; j = (j + 1) & (q->n_slots - 1)) {
        link *l = &QT_VEC_AT(&q->links, link, q->slots[j] - 1);
        if (l->u == u && l->v == v)
            return l;
    }
    link *l = qt_vec_push(&q->links);
    if (!l)
        return NULL;
    l->u = u;
    l->v = v;
    q->slots[j] = (uint32_t)q->links.n;
    return l;
}

/* The node of a content hash, or -1 (stored after the nodes were read). */
static long node_of_hash(const story_q *q, const char *hash)
{
    return qt_db_find_hash(q->nodes, q->n_nodes, sizeof *q->nodes, offsetof(node, hash), hash);
}

/* The first entry of a sorted keyed array with this key, or -1. */
static long keyed_find(const keyed *a, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo].key == key ? (long)a[lo].node : -1;
}

/* The weight step 2 gives a link (5); its near-duplicate score is not part of it. */
static double link_weight(const story_q *q, const link *l, double *names_out)
{
    double wq = l->n_quotes >= 2 ? 1.0 : l->n_quotes == 1 ? 0.5 : 0.0;
    double wn = 0.0;
    if (l->n_names >= 2 || (l->n_names == 1 && l->n_quotes > 0)) {
        wn = l->names < 1.0f ? l->names : 1.0;
        int32_t du = q->nodes[l->u].day, dv = q->nodes[l->v].day;
        if (du != NO_DAY && dv != NO_DAY) {
            double gap = fabs((double)du - (double)dv);
            if (gap > DATE_NEAR)
                wn *= DATE_NEAR / gap;
        }
    }
    if (names_out)
        *names_out = wn;
    return wq + wn;
}

/* ---- reading the fingerprints ----------------------------------------------------------------- */

static qt_status fail_db(story_q *q, const char *what)
{
    return qt_db_fail(q->db, q->err, "cannot group stories: cannot read %s from", what);
}

static qt_status oom(story_q *q)
{
    return qt_fail(q->err, QT_ENOMEM, "cannot group stories: out of memory");
}

static qt_status load_nodes(story_q *q)
{
    static const char sql_n[] = "SELECT count(*) FROM articles";
    static const char sql[] =
        "SELECT a.id, a.hash, (SELECT min(c.published) FROM copies c WHERE c.article = a.id"
        " AND c.published <> '') FROM articles a ORDER BY a.hash";
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(q->h, sql_n, -1, &s, NULL);
    size_t n = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
        n = (size_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW)
        return fail_db(q, "articles");
    if (n >= UINT32_MAX)
        return qt_fail(q->err, QT_ETOOBIG, "cannot group stories: %zu articles", n);
    q->nodes = calloc(n ? n : 1, sizeof *q->nodes);
    q->byrow = calloc(n ? n : 1, sizeof *q->byrow);
    if (!q->nodes || !q->byrow)
        return oom(q);
    rc = sqlite3_prepare_v2(q->h, sql, -1, &s, NULL);
    while (rc == SQLITE_OK && q->n_nodes < n && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        node *x = &q->nodes[q->n_nodes];
        const char *hash = qt_db_col_str(s, 1);
        x->rowid = sqlite3_column_int64(s, 0);
        snprintf(x->hash, sizeof x->hash, "%s", hash ? hash : "");
        x->day = iso_day(qt_db_col_str(s, 2));
        x->parent = q->n_nodes;
        x->size = 1;
        q->byrow[q->n_nodes] = (keyed){(uint64_t)x->rowid, q->n_nodes};
        q->n_nodes++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_OK)   /* OK: stopped at n, stored meanwhile */
        return fail_db(q, "articles");
    sort_items(q->byrow, q->n_nodes, sizeof *q->byrow, cmp_keyed);

    q->st.n_texts = q->n_nodes;
    return QT_OK;
}

static int on_dup(void *ctx, const qt_dup_pair *p)
{
    story_q *q = ctx;
    long a = node_of_hash(q, p->a.hash), b = node_of_hash(q, p->b.hash);
    if (a < 0 || b < 0 || a == b)
        return 0;
    link *l = link_get(q, (uint32_t)a, (uint32_t)b);
    if (!l) {
        q->oom = 1;
        return 1;
    }
    double s = p->similarity;
    if (p->containment[0] > s)
        s = p->containment[0];
    if (p->containment[1] > s)
        s = p->containment[1];
    if ((float)s > l->dup)
        l->dup = (float)s;
    return 0;
}

/* A cluster's key: its least node, and that node's least quote start. The same whatever order
 * the clusters come in, so the second pass (story_quotes()) finds it again. Returns the number
 * of distinct nodes, left sorted in q->scratch. */
static size_t cluster_nodes(story_q *q, const qt_quote_cluster *c, uint64_t *key)
{
    q->scratch.n = 0;
    uint32_t least = UINT32_MAX;
    size_t least_start = SIZE_MAX;
    for (size_t i = 0; i < c->n_members; i++) {
        const qt_cluster_member *m = &c->members[i];
        long x = m->hash ? node_of_hash(q, m->hash) : -1;
        if (x < 0)
            continue;
        uint32_t *p = qt_vec_push(&q->scratch);
        if (!p) {
            q->oom = 1;
            return 0;
        }
        *p = (uint32_t)x;
        if ((uint32_t)x < least || ((uint32_t)x == least && m->start < least_start)) {
            least = (uint32_t)x;
            least_start = m->start;
        }
    }
    uint32_t *v = q->scratch.items;
    sort_items(v, q->scratch.n, sizeof *v, cmp_u32);
    size_t n = 0;
    for (size_t i = 0; i < q->scratch.n; i++)
        if (n == 0 || v[n - 1] != v[i])
            v[n++] = v[i];
    q->scratch.n = n;
    *key = (uint64_t)least << 32 | (uint32_t)(least_start > UINT32_MAX ? UINT32_MAX : least_start);
    return n;
}

/* Append to out the hashes of the 4-word runs of a quote's text, sorted and unique, and return
 * how many. Words are runs of letters and digits (every byte from 0x80 up counts as a letter),
 * ASCII-lowercased; an apostrophe, straight or curly, stays inside its word. */
static size_t quote_grams(const char *s, qt_vec *out, int *oom_flag)
{
    size_t from = out->n;
    uint32_t w[4] = {0};
    size_t n_words = 0;
    uint32_t h = 2166136261u;
    int in_word = 0;
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        unsigned c = *p;
        int apos = c == '\'' || (c == 0xE2 && p[1] == 0x80 && p[2] == 0x99);
        int quote_mark = c == 0xE2 && p[1] == 0x80 && !apos;   /* “ ” ‘ … — and the like */
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     (c >= 0x80 && !quote_mark);
        if (apos && in_word) {
            p += c == '\'' ? 0 : 2;
            continue;
        }
        if (letter) {
            h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 16777619u;
            in_word = 1;
            continue;
        }
        if (quote_mark)
            p += 2;
        if (in_word) {
            w[0] = w[1], w[1] = w[2], w[2] = w[3], w[3] = h;
            if (++n_words >= 4) {
                uint32_t *g = qt_vec_push(out);
                if (!g) {
                    *oom_flag = 1;
                    return 0;
                }
                *g = (uint32_t)qt_hash64(w, sizeof w);
            }
            h = 2166136261u;
            in_word = 0;
        }
        if (c == '\0')
            break;
    }
    size_t n = out->n - from, k = 0;
    if (n == 0)     /* no 4-word run, perhaps no array yet: NULL + 0 is UB */
        return 0;
    uint32_t *g = (uint32_t *)out->items + from;
    sort_items(g, n, sizeof *g, cmp_u32);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || g[k - 1] != g[i])
            g[k++] = g[i];
    out->n = from + k;
    return k;
}

static size_t shared_grams(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            n++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    return n;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

static int on_cluster(void *ctx, const qt_quote_cluster *c)
{
    story_q *q = ctx;
    uint64_t key = 0;
    size_t n = cluster_nodes(q, c, &key);
    if (q->oom)
        return 1;
    if (n < 2)
        return 0;
    if (n > QT_STORY_QUOTE_MAX) {
        q->st.n_common_quotes++;
        return 0;
    }
    const uint32_t *v = q->scratch.items;
    for (size_t i = 0; i < n; i++) {
        keyed *k = qt_vec_push(&q->carries);
        if (!k) {
            q->oom = 1;
            return 1;
        }
        *k = (keyed){key, v[i]};
    }
    /* A cluster is a chain: a trimmed printing joins the full quote, and a short quote that
     * shares a phrase with two long ones joins them. Two texts are linked only by printings
     * that share QUOTE_RUN_GRAMS 4-word runs themselves (a run of 6 words or more), so that
     * neither a chain nor a slogan of a few words ("make America great again") links them. */
    q->grams.n = q->mems.n = q->qpairs.n = 0;
    for (size_t i = 0; i < c->n_members; i++) {
        const qt_cluster_member *m = &c->members[i];
        long x = m->hash ? node_of_hash(q, m->hash) : -1;
        if (x < 0 || !m->text)
            continue;
        size_t from = q->grams.n, k = quote_grams(m->text, &q->grams, &q->oom);
        mem_grams *g = q->oom ? NULL : qt_vec_push(&q->mems);
        if (!g) {
            q->oom = 1;
            return 1;
        }
        *g = (mem_grams){(uint32_t)x, from, k};
    }
    const mem_grams *mg = q->mems.items;
    const uint32_t *gr = q->grams.items;
    for (size_t i = 0; i < q->mems.n; i++)
        for (size_t j = i + 1; j < q->mems.n; j++) {
            if (mg[i].node == mg[j].node || mg[i].n < QUOTE_RUN_GRAMS ||
                mg[j].n < QUOTE_RUN_GRAMS ||
                shared_grams(gr + mg[i].from, mg[i].n, gr + mg[j].from, mg[j].n) <
                    QUOTE_RUN_GRAMS)
                continue;
            uint64_t *p = qt_vec_push(&q->qpairs);
            if (!p) {
                q->oom = 1;
                return 1;
            }
            uint32_t a = mg[i].node, b = mg[j].node;
            *p = a < b ? pair_key(a, b) : pair_key(b, a);
        }
    uint64_t *pp = q->qpairs.items;
    sort_items(pp, q->qpairs.n, sizeof *pp, cmp_u64);
    for (size_t i = 0; i < q->qpairs.n; i++) {
        if (i && pp[i] == pp[i - 1])
            continue;
        link *l = link_get(q, (uint32_t)(pp[i] >> 32), (uint32_t)pp[i]);
        if (!l) {
            q->oom = 1;
            return 1;
        }
        if (l->n_quotes < UINT16_MAX)
            l->n_quotes++;
    }
    return 0;
}

/* Push (key, node) for every row of sql, whose columns are an article's rowid and either an
 * entity key (a signed 32-bit value) or, when folded, a folded full name to key. */
static qt_status read_name_rows(story_q *q, const char *sql, int folded, const char *what)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(q->h, sql, -1, &s, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        long x = keyed_find(q->byrow, q->n_nodes, (uint64_t)sqlite3_column_int64(s, 0));
        const char *name = folded ? qt_db_col_str(s, 1) : NULL;
        if (x < 0 || (folded && !name))
            continue;
        keyed *k = qt_vec_push(&q->names);
        if (!k) {
            sqlite3_finalize(s);
            return oom(q);
        }
        uint32_t key = folded ? qt_name_key(name, strlen(name), NULL)
                              : (uint32_t)sqlite3_column_int64(s, 1);
        *k = (keyed){key, (uint32_t)x};
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? QT_OK : fail_db(q, what);
}

static qt_status load_names(story_q *q)
{
    /* Entity keys (3), and the full names of quoted people keyed the same way: the same key
     * for an article analysed with entity keys, the only names of one stored or linked
     * without them. Full names only: a surname alone ("Smith said") names too many. */
    static const char sql_keys[] = "SELECT article, hash FROM article_names";
    static const char sql_people[] =
        "SELECT DISTINCT article, name_folded FROM people WHERE instr(name_folded, ' ') > 0";
    qt_status st = read_name_rows(q, sql_keys, 0, "entity keys");
    if (st == QT_OK)
        st = read_name_rows(q, sql_people, 1, "people");
    if (st != QT_OK)
        return st;
    keyed *a = q->names.items;
    size_t n = q->names.n, kept = 0;
    sort_items(a, n, sizeof *a, cmp_keyed);
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || a[kept - 1].key != a[i].key || a[kept - 1].node != a[i].node)
            a[kept++] = a[i];
    n = q->names.n = kept;
    double scale = log((double)q->n_nodes + NAME_PRIOR);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && a[j].key == a[i].key;)
            j++;
        size_t df = j - i;
        if (df < 2)
            continue;
        if (df > QT_STORY_NAME_MAX) {
            q->st.n_common_names++;
            continue;
        }
        double rarity = log(((double)q->n_nodes + NAME_PRIOR) / ((double)df + 1.0)) / scale;
        for (size_t x = i; x < j; x++)
            for (size_t y = x + 1; y < j; y++) {
                link *l = link_get(q, a[x].node, a[y].node);
                if (!l)
                    return oom(q);
                if (l->n_names < UINT16_MAX)
                    l->n_names++;
                l->names += (float)rarity;
            }
    }
    return QT_OK;
}

/* ---- grouping --------------------------------------------------------------------------------- */

static int cmp_gsum(const void *x, const void *y)
{
    const gsum *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    if (a->u != b->u)
        return a->u < b->u ? -1 : 1;
    return (a->v > b->v) - (a->v < b->v);
}

/* Step 2 of (5). Returns QT_OK or QT_ENOMEM. */
static qt_status average_link(story_q *q)
{
    size_t n_links = q->links.n;
    gsum *g = malloc((n_links ? n_links : 1) * sizeof *g);
    uint32_t *best = malloc((size_t)(q->n_nodes ? q->n_nodes : 1) * sizeof *best);
    double *best_s = malloc((size_t)(q->n_nodes ? q->n_nodes : 1) * sizeof *best_s);
    if (!g || !best || !best_s) {
        free(g);
        free(best);
        free(best_s);
        return oom(q);
    }
    for (;;) {
        size_t n = 0;
        for (size_t i = 0; i < n_links; i++) {
            const link *l = &QT_VEC_AT(&q->links, link, i);
            uint32_t a = find(q->nodes, l->u), b = find(q->nodes, l->v);
            double w = a == b ? 0.0 : link_weight(q, l, NULL);
            if (w <= 0.0)
                continue;
            g[n++] = (gsum){a < b ? a : b, a < b ? b : a, l->u, l->v, (float)w};
        }
        if (n == 0)
            break;
        sort_items(g, n, sizeof *g, cmp_gsum);
        for (uint32_t i = 0; i < q->n_nodes; i++) {
            best[i] = UINT32_MAX;
            best_s[i] = 0.0;
        }
        for (size_t i = 0, j; i < n; i = j) {
            double sum = 0.0;
            for (j = i; j < n && g[j].a == g[i].a && g[j].b == g[i].b; j++)
                sum += g[j].w;
            uint32_t a = g[i].a, b = g[i].b;
            double score = sum / ((double)q->nodes[a].size * (double)q->nodes[b].size);
            /* Ties go to the lesser root: the pairs come in root order, so only a strictly
             * better score replaces a best. */
            if (score > best_s[a])
                best_s[a] = score, best[a] = b;
            if (score > best_s[b] || (score == best_s[b] && a < best[b]))
                best_s[b] = score, best[b] = a;
        }
        size_t merged = 0;
        for (uint32_t a = 0; a < q->n_nodes; a++) {
            uint32_t b = best[a];
            if (b == UINT32_MAX || b < a || best[b] != a || best_s[a] < MERGE_MIN)
                continue;
            uint32_t r = unite(q->nodes, a, b);
            q->nodes[r].merges++;
            q->st.n_merges++;
            merged++;
        }
        if (merged == 0)
            break;
    }
    free(g);
    free(best);
    free(best_s);
    return QT_OK;
}

/* ---- stories ---------------------------------------------------------------------------------- */

typedef struct story_rec {
    uint32_t root;
    uint32_t size;
    int32_t day;            /* least dated text, or NO_DAY */
    uint32_t title_node;
    size_t n_dup, n_quote, n_people;
    size_t quotes_from;     /* its (cluster, count) range in the top-quote array */
    size_t n_top;
} story_rec;

typedef struct top_quote {
    uint64_t key;
    uint32_t root;
    uint32_t count;
    char *text;             /* filled in by the second pass; malloc'd */
} top_quote;

static int cmp_story(const void *x, const void *y)
{
    const story_rec *a = x, *b = y;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    if (a->day != b->day) {
        if (a->day == NO_DAY || b->day == NO_DAY)
            return a->day == NO_DAY ? 1 : -1;
        return a->day < b->day ? -1 : 1;
    }
    return (a->root > b->root) - (a->root < b->root);
}

/* By cluster, then story: a cluster carried in two stories is a top quote of each. */
static int cmp_top(const void *x, const void *y)
{
    const top_quote *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->root > b->root) - (a->root < b->root);
}

typedef struct pass2 {
    story_q *q;
    top_quote *top;
    size_t n_top;           /* sorted by key */
} pass2;

static int on_cluster_text(void *ctx, const qt_quote_cluster *c)
{
    pass2 *p = ctx;
    story_q *q = p->q;
    uint64_t key = 0;
    if (cluster_nodes(q, c, &key) < 2)
        return q->oom;
    size_t lo = 0, hi = p->n_top;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->top[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (top_quote *t = p->top + lo; t < p->top + p->n_top && t->key == key; t++) {
        const char *text = NULL;
        size_t len = 0;
        for (size_t i = 0; i < c->n_members; i++) {
            const qt_cluster_member *m = &c->members[i];
            long x = m->hash ? node_of_hash(q, m->hash) : -1;
            if (x < 0 || find(q->nodes, (uint32_t)x) != t->root || !m->text)
                continue;
            size_t n = strlen(m->text);
            if (!text || n > len || (n == len && strcmp(m->text, text) < 0))
                text = m->text, len = n;
        }
        if (text && !t->text && !(t->text = strdup(text))) {
            q->oom = 1;
            return 1;
        }
    }
    return 0;
}

static int cmp_art(const void *x, const void *y)
{
    const qt_story_article *a = x, *b = y;
    if (!a->published != !b->published)
        return a->published ? -1 : 1;
    int c = a->published ? strcmp(a->published, b->published) : 0;
    if (c)
        return c;
    c = strcmp(a->id, b->id);
    return c ? c : strcmp(a->hash, b->hash);
}

typedef struct name_row {
    const char *folded, *name;
    uint32_t node;
    long mentions;
} name_row;

static int cmp_name_row(const void *x, const void *y)
{
    const name_row *a = x, *b = y;
    int c = strcmp(a->folded, b->folded);
    if (c)
        return c;
    return (a->node > b->node) - (a->node < b->node);
}

typedef struct person_out {
    qt_story_person p;
    long mentions;
    const char *folded;
} person_out;

static int cmp_person(const void *x, const void *y)
{
    const person_out *a = x, *b = y;
    if (a->p.n_articles != b->p.n_articles)
        return a->p.n_articles > b->p.n_articles ? -1 : 1;
    if (a->mentions != b->mentions)
        return a->mentions > b->mentions ? -1 : 1;
    return strcmp(a->folded, b->folded);
}

typedef struct emit_ctx {
    story_q *q;
    sqlite3_stmt *arts, *people;
    qt_arena arena;
    qt_vec rows;            /* qt_story_article */
    qt_vec nrows;           /* name_row */
    qt_vec pout;            /* person_out */
    qt_vec pub;             /* qt_story_person */
} emit_ctx;

static char *dup_col(emit_ctx *e, sqlite3_stmt *s, int i)
{
    const char *z = qt_db_col_str(s, i);
    if (!z || !*z)
        return NULL;
    return qt_arena_strndup(&e->arena, z, strlen(z));
}

/* Read one story's rows and call fn. Returns QT_OK, QT_DONE when fn stopped, or an error. */
static qt_status emit_story(emit_ctx *e, const story_rec *r, const uint32_t *members,
                            const top_quote *top, size_t index,
                            int (*fn)(void *ctx, const qt_story *s), void *ctx)
{
    story_q *q = e->q;
    qt_arena_reset(&e->arena);
    e->rows.n = e->nrows.n = e->pout.n = e->pub.n = 0;
    int rc = SQLITE_OK;
    for (uint32_t i = 0; i < r->size && rc == SQLITE_OK; i++) {
        const node *x = &q->nodes[members[i]];
        sqlite3_bind_int64(e->arts, 1, x->rowid);
        while ((rc = sqlite3_step(e->arts)) == SQLITE_ROW) {
            qt_story_article *a = qt_vec_push(&e->rows);
            if (!a)
                goto nomem;
            a->id = dup_col(e, e->arts, 0);
            a->source = dup_col(e, e->arts, 1);
            a->published = dup_col(e, e->arts, 2);
            a->title = dup_col(e, e->arts, 3);
            a->hash = x->hash;
            if (!a->id)
                a->id = x->hash;
        }
        rc = qt_db_finish(e->arts, rc);
        sqlite3_bind_int64(e->people, 1, x->rowid);
        while (rc == SQLITE_OK && (rc = sqlite3_step(e->people)) == SQLITE_ROW) {
            rc = SQLITE_OK;
            name_row *n = qt_vec_push(&e->nrows);
            if (!n)
                goto nomem;
            n->name = dup_col(e, e->people, 0);
            n->folded = dup_col(e, e->people, 1);
            n->mentions = (long)sqlite3_column_int64(e->people, 2);
            n->node = members[i];
            if (!n->name || !n->folded)
                e->nrows.n--;
        }
        rc = qt_db_finish(e->people, rc);
    }
    if (rc != SQLITE_OK)
        return fail_db(q, "a story's articles");
    sort_items(e->rows.items, e->rows.n, sizeof(qt_story_article), cmp_art);

    /* People: the display form is the one most texts use (ties: the lesser string). */
    name_row *nr = e->nrows.items;
    sort_items(nr, e->nrows.n, sizeof *nr, cmp_name_row);
    for (size_t i = 0, j; i < e->nrows.n; i = j) {
        size_t texts = 0;
        long mentions = 0;
        for (j = i; j < e->nrows.n && !strcmp(nr[j].folded, nr[i].folded); j++) {
            texts += j == i || nr[j].node != nr[j - 1].node;
            mentions += nr[j].mentions;
        }
        if (texts < 2 && r->size > 1)
            continue;
        const char *name = NULL;
        size_t name_n = 0;
        for (size_t x = i; x < j; x++) {
            size_t c = 0;
            for (size_t y = i; y < j; y++)
                c += !strcmp(nr[y].name, nr[x].name);
            if (!name || c > name_n || (c == name_n && strcmp(nr[x].name, name) < 0))
                name = nr[x].name, name_n = c;
        }
        person_out *p = qt_vec_push(&e->pout);
        if (!p)
            goto nomem;
        *p = (person_out){{name, texts}, mentions, nr[i].folded};
    }
    sort_items(e->pout.items, e->pout.n, sizeof(person_out), cmp_person);
    for (size_t i = 0; i < e->pout.n && i < MAX_PEOPLE; i++) {
        qt_story_person *p = qt_vec_push(&e->pub);
        if (!p)
            goto nomem;
        *p = QT_VEC_AT(&e->pout, person_out, i).p;
    }

    qt_story_quote qs[MAX_QUOTES];
    size_t n_qs = 0;
    for (size_t i = 0; i < r->n_top; i++) {
        const top_quote *t = &top[r->quotes_from + i];
        if (t->text)
            qs[n_qs++] = (qt_story_quote){t->text, t->count};
    }

    const node *tn = &q->nodes[r->title_node];
    qt_story s = {.index = index, .articles = e->rows.items, .n_articles = e->rows.n,
                  .n_texts = r->size, .people = e->pub.items, .n_people = e->pub.n,
                  .quotes = qs, .n_quotes = n_qs, .n_dup_links = r->n_dup,
                  .n_quote_links = r->n_quote, .n_people_links = r->n_people,
                  .n_merges = q->nodes[r->root].merges};
    const qt_story_article *rows = e->rows.items;
    for (size_t i = 0; i < e->rows.n; i++) {
        if (rows[i].published) {
            if (!s.first_published)
                s.first_published = rows[i].published;
            s.last_published = rows[i].published;
        }
        if (!s.title_id && !strcmp(rows[i].hash, tn->hash)) {
            s.title_id = rows[i].id;
            s.title = rows[i].title;
        }
    }
    q->st.n_ids += e->rows.n;
    return fn(ctx, &s) ? QT_DONE : QT_OK;
nomem:
    sqlite3_reset(e->arts);
    sqlite3_reset(e->people);
    return oom(q);
}

static int cmp_carry_story(const void *x, const void *y)
{
    const keyed *a = x, *b = y;   /* node holds the root here */
    if (a->node != b->node)
        return a->node < b->node ? -1 : 1;
    return (a->key > b->key) - (a->key < b->key);
}

static int cmp_top_rank(const void *x, const void *y)
{
    const top_quote *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return (a->key > b->key) - (a->key < b->key);
}

static qt_status make_stories(story_q *q, int (*fn)(void *ctx, const qt_story *s), void *ctx)
{
    qt_status st = QT_OK;
    uint32_t n = q->n_nodes;
    story_rec *recs = NULL;
    uint32_t *members = NULL, *start = NULL;
    size_t *rec_of = NULL;
    top_quote *top = NULL;
    size_t n_top = 0, n_recs = 0;
    emit_ctx e = {.q = q, .arena = QT_ARENA_INIT, .rows = QT_VEC_INIT(qt_story_article),
                  .nrows = QT_VEC_INIT(name_row), .pout = QT_VEC_INIT(person_out),
                  .pub = QT_VEC_INIT(qt_story_person)};

    recs = calloc(n ? n : 1, sizeof *recs);
    members = malloc((n ? n : 1) * sizeof *members);
    start = calloc((size_t)n + 1, sizeof *start);
    rec_of = malloc((n ? n : 1) * sizeof *rec_of);
    if (!recs || !members || !start || !rec_of) {
        st = oom(q);
        goto out;
    }
    for (uint32_t i = 0; i < n; i++)
        q->nodes[i].parent = find(q->nodes, i);
    /* Members by root, in node order: a counting sort. */
    for (uint32_t i = 0; i < n; i++)
        start[q->nodes[i].parent + 1]++;
    for (uint32_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    {
        uint32_t *fill = malloc((n ? n : 1) * sizeof *fill);
        if (!fill) {
            st = oom(q);
            goto out;
        }
        memcpy(fill, start, n * sizeof *fill);
        for (uint32_t i = 0; i < n; i++)
            members[fill[q->nodes[i].parent]++] = i;
        free(fill);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (q->nodes[i].parent != i)
            continue;
        story_rec *r = &recs[n_recs];
        r->root = i;
        r->size = start[i + 1] - start[i];
        r->day = NO_DAY;
        for (uint32_t k = start[i]; k < start[i + 1]; k++) {
            int32_t d = q->nodes[members[k]].day;
            if (d != NO_DAY && (r->day == NO_DAY || d < r->day))
                r->day = d;
        }
        rec_of[i] = n_recs++;
    }
    /* Links inside each story: the counts of why, and each text's centrality. */
    for (size_t i = 0; i < q->links.n; i++) {
        const link *l = &QT_VEC_AT(&q->links, link, i);
        uint32_t a = q->nodes[l->u].parent;
        if (a != q->nodes[l->v].parent)
            continue;
        story_rec *r = &recs[rec_of[a]];
        double wn = 0.0, w = link_weight(q, l, &wn) + l->dup;
        r->n_dup += l->dup > 0.0f;
        r->n_quote += l->n_quotes > 0;
        r->n_people += wn > 0.0;
        q->nodes[l->u].centrality += (float)w;
        q->nodes[l->v].centrality += (float)w;
    }
    for (size_t i = 0; i < n_recs; i++) {
        story_rec *r = &recs[i];
        uint32_t bestn = members[start[r->root]];
        for (uint32_t k = start[r->root]; k < start[r->root + 1]; k++) {
            const node *x = &q->nodes[members[k]], *b = &q->nodes[bestn];
            int earlier = x->day != NO_DAY && (b->day == NO_DAY || x->day < b->day);
            if (x->centrality > b->centrality || (x->centrality == b->centrality && earlier))
                bestn = members[k];
        }
        r->title_node = bestn;
    }

    /* The most carried quotes of each story: count (cluster, text) by story. */
    keyed *c = q->carries.items;
    for (size_t i = 0; i < q->carries.n; i++)
        c[i].node = q->nodes[c[i].node].parent;
    sort_items(c, q->carries.n, sizeof *c, cmp_carry_story);
    top = malloc((q->carries.n ? q->carries.n : 1) * sizeof *top);
    if (!top) {
        st = oom(q);
        goto out;
    }
    for (size_t i = 0, j; i < q->carries.n; i = j) {
        size_t from = n_top;
        for (j = i; j < q->carries.n && c[j].node == c[i].node; ) {
            size_t k = j;
            while (k < q->carries.n && c[k].node == c[j].node && c[k].key == c[j].key)
                k++;
            if (k - j >= 2)
                top[n_top++] = (top_quote){c[j].key, c[j].node, (uint32_t)(k - j), NULL};
            j = k;
        }
        sort_items(top + from, n_top - from, sizeof *top, cmp_top_rank);
        size_t keep = n_top - from < MAX_QUOTES ? n_top - from : MAX_QUOTES;
        story_rec *r = &recs[rec_of[c[i].node]];
        r->quotes_from = from;
        r->n_top = keep;
        n_top = from + keep;
    }
    if (n_top) {
        /* Second pass over the clusters for the texts of the chosen quotes only. */
        top_quote *sorted = malloc(n_top * sizeof *sorted);
        if (!sorted) {
            st = oom(q);
            goto out;
        }
        memcpy(sorted, top, n_top * sizeof *sorted);
        sort_items(sorted, n_top, sizeof *sorted, cmp_top);
        pass2 p = {q, sorted, n_top};
        st = qt_db_each_quote_cluster(q->db, on_cluster_text, &p, NULL, q->err);
        if (st == QT_OK && q->oom)
            st = oom(q);
        for (size_t i = 0; i < n_top; i++) {
            top_quote *t = bsearch(&top[i], sorted, n_top, sizeof *sorted, cmp_top);
            top[i].text = t ? t->text : NULL;
        }
        if (st != QT_OK) {
            for (size_t i = 0; i < n_top; i++)
                free(sorted[i].text);
            free(sorted);
            n_top = 0;
            goto out;
        }
        free(sorted);
    }

    sort_items(recs, n_recs, sizeof *recs, cmp_story);
    q->st.n_stories = n_recs;
    q->st.n_largest = n_recs ? recs[0].size : 0;
    for (size_t i = 0; i < n_recs; i++) {
        q->st.n_dup_pairs += recs[i].n_dup;
        q->st.n_quote_pairs += recs[i].n_quote;
        q->st.n_people_pairs += recs[i].n_people;
    }
    static const char sql_arts[] =
        "SELECT c.ext_id, nullif(min(c.source), ''), min(nullif(c.published, '')), a.title"
        " FROM copies c JOIN articles a ON a.id = c.article WHERE c.article = ?"
        " GROUP BY c.ext_id";
    static const char sql_people[] =
        "SELECT name, name_folded, mentions FROM people WHERE article = ? AND kind = 'person'";
    if (sqlite3_prepare_v2(q->h, sql_arts, -1, &e.arts, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(q->h, sql_people, -1, &e.people, NULL) != SQLITE_OK) {
        st = fail_db(q, "articles");
        goto out;
    }
    for (size_t i = 0; i < n_recs && st == QT_OK; i++)
        st = emit_story(&e, &recs[i], members + start[recs[i].root], top, i + 1, fn, ctx);
    if (st == QT_DONE)
        st = QT_OK;
out:
    sqlite3_finalize(e.arts);
    sqlite3_finalize(e.people);
    qt_arena_free(&e.arena);
    qt_vec_release(&e.rows);
    qt_vec_release(&e.nrows);
    qt_vec_release(&e.pout);
    qt_vec_release(&e.pub);
    for (size_t i = 0; i < n_top; i++)
        free(top[i].text);
    free(top);
    free(recs);
    free(members);
    free(start);
    free(rec_of);
    return st;
}

/* ---- the public function ---------------------------------------------------------------------- */

qt_status qt_db_each_story(qt_db *db, int by, int (*fn)(void *ctx, const qt_story *s), void *ctx,
                           qt_story_stats *stats, qt_err *err)
{
    if (!db || !fn)
        return qt_fail(err, QT_EINVAL, "no database");
    story_q q = {.db = db, .h = qt_db_handle(db), .by = by ? by : QT_STORY_BY_ALL, .err = err,
                 .links = QT_VEC_INIT(link), .names = QT_VEC_INIT(keyed),
                 .carries = QT_VEC_INIT(keyed), .scratch = QT_VEC_INIT(uint32_t),
                 .grams = QT_VEC_INIT(uint32_t), .mems = QT_VEC_INIT(mem_grams),
                 .qpairs = QT_VEC_INIT(uint64_t)};
    /* One read snapshot for every pass, so the second pass over the clusters and the rows
     * read story by story agree with the grouping. */
    if (sqlite3_exec(q.h, "SAVEPOINT qt_stories", NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(&q, "articles");
    qt_status st = load_nodes(&q);
    if (st == QT_OK && (q.by & QT_STORY_BY_DUPS)) {
        /* estimates only: stories read fingerprints, never texts */
        st = qt_db_each_dup_ex(db, QT_STORY_DUP_MIN, QT_DUP_ESTIMATES_ONLY, on_dup, &q, NULL,
                               err);
        if (st == QT_OK && q.oom)
            st = oom(&q);
    }
    if (st == QT_OK && (q.by & QT_STORY_BY_DUPS)) {
        for (size_t i = 0; i < q.links.n; i++) {
            const link *l = &QT_VEC_AT(&q.links, link, i);
            if (l->dup > 0.0f)
                unite(q.nodes, l->u, l->v);
        }
    }
    if (st == QT_OK && (q.by & QT_STORY_BY_QUOTES)) {
        st = qt_db_each_quote_cluster(db, on_cluster, &q, NULL, err);
        if (st == QT_OK && q.oom)
            st = oom(&q);
    }
    if (st == QT_OK && (q.by & QT_STORY_BY_PEOPLE))
        st = load_names(&q);
    if (st == QT_OK)
        st = average_link(&q);
    if (st == QT_OK)
        st = make_stories(&q, fn, ctx);
    sqlite3_exec(q.h, "RELEASE qt_stories", NULL, NULL, NULL);
    if (st == QT_OK && stats)
        *stats = q.st;
    free(q.nodes);
    free(q.byrow);
    free(q.slots);
    qt_vec_release(&q.links);
    qt_vec_release(&q.names);
    qt_vec_release(&q.carries);
    qt_vec_release(&q.scratch);
    qt_vec_release(&q.grams);
    qt_vec_release(&q.mems);
    qt_vec_release(&q.qpairs);
    return st;
}
