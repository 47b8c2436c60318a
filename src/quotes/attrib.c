/*
 * attrib.c - who said each quote, with which cue, to which venue.
 *
 * Design notes. For every top-level quote, in text order, the first rule that fires wins:
 *  (1) after-frame: the quote ends its clause and the writer's words right after it name the
 *      speaker and cue: `"…," she says` / `"…," said Vale` / `"…," Vale, 52, told Harbor` /
 *      `"…" — Vale`.
 *  (2) before-frame: the nearest cue to the left in the same writer sentence, with its subject:
 *      `Vale told Harbor: "…"` / `according to Vale, "…"` / `said Vale: "…"` / `Vale: "…"`.
 *      A cue with no subject of its own (`but added,`, `acknowledging,`) shares the subject of
 *      an earlier cue or of the sentence.
 *  (3) continuation: a direct quote with no frame that follows an attributed quote in the
 *      same paragraph. (Across a paragraph break the speaker changes as often as not: a quote
 *      paragraph takes the speaker of the paragraph before it only through (4) or a mention.)
 *  (4) introduction: a paragraph that opens with a quote takes the speaker of the cue in the
 *      previous paragraph's last sentence ("Vale tells Harbor that …" then the quote).
 * Speakers are names (joined to entities by alias), pronouns (resolved by people.c),
 * descriptors ("the 52-year-old chef": the person most recently the subject of a clause) or
 * anonymous sources ("a source", "officials"), which are a finding, not a failure.
 *
 * Venue: the outlet, show or medium in the frame ("told Harbor", "in an interview on the
 * Morning Dock Show", "in a statement on his website"). Sentences that only describe an
 * interview ("Vale gave her first interview to Harbor") set the venue of their subject. A
 * speaker's venue carries forward to their later quotes until another is named.
 */
#include "quotes/qt_quotes.h"

#include <stdio.h>
#include <string.h>

#define TOK(i) QT_TOK(&d->text, i)
#define LEX(i) (TOK(i).lex)

/* Venue: a capitalised name, or a lowercase medium ("her website"), starting at token i. */
static int venue_np(const qt_doc *d, size_t i, size_t hi, uint32_t *vs, uint32_t *ve)
{
    size_t k = i;
    size_t det = (size_t)-1;
    while (k < hi && qt_is_word(d, k) && (TOK(k).flags & QT_TF_LOWER) && (LEX(k) & W_DET)) {
        det = k;
        k++;
    }
    if (k >= hi)
        return 0;
    /* "told Us" is a venue; "I" never is. */
    int lone_i = TOK(k).end - TOK(k).start == 1 && d->text.p[TOK(k).start] == 'I';
    if (qt_is_word(d, k) && (TOK(k).flags & QT_TF_CAP) && !(LEX(k) & W_CALENDAR) && !lone_i) {
        size_t s = k, last = k;
        while (k < hi && k < s + 8) {
            const qt_tok *t = &TOK(k);
            if (t->kind == QT_TOK_WORD && (t->flags & QT_TF_CAP) && !(LEX(k) & W_CALENDAR)) {
                last = k++;
                continue;
            }
            if (t->kind == QT_TOK_PUNCT && t->hash == '&' && k + 1 < hi &&
                (TOK(k + 1).flags & QT_TF_CAP)) {
                k++;
                continue;
            }
            if (t->kind == QT_TOK_NUM && k > s) {
                last = k++;
                continue;
            }
            break;
        }
        /* A person is an addressee ("told Vale"), not a venue. */
        int m = qt_mention_at(d, (uint32_t)s);
        if (m >= 0) {
            const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity,
                                            QT_VEC_AT(&d->mentions, qt_mention, m).entity);
            if (e->personish && !e->org)
                return 0;
        }
        *vs = TOK(s).start;
        *ve = TOK(last).end;
        if (TOK(last).flags & QT_TF_POSS)
            *ve -= (d->text.p[*ve - 2] == '\'') ? 2 : 4;
        return 1;
    }
    if (det != (size_t)-1 && (LEX(det) & (W_PRON_M | W_PRON_F | W_PRON_PL))) {
        /* "his website", "her Instagram account" */
        for (size_t j = k; j < hi && j < k + 3; j++) {
            if (!qt_is_word(d, j))
                break;
            if (LEX(j) & W_MEDIUM) {
                *vs = TOK(det).start;
                *ve = TOK(j).end;
                return 1;
            }
        }
    }
    return 0;
}

