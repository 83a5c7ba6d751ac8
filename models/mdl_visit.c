/*
 * mdl_visit.c - the callee's side: a visit from arrival to leaving, as
 * DESIGN.md section 3 describes it.
 *
 * States (v->state) and the function that makes each transition:
 *
 *                 mdl__visit_arrive
 *   (new) ----------------------------------> PRE
 *     |  capacity full or an admitter refuses: answer(), failed
 *     v
 *   PRE: queued for a worker, then pre-work (`service`)
 *     | mdl__visit_work_done
 *     v
 *   CALLING: next_stage() sends a stage's calls, mdl__visit_joined()
 *     |      sends the next stage's when the last answer is in
 *     | calls_done (no stage left, or one failed)
 *     v
 *   POST: post-work (`post_service`, if any), queued again if an event
 *     |   loop let go of its worker, at once if it kept it (blocking)
 *     | mdl__visit_work_done --> leave
 *     v
 *   DONE: leave() follows a forward edge (mdl__visit_arrive: the same
 *         visit, PRE at the next service) or answer() replies to the
 *         caller (mdl__call_answer) or, at a root, ends the request
 *         (mdl__request_end).
 *
 *   A crashed replica (mdl_failure.c) refuses an arriving visit with an
 *   error; one that crashes, or restarts after a hang, fails every visit
 *   it holds wherever it is (mdl__visit_fail: work taken back, calls
 *   abandoned, the caller answered by an event). A hung replica holds
 *   arriving visits unserved, and a visit whose calls are answered
 *   there does not go on. To find what it holds, each replica lists its
 *   visits, only in a model where replicas can crash or hang.
 *
 *   next_stage sends the calls of one stage together (fork) and
 *   mdl__visit_joined moves on when the last has been answered (join).
 *   A stage whose edges were all skipped (p, types) or are publishes
 *   passes at once. A failed call fails the visit when its stage joins:
 *   it skips the later stages and post-work.
 *
 * Workers: a blocking service keeps its worker from pre-work to leaving,
 * so slow callees exhaust its pool; a non-blocking one (an event loop)
 * lets go when calls go out and queues again for post-work.
 *
 * Random streams: per service, `route` draws call probabilities and
 * forward edges, `lb` the replica, `service` the work (in the station).
 *
 * Fetching ahead: in a model too large for the caches (net->fetch_ahead,
 * 256 services or more) most lines a visit reads are misses, and a miss
 * whose address only the line before it holds cannot overlap it: the
 * edge names the callee, the callee its replicas and its work, the call
 * the visit waiting on it. So a visit keeps its service, its plan and
 * its caller's visit; the plans name each callee's replica and work;
 * and a stage about to call, a forward edge just chosen, a visit about
 * to answer each fetch what comes next before they use it. perf on a
 * 10,000-service model showed the time at exactly these loads; the
 * changes ran about 40% more events a second there (docs/bench.md).
 * Those fetches come only just before the loads, so the calendar also
 * warms each piece of work's end an event ahead (mdl__visit_warm,
 * sim_cal_set_warm): the visit's lines are there by then, and it
 * fetches its replica, service, plan, request, call and caller's visit
 * while another event is handled; 18-22% more events a second.
 */
#include <math.h>
#include "../sim/sim_err.h"
#include "../sim/sim_mem.h"
#include "mdl_int.h"

visit *mdl__visit_new(mdl_net *net, flow *f, mdl_call *caller)
{
    visit *v = mdl_pool_get(&net->visits);

    if (!v) {
        mdl__nomem(net);
        return NULL;
    }
    v->fl = f;
    f->visits++;
    v->caller = caller;
    v->up = caller ? caller->parent : NULL;
    v->caller_gen = caller ? caller->gen : 0;
    v->caller_edge = caller ? caller->edge : 0;
    v->w.state = MDL_WORK_IDLE;
    v->w.holds = 0;
    v->cause = 0;
    v->degraded = 0;
    v->w.expires = caller ? caller->deadline : INFINITY;
    v->calls = NULL;
    v->pending = 0;
    return v;
}

