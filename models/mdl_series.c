/*
 * mdl_series.c - the time series of a replication (timeseries.csv): for
 * each window of run.window seconds, from time 0 (warm-up included), one
 * value per series: throughput, availability, latency quantiles and tries
 * per call of the system and of each class, utilization, queue and
 * replicas up of each service, the share of time each breaker was open.
 *
 * Nothing is done per request or per event for it. One calendar event
 * per window samples cumulative counters the engine keeps anyway (counts
 * of outcomes, time integrals of busy workers, queue and breaker state,
 * latency histogram bins) and stores, for each series, a value computed
 * from their increases over the window:
 *
 *   value(window) = f(c(end) - c(start), width)
 *
 * c(start) is the previous sample, kept in prev[]. The statistics reset
 * at the end of warm-up sets the counters back to 0 mid-window; the
 * reset is preceded by rebase(), which subtracts the counters' values
 * from prev[] (prev -= c(reset)), so that the next increase c(end) -
 * prev still adds up the part before the reset and the part after.
 * Histogram bins are uint64_t and wrap modulo 2^64, which gives the same
 * sums. Of the 7682 bins of a latency histogram, a window looks only at
 * those any observation has landed in so far (lo..hi), unless the sum
 * of their increases falls short of the window's count: then once at
 * all of them, widening lo..hi (window_hist()).
 *
 * A model that runs out of events (all done, or a deadlock) lets the
 * window event stop too, so that the calendar still drains; it notes
 * when the rest of the model went quiet (sim_cal_before()) for the
 * deadlock report, and the windows left are filled at the end, from
 * counters that no longer change. A run stopped by run.requests ends its
 * last window at the stop; the windows after it are NaN.
 *
 * Values are stored straight into the replication's result vector (one
 * double per window and series, 8 bytes a row of timeseries.csv): after
 * the histograms, the replication's end time, then window by window the
 * series in scope order.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mdl_int.h"

#define NELEM(a) (sizeof (a) / sizeof *(a))
#define SERIES_COUNTERS_MAX 2   /* the most counters a series reads */

struct series {
    const char *scope;      /* borrowed from the metric list */
    const series_def *def;
    const void *obj;        /* a cls, service or edge_rt */
    size_t first;           /* its counters in prev[] */
    int hist;               /* request scope: its histogram (0: the
                               system's, 1 + k: class k's), else -1 */
};

/* The integral of w over [start, now] (s x value). */
static double twa_integral(const sim_twa *w, double now)
{
    return w->area + w->value * (now - w->last);
}

/* ---- requests: the system and each class ---- */

static void req_ok(const mdl_net *net, const void *o, double now, double *c)
{
    (void)net;
    (void)now;
    c[0] = ((const cls *)o)->ok;
}

static void req_done(const mdl_net *net, const void *o, double now,
                     double *c)
{
    const cls *k = o;

    (void)net;
    (void)now;
    c[0] = k->ok;
    c[1] = k->ok + k->rejected + k->failed + k->timed_out;
}

/* Tries and ended calls of the call edges the scope's requests can take:
 * every call edge for the system, those that apply to a class for it.
 * The net keeps the sums over every call edge as calls end, so only a
 * class that some call edge does not apply to scans them. */
static void req_tries(const mdl_net *net, const void *o, double now,
                      double *c)
{
    const cls *k = o;
    long cl = k == &net->sys ? -1 : (long)(k - net->cl);
    size_t e;

    (void)now;
    if (cl < 0 || k->all_calls) {
        c[0] = net->call_attempts;
        c[1] = net->call_ended;
        return;
    }
    c[0] = c[1] = 0;
    for (e = 0; e < net->nedges; e++) {
        const edge_rt *es = &net->es[e];
        if (net->t->edges[e].kind != MDL_EDGE_CALL
            || (cl >= 0 && !net->applies[e * net->ncls + (size_t)cl]))
            continue;
        c[0] += es->attempts;
        c[1] += es->ok + es->failed;
    }
}

static double rate(const series_at *x)
{
    return x->d[0] / x->width;
}

static double share(const series_at *x)
{
    return x->d[1] > 0 ? x->d[0] / x->d[1] : NAN;
}

static double p50(const series_at *x)
{
    return sim_hist_quantile_range(x->hist, x->lo, x->hi, x->n, 0.50);
}

