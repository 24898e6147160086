#!/usr/bin/env bash
# Build the PyInstaller onedir bundle (dist/quotedesk/) and smoke-test it.
#   packaging/build.sh              build, then packaging/smoke-test.sh on the result
#   PYTHON=... DIST=... WORK=...    another interpreter (with Quotedesk installed) or folders
# On macOS the same spec also makes dist/Quotedesk.app; see packaging/macos/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
DIST=${DIST:-dist}
WORK=${WORK:-build/pyinstaller}

"$PYTHON" -m pip install -q "pyinstaller>=6.10"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/pyinstaller/quotedesk.spec
seconds=$(( $(date +%s) - start ))
echo "build: $DIST/quotedesk built in ${seconds} s, $(du -sh "$DIST/quotedesk" | cut -f1)" \
  "($(find "$DIST/quotedesk" -type f | wc -l) files)"
packaging/smoke-test.sh "$DIST/quotedesk" "$DIST/smoke-test.png"
