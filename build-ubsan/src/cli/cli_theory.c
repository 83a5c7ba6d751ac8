/*
 * cli_theory.c - `qmesh theory SCENARIO [--set K=V]...`: queueing theory's
 * answer for a scenario, with the formula behind every number.
 *
 * Prints the model and why it applies (or why no exact solution exists
 * and which approximation is shown instead, labelled as such); per
 * station the arrival rate, visit ratio, utilization, P(wait) or the
 * blocking probability, Wq, W, Lq and L, each beside its formula; end to
 * end the latency and throughput per class and for the system, the
 * bottleneck, and for closed networks the asymptotic bounds and N*.
 * Times are shown in s, ms or us as in the run table. The scenario is
 * loaded and checked exactly as `qmesh run` does, so an unstable station
 * is reported by name with its load and exit status 2.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_theory.h"
#include "cli_int.h"

/* Scale and unit for a time of magnitude x (s), as the run table. */
static const char *time_unit(double x, double *scale)
{
    x = fabs(x);
    if (!(x < 1.0) || x == 0.0) {
        *scale = 1.0;
        return "s";
    }
    if (x >= 1e-3) {
        *scale = 1e3;
        return "ms";
    }
    *scale = 1e6;
    return "us";
}

/* "12.34 ms" for a time, "0.5" for a number. */
static void fmt_time(char *buf, size_t n, double x)
{
    double scale;
    const char *unit = time_unit(x, &scale);

    snprintf(buf, n, "%.4g %s", x * scale, unit);
}

static void row(const char *label, const char *value, const char *formula)
{
    printf("  %-14s %-14s %s\n", label, value, formula ? formula : "");
}

static void row_num(const char *label, double x, const char *formula)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%.4g", x);
    row(label, buf, formula);
}

static void row_time(const char *label, double x, const char *formula)
{
    char buf[64];

    fmt_time(buf, sizeof buf, x);
    row(label, buf, formula);
}

static void print_station(const mdl_scenario *s, const ana_theory_station *q)
{
    const mdl_service *v = &s->topo->services[q->service];
    const ana_method *h = q->how;
    const ana_station *a = &q->st;
    char buf[64];

    printf("\nservice '%s': %s%s\n", v->name, h->name,
           q->exact ? "" : " (APPROXIMATE)");
    if (h->p_block && a->p_block < 1.0) {
        /* a->lambda is what gets in: lambda (1 - p_block) */
        snprintf(buf, sizeof buf, "%.4g /s", a->lambda / (1.0 - a->p_block));
        row("arrival rate", buf, q->flow);
        snprintf(buf, sizeof buf, "%.4g /s", a->lambda);
        row("accepted rate", buf, "lambda (1 - p_block)");
    } else {
        snprintf(buf, sizeof buf, "%.4g /s", a->lambda);
        row("arrival rate", buf, q->flow);
    }
    row_num("visit ratio", q->visits, q->flow_visits);
    row_num("utilization", a->util, h->util);
    if (h->p_block)
        row_num("P(block)", a->p_block, h->p_block);
    if (h->p_wait)
        row_num("P(wait)", a->p_wait, h->p_wait);
    row_time("Wq", a->Wq, h->Wq);
    row_time("W", a->W, h->W);
    row_num("Lq", a->Lq, h->Lq);
    row_num("L", a->L, h->L);
}

/* The end-to-end values of scope (system or class:X) found in list. */
static void print_scope(const ana_value *v, size_t n, const char *scope,
                        const char *label)
{
    size_t i;
    int first = 1;

    for (i = 0; i < n; i++) {
        char what[32], buf[64];

        if (strcmp(v[i].scope, scope))
            continue;
        if (!strncmp(v[i].metric, "latency_", 8)) {
            snprintf(what, sizeof what, "latency %s", v[i].metric + 8);
            fmt_time(buf, sizeof buf, v[i].value);
        } else if (!strcmp(v[i].metric, "throughput")) {
            snprintf(what, sizeof what, "throughput");
            snprintf(buf, sizeof buf, "%.4g /s", v[i].value);
        } else if (!strcmp(v[i].metric, "availability")) {
            if (v[i].value == 1.0)
                continue;       /* nothing is lost: not worth a line */
            snprintf(what, sizeof what, "availability");
            snprintf(buf, sizeof buf, "%.6g", v[i].value);
        } else {
            continue;
        }
        printf("  %-18s %-16s %-14s %s\n", first ? label : "", what, buf,
               v[i].method);
        first = 0;
    }
}

static void print_end_to_end(const mdl_scenario *s, const ana_value *v,
                             size_t n)
{
    char scope[256], label[256];
    size_t i;

    print_scope(v, n, "system", "system");
    for (i = 0; i < s->nworkloads; i++) {
        snprintf(scope, sizeof scope, "class:%s", s->workloads[i].name);
        snprintf(label, sizeof label, "class '%s'", s->workloads[i].name);
        print_scope(v, n, scope, label);
    }
}

