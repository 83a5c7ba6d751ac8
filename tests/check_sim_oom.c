/*
 * check_sim_oom.c - the event calendar when memory runs out.
 *
 * The calendar's own source is compiled here with its allocators
 * replaced by ones that fail on demand. The allocations it makes in a
 * run with thousands of events pending (its pool's chunks, its heap
 * growing, its buckets and rungs) are made to fail in turn, and the run
 * must go on firing every event as a sorted list would (tst_cal.h): a
 * schedule that fails adds nothing, and a run that stops with
 * SIM_ENOMEM runs on. A move that fails is fatal, as sim_cal.h says.
 */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../sim/sim_cal.h"
#include "../sim/sim_err.h"
#include "../sim/sim_mem.h"
#include "../sim/sim_sig.h"

/* The calendar's allocations by kind: its heap (sim_mem_calloc), its
 * pool's chunks (malloc), its buckets, rungs and scratch growing
 * (realloc), itself (calloc). */
enum { HEAP, POOL, GROW, SELF, KINDS };

static long allocs[KINDS];      /* so far, of each kind */
static int fail_kind;
static long fail_from = -1, fail_n;
static long failed;             /* allocations made to fail */

/* Whether this allocation of kind fails: fail_n of fail_kind's fail,
 * from its fail_from-th (-1: none). */
static int fails(int kind)
{
    long k = allocs[kind]++;

    if (kind != fail_kind || fail_from < 0 || k < fail_from
        || k - fail_from >= fail_n)
        return 0;
    failed++;
    return 1;
}

static void *oom_malloc(size_t n)
{
    return fails(POOL) ? NULL : malloc(n);
}

static void *oom_calloc(size_t n, size_t size)
{
    return fails(SELF) ? NULL : calloc(n, size);
}

static void *oom_realloc(void *p, size_t n)
{
    return fails(GROW) ? NULL : realloc(p, n);
}

static void *oom_mem_calloc(size_t n, size_t size)
{
    return fails(HEAP) ? NULL : sim_mem_calloc(n, size);
}

/* From now on, fail n allocations of kind, from the k-th (counted from
 * 0 at the last reset()). */
static void fail_next(int kind, long k, long n)
{
    fail_kind = kind;
    fail_from = k;
    fail_n = n;
}

static void reset(void)
{
    memset(allocs, 0, sizeof allocs);
    fail_from = -1;
    failed = 0;
}

#define malloc(n) oom_malloc(n)
#define calloc(n, size) oom_calloc(n, size)
#define realloc(p, n) oom_realloc(p, n)
#define sim_mem_calloc(n, size) oom_mem_calloc(n, size)
#include "../sim/sim_cal.c"
#undef malloc
#undef calloc
#undef realloc
#undef sim_mem_calloc

#include "tst.h"
#include "tst_cal.h"

/* Every event of cal's pool is pending or free: none was lost on the
 * way out of memory. */
static void check_pool(const sim_cal *cal)
{
    const chunk *c;
    const sim_event *ev;
    size_t events = 0, free_events = 0;

    for (c = cal->chunks; c; c = c->next)
        events += CHUNK_EVENTS;
    for (ev = cal->free_list; ev; ev = (const sim_event *)ev->pos)
        free_events++;
    ck_assert_uint_eq(free_events + sim_cal_pending(cal), events);
}

/* A run whose handlers grow the events pending from 64 to 3,000, so
 * that the pool, the heap and the rungs grow while it runs, with a
 * crowd at 10 s and, with outliers, far and infinite times; n
 * allocations of kind fail from the from-th made after the calendar
 * (-1: none). Returns the allocations of kind the run made. */
static long run_failing(int outliers, int kind, long from, long n)
{
    sim_cal *cal;
    tst_cal rc;
    int i;

    reset();
    cal = sim_cal_new();
    ck_assert_ptr_nonnull(cal);
    memset(allocs, 0, sizeof allocs);
    fail_next(kind, from, n);
    tst_cal_init(&rc, 3000, 6000, 17, tst_cal_mixed_delay);
    rc.outliers = outliers;
    rc.grow = 0.5;
    rc.may_fail = 1;
    for (i = 0; i < 64; i++)
        tst_cal_schedule(cal, &rc, tst_cal_mixed_delay(cal, &rc));
    tst_cal_run(cal, &rc, 0.37);
    check_pool(cal);
    if (from < 0)
        ck_assert_int_eq(rc.enomem, 0);
    tst_cal_free(&rc);
    sim_cal_free(cal);
    fail_from = -1;
    return allocs[kind];
}

START_TEST(test_cal_new_out_of_memory_is_null)
{
    reset();
    fail_next(SELF, 0, 1);
    ck_assert_ptr_null(sim_cal_new());
    reset();
    fail_next(HEAP, 0, 1);
    ck_assert_ptr_null(sim_cal_new());
    ck_assert_int_eq(allocs[SELF], 1);
    reset();
}
END_TEST

