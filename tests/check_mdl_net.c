/*
 * check_mdl_net.c - the simulation engine with deterministic times: exact
 * latencies, orders and outcomes of a few requests (tests/data/det.gml:
 * FIFO and processor-sharing stations, capacity, forward chains,
 * fork-join with counts, blocking and event-loop workers), what it does
 * when it cannot go on, and the scopes it reports.
 *
 * Three customers arrive at 1.000, 1.001 and 1.002 s and return only a
 * second after each reply, so the first three requests to finish are
 * theirs; the expected times are worked out by hand in each test.
 *
 * The lifecycle tests reach inside the engine (mdl_int.h) to install
 * call policies and admitters, the hooks that patterns use, and drive a
 * caller that gives up on its call.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/mdl_int.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_mem.h"
#include "tst.h"

#define MAXREQ 16

typedef struct seen {
    mdl_net_req r[MAXREQ];
    int n;
} seen;

static void observe(void *ctx, const mdl_net_req *r)
{
    seen *s = ctx;

    if (s->n < MAXREQ)
        s->r[s->n++] = *r;
}

/* Called on the built net before it runs, to install hooks. */
typedef void (*setup_fn)(mdl_net *net, void *ctx);
/* Called after the run with its result vector. */
typedef void (*after_fn)(const mdl_net *net, const double *res, void *ctx);

/* Run tests/data/det.yaml with the overrides until 3 requests finished
 * (unless a set says otherwise), after setup (may be NULL); then after
 * (may be NULL). */
static void run_det_full(seen *out, const char *const *sets, size_t nsets,
                         setup_fn setup, after_fn after, void *ctx)
{
    const char *all[17];
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    double *res;
    sim_diag d;
    size_t i;

    ck_assert_uint_lt(nsets, 15);
    all[0] = "run.requests=3";
    for (i = 0; i < nsets; i++)
        all[i + 1] = sets[i];
    memset(&d, 0, sizeof d);
    memset(out, 0, sizeof *out);
    if (mdl_scenario_load(&s, tst_path("tests/data/det.yaml"), all,
                          nsets + 1, &d) != SIM_OK)
        ck_abort_msg("%s:%d: %s", d.file, d.line, d.msg);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    res = malloc(mdl_net_result_len(net) * sizeof *res);
    ck_assert_ptr_nonnull(res);
    mdl_net_set_observer(net, observe, out);
    if (setup)
        setup(net, ctx);
    ck_assert_int_eq(mdl_net_run(net, 0, res, NULL, &d), SIM_OK);
    ck_assert_int_eq(out->n, (int)s->requests);
    if (after)
        after(net, res, ctx);
    free(res);
    mdl_net_free(net);
    mdl_scenario_free(s);
}

static void run_det_with(seen *out, const char *const *sets, size_t nsets,
                         setup_fn setup, void *ctx)
{
    run_det_full(out, sets, nsets, setup, NULL, ctx);
}

static void run_det(seen *out, const char *const *sets, size_t nsets)
{
    run_det_with(out, sets, nsets, NULL, NULL);
}

/* The value of (scope, metric) in a result vector. */
static double value_of(const mdl_net *net, const double *res,
                       const char *scope, const char *name)
{
    size_t m;

    for (m = 0; m < mdl_net_nmetrics(net); m++)
        if (!strcmp(mdl_net_scope(net, m), scope)
            && !strcmp(mdl_net_metric(net, m), name))
            return res[m];
    ck_abort_msg("no metric %s %s", scope, name);
    return NAN;
}

/* The k-th request to finish was customer who's, started at start ms and
 * ended at end ms (from t = 0) with this outcome. */
static void finished(const seen *s, int k, int who, double start, double end,
                     int outcome)
{
    const mdl_net_req *r = &s->r[k];

    ck_assert_msg(r->cls == who && r->outcome == outcome
                  && fabs(r->start - start / 1e3) < 1e-9
                  && fabs(r->end - end / 1e3) < 1e-9,
                  "request %d: customer %d, %.6g to %.6g ms, outcome %d; "
                  "expected customer %d, %.6g to %.6g ms, outcome %d", k,
                  r->cls + 1, 1e3 * r->start, 1e3 * r->end, r->outcome,
                  who + 1, start, end, outcome);
}

/* Point all three customers at service svc. */
#define AT(svc) "workload.0.entry=" svc, "workload.1.entry=" svc, \
                "workload.2.entry=" svc

/* One worker, 10 ms each: first come, first served. */
START_TEST(test_fifo_one_worker_serves_in_arrival_order)
{
    seen s;

    run_det(&s, NULL, 0);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1020, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1030, MDL_REQ_OK);
    ck_assert(s.r[0].id < s.r[1].id && s.r[1].id < s.r[2].id);
}
END_TEST

START_TEST(test_fifo_two_workers)
{
    static const char *const sets[] = { "services.s.servers=2" };
    seen s;

    run_det(&s, sets, 1);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1011, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1020, MDL_REQ_OK);    /* waited for c1's */
}
END_TEST

/* Processor sharing, one server: alone 1 ms, two at half speed 1 ms,
 * then three at a third: c1 needs 8.5 ms more, 25.5 ms, to 1027.5; c2 and
 * c3 have 1 and 1.5 ms left, at half speed c2 ends 2 ms later, c3 0.5 ms
 * after that, alone. */
START_TEST(test_processor_sharing_one_server)
{
    static const char *const sets[] = { "services.s.discipline=ps" };
    seen s;

    run_det(&s, sets, 1);
    finished(&s, 0, 0, 1000, 1027.5, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1029.5, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1030, MDL_REQ_OK);
}
END_TEST

/* Two servers shared by three: each at 2/3 from 1002, when c1 has 8 ms
 * left (12 ms: ends 1014), c2 9 - 8 = 1 and c3 2 left at full speed. */
START_TEST(test_processor_sharing_two_servers)
{
    static const char *const sets[] = {
        "services.s.discipline=ps", "services.s.servers=2"
    };
    seen s;

    run_det(&s, sets, 2);
    finished(&s, 0, 0, 1000, 1014, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1015, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1016, MDL_REQ_OK);
}
END_TEST

/* Room for one: the two who arrive while c1 is served are turned away
 * at once, and finish first, with no latency. */
START_TEST(test_capacity_rejects_at_once)
{
    static const char *const sets[] = { "services.s.capacity=1" };
    seen s;

    run_det(&s, sets, 1);
    finished(&s, 0, 1, 1001, 1001, MDL_REQ_REJECTED);
    finished(&s, 1, 2, 1002, 1002, MDL_REQ_REJECTED);
    finished(&s, 2, 0, 1000, 1010, MDL_REQ_OK);
}
END_TEST

/* f1 (1 ms) => f2 (2 ms) => f3 (3 ms), one worker each: c2 waits for c1
 * at f2 and f3, c3 for c2. */
START_TEST(test_forward_chain_queues_at_each_station)
{
    static const char *const sets[] = { AT("f1") };
    seen s;

    run_det(&s, sets, 3);
    finished(&s, 0, 0, 1000, 1006, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1009, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1012, MDL_REQ_OK);
}
END_TEST

/* a: 1 ms, then b (2 ms) and c (5 ms) in parallel, then d twice in a row
 * (1 ms each): 8 ms, with workers enough that nobody waits. */
START_TEST(test_fork_join_then_counted_calls)
{
    static const char *const sets[] = { AT("a") };
    seen s;

    run_det(&s, sets, 3);
    finished(&s, 0, 0, 1000, 1008, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1009, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1010, MDL_REQ_OK);
}
END_TEST

/* p has one worker and calls q (10 ms). Blocking, the worker waits for
 * the reply: 11 ms each, one after another. */
START_TEST(test_blocking_worker_waits_for_its_call)
{
    static const char *const sets[] = { AT("p") };
    seen s;

    run_det(&s, sets, 3);
    finished(&s, 0, 0, 1000, 1011, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1022, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1033, MDL_REQ_OK);
}
END_TEST

/* An event loop lets go of the worker while the call is out. */
START_TEST(test_event_loop_releases_the_worker)
{
    static const char *const sets[] = { AT("p"), "services.p.blocking=0" };
    seen s;

    run_det(&s, sets, 4);
    finished(&s, 0, 0, 1000, 1011, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1012, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1013, MDL_REQ_OK);
}
END_TEST

/* With 1 ms of post-work: blocking, each holds the worker 12 ms; an event
 * loop takes the worker again for the post-work as replies come back
 * (1011, 1012, 1013). */
START_TEST(test_post_work_with_both_kinds_of_worker)
{
    static const char *const blocking[] = {
        AT("p"), "services.p.post_service=det(1ms)"
    };
    static const char *const loop[] = {
        AT("p"), "services.p.post_service=det(1ms)", "services.p.blocking=0"
    };
    seen s;

    run_det(&s, blocking, 4);
    finished(&s, 0, 0, 1000, 1012, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1024, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1036, MDL_REQ_OK);
    run_det(&s, loop, 5);
    finished(&s, 0, 0, 1000, 1012, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1013, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1014, MDL_REQ_OK);
}
END_TEST

/* ---- the call and visit lifecycle ---- */

/* The index of the edge from service `from` to `to`. */
static int edge_of(const mdl_net *net, const char *from, const char *to)
{
    size_t e;

    for (e = 0; e < net->nedges; e++)
        if (!strcmp(net->t->services[net->t->edges[e].from].name, from)
            && !strcmp(net->t->services[net->t->edges[e].to].name, to))
            return (int)e;
    ck_abort_msg("no edge %s -> %s", from, to);
    return -1;
}

