"""Ed25519 keys and signatures for releases, with PyNaCl (libsodium). A key file holds
the secret key's seed in hex, readable by its owner alone; its public half is written
beside it (`KEYFILE.pub`) and into every release it signs. Signatures are detached:
`manifest.json.sig` holds the hex signature of the manifest's exact bytes."""

from __future__ import annotations

import os
from pathlib import Path

from custodiet.model.errors import DataError


class BadSignatureError(DataError):
    """A signature that the key does not verify."""


def keygen(out: Path) -> Path:
    """A new key pair: the secret in `out` (mode 600, never overwritten), the public
    key in `out.pub`; returns the public key's path."""
    from nacl.signing import SigningKey

    if out.exists():
        raise DataError(f"{out} exists: a key is never overwritten", file=str(out))
    key = SigningKey.generate()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.encode().hex() + "\n")
    public = out.with_name(out.name + ".pub")
    public.write_text(key.verify_key.encode().hex() + "\n", encoding="utf-8")
    return public


def _hex(path: Path, what: str, size: int) -> bytes:
    try:
        raw = bytes.fromhex(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError) as exc:
        raise DataError(f"not a {what}: {exc}", file=str(path)) from None
    if len(raw) != size:
        raise DataError(f"not a {what}: {len(raw)} bytes, not {size}", file=str(path))
    return raw


def sign(message: bytes, secret: Path) -> tuple[str, str]:
    """(signature, public key), both hex."""
    from nacl.signing import SigningKey

    key = SigningKey(_hex(secret, "Custodiet secret key (64 hex digits)", 32))
    return key.sign(message).signature.hex(), key.verify_key.encode().hex()


def public_key(path: Path) -> str:
    return _hex(path, "Ed25519 public key (64 hex digits)", 32).hex()


def verify(message: bytes, signature: str, public: str) -> None:
    """Nothing if the signature is the key's over exactly these bytes."""
    from nacl.exceptions import BadSignatureError as Bad
    from nacl.signing import VerifyKey

    try:
        VerifyKey(bytes.fromhex(public)).verify(message, bytes.fromhex(signature))
    except (Bad, ValueError) as exc:
        raise BadSignatureError(f"the signature does not verify: {exc}") from None
