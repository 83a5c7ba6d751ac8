/*
 * check_mdl_topology.c - loading, validating and looking up topologies.
 *
 * Fixtures: tests/data/shop.{gml,graphml} hold the same four-service shop;
 * minimal.gml one service with every default; names.graphml names from a
 * "name" key; bad_*.{gml,graphml} one error each, whose file:line and
 * message the error test asserts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tst.h"
#include "../models/mdl_topology.h"

static mdl_topology *load_ok(const char *rel)
{
    mdl_topology *t = NULL;
    sim_diag d = { .line = 0 };
    int rc = mdl_topology_load(&t, tst_path(rel), &d);

    ck_assert_msg(rc == SIM_OK, "%s: %s:%d: %s", rel, d.file, d.line, d.msg);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* A service with the defaults, for mdl_service_set. */
static void service_defaults(mdl_service *s)
{
    memset(s, 0, sizeof *s);
    s->servers = 1;
    s->replicas = 1;
    mdl_dist_exp(&s->service, 1.0);
    s->blocking = 1;
}

/* ------------------------------------------------------------------ */

START_TEST(test_defaults_fill_a_bare_service)
{
    mdl_topology *t = load_ok("tests/data/minimal.gml");
    const mdl_service *s;

    ck_assert_uint_eq(t->nservices, 1);
    ck_assert_uint_eq(t->nedges, 0);
    s = &t->services[0];
    ck_assert_str_eq(s->name, "solo");
    ck_assert_int_eq(s->servers, 1);
    ck_assert_int_eq(s->replicas, 1);
    ck_assert_int_eq(s->service.kind, MDL_DIST_EXP);
    ck_assert_double_eq_tol(s->service.mean, 1.0, 1e-12);
    ck_assert_int_eq(s->capacity, 0);
    ck_assert_int_eq(s->discipline, MDL_DISC_FIFO);
    ck_assert_int_eq(s->blocking, 1);
    ck_assert_int_eq(s->kind, MDL_SVC_SERVICE);
    ck_assert_int_eq(s->line, 3);
    ck_assert_str_eq(t->path, tst_path("tests/data/minimal.gml"));
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_defaults_fill_unset_attributes)
{
    mdl_topology *t = load_ok("tests/data/shop.gml");
    const mdl_service *catalog = &t->services[2];
    const mdl_edge *e = &t->edges[2];   /* cart -> payments, forward 0.7 */

    ck_assert_str_eq(catalog->name, "catalog");
    ck_assert_int_eq(catalog->servers, 1);
    ck_assert_int_eq(catalog->replicas, 1);
    ck_assert_double_eq_tol(catalog->service.mean, 1.0, 1e-12);
    ck_assert_int_eq(catalog->capacity, 0);
    ck_assert_int_eq(catalog->discipline, MDL_DISC_FIFO);
    ck_assert_int_eq(catalog->blocking, 1);
    ck_assert_int_eq(e->count, 1);
    ck_assert_int_eq(e->stage, 0);
    ck_assert_str_eq(e->protocol, "none");
    ck_assert_int_eq(t->edges[1].kind, MDL_EDGE_CALL);
    mdl_topology_free(t);
}
END_TEST

/* ------------------------------------------------------------------ */

