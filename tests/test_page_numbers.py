"""Every number a person reads on the main pages, over the small demo (seed 1, recomputed), in both languages:
never in scientific notation ("6E+1"), money always with the currency, no ungrouped long figures."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from diagnosis.models import AssessmentRound, Questionnaire
from enablement.models import LearningActivity, Scenario
from org.models import OrgUnit, Person
from performance.models import CustomerProjectTeam, IncentivePlan, Scorecard
from rollout.models import Program
from talent.models import Candidate, SuccessProfile
from tests.org.test_seed_demo import _seed
from tests.page_text import visible_text

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("page-numbers")]

SCIENTIFIC = re.compile(r"\d[Ee][+-]?\d")
# Five or more digits in a row (no leading zero, outside a code, a date or an id): a figure printed without its
# separators. Demo names such as "客户 0000162" start with a zero.
UNGROUPED = re.compile(r"(?<![\w.,/:-])[1-9]\d{4,}(?:\.\d+)?(?![\w/:-])")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed(1, recompute=True)
        transaction.set_rollback(True)


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def _pages() -> list[tuple[str, dict]]:
    """The main pages, each with one object of the demo where the page shows one."""
    company = OrgUnit.objects.get(kind="company")
    pages = [
        (reverse("performance:dashboard"), {}),
        (reverse("performance:indicators"), {}),
        (reverse("performance:scorecards"), {}),
        (reverse("performance:incentives"), {}),
        (reverse("performance:teams"), {}),
        (reverse("diagnosis:compare"), {}),
        (reverse("diagnosis:unit-radar", args=[company.code]), {}),
        (reverse("diagnosis:unit-trend", args=[company.code]), {}),
        (reverse("talent:profiles"), {}),
        (reverse("talent:supply"), {}),
        (reverse("talent:candidates"), {}),
        (reverse("enablement:index"), {}),
        (reverse("enablement:activities"), {}),
        (reverse("enablement:readiness"), {}),
        (reverse("rollout:programs"), {}),
    ]
    detail = [
        (Scorecard, "performance:scorecard", "pk", {"period_start": "2025-10"}),
        (IncentivePlan, "performance:incentive", "pk", {"unit": company.code, "period_start": "2025-10"}),
        (CustomerProjectTeam, "performance:team", "pk", {}),
        (AssessmentRound, "diagnosis:round-results", "pk", {}),
        (Questionnaire, "diagnosis:questionnaire", "pk", {}),
        (SuccessProfile, "talent:profile", "pk", {}),
        (SuccessProfile, "talent:calibration", "pk", {}),
        (Candidate, "talent:candidate", "external_id", {}),
        (LearningActivity, "enablement:activity", "code", {}),
        (Scenario, "enablement:scenario", "code", {}),
        (Person, "enablement:person", "external_id", {}),
        (Program, "rollout:program", "pk", {}),
    ]
    for model, name, key, query in detail:
        obj = _first(model)
        if obj is not None:
            pages.append((reverse(name, args=[getattr(obj, key)]), query))
    return pages


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_page_prints_a_number_in_scientific_notation(seeded, db, client, language):
    client.force_login(User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("root"))
    pages = _pages()
    assert len(pages) >= 25  # the demo has an object for every detail page
    offending = {}
    for url, query in pages:
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        found = SCIENTIFIC.findall(text) + UNGROUPED.findall(text)
        if found:
            offending[url] = found[:5]
    assert offending == {}
