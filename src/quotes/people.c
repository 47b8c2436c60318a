/*
 * people.c - name mentions, the alias chains that join them into entities, and pronouns.
 *
 * Design notes.
 *  (1) A mention is a run of capitalised words outside a title-case paragraph (headlines and
 *      lists capitalise everything). Titles ("Sen.", "Mrs.") are kept out of the name but give
 *      gender evidence; a sentence's first word is a name only if it is not a function word.
 *  (2) Aliases join forward: a one-word mention ("Vale", "Marta") is the most recent entity
 *      whose full name starts or ends with that word, accents and case folded. A full name
 *      seen again is the same entity.
 *  (3) A pronoun resolves to the most recent gender-compatible person named as the subject of a
 *      clause within three sentences, else to the most recent compatible person within six.
 *      Each resolution adds gender evidence to its person, so later pronouns resolve better.
 */
#include "quotes/qt_quotes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_FULL 0x9E3779B97F4A7C15ull
#define KEY_PART 0xC2B2AE3D27D4EB4Full

/* Folded hash of a name token, possessive 's removed. */
static uint64_t name_hash(const qt_text *t, const qt_tok *k)
{
    size_t len = k->end - k->start;
    if (k->flags & QT_TF_POSS)
        len -= (t->p[k->end - 2] == '\'') ? 2 : 4;
    if (!(k->flags & (QT_TF_POSS | QT_TF_NONASCII)))
        return k->hash;
    char fold[256];
    size_t fl = qt_fold(t->p + k->start, len, fold, sizeof fold);
    return qt_word_hash(fold, fl);
}

static qt_status keys_reserve(qt_doc *d, size_t n_tokens)
{
    size_t want = 1024;
    while (want < n_tokens * 2)
        want *= 2;
    if (want - 1 != d->key_mask || !d->key_table) {
        free(d->key_table);
        free(d->key_hash);
        d->key_table = calloc(want, sizeof *d->key_table);
        d->key_hash = calloc(want, sizeof *d->key_hash);
        if (!d->key_table || !d->key_hash)
            return QT_ENOMEM;
        d->key_mask = want - 1;
    } else {
        memset(d->key_table, 0, want * sizeof *d->key_table);
    }
    return QT_OK;
}

static int key_get(const qt_doc *d, uint64_t h)
{
    size_t i = (size_t)h & d->key_mask;
    while (d->key_table[i]) {
        if (d->key_hash[i] == h)
            return (int)d->key_table[i] - 1;
        i = (i + 1) & d->key_mask;
    }
    return -1;
}

static void key_put(qt_doc *d, uint64_t h, int entity)
{
    size_t i = (size_t)h & d->key_mask;
    while (d->key_table[i] && d->key_hash[i] != h)
        i = (i + 1) & d->key_mask;
    d->key_table[i] = (uint32_t)entity + 1;
    d->key_hash[i] = h;
}

/* Headlines and link lists capitalise most words; names found there are noise (see (1)). */
int qt_title_case_para(const qt_text *t, const qt_para *p)
{
    unsigned words = 0, caps = 0;
    for (uint32_t k = p->tok_first; k < p->tok_end && words < 64; k++) {
        const qt_tok *tk = &QT_TOK(t, k);
        if (tk->kind != QT_TOK_WORD)
            continue;
        words++;
        caps += (tk->flags & QT_TF_CAP) != 0;
    }
    return words >= 3 && caps * 10 >= words * 7;
}

static int sentence_initial(const qt_text *t, size_t i)
{
    if (i == 0 || (QT_TOK(t, i).flags & QT_TF_PARA_START))
        return 1;
    const qt_tok *p = &QT_TOK(t, i - 1);
    return (p->flags & (QT_TF_SENT_END | QT_TF_QOPEN | QT_TF_QREOPEN)) ||
           p->kind == QT_TOK_QUOTE || p->hash == ':' || p->hash == '(' ||
           ((p->hash == '.' || p->hash == '?' || p->hash == '!') && (p->flags & QT_TF_INQUOTE));
}

/* Skip an apposition after a name: ", 52," or ", a chef from Leeds," or "– a friend –".
 * Returns the index after it, or i when there is none. */
