/*
 * mdl_scenario.c - the scenario loader.
 *
 * libyaml's document API gives a node tree whose nodes carry their marks
 * (0-based line and column), so each check can point at the exact value.
 * Overrides from the command line edit that tree before it is read: an
 * existing scalar gets its value replaced, missing keys are appended as
 * new nodes. Nodes touched by an override are remembered so that an error
 * in one quotes the override instead of a file position that would not
 * contain the bad value.
 *
 * Reading is one pass over the tree, one function per block. A mapping
 * with fixed keys is read through its table of key descriptors (walk()),
 * which rejects an unknown key with the closest known one suggested and
 * checks each value's type and bounds; mappings keyed by names (services)
 * are walked by each_pair().
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>
#include "../sim/sim_stat.h"
#include "mdl_hint.h"
#include "mdl_input.h"
#include "mdl_name.h"
#include "mdl_dist_parse.h"
#include "mdl_scenario.h"
#include "mdl_units.h"

/* Deepest nesting of collections in a scenario; a real one needs 5. */
#define YAML_DEPTH_MAX 64

typedef struct override {
    int node;               /* node index (1-based, as libyaml counts) */
    const char *text;       /* the --set argument, borrowed */
} override;

typedef struct ctx {
    yaml_document_t doc;
    const char *path;
    override *ovr;
    size_t novr;
    sim_diag *d;
    mdl_scenario *s;
} ctx;

#define NKEYS(a) (sizeof(a) / sizeof(a)[0])

static int node_index(ctx *c, const yaml_node_t *n)
{
    return (int)(n - c->doc.nodes.start) + 1;
}

static const char *override_of(ctx *c, const yaml_node_t *n)
{
    size_t i;
    int idx = node_index(c, n);

    for (i = 0; i < c->novr; i++)
        if (c->ovr[i].node == idx)
            return c->ovr[i].text;
    return NULL;
}

/* Report an error at node n, shifted by extra columns (for a position
 * inside a scalar). Returns SIM_EPARSE. */
static int err_at(ctx *c, const yaml_node_t *n, int extra, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));
static int err_at(ctx *c, const yaml_node_t *n, int extra, const char *fmt,
                  ...)
{
    char msg[900];
    const char *o = n ? override_of(c, n) : NULL;
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

static const char *node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:  return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    default:                 return "a value";
    }
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* Text of a scalar value for key, or NULL after reporting the error. */
static const char *want_scalar(ctx *c, const yaml_node_t *n, const char *key)
{
    if (n->type != YAML_SCALAR_NODE) {
        err_at(c, n, 0, "'%s' must be a value, found %s", key, node_kind(n));
        return NULL;
    }
    return scalar(n);
}

/* Column offset of a scalar's first character past its opening quote. */
static int quote_shift(const yaml_node_t *n)
{
    return n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
        || n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
}

/*
 * Walk the pairs of mapping m, described by where in messages (a key
 * that is not a name, or given twice, is an error), calling fn on each.
 */
typedef int (*pair_fn)(ctx *c, const char *key, yaml_node_t *k,
                       yaml_node_t *v, void *arg);

