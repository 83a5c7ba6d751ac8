/*
 * check_sim.c - unit tests of the kernel: calendar, random streams,
 * statistics collectors and the replication driver.
 */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_rng.h>
#include "../sim/sim_cal.h"
#include "../sim/sim_err.h"
#include "../sim/sim_mem.h"
#include "../sim/sim_rep.h"
#include "../sim/sim_rng.h"
#include "../sim/sim_sig.h"
#include "../sim/sim_stat.h"
#include "tst.h"
#include "tst_cal.h"

/* ---- calendar ---- */

typedef struct trace {
    long got[64];
    double at[64];
    int n;
} trace;

static void record(sim_cal *cal, sim_event *ev)
{
    trace *t = ev->obj;

    t->at[t->n] = sim_cal_now(cal);
    t->got[t->n++] = ev->arg;
}

START_TEST(test_cal_fires_in_time_order)
{
    sim_cal *cal = sim_cal_new();
    trace t = {0};
    const double when[] = {2.385, 0.125, 7.5, 0.5, 3.25};
    int i;

    for (i = 0; i < 5; i++)
        sim_cal_schedule(cal, when[i], record, &t, i);
    sim_cal_run(cal, INFINITY);
    ck_assert_int_eq(t.n, 5);
    ck_assert_int_eq(t.got[0], 1);
    ck_assert_int_eq(t.got[1], 3);
    ck_assert_int_eq(t.got[2], 0);
    ck_assert_int_eq(t.got[3], 4);
    ck_assert_int_eq(t.got[4], 2);
    ck_assert_double_eq(t.at[4], 7.5);
    ck_assert_uint_eq(sim_cal_fired(cal), 5);
    sim_cal_free(cal);
}
END_TEST

/* Warming: events of two handlers, one of them warmed. */
typedef struct warm_log {
    long handled;           /* events handled so far */
    long arg[1000];         /* the events warmed, in order */
    long handled_then[1000];
    int n;
} warm_log;

static warm_log wlog;

static void handled(sim_cal *cal, sim_event *ev)
{
    (void)cal;
    (void)ev;
    wlog.handled++;
}

static void handled_too(sim_cal *cal, sim_event *ev)
{
    handled(cal, ev);
}

static void warm(const sim_event *ev)
{
    ck_assert_ptr_eq(ev->obj, &wlog);
    wlog.handled_then[wlog.n] = wlog.handled;
    wlog.arg[wlog.n++] = ev->arg;
}

/* Run n events, at 1, 2, ..., n s, of handled (with mixed, of handled
 * and handled_too in turn), warm set for handled's. */
static void run_warmed(int n, int mixed, sim_warm w)
{
    sim_cal *cal = sim_cal_new();
    int i;

    memset(&wlog, 0, sizeof wlog);
    for (i = 0; i < n; i++)
        sim_cal_schedule(cal, 1.0 + i, mixed && i % 2 ? handled_too : handled,
                         &wlog, i);
    sim_cal_set_warm(cal, handled, w);
    sim_cal_run(cal, INFINITY);
    ck_assert_int_eq(wlog.handled, n);
    sim_cal_free(cal);
}

/* Each event of the warmed handler is warmed while the event before it
 * is handled, and no other is, as long as the heap holds the 7 slots
 * the calendar reads ahead; with a NULL warm, none is. */
START_TEST(test_cal_warms_the_next_event_ahead)
{
    int i;

    /* Event k is handled with 1000 - k pending, itself among them: the
     * next is warmed up to k = 993. Odd events are not the warmed
     * handler's, and event 0 comes after none. */
    run_warmed(1000, 1, warm);
    ck_assert_int_eq(wlog.n, 497);
    for (i = 0; i < wlog.n; i++) {
        ck_assert_int_eq(wlog.arg[i], 2 + 2 * i);
        ck_assert_int_eq(wlog.handled_then[i], wlog.arg[i] - 1);
    }
    /* All of one handler: event 94, the last, is warmed as 93 is handled
     * with 7 pending. */
    run_warmed(100, 0, warm);
    ck_assert_int_eq(wlog.n, 94);
    for (i = 0; i < wlog.n; i++)
        ck_assert_int_eq(wlog.arg[i], i + 1);
    run_warmed(1000, 0, NULL);
    ck_assert_int_eq(wlog.n, 0);
}
END_TEST

