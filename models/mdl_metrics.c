/*
 * mdl_metrics.c - what each kind of scope reports: one table per kind
 * (requests, services, replicas, stages, calls, publishes) naming each
 * metric, its unit, its range and the function that reads it from the
 * net's counters. The tables alone drive the names, units, ranges and
 * values of the results (mdl_results.c).
 *
 * Rates are over the measured span (after warm-up); shares of outcomes
 * over the requests (or calls) that finished; means are NaN with no
 * observation.
 *
 * Each metric also says which way is better (`qmesh compare` judges a
 * difference by it): lower for times, queues, outcomes that failed and
 * tries; higher for availability and up; neither for what a change of
 * architecture may rightly raise or lower (utilization, throughput,
 * visits, replicas, shares of the latency, degraded answers). A metric
 * without one is a bug that mdl_results.c asserts.
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include "mdl_int.h"

#define NELEM(a) (sizeof (a) / sizeof *(a))

/* Short names for the column of the tables saying which way is better. */
enum {
    LOWER = MDL_BETTER_LOWER, HIGHER = MDL_BETTER_HIGHER,
    NONE = MDL_BETTER_NEITHER
};
#define SET(defs) { (defs), NELEM(defs) }


static double quantile_or_nan(const sim_hist *h, double p)
{
    return h->n ? sim_hist_quantile(h, p) : NAN;
}

/* ---- requests: the system and each class ---- */

static double done_of(const cls *c)
{
    return c->ok + c->rejected + c->failed + c->timed_out;
}

static double req_lat_mean(const metric_at *x, const void *o)
{
    return sim_tally_mean(mdl__cls_lat(x->net, o));
}

/* latency_p50 ... latency_p999: the quantiles at QUANTILE_P[k], each
 * replication's own; mdl__metric_quantile() names them so that
 * ana_report can pool the histograms over the replications instead. */
static const double QUANTILE_P[] = {0.50, 0.95, 0.99, 0.999};

static double req_quantile(const void *o, int k)
{
    return quantile_or_nan(((const cls *)o)->hist, QUANTILE_P[k]);
}

static double req_p50(const metric_at *x, const void *o)
{
    (void)x;
    return req_quantile(o, 0);
}

static double req_p95(const metric_at *x, const void *o)
{
    (void)x;
    return req_quantile(o, 1);
}

static double req_p99(const metric_at *x, const void *o)
{
    (void)x;
    return req_quantile(o, 2);
}

static double req_p999(const metric_at *x, const void *o)
{
    (void)x;
    return req_quantile(o, 3);
}

double mdl__metric_quantile(const metric_def *def)
{
    static double (*const get[])(const metric_at *, const void *) = {
        req_p50, req_p95, req_p99, req_p999
    };
    size_t k;

    for (k = 0; k < NELEM(get); k++)
        if (def->get == get[k])
            return QUANTILE_P[k];
    return 0;
}

static double req_avail(const metric_at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->ok / done : NAN;
}

static double req_throughput(const metric_at *x, const void *o)
{
    return ((const cls *)o)->ok / x->span;
}

static double req_rejected(const metric_at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->rejected / done : NAN;
}

static double req_failed(const metric_at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->failed / done : NAN;
}

static double req_timed_out(const metric_at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->timed_out / done : NAN;
}

static const metric_def REQ[] = {
    { "latency_mean", "s", MDL_RANGE_ANY, req_lat_mean, 0, LOWER },
    { "latency_p50", "s", MDL_RANGE_ANY, req_p50, 0, LOWER },
    { "latency_p95", "s", MDL_RANGE_ANY, req_p95, 0, LOWER },
    { "latency_p99", "s", MDL_RANGE_ANY, req_p99, 0, LOWER },
    { "latency_p999", "s", MDL_RANGE_ANY, req_p999, 0, LOWER },
    { "availability", "", MDL_RANGE_FRACTION, req_avail, 0, HIGHER },
    { "throughput", "1/s", MDL_RANGE_ANY, req_throughput, 0, NONE },
    { "rejected", "", MDL_RANGE_FRACTION, req_rejected, 1, LOWER },
    { "failed", "", MDL_RANGE_FRACTION, req_failed, 1, LOWER },
    { "timed_out", "", MDL_RANGE_FRACTION, req_timed_out, 1, LOWER },
};

/* Finished requests that succeeded degraded: a fallback answered for a
 * failed call. They count as available too. */
static double req_degraded(const metric_at *x, const void *o)
{
    const cls *c = o;
    double done = done_of(c);

    (void)x;
    return done > 0 ? c->degraded / done : NAN;
}

