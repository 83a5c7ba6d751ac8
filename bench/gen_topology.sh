#!/bin/sh
# gen_topology.sh - write a large synthetic topology and its scenario, to
# time loading and model building (make bench runs it, then
# bench/bench_load on the scenario).
#
# usage: gen_topology.sh N DIR
#
# Writes DIR/big<N>.gml and DIR/big<N>.yaml: a random DAG of N services
# s0..s<N-1>. Service i > 0 is called by one earlier service (a tree, so
# every service is reached from s0); about a third of the services also
# call service i from a second, random earlier service; every 50th edge
# is doubled (several edges between the same two services, numbered
# "#K"), and every 10th service hands off to a later one with a
# forward edge. Service times are small enough that no service is near
# saturation. The numbers come from a fixed linear congruential
# sequence, so the output depends on N only and needs nothing beyond
# POSIX awk.
set -e
n=${1:?usage: gen_topology.sh N DIR}
dir=${2:?usage: gen_topology.sh N DIR}
mkdir -p "$dir"
awk -v n="$n" '
function rnd(m) { x = (x * 69069 + 1) % 4294967296; return int(x / 65536) % m }
BEGIN {
    x = 20261206
    print "# Synthetic topology of " n " services (bench/gen_topology.sh)."
    print "graph ["
    print "  directed 1"
    for (i = 0; i < n; i++)
        printf "  node [ id %d label \"s%d\" servers 4 " \
               "service \"exp(mean=1ms)\" ]\n", i, i
    ne = 0
    for (i = 1; i < n; i++) {
        # Parent among the previous 64 services keeps the depth near
        # n / 32 on average while fan-out stays small.
        lo = i > 64 ? i - 64 : 0
        p = lo + rnd(i - lo)
        printf "  edge [ source %d target %d kind \"call\" p 0.5 ]\n",
               p, i
        if (++ne % 50 == 0)
            printf "  edge [ source %d target %d kind \"call\" " \
                   "p 0.1 ]\n", p, i
        if (i % 3 == 0 && i > 1) {
            q = rnd(i)
            if (q != p)
                printf "  edge [ source %d target %d kind \"call\" " \
                       "p 0.2 ]\n", q, i
        }
    }
    for (i = 0; i + 1 < n; i += 10)
        printf "  edge [ source %d target %d kind \"forward\" " \
               "p 0.1 ]\n", i, i + 1 + rnd(n - i - 1)
    print "]"
}' > "$dir/big$n.gml"
cat > "$dir/big$n.yaml" <<EOY
# $n synthetic services (bench/gen_topology.sh), a light load at s0.
name: big$n
topology: big$n.gml
workload:
  - { name: w, entry: s0, arrival: "poisson(rate=1/s)" }
run:
  duration: 1s
  replications: 1
  seed: 1
EOY
