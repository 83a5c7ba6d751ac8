/*
 * check_mdl_net.c - the simulation engine with deterministic times: what
 * it does when it cannot go on, and the scopes it reports.
 */
#include <stdio.h>
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

/* The scopes a net reports, in order, joined by spaces. */
static void scopes_of(const mdl_net *net, char *buf, size_t n)
{
    size_t m, len = 0;
    const char *last = "";

    buf[0] = '\0';
    for (m = 0; m < mdl_net_nmetrics(net) && len < n; m++)
        if (strcmp(mdl_net_scope(net, m), last)) {
            last = mdl_net_scope(net, m);
            len += (size_t)snprintf(buf + len, n - len, "%s%s",
                                    len ? " " : "", last);
        }
}

START_TEST(test_scopes_count_from_0_and_skip_stages_of_publishes)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    char got[1024];
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/"
                                                    "scopes.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    scopes_of(net, got, sizeof got);
    ck_assert_str_eq(got, "system class:w service:a stage:a#0 stage:a#1 "
                     "service:b replica:b#0 replica:b#1 service:c "
                     "call:a->b#0 call:a->b#1 publish:a->c");
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
    tc = tcase_create("scopes");
    tcase_add_test(tc, test_scopes_count_from_0_and_skip_stages_of_publishes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
