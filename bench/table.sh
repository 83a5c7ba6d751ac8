#!/bin/sh
# table.sh - the benchmarks of `make bench` as one table.
#
#   usage: table.sh SRCDIR      (from the build folder, after make bench's
#                                programs are built)
#
# Rates are per second of the process's CPU time (bench_net -1 and
# bench_hand -1 print both kinds; on a machine shared with other jobs the
# CPU time varies far less than wall time); load times are wall time.
#
# 1. qmesh against a hand-written C loop of the same model
#    (bench/bench_hand.c): M/M/1, the 50-station Jackson network, and a
#    Jackson network generated at 100 and 10,000 stations, and at 10,000
#    at load 0.005 (bench/gen_jackson.sh): events/s of each, qmesh/hand,
#    the cost per event at 10,000 stations over 100 of each program, and
#    the mean latency of both beside `qmesh theory`. The two programs
#    alternate, ROUNDS times (default 3), so that a noisy neighbour slows
#    both alike; each run is the median of 5 timed trials, and the table
#    gives the median of the rounds and of their ratios.
# 2. Applications and generated Meta-like topologies (`qmesh gen meta`)
#    through bench_net: events/s, requests/s, ns per event, peak RSS, and
#    the cost per event at 10,000 services over that at 100. The rows run
#    one after another, ROUNDS times over; the table gives the medians of
#    the rounds, and the median of the rounds' ratios. `meta 10000 @.005`
#    is the 10,000-service topology at load 0.005 instead of 0.5, with a
#    hundredth of the requests in flight (184 events pending on average,
#    against 45 at meta 100 and 16,800 at load 0.5): its ratio to meta
#    100 is mostly the cost of the topology's size.
# 3. Load and check time of generated topologies of 10^3 to 10^5
#    services, Meta-like and Jackson networks (bench_load: `qmesh check`
#    is load + stability + build), and the wall time of `qmesh graph`.
# 4. Memory, measured as slopes of peak RSS: per in-flight request (a
#    delay station holding about 10^5, then 10^6 requests) and per
#    service (the generated topologies of 1,000 and 10,000 services);
#    and what a cache miss costs here (bench_mem): the time of a load
#    that waits for the one before, in blocks of 1 to 128 MiB.
#
# Generated topologies go into bench/gen of the build folder. Sizes can
# be changed from the environment (QMESH_BENCH_ROUNDS, _MM1, _JACKSON, _SCALE,
# _APPS, _META, _LOAD_MAX); the defaults take about 3 minutes on 2 cores.
set -u
src=${1:?usage: table.sh SRCDIR}
rounds=${QMESH_BENCH_ROUNDS:-3}
n_mm1=${QMESH_BENCH_MM1:-5000000}
n_jackson=${QMESH_BENCH_JACKSON:-1000000}
n_scale=${QMESH_BENCH_SCALE:-500000}
n_apps=${QMESH_BENCH_APPS:-200000}
n_meta=${QMESH_BENCH_META:-100000}
load_max=${QMESH_BENCH_LOAD_MAX:-100000}
q=./qmesh
net=bench/bench_net
hand=bench/bench_hand
load=bench/bench_load
mem=bench/bench_mem
gen=bench/gen
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qmesh-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

