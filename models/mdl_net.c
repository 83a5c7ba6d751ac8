/*
 * mdl_net.c - requests, stations and workloads driven by the calendar.
 *
 * Stations
 *   FIFO with c servers: a request starts at once if a server is free,
 *   else waits in a linked-list queue; completions pull the next one.
 *   A delay station is FIFO with as many servers as requests.
 *   Processor sharing with c servers: n requests each progress at rate
 *   min(1, c/n). A virtual clock V advances at that rate; a request that
 *   arrives at V0 with work S leaves when V reaches V0 + S, so requests
 *   are kept in a min-heap of those finish tags and only the earliest has
 *   a completion event, rescheduled whenever n changes (Kleinrock's
 *   virtual-time view of PS).
 *
 * Statistics per station: time-weighted jobs in system and busy servers
 * (queue length = jobs - busy, which for PS counts the requests beyond c),
 * response per visit, wait before service (PS: response - work), arrivals,
 * rejections, departures. Per class and for the system: latency from entry
 * to exit, its histogram, successes and failures. All are reset at the
 * end of the warm-up; requests already inside still count when they leave.
 *
 * Random streams: one per class for arrivals (or think times), one per
 * service for service times and one for routing, named after the class or
 * service so that common random numbers survive topology edits.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_cal.h"
#include "../sim/sim_rng.h"
#include "../sim/sim_stat.h"
#include "mdl_net.h"

typedef struct station station;

typedef struct req {
    struct req *next;       /* FIFO queue link, or free list */
    station *at;            /* current station */
    double t_start;         /* entered the system (s) */
    double t_arrive;        /* arrived at the current station (s) */
    double work;            /* service demand at the current station (s) */
    double finish;          /* PS: virtual finish tag */
    int cls;
} req;

struct station {
    mdl_net *net;
    const mdl_service *svc;
    int c;                  /* servers; INT_MAX for a delay station */
    long cap;               /* 0 = unlimited */
    int ps;
    long n;                 /* requests in the station */
    int busy;
    req *qhead, *qtail;     /* FIFO waiting line */
    req **heap;             /* PS: requests by finish tag */
    size_t hcap;
    double vtime, vlast;    /* PS: virtual clock and when it was updated */
    sim_event *ps_ev;       /* PS: pending completion */
    int nroutes;
    int *route_to;
    double *route_cum;      /* cumulative forward probabilities */
    gsl_rng *svc_rng, *route_rng;
    sim_twa jobs, busy_twa;
    sim_tally resp, wait;
    double arrivals, rejected, departures;
};

typedef struct cls {
    mdl_net *net;
    const mdl_workload *w;
    gsl_rng *rng;           /* inter-arrival or think times */
    sim_tally lat;
    sim_hist *hist;
    double entered, ok, failed;
} cls;

typedef struct req_chunk {
    struct req_chunk *next;
    req r[4096];
} req_chunk;

typedef struct metric {
    char *scope;            /* owned */
    const char *name;
} metric;

struct mdl_net {
    const mdl_scenario *s;
    size_t nst, ncls;
    station *st;
    cls *cl;
    sim_tally sys_lat;
    sim_hist *sys_hist;
    double sys_entered, sys_ok, sys_failed;
    sim_cal *cal;
    req *free_req;
    req_chunk *chunks;
    long finished;          /* after warm-up, for run.requests */
    int oom;
    size_t nmetrics;
    metric *metrics;
};

static const char *const REQ_METRICS[] = {
    "latency_mean", "latency_p50", "latency_p95", "latency_p99",
    "latency_p999", "availability", "throughput"
};
static const char *const SVC_METRICS[] = {
    "utilization", "jobs_mean", "queue_mean", "wait_mean", "response_mean",
    "visits", "throughput", "rejected"
};
#define NREQ (sizeof REQ_METRICS / sizeof *REQ_METRICS)
#define NSVC (sizeof SVC_METRICS / sizeof *SVC_METRICS)

/* ---- requests ---- */

