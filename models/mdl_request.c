/*
 * mdl_request.c - requests (and published events) from start to end: the
 * flow object, the ledger of where a request spent its time, and the
 * request-level statistics, outcome and observer.
 *
 * A request's latency and outcome are counted when its root visit ends;
 * a degraded one (a fallback answered for a failed call) is a success,
 * counted as such and among the degraded.
 * Where requests can fail (a capacity somewhere), each visit's queueing
 * and working time goes into the request's ledger and is credited to the
 * replicas only if the request succeeds: self_per_request and self_share
 * are about the successful requests that latency_mean is about.
 */
#include "../sim/sim_err.h"
#include "mdl_int.h"

void mdl__request_begin(mdl_net *net, flow *f, int c, double now)
{
    f->t_start = now;
    f->cls = c;
    f->pub = -1;
    f->led.n = 0;
    f->led.next = NULL;
    f->ended = 0;
    f->visits = 0;
    f->key = net->next_key++;
}

flow *mdl__request_new(mdl_net *net, int c, double now)
{
    flow *f = mdl_pool_get(&net->flows);

    if (!f) {
        mdl__nomem(net);
        return NULL;
    }
    mdl__request_begin(net, f, c, now);
    return f;
}

void mdl__request_publish(mdl_net *net, const flow *from, int e,
                          double now)
{
    flow *f = mdl__request_new(net, from->cls, now);

    if (!f)
        return;
    f->pub = e;
    net->active++;
    net->es[e].count++;
    mdl__request_enter(net, f, net->es[e].to, now);
}

void mdl__request_ledger(mdl_net *net, flow *f, replica *r, double self)
{
    ledger *l = f->led.n < LEDGER_N ? &f->led : f->led.next;
    if (!l || l->n == LEDGER_N) {
        if (!(l = mdl_pool_get(&net->ledgers))) {
            mdl__nomem(net);
            return;
        }
        l->next = f->led.next;
        l->n = 0;
        f->led.next = l;
    }
    l->at[l->n] = r;
    l->self[l->n++] = self;
}

/* Credit f's visits to their replicas if it succeeded, and empty the
 * ledger. */
static void ledger_close(mdl_net *net, flow *f, int ok)
{
    ledger *l, *next;
    int i;

    for (i = 0; ok && i < f->led.n; i++)
        f->led.at[i]->self += f->led.self[i];
    for (l = f->led.next; l; l = next) {
        next = l->next;
        for (i = 0; ok && i < l->n; i++)
            l->at[i]->self += l->self[i];
        mdl_pool_put(&net->ledgers, l);
    }
    f->led.n = 0;
    f->led.next = NULL;
}

/* A published event reached the end of its chain. */
static void event_end(mdl_net *net, flow *f, int cause, double now)
{
    edge_rt *es = &net->es[f->pub];

    if (cause) {
        es->failed++;
    } else {
        es->ok++;
        sim_tally_add(&es->lat, now - f->t_start);
    }
}

void mdl__request_end(mdl_net *net, flow *f, int outcome, double now)
{
    double lat = now - f->t_start;
    int cause = outcome == MDL_REQ_DEGRADED ? 0 : outcome;  /* a success */
    cls *c;

    net->active--;
    SIM_INVARIANT(net->active >= 0 && !f->ended);
    f->ended = 1;
    if (f->pub >= 0) {
        event_end(net, f, cause, now);
        if (f->visits == 0)
            mdl__request_free(net, f);
        return;
    }
    c = &net->cl[f->cls];
    if (net->may_fail)
        ledger_close(net, f, !cause);
    if (!cause) {
        sim_tally_add(&c->lat, lat);
        sim_hist_add(c->hist, lat);
        if (net->ncls > 1) {
            sim_tally_add(&net->sys.lat, lat);
            sim_hist_add(net->sys.hist, lat);
        }
        c->ok++;
        net->sys.ok++;
        if (__builtin_expect(outcome != 0, 0)) {
            c->degraded++;
            net->sys.degraded++;
        }
    } else if (cause == MDL_REQ_REJECTED) {
        c->rejected++;
        net->sys.rejected++;
    } else if (cause == MDL_REQ_TIMED_OUT) {
        c->timed_out++;
        net->sys.timed_out++;
    } else {
        c->failed++;
        net->sys.failed++;
    }
    if (net->observer) {
        mdl_net_req r = {
            f->key, f->cls, f->t_start, now,
            outcome ? outcome : MDL_REQ_OK
        };
        net->observer(net->observer_ctx, &r);
    }
    if (now >= net->s->warmup && ++net->finished == net->s->requests)
        sim_cal_stop(net->cal);
    if (net->progress && (++net->ticks & 0xffff) == 0)
        net->progress(net->progress_ctx,
                      now / (net->s->warmup + net->s->duration));
    if (f->visits == 0 && !c->closed)
        mdl__request_free(net, f);      /* the common case, inline */
    else
        mdl__workload_done(net, f);
}
