/*
 * qt_quotes.h - the per-article analysis: quotation spans, people, attribution.
 *
 * Stages, in the order qt_analyze() runs them over one article:
 *   1. qt_text_scan        tokens and paragraphs                     (text/)
 *   2. qt_find_quotes      quotation spans, nested quotes, kinds      (find.c)
 *   3. qt_text_sentences   writer-level sentences around the quotes   (text/)
 *   4. qt_find_people      name mentions, alias chains, pronouns      (people.c)
 *   5. qt_attribute        speaker, cue and venue for every quote     (attrib.c)
 *   6. qt_find_attributions  speech without marks around it          (indirect.c)
 * Each stage reads the doc the previous ones filled and writes only its own part.
 *
 * Word knowledge lives in the engine (lexicon.c): the cue lexicon mined from PolNeAR train
 * (data/cues.tsv, compiled in) and small closed-class lists of English (pronouns, titles,
 * prepositions). None of it names a person, outlet or text.
 */
#ifndef QT_QUOTES_H
#define QT_QUOTES_H

#include "link/qt_link.h"
#include "core/qt_core.h"
#include "text/qt_text.h"

/* ---- the engine's word table ----------------------------------------------------------------- */

#define W_CUE        0x00000001u  /* speech or cognition cue (mined) */
#define W_PHRASE     0x00000002u  /* first word of a multi-word cue ("according" to) */
#define W_STOPCAP    0x00000004u  /* capitalised only because it starts a sentence ("However") */
#define W_PRON_M     0x00000008u
#define W_PRON_F     0x00000010u
#define W_PRON_PL    0x00000020u  /* they, them, their */
#define W_PRON_SUBJ  0x00000040u  /* he, she, they, we, I */
#define W_DET        0x00000080u  /* the, a, an, his, her, another ... */
#define W_SKIP       0x00000100u  /* may stand between a subject and its cue (also, later, has) */
#define W_NONVERB    0x00000200u  /* a word after a name that shows it is not a subject (of, and) */
#define W_TITLE      0x00000400u  /* Mr., Sen., President */
#define W_TITLE_M    0x00000800u
#define W_TITLE_F    0x00001000u
#define W_CALENDAR   0x00002000u  /* months and days: capitalised, never people or venues */
#define W_ORG        0x00004000u  /* head words of organisation names (Party, Committee) */
#define W_SPEECHN    0x00008000u  /* speech nouns: interview, statement, remarks */
#define W_MEDIUM     0x00010000u  /* media a venue can be: website, podcast, show */
#define W_ANON       0x00020000u  /* heads of anonymous sources: source, official, insider */
#define W_TELL       0x00040000u  /* tell-verbs, whose object is the venue or the addressee */
#define W_VPREP      0x00080000u  /* prepositions that introduce a venue: to, with, on */
#define W_ELISION    0x00100000u  /* words an apostrophe may open: 'em, 'til, 'n' */
#define W_ABBREV     0x00200000u  /* takes a period without ending the sentence */
#define W_CONJ       0x00400000u  /* but, and: a cue after them shares the earlier subject */
#define W_ISSUE      0x00800000u  /* issue, edition, episode: "of" after them names a venue */
#define W_PRON_I     0x01000000u  /* I, we: first person outside quotes has no speaker to find */
#define W_PRON_IT    0x02000000u  /* it: an organisation or thing */
#define W_NAMEPART   0x04000000u  /* lowercase particles inside names: de, van, bin */
#define W_SUFFIX     0x08000000u  /* Jr., Sr., III */
#define W_COLLECTIVE 0x10000000u  /* campaign, company, spokesman: organisation descriptors */
#define W_NOUN_M     0x20000000u  /* husband, father: a male role noun */
#define W_NOUN_F     0x40000000u  /* wife, mother */

typedef struct qt_word {
    uint64_t hash;
    uint32_t flags;
    float cue_prec;       /* for W_CUE: how often the word is a cue where it occurs (PolNeAR) */
    int32_t phrase;       /* for W_PHRASE: first index into engine->phrases, -1 if none */
} qt_word;

typedef struct qt_phrase {
    uint64_t words[6];
    int n;
    int32_t next;         /* next phrase with the same first word, -1 at the end */
    float prec;
} qt_phrase;

/* One line of the venue alias table (venue.c), both sides already reduced to keys. */
typedef struct qt_venue_alias {
    char alias[64];
    char canonical[64];
} qt_venue_alias;

