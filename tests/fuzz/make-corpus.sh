#!/bin/sh
# make-corpus.sh - rebuild the seed corpora of tests/fuzz/corpus/ from the
# files qmesh ships, after they change. Run from the source folder:
#   sh tests/fuzz/make-corpus.sh
# Seeds are small (at most 16 KB each) and named after where they came from.
set -eu
c=tests/fuzz/corpus
[ -d tests/fuzz ] && [ -d scenarios ] || { echo "run me from the qmesh source folder" >&2; exit 2; }
rm -rf "$c"
mkdir -p "$c/fuzz_scenario" "$c/fuzz_gml" "$c/fuzz_graphml" "$c/fuzz_dist" \
    "$c/fuzz_empirical"
small() { [ "$(wc -c <"$1")" -le 16384 ]; }

# Scenarios. The harness writes its input into data/, beside links to the
# files of tests/data and below a link topologies/ (tst_fuzz.h), so the
# teaching scenarios' ../../topologies/ becomes ../topologies/.
for f in scenarios/*.yaml; do
    small "$f" && cp "$f" "$c/fuzz_scenario/scenarios_$(basename "$f")"
done
for f in scenarios/teaching/*.yaml; do
    small "$f" && sed 's|\.\./\.\./topologies/|../topologies/|' "$f" \
        >"$c/fuzz_scenario/teaching_$(basename "$f")"
done
for f in tests/data/*.yaml; do
    small "$f" && cp "$f" "$c/fuzz_scenario/data_$(basename "$f")"
done
# Overrides: "#set a.b=v" lines are --set arguments to the harness.
{ cat scenarios/mm1.yaml; printf '#set run.duration=5s\n#set run.seed=77\n'; } \
    >"$c/fuzz_scenario/set_run.yaml"
{ cat tests/data/good_full.yaml
  printf '#set services.server.servers=3\n#set run.warmup=1.25s\n'; } \
    >"$c/fuzz_scenario/set_service.yaml"
{ cat scenarios/ecommerce.yaml
  printf '#set workload.0.arrival=poisson(rate=450/s)\n#set run.requests=20000\n'; } \
    >"$c/fuzz_scenario/set_workload.yaml"
{ cat tests/data/calls_chain.yaml
  printf '#set services.front.blocking=0\n#set services.db.service=exp(mean=5ms)\n'; } \
    >"$c/fuzz_scenario/set_calls.yaml"
{ cat scenarios/closed.yaml; printf '#set workload.0.population=9\n#set nothing\n'; } \
    >"$c/fuzz_scenario/set_bad.yaml"

# Topologies.
for f in topologies/*.gml topologies/teaching/*.gml tests/data/*.gml bench/*.gml; do
    d=$(dirname "$f" | tr / _)
    small "$f" && cp "$f" "$c/fuzz_gml/${d}_$(basename "$f")"
done
for f in tests/data/*.graphml; do
    small "$f" && cp "$f" "$c/fuzz_graphml/data_$(basename "$f")"
done

# Distributions: the examples of docs/format.md and models/mdl_dist.h, one
# string per file, without a newline.
n=0
for s in 'exp(mean=5ms)' 'exp(rate=200/s)' 'exp(5ms)' 'poisson(rate=200/s)' \
    'det(2ms)' 'det(value=2ms)' 'uniform(1ms, 3ms)' 'uniform(min=1ms, max=3ms)' \
    'erlang(k=3, mean=5ms)' 'hyperexp(mean=5ms, cv=3)' \
    'lognormal(mean=5ms, cv=1.5)' 'pareto(mean=5ms, shape=2.5)' \
    'pareto(scale=1ms, shape=2.5)' 'gamma(mean=5ms, cv=0.5)' \
    'gamma(shape=2, scale=2.5ms)' 'weibull(mean=5ms, shape=1.5)' \
    'weibull(shape=1.5, scale=4ms)' 'empirical(file=samples.csv)' \
    'empirical(file=samples.csv, column=latency)' \
    'empirical(file="samples.csv", column=2)' 'exp(mean=1m)' 'det(1h)' \
    'exp(rate=30/m)' 'exp(rate=12.5)' 'uniform(250us, 0.5)'; do
    n=$((n + 1))
    printf '%s' "$s" >"$c/fuzz_dist/doc_$n"
done

# Empirical files: the first line is what follows file= in the call.
n=0
for a in '' 'column=latency' 'column=2' 'column=size'; do
    n=$((n + 1))
    { printf '%s\n' "$a"; cat tests/data/samples.csv; } >"$c/fuzz_empirical/samples_$n.csv"
done
{ printf '\n'; cat tests/data/bad_samples.csv; } >"$c/fuzz_empirical/bad_samples.csv"
printf '\n1.5\r\n2.5\r\n\r\n"3.5"\r\n' >"$c/fuzz_empirical/crlf.csv"
printf 'column=b\na,b,c\n1,2,3\n"4","5\n",6\n' >"$c/fuzz_empirical/quoted.csv"
