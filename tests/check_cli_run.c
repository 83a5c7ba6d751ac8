/*
 * check_cli_run.c - what `qmesh run` leaves behind, end to end: a results
 * folder replaced as a whole, its provenance.csv, the refusal to write
 * over what is not a regular file or not a results folder, partial
 * results after SIGINT and SIGTERM, temporaries of a killed run removed
 * by the next one, errors on standard output, and runs that cannot
 * advance (a cycle through a waiting caller, time standing still, no
 * request finished), each stopped with a message and a failing status.
 *
 * Runs go through the built binary ($QMESH) from the source tree, as in
 * check_cli.c. A run to be interrupted is made long (thousands of short
 * replications) and signalled once its first replications are done.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../analysis/ana_provenance.h"
#include "tst.h"

static char *read_in(const char *dir, const char *name)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return tst_slurp(path, NULL);
}

static int exists_in(const char *dir, const char *name)
{
    char path[1024];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

/* ---- the results folder ---- */

START_TEST(test_run_replaces_the_results_folder_as_a_whole)
{
    char base[256], dir[512];
    char *text;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    ck_assert_int_eq(mkdir(dir, 0777), 0);
    tst_write(dir, "summary.csv", "from an older run\n");
    tst_write(dir, "latency.png", "an older run's plot\n");
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "2",
              "--set", "run.duration=20s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert(!exists_in(dir, "latency.png"));      /* not of this run */
    text = read_in(dir, "summary.csv");
    tst_assert_has(text, "system,latency_mean,", "summary.csv");
    free(text);
    ck_assert(exists_in(dir, "provenance.csv"));
    ck_assert_int_eq(tst_temporaries(base), 0);
    ck_assert_int_eq(tst_temporaries(dir), 0);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_run_refuses_a_folder_that_holds_no_results)
{
    char base[256];
    char *text;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    tst_write(base, "notes.txt", "the user's own\n");
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "2",
              "--set", "run.duration=20s", "-o", base, NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "holds files but no qmesh results", "stderr");
    tst_out_free(&r);
    text = read_in(base, "notes.txt");
    ck_assert_str_eq(text, "the user's own\n");
    free(text);
    ck_assert_int_eq(tst_temporaries(base), 0);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_run_refuses_an_empty_folder_name)
{
    tst_out r;

    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-o", "", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "qmesh: error: the results folder name is empty",
                   "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_unwritable_folder_fails_before_simulating)
{
    tst_out r;

    /* /proc takes no new folders: found at once, not after the run. */
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "1000",
              "-o", "/proc/qmesh-results", NULL);
    ck_assert_int_eq(r.status, 1);
    tst_assert_has(r.err, "cannot write into folder '/proc'", "stderr");
    tst_out_free(&r);
}
END_TEST

/* The value of key in a provenance.csv text ("" when absent). */
static const char *prov(const char *text, const char *key)
{
    static char val[1024];
    char want[128];
    const char *p;
    size_t n;

    snprintf(want, sizeof want, "\n%s,", key);
    val[0] = '\0';
    if (!(p = strstr(text, want)))
        return val;
    p += strlen(want);
    n = strcspn(p, "\n");
    snprintf(val, sizeof val, "%.*s", (int)n, p);
    return val;
}

START_TEST(test_provenance_names_version_and_command_as_typed)
{
    char base[256], dir[512], want[1024];
    char *text;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "2", "-s",
              "2385", "--set", "run.duration=20 s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    text = read_in(dir, "provenance.csv");
    ck_assert(!strncmp(text, "key,value\n", 10));
    ck_assert_str_eq(prov(text, "qmesh_version"), PACKAGE_VERSION);
    /* As typed, in order, quoted where a shell needs it. */
    snprintf(want, sizeof want, "qmesh run scenarios/mm1.yaml -q -r 2 -s "
             "2385 --set 'run.duration=20 s' -o %s", dir);
    ck_assert_str_eq(prov(text, "command"), want);
    free(text);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_provenance_records_hashes_seed_and_completeness)
{
    char base[256], dir[512], hex[65];
    char *text;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "3", "-s",
              "2385", "--set", "run.duration=20s", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    text = read_in(dir, "provenance.csv");
    ck_assert_str_eq(prov(text, "name"), "mm1");
    ck_assert_str_eq(prov(text, "scenario"), "scenarios/mm1.yaml");
    ck_assert_int_eq(ana_sha256_file(tst_path("scenarios/mm1.yaml"), hex), 0);
    ck_assert_str_eq(prov(text, "scenario_sha256"), hex);
    ck_assert_int_eq(ana_sha256_file(tst_path("topologies/mm1.gml"), hex), 0);
    ck_assert_str_eq(prov(text, "topology_sha256"), hex);
    ck_assert_str_eq(prov(text, "seed"), "2385");
    ck_assert_str_eq(prov(text, "replications"), "3");
    ck_assert_str_eq(prov(text, "replications_done"), "3");
    ck_assert_str_eq(prov(text, "complete"), "yes");
    ck_assert_int_eq((int)strlen(prov(text, "date")), 20);
    free(text);
    tst_rm_tree(base);
}
END_TEST

