/*
 * mdl_topology.h - the service graph: services (vertices) and calls
 * (edges) read from GML or GraphML through igraph's readers and the C
 * attribute table, validated, with defaults filled in (DESIGN.md section 3).
 *
 * Vertex attributes: name (GraphML) or label (GML), servers, replicas,
 * service, post_service, capacity, discipline, blocking, kind, lb; the
 * discipline 'priority' and the kind 'broker' are refused as not
 * simulated yet, by the loader and by mdl_service_set(). Edge
 * attributes: kind, p, count, stage, protocol, types. Any other attribute is an error naming it
 * (igraph's own "id" is allowed). The topology owns all strings and
 * distributions in it.
 */
#ifndef MDL_TOPOLOGY_H
#define MDL_TOPOLOGY_H
#include <stddef.h>
#include <igraph.h>
#include "../sim/sim_err.h"
#include "mdl_dist.h"

/*
 * Bounds of the counts a topology (or a scenario's override) may give,
 * documented in docs/format.md. Each is far above any real deployment and
 * keeps memory, time and int arithmetic sane: a station's memory is not
 * proportional to its workers, but servers * replicas (1e9 at most) must
 * fit an int for the analytic formulas, and Erlang's recursion takes c
 * steps; the simulator keeps about 500 bytes per replica and 256 hash-ring
 * points, so a service of 10,000 replicas costs a few MB and 1,000,000
 * replicas in all about 500 MB; capacity is the length of the M/M/c/K
 * chain theory sums; count and stage number the calls and phases of one
 * visit, each simulated in turn.
 */
#define MDL_SERVERS_MAX 100000          /* workers per replica */
#define MDL_REPLICAS_MAX 10000          /* replicas of one service */
#define MDL_REPLICAS_TOTAL_MAX 1000000  /* replicas of all services */
#define MDL_CAPACITY_MAX 1000000        /* requests in one replica */
#define MDL_COUNT_MAX 10000             /* calls of one edge per visit */
#define MDL_STAGE_MAX 10000             /* stage number of an edge */

typedef enum { MDL_SVC_SERVICE, MDL_SVC_DELAY, MDL_SVC_BROKER } mdl_svc_kind;
typedef enum { MDL_DISC_FIFO, MDL_DISC_PS, MDL_DISC_PRIORITY } mdl_discipline;
typedef enum { MDL_EDGE_CALL, MDL_EDGE_FORWARD, MDL_EDGE_PUBLISH } mdl_edge_kind;
/* How a caller picks one of a service's replicas. */
typedef enum {
    MDL_LB_ROUND_ROBIN, MDL_LB_RANDOM, MDL_LB_LEAST, MDL_LB_P2C, MDL_LB_HASH
} mdl_lb;

/* A field that changes what a service does must also be refused by the
 * allow-list of exact models (analysis/ana_theory.c) unless one of them
 * includes it. */
typedef struct mdl_service {
    char *name;                 /* owned, unique */
    int servers;                /* workers per replica, >= 1 */
    int replicas;               /* >= 1 */
    mdl_dist service;           /* owned: local work before the calls */
    mdl_dist post_service;      /* owned: local work after the replies
                                   (det(0) unless set) */
    long capacity;              /* per replica, queue + in service; 0 = unlimited */
    mdl_discipline discipline;
    int blocking;               /* 0 or 1 */
    int deadline_check;         /* 0 or 1: drop work whose deadline has
                                   passed before it starts */
    mdl_svc_kind kind;
    mdl_lb lb;                  /* replica choice: round_robin (default),
                                   random, least (fewest outstanding), p2c
                                   (power of two choices), hash (request key) */
    int line;                   /* line of its definition in the file, 0 if unknown */
} mdl_service;

typedef struct mdl_edge {
    int from, to;               /* service indices */
    mdl_edge_kind kind;
    double p;                   /* in [0, 1] */
    int count;                  /* >= 1 */
    int stage;                  /* >= 0 */
    char *protocol;             /* owned: "none", "http1", "http2", "grpc",
                                   "graphql", "amqp", "kafka" */
    char *types;                /* owned: request classes this edge applies
                                   to, separated by spaces or commas; NULL
                                   for all */
    int line;                   /* line of its definition in the file, 0 if
                                   unknown */
} mdl_edge;

typedef struct mdl_topology {
    igraph_t graph;             /* read-only: vertex i is services[i] */
    size_t nservices;
    mdl_service *services;      /* owned, nservices */
    size_t nedges;
    mdl_edge *edges;            /* owned, nedges, igraph edge order */
    char *path;                 /* owned: the file it was read from */
    size_t *by_name;            /* owned: service indices sorted by name,
                                   for mdl_topology_find() */
} mdl_topology;

/* Read path (GML if it ends in .gml, GraphML if .graphml or .xml).
 * Returns SIM_OK with *out owned by the caller, SIM_EPARSE with d naming
 * the file (and line where known) and the attribute, or SIM_ENOMEM.
 * Checks: unique non-empty names, valid attribute values, forward
 * probabilities out of each service summing to at most 1. */
int mdl_topology_load(mdl_topology **out, const char *path, sim_diag *d);
void mdl_topology_free(mdl_topology *t);
/* Index of the service called name, or -1. */
int mdl_topology_find(const mdl_topology *t, const char *name);
/* Set one vertex attribute of s from its text form (as written in a
 * scenario's services: block). base_dir resolves empirical files. Returns
 * SIM_OK, or SIM_EPARSE with a message in err ("unknown attribute ..." with
 * a did-you-mean hint, or "servers must be a positive integer, found
 * '-2'"). */
int mdl_service_set(mdl_service *s, const char *key, const char *value,
                    const char *base_dir, char *err, size_t errlen);
/* The request classes of an edge's `types` text, one at a time: the
 * next name at or after *cursor into *word (not NUL-terminated) and *len,
 * *cursor moved past it. Names are separated by spaces or commas. Returns
 * 1, or 0 at the end (at once when *cursor is NULL: no types list). */
int mdl_edge_types_next(const char **cursor, const char **word,
                        size_t *len);
/* Does the `types` list of e name the request class name? 0 when e has
 * no list (it then carries every class). */
int mdl_edge_names_type(const mdl_edge *e, const char *name);
/* Check the rules between attributes again (after overrides): capacity at
 * least servers, forward probabilities out of each service summing to at
 * most 1, at most MDL_REPLICAS_TOTAL_MAX replicas in all. */
int mdl_topology_check(const mdl_topology *t, sim_diag *d);
/* A request that comes back to a service waiting on its calls would wait
 * on itself: reject every cycle of call and forward edges (p > 0) that
 * holds a call edge. Returns SIM_OK, SIM_EPARSE with d naming the line of
 * the first caller on the cycle and the cycle itself ("a -> b => a": ->
 * a call, => a forward), or SIM_ENOMEM. Forward-only loops (Jackson
 * feedback) and publish edges (nobody waits) are fine. */
int mdl_topology_check_cycles(const mdl_topology *t, sim_diag *d);

#endif /* MDL_TOPOLOGY_H */
