/*
 * check_cli.c - the qmesh command end to end: exit statuses, diagnostics,
 * determinism and the results folder.
 *
 * Each test runs the built binary ($QMESH) through fork and execv, with
 * stdout and stderr sent to files in a fresh tst_tmpdir(), from the source
 * tree ($top_srcdir) as working directory so scenario paths are those a
 * user would type. Fixtures are the bad_*.yaml files of check_mdl_scenario;
 * simulated runs are cut short with --set run.duration=... to stay fast.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tst.h"

static char *result_file(const char *dir, const char *name)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return tst_slurp(path, NULL);
}

/* ------------------------------------------------------------------ */

/* A bad fixture and the position its error is reported at. */
typedef struct bad_case {
    const char *file;           /* relative to the source tree */
    const char *where;          /* "FILE:LINE:" expected on stderr */
    const char *word;           /* a word of the message */
} bad_case;

static const bad_case bad_cases[] = {
    { "tests/data/bad_yaml.yaml", "tests/data/bad_yaml.yaml:4:",
      "malformed YAML" },
    { "tests/data/bad_top_key.yaml", "tests/data/bad_top_key.yaml:2:",
      "did you mean 'workload'?" },
    { "tests/data/bad_run_key.yaml", "tests/data/bad_run_key.yaml:6:",
      "'replicatons'" },
    { "tests/data/bad_workload_key.yaml",
      "tests/data/bad_workload_key.yaml:5:", "'arival'" },
    { "tests/data/bad_entry.yaml", "tests/data/bad_entry.yaml:3:",
      "did you mean 'server'?" },
    { "tests/data/bad_service_name.yaml",
      "tests/data/bad_service_name.yaml:7:", "'database'" },
    { "tests/data/bad_service_attr.yaml",
      "tests/data/bad_service_attr.yaml:9:", "'servrs'" },
    { "tests/data/bad_topology_missing.yaml",
      "tests/data/bad_topology_missing.yaml:2:", "no_such_file.gml" },
    { "tests/data/bad_rate_negative.yaml",
      "tests/data/bad_rate_negative.yaml:3:", "rate must be positive" },
    { "tests/data/bad_rate_zero.yaml", "tests/data/bad_rate_zero.yaml:3:",
      "rate must be positive" },
    { "tests/data/bad_duration.yaml", "tests/data/bad_duration.yaml:6:",
      "'duration' must be positive" },
    { "tests/data/bad_dist.yaml", "tests/data/bad_dist.yaml:3:40:",
      "'rat'" },
    { "tests/data/bad_both.yaml", "tests/data/bad_both.yaml:3:",
      "exactly one of" },
    { "tests/data/bad_forward_sum.yaml", "tests/data/sum_over_one.gml:4:",
      "forward probabilities" },
    { "tests/data/bad_two_docs.yaml", "tests/data/bad_two_docs.yaml:6:1:",
      "a second YAML document" },
    { "tests/data/bad_results.yaml", "tests/data/bad_results.yaml:8:17:",
      "use at most 8091" },
    { "tests/data/bad_population.yaml",
      "tests/data/bad_population.yaml:3:34:", "'population'" },
    { "tests/data/bad_priority.yaml", "tests/data/bad_priority.yaml:7:25:",
      "'priority' is not simulated yet" },
};

