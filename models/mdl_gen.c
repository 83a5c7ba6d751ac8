/*
 * mdl_gen.c - the synthetic service graphs of `qmesh gen` (mdl_gen.h).
 *
 * Kinds
 *   chain    s0 -> s1 -> ... -> s(n-1): depth n.
 *   tree     complete tree of fan-out k in breadth-first order: the
 *            parent of service i > 0 is (i - 1) / k.
 *   layered  `layers` layers of n / layers services (the first n mod
 *            layers one more); each service of a layer but the last
 *            draws its fan-out from the three-quantile lognormal below
 *            and calls that many distinct services of the next layer, a
 *            share `skip` of them in the layers beyond; a service left
 *            without a caller is called by one of the layer above.
 *   alibaba, meta  production-like graphs (next section).
 *
 * Production-like graphs (alibaba, meta)
 * Roles: round(entry n) entry services (no callers), round(leaf n)
 * leaves (callers, no callees), the rest middle services (both). Levels:
 * entry services are level 0, leaves level depth - 1, middle services
 * split evenly over levels 1..depth-2; an edge goes from a lower level to
 * a higher one, so no call path holds more than `depth` services. Each
 * caller draws a fan-out, each callee a fan-in, capped at the services
 * the levels allow (fan-out: those of deeper levels; fan-in: those of
 * shallower ones). The two sums must agree. The fan-outs are drawn again
 * (64 times at most) until their sum is within 0.1% of the middle of the
 * two expected sums, then the fan-ins until theirs is within 0.1% of the
 * fan-outs', the closest draws kept: conditioning each sum near a
 * typical value, rather than the fan-ins' on the fan-outs' (whose heavy
 * tail makes it vary by several percent), leaves the quantiles alone.
 * What is left over is trimmed from the larger side, one edge end at a
 * time, from services drawn in proportion to degree - 1 (no degree falls
 * below 1). With `leaf` left to auto, the
 * share of leaves is the one that balances the expected sums,
 *   (1 - leaf) E[fan-out] = (1 - entry) E[fan-in],
 * as Meta's data give no share of leaves.
 * Matching (a configuration model with levels): callees are taken level
 * by level from the shallowest, in each level by decreasing fan-in; each
 * picks its callers among the services of shallower levels, without
 * replacement, with probability proportional to the edge ends they still
 * have (a Fenwick tree over the callers, numbered by level, so that the
 * shallower levels are a prefix: O(log n) a pick, O((n + m) log n) in
 * all). A callee left without a caller is called by a service of a
 * shallower level drawn uniformly, a caller left without a callee calls
 * a service of a deeper level drawn uniformly (counted in `forced`).
 *
 * Sources
 *   Meta: Huye, Shkuro and Sambasivan, "Lifting the veil on Meta's
 *   microservice architecture", USENIX ATC'23, and its data
 *   (facebookresearch/distributed_traces, summary_data_atc23/data/
 *   service-characteristics.csv): over services with callees, fan-out
 *   median 4, p90 13, p99 101; over services with callers, fan-in 4, 16,
 *   86; instances per service 34, 186, 9,243 (max 557,156); 27% of
 *   services without callers; call depth almost always at most 6, "wide
 *   and shallow".
 *   Alibaba: Winchester et al. 2025 (arXiv 2504.13141) on the 2022 trace
 *   (alibaba/clusterdata, cluster-trace-microservices-v2022): 13% entry,
 *   39% leaf, 48% middle services. Luo et al., SoCC'21 (2021 trace):
 *   call graphs mostly tree-like, heavy-tailed sizes. Luo et al., TPDS'22,
 *   as quoted by a third party (unverified): depth 2 to 6, 1 to 10
 *   children. Alibaba's degree quantiles are not published: the defaults
 *   (fan-out 2, 6, 10; fan-in 1, 3, 14) are assumed, the fan-in's tail
 *   chosen so that the expected sums balance with 39% leaves.
 *   Service times: neither source gives them; lognormal is assumed.
 *
 * Degrees
 * Fan-out and fan-in are heavy-tailed. Meta's are published as median,
 * p90 and p99 (fan-out 4, 13, 101; fan-in 4, 16, 86). No single
 * lognormal has all three: fitted to the median and p99 (sigma =
 * ln(101/4)/z_0.99 = 1.388) its p90 is 23.7, not 13; fitted to the
 * median and p90 (sigma = 0.920) its p99 is 34, not 101.
 * So a degree is round(X), clamped to [1, cap], where
 *   X = median exp(s1 z)                 for z <= z_0.9,
 *   X = p90 exp(s2 (z - z_0.9))          above,
 *   s1 = ln(p90/median) / z_0.9,  s2 = ln(p99/p90) / (z_0.99 - z_0.9),
 * z standard normal: a lognormal with one sigma below the 90th
 * percentile and another above it. Rounding to the nearest integer keeps
 * integer quantiles: P(round X <= k) = P(X < k + 1/2), so the median of
 * round(X) is 4 when X's is. Meta: fan-out s1 = 0.9197, s2 = 1.9623;
 * fan-in s1 = 1.0817, s2 = 1.6097. Instances per service use the same
 * form (median 34, p90 186, p99 9,243; s1 = 1.3260, s2 = 3.7384),
 * clamped at Meta's largest service, 557,156.
 *
 * Calls, work, workers (every kind)
 * An edge's probability is min(1, calls / fan-out of its caller), so a
 * visit makes about `calls` calls (calls = 0: every edge, p = 1). The
 * calls of a service are spread over `stages` stages in callee order.
 * Local work: each service's mean is lognormal across services (median
 * work_median, sigma work_sigma), rounded to whole microseconds; its own
 * work is lognormal with that mean and coefficient of variation cv.
 * Workers: an instance count drawn as above, divided by
 * instances_per_server and rounded (at least 1). With provision on, the
 * counts drawn are handed out by rank: the most to the service with the
 * most work per request (expected visits times mean work), as capacity
 * is provisioned to demand; else in service order.
 *
 * Determinism: one GSL mt19937 per purpose (shape, work, workers), each
 * seeded from (seed, purpose) through sim_rng_seed(), so changing the
 * work does not change the shape. Degrees, microseconds and workers are
 * integers, so a last-bit difference of exp() between C libraries shows
 * only when a value falls within that bit of a rounding boundary.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "../sim/sim_err.h"
#include "../sim/sim_rng.h"
#include "mdl_gen.h"
#include "mdl_hint.h"
#include "mdl_scenario.h"
#include "mdl_topology.h"
#include "mdl_units.h"

/* Standard normal quantiles, written out so that no libm is involved. */
#define Z90 1.2815515655446004
#define Z99 2.3263478740408408
/* Fan-in draws tried to balance the fan-out sum, and how close is
 * close enough (a share of the sum). */
