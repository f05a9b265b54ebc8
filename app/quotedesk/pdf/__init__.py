"""PDF quotes: ReportLab rendering, embedded quote data, pyHanko signatures (no Qt here).

The renderer takes an already priced quote and never prices anything, so a stored
revision prints exactly as it was saved.
"""

from quotedesk.pdf.document import PdfError, QuoteDocument, fingerprint
from quotedesk.pdf.embedded import read_embedded
from quotedesk.pdf.render import render_quote_pdf

__all__ = ["PdfError", "QuoteDocument", "fingerprint", "read_embedded", "render_quote_pdf"]
