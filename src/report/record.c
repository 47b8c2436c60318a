/*
 * record.c - a DESIGN.md record back into the qt_article it was written from (qt_record_parse),
 * for `quotetrail link`: the inverse of json.c, for the fields the store keeps.
 *
 * Design notes:
 *  (r1) Nothing is analysed again: every value is the record's own. Strings point into the
 *       parsed JSON tree, arrays into r->arena; both live until the next parse on r.
 *  (r2) A record is refused whole (QT_EFORMAT) rather than stored in part: a wrong schema or
 *       engine version, no fingerprint, or a field that breaks an invariant the store relies
 *       on (quotetrail.h, qt_quote (1)-(4)). The caller names the line.
 *  (r3) Without "text" (extract without --with-text) the article has text NULL, text_len the
 *       furthest end its blocks and body quotes show, and each body quote carries its words
 *       (qt_quote.text, the record's quote "text", which is text[start:end] by the schema).
 *  (r4) The fingerprint is decoded by src/link (qt_fingerprint.h), which owns its format.
 */
#include "core/qt_core.h"
#include "link/qt_fingerprint.h"
#include "link/qt_link.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qt_record {
    json_t *doc;            /* the record being read; every string points into it (r1) */
    qt_arena arena;         /* arrays of the article, reset per record */
    qt_article art;
    uint16_t minhash[QT_MINHASH_K];
    uint32_t names[QT_NAME_KEYS_MAX];
};

qt_record *qt_record_new(void)
{
    qt_record *r = calloc(1, sizeof *r);
    if (r)
        r->arena = (qt_arena)QT_ARENA_INIT;
    return r;
}

void qt_record_free(qt_record *r)
{
    if (!r)
        return;
    json_decref(r->doc);
    qt_arena_free(&r->arena);
    free(r);
}

/* ---- field readers: each returns 0, or -1 when the field has the wrong type ----------------- */

/* A string or null (or absent) field: *out is NULL for null. */
static int get_str(json_t *o, const char *k, const char **out)
{
    json_t *v = json_object_get(o, k);
    *out = json_is_string(v) ? json_string_value(v) : NULL;
    return v && !json_is_null(v) && !json_is_string(v) ? -1 : 0;
}

/* A non-negative integer field; required. */
static int get_size(json_t *o, const char *k, size_t *out)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (size_t)json_integer_value(v);
    return 0;
}

/* A [start, end] span or null: 0/0 for null. */
static int get_span(json_t *o, const char *k, size_t *s, size_t *e)
{
    json_t *v = json_object_get(o, k);
    *s = *e = 0;
    if (!v || json_is_null(v))
        return 0;
    json_t *a = json_array_get(v, 0), *b = json_array_get(v, 1);
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(a) ||
        !json_is_integer(b) || json_integer_value(a) < 0 || json_integer_value(b) < 0)
        return -1;
    *s = (size_t)json_integer_value(a);
    *e = (size_t)json_integer_value(b);
    return 0;
}

static int index_of(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

static const char *const quote_kinds[] = {"direct", "partial", "nested"};
static const char *const speaker_kinds[] = {"person", "organisation", "anonymous", "unknown"};

/* ---- the parts of a record -------------------------------------------------------------------- */

static qt_status read_fingerprint(qt_record *r, json_t *fp, qt_err *err)
{
    if (!fp || json_is_null(fp))
        return qt_fail(err, QT_EFORMAT, "no \"fingerprint\": the record was made by 'extract' "
                       "without --fingerprints");
    json_t *mh = json_object_get(fp, "minhash");
    size_t shingles = 0, n = QT_MINHASH_K;
    if (!json_is_object(fp) || !json_is_string(mh) || get_size(fp, "shingles", &shingles) ||
        shingles > UINT32_MAX ||
        qt_fingerprint_minhash(json_string_value(mh), json_string_length(mh), r->minhash,
                               &n) != QT_OK)
        return qt_fail(err, QT_EFORMAT, "malformed \"fingerprint\"");
    r->art.minhash = n ? r->minhash : NULL;
    r->art.n_minhash = n;
    r->art.shingles = (unsigned)shingles;
    /* "names" came later than the rest (store migration 10): a record without it has none. */
    json_t *nm = json_object_get(fp, "names");
    size_t nn = QT_NAME_KEYS_MAX;
    if (!nm || json_is_null(nm))
        nn = 0;
    else if (!json_is_string(nm) ||
             qt_fingerprint_key(json_string_value(nm), json_string_length(nm), r->names,
                                &nn) != QT_OK)
        return qt_fail(err, QT_EFORMAT, "malformed \"fingerprint\" (\"names\")");
    r->art.names = nn ? r->names : NULL;
    r->art.n_names = nn;
    return QT_OK;
}

static qt_status read_blocks(qt_record *r, json_t *arr, size_t *furthest, qt_err *err)
{
    size_t n = json_array_size(arr);
    if (arr && !json_is_array(arr))
        return qt_fail(err, QT_EFORMAT, "\"blocks\" is not an array");
    qt_block *b = qt_arena_calloc(&r->arena, n + 1, sizeof *b);
    if (!b)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o) || get_size(o, "start", &b[i].start) ||
            get_size(o, "end", &b[i].end) || get_str(o, "role", &b[i].role) || !b[i].role ||
            b[i].start > b[i].end)
            return qt_fail(err, QT_EFORMAT, "block %zu is malformed", i);
        if (b[i].end > *furthest)
            *furthest = b[i].end;
    }
    r->art.blocks = b;
    r->art.n_blocks = n;
    return QT_OK;
}

