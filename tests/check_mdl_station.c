/*
 * check_mdl_station.c - one station on its own, driven by a calendar with
 * deterministic demands: the FIFO line, held workers, processor sharing,
 * a delay station, and taking a piece back from wherever it is, with the
 * exact times each piece finishes.
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include "../models/mdl_dist_parse.h"
#include "../models/mdl_station.h"
#include "../sim/sim_cal.h"
#include "../sim/sim_err.h"
#include "tst.h"

#define NP 4

typedef struct piece {
    mdl_work w;             /* first: the callback gets &w */
    int id;
    double done_at;         /* s; -1 while not done */
} piece;

typedef struct bench {
    sim_cal *cal;
    gsl_rng *rng;
    mdl_station st;
    mdl_dist d10;           /* det(10ms) */
    piece p[NP];
    int order[NP * 2], n;   /* ids in the order they finished */
    int oom;
} bench;

static void done(mdl_station *st, mdl_work *w, int dropped, double now)
{
    bench *b = (bench *)((char *)st - offsetof(bench, st));
    piece *p = (piece *)w;

    p->done_at = dropped ? -2 : now;
    b->order[b->n++] = p->id;
}

static void setup(bench *b, int c, int ps)
{
    char err[256];
    int col, i;

    memset(b, 0, sizeof *b);
    b->cal = sim_cal_new();
    b->rng = gsl_rng_alloc(gsl_rng_mt19937);
    ck_assert_ptr_nonnull(b->cal);
    ck_assert_ptr_nonnull(b->rng);
    ck_assert_int_eq(mdl_dist_parse(&b->d10, "det(10ms)", NULL, err,
                                    sizeof err, &col), SIM_OK);
    ck_assert_int_eq(mdl_station_init(&b->st, c, ps, done), SIM_OK);
    mdl_station_start(&b->st, b->cal, b->rng, &b->oom);
    for (i = 0; i < NP; i++) {
        b->p[i].id = i;
        b->p[i].done_at = -1;
        b->p[i].w.dist = &b->d10;
        b->p[i].w.first = 1;
        b->p[i].w.expires = INFINITY;
    }
}

static void teardown(bench *b)
{
    mdl_station_destroy(&b->st);
    mdl_dist_destroy(&b->d10);
    gsl_rng_free(b->rng);
    sim_cal_free(b->cal);
}

/* Hand pieces 0 .. n-1 to the station at time 0, in order. */
static void serve_all(bench *b, int n)
{
    int i;

    for (i = 0; i < n; i++)
        mdl_station_serve(&b->st, &b->p[i].w, 0.0);
}

static void run_until(bench *b, double t)
{
    ck_assert_int_eq(sim_cal_run(b->cal, t), SIM_OK);
}

static void assert_done(const bench *b, int id, double ms)
{
    ck_assert_msg(fabs(b->p[id].done_at - ms / 1e3) < 1e-12,
                  "piece %d done at %.6g ms, expected %.6g ms", id,
                  1e3 * b->p[id].done_at, ms);
}

/* One worker: 10, 20, 30 ms, first come first served, and each piece's
 * own time is its wait plus its demand. */
START_TEST(test_fifo_line)
{
    bench b;

    setup(&b, 1, 0);
    serve_all(&b, 3);
    ck_assert_int_eq(b.st.busy, 1);
    ck_assert_int_eq(b.st.nq, 2);
    ck_assert_int_eq(b.p[1].w.state, MDL_WORK_QUEUED);
    /* A piece keeps its worker after its work: let each go when done. */
    run_until(&b, 0.010);
    assert_done(&b, 0, 10);
    ck_assert(b.p[0].w.holds && b.p[0].w.state == MDL_WORK_IDLE);
    mdl_station_release(&b.st, &b.p[0].w, 0.010);
    run_until(&b, 0.020);
    mdl_station_release(&b.st, &b.p[1].w, 0.020);
    run_until(&b, 1.0);
    mdl_station_release(&b.st, &b.p[2].w, 1.0);
    assert_done(&b, 1, 20);
    assert_done(&b, 2, 30);
    ck_assert_double_eq_tol(b.p[2].w.self, 0.030, 1e-12);
    ck_assert_int_eq(b.st.busy, 0);
    ck_assert_double_eq(b.st.waited, 2);
    teardown(&b);
}
END_TEST

/* A piece that holds its worker goes on at once with its next piece,
 * ahead of the line (a blocking service's post-work). */