/* Look for a venue in the writer sentence around anchor token a (a cue or speech noun). */
static int venue_after(const qt_doc *d, size_t a, int anchor_is_tell, uint32_t *vs, uint32_t *ve)
{
    size_t n = d->text.toks.n;
    int s = qt_sent_of(d, a);
    size_t hi = a + 1;
    while (hi < n && qt_sent_of(d, hi) == s && hi < a + 18)
        hi++;
    if (anchor_is_tell && venue_np(d, a + 1, hi, vs, ve))
        return 1;
    for (size_t k = a + 1; k < hi; k++) {
        const qt_tok *t = &TOK(k);
        if (t->flags & QT_TF_INQUOTE)
            continue;
        if (t->kind == QT_TOK_QUOTE && (t->flags & QT_TF_QOPEN))
            break;
        if (!qt_is_word(d, k) || !(t->flags & QT_TF_LOWER))
            continue;
        uint32_t f = LEX(k);
        int prep = (f & W_VPREP) ||
                   (k > 0 && t->hash == qt_word_hash("of", 2) && (LEX(k - 1) & W_ISSUE));
        if (prep && venue_np(d, k + 1, hi, vs, ve))
            return 1;
    }
    return 0;
}

/* Find a venue anywhere in the writer sentence of token i, anchored on cues and speech nouns. */
static int sentence_venue(const qt_doc *d, size_t i, uint32_t *vs, uint32_t *ve, size_t *anchor)
{
    int s = qt_sent_of(d, i);
    size_t a = qt_sentence_start(d, i, 0);
    size_t n = d->text.toks.n;
    for (size_t k = a; k < n && k < i + FRAME_REACH && qt_sent_of(d, k) == s; k++) {
        if (!qt_is_word(d, k) || (TOK(k).flags & QT_TF_INQUOTE) || !(TOK(k).flags & QT_TF_LOWER))
            continue;
        uint32_t f = LEX(k);
        int is_anchor = (f & W_SPEECHN) || (f & W_TELL) || qt_cue_at(d, k, 0.5f);
        if (is_anchor && venue_after(d, k, (f & W_TELL) != 0, vs, ve)) {
            if (anchor)
                *anchor = k;
            return 1;
        }
    }
    return 0;
}

typedef struct frame {
    np who;
    uint32_t cue_s, cue_e;
    float conf;
} frame;

static int frame_from_np(const qt_doc *d, np who, size_t cue, int cue_len, float conf, frame *f)
{
    if (who.kind == NP_NONE)
        return 0;
    f->who = who;
    f->cue_s = TOK(cue).start;
    f->cue_e = TOK(cue + (size_t)cue_len - 1).end;
    f->conf = conf;
    return 1;
}