static int each_pair(ctx *c, yaml_node_t *m, const char *where, pair_fn fn,
                     void *arg)
{
    yaml_node_pair_t *p, *q;

    if (m->type != YAML_MAPPING_NODE)
        return err_at(c, m, 0, "%s must be a mapping, found %s", where,
                      node_kind(m));
    for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&c->doc, p->value);
        const char *key;
        int rc;

        if (k->type != YAML_SCALAR_NODE)
            return err_at(c, k, 0, "keys in %s must be names", where);
        key = scalar(k);
        for (q = m->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *kq = yaml_document_get_node(&c->doc, q->key);
            if (kq->type == YAML_SCALAR_NODE && !strcmp(scalar(kq), key))
                return err_at(c, k, 0, "duplicate key '%s' in %s", key,
                              where);
        }
        if ((rc = fn(c, key, k, v, arg)) != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/*
 * A mapping with fixed keys is described by a table, one descriptor per
 * key: its name, the type of its value with its bounds, and where the
 * value goes in the mapping's target (a struct the reader passes in).
 * walk() reads the mapping by its table: an unknown key is an error with
 * the closest known key suggested, a value of the wrong type or out of
 * bounds an error at the value. Keys whose meaning depends on the others
 * (a workload's entry and mix) keep their node, for the reader to check
 * once the whole mapping is known.
 */
typedef enum {
    KEY_NODE,           /* the value's node, into a yaml_node_t * */
    KEY_TIME,           /* a time in s, at most hi and at least lo, or
                           above lo when lo_open, into a double */
    KEY_LONG,           /* an integer in [lo, hi], into a long */
    KEY_UNSIGNED,       /* an integer in [lo, hi], into an unsigned */
    KEY_SEED,           /* a non-negative integer, into a uint64_t */
    KEY_LEVEL,          /* a number in (lo, hi), ends excluded, into a
                           double */
    KEY_SET             /* read by set(), given the target */
} key_type;

typedef struct key_desc {
    const char *name;
    key_type type;
    double lo, hi;
    int lo_open;
    size_t off;         /* of the field in the target */
    pair_fn set;        /* KEY_SET */
} key_desc;

typedef struct map_desc {
    const char *noun;   /* what an unknown key is called: "key" */
    const key_desc *keys;
    size_t nkeys;
} map_desc;

#define MAP(noun, keys) { (noun), (keys), NKEYS(keys) }
#define KEYS_MAX 16     /* the longest table */

static int parse_long(ctx *c, yaml_node_t *v, const char *key, long min,
                      long max, long *out);
static int parse_time(ctx *c, yaml_node_t *v, const char *key, int positive,
                      double max, double *out);

/* What walk() hands to each pair. */
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
    char *field;
    const char *t;
    size_t i;
    long x;
    int rc;

    for (i = 0; i < w->md->nkeys && !kd; i++)
        if (!strcmp(w->md->keys[i].name, key))
            kd = &w->md->keys[i];
    if (!kd) {
        const char *names[KEYS_MAX], *hint;

        for (i = 0; i < w->md->nkeys && i < KEYS_MAX; i++)
            names[i] = w->md->keys[i].name;
        hint = mdl_hint(key, names, i);
        if (hint)
            return err_at(c, k, 0, "unknown %s '%s' in %s; did you mean "
                          "'%s'?", w->md->noun, key, w->where, hint);
        return err_at(c, k, 0, "unknown %s '%s' in %s", w->md->noun, key,
                      w->where);
    }
    field = (char *)w->target + kd->off;
    switch (kd->type) {
    case KEY_NODE:
        *(yaml_node_t **)field = v;
        return SIM_OK;
    case KEY_SET:
        return kd->set(c, key, k, v, w->target);
    case KEY_TIME:
        return parse_time(c, v, key, kd->lo_open, kd->hi, (double *)field);
    case KEY_LONG:
        return parse_long(c, v, key, (long)kd->lo, (long)kd->hi,
                          (long *)field);
    case KEY_UNSIGNED:
        rc = parse_long(c, v, key, (long)kd->lo, (long)kd->hi, &x);
        if (rc == SIM_OK)
            *(unsigned *)field = (unsigned)x;
        return rc;
    case KEY_SEED: {
        char *end;
        if (!(t = want_scalar(c, v, key)))
            return SIM_EPARSE;
        errno = 0;
        *(uint64_t *)field = strtoull(t, &end, 10);
        if (end == t || *end || errno || *t == '-')
            return err_at(c, v, 0, "'%s' must be a non-negative integer, "
                          "found '%s'", key, t);
        return SIM_OK;
    }
    case KEY_LEVEL: {
        char *end;
        double level;
        if (!(t = want_scalar(c, v, key)))
            return SIM_EPARSE;
        level = strtod(t, &end);
        if (end == t || *end || !(level > kd->lo && level < kd->hi))
            return err_at(c, v, 0, "'%s' must be a level between %g and %g "
                          "such as 0.95, found '%s'", key, kd->lo, kd->hi,
                          t);
        *(double *)field = level;
        return SIM_OK;
    }
    }
    return SIM_EINVAL;
}

/* Read mapping m by its table md into target; where names it in
 * messages. */
static int walk(ctx *c, yaml_node_t *m, const char *where,
                const map_desc *md, void *target)
{
    walk_arg w = { md, where, target };

    return each_pair(c, m, where, table_pair, &w);
}

/* The key node (want_key) or the value node of key in mapping m, or NULL. */
static yaml_node_t *find(ctx *c, yaml_node_t *m, const char *key,
                         int want_key)
{
    yaml_node_pair_t *p;

    if (m->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
        if (k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), key))
            return want_key ? k
                            : yaml_document_get_node(&c->doc, p->value);
    }
    return NULL;
}

static yaml_node_t *lookup(ctx *c, yaml_node_t *m, const char *key)
{
    return find(c, m, key, 0);
}

/* ---- number parsing ---- */

static int parse_long(ctx *c, yaml_node_t *v, const char *key, long min,
                      long max, long *out)
{
    const char *t = want_scalar(c, v, key);
    char *end;
    long x;

    if (!t)
        return SIM_EPARSE;
    errno = 0;
    x = strtol(t, &end, 10);
    if (end == t || *end || (errno && errno != ERANGE))
        return err_at(c, v, 0, "'%s' must be an integer, found '%s'", key, t);
    if (errno == ERANGE || x < min || x > max)
        return err_at(c, v, 0, "'%s' must be between %ld and %ld, found '%s'",
                      key, min, max, t);
    *out = x;
    return SIM_OK;
}

static int parse_time(ctx *c, yaml_node_t *v, const char *key, int positive,
                      double max, double *out)
{
    const char *t = want_scalar(c, v, key);

    if (!t)
        return SIM_EPARSE;
    if (mdl_parse_time(t, out) != SIM_OK)
        return err_at(c, v, 0, "'%s' must be a time such as 10m, 30s or "
                      "250ms, found '%s'", key, t);
    if (*out < 0 || (positive && *out == 0))
        return err_at(c, v, 0, "'%s' must be %s, found '%s'", key,
                      positive ? "positive" : "zero or positive", t);
    if (*out > max)
        return err_at(c, v, 0, "'%s' must be at most %.0f s (about %.0f "
                      "years), found '%s'", key, max, max / 31557600, t);
    return SIM_OK;
}

static int parse_dist(ctx *c, yaml_node_t *v, const char *key, mdl_dist *out)
{
    const char *t = want_scalar(c, v, key);
    char err[512];
    int col = 1;

    if (!t)
        return SIM_EPARSE;
    if (mdl_dist_parse(out, t, c->s->dir, err, sizeof err, &col) != SIM_OK)
        return err_at(c, v, quote_shift(v) + col - 1, "'%s': %s", key, err);
    return SIM_OK;
}

/* ---- run: ---- */

#define SCN(field) .off = offsetof(mdl_scenario, field)