#define BALANCE_TRIES 64
#define BALANCE_TOL 1e-3
/* Mean work per service at most 10^6 s, in microseconds. */
#define WORK_US_MAX 1e12

static const char *const KIND_NAMES[MDL_GEN_NKINDS] = {
    "chain", "tree", "layered", "alibaba", "meta"
};

int mdl_gen_kind_find(const char *name)
{
    int k;

    for (k = 0; k < MDL_GEN_NKINDS; k++)
        if (!strcmp(name, KIND_NAMES[k]))
            return k;
    return -1;
}

const char *mdl_gen_kind_name(mdl_gen_kind k)
{
    return KIND_NAMES[k];
}

const char *const *mdl_gen_kind_names(void)
{
    return KIND_NAMES;
}

/* ------------------------------------------------------------------ */
/* Parameters */

enum { T_REAL, T_LONG, T_TIME, T_BOOL, T_NAME, T_EDGE, T_LEAF, T_AUTO };
#define K(k) (1u << (k))
#define K_ALL 0x1fu
#define K_PROD (K(MDL_GEN_ALIBABA) | K(MDL_GEN_META))
#define OFF(f) offsetof(mdl_gen_params, f)

typedef struct param {
    const char *name;
    unsigned kinds;         /* K(kind) bits it applies to */
    int type;               /* T_* */
    size_t off;
    double lo, hi;          /* bounds */
    int lo_open, hi_open;   /* lo, hi excluded */
} param;

static const param PARAMS[] = {
    {"name", K_ALL, T_NAME, OFF(name), 0, 0, 0, 0},
    {"load", K_ALL, T_REAL, OFF(load), 0, 1, 1, 1},
    {"requests", K_ALL, T_AUTO, OFF(requests), 1, 1e9, 0, 0},
    {"replications", K_ALL, T_LONG, OFF(replications), 1,
     MDL_REPLICATIONS_MAX, 0, 0},
    {"calls", K_ALL, T_REAL, OFF(calls), 0, 1e6, 0, 0},
    {"stages", K_ALL, T_LONG, OFF(stages), 1, MDL_STAGE_MAX, 0, 0},
    {"edge_kind", K_ALL, T_EDGE, OFF(publish), 0, 1, 0, 0},
    {"blocking", K_ALL, T_BOOL, OFF(blocking), 0, 1, 0, 0},
    {"work_median", K_ALL, T_TIME, OFF(work_median), 0, 1000, 1, 0},
    {"work_sigma", K_ALL, T_REAL, OFF(work_sigma), 0, 5, 0, 0},
    {"cv", K_ALL, T_REAL, OFF(cv), 0, 100, 1, 0},
    {"instances_median", K_ALL, T_REAL, OFF(instances.median), 1, 1e9, 0, 0},
    {"instances_p90", K_ALL, T_REAL, OFF(instances.p90), 1, 1e9, 0, 0},
    {"instances_p99", K_ALL, T_REAL, OFF(instances.p99), 1, 1e9, 0, 0},
    {"instances_max", K_ALL, T_REAL, OFF(instances_max), 1, 1e9, 0, 0},
    {"instances_per_server", K_ALL, T_REAL, OFF(per_server), 0, 1e9, 1, 0},
    {"provision", K_ALL, T_BOOL, OFF(provision), 0, 1, 0, 0},
    {"fanout", K(MDL_GEN_TREE), T_LONG, OFF(fanout), 1, MDL_GEN_N_MAX, 0, 0},
    {"layers", K(MDL_GEN_LAYERED), T_LONG, OFF(layers), 1, MDL_GEN_N_MAX,
     0, 0},
    {"skip", K(MDL_GEN_LAYERED), T_REAL, OFF(skip), 0, 1, 0, 0},
    {"fanout_median", K(MDL_GEN_LAYERED) | K_PROD, T_REAL, OFF(out.median),
     1, 1e9, 0, 0},
    {"fanout_p90", K(MDL_GEN_LAYERED) | K_PROD, T_REAL, OFF(out.p90), 1, 1e9,
     0, 0},
    {"fanout_p99", K(MDL_GEN_LAYERED) | K_PROD, T_REAL, OFF(out.p99), 1, 1e9,
     0, 0},
    {"fanin_median", K_PROD, T_REAL, OFF(in.median), 1, 1e9, 0, 0},
    {"fanin_p90", K_PROD, T_REAL, OFF(in.p90), 1, 1e9, 0, 0},
    {"fanin_p99", K_PROD, T_REAL, OFF(in.p99), 1, 1e9, 0, 0},
    {"entry", K_PROD, T_REAL, OFF(entry), 0, 1, 1, 0},
    {"leaf", K_PROD, T_LEAF, OFF(leaf), 0, 1, 0, 1},
    {"depth", K_PROD, T_LONG, OFF(depth), 2, 1000, 0, 0}
};
#define NPARAMS (sizeof PARAMS / sizeof *PARAMS)