START_TEST(test_cal_ties_leave_in_schedule_order)
{
    sim_cal *cal = sim_cal_new();
    trace t = {0};
    int i;

    for (i = 0; i < 20; i++)
        sim_cal_schedule(cal, 1.25, record, &t, i);
    sim_cal_run(cal, INFINITY);
    for (i = 0; i < 20; i++)
        ck_assert_int_eq(t.got[i], i);
    sim_cal_free(cal);
}
END_TEST

START_TEST(test_cal_cancel_removes_only_that_event)
{
    sim_cal *cal = sim_cal_new();
    trace t = {0};
    sim_event *ev[10];
    int i;

    for (i = 0; i < 10; i++)
        ev[i] = sim_cal_schedule(cal, 10.0 - i, record, &t, i);
    sim_cal_cancel(cal, ev[3]);     /* time 7 */
    sim_cal_cancel(cal, ev[9]);     /* time 1: the earliest */
    sim_cal_cancel(cal, ev[0]);     /* time 10: the latest */
    ck_assert_uint_eq(sim_cal_pending(cal), 7);
    sim_cal_run(cal, INFINITY);
    ck_assert_int_eq(t.n, 7);
    for (i = 1; i < t.n; i++)
        ck_assert(t.at[i - 1] <= t.at[i]);
    for (i = 0; i < t.n; i++)
        ck_assert(t.got[i] != 3 && t.got[i] != 9 && t.got[i] != 0);
    sim_cal_free(cal);
}
END_TEST

static void cancel_self(sim_cal *cal, sim_event *ev)
{
    sim_cal_cancel(cal, ev);
}

/* An event that is firing is no longer pending: cancelling it (here from
 * its own handler) would take another event's heap slot. It aborts. */
START_TEST(test_cal_cancel_of_a_fired_event_aborts)
{
    sim_cal *cal = sim_cal_new();
    trace t = {0};

    sim_cal_schedule(cal, 2.0, record, &t, 0);
    sim_cal_schedule(cal, 1.0, cancel_self, NULL, 0);
    sim_cal_run(cal, INFINITY);
    sim_cal_free(cal);
}
END_TEST

START_TEST(test_cal_run_stops_at_horizon)
{
    sim_cal *cal = sim_cal_new();
    trace t = {0};

    sim_cal_schedule(cal, 1.0, record, &t, 1);
    sim_cal_schedule(cal, 5.0, record, &t, 2);
    sim_cal_run(cal, 3.0);
    ck_assert_int_eq(t.n, 1);
    ck_assert_double_eq(sim_cal_now(cal), 3.0);
    ck_assert_uint_eq(sim_cal_pending(cal), 1);
    sim_cal_run(cal, 10.0);
    ck_assert_int_eq(t.n, 2);
    ck_assert_double_eq(sim_cal_now(cal), 10.0);
    sim_cal_free(cal);
}
END_TEST

static void record_before(sim_cal *cal, sim_event *ev)
{
    trace *t = ev->obj;

    t->at[t->n++] = sim_cal_before(cal);
}

/* What fired last before each event: the same instant, or an earlier. */
START_TEST(test_cal_before_is_the_previous_event_time)
{
    sim_cal *cal = sim_cal_new();
    trace t = {0};

    sim_cal_schedule(cal, 1.25, record_before, &t, 1);
    sim_cal_schedule(cal, 1.25, record_before, &t, 2);
    sim_cal_schedule(cal, 3.875, record_before, &t, 3);
    sim_cal_schedule(cal, 4.5, record_before, &t, 4);
    sim_cal_run(cal, 10.0);
    ck_assert_int_eq(t.n, 4);
    ck_assert_double_eq(t.at[0], 0.0);
    ck_assert_double_eq(t.at[1], 1.25);
    ck_assert_double_eq(t.at[2], 1.25);
    ck_assert_double_eq(t.at[3], 3.875);
    sim_cal_free(cal);
}
END_TEST

/* An event that puts itself back at the same instant: time stands still. */
static void again(sim_cal *cal, sim_event *ev)
{
    long *n = ev->obj;

    (*n)++;
    sim_cal_schedule(cal, 0.0, again, n, 0);
}