/* The visit's chain ended (it left, or was refused): answer the caller,
 * or end the request. A refusal happens inside the caller's loop of
 * calls, and a failure struck by a crash anywhere, so their answers wait
 * for an event (later); a visit that leaves does so from its own event,
 * and answers at once. */
static inline void answer(mdl_net *net, visit *v, int refused, int later,
                          double now)
{
    mdl_call *c = v->caller;
    unsigned gen = v->caller_gen;
    flow *f = v->fl;
    int cause = v->cause, degraded = v->degraded;

    SIM_INVARIANT(v->w.state == MDL_WORK_IDLE && !v->w.holds && !v->calls);
    v->state = VISIT_DONE;
    mdl_pool_put(&net->visits, v);
    f->visits--;
    if (!c) {
        mdl__request_end(net, f, cause ? cause : degraded, now);
        return;
    }
    if (f->ended && f->visits == 0) {
        /* The last orphan of an ended request: nobody waits on it. */
        SIM_INVARIANT(c->gen != gen);
        mdl__request_free(net, f);
        return;
    }
    /* A success that a fallback made in part, answered now to the call
     * that waits for it: its caller is degraded in turn. */
    if (__builtin_expect(degraded, 0) && !cause && c->gen == gen)
        c->parent->degraded = degraded;
    /* Refused here, or failed because of a call of its own. */
    mdl__call_answer(net, c, gen, !cause ? MDL_CALL_OK
                                 : refused ? MDL_CALL_REJECTED
                                           : MDL_CALL_ERROR,
                     cause, later, now);
}

/* The visits a replica holds, listed while failures can strike them. */
static void hold(replica *r, visit *v)
{
    v->rprev = NULL;
    v->rnext = r->held;
    if (r->held)
        r->held->rprev = v;
    r->held = v;
}

static void unhold(replica *r, visit *v)
{
    if (v->rprev)
        v->rprev->rnext = v->rnext;
    else
        r->held = v->rnext;
    if (v->rnext)
        v->rnext->rprev = v->rprev;
}

static void next_stage(mdl_net *net, visit *v, double now);

/* A visit leaving r that failed, or may fail by an injected error
 * (mdl_failure.c: the work is done, the answer is an error, with
 * probability err_p): count it; and take it off r's list, if r keeps
 * one. Out of line: leave() is hot. */
static __attribute__((noinline)) void leave_cold(mdl_net *net, visit *v,
                                                 replica *r)
{
    if (!v->cause && r->err_p > 0
        && gsl_rng_uniform(&r->sv->rng[SV_FAIL].r) < r->err_p)
        v->cause = MDL_REQ_FAILED;
    if (v->cause)
        r->errors++;
    if (net->track)
        unhold(r, v);
}

/* Fetch what a visit arriving at a service reads first and would
 * otherwise reach only through the service: its replica's first four
 * lines, which hold all the replica and its station write as a visit
 * comes and goes; its work's distribution. */
static inline void fetch_service(const mdl_plan_fetch *f)
{
    const char *r = f->rep;
    int i;

    for (i = 0; i < 4; i++)
        sim_mem_prefetch(r + i * SIM_MEM_LINE);
    sim_mem_prefetch(f->work);
}

_Static_assert(offsetof(replica, st) + offsetof(mdl_station, queue_twa)
                   <= 4 * SIM_MEM_LINE,
               "a replica's station keeps its share in the first four lines");
_Static_assert(sizeof(visit) <= 3 * SIM_MEM_LINE,
               "a visit is fetched as three lines");

/* What v's answer reads first: its caller's call, then the visit that
 * waits on it, each whole. */
static inline void fetch_caller(const visit *v)
{
    const char *c = (const char *)v->caller, *up = (const char *)v->up;

    sim_mem_prefetch(c);
    sim_mem_prefetch(c + SIM_MEM_LINE);
    sim_mem_prefetch(up);
    sim_mem_prefetch(up + SIM_MEM_LINE);
    sim_mem_prefetch(up + 2 * SIM_MEM_LINE);
}

