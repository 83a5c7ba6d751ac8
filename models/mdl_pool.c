/*
 * mdl_pool.c - chunked free-list pools (see mdl_pool.h).
 *
 * A chunk is one allocation: a header, then its objects. The header is
 * one cache line and sim_mem's blocks start on one, so the objects after
 * it are aligned for any type, and an object whose size is a multiple of
 * the line (a type aligned to it) starts on a line of its own. A chunk
 * that would pass a huge page is cut to fill exactly one with sim_mem's
 * line (sim_mem.c), so that none leaves a huge page partly used.
 */
#include <stdlib.h>
#include "../sim/sim_mem.h"
#include "mdl_pool.h"

typedef union chunk {
    union chunk *next;
    max_align_t align;
    char line[SIM_MEM_LINE];
} chunk;

void mdl_pool_init(mdl_pool *p, size_t size)
{
    /* sizeof a type is a multiple of its alignment: objects laid end to
     * end after an aligned header stay aligned. */
    p->size = size < sizeof(void *) ? sizeof(void *) : size;
    p->free = NULL;
    p->chunks = NULL;
    p->batch = MDL_POOL_BATCH;
}

void mdl_pool_clear(mdl_pool *p)
{
    chunk *ch = p->chunks;

    while (ch) {
        chunk *next = ch->next;
        sim_mem_free(ch);
        ch = next;
    }
    p->chunks = NULL;
    p->free = NULL;
    p->batch = MDL_POOL_BATCH;
}

void *mdl_pool_grow(mdl_pool *p)
{
    /* With sim_mem's line, a huge page. */
    size_t n = p->batch, i, bytes, most = SIM_MEM_HUGE - SIM_MEM_LINE;
    chunk *ch;
    char *o;

    if (sizeof *ch + p->size * n < most) {
        bytes = sizeof *ch + p->size * n;
        p->batch *= 2;
    } else if (sizeof *ch + p->size <= most) {
        bytes = most;
        n = (bytes - sizeof *ch) / p->size;
    } else {
        n = 1;
        bytes = sizeof *ch + p->size;
    }
    if (!(ch = sim_mem_calloc(1, bytes)))
        return NULL;
    ch->next = p->chunks;
    p->chunks = ch;
    o = (char *)(ch + 1);
    /* Keep the first object, free the others. */
    for (i = n - 1; i > 0; i--)
        mdl_pool_put(p, o + i * p->size);
    return o;
}