/* (1) after-frame. */
static int after_frame(const qt_doc *d, const qt_qspan *q, frame *f)
{
    size_t n = d->text.toks.n;
    if (q->unclosed)
        return 0;
    size_t c = q->tok_close, i = c + 1;
    if (i >= n || TOK(i).para != TOK(c).para)
        return 0;
    /* `"Why now?" Vale asked.` - the sentence splitter ends the sentence at the mark, yet the
     * words after it may still be the frame; then only a tight one counts (see below). A
     * partial quote that ends its sentence leaves the next sentence to its own speaker. */
    int ended = (TOK(c).flags & QT_TF_SENT_END) != 0;
    if (ended && q->kind == QT_QUOTE_PARTIAL)
        return 0;
    int dash = 0;
    if (TOK(i).kind == QT_TOK_PUNCT && (TOK(i).hash == ',' || TOK(i).hash == '-')) {
        dash = TOK(i).hash == '-';
        i++;
    }
    size_t hi = i;
    while (hi < n && hi < i + 28 && TOK(hi).para == TOK(c).para &&
           !(TOK(hi).kind == QT_TOK_QUOTE && (TOK(hi).flags & QT_TF_QOPEN))) {
        if (TOK(hi++).flags & QT_TF_SENT_END)
            break;
    }
    /* The cue first, then its subject: `"…," campaign spokesman Tom Reed said` names the
     * speaker just before the cue; `"…," said Reed` just after it. */
    for (size_t k = i; k < hi; k++) {
        int cl = qt_cue_at(d, k, 0.2f);
        if (!cl)
            continue;
        np who = k > i ? qt_np_left(d, k, i) : qt_np_right(d, k + (size_t)cl, hi);
        if (who.kind == NP_NONE && k == i)
            return 0;
        if (who.kind == NP_NONE)
            break;
        /* The speaker must follow the quote, with at most role words before the name
         * ("campaign spokesman Tom Reed said"): a clause in between ("… against what the
         * campaign sees") makes the cue someone else's. */
        size_t s0 = who.first;      /* where the speaker's words start, titles included */
        while (s0 > i && (TOK(s0 - 1).hash == '.' ||
                          (qt_is_word(d, s0 - 1) && (LEX(s0 - 1) & W_TITLE))))
            s0--;
        int clause = s0 > i && TOK(s0 - 1).hash == ',';   /* "…, she said" */
        for (size_t w = i; k > i && !clause && w < s0; w++)
            if (TOK(w).kind == QT_TOK_PUNCT || (qt_is_word(d, w) && (LEX(w) & (W_DET | W_CONJ))))
                continue;   /* "The Harbor Post", "but she said", stray markup */
            else if (TOK(w).kind == QT_TOK_QUOTE ||
                     (qt_is_word(d, w) && (LEX(w) & (W_NONVERB | W_CUE | W_PRON_M | W_PRON_F)))) {
                if (d->debug)
                    fprintf(stderr, "after-frame rejected: %.*s\n",
                            (int)(TOK(k).end - TOK(i).start), d->text.p + TOK(i).start);
                return 0;
            }
        if (ended && (k > who.end + 2 || who.kind == NP_DESC || who.kind == NP_ANON))
            return 0;
        return frame_from_np(d, who, k, cl,
                             who.kind == NP_NAME ? 0.95f : who.kind == NP_PRON ? 0.9f : 0.85f, f);
    }
    if (dash) {
        np who = qt_np_right(d, i, hi);
        if (who.kind == NP_NAME)
            return frame_from_np(d, who, i - 1, 1, 0.85f, f);
    }
    return 0;
}

/* A strong speech cue (lexicon precision >= 0.8) with its own subject, left of token j in the
 * same sentence. */
static int stronger_frame(const qt_doc *d, size_t j, size_t lo, frame *f)
{
    for (size_t k = j; k-- > lo;) {
        if ((TOK(k).flags & QT_TF_INQUOTE) || qt_cue_at(d, k, 0.8f) != 1)
            continue;
        np who = qt_np_left(d, k, lo);
        if (who.kind != NP_NONE)
            return frame_from_np(d, who, k, 1, 0.85f, f);
    }
    return 0;
}

