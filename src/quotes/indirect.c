/*
 * indirect.c - attributed speech without quotation marks around it.
 *
 * Design notes. A cue outside quotation marks, with a speaker phrase on one side, marks an
 * attribution whose content is the rest of its writer sentence:
 *  (1) content after:  "Vale said (that) the harbour would close."  "Vale told reporters the
 *      deal was dead."  The content starts after the cue and, for tell-verbs, the addressee
 *      ("reporters", "CNN", "him"); a "that" opening it is part of it.
 *  (2) content before: "The harbour will close, Vale said."  "…, said Vale."  The speaker phrase
 *      (or the inverted cue) follows a comma and ends the sentence but for a short tail ("on
 *      Monday", "in a statement").
 *  (3) according to:   "According to officials, the harbour …" and "…, according to officials."
 *  (4) colon:          "Vale: We Are Not Back Together" (headlines), "VALE: Well, look, …"
 *      (transcripts): one to four capitalised words open the sentence, then a colon.
 * A content that is one direct quote is left to quotes[] (attrib.c has its frame); one that
 * holds a quoted fragment is `mixed`. Anonymous sources ("a source said", "officials said") are
 * findings with speaker_kind anonymous. A weak cue (see MIN_PREC) needs a named or pronoun
 * subject.
 */
#include "quotes/qt_quotes.h"

#include <stdio.h>
#include <string.h>

/* Weakest cue admitted: the mined lexicon keeps words that are a cue at least 15% of the times
 * they occur (belief and evidence verbs: "shows", "wants", "found"); below 0.3 only with a named
 * or pronoun subject. (Measured on PolNeAR dev: 0.15 gave the best content F1 of 0.15-0.3.) */
#ifndef MIN_PREC
#define MIN_PREC 0.15f
#endif

#define TOK(i) QT_TOK(&d->text, i)
#define LEX(i) (TOK(i).lex)

/* Last token of i's writer sentence (not past FRAME_REACH * 2 tokens). */
static size_t sentence_last(const qt_doc *d, size_t i)
{
    size_t n = d->text.toks.n, k = i;
    while (k + 1 < n && k < i + 2 * FRAME_REACH && !(TOK(k).flags & QT_TF_SENT_END) &&
           TOK(k + 1).para == TOK(i).para)
        k++;
    return k;
}

/* The content span between tokens [a, z], without sentence-final punctuation (a closing quote
 * mark after it stays: the quote is part of the content). 0 when nothing with a word is left. */
static int content_span(const qt_doc *d, size_t a, size_t z, uint32_t *s, uint32_t *e)
{
    while (z > a && TOK(z).kind == QT_TOK_PUNCT &&
           (TOK(z).hash == '.' || TOK(z).hash == ',' || TOK(z).hash == ';' || TOK(z).hash == ':'))
        z--;
    while (a < z && TOK(a).kind == QT_TOK_PUNCT && (TOK(a).hash == ',' || TOK(a).hash == ':'))
        a++;
    int words = 0;
    for (size_t k = a; k <= z && words < 3; k++)
        words += qt_is_word(d, k);
    if (words < 3)
        return 0;
    *s = TOK(a).start;
    *e = TOK(z).end;
    return 1;
}

/* Is token k a verb that would start a second predicate ("and said", "but has argued",
 * "and encouraged")? Without a tagger: a cue, an auxiliary or an -ed form, lowercase. */
static int verbish(const qt_doc *d, size_t k)
{
    const qt_tok *t = &TOK(k);
    if (!qt_is_word(d, k) || !(t->flags & QT_TF_LOWER) || (t->flags & QT_TF_INQUOTE))
        return 0;
    size_t len = t->end - t->start;
    return (t->lex & (W_CUE | W_SKIP)) ||
           (len > 4 && d->text.p[t->end - 2] == 'e' && d->text.p[t->end - 1] == 'd');
}

