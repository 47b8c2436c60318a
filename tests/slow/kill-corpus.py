#!/usr/bin/env python3
"""kill-corpus.py - write a fictional news corpus for the kill tests (tests/slow/kill-ingest).

usage: kill-corpus.py DIR [--articles N] [--seed S]

Writes about N made-up articles into DIR, in every input format ingest reads: DIR/txt/*.txt
(undated, so the collection's date inference has work to do), DIR/wire-K.jsonl (ids and
published dates), DIR/html/*.html and DIR/pages.warc.gz. Among them, on purpose:
  - exact copies: a .txt article repeated in a .jsonl file under another id and date
    (`dups` lists them as copies; clusters date them by the copy);
  - near-duplicates: an article reprinted with one sentence changed or a paragraph dropped;
  - shared quotes: the same speaker's words carried by several articles (quote clusters).
The same N and S always write the same bytes. Everything here is invented.
"""
import argparse
import gzip
import json
import os
import random

FIRST = ["Renata", "Osric", "Pella", "Tamsin", "Ilario", "Maude", "Corwin", "Ysolde", "Bram",
         "Liesl", "Dario", "Henrike", "Ewan", "Saoirse", "Tobiah", "Marit", "Quill", "Odile"]
LAST = ["Varga", "Pennick", "Holloway", "Strand", "Achterberg", "Quenby", "Marsh", "Tolliver",
        "Oyelaran", "Kestrel", "Dunmore", "Vasquez-Loh", "Fairweather", "Brisco", "Ahlqvist"]
TOWNS = ["Port Ellery", "Gullhaven", "Saltmere", "Easterbrook", "Hollin Cross", "Wrenford"]
PAPERS = ["the Saltmere Courier", "Harbour Gazette", "the Wrenford Post", "Lantern",
          "the Easterbrook Herald"]
ROLES = ["the harbour master", "a council spokeswoman", "the head teacher", "the ferry operator",
         "a local fisherman", "the library's director", "the fire chief", "a shop owner"]
TOPICS = [("the harbour wall", "repairs"), ("the ferry timetable", "changes"),
          ("the library roof", "leaks"), ("the north jetty", "closure"),
          ("the market square", "rebuilding"), ("the coastal path", "erosion"),
          ("the school bus route", "cuts"), ("the lighthouse", "restoration")]
WHEN = ["on Tuesday", "last week", "in March", "on Friday evening", "two days ago",
        "earlier this month", "in the spring of 2021", "on 4 June 2023", "in January 2024"]
SAYINGS = [
    "We will finish {thing} before the winter storms arrive",
    "Nobody here should have to worry about {thing} every single year",
    "The money is there, and {thing} is the first thing it will go to",
    "I have lived beside {thing} for forty years and never seen it like this",
    "If we wait any longer, {thing} will cost twice as much to fix",
    "People keep asking me about {thing}, and the honest answer is that we do not know yet",
    "There is no plan B for {thing}, so plan A has to work",
]


NOUNS = ["boat shed", "tide gauge", "bakery", "chapel", "car park", "quay", "allotment", "pier",
         "kiosk", "boathouse", "net loft", "bandstand", "slipway", "toll bridge", "orchard"]
VERBS = ["reopened", "flooded", "was sold", "was repainted", "closed", "was extended", "burned",
         "was surveyed", "changed hands", "was fenced off", "lost its roof", "won a prize"]


def filler(r):
    return "The %s on %s Lane %s in %d, and %d people signed a petition about it." % (
        r.choice(NOUNS), r.choice(LAST), r.choice(VERBS), r.randint(1950, 2023),
        r.randint(12, 4000))


def person(r):
    return "%s %s" % (r.choice(FIRST), r.choice(LAST))


def article(r, n, shared):
    """One article: (title, paragraphs). `shared` holds quotes that several articles carry."""
    town, paper = r.choice(TOWNS), r.choice(PAPERS)
    thing, what = r.choice(TOPICS)
    a, b = person(r), person(r)
    title = "%s %s: %s says %s (no. %d)" % (town, what, a.split()[1], r.choice(WHEN), n)
    if shared and r.random() < 0.5:
        said, speaker = r.choice(shared)
    else:
        said, speaker = r.choice(SAYINGS).format(thing=thing), a
        shared.append((said, speaker))
    paras = [
        "%s \u2014 Plans for %s in %s were discussed %s, and not everyone is happy." % (
            town.upper(), thing, town, r.choice(WHEN)),
        "\u201c%s,\u201d %s, %s, told %s." % (said, speaker, r.choice(ROLES), paper),
        "%s said the work had been delayed %s. \u201cWe asked for a date and got a shrug,\u201d "
        "%s said." % (b, r.choice(WHEN), b.split()[1]),
        "The council will meet again %s. %s, %d, said she would be there." % (
            r.choice(WHEN), person(r), r.randint(24, 80)),
    ]
    # a paragraph of its own, so that articles that are not copies do not look alike
    paras.insert(2, " ".join(filler(r) for _ in range(r.randint(2, 4))))
    if r.random() < 0.4:
        paras.append("\u201cIt is not \u2018fine\u2019, whatever they say,\u201d %s added." % b)
    return title, paras


