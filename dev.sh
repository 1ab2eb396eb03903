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

# Programs xlsearch runs: Tesseract with its Nepali and English models for scans and
# photos (the tests draw Nepali pages in a Devanagari font), antiword and catdoc for Word
# 97-2003 files; tmux for the end-to-end app tests. Installed where we can (root with
# apt-get, as in CI); elsewhere the one command is printed and the rest goes on: the app
# works without them and says which files wait for them.
system_tools() {
  local missing=()
  command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx nep \
    || missing+=(tesseract-ocr tesseract-ocr-nep tesseract-ocr-eng)
  [ -e /usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf ] || missing+=(fonts-lohit-deva)
  for tool in antiword catdoc "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 || true
  else
    echo "note: scans, photos and .doc files need: sudo apt install ${missing[*]}" >&2
  fi
}

case "${1:-}" in
  setup)
    setup
    system_tools
    ;;
  demo)
    setup
    system_tools
    export XLSEARCH_HOME="${XLSEARCH_HOME:-$PWD/.xlsearch-home/demo}"
    "$VENV/bin/xlsearch" index assets/demo
    exec "$VENV/bin/xlsearch"
    ;;
  test)
    setup
    system_tools tmux
    "$VENV/bin/ruff" format --check xlsearch tests benchmarks
    "$VENV/bin/ruff" check xlsearch tests benchmarks
    "$VENV/bin/mypy"
    "$VENV/bin/vulture"  # dead code: settings and whitelist in pyproject.toml
    "$VENV/bin/pytest" -q "${@:2}"
    ;;
  *)
    echo "usage: ./dev.sh demo | test [pytest args] | setup" >&2
    exit 2
    ;;
esac
