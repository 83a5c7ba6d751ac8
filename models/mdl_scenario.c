/*
 * mdl_scenario.c - the scenario loader: reads the file, applies the
 * overrides, and assembles the scenario from its blocks.
 *
 * Reading is one pass over libyaml's node tree (mdl_yaml.c), one function
 * per block: the top level, `run:` and `services:` here (its patterns in
 * mdl_scenario_services.c), `workload:` in mdl_scenario_workload.c,
 * `calls:` in mdl_scenario_calls.c; `--set`
 * overrides edit the tree first (mdl_scenario_override.c).
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "../sim/sim_stat.h"
#include "mdl_hint.h"
#include "mdl_input.h"
#include "mdl_scenario.h"
#include "mdl_scenario_int.h"
#include "mdl_units.h"

/* ---- run: ---- */

#define SCN(field) .off = offsetof(mdl_scenario, field)

/* ---- run.precision ---- */

typedef struct precision_arg {
    yaml_node_t *metric, *relative;
    unsigned max_replications;
} precision_arg;

#define PRC(field) .off = offsetof(precision_arg, field)

static const key_desc precision_keys[] = {
    { "metric", KEY_NODE, PRC(metric) },
    { "relative", KEY_NODE, PRC(relative) },
    { "max_replications", KEY_UNSIGNED, 2, MDL_REPLICATIONS_MAX, 0,
      PRC(max_replications) },
};
static const map_desc precision_map = MAP("precision key", precision_keys);

static int read_precision(ctx *c, const char *key, yaml_node_t *k,
                          yaml_node_t *v, void *arg)
{
    mdl_precision *p = &((mdl_scenario *)arg)->precision;
    precision_arg a;
    const char *t, *dot;
    char *end;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = mdl__yaml_walk(c, v, "'precision'", &precision_map, &a))
        != SIM_OK)
        return rc;
    if (!a.metric || !a.relative)
        return mdl__yaml_err(c, v, 0, "'%s' needs 'metric' and 'relative', "
                             "e.g. { metric: class:checkout.latency_p99, "
                             "relative: 2%% }", key);
    if (!(t = mdl__yaml_want_scalar(c, a.metric, "metric")))
        return SIM_EPARSE;
    dot = strrchr(t, '.');
    if (!dot || dot == t || !dot[1])
        return mdl__yaml_err(c, a.metric, 0, "'metric' must be SCOPE.METRIC "
                             "as in summary.csv, e.g. system.latency_mean "
                             "or class:checkout.latency_p99; found '%s'", t);
    free(p->metric);
    if (!(p->metric = strdup(t)))
        return SIM_ENOMEM;
    if (!(t = mdl__yaml_want_scalar(c, a.relative, "relative")))
        return SIM_EPARSE;
    p->relative = strtod(t, &end);
    if (end != t && *end == '%') {
        p->relative /= 100;
        end++;
    }
    if (end == t || *end || !(p->relative > 0 && p->relative < 1))
        return mdl__yaml_err(c, a.relative, 0, "'relative' is the largest "
                             "half-width of the interval over the mean, a "
                             "percentage above 0 and below 100 such as 2%%; "
                             "found '%s'", t);
    p->max_replications = a.max_replications ? a.max_replications
                                             : MDL_PRECISION_MAX_REPS;
    p->line = (int)k->start_mark.line + 1;
    p->on = 1;
    return SIM_OK;
}

/* `warmup`: a time, or `auto` for one chosen by MSER-5 from a pilot run
 * (analysis/ana_warmup.h). */
static int read_warmup(ctx *c, const char *key, yaml_node_t *k,
                       yaml_node_t *v, void *arg)
{
    static const key_desc time = {
        "warmup", KEY_TIME, 0, MDL_TIME_MAX, 0, SCN(warmup)
    };
    mdl_scenario *s = arg;
    const char *t = mdl__yaml_want_scalar(c, v, key);
    double x;

    (void)k;
    if (!t)
        return SIM_EPARSE;
    s->warmup_auto = !strcmp(t, "auto");
    if (s->warmup_auto) {
        s->warmup = 0;          /* the pilot's; the run's comes after it */
        return SIM_OK;
    }
    if (mdl_parse_time(t, &x) != SIM_OK)
        return mdl__yaml_err(c, v, 0, "'warmup' must be a time such as 1m, "
                             "30s or 250ms, or auto (chosen by MSER-5 from "
                             "a pilot run), found '%s'", t);
    return mdl__yaml_read_value(c, &time, v, s);
}

