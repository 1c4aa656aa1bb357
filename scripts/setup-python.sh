#!/usr/bin/env bash
# Creates the git-ignored .venv/ with papermap's pinned Python tooling (model vendoring, fixtures, bench peers).
# Each requirement is installed on its own so that one peer failing to install is reported, not fatal.
set -u
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
failed=()
while read -r req; do
  case "$req" in ''|'#'*) continue ;; esac
  if ! .venv/bin/pip install -q "$req"; then failed+=("$req"); fi
done < bench/requirements.txt
if [ ${#failed[@]} -gt 0 ]; then
  echo "setup-python: these did not install: ${failed[*]}" >&2
  printf '%s\n' "${failed[@]}" > .venv/FAILED
  exit 1
fi
rm -f .venv/FAILED
echo "setup-python: .venv ready"
