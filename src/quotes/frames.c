/*
 * frames.c - the pieces of a speech frame, shared by the quote and the indirect-speech stages:
 * cue words, the speaker phrase on either side of a cue (a name, a pronoun, a descriptor, an
 * anonymous source), the sentence around a token, and whom a descriptor refers to.
 *
 * Every search is bounded (FRAME_REACH tokens), so a paragraph with no full stop or a million
 * quotes stays linear.
 */
#include "quotes/qt_quotes.h"

#include <stdlib.h>
#include <string.h>

#define TOK(i) QT_TOK(&d->text, i)
#define LEX(i) (TOK(i).lex)


/* Cue at token i (single word or phrase): its length in tokens, 0 if none. Words the mined
 * lexicon marks as cues less than a third of the time need a clearer frame than this gives. */
int qt_cue_at(const qt_doc *d, size_t i, float min_prec)
{
    if (i >= d->text.toks.n || !(LEX(i) & (W_CUE | W_PHRASE)) ||
        (TOK(i).flags & QT_TF_INQUOTE))
        return 0;     /* the cached flags answer for most words without a table probe */
    float pprec = 0;
    int ph = (LEX(i) & W_PHRASE) ? qt_lex_phrase_at(d->engine, &d->text, i, &pprec) : 0;
    if (ph && pprec >= min_prec)
        return ph;
    if (!(TOK(i).flags & QT_TF_LOWER) &&
        !(i > 0 && (TOK(i - 1).flags & QT_TF_SENT_END)) && !(TOK(i).flags & QT_TF_PARA_START))
        return 0;
    const qt_word *w = qt_lex_get(d->engine, TOK(i).hash);
    return w && (w->flags & W_CUE) && w->cue_prec >= min_prec ? 1 : 0;
}

/* The entity a descriptor refers to: the person most recently the subject of a clause.
 * (Preferring a person already quoted fixed some reprints but cost 6 named speakers on PolNeAR
 * dev; matching the descriptor's role words is the better cure, left to the people stage.) */
int qt_salient_person(const qt_doc *d, uint32_t before_tok)
{
    int fallback = -1, subject = -1;
    uint32_t sent = before_tok < d->text.toks.n ? TOK(before_tok).sent : 0;
    /* mentions are in text order: find the last one before before_tok, then walk back a
     * bounded number of them */
    size_t lo = qt_mentions_before(d, before_tok);
    for (size_t m = lo, seen = 0; m-- > 0 && seen < 200; seen++) {
        const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
        if (mm->in_quote)
            continue;
        const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, mm->entity);
        if (e->org || !e->personish)
            continue;
        if (sent - TOK(mm->tok_first).sent > 8 && subject >= 0)
            break;
        if (mm->subject && subject < 0)
            subject = mm->entity;
        if (fallback < 0)
            fallback = mm->entity;
    }
    return subject >= 0 ? subject : fallback;
}

/* A descriptor ending at token z: determiner, modifiers, head noun ("the former Larch FC
 * striker"). Bare plural anonymous heads ("sources said") need no determiner. */
