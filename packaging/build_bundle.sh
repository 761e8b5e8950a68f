#!/usr/bin/env bash
# Build the one-folder app with PyInstaller (dist/assist; on macOS also dist/assist.app), then
# smoke-test it: the bundle must print its version and analyze a line with the shipped model.
#   bash packaging/build_bundle.sh            (uses .venv, or $PYTHON, with the "bundle" extra)
# BUNDLE_DIST and BUNDLE_WORK move the output (default dist/) and PyInstaller's work folder.
# Linux needs binutils (objdump) for PyInstaller, and for the AT-SPI helper PyGObject for this Python
# (Debian's python3-gi when it is the same Python version) with gir1.2-atspi-2.0; scripts/test
# installs them. PyInstaller's "GLibUnix 2.0 not found" warning is harmless (GLib < 2.80 has none).
set -euo pipefail
cd "$(dirname "$0")/.."

py="${PYTHON:-}"
if [ -z "$py" ]; then
  if [ -x .venv/bin/python ]; then py=.venv/bin/python
  elif [ -x .venv/Scripts/python.exe ]; then py=.venv/Scripts/python.exe
  else py=python3
  fi
fi
"$py" -c 'import PyInstaller' 2>/dev/null || {
  echo "build_bundle: PyInstaller is missing: $py -m pip install -e '.[bundle]'" >&2
  exit 1
}

dist="${BUNDLE_DIST:-dist}"
started=$SECONDS
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$dist" --workpath "${BUNDLE_WORK:-build/pyinstaller}" packaging/assist.spec
echo "build_bundle: built $dist/assist in $((SECONDS - started)) s ($(du -sh "$dist/assist" | cut -f1))"
if [ "$(uname -s 2>/dev/null)" = "Linux" ]; then
  # The AT-SPI helper's bindings (packaging/assist.spec): without them the bundle reads keystrokes only.
  if [ -f "$dist/assist/_internal/gi_typelibs/Atspi-2.0.typelib" ]; then
    echo "build_bundle: AT-SPI bindings bundled (gi, Atspi typelib, libatspi)"
  else
    echo "build_bundle: WARNING: no AT-SPI bindings in the bundle (needs PyGObject for $("$py" -c 'import sys; print("Python %d.%d" % sys.version_info[:2])'): Debian python3-gi of that version)" >&2
  fi
fi

exe=""
[ "$(uname -s 2>/dev/null)" = "Linux" ] || [ "$(uname -s 2>/dev/null)" = "Darwin" ] || exe=".exe"
cli="$(cd "$dist/assist" && pwd)/assist-cli$exe"
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

version="$("$cli" --version)"
expected="assist $("$py" -c 'import assist; print(assist.__version__)')"
[ "$version" = "$expected" ] || { echo "build_bundle: --version said '$version', expected '$expected'" >&2; exit 1; }

# Run from an empty folder with a fresh base folder, so nothing from the checkout can help it.
line='{"customer": "I have waited three weeks for my refund and nobody answers. This is ridiculous!"}'
analysis="$(cd "$workdir" && echo "$line" | "$cli" --temp-basedir analyze)"
"$py" - "$analysis" <<'PY'
import json, sys
analysis = json.loads(sys.argv[1])
assert analysis["emotion"] == "frustration" and analysis["needs_acknowledgment"], analysis
print("build_bundle: the bundle analysed a line:", analysis["emotion"], analysis.get("level"))
PY
echo "build_bundle: smoke test passed"
