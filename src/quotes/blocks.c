/*
 * blocks.c - what each paragraph of an article is: headline, body, caption, credit, …
 *
 * Design notes. Scraped text keeps a page's furniture as paragraphs of its own: photo credits
 * ("Jason Kempin/Getty Images", "(Photo: Getty Images)"), captions ending in a credit, "What are
 * your thoughts …?", "Share this article", "Leave a comment", numbered lists of other sites,
 * runs of other stories' titles. Each paragraph is judged by its own shape — length, case,
 * punctuation, separators, whether it is all quotation — and by its place (first, right after
 * the headline, right before a credit), never by a site's wording. The roles are DESIGN.md's:
 * headline, subheading, byline, dateline, body, caption, credit, engagement, boilerplate,
 * related, plus quote (a body paragraph that is nothing but quotation). Only headline,
 * subheading, dateline, body and quote paragraphs feed quotes and attributions.
 */
#include "quotes/qt_quotes.h"

#include <ctype.h>
#include <string.h>

static const char *const ROLE_NAMES[] = {
    [QT_ROLE_BODY] = "body",         [QT_ROLE_HEADLINE] = "headline",
    [QT_ROLE_SUBHEADING] = "subheading", [QT_ROLE_BYLINE] = "byline",
    [QT_ROLE_DATELINE] = "dateline", [QT_ROLE_QUOTE] = "quote",
    [QT_ROLE_CAPTION] = "caption",   [QT_ROLE_CREDIT] = "credit",
    [QT_ROLE_ENGAGEMENT] = "engagement", [QT_ROLE_BOILERPLATE] = "boilerplate",
    [QT_ROLE_RELATED] = "related"};

const char *qt_role_name(int role)
{
    return role >= 0 && role < QT_N_ROLES ? ROLE_NAMES[role] : "body";
}

int qt_role_is_text(int role)
{
    return role == QT_ROLE_BODY || role == QT_ROLE_QUOTE || role == QT_ROLE_HEADLINE ||
           role == QT_ROLE_SUBHEADING || role == QT_ROLE_DATELINE;
}

/* A paragraph's shape, from its bytes. Furniture is short: only the first SHAPE_SCAN bytes are
 * counted, and a longer paragraph is `long_` and can only be body, quote or headline (this keeps
 * the pass over an article's bytes to one short look per paragraph). */
#define SHAPE_SCAN 480

typedef struct shape {
    const char *p;
    size_t n;
    int long_;
    int words, caps;        /* words, and words starting with an uppercase letter or a digit */
    int slashes, pipes;     /* '/' and '|' between words */
    char last;              /* last non-space byte */
} shape;

