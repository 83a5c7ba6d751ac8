/*
 * mdl_int.h - the engine's run-time objects, shared by the modules that
 * make up mdl_net: requests (mdl_request.c), the visit and call
 * lifecycle (mdl_visit.c, mdl_call.c), injected failures
 * (mdl_failure.c), workloads (mdl_workload.c), the metric tables and
 * results (mdl_metrics.c, mdl_results.c). Nothing outside models/
 * includes it.
 *
 * Objects and who owns them:
 *   flow     one request from a workload, or one published event: its
 *            class, when it started, how it ended; pooled, owned by the
 *            net from mdl__request_new() to mdl__request_end().
 *   visit    one service's work on a call (or on the request at its
 *            entry): callee side. It moves on along forward edges, the
 *            same object re-entering the next station, and the last
 *            station of the chain answers the caller. Pooled.
 *   call     caller side: one call on an edge from a visit waiting on
 *            it. Pooled; its generation number changes whenever it is
 *            freed, so a reply meant for an earlier use of the object is
 *            told apart and dropped.
 *   replica  one replica's station, with the visit counters of its
 *            metrics; service, stage, edge_rt: per-model state built
 *            once by mdl_net_new().
 */
#ifndef MDL_INT_H
#define MDL_INT_H
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "../sim/sim_cal.h"
#include "../sim/sim_rng.h"
#include "../sim/sim_stat.h"
#include "mdl_autoscale.h"
#include "mdl_balancer.h"
#include "mdl_breaker.h"
#include "mdl_bulkhead.h"
#include "mdl_net.h"
#include "mdl_outlier.h"
#include "mdl_plan.h"
#include "mdl_policy.h"
#include "mdl_pool.h"
#include "mdl_ratelimit.h"
#include "mdl_retry.h"
#include "mdl_station.h"

typedef struct replica replica;
typedef struct service service;
typedef struct visit visit;

/* Where a request spent its time: (replica, queueing + working time) per
 * visit, credited when the request succeeds. The first LEDGER_N visits
 * are kept in the flow itself, more in pooled pages. Only a model in
 * which a request can fail keeps ledgers; in the others every visit is
 * credited as it ends. */
#define LEDGER_N 4

typedef struct ledger {
    struct ledger *next;    /* more pages, or the pool's link */
    int n;
    replica *at[LEDGER_N];
    double self[LEDGER_N];  /* s */
} ledger;

/* Two cache lines, aligned: what every visit reads first, then the
 * ledger, which only a model whose requests can fail fills. */
typedef struct flow {
    double t_start;         /* s */
    int cls;                /* class of the request (or of its publisher) */
    int pub;                /* publishing edge, or -1 for a request */
    int ended;              /* the request has ended; orphans may remain */
    long visits;            /* its visits alive: the flow is freed when it
                               has ended and the last has gone */
    uint64_t key;           /* request id, and key for hash balancing */
    ledger led;             /* its first visits; led.next: the others */
} __attribute__((aligned(64))) flow;

/* A visit's phase; whether it is queued or being served within a phase
 * is its work piece's state (mdl_station.h). */
enum { VISIT_PRE, VISIT_CALLING, VISIT_POST, VISIT_DONE };

struct visit {
    mdl_work w;             /* at the station: line, heap slot, event;
                               w.expires is its deadline (s, absolute;
                               +inf: none) */
    flow *fl;
    mdl_call *caller;       /* the call it answers; NULL at a root */
    visit *up;              /* caller->parent when it was made: with the
                               caller, fetched as it leaves to answer */
    replica *at;
    service *sv;            /* at->sv, and its plan for the request's */
    const mdl_plan *pl;     /* class: kept here so that they load with
                               the visit, not after its replica */
    unsigned caller_gen;    /* caller's generation when it was made */
    int caller_edge;        /* caller->edge: its state is fetched with
                               the caller as the visit leaves */
    unsigned char state;    /* VISIT_* */
    unsigned char cause;    /* 0, or why it fails (MDL_REQ_*): it was
                               refused, or a call of it failed */
    unsigned char degraded; /* MDL_REQ_DEGRADED when a fallback answered
                               a call of it, or of its callees; else 0 */
    int stage;              /* current stage of its plan (mdl_plan.h) */
    int pending;            /* calls of the stage not yet answered */
    sim_tally *stage_dur;   /* its stage's duration, while it calls */
    mdl_call *calls;        /* outstanding calls, doubly linked */
    double t_arrive;        /* s */
    double t_calls;         /* the calls began (s) */
    double t_stage;         /* the current stage began (s) */
    visit *rprev, *rnext;   /* the visits its replica holds, kept while
                               failures can strike them (net->track) */
};