START_TEST(test_cal_stall_is_reported_and_can_run_on)
{
    sim_cal *cal = sim_cal_new();
    long n = 0;
    int i;

    sim_cal_set_stall_limit(cal, 1000);
    for (i = 0; i < 40; i++)        /* 40 pending: 64 * 40 events count */
        sim_cal_schedule(cal, 2.385, again, &n, 0);
    ck_assert_int_eq(sim_cal_run(cal, 10.0), SIM_ESTALL);
    ck_assert_double_eq(sim_cal_now(cal), 2.385);
    /* 64 x 40 = 2560 events at 2.385 count, checked every 1024: 3072. */
    ck_assert_int_eq(n, 3072);
    ck_assert_int_eq(sim_cal_run(cal, 10.0), SIM_ESTALL);
    ck_assert_int_eq(n, 2 * 3072 - 1);      /* re-armed: as many again */
    sim_cal_free(cal);
}
END_TEST

START_TEST(test_cal_wide_burst_is_not_a_stall)
{
    sim_cal *cal = sim_cal_new();
    trace t = {0};
    int i;

    sim_cal_set_stall_limit(cal, 10);
    for (i = 0; i < 60; i++)        /* 60 at one instant, 10 is the limit */
        sim_cal_schedule(cal, 1.5, record, &t, i);
    ck_assert_int_eq(sim_cal_run(cal, 10.0), SIM_OK);
    ck_assert_int_eq(t.n, 60);
    sim_cal_free(cal);
}
END_TEST

START_TEST(test_cal_stop_request_interrupts_a_run)
{
    sim_cal *cal = sim_cal_new();
    trace t = {0};

    sim_cal_schedule(cal, 1.0, record, &t, 1);
    sim_sig_caught = SIGINT;
    ck_assert_int_eq(sim_cal_run(cal, 10.0), SIM_EINTR);
    sim_sig_caught = 0;
    ck_assert_int_eq(t.n, 0);
    ck_assert_int_eq(sim_cal_run(cal, 10.0), SIM_OK);   /* runs on */
    ck_assert_int_eq(t.n, 1);
    sim_cal_free(cal);
}
END_TEST

/* Handlers that schedule, cancel and move events, in any order, fire
 * as a sorted list would (tst_cal.h). */
START_TEST(test_cal_handler_operations_fire_as_a_sorted_list)
{
    sim_cal *cal = sim_cal_new();
    tst_cal rc;
    int i;

    tst_cal_init(&rc, 128, 5000, 7, tst_cal_grid_delay);
    for (i = 0; i < 64; i++)      /* a heap six levels deep */
        tst_cal_schedule(cal, &rc, 0.25 * (double)(i % 5));
    tst_cal_run(cal, &rc, 0);
    tst_cal_free(&rc);
    sim_cal_free(cal);
}
END_TEST

/* The same with thousands of pending events, most of which the calendar
 * keeps out of its heap, in its rungs; run to horizons that fall
 * between events, as a model's windows do. */
START_TEST(test_cal_thousands_pending_fire_as_a_sorted_list)
{
    int outliers, i;

    for (outliers = 0; outliers <= 1; outliers++) {
        sim_cal *cal = sim_cal_new();
        tst_cal rc;

        tst_cal_init(&rc, 6000, 40000, 13, tst_cal_mixed_delay);
        rc.outliers = outliers;
        for (i = 0; i < 3000; i++)
            tst_cal_schedule(cal, &rc, tst_cal_mixed_delay(cal, &rc));
        tst_cal_run(cal, &rc, 0.37);
        tst_cal_free(&rc);
        sim_cal_free(cal);
    }
}
END_TEST

/* Moving a pending event in place fires exactly as cancelling it and
 * scheduling a new one would, ties included: two calendars take the same
 * random operations (times on a coarse grid, so that many tie), one
 * moving events, the other replacing them, and fire the same events in
 * the same order. */
