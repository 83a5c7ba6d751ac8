/*
 * ana_visits.h - the traffic equations v = e_entry + M^T v on a sparse
 * graph: how many times one request visits each node, when a visit to
 * node i causes on average w visits to node j for every arc i -> j of
 * weight w (a routing probability, or p * count for a call).
 *
 * Cost O(n + m) where the arcs form no cycle; each strongly connected
 * component with a cycle costs O(s^3) for s nodes up to
 * ANA_VISITS_DENSE_MAX, and O(m_s) per sweep of an iterative solve above
 * that. The workspace is the caller's, reusable for any arc set of at
 * most the size it was made for.
 */
#ifndef ANA_VISITS_H
#define ANA_VISITS_H
#include <stddef.h>

/* Loops of up to this many nodes are solved exactly (LU); larger ones by
 * Gauss-Seidel sweeps. */
#define ANA_VISITS_DENSE_MAX 256
/* Gauss-Seidel sweeps allowed before giving up with SIM_ENOTSUP. */
#define ANA_VISITS_SWEEPS_MAX 20000

typedef struct ana_visits ana_visits;

/* A workspace for n nodes and at most m arcs; NULL when out of memory. */
ana_visits *ana_visits_new(size_t n, size_t m);
void ana_visits_free(ana_visits *w);

/* Solve for v (n values) given the m arcs from[a] -> to[a] of weight
 * wt[a] >= 0 (arcs of weight 0 are ignored; parallel arcs add up) and
 * the entry node. Returns SIM_OK; SIM_EINVAL when some loop has no exit
 * (the system is singular, or a visit count would be negative or
 * infinite); SIM_ENOTSUP when a large loop did not converge in
 * ANA_VISITS_SWEEPS_MAX sweeps; SIM_ENOMEM. On an error other than
 * SIM_ENOMEM, *where (if not NULL) is a node of the faulty loop. */
int ana_visits_solve(ana_visits *w, size_t m, const int *from,
                     const int *to, const double *wt, size_t entry,
                     double *v, size_t *where);

#endif /* ANA_VISITS_H */
