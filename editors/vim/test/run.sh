#!/usr/bin/env bash
# Headless Vim test of editors/vim: syntax groups at positions found in the
# fixture, filetype detection, ftplugin options and indentation.
# Prints each failing check and a final "vim: N passed, M failed" line.
set -euo pipefail
vim_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
editors_dir=$(dirname "$vim_dir")
fixture=${1:-$editors_dir/fixtures/all.berth}
vim_bin=${VIM_BIN:-vim}

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# -es: silent Ex mode, no UI; -Nu NONE: no user vimrc/plugins; -i NONE: no viminfo.
"$vim_bin" -Nu NONE -i NONE -es \
  --cmd "set rtp^=$vim_dir" \
  --cmd 'filetype plugin indent on' \
  --cmd 'syntax on' \
  --cmd "let g:berth_fixture = '$fixture'" \
  --cmd "let g:berth_out = '$out'" \
  -S "$vim_dir/test/run.vim" </dev/null || true

if [[ ! -s $out ]]; then
  echo "vim: the test script wrote no results" >&2
  echo "vim: 0 passed, 1 failed"
  exit 1
fi
passed=$(grep -c '^ok ' "$out" || true)
failed=$(grep -c '^FAIL ' "$out" || true)
grep '^FAIL ' "$out" || true
echo "vim: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
