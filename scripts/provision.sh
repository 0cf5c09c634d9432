#!/usr/bin/env bash
# Makes sure what the tests need beyond Python is present: PostgreSQL's server binaries
# (store tests), Debian's Chromium (browser tests), Pango (WeasyPrint's PDF reports),
# fonts for Chinese, Cyrillic and Arabic names, and poppler's pdftotext and pdftoppm
# (which read the reports back). As root it installs Debian's packages; otherwise it
# prints the one command to run.
set -euo pipefail

missing=()
if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null && ! command -v pg_ctl >/dev/null; then
    missing+=(postgresql)
fi
if ! command -v chromium >/dev/null; then
    missing+=(chromium)
fi
# Read whole before grep: under pipefail, grep -q closing the pipe early fails the test.
libraries=$(ldconfig -p 2>/dev/null || true)
fonts=$(fc-list : family 2>/dev/null || true)
if ! grep -q libpangoft2-1.0 <<<"$libraries"; then
    missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
if ! command -v pdftotext >/dev/null; then
    missing+=(poppler-utils)
fi
if ! grep -q "DejaVu Sans" <<<"$fonts"; then
    missing+=(fonts-dejavu-core)
fi
if ! grep -q -E "WenQuanYi|Noto Sans CJK" <<<"$fonts"; then
    missing+=(fonts-wqy-zenhei)
fi
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "provision: installing ${missing[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    exit 0
fi
echo "provision: missing ${missing[*]}; their tests will be skipped." >&2
echo "provision: install with: sudo apt-get install -y ${missing[*]}" >&2
