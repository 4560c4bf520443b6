#!/usr/bin/env bash
# Submits an attain run as a Slurm job array of N shards plus a merge job that waits for all of them.
#
#   deploy/slurm/submit.sh SCENARIO N PARTS_DIR OUT_DIR [extra sbatch options…]
#
# PARTS_DIR and OUT_DIR must be on a file system every node sees. Set ATTAIN to the binary's path
# if it is not on PATH on the compute nodes; RUNS and SEED override the scenario's values.
# Prints the two job ids (array, merge) on one line.
set -euo pipefail
if [[ $# -lt 4 ]]; then
    sed -n '2,9p' "$0" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
scenario=$(realpath "$1")
n=$2
parts=$(realpath -m "$3")
out=$(realpath -m "$4")
shift 4
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
    echo "N must be a positive integer, got '$n'" >&2
    exit 2
fi
mkdir -p "$parts"
export SCENARIO="$scenario" PARTS="$parts" N="$n" OUT="$out"
export ATTAIN="${ATTAIN:-attain}" RUNS="${RUNS:-}" SEED="${SEED:-}"

array=$(sbatch --parsable --array="1-$n" --export=ALL "$@" "$here/attain-array.sbatch")
array=${array%%;*}   # --parsable prints "jobid[;cluster]"
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --export=ALL "$@" \
    "$here/attain-merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
