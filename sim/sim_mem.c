/*
 * sim_mem.c - cache-line and huge-page aligned blocks (see sim_mem.h).
 *
 * A block starts one cache line into its allocation; that line keeps the
 * length of its mapping, or 0 for a block from malloc(). A large block
 * is mapped rather than taken from malloc() so that the advice covers it
 * alone: advised memory in malloc()'s heap, freed and reused for small
 * objects, would fault in 2 MiB for a few bytes. The mapping is made 2
 * MiB longer than needed and trimmed to start on a huge page; it is
 * advised before it is touched, since a huge page is given on the first
 * fault in a 2 MiB range that is wholly advised and still empty. Without
 * the advice (another system, or transparent huge pages off) the block
 * is the same, only slower to reach. Anonymous mappings start zeroed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "sim_mem.h"

typedef union head {
    size_t mapped;          /* length of the mapping; 0: from malloc() */
    char line[SIM_MEM_LINE];
} head;

static void *mapped(size_t bytes)
{
    size_t len = (bytes + SIM_MEM_HUGE - 1) / SIM_MEM_HUGE * SIM_MEM_HUGE;
    char *p = mmap(NULL, len + SIM_MEM_HUGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    size_t lead;
    head *h;

    if (p == MAP_FAILED)
        return NULL;
    lead = (SIM_MEM_HUGE - (uintptr_t)p % SIM_MEM_HUGE) % SIM_MEM_HUGE;
    if (lead)
        munmap(p, lead);
    munmap(p + lead + len, SIM_MEM_HUGE - lead);
#ifdef MADV_HUGEPAGE
    (void)madvise(p + lead, len, MADV_HUGEPAGE);    /* advice only */
#endif
    h = (head *)(p + lead);
    h->mapped = len;
    return h + 1;
}

void *sim_mem_calloc(size_t n, size_t size)
{
    size_t bytes;
    head *h;
    void *v;

    if (n && size > SIZE_MAX / n)
        return NULL;
    bytes = n * size;
    if (bytes > SIZE_MAX - 2 * SIM_MEM_HUGE)
        return NULL;
    if (SIM_MEM_MAPS && bytes + sizeof *h >= SIM_MEM_HUGE)
        return mapped(bytes + sizeof *h);
    if (posix_memalign(&v, SIM_MEM_LINE, sizeof *h + bytes))
        return NULL;
    h = memset(v, 0, sizeof *h + bytes);
    return h + 1;
}

void sim_mem_free(void *p)
{
    head *h;

    if (!p)
        return;
    h = (head *)p - 1;
    if (h->mapped)
        munmap(h, h->mapped);
    else
        free(h);
}