/* Only where some call edge falls back, so that other scenarios report
 * what they did before. */
static const metric_def FALLBACK[] = {
    { "degraded", "", MDL_RANGE_FRACTION, req_degraded, 1, NONE },
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
        sum += t->sum;
    }
    return n > 0 ? sum / n : NAN;
}

#define SUM(sv, field) sum_of(sv, offsetof(replica, field))
#define POOLED(sv, field) pooled(sv, offsetof(replica, field))

/* Replicas provisioned (ready or starting), time-averaged. */
static double svc_replicas(const metric_at *x, const void *o)
{
    const service *sv = o;

    return sv->as ? sim_twa_mean(&sv->as->replicas, x->now) : sv->nrep;
}

static double svc_util(const metric_at *x, const void *o)
{
    const service *sv = o;
    double util = 0;
    int r;

    for (r = 0; r < sv->nrep; r++)
        util += mdl_station_utilization(&sv->rep[r].st, x->now);
    if (sv->rep[0].st.c == INT_MAX)
        return util;
    /* Autoscaled: per worker of the replicas provisioned. */
    return util / (sv->as ? svc_replicas(x, o) : sv->nrep);
}

static double svc_jobs(const metric_at *x, const void *o)
{
    const service *sv = o;
    double jobs = 0;
    int r;

    for (r = 0; r < sv->nrep; r++)
        jobs += sim_twa_mean(&sv->rep[r].jobs, x->now);
    return jobs;
}

static double svc_queue(const metric_at *x, const void *o)
{
    const service *sv = o;
    double queue = 0;
    int r;

    for (r = 0; r < sv->nrep; r++)
        queue += sim_twa_mean(&sv->rep[r].st.queue_twa, x->now);
    return queue;
}

static double svc_wait(const metric_at *x, const void *o)
{
    (void)x;
    return POOLED((const service *)o, st.wait);
}

/* Accepted arrivals that found no free worker. */
static double svc_p_wait(const metric_at *x, const void *o)
{
    const service *sv = o;
    double arr = SUM(sv, arrivals), rej = SUM(sv, rejected);

    (void)x;
    return arr > rej ? SUM(sv, st.waited) / (arr - rej) : NAN;
}

static double svc_work(const metric_at *x, const void *o)
{
    (void)x;
    return POOLED((const service *)o, st.work);
}

static double svc_callee(const metric_at *x, const void *o)
{
    const service *sv = o;

    (void)x;
    return sv->nstages > 0 ? POOLED(sv, callee) : 0.0;
}

static double svc_response(const metric_at *x, const void *o)
{
    (void)x;
    return POOLED((const service *)o, resp);
}

static double svc_visits(const metric_at *x, const void *o)
{
    double entered = x->net->sys.entered;

    return entered > 0 ? SUM((const service *)o, arrivals) / entered : NAN;
}

static double svc_throughput(const metric_at *x, const void *o)
{
    return SUM((const service *)o, departures) / x->span;
}

static double svc_rejected(const metric_at *x, const void *o)
{
    const service *sv = o;
    double arr = SUM(sv, arrivals);

    (void)x;
    return arr > 0 ? SUM(sv, rejected) / arr : 0.0;
}

/* Over successful requests only, the ones latency_mean is about: a
 * rejected request's zero would pull it below the latency it is a part
 * of. */
static double svc_self(const metric_at *x, const void *o)
{
    double ok = x->net->sys.ok;

    return ok > 0 ? SUM((const service *)o, self) / ok : NAN;
}

/* Share of successful requests' latency spent here (queueing and
 * working, not waiting on callees); parallel calls can make the shares of
 * a request add up to more than 1. */
static double svc_share(const metric_at *x, const void *o)
{
    double t = mdl__cls_lat(x->net, &x->net->sys)->sum;

    return t > 0 ? SUM((const service *)o, self) / t : NAN;
}

/* Share of its work (service time) done for callers that had stopped
 * waiting, or whose callers above had. */
static double svc_orphaned(const metric_at *x, const void *o)
{
    const service *sv = o;
    double work = 0;
    int r;

    (void)x;
    for (r = 0; r < sv->nrep; r++)
        work += sv->rep[r].st.work.sum;
    return work > 0 ? SUM(sv, orphan_work) / work : 0.0;
}

