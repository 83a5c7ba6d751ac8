/*
 * sim_mem.h - zeroed blocks for the large state of a large model.
 *
 * A model of 10,000 services keeps about 100 MB of state and touches it
 * at random, a few cache lines per visit in many places. With 4 KiB pages
 * nearly every one of those lines also misses the TLB (its second level
 * covers a few MiB), and the page walk costs another trip to memory. A
 * block of at least SIM_MEM_HUGE bytes is therefore a mapping of its own
 * on huge-page boundaries, advised to the kernel as huge-page memory
 * (Linux's transparent huge pages, when they are set to `madvise` or
 * `always`); a smaller one comes from malloc(). Both start on a cache
 * line.
 */
#ifndef SIM_MEM_H
#define SIM_MEM_H
#include <stddef.h>

#define SIM_MEM_HUGE ((size_t)2 << 20)  /* x86-64's huge page */
#define SIM_MEM_LINE 64

/* 1: large blocks are mapped and advised; 0: under AddressSanitizer,
 * every block comes from malloc(), whose bounds it checks. */
#if defined(__SANITIZE_ADDRESS__)
#define SIM_MEM_MAPS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_MEM_MAPS 0
#endif
#endif
#ifndef SIM_MEM_MAPS
#define SIM_MEM_MAPS 1
#endif

/* Start fetching the cache line at p into every level. Unlike a bare
 * __builtin_prefetch, which GCC drops with a loop that does nothing
 * else, it stays where it is written. p need not be valid. */
static inline void sim_mem_prefetch(const void *p)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ volatile("prefetcht0 (%0)" : : "r"(p));
#else
    __builtin_prefetch(p);
#endif
}

/* n zeroed objects of size bytes, or NULL when out of memory (or when
 * n * size overflows). n * size == 0 gives a valid block. */
void *sim_mem_calloc(size_t n, size_t size);
/* Release a block of sim_mem_calloc(). NULL is a no-op. */
void sim_mem_free(void *p);

#endif /* SIM_MEM_H */
