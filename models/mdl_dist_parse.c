/*
 * mdl_dist_parse.c - read the distribution syntax of mdl_dist_parse.h.
 *
 * Parsing is a small hand-written recursive descent over the text,
 *
 *   dist  := ws name ws '(' ws [arg ws {',' ws arg ws}] ')' ws END
 *   arg   := key ws '=' ws value | value
 *   value := '"' any-but-quote '"' | run of characters up to ',' or ')'
 *
 * with times, rates and plain numbers read by mdl_units.h. Every token is
 * kept as a pointer into the caller's text, so any error can name the
 * token and its 1-based column. Parameters are checked in two steps: each
 * one by itself as it is read (known name, not a duplicate, right unit),
 * then the set of them against the distribution's "forms", the parameter
 * sets it accepts (pareto takes {mean, shape} or {scale, shape}). A
 * parameter that fits no form together with the earlier ones is a
 * conflict; a set that is a strict subset of a form is missing parameters.
 * The values themselves (positive, in range, the sample file) are checked
 * by the parametrisations of mdl_dist_build.c, through mdl__dist_build().
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../sim/sim_err.h"
#include "mdl_dist.h"
#include "mdl_dist_int.h"
#include "mdl_dist_parse.h"
#include "mdl_hint.h"
#include "mdl_units.h"

/* ------------------------------------------------------------------ */
/* Error reporting                                                      */
/* ------------------------------------------------------------------ */

int mdl__dist_blame(parser *ps, const char *at)
{
    if (ps->err_col)
        *ps->err_col = at ? (int)(at - ps->text) + 1 : 1;
    return SIM_EPARSE;
}

int mdl__dist_vfail(parser *ps, const char *at, const char *fmt, va_list ap)
{
    if (ps->err && ps->errlen > 0)
        vsnprintf(ps->err, ps->errlen, fmt, ap);
    return mdl__dist_blame(ps, at);
}

static const char *skip_ws(const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    return s;
}

static const char *scan_word(const char *s, const char *e)
{
    while (s < e && (isalnum((unsigned char)*s) || *s == '_'))
        s++;
    return s;
}

/* ------------------------------------------------------------------ */
/* Distribution table                                                   */
/* ------------------------------------------------------------------ */

static const dist_spec specs[] = {
    {"exp", MDL_DIST_EXP, 2, {"mean", "rate"}, {1, 2}, 1, {0}},
    {"poisson", MDL_DIST_EXP, 2, {"rate", "mean"}, {1, 2}, 0, {0}},
    {"det", MDL_DIST_DET, 1, {"value"}, {1}, 1, {0}},
    {"uniform", MDL_DIST_UNIFORM, 2, {"min", "max"}, {3}, 2, {0, 1}},
    {"erlang", MDL_DIST_ERLANG, 2, {"k", "mean"}, {3}, 0, {0}},
    {"hyperexp", MDL_DIST_HYPEREXP, 2, {"mean", "cv"}, {3}, 0, {0}},
    {"lognormal", MDL_DIST_LOGNORMAL, 2, {"mean", "cv"}, {3}, 0, {0}},
    {"pareto", MDL_DIST_PARETO, 3, {"mean", "scale", "shape"}, {5, 6}, 0,
     {0}},
    {"gamma", MDL_DIST_GAMMA, 4, {"mean", "cv", "shape", "scale"}, {3, 12},
     0, {0}},
    {"weibull", MDL_DIST_WEIBULL, 3, {"mean", "shape", "scale"}, {3, 6}, 0,
     {0}},
    {"empirical", MDL_DIST_EMPIRICAL, 2, {"file", "column"}, {1, 3}, 0, {0}},
};

#define NSPECS (sizeof specs / sizeof specs[0])

/* What a parameter measures: a quantity of mdl_units.h, or text. */
typedef enum qty {
    QTY_TIME = MDL_UNITS_TIME, QTY_RATE = MDL_UNITS_RATE,
    QTY_NUMBER = MDL_UNITS_NUMBER, QTY_TEXT
} qty;

/* What a parameter name measures; the same name means the same thing in
 * every distribution. */
static qty param_qty(const char *name)
{
    static const struct {
        const char *name;
        qty q;
    } tab[] = {
        {"mean", QTY_TIME}, {"value", QTY_TIME}, {"min", QTY_TIME},
        {"max", QTY_TIME}, {"scale", QTY_TIME}, {"rate", QTY_RATE},
        {"k", QTY_NUMBER}, {"cv", QTY_NUMBER}, {"shape", QTY_NUMBER},
        {"file", QTY_TEXT}, {"column", QTY_TEXT}
    };
    size_t i;

    for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(tab[i].name, name) == 0)
            return tab[i].q;
    assert(!"parameter missing from param_qty()");
    return QTY_TEXT;
}

/* ------------------------------------------------------------------ */
/* The parser                                                           */
/* ------------------------------------------------------------------ */

