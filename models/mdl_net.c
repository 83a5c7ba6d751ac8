/*
 * mdl_net.c - requests, calls and stations driven by the calendar.
 *
 * Objects
 *   flow     one request from a workload (or one published event): its
 *            class, when it started, how it ended.
 *   job      a flow's visit to one station. A job moves on along forward
 *            edges (the same job visits the next service), and answers its
 *            caller when the forward chain ends.
 *   station  one replica of a service: c workers, a FIFO line for them
 *            (or processor sharing), an optional capacity.
 *
 * A visit, as DESIGN.md section 3 describes it:
 *
 *   arrive --(capacity full)--> rejected: the job fails at once
 *     |
 *   get a worker (queue) --> pre-work (`service`) --> stage 0 calls ...
 *     --> stage k calls --> post-work (`post_service`, if any) --> leave
 *     --> follow a forward edge, or reply to the caller / finish the flow
 *
 *   Calls of one stage go out together (fork) and the visit goes on when
 *   the last has replied (join). An edge with count n makes n calls one
 *   after another. A blocking service keeps its worker from pre-work to
 *   leaving, so slow callees exhaust its pool; a non-blocking one releases
 *   it when the calls go out and queues again for the post-work. A failed
 *   call (a rejection downstream) fails the caller when its stage joins.
 *   Publish edges start an independent flow at the target; the publisher
 *   does not wait.
 *
 * Processor sharing: n jobs each progress at rate min(1, c/n). A virtual
 *   clock V advances at that rate; a job that arrives at V0 with work S
 *   leaves when V reaches V0 + S, so jobs sit in a min-heap of finish tags
 *   and only the earliest has a completion event, rescheduled whenever n
 *   changes (Kleinrock's virtual-time view of PS). A job waiting on its
 *   callees leaves the processor set and comes back for post-work.
 *
 * Replicas: a caller picks one by the service's policy: round robin,
 *   random, least outstanding jobs, power of two choices (the better of two
 *   random replicas, Mitzenmacher 2001; Envoy's LEAST_REQUEST), or a hash
 *   ring of 256 points per replica keyed on the flow (consistent hashing,
 *   Karger et al. 1997).
 *
 * Random streams: one per workload (arrivals, think times, class mix),
 *   and per service for service times, call probabilities and routing,
 *   and replica choice; named after the workload or service, so that
 *   common random numbers survive edits elsewhere in the topology.
 */
#include <limits.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_cal.h"
#include "../sim/sim_rng.h"
#include "../sim/sim_stat.h"
#include "mdl_net.h"

typedef struct station station;
typedef struct service service;

/* Where a request spent its time: (station, queueing + working time)
 * per visit, credited to the stations when the request succeeds. The
 * first LEDGER_N visits are kept in the flow itself, more in pooled
 * nodes, so a short request costs no allocation. Only a model in which
 * a request can fail (a capacity limit: a rejection) keeps ledgers; in
 * the others every visit is credited as it ends. */
#define LEDGER_N 4

typedef struct ledger {
    struct ledger *next;    /* more entries, or free list */
    int n;
    station *st[LEDGER_N];
    double self[LEDGER_N];  /* s */
} ledger;

typedef struct flow {
    struct flow *next;      /* free list */
    ledger led;             /* its first visits; led.next: the others */
    mdl_net *net;
    double t_start;         /* s */
    int cls;                /* class of the request (or of its publisher) */
    int pub;                /* publishing edge, or -1 for a request */
    int rejected, failed;
    uint64_t key;           /* for hash load balancing */
} flow;

enum { PH_PRE, PH_CALLS, PH_POST };

typedef struct job {
    struct job *next;       /* worker queue link, or free list */
    flow *fl;
    struct job *parent;     /* caller waiting for the reply; NULL at a root */
    int edge;               /* the call edge from the parent; -1 at a root */
    int left;               /* calls still to make on that edge */
    double t_call;          /* when the parent made this call (s) */
    station *at;
    double t_arrive;        /* arrival at the current station (s) */
    double t_ready;         /* began waiting for a worker (s) */
    double t_calls;         /* the calls began (s) */
    double t_stage;         /* the current stage began (s) */
    double work;            /* current work demand (s) */
    double finish;          /* PS: virtual finish tag */
    double self;            /* queueing + working time at this visit (s) */
    int phase, stage, pending, holds, failed;
} job;

struct station {
    mdl_net *net;
    service *sv;
    int c;                  /* workers; INT_MAX for a delay station */
    long cap;               /* 0 = unlimited */
    long n;                 /* jobs present, waiting on callees included */
    int busy;               /* workers held */
    long nq;                /* jobs waiting for a worker */
    job *qhead, *qtail;
    long nps;               /* PS: jobs in the processor set */
    job **heap;             /* PS: processor set by finish tag */
    size_t hcap;
    double vtime, vlast;    /* PS: virtual clock and its last update */
    sim_event *ps_ev;       /* PS: pending completion */
    sim_twa jobs, busy_twa, queue_twa;
    sim_tally resp, wait, work, callee;
    double arrivals, rejected, departures;
    double self;            /* time of successful requests here (s) */
    double waited;          /* accepted arrivals that found no free worker */
};

typedef struct stage {
    int n;
    int ncalls;             /* call edges among them: a stage of publishes
                               alone waits for nothing */
    int *edges;             /* call and publish edges of this stage */
    char *chosen;           /* scratch: calls drawn for the current visit */
    sim_tally dur;          /* from sending its calls to the last reply */
} stage;

struct service {
    const mdl_service *svc;
    int idx;
    int nrep;
    station *rep;           /* owned, nrep */
    int rr;                 /* round-robin cursor */
    uint64_t *ring;         /* hash ring: point hash << 0, sorted */
    int *ring_rep;          /* replica of each ring point */
    int nring;
    int nstages;
    stage *stages;          /* owned */
    int nfwd;
    int *fwd;               /* forward edges out of it */
    int has_post;
    gsl_rng *svc_rng, *route_rng, *lb_rng;
};

typedef struct cls {
    const mdl_class *c;
    sim_tally lat;
    sim_hist *hist;
    double entered, ok, rejected, failed;
} cls;

typedef struct wl {
    mdl_net *net;
    const mdl_workload *w;
    int first, n;           /* its classes: first .. first + n - 1 */
    gsl_rng *rng;           /* arrivals or think times */
    gsl_rng *mix_rng;       /* class of each request */
} wl;

typedef struct edge_stat {
    sim_tally lat;          /* call: issue to reply; publish: event latency */
    double count, ok, failed;
} edge_stat;

/* Pool chunks: the header's union keeps the objects after it aligned. */
typedef union chunk {
    union chunk *next;
    max_align_t align;
} chunk;

typedef struct metric {
    char *scope;            /* owned */
    const char *name;
    double max;             /* 1 for a fraction, else +inf */
} metric;