static req *req_new(mdl_net *net, int c)
{
    req *r = net->free_req;

    if (!r) {
        req_chunk *ch = malloc(sizeof *ch);
        size_t i;
        if (!ch) {
            net->oom = 1;
            sim_cal_stop(net->cal);
            return NULL;
        }
        ch->next = net->chunks;
        net->chunks = ch;
        for (i = 0; i < sizeof ch->r / sizeof *ch->r; i++) {
            ch->r[i].next = net->free_req;
            net->free_req = &ch->r[i];
        }
        r = net->free_req;
    }
    net->free_req = r->next;
    r->cls = c;
    r->next = NULL;
    return r;
}

static void req_free(mdl_net *net, req *r)
{
    r->next = net->free_req;
    net->free_req = r;
}

static void schedule(mdl_net *net, double delay, sim_handler fn, void *obj)
{
    if (!sim_cal_schedule(net->cal, delay, fn, obj, 0)) {
        net->oom = 1;
        sim_cal_stop(net->cal);
    }
}

static void enter(mdl_net *net, station *st, req *r, double now);
static void on_think_end(sim_cal *cal, sim_event *ev);

/* The request leaves the system, successfully or not. */
static void leave(mdl_net *net, req *r, int ok, double now)
{
    cls *c = &net->cl[r->cls];
    double lat = now - r->t_start;

    if (ok) {
        sim_tally_add(&c->lat, lat);
        sim_hist_add(c->hist, lat);
        sim_tally_add(&net->sys_lat, lat);
        sim_hist_add(net->sys_hist, lat);
        c->ok++;
        net->sys_ok++;
    } else {
        c->failed++;
        net->sys_failed++;
    }
    if (c->w->closed)
        schedule(net, mdl_dist_sample(&c->w->think, c->rng), on_think_end, r);
    else
        req_free(net, r);
    if (++net->finished == net->s->requests)
        sim_cal_stop(net->cal);
}

/* After a visit: follow one forward edge or leave. */
static void route(mdl_net *net, station *st, req *r, double now)
{
    double u;
    int i;

    if (st->nroutes == 0) {
        leave(net, r, 1, now);
        return;
    }
    u = gsl_rng_uniform(st->route_rng);
    for (i = 0; i < st->nroutes; i++)
        if (u < st->route_cum[i]) {
            enter(net, &net->st[st->route_to[i]], r, now);
            return;
        }
    leave(net, r, 1, now);
}

/* ---- FIFO and delay stations ---- */

static void on_fifo_done(sim_cal *cal, sim_event *ev);

static void fifo_start(station *st, req *r, double now)
{
    st->busy++;
    sim_twa_set(&st->busy_twa, now, st->busy);
    sim_tally_add(&st->wait, now - r->t_arrive);
    schedule(st->net, mdl_dist_sample(&st->svc->service, st->svc_rng),
             on_fifo_done, r);
}

static void on_fifo_done(sim_cal *cal, sim_event *ev)
{
    req *r = ev->obj;
    station *st = r->at;
    double now = sim_cal_now(cal);

    st->n--;
    st->busy--;
    st->departures++;
    sim_twa_set(&st->jobs, now, st->n);
    sim_tally_add(&st->resp, now - r->t_arrive);
    if (st->qhead) {
        req *next = st->qhead;
        st->qhead = next->next;
        if (!st->qhead)
            st->qtail = NULL;
        fifo_start(st, next, now);      /* busy goes back up: no twa change */
    } else {
        sim_twa_set(&st->busy_twa, now, st->busy);
    }
    route(st->net, st, r, now);
}

/* ---- processor-sharing stations ---- */

static void on_ps_done(sim_cal *cal, sim_event *ev);

static double ps_rate(const station *st)
{
    return st->n <= st->c ? 1.0 : (double)st->c / (double)st->n;
}

/* Bring the virtual clock to now at the rate of the current population. */
static void ps_advance(station *st, double now)
{
    if (st->n > 0)
        st->vtime += (now - st->vlast) * ps_rate(st);
    st->vlast = now;
}

static void ps_reschedule(station *st)
{
    double dt;

    if (st->ps_ev)
        sim_cal_cancel(st->net->cal, st->ps_ev);
    st->ps_ev = NULL;
    if (st->n == 0)
        return;
    dt = (st->heap[0]->finish - st->vtime) / ps_rate(st);
    st->ps_ev = sim_cal_schedule(st->net->cal, dt > 0 ? dt : 0, on_ps_done,
                                 st, 0);
    if (!st->ps_ev) {
        st->net->oom = 1;
        sim_cal_stop(st->net->cal);
    }
}