/* Does "and" or "but" stand right before cue k (past adverbs and auxiliaries)? */
static int conj_before(const qt_doc *d, size_t k, size_t lo)
{
    while (k > lo && qt_is_skippable(d, k - 1))
        k--;
    return k > lo && qt_is_word(d, k - 1) && (TOK(k - 1).flags & QT_TF_LOWER) &&
           (TOK(k - 1).hash == qt_word_hash("and", 3) || TOK(k - 1).hash == qt_word_hash("but", 3));
}

/* Where a content after its cue ends: the sentence's end [z], or before a second predicate of
 * the speaker's ("…, and said …", "… and called for …", "…, saying …", "…, adding that …"),
 * which is the writer's, or another attribution of its own. */
static size_t clause_last(const qt_doc *d, size_t a, size_t z)
{
    for (size_t k = a + 1; k + 1 <= z; k++) {
        const qt_tok *t = &TOK(k);
        if (t->flags & QT_TF_INQUOTE)
            continue;
        if (t->kind == QT_TOK_PUNCT && t->hash == ';')
            return k - 1;                               /* "…; they only learned …" */
        int comma = t->kind == QT_TOK_PUNCT && t->hash == ',';
        if (comma && k + 1 <= z && qt_is_word(d, k + 1) &&
            (TOK(k + 1).flags & QT_TF_LOWER) &&
            TOK(k + 1).hash == qt_word_hash("but", 3))
            return k - 1;                               /* ", but …" */
        size_t w = comma ? k + 1 : k;
        if (!qt_is_word(d, w) || !(TOK(w).flags & QT_TF_LOWER) || (TOK(w).flags & QT_TF_INQUOTE))
            continue;
        int conj = TOK(w).hash == qt_word_hash("and", 3) || TOK(w).hash == qt_word_hash("but", 3);
        if (comma && (LEX(w) & W_CUE) && d->text.p[TOK(w).end - 1] == 'g')
            return k - 1;                           /* ", saying …" */
        if (conj && w + 1 <= z && verbish(d, w + 1))
            return w - 1 - (size_t)comma;           /* "(,) and said …" */
        if (comma && conj && w + 1 <= z && qt_is_word(d, w + 1) &&
            (TOK(w + 1).flags & QT_TF_LOWER) && !(LEX(w + 1) & W_DET))
            return k - 1;                           /* ", and when pressed, …" */
    }
    return z;
}

/* Is [s, e) one direct quote and nothing else (then quotes[] already has it), and does it hold a
 * quote at all (mixed)? Quotes are in text order: binary search for the first that may touch. */
static void quotes_in(const qt_doc *d, uint32_t s, uint32_t e, int *only_quote, int *has_quote)
{
    *only_quote = *has_quote = 0;
    size_t lo = 0, hi = d->quotes.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (QT_VEC_AT(&d->quotes, qt_qspan, mid).start + (1u << 16) < s)
            lo = mid + 1;   /* skip quotes starting more than 64 KiB before s: contents are
                             * one sentence, and a longer quote reaching into one only loses
                             * the "mixed" label */
        else
            hi = mid;
    }
    for (size_t qi = lo; qi < d->quotes.n; qi++) {
        const qt_qspan *q = &QT_VEC_AT(&d->quotes, qt_qspan, qi);
        if (q->start >= e)
            break;
        if (q->parent >= 0 || q->end <= s)
            continue;
        *has_quote = 1;
        /* the quote (with its marks) covers nearly all of the content */
        if (TOK(q->tok_open).start <= s + 2 && q->end + 6 >= e)
            *only_quote = 1;
    }
}

/* A sentence with this many words of the writer's own besides the quote and its frame ("Acts
 * of protest, Vale said, are acts of patriotism, whether … ''I can't breathe''") is a mixed
 * attribution around the quote, not just the quote's frame. */
#define MIXED_WORDS 6

/* Words of cue k's sentence outside quotation marks, less the few around the cue (speaker and
 * cue: "Mr. Ada Vale said"). */
static size_t writer_words(const qt_doc *d, size_t k)
{
    size_t lo = qt_sentence_start(d, k, 0), z = sentence_last(d, k), words = 0;
    for (size_t i = lo; i <= z; i++)
        words += qt_is_word(d, i) && !(TOK(i).flags & QT_TF_INQUOTE) &&
                 (i + 4 < k || i > k + 1);
    return words;
}

