/*
 * ana_graph.h - the structure of a topology, without simulating it: what
 * `qmesh graph` prints (DESIGN.md section 5).
 *
 * Per service: degrees, betweenness centrality (igraph), call depth,
 * fan-out, the expected latency of one call to it when nothing queues,
 * and its blast radius (the entry points whose requests can reach it).
 * Per entry point: the critical path by expected latency. Synchronous
 * calls around a cycle are an input error, as in the simulator: they
 * would deadlock.
 *
 * Terms
 *   entry point   a service with no incoming call or forward edge;
 *                 requests start there. One that receives publishes only
 *                 is an entry point too: each publish starts a flow of
 *                 its own there (event processing, as in the simulator).
 *   local work    service.mean + post_service.mean of one visit (s).
 *   latency R(v)  the expected time a call to v takes, the forward chain
 *                 after v included, with mean service times and no
 *                 queueing: local work, plus per stage the largest
 *                 p * count * R over its call edges (fork-join), stages
 *                 added, plus p * R over its forward edges. Publishes
 *                 cost nothing (nobody waits). See ana_graph.c.
 *
 * Units: times in s. Service and entry indices are the topology's.
 * The result owns its arrays; the topology is only borrowed.
 */
#ifndef ANA_GRAPH_H
#define ANA_GRAPH_H
#include <stddef.h>
#include "../models/mdl_topology.h"

/* The numbers of one service. When edges have `types` lists, depth,
 * fan-out, widest stage and latency are those of the request type that
 * gives the largest value (each type follows only the edges that carry
 * it); degrees, betweenness and blast radius count every edge. */
typedef struct ana_graph_svc {
    int in_calls, out_calls;    /* read-only: call edges in and out */
    int in_all, out_all;        /* read-only: edges of every kind */
    double betweenness;         /* read-only: directed, unweighted, over
                                   edges of every kind */
    int depth;                  /* read-only: longest chain of call edges
                                   below it (0 for a service that calls
                                   nothing) */
    double fanout;              /* read-only: expected calls per visit,
                                   the sum of p * count over its call
                                   edges */
    int widest;                 /* read-only: most call edges in one
                                   stage (calls sent in parallel) */
    int widest_stage;           /* read-only: that stage, the lowest on a
                                   tie; -1 when it makes no calls */
    double local;               /* read-only: local work per visit (s) */
    double latency;             /* read-only: R(v) (s); INFINITY when a
                                   forward loop never lets go */
    size_t nblast;              /* read-only: entry points reaching it */
    int *blast;                 /* owned: those entry points, ascending */
} ana_graph_svc;

/* The critical path from one entry point for one request type: starting
 * there, each step follows the call or forward edge carrying the type
 * that adds the most to the latency (p * count * R for a call, p * R for
 * a forward; the lowest edge index on a tie) until a service with none,
 * or one already on the path. */
typedef struct ana_graph_path {
    int entry;                  /* read-only: service index */
    const char *type;           /* read-only: borrowed from types[]; NULL
                                   for every request (the entry point
                                   reaches no edge with a types list) */
    double latency;             /* read-only: R(entry) for the type (s) */
    size_t len;                 /* read-only: services on the path, >= 1 */
    int *svc;                   /* owned: len service indices, entry first */
    int *edge;                  /* owned: len edge indices, edge[i] leads
                                   to svc[i]; edge[0] is -1 */
} ana_graph_path;

typedef struct ana_graph {
    size_t n;                   /* read-only: services */
    ana_graph_svc *svc;         /* owned: n */
    size_t nentries;            /* read-only */
    int *entries;               /* owned: entry points, ascending */
    size_t ntypes;              /* read-only */
    char **types;               /* owned: request types named by edges,
                                   in order of first appearance */
    size_t npaths;              /* read-only */
    ana_graph_path *paths;      /* owned: by entry point, then type in
                                   types[] order, the untyped path last */
    int ncall, nforward, npublish;  /* read-only: edges of each kind */
    size_t bc_sources;          /* read-only: 0 when betweenness is exact;
                                   else it is estimated from the shortest
                                   paths out of this many sampled
                                   services (large topologies, see
                                   ANA_GRAPH_BC_WORK) */
} ana_graph;

/* Exact betweenness costs a breadth-first search from every service,
 * about services * (services + edges) steps. Above this many, it is
 * estimated from k services drawn at random without replacement (seed
 * fixed: same topology, same output), with k * (services + edges) about
 * this many steps: each service's sum over the sampled sources, times
 * services / k (Brandes and Pich, "Centrality estimation in large
 * networks", 2007), an unbiased estimate. */
#define ANA_GRAPH_BC_WORK 2.5e7

/* Analyse t into g (storage provided by the caller). Returns SIM_OK;
 * SIM_EPARSE when synchronous calls form a cycle, with d naming t's file,
 * the line of the first service on the cycle and every service on it
 * ("a -> b -> a"); or SIM_ENOMEM. On failure g holds nothing to free,
 * and ana_graph_destroy() on it is still safe. */
int ana_graph_init(ana_graph *g, const mdl_topology *t, sim_diag *d);
/* As ana_graph_init() with another bound than ANA_GRAPH_BC_WORK on the
 * betweenness work: for tests. */
int ana__graph_init_work(ana_graph *g, const mdl_topology *t,
                         double bc_work, sim_diag *d);
void ana_graph_destroy(ana_graph *g);

/* Write t as a Graphviz digraph to path: one node per service labelled
 * with its name, servers and replicas; call edges solid, forward dashed,
 * publish dotted, labelled with p, count and stage where not 1, 1, 0.
 * Written to a temporary file beside path and renamed, so path is either
 * the old file or the whole new one; "-" is standard output. Returns
 * SIM_OK; SIM_EPARSE with d when path is not a regular file (a link, a
 * FIFO, a device); or SIM_EIO with d naming the file and the system's
 * reason. */
int ana_graph_write_dot(const mdl_topology *t, const char *path,
                        sim_diag *d);

#endif /* ANA_GRAPH_H */