/* A test policy: arms a timer (if timeout > 0), refuses (if refuse), and
 * records what it saw. */
typedef struct probe {
    mdl_net *net;
    double timeout;         /* s; 0: none */
    int refuse;
    int refuse_after_first; /* refuse attempts but the first of a call */
    int started, ok, failed, cancelled;
    const mdl_call *first, *reused;
} probe;

static int probe_start(void *self, mdl_call *c, double now)
{
    probe *p = self;

    (void)now;
    p->started++;
    if (!p->first)
        p->first = c;
    else if (c == p->first)
        p->reused = c;      /* the pool handed the same object out again */
    if (p->timeout > 0)
        mdl__call_arm(p->net, c, p->timeout);
    if (p->refuse_after_first && c->attempt > 1)
        return MDL_CALL_REJECTED;
    return p->refuse ? MDL_CALL_REJECTED : MDL_PASS;
}

static void probe_end(void *self, const mdl_call *c, int outcome,
                      double now)
{
    probe *p = self;

    (void)now;
    (void)c;
    if (outcome == MDL_CALL_OK)
        p->ok++;
    else if (outcome == MDL_CALL_PENDING)       /* cancelled */
        p->cancelled++;
    else
        p->failed++;
}

typedef struct chain_setup {
    probe *p;
    int n;
    mdl_policy pol[2];
} chain_setup;

/* Install the probes in order on the edge p -> q. */
static void on_p_to_q(mdl_net *net, void *ctx)
{
    chain_setup *cs = ctx;
    int i, e = edge_of(net, "p", "q");

    for (i = 0; i < cs->n; i++) {
        cs->p[i].net = net;
        cs->pol[i].start = probe_start;
        cs->pol[i].end = probe_end;
        cs->pol[i].self = &cs->p[i];
    }
    net->es[e].chain.n = cs->n;
    net->es[e].chain.p = cs->pol;
}

/* p (one blocking worker, 1 ms) calls q (10 ms) and gives up after 6 ms.
 * c1: calls at 1001, gives up at 1007 and times out; c2 gets the worker at
 * 1007, calls at 1008 in the same call object, and c1's orphan answers
 * at 1011 while c2 waits: that answer must go nowhere, so c2 gives up at
 * 1014 too (had it arrived, c2 would have succeeded at 1011); c3 calls at
 * 1015 and gives up at 1021 (c2's orphan answers at 1018). */
START_TEST(test_abandoned_call_answer_goes_nowhere)
{
    static const char *const sets[] = { AT("p") };
    probe p = { 0 };
    chain_setup cs = { &p, 1, { { 0 } } };
    seen s;

    p.timeout = 0.006;
    run_det_with(&s, sets, 3, on_p_to_q, &cs);
    finished(&s, 0, 0, 1000, 1007, MDL_REQ_TIMED_OUT);
    finished(&s, 1, 1, 1001, 1014, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 2, 1002, 1021, MDL_REQ_TIMED_OUT);
    ck_assert_ptr_nonnull(p.reused);
    ck_assert_int_eq(p.started, 3);
    ck_assert_int_eq(p.failed, 3);
    ck_assert_int_eq(p.ok, 0);
}
END_TEST

/* A timer that does not fire: q answers at 1011, before the 20 ms are
 * up, the timer is cancelled with the call, and all goes as without it. */
START_TEST(test_answered_call_cancels_its_timer)
{
    static const char *const sets[] = { AT("p") };
    probe p = { 0 };
    chain_setup cs = { &p, 1, { { 0 } } };
    seen s;

    p.timeout = 0.020;
    run_det_with(&s, sets, 3, on_p_to_q, &cs);
    finished(&s, 0, 0, 1000, 1011, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1022, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1033, MDL_REQ_OK);
    ck_assert_int_eq(p.ok, 3);
    ck_assert_int_eq(p.failed, 0);
}
END_TEST

/* The second policy of the chain refuses every call: each request is
 * rejected right after p's 1 ms, without reaching q; the first policy
 * hears every call end as failed, the refusing one hears nothing more. */
START_TEST(test_policy_chain_refusal_fails_the_call_at_once)
{
    static const char *const sets[] = { AT("p") };
    probe p[2] = { { 0 }, { 0 } };
    chain_setup cs = { p, 2, { { 0 } } };
    seen s;

    p[1].refuse = 1;
    run_det_with(&s, sets, 3, on_p_to_q, &cs);
    finished(&s, 0, 0, 1000, 1001, MDL_REQ_REJECTED);
    finished(&s, 1, 1, 1001, 1002, MDL_REQ_REJECTED);
    finished(&s, 2, 2, 1002, 1003, MDL_REQ_REJECTED);
    ck_assert_int_eq(p[0].started, 3);
    ck_assert_int_eq(p[0].failed, 3);
    ck_assert_int_eq(p[1].started, 3);
    ck_assert_int_eq(p[1].failed + p[1].ok, 0);
}
END_TEST

/* An admitter at s that takes every other arrival. */
typedef struct gate {
    int arrivals, left;
    mdl_admitter a;
} gate;

static int gate_admit(void *self, int r, double now)
{
    gate *g = self;

    (void)r;
    (void)now;
    return g->arrivals++ % 2 == 0;
}

static void gate_leave(void *self, int r, double now)
{
    (void)r;
    (void)now;
    ((gate *)self)->left++;
}

static void on_s(mdl_net *net, void *ctx)
{
    gate *g = ctx;
    service *sv = &net->sv[mdl_topology_find(net->t, "s")];

    g->a.admit = gate_admit;
    g->a.leave = gate_leave;
    g->a.self = g;
    sv->admit.n = 1;
    sv->admit.a = &g->a;
}

/* c2 is refused at once (rejected); c3 waits for c1 as usual. */
START_TEST(test_admission_refusal_is_a_rejection)
{
    gate g = { 0, 0, { 0 } };
    seen s;

    run_det_with(&s, NULL, 0, on_s, &g);
    finished(&s, 0, 1, 1001, 1001, MDL_REQ_REJECTED);
    finished(&s, 1, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1020, MDL_REQ_OK);
    ck_assert_int_eq(g.arrivals, 3);
    ck_assert_int_eq(g.left, 2);
}
END_TEST

/* ---- timeouts and deadlines from the scenario ---- */

static void h_to_i_timed_out(const mdl_net *net, const double *res,
                             void *ctx)
{
    (void)ctx;
    /* c1's and c2's calls from h to i ended in timeouts (c3's was still
     * out when the run stopped). */
    ck_assert_double_eq(value_of(net, res, "call:h->i", "timeouts"), 1.0);
    ck_assert_double_eq(value_of(net, res, "call:g->h", "timeouts"), 1.0);
}

/* g calls h with a 5 ms deadline, h calls i (10 ms) without one of its
 * own: h's call inherits what is left (gRPC), so both give up at the
 * same instant, 5 ms after g's call began. c1: g works to 1001, h to
 * 1002, both calls end at 1006: the request times out at 1006. */
START_TEST(test_deadline_propagates_down_the_chain)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.deadline=5ms"
    };
    seen s;

    run_det_full(&s, sets, 4, NULL, h_to_i_timed_out, NULL);
    finished(&s, 0, 0, 1000, 1006, MDL_REQ_TIMED_OUT);
    finished(&s, 1, 1, 1001, 1007, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 2, 1002, 1008, MDL_REQ_TIMED_OUT);
}
END_TEST

static void k_dropped_one(const mdl_net *net, const double *res, void *ctx)
{
    const replica *k = &net->sv[mdl_topology_find(net->t, "k")].rep[0];

    (void)res;
    (void)ctx;
    ck_assert_double_eq(k->st.dropped, 1);
    ck_assert_double_eq_tol(k->orphan_work, 0.010, 1e-12);
}

/* x calls k (one worker, 10 ms) with a 15 ms deadline; k checks
 * deadlines. c1 is served 1000-1010. c2 starts at 1010 (deadline 1016),
 * so it is served, but its caller gives up at 1016 and the work ending
 * at 1020 is orphaned. c3's turn comes at 1020, past its deadline 1017:
 * it is dropped unserved (its caller gave up at 1017), and c1's next
 * request, at 2010, finds k free. */
START_TEST(test_deadline_check_drops_work_past_its_deadline)
{
    static const char *const sets[] = {
        AT("x"), "calls.x->k.deadline=15ms", "services.k.deadline_check=1",
        "run.requests=4"
    };
    seen s;

    run_det_full(&s, sets, 6, NULL, k_dropped_one, NULL);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1016, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 2, 1002, 1017, MDL_REQ_TIMED_OUT);
    finished(&s, 3, 0, 2010, 2020, MDL_REQ_OK);
}
END_TEST

static void k_took_five(const mdl_net *net, const double *res, void *ctx)
{
    const replica *k = &net->sv[mdl_topology_find(net->t, "k")].rep[0];

    (void)res;
    (void)ctx;
    ck_assert_double_eq(k->arrivals, 5);    /* c1, and two tries of c2, c3 */
}

/* x calls k (one worker, 10 ms) and gives up after 15 ms, with one retry
 * after a backoff of at most 3e-12 s. c1 is served 1000-1010. c2 waits
 * behind it, times out at 1016 and tries again, queueing behind c3
 * (which arrived at 1002); c3 times out at 1017 and tries again behind
 * c2's second try. c2's first try (1010-1020) and c3's (1020-1030) are
 * orphans; c2's second try starts at 1030, too late for its timeout at
 * 1031; c3's second try times out at 1032. */
