"""The API contract, tried by schemathesis (issue 16 point 6): every operation of the schema, a
few generated examples each (fixed seed), with the tokens of three roles; any 5xx or any answer
that does not match its documented schema fails the test. Bounded to stay within the CI budget
(docs/dev/api.md): raise `EXAMPLES` locally to search harder. Two shards, so that `-n 2` runs
them side by side."""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from relais.accounts.models import ApiToken

EXAMPLES = 2
SHARDS = 2
#: Not JSON operations of the API: the schema itself and its HTML page.
SKIPPED = ("/api/v1/schema/", "/api/v1/docs/")

pytestmark = pytest.mark.usefixtures("keep_db_connection")


def _bearer(user) -> dict:
    _, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


def _schema():
    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()  # calls go through Django, in the test's transaction
    return schema


@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_answers_as_documented(shard, users):
    """A writer at headquarters, an attaché abroad and a read-only auditor call each operation."""
    roles = [_bearer(users.pilotage), _bearer(users.attache_madrid), _bearer(users.lecteur)]
    operations = [
        result.ok() for result in _schema().get_all_operations() if result.ok().path not in SKIPPED
    ]
    operations = sorted(operations, key=lambda op: (op.path, op.method))[shard::SHARDS]
    assert len(operations) > 40
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            for headers in roles:
                response = case.call(headers=headers)
                case.validate_response(
                    response,
                    checks=[not_a_server_error, response_schema_conformance],
                    headers=headers,
                )

        try:
            call()
        except Exception as exc:
            failures.append(f"@@ {operation.method.upper()} {operation.path}: {str(exc)[:700]}")
    assert not failures, "\n\n".join(failures)