/* ---- warmup: auto ---- */

/* The table and provenance.csv say what warm-up MSER-5 chose, and the
 * header's warm-up is that one. */
START_TEST(test_auto_warmup_is_printed_and_recorded)
{
    char base[256], dir[512], head[128];
    char *text;
    const char *w;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-r", "2", "--set",
              "run.duration=20s", "--set", "run.warmup=auto", "-o", dir,
              NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "\nwarm-up: auto, ", "stdout");
    tst_assert_has(r.out, " s (MSER-5 on service:server queue_mean)\n",
                   "stdout");
    text = read_in(dir, "provenance.csv");
    w = prov(text, "warmup_auto");
    tst_assert_has(w, " s (MSER-5 on service:server queue_mean)",
                   "warmup_auto");
    /* "mm1: 2 replications of 20 s after W s warm-up", W as chosen. */
    snprintf(head, sizeof head, "of 20 s after %.*s s warm-up",
             (int)(strchr(w, ' ') - w), w);
    tst_assert_has(r.out, head, "stdout");
    free(text);
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

/* M/M/1 at load 0.999 for 20 s from empty: tau = 1 / (mu (1 -
 * sqrt(rho))^2) = 4 x 10^4 s, and the mean queue rises all along, like
 * |B(t)| of a Brownian motion of variance (lambda + mu) t, from 0 to
 * sqrt(2 (lambda + mu) t / pi) = 50 at the end; over 200 replications a
 * batch mean varies by about 2. A ramp's MSER falls to the last
 * truncation tried: the failure condition, warned of. */
START_TEST(test_auto_warmup_warns_when_the_run_is_too_short)
{
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "200",
              "--set", "workload.0.arrival=poisson(rate=99.9/s)", "--set",
              "run.duration=20s", "--set", "run.warmup=auto", "-o", dir,
              NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.err, "qmesh: warning: scenarios/mm1.yaml: the run "
                   "looks too short to have reached steady state: MSER-5 "
                   "finds 'service:server queue_mean' still settling at "
                   "half of run.duration (20 s), so the warm-up is that "
                   "half, 10 s", "stderr");
    tst_out_free(&r);
    tst_rm_tree(base);
}
END_TEST

/* check and theory read the scenario as run does; a sweep shows each
 * load's warm-up. */
START_TEST(test_auto_warmup_is_accepted_by_check_theory_and_sweeps)
{
    char base[256], dir[512];
    tst_out r;

    tst_qmesh(&r, NULL, "check", "scenarios/mm1.yaml", "--set",
              "run.warmup=auto", NULL);
    ck_assert_msg(r.status == 0, "check: %s", r.err);
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "theory", "scenarios/mm1.yaml", "--set",
              "run.warmup=auto", NULL);
    ck_assert_msg(r.status == 0, "theory: %s", r.err);
    tst_assert_has(r.out, "M/M/1", "theory");
    tst_out_free(&r);
    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-r", "2", "--load",
              "0.5:0.9:0.4", "--set", "run.duration=20s", "--set",
              "run.warmup=auto", "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "sweep: %s", r.err);
    tst_assert_has(r.out, "theory ms  warm-up s  results", "sweep");
    tst_out_free(&r);
    ck_assert(exists_in(dir, "load/0.9/provenance.csv"));
    tst_rm_tree(base);
}
END_TEST

/* ---- signals ---- */

