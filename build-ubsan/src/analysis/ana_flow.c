/*
 * ana_flow.c - visit ratios and arrival rates with calls and publishes.
 *
 * For class c, P_c[i][j] is the expected number of visits to j that one
 * visit to i causes directly: the probability of a forward edge i->j, or
 * p * count of a call edge (each call visits j once, and its forward
 * chain goes on from there), restricted to edges whose `types` include c.
 * The visit vector solves v = e_entry + P_c^T v, once with
 * publish edges (all the work a request causes) and once without (the
 * visits its latency is made of).
 *
 * Stability: a service is stable when the mean number of busy workers,
 * lambda * hold / c, is below 1. For a blocking service a visit holds its
 * worker through its calls, so hold includes at least, stage by stage, the
 * longest of the expected minimal times of its calls (no queueing
 * anywhere: E[max] >= max E). That makes the check a lower bound: a
 * scenario it rejects is certainly unstable; one it passes may still
 * saturate a pool under queueing, which the simulation shows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_linalg.h>
#include "ana_flow.h"

/* lossy[k]: a call whose forward chain starts at k may be rejected
 * (k, or a service its calls or forwards reach, has a capacity). A
 * rejection comes back at once and skips the caller's later stages and
 * its post-work, so neither may enter the bound. */
static void mark_lossy(const mdl_topology *t, char *lossy)
{
    size_t k, e;
    int changed = 1;

    for (k = 0; k < t->nservices; k++)
        lossy[k] = t->services[k].kind != MDL_SVC_DELAY
                   && t->services[k].capacity > 0;
    while (changed) {
        changed = 0;
        for (e = 0; e < t->nedges; e++) {
            const mdl_edge *ed = &t->edges[e];
            if (ed->kind != MDL_EDGE_PUBLISH && ed->p > 0 && lossy[ed->to]
                && !lossy[ed->from]) {
                lossy[ed->from] = 1;
                changed = 1;
            }
        }
    }
}

/* Can one of k's calls (for class c) fail? */
static int calls_may_fail(const mdl_scenario *s, size_t c, size_t k,
                          const char *lossy)
{
    const mdl_topology *t = s->topo;
    size_t e;

    for (e = 0; e < t->nedges; e++)
        if ((size_t)t->edges[e].from == k
            && t->edges[e].kind == MDL_EDGE_CALL && t->edges[e].p > 0
            && lossy[t->edges[e].to] && mdl_scenario_edge_applies(s, e, c))
            return 1;
    return 0;
}

/* Least time a visit to k takes until it can reply: its work, its calls
 * (each at least the callee's own least time), its post-work. Forward
 * continuations are left out, which keeps it a lower bound and the
 * recursion on the (acyclic) call graph finite; state[] guards against a
 * call cycle, which the model rejects later with its own message. */
static double least_time(const mdl_scenario *s, size_t c, size_t k,
                         double *memo, char *state, const char *lossy)
{
    const mdl_topology *t = s->topo;
    const mdl_service *v = &t->services[k];
    double total = v->service.mean + v->post_service.mean;
    size_t e, e2;

    if (state[k] == 2)
        return memo[k];
    if (state[k] == 1)
        return 0;       /* a call cycle: contributes nothing to the bound */
    if (calls_may_fail(s, c, k, lossy)) {
        state[k] = 2;   /* only the pre-work is certain */
        return memo[k] = v->service.mean;
    }
    state[k] = 1;
    /* For each stage, the slowest expected call of that stage. */
    for (e = 0; e < t->nedges; e++) {
        const mdl_edge *ed = &t->edges[e];
        double slowest = 0;
        int first = 1;
        if ((size_t)ed->from != k || ed->kind != MDL_EDGE_CALL
            || !mdl_scenario_edge_applies(s, e, c))
            continue;
        for (e2 = 0; e2 < e; e2++)   /* count each stage once */
            if ((size_t)t->edges[e2].from == k
                && t->edges[e2].kind == MDL_EDGE_CALL
                && t->edges[e2].stage == ed->stage
                && mdl_scenario_edge_applies(s, e2, c))
                first = 0;
        if (!first)
            continue;
        for (e2 = e; e2 < t->nedges; e2++) {
            const mdl_edge *o = &t->edges[e2];
            double x;
            if ((size_t)o->from != k || o->kind != MDL_EDGE_CALL
                || o->stage != ed->stage
                || !mdl_scenario_edge_applies(s, e2, c))
                continue;
            x = o->p * o->count * least_time(s, c, (size_t)o->to, memo,
                                             state, lossy);
            if (x > slowest)
                slowest = x;
        }
        total += slowest;
    }
    state[k] = 2;
    memo[k] = total;
    return total;
}

/* Solve (I - M^T) v = g by LU decomposition. Unlike routing
 * probabilities, M's rows may sum past 1 (count > 1 calls per visit).
 * Returns SIM_EINVAL when the system is singular or a visit count comes
 * out negative or infinite: the requests could never leave. */
