"""PDF quotes: ReportLab rendering, embedded quote data, pyHanko signatures (no Qt here).

The renderer takes an already priced quote and never prices anything, so a stored
revision prints exactly as it was saved.
"""

from typing import Any

from quotedesk.pdf.document import PdfError, QuoteDocument, fingerprint, write_pdf
from quotedesk.pdf.embedded import read_embedded
from quotedesk.pdf.render import render_quote_pdf

__all__ = [
    "PdfError",
    "QuoteDocument",
    "Verification",
    "fingerprint",
    "load_signer",
    "read_embedded",
    "render_quote_pdf",
    "sign_pdf",
    "verify_pdf",
    "write_pdf",
]


def __getattr__(name: str) -> Any:
    # pyHanko takes longer to import than a quote takes to render: loaded when signing.
    if name in ("load_signer", "sign_pdf", "verify_pdf", "Verification"):
        from quotedesk.pdf import signing

        return getattr(signing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
