/*
 * mdl_scenario_sweep.c - the axes of a sweep: the scenario's `sweep:`
 * block and the `--axis KEY=[v1, v2]` arguments of `qmesh sweep`.
 *
 *   sweep:
 *     grid: { services.db.servers: [1, 2, 4], load: [0.5, 0.8] }
 *     zip:  { KEY: [a, b], KEY2: [c, d] }   # paired element by element
 *     plot: [system.latency_p99, class:checkout.availability]
 *
 * An axis's values are kept as written: each point of a sweep loads the
 * scenario with `--set KEY=VALUE` per axis, so a value is checked by the
 * same code as any override, with the override named in the message.
 * Only the shape is checked here: lists of values, no key twice, zip
 * lists of one length, and the loads of the `load` axis.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "mdl_scenario_int.h"

void mdl_axis_destroy(mdl_axis *a)
{
    size_t i;

    for (i = 0; i < a->nvalues; i++)
        free(a->values[i]);
    free(a->values);
    free(a->key);
    memset(a, 0, sizeof *a);
}

/* Take the scalars of sequence node v (of document doc) into a->values.
 * Returns SIM_OK, SIM_ENOMEM, or 1 when v is not a list of 1 to
 * MDL_AXIS_VALUES_MAX values (*bad: the offending node, or v). */
static int take_values(yaml_document_t *doc, yaml_node_t *v, mdl_axis *a,
                       yaml_node_t **bad)
{
    yaml_node_item_t *it;
    size_t n;

    *bad = v;
    if (v->type != YAML_SEQUENCE_NODE)
        return 1;
    n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n < 1 || n > MDL_AXIS_VALUES_MAX)
        return 1;
    if (!(a->values = calloc(n, sizeof *a->values)))
        return SIM_ENOMEM;
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *x = yaml_document_get_node(doc, *it);
        if (x->type != YAML_SCALAR_NODE || x->data.scalar.length == 0) {
            *bad = x;
            return 1;
        }
        if (!(a->values[a->nvalues++] = strdup(mdl__yaml_scalar(x))))
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

int mdl_axis_parse(mdl_axis *a, const char *text, sim_diag *d)
{
    const char *eq = strchr(text, '=');
    yaml_parser_t p;
    yaml_document_t doc;
    yaml_node_t *root, *bad;
    int rc = SIM_OK;

    memset(a, 0, sizeof *a);
    if (!eq || eq == text)
        return sim_diag_set(d, NULL, 0, 0, "--axis '%s': expected "
                            "KEY=[VALUE, VALUE, ...]", text);
    if (!(a->key = strndup(text, (size_t)(eq - text))))
        return SIM_ENOMEM;
    if (!yaml_parser_initialize(&p)) {
        mdl_axis_destroy(a);
        return SIM_ENOMEM;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)eq + 1,
                                 strlen(eq + 1));
    if (!yaml_parser_load(&p, &doc)) {
        rc = sim_diag_set(d, NULL, 0, 0, "--axis '%s': the values are not "
                          "a YAML list (%s), e.g. [1, 2, 4] or "
                          "['poisson(rate=1/s)', 'poisson(rate=2/s)']",
                          text, p.problem ? p.problem : "unreadable");
        yaml_parser_delete(&p);
        mdl_axis_destroy(a);
        return rc;
    }
    yaml_parser_delete(&p);
    root = yaml_document_get_root_node(&doc);
    rc = root ? take_values(&doc, root, a, &bad) : 1;
    if (rc == 1)
        rc = sim_diag_set(d, NULL, 0, 0, "--axis '%s': expected a list of "
                          "1 to %d values, e.g. %s=[1, 2, 4]", text,
                          MDL_AXIS_VALUES_MAX, a->key);
    yaml_document_delete(&doc);
    if (rc != SIM_OK)
        mdl_axis_destroy(a);
    return rc;
}

/* Is x a load a sweep can set: a number in [0.001, 1)? */
static int is_load(const char *x)
{
    char *end;
    double v = strtod(x, &end);

    return end != x && *end == '\0' && v >= 0.001 && v < 1;
}