/* A whole event before a piece of v's work ends, its first two lines
 * are here (sim_cal.c fetched them an event earlier): fetch what the end
 * of the piece reads after them. Its third line; its replica's first
 * four, with the station's hot fields; its service's first line, its
 * plan and its request; before its calls, the plan's next line and the
 * generator of its draws; and what an answer reads. */
void mdl__visit_warm(const sim_event *ev)
{
    const visit *v = (const visit *)mdl_station_served_work(ev);
    const char *r = (const char *)v->at;
    int i;

    sim_mem_prefetch((const char *)v + 2 * SIM_MEM_LINE);
    for (i = 0; i < 4; i++)
        sim_mem_prefetch(r + i * SIM_MEM_LINE);
    sim_mem_prefetch(v->sv);
    sim_mem_prefetch(v->pl);
    sim_mem_prefetch(v->fl);
    if (v->state == VISIT_PRE) {
        sim_mem_prefetch((const char *)v->pl + SIM_MEM_LINE);
        sim_mem_prefetch(&v->sv->rng[SV_ROUTE]);
    }
    if (v->caller)
        fetch_caller(v);
}

/* The visit is over here: let go, leave, go on or answer. */
static void leave(mdl_net *net, visit *v, double now)
{
    replica *r = v->at;
    service *sv = v->sv;

    /* The answer reads the call, its edge's first two lines and the
     * caller's visit. The warm fetched all but the edge, unless this
     * event was not the one it guessed, or the station shares its
     * workers (its completions are not warmed). If it is the stage's
     * last, the caller's visit goes on to its replica and its stage's
     * tally: reached only through the visit, they would be misses in a
     * row (the tally alone was 4% of the time at 10,000 services at
     * load 0.005). */
    if (net->fetch_ahead && v->caller) {
        const char *es = (const char *)&net->es[v->caller_edge];

        fetch_caller(v);
        sim_mem_prefetch(es);
        sim_mem_prefetch(es + SIM_MEM_LINE);
        sim_mem_prefetch(v->up->stage_dur);
        sim_mem_prefetch(v->up->at);
    }

    mdl_station_release(&r->st, &v->w, now);
    if (__builtin_expect(v->cause | r->cold, 0))
        leave_cold(net, v, r);
    SIM_INVARIANT(r->n > 0);
    r->n--;
    r->departures++;
    if (sv->admit.n)
        mdl_admission_leave(&sv->admit, (int)(r - sv->rep), now);
    mdl__request_visited(net, v->fl, r, v->w.self);
    sim_twa_set(&r->jobs, now, r->n);
    sim_tally_add(&r->resp, now - v->t_arrive);
    v->state = VISIT_DONE;
    /* The draw is made whether or not a forward edge applies to the
     * class: the stream stays the same. */
    if (!v->cause && sv->nfwd > 0) {
        const mdl_plan *pl = v->pl;
        int i = mdl_plan_forward(pl, gsl_rng_uniform(&sv->rng[SV_ROUTE].r));

        if (i < pl->nfwd) {
            if (net->fetch_ahead)
                fetch_service(mdl_plan_forward_fetch(pl, i));
            mdl__visit_arrive(net, v, pl->fwd_to[i], now);
            return;
        }
    }
    answer(net, v, 0, 0, now);
}

/* Calls are over (or there were none): post-work, then leave. */
static void calls_done(mdl_net *net, visit *v, double now)
{
    replica *r = v->at;
    const service *sv = v->sv;

    if (sv->nstages > 0)
        sim_tally_add(&r->callee, now - v->t_calls);
    if (v->cause || !sv->has_post) {
        leave(net, v, now);
        return;
    }
    v->state = VISIT_POST;
    v->w.dist = &sv->post;
    v->w.first = 0;
    mdl_station_serve(&r->st, &v->w, now);
}

/* Was v's work done for nobody: did its caller, or a caller above it,
 * stop waiting? (A caller's call is followed up only while its
 * generation matches: then it is still the same call.) */
static int orphaned(const visit *v)
{
    for (; v->caller; v = v->caller->parent)
        if (v->caller->gen != v->caller_gen)
            return 1;
    return 0;
}

