"""Browser pages of the enablement module."""

from django.urls import path

from . import views

app_name = "enablement"

urlpatterns = [
    path("", views.index, name="index"),
    path("maps/<int:pk>/", views.map_detail, name="map"),
    path("maps/<int:pk>/copy/", views.map_copy, name="map-copy"),
    path("stages/<int:pk>/", views.stage_edit, name="stage-edit"),
    path("stages/<int:stage_pk>/items/new/", views.item_add, name="item-add"),
    path("items/<int:pk>/", views.item_edit, name="item-edit"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/<slug:code>/", views.activity_detail, name="activity"),
    path("activities/<slug:code>/edit/", views.activity_edit, name="activity-edit"),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/new/", views.scenario_new, name="scenario-new"),
    path("scenarios/<slug:code>/", views.scenario_detail, name="scenario"),
    path("scenarios/<slug:code>/drill/", views.drill_new, name="drill-new"),
    path("readiness/", views.readiness, name="readiness"),
    path("people/<str:external_id>/", views.person_detail, name="person"),
]