static const key_desc run_keys[] = {
    { "duration", KEY_TIME, 0, MDL_TIME_MAX, 1, SCN(duration) },
    { "warmup", KEY_TIME, 0, MDL_TIME_MAX, 0, SCN(warmup) },
    { "replications", KEY_UNSIGNED, 1, MDL_REPLICATIONS_MAX, 0,
      SCN(replications) },
    { "seed", KEY_SEED, SCN(seed) },
    { "requests", KEY_LONG, 0, (double)MDL_REQUESTS_MAX, 0, SCN(requests) },
    { "confidence", KEY_LEVEL, 0, 1, 0, SCN(confidence) },
};
static const map_desc run_map = MAP("key", run_keys);

/* ---- workload: ---- */

typedef struct wl_arg {
    mdl_workload *w;
    yaml_node_t *entry, *arrival, *population, *think, *mix;
} wl_arg;

static int wl_name(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                   void *arg);

#define WL(field) .off = offsetof(wl_arg, field)

static const key_desc wl_keys[] = {
    { "name", KEY_SET, .set = wl_name },
    { "entry", KEY_NODE, WL(entry) },
    { "arrival", KEY_NODE, WL(arrival) },
    { "population", KEY_NODE, WL(population) },
    { "think", KEY_NODE, WL(think) },
    { "mix", KEY_NODE, WL(mix) },
};
static const map_desc wl_map = MAP("key", wl_keys);

/* A name given at node v (mdl_name.h); file: it names a folder. */
static int check_name(ctx *c, yaml_node_t *v, const char *what,
                      const char *name, int file)
{
    const char *why = mdl_name_problem(name, file);
    char shown[256];

    if (!why)
        return SIM_OK;
    mdl_name_show(shown, sizeof shown, name);
    return err_at(c, v, 0, "%s '%s' %s", what, shown, why);
}

static int wl_name(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                   void *arg)
{
    wl_arg *a = arg;
    const char *t = want_scalar(c, v, key);

    (void)k;
    if (!t)
        return SIM_EPARSE;
    if (check_name(c, v, "workload name", t, 0) != SIM_OK)
        return SIM_EPARSE;
    a->w->name = strdup(t);
    return a->w->name ? SIM_OK : SIM_ENOMEM;
}

/* Report name, used as described by where, as an unknown service at
 * node n, extra columns into it. */
static int unknown_service(ctx *c, yaml_node_t *n, int extra,
                           const char *name, const char *where)
{
    const mdl_topology *t = c->s->topo;
    const char **names = malloc((t->nservices + 1) * sizeof *names);
    const char *hint;
    size_t i;

    if (!names)
        return SIM_ENOMEM;
    for (i = 0; i < t->nservices; i++)
        names[i] = t->services[i].name;
    hint = mdl_hint(name, names, t->nservices);
    if (hint)
        err_at(c, n, extra, "unknown service '%s' %s; did you mean '%s'?",
               name, where, hint);
    else
        err_at(c, n, extra, "unknown service '%s' %s (not in topology %s)",
               name, where, t->path);
    free(names);
    return SIM_EPARSE;
}

static int entry_service(ctx *c, yaml_node_t *v, const char *wname, int *out)
{
    const char *name = want_scalar(c, v, "entry");
    char where[300];

    if (!name)
        return SIM_EPARSE;
    *out = mdl_topology_find(c->s->topo, name);
    if (*out >= 0)
        return SIM_OK;
    snprintf(where, sizeof where, "as entry of workload '%s'", wname);
    return unknown_service(c, v, 0, name, where);
}

/* Append a class; its name must be unique among all classes. */
static int add_class(ctx *c, yaml_node_t *at, const char *name, int workload,
                     int entry, double weight)
{
    mdl_scenario *s = c->s;
    mdl_class *cl;
    size_t j;

    if (check_name(c, at, "request class", name, 0) != SIM_OK)
        return SIM_EPARSE;
    for (j = 0; j < s->nclasses; j++)
        if (!strcmp(s->classes[j].name, name))
            return err_at(c, at, 0, "duplicate request class '%s'", name);
    cl = realloc(s->classes, (s->nclasses + 1) * sizeof *cl);
    if (!cl)
        return SIM_ENOMEM;
    s->classes = cl;
    cl += s->nclasses;
    memset(cl, 0, sizeof *cl);
    if (!(cl->name = strdup(name)))
        return SIM_ENOMEM;
    s->nclasses++;
    cl->workload = workload;
    cl->entry = entry;
    cl->share = weight;
    cl->line = (int)at->start_mark.line + 1;
    return SIM_OK;
}

typedef struct mix_arg {
    yaml_node_t *name, *entry, *weight;
} mix_arg;

static const key_desc mix_keys[] = {
    { "name", KEY_NODE, .off = offsetof(mix_arg, name) },
    { "entry", KEY_NODE, .off = offsetof(mix_arg, entry) },
    { "weight", KEY_NODE, .off = offsetof(mix_arg, weight) },
};
static const map_desc mix_map = MAP("key", mix_keys);

/* A workload's `mix`: a list of {name, entry, weight}; the entry defaults
 * to the workload's. Weights are normalised into shares. */
