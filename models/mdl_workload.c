/*
 * mdl_workload.c - where requests come from: open workloads (an arrival
 * process) and closed ones (a population of customers who think between
 * requests), each with its mix of request classes.
 *
 * Random streams, per workload: `workload` draws inter-arrival or think
 * times, `mix` the class of each request.
 */
#include <stdint.h>
#include "mdl_int.h"

static int pick_class(const mdl_net *net, wl *w)
{
    double u, cum = 0;
    int i;

    if (w->n == 1)
        return w->first;
    u = gsl_rng_uniform(w->mix_rng);
    for (i = 0; i < w->n - 1; i++) {
        cum += net->s->classes[w->first + i].share;
        if (u < cum)
            break;
    }
    return w->first + i;
}

static inline void start_request(mdl_net *net, flow *f, double now)
{
    net->active++;
    net->cl[f->cls].entered++;
    net->sys.entered++;
    mdl__request_enter(net, f, net->s->classes[f->cls].entry, now);
}

static void on_arrival(sim_cal *cal, sim_event *ev)
{
    wl *w = ev->obj;
    mdl_net *net = w->net;
    double now = sim_cal_now(cal);
    flow *f = mdl__request_new(net, pick_class(net, w), now);

    if (!f)
        return;
    start_request(net, f, now);
    mdl__schedule(net, mdl_dist_sample(&w->w->arrival, w->rng), on_arrival,
                  w, 0);
}

static void on_think_end(sim_cal *cal, sim_event *ev)
{
    flow *f = ev->obj;
    wl *w = (wl *)(intptr_t)ev->arg;
    mdl_net *net = w->net;

    /* A new request of the same customer: a fresh class draw and key. */
    mdl__request_begin(net, f, pick_class(net, w), sim_cal_now(cal));
    start_request(net, f, f->t_start);
}

static void think(mdl_net *net, wl *w, flow *f)
{
    mdl__schedule(net, mdl_dist_sample(&w->w->think, w->rng), on_think_end,
                  f, (long)(intptr_t)w);
}

void mdl__workload_start(mdl_net *net)
{
    size_t i;
    long k;

    for (i = 0; i < net->nwl && !net->oom; i++) {
        wl *w = &net->wls[i];
        if (!w->w->closed) {
            mdl__schedule(net, mdl_dist_sample(&w->w->arrival, w->rng),
                          on_arrival, w, 0);
            continue;
        }
        for (k = 0; k < w->w->population && !net->oom; k++) {
            flow *f = mdl__request_new(net, w->first, 0.0);
            if (f)
                think(net, w, f);
        }
    }
}

void mdl__workload_done(mdl_net *net, flow *f)
{
    wl *w = &net->wls[net->s->classes[f->cls].workload];
    flow *next = f;

    if (f->visits > 0) {
        /* Orphans of f still run and free it; the customer goes on in a
         * new object (its key comes when it sends the next request). */
        if (!w->w->closed)
            return;
        if (!(next = mdl_pool_get(&net->flows))) {
            mdl__nomem(net);
            return;
        }
        next->cls = f->cls;
    }
    if (w->w->closed)
        think(net, w, next);
    else
        mdl__request_free(net, f);
}
