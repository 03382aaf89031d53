#!/usr/bin/env bash
# Copies the workspace's reference data (../shared/reference, or $STEWARD_REFERENCE_ROOT) into
# test/fixtures/reference, which the tests read. Run it when the upstream changes; the sync
# test fails until you do.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src="${STEWARD_REFERENCE_ROOT:-../shared/reference}"
dst=test/fixtures/reference
[ -d "$src/frameworks" ] || { echo "no reference data at $src" >&2; exit 1; }
for d in frameworks schemas; do
  rm -rf "${dst:?}/$d"
  cp -r "$src/$d" "$dst/$d"
done
cp "$src/README.md" "$dst/UPSTREAM-README.md"
chmod -R u+w "$dst"
echo "refreshed $dst from $src"