static qt_status read_quote(qt_record *r, json_t *o, size_t i, qt_quote *q, qt_err *err)
{
    const char *id = NULL, *in = NULL, *kind = NULL, *sk = NULL, *parent = NULL, *key = NULL;
    json_t *conf = json_object_get(o, "confidence"), *cell = json_object_get(o, "cell");
    if (!json_is_object(o) || get_str(o, "id", &id) || !id || strlen(id) >= sizeof q->id ||
        get_str(o, "text", &q->text) || !q->text || get_size(o, "start", &q->start) ||
        get_size(o, "end", &q->end) || get_str(o, "in", &in) || get_str(o, "kind", &kind) ||
        get_str(o, "parent", &parent) || get_str(o, "speaker", &q->speaker) ||
        get_str(o, "speaker_kind", &sk) || get_str(o, "speaker_mention", &q->speaker_mention) ||
        get_str(o, "cue", &q->cue) ||
        get_span(o, "speaker_span", &q->mention_start, &q->mention_end) ||
        get_span(o, "cue_span", &q->cue_start, &q->cue_end) || get_str(o, "venue", &q->venue) ||
        get_str(o, "venue_key", &q->venue_key) || get_str(o, "rule", &q->rule) ||
        get_str(o, "key", &key) || (conf && !json_is_number(conf)) ||
        (cell && !json_is_integer(cell)))
        return qt_fail(err, QT_EFORMAT, "quote %zu is malformed", i);
    int k = index_of(quote_kinds, 3, kind), s = index_of(speaker_kinds, 4, sk);
    if (k < 0 || s < 0 || !in || (strcmp(in, "text") != 0 && strcmp(in, "title") != 0))
        return qt_fail(err, QT_EFORMAT, "quote %zu has an unknown kind", i);
    memcpy(q->id, id, strlen(id) + 1);
    q->kind = (qt_quote_kind)k;
    q->speaker_kind = (qt_speaker_kind)s;
    q->in_title = strcmp(in, "title") == 0;
    q->confidence = conf ? json_number_value(conf) : 0;
    q->cell = cell ? (int)json_integer_value(cell) : 0;
    /* (4) of qt_quote: a parent comes before its children. */
    q->parent = -1;
    for (size_t p = i; parent && p-- > 0;)   /* a parent is most often just before */
        if (strcmp(r->art.quotes[p].id, parent) == 0) {
            q->parent = (int)p;
            break;
        }
    if (parent && q->parent < 0)
        return qt_fail(err, QT_EFORMAT, "quote %zu: parent '%s' is not an earlier quote", i,
                       parent);
    if (q->start >= q->end || strlen(q->text) != q->end - q->start)
        return qt_fail(err, QT_EFORMAT, "quote %zu: its text is not [start, end)", i);
    if (key) {
        size_t n = QT_QKEY_MAX;
        uint32_t *v = qt_arena_calloc(&r->arena, n, sizeof *v);
        if (!v)
            return qt_fail(err, QT_ENOMEM, "out of memory");
        if (qt_fingerprint_key(key, strlen(key), v, &n) != QT_OK)
            return qt_fail(err, QT_EFORMAT, "quote %zu has a malformed \"key\"", i);
        q->key = v;
        q->n_key = n;
    }
    return QT_OK;
}

static qt_status read_quotes(qt_record *r, json_t *arr, size_t *furthest, qt_err *err)
{
    size_t n = json_array_size(arr);
    if (arr && !json_is_array(arr))
        return qt_fail(err, QT_EFORMAT, "\"quotes\" is not an array");
    qt_quote *q = qt_arena_calloc(&r->arena, n + 1, sizeof *q);
    if (!q)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    r->art.quotes = q;
    for (size_t i = 0; i < n; i++) {
        qt_status rc = read_quote(r, json_array_get(arr, i), i, &q[i], err);
        if (rc != QT_OK)
            return rc;
        r->art.n_quotes = i + 1;    /* read_quote() finds parents among these */
        if (!q[i].in_title && q[i].end > *furthest)
            *furthest = q[i].end;
        if (q[i].in_title && (!r->art.title || q[i].end > strlen(r->art.title)))
            return qt_fail(err, QT_EFORMAT, "quote %zu lies outside the title", i);
    }
    return QT_OK;
}

