/*
 * html.c - the article in a web page (qt_extract.h's contract).
 *
 * Design notes.
 *  (1) libxml2's HTML parser builds the tree (it recovers from any markup, decodes entities and
 *      converts the charset). Every walk over the tree below is iterative, with an explicit
 *      stack, so a page nested 100,000 elements deep costs memory, not the C stack.
 *  (2) Which part of the page is the article is decided as Readability and boilerpipe do, by text
 *      statistics, never by a site's markup: each paragraph-like element scores its ancestors
 *      (longer text and more commas score more), scores are damped by link density and by class
 *      and id words ("comment", "share", "related" count against; "article", "content", "story"
 *      for), and the best container plus its like siblings is the article.
 *  (3) Inside it, every block element (p, h2-h6, li, blockquote, pre, a div with text) becomes a
 *      paragraph; inline elements join their text without a space, as a browser shows them.
 *      Navigation-like blocks (mostly link text), lone credits and calls to share or subscribe
 *      are dropped one by one.
 *  (4) Charset: the HTTP header's, else the page's declaration, unless the bytes contradict it
 *      (choose_charset); with neither, UTF-8 when the bytes are, else uchardet's guess.
 *  (5) Metadata comes from the head (og:, article:, canonical, author), JSON-LD (datePublished),
 *      <time datetime>, and the first <h1>; with no machine-readable date, a date written out in
 *      a <time> or a date-classed element ("March 11, 2024") is read as YYYY-MM-DD.
 *  (6) A start tag keeps its first MAX_ATTRS attributes only (thin_attrs): libxml2's duplicate
 *      check is quadratic in a tag's attributes. Real pages never come near the cap.
 */
#include "extract/qt_extract.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <uchardet.h>
#include <libxml/tree.h>

#include "core/qt_core.h"
#include "core/qt_limits.h"

/* Per-element statistics, reached through node->_private (an index + 1 into h->stats). */
typedef struct nstat {
    uint32_t text;      /* characters of visible text in the subtree */
    uint32_t links;     /* of which inside <a> */
    uint32_t commas;
    float score;        /* content score (design note 2) */
    uint32_t good;      /* characters of good paragraphs in the subtree (see expand) */
    uint8_t scored;     /* score initialised */
    uint8_t skip;       /* never part of the article (script, nav, hidden …) */
    uint8_t cskip;      /* boilerplate by its class or id words (see mark_class_skips) */
    xmlNodePtr node;
} nstat;

struct qt_html {
    qt_buf text;        /* the body being built */
    qt_buf para;        /* the paragraph being built */
    qt_arena meta;      /* metadata strings */
    nstat *stats;
    size_t n_stats, cap_stats;
    xmlNodePtr *stack;
    size_t cap_stack;
    int use_class;      /* class and id words may skip elements (the first try) */
    uint32_t max_depth; /* qt_html_set_max_depth(); 0: none */
    const char *titles[3];  /* the page's names for itself (h1, og:title, <title>): a paragraph
                             * repeating one is the headline again, not body */
};

/* ---- small helpers ------------------------------------------------------------------------------ */

static int name_is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static int name_in(xmlNodePtr n, const char *const *names)
{
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    for (; *names; names++)
        if (strcmp((const char *)n->name, *names) == 0)
            return 1;
    return 0;
}

static const char *attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0 && a->children &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

/* Does s contain word w (case-insensitive) at the start of one of its tokens ("comment" in
 * "article-comments")? A short word must be the whole token: "ad" is in "ad-slot", not in
 * "address". */
static int has_token(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; p && *p; p++) {
        if (strncasecmp(p, w, n) == 0 && (p == s || !isalnum((unsigned char)p[-1])) &&
            (n > 3 || !isalnum((unsigned char)p[n])))
            return 1;
    }
    return 0;
}

static nstat *st(qt_html *h, xmlNodePtr n)
{
    uintptr_t i = (uintptr_t)n->_private;
    return i ? &h->stats[i - 1] : NULL;
}

static int push(qt_html *h, size_t *sp, xmlNodePtr n)
{
    if (*sp == h->cap_stack) {
        size_t cap = h->cap_stack ? h->cap_stack * 2 : 256;
        xmlNodePtr *s = realloc(h->stack, cap * sizeof *s);
        if (!s)
            return 0;
        h->stack = s;
        h->cap_stack = cap;
    }
    h->stack[(*sp)++] = n;
    return 1;
}

/* ---- what never belongs to an article ------------------------------------------------------------ */

/* Not <form>: ASP.NET pages wrap the whole page in one; a search or comment form is caught by
 * its words and its lack of text. */
static const char *const SKIP_TAGS[] = {
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "button",
    "select", "textarea", "input", "nav", "aside", "footer", "header", "figure", "figcaption",
    "picture", "video", "audio", "object", "embed", "map", "head", "title", "meta", "link",
    "dialog", "menu", "label", "option", NULL};

/* Class and id words of boilerplate, and of content (which overrides them: "article-comments"
 * is still comments, but "post-content" is content). */
static const char *const NEG_WORDS[] = {
    "comment", "share", "sharing", "social", "related", "recommend", "promo", "newsletter",
    "subscribe", "signup", "cookie", "consent", "sidebar", "widget", "footer", "masthead", "nav",
    "menu", "breadcrumb", "banner", "advert", "ad", "ads", "sponsor", "popup", "modal", "caption",
    "credit", "tags", "toolbar", "print", "pagination", "outbrain", "taboola", "byline",
    "author", "meta", "hidden", "disqus", "follow", "trending", "most-popular", "popular",
    "read-more", "more-stories", "rail", "skip", "search", NULL};
static const char *const POS_WORDS[] = {"article", "body", "content", "entry", "main", "post",
                                        "text", "story", "blog", NULL};