static const key_desc run_keys[] = {
    { "duration", KEY_TIME, 0, MDL_TIME_MAX, 1, SCN(duration) },
    { "warmup", KEY_SET, .set = read_warmup },
    { "replications", KEY_UNSIGNED, 1, MDL_REPLICATIONS_MAX, 0,
      SCN(replications) },
    { "seed", KEY_SEED, SCN(seed) },
    { "requests", KEY_LONG, 0, (double)MDL_REQUESTS_MAX, 0, SCN(requests) },
    { "confidence", KEY_LEVEL, 0, 1, 0, SCN(confidence) },
    { "window", KEY_TIME, 0, MDL_TIME_MAX, 1, SCN(window) },
    { "precision", KEY_SET, .set = read_precision },
};
static const map_desc run_map = MAP("key", run_keys);

int mdl__scenario_unknown_service(ctx *c, yaml_node_t *n, int extra,
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
        mdl__yaml_err(c, n, extra, "unknown service '%s' %s; did you mean "
                      "'%s'?", name, where, hint);
    else
        mdl__yaml_err(c, n, extra, "unknown service '%s' %s (not in "
                      "topology %s)", name, where, t->path);
    free(names);
    return SIM_EPARSE;
}

/* ---- services: ---- */

static int attr_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *arg)
{
    mdl_service *svc = arg;
    char err[512];
    const char *t, *hint;

    if (mdl__scenario_service_pattern(key))
        return mdl__scenario_service_pattern_read(
            c, (int)(svc - c->s->topo->services), key, k, v);
    /* A mapping under a misspelt pattern's name. */
    if (v->type != YAML_SCALAR_NODE
        && (hint = mdl__scenario_service_pattern_hint(key)))
        return mdl__yaml_err(c, k, 0, "unknown key '%s' in service '%s'; "
                             "did you mean '%s'?", key, svc->name, hint);
    if (v->type != YAML_SCALAR_NODE)
        return mdl__yaml_err(c, v, 0, "'%s' of service '%s' must be a "
                             "value, found %s", key, svc->name,
                             mdl__yaml_kind(v));
    t = mdl__yaml_scalar(v);
    if (mdl_service_set(svc, key, t, c->s->dir, err, sizeof err) != SIM_OK) {
        /* Unknown attributes are the key's fault, bad values the value's. */
        int unknown = strstr(err, "unknown attribute") != NULL;
        if (unknown && (hint = mdl__scenario_service_pattern_hint(key)))
            return mdl__yaml_err(c, k, 0, "unknown key '%s' in service "
                                 "'%s'; did you mean '%s'?", key, svc->name,
                                 hint);
        return mdl__yaml_err(c, unknown ? k : v, 0, "%s", err);
    }
    return SIM_OK;
}

static int svc_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                    void *arg)
{
    int i = mdl_topology_find(c->s->topo, key);

    (void)arg;
    if (i < 0)
        return mdl__scenario_unknown_service(c, k, 0, key, "in 'services'");
    return mdl__yaml_each_pair(c, v, "a service override", attr_pair,
                               &c->s->topo->services[i]);
}

/* ---- the size of a run ---- */

double mdl_scenario_window(const mdl_scenario *s)
{
    double w = (s->warmup + s->duration) / 100, e, m;

    if (s->window > 0)
        return s->window;
    if (!(w > 0))
        return 1.0;
    /* w = m 10^e with 1 <= m < 10, m rounded to 1, 2, 5 or 10 at the
     * geometric means of its neighbours. */
    e = floor(log10(w));
    m = w / pow(10, e);
    m = m < sqrt(2) ? 1 : m < sqrt(10) ? 2 : m < sqrt(50) ? 5 : 10;
    return m * pow(10, e);
}

double mdl_scenario_windows(const mdl_scenario *s)
{
    double q = (s->warmup + s->duration) / mdl_scenario_window(s);
    double r = nearbyint(q);

    if (r >= 1 && fabs(q - r) <= 1e-9 * r)
        return r;
    return ceil(q);
}

/* The series of the time series, at most: five per request scope, three
 * per service, one per call edge (its breaker). */