/* Check the shop of shop.gml / shop.graphml (lines excepted). */
static void assert_shop(const mdl_topology *t)
{
    const mdl_service *s = t->services;
    const mdl_edge *e = t->edges;

    ck_assert_uint_eq(t->nservices, 4);
    ck_assert_uint_eq(t->nedges, 4);
    ck_assert_str_eq(s[0].name, "gateway");
    ck_assert_str_eq(s[1].name, "cart");
    ck_assert_str_eq(s[2].name, "catalog");
    ck_assert_str_eq(s[3].name, "payments");

    ck_assert_int_eq(s[0].servers, 4);
    ck_assert_int_eq(s[0].replicas, 2);
    ck_assert_int_eq(s[0].service.kind, MDL_DIST_EXP);
    ck_assert_double_eq_tol(s[0].service.mean, 0.005, 1e-12);
    ck_assert_int_eq(s[0].capacity, 64);
    ck_assert_int_eq(s[0].discipline, MDL_DISC_PS);
    ck_assert_int_eq(s[0].blocking, 0);
    ck_assert_int_eq(s[0].kind, MDL_SVC_SERVICE);

    ck_assert_int_eq(s[1].servers, 3);                  /* written "3" */
    ck_assert_int_eq(s[1].service.kind, MDL_DIST_DET);
    ck_assert_double_eq_tol(s[1].service.mean, 0.002, 1e-12);
    ck_assert_int_eq(s[1].blocking, 1);

    ck_assert_int_eq(s[2].kind, MDL_SVC_DELAY);
    ck_assert_int_eq(s[3].kind, MDL_SVC_SERVICE);         /* written */
    ck_assert_int_eq(s[3].discipline, MDL_DISC_FIFO);
    ck_assert_int_eq(s[3].capacity, 0);
    ck_assert_int_eq(s[3].blocking, 1);

    ck_assert_int_eq(e[0].from, 0);
    ck_assert_int_eq(e[0].to, 1);
    ck_assert_int_eq(e[0].kind, MDL_EDGE_CALL);
    ck_assert_double_eq(e[0].p, 1.0);
    ck_assert_int_eq(e[0].count, 2);
    ck_assert_int_eq(e[0].stage, 1);
    ck_assert_str_eq(e[0].protocol, "grpc");

    ck_assert_int_eq(e[1].from, 0);
    ck_assert_int_eq(e[1].to, 2);
    ck_assert_double_eq(e[1].p, 0.385);
    ck_assert_str_eq(e[1].protocol, "http2");

    ck_assert_int_eq(e[2].from, 1);
    ck_assert_int_eq(e[2].to, 3);
    ck_assert_int_eq(e[2].kind, MDL_EDGE_FORWARD);
    ck_assert_double_eq(e[2].p, 0.7);

    ck_assert_int_eq(e[3].from, 3);                     /* feedback loop */
    ck_assert_int_eq(e[3].to, 3);
    ck_assert_int_eq(e[3].kind, MDL_EDGE_FORWARD);
    ck_assert_double_eq(e[3].p, 0.25);
    ck_assert_str_eq(e[3].protocol, "none");
}

START_TEST(test_gml_reads_every_attribute)
{
    mdl_topology *t = load_ok("tests/data/shop.gml");

    assert_shop(t);
    ck_assert_int_eq(t->services[0].line, 6);
    ck_assert_int_eq(t->services[1].line, 16);
    ck_assert_int_eq(t->services[3].line, 27);
    ck_assert_int_eq((int)igraph_vcount(&t->graph), 4);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_graphml_reads_the_same_graph)
{
    mdl_topology *t = load_ok("tests/data/shop.graphml");

    assert_shop(t);
    ck_assert_int_eq(t->services[0].line, 17);
    ck_assert_int_eq(t->services[1].line, 25);
    ck_assert_int_eq(t->services[3].line, 32);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_gml_and_graphml_load_identically)
{
    mdl_topology *a = load_ok("tests/data/shop.gml");
    mdl_topology *b = load_ok("tests/data/shop.graphml");
    size_t i;

    ck_assert_uint_eq(a->nservices, b->nservices);
    ck_assert_uint_eq(a->nedges, b->nedges);
    for (i = 0; i < a->nservices; i++) {
        const mdl_service *x = &a->services[i], *y = &b->services[i];

        ck_assert_str_eq(x->name, y->name);
        ck_assert_int_eq(x->servers, y->servers);
        ck_assert_int_eq(x->replicas, y->replicas);
        ck_assert_int_eq(x->service.kind, y->service.kind);
        ck_assert_double_eq(x->service.mean, y->service.mean);
        ck_assert_int_eq(x->capacity, y->capacity);
        ck_assert_int_eq(x->discipline, y->discipline);
        ck_assert_int_eq(x->blocking, y->blocking);
        ck_assert_int_eq(x->kind, y->kind);
    }
    for (i = 0; i < a->nedges; i++) {
        const mdl_edge *x = &a->edges[i], *y = &b->edges[i];

        ck_assert_int_eq(x->from, y->from);
        ck_assert_int_eq(x->to, y->to);
        ck_assert_int_eq(x->kind, y->kind);
        ck_assert_double_eq(x->p, y->p);
        ck_assert_int_eq(x->count, y->count);
        ck_assert_int_eq(x->stage, y->stage);
        ck_assert_str_eq(x->protocol, y->protocol);
    }
    mdl_topology_free(a);
    mdl_topology_free(b);
}
END_TEST

