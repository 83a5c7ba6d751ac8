/*
 * check_mdl_breaker.c - the circuit breaker's state machine, driven one
 * outcome at a time through Resilience4j's transitions: CLOSED to OPEN
 * at the failure-rate and slow-call thresholds (and not below min_calls),
 * the sliding count and time windows, OPEN refusing until open_for has
 * passed, HALF_OPEN's trial calls closing or reopening it.
 */
#include <math.h>
#include "../models/mdl_breaker.h"
#include "../sim/sim_err.h"
#include "tst.h"

/* Resilience4j's defaults but a small count window. */
static mdl_breaker_policy policy(long window, long min_calls)
{
    mdl_breaker_policy p = {
        1, 0, window, min_calls, 50.0, 100.0, 60.0, 60.0, 10
    };
    return p;
}

static void ok_one(mdl_breaker *b, double now)
{
    ck_assert(mdl_breaker_permit(b, now));
    mdl_breaker_record(b, now, 0, 0.001);
}

static void fail_one(mdl_breaker *b, double now)
{
    ck_assert(mdl_breaker_permit(b, now));
    mdl_breaker_record(b, now, 1, 0.001);
}

/* Below min_calls nothing opens it, even all failures; at min_calls a
 * failure rate of 50% (>= the threshold) does. */
START_TEST(test_opens_at_the_threshold_once_min_calls_are_in)
{
    mdl_breaker_policy p = policy(4, 4);
    mdl_breaker b;

    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    fail_one(&b, 1);
    ok_one(&b, 2);
    fail_one(&b, 3);
    ck_assert_int_eq(b.state, MDL_BREAKER_CLOSED);
    ok_one(&b, 4);                  /* 2 of 4 failed: 50% */
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    ck_assert_double_eq(b.opened_at, 4);
    mdl_breaker_destroy(&b);
}
END_TEST

/* A count window slides: the oldest outcome leaves as a new one comes. */
START_TEST(test_count_window_slides)
{
    mdl_breaker_policy p = policy(4, 4);
    mdl_breaker b;

    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    fail_one(&b, 1);
    ok_one(&b, 2);
    ok_one(&b, 3);
    ok_one(&b, 4);                  /* 1 of 4: 25% */
    ok_one(&b, 5);                  /* the failure left: 0 of 4 */
    ck_assert_int_eq(b.failed, 0);
    ck_assert_int_eq(b.calls, 4);
    fail_one(&b, 6);
    ck_assert_int_eq(b.state, MDL_BREAKER_CLOSED);      /* 25% */
    fail_one(&b, 7);                /* 2 of 4 */
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    mdl_breaker_destroy(&b);
}
END_TEST

/* min_calls above a count window is the window (Resilience4j). */
START_TEST(test_min_calls_is_at_most_the_count_window)
{
    mdl_breaker_policy p = policy(2, 100);
    mdl_breaker b;

    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    ok_one(&b, 1);
    fail_one(&b, 2);
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    mdl_breaker_destroy(&b);
}
END_TEST

/* OPEN refuses (and counts it) until open_for has passed; then the next
 * attempt finds it HALF_OPEN, which lets half_open_calls through and
 * refuses the rest until they have ended. Outcomes of attempts let
 * through before it opened change nothing. */
START_TEST(test_open_waits_then_half_open_lets_trials_through)
{
    mdl_breaker_policy p = policy(2, 2);
    mdl_breaker b;
    int i;

    p.half_open_calls = 3;
    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    fail_one(&b, 1);
    fail_one(&b, 2);
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    mdl_breaker_record(&b, 3, 0, 0.001);                /* late: ignored */
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    ck_assert(!mdl_breaker_permit(&b, 10));
    ck_assert(!mdl_breaker_permit(&b, 61.999));
    ck_assert_double_eq(b.short_circuited, 2);
    for (i = 0; i < 3; i++)
        ck_assert(mdl_breaker_permit(&b, 62));
    ck_assert_int_eq(b.state, MDL_BREAKER_HALF_OPEN);
    ck_assert(!mdl_breaker_permit(&b, 62));
    ck_assert_double_eq(b.short_circuited, 3);
    mdl_breaker_destroy(&b);
}
END_TEST

/* Trial outcomes under the thresholds close it, with an empty window;
 * at or above them it opens again, its wait starting anew. */
START_TEST(test_half_open_closes_or_opens_again)
{
    mdl_breaker_policy p = policy(2, 2);
    mdl_breaker b;

    p.half_open_calls = 2;
    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    fail_one(&b, 1);
    fail_one(&b, 2);
    ok_one(&b, 70);                 /* trial 1: now HALF_OPEN */
    ck_assert_int_eq(b.state, MDL_BREAKER_HALF_OPEN);
    ok_one(&b, 71);                 /* trial 2: 0% failed */
    ck_assert_int_eq(b.state, MDL_BREAKER_CLOSED);
    ck_assert_int_eq(b.calls, 0);
    fail_one(&b, 72);
    fail_one(&b, 73);
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    ok_one(&b, 140);                /* HALF_OPEN again */
    fail_one(&b, 141);              /* 1 of 2: 50% */
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    ck_assert_double_eq(b.opened_at, 141);
    ck_assert(!mdl_breaker_permit(&b, 200));
    ck_assert(mdl_breaker_permit(&b, 201));
    mdl_breaker_destroy(&b);
}
END_TEST

