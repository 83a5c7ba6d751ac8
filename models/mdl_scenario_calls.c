/*
 * mdl_scenario_calls.c - the `calls:` block of a scenario: each key names
 * one call edge of the topology, each value its call policies.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "mdl_scenario_int.h"

/*
 * A key names a call edge as its metric scope does (mdl_net.h):
 * "caller->callee", or "caller->callee#K" for the K-th, from 0 in file
 * order, of the call edges between the two services. Names hold neither
 * "->" nor '#' (mdl_name.h), so a key splits one way only. Of the call
 * policies of DESIGN.md section 4, timeout and deadline are simulated;
 * the others are known keys, each refused as not simulated yet; any
 * other key is unknown.
 */
static int policy_later(ctx *c, const char *key, yaml_node_t *k,
                        yaml_node_t *v, void *arg)
{
    const mdl_call_policy *cp = arg;

    (void)v;
    return mdl__yaml_err(c, k, 0, "call policy '%s' in calls '%s' is not "
                         "supported yet", key, cp->key);
}

#define POL(field) .off = offsetof(mdl_call_policy, field)

static const key_desc policy_keys[] = {
    { "timeout", KEY_TIME, 0, MDL_TIME_MAX, 0, POL(timeout) },
    { "deadline", KEY_TIME, 0, MDL_TIME_MAX, 0, POL(deadline) },
    { "retry", KEY_SET, .set = policy_later },
    { "hedge", KEY_SET, .set = policy_later },
    { "breaker", KEY_SET, .set = policy_later },
    { "bulkhead", KEY_SET, .set = policy_later },
    { "fallback", KEY_SET, .set = policy_later },
};
static const map_desc policy_map = MAP("call policy key", policy_keys);

/* Write the names of the n call edges from a to b into buf: "a->b#0,
 * a->b#1", the middle ones left out when there are more than four. */
static void edge_names(char *buf, size_t size, const char *a, const char *b,
                       size_t n)
{
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < n && len < size; i++) {
        if (n > 4 && i == 2) {
            len += (size_t)snprintf(buf + len, size - len, ", ...");
            i = n - 1;
        }
        len += (size_t)snprintf(buf + len, size - len, "%s%s->%s#%zu",
                                i ? ", " : "", a, b, i);
    }
}

/* The call edge from service from to service to that key names, into
 * *out; hash is the '#' in key, or NULL. */
static int call_edge(ctx *c, yaml_node_t *k, const char *key, int from,
                     int to, const char *hash, size_t *out)
{
    const mdl_topology *t = c->s->topo;
    const char *a = t->services[from].name, *b = t->services[to].name;
    const char *other = NULL;
    int at = mdl__yaml_quote_shift(k) + (hash ? (int)(hash - key) : 0);
    char names[600];
    size_t i, n = 0, want = 0;

    if (hash) {
        const char *p = hash + 1;
        unsigned long long x;
        char *end;

        errno = 0;
        x = *p >= '0' && *p <= '9' ? strtoull(p, &end, 10) : 0;
        if (*p < '0' || *p > '9' || *end)
            return mdl__yaml_err(c, k, at, "calls '%s': '#' must be "
                                 "followed by the number of an edge, such "
                                 "as #0", key);
        want = errno == ERANGE || x > SIZE_MAX ? (size_t)-1 : (size_t)x;
    }
    for (i = 0; i < t->nedges; i++) {
        const mdl_edge *e = &t->edges[i];

        if (e->from != from || e->to != to)
            continue;
        if (e->kind != MDL_EDGE_CALL)
            other = e->kind == MDL_EDGE_FORWARD ? "forward" : "publish";
        else if (n++ == want)
            *out = i;
    }
    if (n == 0 && other)
        return mdl__yaml_err(c, k, 0, "calls '%s': the edge from '%s' to "
                             "'%s' is a %s edge; call policies apply to "
                             "call edges", key, a, b, other);
    if (n == 0)
        return mdl__yaml_err(c, k, 0, "calls '%s': no call edge from '%s' "
                             "to '%s' in topology %s", key, a, b, t->path);
    edge_names(names, sizeof names, a, b, n);
    if (!hash && n > 1)
        return mdl__yaml_err(c, k, 0, "calls '%s': '%s' calls '%s' over %zu "
                             "edges; name one of %s", key, a, b, n, names);
    if (want >= n && n == 1)
        return mdl__yaml_err(c, k, at, "calls '%s': '%s' calls '%s' over one "
                             "edge; name it %s->%s", key, a, b, a, b);
    if (want >= n)
        return mdl__yaml_err(c, k, at, "calls '%s': '%s' calls '%s' over %zu "
                             "edges; name one of %s", key, a, b, n, names);
    return SIM_OK;
}