START_TEST(test_bad_scenario_exits_2_with_file_and_line)
{
    const bad_case *c = &bad_cases[_i];
    tst_out r;

    tst_qmesh(&r, NULL, "check", c->file, NULL);
    ck_assert_msg(r.status == 2, "%s: status %d", c->file, r.status);
    tst_assert_has(r.err, c->where, "stderr");
    tst_assert_has(r.err, "error: ", "stderr");
    tst_assert_has(r.err, c->word, "stderr");
    ck_assert_str_eq(r.out, "");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_bad_scenario_stops_run_before_simulating)
{
    const bad_case *c = &bad_cases[_i];
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/out", base);
    tst_qmesh(&r, NULL, "run", c->file, "-q", "-o", dir, NULL);
    ck_assert_msg(r.status == 2, "%s: status %d", c->file, r.status);
    tst_assert_has(r.err, c->where, "stderr");
    ck_assert_int_ne(access(dir, F_OK), 0);     /* nothing written */
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_bad_set_exits_2_naming_it)
{
    tst_out r;

    tst_qmesh(&r, NULL, "check", "scenarios/mm1.yaml", "--set",
              "run.duration=-5s", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "--set 'run.duration=-5s'", "stderr");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "check", "scenarios/mm1.yaml", "--set", "run.duration",
              NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "--set 'run.duration'", "stderr");
    tst_assert_has(r.err, "key.path=value", "stderr");
    tst_out_free(&r);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_unstable_scenario_exits_2_naming_the_service)
{
    tst_out r;

    tst_qmesh(&r, NULL, "check", "tests/data/bad_unstable.yaml", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "tests/data/bad_unstable.yaml:4:", "stderr");
    tst_assert_has(r.err, "unstable", "stderr");
    tst_assert_has(r.err, "service 'server'", "stderr");
    tst_assert_has(r.err, "load 1.2", "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_set_can_make_a_stable_scenario_unstable)
{
    tst_out r;

    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "--set",
              "workload.0.arrival=poisson(rate=100/s)", NULL);
    ck_assert_int_eq(r.status, 2);              /* load exactly 1 */
    tst_assert_has(r.err, "service 'server'", "stderr");
    tst_assert_has(r.err, "load 1", "stderr");
    tst_out_free(&r);
}
END_TEST

/* ------------------------------------------------------------------ */

/* Run qmesh with args (NULL-terminated, at most 6) and expect exit status
 * 2 with want on stderr and nothing on stdout. */
static void expect_input_error(const char *want, const char *a0,
                               const char *a1, const char *a2,
                               const char *a3, const char *a4)
{
    tst_out r;

    tst_qmesh(&r, NULL, a0, a1, a2, a3, a4, NULL);
    ck_assert_msg(r.status == 2, "%s %s %s %s: status %d\n%s", a0, a1,
                  a2 ? a2 : "", a3 ? a3 : "", r.status, r.err);
    tst_assert_has(r.err, want, "stderr");
    ck_assert_str_eq(r.out, "");
    tst_out_free(&r);
}

START_TEST(test_counts_beyond_their_bounds_exit_2_at_once)
{
    /* replicas 1e7 took 32 s and 5 GB to check, 1e8 ran out of memory
     * (status 1), servers 2147483647 spun in Erlang's recursion, and
     * -r 1000000 asked for 60 GB of results. */
    expect_input_error("replicas must be at most 10000, found '1e7'",
                       "check", "scenarios/mm1.yaml", "--set",
                       "services.server.replicas=1e7", NULL);
    expect_input_error("replicas must be at most 10000, found '1e8'",
                       "check", "scenarios/mm1.yaml", "--set",
                       "services.server.replicas=1e8", NULL);
    expect_input_error("servers must be at most 100000, found '2147483647'",
                       "run", "scenarios/mm1.yaml", "--set",
                       "services.server.servers=2147483647", NULL);
    expect_input_error("--replications must be a whole number from 1 to "
                       "10000, found '1000000'", "run",
                       "scenarios/mm1.yaml", "-r", "1000000", NULL);
    expect_input_error("--replications 9000: 9000 replications need",
                       "run", "scenarios/mm1.yaml", "-r", "9000", NULL);
    expect_input_error("servers must be a positive integer, found 'nan'",
                       "check", "scenarios/mm1.yaml", "--set",
                       "services.server.servers=nan", NULL);
}
END_TEST

/* -r sets the replications whose results must fit, not the file's: 9000
 * of mm1 need more than qmesh keeps, 2 do not, and -r 2 once ran
 * nothing ("use at most 7997"), as did -r 1 on a large topology whose
 * file asks for 5. */
START_TEST(test_replications_option_is_what_the_results_must_hold)
{
    char out[600], csv[700], line[256];
    tst_out r;
    FILE *f;
    int rep, most = 0;

    snprintf(out, sizeof out, "%s/r2", tst_tmpdir());
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "--set",
              "run.replications=9000", "-r", "2", "-q", "-o", out, NULL);
    ck_assert_msg(r.status == 0, "status %d\n%s", r.status, r.err);
    tst_out_free(&r);
    snprintf(csv, sizeof csv, "%s/replications.csv", out);
    ck_assert_ptr_nonnull(f = fopen(csv, "r"));
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%d,", &rep) == 1 && rep > most)
            most = rep;
    fclose(f);
    ck_assert_int_eq(most, 2);
}
END_TEST