START_TEST(test_cal_reschedule_fires_as_cancel_and_schedule)
{
    sim_cal *cal[2] = { sim_cal_new(), sim_cal_new() };
    trace t[2];
    sim_event *ev[2][16];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    int i, k, round;

    memset(t, 0, sizeof t);
    gsl_rng_set(r, 11);
    for (i = 0; i < 16; i++)
        for (k = 0; k < 2; k++)
            ev[k][i] = sim_cal_schedule(cal[k], 0.25 * (double)(i % 5),
                                        record, &t[k], i);
    for (round = 0; round < 40; round++) {
        int j = (int)gsl_rng_uniform_int(r, 16);
        double dt = 0.25 * (double)gsl_rng_uniform_int(r, 6);

        sim_cal_reschedule(cal[0], ev[0][j], dt);
        sim_cal_cancel(cal[1], ev[1][j]);
        ev[1][j] = sim_cal_schedule(cal[1], dt, record, &t[1], j);
    }
    ck_assert_uint_eq(sim_cal_pending(cal[0]), 16);
    for (k = 0; k < 2; k++)
        sim_cal_run(cal[k], INFINITY);
    ck_assert_int_eq(t[0].n, 16);
    ck_assert_int_eq(t[1].n, 16);
    for (i = 0; i < 16; i++) {
        ck_assert_int_eq(t[0].got[i], t[1].got[i]);
        ck_assert_double_eq(t[0].at[i], t[1].at[i]);
    }
    gsl_rng_free(r);
    for (k = 0; k < 2; k++)
        sim_cal_free(cal[k]);
}
END_TEST

/* ---- random streams ---- */

START_TEST(test_rng_streams_are_reproducible_and_distinct)
{
    gsl_rng *a = sim_rng_new(42, 3, sim_rng_id("service:cart"));
    gsl_rng *b = sim_rng_new(42, 3, sim_rng_id("service:cart"));
    gsl_rng *c = sim_rng_new(42, 4, sim_rng_id("service:cart"));
    gsl_rng *d = sim_rng_new(42, 3, sim_rng_id("service:cars"));
    int i, same_c = 0, same_d = 0;

    for (i = 0; i < 1000; i++) {
        unsigned long x = gsl_rng_get(a);
        ck_assert_uint_eq(x, gsl_rng_get(b));
        same_c += x == gsl_rng_get(c);
        same_d += x == gsl_rng_get(d);
    }
    ck_assert_int_lt(same_c, 3);
    ck_assert_int_lt(same_d, 3);
    ck_assert(sim_rng_seed(1, 0, 0) != sim_rng_seed(0, 1, 0));
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
    gsl_rng_free(d);
}
END_TEST

/* A generator kept in its owner's memory draws what an allocated one of
 * the same stream draws, and again after seeding it anew. */
START_TEST(test_rng_slot_draws_as_an_allocated_generator)
{
    sim_rng_slot slot;
    int rep, i;

    sim_rng_slot_init(&slot);
    for (rep = 0; rep < 2; rep++) {
        gsl_rng *a = sim_rng_new(42, (uint64_t)rep, sim_rng_id("route:cart"));

        sim_rng_slot_seed(&slot, 42, (uint64_t)rep, sim_rng_id("route:cart"));
        for (i = 0; i < 1000; i++)
            ck_assert_uint_eq(gsl_rng_get(&slot.r), gsl_rng_get(a));
        gsl_rng_free(a);
    }
}
END_TEST

/* ---- statistics ---- */

/* Binary fractions: the sums are exact, so the mean is to the last bit. */
START_TEST(test_tally_counts_and_means)
{
    const double x[] = {2.375, 0.125, 7.75, 3.5, 1.0625, 9.0};
    sim_tally t;
    int i;

    sim_tally_reset(&t);
    ck_assert(isnan(sim_tally_mean(&t)));
    for (i = 0; i < 6; i++)
        sim_tally_add(&t, x[i]);
    ck_assert_double_eq(t.n, 6);
    ck_assert_double_eq(t.sum, 23.8125);
    ck_assert_double_eq(sim_tally_mean(&t), 23.8125 / 6);
}
END_TEST

START_TEST(test_twa_weights_by_time)
{
    sim_twa w = {0};

    sim_twa_reset(&w, 0.0);
    sim_twa_set(&w, 1.0, 3.0);      /* 0 on [0,1) */
    sim_twa_set(&w, 2.5, 1.0);      /* 3 on [1,2.5) */
    /* 1 on [2.5,4): area 0 + 4.5 + 1.5 = 6 over 4 s */
    ck_assert_double_eq_tol(sim_twa_mean(&w, 4.0), 1.5, 1e-12);
    sim_twa_reset(&w, 4.0);         /* keeps the value 1 */
    ck_assert_double_eq_tol(sim_twa_mean(&w, 6.0), 1.0, 1e-12);
}
END_TEST

