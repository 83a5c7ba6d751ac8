/*
 * check_mdl_series.c - the time series of a replication (mdl_series.c):
 * exact window values with deterministic times, a statistics reset in
 * the middle of a window, a run stopped early, the default window, and
 * series that add up to the summary's values.
 *
 * tests/data/ts.yaml: a request every 250 ms from t = 0.25 s through x
 * (no work) to web (125 ms, one worker). Requests arriving from 3 s to
 * 4 s get an error; the breaker of x->web (last 2 calls, 100% failures)
 * opens when the second of them ends at 3.375 s and, as Resilience4j by
 * default, stays open until the first call after open_for (500 ms): the
 * one at 4.0 s, which succeeds and closes it. The requests at 3.5 and
 * 3.75 s are refused at once. Windows of 1 s over 5 s:
 *
 *   window           1      2     3     4      5
 *   requests done    3      4     4     0      4     (ends 0.375 + k/4)
 *   web busy (s)     0.375  0.5   0.5   0.25   0.5
 *   breaker open     0      0     0     0.625  0     (3.375 to 4.0)
 *   tries per call   1      1     1     2/4    1
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_stat.h"
#include "tst.h"

typedef struct run {
    mdl_scenario *s;
    mdl_net *net;
    double *res;
} run;

/* Every request that succeeded: its class, end and latency. */
typedef struct seen {
    size_t n, cap;
    int *cls;
    double *end, *lat;
} seen;

static void observe(void *ctx, const mdl_net_req *q)
{
    seen *s = ctx;

    if (q->outcome != MDL_REQ_OK)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->cls = realloc(s->cls, s->cap * sizeof *s->cls);
        s->end = realloc(s->end, s->cap * sizeof *s->end);
        s->lat = realloc(s->lat, s->cap * sizeof *s->lat);
        ck_assert(s->cls && s->end && s->lat);
    }
    s->cls[s->n] = q->cls;
    s->end[s->n] = q->end;
    s->lat[s->n++] = q->end - q->start;
}

static void run_seen(run *r, const char *path, const char *const *sets,
                     size_t nsets, seen *obs)
{
    sim_diag d;

    memset(&d, 0, sizeof d);
    memset(r, 0, sizeof *r);
    if (mdl_scenario_load(&r->s, tst_path(path), sets, nsets, &d) != SIM_OK)
        ck_abort_msg("%s:%d: %s", d.file, d.line, d.msg);
    ck_assert_int_eq(mdl_net_new(&r->net, r->s, &d), SIM_OK);
    r->res = malloc(mdl_net_result_len(r->net) * sizeof *r->res);
    ck_assert_ptr_nonnull(r->res);
    if (obs)
        mdl_net_set_observer(r->net, observe, obs);
    ck_assert_int_eq(mdl_net_run(r->net, 0, r->res, NULL, &d), SIM_OK);
}

static void run_ts(run *r, const char *path, const char *const *sets,
                   size_t nsets)
{
    run_seen(r, path, sets, nsets, NULL);
}

static void run_free(run *r)
{
    free(r->res);
    mdl_net_free(r->net);
    mdl_scenario_free(r->s);
}

static size_t series(const run *r, const char *scope, const char *metric)
{
    size_t i;

    for (i = 0; i < mdl_net_nseries(r->net); i++)
        if (!strcmp(mdl_net_series_scope(r->net, i), scope)
            && !strcmp(mdl_net_series_metric(r->net, i), metric))
            return i;
    ck_abort_msg("no series %s %s", scope, metric);
    return 0;
}

/* Window k's value of (scope, metric). */
static double at(const run *r, size_t k, const char *scope,
                 const char *metric)
{
    size_t off = mdl_net_series_offset(r->net);

    return r->res[off + 1 + k * mdl_net_nseries(r->net)
                  + series(r, scope, metric)];
}

static double end_of(const run *r)
{
    return r->res[mdl_net_series_offset(r->net)];
}