START_TEST(test_graphml_names_come_from_name_key_then_id)
{
    mdl_topology *t = load_ok("tests/data/names.graphml");

    ck_assert_uint_eq(t->nservices, 3);
    ck_assert_str_eq(t->services[0].name, "frontend");
    ck_assert_str_eq(t->services[1].name, "backend");
    ck_assert_str_eq(t->services[2].name, "n2");
    ck_assert_int_eq(t->services[0].line, 9);
    ck_assert_int_eq(t->services[2].line, 11);
    /* A boolean key's <default> applies; a <data> overrides it. */
    ck_assert_int_eq(t->services[0].blocking, 1);
    ck_assert_int_eq(t->services[1].blocking, 0);
    ck_assert_int_eq(t->services[2].blocking, 1);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_graphml_boolean_without_data_keeps_default)
{
    /* shop.graphml's boolean key has no <default>: igraph stores false
     * for the nodes without <data>, which must still block. */
    mdl_topology *t = load_ok("tests/data/shop.graphml");

    ck_assert_int_eq(t->services[0].blocking, 0);
    ck_assert_int_eq(t->services[2].blocking, 1);
    ck_assert_int_eq(t->services[3].blocking, 1);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_graphml_counts_only_real_elements)
{
    /* A commented-out node, a node in CDATA or in a processing
     * instruction, a <data> inside another element and the nodes of a
     * nested graph are not the graph's: before libxml2 read the file, the
     * commented node's <data> made the gateway non-blocking. */
    mdl_topology *t = load_ok("tests/data/comments.graphml");

    ck_assert_uint_eq(t->nservices, 3);
    ck_assert_str_eq(t->services[0].name, "gateway");
    ck_assert_str_eq(t->services[1].name, "cart");
    ck_assert_str_eq(t->services[2].name, "payments");
    ck_assert_int_eq(t->services[0].blocking, 1);
    ck_assert_int_eq(t->services[1].blocking, 1);
    ck_assert_int_eq(t->services[2].blocking, 0);
    ck_assert_int_eq(t->services[0].servers, 3);
    ck_assert_int_eq(t->services[1].servers, 1);
    ck_assert_int_eq(t->services[0].line, 10);
    ck_assert_int_eq(t->services[1].line, 14);
    ck_assert_int_eq(t->services[2].line, 20);
    ck_assert_uint_eq(t->nedges, 2);
    ck_assert_int_eq(t->edges[0].line, 21);
    ck_assert_int_eq(t->edges[1].line, 22);
    mdl_topology_free(t);
}
END_TEST

START_TEST(test_gml_lines_come_from_the_nodes_own_labels)
{
    /* The graph's label, an edge's label and a label in a nested list
     * name no service; a comment line holds no node. */
    mdl_topology *t = load_ok("tests/data/labels.gml");

    ck_assert_uint_eq(t->nservices, 2);
    ck_assert_str_eq(t->services[0].name, "gateway");
    ck_assert_str_eq(t->services[1].name, "cart");
    ck_assert_int_eq(t->services[0].line, 6);
    ck_assert_int_eq(t->services[1].line, 10);
    ck_assert_int_eq(t->services[1].servers, 4);
    ck_assert_int_eq(t->edges[0].line, 7);
    mdl_topology_free(t);
}
END_TEST

/* ------------------------------------------------------------------ */

typedef struct bad_case {
    const char *file;
    int line;
    const char *want[3];        /* substrings of the message */
} bad_case;

