#!/usr/bin/env bash
# berth's whole test suite, runnable on a fresh machine: installs what the
# tests need (moto into a venv, the editors' npm packages and the
# tree-sitter CLI), checks formatting and lints, runs every Rust test with
# nextest (unit, snapshot, property, CLI end-to-end, moto integration) and
# the editor grammar harnesses.
set -euo pipefail
cd "$(dirname "$0")/.."
export BERTH_CACHE="${BERTH_CACHE:-$HOME/.cache/berth}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$BERTH_CACHE/target}"
# Snapshots must match as committed: a missing or changed one fails.
export INSTA_UPDATE=no CI="${CI:-true}"
# Property tests replay a fixed seed here, so a run passes or fails on the
# code alone; `cargo test -p berth-lang --test no_panic` explores new random
# cases (failures there join lang/tests/corpus/).
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261125}"

step() { printf '\n==> %s\n' "$*"; }

step "moto (AWS API simulator) for the AWS provider tests"
bash tests/moto/start.sh --install

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo nextest"
# Each AWS test forks its moto from one warmed for the run (seconds of
# moto's start-up spared per test; tests/moto/forkserver.py).
bash tests/moto/start.sh --forked -- cargo nextest run --workspace --no-fail-fast

step "editor grammars (VS Code, tree-sitter, Vim)"
BERTH_BIN="$CARGO_TARGET_DIR/debug/berth" bash editors/test.sh
