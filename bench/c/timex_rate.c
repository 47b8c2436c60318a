/*
 * timex_rate.c - how fast quotetrail finds and resolves time expressions (bench/timex).
 *
 * Reads JSONL ({"text": ..., optional "published" or "dct": the reference date} per line) into
 * memory, then tokenizes each text as the analysis does (qt_text_scan) and runs qt_timex_scan
 * on it against its reference date, nothing else. Prints one JSON object: bytes of text,
 * seconds of CPU time for tokenizing + time expressions (reading and JSON decoding not
 * counted, as for the peer), documents and expressions found.
 *
 * With --dump, also prints one line per document before the summary: {"id", "times": [{start,
 * end (byte offsets), type, value, mod, birth}]}, for scoring against gold data.
 *
 * usage: timex_rate INPUT.jsonl [--dump]
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events/qt_events.h"
#include "text/qt_text.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct doc {
    char *text, *ref, *id;
    size_t n;
} doc;

static char *dup_field(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? strdup(v) : NULL;
}

static void dump(const doc *d, const qt_time *ts, size_t n)
{
    json_t *o = json_object(), *arr = json_array();
    json_object_set_new(o, "id", d->id ? json_string(d->id) : json_null());
    for (size_t i = 0; i < n; i++) {
        const qt_time *t = &ts[i];
        json_t *x = json_object();
        json_object_set_new(x, "start", json_integer((json_int_t)t->start));
        json_object_set_new(x, "end", json_integer((json_int_t)t->end));
        json_object_set_new(x, "text", json_stringn(d->text + t->start, t->end - t->start));
        json_object_set_new(x, "type", json_string(t->type));
        json_object_set_new(x, "value", t->value ? json_string(t->value) : json_null());
        json_object_set_new(x, "mod", t->mod ? json_string(t->mod) : json_null());
        json_object_set_new(x, "birth", t->birth_from ? json_string(t->birth_from) : json_null());
        json_object_set_new(x, "age_of", t->age_of ? json_string(t->age_of) : json_null());
        json_array_append_new(arr, x);
    }
    json_object_set_new(o, "times", arr);
    char *s = json_dumps(o, JSON_COMPACT);
    puts(s);
    free(s);
    json_decref(o);
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int do_dump = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dump") == 0)
            do_dump = 1;
        else if (!path)
            path = argv[i];
        else
            path = NULL, i = argc;
    }
    if (!path) {
        fprintf(stderr, "usage: timex_rate INPUT.jsonl [--dump]\n");
        return 2;
    }
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "timex_rate: cannot open '%s'\n", path);
        return 2;
    }
    doc *docs = NULL;
    size_t n_docs = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)len, 0, &je);
        const char *text = o ? json_string_value(json_object_get(o, "text")) : NULL;
        if (!text) {
            json_decref(o);
            continue;
        }
        if (n_docs == cap) {
            cap = cap ? cap * 2 : 256;
            doc *nd = realloc(docs, cap * sizeof *nd);
            if (!nd) {
                fprintf(stderr, "timex_rate: out of memory\n");
                return 2;
            }
            docs = nd;
        }
        doc *d = &docs[n_docs++];
        d->n = json_string_length(json_object_get(o, "text"));
        d->text = malloc(d->n + 1);
        if (!d->text) {
            fprintf(stderr, "timex_rate: out of memory\n");
            return 2;
        }
        memcpy(d->text, text, d->n + 1);
        d->ref = dup_field(o, "published");
        if (!d->ref)
            d->ref = dup_field(o, "dct");
        d->id = dup_field(o, "id");
        json_decref(o);
    }
    free(line);
    if (f != stdin)
        fclose(f);

    qt_text t = QT_TEXT_INIT;
    qt_timex_ctx *c = qt_timex_new();
    if (!c) {
        fprintf(stderr, "timex_rate: out of memory\n");
        return 2;
    }
    size_t bytes = 0, found = 0;
    double spent = 0;
    for (size_t i = 0; i < n_docs; i++) {
        const qt_time *ts;
        size_t n;
        double t0 = cpu_now();
        qt_status rc = qt_text_scan(&t, docs[i].text, docs[i].n);
        if (rc == QT_OK)
            rc = qt_timex_scan(c, &t, docs[i].ref, &ts, &n);
        spent += cpu_now() - t0;
        if (rc != QT_OK) {
            fprintf(stderr, "timex_rate: %s\n", qt_strerror(rc));
            return 2;
        }
        bytes += docs[i].n;
        found += n;
        if (do_dump)
            dump(&docs[i], ts, n);
    }
    printf("{\"bytes\": %zu, \"seconds\": %.6f, \"docs\": %zu, \"timexes\": %zu}\n", bytes, spent,
           n_docs, found);
    qt_timex_free(c);
    qt_text_release(&t);
    for (size_t i = 0; i < n_docs; i++) {
        free(docs[i].text);
        free(docs[i].ref);
        free(docs[i].id);
    }
    free(docs);
    return 0;
}