static const bad_case bad_cases[] = {
    { "bad_servers.gml", 5,
      { "service 'cart': servers must be a positive integer, found '-2'" } },
    { "bad_servers_real.gml", 5, { "servers", "'4.5'" } },
    { "bad_replicas.gml", 5,
      { "replicas must be a positive integer", "'0'" } },
    { "bad_capacity.gml", 5, { "capacity", "'-1'" } },
    { "bad_capacity_servers.gml", 5,
      { "service 'cart'", "capacity", "'2'" } },
    { "bad_discipline.gml", 5,
      { "discipline", "'fifoo'", "did you mean 'fifo'?" } },
    { "bad_blocking.gml", 5, { "blocking", "'yes'" } },
    { "bad_kind.gml", 5, { "kind", "'cache'" } },
    /* Known words that the simulator cannot run yet: refused on reading,
     * not when the model is built. */
    { "bad_priority.gml", 5,
      { "service 'cart': discipline 'priority' is not simulated yet; use "
        "fifo or ps" } },
    { "bad_broker.graphml", 7,
      { "service 'queue': kind 'broker' is not simulated yet; use service "
        "or delay" } },
    { "bad_service.gml", 5, { "service 'cart'", "'expo(mean=5ms)'" } },
    { "bad_attr.gml", 5,
      { "unknown attribute 'servrs' on service 'cart'; "
        "did you mean 'servers'?" } },
    { "bad_edge_kind.gml", 8,
      { "edge 'cart' -> 'payments'", "kind", "'cal'" } },
    { "bad_edge_p.gml", 8,
      { "edge 'cart' -> 'payments'", "p must be", "'1.5'" } },
    { "bad_edge_count.gml", 8,
      { "edge 'cart' -> 'payments'", "count", "'0'" } },
    { "bad_edge_stage.gml", 8, { "stage", "'-1'" } },
    { "bad_edge_protocol.gml", 8, { "protocol", "'http3'" } },
    { "bad_edge_attr.gml", 8,
      { "unknown attribute 'protocl' on edge 'cart' -> 'payments'",
        "did you mean 'protocol'?" } },
    { "bad_forward_sum.gml", 5,
      { "forward probabilities out of 'cart' sum to 1.2 (> 1)" } },
    { "bad_duplicate.gml", 7,
      { "duplicate service name 'cart'", "line 5" } },
    { "bad_duplicate_many.gml", 9,
      { "duplicate service name 'a'", "first defined on line 7" } },
    { "bad_noname.gml", 7, { "name missing", "label" } },
    { "bad_undirected.gml", 0, { "undirected", "directed 1" } },
    { "bad_syntax.gml", 6, { "cannot read topology", "line 6" } },
    { "bad_servers.graphml", 6,
      { "service 'cart': servers must be a positive integer, found '-2'" } },
    { "bad_attr.graphml", 6,
      { "unknown attribute 'replics' on service 'cart'",
        "did you mean 'replicas'?" } },
    { "bad_edge_p.graphml", 7,
      { "edge 'gateway' -> 'cart'", "p must be", "'2'" } },
    { "bad_blocking.graphml", 6, { "blocking", "'2'" } },
    { "bad_duplicate.graphml", 7,
      { "duplicate service name 'cart'", "line 5" } },
    { "bad_syntax.graphml", 5, { "cannot read topology" } },
    /* igraph reads NaN as a missing number; written, it is an error. */
    { "bad_nan_servers.gml", 5,
      { "service 'cart'", "servers must be a positive integer", "'NaN'" } },
    { "bad_nan_p.gml", 7,
      { "edge 'gateway' -> 'cart'", "p must be a number", "'nan'" } },
    { "bad_nan_servers.graphml", 7,
      { "service 'cart'", "servers must be a positive integer", "'NaN'" } },
    { "bad_nan_default.graphml", 4,
      { "service 'cart'", "replicas", "'nan'" } },
    { "bad_inf_p.graphml", 7,
      { "edge 'gateway' -> 'cart'", "p must be a number", "'-Inf'" } },
    { "bad_edge_target.graphml", 6,
      { "edge target 'paymnets' is not the id of a <node>",
        "did you mean 'payments'?" } },
    { "bad_node_id.graphml", 7, { "duplicate node id 'cart'", "line 6" } },
    /* Counts are bounded (mdl_topology.h); these used to overflow an int,
     * spin in Erlang's recursion or fill memory. */
    { "bad_servers_max.gml", 5,
      { "service 'cart': servers must be at most 100000, "
        "found '2147483647'" } },
    { "bad_replicas_max.graphml", 6,
      { "service 'cart': replicas must be at most 10000, "
        "found '10000000'" } },
    { "bad_capacity_max.gml", 5,
      { "capacity must be at most 1000000", "'1000000000000'" } },
    { "bad_edge_count_max.gml", 6,
      { "edge 'gateway' -> 'cart': count must be at most 10000",
        "'10001'" } },
    { "bad_edge_stage_max.gml", 6,
      { "stage must be at most 10000", "'1000000000'" } },
};

START_TEST(test_error_names_file_line_key_and_value)
{
    const bad_case *c = &bad_cases[_i];
    char rel[256], path[4096];
    mdl_topology *t = (mdl_topology *)1;
    sim_diag d = { .line = -1 };
    size_t k;
    int rc;

    snprintf(rel, sizeof rel, "tests/data/%s", c->file);
    snprintf(path, sizeof path, "%s", tst_path(rel));
    rc = mdl_topology_load(&t, path, &d);
    ck_assert_msg(rc == SIM_EPARSE, "%s: rc %d", c->file, rc);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(d.file, path);
    ck_assert_msg(d.line == c->line, "%s: line %d, want %d (%s)", c->file,
                  d.line, c->line, d.msg);
    for (k = 0; k < 3 && c->want[k]; k++)
        ck_assert_msg(strstr(d.msg, c->want[k]) != NULL,
                      "%s: '%s' lacks '%s'", c->file, d.msg, c->want[k]);
}
END_TEST

