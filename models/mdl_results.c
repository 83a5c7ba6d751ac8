/*
 * mdl_results.c - the metrics of a replication: one table per kind of
 * scope names each metric, its unit, its range and the function that
 * reads it, and that table alone drives the names (mdl_net_scope,
 * mdl_net_metric), the units, the ranges and the result vector.
 *
 * Scopes, in result order: system, class:NAME, then per service
 * service:NAME, replica:NAME#R (several replicas only), stage:NAME#S
 * (stages with calls), then per edge call:A->B or publish:A->B, with #K
 * when several edges of a kind join the same two services (K counts from
 * 0 in file order). Histograms follow: the system's, then each class's.
 *
 * Rates are over the measured span (after warm-up); shares of outcomes
 * over the requests that finished; means are NaN with no observation.
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdl_int.h"

/* What a getter may read: the net, the clock and the measured span. */
typedef struct at {
    const mdl_net *net;
    double now, span;       /* s */
} at;

typedef double (*getter)(const at *x, const void *obj);

enum { ANY, FRACTION, UTILIZATION };  /* range: UTILIZATION is a fraction
                                          except at a delay station */

typedef struct metric_def {
    const char *name;
    const char *unit;       /* "s", "1/s" or "" */
    int range;
    getter get;
    int quiet;              /* an outcome that matters only where it
                               happens: the table leaves out zeros */
} metric_def;

struct metric {
    char *scope;            /* owned */
    const metric_def *def;
    const void *obj;        /* what get() reads: a cls, service, ... */
    double max;
};

#define NELEM(a) (sizeof (a) / sizeof *(a))

static double mean_or_nan(const sim_tally *t)
{
    return t->n > 0 ? t->mean : NAN;
}

static double quantile_or_nan(const sim_hist *h, double p)
{
    return h->n ? sim_hist_quantile(h, p) : NAN;
}

/* ---- requests: the system and each class ---- */

static double done_of(const cls *c)
{
    return c->ok + c->rejected + c->failed + c->timed_out;
}

static double req_lat_mean(const at *x, const void *o)
{
    (void)x;
    return mean_or_nan(&((const cls *)o)->lat);
}

static double req_p50(const at *x, const void *o)
{
    (void)x;
    return quantile_or_nan(((const cls *)o)->hist, 0.50);
}

static double req_p95(const at *x, const void *o)
{
    (void)x;
    return quantile_or_nan(((const cls *)o)->hist, 0.95);
}

static double req_p99(const at *x, const void *o)
{
    (void)x;
    return quantile_or_nan(((const cls *)o)->hist, 0.99);
}

static double req_p999(const at *x, const void *o)
{
    (void)x;
    return quantile_or_nan(((const cls *)o)->hist, 0.999);
}

static double req_avail(const at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->ok / done : NAN;
}

static double req_throughput(const at *x, const void *o)
{
    return ((const cls *)o)->ok / x->span;
}

static double req_rejected(const at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->rejected / done : NAN;
}

static double req_failed(const at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->failed / done : NAN;
}

static double req_timed_out(const at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->timed_out / done : NAN;
}

static const metric_def REQ[] = {
    { "latency_mean", "s", ANY, req_lat_mean, 0 },
    { "latency_p50", "s", ANY, req_p50, 0 },
    { "latency_p95", "s", ANY, req_p95, 0 },
    { "latency_p99", "s", ANY, req_p99, 0 },
    { "latency_p999", "s", ANY, req_p999, 0 },
    { "availability", "", FRACTION, req_avail, 0 },
    { "throughput", "1/s", ANY, req_throughput, 0 },
    { "rejected", "", FRACTION, req_rejected, 1 },
    { "failed", "", FRACTION, req_failed, 1 },
    { "timed_out", "", FRACTION, req_timed_out, 1 },
};

/* ---- services: sums and pooled means over their replicas ---- */

static double sum_of(const service *sv, size_t offset)
{
    double x = 0;
    int r;

    for (r = 0; r < sv->nrep; r++)
        x += *(const double *)((const char *)&sv->rep[r] + offset);
    return x;
}

/* Pooled mean of one tally over the replicas (NaN with no observation). */
static double pooled(const service *sv, size_t offset)
{
    double n = 0, sum = 0;
    int r;

    for (r = 0; r < sv->nrep; r++) {
        const sim_tally *t = (const sim_tally *)((const char *)&sv->rep[r]
                                                 + offset);
        n += t->n;
        sum += t->n * t->mean;
    }
    return n > 0 ? sum / n : NAN;
}

