#!/usr/bin/env bash
# Tests for the editor support in editors/: VS Code (TextMate), tree-sitter and
# Vim grammars, each with its own editor's tooling, and the README's set-up
# snippets for Neovim, Helix and Zed. Installs what is missing
# (npm packages for editors/vscode, the tree-sitter CLI via cargo), runs every
# check, and ends with "editors: N passed, M failed" (exit 1 on any failure).
#
#   bash editors/test.sh           from anywhere
#   VERBOSE=1 bash editors/test.sh  show the output of passing checks too
set -euo pipefail

TS_CLI_VERSION=0.27.1   # pinned: src/parser.c is compared with its output
VSCE_VERSION=3.9.2      # pinned @vscode/vsce: the last release that runs on Node 20

editors_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$editors_dir")
cd "$editors_dir"

export PATH="$HOME/.cargo/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
failed_names=()

# run NAME CMD... : one harness check; output shown on failure (or VERBOSE=1).
run() {
  local name=$1
  shift
  local log="$work/log.$((passed + failed))"
  local start=$SECONDS rc
  # Not in an `if`: errexit must stay in force inside the check's subshell.
  set +e
  (
    set -e
    "$@"
  ) >"$log" 2>&1
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    passed=$((passed + 1))
    printf 'PASS  %-44s (%ds)\n' "$name" $((SECONDS - start))
    [[ -n ${VERBOSE:-} ]] && sed 's/^/      /' "$log"
  else
    failed=$((failed + 1))
    failed_names+=("$name")
    printf 'FAIL  %-44s (%ds)\n' "$name" $((SECONDS - start))
    sed 's/^/      /' "$log" | tail -n 80
  fi
  return 0
}

