/*
 * find.c - quotation spans: which marks open and close quotes, and which are apostrophes.
 *
 * Design notes.
 *  (1) Double marks (" “ ” „ « » 「 」) and the unambiguous single guillemets (‹ › 『 』) make
 *      top-level quotes. Single marks (' ‘ ’ ‚) double as apostrophes, so they are read as
 *      quotation marks only inside a double quote, where they make nested quotes.
 *  (2) Whether a mark opens or closes is decided by its shape where the shape is reliable and by
 *      what flanks it otherwise: scraped text pairs ‘…' and “…" and uses ” for both ends.
 *  (3) A quote never crosses a paragraph end unless the next paragraph opens with a quotation
 *      mark (the typographic convention for a multi-paragraph quote). So an unbalanced mark can
 *      swallow at most the rest of its own paragraph, and then only when it stands where a direct
 *      quote starts; otherwise it is dropped.
 *  (4) An apostrophe that opens a word ('90s, 'em, rock 'n' roll) or ends a plural possessive
 *      (the Vales' house) is not a quotation mark; the possessive reading is preferred only when
 *      another closing mark follows inside the same quote.
 */
#include "quotes/qt_quotes.h"
#include "core/qt_limits.h"

#include <stdlib.h>
#include <string.h>

enum { F_NONE, F_DOUBLE, F_SGUIL, F_SINGLE };

static int family(uint8_t qm)
{
    if (QT_QM_IS_DOUBLE(qm)) return F_DOUBLE;
    if (qm == QT_QM_LSAQUO || qm == QT_QM_RSAQUO || qm == QT_QM_CJKLW || qm == QT_QM_CJKRW)
        return F_SGUIL;
    if (qm) return F_SINGLE;
    return F_NONE;
}

/* What stands right before / after a mark. */
enum { X_SPACE, X_ALNUM, X_OPEN, X_CLOSEP, X_QUOTE, X_ELLIPSIS, X_OTHER };

static int is_ellipsis(const qt_text *t, const qt_tok *k)
{
    return k->end - k->start == 3 && (unsigned char)t->p[k->start] == 0xE2 &&
           (unsigned char)t->p[k->start + 1] == 0x80 && (unsigned char)t->p[k->start + 2] == 0xA6;
}

static int side_class(const qt_text *t, size_t i, int dir)
{
    const qt_tok *k = &QT_TOK(t, i);
    if (dir < 0 ? (k->flags & QT_TF_SPACE_PRE) : (k->flags & QT_TF_SPACE_POST))
        return X_SPACE;
    if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= t->toks.n))
        return X_SPACE;
    const qt_tok *o = &QT_TOK(t, dir < 0 ? i - 1 : i + 1);
    if (o->kind == QT_TOK_WORD || o->kind == QT_TOK_NUM)
        return X_ALNUM;
    if (o->kind == QT_TOK_QUOTE)
        return X_QUOTE;
    if (is_ellipsis(t, o) || (o->hash == '.' && dir > 0 && o->end - o->start == 1 &&
                              i + 2 < t->toks.n && QT_TOK(t, i + 2).hash == '.'))
        return X_ELLIPSIS;
    switch (o->hash) {
    case '(': case '[': case '{': case '-': case '/': case '$': case '#': case '@':
        return X_OPEN;
    case '.': case ',': case ';': case ':': case '!': case '?': case ')': case ']': case '}':
        return X_CLOSEP;
    default:
        return X_OTHER;
    }
}

static int can_open(const qt_text *t, size_t i)
{
    int l = side_class(t, i, -1), r = side_class(t, i, 1);
    return l != X_ALNUM && (r == X_ALNUM || r == X_OPEN || r == X_QUOTE || r == X_ELLIPSIS ||
                            r == X_OTHER);
}

static int can_close(const qt_text *t, size_t i)
{
    int l = side_class(t, i, -1), r = side_class(t, i, 1);
    return l != X_SPACE && l != X_OPEN && r != X_ALNUM;
}

/* May mark `close` end a quote opened by mark `open` (same family, compatible shapes)? */
static int pairs_with(uint8_t open, uint8_t close)
{
    switch (open) {
    case QT_QM_LAQUO: return close == QT_QM_RAQUO;
    case QT_QM_RAQUO: return close == QT_QM_LAQUO;          /* »German« */
    case QT_QM_CJKL: return close == QT_QM_CJKR;
    case QT_QM_LSAQUO: return close == QT_QM_RSAQUO;
    case QT_QM_RSAQUO: return close == QT_QM_LSAQUO;
    case QT_QM_CJKLW: return close == QT_QM_CJKRW;
    case QT_QM_DQ: case QT_QM_LDQ: case QT_QM_RDQ: case QT_QM_LOWDQ:
        return close == QT_QM_DQ || close == QT_QM_RDQ || close == QT_QM_LDQ;
    default:
        return 0;
    }
}

