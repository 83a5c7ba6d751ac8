/*
 * ana_approx.h - APPROXIMATE results and bounds for models that have no
 * exact formula: G/G/1 (Kingman), M/G/c and G/G/c (Allen-Cunneen), large
 * closed networks (Schweitzer-Bard approximate MVA) and the asymptotic
 * bounds of closed networks.
 *
 * None of these values is exact, and none may be shown as "theory" beside
 * a simulation (ana_theory.h keeps them apart). The bounds are exact
 * inequalities, not estimates.
 *
 * Units: rates in 1/s, times in s. ca2 and cs2 are the squared
 * coefficients of variation of the inter-arrival and service times.
 * Functions return SIM_OK, SIM_EINVAL for impossible arguments, or
 * SIM_EUNSTABLE when the load is >= 1 (out->util is still set).
 */
#ifndef ANA_APPROX_H
#define ANA_APPROX_H
#include <stddef.h>
#include "ana_queue.h"

/* G/G/1 by Kingman's formula: Wq ~ rho/(1-rho) (ca2 + cs2)/2 E[S].
 * p_wait is set to rho. Exact for M/G/1 (ca2 = 1). */
int ana_kingman(double lambda, double mean, double ca2, double cs2,
                ana_station *out);
/* G/G/c by Allen-Cunneen: Wq ~ Wq(M/M/c) (ca2 + cs2)/2, p_wait ~ Erlang C.
 * Exact for M/M/c (ca2 = cs2 = 1); equal to Kingman for c = 1. */
int ana_allen_cunneen(double lambda, double mean, int c, double ca2,
                      double cs2, ana_station *out);

/* Closed single-class network by Schweitzer-Bard approximate MVA: the
 * arrival sees L_k (N - 1)/N instead of L_k(N - 1). Arguments and outputs
 * as ana_mva() (ana_queue.h); multi-server stations by Seidmann's
 * decomposition (a single server of mean E[S]/c plus a delay of
 * E[S](c-1)/c). p_wait is not estimated (0). *iters (if not NULL) is the
 * number of fixed-point iterations. SIM_EINVAL also when the iteration
 * does not converge. */
int ana_schweitzer(size_t n, const ana_node *nodes, const double *visits,
                   double Z, int N, ana_station *out, double *X, double *R,
                   int *iters);

/* Asymptotic bounds of a closed network with N customers and think time
 * Z (Denning & Buzen 1978; Lazowska et al., "Quantitative System
 * Performance", 1984, ch. 5). Multi-server stations count with demand
 * D_k / c_k toward Dmax; delay stations add to D only. */
typedef struct ana_bounds {
    double D;           /* total demand sum_k v_k E[S_k] (s) */
    double Dmax;        /* bottleneck demand max_k v_k E[S_k] / c_k (s);
                           0 when every station is a delay */
    size_t bottleneck;  /* its station index; n when there is none */
    double Nstar;       /* (D + Z) / Dmax; INFINITY when Dmax = 0 */
    double X_low;       /* N / (N D + Z) <= X(N)  (1/s) */
    double X_high;      /* X(N) <= min(N / (D + Z), 1 / Dmax) */
    double R_low;       /* max(D, N Dmax - Z) <= R(N)  (s) */
    double R_high;      /* R(N) <= N D */
} ana_bounds;

/* Fill out for N >= 1 customers. SIM_EINVAL for bad arguments or a zero
 * cycle time (D + Z = 0). */
int ana_bounds_closed(size_t n, const ana_node *nodes, const double *visits,
                      double Z, int N, ana_bounds *out);

#endif /* ANA_APPROX_H */
