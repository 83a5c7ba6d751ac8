/*
 * mdl_results.c - the result vector of a replication, driven by the
 * metric tables of mdl_metrics.c: the list of (scope, metric) the net
 * reports, their names, units and ranges, and the values of one
 * replication.
 *
 * Scopes, in result order: system, class:NAME, then per service
 * service:NAME (with the metrics of its patterns and failures, if any),
 * replica:NAME#R (several replicas only), stage:NAME#S (stages with
 * calls), then per edge call:A->B or publish:A->B, with #K
 * when several edges of a kind join the same two services (K counts from
 * 0 in file order). Histograms follow: the system's, then each class's.
 */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdl_int.h"

struct metric {
    char *scope;            /* owned by the first metric of its add() */
    const metric_def *def;
    const void *obj;        /* what get() reads: a cls, service, ... */
    double max;
};

/* ---- building the list ---- */

/* The metrics of set for one scope, reading obj; delay: the scope is a
 * delay station's. */
static int add(mdl_net *net, const char *scope, metric_set set,
               const void *obj, int delay)
{
    metric *m = net->metrics;
    char *copy;
    size_t i;

    if (net->nmetrics + set.n > net->metrics_cap) {
        /* Doubling: a large topology adds scopes by the thousand. */
        size_t cap = 2 * net->metrics_cap + set.n;

        if (!(m = realloc(net->metrics, cap * sizeof *m)))
            return SIM_ENOMEM;
        net->metrics = m;
        net->metrics_cap = cap;
    }
    if (set.n == 0)
        return SIM_OK;
    /* One copy of the name for the set's metrics, not one each. */
    if (!(copy = strdup(scope)))
        return SIM_ENOMEM;
    for (i = 0; i < set.n; i++, net->nmetrics++) {
        const metric_def *def = &set.defs[i];
        metric *x = &m[net->nmetrics];
        /* Every metric says which way is better (mdl_metrics.c). */
        assert(def->better >= MDL_BETTER_LOWER
               && def->better <= MDL_BETTER_NEITHER);
        x->scope = copy;
        x->def = def;
        x->obj = obj;
        x->max = def->range == MDL_RANGE_FRACTION
                 || (def->range == MDL_RANGE_UTILIZATION && !delay)
                 ? 1.0 : INFINITY;
    }
    return SIM_OK;
}

static int add_service(mdl_net *net, const service *sv, char *scope,
                       size_t len)
{
    const mdl_topology *t = net->t;
    int delay = sv->svc->kind == MDL_SVC_DELAY, r, rc;

    snprintf(scope, len, "service:%s", sv->svc->name);
    rc = add(net, scope, MDL__SVC_METRICS, sv, delay);
    if (rc == SIM_OK && sv->limiter)
        rc = add(net, scope, MDL__LIMIT_METRICS, sv, delay);
    if (rc == SIM_OK && sv->outlier)
        rc = add(net, scope, MDL__OUTLIER_METRICS, sv, delay);
    if (rc == SIM_OK && sv->faulty)
        rc = add(net, scope, MDL__UP_METRICS, sv, delay);
    if (rc == SIM_OK && sv->as)
        rc = add(net, scope, MDL__AUTOSCALE_METRICS, sv, delay);
    for (r = 0; rc == SIM_OK && sv->nrep > 1 && r < sv->nrep; r++) {
        snprintf(scope, len, "replica:%s#%d", sv->svc->name, r);
        rc = add(net, scope, MDL__REP_METRICS, &sv->rep[r], delay);
    }
    for (r = 0; rc == SIM_OK && r < sv->nstages; r++) {
        if (sv->stages[r].ncalls == 0)
            continue;
        snprintf(scope, len, "stage:%s#%d", sv->svc->name,
                 t->edges[sv->stages[r].edges[0]].stage);
        rc = add(net, scope, MDL__STAGE_METRICS, &sv->stages[r], 0);
    }
    return rc;
}

/* Sort support: edges ordered by (from, to, kind, index). */
static const mdl_edge *sort_edges;

static int cmp_pair(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const mdl_edge *x = &sort_edges[i], *y = &sort_edges[j];

    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return (i > j) - (i < j);
}

/* Several edges of a kind between the same two services (calls in
 * several stages, say) are told apart by their position among them,
 * counted from 0 in file order as replicas are: nth[i] is edge i's
 * position, or -1 when it is alone. One sort of the edges by (from, to,
 * kind, index) puts each such group together, in file order. */
