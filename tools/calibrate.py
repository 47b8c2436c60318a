#!/usr/bin/env python3
"""tools/calibrate.py -- learn data/confidence.tsv: how often each kind of item is right.

    python3 tools/calibrate.py > data/confidence.tsv            # after building build/quotetrail
    python3 tools/calibrate.py --bin build-dev/quotetrail > data/confidence.tsv

Every quote and attribution quotetrail emits falls in a *cell* (src/quotes/confidence.c: the
rule that found its speaker, the kind of words naming the speaker, the cue's strength, where the
content stands). With QT_CONFIDENCE_CELLS set, `extract --json` prints each record's cell. This
tool runs the binary that way on PolNeAR *train* (dev stays the test: eval/attribution prints the
calibration table there), scores every predicted item as eval/attribution does -- right when its
content matches a gold attribution (>= 50%) and its source is right -- and writes per cell the
share that was right, Laplace-smoothed: (right + 1) / (items + 2).

Two corrections, both stated in the output's header:
  * Backoff. A cell with fewer than MIN_ITEMS train items takes the rate of its parent (the
    speaker class dropped for quotes; the cue strength, then the shape dropped for attributions).
  * Pronouns. Train has no gold for what a pronoun source refers to, so a pronoun item is judged
    there by its span ("he" covers "he"). The share of those that also name the right person is
    measured on the pronoun gold of dev (eval/gold/polnear-dev-pronouns.tsv) and multiplies the
    rate of every pronoun cell. This is the only use of dev.
Python 3 standard library only; shares its helpers with eval/attribution.
"""

import argparse
import collections
import importlib.machinery
import importlib.util
import os
import sys

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIN_ITEMS = 30

RULES = ["none", "after-frame", "before-frame", "continuation", "intro", "floor", "subject",
         "nested", "inside-attribution"]
QKINDS = ["direct", "partial", "nested"]
QSPK = ["no-speaker", "name", "pronoun", "descriptor", "anonymous-or-org"]
AKINDS = ["indirect", "according-to", "mixed"]
SHAPES = ["after", "before", "around", "block", "according", "colon"]
SRC = ["none", "name", "pronoun", "descriptor", "anonymous", "organisation", "long-name",
       "long-phrase", "relative"]
STRENGTH = ["strong-cue", "medium-cue", "weak-cue"]


def load(name, path):
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


A = load("eval_attribution", os.path.join(ROOT, "eval", "attribution"))
Q = A.Q


def cell_name(c):
    if 10000 <= c < 20000:
        r, k, s = (c - 10000) // 100, (c // 10) % 10, c % 10
        return "quote %s %s %s" % (RULES[r] if r < len(RULES) else r, QKINDS[k], QSPK[s])
    k, sh, src, st = (c - 20000) // 1000, (c // 100) % 10, (c // 10) % 10, c % 10
    return "attribution %s %s %s %s" % (AKINDS[k], SHAPES[sh], SRC[src], STRENGTH[st])


def parents(c):
    """Coarser cells to back off to, finest first, as (level, id): the ids of different levels
    may coincide (quote 10210 is also the parent of 10211..10214)."""
    if c < 20000:
        return [(1, c - c % 10)]                  # drop the speaker class
    return [(1, c - c % 10), (2, c - c % 100)]    # drop cue strength, then the source class


