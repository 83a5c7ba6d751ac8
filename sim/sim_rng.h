/*
 * sim_rng.h - independent random streams for every random source.
 *
 * A stream's seed is a hash of (master seed, replication index, stream
 * id), so each source (a workload's arrivals, a service's service times,
 * routing at a service) draws from its own generator. Stream ids come from
 * the source's name, not its position, so two scenarios that differ in one
 * service still see the same arrivals elsewhere (common random numbers).
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H
#include <stdint.h>
#include <gsl/gsl_rng.h>

/* A 64-bit stream id from a name such as "arrival:browse" (FNV-1a). */
uint64_t sim_rng_id(const char *name);
/* The seed of one stream: a splitmix64 hash of its three inputs. */
uint64_t sim_rng_seed(uint64_t master, uint64_t rep, uint64_t stream);
/* A new taus2 generator for the stream; NULL when out of memory. The
 * caller frees it with gsl_rng_free(). */
gsl_rng *sim_rng_new(uint64_t master, uint64_t rep, uint64_t stream);

/* A taus2 generator whose state lives in its owner's memory rather than
 * in two allocations of its own, so that a model with thousands of
 * streams keeps each next to what draws from it. Use &slot->r. */
typedef struct sim_rng_slot {
    gsl_rng r;
    unsigned long state[4];     /* taus2 needs three */
} sim_rng_slot;

/* Make slot a taus2 generator (once); then seed it for a stream as
 * sim_rng_new() would, as often as needed: it draws the same numbers. */
void sim_rng_slot_init(sim_rng_slot *slot);
void sim_rng_slot_seed(sim_rng_slot *slot, uint64_t master, uint64_t rep,
                       uint64_t stream);

#endif /* SIM_RNG_H */
