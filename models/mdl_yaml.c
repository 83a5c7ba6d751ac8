/*
 * mdl_yaml.c - the YAML layer of the scenario loader: parsing a scenario
 * into libyaml's node tree, errors at a node as file:line:col, and
 * reading mappings by tables of key descriptors.
 *
 * libyaml's document API gives a node tree whose nodes carry their marks
 * (0-based line and column), so each check can point at the exact value;
 * an error at a node that a --set override touched quotes the override
 * instead (mdl_scenario_override.c).
 *
 * A mapping with fixed keys is read through its table of key descriptors
 * (mdl__yaml_walk()), which rejects an unknown key with the closest known
 * one suggested and checks each value's type and bounds; mappings keyed
 * by names (services) are walked by mdl__yaml_each_pair().
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "mdl_dist.h"
#include "mdl_dist_parse.h"
#include "mdl_hint.h"
#include "mdl_name.h"
#include "mdl_scenario_int.h"
#include "mdl_units.h"

/* Deepest nesting of collections in a scenario; a real one needs 5. */
#define YAML_DEPTH_MAX 64

int mdl__yaml_err(ctx *c, const yaml_node_t *n, int extra, const char *fmt,
                  ...)
{
    char msg[900];
    const char *o = n ? mdl__scenario_override_find(c, n) : NULL;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (o)
        return sim_diag_set(c->d, NULL, 0, 0, "in --set '%s': %s", o, msg);
    if (!n)
        return sim_diag_set(c->d, c->path, 0, 0, "%s", msg);
    return sim_diag_set(c->d, c->path, (int)n->start_mark.line + 1,
                        (int)n->start_mark.column + 1 + extra, "%s", msg);
}

const char *mdl__yaml_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:  return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    default:                 return "a value";
    }
}

const char *mdl__yaml_scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

const char *mdl__yaml_want_scalar(ctx *c, const yaml_node_t *n,
                                  const char *key)
{
    if (n->type != YAML_SCALAR_NODE) {
        mdl__yaml_err(c, n, 0, "'%s' must be a value, found %s", key,
                      mdl__yaml_kind(n));
        return NULL;
    }
    return mdl__yaml_scalar(n);
}

int mdl__yaml_quote_shift(const yaml_node_t *n)
{
    return n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
        || n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
}

