/*
 * mdl_balancer.h - which replica of a service takes a call: round robin,
 * random, least outstanding, power of two choices, or a hash ring.
 *
 * A balancer knows the number of replicas and, for the load-aware
 * policies, reads each replica's count of outstanding visits through a
 * pointer and a stride (the counts live in the caller's replica
 * objects). Random choices draw from the stream the caller passes.
 *
 * Replicas may be ejected (outlier detection, mdl_outlier.h): every
 * policy then chooses among the others, as Envoy balances over its
 * healthy hosts, unless fewer than half the replicas are left: then, as
 * Envoy does below its healthy_panic_threshold (default 50%), it
 * balances over all of them (envoyproxy/envoy, load_balancer_impl.cc,
 * isHostSetInPanic). With nothing ejected the choice costs one test.
 */
#ifndef MDL_BALANCER_H
#define MDL_BALANCER_H
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "mdl_topology.h"

typedef struct mdl_balancer {
    mdl_lb policy;          /* read-only */
    int n;                  /* read-only: replicas */
    int rr;                 /* private: round-robin cursor */
    uint64_t *ring;         /* private: hash ring points, sorted */
    int *ring_rep;          /* private: replica of each point */
    int nring;
    int nout;               /* read-only: replicas ejected */
    unsigned char *out;     /* private: 1 for an ejected replica; NULL
                               unless mdl_balancer_allow_ejection() */
} mdl_balancer;

/* A balancer over the replicas of svc (its name seeds the hash ring).
 * Returns SIM_OK or SIM_ENOMEM (b can be destroyed either way). */
int mdl_balancer_init(mdl_balancer *b, const mdl_service *svc);
/* The same over `slots` replicas, of which only the first n take calls
 * (mdl_balancer_resize). */
int mdl_balancer_init_slots(mdl_balancer *b, const mdl_service *svc,
                            int slots);
/* Only replicas 0 .. n-1 take calls from now on (an autoscaled service:
 * the others are starting or draining). On the hash ring a key whose
 * replica is out goes on to the next point, as a consistent hash does
 * when a member leaves. */
void mdl_balancer_resize(mdl_balancer *b, int n);
void mdl_balancer_destroy(mdl_balancer *b);
/* Back to the first replica for round robin, none ejected (a new
 * replication). */
void mdl_balancer_reset(mdl_balancer *b);
/* Make room to eject replicas. Returns SIM_OK or SIM_ENOMEM. */
int mdl_balancer_allow_ejection(mdl_balancer *b);
/* Eject replica r (on) or bring it back (!on); allowed first. */
void mdl_balancer_eject(mdl_balancer *b, int r, int on);
/* Several replicas: see mdl_balancer_pick(). */
int mdl_balancer_choose(mdl_balancer *b, uint64_t key, gsl_rng *rng,
                        const long *load, size_t stride);

/* The replica (0 .. n-1) for a call with request key `key`. load points
 * at replica 0's outstanding count, the others stride bytes apart. */
static inline int mdl_balancer_pick(mdl_balancer *b, uint64_t key,
                                    gsl_rng *rng, const long *load,
                                    size_t stride)
{
    return b->n == 1 ? 0 : mdl_balancer_choose(b, key, rng, load, stride);
}
/* A 64-bit mixing function (the finalizer of MurmurHash3). */
uint64_t mdl_balancer_mix(uint64_t x);

#endif /* MDL_BALANCER_H */
