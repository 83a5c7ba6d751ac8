#!/bin/sh
# Benchmark: `qmesh check` and `qmesh theory` on a generated call tree of N
# services (default 10000), to time the traffic equations (ana_flow.c,
# ana_visits.c) that run before every check, run and theory. Service i > 0
# is called by service (i - 1) / 3 with probability 0.9, so a request makes
# about 20 visits; loads stay far below 1. Prints the wall time and peak
# resident memory of each command.
#   usage: flow.sh QMESH [N]
q=${1:?usage: flow.sh QMESH [N]}
n=${2:-10000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/qmesh-bench-flow.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
awk -v n="$n" 'BEGIN {
    print "graph ["; print "  directed 1"
    for (i = 0; i < n; i++)
        printf "  node [ id %d label \"s%d\" servers 4 service \"exp(mean=1ms)\" ]\n", i, i
    for (i = 1; i < n; i++)
        printf "  edge [ source %d target %d p 0.9 ]\n", int((i - 1) / 3), i
    print "]"
}' > "$dir/tree.gml"
cat > "$dir/tree.yaml" <<YAML
name: bench-flow
topology: tree.gml
workload:
  - { name: requests, entry: s0, arrival: "poisson(rate=10/s)" }
run:
  duration: 10s
  replications: 1
  seed: 1
YAML
for cmd in check theory; do
    /usr/bin/time -f "$cmd $n services: %e s, peak RSS %M KiB" \
        "$q" $cmd "$dir/tree.yaml" > /dev/null 2> "$dir/err"
    rc=$?
    tail -n 1 "$dir/err"
    [ $rc -eq 0 ] || { echo "qmesh $cmd failed ($rc):"; cat "$dir/err"; }
done