struct mdl_net {
    const mdl_scenario *s;
    const mdl_topology *t;
    size_t nsv, ncls, nwl, nedges;
    service *sv;
    cls *cl;
    wl *wls;
    edge_stat *es;
    unsigned char *applies; /* edge x class: does the edge apply? */
    sim_tally sys_lat;
    sim_hist *sys_hist;
    double sys_entered, sys_ok, sys_rejected, sys_failed;
    double sys_time;        /* summed latency of successful requests (s) */
    sim_cal *cal;
    flow *free_flow;
    job *free_job;
    ledger *free_led;
    chunk *chunks;
    uint64_t next_key;
    long finished;          /* after warm-up, for run.requests */
    long active;            /* requests and events in the system */
    unsigned long ticks;    /* requests finished, for progress reports */
    void (*progress)(void *ctx, double frac);
    void *progress_ctx;
    void (*observer)(void *ctx, const mdl_net_req *r);
    void *observer_ctx;
    int oom;
    int may_fail;           /* some request can fail: keep ledgers */
    size_t nmetrics;
    metric *metrics;
};

static const char *const REQ_METRICS[] = {
    "latency_mean", "latency_p50", "latency_p95", "latency_p99",
    "latency_p999", "availability", "throughput", "rejected", "failed"
};
static const char *const SVC_METRICS[] = {
    "utilization", "jobs_mean", "queue_mean", "wait_mean", "p_wait",
    "work_mean", "callee_mean", "response_mean", "visits", "throughput",
    "rejected",
    "self_per_request", "self_share"
};
static const char *const REP_METRICS[] = {
    "utilization", "jobs_mean", "response_mean", "throughput"
};
static const char *const CALL_METRICS[] = { "latency_mean", "calls" };
static const char *const PUB_METRICS[] = {
    "latency_mean", "availability", "throughput"
};
#define NELEM(a) (sizeof (a) / sizeof *(a))

/* ---- pools ---- */

#define POOL_BATCH 1024

static void nomem(mdl_net *net)
{
    net->oom = 1;
    sim_cal_stop(net->cal);
}

/* One allocation holds a chunk header and POOL_BATCH objects of size sz;
 * chunks are freed together at the end of the replication. */
static void *pool_grow(mdl_net *net, size_t sz)
{
    chunk *ch = malloc(sizeof *ch + sz * POOL_BATCH);

    if (!ch) {
        nomem(net);
        return NULL;
    }
    ch->next = net->chunks;
    net->chunks = ch;
    return ch + 1;
}

static flow *flow_new(mdl_net *net, int c, double now)
{
    flow *f = net->free_flow;

    if (!f) {
        flow *batch = pool_grow(net, sizeof *batch);
        size_t i;
        if (!batch)
            return NULL;
        for (i = 0; i < POOL_BATCH; i++) {
            batch[i].next = net->free_flow;
            net->free_flow = &batch[i];
        }
        f = net->free_flow;
    }
    net->free_flow = f->next;
    f->net = net;
    f->t_start = now;
    f->cls = c;
    f->pub = -1;
    f->led.n = 0;
    f->led.next = NULL;
    f->rejected = f->failed = 0;
    f->key = net->next_key++;
    return f;
}

static void flow_free(mdl_net *net, flow *f)
{
    f->next = net->free_flow;
    net->free_flow = f;
}

static job *job_new(mdl_net *net, flow *f, job *parent, int edge, int left,
                    double now)
{
    job *j = net->free_job;

    if (!j) {
        job *batch = pool_grow(net, sizeof *batch);
        size_t i;
        if (!batch)
            return NULL;
        for (i = 0; i < POOL_BATCH; i++) {
            batch[i].next = net->free_job;
            net->free_job = &batch[i];
        }
        j = net->free_job;
    }
    net->free_job = j->next;
    j->next = NULL;
    j->fl = f;
    j->parent = parent;
    j->edge = edge;
    j->left = left;
    j->t_call = now;
    j->failed = 0;
    return j;
}

static void job_free(mdl_net *net, job *j)
{
    j->next = net->free_job;
    net->free_job = j;
}

/* Note a visit's time at st in f's ledger. */
static void ledger_add(mdl_net *net, flow *f, station *st, double self)
{
    ledger *l = f->led.n < LEDGER_N ? &f->led : f->led.next;

    if (!l || l->n == LEDGER_N) {
        if (!(l = net->free_led)) {
            ledger *batch = pool_grow(net, sizeof *batch);
            size_t i;
            if (!batch)
                return;
            for (i = 0; i < POOL_BATCH; i++) {
                batch[i].next = net->free_led;
                net->free_led = &batch[i];
            }
            l = net->free_led;
        }
        net->free_led = l->next;
        l->next = f->led.next;
        l->n = 0;
        f->led.next = l;
    }
    l->st[l->n] = st;
    l->self[l->n++] = self;
}

/* Credit f's visits to their stations when it succeeded, and empty the
 * ledger. */
static void ledger_close(mdl_net *net, flow *f, int ok)
{
    ledger *l, *next;
    int i;

    for (i = 0; ok && i < f->led.n; i++)
        f->led.st[i]->self += f->led.self[i];
    for (l = f->led.next; l; l = next) {
        next = l->next;
        for (i = 0; ok && i < l->n; i++)
            l->st[i]->self += l->self[i];
        l->next = net->free_led;
        net->free_led = l;
    }
    f->led.n = 0;
    f->led.next = NULL;
}

static void schedule(mdl_net *net, double delay, sim_handler fn, void *obj)
{
    if (!sim_cal_schedule(net->cal, delay, fn, obj, 0))
        nomem(net);
}

/* ---- replica choice ---- */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static station *pick(service *sv, const flow *f)
{
    int a, b, lo, hi;
    uint64_t h;

    if (sv->nrep == 1)
        return sv->rep;
    switch (sv->svc->lb) {
    case MDL_LB_RANDOM:
        return &sv->rep[gsl_rng_uniform_int(sv->lb_rng,
                                            (unsigned long)sv->nrep)];
    case MDL_LB_LEAST:
        /* Fewest outstanding; ties broken uniformly (reservoir sampling),
         * or the first replicas would take every tie. */
        for (a = 0, b = 1, lo = 1; b < sv->nrep; b++) {
            if (sv->rep[b].n < sv->rep[a].n) {
                a = b;
                lo = 1;
            } else if (sv->rep[b].n == sv->rep[a].n
                       && gsl_rng_uniform_int(sv->lb_rng,
                                              (unsigned long)++lo) == 0) {
                a = b;
            }
        }
        return &sv->rep[a];
    case MDL_LB_P2C:
        a = (int)gsl_rng_uniform_int(sv->lb_rng, (unsigned long)sv->nrep);
        b = (int)gsl_rng_uniform_int(sv->lb_rng,
                                     (unsigned long)sv->nrep - 1);
        if (b >= a)
            b++;                    /* two distinct replicas */
        return &sv->rep[sv->rep[b].n < sv->rep[a].n ? b : a];
    case MDL_LB_HASH:
        /* First ring point at or after the key's hash, wrapping around. */
        h = mix64(f->key);
        lo = 0;
        hi = sv->nring;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (sv->ring[mid] < h)
                lo = mid + 1;
            else
                hi = mid;
        }
        return &sv->rep[sv->ring_rep[lo == sv->nring ? 0 : lo]];
    case MDL_LB_ROUND_ROBIN:
    default:
        a = sv->rr;
        sv->rr = (sv->rr + 1) % sv->nrep;
        return &sv->rep[a];
    }
}

