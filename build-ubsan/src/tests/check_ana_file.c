/*
 * check_ana_file.c - unit tests of the result-file modules: atomic files
 * that replace only regular files (ana_file), temporaries of killed runs
 * removed, results folders replaced as a whole (ana_outdir), and the
 * SHA-256 of provenance.csv (ana_provenance).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../analysis/ana_file.h"
#include "../analysis/ana_outdir.h"
#include "../analysis/ana_provenance.h"
#include "tst.h"

static void put(const char *dir, const char *name, const char *text)
{
    char path[1024];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static int has(const char *dir, const char *name)
{
    char path[1024];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

/* A process id that has just ended: a reaped child's. */
static long dead_pid(void)
{
    pid_t pid = fork();
    int wst;

    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(0);
    ck_assert_int_eq(waitpid(pid, &wst, 0), pid);
    return (long)pid;
}

/* ---- SHA-256 ---- */

START_TEST(test_sha256_matches_the_standard_vectors)
{
    const char *dir = tst_tmpdir();
    char path[512], hex[65];

    /* FIPS 180-2, appendix B.1, and the empty message. */
    put(dir, "abc", "abc");
    snprintf(path, sizeof path, "%s/abc", dir);
    ck_assert_int_eq(ana_sha256_file(path, hex), 0);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
                          "b00361a396177a9cb410ff61f20015ad");
    put(dir, "empty", "");
    snprintf(path, sizeof path, "%s/empty", dir);
    ck_assert_int_eq(ana_sha256_file(path, hex), 0);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                          "27ae41e4649b934ca495991b7852b855");
    snprintf(path, sizeof path, "%s/missing", dir);
    ck_assert_int_eq(ana_sha256_file(path, hex), -1);
    tst_rm_tree(dir);
}
END_TEST

/* ---- atomic files ---- */

START_TEST(test_file_replaces_a_regular_file_whole)
{
    const char *dir = tst_tmpdir();
    char *text, path[512];
    sim_diag d;
    ana_file a;

    put(dir, "out.csv", "old\n");
    ck_assert_int_eq(ana_file_open(&a, dir, "out.csv", &d), SIM_OK);
    fputs("new\n", a.f);
    snprintf(path, sizeof path, "%s/out.csv", dir);
    text = tst_slurp(path, NULL);
    ck_assert_str_eq(text, "old\n");        /* untouched until closed */
    free(text);
    ck_assert_int_eq(ana_file_close(&a, SIM_OK, &d), SIM_OK);
    text = tst_slurp(path, NULL);
    ck_assert_str_eq(text, "new\n");
    free(text);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_file_refuses_what_is_not_a_regular_file)
{
    const char *dir = tst_tmpdir();
    char base[256], target[512], link[512], sub[512], *text;
    sim_diag d;
    ana_file a;

    snprintf(base, sizeof base, "%s", dir);
    snprintf(target, sizeof target, "%s/target", base);
    snprintf(link, sizeof link, "%s/link", base);
    snprintf(sub, sizeof sub, "%s/sub", base);
    put(base, "target", "keep\n");
    ck_assert_int_eq(symlink(target, link), 0);
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(ana_file_open(&a, base, "link", &d), SIM_EPARSE);
    tst_assert_has(d.msg, "it is a symbolic link", "message");
    ck_assert_int_eq(ana_file_open(&a, NULL, "/dev/null", &d), SIM_EPARSE);
    tst_assert_has(d.msg, "'/dev/null': it is a device", "message");
    ck_assert_int_eq(ana_file_open(&a, base, "sub", &d), SIM_EPARSE);
    tst_assert_has(d.msg, "it is a folder", "message");
    text = tst_slurp(target, NULL);
    ck_assert_str_eq(text, "keep\n");
    free(text);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_stale_temporaries_of_dead_writers_are_removed)
{
    const char *dir = tst_tmpdir();
    char base[256], name[128], sub[512], live[128];
    long dead = dead_pid();

    snprintf(base, sizeof base, "%s", dir);
    snprintf(name, sizeof name, ".summary.csv.qmesh-%ld-Ab12Cd", dead);
    put(base, name, "half a file");
    snprintf(name, sizeof name, ".res.qmesh-%ld-Zz09yY", dead);
    snprintf(sub, sizeof sub, "%s/%s", base, name);
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    put(sub, "summary.csv", "half a run");
    snprintf(live, sizeof live, ".res.qmesh-%ld-Qq11Qq", (long)getpid());
    put(base, live, "a running writer's");
    put(base, ".notes.qmesh-x", "not a temporary");
    put(base, "summary.csv", "a result");

    ana_file_clean_stale(base);
    snprintf(name, sizeof name, ".summary.csv.qmesh-%ld-Ab12Cd", dead);
    ck_assert(!has(base, name));
    ck_assert(!has(sub, "summary.csv") && access(sub, F_OK) != 0);
    ck_assert(has(base, live));
    ck_assert(has(base, ".notes.qmesh-x"));
    ck_assert(has(base, "summary.csv"));
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_remove_tree_does_not_follow_links)
{
    const char *dir = tst_tmpdir();
    char base[256], tree[512], outside[512], link[600];

    snprintf(base, sizeof base, "%s", dir);
    snprintf(tree, sizeof tree, "%s/tree", base);
    snprintf(outside, sizeof outside, "%s/outside", base);
    ck_assert_int_eq(mkdir(tree, 0777), 0);
    ck_assert_int_eq(mkdir(outside, 0777), 0);
    put(outside, "precious", "x");
    snprintf(link, sizeof link, "%s/link", tree);
    ck_assert_int_eq(symlink(outside, link), 0);
    ck_assert_int_eq(ana_file_remove_tree(tree), 0);
    ck_assert(!has(base, "tree"));
    ck_assert(has(outside, "precious"));
    tst_rm_tree(base);
}
END_TEST

