"""A typed client generated from the schema (openapi-python-client) compiles, imports, and talks
to Relais: a record moved through its workflow and read back, typed lists of each module."""

import importlib
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator

from relais.accounts.models import ApiToken
from relais.referential.workflows import AssignmentStatus
from tests.factories import AssignmentFactory, PersonFactory

pytestmark = [
    pytest.mark.skipif(
        shutil.which("openapi-python-client", path=os.path.dirname(sys.executable)) is None,
        reason="openapi-python-client (extra [test]) absent",
    ),
    pytest.mark.usefixtures("keep_db_connection"),
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("client")
    schema = root / "schema.json"
    document = json.loads(
        json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str)
    )
    # The client speaks JSON (the form and multipart variants of each body are for browsers).
    for operations in document["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                operation["requestBody"]["content"] = {
                    "application/json": content["application/json"]
                }
    schema.write_text(json.dumps(document))
    binary = Path(sys.executable).parent / "openapi-python-client"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [
            binary,
            "generate",
            "--path",
            schema,
            "--output-path",
            root / "relais_client",
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        package = importlib.import_module("relais_client")
        modules = {
            info.name: importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, "relais_client.")
        }
        yield package, modules
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("relais_client")]:
            del sys.modules[name]


def _client(package, user):
    _, raw = ApiToken.issue(user)
    return package.AuthenticatedClient(
        base_url="http://testserver",
        token=raw,
        httpx_args={"transport": httpx.WSGITransport(app=get_wsgi_application())},
    )


def _operation(modules, name):
    (module,) = [m for key, m in modules.items() if key.endswith(f".{name}")]
    return module


def test_the_generated_client_compiles_and_round_trips(generated, org, users):
    package, modules = generated
    assert len([m for m in modules if ".api." in m]) > 100  # one module per operation
    person = PersonFactory(unit=org.madrid.unit)
    assignment = AssignmentFactory(person=person, status=AssignmentStatus.PROPOSED)
    client = _client(package, users.pilotage)
    models = modules["relais_client.models"]

    # Write through the typed workflow request, read the typed answer back.
    body = models.AssignmentTransitionRequest(
        transition=models.AssignmentTransitionEnum("approve"),
        comment="Par le client généré",
        version=assignment.version,
    )
    state = _operation(modules, "assignment_transitions_apply").sync(
        id=assignment.pk, client=client, body=body
    )
    assert isinstance(state, models.AssignmentWorkflow), state
    assert state.status == models.AssignmentStatusEnum("approved")
    assert [t.name.value for t in state.transitions] == ["activate", "cancel"]
    read = _operation(modules, "assignment_transitions_list").sync(id=assignment.pk, client=client)
    assert read.history[0].comment == "Par le client généré"
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.APPROVED

    # A refusal parses as the shared error.
    refused = _operation(modules, "assignment_transitions_apply").sync(
        id=assignment.pk,
        client=client,
        body=models.AssignmentTransitionRequest(transition=models.AssignmentTransitionEnum("end")),
    )
    assert isinstance(refused, models.Error) and refused.code == "transition_refused"

    # Typed lists of each module.
    units = _operation(modules, "units_list").sync(client=client)
    assert "DCI" in {unit.code for unit in units.results}
    for name in (
        "agreements_list",
        "cooperation_actions_list",
        "information_reports_list",
        "network_taskings_list",
    ):
        page = _operation(modules, name).sync(client=client)
        assert page is not None and isinstance(page.count, int), name