/* ---- the visit ---- */

static void arrive(mdl_net *net, station *st, job *j, double now);
static void reply(mdl_net *net, job *j, double now);
static void next_stage(mdl_net *net, job *j, double now);
static void on_work_done(sim_cal *cal, sim_event *ev);
static void ps_enter(station *st, job *j, double now);
static void think(mdl_net *net, flow *f);

static void set_queue(station *st, double now, long nq)
{
    st->nq = nq;
    sim_twa_set(&st->queue_twa, now, (double)nq);
}

static double sample_work(const station *st, const job *j)
{
    const mdl_service *v = st->sv->svc;

    return mdl_dist_sample(j->phase == PH_POST ? &v->post_service
                                               : &v->service,
                           st->sv->svc_rng);
}

/* j has a worker now: do its current work. */
static void start_work(mdl_net *net, station *st, job *j, double now)
{
    double waited = now - j->t_ready;

    j->self += waited;
    if (j->phase == PH_PRE)
        sim_tally_add(&st->wait, waited);
    j->work = sample_work(st, j);
    j->self += j->work;
    sim_tally_add(&st->work, j->work);
    schedule(net, j->work, on_work_done, j);
}

/* j needs a worker for its current work: take a free one or queue. */
static void want_worker(mdl_net *net, station *st, job *j, double now)
{
    j->t_ready = now;
    if (st->busy < st->c) {
        st->busy++;
        j->holds = 1;
        sim_twa_set(&st->busy_twa, now, st->busy);
        start_work(net, st, j, now);
        return;
    }
    if (j->phase == PH_PRE)
        st->waited++;
    j->next = NULL;
    if (st->qtail)
        st->qtail->next = j;
    else
        st->qhead = j;
    st->qtail = j;
    set_queue(st, now, st->nq + 1);
}

static void release_worker(mdl_net *net, station *st, job *j, double now)
{
    j->holds = 0;
    if (st->qhead) {
        /* The worker goes straight to the next in line. */
        job *next = st->qhead;
        st->qhead = next->next;
        if (!st->qhead)
            st->qtail = NULL;
        set_queue(st, now, st->nq - 1);
        next->holds = 1;
        start_work(net, st, next, now);
        return;
    }
    st->busy--;
    sim_twa_set(&st->busy_twa, now, st->busy);
}

/* The visit is over: free the worker, leave, go on or answer. */
static void finish_visit(mdl_net *net, station *st, job *j, double now)
{
    service *sv = st->sv;
    int i;

    if (j->holds)
        release_worker(net, st, j, now);
    st->n--;
    st->departures++;
    if (j->fl->pub >= 0)
        ;                       /* events are not part of request latency */
    else if (net->may_fail)
        ledger_add(net, j->fl, st, j->self);
    else
        st->self += j->self;    /* every request will succeed */
    sim_twa_set(&st->jobs, now, st->n);
    sim_tally_add(&st->resp, now - j->t_arrive);
    if (!j->failed && sv->nfwd > 0) {
        double u = gsl_rng_uniform(sv->route_rng), cum = 0;
        for (i = 0; i < sv->nfwd; i++) {
            int e = sv->fwd[i];
            if (!net->applies[(size_t)e * net->ncls + j->fl->cls])
                continue;
            cum += net->t->edges[e].p;
            if (u < cum) {
                service *to = &net->sv[net->t->edges[e].to];
                arrive(net, pick(to, j->fl), j, now);
                return;
            }
        }
    }
    reply(net, j, now);
}

/* Calls are over (or there were none): post-work, then leave. */
static void calls_done(mdl_net *net, station *st, job *j, double now)
{
    if (st->sv->nstages > 0)
        sim_tally_add(&st->callee, now - j->t_calls);
    if (j->failed || !st->sv->has_post) {
        finish_visit(net, st, j, now);
        return;
    }
    j->phase = PH_POST;
    if (st->heap) {
        ps_enter(st, j, now);
    } else if (j->holds) {
        j->t_ready = now;
        start_work(net, st, j, now);
    } else {
        want_worker(net, st, j, now);
    }
}

/* Work is done: after pre-work start the calls, after post-work leave. */
static void work_done(mdl_net *net, station *st, job *j, double now)
{
    if (j->phase == PH_POST) {
        finish_visit(net, st, j, now);
        return;
    }
    j->phase = PH_CALLS;
    j->stage = 0;
    j->t_calls = now;
    next_stage(net, j, now);
}

static void on_work_done(sim_cal *cal, sim_event *ev)
{
    job *j = ev->obj;

    work_done(j->at->net, j->at, j, sim_cal_now(cal));
}

static void start_flow_job(mdl_net *net, flow *f, int service_idx,
                           double now)
{
    job *j = job_new(net, f, NULL, -1, 0, now);

    if (j)
        arrive(net, pick(&net->sv[service_idx], f), j, now);
}

static void issue_call(mdl_net *net, job *parent, int e, int left,
                       double now)
{
    job *j = job_new(net, parent->fl, parent, e, left, now);

    if (!j)
        return;
    net->es[e].count++;
    arrive(net, pick(&net->sv[net->t->edges[e].to], parent->fl), j,
           now);
}

static void publish(mdl_net *net, const flow *from, int e, double now)
{
    flow *f = flow_new(net, from->cls, now);

    if (!f)
        return;
    f->pub = e;
    net->active++;
    net->es[e].count++;
    start_flow_job(net, f, net->t->edges[e].to, now);
}

/* Send the calls of the current stage; stages with nothing to wait for
 * pass at once. */
static void next_stage(mdl_net *net, job *j, double now)
{
    station *st = j->at;
    service *sv = st->sv;

    while (j->stage < sv->nstages) {
        const stage *sg = &sv->stages[j->stage];
        int i, k;

        j->pending = 0;
        for (i = 0; i < sg->n; i++) {
            int e = sg->edges[i];
            const mdl_edge *ed = &net->t->edges[e];
            if (!net->applies[(size_t)e * net->ncls + j->fl->cls])
                continue;
            if (ed->p < 1 && gsl_rng_uniform(sv->route_rng) >= ed->p)
                continue;
            if (ed->kind == MDL_EDGE_PUBLISH) {
                for (k = 0; k < ed->count; k++)
                    publish(net, j->fl, e, now);
            } else {
                sg->chosen[i] = 1;
                j->pending++;
            }
        }
        if (j->pending > 0) {
            /* Count first, then call: a call may reply at once. An event
             * loop lets go of its worker only when calls are outstanding. */
            if (j->holds && !sv->svc->blocking)
                release_worker(net, st, j, now);
            j->t_stage = now;
            for (i = 0; i < sg->n; i++)
                if (sg->chosen[i]) {
                    sg->chosen[i] = 0;
                    issue_call(net, j, sg->edges[i],
                               net->t->edges[sg->edges[i]].count - 1, now);
                }
            return;
        }
        j->stage++;
    }
    calls_done(net, st, j, now);
}

