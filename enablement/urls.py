"""Browser pages of the enablement module."""

from django.urls import path

from .views import activities, drills, maps, overview, people, readiness

app_name = "enablement"

urlpatterns = [
    path("", overview.index, name="index"),
    path("maps/<int:pk>/", maps.map_detail, name="map"),
    path("maps/<int:pk>/copy/", maps.map_copy, name="map-copy"),
    path("stages/<int:pk>/", maps.stage_edit, name="stage-edit"),
    path("stages/<int:stage_pk>/items/new/", maps.item_add, name="item-add"),
    path("items/<int:pk>/", maps.item_edit, name="item-edit"),
    path("activities/", activities.activity_list, name="activities"),
    path("activities/<slug:code>/", activities.activity_detail, name="activity"),
    path("activities/<slug:code>/edit/", activities.activity_edit, name="activity-edit"),
    path("scenarios/", drills.scenario_list, name="scenarios"),
    path("scenarios/new/", drills.scenario_new, name="scenario-new"),
    path("scenarios/<slug:code>/", drills.scenario_detail, name="scenario"),
    path("scenarios/<slug:code>/drill/", drills.drill_new, name="drill-new"),
    path("readiness/", readiness.readiness, name="readiness"),
    path("people/<str:external_id>/", people.person_detail, name="person"),
]
