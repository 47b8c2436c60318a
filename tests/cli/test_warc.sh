# test_warc.sh - end-to-end checks of WARC input: `extract` and `ingest` on .warc and .warc.gz
# archives written here by python3 (made-up pages): one record per article with source
# path#offset, URLs from the page or the record, records that are not pages passed over in
# silence, and damage (a corrupt gzip member, a truncated last member, a lying Content-Length)
# reported once each while every other record is still read. Exit statuses follow DESIGN.md.
#
# usage: bash tests/cli/test_warc.sh PATH_TO_quotetrail   (QT_SRC = repo root)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

if ! have python3; then
    skip "WARC archives" "python3 is needed to write them"
    finish
    exit
fi

# ---- fixtures -----------------------------------------------------------------------------------
# offsets.txt gets "name index offset" for every record, so the checks know where each starts.

python3 - <<'EOF'
import gzip

def record(typ, uri, block, ctype="application/http; msgtype=response", length=None):
    head = "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Date: 2024-04-08T08:00:00Z\r\n" % typ
    if uri:
        head += "WARC-Target-URI: %s\r\n" % uri
    head += "Content-Type: %s\r\nContent-Length: %d\r\n\r\n" % (
        ctype, len(block) if length is None else length)
    return head.encode() + block + b"\r\n\r\n"

def http(body, ctype="text/html; charset=utf-8"):
    return b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype.encode() + b"\r\n\r\n" + body

def page(n, title, speaker, canonical=True):
    link = '<link rel="canonical" href="https://gull.example/news/%d">' % n if canonical else ""
    return ("""<!DOCTYPE html><html><head><title>%s</title>%s</head><body>
<nav><a href="/">Front page</a> <a href="/weather">Weather</a></nav>
<article><h1>%s</h1>
<p>The pier at Gullhaven will close for two weeks from Monday while divers inspect its
piles, the harbour board said.</p>
<p>"We found rust where nobody expected it, so we are not taking chances," %s told the
Gullhaven Courier.</p>
<p>Anglers will be able to use the north jetty instead, and the kiosk will stay open on
weekends.</p>
</article></body></html>""" % (title, link, title, speaker)).encode()

GULL = "https://gull.example/"
info = record("warcinfo", None, b"software: test_warc.sh\r\n", "application/warc-fields")
req = record("request", GULL + "news/1", b"GET /news/1 HTTP/1.1\r\nHost: gull.example\r\n\r\n",
             "application/http; msgtype=request")
art1 = record("response", GULL + "news/1?utm=feed",
              http(page(1, "Pier to close for inspection", "Oskar Lindqvist")))
