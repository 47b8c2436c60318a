/*
 * analyze.c - qt_analyze(): run the stages over one article and build its public record.
 *
 * Everything the returned qt_article points to lives in the doc's arena or in the input, so an
 * article costs a handful of block allocations and the next qt_analyze() reuses them.
 */
#include "quotes/qt_quotes.h"
#include "core/qt_limits.h"
#include "events/qt_events.h"
#include "link/qt_dates.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

qt_doc *qt_doc_new(void)
{
    qt_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->text.toks = (qt_vec)QT_VEC_INIT(qt_tok);
    d->text.paras = (qt_vec)QT_VEC_INIT(qt_para);
    d->title_text.toks = (qt_vec)QT_VEC_INIT(qt_tok);
    d->title_text.paras = (qt_vec)QT_VEC_INIT(qt_para);
    d->quotes = (qt_vec)QT_VEC_INIT(qt_qspan);
    d->attrs = (qt_vec)QT_VEC_INIT(qt_aspan);
    d->roles = (qt_vec)QT_VEC_INIT(qt_role);
    d->title_quotes = (qt_vec)QT_VEC_INIT(qt_qspan);
    d->mentions = (qt_vec)QT_VEC_INIT(qt_mention);
    d->entities = (qt_vec)QT_VEC_INIT(qt_entity);
    d->prons = (qt_vec)QT_VEC_INIT(qt_pron);
    d->tok_mention = (qt_vec)QT_VEC_INIT(int);
    d->venue_names = (qt_vec)QT_VEC_INIT(const char *);
    d->debug = getenv("QT_DEBUG") != NULL;
    return d;
}

void qt_doc_free(qt_doc *d)
{
    if (!d)
        return;
    qt_text_release(&d->text);
    qt_text_release(&d->title_text);
    qt_vec_release(&d->quotes);
    qt_vec_release(&d->attrs);
    qt_vec_release(&d->roles);
    qt_vec_release(&d->title_quotes);
    qt_vec_release(&d->mentions);
    qt_vec_release(&d->entities);
    qt_vec_release(&d->prons);
    qt_vec_release(&d->tok_mention);
    qt_vec_release(&d->venue_names);
    free(d->key_table);
    free(d->key_hash);
    qt_timex_free(d->timex);
    qt_arena_free(&d->arena);
    free(d);
}

void qt_doc_set_fingerprints(qt_doc *d, int on)
{
    if (d)
        d->no_fingerprints = !on;
}

static const char *entity_name(qt_doc *d, int ent)
{
    const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, ent);
    return qt_arena_strndup(&d->arena, d->text.p + e->name_start, e->name_end - e->name_start);
}

static const char *span_or_null(qt_doc *d, const char *base, uint32_t s, uint32_t e)
{
    return e > s ? qt_arena_strndup(&d->arena, base + s, e - s) : NULL;
}

/* Longest first line taken whole as a .txt article's title (bytes). Real headlines are under
 * 200; a longer first line is cut after its last word that fits, with an ellipsis. */
#define TITLE_MAX 300

/* p holds more than TITLE_MAX bytes. */
static const char *cut_title(qt_doc *d, const char *p)
{
    size_t e = TITLE_MAX;
    while (e > 0 && ((unsigned char)p[e] & 0xC0) == 0x80)   /* not inside a character */
        e--;
    size_t w = e;
    while (w > 0 && p[w - 1] != ' ')
        w--;
    if (w > TITLE_MAX / 2)   /* a word that fits ends there; else cut inside the long word */
        e = w - 1;
    char *t = qt_arena_alloc(&d->arena, e + 4);
    if (!t)
        return NULL;
    memcpy(t, p, e);
    memcpy(t + e, "\xE2\x80\xA6", 4);   /* U+2026 and the NUL */
    return t;
}

