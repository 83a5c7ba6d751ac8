/*
 * mdl_scenario_calls.c - the `calls:` block of a scenario: each key names
 * one call edge of the topology, each value its call policies.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "mdl_hedge.h"
#include "mdl_hint.h"
#include "mdl_scenario_int.h"
#include "mdl_units.h"

/*
 * A key names a call edge as its metric scope does (mdl_net.h):
 * "caller->callee", or "caller->callee#K" for the K-th, from 0 in file
 * order, of the call edges between the two services. Names hold neither
 * "->" nor '#' (mdl_name.h), so a key splits one way only. "*->callee"
 * stands for every call edge into the callee, "caller->*" for every one
 * out of the caller (wild_pair); an edge's own entry goes before them.
 * Of the call
 * policies of DESIGN.md section 4, timeout, deadline, retry, hedge,
 * breaker, bulkhead and fallback are simulated; any other key is
 * unknown.
 *
 * retry follows Envoy where both systems have a setting (one retry
 * unless attempts says otherwise; backoff jitter(base=25ms) with a cap
 * of ten times the base; every failure retried unless `on` says which)
 * and gRPC for throttling. hedge follows gRPC's hedgingPolicy (gRFC A6
 * and grpc-java's service config parser): attempts from 2 to 5, delay
 * zero or more, no retry on the same edge.
 */

#define POL(field) .off = offsetof(mdl_call_policy, field)
#define RETRY(field) .off = offsetof(mdl_retry_policy, field)

#define ATTEMPTS_MAX 100
#define BACKOFF_BASE 0.025      /* s, Envoy's default */
#define BACKOFF_CAP_TIMES 10    /* Envoy: the cap is 10 x the base */

/* `on`: a list of outcomes, or one. */
static int read_on(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                   void *arg)
{
    static const char *const words[] = { "error", "timeout", "rejected" };
    mdl_retry_policy *r = arg;
    yaml_node_item_t *it, *first, *top;
    size_t i;

    (void)k;
    if (v->type == YAML_SEQUENCE_NODE) {
        first = v->data.sequence.items.start;
        top = v->data.sequence.items.top;
    } else {
        first = NULL;
        top = NULL;
    }
    r->on = 0;
    for (it = first; v->type != YAML_SEQUENCE_NODE || it < top; it++) {
        yaml_node_t *n = v->type == YAML_SEQUENCE_NODE
                         ? yaml_document_get_node(&c->doc, *it) : v;
        const char *t = mdl__yaml_want_scalar(c, n, key), *hint;

        if (!t)
            return SIM_EPARSE;
        for (i = 0; i < NKEYS(words) && strcmp(t, words[i]); i++)
            ;
        if (i == NKEYS(words)) {
            hint = mdl_hint(t, words, NKEYS(words));
            return mdl__yaml_err(c, n, 0, "'on' names outcomes to retry: "
                                 "error, timeout or rejected, found '%s'%s%s%s",
                                 t, hint ? "; did you mean '" : "",
                                 hint ? hint : "", hint ? "'?" : "");
        }
        r->on |= 1u << i;
        if (v->type != YAML_SEQUENCE_NODE)
            break;
    }
    if (!r->on)
        return mdl__yaml_err(c, v, 0, "'on' must name at least one "
                             "outcome: error, timeout or rejected");
    return SIM_OK;
}