/* Start a long run into base/res, let replications finish, send sig. */
static int interrupted_run(tst_out *r, const char *base, const char *jobs,
                           int sig)
{
    char dir[512];
    pid_t pid;

    snprintf(dir, sizeof dir, "%s/res", base);
    pid = tst_qmesh_start(r, NULL, "run", "scenarios/mm1.yaml", "-r", "5000",
                          "-j", jobs, "--set", "run.duration=200s", "-o",
                          dir, NULL);
    usleep(1500000);
    kill(pid, sig);
    return tst_qmesh_finish(r, pid);
}

START_TEST(test_signal_writes_the_finished_replications_as_partial)
{
    static const int sigs[] = { SIGINT, SIGTERM };
    static const char *const jobs[] = { "1", "2" };
    char base[256], dir[512], want[64];
    char *text;
    int wst, sig = sigs[_i / 2];
    long done;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    wst = interrupted_run(&r, base, jobs[_i % 2], sig);
    /* Ends by the signal, as a shell expects of an interrupted command. */
    ck_assert_msg(WIFSIGNALED(wst) && WTERMSIG(wst) == sig,
                  "wait status %d: %s", wst, r.err);
    snprintf(want, sizeof want, "partial result: stopped by %s after ",
             sig == SIGINT ? "SIGINT" : "SIGTERM");
    tst_assert_has(r.out, want, "stdout");
    tst_assert_has(r.out, "partial results written to ", "stdout");
    tst_out_free(&r);
    text = read_in(dir, "provenance.csv");
    ck_assert_str_eq(prov(text, "complete"), "no");
    done = strtol(prov(text, "replications_done"), NULL, 10);
    ck_assert_msg(done > 0 && done < 5000, "%ld replications done", done);
    tst_assert_has(prov(text, "partial"), want + 16, "provenance.csv");
    free(text);
    text = read_in(dir, "summary.csv");
    tst_assert_has(text, "system,latency_mean,", "summary.csv");
    free(text);
    ck_assert_int_eq(tst_temporaries(base), 0);
    ck_assert_int_eq(tst_temporaries(dir), 0);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_killed_run_leaves_the_folder_and_next_run_cleans_up)
{
    char base[256], dir[512], other[512];
    int wst;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    snprintf(other, sizeof other, "%s/other", base);
    wst = interrupted_run(&r, base, "2", SIGKILL);
    ck_assert(WIFSIGNALED(wst) && WTERMSIG(wst) == SIGKILL);
    tst_out_free(&r);
    ck_assert(!exists_in(base, "res"));             /* never half a run */
    ck_assert_int_eq(tst_temporaries(base), 1);      /* the killed run's */
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "2",
              "--set", "run.duration=20s", "-o", other, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    ck_assert_int_eq(tst_temporaries(base), 0);
    tst_rm_tree(base);
}
END_TEST

/* ---- what is not a regular file ---- */

