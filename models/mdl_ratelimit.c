/*
 * mdl_ratelimit.c - token buckets per replica (see mdl_ratelimit.h).
 *
 * A bucket keeps its tokens at the time it was last used and refills
 * lazily when next consulted: no event per token, nothing to do between
 * arrivals.
 */
#include <stdlib.h>
#include "../sim/sim_err.h"
#include "mdl_ratelimit.h"

/* Rounding of arrival times on a grid: a token this close to whole is. */
#define TOKEN_EPS 1e-9

int mdl_ratelimit_init(mdl_ratelimit *rl, const mdl_rate_limit_policy *p,
                       int n)
{
    rl->p = p;
    rl->n = n;
    rl->tokens = calloc((size_t)n, sizeof *rl->tokens);
    rl->last = calloc((size_t)n, sizeof *rl->last);
    rl->limited = calloc((size_t)n, sizeof *rl->limited);
    if (!rl->tokens || !rl->last || !rl->limited)
        return SIM_ENOMEM;
    mdl_ratelimit_start(rl);
    return SIM_OK;
}

void mdl_ratelimit_destroy(mdl_ratelimit *rl)
{
    free(rl->tokens);
    free(rl->last);
    free(rl->limited);
    rl->tokens = rl->last = rl->limited = NULL;
}

void mdl_ratelimit_start(mdl_ratelimit *rl)
{
    int r;

    for (r = 0; r < rl->n; r++) {
        rl->tokens[r] = (double)rl->p->burst;
        rl->last[r] = 0;
    }
    mdl_ratelimit_clear(rl);
}

void mdl_ratelimit_clear(mdl_ratelimit *rl)
{
    int r;

    for (r = 0; r < rl->n; r++)
        rl->limited[r] = 0;
}

/* tokens(t) = min(burst, tokens(t0) + rate (t - t0)) */
double mdl_ratelimit_tokens(const mdl_ratelimit *rl, int r, double now)
{
    double x = rl->tokens[r] + rl->p->rate * (now - rl->last[r]);

    return x < (double)rl->p->burst ? x : (double)rl->p->burst;
}

int mdl_ratelimit_take(mdl_ratelimit *rl, int r, double now)
{
    double x = mdl_ratelimit_tokens(rl, r, now);

    rl->last[r] = now;
    if (x >= 1 - TOKEN_EPS) {
        rl->tokens[r] = x > 1 ? x - 1 : 0;
        return 1;
    }
    rl->tokens[r] = x;
    rl->limited[r]++;
    return 0;
}

static int admit(void *self, int r, double now)
{
    return mdl_ratelimit_take(self, r, now);
}

mdl_admitter mdl_ratelimit_admitter(mdl_ratelimit *rl)
{
    mdl_admitter a = { admit, NULL, rl };

    return a;
}
