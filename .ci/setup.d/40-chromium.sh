#!/usr/bin/env bash
# Debian's Chromium for the browser tests of `wdlab serve` (internal/serve),
# driven headless from Go over the DevTools protocol (chromedp).
set -euo pipefail
command -v chromium >/dev/null && exit 0
SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