/* `backoff`: "jitter(base=25ms, cap=250ms)", either part optional. */
static int read_backoff(ctx *c, const char *key, yaml_node_t *k,
                        yaml_node_t *v, void *arg)
{
    mdl_retry_policy *r = arg;
    const char *t = mdl__yaml_want_scalar(c, v, key), *p, *end;
    char part[64];
    int cap_set = 0;

    (void)k;
    if (!t)
        return SIM_EPARSE;
    if (strncmp(t, "jitter(", 7) || !(end = strrchr(t, ')')) || end[1])
        return mdl__yaml_err(c, v, 0, "'backoff' must be jitter(base=TIME, "
                             "cap=TIME), found '%s'", t);
    for (p = t + 7; p < end; ) {
        const char *comma = memchr(p, ',', (size_t)(end - p)), *eq;
        const char *stop = comma ? comma : end;
        double x;

        while (p < stop && *p == ' ')
            p++;
        eq = memchr(p, '=', (size_t)(stop - p));
        if (!eq || stop - eq - 1 >= (long)sizeof part)
            return mdl__yaml_err(c, v, (int)(p - t), "'backoff' takes "
                                 "base=TIME and cap=TIME, found '%.*s'",
                                 (int)(stop - p), p);
        memcpy(part, eq + 1, (size_t)(stop - eq - 1));
        part[stop - eq - 1] = '\0';
        if (mdl_parse_time(part, &x) != SIM_OK || !(x > 0)
            || x > MDL_TIME_MAX)
            return mdl__yaml_err(c, v, (int)(eq + 1 - t), "'backoff' needs "
                                 "a positive time, found '%s'", part);
        if (eq - p == 4 && !strncmp(p, "base", 4))
            r->base = x;
        else if (eq - p == 3 && !strncmp(p, "cap", 3)) {
            r->cap = x;
            cap_set = 1;
        } else
            return mdl__yaml_err(c, v, (int)(p - t), "'backoff' takes base "
                                 "and cap, found '%.*s'", (int)(eq - p), p);
        p = comma ? comma + 1 : end;
    }
    if (!cap_set)
        r->cap = BACKOFF_CAP_TIMES * r->base;
    if (r->cap < r->base)
        return mdl__yaml_err(c, v, 0, "'backoff' cap %g s is below its "
                             "base %g s", r->cap, r->base);
    return SIM_OK;
}

static const key_desc budget_keys[] = {
    { "percent", KEY_NUMBER, 0, 100, 1, RETRY(budget_percent) },
    { "min", KEY_LONG, 0, 1e9, 0, RETRY(budget_min) },
};
static const map_desc budget_map = MAP("retry budget key", budget_keys);

static const key_desc throttle_keys[] = {
    { "tokens", KEY_NUMBER, 0, 1000, 1, RETRY(throttle_tokens) },
    { "ratio", KEY_NUMBER, 0, 1, 1, RETRY(throttle_ratio) },
};
static const map_desc throttle_map = MAP("retry throttle key",
                                         throttle_keys);

static int read_budget(ctx *c, const char *key, yaml_node_t *k,
                       yaml_node_t *v, void *arg)
{
    mdl_retry_policy *r = arg;

    (void)key;
    r->budget_min = 3;          /* Envoy's min_retry_concurrency */
    r->budget_percent = 20;     /* Envoy's budget_percent */
    (void)k;
    return mdl__yaml_walk(c, v, "'budget'", &budget_map, r);
}

static int read_throttle(ctx *c, const char *key, yaml_node_t *k,
                         yaml_node_t *v, void *arg)
{
    mdl_retry_policy *r = arg;
    int rc;

    (void)key;
    (void)k;
    rc = mdl__yaml_walk(c, v, "'throttle'", &throttle_map, r);
    if (rc == SIM_OK && !(r->throttle_tokens > 0 && r->throttle_ratio > 0))
        return mdl__yaml_err(c, v, 0, "'throttle' needs tokens and ratio");
    return rc;
}

#define BRK(field) .off = offsetof(mdl_breaker_policy, field)
#define WINDOW_MAX 1000000      /* outcomes, or seconds */