int mdl_axes_check(const mdl_axis *a, size_t n, const char *file,
                   sim_diag *d)
{
    size_t i, j, zip_len = 0;
    const mdl_axis *first_zip = NULL;

    if (n > MDL_AXES_MAX)
        return sim_diag_set(d, file, a[MDL_AXES_MAX].line, 0, "a sweep has "
                            "at most %d axes, found %zu", MDL_AXES_MAX, n);
    for (i = 0; i < n; i++) {
        for (j = 0; j < i; j++)
            if (!strcmp(a[i].key, a[j].key))
                return sim_diag_set(d, file, a[i].line, 0, "sweep axis "
                                    "'%s' is given twice", a[i].key);
        if (!strcmp(a[i].key, "load"))
            for (j = 0; j < a[i].nvalues; j++)
                if (!is_load(a[i].values[j]))
                    return sim_diag_set(d, file, a[i].line, 0, "sweep axis "
                                        "'load': '%s' is not a load; loads "
                                        "are the bottleneck's utilization, "
                                        "numbers from 0.001 to below 1",
                                        a[i].values[j]);
        if (!a[i].zip)
            continue;
        if (!first_zip) {
            first_zip = &a[i];
            zip_len = a[i].nvalues;
        } else if (a[i].nvalues != zip_len) {
            return sim_diag_set(d, file, a[i].line, 0, "zipped sweep axes "
                                "pair their values one by one, so their "
                                "lists must be as long: '%s' has %zu "
                                "values, '%s' has %zu", first_zip->key,
                                zip_len, a[i].key, a[i].nvalues);
        }
    }
    return SIM_OK;
}

/* ---- the `sweep:` block ---- */

typedef struct sweep_arg {
    yaml_node_t *grid, *zip, *plot;
} sweep_arg;

#define SW(field) .off = offsetof(sweep_arg, field)

static const key_desc sweep_keys[] = {
    { "grid", KEY_NODE, SW(grid) },
    { "zip", KEY_NODE, SW(zip) },
    { "plot", KEY_NODE, SW(plot) },
};
static const map_desc sweep_map = MAP("key", sweep_keys);

/* One `KEY: [values]` pair of grid or zip (arg: "grid" or "zip"). */
static int axis_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *arg)
{
    mdl_scenario *s = c->s;
    mdl_axis *a;
    yaml_node_t *bad;
    int rc;

    if (s->naxes == MDL_AXES_MAX)
        return mdl__yaml_err(c, k, 0, "a sweep has at most %d axes",
                             MDL_AXES_MAX);
    a = realloc(s->axes, (s->naxes + 1) * sizeof *a);
    if (!a)
        return SIM_ENOMEM;
    s->axes = a;
    a = &s->axes[s->naxes++];
    memset(a, 0, sizeof *a);
    a->zip = !strcmp(arg, "zip");
    a->line = (int)k->start_mark.line + 1;
    if (!(a->key = strdup(key)))
        return SIM_ENOMEM;
    rc = take_values(&c->doc, v, a, &bad);
    if (rc == 1)
        return mdl__yaml_err(c, bad, 0, "sweep axis '%s' takes a list of 1 "
                             "to %d values, e.g. [1, 2, 4]; found %s", key,
                             MDL_AXIS_VALUES_MAX, mdl__yaml_kind(bad));
    return rc;
}

/* `plot: [scope.metric, ...]`. */
static int read_plot(ctx *c, yaml_node_t *v)
{
    mdl_axis tmp;
    yaml_node_t *bad;
    size_t i;
    int rc;

    memset(&tmp, 0, sizeof tmp);
    rc = take_values(&c->doc, v, &tmp, &bad);
    c->s->plot = tmp.values;        /* the scenario frees what was taken */
    c->s->nplot = tmp.nvalues;
    if (rc == 1)
        return mdl__yaml_err(c, bad, 0, "'plot' in 'sweep' takes a list of "
                             "metrics, e.g. [system.latency_p99, "
                             "class:checkout.availability]; found %s",
                             mdl__yaml_kind(bad));
    for (i = 0; rc == SIM_OK && i < tmp.nvalues; i++) {
        const char *dot = strrchr(tmp.values[i], '.');
        if (!dot || dot == tmp.values[i] || !dot[1])
            rc = mdl__yaml_err(c, v, 0, "'plot' in 'sweep': '%s' is not "
                               "SCOPE.METRIC, e.g. system.latency_p99",
                               tmp.values[i]);
    }
    return rc;
}

int mdl__scenario_sweep_read(ctx *c, yaml_node_t *v)
{
    sweep_arg arg;
    int rc;

    memset(&arg, 0, sizeof arg);
    if ((rc = mdl__yaml_walk(c, v, "'sweep'", &sweep_map, &arg)) != SIM_OK)
        return rc;
    if (!arg.grid && !arg.zip)
        return mdl__yaml_err(c, v, 0, "'sweep' needs 'grid' or 'zip': a "
                             "mapping from keys to lists of values");
    if (arg.grid && (rc = mdl__yaml_each_pair(c, arg.grid, "'grid'",
                                              axis_pair, "grid")) != SIM_OK)
        return rc;
    if (arg.zip && (rc = mdl__yaml_each_pair(c, arg.zip, "'zip'", axis_pair,
                                             "zip")) != SIM_OK)
        return rc;
    if (arg.plot && (rc = read_plot(c, arg.plot)) != SIM_OK)
        return rc;
    if (c->s->naxes == 0)
        return mdl__yaml_err(c, v, 0, "'sweep' has no axis");
    return mdl_axes_check(c->s->axes, c->s->naxes, c->path, c->d);
}