static np desc_ending_at(const qt_doc *d, size_t z, size_t lo)
{
    np r = {NP_NONE, 0, 0, -1};
    if (!qt_is_word(d, z) || (TOK(z).flags & QT_TF_INQUOTE))
        return r;
    uint32_t hf = LEX(z);
    if (hf & (W_DET | W_NONVERB | W_CUE | W_PRON_M | W_PRON_F | W_PRON_PL | W_PRON_I | W_SKIP))
        if (!(hf & (W_ANON | W_COLLECTIVE)))
            return r;
    /* A head noun is no verb form ("reinforced", "bring" after "will"). */
    if ((TOK(z).flags & QT_TF_LOWER) && !(hf & (W_ANON | W_COLLECTIVE)) && z > lo &&
        (LEX(z - 1) & W_SKIP))
        return r;
    for (size_t k = z + 1, steps = 0; k-- > lo && steps < 7; steps++) {
        const qt_tok *t = &TOK(k);
        uint32_t f = LEX(k);
        /* a determiner (not "that", mostly a conjunction), or a possessive name in its place
         * ("Vale's brief said") */
        if (k < z && t->kind == QT_TOK_WORD && t->hash != qt_word_hash("that", 4) &&
            ((f & W_DET) || ((t->flags & QT_TF_POSS) && (t->flags & QT_TF_CAP)))) {
            r.kind = (hf & W_ANON) ? NP_ANON : (hf & W_COLLECTIVE) ? NP_ORG : NP_DESC;
            r.first = (uint32_t)k;
            r.end = (uint32_t)z + 1;
            /* "the source" is still anonymous; "the campaign" an organisation. */
            return r;
        }
        if (t->kind != QT_TOK_WORD && t->kind != QT_TOK_NUM)
            break;
        if (k < z && (((f & (W_CUE | W_NONVERB)) && !(f & W_DET)) || (f & W_SKIP) ||
                      t->hash == qt_word_hash("that", 4)))
            break;   /* a verb, an auxiliary or a clause boundary: no phrase spans it */
    }
    if ((hf & W_COLLECTIVE) && (TOK(z).flags & QT_TF_LOWER) && d->text.p[TOK(z).end - 1] != 's' &&
        (z == lo || !qt_is_word(d, z - 1))) {
        r.kind = NP_ORG;          /* "police said" */
        r.first = (uint32_t)z;
        r.end = (uint32_t)z + 1;
    } else if ((hf & W_ANON) && (TOK(z).flags & QT_TF_LOWER) && d->text.p[TOK(z).end - 1] == 's') {
        r.kind = NP_ANON;
        r.first = (uint32_t)z;
        r.end = (uint32_t)z + 1;
    }
    return r;
}

/* The speaker words ending right before token i (adverbs between them and the cue skipped). */
/* A word that opens a clause, whose subject may follow it: "when Vale said", "because Vale
 * said" (unlike a preposition's object: "as a share of Vale's claims"). */
static int clause_word(const qt_doc *d, size_t k)
{
    static const char *const w[] = {"when", "while", "because", "if", "after", "before", "since",
                                    "although", "though", "so", "that", "whether", "until",
                                    "unless", "once", "where", "as", NULL};
    const qt_tok *t = &TOK(k);
    for (const char *const *x = w; *x; x++)
        if (t->end - t->start == strlen(*x) && memcmp(d->text.p + t->start, *x, strlen(*x)) == 0)
            return 1;
    return 0;
}

