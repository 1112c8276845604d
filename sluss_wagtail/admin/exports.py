"""What every spreadsheet export of the sluice shares: cells that cannot run as formulas.

Ideas come from the public, so a title like ``=HYPERLINK(...)`` must stay text in
whatever program opens the file. The inbox, the innovation report and the
register export all mix this into Wagtail's ``SpreadsheetExportMixin`` views.
"""

# A spreadsheet program runs a cell that starts with one of these as a formula;
# ideas come from the public.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """``value`` with a leading apostrophe if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """Neutralise formulas in CSV cells; openpyxl already stores XLSX cells like these as text
    (Wagtail's ``generate_xlsx_row`` turns detected formulas back into strings)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            value = neutralise_formula(value)
        return value
