/*
 * clusters.c - what a quote cluster says beyond its members' spans: the fullest wording, who
 * each article credited and whether they disagree, where the words were first given, and,
 * for `quotetrail trace`, which clusters a user's words find.
 *
 * store.c builds the clusters from quote keys alone ("quote clusters"); this file reads the
 * rest from the quotes the members came from, inside the same read savepoint, and only for
 * the clusters handed out (all for qt_db_each_quote_cluster(), the matched ones for
 * qt_db_trace()). Its statements are its own (store_int.h).
 *
 * The rules, each a choice made once here and documented in quotetrail.h and the README:
 *  (c1) Canonical text: the member with the most words outside [brackets] (a bracketed word is
 *       an editor's, not the speaker's), ties to the fewest edit marks ([...] groups and
 *       ellipses), then to the earliest carrier's member, then to the first member (members
 *       are ordered by their article's least id, not by storage order).
 *       Among reprints, trimmed and cut ones have fewer words, so this is the fullest wording
 *       anyone printed, which every other member's diff is read against.
 *  (c2) Speakers: the names the members' articles credited (persons and organisations;
 *       "a spokesperson" and unattributed quotes say nothing about who spoke), compared
 *       folded. Two names are one person when one's words are all among the other's (an
 *       initial matches a word it starts), or one is an alias the other's article gave its
 *       person: "Moreau" and "Renée Moreau" are one, "Renée Moreau" and "Paul Moreau" two.
 *       Names are taken longest first; each joins the person whose fullest name it matches
 *       (the most credited one when it matches several: "Moreau" beside both Moreaus adds no
 *       conflict) or starts a new one. A conflict is two members crediting different persons
 *       for the same words: both named the speaker at the quote (the mention is a capitalised
 *       name within the speaker's name or an alias: a pronoun or a description is our reading
 *       of the context, which reprints change), the names as printed differ ("Moreau said"
 *       twice is one credit, whoever each Moreau was read as), and at least half of the
 *       shorter quote's 4-word runs are the other's (not two quotes joined by a stock phrase).
 *  (c3) Venue where the words were first given: the venue credited by the member with the
 *       earliest date (its ids' least published date) among those that credit one: a date is
 *       evidence of who printed it first. When no dated member credits a venue, storage order
 *       is no such evidence, so the venue most members credit wins (ties: the first member). Venues compare by the collection's key (store.c (v3)).
 *  (c4) trace: a cluster matches when one of its members' texts has all the words (FTS5,
 *       tokenize unicode61 remove_diacritics 2: accents, case and punctuation aside). Best
 *       first: more members with all the words (words that travelled far), then the larger
 *       share of its members (the words are the cluster's, not one variant's: a cluster whose
 *       fragments lack them ranks below one whose every member has them), then the better
 *       bm25 of a matching member, then index.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

typedef struct cd_q {
    qt_db *db;
    qt_arena *a;
    sqlite3_stmt *detail, *copies;
    qt_cluster_member *base;      /* clusters[0].members: every member, cluster by cluster */
    const sqlite3_int64 *rows;
    const char **folded;          /* per member: the speaker's folded name, or NULL */
    const char **aliases;         /* per member: "|alias|alias|" of its person, or NULL */
    const char **mention;         /* per member: the words that named its speaker, folded */
    const char **mention_raw;     /* the same as printed */
    uint64_t **runs;              /* per member: its sorted 4-word runs (runs_of()), or NULL */
    size_t *n_runs;
    qt_buf key;                   /* scratch for qt_db_fold_key() */
    sqlite3_int64 last_art;       /* the article of the last member read, and its title: */
    const char *last_title;       /* members of one article share it (see member_detail) */
} cd_q;

static char *dup_col(qt_arena *a, sqlite3_stmt *s, int i, int *oom)
{
    const char *z = qt_db_col_str(s, i);
    if (!z)
        return NULL;
    char *d = qt_arena_strndup(a, z, (size_t)sqlite3_column_bytes(s, i));
    if (!d)
        *oom = 1;
    return d;
}

/* ---- members ---------------------------------------------------------------------------------- */

