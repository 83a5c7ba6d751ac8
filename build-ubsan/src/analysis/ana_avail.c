/*
 * ana_avail.c - availability of series, parallel and k-out-of-n
 * compositions and the reliability of call chains, for independent parts
 * (Trivedi, "Probability and Statistics with Reliability, Queuing, and
 * Computer Science Applications", 2nd ed., 2002, section 3.5 and ch. 8):
 *     series     A = prod_i A_i
 *     parallel   A = 1 - prod_i (1 - A_i)
 *     k of n     A = sum_{j=k}^{n} C(n, j) A^j (1 - A)^(n-j)
 *     chain      A = p^n
 *     one part   A = MTTF / (MTTF + MTTR)   (alternating renewal process)
 * The parallel form multiplies unavailabilities, so 1 - A keeps full
 * relative precision however close A is to 1. The k-of-n terms are taken
 * in log space (lgamma), so C(n, j) never overflows.
 */
#include <math.h>
#include "ana_avail.h"

static int prob_ok(double p)
{
    return p >= 0.0 && p <= 1.0;   /* false for NaN */
}

double ana_avail_series(size_t n, const double *a)
{
    double A = 1.0;
    size_t i;

    if (n > 0 && !a)
        return NAN;
    for (i = 0; i < n; i++) {
        if (!prob_ok(a[i]))
            return NAN;
        A *= a[i];
    }
    return A;
}

double ana_avail_parallel(size_t n, const double *a)
{
    double U = 1.0;   /* prod (1 - a_i): every part down */
    size_t i;

    if (n > 0 && !a)
        return NAN;
    for (i = 0; i < n; i++) {
        if (!prob_ok(a[i]))
            return NAN;
        U *= 1.0 - a[i];
    }
    return 1.0 - U;
}

double ana_avail_k_of_n(int k, int n, double a)
{
    double A = 0.0;
    int j;

    if (n < 0 || k < 0 || k > n || !prob_ok(a))
        return NAN;
    if (k == 0)
        return 1.0;
    if (a == 0.0)
        return 0.0;
    if (a == 1.0)
        return 1.0;
    /* C(n, j) a^j (1-a)^(n-j) = exp(lgamma... + j log a + (n-j) log1p(-a)) */
    for (j = k; j <= n; j++)
        A += exp(lgamma(n + 1.0) - lgamma(j + 1.0) - lgamma(n - j + 1.0)
                 + j * log(a) + (n - j) * log1p(-a));
    return fmin(A, 1.0);
}

double ana_avail_chain(double p, int n)
{
    if (n < 0 || !prob_ok(p))
        return NAN;
    return pow(p, n);
}

double ana_avail_mttf(double mttf, double mttr)
{
    if (!(mttf >= 0.0) || !(mttr >= 0.0) || !isfinite(mttf)
        || !isfinite(mttr) || mttf + mttr <= 0.0)
        return NAN;
    return mttf / (mttf + mttr);
}
