#!/bin/sh
# Installs the Debian packages Digilyft needs when they are missing and we may install them.
#   sh scripts/ensure-system-packages.sh        gettext (catalogues), Pango (PDF reports), Cairo (charts in the DOCX report)
#   sh scripts/ensure-system-packages.sh serve  the same and nginx (the proxy `make serve` starts
#                                               in front of gunicorn, lib/localproxy.py)
#   sh scripts/ensure-system-packages.sh test   the same, Chromium for the browser tests,
#                                               poppler-utils (pdftoppm, pdftotext) for the PDF tests
#                                               nginx (the tests start it in front of gunicorn)
#                                               and R (r-base-core: the API docs page's R example
#                                               runs with Rscript; base R only, no CRAN)
#   sh scripts/ensure-system-packages.sh bench  the same as without, nginx, wrk (the load tool of
#                                               `make bench`) and the PostgreSQL client (psql)
#   sh scripts/ensure-system-packages.sh cluster the same as without, nginx, the PostgreSQL server
#                                               (initdb, pg_basebackup) and redis-server: what
#                                               `make serve-cluster` starts (lib/cluster.py); `test`
#                                               installs them too (core/tests/test_cluster.py)
set -e
missing=""
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
ls /usr/lib/*/libcairo.so.2 >/dev/null 2>&1 || missing="$missing libcairo2"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
case "$1" in serve|test|bench|cluster)
  [ -x /usr/sbin/nginx ] || missing="$missing nginx" ;;
esac
if [ "$1" = "test" ]; then
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v Rscript >/dev/null 2>&1 || missing="$missing r-base-core"
fi
case "$1" in test|cluster)
  ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || missing="$missing postgresql"
  command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server" ;;
esac
if [ "$1" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
  command -v psql >/dev/null 2>&1 || missing="$missing postgresql-client"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages:$missing. Install them with: sudo apt-get install$missing" >&2
  exit 1
fi
echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
