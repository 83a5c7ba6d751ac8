/*
 * sim_cal.h - the event calendar and clock of one replication.
 *
 * Events leave in (time, seq) order; seq is stamped when an event is
 * scheduled, so equal times leave in scheduling order and runs are
 * deterministic. Events live in a pool owned by the calendar: scheduling
 * does not call malloc once the pool has grown to the model's peak number
 * of pending events, unless thousands are pending, when the calendar
 * keeps most of them in buckets that grow and shrink. An event belongs
 * to the calendar from sim_cal_schedule() until its handler returns or
 * it is cancelled; a handler must not keep the pointer after it
 * returns.
 */
#ifndef SIM_CAL_H
#define SIM_CAL_H
#include <stddef.h>
#include <stdint.h>

typedef struct sim_cal sim_cal;          /* opaque: see sim_cal.c */
typedef struct sim_event sim_event;

/* Called when ev fires, at the time it was scheduled for:
 * sim_cal_now(cal). */
typedef void (*sim_handler)(sim_cal *cal, sim_event *ev);

/* Its time is kept in the calendar's heap or buckets (sim_cal.c), not
 * here. */
struct sim_event {
    uint64_t seq;        /* read-only: tie-break */
    sim_handler fn;      /* read-only */
    void *obj;           /* public: handler's payload */
    long arg;            /* public: handler's payload */
    size_t pos;          /* private: heap slot, bucket and place in it,
                            or free-list link */
};

/* An empty calendar at time 0, or NULL when out of memory. */
sim_cal *sim_cal_new(void);
/* Free cal and its pool. NULL is a no-op. */
void sim_cal_free(sim_cal *cal);
/* Schedule fn(obj, arg) after delay >= 0 seconds. Returns the event (for
 * sim_cal_cancel) or NULL when out of memory. */
sim_event *sim_cal_schedule(sim_cal *cal, double delay, sim_handler fn,
                            void *obj, long arg);
/* Remove a pending event; O(log n), or O(1) in a bucket. Cancelling an
 * event that has fired (even from its own handler) is a bug:
 * sim_panic(). */
void sim_cal_cancel(sim_cal *cal, sim_event *ev);
/* Move a pending event to delay >= 0 seconds from now: it fires as if
 * cancelled and scheduled anew (it takes a new seq), without going back
 * to the pool. O(log n). A move into a bucket that cannot grow, out of
 * memory, is fatal: sim_panic(). */
void sim_cal_reschedule(sim_cal *cal, sim_event *ev, double delay);
/* Current simulated time (s). */
double sim_cal_now(const sim_cal *cal);
/* Fire events in order until the calendar is empty, the next event is
 * later than until, or a handler calls sim_cal_stop(): then returns
 * SIM_OK. The clock is left at the last event fired (or at until when the
 * calendar ran past it). Returns early, between two events, with
 * SIM_EINTR when a stop was requested (sim_sig.h), or SIM_ESTALL when
 * more events than the stall limit fired at one instant: time stands
 * still. Either way the calendar can run on. Returns SIM_ENOMEM when
 * moving events between its heap and its buckets ran out of memory; it
 * may run on, but a model should give up. */
int sim_cal_run(sim_cal *cal, double until);
/* The time of the last event fired before the calendar last ran empty
 * in sim_cal_run() (which then moves the clock on to until). */
double sim_cal_drained_at(const sim_cal *cal);
/* Within a handler: the clock before this event, that is the time of
 * the event fired before it (0 for the first; where an earlier
 * sim_cal_run() left the clock, if it moved it to its horizon). A
 * handler that finds the calendar otherwise empty learns so when the
 * rest of the model went quiet. */
double sim_cal_before(const sim_cal *cal);
/* Events at one instant that count as a stall (0: the default, 10^7;
 * pending events x 64, when more, count instead), checked every 1024
 * events. */
void sim_cal_set_stall_limit(sim_cal *cal, uint64_t events);
/* Reads what a pending event's handler will read, and fetches it
 * (sim_mem_prefetch): see sim_cal_set_warm(). */
typedef void (*sim_warm)(const sim_event *ev);
/* While an event is handled, with 7 or more events pending, call warm
 * on the event due next if its handler is fn. The first two lines of its
 * payload were fetched one event before, so warm may read them, and
 * fetch from there what the handler will read a whole event later. A
 * warm may not change anything. One pair per calendar; warm NULL: none
 * (and payloads are fetched ahead only with more than 256 pending). */
void sim_cal_set_warm(sim_cal *cal, sim_handler fn, sim_warm warm);
/* Make sim_cal_run() return after the current handler. */
void sim_cal_stop(sim_cal *cal);
/* Number of events fired so far. */
uint64_t sim_cal_fired(const sim_cal *cal);
/* Number of events pending. */
size_t sim_cal_pending(const sim_cal *cal);

#endif /* SIM_CAL_H */
