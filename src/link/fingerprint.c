/*
 * fingerprint.c - the inverse of json.c's fingerprint fields: a record's MinHash signature,
 * quote keys and entity keys back into the values the analysis computed, bit for bit, so that
 * `link` stores what `ingest` would have stored from the text.
 */
#include "link/qt_fingerprint.h"
#include "link/qt_link.h"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Read `digits` hex digits at p as one value; -1 on a non-hex digit. */
static int64_t hex_value(const char *p, int digits)
{
    int64_t v = 0;
    for (int i = 0; i < digits; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

qt_status qt_fingerprint_minhash(const char *hex, size_t len, uint16_t *out, size_t *n)
{
    if (len == 0) {
        *n = 0;
        return QT_OK;
    }
    if (len != (size_t)QT_MINHASH_K * 4 || *n < QT_MINHASH_K)
        return QT_EFORMAT;
    uint16_t v[QT_MINHASH_K];
    for (size_t i = 0; i < QT_MINHASH_K; i++) {
        int64_t x = hex_value(hex + 4 * i, 4);
        if (x < 0)
            return QT_EFORMAT;
        v[i] = (uint16_t)x;
    }
    for (size_t i = 0; i < QT_MINHASH_K; i++)
        out[i] = v[i];
    *n = QT_MINHASH_K;
    return QT_OK;
}

qt_status qt_fingerprint_key(const char *hex, size_t len, uint32_t *out, size_t *n)
{
    if (len % 8 != 0 || len / 8 > *n)
        return QT_EFORMAT;
    for (size_t i = 0; i < len; i++)
        if (hex_digit(hex[i]) < 0)
            return QT_EFORMAT;
    for (size_t i = 0; i < len / 8; i++)
        out[i] = (uint32_t)hex_value(hex + 8 * i, 8);
    *n = len / 8;
    return QT_OK;
}
