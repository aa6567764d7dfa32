#!/usr/bin/env bash
# A one-node Slurm cluster (munge, slurmctld, slurmd on localhost) for the
# end-to-end cluster test in cmd/wdlab: installs Debian's slurm-wlm and munge
# when missing, then starts the daemons with scripts/slurm-local.sh (which
# does nothing for those already running).
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v pkill >/dev/null; then
	$SUDO apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge procps
fi
$SUDO bash scripts/slurm-local.sh start
