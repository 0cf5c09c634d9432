"""Storage: SQLAlchemy tables on SQLite (default) or PostgreSQL, migrations, audit log."""

from custodiet.model.errors import StoreError
from custodiet.store.engine import database_url
from custodiet.store.sql import SqlStore

__all__ = ["SqlStore", "StoreError", "database_url"]