/* May this mark open a top-level quote? Closing shapes open only where scraped text misuses them
 * and the flanks leave no doubt. */
static int opens_top(const qt_text *t, size_t i)
{
    uint8_t qm = QT_TOK(t, i).qm;
    switch (qm) {
    case QT_QM_LDQ: case QT_QM_LOWDQ: case QT_QM_LAQUO: case QT_QM_CJKL: case QT_QM_LSAQUO:
    case QT_QM_CJKLW:
        return !can_close(t, i) || can_open(t, i);
    case QT_QM_DQ: case QT_QM_RDQ: case QT_QM_RAQUO: case QT_QM_RSAQUO:
        return can_open(t, i) && !can_close(t, i);
    default:
        return 0;
    }
}

static void trim(const qt_text *t, uint32_t *s, uint32_t *e)
{
    while (*s < *e && (t->p[*s] == ' ' || t->p[*s] == '\t' || t->p[*s] == '\n' || t->p[*s] == '\r'))
        (*s)++;
    while (*e > *s && (t->p[*e - 1] == ' ' || t->p[*e - 1] == '\t' || t->p[*e - 1] == '\n' ||
                       t->p[*e - 1] == '\r'))
        (*e)--;
}

/* Longest unclosed quote kept (bytes): past this an unbalanced mark is more likely noise. */
#define UNCLOSED_MAX 3000

static qt_status emit(qt_vec *out, const qt_text *t, uint32_t open, uint32_t close, int closed,
                      int parent, int multi)
{
    uint32_t s = QT_TOK(t, open).end;
    uint32_t e = closed ? QT_TOK(t, close).start : QT_TOK(t, close).end;
    trim(t, &s, &e);
    if (s >= e)
        return QT_OK;
    /* A quote needs at least one word or number inside. */
    int words = 0;
    for (uint32_t k = open + 1; k < close + !closed && !words; k++)
        words = QT_TOK(t, k).kind == QT_TOK_WORD || QT_TOK(t, k).kind == QT_TOK_NUM;
    if (!words)
        return QT_OK;
    qt_qspan *q = qt_vec_push(out);
    if (!q)
        return QT_ENOMEM;
    q->start = s;
    q->end = e;
    q->tok_open = open;
    q->tok_close = close;
    q->parent = parent;
    q->kind = parent >= 0 ? QT_QUOTE_NESTED : QT_QUOTE_DIRECT;
    q->unclosed = !closed;
    q->multi_para = (uint8_t)multi;
    q->entity = -1;
    q->speaker_kind = QT_SPEAKER_UNKNOWN;
    return QT_OK;
}

/* Does an unclosed quote opened at `open` stand where a direct quote starts? */
static int direct_position(const qt_text *t, uint32_t open)
{
    const qt_tok *m = &QT_TOK(t, open);
    if (m->flags & QT_TF_PARA_START)
        return 1;
    const qt_tok *p = &QT_TOK(t, open - 1);
    return p->kind == QT_TOK_PUNCT && (p->hash == ':' || p->hash == ',');
}

static qt_status close_unbalanced(qt_vec *out, const qt_text *t, uint32_t open, int multi)
{
    const qt_tok *m = &QT_TOK(t, open);
    const qt_para *pa = &QT_PARA(t, m->para);
    uint32_t last = pa->tok_end - 1;
    if (last <= open)
        return QT_OK;
    if (!multi && (!direct_position(t, open) || pa->end - m->end > UNCLOSED_MAX))
        return QT_OK;
    return emit(out, t, open, last, 0, -1, multi);
}

static int is_elision_at(const qt_doc *d, const qt_text *t, size_t i)
{
    if (i + 1 >= t->toks.n || (QT_TOK(t, i).flags & QT_TF_SPACE_POST))
        return 0;
    const qt_tok *w = &QT_TOK(t, i + 1);
    if (w->kind == QT_TOK_WORD && (qt_lex_flags(d->engine, w->hash) & W_ELISION))
        return 1;
    /* '90s, '09: two digits, optionally followed by s */
    size_t len = w->end - w->start;
    const char *p = t->p + w->start;
    return (len == 2 || (len == 3 && p[2] == 's')) && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' &&
           p[1] <= '9';
}

