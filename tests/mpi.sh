#!/bin/sh
# tests/mpi.sh - make check-mpi: qmesh built --with-mpi, run under mpirun,
# writes the files it writes with -j 2 on one machine, byte for byte
# (provenance.csv's date and command line aside): a sweep (points side
# by side in one pool), a run with run.precision (rounds), a load sweep
# of `run --load` (loads set one after another), a sweep with
# `warmup: auto` (a pilot, then the chosen warm-up), and a failed
# replication, which ends the command as it does without MPI.
#
# usage: mpi.sh QMESH SRCDIR WORKDIR
# QMESH is the MPI build; without mpirun it runs as any qmesh does.
set -u
q=$1 src=$2 work=$3/check-mpi
# mpirun refuses to start as root unless told; CI runs as root. The
# machine may have fewer cores than ranks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Containers often forbid the cross-memory attach of Open MPI's shared
# memory transport (process_vm_readv): copy through the segment instead.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
mpi() { n=$1; shift; mpirun --oversubscribe -n "$n" "$@"; }
failed=0

bad() {
    echo "FAIL: $*" >&2
    failed=1
}

# same A B: folders A and B hold the same files with the same bytes,
# provenance.csv's date and command rows aside.
same() {
    diff -r -x provenance.csv "$1" "$2" >&2 || return 1
    for f in $(cd "$1" && find . -name provenance.csv); do
        grep -v -e '^date,' -e '^command,' "$1/$f" >"$work/p1"
        grep -v -e '^date,' -e '^command,' "$2/$f" >"$work/p2" 2>/dev/null
        cmp "$work/p1" "$work/p2" >&2 || return 1
    done
}

# check NAME NRANKS ARGS...: qmesh ARGS -j 2 -o ... and the same under
# mpirun -n NRANKS write the same files; both exit 0.
check() {
    name=$1 n=$2
    shift 2
    "$q" "$@" -q -j 2 -o "$work/$name-j2" >"$work/$name-j2.out" 2>&1 \
        || bad "$name: qmesh -j 2 exited $?: $(cat "$work/$name-j2.out")"
    mpi "$n" "$q" "$@" -q -o "$work/$name-mpi" >"$work/$name-mpi.out" 2>&1 \
        || bad "$name: mpirun -n $n exited $?: $(cat "$work/$name-mpi.out")"
    same "$work/$name-j2" "$work/$name-mpi" \
        || bad "$name: the files of mpirun -n $n differ from those of -j 2"
    echo "ok: $name: mpirun -n $n writes the files of -j 2"
}

rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$src" || exit 1
"$q" --version | grep -q '^MPI: ' || bad "--version does not tell MPI"
mpi 2 "$q" --version | grep -q '^MPI: .*mpirun' \
    || bad "--version does not say it was built with MPI"

check sweep 3 sweep tests/data/sweep.yaml
check precision 2 run scenarios/mm1.yaml -r 4 --set run.duration=200s \
    --set 'run.precision={metric: system.latency_mean, relative: 3%}'
check load 3 run scenarios/mm1.yaml --load 0.3:0.7:0.2 -r 3 \
    --set run.duration=100s
# warmup: auto: the pilot's copy, and the run with the warm-up it chose,
# travel in the recipe.
check warmup 3 sweep scenarios/mm1.yaml --axis 'load=[0.5, 0.9]' -r 4 \
    --set run.duration=500s --set run.warmup=auto

# A replication that fails on a worker: the same status and message.
"$q" run tests/data/zero_loop.yaml -j 2 -o "$work/fail-j2" \
    >"$work/fail-j2.out" 2>&1
st1=$?
mpi 3 "$q" run tests/data/zero_loop.yaml -o "$work/fail-mpi" \
    >"$work/fail-mpi.out" 2>&1
st2=$?
[ "$st1" = 1 ] && [ "$st2" = 1 ] \
    || bad "failure: exit status $st1 with -j 2, $st2 under mpirun"
for f in fail-j2 fail-mpi; do
    grep -q "qmesh: simulation failed: .*time stands still at t = 0 s" \
        "$work/$f.out" || bad "failure: $f.out: $(cat "$work/$f.out")"
    [ ! -e "$work/$f" ] || bad "failure: $f was written"
done
[ $failed = 0 ] && echo "ok: failure: mpirun -n 3 fails as -j 2 does"

[ $failed = 0 ] && rm -rf "$work"
exit $failed
