#!/usr/bin/env bash
# Makes sure what the tests need beyond Python is present: PostgreSQL's server binaries
# (store tests) and Debian's Chromium (browser tests). As root it installs Debian's
# packages; otherwise it prints the one command to run.
set -euo pipefail

missing=()
if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null && ! command -v pg_ctl >/dev/null; then
    missing+=(postgresql)
fi
if ! command -v chromium >/dev/null; then
    missing+=(chromium)
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
