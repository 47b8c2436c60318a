/*
 * text.c - one pass from bytes to tokens and paragraphs; sentence ends once quotes are known.
 *
 * Throughput matters here more than anywhere: every byte of every article passes through
 * qt_text_scan() exactly once. ASCII is classified by a table; only bytes >= 0x80 are decoded,
 * and only letters outside ASCII consult utf8proc.
 */
#include "text/qt_text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { C_SPACE = 1, C_NL, C_UP, C_LO, C_DIGIT, C_DQ, C_SQ, C_PUNCT, C_HIGH };

static unsigned char ascii_class[256];
/* Per byte, for the word loop: the byte lowercased when it is an ASCII letter or digit, else 0;
 * and 1 for a letter plus 1 << 32 for an uppercase one, so that one add counts letters (low 32
 * bits) and uppercase letters (high 32 bits). */
static uint8_t word_low[256];
static uint64_t word_cnt[256];
/* The flags a token's first ASCII character gives it. */
static uint16_t class_flags[C_HIGH + 1] = {[C_UP] = QT_TF_CAP, [C_LO] = QT_TF_LOWER};
static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

/* Fill the table once per process; pthread_once because any thread may scan first. */
static void fill_classes(void)
{
    for (int c = 0; c < 256; c++) {
        unsigned char k = C_PUNCT;
        if (c >= 0x80) k = C_HIGH;
        else if (c == '\n') k = C_NL;
        else if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == 0) k = C_SPACE;
        else if (c >= 'A' && c <= 'Z') k = C_UP;
        else if (c >= 'a' && c <= 'z') k = C_LO;
        else if (c >= '0' && c <= '9') k = C_DIGIT;
        else if (c == '"') k = C_DQ;
        else if (c == '\'') k = C_SQ;
        ascii_class[c] = k;
        if (k == C_UP || k == C_LO || k == C_DIGIT)
            word_low[c] = (uint8_t)(k == C_UP ? c + 32 : c);
        word_cnt[c] = k == C_UP ? 1ull | 1ull << 32 : k == C_LO ? 1 : 0;
    }
}

static void init_classes(void) { pthread_once(&classes_once, fill_classes); }

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

uint64_t qt_word_hash(const char *w, size_t n)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        h = (h ^ c) * FNV_PRIME;
    }
    return h ? h : 1;
}

/* What a non-ASCII code point is to the tokenizer. */
enum { U_SPACE = 1, U_PARA, U_UP, U_LO, U_LETTER, U_MARK, U_DIGIT, U_QUOTE, U_PUNCT };

static int classify_cp(int32_t cp, uint8_t *qm)
{
    switch (cp) {
    case 0x201C: case 0x201F: *qm = QT_QM_LDQ; return U_QUOTE;
    case 0x201D: *qm = QT_QM_RDQ; return U_QUOTE;
    case 0x201E: *qm = QT_QM_LOWDQ; return U_QUOTE;
    case 0x00AB: *qm = QT_QM_LAQUO; return U_QUOTE;
    case 0x00BB: *qm = QT_QM_RAQUO; return U_QUOTE;
    case 0x300C: *qm = QT_QM_CJKL; return U_QUOTE;
    case 0x300D: *qm = QT_QM_CJKR; return U_QUOTE;
    case 0x2018: case 0x201B: *qm = QT_QM_LSQ; return U_QUOTE;
    case 0x2019: *qm = QT_QM_RSQ; return U_QUOTE;
    case 0x201A: *qm = QT_QM_LOWSQ; return U_QUOTE;
    case 0x2039: *qm = QT_QM_LSAQUO; return U_QUOTE;
    case 0x203A: *qm = QT_QM_RSAQUO; return U_QUOTE;
    case 0x300E: *qm = QT_QM_CJKLW; return U_QUOTE;
    case 0x300F: *qm = QT_QM_CJKRW; return U_QUOTE;
    case 0x2029: return U_PARA;
    case 0x2028: return U_SPACE;
    default: break;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CF: return U_SPACE;
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return U_UP;
    case UTF8PROC_CATEGORY_LL: return U_LO;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: return U_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return U_MARK;
    case UTF8PROC_CATEGORY_ND: return U_DIGIT;
    default: return U_PUNCT;
    }
}

/* Is the character at p[i] a letter or digit (for deciding whether an apostrophe or hyphen is
 * inside a word)? */
static int alnum_at(const unsigned char *p, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    unsigned char k = ascii_class[p[i]];
    if (k == C_UP || k == C_LO || k == C_DIGIT)
        return 1;
    if (k != C_HIGH)
        return 0;
    int len;
    uint8_t qm = QT_QM_NONE;
    int u = classify_cp(qt_utf8_decode(p + i, n - i, &len), &qm);
    return u == U_UP || u == U_LO || u == U_LETTER || u == U_DIGIT;
}

