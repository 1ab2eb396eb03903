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

# Programs xlsearch runs to read Word 97-2003 .doc files; without them such files are
# recorded as failed with the command that installs them.
system_tools() {
  local missing=()
  for tool in antiword catdoc; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 || true
  fi
  for tool in "${missing[@]}"; do
    command -v "$tool" >/dev/null 2>&1 ||
      echo "note: $tool is not installed; .doc files need it: sudo apt install $tool" >&2
  done
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
    if ! command -v tmux >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      (apt-get update -qq && apt-get install -y -qq tmux) >/dev/null 2>&1 || true
    fi
    system_tools
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
