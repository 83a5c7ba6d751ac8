/*
 * check_ana_store.c - replications' result vectors kept with trimmed
 * histograms: what is read back is exactly what was put, a replication's
 * own quantiles come back from its trimmed histogram, and the report's
 * pooled quantiles and their intervals are those of the whole vectors.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_report.h"
#include "../analysis/ana_store.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_stat.h"
#include "tst.h"

/* Doubles equal bit for bit (NaN to NaN). */
static int same(double a, double b)
{
    return !memcmp(&a, &b, sizeof a);
}

static void load(mdl_scenario **s, mdl_net **net, const char *path,
                 const char *const *sets, size_t nsets)
{
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_scenario_load(s, tst_path(path), sets, nsets, &d),
                     SIM_OK);
    ck_assert_int_eq(mdl_net_new(net, *s, &d), SIM_OK);
}

/* ---- made up by hand ---- */

/* Jackson has three histogram scopes: system, class:browse, class:api.
 * The system's counts need 1 byte, then 2, then 4 and 8 within one
 * histogram's range, browse's 2 bytes; api has none. */
START_TEST(test_a_histogram_keeps_its_occupied_bins_in_the_fewest_bytes)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    ana_store st;
    double *vec, *back;
    size_t len, nm, lo, hi, i;
    uint64_t *pool;

    load(&s, &net, "scenarios/jackson.yaml", NULL, 0);
    ck_assert_uint_eq(mdl_net_nhists(net), 3);
    len = mdl_net_result_len(net);
    nm = mdl_net_nmetrics(net);
    vec = calloc(len, sizeof *vec);
    back = malloc(len * sizeof *back);
    pool = calloc(SIM_HIST_BINS, sizeof *pool);
    ck_assert(vec && back && pool);
    for (i = 0; i < nm; i++)
        vec[i] = 0.002385 * (double)i;
    vec[3] = NAN;                       /* a metric not observed */
    for (i = nm + 3 * SIM_HIST_BINS; i < len; i++)
        vec[i] = 1.5 + (double)i;       /* the series */
    /* system: bins 1000 .. 1003 and 1010; 0 inside the range is kept */
    vec[nm + 1000] = 7;
    vec[nm + 1001] = 65535;             /* 2 bytes */
    vec[nm + 1003] = 4294967296.0;      /* 2^32: 8 bytes */
    vec[nm + 1010] = 1;
    /* browse: two far bins, 2 bytes */
    vec[nm + SIM_HIST_BINS + 12] = 256;
    vec[nm + SIM_HIST_BINS + SIM_HIST_BINS - 1] = 3;

    ck_assert_int_eq(ana_store_init(&st, net, 2), SIM_OK);
    ck_assert_int_eq(ana_store_put(&st, 1, vec), SIM_OK);
    ck_assert_uint_eq(ana_store_range(&st, 1, 0, &lo, &hi), 8);
    ck_assert_uint_eq(lo, 1000);
    ck_assert_uint_eq(hi, 1010);
    ck_assert_uint_eq(ana_store_range(&st, 1, 1, &lo, &hi), 2);
    ck_assert_uint_eq(lo, 12);
    ck_assert_uint_eq(hi, SIM_HIST_BINS - 1);
    ana_store_range(&st, 1, 2, &lo, &hi);
    ck_assert_uint_gt(lo, hi);          /* api: nothing kept */

    ck_assert_uint_eq(ana_store_total(&st, 1, 0),
                      7 + 65535 + 4294967296ULL + 1);
    ck_assert_uint_eq(ana_store_count(&st, 1, 0, 1001), 65535);
    ck_assert_uint_eq(ana_store_count(&st, 1, 0, 1002), 0);
    ck_assert_uint_eq(ana_store_count(&st, 1, 0, 999), 0);
    ck_assert_uint_eq(ana_store_count(&st, 1, 0, 1011), 0);
    ck_assert_uint_eq(ana_store_below(&st, 1, 0, 1000), 0);
    ck_assert_uint_eq(ana_store_below(&st, 1, 0, 1002), 7 + 65535);
    ck_assert_uint_eq(ana_store_below(&st, 1, 0, 1010),
                      7 + 65535 + 4294967296ULL);
    ck_assert_uint_eq(ana_store_below(&st, 1, 0, SIM_HIST_BINS),
                      ana_store_total(&st, 1, 0));
    ck_assert_uint_eq(ana_store_below(&st, 1, 1, SIM_HIST_BINS - 1), 256);
    ck_assert_uint_eq(ana_store_total(&st, 1, 2), 0);
    ck_assert_uint_eq(ana_store_below(&st, 1, 2, SIM_HIST_BINS), 0);
    ana_store_pool(&st, 1, 1, pool);
    ana_store_pool(&st, 1, 1, pool);
    ck_assert_uint_eq(pool[12], 512);
    ck_assert_uint_eq(pool[SIM_HIST_BINS - 1], 6);

    /* What comes back is what was put, bit for bit. */
    ana_store_expand(&st, 1, back);
    ck_assert(!memcmp(back, vec, len * sizeof *vec));
    ck_assert(same(ana_store_values(&st, 1)[3], NAN));
    ck_assert(same(ana_store_series(&st, 1)[0], vec[nm + 3 * SIM_HIST_BINS]));

    /* A row put again is replaced; compacting moves rows to the front. */
    vec[nm + 1003] = 200;
    ck_assert_int_eq(ana_store_put(&st, 0, vec), SIM_OK);
    ck_assert_uint_eq(ana_store_range(&st, 0, 0, &lo, &hi), 2);
    vec[nm + 1003] = 9;
    ck_assert_int_eq(ana_store_put(&st, 0, vec), SIM_OK);
    ck_assert_uint_eq(ana_store_range(&st, 0, 0, &lo, &hi), 2);
    ck_assert_uint_eq(ana_store_count(&st, 0, 0, 1003), 9);
    {
        static const unsigned char done[2] = {0, 1};
        unsigned ids[2];
        ck_assert_uint_eq(ana_store_compact(&st, 2, done, ids), 1);
        ck_assert_uint_eq(ids[0], 1);
        ck_assert_uint_eq(ana_store_count(&st, 0, 0, 1003), 4294967296ULL);
    }
    ana_store_destroy(&st);
    free(vec);
    free(back);
    free(pool);
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