/* The flow's root job is done. */
static void flow_done(mdl_net *net, flow *f, int failed, double now)
{
    double lat = now - f->t_start;
    cls *c;

    net->active--;
    if (f->pub >= 0) {
        edge_stat *es = &net->es[f->pub];
        if (failed) {
            es->failed++;
        } else {
            es->ok++;
            sim_tally_add(&es->lat, lat);
        }
        flow_free(net, f);
        return;
    }
    c = &net->cl[f->cls];
    if (net->may_fail)
        ledger_close(net, f, !failed);
    if (!failed) {
        net->sys_time += lat;
        sim_tally_add(&c->lat, lat);
        sim_hist_add(c->hist, lat);
        sim_tally_add(&net->sys_lat, lat);
        sim_hist_add(net->sys_hist, lat);
        c->ok++;
        net->sys_ok++;
    } else if (f->rejected) {
        c->rejected++;
        net->sys_rejected++;
    } else {
        c->failed++;
        net->sys_failed++;
    }
    if (net->observer) {
        mdl_net_req r = {
            f->key, f->cls, f->t_start, now,
            !failed ? MDL_REQ_OK
            : f->rejected ? MDL_REQ_REJECTED : MDL_REQ_FAILED
        };
        net->observer(net->observer_ctx, &r);
    }
    if (now >= net->s->warmup && ++net->finished == net->s->requests)
        sim_cal_stop(net->cal);
    if (net->progress && (++net->ticks & 0xffff) == 0)
        net->progress(net->progress_ctx,
                      now / (net->s->warmup + net->s->duration));
    if (net->s->workloads[net->s->classes[f->cls].workload].closed)
        think(net, f);
    else
        flow_free(net, f);
}

/* The job's forward chain ended: answer whoever called it. */
static void reply(mdl_net *net, job *j, double now)
{
    job *parent = j->parent;
    int e = j->edge, left = j->left, failed = j->failed;
    double t_call = j->t_call;
    flow *f = j->fl;

    job_free(net, j);
    if (!parent) {
        flow_done(net, f, failed, now);
        return;
    }
    if (failed) {
        net->es[e].failed++;
        parent->failed = 1;
    } else {
        net->es[e].ok++;
        sim_tally_add(&net->es[e].lat, now - t_call);
        if (left > 0) {
            issue_call(net, parent, e, left - 1, now);
            return;
        }
    }
    if (--parent->pending > 0)
        return;
    sim_tally_add(&parent->at->sv->stages[parent->stage].dur,
                  now - parent->t_stage);
    if (parent->failed) {
        calls_done(net, parent->at, parent, now);
        return;
    }
    parent->stage++;
    next_stage(net, parent, now);
}

/* ---- processor sharing ---- */

static void on_ps_done(sim_cal *cal, sim_event *ev);

static double ps_rate(const station *st)
{
    return st->nps <= st->c ? 1.0 : (double)st->c / (double)st->nps;
}

/* Bring the virtual clock to now at the rate of the current population. */
static void ps_advance(station *st, double now)
{
    if (st->nps > 0)
        st->vtime += (now - st->vlast) * ps_rate(st);
    st->vlast = now;
}

static void ps_track(station *st, double now)
{
    st->busy = st->nps < st->c ? (int)st->nps : st->c;
    sim_twa_set(&st->busy_twa, now, st->busy);
    set_queue(st, now, st->nps - st->busy);
}

static void ps_reschedule(station *st)
{
    double dt;

    if (st->ps_ev)
        sim_cal_cancel(st->net->cal, st->ps_ev);
    st->ps_ev = NULL;
    if (st->nps == 0)
        return;
    dt = (st->heap[0]->finish - st->vtime) / ps_rate(st);
    st->ps_ev = sim_cal_schedule(st->net->cal, dt > 0 ? dt : 0, on_ps_done,
                                 st, 0);
    if (!st->ps_ev)
        nomem(st->net);
}

static void ps_enter(station *st, job *j, double now)
{
    size_t i;

    ps_advance(st, now);
    if ((size_t)st->nps >= st->hcap) {
        size_t cap = st->hcap ? 2 * st->hcap : 64;
        job **h = realloc(st->heap, cap * sizeof *h);
        if (!h) {
            nomem(st->net);
            return;
        }
        st->heap = h;
        st->hcap = cap;
    }
    if (j->phase == PH_PRE && st->nps >= st->c)
        st->waited++;           /* it shares, rather than has, a server */
    j->work = sample_work(st, j);
    j->self += j->work;
    sim_tally_add(&st->work, j->work);
    j->t_ready = now;
    j->finish = st->vtime + j->work;
    for (i = (size_t)st->nps++; i > 0; i = (i - 1) / 2) {
        if (st->heap[(i - 1) / 2]->finish <= j->finish)
            break;
        st->heap[i] = st->heap[(i - 1) / 2];
    }
    st->heap[i] = j;
    ps_track(st, now);
    ps_reschedule(st);
}

static job *ps_pop(station *st)
{
    job *top = st->heap[0], *last = st->heap[st->nps - 1];
    size_t i = 0, n = (size_t)st->nps - 1;

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
    st->nps--;
    return top;
}

static void on_ps_done(sim_cal *cal, sim_event *ev)
{
    station *st = ev->obj;
    double now = sim_cal_now(cal);
    job *j;
    double stretch;

    st->ps_ev = NULL;           /* the calendar releases ev itself */
    ps_advance(st, now);
    j = ps_pop(st);
    ps_track(st, now);
    ps_reschedule(st);
    /* Under PS the time beyond the work itself is the wait. */
    stretch = now - j->t_ready - j->work;
    if (stretch < 0)
        stretch = 0;
    j->self += stretch;
    if (j->phase == PH_PRE)
        sim_tally_add(&st->wait, stretch);
    work_done(st->net, st, j, now);
}

/* ---- arrivals at a station ---- */

static void arrive(mdl_net *net, station *st, job *j, double now)
{
    st->arrivals++;
    if (st->cap > 0 && st->n >= st->cap) {
        st->rejected++;
        j->failed = 1;
        j->fl->rejected = 1;
        reply(net, j, now);
        return;
    }
    j->at = st;
    j->t_arrive = now;
    j->phase = PH_PRE;
    j->holds = 0;
    j->self = 0;
    st->n++;
    sim_twa_set(&st->jobs, now, st->n);
    if (st->heap)
        ps_enter(st, j, now);
    else
        want_worker(net, st, j, now);
}

/* ---- workloads ---- */