#define DETAIL_SQL                                                                          \
    "SELECT q.qid, q.kind, q.speaker, q.speaker_folded, q.speaker_kind,"                     \
    " coalesce(" VENUE_NAME("q.vkey") ", q.venue), q.venue, q.vkey,"                         \
    " CASE WHEN q.article = ?2 THEN NULL ELSE a.title END, a.source,"                         \
    " q.article,"                                                                           \
    " (SELECT '|' || group_concat(al.folded, '|') || '|' FROM aliases al"                   \
    "  WHERE al.person = q.person), q.speaker_mention"                                      \
    " FROM (SELECT qq.*, " VENUE_CANON("qq.venue_key") " AS vkey FROM quotes qq"              \
    "  WHERE qq.id = ?1) q JOIN articles a ON a.id = q.article"

/* Each id of an article with the least source it came from, in the order store.c lists ids. */
#define COPIES_SQL                                                                          \
    "SELECT ext_id, min(nullif(source, '')) FROM copies WHERE article = ?1"                 \
    " GROUP BY ext_id ORDER BY ext_id"

static int member_detail(cd_q *q, size_t j)
{
    qt_cluster_member *m = &q->base[j];
    sqlite3_stmt *s = q->detail;
    /* A title is read and copied once per run of members from one article, not once per
     * member: a one-line article's title is its whole text, and it may hold 10^4 quotes. */
    int rc = sqlite3_bind_int64(s, 1, q->rows[j]), oom = 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 2, q->last_art);
    sqlite3_int64 art = 0;
    m->speaker_index = -1;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        m->quote_id = dup_col(q->a, s, 0, &oom);
        m->kind = dup_col(q->a, s, 1, &oom);
        m->speaker = dup_col(q->a, s, 2, &oom);
        q->folded[j] = dup_col(q->a, s, 3, &oom);
        m->speaker_kind = dup_col(q->a, s, 4, &oom);
        m->venue = dup_col(q->a, s, 5, &oom);
        m->venue_as_written = dup_col(q->a, s, 6, &oom);
        m->venue_key = dup_col(q->a, s, 7, &oom);
        m->source = dup_col(q->a, s, 9, &oom);
        art = sqlite3_column_int64(s, 10);
        if (art != q->last_art) {
            q->last_title = dup_col(q->a, s, 8, &oom);
            q->last_art = art;
        }
        m->title = q->last_title;
        q->aliases[j] = dup_col(q->a, s, 11, &oom);
        const char *mention = qt_db_col_str(s, 12);
        q->mention[j] = NULL;
        q->mention_raw[j] = mention && *mention ? dup_col(q->a, s, 12, &oom) : NULL;
        if (mention && *mention) {
            if (qt_db_fold_key(&q->key, mention) != QT_OK)
                oom = 1;
            else if (q->key.len &&
                     !(q->mention[j] = qt_arena_strndup(q->a, q->key.data, q->key.len)))
                oom = 1;
        }
        rc = SQLITE_DONE;
    }
    rc = qt_db_finish(s, rc);
    if (rc == SQLITE_OK && oom)
        rc = SQLITE_NOMEM;
    if (rc != SQLITE_OK)
        return rc;
    if (m->venue_key && !*m->venue_key)
        m->venue_key = NULL;

    const char **src = qt_arena_calloc(q->a, m->n_ids, sizeof *src);
    if (!src)
        return SQLITE_NOMEM;
    m->ids_source = src;
    s = q->copies;
    rc = sqlite3_bind_int64(s, 1, art);
    size_t k = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *id = qt_db_col_str(s, 0);
        while (k < m->n_ids && id && strcmp(m->ids[k], id) < 0)
            k++;
        if (k < m->n_ids && id && !strcmp(m->ids[k], id))
            src[k] = dup_col(q->a, s, 1, &oom);
        rc = SQLITE_OK;
    }
    rc = qt_db_finish(s, rc);
    if (rc == SQLITE_OK && oom)
        rc = SQLITE_NOMEM;
    for (k = 0; k < m->n_ids; k++)
        if (!src[k] && !strcmp(m->ids[k], m->article))
            src[k] = m->source;
    return rc;
}

/* The member's date: the least published string among its ids, or NULL. */
static const char *member_date(const qt_cluster_member *m)
{
    const char *best = NULL;
    for (size_t k = 0; k < m->n_ids; k++) {
        const char *p = m->ids_published[k];
        if (p && *p && (!best || strcmp(p, best) < 0))
            best = p;
    }
    return best;
}

/* ---- (c1) canonical text ---------------------------------------------------------------------- */