static double series_of(const mdl_scenario *s)
{
    return 5.0 * (double)(1 + s->nclasses)
           + 3.0 * (double)s->topo->nservices + (double)s->topo->nedges;
}

/* Doubles in one replication's result vector, an upper estimate of
 * mdl_net_result_len() from what mdl_net.h documents: metrics, then a
 * latency histogram of SIM_HIST_BINS counts for the system and for each
 * request class. Up to 16 metrics per request scope, service and edge
 * (stages included) and 4 per replica; then the time series. */
static double result_doubles(const mdl_scenario *s)
{
    const mdl_topology *t = s->topo;
    double n = (double)(1 + s->nclasses) * (SIM_HIST_BINS + 16)
               + 16.0 * (double)t->nservices + 16.0 * (double)t->nedges;
    size_t i;

    for (i = 0; i < t->nservices; i++) {
        double rep = t->services[i].replicas;
        if (s->svc_policy && s->svc_policy[i].autoscale.on)
            rep = (double)s->svc_policy[i].autoscale.max;   /* slots */
        n += 4.0 * rep;
    }
    /* The patterns' and failures' metrics (rate_limited, ejected, up,
     * replicas_mean). */
    if (s->svc_policy || s->nfailures)
        n += 4.0 * (double)t->nservices;
    return n + 1 + mdl_scenario_windows(s) * series_of(s);
}

/* Do the results of s->replications replications fit MDL_RESULTS_MAX? If
 * not, say why in why. */
static int results_fit(const mdl_scenario *s, char *why, size_t n)
{
    double per = result_doubles(s) * sizeof(double);
    double most = floor((double)MDL_RESULTS_MAX / per);
    unsigned kept = mdl_scenario_max_replications(s);

    if ((double)kept * per <= (double)MDL_RESULTS_MAX)
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
                 "MiB qmesh keeps; use at most %.0f", kept,
                 (double)kept * per / 1048576, s->nclasses,
                 s->nclasses == 1 ? "" : "es", s->topo->nservices,
                 s->topo->nservices == 1 ? "" : "s", MDL_RESULTS_MAX >> 20,
                 most);
    return 0;
}

unsigned mdl_scenario_max_replications(const mdl_scenario *s)
{
    unsigned most = s->precision.on ? s->precision.max_replications : 0;

    return most > s->replications ? most : s->replications;
}

/* The scenario of the longest run s may make: with `warmup: auto` the
 * warm-up chosen is at most half of the duration. */
static mdl_scenario longest(const mdl_scenario *s)
{
    mdl_scenario l = *s;

    if (s->warmup_auto)
        l.warmup = s->duration / 2;
    return l;
}

/* The 1-2-5 x 10^k value nearest x from below (up = 0) or the next one
 * above x (up = 1). */
static double step_125(double x, int up)
{
    double e = floor(log10(x)), m = x / pow(10, e);

    if (up)
        m = m < 2 * (1 - 1e-9) ? 2 : m < 5 * (1 - 1e-9) ? 5 : 10;
    else
        m = m >= 5 * (1 - 1e-9) ? 5 : m >= 2 * (1 - 1e-9) ? 2 : 1;
    return m * pow(10, e);
}

double mdl_scenario_pilot_window(const mdl_scenario *s)
{
    mdl_scenario p = *s;
    double x = s->duration / MDL_WARMUP_PILOT_WINDOWS, w;
    char why[8];

    p.warmup = 0;
    w = mdl_scenario_window(&p);        /* the file's, or the default */
    if (x >= 1e-290 && step_125(x, 0) < w)
        w = step_125(x, 0);
    for (;;) {
        p.window = w;
        if (results_fit(&p, why, sizeof why))
            return w;
        w = step_125(w, 1);
        if (s->duration / w < MDL_WARMUP_AUTO_WINDOWS)
            return 0;
    }
}

/* Does the pilot of `warmup: auto` fit? If not, say why in why. */
static int pilot_fits(const mdl_scenario *s, char *why, size_t n)
{
    if (!s->warmup_auto || mdl_scenario_pilot_window(s) > 0)
        return 1;
    snprintf(why, n, "the pilot run of 'warmup: auto' needs at least %d "
             "time-series windows in 'duration', and the results of %u "
             "replications of them take more than the %zu MiB qmesh keeps; "
             "use fewer replications", MDL_WARMUP_AUTO_WINDOWS,
             s->replications, MDL_RESULTS_MAX >> 20);
    return 0;
}

