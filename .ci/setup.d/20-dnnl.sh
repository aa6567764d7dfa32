#!/usr/bin/env bash
# oneDNN (Debian libdnnl-dev 2.6) for the oneDNN vision executor: with its
# header installed, make builds and tests with the build tag dnnl.
set -euo pipefail
if [ -f /usr/include/oneapi/dnnl/dnnl.h ]; then
	exit 0
fi
SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq libdnnl-dev
