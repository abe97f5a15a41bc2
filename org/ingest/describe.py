"""What a dataset accepts, for integrators (JSON) and for people filling a template (CSV, XLSX)."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.utils.translation import gettext as _

from .fields import Reference
from .parsing import XLSX_CONTENT_TYPE
from .registry import Dataset, dataset_for_model


def dataset_describe(dataset: Dataset) -> dict:
    """Name, label, key and fields (name, type, required, key, choices, references, limits)."""
    fields = []
    for field in dataset.fields:
        info = field.describe()
        info["key"] = dataset.is_key(field.name)
        if isinstance(field, Reference):
            target = dataset_for_model(field.target_model, field.by)
            if target is not None:
                info["references"] = target.name
        fields.append(info)
    return {
        "name": dataset.name,
        "label": str(dataset.label),
        "description": str(dataset.description),
        "key": list(dataset.key),
        "max_rows": int(settings.INGEST_MAX_ROWS),
        "fields": fields,
    }


def template_csv(dataset: Dataset) -> bytes:
    """A CSV file with the header row only (UTF-8 with a byte-order mark, so Excel reads it as UTF-8)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(dataset.field_names)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _field_notes(info: dict) -> str:
    notes = []
    if "choices" in info:
        notes.append(_("one of: %(choices)s") % {"choices": ", ".join(info["choices"])})
    if "format" in info:
        notes.append(info["format"])
    if "latest" in info:
        notes.append(_("at most a year ahead: not after %(latest)s") % {"latest": info["latest"]})
    if "references" in info:
        notes.append(_("%(field)s of %(dataset)s") % {"field": info["by"], "dataset": info["references"]})
    if "max_length" in info:
        notes.append(_("at most %(max)d characters") % {"max": info["max_length"]})
    if "min" in info or "max" in info:
        notes.append(_("from %(min)s to %(max)s") % {"min": info.get("min", "…"), "max": info.get("max", "…")})
    if info.get("help"):
        notes.append(info["help"])
    return "; ".join(notes)


def template_xlsx(dataset: Dataset) -> bytes:
    """A workbook: the data sheet with the header row (and drop-down lists for choices), plus a sheet of notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    described = dataset_describe(dataset)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = dataset.name[:31]
    sheet.append(dataset.field_names)
    bold = Font(bold=True)
    rows = int(settings.INGEST_MAX_ROWS) + 1
    for column, info in enumerate(described["fields"], start=1):
        letter = get_column_letter(column)
        sheet.cell(row=1, column=column).font = bold
        sheet.column_dimensions[letter].width = max(14, len(info["name"]) + 4)
        if info["type"] in ("text", "email", "reference", "date", "month"):
            # Keep codes such as 007 and dates typed as text exactly as typed.
            sheet.column_dimensions[letter].number_format = "@"
        choices = info.get("choices")
        if choices and len(",".join(choices)) < 250:
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{rows}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("fields")[:31])
    notes.append([_("field"), _("type"), _("required"), _("key"), _("notes")])
    for cell in notes[1]:
        cell.font = bold
    for info in described["fields"]:
        notes.append(
            [
                info["name"],
                info["type"],
                _("yes") if info["required"] else _("no"),
                _("yes") if info["key"] else "",
                _field_notes(info),
            ]
        )
    for letter, width in zip("ABCDE", (18, 12, 10, 6, 70), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_file(dataset: Dataset, fmt: str) -> tuple[bytes, str, str]:
    """The template as (content, content type, file name); ``fmt`` is ``csv`` or ``xlsx``."""
    if fmt == "xlsx":
        return template_xlsx(dataset), XLSX_CONTENT_TYPE, f"{dataset.name}-template.xlsx"
    return template_csv(dataset), "text/csv; charset=utf-8", f"{dataset.name}-template.csv"