void mdl_gen_params_init(mdl_gen_params *p, mdl_gen_kind k, long n,
                         uint64_t seed)
{
    memset(p, 0, sizeof *p);
    p->kind = k;
    p->n = n;
    p->seed = seed;
    snprintf(p->name, sizeof p->name, "%s%ld", KIND_NAMES[k], n);
    p->load = 0.5;
    p->requests = -1;
    p->replications = 5;
    p->calls = k == MDL_GEN_CHAIN || k == MDL_GEN_TREE ? 0 : 2;
    p->stages = 1;
    p->publish = 0;
    p->blocking = 0;
    p->work_median = 1e-3;
    p->work_sigma = 1;
    p->cv = 1;
    /* Meta, apps.md section 5: instances per service. */
    p->instances.median = 34;
    p->instances.p90 = 186;
    p->instances.p99 = 9243;
    p->instances_max = 557156;
    p->per_server = 34;
    p->provision = 1;
    p->fanout = 3;
    p->layers = 4;
    p->skip = 0;
    p->depth = 6;
    p->leaf = -1;
    switch (k) {
    case MDL_GEN_LAYERED:
        p->out = (mdl_gen_q3){3, 6, 12};
        break;
    case MDL_GEN_ALIBABA:
        /* Winchester et al. 2025 on v2022: 13% entry, 39% leaf. Degrees
         * are not published: fan-out 1-10 (TPDS'22, as quoted); fan-in
         * mostly 1 (tree-like), its tail set so that the sums balance. */
        p->entry = 0.13;
        p->leaf = 0.39;
        p->out = (mdl_gen_q3){2, 6, 10};
        p->in = (mdl_gen_q3){1, 3, 14};
        break;
    case MDL_GEN_META:
        /* Huye et al. ATC'23 data, apps.md section 5. */
        p->entry = 0.27;
        p->out = (mdl_gen_q3){4, 13, 101};
        p->in = (mdl_gen_q3){4, 16, 86};
        break;
    default:
        break;
    }
}

static int msg(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int msg(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* "from 1 to 10", "above 0 and below 1", "above 0 and at most 5" for
 * the bounds of a. */
static void bounds_text(const param *a, char *buf, size_t n)
{
    int closed = !a->lo_open && !a->hi_open;

    snprintf(buf, n, "%s %.15g%s%s %.15g",
             a->lo_open ? "above" : closed ? "from" : "at least", a->lo,
             closed ? " " : " and ",
             a->hi_open ? "below" : closed ? "to" : "at most", a->hi);
}

static int in_bounds(const param *a, double x)
{
    return (a->lo_open ? x > a->lo : x >= a->lo)
           && (a->hi_open ? x < a->hi : x <= a->hi);
}

static int parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "1") || !strcmp(v, "true"))
        *out = 1;
    else if (!strcmp(v, "0") || !strcmp(v, "false"))
        *out = 0;
    else
        return -1;
    return 0;
}