static const char *scan_ident(const char *s, const char *e)
{
    if (s < e && (isalpha((unsigned char)*s) || *s == '_'))
        s = scan_word(s + 1, e);
    return s;
}

/* Read one value token at s: a quoted string or everything up to the next
 * ',' or ')' (trailing white space dropped). */
static int parse_value(parser *ps, const char *s, const char *e, arg *a,
                       const char **next)
{
    const char *q, *t;

    if (s < e && *s == '"') {
        q = memchr(s + 1, '"', (size_t)(e - s - 1));
        if (!q)
            return fail(ps, s, "unterminated quoted value '%.*s'",
                        span(s, e), s);
        a->tok = s;
        a->tok_end = q + 1;
        a->s = s + 1;
        a->e = q;
        *next = q + 1;
        return SIM_OK;
    }
    for (t = s; t < e && *t != ',' && *t != ')'; t++)
        ;
    *next = t;
    while (t > s && isspace((unsigned char)t[-1]))
        t--;
    if (t == s)
        return fail(ps, s, "missing value before '%.*s'",
                    s < e ? 1 : 0, s);
    a->tok = a->s = s;
    a->tok_end = a->e = t;
    return SIM_OK;
}

/* Parse [s, e) of ps->text as a quantity of kind k into *out. */
static int parse_quantity(parser *ps, const char *s, const char *e, qty k,
                          double *out)
{
    const char *at = NULL;

    if (mdl_units_parse(s, e, (mdl_units_kind)k, out, ps->err, ps->errlen,
                        &at) != SIM_OK)
        return mdl__dist_blame(ps, at);
    return SIM_OK;
}

/* Parse one argument at *pp, named or the npos-th positional value, and
 * set *which to its index in the spec. At most nparams arguments get
 * here: one more is a duplicate or an extra positional value. */
static int parse_arg(parser *ps, call *c, const char **pp, const char *e,
                     int *npos, int *which)
{
    const dist_spec *sp = c->spec;
    const char *s = *pp, *ke, *eq, *cand;
    arg tmp;
    int i, rc;

    memset(&tmp, 0, sizeof tmp);
    ke = scan_ident(s, e);
    eq = skip_ws(ke, e);
    if (ke > s && eq < e && *eq == '=') {
        for (i = 0; i < sp->nparams; i++)
            if (strlen(sp->params[i]) == (size_t)(ke - s)
                && memcmp(sp->params[i], s, (size_t)(ke - s)) == 0)
                break;
        if (i == sp->nparams) {
            cand = mdl_hint_n(s, (size_t)(ke - s), sp->params,
                              (size_t)sp->nparams);
            if (cand)
                return fail(ps, s, "unknown parameter '%.*s' of %s; did "
                            "you mean '%s'?", span(s, ke), s, sp->name,
                            cand);
            return fail(ps, s, "unknown parameter '%.*s' of %s",
                        span(s, ke), s, sp->name);
        }
        if (c->a[i].set)
            return fail(ps, s, "duplicate parameter '%.*s'", span(s, ke), s);
        tmp.key = s;
        c->named = 1;
        s = skip_ws(eq + 1, e);
    } else {
        if ((rc = parse_value(ps, s, e, &tmp, pp)) != SIM_OK)
            return rc;
        if (c->named)
            return fail(ps, s, "positional value '%.*s' after a named "
                        "parameter", span(tmp.tok, tmp.tok_end), s);
        if (*npos >= sp->npositional) {
            if (sp->npositional == 0)
                return fail(ps, s, "%s takes only named parameters "
                            "(such as %s=...), found '%.*s'", sp->name,
                            sp->params[0], span(tmp.tok, tmp.tok_end), s);
            return fail(ps, s, "too many values for %s at '%.*s'",
                        sp->name, span(tmp.tok, tmp.tok_end), s);
        }
        i = sp->positional[(*npos)++];
    }
    if (tmp.key && (rc = parse_value(ps, s, e, &tmp, pp)) != SIM_OK)
        return rc;
    if (param_qty(sp->params[i]) != QTY_TEXT
        && (rc = parse_quantity(ps, tmp.s, tmp.e, param_qty(sp->params[i]),
                                &tmp.x)) != SIM_OK)
        return rc;
    tmp.set = 1;
    c->a[i] = tmp;
    *which = i;
    return SIM_OK;
}

/* Check the given parameters against the forms of c's distribution: each
 * one, in the order written, must fit some form together with those before
 * it, and all of them must make up a whole form. */
