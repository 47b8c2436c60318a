/*
 * qt_text.h - paragraphs, tokens and writer-level sentences over an article's bytes.
 *
 * One pass over the bytes produces a token array kept in memory that is reused from article to
 * article (no allocation per token). Tokens never own text: they are byte ranges of the input, so
 * every later stage reports offsets into the text exactly as given.
 *
 * Invariants:
 *  (1) tokens are in text order, non-overlapping, and never contain whitespace.
 *  (2) an apostrophe between two letters ("don't", "Vale's") is inside a word token; every other
 *      quote-like character is a token of its own with kind QT_TOK_QUOTE, so the quote finder,
 *      not the tokenizer, decides between apostrophe and quotation mark.
 *  (3) a paragraph is a run of lines ended by a blank line; when the text has no blank line at all,
 *      every line is a paragraph (scraped text often comes that way).
 */
#ifndef QT_TEXT_H
#define QT_TEXT_H

#include <stdint.h>

#include "core/qt_core.h"

enum { QT_TOK_WORD = 1, QT_TOK_NUM, QT_TOK_PUNCT, QT_TOK_QUOTE };

/* Token flags. */
#define QT_TF_CAP        0x0001u   /* first character is an uppercase letter */
#define QT_TF_LOWER      0x0002u   /* first character is a lowercase letter */
#define QT_TF_SPACE_PRE  0x0004u   /* whitespace (or start of text) right before */
#define QT_TF_SPACE_POST 0x0008u   /* whitespace (or end of text) right after */
#define QT_TF_PARA_START 0x0010u   /* first token of its paragraph */
#define QT_TF_POSS       0x0020u   /* word ends in 's / ’s (possessive or contraction) */
#define QT_TF_INQUOTE    0x0040u   /* inside a top-level quotation (set by the quote finder) */
#define QT_TF_SENT_END   0x0080u   /* a writer-level sentence ends after this token */
#define QT_TF_ALLCAPS    0x0100u   /* two or more letters, all uppercase */
#define QT_TF_NONASCII   0x0200u   /* contains bytes >= 0x80 */
#define QT_TF_QOPEN      0x0400u   /* a quotation mark that opens a quote (set by the finder) */
#define QT_TF_QCLOSE     0x0800u   /* a quotation mark that closes one */
#define QT_TF_QREOPEN    0x1000u   /* a mark re-opening a quote that runs across paragraphs */
#define QT_TF_QCUE       0x2000u   /* the cue of a quote's frame (set by the indirect stage) */
#define QT_TF_APPOS      0x4000u   /* inside an apposition after a name (set by people.c) */
#define QT_TF_FURNITURE  0x8000u   /* in a caption, credit, share line … (set by blocks.c) */

/* Quotation-mark shapes, for QT_TOK_QUOTE tokens. Double and single families are separate: single
 * marks are also apostrophes, so they are only read as quotation marks inside double quotes. */
enum {
    QT_QM_NONE = 0,
    QT_QM_DQ,      /* "  */
    QT_QM_LDQ,     /* “  */
    QT_QM_RDQ,     /* ”  */
    QT_QM_LOWDQ,   /* „  */
    QT_QM_LAQUO,   /* «  */
    QT_QM_RAQUO,   /* »  */
    QT_QM_CJKL,    /* 「 */
    QT_QM_CJKR,    /* 」 */
    QT_QM_SQ,      /* '  */
    QT_QM_LSQ,     /* ‘  */
    QT_QM_RSQ,     /* ’  */
    QT_QM_LOWSQ,   /* ‚  */
    QT_QM_LSAQUO,  /* ‹  */
    QT_QM_RSAQUO,  /* ›  */
    QT_QM_CJKLW,   /* 『 */
    QT_QM_CJKRW,   /* 』 */
};
#define QT_QM_IS_DOUBLE(m) ((m) >= QT_QM_DQ && (m) <= QT_QM_CJKR)

typedef struct qt_tok {
    uint32_t start, end;   /* byte range in the text */
    uint64_t hash;         /* hash of the lowercased word (apostrophes unified); 0 for non-words */
    uint32_t lex;          /* the engine's word flags for this word (set by qt_analyze) */
    uint32_t para;         /* paragraph index */
    uint32_t sent;         /* writer-level sentence index (valid after qt_text_sentences) */
    uint16_t flags;
    uint8_t kind;          /* QT_TOK_* */
    uint8_t qm;            /* QT_QM_* for quote tokens */
} qt_tok;

typedef struct qt_para {
    uint32_t start, end;       /* trimmed byte range */
    uint32_t tok_first, tok_end;  /* token range [first, end) */
} qt_para;

typedef struct qt_text {
    const char *p;
    size_t n;
    qt_vec toks;    /* qt_tok */
    qt_vec paras;   /* qt_para */
    uint32_t n_sents;
} qt_text;

#define QT_TEXT_INIT {NULL, 0, QT_VEC_INIT(qt_tok), QT_VEC_INIT(qt_para), 0}

/* Tokenize text[0..n) into t (reusing t's memory; t starts as QT_TEXT_INIT). Returns QT_OK or
 * QT_ENOMEM. */
qt_status qt_text_scan(qt_text *t, const char *text, size_t n);
/* Hash of a lowercase ASCII word as the tokenizer computes it, for building word tables. */
uint64_t qt_word_hash(const char *w, size_t n);
/* Mark writer-level sentence ends (QT_TF_SENT_END) and number sentences. Sentence ends inside
 * quotations (QT_TF_INQUOTE) do not count: a quoted speech and its frame are one sentence.
 * is_abbrev(hash) tells which words take a period without ending a sentence ("Sen.", "Mr."). */
void qt_text_sentences(qt_text *t, int (*is_abbrev)(const void *ctx, uint64_t h), const void *ctx);
void qt_text_release(qt_text *t);

#define QT_TOK(t, i) (((qt_tok *)(t)->toks.items)[i])
#define QT_PARA(t, i) (((qt_para *)(t)->paras.items)[i])

#endif /* QT_TEXT_H */