static int read_mix(ctx *c, yaml_node_t *v, int widx, yaml_node_t *wentry)
{
    mdl_scenario *s = c->s;
    size_t first = s->nclasses, j;
    yaml_node_item_t *it;
    double total = 0;
    int rc;

    if (v->type != YAML_SEQUENCE_NODE
        || v->data.sequence.items.top == v->data.sequence.items.start)
        return err_at(c, v, 0, "'mix' must be a non-empty list of request "
                      "classes {name, entry, weight}");
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *n = yaml_document_get_node(&c->doc, *it);
        mix_arg a = {NULL, NULL, NULL};
        const char *name;
        double weight = 1;
        int entry;

        rc = walk(c, n, "a mix entry", &mix_map, &a);
        if (rc != SIM_OK)
            return rc;
        if (!a.name)
            return err_at(c, n, 0, "mix entry has no 'name'");
        if (!(name = want_scalar(c, a.name, "name")))
            return SIM_EPARSE;
        if (!*name)
            return err_at(c, a.name, 0, "class 'name' must not be empty");
        if (!a.entry && !wentry)
            return err_at(c, n, 0, "class '%s' has no 'entry' service (and "
                          "its workload none to inherit)", name);
        rc = entry_service(c, a.entry ? a.entry : wentry, name, &entry);
        if (rc != SIM_OK)
            return rc;
        if (a.weight) {
            const char *t = want_scalar(c, a.weight, "weight");
            char *end;
            if (!t)
                return SIM_EPARSE;
            weight = strtod(t, &end);
            if (end == t || *end || !(weight > 0) || !isfinite(weight))
                return err_at(c, a.weight, 0, "'weight' must be a positive "
                              "number, found '%s'", t);
        }
        rc = add_class(c, n, name, widx, entry, weight);
        if (rc != SIM_OK)
            return rc;
        total += weight;
    }
    for (j = first; j < s->nclasses; j++)
        s->classes[j].share /= total;
    return SIM_OK;
}

static int read_workload(ctx *c, yaml_node_t *n, size_t idx)
{
    mdl_workload *w = &c->s->workloads[idx];
    wl_arg a = {w, NULL, NULL, NULL, NULL, NULL};
    size_t j;
    int rc;

    w->line = (int)n->start_mark.line + 1;
    w->col = (int)n->start_mark.column + 1;
    w->entry = -1;
    rc = walk(c, n, "a workload", &wl_map, &a);
    if (rc != SIM_OK)
        return rc;
    if (!a.entry && !a.mix)
        return err_at(c, n, 0, "workload %s has no 'entry' service (or "
                      "'mix' of request classes)", w->name ? w->name : "");
    if (!w->name) {
        const char *t = a.entry ? want_scalar(c, a.entry, "entry") : NULL;
        if (!t)
            return err_at(c, n, 0, "a workload with a 'mix' needs a 'name'");
        if (!(w->name = strdup(t)))
            return SIM_ENOMEM;
    }
    for (j = 0; j < idx; j++)
        if (!strcmp(c->s->workloads[j].name, w->name))
            return err_at(c, n, 0, "duplicate workload name '%s'", w->name);
    if (a.mix)
        rc = read_mix(c, a.mix, (int)idx, a.entry);
    else if ((rc = entry_service(c, a.entry, w->name, &w->entry)) == SIM_OK)
        rc = add_class(c, n, w->name, (int)idx, w->entry, 1.0);
    if (rc != SIM_OK)
        return rc;
    if (!!a.arrival == !!a.population)
        return err_at(c, n, 0, "workload '%s' needs exactly one of 'arrival' "
                      "(open) or 'population' (closed)", w->name);
    if (a.arrival) {
        if (a.think)
            return err_at(c, a.think, 0, "'think' belongs to a closed "
                          "workload (with 'population'), not to '%s'",
                          w->name);
        return parse_dist(c, a.arrival, "arrival", &w->arrival);
    }
    w->closed = 1;
    rc = parse_long(c, a.population, "population", 1, MDL_POPULATION_MAX,
                    &w->population);
    if (rc != SIM_OK)
        return rc;
    if (a.think)
        return parse_dist(c, a.think, "think", &w->think);
    {
        char err[64];
        int col;
        return mdl_dist_parse(&w->think, "det(0)", NULL, err, sizeof err,
                              &col);
    }
}

/* Every class named in an edge's `types` must exist. */
static int check_edge_types(ctx *c)
{
    const mdl_topology *t = c->s->topo;
    const char **names;
    size_t i, j;
    int rc = SIM_OK;

    names = malloc((c->s->nclasses + 1) * sizeof *names);
    if (!names)
        return SIM_ENOMEM;
    for (j = 0; j < c->s->nclasses; j++)
        names[j] = c->s->classes[j].name;
    for (i = 0; i < t->nedges && rc == SIM_OK; i++) {
        const mdl_edge *e = &t->edges[i];
        const char *cur = e->types, *p;
        size_t len;

        while (rc == SIM_OK && mdl_edge_types_next(&cur, &p, &len)) {
            for (j = 0; j < c->s->nclasses; j++)
                if (strlen(names[j]) == len && !strncmp(names[j], p, len))
                    break;
            if (j == c->s->nclasses) {
                char word[256];
                const char *hint;
                snprintf(word, sizeof word, "%.*s", (int)len, p);
                hint = mdl_hint(word, names, c->s->nclasses);
                rc = sim_diag_set(c->d, t->path, t->services[e->from].line, 0,
                                  "edge '%s' -> '%s': types names '%s', which "
                                  "is not a request class of %s%s%s%s",
                                  t->services[e->from].name,
                                  t->services[e->to].name, word, c->path,
                                  hint ? "; did you mean '" : "",
                                  hint ? hint : "", hint ? "'?" : "");
            }
        }
    }
    free(names);
    return rc;
}