static void heap_push(station *st, req *r)
{
    size_t i = (size_t)st->n - 1;      /* n already counts r */

    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (st->heap[parent]->finish <= r->finish)
            break;
        st->heap[i] = st->heap[parent];
        i = parent;
    }
    st->heap[i] = r;
}

static req *heap_pop(station *st)
{
    req *top = st->heap[0], *last = st->heap[st->n - 1];
    size_t i = 0, n = (size_t)st->n - 1;

    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && st->heap[child + 1]->finish
                                 < st->heap[child]->finish)
            child++;
        if (st->heap[child]->finish >= last->finish)
            break;
        st->heap[i] = st->heap[child];
        i = child;
    }
    st->heap[i] = last;
    return top;
}

static void ps_arrive(station *st, req *r, double now)
{
    if ((size_t)st->n > st->hcap) {
        size_t cap = st->hcap ? 2 * st->hcap : 64;
        req **h = realloc(st->heap, cap * sizeof *h);
        if (!h) {
            st->net->oom = 1;
            sim_cal_stop(st->net->cal);
            return;
        }
        st->heap = h;
        st->hcap = cap;
    }
    r->work = mdl_dist_sample(&st->svc->service, st->svc_rng);
    r->finish = st->vtime + r->work;
    heap_push(st, r);
    st->busy = st->n < st->c ? (int)st->n : st->c;
    sim_twa_set(&st->busy_twa, now, st->busy);
    ps_reschedule(st);
}

static void on_ps_done(sim_cal *cal, sim_event *ev)
{
    station *st = ev->obj;
    double now = sim_cal_now(cal);
    req *r;
    double resp;

    st->ps_ev = NULL;           /* the calendar releases ev itself */
    ps_advance(st, now);
    r = heap_pop(st);
    st->n--;
    st->busy = st->n < st->c ? (int)st->n : st->c;
    st->departures++;
    sim_twa_set(&st->jobs, now, st->n);
    sim_twa_set(&st->busy_twa, now, st->busy);
    resp = now - r->t_arrive;
    sim_tally_add(&st->resp, resp);
    sim_tally_add(&st->wait, resp > r->work ? resp - r->work : 0.0);
    ps_reschedule(st);
    route(st->net, st, r, now);
}

/* ---- arrivals at a station ---- */

static void enter(mdl_net *net, station *st, req *r, double now)
{
    st->arrivals++;
    if (st->cap > 0 && st->n >= st->cap) {
        st->rejected++;
        leave(net, r, 0, now);
        return;
    }
    r->at = st;
    r->t_arrive = now;
    if (st->ps) {
        ps_advance(st, now);
        st->n++;
        sim_twa_set(&st->jobs, now, st->n);
        ps_arrive(st, r, now);
        return;
    }
    st->n++;
    sim_twa_set(&st->jobs, now, st->n);
    if (st->busy < st->c) {
        fifo_start(st, r, now);
    } else {
        if (st->qtail)
            st->qtail->next = r;
        else
            st->qhead = r;
        st->qtail = r;
        r->next = NULL;
    }
}

/* ---- workloads ---- */

static void start_request(mdl_net *net, req *r, double now)
{
    cls *c = &net->cl[r->cls];

    r->t_start = now;
    c->entered++;
    net->sys_entered++;
    enter(net, &net->st[c->w->entry], r, now);
}

static void on_arrival(sim_cal *cal, sim_event *ev)
{
    cls *c = ev->obj;
    mdl_net *net = c->net;
    req *r = req_new(net, (int)(c - net->cl));

    if (!r)
        return;
    start_request(net, r, sim_cal_now(cal));
    schedule(net, mdl_dist_sample(&c->w->arrival, c->rng), on_arrival, c);
}

static void on_think_end(sim_cal *cal, sim_event *ev)
{
    req *r = ev->obj;
    mdl_net *net = r->at->net;

    start_request(net, r, sim_cal_now(cal));
}

