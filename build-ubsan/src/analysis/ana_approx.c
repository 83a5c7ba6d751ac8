/*
 * ana_approx.c - approximations and bounds where queueing theory has no
 * exact answer. Every result here is labelled approximate by its callers.
 *
 * G/G/1, Kingman (1961), "The single server queue in heavy traffic":
 *     Wq ~ rho / (1 - rho) (ca2 + cs2) / 2 E[S].
 * With ca2 = 1 it is the Pollaczek-Khinchine mean exactly, because
 * lambda E[S^2] / (2 (1 - rho)) = rho (1 + cs2) E[S] / (2 (1 - rho)).
 *
 * G/G/c, Allen & Cunneen (Allen, "Probability, Statistics, and Queueing
 * Theory", 2nd ed., 1990, section 6.4):
 *     Wq ~ Wq(M/M/c) (ca2 + cs2) / 2,  Wq(M/M/c) = C(c, a) / (c mu - lambda),
 * exact for M/M/c and equal to Kingman for c = 1.
 *
 * Schweitzer-Bard approximate MVA (Schweitzer 1979; Bard 1979; Lazowska
 * et al., "Quantitative System Performance", 1984, section 6.4.2): the
 * exact MVA recursion over populations 1..N is replaced by one fixed point
 * at N, estimating the queue an arrival sees by L_k(N - 1) ~ (N-1)/N L_k(N):
 *     R_k = D_k (1 + (N - 1)/N Q_k)   (queueing station, demand D_k)
 *     R_k = D_k                       (delay station)
 *     X   = N / (Z + sum_k R_k),  Q_k = X R_k,
 * iterated from Q_k = N / K until the queue lengths stop moving. A
 * c-server station is Seidmann's pair (Seidmann, Schweitzer & Shalev-Oren
 * 1987): a single server of demand D/c, plus a delay of demand D (c-1)/c.
 * Cost O(K) per iteration, independent of N.
 *
 * Asymptotic bounds (Denning & Buzen 1978; Lazowska et al. ch. 5), from
 * the operational laws only, so they hold for any service distribution:
 *     X(N) <= min(N / (D + Z), 1 / Dmax),   X(N) >= N / (N D + Z),
 *     R(N) >= max(D, N Dmax - Z),           R(N) <= N D,
 * and the knee N* = (D + Z) / Dmax where the two throughput bounds meet.
 */
#include <math.h>
#include <stdlib.h>
#include "../sim/sim_err.h"
#include "ana_approx.h"

/* Stop when no queue length moves by more than this times max(1, N). */
#define SCHWEITZER_TOL 1e-12
#define SCHWEITZER_MAX_ITERS 1000000

static int finite_nonneg(double x)
{
    return isfinite(x) && x >= 0.0;
}

int ana_kingman(double lambda, double mean, double ca2, double cs2,
                ana_station *out)
{
    double rho;

    if (!out || !finite_nonneg(lambda) || !isfinite(mean) || mean <= 0.0
        || !finite_nonneg(ca2) || !finite_nonneg(cs2))
        return SIM_EINVAL;
    rho = lambda * mean;
    *out = (ana_station){0};
    out->lambda = lambda;
    out->util = rho;
    if (rho >= 1.0)
        return SIM_EUNSTABLE;
    /* Wq ~ rho / (1 - rho) (ca2 + cs2) / 2 E[S] */
    out->Wq = rho / (1.0 - rho) * 0.5 * (ca2 + cs2) * mean;
    out->W = out->Wq + mean;
    out->Lq = lambda * out->Wq;
    out->L = lambda * out->W;
    out->p_wait = rho;
    return SIM_OK;
}

int ana_allen_cunneen(double lambda, double mean, int c, double ca2,
                      double cs2, ana_station *out)
{
    int rc;

    if (!out || !isfinite(mean) || mean <= 0.0 || !finite_nonneg(ca2)
        || !finite_nonneg(cs2))
        return SIM_EINVAL;
    rc = ana_mmc(lambda, 1.0 / mean, c, out);
    if (rc != SIM_OK)
        return rc;
    /* Wq ~ Wq(M/M/c) (ca2 + cs2) / 2; p_wait stays Erlang C. */
    out->Wq *= 0.5 * (ca2 + cs2);
    out->W = out->Wq + mean;
    out->Lq = lambda * out->Wq;
    out->L = lambda * out->W;
    return SIM_OK;
}

static int closed_args_ok(size_t n, const ana_node *nodes,
                          const double *visits, double Z, int N)
{
    size_t k;

    if (N < 0 || !finite_nonneg(Z) || (n > 0 && (!nodes || !visits)))
        return 0;
    for (k = 0; k < n; k++)
        if (nodes[k].servers < 0 || !finite_nonneg(nodes[k].mean)
            || !finite_nonneg(visits[k]))
            return 0;
    return 1;
}

