/*
 * qt_extract.h - a web page's article: its headline, byline, date, site and body paragraphs.
 *
 * Contract. qt_html_extract() takes the bytes of one HTML page, in any charset, and gives back
 * the article in it: metadata from <meta>, JSON-LD and the visible page, and the body as plain
 * UTF-8 paragraphs in reading order, separated by one blank line, without the headline and
 * without boilerplate (navigation, share and "related" lists, captions and photo credits,
 * comment prompts, banners, ads). Headings, blockquotes and list items inside the article stay,
 * each as a paragraph. Nothing here names a site: every rule reads the page's own structure.
 *
 * Memory: a qt_html holds the buffers of the last page; everything a qt_page points to is valid
 * until the next qt_html_extract() on the same qt_html or qt_html_free(). One qt_html per
 * thread; libxml2 is initialised once by qt_html_new().
 */
#ifndef QT_EXTRACT_H
#define QT_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "quotetrail.h"

typedef struct qt_page {
    const char *title;       /* the headline, or NULL */
    const char *byline;      /* the author(s) as the page names them, or NULL */
    const char *published;   /* the publication date as the page gives it (ISO 8601 mostly) */
    const char *site;        /* the site's name (og:site_name), or NULL */
    const char *url;         /* the canonical URL, or NULL */
    const char *text;        /* the body: paragraphs separated by "\n\n"; "" when none */
    size_t text_len;
    size_t n_paragraphs;
} qt_page;

typedef struct qt_html qt_html;

qt_status qt_html_new(qt_html **out, qt_err *err);
void qt_html_free(qt_html *h);
/* Refuse pages nesting elements deeper than depth (qt_limits.html_depth; 0: no limit) with
 * QT_ETOOBIG. This function can't fail. */
void qt_html_set_max_depth(qt_html *h, uint32_t depth);

/* Extract the article of html[0..n). charset is the HTTP header's charset, or NULL to take the
 * page's own declaration (or guess). base_url, if known, resolves a relative canonical link.
 * Returns QT_OK (also for a page with no article: text is then ""), QT_ENOMEM, or QT_EINVAL
 * when the bytes are not HTML at all. */
qt_status qt_html_extract(qt_html *h, const char *html, size_t n, const char *charset,
                          const char *base_url, qt_page *out, qt_err *err);

#endif
