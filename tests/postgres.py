"""A throwaway PostgreSQL server on loopback, started and removed by the test run."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def pg_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    if found:
        return found[-1].parent
    which = shutil.which("pg_ctl")
    return Path(which).resolve().parent if which else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root, so use Debian's postgres user.
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def _run(bindir: Path, root: Path, *args: str, check: bool = True) -> None:
    subprocess.run(
        _as_server_user([str(bindir / args[0]), *args[1:]]),
        check=check,
        capture_output=True,
        text=True,
        cwd=root,
    )


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Yields an admin URL (postgresql+psycopg://custodiet@127.0.0.1:PORT/postgres)."""
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="custodiet-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
    port = free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    try:
        _run(bindir, root, "initdb", "-D", str(data), "-U", "custodiet", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        try:
            _run(bindir, root, "pg_ctl", "-D", str(data), "-l", str(root / "log"), "-w",
                 "-t", "60", "-o", options, "start")  # fmt: skip
        except subprocess.CalledProcessError:
            log = (root / "log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"PostgreSQL did not start:\n{log}") from None
        yield f"postgresql+psycopg://custodiet@127.0.0.1:{port}/postgres"
    finally:
        _run(bindir, root, "pg_ctl", "-D", str(data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(root, ignore_errors=True)
