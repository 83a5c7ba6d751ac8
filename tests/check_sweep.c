/*
 * check_sweep.c - `qmesh sweep`: the points of a grid (crossed, zipped),
 * the axes as the scenario and --axis give them, objectives and the
 * capacity search; end to end, a sweep killed with SIGKILL and run again
 * ends with the files of an uninterrupted one, a stopped sweep says how
 * to finish, the capacity search finds what the full sweep shows,
 * unstable points are named and not run, and a folder of the user's is
 * not taken over.
 */
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../analysis/ana_capacity.h"
#include "../analysis/ana_grid.h"
#include "../models/mdl_scenario.h"
#include "tst.h"

/* ---- the grid ---- */

static char *vals_a[] = {"a0", "a1"};
static char *vals_b[] = {"b0", "b1", "b2"};
static char *vals_c[] = {"c0", "c1", "c2"};

START_TEST(test_grid_crosses_axes_last_fastest)
{
    mdl_axis ax[2] = {
        {"A", 2, vals_a, 0, 0}, {"B", 3, vals_b, 0, 0}
    };
    ana_grid g;
    sim_diag d;
    size_t k;

    ck_assert_int_eq(ana_grid_init(&g, ax, 2, &d), SIM_OK);
    ck_assert_uint_eq(g.npoints, 6);
    for (k = 0; k < 6; k++) {
        ck_assert_uint_eq(ana_grid_value(&g, k, 0), k / 3);
        ck_assert_uint_eq(ana_grid_value(&g, k, 1), k % 3);
    }
    /* point 4 is (a1, b1); along A it meets (a0, b1) = 1 */
    ck_assert_uint_eq(ana_grid_with(&g, 4, 0, 0), 1);
    ck_assert_uint_eq(ana_grid_with(&g, 4, 1, 2), 5);
}
END_TEST

START_TEST(test_grid_zip_axes_move_together)
{
    mdl_axis ax[3] = {
        {"B", 3, vals_b, 1, 0}, {"A", 2, vals_a, 0, 0},
        {"C", 3, vals_c, 1, 0}
    };
    ana_grid g;
    sim_diag d;
    size_t k;

    ck_assert_int_eq(ana_grid_init(&g, ax, 3, &d), SIM_OK);
    ck_assert_uint_eq(g.npoints, 6);        /* 3 pairs x 2 */
    for (k = 0; k < 6; k++) {
        ck_assert_uint_eq(ana_grid_value(&g, k, 0), k / 2);
        ck_assert_uint_eq(ana_grid_value(&g, k, 2), k / 2);
        ck_assert_uint_eq(ana_grid_value(&g, k, 1), k % 2);
    }
    /* moving C moves B too */
    ck_assert_uint_eq(ana_grid_with(&g, 1, 2, 2), 5);
}
END_TEST

START_TEST(test_grid_refuses_too_many_points)
{
    char *v[100];
    mdl_axis ax[3];
    ana_grid g;
    sim_diag d;
    int i;

    for (i = 0; i < 100; i++)
        v[i] = "x";
    for (i = 0; i < 3; i++) {
        ax[i].key = "K";
        ax[i].nvalues = 100;
        ax[i].values = v;
        ax[i].zip = 0;
        ax[i].line = 0;
    }
    ck_assert_int_eq(ana_grid_init(&g, ax, 3, &d), SIM_EPARSE);
    tst_assert_has(d.msg, "1000000 points", "message");
}
END_TEST

/* ---- axes ---- */

START_TEST(test_axis_parse_takes_a_yaml_list)
{
    mdl_axis a;
    sim_diag d;

    ck_assert_int_eq(mdl_axis_parse(&a, "services.db.servers=[1, 2, 4]",
                                    &d), SIM_OK);
    ck_assert_str_eq(a.key, "services.db.servers");
    ck_assert_uint_eq(a.nvalues, 3);
    ck_assert_str_eq(a.values[2], "4");
    mdl_axis_destroy(&a);
    /* a comma inside quotes stays in its value */
    ck_assert_int_eq(mdl_axis_parse(&a, "workload.0.arrival=['gamma(shape=2,"
                                    " mean=10ms)', \"poisson(rate=5/s)\"]",
                                    &d), SIM_OK);
    ck_assert_uint_eq(a.nvalues, 2);
    ck_assert_str_eq(a.values[0], "gamma(shape=2, mean=10ms)");
    ck_assert_str_eq(a.values[1], "poisson(rate=5/s)");
    mdl_axis_destroy(&a);
}
END_TEST

