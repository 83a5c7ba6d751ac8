/*
 * sim_stat.c - running statistics.
 *
 * The histogram finds a bin from the bits of the IEEE-754 double: the
 * exponent picks the power of two and the top 7 mantissa bits the 1/128th
 * inside it, so adding a latency costs a shift and a subtraction, no log().
 * A bin [a, a(1 + 1/128)) read at its midpoint is off by at most 1/257 of
 * the value; linear interpolation inside the bin does no worse.
 */
#include <math.h>
#include <string.h>
#include "sim_stat.h"

void sim_tally_reset(sim_tally *t)
{
    t->n = t->sum = 0.0;
}

double sim_tally_mean(const sim_tally *t)
{
    return t->n > 0 ? t->sum / t->n : NAN;
}

void sim_twa_reset(sim_twa *w, double now)
{
    w->start = w->last = now;
    w->area = 0.0;
}

double sim_twa_mean(const sim_twa *w, double now)
{
    double area = w->area + w->value * (now - w->last);

    return now > w->start ? area / (now - w->start) : w->value;
}

void sim_hist_reset(sim_hist *h)
{
    memset(h, 0, sizeof *h);
}

/* Exponent-and-top-mantissa key of 2^e: biased exponent times 128. */
#define KEY_OF_EXP(e) ((uint64_t)((e) + 1023) * SIM_HIST_SUB)

size_t sim_hist_bin(double x)
{
    uint64_t bits, key;

    if (!(x > 0.0))
        return 0;
    memcpy(&bits, &x, sizeof bits);
    key = bits >> (52 - 7);             /* 7 = log2(SIM_HIST_SUB) */
    if (key < KEY_OF_EXP(SIM_HIST_MINEXP))
        return 0;
    if (key >= KEY_OF_EXP(SIM_HIST_MAXEXP))
        return SIM_HIST_BINS - 1;
    return (size_t)(key - KEY_OF_EXP(SIM_HIST_MINEXP)) + 1;
}

double sim_hist_lower(size_t i)
{
    size_t k;

    if (i == 0)
        return 0.0;
    if (i >= SIM_HIST_BINS - 1)
        return ldexp(1.0, SIM_HIST_MAXEXP);
    k = i - 1;
    return ldexp(1.0 + (double)(k % SIM_HIST_SUB) / SIM_HIST_SUB,
                 SIM_HIST_MINEXP + (int)(k / SIM_HIST_SUB));
}

double sim_hist_upper(size_t i)
{
    if (i == 0)
        return ldexp(1.0, SIM_HIST_MINEXP);
    if (i >= SIM_HIST_BINS - 1)
        return INFINITY;
    return sim_hist_lower(i + 1);
}

double sim_hist_quantile_counts(const uint64_t *count, uint64_t n, double p)
{
    return sim_hist_quantile_range(count, 0, SIM_HIST_BINS - 1, n, p);
}

double sim_hist_quantile_range(const uint64_t *count, size_t first,
                               size_t last, uint64_t n, double p)
{
    double target, cum = 0.0;
    size_t i;

    if (n == 0)
        return NAN;
    target = p * (double)n;
    for (i = first; i <= last && i < SIM_HIST_BINS; i++) {
        double c = (double)count[i];
        if (c > 0.0 && cum + c >= target) {
            double lo = sim_hist_lower(i), hi = sim_hist_upper(i);
            if (!isfinite(hi))
                return lo;
            return lo + (hi - lo) * (target - cum) / c;
        }
        cum += c;
    }
    return sim_hist_lower(SIM_HIST_BINS - 1);
}

double sim_hist_quantile(const sim_hist *h, double p)
{
    return sim_hist_quantile_counts(h->count, h->n, p);
}

double sim_hist_within(double x)
{
    size_t i = sim_hist_bin(x);
    double lo = sim_hist_lower(i), hi = sim_hist_upper(i);

    if (!isfinite(hi) || !(x > lo))
        return 0.0;
    return (x - lo) / (hi - lo);
}
