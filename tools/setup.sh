#!/usr/bin/env bash
# Installs the Debian packages cascade needs. Skips what is already present; safe to run twice.
# Uses sudo only when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config libtbb-dev libboost-graph-dev libxxhash-dev
  libbenchmark-dev catch2 libcli11-dev nlohmann-json3-dev libfmt-dev pybind11-dev python3-dev
  libopenmpi-dev openmpi-bin python3-numpy python3-matplotlib python3-networkx clang libomp-dev
  libclang-rt-14-dev python3-setuptools python3-wheel python3-venv zlib1g-dev libzstd-dev doxygen
  libigraph-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