static qt_status read_people(qt_record *r, json_t *arr, qt_err *err)
{
    size_t n = json_array_size(arr);
    if (arr && !json_is_array(arr))
        return qt_fail(err, QT_EFORMAT, "\"people\" is not an array");
    qt_person *p = qt_arena_calloc(&r->arena, n + 1, sizeof *p);
    if (!p)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i), *al = json_object_get(o, "aliases");
        const char *kind = NULL;
        size_t mentions = 0, quotes = 0;
        if (!json_is_object(o) || get_str(o, "name", &p[i].name) || !p[i].name ||
            get_str(o, "kind", &kind) || get_size(o, "mentions", &mentions) ||
            get_size(o, "quotes", &quotes) || (al && !json_is_array(al)) ||
            mentions > UINT32_MAX || quotes > INT32_MAX)
            return qt_fail(err, QT_EFORMAT, "person %zu is malformed", i);
        p[i].kind = kind && strcmp(kind, "organisation") == 0 ? QT_SPEAKER_ORGANISATION
                                                               : QT_SPEAKER_PERSON;
        p[i].mentions = (unsigned)mentions;
        p[i].quotes = (int)quotes;
        size_t na = json_array_size(al);
        const char **aliases = qt_arena_calloc(&r->arena, na + 1, sizeof *aliases);
        if (!aliases)
            return qt_fail(err, QT_ENOMEM, "out of memory");
        for (size_t k = 0; k < na; k++)
            if (!(aliases[k] = json_string_value(json_array_get(al, k))))
                return qt_fail(err, QT_EFORMAT, "person %zu has an alias that is not a string",
                               i);
        p[i].aliases = aliases;
        p[i].n_aliases = na;
    }
    r->art.people = p;
    r->art.n_people = n;
    return QT_OK;
}

/* Times as json.c writes them: "in" only for the title, "mod" and "age_of"/"birth" only when
 * set. Their "text" is not read: the spans say where they are. */
static qt_status read_times(qt_record *r, json_t *arr, qt_err *err)
{
    size_t n = json_array_size(arr);
    if (arr && !json_is_array(arr))
        return qt_fail(err, QT_EFORMAT, "\"times\" is not an array");
    qt_time *t = qt_arena_calloc(&r->arena, n + 1, sizeof *t);
    if (!t)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i), *birth = json_object_get(o, "birth");
        const char *in = NULL;
        if (!json_is_object(o) || get_size(o, "start", &t[i].start) ||
            get_size(o, "end", &t[i].end) || get_str(o, "in", &in) ||
            get_str(o, "type", &t[i].type) || get_str(o, "value", &t[i].value) ||
            get_str(o, "mod", &t[i].mod) || get_str(o, "age_of", &t[i].age_of) ||
            (birth && !json_is_null(birth) &&
             (!json_is_object(birth) || get_str(birth, "from", &t[i].birth_from) ||
              get_str(birth, "to", &t[i].birth_to))) ||
            t[i].start > t[i].end || (in && strcmp(in, "title") != 0 && strcmp(in, "text") != 0))
            return qt_fail(err, QT_EFORMAT, "time %zu is malformed", i);
        t[i].in_title = in && strcmp(in, "title") == 0;
        if (t[i].in_title && (!r->art.title || t[i].end > strlen(r->art.title)))
            return qt_fail(err, QT_EFORMAT, "time %zu lies outside the title", i);
    }
    r->art.times = t;
    r->art.n_times = n;
    return QT_OK;
}

static qt_status read_warnings(qt_record *r, json_t *arr, qt_err *err)
{
    size_t n = json_array_size(arr);
    const char **w = qt_arena_calloc(&r->arena, n + 1, sizeof *w);
    if (!w)
        return qt_fail(err, QT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!(w[i] = json_string_value(json_array_get(arr, i))))
            return qt_fail(err, QT_EFORMAT, "warning %zu is not a string", i);
    r->art.warnings = w;
    r->art.n_warnings = n;
    return QT_OK;
}

/* ---- the record ------------------------------------------------------------------------------- */

