/*
 * json.c - DESIGN.md records as JSON lines, written straight to a stdio stream.
 *
 * Hand-written rather than built as a jansson tree: one record per article is written once, and
 * building a tree would cost an allocation per field on the hottest output path.
 */
#include "core/qt_core.h"

#include <string.h>

static void put_str(FILE *f, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    putc('"', f);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        fwrite(s + run, 1, i - run, f);
        run = i + 1;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            fputs("\\u00", f);
            putc(hex[c >> 4], f);
            putc(hex[c & 15], f);
        }
    }
    fwrite(s + run, 1, n - run, f);
    putc('"', f);
}

static void put_cstr(FILE *f, const char *s)
{
    if (s)
        put_str(f, s, strlen(s));
    else
        fputs("null", f);
}

static void key(FILE *f, const char *k, int comma)
{
    if (comma)
        putc(',', f);
    putc('"', f);
    fputs(k, f);
    fputs("\":", f);
}

static const char *const kinds[] = {"direct", "partial", "nested"};
static const char *const speaker_kinds[] = {"person", "organisation", "anonymous", "unknown"};
static const char *const attr_kinds[] = {"indirect", "according_to", "mixed"};

/* ,"name":{"start":S,"end":E,"text":"..."} - an empty span is written with start = end = 0. */
static void span(FILE *f, const char *name, const char *text, size_t s, size_t e)
{
    fprintf(f, ",\"%s\":{\"start\":%zu,\"end\":%zu,\"text\":", name, e > s ? s : 0,
            e > s ? e : 0);
    put_str(f, e > s ? text + s : "", e > s ? e - s : 0);
    putc('}', f);
}

qt_status qt_write_json(const qt_article *a, int with_text, FILE *f)
{
    fprintf(f, "{\"schema\":%d", QT_SCHEMA);
    key(f, "source", 1); put_cstr(f, a->source);
    key(f, "id", 1); put_cstr(f, a->id);
    key(f, "hash", 1); put_cstr(f, a->hash);
    key(f, "url", 1); put_cstr(f, a->url);
    key(f, "title", 1); put_cstr(f, a->title);
    fputs(",\"site\":null,\"byline\":null", f);
    key(f, "published", 1); put_cstr(f, a->published);
    fputs(",\"published_inferred\":null,\"rating\":null", f);
    key(f, "engine", 1); fprintf(f, "%d", QT_ENGINE_VERSION);
    if (with_text) {
        key(f, "text", 1);
        put_str(f, a->text, a->text_len);
    }
    key(f, "blocks", 1);
    putc('[', f);
    for (size_t i = 0; i < a->n_blocks; i++)
        fprintf(f, "%s{\"start\":%zu,\"end\":%zu,\"role\":\"%s\"}", i ? "," : "",
                a->blocks[i].start, a->blocks[i].end, a->blocks[i].role);
    putc(']', f);
    key(f, "quotes", 1);
    putc('[', f);
    for (size_t i = 0; i < a->n_quotes; i++) {
        const qt_quote *q = &a->quotes[i];
        const char *base = q->in_title ? a->title : a->text;
        fprintf(f, "%s{\"id\":\"%s\",\"text\":", i ? "," : "", q->id);
        put_str(f, base + q->start, q->end - q->start);
        fprintf(f, ",\"start\":%zu,\"end\":%zu,\"in\":\"%s\",\"kind\":\"%s\",\"parent\":", q->start,
                q->end, q->in_title ? "title" : "text", kinds[q->kind]);
        if (q->parent >= 0)
            fprintf(f, "\"%s\"", a->quotes[q->parent].id);
        else
            fputs("null", f);
        key(f, "speaker", 1); put_cstr(f, q->speaker);
        fprintf(f, ",\"speaker_kind\":\"%s\"", speaker_kinds[q->speaker_kind]);
        key(f, "speaker_mention", 1); put_cstr(f, q->speaker_mention);
        key(f, "cue", 1); put_cstr(f, q->cue);
        /* where the speaker and cue words are (text offsets), for span-level evaluation */
        key(f, "speaker_span", 1);
        if (q->mention_end > q->mention_start)
            fprintf(f, "[%zu,%zu]", q->mention_start, q->mention_end);
        else
            fputs("null", f);
        key(f, "cue_span", 1);
        if (q->cue_end > q->cue_start)
            fprintf(f, "[%zu,%zu]", q->cue_start, q->cue_end);
        else
            fputs("null", f);
        key(f, "venue", 1); put_cstr(f, q->venue);
        fprintf(f, ",\"confidence\":%.2f}", q->confidence);
    }
    putc(']', f);
    key(f, "attributions", 1);
    putc('[', f);
    for (size_t i = 0; i < a->n_attributions; i++) {
        const qt_attribution *t = &a->attributions[i];
        fprintf(f, "%s{\"kind\":\"%s\"", i ? "," : "", attr_kinds[t->kind]);
        span(f, "source", a->text, t->source_start, t->source_end);
        span(f, "cue", a->text, t->cue_start, t->cue_end);
        span(f, "content", a->text, t->content_start, t->content_end);
        key(f, "speaker", 1); put_cstr(f, t->speaker);
        fprintf(f, ",\"speaker_kind\":\"%s\",\"confidence\":%.2f}",
                speaker_kinds[t->speaker_kind], t->confidence);
    }
    putc(']', f);
    key(f, "people", 1);
    putc('[', f);
    for (size_t i = 0; i < a->n_people; i++) {
        const qt_person *p = &a->people[i];
        fputs(i ? ",{\"name\":" : "{\"name\":", f);
        put_cstr(f, p->name);
        fputs(",\"aliases\":[", f);
        for (size_t k = 0; k < p->n_aliases; k++) {
            if (k)
                putc(',', f);
            put_cstr(f, p->aliases[k]);
        }
        fprintf(f, "],\"mentions\":%u,\"quotes\":%d}", p->mentions, p->quotes);
    }
    putc(']', f);
    fputs(",\"times\":[],\"events\":[]", f);
    key(f, "warnings", 1);
    putc('[', f);
    for (size_t i = 0; i < a->n_warnings; i++) {
        if (i)
            putc(',', f);
        put_cstr(f, a->warnings[i]);
    }
    fputs("]}\n", f);
    return ferror(f) ? QT_EIO : QT_OK;
}
