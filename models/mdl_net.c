/*
 * mdl_net.c - the model of a scenario, assembled from its parts, and one
 * replication of it.
 *
 * The parts, one module each:
 *   mdl_station    a replica's workers: FIFO, processor sharing, delay
 *   mdl_balancer   which replica takes a call
 *   mdl_visit      the callee's side: arrival, work, stages, leaving
 *   mdl_call       the caller's side: attempts, answers, timeouts,
 *                  deadlines, backoffs, the policy chain
 *   mdl_retry      whether to try again: policy, budget, throttle
 *   mdl_hedge      when to send another attempt of a hedged call
 *   mdl_breaker    the circuit breaker, a policy of the chain
 *   mdl_bulkhead   the bulkhead, the chain's innermost policy
 *   mdl_autoscale  replicas that follow utilization
 *   mdl_ratelimit  a service's rate limit, on its admission chain
 *   mdl_outlier    a service's outlier detection, ejecting replicas
 *   mdl_failure    injected failures switched on and off; crashes,
 *                  hangs, replicas going up and down
 *   mdl_request    requests from start to end, ledgers, outcomes
 *   mdl_workload   open and closed workloads, class mixes
 *   mdl_metrics    what each kind of scope reports
 *   mdl_results    the result vector
 *   mdl_pool       pooled objects, so the event loop does not allocate
 * This file builds them from the topology and scenario (stages of calls
 * per service, forward edges, which edges apply to which class), seeds
 * the random streams, runs the calendar and tells a model that cannot
 * advance (a deadlock, or time standing still) from one that finished.
 *
 * Random streams: one per workload (arrivals, think times, class mix),
 * and per service for service times, call probabilities and routing,
 * replica choice, retry backoffs, injected errors and times up and down
 * (only where a service goes up and down); named after the
 * workload or service, so that common random numbers survive edits
 * elsewhere in the topology.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_mem.h"
#include "../sim/sim_rng.h"
#include "mdl_int.h"

void mdl__nomem(mdl_net *net)
{
    net->oom = 1;
    sim_cal_stop(net->cal);
}

/* ---- building the model ---- */

/* Sort support: edges ordered by (stage, index), which is the stable
 * order by stage since a service's edges come in index order. */
static const mdl_edge *sort_edges;

static int cmp_stage(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    int si = sort_edges[i].stage, sj = sort_edges[j].stage;

    if (si != sj)
        return si < sj ? -1 : 1;
    return (i > j) - (i < j);
}

/* Group the service's call and publish edges by stage, in stage order,
 * and list its forward edges. out[0..n) are its outgoing edges in index
 * order (edges_by_source()); list is scratch for n of them. */
static int build_stages(service *sv, const mdl_topology *t, const int *out,
                        int n, int *list)
{
    int m = 0, nst = 0, i, j, k;

    for (i = 0; i < n; i++) {
        const mdl_edge *e = &t->edges[out[i]];

        if (e->p <= 0)
            continue;
        if (e->kind == MDL_EDGE_FORWARD)
            sv->nfwd++;
        else
            list[m++] = out[i];
    }
    sort_edges = t->edges;
    qsort(list, (size_t)m, sizeof *list, cmp_stage);
    for (i = 0; i < m; i++)
        nst += i == 0
               || t->edges[list[i]].stage != t->edges[list[i - 1]].stage;
    if (nst > 0 && !(sv->stages = calloc((size_t)nst, sizeof *sv->stages)))
        return SIM_ENOMEM;
    for (i = 0; i < m; i = k) {
        stage *sg = &sv->stages[sv->nstages++];

        for (k = i; k < m && t->edges[list[k]].stage
                                 == t->edges[list[i]].stage; k++)
            ;
        sg->n = k - i;
        sg->edges = malloc((size_t)sg->n * sizeof *sg->edges);
        if (!sg->edges)
            return SIM_ENOMEM;
        memcpy(sg->edges, list + i, (size_t)sg->n * sizeof *sg->edges);
        for (sg->ncalls = 0, j = 0; j < sg->n; j++)
            sg->ncalls += t->edges[sg->edges[j]].kind == MDL_EDGE_CALL;
        sim_tally_reset(&sg->dur);
    }
    if (!(sv->fwd = malloc(((size_t)sv->nfwd + 1) * sizeof *sv->fwd)))
        return SIM_ENOMEM;
    for (i = 0, k = 0; i < n; i++) {
        const mdl_edge *e = &t->edges[out[i]];

        if (e->p > 0 && e->kind == MDL_EDGE_FORWARD)
            sv->fwd[k++] = out[i];
    }
    return SIM_OK;
}