/* ---- simulated ---- */

#define REPS 5

/* The pooled quantile and its interval for metric m (a quantile p of
 * histogram h) computed from the whole vectors x[REPS][len], as the
 * report did before it kept trimmed histograms. */
static void whole_ci(const mdl_net *net, const double *x, size_t h,
                     double p, double level, ana_ci *out)
{
    size_t len = mdl_net_result_len(net), nm = mdl_net_nmetrics(net);
    uint64_t *count = calloc(SIM_HIST_BINS, sizeof *count), n = 0;
    double f[REPS], tot[REPS], q, within;
    size_t b, bq, k, nf = 0;
    ana_ci cdf;

    ck_assert_ptr_nonnull(count);
    for (k = 0; k < REPS; k++) {
        const double *c = x + k * len + nm + h * SIM_HIST_BINS;
        tot[k] = 0;
        for (b = 0; b < SIM_HIST_BINS; b++) {
            count[b] += (uint64_t)c[b];
            tot[k] += c[b];
        }
    }
    for (b = 0; b < SIM_HIST_BINS; b++)
        n += count[b];
    q = sim_hist_quantile_counts(count, n, p);
    out->mean = q;
    out->low = out->high = NAN;
    out->n = 0;
    if (!isnan(q)) {
        bq = sim_hist_bin(q);
        within = sim_hist_within(q);
        for (k = 0; k < REPS; k++) {
            const double *c = x + k * len + nm + h * SIM_HIST_BINS;
            double below = 0;
            if (!(tot[k] > 0))
                continue;
            for (b = 0; b < bq; b++)
                below += c[b];
            f[nf++] = (below + within * c[bq]) / tot[k];
        }
        out->n = nf;
        if (nf >= 2 && ana_ci_section(f, nf, p, level, &cdf) == SIM_OK) {
            out->low = sim_hist_quantile_counts(count, n, fmax(cdf.low, 0));
            out->high = sim_hist_quantile_counts(count, n,
                                                 fmin(cdf.high, 1));
        }
    }
    free(count);
}

/* Five replications of the Jackson network, every vector kept whole and
 * in the store: each comes back bit for bit; each replication's own
 * quantiles (its metrics) are those of its trimmed histogram; and every
 * pooled quantile with its interval, at the scenario's level and at
 * 99.9%, is the one computed from the whole vectors. */
