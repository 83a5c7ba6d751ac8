#!/bin/sh
# gen_jackson.sh - write an open Jackson network of N stations whose
# traffic touches every station alike, to measure how the cost per event
# grows with the model's size, for qmesh and for the hand-written loop
# alike (make bench runs both on it at 100 and at 10,000 stations).
#
# usage: gen_jackson.sh N DIR [LOAD]
#
# Writes DIR/jackson<N>.gml and DIR/jackson<N>.yaml. Requests enter at
# "ingress" (64 servers, exp(mean=1us)), which forwards each to one of
# the stations s1..sN at random (p = 0.9999/N each: the rest leave, so
# that rounding never sums the edges above 1). The stations lie on a
# random cycle, and each forwards to the next three on it with p 0.25
# each, so every station has three edges in and three out and, by the
# traffic equations, the same arrival rate: 4 x 0.9999 x 125/s, with a
# single exponential server of mean 1 ms (load 0.49995, a mean response
# of 2 ms, four visits per request). The workload grows with N
# (125 N/s), so that the load per station, and the requests in flight
# per station, stay the same at every size. LOAD (default 0.5) sets
# another load per station: the rate is 250 LOAD N/s. The cycle comes
# from a fixed linear congruential sequence: the output depends on N and
# LOAD only.
set -e
usage="usage: gen_jackson.sh N DIR [LOAD]"
n=${1:?$usage}
dir=${2:?$usage}
load=${3:-0.5}
# The next three on the cycle must be other stations.
[ "$n" -ge 4 ] 2>/dev/null || { echo "gen_jackson.sh: N must be >= 4" >&2; exit 1; }
awk -v l="$load" 'BEGIN {
    exit !(l ~ /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ \
           && l + 0 > 0 && l + 0 < 1)
}' || { echo "gen_jackson.sh: LOAD must be a number in (0, 1)" >&2; exit 1; }
rate=$(awk -v l="$load" -v n="$n" 'BEGIN { printf "%.10g", 250 * l * n }')
# Four visits of 1 ms / (1 - load) each (the ingress's 1 us aside).
mean=$(awk -v l="$load" 'BEGIN { printf "%.4g", 4 / (1 - l) }')
mkdir -p "$dir"
awk -v n="$n" '
function rnd(m) {
    x = (x * 69069 + 1) % 4294967296
    return int(x / 4294967296 * m)
}
BEGIN {
    x = 20261206
    for (i = 0; i < n; i++)
        cyc[i] = i + 1
    for (i = n - 1; i > 0; i--) {       # Fisher-Yates
        j = rnd(i + 1); t = cyc[i]; cyc[i] = cyc[j]; cyc[j] = t
    }
    print "# An open Jackson network of " n " stations " \
          "(bench/gen_jackson.sh)."
    print "graph ["
    print "  directed 1"
    print "  node [ id 0 label \"ingress\" servers 64 " \
          "service \"exp(mean=1us)\" ]"
    for (i = 1; i <= n; i++)
        printf "  node [ id %d label \"s%d\" servers 1 " \
               "service \"exp(mean=1ms)\" ]\n", i, i
    for (i = 1; i <= n; i++)
        printf "  edge [ source 0 target %d kind \"forward\" " \
               "p %.10g ]\n", i, 0.9999 / n
    for (k = 0; k < n; k++)
        for (d = 1; d <= 3; d++)
            printf "  edge [ source %d target %d kind \"forward\" " \
                   "p 0.25 ]\n", cyc[k], cyc[(k + d) % n]
    print "]"
}' > "$dir/jackson$n.gml"
cat > "$dir/jackson$n.yaml" <<EOY
# An open Jackson network of $n stations, load $load at each
# (bench/gen_jackson.sh). Theory: $mean ms per request.
name: jackson$n
topology: jackson$n.gml
workload:
  - { name: requests, entry: ingress, arrival: "poisson(rate=$rate/s)" }
run:
  duration: 10s
  replications: 1
  seed: 1
EOY