START_TEST(test_unbounded_inputs_exit_2_at_once)
{
    char dir[512], deep[600];
    FILE *f;
    long i;

    expect_input_error("'/dev/zero': it is a device, not a regular file",
                       "check", "/dev/zero", NULL, NULL, NULL);
    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    snprintf(deep, sizeof deep, "%s/deep.yaml", dir);
    ck_assert_ptr_nonnull(f = fopen(deep, "w"));
    fputs("a: ", f);
    for (i = 0; i < 1000000; i++)
        fputs("{a: ", f);
    fclose(f);
    expect_input_error(":1:256: error: YAML nested deeper than 64 levels",
                       "run", deep, "-q", NULL, NULL);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_load_sweep_bounds_its_loads)
{
    /* A STEP of 1e-300 overflowed the cast of the count (and ran one
     * load); a FROM of 1e-10 was rounded to load 0 and stopped with an
     * empty "error: ". */
    expect_input_error("--load '0.1:0.5:1e-300' has 4e+299 loads; at most "
                       "1000", "run", "scenarios/mm1.yaml", "--load",
                       "0.1:0.5:1e-300", "-q");
    expect_input_error("--load '0.1:0.5:0.0004' has 1001 loads; at most "
                       "1000", "run", "scenarios/mm1.yaml", "--load",
                       "0.1:0.5:0.0004", "-q");
    expect_input_error("with 0.001 <= FROM <= TO < 1 and STEP > 0 (e.g. "
                       "0.1:0.95:0.05), found '1e-10:0.2:0.1'", "run",
                       "scenarios/mm1.yaml", "--load", "1e-10:0.2:0.1",
                       "-q");
    expect_input_error("found 'nan:0.5:0.1'", "run", "scenarios/mm1.yaml",
                       "--load", "nan:0.5:0.1", "-q");
    expect_input_error("found '0.1:0.5:inf'", "run", "scenarios/mm1.yaml",
                       "--load", "0.1:0.5:inf", "-q");
}
END_TEST

