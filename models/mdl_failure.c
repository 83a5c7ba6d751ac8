/*
 * mdl_failure.c - the failures of a scenario, switched on and off over
 * their windows of simulated time (mdl_scenario.h, `failures:`).
 *
 *   slow       the replicas' stations take factor times as long for each
 *              piece of work started in the window (mdl_station.slow);
 *              overlapping slow-downs multiply.
 *   error      a visit that leaves one of the replicas in the window
 *              answers with an error with probability p (its work done);
 *              of overlapping windows the latest begun holds.
 *   partition  an attempt on the edge in the window fails at once with an
 *              error, as a refused connection does in Envoy.
 *   crash      the replicas are down: a visit arriving is refused with an
 *              error (a refused connection), and the visits they hold
 *              fail at once with an error, their work dropped and their
 *              own calls abandoned (the callees go on as orphans).
 *   hang       the replicas accept visits and answer none: work in
 *              progress stops, arrivals are held, answers from callees
 *              are kept unread. Only a caller's timeout gets it out. At
 *              the end of the window the replicas restart: what they
 *              hold fails with an error, as connections reset do.
 *   updown     each replica, independently, is up for a time drawn from
 *              mttf, then down (as in a crash) for a time drawn from
 *              mttr, and so on; up at the start of the window, and up
 *              again at its end.
 *
 * A replica is up when no crash, hang or updown holds it down; the
 * service's `up` is the time average of the share of its replicas up.
 * Each windowed failure is two events, its start and (for a finite
 * window) its end; a window starting at 0 is in force before the first
 * request. Random streams: per service, `fail` draws the errors and
 * `updown` the times up and down.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "mdl_int.h"

/* One replica under an updown failure. */
struct updown {
    replica *r;
    const mdl_failure *f;
    int down;               /* down by this failure */
    sim_event *ev;          /* its next flip */
};

/* The replicas a failure strikes: the first k, or all. */
static int nstruck(const service *sv, const mdl_failure *f)
{
    return f->replicas > 0 && f->replicas < sv->nrep ? (int)f->replicas
                                                     : sv->nrep;
}

static void count_up(replica *r, int delta, double now)
{
    service *sv = r->sv;

    sim_twa_set(&sv->up, now, sv->up.value + delta);
}

/* Fail every visit r holds now, oldest first. Visits that arrive
 * meanwhile (a bulkhead lets a waiting call go as another ends) join
 * the list at its head, and are not among them. */
static void fail_held(mdl_net *net, replica *r, double now)
{
    visit *v = r->held, *newest = r->held, *prev;

    while (v && v->rnext)
        v = v->rnext;
    for (; v; v = prev) {
        prev = v == newest ? NULL : v->rprev;
        mdl__visit_fail(net, v, now);
    }
}

/* r goes down (crash) or hangs; *count is r->down or r->hung. */
static void fault_on(mdl_net *net, replica *r, int *count, double now)
{
    visit *v;

    if (!r->down && !r->hung)
        count_up(r, -1, now);
    if ((*count)++ > 0)
        return;
    if (count == &r->down) {
        fail_held(net, r, now);
        return;
    }
    /* A hung replica stops working: its work leaves the station (its
     * worker with it), and stays with the visit, unanswered. The line
     * first, so that no worker set free starts a piece meanwhile. */
    for (v = r->held; v; v = v->rnext)
        if (v->w.state == MDL_WORK_QUEUED)
            mdl_station_remove(&r->st, &v->w, now);
    for (v = r->held; v; v = v->rnext)
        mdl_station_remove(&r->st, &v->w, now);
}

static void fault_off(mdl_net *net, replica *r, int *count, double now)
{
    if (--*count == 0 && count == &r->hung)
        fail_held(net, r, now);     /* it restarts */
    if (!r->down && !r->hung)
        count_up(r, 1, now);
}

static void on_flip(sim_cal *cal, sim_event *ev)
{
    struct updown *u = ev->obj;
    mdl_net *net = u->r->sv->net;
    double now = sim_cal_now(cal);

    u->down = !u->down;
    if (u->down)
        fault_on(net, u->r, &u->r->down, now);
    else
        fault_off(net, u->r, &u->r->down, now);
    u->ev = mdl__schedule(net, mdl_dist_sample(u->down ? &u->f->mttr
                                                       : &u->f->mttf,
                                               u->r->sv->updown_rng),
                          on_flip, u, 0);
}

