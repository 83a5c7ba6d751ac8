/*
 * mdl_scenario_workload.c - the `workload:` block of a scenario: open and
 * closed workloads, their request classes (a workload's own, or those of
 * its `mix`), and the check that every class an edge's `types` names
 * exists.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "mdl_dist.h"
#include "mdl_dist_parse.h"
#include "mdl_hint.h"
#include "mdl_scenario_int.h"

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

static int wl_name(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                   void *arg)
{
    wl_arg *a = arg;
    const char *t = mdl__yaml_want_scalar(c, v, key);

    (void)k;
    if (!t)
        return SIM_EPARSE;
    if (mdl__yaml_check_name(c, v, "workload name", t, 0) != SIM_OK)
        return SIM_EPARSE;
    a->w->name = strdup(t);
    return a->w->name ? SIM_OK : SIM_ENOMEM;
}

static int entry_service(ctx *c, yaml_node_t *v, const char *wname, int *out)
{
    const char *name = mdl__yaml_want_scalar(c, v, "entry");
    char where[300];

    if (!name)
        return SIM_EPARSE;
    *out = mdl_topology_find(c->s->topo, name);
    if (*out >= 0)
        return SIM_OK;
    snprintf(where, sizeof where, "as entry of workload '%s'", wname);
    return mdl__scenario_unknown_service(c, v, 0, name, where);
}

/* Append a class; its name must be unique among all classes. */
static int add_class(ctx *c, yaml_node_t *at, const char *name, int workload,
                     int entry, double weight)
{
    mdl_scenario *s = c->s;
    mdl_class *cl;
    size_t j;

    if (mdl__yaml_check_name(c, at, "request class", name, 0) != SIM_OK)
        return SIM_EPARSE;
    for (j = 0; j < s->nclasses; j++)
        if (!strcmp(s->classes[j].name, name))
            return mdl__yaml_err(c, at, 0, "duplicate request class '%s'",
                                 name);
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
        return mdl__yaml_err(c, v, 0, "'mix' must be a non-empty list of "
                             "request classes {name, entry, weight}");
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *n = yaml_document_get_node(&c->doc, *it);
        mix_arg a = {NULL, NULL, NULL};
        const char *name;
        double weight = 1;
        int entry;

        rc = mdl__yaml_walk(c, n, "a mix entry", &mix_map, &a);
        if (rc != SIM_OK)
            return rc;
        if (!a.name)
            return mdl__yaml_err(c, n, 0, "mix entry has no 'name'");
        if (!(name = mdl__yaml_want_scalar(c, a.name, "name")))
            return SIM_EPARSE;
        if (!*name)
            return mdl__yaml_err(c, a.name, 0, "class 'name' must not be "
                                 "empty");
        if (!a.entry && !wentry)
            return mdl__yaml_err(c, n, 0, "class '%s' has no 'entry' service "
                                 "(and its workload none to inherit)", name);
        rc = entry_service(c, a.entry ? a.entry : wentry, name, &entry);
        if (rc != SIM_OK)
            return rc;
        if (a.weight) {
            const char *t = mdl__yaml_want_scalar(c, a.weight, "weight");
            char *end;
            if (!t)
                return SIM_EPARSE;
            weight = strtod(t, &end);
            if (end == t || *end || !(weight > 0) || !isfinite(weight))
                return mdl__yaml_err(c, a.weight, 0, "'weight' must be a "
                                     "positive number, found '%s'", t);
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
    rc = mdl__yaml_walk(c, n, "a workload", &wl_map, &a);
    if (rc != SIM_OK)
        return rc;
    if (!a.entry && !a.mix)
        return mdl__yaml_err(c, n, 0, "workload %s has no 'entry' service "
                             "(or 'mix' of request classes)",
                             w->name ? w->name : "");
    if (!w->name) {
        const char *t = a.entry ? mdl__yaml_want_scalar(c, a.entry, "entry")
                                : NULL;
        if (!t)
            return mdl__yaml_err(c, n, 0, "a workload with a 'mix' needs a "
                                 "'name'");
        if (!(w->name = strdup(t)))
            return SIM_ENOMEM;
    }
    for (j = 0; j < idx; j++)
        if (!strcmp(c->s->workloads[j].name, w->name))
            return mdl__yaml_err(c, n, 0, "duplicate workload name '%s'",
                                 w->name);
    if (a.mix)
        rc = read_mix(c, a.mix, (int)idx, a.entry);
    else if ((rc = entry_service(c, a.entry, w->name, &w->entry)) == SIM_OK)
        rc = add_class(c, n, w->name, (int)idx, w->entry, 1.0);
    if (rc != SIM_OK)
        return rc;
    if (!!a.arrival == !!a.population)
        return mdl__yaml_err(c, n, 0, "workload '%s' needs exactly one of "
                             "'arrival' (open) or 'population' (closed)",
                             w->name);
    if (a.arrival) {
        if (a.think)
            return mdl__yaml_err(c, a.think, 0, "'think' belongs to a closed "
                                 "workload (with 'population'), not to '%s'",
                                 w->name);
        return mdl__yaml_parse_dist(c, a.arrival, "arrival", &w->arrival);
    }
    w->closed = 1;
    rc = mdl__yaml_parse_long(c, a.population, "population", 1,
                              MDL_POPULATION_MAX, &w->population);
    if (rc != SIM_OK)
        return rc;
    if (a.think)
        return mdl__yaml_parse_dist(c, a.think, "think", &w->think);
    {
        char err[64];
        int col;
        return mdl_dist_parse(&w->think, "det(0)", NULL, err, sizeof err,
                              &col);
    }
}

/* Every class named in an edge's `types` must exist. */
int mdl__scenario_workload_check_types(ctx *c)
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

int mdl__scenario_workload_read(ctx *c, yaml_node_t *v)
{
    yaml_node_item_t *it;
    size_t n, i = 0;
    int rc;

    if (v->type == YAML_MAPPING_NODE)   /* one workload written alone */
        n = 1;
    else if (v->type == YAML_SEQUENCE_NODE)
        n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    else
        return mdl__yaml_err(c, v, 0, "'workload' must be a list of workloads, "
                             "found %s", mdl__yaml_kind(v));
    if (n == 0)
        return mdl__yaml_err(c, v, 0, "'workload' is empty: give at least one");
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
