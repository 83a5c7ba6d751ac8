/*
 * ana_queue.c - closed-form and exact numerical results of queueing
 * stations and product-form networks; qmesh checks its simulations
 * against these.
 *
 * Single stations (Kleinrock, "Queueing Systems" Vol. 1, ch. 3 and 5;
 * Gross & Harris, "Fundamentals of Queueing Theory", ch. 2):
 *   - Erlang B by the recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)),
 *     which never forms a^c or c! and so stays finite for any c;
 *     Erlang C from B: C = c B / (c - a (1 - B)).
 *   - M/M/c/K from its birth-death probabilities taken in log space,
 *     log q_n = n log a - lgamma(n + 1) for n <= c and
 *     log q_n = log q_c + (n - c) log(a / c) above, then shifted by their
 *     maximum before exp(), so c = 1000 and K = 10^5 neither overflow nor
 *     underflow to a zero normalization constant.
 *   - M/G/1 by Pollaczek-Khinchine; M/G/inf by Little.
 *   - The M/M/c FIFO sojourn quantile by bisection on a closed-form tail
 *     (see sojourn_tail()).
 *
 * Open Jackson networks: the traffic equations (I - P^T) lambda = gamma are
 * solved by LU decomposition with partial pivoting (GSL); a pivot below
 * PIVOT_TINY means a closed set of stations that nothing leaves.
 *
 * Open multi-class networks (Baskett, Chandy, Muntz & Palacios, "Open,
 * closed, and mixed networks of queues with different classes of
 * customers", JACM 22(2), 1975): with Poisson arrivals per class, each
 * station's mean numbers are those of the station alone at its total
 * per-class rates (Lazowska et al., "Quantitative System Performance",
 * 1984, section 7.3):
 *   - FCFS, c servers, exponential with one mean E[S] for all classes:
 *     M/M/c at lambda = sum_r lambda_r; every class sees the same W.
 *   - PS over c servers (a symmetric queue, Kelly 1979): the total number
 *     is that of M/M/c at offered load a = sum_r lambda_r E[S_r], and the
 *     classes share it in proportion to their loads, L_r = L a_r / a, so
 *     W_r = L E[S_r] / a; for c = 1, W_r = E[S_r] / (1 - rho) (Kleinrock
 *     Vol. 2, section 4.4).
 *   - IS: W_r = E[S_r], L_r = lambda_r E[S_r].
 *
 * Closed networks: exact MVA (Reiser & Lavenberg 1980). A c-server station
 * is load dependent with rate mu(j) = min(j, c) mu, and its residence time
 * needs the marginal probabilities p(j | n) of its queue length for
 * j < c - 1 (Bolch et al., "Queueing Networks and Markov Chains", MVA for
 * load-dependent stations). The textbook recursion
 *     p(j | n) = X(n) D / min(j, c) p(j - 1 | n - 1),  j >= 1,
 *     p(0 | n) = 1 - sum_{j>=1} p(j | n)
 * is numerically unstable: p(0 | n) is a difference of numbers near 1, its
 * absolute rounding error (1e-16) is multiplied by up to
 * prod_{j<c} X D / j ~ e^c on the way up the queue, and with c = 100,
 * N = 1000 the throughput comes out 65% wrong (p(0) reaches -271; clamping
 * does not help because the error has already spread to j >= 1). This file
 * instead uses the exact identity
 *     p_k(j | n) = F_k(j) G_{-k}(n - j) / G(n),
 *     F_k(j) = D_k^j / prod_{i=1}^{j} min(i, c_k),
 * where G is the normalization constant of the network and G_{-k} that of
 * the network without station k. MVA itself supplies G(n) through
 * X(n) = G(n - 1) / G(n). The ratios r_S(n) = G_S(n) / G(n) of the
 * complement network S = -k are built by adding its stations one at a
 * time, each step a sum of positive terms (no cancellation), kept as
 * logarithms because a ratio can be far below DBL_MIN while the terms it
 * multiplies are far above 1. See add_station(). Cost: O(N^2) per (load
 * dependent station, other multi-server or delay station) pair, O(N) per
 * (load dependent station, single-server station) pair; N = 1000 with 20
 * stations, 10 of them multi-server, takes about 0.8 s. A c-server
 * station with c >= N never queues and costs nothing extra.
 *
 * Confidence intervals: mean +- t_{(1+level)/2, n-1} s / sqrt(n)
 * (Jain, "The Art of Computer Systems Performance Analysis", ch. 13).
 * Sectioning, for a statistic w estimated from all the data at once:
 * the n sections' own estimates x_i measure its spread around it,
 * w +- t_{(1+level)/2, n-1} s / sqrt(n) with s^2 = sum_i (x_i - w)^2 /
 * (n - 1) (Asmussen & Glynn, "Stochastic Simulation: Algorithms and
 * Analysis", 2007, ch. III.5a); ana_report applies it to the share of
 * latencies below a pooled quantile.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include "../sim/sim_err.h"
#include "ana_queue.h"

/* |U_ii| of the LU factors below which I - P^T counts as singular. Its
 * entries are O(1), so a genuine pivot is far above rounding (1e-16 n). */
