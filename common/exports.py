"""Spreadsheet downloads (CSV and XLSX) whose cells stay data when a spreadsheet opens them.

Names, structures and skill names come from members: a value such as ``=HYPERLINK(…)`` would
become a live formula in Excel or LibreOffice (CSV injection). Every export of the site writes
through ``csv_response`` or ``xlsx_response``, which neutralise text as OWASP recommends: a
value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, and XLSX cells holding text are typed as strings, never formulas. Numbers stay
numbers (counts computed by the site, not typed by anyone).
"""

import csv
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a spreadsheet reads it without evaluating it: text that a spreadsheet would
    take for a formula gets a leading apostrophe; numbers and ``None`` pass unchanged."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, filename):
    """A streamed CSV that Excel opens right: UTF-8 with a BOM, ``;`` between fields."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([neutralise(value) for value in row])

    return _attachment(StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), filename)


def _cell(sheet, value, font=None):
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    if isinstance(cell.value, str):
        # openpyxl guesses the type from the value; text is written as text, whatever it looks like.
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def xlsx_response(title, rows, filename):
    """One sheet named ``title``, the first row in bold and frozen, every text cell a string."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        sheet.append([_cell(sheet, value, bold if index == 0 else None) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)