static int read_workloads(ctx *c, yaml_node_t *v)
{
    yaml_node_item_t *it;
    size_t n, i = 0;
    int rc;

    if (v->type == YAML_MAPPING_NODE)   /* one workload written alone */
        n = 1;
    else if (v->type == YAML_SEQUENCE_NODE)
        n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    else
        return err_at(c, v, 0, "'workload' must be a list of workloads, "
                      "found %s", node_kind(v));
    if (n == 0)
        return err_at(c, v, 0, "'workload' is empty: give at least one");
    c->s->workloads = calloc(n, sizeof *c->s->workloads);
    if (!c->s->workloads)
        return SIM_ENOMEM;
    c->s->nworkloads = n;
    if (v->type == YAML_MAPPING_NODE)
        return read_workload(c, v, 0);
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        rc = read_workload(c, yaml_document_get_node(&c->doc, *it), i++);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* ---- services: ---- */

static int attr_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *arg)
{
    mdl_service *svc = arg;
    char err[512];
    const char *t;

    if (v->type != YAML_SCALAR_NODE)
        return err_at(c, v, 0, "'%s' of service '%s' must be a value, found "
                      "%s", key, svc->name, node_kind(v));
    t = scalar(v);
    if (mdl_service_set(svc, key, t, c->s->dir, err, sizeof err) != SIM_OK) {
        /* Unknown attributes are the key's fault, bad values the value's. */
        yaml_node_t *at = strstr(err, "unknown attribute") ? k : v;
        return err_at(c, at, 0, "%s", err);
    }
    return SIM_OK;
}

static int svc_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                    void *arg)
{
    int i = mdl_topology_find(c->s->topo, key);

    (void)arg;
    if (i < 0)
        return unknown_service(c, k, 0, key, "in 'services'");
    return each_pair(c, v, "a service override", attr_pair,
                     &c->s->topo->services[i]);
}

/* ---- calls: ---- */

/*
 * A key names a call edge as its metric scope does (mdl_net.h):
 * "caller->callee", or "caller->callee#K" for the K-th, from 0 in file
 * order, of the call edges between the two services. Names hold neither
 * "->" nor '#' (mdl_name.h), so a key splits one way only. The call
 * policies of DESIGN.md section 4 are known keys, each refused as not
 * simulated yet; any other key is unknown.
 */
static int policy_later(ctx *c, const char *key, yaml_node_t *k,
                        yaml_node_t *v, void *arg)
{
    const mdl_call_policy *cp = arg;

    (void)v;
    return err_at(c, k, 0, "call policy '%s' in calls '%s' is not "
                  "supported yet", key, cp->key);
}

static const key_desc policy_keys[] = {
    { "timeout", KEY_SET, .set = policy_later },
    { "deadline", KEY_SET, .set = policy_later },
    { "retry", KEY_SET, .set = policy_later },
    { "hedge", KEY_SET, .set = policy_later },
    { "breaker", KEY_SET, .set = policy_later },
    { "bulkhead", KEY_SET, .set = policy_later },
    { "fallback", KEY_SET, .set = policy_later },
};
static const map_desc policy_map = MAP("call policy key", policy_keys);

/* Write the names of the n call edges from a to b into buf: "a->b#0,
 * a->b#1", the middle ones left out when there are more than four. */
static void edge_names(char *buf, size_t size, const char *a, const char *b,
                       size_t n)
{
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < n && len < size; i++) {
        if (n > 4 && i == 2) {
            len += (size_t)snprintf(buf + len, size - len, ", ...");
            i = n - 1;
        }
        len += (size_t)snprintf(buf + len, size - len, "%s%s->%s#%zu",
                                i ? ", " : "", a, b, i);
    }
}

/* The call edge from service from to service to that key names, into
 * *out; hash is the '#' in key, or NULL. */
static int call_edge(ctx *c, yaml_node_t *k, const char *key, int from,
                     int to, const char *hash, size_t *out)
{
    const mdl_topology *t = c->s->topo;
    const char *a = t->services[from].name, *b = t->services[to].name;
    const char *other = NULL;
    int at = quote_shift(k) + (hash ? (int)(hash - key) : 0);
    char names[600];
    size_t i, n = 0, want = 0;

    if (hash) {
        const char *p = hash + 1;
        unsigned long long x;
        char *end;

        errno = 0;
        x = *p >= '0' && *p <= '9' ? strtoull(p, &end, 10) : 0;
        if (*p < '0' || *p > '9' || *end)
            return err_at(c, k, at, "calls '%s': '#' must be followed by "
                          "the number of an edge, such as #0", key);
        want = errno == ERANGE || x > SIZE_MAX ? (size_t)-1 : (size_t)x;
    }
    for (i = 0; i < t->nedges; i++) {
        const mdl_edge *e = &t->edges[i];

        if (e->from != from || e->to != to)
            continue;
        if (e->kind != MDL_EDGE_CALL)
            other = e->kind == MDL_EDGE_FORWARD ? "forward" : "publish";
        else if (n++ == want)
            *out = i;
    }
    if (n == 0 && other)
        return err_at(c, k, 0, "calls '%s': the edge from '%s' to '%s' is "
                      "a %s edge; call policies apply to call edges", key,
                      a, b, other);
    if (n == 0)
        return err_at(c, k, 0, "calls '%s': no call edge from '%s' to '%s' "
                      "in topology %s", key, a, b, t->path);
    edge_names(names, sizeof names, a, b, n);
    if (!hash && n > 1)
        return err_at(c, k, 0, "calls '%s': '%s' calls '%s' over %zu "
                      "edges; name one of %s", key, a, b, n, names);
    if (want >= n && n == 1)
        return err_at(c, k, at, "calls '%s': '%s' calls '%s' over one "
                      "edge; name it %s->%s", key, a, b, a, b);
    if (want >= n)
        return err_at(c, k, at, "calls '%s': '%s' calls '%s' over %zu "
                      "edges; name one of %s", key, a, b, n, names);
    return SIM_OK;
}

