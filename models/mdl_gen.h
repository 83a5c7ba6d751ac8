/*
 * mdl_gen.h - synthetic service graphs for `qmesh gen`: a kind, a number
 * of services, a seed and parameters in, an in-memory description of the
 * services and their call edges out. Nothing here touches a file; the
 * writer is analysis/ana_gen.h.
 *
 * Kinds: chain, tree, layered, alibaba and meta (docs/gen.md tells each
 * one's model, parameters and sources). Whatever the kind:
 *   - services are numbered in a topological order: every edge goes from
 *     a lower index to a higher one, so the graph has no cycle;
 *   - services 0..nentry-1 are the entry services (no callers); every
 *     other service has a caller, so every service is reached from an
 *     entry service;
 *   - edges are sorted by caller, then callee, with no duplicate.
 * The same parameters and seed give the same graph on every machine: the
 * random streams are GSL's mt19937, and every drawn number that the files
 * show goes through a fixed rounding (integers, whole microseconds).
 *
 * Units: times in s unless a name says otherwise.
 */
#ifndef MDL_GEN_H
#define MDL_GEN_H
#include <stddef.h>
#include <stdint.h>

typedef enum mdl_gen_kind {
    MDL_GEN_CHAIN, MDL_GEN_TREE, MDL_GEN_LAYERED, MDL_GEN_ALIBABA,
    MDL_GEN_META
} mdl_gen_kind;
#define MDL_GEN_NKINDS 5

/* Most services a graph may have: the files of 10^6 services already
 * take about a gigabyte. */
#define MDL_GEN_N_MAX 1000000

/* A positive heavy-tailed quantity given by its median, 90th and 99th
 * percentiles: a lognormal whose sigma is ln(p90/median)/z_0.9 up to the
 * 90th percentile and ln(p99/p90)/(z_0.99 - z_0.9) above it, so that it
 * has all three quantiles (mdl_gen.c, "Degrees"). */
typedef struct mdl_gen_q3 {
    double median, p90, p99;
} mdl_gen_q3;

/* Every parameter; mdl_gen_params_init() fills in the kind's defaults,
 * mdl_gen_set() changes one by name. */
typedef struct mdl_gen_params {
    mdl_gen_kind kind;
    long n;                 /* services, ingress not counted */
    uint64_t seed;
    char name[64];          /* the files' base name and the scenario's */
    /* the scenario */
    double load;            /* utilization of the busiest service, (0, 1) */
    long requests;          /* expected requests per replication; < 0:
                               auto (ana_gen.h) */
    long replications;
    /* calls */
    double calls;           /* expected calls per visit; 0: every edge */
    long stages;            /* a service's calls in this many stages */
    int publish;            /* edges are publish, not call */
    int blocking;           /* services hold a worker through calls */
    /* local work and workers */
    double work_median;     /* median over services of the mean work (s) */
    double work_sigma;      /* sigma of its logarithm */
    double cv;              /* of each service's own work */
    mdl_gen_q3 instances;   /* instances per service */
    double instances_max;
    double per_server;      /* instances per simulated worker */
    int provision;          /* most workers to the most loaded services */
    /* shape */
    long fanout;            /* tree: calls per service */
    long layers;            /* layered */
    double skip;            /* layered: share of calls past the next layer */
    mdl_gen_q3 out, in;     /* fan-out, fan-in (services with callees,
                               with callers) */
    double entry;           /* alibaba, meta: share of entry services */
    double leaf;            /* alibaba, meta: share of leaves; < 0: from
                               the balance of fan-out and fan-in */
    long depth;             /* alibaba, meta: services on the longest
                               call path, at most */
} mdl_gen_params;

/* One generated service. */
typedef struct mdl_gen_svc {
    long long work_us;      /* mean local work per visit (us), >= 1 */
    int servers;            /* workers, >= 1 */
    int level;              /* 0 for entry services; callers have lower
                               levels than their callees */
} mdl_gen_svc;

/* One call edge. */
typedef struct mdl_gen_edge {
    size_t from, to;        /* from < to */
    double p;               /* probability the call is made, (0, 1] */
    int stage;              /* >= 0 */
} mdl_gen_edge;

typedef struct mdl_gen_graph {
    /* read-only */
    size_t n;
    mdl_gen_svc *svc;       /* owned, n */
    size_t m;
    mdl_gen_edge *edge;     /* owned, m, sorted by (from, to) */
    size_t nentry;          /* services 0..nentry-1 take the requests */
    double leaf;            /* alibaba, meta: the share of leaves used */
    size_t trimmed;         /* alibaba, meta: drawn edge ends dropped to
                               balance fan-out against fan-in */
    size_t unmatched;       /* edge ends left without a partner */
    size_t forced;          /* edges added so that every service has a
                               caller and every caller a callee */
} mdl_gen_graph;

/* What a graph turned out to be. */
typedef struct mdl_gen_shape {
    size_t entries;         /* services without a caller */
    size_t leaves;          /* with a caller and no callee */
    size_t middles;         /* with both */
    size_t depth;           /* services on the longest call path */
    size_t max_out, max_in; /* largest fan-out and fan-in */
} mdl_gen_shape;

/* The kind called name ("meta"), or -1. */
int mdl_gen_kind_find(const char *name);
/* "meta" for MDL_GEN_META. */
const char *mdl_gen_kind_name(mdl_gen_kind k);
/* All kind names, for hints: MDL_GEN_NKINDS of them. */
const char *const *mdl_gen_kind_names(void);

/* The defaults of kind k for n services and seed (name "<kind><n>"). */
void mdl_gen_params_init(mdl_gen_params *p, mdl_gen_kind k, long n,
                         uint64_t seed);
/* Apply "NAME=VALUE". Returns 0, or -1 with a message in err: an unknown
 * name (with a hint), a name that does not apply to p->kind, or a value
 * out of range. */
int mdl_gen_set(mdl_gen_params *p, const char *assignment, char *err,
                size_t errlen);
/* Check what one value alone cannot tell (median <= p90 <= p99, layers
 * at most n...). Returns 0, or -1 with a message in err. */
int mdl_gen_check(const mdl_gen_params *p, char *err, size_t errlen);
/* The parameters of p's kind that differ from its defaults, as
 * " --set NAME=VALUE" words, into buf. Returns the length, as snprintf. */
int mdl_gen_params_text(const mdl_gen_params *p, char *buf, size_t n);

/* Generate. Returns SIM_OK, SIM_EPARSE for parameters that
 * mdl_gen_check() refuses, or SIM_ENOMEM; g is valid for
 * mdl_gen_destroy() either way. */
int mdl_gen_build(mdl_gen_graph *g, const mdl_gen_params *p);
/* x into buf as the shortest of %.15g, %.16g, %.17g that reads back as
 * x, so that generated files are short and exact. */
void mdl_gen_fmt_num(char *buf, size_t n, double x);
void mdl_gen_destroy(mdl_gen_graph *g);
/* The shape of g, in O(n + m). Returns SIM_OK or SIM_ENOMEM. */
int mdl_gen_shape_of(const mdl_gen_graph *g, mdl_gen_shape *s);

/* The value of the continuous quantity d at standard normal quantile z:
 * median * exp(sigma z), with the sigma of z's side of z_0.9. */
double mdl_gen_q3_at(const mdl_gen_q3 *d, double z);
/* The mean of round(X) clamped to [1, cap], X distributed as d. */
double mdl_gen_q3_mean(const mdl_gen_q3 *d, long cap);

#endif /* MDL_GEN_H */
