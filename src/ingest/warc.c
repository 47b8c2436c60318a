/*
 * warc.c - stream the HTML responses out of a WARC file, plain or gzip-compressed per record, as
 * web crawlers (Common Crawl, wget, Heritrix) write them.
 *
 * qt_warc_next() returns one `WARC-Type: response` record at a time whose HTTP response is a 2xx
 * HTML page: its target URI, WARC date, the charset of its Content-Type, and the HTTP body with
 * chunked transfer coding and gzip/deflate content coding undone. Every other record (warcinfo,
 * request, metadata, revisit, images, redirects) is passed over without being buffered and only
 * counted. A damaged record or gzip member is reported once and reading goes on after it.
 *
 * Design notes
 *  (1) Two layers. The lower one turns the file into decompressed bytes in a window (`win`) that
 *      always belongs to one gzip member: a member is inflated on its own (inflate with a gzip
 *      wrapper stops at the member's end and checks its CRC), so the upper layer can see where
 *      members begin. A plain .warc is one "member" from byte 0 to the end.
 *  (2) The upper layer parses records: the WARC header (at most HDR_MAX bytes, in one member),
 *      then Content-Length bytes of block, then the blank line that ends every record. Only the
 *      block of a candidate (a response with an application/http block) is kept, and only up to
 *      max_record bytes; any other block is read past. Memory is therefore the two 256 KiB
 *      buffers, zlib's state and the largest HTML record, whatever the size of the file.
 *  (3) A record's source offset is where it starts in the file: for a .warc.gz the offset of the
 *      gzip member holding its first byte (where a tool must start inflating to reach it), for a
 *      plain .warc the offset of its "WARC/1.x" line. Offsets count from where the input began.
 *  (4) Damage is survived, never trusted:
 *      - a corrupt member (bad deflate data or CRC) is reported, and the raw bytes after its start
 *        are searched for the next gzip magic (1f 8b 08) whose member inflates to a "WARC/" line;
 *        false magic inside compressed data is passed over silently.
 *      - a member cut short by the end of the file is reported; it is the last one.
 *      - bytes between members that are not a member are reported and searched past likewise.
 *      - a Content-Length that lies is caught four ways: the block runs into a gzip member that
 *        starts with a "WARC/" line (too long, per-record gzip); it runs past the end of the
 *        file (too long); what follows it is not a blank line and a "WARC/" line (too short,
 *        or too long in a plain file); or, for an HTTP response that states its own
 *        Content-Length, a blank line and a "WARC/1.x" line follow where that says the
 *        response ends (too long by exactly whole records, which the check after the block
 *        cannot see). The record is reported; but for the first case, reading goes back to
 *        the block's start (lseek, re-inflating the member when gzip) and looks for the next
 *        line that starts with "WARC/", so the records a too-long length swallowed are still
 *        read. Nothing is read twice except after damage. The one lie left unseen: in a plain
 *        .warc, a record with no HTTP Content-Length of its own (a request, metadata, a chunked
 *        response) whose length ends exactly at a later record's boundary.
 *      - before a record's framing is blamed in a .warc.gz, the rest of its member is inflated:
 *        a corrupt member often inflates to garbage framing first, and is then reported once,
 *        as a corrupt member. A whole-file single-member .warc.gz is thus re-inflated from its
 *        start on each such error: slow, but only on damage.
 *  (5) Every negative return is one damaged record, member or stretch of bytes, reported in err;
 *      the next call goes on after it. An error found while checking the end of a good record
 *      (the next member is corrupt) is kept in `pending` and returned by the next call.
 *  (6) Stream mode (a pipe, which cannot seek): bytes come from a callback, already inflated by
 *      the caller, so members are invisible: offsets count decompressed bytes, a corrupt member
 *      ends the input (the callback reports it), and a lying length is not read back over.
 */
#include "ingest/qt_ingest.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <zlib.h>

#include "core/qt_core.h"
#include "core/qt_limits.h"

#define WIN_SIZE ((size_t)256 * 1024)   /* decompressed window; see (1) */
#define RAW_SIZE ((size_t)256 * 1024)   /* raw read-ahead of a gzip file */
#define HDR_MAX ((size_t)64 * 1024)     /* a WARC header, or an HTTP response's header */
#define KEEP_CAP ((size_t)1 << 20)      /* buffers bigger than this are freed between records */

/* What reading a block ended with; see block_take(). */
enum { TAKE_OK, TAKE_EOF, TAKE_NEXT, TAKE_LIED };
#define SKIP 2      /* one_record(): a record passed over; not a qt_status */

struct qt_warc {
    char *name;             /* the input's name, for messages */
    size_t max_record;
    uint32_t ratio;         /* qt_warc_set_ratio(); 0: not checked */
    uint64_t unzipped;      /* bytes inflated so far, all members, re-inflated ones again */
    uint64_t raw_max;       /* the furthest raw offset inflated from (rewinds go back) */
    int bombed;             /* 1: the ratio was passed, bomb not yet returned; 2: returned */
    qt_err bomb;            /* what qt_warc_next() returns for it */

    /* lower layer; see (1) */
    int fd;                 /* -1 in stream mode */
    int gzip;               /* the file is gzip members */
    off_t base;             /* the fd's offset when opened: offsets count from here */
    qt_warc_read_fn read;   /* stream mode's source; see (6) */
    void *ctx;
    unsigned char *raw;     /* gzip: raw read-ahead; zs.next_in points into it */
    uint64_t raw_off;       /* the offset of raw[0] */
    size_t raw_len;
    z_stream zs;
    int zs_ready;
    int eof;                /* a read returned 0: nothing comes after the raw bytes held */
    char *win;              /* decompressed bytes of the current member */
    size_t wpos, wlen;      /* win[wpos, wlen) is not consumed yet */
    uint64_t mem_off;       /* the current member's offset (0 for plain and stream) */
    uint64_t mem_dpos;      /* decompressed offset in the member of win[0] */
    int mem_done;           /* the current member has no more bytes than those in win */
    int need_resync;        /* a corrupt member: search for the next from resync_from */
    uint64_t resync_from;