/* One entry of `calls:`: the edge its key names, once only, and a mapping
 * of call policies. */
static int call_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *arg)
{
    mdl_scenario *s = c->s;
    const char *arrow = strstr(key, "->"), *callee, *hash;
    char *name[2] = { NULL, NULL }, where[300];
    mdl_call_policy *cp;
    size_t edge = 0, j;
    int svc[2] = { -1, -1 }, i, rc = SIM_OK;

    (void)arg;
    if (!arrow)
        return err_at(c, k, 0, "calls key '%s' must name a call edge as "
                      "'caller->callee' or 'caller->callee#K'", key);
    callee = arrow + 2;
    hash = strchr(callee, '#');
    name[0] = strndup(key, (size_t)(arrow - key));
    name[1] = strndup(callee, hash ? (size_t)(hash - callee)
                                   : strlen(callee));
    snprintf(where, sizeof where, "in calls '%s'", key);
    for (i = 0; i < 2 && rc == SIM_OK; i++) {
        int at = quote_shift(k) + (i ? (int)(callee - key) : 0);

        if (!name[i])
            rc = SIM_ENOMEM;
        else if (!strcmp(name[i], "*"))
            rc = err_at(c, k, at, "'*' in calls '%s' is not supported yet; "
                        "name one edge", key);
        else if ((svc[i] = mdl_topology_find(s->topo, name[i])) < 0)
            rc = unknown_service(c, k, at, name[i], where);
    }
    free(name[0]);
    free(name[1]);
    if (rc == SIM_OK)
        rc = call_edge(c, k, key, svc[0], svc[1], hash, &edge);
    if (rc != SIM_OK)
        return rc;
    for (j = 0; j < s->ncalls; j++) {
        const mdl_call_policy *old = &s->calls[j];

        if (old->edge != edge)
            continue;
        if (old->line)
            return err_at(c, k, 0, "calls '%s' names the same edge as '%s' "
                          "on line %d", key, old->key, old->line);
        return err_at(c, k, 0, "calls '%s' names the same edge as '%s'",
                      key, old->key);
    }
    if (!(cp = realloc(s->calls, (s->ncalls + 1) * sizeof *cp)))
        return SIM_ENOMEM;
    s->calls = cp;
    cp += s->ncalls;
    memset(cp, 0, sizeof *cp);
    if (!(cp->key = strdup(key)))
        return SIM_ENOMEM;
    s->ncalls++;
    cp->edge = edge;
    if (!override_of(c, k)) {
        cp->line = (int)k->start_mark.line + 1;
        cp->col = (int)k->start_mark.column + 1;
    }
    snprintf(where, sizeof where, "calls '%s'", key);
    return walk(c, v, where, &policy_map, cp);
}

/* ---- the size of a run ---- */

/* Doubles in one replication's result vector, an upper estimate of
 * mdl_net_result_len() from what mdl_net.h documents: metrics, then a
 * latency histogram of SIM_HIST_BINS counts for the system and for each
 * request class. Up to 16 metrics per request scope, service and edge
 * (stages included) and 4 per replica. */
static double result_doubles(const mdl_scenario *s)
{
    const mdl_topology *t = s->topo;
    double n = (double)(1 + s->nclasses) * (SIM_HIST_BINS + 16)
               + 16.0 * (double)t->nservices + 16.0 * (double)t->nedges;
    size_t i;

    for (i = 0; i < t->nservices; i++)
        n += 4.0 * t->services[i].replicas;
    return n;
}

/* Do the results of s->replications replications fit MDL_RESULTS_MAX? If
 * not, say why in why. */
static int results_fit(const mdl_scenario *s, char *why, size_t n)
{
    double per = result_doubles(s) * sizeof(double);
    double most = floor((double)MDL_RESULTS_MAX / per);

    if ((double)s->replications * per <= (double)MDL_RESULTS_MAX)
        return 1;
    if (most < 1)
        snprintf(why, n, "one replication's results (%zu request class%s, "
                 "%zu service%s) take %.0f MiB, more than the %zu MiB qmesh "
                 "keeps", s->nclasses, s->nclasses == 1 ? "" : "es",
                 s->topo->nservices, s->topo->nservices == 1 ? "" : "s",
                 per / 1048576, MDL_RESULTS_MAX >> 20);
    else
        snprintf(why, n, "%u replications need %.0f MiB for their results "
                 "(%zu request class%s, %zu service%s), more than the %zu "
                 "MiB qmesh keeps; use at most %.0f", s->replications,
                 (double)s->replications * per / 1048576, s->nclasses,
                 s->nclasses == 1 ? "" : "es", s->topo->nservices,
                 s->topo->nservices == 1 ? "" : "s", MDL_RESULTS_MAX >> 20,
                 most);
    return 0;
}

int mdl_scenario_check_run(const mdl_scenario *s, sim_diag *d)
{
    char why[512];

    if (s->replications < 1 || s->replications > MDL_REPLICATIONS_MAX)
        return sim_diag_set(d, NULL, 0, 0, "--replications must be a whole "
                            "number from 1 to %d, found '%u'",
                            MDL_REPLICATIONS_MAX, s->replications);
    if (!results_fit(s, why, sizeof why))
        return sim_diag_set(d, NULL, 0, 0, "--replications %u: %s",
                            s->replications, why);
    return SIM_OK;
}

/* ---- top level ---- */

