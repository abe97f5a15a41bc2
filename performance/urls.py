"""Browser pages of the performance module."""

from django.urls import path

from org.ui.pages import ModuleLandingView

from . import dashboard_views, incentive_views, scorecard_views, team_views, views

app_name = "performance"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="performance/index.html"), name="index"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/", dashboard_views.dashboard, name="dashboard-unit"),
    path("indicators/", views.indicator_library, name="indicators"),
    path("indicators/new/", views.indicator_new, name="indicator-new"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("scorecards/", scorecard_views.scorecard_list, name="scorecards"),
    path("scorecards/new/", scorecard_views.scorecard_edit, name="scorecard-new"),
    path("scorecards/<int:pk>/", scorecard_views.scorecard_detail, name="scorecard"),
    path("scorecards/<int:pk>/edit/", scorecard_views.scorecard_edit, name="scorecard-edit"),
    path("teams/", team_views.team_list, name="teams"),
    path("incentives/", incentive_views.plan_list, name="incentives"),
    path("incentives/<int:pk>/", incentive_views.plan_simulation, name="incentive"),
    path("teams/<int:pk>/", team_views.team_detail, name="team"),
]