/* ---- results folders ---- */

START_TEST(test_outdir_creates_then_replaces_a_results_folder)
{
    const char *dir = tst_tmpdir();
    char base[256], target[512];
    ana_outdir o;
    sim_diag d;

    snprintf(base, sizeof base, "%s", dir);
    snprintf(target, sizeof target, "%s/deep/res/", base);   /* trailing / */
    ck_assert_int_eq(ana_outdir_open(&o, target, &d), SIM_OK);
    ck_assert(!has(base, "deep/res"));      /* nothing there until commit */
    put(o.tmp, "summary.csv", "run 1");
    put(o.tmp, "latency.png", "plot of run 1");
    ck_assert_int_eq(ana_outdir_commit(&o, &d), SIM_OK);
    snprintf(target, sizeof target, "%s/deep/res", base);
    ck_assert(has(target, "summary.csv") && has(target, "latency.png"));

    ck_assert_int_eq(ana_outdir_open(&o, target, &d), SIM_OK);
    put(o.tmp, "summary.csv", "run 2");
    ck_assert(has(target, "latency.png"));  /* run 1 whole until commit */
    ck_assert_int_eq(ana_outdir_commit(&o, &d), SIM_OK);
    ck_assert(has(target, "summary.csv") && !has(target, "latency.png"));
    snprintf(target, sizeof target, "%s/deep", base);
    ck_assert_int_eq(tst_temporaries(target), 0);    /* old run removed */
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_outdir_abandon_leaves_the_target_alone)
{
    const char *dir = tst_tmpdir();
    char base[256], target[512], tmp[4200], *text;
    ana_outdir o;
    sim_diag d;

    snprintf(base, sizeof base, "%s", dir);
    snprintf(target, sizeof target, "%s/res", base);
    ck_assert_int_eq(mkdir(target, 0777), 0);
    put(target, "provenance.csv", "key,value\n");
    ck_assert_int_eq(ana_outdir_open(&o, target, &d), SIM_OK);
    snprintf(tmp, sizeof tmp, "%s", o.tmp);
    put(o.tmp, "provenance.csv", "half a run");
    ana_outdir_abandon(&o);
    ck_assert_int_eq(access(tmp, F_OK), -1);
    snprintf(tmp, sizeof tmp, "%s/provenance.csv", target);
    text = tst_slurp(tmp, NULL);
    ck_assert_str_eq(text, "key,value\n");
    free(text);
    tst_rm_tree(base);
}
END_TEST

START_TEST(test_outdir_refuses_what_it_may_not_replace)
{
    const char *dir = tst_tmpdir();
    char base[256], target[512], link[512];
    ana_outdir o;
    sim_diag d;

    snprintf(base, sizeof base, "%s", dir);
    snprintf(target, sizeof target, "%s/mine", base);
    ck_assert_int_eq(mkdir(target, 0777), 0);
    put(target, "thesis.tex", "years of work");
    ck_assert_int_eq(ana_outdir_open(&o, target, &d), SIM_EPARSE);
    tst_assert_has(d.msg, "holds files but no qmesh results", "message");
    put(base, "file", "x");
    snprintf(target, sizeof target, "%s/file", base);
    ck_assert_int_eq(ana_outdir_open(&o, target, &d), SIM_EPARSE);
    tst_assert_has(d.msg, "exists and is not a folder", "message");
    snprintf(target, sizeof target, "%s/mine", base);
    snprintf(link, sizeof link, "%s/link", base);
    ck_assert_int_eq(symlink(target, link), 0);
    ck_assert_int_eq(ana_outdir_open(&o, link, &d), SIM_EPARSE);
    tst_assert_has(d.msg, "is a symbolic link", "message");
    ck_assert_int_eq(ana_outdir_open(&o, "", &d), SIM_EPARSE);
    tst_assert_has(d.msg, "name is empty", "message");
    snprintf(target, sizeof target, "%s/..", base);
    ck_assert_int_eq(ana_outdir_open(&o, target, &d), SIM_EPARSE);
    tst_assert_has(d.msg, "not '.' or '..'", "message");
    ck_assert(has(base, "mine/thesis.tex"));
    tst_rm_tree(base);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ana_file");
    TCase *tc;

    tc = tcase_create("sha256");
    tcase_add_test(tc, test_sha256_matches_the_standard_vectors);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_add_test(tc, test_file_replaces_a_regular_file_whole);
    tcase_add_test(tc, test_file_refuses_what_is_not_a_regular_file);
    tcase_add_test(tc, test_stale_temporaries_of_dead_writers_are_removed);
    tcase_add_test(tc, test_remove_tree_does_not_follow_links);
    suite_add_tcase(s, tc);
    tc = tcase_create("folders");
    tcase_add_test(tc, test_outdir_creates_then_replaces_a_results_folder);
    tcase_add_test(tc, test_outdir_abandon_leaves_the_target_alone);
    tcase_add_test(tc, test_outdir_refuses_what_it_may_not_replace);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
