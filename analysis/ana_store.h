/*
 * ana_store.h - the result vectors of a run's replications, kept as
 * they arrive in a form that does not hold every histogram bin.
 *
 * A replication's vector (mdl_net.h) is its metrics, a latency
 * histogram of SIM_HIST_BINS counts per histogram scope (61 KB each),
 * then its time series. The store keeps the metrics and the series as
 * they are, and each histogram as its occupied bins only, from the first
 * count that is not 0 to the last, each count in the fewest bytes (1, 2,
 * 4 or 8) that hold the histogram's largest. Nothing is lost:
 * ana_store_expand() gives back the vector put, bit for bit, and the
 * counts read here are the vector's.
 *
 * Rows are numbered from 0 to cap - 1 and filled in any order (a row is
 * a replication, or a task of a pool); a row is read only once it has
 * been put. The store owns its memory; the vectors put are borrowed
 * during the call only.
 */
#ifndef ANA_STORE_H
#define ANA_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "../models/mdl_net.h"

typedef struct ana_store {
    /* private */
    size_t len;                 /* a vector: mdl_net_result_len() */
    size_t nm, nh, tail;        /* metrics; histograms; what follows them */
    unsigned cap;               /* rows */
    double *vals;               /* cap rows of nm + tail doubles */
    unsigned char **hist;       /* cap: each row's histograms, or NULL */
} ana_store;

/* An empty store of cap rows for the vectors of net (borrowed during the
 * call only). Returns SIM_OK, or SIM_ENOMEM with res empty (destroying
 * it is fine). */
int ana_store_init(ana_store *res, const mdl_net *net, unsigned cap);
/* Free what res holds; a zeroed res is fine. */
void ana_store_destroy(ana_store *res);

/* Keep the vector vec (mdl_net_result_len() doubles, borrowed) as row
 * (< cap), replacing what it held. Returns SIM_OK, or SIM_ENOMEM with the
 * row as it was. */
int ana_store_put(ana_store *res, unsigned row, const double *vec);
/* Move the rows flagged in done[0..n-1] to the front, in order, ids[k]
 * getting the row that is now row k; rows not flagged are dropped.
 * Returns how many were kept. */
unsigned ana_store_compact(ana_store *res, unsigned n,
                           const unsigned char *done, unsigned *ids);

/* Row's metrics, metric m at [m] (m < mdl_net_nmetrics()). */
const double *ana_store_values(const ana_store *res, unsigned row);
/* Row's time series: what its vector holds from mdl_net_series_offset()
 * on (the end of the replication, then window by window). */
const double *ana_store_series(const ana_store *res, unsigned row);
/* Row's vector as it was put, into vec[mdl_net_result_len()]. */
void ana_store_expand(const ana_store *res, unsigned row, double *vec);

/* Histogram scope h (< mdl_net_nhists()) of row: its count of
 * latencies; */
uint64_t ana_store_total(const ana_store *res, unsigned row, size_t h);
/* the count in bin b (< SIM_HIST_BINS); */
uint64_t ana_store_count(const ana_store *res, unsigned row, size_t h,
                         size_t b);
/* the count in the bins below b (<= SIM_HIST_BINS); */
uint64_t ana_store_below(const ana_store *res, unsigned row, size_t h,
                         size_t b);
/* its counts added to count[SIM_HIST_BINS]; */
void ana_store_pool(const ana_store *res, unsigned row, size_t h,
                    uint64_t *count);
/* the bins it keeps, *lo to *hi: 1 and 0 when it is empty. Returns how
 * many bytes each count takes. */
unsigned ana_store_range(const ana_store *res, unsigned row, size_t h,
                         size_t *lo, size_t *hi);

#endif /* ANA_STORE_H */