static int text_has_blank_line(const char *p, size_t n)
{
    const char *e = p + n;
    for (const char *q = memchr(p, '\n', n); q; q = memchr(q + 1, '\n', (size_t)(e - q - 1))) {
        const char *r = q + 1;
        while (r < e && (*r == ' ' || *r == '\t' || *r == '\r'))
            r++;
        if (r < e && *r == '\n')
            return 1;
        if (r >= e - 1)
            break;
    }
    return 0;
}

/* The run of ASCII letters and digits at p[j..n), hashed on into *hp and counted into *cp (see
 * word_low, word_cnt); returns where it stops. The hash stays in a register (check the loop when
 * qt_text_scan grows: GCC once spilled it to the stack there). Eight bytes at a time, classified
 * with word arithmetic and a branch-free hash, was tried: no faster, the hash takes every byte. */
static inline size_t ascii_run(const unsigned char *p, size_t j, size_t n, int bounded,
                               uint64_t *hp, uint64_t *cp)
{
    uint64_t h = *hp, cnt = *cp;
    if (bounded) {
        /* the text's last byte ends any run that starts before it: no length check per byte
         * (j is n here after a last letter outside ASCII) */
        if (j < n) {
            unsigned lc;
            const unsigned char *q = p + j, *low = word_low;
            const uint64_t *wc = word_cnt;
            uint64_t prime = FNV_PRIME;
            /* opaque to GCC: the tables' addresses and the prime are then held in registers
             * across the loop, not made again every byte (14 instructions a byte -> 8) */
            __asm__("" : "+r"(low), "+r"(wc), "+r"(prime));
            while ((lc = low[*q]) != 0) {
                cnt += wc[*q];
                h = (h ^ lc) * prime;
                q++;
            }
            j = (size_t)(q - p);
        }
    } else {
        unsigned d, lc;
        while (j < n && (lc = word_low[d = p[j]]) != 0) {
            cnt += word_cnt[d];
            h = (h ^ lc) * FNV_PRIME;
            j++;
        }
    }
    *hp = h;
    *cp = cnt;
    return j;
}

/* Grow the token array so one more fits (the hot loop's push: no call, no memset per token). */
static int toks_room(qt_text *t, size_t n)
{
    if (n < t->toks.cap)
        return 1;
    size_t cap = t->toks.cap ? t->toks.cap * 2 : 1024;
    qt_tok *items = realloc(t->toks.items, cap * sizeof *items);
    if (!items)
        return 0;
    t->toks.items = items;
    t->toks.cap = cap;
    return 1;
}

