/*
 * sim_rng.c - stream seeding by hashing.
 *
 * splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014) mixes the three inputs so that neighbouring
 * replications and streams get unrelated seeds. GSL's taus2 (L'Ecuyer 1996,
 * maximally equidistributed combined Tausworthe) takes a 32-bit seed and
 * expands it through an LCG; we fold the 64-bit hash into it, and map 0 to
 * a fixed non-zero value since taus2 treats seed 0 as its default seed.
 */
#include "sim_err.h"
#include "sim_rng.h"

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t sim_rng_id(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *name; name++) {
        h ^= (unsigned char)*name;
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t sim_rng_seed(uint64_t master, uint64_t rep, uint64_t stream)
{
    return splitmix64(splitmix64(splitmix64(master) ^ rep) ^ stream);
}

static void seed(gsl_rng *r, uint64_t master, uint64_t rep, uint64_t stream)
{
    uint64_t s = sim_rng_seed(master, rep, stream);
    unsigned long v = (unsigned long)((s ^ (s >> 32)) & 0xffffffffUL);

    gsl_rng_set(r, v ? v : 0x5eedUL);
}

gsl_rng *sim_rng_new(uint64_t master, uint64_t rep, uint64_t stream)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

    if (r)
        seed(r, master, rep, stream);
    return r;
}

void sim_rng_slot_init(sim_rng_slot *slot)
{
    if (gsl_rng_taus2->size > sizeof slot->state)
        sim_panic(__FILE__, __LINE__, "taus2 state of %zu bytes",
                  gsl_rng_taus2->size);
    slot->r.type = gsl_rng_taus2;
    slot->r.state = slot->state;
}

void sim_rng_slot_seed(sim_rng_slot *slot, uint64_t master, uint64_t rep,
                       uint64_t stream)
{
    seed(&slot->r, master, rep, stream);
}