/* Mark the tokens that are a direct quote's cue: that cue belongs to the quote, not to an
 * attribution of its own. (A partial quote's cue frames the writer's whole clause, which is
 * then a mixed attribution.) */
static void mark_quote_cues(qt_doc *d)
{
    size_t n = d->text.toks.n;
    for (size_t qi = 0; qi < d->quotes.n; qi++) {
        const qt_qspan *q = &QT_VEC_AT(&d->quotes, qt_qspan, qi);
        if (q->cue_end <= q->cue_start || q->kind != QT_QUOTE_DIRECT)
            continue;
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (TOK(mid).start < q->cue_start) lo = mid + 1; else hi = mid;
        }
        /* Only a frame in the quote's own sentence: a cue lent to the next paragraph's quote
         * ("Vale said that …" then a quote paragraph) still frames its own sentence. */
        if (lo < n && TOK(lo).start == q->cue_start &&
            (qt_sent_of(d, lo) == qt_sent_of(d, q->tok_open) ||
             qt_sent_of(d, lo) == qt_sent_of(d, q->tok_close)) &&
            writer_words(d, lo) < MIXED_WORDS)
            TOK(lo).flags |= QT_TF_QCUE;
    }
}

/* Skip what stands between a cue and its content: "that", a tell-verb's addressee, ':' / ','. */
static size_t content_start(const qt_doc *d, size_t k, size_t z, int tell)
{
    if (tell && k <= z) {
        np to = qt_np_right(d, k, z + 1);
        if (to.kind != NP_NONE)
            k = to.end;
        else if (qt_is_word(d, k) && (LEX(k) & (W_PRON_M | W_PRON_F | W_PRON_PL | W_PRON_I)))
            k++;     /* "told him" */
        else if (qt_is_word(d, k) && (TOK(k).flags & QT_TF_LOWER) &&
                 !(LEX(k) & (W_NONVERB | W_DET)))
            k++;     /* "told reporters" */
    }
    while (k <= z && TOK(k).kind == QT_TOK_PUNCT && (TOK(k).hash == ',' || TOK(k).hash == ':'))
        k++;
    return k;
}

/* Is cue k passive ("was released", "is supported by")? Its subject is then what was said or
 * done, not who said it. */
static int passive(const qt_doc *d, size_t k, size_t lo)
{
    const qt_tok *c = &TOK(k);
    if (c->end - c->start < 4 || d->text.p[c->end - 1] != 'd')
        return 0;
    for (size_t i = k; i > lo && qt_is_skippable(d, i - 1); i--) {
        static const char *const be[] = {"is", "was", "were", "are", "been", "be", "being", NULL};
        const qt_tok *t = &TOK(i - 1);
        for (const char *const *w = be; *w; w++)
            if (t->end - t->start == strlen(*w) && memcmp(d->text.p + t->start, *w, strlen(*w)) == 0)
                return 1;
    }
    return 0;
}

/* "Vale added:" closing its paragraph introduces the next one, set off without quotation
 * marks (a block quote): its tokens [*a, *z]. A paragraph opening with a quotation mark is a
 * direct quote, which quotes[] has. */
static int block_after(const qt_doc *d, size_t colon, size_t *a, size_t *z)
{
    size_t n = d->text.toks.n;
    if (TOK(colon).kind != QT_TOK_PUNCT || TOK(colon).hash != ':' || colon + 1 >= n ||
        !(TOK(colon + 1).flags & QT_TF_PARA_START) || TOK(colon + 1).kind == QT_TOK_QUOTE)
        return 0;
    const qt_para *p = &QT_PARA(&d->text, TOK(colon + 1).para);
    *a = colon + 1;
    *z = p->tok_end - 1;
    return 1;
}

/* After a speech verb ("said", "told reporters") a content opens with "that" or a clause,
 * never with an adjunct: "said on Friday that …" opens at "that"; "said before he died", "said
 * at a briefing Monday", "told after the meeting" frame a quote elsewhere and have no content
 * here (past z). (Other cues take prepositional contents: "wants to", "responded with".) */