static int set_value(mdl_gen_params *p, const param *a, const char *v,
                     char *err, size_t errlen)
{
    char *field = (char *)p + a->off, range[96], *end;
    double x;
    long l;

    bounds_text(a, range, sizeof range);
    switch (a->type) {
    case T_NAME:
        /* a file name and a scenario name (format.md, Names) */
        if (!*v || strlen(v) >= sizeof p->name || v[0] == '.' || v[0] == '-'
            || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789_.-") != strlen(v))
            return msg(err, errlen, "parameter 'name' must be 1 to %zu "
                       "letters, digits, '_', '-' or '.', not starting with "
                       "'.' or '-', found '%s'", sizeof p->name - 1, v);
        snprintf(p->name, sizeof p->name, "%s", v);
        return 0;
    case T_BOOL:
        if (parse_bool(v, (int *)field) < 0)
            return msg(err, errlen, "parameter '%s' must be 0 or 1 (false "
                       "or true), found '%s'", a->name, v);
        return 0;
    case T_EDGE:
        if (strcmp(v, "call") && strcmp(v, "publish"))
            return msg(err, errlen, "parameter 'edge_kind' must be 'call' "
                       "or 'publish', found '%s'", v);
        p->publish = !strcmp(v, "publish");
        return 0;
    case T_AUTO:
        if (!strcmp(v, "auto")) {
            *(long *)field = -1;
            return 0;
        }
        /* fall through */
    case T_LONG:
        errno = 0;
        l = strtol(v, &end, 10);
        if (end == v || *end || errno == ERANGE || !in_bounds(a, (double)l))
            return msg(err, errlen, "parameter '%s' must be a whole number "
                       "%s%s, found '%s'", a->name, range,
                       a->type == T_AUTO ? " or 'auto'" : "", v);
        *(long *)field = l;
        return 0;
    case T_TIME:
        if (mdl_parse_time(v, &x) != SIM_OK || !in_bounds(a, x))
            return msg(err, errlen, "parameter '%s' must be a time %s s "
                       "(\"2ms\", \"0.5s\"), found '%s'", a->name, range, v);
        *(double *)field = x;
        return 0;
    case T_LEAF:
        if (!strcmp(v, "auto")) {
            *(double *)field = -1;
            return 0;
        }
        /* fall through */
    default:
        if (mdl_units_parse(v, v + strlen(v), MDL_UNITS_NUMBER, &x, NULL, 0,
                            NULL) != SIM_OK || !in_bounds(a, x))
            return msg(err, errlen, "parameter '%s' must be a number %s%s, "
                       "found '%s'", a->name, range,
                       a->type == T_LEAF ? " or 'auto'" : "", v);
        *(double *)field = x;
        return 0;
    }
}

int mdl_gen_set(mdl_gen_params *p, const char *assignment, char *err,
                size_t errlen)
{
    const char *eq = strchr(assignment, '='), *cands[NPARAMS], *hint;
    char key[64];
    size_t i, nc = 0;

    if (!eq || eq == assignment)
        return msg(err, errlen, "--set wants NAME=VALUE, found '%s'",
                   assignment);
    snprintf(key, sizeof key, "%.*s", (int)(eq - assignment), assignment);
    for (i = 0; i < NPARAMS; i++) {
        if (!strcmp(PARAMS[i].name, key)) {
            if (!(PARAMS[i].kinds & K(p->kind)))
                return msg(err, errlen, "parameter '%s' does not apply to "
                           "kind '%s'", key, KIND_NAMES[p->kind]);
            return set_value(p, &PARAMS[i], eq + 1, err, errlen);
        }
        if (PARAMS[i].kinds & K(p->kind))
            cands[nc++] = PARAMS[i].name;
    }
    hint = mdl_hint(key, cands, nc);
    return msg(err, errlen, "unknown parameter '%s' of kind '%s'%s%s%s",
               key, KIND_NAMES[p->kind], hint ? "; did you mean '" : "",
               hint ? hint : "", hint ? "'?" : "");
}

static int check_q3(const mdl_gen_q3 *d, const char *prefix, char *err,
                    size_t errlen)
{
    if (d->median <= d->p90 && d->p90 <= d->p99)
        return 0;
    return msg(err, errlen, "%s_median <= %s_p90 <= %s_p99 is needed, "
               "found %.15g, %.15g, %.15g", prefix, prefix, prefix,
               d->median, d->p90, d->p99);
}

int mdl_gen_check(const mdl_gen_params *p, char *err, size_t errlen)
{
    if (p->n < 1 || p->n > MDL_GEN_N_MAX)
        return msg(err, errlen, "services must be from 1 to %d, found %ld",
                   MDL_GEN_N_MAX, p->n);
    if (check_q3(&p->instances, "instances", err, errlen) < 0)
        return -1;
    if (p->kind == MDL_GEN_LAYERED && p->layers > p->n)
        return msg(err, errlen, "layers (%ld) must be at most the number "
                   "of services (%ld)", p->layers, p->n);
    if ((p->kind == MDL_GEN_LAYERED || p->kind == MDL_GEN_ALIBABA
         || p->kind == MDL_GEN_META)
        && check_q3(&p->out, "fanout", err, errlen) < 0)
        return -1;
    if (p->kind == MDL_GEN_ALIBABA || p->kind == MDL_GEN_META) {
        if (check_q3(&p->in, "fanin", err, errlen) < 0)
            return -1;
        if (p->leaf >= 0 && p->entry + p->leaf > 1)
            return msg(err, errlen, "entry + leaf must be at most 1, found "
                       "%.15g + %.15g", p->entry, p->leaf);
    }
    return 0;
}

void mdl_gen_fmt_num(char *buf, size_t n, double x)
{
    int prec;

    for (prec = 15; prec < 17; prec++) {
        snprintf(buf, n, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
    snprintf(buf, n, "%.17g", x);
}

static void value_text(const mdl_gen_params *p, const param *a, char *buf,
                       size_t n)
{
    const char *field = (const char *)p + a->off;

    switch (a->type) {
    case T_NAME:
        snprintf(buf, n, "%s", p->name);
        break;
    case T_BOOL:
        snprintf(buf, n, "%d", *(const int *)field);
        break;
    case T_EDGE:
        snprintf(buf, n, "%s", p->publish ? "publish" : "call");
        break;
    case T_AUTO:
        if (*(const long *)field < 0) {
            snprintf(buf, n, "auto");
            break;
        }
        /* fall through */
    case T_LONG:
        snprintf(buf, n, "%ld", *(const long *)field);
        break;
    case T_LEAF:
        if (*(const double *)field < 0) {
            snprintf(buf, n, "auto");
            break;
        }
        /* fall through */
    default:
        mdl_gen_fmt_num(buf, n, *(const double *)field);
        break;
    }
}

int mdl_gen_params_text(const mdl_gen_params *p, char *buf, size_t n)
{
    mdl_gen_params def;
    char a[96], b[96];
    size_t i;
    int len = 0, w;

    mdl_gen_params_init(&def, p->kind, p->n, p->seed);
    if (n)
        buf[0] = '\0';
    for (i = 0; i < NPARAMS; i++) {
        if (!(PARAMS[i].kinds & K(p->kind)))
            continue;
        value_text(p, &PARAMS[i], a, sizeof a);
        value_text(&def, &PARAMS[i], b, sizeof b);
        if (!strcmp(a, b))
            continue;
        w = snprintf(len >= 0 && (size_t)len < n ? buf + len : NULL,
                     len >= 0 && (size_t)len < n ? n - (size_t)len : 0,
                     " --set %s=%s", PARAMS[i].name, a);
        len += w;
    }
    return len;
}

/* ------------------------------------------------------------------ */
/* Degrees: the three-quantile lognormal */

static double sig_lo(const mdl_gen_q3 *d)
{
    return log(d->p90 / d->median) / Z90;
}

static double sig_hi(const mdl_gen_q3 *d)
{
    return log(d->p99 / d->p90) / (Z99 - Z90);
}

double mdl_gen_q3_at(const mdl_gen_q3 *d, double z)
{
    if (z <= Z90)
        return d->median * exp(sig_lo(d) * z);
    return d->p90 * exp(sig_hi(d) * (z - Z90));
}

/* P(X <= x): the z at which mdl_gen_q3_at() reaches x. */
static double q3_cdf(const mdl_gen_q3 *d, double x)
{
    double s1 = sig_lo(d), s2 = sig_hi(d), z;

    if (x <= d->p90) {
        if (s1 > 0)
            z = log(x / d->median) / s1;
        else
            z = x < d->median ? -INFINITY : Z90;
    } else {
        z = s2 > 0 ? Z90 + log(x / d->p90) / s2 : INFINITY;
    }
    return gsl_cdf_ugaussian_P(z);
}

typedef struct cap_mean {
    long cap;
    double mean;
    size_t count;           /* for the caller: services with this cap */
} cap_mean;

static int cmp_cap(const void *a, const void *b)
{
    long x = ((const cap_mean *)a)->cap, y = ((const cap_mean *)b)->cap;

    return (x > y) - (x < y);
}

/* The mean of round(X) clamped to [1, c->cap] into c->mean, for each of
 * c[0..m-1] (sorted here by cap), in one pass up to the largest cap:
 *   mean(cap) = sum_{k < cap} k P(round X = k) + cap P(X >= cap - 1/2),
 *   P(round X = k) = F(k + 1/2) - F(k - 1/2),
 * what lies below 1/2 counting as 1. A cap below 1 has mean 0. */
static void q3_means(const mdl_gen_q3 *d, cap_mean *c, size_t m)
{
    double sum = 0, below = 0, f;
    size_t i = 0;
    long k;

    qsort(c, m, sizeof *c, cmp_cap);
    for (; i < m && c[i].cap < 1; i++)
        c[i].mean = 0;
    for (k = 1; i < m; k++) {
        for (; i < m && c[i].cap == k; i++)
            c[i].mean = sum + (double)k * (1.0 - below);
        if (below >= 1.0) {         /* nothing left above k */
            for (; i < m; i++)
                c[i].mean = sum;
            break;
        }
        f = q3_cdf(d, (double)k + 0.5);
        sum += (double)k * (f - below);
        below = f;
    }
}

double mdl_gen_q3_mean(const mdl_gen_q3 *d, long cap)
{
    cap_mean c = {cap, 0, 1};

    q3_means(d, &c, 1);
    return c.mean;
}

/* round(X) clamped to [1, cap]; 0 when cap is 0. */
static long q3_draw(const mdl_gen_q3 *d, gsl_rng *r, long cap)
{
    double x = mdl_gen_q3_at(d, gsl_ran_gaussian_ziggurat(r, 1.0));

    if (cap <= 0)
        return 0;
    if (!(x < (double)cap))
        return cap;
    x = floor(x + 0.5);
    return x < 1 ? 1 : (long)x;
}

/* ------------------------------------------------------------------ */
/* Random streams and sampling helpers */

static gsl_rng *stream(uint64_t seed, const char *purpose)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    uint64_t s = sim_rng_seed(seed, 0, sim_rng_id(purpose));
    unsigned long v = (unsigned long)((s ^ (s >> 32)) & 0xffffffffUL);

    if (r)
        gsl_rng_set(r, v ? v : 0x5eedUL);   /* 0 would be GSL's default */
    return r;
}

/* Uniform in [0, n), n >= 1, whatever n's size. */
static uint64_t below(gsl_rng *r, uint64_t n)
{
    uint64_t x, lim;

    if (n <= 0xffffffffULL)
        return gsl_rng_uniform_int(r, (unsigned long)n);
    lim = UINT64_MAX - UINT64_MAX % n;      /* no modulo bias */
    do
        x = ((uint64_t)gsl_rng_get(r) << 32) | (uint64_t)gsl_rng_get(r);
    while (x >= lim);
    return x % n;
}

/* A Fenwick tree of non-negative weights: add and prefix sums in
 * O(log n), and the index where a running sum passes a value. */
typedef struct fenwick {
    size_t n, top;          /* top: highest power of two <= n */
    long long *t;           /* 1-based */
} fenwick;

static int fen_init(fenwick *f, size_t n)
{
    f->n = n;
    for (f->top = 1; f->top * 2 <= n; f->top *= 2)
        ;
    f->t = calloc(n + 1, sizeof *f->t);
    return f->t ? 0 : -1;
}

static void fen_add(fenwick *f, size_t i, long long w)
{
    for (i++; i <= f->n; i += i & (~i + 1))
        f->t[i] += w;
}

/* Sum of weights [0, i). */
static long long fen_sum(const fenwick *f, size_t i)
{
    long long s = 0;

    for (; i > 0; i -= i & (~i + 1))
        s += f->t[i];
    return s;
}

/* The index i with sum [0, i) <= x < sum [0, i + 1), for 0 <= x < the
 * total. */
static size_t fen_find(const fenwick *f, long long x)
{
    size_t pos = 0, step;

    for (step = f->top; step > 0; step /= 2)
        if (pos + step <= f->n && f->t[pos + step] <= x) {
            pos += step;
            x -= f->t[pos];
        }
    return pos;
}

/* A growing list of edges. */
typedef struct elist {
    mdl_gen_edge *e;
    size_t n, cap;
} elist;

static int push(elist *l, size_t from, size_t to)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        mdl_gen_edge *e = realloc(l->e, cap * sizeof *e);
        if (!e)
            return SIM_ENOMEM;
        l->e = e;
        l->cap = cap;
    }
    l->e[l->n].from = from;
    l->e[l->n].to = to;
    l->e[l->n].p = 1;
    l->e[l->n].stage = 0;
    l->n++;
    return SIM_OK;
}

