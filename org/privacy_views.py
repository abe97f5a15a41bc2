"""A person's personal data for HR leads: download everything stored about them (JSON or XLSX), or anonymize
them after a page that says plainly what changes. Both leave a line in the audit trail."""

from __future__ import annotations

import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Font

from .exports import safe_row
from .models import Person
from .privacy import person_anonymize, person_export_logged
from .selectors import people_visible

CHANGE_PERSON = "org.change_person"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_LENGTH = 31  # Excel's limit
SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def _person(request, external_id: str) -> Person:
    person = people_visible(request.user).filter(external_id=external_id).first()
    if person is None:
        raise Http404
    return person


def _sheet_title(label: str, taken: set[str]) -> str:
    title = label.translate(SHEET_FORBIDDEN)[:SHEET_TITLE_LENGTH]
    number = 2
    while title in taken:
        suffix = f" {number}"
        title = label.translate(SHEET_FORBIDDEN)[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(title)
    return title


def _cells(values) -> list:
    """A row for a sheet: JSON fields (lists, objects) as their JSON text, formulas quoted."""
    return safe_row(
        [
            json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, list | dict) else value
            for value in values
        ]
    )


def personal_data_xlsx(data: dict) -> bytes:
    """The export as a workbook: the person's record (field, value) first, then one sheet per kind of row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Person")[:SHEET_TITLE_LENGTH]
    sheet.append([_("Field"), _("Value")])
    for key, value in data["person"].items():
        sheet.append(_cells([key, value]))
    taken = {sheet.title}
    for label, rows in data["related"].items():
        sheet = workbook.create_sheet(_sheet_title(label, taken))
        columns = list(rows[0])
        sheet.append(columns)
        for row in rows:
            sheet.append(_cells([row.get(column) for column in columns]))
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
@permission_required(CHANGE_PERSON, raise_exception=True)
@require_GET
def personal_data_download(request, external_id: str, fmt: str):
    """Everything stored about the person, as a JSON or XLSX download."""
    person = _person(request, external_id)
    data = person_export_logged(person=person, actor=request.user, fmt=fmt)
    if fmt == "xlsx":
        response = HttpResponse(personal_data_xlsx(data), content_type=XLSX)
    else:
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.{fmt}"'
    return response


@login_required
@permission_required(CHANGE_PERSON, raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_anonymize_view(request, external_id: str):
    """GET: what anonymizing the person changes and keeps; POST: do it (it cannot be undone)."""
    person = _person(request, external_id)
    if request.method == "POST":
        name = person.name
        person = person_anonymize(person=person, actor=request.user)
        messages.success(
            request,
            _("%(name)s is anonymized: the person now reads as “%(anonymous)s” (%(id)s) everywhere.")
            % {"name": name, "anonymous": person.name, "id": person.external_id},
        )
        return redirect("org:unit-detail", code=person.org_unit.code)
    return render(request, "org/person_anonymize.html", {"person": person})