/* want[k] for each of the 5 windows; NAN: no value. */
static void expect(const run *r, const char *scope, const char *metric,
                   const double *want)
{
    size_t k;

    for (k = 0; k < 5; k++) {
        double got = at(r, k, scope, metric);
        if (isnan(want[k]))
            ck_assert_msg(isnan(got), "%s %s window %zu: %.17g, expected "
                          "none", scope, metric, k + 1, got);
        else
            ck_assert_msg(fabs(got - want[k]) < 1e-12, "%s %s window %zu: "
                          "%.17g, expected %.17g", scope, metric, k + 1,
                          got, want[k]);
    }
}

/* Windowed attempts per try of the calls a scope's requests reach: the
 * system's from the net's running sums, each class's from the edges
 * that apply to it (tests/data/ts_types.yaml): readers' calls take two
 * tries, writers' one, one of each ending in every window. */
START_TEST(test_attempts_follow_the_edges_of_each_class)
{
    static const double sys[] = { 1.5, 1.5, 1.5 };
    static const double reader[] = { 2, 2, 2 };
    static const double writer[] = { 1, 1, 1 };
    const double *want[] = { sys, reader, writer };
    static const char *const scope[] = {
        "system", "class:reader", "class:writer"
    };
    run r;
    size_t i, k;

    run_ts(&r, "tests/data/ts_types.yaml", NULL, 0);
    ck_assert_uint_eq(mdl_net_nwindows(r.net), 3);
    for (i = 0; i < 3; i++)
        for (k = 0; k < 3; k++)
            ck_assert_msg(at(&r, k, scope[i], "attempts") == want[i][k],
                          "%s window %zu: %.17g, expected %g", scope[i],
                          k + 1, at(&r, k, scope[i], "attempts"),
                          want[i][k]);
    run_free(&r);
}
END_TEST

START_TEST(test_det_windows_have_exact_values)
{
    static const double thr[] = { 3, 4, 4, 0, 4 };
    static const double avail[] = { 1, 1, 1, 0, 1 };
    static const double util[] = { 0.375, 0.5, 0.5, 0.25, 0.5 };
    static const double open[] = { 0, 0, 0, 0.625, 0 };
    static const double tries[] = { 1, 1, 1, 0.5, 1 };
    static const double zero[] = { 0, 0, 0, 0, 0 };
    run r;
    size_t k;

    run_ts(&r, "tests/data/ts.yaml", NULL, 0);
    ck_assert_uint_eq(mdl_net_nwindows(r.net), 5);
    /* 5 request series for the system and the class, 3 per service, the
     * breaker's */
    ck_assert_uint_eq(mdl_net_nseries(r.net), 5 + 5 + 3 + 3 + 1);
    ck_assert_double_eq(end_of(&r), 5.0);
    for (k = 0; k < 5; k++) {
        ck_assert_double_eq(mdl_net_window_start(r.net, k), (double)k);
        ck_assert_double_eq(mdl_net_window_end(r.net, k), k + 1.0);
    }
    expect(&r, "system", "throughput", thr);
    expect(&r, "class:shop", "throughput", thr);
    expect(&r, "system", "availability", avail);
    expect(&r, "service:web", "utilization", util);
    expect(&r, "service:web", "queue_mean", zero);
    expect(&r, "call:x->web", "breaker_open", open);
    expect(&r, "system", "attempts", tries);
    expect(&r, "class:shop", "attempts", tries);
    for (k = 0; k < 5; k++) {
        double p50 = at(&r, k, "system", "latency_p50");
        double p99 = at(&r, k, "class:shop", "latency_p99");
        if (k == 3) {               /* no request succeeded */
            ck_assert(isnan(p50) && isnan(p99));
            continue;
        }
        /* every latency is 125 ms: in the histogram's bin from 125 ms,
         * 1/128 of it wide */
        ck_assert(p50 >= 0.125 && p50 <= 0.125 * (1 + 1.0 / 128));
        ck_assert(p99 >= 0.125 && p99 <= 0.125 * (1 + 1.0 / 128));
    }
    run_free(&r);
}
END_TEST