static size_t past_adjunct(const qt_doc *d, size_t a, size_t z)
{
    static const char *const adj[] = {"on", "at", "in", "after", "before", "when", "as", "during",
                                      "while", "of", "with", "from", "following", "since", NULL};
    const qt_tok *t = &TOK(a);
    int adjunct = qt_is_word(d, a) && (t->lex & W_CALENDAR);
    for (const char *const *w = adj; *w && !adjunct && qt_is_word(d, a); w++)
        adjunct = (t->flags & QT_TF_LOWER) && t->end - t->start == strlen(*w) &&
                  memcmp(d->text.p + t->start, *w, strlen(*w)) == 0;
    if (!adjunct)
        return a;
    for (size_t k = a + 1; k <= z && k < a + 14; k++) {
        if (TOK(k).flags & QT_TF_INQUOTE)
            break;
        if (qt_is_word(d, k) && TOK(k).hash == qt_word_hash("that", 4))
            return k;
    }
    return z + 1;
}

static qt_status add(qt_doc *d, int kind, const np *who, size_t cue, int cue_len, uint32_t cs,
                     uint32_t ce, float conf, int shape)
{
    int only_quote, has_quote;
    quotes_in(d, cs, ce, &only_quote, &has_quote);
    if (only_quote)
        return QT_OK;
    qt_aspan *a = qt_vec_push(&d->attrs);
    if (!a)
        return QT_ENOMEM;
    a->kind = (uint8_t)(has_quote && kind == QT_ATTR_INDIRECT ? QT_ATTR_MIXED : kind);
    a->cue_start = TOK(cue).start;
    a->cue_end = TOK(cue + (size_t)cue_len - 1).end;
    a->content_start = cs;
    a->content_end = ce;
    a->confidence = conf;
    a->shape = (uint8_t)shape;
    a->src_class = (uint8_t)(who ? who->kind : NP_NONE);
    const qt_word *w = qt_lex_get(d->engine, TOK(cue).hash);
    a->cue_prec = cue_len > 1 ? 0.9f : w && (w->flags & W_CUE) ? w->cue_prec : 0.0f;
    a->entity = -1;
    a->speaker_kind = QT_SPEAKER_UNKNOWN;
    if (who && who->kind != NP_NONE) {
        a->src_start = TOK(who->first).start;
        a->src_end = TOK(who->end - 1).end;
        if (TOK(who->end - 1).flags & QT_TF_POSS)
            a->src_end -= (d->text.p[a->src_end - 2] == '\'') ? 2 : 4;
        qt_resolve_np(d, who, &a->entity, &a->speaker_kind, &a->confidence);
    }
    return QT_OK;
}

/* Does a comma end what stands before token i: "…, Vale said" or "…,'' Vale said"? */
static int comma_before(const qt_doc *d, size_t i)
{
    if (TOK(i - 1).kind == QT_TOK_QUOTE && (TOK(i - 1).flags & QT_TF_QCLOSE) && i >= 2)
        i--;
    return TOK(i - 1).kind == QT_TOK_PUNCT && TOK(i - 1).hash == ',';
}

/* Is what follows a frame up to the sentence end [tail, z] no object of the cue, so that the
 * content is what came before it? Nothing ("…, Vale said."), or an adjunct ("…, Vale said on
 * Friday", "… in a statement"), not "In July, the union called for a moratorium". */
static int tail_is_adjunct(const qt_doc *d, size_t tail, size_t z)
{
    while (tail <= z && TOK(tail).kind == QT_TOK_PUNCT && TOK(tail).hash != ',')
        tail++;
    if (tail > z || TOK(tail).kind != QT_TOK_WORD)
        return 1;
    return past_adjunct(d, tail, z) != tail || qt_is_skippable(d, tail);
}

/* Does [lo, comma) read as an introductory phrase ("In a statement,", "On Friday,"), so that
 * a phrase after the comma can be the clause's subject? */
static int intro_phrase(const qt_doc *d, size_t lo, size_t comma)
{
    if (TOK(comma).kind != QT_TOK_PUNCT || TOK(comma).hash != ',')
        return 0;
    if (comma - lo <= 3)
        return 1;           /* "Still,", "On Friday," */
    return qt_is_word(d, lo) && (LEX(lo) & (W_NONVERB | W_STOPCAP)) && !(LEX(lo) & W_DET);
}