static uint64_t stream_id(const char *kind, const char *name)
{
    char id[600];

    snprintf(id, sizeof id, "%s:%s", kind, name);
    return sim_rng_id(id);
}

static gsl_rng *stream(const mdl_net *net, unsigned rep, const char *kind,
                       const char *name)
{
    return sim_rng_new(net->s->seed, rep, stream_id(kind, name));
}

/* A service's five generators live in it, their ids worked out once. */
static void build_streams(service *sv)
{
    static const char *const kind[SV_STREAMS] = {
        [SV_SVC] = "service", [SV_ROUTE] = "route", [SV_LB] = "lb",
        [SV_RETRY] = "retry", [SV_FAIL] = "fail"
    };
    int k;

    for (k = 0; k < SV_STREAMS; k++) {
        sim_rng_slot_init(&sv->rng[k]);
        sv->rng_id[k] = stream_id(kind[k], sv->svc->name);
    }
}

/* The edges out of each service in index order, by one counting sort on
 * the source: service i's are out[first[i] .. first[i + 1]). */
static int edges_by_source(const mdl_topology *t, int **first, int **out)
{
    size_t i;

    *first = calloc(t->nservices + 1, sizeof **first);
    *out = malloc((t->nedges + 1) * sizeof **out);
    if (!*first || !*out)
        return SIM_ENOMEM;
    for (i = 0; i < t->nedges; i++)
        (*first)[t->edges[i].from + 1]++;
    for (i = 0; i < t->nservices; i++)
        (*first)[i + 1] += (*first)[i];
    for (i = 0; i < t->nedges; i++)
        (*out)[(*first)[t->edges[i].from]++] = (int)i;
    for (i = t->nservices; i > 0; i--)      /* first[] was moved on */
        (*first)[i] = (*first)[i - 1];
    (*first)[0] = 0;
    return SIM_OK;
}

/* The server-side patterns of sv that policy asks for. */
static int build_patterns(service *sv, const mdl_service_policy *policy)
{
    if (policy->rate_limit.on) {
        if (!(sv->limiter = calloc(1, sizeof *sv->limiter))
            || mdl_ratelimit_init(sv->limiter, &policy->rate_limit,
                                  sv->nrep) != SIM_OK)
            return SIM_ENOMEM;
        sv->limiter_hook = mdl_ratelimit_admitter(sv->limiter);
        sv->admit.n = 1;
        sv->admit.a = &sv->limiter_hook;
    }
    if (policy->outlier.on
        && (mdl_balancer_allow_ejection(&sv->lb) != SIM_OK
            || !(sv->outlier = calloc(1, sizeof *sv->outlier))
            || mdl_outlier_init(sv->outlier, &policy->outlier, &sv->lb,
                                sv->nrep) != SIM_OK))
        return SIM_ENOMEM;
    return SIM_OK;
}

/* Which classes each edge applies to, looked up on the hot path. */
static int build_applies(mdl_net *net)
{
    size_t e, c;

    net->applies = malloc(net->nedges * net->ncls + 1);
    if (!net->applies)
        return SIM_ENOMEM;
    for (c = 0; c < net->ncls; c++)
        net->cl[c].all_calls = 1;
    for (e = 0; e < net->nedges; e++)
        for (c = 0; c < net->ncls; c++) {
            net->applies[e * net->ncls + c] =
                (unsigned char)mdl_scenario_edge_applies(net->s, e, c);
            if (net->t->edges[e].kind == MDL_EDGE_CALL
                && !net->applies[e * net->ncls + c])
                net->cl[c].all_calls = 0;
        }
    return SIM_OK;
}

/* The bytes of sv's replicas: whole lines, as a replica is. */
static size_t replica_span(const service *sv)
{
    return (size_t)sv->nrep * sizeof(replica);
}

/* One block holds the replicas of every service, each service's from a
 * cache line's boundary, as every replica starts one: what a visit
 * reads of a replica takes the fewest lines; and a large model's
 * replicas lie in huge pages (sim_mem.h) rather than scattered among
 * its other allocations. Each service's nrep is set. */
static int place_replicas(mdl_net *net)
{
    size_t i, off = 0;

    for (i = 0; i < net->nsv; i++)
        off += replica_span(&net->sv[i]);
    if (!(net->reps = sim_mem_calloc(1, off)))
        return SIM_ENOMEM;
    for (i = off = 0; i < net->nsv; i++) {
        net->sv[i].rep = (replica *)((char *)net->reps + off);
        off += replica_span(&net->sv[i]);
    }
    return SIM_OK;
}

