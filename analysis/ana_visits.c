/*
 * ana_visits.c - sparse solution of the traffic equations
 *
 *     v_j = [j = entry] + sum over arcs i -> j of w_ij v_i.
 *
 * The arcs are sorted by their tail (a stable counting sort, so parallel
 * arcs keep their order), and Tarjan's algorithm, run without recursion
 * so that a chain of 100,000 nodes needs no deep stack, splits the graph
 * into strongly connected components. It emits them in reverse
 * topological order of the condensation, so taking them from last to
 * first, every arc from another component comes from one already solved:
 *
 *   - a component of one node and no self-arc is solved in one step,
 *     v_j = [j = entry] + acc_j, where acc_j collects w_ij v_i as each
 *     predecessor i is solved. Acyclic graphs (call trees, forward
 *     chains) are solved that way in O(n + m) time, exactly;
 *   - a component with a cycle (a loop with feedback) of s nodes solves
 *     (I - M_s^T) x = b, where M_s holds its internal arcs and b its
 *     entry term plus acc. Up to ANA_VISITS_DENSE_MAX nodes, by LU with
 *     partial pivoting, its nodes in index order (so that a graph that is
 *     one loop is solved exactly as a dense solve of the whole system
 *     would); larger ones by Gauss-Seidel sweeps, which for a nonnegative
 *     M converge, from 0 and monotonically, if and only if the spectral
 *     radius of M_s is below 1, that is if the loop has an exit. They
 *     stop when the error left, estimated from how fast the changes
 *     shrink, is below 2^-52 of the largest value, and give up after
 *     ANA_VISITS_SWEEPS_MAX sweeps.
 *
 * Every component is solved, those the entry cannot reach too (their
 * visits are 0), so that a loop without exit is reported wherever it is,
 * as a dense solve of the whole system reports it.
 *
 * Errors, as the dense solve gave them: a pivot below 1e-12 (singular: a
 * loop whose requests never leave), or a visit count that comes out
 * infinite or below -1e-9 (the loop multiplies its traffic: with count >
 * 1 calls per visit M's rows may sum past 1). Values in (-1e-9, 0) are
 * rounding, set to 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include "../sim/sim_err.h"
#include "ana_visits.h"

#define UNSEEN ((size_t)-1)

struct ana_visits {
    size_t n, mmax;
    size_t *ostart;     /* n + 1: node i's arcs are oarc[ostart[i]..] */
    size_t *oarc;       /* mmax: arc indices sorted by tail, stable */
    size_t *idx, *low;  /* n: Tarjan's discovery index and low link */
    size_t *stk;        /* n: Tarjan's stack of open nodes */
    size_t *cs_node;    /* n: the DFS call stack: node... */
    size_t *cs_pos;     /* n: ...and its next arc in oarc */
    size_t *order;      /* n: nodes grouped by component */
    size_t *cstart;     /* n + 1: component K is order[cstart[K]..] */
    size_t *comp;       /* n: component of each node */
    size_t *loc;        /* n: place of a node in its loop */
    char *onstk;        /* n */
    double *acc;        /* n: sum of w_ij v_i over solved predecessors */
    size_t *istart;     /* n + 1: in-arcs of a large loop, by head */
    size_t *iarc;       /* mmax */
    double *x;          /* n: a loop's right-hand side and solution */
};