def near_copy(r, title, paras):
    """A reprint: one sentence changed, or the last paragraph dropped."""
    p = list(paras)
    if r.random() < 0.5 and len(p) > 3:
        p.pop()
    else:
        p[0] = p[0].replace("not everyone is happy", "opinion is divided")
    return title + " (updated)", p


def warc_record(uri, html):
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2024-04-08T08:00:00Z\r\n"
            "WARC-Target-URI: %s\r\nContent-Type: application/http; msgtype=response\r\n"
            "Content-Length: %d\r\n\r\n" % (uri, len(body))).encode()
    return gzip.compress(head + body + b"\r\n\r\n", mtime=0)


def html_page(title, paras, date):
    meta = '<meta property="article:published_time" content="%s">' % date if date else ""
    body = "".join("<p>%s</p>\n" % p for p in paras)
    return ("<!DOCTYPE html><html><head><title>%s</title>%s</head><body>\n"
            "<nav><a href=\"/\">Front page</a> <a href=\"/sport\">Sport</a></nav>\n"
            "<article><h1>%s</h1>\n%s</article><footer>\u00a9 Saltmere Media</footer>"
            "</body></html>" % (title, meta, title, body)).encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    o = ap.parse_args()
    r = random.Random(o.seed)
    os.makedirs(os.path.join(o.dir, "txt"), exist_ok=True)
    os.makedirs(os.path.join(o.dir, "html"), exist_ok=True)
    shared, made = [], []
    n_txt = o.articles * 4 // 10
    n_html = o.articles // 10
    n_warc = o.articles // 20
    n_jsonl = o.articles - n_txt - n_html - n_warc
    for i in range(n_txt):
        t, p = article(r, i, shared)
        made.append((t, p))
        with open(os.path.join(o.dir, "txt", "%04d.txt" % i), "w", encoding="utf-8") as f:
            f.write(t + "\n\n" + "\n\n".join(p) + "\n")
    files = [[] for _ in range(4)]
    for i in range(n_jsonl):
        roll = r.random()
        day = "2024-%02d-%02d" % (r.randint(1, 12), r.randint(1, 28))
        if roll < 0.15 and made:
            # an exact copy of a .txt article's text, under its own id and date
            t, p = r.choice(made)
            text = t + "\n\n" + "\n\n".join(p) + "\n"
            rec = {"id": "copy-%d" % i, "title": t, "published": day, "text": text}
        elif roll < 0.3 and made:
            t, p = near_copy(r, *r.choice(made))
            rec = {"id": "near-%d" % i, "title": t, "published": day, "text": "\n\n".join(p)}
        else:
            t, p = article(r, 10000 + i, shared)
            made.append((t, p))
            rec = {"id": "wire-%d" % i, "title": t, "text": "\n\n".join(p)}
            if r.random() < 0.7:
                rec["published"] = day
        files[i % 4].append(json.dumps(rec, ensure_ascii=False))
    for k, lines in enumerate(files):
        with open(os.path.join(o.dir, "wire-%d.jsonl" % k), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        if k == 0:
            # the same lines again: an input read twice stores nothing twice
            with open(os.path.join(o.dir, "wire-0-again.jsonl"), "w", encoding="utf-8") as f:
                f.write("\n".join(lines[: len(lines) // 2]) + "\n")
    for i in range(n_html):
        t, p = article(r, 20000 + i, shared) if r.random() < 0.7 else near_copy(r, *r.choice(made))
        date = "2024-05-%02dT09:00:00Z" % r.randint(1, 28) if r.random() < 0.5 else None
        with open(os.path.join(o.dir, "html", "%04d.html" % i), "wb") as f:
            f.write(html_page(t, p, date))
    with open(os.path.join(o.dir, "pages.warc.gz"), "wb") as f:
        for i in range(n_warc):
            t, p = article(r, 30000 + i, shared)
            f.write(warc_record("https://saltmere.example/news/%d" % i, html_page(t, p, None)))


if __name__ == "__main__":
    main()
