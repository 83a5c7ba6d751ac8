/*
 * check_mdl_plan.c - the forward-edge pick of a routing plan
 * (models/mdl_plan.h): the binary search used beyond 8 edges picks the
 * edge the linear scan picks, which is the one summing probabilities in
 * edge order picks, at every size, for draws on and around the sums.
 */
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include "../models/mdl_plan.h"
#include "tst.h"

/* The first i with u < cum[i], or n. */
static int scan(const double *cum, int n, double u)
{
    int i;

    for (i = 0; i < n && !(u < cum[i]); i++)
        ;
    return i;
}

START_TEST(test_forward_pick_is_the_first_sum_above_the_draw)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    double cum[40];
    mdl_plan pl = { .fwd_cum = cum };
    int n, i, k;

    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, 7);
    for (n = 1; n <= 40; n++) {
        /* Probabilities that sum to 1, or to less (the visit may answer
         * without moving on), some of them equal. */
        double total = n % 3 ? 1.0 : 0.8, p = 0, sum = 0;
        for (i = 0; i < n; i++) {
            if (i % 4 != 1)         /* every fourth repeats the one before */
                p = 0.5 + gsl_rng_uniform(r);
            sum += p;
            cum[i] = sum;
        }
        for (i = 0; i < n; i++)
            cum[i] *= total / sum;
        pl.nfwd = n;
        for (k = 0; k < 2000; k++) {
            double u = gsl_rng_uniform(r);
            ck_assert_int_eq(mdl_plan_forward(&pl, u), scan(cum, n, u));
        }
        for (i = 0; i < n; i++) {   /* on a sum: the next edge */
            ck_assert_int_eq(mdl_plan_forward(&pl, cum[i]),
                             scan(cum, n, cum[i]));
            ck_assert_int_gt(mdl_plan_forward(&pl, cum[i]), i);
        }
        ck_assert_int_eq(mdl_plan_forward(&pl, 0), 0);
        ck_assert_int_eq(mdl_plan_forward(&pl, 0.9999999), n % 3 ? n - 1 : n);
    }
    gsl_rng_free(r);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_plan");
    TCase *tc = tcase_create("forward");

    tcase_add_test(tc, test_forward_pick_is_the_first_sum_above_the_draw);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