size_t qt_skip_apposition(const qt_doc *d, size_t i)
{
    const qt_text *t = &d->text;
    if (i >= t->toks.n)
        return i;
    uint64_t sep = QT_TOK(t, i).hash;
    if (QT_TOK(t, i).kind != QT_TOK_PUNCT || (sep != ',' && sep != '-' && sep != '('))
        return i;
    uint64_t want = sep == '(' ? ')' : sep;
    if (i + 1 >= t->toks.n)
        return i;
    const qt_tok *f = &QT_TOK(t, i + 1);
    int ok = f->kind == QT_TOK_NUM || (f->lex & W_DET) ||
             (f->flags & QT_TF_LOWER) || (f->flags & QT_TF_CAP);
    if (!ok)
        return i;
    for (size_t j = i + 1; j < t->toks.n && j <= i + 24; j++) {
        const qt_tok *k = &QT_TOK(t, j);
        /* a quotation mark ends it; an apostrophe ("veterans' families") does not */
        if ((k->kind == QT_TOK_QUOTE && QT_QM_IS_DOUBLE(k->qm)) || (k->flags & QT_TF_SENT_END))
            return i;
        if (k->kind == QT_TOK_PUNCT && k->hash == want)
            return j + 1;
        if (k->kind == QT_TOK_WORD && (k->lex & W_CUE) &&
            (k->flags & QT_TF_LOWER) && f->kind != QT_TOK_NUM)
            return i;   /* ", who said," is a clause, not an apposition */
    }
    return i;
}

static int is_ly_adverb(const qt_text *t, const qt_tok *k)
{
    return k->kind == QT_TOK_WORD && (k->flags & QT_TF_LOWER) && k->end - k->start > 4 &&
           t->p[k->end - 2] == 'l' && t->p[k->end - 1] == 'y';
}

int qt_is_skippable(const qt_doc *d, size_t i)
{
    const qt_tok *k = &QT_TOK(&d->text, i);
    /* "the family", "an ally": after a determiner an -ly word is a noun or adjective */
    return k->kind == QT_TOK_WORD && (k->flags & QT_TF_LOWER) &&
           ((k->lex & W_SKIP) ||
            (is_ly_adverb(&d->text, k) &&
             !(i > 0 && QT_TOK(&d->text, i - 1).kind == QT_TOK_WORD &&
               (QT_TOK(&d->text, i - 1).lex & W_DET))));
}

/* Is the mention ending before token i the subject of a clause? `after` is where the
 * apposition following it ends (qt_skip_apposition(d, i)). */
static int followed_by_verb(const qt_doc *d, size_t i, size_t after)
{
    const qt_text *t = &d->text;
    if (after == i && i + 1 < t->toks.n && QT_TOK(t, i).hash == ',' &&
        QT_TOK(t, i).kind == QT_TOK_PUNCT) {
        /* "his mother, Ada Vale, is seen ...": a name in apposition still heads its clause */
        const qt_tok *v = &QT_TOK(t, i + 1);
        uint32_t vf = v->lex;
        if (v->kind == QT_TOK_WORD && (v->flags & QT_TF_LOWER) && (vf & (W_SKIP | W_CUE)) &&
            !(vf & W_NONVERB))
            return 1;
    }
    i = after;
    while (i < t->toks.n && qt_is_skippable(d, i) &&
           !(QT_TOK(t, i).lex & W_CUE))
        i++;
    if (i >= t->toks.n)
        return 0;
    const qt_tok *k = &QT_TOK(t, i);
    if (k->kind != QT_TOK_WORD || !(k->flags & QT_TF_LOWER))
        return 0;
    uint32_t f = k->lex;
    if (f & W_CUE)
        return 1;
    return !(f & (W_NONVERB | W_DET | W_PRON_M | W_PRON_F | W_PRON_PL | W_PRON_I));
}

/* The age a token states: "52" alone, or "52-year-old". 0 if none. */
static int age_of(const qt_text *t, const qt_tok *k)
{
    const char *p = t->p + k->start;
    size_t n = k->end - k->start, i = 0;
    int v = 0;
    while (i < n && i < 3 && p[i] >= '0' && p[i] <= '9')
        v = v * 10 + (p[i++] - '0');
    if (i == 0 || v < 5 || v > 120)
        return 0;
    if (i == n && k->kind == QT_TOK_NUM)
        return v;
    return (n - i >= 9 && memcmp(p + i, "-year-old", 9) == 0) ? v : 0;
}