/* Share of accepted arrivals dropped unstarted past their deadline. */
static double svc_dropped(const metric_at *x, const void *o)
{
    const service *sv = o;
    double arr = SUM(sv, arrivals), rej = SUM(sv, rejected);

    (void)x;
    return arr > rej ? SUM(sv, st.dropped) / (arr - rej) : 0.0;
}

/* Share of the visits answered (those that left, and those refused by
 * a crashed replica) that were answered with an error. */
static double svc_errors(const metric_at *x, const void *o)
{
    const service *sv = o;
    double answered = SUM(sv, departures) + SUM(sv, refused);

    (void)x;
    return answered > 0 ? SUM(sv, errors) / answered : 0.0;
}

/* Time-average share of its replicas up (mdl_failure.c). */
static double svc_up(const metric_at *x, const void *o)
{
    const service *sv = o;

    return sim_twa_mean(&sv->up, x->now) / sv->nrep;
}

static const metric_def SVC[] = {
    { "utilization", "", MDL_RANGE_UTILIZATION, svc_util, 0, NONE },
    { "jobs_mean", "", MDL_RANGE_ANY, svc_jobs, 0, LOWER },
    { "queue_mean", "", MDL_RANGE_ANY, svc_queue, 0, LOWER },
    { "wait_mean", "s", MDL_RANGE_ANY, svc_wait, 0, LOWER },
    { "p_wait", "", MDL_RANGE_FRACTION, svc_p_wait, 0, LOWER },
    { "work_mean", "s", MDL_RANGE_ANY, svc_work, 0, LOWER },
    { "callee_mean", "s", MDL_RANGE_ANY, svc_callee, 0, LOWER },
    { "response_mean", "s", MDL_RANGE_ANY, svc_response, 0, LOWER },
    { "visits", "", MDL_RANGE_ANY, svc_visits, 0, NONE },
    { "throughput", "1/s", MDL_RANGE_ANY, svc_throughput, 0, NONE },
    { "rejected", "", MDL_RANGE_FRACTION, svc_rejected, 1, LOWER },
    { "self_per_request", "s", MDL_RANGE_ANY, svc_self, 0, LOWER },
    { "self_share", "", MDL_RANGE_ANY, svc_share, 0, NONE },
    { "orphaned", "", MDL_RANGE_FRACTION, svc_orphaned, 1, LOWER },
    { "deadline_dropped", "", MDL_RANGE_FRACTION, svc_dropped, 1, LOWER },
    { "errors", "", MDL_RANGE_FRACTION, svc_errors, 1, LOWER },
};

/* Share of arrivals its rate limiter refused (mdl_ratelimit.h). */
static double svc_rate_limited(const metric_at *x, const void *o)
{
    const service *sv = o;
    double arr = SUM(sv, arrivals), lim = 0;
    int r;

    (void)x;
    for (r = 0; r < sv->nrep; r++)
        lim += sv->limiter->limited[r];
    return arr > 0 ? lim / arr : 0.0;
}

/* Mean share of its replicas ejected by outlier detection. */
static double svc_ejected(const metric_at *x, const void *o)
{
    return sim_twa_mean(&((const service *)o)->outlier->ejected_twa, x->now);
}

/* Only for services that have the pattern: the others report nothing
 * new. */
static const metric_def LIMIT[] = {
    { "rate_limited", "", MDL_RANGE_FRACTION, svc_rate_limited, 1, LOWER },
};

static const metric_def OUTLIER[] = {
    { "ejected", "", MDL_RANGE_FRACTION, svc_ejected, 1, NONE },
};

/* Struck by crashes, hangs or updown failures. */
static const metric_def UP[] = {
    { "up", "", MDL_RANGE_FRACTION, svc_up, MDL_QUIET_ONE, HIGHER },
};

static const metric_def AUTOSCALE[] = {
    { "replicas_mean", "", MDL_RANGE_ANY, svc_replicas, 0, NONE },
};

/* ---- replicas and stages ---- */

static double rep_util(const metric_at *x, const void *o)
{
    return mdl_station_utilization(&((const replica *)o)->st, x->now);
}

static double rep_jobs(const metric_at *x, const void *o)
{
    return sim_twa_mean(&((const replica *)o)->jobs, x->now);
}

static double rep_response(const metric_at *x, const void *o)
{
    (void)x;
    return sim_tally_mean(&((const replica *)o)->resp);
}

static double rep_throughput(const metric_at *x, const void *o)
{
    return ((const replica *)o)->departures / x->span;
}