/* The top-level values, each read in the order the checks need. */
typedef struct top_arg {
    yaml_node_t *name, *description, *topology, *workload, *run, *services;
    yaml_node_t *calls;
} top_arg;

#define TOP(field) .off = offsetof(top_arg, field)

static const key_desc top_keys[] = {
    { "name", KEY_NODE, TOP(name) },
    { "description", KEY_NODE, TOP(description) },
    { "topology", KEY_NODE, TOP(topology) },
    { "workload", KEY_NODE, TOP(workload) },
    { "run", KEY_NODE, TOP(run) },
    { "services", KEY_NODE, TOP(services) },
    { "calls", KEY_NODE, TOP(calls) },
};
static const map_desc top_map = MAP("key", top_keys);

static int load_topology(ctx *c, yaml_node_t *v)
{
    const char *t = want_scalar(c, v, "topology");
    char *full;
    int rc;

    if (!t)
        return SIM_EPARSE;
    if (!*t)
        return err_at(c, v, 0, "'topology' must name a GML or GraphML file");
    full = malloc(strlen(c->s->dir) + strlen(t) + 2);
    if (!full)
        return SIM_ENOMEM;
    if (t[0] == '/')
        strcpy(full, t);
    else
        sprintf(full, "%s/%s", c->s->dir, t);
    if (access(full, R_OK) != 0) {
        rc = err_at(c, v, quote_shift(v), "cannot open topology '%s': %s", t,
                    strerror(errno));
        free(full);
        return rc;
    }
    rc = mdl_topology_load(&c->s->topo, full, c->d);
    free(full);
    return rc;
}

static int read_scenario(ctx *c)
{
    yaml_node_t *root = yaml_document_get_root_node(&c->doc);
    yaml_node_t *v, *k;
    top_arg top;
    mdl_scenario *s = c->s;
    char why[512];
    int rc;

    if (!root)
        return err_at(c, NULL, 0, "scenario file is empty");
    /* Check the keys first, so a misspelt key is reported as such. */
    memset(&top, 0, sizeof top);
    rc = walk(c, root, "the scenario", &top_map, &top);
    if (rc != SIM_OK)
        return rc;
    if ((v = top.name)) {
        const char *t = want_scalar(c, v, "name");
        if (!t)
            return SIM_EPARSE;
        if (check_name(c, v, "scenario name", t, 1) != SIM_OK)
            return SIM_EPARSE;
        free(s->name);
        if (!(s->name = strdup(t)))
            return SIM_ENOMEM;
    } else if (check_name(c, root, "scenario name (the file's, without a "
                          "'name' key)", s->name, 1) != SIM_OK) {
        return SIM_EPARSE;
    }
    if ((v = top.description) && !want_scalar(c, v, "description"))
        return SIM_EPARSE;
    if (!(v = top.topology))
        return err_at(c, root, 0, "missing key 'topology' (the service "
                      "graph file)");
    rc = load_topology(c, v);
    if (rc != SIM_OK)
        return rc;
    if ((v = top.services)) {
        rc = each_pair(c, v, "'services'", svc_pair, NULL);
        if (rc != SIM_OK)
            return rc;
        rc = mdl_topology_check(s->topo, c->d);
        if (rc != SIM_OK)
            return rc;
    }
    /* Before anything computes loads over a cycle that cannot run. */
    if ((rc = mdl_topology_check_cycles(s->topo, c->d)) != SIM_OK)
        return rc;
    if (top.calls && (rc = each_pair(c, top.calls, "'calls'", call_pair,
                                     NULL)) != SIM_OK)
        return rc;
    if (!(v = top.workload))
        return err_at(c, root, 0, "missing key 'workload' (who sends "
                      "requests)");
    /* The line of the `workload:` key itself, not of its first item. */
    s->workload_line =
        (int)find(c, root, "workload", 1)->start_mark.line + 1;
    rc = read_workloads(c, v);
    if (rc == SIM_OK)
        rc = check_edge_types(c);
    if (rc != SIM_OK)
        return rc;
    if (!(v = top.run))
        return err_at(c, root, 0, "missing key 'run' (at least 'duration')");
    rc = walk(c, v, "'run'", &run_map, s);
    if (rc != SIM_OK)
        return rc;
    if (!lookup(c, v, "duration"))
        return err_at(c, v, 0, "missing key 'duration' in 'run'");
    if (results_fit(s, why, sizeof why))
        return SIM_OK;
    /* At the replications, or at the workloads whose classes take it. */
    if (!(k = lookup(c, v, "replications")))
        k = find(c, root, "workload", 1);
    return err_at(c, k, 0, "%s", why);
}

/* ---- overrides ---- */

static int remember(ctx *c, int node, const char *text)
{
    override *o = realloc(c->ovr, (c->novr + 1) * sizeof *o);

    if (!o)
        return SIM_ENOMEM;
    c->ovr = o;
    o[c->novr].node = node;
    o[c->novr].text = text;
    c->novr++;
    return SIM_OK;
}

