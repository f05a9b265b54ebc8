"""What a person does, for every front end: each change made from the window or the
command line is one call into a module here, by subject (quotes, pdf, renewals,
licences, price_books, profile), and says what it changed (changes.OpChanges). The
window and `quotedesk` both call these, so a quote saved, exported or imported is
priced and kept the same way whichever front end did it. No Qt here; the store,
ReportLab and pyHanko load only when an operation needs them."""
