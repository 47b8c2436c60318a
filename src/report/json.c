/*
 * json.c - DESIGN.md records as JSON lines.
 *
 * Hand-written rather than built as a jansson tree: one record per article is written once, and
 * building a tree would cost an allocation per field on the hottest output path. Each record is
 * assembled in a per-thread buffer that is reused from article to article, then written with one
 * fwrite: stdio calls per field (and printf for every number) were a tenth of extract's time.
 */
#include "core/qt_core.h"

#include <stdio.h>
#include <string.h>

/* Append helpers ignore allocation failure: qt_write_json() first reserves the most a record
 * can take (record_size()), so no append inside it ever grows the buffer. */
#define PUT(b, s) qt_buf_append((b), (s), sizeof(s) - 1)

static void put_uint(qt_buf *b, size_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    qt_buf_append(b, tmp + i, sizeof tmp - i);
}

static void put_str(qt_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    qt_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        qt_buf_append(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': PUT(b, "\\\""); break;
        case '\\': PUT(b, "\\\\"); break;
        case '\n': PUT(b, "\\n"); break;
        case '\r': PUT(b, "\\r"); break;
        case '\t': PUT(b, "\\t"); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            qt_buf_append(b, u, sizeof u);
        }
        }
    }
    qt_buf_append(b, s + run, n - run);
    qt_buf_putc(b, '"');
}

static void put_cstr(qt_buf *b, const char *s)
{
    if (s)
        put_str(b, s, strlen(s));
    else
        PUT(b, "null");
}

/* ,"k": */
static void key(qt_buf *b, const char *k)
{
    PUT(b, ",\"");
    qt_buf_puts(b, k);
    PUT(b, "\":");
}

static void put_span_array(qt_buf *b, const char *k, size_t s, size_t e)
{
    key(b, k);
    if (e > s) {
        qt_buf_putc(b, '[');
        put_uint(b, s);
        qt_buf_putc(b, ',');
        put_uint(b, e);
        qt_buf_putc(b, ']');
    } else {
        PUT(b, "null");
    }
}

/* Two decimals, as confidences are printed: 0.00 .. 1.00. */
static void put_conf(qt_buf *b, double c)
{
    if (!(c > 0))
        c = 0;
    if (c > 1)
        c = 1;
    unsigned v = (unsigned)(c * 100 + 0.5);
    char t[4] = {(char)('0' + v / 100), '.', (char)('0' + v / 10 % 10), (char)('0' + v % 10)};
    qt_buf_append(b, t, 4);
}

/* The calibration cell, only when tools/calibrate.py asked for it (QT_CONFIDENCE_CELLS). */
static void put_cell(qt_buf *b, int cell)
{
    if (cell > 0) {
        char t[24];
        int n = snprintf(t, sizeof t, ",\"cell\":%d", cell);
        qt_buf_append(b, t, (size_t)n);
    }
}

static const char *const kinds[] = {"direct", "partial", "nested"};
static const char *const speaker_kinds[] = {"person", "organisation", "anonymous", "unknown"};
static const char *const attr_kinds[] = {"indirect", "according_to", "mixed"};

/* ,"name":{"start":S,"end":E,"text":"..."} - an empty span is written with start = end = 0. */
static void span(qt_buf *b, const char *name, const char *text, size_t s, size_t e)
{
    key(b, name);
    PUT(b, "{\"start\":");
    put_uint(b, e > s ? s : 0);
    PUT(b, ",\"end\":");
    put_uint(b, e > s ? e : 0);
    PUT(b, ",\"text\":");
    put_str(b, e > s ? text + s : "", e > s ? e - s : 0);
    qt_buf_putc(b, '}');
}

/* "key": the quote's shingle hashes, 8 hex digits each (with --fingerprints). */
static void put_key(qt_buf *b, const qt_quote *q)
{
    static const char hex[] = "0123456789abcdef";
    PUT(b, ",\"key\":\"");
    for (size_t i = 0; i < q->n_key; i++) {
        char t[8];
        for (int k = 0; k < 8; k++)
            t[k] = hex[(q->key[i] >> (28 - 4 * k)) & 15];
        qt_buf_append(b, t, 8);
    }
    PUT(b, "\"");
}