struct qt_engine {
    qt_word *table;       /* open addressing, power-of-two size, hash 0 = empty */
    size_t mask;
    qt_phrase *phrases;
    size_t n_phrases;
    qt_venue_alias *venue_aliases;
    size_t n_venue_aliases;
    size_t n_words;       /* table entries put (an upper bound: repeats count too) */
    struct cell_conf *cells;   /* data/confidence.tsv, sorted by cell (confidence.c) */
    size_t n_cells;
    int cells_raw;        /* QT_CONFIDENCE_CELLS: records carry their cell numbers */
    qt_limits lim;        /* qt_engine_set_limits(), else the defaults: quote_bytes,
                           * quote_depth and people are analysis's */
};

/* Load data/confidence.tsv (confidence.c). */
qt_status qt_confidence_load(qt_engine *e, qt_err *err);
/* The calibrated confidence of a cell, or fallback when the table has no row for it. */
double qt_confidence(const qt_engine *e, int cell, double fallback);

/* Load data/venues.tsv and the file named by QT_VENUES, if any (venue.c). */
qt_status qt_venues_load(qt_engine *e, qt_err *err);
/* The key that names one outlet however it is written ("PEOPLE", "People Magazine" -> "people"),
 * into out; NULL for a NULL or empty venue. */
const char *qt_venue_key(const qt_engine *e, const char *venue, char *out, size_t cap);

const qt_word *qt_lex_get(const qt_engine *e, uint64_t hash);
static inline uint32_t qt_lex_flags(const qt_engine *e, uint64_t hash)
{
    const qt_word *w = qt_lex_get(e, hash);
    return w ? w->flags : 0;
}
/* If a multi-word cue starts at token i, return its length in tokens (and its precision in
 * *prec, if not NULL), else 0. */
int qt_lex_phrase_at(const qt_engine *e, const qt_text *t, size_t i, float *prec);
int qt_lex_is_abbrev(const void *engine, uint64_t hash);

/* ---- per-article records --------------------------------------------------------------------- */

/* A quotation found in the text. Token indices point at the marks; the span excludes them. */
typedef struct qt_qspan {
    uint32_t start, end;       /* byte span, marks excluded, whitespace trimmed */
    uint32_t tok_open;         /* opening mark token */
    uint32_t tok_close;        /* closing mark token, or the last interior token if unclosed */
    int parent;                /* index of the enclosing quote, -1 at top level */
    uint8_t kind;              /* qt_quote_kind */
    uint8_t unclosed;          /* ended at a paragraph end without a closing mark */
    uint8_t multi_para;
    /* attribution, filled by qt_attribute() */
    int entity;                /* speaker entity, -1 if none */
    uint8_t speaker_kind;
    uint32_t mention_start, mention_end;   /* words that named the speaker, 0/0 if none */
    uint32_t cue_start, cue_end;
    uint32_t venue_start, venue_end;       /* venue words in the text, or 0/0 */
    const char *venue_carried;             /* venue carried from an earlier frame, or NULL */
    float confidence;
    uint8_t rule;                          /* which attribution rule fired: QT_RULE_* */
} qt_qspan;

/* The attribution rules of attrib.c, in the order they are tried (for tracing and, later,
 * per-rule calibration). */
#define QT_RULES(X) X(NONE, "none") X(AFTER, "after-frame") X(BEFORE, "before-frame")   \
    X(CONTINUED, "same-paragraph continuation") X(INTRO, "introduced by previous sentence") \
    X(FLOOR, "paragraph about a speaker")                                                   \
    X(SUBJECT, "sentence subject") X(NESTED, "nested frame")                                 \
    X(CONTENT, "inside an attribution")
#define X(n, s) QT_RULE_##n,
enum { QT_RULES(X) };
#undef X
const char *qt_rule_name(int rule);

/* An attribution without quotation marks around all of it (indirect.c). */
typedef struct qt_aspan {
    uint8_t kind;                  /* qt_attr_kind */
    uint8_t speaker_kind;
    uint8_t shape;                 /* ATTR_SHAPE_*: where the content stands to its frame */
    uint8_t src_class;             /* SRC_*: what kind of words name the source */
    float cue_prec;                /* the cue's precision in the mined lexicon */
    int entity;
    uint32_t src_start, src_end, cue_start, cue_end, content_start, content_end;
    float confidence;
} qt_aspan;

enum { ATTR_SHAPE_AFTER, ATTR_SHAPE_BEFORE, ATTR_SHAPE_AROUND, ATTR_SHAPE_BLOCK,
       ATTR_SHAPE_ACCORDING, ATTR_SHAPE_COLON };
/* Source classes: the NP_* kinds (NP_NONE .. NP_ORG), then the long-phrase and relative ones. */
enum { SRC_LOOSE_NAME = 6, SRC_LOOSE_OTHER = 7, SRC_RELATIVE = 8 };
/* Calibration cells of a quote (text t holds it) and of an attribution (confidence.c). */
int qt_quote_cell(const qt_doc *d, const qt_text *t, const qt_qspan *q);
int qt_attr_cell(const qt_aspan *a);