np qt_np_left(const qt_doc *d, size_t i, size_t lo)
{
    np r = {NP_NONE, 0, 0, -1};
    size_t e = i;
    while (e > lo && qt_is_skippable(d, e - 1))
        e--;
    if (e <= lo)
        return r;
    size_t z = e - 1;
    const qt_tok *t = &TOK(z);
    if (t->kind == QT_TOK_PUNCT && (t->hash == ',' || t->hash == ')' || t->hash == '-')) {
        /* "Vale, 52, said": find the name before the apposition. */
        for (size_t a = z; a-- > lo && a + 26 > z;) {
            if (TOK(a).kind == QT_TOK_PUNCT && TOK(a).hash == (t->hash == ')' ? '(' : t->hash)) {
                if (a > lo && qt_skip_apposition(d, a) == z + 1) {
                    size_t a0 = a;   /* the apposition right before the cue */
                    /* "Ada Vale, the mayor of Leeds, one of the founders, said": peel every
                     * apposition back to the name they describe. */
                    for (size_t a2 = a; a2-- > lo && a2 + 26 > a;) {
                        /* ", Ada Vale, the mayor," - a name after the comma is the person
                         * the apposition describes, never another apposition */
                        if (TOK(a2).kind == QT_TOK_PUNCT && TOK(a2).hash == ',' &&
                            qt_mention_at(d, (uint32_t)(a2 + 1)) < 0 &&
                            qt_skip_apposition(d, a2) == a + 1) {
                            a = a2;
                            a2 = a;
                        }
                    }
                    size_t b = a;
                    /* "Rep. Jim Reed (R-Ohio), a panel member, said" */
                    if (b > lo && TOK(b - 1).hash == ')' && TOK(b - 1).kind == QT_TOK_PUNCT)
                        for (size_t c = b - 1; c-- > lo && c + 10 > b;)
                            if (TOK(c).hash == '(' && TOK(c).kind == QT_TOK_PUNCT) {
                                b = c;
                                break;
                            }
                    int m = b > lo ? qt_mention_ending_at(d, (uint32_t)(b - 1)) : -1;
                    /* "The party's chairman, Ada Vale, said": the apposition is the name */
                    if (m < 0 && a + 1 < z) {
                        int m2 = qt_mention_at(d, (uint32_t)(a + 1));
                        if (m2 >= 0 && QT_VEC_AT(&d->mentions, qt_mention, m2).tok_end == z)
                            m = m2;
                    }
                    /* "In a statement, one of her lawyers, Ada Vale, said": what looked like
                     * an earlier apposition was the phrase the name stands in for */
                    if (m < 0 && a0 != a && a0 + 1 < z) {
                        int m2 = qt_mention_at(d, (uint32_t)(a0 + 1));
                        if (m2 >= 0 && QT_VEC_AT(&d->mentions, qt_mention, m2).tok_end == z)
                            m = m2;
                    }
                    if (m >= 0) {
                        const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
                        r.kind = NP_NAME;
                        r.first = mm->tok_first;
                        r.end = mm->tok_end;
                        r.entity = mm->entity;
                    }
                }
                break;
            }
        }
        return r;
    }
    if (t->kind != QT_TOK_WORD || (t->flags & QT_TF_INQUOTE))
        return r;
    uint32_t f = LEX(z);
    if (f & (W_PRON_M | W_PRON_F | W_PRON_PL | W_PRON_I | W_PRON_IT)) {
        if (f & W_PRON_SUBJ || (f & W_PRON_IT)) {
            r.kind = NP_PRON;
            r.first = (uint32_t)z;
            r.end = (uint32_t)z + 1;
        }
        return r;
    }
    int m = qt_mention_ending_at(d, (uint32_t)z);
    if (m >= 0) {
        const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
        if (TOK(mm->tok_end - 1).flags & QT_TF_POSS)
            return r;
        /* "as a share of Democratic claims": a name after a preposition is an object, unless
         * it says where the named person is from: "Ada Vale of the Harbor Trust said". */
        size_t p = mm->tok_first;
        if (p > lo && (TOK(p - 1).flags & QT_TF_LOWER) && (LEX(p - 1) & W_DET))
            p--;
        if (p > lo && (TOK(p - 1).flags & QT_TF_LOWER) && (LEX(p - 1) & W_NONVERB) &&
            !(LEX(p - 1) & W_DET) && !(LEX(p - 1) & W_CONJ) && !clause_word(d, p - 1)) {
            uint64_t h = TOK(p - 1).hash;
            int from = h == qt_word_hash("of", 2) || h == qt_word_hash("from", 4) ||
                       h == qt_word_hash("at", 2);
            int m0 = from && p - 1 > lo ? qt_mention_ending_at(d, (uint32_t)(p - 2)) : -1;
            if (m0 < 0)
                return r;
            mm = &QT_VEC_AT(&d->mentions, qt_mention, m0);
            if (QT_VEC_AT(&d->entities, qt_entity, mm->entity).org)
                return r;
        }
        /* "the former Larch FC striker": a capitalised word inside a descriptor; but "the
         * NAACP", "the Harbor Trust" name an organisation */
        if (mm->tok_first > lo && (TOK(mm->tok_first - 1).flags & QT_TF_LOWER) &&
            (LEX(mm->tok_first - 1) & W_DET) &&
            !(QT_VEC_AT(&d->entities, qt_entity, mm->entity).org &&
              (LEX(mm->tok_first - 1) & W_DET) && TOK(mm->tok_first - 1).hash == qt_word_hash("the", 3)))
            return desc_ending_at(d, z, lo);
        r.kind = NP_NAME;
        r.first = mm->tok_first;
        r.end = mm->tok_end;
        r.entity = mm->entity;
        if (mm->tok_first > lo && TOK(mm->tok_first - 1).hash == qt_word_hash("the", 3))
            r.first--;        /* the source span says "the NAACP", as written */
        return r;
    }
    return desc_ending_at(d, z, lo);
}

/* A word of a role before a name: "9/11 widow", "campaign spokesman". */
static int is_role_word(const qt_doc *d, size_t k)
{
    const qt_tok *t = &TOK(k);
    if (t->kind == QT_TOK_NUM || (t->hash == '/' && !(t->flags & QT_TF_SPACE_PRE)))
        return 1;
    return qt_is_word(d, k) && (t->flags & QT_TF_LOWER) &&
           !(t->lex & (W_NONVERB | W_DET | W_CUE | W_SKIP | W_PRON_M | W_PRON_F | W_PRON_PL));
}

