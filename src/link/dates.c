/*
 * dates.c - calendar values of time expressions, and what they say about when an article was
 * written (qt_dates.h). The collection's inference builds on these in src/store/dates.c.
 */
#include "link/qt_dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t qt_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void qt_civil_from_days(int32_t z, int *y, int *m, int *d)
{
    long zz = (long)z + 719468;
    long era = (zz >= 0 ? zz : zz - 146096) / 146097;
    long doe = zz - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int days_in_month(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : n[m - 1];
}

static void year_span(int y0, int y1, qt_day_span *out)
{
    out->first = qt_days_from_civil(y0, 1, 1);
    out->last = qt_days_from_civil(y1, 12, 31);
    out->gran = 'Y';
}

int qt_date_parse(const char *s, qt_day_span *out)
{
    if (!s)
        return 0;
    /* "199X" a decade, "19XX" a century: TIMEX3 writes coarse years with X digits. */
    if (digits(s, 3) && s[3] == 'X' && s[4] == '\0') {
        int y = atoi((char[4]){s[0], s[1], s[2], 0}) * 10;
        year_span(y, y + 9, out);
        return 1;
    }
    if (digits(s, 2) && s[2] == 'X' && s[3] == 'X' && s[4] == '\0') {
        int y = atoi((char[3]){s[0], s[1], 0}) * 100;
        year_span(y, y + 99, out);
        return 1;
    }
    if (!digits(s, 4) || (s[4] != '\0' && s[4] != '-' && s[4] != 'T'))
        return 0;
    int y = atoi((char[5]){s[0], s[1], s[2], s[3], 0});
    if (s[4] != '-' || !digits(s + 5, 2)) {
        year_span(y, y, out);   /* "2015", "2015-SU", "2015-W12", "2015-Q3" */
        return 1;
    }
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12) {
        year_span(y, y, out);
        return 1;
    }
    if (s[7] == '-' && digits(s + 8, 2)) {
        int d = (s[8] - '0') * 10 + (s[9] - '0');
        if (d >= 1 && d <= days_in_month(y, m)) {
            out->first = out->last = qt_days_from_civil(y, m, d);
            out->gran = 'D';
            return 1;
        }
    }
    out->first = qt_days_from_civil(y, m, 1);
    out->last = qt_days_from_civil(y, m, days_in_month(y, m));
    out->gran = 'M';
    return 1;
}

char *qt_date_format(int32_t day, char gran, char *out, size_t cap)
{
    int y, m, d;
    qt_civil_from_days(day, &y, &m, &d);
    if (gran == 'D')
        snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
    else if (gran == 'M')
        snprintf(out, cap, "%04d-%02d", y, m);
    else
        snprintf(out, cap, "%04d", y);
    return out;
}

int qt_dates_latest_mention(const qt_time *t, size_t n, qt_day_span *out, size_t *which)
{
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        qt_day_span s;
        if (!t[i].type || (strcmp(t[i].type, "DATE") != 0 && strcmp(t[i].type, "TIME") != 0))
            continue;
        if (!qt_date_parse(t[i].value, &s))
            continue;
        /* The latest start: "the 1990s" bounds from 1990, not from 1999. Ties keep the finer
         * mention, whose evidence reads better ("2015-10-13" over "2015-10"). */
        if (!found || s.first > out->first || (s.first == out->first && s.last < out->last)) {
            *out = s;
            *which = i;
            found = 1;
        }
    }
    return found;
}

int qt_age_of(const qt_time *t, int *lo, int *hi)
{
    const char *v = t->value;
    if (!t->age_of || !v || v[0] != 'P')
        return 0;
    char *end = NULL;
    long n = strtol(v + 1, &end, 10);
    if (end == v + 1 || strcmp(end, "Y") != 0 || n < 0 || n > 150)
        return 0;
    *lo = *hi = (int)n;
    const char *mod = t->mod ? t->mod : "";
    if (!strcmp(mod, "LESS_THAN")) {
        *lo = *hi = (int)n - 1;          /* "almost 40": not yet 40 */
    } else if (!strcmp(mod, "EQUAL_OR_LESS")) {
        *lo = (int)n - 1;
    } else if (!strcmp(mod, "MORE_THAN")) {
        *lo = (int)n + 1;
        *hi = -1;
    } else if (!strcmp(mod, "EQUAL_OR_MORE")) {
        *hi = -1;
    } else if (!strcmp(mod, "APPROX")) {
        *lo = (int)n - 1;
        *hi = (int)n + 1;
    }
    if (*lo < 0)
        *lo = 0;
    return 1;
}

const qt_date_range *qt_dates_own(const qt_time *t, size_t n, qt_arena *a)
{
    qt_day_span s;
    size_t which = 0;
    if (!qt_dates_latest_mention(t, n, &s, &which))
        return NULL;
    char day[16], ev[40];
    qt_date_format(s.first, s.gran, day, sizeof day);
    snprintf(ev, sizeof ev, "mentions %s", day);
    qt_date_range *r = qt_arena_calloc(a, 1, sizeof *r);
    if (!r || !(r->from = qt_arena_strndup(a, day, strlen(day))) ||
        !(r->evidence = qt_arena_strndup(a, ev, strlen(ev))))
        return NULL;
    return r;
}

/* ---- the earliest carrier (qt_dates.h) -------------------------------------------------------- */

int32_t qt_date_first_day(const char *s)
{
    qt_day_span sp;
    return s && qt_date_parse(s, &sp) ? sp.first : QT_NO_DAY;
}

int32_t qt_dates_end(const char *s)
{
    qt_day_span sp;
    return s && qt_date_parse(s, &sp) ? sp.last : QT_NO_DAY;
}

int qt_date_range_cmp(const qt_date_range *a, const qt_date_range *b)
{
    int32_t fa = qt_date_first_day(a->from), fb = qt_date_first_day(b->from);
    if ((fa == QT_NO_DAY) != (fb == QT_NO_DAY))
        return fa == QT_NO_DAY ? 1 : -1;     /* a known start first */
    if (fa != fb)
        return fa < fb ? -1 : 1;
    int32_t ta = qt_dates_end(a->to), tb = qt_dates_end(b->to);
    if ((ta == QT_NO_DAY) != (tb == QT_NO_DAY))
        return ta == QT_NO_DAY ? 1 : -1;     /* open ends last */
    return (ta > tb) - (ta < tb);
}

int qt_dates_range_before(const qt_date_range *r, const char *published)
{
    int32_t to = r ? qt_dates_end(r->to) : QT_NO_DAY, p = qt_date_first_day(published);
    return to != QT_NO_DAY && p != QT_NO_DAY && to < p;
}

int qt_dates_usable(const qt_date_range *r)
{
    return r && (qt_date_first_day(r->from) != QT_NO_DAY || qt_dates_end(r->to) != QT_NO_DAY);
}
