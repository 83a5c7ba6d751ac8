/*
 * mdl_scenario_services.c - the server-side patterns of a `services:`
 * entry: the keys whose value is a mapping (`rate_limit`, `outlier`,
 * `autoscale`), next to the scalar overrides of topology attributes that
 * mdl_scenario.c reads.
 *
 * Each pattern has a table of keys (mdl_yaml.c), so unknown keys get a
 * hint and bad values an error at their position; what a pattern leaves
 * out takes the default of the real system it follows: Envoy's local
 * rate limit (its token bucket has no defaults: both `rate` and `burst`
 * must be given) and Envoy's outlier detection (consecutive_5xx 5,
 * interval 10 s, base_ejection_time 30 s, max_ejection_time 300 s or the
 * base if longer, max_ejection_percent 10, always_eject_one_host false)
 * and Kubernetes' HorizontalPodAutoscaler for `autoscale` (minReplicas
 * 1, a sync period of 15 s, a scale-down stabilization of 300 s; target
 * and max have no default, as in an HPA spec; a new replica's start-up
 * delay is the pod's own, 0 unless given).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "mdl_hint.h"
#include "mdl_scenario_int.h"
#include "mdl_units.h"

#define RL(field) .off = offsetof(mdl_rate_limit_policy, field)
#define AS(field) .off = offsetof(mdl_autoscale_policy, field)
#define OUT(field) .off = offsetof(mdl_outlier_policy, field)

#define RATE_MAX 1e9            /* tokens per second */
#define BURST_MAX 1000000000L   /* tokens; Envoy's max_tokens is a uint32 */
#define ERRORS_MAX 1000000000L

static const char *const pattern_keys[] = {
    "rate_limit", "outlier", "autoscale"
};

/* `rate`: a positive rate such as 100/s. */
static int read_rate(ctx *c, const char *key, yaml_node_t *k,
                     yaml_node_t *v, void *arg)
{
    mdl_rate_limit_policy *rl = arg;
    const char *t = mdl__yaml_want_scalar(c, v, key);
    double x;

    (void)k;
    if (!t)
        return SIM_EPARSE;
    if (mdl_parse_rate(t, &x) != SIM_OK || !(x > 0) || x > RATE_MAX)
        return mdl__yaml_err(c, v, 0, "'rate' must be a rate above 0 and at "
                             "most %g/s such as 100/s, found '%s'", RATE_MAX,
                             t);
    rl->rate = x;
    return SIM_OK;
}

static const key_desc rate_limit_keys[] = {
    { "rate", KEY_SET, .set = read_rate },
    { "burst", KEY_LONG, 1, (double)BURST_MAX, 0, RL(burst) },
};
static const map_desc rate_limit_map = MAP("rate_limit key",
                                           rate_limit_keys);

/* `always_eject_one`: true or false. */
static int read_always(ctx *c, const char *key, yaml_node_t *k,
                       yaml_node_t *v, void *arg)
{
    mdl_outlier_policy *o = arg;
    const char *t = mdl__yaml_want_scalar(c, v, key);

    (void)k;
    if (!t)
        return SIM_EPARSE;
    if (!strcmp(t, "true"))
        o->always_eject_one = 1;
    else if (!strcmp(t, "false"))
        o->always_eject_one = 0;
    else
        return mdl__yaml_err(c, v, 0, "'always_eject_one' must be true or "
                             "false, found '%s'", t);
    return SIM_OK;
}

static const key_desc outlier_keys[] = {
    { "consecutive_errors", KEY_LONG, 1, (double)ERRORS_MAX, 0,
      OUT(consecutive) },
    { "interval", KEY_TIME, 0, MDL_TIME_MAX, 1, OUT(interval) },
    { "base_ejection", KEY_TIME, 0, MDL_TIME_MAX, 1, OUT(base_ejection) },
    { "max_ejection", KEY_TIME, 0, MDL_TIME_MAX, 1, OUT(max_ejection) },
    { "max_percent", KEY_NUMBER, 0, 100, 0, OUT(max_percent) },
    { "always_eject_one", KEY_SET, .set = read_always },
};
static const map_desc outlier_map = MAP("outlier key", outlier_keys);

/* `target`: a utilization such as 0.7 or 70%, above 0 and at most 1. */
static int read_target(ctx *c, const char *key, yaml_node_t *k,
                       yaml_node_t *v, void *arg)
{
    mdl_autoscale_policy *a = arg;
    const char *t = mdl__yaml_want_scalar(c, v, key);
    char *end;
    double x;

    (void)k;
    if (!t)
        return SIM_EPARSE;
    x = strtod(t, &end);
    if (end != t && *end == '%' && !end[1]) {
        x /= 100;
        end++;
    }
    if (end == t || *end || !(x > 0 && x <= 1))
        return mdl__yaml_err(c, v, 0, "'target' must be a utilization above "
                             "0 and at most 1 such as 0.7 or 70%%, found "
                             "'%s'", t);
    a->target = x;
    return SIM_OK;
}

