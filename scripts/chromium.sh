#!/usr/bin/env bash
# Headless Chromium and its chromedriver for the browser tests (rag-api's ChatPageBrowserTest).
#
#   scripts/chromium.sh install    installs Debian's chromium and chromium-driver when missing (needs root and apt);
#                                  fast and silent when both are present
#   scripts/chromium.sh check      exits 0 when both are installed, else 1 with a message
#
# Debian's packages, not Selenium Manager's downloads: the test hands Selenium both paths, so nothing is fetched
# while tests run. CHROMIUM_BIN / CHROMEDRIVER_BIN override the paths, here and in the test (HeadlessChromium).
set -euo pipefail

CHROMIUM_BIN=${CHROMIUM_BIN:-/usr/bin/chromium}
CHROMEDRIVER_BIN=${CHROMEDRIVER_BIN:-/usr/bin/chromedriver}

log() { echo "chromium.sh: $*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

installed() {
    [[ -x $CHROMIUM_BIN && -x $CHROMEDRIVER_BIN ]]
}

install() {
    if installed; then
        return
    fi
    log "installing chromium and chromium-driver"
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
        chromium chromium-driver >&2
    installed || die "chromium/chromedriver still missing at $CHROMIUM_BIN and $CHROMEDRIVER_BIN after apt-get install"
    log "installed $("$CHROMEDRIVER_BIN" --version 2>/dev/null | head -n 1)"
}

case ${1:-} in
    install) install ;;
    check) installed || die "missing $CHROMIUM_BIN or $CHROMEDRIVER_BIN; run scripts/chromium.sh install" ;;
    *) die "usage: scripts/chromium.sh install|check" ;;
esac
