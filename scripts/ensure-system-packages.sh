#!/bin/sh
# Installs the Debian packages Digilyft needs when they are missing and we may install them:
# gettext (compiles the translation catalogues) and chromium (the browser tests).
set -e
missing=""
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages:$missing. Install them with: sudo apt-get install$missing" >&2
  exit 1
fi
echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing fonts-dejavu-core >/dev/null