/* The speaker words starting at token i ("said Vale", `"…," she says`). */
np qt_np_right(const qt_doc *d, size_t i, size_t hi)
{
    np r = {NP_NONE, 0, 0, -1};
    if (i >= hi || !qt_is_word(d, i) || (TOK(i).flags & QT_TF_INQUOTE))
        return r;
    uint32_t f = LEX(i);
    if (f & (W_PRON_M | W_PRON_F | W_PRON_PL | W_PRON_IT | W_PRON_I)) {
        if (f & (W_PRON_SUBJ | W_PRON_IT)) {
            r.kind = NP_PRON;
            r.first = (uint32_t)i;
            r.end = (uint32_t)i + 1;
        }
        return r;
    }
    /* A name, possibly after a title or role words ("said Sen. Vale", "said the Rev. Ada
     * Vale", "said 9/11 widow Ada Vale"). */
    size_t roles = i;
    while (roles < hi && roles < i + 5 && is_role_word(d, roles))
        roles++;
    if (roles > i && roles < hi && qt_mention_at(d, (uint32_t)roles) >= 0)
        i = roles;
    for (size_t k = i; k < hi && k < i + 5; k++) {
        if (k == i && (f & W_DET) && (TOK(k).flags & QT_TF_LOWER) && k + 1 < hi &&
            (LEX(k + 1) & W_TITLE) && (TOK(k + 1).flags & QT_TF_CAP))
            continue;
        int m = qt_mention_at(d, (uint32_t)k);
        if (m >= 0) {
            const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
            /* "Harbor FM host Ada Vale", "campaign spokesman Tom Reed": role words, then the
             * person's own name. */
            for (size_t j = mm->tok_end; j < hi && j < mm->tok_end + 4; j++) {
                if (!qt_is_word(d, j) || (LEX(j) & (W_CUE | W_NONVERB | W_DET)))
                    break;
                int m2 = qt_mention_at(d, (uint32_t)j);
                if (m2 >= 0 && j > mm->tok_end) {
                    mm = &QT_VEC_AT(&d->mentions, qt_mention, m2);
                    break;
                }
                if (!(TOK(j).flags & QT_TF_LOWER) && !(LEX(j) & W_TITLE))
                    break;
            }
            r.kind = NP_NAME;
            r.first = mm->tok_first;
            r.end = mm->tok_end;
            r.entity = mm->entity;
            return r;
        }
        if (!(qt_is_word(d, k) && (LEX(k) & W_TITLE)) && TOK(k).hash != '.')
            break;
    }
    /* A descriptor: determiner, modifiers, head noun, then the end of the phrase. */
    if (f & W_DET || (f & W_ANON)) {
        size_t k = i + ((f & W_DET) ? 1 : 0);
        size_t last = 0;
        for (; k < hi && k < i + 7; k++) {
            if (TOK(k).kind != QT_TOK_WORD && TOK(k).kind != QT_TOK_NUM)
                break;
            uint32_t g = LEX(k);
            if ((g & (W_CUE | W_NONVERB)) && k > i && (TOK(k).flags & QT_TF_LOWER) &&
                !(g & (W_ANON | W_COLLECTIVE)))
                break;
            last = k;
        }
        if (last >= i) {
            np dsc = desc_ending_at(d, last, i);
            if (dsc.kind != NP_NONE)
                return dsc;
        }
    }
    return r;
}



/* The first token of i's writer sentence within `floor`..i, at most FRAME_REACH back. */
size_t qt_sentence_start(const qt_doc *d, size_t i, size_t floor)
{
    size_t lo = i;
    while (lo > floor && lo + FRAME_REACH > i && qt_sent_of(d, lo - 1) == qt_sent_of(d, i) &&
           TOK(lo - 1).para == TOK(i).para)
        lo--;
    return lo;
}

/* The subject of writer sentence s: its first name or he/she that heads a clause. */
/* "Gov. Ada Vale of West Larch praised …": the place heads the clause, the person speaks.
 * Returns the mention a subject mention belongs to through of/from/at, or m itself. */
static int owner_of(const qt_doc *d, int m)
{
    const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
    size_t p = mm->tok_first;
    if (p > 0 && (TOK(p - 1).flags & QT_TF_LOWER) && (LEX(p - 1) & W_DET))
        p--;
    if (p < 2)
        return m;
    uint64_t h = TOK(p - 1).hash;
    if (h != qt_word_hash("of", 2) && h != qt_word_hash("from", 4) && h != qt_word_hash("at", 2))
        return m;
    int m0 = qt_mention_ending_at(d, (uint32_t)(p - 2));
    if (m0 >= 0 && QT_VEC_AT(&d->entities, qt_entity,
                             QT_VEC_AT(&d->mentions, qt_mention, m0).entity).personish)
        return m0;
    return m;
}

