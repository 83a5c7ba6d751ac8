/*
 * mdl_station.c - FIFO, processor-sharing and delay stations (see
 * mdl_station.h).
 *
 * FIFO: a piece takes a free worker or joins the tail of the line; a
 *   worker that is let go goes straight to the head of the line. The
 *   line is doubly linked so a piece can leave it from anywhere.
 *
 * Processor sharing: n pieces each progress at rate min(1, c/n). A
 *   virtual clock V advances at that rate; a piece that enters at V0
 *   with demand S finishes when V reaches V0 + S, so pieces sit in a
 *   min-heap of finish tags and only the earliest has a completion
 *   event, rescheduled whenever n changes (Kleinrock's virtual-time view
 *   of PS). Each piece records its heap slot, so it can be removed.
 *
 * Piece states and the functions that move them:
 *
 *            serve (worker free, or held)     mdl_station_served
 *   IDLE -------------------------------> SERVING -------------> IDLE (done)
 *    |  \   serve (all busy)                ^
 *    |   `-----------------> QUEUED --------' release (by the piece
 *    |                                         ahead of it)
 *    |   serve (PS)                  on_shared
 *    `-----------------> SHARING ------------> IDLE (done)
 *
 *   remove: QUEUED, SERVING or SHARING --> IDLE (no done callback)
 *
 * Deadline checks: at a station that checks, a first piece whose expiry
 * has passed when it would get a worker (or a share) is dropped instead,
 * unserved, and the worker goes to the next in line (Baccelli, Boyer and
 * Hebuterne's impatience, checked when service would begin).
 *
 * Accounting, as a visit sees it: a FIFO piece's wait is the time from
 * asking to getting a worker; under PS it is the stretch beyond the
 * demand itself. Both go into w->self with the demand.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include "../sim/sim_err.h"
#include "mdl_station.h"

int mdl_station_init(mdl_station *st, int c, int ps, mdl_work_done done)
{
    st->c = c;
    st->ps = ps;
    st->done = done;
    st->slow = 1.0;
    st->check = 0;
    st->heap = NULL;
    st->hcap = 0;
    if (ps) {
        st->hcap = 64;
        st->heap = malloc(st->hcap * sizeof *st->heap);
        if (!st->heap)
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

void mdl_station_destroy(mdl_station *st)
{
    free(st->heap);
    st->heap = NULL;
}

void mdl_station_start(mdl_station *st, sim_cal *cal, gsl_rng *rng,
                       int *oom)
{
    st->cal = cal;
    st->rng = rng;
    st->oom = oom;
    st->busy = 0;
    st->nq = st->nps = 0;
    st->qhead = st->qtail = NULL;
    st->vtime = st->vlast = 0;
    st->ps_ev = NULL;
    st->busy_twa.value = st->queue_twa.value = 0;
    mdl_station_reset_stats(st, 0.0);
}

void mdl_station_reset_stats(mdl_station *st, double now)
{
    sim_twa_reset(&st->busy_twa, now);
    sim_twa_reset(&st->queue_twa, now);
    sim_tally_reset(&st->wait);
    sim_tally_reset(&st->work);
    st->waited = 0;
    st->dropped = 0;
}

/* Is w a first piece past its expiry, at a station that checks? */
static int expired(const mdl_station *st, const mdl_work *w, double now)
{
    return st->check && w->first && now > w->expires;
}

static void drop(mdl_station *st, mdl_work *w, double now)
{
    st->dropped++;
    w->state = MDL_WORK_IDLE;
    st->done(st, w, 1, now);
}

static void nomem(mdl_station *st)
{
    *st->oom = 1;
    sim_cal_stop(st->cal);
}

static void set_queue(mdl_station *st, double now, long nq)
{
    SIM_INVARIANT(nq >= 0);
    st->nq = nq;
    sim_twa_set(&st->queue_twa, now, (double)nq);
}

static void set_busy(mdl_station *st, double now, int busy)
{
    SIM_INVARIANT(busy >= 0 && busy <= st->c);
    st->busy = busy;
    sim_twa_set(&st->busy_twa, now, busy);
}

