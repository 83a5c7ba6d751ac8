/*
 * mdl_scenario_int.h - shared by the files of the scenario loader and by
 * nothing else: the loading context, the YAML layer (mdl_yaml.c), the
 * overrides (mdl_scenario_override.c) and the blocks read outside
 * mdl_scenario.c (mdl_scenario_workload.c, mdl_scenario_calls.c).
 *
 * Every reader takes the context c; an error is reported into c->d, with
 * the file, line and column of the node at fault (or the override that
 * made it), and the reader returns SIM_EPARSE. Nodes belong to c->doc
 * and live until the load ends.
 */
#ifndef MDL_SCENARIO_INT_H
#define MDL_SCENARIO_INT_H
#include <stddef.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "mdl_dist.h"
#include "mdl_scenario.h"

/* A node that a --set override added or changed. */
typedef struct override {
    int node;               /* node index (1-based, as libyaml counts) */
    const char *text;       /* the --set argument, borrowed */
} override;

/* The state of one load: the YAML tree, the overrides applied to it, where
 * errors go, and the scenario being built. */
typedef struct ctx {
    yaml_document_t doc;
    const char *path;
    override *ovr;
    size_t novr;
    sim_diag *d;
    mdl_scenario *s;
} ctx;

#define NKEYS(a) (sizeof(a) / sizeof(a)[0])

/* ---- the YAML layer (mdl_yaml.c) ---- */

/* Parse text (len bytes) into c->doc: one document, nested at most 64
 * deep. Returns SIM_OK, SIM_EPARSE with c->d filled, or SIM_ENOMEM. */
int mdl__yaml_parse(ctx *c, const char *text, size_t len);

/* Report an error at node n, shifted by extra columns (for a position
 * inside a scalar); at no position when n is NULL. Returns SIM_EPARSE. */
int mdl__yaml_err(ctx *c, const yaml_node_t *n, int extra, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));
/* "a mapping", "a list" or "a value", for messages. */
const char *mdl__yaml_kind(const yaml_node_t *n);
/* The text of scalar node n. */
const char *mdl__yaml_scalar(const yaml_node_t *n);
/* Text of a scalar value for key, or NULL after reporting the error. */
const char *mdl__yaml_want_scalar(ctx *c, const yaml_node_t *n,
                                  const char *key);
/* Column offset of a scalar's first character past its opening quote. */
int mdl__yaml_quote_shift(const yaml_node_t *n);

/* What mdl__yaml_each_pair() calls on each pair: key is the text of key
 * node k, v the value node, arg the caller's. */
typedef int (*pair_fn)(ctx *c, const char *key, yaml_node_t *k,
                       yaml_node_t *v, void *arg);

/*
 * Walk the pairs of mapping m, described by where in messages (a key
 * that is not a name, or given twice, is an error), calling fn on each.
 */
int mdl__yaml_each_pair(ctx *c, yaml_node_t *m, const char *where,
                        pair_fn fn, void *arg);

/*
 * A mapping with fixed keys is described by a table, one descriptor per
 * key: its name, the type of its value with its bounds, and where the
 * value goes in the mapping's target (a struct the reader passes in).
 * mdl__yaml_walk() reads the mapping by its table: an unknown key is an
 * error with the closest known key suggested, a value of the wrong type or
 * out of bounds an error at the value. Keys whose meaning depends on the others
 * (a workload's entry and mix) keep their node, for the reader to check
 * once the whole mapping is known.
 */
typedef enum {
    KEY_NODE,           /* the value's node, into a yaml_node_t * */
    KEY_TIME,           /* a time in s, at most hi and at least lo, or
                           above lo when lo_open, into a double */
    KEY_LONG,           /* an integer in [lo, hi], into a long */
    KEY_UNSIGNED,       /* an integer in [lo, hi], into an unsigned */
    KEY_SEED,           /* a non-negative integer, into a uint64_t */
    KEY_LEVEL,          /* a number in (lo, hi), ends excluded, into a
                           double */
    KEY_NUMBER,         /* a number at most hi and at least lo, or
                           above lo when lo_open, into a double */
    KEY_SET             /* read by set(), given the target */
} key_type;

typedef struct key_desc {
    const char *name;
    key_type type;
    double lo, hi;
    int lo_open;
    size_t off;         /* of the field in the target */
    pair_fn set;        /* KEY_SET */
} key_desc;