#define PIVOT_TINY 1e-12

/* Relative precision of the sojourn quantile. */
#define QUANTILE_RTOL 1e-13

static int finite_nonneg(double x)
{
    return isfinite(x) && x >= 0.0;
}

static void station_zero(ana_station *out)
{
    memset(out, 0, sizeof *out);
}

double ana_erlang_b(int c, double a)
{
    double b = 1.0;
    int k;

    if (c < 0 || !finite_nonneg(a))
        return NAN;
    /* B(k) = a B(k-1) / (k + a B(k-1)): each step is in [0, 1]. k runs to
     * c without passing INT_MAX (k <= c would overflow at c = INT_MAX),
     * and once B underflows to 0 it stays 0, so a large c with a modest
     * load ends after a few hundred steps. */
    for (k = 0; k < c && b > 0.0; k++)
        b = a * b / ((k + 1.0) + a * b);
    return b;
}

double ana_erlang_c(int c, double a)
{
    double b;

    if (c < 1 || !finite_nonneg(a))
        return NAN;
    /* At a >= c every arrival waits (the limit of C as a -> c). */
    if (a >= c)
        return 1.0;
    /* C = c B / (c - a (1 - B)); the denominator is > c - a > 0. */
    b = ana_erlang_b(c, a);
    return c * b / (c - a * (1.0 - b));
}

int ana_mm1(double lambda, double mu, ana_station *out)
{
    return ana_mmc(lambda, mu, 1, out);
}

int ana_mmc(double lambda, double mu, int c, ana_station *out)
{
    double a, rho, C;

    if (!out || !finite_nonneg(lambda) || !isfinite(mu) || mu <= 0.0
        || c < 1)
        return SIM_EINVAL;
    a = lambda / mu;
    rho = a / c;
    station_zero(out);
    out->lambda = lambda;
    out->util = rho;
    if (rho >= 1.0)
        return SIM_EUNSTABLE;
    /* Wq = C / (c mu - lambda), W = Wq + 1/mu, Little for L and Lq. With
     * lambda = 0, C = 0 and W = 1/mu is what a lone arrival would see. */
    C = ana_erlang_c(c, a);
    out->p_wait = C;
    out->Wq = C / (c * mu - lambda);
    out->W = out->Wq + 1.0 / mu;
    out->Lq = lambda * out->Wq;
    out->L = lambda * out->W;
    return SIM_OK;
}