static double draw(mdl_station *st, mdl_work *w)
{
    w->demand = mdl_dist_sample(w->dist, st->rng) * st->slow;
    sim_tally_add(&st->work, w->demand);
    return w->demand;
}

/* ---- FIFO ---- */

void mdl_station_served(sim_cal *cal, sim_event *ev)
{
    mdl_work *w = ev->obj;
    mdl_station *st = (mdl_station *)(intptr_t)ev->arg;

    SIM_INVARIANT(w->state == MDL_WORK_SERVING && w->ev == ev);
    w->ev = NULL;               /* the calendar releases ev itself */
    w->state = MDL_WORK_IDLE;
    st->done(st, w, 0, sim_cal_now(cal));
}

/* w has a worker now: work its piece. */
static void start(mdl_station *st, mdl_work *w, double now)
{
    double waited = now - w->t_ready;

    w->self += waited;
    if (w->first)
        sim_tally_add(&st->wait, waited);
    w->self += draw(st, w);
    w->state = MDL_WORK_SERVING;
    w->ev = sim_cal_schedule(st->cal, w->demand, mdl_station_served, w,
                             (long)(intptr_t)st);
    if (!w->ev)
        nomem(st);
}

static void unlink_line(mdl_station *st, mdl_work *w, double now)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        st->qhead = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        st->qtail = w->prev;
    w->prev = w->next = NULL;
    set_queue(st, now, st->nq - 1);
}

void mdl_station_let_go(mdl_station *st, mdl_work *w, double now)
{
    mdl_work *next;

    SIM_INVARIANT(w->state == MDL_WORK_IDLE && w->holds);
    w->holds = 0;
    /* The worker goes straight to the next in line still wanted. The
     * line is read afresh each time: a dropped piece's owner may act. */
    while ((next = st->qhead)) {
        unlink_line(st, next, now);
        if (expired(st, next, now)) {
            drop(st, next, now);
            continue;
        }
        next->holds = 1;
        start(st, next, now);
        return;
    }
    set_busy(st, now, st->busy - 1);
}

/* ---- processor sharing ---- */

static void on_shared(sim_cal *cal, sim_event *ev);

static double ps_rate(const mdl_station *st)
{
    return st->nps <= st->c ? 1.0 : (double)st->c / (double)st->nps;
}

/* Bring the virtual clock to now at the rate of the current population. */
static void ps_advance(mdl_station *st, double now)
{
    if (st->nps > 0)
        st->vtime += (now - st->vlast) * ps_rate(st);
    st->vlast = now;
}

static void ps_track(mdl_station *st, double now)
{
    set_busy(st, now, st->nps < st->c ? (int)st->nps : st->c);
    set_queue(st, now, st->nps - st->busy);
}

/* The earliest finisher's completion, moved in place when there is one
 * pending: cancelling and scheduling anew would fire in the same order. */
static void ps_reschedule(mdl_station *st)
{
    double dt;

    if (st->nps == 0) {
        if (st->ps_ev)
            sim_cal_cancel(st->cal, st->ps_ev);
        st->ps_ev = NULL;
        return;
    }
    dt = (st->heap[0]->finish - st->vtime) / ps_rate(st);
    if (!(dt > 0))
        dt = 0;
    if (st->ps_ev) {
        sim_cal_reschedule(st->cal, st->ps_ev, dt);
        return;
    }
    st->ps_ev = sim_cal_schedule(st->cal, dt, on_shared, st, 0);
    if (!st->ps_ev)
        nomem(st);
}

static void heap_put(mdl_station *st, size_t i, mdl_work *w)
{
    st->heap[i] = w;
    w->slot = i;
}

/* Move w up from slot i until its parent finishes no later. */
static void ps_sift_up(mdl_station *st, size_t i, mdl_work *w)
{
    while (i > 0 && st->heap[(i - 1) / 2]->finish > w->finish) {
        heap_put(st, i, st->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_put(st, i, w);
}

/* Move w down from slot i until both children finish no earlier. */
static void ps_sift_down(mdl_station *st, size_t i, mdl_work *w)
{
    size_t n = (size_t)st->nps;

    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n
            && st->heap[child + 1]->finish < st->heap[child]->finish)
            child++;
        if (st->heap[child]->finish >= w->finish)
            break;
        heap_put(st, i, st->heap[child]);
        i = child;
    }
    heap_put(st, i, w);
}