/* `window`: a count of outcomes (100) or a time ("10s", whole seconds). */
static int read_window(ctx *c, const char *key, yaml_node_t *k,
                       yaml_node_t *v, void *arg)
{
    mdl_breaker_policy *b = arg;
    const char *t = mdl__yaml_want_scalar(c, v, key);
    char *end;
    double x;
    long n;

    (void)k;
    if (!t)
        return SIM_EPARSE;
    n = strtol(t, &end, 10);
    if (end != t && !*end) {
        if (n < 1 || n > WINDOW_MAX)
            return mdl__yaml_err(c, v, 0, "'window' must hold 1 to %d "
                                 "outcomes, found '%s'", WINDOW_MAX, t);
        b->window = n;
        b->time_based = 0;
        return SIM_OK;
    }
    if (mdl_parse_time(t, &x) != SIM_OK || !(x >= 1) || x > WINDOW_MAX
        || x != floor(x))
        return mdl__yaml_err(c, v, 0, "'window' must be a count of calls "
                             "such as 100 or whole seconds such as 10s, "
                             "found '%s'", t);
    b->window = (long)x;
    b->time_based = 1;
    return SIM_OK;
}

/* A rate threshold: "50%" or 50, above 0 and at most 100. */
static int read_rate(ctx *c, const char *key, yaml_node_t *v, double *out)
{
    const char *t = mdl__yaml_want_scalar(c, v, key);
    char *end;
    double x;

    if (!t)
        return SIM_EPARSE;
    x = strtod(t, &end);
    if (end != t && *end == '%')
        end++;
    if (end == t || *end || !(x > 0 && x <= 100))
        return mdl__yaml_err(c, v, 0, "'%s' must be a percentage above 0 "
                             "and at most 100 such as 50%%, found '%s'", key,
                             t);
    *out = x;
    return SIM_OK;
}

static int read_failure_rate(ctx *c, const char *key, yaml_node_t *k,
                             yaml_node_t *v, void *arg)
{
    (void)k;
    return read_rate(c, key, v, &((mdl_breaker_policy *)arg)->failure_rate);
}

static int read_slow_rate(ctx *c, const char *key, yaml_node_t *k,
                          yaml_node_t *v, void *arg)
{
    (void)k;
    return read_rate(c, key, v, &((mdl_breaker_policy *)arg)->slow_rate);
}

static const key_desc breaker_keys[] = {
    { "window", KEY_SET, .set = read_window },
    { "min_calls", KEY_LONG, 1, WINDOW_MAX, 0, BRK(min_calls) },
    { "failure_rate", KEY_SET, .set = read_failure_rate },
    { "slow_call_rate", KEY_SET, .set = read_slow_rate },
    { "slow_call_duration", KEY_TIME, 0, MDL_TIME_MAX, 1,
      BRK(slow_duration) },
    { "open_for", KEY_TIME, 0, MDL_TIME_MAX, 1, BRK(open_for) },
    { "half_open_calls", KEY_LONG, 1, WINDOW_MAX, 0, BRK(half_open_calls) },
};
static const map_desc breaker_map = MAP("breaker key", breaker_keys);

/* `breaker`: Resilience4j's defaults for what is left out. */
static int read_breaker(ctx *c, const char *key, yaml_node_t *k,
                        yaml_node_t *v, void *arg)
{
    mdl_call_policy *cp = arg;
    mdl_breaker_policy *b = &cp->breaker;
    char where[300];

    (void)key;
    (void)k;
    b->on = 1;
    b->time_based = 0;
    b->window = 100;
    b->min_calls = 100;
    b->failure_rate = 50;
    b->slow_rate = 100;
    b->slow_duration = 60;
    b->open_for = 60;
    b->half_open_calls = 10;
    snprintf(where, sizeof where, "'breaker' of calls '%s'", cp->key);
    return mdl__yaml_walk(c, v, where, &breaker_map, b);
}

#define BLK(field) .off = offsetof(mdl_bulkhead_policy, field)
#define CONCURRENT_MAX 1000000

static const key_desc bulkhead_keys[] = {
    { "max_concurrent", KEY_LONG, 1, CONCURRENT_MAX, 0, BLK(max_concurrent) },
    { "max_wait", KEY_TIME, 0, MDL_TIME_MAX, 0, BLK(max_wait) },
};
static const map_desc bulkhead_map = MAP("bulkhead key", bulkhead_keys);