static int pick_class(const mdl_net *net, wl *w)
{
    double u, cum = 0;
    int i;

    if (w->n == 1)
        return w->first;
    u = gsl_rng_uniform(w->mix_rng);
    for (i = 0; i < w->n - 1; i++) {
        cum += net->s->classes[w->first + i].share;
        if (u < cum)
            break;
    }
    return w->first + i;
}

static void start_request(mdl_net *net, flow *f, double now)
{
    net->active++;
    net->cl[f->cls].entered++;
    net->sys_entered++;
    start_flow_job(net, f, net->s->classes[f->cls].entry, now);
}

static void on_arrival(sim_cal *cal, sim_event *ev)
{
    wl *w = ev->obj;
    mdl_net *net = w->net;
    double now = sim_cal_now(cal);
    flow *f = flow_new(net, pick_class(net, w), now);

    if (!f)
        return;
    start_request(net, f, now);
    schedule(net, mdl_dist_sample(&w->w->arrival, w->rng), on_arrival, w);
}

static void on_think_end(sim_cal *cal, sim_event *ev)
{
    flow *f = ev->obj;
    mdl_net *net = f->net;
    wl *w = &net->wls[net->s->classes[f->cls].workload];

    /* A new request of the same customer: a fresh class draw and key. */
    f->cls = pick_class(net, w);
    f->t_start = sim_cal_now(cal);
    f->rejected = f->failed = 0;
    f->key = net->next_key++;
    start_request(net, f, f->t_start);
}

static void think(mdl_net *net, flow *f)
{
    wl *w = &net->wls[net->s->classes[f->cls].workload];

    schedule(net, mdl_dist_sample(&w->w->think, w->rng), on_think_end, f);
}

/* ---- statistics ---- */

static void reset_stats(mdl_net *net, double now)
{
    size_t i, k;
    int r;

    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        for (r = 0; r < sv->nrep; r++) {
            station *st = &sv->rep[r];
            sim_twa_reset(&st->jobs, now);
            sim_twa_reset(&st->busy_twa, now);
            sim_twa_reset(&st->queue_twa, now);
            sim_tally_reset(&st->resp);
            sim_tally_reset(&st->wait);
            sim_tally_reset(&st->work);
            sim_tally_reset(&st->callee);
            st->arrivals = st->rejected = st->departures = st->self = 0;
            st->waited = 0;
        }
        for (k = 0; k < (size_t)sv->nstages; k++)
            sim_tally_reset(&sv->stages[k].dur);
    }
    for (i = 0; i < net->ncls; i++) {
        cls *c = &net->cl[i];
        sim_tally_reset(&c->lat);
        sim_hist_reset(c->hist);
        c->entered = c->ok = c->rejected = c->failed = 0;
    }
    for (i = 0; i < net->nedges; i++) {
        sim_tally_reset(&net->es[i].lat);
        net->es[i].count = net->es[i].ok = net->es[i].failed = 0;
    }
    sim_tally_reset(&net->sys_lat);
    sim_hist_reset(net->sys_hist);
    net->sys_entered = net->sys_ok = net->sys_rejected = net->sys_failed = 0;
    net->sys_time = 0;
    net->finished = 0;
}

static void on_warmup_end(sim_cal *cal, sim_event *ev)
{
    reset_stats(ev->obj, sim_cal_now(cal));
}

/* ---- building the model ---- */

/* Fractions lie in [0, 1]: availability and the shares of outcomes, the
 * chance of waiting, and utilization, except at a delay station, where
 * it is the mean number busy. */
static double metric_max(const char *name, int delay)
{
    static const char *const fractions[] = {
        "availability", "rejected", "failed", "p_wait", "utilization"
    };
    size_t i;

    for (i = 0; i < NELEM(fractions); i++)
        if (!strcmp(name, fractions[i]))
            return delay && !strcmp(name, "utilization") ? INFINITY : 1.0;
    return INFINITY;
}

/* delay: the scope is a delay station's. */
static int add_metrics(mdl_net *net, const char *scope,
                       const char *const *names, size_t n, int delay)
{
    metric *m = realloc(net->metrics, (net->nmetrics + n) * sizeof *m);
    size_t i;

    if (!m)
        return SIM_ENOMEM;
    net->metrics = m;
    for (i = 0; i < n; i++) {
        m[net->nmetrics].scope = strdup(scope);
        if (!m[net->nmetrics].scope)
            return SIM_ENOMEM;
        m[net->nmetrics].max = metric_max(names[i], delay);
        m[net->nmetrics++].name = names[i];
    }
    return SIM_OK;
}