static int is_wordish(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

/* Words outside [brackets] (a whitespace-separated chunk with a letter or digit) and edit
 * marks: bracket groups and ellipses ("…" or "..."). */
static void wording(const char *t, size_t *n_words, size_t *n_marks)
{
    size_t len = strlen(t), words = 0, marks = 0;
    int depth = 0, in_word = 0, counted = 0;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)t[i];
        int n = 1;
        int32_t c = qt_utf8_decode((const unsigned char *)t + i, len - i, &n);
        if (b == '[') {
            if (depth++ == 0)
                marks++;
        } else if (b == ']' && depth > 0) {
            depth--;
        } else if (c == 0x2026 || (b == '.' && i + 2 < len && t[i + 1] == '.' && t[i + 2] == '.')) {
            marks++;
            if (b == '.')
                n = 3;
        }
        if (b == ' ' || b == '\n' || b == '\t' || b == '\r') {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            counted = 0;
        }
        if (in_word && !counted && depth == 0 && b != ']' && is_wordish(c)) {
            words++;
            counted = 1;
        }
        i += (size_t)n;
    }
    *n_words = words;
    *n_marks = marks;
}

static void choose_canonical(qt_quote_cluster *c)
{
    size_t best = 0, best_w = 0, best_m = 0;
    for (size_t i = 0; i < c->n_members; i++) {
        size_t w, mk;
        wording(c->members[i].text, &w, &mk);
        int better = i == 0 || w > best_w ||
                     (w == best_w && (mk < best_m ||
                                      (mk == best_m && i == c->earliest && best != c->earliest)));
        if (better) {
            best = i;
            best_w = w;
            best_m = mk;
        }
    }
    c->canonical = best;
    c->text = c->members[best].text;
}

/* ---- (c2) speakers ---------------------------------------------------------------------------- */

/* Does word a (length al) stand for word b? Equal, or a is an initial of b. */
static int word_fits(const char *a, size_t al, const char *b, size_t bl)
{
    while (al > 1 && a[al - 1] == '.')
        al--;
    while (bl > 1 && b[bl - 1] == '.')
        bl--;
    if (al == 1)
        return bl >= 1 && a[0] == b[0];
    return al == bl && !memcmp(a, b, al);
}

/* Is every word of folded name a among the words of b? */
static int words_within(const char *a, const char *b)
{
    size_t n_a = 0;
    for (const char *p = a; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, ' ');
        size_t al = e ? (size_t)(e - p) : strlen(p);
        int found = 0;
        for (const char *r = b; *r && !found;) {
            while (*r == ' ')
                r++;
            const char *f = strchr(r, ' ');
            size_t bl = f ? (size_t)(f - r) : strlen(r);
            found = bl && word_fits(p, al, r, bl);
            r += bl;
        }
        if (!found)
            return 0;
        n_a++;
        p += al;
    }
    return n_a > 0;
}

static int is_alias(const char *name, const char *aliases)
{
    if (!aliases)
        return 0;
    size_t n = strlen(name);
    for (const char *p = strstr(aliases, name); p; p = strstr(p + 1, name))
        if (p > aliases && p[-1] == '|' && p[n] == '|')
            return 1;
    return 0;
}

static int same_person(const cd_q *q, size_t x, size_t y)
{
    const char *a = q->folded[x], *b = q->folded[y];
    return !strcmp(a, b) || words_within(a, b) || words_within(b, a) ||
           is_alias(a, q->aliases[y]) || is_alias(b, q->aliases[x]);
}

static size_t word_count(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        if (*p != ' ' && (p == s || p[-1] == ' '))
            n++;
    return n;
}

typedef struct sp_form {          /* one folded name and the members crediting it */
    size_t first;                 /* base index of its first member */
    size_t n;                     /* members crediting it */
    size_t words;
    int person;                   /* index into the persons found, or -1 */
} sp_form;

typedef struct sp_person {
    size_t head;                  /* its fullest form's first member (base index) */
    size_t n;                     /* members crediting it */
    size_t first;                 /* the earliest-stored member crediting it */
} sp_person;

static int credits_someone(const qt_cluster_member *m, const char *folded)
{
    return m->speaker && folded && *folded && m->speaker_kind &&
           (!strcmp(m->speaker_kind, "person") || !strcmp(m->speaker_kind, "organisation"));
}

#define QT_RUN_WORDS 4

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* Has name s (as printed) a word starting with a capital letter, a leading "the", "a" or "an"
 * aside? "The United States", "Reid" and "ZCCM" have; "the firm", "The department" and "he"
 * do not: a description names no one. */
