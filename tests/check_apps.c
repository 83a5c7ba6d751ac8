/*
 * check_apps.c - the shipped applications are faithful to their source:
 * for one request class at a time, the calls per request out of a service
 * equal the number of RPCs the application's code makes, and every
 * scenario runs as shipped (shortened) with every request succeeding.
 *
 * Call counts come from the request handlers of each application:
 * Online Boutique [GoogleCloudPlatform/microservices-demo,
 * src/frontend/handlers.go, src/checkoutservice/main.go], DeathStarBench
 * socialNetwork and hotelReservation [delimitrou/DeathStarBench]; the
 * topology files cite them line by line.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tst.h"
#include "tst_model.h"

/* Run scenario with only class `only` of its first workload's `nmix`
 * classes (the others at a negligible weight) and return the calls per
 * request on all call edges out of service `from`. Calls and requests are
 * counted in the same window, so requests in flight at its ends blur the
 * ratio by about one request in a thousand: CALLS_TOL (0.5%) is far below
 * the 1/34 that one call more or less would make. */
#define CALLS_TOL 0.005
static double calls_out_of(const char *scenario, int only, int nmix,
                           const char *from)
{
    char sets[16][64];
    const char *argv[16];
    char prefix[128];
    size_t n = 0, i;
    double total = 0;
    tst_model m;
    int k;

    for (k = 0; k < nmix; k++)
        if (k != only) {
            snprintf(sets[n], sizeof sets[n], "workload.0.mix.%d.weight=1e-12",
                     k);
            argv[n] = sets[n];
            n++;
        }
    argv[n++] = "run.duration=60s";
    argv[n++] = "run.warmup=2s";
    argv[n++] = "run.replications=2";
    tst_model_run(&m, scenario, argv, n);
    snprintf(prefix, sizeof prefix, "call:%s->", from);
    for (i = 0; i < mdl_net_nmetrics(m.net); i++)
        if (!strncmp(mdl_net_scope(m.net, i), prefix, strlen(prefix))
            && !strcmp(mdl_net_metric(m.net, i), "calls"))
            total += m.rep->ci[i].mean;
    tst_model_free(&m);
    return total;
}

/* Online Boutique's locust tasks, in the scenario's mix order: home,
 * setCurrency, browseProduct, addToCart, viewCart (m = 2 items), checkout
 * (m = 2). Frontend RPCs: 13, 0, 11, 13, 14, 21; PlaceOrder makes
 * 7 + 2m = 11. Redis operations per task vary with p, so only the RPCs
 * are exact per request. */
START_TEST(test_online_boutique_rpcs_per_task)
{
    static const double frontend[] = {13, 0, 11, 13, 14, 21};
    int c;

    for (c = 0; c < 6; c++) {
        double got = calls_out_of("scenarios/online_boutique.yaml", c, 6,
                                  "frontend");
        ck_assert_msg(fabs(got - frontend[c]) <= CALLS_TOL * frontend[c],
                      "class %d: %.4f calls per request, not %g", c, got,
                      frontend[c]);
    }
    ck_assert_double_eq_tol(calls_out_of("scenarios/online_boutique.yaml", 5,
                                         6, "checkout"), 11,
                            CALLS_TOL * 11);
}
END_TEST

/* socialNetwork compose-post: compose-post-service fans out to text,
 * user, media and unique-id in parallel, then calls post-storage,
 * user-timeline and home-timeline: 7 calls; text calls url-shorten and
 * user-mention in parallel. */
START_TEST(test_social_network_compose_post)
{
    ck_assert_double_eq_tol(calls_out_of("scenarios/social_network.yaml", 2,
                                         3, "compose-post"), 7,
                            CALLS_TOL * 7);
    ck_assert_double_eq_tol(calls_out_of("scenarios/social_network.yaml", 2,
                                         3, "text"), 2,
                            CALLS_TOL * 2);
    ck_assert_double_eq_tol(calls_out_of("scenarios/social_network.yaml", 0,
                                         3, "nginx-thrift"), 1,
                            CALLS_TOL * 1);
}
END_TEST

/* hotelReservation search: frontend calls search, then reservation and
 * profile (3); search calls geo, then rate (2). */
START_TEST(test_hotel_reservation_search)
{
    ck_assert_double_eq_tol(calls_out_of("scenarios/hotel_reservation.yaml",
                                         0, 4, "frontend"), 3,
                            CALLS_TOL * 3);
    ck_assert_double_eq_tol(calls_out_of("scenarios/hotel_reservation.yaml",
                                         0, 4, "search"), 2,
                            CALLS_TOL * 2);
}
END_TEST

/* Every shipped application runs, shortened, and every request succeeds. */
START_TEST(test_applications_run)
{
    static const char *const apps[] = {
        "scenarios/online_boutique.yaml", "scenarios/social_network.yaml",
        "scenarios/hotel_reservation.yaml"
    };
    static const char *const sets[] = {
        "run.duration=30s", "run.warmup=5s", "run.replications=2"
    };
    size_t i;

    for (i = 0; i < 3; i++) {
        tst_model m;
        tst_model_run(&m, apps[i], sets, 3);
        ck_assert_double_eq(tst_model_ci(&m, "system", "availability")->mean,
                            1.0);
        ck_assert(tst_model_ci(&m, "system", "latency_mean")->mean > 0);
        tst_model_free(&m);
    }
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("apps");
    TCase *tc = tcase_create("structure");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_online_boutique_rpcs_per_task);
    tcase_add_test(tc, test_social_network_compose_post);
    tcase_add_test(tc, test_hotel_reservation_search);
    tcase_add_test(tc, test_applications_run);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