int ana_schweitzer(size_t n, const ana_node *nodes, const double *visits,
                   double Z, int N, ana_station *out, double *X, double *R,
                   int *iters)
{
    double *Dq = NULL, *Dd = NULL, *Q = NULL, *Rk = NULL;
    double Dsum = 0.0, x = 0.0, f, diff, tol;
    size_t k, nq = 0;
    int it = 0, rc = SIM_OK;

    if (!out || !X || !R || !closed_args_ok(n, nodes, visits, Z, N))
        return SIM_EINVAL;
    for (k = 0; k < n; k++)
        Dsum += visits[k] * nodes[k].mean;
    if (N > 0 && Z + Dsum <= 0.0)
        return SIM_EINVAL;   /* zero cycle time: infinite throughput */
    Dq = calloc(n + 1, sizeof *Dq);
    Dd = calloc(n + 1, sizeof *Dd);
    Q = calloc(n + 1, sizeof *Q);
    Rk = calloc(n + 1, sizeof *Rk);
    if (!Dq || !Dd || !Q || !Rk) {
        rc = SIM_ENOMEM;
        goto fail;
    }
    /* Seidmann: queueing part D/c, delay part D (c-1)/c; a delay station
     * (c = 0) is all delay. */
    for (k = 0; k < n; k++) {
        double D = visits[k] * nodes[k].mean;
        int c = nodes[k].servers;

        Dq[k] = c == 0 ? 0.0 : D / c;
        Dd[k] = c == 0 ? D : D * (c - 1) / c;
        if (Dq[k] > 0.0)
            nq++;
    }
    for (k = 0; k < n; k++)
        Q[k] = Dq[k] > 0.0 ? (double)N / (double)nq : 0.0;
    f = N > 0 ? (N - 1.0) / N : 0.0;
    tol = SCHWEITZER_TOL * fmax(1.0, (double)N);
    for (;;) {
        double cycle = Z;

        /* R_k = Dq_k (1 + (N-1)/N Q_k) + Dd_k */
        for (k = 0; k < n; k++) {
            Rk[k] = Dq[k] * (1.0 + f * Q[k]) + Dd[k];
            cycle += Rk[k];
        }
        x = N > 0 ? N / cycle : 0.0;
        diff = 0.0;
        for (k = 0; k < n; k++) {
            double q = x * Dq[k] * (1.0 + f * Q[k]);

            diff = fmax(diff, fabs(q - Q[k]));
            Q[k] = q;
        }
        it++;
        if (diff <= tol)
            break;
        if (it >= SCHWEITZER_MAX_ITERS) {
            rc = SIM_EINVAL;
            goto fail;
        }
    }
    *X = x;
    *R = 0.0;
    for (k = 0; k < n; k++) {
        ana_station *o = &out[k];
        double mean = nodes[k].mean;
        int c = nodes[k].servers;

        *o = (ana_station){0};
        o->lambda = x * visits[k];
        o->util = c == 0 ? x * visits[k] * mean : x * visits[k] * mean / c;
        /* Per visit: W = R_k / v_k; a station never visited would see an
         * empty queue. */
        o->W = visits[k] > 0.0 ? Rk[k] / visits[k] : mean;
        o->L = x * Rk[k];
        o->Wq = fmax(0.0, o->W - mean);
        o->Lq = fmax(0.0, o->L - o->lambda * mean);
        *R += Rk[k];
    }
    if (iters)
        *iters = it;
fail:
    free(Dq);
    free(Dd);
    free(Q);
    free(Rk);
    return rc;
}

int ana_bounds_closed(size_t n, const ana_node *nodes, const double *visits,
                      double Z, int N, ana_bounds *out)
{
    size_t k;

    if (!out || N < 1 || !closed_args_ok(n, nodes, visits, Z, N))
        return SIM_EINVAL;
    *out = (ana_bounds){0};
    out->bottleneck = n;
    for (k = 0; k < n; k++) {
        double D = visits[k] * nodes[k].mean;
        int c = nodes[k].servers;

        out->D += D;
        /* A c-server station completes at most c / E[S] per second. */
        if (c > 0 && D / c > out->Dmax) {
            out->Dmax = D / c;
            out->bottleneck = k;
        }
    }
    if (out->D + Z <= 0.0)
        return SIM_EINVAL;
    /* N* = (D + Z) / Dmax */
    out->Nstar = out->Dmax > 0.0 ? (out->D + Z) / out->Dmax : INFINITY;
    /* N / (N D + Z) <= X(N) <= min(N / (D + Z), 1 / Dmax) */
    out->X_low = N / (N * out->D + Z);
    out->X_high = N / (out->D + Z);
    if (out->Dmax > 0.0)
        out->X_high = fmin(out->X_high, 1.0 / out->Dmax);
    /* max(D, N Dmax - Z) <= R(N) <= N D */
    out->R_low = fmax(out->D, N * out->Dmax - Z);
    out->R_high = N * out->D;
    return SIM_OK;
}