int mdl__yaml_each_pair(ctx *c, yaml_node_t *m, const char *where,
                        pair_fn fn, void *arg)
{
    yaml_node_pair_t *p, *q;

    if (m->type != YAML_MAPPING_NODE)
        return mdl__yaml_err(c, m, 0, "%s must be a mapping, found %s", where,
                             mdl__yaml_kind(m));
    for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&c->doc, p->value);
        const char *key;
        int rc;

        if (k->type != YAML_SCALAR_NODE)
            return mdl__yaml_err(c, k, 0, "keys in %s must be names", where);
        key = mdl__yaml_scalar(k);
        for (q = m->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *kq = yaml_document_get_node(&c->doc, q->key);
            if (kq->type == YAML_SCALAR_NODE &&
                !strcmp(mdl__yaml_scalar(kq), key))
                return mdl__yaml_err(c, k, 0, "duplicate key '%s' in %s", key,
                                     where);
        }
        if ((rc = fn(c, key, k, v, arg)) != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

static int parse_time(ctx *c, yaml_node_t *v, const char *key, int positive,
                      double max, double *out);

/* What mdl__yaml_walk() hands to each pair. */
typedef struct walk_arg {
    const map_desc *md;
    const char *where;
    void *target;
} walk_arg;

static int table_pair(ctx *c, const char *key, yaml_node_t *k,
                      yaml_node_t *v, void *arg)
{
    const walk_arg *w = arg;
    const key_desc *kd = NULL;
    size_t i;

    for (i = 0; i < w->md->nkeys && !kd; i++)
        if (!strcmp(w->md->keys[i].name, key))
            kd = &w->md->keys[i];
    if (!kd) {
        const char *names[KEYS_MAX], *hint;

        for (i = 0; i < w->md->nkeys && i < KEYS_MAX; i++)
            names[i] = w->md->keys[i].name;
        hint = mdl_hint(key, names, i);
        if (hint)
            return mdl__yaml_err(c, k, 0, "unknown %s '%s' in %s; did you mean "
                                 "'%s'?", w->md->noun, key, w->where, hint);
        return mdl__yaml_err(c, k, 0, "unknown %s '%s' in %s", w->md->noun, key,
                             w->where);
    }
    if (kd->type == KEY_SET)
        return kd->set(c, key, k, v, w->target);
    return mdl__yaml_read_value(c, kd, v, w->target);
}

int mdl__yaml_read_value(ctx *c, const key_desc *kd, yaml_node_t *v,
                         void *target)
{
    const char *key = kd->name, *t;
    char *field = (char *)target + kd->off;
    long x;
    int rc;

    switch (kd->type) {
    case KEY_NODE:
        *(yaml_node_t **)field = v;
        return SIM_OK;
    case KEY_SET:
        return SIM_EINVAL;      /* table_pair() calls set() itself */
    case KEY_TIME:
        return parse_time(c, v, key, kd->lo_open, kd->hi, (double *)field);
    case KEY_LONG:
        return mdl__yaml_parse_long(c, v, key, (long)kd->lo, (long)kd->hi,
                                    (long *)field);
    case KEY_UNSIGNED:
        rc = mdl__yaml_parse_long(c, v, key, (long)kd->lo, (long)kd->hi, &x);
        if (rc == SIM_OK)
            *(unsigned *)field = (unsigned)x;
        return rc;
    case KEY_SEED: {
        char *end;
        if (!(t = mdl__yaml_want_scalar(c, v, key)))
            return SIM_EPARSE;
        errno = 0;
        *(uint64_t *)field = strtoull(t, &end, 10);
        if (end == t || *end || errno || *t == '-')
            return mdl__yaml_err(c, v, 0, "'%s' must be a non-negative "
                                 "integer, found '%s'", key, t);
        return SIM_OK;
    }
    case KEY_NUMBER: {
        char *end;
        double num;
        if (!(t = mdl__yaml_want_scalar(c, v, key)))
            return SIM_EPARSE;
        num = strtod(t, &end);
        if (end == t || *end || !(kd->lo_open ? num > kd->lo : num >= kd->lo)
            || !(num <= kd->hi))
            return mdl__yaml_err(c, v, 0, "'%s' must be a number %s %g and "
                                 "at most %g, found '%s'", key,
                                 kd->lo_open ? "above" : "of at least",
                                 kd->lo, kd->hi, t);
        *(double *)field = num;
        return SIM_OK;
    }
    case KEY_LEVEL: {
        char *end;
        double level;
        if (!(t = mdl__yaml_want_scalar(c, v, key)))
            return SIM_EPARSE;
        level = strtod(t, &end);
        if (end == t || *end || !(level > kd->lo && level < kd->hi))
            return mdl__yaml_err(c, v, 0, "'%s' must be a level between %g "
                                 "and %g such as 0.95, found '%s'", key,
                                 kd->lo, kd->hi, t);
        *(double *)field = level;
        return SIM_OK;
    }
    }
    return SIM_EINVAL;
}

int mdl__yaml_walk(ctx *c, yaml_node_t *m, const char *where,
                   const map_desc *md, void *target)
{
    walk_arg w = { md, where, target };

    return mdl__yaml_each_pair(c, m, where, table_pair, &w);
}

yaml_node_t *mdl__yaml_find(ctx *c, yaml_node_t *m, const char *key,
                            int want_key)
{
    yaml_node_pair_t *p;

    if (m->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
        if (k->type == YAML_SCALAR_NODE && !strcmp(mdl__yaml_scalar(k), key))
            return want_key ? k
                            : yaml_document_get_node(&c->doc, p->value);
    }
    return NULL;
}

yaml_node_t *mdl__yaml_lookup(ctx *c, yaml_node_t *m, const char *key)
{
    return mdl__yaml_find(c, m, key, 0);
}

/* ---- number parsing ---- */

int mdl__yaml_parse_long(ctx *c, yaml_node_t *v, const char *key, long min,
                         long max, long *out)
{
    const char *t = mdl__yaml_want_scalar(c, v, key);
    char *end;
    long x;

    if (!t)
        return SIM_EPARSE;
    errno = 0;
    x = strtol(t, &end, 10);
    if (end == t || *end || (errno && errno != ERANGE))
        return mdl__yaml_err(c, v, 0, "'%s' must be an integer, found '%s'",
                             key, t);
    if (errno == ERANGE || x < min || x > max)
        return mdl__yaml_err(c, v, 0, "'%s' must be between %ld and %ld, "
                             "found '%s'", key, min, max, t);
    *out = x;
    return SIM_OK;
}

static int parse_time(ctx *c, yaml_node_t *v, const char *key, int positive,
                      double max, double *out)
{
    const char *t = mdl__yaml_want_scalar(c, v, key);

    if (!t)
        return SIM_EPARSE;
    if (mdl_parse_time(t, out) != SIM_OK)
        return mdl__yaml_err(c, v, 0, "'%s' must be a time such as 10m, 30s or "
                             "250ms, found '%s'", key, t);
    if (*out < 0 || (positive && *out == 0))
        return mdl__yaml_err(c, v, 0, "'%s' must be %s, found '%s'", key,
                             positive ? "positive" : "zero or positive", t);
    if (*out > max)
        return mdl__yaml_err(c, v, 0, "'%s' must be at most %.0f s (about %.0f "
                             "years), found '%s'", key, max, max / 31557600, t);
    return SIM_OK;
}

int mdl__yaml_parse_dist(ctx *c, yaml_node_t *v, const char *key,
                         mdl_dist *out)
{
    const char *t = mdl__yaml_want_scalar(c, v, key);
    char err[512];
    int col = 1;

    if (!t)
        return SIM_EPARSE;
    if (mdl_dist_parse(out, t, c->s->dir, err, sizeof err, &col) != SIM_OK)
        return mdl__yaml_err(c, v, mdl__yaml_quote_shift(v) + col - 1,
                             "'%s': %s", key, err);
    return SIM_OK;
}

int mdl__yaml_check_name(ctx *c, yaml_node_t *v, const char *what,
                         const char *name, int file)
{
    const char *why = mdl_name_problem(name, file);
    char shown[256];

    if (!why)
        return SIM_OK;
    mdl_name_show(shown, sizeof shown, name);
    return mdl__yaml_err(c, v, 0, "%s '%s' %s", what, shown, why);
}

/* Report the parser's error as malformed YAML; SIM_ENOMEM for libyaml's
 * own allocation failures. */
static int yaml_failed(ctx *c, const yaml_parser_t *p)
{
    yaml_mark_t m = p->problem_mark;

    if (p->error == YAML_MEMORY_ERROR)
        return SIM_ENOMEM;
    return sim_diag_set(c->d, c->path, (int)m.line + 1, (int)m.column + 1,
                        "malformed YAML: %s%s%s",
                        p->problem ? p->problem : "syntax error",
                        p->context ? " " : "",
                        p->context ? p->context : "");
}

/* Check the events of text before libyaml builds its tree: nesting at
 * most YAML_DEPTH_MAX deep and one document. libyaml's scanner keeps a
 * list of the open collections and looks at all of them for every token,
 * so a million '[' took minutes; here the 65th stops it at once. */
static int check_events(ctx *c, const char *text, size_t len)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int depth = 0, docs = 0, rc = SIM_OK, done = 0;

    if (!yaml_parser_initialize(&p))
        return SIM_ENOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    while (!done && rc == SIM_OK) {
        if (!yaml_parser_parse(&p, &ev)) {
            rc = yaml_failed(c, &p);
            break;
        }
        switch (ev.type) {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > YAML_DEPTH_MAX)
                rc = sim_diag_set(c->d, c->path,
                                  (int)ev.start_mark.line + 1,
                                  (int)ev.start_mark.column + 1,
                                  "YAML nested deeper than %d levels",
                                  YAML_DEPTH_MAX);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = sim_diag_set(c->d, c->path,
                                  (int)ev.start_mark.line + 1,
                                  (int)ev.start_mark.column + 1,
                                  "a second YAML document starts here; a "
                                  "scenario file holds one");
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

int mdl__yaml_parse(ctx *c, const char *text, size_t len)
{
    yaml_parser_t parser;
    int rc = check_events(c, text, len);

    if (rc != SIM_OK)
        return rc;
    if (!yaml_parser_initialize(&parser))
        return SIM_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &c->doc))
        rc = yaml_failed(c, &parser);
    yaml_parser_delete(&parser);
    return rc;
}