/* `bulkhead`: Resilience4j's defaults for what is left out. */
static int read_bulkhead(ctx *c, const char *key, yaml_node_t *k,
                         yaml_node_t *v, void *arg)
{
    mdl_call_policy *cp = arg;
    mdl_bulkhead_policy *b = &cp->bulkhead;
    char where[300];

    (void)key;
    (void)k;
    b->on = 1;
    b->max_concurrent = 25;     /* maxConcurrentCalls */
    b->max_wait = 0;            /* maxWaitDuration */
    snprintf(where, sizeof where, "'bulkhead' of calls '%s'", cp->key);
    return mdl__yaml_walk(c, v, where, &bulkhead_map, b);
}

/* `fallback`: a boolean, written as everywhere else. */
static int read_fallback(ctx *c, const char *key, yaml_node_t *k,
                         yaml_node_t *v, void *arg)
{
    static const char *const words[] = { "true", "false", "1", "0" };
    mdl_call_policy *cp = arg;
    const char *t = mdl__yaml_want_scalar(c, v, key);
    size_t i;

    (void)k;
    if (!t)
        return SIM_EPARSE;
    for (i = 0; i < NKEYS(words) && strcmp(t, words[i]); i++)
        ;
    if (i == NKEYS(words))
        return mdl__yaml_err(c, v, 0, "'fallback' must be true or false "
                             "(or 1 or 0), found '%s'", t);
    cp->fallback = i % 2 == 0;
    return SIM_OK;
}

static const key_desc retry_keys[] = {
    { "attempts", KEY_LONG, 1, ATTEMPTS_MAX, 0, RETRY(attempts) },
    { "on", KEY_SET, .set = read_on },
    { "backoff", KEY_SET, .set = read_backoff },
    { "budget", KEY_SET, .set = read_budget },
    { "throttle", KEY_SET, .set = read_throttle },
};
static const map_desc retry_map = MAP("retry key", retry_keys);

/* `retry`: Envoy's defaults for what is left out. */
static int read_retry(ctx *c, const char *key, yaml_node_t *k,
                      yaml_node_t *v, void *arg)
{
    mdl_call_policy *cp = arg;
    mdl_retry_policy *r = &cp->retry;
    char where[300];
    int rc;

    (void)key;
    (void)k;
    r->on = MDL_RETRY_ON_ERROR | MDL_RETRY_ON_TIMEOUT | MDL_RETRY_ON_REJECTED;
    r->base = BACKOFF_BASE;
    r->cap = BACKOFF_CAP_TIMES * BACKOFF_BASE;
    snprintf(where, sizeof where, "'retry' of calls '%s'", cp->key);
    rc = mdl__yaml_walk(c, v, where, &retry_map, r);
    if (rc == SIM_OK && !r->attempts)
        r->attempts = 2;        /* Envoy: num_retries 1 */
    return rc;
}

#define HEDGE(field) .off = offsetof(mdl_hedge_policy, field)

/* A hedge's `attempts`: gRPC requires at least 2 and treats more than
 * its cap as the cap; here more is refused rather than cut silently. */
static int read_hedge_attempts(ctx *c, const char *key, yaml_node_t *k,
                               yaml_node_t *v, void *arg)
{
    mdl_hedge_policy *h = arg;
    long n;

    (void)k;
    if (mdl__yaml_parse_long(c, v, key, LONG_MIN, LONG_MAX, &n) != SIM_OK)
        return SIM_EPARSE;
    if (n < 2 || n > MDL_HEDGE_MAX)
        return mdl__yaml_err(c, v, 0, "'attempts' of a hedge must be 2 to "
                             "%d (gRPC maxAttempts: the first attempt "
                             "included, at most %d), found '%s'",
                             MDL_HEDGE_MAX, MDL_HEDGE_MAX,
                             mdl__yaml_scalar(v));
    h->attempts = n;
    return SIM_OK;
}

static const key_desc hedge_keys[] = {
    { "delay", KEY_TIME, 0, MDL_TIME_MAX, 0, HEDGE(delay) },
    { "attempts", KEY_SET, .set = read_hedge_attempts },
};
static const map_desc hedge_map = MAP("hedge key", hedge_keys);

