/*
 * qt_limits.h - what the stages share to announce a limit (limits.c); the limits themselves are
 * public (quotetrail.h, "limits").
 */
#ifndef QT_LIMITS_H
#define QT_LIMITS_H

#include <stdint.h>

#include "quotetrail.h"

/* "--limit NAME=VALUE" for the limit called name at value v, into buf, for the start of a
 * message: "'big.txt' is over --limit article-bytes=4M ...". Returns buf. */
const char *qt_limit_arg(const char *name, uint64_t v, char buf[64]);
/* "raise it with --limit NAME=V4" where V4 is four times v (capped at the limit's maximum), into
 * buf, for the end of the message. Returns buf. */
const char *qt_limit_raise(const char *name, uint64_t v, char buf[80]);

#endif /* QT_LIMITS_H */