static int capitalised(const char *s)
{
    if (!s)
        return 0;
    size_t len = strlen(s);
    int first = 1;
    for (size_t i = 0; i < len;) {
        while (i < len && s[i] == ' ')
            i++;
        size_t e = i;
        while (e < len && s[e] != ' ')
            e++;
        if (e == i)
            break;
        int skip = first && ((e - i == 3 && !strncasecmp(s + i, "the", 3)) ||
                             (e - i == 1 && (s[i] == 'a' || s[i] == 'A')) ||
                             (e - i == 2 && !strncasecmp(s + i, "an", 2)));
        first = 0;
        int n = 1;
        int32_t c = qt_utf8_decode((const unsigned char *)s + i, len - i, &n);
        utf8proc_category_t k = utf8proc_category(c);
        if (!skip && (k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT))
            return 1;
        i = e;
    }
    return 0;
}

/* Did member j's article name its speaker where it gave the quote? Its mention's words are all
 * among the speaker's (an initial fits), or the mention is one of the person's aliases: "Trump"
 * for Donald Trump, "Renée Moreau". A pronoun or a description ("he", "she", "it", "an
 * underwriter", "the communique") is quotetrail's reading of the text around the quote, which
 * a reprint's new intro, dropped paragraphs or excerpting change, so it credits no one. */
static int named_at_quote(const cd_q *q, size_t j)
{
    const char *m = q->mention[j];
    return m && capitalised(q->mention_raw[j]) &&
           (words_within(m, q->folded[j]) || is_alias(m, q->aliases[j]));
}

/* Sorted hashes of the 4-word runs of text t (words: runs of letters and digits, folded; a
 * text under four words is one run), into the arena; SQLITE_NOMEM when out of memory. */
static int runs_of(cd_q *q, size_t j)
{
    if (q->runs[j])
        return SQLITE_OK;
    if (qt_db_fold_key(&q->key, q->base[j].text ? q->base[j].text : "") != QT_OK)
        return SQLITE_NOMEM;
    const char *t = q->key.data ? q->key.data : "";
    size_t len = q->key.len, n_words = 0;
    uint64_t *word = qt_arena_calloc(q->a, len / 2 + 2, sizeof *word);
    uint64_t *run = qt_arena_calloc(q->a, len / 2 + 2, sizeof *run);
    if (!word || !run)
        return SQLITE_NOMEM;
    uint64_t h = 0;
    int in_word = 0;
    for (size_t i = 0; i <= len;) {
        int n = 1;
        int32_t c = i < len ? qt_utf8_decode((const unsigned char *)t + i, len - i, &n) : ' ';
        if (i < len && is_wordish(c)) {
            if (!in_word)
                h = 1469598103934665603u;
            for (int k = 0; k < n; k++)
                h = (h ^ (unsigned char)t[i + k]) * 1099511628211u;
            in_word = 1;
        } else if (in_word) {
            word[n_words++] = h;
            in_word = 0;
        }
        i += (size_t)(n > 0 ? n : 1);
    }
    size_t n_runs = 0;
    for (size_t w = 0; n_words && (w == 0 || w + QT_RUN_WORDS <= n_words); w++) {
        uint64_t r = 14695981039346656037u;
        for (size_t k = w; k < w + QT_RUN_WORDS && k < n_words; k++)
            r = (r ^ word[k]) * 1099511628211u;
        run[n_runs++] = r;
        if (n_words < QT_RUN_WORDS)
            break;
    }
    qsort(run, n_runs, sizeof *run, cmp_u64);
    size_t u = 0;
    for (size_t k = 0; k < n_runs; k++)
        if (u == 0 || run[u - 1] != run[k])
            run[u++] = run[k];
    q->runs[j] = run;
    q->n_runs[j] = u;
    return SQLITE_OK;
}

/* Do members x and y print the same words: at least half of the shorter one's 4-word runs are
 * the other's? A trimmed, cut or reworded reprint keeps most of its runs; two quotes the
 * cluster joined through a stock phrase they share ("not going to be able to") do not. */