/* A capitalised name in the text. */
typedef struct qt_mention {
    uint32_t tok_first, tok_end;   /* name tokens, titles excluded */
    uint32_t start, end;           /* bytes, possessive 's excluded */
    int entity;
    uint8_t subject;               /* followed by a verb: the subject of its clause */
    uint8_t in_quote;
    uint8_t in_appos;              /* inside another name's apposition: background, not topic */
    uint8_t title_gender;          /* 0, 'm' or 'f' from a title (Mr., Mrs.) */
} qt_mention;

typedef struct qt_entity {
    uint32_t name_start, name_end; /* fullest form seen, bytes in the text */
    uint8_t personish;             /* evidence this is a person (full name, title, speaker) */
    uint8_t org;                   /* looks like an organisation or outlet */
    int16_t gender;                /* > 0 male evidence, < 0 female */
    uint32_t mentions;
    int quotes;
    const char *venue;             /* the venue this person last spoke to, carried forward */
    uint64_t roles[6];             /* head nouns the text described them with: "chef", "star" */
    uint8_t n_roles;
    uint8_t age;                   /* from ", 52," or "the 52-year-old", 0 if unknown */
} qt_entity;

#define QT_MAX_ROLES 6

/* Pronoun resolution: token index -> entity. */
typedef struct qt_pron {
    uint32_t tok;
    int entity;
} qt_pron;

/* Paragraph roles (blocks.c). */
enum { QT_ROLE_BODY, QT_ROLE_HEADLINE, QT_ROLE_SUBHEADING, QT_ROLE_BYLINE, QT_ROLE_DATELINE,
       QT_ROLE_QUOTE, QT_ROLE_CAPTION, QT_ROLE_CREDIT, QT_ROLE_ENGAGEMENT, QT_ROLE_BOILERPLATE,
       QT_ROLE_RELATED, QT_N_ROLES };
typedef struct qt_role {
    uint8_t role;
    uint32_t dateline_end;   /* a body paragraph opening with a dateline: where it ends, else 0 */
    uint32_t rating;         /* a rating line: the value's byte offset, else 0 */
} qt_role;

#define QT_LIMIT_WARN_MAX 8

struct qt_doc {
    qt_text text;
    qt_vec quotes;      /* qt_qspan */
    qt_vec attrs;       /* qt_aspan */
    qt_vec roles;       /* qt_role, one per paragraph */
    qt_minhash minhash; /* the body's signature (src/link) */
    int no_fingerprints;/* qt_doc_set_fingerprints(d, 0): skip signature and quote keys */
    qt_vec mentions;    /* qt_mention */
    qt_vec entities;    /* qt_entity */
    qt_vec prons;       /* qt_pron, in token order */
    qt_vec tok_mention; /* int per token: index of the mention starting there, or -1 */
    uint32_t *key_table;/* folded name-token hash -> entity+1, open addressing */
    uint64_t *key_hash;
    size_t key_mask;
    qt_arena arena;     /* strings and output records of the current article */
    qt_article out;
    const qt_engine *engine;
    qt_text title_text; /* the separate title, when the input has one */
    qt_vec title_quotes;
    qt_vec venue_names; /* const char *: the venue names the article used, for short forms */
    int venue_text_scans; /* full_venue() text searches done for this article */
    int debug;          /* QT_DEBUG set: stages explain their choices on stderr */
    struct qt_timex_ctx *timex; /* time expression scratch (src/events), made on first use */
    const char *limit_warn[QT_LIMIT_WARN_MAX]; /* limits analysis hit in this article (in the
                                                * arena), added to qt_article.warnings */
    size_t n_limit_warn;
};

/* Add a warning about a limit hit to the doc's article (at most QT_LIMIT_WARN_MAX; one per
 * limit and text is the rule, with counts, so a hostile article gets a few lines, not a
 * million). Returns QT_OK or QT_ENOMEM. */
