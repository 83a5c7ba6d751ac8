/*
 * check_ana_graph.c - the structure of a topology (ana_graph.h) and the
 * `qmesh graph` command.
 *
 * Unit tests load the tests/data/graph_*.gml fixtures, whose comments
 * work out every expected value by hand, and compare exactly (latencies
 * to 1e-12 s: the fixtures' times are decimal milliseconds). The CLI
 * tests run the built binary ($QMESH) from the source tree ($top_srcdir),
 * as check_cli.c does.
 */
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../analysis/ana_graph.h"
#include "tst.h"

#define EPS 1e-12           /* s */
#define MAX_ARGS 16

/* Load tests/data/graph_NAME.gml and analyse it; the caller frees both. */
static mdl_topology *load(const char *name, ana_graph *g)
{
    char rel[256];
    mdl_topology *t = NULL;
    sim_diag d;

    memset(&d, 0, sizeof d);
    snprintf(rel, sizeof rel, "tests/data/graph_%s.gml", name);
    ck_assert_msg(mdl_topology_load(&t, tst_path(rel), &d) == SIM_OK,
                  "%s: %s", rel, d.msg);
    ck_assert_msg(ana_graph_init(g, t, &d) == SIM_OK, "%s: %s", rel, d.msg);
    return t;
}

static const ana_graph_svc *svc(const ana_graph *g, const mdl_topology *t,
                                const char *name)
{
    int i = mdl_topology_find(t, name);

    ck_assert_msg(i >= 0, "no service '%s'", name);
    return &g->svc[i];
}

/* The path from entry for type (NULL: untyped), or NULL when none. */
static const ana_graph_path *find_path(const ana_graph *g,
                                       const mdl_topology *t,
                                       const char *entry, const char *type)
{
    size_t i;

    for (i = 0; i < g->npaths; i++) {
        const ana_graph_path *p = &g->paths[i];
        if (!strcmp(t->services[p->entry].name, entry)
            && (type ? p->type && !strcmp(p->type, type) : !p->type))
            return p;
    }
    return NULL;
}

/* The path from entry for type as "a b c". */
static const char *typed_path(const ana_graph *g, const mdl_topology *t,
                              const char *entry, const char *type)
{
    static char buf[512];
    const ana_graph_path *p = find_path(g, t, entry, type);
    size_t k, at = 0;

    ck_assert_msg(p != NULL, "no path from '%s' for type '%s'", entry,
                  type ? type : "(none)");
    buf[0] = '\0';
    for (k = 0; k < p->len; k++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s",
                               k ? " " : "", t->services[p->svc[k]].name);
    return buf;
}

static const char *path_of(const ana_graph *g, const mdl_topology *t,
                           const char *entry)
{
    return typed_path(g, t, entry, NULL);
}

static double path_latency(const ana_graph *g, const mdl_topology *t,
                           const char *entry)
{
    const ana_graph_path *p = find_path(g, t, entry, NULL);

    ck_assert_msg(p != NULL, "no path from '%s'", entry);
    return p->latency;
}

/* The blast radius of name as "e1 e2". */
static const char *blast_of(const ana_graph *g, const mdl_topology *t,
                            const char *name)
{
    static char buf[512];
    const ana_graph_svc *s = svc(g, t, name);
    size_t k, at = 0;

    buf[0] = '\0';
    for (k = 0; k < s->nblast; k++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s",
                               k ? " " : "", t->services[s->blast[k]].name);
    return buf;
}

/* ---- chain ---- */

