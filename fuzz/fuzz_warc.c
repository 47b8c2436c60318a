/*
 * fuzz_warc.c - WARC and gzip input: the reader on .warc, .warc.gz, .txt.gz and .html.gz files,
 * and the WARC record reader (warc.c) in stream mode, reading from memory.
 *
 * Input: one byte choosing how the rest is presented, then the bytes:
 *   0  a .warc file, as given
 *   1  a .warc.gz, the whole rest compressed as one gzip member
 *   2  a .warc.gz, one gzip member per record (cut before each "WARC/" at a line start),
 *      as crawlers write them
 *   3  a .warc.gz, as given (gzip framing, corrupt members, bytes between members)
 *   4  a .txt.gz, the rest compressed
 *   5  an .html.gz, the rest compressed
 *   6  qt_warc_open_stream() over the rest in memory (a WARC arriving through a pipe)
 *   7  a .gz of any name (sniffed), as given
 * Compressing here lets the fuzzer work on WARC framing and HTTP headers rather than on
 * finding valid deflate streams; kinds 3 and 7 keep the gzip layer itself under fuzz.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/qt_core.h"
#include "ingest/qt_ingest.h"

#define MAX_RECORD ((size_t)1 << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_tmpdir();
    return 0;
}

/* Append p[0..n) to out as one gzip member. */
static int gzip_member(qt_buf *out, const uint8_t *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t bound = deflateBound(&z, (uLong)n) + 32;
    if (qt_buf_grow(out, bound) != QT_OK) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    out->len += bound - z.avail_out;
    out->data[out->len] = '\0';
    deflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -1;
}

/* One member per record: cut before every "WARC/" that starts a line (but the first byte). */
static int gzip_records(qt_buf *out, const uint8_t *p, size_t n)
{
    size_t from = 0;
    for (size_t i = 1; i + 5 <= n; i++)
        if (p[i - 1] == '\n' && memcmp(p + i, "WARC/", 5) == 0) {
            if (gzip_member(out, p + from, i - from) != 0)
                return -1;
            from = i;
        }
    return gzip_member(out, p + from, n - from);
}

static void read_all(const char *path)
{
    qt_reader *r = NULL;
    qt_err err = {0};
    if (qt_reader_open(&r, &path, 1, &err) != QT_OK)
        abort();
    qt_reader_set_max_article(r, MAX_RECORD);
    qt_input in;
    qt_status rc;
    while ((rc = qt_reader_next(r, &in, &err)) != QT_DONE) {
        if (rc == QT_OK && (!in.text || strlen(in.text) != in.text_len))
            abort();
        if (rc == QT_ENOMEM)
            abort();
    }
    qt_reader_free(r);
}

typedef struct mem_src {
    const uint8_t *p;
    size_t n, at;
} mem_src;

static qt_status mem_read(void *ctx, void *buf, size_t want, size_t *got, qt_err *err)
{
    (void)err;
    mem_src *m = ctx;
    size_t k = m->n - m->at < want ? m->n - m->at : want;
    /* Short reads, as a pipe gives them, exercise the refill paths. */
    if (k > 7 && (m->at & 1))
        k = k / 2;
    memcpy(buf, m->p + m->at, k);
    m->at += k;
    *got = k;
    return QT_OK;
}

static void read_stream(const uint8_t *p, size_t n)
{
    size_t head = n < 64 ? n : 64;
    mem_src m = {p, n, head};
    qt_warc *w = NULL;
    qt_err err = {0};
    if (qt_warc_open_stream(&w, mem_read, &m, p, head, "fuzz.warc", MAX_RECORD, &err) != QT_OK)
        abort();
    qt_warc_record rec;
    qt_status rc;
    while ((rc = qt_warc_next(w, &rec, &err)) != QT_DONE && rc != QT_ENOMEM && rc != QT_EIO)
        if (rc == QT_OK && (!rec.body || rec.body_len == 0))
            abort();
    qt_warc_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    qt_buf z = QT_BUF_INIT;
    switch (data[0] & 7) {
    case 0: read_all(fuzz_write("in.warc", p, n)); break;
    case 1:
        if (gzip_member(&z, p, n) == 0)
            read_all(fuzz_write("in.warc.gz", z.data, z.len));
        break;
    case 2:
        if (gzip_records(&z, p, n) == 0)
            read_all(fuzz_write("in.warc.gz", z.data, z.len));
        break;
    case 3: read_all(fuzz_write("in.warc.gz", p, n)); break;
    case 4:
        if (gzip_member(&z, p, n) == 0)
            read_all(fuzz_write("in.txt.gz", z.data, z.len));
        break;
    case 5:
        if (gzip_member(&z, p, n) == 0)
            read_all(fuzz_write("in.html.gz", z.data, z.len));
        break;
    case 6: read_stream(p, n); break;
    default: read_all(fuzz_write("in.gz", p, n)); break;
    }
    qt_buf_release(&z);
    return 0;
}
