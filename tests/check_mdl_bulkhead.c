/*
 * check_mdl_bulkhead.c - the bulkhead's state machine, driven one
 * transition at a time: permits taken up to max_concurrent, refusal at
 * once without max_wait, the line served first come first served as
 * permits come back (handed over, not freed), expiry of max_wait in line
 * order, and leaving the line from its head, middle or tail.
 * The engine's side (timers, resuming calls) is check_mdl_net's.
 */
#include <math.h>
#include <string.h>
#include "../models/mdl_bulkhead.h"
#include "../sim/sim_err.h"
#include "tst.h"

/* Calls stand for attempts: the bulkhead only keeps them and sets park. */
static mdl_call calls[6];

/* The policy, with the calls fresh. */
static mdl_bulkhead_policy policy(long max_concurrent, double max_wait)
{
    mdl_bulkhead_policy p = { 1, max_concurrent, max_wait };

    memset(calls, 0, sizeof calls);
    return p;
}

/* Permits go up to max_concurrent; with max_wait 0 the next attempt is
 * refused at once and nothing waits; a permit given back with nobody in
 * line is free again. */
START_TEST(test_permits_then_refusal_at_once)
{
    mdl_bulkhead_policy p = policy(2, 0);
    mdl_bulkhead b;

    mdl_bulkhead_init(&b, &p);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[0], 1.25), MDL_PASS);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[1], 1.5), MDL_PASS);
    ck_assert_int_eq(b.held, 2);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[2], 1.75),
                     MDL_CALL_REJECTED);
    ck_assert_int_eq(b.held, 2);
    ck_assert_int_eq(b.waiting, 0);
    ck_assert_ptr_null(calls[2].park);
    ck_assert(isinf(mdl_bulkhead_next_expiry(&b)));
    ck_assert_ptr_null(mdl_bulkhead_release(&b));
    ck_assert_int_eq(b.held, 1);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[2], 2.0), MDL_PASS);
    ck_assert_int_eq(b.held, 2);
    mdl_bulkhead_destroy(&b);
}
END_TEST

/* With max_wait, attempts that find no permit wait in line, parked, and
 * get the permits back in the order they came; the count of permits
 * held stays at max_concurrent while anyone waits. */
START_TEST(test_line_is_served_first_come_first_served)
{
    mdl_bulkhead_policy p = policy(1, 0.5);
    mdl_bulkhead b;

    mdl_bulkhead_init(&b, &p);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[0], 1.0), MDL_PASS);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[1], 1.125), MDL_WAIT);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[2], 1.25), MDL_WAIT);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[3], 1.375), MDL_WAIT);
    ck_assert_int_eq(b.waiting, 3);
    ck_assert_ptr_nonnull(calls[1].park);
    ck_assert_double_eq(mdl_bulkhead_next_expiry(&b), 1.625);
    ck_assert_ptr_eq(mdl_bulkhead_release(&b), &calls[1]);
    ck_assert_ptr_null(calls[1].park);
    ck_assert_int_eq(b.held, 1);
    ck_assert_int_eq(b.waiting, 2);
    ck_assert_double_eq(mdl_bulkhead_next_expiry(&b), 1.75);
    /* A newcomer finds the permit taken and queues behind the others. */
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[4], 1.4), MDL_WAIT);
    ck_assert_ptr_eq(mdl_bulkhead_release(&b), &calls[2]);
    ck_assert_ptr_eq(mdl_bulkhead_release(&b), &calls[3]);
    ck_assert_ptr_eq(mdl_bulkhead_release(&b), &calls[4]);
    ck_assert_int_eq(b.waiting, 0);
    ck_assert_int_eq(b.held, 1);
    ck_assert_ptr_null(mdl_bulkhead_release(&b));
    ck_assert_int_eq(b.held, 0);
    mdl_bulkhead_destroy(&b);
}
END_TEST

/* max_wait expires in line order: not before its time, exactly at it,
 * and all those due at once; a permit then has nobody to go to. */
