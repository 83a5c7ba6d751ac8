/*
 * ana_store.c - replications' result vectors kept with their
 * histograms trimmed (ana_store.h).
 *
 * Why trimmed and not summed: the estimate of a latency quantile is that
 * of the histogram pooled over the replications, a sum that could be
 * kept as they arrive; but its interval by sectioning (ana_report.c)
 * needs each replication's share F_k(q) of latencies at or below the
 * pooled quantile q, which is known only once every replication is in,
 * so each replication's counts up to q must still be at hand. But a
 * replication's latencies span some of the 60 powers of two the bins
 * cover (128 bins each), and its counts are small. Measured: a model of
 * 50 classes with 300 requests each per replication keeps 1,540 bins
 * per histogram at 1 byte a count, 1.5 KB instead of 61 KB; the Jackson
 * scenario (280,000 requests a replication, exponential service, whose
 * sparse tail of short latencies reaches far below the bulk) 2,700 bins
 * at 2 bytes, 5.4 KB. Keeping only the occupied bins, as (bin, count)
 * pairs, would halve the first again, but the histograms are then no
 * longer what a replication mostly keeps: its time series are (there,
 * 237 KB against 80 KB of histograms).
 *
 * The pooled sum is not kept as rows arrive either: run.precision asks
 * for the intervals over every first n rows in turn, and a partial run
 * over the rows that finished, so the report pools the rows it is
 * given, reading each trimmed histogram once per scope.
 *
 * A row's histograms are one block, allocated when the row is put:
 *
 *   hdesc[nh] | counts of histogram 0 | counts of histogram 1 | ...
 *
 * each histogram's counts starting at a multiple of their width, so
 * they are read as aligned uint8/16/32/64_t. A vector's counts are
 * doubles holding whole numbers below 2^53 (mdl_results.c converts the
 * model's uint64_t counts), so converting them to integers and back is
 * exact.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_stat.h"
#include "ana_store.h"

/* One histogram of a row. */
typedef struct hdesc {
    uint64_t total;             /* its count of latencies */
    size_t off;                 /* bytes from the start of the block */
    uint16_t lo, hi;            /* the bins kept; lo > hi: none */
    uint8_t width;              /* bytes per count: 1, 2, 4 or 8 */
} hdesc;

_Static_assert(SIM_HIST_BINS <= UINT16_MAX, "bins fit a uint16_t");

int ana_store_init(ana_store *res, const mdl_net *net, unsigned cap)
{
    memset(res, 0, sizeof *res);
    res->len = mdl_net_result_len(net);
    res->nm = mdl_net_nmetrics(net);
    res->nh = mdl_net_nhists(net);
    res->tail = res->len - res->nm - res->nh * SIM_HIST_BINS;
    res->cap = cap;
    res->vals = malloc(((size_t)cap * (res->nm + res->tail) + 1)
                       * sizeof *res->vals);
    res->hist = calloc((size_t)cap + 1, sizeof *res->hist);
    if (res->vals && res->hist)
        return SIM_OK;
    ana_store_destroy(res);
    return SIM_ENOMEM;
}

void ana_store_destroy(ana_store *res)
{
    unsigned k;

    for (k = 0; res->hist && k < res->cap; k++)
        free(res->hist[k]);
    free(res->hist);
    free(res->vals);
    memset(res, 0, sizeof *res);
}

static const hdesc *desc(const ana_store *res, unsigned row, size_t h)
{
    assert(row < res->cap && h < res->nh && res->hist[row]);
    return (const hdesc *)res->hist[row] + h;
}

/* Count i of the histogram d, in the row's block. */
static uint64_t at(const unsigned char *block, const hdesc *d, size_t i)
{
    const void *p = block + d->off;

    switch (d->width) {
    case 1: return ((const uint8_t *)p)[i];
    case 2: return ((const uint16_t *)p)[i];
    case 4: return ((const uint32_t *)p)[i];
    default: return ((const uint64_t *)p)[i];
    }
}

/* The bins of c[SIM_HIST_BINS] that are kept, into d (its off aside):
 * the first and last that are not 0, the narrowest width for the
 * largest count. Returns the bytes their counts take. */
static size_t trim(const double *c, hdesc *d)
{
    uint64_t most = 0;
    size_t b, lo = SIM_HIST_BINS, hi = 0;

    d->total = 0;
    for (b = 0; b < SIM_HIST_BINS; b++) {
        uint64_t x;
        if (c[b] == 0)
            continue;
        /* whole, at least 1 and below 2^64: a count */
        assert(c[b] >= 1 && c[b] < 18446744073709551616.0
               && c[b] == (double)(uint64_t)c[b]);
        x = (uint64_t)c[b];
        d->total += x;
        if (x > most)
            most = x;
        if (lo == SIM_HIST_BINS)
            lo = b;
        hi = b;
    }
    d->width = most <= UINT8_MAX ? 1 : most <= UINT16_MAX ? 2
               : most <= UINT32_MAX ? 4 : 8;
    if (lo == SIM_HIST_BINS) {
        d->lo = 1;
        d->hi = 0;
        return 0;
    }
    d->lo = (uint16_t)lo;
    d->hi = (uint16_t)hi;
    return (hi - lo + 1) * d->width;
}