static int apply_set(ctx *c, const char *text)
{
    const char *eq = strchr(text, '=');
    char *path, *seg, *save = NULL, *next;
    int cur = 1, rc = SIM_OK;   /* the root is node 1 */

    if (!eq || eq == text)
        return sim_diag_set(c->d, NULL, 0, 0, "--set '%s': expected "
                            "key.path=value", text);
    if (!yaml_document_get_root_node(&c->doc))
        return sim_diag_set(c->d, c->path, 0, 0, "scenario file is empty");
    path = strndup(text, (size_t)(eq - text));
    if (!path)
        return SIM_ENOMEM;
    for (seg = strtok_r(path, ".", &save); seg; seg = next) {
        yaml_node_t *n = yaml_document_get_node(&c->doc, cur);
        int found = 0;
        next = strtok_r(NULL, ".", &save);
        if (n->type == YAML_SEQUENCE_NODE) {
            char *end;
            long i = strtol(seg, &end, 10);
            long len = n->data.sequence.items.top
                       - n->data.sequence.items.start;
            if (end == seg || *end || i < 0 || i >= len) {
                rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': '%s' is "
                                  "not an index of a list of %ld", text, seg,
                                  len);
                break;
            }
            found = n->data.sequence.items.start[i];
        } else if (n->type == YAML_MAPPING_NODE) {
            yaml_node_pair_t *p;
            for (p = n->data.mapping.pairs.start;
                 p < n->data.mapping.pairs.top; p++) {
                yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
                if (k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), seg)) {
                    found = p->value;
                    break;
                }
            }
            if (!found) {
                /* Append the missing key; a new node may move the array. */
                int k = yaml_document_add_scalar(&c->doc, NULL,
                                                 (yaml_char_t *)seg, -1,
                                                 YAML_PLAIN_SCALAR_STYLE);
                found = next ? yaml_document_add_mapping(
                                   &c->doc, NULL, YAML_BLOCK_MAPPING_STYLE)
                             : yaml_document_add_scalar(
                                   &c->doc, NULL, (yaml_char_t *)(eq + 1), -1,
                                   YAML_PLAIN_SCALAR_STYLE);
                if (!k || !found
                    || !yaml_document_append_mapping_pair(&c->doc, cur, k,
                                                          found)
                    || remember(c, k, text) != SIM_OK
                    || remember(c, found, text) != SIM_OK) {
                    rc = SIM_ENOMEM;
                    break;
                }
            }
        } else {
            rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': cannot go into "
                              "'%s', which is a value", text, seg);
            break;
        }
        cur = found;
    }
    if (rc == SIM_OK) {
        yaml_node_t *n = yaml_document_get_node(&c->doc, cur);
        if (n->type != YAML_SCALAR_NODE) {
            rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': the key holds "
                              "%s, not a value", text, node_kind(n));
        } else if (strcmp(scalar(n), eq + 1)) {
            yaml_char_t *val = (yaml_char_t *)strdup(eq + 1);
            if (!val) {
                rc = SIM_ENOMEM;
            } else {
                free(n->data.scalar.value);
                n->data.scalar.value = val;
                n->data.scalar.length = strlen(eq + 1);
                n->data.scalar.style = YAML_PLAIN_SCALAR_STYLE;
            }
        }
        if (rc == SIM_OK)
            rc = remember(c, cur, text);
    }
    free(path);
    return rc;
}

/* ---- entry points ---- */

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

static int parse_text(ctx *c, const char *text, size_t len)
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

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    const char *dot;

    b = b ? b + 1 : path;
    dot = strrchr(b, '.');
    return dot && dot != b ? strndup(b, (size_t)(dot - b)) : strdup(b);
}

int mdl_scenario_load(mdl_scenario **out, const char *path,
                      const char *const *sets, size_t nsets, sim_diag *d)
{
    ctx c;
    char *text = NULL, err[1024];
    size_t i, len;
    int rc, have_doc = 0;

    memset(&c, 0, sizeof c);
    c.path = path;
    c.d = d;
    *out = NULL;
    c.s = calloc(1, sizeof *c.s);
    if (!c.s)
        return SIM_ENOMEM;
    c.s->replications = 10;
    c.s->seed = 1;
    c.s->confidence = 0.95;
    c.s->path = strdup(path);
    c.s->dir = dir_of(path);
    c.s->name = base_name(path);
    if (!c.s->path || !c.s->dir || !c.s->name) {
        rc = SIM_ENOMEM;
        goto fail;
    }
    rc = mdl_input_read(path, "scenario", &text, &len, err, sizeof err);
    if (rc == SIM_EPARSE)
        rc = sim_diag_set(d, NULL, 0, 0, "%s", err);
    if (rc != SIM_OK)
        goto fail;
    rc = parse_text(&c, text, len);
    free(text);
    if (rc != SIM_OK)
        goto fail;
    have_doc = 1;
    for (i = 0; i < nsets && rc == SIM_OK; i++)
        rc = apply_set(&c, sets[i]);
    if (rc == SIM_OK)
        rc = read_scenario(&c);
fail:
    if (have_doc)
        yaml_document_delete(&c.doc);
    free(c.ovr);
    if (rc != SIM_OK) {
        mdl_scenario_free(c.s);
        return rc;
    }
    *out = c.s;
    return SIM_OK;
}

void mdl_scenario_free(mdl_scenario *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->nworkloads; i++) {
        free(s->workloads[i].name);
        mdl_dist_destroy(&s->workloads[i].arrival);
        mdl_dist_destroy(&s->workloads[i].think);
    }
    free(s->workloads);
    for (i = 0; i < s->nclasses; i++)
        free(s->classes[i].name);
    free(s->classes);
    for (i = 0; i < s->ncalls; i++)
        free(s->calls[i].key);
    free(s->calls);
    mdl_topology_free(s->topo);
    free(s->path);
    free(s->dir);
    free(s->name);
    free(s);
}

int mdl_scenario_edge_applies(const mdl_scenario *s, size_t e, size_t c)
{
    const mdl_edge *edge = &s->topo->edges[e];

    return !edge->types || mdl_edge_names_type(edge, s->classes[c].name);
}