/* ------------------------------------------------------------------ */
/* Shapes */

static int build_chain(mdl_gen_graph *g, elist *l)
{
    size_t i;

    for (i = 0; i < g->n; i++)
        g->svc[i].level = (int)i;
    for (i = 0; i + 1 < g->n; i++)
        if (push(l, i, i + 1) != SIM_OK)
            return SIM_ENOMEM;
    g->nentry = 1;
    return SIM_OK;
}

static int build_tree(mdl_gen_graph *g, const mdl_gen_params *p, elist *l)
{
    size_t i, k = (size_t)p->fanout;

    g->svc[0].level = 0;
    for (i = 1; i < g->n; i++) {
        size_t parent = (i - 1) / k;
        g->svc[i].level = g->svc[parent].level + 1;
        if (push(l, parent, i) != SIM_OK)
            return SIM_ENOMEM;
    }
    g->nentry = 1;
    return SIM_OK;
}

/* Push edges from u to k distinct services of [a, a + len), drawn
 * uniformly (Floyd's algorithm; mark[] holds the caller's stamp). */
static int pick_range(elist *l, gsl_rng *r, size_t u, size_t a, size_t len,
                      size_t k, size_t *mark, size_t stamp, char *called)
{
    size_t j, t;

    for (j = len - k; j < len; j++) {
        t = (size_t)below(r, (uint64_t)j + 1);
        if (mark[a + t] == stamp)
            t = j;
        mark[a + t] = stamp;
        called[a + t] = 1;
        if (push(l, u, a + t) != SIM_OK)
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

static int build_layered(mdl_gen_graph *g, const mdl_gen_params *p,
                         elist *l, gsl_rng *r)
{
    size_t L = (size_t)p->layers, n = g->n, *start, *mark = NULL, i, u;
    char *called = NULL;
    int rc = SIM_ENOMEM;

    start = malloc((L + 1) * sizeof *start);
    mark = calloc(n, sizeof *mark);
    called = calloc(n, 1);
    if (!start || !mark || !called)
        goto fail;
    start[0] = 0;
    for (i = 0; i < L; i++)
        start[i + 1] = start[i] + n / L + (i < n % L);
    for (i = 0; i < L; i++)
        for (u = start[i]; u < start[i + 1]; u++)
            g->svc[u].level = (int)i;
    for (i = 0; i + 1 < L; i++) {
        size_t next = start[i + 2] - start[i + 1], deep = n - start[i + 2];
        for (u = start[i]; u < start[i + 1]; u++) {
            long k = q3_draw(&p->out, r, (long)(p->skip > 0 ? next + deep
                                                            : next));
            size_t kd = deep > 0 && p->skip > 0
                        ? gsl_ran_binomial(r, p->skip, (unsigned)k) : 0;
            size_t kn = (size_t)k - kd;
            /* What does not fit in one part goes to the other. */
            if (kn > next) {
                kd += kn - next;
                kn = next;
            }
            if (kd > deep) {
                kn += kd - deep;
                kd = deep;
            }
            if (pick_range(l, r, u, start[i + 1], next, kn, mark, u + 1,
                           called) != SIM_OK
                || pick_range(l, r, u, start[i + 2], deep, kd, mark, u + 1,
                              called) != SIM_OK)
                goto fail;
        }
    }
    /* Every service below the first layer gets a caller. */
    for (i = 1; i < L; i++)
        for (u = start[i]; u < start[i + 1]; u++)
            if (!called[u]) {
                size_t c = start[i - 1]
                           + (size_t)below(r, start[i] - start[i - 1]);
                if (push(l, c, u) != SIM_OK)
                    goto fail;
                g->forced++;
            }
    g->nentry = start[1];
    rc = SIM_OK;
fail:
    free(start);
    free(mark);
    free(called);
    return rc;
}

/* Take `excess` edge ends off deg[0..n-1], each from a service drawn in
 * proportion to deg - 1. Returns the number taken, or -1 (memory). */
static long long trim(long *deg, size_t n, long long excess, gsl_rng *r)
{
    fenwick f;
    long long done = 0, tot;
    size_t i;

    if (excess <= 0)
        return 0;
    if (fen_init(&f, n) < 0)
        return -1;
    for (i = 0; i < n; i++)
        if (deg[i] > 1)
            fen_add(&f, i, deg[i] - 1);
    while (done < excess && (tot = fen_sum(&f, n)) > 0) {
        i = fen_find(&f, (long long)below(r, (uint64_t)tot));
        deg[i]--;
        fen_add(&f, i, -1);
        done++;
    }
    free(f.t);
    return done;
}

typedef struct by_degree {
    long deg;
    size_t idx;
} by_degree;

/* Decreasing degree, then increasing index. */
static int cmp_degree(const void *a, const void *b)
{
    const by_degree *x = a, *y = b;

    if (x->deg != y->deg)
        return x->deg > y->deg ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Roles and levels: start[lv] is the first service of level lv,
 * start[depth] = n. Returns the number of entry services. */
static size_t roles(mdl_gen_graph *g, const mdl_gen_params *p, size_t *start)
{
    size_t n = g->n, D = (size_t)p->depth, E, L, M, lv, i;
    double leaf = p->leaf;

    if (leaf < 0) {
        /* (1 - leaf) E[out] = (1 - entry) E[in] */
        double mo = mdl_gen_q3_mean(&p->out, (long)n - 1);
        double mi = mdl_gen_q3_mean(&p->in, (long)n - 1);
        leaf = n > 1 ? 1 - (1 - p->entry) * mi / mo : 0;
        if (leaf < 0)
            leaf = 0;
        if (leaf > 1 - p->entry)
            leaf = 1 - p->entry;
    }
    g->leaf = leaf;
    E = (size_t)floor(p->entry * (double)n + 0.5);
    if (E < 1)
        E = 1;
    if (E > n)
        E = n;
    L = (size_t)floor(leaf * (double)n + 0.5);
    if (L > n - E)
        L = n - E;
    M = n - E - L;
    if (D == 2) {               /* no room for middle services */
        L += M;
        M = 0;
    }
    if (M > 0 && L == 0) {      /* middle services need someone to call */
        L = 1;
        M--;
    }
    start[0] = 0;
    start[1] = E;
    for (lv = 1; lv + 1 < D; lv++)
        start[lv + 1] = start[lv] + M / (D - 2) + (lv - 1 < M % (D - 2));
    start[D] = n;
    for (lv = 0; lv < D; lv++)
        for (i = start[lv]; i < start[lv + 1]; i++)
            g->svc[i].level = (int)lv;
    return E;
}

/* The cap of service i's degree: the services of deeper levels (out)
 * or of shallower ones (in). */
static long degree_cap(const mdl_gen_graph *g, const size_t *start,
                       size_t i, int out)
{
    int lv = g->svc[i].level;

    return (long)(out ? g->n - start[lv + 1] : start[lv]);
}

/* The expected sum of the degrees of services [a, b), capped: one cap
 * per level. Returns -1 when out of memory. */
static double expected_sum(const mdl_gen_graph *g, const mdl_gen_q3 *d,
                           const size_t *start, size_t a, size_t b, int out)
{
    cap_mean *c;
    double sum = 0;
    size_t i = a, j, m = 0;

    if (a >= b)
        return 0;
    c = malloc(((size_t)g->svc[b - 1].level + 1) * sizeof *c);
    if (!c)
        return -1;
    while (i < b) {
        for (j = i; j < b && g->svc[j].level == g->svc[i].level; j++)
            ;
        c[m].cap = degree_cap(g, start, i, out);
        c[m].count = j - i;
        m++;
        i = j;
    }
    q3_means(d, c, m);
    for (i = 0; i < m; i++)
        sum += (double)c[i].count * c[i].mean;
    free(c);
    return sum;
}

/* Draw the degrees k[a..b-1] up to BALANCE_TRIES times, keeping the
 * draw whose sum is closest to target (within BALANCE_TOL of it ends the
 * search); best[] is scratch. Returns the sum. */
static long long draw_degrees(const mdl_gen_graph *g, const mdl_gen_q3 *d,
                              gsl_rng *r, const size_t *start, size_t a,
                              size_t b, int out, double target, long *k,
                              long *best)
{
    long long sum, best_sum = 0;
    double off, best_off = -1;
    size_t i;
    int try;

    for (try = 0; try < BALANCE_TRIES; try++) {
        sum = 0;
        for (i = a; i < b; i++) {
            k[i] = q3_draw(d, r, degree_cap(g, start, i, out));
            sum += k[i];
        }
        off = fabs((double)sum - target);
        if (best_off < 0 || off < best_off) {
            best_off = off;
            best_sum = sum;
            memcpy(best + a, k + a, (b - a) * sizeof *k);
        }
        if (off <= BALANCE_TOL * target)
            break;
    }
    memcpy(k + a, best + a, (b - a) * sizeof *k);
    return best_sum;
}

static int build_production(mdl_gen_graph *g, const mdl_gen_params *p,
                            elist *l, gsl_rng *r)
{
    size_t n = g->n, D = (size_t)p->depth, C, E, i, v, lv, npick;
    size_t *start = NULL, *picked = NULL;
    long *kout = NULL, *kin = NULL, *best = NULL, *cnt_out = NULL;
    long long sout, sin, t;
    double target, eo, ei;
    by_degree *order = NULL;
    fenwick f = {0, 0, NULL};
    int rc = SIM_ENOMEM;

    start = malloc((D + 1) * sizeof *start);
    if (!start)
        goto fail;
    E = g->nentry = roles(g, p, start);
    C = start[D - 1];           /* callers: entries and middle services */
    kout = calloc(n, sizeof *kout);
    kin = calloc(n, sizeof *kin);
    best = calloc(n, sizeof *best);
    cnt_out = calloc(n, sizeof *cnt_out);
    order = malloc(n * sizeof *order);
    picked = malloc(n * sizeof *picked);
    if (!kout || !kin || !best || !cnt_out || !order
        || !picked || fen_init(&f, C ? C : 1) < 0)
        goto fail;

    /* Fan-outs capped at the services of deeper levels, fan-ins at
     * those of shallower ones; each sum drawn close to the middle of the
     * two expected sums. */
    eo = expected_sum(g, &p->out, start, 0, C, 1);
    ei = expected_sum(g, &p->in, start, E, n, 0);
    if (eo < 0 || ei < 0)
        goto fail;
    target = (eo + ei) / 2;
    sout = draw_degrees(g, &p->out, r, start, 0, C, 1, target, kout, best);
    sin = draw_degrees(g, &p->in, r, start, E, n, 0, (double)sout, kin,
                       best);
    t = sout > sin ? trim(kout, C, sout - sin, r)
                   : trim(kin + E, n - E, sin - sout, r);
    if (t < 0)
        goto fail;
    g->trimmed = (size_t)t;

    /* Match callees, shallowest level first, to callers of shallower
     * levels (a prefix of the numbering) by their remaining ends. */
    for (i = 0; i < C; i++)
        fen_add(&f, i, kout[i]);
    for (lv = 1; lv < D; lv++) {
        size_t a = start[lv], b = start[lv + 1], k;
        for (v = a; v < b; v++) {
            order[v - a].deg = kin[v];
            order[v - a].idx = v;
        }
        qsort(order, b - a, sizeof *order, cmp_degree);
        for (k = 0; k < b - a; k++) {
            v = order[k].idx;
            npick = 0;
            while ((long)npick < kin[v]) {
                long long tot = fen_sum(&f, a);
                size_t u;
                if (tot == 0)
                    break;
                u = fen_find(&f, (long long)below(r, (uint64_t)tot));
                picked[npick++] = u;
                fen_add(&f, u, -kout[u]);   /* not again for v */
                if (push(l, u, v) != SIM_OK)
                    goto fail;
                cnt_out[u]++;
            }
            g->unmatched += (size_t)(kin[v] - (long)npick);
            if (npick == 0) {
                /* No ends left above v: a caller drawn uniformly. */
                size_t u = (size_t)below(r, a);
                if (push(l, u, v) != SIM_OK)
                    goto fail;
                cnt_out[u]++;
                g->forced++;
            }
            while (npick > 0) {
                size_t u = picked[--npick];
                kout[u]--;
                fen_add(&f, u, kout[u]);
            }
        }
    }
    for (i = 0; i < C; i++)
        g->unmatched += (size_t)kout[i];
    /* Every caller calls someone (of a deeper level). */
    for (i = 0; i < C; i++)
        if (cnt_out[i] == 0) {
            size_t a = start[g->svc[i].level + 1];
            if (a >= n)
                continue;
            if (push(l, i, a + (size_t)below(r, n - a)) != SIM_OK)
                goto fail;
            g->forced++;
        }
    rc = SIM_OK;
fail:
    free(start);
    free(picked);
    free(kout);
    free(kin);
    free(best);
    free(cnt_out);
    free(order);
    free(f.t);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Calls, work and workers */

static int cmp_edge(const void *a, const void *b)
{
    const mdl_gen_edge *x = a, *y = b;

    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* Edge probabilities and stages, from each caller's fan-out. */
static void set_calls(mdl_gen_graph *g, const mdl_gen_params *p)
{
    size_t a = 0, b, j;

    while (a < g->m) {
        for (b = a; b < g->m && g->edge[b].from == g->edge[a].from; b++)
            ;
        for (j = a; j < b; j++) {
            double q = p->calls > 0 ? p->calls / (double)(b - a) : 1;
            g->edge[j].p = q < 1 ? q : 1;
            g->edge[j].stage = (int)((j - a) % (size_t)p->stages);
        }
        a = b;
    }
}

typedef struct by_value {
    double x;
    size_t idx;
} by_value;

/* Decreasing value, then increasing index. */
static int cmp_value(const void *a, const void *b)
{
    const by_value *x = a, *y = b;

    if (x->x != y->x)
        return x->x > y->x ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_int_desc(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x < y) - (x > y);
}

static int set_work(mdl_gen_graph *g, const mdl_gen_params *p,
                    gsl_rng *rw, gsl_rng *rs)
{
    size_t n = g->n, i, e;
    double *visits = NULL;
    int *servers = NULL, rc = SIM_ENOMEM;
    by_value *rank = NULL;

    for (i = 0; i < n; i++) {
        double us = floor(p->work_median * 1e6
                          * exp(p->work_sigma
                                * gsl_ran_gaussian_ziggurat(rw, 1.0)) + 0.5);
        g->svc[i].work_us = us < 1 ? 1
                            : us > WORK_US_MAX ? (long long)WORK_US_MAX
                                               : (long long)us;
    }
    servers = malloc(n * sizeof *servers);
    if (!servers)
        goto fail;
    for (i = 0; i < n; i++) {
        double inst = mdl_gen_q3_at(&p->instances,
                                    gsl_ran_gaussian_ziggurat(rs, 1.0));
        double c;
        if (inst > p->instances_max)
            inst = p->instances_max;
        c = floor(inst / p->per_server + 0.5);
        servers[i] = c < 1 ? 1 : c > MDL_SERVERS_MAX ? MDL_SERVERS_MAX
                                                     : (int)c;
    }
    if (!p->provision) {
        for (i = 0; i < n; i++)
            g->svc[i].servers = servers[i];
        rc = SIM_OK;
        goto fail;
    }
    /* Expected visits per request, in index order (a topological one),
     * then the work per request of each service, ranked. */
    visits = calloc(n, sizeof *visits);
    rank = malloc(n * sizeof *rank);
    if (!visits || !rank)
        goto fail;
    for (i = 0; i < g->nentry; i++)
        visits[i] = 1.0 / (double)g->nentry;
    for (e = 0; e < g->m; e++)
        visits[g->edge[e].to] += visits[g->edge[e].from] * g->edge[e].p;
    for (i = 0; i < n; i++) {
        rank[i].x = visits[i] * (double)g->svc[i].work_us;
        rank[i].idx = i;
    }
    qsort(rank, n, sizeof *rank, cmp_value);
    qsort(servers, n, sizeof *servers, cmp_int_desc);
    for (i = 0; i < n; i++)
        g->svc[rank[i].idx].servers = servers[i];
    rc = SIM_OK;
fail:
    free(servers);
    free(visits);
    free(rank);
    return rc;
}

int mdl_gen_build(mdl_gen_graph *g, const mdl_gen_params *p)
{
    gsl_rng *shape = NULL, *work = NULL, *workers = NULL;
    elist l = {NULL, 0, 0};
    char err[256];
    size_t e;
    int rc = SIM_ENOMEM;

    memset(g, 0, sizeof *g);
    if (mdl_gen_check(p, err, sizeof err) < 0)
        return SIM_EPARSE;
    g->n = (size_t)p->n;
    g->leaf = -1;
    g->svc = calloc(g->n, sizeof *g->svc);
    shape = stream(p->seed, "gen:shape");
    work = stream(p->seed, "gen:work");
    workers = stream(p->seed, "gen:workers");
    if (!g->svc || !shape || !work || !workers)
        goto fail;
    switch (p->kind) {
    case MDL_GEN_CHAIN:
        rc = build_chain(g, &l);
        break;
    case MDL_GEN_TREE:
        rc = build_tree(g, p, &l);
        break;
    case MDL_GEN_LAYERED:
        rc = build_layered(g, p, &l, shape);
        break;
    default:
        rc = build_production(g, p, &l, shape);
        break;
    }
    if (rc != SIM_OK)
        goto fail;
    g->edge = l.e;
    g->m = l.n;
    l.e = NULL;
    if (g->m > 1)               /* no edges: no array to sort */
        qsort(g->edge, g->m, sizeof *g->edge, cmp_edge);
    for (e = 0; e < g->m; e++) {
        /* the invariants of mdl_gen.h */
        if (g->edge[e].from >= g->edge[e].to
            || (e > 0 && !cmp_edge(&g->edge[e - 1], &g->edge[e])))
            sim_panic(__FILE__, __LINE__, "generated edge %zu -> %zu out "
                      "of order or repeated", g->edge[e].from,
                      g->edge[e].to);
    }
    set_calls(g, p);
    rc = set_work(g, p, work, workers);
fail:
    free(l.e);
    gsl_rng_free(shape);
    gsl_rng_free(work);
    gsl_rng_free(workers);
    return rc;
}

void mdl_gen_destroy(mdl_gen_graph *g)
{
    free(g->svc);
    free(g->edge);
    memset(g, 0, sizeof *g);
}

int mdl_gen_shape_of(const mdl_gen_graph *g, mdl_gen_shape *s)
{
    size_t *in = calloc(g->n + 1, sizeof *in), *out, *lvl, i, e;

    memset(s, 0, sizeof *s);
    out = calloc(g->n + 1, sizeof *out);
    lvl = calloc(g->n + 1, sizeof *lvl);
    if (!in || !out || !lvl) {
        free(in);
        free(out);
        free(lvl);
        return SIM_ENOMEM;
    }
    /* Edges are sorted by caller and go up the numbering, so one pass
     * finds each service's longest path from an entry service. */
    for (e = 0; e < g->m; e++) {
        size_t a = g->edge[e].from, b = g->edge[e].to;
        out[a]++;
        in[b]++;
        if (lvl[a] + 1 > lvl[b])
            lvl[b] = lvl[a] + 1;
    }
    for (i = 0; i < g->n; i++) {
        if (in[i] == 0)
            s->entries++;
        else if (out[i] == 0)
            s->leaves++;
        else
            s->middles++;
        if (lvl[i] + 1 > s->depth)
            s->depth = lvl[i] + 1;
        if (out[i] > s->max_out)
            s->max_out = out[i];
        if (in[i] > s->max_in)
            s->max_in = in[i];
    }
    free(in);
    free(out);
    free(lvl);
    return SIM_OK;
}
