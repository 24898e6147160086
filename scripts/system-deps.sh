#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Quotedesk needs, only those missing.
#   scripts/system-deps.sh run    Python's venv and Qt's runtime libraries
#   scripts/system-deps.sh test   the above, plus Xvfb, the desktop-file checkers and
#                                 PostgreSQL's server (the tests start a throwaway cluster)
set -euo pipefail
want=(libglib2.0-0 libdbus-1-3 libegl1 libgl1 libxkbcommon0 libfontconfig1
      fonts-dejavu-core libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
      libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0)
python3 -c "import ensurepip, venv" 2>/dev/null || want+=(python3-venv)
if [ "${1:-run}" = test ]; then
  want+=(xvfb xauth x11-utils desktop-file-utils appstream nsis postgresql)
fi
command -v dpkg-query >/dev/null || { echo "not a Debian-based system: install Qt's libraries by hand" >&2; exit 0; }
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