void qt_entity_describe(qt_doc *d, int ent, size_t first, size_t end)
{
    const qt_text *t = &d->text;
    qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, ent);
    uint64_t head = 0;
    for (size_t k = first; k < end; k++) {
        const qt_tok *w = &QT_TOK(t, k);
        int age = age_of(t, w);
        if (age)
            e->age = (uint8_t)age;
        if (w->kind != QT_TOK_WORD)
            continue;
        /* the role's head noun: the last plain lowercase word before "of", "from", "who" */
        if (w->lex & (W_NONVERB | W_CUE | W_SKIP) && head)
            break;
        if ((w->flags & QT_TF_LOWER) && !(w->lex & (W_DET | W_NONVERB | W_SKIP | W_CUE)))
            head = w->hash;
    }
    if (!head)
        return;
    for (int i = 0; i < e->n_roles; i++)
        if (e->roles[i] == head)
            return;
    if (e->n_roles < QT_MAX_ROLES)
        e->roles[e->n_roles++] = head;
    else
        e->roles[QT_MAX_ROLES - 1] = head;   /* keep the newest when full */
}

static qt_status add_mention(qt_doc *d, size_t first, size_t end, int title_gender, int the)
{
    qt_text *t = &d->text;
    const qt_tok *a = &QT_TOK(t, first), *z = &QT_TOK(t, end - 1);
    uint32_t e_byte = z->end;
    if (z->flags & QT_TF_POSS)
        e_byte -= (t->p[z->end - 2] == '\'') ? 2 : 4;
    size_t ntok = 0;
    uint64_t full = KEY_FULL, firsth = 0, lasth = 0;
    for (size_t k = first; k < end; k++) {
        const qt_tok *tk = &QT_TOK(t, k);
        if (tk->kind != QT_TOK_WORD)
            continue;
        uint64_t h = name_hash(t, tk);
        full = (full ^ h) * 0x100000001B3ull;
        if (!firsth)
            firsth = h;
        lasth = h;
        ntok++;
    }
    if (!ntok)
        return QT_OK;
    int ent = -1;
    if (ntok >= 2) {
        ent = key_get(d, full);
    } else {
        ent = key_get(d, lasth ^ KEY_PART);
        if (ent < 0)
            ent = key_get(d, full);
    }
    if (ent < 0) {
        qt_entity *e = qt_vec_push(&d->entities);
        if (!e)
            return QT_ENOMEM;
        ent = (int)d->entities.n - 1;
        e->name_start = a->start;
        e->name_end = e_byte;
        uint32_t lf = qt_lex_flags(d->engine, lasth);
        e->org = (lf & W_ORG) || (ntok == 1 && (z->flags & QT_TF_ALLCAPS)) || the;
        e->personish = !e->org && (ntok >= 2 || title_gender);
        key_put(d, full, ent);
        if (ntok >= 2) {
            key_put(d, firsth ^ KEY_PART, ent);
            key_put(d, lasth ^ KEY_PART, ent);
        }
    }
    qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, ent);
    e->mentions++;
    if (title_gender) {
        e->gender += title_gender == 'm' ? 3 : -3;
        e->personish = 1;
    }
    qt_mention *m = qt_vec_push(&d->mentions);
    if (!m)
        return QT_ENOMEM;
    m->tok_first = (uint32_t)first;
    m->tok_end = (uint32_t)end;
    m->start = a->start;
    m->end = e_byte;
    m->entity = ent;
    m->in_quote = (a->flags & QT_TF_INQUOTE) != 0;
    m->title_gender = (uint8_t)title_gender;
    size_t after = qt_skip_apposition(d, end);   /* end itself when there is none */
    m->subject = !(z->flags & QT_TF_POSS) && followed_by_verb(d, end, after);
    /* "Latvian journalist Dainis Ivans": a name before role words and another name is a
     * modifier, not the clause's subject. Role nouns carry no verb ending: "Cruz exhorted
     * Republicans" and "Vale praises Reed" keep their subjects. */
    if (m->subject) {
        size_t k = end;
        while (k < t->toks.n && k < end + 3 && (QT_TOK(t, k).flags & QT_TF_LOWER) &&
               !(QT_TOK(t, k).lex & (W_NONVERB | W_CUE | W_SKIP | W_DET))) {
            const qt_tok *w = &QT_TOK(t, k);
            char c1 = t->p[w->end - 1], c2 = w->end - w->start > 2 ? t->p[w->end - 2] : 0;
            if (c1 == 's' || (c2 == 'e' && c1 == 'd'))
                break;
            k++;
        }
        if (k > end && k < t->toks.n && QT_TOK(t, k).kind == QT_TOK_WORD &&
            (QT_TOK(t, k).flags & QT_TF_CAP) && !(QT_TOK(t, k).lex & W_STOPCAP))
            m->subject = 0;
    }
    m->in_appos = (a->flags & QT_TF_APPOS) != 0;
    /* Names inside this one's apposition ("Ada Vale, a friend of Tom Reed, said") are
     * background: mark the apposition's tokens so their mentions know it. */
    for (size_t k = end; k < after; k++)
        QT_TOK(t, k).flags |= QT_TF_APPOS;
    /* What the text calls this person: the apposition ("Vale, 52, a chef from Leeds,") and
     * lowercase role words right before the name ("former midfielder Niall Brannock"). */
    if (!m->in_quote && !e->org) {
        if (after > end)
            qt_entity_describe(d, ent, end + 1, after - 1);
        size_t r = first;
        while (r > 0 && r + 3 > first && (QT_TOK(t, r - 1).flags & QT_TF_LOWER) &&
               QT_TOK(t, r - 1).kind == QT_TOK_WORD &&
               !(QT_TOK(t, r - 1).lex & (W_DET | W_NONVERB | W_CUE | W_SKIP)))
            r--;
        if (r < first)
            qt_entity_describe(d, ent, r, first);
    }
    int idx = (int)d->mentions.n - 1;
    QT_VEC_AT(&d->tok_mention, int, first) = idx;
    return QT_OK;
}