int ana_mmck(double lambda, double mu, int c, int K, ana_station *out)
{
    double a, la, lrho, lmax, lq, q, sum = 0.0, sumn = 0.0, sumq = 0.0;
    double busy = 0.0, pK, lam_acc;
    long long n;    /* runs to K inclusive: n <= K with an int overflows */

    if (!out || !finite_nonneg(lambda) || !isfinite(mu) || mu <= 0.0
        || c < 1 || K < c)
        return SIM_EINVAL;
    station_zero(out);
    if (lambda == 0.0) {
        out->W = 1.0 / mu;
        return SIM_OK;
    }
    a = lambda / mu;
    la = log(a);
    lrho = log(a / c);
    /* q_n = a^n / n! (n <= c), q_c (a/c)^(n-c) (n > c); the largest log q_n
     * is at n = min(floor(a), c) or at K when a/c > 1. Shift by it. Past c
     * the terms fall when a/c < 1, and once exp() gives 0 every later
     * term is 0 too: both loops stop there, so a huge K costs nothing. */
    lmax = 0.0;
    for (n = 0; n <= K; n++) {
        lq = n <= c ? (double)n * la - lgamma((double)n + 1.0)
                    : c * la - lgamma(c + 1.0) + (double)(n - c) * lrho;
        if (lq > lmax || n == 0)
            lmax = lq;
        if (n > c && lrho <= 0.0)
            break;
    }
    for (n = 0; n <= K; n++) {
        lq = n <= c ? (double)n * la - lgamma((double)n + 1.0)
                    : c * la - lgamma(c + 1.0) + (double)(n - c) * lrho;
        if (n > c && lrho < 0.0 && lq - lmax < -800.0)
            break;                          /* exp() is 0 from here on */
        q = exp(lq - lmax);
        sum += q;
        sumn += (double)n * q;
        if (n > c)
            sumq += (double)(n - c) * q;
        /* All servers busy and still room: an accepted arrival waits. */
        if (n >= c && n < K)
            busy += q;
    }
    lq = K <= c ? K * la - lgamma(K + 1.0)
                : c * la - lgamma(c + 1.0) + (K - c) * lrho;
    pK = exp(lq - lmax) / sum;
    /* lambda_acc = lambda (1 - p_K); W = L / lambda_acc (Little). */
    lam_acc = lambda * (1.0 - pK);
    out->p_block = pK;
    out->lambda = lam_acc;
    out->util = lam_acc / (c * mu);
    out->L = sumn / sum;
    out->Lq = sumq / sum;
    if (lam_acc > 0.0) {
        out->W = out->L / lam_acc;
        out->Wq = out->Lq / lam_acc;
        /* P(n >= c | n < K) = sum_{n=c}^{K-1} p_n / (1 - p_K) */
        out->p_wait = (busy / sum) / (1.0 - pK);
    }
    return SIM_OK;
}

int ana_mg1(double lambda, double mean, double scv, ana_station *out)
{
    double rho, es2;

    if (!out || !finite_nonneg(lambda) || !isfinite(mean) || mean <= 0.0
        || !finite_nonneg(scv))
        return SIM_EINVAL;
    rho = lambda * mean;
    station_zero(out);
    out->lambda = lambda;
    out->util = rho;
    if (rho >= 1.0)
        return SIM_EUNSTABLE;
    /* E[S^2] = E[S]^2 (1 + scv);  Wq = lambda E[S^2] / (2 (1 - rho)) */
    es2 = mean * mean * (1.0 + scv);
    out->Wq = lambda * es2 / (2.0 * (1.0 - rho));
    out->W = out->Wq + mean;
    out->Lq = lambda * out->Wq;
    out->L = lambda * out->W;
    out->p_wait = rho;   /* PASTA: an arrival finds the server busy */
    return SIM_OK;
}

int ana_mginf(double lambda, double mean, ana_station *out)
{
    if (!out || !finite_nonneg(lambda) || !finite_nonneg(mean))
        return SIM_EINVAL;
    station_zero(out);
    out->lambda = lambda;
    out->util = lambda * mean;
    out->L = lambda * mean;
    out->W = mean;
    return SIM_OK;
}

/*
 * P(T > t) for the M/M/c FIFO sojourn T = Wq + S, Wq = 0 w.p. 1 - C and
 * Exp(g) w.p. C, g = c mu - lambda, S ~ Exp(mu) independent:
 *     P(T > t) = (1 - C) e^{-mu t} + C P(E_g + E_mu > t).
 * For rates u <= v, d = v - u (the hypoexponential tail is symmetric):
 *     P(E_u + E_v > t) = (v e^{-u t} - u e^{-v t}) / (v - u)
 *                      = e^{-u t} (1 + u (1 - e^{-d t}) / d),
 * and with d = 0 (Erlang-2) e^{-u t} (1 + u t). The second form uses
 * expm1() and has no cancellation as d -> 0.
 */
static double sojourn_tail(double t, double mu, double g, double C)
{
    double u = fmin(mu, g), v = fmax(mu, g), d = v - u, h;

    h = d > 0.0 ? -expm1(-d * t) / d : t;
    return (1.0 - C) * exp(-mu * t) + C * exp(-u * t) * (1.0 + u * h);
}