START_TEST(test_retry_after_a_timeout_queues_again)
{
    static const char *const sets[] = {
        AT("x"), "calls.x->k.timeout=15ms", "calls.x->k.retry.attempts=2",
        "calls.x->k.retry.backoff=jitter(base=1e-12)"
    };
    seen s;

    run_det_full(&s, sets, 6, NULL, k_took_five, NULL);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1031, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 2, 1002, 1032, MDL_REQ_TIMED_OUT);
}
END_TEST

/* The same with a retry budget of 10% and no minimum: with three calls
 * out at most, 10% allows no retry at all (Envoy floors it). */
START_TEST(test_retry_budget_can_forbid_retries)
{
    static const char *const sets[] = {
        AT("x"), "calls.x->k.timeout=15ms", "calls.x->k.retry.attempts=2",
        "calls.x->k.retry.budget.percent=10", "calls.x->k.retry.budget.min=0"
    };
    seen s;

    run_det(&s, sets, 7);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1016, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 2, 1002, 1017, MDL_REQ_TIMED_OUT);
}
END_TEST

/* gRPC throttling with 4 tokens: c1's success keeps 4 (the cap), c2's
 * timeout leaves 3 (> 2: it retries), c3's leaves 2 (not > 2: it does
 * not). c2's second try waits behind c3's first and times out at 1031. */
START_TEST(test_retry_throttle_stops_retries_at_half_the_tokens)
{
    static const char *const sets[] = {
        AT("x"), "calls.x->k.timeout=15ms", "calls.x->k.retry.attempts=2",
        "calls.x->k.retry.backoff=jitter(base=1e-12)",
        "calls.x->k.retry.throttle.tokens=4",
        "calls.x->k.retry.throttle.ratio=0.1"
    };
    seen s;

    run_det(&s, sets, 8);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 2, 1002, 1017, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 1, 1001, 1031, MDL_REQ_TIMED_OUT);
}
END_TEST

/* ---- injected failures ---- */

/* s is twice as slow from 1005 to 1015 ms: c1 began before (1000-1010),
 * c2 begins in the window and takes 20 ms (1010-1030), c3 after it. */
START_TEST(test_slow_window_doubles_work_begun_in_it)
{
    static const char *const sets[] = {
        "failures.0.service=s", "failures.0.mode=slow",
        "failures.0.factor=2", "failures.0.at=1.005", "failures.0.for=10ms"
    };
    seen s;

    run_det(&s, sets, 5);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1030, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1040, MDL_REQ_OK);
}
END_TEST

static void self_of_the_successful(const mdl_net *net, const double *res,
                                   void *ctx)
{
    (void)ctx;
    /* c2 waited 9 ms and worked 10, c3 waited 18 and worked 10: 47 ms
     * over 2 successful requests; c1's failed 10 ms is not counted. */
    ck_assert_double_eq_tol(value_of(net, res, "service:s",
                                     "self_per_request"), 0.0235, 1e-12);
}

/* s answers with an error from 1005 to 1015 ms: c1, leaving at 1010,
 * fails; c2 and c3 leave after the window. */
START_TEST(test_error_window_fails_visits_leaving_in_it)
{
    static const char *const sets[] = {
        "failures.0.service=s", "failures.0.mode=error",
        "failures.0.at=1.005", "failures.0.for=10ms"
    };
    seen s;

    run_det_full(&s, sets, 4, NULL, self_of_the_successful, NULL);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_FAILED);
    finished(&s, 1, 1, 1001, 1020, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1030, MDL_REQ_OK);
}
END_TEST

/* p -> q is cut from 1000.5 to 1001.5 ms: c1's call at 1001 fails at
 * once and p's worker is free; c2's call at 1002 goes through (1012),
 * and c3, which waited for the worker, calls at 1013 (1023). */
START_TEST(test_partition_fails_calls_at_once)
{
    static const char *const sets[] = {
        AT("p"), "failures.0.edge=p->q", "failures.0.mode=partition",
        "failures.0.at=1.0005", "failures.0.for=1ms"
    };
    seen s;

    run_det(&s, sets, 7);
    finished(&s, 0, 0, 1000, 1001, MDL_REQ_FAILED);
    finished(&s, 1, 1, 1001, 1012, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1023, MDL_REQ_OK);
}
END_TEST

/* x calls k (one worker, 10 ms) with a 5 ms timeout and a breaker that
 * opens at 50% failures of 2 outcomes, for 1 s. c1 times out at 1005,
 * c2 at 1006: the breaker opens. c3, let through at 1002, times out at
 * 1007 (an outcome while open counts for nothing). c1 comes back at
 * 2005, before 2006: short-circuited, rejected at once. */
START_TEST(test_breaker_opens_and_short_circuits)
{
    static const char *const sets[] = {
        AT("x"), "calls.x->k.timeout=5ms", "calls.x->k.breaker.window=2",
        "calls.x->k.breaker.min_calls=2", "calls.x->k.breaker.open_for=1s",
        "calls.x->k.breaker.half_open_calls=1", "run.requests=4"
    };
    seen s;

    run_det(&s, sets, 9);
    finished(&s, 0, 0, 1000, 1005, MDL_REQ_TIMED_OUT);
    finished(&s, 1, 1, 1001, 1006, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 2, 1002, 1007, MDL_REQ_TIMED_OUT);
    finished(&s, 3, 0, 2005, 2005, MDL_REQ_REJECTED);
}
END_TEST

/* ---- hedging ---- */

/* c1 alone calls x -> k (the others stay at s: c2 1001-1011, c3
 * 1011-1021, so the third request ends at 1021), k with `n` replicas of
 * one worker, 10 ms each, picked round robin. */
#define HEDGED(n) "workload.0.entry=x", "services.k.replicas=" n

/* The work each of k's replicas did for nobody, its arrivals, and the
 * edge's tries, timeouts and errors per call, as a test expects them. */
typedef struct hedge_want {
    double orphan[3];       /* s, per replica */
    double arrivals[3];     /* per replica */
    double attempts, timeouts, errors;  /* call:x->k */
} hedge_want;

static void hedge_check(const mdl_net *net, const double *res, void *ctx)
{
    const hedge_want *w = ctx;
    const service *k = &net->sv[mdl_topology_find(net->t, "k")];
    int r;

    for (r = 0; r < k->nrep; r++) {
        ck_assert_double_eq_tol(k->rep[r].orphan_work, w->orphan[r], 1e-12);
        ck_assert_double_eq(k->rep[r].arrivals, w->arrivals[r]);
    }
    ck_assert_double_eq(value_of(net, res, "call:x->k", "attempts"),
                        w->attempts);
    ck_assert_double_eq(value_of(net, res, "call:x->k", "timeouts"),
                        w->timeouts);
    ck_assert_double_eq(value_of(net, res, "call:x->k", "errors"),
                        w->errors);
}

/* Hedge after 4 ms: c1's first attempt goes to k#0 at 1000, the hedge
 * to k#1 at 1004. k#0 answers at 1010 and wins: latency 10 ms, two
 * tries. k#1 works on to 1014 for nobody: 10 ms of orphaned work. */
START_TEST(test_hedge_goes_out_after_the_delay_and_the_loser_is_orphaned)
{
    static const char *const sets[] = {
        HEDGED("2"), "calls.x->k.hedge.delay=4ms",
        "calls.x->k.hedge.attempts=2"
    };
    hedge_want w = { { 0, 0.010 }, { 1, 1 }, 2, 0, 0 };
    seen s;

    run_det_full(&s, sets, 4, NULL, hedge_check, &w);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1011, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1021, MDL_REQ_OK);
}
END_TEST

/* A delay of 15 ms: k answers at 1010, before any hedge is due; one try,
 * nothing orphaned, and k#1 never sees the call. */
START_TEST(test_no_hedge_when_the_answer_comes_first)
{
    static const char *const sets[] = {
        HEDGED("2"), "calls.x->k.hedge.delay=15ms",
        "calls.x->k.hedge.attempts=2"
    };
    hedge_want w = { { 0, 0 }, { 1, 0 }, 1, 0, 0 };
    seen s;

    run_det_full(&s, sets, 4, NULL, hedge_check, &w);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
}
END_TEST

/* Three attempts every 3 ms: at 1000 (k#0), 1003 (k#1) and 1006 (k#2);
 * none at 1009, the cap reached; k#0 wins at 1010 and the two hedges
 * are orphans to 1013 and 1016. */
START_TEST(test_hedges_stop_at_the_attempts_cap)
{
    static const char *const sets[] = {
        HEDGED("3"), "calls.x->k.hedge.delay=3ms",
        "calls.x->k.hedge.attempts=3"
    };
    hedge_want w = { { 0, 0.010, 0.010 }, { 1, 1, 1 }, 3, 0, 0 };
    seen s;

    run_det_full(&s, sets, 4, NULL, hedge_check, &w);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
}
END_TEST

/* A deadline of 6 ms spans all attempts: tries at 1000 and 1004, none
 * at 1008, past the deadline; at 1006 the call times out and both
 * attempts are left to run as orphans (1000-1010 and 1004-1014). */
