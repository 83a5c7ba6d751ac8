/*
 * mdl_scenario_failures.c - the `failures:` block of a scenario: a list
 * of failures injected over a window of simulated time (DESIGN.md
 * section 4): `slow` (a service's work takes factor times as long),
 * `error` (a service does the work, then answers with an error, with
 * probability p), `partition` (calls on a call edge fail at once, as a
 * connection failure does), `crash` (replicas refuse and drop what they
 * hold), `hang` (replicas accept and never answer) and `updown`
 * (replicas crash and recover by turns, after times drawn from `mttf`
 * and `mttr`). mdl_failure.c simulates them.
 *
 * A window is `at` (s from the start of a replication, warm-up
 * included) and `for` (its length); without `for` it lasts to the end,
 * without either the whole run; `for` alone is an error.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "mdl_hint.h"
#include "mdl_scenario_int.h"

typedef struct fail_arg {
    yaml_node_t *service, *edge, *mode, *factor, *p, *replicas;
    yaml_node_t *at, *len, *mttf, *mttr;
} fail_arg;

#define FA(field) .off = offsetof(fail_arg, field)

static const key_desc fail_keys[] = {
    { "service", KEY_NODE, FA(service) },
    { "edge", KEY_NODE, FA(edge) },
    { "mode", KEY_NODE, FA(mode) },
    { "at", KEY_NODE, FA(at) },
    { "for", KEY_NODE, FA(len) },
    { "replicas", KEY_NODE, FA(replicas) },
    { "factor", KEY_NODE, FA(factor) },
    { "p", KEY_NODE, FA(p) },
    { "mttf", KEY_NODE, FA(mttf) },
    { "mttr", KEY_NODE, FA(mttr) },
};
static const map_desc fail_map = MAP("failure key", fail_keys);

static const char *const modes[] = {
    "slow", "error", "partition", "crash", "hang", "updown"
};

const char *mdl_fail_mode_name(mdl_fail_mode m)
{
    return (size_t)m < sizeof modes / sizeof *modes ? modes[m] : "?";
}

/* A time at node v, into *x: at (>= 0) or, when positive, for (> 0). */
static int read_time(ctx *c, yaml_node_t *v, int positive, double *x)
{
    static const key_desc at_desc = { "at", KEY_TIME, 0, MDL_TIME_MAX, 0,
                                      .off = 0 };
    static const key_desc for_desc = { "for", KEY_TIME, 0, MDL_TIME_MAX, 1,
                                       .off = 0 };

    return mdl__yaml_read_value(c, positive ? &for_desc : &at_desc, v, x);
}

/* Keys that the mode does not take are errors, not ignored. */
static int only_for(ctx *c, yaml_node_t *n, const char *key,
                    const char *mode, const char *modes_ok)
{
    if (!n)
        return SIM_OK;
    return mdl__yaml_err(c, n, 0, "'%s' applies to failures of mode %s, "
                         "not '%s'", key, modes_ok, mode);
}

/* An updown's times to failure and to repair: distributions with a
 * positive mean, or the replicas would flip in zero time. */
static int read_updown(ctx *c, yaml_node_t *n, const fail_arg *a,
                       mdl_failure *f)
{
    yaml_node_t *v[2] = { a->mttf, a->mttr };
    mdl_dist *d[2] = { &f->mttf, &f->mttr };
    static const char *const key[2] = { "mttf", "mttr" };
    int i, rc;

    for (i = 0; i < 2; i++) {
        if (!v[i])
            return mdl__yaml_err(c, n, 0, "an updown failure needs '%s', a "
                                 "distribution such as \"exp(mean=%s)\"",
                                 key[i], i ? "5m" : "1h");
        if ((rc = mdl__yaml_parse_dist(c, v[i], key[i], d[i])) != SIM_OK)
            return rc;
        if (!(d[i]->mean > 0))
            return mdl__yaml_err(c, v[i], 0, "'%s' must have a positive "
                                 "mean", key[i]);
    }
    return SIM_OK;
}