static double p99(const series_at *x)
{
    return sim_hist_quantile_range(x->hist, x->lo, x->hi, x->n, 0.99);
}

static const series_def REQ[] = {
    { "throughput", 1, req_ok, rate },
    { "availability", 2, req_done, share },
    { "latency_p50", 0, NULL, p50 },
    { "latency_p99", 0, NULL, p99 },
    { "attempts", 2, req_tries, share },
};

/* ---- services ---- */

/* Busy workers' time over all replicas, per worker, and the replicas'
 * time (provisioned ones, if it autoscales): their increases over a
 * window give the utilization as summary.csv defines it (at a delay
 * station, the mean number busy: replicas' time is then the window's
 * width). */
static void svc_busy(const mdl_net *net, const void *o, double now,
                     double *c)
{
    const service *sv = o;
    const sim_twa *busy0 = &sv->rep[0].st.busy_twa;
    double sum = 0;
    int r;

    (void)net;
    for (r = 0; r < sv->nrep; r++)
        sum += twa_integral(&sv->rep[r].st.busy_twa, now);
    if (sv->rep[0].st.c == INT_MAX) {
        c[0] = sum;
        c[1] = now - busy0->start;
    } else {
        c[0] = sum / sv->rep[0].st.c;
        c[1] = sv->as ? twa_integral(&sv->as->replicas, now)
                      : sv->nrep * (now - busy0->start);
    }
}

/* Replicas' time up, per replica (mdl_failure.c). */
static void svc_up(const mdl_net *net, const void *o, double now,
                   double *c)
{
    const service *sv = o;

    (void)net;
    c[0] = twa_integral(&sv->up, now) / sv->nrep;
}

static void svc_queue(const mdl_net *net, const void *o, double now,
                      double *c)
{
    const service *sv = o;
    int r;

    (void)net;
    c[0] = 0;
    for (r = 0; r < sv->nrep; r++)
        c[0] += twa_integral(&sv->rep[r].st.queue_twa, now);
}

static const series_def SVC[] = {
    { "utilization", 2, svc_busy, share },
    { "queue_mean", 1, svc_queue, rate },
    { "up", 1, svc_up, rate },
};

/* ---- call edges with a breaker ---- */

static void brk_open(const mdl_net *net, const void *o, double now,
                     double *c)
{
    (void)net;
    c[0] = twa_integral(&((const edge_rt *)o)->breaker->open_twa, now);
}

static const series_def BRK[] = {
    { "breaker_open", 1, brk_open, rate },
};

/* ---- building the list ---- */

static int add(mdl_net *net, const char *scope, const series_def *defs,
               size_t n, const void *obj, int hist)
{
    mdl_series *ts = &net->ts;
    series *s = realloc(ts->s, (ts->n + n) * sizeof *s);
    size_t i;

    if (!s)
        return SIM_ENOMEM;
    ts->s = s;
    for (i = 0; i < n; i++, ts->n++) {
        s[ts->n].scope = scope;
        s[ts->n].def = &defs[i];
        s[ts->n].obj = obj;
        s[ts->n].first = ts->ncounters;
        s[ts->n].hist = hist;
        ts->ncounters += (size_t)defs[i].ncounters;
    }
    return SIM_OK;
}

int mdl__series_build(mdl_net *net)
{
    mdl_series *ts = &net->ts;
    size_t i, nm = mdl_net_nmetrics(net);
    int rc = SIM_OK;

    ts->width = mdl_scenario_window(net->s);
    ts->nwin = (size_t)mdl_scenario_windows(net->s);
    /* The scopes of the metric list, in its order, each taken once. */
    for (i = 0; rc == SIM_OK && i < nm; i++) {
        const char *scope = mdl_net_scope(net, i);
        const void *obj = mdl__results_obj(net, i);
        if (i > 0 && mdl__results_obj(net, i - 1) == obj)
            continue;
        if (obj == &net->sys)
            rc = add(net, scope, REQ, NELEM(REQ), obj, 0);
        else if (!strncmp(scope, "class:", 6))
            rc = add(net, scope, REQ, NELEM(REQ), obj,
                     1 + (int)((const cls *)obj - net->cl));
        else if (!strncmp(scope, "service:", 8))
            rc = add(net, scope, SVC, NELEM(SVC), obj, -1);
        else if (!strncmp(scope, "call:", 5)
                 && ((const edge_rt *)obj)->breaker)
            rc = add(net, scope, BRK, NELEM(BRK), obj, -1);
    }
    if (rc != SIM_OK)
        return rc;
    ts->prev = malloc((ts->ncounters + 1) * sizeof *ts->prev);
    ts->hs = calloc(1 + net->ncls, sizeof *ts->hs);
    ts->win = malloc(SIM_HIST_BINS * sizeof *ts->win);
    if (!ts->prev || !ts->hs || !ts->win)
        return SIM_ENOMEM;
    for (i = 0; i <= net->ncls; i++)
        if (!(ts->hs[i].prev = malloc(SIM_HIST_BINS
                                      * sizeof *ts->hs[i].prev)))
            return SIM_ENOMEM;
    return SIM_OK;
}

