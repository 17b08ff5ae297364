#!/usr/bin/env bash
# Refresh the editors' generated expectations after a deliberate grammar change
# or when examples/**/*.berth are added, changed or removed:
#   - VS Code: TextMate snapshots (editors/vscode/test/snapshots/**.snap) for
#     editors/fixtures/*.berth and every examples/**/*.berth;
#   - tree-sitter: regenerates src/ from grammar.js and the Helix flavour of
#     queries/highlights.scm (both committed, both checked by test.sh).
# Review the diff (git diff editors/) before committing: every change in a
# snapshot is a change in what users see.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -x vscode/node_modules/.bin/vscode-tmgrammar-snap ]]; then
  (cd vscode && npm ci --no-audit --no-fund)
fi
bash vscode/test/snap.sh --update

bash tree-sitter-berth/queries/helix/from-nvim.sh >tree-sitter-berth/queries/helix/highlights.scm
echo "tree-sitter: queries/helix/highlights.scm regenerated"

# Same generator version and ABI as editors/test.sh checks against.
ts_version=$(sed -n 's/^TS_CLI_VERSION=\([0-9.]*\).*/\1/p' test.sh)
ts=$(command -v tree-sitter || true)
private=${XDG_CACHE_HOME:-$HOME/.cache}/berth-editors/tree-sitter-cli-$ts_version/bin/tree-sitter
if [[ -n $ts ]] && ! "$ts" --version | grep -q " $ts_version\$"; then
  ts=""
fi
[[ -z $ts && -x $private ]] && ts=$private
if [[ -n $ts ]]; then
  (cd tree-sitter-berth && "$ts" generate --abi 14)
  echo "tree-sitter: src/ regenerated with $("$ts" --version)"
else
  echo "tree-sitter $ts_version not found (bash editors/test.sh installs it); src/ not regenerated" >&2
fi
git -C .. status --short -- editors 2>/dev/null || true