/* One entry of `calls:`: the edge its key names, once only, and a mapping
 * of call policies. */
static int call_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *arg)
{
    mdl_scenario *s = c->s;
    const char *arrow = strstr(key, "->"), *callee, *hash;
    char *name[2] = { NULL, NULL }, where[300];
    mdl_call_policy *cp;
    size_t edge = 0, j;
    int svc[2] = { -1, -1 }, i, rc = SIM_OK;

    (void)arg;
    if (!arrow)
        return mdl__yaml_err(c, k, 0, "calls key '%s' must name a call edge as "
                             "'caller->callee' or 'caller->callee#K'", key);
    callee = arrow + 2;
    hash = strchr(callee, '#');
    name[0] = strndup(key, (size_t)(arrow - key));
    name[1] = strndup(callee, hash ? (size_t)(hash - callee)
                                   : strlen(callee));
    snprintf(where, sizeof where, "in calls '%s'", key);
    for (i = 0; i < 2 && rc == SIM_OK; i++) {
        int at = mdl__yaml_quote_shift(k) + (i ? (int)(callee - key) : 0);

        if (!name[i])
            rc = SIM_ENOMEM;
        else if (!strcmp(name[i], "*"))
            rc = mdl__yaml_err(c, k, at, "'*' in calls '%s' is not "
                               "supported yet; name one edge", key);
        else if ((svc[i] = mdl_topology_find(s->topo, name[i])) < 0)
            rc = mdl__scenario_unknown_service(c, k, at, name[i], where);
    }
    free(name[0]);
    free(name[1]);
    if (rc == SIM_OK)
        rc = call_edge(c, k, key, svc[0], svc[1], hash, &edge);
    if (rc != SIM_OK)
        return rc;
    for (j = 0; j < s->ncalls; j++) {
        const mdl_call_policy *old = &s->calls[j];

        if (old->edge != edge)
            continue;
        if (old->line)
            return mdl__yaml_err(c, k, 0, "calls '%s' names the same edge "
                                 "as '%s' on line %d", key, old->key,
                                 old->line);
        return mdl__yaml_err(c, k, 0, "calls '%s' names the same edge as "
                             "'%s'", key, old->key);
    }
    if (!(cp = realloc(s->calls, (s->ncalls + 1) * sizeof *cp)))
        return SIM_ENOMEM;
    s->calls = cp;
    cp += s->ncalls;
    memset(cp, 0, sizeof *cp);
    if (!(cp->key = strdup(key)))
        return SIM_ENOMEM;
    s->ncalls++;
    cp->edge = edge;
    if (!mdl__scenario_override_find(c, k)) {
        cp->line = (int)k->start_mark.line + 1;
        cp->col = (int)k->start_mark.column + 1;
    }
    snprintf(where, sizeof where, "calls '%s'", key);
    return mdl__yaml_walk(c, v, where, &policy_map, cp);
}

int mdl__scenario_calls_read(ctx *c, yaml_node_t *v)
{
    return mdl__yaml_each_pair(c, v, "'calls'", call_pair, NULL);
}