/* The station finished a piece of v's work, or dropped it unstarted past
 * its deadline: after pre-work the calls begin, after post-work (or a
 * drop) the visit leaves. */
void mdl__visit_work_done(mdl_station *st, mdl_work *w, int dropped,
                          double now)
{
    visit *v = (visit *)w;
    replica *r = (replica *)((char *)st - offsetof(replica, st));
    const service *sv = v->sv;
    mdl_net *net = sv->net;

    if (dropped) {
        v->cause = MDL_REQ_TIMED_OUT;
        leave(net, v, now);
        return;
    }
    if (net->timers && orphaned(v))
        r->orphan_work += w->demand;
    /* Post-work done; or, at a service that calls nobody and has no
     * post-work, the only work there is. */
    if (v->state == VISIT_POST || (sv->nstages == 0 && !sv->has_post)) {
        leave(net, v, now);
        return;
    }
    SIM_INVARIANT(v->state == VISIT_PRE);
    v->state = VISIT_CALLING;
    v->stage = 0;
    v->t_calls = now;
    next_stage(net, v, now);
}

/* Fetch what a call on pe reads first: its edge's two lines, the
 * callee's first line, its replica and its work. Each would otherwise
 * wait for the one before, and the calls of a stage for each other. */
static inline void fetch_callee(const mdl_net *net, const mdl_plan_edge *pe)
{
    const char *es = (const char *)&net->es[pe->e];

    sim_mem_prefetch(es);
    sim_mem_prefetch(es + SIM_MEM_LINE);
    sim_mem_prefetch(&net->sv[pe->to]);
    fetch_service(&pe->fetch);
}

/* The calls of a stage whose edges share one probability p, into
 * ps->taken; returns how many. The edges passed over before each one
 * taken are geometric, floor(ln U / ln(1 - p)) for U uniform in (0, 1),
 * as the failures before a success of independent draws of p are: the
 * edges are taken as a draw for each would take them, with a draw for
 * each edge taken and one more, not for each edge. */
static int pick_gaps(const mdl_plan_stage *ps, gsl_rng *r)
{
    double ln_q = log1p(-ps->edges[0].p), i = -1;
    int n = 0;

    for (;;) {
        i += 1 + floor(log(gsl_rng_uniform_pos(r)) / ln_q);
        if (i >= ps->n)
            return n;
        ps->taken[n++] = (int)i;
    }
}

/* Send the calls of the current stage of v's plan; stages with nothing
 * to wait for pass at once. */
static void next_stage(mdl_net *net, visit *v, double now)
{
    replica *r = v->at;
    service *sv = v->sv;
    const mdl_plan *pl = v->pl;

    while (v->stage < pl->nstages) {
        const mdl_plan_stage *ps = &pl->stages[v->stage];
        int i, k, n = 0;

        if (ps->pick == MDL_PICK_ALL) {
            n = ps->n;
        } else if (ps->pick == MDL_PICK_GAPS) {
            n = pick_gaps(ps, &sv->rng[SV_ROUTE].r);
        } else {
            for (i = 0; i < ps->n; i++) {
                const mdl_plan_edge *pe = &ps->edges[i];
                if (pe->p < 1 && gsl_rng_uniform(&sv->rng[SV_ROUTE].r) >= pe->p)
                    continue;
                if (pe->publish) {
                    for (k = 0; k < pe->count; k++)
                        mdl__request_publish(net, v->fl, pe->e, now);
                } else {
                    ps->taken[n++] = i;
                }
            }
        }
        if (n > 0) {
            const int all = ps->pick == MDL_PICK_ALL;

            /* An event loop lets go of its worker only when calls are
             * outstanding. Answers come as events, after this returns. */
            if (!sv->blocking)
                mdl_station_release(&r->st, &v->w, now);
            v->pending = n;
            v->t_stage = now;
            v->stage_dur = ps->dur;
            for (k = 0; net->fetch_ahead && k < n; k++)
                fetch_callee(net, &ps->edges[all ? k : ps->taken[k]]);
            for (k = 0; k < n; k++) {
                const mdl_plan_edge *pe = &ps->edges[all ? k : ps->taken[k]];
                mdl__call_start(net, v, pe->e, pe->count - 1, now);
            }
            return;
        }
        v->stage++;
    }
    calls_done(net, v, now);
}