ana_visits *ana_visits_new(size_t n, size_t m)
{
    ana_visits *w = calloc(1, sizeof *w);

    if (!w)
        return NULL;
    w->n = n;
    w->mmax = m;
    w->ostart = malloc((n + 1) * sizeof *w->ostart);
    w->oarc = malloc((m + 1) * sizeof *w->oarc);
    w->idx = malloc((n + 1) * sizeof *w->idx);
    w->low = malloc((n + 1) * sizeof *w->low);
    w->stk = malloc((n + 1) * sizeof *w->stk);
    w->cs_node = malloc((n + 1) * sizeof *w->cs_node);
    w->cs_pos = malloc((n + 1) * sizeof *w->cs_pos);
    w->order = malloc((n + 1) * sizeof *w->order);
    w->cstart = malloc((n + 1) * sizeof *w->cstart);
    w->comp = malloc((n + 1) * sizeof *w->comp);
    w->loc = malloc((n + 1) * sizeof *w->loc);
    w->onstk = malloc(n + 1);
    w->acc = malloc((n + 1) * sizeof *w->acc);
    w->istart = malloc((n + 1) * sizeof *w->istart);
    w->iarc = malloc((m + 1) * sizeof *w->iarc);
    w->x = malloc((n + 1) * sizeof *w->x);
    if (!w->ostart || !w->oarc || !w->idx || !w->low || !w->stk
        || !w->cs_node || !w->cs_pos || !w->order || !w->cstart || !w->comp
        || !w->loc || !w->onstk || !w->acc || !w->istart || !w->iarc
        || !w->x) {
        ana_visits_free(w);
        return NULL;
    }
    return w;
}

void ana_visits_free(ana_visits *w)
{
    if (!w)
        return;
    free(w->ostart);
    free(w->oarc);
    free(w->idx);
    free(w->low);
    free(w->stk);
    free(w->cs_node);
    free(w->cs_pos);
    free(w->order);
    free(w->cstart);
    free(w->comp);
    free(w->loc);
    free(w->onstk);
    free(w->acc);
    free(w->istart);
    free(w->iarc);
    free(w->x);
    free(w);
}

/* oarc/ostart: the arcs of weight > 0, grouped by tail, in input order. */
static void sort_arcs(ana_visits *w, size_t m, const int *from,
                      const double *wt)
{
    size_t i, a;

    memset(w->ostart, 0, (w->n + 1) * sizeof *w->ostart);
    for (a = 0; a < m; a++)
        if (wt[a] != 0)
            w->ostart[(size_t)from[a] + 1]++;
    for (i = 0; i < w->n; i++)
        w->ostart[i + 1] += w->ostart[i];
    for (i = 0; i < w->n; i++)
        w->idx[i] = w->ostart[i];       /* next free slot of node i */
    for (a = 0; a < m; a++)
        if (wt[a] != 0)
            w->oarc[w->idx[(size_t)from[a]]++] = a;
}

/* Tarjan's strongly connected components, iteratively. Fills order,
 * cstart and comp; returns the number of components. */
static size_t tarjan(ana_visits *w, const int *to)
{
    size_t n = w->n, counter = 0, sp = 0, top = 0, ncomp = 0, done = 0;
    size_t r;

    for (r = 0; r < n; r++) {
        w->idx[r] = UNSEEN;
        w->onstk[r] = 0;
    }
    w->cstart[0] = 0;
    for (r = 0; r < n; r++) {
        if (w->idx[r] != UNSEEN)
            continue;
        w->idx[r] = w->low[r] = counter++;
        w->stk[sp++] = r;
        w->onstk[r] = 1;
        w->cs_node[top] = r;
        w->cs_pos[top++] = w->ostart[r];
        while (top > 0) {
            size_t v = w->cs_node[top - 1];
            if (w->cs_pos[top - 1] < w->ostart[v + 1]) {
                size_t u = (size_t)to[w->oarc[w->cs_pos[top - 1]++]];
                if (w->idx[u] == UNSEEN) {
                    w->idx[u] = w->low[u] = counter++;
                    w->stk[sp++] = u;
                    w->onstk[u] = 1;
                    w->cs_node[top] = u;
                    w->cs_pos[top++] = w->ostart[u];
                } else if (w->onstk[u] && w->idx[u] < w->low[v]) {
                    w->low[v] = w->idx[u];
                }
                continue;
            }
            top--;
            if (w->low[v] == w->idx[v]) {
                size_t u;
                do {
                    u = w->stk[--sp];
                    w->onstk[u] = 0;
                    w->comp[u] = ncomp;
                    w->order[done++] = u;
                } while (u != v);
                w->cstart[++ncomp] = done;
            }
            if (top > 0 && w->low[v] < w->low[w->cs_node[top - 1]])
                w->low[w->cs_node[top - 1]] = w->low[v];
        }
    }
    return ncomp;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return (x > y) - (x < y);
}

