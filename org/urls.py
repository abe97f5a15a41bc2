"""Browser pages of the org app: home, org units, people, data import, jobs."""

from django.urls import path

from . import import_views, views

app_name = "org"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/units/<str:code>/", views.unit_detail, name="unit-detail"),
    path("org/import/", import_views.import_page, name="import"),
    path(
        "org/import/<slug:dataset>/template.csv",
        import_views.import_template,
        {"fmt": "csv"},
        name="import-template-csv",
    ),
    path(
        "org/import/<slug:dataset>/template.xlsx",
        import_views.import_template,
        {"fmt": "xlsx"},
        name="import-template-xlsx",
    ),
]
