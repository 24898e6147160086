#!/usr/bin/env bash
# Smoke-test a frozen onedir build the way a user without Python would run it:
# copy the folder elsewhere, start it offscreen with an empty environment on a fresh database,
# let it import and analyze the sample article, save a screenshot and exit 0.
# When run as root where mount namespaces are allowed, every Python installation on the
# machine (the venv, /usr/lib/python3*, /usr/local/lib/python3*) and the source tree are
# hidden from the program too.
#   packaging/smoke-test.sh dist/quotedesk [screenshot.png]
set -euo pipefail
bundle=$(cd "$1" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
shot=$(realpath -m "${2:-$bundle/../smoke-test.png}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$bundle" "$tmp/quotedesk"
mkdir -p "$tmp/home"

run=(env -i PATH=/usr/bin:/bin HOME="$tmp/home" QT_QPA_PLATFORM=offscreen
     "$tmp/quotedesk/quotedesk" --db "$tmp/smoke.sqlite3" --open sample-article
     --screenshot "$tmp/shot.png")
hide=""
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  for dir in "$repo" /usr/lib/python3* /usr/local/lib/python3*; do
    [ -d "$dir" ] && hide+="mount -t tmpfs none '$dir' && "
  done
  echo "smoke test: hiding $repo and the system's Python libraries from the bundle"
  start=$(date +%s)
  unshare -m sh -c "${hide}exec \"\$@\"" sh "${run[@]}"
else
  echo "smoke test: clean environment only (hiding Python needs root and unshare)"
  start=$(date +%s)
  "${run[@]}"
fi
echo "smoke test: exit 0 after $(( $(date +%s) - start )) s"
[ -s "$tmp/shot.png" ] || { echo "smoke test: no screenshot was written" >&2; exit 1; }
cp "$tmp/shot.png" "$shot"
echo "smoke test: passed, screenshot in $shot (look at it)"