static qt_status find_mentions(qt_doc *d)
{
    qt_text *t = &d->text;
    for (size_t pi = 0; pi < t->paras.n; pi++) {
        const qt_para *pa = &QT_PARA(t, pi);
        if (qt_title_case_para(t, pa))
            continue;
        size_t i = pa->tok_first;
        while (i < pa->tok_end) {
            const qt_tok *tk = &QT_TOK(t, i);
            if (tk->kind != QT_TOK_WORD || !(tk->flags & QT_TF_CAP)) {
                i++;
                continue;
            }
            uint32_t f = tk->lex;
            int title_gender = 0, the = 0;
            size_t j = i;
            /* titles: "Sen.", "Mrs.", "President" before another capitalised word */
            while (j < pa->tok_end && QT_TOK(t, j).kind == QT_TOK_WORD &&
                   (QT_TOK(t, j).flags & QT_TF_CAP) &&
                   (QT_TOK(t, j).lex & W_TITLE)) {
                uint32_t tf = QT_TOK(t, j).lex;
                size_t nx = j + 1;
                if (nx < pa->tok_end && QT_TOK(t, nx).hash == '.' &&
                    QT_TOK(t, nx).start == QT_TOK(t, j).end)
                    nx++;
                if (nx >= pa->tok_end || !(QT_TOK(t, nx).flags & QT_TF_CAP) ||
                    QT_TOK(t, nx).kind != QT_TOK_WORD)
                    break;
                if (tf & W_TITLE_M) title_gender = 'm';
                if (tf & W_TITLE_F) title_gender = 'f';
                j = nx;
            }
            if (j == i) {
                if (f & W_DET) {
                    the = 1;          /* "The Post": an organisation's name */
                    j++;
                    if (j >= pa->tok_end || !(QT_TOK(t, j).flags & QT_TF_CAP) ||
                        QT_TOK(t, j).kind != QT_TOK_WORD) {
                        i = j;
                        continue;
                    }
                } else if ((f & (W_STOPCAP | W_CALENDAR | W_PRON_I)) &&
                           (sentence_initial(t, i) || (f & (W_CALENDAR | W_PRON_I)))) {
                    i++;
                    continue;
                }
            }
            /* "Following the vote, ...", "Following Monday's debate": a capitalised -ing, -ed
             * or -ly word opening a sentence, before punctuation, a determiner, a preposition or
             * a calendar word, is no name ("Kelly said", "Fred Vale said" keep theirs). */
            const qt_tok *nx = &QT_TOK(t, i + 1 < pa->tok_end ? i + 1 : i);
            if (j == i && sentence_initial(t, i) && QT_TOK(t, i).kind == QT_TOK_WORD &&
                (nx == tk || nx->kind == QT_TOK_PUNCT || (nx->lex & W_CALENDAR) ||
                 ((nx->flags & QT_TF_LOWER) && (nx->lex & (W_DET | W_NONVERB))))) {
                const char *w = t->p + tk->start;
                size_t wl = tk->end - tk->start;
                if ((wl > 4 && memcmp(w + wl - 3, "ing", 3) == 0) ||
                    (wl > 3 && memcmp(w + wl - 2, "ly", 2) == 0) ||
                    (wl > 3 && memcmp(w + wl - 2, "ed", 2) == 0)) {
                    i++;
                    continue;
                }
            }
            size_t k = j;
            while (k < pa->tok_end) {
                const qt_tok *w = &QT_TOK(t, k);
                uint32_t wf = w->kind == QT_TOK_WORD ? w->lex : 0;
                /* "Democratic Sen. Claire Vale": a title inside a run starts a new name. */
                if (k > j && (wf & W_TITLE) && !(wf & W_SUFFIX) && k + 1 < pa->tok_end &&
                    (QT_TOK(t, k + 1).hash == '.' || (QT_TOK(t, k + 1).flags & QT_TF_CAP)))
                    break;
                /* an initial that is also a word: "Julie A. Diaz" */
                if (k > j && w->kind == QT_TOK_WORD && w->end - w->start == 1 &&
                    (w->flags & QT_TF_CAP) && k + 2 < pa->tok_end &&
                    QT_TOK(t, k + 1).hash == '.' && QT_TOK(t, k + 1).start == w->end &&
                    (QT_TOK(t, k + 2).flags & QT_TF_CAP)) {
                    k += 2;
                    continue;
                }
                if (w->kind == QT_TOK_WORD && (w->flags & QT_TF_CAP) && !(wf & W_CALENDAR) &&
                    (k == j || !(wf & W_STOPCAP) || (wf & W_SUFFIX))) {
                    k++;
                    if ((w->flags & (QT_TF_POSS | QT_TF_SENT_END)))
                        break;
                    /* an initial: "Donald J. Trump" */
                    if (k < pa->tok_end && QT_TOK(t, k).hash == '.' &&
                        QT_TOK(t, k).start == w->end && w->end - w->start == 1 &&
                        k + 1 < pa->tok_end && (QT_TOK(t, k + 1).flags & QT_TF_CAP))
                        k++;
                    continue;
                }
                if (w->kind == QT_TOK_WORD && (wf & W_NAMEPART) && (w->flags & QT_TF_LOWER) &&
                    k > j && k + 1 < pa->tok_end && (QT_TOK(t, k + 1).flags & QT_TF_CAP))
                    { k++; continue; }
                break;
            }
            if (k > j) {
                /* a role noun right before the name: "ex-husband Niall Brannock" */
                if (!title_gender && j > 0 && QT_TOK(t, j - 1).kind == QT_TOK_WORD) {
                    uint32_t rf = QT_TOK(t, j - 1).lex;
                    title_gender = (rf & W_NOUN_M) ? 'm' : (rf & W_NOUN_F) ? 'f' : 0;
                }
                /* "the FA Cup winner", "a Harbor FM host": capitalised words inside a
                 * descriptor name no person. */
                int modified = 0;   /* "the radical Islamic …": a modifier, not a subject */
                for (size_t b = j; !the && b > 0 && b + 3 > j &&
                                   (QT_TOK(t, b - 1).flags & QT_TF_LOWER); b--) {
                    uint64_t h = QT_TOK(t, b - 1).hash;
                    the = h == qt_word_hash("the", 3) || h == qt_word_hash("a", 1) ||
                          h == qt_word_hash("an", 2);
                    modified = the;
                    if (QT_TOK(t, b - 1).lex & (W_NONVERB | W_CUE))
                        break;
                }
                qt_status rc = add_mention(d, j, k, title_gender, the);
                if (rc == QT_OK && modified && d->mentions.n &&
                    QT_VEC_AT(&d->mentions, qt_mention, d->mentions.n - 1).tok_first == j)
                    QT_VEC_AT(&d->mentions, qt_mention, d->mentions.n - 1).subject = 0;
                if (rc != QT_OK)
                    return rc;
            }
            i = k > i ? k : i + 1;
        }
    }
    return QT_OK;
}