np qt_sentence_subject(const qt_doc *d, size_t a, size_t b)
{
    np r = {NP_NONE, 0, 0, -1};
    /* People first: a place or organisation heads a clause less often than it seems to
     * ("the radical Islamic terror war, Vale and Reed call them …"). */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = a; k < b; k++) {
            if (TOK(k).flags & QT_TF_INQUOTE)
                continue;
            int m = qt_mention_at(d, (uint32_t)k);
            if (m >= 0 && QT_VEC_AT(&d->mentions, qt_mention, m).subject) {
                m = owner_of(d, m);
                const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
                const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, mm->entity);
                if (pass == 0 && (e->org || !e->personish))
                    continue;
                r = (np){NP_NAME, mm->tok_first, mm->tok_end, mm->entity};
                return r;
            }
            if (qt_is_word(d, k) && (LEX(k) & W_PRON_SUBJ) && (LEX(k) & (W_PRON_M | W_PRON_F))) {
                r = (np){NP_PRON, (uint32_t)k, (uint32_t)k + 1, -1};
                return r;
            }
        }
    }
    return r;
}


int qt_role_referent(const qt_doc *d, uint32_t first, uint32_t end)
{
    /* the descriptor's own head and age */
    uint64_t head = 0;
    int age = 0;
    for (uint32_t k = first; k < end; k++) {
        const qt_tok *w = &TOK(k);
        const char *p = d->text.p + w->start;
        size_t n = w->end - w->start;
        if (n > 9 && p[0] >= '0' && p[0] <= '9' && memcmp(p + n - 9, "-year-old", 9) == 0)
            age = atoi(p);
        if (w->kind == QT_TOK_WORD && (w->flags & QT_TF_LOWER) &&
            !(w->lex & (W_DET | W_NONVERB | W_SKIP | W_CUE)))
            head = w->hash;
    }
    if (!head && !age)
        return -1;
    /* the most recently mentioned person described that way (a bounded walk back) */
    size_t lo = qt_mentions_before(d, first);
    int best = -1;
    for (size_t m = lo, seen = 0; m-- > 0 && seen < 400; seen++) {
        const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
        if (mm->in_quote)
            continue;
        const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, mm->entity);
        if (e->org)
            continue;
        int hit = age && e->age == age;
        for (int i = 0; i < e->n_roles && !hit && head; i++)
            hit = e->roles[i] == head;
        if (hit) {
            best = mm->entity;
            break;
        }
    }
    return best;
}

/* The organisation an "it" or "they" speaking at token tok stands for: the nearest organisation
 * named outside quotes in this or the two sentences before, a clause subject first ("The
 * union endorsed Vale. It said …"), or -1. */
static int org_referent(const qt_doc *d, uint32_t tok)
{
    uint32_t sent = TOK(tok).sent;
    size_t lo = qt_mentions_before(d, tok);
    for (int pass = 0; pass < 2; pass++)
        for (size_t m = lo, seen = 0; m-- > 0 && seen < 40; seen++) {
            const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
            if (sent - TOK(mm->tok_first).sent > 2)
                break;
            if (mm->in_quote || !QT_VEC_AT(&d->entities, qt_entity, mm->entity).org ||
                (pass == 0 && !mm->subject))
                continue;
            return mm->entity;
        }
    return -1;
}

