#!/usr/bin/env bash
# Refresh the editors' generated expectations after a deliberate grammar change
# or when examples/**/*.berth are added, changed or removed:
#   - VS Code: TextMate snapshots (editors/vscode/test/snapshots/**.snap) for
#     editors/fixtures/*.berth and every examples/**/*.berth;
#   - tree-sitter: regenerates src/ from grammar.js (committed, checked by test.sh).
# Review the diff (git diff editors/) before committing: every change in a
# snapshot is a change in what users see.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -x vscode/node_modules/.bin/vscode-tmgrammar-snap ]]; then
  (cd vscode && npm ci --no-audit --no-fund)
fi
bash vscode/test/snap.sh --update

if command -v tree-sitter >/dev/null 2>&1 && [[ -f tree-sitter-berth/grammar.js ]]; then
  (cd tree-sitter-berth && tree-sitter generate)
  echo "tree-sitter: src/ regenerated"
fi
git -C .. status --short -- editors || true
