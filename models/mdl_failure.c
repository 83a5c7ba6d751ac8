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
 *
 * Each failure is two events, its start and (for a finite window) its
 * end; a window starting at 0 is in force before the first request.
 * Random stream: per service, `fail` draws the errors.
 */
#include <math.h>
#include <stdint.h>
#include "mdl_int.h"

/* The replicas a failure strikes: the first k, or all. */
static int nstruck(const service *sv, const mdl_failure *f)
{
    return f->replicas > 0 && f->replicas < sv->nrep ? (int)f->replicas
                                                     : sv->nrep;
}

static void apply(mdl_net *net, const mdl_failure *f, int on)
{
    service *sv = f->service >= 0 ? &net->sv[f->service] : NULL;
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
        for (r = 0; r < nstruck(sv, f); r++)
            sv->rep[r].err_p = on ? f->p : 0;
        break;
    case MDL_FAIL_PARTITION:
        net->es[f->edge].partitioned += on ? 1 : -1;
        break;
    default:
        break;                  /* refused by the loader */
    }
}

static void on_start(sim_cal *cal, sim_event *ev)
{
    (void)cal;
    apply(ev->obj, &((mdl_net *)ev->obj)->s->failures[ev->arg], 1);
}

static void on_end(sim_cal *cal, sim_event *ev)
{
    (void)cal;
    apply(ev->obj, &((mdl_net *)ev->obj)->s->failures[ev->arg], 0);
}

void mdl__failures_start(mdl_net *net)
{
    size_t i;

    for (i = 0; i < net->s->nfailures && !net->oom; i++) {
        const mdl_failure *f = &net->s->failures[i];
        if (f->at == 0)
            apply(net, f, 1);
        else
            mdl__schedule(net, f->at, on_start, net, (long)i);
        if (isfinite(f->len))
            mdl__schedule(net, f->at + f->len, on_end, net, (long)i);
    }
}
