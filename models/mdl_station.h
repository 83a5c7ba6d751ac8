/*
 * mdl_station.h - one replica's servers: c workers with a FIFO line, a
 * processor-sharing set, or infinitely many (a delay station).
 *
 * A station serves pieces of work. The caller embeds an mdl_work in its
 * own object (a visit), sets its `dist`, and hands it to
 * mdl_station_serve(); the station draws the demand from dist with the
 * station's random stream, queues or shares, and calls the station's
 * `done` callback when the piece is finished. Between pieces a FIFO
 * piece may keep its worker (a blocking caller waiting on its callees)
 * until mdl_station_release(). Any piece can be taken back wherever it is
 * with mdl_station_remove(): O(1) from the line (doubly linked), O(log n)
 * from the processor-sharing heap (each piece knows its slot) or from
 * service (its completion event is cancelled).
 *
 * A piece is in exactly one place: MDL_WORK_IDLE (with the caller,
 * perhaps holding a worker), QUEUED (in the line), SERVING (a worker and
 * a pending completion event) or SHARING (in the processor set).
 *
 * Units: s. The station keeps its own statistics: workers busy, line
 * length, the wait before a first piece starts, work demanded.
 */
#ifndef MDL_STATION_H
#define MDL_STATION_H
#include <gsl/gsl_rng.h>
#include "../sim/sim_cal.h"
#include "../sim/sim_stat.h"
#include "mdl_dist.h"

enum { MDL_WORK_IDLE, MDL_WORK_QUEUED, MDL_WORK_SERVING, MDL_WORK_SHARING };

typedef struct mdl_work {
    const mdl_dist *dist;       /* public: demand of the next piece */
    double expires;             /* public: at a station that checks, a
                                   first piece not started by then (s)
                                   is dropped; +inf: never */
    double self;                /* public: time queued or working here,
                                   summed over pieces (s); the caller
                                   zeroes it, the station adds to it */
    double demand;              /* read-only: the current piece's (s) */
    double t_ready;             /* private: began to wait or share (s) */
    unsigned char first;        /* public: the visit's first piece: its
                                   wait counts in wait and p_wait */
    unsigned char state;        /* read-only: MDL_WORK_* */
    unsigned char holds;        /* read-only: holds a worker (FIFO) */
    union {                     /* private: by state, one of */
        struct {                /* QUEUED: the line */
            struct mdl_work *prev, *next;
        };
        sim_event *ev;          /* SERVING: its completion */
        struct {                /* SHARING: heap slot, virtual finish tag */
            size_t slot;
            double finish;
        };
    };
} mdl_work;

typedef struct mdl_station mdl_station;
/* A piece is finished (w is IDLE, holding its worker if FIFO), or, with
 * dropped set, was dropped unstarted past its expiry (IDLE, no worker). */
typedef void (*mdl_work_done)(mdl_station *st, mdl_work *w, int dropped,
                              double now);

struct mdl_station {
    /* What a piece of work reads or writes as it starts and ends at a
     * station that need not queue it: 136 bytes, which end within the
     * four lines of a replica (mdl_int.h) that a visit fetches. */
    int c;                      /* read-only: workers; INT_MAX: delay */
    int ps;                     /* read-only: processor sharing */
    int busy;                   /* read-only: workers held or sharing */
    int check;                  /* public: drop first pieces past their
                                   expiry instead of starting them */
    long nq;                    /* read-only: waiting for a worker */
    double slow;                /* public: demand multiplier, 1 = full
                                   speed */
    sim_cal *cal;               /* private */
    gsl_rng *rng;               /* private */
    mdl_work_done done;         /* private */
    mdl_work *qhead;            /* private: the line's first */
    sim_twa busy_twa;           /* read-only */
    sim_tally wait, work;       /* read-only: first pieces' wait, demand */
    double waited;              /* read-only: first pieces that waited */
    /* the rest */
    sim_twa queue_twa;          /* read-only */
    double dropped;             /* read-only: first pieces dropped */
    /* private */
    int *oom;
    mdl_work *qtail;
    long nps;
    mdl_work **heap;
    size_t hcap;
    double vtime, vlast;
    sim_event *ps_ev;
};

/* Set up st with c workers (INT_MAX: a delay station), FIFO or processor
 * sharing; done is called for every finished piece. Returns SIM_OK or
 * SIM_ENOMEM. */
int mdl_station_init(mdl_station *st, int c, int ps, mdl_work_done done);
void mdl_station_destroy(mdl_station *st);
/* Empty st for a replication on cal (borrowed, as rng); *oom is set and
 * cal stopped when an event cannot be scheduled. */
void mdl_station_start(mdl_station *st, sim_cal *cal, gsl_rng *rng,
                       int *oom);
/* Restart the statistics at now (end of warm-up). */
void mdl_station_reset_stats(mdl_station *st, double now);

/* w (IDLE) needs its next piece of work: a worker it holds goes on at
 * once; else it takes a free worker, queues, or shares. */
void mdl_station_serve(mdl_station *st, mdl_work *w, double now);
/* w (IDLE) lets go of the worker it holds; the next in line gets it. */
void mdl_station_let_go(mdl_station *st, mdl_work *w, double now);
/* w (IDLE) lets go of its worker, if it holds one. */
static inline void mdl_station_release(mdl_station *st, mdl_work *w,
                                       double now)
{
    if (w->holds)
        mdl_station_let_go(st, w, now);
}
/* Take w back from wherever it is at st, its worker released; w is IDLE
 * and its current piece will never finish. */
void mdl_station_remove(mdl_station *st, mdl_work *w, double now);

/* The handler of the event that ends a piece of work at a FIFO
 * station, for sim_cal_set_warm(); and, in a warm, the piece that event
 * carries. */
void mdl_station_served(sim_cal *cal, sim_event *ev);
static inline const mdl_work *mdl_station_served_work(const sim_event *ev)
{
    return ev->obj;
}

/* Mean utilization over the replication: busy / c, or the mean number
 * busy at a delay station. */
double mdl_station_utilization(const mdl_station *st, double now);

#endif /* MDL_STATION_H */