START_TEST(test_held_worker_goes_on_ahead_of_the_line)
{
    bench b;

    setup(&b, 1, 0);
    serve_all(&b, 2);
    run_until(&b, 0.010);
    b.p[0].w.first = 0;
    mdl_station_serve(&b.st, &b.p[0].w, 0.010);
    run_until(&b, 0.020);
    assert_done(&b, 0, 20);
    mdl_station_release(&b.st, &b.p[0].w, 0.020);
    run_until(&b, 1.0);
    assert_done(&b, 1, 30);
    teardown(&b);
}
END_TEST

/* Take back a queued piece (1 of 0, 1, 2, at 5 ms): 2 moves up and starts
 * when 0 lets go at 10 ms. Take 2 back in service at 15 ms: its
 * completion never comes and the worker is free. */
START_TEST(test_remove_from_the_line_and_from_service)
{
    bench b;

    setup(&b, 1, 0);
    serve_all(&b, 3);
    run_until(&b, 0.005);
    mdl_station_remove(&b.st, &b.p[1].w, 0.005);
    ck_assert_int_eq(b.p[1].w.state, MDL_WORK_IDLE);
    ck_assert_int_eq(b.st.nq, 1);
    run_until(&b, 0.010);
    mdl_station_release(&b.st, &b.p[0].w, 0.010);   /* 2 starts */
    run_until(&b, 0.015);
    mdl_station_remove(&b.st, &b.p[2].w, 0.015);
    ck_assert_int_eq(b.st.busy, 0);
    ck_assert(!b.p[2].w.holds);
    run_until(&b, 1.0);
    ck_assert_int_eq(b.n, 1);       /* only piece 0 ever finished */
    ck_assert_double_lt(b.p[1].done_at, 0);
    ck_assert_double_lt(b.p[2].done_at, 0);
    ck_assert_uint_eq(sim_cal_pending(b.cal), 0);
    teardown(&b);
}
END_TEST

/* Removing the piece in service hands its worker to the next in line at
 * once: 1 starts at 4 ms and ends at 14. */
START_TEST(test_remove_in_service_hands_the_worker_on)
{
    bench b;

    setup(&b, 1, 0);
    serve_all(&b, 2);
    run_until(&b, 0.004);
    mdl_station_remove(&b.st, &b.p[0].w, 0.004);
    run_until(&b, 1.0);
    assert_done(&b, 1, 14);
    ck_assert_double_lt(b.p[0].done_at, 0);
    teardown(&b);
}
END_TEST

/* Processor sharing, one server, two pieces of 10 ms: both at half speed,
 * both end at 20 ms. Without the second (taken back at 10 ms, when each
 * has had 5 ms), the first ends at 15 ms. */
START_TEST(test_processor_sharing_and_removal)
{
    bench b;

    setup(&b, 1, 1);
    serve_all(&b, 2);
    ck_assert_int_eq(b.p[0].w.state, MDL_WORK_SHARING);
    run_until(&b, 1.0);
    assert_done(&b, 0, 20);
    assert_done(&b, 1, 20);
    /* self: 10 ms of demand and 10 ms of stretch each */
    ck_assert_double_eq_tol(b.p[1].w.self, 0.020, 1e-12);
    teardown(&b);

    setup(&b, 1, 1);
    serve_all(&b, 3);
    run_until(&b, 0.015);           /* each has had 5 ms */
    mdl_station_remove(&b.st, &b.p[1].w, 0.015);
    /* 0 and 2 have 5 ms left at half speed: 10 ms more */
    run_until(&b, 1.0);
    assert_done(&b, 0, 25);
    assert_done(&b, 2, 25);
    ck_assert_double_lt(b.p[1].done_at, 0);
    ck_assert_int_eq(b.st.busy, 0);
    teardown(&b);
}
END_TEST

/* A delay station serves everyone at once. */
START_TEST(test_delay_station)
{
    bench b;
    int i;

    setup(&b, INT_MAX, 0);
    serve_all(&b, NP);
    ck_assert_int_eq(b.st.busy, NP);
    run_until(&b, 1.0);
    for (i = 0; i < NP; i++)
        assert_done(&b, i, 10);
    teardown(&b);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_station");
    TCase *tc = tcase_create("fifo");

    tcase_add_test(tc, test_fifo_line);
    tcase_add_test(tc, test_held_worker_goes_on_ahead_of_the_line);
    tcase_add_test(tc, test_remove_from_the_line_and_from_service);
    tcase_add_test(tc, test_remove_in_service_hands_the_worker_on);
    suite_add_tcase(s, tc);
    tc = tcase_create("shared");
    tcase_add_test(tc, test_processor_sharing_and_removal);
    tcase_add_test(tc, test_delay_station);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
