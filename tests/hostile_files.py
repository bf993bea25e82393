"""Hostile files for the loaders, built on the spot (nothing downloaded): the shapes of issue 15.

Shared by tests/test_security_bombs.py (small sizes where the behaviour is the same) and
benchmarks/bench_hostile.py (the sizes of the issue). Each builder returns (file name, bytes).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from tests.pdf_bytes import serialise_pdf

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
GOOD_PARAGRAPH = "Regional banks reported stronger loan growth as funding costs eased."


def _package(parts: dict[str, bytes | Callable[[io.BufferedIOBase], None]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        for name, body in parts.items():
            if callable(body):
                with package.open(name, "w", force_zip64=True) as part:
                    body(part)
            else:
                package.writestr(name, body)
    return out.getvalue()


def _paragraph(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _document(body: str) -> bytes:
    return f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode()


def lying_zip_docx(inflated_mb: int = 2200) -> tuple[str, bytes]:
    """A DOCX whose zip directory (central and local headers) declares document.xml at 2 KB while
    its deflate stream inflates to `inflated_mb` MB."""

    def write(part: io.BufferedIOBase) -> None:
        part.write(_document(_paragraph(GOOD_PARAGRAPH))[:-len("</w:body></w:document>")])
        block = b" " * (1 << 20)
        for _ in range(inflated_mb):
            part.write(block)
        part.write(b"</w:body></w:document>")

    data = bytearray(_package({"word/document.xml": write}))
    name = b"word/document.xml"
    # Local header: sizes at offset 18 (compressed) and 22 (uncompressed), or in a zip64 extra field.
    lie = 2048
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:
        name_len, extra_len = struct.unpack_from("<HH", data, pos + 26)
        if data[pos + 30 : pos + 30 + name_len] == name:
            struct.pack_into("<I", data, pos + 22, lie)
            _lie_zip64(data, pos + 30 + name_len, extra_len, lie)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        name_len, extra_len = struct.unpack_from("<HH", data, pos + 28)
        if data[pos + 46 : pos + 46 + name_len] == name:
            if struct.unpack_from("<I", data, pos + 24)[0] != 0xFFFFFFFF:
                struct.pack_into("<I", data, pos + 24, lie)
            _lie_zip64(data, pos + 46 + name_len, extra_len, lie)
        pos += 4
    return "lying-zip.docx", bytes(data)


def _lie_zip64(data: bytearray, start: int, length: int, lie: int) -> None:
    """Set the uncompressed size in a zip64 extra field (its first 8 bytes) to `lie`."""
    pos = start
    while pos + 4 <= start + length:
        tag, size = struct.unpack_from("<HH", data, pos)
        if tag == 0x0001 and size >= 8:
            struct.pack_into("<Q", data, pos + 4, lie)
        pos += 4 + size


def many_paragraphs_docx(count: int = 283_000) -> tuple[str, bytes]:
    """A small DOCX with `count` paragraphs, each with a paragraph style (python-docx looked each
    style up by a search over all styles, per paragraph)."""
    styles = (f'<?xml version="1.0"?><w:styles xmlns:w="{W}">'
              '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>')
    body = "".join(_paragraph(f"Item {i % 10} loan growth." if i % 50 else "Section", "Heading1" if i % 50 == 0
                              else "Normal") for i in range(count))
    return "many-paragraphs.docx", _package({"word/document.xml": _document(body), "word/styles.xml": styles.encode()})


def many_styles_docx(styles: int = 64_000, paragraphs: int = 20_000) -> tuple[str, bytes]:
    """A DOCX defining `styles` styles, its paragraphs using the last ones defined."""
    defs = "".join(f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="Style {i}"/></w:style>'
                   for i in range(styles))
    body = "".join(_paragraph(f"Paragraph {i} on credit spreads.", f"S{styles - 1 - i % 100}") for i in range(paragraphs))
    return "many-styles.docx", _package({
        "word/document.xml": _document(body),
        "word/styles.xml": f'<?xml version="1.0"?><w:styles xmlns:w="{W}">{defs}</w:styles>'.encode(),
    })


def one_line_text(mb: int = 49) -> tuple[str, bytes]:
    """`mb` MB of prose on one line: no newline anywhere."""
    sentence = b"Small caps rallied as yields fell and credit spreads narrowed in the quarter "
    return "one-line.txt", (sentence * (mb * 1024 * 1024 // len(sentence) + 1))[: mb * 1024 * 1024]


def big_html(mb: int = 45) -> tuple[str, bytes]:
    """An HTML page of `mb` MB of paragraphs."""
    rows = [f"<div class='c'><p>Row {i}: small caps earnings and loan growth, note {i * 7}.</p></div>\n".encode()
            for i in range(1000)]
    block = b"".join(rows)
    body = block * (mb * 1024 * 1024 // len(block) + 1)
    return f"big-{mb}mb.html", b"<!DOCTYPE html><html><head><title>Big page</title></head><body><article>" + \
        body[: mb * 1024 * 1024] + b"</article></body></html>"


def pdf_stream_bomb(inflated_mb: int = 120) -> tuple[str, bytes]:
    """A PDF whose one page's content stream inflates to `inflated_mb` MB (past pypdf's limit)."""
    content = b"BT /F1 12 Tf 72 720 Td (Deflated bomb) Tj ET\n" + b" " * (inflated_mb * 1024 * 1024)
    stream = zlib.compress(content, 9).decode("latin-1")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>",
    ]
    return "stream-bomb.pdf", serialise_pdf(objects)


# The set the benchmark measures, at the sizes of the issue.
HOSTILE: dict[str, Callable[[], tuple[str, bytes]]] = {
    "lying zip directory (2.2 GB inflated)": lying_zip_docx,
    "283k paragraphs": many_paragraphs_docx,
    "64k styles": many_styles_docx,
    "49 MB one-line text": one_line_text,
    "45 MB HTML": big_html,
    "7 MB HTML (read whole)": lambda: big_html(7),
    "PDF stream bomb": pdf_stream_bomb,
}
