/*
 * bench_cal.c - throughput of the event calendar (sim_cal) in the classic
 * hold model, against the number of pending events.
 *
 * Hold model (Vaucher and Duval 1975; Jones 1986): fill the calendar with
 * N events at exponential times, then repeat "fire the earliest event and
 * schedule one at now + X", X ~ exp(mean 1 s), so the pending-set size
 * stays at N. Each fired event's handler does the scheduling, so one
 * operation is one pop plus one push through sim_cal_run(), the path the
 * simulator itself takes.
 *
 * Hold with cancellation: N tokens, each of which also keeps a timeout
 * pending, as a call with a deadline does. When a token fires it cancels
 * its timeout, schedules its next firing at now + X and a new timeout at
 * now + X + TIMEOUT_SLACK_S (so the timeout never fires). Pending size is
 * 2N; one operation is one pop, two pushes and one cancel.
 *
 * The delays are drawn before timing from a GSL taus2 generator into a
 * ring of RING_SIZE values, so the timings hold calendar work only. Each
 * measurement repeats a calibrated number of operations (about
 * TARGET_SECONDS of work) after N untimed warm-up operations, which bring
 * the event times to the hold model's steady state. The table reports the
 * median of NRUNS measurements, each on a fresh calendar, and the peak
 * resident set size so far (getrusage ru_maxrss; KiB on Linux).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "../sim/sim_cal.h"
#include "../sim/sim_err.h"
#include "bench_util.h"

#define RING_SIZE ((size_t)1 << 16)     /* power of two: index by mask */
#define RING_MASK (RING_SIZE - 1)
#define NRUNS 5
#define TARGET_SECONDS 0.3
#define CALIBRATE_OPS 200000ULL
#define TIMEOUT_SLACK_S 10.0

/* Shared by all handlers of one measurement. */
typedef struct hold {
    const double *ring;     /* RING_SIZE exponential delays (s) */
    size_t k;               /* next ring index (masked on use) */
    uint64_t left;          /* operations until sim_cal_stop() */
} hold;

/* One token of the cancellation variant. */
typedef struct token {
    hold *h;
    sim_event *timeout;     /* pending timeout, cancelled on firing */
} token;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec)
           + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static double next_delay(hold *h)
{
    return h->ring[h->k++ & RING_MASK];
}

static sim_event *must_schedule(sim_cal *cal, double delay, sim_handler fn,
                                void *obj)
{
    sim_event *ev = sim_cal_schedule(cal, delay, fn, obj, 0);

    if (!ev)
        sim_panic(__FILE__, __LINE__, "out of memory in the calendar");
    return ev;
}

/* ---- plain hold ---- */

static void on_hold(sim_cal *cal, sim_event *ev)
{
    hold *h = ev->obj;

    must_schedule(cal, next_delay(h), on_hold, h);
    if (--h->left == 0)
        sim_cal_stop(cal);
}

static void on_timeout(sim_cal *cal, sim_event *ev)
{
    (void)cal;
    (void)ev;
    sim_panic(__FILE__, __LINE__, "a timeout fired; the slack is too short");
}

/* ---- hold with cancellation ---- */

static void on_token(sim_cal *cal, sim_event *ev)
{
    token *t = ev->obj;
    hold *h = t->h;
    double x = next_delay(h);

    sim_cal_cancel(cal, t->timeout);
    must_schedule(cal, x, on_token, t);
    t->timeout = must_schedule(cal, x + TIMEOUT_SLACK_S, on_timeout, t);
    if (--h->left == 0)
        sim_cal_stop(cal);
}

/* Fill a new calendar with n events (n tokens and n timeouts when tokens
 * is not NULL) and run n warm-up operations. */