struct replica {
    /* What every visit reads or writes, then the station, whose share of
     * it ends within the first four lines (mdl_station.h); then the
     * rest. The type is aligned to a line, and so is the block of every
     * service's replicas (mdl_net.c): those four are whole lines. */
    service *sv;
    long n;                 /* visits present, waiting on calls included */
    long cap;               /* 0 = unlimited */
    int cold;               /* visits take the slow path: err_p > 0, or
                               net->track (mdl__replica_cold) */
    int hung;               /* hangs in force: it answers none */
    double arrivals, departures;
    double self;            /* time of successful requests here (s) */
    sim_twa jobs;
    sim_tally resp;
    sim_tally callee;       /* a visit's wait for its calls */
    mdl_station st;         /* the station callback gets &st */
    double rejected;
    double orphan_work;     /* work done for callers that gave up (s) */
    double errors;          /* visits that answered with an error */
    double refused;         /* arrivals refused while down (errors) */
    int nslow;              /* slow-downs in force (mdl_failure.c) */
    int down;               /* crashes in force: it refuses visits */
    double err_p;           /* an injected error's probability, or 0 */
    visit *held;            /* the visits it holds, when net->track */
} __attribute__((aligned(64)));

typedef struct stage {
    int n;
    int ncalls;             /* call edges among them: a stage of publishes
                               alone waits for nothing */
    int *edges;             /* call and publish edges of this stage */
    sim_tally dur;          /* from sending its calls to the last reply */
} stage;

/* A service's own random streams, by their index in service.rng: the
 * work (`service`), call probabilities and forward edges (`route`), the
 * replica (`lb`), the backoffs of its calls (`retry`), injected errors
 * (`fail`). */
enum { SV_SVC, SV_ROUTE, SV_LB, SV_RETRY, SV_FAIL, SV_STREAMS };

struct service {
    /* What every visit reads, together: the first lines, then the
     * generators it draws from; then the rest. The type is aligned to a
     * line, so that those lines are whole ones (net->sv starts on one). */
    mdl_net *net;
    const mdl_service *svc;
    replica *rep;           /* nrep, in net->reps */
    mdl_plan *plans;        /* one, or one per class, in net->plan_block */
    size_t plan_stride;     /* 0: one plan for all; 1: one per class */
    int nstages;
    int nfwd;
    unsigned char has_post;
    unsigned char blocking; /* svc->blocking */
    int nrep;               /* replicas, or slots for them when it
                               autoscales (mdl_autoscale.h) */
    mdl_admission admit;    /* server-side admission chain */
    mdl_outlier *outlier;   /* owned; NULL: none */
    mdl_balancer lb;
    sim_rng_slot rng[SV_STREAMS];   /* by SV_*: &rng[SV_ROUTE].r */
    int idx;
    stage *stages;          /* owned */
    int *fwd;               /* forward edges out of it */
    mdl_ratelimit *limiter; /* owned; NULL: none */
    mdl_admitter limiter_hook;  /* the limiter in the chain */
    int sweeping;           /* an outlier sweep is scheduled */
    uint64_t rng_id[SV_STREAMS];    /* the generators' stream ids */
    gsl_rng *updown_rng;    /* times up and down; NULL: no updown */
    mdl_autoscaler *as;     /* owned; NULL: a fixed number of replicas */
    int faulty;             /* crashes, hangs or updown strike it */
    sim_twa up;             /* of the replicas neither down nor hung */
    /* Copies of svc's work (shallow: the topology keeps an empirical
     * one's samples), each starting a line: a visit reads neither svc's
     * work, which can straddle two lines, nor the line of svc->blocking.
     * At 10,000 Meta-like services, load 0.005: 4.8% fewer lines missed
     * (cachegrind), 2.5-4% more events a second. */
    mdl_dist pre __attribute__((aligned(64)));
    mdl_dist post __attribute__((aligned(64)));
} __attribute__((aligned(64)));

