"""Browser pages of the org app: home, org units, people, data import, jobs."""

from django.urls import path

from . import audit_views, import_views, job_views, privacy_views, views

app_name = "org"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/units/<str:code>/", views.unit_detail, name="unit-detail"),
    path("org/people/search/", views.people_search_view, name="people-search"),
    path(
        "org/people/<str:external_id>/personal-data.json",
        privacy_views.personal_data_download,
        {"fmt": "json"},
        name="person-data-json",
    ),
    path(
        "org/people/<str:external_id>/personal-data.xlsx",
        privacy_views.personal_data_download,
        {"fmt": "xlsx"},
        name="person-data-xlsx",
    ),
    path("org/people/<str:external_id>/anonymize/", privacy_views.person_anonymize_view, name="person-anonymize"),
    path("org/import/", import_views.import_page, name="import"),
    path("org/jobs/", job_views.jobs_list, name="jobs"),
    path("org/jobs/recompute/", job_views.job_start, name="job-start"),
    path("org/jobs/<int:pk>/", job_views.job_detail, name="job-detail"),
    path("org/audit/", audit_views.audit_trail, name="audit"),
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