/* `hedge`: gRPC's hedgingPolicy has no defaults; both keys are needed. */
static int read_hedge(ctx *c, const char *key, yaml_node_t *k,
                      yaml_node_t *v, void *arg)
{
    mdl_call_policy *cp = arg;
    mdl_hedge_policy *h = &cp->hedge;
    char where[300];
    int rc;

    (void)key;
    (void)k;
    h->delay = -1;
    snprintf(where, sizeof where, "'hedge' of calls '%s'", cp->key);
    if ((rc = mdl__yaml_walk(c, v, where, &hedge_map, h)) != SIM_OK)
        return rc;
    if (!h->attempts || h->delay < 0)
        return mdl__yaml_err(c, v, 0, "%s needs '%s' (gRPC's hedgingPolicy "
                             "has no default for it)", where,
                             !h->attempts ? "attempts" : "delay");
    return SIM_OK;
}

/* Keys that cannot go with `hedge` on one edge: a retry (gRPC: a method
 * has a retry policy or a hedging policy, not both) and a per-attempt
 * timeout (the deadline bounds a hedged call, as in gRPC). */
static int check_hedge(ctx *c, yaml_node_t *m, const mdl_call_policy *cp)
{
    yaml_node_t *k = mdl__yaml_find(c, m, "hedge", 1);

    if (!cp->hedge.attempts)
        return SIM_OK;
    if (cp->retry.attempts)
        return mdl__yaml_err(c, k, 0, "calls '%s' has both 'retry' and "
                             "'hedge'; gRPC allows one or the other on a "
                             "method", cp->key);
    if (cp->timeout > 0)
        return mdl__yaml_err(c, k, 0, "calls '%s' has both 'timeout' and "
                             "'hedge': hedged attempts run side by side "
                             "and only 'deadline' bounds the call, as in "
                             "gRPC", cp->key);
    return SIM_OK;
}

static const key_desc policy_keys[] = {
    { "timeout", KEY_TIME, 0, MDL_TIME_MAX, 0, POL(timeout) },
    { "deadline", KEY_TIME, 0, MDL_TIME_MAX, 0, POL(deadline) },
    { "retry", KEY_SET, .set = read_retry },
    { "hedge", KEY_SET, .set = read_hedge },
    { "breaker", KEY_SET, .set = read_breaker },
    { "bulkhead", KEY_SET, .set = read_bulkhead },
    { "fallback", KEY_SET, .set = read_fallback },
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
static int call_edge(ctx *c, yaml_node_t *k, const char *what,
                     const char *key, int from, int to, const char *hash,
                     size_t *out)
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
            return mdl__yaml_err(c, k, at, "%s '%s': '#' must be "
                                 "followed by the number of an edge, such "
                                 "as #0", what, key);
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
        return mdl__yaml_err(c, k, 0, "%s '%s': the edge from '%s' to "
                             "'%s' is a %s edge, not a call edge", what, key,
                             a, b, other);
    if (n == 0)
        return mdl__yaml_err(c, k, 0, "%s '%s': no call edge from '%s' "
                             "to '%s' in topology %s", what, key, a, b, t->path);
    edge_names(names, sizeof names, a, b, n);
    if (!hash && n > 1)
        return mdl__yaml_err(c, k, 0, "%s '%s': '%s' calls '%s' over %zu "
                             "edges; name one of %s", what, key, a, b, n, names);
    if (want >= n && n == 1)
        return mdl__yaml_err(c, k, at, "%s '%s': '%s' calls '%s' over one "
                             "edge; name it %s->%s", what, key, a, b, a, b);
    if (want >= n)
        return mdl__yaml_err(c, k, at, "%s '%s': '%s' calls '%s' over %zu "
                             "edges; name one of %s", what, key, a, b, n, names);
    return SIM_OK;
}

/* The call edge key names ("a->b" or "a->b#K"), into *edge; what names
 * the key in messages ("calls", "edge"). */
