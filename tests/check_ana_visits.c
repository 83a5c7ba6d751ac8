/*
 * check_ana_visits.c - unit tests of the sparse traffic equations
 * (ana_visits.c) and of the visit ratios ana_flow.c builds from them.
 *
 * Visit ratios worked out by hand: a chain multiplies its probabilities,
 * a tree adds up the paths to each node, parallel arcs add, a feedback
 * loop of gain g visits its nodes 1 / (1 - g) times as often (geometric
 * series), a ring of m nodes with probability p visits node k p^k /
 * (1 - p^m) times. Random graphs with loops are compared with a dense LU
 * solve of the whole system, which is what ana_flow.c did before. Large
 * chains and trees (20,000 nodes) check that the one-pass solve is
 * right at that size; they assert no time.
 */
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>
#include "tst.h"
#include "../analysis/ana_flow.h"
#include "../analysis/ana_visits.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_err.h"

/* |got - want| <= tol * max(1, |want|) */
static void near(double got, double want, double tol)
{
    ck_assert_msg(fabs(got - want) <= tol * fmax(1.0, fabs(want)),
                  "got %.17g, want %.17g (tol %g)", got, want, tol);
}

/* Solve n nodes, m arcs, into v; return the code. */
static int solve(size_t n, size_t m, const int *from, const int *to,
                 const double *wt, size_t entry, double *v, size_t *where)
{
    ana_visits *w = ana_visits_new(n, m);
    int rc;

    ck_assert_ptr_nonnull(w);
    rc = ana_visits_solve(w, m, from, to, wt, entry, v, where);
    ana_visits_free(w);
    return rc;
}

START_TEST(test_chain_multiplies)
{
    /* 0 -> 1 -> 2 -> 3 with 0.835, 0.61, 0.2385; entry 0. Nodes are
     * numbered against the order of the chain to need the sort. */
    const int from[] = { 2, 0, 1 }, to[] = { 3, 1, 2 };
    const double wt[] = { 0.2385, 0.835, 0.61 };
    double v[4];

    ck_assert_int_eq(solve(4, 3, from, to, wt, 0, v, NULL), SIM_OK);
    ck_assert(v[0] == 1);
    ck_assert(v[1] == 0.835);
    ck_assert(v[2] == 0.835 * 0.61);
    ck_assert(v[3] == 0.835 * 0.61 * 0.2385);
}
END_TEST

START_TEST(test_tree_adds_paths)
{
    /* 0 calls 1 (p 0.7) and 2 (p 0.45, count 3: weight 1.35); 1 and 2
     * both call 3 (0.5 and 0.2); 3 forwards to 4 (0.9); 5 is not
     * reached. v3 = 0.7 * 0.5 + 1.35 * 0.2 = 0.62. */
    const int from[] = { 0, 0, 1, 2, 3, 5 }, to[] = { 1, 2, 3, 3, 4, 4 };
    const double wt[] = { 0.7, 1.35, 0.5, 0.2, 0.9, 1 };
    double v[6];

    ck_assert_int_eq(solve(6, 6, from, to, wt, 0, v, NULL), SIM_OK);
    near(v[0], 1, 0);
    near(v[1], 0.7, 1e-15);
    near(v[2], 1.35, 1e-15);
    near(v[3], 0.62, 1e-15);
    near(v[4], 0.9 * 0.62, 1e-15);
    ck_assert(v[5] == 0);
}
END_TEST

START_TEST(test_parallel_arcs_add)
{
    /* Three calls from 0 to 1 of weights 0.5, 2 and 0.25 (p * count), a
     * zero-weight arc back, which must not make a loop. */
    const int from[] = { 0, 0, 0, 1 }, to[] = { 1, 1, 1, 0 };
    const double wt[] = { 0.5, 2, 0.25, 0 };
    double v[2];

    ck_assert_int_eq(solve(2, 4, from, to, wt, 0, v, NULL), SIM_OK);
    near(v[1], 2.75, 1e-15);
    ck_assert(v[0] == 1);
}
END_TEST

