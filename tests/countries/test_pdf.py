"""PDF export of the whole sheet (`/pays/<ISO>/pdf/`), through `relais.core.exports.pdf`."""

import re
import zlib

from tests.matrix import Persona, check_matrix


def pdf_strings(pdf: bytes) -> bytes:
    """The PDF bytes plus its decompressed streams (where titles and bookmarks live)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def contains_text(pdf: bytes, text: str) -> bool:
    data = pdf_strings(pdf)
    return any(text.encode(enc) in data for enc in ("utf-8", "latin-1", "utf-16-be"))


def test_pdf_matrix(users, sheet_data):
    check_matrix(
        "/pays/ES/pdf/",
        anonymous=Persona.LOGIN,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )


def test_pdf_of_the_sheet(users, client_for, sheet_data):
    response = client_for(users.pilotage).get("/pays/es/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/pdf")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    assert contains_text(content, "Espagne")
    assert "fiche-pays-es" in response.get("Content-Disposition", "")


def test_pdf_of_unknown_country_is_404(users, client_for, sheet_data):
    assert client_for(users.pilotage).get("/pays/ZZ/pdf/").status_code == 404


def test_pdf_export_is_audited_with_the_sheet_marking(users, client_for, sheet_data):
    from relais.core.audit.models import AuditEvent

    assert client_for(users.pilotage).get("/pays/ES/pdf/").status_code == 200
    event = AuditEvent.objects.filter(action="export", model="referential.country").latest("pk")
    assert event.actor_username == "pilotage"
    assert event.object_id == str(sheet_data.guardia.country_id)
    assert event.extra["format"] == "pdf"
    # Spain's sheet shows a restricted partner body to pilotage: the export is restricted too.
    assert event.marking == "diffusion_restreinte"
    assert client_for(users.admin).get("/pays/ES/pdf/").status_code == 200
    event = AuditEvent.objects.filter(action="export", model="referential.country").latest("pk")
    assert event.marking == "non_protege"


def test_pdf_carries_the_restricted_marking(users, client_for, sheet_data):
    response = client_for(users.pilotage).get("/pays/ES/pdf/")
    assert response["X-Relais-Marking"] == "diffusion_restreinte"
    # The body text is drawn in glyphs; the links of its rows are readable annotations.
    restricted_link = f"/organisation/partenaires/{sheet_data.restricted.pk}/"
    guardia_link = f"/organisation/partenaires/{sheet_data.guardia.pk}/"
    assert contains_text(response.content, restricted_link)
    assert contains_text(response.content, guardia_link)
    admin = client_for(users.admin).get("/pays/ES/pdf/")
    assert admin["X-Relais-Marking"] == "non_protege"
    assert contains_text(admin.content, guardia_link)
    assert not contains_text(admin.content, restricted_link)