typedef struct cls {
    int closed;             /* sent by a closed workload */
    int all_calls;          /* every call edge applies to it */
    sim_tally lat;
    sim_hist *hist;
    double entered, ok, rejected, failed, timed_out;
    double degraded;        /* among the ok */
} cls;

typedef struct wl {
    mdl_net *net;
    const mdl_workload *w;
    int first, n;           /* its classes: first .. first + n - 1 */
    gsl_rng *rng;           /* arrivals or think times */
    gsl_rng *mix_rng;       /* class of each request */
} wl;

/* An edge at run time: its statistics and its client-side policies. */
typedef struct edge_rt {
    /* What every call reads or writes first: 128 bytes, two whole lines
     * (the type is aligned to one and net->es starts on one). */
    mdl_chain chain;        /* consulted as each call starts and ends */
    mdl_retry retry;        /* its run-time state */
    double timeout;         /* per attempt (s); 0: none */
    double deadline;        /* per call, all attempts (s); 0: none */
    double count, ok, failed;
    double attempts;        /* tries of the calls that ended */
    sim_tally lat;          /* call: issue to reply; publish: event latency */
    int fallback;           /* a failed call is answered locally */
    int partitioned;        /* partitions in force: attempts fail */
    int to;                 /* the callee, as the topology's edge says */
    const mdl_retry_policy *retry_policy;   /* NULL: none */
    double timeouts, errors;    /* calls ended so, among the failed */
    double rejected;        /* ... refused: by the callee (its capacity,
                               its rate limit) or by a policy here */
    double short_circuited; /* calls whose last try a policy refused */
    mdl_breaker *breaker;   /* owned; NULL: none */
    mdl_bulkhead *bulkhead; /* owned; NULL: none */
    mdl_policy hook[2];     /* the chain's policies, outermost first:
                               breaker, bulkhead (those there are) */
} __attribute__((aligned(64))) edge_rt;

typedef struct metric metric;
typedef struct series series;
typedef struct series_def series_def;

/* The latency histogram of a request scope at the last window's end
 * (less what the warm-up reset cleared), and the range of bins any
 * observation has landed in: lo > hi (both SIM_HIST_BINS) for none. */
typedef struct hist_state {
    uint64_t *prev;         /* owned: SIM_HIST_BINS */
    uint64_t nprev;
    size_t lo, hi;
} hist_state;

/* The time series of a replication (mdl_series.c). */
typedef struct mdl_series {
    size_t n;               /* series */
    series *s;              /* owned, n */
    size_t ncounters;
    double *prev;           /* owned: the counters at the last window's
                               end, less what the warm-up reset cleared */
    hist_state *hs;         /* owned: one per request scope */
    uint64_t *win;          /* owned: scratch, one window's histogram
                               bins, SIM_HIST_BINS */
    double width;           /* s */
    size_t nwin;            /* windows per replication */
    /* during a run */
    double *out;            /* window k, series i at out[k * n + i] */
    size_t next;            /* the window to close next */
    sim_event *ev;          /* its event, or NULL */
    double quiet_at;        /* when the rest of the model ran out of
                               events (s), or -1 */
} mdl_series;

