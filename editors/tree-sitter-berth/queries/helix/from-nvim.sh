#!/usr/bin/env bash
# Prints Helix's flavour of ../highlights.scm on stdout: Helix names some
# captures differently (constant.numeric, variable.other.member, ...).
# editors/update-snapshots.sh writes it to highlights.scm beside this script;
# editors/test.sh checks that the committed copy is in sync.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
{
  echo '; GENERATED from ../highlights.scm by from-nvim.sh -- edit that file instead.'
  sed -e 's/@variable\.member/@variable.other.member/g' \
      -e 's/@property/@variable.other.member/g' \
      -e 's/@number/@constant.numeric.integer/g' \
      -e 's/@boolean/@constant.builtin.boolean/g' \
      -e 's/@string\.escape/@constant.character.escape/g' \
      -e 's/@keyword\.repeat/@keyword.control.repeat/g' \
      -e 's/@keyword\.conditional/@keyword.control.conditional/g' \
      -e 's/@function\.call/@function/g' \
      "$here/../highlights.scm"
}