/* (2) before-frame. */
static int before_frame(const qt_doc *d, const qt_qspan *q, frame *f)
{
    size_t o = q->tok_open;
    if (o == 0)
        return 0;
    size_t lo = qt_sentence_start(d, o, 0);
    /* `Vale: "…"`, `Vale on the feud: "…"` — a name opening a cue-less sentence, then a
     * colon. */
    int has_cue = 0;
    for (size_t k = lo; k + 1 < o && !has_cue; k++)
        has_cue = !(TOK(k).flags & QT_TF_INQUOTE) && qt_cue_at(d, k, 0.3f);
    if (TOK(o - 1).hash == ':' && TOK(o - 1).kind == QT_TOK_PUNCT && o >= 2 && !has_cue) {
        int m = qt_mention_at(d, (uint32_t)lo);
        if (m >= 0 && QT_VEC_AT(&d->mentions, qt_mention, m).tok_end + 6 >= o) {
            const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
            np who = {NP_NAME, mm->tok_first, mm->tok_end, mm->entity};
            return frame_from_np(d, who, o - 1, 1, 0.85f, f);
        }
    }
    int dangling = -1;     /* a cue with no subject of its own */
    int dangling_len = 0;
    for (size_t j = o; j-- > lo;) {
        if (TOK(j).flags & QT_TF_INQUOTE)
            continue;
        int cl = qt_cue_at(d, j, 0.3f);
        if (!cl)
            continue;
        if (cl > 1 && TOK(j).hash == qt_word_hash("according", 9)) {
            np who = qt_np_right(d, j + (size_t)cl, o);
            if (frame_from_np(d, who, j, cl, 0.93f, f))
                return 1;
            continue;
        }
        np who = qt_np_left(d, j, lo);
        if (who.kind != NP_NONE) {
            /* "The agency said North Korea had displayed "…"": a weak cue (a verb that
             * reports speech less than half the times it occurs) inside a clause that a
             * strong cue reports yields to the strong one. */
            if (dangling < 0 && cl == 1 && q->kind == QT_QUOTE_PARTIAL) {
                const qt_word *w = qt_lex_get(d->engine, TOK(j).hash);
                if (w && w->cue_prec < 0.5f && stronger_frame(d, j, lo, f))
                    return 1;
            }
            size_t cue = dangling >= 0 ? (size_t)dangling : j;
            int len = dangling >= 0 ? dangling_len : cl;
            return frame_from_np(d, who, cue, len, 0.92f, f);
        }
        who = qt_np_right(d, j + (size_t)cl, o);
        /* An inverted speaker ends its clause: `said Vale,` / `said the mayor:`. After
         * `accuse Vale of`, `telling Vale that` or `urged voters to`, the name is the object. */
        if (who.kind != NP_NONE) {
            size_t e = qt_skip_apposition(d, who.end);
            int ends = e >= o || TOK(e).kind == QT_TOK_QUOTE ||
                       (TOK(e).kind == QT_TOK_PUNCT &&
                        (TOK(e).hash == ',' || TOK(e).hash == ':' || TOK(e).hash == '.'));
            if (!ends)
                who.kind = NP_NONE;
        }
        if (who.kind == NP_NAME || who.kind == NP_DESC || who.kind == NP_ANON) {
            size_t cue = dangling >= 0 ? (size_t)dangling : j;
            int len = dangling >= 0 ? dangling_len : cl;
            return frame_from_np(d, who, cue, len, 0.9f, f);
        }
        if (dangling < 0) {
            dangling = (int)j;
            dangling_len = cl;
        }
    }
    if (dangling >= 0 && lo > 0 && TOK(lo - 1).para == TOK(o).para) {
        /* "Or saying, "…"": a cue with no subject in its sentence continues the last one. */
        size_t a = qt_sentence_start(d, lo - 1, 0);
        np who = qt_sentence_subject(d, a, lo);
        int has_subject_in_own = 0;
        for (size_t k = lo; k < (size_t)dangling && !has_subject_in_own; k++)
            has_subject_in_own = qt_mention_at(d, (uint32_t)k) >= 0 ||
                                 (qt_is_word(d, k) && (LEX(k) & W_PRON_SUBJ));
        if (!has_subject_in_own && who.kind != NP_NONE)
            return frame_from_np(d, who, (size_t)dangling, dangling_len, 0.7f, f);
    }
    if (dangling >= 0) {
        /* "…, acknowledging, "…"": the sentence's subject speaks. */
        for (size_t k = lo; k < (size_t)dangling; k++) {
            if (TOK(k).flags & QT_TF_INQUOTE)
                continue;
            int m = qt_mention_at(d, (uint32_t)k);
            if (m >= 0 && QT_VEC_AT(&d->mentions, qt_mention, m).subject) {
                const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
                np who = {NP_NAME, mm->tok_first, mm->tok_end, mm->entity};
                return frame_from_np(d, who, (size_t)dangling, dangling_len, 0.8f, f);
            }
            np who = qt_np_right(d, k, (size_t)dangling);
            if (who.kind == NP_PRON || who.kind == NP_DESC)
                return frame_from_np(d, who, (size_t)dangling, dangling_len, 0.8f, f);
        }
    }
    return 0;
}