# ---------------------------------------------------------------- install
setup_vscode() {
  local stamp=vscode/node_modules/.berth-lock-sha
  local want
  want=$(sha256sum vscode/package-lock.json | cut -d' ' -f1)
  if [[ ! -d vscode/node_modules || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    echo "editors: npm ci in editors/vscode"
    (cd vscode && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
}

# @vscode/vsce, installed once per version under the user's cache (not in
# editors/vscode, whose lock file is the extension's own dependencies).
VSCE=""
setup_vsce() {
  local root=${XDG_CACHE_HOME:-$HOME/.cache}/berth-editors/vsce-$VSCE_VERSION
  if [[ ! -x $root/node_modules/.bin/vsce ]]; then
    echo "editors: npm install @vscode/vsce@$VSCE_VERSION under $root"
    mkdir -p "$root"
    npm install --prefix "$root" --no-audit --no-fund --loglevel=error "@vscode/vsce@$VSCE_VERSION"
  fi
  VSCE=$root/node_modules/.bin/vsce
}

TS=""
setup_tree_sitter() {
  local found version
  found=$(command -v tree-sitter || true)
  if [[ -n $found ]]; then
    version=$("$found" --version | awk '{print $2}')
    if [[ $version == "$TS_CLI_VERSION" ]]; then
      TS=$found
      return
    fi
    # Another version is installed: leave it alone, use a private copy.
    local root=${XDG_CACHE_HOME:-$HOME/.cache}/berth-editors/tree-sitter-cli-$TS_CLI_VERSION
    if [[ ! -x $root/bin/tree-sitter ]]; then
      echo "editors: tree-sitter $version on PATH, installing $TS_CLI_VERSION under $root (several minutes)"
      cargo install tree-sitter-cli --version "$TS_CLI_VERSION" --locked --root "$root"
    fi
    TS=$root/bin/tree-sitter
  else
    echo "editors: installing tree-sitter-cli $TS_CLI_VERSION with cargo (several minutes)"
    cargo install tree-sitter-cli --version "$TS_CLI_VERSION" --locked
    TS=$HOME/.cargo/bin/tree-sitter
  fi
  "$TS" --version | grep -q " $TS_CLI_VERSION" || { echo "editors: $TS is not tree-sitter $TS_CLI_VERSION" >&2; return 1; }
}

apt_updated=""
apt_install() {
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "editors: apt-get install $*"
    if [[ -z $apt_updated ]]; then
      apt-get update -qq
      apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  else
    echo "editors: $* missing and cannot be installed here (needs root and apt-get)" >&2
    return 1
  fi
}
command -v vim >/dev/null 2>&1 || apt_install vim
command -v node >/dev/null 2>&1 || apt_install nodejs
command -v npm >/dev/null 2>&1 || apt_install npm
command -v cc >/dev/null 2>&1 || apt_install gcc libc6-dev   # tree-sitter compiles the parser

command -v python3 >/dev/null 2>&1 || apt_install python3   # reads the .vsix, checks README snippets
command -v luac5.4 >/dev/null 2>&1 || apt_install lua5.4    # `luac -p` on README's Neovim snippets

setup_vscode
setup_vsce
setup_tree_sitter

mkdir -p "$work/no-parsers"
ts_config=$work/tree-sitter-config.json
ts_lib=$work/berth.so
printf '{"parser-directories": ["%s"]}\n' "$work/no-parsers" >"$ts_config"

# Every .berth file that must highlight/parse cleanly: the fixture(s) and all
# examples present at run time.
berth_files=()
while IFS= read -r f; do berth_files+=("$f"); done < <(
  find "$editors_dir/fixtures" -type f -name '*.berth'
  [[ -d $repo_dir/examples ]] && find "$repo_dir/examples" -type f -name '*.berth'
  true
)

# ---------------------------------------------------------------- VS Code
vscode_manifest() {
  node - <<'JS'
const fs = require('fs');
const pkg = JSON.parse(fs.readFileSync('vscode/package.json', 'utf8'));
const lang = pkg.contributes.languages.find((l) => l.id === 'berth');
const gram = pkg.contributes.grammars.find((g) => g.language === 'berth');
const fail = (m) => { console.error(m); process.exit(1); };
if (!lang || !lang.extensions.includes('.berth')) fail('language berth with .berth missing');
if (!gram || gram.scopeName !== 'source.berth') fail('grammar source.berth missing');
const tm = JSON.parse(fs.readFileSync('vscode/' + gram.path, 'utf8'));
if (tm.scopeName !== 'source.berth') fail('tmLanguage scopeName is ' + tm.scopeName);
const conf = JSON.parse(fs.readFileSync('vscode/' + lang.configuration, 'utf8'));
if (conf.comments.lineComment !== '#') fail('lineComment is not #');
if (pkg.main !== './extension.js' || !fs.existsSync('vscode/extension.js')) fail('main ./extension.js missing');
const setting = pkg.contributes.configuration.properties['berth.path'];
if (!setting || setting.default !== 'berth') fail('setting berth.path (default berth) missing');
if (!fs.readFileSync('vscode/extension.js', 'utf8').includes("'lsp'")) fail('extension.js does not start `berth lsp`');
console.log('manifest ok');
JS
  node --check vscode/extension.js
}
vscode_unit() { cd vscode && ./node_modules/.bin/vscode-tmgrammar-test --config package.json "test/*.test.berth"; }
vscode_snap() { bash vscode/test/snap.sh; }

vscode_classes() { cd vscode && node test/classes.js; }

# `vsce package` succeeds (it refuses a manifest without a publisher), and
# the .vsix holds what VS Code and the Marketplace need: the manifest with
# publisher, repository and license, the grammar, language configuration,
# entry point and language client, the README and LICENSE (vsce only warns
# when those two are missing), and none of the tests or devDependencies.
vscode_package() {
  cd vscode
  "$VSCE" package --out "$work/berth.vsix" </dev/null
  python3 - "$work/berth.vsix" <<'PY'
import json, sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ['extension/package.json', 'extension/syntaxes/berth.tmLanguage.json',
        'extension/language-configuration.json', 'extension/extension.js',
        'extension/readme.md', 'extension/LICENSE.txt',
        'extension/node_modules/vscode-languageclient/node.js', 'extension.vsixmanifest']
missing = [n for n in need if n not in names]
stray = sorted(n for n in names if n.startswith(('extension/test/', 'extension/node_modules/vscode-tmgrammar-test/')))
pkg = json.loads(zipfile.ZipFile(sys.argv[1]).read('extension/package.json'))
problems = missing and ['missing: ' + ', '.join(missing)] or []
problems += stray and ['should be left out: ' + ', '.join(stray[:5])] or []
for key in ('publisher', 'repository', 'license'):
    if not pkg.get(key):
        problems.append('package.json has no ' + key)
if problems:
    sys.exit('\n'.join(problems))
print(f'{sys.argv[1]}: {len(names)} files, publisher {pkg["publisher"]}, version {pkg["version"]}')
PY
}

run "vscode: manifest + extension.js" vscode_manifest
run "vscode: scope unit tests (tmgrammar-test)" vscode_unit
run "vscode: snapshots (fixture + examples)" vscode_snap
run "vscode: token classes (token-classes.json)" vscode_classes
run "vscode: vsce package builds a complete .vsix" vscode_package

# ---------------------------------------------------------------- tree-sitter
ts_generated_up_to_date() {
  cd tree-sitter-berth
  "$TS" generate --abi 14 -o "$work/ts-src"
  # src/scanner.c (the external scanner for heredocs) is written by hand.
  if ! diff -r -x scanner.c src "$work/ts-src"; then
    echo "src/ is stale: run (cd editors/tree-sitter-berth && tree-sitter generate --abi 14) and commit src/"
    return 1
  fi
  # Compile the committed parser once, into this run's scratch dir: the CLI's
  # shared cache (~/.cache/tree-sitter/lib/berth.so) is keyed by name and
  # mtime, so another checkout could otherwise be tested by mistake.
  "$TS" build -o "$ts_lib" .
  # The parser calls the scanner's functions: a build without src/scanner.c
  # would not load.
  if command -v nm >/dev/null 2>&1 &&
    ! nm -D "$ts_lib" | grep -q ' T tree_sitter_berth_external_scanner_scan$'; then
    echo "$ts_lib lacks the external scanner (src/scanner.c)"
    return 1
  fi
}
ts_lib_args() { echo --lib-path "$ts_lib" --lang-name berth --config-path "$ts_config"; }
ts_test() {
  cd tree-sitter-berth
  # `test` loads the language through the CLI's cache even with --lib-path;
  # --rebuild makes it compile this checkout's src/ into that cache first.
  "$TS" test --rebuild --config-path "$ts_config"
}
ts_parse_all() {
  cd tree-sitter-berth
  printf '%s\n' "${berth_files[@]}" >"$work/parse-list"
  local out rc=0
  # shellcheck disable=SC2046
  out=$("$TS" parse --quiet $(ts_lib_args) --paths "$work/parse-list" 2>&1) || rc=$?
  printf '%s\n' "$out"
  if [[ $rc -ne 0 ]] || grep -qE 'ERROR|MISSING' <<<"$out"; then
    echo "parse errors (exit $rc) in the files above"
    return 1
  fi
  echo "parsed ${#berth_files[@]} file(s) without ERROR or MISSING nodes:"
  printf '  %s\n' "${berth_files[@]}"
}
ts_queries() {
  cd tree-sitter-berth
  local q
  if ! bash queries/helix/from-nvim.sh | diff queries/helix/highlights.scm -; then
    echo "queries/helix/highlights.scm is stale: run editors/update-snapshots.sh"
    return 1
  fi
  for q in queries/*.scm queries/helix/*.scm; do
    # shellcheck disable=SC2046
    "$TS" query --quiet $(ts_lib_args) "$q" "${berth_files[@]}" >/dev/null || { echo "query $q failed"; return 1; }
    echo "$q ok"
  done
}

run "tree-sitter: src/ matches grammar.js, builds" ts_generated_up_to_date
run "tree-sitter: corpus + highlight tests" ts_test
run "tree-sitter: fixture + examples parse cleanly" ts_parse_all
run "tree-sitter: queries compile, helix copy in sync" ts_queries
run "tree-sitter: token classes (token-classes.json)" node tree-sitter-berth/test/classes.js "$TS" "$ts_lib" "$ts_config"

# ---------------------------------------------------------------- Vim
run "vim: syntax, classes, ftplugin, indent" bash vim/test/run.sh

# ---------------------------------------------------------------- README set-up snippets
# Neovim (Debian's is too old for the snippet), Helix and Zed do not run
# here: their README snippets are parsed and checked against the repository.
run "README: Neovim, Helix, Zed snippets" python3 readme-snippets.py luac5.4

# ---------------------------------------------------------------- the fixture itself
# When a berth binary is at hand (BERTH_BIN, or a cargo build in this repo),
# check that the real parser and checker accept the fixture; otherwise skip
# (not counted): building the workspace is not this script's job.
berth_bin=${BERTH_BIN:-}
if [[ -z $berth_bin ]]; then
  for b in "$repo_dir/target/debug/berth" "$repo_dir/target/release/berth"; do
    if [[ -x $b && ( -z $berth_bin || $b -nt $berth_bin ) ]]; then berth_bin=$b; fi
  done
fi
fixture_validates() {
  mkdir -p "$work/validate"
  cp "$editors_dir"/fixtures/*.berth "$work/validate/"
  "$berth_bin" validate "$work/validate"
}
if [[ -n $berth_bin ]]; then
  run "fixture: berth validate accepts it" fixture_validates
else
  echo "SKIP  fixture: berth validate (no berth binary; set BERTH_BIN or cargo build)"
fi

echo
if [[ $failed -gt 0 ]]; then
  printf 'failed: %s\n' "${failed_names[@]}"
fi
echo "editors: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