/* The updown states of failure f, in net->ud. */
static struct updown *updowns_of(mdl_net *net, const mdl_failure *f)
{
    const mdl_failure *g;
    size_t k = 0;

    for (g = net->s->failures; g < f; g++)
        if (g->mode == MDL_FAIL_UPDOWN)
            k += (size_t)nstruck(&net->sv[g->service], g);
    return net->ud + k;
}

static void apply(mdl_net *net, const mdl_failure *f, int on, double now)
{
    service *sv = f->service >= 0 ? &net->sv[f->service] : NULL;
    struct updown *u;
    int r;

    switch (f->mode) {
    case MDL_FAIL_SLOW:
        for (r = 0; r < nstruck(sv, f); r++) {
            replica *rp = &sv->rep[r];
            if (on) {
                rp->nslow++;
                rp->st.slow *= f->factor;
            } else if (--rp->nslow == 0) {
                rp->st.slow = 1.0;      /* exactly, whatever rounding */
            } else {
                rp->st.slow /= f->factor;
            }
        }
        break;
    case MDL_FAIL_ERROR:
        for (r = 0; r < nstruck(sv, f); r++) {
            sv->rep[r].err_p = on ? f->p : 0;
            mdl__replica_cold(net, &sv->rep[r]);
        }
        break;
    case MDL_FAIL_PARTITION:
        net->es[f->edge].partitioned += on ? 1 : -1;
        break;
    case MDL_FAIL_CRASH:
    case MDL_FAIL_HANG:
        for (r = 0; r < nstruck(sv, f); r++) {
            replica *rp = &sv->rep[r];
            int *count = f->mode == MDL_FAIL_CRASH ? &rp->down : &rp->hung;
            if (on)
                fault_on(net, rp, count, now);
            else
                fault_off(net, rp, count, now);
        }
        break;
    case MDL_FAIL_UPDOWN:
        u = updowns_of(net, f);
        for (r = 0; r < nstruck(sv, f); r++, u++) {
            if (on) {
                u->down = 0;
                u->ev = mdl__schedule(net, mdl_dist_sample(&f->mttf,
                                                           sv->updown_rng),
                                      on_flip, u, 0);
                continue;
            }
            if (u->ev)
                sim_cal_cancel(net->cal, u->ev);
            u->ev = NULL;
            if (u->down)
                fault_off(net, u->r, &u->r->down, now);
            u->down = 0;
        }
        break;
    }
}

static void on_start(sim_cal *cal, sim_event *ev)
{
    mdl_net *net = ev->obj;

    apply(net, &net->s->failures[ev->arg], 1, sim_cal_now(cal));
}

static void on_end(sim_cal *cal, sim_event *ev)
{
    mdl_net *net = ev->obj;

    apply(net, &net->s->failures[ev->arg], 0, sim_cal_now(cal));
}

int mdl__failures_build(mdl_net *net)
{
    size_t i, n = 0;
    int r;

    for (i = 0; i < net->s->nfailures; i++) {
        const mdl_failure *f = &net->s->failures[i];
        if (f->mode == MDL_FAIL_CRASH || f->mode == MDL_FAIL_HANG
            || f->mode == MDL_FAIL_UPDOWN)
            net->track = net->sv[f->service].faulty = 1;
        if (f->mode == MDL_FAIL_UPDOWN)
            n += (size_t)nstruck(&net->sv[f->service], f);
    }
    if (n == 0)
        return SIM_OK;
    if (!(net->ud = calloc(n, sizeof *net->ud)))
        return SIM_ENOMEM;
    for (i = 0; i < net->s->nfailures; i++) {
        const mdl_failure *f = &net->s->failures[i];
        struct updown *u;
        if (f->mode != MDL_FAIL_UPDOWN)
            continue;
        u = updowns_of(net, f);
        for (r = 0; r < nstruck(&net->sv[f->service], f); r++) {
            u[r].r = &net->sv[f->service].rep[r];
            u[r].f = f;
        }
    }
    return SIM_OK;
}

void mdl__failures_free(mdl_net *net)
{
    free(net->ud);
    net->ud = NULL;
}

void mdl__failures_start(mdl_net *net)
{
    size_t i;

    for (i = 0; i < net->s->nfailures && !net->oom; i++) {
        const mdl_failure *f = &net->s->failures[i];
        if (f->at == 0)
            apply(net, f, 1, 0.0);
        else
            mdl__schedule(net, f->at, on_start, net, (long)i);
        if (isfinite(f->len))
            mdl__schedule(net, f->at + f->len, on_end, net, (long)i);
    }
}
