#!/usr/bin/env bash
# berth's main job on a fresh machine, no AWS account needed: plan and apply
# the blog example (seed 000) on the embedded local cloud, then plan again
# to show the applied stack matches its configuration.
#
# The local cloud lives in examples/blog/.berth/local-cloud.json; run
# `cargo run -q -p berth -- destroy examples/blog --auto-approve` to empty it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/berth/target}"

cargo build -q -p berth
berth="$CARGO_TARGET_DIR/debug/berth"

echo "==> berth validate examples/blog"
"$berth" validate examples/blog
echo
echo "==> berth plan examples/blog"
"$berth" plan examples/blog
echo
echo "==> berth apply examples/blog --auto-approve"
"$berth" apply examples/blog --auto-approve
echo
echo "==> berth plan examples/blog --detailed-exitcode   (0: no changes)"
"$berth" plan examples/blog --detailed-exitcode
