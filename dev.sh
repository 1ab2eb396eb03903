#!/usr/bin/env bash
# One entry point for people and CI:
#   ./dev.sh demo    set up, index the bundled demo corpus, open the app
#   ./dev.sh test    set up, then format check, lint, types and every test
#   ./dev.sh setup   only create/refresh .venv
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.xlsearch-installed"
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$VENV/bin/pip" install -q --upgrade pip
    # torch first and pinned: 2.13.0 is a CPU build from this machine's disk; an unpinned
    # torch pulled in by sentence-transformers would be a multi-GB CUDA download.
    "$VENV/bin/pip" install -q torch==2.13.0
    "$VENV/bin/pip" install -q -e '.[dev]'
    echo "$want" > "$stamp"
  fi
}

# OCR of scans and photos needs the Tesseract program with its Nepali and English models
# (and the tests draw Nepali pages in a Devanagari font). Installed where we can (root
# with apt-get, as in CI); elsewhere the one command is printed and the rest goes on.
OCR_PACKAGES="tesseract-ocr tesseract-ocr-nep tesseract-ocr-eng fonts-lohit-deva"
ocr_tools() {
  if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx nep \
    && [ -e /usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf ]; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # shellcheck disable=SC2086
    (apt-get update -qq && apt-get install -y -qq $OCR_PACKAGES) >/dev/null 2>&1 || true
  else
    echo "OCR (scans, photos) needs: sudo apt install $OCR_PACKAGES" >&2
  fi
}

case "${1:-}" in
  setup)
    setup
    ;;
  demo)
    setup
    ocr_tools
    export XLSEARCH_HOME="${XLSEARCH_HOME:-$PWD/.xlsearch-home/demo}"
    "$VENV/bin/xlsearch" index assets/demo
    exec "$VENV/bin/xlsearch"
    ;;
  test)
    setup
    if ! command -v tmux >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      (apt-get update -qq && apt-get install -y -qq tmux) >/dev/null 2>&1 || true
    fi
    ocr_tools
    "$VENV/bin/ruff" format --check xlsearch tests benchmarks
    "$VENV/bin/ruff" check xlsearch tests benchmarks
    "$VENV/bin/mypy"
    "$VENV/bin/pytest" -q "${@:2}"
    ;;
  *)
    echo "usage: ./dev.sh demo | test [pytest args] | setup" >&2
    exit 2
    ;;
esac