/* The first non-empty line, trimmed: a .txt article's headline. */
static void first_line(const char *p, size_t n, size_t *s, size_t *e)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    size_t j = i;
    while (j < n && p[j] != '\n')
        j++;
    while (j > i && (p[j - 1] == ' ' || p[j - 1] == '\t' || p[j - 1] == '\r'))
        j--;
    *s = i;
    *e = j;
}

qt_status qt_doc_limit_warn(qt_doc *d, const char *fmt, ...)
{
    if (d->n_limit_warn == QT_LIMIT_WARN_MAX)
        return QT_OK;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    const char *w = qt_arena_strndup(&d->arena, line, strlen(line));
    if (!w)
        return QT_ENOMEM;
    d->limit_warn[d->n_limit_warn++] = w;
    return QT_OK;
}

/* Most aliases kept per person: the forms a person goes by are few; a hostile article with
 * thousands must not make listing them quadratic. */
#define MAX_ALIASES 16

/* Add s[0..len) to p's aliases unless it is the name, already there, or the list is full. */
static qt_status add_alias(qt_doc *d, qt_person *p, const char **al, const char *s, size_t len)
{
    if (p->n_aliases >= MAX_ALIASES ||
        (len == strlen(p->name) && memcmp(s, p->name, len) == 0))
        return QT_OK;
    for (size_t a = 0; a < p->n_aliases; a++)
        if (strlen(al[a]) == len && memcmp(al[a], s, len) == 0)
            return QT_OK;
    if (!(al[p->n_aliases] = qt_arena_strndup(&d->arena, s, len)))
        return QT_ENOMEM;
    p->n_aliases++;
    return QT_OK;
}

/* The people quoted in the article with their aliases: every other surface form of their
 * mentions, and descriptors that named them as speakers. One pass over mentions and quotes.
 * Each is a person or, when the entity looked like one (people.c's org flag: a head word such
 * as "Committee", a one-word all-capitals name, "the X"), an organisation or outlet. */
static qt_status build_people(qt_doc *d, qt_person **out, size_t *n_out)
{
    size_t n = 0, ne = d->entities.n, max = d->engine->lim.people;
    for (size_t i = 0; i < ne; i++)
        n += QT_VEC_AT(&d->entities, qt_entity, i).quotes > 0;
    /* people: the first `max` quoted in text order are listed; the rest keep their quotes'
     * speaker names, and the warning says how many are missing from the list */
    if (n > max) {
        char arg[64], raise[80];
        if (qt_doc_limit_warn(d, "%zu people quoted, only the first %zu listed (%s); %s", n, max,
                              qt_limit_arg("people", max, arg),
                              qt_limit_raise("people", max, raise)) != QT_OK)
            return QT_ENOMEM;
        n = max;
    }
    qt_person *ps = qt_arena_calloc(&d->arena, n ? n : 1, sizeof *ps);
    int *slot = qt_arena_alloc(&d->arena, (ne ? ne : 1) * sizeof *slot);  /* entity -> person */
    const char **al = qt_arena_calloc(&d->arena, (n ? n : 1) * MAX_ALIASES, sizeof *al);
    if (!ps || !slot || !al)
        return QT_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < ne; i++) {
        const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, i);
        slot[i] = -1;
        if (e->quotes <= 0 || k == n)
            continue;
        qt_person *p = &ps[k];
        slot[i] = (int)k;
        p->name = entity_name(d, (int)i);
        if (!p->name)
            return QT_ENOMEM;
        p->mentions = e->mentions;
        p->quotes = e->quotes;
        /* the same test that gave its quotes their speaker_kind (qt_resolve_np) */
        p->kind = e->org ? QT_SPEAKER_ORGANISATION : QT_SPEAKER_PERSON;
        p->aliases = al + k * MAX_ALIASES;
        k++;
    }
    for (size_t m = 0; m < d->mentions.n; m++) {
        const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
        int pi = mm->entity >= 0 ? slot[mm->entity] : -1;
        if (pi >= 0 && add_alias(d, &ps[pi], al + (size_t)pi * MAX_ALIASES,
                                 d->text.p + mm->start, mm->end - mm->start) != QT_OK)
            return QT_ENOMEM;
    }
    for (size_t qi = 0; qi < d->quotes.n; qi++) {
        const qt_qspan *q = &QT_VEC_AT(&d->quotes, qt_qspan, qi);
        int pi = q->entity >= 0 ? slot[q->entity] : -1;
        if (pi < 0 || q->mention_end <= q->mention_start)
            continue;
        const char *s = d->text.p + q->mention_start;
        size_t len = q->mention_end - q->mention_start;
        if (qt_lex_flags(d->engine, qt_word_hash(s, len)) &
            (W_PRON_M | W_PRON_F | W_PRON_PL | W_PRON_I | W_PRON_IT))
            continue;    /* pronouns are not aliases, capitalised or not */
        if (add_alias(d, &ps[pi], al + (size_t)pi * MAX_ALIASES, s, len) != QT_OK)
            return QT_ENOMEM;
    }
    *out = ps;
    *n_out = n;
    return QT_OK;
}