START_TEST(test_feedback_loop_closed_form)
{
    /* 0 -> 1 (1), 1 -> 0 (p = 0.385) : v0 = 1 / (1 - p), v1 = v0; then
     * 1 -> 2 (0.615) so v2 = 0.615 / (1 - 0.385) = 1. A self-loop on 2
     * of 0.2385 gives v2 = 1 / (1 - 0.2385); 2 -> 3 (0.7615) leaves
     * v3 = 1. */
    const int from[] = { 0, 1, 1, 2, 2 }, to[] = { 1, 0, 2, 2, 3 };
    const double wt[] = { 1, 0.385, 0.615, 0.2385, 0.7615 };
    double v[4];

    ck_assert_int_eq(solve(4, 5, from, to, wt, 0, v, NULL), SIM_OK);
    near(v[0], 1 / (1 - 0.385), 1e-14);
    near(v[1], 1 / (1 - 0.385), 1e-14);
    near(v[2], 1 / (1 - 0.2385), 1e-14);
    near(v[3], 1, 1e-14);
}
END_TEST

START_TEST(test_loop_without_exit_is_reported)
{
    /* 1 -> 2 -> 1 with probability 1: requests never leave. */
    const int from[] = { 0, 1, 2 }, to[] = { 1, 2, 1 };
    const double wt[] = { 1, 1, 1 };
    double v[3];
    size_t where = 99;

    ck_assert_int_eq(solve(3, 3, from, to, wt, 0, v, &where), SIM_EINVAL);
    ck_assert(where == 1 || where == 2);
}
END_TEST

START_TEST(test_loop_that_multiplies_is_reported)
{
    /* 0 -> 1 (1) and 1 -> 0 with two calls of p 0.6: gain 1.2, a
     * negative solution of the linear system. A self-loop of count 2
     * too. */
    const int from[] = { 0, 1 }, to[] = { 1, 0 };
    const double wt[] = { 1, 1.2 };
    const int from2[] = { 0 }, to2[] = { 0 };
    const double wt2[] = { 2 };
    double v[2];

    ck_assert_int_eq(solve(2, 2, from, to, wt, 0, v, NULL), SIM_EINVAL);
    ck_assert_int_eq(solve(1, 1, from2, to2, wt2, 0, v, NULL), SIM_EINVAL);
}
END_TEST

START_TEST(test_unreached_loop_without_exit_is_reported)
{
    /* The entry 0 reaches nothing; 1 <-> 2 is closed. The dense solve of
     * the whole system found such loops singular; so does this one. */
    const int from[] = { 1, 2 }, to[] = { 2, 1 };
    const double wt[] = { 1, 1 };
    double v[3];

    ck_assert_int_eq(solve(3, 2, from, to, wt, 0, v, NULL), SIM_EINVAL);
}
END_TEST

/* A ring of m nodes, k -> k + dir (mod m) with weight p, entry 0: node
 * k (counted along the ring) is visited p^k / (1 - p^m) times. */
static int ring(size_t m, int dir, double p, double *v)
{
    int *from = malloc(m * sizeof *from), *to = malloc(m * sizeof *to);
    double *wt = malloc(m * sizeof *wt);
    size_t k;
    int rc;

    ck_assert(from && to && wt);
    for (k = 0; k < m; k++) {
        from[k] = (int)k;
        to[k] = (int)((k + m + (size_t)(dir + 1) - 1) % m);
        wt[k] = p;
    }
    rc = solve(m, m, from, to, wt, 0, v, NULL);
    free(from);
    free(to);
    free(wt);
    return rc;
}

START_TEST(test_large_ring_by_sweeps)
{
    size_t m = 3 * ANA_VISITS_DENSE_MAX, k;
    double *v = malloc(m * sizeof *v), p = 0.9965;
    int dir;

    ck_assert_ptr_nonnull(v);
    /* Along the sweep order, then against it (one node per sweep). */
    for (dir = 1; dir >= -1; dir -= 2) {
        ck_assert_int_eq(ring(m, dir, p, v), SIM_OK);
        for (k = 0; k < m; k++) {
            size_t at = dir > 0 ? k : (m - k) % m;
            near(v[at], pow(p, (double)k) / (1 - pow(p, (double)m)), 1e-12);
        }
    }
    /* The same ring solved densely. */
    ck_assert_int_eq(ring(ANA_VISITS_DENSE_MAX, 1, p, v), SIM_OK);
    for (k = 0; k < ANA_VISITS_DENSE_MAX; k++)
        near(v[k], pow(p, (double)k)
                   / (1 - pow(p, (double)ANA_VISITS_DENSE_MAX)), 1e-12);
    free(v);
}
END_TEST