static int class_weight(xmlNodePtr n)
{
    int w = 0;
    const char *keys[2] = {attr(n, "class"), attr(n, "id")};
    for (int k = 0; k < 2; k++) {
        if (!keys[k])
            continue;
        for (const char *const *x = NEG_WORDS; *x; x++)
            if (has_token(keys[k], *x)) {
                w -= 25;
                break;
            }
        for (const char *const *x = POS_WORDS; *x; x++)
            if (has_token(keys[k], *x)) {
                w += 25;
                break;
            }
    }
    return w;
}

static int hidden(xmlNodePtr n)
{
    const char *s = attr(n, "style"), *a = attr(n, "aria-hidden");
    return attr(n, "hidden") || (a && strcmp(a, "true") == 0) ||
           (s && (strstr(s, "display:none") || strstr(s, "display: none")));
}

/* The page's frame (html, body) and the article's own elements are never skipped for their
 * class: a body class "has-sidebar" says nothing about the body. */
static int skipped(xmlNodePtr n)
{
    return name_in(n, SKIP_TAGS) || hidden(n);
}

/* Is this element out of the article: by its tag, or (on the first try) by its words? */
static int gone(const qt_html *h, const nstat *s)
{
    return s->skip || (s->cskip && h->use_class);
}

/* Mark elements whose class or id words say boilerplate ("comments", "related-links"). An
 * element that holds a quarter of the page's text is not boilerplate whatever it is called
 * ("Page-ad-margins" around a whole page), nor is the page's frame. */
static void mark_class_skips(qt_html *h, uint32_t page_text)
{
    for (size_t i = 0; i < h->n_stats; i++) {
        nstat *s = &h->stats[i];
        xmlNodePtr n = s->node;
        if (s->skip || name_is(n, "html") || name_is(n, "body") || name_is(n, "main") ||
            name_is(n, "article"))
            continue;
        s->cskip = (uint64_t)s->text * 4 < page_text && class_weight(n) < 0;
    }
}

/* ---- pass 1: statistics, bottom-up, and metadata ---------------------------------------------- */

static size_t visible_chars(const xmlChar *s, uint32_t *commas)
{
    size_t n = 0;
    int space = 1;
    for (; *s; s++) {
        if ((*s & 0xC0) == 0x80)
            continue;                       /* count characters, not bytes */
        if (isspace(*s)) {
            n += !space;
            space = 1;
        } else {
            n++;
            space = 0;
            *commas += *s == ',';
        }
    }
    return n;
}

static qt_status stats_for(qt_html *h, xmlNodePtr n)
{
    if (h->n_stats == h->cap_stats) {
        size_t cap = h->cap_stats ? h->cap_stats * 2 : 1024;
        nstat *s = realloc(h->stats, cap * sizeof *s);
        if (!s)
            return QT_ENOMEM;
        h->stats = s;
        h->cap_stats = cap;
    }
    memset(&h->stats[h->n_stats], 0, sizeof h->stats[0]);
    h->stats[h->n_stats].node = n;
    n->_private = (void *)(uintptr_t)(++h->n_stats);
    return QT_OK;
}

/* The deepest nesting of elements under root (root itself is 1), walked through the tree's own
 * links: no stack, however deep. Stops counting at stop + 1. */
static size_t element_depth(xmlNodePtr root, size_t stop)
{
    size_t d = 1, max = 1;
    xmlNodePtr n = root;
    for (;;) {
        xmlNodePtr c = n->children;
        while (c && c->type != XML_ELEMENT_NODE)
            c = c->next;
        if (c) {
            n = c;
            if (++d > max && (max = d) > stop)
                return max;
            continue;
        }
        for (;;) {
            if (n == root)
                return max;
            xmlNodePtr s = n->next;
            while (s && s->type != XML_ELEMENT_NODE)
                s = s->next;
            if (s) {
                n = s;
                break;
            }
            n = n->parent;
            d--;
        }
    }
}

/* Post-order walk: every element gets its subtree's text and link counts. */
static qt_status measure(qt_html *h, xmlNodePtr root)
{
    size_t sp = 0;
    if (!push(h, &sp, root))
        return QT_ENOMEM;
    while (sp) {
        xmlNodePtr n = h->stack[sp - 1];
        if (n->type == XML_ELEMENT_NODE && !n->_private) {
            /* first visit: give it stats, then visit children */
            if (stats_for(h, n) != QT_OK)
                return QT_ENOMEM;
            st(h, n)->skip = skipped(n);
            for (xmlNodePtr c = n->last; c; c = c->prev)
                if (c->type == XML_ELEMENT_NODE && !st(h, n)->skip && !push(h, &sp, c))
                    return QT_ENOMEM;
            continue;
        }
        sp--;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        nstat *s = st(h, n);
        if (s->skip)
            continue;
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (c->type == XML_TEXT_NODE && c->content) {
                uint32_t cm = 0;
                size_t t = visible_chars(c->content, &cm);
                s->text += (uint32_t)t;
                s->commas += cm;
                if (name_is(n, "a"))
                    s->links += (uint32_t)t;
            } else if (c->type == XML_ELEMENT_NODE && st(h, c) && !st(h, c)->skip) {
                s->text += st(h, c)->text;
                s->commas += st(h, c)->commas;
                s->links += name_is(n, "a") ? st(h, c)->text : st(h, c)->links;
            }
        }
    }
    return QT_OK;
}

/* ---- pass 2: scores --------------------------------------------------------------------------- */

static const char *const BLOCK_TAGS[] = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2",
    "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tbody", "thead", "tr", "td", "th",
    "br", "hr", "center", "address", "body", "html", NULL};

static int is_block(xmlNodePtr n)
{
    return name_in(n, BLOCK_TAGS);
}

static float tag_weight(xmlNodePtr n)
{
    if (name_is(n, "article") || name_is(n, "main"))
        return 10;
    if (name_is(n, "div") || name_is(n, "section"))
        return 5;
    if (name_is(n, "pre") || name_is(n, "td") || name_is(n, "blockquote"))
        return 3;
    if (name_in(n, (const char *const[]){"ol", "ul", "dl", "dd", "dt", "li", "form", NULL}))
        return -3;
    if (name_in(n, (const char *const[]){"h1", "h2", "h3", "h4", "h5", "h6", "th", NULL}))
        return -5;
    return 0;
}

