# Sourced by scripts/run and scripts/test: installs the Debian packages Baton needs, only those missing.
# Every dependency comes from Debian; nothing is downloaded from anywhere else.

BATON_BUILD_PKGS=(
  cmake g++ make pkg-config
  libxapian-dev libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev libicu-dev
  libuchardet-dev libmd4c-dev libmd4c-html0 libgumbo-dev libgmime-3.0-dev libxxhash-dev libcli11-dev
  libzip-dev libpugixml-dev libpoppler-cpp-dev libcsv-dev libfriso-dev friso-dict libssl-dev libopencc-dev libmagic-dev
)
# Tests: Catch2, zlib (the bad-file tests deflate zip bombs), Selenium with Debian's Chromium for the browser
# tests, and xapian-check (the crash test checks the index after every kill).
BATON_TEST_PKGS=(catch2 zlib1g-dev python3 python3-selenium chromium chromium-driver xapian-tools)
# Fuzzing (scripts/fuzz): clang with libFuzzer and the sanitizer runtimes.
BATON_FUZZ_PKGS=(clang libclang-rt-dev)

baton_missing_pkgs() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || printf '%s\n' "$pkg"
  done
}

baton_install_pkgs() {
  local missing
  mapfile -t missing < <(baton_missing_pkgs "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "baton: need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  echo "baton: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}
