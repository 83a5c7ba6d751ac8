/*
 * tst_cal.c - the event calendar checked against a reference list
 * (tst_cal.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_err.h"
#include "tst.h"
#include "tst_cal.h"

/* Runs that SIM_ENOMEM may cut short before a check gives up. */
#define RUNS_MAX 1000

static void ref_fire(sim_cal *cal, sim_event *ev);

void tst_cal_init(tst_cal *rc, int cap, int until, unsigned long seed,
                  double (*delay)(sim_cal *, tst_cal *))
{
    memset(rc, 0, sizeof *rc);
    rc->r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rc->r, seed);
    rc->delay = delay;
    rc->ev = malloc((size_t)cap * sizeof *rc->ev);
    rc->time = malloc((size_t)cap * sizeof *rc->time);
    rc->seq = malloc((size_t)cap * sizeof *rc->seq);
    ck_assert(rc->r && rc->ev && rc->time && rc->seq);
    rc->cap = cap;
    rc->until = until;
}

void tst_cal_free(tst_cal *rc)
{
    gsl_rng_free(rc->r);
    free(rc->ev);
    free(rc->time);
    free(rc->seq);
}

void tst_cal_schedule(sim_cal *cal, tst_cal *rc, double delay)
{
    sim_event *ev;

    if (rc->n >= rc->cap)       /* a check's own mistake */
        ck_abort_msg("more than %d events pending", rc->cap);
    if (!(ev = sim_cal_schedule(cal, delay, ref_fire, rc, 0))) {
        rc->bad += !rc->may_fail;
        return;
    }
    rc->ev[rc->n] = ev;
    rc->time[rc->n] = sim_cal_now(cal) + delay;
    rc->seq[rc->n++] = rc->next_seq++;
}

double tst_cal_grid_delay(sim_cal *cal, tst_cal *rc)
{
    (void)cal;
    return 0.25 * (double)gsl_rng_uniform_int(rc->r, 5);
}

double tst_cal_mixed_delay(sim_cal *cal, tst_cal *rc)
{
    double u = gsl_rng_uniform(rc->r);

    if (u < 0.5)
        return -log1p(-gsl_rng_uniform(rc->r));
    if (u < 0.7)
        return 0.25 * (double)gsl_rng_uniform_int(rc->r, 9);
    if (u < 0.8)
        return 0;
    if (u < 0.95 || !rc->outliers)
        return fmax(0, 10 - sim_cal_now(cal));
    return u < 0.99 ? 1e6 * gsl_rng_uniform(rc->r) : INFINITY;
}

static void ref_drop(tst_cal *rc, int i)
{
    rc->n--;
    rc->ev[i] = rc->ev[rc->n];
    rc->time[i] = rc->time[rc->n];
    rc->seq[i] = rc->seq[rc->n];
}

static void ref_fire(sim_cal *cal, sim_event *ev)
{
    tst_cal *rc = ev->obj;
    int i, least = 0, ops;

    for (i = 1; i < rc->n; i++)
        if (rc->time[i] < rc->time[least] || (rc->time[i] == rc->time[least]
                                              && rc->seq[i] < rc->seq[least]))
            least = i;
    if (rc->n == 0 || rc->ev[least] != ev
        || rc->time[least] != sim_cal_now(cal))
        rc->bad++;
    ref_drop(rc, least);
    rc->fired++;
    if (sim_cal_pending(cal) != (size_t)rc->n)
        rc->bad++;
    if (rc->fired >= rc->until) {
        if (rc->fired == rc->until)
            sim_cal_stop(cal);
        return;
    }
    /* Most handlers schedule one event first, as a model's do; then up to
     * two operations of any kind, so that the population does not drift
     * and some handlers schedule nothing. */
    if ((rc->n == 0 || gsl_rng_uniform(rc->r) < 0.9) && rc->n < rc->cap)
        tst_cal_schedule(cal, rc, rc->delay(cal, rc));
    if (rc->grow > 0 && gsl_rng_uniform(rc->r) < rc->grow && rc->n < rc->cap)
        tst_cal_schedule(cal, rc, rc->delay(cal, rc));
    ops = (int)gsl_rng_uniform_int(rc->r, 3);
    while (ops-- > 0) {
        double u = gsl_rng_uniform(rc->r);

        if (u < 0.4 || rc->n <= 1) {
            if (rc->n < rc->cap)
                tst_cal_schedule(cal, rc, rc->delay(cal, rc));
            continue;
        }
        i = (int)gsl_rng_uniform_int(rc->r, (unsigned long)rc->n);
        if (u < 0.7 || rc->may_fail) {
            sim_cal_cancel(cal, rc->ev[i]);
            ref_drop(rc, i);
            if (u >= 0.7)       /* a move, as a cancel and a schedule */
                tst_cal_schedule(cal, rc, rc->delay(cal, rc));
        } else {
            double delay = rc->delay(cal, rc);

            sim_cal_reschedule(cal, rc->ev[i], delay);
            rc->time[i] = sim_cal_now(cal) + delay;
            rc->seq[i] = rc->next_seq++;
        }
    }
    if (sim_cal_pending(cal) != (size_t)rc->n)
        rc->bad++;
}

/* One sim_cal_run(): SIM_OK, or SIM_ENOMEM where rc allows it. */
static int run_once(sim_cal *cal, tst_cal *rc, double until)
{
    int st = sim_cal_run(cal, until);

    /* No ck_assert on a run's way: each one writes to Check's pipe. */
    if (st == SIM_ENOMEM && rc->may_fail && ++rc->enomem <= RUNS_MAX)
        return st;
    if (st != SIM_OK)
        ck_abort_msg("sim_cal_run: %d, %d times out of memory", st,
                     rc->enomem);
    return st;
}

void tst_cal_run(sim_cal *cal, tst_cal *rc, double step)
{
    double horizon = 0;

    while (rc->fired < rc->until) {
        if (sim_cal_pending(cal) == 0)
            ck_abort_msg("empty after %d events", rc->fired);
        run_once(cal, rc, step > 0 ? horizon += step : INFINITY);
    }
    ck_assert_int_eq(rc->fired, rc->until);
    ck_assert_int_eq(rc->bad, 0);
    ck_assert_uint_eq(sim_cal_pending(cal), (size_t)rc->n);
    /* The rest in one run, unless out of memory cuts it short. */
    while (run_once(cal, rc, INFINITY) == SIM_ENOMEM)
        ;
    ck_assert_uint_eq(sim_cal_pending(cal), 0);
    ck_assert_int_eq(rc->bad, 0);
    ck_assert_int_eq(rc->n, 0);
}