/* web crashes from 1.5 s to 3.25 s: the share of each window it is up,
 * across the warm-up reset at 2.5 s. */
START_TEST(test_up_is_the_share_of_each_window_up)
{
    const char *sets[] = {
        "failures.1.service=web", "failures.1.mode=crash",
        "failures.1.at=1.5s", "failures.1.for=1.75s"
    };
    static const double up[] = { 1, 0.5, 0, 0.75, 1 };
    run r;

    run_ts(&r, "tests/data/ts.yaml", sets, 4);
    expect(&r, "service:web", "up", up);
    run_free(&r);
}
END_TEST

/* The reset at the end of warm-up (2.5 s, inside window 3) changes no
 * window: the same run without warm-up gives the same series. */
START_TEST(test_warmup_reset_inside_a_window_changes_nothing)
{
    const char *sets[] = { "run.warmup=0s", "run.duration=5s" };
    run a, b;
    size_t n, i;

    run_ts(&a, "tests/data/ts.yaml", NULL, 0);
    run_ts(&b, "tests/data/ts.yaml", sets, 2);
    n = 5 * mdl_net_nseries(a.net);
    for (i = 0; i < n; i++) {
        double x = a.res[mdl_net_series_offset(a.net) + 1 + i];
        double y = b.res[mdl_net_series_offset(b.net) + 1 + i];
        ck_assert_msg((isnan(x) && isnan(y)) || fabs(x - y) < 1e-12,
                      "value %zu: %.17g with warm-up, %.17g without", i, x,
                      y);
    }
    run_free(&a);
    run_free(&b);
}
END_TEST

/* run.requests = 6 stops the run when the 6th request after warm-up
 * ends: 2.625, 2.875, 3.125, 3.375 s, then two refused at 3.5 and 3.75
 * s. Window 4 ends there, 0.75 s wide; window 5 has no values. */
START_TEST(test_stopped_run_ends_its_last_window_early)
{
    const char *sets[] = { "run.requests=6" };
    run r;
    size_t i;

    run_ts(&r, "tests/data/ts.yaml", sets, 1);
    ck_assert_double_eq(end_of(&r), 3.75);
    ck_assert_double_eq_tol(at(&r, 3, "service:web", "utilization"),
                            0.25 / 0.75, 1e-12);
    ck_assert_double_eq_tol(at(&r, 3, "call:x->web", "breaker_open"),
                            0.375 / 0.75, 1e-12);
    ck_assert_double_eq(at(&r, 3, "system", "throughput"), 0);
    ck_assert_double_eq(at(&r, 2, "system", "throughput"), 4);
    for (i = 0; i < mdl_net_nseries(r.net); i++)
        ck_assert(isnan(r.res[mdl_net_series_offset(r.net) + 1
                              + 4 * mdl_net_nseries(r.net) + i]));
    run_free(&r);
}
END_TEST

/* Without run.window: the 1-2-5 x 10^k value nearest a hundredth of
 * warm-up + duration. */
START_TEST(test_default_window_gives_about_100)
{
    static const struct {
        const char *warmup, *duration;
        double window, windows;
    } cases[] = {
        { "run.warmup=0s", "run.duration=10s", 0.1, 100 },
        { "run.warmup=1m", "run.duration=10m", 5, 132 },
        { "run.warmup=0s", "run.duration=30s", 0.2, 150 },
        { "run.warmup=2.5s", "run.duration=5s", 0.1, 75 },
        { "run.warmup=0s", "run.duration=1h", 50, 72 },
        { "run.warmup=0s", "run.duration=1.37s", 0.01, 137 },
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *sets[2];
        mdl_scenario *s = NULL;
        sim_diag d;
        sets[0] = cases[i].warmup;
        sets[1] = cases[i].duration;
        ck_assert_int_eq(mdl_scenario_load(&s,
                             tst_path("tests/data/good_defaults.yaml"),
                             sets, 2, &d), SIM_OK);
        ck_assert_msg(fabs(mdl_scenario_window(s) - cases[i].window)
                      < 1e-12 * cases[i].window, "%s %s: window %.17g",
                      sets[0], sets[1], mdl_scenario_window(s));
        ck_assert_double_eq(mdl_scenario_windows(s), cases[i].windows);
        mdl_scenario_free(s);
    }
}
END_TEST