int mdl__scenario_call_edge(ctx *c, yaml_node_t *k, const char *key,
                            const char *what, size_t *edge)
{
    mdl_scenario *s = c->s;
    const char *arrow = strstr(key, "->"), *callee, *hash;
    char *name[2] = { NULL, NULL }, where[300];
    int svc[2] = { -1, -1 }, i, rc = SIM_OK;

    if (!arrow)
        return mdl__yaml_err(c, k, 0, "%s key '%s' must name a call edge as "
                             "'caller->callee' or 'caller->callee#K'", what,
                             key);
    callee = arrow + 2;
    hash = strchr(callee, '#');
    name[0] = strndup(key, (size_t)(arrow - key));
    name[1] = strndup(callee, hash ? (size_t)(hash - callee)
                                   : strlen(callee));
    snprintf(where, sizeof where, "in %s '%s'", what, key);
    for (i = 0; i < 2 && rc == SIM_OK; i++) {
        int at = mdl__yaml_quote_shift(k) + (i ? (int)(callee - key) : 0);

        if (!name[i])
            rc = SIM_ENOMEM;
        else if (!strcmp(name[i], "*"))
            rc = mdl__yaml_err(c, k, at, "'*' in %s '%s': name one call "
                               "edge here", what, key);
        else if ((svc[i] = mdl_topology_find(s->topo, name[i])) < 0)
            rc = mdl__scenario_unknown_service(c, k, at, name[i], where);
    }
    free(name[0]);
    free(name[1]);
    if (rc == SIM_OK)
        rc = call_edge(c, k, what, key, svc[0], svc[1], hash, edge);
    return rc;
}

/* Entries whose key has a '*' on one side, kept until every entry has
 * been read: "*->b" is every call edge into b, "a->*" every one out of a.
 * Each gives its policies to the edges it matches that no entry names
 * on its own. */
typedef struct wild {
    mdl_call_policy p;      /* edge unused */
    int from, to;           /* services, -1 for the '*' */
    yaml_node_t *k;
} wild;

typedef struct wilds {
    size_t n;
    wild *w;
} wilds;

/* Does wildcard w match edge e? */
static int wild_matches(const wild *w, const mdl_edge *e)
{
    return e->kind == MDL_EDGE_CALL && (w->from < 0 || e->from == w->from)
           && (w->to < 0 || e->to == w->to);
}

/* A key with '*' on one side, "*->b" or "a->*", into w's services. */
static int wild_key(ctx *c, yaml_node_t *k, const char *key, wild *w)
{
    const mdl_topology *t = c->s->topo;
    const char *arrow = strstr(key, "->"), *side;
    char *name, where[300];
    int star, svc, rc = SIM_OK;
    size_t i;

    if (!arrow || strchr(key, '#'))
        return mdl__yaml_err(c, k, 0, "calls key '%s': '*' stands for every "
                             "caller ('*->callee') or every callee "
                             "('caller->*'), without '#'", key);
    star = !strcmp(arrow + 2, "*");     /* "a->*": every callee */
    if (star == (arrow - key == 1 && key[0] == '*'))
        return mdl__yaml_err(c, k, 0, "calls key '%s': '*' stands for one "
                             "side, every caller ('*->callee') or every "
                             "callee ('caller->*')", key);
    side = star ? key : arrow + 2;
    if (!(name = strndup(side, star ? (size_t)(arrow - key) : strlen(side))))
        return SIM_ENOMEM;
    if ((svc = mdl_topology_find(t, name)) < 0) {
        snprintf(where, sizeof where, "in calls '%s'", key);
        rc = mdl__scenario_unknown_service(c, k, mdl__yaml_quote_shift(k)
                                                 + (int)(side - key),
                                           name, where);
    }
    free(name);
    if (rc != SIM_OK)
        return rc;
    w->from = star ? svc : -1;
    w->to = star ? -1 : svc;
    for (i = 0; i < t->nedges && !wild_matches(w, &t->edges[i]); i++)
        ;
    if (i == t->nedges)
        return mdl__yaml_err(c, k, 0, "calls '%s': '%s' %s no call edge in "
                             "topology %s", key, t->services[svc].name,
                             star ? "makes" : "receives", t->path);
    return SIM_OK;
}

