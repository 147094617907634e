#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing: Chromium (browser tests and
# screenshots), poppler-utils (tests read PDFs back), fonts for rendered plates and PDFs.
set -euo pipefail
packages=(chromium poppler-utils fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-freefont-ttf
          fonts-roboto-unhinted fonts-urw-base35 fonts-opendin fonts-open-sans fonts-b612 fonts-bebas-neue)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