int ana_store_put(ana_store *res, unsigned row, const double *vec)
{
    const double *c = vec + res->nm;
    size_t size = res->nh * sizeof(hdesc), h, b;
    unsigned char *block;
    hdesc *d;

    assert(row < res->cap);
    /* The descriptors first, then the block grown to hold the counts. */
    if (!(block = malloc(size)))
        return SIM_ENOMEM;
    d = (hdesc *)block;
    for (h = 0; h < res->nh; h++) {
        size_t bytes = trim(c + h * SIM_HIST_BINS, &d[h]);
        size = (size + d[h].width - 1) / d[h].width * d[h].width;
        d[h].off = size;
        size += bytes;
    }
    if (size > res->nh * sizeof(hdesc)) {
        unsigned char *all = realloc(block, size);
        if (!all) {
            free(block);
            return SIM_ENOMEM;
        }
        block = all;
        d = (hdesc *)block;
    }
    for (h = 0; h < res->nh; h++) {
        const double *x = c + h * SIM_HIST_BINS;
        void *p = block + d[h].off;
        for (b = d[h].lo; b <= d[h].hi; b++) {
            uint64_t v = (uint64_t)x[b];
            switch (d[h].width) {
            case 1: ((uint8_t *)p)[b - d[h].lo] = (uint8_t)v; break;
            case 2: ((uint16_t *)p)[b - d[h].lo] = (uint16_t)v; break;
            case 4: ((uint32_t *)p)[b - d[h].lo] = (uint32_t)v; break;
            default: ((uint64_t *)p)[b - d[h].lo] = v; break;
            }
        }
    }
    free(res->hist[row]);
    res->hist[row] = block;
    memcpy(res->vals + (size_t)row * (res->nm + res->tail), vec,
           res->nm * sizeof *vec);
    memcpy(res->vals + (size_t)row * (res->nm + res->tail) + res->nm,
           c + res->nh * SIM_HIST_BINS, res->tail * sizeof *vec);
    return SIM_OK;
}

unsigned ana_store_compact(ana_store *res, unsigned n,
                           const unsigned char *done, unsigned *ids)
{
    size_t w = res->nm + res->tail;
    unsigned i, k = 0;

    assert(n <= res->cap);
    for (i = 0; i < n; i++) {
        if (!done[i]) {
            free(res->hist[i]);
            res->hist[i] = NULL;
            continue;
        }
        if (k != i) {
            memmove(res->vals + (size_t)k * w, res->vals + (size_t)i * w,
                    w * sizeof *res->vals);
            res->hist[k] = res->hist[i];
            res->hist[i] = NULL;
        }
        ids[k++] = i;
    }
    return k;
}

const double *ana_store_values(const ana_store *res, unsigned row)
{
    assert(row < res->cap);
    return res->vals + (size_t)row * (res->nm + res->tail);
}

const double *ana_store_series(const ana_store *res, unsigned row)
{
    return ana_store_values(res, row) + res->nm;
}

void ana_store_expand(const ana_store *res, unsigned row, double *vec)
{
    size_t h, b;

    memcpy(vec, ana_store_values(res, row), res->nm * sizeof *vec);
    memset(vec + res->nm, 0, res->nh * SIM_HIST_BINS * sizeof *vec);
    for (h = 0; h < res->nh; h++) {
        const hdesc *d = desc(res, row, h);
        for (b = d->lo; b <= d->hi; b++)
            vec[res->nm + h * SIM_HIST_BINS + b]
                = (double)at(res->hist[row], d, b - d->lo);
    }
    memcpy(vec + res->nm + res->nh * SIM_HIST_BINS,
           ana_store_series(res, row), res->tail * sizeof *vec);
}

uint64_t ana_store_total(const ana_store *res, unsigned row, size_t h)
{
    return desc(res, row, h)->total;
}

uint64_t ana_store_count(const ana_store *res, unsigned row, size_t h,
                         size_t b)
{
    const hdesc *d = desc(res, row, h);

    return b >= d->lo && b <= d->hi ? at(res->hist[row], d, b - d->lo) : 0;
}

uint64_t ana_store_below(const ana_store *res, unsigned row, size_t h,
                         size_t b)
{
    const hdesc *d = desc(res, row, h);
    uint64_t sum = 0;
    size_t i, end;

    if (b <= d->lo)
        return 0;
    if (b > (size_t)d->hi + 1)
        return d->total;            /* 0 when it is empty */
    end = b - d->lo;
    for (i = 0; i < end; i++)
        sum += at(res->hist[row], d, i);
    return sum;
}

void ana_store_pool(const ana_store *res, unsigned row, size_t h,
                    uint64_t *count)
{
    const hdesc *d = desc(res, row, h);
    size_t b;

    for (b = d->lo; b <= d->hi; b++)
        count[b] += at(res->hist[row], d, b - d->lo);
}

unsigned ana_store_range(const ana_store *res, unsigned row, size_t h,
                         size_t *lo, size_t *hi)
{
    const hdesc *d = desc(res, row, h);

    *lo = d->lo;
    *hi = d->hi;
    return d->width;
}
