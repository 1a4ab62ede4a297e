#!/usr/bin/env bash
# The whole test command: lint, type-check, then the test suite (unit, golden and browser tests).
# Extra arguments are passed to pytest, e.g. `scripts/test.sh -k docnumber` or `--update-golden`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Browser tests drive Debian's Chromium through Playwright (no browser download).
if [[ ! -x /usr/bin/chromium ]]; then
    if [[ "$(id -u)" == 0 ]]; then
        echo "test.sh: installing Debian's chromium for the browser tests" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update && apt-get install -y chromium fonts-noto-cjk
    else
        echo "test.sh: /usr/bin/chromium is missing and we are not root; browser tests will be skipped" \
             "(and fail under CI). Install it with: sudo apt-get install chromium" >&2
    fi
fi

ruff check converter tests
mypy --strict converter

status=0
pytest "$@" || status=$?
if [[ $status == 5 ]]; then
    echo "test.sh: pytest collected no tests; that is a failure" >&2
    exit 1
fi
exit "$status"
