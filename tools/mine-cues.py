#!/usr/bin/env python3
"""Mine the attribution-cue lexicon (data/cues.tsv) from the PolNeAR training split.

Usage:
    python3 tools/mine-cues.py [polnear-train.jsonl.gz] > data/cues.tsv

The input defaults to $POLNEAR_TRAIN, else /work/shared/data/polnear/polnear-train.jsonl.gz.
Standard library only. Output is deterministic. Only cue words/phrases and statistics are
written; no article text. A short summary goes to stderr.

Each gold cue span is reduced to one *head*:
  1. tokenise (lowercase, curly apostrophes made straight, punctuation dropped);
  2. drop leading auxiliaries, modals, negation, adverbs, "to" and determiners
     ("has said", "also said", "would not say", "to endorse", "his remarks");
  3. if what remains starts with a fixed phrase or phrasal verb ("according to",
     "in a statement", "pointed out", "went on to say") the head is that phrase,
     otherwise the head is the first remaining word ("told reporters" -> "told",
     "said in a statement" -> "said").
Fixed prepositional phrases ("in a statement", "in an interview", ...) are also credited when
they occur later inside a cue, so "said in a statement" counts for both "said" (its head) and
"in a statement".

Columns: count = gold cues with that head (or containing that fixed phrase); precision = share
of its whole-word, case-insensitive occurrences in the train texts that lie inside a gold cue
span; source_before = share of its gold cues with a source span where the source starts before
the cue (0.5 if none has a source). Single words are classed verb/noun by simple rules (see
word_class); adverb and adjective cues have no class in the format and are left out.
"""

import bisect
import collections
import gzip
import json
import os
import re
import sys

DEFAULT_INPUT = os.environ.get(
    "POLNEAR_TRAIN", "/work/shared/data/polnear/polnear-train.jsonl.gz")

MIN_COUNT = 3
MIN_PRECISION = 0.15

TOKEN_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*|'[^\W_]+")

# Leading words stripped from a cue span before taking its head.
LEADING = set("""
has have had having 's 've 'd 'll 're 'm is are was were be been being am
will would can could shall should may might must do does did
hasn't haven't hadn't isn't aren't wasn't weren't won't wouldn't can't cannot couldn't
shouldn't don't doesn't didn't not never no n't
to also later then now just first initially often repeatedly since again already once
previously recently still even publicly privately widely immediately quickly
the a an his her their its our my your this that these those
""".split())

# Phrases that are cues in their own right; credited wherever they occur inside a gold cue.
FIXED_PHRASES = [
    "according to",
    "in a statement", "in an interview", "in a tweet", "in an email", "in a speech",
    "in a letter", "in a post", "in an op-ed", "in a memo", "in a radio interview",
    "in a television interview", "in a phone interview", "in a telephone interview",
    "in an emailed statement", "in a written statement", "in a facebook post",
    "in a press release", "in a news release", "in a conference call",
    "issued a statement", "released a statement",
]

# Verb + particle idioms whose meaning differs from the bare verb; they are the head only when
# the (stripped) cue starts with them.
def _forms(bases, tail):
    return [b + " " + tail for b in bases]

_POINT = ["point", "points", "pointed", "pointing"]
_CALL = ["call", "calls", "called", "calling"]
_REFER = ["refer", "refers", "referred", "referring"]
_TALK = ["talk", "talks", "talked", "talking"]
_SPEAK = ["speak", "speaks", "spoke", "spoken", "speaking"]
_WEIGH = ["weigh", "weighs", "weighed", "weighing"]
_LASH = ["lash", "lashes", "lashed", "lashing"]
_GO = ["go", "goes", "went", "going", "gone"]
_MAKE = ["make", "makes", "made", "making"]
_PUT = ["put", "puts", "putting"]
_TAKE = ["take", "takes", "took", "taken", "taking"]
_RAIL = ["rail", "rails", "railed", "railing"]
_LAY = ["lay", "lays", "laid", "laying"]
_SHOOT = ["shoot", "shoots", "shot", "shooting"]

START_PHRASES = (
    _forms(_POINT, "out") + _forms(_POINT, "to") + _forms(_CALL, "for") + _forms(_CALL, "on")
    + _forms(_REFER, "to") + _forms(_TALK, "about") + _forms(_SPEAK, "about")
    + _forms(_SPEAK, "out") + _forms(_WEIGH, "in") + _forms(_LASH, "out")
    + _forms(_GO, "on to say") + _forms(_MAKE, "it clear") + _forms(_MAKE, "clear")
    + _forms(_PUT, "it") + _forms(_TAKE, "issue with") + _forms(_RAIL, "against")
    + _forms(_LAY, "out") + _forms(_SHOOT, "back")
)

