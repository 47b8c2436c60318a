/*
 * confidence.c - calibrated confidence for quotes and attributions.
 *
 * Design notes. A quote's or attribution's confidence is the share of items like it that are
 * right, measured on real news: every item falls in a *cell* of the features that decide how
 * often it is right (the rule that found its speaker, the kind of words that name the speaker,
 * how strong the cue is), and data/confidence.tsv gives each cell the rate at which its items
 * were right on PolNeAR (tools/calibrate.py writes the table; data/README.md says how). A cell
 * the table lacks keeps the rule's own estimate. Cells are small integers:
 *
 *   quotes        10000 + rule * 100 + kind * 10 + speaker class
 *   attributions  20000 + kind * 1000 + shape * 100 + source class * 10 + cue strength
 *
 * With QT_CONFIDENCE_CELLS set in the environment, every record also carries its cell number
 * ("cell" in the JSON): that is how tools/calibrate.py learns which items share a cell.
 */
#include "quotes/qt_quotes.h"

#include <stdlib.h>
#include <string.h>

extern const char qt_data_confidence[];

/* Who a quote's speaker is, as its words name them. */
static int quote_speaker_class(const qt_doc *d, const qt_text *t, const qt_qspan *q)
{
    if (q->mention_end <= q->mention_start)
        return q->entity >= 0 ? 1 : 0;
    /* A one-word mention that the lexicon knows as a pronoun ("she", "they"). */
    const char *m = t->p + q->mention_start;
    size_t n = q->mention_end - q->mention_start;
    if (n <= 5) {
        char low[6];
        for (size_t i = 0; i < n; i++)
            low[i] = (char)(m[i] >= 'A' && m[i] <= 'Z' ? m[i] + 32 : m[i]);
        uint32_t f = qt_lex_flags(d->engine, qt_word_hash(low, n));
        if (f & (W_PRON_M | W_PRON_F | W_PRON_PL | W_PRON_I | W_PRON_IT))
            return 2;
    }
    if (q->speaker_kind == QT_SPEAKER_ANONYMOUS || q->speaker_kind == QT_SPEAKER_ORGANISATION)
        return 4;
    if (q->entity < 0)
        return 0;
    /* a name in the mention ("Vale", "Sen. Ada Vale") or a descriptor resolved to a person */
    return (m[0] >= 'A' && m[0] <= 'Z') ? 1 : 3;
}

int qt_quote_cell(const qt_doc *d, const qt_text *t, const qt_qspan *q)
{
    int rule = q->parent >= 0 && q->cue_end ? QT_RULE_NESTED : q->rule;
    int kind = q->kind == QT_QUOTE_DIRECT ? 0 : q->kind == QT_QUOTE_PARTIAL ? 1 : 2;
    return 10000 + rule * 100 + kind * 10 + quote_speaker_class(d, t, q);
}

int qt_attr_cell(const qt_aspan *a)
{
    int strength = a->cue_prec >= 0.8f ? 0 : a->cue_prec >= 0.5f ? 1 : 2;
    return 20000 + a->kind * 1000 + a->shape * 100 + a->src_class * 10 + strength;
}

typedef struct cell_conf {
    int cell;
    float conf;
} cell_conf;

static int by_cell(const void *a, const void *b)
{
    int x = ((const cell_conf *)a)->cell, y = ((const cell_conf *)b)->cell;
    return (x > y) - (x < y);
}

/* Parse data/confidence.tsv: "cell<TAB>confidence<TAB>…" rows after '#' comments and a header. */
qt_status qt_confidence_load(qt_engine *e, qt_err *err)
{
    const char *p = qt_data_confidence;
    size_t cap = 0, n = 0;
    cell_conf *v = NULL;
    e->cells_raw = getenv("QT_CONFIDENCE_CELLS") != NULL;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len && *p >= '0' && *p <= '9') {
            char *end;
            long cell = strtol(p, &end, 10);
            float conf = *end == '\t' ? strtof(end + 1, &end) : -1.0f;
            if (cell <= 0 || cell > 65535 || conf < 0.0f || conf > 1.0f) {
                free(v);
                return qt_fail(err, QT_EINVAL, "data/confidence.tsv: bad row '%.*s'",
                               (int)(len > 60 ? 60 : len), p);
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                cell_conf *nv = realloc(v, cap * sizeof *v);
                if (!nv) {
                    free(v);
                    return qt_fail(err, QT_ENOMEM, "out of memory");
                }
                v = nv;
            }
            v[n++] = (cell_conf){(int)cell, conf};
        }
        p += len + (eol != NULL);
    }
    if (n)
        qsort(v, n, sizeof *v, by_cell);
    e->cells = v;
    e->n_cells = n;
    return QT_OK;
}

double qt_confidence(const qt_engine *e, int cell, double fallback)
{
    cell_conf key = {cell, 0.0f};
    const cell_conf *c = e->n_cells ? bsearch(&key, e->cells, e->n_cells, sizeof key, by_cell)
                                    : NULL;
    return c ? c->conf : fallback;
}