static int same_words(cd_q *q, size_t x, size_t y, int *rc)
{
    if ((*rc = runs_of(q, x)) != SQLITE_OK || (*rc = runs_of(q, y)) != SQLITE_OK)
        return 0;
    const uint64_t *a = q->runs[x], *b = q->runs[y];
    size_t na = q->n_runs[x], nb = q->n_runs[y], i = 0, k = 0, shared = 0;
    while (i < na && k < nb) {
        if (a[i] == b[k]) {
            shared++;
            i++;
            k++;
        } else if (a[i] < b[k]) {
            i++;
        } else {
            k++;
        }
    }
    return na && nb && 2 * shared >= (na < nb ? na : nb);
}

/* Do members x and y credit different people (c2)? Both named their speaker at the quote,
 * they are different persons, and the names as printed differ: "Brock said" in two articles
 * is the same credit even where one article's "Brock" is read as another Brock. */
static int credits_differ(cd_q *q, size_t x, size_t y, int *rc)
{
    const qt_cluster_member *a = &q->base[x], *b = &q->base[y];
    if (a->speaker_index < 0 || b->speaker_index < 0 || a->speaker_index == b->speaker_index)
        return 0;
    if (!named_at_quote(q, x) || !named_at_quote(q, y))
        return 0;
    return !words_within(q->mention[x], q->mention[y]) &&
           !words_within(q->mention[y], q->mention[x]) && same_words(q, x, y, rc);
}

static int cmp_form(const void *pa, const void *pb)
{
    const sp_form *a = pa, *b = pb;
    if (a->words != b->words)
        return a->words > b->words ? -1 : 1;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return (a->first > b->first) - (a->first < b->first);
}

static int cmp_person(const void *pa, const void *pb)
{
    const sp_person *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return (a->first > b->first) - (a->first < b->first);
}

static int find_speakers(cd_q *q, qt_quote_cluster *c)
{
    size_t off = (size_t)(c->members - q->base), nm = c->n_members;
    sp_form *forms = qt_arena_calloc(q->a, nm, sizeof *forms);
    sp_person *persons = qt_arena_calloc(q->a, nm, sizeof *persons);
    int *remap = qt_arena_calloc(q->a, nm, sizeof *remap);
    if (!forms || !persons || !remap)
        return SQLITE_NOMEM;
    size_t n_forms = 0, n_persons = 0;
    for (size_t i = 0; i < nm; i++) {
        size_t j = off + i;
        if (!credits_someone(&q->base[j], q->folded[j]))
            continue;
        size_t f = 0;
        while (f < n_forms && strcmp(q->folded[forms[f].first], q->folded[j]) != 0)
            f++;
        if (f == n_forms)
            forms[n_forms++] = (sp_form){.first = j, .words = word_count(q->folded[j])};
        forms[f].n++;
    }
    qsort(forms, n_forms, sizeof *forms, cmp_form);
    for (size_t f = 0; f < n_forms; f++) {
        int best = -1;
        for (size_t p = 0; p < n_persons; p++)
            if (same_person(q, forms[f].first, persons[p].head) &&
                (best < 0 || persons[p].n > persons[best].n))
                best = (int)p;
        if (best < 0) {
            best = (int)n_persons++;
            persons[best] = (sp_person){.head = forms[f].first, .first = forms[f].first};
        }
        forms[f].person = best;
        persons[best].n += forms[f].n;
        if (forms[f].first < persons[best].first)
            persons[best].first = forms[f].first;
    }
    /* Persons sorted by credit; remap gives each its place. The head is kept with it. */
    size_t *heads = qt_arena_calloc(q->a, n_persons + 1, sizeof *heads);
    if (!heads)
        return SQLITE_NOMEM;
    for (size_t p = 0; p < n_persons; p++)
        heads[p] = persons[p].head;
    qsort(persons, n_persons, sizeof *persons, cmp_person);
    for (size_t p = 0; p < n_persons; p++)
        for (size_t r = 0; r < n_persons; r++)
            if (heads[r] == persons[p].head)
                remap[r] = (int)p;
    const char **names = qt_arena_calloc(q->a, n_persons + 1, sizeof *names);
    if (!names)
        return SQLITE_NOMEM;
    for (size_t p = 0; p < n_persons; p++)
        names[p] = q->base[persons[p].head].speaker;
    for (size_t i = 0; i < nm; i++) {
        size_t j = off + i;
        if (!credits_someone(&q->base[j], q->folded[j]))
            continue;
        for (size_t f = 0; f < n_forms; f++)
            if (!strcmp(q->folded[forms[f].first], q->folded[j]))
                q->base[j].speaker_index = remap[forms[f].person];
    }
    c->speakers = names;
    c->n_speakers = n_persons;
    c->conflict = 0;
    int rc = SQLITE_OK;
    for (size_t i = 0; i < nm && !c->conflict && rc == SQLITE_OK; i++)
        for (size_t k = i + 1; k < nm && !c->conflict && rc == SQLITE_OK; k++)
            c->conflict = credits_differ(q, off + i, off + k, &rc);
    return rc;
}

