#!/usr/bin/env bash
# Times `dlint image` on an image read from a local registry against the same image read from
# disk, and against `skopeo copy` to a tarball followed by `dlint image` on it.
#
# Usage: scripts/bench-registry.sh IMAGE.oci.tar [RUNS]
# Needs Debian's docker-registry and skopeo (apt-get install docker-registry skopeo) and a
# release build (cargo build --release). Starts a registry on 127.0.0.1 with its storage in a
# temporary directory, pushes the image, runs each command RUNS times (default 3) in turn, and
# prints wall seconds, CPU seconds, peak RSS (KiB) and file-system blocks written per run.
# Everything it starts or writes is removed on exit.
set -euo pipefail
img=${1:?usage: scripts/bench-registry.sh IMAGE.oci.tar [RUNS]}
runs=${2:-3}
cd "$(dirname "$0")/.."
dlint=${DLINT:-target/release/dlint}
[ -x "$dlint" ] || { echo "build first: cargo build --release" >&2; exit 2; }
tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { [ -n "${reg:-}" ] && kill "$reg" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cat >"$tmp/config.yml" <<EOF
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $tmp/storage}}
http: {addr: 127.0.0.1:$port}
EOF
/usr/bin/docker-registry serve "$tmp/config.yml" >"$tmp/registry.log" 2>&1 &
reg=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
skopeo copy -q --dest-tls-verify=false "oci-archive:$img" "docker://127.0.0.1:$port/bench:latest"
ref="docker://127.0.0.1:$port/bench:latest"
fmt="%e s wall  %U+%S s CPU  %M KiB  out=%O"
for i in $(seq "$runs"); do
  echo "run $i"
  printf '  disk:            '; /usr/bin/time -f "$fmt" "$dlint" image --no-config "$img" 2>&1 >/dev/null | tail -1
  printf '  registry:        '; /usr/bin/time -f "$fmt" "$dlint" image --no-config "$ref" 2>&1 >/dev/null | tail -1
  printf '  skopeo copy:     '; /usr/bin/time -f "$fmt" skopeo copy -q --src-tls-verify=false "$ref" "oci-archive:$tmp/x.tar" 2>&1 | tail -1
  printf '  + dlint on copy: '; /usr/bin/time -f "$fmt" "$dlint" image --no-config "$tmp/x.tar" 2>&1 >/dev/null | tail -1
  rm -f "$tmp/x.tar"
done