void qt_resolve_np(qt_doc *d, const np *who, int *entity, uint8_t *kind, float *conf)
{
    *entity = -1;
    *kind = QT_SPEAKER_UNKNOWN;
    switch (who->kind) {
    case NP_NAME: {
        qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, who->entity);
        *entity = who->entity;
        *kind = e->org ? QT_SPEAKER_ORGANISATION : QT_SPEAKER_PERSON;
        if (!e->org)
            e->personish = 1;   /* someone who speaks is a person, whatever the name looked like */
        break;
    }
    case NP_PRON:
        if (LEX(who->first) & (W_PRON_M | W_PRON_F)) {
            *entity = qt_entity_of_pronoun(d, who->first);
        } else if (LEX(who->first) & (W_PRON_IT | W_PRON_PL)) {
            *entity = org_referent(d, who->first);
            if (*entity >= 0) {
                *kind = QT_SPEAKER_ORGANISATION;
                break;
            }
        }
        *kind = *entity >= 0 ? QT_SPEAKER_PERSON : QT_SPEAKER_UNKNOWN;
        if (*entity < 0)
            *conf *= 0.5f;
        break;
    case NP_DESC:
        /* "the former chef": whoever the text called a chef; else the topic person */
        *entity = qt_role_referent(d, who->first, who->end);
        if (*entity < 0) {
            *entity = qt_salient_person(d, who->first);
            *conf *= 0.9f;
        }
        if (*entity >= 0)
            qt_entity_describe(d, *entity, who->first, who->end);
        *kind = *entity >= 0 ? QT_SPEAKER_PERSON : QT_SPEAKER_UNKNOWN;
        break;
    case NP_ANON:
        *kind = QT_SPEAKER_ANONYMOUS;
        break;
    case NP_ORG:
        *kind = QT_SPEAKER_ORGANISATION;
        break;
    }
}

/* ---- long speaker phrases ----------------------------------------------------------------------
 *
 * qt_np_left / qt_np_right know names, pronouns and short descriptors. News also credits whole
 * noun phrases: "The nonpartisan Commission on Presidential Debates says", "Experts on North
 * Korea and nuclear nonproliferation said", "…, attorneys for the family said", "Rep. Ada Vale
 * (R-Ohio) said". With no part-of-speech tagger, such a phrase is accepted by its shape: words,
 * numbers, possessives, prepositions and "and", a parenthesis; no pronoun, auxiliary, clause word
 * or verb form ("-ed"/"-ing" not after a determiner), at most LOOSE_MAX tokens. The phrase's
 * head is its last word before the first preposition ("attorneys" for the family); a name there
 * makes it that person, else it is an organisation (a capitalised or collective head) or an
 * anonymous group. Callers use these only where the precise finders found nothing. */

#define LOOSE_MAX 14

static int word_ends(const qt_doc *d, size_t k, const char *suf)
{
    size_t n = strlen(suf), len = TOK(k).end - TOK(k).start;
    return len > n + 2 && memcmp(d->text.p + TOK(k).end - n, suf, n) == 0;
}

static int word_is(const qt_doc *d, size_t k, const char *w)
{
    size_t n = strlen(w);
    return TOK(k).end - TOK(k).start == n && memcmp(d->text.p + TOK(k).start, w, n) == 0;
}

/* Prepositions a noun phrase keeps inside it ("Experts on Korea", "a spokesman for Vale"). */
static int is_prep(const qt_doc *d, size_t k)
{
    static const char *const preps[] = {"of", "in", "on", "at", "for", "with", "from", "to",
                                        "by", "about", NULL};
    if (!(TOK(k).flags & QT_TF_LOWER))
        return 0;
    for (const char *const *w = preps; *w; w++)
        if (word_is(d, k, *w))
            return 1;
    return 0;
}

/* An -ly adverb ("repeatedly"), not a noun after a determiner ("the family", "an ally"). */
static int is_ly(const qt_doc *d, size_t k)
{
    return TOK(k).end - TOK(k).start > 4 && word_ends(d, k, "ly") &&
           !(k > 0 && qt_is_word(d, k - 1) && (LEX(k - 1) & W_DET));
}

/* A verb form that no noun phrase holds: "exhorted", "watching" (but "the embattled mayor"). */
static int verb_form(const qt_doc *d, size_t k, size_t lo)
{
    if (!(TOK(k).flags & QT_TF_LOWER) || !(word_ends(d, k, "ed") || word_ends(d, k, "ing")))
        return 0;
    return !(k > lo && qt_is_word(d, k - 1) && (LEX(k - 1) & W_DET));
}

/* Is word k a noun modifying the next one ("talk radio", "press office")? */
static int modifier(const qt_doc *d, size_t k)
{
    return k + 1 < d->text.toks.n && qt_is_word(d, k + 1) &&
           !(LEX(k + 1) & (W_NONVERB | W_DET | W_SKIP | W_CUE | W_PRON_M | W_PRON_F | W_PRON_PL |
                           W_PRON_I | W_PRON_IT)) &&
           !((TOK(k + 1).flags & QT_TF_LOWER) && verb_form(d, k + 1, k + 1));
}

