/*
 * sim_variate.c - the exponential ziggurat of sim_variate.h.
 *
 * The area under e^-x is cut into N = 256 pieces of equal area v: a base
 * (the rectangle [0, r] x [0, e^-r] with the tail beyond r) and 255
 * horizontal layers. Layer i >= 1 spans heights [e^-X[i], e^-X[i+1]] and
 * widths [0, X[i]], X[1] = r > X[2] > ... > X[N] = 0; the base counts as
 * a rectangle of width X[0] = v / e^-r. A draw picks a piece i and a
 * point x uniform on [0, X[i]):
 *   x < X[i+1]: under the curve for sure, returned (about 98% of draws);
 *   i = 0:      beyond r, the tail: r + Exp(1), by memorylessness;
 *   otherwise:  the wedge; a height uniform in the layer is tested
 *               against e^-x, and on rejection everything starts again.
 * r and v are Marsaglia and Tsang's for N = 256; the widths follow from
 * X[i+1] = -ln(e^-X[i] + v / X[i]).
 *
 * One 32-bit number gives the piece (its low 8 bits) and x (the high 24,
 * as the midpoint of one of 2^24 cells), the split GSL's normal ziggurat
 * uses, so that the piece and the point are independent.
 */
#include <math.h>
#include <stdint.h>
#include "sim_variate.h"

#define N 256
#define R 7.69711747013104972
#define V 0.0039496598225815571993

double sim__zig_x[N + 1], sim__zig_w[N];
static double F[N + 1];

/* Before main(), so the inline fast path need not ask. */
__attribute__((constructor)) static void setup(void)
{
    double *X = sim__zig_x;
    int i;

    X[0] = V / exp(-R);
    X[1] = R;
    for (i = 1; i < N - 1; i++)
        X[i + 1] = -log(exp(-X[i]) + V / X[i]);
    X[N] = 0;
    for (i = 0; i <= N; i++)
        F[i] = exp(-X[i]);
    for (i = 0; i < N; i++)
        sim__zig_w[i] = X[i] / 16777216.0;  /* 2^24 cells */
}

uint32_t sim__bits32_narrow(gsl_rng *r)
{
    uint32_t hi = (uint32_t)(gsl_rng_uniform(r) * 65536.0);

    return hi << 16 | (uint32_t)(gsl_rng_uniform(r) * 65536.0);
}

/* The draw of k fell outside its piece's sure part: the tail, a wedge,
 * or a new try. */
double sim__ran_exp_slow(gsl_rng *r, uint32_t k)
{
    for (;;) {
        unsigned i = k & 0xff;
        double x = ((double)(k >> 8) + 0.5) * sim__zig_w[i];

        if (x < sim__zig_x[i + 1])
            return x;
        if (i == 0)
            return R - log(gsl_rng_uniform_pos(r));
        if (F[i] + gsl_rng_uniform(r) * (F[i + 1] - F[i]) < exp(-x))
            return x;
        k = sim__bits32(r);
    }
}