/* A closing single mark right after "s" or "in" and before a lowercase word may be a plural
 * possessive or a dropped g ("the Vales' house", "nothin' doing") rather than a closing mark. */
static int maybe_apostrophe(const qt_text *t, size_t i)
{
    if (i == 0 || i + 1 >= t->toks.n)
        return 0;
    const qt_tok *w = &QT_TOK(t, i - 1);
    const qt_tok *n = &QT_TOK(t, i + 1);
    if (w->kind != QT_TOK_WORD || w->end != QT_TOK(t, i).start || !(n->flags & QT_TF_LOWER))
        return 0;
    char c = t->p[w->end - 1];
    return c == 's' || (c == 'n' && w->end - w->start > 2 && t->p[w->end - 2] == 'i');
}

/* Single-quoted quotes among tokens [first, end): nested ones inside quote `parent`, or top-level
 * ones (parent -1) in a paragraph with no double marks (see (1) and (4)). */
static qt_status find_singles(qt_doc *d, const qt_text *t, qt_vec *out, uint32_t first,
                              uint32_t end, int parent)
{
    int64_t open = -1;
    for (uint32_t i = first; i < end; i++) {
        const qt_tok *k = &QT_TOK(t, i);
        if (k->kind != QT_TOK_QUOTE)
            continue;
        if (k->flags & QT_TF_QREOPEN) {
            /* A paragraph re-opening the outer quote: a nested quote still open continues only
             * if the paragraph re-opens it too ("'…). */
            if (open >= 0) {
                if (i + 1 < end && family(QT_TOK(t, i + 1).qm) >= F_SGUIL &&
                    !(k->flags & QT_TF_SPACE_POST)) {
                    i++;
                    QT_TOK(t, i).flags |= QT_TF_QREOPEN;
                } else {
                    open = -1;
                }
            }
            continue;
        }
        int fam = family(k->qm);
        if (fam != F_SINGLE && fam != F_SGUIL)
            continue;
        if (open < 0) {
            if (is_elision_at(d, t, i)) {
                /* rock 'n' roll: the mark after the n is an apostrophe too. */
                if (i + 2 < end && QT_TOK(t, i + 2).kind == QT_TOK_QUOTE &&
                    QT_TOK(t, i + 2).start == QT_TOK(t, i + 1).end)
                    i += 2;
                continue;
            }
            int opener = k->qm == QT_QM_LSQ || k->qm == QT_QM_LOWSQ || k->qm == QT_QM_LSAQUO ||
                         k->qm == QT_QM_CJKLW || ((k->qm == QT_QM_SQ || k->qm == QT_QM_RSQ) &&
                                                 can_open(t, i) && !can_close(t, i));
            if (opener && can_open(t, i))
                open = i;
            continue;
        }
        uint8_t oqm = QT_TOK(t, open).qm;
        int closer = (oqm == QT_QM_LSAQUO) ? k->qm == QT_QM_RSAQUO
                   : (oqm == QT_QM_CJKLW)  ? k->qm == QT_QM_CJKRW
                   : (k->qm == QT_QM_SQ || k->qm == QT_QM_RSQ || k->qm == QT_QM_LSQ);
        if (!closer || !can_close(t, i))
            continue;
        if (fam == F_SINGLE && maybe_apostrophe(t, i)) {
            int later = 0;
            for (uint32_t j = i + 1; j < end && !later; j++)
                later = family(QT_TOK(t, j).qm) == F_SINGLE && can_close(t, j);
            if (later)
                continue;
        }
        qt_status rc = emit(out, t, (uint32_t)open, i, 1, parent, 0);
        if (rc != QT_OK)
            return rc;
        open = -1;
    }
    return QT_OK;
}

static qt_status find_nested(qt_doc *d, const qt_text *t, qt_vec *out, int qi)
{
    const qt_qspan *q = &QT_VEC_AT(out, qt_qspan, qi);
    uint32_t end = q->unclosed ? q->tok_close + 1 : q->tok_close;
    return find_singles(d, t, out, q->tok_open + 1, end, qi);
}

/* Text order: by start, an enclosing quote before what it encloses. */
static int by_position(const void *x, const void *y)
{
    const qt_qspan *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end > b->end ? -1 : a->end < b->end;
}

/* Mark tokens inside top-level quotes, and the marks themselves. */
static void mark_tokens(qt_text *t, const qt_qspan *q)
{
    QT_TOK(t, q->tok_open).flags |= QT_TF_QOPEN;
    uint32_t end = q->unclosed ? q->tok_close + 1 : q->tok_close;
    if (!q->unclosed)
        QT_TOK(t, q->tok_close).flags |= QT_TF_QCLOSE;
    for (uint32_t k = q->tok_open + 1; k < end; k++)
        QT_TOK(t, k).flags |= QT_TF_INQUOTE;
}