static int compatible(const qt_entity *e, uint32_t pf)
{
    if (e->org || !e->personish)
        return 0;
    if ((pf & W_PRON_M) && e->gender < 0)
        return 0;
    if ((pf & W_PRON_F) && e->gender > 0)
        return 0;
    return 1;
}

#define RECENT 32

/* Gender evidence that does not depend on resolving anything: a he/she whose own sentence
 * names exactly one person before it ("Vale says she ..."). Votes are counted before any
 * pronoun is resolved, so one wrong resolution cannot teach a wrong gender to the rest. */
static void vote_gender(qt_doc *d)
{
    qt_text *t = &d->text;
    size_t next_m = 0, nm = d->mentions.n;
    int only = -1, several = 0;
    uint32_t sent = UINT32_MAX;
    for (size_t i = 0; i < t->toks.n; i++) {
        const qt_tok *k = &QT_TOK(t, i);
        if (k->sent != sent) {
            sent = k->sent;
            only = -1;
            several = 0;
        }
        while (next_m < nm && QT_VEC_AT(&d->mentions, qt_mention, next_m).tok_first <= i) {
            const qt_mention *m = &QT_VEC_AT(&d->mentions, qt_mention, next_m++);
            const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, m->entity);
            if (m->in_quote || e->org || !e->personish)
                continue;
            if (only >= 0 && only != m->entity)
                several = 1;
            only = m->entity;
        }
        if (k->kind != QT_TOK_WORD || (k->flags & QT_TF_INQUOTE) || only < 0 || several)
            continue;
        uint32_t pf = k->lex;
        if (!(pf & (W_PRON_M | W_PRON_F)))
            continue;
        qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, only);
        if (e->gender > -50 && e->gender < 50)
            e->gender += (pf & W_PRON_M) ? 1 : -1;
    }
}