static void init_score(qt_html *h, xmlNodePtr n)
{
    nstat *s = st(h, n);
    if (s && !s->scored) {
        s->scored = 1;
        s->score = tag_weight(n) + (float)class_weight(n);
        const char *ip = attr(n, "itemprop");
        if (ip && has_token(ip, "articleBody"))
            s->score += 50;
    }
}

/* A paragraph-like element: p, pre, td, or a div with text and no block children. */
static int paragraph_like(qt_html *h, xmlNodePtr n)
{
    if (name_is(n, "p") || name_is(n, "pre") || name_is(n, "td"))
        return 1;
    if (!(name_is(n, "div") || name_is(n, "section") || name_is(n, "article")))
        return 0;
    /* text written straight into the container counts, whatever else it holds ("text<br>
     * <div class=spacer></div>more text") */
    uint32_t direct = 0, commas = 0;
    int blocks = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content)
            direct += (uint32_t)visible_chars(c->content, &commas);
        else if (c->type == XML_ELEMENT_NODE && is_block(c) && st(h, c) && !gone(h, st(h, c)) &&
                 st(h, c)->text)
            blocks++;
    }
    return direct >= 25 || !blocks;
}

static xmlNodePtr best_candidate(qt_html *h, xmlNodePtr body)
{
    size_t sp = 0;
    xmlNodePtr best = NULL;
    float best_score = 0;
    if (!push(h, &sp, body))
        return NULL;
    while (sp) {
        xmlNodePtr n = h->stack[--sp];
        nstat *s = st(h, n);
        if (!s || gone(h, s))
            continue;
        for (xmlNodePtr c = n->last; c; c = c->prev)
            if (c->type == XML_ELEMENT_NODE && !push(h, &sp, c))
                return NULL;
        if (s->text < 25 || !paragraph_like(h, n))
            continue;
        /* NOLINTNEXTLINE(bugprone-integer-division): a point per whole 100 bytes, on purpose */
        float score = 1.0f + (float)s->commas + (s->text / 100 > 3 ? 3.0f : (float)(s->text / 100));
        if (s->text >= 80 && s->links * 4 < s->text) {
            /* a good paragraph: its text counts for every ancestor (bounded climb) */
            int up = 0;
            for (xmlNodePtr a = n; a && a->type == XML_ELEMENT_NODE && up < 64; a = a->parent, up++)
                if (st(h, a))
                    st(h, a)->good += s->text;
        }
        xmlNodePtr a = n->parent;
        if (!name_is(n, "p") && !name_is(n, "pre") && !name_is(n, "td")) {
            init_score(h, n);         /* a container whose own text is the article */
            st(h, n)->score += score;
        }
        for (int level = 0; level < 3 && a && a->type == XML_ELEMENT_NODE; level++, a = a->parent) {
            init_score(h, a);
            st(h, a)->score += score / (level == 0 ? 1.0f : level == 1 ? 2.0f : 3.0f * level);
        }
    }
    /* the best-scoring element, damped by its link density */
    for (size_t i = 0; i < h->n_stats; i++) {
        nstat *s = &h->stats[i];
        if (!s->scored || gone(h, s) || !s->text)
            continue;
        s->score *= 1.0f - (float)s->links / (float)s->text;
        if (s->score > best_score) {
            best_score = s->score;
            best = s->node;
        }
    }
    return best;
}

/* ---- pass 3: paragraphs ----------------------------------------------------------------------- */

/* Append text, collapsing whitespace; a block boundary becomes one separator. */
static qt_status put_text(qt_buf *b, const xmlChar *s)
{
    for (; *s; s++) {
        if (isspace(*s)) {
            if (b->len && b->data[b->len - 1] != ' ' && b->data[b->len - 1] != '\n' &&
                qt_buf_putc(b, ' ') != QT_OK)
                return QT_ENOMEM;
        } else if (qt_buf_putc(b, (char)*s) != QT_OK) {
            return QT_ENOMEM;
        }
    }
    return QT_OK;
}

/* Lines that are never article text however they are marked up. */
static int boilerplate_line(const char *p, size_t n)
{
    static const char *const exact[] = {"advertisement", "read more", "share", "share this",
                                        "share this article", "related", "related articles",
                                        "continue reading", "sponsored", "comments", NULL};
    char low[48];
    if (n < sizeof low) {
        for (size_t i = 0; i < n; i++)
            low[i] = (char)tolower((unsigned char)p[i]);
        low[n] = 0;
        while (n && (low[n - 1] == ':' || low[n - 1] == '.' || low[n - 1] == ' '))
            low[--n] = 0;
        for (const char *const *x = exact; *x; x++)
            if (strcmp(low, *x) == 0)
                return 1;
    }
    return 0;
}

static int contains_ci(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(p + i, w, k) == 0)
            return 1;
    return 0;
}

/* Page furniture that survives inside the article's container: gallery counters ("Image 1 of
 * 5", "1 of 6"), list labels ("More:", "You may also like…", "More from UK"), time stamps
 * ("Updated at 1:23 p.m.", "Published Monday, …"), share widgets' slogans. */