START_TEST(test_deadline_ends_a_hedged_call)
{
    static const char *const sets[] = {
        HEDGED("3"), "calls.x->k.hedge.delay=4ms",
        "calls.x->k.hedge.attempts=3", "calls.x->k.deadline=6ms"
    };
    hedge_want w = { { 0.010, 0.010, 0 }, { 1, 1, 0 }, 2, 1, 0 };
    seen s;

    run_det_full(&s, sets, 5, NULL, hedge_check, &w);
    finished(&s, 0, 0, 1000, 1006, MDL_REQ_TIMED_OUT);
}
END_TEST

/* k answers errors from 1005 to 1015 ms. The first attempt's error at
 * 1010 ends the call (gRPC: no status is non-fatal by default) without
 * waiting for the hedge, which works on at k#1 to 1014 for nobody. */
START_TEST(test_an_error_reply_ends_a_hedged_call)
{
    static const char *const sets[] = {
        HEDGED("2"), "calls.x->k.hedge.delay=4ms",
        "calls.x->k.hedge.attempts=2", "failures.0.service=k",
        "failures.0.mode=error", "failures.0.at=1.005", "failures.0.for=10ms"
    };
    hedge_want w = { { 0, 0.010 }, { 1, 1 }, 2, 0, 1 };
    seen s;

    run_det_full(&s, sets, 8, NULL, hedge_check, &w);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_FAILED);
}
END_TEST

/* Install the probes in order on the edge x -> k. */
static void on_x_to_k(mdl_net *net, void *ctx)
{
    chain_setup *cs = ctx;
    int i, e = edge_of(net, "x", "k");

    for (i = 0; i < cs->n; i++) {
        cs->p[i].net = net;
        cs->pol[i].start = probe_start;
        cs->pol[i].end = probe_end;
        cs->pol[i].self = &cs->p[i];
    }
    net->es[e].chain.n = cs->n;
    net->es[e].chain.p = cs->pol;
}

/* Each attempt of a hedged call goes through the chain: c1's two
 * attempts start; the one that answers ends OK, the other is told it was
 * cancelled. c1's first two requests (1000-1010, 2010-2020) are the
 * first and fourth to end. */
START_TEST(test_each_hedged_attempt_goes_through_the_chain)
{
    static const char *const sets[] = {
        HEDGED("2"), "calls.x->k.hedge.delay=4ms",
        "calls.x->k.hedge.attempts=2", "run.requests=4"
    };
    probe p = { 0 };
    chain_setup cs = { &p, 1, { { 0 } } };
    seen s;

    run_det_with(&s, sets, 5, on_x_to_k, &cs);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 3, 0, 2010, 2020, MDL_REQ_OK);
    ck_assert_int_eq(p.started, 4);
    ck_assert_int_eq(p.ok, 2);
    ck_assert_int_eq(p.cancelled, 2);
    ck_assert_int_eq(p.failed, 0);
}
END_TEST

/* Probes on x -> k, and what a test expects of k and the edge. */
typedef struct chain_want {
    chain_setup cs;
    hedge_want w;
} chain_want;

static void chain_want_check(const mdl_net *net, const double *res, void *ctx)
{
    chain_want *rs = ctx;

    hedge_check(net, res, &rs->w);
}

static void chain_want_install(mdl_net *net, void *ctx)
{
    on_x_to_k(net, &((chain_want *)ctx)->cs);
}

/* The chain refuses every attempt but the first of each call: the
 * refused hedge is not sent and the call waits on for its first attempt
 * (gRPC sends no throttled hedge); one try per call. */
START_TEST(test_a_refused_hedge_is_not_sent)
{
    static const char *const sets[] = {
        HEDGED("2"), "calls.x->k.hedge.delay=4ms",
        "calls.x->k.hedge.attempts=2"
    };
    probe p = { 0 };
    chain_want rs = { { &p, 1, { { 0 } } },
                        { { 0, 0 }, { 1, 0 }, 1, 0, 0 } };
    seen s;

    p.refuse_after_first = 1;
    run_det_full(&s, sets, 4, chain_want_install, chain_want_check, &rs);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    ck_assert_int_eq(p.started, 2);
    ck_assert_int_eq(p.ok, 1);
    ck_assert_int_eq(p.failed + p.cancelled, 0);
}
END_TEST

/* k#0 hangs from 0.5 s on: c1's first attempt waits there for ever,
 * the hedge sent to k#1 at 1004 answers at 1014 and wins; the hung
 * attempt is cancelled, unserved, so no work is orphaned. */
START_TEST(test_a_hedge_gets_round_a_hung_replica)
{
    static const char *const sets[] = {
        HEDGED("2"), "calls.x->k.hedge.delay=4ms",
        "calls.x->k.hedge.attempts=2", "failures.0.service=k",
        "failures.0.mode=hang", "failures.0.at=0.5s", "failures.0.replicas=1"
    };
    hedge_want w = { { 0, 0 }, { 1, 1 }, 2, 0, 0 };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, NULL, hedge_check,
                 &w);
    finished(&s, 0, 1, 1001, 1011, MDL_REQ_OK);
    finished(&s, 1, 0, 1000, 1014, MDL_REQ_OK);
}
END_TEST

/* A bulkhead of one permit: the hedge due at 1004 waits in line behind
 * the first attempt, which answers at 1010. The hedge leaves the line,
 * cancelled, before the first attempt's permit is given back, so it is
 * never sent: one try, k#1 never sees the call. */
START_TEST(test_a_hedge_waiting_for_a_bulkhead_permit_is_never_sent)
{
    static const char *const sets[] = {
        HEDGED("2"), "calls.x->k.hedge.delay=4ms",
        "calls.x->k.hedge.attempts=2",
        "calls.x->k.bulkhead.max_concurrent=1",
        "calls.x->k.bulkhead.max_wait=50ms"
    };
    hedge_want w = { { 0, 0 }, { 1, 0 }, 1, 0, 0 };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, NULL, hedge_check,
                 &w);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
}
END_TEST

/* The caller's replica crashes at 1005, after the hedge went out at
 * 1004: c1's request fails at once, both attempts are cancelled, their
 * policies told so, and k#0 and k#1 work on for nobody (to 1010 and
 * 1014). */
START_TEST(test_a_crashed_caller_cancels_every_hedged_attempt)
{
    static const char *const sets[] = {
        HEDGED("2"), "calls.x->k.hedge.delay=4ms",
        "calls.x->k.hedge.attempts=2", "failures.0.service=x",
        "failures.0.mode=crash", "failures.0.at=1.005s",
        "failures.0.for=10ms"
    };
    probe p = { 0 };
    chain_want cw = { { &p, 1, { { 0 } } },
                      { { 0.010, 0.010 }, { 1, 1 }, 2, 0, 0 } };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, chain_want_install,
                 chain_want_check, &cw);
    finished(&s, 0, 0, 1000, 1005, MDL_REQ_FAILED);
    ck_assert_int_eq(p.started, 2);
    ck_assert_int_eq(p.cancelled, 2);
    ck_assert_int_eq(p.ok + p.failed, 0);
}
END_TEST

/* ---- bulkhead ---- */

/* What a run's results must show: (scope, metric, value) rows, the
 * value exact but for rounding; metric NULL: the scope is a service and
 * value its arrivals. A row with a NULL scope ends the list. */
typedef struct expect {
    const char *scope, *metric;
    double value;
} expect;

static void expect_all(const mdl_net *net, const double *res, void *ctx)
{
    const expect *x;

    for (x = ctx; x->scope; x++) {
        double got = x->metric
            ? value_of(net, res, x->scope, x->metric)
            : net->sv[mdl_topology_find(net->t, x->scope)].rep[0].arrivals;
        ck_assert_msg(fabs(got - x->value) < 1e-12, "%s %s: %.17g, "
                      "expected %.17g", x->scope,
                      x->metric ? x->metric : "arrivals", got, x->value);
    }
}

/* Is there a metric of that name in some scope? */
static int has_metric(const mdl_net *net, const char *name)
{
    size_t m;

    for (m = 0; m < mdl_net_nmetrics(net); m++)
        if (!strcmp(mdl_net_metric(net, m), name))
            return 1;
    return 0;
}

/* g (1 ms, four workers) calls h (1 ms), which calls i (10 ms): c1's call
 * from g to h holds the only permit from 1001 to 1012. Without max_wait,
 * c2's call at 1002 and c3's at 1003 are refused at once: rejected, and
 * short-circuited on the edge; they never reach h. */
START_TEST(test_bulkhead_full_refuses_at_once)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.bulkhead.max_concurrent=1",
        "calls.g->h.bulkhead.max_wait=0s"
    };
    static const expect want[] = {
        { "call:g->h", "short_circuited", 2.0 / 3 },
        { "call:g->h", "attempts", 1.0 / 3 },
        { "system", "rejected", 2.0 / 3 },
        { "h", NULL, 1 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 5, NULL, expect_all, (void *)want);
    finished(&s, 0, 1, 1001, 1002, MDL_REQ_REJECTED);
    finished(&s, 1, 2, 1002, 1003, MDL_REQ_REJECTED);
    finished(&s, 2, 0, 1000, 1012, MDL_REQ_OK);
}
END_TEST

/* With max_wait 25 ms, c2 (in line at 1002) gets c1's permit when c1's
 * call ends at 1012 and is answered at 1023; c3 (in line at 1003, until
 * 1028) gets it at 1023 and is answered at 1034. */