/* Words a subject phrase never spans: pronouns, auxiliaries, cue verbs, clause words. */
static int phrase_stop(const qt_doc *d, size_t k, size_t lo)
{
    const qt_tok *t = &TOK(k);
    if (t->kind == QT_TOK_NUM)
        return 0;
    if (t->kind != QT_TOK_WORD || (t->flags & QT_TF_INQUOTE))
        return 1;
    uint32_t f = t->lex;
    if (f & W_DET)
        return t->hash == qt_word_hash("that", 4);
    if ((f & (W_PRON_M | W_PRON_F | W_PRON_PL | W_PRON_I | W_PRON_IT)) ||
        ((f & W_STOPCAP) && !(t->flags & QT_TF_LOWER)))
        return 1;
    if (!(t->flags & QT_TF_LOWER) || is_prep(d, k) || word_is(d, k, "and"))
        return 0;
    if ((f & W_SKIP) || t->hash == qt_word_hash("that", 4) || is_ly(d, k))
        return 1;
    /* "the complaint says" and "talk radio host" keep their nouns; "officials announced and
     * said" stops */
    if ((f & W_CUE) && !(k > lo && qt_is_word(d, k - 1) && (LEX(k - 1) & W_DET)) &&
        !(f & (W_ANON | W_COLLECTIVE)) && !modifier(d, k))
        return 1;
    if ((f & (W_NONVERB | W_CONJ)) && !(f & W_DET) && !is_prep(d, k) && !word_is(d, k, "and"))
        return 1;    /* who, which, while, because … */
    return verb_form(d, k, lo);
}

/* What the phrase [s, e) is, by its head: the last word before its first preposition, or
 * before a closing parenthesis ("Rep. Ada Vale (R-Ohio)"). */
static np phrase_np(const qt_doc *d, size_t s, size_t e)
{
    np r = {NP_NONE, (uint32_t)s, (uint32_t)e, -1};
    size_t h = e - 1;
    if (TOK(h).kind == QT_TOK_PUNCT && TOK(h).hash == ')')
        while (h > s && TOK(h).hash != '(')
            h--;
    for (size_t k = s + 1; k < h; k++)
        if (is_prep(d, k) || (TOK(k).kind == QT_TOK_PUNCT && TOK(k).hash == '(')) {
            h = k;
            break;
        }
    if (h == s || !qt_is_word(d, h - 1))
        return r;
    h--;
    int m = qt_mention_ending_at(d, (uint32_t)h);
    uint32_t f = LEX(h);
    if (m >= 0 && !(TOK(h).flags & QT_TF_POSS)) {
        r.kind = NP_NAME;
        r.entity = QT_VEC_AT(&d->mentions, qt_mention, m).entity;
    } else if (TOK(h).flags & QT_TF_POSS) {
        return r;           /* "Vale's said": no head noun */
    } else if ((f & W_COLLECTIVE) || !(TOK(h).flags & QT_TF_LOWER)) {
        r.kind = NP_ORG;
    } else {
        r.kind = NP_ANON;   /* "experts", "attorneys for the family", "73 percent" */
    }
    return r;
}

/* Can a phrase start at token s? A determiner, a capitalised word, a number or a plain noun. */
static int phrase_opens(const qt_doc *d, size_t s, size_t lo)
{
    if (TOK(s).kind == QT_TOK_NUM)
        return 1;
    if (!qt_is_word(d, s))
        return 0;
    if (LEX(s) & W_DET)
        return TOK(s).hash != qt_word_hash("that", 4);
    return !is_prep(d, s) && !(LEX(s) & (W_NONVERB | W_CONJ)) && !verb_form(d, s, lo);
}

