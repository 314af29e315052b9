"""IATI 2.03: the export validates against the schema; the import refuses bad files and imports
nothing from a partly invalid file unless asked."""

import io

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from relais.cooperation import iati
from relais.cooperation.models import Evaluation, OtherDonorActivity
from tests.cooperation.conftest import D, domain, to_programmed, walk
from tests.matrix import Persona, check_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    """The schema shipped in the package (never skipped: the import always validates)."""
    return etree.XMLSchema(etree.parse(str(iati.SCHEMA_DIR / "iati-activities-schema.xsd")))


def test_the_package_ships_the_schema_and_it_accepts_the_standard_samples(schema):
    assert iati.activities_schema() is not None
    samples = sorted((iati.SCHEMA_DIR / "should-pass").glob("*.xml"))
    assert samples
    for sample in samples:
        assert schema.validate(etree.parse(str(sample))), (sample.name, schema.error_log)


@pytest.fixture
def actions(make_action, coop, users):
    done = make_action(
        fundings=[
            {"funder": coop.dcsd, "instrument": "meae_dcsd", "amount": 12000, "status": "paid"},
            {"funder": None, "instrument": "ministry_budget", "amount": 3000, "status": "planned"},
        ],
        implementing_services=[coop.dcpj],
        beneficiary_institution=coop.police_mali,
    )
    to_programmed(done, users.pilotage)
    walk(
        done,
        users.pilotage,
        ("start", {"actual_start": D(2025, 3, 10)}),
        ("complete", {"actual_end": D(2025, 3, 14)}),
    )
    done.actual_cost = 14000
    done.save()
    proposed = make_action(
        country=coop.spain,
        post=coop.madrid,
        directorate=coop.dgef,
        domain=domain("irregular_immigration"),
        planned_start=D(2024, 1, 8),
        planned_end=D(2024, 1, 9),
        fundings=[
            {"funder": coop.dcsd, "instrument": "meae_dcsd", "amount": 500, "status": "committed"}
        ],
    )
    restricted = make_action(title="Action protégée", marking="diffusion_restreinte")
    return done, proposed, restricted


def parse(data: bytes):
    return etree.fromstring(data)


def test_export_is_valid_against_the_schema(actions, schema, users):
    done, _proposed, _restricted = actions
    data = iati.export_activities(iati.export_queryset(users.pilotage))
    document = parse(data)
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "2.03"
    activities = document.findall("iati-activity")
    assert len(activities) == 2  # the restricted action never leaves
    first = next(a for a in activities if a.findtext("iati-identifier").endswith(f"-CT-{done.pk}"))
    roles = sorted(o.get("role") for o in first.findall("participating-org"))
    assert roles == ["1", "1", "2", "3", "4", "4"]
    assert first.find("recipient-country").get("code") == "ML"
    assert first.find("sector").get("code") == "15210"
    assert first.find("activity-status").get("code") == "3"
    assert {d.get("type") for d in first.findall("activity-date")} == {"1", "2", "3", "4"}
    assert [b.findtext("value") for b in first.findall("budget")] == ["3000.00"]
    types = sorted(t.find("transaction-type").get("code") for t in first.findall("transaction"))
    assert types == ["1", "4"]  # incoming funds (versé) and the actual cost (expenditure)
    assert "Police nationale du Mali" in etree.tostring(first, encoding="unicode")


def test_command_stdout_file_and_filters(actions, schema, tmp_path):
    out = io.StringIO()
    call_command("export_iati", "--country", "ML", stdout=out, stderr=io.StringIO())
    document = parse(out.getvalue().encode())
    assert schema.validate(document), schema.error_log
    assert {a.find("recipient-country").get("code") for a in document.findall("iati-activity")} == {
        "ML"
    }
    target = tmp_path / "iati.xml"
    call_command("export_iati", "--year", "2024", "--output", str(target), stderr=io.StringIO())
    document = etree.parse(str(target)).getroot()
    assert schema.validate(document)
    assert len(document.findall("iati-activity")) == 1
    with pytest.raises(CommandError):
        call_command("export_iati", "--country", "Mali", stdout=io.StringIO())


def test_api_endpoint(actions, schema, users):
    responses = check_matrix(
        "/api/v1/cooperation/iati/?country=ML",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_bamako, 200),
    )
    mine = parse(responses["right_user"].content)
    assert schema.validate(mine)
    assert len(mine.findall("iati-activity")) == 1
    assert responses["right_user"]["Content-Type"].startswith("application/xml")
    assert parse(responses["other_unit"].content).findall("iati-activity") == []
    from django.test import Client

    client = Client()
    client.force_login(users.pilotage)
    assert client.get("/api/v1/cooperation/iati/?country=Mali&year=x").status_code == 400


# --- Import -------------------------------------------------------------------------------------

ACTIVITY = """
  <iati-activity default-currency="EUR">
    <iati-identifier>{ident}</iati-identifier>
    <reporting-org ref="XI-IATI-EC_INTPA" type="40"><narrative>Commission européenne</narrative></reporting-org>
    <title><narrative>{title}</narrative></title>
    <description><narrative>Appui aux forces de sécurité intérieure.</narrative></description>
    <participating-org role="1" ref="XI-IATI-EC_INTPA"><narrative>Commission européenne</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2024-01-01"/>
    <activity-date type="3" iso-date="2027-12-31"/>
    {country}
    <sector vocabulary="1" code="15210"/>
    <budget><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/><value currency="EUR" value-date="2024-01-01">2500000</value></budget>
  </iati-activity>"""


