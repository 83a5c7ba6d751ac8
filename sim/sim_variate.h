/*
 * sim_variate.h - fast variates for the hot path: the standard
 * exponential by the ziggurat method (Marsaglia and Tsang, "The ziggurat
 * method for generating random variables", J. Stat. Software 5(8), 2000),
 * which GSL lacks. The normal's ziggurat is GSL's own,
 * gsl_ran_gaussian_ziggurat().
 *
 * Most draws take one 32-bit number from the generator and no logarithm,
 * where inversion (gsl_ran_exponential) takes a uniform and a log1p.
 */
#ifndef SIM_VARIATE_H
#define SIM_VARIATE_H
#include <stdint.h>
#include <gsl/gsl_rng.h>

/* The ziggurat's tables (sim_variate.c), filled before main() runs. */
extern double sim__zig_x[257], sim__zig_w[256];
double sim__ran_exp_slow(gsl_rng *r, uint32_t k);

uint32_t sim__bits32_narrow(gsl_rng *r);

/* 32 random bits from r: one number when r makes 32-bit ones, else two
 * halves (every GSL generator has at least 16 good bits). */
static inline uint32_t sim__bits32(gsl_rng *r)
{
    if (r->type->max == 0xffffffffUL && r->type->min == 0)
        return (uint32_t)gsl_rng_get(r);
    return sim__bits32_narrow(r);
}

/* A draw of Exp(1), mean 1, always > 0. Any GSL generator; one whose
 * numbers are 32 bits wide (taus2, mt19937) is used bit for bit. Inline:
 * the common case is a few instructions. */
static inline double sim_ran_exp(gsl_rng *r)
{
    uint32_t k = sim__bits32(r);
    unsigned i = k & 0xff;
    double x = ((double)(k >> 8) + 0.5) * sim__zig_w[i];

    if (__builtin_expect(x < sim__zig_x[i + 1], 1))
        return x;
    return sim__ran_exp_slow(r, k);
}

#endif /* SIM_VARIATE_H */
