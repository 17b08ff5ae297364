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

# The binary the test suite runs: built with the features cargo resolves
# for the tests, which berth-aws's mocked tests (`--test stubbed`) decide
# (the SDK's and tokio's test-util). Built for `-p berth` alone, tokio, serde
# and every AWS SDK crate would differ, and scripts/test.sh, next in
# .ci/run, would compile them all a second time (~10 min here).
cargo build -q -p berth -p berth-aws --bin berth --test stubbed
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