START_TEST(test_error_messages_are_lower_case_without_full_stop)
{
    const bad_case *c = &bad_cases[_i];
    char rel[256];
    mdl_topology *t = NULL;
    sim_diag d;
    size_t len;

    snprintf(rel, sizeof rel, "tests/data/%s", c->file);
    ck_assert_int_eq(mdl_topology_load(&t, tst_path(rel), &d), SIM_EPARSE);
    len = strlen(d.msg);
    ck_assert_msg(len > 0 && !(d.msg[0] >= 'A' && d.msg[0] <= 'Z') &&
                  d.msg[len - 1] != '.', "%s: '%s'", c->file, d.msg);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_missing_file_names_it)
{
    mdl_topology *t = NULL;
    sim_diag d;
    char want[4200];
    const char *path = tst_path("tests/data/no_such_topology.gml");

    ck_assert_int_eq(mdl_topology_load(&t, path, &d), SIM_EPARSE);
    ck_assert_ptr_null(t);
    snprintf(want, sizeof want,
             "cannot open topology '%s': No such file or directory", path);
    ck_assert_str_eq(d.msg, want);
    ck_assert_str_eq(d.file, path);
    ck_assert_int_eq(d.line, 0);
}
END_TEST

START_TEST(test_topology_must_be_a_regular_file)
{
    char dir[512], link[600];
    mdl_topology *t = (mdl_topology *)1;
    sim_diag d;

    /* A .gml name for /dev/zero used to grow the text pass's buffer
     * until memory ran out; a FIFO to wait for a writer. */
    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    snprintf(link, sizeof link, "%s/zero.gml", dir);
    ck_assert_int_eq(symlink("/dev/zero", link), 0);
    ck_assert_int_eq(mdl_topology_load(&t, link, &d), SIM_EPARSE);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(d.msg, "it is a device, not a regular "
                                        "file"));
    ck_assert_int_eq(mdl_topology_load(&t, tst_special_file(dir,
                     "pipe.graphml", -1), &d), SIM_EPARSE);
    ck_assert_ptr_nonnull(strstr(d.msg, "it is a pipe"));
    snprintf(link, sizeof link, "%s", tst_special_file(dir, "big.gml",
                                                       (64L << 20) + 1));
    ck_assert_int_eq(mdl_topology_load(&t, link, &d), SIM_EPARSE);
    ck_assert_ptr_nonnull(strstr(d.msg, "larger than 64 MiB"));
    ck_assert_str_eq(d.file, link);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_unknown_extension_is_an_error)
{
    mdl_topology *t = NULL;
    sim_diag d;

    ck_assert_int_eq(mdl_topology_load(&t, tst_path("tests/data/shop.txt"),
                                       &d), SIM_EPARSE);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(d.msg, "unknown topology format"));
}
END_TEST

START_TEST(test_free_null_is_a_no_op)
{
    mdl_topology_free(NULL);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_service_set_accepts_valid_values)
{
    mdl_service s;
    char err[256] = "";

    service_defaults(&s);
    ck_assert_int_eq(mdl_service_set(&s, "servers", "4", NULL, err,
                                     sizeof err), SIM_OK);
    ck_assert_int_eq(s.servers, 4);
    ck_assert_int_eq(mdl_service_set(&s, "replicas", "3.0", NULL, err,
                                     sizeof err), SIM_OK);
    ck_assert_int_eq(s.replicas, 3);
    ck_assert_int_eq(mdl_service_set(&s, "capacity", "0", NULL, err,
                                     sizeof err), SIM_OK);
    ck_assert_int_eq(s.capacity, 0);
    ck_assert_int_eq(mdl_service_set(&s, "capacity", "250", NULL, err,
                                     sizeof err), SIM_OK);
    ck_assert_int_eq(s.capacity, 250);
    ck_assert_int_eq(mdl_service_set(&s, "discipline", "ps", NULL, err,
                                     sizeof err), SIM_OK);
    ck_assert_int_eq(s.discipline, MDL_DISC_PS);
    ck_assert_int_eq(mdl_service_set(&s, "blocking", "false", NULL, err,
                                     sizeof err), SIM_OK);
    ck_assert_int_eq(s.blocking, 0);
    ck_assert_int_eq(mdl_service_set(&s, "blocking", "1", NULL, err,
                                     sizeof err), SIM_OK);
    ck_assert_int_eq(s.blocking, 1);
    ck_assert_int_eq(mdl_service_set(&s, "kind", "delay", NULL, err,
                                     sizeof err), SIM_OK);
    ck_assert_int_eq(s.kind, MDL_SVC_DELAY);
    ck_assert_int_eq(mdl_service_set(&s, "service", "exp(mean=2.385ms)",
                                     NULL, err, sizeof err), SIM_OK);
    ck_assert_int_eq(s.service.kind, MDL_DIST_EXP);
    ck_assert_double_eq_tol(s.service.mean, 0.002385, 1e-12);
    mdl_dist_destroy(&s.service);
}
END_TEST