np qt_loose_left(const qt_doc *d, size_t i, size_t lo)
{
    np none = {NP_NONE, 0, 0, -1};
    size_t e = i;
    while (e > lo && qt_is_skippable(d, e - 1))
        e--;
    size_t s = e;
    while (s > lo && e - s < LOOSE_MAX) {
        const qt_tok *t = &TOK(s - 1);
        if (t->kind == QT_TOK_PUNCT && t->hash == ')') {
            size_t c = s - 1;
            while (c > lo && s - c < 10 && TOK(c).hash != '(')
                c--;
            if (TOK(c).hash != '(' || TOK(c).kind != QT_TOK_PUNCT)
                break;
            s = c;
            continue;
        }
        if (t->kind == QT_TOK_PUNCT && (t->hash == '-' || t->hash == '/' || t->hash == '.') &&
            !(t->flags & (QT_TF_SPACE_PRE | QT_TF_SPACE_POST)))
        {
            s--;              /* "three-judge", "D.C." */
            continue;
        }
        if (t->kind == QT_TOK_PUNCT && t->hash == '.' && s - 1 > lo && qt_is_word(d, s - 2) &&
            (LEX(s - 2) & (W_ABBREV | W_TITLE))) {
            s--;              /* "Rep." */
            continue;
        }
        if (phrase_stop(d, s - 1, lo))
            break;
        s--;
    }
    while (s < e && !phrase_opens(d, s, lo))
        s++;
    if (s >= e || (TOK(e - 1).kind == QT_TOK_PUNCT && TOK(e - 1).hash != ')') ||
        is_prep(d, e - 1) || word_is(d, e - 1, "and"))
        return none;          /* "… and said": a second predicate, not a phrase */
    /* the phrase opens its clause: the sentence start, a comma, or a clause word */
    if (s > lo) {
        const qt_tok *b = &TOK(s - 1);
        int opens = (b->kind == QT_TOK_PUNCT && (b->hash == ',' || b->hash == ';' ||
                                                 b->hash == ':' || b->hash == '-')) ||
                    (b->kind == QT_TOK_QUOTE && !(b->flags & QT_TF_INQUOTE)) ||
                    (b->kind == QT_TOK_WORD && (b->flags & QT_TF_LOWER) &&
                     (b->lex & (W_NONVERB | W_CONJ)) && !is_prep(d, s - 1) &&
                     !(b->lex & W_DET));
        if (!opens)
            return none;
    }
    return phrase_np(d, s, e);
}

np qt_loose_right(const qt_doc *d, size_t i, size_t hi)
{
    np none = {NP_NONE, 0, 0, -1};
    if (i >= hi || !phrase_opens(d, i, i))
        return none;
    size_t e = i;
    while (e < hi && e - i < LOOSE_MAX) {
        const qt_tok *t = &TOK(e);
        if (t->kind == QT_TOK_PUNCT && (t->hash == '(' || t->hash == '-' || t->hash == '/' ||
                                        (t->hash == '.' && !(t->flags & QT_TF_SENT_END)))) {
            e++;
            continue;
        }
        if (t->kind == QT_TOK_PUNCT && t->hash == ')') {
            e++;
            continue;
        }
        if (phrase_stop(d, e, i))
            break;
        e++;
    }
    while (e > i && TOK(e - 1).kind == QT_TOK_PUNCT && TOK(e - 1).hash != ')')
        e--;
    if (e <= i)
        return none;
    return phrase_np(d, i, e);
}

np qt_relative_subject(const qt_doc *d, size_t i, size_t lo)
{
    np r = {NP_NONE, 0, 0, -1};
    size_t e = i;
    while (e > lo && qt_is_skippable(d, e - 1))
        e--;
    if (e <= lo + 1 || !qt_is_word(d, e - 1) || !(TOK(e - 1).flags & QT_TF_LOWER) ||
        !(word_is(d, e - 1, "who") || word_is(d, e - 1, "which")))
        return r;
    size_t w = e - 1, a = w;
    if (TOK(a - 1).kind == QT_TOK_PUNCT && TOK(a - 1).hash == ',')
        a--;
    r.first = (uint32_t)w;
    r.end = (uint32_t)e;
    int m = a > lo ? qt_mention_ending_at(d, (uint32_t)(a - 1)) : -1;
    if (m < 0 && a > lo + 2 && TOK(a - 1).kind == QT_TOK_PUNCT && TOK(a - 1).hash == ',') {
        /* "Ada Vale, 52, who said" */
        for (size_t c = a - 1; c-- > lo && c + 12 > a;)
            if (TOK(c).kind == QT_TOK_PUNCT && TOK(c).hash == ',') {
                m = c > lo ? qt_mention_ending_at(d, (uint32_t)(c - 1)) : -1;
                break;
            }
    }
    if (m >= 0) {
        r.kind = NP_NAME;
        r.entity = QT_VEC_AT(&d->mentions, qt_mention, m).entity;
    } else {
        r.kind = word_is(d, w, "which") ? NP_ORG : NP_ANON;
    }
    return r;
}