static const key_desc autoscale_keys[] = {
    { "target", KEY_SET, .set = read_target },
    { "min", KEY_LONG, 1, MDL_REPLICAS_MAX, 0, AS(min) },
    { "max", KEY_LONG, 1, MDL_REPLICAS_MAX, 0, AS(max) },
    { "interval", KEY_TIME, 0, MDL_TIME_MAX, 1, AS(interval) },
    { "delay", KEY_TIME, 0, MDL_TIME_MAX, 0, AS(delay) },
    { "cooldown", KEY_TIME, 0, MDL_TIME_MAX, 0, AS(cooldown) },
};
static const map_desc autoscale_map = MAP("autoscale key", autoscale_keys);

/* The policies of service i, made on first use: one entry per service. */
static mdl_service_policy *policy_of(ctx *c, int i)
{
    mdl_scenario *s = c->s;

    if (!s->svc_policy
        && !(s->svc_policy = calloc(s->topo->nservices,
                                    sizeof *s->svc_policy)))
        return NULL;
    return &s->svc_policy[i];
}

static int read_rate_limit(ctx *c, yaml_node_t *v, const char *svc,
                           mdl_rate_limit_policy *rl)
{
    char where[300];
    int rc;

    rl->on = 1;
    rl->rate = 0;
    rl->burst = 0;
    snprintf(where, sizeof where, "'rate_limit' of service '%s'", svc);
    if ((rc = mdl__yaml_walk(c, v, where, &rate_limit_map, rl)) != SIM_OK)
        return rc;
    /* Envoy's token bucket has no defaults for either. */
    if (!(rl->rate > 0))
        return mdl__yaml_err(c, v, 0, "missing key 'rate' in %s (tokens per "
                             "second, such as 100/s)", where);
    if (rl->burst < 1)
        return mdl__yaml_err(c, v, 0, "missing key 'burst' in %s (the "
                             "bucket's size, such as 20)", where);
    return SIM_OK;
}

static int read_outlier(ctx *c, yaml_node_t *v, const char *svc,
                        mdl_outlier_policy *o)
{
    char where[300];
    int rc;

    o->on = 1;
    o->consecutive = 5;
    o->interval = 10;
    o->base_ejection = 30;
    o->max_ejection = -1;       /* unset: max(300 s, base) */
    o->max_percent = 10;
    o->always_eject_one = 0;
    snprintf(where, sizeof where, "'outlier' of service '%s'", svc);
    if ((rc = mdl__yaml_walk(c, v, where, &outlier_map, o)) != SIM_OK)
        return rc;
    if (o->max_ejection < 0) {
        o->max_ejection = o->base_ejection > 300 ? o->base_ejection : 300;
    } else if (o->max_ejection < o->base_ejection) {
        /* Envoy refuses such a cluster too. */
        return mdl__yaml_err(c, mdl__yaml_lookup(c, v, "max_ejection"), 0,
                             "'max_ejection' %g s is below 'base_ejection' "
                             "%g s in %s", o->max_ejection, o->base_ejection,
                             where);
    }
    return SIM_OK;
}

static int read_autoscale(ctx *c, yaml_node_t *v, const char *svc,
                          mdl_autoscale_policy *a)
{
    char where[300];
    int rc;

    a->on = 1;
    a->target = 0;
    a->min = 1;
    a->max = 0;
    a->interval = 15;
    a->delay = 0;
    a->cooldown = 300;
    snprintf(where, sizeof where, "'autoscale' of service '%s'", svc);
    if ((rc = mdl__yaml_walk(c, v, where, &autoscale_map, a)) != SIM_OK)
        return rc;
    if (!(a->target > 0))
        return mdl__yaml_err(c, v, 0, "missing key 'target' in %s (the "
                             "utilization to keep, such as 0.7)", where);
    if (a->max < 1)
        return mdl__yaml_err(c, v, 0, "missing key 'max' in %s (the most "
                             "replicas it may run)", where);
    if (a->min > a->max)
        return mdl__yaml_err(c, mdl__yaml_lookup(c, v, "min"), 0, "'min' %ld "
                             "is above 'max' %ld in %s", a->min, a->max,
                             where);
    return SIM_OK;
}

int mdl__scenario_service_pattern(const char *key)
{
    size_t i;

    for (i = 0; i < NKEYS(pattern_keys); i++)
        if (!strcmp(key, pattern_keys[i]))
            return 1;
    return 0;
}

const char *mdl__scenario_service_pattern_hint(const char *key)
{
    return mdl_hint(key, pattern_keys, NKEYS(pattern_keys));
}

int mdl__scenario_service_pattern_read(ctx *c, int svc, const char *key,
                                       yaml_node_t *k, yaml_node_t *v)
{
    const char *name = c->s->topo->services[svc].name;
    mdl_service_policy *p;

    int rc;

    if (!(p = policy_of(c, svc)))
        return SIM_ENOMEM;
    if (!strcmp(key, "rate_limit"))
        return read_rate_limit(c, v, name, &p->rate_limit);
    rc = !strcmp(key, "outlier") ? read_outlier(c, v, name, &p->outlier)
                                 : read_autoscale(c, v, name, &p->autoscale);
    if (rc == SIM_OK && p->outlier.on && p->autoscale.on)
        return mdl__yaml_err(c, k, 0, "service '%s' has both 'outlier' and "
                             "'autoscale', which are not supported together "
                             "yet", name);
    return rc;
}