START_TEST(test_axis_parse_errors_quote_the_argument)
{
    static const char *const bad[] = {
        "servers", "=[1]", "servers=1", "servers=[]", "servers=[a: 1]",
        "servers=[1, [2]]", "servers=[1, 2"
    };
    mdl_axis a;
    sim_diag d;

    ck_assert_int_eq(mdl_axis_parse(&a, bad[_i], &d), SIM_EPARSE);
    tst_assert_has(d.msg, "--axis '", "message");
    tst_assert_has(d.msg, bad[_i], "message");
}
END_TEST

START_TEST(test_axes_check_keys_zip_lengths_and_loads)
{
    char *two[] = {"1", "2"}, *loads[] = {"0.5", "1"};
    mdl_axis dup[2] = {{"K", 2, two, 0, 3}, {"K", 2, two, 0, 4}};
    mdl_axis zip[2] = {{"K", 2, two, 1, 3}, {"L", 1, two, 1, 4}};
    mdl_axis load[1] = {{"load", 2, loads, 0, 5}};
    sim_diag d;

    ck_assert_int_eq(mdl_axes_check(dup, 2, "f.yaml", &d), SIM_EPARSE);
    tst_assert_has(d.msg, "'K' is given twice", "message");
    ck_assert_int_eq(d.line, 4);
    ck_assert_int_eq(mdl_axes_check(zip, 2, "f.yaml", &d), SIM_EPARSE);
    tst_assert_has(d.msg, "'K' has 2 values, 'L' has 1", "message");
    ck_assert_int_eq(mdl_axes_check(load, 1, "f.yaml", &d), SIM_EPARSE);
    tst_assert_has(d.msg, "'1' is not a load", "message");
    load[0].nvalues = 1;
    ck_assert_int_eq(mdl_axes_check(load, 1, "f.yaml", &d), SIM_OK);
}
END_TEST

START_TEST(test_scenario_sweep_block_is_read)
{
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/sweep.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_uint_eq(s->naxes, 2);
    ck_assert_str_eq(s->axes[0].key, "services.server.servers");
    ck_assert_str_eq(s->axes[1].key, "load");
    ck_assert_str_eq(s->axes[1].values[1], "0.6");
    ck_assert_int_eq(s->axes[0].zip, 0);
    ck_assert_int_eq(s->axes[0].line, 16);
    ck_assert_uint_eq(s->nplot, 2);
    ck_assert_str_eq(s->plot[1], "service:server.utilization");
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_scenario_sweep_errors_name_file_and_line)
{
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s,
                     tst_path("tests/data/bad_sweep_zip.yaml"), NULL, 0, &d),
                     SIM_EPARSE);
    tst_assert_has(d.file, "bad_sweep_zip.yaml", "file");
    ck_assert_int_eq(d.line, 11);
    tst_assert_has(d.msg, "must be as long", "message");
    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/sweep.yaml"),
                     (const char *const[]){"sweep.grid.load=0.5"}, 1, &d),
                     SIM_EPARSE);
    tst_assert_has(d.msg, "holds a list", "message");
    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/sweep.yaml"),
                     (const char *const[]){"sweep.gird=1"}, 1, &d),
                     SIM_EPARSE);
    tst_assert_has(d.msg, "did you mean 'grid'", "message");
}
END_TEST

/* ---- objectives ---- */

START_TEST(test_slo_parse_units_and_sides)
{
    ana_slo o;
    sim_diag d;

    ck_assert_int_eq(ana_slo_parse(&o, "class:checkout.latency_p99 < 250ms",
                                   &d), SIM_OK);
    ck_assert_str_eq(o.metric, "class:checkout.latency_p99");
    ck_assert(o.less);
    ck_assert(fabs(o.value - 0.25) < 1e-15);
    ck_assert_int_eq(ana_slo_parse(&o, "system.availability>99.9%", &d),
                     SIM_OK);
    ck_assert(!o.less);
    ck_assert(fabs(o.value - 0.999) < 1e-15);
    ck_assert_int_eq(ana_slo_parse(&o, "service:db.utilization < 0.7", &d),
                     SIM_OK);
    ck_assert(fabs(o.value - 0.7) < 1e-15);
    /* the operator is the last '<' or '>': a call's scope holds "->" */
    ck_assert_int_eq(ana_slo_parse(&o, "call:a->b.latency_mean < 10ms", &d),
                     SIM_OK);
    ck_assert_str_eq(o.metric, "call:a->b.latency_mean");
    ck_assert(o.less);
    ck_assert_int_eq(ana_slo_parse(&o, "call:a->b.errors>1%", &d), SIM_OK);
    ck_assert_str_eq(o.metric, "call:a->b.errors");
    ck_assert(!o.less);
    ck_assert_int_eq(ana_slo_parse(&o, "latency < 1s", &d), SIM_EPARSE);
    ck_assert_int_eq(ana_slo_parse(&o, "system.latency_p99 = 1s", &d),
                     SIM_EPARSE);
    ck_assert_int_eq(ana_slo_parse(&o, "system.latency_p99 < fast", &d),
                     SIM_EPARSE);
    tst_assert_has(d.msg, "--slo 'system.latency_p99 < fast'", "message");
}
END_TEST