int mdl_scenario_check_run(const mdl_scenario *s, sim_diag *d)
{
    mdl_scenario l = longest(s);
    char why[512];

    if (s->replications < 1 || s->replications > MDL_REPLICATIONS_MAX)
        return sim_diag_set(d, NULL, 0, 0, "--replications must be a whole "
                            "number from 1 to %d, found '%u'",
                            MDL_REPLICATIONS_MAX, s->replications);
    if (!results_fit(&l, why, sizeof why)
        || !pilot_fits(s, why, sizeof why))
        return sim_diag_set(d, NULL, 0, 0, "--replications %u: %s",
                            s->replications, why);
    return SIM_OK;
}

/* ---- top level ---- */

/* The top-level values, each read in the order the checks need. */
typedef struct top_arg {
    yaml_node_t *name, *description, *topology, *workload, *run, *services;
    yaml_node_t *calls;
    yaml_node_t *failures, *sweep;
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
    { "failures", KEY_NODE, TOP(failures) },
    { "sweep", KEY_NODE, TOP(sweep) },
};
static const map_desc top_map = MAP("key", top_keys);

static int load_topology(ctx *c, yaml_node_t *v)
{
    const char *t = mdl__yaml_want_scalar(c, v, "topology");
    char *full;
    int rc;

    if (!t)
        return SIM_EPARSE;
    if (!*t)
        return mdl__yaml_err(c, v, 0, "'topology' must name a GML or "
                             "GraphML file");
    full = malloc(strlen(c->s->dir) + strlen(t) + 2);
    if (!full)
        return SIM_ENOMEM;
    if (t[0] == '/')
        strcpy(full, t);
    else
        sprintf(full, "%s/%s", c->s->dir, t);
    if (access(full, R_OK) != 0) {
        rc = mdl__yaml_err(c, v, mdl__yaml_quote_shift(v), "cannot open "
                           "topology '%s': %s", t, strerror(errno));
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
    mdl_scenario *s = c->s, l;
    char why[512];
    int rc;

    if (!root)
        return mdl__yaml_err(c, NULL, 0, "scenario file is empty");
    /* Check the keys first, so a misspelt key is reported as such. */
    memset(&top, 0, sizeof top);
    rc = mdl__yaml_walk(c, root, "the scenario", &top_map, &top);
    if (rc != SIM_OK)
        return rc;
    if ((v = top.name)) {
        const char *t = mdl__yaml_want_scalar(c, v, "name");
        if (!t)
            return SIM_EPARSE;
        if (mdl__yaml_check_name(c, v, "scenario name", t, 1) != SIM_OK)
            return SIM_EPARSE;
        free(s->name);
        if (!(s->name = strdup(t)))
            return SIM_ENOMEM;
    } else if (mdl__yaml_check_name(c, root, "scenario name (the file's, "
                                    "without a 'name' key)", s->name,
                                    1) != SIM_OK) {
        return SIM_EPARSE;
    }
    if ((v = top.description) && !mdl__yaml_want_scalar(c, v, "description"))
        return SIM_EPARSE;
    if (!(v = top.topology))
        return mdl__yaml_err(c, root, 0, "missing key 'topology' (the service "
                             "graph file)");
    rc = load_topology(c, v);
    if (rc != SIM_OK)
        return rc;
    if ((v = top.services)) {
        rc = mdl__yaml_each_pair(c, v, "'services'", svc_pair, NULL);
        if (rc != SIM_OK)
            return rc;
        rc = mdl_topology_check(s->topo, c->d);
        if (rc != SIM_OK)
            return rc;
    }
    /* Before anything computes loads over a cycle that cannot run. */
    if ((rc = mdl_topology_check_cycles(s->topo, c->d)) != SIM_OK)
        return rc;
    if (top.calls && (rc = mdl__scenario_calls_read(c, top.calls)) != SIM_OK)
        return rc;
    if (top.failures
        && (rc = mdl__scenario_failures_read(c, top.failures)) != SIM_OK)
        return rc;
    if (top.sweep && (rc = mdl__scenario_sweep_read(c, top.sweep)) != SIM_OK)
        return rc;
    if (!(v = top.workload))
        return mdl__yaml_err(c, root, 0, "missing key 'workload' (who sends "
                             "requests)");
    /* The line of the `workload:` key itself, not of its first item. */
    s->workload_line =
        (int)mdl__yaml_find(c, root, "workload", 1)->start_mark.line + 1;
    rc = mdl__scenario_workload_read(c, v);
    if (rc == SIM_OK)
        rc = mdl__scenario_workload_check_types(c);
    if (rc != SIM_OK)
        return rc;
    if (!(v = top.run))
        return mdl__yaml_err(c, root, 0, "missing key 'run' (at least "
                             "'duration')");
    rc = mdl__yaml_walk(c, v, "'run'", &run_map, s);
    if (rc != SIM_OK)
        return rc;
    if (!mdl__yaml_lookup(c, v, "duration"))
        return mdl__yaml_err(c, v, 0, "missing key 'duration' in 'run'");
    /* Sizes are checked for the longest run an automatic warm-up can
     * make. */
    l = longest(s);
    if ((k = mdl__yaml_lookup(c, v, "window"))
        && mdl_scenario_windows(&l) > MDL_WINDOWS_MAX)
        return mdl__yaml_err(c, k, 0, "'window' of %g s makes %.0f "
                             "time-series windows over warm-up and duration "
                             "(%g s%s), more than the %d qmesh keeps (each "
                             "is a row of timeseries.csv per series and "
                             "replication); use a window of at least %g s",
                             s->window, mdl_scenario_windows(&l),
                             l.warmup + l.duration, s->warmup_auto
                             ? ", with the longest automatic warm-up" : "",
                             MDL_WINDOWS_MAX, (l.warmup + l.duration)
                                              / MDL_WINDOWS_MAX);
    if (results_fit(&l, why, sizeof why) && pilot_fits(s, why, sizeof why))
        return SIM_OK;
    /* At the replications, or at the workloads whose classes take it. */
    if (!(k = mdl__yaml_lookup(c, v, "replications")))
        k = mdl__yaml_find(c, root, "workload", 1);
    return mdl__yaml_err(c, k, 0, "%s", why);
}



/* ---- entry points ---- */

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
    rc = mdl__yaml_parse(&c, text, len);
    free(text);
    if (rc != SIM_OK)
        goto fail;
    have_doc = 1;
    for (i = 0; i < nsets && rc == SIM_OK; i++)
        rc = mdl__scenario_override_apply(&c, sets[i]);
    if (rc == SIM_OK)
        rc = read_scenario(&c);
    /* the recipe: the overrides, kept (NULL slots free as nothing) */
    if (rc == SIM_OK && nsets > 0) {
        if ((c.s->sets = calloc(nsets, sizeof *c.s->sets)))
            c.s->nsets = nsets;
        for (i = 0; i < c.s->nsets; i++)
            if (!(c.s->sets[i] = strdup(sets[i])))
                break;
        if (i < nsets)
            rc = SIM_ENOMEM;
    }
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
    for (i = 0; i < s->nfailures; i++) {
        mdl_dist_destroy(&s->failures[i].mttf);
        mdl_dist_destroy(&s->failures[i].mttr);
    }
    free(s->failures);
    free(s->svc_policy);
    free(s->precision.metric);
    for (i = 0; i < s->naxes; i++)
        mdl_axis_destroy(&s->axes[i]);
    free(s->axes);
    for (i = 0; i < s->nplot; i++)
        free(s->plot[i]);
    free(s->plot);
    for (i = 0; i < s->nsets; i++)
        free(s->sets[i]);
    free(s->sets);
    free(s->loads);
    mdl_topology_free(s->topo);
    free(s->path);
    free(s->dir);
    free(s->name);
    free(s);
}

int mdl_scenario_add_load(mdl_scenario *s, double target)
{
    double *l = realloc(s->loads, (s->nloads + 1) * sizeof *l);

    if (!l)
        return SIM_ENOMEM;
    s->loads = l;
    s->loads[s->nloads++] = target;
    return SIM_OK;
}

int mdl_scenario_edge_applies(const mdl_scenario *s, size_t e, size_t c)
{
    const mdl_edge *edge = &s->topo->edges[e];

    return !edge->types || mdl_edge_names_type(edge, s->classes[c].name);
}