/* Group the service's call and publish edges by stage, in stage order. */
static int build_stages(service *sv, const mdl_topology *t)
{
    int *list = malloc((t->nedges + 1) * sizeof *list);
    int n = 0, i, j, k;

    if (!list)
        return SIM_ENOMEM;
    for (i = 0; i < (int)t->nedges; i++)
        if (t->edges[i].from == sv->idx && t->edges[i].kind != MDL_EDGE_FORWARD
            && t->edges[i].p > 0)
            list[n++] = i;
    /* Insertion sort by stage, stable: a service has few edges. */
    for (i = 1; i < n; i++) {
        int e = list[i];
        for (k = i; k > 0 && t->edges[list[k - 1]].stage > t->edges[e].stage;
             k--)
            list[k] = list[k - 1];
        list[k] = e;
    }
    for (i = 0; i < n; i = k) {
        stage *sg = realloc(sv->stages, (sv->nstages + 1) * sizeof *sg);
        if (!sg) {
            free(list);
            return SIM_ENOMEM;
        }
        sv->stages = sg;
        sg += sv->nstages++;
        for (k = i; k < n && t->edges[list[k]].stage
                                 == t->edges[list[i]].stage; k++)
            ;
        sg->n = k - i;
        sg->edges = malloc((size_t)sg->n * sizeof *sg->edges);
        if (!sg->edges) {
            free(list);
            return SIM_ENOMEM;
        }
        memcpy(sg->edges, list + i, (size_t)sg->n * sizeof *sg->edges);
        for (sg->ncalls = 0, j = 0; j < sg->n; j++)
            sg->ncalls += t->edges[sg->edges[j]].kind == MDL_EDGE_CALL;
        sg->chosen = calloc((size_t)sg->n, 1);
        if (!sg->chosen) {
            free(list);
            return SIM_ENOMEM;
        }
        sim_tally_reset(&sg->dur);
    }
    free(list);
    sv->fwd = malloc((t->nedges + 1) * sizeof *sv->fwd);
    if (!sv->fwd)
        return SIM_ENOMEM;
    for (i = 0; i < (int)t->nedges; i++)
        if (t->edges[i].from == sv->idx && t->edges[i].kind == MDL_EDGE_FORWARD
            && t->edges[i].p > 0)
            sv->fwd[sv->nfwd++] = i;
    return SIM_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

#define RING_POINTS 256

/* Consistent-hash ring: RING_POINTS points per replica. */
static int build_ring(service *sv)
{
    uint64_t *pts;
    int r, k, n = sv->nrep * RING_POINTS;

    pts = malloc((size_t)n * 2 * sizeof *pts);
    sv->ring = malloc((size_t)n * sizeof *sv->ring);
    sv->ring_rep = malloc((size_t)n * sizeof *sv->ring_rep);
    if (!pts || !sv->ring || !sv->ring_rep) {
        free(pts);
        return SIM_ENOMEM;
    }
    /* Pairs (hash, replica) sorted by hash. */
    for (r = 0; r < sv->nrep; r++)
        for (k = 0; k < RING_POINTS; k++) {
            size_t i = (size_t)(r * RING_POINTS + k);
            pts[2 * i] = mix64(sim_rng_id(sv->svc->name)
                               ^ ((uint64_t)r << 32 | (uint64_t)k));
            pts[2 * i + 1] = (uint64_t)r;
        }
    qsort(pts, (size_t)n, 2 * sizeof *pts, cmp_u64);
    for (k = 0; k < n; k++) {
        sv->ring[k] = pts[2 * k];
        sv->ring_rep[k] = (int)pts[2 * k + 1];
    }
    sv->nring = n;
    free(pts);
    return SIM_OK;
}

/* Which classes each edge applies to, looked up on the hot path. */
static int build_applies(mdl_net *net)
{
    size_t e, c;

    net->applies = malloc(net->nedges * net->ncls + 1);
    if (!net->applies)
        return SIM_ENOMEM;
    for (e = 0; e < net->nedges; e++)
        for (c = 0; c < net->ncls; c++)
            net->applies[e * net->ncls + c] =
                (unsigned char)mdl_scenario_edge_applies(net->s, e, c);
    return SIM_OK;
}

static int build_metrics(mdl_net *net)
{
    const mdl_topology *t = net->t;
    char scope[1200];
    size_t i;
    int r, rc = add_metrics(net, "system", REQ_METRICS, NELEM(REQ_METRICS),
                            0);

    for (i = 0; rc == SIM_OK && i < net->ncls; i++) {
        snprintf(scope, sizeof scope, "class:%s", net->s->classes[i].name);
        rc = add_metrics(net, scope, REQ_METRICS, NELEM(REQ_METRICS), 0);
    }
    for (i = 0; rc == SIM_OK && i < net->nsv; i++) {
        service *sv = &net->sv[i];
        int delay = sv->svc->kind == MDL_SVC_DELAY;
        snprintf(scope, sizeof scope, "service:%s", sv->svc->name);
        rc = add_metrics(net, scope, SVC_METRICS, NELEM(SVC_METRICS), delay);
        for (r = 0; rc == SIM_OK && sv->nrep > 1 && r < sv->nrep; r++) {
            snprintf(scope, sizeof scope, "replica:%s#%d", sv->svc->name, r);
            rc = add_metrics(net, scope, REP_METRICS, NELEM(REP_METRICS),
                             delay);
        }
        for (r = 0; rc == SIM_OK && r < sv->nstages; r++) {
            static const char *const dur[] = { "duration_mean" };
            if (sv->stages[r].ncalls == 0)
                continue;
            snprintf(scope, sizeof scope, "stage:%s#%d", sv->svc->name,
                     t->edges[sv->stages[r].edges[0]].stage);
            rc = add_metrics(net, scope, dur, 1, 0);
        }
    }
    for (i = 0; rc == SIM_OK && i < net->nedges; i++) {
        const mdl_edge *e = &t->edges[i];
        size_t j, same = 0, nth = 0;
        if (e->kind == MDL_EDGE_FORWARD)
            continue;
        /* Several edges between the same two services (calls in several
         * stages, say) are told apart by their position among them,
         * counted from 0 in file order as replicas are. */
        for (j = 0; j < net->nedges; j++)
            if (t->edges[j].from == e->from && t->edges[j].to == e->to
                && t->edges[j].kind == e->kind) {
                same++;
                nth += j < i;
            }
        snprintf(scope, sizeof scope, "%s:%s->%s",
                 e->kind == MDL_EDGE_CALL ? "call" : "publish",
                 t->services[e->from].name, t->services[e->to].name);
        if (same > 1)
            snprintf(scope + strlen(scope), sizeof scope - strlen(scope),
                     "#%zu", nth);
        if (e->kind == MDL_EDGE_CALL)
            rc = add_metrics(net, scope, CALL_METRICS, NELEM(CALL_METRICS),
                             0);
        else
            rc = add_metrics(net, scope, PUB_METRICS, NELEM(PUB_METRICS),
                             0);
    }
    return rc;
}

int mdl_net_new(mdl_net **out, const mdl_scenario *s, sim_diag *d)
{
    const mdl_topology *t = s->topo;
    mdl_net *net;
    size_t i;
    int r, rc;

    *out = NULL;
    /* The loader has refused what cannot be simulated (priority,
     * brokers, cycles); the cycle check stays as the engine's guard. */
    rc = mdl_topology_check_cycles(t, d);
    if (rc != SIM_OK)
        return rc;
    net = calloc(1, sizeof *net);
    if (!net)
        return SIM_ENOMEM;
    net->s = s;
    net->t = t;
    net->nsv = t->nservices;
    net->ncls = s->nclasses;
    net->nwl = s->nworkloads;
    net->nedges = t->nedges;
    net->sv = calloc(net->nsv, sizeof *net->sv);
    net->cl = calloc(net->ncls, sizeof *net->cl);
    net->wls = calloc(net->nwl, sizeof *net->wls);
    net->es = calloc(net->nedges + 1, sizeof *net->es);
    net->sys_hist = malloc(sizeof *net->sys_hist);
    if (!net->sv || !net->cl || !net->wls || !net->es || !net->sys_hist)
        goto nomem;
    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        const mdl_service *v = &t->services[i];
        sv->svc = v;
        sv->idx = (int)i;
        sv->nrep = v->replicas;
        sv->has_post = !(v->post_service.kind == MDL_DIST_DET
                         && v->post_service.mean == 0);
        sv->rep = calloc((size_t)sv->nrep, sizeof *sv->rep);
        if (!sv->rep || build_stages(sv, t) != SIM_OK)
            goto nomem;
        if (v->lb == MDL_LB_HASH && sv->nrep > 1 && build_ring(sv) != SIM_OK)
            goto nomem;
        for (r = 0; r < sv->nrep; r++) {
            station *st = &sv->rep[r];
            st->net = net;
            st->sv = sv;
            st->c = v->kind == MDL_SVC_DELAY ? INT_MAX : v->servers;
            st->cap = v->kind == MDL_SVC_DELAY ? 0 : v->capacity;
            net->may_fail |= st->cap > 0;
            if (v->kind != MDL_SVC_DELAY && v->discipline == MDL_DISC_PS) {
                st->hcap = 64;
                st->heap = malloc(st->hcap * sizeof *st->heap);
                if (!st->heap)
                    goto nomem;
            }
        }
    }
    for (i = 0; i < net->ncls; i++) {
        net->cl[i].c = &s->classes[i];
        net->cl[i].hist = malloc(sizeof *net->cl[i].hist);
        if (!net->cl[i].hist)
            goto nomem;
    }
    for (i = 0; i < net->nwl; i++) {
        wl *w = &net->wls[i];
        w->net = net;
        w->w = &s->workloads[i];
        w->first = -1;
    }
    for (i = 0; i < net->ncls; i++) {
        wl *w = &net->wls[s->classes[i].workload];
        if (w->first < 0)
            w->first = (int)i;
        w->n++;
    }
    if (build_applies(net) != SIM_OK || build_metrics(net) != SIM_OK)
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
        chunk *next = net->chunks->next;
        free(net->chunks);
        net->chunks = next;
    }
    net->free_flow = NULL;
    net->free_job = NULL;
    net->free_led = NULL;
    for (i = 0; i < net->nsv; i++) {
        gsl_rng_free(net->sv[i].svc_rng);
        gsl_rng_free(net->sv[i].route_rng);
        gsl_rng_free(net->sv[i].lb_rng);
        net->sv[i].svc_rng = net->sv[i].route_rng = net->sv[i].lb_rng = NULL;
    }
    for (i = 0; i < net->nwl; i++) {
        gsl_rng_free(net->wls[i].rng);
        gsl_rng_free(net->wls[i].mix_rng);
        net->wls[i].rng = net->wls[i].mix_rng = NULL;
    }
    sim_cal_free(net->cal);
    net->cal = NULL;
}

