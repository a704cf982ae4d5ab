#!/usr/bin/env bash
# A single-node Slurm cluster from Debian's packages (slurm-wlm, munge), for tests on a throwaway machine:
#
#   scripts/slurm/cluster.sh start    # as root: install, write the configuration, start munged, slurmctld, slurmd
#   scripts/slurm/cluster.sh status   # exit 0 when the node is up and schedulable
#   scripts/slurm/cluster.sh stop     # stop the three daemons (by their pid files)
#
# start is idempotent: packages, key and configuration already in place are kept, running daemons are reused.
# It refuses to overwrite an /etc/slurm/slurm.conf that it did not write (a real cluster's).
# Exit codes: 0 done, 1 failed, 77 skipped (Slurm is not installed and apt-get is unavailable).
# No systemd needed: the daemons are started directly and stopped through their pid files.
set -euo pipefail

readonly CONF=/etc/slurm/slurm.conf
readonly MARK="# Written by EarthMover's scripts/slurm/cluster.sh (a single-node test cluster)."
readonly KEY=/etc/munge/munge.key
readonly LOGS=/var/log/slurm
readonly WAIT_SECONDS=60

log() { echo "slurm-cluster: $*"; }
die() { echo "slurm-cluster: error: $*" >&2; exit 1; }

# The pid recorded in a pid file, if that process is alive and is the named program.
running_pid() {
  local file=$1 name=$2 pid
  [ -r "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || return 1
  echo "$pid"
}

munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

# Waits up to WAIT_SECONDS for a command to succeed.
wait_for() {
  local what=$1; shift
  for _ in $(seq "$WAIT_SECONDS"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what did not come up within ${WAIT_SECONDS} s"
}

install_packages() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; then
    return 0
  fi
  if ! command -v apt-get >/dev/null; then
    log "SKIP: Slurm is not installed and apt-get is unavailable (this script needs Debian or Ubuntu packages)."
    exit 77
  fi
  log "installing slurm-wlm and munge from apt"
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq)
  if ! "${apt[@]}" install slurm-wlm munge >/dev/null; then
    "${apt[@]}" update >/dev/null
    "${apt[@]}" install slurm-wlm munge >/dev/null
  fi
}

start_munge() {
  if [ ! -s "$KEY" ]; then
    log "creating the munge key $KEY"
    install -d -o munge -g munge -m 700 /etc/munge
    (umask 277 && dd if=/dev/urandom of="$KEY.tmp" bs=1024 count=1 status=none)
    chown munge:munge "$KEY.tmp" && mv "$KEY.tmp" "$KEY"
  fi
  chown munge:munge "$KEY" && chmod 400 "$KEY"
  if munge_works; then
    log "munged already running"
    return 0
  fi
  install -d -o munge -g munge -m 755 /run/munge
  install -d -o munge -g munge -m 700 /var/log/munge /var/lib/munge
  # As the munge user, as Debian's service runs it; --force: a stale socket from a killed munged is replaced.
  runuser -u munge -- munged --force
  wait_for munged munge_works
  log "munged started"
}

write_config() {
  local host cpus memory text
  host=$(hostname -s)
  cpus=$(nproc)
  # Slurm rejects --mem above the node's RealMemory (default 1 MB): declare 90% of the physical memory.
  memory=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  text="$MARK
ClusterName=earthmover-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP"
  if [ -e "$CONF" ] && ! grep -qxF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; it is left alone (this script is for throwaway test machines)"
  fi
  install -d -m 755 /etc/slurm /var/spool/slurmctld /var/spool/slurmd "$LOGS"
  CONFIG_CHANGED=0
  if [ -e "$CONF" ] && [ "$(cat "$CONF")" = "$text" ]; then
    return 0
  fi
  printf '%s\n' "$text" > "$CONF.tmp"
  mv "$CONF.tmp" "$CONF"
  CONFIG_CHANGED=1
  log "wrote $CONF (node $host, $cpus CPUs, ${memory} MB)"
}

node_state() { sinfo -h -N -n "$(hostname -s)" -o %T 2>/dev/null | head -n 1; }

node_usable() { [[ "$(node_state)" =~ ^(idle|mixed|allocated|completing)$ ]]; }

start() {
  [ "$(id -u)" = 0 ] || die "run it as root (it installs packages and starts daemons)"
  install_packages
  start_munge
  write_config
  if running_pid /run/slurmctld.pid slurmctld >/dev/null; then
    log "slurmctld already running"
    if [ "$CONFIG_CHANGED" = 1 ]; then scontrol reconfigure; fi
  else
    slurmctld
    wait_for slurmctld scontrol ping
    log "slurmctld started"
  fi
  if running_pid /run/slurmd.pid slurmd >/dev/null; then
    log "slurmd already running"
  else
    slurmd
    log "slurmd started"
  fi
  # A node left down or drained by an earlier run (state is kept in StateSaveLocation) is put back.
  for _ in $(seq "$WAIT_SECONDS"); do
    node_usable && break
    if [[ "$(node_state)" =~ ^(down|drained|draining|drain) ]]; then
      scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true
    fi
    sleep 1
  done
  node_usable || die "the node is '$(node_state)', not idle, after ${WAIT_SECONDS} s; see $LOGS/slurmd.log and $LOGS/slurmctld.log"
  log "node $(hostname -s) is $(node_state)"
  sinfo
}

stop_daemon() {
  local file=$1 name=$2 pid
  if ! pid=$(running_pid "$file" "$name"); then
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq "$WAIT_SECONDS"); do
    [ -d "/proc/$pid" ] || { log "$name stopped"; return 0; }
    sleep 0.5
  done
  log "$name (pid $pid) did not stop on SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  stop_daemon /run/slurmd.pid slurmd
  stop_daemon /run/slurmctld.pid slurmctld
  stop_daemon /run/munge/munged.pid munged
}

status() {
  local ok=0
  if munge_works; then echo "munged: running"; else echo "munged: not running"; ok=1; fi
  for d in slurmctld slurmd; do
    if pid=$(running_pid "/run/$d.pid" "$d"); then echo "$d: running (pid $pid)"; else echo "$d: not running"; ok=1; fi
  done
  if [ "$ok" = 0 ]; then
    echo "node $(hostname -s): $(node_state)"
    node_usable || ok=1
  fi
  return "$ok"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