struct mdl_net {
    const mdl_scenario *s;
    const mdl_topology *t;
    size_t nsv, ncls, nwl, nedges;
    service *sv;
    void *reps;             /* owned: every service's replicas */
    cls *cl;
    wl *wls;
    edge_rt *es;
    unsigned char *applies; /* edge x class: does the edge apply? */
    double call_attempts;   /* summed over the call edges, as each */
    double call_ended;      /* edge_rt counts them: attempts, ok + failed */
    int planned;            /* the services' plans are built */
    void *plan_block;       /* owned (sim_mem): every service's plans */
    int fetch_ahead;        /* the model outgrows the caches: visits fetch
                               the next service's lines early */
    cls sys;                /* every request, whatever its class; with
                               one class, its latencies are that class's
                               (mdl__cls_lat(); the histogram is shared) */
    sim_cal *cal;
    mdl_pool flows, visits, calls, ledgers;
    uint64_t next_key;
    long finished;          /* after warm-up, for run.requests */
    long active;            /* requests and events in the system */
    unsigned long ticks;    /* requests finished, for progress reports */
    void (*progress)(void *ctx, double frac);
    void *progress_ctx;
    void (*observer)(void *ctx, const mdl_net_req *r);
    void *observer_ctx;
    int oom;
    int may_fail;           /* some request can fail: keep ledgers; every
                               way a request can fail must be listed in
                               mdl_net.c's may_fail() */
    int timers;             /* some call has a timeout or a deadline:
                               orphans are possible */
    int track;              /* replicas can crash or hang: each keeps
                               the list of the visits it holds */
    struct updown *ud;      /* owned: updown state per struck replica */
    int fallback;           /* some call edge falls back: requests report
                               `degraded` */
    size_t nmetrics;
    size_t metrics_cap;     /* allocated length of metrics */
    metric *metrics;
    mdl_series ts;
    const mdl_hedge_policy **hedge; /* owned: per edge, its hedging
                               policy or NULL (mdl_hedge.h); NULL when no
                               edge hedges, so that the call path tests
                               one pointer, and edge_rt stays small */
};

/* Out of memory during a run: stop the calendar; mdl_net_run() fails. */
void mdl__nomem(mdl_net *net);
/* Schedule fn(obj, arg) after delay s; out of memory stops the run. */
static inline sim_event *mdl__schedule(mdl_net *net, double delay,
                                       sim_handler fn, void *obj, long arg)
{
    sim_event *ev = sim_cal_schedule(net->cal, delay, fn, obj, arg);

    if (!ev)
        mdl__nomem(net);
    return ev;
}

/* mdl_request.c: requests and the time they spent where. */
flow *mdl__request_new(mdl_net *net, int cls, double now);
/* Make f a new request of class cls, starting now, with the next key. */
void mdl__request_begin(mdl_net *net, flow *f, int cls, double now);
/* Publish an event on edge e from request `from`: a flow of its own. */
void mdl__request_publish(mdl_net *net, const flow *from, int e,
                          double now);
/* Note a visit's time at r in f's ledger. */
void mdl__request_ledger(mdl_net *net, flow *f, replica *r, double self);
/* A visit of f spent self s queued or working at r. */
static inline void mdl__request_visited(mdl_net *net, flow *f, replica *r,
                                        double self)
{
    if (f->pub >= 0 || f->ended)
        return;                 /* events are not part of request latency,
                                   nor orphans of one that has ended */
    if (!net->may_fail)
        r->self += self;        /* every request will succeed */
    else
        mdl__request_ledger(net, f, r, self);
}
/* The request's root visit ended, with cause 0 (it succeeded),
 * MDL_REQ_DEGRADED (it succeeded, degraded) or why it failed
 * (MDL_REQ_*): count, observe, recycle. */
void mdl__request_end(mdl_net *net, flow *f, int cause, double now);

/* mdl_visit.c: the callee side. */
visit *mdl__visit_new(mdl_net *net, flow *f, mdl_call *caller);
/* v arrives at a replica of service sv, chosen by its balancer. */
void mdl__visit_arrive(mdl_net *net, visit *v, int sv, double now);
/* The calendar's warm (sim_cal_set_warm) of the event that ends a
 * piece of a visit's work (mdl_station_served): every station of a net
 * serves visits. */
void mdl__visit_warm(const sim_event *ev);
/* The last call of v's stage has been answered. */
void mdl__visit_joined(mdl_net *net, visit *v, double now);
/* The station callback of every replica: a piece of a visit's work is
 * finished, or was dropped past its deadline. */