START_TEST(test_bulkhead_line_is_served_in_order)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.bulkhead.max_concurrent=1",
        "calls.g->h.bulkhead.max_wait=25ms"
    };
    static const expect want[] = {
        { "call:g->h", "short_circuited", 0 },
        { "call:g->h", "attempts", 1 },
        { "h", NULL, 3 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 5, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1012, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1023, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1034, MDL_REQ_OK);
}
END_TEST

/* max_wait 5 ms is too short: c2 is refused at 1007, c3 at 1008. */
START_TEST(test_bulkhead_refuses_when_max_wait_passes)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.bulkhead.max_concurrent=1",
        "calls.g->h.bulkhead.max_wait=5ms"
    };
    static const expect want[] = {
        { "call:g->h", "short_circuited", 2.0 / 3 },
        { "h", NULL, 1 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 5, NULL, expect_all, (void *)want);
    finished(&s, 0, 1, 1001, 1007, MDL_REQ_REJECTED);
    finished(&s, 1, 2, 1002, 1008, MDL_REQ_REJECTED);
    finished(&s, 2, 0, 1000, 1012, MDL_REQ_OK);
}
END_TEST

/* max_wait 15 ms: c2 (until 1017) gets the permit at 1012 and is
 * answered at 1023; c3 (until 1018) is still in line behind it at 1018:
 * refused then. */
START_TEST(test_bulkhead_serves_one_and_refuses_the_next)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.bulkhead.max_concurrent=1",
        "calls.g->h.bulkhead.max_wait=15ms"
    };
    static const expect want[] = {
        { "call:g->h", "short_circuited", 1.0 / 3 },
        { "h", NULL, 2 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 5, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1012, MDL_REQ_OK);
    finished(&s, 1, 2, 1002, 1018, MDL_REQ_REJECTED);
    finished(&s, 2, 1, 1001, 1023, MDL_REQ_OK);
}
END_TEST

/* The timeout of an attempt runs while it waits (Resilience4j's time
 * limiter sits outside its bulkhead), and a timeout gives the permit
 * back. Timeout 15 ms: c1 is answered at 1012; c2, in line from 1002,
 * goes out at 1012 and times out at 1017, not 15 ms after going out;
 * its permit goes to c3 (in line from 1003), which reaches h at 1017 and
 * times out at 1018. */
START_TEST(test_bulkhead_wait_counts_in_the_timeout)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.bulkhead.max_concurrent=1",
        "calls.g->h.bulkhead.max_wait=1s", "calls.g->h.timeout=15ms"
    };
    static const expect want[] = {
        { "call:g->h", "timeouts", 2.0 / 3 },
        { "call:g->h", "attempts", 1 },
        { "h", NULL, 3 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 6, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1012, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1017, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 2, 1002, 1018, MDL_REQ_TIMED_OUT);
}
END_TEST

/* A call whose deadline passes while it waits times out and leaves the
 * line. c1 enters at h (no deadline): its call to i holds the permit
 * from 1001 to 1011. c2 and c3 enter at g, whose call to h has a 7 ms
 * deadline that h's call to i inherits: they wait from 1003 and 1004
 * and time out at 1009 and 1010 without going out. When c1's call ends
 * nobody is in line: i sees c1 only. */
START_TEST(test_bulkhead_deadline_passes_in_line)
{
    static const char *const sets[] = {
        "workload.0.entry=h", "workload.1.entry=g", "workload.2.entry=g",
        "calls.h->i.bulkhead.max_concurrent=1",
        "calls.h->i.bulkhead.max_wait=1s", "calls.g->h.deadline=7ms"
    };
    static const expect want[] = {
        { "call:h->i", "timeouts", 2.0 / 3 },
        { "call:h->i", "attempts", 1.0 / 3 },
        { "call:h->i", "short_circuited", 0 },
        { "i", NULL, 1 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 6, NULL, expect_all, (void *)want);
    finished(&s, 0, 1, 1001, 1009, MDL_REQ_TIMED_OUT);
    finished(&s, 1, 2, 1002, 1010, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 0, 1000, 1011, MDL_REQ_OK);
}
END_TEST

/* A refusal can be retried (on: rejected), after a backoff of at most
 * 3e-12 s here, and the retry queues again at the end of the line. With
 * max_wait 6 ms: c2 is refused at 1008, queues again and gets c1's
 * permit at 1012 (answered 1023); c3, refused at 1009, queues again
 * behind c2, is refused at 1015 and, on its third and last try, at
 * 1021. */
START_TEST(test_bulkhead_refusal_is_retried)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.bulkhead.max_concurrent=1",
        "calls.g->h.bulkhead.max_wait=6ms", "calls.g->h.retry.attempts=3",
        "calls.g->h.retry.on=rejected",
        "calls.g->h.retry.backoff=jitter(base=1e-12)"
    };
    static const expect want[] = {
        { "call:g->h", "attempts", 2.0 / 3 },
        { "call:g->h", "short_circuited", 1.0 / 3 },
        { "h", NULL, 2 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 8, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1012, MDL_REQ_OK);
    finished(&s, 1, 2, 1002, 1021, MDL_REQ_REJECTED);
    finished(&s, 2, 1, 1001, 1023, MDL_REQ_OK);
}
END_TEST

/* The breaker sits outside the bulkhead and counts its refusals as
 * failures: c2's and c3's refusals (1002, 1003) open it, for 2 s, so c2's
 * next call, at 2004, is short-circuited by the breaker although the
 * bulkhead is free. */
START_TEST(test_breaker_counts_bulkhead_refusals)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.bulkhead.max_concurrent=1",
        "calls.g->h.breaker.window=2", "calls.g->h.breaker.min_calls=2",
        "calls.g->h.breaker.open_for=2s", "run.requests=4"
    };
    seen s;

    run_det(&s, sets, 8);
    finished(&s, 0, 1, 1001, 1002, MDL_REQ_REJECTED);
    finished(&s, 1, 2, 1002, 1003, MDL_REQ_REJECTED);
    finished(&s, 2, 0, 1000, 1012, MDL_REQ_OK);
    finished(&s, 3, 1, 2003, 2004, MDL_REQ_REJECTED);
}
END_TEST

/* ---- fallback ---- */

/* x calls k (one worker, 10 ms), which answers every visit with an
 * error: with a fallback each request goes on as if the call had
 * succeeded, degraded (10, 19 and 28 ms of k's time, credited as a
 * success's); the edge still counts its errors. */
START_TEST(test_fallback_degrades_instead_of_failing)
{
    static const char *const sets[] = {
        AT("x"), "failures.0.service=k", "failures.0.mode=error",
        "calls.x->k.fallback=true"
    };
    static const expect want[] = {
        { "system", "availability", 1 },
        { "system", "degraded", 1 },
        { "system", "failed", 0 },
        { "class:c2", "degraded", 1 },
        { "call:x->k", "errors", 1 },
        { "service:k", "self_per_request", 0.019 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 6, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_DEGRADED);
    finished(&s, 1, 1, 1001, 1020, MDL_REQ_DEGRADED);
    finished(&s, 2, 2, 1002, 1030, MDL_REQ_DEGRADED);
}
END_TEST

static void no_degraded_metric(const mdl_net *net, const double *res,
                               void *ctx)
{
    (void)ctx;
    ck_assert(!has_metric(net, "degraded"));
    ck_assert_double_eq(value_of(net, res, "system", "availability"), 0);
}

/* The same without a fallback: every request fails, and no scope
 * reports `degraded`. */
START_TEST(test_without_fallback_the_error_fails_the_request)
{
    static const char *const sets[] = {
        AT("x"), "failures.0.service=k", "failures.0.mode=error"
    };
    seen s;

    run_det_full(&s, sets, 5, NULL, no_degraded_metric, NULL);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_FAILED);
    finished(&s, 1, 1, 1001, 1020, MDL_REQ_FAILED);
    finished(&s, 2, 2, 1002, 1030, MDL_REQ_FAILED);
}
END_TEST

