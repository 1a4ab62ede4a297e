#!/usr/bin/env bash
# The whole test command: lint, type-check, then the test suite (unit, golden and browser tests).
# Extra arguments are passed to pytest, e.g. `scripts/test.sh -k docnumber` or `--update-golden`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Browser tests drive Debian's Chromium through Playwright (no browser download); the HTML validity test
# runs the Nu Html Checker, which needs Java; the PDF tests typeset with Noto CJK.
packages=()
[[ -x /usr/bin/chromium ]] || packages+=(chromium)
# Noto CJK: Chinese text in the browser tests, and the fonts the PDF reader's test PDFs are typeset in.
[[ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ]] || packages+=(fonts-noto-cjk)
command -v java >/dev/null || packages+=(default-jre-headless)
if (( ${#packages[@]} )); then
    if [[ "$(id -u)" == 0 ]]; then
        echo "test.sh: installing ${packages[*]} for the browser and HTML validity tests" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update && apt-get install -y "${packages[@]}"
    else
        echo "test.sh: ${packages[*]} missing and we are not root; the tests that need them will be" \
             "skipped (and fail under CI). Install them with: sudo apt-get install ${packages[*]}" >&2
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