void mdl__series_free(mdl_net *net)
{
    size_t i;

    for (i = 0; net->ts.hs && i <= net->ncls; i++)
        free(net->ts.hs[i].prev);
    free(net->ts.hs);
    free(net->ts.s);
    free(net->ts.prev);
    free(net->ts.win);
    memset(&net->ts, 0, sizeof net->ts);
}

/* ---- a replication ---- */

static const sim_hist *hist_of(const mdl_net *net, int h)
{
    return h == 0 ? net->sys.hist : net->cl[h - 1].hist;
}

/* The end of window k (0-based): (k + 1) x width, the last one at the
 * end of the run. */
static double window_end(const mdl_series *ts, const mdl_net *net, size_t k)
{
    return k + 1 >= ts->nwin ? net->s->warmup + net->s->duration
                             : (double)(k + 1) * ts->width;
}

/* Some observations of the window landed outside the bins hs has seen:
 * take every other bin's increase (each written, as the range may widen
 * over bins ts->win holds for another scope), and widen the range to
 * hold them. */
static void widen(mdl_series *ts, hist_state *hs, const sim_hist *h)
{
    size_t b, lo = hs->lo, hi = hs->hi;

    for (b = 0; b < SIM_HIST_BINS; b++) {
        if (lo < SIM_HIST_BINS && b >= lo && b <= hi)
            continue;               /* done */
        ts->win[b] = h->count[b] - hs->prev[b];
        hs->prev[b] = h->count[b];
        if (ts->win[b] == 0)
            continue;
        if (b < hs->lo)
            hs->lo = b;
        if (hs->hi == SIM_HIST_BINS || b > hs->hi)
            hs->hi = b;
    }
}

/* The window's latency histogram of request scope k into ts->win over
 * x->lo .. x->hi (the bins outside have no new observation). Only the
 * bins observations have landed in so far are looked at, unless the sum
 * of their increases says some landed elsewhere. */
static void window_hist(mdl_series *ts, const mdl_net *net, int k,
                        series_at *x)
{
    hist_state *hs = &ts->hs[k];
    const sim_hist *h = hist_of(net, k);
    uint64_t n = h->n - hs->nprev, sum = 0;
    size_t b;

    hs->nprev = h->n;
    x->n = n;
    x->lo = x->hi = 0;
    if (n == 0)
        return;
    for (b = hs->lo; b <= hs->hi && b < SIM_HIST_BINS; b++) {
        sum += ts->win[b] = h->count[b] - hs->prev[b];
        hs->prev[b] = h->count[b];
    }
    if (sum != n)
        widen(ts, hs, h);
    /* The quantiles need only the bins of this window's observations. */
    for (x->lo = hs->lo; ts->win[x->lo] == 0; x->lo++)
        ;
    for (x->hi = hs->hi; ts->win[x->hi] == 0; x->hi--)
        ;
}

/* Close window ts->next at now: each series' value from its counters'
 * increases since the last window. */
static void close_window(mdl_net *net, double now)
{
    mdl_series *ts = &net->ts;
    double *out = ts->out + ts->next * ts->n, c[SERIES_COUNTERS_MAX];
    series_at x;
    int hist = -1;
    size_t i, j;

    x.net = net;
    x.now = now;
    x.width = now - (double)ts->next * ts->width;
    x.hist = ts->win;
    x.d = c;
    for (i = 0; i < ts->n; i++) {
        const series *s = &ts->s[i];
        double *prev = ts->prev + s->first;
        if (s->hist >= 0 && s->hist != hist) {
            hist = s->hist;         /* once per request scope */
            window_hist(ts, net, hist, &x);
        }
        if (s->def->sample)
            s->def->sample(net, s->obj, now, c);
        for (j = 0; j < (size_t)s->def->ncounters; j++) {
            double now_j = c[j];
            c[j] -= prev[j];
            prev[j] = now_j;
        }
        out[i] = s->def->value(&x);
    }
    ts->next++;
}

