"""Uploaded versions of a text: what is accepted, what text is extracted, how two are compared.

Accepted: PDF, DOCX, ODT and plain text, up to `MAX_UPLOAD_BYTES` (settings
`RELAIS_AGREEMENT_MAX_UPLOAD_BYTES`, 10 Mo by default). The type is judged on the content (the
first bytes, the members of the zip archive), not only on the name the browser sends.

What is compared: the text of each version, which comes
- from a TXT file directly (UTF-8, else Windows-1252);
- from a DOCX or ODT file: the paragraphs of the document body (not the headers, footers,
  footnotes, comments nor tracked changes);
- from a PDF: the text layer, with `pypdf` when it is installed (a scanned PDF has none);
- or, when nothing could be extracted, from the text the user pastes with the version.
The comparison (`compare`) is a line-by-line `difflib` diff of those texts.
"""

import difflib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_UPLOAD_BYTES = int(getattr(settings, "RELAIS_AGREEMENT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
#: Largest uncompressed XML read from a DOCX/ODT archive (protects against zip bombs).
MAX_XML_BYTES = 20 * 1024 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PDF = "application/pdf"
TXT = "text/plain"
EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".odt": ODT, ".txt": TXT}
ACCEPT = ",".join(EXTENSIONS)

TYPE_MESSAGE = (
    "Type de document refusé : seuls les fichiers PDF, DOCX, ODT et texte (TXT) sont acceptés."
)


@dataclass(frozen=True)
class CheckedDocument:
    content_type: str
    size: int
    text: str


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def _zip_member(data: bytes, name: str) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo(name)
            except KeyError:
                return None
            if info.file_size > MAX_XML_BYTES:
                raise ValidationError("Document trop volumineux une fois décompressé.")
            return archive.read(info)
    except zipfile.BadZipFile:
        return None


def _parse_xml(xml: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return None


def _local(node) -> str:
    tag = node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _docx_text(data: bytes) -> str | None:
    xml = _zip_member(data, "word/document.xml")
    root = _parse_xml(xml) if xml is not None else None
    if root is None:
        return None
    lines = []
    for paragraph in root.iter():
        if _local(paragraph) != "p":
            continue
        parts = []
        for node in paragraph.iter():
            local = _local(node)
            if local == "t" and node.text:
                parts.append(node.text)
            elif local == "tab":
                parts.append("\t")
            elif local == "br":
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines).strip()


def _odt_text(data: bytes) -> str | None:
    mimetype = _zip_member(data, "mimetype")
    if mimetype is None or mimetype.strip() != ODT.encode():
        return None
    xml = _zip_member(data, "content.xml")
    root = _parse_xml(xml) if xml is not None else None
    if root is None:
        return None
    lines = ["".join(node.itertext()) for node in root.iter() if _local(node) in {"p", "h"}]
    return "\n".join(lines).strip()


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:  # pypdf is optional: the user pastes the text instead
        return ""
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages).strip()
    except Exception:  # a damaged or encrypted PDF: no text, the file itself is kept
        return ""


def _plain_text(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def check_document(uploaded) -> CheckedDocument:
    """Validate an uploaded file (size, type judged on its content) and extract its text.

    Raises `ValidationError` with a French message for a file of another type or too large.
    """
    size = uploaded.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"Document trop volumineux ({filesizeformat(size)}) : la taille maximale est de "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}.",
            code="too_large",
        )
    if size == 0:
        raise ValidationError("Le document est vide.", code="empty")
    expected = EXTENSIONS.get(_extension(uploaded.name or ""))
    if expected is None:
        raise ValidationError(TYPE_MESSAGE, code="type")
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    text: str | None
    if expected == PDF:
        text = _pdf_text(data) if data.startswith(b"%PDF-") else None
    elif expected == DOCX:
        text = _docx_text(data) if data.startswith(b"PK") else None
    elif expected == ODT:
        text = _odt_text(data) if data.startswith(b"PK") else None
    else:
        text = _plain_text(data)
    if text is None:
        raise ValidationError(
            f"Le contenu du fichier ne correspond pas à son extension ({_extension(uploaded.name)})"
            f". {TYPE_MESSAGE}",
            code="type",
        )
    return CheckedDocument(content_type=expected, size=size, text=text)


# --- Comparison --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "skip"
    text: str
    old_number: int | None = None
    new_number: int | None = None


@dataclass(frozen=True)
class Comparison:
    lines: list[DiffLine]
    added: int
    removed: int

    @property
    def identical(self) -> bool:
        return not self.added and not self.removed


def compare(old: str, new: str, context: int = 3) -> Comparison:
    """A line-by-line comparison of two texts (unchanged runs longer than `context` lines on
    each side of a change are folded)."""
    old_lines = old.splitlines()
    new_lines = new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    lines: list[DiffLine] = []
    added = removed = 0
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("skip", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for offset, text in enumerate(old_lines[i1:i2]):
                    lines.append(DiffLine("same", text, i1 + offset + 1, j1 + offset + 1))
                continue
            if tag in ("replace", "delete"):
                for offset, text in enumerate(old_lines[i1:i2]):
                    lines.append(DiffLine("removed", text, old_number=i1 + offset + 1))
                    removed += 1
            if tag in ("replace", "insert"):
                for offset, text in enumerate(new_lines[j1:j2]):
                    lines.append(DiffLine("added", text, new_number=j1 + offset + 1))
                    added += 1
    return Comparison(lines, added, removed)


@dataclass(frozen=True)
class VersionComparison:
    """Two versions picked for a comparison, and the comparison or why there is none."""

    old: object | None
    new: object | None
    comparison: Comparison | None
    error: str = ""


def compare_versions(versions, old_number=None, new_number=None) -> VersionComparison:
    """Compare the versions numbered `old_number` and `new_number` among `versions` (by default
    the last two), for the page « Comparer deux versions » and the API alike."""
    by_number = {v.number: v for v in versions}

    def pick(number, default):
        try:
            return by_number.get(int(default if number in (None, "") else number))
        except (TypeError, ValueError):
            return None

    old = pick(old_number, versions[-2].number if len(versions) > 1 else 0)
    new = pick(new_number, versions[-1].number if versions else 0)
    if len(versions) < 2:
        return VersionComparison(
            old, new, None, "Il faut au moins deux versions du texte pour les comparer."
        )
    if old is None or new is None:
        return VersionComparison(old, new, None, "Choisissez deux versions existantes.")
    if not old.text.strip() or not new.text.strip():
        return VersionComparison(
            old,
            new,
            None,
            "Le texte d'une des deux versions n'a pas pu être extrait de son document : "
            "ajoutez une version avec le texte collé pour la comparer.",
        )
    return VersionComparison(old, new, compare(old.text, new.text))


def version_file_response(user, version):
    """The uploaded document of `version`, only through an access-checked view or endpoint
    (never served directly); the download goes to the access log. 404 without a file."""
    from django.http import FileResponse, Http404

    from relais.core.audit.events import log_read

    if not version.document:
        raise Http404("Cette version n'a pas de document joint.")
    try:
        handle = version.document.open("rb")
    except FileNotFoundError:
        raise Http404("Le document de cette version est introuvable.") from None
    log_read(user, version)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name or version.document.name.rsplit("/", 1)[-1],
        content_type=version.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
