"""Uploaded versions: accepted types (judged on content), size limit, text extraction, diff."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.agreements import documents, services
from relais.agreements.models import TextSource


def docx_bytes(paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def odt_bytes(paragraphs):
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", documents.ODT)
        archive.writestr("content.xml", xml)
    return buffer.getvalue()


def test_txt_docx_odt_text_is_extracted():
    txt = documents.check_document(SimpleUploadedFile("v.txt", b"Article 1\nArticle 2"))
    assert (txt.content_type, txt.text) == (documents.TXT, "Article 1\nArticle 2")
    latin = documents.check_document(SimpleUploadedFile("v.txt", "Sécurité".encode("cp1252")))
    assert latin.text == "Sécurité"
    docx = documents.check_document(
        SimpleUploadedFile("v.docx", docx_bytes(["Préambule", "Article 1"]))
    )
    assert (docx.content_type, docx.text) == (documents.DOCX, "Préambule\nArticle 1")
    odt = documents.check_document(
        SimpleUploadedFile("v.odt", odt_bytes(["Article 1", "Article 2"]))
    )
    assert (odt.content_type, odt.text) == (documents.ODT, "Article 1\nArticle 2")


@pytest.mark.parametrize(
    "name, content",
    [
        ("outil.exe", b"MZ\x90\x00"),
        ("image.png", b"\x89PNG\r\n"),
        ("sans-extension", b"texte"),
        ("faux.pdf", b"ceci n'est pas un PDF"),
        ("faux.docx", b"PK\x03\x04 pas une archive"),
        ("faux.odt", docx_bytes(["x"])),
        ("binaire.txt", b"\x00\x01\x02"),
    ],
    # Named ids: the ODT bytes carry a zip timestamp, and ids built from them differ between
    # xdist workers collecting a second apart (« Different tests were collected »).
    ids=lambda value: value if isinstance(value, str) else "contenu",
)
def test_unexpected_types_are_refused(name, content):
    with pytest.raises(ValidationError, match="refusé"):
        documents.check_document(SimpleUploadedFile(name, content))


def test_too_large_and_empty_files_are_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ValidationError, match="trop volumineux"):
        documents.check_document(SimpleUploadedFile("v.txt", b"x" * 11))
    with pytest.raises(ValidationError, match="vide"):
        documents.check_document(SimpleUploadedFile("v.txt", b""))


def test_service_numbers_versions_and_keeps_files_under_media_root(
    make_agreement, users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    agreement = make_agreement()
    v1 = services.add_text_version(
        agreement, users.pilotage, label="Projet", document=SimpleUploadedFile("p.txt", b"A\nB")
    )
    v2 = services.add_text_version(
        agreement, users.pilotage, label="Texte collé", pasted_text="A\nC"
    )
    pdf = services.add_text_version(
        agreement,
        users.pilotage,
        label="PDF numérisé",
        document=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF"),
    )
    assert [v1.number, v2.number, pdf.number] == [1, 2, 3]
    assert v1.text_source == TextSource.EXTRACTED and v2.text_source == TextSource.PASTED
    assert pdf.text_source == TextSource.NONE
    assert str(tmp_path) in v1.document.path
    with pytest.raises(ValidationError):
        services.add_text_version(agreement, users.pilotage, label="Vide")
    with pytest.raises(ValidationError):
        services.add_text_version(
            agreement, users.pilotage, label="Exe", document=SimpleUploadedFile("x.exe", b"MZ")
        )
    assert agreement.versions.count() == 3


def test_compare_counts_changes():
    result = documents.compare("A\nB\nC", "A\nB2\nC\nD")
    assert (result.added, result.removed) == (2, 1)
    assert [line.kind for line in result.lines] == ["same", "removed", "added", "same", "added"]
    assert documents.compare("A", "A").identical