static int is_sp(unsigned char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

static shape shape_of(const char *p, size_t n)
{
    shape s = {p, n, 0, 0, 0, 0, 0, 0};
    while (n && is_sp((unsigned char)p[n - 1]))
        n--;
    s.n = n;
    s.last = n ? p[n - 1] : 0;
    s.long_ = n > SHAPE_SCAN;
    if (s.long_)
        return s;
    if (s.last == '.' && n > 160) {
        s.words = s.caps = 1000;    /* a sentence of some length: no rule needs its counts */
        return s;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        s.slashes += c == '/';
        s.pipes += c == '|';
        int start = i == 0 || is_sp((unsigned char)p[i - 1]) || p[i - 1] == '/' ||
                    p[i - 1] == '(' || p[i - 1] == '[';
        if (start && !is_sp(c) && c != '/' && c != '|' && c != '-') {
            s.words++;
            s.caps += (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0xC0;
        }
    }
    return s;
}

static int starts_ci(const shape *s, const char *w)
{
    size_t k = strlen(w);
    return s->n >= k && strncasecmp(s->p, w, k) == 0;
}

static int sentence_end(char c)
{
    return c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' || (unsigned char)c >= 0x80;
}

/* "Jason Kempin/Getty Images", "(Photo: Getty Images)", "[Photo By Ann Lee / Agency]". */
static int is_credit(const shape *s)
{
    static const char *const labels[] = {"(photo", "[photo", "photo:", "photo by", "photograph:",
                                         "(image", "image:", "credit:", "(credit", NULL};
    if (s->words == 0 || s->words > 12 || s->last == '.')
        return 0;
    for (const char *const *l = labels; *l; l++)
        if (starts_ci(s, *l))
            return 1;
    return (s->slashes || s->pipes) && s->caps * 10 >= s->words * 8;
}

/* A caption that ends with its credit: "… are not romantically involved. Ann Lee/Agency". */
static int ends_with_credit(const shape *s)
{
    if (s->words < 4 || s->words > 45 || s->last == '.')
        return 0;
    /* the credit is the tail after the last sentence stop */
    size_t k = s->n;
    while (k > 0 && s->p[k - 1] != '.' && s->p[k - 1] != '?' && s->p[k - 1] != '!')
        k--;
    if (k == 0)
        return 0;
    shape t = shape_of(s->p + k, s->n - k);
    return t.words >= 2 && t.words <= 6 && (t.slashes || t.pipes) && t.caps == t.words;
}

/* "1. Site 2. Other site 3. …": a numbered list run into one paragraph. */
static int numbered_list(const shape *s)
{
    int items = 0;
    if (!s->n || s->p[0] < '0' || s->p[0] > '9' || s->words > 80)
        return 0;       /* such a list starts with its first number */
    for (size_t i = 0; i + 2 < s->n; i++)
        if ((i == 0 || s->p[i - 1] == ' ') && isdigit((unsigned char)s->p[i]) &&
            s->p[i + 1] == '.' && s->p[i + 2] == ' ')
            items++;
    return items >= 3;
}

/* Share, comment and subscribe furniture. */
static int boilerplate(const shape *s)
{
    static const char *const starts[] = {"share this", "share on", "leave a comment",
                                         "comments", "add a comment", "more from", "sign up",
                                         "subscribe", "follow us", "related:", "read more",
                                         "advertisement", "click here", NULL};
    if (s->words > 25)
        return 0;
    for (const char *const *w = starts; *w; w++)
        if (starts_ci(s, *w))
            return 1;
    return 0;
}

/* A rating line: "Truth rating: 10", "Rating: 4/5". Returns the value's offset, or 0. */
static size_t rating_at(const shape *s)
{
    const char *colon = memchr(s->p, ':', s->n < 48 ? s->n : 48);
    if (!colon || colon - s->p < 6 || strncasecmp(colon - 6, "rating:", 7) != 0)
        return 0;
    size_t v = (size_t)(colon - s->p) + 1;
    while (v < s->n && s->p[v] == ' ')
        v++;
    return v < s->n && s->p[v] >= '0' && s->p[v] <= '9' ? v : 0;
}

/* "Los Angeles, California - After …": capitalised place words, an optional comma and more, then a
 * dash. Returns the byte length of the dateline (without the dash's trailing space), or 0. */
static size_t dateline_len(const char *p, size_t n)
{
    size_t i = 0, words = 0;
    while (i < n && words < 6) {
        if (!(isupper((unsigned char)p[i])))
            break;
        while (i < n && !isspace((unsigned char)p[i]) && p[i] != ',')
            i++;
        words++;
        if (i < n && p[i] == ',')
            i++;
        while (i < n && p[i] == ' ')
            i++;
        /* a dash: "-", "--", "—" (U+2014), "–" (U+2013) */
        if (i + 1 < n && p[i] == '-' && (p[i + 1] == ' ' || (p[i + 1] == '-' && i + 2 < n)))
            return i + (p[i + 1] == '-' ? 2 : 1);
        if (i + 3 < n && (unsigned char)p[i] == 0xE2 && (unsigned char)p[i + 1] == 0x80 &&
            ((unsigned char)p[i + 2] == 0x94 || (unsigned char)p[i + 2] == 0x93))
            return i + 3;
    }
    return 0;
}

/* Is every word of paragraph pi inside quotation marks (a quote standing alone)? */
static int all_quotation(const qt_doc *d, size_t pi)
{
    const qt_para *p = &QT_PARA(&d->text, pi);
    if (p->tok_first >= p->tok_end || QT_TOK(&d->text, p->tok_first).kind != QT_TOK_QUOTE)
        return 0;       /* a quote standing alone opens with its mark */
    size_t words = 0, quoted = 0;
    for (uint32_t k = p->tok_first; k < p->tok_end; k++) {
        const qt_tok *t = &QT_TOK(&d->text, k);
        if (t->kind != QT_TOK_WORD)
            continue;
        words++;
        quoted += (t->flags & QT_TF_INQUOTE) != 0;
    }
    return words >= 3 && quoted == words;
}

/* Does the paragraph repeat the title given apart from the text (a headline scraped twice)? */
static int repeats_title(const shape *s, const char *title)
{
    if (!title)
        return 0;
    size_t n = strlen(title);
    while (n && isspace((unsigned char)title[n - 1]))
        n--;
    return n == s->n && strncasecmp(s->p, title, n) == 0;
}

static int role_of(const qt_doc *d, size_t i, const char *title, const shape *s,
                   const shape *next, int prev_role)
{
    if (i == 0 && !title)
        return boilerplate(s) ? QT_ROLE_BOILERPLATE : QT_ROLE_HEADLINE;
    if (i <= 2 && repeats_title(s, title))
        return QT_ROLE_HEADLINE;
    if (s->long_)
        return all_quotation(d, i) ? QT_ROLE_QUOTE : QT_ROLE_BODY;
    if (rating_at(s))
        return QT_ROLE_BOILERPLATE;
    if (boilerplate(s))
        return QT_ROLE_BOILERPLATE;
    if (starts_ci(s, "by ") && s->words <= 8 && !sentence_end(s->last))
        return QT_ROLE_BYLINE;
    if (is_credit(s))
        return QT_ROLE_CREDIT;
    if (ends_with_credit(s))
        return QT_ROLE_CAPTION;
    if (numbered_list(s))
        return QT_ROLE_RELATED;
    if (all_quotation(d, i))
        return QT_ROLE_QUOTE;
    int sentence = sentence_end(s->last) || s->last == ':' || s->last == ')';
    /* a run of other stories' titles: long, title case, no sentence end */
    if (!sentence && s->words >= 10 && s->caps * 10 >= s->words * 7)
        return QT_ROLE_RELATED;
    /* a question to the reader, alone in its paragraph */
    if (s->last == '?' && s->words <= 25) {
        int stops = 0;
        for (size_t k = 0; k + 1 < s->n; k++)
            stops += (s->p[k] == '.' || s->p[k] == '?' || s->p[k] == '!') && s->p[k + 1] == ' ';
        if (!stops)
            return QT_ROLE_ENGAGEMENT;
    }
    if (!sentence && s->words <= 14) {
        /* a short line: an image's caption when a credit follows it; a dek right under the
         * headline; otherwise a subheading */
        if (next && is_credit(next))
            return QT_ROLE_CAPTION;
        if (prev_role == QT_ROLE_HEADLINE)
            return QT_ROLE_SUBHEADING;
        if (prev_role == QT_ROLE_BOILERPLATE || prev_role == QT_ROLE_BYLINE)
            return QT_ROLE_CAPTION;
        return QT_ROLE_SUBHEADING;
    }
    return QT_ROLE_BODY;
}

qt_status qt_classify_blocks(qt_doc *d, const char *title)
{
    size_t np = d->text.paras.n;
    d->roles.n = 0;
    shape nx = {0};
    if (np)
        nx = shape_of(d->text.p + QT_PARA(&d->text, 0).start,
                      QT_PARA(&d->text, 0).end - QT_PARA(&d->text, 0).start);
    for (size_t i = 0; i < np; i++) {
        qt_role *r = qt_vec_push(&d->roles);
        if (!r)
            return QT_ENOMEM;
        const qt_para *p = &QT_PARA(&d->text, i);
        shape s = nx;               /* each paragraph's shape is taken once */
        const shape *next = NULL;
        if (i + 1 < np) {
            const qt_para *q = &QT_PARA(&d->text, i + 1);
            nx = shape_of(d->text.p + q->start, q->end - q->start);
            next = &nx;
        }
        int prev = i ? QT_VEC_AT(&d->roles, qt_role, i - 1).role : -1;
        r->role = (uint8_t)role_of(d, i, title, &s, next, prev);
        r->dateline_end = 0;
        r->rating = (uint32_t)(rating_at(&s) ? p->start + rating_at(&s) : 0);
        if (r->role == QT_ROLE_BODY) {
            size_t dl = dateline_len(s.p, s.n);
            if (dl)
                r->dateline_end = p->start + (uint32_t)dl;
        }
        /* tokens of paragraphs that are not text are left out of quotes and attributions */
        if (!qt_role_is_text(r->role))
            for (uint32_t k = p->tok_first; k < p->tok_end; k++)
                QT_TOK(&d->text, k).flags |= QT_TF_FURNITURE;
    }
    return QT_OK;
}
