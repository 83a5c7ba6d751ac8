/*
 * check_ana_recipe.c - a scenario's recipe (ana_recipe.h), which the
 * workers of an MPI job use to make rank 0's models again: made from
 * its recipe in another folder, a scenario loaded with overrides, -s,
 * -r and two loads gives the same result vector bit for bit; a recipe
 * cut short or with bytes to spare is refused; a file missing where the
 * recipe is used is named. No MPI is needed: this runs in every build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../analysis/ana_recipe.h"
#include "../analysis/ana_run.h"
#include "../models/mdl_net.h"
#include "tst.h"

/* Short runs of the retry storm: an open workload (so a load can be
 * set), a timeout, retries and an injected slow-down. */
static const char *const SETS[] = {
    "run.duration=40s", "run.warmup=4s", "failures.0.at=10s",
    "calls.client->server.timeout=150ms"
};
#define NSETS (sizeof SETS / sizeof *SETS)

/* Replication rep of s into a new vector of *len doubles. */
static double *replicate(const mdl_scenario *s, unsigned rep, size_t *len)
{
    mdl_net *net = NULL;
    sim_diag d;
    double *out;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    *len = mdl_net_result_len(net);
    out = malloc(*len * sizeof *out);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(mdl_net_run(net, rep, out, NULL, &d) == SIM_OK, "%s",
                  d.msg);
    mdl_net_free(net);
    return out;
}

/* The retry storm loaded from the source tree by a relative path, as
 * qmesh's command line gives it, with -s 2385 -r 3 and two loads. */
static mdl_scenario *storm(int loads)
{
    mdl_scenario *s = NULL;
    sim_diag d;
    char *cwd = getcwd(NULL, 0);

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(chdir(tst_path("")), 0);
    ck_assert_msg(mdl_scenario_load(&s, "scenarios/retry_storm.yaml", SETS,
                                    NSETS, &d) == SIM_OK, "%s", d.msg);
    ck_assert_int_eq(chdir(cwd), 0);
    free(cwd);
    s->seed = 2385;
    s->replications = 3;
    if (loads) {
        ck_assert_int_eq(ana_run_set_load(s, 0.55, &d), SIM_OK);
        ck_assert_int_eq(ana_run_set_load(s, 0.35, &d), SIM_OK);
    }
    return s;
}

START_TEST(test_made_again_in_another_folder_gives_the_same_replication)
{
    mdl_scenario *s = storm(1), *again = NULL, *plain = storm(0);
    unsigned char *buf;
    double *x, *y, *z;
    size_t len, n, ny, nz, i;
    char *cwd = getcwd(NULL, 0), tmp[256];
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(s->nsets, NSETS);
    ck_assert_int_eq(s->nloads, 2);
    ck_assert_int_eq(ana_recipe_pack(s, &buf, &len), SIM_OK);
    /* elsewhere: the relative path was made absolute */
    snprintf(tmp, sizeof tmp, "%s", tst_tmpdir());
    ck_assert_int_eq(chdir(tmp), 0);
    ck_assert_msg(ana_recipe_make(buf, len, &again, &d) == SIM_OK, "%s",
                  d.msg);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_uint_eq(again->seed, 2385);
    ck_assert_uint_eq(again->replications, 3);
    ck_assert_int_eq(again->nsets, NSETS);
    for (i = 0; i < NSETS; i++)
        ck_assert_str_eq(again->sets[i], SETS[i]);
    ck_assert_int_eq(again->nloads, 2);
    ck_assert(again->workloads[0].arrival.mean
              == s->workloads[0].arrival.mean);
    x = replicate(s, 2, &n);
    y = replicate(again, 2, &ny);
    ck_assert_uint_eq(ny, n);
    ck_assert_int_eq(memcmp(x, y, n * sizeof *x), 0);
    /* The loads matter: without them the replication differs. */
    z = replicate(plain, 2, &nz);
    ck_assert_uint_eq(nz, n);
    ck_assert_int_ne(memcmp(x, z, n * sizeof *x), 0);
    free(x);
    free(y);
    free(z);
    free(buf);
    free(cwd);
    tst_rm_tree(tmp);
    mdl_scenario_free(again);
    mdl_scenario_free(plain);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_a_recipe_cut_short_or_too_long_is_refused)
{
    mdl_scenario *s = storm(1), *again = NULL;
    unsigned char *buf, *more;
    size_t len, k;
    sim_diag d;

    ck_assert_int_eq(ana_recipe_pack(s, &buf, &len), SIM_OK);
    for (k = 0; k < len; k++) {
        memset(&d, 0, sizeof d);
        ck_assert_int_eq(ana_recipe_make(buf, k, &again, &d), SIM_EPARSE);
        ck_assert_ptr_null(again);
        tst_assert_has(d.msg, "recipe", "diagnostic");
    }
    more = malloc(len + 1);
    ck_assert_ptr_nonnull(more);
    memcpy(more, buf, len);
    more[len] = 7;
    ck_assert_int_eq(ana_recipe_make(more, len + 1, &again, &d), SIM_EPARSE);
    more[0] = 'X';              /* not a recipe */
    ck_assert_int_eq(ana_recipe_make(more, len, &again, &d), SIM_EPARSE);
    free(more);
    free(buf);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_a_file_missing_where_the_recipe_is_made_is_named)
{
    char dir[256], path[512], text[1024];
    mdl_scenario *s = NULL, *again = NULL;
    unsigned char *buf;
    size_t len;
    sim_diag d;

    memset(&d, 0, sizeof d);
    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    snprintf(text, sizeof text, "name: here\ntopology: %s\n"
             "workload:\n  - { name: req, entry: server, "
             "arrival: \"poisson(rate=50/s)\" }\n"
             "run: { duration: 5s, replications: 2 }\n",
             tst_path("topologies/single.gml"));
    tst_write(dir, "here.yaml", text);
    snprintf(path, sizeof path, "%s/here.yaml", dir);
    ck_assert_msg(mdl_scenario_load(&s, path, NULL, 0, &d) == SIM_OK, "%s",
                  d.msg);
    ck_assert_int_eq(ana_recipe_pack(s, &buf, &len), SIM_OK);
    /* as on a node that does not have the file */
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(ana_recipe_make(buf, len, &again, &d), SIM_EPARSE);
    ck_assert_ptr_null(again);
    tst_assert_has(d.msg, "here.yaml", "diagnostic");
    free(buf);
    mdl_scenario_free(s);
    tst_rm_tree(dir);
}
END_TEST

static Suite *recipe_suite(void)
{
    Suite *s = suite_create("ana_recipe");
    TCase *tc = tcase_create("recipe");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc,
        test_made_again_in_another_folder_gives_the_same_replication);
    tcase_add_test(tc, test_a_recipe_cut_short_or_too_long_is_refused);
    tcase_add_test(tc, test_a_file_missing_where_the_recipe_is_made_is_named);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(recipe_suite);
}