def is_pronoun_cell(c):
    return (c < 20000 and c % 10 == 2) or (c >= 20000 and (c // 10) % 10 == 2)


def with_cells(rec):
    """The record with each item's confidence replaced by its cell, so pred_items carries it."""
    for key in ("quotes", "attributions"):
        for x in rec.get(key) or []:
            x["confidence"] = x.get("cell", 0)
    return rec


def score(articles, recs, stats, pron, per_cell, pron_ratio):
    """Count items and right items per cell; on pronoun-gold articles also how many
    span-right pronoun items resolve right."""
    for ai, a in enumerate(articles):
        tb = a["text"].encode()
        toks = Q.Tokens(a["text"])
        golds, _ = A.gold_items(a, stats, pron)
        rec = recs.get(a["id"]) or recs.get(":line:%d" % (ai + 1)) or {}
        preds = A.pred_items(with_cells(rec), tb, collections.Counter())
        gt = [A.toks_of(toks, tb, g["content"]) for g in golds]
        pt = [A.toks_of(toks, tb, p["content"]) for p in preds]
        gs = [A.toks_of(toks, tb, g["source"]) for g in golds]
        ps = [A.toks_of(toks, tb, p["source"]) for p in preds]
        m = {j: i for i, j in A.match_half(gt, pt).items()}
        for j, p in enumerate(preds):
            cell = int(p.get("confidence") or 0)
            right = False
            if j in m:
                i = m[j]
                right, _ = A.source_judgement(golds[i], p, gs[i], ps[j], False)
                if right and is_pronoun_cell(cell) and golds[i]["referent"] is not None:
                    ok, _ = A.source_judgement(golds[i], p, gs[i], ps[j], True)
                    pron_ratio[0] += 1
                    pron_ratio[1] += ok
            if per_cell is not None:
                per_cell[cell][0] += 1
                per_cell[cell][1] += right


def run(binary, path):
    with Q.open_text(path) as f:
        articles = [__import__("json").loads(line) for line in f if line.strip()]
    os.environ["QT_CONFIDENCE_CELLS"] = "1"
    recs, err, rc = Q.run_binary(binary, articles)
    if rc not in (0, 3):
        sys.exit("tools/calibrate.py: '%s extract' failed (%d): %s" % (binary, rc, err[-500:]))
    return articles, recs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "quotetrail"))
    ap.add_argument("--train", default=os.path.join(ROOT, "..", "shared", "data", "polnear",
                                                    "polnear-train.jsonl.gz"))
    ap.add_argument("--dev", default=A.DEFAULT_GOLD)
    args = ap.parse_args()

    per_cell = collections.defaultdict(lambda: [0, 0])
    arts, recs = run(args.bin, args.train)
    score(arts, recs, Q.CaseStats(arts), {}, per_cell, [0, 0])

    ratio = [0, 0]
    arts, recs = run(args.bin, args.dev)
    pron, pron_arts = A.read_pronoun_gold(A.DEFAULT_PRONOUNS)
    sample = [a for a in arts if a["id"] in pron_arts]
    score(sample, recs, Q.CaseStats(arts), pron, None, ratio)
    pr = (ratio[1] + 1) / (ratio[0] + 2)

    totals = collections.defaultdict(lambda: [0, 0])
    for c, (n, r) in per_cell.items():
        for p in parents(c):
            totals[p][0] += n
            totals[p][1] += r

    out = sys.stdout
    out.write("# quotetrail confidence calibration -- GENERATED, do not edit by hand.\n")
    out.write("# Regenerate: python3 tools/calibrate.py > data/confidence.tsv (see its docstring)\n")
    out.write("# Fitted on PolNeAR train (%d items); cells under %d items back off to a parent.\n"
              % (sum(n for n, _ in per_cell.values()), MIN_ITEMS))
    out.write("# Pronoun cells x %.3f: the share of span-right pronoun items that resolve right on "
              "the dev pronoun gold (%d/%d).\n" % (pr, ratio[1], ratio[0]))
    out.write("cell\tconfidence\titems\tright\tname\n")
    for c in sorted(per_cell):
        if c <= 0:
            continue
        n, r = per_cell[c]
        src = c
        for p in parents(c):
            if n >= MIN_ITEMS:
                break
            n, r = totals[p]
            src = p
        conf = (r + 1) / (n + 2)
        if is_pronoun_cell(c):
            conf *= pr
        out.write("%d\t%.3f\t%d\t%d\t%s%s\n" % (c, conf, n, r, cell_name(c),
                                                "" if src == c else " (backed off)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
