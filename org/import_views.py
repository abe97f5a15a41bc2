"""Browser import for HR leads: pick a dataset, download its template, upload a CSV/XLSX file.

The page calls the same ingest service as ``POST /api/v1/ingest/<dataset>/``: the
same parsing, the same row errors, one transaction, nothing written on any error.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .ingest import UnknownDataset, all_datasets, get_dataset
from .ingest.describe import dataset_describe, template_file
from .ingest.service import ingest_file

MODE_CHECK = "check"
MODE_IMPORT = "import"


class ImportForm(forms.Form):
    """Which dataset, which file, and whether to only check it or to import it."""

    dataset = forms.ChoiceField(label=gettext_lazy("Dataset"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8) or XLSX; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("What to do"),
        choices=[
            (MODE_CHECK, gettext_lazy("Check only: report errors and counts, write nothing")),
            (MODE_IMPORT, gettext_lazy("Import: write the rows if every row is valid")),
        ],
        initial=MODE_CHECK,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [(dataset.name, dataset.label) for dataset in all_datasets()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = int(settings.INGEST_MAX_UPLOAD_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; split it into several uploads.")
                % {"size": limit // (1024 * 1024)}
            )
        return upload


@login_required
@permission_required("org.ingest_data", raise_exception=True)
def import_page(request):
    """The import page: dataset fields and templates, the upload form, then errors or counts."""
    datasets = all_datasets()
    chosen = request.POST.get("dataset") or request.GET.get("dataset") or (datasets[0].name if datasets else "")
    try:
        dataset = get_dataset(chosen) if chosen else None
    except UnknownDataset:
        dataset = datasets[0] if datasets else None
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            dataset = get_dataset(form.cleaned_data["dataset"])
            upload = form.cleaned_data["file"]
            result = ingest_file(
                dataset=dataset,
                data=upload.read(),
                filename=upload.name or "",
                content_type=getattr(upload, "content_type", "") or "",
                dry_run=form.cleaned_data["mode"] == MODE_CHECK,
                user=request.user,
            )
    else:
        form = ImportForm(initial={"dataset": dataset.name if dataset else "", "mode": MODE_CHECK})
    context = {
        "form": form,
        "datasets": datasets,
        "dataset": dataset,
        "spec": dataset_describe(dataset) if dataset else None,
        "result": result,
        "max_rows": int(settings.INGEST_MAX_ROWS),
    }
    return render(request, "org/import.html", context)


@login_required
@permission_required("org.ingest_data", raise_exception=True)
def import_template(request, dataset, fmt):
    """Download a dataset's template (CSV or XLSX)."""
    try:
        target = get_dataset(dataset)
    except UnknownDataset as exc:
        raise Http404(str(exc)) from None
    content, content_type, filename = template_file(target, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