static int number_edges(const mdl_topology *t, long *nth)
{
    size_t *order = malloc((t->nedges + 1) * sizeof *order);
    size_t i, j, k;

    if (!order)
        return SIM_ENOMEM;
    for (i = 0; i < t->nedges; i++)
        order[i] = i;
    sort_edges = t->edges;
    qsort(order, t->nedges, sizeof *order, cmp_pair);
    for (i = 0; i < t->nedges; i = j) {
        const mdl_edge *e = &t->edges[order[i]];

        for (j = i + 1; j < t->nedges; j++) {
            const mdl_edge *f = &t->edges[order[j]];

            if (f->from != e->from || f->to != e->to || f->kind != e->kind)
                break;
        }
        for (k = i; k < j; k++)
            nth[order[k]] = j - i > 1 ? (long)(k - i) : -1;
    }
    free(order);
    return SIM_OK;
}

/* The metrics of edge i, numbered nth (-1: no number). */
static int add_edge(mdl_net *net, size_t i, long nth, char *scope,
                    size_t len)
{
    const mdl_topology *t = net->t;
    const mdl_edge *e = &t->edges[i];

    snprintf(scope, len, "%s:%s->%s",
             e->kind == MDL_EDGE_CALL ? "call" : "publish",
             t->services[e->from].name, t->services[e->to].name);
    if (nth >= 0)
        snprintf(scope + strlen(scope), len - strlen(scope), "#%ld", nth);
    if (e->kind == MDL_EDGE_CALL)
        return add(net, scope, MDL__CALL_METRICS, &net->es[i], 0);
    return add(net, scope, MDL__PUB_METRICS, &net->es[i], 0);
}

/* Metrics of a request scope: the fallback's only where there is one. */
static int add_requests(mdl_net *net, const char *scope, const cls *c)
{
    int rc = add(net, scope, MDL__REQ_METRICS, c, 0);

    if (rc == SIM_OK && net->fallback)
        rc = add(net, scope, MDL__FALLBACK_METRICS, c, 0);
    return rc;
}

/* How many metrics each request scope has. */
static size_t req_metrics(const mdl_net *net)
{
    return MDL__REQ_METRICS.n + (net->fallback ? MDL__FALLBACK_METRICS.n : 0);
}

int mdl__results_build(mdl_net *net)
{
    char scope[1200];
    long *nth = NULL;
    size_t i;
    int rc = add_requests(net, "system", &net->sys);

    for (i = 0; rc == SIM_OK && i < net->ncls; i++) {
        snprintf(scope, sizeof scope, "class:%s", net->s->classes[i].name);
        rc = add_requests(net, scope, &net->cl[i]);
    }
    for (i = 0; rc == SIM_OK && i < net->nsv; i++)
        rc = add_service(net, &net->sv[i], scope, sizeof scope);
    if (rc == SIM_OK && !(nth = malloc((net->nedges + 1) * sizeof *nth)))
        rc = SIM_ENOMEM;
    if (rc == SIM_OK)
        rc = number_edges(net->t, nth);
    for (i = 0; rc == SIM_OK && i < net->nedges; i++)
        if (net->t->edges[i].kind != MDL_EDGE_FORWARD)
            rc = add_edge(net, i, nth[i], scope, sizeof scope);
    free(nth);
    if (rc == SIM_OK && net->nmetrics < net->metrics_cap) {
        metric *m = realloc(net->metrics, net->nmetrics * sizeof *m);

        if (m) {                    /* else keep the larger block */
            net->metrics = m;
            net->metrics_cap = net->nmetrics;
        }
    }
    return rc;
}

void mdl__results_free(mdl_net *net)
{
    size_t i;

    for (i = 0; i < net->nmetrics; i++)
        if (i == 0 || net->metrics[i].scope != net->metrics[i - 1].scope)
            free(net->metrics[i].scope);
    free(net->metrics);
    net->metrics = NULL;
    net->nmetrics = 0;
    net->metrics_cap = 0;
}

/* ---- a replication's values ---- */

static void reset_cls(cls *c)
{
    sim_tally_reset(&c->lat);
    sim_hist_reset(c->hist);
    c->entered = c->ok = c->rejected = c->failed = c->timed_out = 0;
    c->degraded = 0;
}

