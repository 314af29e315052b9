"""STIX 2.1 export of a report, for exchange with partners' tools.

`report_bundle(report)` returns a bundle (plain dict, JSON-ready) holding:
- a `report` object (name, description, published, labels = theme codes, `report_types`
  ["threat-report"]) whose `object_refs` point at the countries (`location` objects) and whose
  `object_marking_refs` carry the markings;
- an `identity` for the author's unit (`created_by_ref`);
- the markings: the TLP 1.0 marking definitions predefined by STIX 2.1 (referenced by their
  fixed ids: *diffusion restreinte* → TLP:AMBER, H2 → TLP:RED, otherwise TLP:GREEN) and a
  `statement` marking definition stating the French protection marking and the Europol
  handling code with the provider's conditions.
The grading is carried as custom properties (`x_relais_…`). Built without the `stix2` library
(which the tests use to validate the output).
"""

import datetime
import uuid

from django.conf import settings
from django.utils import timezone

from relais.core.markings import Marking

NAMESPACE = uuid.UUID("6b1f3f3c-5d0e-4c56-9a0a-2e0f6a7d5b11")
TLP = {
    "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}


def _id(kind: str, *parts) -> str:
    name = "/".join([settings.SITE_URL, kind, *[str(p) for p in parts]])
    return f"{kind}--{uuid.uuid5(NAMESPACE, name)}"


def _ts(moment) -> str:
    moment = (moment or timezone.now()).astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def tlp_for(report) -> str:
    if report.handling_code == "H2":
        return TLP["red"]
    if report.marking == Marking.DIFFUSION_RESTREINTE:
        return TLP["amber"]
    return TLP["green"]


def report_bundle(report) -> dict:
    created = _ts(report.created_at)
    modified = _ts(report.updated_at)
    unit = report.unit
    identity = {
        "type": "identity",
        "spec_version": "2.1",
        "id": _id("identity", "unit", unit.code),
        "created": created,
        "modified": created,
        "name": str(unit),
        "identity_class": "organization",
    }
    statement = f"{report.get_marking_display()} – {report.get_handling_code_display()}" + (
        f" : {report.handling_conditions}" if report.handling_conditions else ""
    )
    marking = {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": _id("marking-definition", report.marking, report.handling_code, statement),
        "created": created,
        "created_by_ref": identity["id"],
        "definition_type": "statement",
        "definition": {"statement": statement},
    }
    locations = [
        {
            "type": "location",
            "spec_version": "2.1",
            "id": _id("location", country.code),
            "created": created,
            "modified": created,
            "name": country.name,
            "country": country.code,
        }
        for country in report.countries.all()
    ]
    description = report.summary + (f"\n\n{report.body}" if report.body else "")
    stix_report = {
        "type": "report",
        "spec_version": "2.1",
        "id": _id("report", report.pk, report.reference),
        "created": created,
        "modified": modified,
        "created_by_ref": identity["id"],
        "name": report.title,
        "description": description,
        "report_types": ["threat-report"],
        "published": _ts(report.validated_at or report.created_at),
        "labels": [theme.code for theme in report.themes.all()],
        "object_refs": [loc["id"] for loc in locations] or [identity["id"]],
        "object_marking_refs": [tlp_for(report), marking["id"]],
        "external_references": [{"source_name": "relais", "external_id": report.reference}],
        "x_relais_grading_scheme": report.grading_scheme,
        "x_relais_source_reliability": report.source_reliability,
        "x_relais_information_credibility": report.information_credibility,
        "x_relais_handling_code": report.handling_code,
        "x_relais_marking": report.marking,
    }
    return {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid4()}",
        "objects": [identity, marking, *locations, stix_report],
    }