static int solve_linear(size_t n, const double *M, const double *g,
                        double *v)
{
    gsl_matrix *A = gsl_matrix_alloc(n, n);
    gsl_permutation *perm = gsl_permutation_alloc(n);
    gsl_vector_const_view b = gsl_vector_const_view_array(g, n);
    gsl_vector_view x = gsl_vector_view_array(v, n);
    size_t i, j;
    int sign, rc = SIM_OK;

    if (!A || !perm) {
        rc = SIM_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            gsl_matrix_set(A, j, i, (i == j) - M[i * n + j]);
    if (gsl_linalg_LU_decomp(A, perm, &sign) != GSL_SUCCESS)
        rc = SIM_EINVAL;
    /* Singular when a pivot vanishes; the determinant, a product of n
     * pivots, is tiny for many well-posed loops (0.1^13 for 13 services
     * each revisited 10 times). */
    for (i = 0; rc == SIM_OK && i < n; i++)
        if (fabs(gsl_matrix_get(A, i, i)) < 1e-12)
            rc = SIM_EINVAL;
    if (rc == SIM_OK
        && gsl_linalg_LU_solve(A, perm, &b.vector, &x.vector) != GSL_SUCCESS)
        rc = SIM_EINVAL;
    for (i = 0; rc == SIM_OK && i < n; i++) {
        if (!isfinite(v[i]) || v[i] < -1e-9)
            rc = SIM_EINVAL;
        else if (v[i] < 0)
            v[i] = 0;
    }
done:
    gsl_permutation_free(perm);
    gsl_matrix_free(A);
    return rc;
}

static int solve_visits(const mdl_scenario *s, size_t c, int with_publish,
                        double *P, double *g, double *v)
{
    const mdl_topology *t = s->topo;
    size_t n = t->nservices, e;

    memset(P, 0, n * n * sizeof *P);
    memset(g, 0, n * sizeof *g);
    for (e = 0; e < t->nedges; e++) {
        const mdl_edge *ed = &t->edges[e];
        double w = ed->kind == MDL_EDGE_FORWARD ? ed->p : ed->p * ed->count;
        if (ed->kind == MDL_EDGE_PUBLISH && !with_publish)
            continue;
        if (mdl_scenario_edge_applies(s, e, c))
            P[(size_t)ed->from * n + (size_t)ed->to] += w;
    }
    g[s->classes[c].entry] = 1.0;
    return solve_linear(n, P, g, v);
}

int ana_flow_init(ana_flow *f, const mdl_scenario *s, sim_diag *d)
{
    const mdl_topology *t = s->topo;
    size_t n = t->nservices, c, k;
    double *P = NULL, *g = NULL, *memo = NULL;
    char *state = NULL, *lossy = NULL;
    int rc = SIM_ENOMEM;

    memset(f, 0, sizeof *f);
    f->n = n;
    f->ncls = s->nclasses;
    f->visits = calloc(f->ncls * n, sizeof *f->visits);
    f->all_visits = calloc(f->ncls * n, sizeof *f->all_visits);
    f->rate = calloc(f->ncls, sizeof *f->rate);
    f->lambda = calloc(n, sizeof *f->lambda);
    f->hold = calloc(f->ncls * n, sizeof *f->hold);
    P = malloc(n * n * sizeof *P);
    g = malloc(n * sizeof *g);
    memo = malloc(n * sizeof *memo);
    state = malloc(n);
    lossy = malloc(n + 1);
    if (!lossy || !f->visits || !f->all_visits || !f->rate || !f->lambda
        || !f->hold || !P || !g || !memo || !state)
        goto done;
    mark_lossy(t, lossy);
    for (c = 0; c < f->ncls; c++) {
        const mdl_class *cl = &s->classes[c];
        const mdl_workload *w = &s->workloads[cl->workload];
        double *v = f->visits + c * n, *a = f->all_visits + c * n;
        int r1 = solve_visits(s, c, 0, P, g, v);
        int r2 = r1 == SIM_OK ? solve_visits(s, c, 1, P, g, a) : r1;
        if (r2 == SIM_ENOMEM)
            goto done;
        if (r2 != SIM_OK) {
            rc = sim_diag_set(d, s->path, s->workload_line, 0,
                              "requests of class '%s' can never leave: the "
                              "edges from '%s' form a loop with no exit",
                              cl->name, t->services[cl->entry].name);
            goto done;
        }
        if (!w->closed)
            f->rate[c] = cl->share / w->arrival.mean;
        for (k = 0; k < n; k++)
            f->lambda[k] += f->rate[c] * a[k];
        memset(state, 0, n);
        for (k = 0; k < n; k++) {
            const mdl_service *v_k = &t->services[k];
            /* Under processor sharing a job waiting on callees leaves
             * the processor set (mdl_net.c), blocking or not. */
            if (v_k->blocking && v_k->kind == MDL_SVC_SERVICE
                && v_k->discipline != MDL_DISC_PS)
                f->hold[c * n + k] = least_time(s, c, k, memo, state,
                                                lossy);
            else
                f->hold[c * n + k] = v_k->service.mean
                    + (calls_may_fail(s, c, k, lossy)
                           ? 0 : v_k->post_service.mean);
        }
    }
    rc = SIM_OK;
done:
    free(P);
    free(g);
    free(memo);
    free(state);
    free(lossy);
    if (rc != SIM_OK)
        ana_flow_destroy(f);
    return rc;
}

void ana_flow_destroy(ana_flow *f)
{
    free(f->visits);
    free(f->all_visits);
    free(f->rate);
    free(f->lambda);
    free(f->hold);
    memset(f, 0, sizeof *f);
}

double ana_flow_load(const ana_flow *f, const mdl_scenario *s, size_t k)
{
    const mdl_service *v = &s->topo->services[k];
    double busy = 0;
    size_t c;

    for (c = 0; c < f->ncls; c++)
        busy += f->rate[c] * f->all_visits[c * f->n + k]
                * f->hold[c * f->n + k];
    return busy / ((double)v->servers * v->replicas);
}