START_TEST(test_chain_depth_counts_calls_below)
{
    ana_graph g;
    mdl_topology *t = load("chain", &g);

    ck_assert_int_eq(svc(&g, t, "a")->depth, 3);
    ck_assert_int_eq(svc(&g, t, "b")->depth, 2);
    ck_assert_int_eq(svc(&g, t, "c")->depth, 1);
    ck_assert_int_eq(svc(&g, t, "d")->depth, 0);
    ck_assert_int_eq(g.ncall, 3);
    ck_assert_int_eq(svc(&g, t, "b")->in_calls, 1);
    ck_assert_int_eq(svc(&g, t, "b")->out_all, 1);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_chain_latency_adds_local_work_and_post_work)
{
    ana_graph g;
    mdl_topology *t = load("chain", &g);

    ck_assert_double_eq_tol(svc(&g, t, "d")->latency, 3.3e-3, EPS);
    ck_assert_double_eq_tol(svc(&g, t, "c")->latency, 10.8e-3, EPS);
    ck_assert_double_eq_tol(svc(&g, t, "b")->local, 5.35e-3, EPS);
    ck_assert_double_eq_tol(svc(&g, t, "b")->latency, 16.15e-3, EPS);
    ck_assert_double_eq_tol(svc(&g, t, "a")->latency, 18.535e-3, EPS);
    ck_assert_uint_eq(g.nentries, 1);
    ck_assert_str_eq(path_of(&g, t, "a"), "a b c d");
    ck_assert_double_eq_tol(path_latency(&g, t, "a"), 18.535e-3, EPS);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_chain_betweenness_of_inner_services)
{
    ana_graph g;
    mdl_topology *t = load("chain", &g);

    ck_assert_double_eq(svc(&g, t, "a")->betweenness, 0.0);
    ck_assert_double_eq(svc(&g, t, "b")->betweenness, 2.0);
    ck_assert_double_eq(svc(&g, t, "c")->betweenness, 2.0);
    ck_assert_double_eq(svc(&g, t, "d")->betweenness, 0.0);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

/* ---- fan-out with two stages ---- */

START_TEST(test_fanout_sums_p_times_count)
{
    ana_graph g;
    mdl_topology *t = load("fanout", &g);
    const ana_graph_svc *api = svc(&g, t, "api");

    ck_assert_double_eq_tol(api->fanout, 6.35, 1e-12);
    ck_assert_int_eq(api->widest, 3);
    ck_assert_int_eq(api->widest_stage, 1);
    ck_assert_int_eq(api->out_calls, 5);
    ck_assert_int_eq(api->out_all, 6);
    ck_assert_int_eq(api->depth, 1);
    ck_assert_int_eq(svc(&g, t, "db")->widest_stage, -1);
    ck_assert_double_eq(svc(&g, t, "db")->fanout, 0.0);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_fanout_stages_take_max_and_add)
{
    ana_graph g;
    mdl_topology *t = load("fanout", &g);

    /* 1.5 + 0.75 + max(4, 2 x 2.5) + max(0.45 x 3 x 6, 0.8, 3.2) ms */
    ck_assert_double_eq_tol(svc(&g, t, "api")->latency, 15.35e-3, EPS);
    ck_assert_str_eq(path_of(&g, t, "api"), "api db");
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_fanout_publish_adds_no_latency)
{
    ana_graph g;
    mdl_topology *t = load("fanout", &g);

    /* log (9 ms) is published to: slower than any call, yet not on the
     * critical path and not in R(api). */
    ck_assert_double_eq_tol(svc(&g, t, "log")->latency, 9e-3, EPS);
    ck_assert_int_eq(g.npublish, 1);
    ck_assert_uint_eq(g.nentries, 2);   /* api, and log for its events */
    ck_assert_str_eq(path_of(&g, t, "log"), "log");
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

/* ---- diamond ---- */

/* Estimated betweenness on the chain a -> b -> c -> d (4 services, 3
 * edges: exact work 4 * 7 = 28). With a bound of 27, k = ceil(27 / 7) =
 * 4 sources, every service: the exact values. With 7, one source s, and
 * each value is 4 times the paths out of s through the service: s = a
 * gives b 4 * 2 (a->c, a->d), c 4 * 1 (a->d); s = b gives c 4 * 1; s = c
 * or d gives nothing. The mean over the four draws, (8, 4) / 4 and
 * (0, 4) / 4 summed, is (2, 2), the exact values: unbiased. */
START_TEST(test_chain_betweenness_estimated_from_sampled_sources)
{
    static const double b_of[4] = { 8, 0, 0, 0 }, c_of[4] = { 4, 4, 0, 0 };
    mdl_topology *t = NULL;
    ana_graph g;
    sim_diag d;
    double b, c;
    int s, found = 0;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_topology_load(&t, tst_path("tests/data/"
                                                    "graph_chain.gml"), &d),
                     SIM_OK);
    ck_assert_int_eq(ana__graph_init_work(&g, t, 28.0, &d), SIM_OK);
    ck_assert_uint_eq(g.bc_sources, 0);
    ck_assert_double_eq(svc(&g, t, "b")->betweenness, 2.0);
    ana_graph_destroy(&g);

    ck_assert_int_eq(ana__graph_init_work(&g, t, 27.0, &d), SIM_OK);
    ck_assert_uint_eq(g.bc_sources, 4);
    ck_assert_double_eq_tol(svc(&g, t, "a")->betweenness, 0.0, 1e-12);
    ck_assert_double_eq_tol(svc(&g, t, "b")->betweenness, 2.0, 1e-12);
    ck_assert_double_eq_tol(svc(&g, t, "c")->betweenness, 2.0, 1e-12);
    ck_assert_double_eq_tol(svc(&g, t, "d")->betweenness, 0.0, 1e-12);
    ana_graph_destroy(&g);

    ck_assert_int_eq(ana__graph_init_work(&g, t, 7.0, &d), SIM_OK);
    ck_assert_uint_eq(g.bc_sources, 1);
    ck_assert_double_eq_tol(svc(&g, t, "a")->betweenness, 0.0, 1e-12);
    ck_assert_double_eq_tol(svc(&g, t, "d")->betweenness, 0.0, 1e-12);
    b = svc(&g, t, "b")->betweenness;
    c = svc(&g, t, "c")->betweenness;
    for (s = 0; s < 4; s++)
        found |= fabs(b - b_of[s]) < 1e-12 && fabs(c - c_of[s]) < 1e-12;
    ck_assert_msg(found, "b %g, c %g: not the values of any one source",
                  b, c);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

/* A chain of 8000 calls, each service det(1ms): deeper than the Jacobi
 * sweeps MAX_WORK allows (1e8 / 16000 = 6250), so R comes from the
 * one-pass DAG solution: R(c_i) = (8000 - i) ms, finite, not unbounded. */
START_TEST(test_deep_chain_latency_is_exact)
{
    enum { N = 8000 };
    char path[4096];
    mdl_topology *t = NULL;
    ana_graph g;
    sim_diag d;
    FILE *f;
    int i;

    snprintf(path, sizeof path, "%s/chain.gml", tst_tmpdir());
    ck_assert_ptr_nonnull(f = fopen(path, "w"));
    fputs("graph [\n  directed 1\n", f);
    for (i = 0; i < N; i++)
        fprintf(f, "  node [ id %d label \"c%d\" service \"det(1ms)\" ]\n",
                i, i);
    for (i = 1; i < N; i++)
        fprintf(f, "  edge [ source %d target %d ]\n", i - 1, i);
    fputs("]\n", f);
    ck_assert_int_eq(fclose(f), 0);
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_topology_load(&t, path, &d), SIM_OK);
    ck_assert_int_eq(ana_graph_init(&g, t, &d), SIM_OK);
    ck_assert_double_eq_tol(g.svc[0].latency, N * 1e-3, 1e-9);
    ck_assert_double_eq_tol(g.svc[N - 1].latency, 1e-3, 1e-15);
    ck_assert_double_eq_tol(g.svc[N / 2].latency, N / 2 * 1e-3, 1e-9);
    ck_assert_int_eq(g.svc[0].depth, N - 1);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
    remove(path);
}
END_TEST

START_TEST(test_diamond_betweenness_by_hand)
{
    ana_graph g;
    mdl_topology *t = load("diamond", &g);

    ck_assert_double_eq_tol(svc(&g, t, "s")->betweenness, 0.0, 1e-12);
    ck_assert_double_eq_tol(svc(&g, t, "a")->betweenness, 1.0, 1e-12);
    ck_assert_double_eq_tol(svc(&g, t, "b")->betweenness, 1.0, 1e-12);
    ck_assert_double_eq_tol(svc(&g, t, "t")->betweenness, 3.0, 1e-12);
    ck_assert_double_eq_tol(svc(&g, t, "u")->betweenness, 0.0, 1e-12);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_diamond_degrees_by_kind)
{
    ana_graph g;
    mdl_topology *t = load("diamond", &g);
    const ana_graph_svc *tt = svc(&g, t, "t");

    ck_assert_int_eq(tt->in_calls, 1);      /* b calls it, a forwards */
    ck_assert_int_eq(tt->in_all, 2);
    ck_assert_int_eq(tt->out_calls, 0);
    ck_assert_int_eq(tt->out_all, 1);       /* the publish to u */
    ck_assert_int_eq(svc(&g, t, "a")->depth, 0);    /* forwards only */
    ck_assert_int_eq(svc(&g, t, "s")->depth, 2);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_diamond_forward_weighted_by_p)
{
    ana_graph g;
    mdl_topology *t = load("diamond", &g);

    ck_assert_double_eq_tol(svc(&g, t, "a")->latency, 4.4e-3, EPS);
    ck_assert_double_eq_tol(svc(&g, t, "s")->latency, 8e-3, EPS);
    ck_assert_str_eq(path_of(&g, t, "s"), "s b t");
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

/* ---- cycles ---- */

START_TEST(test_call_cycle_is_an_error_naming_services)
{
    mdl_topology *t = NULL;
    ana_graph g;
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_topology_load(&t, tst_path("tests/data/"
                                                    "graph_cycle.gml"), &d),
                     SIM_OK);
    ck_assert_int_eq(ana_graph_init(&g, t, &d), SIM_EPARSE);
    ck_assert_msg(strstr(d.msg, "a -> b -> c -> a") != NULL, "%s", d.msg);
    ck_assert_msg(strstr(d.msg, "deadlock") != NULL, "%s", d.msg);
    ck_assert_int_eq(d.line, 6);            /* node a */
    ck_assert_ptr_nonnull(strstr(d.file, "graph_cycle.gml"));
    ck_assert_ptr_null(g.svc);
    ana_graph_destroy(&g);                  /* still safe */
    mdl_topology_free(t);
}
END_TEST

/* b forwards the request back to a, which waits for b's reply. */
START_TEST(test_cycle_through_a_forward_is_an_error_naming_it)
{
    mdl_topology *t = NULL;
    ana_graph g;
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_topology_load(&t, tst_path("tests/data/"
                                                    "call_forward_cycle.gml"),
                                       &d), SIM_OK);
    ck_assert_int_eq(ana_graph_init(&g, t, &d), SIM_EPARSE);
    ck_assert_str_eq(d.msg, "calls and forwards form a cycle, which would "
                     "deadlock: a -> b => a (-> call, => forward): the "
                     "request comes back to a service waiting for its "
                     "reply");
    ck_assert_int_eq(d.line, 6);            /* node a */
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_forward_loop_is_not_an_error)
{
    ana_graph g;
    mdl_topology *t = load("loop", &g);

    ck_assert(isinf(svc(&g, t, "x")->latency));
    ck_assert(isinf(path_latency(&g, t, "in")));
    ck_assert_str_eq(path_of(&g, t, "in"), "in x y");
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_forward_feedback_solves_linear_equations)
{
    mdl_topology *t = NULL;
    ana_graph g;
    sim_diag d;

    /* closed.gml: app = 30 + 0.7 db, db = 15 + 0.2 app (ms), so
     * app = 40.5 / 0.86, web = 20 + app. */
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_topology_load(&t, tst_path("topologies/closed.gml"),
                                       &d), SIM_OK);
    ck_assert_int_eq(ana_graph_init(&g, t, &d), SIM_OK);
    ck_assert_double_eq_tol(g.svc[1].latency, 40.5e-3 / 0.86, 1e-12);
    ck_assert_double_eq_tol(g.svc[0].latency, 20e-3 + 40.5e-3 / 0.86,
                            1e-12);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

