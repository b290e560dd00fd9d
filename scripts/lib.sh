# Shared by scripts/demo and scripts/test: install what is missing, build.
# shellcheck shell=bash

# Debian packages the build and the demo need.
DISPATCH_PACKAGES=(
  cmake g++ make
  libboost-dev libsqlite3-dev libprotobuf-dev protobuf-compiler
  libspdlog-dev doctest-dev libcli11-dev libssl-dev ca-certificates
  curl  # the demo shows the API with it
)
# And the tests: clang with its libFuzzer runtime for the fuzz targets; the
# Debian packaging tools and systemd-analyze for the install test; headless
# Chromium, its WebDriver and a Chinese font for the console's browser tests.
DISPATCH_TEST_PACKAGES=(clang libclang-rt-14-dev dpkg-dev file systemd
                        chromium chromium-driver fonts-wqy-microhei)

# ensure_packages PACKAGE...: installs those missing when root (or with
# passwordless sudo); otherwise prints the apt-get line to run and fails.
ensure_packages() {
  local missing=()
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      echo "Missing Debian packages: ${missing[*]}" >&2
      echo "Install them with:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "Installing ${missing[*]} ..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# configure_and_build BUILD_DIR [cmake args...]
configure_and_build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j2
}
