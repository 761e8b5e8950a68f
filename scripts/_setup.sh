# Shared by scripts/run and scripts/test (sourced, from the root of the checkout).
# Creates or reuses the virtual environment .venv, installs assist into it (editable, so it reads
# resources/ and phrasebank/ from the checkout) and the Debian packages the app and the tests use.

log() { echo "assist: $*" >&2; }

is_linux() { [ "$(uname -s)" = "Linux" ]; }

# The venv's interpreter: bin/ on Linux and macOS, Scripts\ on Windows (Git Bash).
venv_python() {
  if [ -x .venv/bin/python ]; then echo .venv/bin/python
  elif [ -x .venv/Scripts/python.exe ]; then echo .venv/Scripts/python.exe
  fi
}

# Debian packages Qt's X11 plugin needs to show the overlay (the PySide6 wheel brings Qt itself),
# a font so that it has text, and the tools the X11 backends drive.
RUNTIME_DEBS="libglib2.0-0 libx11-xcb1 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-randr0 libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libxcb-shm0 libxcb-xkb1 libxcb-cursor0
  libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 fonts-dejavu-core libdbus-1-3 xclip xdotool
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0"
# What the end-to-end tests drive (a virtual display, a window manager, a session bus, real apps),
# binutils for PyInstaller's bundle test, desktop-file-utils to validate the shipped .desktop files.
TEST_DEBS="$RUNTIME_DEBS xvfb xauth openbox dbus-x11 mousepad chromium x11-utils imagemagick
  binutils desktop-file-utils"
# A Python with venv and pip, for a fresh Debian machine that has none.
PYTHON_DEBS="python3 python3-venv python3-pip"

APT_UPDATED=""

# Installs the Debian packages that are missing. As root (or with password-less sudo) a failure
# stops the script: a half-installed machine would make the tests lie. Without those rights it
# says what is missing and goes on, so that a developer can still run what does not need them.
_apt_install() {
  is_linux || return 0
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    log "no apt-get here; if something fails, install the equivalents of: $*"
    return 0
  fi
  local missing=() pkg
  for pkg in $*; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if ! $sudo true 2>/dev/null; then
    log "cannot install Debian packages without root; missing: ${missing[*]}"
    return 0
  fi
  log "installing Debian packages: ${missing[*]}"
  local started=$SECONDS
  if [ -z "$APT_UPDATED" ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || { log "apt-get update failed"; return 1; }
    APT_UPDATED=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null || { log "apt-get install failed for: ${missing[*]}"; return 1; }
  log "Debian packages installed in $((SECONDS - started)) s"
}

setup_runtime_packages() { _apt_install $RUNTIME_DEBS; }
setup_debian_packages() { _apt_install $TEST_DEBS; }

# PyInstaller (the bundle test) needs the shared libpython, which Debian's own Python keeps in a
# package of its own. Other Pythons (pyenv, python.org) bring theirs.
setup_libpython() {
  local py version
  py="$(venv_python)"
  version="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2] if sys.base_prefix == "/usr" else "")')"
  [ -z "$version" ] || _apt_install "libpython$version"
}

# A Python 3.11 or newer that can make a venv: $PYTHON if set, else the newest one on PATH.
_find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3 python; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# $1: the pip extra to install ("" for the app alone, "test" for the tests). pip runs again only
# when pyproject.toml or setup.py changed since the last install into this .venv (or when
# ASSIST_REINSTALL=1), so that starting the app a second time does not wait for pip.
setup_venv() {
  local extra="$1" py
  if [ -z "$(venv_python)" ]; then
    py="$(_find_python)" || { _apt_install $PYTHON_DEBS && py="$(_find_python)"; } || {
      log "assist needs Python 3.11 or newer with the venv module (Debian: apt-get install python3-venv)"
      return 1
    }
    log "creating .venv with $("$py" --version 2>&1)"
    "$py" -m venv .venv
  fi
  py="$(venv_python)"
  local spec="." stamp=".venv/.assist-installed${extra:+-$extra}" digest
  [ -n "$extra" ] && spec=".[$extra]"
  digest="$(cat pyproject.toml setup.py | "$py" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
  if [ "${ASSIST_REINSTALL:-}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return 0
  fi
  log "installing Python packages into .venv (the first time takes a few minutes)"
  local started=$SECONDS
  "$py" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$py" -m pip install -qq --disable-pip-version-check -e "$spec"
  echo "$digest" >"$stamp"
  log "Python packages installed in $((SECONDS - started)) s"
}
