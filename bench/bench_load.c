/*
 * bench_load.c - time loading a scenario and building its model.
 *
 *   bench_load [--no-theory] SCENARIO
 *
 * Does what `qmesh check` and the build part of `qmesh run` do, phase by
 * phase, and prints each phase's wall time (CLOCK_MONOTONIC, median of
 * NTRIALS trials) and the peak resident set size after the last trial
 * (getrusage ru_maxrss): loading the scenario and its topology
 * (mdl_scenario_load(), mdl_scenario_check_run()), the stability check
 * (ana_theory_stability()), building the model (mdl_net_new()) and the
 * theory that `qmesh run` prints beside it (ana_theory_new()). `qmesh
 * check` is the first three. Meant for the large topologies of
 * bench/gen_topology.sh and `qmesh gen`: every phase should grow
 * linearly with services plus edges. --no-theory leaves out the stability check and the
 * theory, which both solve the traffic equations (ana_flow.c; their
 * times are printed as 0), to time the other phases alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <gsl/gsl_errno.h>
#include <igraph.h>
#include "../analysis/ana_theory.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_err.h"
#include "bench_util.h"

#define NTRIALS 3
#define NPHASES 4

static const char *const PHASE[NPHASES] = {
    "load", "stability", "build", "theory"
};

/* The wall time since *t0 (s), and *t0 now. */
static double lap(double *t0)
{
    double t = bench_seconds(CLOCK_MONOTONIC), since = t - *t0;

    *t0 = t;
    return since;
}

/* One trial: the wall time of each phase into t[]. */
static int trial(const char *path, int theory, double *t)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    ana_theory *th = NULL;
    sim_diag d;
    double t0 = bench_seconds(CLOCK_MONOTONIC);
    int rc;

    memset(&d, 0, sizeof d);
    rc = mdl_scenario_load(&s, path, NULL, 0, &d);
    if (rc == SIM_OK)
        rc = mdl_scenario_check_run(s, &d);
    t[0] = lap(&t0);
    if (rc == SIM_OK && theory)
        rc = ana_theory_stability(s, &d);
    t[1] = lap(&t0);
    if (rc == SIM_OK)
        rc = mdl_net_new(&net, s, &d);
    t[2] = lap(&t0);
    if (rc == SIM_OK && theory)
        rc = ana_theory_new(&th, s);
    t[3] = lap(&t0);
    if (rc != SIM_OK) {
        fputs("bench_load: ", stderr);
        if (d.msg[0])
            sim_diag_print(&d, stderr);
        else
            fprintf(stderr, "error %d\n", rc);
    }
    ana_theory_free(th);
    mdl_net_free(net);
    mdl_scenario_free(s);
    return rc;
}

int main(int argc, char **argv)
{
    double t[NTRIALS][NPHASES], x[NTRIALS], check = 0.0;
    struct rusage ru;
    size_t i, k;
    int theory = 1;

    if (argc == 3 && strcmp(argv[1], "--no-theory") == 0) {
        theory = 0;
        argv++;
        argc--;
    }
    if (argc != 2) {
        fputs("usage: bench_load [--no-theory] SCENARIO\n", stderr);
        return 2;
    }
    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_printignore);
    for (k = 0; k < NTRIALS; k++)
        if (trial(argv[1], theory, t[k]) != SIM_OK)
            return 1;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s:", argv[1]);
    for (i = 0; i < NPHASES; i++) {
        double m;

        for (k = 0; k < NTRIALS; k++)
            x[k] = t[k][i];
        m = bench_median(x, NTRIALS);
        printf(" %s %.3f s", PHASE[i], m);
        if (i < 3)
            check += m;
    }
    printf("; check %.3f s; peak RSS %.1f MiB\n", check,
           (double)ru.ru_maxrss / 1024.0);
    return 0;
}