int mdl_net_new(mdl_net **out, const mdl_scenario *s, sim_diag *d)
{
    const mdl_topology *t = s->topo;
    mdl_net *net;
    size_t i;
    int *first = NULL, *out_edges = NULL, *scratch = NULL;
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
    net->sv = sim_mem_calloc(net->nsv, sizeof *net->sv);
    net->cl = calloc(net->ncls, sizeof *net->cl);
    net->wls = calloc(net->nwl, sizeof *net->wls);
    net->es = sim_mem_calloc(net->nedges + 1, sizeof *net->es);
    if (!net->sv || !net->cl || !net->wls || !net->es)
        goto nomem;
    for (i = 0; i < t->nedges; i++)
        net->es[i].to = t->edges[i].to;
    scratch = malloc((t->nedges + 1) * sizeof *scratch);
    if (!scratch || edges_by_source(t, &first, &out_edges) != SIM_OK)
        goto nomem;
    mdl_pool_init(&net->flows, sizeof(flow));
    mdl_pool_init(&net->visits, sizeof(visit));
    mdl_pool_init(&net->calls, sizeof(mdl_call));
    mdl_pool_init(&net->ledgers, sizeof(ledger));
    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        sv->nrep = t->services[i].replicas;
        if (s->svc_policy && s->svc_policy[i].autoscale.on) {
            if (!(sv->as = calloc(1, sizeof *sv->as)))
                goto nomem;
            sv->nrep = (int)s->svc_policy[i].autoscale.max;
        }
    }
    if (place_replicas(net) != SIM_OK)
        goto nomem;
    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        const mdl_service *v = &t->services[i];
        sv->net = net;
        sv->svc = v;
        sv->idx = (int)i;
        build_streams(sv);
        sv->has_post = !(v->post_service.kind == MDL_DIST_DET
                         && v->post_service.mean == 0);
        sv->blocking = (unsigned char)v->blocking;
        sv->pre = v->service;       /* shallow: the topology owns them */
        sv->post = v->post_service;
        if (build_stages(sv, t, out_edges + first[i],
                         first[i + 1] - first[i], scratch) != SIM_OK)
            goto nomem;
        if (mdl_balancer_init_slots(&sv->lb, v, sv->nrep) != SIM_OK)
            goto nomem;
        for (r = 0; r < sv->nrep; r++) {
            replica *rp = &sv->rep[r];
            int delay = v->kind == MDL_SVC_DELAY;
            rp->sv = sv;
            rp->cap = delay ? 0 : v->capacity;
            if (mdl_station_init(&rp->st, delay ? INT_MAX : v->servers,
                                 !delay && v->discipline == MDL_DISC_PS,
                                 mdl__visit_work_done) != SIM_OK)
                goto nomem;
            rp->st.check = v->deadline_check;
        }
        if (sv->as && mdl_autoscaler_init(sv->as,
                                          &s->svc_policy[i].autoscale,
                                          &sv->rep[0].st, sizeof *sv->rep,
                                          &sv->lb) != SIM_OK)
            goto nomem;
        if (s->svc_policy && build_patterns(sv, &s->svc_policy[i]) != SIM_OK)
            goto nomem;
    }
    for (i = 0; i < net->ncls; i++) {
        net->cl[i].closed = s->workloads[s->classes[i].workload].closed;
        net->cl[i].hist = malloc(sizeof *net->cl[i].hist);
        if (!net->cl[i].hist)
            goto nomem;
    }
    /* With one class, the system's latencies are the class's: a request
     * that ends adds to one tally and one histogram, not two of each. */
    net->sys.hist = net->ncls == 1 ? net->cl[0].hist
                                   : malloc(sizeof *net->sys.hist);
    if (!net->sys.hist)
        goto nomem;
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
    for (i = 0; i < s->ncalls; i++) {
        edge_rt *es = &net->es[s->calls[i].edge];
        es->timeout = s->calls[i].timeout;
        es->deadline = s->calls[i].deadline;
        es->retry_policy = &s->calls[i].retry;
        if (s->calls[i].hedge.attempts) {
            if (!net->hedge
                && !(net->hedge = calloc(net->nedges, sizeof *net->hedge)))
                goto nomem;
            net->hedge[s->calls[i].edge] = &s->calls[i].hedge;
        }
        es->fallback = s->calls[i].fallback;
        net->fallback |= es->fallback;
        es->chain.p = es->hook;
        if (s->calls[i].breaker.on) {
            if (!(es->breaker = malloc(sizeof *es->breaker))
                || mdl_breaker_init(es->breaker, &s->calls[i].breaker)
                   != SIM_OK) {
                free(es->breaker);
                es->breaker = NULL;
                goto nomem;
            }
            es->hook[es->chain.n++] = mdl_breaker_hook(es->breaker);
        }
        /* Inside the breaker (Resilience4j's order), which counts its
         * refusals. */
        if (s->calls[i].bulkhead.on) {
            if (!(es->bulkhead = malloc(sizeof *es->bulkhead)))
                goto nomem;
            mdl_bulkhead_init(es->bulkhead, &s->calls[i].bulkhead);
            es->hook[es->chain.n++] = mdl_bulkhead_hook(es->bulkhead, net);
        }
    }
    if (build_applies(net) != SIM_OK || mdl__failures_build(net) != SIM_OK
        || mdl__results_build(net) != SIM_OK
        || mdl__series_build(net) != SIM_OK)
        goto nomem;
    free(first);
    free(out_edges);
    free(scratch);
    *out = net;
    return SIM_OK;
