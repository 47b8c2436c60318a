/*
 * venue.c - one key per outlet, however an article names it.
 *
 * "PEOPLE", "People" and "People Magazine" are one venue; so are "the Morning Dock Show" and
 * "Morning Dock". The key is the folded name without a leading article or trailing medium words,
 * then looked up in the engine's alias table (data/venues.tsv plus the file named by QT_VENUES),
 * which holds what no rule can see: abbreviations and renamings.
 */
#include "quotes/qt_quotes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Words that say what kind of medium a venue is, not which one. */
static const char *const generic[] = {"magazine", "show", "radio", "podcast", "newspaper",
                                      "network", "channel", "tv", "station", "program",
                                      "programme", "blog", "website", "online", "digital",
                                      "news", NULL};

static int is_generic(const char *w, size_t n)
{
    for (const char *const *g = generic; *g; g++)
        if (strlen(*g) == n && memcmp(*g, w, n) == 0)
            return 1;
    return 0;
}

/* Fold and trim a venue name into out (cap bytes): the key before the alias table. */
static size_t base_key(const char *v, char *out, size_t cap)
{
    char f[256];
    size_t n = qt_fold(v, strlen(v), f, sizeof f);
    /* "Harbor FM's The Morning Dock Show": the show is the venue, its network the owner */
    for (size_t i = 0; i + 3 < n; i++)
        if (f[i] == '\'' && f[i + 1] == 's' && f[i + 2] == ' ') {
            memmove(f, f + i + 3, n - i - 3);
            n -= i + 3;
            break;
        }
    /* words: keep letters, digits and '&', squeeze everything else to one space */
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < sizeof f; i++) {
        unsigned char c = (unsigned char)f[i];
        int keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '&' || c >= 0x80;
        if (keep)
            f[o++] = (char)c;
        else if (o && f[o - 1] != ' ')
            f[o++] = ' ';
    }
    while (o && f[o - 1] == ' ')
        o--;
    f[o] = '\0';
    const char *s = f;
    if (strncmp(s, "the ", 4) == 0)
        s += 4;
    size_t len = strlen(s);
    /* drop trailing medium words while a name remains ("people magazine" -> "people") */
    for (;;) {
        size_t sp = len;
        while (sp > 0 && s[sp - 1] != ' ')
            sp--;
        if (sp == 0 || !is_generic(s + sp, len - sp))
            break;
        len = sp - 1;
    }
    if (len >= cap)
        len = cap - 1;
    memcpy(out, s, len);
    out[len] = '\0';
    return len;
}

const char *qt_venue_key(const qt_engine *e, const char *venue, char *out, size_t cap)
{
    if (!venue || cap == 0)
        return NULL;
    base_key(venue, out, cap);
    for (size_t i = 0; i < e->n_venue_aliases; i++)
        if (strcmp(e->venue_aliases[i].alias, out) == 0) {
            snprintf(out, cap, "%s", e->venue_aliases[i].canonical);
            break;
        }
    return out[0] ? out : NULL;
}

/* Parse "ALIAS<TAB>CANONICAL" lines (comments '#', a header line "alias<TAB>...") into e. */
static qt_status add_aliases(qt_engine *e, const char *data, const char *what, qt_err *err)
{
    for (const char *line = data; line && *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const char *next = eol ? eol + 1 : line + len;
        const char *tab = memchr(line, '\t', len);
        if (len && line[0] != '#' && strncmp(line, "alias\t", 6) != 0) {
            if (!tab)
                return qt_fail(err, QT_EFORMAT, "%s: a line without a tab: '%.*s'", what,
                               (int)(len > 60 ? 60 : len), line);
            char a[256], c[256];
            snprintf(a, sizeof a, "%.*s", (int)(tab - line), line);
            snprintf(c, sizeof c, "%.*s", (int)(line + len - tab - 1), tab + 1);
            qt_venue_alias *grown = realloc(e->venue_aliases,
                                            (e->n_venue_aliases + 1) * sizeof *grown);
            if (!grown)
                return qt_fail(err, QT_ENOMEM, "out of memory");
            e->venue_aliases = grown;
            qt_venue_alias *v = &e->venue_aliases[e->n_venue_aliases++];
            base_key(a, v->alias, sizeof v->alias);
            base_key(c, v->canonical, sizeof v->canonical);
        }
        line = next;
    }
    return QT_OK;
}

extern const char qt_data_venues[];

qt_status qt_venues_load(qt_engine *e, qt_err *err)
{
    qt_status rc = add_aliases(e, qt_data_venues, "data/venues.tsv", err);
    const char *path = getenv("QT_VENUES");
    if (rc != QT_OK || !path || !*path)
        return rc;
    FILE *f = fopen(path, "rb");
    if (!f)
        return qt_fail(err, QT_EIO, "cannot open QT_VENUES file '%s'", path);
    qt_buf b = QT_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < ((size_t)1 << 20))
        if (qt_buf_append(&b, chunk, n) != QT_OK)
            break;
    fclose(f);
    rc = add_aliases(e, b.data ? b.data : "", path, err);
    qt_buf_release(&b);
    return rc;
}
