"""Errors that name where bad input came from."""

from __future__ import annotations


class StoreError(RuntimeError):
    """A problem with the database itself (missing, not initialised, locked)."""


class DataError(ValueError):
    """Bad input: carries the file, line and field so the message is one useful line."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field

    def located(
        self, *, file: str | None = None, line: int | None = None, field: str | None = None
    ) -> DataError:
        """The same error with any location parts it did not know yet."""
        return DataError(
            self.message,
            file=self.file or file,
            line=self.line or line,
            field=self.field or field,
        )

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])
