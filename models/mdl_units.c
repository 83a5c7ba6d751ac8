/*
 * mdl_units.c - read the times, rates and plain numbers of mdl_units.h.
 *
 * A quantity is a number read by strtod(), then an optional unit looked
 * up in a small table. Sub-second units divide rather than multiply, so
 * that "5ms" is the double nearest 0.005. Every error names the bad part
 * of the text and points at it, so that the distribution parser
 * (mdl_dist_parse.c) can give its column.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_err.h"
#include "mdl_units.h"

/* Where the errors of one parse go; any field may be NULL or 0. */
typedef struct report {
    char *err;
    size_t errlen;
    const char **err_at;
} report;

/* Record an error at position at and return SIM_EPARSE. */
static int fail(report *rp, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(report *rp, const char *at, const char *fmt, ...)
{
    va_list ap;

    if (rp->err && rp->errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(rp->err, rp->errlen, fmt, ap);
        va_end(ap);
    }
    if (rp->err_at)
        *rp->err_at = at;
    return SIM_EPARSE;
}

/* Length of [s, e) as the int that "%.*s" wants. */
static int span(const char *s, const char *e)
{
    return (int)(e - s);
}

static const char *skip_ws(const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    return s;
}

/* A unit multiplies by mul and divides by div. Sub-second units divide,
 * so that "5ms" is 5/1000, the double nearest 0.005, not 5 * 0.001. */
typedef struct unit {
    const char *name;
    double mul, div;
} unit;

static const unit time_units[] = {
    {"s", 1, 1}, {"ms", 1, 1e3}, {"us", 1, 1e6}, {"m", 60, 1}, {"h", 3600, 1}
};

/* Seconds per unit of a rate's denominator: x/m = x/60 per second. */
static const unit rate_units[] = {
    {"s", 1, 1}, {"m", 1, 60}, {"h", 1, 3600}
};

static const unit *find_unit(const unit *units, size_t n, const char *s,
                             const char *e)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strlen(units[i].name) == (size_t)(e - s)
            && memcmp(units[i].name, s, (size_t)(e - s)) == 0)
            return &units[i];
    return NULL;
}

static const char *scan_word(const char *s, const char *e)
{
    while (s < e && (isalnum((unsigned char)*s) || *s == '_'))
        s++;
    return s;
}

/* The value must be finite; its sign is for the caller to check. */
int mdl_units_parse(const char *s, const char *e, mdl_units_kind k,
                    double *out, char *err, size_t errlen,
                    const char **err_at)
{
    report rp = {err, errlen, err_at};
    const char *num, *u, *w;
    const unit *un = NULL;
    char *q;
    double x;

    num = skip_ws(s, e);
    while (e > num && isspace((unsigned char)e[-1]))
        e--;
    if (num == e)
        return fail(&rp, num, "missing value");
    /* strtod() stops at ',', ')', '"' and white space, so it never runs
     * past e even though [s, e) is not NUL-terminated. */
    x = strtod(num, &q);
    if (q == num || q > e)
        return fail(&rp, num, "expected a number, found '%.*s'", span(num, e),
                    num);
    /* strtod() also reads "inf", "nan" and hex floats; a value in a
     * scenario file is a plain decimal. */
    if (strspn(num, "0123456789+-.eE") < (size_t)(q - num))
        return fail(&rp, num, "expected a decimal number, found '%.*s'",
                    span(num, e), num);
    if (!isfinite(x))
        return fail(&rp, num, "value must be finite, found '%.*s'",
                    span(num, q), num);
    u = skip_ws(q, e);
    if (u < e) {
        if (k == MDL_UNITS_NUMBER)
            return fail(&rp, u, "unexpected '%.*s' after number; a plain "
                        "number is expected", span(u, e), u);
        if (k == MDL_UNITS_RATE) {
            if (*u == '/')
                u = skip_ws(u + 1, e);
            w = scan_word(u, e);
            if (w == u)
                return fail(&rp, u, "missing rate unit in '%.*s'; expected "
                            "/s, /m or /h", span(num, e), num);
            un = find_unit(rate_units, 3, u, w);
            if (!un)
                return fail(&rp, u, "unknown rate unit '%.*s'; expected "
                            "/s, /m or /h", span(u, w), u);
        } else {
            w = scan_word(u, e);
            if (w == u)
                return fail(&rp, u, "unexpected '%.*s' after number; "
                            "expected a time unit", span(u, e), u);
            un = find_unit(time_units, 5, u, w);
            if (!un)
                return fail(&rp, u, "unknown time unit '%.*s'; expected "
                            "s, ms, us, m or h", span(u, w), u);
        }
        u = skip_ws(w, e);
        if (u < e)
            return fail(&rp, u, "unexpected '%.*s' after '%.*s'", span(u, e),
                        u, span(num, w), num);
        x = x * un->mul / un->div;
        if (!isfinite(x))
            return fail(&rp, num, "value must be finite, found '%.*s'",
                        span(num, e), num);
    }
    *out = x;
    return SIM_OK;
}

int mdl_parse_time(const char *text, double *seconds)
{
    return mdl_units_parse(text, text + strlen(text), MDL_UNITS_TIME,
                           seconds, NULL, 0, NULL);
}

int mdl_parse_rate(const char *text, double *per_second)
{
    return mdl_units_parse(text, text + strlen(text), MDL_UNITS_RATE,
                           per_second, NULL, 0, NULL);
}
