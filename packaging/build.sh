#!/usr/bin/env bash
# Build the one-folder desktop app from a clean checkout: dist/trial-tracker/trial-tracker
# Usage: bash packaging/build.sh   (creates .venv-build; prints the folder size at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-build
.venv-build/bin/pip install -q '.[build]'
rm -rf build/pyinstaller dist/trial-tracker
.venv-build/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/tracker.spec
echo "built dist/trial-tracker: $(du -sh dist/trial-tracker | cut -f1)"
QT_QPA_PLATFORM=offscreen dist/trial-tracker/trial-tracker --version