/* A timeout falls back too: x gives up on k after 5 ms and goes on. */
START_TEST(test_fallback_after_a_timeout)
{
    static const char *const sets[] = {
        AT("x"), "calls.x->k.timeout=5ms", "calls.x->k.fallback=1"
    };
    static const expect want[] = {
        { "call:x->k", "timeouts", 1 },
        { "system", "timed_out", 0 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 5, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1005, MDL_REQ_DEGRADED);
    finished(&s, 1, 1, 1001, 1006, MDL_REQ_DEGRADED);
    finished(&s, 2, 2, 1002, 1007, MDL_REQ_DEGRADED);
}
END_TEST

/* A full bulkhead's refusal falls back: c2 and c3 go on at once. */
START_TEST(test_fallback_after_a_bulkhead_refusal)
{
    static const char *const sets[] = {
        AT("g"), "calls.g->h.bulkhead.max_concurrent=1",
        "calls.g->h.fallback=true"
    };
    static const expect want[] = {
        { "call:g->h", "short_circuited", 2.0 / 3 },
        { "system", "degraded", 2.0 / 3 },
        { "system", "availability", 1 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 5, NULL, expect_all, (void *)want);
    finished(&s, 0, 1, 1001, 1002, MDL_REQ_DEGRADED);
    finished(&s, 1, 2, 1002, 1003, MDL_REQ_DEGRADED);
    finished(&s, 2, 0, 1000, 1012, MDL_REQ_OK);
}
END_TEST

/* a calls b (2 ms) and c (5 ms) in parallel, both failing; a->b falls
 * back, a->c does not: a request degraded by one call and failed by
 * another fails, when the stage joins at 1006 (later stages skipped). */
START_TEST(test_failed_beats_degraded)
{
    static const char *const sets[] = {
        AT("a"), "failures.0.service=b", "failures.0.mode=error",
        "failures.1.service=c", "failures.1.mode=error",
        "calls.a->b.fallback=true"
    };
    static const expect want[] = {
        { "system", "degraded", 0 },
        { "system", "failed", 1 },
        { "d", NULL, 0 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 8, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1006, MDL_REQ_FAILED);
    finished(&s, 1, 1, 1001, 1007, MDL_REQ_FAILED);
    finished(&s, 2, 2, 1002, 1008, MDL_REQ_FAILED);
}
END_TEST

/* a calls d twice in a row (1 ms each, from 1006), d failing every
 * time: with a fallback the second call is made after the first fails,
 * and the request ends degraded at 1008; without, the first failure ends
 * the sequence and the request at 1007. */
START_TEST(test_fallback_goes_on_with_the_sequence)
{
    static const char *const with[] = {
        AT("a"), "failures.0.service=d", "failures.0.mode=error",
        "calls.a->d.fallback=true"
    };
    static const expect want[] = {
        { "call:a->d", "calls", 2 },
        { "call:a->d", "errors", 1 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, with, 6, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1008, MDL_REQ_DEGRADED);
    finished(&s, 1, 1, 1001, 1009, MDL_REQ_DEGRADED);
    finished(&s, 2, 2, 1002, 1010, MDL_REQ_DEGRADED);
    run_det(&s, with, 5);
    finished(&s, 0, 0, 1000, 1007, MDL_REQ_FAILED);
}
END_TEST

/* Degradation travels up with the answers: h's call to i (failing) falls
 * back, so h answers g with a success that is degraded, and so is the
 * request; g's call to h counts no error. */
START_TEST(test_degraded_answer_degrades_the_caller)
{
    static const char *const sets[] = {
        AT("g"), "failures.0.service=i", "failures.0.mode=error",
        "calls.h->i.fallback=true"
    };
    static const expect want[] = {
        { "call:g->h", "errors", 0 },
        { "call:h->i", "errors", 1 },
        { "system", "degraded", 1 },
        { NULL, NULL, 0 }
    };
    seen s;

    run_det_full(&s, sets, 6, NULL, expect_all, (void *)want);
    finished(&s, 0, 0, 1000, 1012, MDL_REQ_DEGRADED);
    finished(&s, 1, 1, 1001, 1013, MDL_REQ_DEGRADED);
    finished(&s, 2, 2, 1002, 1014, MDL_REQ_DEGRADED);
}
END_TEST

/* A model that cannot be written in a file (the cycle check rejects it)
 * is made by pointing an edge elsewhere after the net is built: the
 * watchdog is the engine's own last line of defence. */
START_TEST(test_deadlock_is_stopped_naming_the_service)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    double *out;
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/"
                                                    "deadlock.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    out = malloc(mdl_net_result_len(net) * sizeof *out);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(s->topo->edges[1].kind, MDL_EDGE_FORWARD);
    s->topo->edges[1].to = 0;               /* b forwards back to a */
    ck_assert_int_eq(mdl_net_run(net, 0, out, NULL, &d), SIM_ESTALL);
    /* think 10 ms, a works 1 ms, b 2 ms: stuck at t = 13 ms */
    ck_assert_str_eq(d.msg, "deadlock at t = 0.013 s: 1 request in the "
                     "system and no event left to move it (held at "
                     "services 'a')");
    free(out);
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

/* The scopes a net reports, in order, joined by spaces. */
static void scopes_of(const mdl_net *net, char *buf, size_t n)
{
    size_t m, len = 0;
    const char *last = "";

    buf[0] = '\0';
    for (m = 0; m < mdl_net_nmetrics(net) && len < n; m++)
        if (strcmp(mdl_net_scope(net, m), last)) {
            last = mdl_net_scope(net, m);
            len += (size_t)snprintf(buf + len, n - len, "%s%s",
                                    len ? " " : "", last);
        }
}

START_TEST(test_scopes_count_from_0_and_skip_stages_of_publishes)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    char got[1024];
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/"
                                                    "scopes.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    scopes_of(net, got, sizeof got);
    ck_assert_str_eq(got, "system class:w service:a stage:a#0 stage:a#1 "
                     "service:b replica:b#0 replica:b#1 service:c "
                     "call:a->b#0 call:a->b#1 publish:a->c");
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

/* Whether stage sg holds exactly the edges want[0..n). */
static void assert_stage(const stage *sg, const int *want, int n, int ncalls)
{
    int i;

    ck_assert_int_eq(sg->n, n);
    ck_assert_int_eq(sg->ncalls, ncalls);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(sg->edges[i], want[i]);
}

/* See tests/data/scopes_mixed.gml: the numbers and stages worked out by
 * hand from the file order of the edges. */
START_TEST(test_edges_numbered_and_staged_in_file_order)
{
    static const int s0[] = { 1, 3, 6 }, s1[] = { 0, 4 }, s2[] = { 5 };
    static const int b0[] = { 2 };
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    const service *a, *b, *c;
    char got[1024];
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/"
                                                    "scopes_mixed.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    scopes_of(net, got, sizeof got);
    ck_assert_str_eq(got, "system class:w service:a stage:a#0 stage:a#1 "
                     "stage:a#2 service:b stage:b#0 service:c "
                     "call:a->b#0 call:a->c#0 call:b->c call:a->b#1 "
                     "publish:a->c#0 call:a->c#1 publish:a->c#1");
    a = &net->sv[mdl_topology_find(net->t, "a")];
    b = &net->sv[mdl_topology_find(net->t, "b")];
    c = &net->sv[mdl_topology_find(net->t, "c")];
    ck_assert_int_eq(a->nstages, 3);
    assert_stage(&a->stages[0], s0, 3, 2);
    assert_stage(&a->stages[1], s1, 2, 1);
    assert_stage(&a->stages[2], s2, 1, 1);
    ck_assert_int_eq(a->nfwd, 1);
    ck_assert_int_eq(a->fwd[0], 7);
    ck_assert_int_eq(b->nstages, 1);
    assert_stage(&b->stages[0], b0, 1, 1);
    ck_assert_int_eq(b->nfwd, 0);
    ck_assert_int_eq(c->nstages, 0);
    ck_assert_int_eq(c->nfwd, 0);
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

static void x_to_k_rejected(const mdl_net *net, const double *res,
                            void *ctx)
{
    (void)ctx;
    ck_assert_double_eq_tol(value_of(net, res, "call:x->k", "rejected"),
                            2.0 / 3, 1e-15);
    ck_assert_double_eq(value_of(net, res, "call:x->k", "errors"), 0);
}

/* A callee that is full refuses the call: the edge counts it among its
 * rejected calls (c2 and c3 find k busy with c1, capacity 1). */
START_TEST(test_call_refused_by_a_full_callee_is_rejected)
{
    static const char *const sets[] = {
        AT("x"), "services.k.capacity=1"
    };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, NULL,
                 x_to_k_rejected, NULL);
    finished(&s, 0, 1, 1001, 1001, MDL_REQ_REJECTED);
    finished(&s, 1, 2, 1002, 1002, MDL_REQ_REJECTED);
    finished(&s, 2, 0, 1000, 1010, MDL_REQ_OK);
}
END_TEST

/* ---- crashes, hangs, replicas going up and down ---- */

#define K_FAILS "failures.0.service=k"

/* k answered errors with an error, refused of them at once, and holds
 * n requests at the end. */
static void k_counts(const mdl_net *net, double errors, double refused,
                     long n)
{
    const replica *k = &net->sv[mdl_topology_find(net->t, "k")].rep[0];

    ck_assert_double_eq(k->errors, errors);
    ck_assert_double_eq(k->refused, refused);
    ck_assert_int_eq(k->n, n);
}

static void k_failed_three_held(const mdl_net *net, const double *res,
                                void *ctx)
{
    (void)res;
    (void)ctx;
    k_counts(net, 3, 0, 0);
}

/* x calls k (one worker, 10 ms); k crashes at 1005 for 10 ms. c1 is in
 * service, c2 and c3 wait: all three fail at once, their callers told by
 * events in the order they arrived. */
START_TEST(test_crash_fails_the_requests_it_holds)
{
    static const char *const sets[] = {
        AT("x"), K_FAILS, "failures.0.mode=crash", "failures.0.at=1.005s",
        "failures.0.for=10ms"
    };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, NULL, k_failed_three_held, NULL);
    finished(&s, 0, 0, 1000, 1005, MDL_REQ_FAILED);
    finished(&s, 1, 1, 1001, 1005, MDL_REQ_FAILED);
    finished(&s, 2, 2, 1002, 1005, MDL_REQ_FAILED);
}
END_TEST

static void k_refused_three(const mdl_net *net, const double *res, void *ctx)
{
    (void)ctx;
    k_counts(net, 3, 3, 2);     /* c2's and c3's next */
    /* up 1 s of the 2.01 s the run lasted */
    ck_assert_double_eq_tol(value_of(net, res, "service:k", "up"),
                            1.01 / 2.01, 1e-12);
}

/* k is down from 0.5 to 1.5 s: c1, c2 and c3 are refused at once with
 * an error; c1's next request, at 2000, is served. */
START_TEST(test_crashed_replica_refuses_with_an_error)
{
    static const char *const sets[] = {
        AT("x"), K_FAILS, "failures.0.mode=crash", "failures.0.at=0.5s",
        "failures.0.for=1s", "run.requests=4"
    };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, NULL, k_refused_three, NULL);
    finished(&s, 0, 0, 1000, 1000, MDL_REQ_FAILED);
    finished(&s, 1, 1, 1001, 1001, MDL_REQ_FAILED);
    finished(&s, 2, 2, 1002, 1002, MDL_REQ_FAILED);
    finished(&s, 3, 0, 2000, 2010, MDL_REQ_OK);
}
END_TEST

/* k hangs from 1005 for a second; x gives up after 15 ms. c1's work
 * stops half done, c2 and c3 wait for nothing: each call times out. */
START_TEST(test_hang_is_escaped_only_by_a_timeout)
{
    static const char *const sets[] = {
        AT("x"), K_FAILS, "failures.0.mode=hang", "failures.0.at=1.005s",
        "failures.0.for=1s", "calls.x->k.timeout=15ms"
    };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, NULL, NULL, NULL);
    finished(&s, 0, 0, 1000, 1015, MDL_REQ_TIMED_OUT);
    finished(&s, 1, 1, 1001, 1016, MDL_REQ_TIMED_OUT);
    finished(&s, 2, 2, 1002, 1017, MDL_REQ_TIMED_OUT);
}
END_TEST

static void k_failed_three_at_restart(const mdl_net *net, const double *res,
                                      void *ctx)
{
    (void)ctx;
    k_counts(net, 3, 0, 2);
    /* c1's work stopped at 1005 and the second one took 10 ms: 15 ms of
     * the 2.03 s */
    ck_assert_double_eq_tol(value_of(net, res, "service:k", "utilization"),
                            0.015 / 2.03, 1e-12);
}

/* Without a timeout the callers wait until k restarts at 1020, when
 * what it holds fails; c1's next request, at 2020, is served. */
START_TEST(test_hung_replica_fails_what_it_holds_when_it_restarts)
{
    static const char *const sets[] = {
        AT("x"), K_FAILS, "failures.0.mode=hang", "failures.0.at=1.005s",
        "failures.0.for=15ms", "run.requests=4"
    };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, NULL, k_failed_three_at_restart, NULL);
    finished(&s, 0, 0, 1000, 1020, MDL_REQ_FAILED);
    finished(&s, 1, 1, 1001, 1020, MDL_REQ_FAILED);
    finished(&s, 2, 2, 1002, 1020, MDL_REQ_FAILED);
    finished(&s, 3, 0, 2020, 2030, MDL_REQ_OK);
}
END_TEST

