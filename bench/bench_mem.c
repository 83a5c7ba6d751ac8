/*
 * bench_mem.c - what a cache miss costs on this machine: the time of a
 * load that must wait for the one before it, by the size of the memory
 * the loads roam.
 *
 * A large model's per-event cost grows with its size because its state
 * outgrows the caches (docs/bench.md). This measures the floor of that
 * growth: each 64-byte line of a block holds the address of the next
 * line of a random cycle through all of them (GSL's shuffle), and a
 * chain of loads follows it, each one's address known only when the one
 * before it arrives. Once the block outgrows a cache level, most loads
 * miss it. The block comes from sim_mem_calloc(), as a large model's
 * state does: in huge pages from 2 MiB, so that the figures are those
 * of qmesh's memory rather than of page walks it does not make.
 *
 *   usage: bench_mem [MAX_MIB] | bench_mem -1
 *
 * prints, for blocks of 64 KiB to MAX_MIB (default 256, at most 4096),
 * the CPU time of one load: the median of 3 chains of 2 x 10^6 loads.
 * With -1, one line for bench/table.sh: "MiB ns" pairs at 1, 4, 16 and
 * 128 MiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "../sim/sim_mem.h"
#include "bench_util.h"

#define LINE SIM_MEM_LINE
#define STEPS 2000000L          /* loads in a chain */
#define CHAINS 3

/* Nanoseconds per dependent load over a block of bytes (a power of two,
 * at least two lines); -1 when out of memory. */
static double chase(size_t bytes, gsl_rng *r)
{
    size_t n = bytes / LINE, i;
    size_t *order = malloc(n * sizeof *order);
    char *block = sim_mem_calloc(n, LINE);
    double ns[CHAINS];
    int c;

    if (!order || !block) {
        free(order);
        sim_mem_free(block);
        return -1;
    }
    for (i = 0; i < n; i++)
        order[i] = i;
    gsl_ran_shuffle(r, order, n, sizeof *order);
    for (i = 0; i < n; i++)
        *(void **)(block + order[i] * LINE) =
            block + order[(i + 1) % n] * LINE;
    for (c = 0; c < CHAINS; c++) {
        void *volatile end;
        void *p = block + order[0] * LINE;
        double t0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
        long s;

        for (s = 0; s < STEPS; s++)
            p = *(void **)p;
        end = p;                /* the chain is not dead code */
        (void)end;
        ns[c] = (bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - t0) * 1e9 / (double)STEPS;
    }
    free(order);
    sim_mem_free(block);
    return bench_median(ns, CHAINS);
}

int main(int argc, char **argv)
{
    static const size_t brief[] = { 1, 4, 16, 128 };    /* MiB */
    int one = argc > 1 && strcmp(argv[1], "-1") == 0;
    size_t max_mib = 256, kib, i;
    gsl_rng *r;

    if (argc > 2) {
        fprintf(stderr, "usage: bench_mem [MAX_MIB] | bench_mem -1\n");
        return 2;
    }
    if (argc > 1 && !one) {
        char *end;
        unsigned long m = strtoul(argv[1], &end, 10);

        if (*end || m < 1 || m > 4096) {
            fprintf(stderr, "bench_mem: MAX_MIB from 1 to 4096\n");
            return 2;
        }
        max_mib = m;
    }
    if (!(r = gsl_rng_alloc(gsl_rng_taus2)))
        return 1;
    gsl_rng_set(r, 1);
    if (one) {
        for (i = 0; i < sizeof brief / sizeof *brief; i++) {
            double ns = chase(brief[i] << 20, r);

            if (ns < 0)
                goto nomem;
            printf("%s%zu %.1f", i ? " " : "", brief[i], ns);
        }
        printf("\n");
    } else {
        printf("%10s %8s\n", "block", "ns/load");
        for (kib = 64; kib <= max_mib << 10; kib *= 2) {
            double ns = chase(kib << 10, r);

            if (ns < 0)
                goto nomem;
            if (kib < 1024)
                printf("%6zu KiB %8.1f\n", kib, ns);
            else
                printf("%6zu MiB %8.1f\n", kib >> 10, ns);
        }
    }
    gsl_rng_free(r);
    return 0;
nomem:
    fprintf(stderr, "bench_mem: out of memory\n");
    gsl_rng_free(r);
    return 1;
}