static void reset_stats(mdl_net *net, double now)
{
    size_t i;

    for (i = 0; i < net->nst; i++) {
        station *st = &net->st[i];
        sim_twa_reset(&st->jobs, now);
        sim_twa_reset(&st->busy_twa, now);
        sim_tally_reset(&st->resp);
        sim_tally_reset(&st->wait);
        st->arrivals = st->rejected = st->departures = 0;
    }
    for (i = 0; i < net->ncls; i++) {
        cls *c = &net->cl[i];
        sim_tally_reset(&c->lat);
        sim_hist_reset(c->hist);
        c->entered = c->ok = c->failed = 0;
    }
    sim_tally_reset(&net->sys_lat);
    sim_hist_reset(net->sys_hist);
    net->sys_entered = net->sys_ok = net->sys_failed = 0;
    net->finished = 0;
}

static void on_warmup_end(sim_cal *cal, sim_event *ev)
{
    reset_stats(ev->obj, sim_cal_now(cal));
}

/* ---- building the model ---- */

static int unsupported(sim_diag *d, const mdl_topology *t, int svc,
                       const char *what)
{
    sim_diag_set(d, t->path, t->services[svc].line, 0,
                 "service '%s': %s is not simulated yet",
                 t->services[svc].name, what);
    return SIM_ENOTSUP;
}

static int check_supported(const mdl_scenario *s, sim_diag *d)
{
    const mdl_topology *t = s->topo;
    size_t i;

    for (i = 0; i < t->nservices; i++) {
        const mdl_service *v = &t->services[i];
        if (v->replicas > 1)
            return unsupported(d, t, (int)i, "more than one replica (load "
                               "balancing)");
        if (v->discipline == MDL_DISC_PRIORITY)
            return unsupported(d, t, (int)i, "discipline 'priority'");
        if (v->kind == MDL_SVC_BROKER)
            return unsupported(d, t, (int)i, "kind 'broker'");
    }
    for (i = 0; i < t->nedges; i++) {
        const mdl_edge *e = &t->edges[i];
        if (e->kind != MDL_EDGE_FORWARD) {
            char what[256];
            snprintf(what, sizeof what, "the %s edge to '%s' (only "
                     "'forward' edges are)",
                     e->kind == MDL_EDGE_CALL ? "call" : "publish",
                     t->services[e->to].name);
            return unsupported(d, t, e->from, what);
        }
    }
    return SIM_OK;
}

static int add_metrics(mdl_net *net, const char *prefix, const char *name,
                       const char *const *names, size_t n)
{
    size_t i;
    size_t len = strlen(prefix) + (name ? strlen(name) : 0) + 1;

    for (i = 0; i < n; i++) {
        metric *m = &net->metrics[net->nmetrics];
        m->scope = malloc(len);
        if (!m->scope)
            return SIM_ENOMEM;
        snprintf(m->scope, len, "%s%s", prefix, name ? name : "");
        m->name = names[i];
        net->nmetrics++;
    }
    return SIM_OK;
}

static int build_routes(station *st, const mdl_topology *t, int idx)
{
    size_t i;
    double cum = 0;

    for (i = 0; i < t->nedges; i++)
        if (t->edges[i].from == idx && t->edges[i].p > 0)
            st->nroutes++;
    if (st->nroutes == 0)
        return SIM_OK;
    st->route_to = malloc((size_t)st->nroutes * sizeof *st->route_to);
    st->route_cum = malloc((size_t)st->nroutes * sizeof *st->route_cum);
    if (!st->route_to || !st->route_cum)
        return SIM_ENOMEM;
    st->nroutes = 0;
    for (i = 0; i < t->nedges; i++)
        if (t->edges[i].from == idx && t->edges[i].p > 0) {
            cum += t->edges[i].p;
            st->route_to[st->nroutes] = t->edges[i].to;
            st->route_cum[st->nroutes++] = cum;
        }
    return SIM_OK;
}

