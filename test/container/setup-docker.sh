#!/usr/bin/env bash
# A Docker engine for the container tests, beside podman: Debian's dockerd (docker.io, 20.10)
# driven by the docker CLI already on PATH (/usr/local/bin/docker; apt's own CLI is diverted
# so that it cannot shadow it). This sandbox has no iptables and no registry, so the daemon runs
# without iptables, IP masquerading and userland-proxy changes, on a bridge made here, and only
# FROM scratch images are built.
#
#   setup-docker.sh start   installs docker.io if missing, starts dockerd, prints DOCKER_HOST
#   setup-docker.sh stop    stops dockerd (SIGTERM, then SIGKILL after 20 s), removes the bridge
#   setup-docker.sh status  prints DOCKER_HOST when the daemon answers, else exits 1
#
# Everything dockerd keeps (socket, data and exec roots, pidfile, log) is under one directory:
# $NI_CONFIG_DOCKERD_DIR, default /tmp/ni-config-dockerd. The bridge is $NI_CONFIG_DOCKER_BRIDGE
# (default nicfg-docker0) with $NI_CONFIG_DOCKER_BRIDGE_CIDR (default 172.30.231.1/24). Both
# commands are idempotent. Run as root (.ci/run does). Use it with:
#   export DOCKER_HOST=$(bash test/container/setup-docker.sh start)
set -euo pipefail
dir=${NI_CONFIG_DOCKERD_DIR:-/tmp/ni-config-dockerd}
bridge=${NI_CONFIG_DOCKER_BRIDGE:-nicfg-docker0}
cidr=${NI_CONFIG_DOCKER_BRIDGE_CIDR:-172.30.231.1/24}
sock="$dir/docker.sock"
pidfile="$dir/dockerd.pid"
host="unix://$sock"

answers() { DOCKER_HOST=$host timeout 10 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

# the pid in the pidfile, if that process is a dockerd; a stale file (a dockerd killed with
# SIGKILL leaves it, and dockerd then refuses to start) is removed
running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    echo "$pid"
    return 0
  fi
  rm -f "$pidfile"
  return 1
}

install_docker() {
  command -v dockerd >/dev/null && return
  # apt's docker CLI (20.10) would land in /usr/bin; keep it aside so the newer one on PATH stays in use
  dpkg-divert --local --rename --divert /usr/bin/docker.docker-io --add /usr/bin/docker >/dev/null
  # no init system here: keep the package scripts from trying to start the daemon
  local policy=/usr/sbin/policy-rc.d added=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
  [ -n "$added" ] && rm -f "$policy"
  command -v dockerd >/dev/null || {
    echo "docker.io installed no dockerd" >&2
    exit 1
  }
}

make_bridge() {
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
  fi
  case "$(ip -4 addr show dev "$bridge")" in
    *"inet ${cidr%/*}/"*) ;;
    *) ip addr add "$cidr" dev "$bridge" ;;
  esac
  ip link set "$bridge" up
}

start() {
  command -v docker >/dev/null || {
    echo "no docker CLI on PATH" >&2
    exit 1
  }
  if running_pid >/dev/null && answers; then
    echo "$host"
    return
  fi
  install_docker
  mkdir -p "$dir/data" "$dir/exec"
  make_bridge
  if pid=$(running_pid); then
    # a daemon that does not answer: start again from scratch
    stop_daemon "$pid"
  fi
  rm -f "$sock"
  # setsid: the daemon must not share the caller's process group (a Ctrl-C there would stop it)
  setsid dockerd \
    --iptables=false --ip6tables=false --ip-masq=false \
    --bridge="$bridge" --storage-driver=overlay2 \
    --host "$host" --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$pidfile" \
    >>"$dir/dockerd.log" 2>&1 </dev/null &
  local started=$!
  for _ in $(seq 1 300); do
    if answers; then
      echo "$host"
      return
    fi
    if ! kill -0 "$started" 2>/dev/null; then
      echo "dockerd exited while starting; the end of $dir/dockerd.log:" >&2
      tail -n 20 "$dir/dockerd.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "dockerd did not answer within 30 s; the end of $dir/dockerd.log:" >&2
  tail -n 20 "$dir/dockerd.log" >&2
  exit 1
}

stop_daemon() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "dockerd ($pid) did not stop within 20 s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
}

stop() {
  if pid=$(running_pid); then stop_daemon "$pid"; fi
  if ip link show "$bridge" >/dev/null 2>&1; then ip link del "$bridge"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running_pid >/dev/null && answers; then echo "$host"; else exit 1; fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
