"""Tiny hand-built PDFs for loader tests: pypdf can read PDFs but not write text into them."""

from __future__ import annotations


def serialise_pdf(objects: list[str], info: int | None = None) -> bytes:
    """A PDF whose object n (1-based) is `objects[n-1]`, with a correct xref table.

    Object 1 must be the catalog; `info` names the document-information object, if any.
    """
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    info_ref = f" /Info {info} 0 R" if info is not None else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
