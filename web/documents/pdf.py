"""Official documents as A4 PDFs (WeasyPrint with Noto CJK): red letterhead, document number, page
numbers "— 1 —" at the foot (GB/T 9704-2012 style), the issuing office and its seal image."""

from __future__ import annotations

from django.template.loader import render_to_string

from .kinds import Document


def render_html(document: Document) -> str:
    return render_to_string(document.template, {"doc": document, "office": document.office, **document.context})


def render_pdf(document: Document) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which pages that never print should not pay for.
    from weasyprint import HTML

    return HTML(string=render_html(document)).write_pdf()
