/*
 * mdl_balancer.c - replica choice (see mdl_balancer.h).
 *
 * least: the fewest outstanding visits, ties broken uniformly by
 *   reservoir sampling (else the first replicas would take every tie).
 * p2c: the better of two distinct random replicas (Mitzenmacher 2001;
 *   Envoy's LEAST_REQUEST default).
 * hash: a consistent-hash ring with RING_POINTS points per replica, keyed
 *   on the request (Karger et al. 1997): the first point at or after the
 *   key's hash, wrapping around.
 *
 * Ejected replicas (see mdl_balancer.h) are skipped by a twin of each
 * policy, out of the common path: round robin moves on to the next
 * replica in, random draws among those in, least scans those in, p2c
 * draws two distinct ones in, and the hash ring walks on from the key's
 * point to the first point of a replica in, which is where the key would
 * land on a ring of those replicas alone.
 */
#include <stdlib.h>
#include "../sim/sim_err.h"
#include "../sim/sim_rng.h"
#include "mdl_balancer.h"

#define RING_POINTS 256

uint64_t mdl_balancer_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Pairs (hash, replica) sorted by hash, then split into two arrays. */
static int build_ring(mdl_balancer *b, const mdl_service *svc)
{
    int r, k, n = b->n * RING_POINTS;
    uint64_t *pts = malloc((size_t)n * 2 * sizeof *pts);

    b->ring = malloc((size_t)n * sizeof *b->ring);
    b->ring_rep = malloc((size_t)n * sizeof *b->ring_rep);
    if (!pts || !b->ring || !b->ring_rep) {
        free(pts);
        return SIM_ENOMEM;
    }
    for (r = 0; r < b->n; r++)
        for (k = 0; k < RING_POINTS; k++) {
            size_t i = (size_t)(r * RING_POINTS + k);
            pts[2 * i] = mdl_balancer_mix(sim_rng_id(svc->name)
                                          ^ ((uint64_t)r << 32
                                             | (uint64_t)k));
            pts[2 * i + 1] = (uint64_t)r;
        }
    qsort(pts, (size_t)n, 2 * sizeof *pts, cmp_u64);
    for (k = 0; k < n; k++) {
        b->ring[k] = pts[2 * k];
        b->ring_rep[k] = (int)pts[2 * k + 1];
    }
    b->nring = n;
    free(pts);
    return SIM_OK;
}

int mdl_balancer_init(mdl_balancer *b, const mdl_service *svc)
{
    return mdl_balancer_init_slots(b, svc, svc->replicas);
}

void mdl_balancer_resize(mdl_balancer *b, int n)
{
    b->n = n;
    if (b->rr >= n)
        b->rr = 0;
}

int mdl_balancer_init_slots(mdl_balancer *b, const mdl_service *svc,
                            int slots)
{
    b->policy = svc->lb;
    b->n = slots;
    b->rr = 0;
    b->ring = NULL;
    b->ring_rep = NULL;
    b->nring = 0;
    b->nout = 0;
    b->out = NULL;
    if (b->policy == MDL_LB_HASH && b->n > 1)
        return build_ring(b, svc);
    return SIM_OK;
}

void mdl_balancer_destroy(mdl_balancer *b)
{
    free(b->ring);
    free(b->ring_rep);
    free(b->out);
    b->ring = NULL;
    b->ring_rep = NULL;
    b->out = NULL;
}

void mdl_balancer_reset(mdl_balancer *b)
{
    int r;

    b->rr = 0;
    for (r = 0; b->out && r < b->n; r++)
        b->out[r] = 0;
    b->nout = 0;
}

int mdl_balancer_allow_ejection(mdl_balancer *b)
{
    if (!b->out && !(b->out = calloc((size_t)b->n, 1)))
        return SIM_ENOMEM;
    return SIM_OK;
}

void mdl_balancer_eject(mdl_balancer *b, int r, int on)
{
    SIM_INVARIANT(b->out && r >= 0 && r < b->n && b->out[r] != !!on);
    b->out[r] = (unsigned char)!!on;
    b->nout += on ? 1 : -1;
}

static long load_of(const long *load, size_t stride, int r)
{
    return *(const long *)((const char *)load + (size_t)r * stride);
}