START_TEST(test_hist_bins_bound_the_relative_error)
{
    double x;

    for (x = 1.7e-9; x < 1e9; x *= 1.37) {
        size_t b = sim_hist_bin(x);
        double lo = sim_hist_lower(b), hi = sim_hist_upper(b);
        ck_assert(lo <= x && x < hi);
        ck_assert((hi - lo) / lo <= 1.0 / SIM_HIST_SUB + 1e-12);
    }
    ck_assert_uint_eq(sim_hist_bin(0.0), 0);
    ck_assert_uint_eq(sim_hist_bin(-1.0), 0);
    ck_assert_uint_eq(sim_hist_bin(1e300), SIM_HIST_BINS - 1);
}
END_TEST

/* Quantiles of exponential samples against -ln(1-p)/rate, within the
 * bin's 0.4% plus the sampling error of the order statistic. */
START_TEST(test_hist_quantiles_of_exponential_samples)
{
    static sim_hist h;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    const double p[] = {0.5, 0.9, 0.99};
    int i;

    gsl_rng_set(r, 2385);
    sim_hist_reset(&h);
    for (i = 0; i < 2000000; i++)
        sim_hist_add(&h, -0.02385 * log1p(-gsl_rng_uniform(r)));
    for (i = 0; i < 3; i++) {
        double want = -0.02385 * log(1 - p[i]);
        ck_assert_double_eq_tol(sim_hist_quantile(&h, p[i]), want,
                                0.01 * want);
    }
    ck_assert(isnan(sim_hist_quantile_counts(h.count, 0, 0.5)));
    gsl_rng_free(r);
}
END_TEST

/* sim_hist_within() inverts the reading inside a bin: the share of
 * values at or below a quantile, counted with it, is p again. */
START_TEST(test_hist_within_inverts_the_quantile)
{
    static sim_hist h;
    const double x[] = {0.002385, 0.0031, 0.0031, 0.0047, 0.0139, 0.0139,
                        0.0139, 0.2385};
    const double p[] = {0.1, 0.375, 0.5, 0.8, 0.95};
    size_t i, b;

    sim_hist_reset(&h);
    for (i = 0; i < sizeof x / sizeof *x; i++)
        sim_hist_add(&h, x[i]);
    for (i = 0; i < sizeof p / sizeof *p; i++) {
        double q = sim_hist_quantile(&h, p[i]), below = 0;
        size_t bq = sim_hist_bin(q);
        for (b = 0; b < bq; b++)
            below += (double)h.count[b];
        below += sim_hist_within(q) * (double)h.count[bq];
        ck_assert_double_eq_tol(below / (double)h.n, p[i], 1e-9);
    }
    /* a bin's lower edge is 0 into it; 1.5 + 1/256 is half way into
     * [1.5, 1.5 + 1/128); the top bin has no width */
    ck_assert_double_eq(sim_hist_within(1.5), 0.0);
    ck_assert_double_eq_tol(sim_hist_within(1.5 + 0.5 / 128), 0.5, 1e-12);
    ck_assert_double_eq(sim_hist_within(1e300), 0.0);
    ck_assert_double_eq(sim_hist_within(0.0), 0.0);
}
END_TEST

/* ---- replication driver ---- */

static int rep_values(void *ctx, unsigned rep, double *out, sim_diag *d)
{
    gsl_rng *r = sim_rng_new(*(unsigned *)ctx, rep, 7);
    int i;

    (void)d;
    for (i = 0; i < 5; i++)
        out[i] = gsl_rng_uniform(r) + rep;
    gsl_rng_free(r);
    return SIM_OK;
}

static int rep_fails_at_3(void *ctx, unsigned rep, double *out, sim_diag *d)
{
    (void)ctx;
    out[0] = rep;
    if (rep != 3)
        return SIM_OK;
    sim_diag_set(d, "m.yaml", 0, 0, "replication %u stalled", rep);
    return SIM_ESTALL;
}

static void rep_setup(sim_rep *r, unsigned nreps, unsigned jobs, size_t len,
                      sim_rep_fn fn, void *ctx, double *out,
                      unsigned char *done)
{
    memset(r, 0, sizeof *r);
    r->nreps = nreps;
    r->jobs = jobs;
    r->len = len;
    r->fn = fn;
    r->ctx = ctx;
    r->results = out;
    r->done = done;
}