START_TEST(test_service_set_rejects_bad_values_unchanged)
{
    static const char *const bad[][2] = {
        { "servers", "-2" }, { "servers", "0" }, { "servers", "4.5" },
        { "servers", "four" }, { "servers", "" }, { "replicas", "0" },
        { "capacity", "-1" }, { "capacity", "2.5" },
        { "discipline", "lifo" }, { "blocking", "yes" },
        { "kind", "cache" }, { "service", "expo(mean=5ms)" },
    };
    mdl_service s;
    char err[256];
    size_t i;

    service_defaults(&s);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_msg(mdl_service_set(&s, bad[i][0], bad[i][1], NULL, err,
                                      sizeof err) == SIM_EPARSE,
                      "%s=%s accepted", bad[i][0], bad[i][1]);
        ck_assert_ptr_nonnull(strstr(err, bad[i][0]));
        ck_assert_msg(strstr(err, bad[i][1]) != NULL, "'%s'", err);
    }
    ck_assert_int_eq(s.servers, 1);
    ck_assert_int_eq(s.replicas, 1);
    ck_assert_int_eq(s.capacity, 0);
    ck_assert_int_eq(s.blocking, 1);
    ck_assert_double_eq_tol(s.service.mean, 1.0, 1e-12);
    mdl_service_set(&s, "servers", "-2", NULL, err, sizeof err);
    ck_assert_str_eq(err, "servers must be a positive integer, found '-2'");
    mdl_dist_destroy(&s.service);
}
END_TEST

START_TEST(test_service_set_bounds_every_count)
{
    static const struct {
        const char *key, *ok, *bad, *msg;
    } b[] = {
        { "servers", "100000", "100001",
          "servers must be at most 100000, found '100001'" },
        { "replicas", "10000", "1e7",
          "replicas must be at most 10000, found '1e7'" },
        { "capacity", "1000000", "1e300",
          "capacity must be at most 1000000, found '1e300'" },
        { "servers", "2", "inf",
          "servers must be a positive integer, found 'inf'" },
        { "replicas", "2", "nan",
          "replicas must be a positive integer, found 'nan'" },
    };
    mdl_service s;
    char err[256];
    size_t i;

    service_defaults(&s);
    for (i = 0; i < sizeof b / sizeof b[0]; i++) {
        ck_assert_int_eq(mdl_service_set(&s, b[i].key, b[i].ok, NULL, err,
                                         sizeof err), SIM_OK);
        ck_assert_int_eq(mdl_service_set(&s, b[i].key, b[i].bad, NULL, err,
                                         sizeof err), SIM_EPARSE);
        ck_assert_str_eq(err, b[i].msg);
    }
    ck_assert_int_eq(s.servers, 2);
    ck_assert_int_eq(s.replicas, 2);
    ck_assert_int_eq(s.capacity, 1000000);
    mdl_dist_destroy(&s.service);
}
END_TEST