static int read_failure(ctx *c, yaml_node_t *n)
{
    mdl_scenario *s = c->s;
    fail_arg a;
    mdl_failure f, *grown;
    const char *mode, *hint;
    size_t i;
    int rc;

    memset(&a, 0, sizeof a);
    memset(&f, 0, sizeof f);
    if ((rc = mdl__yaml_walk(c, n, "a failure", &fail_map, &a)) != SIM_OK)
        return rc;
    if (!a.mode)
        return mdl__yaml_err(c, n, 0, "failure has no 'mode' (slow, error, "
                             "partition, crash, hang or updown)");
    if (!(mode = mdl__yaml_want_scalar(c, a.mode, "mode")))
        return SIM_EPARSE;
    for (i = 0; i < NKEYS(modes) && strcmp(mode, modes[i]); i++)
        ;
    if (i == NKEYS(modes)) {
        hint = mdl_hint(mode, modes, NKEYS(modes));
        return mdl__yaml_err(c, a.mode, 0, "unknown failure mode '%s'%s%s%s",
                             mode, hint ? "; did you mean '" : "",
                             hint ? hint : "", hint ? "'?" : "");
    }
    f.mode = (mdl_fail_mode)i;
    f.line = mdl__scenario_override_find(c, n) ? 0
             : (int)n->start_mark.line + 1;
    f.service = -1;
    if (f.mode == MDL_FAIL_PARTITION) {
        const char *key;
        if (a.service)
            return mdl__yaml_err(c, a.service, 0, "a partition cuts an "
                                 "'edge', not a service");
        if (!a.edge)
            return mdl__yaml_err(c, n, 0, "a partition needs the 'edge' "
                                 "it cuts");
        if (!(key = mdl__yaml_want_scalar(c, a.edge, "edge")))
            return SIM_EPARSE;
        if ((rc = mdl__scenario_call_edge(c, a.edge, key, "edge", &f.edge))
            != SIM_OK)
            return rc;
        if ((rc = only_for(c, a.replicas, "replicas", mode, "slow, error, "
                           "crash, hang or updown")) != SIM_OK)
            return rc;
    } else {
        const char *name;
        if (a.edge)
            return mdl__yaml_err(c, a.edge, 0, "a failure of mode %s "
                                 "strikes a 'service', not an edge", mode);
        if (!a.service)
            return mdl__yaml_err(c, n, 0, "failure of mode %s needs its "
                                 "'service'", mode);
        if (!(name = mdl__yaml_want_scalar(c, a.service, "service")))
            return SIM_EPARSE;
        if ((f.service = mdl_topology_find(s->topo, name)) < 0)
            return mdl__scenario_unknown_service(c, a.service, 0, name,
                                                 "in 'failures'");
        if ((f.mode == MDL_FAIL_CRASH || f.mode == MDL_FAIL_HANG
             || f.mode == MDL_FAIL_UPDOWN)
            && s->svc_policy && s->svc_policy[f.service].autoscale.on)
            return mdl__yaml_err(c, a.mode, 0, "failure mode '%s' on "
                                 "service '%s', which autoscales, is not "
                                 "supported yet", mode, name);
        if (a.replicas) {
            long nrep = s->topo->services[f.service].replicas;
            if ((rc = mdl__yaml_parse_long(c, a.replicas, "replicas", 1,
                                           nrep, &f.replicas)) != SIM_OK)
                return rc;
        }
    }
    if ((rc = only_for(c, f.mode == MDL_FAIL_SLOW ? NULL : a.factor,
                       "factor", mode, "slow")) != SIM_OK
        || (rc = only_for(c, f.mode == MDL_FAIL_ERROR ? NULL : a.p, "p",
                          mode, "error")) != SIM_OK
        || (rc = only_for(c, f.mode == MDL_FAIL_UPDOWN ? NULL : a.mttf,
                          "mttf", mode, "updown")) != SIM_OK
        || (rc = only_for(c, f.mode == MDL_FAIL_UPDOWN ? NULL : a.mttr,
                          "mttr", mode, "updown")) != SIM_OK)
        return rc;
    if (f.mode == MDL_FAIL_SLOW) {
        static const key_desc factor_desc = { "factor", KEY_NUMBER, 0, 1e6,
                                              1, .off = 0 };
        if (!a.factor)
            return mdl__yaml_err(c, n, 0, "a slow-down needs its 'factor' "
                                 "(5: work takes 5 times as long)");
        if ((rc = mdl__yaml_read_value(c, &factor_desc, a.factor,
                                       &f.factor)) != SIM_OK)
            return rc;
    }
    f.p = 1;
    if (f.mode == MDL_FAIL_ERROR && a.p) {
        static const key_desc p_desc = { "p", KEY_NUMBER, 0, 1, 1, .off = 0 };
        if ((rc = mdl__yaml_read_value(c, &p_desc, a.p, &f.p)) != SIM_OK)
            return rc;
    }
    if (a.len && !a.at)
        return mdl__yaml_err(c, a.len, 0, "a failure window with 'for' "
                             "needs 'at', when it begins");
    f.at = 0;
    f.len = INFINITY;
    if (a.at && (rc = read_time(c, a.at, 0, &f.at)) != SIM_OK)
        return rc;
    if (a.len && (rc = read_time(c, a.len, 1, &f.len)) != SIM_OK)
        return rc;
    rc = f.mode == MDL_FAIL_UPDOWN ? read_updown(c, n, &a, &f) : SIM_OK;
    if (rc != SIM_OK || !(grown = realloc(s->failures, (s->nfailures + 1)
                                                       * sizeof *grown))) {
        mdl_dist_destroy(&f.mttf);
        mdl_dist_destroy(&f.mttr);
        return rc != SIM_OK ? rc : SIM_ENOMEM;
    }
    s->failures = grown;
    s->failures[s->nfailures++] = f;
    return SIM_OK;
}

int mdl__scenario_failures_read(ctx *c, yaml_node_t *v)
{
    yaml_node_item_t *it;
    int rc;

    if (v->type != YAML_SEQUENCE_NODE)
        return mdl__yaml_err(c, v, 0, "'failures' must be a list, found %s",
                             mdl__yaml_kind(v));
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++)
        if ((rc = read_failure(c, yaml_document_get_node(&c->doc, *it)))
            != SIM_OK)
            return rc;
    return SIM_OK;
}