/* Each allocation of the run fails in turn, alone (_i 0) or with the
 * next seven of its kind (_i 1): every one of the heap and the pool;
 * of the buckets and rungs growing, the first 64, then one in every
 * 64th part of the rest. The events still fire in order. (These runs
 * grow the heap before the rungs take over; a heap that cannot grow
 * in a refill is the case below.) */
START_TEST(test_cal_fires_in_order_whatever_allocation_fails)
{
    long n = _i ? 8 : 1, total, stride, k;
    int outliers, kind;

    for (outliers = 0; outliers <= 1; outliers++)
        for (kind = HEAP; kind <= GROW; kind++) {
            total = run_failing(outliers, kind, -1, 0);
            ck_assert_int_gt(total, (kind == GROW ? 256 : 1));
            stride = kind == GROW ? (total - 64) / 64 + 1 : 1;
            for (k = 0; k < total; k += k < 64 ? 1 : stride) {
                run_failing(outliers, kind, k, n);
                ck_assert_int_ge(failed, 1);
            }
        }
}
END_TEST

static double fired_at[4101];
static long fired[4101];        /* the arg of each event fired */
static int nfired;

static void record(sim_cal *cal, sim_event *ev)
{
    fired_at[nfired] = sim_cal_now(cal);
    fired[nfired++] = ev->arg;
}

/* 1,100 events in rungs and a crowd of 3,000 at one time, too close to
 * spread, which must go to the heap whole when its turn comes, and the
 * heap cannot grow: past the rungs' end, in the top (_i 0), or among
 * them, in one of their buckets (_i 1). The run stops with SIM_ENOMEM
 * before the crowd; once memory is back, the crowd and an event
 * scheduled after it fire in order (args are given in schedule order,
 * so that ties fire by them). The payloads are NULL: the calendar's
 * fetching ahead must not mind. */
START_TEST(test_cal_refill_out_of_memory_runs_on)
{
    const double crowd = _i ? 500.5 : 1999;
    sim_cal *cal;
    int i;

    reset();
    nfired = 0;
    cal = sim_cal_new();
    ck_assert_ptr_nonnull(cal);
    for (i = 0; i < 1100; i++)
        ck_assert_ptr_nonnull(sim_cal_schedule(cal, 1 + i, record, NULL, i));
    ck_assert_int_eq(sim_cal_run(cal, 0.5), SIM_OK);  /* to the rungs */
    for (i = 1100; i < 4100; i++)
        ck_assert_ptr_nonnull(sim_cal_schedule(cal, crowd, record, NULL, i));
    fail_next(HEAP, allocs[HEAP], 1L << 40);
    ck_assert_int_eq(sim_cal_run(cal, INFINITY), SIM_ENOMEM);
    ck_assert_int_gt(failed, 0);
    ck_assert_double_lt(sim_cal_now(cal), crowd);
    reset();
    ck_assert_ptr_nonnull(sim_cal_schedule(cal, 5000, record, NULL, 4100));
    ck_assert_int_eq(sim_cal_run(cal, INFINITY), SIM_OK);
    ck_assert_int_eq(nfired, 4101);
    for (i = 1; i < nfired; i++)
        ck_assert(fired_at[i] > fired_at[i - 1]
                  || (fired_at[i] == fired_at[i - 1]
                      && fired[i] > fired[i - 1]));
    check_pool(cal);
    sim_cal_free(cal);
}
END_TEST

/* The abort below is the calendar's out of memory, not another panic. */
static void on_abort(int sig)
{
    (void)sig;
    if (failed == 0)
        _exit(3);
}

/* A move into a bucket that cannot grow is fatal (sim_cal.h). */
START_TEST(test_cal_reschedule_out_of_memory_aborts)
{
    sim_cal *cal = sim_cal_new();
    sim_event *ev[2000];
    int i;

    ck_assert_ptr_nonnull(cal);
    for (i = 0; i < 2000; i++)
        ev[i] = sim_cal_schedule(cal, 1 + i, NULL, NULL, 0);
    ck_assert_int_eq(sim_cal_run(cal, 0.5), SIM_OK);  /* to the rungs */
    signal(SIGABRT, on_abort);
    fail_next(GROW, allocs[GROW], 1L << 40);
    for (i = 0; i < 2000; i++)
        sim_cal_reschedule(cal, ev[i], 1500.5);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("sim_oom");
    TCase *tc = tcase_create("calendar");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cal_new_out_of_memory_is_null);
    tcase_add_loop_test(tc, test_cal_fires_in_order_whatever_allocation_fails,
                        0, 2);
    tcase_add_loop_test(tc, test_cal_refill_out_of_memory_runs_on, 0, 2);
    tcase_add_test_raise_signal(tc, test_cal_reschedule_out_of_memory_aborts,
                                SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