void mdl__visit_joined(mdl_net *net, visit *v, double now)
{
    SIM_INVARIANT(v->state == VISIT_CALLING && v->pending == 0 && !v->calls);
    if (__builtin_expect(v->at->cold, 0) && v->at->hung)
        return;                 /* held by a hung replica: never goes on */
    sim_tally_add(v->stage_dur, now - v->t_stage);
    if (v->cause) {
        calls_done(net, v, now);
        return;
    }
    v->stage++;
    next_stage(net, v, now);
}

/* v arrives at r: refused (capacity, admission) and answered, or let in
 * (returns 1). Inlined in both callers: arrival is hot. */
static inline __attribute__((always_inline)) int admit(mdl_net *net,
                                                       visit *v, replica *r,
                                                       double now)
{
    service *sv = r->sv;
    int ri = (int)(r - sv->rep);

    if ((r->cap > 0 && r->n >= r->cap)
        || (sv->admit.n && !mdl_admission_admit(&sv->admit, ri, now))) {
        if (__builtin_expect(sv->outlier != NULL, 0))
            mdl__outlier_refused(net, v, sv, r->cap > 0 && r->n >= r->cap,
                                 now);
        r->rejected++;
        v->cause = MDL_REQ_REJECTED;
        answer(net, v, 1, 1, now);
        return 0;
    }
    v->at = r;
    v->sv = sv;
    v->pl = mdl__plan(sv, v->fl->cls);
    v->t_arrive = now;
    v->state = VISIT_PRE;
    v->w.dist = &sv->pre;
    v->w.first = 1;
    v->w.self = 0;
    r->n++;
    sim_twa_set(&r->jobs, now, r->n);
    return 1;
}

/* mdl__visit_arrive where replicas can crash or hang (mdl_failure.c):
 * a crashed replica refuses the connection, an error as Envoy counts a
 * connection failure; a hung one holds the visit unserved. */
static __attribute__((noinline)) void arrive_listed(mdl_net *net, visit *v,
                                                    replica *r, double now)
{
    if (r->down) {
        r->errors++;
        r->refused++;
        v->cause = MDL_REQ_FAILED;
        answer(net, v, 0, 1, now);
        return;
    }
    if (!admit(net, v, r, now))
        return;
    hold(r, v);
    if (!r->hung)
        mdl_station_serve(&r->st, &v->w, now);
}

void mdl__visit_arrive(mdl_net *net, visit *v, int svi, double now)
{
    service *sv = &net->sv[svi];
    int ri = mdl_balancer_pick(&sv->lb, v->fl->key, &sv->rng[SV_LB].r,
                               &sv->rep[0].n, sizeof(replica));
    replica *r = &sv->rep[ri];

    SIM_INVARIANT(v->w.state == MDL_WORK_IDLE && !v->w.holds);
    if (__builtin_expect(sv->outlier != NULL, 0))
        mdl__outlier_reached(v, sv, ri);
    r->arrivals++;
    if (__builtin_expect(r->cold, 0) && net->track)
        arrive_listed(net, v, r, now);
    else if (admit(net, v, r, now))
        mdl_station_serve(&r->st, &v->w, now);
}

void mdl__visit_fail(mdl_net *net, visit *v, double now)
{
    replica *r = v->at;

    mdl_station_remove(&r->st, &v->w, now);
    while (v->calls)
        mdl__call_abandon(net, v->calls, now);
    v->pending = 0;
    v->cause = MDL_REQ_FAILED;
    r->errors++;
    unhold(r, v);
    SIM_INVARIANT(r->n > 0);
    r->n--;
    r->departures++;
    if (r->sv->admit.n)
        mdl_admission_leave(&r->sv->admit, (int)(r - r->sv->rep), now);
    sim_twa_set(&r->jobs, now, r->n);
    answer(net, v, 0, 1, now);
}