START_TEST(test_replicas_of_all_services_are_bounded)
{
    /* 101 services of 10,000 replicas each: 1,010,000 in all. */
    char dir[512], path[600];
    mdl_topology *t = NULL;
    sim_diag d;
    FILE *f;
    int i;

    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    snprintf(path, sizeof path, "%s/wide.gml", dir);
    ck_assert_ptr_nonnull(f = fopen(path, "w"));
    fputs("graph [\n  directed 1\n", f);
    for (i = 0; i < 101; i++)
        fprintf(f, "  node [ id %d label \"s%d\" replicas 10000 ]\n", i, i);
    fputs("]\n", f);
    fclose(f);
    ck_assert_int_eq(mdl_topology_load(&t, path, &d), SIM_EPARSE);
    ck_assert_int_eq(d.line, 103);
    ck_assert_str_eq(d.msg, "service 's100': the replicas of all services "
                            "add up to more than 1000000");
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_service_set_unknown_key_hints)
{
    mdl_service s;
    char err[256];

    service_defaults(&s);
    ck_assert_int_eq(mdl_service_set(&s, "servrs", "2", NULL, err,
                                     sizeof err), SIM_EPARSE);
    ck_assert_str_eq(err, "unknown attribute 'servrs'; "
                          "did you mean 'servers'?");
    ck_assert_int_eq(mdl_service_set(&s, "colour", "red", NULL, err,
                                     sizeof err), SIM_EPARSE);
    ck_assert_str_eq(err, "unknown attribute 'colour'");
    mdl_dist_destroy(&s.service);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_check_sees_overrides)
{
    mdl_topology *t = load_ok("tests/data/shop.gml");
    sim_diag d;
    char err[256];

    ck_assert_int_eq(mdl_topology_check(t, &d), SIM_OK);
    /* gateway has capacity 64; 65 servers no longer fit. */
    ck_assert_int_eq(mdl_service_set(&t->services[0], "servers", "65", NULL,
                                     err, sizeof err), SIM_OK);
    ck_assert_int_eq(mdl_topology_check(t, &d), SIM_EPARSE);
    ck_assert_int_eq(d.line, 6);
    ck_assert_ptr_nonnull(strstr(d.msg, "capacity"));
    ck_assert_int_eq(mdl_service_set(&t->services[0], "servers", "64", NULL,
                                     err, sizeof err), SIM_OK);
    ck_assert_int_eq(mdl_topology_check(t, &d), SIM_OK);
    /* payments forwards 0.25 to itself; 0.75 more is still exactly 1. */
    t->edges[3].p = 1.0;
    ck_assert_int_eq(mdl_topology_check(t, &d), SIM_OK);
    t->edges[3].p = 1.000001;
    ck_assert_int_eq(mdl_topology_check(t, &d), SIM_EPARSE);
    ck_assert_int_eq(d.line, 27);
    ck_assert_str_eq(d.msg, "forward probabilities out of 'payments' sum "
                            "to 1.000001 (> 1)");
    mdl_topology_free(t);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_find_returns_index_or_minus_one)
{
    mdl_topology *t = load_ok("tests/data/shop.gml");

    ck_assert_int_eq(mdl_topology_find(t, "gateway"), 0);
    ck_assert_int_eq(mdl_topology_find(t, "payments"), 3);
    ck_assert_int_eq(mdl_topology_find(t, "Payments"), -1);
    ck_assert_int_eq(mdl_topology_find(t, ""), -1);
    mdl_topology_free(t);
}
END_TEST

/* Every name of a topology whose file order is not name order is found
 * at its index; a name one character short or long of one is not. */
START_TEST(test_find_every_name)
{
    static const char *const files[] = {
        "topologies/social_network.gml", "tests/data/one.gml"
    };
    char name[300];
    size_t f, i;

    for (f = 0; f < sizeof files / sizeof files[0]; f++) {
        mdl_topology *t = load_ok(files[f]);

        for (i = 0; i < t->nservices; i++) {
            size_t len = strlen(t->services[i].name);

            ck_assert_int_eq(mdl_topology_find(t, t->services[i].name),
                             (int)i);
            snprintf(name, sizeof name, "%s~", t->services[i].name);
            ck_assert_int_eq(mdl_topology_find(t, name), -1);
            snprintf(name, sizeof name, "%.*s", (int)len - 1,
                     t->services[i].name);
            if (mdl_topology_find(t, name) >= 0)
                ck_assert_str_eq(t->services[mdl_topology_find(t, name)].name,
                                 name);
        }
        ck_assert_int_eq(mdl_topology_find(t, ""), -1);
        ck_assert_int_eq(mdl_topology_find(t, "~"), -1);
        mdl_topology_free(t);
    }
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_types_reads_names_between_spaces_and_commas)
{
    const char *cur = " browse,checkout ,, search ", *w;
    size_t len;

    ck_assert_int_eq(mdl_edge_types_next(&cur, &w, &len), 1);
    ck_assert_int_eq((int)len, 6);
    ck_assert_int_eq(strncmp(w, "browse", len), 0);
    ck_assert_int_eq(mdl_edge_types_next(&cur, &w, &len), 1);
    ck_assert_int_eq(strncmp(w, "checkout", len), 0);
    ck_assert_int_eq(mdl_edge_types_next(&cur, &w, &len), 1);
    ck_assert_int_eq(strncmp(w, "search", len), 0);
    ck_assert_int_eq((int)len, 6);
    ck_assert_int_eq(mdl_edge_types_next(&cur, &w, &len), 0);
    ck_assert_int_eq(mdl_edge_types_next(&cur, &w, &len), 0);
    cur = NULL;
    ck_assert_int_eq(mdl_edge_types_next(&cur, &w, &len), 0);
    cur = " , ";
    ck_assert_int_eq(mdl_edge_types_next(&cur, &w, &len), 0);
}
END_TEST

