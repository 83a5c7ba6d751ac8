/*
 * check_plot.c - plots end to end: `qmesh run --plot`, `qmesh plot DIR`
 * and the load sweep `qmesh run --load FROM:TO:STEP`.
 *
 * Like check_cli.c, each test runs the built binary ($QMESH) from the
 * source tree ($top_srcdir) through fork and execv, output captured in
 * files of a fresh tst_tmpdir(). Images are checked to be what their names
 * say (the PNG signature, an <svg element) and of non-trivial size; when
 * gnuplot is not on PATH those checks are skipped with a message, and the
 * scripts and data files, which qmesh writes anyway, are still checked.
 * One test hides gnuplot from qmesh (PATH without it) to check exactly
 * that fallback. Runs are cut to a few simulated seconds.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tst.h"

#define MIN_IMAGE 2048          /* bytes: a real plot is far larger */
#define SWEEP_HEADER "load,scope,metric,mean,ci_low,ci_high,n,theory\n"

/* Whether gnuplot is on PATH, as qmesh looks for it. */
static int have_gnuplot(void)
{
    const char *path = getenv("PATH"), *s, *e;
    char buf[1024];

    for (s = path ? path : ""; *s; s = *e ? e + 1 : e) {
        e = strchr(s, ':');
        if (!e)
            e = s + strlen(s);
        snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)(e - s), s);
        if (access(buf, X_OK) == 0)
            return 1;
    }
    return 0;
}

static void assert_has(const char *text, const char *want, const char *what)
{
    ck_assert_msg(strstr(text, want) != NULL, "%s lacks '%s':\n%s", what,
                  want, text);
}

static void assert_file_has(const char *dir, const char *name,
                            const char *want)
{
    char path[1024], *text;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    text = tst_slurp(path, NULL);
    assert_has(text, want, path);
    free(text);
}

/* dir/NAME.png is a PNG and dir/NAME.svg an SVG, both > MIN_IMAGE. */
static void assert_images(const char *dir, const char *name)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
                                         0x1a, '\n'};
    char path[1024], *data;
    size_t n;

    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    data = tst_slurp(path, &n);
    ck_assert_msg(n > MIN_IMAGE, "%s has only %zu bytes", path, n);
    ck_assert_msg(memcmp(data, sig, sizeof sig) == 0,
                  "%s lacks the PNG signature", path);
    free(data);
    snprintf(path, sizeof path, "%s/%s.svg", dir, name);
    data = tst_slurp(path, &n);
    ck_assert_msg(n > MIN_IMAGE, "%s has only %zu bytes", path, n);
    ck_assert_msg(strstr(data, "<svg") != NULL, "%s has no <svg", path);
    free(data);
}

/* The script and its data files: always written, gnuplot or not. */
static void assert_scripts(const char *dir)
{
    assert_file_has(dir, "latency.gp", "plot 'plot_latency_hist.dat'");
    assert_file_has(dir, "latency.gp", "p99_0 = ");
    assert_file_has(dir, "latency.gp", "set logscale x");
    assert_file_has(dir, "latency.gp", "latency (ms, log scale)");
    assert_file_has(dir, "plot_latency_hist.dat", "# block 0: system");
    assert_file_has(dir, "plot_latency_cdf.dat", "# block 0: system");
    assert_file_has(dir, "stations.gp", "plot 'plot_stations.dat'");
    assert_file_has(dir, "stations.gp", "title 'theory'");
    assert_file_has(dir, "plot_stations.dat", "\"server\" ");
    assert_file_has(dir, "timeseries.gp", "plot 'plot_timeseries.dat' "
                    "index 0 using 1:2 with lines");
    assert_file_has(dir, "timeseries.gp", "'Latency p99'");
    assert_file_has(dir, "plot_timeseries.dat", "# block 0: system");
}

/* No leftover temporary file (qmesh's start with a dot). */
static void assert_no_temporaries(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;

    ck_assert_ptr_nonnull(dp);
    while ((e = readdir(dp)) != NULL)
        ck_assert_msg(e->d_name[0] != '.' || !strcmp(e->d_name, ".")
                      || !strcmp(e->d_name, ".."),
                      "leftover temporary file '%s' in %s", e->d_name, dir);
    closedir(dp);
}

static void skip_note(const char *what)
{
    fprintf(stderr, "check_plot: gnuplot is not on PATH: skipping the "
            "image checks of %s (apt-get install gnuplot-nox)\n", what);
}

/* ------------------------------------------------------------------ */