START_TEST(test_slo_holds_only_when_the_interval_is_inside)
{
    ana_srow rows[1] = {{"system", "latency_p99", 0.2, 0.18, 0.26, 5, NAN}};
    ana_results res;
    ana_srow row;
    ana_slo o;
    sim_diag d;

    memset(&res, 0, sizeof res);
    res.s = rows;
    res.nsum = 1;
    ana_slo_parse(&o, "system.latency_p99 < 250ms", &d);
    ck_assert(!ana_slo_holds(&o, &res, &row));   /* the mean meets it */
    rows[0].hi = 0.24;
    ck_assert(ana_slo_holds(&o, &res, &row));
    ana_slo_parse(&o, "system.latency_p99 > 190ms", &d);
    ck_assert(!ana_slo_holds(&o, &res, &row));
    ana_slo_parse(&o, "system.latency_mean < 1s", &d);
    ck_assert(!ana_slo_holds(&o, &res, &row));   /* no such row */
    ck_assert(isnan(row.mean));
}
END_TEST

START_TEST(test_capacity_axis_parse)
{
    mdl_axis a;
    sim_diag d;

    ck_assert_int_eq(ana_capacity_axis(&a, "services.db.servers: 2..5", &d),
                     SIM_OK);
    ck_assert_str_eq(a.key, "services.db.servers");
    ck_assert_uint_eq(a.nvalues, 4);
    ck_assert_str_eq(a.values[0], "2");
    ck_assert_str_eq(a.values[3], "5");
    mdl_axis_destroy(&a);
    ck_assert_int_eq(ana_capacity_axis(&a, "k: 5..2", &d), SIM_EPARSE);
    ck_assert_int_eq(ana_capacity_axis(&a, "k 1..2", &d), SIM_EPARSE);
    ck_assert_int_eq(ana_capacity_axis(&a, "k: 1..x", &d), SIM_EPARSE);
    ck_assert_int_eq(ana_capacity_axis(&a, "k: 1..5000", &d), SIM_EPARSE);
    ck_assert_int_eq(ana_capacity_axis(&a, "k: -9223372036854775808.."
                                       "9223372036854775807", &d),
                     SIM_EPARSE);
    ck_assert_int_eq(ana_capacity_axis(&a, "k: 1..99999999999999999999", &d),
                     SIM_EPARSE);
}
END_TEST

/* ---- end to end ---- */

/* Does every file under a equal the one under b, the two lines of
 * provenance.csv that name the command and the date aside? Names the
 * first difference in why. */