/* The windows after warm-up, weighted by their width, give the
 * summary's time averages and rates: the series read the same counters. */
START_TEST(test_series_add_up_to_the_summary)
{
    static const char *const pairs[][2] = {
        { "service:server", "utilization" },
        { "service:server", "queue_mean" },
        { "system", "throughput" },
    };
    const char *sets[] = { "run.warmup=20s", "run.duration=130s",
                           "run.window=10s" };
    run r;
    size_t p, k, m;

    run_ts(&r, "scenarios/mm1.yaml", sets, 3);
    ck_assert_uint_eq(mdl_net_nwindows(r.net), 15);
    for (p = 0; p < 3; p++) {
        double sum = 0, want = NAN;
        for (k = 2; k < 15; k++)
            sum += at(&r, k, pairs[p][0], pairs[p][1]) * 10;
        for (m = 0; m < mdl_net_nmetrics(r.net); m++)
            if (!strcmp(mdl_net_scope(r.net, m), pairs[p][0])
                && !strcmp(mdl_net_metric(r.net, m), pairs[p][1]))
                want = r.res[m];
        ck_assert(want > 0);
        ck_assert_msg(fabs(sum / 130 - want) < 1e-9 * want, "%s %s: "
                      "windows %.17g, summary %.17g", pairs[p][0],
                      pairs[p][1], sum / 130, want);
    }
    run_free(&r);
}
END_TEST

/* The windows' quantiles of each class and of the system are those of
 * the requests that ended in the window, as the observer saw them:
 * three classes whose latencies span different bins, a warm-up reset
 * inside a window. */
START_TEST(test_window_quantiles_are_those_of_its_requests)
{
    const char *sets[] = { "run.warmup=55s", "run.duration=145s",
                           "run.window=10s" };
    static const char *const scope[] = {
        "system", "class:readHomeTimeline", "class:readUserTimeline",
        "class:composePost"
    };
    sim_hist *h = malloc(sizeof *h);
    seen obs = {0};
    run r;
    size_t k, i, c;

    ck_assert_ptr_nonnull(h);
    run_seen(&r, "scenarios/social_network.yaml", sets, 3, &obs);
    ck_assert_uint_eq(mdl_net_nwindows(r.net), 20);
    for (k = 0; k < 20; k++)
        for (c = 0; c < 4; c++) {
            sim_hist_reset(h);
            for (i = 0; i < obs.n; i++)
                if (obs.end[i] > 10.0 * k && obs.end[i] <= 10.0 * (k + 1)
                    && (c == 0 || obs.cls[i] == (int)c - 1))
                    sim_hist_add(h, obs.lat[i]);
            ck_assert_msg(h->n > 0, "%s window %zu empty", scope[c], k);
            ck_assert_double_eq(at(&r, k, scope[c], "latency_p50"),
                                sim_hist_quantile(h, 0.50));
            ck_assert_double_eq(at(&r, k, scope[c], "latency_p99"),
                                sim_hist_quantile(h, 0.99));
        }
    free(obs.cls);
    free(obs.end);
    free(obs.lat);
    free(h);
    run_free(&r);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_series");
    TCase *tc = tcase_create("windows");

    tcase_add_test(tc, test_det_windows_have_exact_values);
    tcase_add_test(tc, test_attempts_follow_the_edges_of_each_class);
    tcase_add_test(tc, test_warmup_reset_inside_a_window_changes_nothing);
    tcase_add_test(tc, test_up_is_the_share_of_each_window_up);
    tcase_add_test(tc, test_stopped_run_ends_its_last_window_early);
    tcase_add_test(tc, test_default_window_gives_about_100);
    tcase_add_test(tc, test_series_add_up_to_the_summary);
    tcase_add_test(tc, test_window_quantiles_are_those_of_its_requests);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