static void write_quote(qt_buf *b, const qt_article *a, const qt_quote *q, int flags)
{
    const char *base = q->in_title ? a->title : a->text;
    PUT(b, "{\"id\":\"");
    qt_buf_puts(b, q->id);
    PUT(b, "\",\"text\":");
    /* A quote of an article read back without its text carries its own words. */
    if (q->text)
        put_str(b, q->text, strlen(q->text));
    else
        put_str(b, base + q->start, q->end - q->start);
    PUT(b, ",\"start\":");
    put_uint(b, q->start);
    PUT(b, ",\"end\":");
    put_uint(b, q->end);
    PUT(b, ",\"in\":\"");
    qt_buf_puts(b, q->in_title ? "title" : "text");
    PUT(b, "\",\"kind\":\"");
    qt_buf_puts(b, kinds[q->kind]);
    PUT(b, "\",\"parent\":");
    if (q->parent >= 0) {
        qt_buf_putc(b, '"');
        qt_buf_puts(b, a->quotes[q->parent].id);
        qt_buf_putc(b, '"');
    } else {
        PUT(b, "null");
    }
    key(b, "speaker"); put_cstr(b, q->speaker);
    PUT(b, ",\"speaker_kind\":\"");
    qt_buf_puts(b, speaker_kinds[q->speaker_kind]);
    qt_buf_putc(b, '"');
    key(b, "speaker_mention"); put_cstr(b, q->speaker_mention);
    key(b, "cue"); put_cstr(b, q->cue);
    /* where the speaker and cue words are (text offsets), for span-level evaluation */
    put_span_array(b, "speaker_span", q->mention_start, q->mention_end);
    put_span_array(b, "cue_span", q->cue_start, q->cue_end);
    key(b, "venue"); put_cstr(b, q->venue);
    key(b, "venue_key"); put_cstr(b, q->venue_key);
    key(b, "rule"); put_cstr(b, q->rule);
    PUT(b, ",\"confidence\":");
    put_conf(b, q->confidence);
    put_cell(b, q->cell);
    if (flags & QT_JSON_FINGERPRINTS)
        put_key(b, q);
    qt_buf_putc(b, '}');
}

/* "fingerprint": {"minhash": 4 hex digits per position, "shingles": n, "names": 8 hex digits
 * per entity key}: what `link` needs. */