typedef struct name_count {
    uint32_t key;
    uint32_t mentions;
} name_count;

static int cmp_name_key(const void *x, const void *y)
{
    const name_count *a = x, *b = y;
    return (a->key > b->key) - (a->key < b->key);
}

static int cmp_name_rank(const void *x, const void *y)
{
    const name_count *a = x, *b = y;
    if (a->mentions != b->mentions)
        return a->mentions > b->mentions ? -1 : 1;
    return (a->key > b->key) - (a->key < b->key);
}

/* Words that name nothing by themselves: a run of only these ("But The") is no entity. */
#define FUNCTION_WORD (W_STOPCAP | W_DET | W_NONVERB | W_SKIP | W_CONJ | W_PRON_M | W_PRON_F | \
                       W_PRON_PL | W_PRON_I | W_PRON_IT)

/* The article's entity keys (qt_article.names): every entity people.c found, quoted or not and
 * whatever its kind, whose fullest name has two words or more. A one-word name ("Vale",
 * "Reuters") is too often someone or something else in another article. Names in title-case
 * paragraphs never became mentions (people.c (1)). Two entities whose names fold alike are one
 * key, their mentions summed. */
static qt_status build_names(qt_doc *d, const uint32_t **out, size_t *n_out)
{
    size_t ne = d->entities.n, n = 0;
    *out = NULL;
    *n_out = 0;
    if (!ne)
        return QT_OK;
    name_count *v = qt_arena_alloc(&d->arena, ne * sizeof *v);
    unsigned char *seen = qt_arena_calloc(&d->arena, ne, 1);
    if (!v || !seen)
        return QT_ENOMEM;
    /* The mention that gave an entity its name has its tokens, to tell function words by. */
    for (size_t m = 0; m < d->mentions.n; m++) {
        const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
        if (mm->entity < 0 || seen[mm->entity])
            continue;
        const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, mm->entity);
        if (mm->start != e->name_start || mm->end != e->name_end || !e->mentions)
            continue;
        seen[mm->entity] = 1;
        int content = 0;
        for (uint32_t k = mm->tok_first; k < mm->tok_end && !content; k++) {
            const qt_tok *tk = &QT_TOK(&d->text, k);
            content = tk->kind == QT_TOK_WORD && !(tk->lex & FUNCTION_WORD);
        }
        unsigned words = 0;
        uint32_t key = qt_name_key(d->text.p + e->name_start, e->name_end - e->name_start, &words);
        if (content && words >= 2)
            v[n++] = (name_count){key, e->mentions};
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_name_key);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && v[k - 1].key == v[i].key)
            v[k - 1].mentions += v[i].mentions;
        else
            v[k++] = v[i];
    }
    if (k > 1)
        qsort(v, k, sizeof *v, cmp_name_rank);
    if (k > QT_NAME_KEYS_MAX)
        k = QT_NAME_KEYS_MAX;
    uint32_t *keys = qt_arena_alloc(&d->arena, (k ? k : 1) * sizeof *keys);
    if (!keys)
        return QT_ENOMEM;
    for (size_t i = 0; i < k; i++)
        keys[i] = v[i].key;
    *out = keys;
    *n_out = k;
    return QT_OK;
}

