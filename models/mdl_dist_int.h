/*
 * mdl_dist_int.h - what the distribution parser (mdl_dist_parse.c) hands
 * to the parametrisations (mdl_dist_build.c): the text being parsed,
 * where its errors go, and one distribution call with its arguments as
 * written. Nothing outside these two files includes it.
 *
 * Every pointer in an arg or a call points into parser.text, so that an
 * error can name the token and give its 1-based column.
 */
#ifndef MDL_DIST_INT_H
#define MDL_DIST_INT_H
#include <stdarg.h>
#include <stddef.h>
#include "mdl_dist.h"

/* The text being parsed and where its errors go. err and err_col may be
 * NULL (the caller wants no message). */
typedef struct parser {
    const char *text;
    char *err;
    size_t errlen;
    int *err_col;
} parser;

#define MAX_PARAMS 4
#define MAX_FORMS 3

/* One distribution name: its parameters, the sets of them it accepts
 * (bit i = params[i]), and which parameters positional values fill. */
typedef struct dist_spec {
    const char *name;
    mdl_dist_kind kind;
    int nparams;
    const char *params[MAX_PARAMS];
    unsigned forms[MAX_FORMS];          /* 0-terminated */
    int npositional;
    int positional[2];                  /* indices into params */
} dist_spec;

/* One parameter as written: tok is the whole value token (with quotes) for
 * columns and messages, [s, e) its content. */
typedef struct arg {
    int set;
    const char *key;        /* the key, or NULL when positional */
    const char *tok, *tok_end;
    const char *s, *e;
    double x;               /* the value, for numeric parameters */
} arg;

/* One distribution as written: its table entry and its arguments, in the
 * order of spec->params. */
typedef struct call {
    const dist_spec *spec;
    arg a[MAX_PARAMS];
    const char *close;      /* the ')' */
    int named;              /* a named parameter has been read */
} call;

/* Point the error whose message is already in ps->err at position at
 * (inside ps->text; NULL: unknown) and return SIM_EPARSE. */
int mdl__dist_blame(parser *ps, const char *at);
/* Write the message fmt into ps->err, point it at at as
 * mdl__dist_blame() does and return SIM_EPARSE. */
int mdl__dist_vfail(parser *ps, const char *at, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Record an error at position at (inside ps->text) and return SIM_EPARSE:
 * mdl__dist_vfail() for the two files' many messages. */
static inline int fail(parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline int fail(parser *ps, const char *at, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = mdl__dist_vfail(ps, at, fmt, ap);
    va_end(ap);
    return rc;
}

/* Length of [s, e) as the int that "%.*s" wants. */
static inline int span(const char *s, const char *e)
{
    return (int)(e - s);
}
/* Check the arguments of c, which fit a whole form of c->spec, and set d
 * from them: kind, mean, scv and the sampler's parameters. base_dir
 * resolves a relative empirical file. Returns SIM_OK; SIM_EPARSE through
 * ps; or SIM_ENOMEM. */
int mdl__dist_build(parser *ps, const call *c, const char *base_dir,
                    mdl_dist *d);

#endif /* MDL_DIST_INT_H */
