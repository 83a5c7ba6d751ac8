/*
 * mdl_pool.c - chunked free-list pools (see mdl_pool.h).
 *
 * A chunk is one allocation: a header, then MDL_POOL_BATCH objects. The
 * header is a union with max_align_t so the objects after it are aligned
 * for any type.
 */
#include <stdlib.h>
#include "mdl_pool.h"

typedef union chunk {
    union chunk *next;
    max_align_t align;
} chunk;

void mdl_pool_init(mdl_pool *p, size_t size)
{
    /* sizeof a type is a multiple of its alignment: objects laid end to
     * end after an aligned header stay aligned. */
    p->size = size < sizeof(void *) ? sizeof(void *) : size;
    p->free = NULL;
    p->chunks = NULL;
}

void mdl_pool_clear(mdl_pool *p)
{
    chunk *ch = p->chunks;

    while (ch) {
        chunk *next = ch->next;
        free(ch);
        ch = next;
    }
    p->chunks = NULL;
    p->free = NULL;
}

void *mdl_pool_grow(mdl_pool *p)
{
    chunk *ch = calloc(1, sizeof *ch + p->size * MDL_POOL_BATCH);
    char *o;
    size_t i;

    if (!ch)
        return NULL;
    ch->next = p->chunks;
    p->chunks = ch;
    o = (char *)(ch + 1);
    /* Keep the first object, free the others. */
    for (i = MDL_POOL_BATCH - 1; i > 0; i--)
        mdl_pool_put(p, o + i * p->size);
    return o;
}
