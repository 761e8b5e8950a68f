# Shared by scripts/run and scripts/test: create or reuse .venv, install system packages.

setup_venv() {  # $1: the pip extra to install ("" for the app alone, "test" for the tests)
  local py="${PYTHON:-python3}"
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  local spec="."
  [ -n "$1" ] && spec=".[$1]"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
}

# Debian packages Qt's X11 plugin needs to show the overlay.
RUNTIME_DEBS="libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-xkb1
  libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 xclip xdotool
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0"
# What the end-to-end tests drive: a virtual display, a window manager, a session bus, real apps.
TEST_DEBS="$RUNTIME_DEBS xvfb openbox dbus-x11 mousepad chromium x11-utils imagemagick"

_apt_install() {
  command -v apt-get >/dev/null 2>&1 || { echo "assist: no apt-get here; install by hand: $*" >&2; return 0; }
  local missing=()
  for pkg in $*; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if $sudo true 2>/dev/null; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "assist: cannot install Debian packages without root; missing: ${missing[*]}" >&2
  fi
}

setup_runtime_packages() { _apt_install $RUNTIME_DEBS; }
setup_debian_packages() { _apt_install $TEST_DEBS; }