#define SUM(sv, field) sum_of(sv, offsetof(replica, field))
#define POOLED(sv, field) pooled(sv, offsetof(replica, field))

static double svc_util(const at *x, const void *o)
{
    const service *sv = o;
    double util = 0;
    int r;

    for (r = 0; r < sv->nrep; r++)
        util += mdl_station_utilization(&sv->rep[r].st, x->now);
    return sv->rep[0].st.c == INT_MAX ? util : util / sv->nrep;
}

static double svc_jobs(const at *x, const void *o)
{
    const service *sv = o;
    double jobs = 0;
    int r;

    for (r = 0; r < sv->nrep; r++)
        jobs += sim_twa_mean(&sv->rep[r].jobs, x->now);
    return jobs;
}

static double svc_queue(const at *x, const void *o)
{
    const service *sv = o;
    double queue = 0;
    int r;

    for (r = 0; r < sv->nrep; r++)
        queue += sim_twa_mean(&sv->rep[r].st.queue_twa, x->now);
    return queue;
}

static double svc_wait(const at *x, const void *o)
{
    (void)x;
    return POOLED((const service *)o, st.wait);
}

/* Accepted arrivals that found no free worker. */
static double svc_p_wait(const at *x, const void *o)
{
    const service *sv = o;
    double arr = SUM(sv, arrivals), rej = SUM(sv, rejected);

    (void)x;
    return arr > rej ? SUM(sv, st.waited) / (arr - rej) : NAN;
}

static double svc_work(const at *x, const void *o)
{
    (void)x;
    return POOLED((const service *)o, st.work);
}

static double svc_callee(const at *x, const void *o)
{
    const service *sv = o;

    (void)x;
    return sv->nstages > 0 ? POOLED(sv, callee) : 0.0;
}

static double svc_response(const at *x, const void *o)
{
    (void)x;
    return POOLED((const service *)o, resp);
}

static double svc_visits(const at *x, const void *o)
{
    double entered = x->net->sys.entered;

    return entered > 0 ? SUM((const service *)o, arrivals) / entered : NAN;
}

static double svc_throughput(const at *x, const void *o)
{
    return SUM((const service *)o, departures) / x->span;
}

static double svc_rejected(const at *x, const void *o)
{
    const service *sv = o;
    double arr = SUM(sv, arrivals);

    (void)x;
    return arr > 0 ? SUM(sv, rejected) / arr : 0.0;
}

/* Over successful requests only, the ones latency_mean is about: a
 * rejected request's zero would pull it below the latency it is a part
 * of. */
static double svc_self(const at *x, const void *o)
{
    double ok = x->net->sys.ok;

    return ok > 0 ? SUM((const service *)o, self) / ok : NAN;
}

/* Share of successful requests' latency spent here (queueing and
 * working, not waiting on callees); parallel calls can make the shares of
 * a request add up to more than 1. */
static double svc_share(const at *x, const void *o)
{
    double t = x->net->sys_time;

    return t > 0 ? SUM((const service *)o, self) / t : NAN;
}

/* Share of its work (service time) done for callers that had stopped
 * waiting, or whose callers above had. */
static double svc_orphaned(const at *x, const void *o)
{
    const service *sv = o;
    double work = 0;
    int r;

    (void)x;
    for (r = 0; r < sv->nrep; r++)
        work += sv->rep[r].st.work.n * sv->rep[r].st.work.mean;
    return work > 0 ? SUM(sv, orphan_work) / work : 0.0;
}

/* Share of accepted arrivals dropped unstarted past their deadline. */
static double svc_dropped(const at *x, const void *o)
{
    const service *sv = o;
    double arr = SUM(sv, arrivals), rej = SUM(sv, rejected);

    (void)x;
    return arr > rej ? SUM(sv, st.dropped) / (arr - rej) : 0.0;
}

static const metric_def SVC[] = {
    { "utilization", "", UTILIZATION, svc_util, 0 },
    { "jobs_mean", "", ANY, svc_jobs, 0 },
    { "queue_mean", "", ANY, svc_queue, 0 },
    { "wait_mean", "s", ANY, svc_wait, 0 },
    { "p_wait", "", FRACTION, svc_p_wait, 0 },
    { "work_mean", "s", ANY, svc_work, 0 },
    { "callee_mean", "s", ANY, svc_callee, 0 },
    { "response_mean", "s", ANY, svc_response, 0 },
    { "visits", "", ANY, svc_visits, 0 },
    { "throughput", "1/s", ANY, svc_throughput, 0 },
    { "rejected", "", FRACTION, svc_rejected, 1 },
    { "self_per_request", "s", ANY, svc_self, 0 },
    { "self_share", "", ANY, svc_share, 0 },
    { "orphaned", "", FRACTION, svc_orphaned, 1 },
    { "deadline_dropped", "", FRACTION, svc_dropped, 1 },
};