/* (3) "according to X": content on the other side of X's comma. */
static qt_status according_to(qt_doc *d, size_t k, int cl, size_t lo, size_t z)
{
    np who = qt_np_right(d, k + (size_t)cl, z + 1);
    if (who.kind == NP_NONE)
        who = qt_loose_right(d, k + (size_t)cl, z + 1);   /* "according to federal data" */
    if (who.kind == NP_NONE)
        return QT_OK;
    uint32_t cs, ce;
    /* "According to Ada Vale, 52, the …": a name's apposition is not the content */
    size_t after = who.kind == NP_NAME ? qt_skip_apposition(d, who.end) : who.end;
    if (k == lo || (k > lo && TOK(k - 1).kind == QT_TOK_PUNCT && k - 1 == lo)) {
        if (!content_span(d, after, z, &cs, &ce))
            return QT_OK;
    } else if (!content_span(d, lo, k - 1, &cs, &ce)) {
        return QT_OK;
    }
    return add(d, QT_ATTR_ACCORDING_TO, &who, k, cl, cs, ce, 0.85f, ATTR_SHAPE_ACCORDING);
}

/* (4) Does a colon frame open the sentence starting at token lo? Adds it and returns 1. */
static int colon_frame(qt_doc *d, size_t lo, qt_status *rc)
{
    size_t n = d->text.toks.n, k = lo;
    /* a transcript line sits inside the quote its paragraph opens: "PENCE: ..." */
    if (k < n && TOK(k).kind == QT_TOK_QUOTE && (TOK(k).flags & (QT_TF_QOPEN | QT_TF_QREOPEN)))
        k++;
    size_t first = k;
    while (k < n && k < first + 4 && qt_is_word(d, k) && (TOK(k).flags & QT_TF_CAP) &&
           !(LEX(k) & (W_STOPCAP | W_CALENDAR)))
        k++;
    if (k == first || k >= n || TOK(k).hash != ':' || TOK(k).kind != QT_TOK_PUNCT)
        return 0;
    size_t z = sentence_last(d, k);
    uint32_t cs, ce;
    if (!content_span(d, k + 1, z, &cs, &ce))
        return 0;
    int m = qt_mention_at(d, (uint32_t)first);
    np who = {NP_NAME, (uint32_t)first, (uint32_t)k, -1};
    if (m >= 0 && QT_VEC_AT(&d->mentions, qt_mention, m).tok_end == k)
        who.entity = QT_VEC_AT(&d->mentions, qt_mention, m).entity;
    else
        who.kind = NP_ANON;   /* a name we did not track (a headline): kept as written */
    *rc = add(d, QT_ATTR_INDIRECT, &who, k, 1, cs, ce, 0.75f, ATTR_SHAPE_COLON);
    if (who.kind == NP_ANON && d->attrs.n)
        QT_VEC_AT(&d->attrs, qt_aspan, d->attrs.n - 1).speaker_kind = QT_SPEAKER_UNKNOWN;
    return 1;
}

/* A quote inside an attribution's content ("the union called Vale a “champion”", "according
 * to Vale, the move reeks of “fear”") was said by that attribution's source, unless a frame
 * of its own named someone (a weak rule: only the sentence or paragraph's subject). */
