/*
 * ana_flow.h - the expected traffic of a scenario: how often a request of
 * each class visits each service (through forward, call and publish
 * edges, with the edges' `types`), the arrival rate at each service, and
 * the stability check that runs before any simulation.
 *
 * Units: rates in 1/s, times in s.
 */
#ifndef ANA_FLOW_H
#define ANA_FLOW_H
#include <stddef.h>
#include "../models/mdl_scenario.h"

typedef struct ana_flow {
    size_t n, ncls;         /* services, classes */
    double *visits;         /* ncls x n: visits per request that make up its
                               latency (forward and call edges) */
    double *all_visits;     /* ncls x n: visits per request, the flows it
                               publishes included */
    double *rate;           /* ncls: arrival rate of each open class (1/s);
                               0 for closed classes */
    double *lambda;         /* n: arrival rate at each service from the
                               open classes (1/s) */
    double *hold;           /* ncls x n: lower bound of the time one visit
                               keeps a worker (s): the work, plus for a
                               blocking service the least time its calls
                               can take */
} ana_flow;

/* Compute the traffic of s. Returns SIM_OK, SIM_EPARSE with d naming a
 * class whose requests could never leave (a forward loop without exit),
 * or SIM_ENOMEM. */
int ana_flow_init(ana_flow *f, const mdl_scenario *s, sim_diag *d);
void ana_flow_destroy(ana_flow *f);
/* The replicas service k can run: its max if it autoscales. */
long ana_flow_replicas(const mdl_scenario *s, size_t k);
/* Utilization lower bound of service k: sum over classes of arrival rate
 * times hold time, over the workers of the replicas it can run. */
double ana_flow_load(const ana_flow *f, const mdl_scenario *s, size_t k);

#endif /* ANA_FLOW_H */