static int check_forms(parser *ps, const call *c, const int order[],
                       int norder)
{
    const dist_spec *sp = c->spec;
    unsigned have = 0, bit;
    int i, j, f, fits;

    for (j = 0; j < norder; j++) {
        i = order[j];
        bit = 1u << i;
        for (fits = 0, f = 0; f < MAX_FORMS && sp->forms[f]; f++)
            if (((have | bit) & ~sp->forms[f]) == 0)
                fits = 1;
        if (!fits) {
            const char *other = "";
            int o;

            for (o = 0; o < sp->nparams; o++)
                if (have & (1u << o)) {
                    other = sp->params[o];
                    break;
                }
            return fail(ps, c->a[i].key ? c->a[i].key : c->a[i].tok,
                        "parameter '%s' conflicts with '%s' in %s",
                        sp->params[i], other, sp->name);
        }
        have |= bit;
    }
    for (f = 0; f < MAX_FORMS && sp->forms[f]; f++) {
        if ((have & ~sp->forms[f]) != 0)
            continue;
        if (have == sp->forms[f])
            return SIM_OK;
        for (i = 0; i < sp->nparams; i++)
            if ((sp->forms[f] & ~have) & (1u << i))
                return fail(ps, c->close, "missing parameter '%s' of %s",
                            sp->params[i], sp->name);
    }
    assert(!"every prefix fits a form");
    return SIM_EPARSE;
}

static int parse_dist(parser *ps, mdl_dist *d, const char *base_dir)
{
    const char *t = ps->text, *e = t + strlen(t), *s, *ne, *cand;
    int order[MAX_PARAMS];
    const char *names[NSPECS];
    call c;
    size_t i;
    int npos = 0, norder = 0, rc;

    memset(&c, 0, sizeof c);
    while (e > t && isspace((unsigned char)e[-1]))
        e--;
    s = skip_ws(t, e);
    if (s == e)
        return fail(ps, s, "empty distribution");
    ne = scan_ident(s, e);
    if (ne == s)
        return fail(ps, s, "expected a distribution name, found '%.*s'",
                    span(s, e), s);
    for (i = 0; i < NSPECS; i++) {
        names[i] = specs[i].name;
        if (strlen(specs[i].name) == (size_t)(ne - s)
            && memcmp(specs[i].name, s, (size_t)(ne - s)) == 0)
            c.spec = &specs[i];
    }
    if (!c.spec) {
        cand = mdl_hint_n(s, (size_t)(ne - s), names, NSPECS);
        if (cand)
            return fail(ps, s, "unknown distribution '%.*s'; did you mean "
                        "'%s'?", span(s, ne), s, cand);
        return fail(ps, s, "unknown distribution '%.*s'", span(s, ne), s);
    }
    s = skip_ws(ne, e);
    if (s == e || *s != '(')
        return fail(ps, s, "expected '(' after '%.*s'%s%.*s%s",
                    span(t, ne), t, s < e ? ", found '" : "",
                    span(s, e), s, s < e ? "'" : "");
    s = skip_ws(s + 1, e);
    if (s < e && *s != ')') {
        for (;;) {
            if ((rc = parse_arg(ps, &c, &s, e, &npos,
                                &order[norder++])) != SIM_OK)
                return rc;
            s = skip_ws(s, e);
            if (s < e && *s == ',') {
                s = skip_ws(s + 1, e);
                continue;
            }
            if (s < e && *s == ')')
                break;
            if (s == e)
                return fail(ps, s, "missing ')' at the end of '%.*s'",
                            span(t, e), t);
            return fail(ps, s, "unexpected '%.*s'; expected ',' or ')'",
                        span(s, e), s);
        }
    }
    if (s == e)
        return fail(ps, s, "missing ')' at the end of '%.*s'", span(t, e),
                    t);
    c.close = s;
    s = skip_ws(s + 1, e);
    if (s < e)
        return fail(ps, s, "unexpected '%.*s' after ')'", span(s, e), s);
    if ((rc = check_forms(ps, &c, order, norder)) != SIM_OK)
        return rc;
    return mdl__dist_build(ps, &c, base_dir, d);
}

int mdl_dist_parse(mdl_dist *d, const char *text, const char *base_dir,
                   char *err, size_t errlen, int *err_col)
{
    parser ps = {text, err, errlen, err_col};
    int rc;

    memset(d, 0, sizeof *d);
    if (err && errlen > 0)
        err[0] = '\0';
    if (err_col)
        *err_col = 0;
    rc = parse_dist(&ps, d, base_dir);
    /* Every parametrisation checks its own parameters; this catches what
     * slips between them, such as empirical samples near DBL_MAX whose
     * sum or squares overflow. Only pareto may have an infinite scv. */
    if (rc == SIM_OK && (!isfinite(d->mean) || isnan(d->scv) ||
                         (d->kind != MDL_DIST_PARETO && !isfinite(d->scv))))
        rc = fail(&ps, text, "'%s' gives a mean or variance out of range",
                  text);
    if (rc != SIM_OK) {
        mdl_dist_destroy(d);
        if (rc == SIM_ENOMEM)
            fail(&ps, NULL, "out of memory");
    }
    return rc;
}