/* Take the piece in slot i out of the heap. */
static void ps_take(mdl_station *st, size_t i)
{
    mdl_work *last = st->heap[--st->nps];

    if (i == (size_t)st->nps)
        return;
    if (i > 0 && st->heap[(i - 1) / 2]->finish > last->finish)
        ps_sift_up(st, i, last);
    else
        ps_sift_down(st, i, last);
}

static void ps_enter(mdl_station *st, mdl_work *w, double now)
{
    if (expired(st, w, now)) {
        drop(st, w, now);
        return;
    }
    ps_advance(st, now);
    if ((size_t)st->nps >= st->hcap) {
        size_t cap = 2 * st->hcap;
        mdl_work **h = realloc(st->heap, cap * sizeof *h);
        if (!h) {
            nomem(st);
            return;
        }
        st->heap = h;
        st->hcap = cap;
    }
    if (w->first && st->nps >= st->c)
        st->waited++;           /* it shares, rather than has, a server */
    w->self += draw(st, w);
    w->t_ready = now;
    w->finish = st->vtime + w->demand;
    w->state = MDL_WORK_SHARING;
    ps_sift_up(st, (size_t)st->nps++, w);
    ps_track(st, now);
    ps_reschedule(st);
}

static void on_shared(sim_cal *cal, sim_event *ev)
{
    mdl_station *st = ev->obj;
    double now = sim_cal_now(cal);
    mdl_work *w = st->heap[0];
    double stretch;

    SIM_INVARIANT(st->ps_ev == ev && w->state == MDL_WORK_SHARING);
    st->ps_ev = NULL;           /* the calendar releases ev itself */
    ps_advance(st, now);
    ps_take(st, 0);
    ps_track(st, now);
    ps_reschedule(st);
    w->state = MDL_WORK_IDLE;
    /* Under PS the time beyond the demand itself is the wait. */
    stretch = now - w->t_ready - w->demand;
    if (stretch < 0)
        stretch = 0;
    w->self += stretch;
    if (w->first)
        sim_tally_add(&st->wait, stretch);
    st->done(st, w, 0, now);
}

/* ---- both ---- */

void mdl_station_serve(mdl_station *st, mdl_work *w, double now)
{
    SIM_INVARIANT(w->state == MDL_WORK_IDLE);
    if (st->ps) {
        ps_enter(st, w, now);
        return;
    }
    w->t_ready = now;
    if (w->holds) {
        start(st, w, now);
        return;
    }
    if (st->busy < st->c) {
        if (expired(st, w, now)) {
            drop(st, w, now);
            return;
        }
        set_busy(st, now, st->busy + 1);
        w->holds = 1;
        start(st, w, now);
        return;
    }
    if (w->first)
        st->waited++;
    w->state = MDL_WORK_QUEUED;
    w->next = NULL;
    w->prev = st->qtail;
    if (st->qtail)
        st->qtail->next = w;
    else
        st->qhead = w;
    st->qtail = w;
    set_queue(st, now, st->nq + 1);
}

void mdl_station_remove(mdl_station *st, mdl_work *w, double now)
{
    switch (w->state) {
    case MDL_WORK_QUEUED:
        unlink_line(st, w, now);
        break;
    case MDL_WORK_SERVING:
        sim_cal_cancel(st->cal, w->ev);
        w->ev = NULL;
        break;
    case MDL_WORK_SHARING:
        ps_advance(st, now);
        ps_take(st, w->slot);
        ps_track(st, now);
        ps_reschedule(st);
        break;
    default:
        break;
    }
    w->state = MDL_WORK_IDLE;
    mdl_station_release(st, w, now);
}

double mdl_station_utilization(const mdl_station *st, double now)
{
    double busy = sim_twa_mean(&st->busy_twa, now);

    return st->c == INT_MAX ? busy : busy / st->c;
}