START_TEST(test_trimmed_histograms_give_the_quantiles_of_the_whole_ones)
{
    static const char *const sets[] = {
        "run.duration=60s", "run.warmup=5s"
    };
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    ana_store st;
    ana_report rep;
    double *x, *back;
    uint64_t *count;
    size_t len, nm, m, h, whole = 0, kept = 0;
    unsigned k;
    sim_diag d;

    load(&s, &net, "scenarios/jackson.yaml", sets, 2);
    len = mdl_net_result_len(net);
    nm = mdl_net_nmetrics(net);
    x = malloc(REPS * len * sizeof *x);
    back = malloc(len * sizeof *back);
    count = malloc(SIM_HIST_BINS * sizeof *count);
    ck_assert(x && back && count);
    ck_assert_int_eq(ana_store_init(&st, net, REPS), SIM_OK);
    /* Filled out of order, as a pool of workers may. */
    for (k = REPS; k-- > 0;) {
        memset(&d, 0, sizeof d);
        ck_assert_int_eq(mdl_net_run(net, k, x + k * len, NULL, &d), SIM_OK);
        ck_assert_int_eq(ana_store_put(&st, k, x + k * len), SIM_OK);
    }
    for (k = 0; k < REPS; k++) {
        ana_store_expand(&st, k, back);
        ck_assert(!memcmp(back, x + k * len, len * sizeof *back));
        for (m = 0; m < nm; m++) {
            double p = mdl_net_metric_quantile(net, m, &h), q;
            size_t lo, hi;
            uint64_t n;
            if (!(p > 0))
                continue;
            memset(count, 0, SIM_HIST_BINS * sizeof *count);
            ana_store_pool(&st, k, h, count);
            n = ana_store_total(&st, k, h);
            q = n ? sim_hist_quantile_counts(count, n, p) : NAN;
            ck_assert_msg(same(q, x[k * len + m]), "replication %u, %s %s: "
                          "%.17g from the store, %.17g reported", k,
                          mdl_net_scope(net, m), mdl_net_metric(net, m), q,
                          x[k * len + m]);
            ck_assert(n > 0);           /* both classes had requests */
            if (!strcmp(mdl_net_metric(net, m), "latency_p50")) {
                /* 8,400 requests: no bin holds 65,536 */
                ck_assert_uint_le(ana_store_range(&st, k, h, &lo, &hi), 2);
                whole += SIM_HIST_BINS;
                kept += hi - lo + 1;
            }
        }
    }
    /* What the trimming is for: the latencies of exponential service
     * times span 16 powers of two of the 60, so not half the bins are
     * kept. */
    ck_assert_uint_lt(2 * kept, whole);

    ck_assert_int_eq(ana_report_init(&rep, s, net, NULL, REPS, &st), SIM_OK);
    for (m = 0; m < nm; m++) {
        double p = mdl_net_metric_quantile(net, m, &h);
        ana_ci want, got;
        if (!(p > 0))
            continue;
        whole_ci(net, x, h, p, s->confidence, &want);
        ck_assert_uint_eq(rep.ci[m].n, REPS);
        ck_assert_uint_eq(want.n, REPS);
        ck_assert_msg(same(rep.ci[m].mean, want.mean)
                      && same(rep.ci[m].low, want.low)
                      && same(rep.ci[m].high, want.high),
                      "%s %s: [%.17g, %.17g, %.17g], whole [%.17g, %.17g, "
                      "%.17g]", mdl_net_scope(net, m), mdl_net_metric(net, m),
                      rep.ci[m].low, rep.ci[m].mean, rep.ci[m].high,
                      want.low, want.mean, want.high);
        ck_assert(!isnan(want.low) && !isnan(want.high));
        whole_ci(net, x, h, p, 0.999, &want);
        ck_assert_int_eq(ana_report_ci_at(&rep, m, 0.999, &got), SIM_OK);
        ck_assert(same(got.mean, want.mean) && same(got.low, want.low)
                  && same(got.high, want.high));
    }
    ana_report_destroy(&rep);
    ana_store_destroy(&st);
    free(x);
    free(back);
    free(count);
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ana_store");
    TCase *tc = tcase_create("trimmed");

    tcase_add_test(tc,
                   test_a_histogram_keeps_its_occupied_bins_in_the_fewest_bytes);
    suite_add_tcase(s, tc);
    tc = tcase_create("quantiles");
    tcase_add_test(tc,
                   test_trimmed_histograms_give_the_quantiles_of_the_whole_ones);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