nomem:
    free(first);
    free(out_edges);
    free(scratch);
    mdl_net_free(net);
    return SIM_ENOMEM;
}

static void free_run_state(mdl_net *net)
{
    size_t i;

    mdl_pool_clear(&net->flows);
    mdl_pool_clear(&net->visits);
    mdl_pool_clear(&net->calls);
    mdl_pool_clear(&net->ledgers);
    for (i = 0; i < net->nsv; i++) {
        gsl_rng_free(net->sv[i].updown_rng);
        net->sv[i].updown_rng = NULL;
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
    mdl__plans_free(net);
    for (i = 0; net->sv && i < net->nsv; i++) {
        service *sv = &net->sv[i];
        for (r = 0; sv->rep && r < sv->nrep; r++)
            mdl_station_destroy(&sv->rep[r].st);
        for (r = 0; r < sv->nstages; r++)
            free(sv->stages[r].edges);
        free(sv->stages);
        free(sv->fwd);
        mdl_balancer_destroy(&sv->lb);
        if (sv->as)
            mdl_autoscaler_destroy(sv->as);
        free(sv->as);
        if (sv->limiter)
            mdl_ratelimit_destroy(sv->limiter);
        free(sv->limiter);
        if (sv->outlier)
            mdl_outlier_destroy(sv->outlier);
        free(sv->outlier);
    }
    for (i = 0; net->cl && i < net->ncls; i++)
        free(net->cl[i].hist);
    mdl__series_free(net);
    mdl__results_free(net);
    mdl__failures_free(net);
    for (i = 0; net->es && i < net->nedges; i++) {
        if (net->es[i].breaker) {
            mdl_breaker_destroy(net->es[i].breaker);
            free(net->es[i].breaker);
        }
        if (net->es[i].bulkhead) {
            mdl_bulkhead_destroy(net->es[i].bulkhead);
            free(net->es[i].bulkhead);
        }
    }
    free(net->applies);
    free(net->hedge);
    sim_mem_free(net->reps);
    sim_mem_free(net->sv);
    free(net->cl);
    free(net->wls);
    sim_mem_free(net->es);
    if (net->ncls != 1)
        free(net->sys.hist);
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

/* ---- one replication ---- */

static int seed_streams(mdl_net *net, unsigned rep)
{
    size_t i;
    int k;

    for (i = 0; i < net->nsv; i++)
        for (k = 0; k < SV_STREAMS; k++)
            sim_rng_slot_seed(&net->sv[i].rng[k], net->s->seed, rep,
                              net->sv[i].rng_id[k]);
    /* Only services that go up and down draw from `updown`. */
    for (i = 0; i < net->s->nfailures; i++) {
        const mdl_failure *f = &net->s->failures[i];
        service *sv = &net->sv[f->service >= 0 ? f->service : 0];
        if (f->mode != MDL_FAIL_UPDOWN || sv->updown_rng)
            continue;
        if (!(sv->updown_rng = stream(net, rep, "updown", sv->svc->name)))
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

/* Can a caller stop waiting: a timeout or a deadline on some edge, or a
 * hedge (its losing attempts are left behind)? */
static int has_timers(const mdl_net *net)
{
    size_t i;

    for (i = 0; i < net->nedges; i++)
        if (net->es[i].timeout > 0 || net->es[i].deadline > 0)
            return 1;
    return net->hedge != NULL;
}

/* Can a request fail: a capacity, an admission chain, a call policy (a
 * breaker that opens, a full bulkhead), a caller that stops waiting, an
 * injected failure? */
static int may_fail(const mdl_net *net)
{
    size_t i;

    if (net->s->nfailures > 0)
        return 1;
    for (i = 0; i < net->nsv; i++)
        if (net->sv[i].rep[0].cap > 0 || net->sv[i].admit.n > 0)
            return 1;
    for (i = 0; i < net->nedges; i++)
        if (net->es[i].chain.n > 0)
            return 1;
    return net->timers;
}

static void reset_state(mdl_net *net)
{
    size_t i;
    int r;

    for (i = 0; i < net->nedges; i++) {
        mdl_retry_start(&net->es[i].retry, net->es[i].retry_policy);
        net->es[i].partitioned = 0;
        if (net->es[i].breaker)
            mdl_breaker_start(net->es[i].breaker);
        if (net->es[i].bulkhead)
            mdl_bulkhead_start(net->es[i].bulkhead);
    }
    net->timers = has_timers(net);
    net->may_fail = may_fail(net);
    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        mdl_balancer_reset(&sv->lb);
        if (sv->limiter)
            mdl_ratelimit_start(sv->limiter);
        if (sv->outlier)
            mdl_outlier_start(sv->outlier);
        sv->sweeping = 0;
        for (r = 0; r < sv->nrep; r++) {
            replica *rp = &sv->rep[r];
            mdl_station_start(&rp->st, net->cal, &sv->rng[SV_SVC].r, &net->oom);
            rp->n = 0;
            rp->nslow = 0;
            rp->err_p = 0;
            mdl__replica_cold(net, rp);
            rp->down = rp->hung = 0;
            rp->held = NULL;
            rp->jobs.value = 0;
        }
        sv->up.value = sv->nrep;
    }
    net->oom = 0;
    net->next_key = 0;
    net->active = 0;
    mdl__results_reset(net, 0.0);
    for (i = 0; i < net->nsv; i++)
        if (net->sv[i].as)
            mdl_autoscaler_start(net->sv[i].as, net->cal,
                                 net->sv[i].svc->replicas, &net->oom);
}

static void on_warmup_end(sim_cal *cal, sim_event *ev)
{
    mdl__series_rebase(ev->obj, sim_cal_now(cal));
    mdl__results_reset(ev->obj, sim_cal_now(cal));
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
        seen[i] = -service_sum(&net->sv[i], offsetof(replica, arrivals));
    sim_cal_set_stall_limit(net->cal, 100000);
    sim_cal_run(net->cal, net->s->warmup + net->s->duration);
    for (i = 0; i < net->nsv; i++)
        seen[i] += service_sum(&net->sv[i], offsetof(replica, arrivals));
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
                 "(held at services %s)", net->ts.quiet_at >= 0
                 ? net->ts.quiet_at : sim_cal_drained_at(net->cal),
                 net->active, net->active == 1 ? "" : "s",
                 net->active == 1 ? "it" : "them", names);
    return SIM_ESTALL;
}

int mdl_net_run(mdl_net *net, unsigned rep, double *out, uint64_t *events,
                sim_diag *d)
{
    const mdl_scenario *s = net->s;
    int rc;

    /* Plans are made at the first run, from the topology as it is then
     * (a test points an edge elsewhere after building, to make a model
     * no file could describe). */
    if (!net->planned) {
        if ((rc = mdl__plans_build(net)) != SIM_OK)
            return rc;
        net->planned = 1;
    }
    net->cal = sim_cal_new();
    if (!net->cal) {
        rc = SIM_ENOMEM;
        goto done;
    }
    if (net->fetch_ahead)
        sim_cal_set_warm(net->cal, mdl_station_served, mdl__visit_warm);
    rc = seed_streams(net, rep);
    if (rc != SIM_OK)
        goto done;
    reset_state(net);
    mdl__failures_start(net);
    mdl__workload_start(net);
    if (s->warmup > 0 && !net->oom)
        mdl__schedule(net, s->warmup, on_warmup_end, net, 0);
    if (!net->oom)
        mdl__series_start(net, out + mdl_net_series_offset(net));
    if (!net->oom)
        rc = sim_cal_run(net->cal, s->warmup + s->duration);
    mdl__series_stop(net);
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
    mdl__series_finish(net, sim_cal_now(net->cal));
    mdl__results_collect(net, sim_cal_now(net->cal), out);
    if (events)
        *events = sim_cal_fired(net->cal);
done:
    free_run_state(net);
    return rc;
}
