/*
 * mdl_pool.h - fixed-size object pools for the engine's hot path.
 *
 * Requests, visits, calls and ledger pages are taken from and given back
 * to a pool many times a second; a pool hands them out from a free list
 * and grows by chunks, so steady state does no allocation. The first
 * chunk holds MDL_POOL_BATCH objects and each next one twice as many, up
 * to a huge page (sim/sim_mem.h): a model with a million requests in
 * flight keeps them in a few hundred huge pages rather than in thousands
 * of small blocks. Chunks are released together by mdl_pool_clear() at the
 * end of a replication. A pooled object's first sizeof(void *) bytes
 * hold the free-list link while it is free; the rest keeps its contents
 * from one use to the next (a generation number can live there), and an
 * object from a new chunk starts zeroed.
 */
#ifndef MDL_POOL_H
#define MDL_POOL_H
#include <stddef.h>

#define MDL_POOL_BATCH 1024

typedef struct mdl_pool {
    size_t size;            /* private: object size, bytes */
    size_t batch;           /* private: objects of the next chunk */
    void *free;             /* private: free list */
    void *chunks;           /* private: owned allocations */
} mdl_pool;

/* An empty pool of objects of size bytes (>= sizeof(void *)). */
void mdl_pool_init(mdl_pool *p, size_t size);
/* Free every chunk: every object taken from p is gone. */
void mdl_pool_clear(mdl_pool *p);
/* Slow path of mdl_pool_get(): grow by a chunk. NULL when out of memory. */
void *mdl_pool_grow(mdl_pool *p);

/* An object of p's size (contents undefined), or NULL when out of
 * memory. */
static inline void *mdl_pool_get(mdl_pool *p)
{
    void *o = p->free;

    if (!o)
        return mdl_pool_grow(p);
    p->free = *(void **)o;
    return o;
}

/* Give o back to p. */
static inline void mdl_pool_put(mdl_pool *p, void *o)
{
    *(void **)o = p->free;
    p->free = o;
}

#endif /* MDL_POOL_H */