static sim_cal *setup(hold *h, size_t n, token *tokens)
{
    sim_cal *cal = sim_cal_new();
    size_t i;

    if (!cal)
        sim_panic(__FILE__, __LINE__, "out of memory");
    h->k = 0;
    for (i = 0; i < n; i++) {
        double x = next_delay(h);
        if (tokens) {
            tokens[i].h = h;
            must_schedule(cal, x, on_token, &tokens[i]);
            tokens[i].timeout = must_schedule(cal, x + TIMEOUT_SLACK_S,
                                              on_timeout, &tokens[i]);
        } else {
            must_schedule(cal, x, on_hold, h);
        }
    }
    h->left = n;
    sim_cal_run(cal, INFINITY);
    return cal;
}

/* Time ops operations on cal; returns seconds. */
static double timed_ops(sim_cal *cal, hold *h, uint64_t ops)
{
    struct timespec t0;

    h->left = ops;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sim_cal_run(cal, INFINITY);
    return seconds_since(&t0);
}

/* Median of NRUNS measurements of million operations per second with n
 * pending (tokens: the cancellation variant). *pending receives the
 * calendar's pending size during the measurement. */
static double measure(hold *h, size_t n, token *tokens, size_t *pending)
{
    double rate[NRUNS], sec;
    uint64_t ops;
    sim_cal *cal;
    int run;

    /* Calibrate: CALIBRATE_OPS timed, then scale to TARGET_SECONDS. */
    cal = setup(h, n, tokens);
    sec = timed_ops(cal, h, CALIBRATE_OPS);
    sim_cal_free(cal);
    ops = (uint64_t)(TARGET_SECONDS / sec * (double)CALIBRATE_OPS);
    if (ops < CALIBRATE_OPS)
        ops = CALIBRATE_OPS;
    for (run = 0; run < NRUNS; run++) {
        cal = setup(h, n, tokens);
        *pending = sim_cal_pending(cal);
        sec = timed_ops(cal, h, ops);
        if (sim_cal_pending(cal) != *pending)
            sim_panic(__FILE__, __LINE__, "pending size drifted from %zu "
                      "to %zu", *pending, sim_cal_pending(cal));
        sim_cal_free(cal);
        rate[run] = (double)ops / sec / 1e6;
    }
    return bench_median(rate, NRUNS);
}

static double peak_rss_mib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;   /* Linux: KiB */
}

int main(void)
{
    static const size_t sizes[] = {1, 10, 100, 1000, 10000, 100000};
    const size_t nsizes = sizeof sizes / sizeof *sizes;
    double *ring = malloc(RING_SIZE * sizeof *ring);
    token *tokens = malloc(sizes[nsizes - 1] * sizeof *tokens);
    gsl_rng *rng;
    hold h;
    size_t i;

    gsl_set_error_handler_off();
    rng = gsl_rng_alloc(gsl_rng_taus2);
    if (!ring || !tokens || !rng) {
        fputs("bench_cal: out of memory\n", stderr);
        return 1;
    }
    gsl_rng_set(rng, 20240917UL);
    /* X ~ exp(mean 1 s): the time scale does not matter to a heap. */
    for (i = 0; i < RING_SIZE; i++)
        ring[i] = gsl_ran_exponential(rng, 1.0);
    memset(&h, 0, sizeof h);
    h.ring = ring;

    printf("sim_cal hold model: median of %d runs of ~%.1f s each, "
           "M ops/s\n", NRUNS, TARGET_SECONDS);
    printf("  hold:   fire one, schedule one\n");
    printf("  cancel: fire one, cancel its timeout, schedule two "
           "(pending = 2 x tokens)\n\n");
    printf("%8s %12s %10s %14s %14s\n", "pending", "hold Mops/s",
           "c.pending", "cancel Mops/s", "peak RSS MiB");
    for (i = 0; i < nsizes; i++) {
        size_t n = sizes[i], pend_hold, pend_cancel;
        double hold_rate = measure(&h, n, NULL, &pend_hold);
        double cancel_rate = measure(&h, n, tokens, &pend_cancel);

        printf("%8zu %12.2f %10zu %14.2f %14.1f\n", pend_hold, hold_rate,
               pend_cancel, cancel_rate, peak_rss_mib());
        fflush(stdout);
    }
    gsl_rng_free(rng);
    free(tokens);
    free(ring);
    return 0;
}
