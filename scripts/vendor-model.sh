#!/usr/bin/env bash
# Vendors the model once: installs the pinned Python tooling, exports ONNX (fp32 + int8), writes PROVENANCE.md
# and the parity fixture. Run from anywhere; the result is committed, so nobody needs to run this again.
set -eu
cd "$(dirname "$0")/.."
COMMANDS='bash scripts/setup-python.sh
.venv/bin/python scripts/vendor-model.py'
[ -x .venv/bin/python ] || bash scripts/setup-python.sh
.venv/bin/python scripts/vendor-model.py "$COMMANDS"
