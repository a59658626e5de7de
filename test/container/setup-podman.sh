#!/usr/bin/env bash
# Installs podman and makes it work in this sandbox: registers ni-runc (drops rlimits, see the
# script) as the default OCI runtime. Idempotent; run as root (.ci/run does).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc busybox-static >/dev/null
fi
command -v busybox >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null; }
install -m 0755 "$here/ni-runc" /usr/local/bin/ni-runc
# a drop-in, so that an existing containers.conf (with its own [engine] table) stays valid
mkdir -p /etc/containers/containers.conf.d
cat > /etc/containers/containers.conf.d/50-ni-runc.conf <<'CONF'
[engine]
runtime = "ni-runc"

[engine.runtimes]
ni-runc = ["/usr/local/bin/ni-runc"]
CONF
podman info --format '{{.Host.OCIRuntime.Name}}'