void mdl_net_free(mdl_net *net)
{
    size_t i;
    int r;

    if (!net)
        return;
    if (net->sv && net->wls)
        free_run_state(net);
    for (i = 0; net->sv && i < net->nsv; i++) {
        service *sv = &net->sv[i];
        for (r = 0; sv->rep && r < sv->nrep; r++)
            free(sv->rep[r].heap);
        free(sv->rep);
        for (r = 0; r < sv->nstages; r++) {
            free(sv->stages[r].edges);
            free(sv->stages[r].chosen);
        }
        free(sv->stages);
        free(sv->fwd);
        free(sv->ring);
        free(sv->ring_rep);
    }
    for (i = 0; net->cl && i < net->ncls; i++)
        free(net->cl[i].hist);
    for (i = 0; i < net->nmetrics; i++)
        free(net->metrics[i].scope);
    free(net->metrics);
    free(net->applies);
    free(net->sv);
    free(net->cl);
    free(net->wls);
    free(net->es);
    free(net->sys_hist);
    free(net);
}

void mdl_net_set_progress(mdl_net *net, void (*fn)(void *ctx, double frac),
                          void *ctx)
{
    net->progress = fn;
    net->progress_ctx = ctx;
}

void mdl_net_set_observer(mdl_net *net,
                          void (*fn)(void *ctx, const mdl_net_req *r),
                          void *ctx)
{
    net->observer = fn;
    net->observer_ctx = ctx;
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
    return net->metrics[h * NELEM(REQ_METRICS)].scope;
}

size_t mdl_net_result_len(const mdl_net *net)
{
    return net->nmetrics + mdl_net_nhists(net) * SIM_HIST_BINS;
}

/* ---- one replication ---- */

static gsl_rng *stream(const mdl_net *net, unsigned rep, const char *kind,
                       const char *name)
{
    char id[600];

    snprintf(id, sizeof id, "%s:%s", kind, name);
    return sim_rng_new(net->s->seed, rep, sim_rng_id(id));
}

static int seed_streams(mdl_net *net, unsigned rep)
{
    size_t i;

    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        sv->svc_rng = stream(net, rep, "service", sv->svc->name);
        sv->route_rng = stream(net, rep, "route", sv->svc->name);
        sv->lb_rng = stream(net, rep, "lb", sv->svc->name);
        if (!sv->svc_rng || !sv->route_rng || !sv->lb_rng)
            return SIM_ENOMEM;
    }
    for (i = 0; i < net->nwl; i++) {
        wl *w = &net->wls[i];
        w->rng = stream(net, rep, "workload", w->w->name);
        w->mix_rng = stream(net, rep, "mix", w->w->name);
        if (!w->rng || !w->mix_rng)
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

static void reset_state(mdl_net *net)
{
    size_t i;
    int r;

    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        sv->rr = 0;
        for (r = 0; r < sv->nrep; r++) {
            station *st = &sv->rep[r];
            st->n = st->nq = st->nps = 0;
            st->busy = 0;
            st->qhead = st->qtail = NULL;
            st->vtime = st->vlast = 0;
            st->ps_ev = NULL;
            st->jobs.value = st->busy_twa.value = st->queue_twa.value = 0;
        }
    }
    net->oom = 0;
    net->next_key = 0;
    net->active = 0;
    reset_stats(net, 0.0);
}

static double quantile_or_nan(const sim_hist *h, double p)
{
    return h->n ? sim_hist_quantile(h, p) : NAN;
}

static double mean_or_nan(const sim_tally *t)
{
    return t->n > 0 ? t->mean : NAN;
}