START_TEST(test_types_names_whole_words_only)
{
    mdl_edge e = { .types = (char *)"browse, checkout" };

    ck_assert(mdl_edge_names_type(&e, "browse"));
    ck_assert(mdl_edge_names_type(&e, "checkout"));
    ck_assert(!mdl_edge_names_type(&e, "brows"));
    ck_assert(!mdl_edge_names_type(&e, "checkouts"));
    ck_assert(!mdl_edge_names_type(&e, ""));
    e.types = NULL;
    ck_assert(!mdl_edge_names_type(&e, "browse"));
}
END_TEST

/* A types list of separators alone names no class; an empty string is
 * how igraph writes a missing attribute, so it means "all classes". */
START_TEST(test_types_must_name_a_class)
{
    static const char *const bad[] = { " ", ",", " , ," };
    char dir[512], path[600];
    mdl_topology *t = NULL;
    sim_diag d;
    size_t i;

    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    snprintf(path, sizeof path, "%s/types.gml", dir);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512], want[256];

        snprintf(text, sizeof text, "graph [ directed 1\n"
                 "  node [ id 0 label \"a\" ]\n"
                 "  node [ id 1 label \"b\" ]\n"
                 "  edge [ source 0 target 1 types \"%s\" ]\n]\n",
                 bad[i]);
        tst_write(dir, "types.gml", text);
        ck_assert_int_eq(mdl_topology_load(&t, path, &d), SIM_EPARSE);
        ck_assert_int_eq(d.line, 4);
        snprintf(want, sizeof want, "edge 'a' -> 'b': types must name at "
                 "least one request class, found '%s'", bad[i]);
        ck_assert_str_eq(d.msg, want);
    }
    tst_write(dir, "types.gml", "graph [ directed 1\n"
              "  node [ id 0 label \"a\" ]\n"
              "  node [ id 1 label \"b\" ]\n"
              "  edge [ source 0 target 1 types \"\" ]\n]\n");
    ck_assert_int_eq(mdl_topology_load(&t, path, &d), SIM_OK);
    ck_assert_ptr_null(t->edges[0].types);
    mdl_topology_free(t);
    tst_rm_tree(dir);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_topology");
    TCase *tc;
    int nbad = (int)(sizeof bad_cases / sizeof bad_cases[0]);

    tc = tcase_create("defaults");
    tcase_add_test(tc, test_defaults_fill_a_bare_service);
    tcase_add_test(tc, test_defaults_fill_unset_attributes);
    suite_add_tcase(s, tc);

    tc = tcase_create("formats");
    tcase_add_test(tc, test_gml_reads_every_attribute);
    tcase_add_test(tc, test_graphml_reads_the_same_graph);
    tcase_add_test(tc, test_gml_and_graphml_load_identically);
    tcase_add_test(tc, test_graphml_names_come_from_name_key_then_id);
    tcase_add_test(tc, test_graphml_boolean_without_data_keeps_default);
    tcase_add_test(tc, test_graphml_counts_only_real_elements);
    tcase_add_test(tc, test_gml_lines_come_from_the_nodes_own_labels);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_error_names_file_line_key_and_value, 0,
                        nbad);
    tcase_add_loop_test(tc,
                        test_error_messages_are_lower_case_without_full_stop,
                        0, nbad);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_test(tc, test_missing_file_names_it);
    tcase_add_test(tc, test_unknown_extension_is_an_error);
    tcase_add_test(tc, test_topology_must_be_a_regular_file);
    tcase_add_test(tc, test_free_null_is_a_no_op);
    suite_add_tcase(s, tc);

    tc = tcase_create("service_set");
    tcase_add_test(tc, test_service_set_accepts_valid_values);
    tcase_add_test(tc, test_service_set_rejects_bad_values_unchanged);
    tcase_add_test(tc, test_service_set_unknown_key_hints);
    tcase_add_test(tc, test_service_set_bounds_every_count);
    tcase_add_test(tc, test_replicas_of_all_services_are_bounded);
    suite_add_tcase(s, tc);

    tc = tcase_create("check");
    tcase_add_test(tc, test_check_sees_overrides);
    suite_add_tcase(s, tc);

    tc = tcase_create("types");
    tcase_add_test(tc, test_types_reads_names_between_spaces_and_commas);
    tcase_add_test(tc, test_types_names_whole_words_only);
    tcase_add_test(tc, test_types_must_name_a_class);
    suite_add_tcase(s, tc);

    tc = tcase_create("find");
    tcase_add_test(tc, test_find_returns_index_or_minus_one);
    tcase_add_test(tc, test_find_every_name);
    suite_add_tcase(s, tc);

    return s;
}

int main(void) { return tst_run(make_suite); }