/* A trial cancelled before its outcome (its caller crashed) gives its
 * permit back (Resilience4j's releasePermission); a call cancelled while
 * CLOSED counts for nothing. */
START_TEST(test_cancelled_trial_gives_its_permit_back)
{
    mdl_breaker_policy p = policy(2, 2);
    mdl_breaker b;

    p.half_open_calls = 2;
    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    ck_assert(mdl_breaker_permit(&b, 1));
    mdl_breaker_release(&b);
    ck_assert_int_eq(b.calls, 0);
    fail_one(&b, 1);
    fail_one(&b, 2);
    ck_assert(mdl_breaker_permit(&b, 70));          /* trial 1 */
    ck_assert(mdl_breaker_permit(&b, 70));          /* trial 2 */
    ck_assert(!mdl_breaker_permit(&b, 70));
    mdl_breaker_release(&b);                        /* trial 2 cancelled */
    ck_assert_int_eq(b.half_permits, 1);
    ck_assert(mdl_breaker_permit(&b, 71));          /* another trial */
    mdl_breaker_record(&b, 72, 0, 0.001);
    ck_assert_int_eq(b.state, MDL_BREAKER_HALF_OPEN);
    mdl_breaker_record(&b, 72, 0, 0.001);
    ck_assert_int_eq(b.state, MDL_BREAKER_CLOSED);
    mdl_breaker_destroy(&b);
}
END_TEST

/* Successful but slow calls open it at the slow-call rate. */
START_TEST(test_slow_calls_open_it)
{
    mdl_breaker_policy p = policy(2, 2);
    mdl_breaker b;

    p.slow_rate = 50;
    p.slow_duration = 1;
    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    ck_assert(mdl_breaker_permit(&b, 1));
    mdl_breaker_record(&b, 1, 0, 1.0);      /* 1 s is not slower than 1 s */
    ck_assert(mdl_breaker_permit(&b, 2));
    mdl_breaker_record(&b, 2, 0, 0.5);
    ck_assert_int_eq(b.state, MDL_BREAKER_CLOSED);
    ck_assert(mdl_breaker_permit(&b, 3));
    mdl_breaker_record(&b, 3, 0, 1.5);      /* 1 of the last 2 slow */
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    mdl_breaker_destroy(&b);
}
END_TEST

/* A time window of 10 s counts the outcomes of the last ten seconds:
 * the failure at 0.5 s has left it by 11 s. */
START_TEST(test_time_window_forgets_old_seconds)
{
    mdl_breaker_policy p = policy(10, 2);
    mdl_breaker b;

    p.time_based = 1;
    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    fail_one(&b, 0.5);
    fail_one(&b, 11);
    ck_assert_int_eq(b.calls, 1);
    ck_assert_int_eq(b.state, MDL_BREAKER_CLOSED);
    ok_one(&b, 11.5);               /* 1 of 2 */
    ck_assert_int_eq(b.state, MDL_BREAKER_OPEN);
    mdl_breaker_destroy(&b);
}
END_TEST

/* The time it is open, for breaker_open. */
START_TEST(test_time_open_is_measured)
{
    mdl_breaker_policy p = policy(2, 2);
    mdl_breaker b;

    p.open_for = 10;
    ck_assert_int_eq(mdl_breaker_init(&b, &p), SIM_OK);
    fail_one(&b, 10);
    fail_one(&b, 20);               /* open from 20 */
    ok_one(&b, 40);                 /* half-open from 40 */
    ck_assert_double_eq_tol(sim_twa_mean(&b.open_twa, 100), 0.2, 1e-12);
    mdl_breaker_destroy(&b);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_breaker");
    TCase *tc = tcase_create("transitions");

    tcase_add_test(tc, test_opens_at_the_threshold_once_min_calls_are_in);
    tcase_add_test(tc, test_count_window_slides);
    tcase_add_test(tc, test_min_calls_is_at_most_the_count_window);
    tcase_add_test(tc, test_open_waits_then_half_open_lets_trials_through);
    tcase_add_test(tc, test_half_open_closes_or_opens_again);
    tcase_add_test(tc, test_cancelled_trial_gives_its_permit_back);
    tcase_add_test(tc, test_slow_calls_open_it);
    tcase_add_test(tc, test_time_window_forgets_old_seconds);
    tcase_add_test(tc, test_time_open_is_measured);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