void mdl__visit_work_done(mdl_station *st, mdl_work *w, int dropped,
                          double now);

/* mdl_call.c: the caller side. */
/* Make a call on edge e from v, with `left` more to make after it. */
void mdl__call_start(mdl_net *net, visit *from, int e, int left,
                     double now);
/* The chain answering c ended with outcome (MDL_CALL_*) and, if it
 * failed, cause (MDL_REQ_*: why); gen is the generation of c its first
 * visit was made for. If c is still that call, the caller gets the
 * answer now, or as an event if later. */
void mdl__call_answer(mdl_net *net, mdl_call *c, unsigned gen, int outcome,
                      int cause, int later, double now);
/* Stop waiting for c's current attempt after delay s unless it has
 * ended by then: it ends in a timeout (and may be retried); the callee's
 * visit goes on as an orphan whose answer goes nowhere. */
void mdl__call_arm(mdl_net *net, mdl_call *c, double delay);
/* c's caller is gone: stop waiting, and free c. Its callee goes on as an
 * orphan; its policies hear that the attempt was cancelled
 * (MDL_CALL_PENDING), and the edge counts the call as failed. */
void mdl__call_abandon(mdl_net *net, mdl_call *c, double now);

/* Fail v, held at its replica (crashed, or restarting after a hang): its
 * work and calls are dropped, its caller gets an error. */
void mdl__visit_fail(mdl_net *net, visit *v, double now);

/* mdl_outlier.c, the engine's side of outlier detection (services with
 * a detector only). */
/* Visit v, on an attempt of its caller, reached replica r of sv. */
void mdl__outlier_reached(visit *v, service *sv, int r);
/* v was refused at its replica: by its capacity (full: a 503, an
 * error), else by a rate limit (a 429, not one). */
void mdl__outlier_refused(mdl_net *net, visit *v, service *sv, int full,
                          double now);
/* c's attempt, which reached replica c->replica, ended with outcome. */
void mdl__outlier_attempt_end(mdl_net *net, mdl_call *c, int outcome,
                              double now);
/* The policy that parked c's attempt (mdl_policy.h), having cleared
 * c->park, lets it go on through the rest of the chain and out (rc
 * MDL_PASS; its timer goes on), or refuses it (rc an outcome, and it
 * hears no end): the attempt ends at once, so call it from an event of
 * the policy's own. */
void mdl__call_resume(mdl_net *net, mdl_call *c, int rc, double now);

/* mdl_failure.c: switch the scenario's failures on and off over their
 * windows (those from 0 at once). */
int mdl__failures_build(mdl_net *net);

/* The routing plans of every service (mdl_plan.c), from net->applies
 * and the topology; and the plan a visit of class c follows at sv. */
int mdl__plans_build(mdl_net *net);
void mdl__plans_free(mdl_net *net);
static inline const mdl_plan *mdl__plan(const service *sv, int c)
{
    return &sv->plans[(size_t)c * sv->plan_stride];
}
void mdl__failures_free(mdl_net *net);
void mdl__failures_start(mdl_net *net);

/* mdl_workload.c */
void mdl__workload_start(mdl_net *net);
/* Request f ended: a closed workload's customer thinks, in f again
 * unless orphans of f still run; f is freed when nothing needs it. */
void mdl__workload_done(mdl_net *net, flow *f);

/* mdl_metrics.c: what each kind of scope reports. */

/* What a metric's getter may read: the net, the clock and the measured
 * span (after warm-up). */
typedef struct metric_at {
    const mdl_net *net;
    double now, span;       /* s */
} metric_at;

/* The range of a metric's values: any (>= 0), a fraction, or a
 * utilization (a fraction except at a delay station). */
enum { MDL_RANGE_ANY, MDL_RANGE_FRACTION, MDL_RANGE_UTILIZATION };

/* Shown always; left out of the table at 0 (an outcome: rejected,
 * timeouts...); at 1 (a service's up). */
enum { MDL_QUIET_NO, MDL_QUIET_ZERO, MDL_QUIET_ONE };