/* ---- replicas and stages ---- */

static double rep_util(const at *x, const void *o)
{
    return mdl_station_utilization(&((const replica *)o)->st, x->now);
}

static double rep_jobs(const at *x, const void *o)
{
    return sim_twa_mean(&((const replica *)o)->jobs, x->now);
}

static double rep_response(const at *x, const void *o)
{
    (void)x;
    return mean_or_nan(&((const replica *)o)->resp);
}

static double rep_throughput(const at *x, const void *o)
{
    return ((const replica *)o)->departures / x->span;
}

static const metric_def REP[] = {
    { "utilization", "", UTILIZATION, rep_util, 0 },
    { "jobs_mean", "", ANY, rep_jobs, 0 },
    { "response_mean", "s", ANY, rep_response, 0 },
    { "throughput", "1/s", ANY, rep_throughput, 0 },
};

static double stage_duration(const at *x, const void *o)
{
    (void)x;
    return mean_or_nan(&((const stage *)o)->dur);
}

static const metric_def STAGE[] = {
    { "duration_mean", "s", ANY, stage_duration, 0 },
};

/* ---- edges ---- */

static double edge_lat(const at *x, const void *o)
{
    (void)x;
    return mean_or_nan(&((const edge_rt *)o)->lat);
}

/* Calls per request. */
static double call_count(const at *x, const void *o)
{
    double entered = x->net->sys.entered;

    return entered > 0 ? ((const edge_rt *)o)->count / entered : NAN;
}

static double pub_avail(const at *x, const void *o)
{
    const edge_rt *es = o;

    (void)x;
    return es->ok + es->failed > 0 ? es->ok / (es->ok + es->failed) : NAN;
}

static double pub_throughput(const at *x, const void *o)
{
    return ((const edge_rt *)o)->ok / x->span;
}

static double call_share(const edge_rt *es, double n)
{
    double ended = es->ok + es->failed;

    return ended > 0 ? n / ended : NAN;
}

static double call_timeouts(const at *x, const void *o)
{
    (void)x;
    return call_share(o, ((const edge_rt *)o)->timeouts);
}

static double call_errors(const at *x, const void *o)
{
    (void)x;
    return call_share(o, ((const edge_rt *)o)->errors);
}

static const metric_def CALL[] = {
    { "latency_mean", "s", ANY, edge_lat, 0 },
    { "calls", "", ANY, call_count, 0 },
    { "timeouts", "", FRACTION, call_timeouts, 1 },
    { "errors", "", FRACTION, call_errors, 1 },
};

static const metric_def PUB[] = {
    { "latency_mean", "s", ANY, edge_lat, 0 },
    { "availability", "", FRACTION, pub_avail, 0 },
    { "throughput", "1/s", ANY, pub_throughput, 0 },
};

/* ---- building the list ---- */

/* delay: the scope is a delay station's. */
static int add(mdl_net *net, const char *scope, const metric_def *defs,
               size_t n, const void *obj, int delay)
{
    metric *m = realloc(net->metrics, (net->nmetrics + n) * sizeof *m);
    size_t i;

    if (!m)
        return SIM_ENOMEM;
    net->metrics = m;
    for (i = 0; i < n; i++, net->nmetrics++) {
        metric *x = &m[net->nmetrics];
        if (!(x->scope = strdup(scope)))
            return SIM_ENOMEM;
        x->def = &defs[i];
        x->obj = obj;
        x->max = defs[i].range == FRACTION
                 || (defs[i].range == UTILIZATION && !delay) ? 1.0
                                                             : INFINITY;
    }
    return SIM_OK;
}