/* ---- blast radius ---- */

START_TEST(test_blast_radius_lists_entry_points)
{
    ana_graph g;
    mdl_topology *t = load("entries", &g);

    ck_assert_uint_eq(g.nentries, 3);
    ck_assert_str_eq(blast_of(&g, t, "api"), "web mobile");
    ck_assert_str_eq(blast_of(&g, t, "db"), "web mobile");
    ck_assert_str_eq(blast_of(&g, t, "bff"), "mobile");
    ck_assert_str_eq(blast_of(&g, t, "static"), "web");
    ck_assert_str_eq(blast_of(&g, t, "web"), "web");
    ck_assert_str_eq(blast_of(&g, t, "audit"), "mobile audit");
    ck_assert_str_eq(path_of(&g, t, "mobile"), "mobile bff api db");
    ck_assert_double_eq_tol(path_latency(&g, t, "mobile"), 16e-3, EPS);
    /* web: 1 + 12 (api) + 0.3 x 2 (static) ms */
    ck_assert_double_eq_tol(path_latency(&g, t, "web"), 13.6e-3, EPS);
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

/* ---- request types ---- */

START_TEST(test_types_follow_only_their_edges)
{
    ana_graph g;
    mdl_topology *t = load("types", &g);
    const ana_graph_svc *gw = svc(&g, t, "gw");

    ck_assert_uint_eq(g.ntypes, 3);
    ck_assert_str_eq(g.types[0], "read");
    ck_assert_str_eq(g.types[1], "write");
    ck_assert_str_eq(g.types[2], "read-modify");
    ck_assert_uint_eq(g.npaths, 3);        /* one per type, none untyped */
    ck_assert_str_eq(typed_path(&g, t, "gw", "read"), "gw auth");
    ck_assert_double_eq_tol(find_path(&g, t, "gw", "read")->latency, 3e-3,
                            EPS);
    ck_assert_str_eq(typed_path(&g, t, "gw", "write"), "gw db");
    ck_assert_double_eq_tol(find_path(&g, t, "gw", "write")->latency,
                            9.5e-3, EPS);
    ck_assert_ptr_null(find_path(&g, t, "gw", NULL));
    /* The busiest type: write's 3 calls and 9.5 ms; no type sends 3
     * calls in parallel. */
    ck_assert_double_eq_tol(gw->fanout, 3.0, 1e-12);
    ck_assert_int_eq(gw->widest, 2);
    ck_assert_double_eq_tol(gw->latency, 9.5e-3, EPS);
    ck_assert_int_eq(gw->out_calls, 3);     /* degrees count every edge */
    ana_graph_destroy(&g);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_dot_styles_edges_by_kind)
{
    mdl_topology *t = NULL;
    char path[512], *dot;
    sim_diag d;

    ck_assert_int_eq(mdl_topology_load(&t, tst_path("tests/data/"
                                                    "graph_diamond.gml"), &d),
                     SIM_OK);
    snprintf(path, sizeof path, "%s/g.dot", tst_tmpdir());
    ck_assert_int_eq(ana_graph_write_dot(t, path, &d), SIM_OK);
    dot = tst_slurp(path, NULL);
    ck_assert_int_eq(strncmp(dot, "digraph", 7), 0);
    ck_assert_ptr_nonnull(strstr(dot, "n0 -> n1 [style=solid"));
    ck_assert_ptr_nonnull(strstr(dot, "n1 -> n3 [style=dashed, tooltip=\""
                                      "forward\", label=\"p=0.6\"]"));
    ck_assert_ptr_nonnull(strstr(dot, "n3 -> n4 [style=dotted"));
    ck_assert_ptr_nonnull(strstr(dot, "label=\"s\\nservers 1, replicas 1\""));
    ck_assert_str_eq(dot + strlen(dot) - 2, "}\n");
    free(dot);
    unlink(path);
    *strrchr(path, '/') = '\0';
    ck_assert_int_eq(rmdir(path), 0);       /* no temporary left behind */
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_dot_labels_count_and_stage)
{
    mdl_topology *t = NULL;
    char path[512], *dot;
    sim_diag d;

    ck_assert_int_eq(mdl_topology_load(&t, tst_path("tests/data/"
                                                    "graph_fanout.gml"), &d),
                     SIM_OK);
    snprintf(path, sizeof path, "%s/g.dot", tst_tmpdir());
    ck_assert_int_eq(ana_graph_write_dot(t, path, &d), SIM_OK);
    dot = tst_slurp(path, NULL);
    ck_assert_ptr_nonnull(strstr(dot, "label=\"p=0.45 count=3 stage=1\""));
    ck_assert_ptr_nonnull(strstr(dot, "label=\"count=2\""));
    ck_assert_ptr_nonnull(strstr(dot, "servers 8, replicas 3"));
    free(dot);
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_dot_unwritable_is_eio)
{
    mdl_topology *t = NULL;
    sim_diag d;

    ck_assert_int_eq(mdl_topology_load(&t, tst_path("tests/data/"
                                                    "graph_chain.gml"), &d),
                     SIM_OK);
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(ana_graph_write_dot(t, "/nonexistent-dir/g.dot", &d),
                     SIM_EIO);
    ck_assert_ptr_nonnull(strstr(d.msg,
                                 "cannot write '/nonexistent-dir/g.dot'"));
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_cli_graph_ecommerce)
{
    tst_out r;

    tst_qmesh(&r, NULL, "graph", "topologies/ecommerce.gml", NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "5 services, 5 edges (0 call, 5 forward, 0 publish)",
               "stdout");
    tst_assert_has(r.out, "betweenness", "stdout");
    tst_assert_has(r.out, "blast radius", "stdout");
    /* 2 + 0.6 x 12 + 0.25 x (6 + 0.2 x 69) + 0.1 x 69 ms, 69 = 15 + 0.9 x 60 */
    tst_assert_has(r.out, "from gateway: 21.05 ms", "stdout");
    tst_assert_has(r.out, "gateway -[forward p=0.6]-> catalog", "stdout");
    ck_assert_str_eq(r.err, "");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_cli_graph_cycle_exits_2)
{
    tst_out r;

    tst_qmesh(&r, NULL, "graph", "tests/data/graph_cycle.gml", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "graph_cycle.gml:6: error: synchronous calls form a "
               "cycle, which would deadlock: a -> b -> c -> a", "stderr");
    ck_assert_str_eq(r.out, "");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_cli_graph_dot_file)
{
    tst_out r;
    char path[512], *dot;

    tst_qmesh(&r, NULL, "graph", "topologies/ecommerce.gml", "--dot",
              "@DIR/shop.dot", NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    snprintf(path, sizeof path, "%s/shop.dot", r.dir);
    dot = tst_slurp(path, NULL);
    ck_assert_int_eq(strncmp(dot, "digraph", 7), 0);
    tst_assert_has(dot, "gateway\\nservers 4, replicas 1", "DOT");
    tst_assert_has(dot, "style=dashed", "DOT");
    free(dot);
    tst_out_free(&r);
}
END_TEST

START_TEST(test_cli_graph_usage_errors)
{
    tst_out r;

    tst_qmesh(&r, NULL, "graph", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, "missing topology file", "stderr");
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "graph", "tests/data/no-such.gml", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_out_free(&r);
    tst_qmesh(&r, NULL, "graph", "tests/data/graph_chain.gml", "--dot",
              "/nonexistent-dir/g.dot", NULL);
    ck_assert_int_eq(r.status, 1);
    tst_assert_has(r.err, "cannot write '", "stderr");
    tst_out_free(&r);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ana_graph");
    TCase *tc;

    tc = tcase_create("chain");
    tcase_add_test(tc, test_chain_depth_counts_calls_below);
    tcase_add_test(tc, test_chain_latency_adds_local_work_and_post_work);
    tcase_add_test(tc, test_chain_betweenness_of_inner_services);
    tcase_add_test(tc, test_deep_chain_latency_is_exact);
    tcase_add_test(tc, test_chain_betweenness_estimated_from_sampled_sources);
    suite_add_tcase(s, tc);
    tc = tcase_create("fanout");
    tcase_add_test(tc, test_fanout_sums_p_times_count);
    tcase_add_test(tc, test_fanout_stages_take_max_and_add);
    tcase_add_test(tc, test_fanout_publish_adds_no_latency);
    suite_add_tcase(s, tc);
    tc = tcase_create("diamond");
    tcase_add_test(tc, test_diamond_betweenness_by_hand);
    tcase_add_test(tc, test_diamond_degrees_by_kind);
    tcase_add_test(tc, test_diamond_forward_weighted_by_p);
    suite_add_tcase(s, tc);
    tc = tcase_create("cycles");
    tcase_add_test(tc, test_call_cycle_is_an_error_naming_services);
    tcase_add_test(tc, test_cycle_through_a_forward_is_an_error_naming_it);
    tcase_add_test(tc, test_forward_loop_is_not_an_error);
    tcase_add_test(tc, test_forward_feedback_solves_linear_equations);
    suite_add_tcase(s, tc);
    tc = tcase_create("blast_radius");
    tcase_add_test(tc, test_blast_radius_lists_entry_points);
    suite_add_tcase(s, tc);
    tc = tcase_create("types");
    tcase_add_test(tc, test_types_follow_only_their_edges);
    suite_add_tcase(s, tc);
    tc = tcase_create("dot");
    tcase_add_test(tc, test_dot_styles_edges_by_kind);
    tcase_add_test(tc, test_dot_labels_count_and_stage);
    tcase_add_test(tc, test_dot_unwritable_is_eio);
    suite_add_tcase(s, tc);
    tc = tcase_create("cli");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_cli_graph_ecommerce);
    tcase_add_test(tc, test_cli_graph_cycle_exits_2);
    tcase_add_test(tc, test_cli_graph_dot_file);
    tcase_add_test(tc, test_cli_graph_usage_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
