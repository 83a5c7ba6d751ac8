/*
 * ana_avail.h - availability and reliability of compositions of services:
 * series (every part needed), parallel (any part suffices), k out of n
 * replicas, a chain of calls each succeeding with probability p, and the
 * steady-state availability of one component from its MTTF and MTTR.
 *
 * Availabilities and probabilities are in [0, 1]; a bad argument (outside
 * [0, 1], NaN, negative count) gives NaN. Parts fail independently.
 */
#ifndef ANA_AVAIL_H
#define ANA_AVAIL_H
#include <stddef.h>

/* Series: A = prod_i a[i]; 1 for n = 0. */
double ana_avail_series(size_t n, const double *a);
/* Parallel (redundant): A = 1 - prod_i (1 - a[i]); 0 for n = 0. */
double ana_avail_parallel(size_t n, const double *a);
/* k out of n identical parts of availability a must be up:
 * A = sum_{j=k}^{n} C(n, j) a^j (1 - a)^{n-j}; 0 <= k <= n. */
double ana_avail_k_of_n(int k, int n, double a);
/* A chain of n calls, each succeeding with probability p: p^n. */
double ana_avail_chain(double p, int n);
/* One component that fails after MTTF and is repaired in MTTR (both in s,
 * MTTF + MTTR > 0): A = MTTF / (MTTF + MTTR). */
double ana_avail_mttf(double mttf, double mttr);

#endif /* ANA_AVAIL_H */