static qt_status read_record(qt_record *r, json_t *d, qt_err *err)
{
    qt_article *a = &r->art;
    json_t *schema = json_object_get(d, "schema"), *engine = json_object_get(d, "engine");
    json_t *text = json_object_get(d, "text"), *tg = json_object_get(d, "title_given");
    if (!json_is_integer(schema))
        return qt_fail(err, QT_EFORMAT, "not a quotetrail record (no \"schema\")");
    if (json_integer_value(schema) != QT_SCHEMA)
        return qt_fail(err, QT_EFORMAT, "record schema %lld; this quotetrail reads schema %d",
                       (long long)json_integer_value(schema), QT_SCHEMA);
    if (!json_is_integer(engine))
        return qt_fail(err, QT_EFORMAT, "no \"engine\" version: made by a quotetrail older "
                       "than 'link'; run 'extract --fingerprints' again with this one");
    if (json_integer_value(engine) != QT_ENGINE_VERSION)
        return qt_fail(err, QT_EFORMAT, "made by engine %lld; this quotetrail is engine %d "
                       "(run 'extract --fingerprints' again with this version)",
                       (long long)json_integer_value(engine), QT_ENGINE_VERSION);
    if (get_str(d, "hash", &a->hash) || !a->hash || strlen(a->hash) != 32 ||
        strspn(a->hash, "0123456789abcdef") != 32 ||
        get_str(d, "source", &a->source) || get_str(d, "id", &a->id) ||
        get_str(d, "url", &a->url) || get_str(d, "title", &a->title) ||
        get_str(d, "site", &a->site) || get_str(d, "byline", &a->byline) ||
        get_str(d, "published", &a->published) || get_str(d, "rating", &a->rating) ||
        (text && !json_is_string(text)) || (tg && !json_is_boolean(tg)))
        return qt_fail(err, QT_EFORMAT, "not a quotetrail record (a field has the wrong type)");
    a->title_given = tg ? json_is_true(tg) : 1;
    qt_status rc = read_fingerprint(r, json_object_get(d, "fingerprint"), err);
    size_t furthest = 0;
    if (rc == QT_OK)
        rc = read_blocks(r, json_object_get(d, "blocks"), &furthest, err);
    if (rc == QT_OK)
        rc = read_quotes(r, json_object_get(d, "quotes"), &furthest, err);
    if (rc == QT_OK)
        rc = read_people(r, json_object_get(d, "people"), err);
    if (rc == QT_OK)
        rc = read_warnings(r, json_object_get(d, "warnings"), err);
    if (rc == QT_OK)
        rc = read_times(r, json_object_get(d, "times"), err);
    if (rc != QT_OK)
        return rc;
    if (text) {
        /* With its text the article is whole: quotes are slices of it again (r3). */
        a->text = json_string_value(text);
        a->text_len = json_string_length(text);
        if (furthest > a->text_len)
            return qt_fail(err, QT_EFORMAT, "a block or quote lies outside the text");
        /* A time's span is a slice of the text too: the writer prints it (fuzz/regress/record). */
        for (size_t i = 0; i < a->n_times; i++)
            if (!a->times[i].in_title && a->times[i].end > a->text_len)
                return qt_fail(err, QT_EFORMAT, "time %zu lies outside the text", i);
        for (size_t i = 0; i < a->n_quotes; i++) {
            qt_quote *q = (qt_quote *)&a->quotes[i];
            if (!q->in_title && memcmp(a->text + q->start, q->text, q->end - q->start) != 0)
                return qt_fail(err, QT_EFORMAT, "quote %zu is not text[start:end]", i);
            q->text = NULL;
        }
    } else {
        /* The store keeps a text's offsets as 32-bit values, as it does for any text. */
        if (furthest > 0x7fffffff)
            return qt_fail(err, QT_EFORMAT, "a block or quote ends past 2 GiB");
        a->text = NULL;
        a->text_len = furthest;
    }
    for (size_t i = 0; i < a->n_quotes; i++) {
        qt_quote *q = (qt_quote *)&a->quotes[i];
        if (!q->in_title)
            continue;
        if (memcmp(a->title + q->start, q->text, q->end - q->start) != 0)
            return qt_fail(err, QT_EFORMAT, "quote %zu is not title[start:end]", i);
        q->text = NULL;   /* the title is at hand */
    }
    return QT_OK;
}

qt_status qt_record_parse(qt_record *r, const char *json, size_t len, const qt_article **out,
                          qt_err *err)
{
    if (!r || !json || !out)
        return qt_fail(err, QT_EINVAL, "qt_record_parse: no record");
    *out = NULL;
    json_decref(r->doc);
    r->doc = NULL;
    qt_arena_reset(&r->arena);
    memset(&r->art, 0, sizeof r->art);
    json_error_t je;
    r->doc = json_loadb(json, len, 0, &je);
    if (!r->doc)
        return qt_fail(err, QT_EFORMAT, "invalid JSON: %s", je.text);
    if (!json_is_object(r->doc))
        return qt_fail(err, QT_EFORMAT, "not a quotetrail record (not a JSON object)");
    qt_status rc = read_record(r, r->doc, err);
    if (rc != QT_OK)
        return rc;
    *out = &r->art;
    return QT_OK;
}
