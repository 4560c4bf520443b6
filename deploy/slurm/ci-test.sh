#!/usr/bin/env bash
# Integration test of the shipped Slurm scripts on a throw-away single-node cluster.
#
# Starts a private munged and slurmctld + slurmd on this machine (all state, sockets, logs and ports
# under a temporary directory; nothing in /etc is changed), submits deploy/slurm/submit.sh for
# tests/fixtures/example.toml in N = 3 shards, waits for the merge job, and checks that the merged
# results.json equals a single-process run byte for byte. Everything is stopped on exit.
#
#   deploy/slurm/ci-test.sh [path/to/attain]      (default: target/release/attain)
#
# Needs root (slurmd runs jobs as the submitting user) and Debian's slurm-wlm and munge, which it
# installs with apt-get when they are missing (set ATTAIN_SLURM_INSTALL=0 to forbid that). Exits 0
# on success, 1 on failure, and 77 ("skipped") when Slurm cannot be had.
set -euo pipefail
given=${1:-}
[[ -n "$given" ]] && given=$(realpath "$given")
cd "$(dirname "$0")/../.."
repo=$(pwd)
attain=${given:-$repo/target/release/attain}
if [[ ! -x "$attain" ]]; then
    echo "slurm ci-test: $attain is not an executable (cargo build --release first)"
    exit 1
fi

export PATH="$PATH:/usr/sbin"
if [[ $(id -u) -ne 0 ]]; then
    echo "slurm ci-test: SKIPPED: slurmd must run as root"
    exit 77
fi
have_slurm() {
    local c
    for c in munged slurmctld slurmd sbatch squeue sinfo scontrol; do
        command -v "$c" >/dev/null 2>&1 || return 1
    done
}
# On a fresh Debian/Ubuntu CI machine, install Slurm and munge (opt out: ATTAIN_SLURM_INSTALL=0).
if ! have_slurm && [[ "${ATTAIN_SLURM_INSTALL:-1}" == 1 ]] && command -v apt-get >/dev/null; then
    echo "slurm ci-test: installing slurm-wlm and munge with apt-get"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends slurm-wlm munge; } >/dev/null 2>&1 || true
fi
if ! have_slurm; then
    echo "slurm ci-test: SKIPPED: Slurm is not installed (apt-get install slurm-wlm munge)"
    exit 77
fi

work=$(mktemp -d /tmp/attain-slurm.XXXXXX)
chmod 755 "$work"
# Stops the daemons this script started (by their pid files only), waiting up to 10 s each.
stop() {
    local f=$1 pid
    [[ -f "$f" ]] || return 0
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    stop "$work/slurmd.pid"
    stop "$work/slurmctld.pid"
    stop "$work/munged.pid"
    if [[ $rc -ne 0 ]]; then
        echo "--- slurmctld.log"; tail -n 30 "$work/slurmctld.log" 2>/dev/null || true
        echo "--- slurmd.log"; tail -n 30 "$work/slurmd.log" 2>/dev/null || true
        for f in "$work"/jobs/*.log; do [[ -f $f ]] && { echo "--- $f"; cat "$f"; }; done
    fi
    rm -rf "$work"
    exit $rc
}
trap cleanup EXIT

# Free TCP ports for slurmctld and slurmd (so a system Slurm or a parallel run does not clash).
read -r ctld_port slurmd_port < <(python3 - <<'PY' 2>/dev/null || echo "16817 16818"
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])
PY
)

# --- munge, with a private key and socket
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/jobs" "$work/parts"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 700 "$work/munge"; chmod 400 "$work/munge/munge.key"
munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.sock" \
    --pid-file="$work/munged.pid" --log-file="$work/munge/munged.log" \
    --seed-file="$work/munge/munged.seed"
for _ in $(seq 50); do [[ -S "$work/munge/munge.sock" ]] && break; sleep 0.1; done

# --- slurm.conf for one node: this host, all its CPUs, no cgroups, no accounting daemon
node=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)
cat >"$work/slurm.conf" <<CONF
ClusterName=attainci
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
SchedulerParameters=sched_interval=1
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
export SLURM_CONF="$work/slurm.conf"

slurmctld -i
slurmd
# Wait until the node is idle (the controller and the node daemon found each other).
for i in $(seq 60); do
    state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
    [[ "$state" == idle* ]] && break
    if [[ $i -eq 60 ]]; then echo "slurm ci-test: node never became idle (state '$state')"; exit 1; fi
    sleep 1
done
echo "slurm ci-test: single-node cluster up ($node, $cpus CPUs, ports $ctld_port/$slurmd_port)"

# --- the test: 3 shards + merge via the shipped scripts, against one single-process run
scenario="$repo/tests/fixtures/example.toml"
runs=30000
"$attain" run "$scenario" --runs "$runs" --out "$work/single" --quiet --format json >/dev/null
cd "$work/jobs"
read -r array merge < <(ATTAIN="$attain" RUNS="$runs" "$repo/deploy/slurm/submit.sh" \
    "$scenario" 3 "$work/parts" "$work/merged" --time=10)
echo "slurm ci-test: submitted array $array and merge $merge"
for i in $(seq 180); do
    if [[ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]]; then break; fi
    if [[ $i -eq 180 ]]; then echo "slurm ci-test: jobs did not finish in 3 minutes"; squeue; exit 1; fi
    sleep 1
done
state=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
if [[ "$state" != COMPLETED ]]; then
    echo "slurm ci-test: merge job ended in state '$state'"
    scontrol show job "$array" || true
    exit 1
fi
ls "$work/parts"
cmp "$work/single/results.json" "$work/merged/results.json"
echo "slurm ci-test: ok: 3 Slurm array shards merged byte-identical to a single run"
