/*
 * mdl_hedge.c - hedging decisions (see mdl_hedge.h).
 *
 * Source: gRFC A6 (grpc/proposal: A6-client-retries.md, "Hedging
 * Policy"): the original RPC is sent at once, the next after
 * hedgingDelay without a response, up to maxAttempts; a response that is
 * not a non-fatal status ends the call and cancels the outstanding
 * hedges; nonFatalStatusCodes is empty unless configured (grpc-java's
 * service config parser). Throttled hedges are not sent, and the call
 * fails only if no other hedge is out: qmesh treats a hedge its policy
 * chain refuses the same way.
 */
#include "mdl_call.h"
#include "mdl_hedge.h"

double mdl_hedge_next(const mdl_hedge_policy *p, int k)
{
    return k < p->attempts ? p->delay : -1.0;
}

int mdl_hedge_ends(const mdl_hedge_policy *p, int outcome, int refused,
                   int out)
{
    (void)p;
    (void)outcome;              /* no status is non-fatal by default */
    return !(refused && out);
}