START_TEST(test_rep_parallel_equals_serial)
{
    unsigned seed = 2385, jobs;
    double one[7 * 5], other[7 * 5];
    unsigned char done[7];
    sim_rep r;

    rep_setup(&r, 7, 1, 5, rep_values, &seed, one, done);
    ck_assert_int_eq(sim_rep_run(&r), SIM_OK);
    ck_assert_uint_eq(r.ndone, 7);
    for (jobs = 2; jobs <= 3; jobs++) {
        rep_setup(&r, 7, jobs, 5, rep_values, &seed, other, done);
        ck_assert_int_eq(sim_rep_run(&r), SIM_OK);
        ck_assert_uint_eq(r.ndone, 7);
        ck_assert_mem_eq(one, other, sizeof one);
    }
    ck_assert(one[5] >= 1.0 && one[5] < 2.0);   /* replication 1's slot */
}
END_TEST

/* Every replication's values land in one buffer; finished() copies each
 * out before the next is stored: what it copies is what a run with a
 * slot per replication holds. */
typedef struct shared_rep {
    const double *buf;
    double got[7 * 5];
} shared_rep;

static void copy_out(void *ctx, unsigned rep)
{
    shared_rep *x = ctx;

    memcpy(x->got + rep * 5, x->buf, 5 * sizeof *x->buf);
}

START_TEST(test_rep_replications_may_share_one_buffer)
{
    unsigned seed = 2385, jobs;
    double one[7 * 5], buf[5];
    double *const out[7] = {buf, buf, buf, buf, buf, buf, buf};
    unsigned char done[7];
    shared_rep x;
    sim_rep r;

    rep_setup(&r, 7, 1, 5, rep_values, &seed, one, done);
    ck_assert_int_eq(sim_rep_run(&r), SIM_OK);
    for (jobs = 1; jobs <= 3; jobs++) {
        memset(&x, 0, sizeof x);
        x.buf = buf;
        rep_setup(&r, 7, jobs, 5, rep_values, &seed, NULL, done);
        r.out = out;
        r.finished = copy_out;
        r.finished_ctx = &x;
        ck_assert_int_eq(sim_rep_run(&r), SIM_OK);
        ck_assert_mem_eq(one, x.got, sizeof one);
    }
}
END_TEST

START_TEST(test_rep_reports_a_failed_replication_with_its_message)
{
    double out[6];
    unsigned char done[6];
    unsigned jobs;
    sim_rep r;

    for (jobs = 1; jobs <= 2; jobs++) {
        rep_setup(&r, 6, jobs, 1, rep_fails_at_3, NULL, out, done);
        ck_assert_int_eq(sim_rep_run(&r), SIM_ESTALL);
        ck_assert_str_eq(r.diag.msg, "replication 3 stalled");
        ck_assert_str_eq(r.diag.file, "m.yaml");
        ck_assert_int_eq(done[3], 0);
    }
}
END_TEST

static int rep_all_fail(void *ctx, unsigned rep, double *out, sim_diag *d)
{
    (void)ctx;
    (void)out;
    sim_diag_set(d, "m.yaml", 0, 0, "replication %u stalled", rep);
    return SIM_ESTALL;
}

/* Every worker fails at once: the parent keeps the first message it
 * read whole, never the empty one of a record the kill cut short. */
START_TEST(test_rep_keeps_a_whole_message_when_all_fail)
{
    double out[4];
    unsigned char done[4];
    int i;
    sim_rep r;

    for (i = 0; i < 40; i++) {
        rep_setup(&r, 4, 4, 1, rep_all_fail, NULL, out, done);
        ck_assert_int_eq(sim_rep_run(&r), SIM_ESTALL);
        ck_assert_msg(!strncmp(r.diag.msg, "replication ", 12),
                      "run %d: message '%s'", i, r.diag.msg);
    }
}
END_TEST

/* A stop request during replication 2: it finishes, no other starts. */
static int rep_stops_at_2(void *ctx, unsigned rep, double *out, sim_diag *d)
{
    (void)ctx;
    (void)d;
    out[0] = rep + 0.5;
    if (rep == 2)
        sim_sig_caught = SIGINT;
    return SIM_OK;
}