/* Top-level kind: a quote standing where a sentence or a cue leaves off is direct; one that
 * continues the writer's own words is partial. */
static uint8_t classify(const qt_doc *d, const qt_text *t, const qt_qspan *q)
{
    const qt_tok *m = &QT_TOK(t, q->tok_open);
    if ((m->flags & QT_TF_PARA_START) || q->multi_para || q->tok_open == 0)
        return QT_QUOTE_DIRECT;
    const qt_tok *p = &QT_TOK(t, q->tok_open - 1);
    const qt_tok *f0 = &QT_TOK(t, q->tok_open + 1);
    /* `called him a "crook," "unstable" and "sick"`: after a comma, a lowercase start is one
     * more item of the writer's list, unless a cue hands over (`said, "and then…"`). */
    if (((p->kind == QT_TOK_PUNCT && p->hash == ',') || (p->flags & QT_TF_QCLOSE)) &&
        (f0->flags & QT_TF_LOWER) && q->tok_open >= 2) {
        const qt_word *w = qt_lex_get(d->engine, QT_TOK(t, q->tok_open - 2).hash);
        if (!w || !(w->flags & W_CUE) || w->cue_prec < 0.5f)
            return QT_QUOTE_PARTIAL;
    }
    if (p->kind == QT_TOK_PUNCT || p->kind == QT_TOK_QUOTE)
        return p->hash == '(' ? QT_QUOTE_PARTIAL : QT_QUOTE_DIRECT;
    /* `he said "We won."`: a cue right before a capitalised sentence. */
    const qt_tok *f = &QT_TOK(t, q->tok_open + 1);
    const qt_word *w = qt_lex_get(d->engine, p->hash);
    if (w && (w->flags & W_CUE) && w->cue_prec >= 0.5f && (f->flags & QT_TF_CAP))
        return QT_QUOTE_DIRECT;
    return QT_QUOTE_PARTIAL;
}