int ana_mmc_sojourn_quantile(double lambda, double mu, int c, double p,
                             double *t)
{
    double C, g, target, lo = 0.0, hi, mid;
    int i;

    if (!t || !finite_nonneg(lambda) || !isfinite(mu) || mu <= 0.0 || c < 1
        || !(p > 0.0 && p < 1.0))
        return SIM_EINVAL;
    if (lambda / mu >= c)
        return SIM_EUNSTABLE;
    C = ana_erlang_c(c, lambda / mu);
    g = c * mu - lambda;
    target = 1.0 - p;
    /* P(T > t) falls from 1 to 0: double hi until it brackets 1 - p. */
    hi = 1.0 / mu;
    for (i = 0; sojourn_tail(hi, mu, g, C) > target; i++) {
        if (i > 2000)
            return SIM_EINVAL;   /* cannot happen for a finite target */
        hi *= 2.0;
    }
    /* Bisection: 60 to 100 halvings reach QUANTILE_RTOL. */
    for (i = 0; i < 400; i++) {
        mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi || hi - lo <= QUANTILE_RTOL * hi)
            break;
        if (sojourn_tail(mid, mu, g, C) > target)
            lo = mid;
        else
            hi = mid;
    }
    *t = 0.5 * (lo + hi);
    return SIM_OK;
}

int ana_traffic(size_t n, const double *P, const double *gamma,
                double *lambda)
{
    gsl_matrix *A = NULL;
    gsl_permutation *perm = NULL;
    double row, lmax = 0.0;
    size_t i, j;
    int sign, rc = SIM_OK;

    if (n == 0)
        return SIM_OK;
    if (!P || !gamma || !lambda)
        return SIM_EINVAL;
    for (i = 0; i < n; i++) {
        if (!finite_nonneg(gamma[i]))
            return SIM_EINVAL;
        row = 0.0;
        for (j = 0; j < n; j++) {
            if (!finite_nonneg(P[i * n + j]) || P[i * n + j] > 1.0)
                return SIM_EINVAL;
            row += P[i * n + j];
        }
        if (row > 1.0 + 1e-12)
            return SIM_EINVAL;
    }
    A = gsl_matrix_alloc(n, n);
    perm = gsl_permutation_alloc(n);
    if (!A || !perm) {
        rc = SIM_ENOMEM;
        goto fail;
    }
    /* A = I - P^T: A[j][i] = delta_ij - P[i][j]. */
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            gsl_matrix_set(A, j, i, (i == j) - P[i * n + j]);
    if (gsl_linalg_LU_decomp(A, perm, &sign) != GSL_SUCCESS) {
        rc = SIM_EINVAL;
        goto fail;
    }
    for (i = 0; i < n; i++)
        if (fabs(gsl_matrix_get(A, i, i)) < PIVOT_TINY) {
            rc = SIM_EINVAL;   /* a closed class of stations: no exit */
            goto fail;
        }
    {
        gsl_vector_const_view b = gsl_vector_const_view_array(gamma, n);
        gsl_vector_view x = gsl_vector_view_array(lambda, n);

        if (gsl_linalg_LU_solve(A, perm, &b.vector, &x.vector)
            != GSL_SUCCESS) {
            rc = SIM_EINVAL;
            goto fail;
        }
    }
    /* The exact solution is >= 0; clear rounding-level negatives. */
    for (i = 0; i < n; i++)
        lmax = fmax(lmax, fabs(lambda[i]));
    for (i = 0; i < n; i++) {
        if (!isfinite(lambda[i]) || lambda[i] < -1e-9 * lmax) {
            rc = SIM_EINVAL;
            goto fail;
        }
        if (lambda[i] < 0.0)
            lambda[i] = 0.0;
    }
fail:
    gsl_permutation_free(perm);
    gsl_matrix_free(A);
    return rc;
}

static int node_ok(const ana_node *nd)
{
    if (nd->servers < 0 || !finite_nonneg(nd->mean))
        return 0;
    return 1;
}

int ana_jackson(size_t n, const double *P, const double *gamma,
                const ana_node *nodes, ana_station *out, size_t *bad)
{
    double *lambda;
    size_t i;
    int rc, first = 1, unstable = 0;

    if (n == 0)
        return SIM_OK;
    if (!nodes || !out)
        return SIM_EINVAL;
    for (i = 0; i < n; i++)
        if (!node_ok(&nodes[i])
            || (nodes[i].servers > 0 && nodes[i].mean <= 0.0))
            return SIM_EINVAL;
    lambda = malloc(n * sizeof *lambda);
    if (!lambda)
        return SIM_ENOMEM;
    rc = ana_traffic(n, P, gamma, lambda);
    if (rc != SIM_OK)
        goto out_free;
    for (i = 0; i < n; i++) {
        if (nodes[i].servers == 0)
            rc = ana_mginf(lambda[i], nodes[i].mean, &out[i]);
        else
            rc = ana_mmc(lambda[i], 1.0 / nodes[i].mean, nodes[i].servers,
                         &out[i]);
        if (rc == SIM_EUNSTABLE) {
            unstable = 1;
            if (first && bad)
                *bad = i;
            first = 0;
        } else if (rc != SIM_OK) {
            goto out_free;
        }
    }
    rc = unstable ? SIM_EUNSTABLE : SIM_OK;
out_free:
    free(lambda);
    return rc;
}