    /* upper layer; see (2) */
    int synced;             /* win[wpos] is where a record should start */
    int line_start;         /* win[wpos] follows a '\n' (or starts a member) */
    int done;
    qt_err pending;         /* see (5) */
    qt_buf hdr;             /* the record's WARC header */
    qt_buf block;           /* a candidate's block */
    qt_buf body1, body2;    /* its body de-chunked, then decompressed */
    qt_buf uri, date, charset, truncated;
    qt_buf warn[2];
    const char *warn_ptr[2];

    size_t n_records, n_skipped, n_damaged, n_html;
};

/* ---- small helpers --------------------------------------------------------------------------- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int starts_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && strncasecmp(s, prefix, k) == 0;
}

/* "WARC/" and a digit: the first line of a record (WARC/1.0, WARC/1.1, the old WARC/0.17). */
static int is_warc_line(const char *p, size_t n)
{
    return n >= 6 && memcmp(p, "WARC/", 5) == 0 && p[5] >= '0' && p[5] <= '9';
}

static void buf_trim(qt_buf *b)
{
    if (b->cap > KEEP_CAP)
        qt_buf_release(b);
    else
        qt_buf_reset(b);
}

static qt_status set_str(qt_buf *b, const char *p, size_t n)
{
    qt_buf_reset(b);
    return qt_buf_append(b, p, n);
}

/* "over --limit warc-record-bytes=8M, skipped; raise it with ..." for a record's refusal. */
static const char *limit_str(size_t n, char buf[160])
{
    char arg[64], raise[80];
    snprintf(buf, 160, "%s, skipped; %s", qt_limit_arg("warc-record-bytes", n, arg),
             qt_limit_raise("warc-record-bytes", n, raise));
    return buf;
}

static qt_status enomem(qt_warc *w, qt_err *err)
{
    return qt_fail(err, QT_ENOMEM, "out of memory reading '%s'", w->name);
}

/* ---- lower layer: raw bytes, gzip members, the window; see (1) ------------------------------- */

static uint64_t raw_pos(const qt_warc *w)
{
    return w->raw_off + (uint64_t)(w->zs.next_in - w->raw);
}

/* Read more raw bytes, keeping the unread ones. Sets w->eof when the file has no more. */
static qt_status raw_more(qt_warc *w, qt_err *err)
{
    size_t keep = w->zs.avail_in;
    if (keep && w->zs.next_in != w->raw)
        memmove(w->raw, w->zs.next_in, keep);
    w->raw_off += w->raw_len - keep;
    w->raw_len = keep;
    w->zs.next_in = w->raw;
    ssize_t n;
    do
        n = read(w->fd, w->raw + keep, RAW_SIZE - keep);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return qt_fail(err, QT_EIO, "cannot read '%s': %s", w->name, strerror(errno));
    if (n == 0)
        w->eof = 1;
    w->raw_len += (size_t)n;
    w->zs.avail_in = (uInt)w->raw_len;
    return QT_OK;
}

/* Put the raw cursor at offset off, within the bytes held when it can. */
static qt_status raw_seek(qt_warc *w, uint64_t off, qt_err *err)
{
    if (off >= w->raw_off && off <= w->raw_off + w->raw_len) {
        w->zs.next_in = w->raw + (off - w->raw_off);
        w->zs.avail_in = (uInt)(w->raw_len - (off - w->raw_off));
        if (w->zs.avail_in)
            w->eof = 0;
        return QT_OK;
    }
    if (lseek(w->fd, w->base + (off_t)off, SEEK_SET) < 0)
        return qt_fail(err, QT_EIO, "cannot seek in '%s': %s", w->name, strerror(errno));
    w->raw_off = off;
    w->raw_len = 0;
    w->zs.next_in = w->raw;
    w->zs.avail_in = 0;
    w->eof = 0;
    return QT_OK;
}

/* Begin inflating the member at the raw cursor, which is at offset at. */
static void start_member(qt_warc *w, uint64_t at)
{
    inflateReset(&w->zs);
    w->mem_off = at;
    w->mem_dpos = 0;
    w->wpos = w->wlen = 0;
    w->mem_done = 0;
}

/* Add bytes of the current member to the window (which has room). Sets mem_done at its end. */
static qt_status produce(qt_warc *w, qt_err *err)
{
    size_t room = WIN_SIZE - w->wlen;
    if (w->bombed) {            /* nothing more is inflated: the input ends here */
        w->mem_done = w->eof = 1;
        return QT_OK;
    }
    if (w->fd < 0 || !w->gzip) {
        size_t got = 0;
        if (w->fd < 0) {
            qt_status rc = w->read(w->ctx, w->win + w->wlen, room, &got, err);
            if (rc != QT_OK) {
                w->mem_done = w->eof = 1;
                return rc;
            }
        } else {
            ssize_t n;
            do
                n = read(w->fd, w->win + w->wlen, room);
            while (n < 0 && errno == EINTR);
            if (n < 0) {
                w->mem_done = w->eof = 1;
                return qt_fail(err, QT_EIO, "cannot read '%s': %s", w->name, strerror(errno));
            }
            got = (size_t)n;
        }
        if (got == 0)
            w->mem_done = w->eof = 1;
        w->wlen += got;
        return QT_OK;
    }
    for (;;) {
        if (w->zs.avail_in == 0) {
            qt_status rc = raw_more(w, err);
            if (rc != QT_OK) {
                w->mem_done = 1;
                return rc;
            }
            if (w->zs.avail_in == 0) {
                w->mem_done = 1;
                w->wpos = w->wlen;      /* the member's last record is incomplete: drop it */
                return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': truncated gzip member",
                               w->name, w->mem_off);
            }
        }
        w->zs.next_out = (unsigned char *)w->win + w->wlen;
        w->zs.avail_out = (uInt)room;
        uInt in_before = w->zs.avail_in;
        int zr = inflate(&w->zs, Z_NO_FLUSH);
        size_t made = room - w->zs.avail_out;
        w->wlen += made;
        w->unzipped += made;
        if (raw_pos(w) > w->raw_max)
            w->raw_max = raw_pos(w);
        if (w->ratio && w->unzipped > QT_DECOMPRESS_FLOOR &&
            w->unzipped / w->ratio > w->raw_max) {
            char arg[64], raise[80];
            w->bombed = 1;
            w->mem_done = w->eof = 1;
            w->wpos = w->wlen;
            qt_fail(&w->bomb, QT_ETOOBIG, "'%s' decompresses to over %" PRIu32 " times its "
                    "compressed size (%s), rest of the input skipped; %s", w->name, w->ratio,
                    qt_limit_arg("decompress-ratio", w->ratio, arg),
                    qt_limit_raise("decompress-ratio", w->ratio, raise));
            if (err)
                *err = w->bomb;
            return QT_ETOOBIG;
        }
        if (zr == Z_STREAM_END) {
            w->mem_done = 1;
            return QT_OK;
        }
        if (made)
            return QT_OK;
        /* Nothing out yet: the gzip header, or a block boundary. Go on while input is used. */
        if ((zr == Z_OK || zr == Z_BUF_ERROR) && (w->zs.avail_in < in_before ||
                                                   w->zs.avail_in == 0))
            continue;
        if (zr == Z_MEM_ERROR)
            return enomem(w, err);
        /* Z_DATA_ERROR (bad deflate data, a CRC or length mismatch), Z_NEED_DICT: see (4) */
        w->mem_done = 1;
        w->wpos = w->wlen;
        w->need_resync = 1;
        w->resync_from = w->mem_off + 1;
        return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': corrupt gzip member (%s)", w->name,
                       w->mem_off, w->zs.msg ? w->zs.msg : "invalid data");
    }
}