START_TEST(test_large_ring_errors)
{
    size_t m = ANA_VISITS_DENSE_MAX + 1;
    double *v = malloc(m * sizeof *v);

    ck_assert_ptr_nonnull(v);
    /* No exit: the sweeps grow without shrinking. */
    ck_assert_int_eq(ring(m, 1, 1, v), SIM_EINVAL);
    ck_assert_int_eq(ring(m, 1, 1.01, v), SIM_EINVAL);
    /* An exit so small (1e-5 per round) that the sweeps give up. */
    ck_assert_int_eq(ring(m, 1, pow(1 - 1e-5, 1.0 / (double)m), v),
                     SIM_ENOTSUP);
    free(v);
}
END_TEST

/* v = e_entry + M^T v by dense LU, as ana_flow.c used to solve it. */
static void dense(size_t n, size_t m, const int *from, const int *to,
                  const double *wt, size_t entry, double *v)
{
    gsl_matrix *A = gsl_matrix_alloc(n, n);
    gsl_permutation *perm = gsl_permutation_alloc(n);
    gsl_vector *b = gsl_vector_calloc(n);
    gsl_vector_view x = gsl_vector_view_array(v, n);
    size_t a;
    int sign;

    gsl_matrix_set_identity(A);
    for (a = 0; a < m; a++)
        *gsl_matrix_ptr(A, (size_t)to[a], (size_t)from[a]) -= wt[a];
    gsl_vector_set(b, entry, 1);
    ck_assert_int_eq(gsl_linalg_LU_decomp(A, perm, &sign), 0);
    ck_assert_int_eq(gsl_linalg_LU_solve(A, perm, b, &x.vector), 0);
    gsl_vector_free(b);
    gsl_permutation_free(perm);
    gsl_matrix_free(A);
}

START_TEST(test_random_graphs_match_dense_solve)
{
    /* n nodes (40, then 600), 3 arcs each to random nodes, weights of at
     * most 0.3 (so every loop has an exit): with 40 nodes some components
     * are small loops solved by LU, some single nodes; with 600 most
     * nodes make one loop, solved by sweeps. */
    enum { D = 3, NMAX = 600 };
    size_t n = _i == 0 ? 40 : NMAX;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    int *from = malloc(NMAX * D * sizeof *from);
    int *to = malloc(NMAX * D * sizeof *to);
    double *wt = malloc(NMAX * D * sizeof *wt);
    double *v = malloc(NMAX * sizeof *v), *want = malloc(NMAX * sizeof *want);
    int round, rounds = _i == 0 ? 50 : 5;
    size_t i, k, d, biggest = 0;

    ck_assert(r && from && to && wt && v && want);
    gsl_rng_set(r, 2385);
    for (round = 0; round < rounds; round++) {
        ana_visits *w = ana_visits_new(n, n * D);
        for (i = 0; i < n; i++)
            for (d = 0; d < D; d++) {
                k = i * D + d;
                from[k] = (int)i;
                /* Mostly forward, sometimes back: loops. */
                to[k] = gsl_rng_uniform(r) < 0.85
                        ? (int)((i + 1 + gsl_rng_uniform_int(r, 5)) % n)
                        : (int)gsl_rng_uniform_int(r, n);
                wt[k] = gsl_rng_uniform(r) < 0.2 ? 0
                        : 0.3 * gsl_rng_uniform(r);
            }
        k = gsl_rng_uniform_int(r, n);
        ck_assert_ptr_nonnull(w);
        ck_assert_int_eq(ana_visits_solve(w, n * D, from, to, wt, k, v,
                                          NULL), SIM_OK);
        ana_visits_free(w);
        dense(n, n * D, from, to, wt, k, want);
        for (i = 0; i < n; i++)
            near(v[i], want[i], 1e-12);
        /* Nodes reached: above the dense limit, the big loop's. */
        for (i = 0, d = 0; i < n; i++)
            d += v[i] > 0;
        if (d > biggest)
            biggest = d;
    }
    if (_i == 1)
        ck_assert_uint_gt(biggest, ANA_VISITS_DENSE_MAX);
    gsl_rng_free(r);
    free(from);
    free(to);
    free(wt);
    free(v);
    free(want);
}
END_TEST