typedef struct map_desc {
    const char *noun;   /* what an unknown key is called: "key" */
    const key_desc *keys;
    size_t nkeys;
} map_desc;

#define MAP(noun, keys) { (noun), (keys), NKEYS(keys) }
#define KEYS_MAX 16     /* the longest table */

/* Read the value node v as descriptor kd says (any type but KEY_SET)
 * into target + kd->off. */
int mdl__yaml_read_value(ctx *c, const key_desc *kd, yaml_node_t *v,
                         void *target);
/* Read mapping m by its table md into target; where names it in
 * messages. */
int mdl__yaml_walk(ctx *c, yaml_node_t *m, const char *where,
                   const map_desc *md, void *target);
/* The key node (want_key) or the value node of key in mapping m, or
 * NULL. */
yaml_node_t *mdl__yaml_find(ctx *c, yaml_node_t *m, const char *key,
                            int want_key);
/* The value node of key in mapping m, or NULL. */
yaml_node_t *mdl__yaml_lookup(ctx *c, yaml_node_t *m, const char *key);
/* Read v, the value of key, as an integer in [min, max] into *out. */
int mdl__yaml_parse_long(ctx *c, yaml_node_t *v, const char *key, long min,
                         long max, long *out);
/* Read v, the value of key, as a distribution into *out (owned by the
 * caller); empirical files are relative to the scenario's folder. */
int mdl__yaml_parse_dist(ctx *c, yaml_node_t *v, const char *key,
                         mdl_dist *out);
/* Check a name given at node v (mdl_name.h); what names it in messages;
 * file: it names a folder. */
int mdl__yaml_check_name(ctx *c, yaml_node_t *v, const char *what,
                         const char *name, int file);

/* ---- overrides (mdl_scenario_override.c) ---- */

/* Apply one --set argument text ("a.b.c=value") to c->doc; text is kept
 * (borrowed) until the load ends. Returns SIM_OK, SIM_EPARSE with c->d
 * filled, or SIM_ENOMEM. */
int mdl__scenario_override_apply(ctx *c, const char *text);
/* The --set argument that touched node n, or NULL. */
const char *mdl__scenario_override_find(ctx *c, const yaml_node_t *n);

/* ---- the blocks (mdl_scenario.c, _workload.c, _calls.c) ---- */

/* Report name, used as described by where ("in 'services'"), as an
 * unknown service at node n, extra columns into it, with the closest
 * service of the topology suggested. Returns SIM_EPARSE or SIM_ENOMEM. */
int mdl__scenario_unknown_service(ctx *c, yaml_node_t *n, int extra,
                                  const char *name, const char *where);
/* Read the `workload:` value v into c->s's workloads and classes. */
int mdl__scenario_workload_read(ctx *c, yaml_node_t *v);
/* Check that every class an edge's `types` names is a class of c->s. */
int mdl__scenario_workload_check_types(ctx *c);
/* Read the `calls:` mapping v into c->s->calls. */
int mdl__scenario_calls_read(ctx *c, yaml_node_t *v);
/* The call edge that key (text of node k) names, "a->b" or "a->b#K",
 * into *edge; what names the key in messages ("calls", "edge"). */
int mdl__scenario_call_edge(ctx *c, yaml_node_t *k, const char *key,
                            const char *what, size_t *edge);
/* Is key a server-side pattern of `services:` (its value a mapping)? */
int mdl__scenario_service_pattern(const char *key);
/* The pattern key closest to key, or NULL. */
const char *mdl__scenario_service_pattern_hint(const char *key);
/* Read pattern key (node k, value v) of service svc into c->s->svc_policy
 * (mdl_scenario_services.c). */
int mdl__scenario_service_pattern_read(ctx *c, int svc, const char *key,
                                       yaml_node_t *k, yaml_node_t *v);
/* Read the `failures:` list v into c->s->failures. */
int mdl__scenario_failures_read(ctx *c, yaml_node_t *v);
/* Read the `sweep:` mapping v into c->s->axes and c->s->plot
 * (mdl_scenario_sweep.c). */
int mdl__scenario_sweep_read(ctx *c, yaml_node_t *v);

#endif /* MDL_SCENARIO_INT_H */