/* x = (I - M_s^T)^-1 x by LU for the s nodes nodes[] of one loop; loc
 * maps a node to its row. */
static int solve_dense(ana_visits *w, size_t K, const size_t *nodes,
                       size_t s, const int *to, const double *wt)
{
    gsl_matrix *A = gsl_matrix_alloc(s, s);
    gsl_permutation *perm = gsl_permutation_alloc(s);
    gsl_vector *b = gsl_vector_alloc(s);
    gsl_vector_view xv = gsl_vector_view_array(w->x, s);
    size_t i, j;
    int sign, rc = SIM_OK;

    if (!A || !perm || !b) {
        rc = SIM_ENOMEM;
        goto done;
    }
    /* A = I - M_s^T, with M's parallel arcs added up first. */
    gsl_matrix_set_zero(A);
    for (i = 0; i < s; i++) {
        size_t k = nodes[i];
        gsl_vector_set(b, i, w->x[i]);
        for (j = w->ostart[k]; j < w->ostart[k + 1]; j++) {
            size_t a = w->oarc[j], u = (size_t)to[a];
            if (w->comp[u] == K)
                *gsl_matrix_ptr(A, w->loc[u], i) += wt[a];
        }
    }
    for (i = 0; i < s; i++)
        for (j = 0; j < s; j++)
            gsl_matrix_set(A, i, j, (i == j) - gsl_matrix_get(A, i, j));
    if (gsl_linalg_LU_decomp(A, perm, &sign) != GSL_SUCCESS)
        rc = SIM_EINVAL;
    /* Singular when a pivot vanishes; the determinant, a product of s
     * pivots, is tiny for many well-posed loops (0.1^13 for 13 services
     * each revisited 10 times). */
    for (i = 0; rc == SIM_OK && i < s; i++)
        if (fabs(gsl_matrix_get(A, i, i)) < 1e-12)
            rc = SIM_EINVAL;
    if (rc == SIM_OK
        && gsl_linalg_LU_solve(A, perm, b, &xv.vector) != GSL_SUCCESS)
        rc = SIM_EINVAL;
done:
    gsl_vector_free(b);
    gsl_permutation_free(perm);
    gsl_matrix_free(A);
    return rc;
}