static void k_up_and_down(const mdl_net *net, const double *res, void *ctx)
{
    (void)ctx;
    k_counts(net, 3, 3, 0);
    /* up [0, 1.5) and [2.5, 3.02]: 2.02 s of 3.02 */
    ck_assert_double_eq_tol(value_of(net, res, "service:k", "up"),
                            2.02 / 3.02, 1e-12);
}

/* k is up for 1.5 s, down for 1 s, and so on (det times). The first
 * round is served as usual; the second, from 2010, finds k down; c1's
 * third request, at 3010, finds it up again. */
START_TEST(test_updown_alternates_up_and_down)
{
    static const char *const sets[] = {
        AT("x"), K_FAILS, "failures.0.mode=updown",
        "failures.0.mttf=det(1500ms)", "failures.0.mttr=det(1s)",
        "run.requests=7"
    };
    seen s;

    run_det_full(&s, sets, sizeof sets / sizeof *sets, NULL, k_up_and_down, NULL);
    finished(&s, 0, 0, 1000, 1010, MDL_REQ_OK);
    finished(&s, 1, 1, 1001, 1020, MDL_REQ_OK);
    finished(&s, 2, 2, 1002, 1030, MDL_REQ_OK);
    finished(&s, 3, 0, 2010, 2010, MDL_REQ_FAILED);
    finished(&s, 4, 1, 2021, 2021, MDL_REQ_FAILED);
    finished(&s, 5, 2, 2032, 2032, MDL_REQ_FAILED);
    finished(&s, 6, 0, 3010, 3020, MDL_REQ_OK);
}
END_TEST

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

    return (x > y) - (x < y);
}

/* A pool grows through chunks of doubling size up to whole huge pages;
 * every object it hands out is aligned, zeroed past its link when new,
 * apart from every other, and given back for reuse. Objects of a type
 * aligned to a cache line, as calls and requests are, start on one. */
START_TEST(test_pool_objects_are_distinct_aligned_and_reused)
{
    enum { N = 40000 };     /* 7 MB of visits: small chunks, then huge */
    void **got = malloc(N * sizeof *got), **again = malloc(N * sizeof *got);
    mdl_pool p;
    size_t i, k, size = sizeof(visit);

    ck_assert_ptr_nonnull(got);
    ck_assert_ptr_nonnull(again);
    mdl_pool_init(&p, size);
    for (i = 0; i < N; i++) {
        unsigned char *o = got[i] = mdl_pool_get(&p);

        ck_assert_ptr_nonnull(o);
        ck_assert_uint_eq((uintptr_t)o % _Alignof(max_align_t), 0);
        for (k = sizeof(void *); k < size; k++)
            if (o[k])
                ck_abort_msg("object %zu byte %zu is %d", i, k, o[k]);
        memset(o, 0xcd, size);
    }
    qsort(got, N, sizeof *got, cmp_ptr);
    for (i = 1; i < N; i++)
        ck_assert_uint_ge((uintptr_t)got[i] - (uintptr_t)got[i - 1], size);
    for (i = 0; i < N; i++)
        mdl_pool_put(&p, got[i]);
    for (i = 0; i < N; i++)
        again[i] = mdl_pool_get(&p);
    qsort(again, N, sizeof *again, cmp_ptr);
    ck_assert_mem_eq(got, again, N * sizeof *got);
    mdl_pool_clear(&p);
    ck_assert_ptr_nonnull(got[0] = mdl_pool_get(&p));
    mdl_pool_clear(&p);
    ck_assert_uint_eq(_Alignof(mdl_call), SIM_MEM_LINE);
    ck_assert_uint_eq(_Alignof(flow), SIM_MEM_LINE);
    mdl_pool_init(&p, sizeof(mdl_call));
    for (i = 0; i < 3 * MDL_POOL_BATCH; i++) {     /* two chunks */
        void *o = mdl_pool_get(&p);

        ck_assert_ptr_nonnull(o);
        ck_assert_uint_eq((uintptr_t)o % SIM_MEM_LINE, 0);
    }
    mdl_pool_clear(&p);
    free(got);
    free(again);
}
END_TEST

/* After the first run, each service's plans start on a line of the
 * net's plan block, a single plan's stages right after its header; each
 * call of a plan names the callee, the callee's replicas and its work's
 * distribution, and so does each forward edge (what the visits fetch
 * ahead). det.yaml has both. */
/* Is edge e one of service stage sg's? */
static int in_stage(const stage *sg, int e)
{
    int i;

    for (i = 0; i < sg->n; i++)
        if (sg->edges[i] == e)
            return 1;
    return 0;
}

/* A service's copy of a work distribution is the topology's. */
static void same_dist(const mdl_dist *copy, const mdl_dist *d)
{
    int k;

    ck_assert_int_eq(copy->kind, d->kind);
    ck_assert(copy->mean == d->mean);
    for (k = 0; k < 4; k++)
        ck_assert(copy->p[k] == d->p[k]
                  || (isnan(copy->p[k]) && isnan(d->p[k])));
    ck_assert_ptr_eq(copy->samples, d->samples);
    ck_assert_uint_eq(copy->nsamples, d->nsamples);
}

static void check_plans(const mdl_net *net, const double *res, void *ctx)
{
    const char *lo = net->plan_block, *hi = lo;
    int calls = 0, forwards = 0, s, k;
    size_t i, c;

    (void)res;
    (void)ctx;
    ck_assert_ptr_nonnull(lo);
    for (i = 0; i < net->nsv; i++) {
        const service *sv = &net->sv[i];
        size_t n = sv->plan_stride ? net->ncls : 1;

        ck_assert_uint_eq((uintptr_t)sv->plans % SIM_MEM_LINE, 0);
        ck_assert((const char *)sv->plans >= hi);
        same_dist(&sv->pre, &sv->svc->service);
        same_dist(&sv->post, &sv->svc->post_service);
        ck_assert_int_eq(sv->blocking, sv->svc->blocking);
        hi = (const char *)(sv->plans + n);
        for (c = 0; c < n; c++) {
            const mdl_plan *pl = &sv->plans[c];

            if (n == 1 && pl->nstages > 0)
                ck_assert_ptr_eq(pl->stages, sv->plans + 1);
            for (s = 0; s < pl->nstages; s++)
                for (k = 0; k < pl->stages[s].n; k++) {
                    const mdl_plan_edge *pe = &pl->stages[s].edges[k];
                    const char *dur = (const char *)pl->stages[s].dur;
                    const stage *sg =
                        (const stage *)(dur - offsetof(stage, dur));

                    /* The stage's time is added to the tally of the
                     * service's stage that holds its edges. */
                    ck_assert(sg >= sv->stages
                              && sg < sv->stages + sv->nstages);
                    ck_assert(in_stage(sg, pe->e));
                    ck_assert_int_eq(pe->to, net->t->edges[pe->e].to);
                    ck_assert_ptr_eq(pe->fetch.rep, net->sv[pe->to].rep);
                    ck_assert_ptr_eq(pe->fetch.work, &net->sv[pe->to].pre);
                    calls++;
                }
            for (k = 0; k < pl->nfwd; k++) {
                const mdl_plan_fetch *f = mdl_plan_forward_fetch(pl, k);
                const service *to = &net->sv[pl->fwd_to[k]];

                ck_assert_ptr_eq(f->rep, to->rep);
                ck_assert_ptr_eq(f->work, &to->pre);
                forwards++;
            }
        }
    }
    ck_assert_int_gt(calls, 0);
    ck_assert_int_gt(forwards, 0);
}