die() { echo "table.sh: $*" >&2; exit 1; }
# Run a command whose one line of output is appended to file $1.
run() {
    f=$1
    shift
    "$@" >> "$f" 2> "$tmp/err" || { cat "$tmp/err" >&2; die "failed: $*"; }
}
# The number of nodes and of edges of the topology a scenario names.
graph_size() {
    topo=$(sed -n 's/^topology: *\([^ #]*\).*/\1/p' "$1")
    case $topo in /*) ;; *) topo=$(dirname "$1")/$topo ;; esac
    awk '/^ *node *\[/ { n++ } /^ *edge *\[/ { e++ }
         END { printf "%d %d\n", n, e }' "$topo"
}

# The median of a[1..n], for the awk programs below (it sorts a).
median='
function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
            t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
        }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
'

for p in "$q" "$net" "$hand" "$load" "$mem"; do
    [ -x "$p" ] || die "$p is not built (run make bench)"
done
# The timed runs of sections 1 and 2, and bench_mem's, go on one core,
# the last this script may use (taskset, where there is one): the cores
# of a shared machine can differ by a third in speed, and a run that
# lands on the slower one would count against its side of a ratio.
pin=
cpu=$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//; s/.*[,-]//')
[ -n "$cpu" ] && pin="taskset -c $cpu"
mkdir -p "$gen" || exit 1
start=$(date +%s)

echo "qmesh benchmarks (docs/bench.md). Each run is the median of 5 timed"
echo "trials of the simulation alone; rates are per second of the process's"
echo "CPU time (CLOCK_PROCESS_CPUTIME_ID), which a busy neighbour disturbs"
echo "less than wall time; load times are wall time."
[ -n "$pin" ] && echo "Sections 1 and 2, and the cost of a miss, run on one core: $pin."
printf 'build: CFLAGS %s' "'${BENCH_CFLAGS:-?}'"
case ${BENCH_INVARIANTS:-} in
    *QMESH_INVARIANTS*) printf ', WITH --enable-invariants (slower: ';
                        printf 'configure without it to benchmark)' ;;
esac
echo
printf 'machine: %s CPUs, load average %s before the runs\n' \
    "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')" \
    "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# ---- 1. qmesh against the hand-written loops
# mm1heap: M/M/1 again, against the network's loop (an event heap) rather
# than the loop written for M/M/1 alone (two event times). j100, j10000:
# the same Jackson network at 100 and at 10,000 stations
# (bench/gen_jackson.sh), how the cost per event of each program grows
# with the model; j10000q: 10,000 stations at load 0.005, at the
# arrival rate of the 100 (as many stations busy, about 50, and half the
# requests in flight), how much of that growth is the size alone.
for n in 100 10000; do
    sh "$src/bench/gen_jackson.sh" $n "$gen" || die "gen_jackson.sh $n"
done
sh "$src/bench/gen_jackson.sh" 10000 "$gen/quiet" 0.005 \
    || die "gen_jackson.sh 10000 at load 0.005"
for m in mm1 mm1heap jackson j100 j10000 j10000q; do
    case $m in
        mm1) y=$src/bench/mm1.yaml n=$n_mm1 mode=mm1 ;;
        mm1heap) y=$src/bench/mm1.yaml n=$n_mm1 mode=jackson ;;
        j100) y=$gen/jackson100.yaml n=$n_scale mode=jackson ;;
        j10000) y=$gen/jackson10000.yaml n=$n_scale mode=jackson ;;
        j10000q) y=$gen/quiet/jackson10000.yaml n=$n_scale mode=jackson ;;
        *) y=$src/bench/jackson50.yaml n=$n_jackson mode=jackson ;;
    esac
    i=0
    while [ $i -lt "$rounds" ]; do
        run "$tmp/q.$m" $pin "$net" -1 "$y" "$n"
        run "$tmp/h.$m" $pin "$hand" -1 "$mode" "$y" "$n"
        i=$((i + 1))
    done
    "$q" theory "$y" > "$tmp/theory" 2>&1 || die "qmesh theory $y failed"
    awk '$1 == "system" && $2 == "latency" && $3 == "mean" {
             v = $4; u = $5
             print (u == "s" ? v * 1e3 : u == "us" ? v / 1e3 : v); exit
         }' "$tmp/theory" > "$tmp/t.$m"
done
awk -v rounds="$rounds" "$median"'
function row(m, label, target,    i, r) {
    for (i = 1; i <= rounds; i++) {
        qs[i] = q[m, i]; hs[i] = h[m, i]; r[i] = q[m, i] / h[m, i]
    }
    rq = median(qs, rounds); rh = median(hs, rounds); rr = median(r, rounds)
    printf "%-18s %9.2f M %9.2f %9.2f %7.0f%%", label, ev[m] / 1e6, rq, rh,
        100 * rr
    if (target)
        printf "   >= %d%%  %s", target,
            (100 * rr >= target ? "met" : "missed")
    printf "\n"
}
# After the text what, the cost per event at model b over that at model
# a, of qmesh and of the hand loop, and the first over the second: the
# part of the growth that is not the machine (medians over the
# rounds).
function growth(what, a, b,    i, rq, rh, rr) {
    for (i = 1; i <= rounds; i++) {
        rq[i] = q[a, i] / q[b, i]; rh[i] = h[a, i] / h[b, i]
        rr[i] = rq[i] / rh[i]
    }
    printf "%s: qmesh %.2fx, hand %.2fx, qmesh/hand %.2f\n", what,
        median(rq, rounds), median(rh, rounds), median(rr, rounds)
}
FILENAME ~ /\/q\.[a-z0-9]+$/ {
    m = FILENAME; sub(/.*\/q\./, "", m); q[m, ++nq[m]] = $10; ev[m] = $5
    if (nq[m] == 1) qlat[m] = $9 * 1e3
}
FILENAME ~ /\/h\.[a-z0-9]+$/ {
    m = FILENAME; sub(/.*\/h\./, "", m); h[m, ++nh[m]] = $10
    if (nh[m] == 1) { hlat[m] = $7 * 1e3; hci[m] = $8 * 1e3 }
}
FILENAME ~ /\/t\.[a-z0-9]+$/ {
    m = FILENAME; sub(/.*\/t\./, "", m); th[m] = $1
}
END {
    print ""
    print "1. qmesh against a hand-written C loop of the same model " \
          "(bench/bench_hand.c)"
    printf "   %d rounds, each one qmesh run then one hand run\n", rounds
    printf "%-18s %11s %9s %9s %8s %8s\n", "model", "events/run",
        "qmesh", "hand", "q/hand", "target"
    printf "%-18s %11s %9s %9s\n", "", "", "M ev/s", "M ev/s"
    row("mm1", "M/M/1, load 0.9", 85)
    row("mm1heap", "M/M/1, heap loop", 85)
    row("jackson", "Jackson, 50 st.", 75)
    row("j100", "Jackson, 100 st.", 0)
    row("j10000", "Jackson, 10^4 st.", 0)
    row("j10000q", "  10^4 st. @.005", 0)
    growth("cost per event, 10,000 stations over 100", "j100", "j10000")
    growth("  at load 0.005, the arrival rate of 100 stations",
           "j100", "j10000q")
    print ""
    printf "%-18s %12s %22s %12s\n", "mean latency (ms)", "qmesh",
        "hand [95% CI]", "theory"
    printf "%-18s %12.2f %13.2f +- %-5.2g %12.2f\n", "M/M/1",
        qlat["mm1"], hlat["mm1"], hci["mm1"], th["mm1"]
    printf "%-18s %12.2f %13.2f +- %-5.2g %12.2f\n", "Jackson, 50 st.",
        qlat["jackson"], hlat["jackson"], hci["jackson"], th["jackson"]
}' "$tmp"/q.mm1 "$tmp"/q.mm1heap "$tmp"/q.jackson "$tmp"/q.j100 \
    "$tmp"/q.j10000 "$tmp"/q.j10000q "$tmp"/h.mm1 "$tmp"/h.mm1heap \
    "$tmp"/h.jackson "$tmp"/h.j100 "$tmp"/h.j10000 "$tmp"/h.j10000q \
    "$tmp"/t.mm1 "$tmp"/t.jackson

# ---- 2. applications and generated topologies, row after row, rounds
# times over
for n in 100 1000 10000; do
    run "$tmp/gen" "$q" gen meta -n $n -q -o "$gen"
done
mkdir -p "$gen/quiet" || die "cannot make $gen/quiet"
run "$tmp/gen" "$q" gen meta -n 10000 -q -o "$gen/quiet" --set load=0.005
cat > "$tmp/rows" <<EOF
Online_Boutique $src/bench/boutique.yaml $n_apps 10
Boutique+policies $src/bench/boutique_policies.yaml $n_apps 0
socialNetwork $src/scenarios/social_network.yaml $n_apps 10
meta_100 $gen/meta100.yaml $n_meta 0
meta_1000 $gen/meta1000.yaml $n_meta 0
meta_10000 $gen/meta10000.yaml $n_meta 0
meta_10000_@.005 $gen/quiet/meta10000.yaml $n_meta 0
EOF
: > "$tmp/apps"
i=0
while [ $i -lt "$rounds" ]; do
    while read -r label y n target; do
        set -- $(graph_size "$y")
        printf '%s %s %s %s ' "$label" "$1" "$2" "$target" >> "$tmp/apps"
        run "$tmp/apps" $pin "$net" -1 "$y" "$n"
    done < "$tmp/rows"
    i=$((i + 1))
done
awk -v rounds="$rounds" "$median"'
function med(v, row,    i, a) {
    for (i = 1; i <= rounds; i++)
        a[i] = v[row, i]
    return median(a, rounds)
}
{
    k = ++seen[$1]
    if (k == 1) {
        order[++nrow] = $1; nodes[$1] = $2; edges[$1] = $3; target[$1] = $4
    }
    mev[$1, k] = $14; rss[$1, k] = $12
    evreq[$1] = $9 / $10
}
END {
    print ""
    print "2. Applications and generated Meta-like topologies (bench_net;"
    printf "   %d rounds over the rows, medians of the rounds)\n", rounds
    printf "%-18s %6s %7s %7s %8s %9s %7s %7s  %s\n", "scenario",
        "nodes", "edges", "ev/req", "M ev/s", "req/s", "ns/ev",
        "RSS MiB", "target"
    for (r = 1; r <= nrow; r++) {
        row = order[r]; label = row; gsub(/_/, " ", label)
        m = med(mev, row); c = m * 1e6 / evreq[row]; rs = med(rss, row)
        t = target[row] > 0 ? sprintf(">= %d M ev/s  %s", target[row],
                                      m >= target[row] ? "met" : "missed") : ""
        printf "%-18s %6d %7d %7.1f %8.2f %9.0f %7.0f %7.1f  %s\n", label,
            nodes[row], edges[row], evreq[row], m, c, 1e3 / m, rs, t
    }
    for (i = 1; i <= rounds; i++)   # paired by round
        ratio[i] = mev["meta_100", i] / mev["meta_10000", i]
    r = median(ratio, rounds)
    printf "cost per event, 10,000 services over 100: %.2fx " \
           "(target <= 1.5x: %s)\n", r, (r <= 1.5 ? "met" : "missed")
    for (i = 1; i <= rounds; i++)
        ratio[i] = mev["meta_100", i] / mev["meta_10000_@.005", i]
    printf "  the same at load 0.005, a hundredth of the requests in " \
           "flight: %.2fx\n", median(ratio, rounds)
    printf "%s %s %s %s %s %s\n", med(rss, "meta_1000"),
        nodes["meta_1000"], edges["meta_1000"], med(rss, "meta_10000"),
        nodes["meta_10000"], edges["meta_10000"] > out
}' out="$tmp/svc" "$tmp/apps"

# ---- 3. load and check, and `qmesh graph`, of the generated Meta-like
# topologies (call trees) and Jackson networks (forward routing, every
# station reaching every other), 10^3 to load_max services
echo
echo "3. Load and check (bench_load, median of 3) and qmesh graph (one run)" \
     "of generated topologies"
printf '%-18s %8s %8s %8s %8s %8s %9s  %s\n' "topology" "load s" "build s" \
    "theory s" "check s" "graph s" "RSS MiB" "target"
for kind in meta jackson; do
    n=1000
    while [ $n -le "$load_max" ]; do
        if [ $kind = meta ]; then
            [ -f "$gen/meta$n.yaml" ] || run "$tmp/gen" "$q" gen meta \
                -n $n -q -o "$gen"
        else
            [ -f "$gen/jackson$n.yaml" ] \
                || sh "$src/bench/gen_jackson.sh" $n "$gen" \
                || die "gen_jackson.sh $n"
        fi
        : > "$tmp/load"
        run "$tmp/load" "$load" "$gen/$kind$n.yaml"
        t0=$(date +%s.%N)
        "$q" graph "$gen/$kind$n.gml" > /dev/null \
            || die "qmesh graph $gen/$kind$n.gml failed"
        t1=$(date +%s.%N)
        awk -v n=$n -v kind=$kind -v g="$t0 $t1" '{
            for (i = 1; i <= NF; i++) v[$i] = $(i + 1)
            split(g, gt, " ")
            target = n == 10000 ? 1 : n == 100000 ? 10 : 0
            t = target ? sprintf("< %d s  %s", target, \
                                 v["check"] < target ? "met" : "missed") : ""
            printf "%-18s %8.3f %8.3f %8.3f %8.3f %8.3f %9.1f  %s\n",
                kind " " n, v["load"], v["build"], v["theory"], v["check"],
                gt[2] - gt[1], v["RSS"], t
        }' "$tmp/load"
        n=$((n * 10))
    done
done

# ---- 4. memory
cat > "$tmp/hold.gml" <<EOF
graph [
  directed 1
  node [ id 0 label "hold" kind "delay" service "det(1s)" ]
]
EOF
for r in 100000 1000000; do
    cat > "$tmp/hold$r.yaml" <<EOF
name: hold$r
topology: hold.gml
workload:
  - { name: requests, entry: hold, arrival: "poisson(rate=$r/s)" }
run:
  duration: 2s
EOF
    # 1.5 s: the station holds the last second's arrivals from t = 1 s on
    run "$tmp/hold" "$net" -1 "$tmp/hold$r.yaml" $((r * 3 / 2))
done
echo
echo "4. Memory: slopes of peak RSS, and what a miss costs"
awk -v svc="$(cat "$tmp/svc")" '
{ rss[NR] = $8 }
END {
    split(svc, s, " ")
    printf "per in-flight request  %6.0f bytes  (a delay station holding " \
           "1e5 then 1e6 requests: %.1f, %.1f MiB)\n",
        (rss[2] - rss[1]) * 1048576 / 9e5, rss[1], rss[2]
    printf "per service            %6.0f bytes  (generated Meta-like, " \
           "%d edges a service: %.1f MiB at 1,000, %.1f at 10,000)\n",
        (s[4] - s[1]) * 1048576 / (s[5] - s[2]),
        (s[6] - s[3]) / (s[5] - s[2]), s[1], s[4]
}' "$tmp/hold"
run "$tmp/mem" $pin "$mem" -1
awk '{
    printf "a load after a load    "
    for (i = 1; i < NF; i += 2)
        printf "%s%s MiB %.0f ns", (i > 1 ? ", " : ""), $i, $(i + 1)
    printf "  (bench_mem, in blocks of that size)\n"
}' "$tmp/mem"
echo
echo "make bench took $(($(date +%s) - start)) s"