static int furniture_line(const char *p, size_t n)
{
    static const char *const credits[] = {"reporting by", "(reporting by", "editing by",
                                          "additional reporting", NULL};
    static const char *const starts[] = {"more from ", "you may also like", "you might also like",
                                         "related ", "published ", "updated ", "posted ",
                                         "last updated", "sharing is caring", "also read",
                                         "read also", "see also", "watch:", NULL};
    if (n < 100 && contains_ci(p, n, "first published"))
        return 1;
    /* a prompt to comment: "Share your thoughts.", "There are 261 comments … join the discussion" */
    if (n < 200 && (contains_ci(p, n, "join the discussion") ||
                    contains_ci(p, n, "share your thoughts") ||
                    contains_ci(p, n, "community rules") ||
                    contains_ci(p, n, "community guidelines")))
        return 1;
    for (const char *const *w = credits; *w && n < 200; w++)
        if (n >= strlen(*w) && strncasecmp(p, *w, strlen(*w)) == 0)
            return 1;
    if (n > 80)
        return 0;
    for (const char *const *w = starts; *w; w++)
        if (n >= strlen(*w) && strncasecmp(p, *w, strlen(*w)) == 0)
            return 1;
    if (n < 40 && p[n - 1] == ':')
        return 1;                       /* a label with nothing after it */
    size_t i = 0;
    if (n > 6 && strncasecmp(p, "image ", 6) == 0)
        i = 6;
    size_t d = i;
    while (i < n && isdigit((unsigned char)p[i]))
        i++;
    if (i > d && n - i > 4 && strncmp(p + i, " of ", 4) == 0) {
        i += 4;
        size_t d2 = i;
        while (i < n && isdigit((unsigned char)p[i]))
            i++;
        if (i == n && i > d2)
            return 1;
    }
    return 0;
}


/* A byline with its furniture: "By Ann Lee · Published: March 3 · 28 comments", "By Ann Lee |
 * Staff writer". Starts with "By ", short, and carries a separator or a date-like digit. */
static int byline_line(const char *p, size_t n)
{
    if (n < 4 || n > 160 || strncasecmp(p, "by ", 3) != 0 || !isupper((unsigned char)p[3]))
        return 0;
    int digit = 0;
    for (size_t i = 0; i < n && !digit; i++)
        digit = isdigit((unsigned char)p[i]);
    return digit || contains_ci(p, n, "\xc2\xb7") || contains_ci(p, n, "|") ||
           contains_ci(p, n, " - ");
}

/* A short line that asks the reader to do something other than read: subscribe, sign up,
 * follow, accept cookies. (Matched as words anywhere in a short line.) */
static int call_to_action(const char *p, size_t n)
{
    static const char *const words[] = {"subscribe", "newsletter", "sign up", "signup",
                                        "follow us", "click here", "all rights reserved",
                                        "terms of use", "privacy policy", "cookie", "inbox",
                                        "e-mail:", "email:", "log in", "comment policy",
                                        "comments (", NULL};
    /* a cookie banner runs long; other calls are short */
    if (n > 400 || (n > 160 && !(n >= 7 && strncasecmp(p, "we use ", 7) == 0) &&
                    !contains_ci(p, n, "cookies")))
        return 0;
    for (const char *const *w = words; *w; w++) {
        size_t k = strlen(*w);
        for (size_t i = 0; i + k <= n; i++)
            if (strncasecmp(p + i, *w, k) == 0)
                return 1;
    }
    return 0;
}

/* A photo credit or caption label standing alone: "Jane Roe | Agency | Getty Images", "Jason
 * Kempin/Getty Images", "(Photo: Getty Images)", "Image: …". Short, no sentence end, and either
 * labelled as a photo or made of capitalised names between separators. */
static int credit_line(const char *p, size_t n)
{
    static const char *const labels[] = {"photo", "(photo", "image:", "(image", "credit:",
                                         "photograph", "[photo", NULL};
    if (n > 100 || (n && strchr(".!?", p[n - 1])))
        return 0;
    for (const char *const *l = labels; *l; l++)
        if (n >= strlen(*l) && strncasecmp(p, *l, strlen(*l)) == 0)
            return 1;
    int seps = 0, words = 0, caps = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '|' || p[i] == '/')
            seps++;
        if ((i == 0 || p[i - 1] == ' ' || p[i - 1] == '/' || p[i - 1] == '|') &&
            isalpha((unsigned char)p[i])) {
            words++;
            caps += isupper((unsigned char)p[i]) != 0;
        }
    }
    return seps >= 1 && words >= 2 && caps * 10 >= words * 8;
}

static int repeats_title(const qt_html *h, const char *p, size_t n)
{
    for (int i = 0; i < 3; i++)
        if (h->titles[i] && strlen(h->titles[i]) == n && strncasecmp(h->titles[i], p, n) == 0)
            return 1;
    return 0;
}

/* End the paragraph being built: keep it (counting it in *n_paras) unless it is empty, mostly
 * links, or boilerplate. */
static qt_status flush(qt_html *h, size_t *link_chars, size_t *n_paras)
{
    qt_buf *pb = &h->para;
    size_t s = 0, e = pb->len;
    while (s < e && (pb->data[s] == ' ' || pb->data[s] == '\n'))
        s++;
    while (e > s && (pb->data[e - 1] == ' ' || pb->data[e - 1] == '\n'))
        e--;
    size_t n = e - s;
    int keep = n > 0 && !boilerplate_line(pb->data + s, n) &&
               !call_to_action(pb->data + s, n) && !credit_line(pb->data + s, n) &&
               !furniture_line(pb->data + s, n) && !byline_line(pb->data + s, n) &&
               !(*link_chars * 2 > n && n < 400) &&
               !repeats_title(h, pb->data + s, n);
    qt_status rc = QT_OK;
    if (keep) {
        (*n_paras)++;
        if (h->text.len)
            rc = qt_buf_append(&h->text, "\n\n", 2);
        if (rc == QT_OK)
            rc = qt_buf_append(&h->text, pb->data + s, n);
    }
    qt_buf_reset(pb);
    *link_chars = 0;
    return rc;
}