size_t qt_mentions_before(const qt_doc *d, uint32_t tok)
{
    size_t lo = 0, hi = d->mentions.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (QT_VEC_AT(&d->mentions, qt_mention, mid).tok_first < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int qt_pronoun_referent(const qt_doc *d, uint32_t tok, uint32_t pf, int exclude)
{
    const qt_text *t = &d->text;
    uint32_t sent = QT_TOK(t, tok).sent;
    /* the mentions before tok, newest first: binary search, then walk back */
    size_t lo = qt_mentions_before(d, tok);
    /* Passes, most to least certain: (a) a subject whose gender is known to agree, (b) anyone
     * whose gender agrees, (c) a subject of unknown gender, (d) anyone compatible a little
     * further back, (e) a name met only inside another's apposition ("Ada Vale, a friend of
     * Tom Reed,"): background, so the last resort. */
    for (int pass = 0; pass < 5; pass++) {
        uint32_t window = pass >= 3 ? 6 : 3;
        /* every step counts toward the bound, mentions inside quotes too */
        for (size_t m = lo, seen = 0; m-- > 0 && seen < 4 * RECENT; seen++) {
            const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
            if (mm->in_quote)
                continue;
            if (sent - QT_TOK(t, mm->tok_first).sent > window)
                break;
            const qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, mm->entity);
            if (mm->entity == exclude || !compatible(e, pf) || (mm->in_appos && pass < 4))
                continue;
            int known = e->gender != 0;
            if ((pass == 0 && (!mm->subject || !known)) || (pass == 1 && !known) ||
                (pass == 2 && (!mm->subject || known)))
                continue;
            return mm->entity;
        }
    }
    return -1;
}

static qt_status resolve_pronouns(qt_doc *d)
{
    qt_text *t = &d->text;
    d->prons.n = 0;
    for (size_t i = 0; i < t->toks.n; i++) {
        const qt_tok *k = &QT_TOK(t, i);
        if (k->kind != QT_TOK_WORD || (k->flags & QT_TF_INQUOTE) ||
            !(k->lex & (W_PRON_M | W_PRON_F)))
            continue;
        int best = qt_pronoun_referent(d, (uint32_t)i, k->lex, -1);
        qt_pron *p = qt_vec_push(&d->prons);
        if (!p)
            return QT_ENOMEM;
        p->tok = (uint32_t)i;
        p->entity = best;
        if (d->debug) {
            const qt_entity *be = best >= 0 ? &QT_VEC_AT(&d->entities, qt_entity, best) : NULL;
            fprintf(stderr, "pronoun %.*s@%u -> %.*s (gender %d)\n", (int)(k->end - k->start),
                    t->p + k->start, k->start, be ? (int)(be->name_end - be->name_start) : 1,
                    be ? t->p + be->name_start : "-", be ? be->gender : 0);
        }
    }
    return QT_OK;
}

int qt_entity_of_pronoun(const qt_doc *d, uint32_t tok)
{
    size_t lo = 0, hi = d->prons.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const qt_pron *p = &QT_VEC_AT(&d->prons, qt_pron, mid);
        if (p->tok == tok)
            return p->entity;
        if (p->tok < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int qt_mention_at(const qt_doc *d, uint32_t tok)
{
    return QT_VEC_AT(&d->tok_mention, int, tok);
}

int qt_mention_ending_at(const qt_doc *d, uint32_t tok)
{
    /* Mentions are short: look back a few tokens for one that ends exactly here. */
    for (uint32_t b = 0; b < 8 && b <= tok; b++) {
        int m = QT_VEC_AT(&d->tok_mention, int, tok - b);
        if (m >= 0) {
            const qt_mention *mm = &QT_VEC_AT(&d->mentions, qt_mention, m);
            return mm->tok_end == tok + 1 ? m : -1;
        }
    }
    return -1;
}

int qt_entity_named(const qt_doc *d, size_t first, size_t end)
{
    const qt_text *t = &d->text;
    uint64_t full = KEY_FULL, last = 0;
    size_t words = 0;
    for (size_t k = first; k < end; k++) {
        const qt_tok *tk = &QT_TOK(t, k);
        if (tk->kind != QT_TOK_WORD)
            continue;
        last = name_hash(t, tk);
        full = (full ^ last) * 0x100000001B3ull;
        words++;
    }
    if (!words)
        return -1;
    int e = key_get(d, full);
    return e >= 0 ? e : key_get(d, last ^ KEY_PART);
}

/* A surname in the headline before the full name ("Vale speaks out", then "Ada Vale said")
 * made an entity of its own: join it to the full name's, which now owns the surname. */
static void join_early_surnames(qt_doc *d)
{
    qt_text *t = &d->text;
    for (size_t i = 0; i < d->mentions.n; i++) {
        qt_mention *m = &QT_VEC_AT(&d->mentions, qt_mention, i);
        /* only in the headline: in the body a lone surname before a full name is as likely
         * another person of that family ("Trump" before "Ivanka Trump") */
        if (m->tok_end - m->tok_first != 1 || QT_TOK(t, m->tok_first).para > 0)
            continue;
        int to = key_get(d, name_hash(t, &QT_TOK(t, m->tok_first)) ^ KEY_PART);
        if (to < 0 || to == m->entity)
            continue;
        qt_entity *from = &QT_VEC_AT(&d->entities, qt_entity, m->entity);
        qt_entity *e = &QT_VEC_AT(&d->entities, qt_entity, to);
        if (from->org || e->org)
            continue;
        from->mentions--;
        e->mentions++;
        e->gender += m->title_gender == 'm' ? 3 : m->title_gender == 'f' ? -3 : 0;
        m->entity = to;
    }
}

qt_status qt_find_people(qt_doc *d)
{
    size_t n = d->text.toks.n;
    d->mentions.n = 0;
    d->entities.n = 0;
    if (d->tok_mention.cap < n) {
        int *p = realloc(d->tok_mention.items, n * sizeof *p);
        if (!p)
            return QT_ENOMEM;
        d->tok_mention.items = p;
        d->tok_mention.cap = n;
    }
    d->tok_mention.n = n;
    if (n)   /* a text of no token (only spaces, only BOMs) has no array yet */
        memset(d->tok_mention.items, 0xFF, n * sizeof(int));   /* every int -1: no mention */
    qt_status rc = keys_reserve(d, n);
    if (rc == QT_OK)
        rc = find_mentions(d);
    if (rc == QT_OK) {
        join_early_surnames(d);
        vote_gender(d);
        rc = resolve_pronouns(d);
    }
    return rc;
}
