/*
 * check_sim.c - unit tests of the kernel: calendar, random streams,
 * statistics collectors and the replication driver.
 */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include "../sim/sim_cal.h"
#include "../sim/sim_err.h"
#include "../sim/sim_rep.h"
#include "../sim/sim_rng.h"
#include "../sim/sim_stat.h"
#include "tst.h"

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

/* A hold model against a sorted reference: random schedules and cancels
 * must fire exactly the surviving events, in (time, seq) order. */
typedef struct hold {
    gsl_rng *r;
    double last;
    long fired, bad;
    sim_event *pending[256];
    int npending;
} hold;

static void hold_fire(sim_cal *cal, sim_event *ev)
{
    hold *h = ev->obj;
    int i;

    if (sim_cal_now(cal) < h->last)
        h->bad++;
    h->last = sim_cal_now(cal);
    h->fired++;
    for (i = 0; i < h->npending; i++)
        if (h->pending[i] == ev) {
            h->pending[i] = h->pending[--h->npending];
            break;
        }
    if (h->fired < 20000) {
        int k, n = 1 + (int)gsl_rng_uniform_int(h->r, 2);
        for (k = 0; k < n && h->npending < 256; k++)
            h->pending[h->npending++] = sim_cal_schedule(
                cal, gsl_rng_uniform(h->r), hold_fire, h, 0);
        if (h->npending > 1 && gsl_rng_uniform(h->r) < 0.4) {
            int j = (int)gsl_rng_uniform_int(h->r, (unsigned long)h->npending);
            sim_cal_cancel(cal, h->pending[j]);
            h->pending[j] = h->pending[--h->npending];
        }
    }
}

START_TEST(test_cal_random_hold_keeps_order)
{
    sim_cal *cal = sim_cal_new();
    hold h;

    memset(&h, 0, sizeof h);
    h.r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(h.r, 2385);
    h.pending[h.npending++] = sim_cal_schedule(cal, 0.5, hold_fire, &h, 0);
    sim_cal_run(cal, INFINITY);
    ck_assert_int_eq(h.bad, 0);
    ck_assert_int_ge(h.fired, 20000);
    ck_assert_int_eq(h.npending, 0);
    ck_assert_uint_eq(sim_cal_pending(cal), 0);
    gsl_rng_free(h.r);
    sim_cal_free(cal);
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

/* ---- statistics ---- */

START_TEST(test_tally_matches_two_pass_formulas)
{
    const double x[] = {2.385, 0.125, 7.75, 3.5, 1.0625, 9.0};
    double mean = 0, var = 0;
    sim_tally t;
    int i;

    sim_tally_reset(&t);
    for (i = 0; i < 6; i++) {
        sim_tally_add(&t, x[i]);
        mean += x[i] / 6;
    }
    for (i = 0; i < 6; i++)
        var += (x[i] - mean) * (x[i] - mean) / 5;
    ck_assert_double_eq_tol(t.mean, mean, 1e-12);
    ck_assert_double_eq_tol(sim_tally_var(&t), var, 1e-12);
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

/* ---- replication driver ---- */

static int rep_values(void *ctx, unsigned rep, double *out)
{
    gsl_rng *r = sim_rng_new(*(unsigned *)ctx, rep, 7);
    int i;

    for (i = 0; i < 5; i++)
        out[i] = gsl_rng_uniform(r) + rep;
    gsl_rng_free(r);
    return SIM_OK;
}

static int rep_fails_at_3(void *ctx, unsigned rep, double *out)
{
    (void)ctx;
    out[0] = rep;
    return rep == 3 ? SIM_ENOMEM : SIM_OK;
}

START_TEST(test_rep_parallel_equals_serial)
{
    unsigned seed = 2385;
    double one[7 * 5], two[7 * 5], three[7 * 5];

    ck_assert_int_eq(sim_rep_run(7, 1, 5, rep_values, &seed, one, NULL,
                                 NULL), SIM_OK);
    ck_assert_int_eq(sim_rep_run(7, 2, 5, rep_values, &seed, two, NULL,
                                 NULL), SIM_OK);
    ck_assert_int_eq(sim_rep_run(7, 3, 5, rep_values, &seed, three, NULL,
                                 NULL), SIM_OK);
    ck_assert_mem_eq(one, two, sizeof one);
    ck_assert_mem_eq(one, three, sizeof one);
    ck_assert(one[5] >= 1.0 && one[5] < 2.0);   /* replication 1's slot */
}
END_TEST

START_TEST(test_rep_reports_a_failed_replication)
{
    double out[6];

    /* sim_rep_run() ends the workers of a failed run with SIGTERM. Check
     * forks this test with its own SIGTERM handler, which the workers
     * inherit and which kills the whole process group, this test
     * included; qmesh installs no handler, so give the workers its
     * default. */
    signal(SIGTERM, SIG_DFL);
    ck_assert_int_eq(sim_rep_run(6, 1, 1, rep_fails_at_3, NULL, out, NULL,
                                 NULL), SIM_ENOMEM);
    ck_assert_int_eq(sim_rep_run(6, 2, 1, rep_fails_at_3, NULL, out, NULL,
                                 NULL), SIM_ENOMEM);
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
    tcase_add_test(tc, test_cal_run_stops_at_horizon);
    tcase_add_test(tc, test_cal_random_hold_keeps_order);
    suite_add_tcase(s, tc);
    tc = tcase_create("rng");
    tcase_add_test(tc, test_rng_streams_are_reproducible_and_distinct);
    suite_add_tcase(s, tc);
    tc = tcase_create("stat");
    tcase_add_test(tc, test_tally_matches_two_pass_formulas);
    tcase_add_test(tc, test_twa_weights_by_time);
    tcase_add_test(tc, test_hist_bins_bound_the_relative_error);
    tcase_add_test(tc, test_hist_quantiles_of_exponential_samples);
    suite_add_tcase(s, tc);
    tc = tcase_create("replications");
    tcase_add_test(tc, test_rep_parallel_equals_serial);
    tcase_add_test(tc, test_rep_reports_a_failed_replication);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
