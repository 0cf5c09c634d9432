"""schemathesis against /openapi.json: every operation, bounded examples; no server error,
no status code, content type or body the document does not declare, and the security
headers on every response."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from custodiet.web.app import create_app
from tests.conftest import Cli

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 40  # per operation


@pytest.mark.sqlite
def test_every_operation_answers_as_documented(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'fuzz.db'}")
    cli("init", "--with-starter")
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(cli.url))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            case.validate_response(response, checks=CHECKS)
            assert "script-src 'self'" in "".join(response.headers["content-security-policy"])

        check()
