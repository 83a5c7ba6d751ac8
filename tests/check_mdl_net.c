/*
 * check_mdl_net.c - the simulation engine with deterministic times: what
 * it does when it cannot go on.
 */
#include <stdlib.h>
#include <string.h>
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "tst.h"

/* A model that cannot be written in a file (the cycle check rejects it)
 * is made by pointing an edge elsewhere after the net is built: the
 * watchdog is the engine's own last line of defence. */
START_TEST(test_deadlock_is_stopped_naming_the_service)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    double *out;
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/"
                                                    "deadlock.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    out = malloc(mdl_net_result_len(net) * sizeof *out);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(s->topo->edges[1].kind, MDL_EDGE_FORWARD);
    s->topo->edges[1].to = 0;               /* b forwards back to a */
    ck_assert_int_eq(mdl_net_run(net, 0, out, NULL, &d), SIM_ESTALL);
    /* think 10 ms, a works 1 ms, b 2 ms: stuck at t = 13 ms */
    ck_assert_str_eq(d.msg, "deadlock at t = 0.013 s: 1 request in the "
                     "system and no event left to move it (held at "
                     "services 'a')");
    free(out);
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_net");
    TCase *tc = tcase_create("watchdog");

    tcase_add_test(tc, test_deadlock_is_stopped_naming_the_service);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