static const char *arena_span(qt_doc *d, uint32_t s, uint32_t e)
{
    return qt_arena_strndup(&d->arena, d->text.p + s, e - s);
}

/* Turn a frame's speaker words into an entity / kind on the quote. */
static void assign(qt_doc *d, qt_qspan *q, const frame *f)
{
    q->mention_start = TOK(f->who.first).start;
    q->mention_end = TOK(f->who.end - 1).end;
    if (TOK(f->who.end - 1).flags & QT_TF_POSS)
        q->mention_end -= (d->text.p[q->mention_end - 2] == '\'') ? 2 : 4;
    q->cue_start = f->cue_s;
    q->cue_end = f->cue_e;
    q->confidence = f->conf;
    qt_resolve_np(d, &f->who, &q->entity, &q->speaker_kind, &q->confidence);
}

static void copy_speaker(qt_qspan *dst, const qt_qspan *src, float conf)
{
    dst->entity = src->entity;
    dst->speaker_kind = src->speaker_kind;
    dst->mention_start = src->mention_start;
    dst->mention_end = src->mention_end;
    dst->cue_start = src->cue_start;
    dst->cue_end = src->cue_end;
    dst->confidence = conf;
}

/* (4) the previous paragraph's last sentence introduces the speaker. */
static int intro_frame(const qt_doc *d, const qt_qspan *q, frame *f)
{
    uint32_t para = TOK(q->tok_open).para;
    size_t o = q->tok_open, z, first;
    if (TOK(o).flags & QT_TF_PARA_START) {
        if (para == 0)
            return 0;
        const qt_para *pp = &QT_PARA(&d->text, para - 1);
        z = pp->tok_end - 1;
        first = pp->tok_first;
    } else if (o > 0 && (TOK(o - 1).flags & QT_TF_SENT_END)) {
        /* `…, Vale said. "…"`: the sentence before, in the same paragraph */
        z = o - 1;
        first = QT_PARA(&d->text, para).tok_first;
    } else {
        return 0;
    }
    size_t lo = qt_sentence_start(d, z, first);
    int colon = TOK(z).hash == ':' && TOK(z).kind == QT_TOK_PUNCT;
    for (size_t j = lo; j <= z; j++) {
        if (TOK(j).flags & QT_TF_INQUOTE)
            continue;
        int cl = qt_cue_at(d, j, colon ? 0.2f : 0.5f);
        if (!cl)
            continue;
        np who = qt_np_left(d, j, lo);
        if (who.kind == NP_NONE)
            who = qt_np_right(d, j + (size_t)cl, z + 1);
        if (frame_from_np(d, who, j, cl, colon ? 0.9f : 0.8f, f))
            return 1;
    }
    if (colon) {
        /* "He also gushed over the wedding:" — no cue word, but the colon hands over. */
        for (size_t k = lo; k < z; k++) {
            np who = qt_np_right(d, k, z);
            if (who.kind == NP_NAME || who.kind == NP_PRON) {
                f->who = who;
                f->cue_s = TOK(z).start;
                f->cue_e = TOK(z).end;
                f->conf = 0.75f;
                return 1;
            }
        }
    }
    return 0;
}