/* First occurrence of needle[0..m) in hay[0..n), or NULL (memmem is not standard C). */
static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
    for (const char *p = hay, *end = hay + n; m && (size_t)(end - p) >= m; p++) {
        p = memchr(p, needle[0], (size_t)(end - p) - m + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, m) == 0)
            return p;
    }
    return NULL;
}

/* "told Us" in an article that also says "Us Weekly": the short form is the long one. The
 * longest venue name the article used that extends v word for word, or v itself. */
static const char *full_venue(qt_doc *d, const char *v)
{
    if (!v)
        return v;
    char fv[256], fw[256];
    size_t nv = qt_fold(v, strlen(v), fv, sizeof fv);
    const char *best = v;
    size_t best_len = strlen(v);
    for (size_t i = 0; i < d->venue_names.n; i++) {
        const char *w = QT_VEC_AT(&d->venue_names, const char *, i);
        size_t lw = strlen(w);
        if (lw <= best_len)
            continue;
        size_t nw = qt_fold(w, lw, fw, sizeof fw);
        if (nw > nv && memcmp(fw, fv, nv) == 0 && fw[nv] == ' ') {
            best = w;
            best_len = lw;
        }
    }
    if (best != v || d->venue_text_scans >= 32)
        return best;     /* the text is searched for at most 32 distinct venues an article */
    d->venue_text_scans++;
    /* Not named as a venue elsewhere, but written out in the text ("poured his heart out to
     * Harbor Weekly"): the short form followed by capitalised words ending in an outlet word. */
    const char *t = d->text.p, *end = t + d->text.n;
    size_t n = strlen(v);
    for (const char *p = t; n && (p = find(p, (size_t)(end - p), v, n)) != NULL; p += n) {
        const char *q = p + n;
        if ((p > t && (unsigned char)p[-1] > ' ') || q >= end || *q != ' ')
            continue;
        const char *e = q;
        for (int words = 0; words < 3 && e + 1 < end && e[0] == ' ' && e[1] >= 'A' && e[1] <= 'Z';
             words++) {
            e++;
            while (e < end && ((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z')))
                e++;
        }
        /* only an outlet's name: the added words end in one like "Weekly", "News", "Show" */
        const char *lw = e;
        while (lw > q && lw[-1] != ' ')
            lw--;
        char low[32];
        size_t ll = (size_t)(e - lw) < sizeof low ? (size_t)(e - lw) : 0;
        for (size_t k = 0; k < ll; k++)
            low[k] = (char)(lw[k] >= 'A' && lw[k] <= 'Z' ? lw[k] + 32 : lw[k]);
        if (!ll || !(qt_lex_flags(d->engine, qt_word_hash(low, ll)) & (W_ORG | W_MEDIUM)))
            continue;
        if (e > q && (size_t)(e - p) > best_len) {
            char *full = qt_arena_strndup(&d->arena, p, (size_t)(e - p));
            if (full) {
                best = full;
                best_len = (size_t)(e - p);
            }
        }
    }
    return best;
}

static qt_status build_quotes(qt_doc *d, const qt_vec *src, const char *base, int in_title,
                              const char *hash, qt_quote *dst)
{
    const char *last_in = NULL, *last_out = NULL, *last_key = NULL;
    for (size_t i = 0; i < src->n; i++) {
        const qt_qspan *q = &QT_VEC_AT(src, qt_qspan, i);
        qt_quote *o = &dst[i];
        snprintf(o->id, sizeof o->id, "q-%.16s-%s%u", hash, in_title ? "t" : "",
                 (unsigned)q->start);
        o->start = q->start;
        o->end = q->end;
        o->in_title = in_title;
        o->kind = (qt_quote_kind)q->kind;
        o->parent = q->parent;
        o->speaker_kind = (qt_speaker_kind)q->speaker_kind;
        o->speaker_mention = span_or_null(d, base, q->mention_start, q->mention_end);
        o->cue = span_or_null(d, base, q->cue_start, q->cue_end);
        o->mention_start = q->mention_start;
        o->mention_end = q->mention_end;
        o->cue_start = q->cue_start;
        o->cue_end = q->cue_end;
        o->rule = qt_rule_name(q->parent >= 0 && q->cue_end ? QT_RULE_NESTED : q->rule);
        if (q->entity >= 0)
            o->speaker = entity_name(d, q->entity);
        else if (q->speaker_kind == QT_SPEAKER_ANONYMOUS ||
                 q->speaker_kind == QT_SPEAKER_ORGANISATION)
            o->speaker = o->speaker_mention;
        if (q->venue_end > q->venue_start) {
            const char *v = base + q->venue_start;
            uint32_t vs = q->venue_start;
            /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): title quotes need a title */
            if (q->venue_end - vs > 4 && (memcmp(v, "the ", 4) == 0 || memcmp(v, "The ", 4) == 0))
                vs += 4;
            o->venue = span_or_null(d, base, vs, q->venue_end);
        } else {
            o->venue = q->venue_carried;
        }
        const qt_text *tx = in_title ? &d->title_text : &d->text;
        uint32_t key[QT_QKEY_MAX];
        size_t kend = q->unclosed ? (size_t)q->tok_close + 1 : q->tok_close;
        o->n_key = d->no_fingerprints ? 0 : qt_quote_key(tx, (size_t)q->tok_open + 1, kend, key);
        uint32_t *kp = o->n_key ? qt_arena_alloc(&d->arena, o->n_key * sizeof *kp) : NULL;
        if (o->n_key && !kp)
            return QT_ENOMEM;
        if (kp)
            memcpy(kp, key, o->n_key * sizeof *kp);
        o->key = kp;
        int cell = qt_quote_cell(d, tx, q);
        o->confidence = qt_confidence(d->engine, cell, q->confidence);
        o->cell = d->engine->cells_raw ? cell : 0;
        /* consecutive quotes mostly share their venue: resolve each name once */
        if (o->venue && last_in && strcmp(o->venue, last_in) == 0) {
            o->venue = last_out;
            o->venue_key = last_key;
        } else if (o->venue) {
            last_in = o->venue;
            o->venue = last_out = full_venue(d, o->venue);
            char key[128];
            const char *k = qt_venue_key(d->engine, o->venue, key, sizeof key);
            o->venue_key = last_key = k ? qt_arena_strndup(&d->arena, k, strlen(k)) : NULL;
        }
    }
    return QT_OK;
}

/* "By Ada Vale |" -> "Ada Vale". */
static const char *byline_of(qt_doc *d, const char *p, size_t n)
{
    if (n > 3 && strncasecmp(p, "by ", 3) == 0)
        p += 3, n -= 3;
    while (n && (p[n - 1] == '|' || p[n - 1] == ' ' || p[n - 1] == '-' || p[n - 1] == '\n'))
        n--;
    return n ? qt_arena_strndup(&d->arena, p, n) : NULL;
}

/* The value of a rating line: "10", "4/5". */
static const char *rating_of(qt_doc *d, const char *p, size_t n)
{
    size_t k = 0;
    while (k < n && (isdigit((unsigned char)p[k]) || p[k] == '/' || p[k] == '.'))
        k++;
    return k ? qt_arena_strndup(&d->arena, p, k) : NULL;
}

/* Quotes in a caption, a credit or a share line are not what anyone said in the article (a
 * caption's "quote" is a film title, a prompt's is a slogan): they leave quotes[] with their
 * nested quotes. Quotes come parents first, so one pass compacts them, mapping each kept
 * quote's parent to its new index. */
static qt_status drop_furniture_quotes(qt_doc *d)
{
    size_t n = d->quotes.n, w = 0;
    int any = 0;
    for (size_t i = 0; i < n && !any; i++)
        any = (QT_TOK(&d->text, QT_VEC_AT(&d->quotes, qt_qspan, i).tok_open).flags &
               QT_TF_FURNITURE) != 0;
    if (!any)
        return QT_OK;
    int *to = qt_arena_alloc(&d->arena, n * sizeof *to);   /* old index -> new, or -1 */
    if (!to)
        return QT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        qt_qspan q = QT_VEC_AT(&d->quotes, qt_qspan, i);
        int gone = (QT_TOK(&d->text, q.tok_open).flags & QT_TF_FURNITURE) ||
                   (q.parent >= 0 && to[q.parent] < 0);
        to[i] = gone ? -1 : (int)w;
        if (gone)
            continue;
        if (q.parent >= 0)
            q.parent = to[q.parent];
        QT_VEC_AT(&d->quotes, qt_qspan, w++) = q;
    }
    d->quotes.n = w;
    return QT_OK;
}

/* Copy the context's records into the article's arena: the context is reused for the next
 * text, the article must outlive it. */
static qt_status keep_times(qt_doc *d, const qt_time *src, size_t n, int in_title, qt_time *dst)
{
    for (size_t i = 0; i < n; i++) {
        qt_time *o = &dst[i];
        *o = src[i];
        o->in_title = in_title;
        const char **s[] = {&o->value, &o->age_of, &o->birth_from, &o->birth_to};
        for (size_t k = 0; k < sizeof s / sizeof *s; k++)
            if (*s[k] && !(*s[k] = qt_arena_strndup(&d->arena, *s[k], strlen(*s[k]))))
                return QT_ENOMEM;
    }
    return QT_OK;
}

/* The article's time expressions (qt_article.times): the separate title's first, then the
 * text's, resolved against `published` (NULL: relative ones get no value). */
static qt_status build_times(qt_doc *d, const qt_input *in, qt_article *a)
{
    if (!d->timex && !(d->timex = qt_timex_new()))
        return QT_ENOMEM;
    const qt_time *ts;
    size_t nt = 0, n_title = 0;
    qt_time *title = NULL;
    qt_status rc = QT_OK;
    if (in->title && *in->title) {
        rc = qt_timex_scan(d->timex, &d->title_text, in->published, &ts, &nt);
        if (rc == QT_OK && nt) {
            title = qt_arena_alloc(&d->arena, nt * sizeof *title);
            rc = title ? keep_times(d, ts, nt, 1, title) : QT_ENOMEM;
            n_title = nt;
        }
    }
    if (rc == QT_OK)
        rc = qt_timex_scan(d->timex, &d->text, in->published, &ts, &nt);
    if (rc != QT_OK)
        return rc;
    qt_time *all = qt_arena_alloc(&d->arena, ((n_title + nt) ? n_title + nt : 1) * sizeof *all);
    if (!all)
        return QT_ENOMEM;
    if (n_title)
        memcpy(all, title, n_title * sizeof *all);
    rc = keep_times(d, ts, nt, 0, all + n_title);
    a->times = all;
    a->n_times = n_title + nt;
    return rc;
}

qt_status qt_analyze(const qt_engine *e, qt_doc *d, const qt_input *in, const qt_article **out,
                     qt_err *err)
{
    qt_status rc;
    *out = NULL;
    qt_arena_reset(&d->arena);
    d->n_limit_warn = 0;
    d->venue_names.n = 0;
    d->venue_text_scans = 0;
    d->engine = e;
    memset(&d->out, 0, sizeof d->out);
    if (in->text_len > UINT32_MAX - 1)
        return qt_fail(err, QT_ETOOBIG, "'%s': article larger than 4 GiB", in->source);

    rc = qt_text_scan(&d->text, in->text, in->text_len);
    /* Look every word up once; the stages then read tok->lex instead of probing the table. */
    for (size_t i = 0; rc == QT_OK && i < d->text.toks.n; i++) {
        qt_tok *k = &QT_TOK(&d->text, i);
        if (k->kind == QT_TOK_WORD)
            k->lex = qt_lex_flags(e, k->hash);
    }
    if (rc == QT_OK)
        rc = qt_find_quotes(d, &d->text, &d->quotes);
    if (rc == QT_OK)
        rc = qt_classify_blocks(d, in->title && *in->title ? in->title : NULL);
    if (rc == QT_OK)
        rc = drop_furniture_quotes(d);
    if (rc == QT_OK) {
        qt_text_sentences(&d->text, qt_lex_is_abbrev, e);
        rc = qt_find_people(d);
    }
    if (rc == QT_OK)
        rc = qt_attribute(d);
    if (rc == QT_OK)
        rc = qt_find_attributions(d);
    d->title_quotes.n = 0;
    if (rc == QT_OK && in->title && *in->title) {
        rc = qt_text_scan(&d->title_text, in->title, strlen(in->title));
        if (rc == QT_OK)
            rc = qt_find_quotes(d, &d->title_text, &d->title_quotes);
    }
    if (rc != QT_OK)
        return qt_fail(err, rc, "'%s': %s", in->source, qt_strerror(rc));

    qt_article *a = &d->out;
    a->source = in->source;
    /* qt_input.hash is an array inside the caller's struct, which may not outlive this call;
     * the article keeps its own copy (quotetrail.h's memory rule). */
    a->hash = qt_arena_strndup(&d->arena, in->hash, strlen(in->hash));
    if (!a->hash)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    a->id = in->id ? in->id : a->hash;
    a->title_given = in->title != NULL;
    a->url = in->url;
    a->published = in->published;
    if (!d->no_fingerprints) {
        qt_minhash_text(&d->text, &d->minhash);
        a->minhash = d->minhash.v;
        a->n_minhash = QT_MINHASH_K;
        a->shingles = d->minhash.shingles;
    }
    a->site = in->site;
    a->byline = in->byline;
    a->text = in->text;
    a->text_len = in->text_len;
    a->warnings = in->warnings;
    a->n_warnings = in->n_warnings;
    size_t ts = 0, te = 0;
    if (in->title) {
        a->title = in->title;
    } else {
        first_line(in->text, in->text_len, &ts, &te);
        a->title = te > ts ? qt_arena_strndup(&d->arena, in->text + ts, te - ts) : NULL;
        if (te - ts > TITLE_MAX) {
            /* No headline runs this long: the first line is a paragraph (or a text of one line),
             * and the whole of it as a title would be printed again beside every quote. */
            a->title = cut_title(d, in->text + ts);
            te = ts;
        }
    }

    /* blocks: one per paragraph; a .txt headline is its first line */
    size_t np = d->text.paras.n;
    qt_block *blocks = qt_arena_calloc(&d->arena, 2 * np + 1, sizeof *blocks);
    size_t nq = d->title_quotes.n + d->quotes.n;
    qt_quote *quotes = qt_arena_calloc(&d->arena, nq ? nq : 1, sizeof *quotes);
    if (!blocks || !quotes)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    size_t nb = 0;
    for (size_t i = 0; i < np; i++) {
        const qt_para *p = &QT_PARA(&d->text, i);
        const qt_role *r = &QT_VEC_AT(&d->roles, qt_role, i);
        if (i == 0 && !in->title && te > ts && p->start == ts && te < p->end) {
            blocks[nb++] = (qt_block){ts, te, "headline"};
            size_t s = te;
            while (s < p->end && (in->text[s] == '\n' || in->text[s] == '\r' || in->text[s] == ' '))
                s++;
            blocks[nb++] = (qt_block){s, p->end, "body"};
            continue;
        }
        if (r->dateline_end) {       /* "Los Angeles, California - After …" */
            blocks[nb++] = (qt_block){p->start, r->dateline_end, "dateline"};
            size_t s = r->dateline_end;
            while (s < p->end && in->text[s] == ' ')
                s++;
            blocks[nb++] = (qt_block){s, p->end, "body"};
            continue;
        }
        blocks[nb++] = (qt_block){p->start, p->end, qt_role_name(r->role)};
        if (r->role == QT_ROLE_BYLINE && !a->byline)
            a->byline = byline_of(d, in->text + p->start, p->end - p->start);
        if (r->rating && !a->rating)
            a->rating = rating_of(d, in->text + r->rating, p->end - r->rating);
    }
    a->blocks = blocks;
    a->n_blocks = nb;
    rc = build_quotes(d, &d->title_quotes, in->title, 1, in->hash, quotes);
    if (rc == QT_OK)
        rc = build_quotes(d, &d->quotes, in->text, 0, in->hash, quotes + d->title_quotes.n);
    for (size_t i = 0; i < d->quotes.n; i++)       /* parents index the whole quotes[] */
        if (quotes[d->title_quotes.n + i].parent >= 0)
            quotes[d->title_quotes.n + i].parent += (int)d->title_quotes.n;
    for (size_t i = 0; i < d->title_quotes.n; i++)
        quotes[i].confidence = quotes[i].speaker ? quotes[i].confidence : 0.3;
    a->quotes = quotes;
    a->n_quotes = nq;
    qt_attribution *attrs = qt_arena_calloc(&d->arena, d->attrs.n ? d->attrs.n : 1, sizeof *attrs);
    if (!attrs)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->attrs.n; i++) {
        const qt_aspan *s = &QT_VEC_AT(&d->attrs, qt_aspan, i);
        qt_attribution *o = &attrs[i];
        o->kind = (qt_attr_kind)s->kind;
        o->source_start = s->src_start;
        o->source_end = s->src_end;
        o->cue_start = s->cue_start;
        o->cue_end = s->cue_end;
        o->content_start = s->content_start;
        o->content_end = s->content_end;
        o->speaker_kind = (qt_speaker_kind)s->speaker_kind;
        o->speaker = s->entity >= 0 ? entity_name(d, s->entity)
                   : s->src_end > s->src_start && s->speaker_kind != QT_SPEAKER_UNKNOWN
                         ? span_or_null(d, in->text, s->src_start, s->src_end)
                         : NULL;
        int cell = qt_attr_cell(s);
        o->confidence = qt_confidence(d->engine, cell, s->confidence);
        o->cell = d->engine->cells_raw ? cell : 0;
    }
    a->attributions = attrs;
    a->n_attributions = d->attrs.n;
    qt_person *people = NULL;
    size_t n_people = 0;
    if (rc == QT_OK)
        rc = build_people(d, &people, &n_people);
    if (rc == QT_OK && !d->no_fingerprints)
        rc = build_names(d, &a->names, &a->n_names);
    if (rc == QT_OK)
        rc = build_times(d, in, a);
    if (rc != QT_OK)
        return qt_fail(err, rc, "'%s': %s", in->source, qt_strerror(rc));
    a->people = people;
    a->n_people = n_people;
    if (d->n_limit_warn) {      /* the reader's warnings, then analysis's */
        const char **w = qt_arena_alloc(&d->arena, (in->n_warnings + d->n_limit_warn) *
                                                       sizeof *w);
        if (!w)
            return qt_fail(err, QT_ENOMEM, "out of memory");
        for (size_t i = 0; i < in->n_warnings; i++)
            w[i] = in->warnings[i];
        for (size_t i = 0; i < d->n_limit_warn; i++)
            w[in->n_warnings + i] = d->limit_warn[i];
        a->warnings = w;
        a->n_warnings = in->n_warnings + d->n_limit_warn;
    }
    /* The record's published_inferred reads the article's own text only; the collection's
     * evidence (ages, articles it follows) is the store's (src/store/dates.c). */
    if (!a->published && a->n_times)
        a->published_inferred = qt_dates_own(a->times, a->n_times, &d->arena);
    *out = a;
    return QT_OK;
}