/* The station of highest utilization, delay stations left out. */
static void print_bottleneck(const mdl_scenario *s, const ana_theory *t)
{
    const ana_theory_station *best = NULL;
    size_t i;

    for (i = 0; i < t->nst; i++) {
        const ana_theory_station *q = &t->st[i];
        if (s->topo->services[q->service].kind == MDL_SVC_DELAY)
            continue;
        if (!best || q->st.util > best->st.util)
            best = q;
    }
    if (best)
        printf("  %-18s service '%s', utilization %.4g (highest)\n",
               "bottleneck", s->topo->services[best->service].name,
               best->st.util);
}

static void print_bounds(const mdl_scenario *s, const ana_theory *t)
{
    const ana_bounds *b = &t->bounds;
    char d[64], dmax[64], z[64], rlo[64], rhi[64];

    fmt_time(d, sizeof d, b->D);
    fmt_time(dmax, sizeof dmax, b->Dmax);
    fmt_time(z, sizeof z, t->think);
    fmt_time(rlo, sizeof rlo, b->R_low);
    fmt_time(rhi, sizeof rhi, b->R_high);
    printf("\nasymptotic bounds (Denning & Buzen 1978; Lazowska et al., "
           "\"Quantitative System Performance\", ch. 5)\n");
    printf("  N = %ld customers, think time Z = %s\n", t->population, z);
    row("D", d, "sum_k v_k E[S_k] (total demand)");
    if (b->bottleneck < s->topo->nservices) {
        char why[160];

        snprintf(why, sizeof why, "max_k v_k E[S_k] / c_k (bottleneck "
                 "'%s')", s->topo->services[b->bottleneck].name);
        row("Dmax", dmax, why);
        row_num("N*", b->Nstar, "(D + Z) / Dmax: beyond it the bottleneck "
                "saturates");
    }
    printf("  %-14s %.4g to %.4g /s\n", "throughput", b->X_low, b->X_high);
    printf("  %-14s %s\n", "", "N / (N D + Z) <= X(N) <= "
           "min(N / (D + Z), 1 / Dmax)");
    printf("  %-14s %s to %s\n", "response", rlo, rhi);
    printf("  %-14s %s\n", "", "max(D, N Dmax - Z) <= R(N) <= N D");
}

static int theory(const cli_opts *o)
{
    mdl_scenario *s = NULL;
    ana_theory *t = NULL;
    size_t i;
    int status = cli__load(o, &s, 1);

    if (status != EXIT_OK)
        return status;
    if (ana_theory_new(&t, s) != SIM_OK) {
        fputs("qmesh: out of memory\n", stderr);
        mdl_scenario_free(s);
        return EXIT_RUNTIME;
    }
    printf("%s: queueing theory for %s\n", s->name, s->path);
    if (t->applies) {
        printf("model: %s (exact)\n", t->model);
        printf("  because: %s\n", t->basis ? t->basis : t->model);
    } else {
        printf("no exact solution: %s\n", t->why);
        if (t->nst > 0 || t->napprox > 0)
            printf("approximation: %s\n  APPROXIMATE values, labelled as "
                   "such; qmesh run shows no theory for them\n",
                   t->approx_model);
        else
            printf("no approximation offered\n");
    }
    if (t->nst > 0) {
        printf("\nper station (rates per second, times per visit)\n");
        for (i = 0; i < t->nst; i++)
            print_station(s, &t->st[i]);
    }
    if (t->applies || t->napprox > 0 || t->has_bounds)
        printf("\nend to end%s\n", t->applies ? "" : " (APPROXIMATE)");
    if (t->applies)
        print_end_to_end(s, t->v, t->n);
    else if (t->napprox > 0)
        print_end_to_end(s, t->approx, t->napprox);
    print_bottleneck(s, t);
    if (t->has_bounds)
        print_bounds(s, t);
    if (t->applies && t->napprox > 0) {
        printf("\n%s: APPROXIMATE\n", t->approx_model);
        print_end_to_end(s, t->approx, t->napprox);
    }
    ana_theory_free(t);
    mdl_scenario_free(s);
    return EXIT_OK;
}

const cli_cmd cli__theory_cmd = {
    "theory", theory, CLI_SET, "SCENARIO", "scenario file",
    "the analytic (queueing-theory) solution, formula by formula",
    "usage: qmesh theory SCENARIO [--set KEY=VALUE]...\n"
    "\n"
    "Solve the scenario with queueing theory where theory has an answer:\n"
    "the model and why it applies, per station the arrival rate, load,\n"
    "P(wait), Wq, W, Lq and L beside their formulas, the latency and\n"
    "throughput end to end, the bottleneck, and bounds for closed\n"
    "networks. Where no exact solution exists, says why and shows an\n"
    "approximation, labelled as such.\n"
    "\n"
    "options:\n"
    "      --set KEY=VALUE  override a scenario key (repeatable), e.g.\n"
    "                       --set services.db.servers=4\n"
    "  -h, --help           show this text\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 bad input or usage (an\n"
    "unstable station is named with its load).\n"
};
