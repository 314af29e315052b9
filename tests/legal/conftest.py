"""Fixtures of the legal tests: Relais's reference organisation tree, as a pure directory (no
database) and loaded in the test database."""

import pytest

from relais.legal.article import load_article
from relais.legal.directory import UnitRow, directory_from
from relais.referential.loaders import _create_units, _flatten_units, read_yaml


def reference_units() -> list[UnitRow]:
    """The units of referential/data/organisation.yaml (the tree `relais load-reference` loads)."""
    return [
        UnitRow(
            code=spec["code"],
            name=spec["name"],
            short_name=spec.get("short_name", ""),
            parent=parent or "",
            beneficiary=spec.get("beneficiary", ""),
            intelligence=bool(spec.get("is_intelligence", False)),
        )
        for parent, spec in _flatten_units(read_yaml("organisation.yaml")["units"])
    ]


def reference_partners() -> list[tuple[str, str]]:
    return [(p["name"], p.get("acronym") or "") for p in read_yaml("partners.yaml")["partners"]]


@pytest.fixture(scope="session")
def tree_directory():
    """The directory callers build from the reference organisation and partner bodies."""
    return directory_from(load_article(), reference_units(), reference_partners())


@pytest.fixture
def reference_tree(db):
    """The reference organisation tree in the test database."""
    _create_units(list(_flatten_units(read_yaml("organisation.yaml")["units"])))