START_TEST(test_large_chain_and_tree)
{
    /* 20,000 nodes: a forward chain of probability 0.99995 each (v_k =
     * p^k), then a tree where node i is called by (i - 1) / 3 with
     * weight 1.1 (v = 1.1^depth). */
    enum { N = 20000 };
    int *from = malloc(N * sizeof *from), *to = malloc(N * sizeof *to);
    double *wt = malloc(N * sizeof *wt), *v = malloc(N * sizeof *v);
    double p = 0.99995;
    size_t i;

    ck_assert(from && to && wt && v);
    for (i = 1; i < N; i++) {   /* arcs listed from the far end */
        from[N - 1 - i] = (int)i - 1;
        to[N - 1 - i] = (int)i;
        wt[N - 1 - i] = p;
    }
    ck_assert_int_eq(solve(N, N - 1, from, to, wt, 0, v, NULL), SIM_OK);
    for (i = 0; i < N; i++)
        near(v[i], pow(p, (double)i), 1e-12);
    for (i = 1; i < N; i++) {
        from[i - 1] = (int)(i - 1) / 3;
        to[i - 1] = (int)i;
        wt[i - 1] = 1.1;
    }
    ck_assert_int_eq(solve(N, N - 1, from, to, wt, 0, v, NULL), SIM_OK);
    for (i = 0; i < N; i++) {
        size_t j = i;
        int depth = 0;
        while (j > 0) {
            j = (j - 1) / 3;
            depth++;
        }
        near(v[i], pow(1.1, depth), 1e-13);
    }
    free(from);
    free(to);
    free(wt);
    free(v);
}
END_TEST

START_TEST(test_workspace_is_reused_and_bounded)
{
    const int from[] = { 0, 1 }, to[] = { 1, 0 };
    const double wt[] = { 0.5, 0.5 };
    ana_visits *w = ana_visits_new(2, 1);
    double v[2];

    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(ana_visits_solve(w, 2, from, to, wt, 0, v, NULL),
                     SIM_EINVAL);       /* more arcs than made for */
    ck_assert_int_eq(ana_visits_solve(w, 1, from, to, wt, 1, v, NULL),
                     SIM_OK);
    ck_assert(v[0] == 0 && v[1] == 1);
    ck_assert_int_eq(ana_visits_solve(w, 1, from, to, wt, 0, v, NULL),
                     SIM_OK);
    ck_assert(v[0] == 1 && v[1] == 0.5);
    ana_visits_free(w);
    ana_visits_free(NULL);
}
END_TEST

/* ---- through ana_flow, from a scenario ---- */

/* A topology of two request types through a gateway: gw calls auth
 * (p 0.8) for both; "read" requests call cache twice (count 2, p 0.5),
 * "write" ones forward to db which loops back to itself with p 0.25 and
 * publishes to log (count 3). */
static const char flow_gml[] =
    "graph [\n  directed 1\n"
    "  node [ id 0 label \"gw\" service \"exp(mean=1ms)\" ]\n"
    "  node [ id 1 label \"auth\" service \"exp(mean=1ms)\" ]\n"
    "  node [ id 2 label \"cache\" service \"exp(mean=1ms)\" ]\n"
    "  node [ id 3 label \"db\" service \"exp(mean=2ms)\" ]\n"
    "  node [ id 4 label \"log\" service \"exp(mean=1ms)\" ]\n"
    "  edge [ source 0 target 1 p 0.8 ]\n"
    "  edge [ source 0 target 2 p 0.5 count 2 types \"read\" ]\n"
    "  edge [ source 0 target 3 kind \"forward\" types \"write\" ]\n"
    "  edge [ source 3 target 3 kind \"forward\" p 0.25 ]\n"
    "  edge [ source 3 target 4 kind \"publish\" count 3 ]\n"
    "]\n";