/* ---- open multi-class BCMP ------------------------------------------- */

/* One station of ana_bcmp_open(); W, L and the class arrays are strided
 * by n (the station count). */
static int bcmp_station(const ana_bcmp_node *nd, size_t n, size_t R,
                        const double *lambda, const double *mean, double *W,
                        double *L, ana_station *out)
{
    double lam = 0.0, a = 0.0, S = -1.0;
    size_t r;
    int rc;

    for (r = 0; r < R; r++) {
        double l = lambda[r * n], m = mean[r * n];

        if (!finite_nonneg(l) || !finite_nonneg(m)
            || (nd->kind != ANA_BCMP_IS && m <= 0.0))
            return SIM_EINVAL;
        lam += l;
        a += l * m;
        /* FCFS keeps product form only with one mean for all classes. */
        if (nd->kind == ANA_BCMP_FCFS && l > 0.0) {
            if (S >= 0.0 && fabs(m - S) > 1e-12 * S)
                return SIM_EINVAL;
            S = m;
        }
    }
    if (nd->kind != ANA_BCMP_IS && nd->servers < 1)
        return SIM_EINVAL;
    station_zero(out);
    out->lambda = lam;
    if (nd->kind == ANA_BCMP_IS) {
        /* W_r = E[S_r]; the mean number busy is a = sum lambda_r E[S_r]. */
        for (r = 0; r < R; r++) {
            W[r * n] = mean[r * n];
            L[r * n] = lambda[r * n] * mean[r * n];
        }
        out->util = out->L = a;
        out->W = lam > 0.0 ? a / lam : 0.0;
        return SIM_OK;
    }
    if (nd->kind == ANA_BCMP_FCFS) {
        if (S < 0.0)
            S = mean[0];
        rc = ana_mmc(lam, 1.0 / S, nd->servers, out);
        if (rc != SIM_OK)
            return rc;
        for (r = 0; r < R; r++) {
            W[r * n] = out->W;
            L[r * n] = lambda[r * n] * out->W;
        }
        return SIM_OK;
    }
    /* PS: M/M/c at offered load a (lambda = a, mu = 1), shared by load. */
    rc = ana_mmc(a, 1.0, nd->servers, out);
    out->lambda = lam;
    if (rc != SIM_OK)
        return rc;
    for (r = 0; r < R; r++) {
        /* W_r = L E[S_r] / a; alone (a = 0) a job just takes E[S_r]. */
        W[r * n] = a > 0.0 ? out->L * mean[r * n] / a : mean[r * n];
        L[r * n] = lambda[r * n] * W[r * n];
    }
    out->W = lam > 0.0 ? out->L / lam : 0.0;
    out->Wq = lam > 0.0 ? out->Lq / lam : 0.0;
    return SIM_OK;
}

int ana_bcmp_open(size_t n, size_t R, const ana_bcmp_node *nodes,
                  const double *lambda, const double *mean, double *W,
                  double *L, ana_station *out, size_t *bad)
{
    size_t k;
    int rc, unstable = 0;

    if (n == 0 || R == 0)
        return SIM_OK;
    if (!nodes || !lambda || !mean || !W || !L || !out)
        return SIM_EINVAL;
    for (k = 0; k < n; k++) {
        rc = bcmp_station(&nodes[k], n, R, lambda + k, mean + k, W + k,
                          L + k, &out[k]);
        if (rc == SIM_EUNSTABLE) {
            if (!unstable && bad)
                *bad = k;
            unstable = 1;
        } else if (rc != SIM_OK) {
            return rc;
        }
    }
    return unstable ? SIM_EUNSTABLE : SIM_OK;
}

/* ---- exact MVA -------------------------------------------------------- */

/* One factor of the product form: demand D = visits * mean (s) and
 * servers c (0 = infinite, so alpha(j) = j). */
typedef struct mva_elem {
    double D;
    int c;
} mva_elem;

/* log(e^x + e^y) with -inf allowed. */
static double log_add(double x, double y)
{
    double m = fmax(x, y);

    if (m == -INFINITY)
        return -INFINITY;
    return m + log1p(exp(-fabs(x - y)));
}

