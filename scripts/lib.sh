# Shared by scripts/demo and scripts/test: install what is missing, build.
# shellcheck shell=bash

# Debian packages the build and tests need.
DISPATCH_PACKAGES=(
  cmake g++ make
  libboost-dev libsqlite3-dev libprotobuf-dev protobuf-compiler
  libspdlog-dev doctest-dev libcli11-dev
)

# Installs missing packages when root; otherwise prints the apt-get line and fails.
ensure_packages() {
  local missing=()
  local p
  for p in "${DISPATCH_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# configure_and_build BUILD_DIR [cmake args...]
configure_and_build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j2
}