/* Make `want` (<= WIN_SIZE) bytes available at win[wpos], or as many as the member has left. */
static qt_status need(qt_warc *w, size_t want, qt_err *err)
{
    while (w->wlen - w->wpos < want && !w->mem_done) {
        if (w->wpos > 0 && (w->wpos == w->wlen || w->wlen == WIN_SIZE)) {
            size_t keep = w->wlen - w->wpos;
            memmove(w->win, w->win + w->wpos, keep);
            w->mem_dpos += w->wpos;
            w->wpos = 0;
            w->wlen = keep;
        }
        qt_status rc = produce(w, err);
        if (rc != QT_OK)
            return rc;
    }
    return QT_OK;
}

static uint64_t dpos(const qt_warc *w)
{
    return w->mem_dpos + w->wpos;
}

/* The member at the raw cursor is gone bad: search from offset `from` for the next gzip member
 * that inflates to a WARC record. QT_OK with the window at its start, or QT_DONE. */
static qt_status resync(qt_warc *w, uint64_t from, qt_err *err)
{
    for (uint64_t at = from;;) {
        qt_status rc = raw_seek(w, at, err);
        if (rc != QT_OK)
            return rc;
        for (;;) {
            while (w->zs.avail_in < 3 && !w->eof)
                if ((rc = raw_more(w, err)) != QT_OK)
                    return rc;
            if (w->zs.avail_in < 3) {
                w->mem_done = w->eof = 1;
                w->wpos = w->wlen = 0;
                return QT_DONE;
            }
            const unsigned char *p = w->zs.next_in;
            const unsigned char *hit = memchr(p, 0x1f, w->zs.avail_in - 2);
            if (hit && hit[1] == 0x8b && hit[2] == 8) {
                size_t skip = (size_t)(hit - p);
                w->zs.next_in += skip;
                w->zs.avail_in -= (uInt)skip;
                break;
            }
            size_t skip = hit ? (size_t)(hit - p) + 1 : w->zs.avail_in - 2;
            w->zs.next_in += skip;
            w->zs.avail_in -= (uInt)skip;
        }
        at = raw_pos(w);
        start_member(w, at);
        qt_err quiet = {0};
        rc = need(w, 6, &quiet);
        if (rc == QT_ENOMEM)
            return enomem(w, err);
        if (rc == QT_EIO)
            return qt_fail(err, rc, "%s", quiet.msg);
        if (rc == QT_OK && is_warc_line(w->win, w->wlen)) {
            w->need_resync = 0;
            w->wpos = 0;
            return QT_OK;
        }
        at++;       /* false magic inside compressed data, or a member of something else */
    }
}

/* The current member is used up: go to the next one. QT_OK at its start, QT_DONE at the end of
 * the file, or an error for bytes that are not a member (the next call searches past them). */
static qt_status next_member(qt_warc *w, qt_err *err)
{
    w->mem_dpos += w->wlen;
    w->wpos = w->wlen = 0;
    if (w->fd < 0 || !w->gzip)
        return QT_DONE;
    if (w->need_resync)
        return resync(w, w->resync_from, err);
    while (w->zs.avail_in < 3 && !w->eof) {
        qt_status rc = raw_more(w, err);
        if (rc != QT_OK)
            return rc;
    }
    if (w->zs.avail_in == 0)
        return QT_DONE;
    uint64_t at = raw_pos(w);
    const unsigned char *p = w->zs.next_in;
    if (w->zs.avail_in >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8) {
        start_member(w, at);
        return QT_OK;
    }
    w->need_resync = 1;
    w->resync_from = at;
    w->mem_done = 1;
    return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': bytes that are not a gzip member, skipped",
                   w->name, at);
}

/* Go back to decompressed offset `pos` of the member at offset `mem` (see (4)). */
static qt_status rewind_to(qt_warc *w, uint64_t mem, uint64_t pos, qt_err *err)
{
    qt_status rc;
    w->need_resync = 0;
    if (!w->gzip) {
        if (lseek(w->fd, w->base + (off_t)pos, SEEK_SET) < 0)
            return qt_fail(err, QT_EIO, "cannot seek in '%s': %s", w->name, strerror(errno));
        w->mem_dpos = pos;
        w->wpos = w->wlen = 0;
        w->mem_done = w->eof = 0;
        return QT_OK;
    }
    if ((rc = raw_seek(w, mem, err)) != QT_OK)
        return rc;
    start_member(w, mem);
    while (dpos(w) < pos) {
        if ((rc = need(w, 1, err)) != QT_OK)
            return rc;
        if (w->wpos == w->wlen)
            break;
        size_t step = w->wlen - w->wpos;
        if (step > pos - dpos(w))
            step = (size_t)(pos - dpos(w));
        w->wpos += step;
    }
    return QT_OK;
}

/* ---- upper layer: records; see (2) ----------------------------------------------------------- */

/* Keep an error for the next call; see (5). The first one wins. */
static void defer(qt_warc *w, qt_status rc, const qt_err *e)
{
    if (w->pending.code == QT_OK) {
        w->pending = *e;
        w->pending.code = rc;
    }
}