/*
 * lt[j] = log( F(j) G(n - j) / G(n) ) for j = 0..n, where
 *     F(j) G(n-j) / G(n) = prod_{i=1}^{j} X(n - i + 1) D / alpha(i),
 * alpha(i) = min(i, c) (i when c = 0), because G(m-1)/G(m) = X(m).
 * lX[m] = log X(m).
 */
static void log_factor(const mva_elem *e, int n, const double *lX,
                       double *lt)
{
    double lD = log(e->D);
    int i;

    lt[0] = 0.0;
    for (i = 1; i <= n; i++) {
        int alpha = (e->c == 0 || i < e->c) ? i : e->c;

        lt[i] = lt[i - 1] + lX[n - i + 1] + lD - log((double)alpha);
    }
}

/*
 * Extend, at population n, the log ratio lr_new(.) = log G_{S+e}(.) / G(.)
 * from lr_old = log G_S / G (both known up to n - 1, lr_old also at n).
 * Single server (Buzen):  G_{S+e}(n) = G_S(n) + D G_{S+e}(n - 1), so
 *     r_new(n) = r_old(n) + D X(n) r_new(n - 1).
 * Otherwise (convolution): G_{S+e}(n) = sum_j F(j) G_S(n - j), so
 *     r_new(n) = sum_{j=0}^{n} [F(j) G(n-j) / G(n)] r_old(n - j),
 * every term positive and at most 1.
 */
static void add_station(const mva_elem *e, int n, const double *lX,
                        const double *lt, const double *lr_old,
                        double *lr_new)
{
    double m = -INFINITY, s = 0.0;
    int j;

    if (e->c == 1) {
        lr_new[n] = log_add(lr_old[n], log(e->D) + lX[n] + lr_new[n - 1]);
        return;
    }
    for (j = 0; j <= n; j++)
        m = fmax(m, lt[j] + lr_old[n - j]);
    if (m == -INFINITY) {
        lr_new[n] = -INFINITY;
        return;
    }
    for (j = 0; j <= n; j++)
        s += exp(lt[j] + lr_old[n - j] - m);
    lr_new[n] = m + log(s);
}