qt_status qt_find_quotes(qt_doc *d, qt_text *t, qt_vec *out)
{
    qt_status rc = QT_OK;
    out->n = 0;
    int64_t open = -1;    /* token of the open top-level mark */
    uint32_t open_para = 0;
    int multi = 0;
    size_t n = t->toks.n;
    for (size_t i = 0; i < n && rc == QT_OK; i++) {
        qt_tok *k = &QT_TOK(t, i);
        if (k->kind != QT_TOK_QUOTE)
            continue;
        int fam = family(k->qm);
        if (fam == F_SINGLE)
            continue;
        if (open >= 0 && k->para != open_para) {
            /* See (3): continue only into the very next paragraph, opened by a mark. */
            if (k->para == open_para + 1 && (k->flags & QT_TF_PARA_START) &&
                family(QT_TOK(t, open).qm) == fam && can_open(t, i)) {
                k->flags |= QT_TF_QREOPEN;
                open_para = k->para;
                multi = 1;
                continue;
            }
            rc = close_unbalanced(out, t, (uint32_t)open, multi);
            open = -1;
        }
        if (open < 0) {
            if (opens_top(t, i)) {
                open = (int64_t)i;
                open_para = k->para;
                multi = 0;
            }
            continue;
        }
        if (family(QT_TOK(t, open).qm) != fam)
            continue;  /* a guillemet of the other family: nested, handled later */
        if (pairs_with(QT_TOK(t, open).qm, k->qm) && (can_close(t, i) || !can_open(t, i))) {
            rc = emit(out, t, (uint32_t)open, (uint32_t)i, 1, -1, multi);
            open = -1;
        } else if (opens_top(t, i)) {
            /* A second opener: the first was never closed. Dropping it loses one quote;
             * guessing where it ended would invent a span. */
            open = (int64_t)i;
            open_para = k->para;
            multi = 0;
        }
    }
    if (rc == QT_OK && open >= 0)
        rc = close_unbalanced(out, t, (uint32_t)open, multi);

    /* Paragraphs without a double mark may use single marks as their quotation marks
     * (British style, and many headlines). Apostrophes rarely open a word outside the elisions
     * is_elision_at() knows, so an opening single mark there is a quotation mark. */
    for (size_t pi = 0; pi < t->paras.n && rc == QT_OK; pi++) {
        const qt_para *pa = &QT_PARA(t, pi);
        int doubles = 0;
        for (uint32_t k = pa->tok_first; k < pa->tok_end && !doubles; k++)
            doubles = QT_TOK(t, k).kind == QT_TOK_QUOTE && family(QT_TOK(t, k).qm) != F_SINGLE;
        if (!doubles)
            rc = find_singles(d, t, out, pa->tok_first, pa->tok_end, -1);
    }
    /* keep top-level quotes in text order for the passes below (no nested ones exist yet) */
    if (out->n > 1)   /* qsort wants a real array even for no elements */
        qsort(out->items, out->n, sizeof(qt_qspan), by_position);

    const qt_limits *lim = &d->engine->lim;
    char arg[64], raise[80];
    /* quotes: the first ones in text order are analysed, the rest of the text stays as it is */
    if (out->n > lim->quotes) {
        size_t over = out->n - lim->quotes;
        size_t from = QT_VEC_AT(out, qt_qspan, lim->quotes).start;
        out->n = lim->quotes;
        rc = qt_doc_limit_warn(d, "%zu quote%s in the %s past %s (from offset %zu) "
                               "not analysed; %s", over, over == 1 ? "" : "s",
                               t == &d->text ? "text" : "title",
                               qt_limit_arg("quotes", lim->quotes, arg), from,
                               qt_limit_raise("quotes", lim->quotes, raise));
        if (rc != QT_OK)
            return rc;
    }
    size_t n_top = out->n, n_long = 0, first_long = 0;
    for (size_t qi = 0; qi < n_top && rc == QT_OK; qi++) {
        qt_qspan *q = &QT_VEC_AT(out, qt_qspan, qi);
        q->kind = classify(d, t, q);
        mark_tokens(t, q);
        /* quote-bytes: a quote this long is kept whole, but what is inside is not searched */
        if (q->end - q->start > lim->quote_bytes) {
            if (n_long++ == 0)
                first_long = q->start;
            continue;
        }
        rc = find_nested(d, t, out, (int)qi);
    }
    if (rc != QT_OK)
        return rc;
    if (n_long)
        rc = qt_doc_limit_warn(d, "%zu quote%s over %s (the first at %s offset %zu) not searched "
                               "for quotes inside; %s", n_long, n_long == 1 ? "" : "s",
                               qt_limit_arg("quote-bytes", lim->quote_bytes, arg),
                               t == &d->text ? "text" : "title", first_long,
                               qt_limit_raise("quote-bytes", lim->quote_bytes, raise));
    /* quote-depth 1: quotes inside quotes were found, so they can be counted, but not kept */
    if (rc == QT_OK && lim->quote_depth < 2 && out->n > n_top) {
        size_t dropped = out->n - n_top;
        out->n = n_top;
        rc = qt_doc_limit_warn(d, "%zu quote%s inside quotes in the %s not listed (%s); "
                               "raise it with --limit quote-depth=2", dropped,
                               dropped == 1 ? "" : "s", t == &d->text ? "text" : "title",
                               qt_limit_arg("quote-depth", lim->quote_depth, arg));
    }
    /* quotes again: the nested ones found inside the kept quotes may add more */
    if (rc == QT_OK && out->n > lim->quotes && out->n > n_top) {
        size_t keep = lim->quotes > n_top ? lim->quotes : n_top, over = out->n - keep;
        out->n = keep;
        rc = qt_doc_limit_warn(d, "%zu quote%s inside quotes in the %s not listed (%s); %s",
                               over, over == 1 ? "" : "s", t == &d->text ? "text" : "title",
                               qt_limit_arg("quotes", lim->quotes, arg),
                               qt_limit_raise("quotes", lim->quotes, raise));
    }
    if (rc != QT_OK)
        return rc;
    /* Nested quotes were appended after all top-level ones; put every child right after its
     * parent so quotes[] is in text order (invariant (4) of quotetrail.h). A child records its
     * parent's start before the sort (starts are unique), and finds its new index after it by
     * binary search among the sorted quotes. */
    qt_qspan *a = out->items;
    for (size_t i = n_top; i < out->n; i++)
        a[i].parent = (int)a[a[i].parent].start;
    if (out->n > 1)
        qsort(a, out->n, sizeof *a, by_position);
    for (size_t i = 0; i < out->n; i++) {
        if (a[i].kind != QT_QUOTE_NESTED)
            continue;
        uint32_t ps = (uint32_t)a[i].parent;
        size_t lo = 0, hi = i;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (a[mid].start < ps) lo = mid + 1; else hi = mid;
        }
        a[i].parent = (int)lo;   /* the top-level quote starting at ps */
    }
    return QT_OK;
}