/* Put the window at the start of the next record: right here when synced (after blank lines),
 * else at the next line that starts with "WARC/". QT_OK, QT_DONE, or an error (damage met on the
 * way, reported once). */
static qt_status find_record(qt_warc *w, qt_err *err)
{
    for (;;) {
        qt_status rc = need(w, 8, err);
        if (rc != QT_OK) {
            w->synced = 0;
            return rc;
        }
        size_t avail = w->wlen - w->wpos;
        if (avail == 0) {
            if ((rc = next_member(w, err)) != QT_OK)
                return rc;
            w->line_start = 1;
            continue;
        }
        const char *p = w->win + w->wpos;
        if (w->synced) {
            if (*p == '\r' || *p == '\n') {     /* the blank lines that end a record */
                w->wpos++;
                continue;
            }
            if (is_warc_line(p, avail))
                return QT_OK;
            w->synced = 0;
            w->line_start = 0;
            if (w->n_records == 0 && w->n_damaged == 0) {
                /* A corrupt first member is damage, not proof of another format. */
                while (w->fd >= 0 && w->gzip && !w->mem_done) {
                    w->wpos = w->wlen;
                    if ((rc = need(w, 1, err)) != QT_OK)
                        return rc;
                }
                w->done = 1;
                return qt_fail(err, QT_EFORMAT, "'%s' is not a WARC file (no 'WARC/1.0' line "
                               "at its start)", w->name);
            }
            return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': no WARC record where one should "
                           "start, skipped to the next", w->name, w->gzip ? w->mem_off : dpos(w));
        }
        if (w->line_start && is_warc_line(p, avail)) {
            w->synced = 1;
            return QT_OK;
        }
        const char *nl = memchr(p, '\n', avail);
        w->wpos += nl ? (size_t)(nl - p) + 1 : avail;
        w->line_start = nl != NULL;
    }
}

/* Copy the WARC header at win[wpos] (up to and including its blank line) into w->hdr. Returns
 * QT_OK, a lower-layer error, or QT_EFORMAT with *bad set when it is cut short or too long. */
static qt_status read_header(qt_warc *w, int *bad, qt_err *err)
{
    size_t from = 0;
    *bad = 0;
    for (;;) {
        const char *p = w->win + w->wpos;
        size_t avail = w->wlen - w->wpos;
        for (size_t i = from; i + 1 < avail; i++) {
            if (p[i] != '\n')
                continue;
            size_t end = p[i + 1] == '\n' ? i + 2
                         : p[i + 1] == '\r' && i + 2 < avail && p[i + 2] == '\n' ? i + 3 : 0;
            if (!end)
                continue;
            if (set_str(&w->hdr, p, end) != QT_OK)
                return enomem(w, err);
            w->wpos += end;
            return QT_OK;
        }
        from = avail > 2 ? avail - 2 : 0;
        if (avail >= HDR_MAX || w->mem_done) {
            *bad = 1;
            return QT_EFORMAT;
        }
        qt_status rc = need(w, avail + 4096, err);
        if (rc != QT_OK)
            return rc;
    }
}

typedef struct warc_fields {
    const char *type, *uri, *date, *ctype, *length, *truncated;
} warc_fields;

/* Trim spaces and tabs around p[0..n) in place and NUL-terminate the result. */
static char *trim(char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    p[n] = '\0';
    return p;
}

/* Split w->hdr into lines and pick the fields we use. Names are case-insensitive. */
static void parse_header(qt_warc *w, warc_fields *f)
{
    memset(f, 0, sizeof *f);
    char *s = w->hdr.data, *end = s + w->hdr.len;
    char *nl = memchr(s, '\n', w->hdr.len);     /* the "WARC/1.0" line */
    for (s = nl ? nl + 1 : end; s < end;) {
        char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e)
            e = end;
        char *colon = memchr(s, ':', (size_t)(e - s));
        if (colon && s[0] != ' ' && s[0] != '\t') {
            size_t nlen = (size_t)(colon - s);
            char *v = trim(colon + 1, (size_t)(e - colon - 1));
            static const struct { const char *name; size_t off; } names[] = {
                {"WARC-Type", offsetof(warc_fields, type)},
                {"WARC-Target-URI", offsetof(warc_fields, uri)},
                {"WARC-Date", offsetof(warc_fields, date)},
                {"Content-Type", offsetof(warc_fields, ctype)},
                {"Content-Length", offsetof(warc_fields, length)},
                {"WARC-Truncated", offsetof(warc_fields, truncated)},
            };
            for (size_t i = 0; i < sizeof names / sizeof *names; i++)
                if (strlen(names[i].name) == nlen && strncasecmp(s, names[i].name, nlen) == 0)
                    *(const char **)((char *)f + names[i].off) = v;
        }
        s = e + 1;
    }
}

