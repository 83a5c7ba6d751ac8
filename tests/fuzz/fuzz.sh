#!/bin/sh
# fuzz.sh - run qmesh's libFuzzer harnesses one after another (make fuzz).
#
# usage: fuzz.sh BINDIR SRCDIR OUTDIR SECONDS HARNESS...
#
# Each harness first replays its seed corpus (SRCDIR/tests/fuzz/corpus/H)
# and its regression inputs (SRCDIR/tests/fuzz/regress/H), then mutates
# them for SECONDS seconds. New inputs that reach new code go to
# OUTDIR/corpus/H, kept between runs; what misbehaves (crash, sanitizer
# report, input slower than 10 s, more than 2 GB) is saved in
# OUTDIR/findings/H/, emptied at the start of each run. One harness at a
# time, or two with FUZZ_JOBS=2 (a machine's two cores: half the time).
# The exit status is 1 when any harness found something.
set -u
if [ $# -lt 5 ]; then
    echo "usage: $0 BINDIR SRCDIR OUTDIR SECONDS HARNESS..." >&2
    exit 2
fi
bindir=$1 srcdir=$2 outdir=$3 seconds=$4
shift 4
mkdir -p "$outdir/tmp" "$outdir/logs" || exit 2
if [ "${FUZZ_JOBS:-1}" -ge 2 ] && [ $# -ge 2 ]; then
    # Every other harness in each of two runs; their reports follow.
    odd= even= i=0
    for h in "$@"; do
        if [ $((i % 2)) -eq 0 ]; then odd="$odd $h"; else even="$even $h"; fi
        i=$((i + 1))
    done
    FUZZ_JOBS=1 sh "$0" "$bindir" "$srcdir" "$outdir" "$seconds" $odd \
        >"$outdir/logs/run1.out" 2>&1 &
    p1=$!
    FUZZ_JOBS=1 sh "$0" "$bindir" "$srcdir" "$outdir" "$seconds" $even \
        >"$outdir/logs/run2.out" 2>&1
    s2=$?
    wait $p1
    s1=$?
    cat "$outdir/logs/run1.out" "$outdir/logs/run2.out"
    [ $s1 -eq 0 ] && [ $s2 -eq 0 ]
    exit $?
fi
# The harnesses find topologies and CSV files through top_srcdir and
# keep their scratch folders in TMPDIR.
top_srcdir=$srcdir TMPDIR=$outdir/tmp
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export top_srcdir TMPDIR UBSAN_OPTIONS
# Reports name functions and lines when a symbolizer is found; Debian's
# llvm-14 has it only under a versioned name.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] \
    && ! command -v llvm-symbolizer >/dev/null; then
    for s in /usr/lib/llvm-*/bin/llvm-symbolizer; do
        [ -x "$s" ] && ASAN_SYMBOLIZER_PATH=$s && export ASAN_SYMBOLIZER_PATH
    done
fi
status=0 summary=
for h in "$@"; do
    corpus=$outdir/corpus/$h findings=$outdir/findings/$h
    log=$outdir/logs/$h.log
    rm -rf "$findings"
    mkdir -p "$corpus" "$findings" || exit 2
    # Paths are split on blanks below: autotools trees have none.
    dict= seeds= here=$srcdir/tests/fuzz
    [ -f "$here/$h.dict" ] && dict=-dict=$here/$h.dict
    for d in corpus regress; do
        [ -d "$here/$d/$h" ] && seeds="$seeds $here/$d/$h"
    done
    echo "fuzz: $h for ${seconds}s (log: $log)"
    if "$bindir/$h" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$findings/" $dict "$corpus" $seeds \
        </dev/null >"$log" 2>&1; then
        result=ok
    else
        result=FOUND
        status=1
        # The report, and each finding in a form that survives a CI log.
        sed -n '/^==[0-9]*==ERROR\|runtime error\|^tst_fuzz:\|ALARM/,$p' \
            "$log" | head -60
        for f in "$findings"/*; do
            [ -f "$f" ] || continue
            echo "fuzz: $h: finding $f ($(wc -c <"$f") bytes)," \
                "base64 of its first 4096:"
            head -c 4096 "$f" | base64
        done
    fi
    # "#123 DONE cov: 1 ft: 2 corp: ..." then the final stats.
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    [ -n "$execs" ] || execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    summary="$summary$(printf '%-16s %-6s %10s %8s %7s %7s' "$h" "$result" \
        "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}")
"
done
printf '%-16s %-6s %10s %8s %7s %7s\n' harness result execs exec/s cov ft
printf '%s' "$summary"
exit $status