static const char flow_yaml[] =
    "name: flow\n"
    "topology: flow.gml\n"
    "workload:\n"
    "  - name: users\n"
    "    arrival: \"poisson(rate=20/s)\"\n"
    "    mix:\n"
    "      - { name: read, entry: gw, weight: 3 }\n"
    "      - { name: write, entry: gw, weight: 1 }\n"
    "run: { duration: 10s }\n";

START_TEST(test_flow_two_classes)
{
    const char *dir = tst_tmpdir();
    char path[512];
    mdl_scenario *s = NULL;
    sim_diag d;
    ana_flow f;
    size_t rd, wr;

    tst_write(dir, "flow.gml", flow_gml);
    tst_write(dir, "flow.yaml", flow_yaml);
    snprintf(path, sizeof path, "%s/flow.yaml", dir);
    ck_assert_int_eq(mdl_scenario_load(&s, path, NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(ana_flow_init(&f, s, &d), SIM_OK);
    ck_assert_uint_eq(f.ncls, 2);
    rd = strcmp(s->classes[0].name, "read") == 0 ? 0 : 1;
    wr = 1 - rd;
    /* read: gw 1, auth 0.8, cache 0.5 * 2 = 1, nothing else. */
    near(f.visits[rd * 5 + 0], 1, 0);
    near(f.visits[rd * 5 + 1], 0.8, 1e-15);
    near(f.visits[rd * 5 + 2], 1, 1e-15);
    near(f.visits[rd * 5 + 3], 0, 0);
    near(f.all_visits[rd * 5 + 4], 0, 0);
    /* write: db 1 / (1 - 0.25); log only with the publishes, 3 per db
     * visit. */
    near(f.visits[wr * 5 + 2], 0, 0);
    near(f.visits[wr * 5 + 3], 1 / 0.75, 1e-14);
    near(f.visits[wr * 5 + 4], 0, 0);
    near(f.all_visits[wr * 5 + 3], 1 / 0.75, 1e-14);
    near(f.all_visits[wr * 5 + 4], 3 / 0.75, 1e-14);
    /* 15/s read, 5/s write. */
    near(f.rate[rd], 15, 1e-12);
    near(f.rate[wr], 5, 1e-12);
    near(f.lambda[1], 20 * 0.8, 1e-12);
    near(f.lambda[2], 15, 1e-12);
    near(f.lambda[4], 5 * 4, 1e-12);
    ana_flow_destroy(&f);
    mdl_scenario_free(s);
    tst_rm_tree(dir);
}
END_TEST

/* Every shipped scenario's traffic equations, class by class, with and
 * without publishes, as ana_flow solves them sparsely and as a dense LU
 * of the same arcs (p for a forward edge, p * count for a call or
 * publish) does, to 1e-12. */
static void flow_matches_dense(const char *path)
{
    mdl_scenario *s = NULL;
    const mdl_topology *t;
    sim_diag d;
    ana_flow f;
    size_t n, e, c, k, m;
    int pub;
    int *from, *to;
    double *wt, *want;

    ck_assert_msg(mdl_scenario_load(&s, path, NULL, 0, &d) == SIM_OK,
                  "%s: %s", path, d.msg);
    ck_assert_int_eq(ana_flow_init(&f, s, &d), SIM_OK);
    t = s->topo;
    n = t->nservices;
    from = malloc((t->nedges + 1) * sizeof *from);
    to = malloc((t->nedges + 1) * sizeof *to);
    wt = malloc((t->nedges + 1) * sizeof *wt);
    want = malloc(n * sizeof *want);
    ck_assert(from && to && wt && want);
    for (c = 0; c < s->nclasses; c++)
        for (pub = 0; pub <= 1; pub++) {
            const double *got = (pub ? f.all_visits : f.visits) + c * n;
            for (e = 0, m = 0; e < t->nedges; e++) {
                const mdl_edge *ed = &t->edges[e];
                if ((ed->kind == MDL_EDGE_PUBLISH && !pub)
                    || !mdl_scenario_edge_applies(s, e, c))
                    continue;
                from[m] = ed->from;
                to[m] = ed->to;
                wt[m++] = ed->kind == MDL_EDGE_FORWARD ? ed->p
                                                       : ed->p * ed->count;
            }
            dense(n, m, from, to, wt, s->classes[c].entry, want);
            for (k = 0; k < n; k++)
                near(got[k], want[k], 1e-12);
        }
    free(from);
    free(to);
    free(wt);
    free(want);
    ana_flow_destroy(&f);
    mdl_scenario_free(s);
}

START_TEST(test_flow_matches_dense_on_shipped_scenarios)
{
    static const char *const dirs[] = { "scenarios", "scenarios/teaching" };
    char pattern[4096];
    glob_t g;
    size_t i, k, seen = 0;

    for (k = 0; k < 2; k++) {
        snprintf(pattern, sizeof pattern, "%s/*.yaml", tst_path(dirs[k]));
        ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
        for (i = 0; i < g.gl_pathc; i++, seen++)
            flow_matches_dense(g.gl_pathv[i]);
        globfree(&g);
    }
    ck_assert_uint_ge(seen, 20);
}
END_TEST

START_TEST(test_flow_loop_without_exit_message)
{
    const char *dir = tst_tmpdir();
    char path[512];
    mdl_scenario *s = NULL;
    sim_diag d;
    ana_flow f;

    tst_write(dir, "loop.gml",
              "graph [\n  directed 1\n"
              "  node [ id 0 label \"a\" service \"exp(mean=1ms)\" ]\n"
              "  node [ id 1 label \"b\" service \"exp(mean=1ms)\" ]\n"
              "  edge [ source 0 target 1 kind \"forward\" ]\n"
              "  edge [ source 1 target 0 kind \"forward\" ]\n"
              "]\n");
    tst_write(dir, "loop.yaml",
              "name: loop\ntopology: loop.gml\nworkload:\n"
              "  - { name: w, entry: a, arrival: \"poisson(rate=1/s)\" }\n"
              "run: { duration: 10s }\n");
    snprintf(path, sizeof path, "%s/loop.yaml", dir);
    ck_assert_int_eq(mdl_scenario_load(&s, path, NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(ana_flow_init(&f, s, &d), SIM_EPARSE);
    tst_assert_has(d.msg, "requests of class 'w' can never leave: the "
                   "edges from 'a' form a loop with no exit", "diagnosis");
    ck_assert_int_eq(d.line, 3);
    mdl_scenario_free(s);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_flow_deep_call_chain)
{
    /* 20,000 blocking services, each calling the next with p 0.9: visits
     * 0.9^k, and the least time of a visit to k (its hold) worked out
     * from the end, least(k) = 1 ms + 0.9 least(k + 1), in the order
     * ana_flow.c adds it up. Deeper than a recursion could go safely. */
    enum { N = 20000 };
    const char *dir = tst_tmpdir();
    char path[512];
    mdl_scenario *s = NULL;
    sim_diag d;
    ana_flow f;
    FILE *fp;
    double *least = malloc(N * sizeof *least);
    size_t i;

    ck_assert_ptr_nonnull(least);
    snprintf(path, sizeof path, "%s/deep.gml", dir);
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fprintf(fp, "graph [\n  directed 1\n");
    for (i = 0; i < N; i++)
        fprintf(fp, "  node [ id %zu label \"s%zu\" servers 2 "
                "service \"exp(mean=1ms)\" ]\n", i, i);
    for (i = 1; i < N; i++)
        fprintf(fp, "  edge [ source %zu target %zu p 0.9 ]\n", i - 1, i);
    fprintf(fp, "]\n");
    ck_assert_int_eq(fclose(fp), 0);
    tst_write(dir, "deep.yaml",
              "name: deep\ntopology: deep.gml\nworkload:\n"
              "  - { name: w, entry: s0, arrival: \"poisson(rate=7/s)\" }\n"
              "run: { duration: 10s }\n");
    snprintf(path, sizeof path, "%s/deep.yaml", dir);
    ck_assert_int_eq(mdl_scenario_load(&s, path, NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(ana_flow_init(&f, s, &d), SIM_OK);
    least[N - 1] = 0.001;
    for (i = N - 1; i-- > 0;) {
        least[i] = 0.001 + 0;
        least[i] += 0.9 * 1 * least[i + 1];
    }
    for (i = 0; i < N; i++) {
        near(f.visits[i], pow(0.9, (double)i), 1e-12);
        ck_assert_msg(f.hold[i] == least[i], "hold[%zu] %.17g, want %.17g",
                      i, f.hold[i], least[i]);
        near(f.lambda[i], 7 * f.visits[i], 1e-12);
    }
    near(f.hold[0], 0.01, 1e-12);      /* 1 ms / (1 - 0.9) */
    ana_flow_destroy(&f);
    mdl_scenario_free(s);
    free(least);
    tst_rm_tree(dir);
}
END_TEST

/* Write dir/ring.gml: a ring of m services forwarding to the next with
 * probability p, and dir/ring.yaml entering at s0; load it. */
static mdl_scenario *load_ring(const char *dir, size_t m, double p)
{
    char path[512];
    mdl_scenario *s = NULL;
    sim_diag d;
    FILE *fp;
    size_t i;

    snprintf(path, sizeof path, "%s/ring.gml", dir);
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fprintf(fp, "graph [\n  directed 1\n");
    for (i = 0; i < m; i++)
        fprintf(fp, "  node [ id %zu label \"s%zu\" kind \"delay\" "
                "service \"exp(mean=1ms)\" ]\n", i, i);
    for (i = 0; i < m; i++)
        fprintf(fp, "  edge [ source %zu target %zu kind \"forward\" "
                "p %.17g ]\n", i, (i + 1) % m, p);
    fprintf(fp, "]\n");
    ck_assert_int_eq(fclose(fp), 0);
    tst_write(dir, "ring.yaml",
              "name: ring\ntopology: ring.gml\nworkload:\n"
              "  - { name: w, entry: s0, arrival: \"poisson(rate=1/s)\" }\n"
              "run: { duration: 10s }\n");
    snprintf(path, sizeof path, "%s/ring.yaml", dir);
    ck_assert_int_eq(mdl_scenario_load(&s, path, NULL, 0, &d), SIM_OK);
    return s;
}

START_TEST(test_flow_large_loop)
{
    /* 300 services in a ring (more than ANA_VISITS_DENSE_MAX): visits
     * p^k / (1 - p^300); with p^300 = 1 - 1e-5 the sweeps give up, and
     * say so. */
    enum { M = 300 };
    const char *dir = tst_tmpdir();
    double p = 0.99;
    mdl_scenario *s = load_ring(dir, M, p);
    sim_diag d;
    ana_flow f;
    size_t k;

    ck_assert_int_gt(M, ANA_VISITS_DENSE_MAX);
    ck_assert_int_eq(ana_flow_init(&f, s, &d), SIM_OK);
    for (k = 0; k < M; k++)
        near(f.visits[k], pow(p, (double)k) / (1 - pow(p, M)), 1e-12);
    ana_flow_destroy(&f);
    mdl_scenario_free(s);
    s = load_ring(dir, M, pow(1 - 1e-5, 1.0 / M));
    ck_assert_int_eq(ana_flow_init(&f, s, &d), SIM_EPARSE);
    tst_assert_has(d.msg, "cannot solve the visits of class 'w': the loop "
                   "through 's0' did not converge in 20000 sweeps",
                   "diagnosis");
    mdl_scenario_free(s);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_flow_hold_by_stages)
{
    /* gw (1 ms, blocking) calls, in this edge order: a in stage 0 (p 0.9;
     * a takes 3 ms), c in stage 1 (2 ms), b in stage 0 (p 0.5, count 4,
     * only for class "other"; b takes 2.5 ms and calls d, 0.7 ms), a in
     * stage 1 (p 0.3). Its least time per visit is 1 ms plus per stage
     * the slowest expected call: for "w" 1 + max(2.7) + max(2, 0.9) =
     * 5.7 ms; for "other" 1 + max(2.7, 0.5 * 4 * 3.2) + 2 = 9.4 ms. */
    const char *dir = tst_tmpdir();
    char path[512];
    mdl_scenario *s = NULL;
    sim_diag d;
    ana_flow f;
    size_t w;

    tst_write(dir, "st.gml",
              "graph [\n  directed 1\n"
              "  node [ id 0 label \"gw\" service \"det(1ms)\" servers 50 ]\n"
              "  node [ id 1 label \"a\" service \"det(3ms)\" servers 50 ]\n"
              "  node [ id 2 label \"b\" service \"det(2.5ms)\" servers 50 ]\n"
              "  node [ id 3 label \"c\" service \"det(2ms)\" servers 50 ]\n"
              "  node [ id 4 label \"d\" service \"det(0.7ms)\" servers 50 ]\n"
              "  edge [ source 0 target 1 stage 0 p 0.9 ]\n"
              "  edge [ source 0 target 3 stage 1 ]\n"
              "  edge [ source 0 target 2 stage 0 p 0.5 count 4 "
              "types \"other\" ]\n"
              "  edge [ source 0 target 1 stage 1 p 0.3 ]\n"
              "  edge [ source 2 target 4 ]\n"
              "]\n");
    tst_write(dir, "st.yaml",
              "name: st\ntopology: st.gml\nworkload:\n"
              "  - name: u\n    arrival: \"poisson(rate=10/s)\"\n"
              "    mix:\n      - { name: w, entry: gw }\n"
              "      - { name: other, entry: gw }\n"
              "run: { duration: 10s }\n");
    snprintf(path, sizeof path, "%s/st.yaml", dir);
    ck_assert_int_eq(mdl_scenario_load(&s, path, NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(ana_flow_init(&f, s, &d), SIM_OK);
    w = strcmp(s->classes[0].name, "w") == 0 ? 0 : 1;
    near(f.hold[w * 5 + 0], 0.0057, 1e-15);
    near(f.hold[(1 - w) * 5 + 0], 0.0094, 1e-15);
    near(f.hold[w * 5 + 2], 0.0032, 1e-15);
    near(f.hold[(1 - w) * 5 + 2], 0.0032, 1e-15);
    near(f.hold[w * 5 + 4], 0.0007, 1e-15);
    /* Visits: a 0.9 + 0.3, b 2 for "other" only. */
    near(f.visits[w * 5 + 1], 1.2, 1e-15);
    near(f.visits[w * 5 + 2], 0, 0);
    near(f.visits[(1 - w) * 5 + 2], 2, 1e-15);
    near(f.visits[(1 - w) * 5 + 4], 2, 1e-15);
    ana_flow_destroy(&f);
    mdl_scenario_free(s);
    tst_rm_tree(dir);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ana_visits");
    TCase *tc = tcase_create("acyclic");

    tcase_add_test(tc, test_chain_multiplies);
    tcase_add_test(tc, test_tree_adds_paths);
    tcase_add_test(tc, test_parallel_arcs_add);
    tcase_add_test(tc, test_large_chain_and_tree);
    tcase_add_test(tc, test_workspace_is_reused_and_bounded);
    suite_add_tcase(s, tc);

    tc = tcase_create("loops");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_feedback_loop_closed_form);
    tcase_add_test(tc, test_loop_without_exit_is_reported);
    tcase_add_test(tc, test_loop_that_multiplies_is_reported);
    tcase_add_test(tc, test_unreached_loop_without_exit_is_reported);
    tcase_add_test(tc, test_large_ring_by_sweeps);
    tcase_add_test(tc, test_large_ring_errors);
    tcase_add_loop_test(tc, test_random_graphs_match_dense_solve, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("flow");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_flow_two_classes);
    tcase_add_test(tc, test_flow_matches_dense_on_shipped_scenarios);
    tcase_add_test(tc, test_flow_loop_without_exit_message);
    tcase_add_test(tc, test_flow_deep_call_chain);
    tcase_add_test(tc, test_flow_hold_by_stages);
    tcase_add_test(tc, test_flow_large_loop);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