static double *put_req_metrics(double *o, const sim_tally *lat,
                               const sim_hist *h, double ok, double rejected,
                               double failed, double span)
{
    double done = ok + rejected + failed;

    *o++ = mean_or_nan(lat);
    *o++ = quantile_or_nan(h, 0.50);
    *o++ = quantile_or_nan(h, 0.95);
    *o++ = quantile_or_nan(h, 0.99);
    *o++ = quantile_or_nan(h, 0.999);
    *o++ = done > 0 ? ok / done : NAN;
    *o++ = ok / span;
    *o++ = done > 0 ? rejected / done : NAN;
    *o++ = done > 0 ? failed / done : NAN;
    return o;
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

static double *put_service(const mdl_net *net, const service *sv, double now,
                           double span, double *o)
{
    double util = 0, jobs = 0, queue = 0, arr = 0, dep = 0, rej = 0, self = 0;
    double waited = 0;
    int r;

    for (r = 0; r < sv->nrep; r++) {
        const station *st = &sv->rep[r];
        double busy = sim_twa_mean(&st->busy_twa, now);
        util += st->c == INT_MAX ? busy : busy / st->c;
        jobs += sim_twa_mean(&st->jobs, now);
        queue += sim_twa_mean(&st->queue_twa, now);
        arr += st->arrivals;
        dep += st->departures;
        rej += st->rejected;
        self += st->self;
        waited += st->waited;
    }
    *o++ = sv->rep[0].c == INT_MAX ? util : util / sv->nrep;
    *o++ = jobs;
    *o++ = queue;
    *o++ = pooled(sv, offsetof(station, wait));
    *o++ = arr > rej ? waited / (arr - rej) : NAN;
    *o++ = pooled(sv, offsetof(station, work));
    *o++ = sv->nstages > 0 ? pooled(sv, offsetof(station, callee)) : 0.0;
    *o++ = pooled(sv, offsetof(station, resp));
    *o++ = net->sys_entered > 0 ? arr / net->sys_entered : NAN;
    *o++ = dep / span;
    *o++ = arr > 0 ? rej / arr : 0.0;
    /* self holds the visits of successful requests only, the requests
     * latency_mean is about: a rejected request's zero would pull it
     * below the latency it is a part of. */
    *o++ = net->sys_ok > 0 ? self / net->sys_ok : NAN;
    /* Share of successful requests' latency spent here (queueing and
     * working, not waiting on callees); parallel calls can make the shares
     * of a request add up to more than 1. */
    *o++ = net->sys_time > 0 ? self / net->sys_time : NAN;
    for (r = 0; sv->nrep > 1 && r < sv->nrep; r++) {
        const station *st = &sv->rep[r];
        double busy = sim_twa_mean(&st->busy_twa, now);
        *o++ = st->c == INT_MAX ? busy : busy / st->c;
        *o++ = sim_twa_mean(&st->jobs, now);
        *o++ = mean_or_nan(&st->resp);
        *o++ = st->departures / span;
    }
    for (r = 0; r < sv->nstages; r++)
        if (sv->stages[r].ncalls > 0)
            *o++ = mean_or_nan(&sv->stages[r].dur);
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
                        net->sys_rejected, net->sys_failed, span);
    for (i = 0; i < net->ncls; i++) {
        cls *c = &net->cl[i];
        o = put_req_metrics(o, &c->lat, c->hist, c->ok, c->rejected,
                            c->failed, span);
    }
    for (i = 0; i < net->nsv; i++)
        o = put_service(net, &net->sv[i], now, span, o);
    for (i = 0; i < net->nedges; i++) {
        const edge_stat *es = &net->es[i];
        switch (net->t->edges[i].kind) {
        case MDL_EDGE_CALL:
            *o++ = mean_or_nan(&es->lat);
            *o++ = net->sys_entered > 0 ? es->count / net->sys_entered : NAN;
            break;
        case MDL_EDGE_PUBLISH:
            *o++ = mean_or_nan(&es->lat);
            *o++ = es->ok + es->failed > 0 ? es->ok / (es->ok + es->failed)
                                           : NAN;
            *o++ = es->ok / span;
            break;
        default:
            break;
        }
    }
    for (b = 0; b < SIM_HIST_BINS; b++)
        *o++ = (double)net->sys_hist->count[b];
    for (i = 0; i < net->ncls; i++)
        for (b = 0; b < SIM_HIST_BINS; b++)
            *o++ = (double)net->cl[i].hist->count[b];
}

/* Names of the services with mark[i] > 0, as "'a', 'b'" (six at most,
 * then "and N more"), into buf. */
static void list_services(const mdl_net *net, const double *mark,
                          char *buf, size_t n)
{
    size_t i, len = 0, shown = 0, more = 0;

    buf[0] = '\0';
    for (i = 0; i < net->nsv; i++) {
        if (!(mark[i] > 0))
            continue;
        if (shown == 6) {
            more++;
            continue;
        }
        if (len < n)
            len += (size_t)snprintf(buf + len, n - len, "%s'%s'",
                                    shown ? ", " : "",
                                    net->sv[i].svc->name);
        shown++;
    }
    if (more && len < n)
        snprintf(buf + len, n - len, " and %zu more", more);
}

static double service_sum(const service *sv, size_t offset)
{
    double x = 0;
    int r;

    for (r = 0; r < sv->nrep; r++)
        x += *(const double *)((const char *)&sv->rep[r] + offset);
    return x;
}

/* Time stands still: run a little longer and name the services that kept
 * taking arrivals meanwhile, the ones in the zero-time loop. */
static int stalled(mdl_net *net, sim_diag *d)
{
    double now = sim_cal_now(net->cal), *seen;
    char names[512];
    size_t i;

    if (!(seen = malloc((net->nsv + 1) * sizeof *seen)))
        return SIM_ENOMEM;
    for (i = 0; i < net->nsv; i++)
        seen[i] = -service_sum(&net->sv[i], offsetof(station, arrivals));
    sim_cal_set_stall_limit(net->cal, 100000);
    sim_cal_run(net->cal, net->s->warmup + net->s->duration);
    for (i = 0; i < net->nsv; i++)
        seen[i] += service_sum(&net->sv[i], offsetof(station, arrivals));
    list_services(net, seen, names, sizeof names);
    free(seen);
    sim_diag_set(d, net->s->path, 0, 0, "time stands still at t = %g s: "
                 "millions of events without the clock advancing, as "
                 "requests go round %s%s in zero time (det(0) or zero "
                 "service and think times?)", now,
                 names[0] ? "services " : "a loop",
                 names[0] ? names : "");
    return SIM_ESTALL;
}

/* Nothing is left to happen but requests are in the system. */
static int deadlocked(mdl_net *net, sim_diag *d)
{
    double *held;
    char names[512];
    size_t i;

    if (!(held = malloc((net->nsv + 1) * sizeof *held)))
        return SIM_ENOMEM;
    for (i = 0; i < net->nsv; i++) {
        int r;
        held[i] = 0;
        for (r = 0; r < net->sv[i].nrep; r++)
            held[i] += (double)net->sv[i].rep[r].n;
    }
    list_services(net, held, names, sizeof names);
    free(held);
    sim_diag_set(d, net->s->path, 0, 0, "deadlock at t = %g s: %ld "
                 "request%s in the system and no event left to move %s "
                 "(held at services %s)", sim_cal_drained_at(net->cal),
                 net->active, net->active == 1 ? "" : "s",
                 net->active == 1 ? "it" : "them", names);
    return SIM_ESTALL;
}

int mdl_net_run(mdl_net *net, unsigned rep, double *out, uint64_t *events,
                sim_diag *d)
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
    for (i = 0; i < net->nwl && !net->oom; i++) {
        wl *w = &net->wls[i];
        if (!w->w->closed) {
            schedule(net, mdl_dist_sample(&w->w->arrival, w->rng),
                     on_arrival, w);
            continue;
        }
        for (k = 0; k < w->w->population && !net->oom; k++) {
            flow *f = flow_new(net, w->first, 0.0);
            if (f)
                think(net, f);
        }
    }
    if (s->warmup > 0)
        schedule(net, s->warmup, on_warmup_end, net);
    if (!net->oom)
        rc = sim_cal_run(net->cal, s->warmup + s->duration);
    if (net->oom) {
        rc = SIM_ENOMEM;
        goto done;
    }
    if (rc == SIM_ESTALL)
        rc = stalled(net, d);
    else if (rc == SIM_OK && sim_cal_pending(net->cal) == 0 && net->active > 0)
        rc = deadlocked(net, d);
    if (rc != SIM_OK)
        goto done;
    collect(net, sim_cal_now(net->cal), out);
    if (events)
        *events = sim_cal_fired(net->cal);
done:
    free_run_state(net);
    return rc;
}
