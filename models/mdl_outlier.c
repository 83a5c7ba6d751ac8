/*
 * mdl_outlier.c - consecutive-error outlier detection (see
 * mdl_outlier.h).
 *
 * Sweeps happen at every multiple of the interval, as Envoy's interval
 * timer fires from the detector's creation; the engine schedules one
 * only while a sweep has work (a replica ejected, a multiplier above 0),
 * since a sweep without work changes nothing, so an idle detector costs
 * no event.
 */
#include <math.h>
#include <stdlib.h>
#include "../sim/sim_err.h"
#include "mdl_int.h"
#include "mdl_outlier.h"

int mdl_outlier_init(mdl_outlier *o, const mdl_outlier_policy *p,
                     mdl_balancer *lb, int n)
{
    o->p = p;
    o->lb = lb;
    o->n = n;
    o->h = calloc((size_t)n, sizeof *o->h);
    if (!o->h)
        return SIM_ENOMEM;
    mdl_outlier_start(o);
    return SIM_OK;
}

void mdl_outlier_destroy(mdl_outlier *o)
{
    free(o->h);
    o->h = NULL;
}

void mdl_outlier_start(mdl_outlier *o)
{
    int r;

    for (r = 0; r < o->n; r++) {
        o->h[r].count = 0;
        o->h[r].ejected = 0;
        o->h[r].multiplier = 0;
        o->h[r].ejected_at = 0;
        o->h[r].back_at = -INFINITY;
    }
    o->nejected = 0;
    o->ejected_twa.value = 0;
    mdl_outlier_reset_stats(o, 0);
}

void mdl_outlier_reset_stats(mdl_outlier *o, double now)
{
    o->ejections = 0;
    sim_twa_reset(&o->ejected_twa, now);
}

static void set_ejected(mdl_outlier *o, int r, int on, double now)
{
    o->h[r].ejected = on;
    o->nejected += on ? 1 : -1;
    if (o->lb)
        mdl_balancer_eject(o->lb, r, on);
    sim_twa_set(&o->ejected_twa, now, (double)o->nejected / o->n);
}

/* Envoy's ejectHost: within max_percent counting r itself, or the first
 * one when always_eject_one. */
static int eject(mdl_outlier *o, int r, double now)
{
    const mdl_outlier_policy *p = o->p;
    mdl_outlier_host *h = &o->h[r];
    double share = 100.0 * (o->nejected + 1) / o->n;

    if (!(share <= p->max_percent || (p->always_eject_one
                                      && o->nejected == 0)))
        return 0;
    set_ejected(o, r, 1, now);
    h->ejected_at = now;
    if (p->base_ejection * (double)h->multiplier
        < p->max_ejection + p->base_ejection)
        h->multiplier++;
    o->ejections++;
    return 1;
}

int mdl_outlier_result(mdl_outlier *o, int r, int err, double now)
{
    mdl_outlier_host *h = &o->h[r];
    int out;

    if (!err) {
        h->count = 0;
        return 0;
    }
    /* Envoy acts when the count reaches the threshold, not past it. */
    if (++h->count != o->p->consecutive || h->ejected)
        return 0;
    out = eject(o, r, now);
    h->count = 0;               /* ejected or not: a new bout */
    return out;
}

int mdl_outlier_sweep(mdl_outlier *o, double now)
{
    const mdl_outlier_policy *p = o->p;
    int r, more = 0;

    /* min(base x multiplier, max) has passed since the ejection */
    for (r = 0; r < o->n; r++) {
        mdl_outlier_host *h = &o->h[r];
        double len = p->base_ejection * (double)h->multiplier;

        if (!h->ejected)
            continue;
        if (len > p->max_ejection)
            len = p->max_ejection;
        if (len <= now - h->ejected_at) {
            set_ejected(o, r, 0, now);
            h->count = 0;
            h->back_at = now;
        }
    }
    /* In, and back for an interval at least: ejected for less next time. */
    for (r = 0; r < o->n; r++) {
        mdl_outlier_host *h = &o->h[r];

        if (!h->ejected && h->multiplier > 0
            && now - h->back_at >= p->interval)
            h->multiplier--;
        more |= h->ejected || h->multiplier > 0;
    }
    return more;
}

double mdl_outlier_next_sweep(const mdl_outlier *o, double now)
{
    double k = floor(now / o->p->interval) + 1, t = k * o->p->interval;

    return t > now ? t : (k + 1) * o->p->interval;   /* rounding */
}

/* ---- the engine's side ---- */

void mdl__outlier_reached(visit *v, service *sv, int r)
{
    mdl_call *c = v->caller;

    /* The attempt's own arrival at the edge's callee, not a forward of
     * it nor an orphan's. */
    if (c && c->gen == v->caller_gen && c->replica < 0
        && sv->net->t->edges[c->edge].to == sv->idx)
        c->replica = r;
}

void mdl__outlier_refused(mdl_net *net, visit *v, service *sv, int full,
                          double now)
{
    mdl_call *c = v->caller;

    (void)net;
    if (full || !c || c->gen != v->caller_gen || c->replica < 0)
        return;
    /* A 429 is no 5xx: it resets the count, now, and only now. */
    mdl_outlier_result(sv->outlier, c->replica, 0, now);
    c->replica = -1;
}

static void on_sweep(sim_cal *cal, sim_event *ev)
{
    service *sv = ev->obj;
    double now = sim_cal_now(cal);

    if (mdl_outlier_sweep(sv->outlier, now))
        mdl__schedule(sv->net, mdl_outlier_next_sweep(sv->outlier, now)
                      - now, on_sweep, sv, 0);
    else
        sv->sweeping = 0;
}

void mdl__outlier_attempt_end(mdl_net *net, mdl_call *c, int outcome,
                              double now)
{
    service *sv = &net->sv[net->t->edges[c->edge].to];
    int r = c->replica;

    c->replica = -1;
    if (mdl_outlier_result(sv->outlier, r, outcome != MDL_CALL_OK, now)
        && !sv->sweeping) {
        sv->sweeping = 1;
        mdl__schedule(net, mdl_outlier_next_sweep(sv->outlier, now) - now,
                      on_sweep, sv, 0);
    }
}