/* The replica with the fewest outstanding visits among those not out
 * (out: NULL, or 1 for each ejected one), ties broken uniformly. */
static inline int least(const mdl_balancer *b, gsl_rng *rng,
                        const long *load, size_t stride,
                        const unsigned char *out)
{
    int a = -1, c, lo = 1;

    for (c = 0; c < b->n; c++) {
        long la, lc;
        if (out && out[c])
            continue;
        if (a < 0) {
            a = c;
            continue;
        }
        la = load_of(load, stride, a);
        lc = load_of(load, stride, c);
        if (lc < la) {
            a = c;
            lo = 1;
        } else if (lc == la
                   && gsl_rng_uniform_int(rng, (unsigned long)++lo) == 0) {
            a = c;
        }
    }
    return a;
}

/* The k-th replica (from 0) not ejected. */
static int kth_in(const mdl_balancer *b, int k)
{
    int r;

    for (r = 0; r < b->n; r++)
        if (!b->out[r] && k-- == 0)
            return r;
    SIM_INVARIANT(0);
    return 0;
}

/* The first point at or after the key's hash, wrapping around. */
static int ring_point(const mdl_balancer *b, uint64_t key)
{
    uint64_t h = mdl_balancer_mix(key);
    int lo = 0, hi = b->nring;

    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (b->ring[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == b->nring ? 0 : lo;
}

/* mdl_balancer_choose() among the replicas not ejected, at least half of
 * them. */
static __attribute__((noinline)) int choose_in(mdl_balancer *b,
                                               uint64_t key, gsl_rng *rng,
                                               const long *load,
                                               size_t stride)
{
    int in = b->n - b->nout, a, c, i;

    switch (b->policy) {
    case MDL_LB_RANDOM:
        return kth_in(b, (int)gsl_rng_uniform_int(rng, (unsigned long)in));
    case MDL_LB_LEAST:
        return least(b, rng, load, stride, b->out);
    case MDL_LB_P2C:
        if (in == 1)
            return kth_in(b, 0);
        i = (int)gsl_rng_uniform_int(rng, (unsigned long)in);
        c = (int)gsl_rng_uniform_int(rng, (unsigned long)in - 1);
        if (c >= i)
            c++;
        a = kth_in(b, i);
        c = kth_in(b, c);
        return load_of(load, stride, c) < load_of(load, stride, a) ? c : a;
    case MDL_LB_HASH:
        for (i = ring_point(b, key);
             b->ring_rep[i] >= b->n || b->out[b->ring_rep[i]];
             i = (i + 1) % b->nring)
            ;
        return b->ring_rep[i];
    case MDL_LB_ROUND_ROBIN:
    default:
        do {
            a = b->rr;
            b->rr = (b->rr + 1) % b->n;
        } while (b->out[a]);
        return a;
    }
}

int mdl_balancer_choose(mdl_balancer *b, uint64_t key, gsl_rng *rng,
                        const long *load, size_t stride)
{
    int a, c, i;

    /* Some ejected, and not in panic: fewer than half of them. */
    if (__builtin_expect(b->nout > 0, 0) && 2 * (b->n - b->nout) >= b->n)
        return choose_in(b, key, rng, load, stride);
    switch (b->policy) {
    case MDL_LB_RANDOM:
        return (int)gsl_rng_uniform_int(rng, (unsigned long)b->n);
    case MDL_LB_LEAST:
        return least(b, rng, load, stride, NULL);
    case MDL_LB_P2C:
        a = (int)gsl_rng_uniform_int(rng, (unsigned long)b->n);
        c = (int)gsl_rng_uniform_int(rng, (unsigned long)b->n - 1);
        if (c >= a)
            c++;                    /* two distinct replicas */
        return load_of(load, stride, c) < load_of(load, stride, a) ? c : a;
    case MDL_LB_HASH:
        for (i = ring_point(b, key); b->ring_rep[i] >= b->n;
             i = (i + 1) % b->nring)
            ;
        return b->ring_rep[i];
    case MDL_LB_ROUND_ROBIN:
    default:
        a = b->rr;
        b->rr = (b->rr + 1) % b->n;
        return a;
    }
}
