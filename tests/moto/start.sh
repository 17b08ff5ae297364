#!/usr/bin/env bash
# Starts a moto server on 127.0.0.1 for berth's AWS tests.
#
#   tests/moto/start.sh --install     create the venv with moto[server] and exit
#   tests/moto/start.sh --install-fast  the same, and granian in it (the benchmarks'
#                                     server: serve.py --fast)
#   tests/moto/start.sh               start moto, print its endpoint, run until Ctrl-C
#   tests/moto/start.sh -- CMD ARGS   start moto, run CMD with AWS_ENDPOINT_URL and
#                                     test credentials set, stop moto, exit with CMD's status
#
# The venv lives in ${BERTH_CACHE:-$HOME/.cache/berth}/moto-venv and is made
# (pip install 'moto[server]') when missing. The server listens on a free
# port of 127.0.0.1 only and is stopped on every exit path.
#
# The Rust tests in providers/aws/tests do not need this script running:
# each starts its own server through tests/moto/serve.py (and runs
# `start.sh --install` first when the venv is missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${BERTH_CACHE:-$HOME/.cache/berth}"
venv="$cache/moto-venv"

install() {
    if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import moto.server' 2>/dev/null; then
        return 0
    fi
    echo "berth: installing moto[server] into $venv" >&2
    mkdir -p "$cache"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]'
}

install
if [[ "${1:-}" == "--install" ]]; then
    exit 0
fi
if [[ "${1:-}" == "--install-fast" ]]; then
    if ! "$venv/bin/python" -c 'import granian' 2>/dev/null; then
        echo "berth: installing granian into $venv" >&2
        "$venv/bin/pip" install --quiet --disable-pip-version-check granian
    fi
    exit 0
fi

out="$(mktemp)"
pid=""
stop() {
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -f "$out"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$venv/bin/python" "$here/serve.py" --until-signal >"$out" &
pid=$!
endpoint=""
for _ in $(seq 1 300); do
    endpoint="$(head -n1 "$out" 2>/dev/null || true)"
    [[ -n "$endpoint" ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "berth: moto server exited before answering" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$endpoint" ]]; then
    echo "berth: moto server did not answer within 30s" >&2
    exit 1
fi
case "$endpoint" in
    http://127.0.0.1:*) ;;
    *) echo "berth: refusing endpoint $endpoint (not 127.0.0.1)" >&2; exit 1 ;;
esac
echo "$endpoint"

if [[ "${1:-}" == "--" ]]; then
    shift
    export AWS_ENDPOINT_URL="$endpoint" BERTH_MOTO_ENDPOINT="$endpoint"
    export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
    status=0
    "$@" || status=$?
    exit "$status"
fi
wait "$pid"