/* A wildcard entry: its key and policies, kept for wild_spread(). */
static int wild_pair(ctx *c, const char *key, yaml_node_t *k,
                     yaml_node_t *v, wilds *ws)
{
    char where[300];
    wild *w;
    int rc;

    if (!(w = realloc(ws->w, (ws->n + 1) * sizeof *w)))
        return SIM_ENOMEM;
    ws->w = w;
    w += ws->n;
    memset(w, 0, sizeof *w);
    if ((rc = wild_key(c, k, key, w)) != SIM_OK)
        return rc;
    if (!(w->p.key = strdup(key)))
        return SIM_ENOMEM;
    ws->n++;
    w->k = k;
    if (!mdl__scenario_override_find(c, k)) {
        w->p.line = (int)k->start_mark.line + 1;
        w->p.col = (int)k->start_mark.column + 1;
    }
    snprintf(where, sizeof where, "calls '%s'", key);
    if ((rc = mdl__yaml_walk(c, v, where, &policy_map, &w->p)) != SIM_OK)
        return rc;
    return check_hedge(c, v, &w->p);
}

/* Give each wildcard's policies to the call edges it matches that have
 * no entry of their own; an edge two wildcards match must have one. */
static int wild_spread(ctx *c, const wilds *ws)
{
    mdl_scenario *s = c->s;
    const mdl_topology *t = s->topo;
    size_t e, j, n0 = s->ncalls, a, b;

    for (e = 0; e < t->nedges; e++) {
        for (j = 0; j < n0 && s->calls[j].edge != e; j++)
            ;
        if (j < n0)
            continue;           /* named on its own */
        for (a = 0; a < ws->n && !wild_matches(&ws->w[a], &t->edges[e]); a++)
            ;
        if (a == ws->n)
            continue;
        for (b = a + 1; b < ws->n; b++)
            if (wild_matches(&ws->w[b], &t->edges[e]))
                return mdl__yaml_err(c, ws->w[b].k, 0, "calls '%s' and '%s' "
                                     "both match the call edge from '%s' "
                                     "to '%s'; give it an entry of its own",
                                     ws->w[a].p.key, ws->w[b].p.key,
                                     t->services[t->edges[e].from].name,
                                     t->services[t->edges[e].to].name);
        {
            mdl_call_policy *cp = realloc(s->calls, (s->ncalls + 1)
                                                    * sizeof *cp);
            if (!cp)
                return SIM_ENOMEM;
            s->calls = cp;
            cp += s->ncalls;
            *cp = ws->w[a].p;
            cp->edge = e;
            if (!(cp->key = strdup(ws->w[a].p.key)))
                return SIM_ENOMEM;
            s->ncalls++;
        }
    }
    return SIM_OK;
}

/* One entry of `calls:`: the edge its key names, once only, and a mapping
 * of call policies; a key with '*' names several (wild_pair). */
static int call_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *arg)
{
    mdl_scenario *s = c->s;
    char where[300];
    mdl_call_policy *cp;
    size_t edge = 0, j;
    int rc;

    if (!strncmp(key, "*->", 3)
        || (strlen(key) > 3 && !strcmp(key + strlen(key) - 3, "->*")))
        return wild_pair(c, key, k, v, arg);
    if ((rc = mdl__scenario_call_edge(c, k, key, "calls", &edge)) != SIM_OK)
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
    if ((rc = mdl__yaml_walk(c, v, where, &policy_map, cp)) != SIM_OK)
        return rc;
    return check_hedge(c, v, cp);
}

int mdl__scenario_calls_read(ctx *c, yaml_node_t *v)
{
    wilds ws = { 0, NULL };
    size_t i;
    int rc = mdl__yaml_each_pair(c, v, "'calls'", call_pair, &ws);

    if (rc == SIM_OK)
        rc = wild_spread(c, &ws);
    for (i = 0; i < ws.n; i++)
        free(ws.w[i].p.key);
    free(ws.w);
    return rc;
}
