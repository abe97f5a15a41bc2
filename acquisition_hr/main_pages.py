"""The main pages of a seeded company, by name: what the page walk test opens for every role and language, and
what ``benchmarks/pages.py`` times. Detail pages open the first object of their kind (the newest round with
answers), so the list needs a company with at least one of each, as the demo has.
"""

from __future__ import annotations

from django.urls import reverse


def main_pages() -> dict[str, str]:
    """Every main page by name; detail pages for the first object of their kind."""
    from diagnosis.models import AssessmentRound
    from enablement.models import JourneyMap, LearningActivity
    from org.models import OrgUnit
    from performance.models import IncentivePlan, Scorecard
    from rollout.models import Program
    from talent.models import Candidate, SuccessProfile

    pages = {
        "home": reverse("org:home"),
        "dashboard": reverse("performance:dashboard"),
        "indicators": reverse("performance:indicators"),
        "scorecards": reverse("performance:scorecards"),
        "incentives": reverse("performance:incentives"),
        "teams": reverse("performance:teams"),
        "rounds": reverse("diagnosis:rounds"),
        "compare": reverse("diagnosis:compare"),
        "profiles": reverse("talent:profiles"),
        "candidates": reverse("talent:candidates"),
        "supply": reverse("talent:supply"),
        "activities": reverse("enablement:activities"),
        "readiness": reverse("enablement:readiness"),
        "programs": reverse("rollout:programs"),
        "jobs": reverse("org:jobs"),
        "audit": reverse("org:audit"),
    }
    closed = AssessmentRound.objects.filter(responses__submitted_at__isnull=False).order_by("-pk").first()
    detail = {
        "round_results": ("diagnosis:round-results", closed and closed.pk),
        "radar": ("diagnosis:unit-radar", closed and closed.org_unit.code),
        "profile": ("talent:profile", SuccessProfile.objects.order_by("pk").values_list("pk", flat=True).first()),
        "candidate": (
            "talent:candidate",
            Candidate.objects.order_by("pk").values_list("external_id", flat=True).first(),
        ),
        "program": ("rollout:program", Program.objects.order_by("pk").values_list("pk", flat=True).first()),
        "map": ("enablement:map", JourneyMap.objects.order_by("pk").values_list("pk", flat=True).first()),
        "activity": (
            "enablement:activity",
            LearningActivity.objects.order_by("pk").values_list("code", flat=True).first(),
        ),
        "scorecard": ("performance:scorecard", Scorecard.objects.order_by("pk").values_list("pk", flat=True).first()),
        "incentive": (
            "performance:incentive",
            IncentivePlan.objects.order_by("pk").values_list("pk", flat=True).first(),
        ),
        "unit": ("org:unit-detail", OrgUnit.objects.filter(parent__isnull=True).values_list("code", flat=True).first()),
    }
    for name, (url_name, key) in detail.items():
        assert key is not None, f"the demo has nothing for {name}"
        pages[name] = reverse(url_name, args=[key])
    return pages