typedef struct metric_def {
    const char *name;
    const char *unit;       /* "s", "1/s" or "" */
    int range;              /* MDL_RANGE_* */
    double (*get)(const metric_at *x, const void *obj);
    int quiet;              /* MDL_QUIET_*: a metric that matters only
                               where it departs from its usual value,
                               which the table leaves out */
    int better;             /* MDL_BETTER_* (mdl_net.h): never 0 */
} metric_def;

typedef struct metric_set {
    const metric_def *defs;
    size_t n;
} metric_set;

/* The p of a latency quantile (latency_p50 ... latency_p999 of a request
 * scope, read from its histogram), 0 for any other metric. */
double mdl__metric_quantile(const metric_def *def);

/* Getters read a cls (requests), service, replica, stage or edge_rt. */
extern const metric_set MDL__REQ_METRICS, MDL__SVC_METRICS,
    MDL__LIMIT_METRICS, MDL__OUTLIER_METRICS, MDL__UP_METRICS,
    MDL__AUTOSCALE_METRICS,
    MDL__REP_METRICS, MDL__STAGE_METRICS, MDL__CALL_METRICS,
    MDL__PUB_METRICS;
/* Requests' metrics of a net with fallbacks, after MDL__REQ_METRICS. */
extern const metric_set MDL__FALLBACK_METRICS;

/* mdl_series.c: the time series, one value per window and series from
 * the increases of cumulative counters over the window. */

/* What a series' value may read: the window (ending now, width s wide),
 * the increases of its counters over it, and for a request scope the
 * window's latency histogram: n observations in bins hist[lo..hi] (the
 * others are empty and not to be read). */
typedef struct series_at {
    const mdl_net *net;
    double now, width;      /* s */
    const double *d;
    const uint64_t *hist;
    size_t lo, hi;
    uint64_t n;
} series_at;

/* A series: its metric name, the cumulative counters it reads (at most
 * 2) and how, and its value from their increases. Adding one is adding a
 * row to a table of mdl_series.c. */
struct series_def {
    const char *name;
    int ncounters;
    void (*sample)(const mdl_net *net, const void *obj, double now,
                   double *c);
    double (*value)(const series_at *x);
};

/* The series of net's scopes, after mdl__results_build(). */
int mdl__series_build(mdl_net *net);
void mdl__series_free(mdl_net *net);
/* At time 0 of a replication with result vector out: note the counters
 * and schedule the first window's end. */
void mdl__series_start(mdl_net *net, double *out);
/* Just before the statistics are reset at now. */
void mdl__series_rebase(mdl_net *net, double now);
/* The calendar stopped: drop the pending window event. */
void mdl__series_stop(mdl_net *net);
/* The replication ended at end: close the windows left up to end, NaN
 * for those after it. */
void mdl__series_finish(mdl_net *net, double end);

/* mdl_results.c: the result vector. */
int mdl__results_build(mdl_net *net);
/* The object metric i reads: a cls, service, replica, stage or edge_rt. */
const void *mdl__results_obj(const mdl_net *net, size_t i);
void mdl__results_free(mdl_net *net);
void mdl__results_reset(mdl_net *net, double now);
void mdl__results_collect(const mdl_net *net, double now, double *out);

/* ---- small steps of the hot path, inlined ---- */

/* Set r->cold after err_p or net->track changed. */
static inline void mdl__replica_cold(const mdl_net *net, replica *r)
{
    r->cold = r->err_p > 0 || net->track;
}

/* The latencies of c, a class or net->sys. */
static inline const sim_tally *mdl__cls_lat(const mdl_net *net,
                                            const cls *c)
{
    return c == &net->sys && net->ncls == 1 ? &net->cl[0].lat : &c->lat;
}

static inline void mdl__request_free(mdl_net *net, flow *f)
{
    mdl_pool_put(&net->flows, f);
}

/* A request (or event) enters the system at service sv. */
static inline void mdl__request_enter(mdl_net *net, flow *f, int sv,
                                      double now)
{
    visit *v = mdl__visit_new(net, f, NULL);

    if (v)
        mdl__visit_arrive(net, v, sv, now);
}

#endif /* MDL_INT_H */
