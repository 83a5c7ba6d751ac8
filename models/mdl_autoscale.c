/*
 * mdl_autoscale.c - replicas that follow utilization (see
 * mdl_autoscale.h): a decision every interval, readiness after a delay,
 * scale-downs held back by a cooldown.
 *
 *   on_decide: u over the interval -> desired; scale_to(desired)
 *   scale_to:  up:   slots provisioned .. desired-1 start, each with an
 *                    on_ready event after `delay`
 *              down: starting slots are cancelled newest first, then
 *                    ready ones leave the balancer's range
 *   on_ready:  the oldest starting slot (== ready) joins the range
 */
#include <math.h>
#include <stdlib.h>
#include "../sim/sim_err.h"
#include "mdl_autoscale.h"

static mdl_station *slot(const mdl_autoscaler *a, int k)
{
    return (mdl_station *)((char *)a->st + (size_t)k * a->stride);
}

/* Integral of a time-weighted value from its last reset to now. */
static double integral(const sim_twa *w, double now)
{
    return w->area + w->value * (now - w->last);
}

/* Busy workers of every slot, integrated since the stations' reset. */
static double busy_integral(const mdl_autoscaler *a, double now)
{
    double sum = 0;
    int k;

    for (k = 0; k < a->p->max; k++)
        sum += integral(&slot(a, k)->busy_twa, now);
    return sum;
}

static void set_ready(mdl_autoscaler *a, int ready)
{
    a->ready = ready;
    mdl_balancer_resize(a->lb, ready);
}

static void on_ready(sim_cal *cal, sim_event *ev)
{
    mdl_autoscaler *a = ev->obj;

    (void)cal;
    SIM_INVARIANT(ev->arg == a->ready && a->starting[ev->arg] == ev);
    a->starting[ev->arg] = NULL;
    set_ready(a, a->ready + 1);
}

static void scale_to(mdl_autoscaler *a, int n, double now)
{
    int k;

    if (n == a->provisioned)
        return;
    if (n > a->provisioned) {
        for (k = a->provisioned; k < n; k++)
            if (!(a->starting[k] = sim_cal_schedule(a->cal, a->p->delay,
                                                    on_ready, a, k))) {
                *a->oom = 1;
                sim_cal_stop(a->cal);
                return;
            }
    } else {
        for (k = a->provisioned - 1; k >= n && k >= a->ready; k--) {
            sim_cal_cancel(a->cal, a->starting[k]);
            a->starting[k] = NULL;
        }
        if (n < a->ready)
            set_ready(a, n);
    }
    a->provisioned = n;
    sim_twa_set(&a->replicas, now, n);
    a->last_change = now;
}

static void on_decide(sim_cal *cal, sim_event *ev)
{
    mdl_autoscaler *a = ev->obj;
    double now = sim_cal_now(cal);
    double busy = busy_integral(a, now), span = now - a->t0;
    double u = span > 0 ? (busy - a->busy0) / span / slot(a, 0)->c : 0;
    long want;

    a->busy0 = busy;
    a->t0 = now;
    if (fabs(u / a->ready / a->p->target - 1) > MDL_AUTOSCALE_TOLERANCE) {
        /* A sum that is a whole multiple of the target, up to
         * rounding (a saturated replica: U = 1.0000000001), asks for
         * that multiple. */
        want = (long)ceil(u / a->p->target - 1e-9);
        if (want < a->p->min)
            want = a->p->min;
        if (want > a->p->max)
            want = a->p->max;
        if (want > a->provisioned
            || (want < a->provisioned
                && now - a->last_change >= a->p->cooldown))
            scale_to(a, (int)want, now);
    }
    if (!sim_cal_schedule(cal, a->p->interval, on_decide, a, 0)) {
        *a->oom = 1;
        sim_cal_stop(cal);
    }
}

int mdl_autoscaler_init(mdl_autoscaler *a, const mdl_autoscale_policy *p,
                        mdl_station *st, size_t stride, mdl_balancer *lb)
{
    a->p = p;
    a->st = st;
    a->stride = stride;
    a->lb = lb;
    a->starting = calloc((size_t)p->max, sizeof *a->starting);
    return a->starting ? SIM_OK : SIM_ENOMEM;
}

void mdl_autoscaler_destroy(mdl_autoscaler *a)
{
    free(a->starting);
    a->starting = NULL;
}

void mdl_autoscaler_start(mdl_autoscaler *a, sim_cal *cal, int replicas,
                          int *oom)
{
    int k;

    a->cal = cal;
    a->oom = oom;
    if (replicas < a->p->min)
        replicas = (int)a->p->min;
    if (replicas > a->p->max)
        replicas = (int)a->p->max;
    for (k = 0; k < a->p->max; k++)
        a->starting[k] = NULL;
    a->provisioned = replicas;
    a->replicas.value = replicas;
    sim_twa_reset(&a->replicas, 0.0);
    set_ready(a, replicas);
    a->last_change = 0;
    a->busy0 = a->t0 = 0;
    if (!sim_cal_schedule(cal, a->p->interval, on_decide, a, 0)) {
        *oom = 1;
        sim_cal_stop(cal);
    }
}

void mdl_autoscaler_reset_stats(mdl_autoscaler *a, double now)
{
    sim_twa_reset(&a->replicas, now);
    /* The stations' busy integrals restart now too: so does the
     * interval being measured. */
    a->busy0 = 0;
    a->t0 = now;
}