static int same_tree(const char *a, const char *b, char *why, size_t n)
{
    DIR *dp = opendir(a);
    struct dirent *e;
    int same = 1;

    if (!dp) {
        snprintf(why, n, "cannot open %s", a);
        return 0;
    }
    while (same && (e = readdir(dp))) {
        char pa[1024], pb[1024];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
        snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
        if (stat(pa, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            same = same_tree(pa, pb, why, n);
        } else {
            size_t la, lb;
            char *x = tst_slurp(pa, &la), *y;
            struct stat sb;
            if (stat(pb, &sb) != 0) {
                snprintf(why, n, "%.900s is missing", pb);
                free(x);
                same = 0;
                break;
            }
            y = tst_slurp(pb, &lb);
            if (!strcmp(e->d_name, "provenance.csv")) {
                char *p;
                for (p = strstr(x, "\ndate,"); p && *++p != '\n';)
                    *p = ' ';
                for (p = strstr(y, "\ndate,"); p && *++p != '\n';)
                    *p = ' ';
                /* the command, before the name, differs by -o */
                same = !strcmp(strstr(x, "\nname,"), strstr(y, "\nname,"));
            } else {
                same = la == lb && !memcmp(x, y, la);
            }
            if (!same)
                snprintf(why, n, "%.900s differs from %.900s", pa, pb);
            free(x);
            free(y);
        }
    }
    closedir(dp);
    return same;
}

static size_t manifest_rows(const char *dir)
{
    char path[1024];
    char *t, *p;
    size_t n = 0;
    struct stat st;

    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    if (stat(path, &st) != 0)
        return 0;
    t = tst_slurp(path, NULL);
    for (p = t; *p; p++)
        n += *p == '\n';
    free(t);
    return n ? n - 1 : 0;
}

#define SWEEP_ARGS "sweep", "tests/data/sweep.yaml", "-q", \
    "--axis", "load=[0.2, 0.4, 0.6, 0.8]", \
    "--axis", "services.server.servers=[1, 2, 3]", \
    "--set", "run.duration=4000s"

START_TEST(test_sweep_killed_and_run_again_ends_as_an_uninterrupted_one)
{
    char base[256], one[512], two[512], why[2048];
    size_t rows;
    pid_t pid;
    int i, wst;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(one, sizeof one, "%s/one", base);
    snprintf(two, sizeof two, "%s/two", base);
    tst_qmesh(&r, NULL, SWEEP_ARGS, "-o", one, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert_uint_eq(manifest_rows(one), 12);
    /* Killed once the first point is in: whatever was under way is lost. */
    pid = tst_qmesh_start(&r, NULL, SWEEP_ARGS, "-j", "2", "-o", two, NULL);
    for (i = 0; i < 20000 && manifest_rows(two) == 0; i++)
        usleep(1000);
    kill(pid, SIGKILL);
    wst = tst_qmesh_finish(&r, pid);
    tst_out_free(&r);
    rows = manifest_rows(two);
    ck_assert_msg(WIFSIGNALED(wst) && rows >= 1 && rows < 12,
                  "killed after %zu points", rows);
    tst_qmesh(&r, NULL, SWEEP_ARGS, "-o", two, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert_msg(same_tree(one, two, why, sizeof why), "%s", why);
    ck_assert_msg(same_tree(two, one, why, sizeof why), "%s", why);
    ck_assert_int_eq(tst_temporaries(two), 0);
    tst_rm_tree(base);
}
END_TEST

/* With one replication per point, -j 3 runs points side by side. */
START_TEST(test_sweep_files_do_not_depend_on_jobs)
{
    char base[256], one[512], three[512], why[2048];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(one, sizeof one, "%s/one", base);
    snprintf(three, sizeof three, "%s/three", base);
    tst_qmesh(&r, NULL, SWEEP_ARGS, "-r", "1", "-o", one, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    tst_qmesh(&r, NULL, SWEEP_ARGS, "-r", "1", "-j", "3", "-o", three, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert_uint_eq(manifest_rows(three), 12);
    ck_assert_msg(same_tree(one, three, why, sizeof why), "%s", why);
    ck_assert_msg(same_tree(three, one, why, sizeof why), "%s", why);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_sweep_stopped_by_sigint_says_how_to_finish)
{
    char base[256], dir[512];
    pid_t pid;
    int i, wst;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/sw", base);
    pid = tst_qmesh_start(&r, NULL, SWEEP_ARGS, "-o", dir, NULL);
    for (i = 0; i < 20000 && manifest_rows(dir) == 0; i++)
        usleep(1000);
    kill(pid, SIGINT);
    wst = tst_qmesh_finish(&r, pid);
    ck_assert_msg(WIFSIGNALED(wst) && WTERMSIG(wst) == SIGINT,
                  "wait status %d: %s", wst, r.err);
    tst_assert_has(r.err, "run the same command again", "stderr");
    tst_out_free(&r);
    ck_assert(manifest_rows(dir) >= 1);
    tst_rm_tree(base);
}
END_TEST

/* The smallest servers whose row in sweep.csv meets latency_p99 < x. */
static long smallest_meeting(const char *csv, double x)
{
    char *t = tst_slurp(csv, NULL), *line, *save = NULL;
    long best = -1;

    for (line = strtok_r(t, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        long servers;
        double mean, lo, hi;
        if (sscanf(line, "%ld,system,latency_p99,%lf,%lf,%lf", &servers,
                   &mean, &lo, &hi) == 4 && hi < x
            && (best < 0 || servers < best))
            best = servers;
    }
    free(t);
    return best;
}

START_TEST(test_capacity_search_finds_what_the_full_sweep_shows)
{
    char base[256], all[512], find[512], path[1024], want[64];
    char *t;
    long best;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(all, sizeof all, "%s/all", base);
    snprintf(find, sizeof find, "%s/find", base);
    /* 400 requests/s of 10 ms: 5 servers are needed to be stable */
    tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "-q", "--set",
              "workload.0.arrival=poisson(rate=400/s)", "--axis",
              "services.server.servers=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
              "-o", all, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    snprintf(path, sizeof path, "%s/sweep.csv", all);
    best = smallest_meeting(path, 0.055);
    ck_assert_msg(best >= 5 && best <= 10, "smallest %ld", best);
    tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "--set",
              "workload.0.arrival=poisson(rate=400/s)", "--find",
              "services.server.servers: 1..10", "--slo",
              "system.latency_p99 < 55ms", "-o", find, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    snprintf(want, sizeof want, "services.server.servers: %ld is the "
             "smallest", best);
    tst_assert_has(r.out, want, "stdout");
    tst_out_free(&r);
    snprintf(path, sizeof path, "%s/find.csv", find);
    t = tst_slurp(path, NULL);
    snprintf(want, sizeof want, "services.server.servers,%ld,", best);
    tst_assert_has(t, want, "find.csv");
    free(t);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_unstable_points_are_named_and_not_run)
{
    char base[256], dir[512], path[1024];
    char *t;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/sw", base);
    tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "--set",
              "workload.0.arrival=poisson(rate=150/s)", "--axis",
              "services.server.servers=[1, 2]", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "not simulated, unstable: service 'server' has "
                   "load 1.5", "stdout");
    tst_out_free(&r);
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    t = tst_slurp(path, NULL);
    tst_assert_has(t, "\n0,unstable,", "manifest.csv");
    tst_assert_has(t, "\n1,done,", "manifest.csv");
    free(t);
    snprintf(path, sizeof path, "%s/points/0", dir);
    ck_assert(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    t = tst_slurp(path, NULL);
    ck_assert(strstr(t, "\n1,system,") == NULL);
    tst_assert_has(t, "\n2,system,latency_mean,", "sweep.csv");
    free(t);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_sweep_block_of_the_scenario_gives_the_axes)
{
    char base[256], dir[512], path[1024];
    char *t;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/sw", base);
    tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "-q", "-o", dir,
              NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    t = tst_slurp(path, NULL);
    {
        static const char head[] = "services.server.servers,load,scope,"
                                   "metric,mean,ci_low,ci_high,n,theory\n";
        ck_assert(!strncmp(t, head, sizeof head - 1));
    }
    tst_assert_has(t, "\n2,0.6,system,latency_mean,", "sweep.csv");
    free(t);
    snprintf(path, sizeof path, "%s/points/3/point.csv", dir);
    t = tst_slurp(path, NULL);
    ck_assert_str_eq(t, "axis,value\npoint,3\nservices.server.servers,2\n"
                        "load,0.6\n");
    free(t);
    snprintf(path, sizeof path, "%s/plot_sweep.dat", dir);
    t = tst_slurp(path, NULL);
    tst_assert_has(t, "service:server.utilization", "plot_sweep.dat");
    free(t);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_sweep_refuses_a_folder_of_the_users)
{
    char base[256];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    tst_write(base, "notes.txt", "the user's own\n");
    tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "-q", "-o", base,
              NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "not a qmesh sweep's", "stderr");
    tst_out_free(&r);
    ck_assert(access(base, F_OK) == 0);
    tst_rm_tree(base);
}
END_TEST

/* A sweep stopped before its first point finished leaves its folder
 * with points/ and the manifest; run again, it goes on. */
START_TEST(test_sweep_folder_of_a_sweep_stopped_at_once_is_taken_up)
{
    char base[256], dir[512], pts[600];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/sw", base);
    snprintf(pts, sizeof pts, "%s/points", dir);
    ck_assert_int_eq(mkdir(dir, 0777), 0);
    ck_assert_int_eq(mkdir(pts, 0777), 0);
    tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "-q", "--axis",
              "services.server.servers=[1]", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert_uint_eq(manifest_rows(dir), 1);
    /* and a run may not replace it as a whole */
    tst_qmesh(&r, NULL, "run", "tests/data/sweep.yaml", "-q", "-o", dir,
              NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "is the folder of a qmesh sweep", "stderr");
    tst_out_free(&r);
    ck_assert_uint_eq(manifest_rows(dir), 1);
    tst_rm_tree(base);
}
END_TEST

/* -s is an override like the others: an axis on run.seed still sets
 * each point's seed. */
START_TEST(test_seed_axis_wins_over_the_seed_option)
{
    char base[256], dir[512], path[1024];
    char *t, *a, *b;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/sw", base);
    tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "-q", "-s", "9",
              "--axis", "run.seed=[1, 2]", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    t = tst_slurp(path, NULL);
    a = strstr(t, "\n1,system,latency_mean,");
    b = strstr(t, "\n2,system,latency_mean,");
    ck_assert(a && b);
    *strchr(a + 1, '\n') = '\0';
    *strchr(b + 1, '\n') = '\0';
    ck_assert_str_ne(a + 2, b + 2);     /* different seeds, other values */
    free(t);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_sweep_bad_input_exits_2_before_running)
{
    static const char *const args[][4] = {
        {"--axis", "services.nosuch.servers=[1, 2]", "", "unknown service"},
        {"--axis", "load=[0.5, 1.5]", "", "'1.5' is not a load"},
        {"--slo", "system.latency_p99 < 1s", "", "--slo needs --find"},
        {"--find", "services.server.servers: 1..4", "", "needs at least one"},
        {"--metric", "system.latency_p99", "--zip", ""},
    };
    char base[256], dir[512];
    tst_out r;

    /* a misspelt objective is named, not read as never met */
    if (_i == 5) {
        snprintf(base, sizeof base, "%s", tst_tmpdir());
        snprintf(dir, sizeof dir, "%s/sw", base);
        tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "-q", "--find",
                  "services.server.servers: 1..2", "--slo",
                  "system.latency_mea < 1s", "-o", dir, NULL);
        ck_assert_int_eq(r.status, 2);
        tst_assert_has(r.err, "have no metric 'system.latency_mea'",
                       "stderr");
        tst_out_free(&r);
        tst_rm_tree(base);
        return;
    }
    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/sw", base);
    if (_i == 4) {
        /* --zip with one axis is fine */
        tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "-q", "--zip",
                  "--axis", "services.server.servers=[1]", "-o", dir, NULL);
        ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    } else {
        tst_qmesh(&r, NULL, "sweep", "tests/data/sweep.yaml", "-q",
                  args[_i][0], args[_i][1], "-o", dir, NULL);
        ck_assert_int_eq(r.status, 2);
        tst_assert_has(r.err, args[_i][3], "stderr");
        ck_assert(access(dir, F_OK) != 0);
    }
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("grid");
    TCase *te = tcase_create("end to end");

    tcase_add_test(tc, test_grid_crosses_axes_last_fastest);
    tcase_add_test(tc, test_grid_zip_axes_move_together);
    tcase_add_test(tc, test_grid_refuses_too_many_points);
    tcase_add_test(tc, test_axis_parse_takes_a_yaml_list);
    tcase_add_loop_test(tc, test_axis_parse_errors_quote_the_argument, 0, 7);
    tcase_add_test(tc, test_axes_check_keys_zip_lengths_and_loads);
    tcase_add_test(tc, test_scenario_sweep_block_is_read);
    tcase_add_test(tc, test_scenario_sweep_errors_name_file_and_line);
    tcase_add_test(tc, test_slo_parse_units_and_sides);
    tcase_add_test(tc, test_slo_holds_only_when_the_interval_is_inside);
    tcase_add_test(tc, test_capacity_axis_parse);
    suite_add_tcase(s, tc);
    tcase_set_timeout(te, 120);
    tcase_add_test(te,
        test_sweep_killed_and_run_again_ends_as_an_uninterrupted_one);
    tcase_add_test(te, test_sweep_files_do_not_depend_on_jobs);
    tcase_add_test(te, test_sweep_stopped_by_sigint_says_how_to_finish);
    tcase_add_test(te, test_capacity_search_finds_what_the_full_sweep_shows);
    tcase_add_test(te, test_unstable_points_are_named_and_not_run);
    tcase_add_test(te, test_sweep_block_of_the_scenario_gives_the_axes);
    tcase_add_test(te, test_sweep_refuses_a_folder_of_the_users);
    tcase_add_test(te,
        test_sweep_folder_of_a_sweep_stopped_at_once_is_taken_up);
    tcase_add_test(te, test_seed_axis_wins_over_the_seed_option);
    tcase_add_loop_test(te, test_sweep_bad_input_exits_2_before_running, 0,
                        6);
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