/* A decimal Content-Length, or -1 when it is missing or not a number. */
static int parse_length(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* Read up to `want` more bytes of the current block (*left bytes remain of it) into `into`, or
 * past them when into is NULL. TAKE_OK, TAKE_EOF (the file ended first), TAKE_NEXT (a gzip member
 * that starts a record began first: the window is at it), or a lower-layer error. */
static int block_take(qt_warc *w, uint64_t *left, uint64_t want, qt_buf *into, qt_status *rc,
                      qt_err *err)
{
    *rc = QT_OK;
    if (want > *left)
        want = *left;
    while (want > 0) {
        if ((*rc = need(w, 1, err)) != QT_OK)
            return -1;
        size_t avail = w->wlen - w->wpos;
        if (avail == 0) {
            *rc = next_member(w, err);
            if (*rc == QT_DONE) {
                *rc = QT_OK;
                return TAKE_EOF;
            }
            if (*rc != QT_OK)
                return -1;
            if ((*rc = need(w, 6, err)) != QT_OK)
                return -1;
            if (is_warc_line(w->win, w->wlen)) {
                w->synced = w->line_start = 1;
                return TAKE_NEXT;
            }
            continue;       /* a record spread over several members */
        }
        size_t n = avail < want ? avail : (size_t)want;
        if (into && qt_buf_append(into, w->win + w->wpos, n) != QT_OK) {
            *rc = enomem(w, err);
            return -1;
        }
        w->wpos += n;
        want -= n;
        *left -= n;
    }
    return TAKE_OK;
}

/* After a block: the blank line, then the next record's "WARC/" line or the end of the file.
 * *how becomes TAKE_OK when so, TAKE_LIED when not. Returns QT_OK, or a lower-layer error in
 * this record's member (its CRC, say); an error in the next member is deferred, see (5). */
static qt_status block_end(qt_warc *w, int *how, qt_err *err)
{
    *how = TAKE_OK;
    for (;;) {
        qt_status rc = need(w, 8, err);
        if (rc != QT_OK)
            return rc;
        size_t avail = w->wlen - w->wpos;
        if (avail == 0)
            break;
        const char *p = w->win + w->wpos;
        if (*p == '\r' || *p == '\n') {
            w->wpos++;
            continue;
        }
        if (!is_warc_line(p, avail))
            *how = TAKE_LIED;
        return QT_OK;
    }
    /* The member (or file) ends cleanly right after the block: the record is whole. */
    qt_err next = {0};
    qt_status rc = next_member(w, &next);
    if (rc == QT_OK) {
        w->line_start = 1;
    } else if (rc != QT_DONE) {
        w->synced = 0;
        defer(w, rc, &next);
    }
    return QT_OK;
}

/* The parts of an HTTP response header that decide what to do with the body. */
typedef struct http_head {
    int status;
    const char *ctype, *te, *ce;   /* Content-Type, Transfer-Encoding, Content-Encoding */
    size_t ctype_len, te_len, ce_len;
    size_t body;                    /* where the body starts in the block */
    int has_length;                 /* a valid Content-Length header, in length */
    uint64_t length;
} http_head;

/* Parse the status line and header of the HTTP response p[0..n). 0, or -1 when there is no
 * complete "HTTP/x 200 ..." header in these bytes. */
static int http_parse(const char *p, size_t n, http_head *h)
{
    memset(h, 0, sizeof *h);
    if (!starts_ci(p, n, "HTTP/"))
        return -1;
    size_t i = 5;
    while (i < n && p[i] != ' ' && p[i] != '\n')
        i++;
    while (i < n && p[i] == ' ')
        i++;
    if (i + 3 > n || p[i] < '1' || p[i] > '5' || p[i + 1] < '0' || p[i + 1] > '9' ||
        p[i + 2] < '0' || p[i + 2] > '9')
        return -1;
    h->status = (p[i] - '0') * 100 + (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
    const char *nl = memchr(p + i, '\n', n - i);
    if (!nl)
        return -1;
    for (i = (size_t)(nl - p) + 1; i < n;) {
        const char *e = memchr(p + i, '\n', n - i);
        if (!e)
            return -1;
        size_t len = (size_t)(e - (p + i));
        if (len && p[i + len - 1] == '\r')
            len--;
        if (len == 0) {
            h->body = (size_t)(e - p) + 1;
            return 0;
        }
        const char *line = p + i, *colon = memchr(line, ':', len);
        if (colon) {
            const char *v = colon + 1, *ve = line + len;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            size_t nlen = (size_t)(colon - line), vlen = (size_t)(ve - v);
            if (nlen == 12 && strncasecmp(line, "Content-Type", 12) == 0)
                h->ctype = v, h->ctype_len = vlen;
            else if (nlen == 17 && strncasecmp(line, "Transfer-Encoding", 17) == 0)
                h->te = v, h->te_len = vlen;
            else if (nlen == 16 && strncasecmp(line, "Content-Encoding", 16) == 0)
                h->ce = v, h->ce_len = vlen;
            else if (nlen == 14 && strncasecmp(line, "Content-Length", 14) == 0 && vlen &&
                     vlen < 19 && strspn(v, "0123456789") >= vlen) {
                h->has_length = 1;
                h->length = 0;
                for (size_t k = 0; k < vlen; k++)
                    h->length = h->length * 10 + (uint64_t)(v[k] - '0');
            }
        }
        i = (size_t)(e - p) + 1;
    }
    return -1;
}

/* p[0..n) is the blank line that ends a record and the next record's "WARC/1.0" line. */
static int next_record_here(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && i < 4 && (p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i == 0 || !is_warc_line(p + i, n - i))
        return 0;
    for (i += 6; i < n && i < 16; i++)
        if (p[i] == '\n')
            return 1;
    return 0;
}

/* Does the body start like a page? Only for a response without a Content-Type. */
static int sniff_html(const char *p, size_t n)
{
    size_t i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return starts_ci(p + i, n - i, "<!doctype html") || starts_ci(p + i, n - i, "<html") ||
           starts_ci(p + i, n - i, "<head") || starts_ci(p + i, n - i, "<!--");
}

/* text/html or application/xhtml+xml, parameters aside; no Content-Type: sniffed. */
static int is_html(const http_head *h, const char *body, size_t n)
{
    if (!h->ctype || h->ctype_len == 0)
        return sniff_html(body, n);
    size_t len = 0;
    while (len < h->ctype_len && h->ctype[len] != ';' && h->ctype[len] != ' ')
        len++;
    return (len == 9 && strncasecmp(h->ctype, "text/html", 9) == 0) ||
           (len == 21 && strncasecmp(h->ctype, "application/xhtml+xml", 21) == 0);
}

/* The charset parameter of the Content-Type, into w->charset (empty when none). */
static qt_status take_charset(qt_warc *w, const http_head *h)
{
    qt_buf_reset(&w->charset);
    for (size_t i = 0; h->ctype && i + 8 <= h->ctype_len; i++) {
        if (strncasecmp(h->ctype + i, "charset=", 8) != 0)
            continue;
        const char *v = h->ctype + i + 8, *e = h->ctype + h->ctype_len;
        if (v < e && (*v == '"' || *v == '\''))
            v++;
        const char *s = v;
        while (s < e && *s != ';' && *s != '"' && *s != '\'' && *s != ' ')
            s++;
        return s > v ? set_str(&w->charset, v, (size_t)(s - v)) : QT_OK;
    }
    return QT_OK;
}

/* Undo chunked transfer coding of p[0..n) into out. 0, or -1 when it is not valid chunking. */
static int dechunk(const char *p, size_t n, size_t max, qt_buf *out, int *nomem)
{
    size_t i = 0;
    qt_buf_reset(out);
    for (;;) {
        uint64_t size = 0;
        size_t digits = 0;
        if (i >= n)
            return 0;   /* the last chunk was cut off with its record: keep what came */
        for (; i < n; i++, digits++) {
            int c = lower((unsigned char)p[i]);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                break;
            if (size > (UINT64_MAX >> 4))
                return -1;
            size = size * 16 + (uint64_t)d;
        }
        const char *nl = digits ? memchr(p + i, '\n', n - i) : NULL;  /* ";ext" may follow */
        if (!nl)
            return -1;
        i = (size_t)(nl - p) + 1;
        if (size == 0)
            return 0;   /* the trailer, if any, is not needed */
        if (size > n - i || size > max - out->len)
            return -1;
        if (qt_buf_append(out, p + i, (size_t)size) != QT_OK) {
            *nomem = 1;
            return -1;
        }
        i += (size_t)size;
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] == '\n')
            i++;
    }
}

