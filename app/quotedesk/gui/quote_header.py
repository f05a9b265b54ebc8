"""The quote's header fields: customer and region, dates, currency, program, discount."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from quotedesk.core.pricing.taxid import check_tax_id
from quotedesk.core.quotes.model import BILLING_EXPERIENCES, CURRENCIES, PROGRAMS
from quotedesk.gui.open_quote import OpenQuote
from quotedesk.gui.parties_dialog import PartiesDialog
from quotedesk.gui.pickers import FoldingCompleter, typed_choice
from quotedesk.gui.typed_fields import DateField, NumberField
from quotedesk.i18n import countries, folded, subdivisions

# pycountry's subdivision table is slow to load: not before the window is drawn.
SUBDIVISIONS_AFTER_MS = 150


class QuoteHeader(QWidget):
    problem = Signal(str)  # why a field's text is no value ("" once it is one)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: OpenQuote | None = None
        self._subdivisions_of = ""  # the country whose subdivisions the picker lists
        self._countries_in = ""  # the locale the country names are in
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)

        self.customer_name = QLineEdit(placeholderText=self.tr("Customer name"))
        self.country = self._searchable_combo()
        self.subdivision = self._searchable_combo()
        self.city = QLineEdit(placeholderText=self.tr("City (when a rule needs it)"))
        self.tax_id = QLineEdit(placeholderText=self.tr("VAT ID, GSTIN, PAN…"))
        self.tax_id_check = QLabel()
        self.tax_id_check.setWordWrap(True)
        self.exemptions = QPushButton()  # its arrow sits centred on the right, as a combo's
        self.exemptions.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.exemptions_menu = QMenu(self.exemptions)
        self.exemptions.setMenu(self.exemptions_menu)
        self.quote_date = DateField()
        self.start_date = DateField()
        self.currency = self._combo([(c, c) for c in CURRENCIES])
        self.program = self._combo(
            [(p, self.tr(p.replace("_", " ").capitalize())) for p in PROGRAMS]
        )
        self.billing_experience = self._combo(
            [(b, self.tr(b.capitalize())) for b in BILLING_EXPERIENCES]
        )
        self.partner_discount = NumberField(0, 100, decimals=True)
        self.partner_discount.setPlaceholderText("0")
        self.po_number = QLineEdit(placeholderText=self.tr("Customer PO number"))
        self.notes = QLineEdit(placeholderText=self.tr("Notes printed on the quote"))
        self.parties = QPushButton(self.tr("&Parties…"))
        self.parties.setToolTip(self.tr("Licensee address, technical and billing contacts"))
        self.parties_dialog: PartiesDialog | None = None

        rows: list[list[tuple[str, QWidget]]] = [
            [(self.tr("Customer"), self.customer_name), (self.tr("Country"), self.country),
             (self.tr("State/province"), self.subdivision)],
            [(self.tr("City"), self.city), (self.tr("Tax ID"), self.tax_id),
             (self.tr("Exemptions"), self.exemptions)],
            [(self.tr("Quote date"), self.quote_date), (self.tr("Start date"), self.start_date),
             (self.tr("Currency"), self.currency)],
            [(self.tr("Program"), self.program), (self.tr("Billing"), self.billing_experience),
             (self.tr("Partner disc. %"), self.partner_discount)],
        ]  # fmt: skip
        for r, row in enumerate(rows):
            for c, (label, widget) in enumerate(row):
                caption = QLabel(label)
                caption.setBuddy(widget)
                grid.addWidget(caption, r, 2 * c, Qt.AlignmentFlag.AlignRight)
                grid.addWidget(widget, r, 2 * c + 1)
        grid.addWidget(QLabel(self.tr("PO")), 4, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.po_number, 4, 1)
        grid.addWidget(QLabel(self.tr("Notes")), 4, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.notes, 4, 3)
        grid.addWidget(self.parties, 4, 4, 1, 2)
        grid.addWidget(self.tax_id_check, 5, 1, 1, 5)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

        self.customer_name.textEdited.connect(lambda t: self._set(("customer", "name"), t))
        self.city.textEdited.connect(lambda t: self._set(("customer", "city"), t))
        self.tax_id.textEdited.connect(lambda t: self._set(("customer", "tax_id"), t))
        self.po_number.textEdited.connect(lambda t: self._set(("po_number",), t))
        self.notes.textEdited.connect(lambda t: self._set(("notes",), t))
        self.partner_discount.textEdited.connect(
            lambda _: self._set(("partner_discount_pct",), self.partner_discount.value())
        )
        self.country.currentIndexChanged.connect(
            lambda _: self.draft is not None and self.draft.set_country(self.country.currentData())
        )
        self.subdivision.currentIndexChanged.connect(
            lambda _: self._set(("customer", "subdivision"), self.subdivision.currentData())
        )
        for combo, name in (
            (self.currency, "currency"),
            (self.program, "program"),
            (self.billing_experience, "billing_experience"),
        ):
            combo.currentIndexChanged.connect(
                lambda _, c=combo, n=name: self._set((n,), c.currentData())
            )
        self.quote_date.edited.connect(lambda value: self._set(("quote_date",), value))
        self.start_date.edited.connect(lambda value: self._set(("start_date",), value))
        for checked in (self.partner_discount, self.quote_date, self.start_date):
            checked.problem_changed.connect(self.problem)
        self.parties.clicked.connect(self.edit_parties)

    def edit_parties(self) -> None:
        """Address and contacts in a dialog; accepted, they change as one undo step."""
        if self.draft is None:
            return
        customer = self.draft.data.get("customer")
        dialog = PartiesDialog(customer if isinstance(customer, dict) else {}, self)
        dialog.accepted.connect(lambda: self._parties_accepted(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.parties_dialog = dialog
        dialog.open()

    def _parties_accepted(self, dialog: PartiesDialog) -> None:
        changes = dialog.changes()
        if self.draft is None or not changes:
            return
        self.draft.undo_stack.beginMacro(self.tr("Change parties"))
        for path, value in changes.items():
            self.draft.set_field(path, value)
        self.draft.undo_stack.endMacro()

    @staticmethod
    def _combo(items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        for value, label in items:
            combo.addItem(label, value)
        return combo

    def _searchable_combo(self) -> QComboBox:
        """An editable combo whose completer matches anywhere in the name, accents and
        case folded ("kingd", "sao")."""
        combo = _SearchableCombo()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMinimumContentsLength(10)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setCompleter(FoldingCompleter(combo))
        combo.typed().returnPressed.connect(combo.commit_typed)
        return combo

    def _set(self, path: tuple[str, ...], value: Any) -> None:
        if self.draft is not None:
            self.draft.set_field(path, value)

    # Showing a draft

    def set_draft(self, draft: OpenQuote) -> None:
        self.draft = draft
        if self._countries_in != draft.formatter.locale:
            self._countries_in = draft.formatter.locale
            with QSignalBlocker(self.country):
                self.country.clear()
                self.country.addItem("—", "")
                for code, name in countries(draft.formatter.language):
                    self.country.addItem(f"{name} ({code})", code)
        for edit in (self.quote_date, self.start_date):
            edit.show_dates_as(draft.formatter)
        self._fill_exemptions()
        self.refresh()

    def _fill_exemptions(self) -> None:
        assert self.draft is not None
        rules = self.draft.rules
        known = rules.taxes.exemptions
        self.exemptions_menu.clear()
        for name in sorted(known):
            action = self.exemptions_menu.addAction(name.replace("_", " "))
            action.setCheckable(True)
            action.setData(name)
            action.toggled.connect(self._exemptions_toggled)

    def _exemptions_toggled(self) -> None:
        chosen = [a.data() for a in self.exemptions_menu.actions() if a.isChecked()]
        self._set(("customer", "exemptions"), chosen)

    def refresh(self) -> None:
        """Show the draft's values (after an undo, or a new draft) without re-editing it."""
        draft = self.draft
        if draft is None:
            return
        data = draft.data
        customer = data.get("customer") or {}
        country = customer.get("country")
        if self._subdivisions_of != (country or ""):
            self._show_subdivision_code(customer.get("subdivision"))
            QTimer.singleShot(SUBDIVISIONS_AFTER_MS, self.fill_subdivisions)
        for line_edit, value in (
            (self.customer_name, customer.get("name")),
            (self.city, customer.get("city")),
            (self.tax_id, customer.get("tax_id")),
            (self.po_number, data.get("po_number")),
            (self.notes, data.get("notes")),
        ):
            if line_edit.text() != (value or ""):
                with QSignalBlocker(line_edit):
                    line_edit.setText(value or "")
                if not line_edit.hasFocus():
                    line_edit.setCursorPosition(0)  # a long name shows its start
        for combo, value in (
            (self.country, country),
            (self.subdivision, customer.get("subdivision")),
            (self.currency, data.get("currency")),
            (self.program, data.get("program", "none")),
            (self.billing_experience, data.get("billing_experience", "improved")),
        ):
            index = max(combo.findData(value or ""), 0)
            if combo.currentIndex() != index:
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(index)
        self.partner_discount.show_value(data.get("partner_discount_pct"))
        quote_date = data.get("quote_date") or draft.today.isoformat()
        self.quote_date.show_value(quote_date)
        self.start_date.show_value(data.get("start_date") or quote_date)
        chosen = set(customer.get("exemptions") or ())
        for action in self.exemptions_menu.actions():
            with QSignalBlocker(action):
                action.setChecked(action.data() in chosen)
        self.exemptions.setText(
            ", ".join(sorted(e.replace("_", " ") for e in chosen)) or self.tr("None")
        )
        self.parties.setToolTip(
            _parties_summary(customer)
            or self.tr("Licensee address, technical and billing contacts")
        )
        self._show_tax_id_check(customer.get("tax_id"), country)

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.findChildren(QWidget):
            if widget is not self.tax_id_check:
                widget.setEnabled(not read_only)

    def _show_subdivision_code(self, code: str | None) -> None:
        """Until the names are loaded the picker shows the code the quote has."""
        with QSignalBlocker(self.subdivision):
            self.subdivision.clear()
            self.subdivision.addItem("—", "")
            if code:
                self.subdivision.addItem(code, code)
                self.subdivision.setCurrentIndex(1)

    def fill_subdivisions(self) -> None:
        """List the country's states (once per country; later calls return at once)."""
        if self.draft is None:
            return
        customer = self.draft.data.get("customer") or {}
        country = customer.get("country") or ""
        if country == self._subdivisions_of:
            return
        with QSignalBlocker(self.subdivision):
            self.subdivision.clear()
            self.subdivision.addItem("—", "")
            self._subdivisions_of = country
            # Names in the window's language, from pycountry's ISO 3166-2 catalogs.
            names = subdivisions(country, self.draft.formatter.language) if country else ()
            for code, name in names:
                self.subdivision.addItem(f"{name} ({code})", code)
            current = self.subdivision.findData(customer.get("subdivision") or "")
            self.subdivision.setCurrentIndex(max(current, 0))

    def _show_tax_id_check(self, tax_id: str | None, country: str | None) -> None:
        """Validated as typed, offline, with the reason when it is not valid."""
        assert self.draft is not None
        scheme = self.draft.rules.taxes.tax_id_scheme(country or "")
        if not tax_id:
            text, ok = "", True
        elif scheme is None:
            text, ok = self.tr("No offline check for tax IDs of this country"), True
        else:
            check = check_tax_id(scheme, tax_id, country or "")
            if check.valid:
                text = self.tr("✓ Valid {0}: {1}").format(check.kind, check.reason)
            else:
                text = self.tr("✗ Not a valid {0}: {1}").format(check.kind, check.reason)
            ok = check.valid
        self.tax_id_check.setText(text)
        self.tax_id_check.setVisible(bool(text))
        self.tax_id_check.setStyleSheet("" if ok else "color: #b3261e;")


class _SearchableCombo(QComboBox):
    """Leaving the field chooses what was typed, not only a pick from the list."""

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.commit_typed()

    def typed(self) -> QLineEdit:
        edit = self.lineEdit()
        if edit is None:
            raise TypeError("a searchable combo box is editable")
        return edit

    def commit_typed(self) -> None:
        """Choose what was typed ("hungary", "Austr", "sao"): the first name starting
        with it, else the first containing it; text matching nothing shows the current
        choice."""
        typed = self.typed().text()
        if folded(typed.strip()) == folded(self.itemText(self.currentIndex())):
            return  # currentText() is what was typed
        match = typed_choice(self, typed)
        if match >= 0:
            self.setCurrentIndex(match)
        self.typed().setText(self.itemText(self.currentIndex()))


def _parties_summary(customer: dict[str, Any]) -> str:
    """The parties as the button's tooltip shows them: address, then each contact."""
    parts = [customer.get("address")]
    for key in ("technical_contact", "billing_contact"):
        person = customer.get(key)
        if isinstance(person, dict):
            parts.append(" ".join(str(v) for v in (person.get("name"), person.get("email")) if v))
    return "\n".join(p for p in parts if isinstance(p, str) and p)
