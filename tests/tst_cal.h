/*
 * tst_cal.h - the event calendar checked against a reference list.
 *
 * The reference keeps the pending events in a plain array. Every event
 * the calendar fires must be the reference's least (time, seq), at that
 * time, and the calendar must count as pending what the reference does.
 * Each handler schedules, cancels and moves events at random, as a
 * model's do, keeping their number about the same (or growing it, with
 * grow); after `until` events a stop, then handlers only fire and the
 * rest drains in order.
 *
 * A run may be told that the calendar can run out of memory
 * (may_fail): a schedule that returns NULL then adds nothing, and
 * sim_cal_run() may return SIM_ENOMEM, after which it runs on. Such a
 * run moves no events, since a move out of memory is fatal.
 */
#ifndef TST_CAL_H
#define TST_CAL_H
#include <gsl/gsl_rng.h>
#include "../sim/sim_cal.h"

typedef struct tst_cal tst_cal;
struct tst_cal {
    gsl_rng *r;
    double (*delay)(sim_cal *cal, tst_cal *rc);
    sim_event **ev;
    double *time;
    long *seq, next_seq;
    int n, cap, fired, until, bad;
    int outliers;           /* tst_cal_mixed_delay(): far and infinite
                               delays too */
    double grow;            /* a handler schedules one more event with
                               this probability (while fewer than cap
                               are pending): the population grows */
    int may_fail;           /* out of memory is an outcome, not a bug */
    int enomem;             /* times sim_cal_run() said so */
};

/* A reference of cap events at most, stopping after until fired, whose
 * handlers draw delays from delay(), with seed. */
void tst_cal_init(tst_cal *rc, int cap, int until, unsigned long seed,
                  double (*delay)(sim_cal *, tst_cal *));
void tst_cal_free(tst_cal *rc);
/* Schedule an event on cal and note it in rc. */
void tst_cal_schedule(sim_cal *cal, tst_cal *rc, double delay);
/* A delay on a grid of 0.25 s, 0 included: ties with the clock and with
 * each other. */
double tst_cal_grid_delay(sim_cal *cal, tst_cal *rc);
/* Delays from exponential ones that never tie, to the grid's, 0, and a
 * crowd at one time (10 s, or now once past); with outliers, far ones
 * that stretch the range, infinite ones among them. */
double tst_cal_mixed_delay(sim_cal *cal, tst_cal *rc);
/* Run cal to rc's stop (to horizons step apart, when step > 0) and on
 * until it drains, then check. */
void tst_cal_run(sim_cal *cal, tst_cal *rc, double step);

#endif /* TST_CAL_H */