/* The same by Gauss-Seidel sweeps over the loop's in-arcs. */
static int solve_sweeps(ana_visits *w, size_t K, const size_t *nodes,
                        size_t s, const int *from, const int *to,
                        const double *wt)
{
    double *b = w->acc;     /* b_i is kept in acc[nodes[i]] meanwhile */
    double prev = INFINITY, ratio = 0;
    size_t i, j, sweep;

    /* In-arcs inside the loop, grouped by head (local index). */
    memset(w->istart, 0, (s + 1) * sizeof *w->istart);
    for (i = 0; i < s; i++)
        for (j = w->ostart[nodes[i]]; j < w->ostart[nodes[i] + 1]; j++) {
            size_t u = (size_t)to[w->oarc[j]];
            if (w->comp[u] == K)
                w->istart[w->loc[u] + 1]++;
        }
    for (i = 0; i < s; i++)
        w->istart[i + 1] += w->istart[i];
    for (i = 0; i < s; i++) {
        b[nodes[i]] = w->x[i];
        w->cs_pos[i] = w->istart[i];
        w->x[i] = 0;
    }
    for (i = 0; i < s; i++)
        for (j = w->ostart[nodes[i]]; j < w->ostart[nodes[i] + 1]; j++) {
            size_t a = w->oarc[j], u = (size_t)to[a];
            if (w->comp[u] == K)
                w->iarc[w->cs_pos[w->loc[u]]++] = a;
        }
    for (sweep = 0; sweep < ANA_VISITS_SWEEPS_MAX; sweep++) {
        double change = 0, big = 0;
        for (i = 0; i < s; i++) {
            double y = b[nodes[i]];
            for (j = w->istart[i]; j < w->istart[i + 1]; j++) {
                size_t a = w->iarc[j];
                y += wt[a] * w->x[w->loc[(size_t)from[a]]];
            }
            if (fabs(y - w->x[i]) > change)
                change = fabs(y - w->x[i]);
            if (fabs(y) > big)
                big = fabs(y);
            w->x[i] = y;
        }
        if (!isfinite(big) || big > 1e300)
            return SIM_EINVAL;      /* growing without bound */
        /* Sweeps shrink the error by a ratio r, estimated from the
         * changes; what is left is about change * r / (1 - r). */
        ratio = change / prev;
        if (change == 0
            || (ratio < 1 && change <= DBL_EPSILON * big * (1 - ratio)))
            return SIM_OK;
        prev = change;
    }
    /* The changes shrink by the spectral radius of the sweep; one that
     * does not shrink them is a loop without exit. */
    return ratio > 1 - 1e-6 ? SIM_EINVAL : SIM_ENOTSUP;
}

int ana_visits_solve(ana_visits *w, size_t m, const int *from,
                     const int *to, const double *wt, size_t entry,
                     double *v, size_t *where)
{
    size_t n = w->n, ncomp, K, i, j;

    if (m > w->mmax)
        return SIM_EINVAL;
    sort_arcs(w, m, from, wt);
    ncomp = tarjan(w, to);
    memset(w->acc, 0, n * sizeof *w->acc);
    for (K = ncomp; K-- > 0;) {
        size_t *nodes = w->order + w->cstart[K];
        size_t s = w->cstart[K + 1] - w->cstart[K], k = nodes[0];
        int cyclic = s > 1, rc;

        for (j = w->ostart[k]; !cyclic && j < w->ostart[k + 1]; j++)
            cyclic = (size_t)to[w->oarc[j]] == k;
        if (!cyclic) {
            /* v_k = [k = entry] + sum of w_ik v_i, all i solved. */
            v[k] = (k == entry) + w->acc[k];
            if (!isfinite(v[k])) {
                if (where)
                    *where = k;
                return SIM_EINVAL;
            }
        } else {
            qsort(nodes, s, sizeof *nodes, cmp_size);
            for (i = 0; i < s; i++) {
                w->loc[nodes[i]] = i;
                w->x[i] = (nodes[i] == entry) + w->acc[nodes[i]];
            }
            rc = s <= ANA_VISITS_DENSE_MAX
                 ? solve_dense(w, K, nodes, s, to, wt)
                 : solve_sweeps(w, K, nodes, s, from, to, wt);
            for (i = 0; rc == SIM_OK && i < s; i++) {
                if (!isfinite(w->x[i]) || w->x[i] < -1e-9)
                    rc = SIM_EINVAL;
                else
                    v[nodes[i]] = w->x[i] < 0 ? 0 : w->x[i];
            }
            if (rc != SIM_OK) {
                if (where)
                    *where = nodes[0];
                return rc;
            }
        }
        /* Pass each solved visit on along the arcs leaving K. */
        for (i = 0; i < s; i++) {
            size_t t = nodes[i];
            for (j = w->ostart[t]; j < w->ostart[t + 1]; j++) {
                size_t a = w->oarc[j], u = (size_t)to[a];
                if (w->comp[u] != K)
                    w->acc[u] += wt[a] * v[t];
            }
        }
    }
    return SIM_OK;
}
