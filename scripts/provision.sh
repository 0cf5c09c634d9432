#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries the store tests need are present.
# As root it installs Debian's package; otherwise it prints the one command to run.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "provision: installing PostgreSQL (Debian package postgresql)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    exit 0
fi
echo "provision: PostgreSQL is missing; the PostgreSQL tests will be skipped." >&2
echo "provision: install it with: sudo apt-get install -y postgresql" >&2