static void put_fingerprint(qt_buf *b, const qt_article *a)
{
    static const char hex[] = "0123456789abcdef";
    key(b, "fingerprint");
    PUT(b, "{\"minhash\":\"");
    for (size_t i = 0; i < a->n_minhash; i++) {
        unsigned v = a->minhash[i];
        char t[4] = {hex[v >> 12], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
        qt_buf_append(b, t, 4);
    }
    PUT(b, "\",\"shingles\":");
    put_uint(b, a->shingles);
    PUT(b, ",\"names\":\"");
    for (size_t i = 0; i < a->n_names; i++) {
        char t[8];
        for (int k = 0; k < 8; k++)
            t[k] = hex[(a->names[i] >> (28 - 4 * k)) & 15];
        qt_buf_append(b, t, 8);
    }
    PUT(b, "\"}");
}

static void write_record(qt_buf *b, const qt_article *a, int flags)
{
    PUT(b, "{\"schema\":");
    put_uint(b, QT_SCHEMA);
    key(b, "source"); put_cstr(b, a->source);
    key(b, "id"); put_cstr(b, a->id);
    key(b, "hash"); put_cstr(b, a->hash);
    key(b, "url"); put_cstr(b, a->url);
    key(b, "title"); put_cstr(b, a->title);
    key(b, "site"); put_cstr(b, a->site);
    key(b, "byline"); put_cstr(b, a->byline);
    key(b, "published"); put_cstr(b, a->published);
    key(b, "published_inferred");
    if (a->published_inferred) {
        PUT(b, "{\"from\":");
        put_cstr(b, a->published_inferred->from);
        PUT(b, ",\"to\":");
        put_cstr(b, a->published_inferred->to);
        PUT(b, ",\"evidence\":");
        put_cstr(b, a->published_inferred->evidence);
        qt_buf_putc(b, '}');
    } else {
        PUT(b, "null");
    }
    key(b, "rating"); put_cstr(b, a->rating);
    key(b, "engine"); put_uint(b, QT_ENGINE_VERSION);
    if (flags & QT_JSON_FINGERPRINTS) {
        /* What `link` needs besides the fingerprint to store the article as ingest would. */
        qt_buf_puts(b, a->title_given ? ",\"title_given\":true" : ",\"title_given\":false");
        put_fingerprint(b, a);
    }
    if ((flags & QT_JSON_TEXT) && a->text) {
        key(b, "text");
        put_str(b, a->text, a->text_len);
    }
    key(b, "blocks");
    qt_buf_putc(b, '[');
    for (size_t i = 0; i < a->n_blocks; i++) {
        qt_buf_puts(b, i ? ",{\"start\":" : "{\"start\":");
        put_uint(b, a->blocks[i].start);
        PUT(b, ",\"end\":");
        put_uint(b, a->blocks[i].end);
        PUT(b, ",\"role\":\"");
        qt_buf_puts(b, a->blocks[i].role);
        PUT(b, "\"}");
    }
    qt_buf_putc(b, ']');
    key(b, "quotes");
    qt_buf_putc(b, '[');
    for (size_t i = 0; i < a->n_quotes; i++) {
        if (i)
            qt_buf_putc(b, ',');
        write_quote(b, a, &a->quotes[i], flags);
    }
    qt_buf_putc(b, ']');
    key(b, "attributions");
    qt_buf_putc(b, '[');
    for (size_t i = 0; i < a->n_attributions; i++) {
        const qt_attribution *t = &a->attributions[i];
        qt_buf_puts(b, i ? ",{\"kind\":\"" : "{\"kind\":\"");
        qt_buf_puts(b, attr_kinds[t->kind]);
        qt_buf_putc(b, '"');
        span(b, "source", a->text, t->source_start, t->source_end);
        span(b, "cue", a->text, t->cue_start, t->cue_end);
        span(b, "content", a->text, t->content_start, t->content_end);
        key(b, "speaker"); put_cstr(b, t->speaker);
        PUT(b, ",\"speaker_kind\":\"");
        qt_buf_puts(b, speaker_kinds[t->speaker_kind]);
        PUT(b, "\",\"confidence\":");
        put_conf(b, t->confidence);
        put_cell(b, t->cell);
        qt_buf_putc(b, '}');
    }
    qt_buf_putc(b, ']');
    key(b, "people");
    qt_buf_putc(b, '[');
    for (size_t i = 0; i < a->n_people; i++) {
        const qt_person *p = &a->people[i];
        qt_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        put_cstr(b, p->name);
        PUT(b, ",\"kind\":\"");
        /* only the two kinds a person can have, whatever a hand-built article holds */
        qt_buf_puts(b, p->kind == QT_SPEAKER_ORGANISATION ? "organisation" : "person");
        PUT(b, "\",\"aliases\":[");
        for (size_t k = 0; k < p->n_aliases; k++) {
            if (k)
                qt_buf_putc(b, ',');
            put_cstr(b, p->aliases[k]);
        }
        PUT(b, "],\"mentions\":");
        put_uint(b, p->mentions);
        PUT(b, ",\"quotes\":");
        put_uint(b, (size_t)(p->quotes > 0 ? p->quotes : 0));
        qt_buf_putc(b, '}');
    }
    qt_buf_putc(b, ']');
    key(b, "times");
    qt_buf_putc(b, '[');
    for (size_t i = 0; i < a->n_times; i++) {
        const qt_time *t = &a->times[i];
        const char *src = t->in_title ? a->title : a->text;
        qt_buf_puts(b, i ? ",{\"start\":" : "{\"start\":");
        put_uint(b, t->start);
        PUT(b, ",\"end\":");
        put_uint(b, t->end);
        key(b, "text");
        if (src)
            put_str(b, src + t->start, t->end - t->start);
        else
            PUT(b, "null");
        if (t->in_title)
            PUT(b, ",\"in\":\"title\"");
        key(b, "type"); put_cstr(b, t->type);
        key(b, "value"); put_cstr(b, t->value);
        if (t->mod) {
            key(b, "mod");
            put_cstr(b, t->mod);
        }
        if (t->age_of || t->birth_from || t->birth_to) {
            key(b, "age_of"); put_cstr(b, t->age_of);
            PUT(b, ",\"birth\":{\"from\":");
            put_cstr(b, t->birth_from);
            PUT(b, ",\"to\":");
            put_cstr(b, t->birth_to);
            qt_buf_putc(b, '}');
        }
        qt_buf_putc(b, '}');
    }
    PUT(b, "],\"events\":[]");
    key(b, "warnings");
    qt_buf_putc(b, '[');
    for (size_t i = 0; i < a->n_warnings; i++) {
        if (i)
            qt_buf_putc(b, ',');
        put_cstr(b, a->warnings[i]);
    }
    PUT(b, "]}\n");
}

/* Most bytes a string can take in the record: every byte escaped to six, quotes and a key. */
static size_t esc(const char *s) { return (s ? strlen(s) * 6 : 4) + 64; }
static size_t esc_span(size_t s, size_t e) { return (e > s ? e - s : 0) * 6 + 96; }

/* The most a record can take: fixed parts plus every string at its worst escaping. */
static size_t record_size(const qt_article *a, int flags)
{
    size_t need = 1024 + esc(a->source) + esc(a->id) + esc(a->hash) + esc(a->url) +
                  esc(a->title) + esc(a->published) + esc(a->site) + esc(a->byline) + esc(a->rating) + ((flags & QT_JSON_TEXT) ? esc_span(0, a->text_len) : 0) +
                  a->n_minhash * 4 + a->n_names * 8 + 64;
    for (size_t i = 0; i < a->n_blocks; i++)
        need += 96;
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        need += 512 + q->n_key * 8 + esc_span(q->start, q->end) + esc(q->speaker) +
                esc(q->speaker_mention) +
                esc(q->cue) + esc(q->venue) + esc(q->venue_key) + esc(q->rule) +
                (q->parent >= 0 ? esc(a->quotes[q->parent].id) : 0);
    }
    for (size_t i = 0; i < a->n_attributions; i++) {
        const qt_attribution *t = &a->attributions[i];
        need += 512 + esc_span(t->source_start, t->source_end) +
                esc_span(t->cue_start, t->cue_end) + esc_span(t->content_start, t->content_end) +
                esc(t->speaker);
    }
    for (size_t i = 0; i < a->n_people; i++) {
        need += 160 + esc(a->people[i].name);
        for (size_t k = 0; k < a->people[i].n_aliases; k++)
            need += esc(a->people[i].aliases[k]);
    }
    for (size_t i = 0; i < a->n_warnings; i++)
        need += esc(a->warnings[i]);
    return need;
}

qt_status qt_write_json(const qt_article *a, int flags, FILE *f)
{
    static _Thread_local qt_buf b = QT_BUF_INIT;
    qt_buf_reset(&b);
    /* Reserve the most the record can take, so growth fails here, before anything is
     * written, and never midway. */
    if (qt_buf_grow(&b, record_size(a, flags)) != QT_OK)
        return QT_ENOMEM;
    write_record(&b, a, flags);
    if (fwrite(b.data, 1, b.len, f) != b.len || ferror(f))
        return QT_EIO;
    /* A huge article's buffer is not kept for the small ones that follow. */
    if (b.cap > ((size_t)64 << 20))
        qt_buf_release(&b);
    return QT_OK;
}