int ana_mva(size_t n, const ana_node *nodes, const double *visits, double Z,
            int N, ana_station *out, double *X, double *R)
{
    mva_elem *el = NULL;
    size_t *ld = NULL;        /* stations that need marginals */
    size_t nel = 0, nld = 0, k, e, s, nchain;
    double *W = NULL, *L = NULL, *lX = NULL, *lt = NULL, *chain = NULL;
    double *p = NULL, *pprev_wait = NULL, *ltk = NULL;
    double Dsum = 0.0, Xn = 0.0, Xprev = 0.0, denom;
    int rc = SIM_OK, pop, j;

    if (!out || !X || !R || N < 0 || !finite_nonneg(Z)
        || (n > 0 && (!nodes || !visits)))
        return SIM_EINVAL;
    for (k = 0; k < n; k++) {
        if (!node_ok(&nodes[k]) || !finite_nonneg(visits[k]))
            return SIM_EINVAL;
        Dsum += visits[k] * nodes[k].mean;
    }
    if (N > 0 && Z + Dsum <= 0.0)
        return SIM_EINVAL;   /* zero cycle time: infinite throughput */
    /* The cost, before anything is allocated: n + 1 elements per
     * population, and for each load-dependent station (1 < c < N) O(pop)
     * per other element and population, so about
     *   (n + 1) N + nld (n + 1) N^2 / 2
     * steps, and nld (n + 1) (N + 1) doubles for the chains. */
    for (k = 0; k < n; k++)
        nld += nodes[k].servers > 1 && nodes[k].servers < N
               && visits[k] * nodes[k].mean > 0.0;
    {
        double el_n = (double)n + 1.0, pops = (double)N + 1.0;

        if (el_n * pops + (double)nld * el_n * pops * pops / 2
                > ANA_MVA_WORK_MAX
            || (double)nld * el_n * pops > ANA_MVA_WORK_MAX / 8)
            return SIM_ENOTSUP;
    }
    nld = 0;

    /* Elements of the product form with a positive demand: stations and
     * the think time, a delay of demand Z. A c-server station with
     * c >= N never queues (W = mean) and needs no marginals. */
    el = malloc((n + 1) * sizeof *el);
    ld = malloc((n + 1) * sizeof *ld);
    W = calloc(n + 1, sizeof *W);
    L = calloc(n + 1, sizeof *L);
    lX = malloc(((size_t)N + 1) * sizeof *lX);
    lt = malloc(((size_t)N + 1) * sizeof *lt);
    ltk = malloc(((size_t)N + 1) * sizeof *ltk);
    if (!el || !ld || !W || !L || !lX || !lt || !ltk) {
        rc = SIM_ENOMEM;
        goto fail;
    }
    for (k = 0; k < n; k++) {
        el[k].D = visits[k] * nodes[k].mean;
        el[k].c = nodes[k].servers;
        if (el[k].c > 1 && el[k].c < N && el[k].D > 0.0)
            ld[nld++] = k;
    }
    el[n].D = Z;
    el[n].c = 0;
    nel = n + 1;

    /* Per load-dependent station k: p[k][j] = p_k(j | pop) for j < c, and
     * a chain of nel arrays lr_s(.) = log G_{S_s} / G over populations,
     * S_0 = {} and S_s adding the s-th element other than k. */
    nchain = nel;   /* S_0 .. S_{nel-1}: nel - 1 elements besides k */
    if (nld > 0) {
        chain = malloc(nld * nchain * ((size_t)N + 1) * sizeof *chain);
        p = calloc(nld * (size_t)N, sizeof *p);
        pprev_wait = calloc(nld, sizeof *pprev_wait);
        if (!chain || !p || !pprev_wait) {
            rc = SIM_ENOMEM;
            goto fail;
        }
        for (s = 0; s < nld; s++) {
            double *base = chain + s * nchain * ((size_t)N + 1);

            for (e = 0; e < nchain; e++)
                base[e * ((size_t)N + 1)] = 0.0;   /* G_S(0)/G(0) = 1 */
            p[s * (size_t)N] = 1.0;                  /* p(0 | 0) = 1 */
        }
    }
    lX[0] = -INFINITY;

    for (pop = 1; pop <= N; pop++) {
        /* Residence per visit with pop - 1 customers' state (arrival
         * theorem):
         *   delay:   W = mean
         *   c = 1:   W = mean (1 + L(pop-1))
         *   c > 1:   W = mean/c (1 + L(pop-1)
         *                + sum_{j=0}^{c-2} (c-1-j) p(j | pop-1))
         * The last is sum_{j>=1} j/mu(j) p(j-1 | pop-1) with
         * mu(j) = min(j, c)/mean, rewritten with sum_j p(j) = 1. */
        size_t li = 0;

        denom = Z;
        for (k = 0; k < n; k++) {
            int c = nodes[k].servers;
            double mean = nodes[k].mean;

            if (c == 0 || (c > 1 && el[k].D == 0.0) || (c > 1 && c >= N)) {
                W[k] = mean;
            } else if (c == 1) {
                W[k] = mean * (1.0 + L[k]);
            } else {
                const double *pk = p + li * (size_t)N;
                double acc = 1.0 + L[k];

                for (j = 0; j <= c - 2 && j < pop; j++)
                    acc += (c - 1 - j) * pk[j];
                W[k] = mean / c * acc;
                li++;
            }
            denom += visits[k] * W[k];
        }
        Xprev = Xn;
        Xn = pop / denom;   /* X(n) = n / (Z + sum_k v_k W_k(n)) */
        lX[pop] = log(Xn);
        for (k = 0; k < n; k++)
            L[k] = Xn * visits[k] * W[k];

        /* Extend every chain to population pop, then the marginals. */
        for (s = 0; s < nld; s++) {
            double *base = chain + s * nchain * ((size_t)N + 1);
            double *pk = p + s * (size_t)N;
            size_t kk = ld[s], step = 0;
            int c = el[kk].c;
            double *last;

            /* P(all c busy | pop - 1) for p_wait at the last step. */
            if (pop == N) {
                double below = 0.0;

                for (j = 0; j < c && j < pop; j++)
                    below += pk[j];
                pprev_wait[s] = fmax(0.0, 1.0 - below);
            }
            base[pop] = -INFINITY;   /* G_{}(n) = 0 for n > 0 */
            for (e = 0; e < nel; e++) {
                double *lr_old, *lr_new;

                if (e == kk)
                    continue;
                lr_old = base + step * ((size_t)N + 1);
                lr_new = base + (step + 1) * ((size_t)N + 1);
                step++;
                if (el[e].D <= 0.0) {
                    lr_new[pop] = lr_old[pop];   /* F = delta_0 */
                    continue;
                }
                if (el[e].c != 1)
                    log_factor(&el[e], pop, lX, lt);
                add_station(&el[e], pop, lX, lt, lr_old, lr_new);
            }
            last = base + step * ((size_t)N + 1);
            /* p_k(j | n) = F_k(j) G_{-k}(n - j) / G(n), j < c; the
             * factor as in log_factor(), only its first c terms. */
            ltk[0] = 0.0;
            for (j = 1; j <= c - 1 && j <= pop; j++)
                ltk[j] = ltk[j - 1] + lX[pop - j + 1] + log(el[kk].D)
                         - log((double)j);
            for (j = 0; j < c && j < N; j++)
                pk[j] = j <= pop ? exp(ltk[j] + last[pop - j]) : 0.0;
        }
    }

    /* Results at population N. */
    *X = Xn;
    *R = 0.0;
    {
        size_t li = 0;

        for (k = 0; k < n; k++) {
            int c = nodes[k].servers;
            double mean = nodes[k].mean;
            ana_station *o = &out[k];

            station_zero(o);
            if (N == 0)
                W[k] = mean;
            o->lambda = Xn * visits[k];
            o->util = c == 0 ? Xn * el[k].D : Xn * el[k].D / c;
            o->W = W[k];
            o->L = o->lambda * W[k];
            o->Wq = fmax(0.0, W[k] - mean);
            o->Lq = fmax(0.0, o->L - o->lambda * mean);
            /* Arrival theorem: an arrival sees the network with N - 1. */
            if (c == 1)
                o->p_wait = Xprev * el[k].D;
            else if (c > 1 && c < N && el[k].D > 0.0)
                o->p_wait = pprev_wait[li++];
            *R += visits[k] * W[k];   /* = N/X - Z */
        }
    }
fail:
    free(el);
    free(ld);
    free(W);
    free(L);
    free(lX);
    free(lt);
    free(ltk);
    free(chain);
    free(p);
    free(pprev_wait);
    return rc;
}