/* ---- (c3) venue ------------------------------------------------------------------------------- */

static const char *venue_of(const qt_cluster_member *m)
{
    return m->venue_key ? m->venue_key : m->venue;
}

static void choose_venue(qt_quote_cluster *c)
{
    int at = -1;
    const char *at_date = NULL;
    for (size_t i = 0; i < c->n_members; i++) {
        const char *d = member_date(&c->members[i]);
        if (venue_of(&c->members[i]) && d && (!at_date || strcmp(d, at_date) < 0)) {
            at = (int)i;
            at_date = d;
        }
    }
    c->venue_rule = at >= 0 ? "earliest dated" : NULL;
    if (at < 0) {
        size_t best_n = 0;
        for (size_t i = 0; i < c->n_members; i++) {
            const char *v = venue_of(&c->members[i]);
            if (!v)
                continue;
            size_t n = 0;
            for (size_t k = 0; k < c->n_members; k++) {
                const char *w = venue_of(&c->members[k]);
                n += w && !strcmp(v, w);
            }
            if (n > best_n) {
                best_n = n;
                at = (int)i;
            }
        }
        if (at >= 0)
            c->venue_rule = "most credited";
    }
    c->venue = at >= 0 ? c->members[at].venue : NULL;
    c->venue_key = at >= 0 ? c->members[at].venue_key : NULL;
}

/* ---- (c4) matching words ---------------------------------------------------------------------- */

typedef struct row_at {
    sqlite3_int64 row;
    size_t member;
} row_at;

static int cmp_row_at(const void *pa, const void *pb)
{
    const row_at *a = pa, *b = pb;
    return (a->row > b->row) - (a->row < b->row);
}

