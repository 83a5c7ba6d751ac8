/*
 * mdl_units.h - numbers with units, as written in scenario and topology
 * files and inside distributions (mdl_dist_parse.h): times, rates and
 * plain numbers.
 *
 *   time  := number ws [s | ms | us | m | h]      a bare number is seconds
 *   rate  := number ws ['/' ws (s | m | h)]       a bare number is per second
 *
 * m is minutes and h hours. A number is a plain decimal as strtod() reads
 * it (no "inf", "nan" or hex floats); the value after its unit must be
 * finite. The sign is for the caller to check. Every time comes out in
 * seconds and every rate in events per second.
 */
#ifndef MDL_UNITS_H
#define MDL_UNITS_H
#include <stddef.h>

/* What a quantity measures, and so which units it takes. */
typedef enum mdl_units_kind {
    MDL_UNITS_TIME,     /* s, ms, us, m, h */
    MDL_UNITS_RATE,     /* /s, /m, /h */
    MDL_UNITS_NUMBER    /* no unit */
} mdl_units_kind;

/* Parse [s, e), a part of a NUL-terminated string, as a quantity of the
 * given kind into *out (s or 1/s). White space around it is allowed.
 * Returns SIM_OK, or SIM_EPARSE with a message (lower case, quoting the
 * bad part) in err (NULL: none) and *err_at (NULL: not wanted) pointing
 * at the bad part inside [s, e]. */
int mdl_units_parse(const char *s, const char *e, mdl_units_kind kind,
                    double *out, char *err, size_t errlen,
                    const char **err_at);

/* Parse a time value such as "5ms", "2.5", "1m" into seconds.
 * Returns SIM_OK or SIM_EPARSE (value must be finite; sign is checked by
 * the caller). */
int mdl_parse_time(const char *text, double *seconds);
/* Parse a rate such as "200/s", "30/m", "12.5" into events per second. */
int mdl_parse_rate(const char *text, double *per_second);

#endif /* MDL_UNITS_H */