/* Inflate p[0..n) (gzip, zlib or raw deflate, by its first bytes) into out, at most max bytes.
 * QT_OK, QT_ETOOBIG, QT_ENOMEM, or QT_EFORMAT for corrupt data. */
static qt_status inflate_body(const char *p, size_t n, size_t max, qt_buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    int gz = n >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b;
    int zlib = n >= 2 && ((unsigned char)p[0] & 0x0f) == 8 &&
               (((unsigned char)p[0] << 8) | (unsigned char)p[1]) % 31 == 0;
    if (inflateInit2(&zs, gz ? 16 + MAX_WBITS : zlib ? MAX_WBITS : -MAX_WBITS) != Z_OK)
        return QT_ENOMEM;
    qt_buf_reset(out);
    zs.next_in = (unsigned char *)(uintptr_t)p;
    zs.avail_in = n > UINT_MAX ? UINT_MAX : (uInt)n;
    qt_status rc = QT_OK;
    for (;;) {
        if (out->len >= max + 1) {
            rc = QT_ETOOBIG;
            break;
        }
        if (qt_buf_grow(out, 64 * 1024) != QT_OK) {
            rc = QT_ENOMEM;
            break;
        }
        size_t room = out->cap - out->len - 1;
        if (room > max + 1 - out->len)
            room = max + 1 - out->len;
        zs.next_out = (unsigned char *)out->data + out->len;
        zs.avail_out = (uInt)room;
        int zr = inflate(&zs, Z_NO_FLUSH);
        out->len += room - zs.avail_out;
        out->data[out->len] = '\0';
        if (zr == Z_STREAM_END)
            break;
        if (zr == Z_MEM_ERROR) {
            rc = QT_ENOMEM;
            break;
        }
        if (zr != Z_OK && !(zr == Z_BUF_ERROR && zs.avail_out == 0)) {
            rc = QT_EFORMAT;    /* corrupt, or cut short */
            break;
        }
    }
    inflateEnd(&zs);
    if (rc == QT_OK && out->len > max)
        rc = QT_ETOOBIG;
    return rc;
}

/* Add a warning to the record being returned. */
static qt_status add_warning(qt_warc *w, qt_warc_record *rec, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static qt_status add_warning(qt_warc *w, qt_warc_record *rec, const char *fmt, ...)
{
    if (rec->n_warnings == 2)
        return QT_OK;
    qt_buf *b = &w->warn[rec->n_warnings];
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (set_str(b, line, strlen(line)) != QT_OK)
        return QT_ENOMEM;
    w->warn_ptr[rec->n_warnings++] = b->data;
    rec->warnings = w->warn_ptr;
    return QT_OK;
}

/* The body of the candidate in w->block, with transfer and content codings undone. */
static qt_status http_body(qt_warc *w, const http_head *h, qt_warc_record *rec, uint64_t off,
                           qt_err *err)
{
    const char *body = w->block.data + h->body;
    size_t n = w->block.len - h->body;
    char lim[160];
    limit_str(w->max_record, lim);
    if (h->te && h->te_len >= 7 && starts_ci(h->te, h->te_len, "chunked")) {
        int nomem = 0;
        if (dechunk(body, n, w->max_record, &w->body1, &nomem) == 0) {
            body = w->body1.data;
            n = w->body1.len;
        } else if (nomem) {
            return enomem(w, err);
        } else if (add_warning(w, rec, "'%s#%" PRIu64 "': the body is not validly chunked, "
                               "taken as it is", w->name, off) != QT_OK) {
            return enomem(w, err);
        }
    }
    if (h->ce && h->ce_len && !starts_ci(h->ce, h->ce_len, "identity")) {
        int deflate = starts_ci(h->ce, h->ce_len, "deflate");
        int gzip = starts_ci(h->ce, h->ce_len, "gzip") || starts_ci(h->ce, h->ce_len, "x-gzip");
        int looks = n >= 2 && (unsigned char)body[0] == 0x1f && (unsigned char)body[1] == 0x8b;
        if (!gzip && !deflate)
            return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': Content-Encoding '%.*s' is not "
                           "supported, record skipped", w->name, off,
                           (int)(h->ce_len > 40 ? 40 : h->ce_len), h->ce);
        qt_status rc = n ? inflate_body(body, n, w->max_record, &w->body2) : QT_OK;
        if (rc == QT_OK && n) {
            body = w->body2.data;
            n = w->body2.len;
        } else if (rc == QT_ENOMEM) {
            return enomem(w, err);
        } else if (rc == QT_ETOOBIG) {
            return qt_fail(err, QT_ETOOBIG, "'%s#%" PRIu64 "': the page inflates to more than "
                           "%s", w->name, off, lim);
        } else if (rc != QT_OK && (looks || deflate)) {
            return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': corrupt %s content coding, "
                           "record skipped", w->name, off, gzip ? "gzip" : "deflate");
        } else if (rc != QT_OK) {
            /* Archives often store the body already decoded but keep the header. */
            if (add_warning(w, rec, "'%s#%" PRIu64 "': Content-Encoding says gzip but the body "
                            "is not compressed, taken as it is", w->name, off) != QT_OK)
                return enomem(w, err);
        }
    }
    if (n == 0 || (n == 1 && *body == '\n') || (n == 2 && memcmp(body, "\r\n", 2) == 0))
        return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': the HTTP response has no body",
                       w->name, off);
    rec->body = body;
    rec->body_len = n;
    return QT_OK;
}