START_TEST(test_rep_stop_request_keeps_finished_replications)
{
    double out[6];
    unsigned char done[6];
    sim_rep r;

    rep_setup(&r, 6, 1, 1, rep_stops_at_2, NULL, out, done);
    ck_assert_int_eq(sim_rep_run(&r), SIM_EINTR);
    sim_sig_caught = 0;
    ck_assert_uint_eq(r.ndone, 3);
    ck_assert(done[0] && done[1] && done[2] && !done[3] && !done[4]);
    ck_assert_double_eq(out[2], 2.5);
}
END_TEST

/* A worker that signals its parent at replication 4 and then hangs: the
 * parent stops, kills it and keeps what the others sent. */
static int rep_signals_parent(void *ctx, unsigned rep, double *out,
                              sim_diag *d)
{
    (void)ctx;
    (void)d;
    out[0] = rep + 0.25;
    if (rep == 4) {
        kill(getppid(), SIGTERM);
        pause();
    }
    return SIM_OK;
}

START_TEST(test_rep_signal_stops_workers_and_keeps_records)
{
    double out[9];
    unsigned char done[9];
    unsigned i;
    sim_rep r;

    ck_assert_int_eq(sim_sig_catch(), 0);
    rep_setup(&r, 9, 2, 1, rep_signals_parent, NULL, out, done);
    ck_assert_int_eq(sim_rep_run(&r), SIM_EINTR);
    ck_assert_int_eq(sim_sig_caught, SIGTERM);
    sim_sig_caught = 0;
    sim_sig_default();
    ck_assert_int_eq(done[4], 0);
    ck_assert_uint_lt(r.ndone, 9);
    for (i = 0; i < 9; i++)
        if (done[i])
            ck_assert_double_eq(out[i], i + 0.25);
}
END_TEST

/* Alive and not a zombie waiting for its reaper. */
static int process_runs(pid_t pid)
{
    char path[64], buf[256], *p;
    FILE *f;
    size_t n;

    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if (!(f = fopen(path, "r")))
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

static int report_fd = -1;

static int rep_reports_and_sleeps(void *ctx, unsigned rep, double *out,
                                  sim_diag *d)
{
    pid_t self = getpid();

    (void)ctx;
    (void)d;
    (void)out;
    (void)rep;
    if (write(report_fd, &self, sizeof self) != sizeof self)
        return SIM_EIO;
    sleep(60);
    return SIM_OK;
}

START_TEST(test_rep_workers_die_with_their_parent)
{
    int p[2], i, wst;
    pid_t parent, workers[2];

    ck_assert_int_eq(pipe(p), 0);
    parent = fork();
    ck_assert_int_ge(parent, 0);
    if (parent == 0) {
        double out[2];
        unsigned char done[2];
        sim_rep r;
        close(p[0]);
        report_fd = p[1];
        rep_setup(&r, 2, 2, 1, rep_reports_and_sleeps, NULL, out, done);
        sim_rep_run(&r);
        _exit(0);
    }
    close(p[1]);
    for (i = 0; i < 2; i++)
        ck_assert_int_eq(read(p[0], &workers[i], sizeof workers[i]),
                         sizeof workers[i]);
    close(p[0]);
    kill(parent, SIGKILL);
    waitpid(parent, &wst, 0);
    for (i = 0; i < 200 && (process_runs(workers[0])
                            || process_runs(workers[1])); i++)
        usleep(10000);
    ck_assert_msg(!process_runs(workers[0]) && !process_runs(workers[1]),
                  "workers outlive their killed parent");
}
END_TEST

/* The VmFlags of the mapping that holds p, from /proc/self/smaps; ""
 * when that file cannot be read or does not list them. */
static void vm_flags(const void *p, char *out, size_t len)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    int inside = 0;

    out[0] = '\0';
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;

        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
            inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(out, len, "%s", line + 8);
            break;
        }
    }
    fclose(f);
}

/* Can this process have transparent huge pages at all? A kernel built
 * without them refuses the advice; a parent may have turned them off. */
static int thp_possible(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int on = access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK)
             == 0;

    while (on && f && fgets(line, sizeof line, f))
        if (strncmp(line, "THP_enabled:", 12) == 0)
            on = atoi(line + 12) != 0;
    if (f)
        fclose(f);
    return on;
}