static void quotes_take_sources(qt_doc *d)
{
    size_t qi = 0;
    for (size_t ai = 0; ai < d->attrs.n; ai++) {
        const qt_aspan *a = &QT_VEC_AT(&d->attrs, qt_aspan, ai);
        if (a->src_end <= a->src_start || a->speaker_kind == QT_SPEAKER_UNKNOWN)
            continue;
        while (qi > 0 && QT_VEC_AT(&d->quotes, qt_qspan, qi - 1).start >= a->content_start)
            qi--;     /* attributions are in cue order; contents may come before their cue */
        while (qi < d->quotes.n && QT_VEC_AT(&d->quotes, qt_qspan, qi).start < a->content_start)
            qi++;
        for (size_t k = qi; k < d->quotes.n; k++) {
            qt_qspan *q = &QT_VEC_AT(&d->quotes, qt_qspan, k);
            if (q->start >= a->content_end)
                break;
            if (q->parent >= 0 || q->end > a->content_end ||
                !(q->entity < 0 || q->rule == QT_RULE_NONE || q->rule == QT_RULE_SUBJECT ||
                  q->rule == QT_RULE_FLOOR || (q->kind == QT_QUOTE_PARTIAL && q->rule == QT_RULE_BEFORE)))
                continue;
            q->entity = a->entity;
            q->speaker_kind = a->speaker_kind;
            q->mention_start = a->src_start;
            q->mention_end = a->src_end;
            q->cue_start = a->cue_start;
            q->cue_end = a->cue_end;
            q->confidence = a->confidence;
            q->rule = QT_RULE_CONTENT;
        }
    }
}

/* The cue at token k of a title-case headline ("Says", "Speaks Out"), capitalised as every word
 * there is, with a mined precision of at least 0.5: its length in tokens, or 0. */
static int title_cue_at(const qt_doc *d, size_t k)
{
    float pprec = 0;
    int ph = (LEX(k) & W_PHRASE) ? qt_lex_phrase_at(d->engine, &d->text, k, &pprec) : 0;
    if (ph && pprec >= 0.5f)
        return ph;
    const qt_word *w = (LEX(k) & W_CUE) ? qt_lex_get(d->engine, TOK(k).hash) : NULL;
    return w && w->cue_prec >= 0.5f ? 1 : 0;
}

/* (5) A headline in title case that names a speech: "Vale Says Harbor Will Close", "Vale
 * Speaks Out On The Pier: We Are Staying", "Harbor Will Close, Former Mayor Says". The words
 * are all capitalised, so the name is whatever precedes the cue (a tracked name, or up to five
 * words kept as written) and the content the other side of it, or what follows a colon. Adds
 * it and returns 1. */
static int headline_frame(qt_doc *d, size_t lo, qt_status *rc)
{
    const qt_para *p = &QT_PARA(&d->text, TOK(lo).para);
    if (TOK(lo).para > 1 || !qt_title_case_para(&d->text, p))
        return 0;
    size_t z = sentence_last(d, lo), k = lo;
    int cl = 0;
    for (; k <= z && !cl; k++)
        if (k > lo && qt_is_word(d, k) && (TOK(k).flags & QT_TF_CAP) &&
            !(TOK(k).flags & QT_TF_INQUOTE))
            cl = title_cue_at(d, k);
    if (!cl)
        return 0;
    k--;
    size_t s = k;            /* the speaker: capitalised words back to a comma or the start */
    while (s > lo && k - s < 5 && qt_is_word(d, s - 1) && (TOK(s - 1).flags & QT_TF_CAP))
        s--;
    if (s == k || (s > lo && !(TOK(s - 1).kind == QT_TOK_PUNCT && TOK(s - 1).hash == ',')))
        return 0;
    size_t a = k + (size_t)cl, colon = a;
    while (colon <= z && !(TOK(colon).kind == QT_TOK_PUNCT && TOK(colon).hash == ':'))
        colon++;
    uint32_t cs, ce;
    int shape = ATTR_SHAPE_AFTER;
    if (s > lo) {            /* "Harbor Will Close, Former Mayor Says" */
        if (a <= z || !content_span(d, lo, s - 1, &cs, &ce))
            return 0;
        shape = ATTR_SHAPE_BEFORE;
    } else if (colon <= z) {
        if (!content_span(d, colon + 1, z, &cs, &ce))
            return 0;
        shape = ATTR_SHAPE_COLON;
    } else if (!content_span(d, a, z, &cs, &ce)) {
        return 0;
    }
    np who = {NP_ANON, (uint32_t)s, (uint32_t)k, -1};
    /* title case hides where a name ends: try the words before the cue, longest first */
    for (size_t f = s; f < k && who.kind != NP_NAME; f++) {
        int e = qt_entity_named(d, f, k);
        if (e >= 0 && !QT_VEC_AT(&d->entities, qt_entity, e).org) {
            who = (np){NP_NAME, (uint32_t)f, (uint32_t)k, e};
        }
    }
    *rc = add(d, QT_ATTR_INDIRECT, &who, k, cl, cs, ce, 0.7f, shape);
    if (who.kind == NP_ANON && d->attrs.n)
        QT_VEC_AT(&d->attrs, qt_aspan, d->attrs.n - 1).speaker_kind = QT_SPEAKER_UNKNOWN;
    return 1;
}