START_TEST(test_dot_export_refuses_a_fifo_and_a_symbolic_link)
{
    char base[256], fifo[512], link[512], target[512];
    struct stat st;
    char *text;
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(fifo, sizeof fifo, "%s/pipe", base);
    snprintf(link, sizeof link, "%s/link.dot", base);
    snprintf(target, sizeof target, "%s/target", base);
    ck_assert_int_eq(mkfifo(fifo, 0644), 0);
    tst_write(base, "target", "keep me\n");
    ck_assert_int_eq(symlink(target, link), 0);

    tst_qmesh(&r, NULL, "graph", "topologies/ecommerce.gml", "--dot", fifo,
              NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "it is a FIFO", "stderr");
    tst_out_free(&r);
    ck_assert(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));

    tst_qmesh(&r, NULL, "graph", "topologies/ecommerce.gml", "--dot", link,
              NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "it is a symbolic link", "stderr");
    tst_out_free(&r);
    ck_assert(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    text = read_in(base, "target");
    ck_assert_str_eq(text, "keep me\n");
    free(text);
    ck_assert_int_eq(tst_temporaries(base), 0);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_dot_export_to_dash_is_standard_output_alone)
{
    tst_out r;

    tst_qmesh(&r, NULL, "graph", "topologies/ecommerce.gml", "--dot", "-",
              NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(!strncmp(r.out, "digraph \"ecommerce\" {\n", 22), "%s",
                  r.out);
    ck_assert_str_eq(r.out + strlen(r.out) - 2, "}\n");     /* DOT only */
    tst_out_free(&r);
}
END_TEST

START_TEST(test_full_standard_output_exits_1)
{
    tst_out r;
    pid_t pid = tst_qmesh_start(&r, "/dev/full", "check",
                                "scenarios/mm1.yaml", NULL);
    int wst = tst_qmesh_finish(&r, pid);

    ck_assert(WIFEXITED(wst));
    ck_assert_int_eq(WEXITSTATUS(wst), 1);
    tst_assert_has(r.err, "qmesh: cannot write standard output: No space "
                   "left on device", "stderr");
    tst_out_free(&r);
}
END_TEST

/* ---- runs that cannot advance ---- */

START_TEST(test_cycle_through_a_waiting_caller_is_rejected)
{
    static const char *const cmds[] = { "check", "run", "theory" };
    tst_out r;

    tst_qmesh(&r, NULL, cmds[_i], "tests/data/call_forward_cycle.yaml",
              NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "call_forward_cycle.gml:6: error: calls and "
                   "forwards form a cycle, which would deadlock: a -> b => a",
                   "stderr");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_time_standing_still_is_stopped_naming_the_services)
{
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    tst_qmesh(&r, NULL, "run", "tests/data/zero_loop.yaml", "-j", "2", "-o",
              dir, NULL);
    ck_assert_int_eq(r.status, 1);
    tst_assert_has(r.err, "time stands still at t = 0 s", "stderr");
    tst_assert_has(r.err, "services 'front', 'db' in zero time", "stderr");
    ck_assert_str_eq(r.out, "");
    tst_out_free(&r);
    ck_assert(!exists_in(base, "res"));
    ck_assert_int_eq(tst_temporaries(base), 0);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_no_request_finished_exits_1_saying_why)
{
    static const char *const sets[] = {
        "run.duration=1e-300", "workload.0.arrival=poisson(rate=1e-300/s)"
    };
    char base[256], dir[512];
    tst_out r;

    snprintf(base, sizeof base, "%s", tst_tmpdir());
    snprintf(dir, sizeof dir, "%s/res", base);
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-r", "2", "--set",
              sets[_i], "-o", dir, NULL);
    ck_assert_int_eq(r.status, 1);
    tst_assert_has(r.err, "qmesh: no request finished in any replication: "
                   "the run measures ", "stderr");
    tst_assert_has(r.err, "expected in that time", "stderr");
    tst_out_free(&r);
    ck_assert(!exists_in(base, "res"));
    tst_rm_tree(base);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("cli_run");
    TCase *tc;

    tc = tcase_create("results_folder");
    tcase_add_test(tc, test_run_replaces_the_results_folder_as_a_whole);
    tcase_add_test(tc, test_run_refuses_a_folder_that_holds_no_results);
    tcase_add_test(tc, test_run_refuses_an_empty_folder_name);
    tcase_add_test(tc, test_unwritable_folder_fails_before_simulating);
    tcase_add_test(tc, test_provenance_names_version_and_command_as_typed);
    tcase_add_test(tc, test_provenance_records_hashes_seed_and_completeness);
    suite_add_tcase(s, tc);

    tc = tcase_create("warmup_auto");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_auto_warmup_is_printed_and_recorded);
    tcase_add_test(tc, test_auto_warmup_warns_when_the_run_is_too_short);
    tcase_add_test(tc, test_auto_warmup_is_accepted_by_check_theory_and_sweeps);
    suite_add_tcase(s, tc);

    tc = tcase_create("signals");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc,
                        test_signal_writes_the_finished_replications_as_partial,
                        0, 4);
    tcase_add_test(tc,
                   test_killed_run_leaves_the_folder_and_next_run_cleans_up);
    suite_add_tcase(s, tc);

    tc = tcase_create("not_regular_files");
    tcase_add_test(tc, test_dot_export_refuses_a_fifo_and_a_symbolic_link);
    tcase_add_test(tc, test_dot_export_to_dash_is_standard_output_alone);
    tcase_add_test(tc, test_full_standard_output_exits_1);
    suite_add_tcase(s, tc);

    tc = tcase_create("cannot_advance");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_cycle_through_a_waiting_caller_is_rejected,
                        0, 3);
    tcase_add_test(tc,
                   test_time_standing_still_is_stopped_naming_the_services);
    tcase_add_loop_test(tc, test_no_request_finished_exits_1_saying_why, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