static int cmp_rank(const void *pa, const void *pb)
{
    const qt_quote_cluster *a = *(const qt_quote_cluster *const *)pa;
    const qt_quote_cluster *b = *(const qt_quote_cluster *const *)pb;
    if (a->n_matched != b->n_matched)
        return a->n_matched > b->n_matched ? -1 : 1;
    /* a's share a->n_matched / a->n_members against b's, without division */
    size_t sa = a->n_matched * b->n_members, sb = b->n_matched * a->n_members;
    if (sa != sb)
        return sa > sb ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Mark the members whose text has all the words, and count them per cluster. */
static int match_words(cd_q *q, qt_quote_cluster *clusters, size_t n, size_t n_members,
                       const char *words)
{
    qt_buf fts = QT_BUF_INIT;
    int n_words = 0;
    if (qt_db_fts_query(&fts, words, &n_words) != QT_OK)
        return SQLITE_NOMEM;
    row_at *by_row = qt_arena_calloc(q->a, n_members + 1, sizeof *by_row);
    size_t *cluster_of = qt_arena_calloc(q->a, n_members + 1, sizeof *cluster_of);
    if (!by_row || !cluster_of) {
        qt_buf_release(&fts);
        return SQLITE_NOMEM;
    }
    for (size_t c = 0; c < n; c++)
        for (size_t i = 0; i < clusters[c].n_members; i++)
            cluster_of[(size_t)(clusters[c].members - q->base) + i] = c;
    for (size_t j = 0; j < n_members; j++)
        by_row[j] = (row_at){.row = q->rows[j], .member = j};
    qsort(by_row, n_members, sizeof *by_row, cmp_row_at);

    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(qt_db_handle(q->db),
                                "SELECT rowid, bm25(quotes_fts) FROM quotes_fts"
                                " WHERE quotes_fts MATCH ?1", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(s, 1, fts.data ? fts.data : "", (int)fts.len, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        row_at key = {.row = sqlite3_column_int64(s, 0)};
        const row_at *hit = bsearch(&key, by_row, n_members, sizeof *by_row, cmp_row_at);
        rc = SQLITE_OK;
        if (!hit)
            continue;   /* a nested, title or unkeyed quote: in no cluster */
        qt_cluster_member *m = &q->base[hit->member];
        qt_quote_cluster *c = &clusters[cluster_of[hit->member]];
        double r = sqlite3_column_double(s, 1);
        if (!m->matched) {
            m->matched = 1;
            c->rank = c->n_matched++ == 0 || r < c->rank ? r : c->rank;
        }
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    sqlite3_finalize(s);
    qt_buf_release(&fts);
    return rc;
}

/* ---- describing ------------------------------------------------------------------------------- */

static int describe(cd_q *q, qt_quote_cluster *c)
{
    size_t off = (size_t)(c->members - q->base);
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < c->n_members; i++)
        rc = member_detail(q, off + i);
    if (rc != SQLITE_OK)
        return rc;
    choose_canonical(c);
    choose_venue(c);
    return find_speakers(q, c);
}

int qt_db_clusters_describe(qt_db *db, qt_arena *a, qt_quote_cluster *clusters, size_t n,
                            const sqlite3_int64 *rows, const char *words, size_t **order,
                            size_t *n_order)
{
    *order = NULL;
    *n_order = 0;
    if (n == 0)
        return SQLITE_OK;
    size_t n_members = 0;
    for (size_t c = 0; c < n; c++)
        n_members += clusters[c].n_members;
    cd_q q = {.db = db, .a = a, .base = (qt_cluster_member *)clusters[0].members, .rows = rows,
              .folded = qt_arena_calloc(a, n_members, sizeof *q.folded),
              .aliases = qt_arena_calloc(a, n_members, sizeof *q.aliases),
              .mention = qt_arena_calloc(a, n_members, sizeof *q.mention),
              .mention_raw = qt_arena_calloc(a, n_members, sizeof *q.mention_raw),
              .runs = qt_arena_calloc(a, n_members, sizeof *q.runs),
              .n_runs = qt_arena_calloc(a, n_members, sizeof *q.n_runs),
              .key = QT_BUF_INIT};
    size_t *ord = qt_arena_calloc(a, n, sizeof *ord);
    if (!q.folded || !q.aliases || !q.mention || !q.mention_raw || !q.runs || !q.n_runs || !ord)
        return SQLITE_NOMEM;
    int rc = SQLITE_OK;
    if (words)
        rc = match_words(&q, clusters, n, n_members, words);
    size_t k = 0;
    for (size_t c = 0; c < n; c++)
        if (!words || clusters[c].n_matched)
            ord[k++] = c;
    sqlite3 *h = qt_db_handle(db);
    if (rc == SQLITE_OK && k)
        rc = sqlite3_prepare_v2(h, DETAIL_SQL, -1, &q.detail, NULL);
    if (rc == SQLITE_OK && k)
        rc = sqlite3_prepare_v2(h, COPIES_SQL, -1, &q.copies, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < k; i++)
        rc = describe(&q, &clusters[ord[i]]);
    sqlite3_finalize(q.detail);
    sqlite3_finalize(q.copies);
    qt_buf_release(&q.key);
    if (rc != SQLITE_OK)
        return rc;
    if (words && k > 1) {
        const qt_quote_cluster **by = qt_arena_calloc(a, k, sizeof *by);
        if (!by)
            return SQLITE_NOMEM;
        for (size_t i = 0; i < k; i++)
            by[i] = &clusters[ord[i]];
        qsort(by, k, sizeof *by, cmp_rank);
        for (size_t i = 0; i < k; i++)
            ord[i] = (size_t)(by[i] - clusters);
    }
    *order = ord;
    *n_order = k;
    return SQLITE_OK;
}

qt_status qt_db_trace(qt_db *db, const char *words,
                      int (*fn)(void *ctx, const qt_quote_cluster *c), void *ctx,
                      size_t *n_found, qt_err *err)
{
    if (n_found)
        *n_found = 0;
    if (!db)
        return qt_fail(err, QT_EINVAL, "no database");
    qt_buf fts = QT_BUF_INIT;
    int n_words = 0;
    qt_status rc = words ? qt_db_fts_query(&fts, words, &n_words) : QT_OK;
    qt_buf_release(&fts);
    if (rc != QT_OK)
        return qt_fail(err, rc, "cannot trace: out of memory");
    if (n_words == 0)
        return qt_fail(err, QT_EINVAL, "no words to trace");
    return qt_db_clusters_run(db, words, fn, ctx, NULL, n_found, err);
}