png = record("response", GULL + "gull.png",
             http(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"))
noart = record("response", GULL + "sections",
               http(b'<!DOCTYPE html><html><head><title>Sections</title></head><body>'
                    b'<nav><a href="/a">Boats</a></nav></body></html>'))
nobody = record("response", GULL + "blank", http(b""))
art2 = record("response", GULL + "news/2",
              http(page(2, "Jetty opens to anglers", "Freya Holm", canonical=False)))
art3 = record("response", GULL + "news/3",
              http(page(3, "Kiosk keeps weekend hours", "Nils Aberg")))
art4 = record("response", GULL + "news/4",
              http(page(4, "Divers finish first survey", "Oskar Lindqvist")))

offsets = open("offsets.txt", "w")

def write(name, recs, gz, corrupt=None, truncate=False):
    data = b""
    for i, r in enumerate(recs):
        offsets.write("%s %d %d\n" % (name, i, len(data)))
        m = gzip.compress(r) if gz else r
        if i == corrupt:                        # flip bytes in the middle of this member
            m = bytearray(m)
            for k in range(len(m) // 2, len(m) // 2 + 12):
                m[k] ^= 0xA5
            m = bytes(m)
        if truncate and i == len(recs) - 1:     # the download stopped half-way through
            m = m[: len(m) // 2]
        data += m
    open(name, "wb").write(data)

write("clean.warc", [info, req, art1, png, art2], False)
write("clean.warc.gz", [info, req, art1, png, art2], True)
# 0 info, 1 art1, 2 noart, 3 nobody, 4 art2 (corrupt), 5 art3, 6 art4 (cut off)
write("damaged.warc.gz", [info, art1, noart, nobody, art2, art3, art4], True, corrupt=4,
      truncate=True)

# A plain archive whose second record claims 300 bytes more than it has: the third is still read.
jetty = http(page(2, "Jetty opens to anglers", "Freya Holm"))
write("lying.warc", [art1, record("response", GULL + "news/2", jetty, length=len(jetty) + 300),
                     art3], False)
EOF

off() { awk -v n="$1" -v i="$2" '$1 == n && $2 == i { print $3 }' offsets.txt | tail -n 1; }

# ---- a healthy archive, plain and gzip ---------------------------------------------------------

for f in clean.warc clean.warc.gz; do
    run "$QT" extract "$f" --json
    check "$f: exit 0, and nothing on stderr for the records passed over" \
        eval 'rc_is 0 && err_empty'
    check "$f: one record per HTML article, valid JSON" \
        eval '[ "$(lines "$T/out")" -eq 2 ] && json_lines "$T/out"'
    check "$f: sources are path#offset of each response record" \
        eval 'out_has "\"source\":\"$f#$(off $f 2)\"" && out_has "\"source\":\"$f#$(off $f 4)\""'
    check "$f: url is the page's canonical link, else the record's target URI" \
        eval 'out_has "\"url\":\"https://gull.example/news/1\"" &&
              out_has "\"url\":\"https://gull.example/news/2\""'
    check "$f: the page's headline is the title, the navigation is not in the text" \
        eval 'out_has "\"title\":\"Pier to close for inspection\"" && ! out_has "Front page"'
    check "$f: the quote is attributed" eval 'out_has "\"speaker\":\"Oskar Lindqvist\""'
done

run "$QT" extract clean.warc.gz --json -j 1
cp "$T/out" j1.json
run "$QT" extract clean.warc.gz --json -j 2
check "-j 2 prints what -j 1 prints" cmp -s j1.json "$T/out"

run sh -c "cat clean.warc.gz | '$QT' extract - --json"
check "a WARC on a pipe is recognised; its offsets count decompressed bytes" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" -eq 2 ] &&
          out_has "\"source\":\"-#$(off clean.warc 2)\""'

mkdir -p crawl && cp clean.warc.gz crawl/ && cp clean.warc crawl/other.dat
run "$QT" extract crawl --json
check "a directory walk takes .warc.gz files (and leaves other names alone)" \
    eval 'rc_is 0 && [ "$(lines "$T/out")" -eq 2 ] && out_has "crawl/clean.warc.gz#"'

# ---- damage -------------------------------------------------------------------------------------

run "$QT" extract damaged.warc.gz --json
check "damaged archive: exit 3, records before and after the damage read" \
    eval 'rc_is 3 && [ "$(lines "$T/out")" -eq 2 ] &&
          out_has "\"source\":\"damaged.warc.gz#$(off damaged.warc.gz 1)\"" &&
          out_has "\"source\":\"damaged.warc.gz#$(off damaged.warc.gz 5)\""'
check "a page without an article is one failure, named by its offset" \
    err_has "damaged.warc.gz#$(off damaged.warc.gz 2)': no article text found"
check "an HTML response with no body is one failure" \
    err_has "damaged.warc.gz#$(off damaged.warc.gz 3)': the HTTP response has no body"
check "the corrupt member is reported once, by its offset" \
    eval 'err_has "damaged.warc.gz#$(off damaged.warc.gz 4)'"'"': corrupt gzip member" &&
          [ "$(grep -c "corrupt gzip" "$T/err")" -eq 1 ]'
check "the truncated last member is reported" \
    err_has "damaged.warc.gz#$(off damaged.warc.gz 6)': truncated gzip member"
check "the summary counts articles and failures" err_has "2 articles read, 4 inputs failed"
check "no crash, no JSON on stderr, no message on stdout" \
    eval 'no_crash && ! err_has "\"schema\"" && ! out_has "error"'

run "$QT" extract lying.warc --json
check "a lying Content-Length: that record is reported, the one after it is read" \
    eval 'rc_is 3 && err_has "lying.warc#$(off lying.warc 1).: the record.s Content-Length" &&
          out_has "\"source\":\"lying.warc#$(off lying.warc 2)\"" &&
          [ "$(lines "$T/out")" -eq 2 ]'

# ---- into the database --------------------------------------------------------------------------

run "$QT" ingest --db t.db clean.warc.gz
check "ingest stores the WARC's articles" eval 'rc_is 0'
run "$QT" quotes --db t.db --speaker lindqvist --json
check "and their quotes can be queried" eval 'rc_is 0 && out_has "rust where nobody expected"'
run "$QT" ingest --db t.db clean.warc
check "the same pages from the plain archive are already stored" \
    eval 'rc_is 0 && err_has "(0 new, 2 already stored"'

# ---- a terminal is told how many records were passed over -------------------------------------

if have script; then
    script -qec "'$QT' extract clean.warc.gz --json >/dev/null" /dev/null >tty.txt 2>&1
    check "on a terminal, a summary counts the records that are not pages" \
        grep -q "3 WARC records passed over" tty.txt
else
    skip "terminal summary" "script(1) is not installed"
fi

finish