/* Emit the paragraphs of the subtree at root, in document order. */
static qt_status emit(qt_html *h, xmlNodePtr root, size_t *n_paras)
{
    size_t sp = 0, link_chars = 0;
    /* a NULL on the stack marks the end of a block element: flush there */
    if (!push(h, &sp, root))
        return QT_ENOMEM;
    while (sp) {
        xmlNodePtr n = h->stack[--sp];
        if (!n) {
            if (flush(h, &link_chars, n_paras) != QT_OK)
                return QT_ENOMEM;
            continue;
        }
        if (n->type == XML_TEXT_NODE && n->content) {
            size_t was = h->para.len;
            if (put_text(&h->para, n->content) != QT_OK)
                return QT_ENOMEM;
            for (xmlNodePtr a = n->parent; a && a != root; a = a->parent)
                if (name_is(a, "a")) {
                    link_chars += h->para.len - was;
                    break;
                }
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        nstat *s = st(h, n);
        if ((s && gone(h, s)) || name_is(n, "h1"))
            continue;
        if (name_is(n, "br")) {
            if (qt_buf_putc(&h->para, '\n') != QT_OK)
                return QT_ENOMEM;
            continue;
        }
        int block = is_block(n);
        if (block) {
            if (flush(h, &link_chars, n_paras) != QT_OK)
                return QT_ENOMEM;
            if (!push(h, &sp, NULL))
                return QT_ENOMEM;
        }
        for (xmlNodePtr c = n->last; c; c = c->prev)
            if (!push(h, &sp, c))
                return QT_ENOMEM;
    }
    return flush(h, &link_chars, n_paras);
}

/* An article split into sibling sections ("chunks" of a long story) leaves the best-scoring
 * container holding only part of it: climb while the parent holds clearly more good-paragraph
 * text (long, few links) than the container, without becoming mostly links itself. */
static xmlNodePtr expand(qt_html *h, xmlNodePtr top)
{
    xmlNodePtr best = top, cur = top;
    for (int up = 0; up < 64; up++) {
        xmlNodePtr p = cur->parent;
        nstat *ps = p && p->type == XML_ELEMENT_NODE ? st(h, p) : NULL;
        if (!ps || gone(h, ps) || name_is(p, "body") || name_is(p, "html") ||
            ps->links * 2 > ps->text)
            break;
        if ((uint64_t)ps->good * 4 >= (uint64_t)st(h, best)->good * 5)
            best = p;                       /* clearly more of the article */
        else if (ps->good != st(h, cur)->good)
            break;                          /* more of something else */
        cur = p;                            /* (a wrapper adds nothing: look further up) */
    }
    return best;
}

/* The candidate, and its siblings that look like more of the same article (Readability's
 * rule): a high score, or a long paragraph with few links. */
static qt_status emit_article(qt_html *h, xmlNodePtr top, size_t *n_paras)
{
    top = expand(h, top);
    nstat *ts = st(h, top);
    float threshold = ts->score * 0.2f > 10 ? ts->score * 0.2f : 10;
    xmlNodePtr parent = top->parent;
    if (!parent || parent->type != XML_ELEMENT_NODE)
        return emit(h, top, n_paras);
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        nstat *s = c->type == XML_ELEMENT_NODE ? st(h, c) : NULL;
        if (!s || gone(h, s))
            continue;
        int take = c == top || (s->scored && s->score >= threshold);
        if (!take && name_is(c, "p") && s->text) {
            float ld = (float)s->links / (float)s->text;
            take = (s->text > 80 && ld < 0.25f) || (s->text <= 80 && s->links == 0 && s->text > 20);
        }
        if (take && emit(h, c, n_paras) != QT_OK)
            return QT_ENOMEM;
    }
    return QT_OK;
}

/* ---- metadata --------------------------------------------------------------------------------- */

static const char *dup_trim(qt_html *h, const char *s)
{
    if (!s)
        return NULL;
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (!n)
        return NULL;
    /* collapse inner whitespace runs */
    char *o = qt_arena_alloc(&h->meta, n + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) {
            if (k && o[k - 1] != ' ')
                o[k++] = ' ';
        } else {
            o[k++] = s[i];
        }
    }
    o[k] = 0;
    return o;
}

/* The text of an element's subtree (for <title>, <h1>, a byline element). */
static const char *text_of(qt_html *h, xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *r = c ? dup_trim(h, (const char *)c) : NULL;
    xmlFree(c);
    return r;
}

/* "Headline | Site" or "Headline - Site" -> "Headline", when the tail is the site's name or
 * short; a title without such a tail is kept whole. */
static const char *strip_site(qt_html *h, const char *t, const char *site)
{
    static const char *const seps[] = {" | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " :: ", NULL};
    const char *cut = NULL;
    for (const char *const *sp = seps; *sp; sp++) {
        const char *p = t, *last = NULL;
        while ((p = strstr(p, *sp)) != NULL)
            last = p++;
        if (last && (!cut || last > cut))
            cut = last;
    }
    if (!cut)
        return t;
    const char *tail = strchr(cut + 1, ' ') + 1;
    if ((site && strcasecmp(tail, site) == 0) || strlen(tail) < 30)
        return qt_arena_strndup(&h->meta, t, (size_t)(cut - t));
    return t;
}

/* A date written out on the page: "March 11, 2024", "Nov. 19, 2019", "11 March 2024",
 * "2024-03-11". Writes "YYYY-MM-DD" into out and returns 1, or returns 0. */
static int visible_date(const char *s, char out[11])
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)p[0]) && strlen(p) >= 10 && p[4] == '-' && p[7] == '-' &&
            isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[8]) &&
            isdigit((unsigned char)p[3]) && (p == s || !isalnum((unsigned char)p[-1]))) {
            memcpy(out, p, 10);
            out[10] = 0;
            return 1;
        }
        if (!isalpha((unsigned char)*p) || (p > s && isalpha((unsigned char)p[-1])))
            continue;
        for (int m = 0; m < 12; m++) {
            if (strncasecmp(p, months[m], 3) != 0)
                continue;
            const char *q = p + 3;
            while (isalpha((unsigned char)*q) || *q == '.')
                q++;
            int day = 0, year = 0;
            const char *r = q;
            while (*r == ' ')
                r++;
            size_t nd = strspn(r, "0123456789");
            if (nd == 1 || nd == 2) {
                day = (int)strtol(r, (char **)&r, 10);       /* "March 11, 2024" */
                if (*r == ',')
                    r++;
                while (*r == ' ')
                    r++;
                year = isdigit((unsigned char)*r) ? (int)strtol(r, NULL, 10) : 0;
            } else {                                         /* "11 March 2024" */
                const char *b = p - 1;
                while (b > s && *b == ' ')
                    b--;
                const char *d = b;
                while (d > s && isdigit((unsigned char)d[-1]))
                    d--;
                if (isdigit((unsigned char)*b) && b - d < 2)
                    day = (int)strtol(d, NULL, 10);
                year = isdigit((unsigned char)*r) ? (int)strtol(r, NULL, 10) : 0;
            }
            if (day >= 1 && day <= 31 && year >= 1900 && year <= 2100) {
                snprintf(out, 11, "%04d-%02d-%02d", year, m + 1, day);
                return 1;
            }
        }
    }
    return 0;
}