/* A record's framing is wrong (its header, its Content-Length): go back to offset pos of the
 * member at mem and search for the next record from there; see (4). In a .warc.gz the rest of
 * the current member is inflated first: when it is corrupt, that error is returned, so that one
 * damaged member is reported once, as such, and not as the garbage framing it inflated to.
 * Returns QT_OK when the framing error is the one to report. */
static qt_status framing_error(qt_warc *w, uint64_t mem, uint64_t pos, int line_start,
                               qt_err *err)
{
    w->synced = 0;
    w->line_start = 0;
    if (w->fd < 0)
        return QT_OK;           /* a pipe: search on from here; see (6) */
    while (w->gzip && !w->mem_done) {
        w->wpos = w->wlen;
        qt_status rc = need(w, 1, err);
        if (rc != QT_OK)
            return rc;
    }
    qt_err e2 = {0};
    qt_status rc = rewind_to(w, mem, pos, &e2);
    if (rc != QT_OK)
        defer(w, rc, &e2);
    w->line_start = line_start;
    return QT_OK;
}

/* Report a block whose Content-Length lied, and arrange to find the next record. */
static qt_status length_lied(qt_warc *w, int how, uint64_t off, uint64_t length, uint64_t mem,
                             uint64_t start, qt_err *err)
{
    static const char *const what[] = {
        [TAKE_EOF] = "runs past the end of the file",
        [TAKE_NEXT] = "runs into the next record's gzip member",
        [TAKE_LIED] = "does not match its block",
    };
    /* TAKE_NEXT: the member ended cleanly and the window is at the next record already. */
    qt_status rc = how == TAKE_NEXT ? QT_OK : framing_error(w, mem, start, 1, err);
    if (rc != QT_OK)
        return rc;
    return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': the record's Content-Length (%" PRIu64
                   ") %s, record skipped", w->name, off, length, what[how]);
}

/* Read the record at win[wpos] ("WARC/..."). QT_OK with an HTML response in *rec, SKIP for any
 * other record, or the one failure this record is reported for. */
static qt_status one_record(qt_warc *w, qt_warc_record *rec, qt_err *err)
{
    uint64_t off = w->gzip ? w->mem_off : dpos(w), mem = w->mem_off, head = dpos(w);
    int bad;
    qt_status rc = read_header(w, &bad, err);
    if (rc != QT_OK) {
        w->synced = 0;
        if (!bad)
            return rc;
        if (w->fd < 0)
            w->wpos++;  /* read_header() left the window at the "WARC/" line: step past it */
        if ((rc = framing_error(w, mem, head + 1, 0, err)) != QT_OK)
            return rc;
        return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': WARC header cut short or longer "
                       "than 64 KiB, record skipped", w->name, off);
    }
    w->n_records++;
    warc_fields f;
    parse_header(w, &f);
    uint64_t length = 0, start = dpos(w);
    if (parse_length(f.length, &length) != 0) {
        if ((rc = framing_error(w, mem, start, 1, err)) != QT_OK)
            return rc;
        return qt_fail(err, QT_EFORMAT, "'%s#%" PRIu64 "': WARC record without a valid "
                       "Content-Length, skipped", w->name, off);
    }
    uint64_t left = length;
    int candidate = f.type && strcasecmp(f.type, "response") == 0 &&
                    (!f.ctype || starts_ci(f.ctype, strlen(f.ctype), "application/http"));
    int how = TAKE_OK, html = 0;
    http_head h = {0};
    qt_buf_reset(&w->block);
    if (candidate) {
        /* The HTTP header first: most responses are decided by it without reading on. */
        how = block_take(w, &left, HDR_MAX, &w->block, &rc, err);
        if (how == TAKE_OK && http_parse(w->block.data, w->block.len, &h) == 0)
            html = h.status >= 200 && h.status < 300 &&
                   is_html(&h, w->block.data + h.body, w->block.len - h.body);
    }
    /* The HTTP response's own Content-Length, where it has one, says where its block should
     * end. A WARC Content-Length that runs past that point into a blank line and a "WARC/1.0"
     * line has swallowed the next record(s), even if it happens to end at a later record's
     * boundary, which the check after the block cannot see; see (4). */
    if (how == TAKE_OK && candidate && h.body && h.has_length &&
        !(h.te && starts_ci(h.te, h.te_len, "chunked")) &&
        h.body + h.length + 6 < length) {
        uint64_t end = h.body + h.length;
        if (end > w->block.len) {
            how = block_take(w, &left, end - w->block.len, html ? &w->block : NULL, &rc, err);
            if (how == TAKE_OK && (rc = need(w, 16, err)) == QT_OK &&
                next_record_here(w->win + w->wpos, w->wlen - w->wpos))
                how = TAKE_LIED;
        } else if (next_record_here(w->block.data + end, w->block.len - end)) {
            how = TAKE_LIED;
        }
        if (rc != QT_OK)
            how = -1;
    }
    int too_big = html && length > w->max_record;
    if (how == TAKE_OK)
        how = block_take(w, &left, left, html && !too_big ? &w->block : NULL, &rc, err);
    if (how == TAKE_OK)
        rc = block_end(w, &how, err);
    if (how < 0 || rc != QT_OK) {
        w->synced = 0;
        return rc;
    }
    if (how != TAKE_OK)
        return length_lied(w, how, off, length, mem, start, err);
    if (!html) {
        w->n_skipped++;
        return SKIP;
    }
    if (too_big) {
        char lim[160];
        return qt_fail(err, QT_ETOOBIG, "'%s#%" PRIu64 "': the page is larger than %s",
                       w->name, off, limit_str(w->max_record, lim));
    }

    rec->offset = off;
    if (f.uri) {
        const char *u = f.uri;
        size_t n = strlen(u);
        if (n >= 2 && u[0] == '<' && u[n - 1] == '>')   /* WARC/1.0's "<http://...>" form */
            u++, n -= 2;
        if (n && set_str(&w->uri, u, n) != QT_OK)
            return enomem(w, err);
        rec->target_uri = n ? w->uri.data : NULL;
    }
    if (f.date && *f.date) {
        if (set_str(&w->date, f.date, strlen(f.date)) != QT_OK)
            return enomem(w, err);
        rec->date = w->date.data;
    }
    if (f.truncated && *f.truncated) {
        if (set_str(&w->truncated, f.truncated, strlen(f.truncated)) != QT_OK)
            return enomem(w, err);
        rec->truncated = w->truncated.data;
    }
    if (take_charset(w, &h) != QT_OK)
        return enomem(w, err);
    rec->charset = w->charset.len ? w->charset.data : NULL;
    rec->status = h.status;
    return http_body(w, &h, rec, off, err);
}