def document(*activities, version="2.03"):
    return f'<?xml version="1.0"?><iati-activities version="{version}">{"".join(activities)}</iati-activities>'.encode()


def activity(ident="EU-1", title="Programme d'appui à la sécurité", country="ML"):
    code = f'<recipient-country code="{country}" percentage="100"/>' if country else ""
    return ACTIVITY.format(ident=ident, title=title, country=code)


def write(tmp_path, data, name="autres.xml"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_good_file(coop, tmp_path):
    out = io.StringIO()
    call_command(
        "import_iati",
        write(tmp_path, document(activity("EU-1"), activity("EU-2", country="ES"))),
        stdout=out,
    )
    assert OtherDonorActivity.objects.count() == 2
    first = OtherDonorActivity.objects.get(iati_identifier="EU-1")
    assert list(first.countries.values_list("code", flat=True)) == ["ML"]
    assert first.budget == 2500000 and first.reporting_org == "Commission européenne"
    assert "2 activité(s) créée(s)" in out.getvalue()
    # Run again: updated, not duplicated.
    call_command(
        "import_iati",
        write(tmp_path, document(activity("EU-1", title="Nouveau titre"))),
        stdout=io.StringIO(),
    )
    assert OtherDonorActivity.objects.count() == 2
    assert OtherDonorActivity.objects.get(iati_identifier="EU-1").title == "Nouveau titre"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"ceci n'est pas du XML", "n'est pas un XML lisible"),
        (b"<html><body>Bonjour</body></html>", "l'élément racine est <html>"),
        (document(activity(), version="1.05"), "Version IATI 1.05 non prise en charge"),
        (document(), "aucune activité"),
        (b"", "vide"),
        (
            b'<?xml version="1.0"?><!DOCTYPE iati-activities [<!ENTITY org "Commission">]>'
            + document(activity(title="Programme &org; européenne")).split(b"?>", 1)[1],
            "déclaration DOCTYPE",
        ),
        (
            b'<!DOCTYPE iati-activities SYSTEM "file:///etc/passwd">'
            + document(activity()).split(b"?>", 1)[1],
            "déclaration DOCTYPE",
        ),
        (
            b'<!DOCTYPE iati-activities [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<iati-activities>&b;</iati-activities>",
            "déclaration DOCTYPE",
        ),
    ],
)
def test_bad_files_are_refused(coop, tmp_path, data, message):
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_iati", write(tmp_path, data), stdout=out)
    assert exc.value.returncode != 0
    assert message in out.getvalue()
    assert not OtherDonorActivity.objects.exists()


def test_partly_invalid_file_imports_nothing_unless_asked(coop, tmp_path):
    data = document(
        activity("EU-1"),
        activity("EU-2", country=""),
        activity("EU-3", country="ZZ"),
        activity("EU-1"),
    )
    path = write(tmp_path, data)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_iati", path, stdout=out)
    report = out.getvalue()
    assert not OtherDonorActivity.objects.exists()
    assert "Aucune activité importée : 3 activité(s) sur 4" in report
    assert "« EU-2 »" in report and "aucun pays bénéficiaire" in report
    assert "« EU-3 »" in report and "pays inconnu(s) du référentiel : ZZ" in report
    assert "identifiant en double" in report
    out = io.StringIO()
    call_command("import_iati", path, "--valid-only", stdout=out)
    assert list(OtherDonorActivity.objects.values_list("iati_identifier", flat=True)) == ["EU-1"]
    assert "écartée" in out.getvalue()


def test_schema_errors_are_reported(coop, tmp_path, schema):
    broken = activity("EU-9").replace('<activity-status code="2"/>', "")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_iati", write(tmp_path, document(broken)), stdout=out)
    assert "non conforme au schéma IATI" in out.getvalue()


def test_dry_run_writes_nothing(coop, tmp_path):
    out = io.StringIO()
    call_command("import_iati", write(tmp_path, document(activity())), "--dry-run", stdout=out)
    assert "Vérification seule" in out.getvalue()
    assert not OtherDonorActivity.objects.exists()


def test_own_activities_are_not_other_donors(coop, tmp_path, actions, users):
    data = iati.export_activities(iati.export_queryset(users.pilotage))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_iati", write(tmp_path, data), stdout=out)
    assert "publiée par la DCI elle-même" in out.getvalue()


def test_upload_page_and_country_sheet(coop, users, client_for, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(users.charge_afrique)
    upload = SimpleUploadedFile("ue.xml", document(activity("EU-1")), content_type="text/xml")
    checked = client.post(
        "/cooperation/autres-bailleurs/importer/", {"file": upload, "dry_run": "on"}
    )
    assert "Vérification seule" in checked.content.decode()
    assert not OtherDonorActivity.objects.exists()
    bad = SimpleUploadedFile("ue.xml", b"<rss/>", content_type="text/xml")
    refused = client.post("/cooperation/autres-bailleurs/importer/", {"file": bad})
    assert "racine est &lt;rss&gt;" in refused.content.decode()
    upload = SimpleUploadedFile("ue.xml", document(activity("EU-1")), content_type="text/xml")
    client.post("/cooperation/autres-bailleurs/importer/", {"file": upload})
    assert OtherDonorActivity.objects.count() == 1
    sheet = client_for(users.attache_bamako).get("/pays/ML/").content.decode()
    assert "Activités des autres bailleurs (IATI)" in sheet and "Commission européenne" in sheet
    assert (
        client_for(users.lecteur).post("/cooperation/autres-bailleurs/importer/", {}).status_code
        == 403
    )
    assert OtherDonorActivity.objects.count() == 1
    Evaluation  # noqa: B018 (imported for the fixtures' types)