/* "datePublished": "2019-11-18T…" inside a JSON-LD script, without parsing the JSON. */
static const char *jsonld_date(qt_html *h, const char *js)
{
    const char *k = strstr(js, "\"datePublished\"");
    if (!k)
        return NULL;
    k = strchr(k + 15, '"');
    if (!k)
        return NULL;
    const char *e = strchr(k + 1, '"');
    return e && e - k < 64 ? qt_arena_strndup(&h->meta, k + 1, (size_t)(e - k - 1)) : NULL;
}

static void read_meta(qt_html *h, xmlDocPtr doc, qt_page *out)
{
    const char *og_title = NULL, *doc_title = NULL, *h1 = NULL, *author = NULL, *time_dt = NULL;
    const char *pub = NULL, *site = NULL, *canon = NULL, *og_url = NULL, *ld_date = NULL;
    const char *byline_el = NULL, *shown_date = NULL;
    size_t sp = 0;
    if (!push(h, &sp, xmlDocGetRootElement(doc)))
        return;
    while (sp) {
        xmlNodePtr n = h->stack[--sp];
        if (!n || n->type != XML_ELEMENT_NODE)
            continue;
        if (name_is(n, "meta")) {
            const char *p = attr(n, "property"), *nm = attr(n, "name"), *c = attr(n, "content");
            const char *ip = attr(n, "itemprop");
            const char *key = p ? p : nm ? nm : ip;
            if (key && c) {
                if (!strcasecmp(key, "og:title"))
                    og_title = c;
                else if (!strcasecmp(key, "og:site_name"))
                    site = c;
                else if (!strcasecmp(key, "og:url"))
                    og_url = c;
                else if (!pub && (!strcasecmp(key, "article:published_time") ||
                                  !strcasecmp(key, "datePublished") ||
                                  !strcasecmp(key, "pubdate") || !strcasecmp(key, "date") ||
                                  !strcasecmp(key, "dc.date.issued") ||
                                  !strcasecmp(key, "sailthru.date")))
                    pub = c;
                else if (!author && (!strcasecmp(key, "author") || !strcasecmp(key, "article:author") ||
                                     !strcasecmp(key, "sailthru.author")) &&
                         !strstr(c, "://"))
                    author = c;
            }
        } else if (name_is(n, "link")) {
            const char *rel = attr(n, "rel");
            if (rel && !strcasecmp(rel, "canonical") && !canon)
                canon = attr(n, "href");
        } else if (name_is(n, "title") && !doc_title) {
            doc_title = text_of(h, n);
        } else if (name_is(n, "h1") && !h1) {
            h1 = text_of(h, n);
        } else if (name_is(n, "time") && !time_dt) {
            time_dt = attr(n, "datetime");
            if (!time_dt)
                shown_date = shown_date ? shown_date : text_of(h, n);
        } else if (name_is(n, "script")) {
            const char *t = attr(n, "type");
            if (t && strstr(t, "ld+json") && !ld_date && n->children && n->children->content)
                ld_date = jsonld_date(h, (const char *)n->children->content);
            continue;
        } else if (!byline_el) {
            const char *cl = attr(n, "class"), *rel = attr(n, "rel");
            if ((cl && (has_token(cl, "byline") || has_token(cl, "author"))) ||
                (rel && !strcasecmp(rel, "author"))) {
                const char *t = text_of(h, n);
                if (t && strlen(t) < 80)
                    byline_el = t;
            }
            /* a visible date near the top: an element whose class says date or time */
            if (!shown_date && cl && (has_token(cl, "date") || has_token(cl, "time") ||
                                      has_token(cl, "published") || has_token(cl, "dateline")))
                shown_date = text_of(h, n);
        }
        for (xmlNodePtr c = n->last; c; c = c->prev)
            if (c->type == XML_ELEMENT_NODE && !push(h, &sp, c))
                return;
    }
    h->titles[0] = h1;
    h->titles[1] = og_title ? dup_trim(h, og_title) : NULL;
    h->titles[2] = doc_title;
    out->site = dup_trim(h, site);
    /* the first <h1> is the headline unless it is the site's logo: the site's name, or a few
     * words that the page's own <title> or og:title does not start with */
    const char *named = h->titles[1] ? h->titles[1] : doc_title;
    int logo = h1 && ((out->site && strcasecmp(h1, out->site) == 0) ||
                      (named && strlen(h1) * 2 < strlen(named) &&
                       strncasecmp(named, h1, strlen(h1)) != 0));
    out->title = h1 && !logo ? h1 : named ? strip_site(h, named, out->site) : h1;
    out->byline = author ? dup_trim(h, author) : byline_el;
    out->published = pub ? dup_trim(h, pub) : ld_date ? ld_date : time_dt ? dup_trim(h, time_dt)
                                                                            : NULL;
    char d[11];
    if (!out->published && shown_date && strlen(shown_date) < 200 && visible_date(shown_date, d))
        out->published = qt_arena_strndup(&h->meta, d, 10);
    out->url = dup_trim(h, canon ? canon : og_url);
}