START_TEST(test_no_command_is_a_usage_error)
{
    tst_out r;

    tst_qmesh(&r, NULL, NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "missing command", "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_unknown_command_is_a_usage_error)
{
    tst_out r;

    tst_qmesh(&r, NULL, "simulate", "scenarios/mm1.yaml", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "unknown command 'simulate'", "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_missing_scenario_argument_is_a_usage_error)
{
    tst_out r;

    tst_qmesh(&r, NULL, "run", "-q", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "missing scenario", "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_missing_scenario_file_exits_2)
{
    tst_out r;

    tst_qmesh(&r, NULL, "check", "tests/data/no_such_scenario.yaml", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "no_such_scenario.yaml", "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_zero_jobs_is_a_usage_error)
{
    tst_out r;

    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-j", "0", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "--jobs", "stderr");
    tst_assert_has(r.err, "'0'", "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_unknown_option_is_a_usage_error_with_a_hint)
{
    tst_out r;

    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "--frobnicate", NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, "qmesh: run: unknown option '--frobnicate'\n"
                     "(see 'qmesh run --help')\n");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "--replicatons=3",
              NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "qmesh: run: unknown option '--replicatons=3'; "
                   "did you mean '--replications'?", "stderr");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-o", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "qmesh: run: option '-o/--output' needs a value",
                   "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_mistyped_command_gets_a_hint)
{
    tst_out r;

    tst_qmesh(&r, NULL, "thoery", "scenarios/mm1.yaml", NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, "qmesh: unknown command 'thoery'; did you mean "
                     "'theory'?\n(see 'qmesh help')\n");
    tst_out_free(&r);
}
END_TEST

/* check validates only: what only a run uses is refused, not ignored. */
START_TEST(test_check_refuses_options_of_run)
{
    static const char *const opts[][2] = {
        {"-o", "out"}, {"--plot", NULL}, {"-j", "2"}, {"--load", "0.5"},
    };
    tst_out r;

    tst_qmesh(&r, NULL, "check", "scenarios/mm1.yaml", opts[_i][0],
              opts[_i][1], NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "is not an option of 'check' (it is one of 'run')",
                   "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_every_command_has_help)
{
    static const char *const cmds[] = {
        "run", "check", "theory", "plot", "graph", "gen"
    };
    char want[64];
    tst_out r;

    snprintf(want, sizeof want, "usage: qmesh %s ", cmds[_i]);
    tst_qmesh(&r, NULL, cmds[_i], "--help", NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(!strncmp(r.out, want, strlen(want)), "%s", r.out);
    ck_assert_str_eq(r.err, "");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, cmds[_i], "-h", NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(!strncmp(r.out, want, strlen(want)), "%s", r.out);
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "help", cmds[_i], NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(!strncmp(r.out, want, strlen(want)), "%s", r.out);
    tst_out_free(&r);
}
END_TEST

START_TEST(test_help_exits_0)
{
    tst_out r;

    tst_qmesh(&r, NULL, "help", NULL);
    ck_assert_int_eq(r.status, 0);
    tst_assert_has(r.out, "usage: qmesh", "stdout");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "--version", NULL);
    ck_assert_int_eq(r.status, 0);
    /* the version, then whether MPI is built in */
    ck_assert_msg(!strncmp(r.out, PACKAGE_STRING "\nMPI: ",
                           strlen(PACKAGE_STRING "\nMPI: ")), "%s", r.out);
#ifdef QMESH_MPI
    tst_assert_has(r.out, "mpirun -n N", "stdout");
#else
    tst_assert_has(r.out, "MPI: none (./configure --with-mpi", "stdout");
#endif
    tst_out_free(&r);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_check_accepts_the_mm1_scenario)
{
    tst_out r;

    tst_qmesh(&r, NULL, "check", "scenarios/mm1.yaml", NULL);
    ck_assert_int_eq(r.status, 0);
    tst_assert_has(r.out, "ok", "stdout");
    ck_assert_str_eq(r.err, "");
    tst_out_free(&r);
}
END_TEST

/* ------------------------------------------------------------------ */

static int same_file(const char *d1, const char *d2, const char *name)
{
    char *a = result_file(d1, name), *b = result_file(d2, name);
    int same = strcmp(a, b) == 0;

    free(a);
    free(b);
    return same;
}

START_TEST(test_same_seed_gives_identical_results)
{
    char base[256], d1[512], d2[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(d1, sizeof d1, "%s/one", base);
    snprintf(d2, sizeof d2, "%s/two", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "4", "--set",
              "run.duration=200s", "-o", d1, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "4", "--set",
              "run.duration=200s", "-o", d2, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert(same_file(d1, d2, "summary.csv"));
    ck_assert(same_file(d1, d2, "replications.csv"));
    ck_assert(same_file(d1, d2, "timeseries.csv"));
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_parallel_jobs_give_identical_results)
{
    char base[256], d1[512], d2[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(d1, sizeof d1, "%s/j1", base);
    snprintf(d2, sizeof d2, "%s/j2", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "4", "-j",
              "1", "--set", "run.duration=200s", "-o", d1, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "4", "-j",
              "2", "--set", "run.duration=200s", "-o", d2, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert(same_file(d1, d2, "summary.csv"));
    ck_assert(same_file(d1, d2, "replications.csv"));
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_different_seed_gives_different_results)
{
    char base[256], d1[512], d2[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(d1, sizeof d1, "%s/s42", base);
    snprintf(d2, sizeof d2, "%s/s7", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "4", "--set",
              "run.duration=200s", "-o", d1, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "4", "-s",
              "7", "--set", "run.duration=200s", "-o", d2, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert(!same_file(d1, d2, "summary.csv"));
    tst_rm_tree(base);
}
END_TEST

/* ------------------------------------------------------------------ */

/* The first line of text, in a static buffer. */
static size_t count_char(const char *text, char c)
{
    size_t n = 0;

    for (; *text; text++)
        n += *text == c;
    return n;
}

static const char *first_line(const char *text)
{
    static char line[256];
    size_t n = strcspn(text, "\n");

    if (n >= sizeof line)
        n = sizeof line - 1;
    memcpy(line, text, n);
    line[n] = '\0';
    return line;
}

START_TEST(test_results_folder_holds_every_file)
{
    char base[256], dir[512];
    char *text;
    DIR *dp;
    struct dirent *e;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/results", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "2", "--set",
              "run.duration=50s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);

    text = result_file(dir, "summary.csv");
    ck_assert_str_eq(first_line(text), "scope,metric,mean,ci_low,ci_high,n");
    tst_assert_has(text, "\nsystem,latency_mean,", "summary.csv");
    tst_assert_has(text, "\nservice:server,utilization,", "summary.csv");
    free(text);
    text = result_file(dir, "theory.csv");
    ck_assert_str_eq(first_line(text), "scope,metric,value");
    tst_assert_has(text, "\nservice:server,utilization,0.5", "theory.csv");
    free(text);
    text = result_file(dir, "replications.csv");
    ck_assert(strlen(text) > 0);
    free(text);
    text = result_file(dir, "latency_hist.csv");
    ck_assert(strlen(text) > 0);
    free(text);
    /* 150 s in 75 default windows of 2 s, 13 series (system and class
     * 5 each, the service 3), 2 replications */
    text = result_file(dir, "timeseries.csv");
    ck_assert_str_eq(first_line(text), "replication,time,scope,metric,value");
    tst_assert_has(text, "\n1,2,system,throughput,", "timeseries.csv");
    tst_assert_has(text, "\n2,150,service:server,queue_mean,",
                   "timeseries.csv");
    ck_assert_uint_eq(count_char(text, '\n'), 1 + 2 * 75 * 13);
    free(text);

    dp = opendir(dir);
    ck_assert_ptr_nonnull(dp);
    while ((e = readdir(dp)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        ck_assert_msg(e->d_name[0] != '.', "leftover temporary file '%s'",
                      e->d_name);
    }
    closedir(dp);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_run_prints_the_table_with_theory)
{
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/results", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-r", "2", "--set",
              "run.duration=50s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "theory", "stdout");
    tst_assert_has(r.out, "latency_mean", "stdout");
    tst_assert_has(r.out, dir, "stdout");
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

/* The start of a table row: the scope in a 22-character column. */
static const char *row(const char *scope, const char *metric)
{
    static char buf[128];

    snprintf(buf, sizeof buf, "\n%-22s %s ", scope, metric);
    return buf;
}

/* The default table: system and class rows, each service's utilization
 * and latency share, and rows with theory; --all every row; --show the
 * scopes asked for. */
START_TEST(test_table_rows_default_all_and_show)
{
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/results", base);
    tst_qmesh(&r, NULL, "run", "tests/data/scopes.yaml", "-r", "2", "-o",
              dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "\nclass:w ", "stdout");
    tst_assert_has(r.out, row("service:b", "utilization"), "stdout");
    tst_assert_has(r.out, row("service:b", "self_share"), "stdout");
    ck_assert_ptr_null(strstr(r.out, "call:a->b#0"));
    ck_assert_ptr_null(strstr(r.out, row("service:b", "queue_mean")));
    tst_assert_has(r.out, "more rows in summary.csv: --all prints every "
                   "row", "stdout");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "tests/data/scopes.yaml", "-r", "2", "-o",
              dir, "--all", NULL);
    tst_assert_has(r.out, "\ncall:a->b#1 ", "stdout");
    tst_assert_has(r.out, "\nreplica:b#0 ", "stdout");
    ck_assert_ptr_null(strstr(r.out, "more row"));
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "tests/data/scopes.yaml", "-r", "2", "-o",
              dir, "--show", "call:*,service:c", NULL);
    tst_assert_has(r.out, "\ncall:a->b#0 ", "stdout");
    tst_assert_has(r.out, row("service:c", "queue_mean"), "stdout");
    ck_assert_ptr_null(strstr(r.out, "\nsystem "));
    ck_assert_ptr_null(strstr(r.out, "\nservice:b "));
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "run", "tests/data/scopes.yaml", "-o", dir,
              "--show", "service:d", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "--show: 'service:d' matches no scope", "stderr");
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_quiet_run_prints_nothing)
{
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/results", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "2", "--set",
              "run.duration=50s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "");
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

/* ---- qmesh theory ------------------------------------------------------ */

START_TEST(test_theory_mm1_is_exact_with_formulas)
{
    tst_out r;

    tst_qmesh(&r, NULL, "theory", "scenarios/mm1.yaml", NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "model: M/M/1 (exact)", "stdout");
    tst_assert_has(r.out, "service 'server': M/M/1", "stdout");
    /* W = 1 / (mu - lambda) = 1 / (100 - 50) = 20 ms, L = 1 */
    tst_assert_has(r.out, "20 ms", "stdout");
    tst_assert_has(r.out, "1 / (mu - lambda)", "stdout");
    tst_assert_has(r.out, "P(wait)", "stdout");
    tst_assert_has(r.out, "bottleneck", "stdout");
    ck_assert_ptr_null(strstr(r.out, "APPROXIMATE"));
    ck_assert_str_eq(r.err, "");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_theory_jackson_names_its_formulas)
{
    tst_out r;

    tst_qmesh(&r, NULL, "theory", "scenarios/jackson.yaml", NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "open Jackson network", "stdout");
    tst_assert_has(r.out, "traffic equations", "stdout");
    tst_assert_has(r.out, "Erlang C", "stdout");
    tst_assert_has(r.out, "class 'browse'", "stdout");
    tst_assert_has(r.out, "class 'api'", "stdout");
    tst_assert_has(r.out, "service 'app', utilization", "stdout");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_theory_closed_shows_mva_and_bounds)
{
    tst_out r;

    tst_qmesh(&r, NULL, "theory", "scenarios/closed.yaml", NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "exact MVA", "stdout");
    tst_assert_has(r.out, "asymptotic bounds", "stdout");
    tst_assert_has(r.out, "N*", "stdout");
    tst_assert_has(r.out, "bottleneck 'web'", "stdout");
    tst_assert_has(r.out, "Schweitzer-Bard", "stdout");
    tst_assert_has(r.out, "APPROXIMATE", "stdout");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_theory_md2_has_no_exact_formula)
{
    tst_out r;

    tst_qmesh(&r, NULL, "theory", "scenarios/md1.yaml", "--set",
              "services.server.servers=2", NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "no exact solution", "stdout");
    tst_assert_has(r.out, "service 'server' has deterministic service with 2 "
               "servers: no exact M/G/c formula", "stdout");
    tst_assert_has(r.out, "showing the Allen-Cunneen approximation", "stdout");
    tst_assert_has(r.out, "Allen-Cunneen approximation (APPROXIMATE)",
                   "stdout");
    ck_assert_ptr_null(strstr(r.out, "(exact)"));
    tst_out_free(&r);
}
END_TEST

START_TEST(test_theory_unstable_exits_2_naming_the_service)
{
    tst_out r;

    tst_qmesh(&r, NULL, "theory", "scenarios/mm1.yaml", "--set",
              "workload.0.arrival=poisson(rate=120/s)", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "unstable", "stderr");
    tst_assert_has(r.err, "service 'server'", "stderr");
    tst_assert_has(r.err, "load 1.2", "stderr");
    ck_assert_str_eq(r.out, "");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_theory_usage_errors_exit_2)
{
    tst_out r;

    tst_qmesh(&r, NULL, "theory", "scenarios/mm1.yaml", "-r", "3", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "qmesh: theory: '-r/--replications' is not an "
                   "option of 'theory' (it is one of 'run')", "stderr");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "theory", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "missing scenario", "stderr");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "theory", "tests/data/bad_dist.yaml", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "tests/data/bad_dist.yaml:3:40:", "stderr");
    tst_out_free(&r);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *make_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc;
    int nbad = (int)(sizeof bad_cases / sizeof bad_cases[0]);

    tc = tcase_create("bad_input");
    tcase_add_loop_test(tc, test_bad_scenario_exits_2_with_file_and_line, 0,
                        nbad);
    tcase_add_loop_test(tc, test_bad_scenario_stops_run_before_simulating, 0,
                        nbad);
    tcase_add_test(tc, test_bad_set_exits_2_naming_it);
    tcase_add_test(tc, test_counts_beyond_their_bounds_exit_2_at_once);
    tcase_add_test(tc, test_replications_option_is_what_the_results_must_hold);
    tcase_add_test(tc, test_unbounded_inputs_exit_2_at_once);
    tcase_add_test(tc, test_load_sweep_bounds_its_loads);
    suite_add_tcase(s, tc);

    tc = tcase_create("stability");
    tcase_add_test(tc, test_unstable_scenario_exits_2_naming_the_service);
    tcase_add_test(tc, test_set_can_make_a_stable_scenario_unstable);
    suite_add_tcase(s, tc);

    tc = tcase_create("usage");
    tcase_add_test(tc, test_no_command_is_a_usage_error);
    tcase_add_test(tc, test_unknown_command_is_a_usage_error);
    tcase_add_test(tc, test_missing_scenario_argument_is_a_usage_error);
    tcase_add_test(tc, test_missing_scenario_file_exits_2);
    tcase_add_test(tc, test_zero_jobs_is_a_usage_error);
    tcase_add_test(tc, test_unknown_option_is_a_usage_error_with_a_hint);
    tcase_add_test(tc, test_mistyped_command_gets_a_hint);
    tcase_add_loop_test(tc, test_check_refuses_options_of_run, 0, 4);
    tcase_add_loop_test(tc, test_every_command_has_help, 0, 6);
    tcase_add_test(tc, test_help_exits_0);
    suite_add_tcase(s, tc);

    tc = tcase_create("check");
    tcase_add_test(tc, test_check_accepts_the_mm1_scenario);
    suite_add_tcase(s, tc);

    tc = tcase_create("determinism");
    tcase_add_test(tc, test_same_seed_gives_identical_results);
    tcase_add_test(tc, test_parallel_jobs_give_identical_results);
    tcase_add_test(tc, test_different_seed_gives_different_results);
    suite_add_tcase(s, tc);

    tc = tcase_create("results");
    tcase_add_test(tc, test_results_folder_holds_every_file);
    tcase_add_test(tc, test_run_prints_the_table_with_theory);
    tcase_add_test(tc, test_table_rows_default_all_and_show);
    tcase_add_test(tc, test_quiet_run_prints_nothing);
    suite_add_tcase(s, tc);

    tc = tcase_create("theory");
    tcase_add_test(tc, test_theory_mm1_is_exact_with_formulas);
    tcase_add_test(tc, test_theory_jackson_names_its_formulas);
    tcase_add_test(tc, test_theory_closed_shows_mva_and_bounds);
    tcase_add_test(tc, test_theory_md2_has_no_exact_formula);
    tcase_add_test(tc, test_theory_unstable_exits_2_naming_the_service);
    tcase_add_test(tc, test_theory_usage_errors_exit_2);
    suite_add_tcase(s, tc);

    return s;
}

int main(void) { return tst_run(make_suite); }
