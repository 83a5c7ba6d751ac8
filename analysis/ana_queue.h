/*
 * ana_queue.h - exact steady-state results of single queueing stations and
 * of the networks qmesh validates against: M/M/1, M/M/c (Erlang C),
 * M/M/c/K, M/G/1 (Pollaczek-Khinchine), M/G/inf, open Jackson networks
 * with multi-server and delay stations, multi-class open BCMP networks,
 * and exact MVA for single-class closed networks with a think time.
 * Approximations live apart, in ana_approx.h.
 *
 * Units: rates in 1/s, times in s. Functions return SIM_OK, SIM_EINVAL for
 * impossible arguments (negative rate, c < 1, K < c, ...), or SIM_EUNSTABLE
 * when an infinite-capacity station has load >= 1 (out->util is still set
 * so the caller can report it).
 */
#ifndef ANA_QUEUE_H
#define ANA_QUEUE_H
#include <stddef.h>

/* Steady-state results for one station. */
typedef struct ana_station {
    double lambda;   /* accepted arrival rate (1/s) */
    double util;     /* per-server utilization: lambda / (c mu); for a
                        delay station the mean number busy, lambda * E[S] */
    double L, Lq;    /* mean number in system, in queue */
    double W, Wq;    /* mean sojourn and mean wait per visit (s) */
    double p_wait;   /* probability an accepted arrival waits */
    double p_block;  /* probability an arrival is rejected (finite K) */
} ana_station;

/* Erlang B: blocking probability of M/M/c/c with offered load a = lambda/mu. */
double ana_erlang_b(int c, double a);
/* Erlang C: probability of waiting in M/M/c with offered load a < c. */
double ana_erlang_c(int c, double a);

int ana_mm1(double lambda, double mu, ana_station *out);
int ana_mmc(double lambda, double mu, int c, ana_station *out);
/* K = capacity (queue + in service), K >= c. */
int ana_mmck(double lambda, double mu, int c, int K, ana_station *out);
/* M/G/1 FIFO by Pollaczek-Khinchine: mean service (s) and its squared
 * coefficient of variation. */
int ana_mg1(double lambda, double mean, double scv, ana_station *out);
/* M/G/inf (a delay station): L = lambda E[S], W = E[S]. */
int ana_mginf(double lambda, double mean, ana_station *out);
/* The p-quantile (0 < p < 1) of the sojourn time of M/M/c FIFO. */
int ana_mmc_sojourn_quantile(double lambda, double mu, int c, double p,
                             double *t);

/* One station of a product-form network. */
typedef struct ana_node {
    int servers;     /* c >= 1, or 0 for a delay (infinite-server) station */
    double mean;     /* mean service time per visit (s) */
} ana_node;

/* Traffic equations of an open network of n stations: lambda = gamma +
 * P^T lambda, where P is row-major n x n (P[i*n+j] = probability of going
 * from i to j) and gamma the external arrival rates. Solved by LU
 * decomposition (GSL). Returns SIM_EINVAL when I - P^T is singular (a
 * closed loop with no exit). */
int ana_traffic(size_t n, const double *P, const double *gamma,
                double *lambda);
/* Open Jackson network: solves the traffic equations and fills out[n] with
 * each station's M/M/c (or M/G/inf) results. On SIM_EUNSTABLE, *bad (if
 * not NULL) is the first station with load >= 1 and all out[].util are set. */
int ana_jackson(size_t n, const double *P, const double *gamma,
                const ana_node *nodes, ana_station *out, size_t *bad);

/* Station types of an open multi-class BCMP network. */
typedef enum ana_bcmp_kind {
    ANA_BCMP_FCFS,   /* c servers, exponential, one mean for every class */
    ANA_BCMP_PS,     /* processor sharing over c servers: any distribution,
                        class-dependent means */
    ANA_BCMP_IS      /* infinite servers (delay): class-dependent means */
} ana_bcmp_kind;

typedef struct ana_bcmp_node {
    ana_bcmp_kind kind;
    int servers;     /* c >= 1 for FCFS and PS; ignored for IS */
} ana_bcmp_node;

/* Open multi-class product-form network (BCMP 1975) of n stations and R
 * classes. lambda[r*n+k] is class r's arrival rate at station k (1/s, from
 * that class's traffic equations, see ana_traffic()), mean[r*n+k] its mean
 * service time there (s). Fills W[r*n+k] (mean sojourn per visit, s) and
 * L[r*n+k] (mean number of class r), and out[k] summed over classes.
 * SIM_EINVAL when a FCFS station has class-dependent means; on
 * SIM_EUNSTABLE, *bad (if not NULL) is the first station with load >= 1. */
int ana_bcmp_open(size_t n, size_t R, const ana_bcmp_node *nodes,
                  const double *lambda, const double *mean, double *W,
                  double *L, ana_station *out, size_t *bad);

/* Steps of exact MVA beyond which ana_mva() declines (about 10 s). */
#define ANA_MVA_WORK_MAX 1e9

/* Closed single-class network: N customers, think time Z (s) outside the
 * stations, visit ratio visits[k] per cycle. Exact MVA; multi-server
 * stations through load-dependent MVA with marginal queue-length
 * probabilities. Fills out[n] (lambda = X * visits, W per visit) and the
 * system throughput X (cycles/s) and response time R = N/X - Z (s).
 * SIM_ENOTSUP when the solution would take more than ANA_MVA_WORK_MAX
 * steps (the cost grows as N^2 per multi-server station). */
int ana_mva(size_t n, const ana_node *nodes, const double *visits, double Z,
            int N, ana_station *out, double *X, double *R);

/* Student-t confidence interval of the mean of x[0..n-1] at level
 * (e.g. 0.95). n = 1 gives low = high = NaN. */
typedef struct ana_ci {
    double mean, low, high;  /* public: mean is the estimate (the whole
                                data's for sectioning) */
    double se;               /* public: standard error s / sqrt(n); NaN
                                when n < 2 */
    size_t n;                /* public */
} ana_ci;
int ana_ci_t(const double *x, size_t n, double level, ana_ci *out);
/* Sectioning interval of a statistic estimated as whole from all the
 * data, x[0..n-1] being the same statistic of each of n independent
 * sections (replications): mean = whole, se = sqrt(sum (x_i - whole)^2
 * / (n (n-1))), whole +- t_{(1+level)/2, n-1} se. n = 1 gives low =
 * high = se = NaN. SIM_EINVAL for n = 0, a value that is not finite or
 * level outside (0, 1). */
int ana_ci_section(const double *x, size_t n, double whole, double level,
                   ana_ci *out);
/* Does the interval contain x, up to rounding (a relative 1e-9)? An
 * interval of zero width (every replication equal) contains values within
 * 1e-6 of its mean (relative, or absolute below 1), so that theory's
 * 3e-9 for a queue that never formed agrees with a simulated 0. */
int ana_ci_covers(const ana_ci *ci, double x);

#endif /* ANA_QUEUE_H */