int mdl_net_new(mdl_net **out, const mdl_scenario *s, sim_diag *d)
{
    const mdl_topology *t = s->topo;
    mdl_net *net;
    size_t i;
    int rc;

    *out = NULL;
    rc = check_supported(s, d);
    if (rc != SIM_OK)
        return rc;
    net = calloc(1, sizeof *net);
    if (!net)
        return SIM_ENOMEM;
    net->s = s;
    net->nst = t->nservices;
    net->ncls = s->nworkloads;
    net->st = calloc(net->nst, sizeof *net->st);
    net->cl = calloc(net->ncls, sizeof *net->cl);
    net->sys_hist = malloc(sizeof *net->sys_hist);
    net->metrics = calloc((1 + net->ncls) * NREQ + net->nst * NSVC,
                          sizeof *net->metrics);
    if (!net->st || !net->cl || !net->sys_hist || !net->metrics)
        goto nomem;
    for (i = 0; i < net->nst; i++) {
        station *st = &net->st[i];
        const mdl_service *v = &t->services[i];
        st->net = net;
        st->svc = v;
        st->c = v->kind == MDL_SVC_DELAY ? INT_MAX : v->servers;
        st->cap = v->kind == MDL_SVC_DELAY ? 0 : v->capacity;
        st->ps = v->kind != MDL_SVC_DELAY && v->discipline == MDL_DISC_PS;
        if (build_routes(st, t, (int)i) != SIM_OK)
            goto nomem;
    }
    for (i = 0; i < net->ncls; i++) {
        net->cl[i].net = net;
        net->cl[i].w = &s->workloads[i];
        net->cl[i].hist = malloc(sizeof *net->cl[i].hist);
        if (!net->cl[i].hist)
            goto nomem;
    }
    if (add_metrics(net, "system", NULL, REQ_METRICS, NREQ) != SIM_OK)
        goto nomem;
    for (i = 0; i < net->ncls; i++)
        if (add_metrics(net, "class:", s->workloads[i].name, REQ_METRICS,
                        NREQ) != SIM_OK)
            goto nomem;
    for (i = 0; i < net->nst; i++)
        if (add_metrics(net, "service:", t->services[i].name, SVC_METRICS,
                        NSVC) != SIM_OK)
            goto nomem;
    *out = net;
    return SIM_OK;
nomem:
    mdl_net_free(net);
    return SIM_ENOMEM;
}

static void free_run_state(mdl_net *net)
{
    size_t i;

    while (net->chunks) {
        req_chunk *next = net->chunks->next;
        free(net->chunks);
        net->chunks = next;
    }
    net->free_req = NULL;
    for (i = 0; i < net->nst; i++) {
        gsl_rng_free(net->st[i].svc_rng);
        gsl_rng_free(net->st[i].route_rng);
        net->st[i].svc_rng = net->st[i].route_rng = NULL;
    }
    for (i = 0; i < net->ncls; i++) {
        gsl_rng_free(net->cl[i].rng);
        net->cl[i].rng = NULL;
    }
    sim_cal_free(net->cal);
    net->cal = NULL;
}

void mdl_net_free(mdl_net *net)
{
    size_t i;

    if (!net)
        return;
    if (net->st && net->cl)
        free_run_state(net);
    for (i = 0; net->st && i < net->nst; i++) {
        free(net->st[i].heap);
        free(net->st[i].route_to);
        free(net->st[i].route_cum);
    }
    for (i = 0; net->cl && i < net->ncls; i++)
        free(net->cl[i].hist);
    for (i = 0; net->metrics && i < net->nmetrics; i++)
        free(net->metrics[i].scope);
    free(net->metrics);
    free(net->st);
    free(net->cl);
    free(net->sys_hist);
    free(net);
}

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
    return net->metrics[i].name;
}

size_t mdl_net_nhists(const mdl_net *net)
{
    return 1 + net->ncls;
}

const char *mdl_net_hist_scope(const mdl_net *net, size_t h)
{
    return net->metrics[h * NREQ].scope;
}

size_t mdl_net_result_len(const mdl_net *net)
{
    return net->nmetrics + mdl_net_nhists(net) * SIM_HIST_BINS;
}

/* ---- one replication ---- */