qt_status qt_find_attributions(qt_doc *d)
{
    d->attrs.n = 0;
    mark_quote_cues(d);
    size_t n = d->text.toks.n;
    size_t done_until = 0;     /* one attribution per clause: skip tokens already used */
    np last_who = {NP_NONE, 0, 0, -1};   /* the speaker of the last attribution … */
    size_t last_z = 0;                   /* … and the end of its sentence */
    for (size_t k = 0; k < n; k++) {
        const qt_tok *t = &TOK(k);
        if (t->flags & QT_TF_FURNITURE)
            continue;       /* captions, credits, share lines (blocks.c) */
        if ((k == 0 || (TOK(k - 1).flags & QT_TF_SENT_END)) && k >= done_until) {
            qt_status rc = QT_OK;
            if (colon_frame(d, k, &rc) || headline_frame(d, k, &rc)) {
                if (rc != QT_OK)
                    return rc;
                done_until = sentence_last(d, k) + 1;
                continue;
            }
        }
        if (t->kind != QT_TOK_WORD || (t->flags & QT_TF_INQUOTE))
            continue;
        int cl = qt_cue_at(d, k, MIN_PREC);
        if (!cl || (t->flags & QT_TF_QCUE))
            continue;
        size_t lo = qt_sentence_start(d, k, 0), z = sentence_last(d, k);
        qt_status rc = QT_OK;
        if (cl > 1 && t->hash == qt_word_hash("according", 9)) {
            size_t before = d->attrs.n;
            rc = according_to(d, k, cl, lo, z);
            if (d->attrs.n > before)
                done_until = z + 1;
            if (rc != QT_OK)
                return rc;
            continue;
        }
        const qt_word *w = qt_lex_get(d->engine, t->hash);
        float prec = w && (w->flags & W_CUE) ? w->cue_prec : 0.6f;
        np who = qt_np_left(d, k, lo);
        int inverted = 0, loose = 0, relative = 0;
        if (who.kind == NP_NONE && k > lo && TOK(k - 1).hash == ',') {
            who = qt_np_right(d, k + (size_t)cl, z + 1);     /* "…, said Vale." */
            if (who.kind == NP_NONE && z + 1 - (k + (size_t)cl) <= 12) {
                who = qt_loose_right(d, k + (size_t)cl, z + 1);
                loose = who.kind != NP_NONE;
            }
            inverted = who.kind == NP_NAME || who.kind == NP_DESC || who.kind == NP_ANON ||
                       (loose && who.kind == NP_ORG);
            if (!inverted)
                who.kind = NP_NONE;
        } else if (who.kind == NP_NONE && conj_before(d, k, lo)) {
            /* "Vale denied it and said …": the same speaker as the first predicate's */
            if (last_who.kind != NP_NONE && last_z == z) {
                who = last_who;
            } else {
                np subj = qt_sentence_subject(d, lo, k);
                if (subj.kind != NP_NONE && subj.first == lo)
                    who = subj;
            }
        } else if (who.kind == NP_NONE) {
            who = qt_relative_subject(d, k, lo);
            relative = who.kind != NP_NONE;
            if (who.kind == NP_NONE) {
                who = qt_loose_left(d, k, lo);
                loose = who.kind != NP_NONE;
            }
        } else if ((who.kind == NP_DESC || who.kind == NP_ANON || who.kind == NP_ORG) &&
                   who.first > lo && qt_is_word(d, who.first - 1) &&
                   (TOK(who.first - 1).flags & QT_TF_LOWER) &&
                   (LEX(who.first - 1) & W_NONVERB) && !(LEX(who.first - 1) & W_DET)) {
            /* "attorneys for the family said": the descriptor is a preposition's object */
            np whole = qt_loose_left(d, k, lo);
            if (whole.kind != NP_NONE && whole.first < who.first) {
                who = whole;
                loose = 1;
            }
        }
        if (d->debug)
            fprintf(stderr, "qt: cue '%.*s' at %u: speaker kind %d%s [%u, %u)\n",
                    (int)(t->end - t->start), d->text.p + t->start, t->start, who.kind,
                    loose ? " (loose)" : "", who.kind ? TOK(who.first).start : 0,
                    who.kind ? TOK(who.end - 1).end : 0);
        if (who.kind == NP_NONE)
            continue;
        if (prec < 0.3f && who.kind != NP_NAME && who.kind != NP_PRON)
            continue;
        /* inside an attribution's content, only a clear second frame ("… said Vale told
         * him …") starts another */
        if (k < done_until && (prec < 0.5f || (who.kind != NP_NAME && who.kind != NP_PRON)))
            continue;
        float conf = loose ? 0.65f : (who.kind == NP_NAME || who.kind == NP_PRON) ? 0.8f : 0.7f;
        conf *= prec > 0.8f ? 1.0f : 0.85f;
        uint32_t cs, ce;
        size_t end = z;
        size_t tail = (inverted ? who.end : k + (size_t)cl);
        /* (2): the speaker follows a comma and the sentence ends soon after the cue */
        size_t src0 = inverted ? k : who.first;
        if (src0 > lo + 2 && comma_before(d, src0) && z + 1 - tail < 7 &&
            tail_is_adjunct(d, tail, z)) {
            if (content_span(d, lo, src0 - 1, &cs, &ce))
                rc = add(d, QT_ATTR_INDIRECT, &who, k, cl, cs, ce, conf, ATTR_SHAPE_BEFORE);
        } else if (src0 > lo + 2 && TOK(src0 - 1).hash == ',' && tail <= z &&
                   TOK(tail).hash == ',') {
            /* "The museum, Mr. Obama said, would make visitors …": the frame interrupts its
             * content, which is the sentence around it. */
            if (content_span(d, lo, z, &cs, &ce))
                rc = add(d, QT_ATTR_INDIRECT, &who, k, cl, cs, ce, conf, ATTR_SHAPE_AROUND);
        } else if (!inverted && !(loose && src0 > lo && TOK(src0 - 1).hash == ',' &&
                                  !intro_phrase(d, lo, src0 - 1))) {
            /* (1): content after the cue */
            /* a "that" opening the content stays in it, as PolNeAR marks contents */
            size_t a = content_start(d, k + (size_t)cl, z, (LEX(k) & W_TELL) != 0);
            if (a <= z && prec >= 0.8f)
                a = past_adjunct(d, a, z);
            end = a <= z ? clause_last(d, a, z) : z;
            if (a <= z && !passive(d, k, lo) &&
                content_span(d, a, end, &cs, &ce))
                rc = add(d, QT_ATTR_INDIRECT, &who, k, cl, cs, ce, conf, ATTR_SHAPE_AFTER);
            else if (a > z && block_after(d, z, &a, &end) && content_span(d, a, end, &cs, &ce))
                rc = add(d, QT_ATTR_INDIRECT, &who, k, cl, cs, ce, conf, ATTR_SHAPE_BLOCK);
        }
        if (rc != QT_OK)
            return rc;
        if (d->attrs.n && QT_VEC_AT(&d->attrs, qt_aspan, d->attrs.n - 1).cue_start == t->start) {
            qt_aspan *a = &QT_VEC_AT(&d->attrs, qt_aspan, d->attrs.n - 1);
            if (relative)
                a->src_class = SRC_RELATIVE;
            else if (loose)
                a->src_class = who.kind == NP_NAME ? SRC_LOOSE_NAME : SRC_LOOSE_OTHER;
            done_until = end + 1;     /* a second predicate after the content is free */
            last_who = who;
            last_z = z;
        }
    }
    quotes_take_sources(d);
    return QT_OK;
}
