"""`custodiet release …`: versioned, signed releases of the atlas in every format."""

from __future__ import annotations

from pathlib import Path

import typer

from custodiet.cli.context import err, fail, one_line_errors, open_store, out

app = typer.Typer(
    help="Releases: every export format, a manifest of checksums, the changes since the "
    "last release, an Ed25519 signature.",
    invoke_without_command=True,
)


@app.callback()
@one_line_errors
def release(
    ctx: typer.Context,
    output: Path | None = typer.Option(None, "--out", help="The folder releases are kept in."),
    key: Path | None = typer.Option(
        None, "--key", help="Sign with this secret key (custodiet release keygen)."
    ),
) -> None:
    """Make a release in --out DIR: a new folder custodiet-DATE-vN, written whole or not
    at all."""
    if ctx.invoked_subcommand is not None:
        return
    if output is None:
        raise fail("give --out DIR (the folder releases are kept in)", code=2)
    from custodiet.export.release import make

    with open_store() as store, store.view() as view, err.status("exporting every format …"):
        made = make(view, output, key)
    changes = made.changes
    out.print(
        f"released {made.folder}: {made.manifest['counts']['statements']:,} statements, "
        f"{len(made.manifest['files'])} files; since {changes['previous'] or 'the start'}: "
        f"{changes['added']} added, {changes['changed']} changed, {changes['retired']} retired"
        + ("; signed" if key else "; not signed"),
        soft_wrap=True,
    )


@app.command()
@one_line_errors
def verify(
    folder: Path = typer.Argument(..., help="A release folder."),
    key: Path | None = typer.Option(
        None, "--key", help="The public key it must be signed with (KEYFILE.pub)."
    ),
) -> None:
    """Check a release's signature and every file's checksum; exit 1 naming the first
    file that fails."""
    from custodiet.export.release import SIGNATURE, check

    manifest = check(folder, key)
    signed = (folder / SIGNATURE).exists()
    how = "signature and" if signed else "unsigned:"
    by = " by the given key" if key else " (by the key it carries)" if signed else ""
    out.print(
        f"verified {manifest['name']}: {how} {len(manifest['files'])} checksums{by}",
        soft_wrap=True,
    )


@app.command()
@one_line_errors
def keygen(out_path: Path = typer.Option(..., "--out", help="The secret key's file.")) -> None:
    """Make an Ed25519 key pair: the secret in KEYFILE (mode 600), the public key in
    KEYFILE.pub. Keep the secret out of every release and repository."""
    from custodiet.export.signing import keygen as make_key

    public = make_key(out_path)
    out.print(f"secret key in {out_path} (keep it private); public key in {public}")