START_TEST(test_max_wait_expires_in_line_order)
{
    mdl_bulkhead_policy p = policy(1, 0.25);
    mdl_bulkhead b;

    mdl_bulkhead_init(&b, &p);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[0], 1.0), MDL_PASS);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[1], 1.0), MDL_WAIT);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[2], 1.125), MDL_WAIT);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[3], 1.125), MDL_WAIT);
    ck_assert_ptr_null(mdl_bulkhead_expire(&b, 1.2));
    ck_assert_ptr_eq(mdl_bulkhead_expire(&b, 1.25), &calls[1]);
    ck_assert_ptr_null(calls[1].park);
    ck_assert_ptr_null(mdl_bulkhead_expire(&b, 1.25));
    ck_assert_double_eq(mdl_bulkhead_next_expiry(&b), 1.375);
    ck_assert_ptr_eq(mdl_bulkhead_expire(&b, 1.5), &calls[2]);
    ck_assert_ptr_eq(mdl_bulkhead_expire(&b, 1.5), &calls[3]);
    ck_assert_ptr_null(mdl_bulkhead_expire(&b, 1.5));
    ck_assert_int_eq(b.waiting, 0);
    ck_assert_int_eq(b.held, 1);    /* expiry gives no permit back */
    ck_assert_ptr_null(mdl_bulkhead_release(&b));
    ck_assert_int_eq(b.held, 0);
    mdl_bulkhead_destroy(&b);
}
END_TEST

/* An attempt that stops waiting (its timeout, its deadline) leaves the
 * line from wherever it is, taking no permit; the others keep their
 * order. */
START_TEST(test_leaving_the_line_from_anywhere)
{
    mdl_bulkhead_policy p = policy(1, 10);
    mdl_bulkhead b;

    mdl_bulkhead_init(&b, &p);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[0], 0), MDL_PASS);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[1], 1), MDL_WAIT);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[2], 2), MDL_WAIT);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[3], 3), MDL_WAIT);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[4], 4), MDL_WAIT);
    mdl_bulkhead_leave(&b, &calls[2]);              /* the middle */
    ck_assert_ptr_null(calls[2].park);
    mdl_bulkhead_leave(&b, &calls[1]);              /* the head */
    ck_assert_double_eq(mdl_bulkhead_next_expiry(&b), 13);
    mdl_bulkhead_leave(&b, &calls[4]);              /* the tail */
    ck_assert_int_eq(b.waiting, 1);
    ck_assert_int_eq(b.held, 1);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[5], 5), MDL_WAIT);
    ck_assert_ptr_eq(mdl_bulkhead_release(&b), &calls[3]);
    ck_assert_ptr_eq(mdl_bulkhead_release(&b), &calls[5]);
    ck_assert_int_eq(b.held, 1);
    mdl_bulkhead_destroy(&b);
}
END_TEST

/* A new replication starts empty, whatever the last one left. */
START_TEST(test_start_empties_it)
{
    mdl_bulkhead_policy p = policy(1, 1);
    mdl_bulkhead b;

    mdl_bulkhead_init(&b, &p);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[0], 0), MDL_PASS);
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[1], 0), MDL_WAIT);
    mdl_bulkhead_start(&b);
    ck_assert_int_eq(b.held, 0);
    ck_assert_int_eq(b.waiting, 0);
    ck_assert(isinf(mdl_bulkhead_next_expiry(&b)));
    ck_assert_int_eq(mdl_bulkhead_acquire(&b, &calls[2], 0), MDL_PASS);
    mdl_bulkhead_destroy(&b);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_bulkhead");
    TCase *tc = tcase_create("states");

    tcase_add_test(tc, test_permits_then_refusal_at_once);
    tcase_add_test(tc, test_line_is_served_first_come_first_served);
    tcase_add_test(tc, test_max_wait_expires_in_line_order);
    tcase_add_test(tc, test_leaving_the_line_from_anywhere);
    tcase_add_test(tc, test_start_empties_it);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