qt_status qt_text_scan(qt_text *t, const char *text, size_t n)
{
    init_classes();
    t->p = text;
    t->n = n;
    t->toks.n = 0;
    t->paras.n = 0;
    t->n_sents = 0;
    const unsigned char *p = (const unsigned char *)text;
    /* newlines in one run of whitespace that start a paragraph (3) */
    const int para_nl = text_has_blank_line(text, n) ? 2 : 1;
    /* a text ending in anything but an ASCII letter or digit bounds every run of them */
    const int bounded = n > 0 && word_low[p[n - 1]] == 0;
    int new_para = 1;       /* the next token starts a paragraph */
    int newlines = 0;       /* newlines in the current run of whitespace */
    int space_pre = 1;
    qt_para *para = NULL;
    uint32_t para_i = 0;
    size_t nt = 0;          /* tokens so far (t->toks.n at the end) */
    /* kept in locals: a token's 64-bit hash store could alias t->toks for the compiler */
    qt_tok *toks = t->toks.items;
    size_t tcap = t->toks.cap;
    size_t i = 0;

    while (i < n) {
        unsigned char c = p[i];
        unsigned char k = ascii_class[c];
        /* Whitespace: a space changes nothing but space_pre (a run's newlines already decided
         * new_para); a newline may start a paragraph. */
        if (k == C_SPACE) {
            space_pre = 1;
            i++;
            continue;
        }
        if (k == C_NL) {
            if (++newlines >= para_nl)
                new_para = 1;
            space_pre = 1;
            i++;
            continue;
        }
        int32_t cp = c;
        int len = 1, u = 0;
        uint8_t qm = QT_QM_NONE;
        if (k == C_HIGH) {
            cp = qt_utf8_decode(p + i, n - i, &len);
            u = classify_cp(cp, &qm);
            if (u == U_SPACE || u == U_PARA) {
                if (u == U_PARA && (newlines += 2) >= para_nl)   /* counts as two newlines */
                    new_para = 1;
                space_pre = 1;
                i += (size_t)len;
                continue;
            }
        }
        newlines = 0;
        if (nt == tcap) {
            if (!toks_room(t, nt)) {
                t->toks.n = nt;
                return QT_ENOMEM;
            }
            toks = t->toks.items;
            tcap = t->toks.cap;
        }
        qt_tok *tk = &toks[nt++];
        /* whitespace before this token is whitespace after the one before: no branch */
        unsigned flags = (unsigned)space_pre * QT_TF_SPACE_PRE;
        if (nt > 1)
            toks[nt - 2].flags |= (uint16_t)((unsigned)space_pre * QT_TF_SPACE_POST);
        space_pre = 0;
        if (new_para) {
            if (para)
                para->tok_end = (uint32_t)(nt - 1);
            para = qt_vec_push(&t->paras);
            if (!para) {
                t->toks.n = nt - 1;
                return QT_ENOMEM;
            }
            para->start = (uint32_t)i;
            para->tok_first = (uint32_t)(nt - 1);
            para_i = (uint32_t)(t->paras.n - 1);
            flags |= QT_TF_PARA_START;
            new_para = 0;
        }
        int is_word;
        if (k != C_HIGH) {
            is_word = k >= C_UP && k <= C_DIGIT;
            flags |= class_flags[k];
        } else {
            is_word = u == U_UP || u == U_LO || u == U_LETTER || u == U_MARK || u == U_DIGIT;
            flags |= u == U_UP ? QT_TF_CAP : u == U_LO ? QT_TF_LOWER : 0;
        }
        if (is_word) {
            /* A word: letters and digits, with apostrophes and hyphens kept when both sides are
             * alphanumeric, and digit groups ("1,000.5") kept whole. ASCII letters and digits
             * run through the tight loop; everything else is decided one character at a time. */
            uint64_t h = FNV_OFFSET;
            uint64_t cnt = 0;   /* letters in the low 32 bits, uppercase letters in the high */
            int nonascii = 0;
            size_t j = i;
            for (;;) {
                j = ascii_run(p, j, n, bounded, &h, &cnt);
                if (j >= n)
                    break;
                unsigned char d = p[j];
                if (ascii_class[d] <= C_NL)   /* the usual end: a space */
                    break;
                if (d >= 0x80) {
                    int l2;
                    uint8_t q2 = QT_QM_NONE;
                    int32_t c2 = qt_utf8_decode(p + j, n - j, &l2);
                    int u2 = classify_cp(c2, &q2);
                    if (u2 == U_UP || u2 == U_LO || u2 == U_LETTER || u2 == U_MARK ||
                        u2 == U_DIGIT) {
                        cnt += (uint64_t)(u2 != U_DIGIT) + ((uint64_t)(u2 == U_UP) << 32);
                        nonascii = 1;
                        j += (size_t)l2;
                        continue;
                    }
                    if (q2 == QT_QM_RSQ && alnum_at(p, n, j + (size_t)l2) && j > i) {
                        h = (h ^ (unsigned char)'\'') * FNV_PRIME;
                        j += (size_t)l2;
                        continue;
                    }
                    break;
                }
                if ((d == '\'' || d == '-') && alnum_at(p, n, j + 1)) {
                    h = (h ^ d) * FNV_PRIME;
                    j++;
                    continue;
                }
                if ((d == ',' || d == '.') && (k == C_DIGIT || (k == C_HIGH && u == U_DIGIT)) &&
                    (uint32_t)cnt == 0 && j + 1 < n &&
                    ascii_class[p[j + 1]] == C_DIGIT) {
                    h = (h ^ d) * FNV_PRIME;
                    j++;
                    continue;
                }
                break;
            }
            uint32_t letters = (uint32_t)cnt, uppers = (uint32_t)(cnt >> 32);
            if (uppers >= 2 && uppers == letters)
                flags |= QT_TF_ALLCAPS;
            if (nonascii) {
                char fold[256];
                size_t fl = qt_fold(text + i, j - i, fold, sizeof fold);
                h = qt_word_hash(fold, fl);   /* qt_fold already made ’ an ' */
                flags |= QT_TF_NONASCII;
            }
            /* ends in 's or ’s: the last byte first, then without a branch on the rest */
            size_t wl = j - i;
            if ((p[j - 1] | 0x20) == 's' && wl > 2) {
                if (p[j - 2] == '\'' ||
                    (wl > 4 && p[j - 4] == 0xE2 && p[j - 3] == 0x80 && p[j - 2] == 0x99))
                    flags |= QT_TF_POSS;
            }
            *tk = (qt_tok){.start = (uint32_t)i, .end = (uint32_t)j, .hash = h ? h : 1,
                           .para = para_i, .flags = (uint16_t)flags,
                           .kind = letters ? QT_TOK_WORD : QT_TOK_NUM};
            /* one space after a word (the usual case) read here, not by another round of the
             * loop: it changes nothing but space_pre */
            if (j < n && p[j] == ' ') {
                space_pre = 1;
                j++;
            }
            i = j;
            continue;
        }
        if (k == C_DQ) {
            qm = QT_QM_DQ;
        } else if (k == C_SQ && i + 1 < n && p[i + 1] == '\'') {
            qm = QT_QM_DQ;      /* '' is a double mark: the New York Times archive style */
            len = 2;
        } else if (k == C_SQ) {
            qm = QT_QM_SQ;
        }
        uint64_t h = 0;
        if (!qm && len == 1)
            h = c;  /* punctuation keeps its byte, so callers can test tok->hash == ',' */
        else if (!qm && cp == 0x2026)
            h = '.';  /* an ellipsis ends sentences as a period does */
        else if (!qm && cp >= 0x2012 && cp <= 0x2015)
            h = '-';
        *tk = (qt_tok){.start = (uint32_t)i, .end = (uint32_t)(i + (size_t)len), .hash = h,
                       .para = para_i, .flags = (uint16_t)flags,
                       .kind = qm ? QT_TOK_QUOTE : QT_TOK_PUNCT, .qm = qm};
        i += (size_t)len;
        if (i < n && p[i] == ' ') {   /* as after a word */
            space_pre = 1;
            i++;
        }
    }
    t->toks.n = nt;
    if (nt)
        QT_TOK(t, nt - 1).flags |= QT_TF_SPACE_POST;
    if (para)
        para->tok_end = (uint32_t)nt;
    for (size_t pi = 0; pi < t->paras.n; pi++) {
        qt_para *pp = &QT_PARA(t, pi);
        pp->end = QT_TOK(t, pp->tok_end - 1).end;
    }
    return QT_OK;
}

