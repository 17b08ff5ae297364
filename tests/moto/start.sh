#!/usr/bin/env bash
# Starts a moto server on 127.0.0.1 for berth's AWS tests.
#
#   tests/moto/start.sh --install     create the venv with moto[server] and exit
#   tests/moto/start.sh --install-fast  the same, and granian in it (the benchmarks'
#                                     server: serve.py --fast)
#   tests/moto/start.sh               start moto, print its endpoint, run until Ctrl-C
#   tests/moto/start.sh -- CMD ARGS   start moto, run CMD with AWS_ENDPOINT_URL and
#                                     test credentials set, stop moto, exit with CMD's status
#   tests/moto/start.sh --forked -- CMD ARGS
#                                     start moto's fork server (forkserver.py), run CMD with
#                                     BERTH_MOTO_FORKSERVER naming its socket (each test's
#                                     Moto::start then forks a warm server from it), stop
#                                     it, exit with CMD's status
#
# The venv lives in ${BERTH_CACHE:-$HOME/.cache/berth}/moto-venv and is made
# (pip install 'moto[server]') when missing. The server listens on a free
# port of 127.0.0.1 only and is stopped on every exit path.
#
# The Rust tests do not need this script running: each starts its own
# server through tests/moto/serve.py (and runs `start.sh --install` first
# when the venv is missing), or, under `--forked`, has one forked for it.
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

dir="$(mktemp -d)"
out="$dir/out"
pid=""
stop() {
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The first line the server prints once it answers, or exit.
first_line() {
    local line=""
    for _ in $(seq 1 600); do
        line="$(head -n1 "$out" 2>/dev/null || true)"
        [[ -n "$line" ]] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "berth: moto exited before answering" >&2
            exit 1
        fi
        sleep 0.1
    done
    if [[ -z "$line" ]]; then
        echo "berth: moto did not answer within 60s" >&2
        exit 1
    fi
    printf '%s' "$line"
}

if [[ "${1:-}" == "--forked" ]]; then
    shift
    [[ "${1:-}" == "--" ]] && shift
    "$venv/bin/python" "$here/forkserver.py" "$dir/moto.sock" >"$out" &
    pid=$!
    ready="$(first_line)"
    if [[ "$ready" != "ready" ]]; then
        echo "berth: moto's fork server said $ready" >&2
        exit 1
    fi
    export BERTH_MOTO_FORKSERVER="$dir/moto.sock"
    status=0
    "$@" || status=$?
    exit "$status"
fi

"$venv/bin/python" "$here/serve.py" --until-signal >"$out" &
pid=$!
endpoint="$(first_line)"
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