static const metric_def REP[] = {
    { "utilization", "", MDL_RANGE_UTILIZATION, rep_util, 0, NONE },
    { "jobs_mean", "", MDL_RANGE_ANY, rep_jobs, 0, LOWER },
    { "response_mean", "s", MDL_RANGE_ANY, rep_response, 0, LOWER },
    { "throughput", "1/s", MDL_RANGE_ANY, rep_throughput, 0, NONE },
};

static double stage_duration(const metric_at *x, const void *o)
{
    (void)x;
    return sim_tally_mean(&((const stage *)o)->dur);
}

static const metric_def STAGE[] = {
    { "duration_mean", "s", MDL_RANGE_ANY, stage_duration, 0, LOWER },
};

/* ---- edges ---- */

static double edge_lat(const metric_at *x, const void *o)
{
    (void)x;
    return sim_tally_mean(&((const edge_rt *)o)->lat);
}

/* Calls per request. */
static double call_count(const metric_at *x, const void *o)
{
    double entered = x->net->sys.entered;

    return entered > 0 ? ((const edge_rt *)o)->count / entered : NAN;
}

static double pub_avail(const metric_at *x, const void *o)
{
    const edge_rt *es = o;

    (void)x;
    return es->ok + es->failed > 0 ? es->ok / (es->ok + es->failed) : NAN;
}

static double pub_throughput(const metric_at *x, const void *o)
{
    return ((const edge_rt *)o)->ok / x->span;
}

static double call_share(const edge_rt *es, double n)
{
    double ended = es->ok + es->failed;

    return ended > 0 ? n / ended : NAN;
}

static double call_timeouts(const metric_at *x, const void *o)
{
    (void)x;
    return call_share(o, ((const edge_rt *)o)->timeouts);
}

static double call_errors(const metric_at *x, const void *o)
{
    (void)x;
    return call_share(o, ((const edge_rt *)o)->errors);
}

static double call_rejected(const metric_at *x, const void *o)
{
    (void)x;
    return call_share(o, ((const edge_rt *)o)->rejected);
}

/* Tries per call, retries included. */
static double call_attempts(const metric_at *x, const void *o)
{
    (void)x;
    return call_share(o, ((const edge_rt *)o)->attempts);
}

/* Calls whose last try a policy refused before it went out: an open
 * breaker, a full bulkhead. */
static double call_short(const metric_at *x, const void *o)
{
    (void)x;
    return call_share(o, ((const edge_rt *)o)->short_circuited);
}

/* Fraction of the measured time its breaker was open. */
static double call_breaker_open(const metric_at *x, const void *o)
{
    const edge_rt *es = o;

    return es->breaker ? sim_twa_mean(&es->breaker->open_twa, x->now) : 0.0;
}

static const metric_def CALL[] = {
    { "latency_mean", "s", MDL_RANGE_ANY, edge_lat, 0, LOWER },
    { "calls", "", MDL_RANGE_ANY, call_count, 0, NONE },
    { "timeouts", "", MDL_RANGE_FRACTION, call_timeouts, 1, LOWER },
    { "errors", "", MDL_RANGE_FRACTION, call_errors, 1, LOWER },
    { "rejected", "", MDL_RANGE_FRACTION, call_rejected, 1, LOWER },
    { "attempts", "", MDL_RANGE_ANY, call_attempts, 0, LOWER },
    { "short_circuited", "", MDL_RANGE_FRACTION, call_short, 1, LOWER },
    { "breaker_open", "", MDL_RANGE_FRACTION, call_breaker_open, 1, LOWER },
};

static const metric_def PUB[] = {
    { "latency_mean", "s", MDL_RANGE_ANY, edge_lat, 0, LOWER },
    { "availability", "", MDL_RANGE_FRACTION, pub_avail, 0, HIGHER },
    { "throughput", "1/s", MDL_RANGE_ANY, pub_throughput, 0, NONE },
};

const metric_set MDL__REQ_METRICS = SET(REQ);
const metric_set MDL__SVC_METRICS = SET(SVC);
const metric_set MDL__LIMIT_METRICS = SET(LIMIT);
const metric_set MDL__OUTLIER_METRICS = SET(OUTLIER);
const metric_set MDL__UP_METRICS = SET(UP);
const metric_set MDL__AUTOSCALE_METRICS = SET(AUTOSCALE);
const metric_set MDL__REP_METRICS = SET(REP);
const metric_set MDL__STAGE_METRICS = SET(STAGE);
const metric_set MDL__CALL_METRICS = SET(CALL);
const metric_set MDL__PUB_METRICS = SET(PUB);
const metric_set MDL__FALLBACK_METRICS = SET(FALLBACK);