/* ---- the reader's interface ------------------------------------------------------------------ */

static qt_status warc_new(qt_warc **out, const char *name, size_t max_record, qt_err *err)
{
    qt_warc *w = calloc(1, sizeof *w);
    if (!w || !(w->name = strdup(name)) || !(w->win = malloc(WIN_SIZE))) {
        if (w)
            free(w->name);
        free(w);
        return qt_fail(err, QT_ENOMEM, "out of memory reading '%s'", name);
    }
    w->fd = -1;
    w->max_record = max_record ? max_record : QT_MAX_ARTICLE;
    w->synced = w->line_start = 1;
    *out = w;
    return QT_OK;
}

qt_status qt_warc_open_fd(qt_warc **out, int fd, const char *name, size_t max_record,
                          qt_err *err)
{
    *out = NULL;
    qt_warc *w = NULL;
    qt_status rc = warc_new(&w, name, max_record, err);
    if (rc != QT_OK) {
        close(fd);
        return rc;
    }
    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): qt_fail() never returns QT_OK */
    w->fd = fd;
    w->base = lseek(fd, 0, SEEK_CUR);
    if (w->base < 0)
        w->base = 0;
    if (!(w->raw = malloc(RAW_SIZE))) {
        qt_warc_free(w);
        return qt_fail(err, QT_ENOMEM, "out of memory reading '%s'", name);
    }
    w->zs.next_in = w->raw;
    if (inflateInit2(&w->zs, 16 + MAX_WBITS) != Z_OK) {
        qt_warc_free(w);
        return qt_fail(err, QT_ENOMEM, "out of memory reading '%s'", name);
    }
    w->zs_ready = 1;
    /* gzip or plain, by the first two bytes; see (1) */
    rc = raw_more(w, err);
    if (rc != QT_OK) {
        qt_warc_free(w);
        return rc;
    }
    if (w->zs.avail_in == 0) {
        qt_warc_free(w);
        return qt_fail(err, QT_EFORMAT, "'%s' is empty", name);
    }
    if (w->zs.avail_in >= 2 && w->raw[0] == 0x1f && w->raw[1] == 0x8b) {
        w->gzip = 1;
        start_member(w, 0);
    } else {
        /* Plain: the bytes already read are the window's first ones. */
        memcpy(w->win, w->raw, w->raw_len);
        w->wlen = w->raw_len;
        w->raw_len = 0;
        w->zs.avail_in = 0;
    }
    *out = w;
    return QT_OK;
}

qt_status qt_warc_open_stream(qt_warc **out, qt_warc_read_fn fn, void *ctx, const void *head,
                              size_t head_len, const char *name, size_t max_record, qt_err *err)
{
    *out = NULL;
    qt_warc *w = NULL;
    qt_status rc = warc_new(&w, name, max_record, err);
    if (rc != QT_OK)
        return rc;
    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): qt_fail() never returns QT_OK */
    w->read = fn;
    w->ctx = ctx;
    if (head_len > WIN_SIZE) {
        qt_warc_free(w);
        return qt_fail(err, QT_EINVAL, "qt_warc_open_stream: more than %zu bytes read ahead",
                       WIN_SIZE);
    }
    if (head_len)
        memcpy(w->win, head, head_len);
    w->wlen = head_len;
    *out = w;
    return QT_OK;
}

qt_status qt_warc_next(qt_warc *w, qt_warc_record *rec, qt_err *err)
{
    memset(rec, 0, sizeof *rec);
    buf_trim(&w->block);
    buf_trim(&w->body1);
    buf_trim(&w->body2);
    for (;;) {
        if (w->bombed == 1) {   /* see qt_warc_set_ratio(); the input ends here */
            w->bombed = 2;
            w->n_damaged++;
            memset(&w->pending, 0, sizeof w->pending);
            if (err)
                *err = w->bomb;
            return QT_ETOOBIG;
        }
        if (w->pending.code != QT_OK) {
            qt_status rc = w->pending.code;
            if (err)
                *err = w->pending;
            memset(&w->pending, 0, sizeof w->pending);
            w->n_damaged++;
            return rc;
        }
        if (w->done || w->bombed)
            return QT_DONE;
        qt_status rc = find_record(w, err);
        if (rc == QT_DONE) {
            w->done = 1;
            continue;   /* a deferred error may still be waiting */
        }
        if (rc == QT_OK)
            rc = one_record(w, rec, err);
        if (rc == SKIP)
            continue;
        if (rc == QT_OK) {
            w->n_html++;
            return QT_OK;
        }
        memset(rec, 0, sizeof *rec);
        if (w->bombed == 1)
            continue;           /* whatever the cut-off inflating broke, the bomb is the news */
        w->n_damaged++;
        if (rc == QT_ENOMEM || rc == QT_EIO)
            w->done = 1;    /* nothing sensible can follow */
        return rc;
    }
}

void qt_warc_set_ratio(qt_warc *w, uint32_t ratio)
{
    if (w)
        w->ratio = ratio;
}

uint64_t qt_warc_position(const qt_warc *w)
{
    if (!w)
        return 0;
    if (w->fd >= 0 && w->gzip)
        return raw_pos(w);
    return w->mem_dpos + w->wlen;
}

size_t qt_warc_skipped(const qt_warc *w)
{
    return w ? w->n_skipped : 0;
}

void qt_warc_free(qt_warc *w)
{
    if (!w)
        return;
    if (w->fd >= 0)
        close(w->fd);
    if (w->zs_ready)
        inflateEnd(&w->zs);
    free(w->raw);
    free(w->win);
    free(w->name);
    qt_buf *bufs[] = {&w->hdr, &w->block, &w->body1, &w->body2, &w->uri, &w->date,
                      &w->charset, &w->truncated, &w->warn[0], &w->warn[1]};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        qt_buf_release(bufs[i]);
    free(w);
}
