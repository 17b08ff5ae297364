#!/usr/bin/env bash
# TextMate snapshot tests (vscode-tmgrammar-snap) over editors/fixtures/*.berth
# and every examples/**/*.berth present at run time.
#
#   test/snap.sh            check: fail if a snapshot is missing, or differs
#   test/snap.sh --update   (re)write snapshots; drop those whose source is gone
#
# Snapshots live in editors/vscode/test/snapshots/<path>.snap, where <path> is
# fixtures/NAME.berth or examples/.../NAME.berth: the tool itself writes
# FILE.snap next to FILE and silently creates a missing one (exit 0), so the
# sources are copied into a scratch dir together with their committed
# snapshots, and a missing snapshot is caught here before the tool runs.
set -euo pipefail

vscode_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
editors_dir=$(dirname "$vscode_dir")
repo_dir=$(dirname "$editors_dir")
snap_dir=$vscode_dir/test/snapshots
snap_bin=$vscode_dir/node_modules/.bin/vscode-tmgrammar-snap

mode=check
case "${1:-}" in
  --update|-u) mode=update ;;
  "") ;;
  *) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac

[[ -x $snap_bin ]] || { echo "snap: $snap_bin missing; run npm ci in $vscode_dir" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Relative names: fixtures/x.berth (from editors/fixtures), examples/... (from the repo).
mapfile -t rels < <(
  { cd "$editors_dir" && find fixtures -type f -name '*.berth'; } 
  { cd "$repo_dir" && [[ -d examples ]] && find examples -type f -name '*.berth'; } || true
)
mapfile -t rels < <(printf '%s\n' "${rels[@]}" | sed '/^$/d' | LC_ALL=C sort)

if [[ ${#rels[@]} -eq 0 ]]; then
  echo "snap: no .berth sources found" >&2
  exit 1
fi

src_of() {
  case "$1" in
    fixtures/*) echo "$editors_dir/$1" ;;
    *) echo "$repo_dir/$1" ;;
  esac
}

missing=()
for rel in "${rels[@]}"; do
  mkdir -p "$work/$(dirname "$rel")"
  cp "$(src_of "$rel")" "$work/$rel"
  if [[ -f $snap_dir/$rel.snap ]]; then
    cp "$snap_dir/$rel.snap" "$work/$rel.snap"
  else
    missing+=("$rel")
  fi
done

# Snapshots whose source no longer exists.
orphans=()
if [[ -d $snap_dir ]]; then
  while IFS= read -r snap; do
    rel=${snap%.snap}
    [[ -f $work/$rel ]] || orphans+=("$rel.snap")
  done < <(cd "$snap_dir" && find . -type f -name '*.snap' | sed 's|^\./||' | LC_ALL=C sort)
fi

if [[ $mode == check && ${#missing[@]} -gt 0 ]]; then
  for rel in "${missing[@]}"; do
    echo "snap: MISSING snapshot editors/vscode/test/snapshots/$rel.snap for $rel" >&2
  done
  echo "snap: run editors/update-snapshots.sh, review the new .snap files and commit them" >&2
  exit 1
fi
for o in ${orphans[@]+"${orphans[@]}"}; do
  if [[ $mode == update ]]; then
    echo "snap: removing orphaned snapshot $o"
    rm -f "$snap_dir/$o"
  else
    echo "snap: warning: orphaned snapshot editors/vscode/test/snapshots/$o (source gone; editors/update-snapshots.sh removes it)" >&2
  fi
done

args=(--config "$vscode_dir/package.json")
[[ $mode == update ]] && args+=(--updateSnapshot)
(cd "$work" && "$snap_bin" "${args[@]}" "**/*.berth")

if [[ $mode == update ]]; then
  for rel in "${rels[@]}"; do
    mkdir -p "$snap_dir/$(dirname "$rel")"
    cp "$work/$rel.snap" "$snap_dir/$rel.snap"
  done
  echo "snap: ${#rels[@]} snapshot(s) written under editors/vscode/test/snapshots"
else
  # Defensive: the tool must not have generated anything in check mode.
  for rel in "${rels[@]}"; do
    cmp -s "$work/$rel.snap" "$snap_dir/$rel.snap" || { echo "snap: $rel.snap changed during check" >&2; exit 1; }
  done
  echo "snap: ${#rels[@]} file(s) match their snapshots"
fi