/* Keep the article's venue names for full_venue() (analyze.c): each once, and at most
 * MAX_VENUE_NAMES, so that comparing every quote's venue with them stays cheap. */
#define MAX_VENUE_NAMES 64

static const char *remember_venue(qt_doc *d, const char *v)
{
    if (!v || d->venue_names.n >= MAX_VENUE_NAMES)
        return v;
    for (size_t i = 0; i < d->venue_names.n; i++)
        if (strcmp(QT_VEC_AT(&d->venue_names, const char *, i), v) == 0)
            return v;
    const char **slot = qt_vec_push(&d->venue_names);
    if (slot)
        *slot = v;
    return v;
}

static const char *venue_string(qt_doc *d, uint32_t vs, uint32_t ve)
{
    const char *p = d->text.p + vs;
    /* "the Morning Dock Show" and "Morning Dock Show" are one venue. */
    if (ve - vs > 4 && (memcmp(p, "the ", 4) == 0 || memcmp(p, "The ", 4) == 0) &&
        d->text.p[vs + 4] >= 'A' && d->text.p[vs + 4] <= 'Z')
        vs += 4;
    return remember_venue(d, arena_span(d, vs, ve));
}

/* Sentences before token `upto` that give an interview's venue set their subject's venue. */
static void carry_venues(qt_doc *d, int *next_sent, size_t *cursor, int upto_sent)
{
    size_t n = d->text.toks.n;
    while (*next_sent < upto_sent) {
        int s = *next_sent;
        while (*cursor < n && qt_sent_of(d, *cursor) < s)
            (*cursor)++;
        size_t a = *cursor;
        size_t b = a;
        while (b < n && qt_sent_of(d, b) == s)
            b++;
        uint32_t vs, ve;
        size_t anchor = a;
        if (a < n && sentence_venue(d, a, &vs, &ve, &anchor)) {
            /* Whose venue: the cue's own subject ("after the star told Lantern" is the star's,
             * not the sentence's); a descriptor we cannot pin down gives no one a venue. For a
             * speech noun ("in an interview with Harbor, Vale said") the first subject. */
            int ent = -1;
            if (!(LEX(anchor) & W_SPEECHN)) {
                np who = qt_np_left(d, anchor, a);
                if (who.kind == NP_NAME)
                    ent = who.entity;
                else if (who.kind == NP_PRON && (LEX(who.first) & (W_PRON_M | W_PRON_F)))
                    ent = qt_entity_of_pronoun(d, who.first);
                if (who.kind != NP_NONE)
                    b = a;   /* decided: skip the first-subject search below */
            }
            for (size_t k = a; k < b && ent < 0; k++) {
                if (TOK(k).flags & QT_TF_INQUOTE)
                    continue;
                int m = qt_mention_at(d, (uint32_t)k);
                if (m >= 0 && QT_VEC_AT(&d->mentions, qt_mention, m).subject)
                    ent = QT_VEC_AT(&d->mentions, qt_mention, m).entity;
                else if (qt_is_word(d, k) && (LEX(k) & W_PRON_SUBJ) &&
                         (LEX(k) & (W_PRON_M | W_PRON_F)))
                    ent = qt_entity_of_pronoun(d, (uint32_t)k);
            }
            if (ent >= 0) {
                qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, ent);
                e->venue = venue_string(d, vs, ve);
            }
        }
        (*next_sent)++;
    }
}

const char *qt_rule_name(int rule)
{
    static const char *const names[] = {
#define X(n, s) s,
        QT_RULES(X)
#undef X
    };
    return rule >= 0 && rule < (int)(sizeof names / sizeof *names) ? names[rule] : "none";
}