static void on_window(sim_cal *cal, sim_event *ev)
{
    mdl_net *net = ev->obj;
    mdl_series *ts = &net->ts;
    double now = sim_cal_now(cal);

    ts->ev = NULL;
    close_window(net, now);
    if (ts->next >= ts->nwin)
        return;
    if (sim_cal_pending(cal) == 0) {
        /* Nothing else will happen: mdl__series_finish() fills the rest. */
        ts->quiet_at = sim_cal_before(cal);
        return;
    }
    ts->ev = mdl__schedule(net, window_end(ts, net, ts->next) - now,
                           on_window, net, 0);
}

void mdl__series_start(mdl_net *net, double *out)
{
    mdl_series *ts = &net->ts;
    double c[SERIES_COUNTERS_MAX];
    size_t i, h;

    ts->out = out + 1;
    ts->next = 0;
    ts->quiet_at = -1;
    for (i = 0; i < ts->n; i++)
        if (ts->s[i].def->sample) {
            ts->s[i].def->sample(net, ts->s[i].obj, 0.0, c);
            memcpy(ts->prev + ts->s[i].first, c,
                   (size_t)ts->s[i].def->ncounters * sizeof *c);
        }
    for (h = 0; h <= net->ncls; h++) {
        const sim_hist *hg = hist_of(net, (int)h);
        memcpy(ts->hs[h].prev, hg->count, SIM_HIST_BINS * sizeof *hg->count);
        ts->hs[h].nprev = hg->n;
        ts->hs[h].lo = SIM_HIST_BINS;   /* no bin seen yet */
        ts->hs[h].hi = SIM_HIST_BINS;
    }
    ts->ev = mdl__schedule(net, window_end(ts, net, 0), on_window, net, 0);
}

void mdl__series_rebase(mdl_net *net, double now)
{
    mdl_series *ts = &net->ts;
    double c[SERIES_COUNTERS_MAX];
    size_t i, j, h, b;

    for (i = 0; i < ts->n; i++) {
        const series *s = &ts->s[i];
        if (!s->def->sample)
            continue;
        s->def->sample(net, s->obj, now, c);
        for (j = 0; j < (size_t)s->def->ncounters; j++)
            ts->prev[s->first + j] -= c[j];
    }
    for (h = 0; h <= net->ncls; h++) {
        const sim_hist *hg = hist_of(net, (int)h);
        for (b = 0; b < SIM_HIST_BINS; b++)
            ts->hs[h].prev[b] -= hg->count[b];
        ts->hs[h].nprev -= hg->n;
    }
}

void mdl__series_stop(mdl_net *net)
{
    if (net->ts.ev)
        sim_cal_cancel(net->cal, net->ts.ev);
    net->ts.ev = NULL;
}

void mdl__series_finish(mdl_net *net, double end)
{
    mdl_series *ts = &net->ts;
    size_t k;

    while (ts->next < ts->nwin && (double)ts->next * ts->width < end) {
        double t = window_end(ts, net, ts->next);
        close_window(net, t < end ? t : end);
    }
    for (k = ts->next * ts->n; k < ts->nwin * ts->n; k++)
        ts->out[k] = NAN;
    ts->out[-1] = end;
    ts->out = NULL;
}

/* ---- what the header promises ---- */

size_t mdl_net_nseries(const mdl_net *net)
{
    return net->ts.n;
}

const char *mdl_net_series_scope(const mdl_net *net, size_t i)
{
    return net->ts.s[i].scope;
}

const char *mdl_net_series_metric(const mdl_net *net, size_t i)
{
    return net->ts.s[i].def->name;
}

size_t mdl_net_nwindows(const mdl_net *net)
{
    return net->ts.nwin;
}

double mdl_net_window_end(const mdl_net *net, size_t k)
{
    return window_end(&net->ts, net, k);
}

double mdl_net_window_start(const mdl_net *net, size_t k)
{
    return (double)k * net->ts.width;
}

size_t mdl_net_series_offset(const mdl_net *net)
{
    return net->nmetrics + mdl_net_nhists(net) * SIM_HIST_BINS;
}