START_TEST(test_plans_name_each_callee_and_its_replicas)
{
    seen s;

    run_det_full(&s, NULL, 0, NULL, check_plans, NULL);
}
END_TEST

/* A stage of 40 calls taken with probability p = 0.1 each picks them
 * by the gaps between those taken (fanout.yaml). Each edge must still be
 * taken in each request with probability p, independently of the
 * others: over N requests, each edge's calls are binomial (N, p), their
 * sum binomial (40 N, p), and the requests that called none, taking no
 * time, binomial (N, (1 - p)^40). Each of the 42 counts must lie within
 * 5 standard deviations of its mean (a false alarm about once in 40,000
 * runs, whatever the seed: QMESH_TEST_SEED sets another); a gap off by
 * one edge, a first edge never taken, or at most one call a request
 * each break at least one. */
#define FAN_EDGES 40
#define FAN_P 0.1

typedef struct fan_count {
    long requests, none;
} fan_count;

static void count_fan(void *ctx, const mdl_net_req *r)
{
    fan_count *f = ctx;

    f->requests++;
    if (r->end - r->start < 0.5e-3)
        f->none++;
}

static void check_within(double got, double n, double p, const char *what)
{
    double mean = n * p, sd = sqrt(n * p * (1 - p));

    ck_assert_msg(fabs(got - mean) <= 5 * sd, "%s: %.0f, expected %.1f "
                  "+- 5 x %.1f", what, got, mean, sd);
}

START_TEST(test_gaps_take_each_edge_with_its_probability)
{
    const char *sets[] = { "run.requests=50000", "run.warmup=0" };
    const char *seed = getenv("QMESH_TEST_SEED");
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    fan_count f = { 0, 0 };
    double *res, total = 0;
    const mdl_plan *pl;
    sim_diag d;
    int e;

    memset(&d, 0, sizeof d);
    if (mdl_scenario_load(&s, tst_path("tests/data/fanout.yaml"), sets, 2,
                          &d) != SIM_OK)
        ck_abort_msg("%s:%d: %s", d.file, d.line, d.msg);
    if (seed && *seed)
        s->seed = strtoull(seed, NULL, 10);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    res = malloc(mdl_net_result_len(net) * sizeof *res);
    ck_assert_ptr_nonnull(res);
    mdl_net_set_observer(net, count_fan, &f);
    ck_assert_int_eq(mdl_net_run(net, 0, res, NULL, &d), SIM_OK);

    pl = &net->sv[0].plans[0];
    ck_assert_int_eq(pl->nstages, 1);
    ck_assert_int_eq(pl->stages[0].pick, MDL_PICK_GAPS);
    /* A request calls as it arrives (a's work takes no time), so the
     * calls counted are those of every request that entered. */
    ck_assert_int_ge(net->cl[0].entered, f.requests);
    ck_assert_int_le(net->cl[0].entered, f.requests + 100);
    for (e = 0; e < FAN_EDGES; e++) {
        char what[32];

        snprintf(what, sizeof what, "calls of edge %d", e);
        check_within(net->es[e].count, net->cl[0].entered, FAN_P, what);
        total += net->es[e].count;
    }
    check_within(total, FAN_EDGES * net->cl[0].entered, FAN_P,
                 "calls of all edges");
    check_within(f.none, f.requests, pow(1 - FAN_P, FAN_EDGES),
                 "requests that called none");
    free(res);
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_net");
    TCase *tc = tcase_create("exact");

    tcase_add_test(tc, test_fifo_one_worker_serves_in_arrival_order);
    tcase_add_test(tc, test_fifo_two_workers);
    tcase_add_test(tc, test_processor_sharing_one_server);
    tcase_add_test(tc, test_processor_sharing_two_servers);
    tcase_add_test(tc, test_capacity_rejects_at_once);
    tcase_add_test(tc, test_forward_chain_queues_at_each_station);
    tcase_add_test(tc, test_fork_join_then_counted_calls);
    tcase_add_test(tc, test_blocking_worker_waits_for_its_call);
    tcase_add_test(tc, test_event_loop_releases_the_worker);
    tcase_add_test(tc, test_post_work_with_both_kinds_of_worker);
    suite_add_tcase(s, tc);
    tc = tcase_create("lifecycle");
    tcase_add_test(tc, test_abandoned_call_answer_goes_nowhere);
    tcase_add_test(tc, test_answered_call_cancels_its_timer);
    tcase_add_test(tc, test_policy_chain_refusal_fails_the_call_at_once);
    tcase_add_test(tc, test_admission_refusal_is_a_rejection);
    tcase_add_test(tc, test_deadline_propagates_down_the_chain);
    tcase_add_test(tc, test_deadline_check_drops_work_past_its_deadline);
    tcase_add_test(tc, test_call_refused_by_a_full_callee_is_rejected);
    tcase_add_test(tc, test_crash_fails_the_requests_it_holds);
    tcase_add_test(tc, test_crashed_replica_refuses_with_an_error);
    tcase_add_test(tc, test_hang_is_escaped_only_by_a_timeout);
    tcase_add_test(tc, test_hung_replica_fails_what_it_holds_when_it_restarts);
    tcase_add_test(tc, test_updown_alternates_up_and_down);
    tcase_add_test(tc, test_retry_after_a_timeout_queues_again);
    tcase_add_test(tc, test_retry_budget_can_forbid_retries);
    tcase_add_test(tc, test_retry_throttle_stops_retries_at_half_the_tokens);
    tcase_add_test(tc, test_slow_window_doubles_work_begun_in_it);
    tcase_add_test(tc, test_error_window_fails_visits_leaving_in_it);
    tcase_add_test(tc, test_partition_fails_calls_at_once);
    tcase_add_test(tc, test_breaker_opens_and_short_circuits);
    suite_add_tcase(s, tc);
    tc = tcase_create("hedging");
    tcase_add_test(tc,
        test_hedge_goes_out_after_the_delay_and_the_loser_is_orphaned);
    tcase_add_test(tc, test_no_hedge_when_the_answer_comes_first);
    tcase_add_test(tc, test_hedges_stop_at_the_attempts_cap);
    tcase_add_test(tc, test_deadline_ends_a_hedged_call);
    tcase_add_test(tc, test_an_error_reply_ends_a_hedged_call);
    tcase_add_test(tc, test_each_hedged_attempt_goes_through_the_chain);
    tcase_add_test(tc, test_a_refused_hedge_is_not_sent);
    tcase_add_test(tc, test_a_hedge_gets_round_a_hung_replica);
    tcase_add_test(tc, test_a_crashed_caller_cancels_every_hedged_attempt);
    tcase_add_test(tc,
        test_a_hedge_waiting_for_a_bulkhead_permit_is_never_sent);
    suite_add_tcase(s, tc);
    tc = tcase_create("bulkhead");
    tcase_add_test(tc, test_bulkhead_full_refuses_at_once);
    tcase_add_test(tc, test_bulkhead_line_is_served_in_order);
    tcase_add_test(tc, test_bulkhead_refuses_when_max_wait_passes);
    tcase_add_test(tc, test_bulkhead_serves_one_and_refuses_the_next);
    tcase_add_test(tc, test_bulkhead_wait_counts_in_the_timeout);
    tcase_add_test(tc, test_bulkhead_deadline_passes_in_line);
    tcase_add_test(tc, test_bulkhead_refusal_is_retried);
    tcase_add_test(tc, test_breaker_counts_bulkhead_refusals);
    suite_add_tcase(s, tc);
    tc = tcase_create("fallback");
    tcase_add_test(tc, test_fallback_degrades_instead_of_failing);
    tcase_add_test(tc, test_without_fallback_the_error_fails_the_request);
    tcase_add_test(tc, test_fallback_after_a_timeout);
    tcase_add_test(tc, test_fallback_after_a_bulkhead_refusal);
    tcase_add_test(tc, test_failed_beats_degraded);
    tcase_add_test(tc, test_fallback_goes_on_with_the_sequence);
    tcase_add_test(tc, test_degraded_answer_degrades_the_caller);
    suite_add_tcase(s, tc);
    tc = tcase_create("pool");
    tcase_add_test(tc, test_pool_objects_are_distinct_aligned_and_reused);
    tcase_add_test(tc, test_plans_name_each_callee_and_its_replicas);
    tcase_add_test(tc, test_gaps_take_each_edge_with_its_probability);
    suite_add_tcase(s, tc);
    tc = tcase_create("watchdog");
    tcase_add_test(tc, test_deadlock_is_stopped_naming_the_service);
    suite_add_tcase(s, tc);
    tc = tcase_create("scopes");
    tcase_add_test(tc, test_scopes_count_from_0_and_skip_stages_of_publishes);
    tcase_add_test(tc, test_edges_numbered_and_staged_in_file_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
