#!/usr/bin/env bash
# Installs the Debian packages a target needs, only those missing, so a second run costs nothing.
# usage: scripts/system-deps.sh run|test|bench
set -euo pipefail
case "${1:-run}" in
  run)   wanted=(fonts-noto-cjk gettext ffmpeg espeak-ng unzip curl) ;;
  test)  wanted=(fonts-noto-cjk gettext ffmpeg espeak-ng postgresql redis-server chromium unzip curl tesseract-ocr tesseract-ocr-chi-sim zbar-tools) ;;
  bench) wanted=(fonts-noto-cjk gettext ffmpeg espeak-ng postgresql redis-server unzip curl tesseract-ocr tesseract-ocr-chi-sim) ;;
  *) echo "unknown target $1" >&2; exit 2 ;;
esac
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "==> system packages present: ${wanted[*]}"
  exit 0
fi
echo "==> installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "==> installed: ${missing[*]}"