ALL_PHRASES = sorted(set(FIXED_PHRASES) | set(START_PHRASES),
                     key=lambda p: (-len(p.split()), p))

# Never emitted as a head: function words, and words the C side could not use on their own.
STOP = LEADING | set("""
in on at of for with about from by as into onto over under against between through during
after before than and or but if so because while when where which who whom whose what why how
i you he she it we they me him us them one ones there here
some any all each every both either neither none more most many much few other another
""".split())

# Adverb cues ("reportedly") have no class in the lexicon format; they are left out.
ADVERB_OK = {"reply", "apply", "rely", "imply", "supply", "comply", "ally", "fly"}

NOUN_CONTEXT = set("""
the a an his her their its our my your this these those whose any some no such
""".split())

COPULA = set("""
is are was were be been being am 're 'm seem seems seemed remain remains remained become
became becomes
""".split())

# Class rules for single words (no POS tagger): a word used after a copula ("is eager",
# "was aware") that is not a participle is an adjective and left out, as are the few in
# ADJECTIVES; a word with a noun suffix, in NOUNS, or mostly preceded by a determiner or
# possessive in its cue uses is a noun; everything else is a verb form.
ADJECTIVES = set("""
harsh bitter sharp stern deep outspoken unaware willing nervous
""".split())
NOUNS = set("""
concerns complaints criticism questions rumors doubts advice chants supporter supporters
""".split())
NOUN_SUFFIX = re.compile(
    r"(tions?|sions?|ments?|isms?|ity|ities|ances?|ences?|ness|nesses|sus)$")
NOT_NOUN = {"comment", "comments", "mention", "mentions", "question", "sentences"}


def norm(s):
    return s.replace("\u2019", "'").replace("\u2018", "'")


def tokens(s):
    """(lowercased token, start, end) for each word in s (code-point offsets)."""
    return [(m.group(0).lower(), m.start(), m.end()) for m in TOKEN_RE.finditer(norm(s))]


def is_adverb(w):
    return w.endswith("ly") and w not in ADVERB_OK


