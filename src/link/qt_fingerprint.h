/*
 * qt_fingerprint.h - reading back the fingerprints a record carries (`extract --fingerprints`),
 * for `link`. The writer is src/report/json.c (put_fingerprint, put_key); these functions are
 * its inverse and live beside the code that makes the fingerprints, so that a change of their
 * format changes both sides here and in json.c, and nothing in between (the record parser and
 * the store treat a fingerprint as opaque data).
 */
#ifndef QT_FINGERPRINT_H
#define QT_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "quotetrail.h"

/* Decode a record's "fingerprint"."minhash" (4 hex digits per position) into out, which holds
 * *n values on entry (at least QT_MINHASH_K). *n receives the positions read: QT_MINHASH_K, or 0
 * for the empty string (an article analysed without fingerprints). QT_EFORMAT for any other
 * length or a non-hex digit, with *n and out unchanged. */
qt_status qt_fingerprint_minhash(const char *hex, size_t len, uint16_t *out, size_t *n);

/* Decode a quote's "key" (8 hex digits per hash) into out, which holds *n values on entry.
 * *n receives the hashes read. QT_EFORMAT for a length that is not a multiple of 8, more than
 * *n hashes or a non-hex digit, with *n and out unchanged. */
qt_status qt_fingerprint_key(const char *hex, size_t len, uint32_t *out, size_t *n);
/* The fingerprint's "names" (entity keys) are written as a quote's key is, 8 hex digits per
 * key, and read back by qt_fingerprint_key() with *n = QT_NAME_KEYS_MAX. */

#endif /* QT_FINGERPRINT_H */