qt_status qt_doc_limit_warn(qt_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Stage entry points. Each returns QT_OK or QT_ENOMEM. */
qt_status qt_find_quotes(qt_doc *d, qt_text *t, qt_vec *out);
qt_status qt_find_people(qt_doc *d);
qt_status qt_attribute(qt_doc *d);
qt_status qt_find_attributions(qt_doc *d);
/* Give each paragraph its role and mark the tokens of paragraphs that are not text
 * (QT_TF_FURNITURE). title is the title given apart from the text, or NULL: the text's first
 * paragraph is then its headline. */
qt_status qt_classify_blocks(qt_doc *d, const char *title);
const char *qt_role_name(int role);
int qt_role_is_text(int role);

/* ---- speech frames (frames.c), shared by attrib.c and indirect.c ----------------------------- */

/* How far a frame search looks from a quote or cue, in tokens. Real frames are a few words long;
 * the bound keeps a 100 MB paragraph with no full stop (or a million quotes) linear. */
#define FRAME_REACH 80

/* The words naming a speaker: a name (entity set), a pronoun, a descriptor ("the former
 * chef"), an anonymous source ("a source", "officials") or an organisation descriptor. */
enum { NP_NONE, NP_NAME, NP_PRON, NP_DESC, NP_ANON, NP_ORG };
typedef struct np {
    int kind;
    uint32_t first, end;   /* tokens [first, end) */
    int entity;
} np;

static inline int qt_is_word(const qt_doc *d, size_t i)
{
    return QT_TOK(&d->text, i).kind == QT_TOK_WORD;
}
static inline int qt_sent_of(const qt_doc *d, size_t i) { return (int)QT_TOK(&d->text, i).sent; }
/* Length in tokens of the cue starting at token i (a word the mined lexicon rates at least
 * min_prec, or a multi-word cue), 0 if none. */
int qt_cue_at(const qt_doc *d, size_t i, float min_prec);
/* The speaker phrase ending right before token i (not before lo) / starting at i (before hi). */
np qt_np_left(const qt_doc *d, size_t i, size_t lo);
np qt_np_right(const qt_doc *d, size_t i, size_t hi);
/* A long noun phrase as speaker ("Experts on North Korea said", "…, said attorneys for the
 * family"), ending before token i / starting at i; for when qt_np_left/right find nothing.
 * Names come back as NP_NAME, other heads as NP_ORG or NP_ANON; first/end span the phrase. */
np qt_loose_left(const qt_doc *d, size_t i, size_t lo);
np qt_loose_right(const qt_doc *d, size_t i, size_t hi);
/* "…, Ada Vale, who said": the relative pronoun before token i, standing for the name before
 * it (NP_NAME) or for a group or organisation; first/end span the pronoun. */
np qt_relative_subject(const qt_doc *d, size_t i, size_t lo);
/* The entity the words [first, end) name, as a full name or as one person's surname, or -1. */
int qt_entity_named(const qt_doc *d, size_t first, size_t end);
/* Is paragraph p written in title case (a headline: most of its words capitalised)? */
int qt_title_case_para(const qt_text *t, const qt_para *p);
/* First token of i's writer sentence, not before floor, at most FRAME_REACH back. */
size_t qt_sentence_start(const qt_doc *d, size_t i, size_t floor);
/* The subject of the writer sentence in tokens [a, b): its first clause-heading name or he/she. */
np qt_sentence_subject(const qt_doc *d, size_t a, size_t b);
/* The entity and speaker kind a speaker phrase stands for; may lower *conf (an unresolved
 * pronoun, a descriptor). */
void qt_resolve_np(qt_doc *d, const np *who, int *entity, uint8_t *kind, float *conf);
/* The person a definite descriptor refers to, or -1. */
int qt_salient_person(const qt_doc *d, uint32_t before_tok);
/* The person a descriptor in tokens [first, end) names by its role or age ("the former chef",
 * "the 52-year-old"), or -1 when no one in the article was described that way. */
int qt_role_referent(const qt_doc *d, uint32_t first, uint32_t end);
/* Record that entity e was described by the words in tokens [first, end). */
void qt_entity_describe(qt_doc *d, int e, size_t first, size_t end);
size_t qt_skip_apposition(const qt_doc *d, size_t i);
int qt_is_skippable(const qt_doc *d, size_t i);

/* Helpers shared by the stages. */
int qt_entity_of_pronoun(const qt_doc *d, uint32_t tok);   /* -1 if unresolved */
/* The person a he/she-type pronoun (lexicon flags pf) at token tok refers to, not counting
 * entity `exclude` (a quote's own speaker, for "she" inside it), or -1. */
int qt_pronoun_referent(const qt_doc *d, uint32_t tok, uint32_t pf, int exclude);
int qt_mention_at(const qt_doc *d, uint32_t tok);          /* mention index starting at tok, -1 */
/* How many mentions start before token tok (mentions are in text order): the index to walk
 * back from for "the most recent mention before tok". */
size_t qt_mentions_before(const qt_doc *d, uint32_t tok);
int qt_mention_ending_at(const qt_doc *d, uint32_t tok);   /* mention whose last token is tok */

#endif /* QT_QUOTES_H */