def reduce_cue(words):
    """Return (head, stripped_determiner, credited_phrases) for a tokenised cue."""
    i = 0
    det = False
    while i < len(words) - 1 and words[i] in LEADING:
        if words[i] in NOUN_CONTEXT:
            det = True
        i += 1
    # a leading adverb before a verb ("reportedly said") also yields to the verb
    while i < len(words) - 1 and is_adverb(words[i]):
        i += 1
    rest = words[i:]
    head = None
    for p in ALL_PHRASES:
        pw = p.split()
        if rest[:len(pw)] == pw:
            head = p
            break
    if head is None:
        head = rest[0] if rest else None
    credited = set()
    joined = " " + " ".join(words) + " "
    for p in FIXED_PHRASES:
        if " " + p + " " in joined and p != head:
            credited.add(p)
    return head, det, credited


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_INPUT
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]

    count = collections.Counter()        # head -> number of gold cues (plus fixed-phrase credits)
    primary = collections.Counter()      # head -> number of gold cues whose head it is
    src_known = collections.Counter()    # head -> cue occurrences that have a source span
    src_before = collections.Counter()   # head -> ... where the source starts before the cue
    noun_ctx = collections.Counter()     # single-word head -> occurrences in nominal context
    copula = collections.Counter()       # single-word head -> occurrences after a copula
    n_attr = 0
    n_cues = 0
    cue_heads = []                       # primary head of every gold cue (None if no word)

    doc_tokens = []
    doc_spans = []
    for rec in records:
        text = rec["text"]
        toks = tokens(text)
        doc_tokens.append(toks)
        spans = []
        tok_starts = [t[1] for t in toks]
        for a in rec["attributions"]:
            n_attr += 1
            if not a["cue"]:
                continue
            n_cues += 1
            cue_spans = sorted(a["cue"], key=lambda s: s["start"])
            for s in cue_spans:
                spans.append((s["start"], s["end"]))
            words = [w for s in cue_spans for (w, _, _) in tokens(s["text"])]
            head, det, credited = reduce_cue(words) if words else (None, False, set())
            lead = words[:words.index(head)] if head in words else []
            cue_heads.append(head)
            if head is None:
                continue
            cstart = cue_spans[0]["start"]
            before = None
            if a["source"]:
                before = min(s["start"] for s in a["source"]) < cstart
            for h in [head] + sorted(credited):
                count[h] += 1
                if before is not None:
                    src_known[h] += 1
                    src_before[h] += before
            primary[head] += 1
            if " " not in head:
                # nominal use: determiner stripped from the cue, or one just before it
                k = bisect.bisect_left(tok_starts, cstart) - 1
                prev = toks[k][0] if k >= 0 else ""
                if det or prev in NOUN_CONTEXT or prev.endswith("'s") or prev.endswith("s'"):
                    noun_ctx[head] += 1
                if prev in COPULA or any(w in COPULA for w in lead):
                    copula[head] += 1
        spans.sort()
        doc_spans.append(spans)

    # candidates worth measuring
    cands = {h for h, c in count.items() if c >= MIN_COUNT}
    single = {h for h in cands if " " not in h}
    multi = {h: tuple(h.split()) for h in cands if " " in h}
    by_first = collections.defaultdict(list)
    for h, pw in multi.items():
        by_first[pw[0]].append((h, pw))

    occ = collections.Counter()
    inside = collections.Counter()
    for d, toks in enumerate(doc_tokens):
        spans = doc_spans[d]
        text = norm(records[d]["text"])

        def in_cue(s, e):
            for cs, ce in spans:
                if cs > s:
                    break
                if e <= ce:
                    return True
            return False

        for i, (w, s, e) in enumerate(toks):
            if w in single:
                occ[w] += 1
                inside[w] += in_cue(s, e)
            for h, pw in by_first.get(w, ()):
                j = i + len(pw)
                if j > len(toks):
                    continue
                ok = all(toks[i + k][0] == pw[k] for k in range(1, len(pw)))
                # words of a phrase must be separated by whitespace only
                ok = ok and all(text[toks[i + k - 1][2]:toks[i + k][1]].isspace()
                                for k in range(1, len(pw)))
                if ok:
                    occ[h] += 1
                    inside[h] += in_cue(s, toks[j - 1][2])

    def word_class(h):
        if " " in h:
            return "phrase"
        if is_adverb(h):
            return "adverb"
        participle = h.endswith(("ed", "ing", "en", "wn"))
        if h in ADJECTIVES or (copula[h] * 2 >= primary[h] and not participle):
            return "adjective"
        if ((NOUN_SUFFIX.search(h) and h not in NOT_NOUN) or h in NOUNS
                or noun_ctx[h] * 2 > primary[h]):
            return "noun"
        return "verb"

    rows = []
    left_out = collections.defaultdict(list)
    for h in sorted(cands):
        if " " not in h and (h in STOP or not re.fullmatch(r"[a-z][a-z'\-]*[a-z]", h)):
            continue
        prec = inside[h] / occ[h] if occ[h] else 0.0
        if prec < MIN_PRECISION:
            continue
        cls = word_class(h)
        if cls not in ("verb", "phrase", "noun"):
            left_out[cls].append(h)
            continue
        sb = src_before[h] / src_known[h] if src_known[h] else 0.5
        rows.append((h, cls, count[h], prec, sb))
    rows.sort(key=lambda r: (-r[2], r[0]))

    kept = {r[0] for r in rows}
    covered = sum(1 for h in cue_heads if h in kept)
    coverage = covered / n_cues if n_cues else 0.0

    out = sys.stdout
    out.write("# quotetrail attribution-cue lexicon -- GENERATED, do not edit by hand.\n")
    out.write("# Regenerate: python3 tools/mine-cues.py > data/cues.tsv\n")
    out.write("# Source: PolNeAR train split (%d articles, %d attributions, %d gold cues);\n"
              % (len(records), n_attr, n_cues))
    out.write("#   Newell, Margolin, Ruths, 'An attribution relations corpus for political news', LREC 2018.\n")
    out.write("# Kept: count >= %d and precision >= %.2f; function words, adverb and adjective cues left out.\n"
              % (MIN_COUNT, MIN_PRECISION))
    out.write("# Coverage: %.1f%% of train gold cues have their head in this list.\n"
              % (100 * coverage))
    out.write("# Columns: see data/README.md.\n")
    out.write("cue\tclass\tcount\tprecision\tsource_before\n")
    for h, cls, c, prec, sb in rows:
        out.write("%s\t%s\t%d\t%.3f\t%.3f\n" % (h, cls, c, prec, sb))

    per_class = collections.Counter(r[1] for r in rows)
    print("mine-cues: %d articles, %d attributions, %d gold cues, %d distinct heads"
          % (len(records), n_attr, n_cues, len(primary)), file=sys.stderr)
    print("mine-cues: thresholds count >= %d, precision >= %.2f" % (MIN_COUNT, MIN_PRECISION),
          file=sys.stderr)
    print("mine-cues: %d entries: %s" % (len(rows), ", ".join(
        "%s %d" % (k, per_class[k]) for k in ("verb", "phrase", "noun"))), file=sys.stderr)
    print("mine-cues: coverage %.1f%% (%d of %d gold cues have their head in the list)"
          % (100 * coverage, covered, n_cues), file=sys.stderr)
    for cls in sorted(left_out):
        print("mine-cues: %s cues left out (no such class): %s"
              % (cls, ", ".join(left_out[cls])), file=sys.stderr)


if __name__ == "__main__":
    main()