int ana_ci_t(const double *x, size_t n, double level, ana_ci *out)
{
    double mean = 0.0, m2 = 0.0, d, t, hw;
    size_t i;

    if (!out || !x || n == 0 || !(level > 0.0 && level < 1.0))
        return SIM_EINVAL;
    /* Welford: one pass, no cancellation in the sum of squares. */
    for (i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return SIM_EINVAL;
        d = x[i] - mean;
        mean += d / (double)(i + 1);
        m2 += d * (x[i] - mean);
    }
    out->mean = mean;
    out->n = n;
    if (n == 1) {
        out->low = out->high = out->se = NAN;
        return SIM_OK;
    }
    /* half-width = t_{(1+level)/2, n-1} s / sqrt(n), s^2 = m2 / (n-1) */
    t = gsl_cdf_tdist_Pinv(0.5 * (1.0 + level), (double)(n - 1));
    out->se = sqrt(m2 / (double)(n - 1)) / sqrt((double)n);
    hw = t * out->se;
    out->low = mean - hw;
    out->high = mean + hw;
    return SIM_OK;
}

int ana_ci_section(const double *x, size_t n, double whole, double level,
                   ana_ci *out)
{
    double m2 = 0.0, t;
    size_t i;

    if (!out || !x || n == 0 || !isfinite(whole)
        || !(level > 0.0 && level < 1.0))
        return SIM_EINVAL;
    for (i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return SIM_EINVAL;
        m2 += (x[i] - whole) * (x[i] - whole);
    }
    out->mean = whole;
    out->n = n;
    if (n == 1) {
        out->low = out->high = out->se = NAN;
        return SIM_OK;
    }
    /* se = sqrt(sum_i (q_i - q)^2 / (n (n - 1))), half-width t se */
    t = gsl_cdf_tdist_Pinv(0.5 * (1.0 + level), (double)(n - 1));
    out->se = sqrt(m2 / ((double)n * (double)(n - 1)));
    out->low = whole - t * out->se;
    out->high = whole + t * out->se;
    return SIM_OK;
}

int ana_ci_covers(const ana_ci *ci, double x)
{
    double scale = fmax(fabs(x), fmax(fabs(ci->low), fabs(ci->high)));

    if (!(ci->high > ci->low))
        return fabs(x - ci->mean) <= 1e-6 * fmax(scale, 1.0);
    return x >= ci->low - 1e-9 * scale && x <= ci->high + 1e-9 * scale;
}