qt_status qt_attribute(qt_doc *d)
{
    int next_sent = 0;
    size_t cursor = 0;     /* first token of sentence next_sent, for carry_venues() */
    int prev_top = -1;
    for (size_t qi = 0; qi < d->quotes.n; qi++) {
        qt_qspan *q = &QT_VEC_AT(&d->quotes, qt_qspan, qi);
        q->entity = -1;
        q->speaker_kind = QT_SPEAKER_UNKNOWN;
        q->confidence = 0.3f;
        if (q->parent >= 0)
            continue;   /* nested quotes are attributed after all outer ones, below */
        carry_venues(d, &next_sent, &cursor, qt_sent_of(d, q->tok_open));
        frame f;
        /* A quote ending in "," or with no final stop hands over to the words after it. */
        int found = after_frame(d, q, &f);
        q->rule = QT_RULE_AFTER;
        if (!found) {
            found = before_frame(d, q, &f);
            q->rule = QT_RULE_BEFORE;
        }
        if (found) {
            assign(d, q, &f);
        } else {
            q->rule = QT_RULE_NONE;
            const qt_qspan *pq = prev_top >= 0 ? &QT_VEC_AT(&d->quotes, qt_qspan, prev_top) : NULL;
            uint32_t para = TOK(q->tok_open).para;
            int para_start = (TOK(q->tok_open).flags & QT_TF_PARA_START) != 0;
            /* A direct quote goes on where the last one stopped; a partial quote belongs to
             * the writer's sentence around it (the subject rule below), not to the last
             * speaker (PolNeAR dev: 97 of 99 continued direct quotes right, 1 of 7 partial). */
            if (pq && TOK(pq->tok_open).para == para && pq->speaker_kind != QT_SPEAKER_UNKNOWN &&
                q->kind == QT_QUOTE_DIRECT) {
                copy_speaker(q, pq, 0.85f);
                q->rule = QT_RULE_CONTINUED;
            } else if (intro_frame(d, q, &f)) {
                assign(d, q, &f);
                q->rule = QT_RULE_INTRO;
            } else if (para_start && para > 0) {
                /* A quote paragraph after a paragraph about someone already quoted: the
                 * writer is handing the floor back to them. */
                const qt_para *pp = &QT_PARA(&d->text, para - 1);
                for (size_t k = pp->tok_end; k-- > pp->tok_first;) {
                    if (TOK(k).flags & QT_TF_INQUOTE)
                        continue;
                    int m = qt_mention_at(d, (uint32_t)k), ent = -1;
                    if (m >= 0)
                        ent = QT_VEC_AT(&d->mentions, qt_mention, m).entity;
                    else if (qt_is_word(d, k) && (LEX(k) & (W_PRON_M | W_PRON_F)))
                        ent = qt_entity_of_pronoun(d, (uint32_t)k);
                    if (ent < 0 || QT_VEC_AT(&d->entities, qt_entity, ent).quotes <= 0)
                        continue;
                    q->entity = ent;
                    q->speaker_kind = QT_SPEAKER_PERSON;
                    q->mention_start = TOK(k).start;
                    q->mention_end = m >= 0 ? QT_VEC_AT(&d->mentions, qt_mention, m).end
                                            : TOK(k).end;
                    q->confidence = 0.6f;
                    q->rule = QT_RULE_FLOOR;
                    break;
                }
            }
        }
        if (q->speaker_kind == QT_SPEAKER_UNKNOWN && !(TOK(q->tok_open).flags & QT_TF_PARA_START)) {
            /* `Cruz urged voters to "vote your conscience"`: no cue, but the sentence's
             * subject is the likeliest source of the words it quotes. */
            size_t o = q->tok_open, lo = qt_sentence_start(d, o, 0);
            np who = qt_sentence_subject(d, lo, o);
            if (who.kind != NP_NONE) {
                memset(&f, 0, sizeof f);
                f.who = who;
                f.conf = 0.5f;
                assign(d, q, &f);
                q->rule = QT_RULE_SUBJECT;
            }
        }
        if (q->unclosed)
            q->confidence *= 0.7f;
        /* venue: the quote's own sentence, else the speaker's last one */
        uint32_t vs, ve;
        size_t anchor = q->tok_open;
        if (q->cue_end) {
            /* the cue's own sentence holds the frame */
            size_t lo = 0, hi = d->text.toks.n;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (TOK(mid).start < q->cue_start) lo = mid + 1; else hi = mid;
            }
            anchor = lo < d->text.toks.n ? lo : q->tok_open;
        }
        if (q->speaker_kind != QT_SPEAKER_UNKNOWN && sentence_venue(d, anchor, &vs, &ve, NULL)) {
            q->venue_start = vs;
            q->venue_end = ve;
            if (q->entity >= 0)
                QT_VEC_AT(&d->entities, qt_entity, q->entity).venue = venue_string(d, vs, ve);
        } else if (q->entity >= 0) {
            q->venue_carried = QT_VEC_AT(&d->entities, qt_entity, q->entity).venue;
        }
        if (q->entity >= 0)
            QT_VEC_AT(&d->entities, qt_entity, q->entity).quotes++;
        if (d->debug) {
            const qt_entity *e = q->entity >= 0 ? &QT_VEC_AT(&d->entities, qt_entity, q->entity)
                                                : NULL;
            fprintf(stderr, "quote@%u %-32s -> %.*s  \"%.40s\"\n", q->start, qt_rule_name(q->rule),
                    e ? (int)(e->name_end - e->name_start) : 1,
                    e ? d->text.p + e->name_start : "?", d->text.p + q->start);
        }
        prev_top = (int)qi;
    }
    /* Nested quotes: a speaker named inside the outer quote, by an after- or before-frame. */
    for (size_t qi = 0; qi < d->quotes.n; qi++) {
        qt_qspan *q = &QT_VEC_AT(&d->quotes, qt_qspan, qi);
        if (q->parent < 0)
            continue;
        size_t o = q->tok_open;
        for (size_t j = o; j-- > 0 && j + 12 > o;) {
            if (!qt_is_word(d, j))
                continue;
            const qt_word *w = qt_lex_get(d->engine, TOK(j).hash);
            if (!w || !(w->flags & W_CUE) || w->cue_prec < 0.5f || !(TOK(j).flags & QT_TF_LOWER))
                continue;
            size_t e = j;
            while (e > 0 && (qt_is_skippable(d, e - 1) || TOK(e - 1).hash == ',' ||
                             (qt_is_word(d, e - 1) && (LEX(e - 1) & W_CONJ))))
                e--;
            /* inside the quote, skip the clause between: "She came to me, and said" */
            for (size_t k = e; k-- > 0 && k + 8 > e;) {
                if (!qt_is_word(d, k))
                    continue;
                uint32_t f = LEX(k);
                int m = qt_mention_ending_at(d, (uint32_t)k);
                if (m >= 0) {
                    const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
                    q->entity = mm->entity;
                    q->speaker_kind = QT_SPEAKER_PERSON;
                    q->mention_start = mm->start;
                    q->mention_end = mm->end;
                } else if (f & W_PRON_SUBJ) {
                    /* "She came to me and said, 'Call him'": she is someone the writer named
                     * before the outer quote, other than its speaker. */
                    q->mention_start = TOK(k).start;
                    q->mention_end = TOK(k).end;
                    if (f & (W_PRON_M | W_PRON_F)) {
                        int outer = QT_VEC_AT(&d->quotes, qt_qspan, q->parent).entity;
                        uint32_t o = QT_VEC_AT(&d->quotes, qt_qspan, q->parent).tok_open;
                        q->entity = qt_pronoun_referent(d, o, f, outer);
                        if (q->entity >= 0)
                            q->speaker_kind = QT_SPEAKER_PERSON;
                    }
                } else {
                    continue;
                }
                q->cue_start = TOK(j).start;
                q->cue_end = TOK(j).end;
                q->confidence = 0.6f;
                break;
            }
            break;
        }
    }
    return QT_OK;
}