void qt_text_sentences(qt_text *t, int (*is_abbrev)(const void *ctx, uint64_t h), const void *ctx)
{
    uint32_t sent = 0;
    size_t n = t->toks.n;
    for (size_t i = 0; i < n; i++) {
        qt_tok *tk = &QT_TOK(t, i);
        if (i > 0 && (tk->flags & QT_TF_PARA_START)) {
            QT_TOK(t, i - 1).flags |= QT_TF_SENT_END;
            sent++;
        }
        tk->sent = sent;
        if (tk->flags & QT_TF_INQUOTE || i + 1 >= n)
            continue;
        const qt_tok *next = &QT_TOK(t, i + 1);
        if (next->flags & QT_TF_PARA_START)
            continue;
        int starts = (next->flags & QT_TF_CAP) || next->kind == QT_TOK_NUM ||
                     (next->flags & QT_TF_QOPEN);
        int ends = 0;
        if (tk->kind == QT_TOK_PUNCT && (tk->hash == '.' || tk->hash == '!' || tk->hash == '?')) {
            ends = starts;
            /* "R-S.C.", "U.S.": a stop with a word glued after it is an abbreviation's */
            if (ends && tk->hash == '.' && next->start == tk->end && next->kind == QT_TOK_WORD)
                ends = 0;
            if (ends && tk->hash == '.' && i > 0) {
                const qt_tok *prev = &QT_TOK(t, i - 1);
                if (prev->end == tk->start && prev->kind == QT_TOK_WORD &&
                    ((prev->end - prev->start == 1 && (prev->flags & QT_TF_CAP)) ||
                     (is_abbrev && is_abbrev(ctx, prev->hash))))
                    ends = 0;
            }
        } else if ((tk->flags & QT_TF_QCLOSE) && i > 0) {
            /* "... we're done." She left: the quote's own final stop ends the writer's sentence. */
            const qt_tok *prev = &QT_TOK(t, i - 1);
            ends = starts && prev->kind == QT_TOK_PUNCT &&
                   (prev->hash == '.' || prev->hash == '!' || prev->hash == '?');
        }
        if (ends) {
            tk->flags |= QT_TF_SENT_END;
            sent++;
        }
    }
    if (n)
        QT_TOK(t, n - 1).flags |= QT_TF_SENT_END;
    t->n_sents = n ? sent + 1 : 0;
}

void qt_text_release(qt_text *t)
{
    qt_vec_release(&t->toks);
    qt_vec_release(&t->paras);
}