void mdl__results_reset(mdl_net *net, double now)
{
    size_t i, k;
    int r;

    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        for (r = 0; r < sv->nrep; r++) {
            replica *rp = &sv->rep[r];
            mdl_station_reset_stats(&rp->st, now);
            sim_twa_reset(&rp->jobs, now);
            sim_tally_reset(&rp->resp);
            sim_tally_reset(&rp->callee);
            rp->arrivals = rp->rejected = rp->departures = rp->self = 0;
            rp->orphan_work = 0;
            rp->errors = rp->refused = 0;
        }
        sim_twa_reset(&sv->up, now);
        if (sv->as)
            mdl_autoscaler_reset_stats(sv->as, now);
        for (k = 0; k < (size_t)sv->nstages; k++)
            sim_tally_reset(&sv->stages[k].dur);
        if (sv->limiter)
            mdl_ratelimit_clear(sv->limiter);
        if (sv->outlier)
            mdl_outlier_reset_stats(sv->outlier, now);
    }
    for (i = 0; i < net->ncls; i++)
        reset_cls(&net->cl[i]);
    net->call_attempts = net->call_ended = 0;
    for (i = 0; i < net->nedges; i++) {
        sim_tally_reset(&net->es[i].lat);
        net->es[i].count = net->es[i].ok = net->es[i].failed = 0;
        net->es[i].timeouts = net->es[i].errors = net->es[i].rejected = 0;
        net->es[i].attempts = 0;
        net->es[i].short_circuited = 0;
        if (net->es[i].breaker)
            mdl_breaker_reset_stats(net->es[i].breaker, now);
    }
    reset_cls(&net->sys);
    net->finished = 0;
}

void mdl__results_collect(const mdl_net *net, double now, double *out)
{
    metric_at x = { net, now, now - net->s->warmup };
    size_t i, b;

    if (x.span <= 0)
        x.span = NAN;
    for (i = 0; i < net->nmetrics; i++)
        *out++ = net->metrics[i].def->get(&x, net->metrics[i].obj);
    for (b = 0; b < SIM_HIST_BINS; b++)
        *out++ = (double)net->sys.hist->count[b];
    for (i = 0; i < net->ncls; i++)
        for (b = 0; b < SIM_HIST_BINS; b++)
            *out++ = (double)net->cl[i].hist->count[b];
}

/* ---- what the header promises ---- */

size_t mdl_net_nmetrics(const mdl_net *net)
{
    return net->nmetrics;
}

const char *mdl_net_scope(const mdl_net *net, size_t i)
{
    return net->metrics[i].scope;
}

const char *mdl_net_metric(const mdl_net *net, size_t i)
{
    return net->metrics[i].def->name;
}

const char *mdl_net_metric_unit(const mdl_net *net, size_t i)
{
    return net->metrics[i].def->unit;
}

int mdl_net_metric_quiet(const mdl_net *net, size_t i, double *usual)
{
    int q = net->metrics[i].def->quiet;

    *usual = q == MDL_QUIET_ONE ? 1.0 : 0.0;
    return q != 0;
}

int mdl_net_metric_better(const mdl_net *net, size_t i)
{
    return net->metrics[i].def->better;
}

double mdl_net_metric_max(const mdl_net *net, size_t i)
{
    return net->metrics[i].max;
}

double mdl_net_metric_quantile(const mdl_net *net, size_t i, size_t *hist)
{
    const metric *m = &net->metrics[i];
    double p = mdl__metric_quantile(m->def);

    if (!(p > 0))
        return 0;
    /* Only request scopes have quantiles: obj is the system or a class. */
    *hist = m->obj == &net->sys ? 0
            : 1 + (size_t)((const cls *)m->obj - net->cl);
    return p;
}

size_t mdl_net_nhists(const mdl_net *net)
{
    return 1 + net->ncls;
}

const char *mdl_net_hist_scope(const mdl_net *net, size_t h)
{
    return net->metrics[h * req_metrics(net)].scope;
}

size_t mdl_net_result_len(const mdl_net *net)
{
    return net->nmetrics + mdl_net_nhists(net) * SIM_HIST_BINS + 1
           + net->ts.nwin * net->ts.n;
}

const void *mdl__results_obj(const mdl_net *net, size_t i)
{
    return net->metrics[i].obj;
}