static int seed_streams(mdl_net *net, unsigned rep)
{
    const mdl_scenario *s = net->s;
    char name[600];
    size_t i;

    for (i = 0; i < net->nst; i++) {
        station *st = &net->st[i];
        snprintf(name, sizeof name, "service:%s", st->svc->name);
        st->svc_rng = sim_rng_new(s->seed, rep, sim_rng_id(name));
        snprintf(name, sizeof name, "route:%s", st->svc->name);
        st->route_rng = sim_rng_new(s->seed, rep, sim_rng_id(name));
        if (!st->svc_rng || !st->route_rng)
            return SIM_ENOMEM;
    }
    for (i = 0; i < net->ncls; i++) {
        snprintf(name, sizeof name, "workload:%s", net->cl[i].w->name);
        net->cl[i].rng = sim_rng_new(s->seed, rep, sim_rng_id(name));
        if (!net->cl[i].rng)
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

static void reset_state(mdl_net *net)
{
    size_t i;

    for (i = 0; i < net->nst; i++) {
        station *st = &net->st[i];
        st->n = 0;
        st->busy = 0;
        st->qhead = st->qtail = NULL;
        st->vtime = st->vlast = 0;
        st->ps_ev = NULL;
        st->jobs.value = st->busy_twa.value = 0;
    }
    net->oom = 0;
    reset_stats(net, 0.0);
}

static double quantile_or_nan(const sim_hist *h, double p)
{
    return h->n ? sim_hist_quantile(h, p) : NAN;
}

static double *put_req_metrics(double *o, const sim_tally *lat,
                               const sim_hist *h, double ok, double failed,
                               double span)
{
    *o++ = lat->n > 0 ? lat->mean : NAN;
    *o++ = quantile_or_nan(h, 0.50);
    *o++ = quantile_or_nan(h, 0.95);
    *o++ = quantile_or_nan(h, 0.99);
    *o++ = quantile_or_nan(h, 0.999);
    *o++ = ok + failed > 0 ? ok / (ok + failed) : NAN;
    *o++ = ok / span;
    return o;
}

static void collect(mdl_net *net, double now, double *out)
{
    double span = now - net->s->warmup;
    double *o = out;
    size_t i, b;

    if (span <= 0)
        span = NAN;
    o = put_req_metrics(o, &net->sys_lat, net->sys_hist, net->sys_ok,
                        net->sys_failed, span);
    for (i = 0; i < net->ncls; i++) {
        cls *c = &net->cl[i];
        o = put_req_metrics(o, &c->lat, c->hist, c->ok, c->failed, span);
    }
    for (i = 0; i < net->nst; i++) {
        station *st = &net->st[i];
        double busy = sim_twa_mean(&st->busy_twa, now);
        double jobs = sim_twa_mean(&st->jobs, now);
        *o++ = st->c == INT_MAX ? busy : busy / st->c;
        *o++ = jobs;
        *o++ = jobs - busy;
        *o++ = st->wait.n > 0 ? st->wait.mean : NAN;
        *o++ = st->resp.n > 0 ? st->resp.mean : NAN;
        *o++ = net->sys_entered > 0 ? st->arrivals / net->sys_entered : NAN;
        *o++ = st->departures / span;
        *o++ = st->arrivals > 0 ? st->rejected / st->arrivals : 0.0;
    }
    for (b = 0; b < SIM_HIST_BINS; b++)
        *o++ = (double)net->sys_hist->count[b];
    for (i = 0; i < net->ncls; i++)
        for (b = 0; b < SIM_HIST_BINS; b++)
            *o++ = (double)net->cl[i].hist->count[b];
}

int mdl_net_run(mdl_net *net, unsigned rep, double *out, uint64_t *events)
{
    const mdl_scenario *s = net->s;
    size_t i;
    long k;
    int rc;

    net->cal = sim_cal_new();
    if (!net->cal) {
        rc = SIM_ENOMEM;
        goto done;
    }
    rc = seed_streams(net, rep);
    if (rc != SIM_OK)
        goto done;
    reset_state(net);
    for (i = 0; i < net->ncls; i++) {
        cls *c = &net->cl[i];
        if (!c->w->closed) {
            schedule(net, mdl_dist_sample(&c->w->arrival, c->rng),
                     on_arrival, c);
            continue;
        }
        for (k = 0; k < c->w->population && !net->oom; k++) {
            req *r = req_new(net, (int)i);
            if (!r)
                break;
            r->at = &net->st[c->w->entry];  /* for on_think_end's net */
            schedule(net, mdl_dist_sample(&c->w->think, c->rng),
                     on_think_end, r);
        }
    }
    if (s->warmup > 0)
        schedule(net, s->warmup, on_warmup_end, net);
    if (!net->oom)
        sim_cal_run(net->cal, s->warmup + s->duration);
    if (net->oom) {
        rc = SIM_ENOMEM;
        goto done;
    }
    collect(net, sim_cal_now(net->cal), out);
    if (events)
        *events = sim_cal_fired(net->cal);
done:
    free_run_state(net);
    return rc;
}