START_TEST(test_mem_blocks_are_zeroed_aligned_and_large_ones_huge)
{
    const size_t sizes[] = { 0, 1, 100, 4096, SIM_MEM_HUGE - SIM_MEM_LINE,
                             SIM_MEM_HUGE - SIM_MEM_LINE + 1,
                             3 * SIM_MEM_HUGE + 5 };
    size_t i, k;
    int thp = thp_possible();

    for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned char *p = sim_mem_calloc(1, sizes[i]);
        char flags[512];
        int huge, want;

        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % SIM_MEM_LINE, 0);
        for (k = 0; k < sizes[i]; k++)
            if (p[k])
                ck_abort_msg("byte %zu of %zu is %d", k, sizes[i], p[k]);
        memset(p, 0xab, sizes[i]);
        vm_flags(p, flags, sizeof flags);
        /* "hg": advised with MADV_HUGEPAGE. A block from malloc()'s
         * heap must not be: advice there would reach other objects. */
        huge = strstr(flags, " hg") != NULL;
        want = SIM_MEM_MAPS && sizes[i] + SIM_MEM_LINE >= SIM_MEM_HUGE;
        if (flags[0] && (thp || !want))
            ck_assert_msg(huge == want, "%zu bytes: VmFlags%s", sizes[i],
                          flags);
        sim_mem_free(p);
    }
    ck_assert_ptr_null(sim_mem_calloc(SIZE_MAX / 2, 4));
    ck_assert_ptr_null(sim_mem_calloc(1, SIZE_MAX - SIM_MEM_HUGE));
    sim_mem_free(NULL);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc;

    tc = tcase_create("calendar");
    tcase_add_test(tc, test_cal_fires_in_time_order);
    tcase_add_test(tc, test_cal_ties_leave_in_schedule_order);
    tcase_add_test(tc, test_cal_cancel_removes_only_that_event);
    tcase_add_test(tc, test_cal_reschedule_fires_as_cancel_and_schedule);
    tcase_add_test_raise_signal(tc, test_cal_cancel_of_a_fired_event_aborts,
                                SIGABRT);
    tcase_add_test(tc, test_cal_run_stops_at_horizon);
    tcase_add_test(tc, test_cal_before_is_the_previous_event_time);
    tcase_add_test(tc, test_cal_handler_operations_fire_as_a_sorted_list);
    tcase_add_test(tc, test_cal_thousands_pending_fire_as_a_sorted_list);
    tcase_add_test(tc, test_cal_stall_is_reported_and_can_run_on);
    tcase_add_test(tc, test_cal_wide_burst_is_not_a_stall);
    tcase_add_test(tc, test_cal_stop_request_interrupts_a_run);
    tcase_add_test(tc, test_cal_warms_the_next_event_ahead);
    suite_add_tcase(s, tc);
    tc = tcase_create("rng");
    tcase_add_test(tc, test_rng_streams_are_reproducible_and_distinct);
    tcase_add_test(tc, test_rng_slot_draws_as_an_allocated_generator);
    suite_add_tcase(s, tc);
    tc = tcase_create("stat");
    tcase_add_test(tc, test_tally_counts_and_means);
    tcase_add_test(tc, test_twa_weights_by_time);
    tcase_add_test(tc, test_hist_bins_bound_the_relative_error);
    tcase_add_test(tc, test_hist_quantiles_of_exponential_samples);
    tcase_add_test(tc, test_hist_within_inverts_the_quantile);
    suite_add_tcase(s, tc);
    tc = tcase_create("memory");
    tcase_add_test(tc, test_mem_blocks_are_zeroed_aligned_and_large_ones_huge);
    suite_add_tcase(s, tc);
    tc = tcase_create("replications");
    tcase_add_test(tc, test_rep_parallel_equals_serial);
    tcase_add_test(tc, test_rep_replications_may_share_one_buffer);
    tcase_add_test(tc, test_rep_reports_a_failed_replication_with_its_message);
    tcase_add_test(tc, test_rep_keeps_a_whole_message_when_all_fail);
    tcase_add_test(tc, test_rep_stop_request_keeps_finished_replications);
    tcase_add_test(tc, test_rep_signal_stops_workers_and_keeps_records);
    tcase_add_test(tc, test_rep_workers_die_with_their_parent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