/* ---- charset ------------------------------------------------------------------------------------ */

static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

/* The page's own charset declaration in its first 4 KB (<meta charset=…> or content=…charset=),
 * copied to out; 0 if none. */
static int declared_charset(const char *html, size_t n, char *out, size_t cap)
{
    size_t lim = n < 4096 ? n : 4096;
    for (size_t i = 0; i + 8 < lim; i++) {
        if (strncasecmp(html + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < lim && (html[j] == ' ' || html[j] == '=' || html[j] == '"' || html[j] == '\''))
            j++;
        size_t k = 0;
        while (j < lim && k + 1 < cap &&
               (isalnum((unsigned char)html[j]) || html[j] == '-' || html[j] == '_'))
            out[k++] = html[j++];
        out[k] = 0;
        if (k)
            return 1;
    }
    return 0;
}

#define HEAD_JUNK 40   /* longest leading non-sentence dropped, in bytes */

/* Drop short paragraphs that are no sentence from the end of the body: the headings of lists
 * that follow an article ("More Great Stories", "Related Coverage", "Tags"). */
static void trim_tail(qt_html *h, size_t *paras)
{
    qt_buf *b = &h->text;
    while (b->len && *paras > 1) {
        size_t s = b->len;
        while (s >= 2 && !(b->data[s - 1] == '\n' && b->data[s - 2] == '\n'))
            s--;
        if (s < 2)
            return;
        size_t n = b->len - s;
        char last = b->data[b->len - 1];
        if (n >= 80 || strchr(".!?\"')", last) || (unsigned char)last >= 0x80)
            return;
        for (size_t i = s; i < b->len; i++)
            if (isdigit((unsigned char)b->data[i]))
                return;       /* a table row ("Revs 2,658,692 vs 1,478,066"), not a heading */
        b->len = s - 2;
        b->data[b->len] = 0;
        (*paras)--;
    }
}

/* The same at the start: a byline, a date or a label ("TRENDING:") left above the first
 * paragraph. Shorter than a tail heading, since a short lead sentence is common. */
static void trim_head(qt_html *h, size_t *paras)
{
    qt_buf *b = &h->text;
    while (b->len && *paras > 2) {
        const char *e = strstr(b->data, "\n\n");
        if (!e)
            return;
        size_t n = (size_t)(e - b->data);
        char last = n ? b->data[n - 1] : '.';
        if (n >= HEAD_JUNK || strchr(".!?\"')", last) || (unsigned char)last >= 0x80)
            return;
        memmove(b->data, e + 2, b->len - n - 2 + 1);
        b->len -= n + 2;
        (*paras)--;
    }
}

/* Fewer characters than this from the first try mean it missed the article (design note 2). */
#define MIN_ARTICLE 250

/* Neither the header nor the page says, and the bytes are not UTF-8: uchardet's guess from the
 * byte statistics (Cyrillic, Greek, CJK encodings …), else fallback. The name is copied into a
 * static buffer per thread: the result is used before the next call. */
static const char *guess_charset(const char *html, size_t n, const char *fallback)
{
    static _Thread_local char name[64];
    uchardet_t u = uchardet_new();
    if (!u)
        return fallback;
    const char *r = fallback;
    if (uchardet_handle_data(u, html, n) == 0) {
        uchardet_data_end(u);
        const char *g = uchardet_get_charset(u);
        if (g && *g && strcasecmp(g, "ascii") != 0 && strlen(g) < sizeof name) {
            strcpy(name, g);
            r = name;
        }
    }
    uchardet_delete(u);
    return r;
}

static int single_byte_charset(const char *cs)
{
    static const char *const names[] = {"iso-8859-1", "latin1", "latin-1", "windows-1252",
                                        "cp1252", "us-ascii", "ascii", "iso-8859-15", NULL};
    for (const char *const *x = names; *x; x++)
        if (strcasecmp(cs, *x) == 0)
            return 1;
    return 0;
}

/* The charset to decode with: the HTTP header's, else the page's own declaration, unless the
 * bytes contradict it. Bytes that are valid UTF-8 with at least one multi-byte sequence are
 * UTF-8 whatever a single-byte declaration says (Latin-1 text is almost never valid UTF-8);
 * bytes declared UTF-8 that are not are Windows-1252, the usual mislabelled case. NULL lets
 * libxml2 read the declaration itself. */
static const char *choose_charset(const char *html, size_t n, const char *header)
{
    static const char *const UTF8 = "UTF-8", *const CP1252 = "windows-1252";
    char decl[40];
    const char *cs = header;
    if (!cs && declared_charset(html, n, decl, sizeof decl))
        cs = decl;
    int multi = 0;
    for (size_t i = 0; i < n && !multi; i++)
        multi = (unsigned char)html[i] >= 0x80;
    int utf8 = valid_utf8((const unsigned char *)html, n);
    if (!cs)
        return utf8 ? UTF8 : guess_charset(html, n, CP1252);
    if (utf8 && multi && single_byte_charset(cs))
        return UTF8;
    if (!utf8 && (strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0))
        return CP1252;
    return header;      /* a declaration libxml2 reads itself, or the header's */
}

/* ---- attribute thinning (design note 6) --------------------------------------------------------- */

#define MAX_ATTRS 128   /* attributes kept per start tag; the extractor reads a handful */

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Scan the page's start tags as the HTML tokeniser does, closely enough to count attributes.
 * With out NULL, only say whether any tag has more than MAX_ATTRS (1) or not (0); otherwise
 * append the page to out without the attributes past the first MAX_ATTRS of each tag. Returns
 * 0/1, or -1 when out could not grow. */
static int thin_attrs(const char *html, size_t n, qt_buf *out)
{
    const unsigned char *p = (const unsigned char *)html;
    size_t i = 0, copied = 0;   /* p[copied, i) is still to be appended */
    int found = 0;
    while (i < n) {
        const unsigned char *lt = memchr(p + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - p) + 1;
        if (i + 2 < n && p[i] == '!' && p[i + 1] == '-' && p[i + 2] == '-') {
            const char *end = NULL;
            for (size_t k = i + 3; k + 2 < n && !end; k++)
                if (p[k] == '-' && p[k + 1] == '-' && p[k + 2] == '>')
                    end = (const char *)p + k;
            i = end ? (size_t)(end - html) + 3 : n;
            continue;
        }
        if (i >= n || !((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z'))
            continue;
        while (i < n && !is_space(p[i]) && p[i] != '>' && p[i] != '/')
            i++;
        size_t count = 0;
        while (i < n && p[i] != '>') {
            size_t start = i;
            while (i < n && (is_space(p[i]) || p[i] == '/'))
                i++;
            if (i >= n || p[i] == '>')
                break;
            size_t name = i;
            /* a name, then an optional '= value', quoted or not */
            while (i < n && !is_space(p[i]) && p[i] != '>' && p[i] != '/' && (i == name || p[i] != '='))
                i++;
            size_t k = i;
            while (k < n && is_space(p[k]))
                k++;
            if (k < n && p[k] == '=') {
                for (k++; k < n && is_space(p[k]); k++)
                    ;
                if (k < n && (p[k] == '"' || p[k] == '\'')) {
                    const unsigned char *q = memchr(p + k + 1, p[k], n - k - 1);
                    k = q ? (size_t)(q - p) + 1 : n;
                } else {
                    while (k < n && !is_space(p[k]) && p[k] != '>')
                        k++;
                }
                i = k;
            }
            if (++count <= MAX_ATTRS)
                continue;
            if (!out)
                return 1;
            found = 1;
            /* drop [start, i): append what came before it */
            if (qt_buf_append(out, html + copied, start - copied) != QT_OK)
                return -1;
            copied = i;
        }
    }
    if (out && found && qt_buf_append(out, html + copied, n - copied) != QT_OK)
        return -1;
    return found;
}

/* ---- API ---------------------------------------------------------------------------------------- */

qt_status qt_html_new(qt_html **out, qt_err *err)
{
    xmlInitParser();
    qt_html *h = calloc(1, sizeof *h);
    if (!h)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    *out = h;
    return QT_OK;
}

void qt_html_set_max_depth(qt_html *h, uint32_t depth)
{
    if (h)
        h->max_depth = depth;
}

void qt_html_free(qt_html *h)
{
    if (!h)
        return;
    qt_buf_release(&h->text);
    qt_buf_release(&h->para);
    qt_arena_free(&h->meta);
    free(h->stats);
    free(h->stack);
    free(h);
}

qt_status qt_html_extract(qt_html *h, const char *html, size_t n, const char *charset,
                          const char *base_url, qt_page *out, qt_err *err)
{
    memset(out, 0, sizeof *out);
    qt_buf_reset(&h->text);
    qt_buf_reset(&h->para);
    qt_arena_reset(&h->meta);
    memset(h->titles, 0, sizeof h->titles);
    h->n_stats = 0;
    if (n > INT32_MAX)
        return qt_fail(err, QT_ETOOBIG, "page larger than 2 GiB");
    const char *enc = choose_charset(html, n, charset);
    /* XML_PARSE_HUGE: a 50 MB paragraph is text, not an attack on the parser */
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
               HTML_PARSE_NONET | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
    /* libxml2 (2.9) compares each attribute with every earlier one of its tag: a tag with 10^5
     * attributes would take minutes, so such tags lose all but their first MAX_ATTRS */
    qt_buf thin = QT_BUF_INIT;
    if (thin_attrs(html, n, NULL)) {
        if (thin_attrs(html, n, &thin) < 0) {
            qt_buf_release(&thin);
            return qt_fail(err, QT_ENOMEM, "out of memory");
        }
        html = thin.data;
        n = thin.len;
    }
    xmlDocPtr doc = htmlReadMemory(html, (int)n, base_url, enc, opts);
    qt_buf_release(&thin);
    if (!doc || !xmlDocGetRootElement(doc)) {
        xmlFreeDoc(doc);
        out->text = "";
        return QT_OK;
    }
    qt_status rc = QT_OK;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    /* Nesting past any real page's is an attack or a broken generator; every walk below is
     * iterative (design note 1), so this guards time and memory, not the stack. */
    if (h->max_depth && element_depth(root, h->max_depth) > h->max_depth) {
        xmlFreeDoc(doc);
        char arg[64], raise[80];
        return qt_fail(err, QT_ETOOBIG, "the page nests elements deeper than %s, skipped; %s",
                       qt_limit_arg("html-depth", h->max_depth, arg),
                       qt_limit_raise("html-depth", h->max_depth, raise));
    }
    read_meta(h, doc, out);
    rc = measure(h, root);
    size_t paras = 0;
    if (rc == QT_OK)
        mark_class_skips(h, st(h, root) ? st(h, root)->text : 0);
    /* Readability's second chance: when the words of classes left too little, try without */
    for (h->use_class = 1; rc == QT_OK && h->use_class >= 0; h->use_class--) {
        for (size_t i = 0; i < h->n_stats; i++)
            h->stats[i].scored = 0, h->stats[i].score = 0, h->stats[i].good = 0;
        qt_buf_reset(&h->text);
        paras = 0;
        xmlNodePtr top = best_candidate(h, root);
        if (top)
            rc = emit_article(h, top, &paras);
        if (rc == QT_OK) {
            trim_tail(h, &paras);
            trim_head(h, &paras);
        }
        if (h->text.len >= MIN_ARTICLE)
            break;
    }
    xmlFreeDoc(doc);
    if (rc != QT_OK)
        return qt_fail(err, rc, "out of memory");
    out->text = h->text.data ? h->text.data : "";
    out->text_len = h->text.len;
    out->n_paragraphs = paras;
    return QT_OK;
}