START_TEST(test_run_plot_writes_scripts_and_images)
{
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/out", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "--plot", "-q", "-r", "3",
              "--set", "run.duration=100s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, "");
    tst_out_free(&r);
    assert_scripts(dir);
    assert_no_temporaries(dir);
    if (have_gnuplot()) {
        assert_images(dir, "latency");
        assert_images(dir, "stations");
        assert_images(dir, "timeseries");
    } else {
        skip_note("run --plot");
    }

    /* The same folder plots again, from its files alone. */
    tst_qmesh(&r, NULL, "plot", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    if (have_gnuplot()) {
        assert_has(r.out, "plots written to", "stdout");
        assert_images(dir, "latency");
        assert_images(dir, "stations");
    }
    tst_out_free(&r);
    assert_no_temporaries(dir);
    tst_rm_tree(base);
}
END_TEST

/* tests/data/ts.yaml (see check_mdl_series.c): web fails from 3 s to 4
 * s, and the breaker of x->web is open 0.625 s of that window. The
 * failure is shaded, the breaker has its panel, each window is drawn
 * from its start to its end at the mean of the replications. */
START_TEST(test_time_series_plot_shades_failures_and_shows_breakers)
{
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/out", base);
    tst_qmesh(&r, NULL, "run", "tests/data/ts.yaml", "--plot", "-q", "-r",
              "2", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    assert_file_has(dir, "provenance.csv", "\nfailure,3 4 error web\n");
    assert_file_has(dir, "timeseries.gp", "set object 1 rect from 3, graph 0 "
                    "to 4, graph 1 behind");
    assert_file_has(dir, "timeseries.gp", "title 'injected failure'");
    assert_file_has(dir, "timeseries.gp", "'Circuit breakers (fraction of "
                    "the window open)'");
    assert_file_has(dir, "timeseries.gp", "index 1 using 1:2 with lines "
                    "lw 2 lc rgb '#4477aa' title 'call x->web'");
    /* system: throughput, availability, p99 (NaN: none succeeded) */
    assert_file_has(dir, "plot_timeseries.dat", "# block 0: system\n"
                    " 0 3 1 ");
    assert_file_has(dir, "plot_timeseries.dat", "\n 3 0 0 NaN\n"
                    " 4 0 0 NaN\n 4 4 1 ");
    assert_file_has(dir, "plot_timeseries.dat", "# block 1: call:x->web\n");
    assert_file_has(dir, "plot_timeseries.dat", "\n 3 0.625\n 4 0.625\n"
                    " 4 0\n 5 0\n");
    if (have_gnuplot())
        assert_images(dir, "timeseries");
    else
        skip_note("the time series");
    assert_no_temporaries(dir);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_without_gnuplot_scripts_are_written_and_skip_said)
{
    char base[256], dir[512], png[600];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/out", base);
    tst_qmesh(&r, "/nonexistent", "run", "scenarios/mm1.yaml", "--plot", "-q",
              "-r", "2", "--set", "run.duration=20s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    assert_has(r.err, "gnuplot not found", "stderr");
    assert_has(r.err, "apt-get install gnuplot-nox", "stderr");
    ck_assert_msg(strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
                  "more than one line on stderr:\n%s", r.err);
    tst_out_free(&r);
    assert_scripts(dir);
    snprintf(png, sizeof png, "%s/latency.png", dir);
    ck_assert_int_ne(access(png, F_OK), 0);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_plot_of_a_folder_without_results_exits_2)
{
    char base[256];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    tst_qmesh(&r, NULL, "plot", base, NULL);
    ck_assert_int_eq(r.status, 2);
    assert_has(r.err, "summary.csv", "stderr");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "plot", NULL);
    ck_assert_int_eq(r.status, 2);
    assert_has(r.err, "missing results folder", "stderr");
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_load_sweep_writes_points_csv_and_plot)
{
    char base[256], dir[512], path[600], *text, *line;
    int rows = 0, at3 = 0, at6 = 0;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/sweep", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "--load", "0.3:0.6:0.3",
              "-q", "-r", "3", "--set", "run.duration=50s", "--set",
              "run.warmup=5s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);

    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    text = tst_slurp(path, NULL);
    ck_assert_msg(!strncmp(text, SWEEP_HEADER, strlen(SWEEP_HEADER)),
                  "sweep.csv header:\n%s", text);
    for (line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1,
                                                                   '\n')) {
        rows++;
        if (!strncmp(line + 1, "0.3,system,latency_mean,", 24))
            at3++;
        if (!strncmp(line + 1, "0.6,system,latency_mean,", 24))
            at6++;
    }
    ck_assert_int_eq(at3, 1);
    ck_assert_int_eq(at6, 1);
    ck_assert_int_gt(rows, 2);
    /* Theory of M/M/1 at load 0.3: W = E[S] / (1 - rho) = 10 ms / 0.7. */
    assert_has(text, "0.3,service:server,utilization,", "sweep.csv");
    assert_has(text, ",0.01428571429\n", "sweep.csv");
    free(text);

    snprintf(path, sizeof path, "%s/load/0.3", dir);
    assert_file_has(path, "summary.csv", "system,latency_mean,");
    assert_file_has(path, "theory.csv", "service:server,utilization,0.3");
    snprintf(path, sizeof path, "%s/load/0.6", dir);
    assert_file_has(path, "theory.csv", "service:server,utilization,0.6");
    assert_file_has(dir, "sweep_theory.csv", "load,scope,metric,value");
    assert_file_has(dir, "sweep.gp", "plot 'plot_sweep.dat' index 0");
    assert_file_has(dir, "sweep.gp", "'plot_sweep_theory.dat'");
    assert_no_temporaries(dir);
    if (have_gnuplot())
        assert_images(dir, "sweep");
    else
        skip_note("the load sweep");
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_load_of_one_or_more_exits_2_before_simulating)
{
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/sweep", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "--load", "0.5:1.2:0.5",
              "-q", "-o", dir, NULL);
    ck_assert_int_eq(r.status, 2);
    assert_has(r.err, "unstable", "stderr");
    ck_assert_int_ne(access(dir, F_OK), 0);     /* nothing written */
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "--load", "0.5:0.2", "-q",
              "-o", dir, NULL);
    ck_assert_int_eq(r.status, 2);
    assert_has(r.err, "FROM:TO:STEP", "stderr");
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc;

    tc = tcase_create("results");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_run_plot_writes_scripts_and_images);
    tcase_add_test(tc, test_time_series_plot_shades_failures_and_shows_breakers);
    tcase_add_test(tc, test_without_gnuplot_scripts_are_written_and_skip_said);
    tcase_add_test(tc, test_plot_of_a_folder_without_results_exits_2);
    suite_add_tcase(s, tc);

    tc = tcase_create("sweep");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_load_sweep_writes_points_csv_and_plot);
    tcase_add_test(tc, test_load_of_one_or_more_exits_2_before_simulating);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