static int add_service(mdl_net *net, const service *sv, char *scope,
                       size_t len)
{
    const mdl_topology *t = net->t;
    int delay = sv->svc->kind == MDL_SVC_DELAY, r, rc;

    snprintf(scope, len, "service:%s", sv->svc->name);
    rc = add(net, scope, SVC, NELEM(SVC), sv, delay);
    for (r = 0; rc == SIM_OK && sv->nrep > 1 && r < sv->nrep; r++) {
        snprintf(scope, len, "replica:%s#%d", sv->svc->name, r);
        rc = add(net, scope, REP, NELEM(REP), &sv->rep[r], delay);
    }
    for (r = 0; rc == SIM_OK && r < sv->nstages; r++) {
        if (sv->stages[r].ncalls == 0)
            continue;
        snprintf(scope, len, "stage:%s#%d", sv->svc->name,
                 t->edges[sv->stages[r].edges[0]].stage);
        rc = add(net, scope, STAGE, NELEM(STAGE), &sv->stages[r], 0);
    }
    return rc;
}

/* Several edges of a kind between the same two services (calls in
 * several stages, say) are told apart by their position among them,
 * counted from 0 in file order as replicas are. */
static int add_edge(mdl_net *net, size_t i, char *scope, size_t len)
{
    const mdl_topology *t = net->t;
    const mdl_edge *e = &t->edges[i];
    size_t j, same = 0, nth = 0;

    for (j = 0; j < net->nedges; j++)
        if (t->edges[j].from == e->from && t->edges[j].to == e->to
            && t->edges[j].kind == e->kind) {
            same++;
            nth += j < i;
        }
    snprintf(scope, len, "%s:%s->%s",
             e->kind == MDL_EDGE_CALL ? "call" : "publish",
             t->services[e->from].name, t->services[e->to].name);
    if (same > 1)
        snprintf(scope + strlen(scope), len - strlen(scope), "#%zu", nth);
    if (e->kind == MDL_EDGE_CALL)
        return add(net, scope, CALL, NELEM(CALL), &net->es[i], 0);
    return add(net, scope, PUB, NELEM(PUB), &net->es[i], 0);
}

int mdl__results_build(mdl_net *net)
{
    char scope[1200];
    size_t i;
    int rc = add(net, "system", REQ, NELEM(REQ), &net->sys, 0);

    for (i = 0; rc == SIM_OK && i < net->ncls; i++) {
        snprintf(scope, sizeof scope, "class:%s", net->s->classes[i].name);
        rc = add(net, scope, REQ, NELEM(REQ), &net->cl[i], 0);
    }
    for (i = 0; rc == SIM_OK && i < net->nsv; i++)
        rc = add_service(net, &net->sv[i], scope, sizeof scope);
    for (i = 0; rc == SIM_OK && i < net->nedges; i++)
        if (net->t->edges[i].kind != MDL_EDGE_FORWARD)
            rc = add_edge(net, i, scope, sizeof scope);
    return rc;
}

void mdl__results_free(mdl_net *net)
{
    size_t i;

    for (i = 0; i < net->nmetrics; i++)
        free(net->metrics[i].scope);
    free(net->metrics);
    net->metrics = NULL;
    net->nmetrics = 0;
}

/* ---- a replication's values ---- */

static void reset_cls(cls *c)
{
    sim_tally_reset(&c->lat);
    sim_hist_reset(c->hist);
    c->entered = c->ok = c->rejected = c->failed = c->timed_out = 0;
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
        }
        for (k = 0; k < (size_t)sv->nstages; k++)
            sim_tally_reset(&sv->stages[k].dur);
    }
    for (i = 0; i < net->ncls; i++)
        reset_cls(&net->cl[i]);
    for (i = 0; i < net->nedges; i++) {
        sim_tally_reset(&net->es[i].lat);
        net->es[i].count = net->es[i].ok = net->es[i].failed = 0;
        net->es[i].timeouts = net->es[i].errors = 0;
    }
    reset_cls(&net->sys);
    net->sys_time = 0;
    net->finished = 0;
}

void mdl__results_collect(const mdl_net *net, double now, double *out)
{
    at x = { net, now, now - net->s->warmup };
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

int mdl_net_metric_quiet(const mdl_net *net, size_t i)
{
    return net->metrics[i].def->quiet;
}

double mdl_net_metric_max(const mdl_net *net, size_t i)
{
    return net->metrics[i].max;
}

size_t mdl_net_nhists(const mdl_net *net)
{
    return 1 + net->ncls;
}

const char *mdl_net_hist_scope(const mdl_net *net, size_t h)
{
    return net->metrics[h * NELEM(REQ)].scope;
}

size_t mdl_net_result_len(const mdl_net *net)
{
    return net->nmetrics + mdl_net_nhists(net) * SIM_HIST_BINS;
}
