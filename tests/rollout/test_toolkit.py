"""The toolkit zip holds the named files, and they open."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from org.choices import PersonRole
from performance.models import Scorecard, ScorecardItem
from rollout.toolkit import TOOLKIT_FILES


def test_toolkit_zip_contains_the_named_files_and_they_open(client, program, co_leads, indicators, org_tree):
    card = Scorecard.objects.create(name="East reps", role=PersonRole.SALES_REP, org_unit=org_tree["EAST"])
    ScorecardItem.objects.create(
        scorecard=card, indicator=indicators["win_rate"], weight=Decimal(100), target=Decimal(50), timing="lagging"
    )
    Scorecard.objects.create(name="West only", role=PersonRole.SALES_REP, org_unit=org_tree["WEST"])
    client.force_login(co_leads[1])
    response = client.get(reverse("rollout:toolkit", args=[program.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(BytesIO(response.content))
    assert archive.namelist() == list(TOOLKIT_FILES)
    scorecards = load_workbook(BytesIO(archive.read("scorecards.xlsx"))).active
    rows = list(scorecards.iter_rows(values_only=True))
    assert rows[0][0] == "Scorecard"
    assert [row[0] for row in rows[1:]] == ["East reps"]
    library = load_workbook(BytesIO(archive.read("indicator_library.xlsx"))).active
    codes = {row[0] for row in library.iter_rows(min_row=2, values_only=True)}
    assert set(indicators) <= codes
    readme = archive.read("README.md").decode()
    assert "East conversion" in readme
    assert "lead_conversion_rate" in readme or indicators["lead_conversion_rate"].name in readme
    for name in ("success_profile_card.md", "journey_map.md", "customer_project_team_handbook.md"):
        assert archive.read(name).decode().startswith("# ")


def test_toolkit_journey_map_is_the_enablement_map_with_its_gaps(program, co_leads, client):
    from enablement.models import CapabilityItem
    from enablement.services import learning_activity_save

    item = CapabilityItem.objects.get(stage__journey_map__is_builtin=True, code="needs-discovery")
    learning_activity_save(code="w1", name="Needs workshop", kind="role_play", capability_items=[item])
    client.force_login(co_leads[1])
    archive = zipfile.ZipFile(BytesIO(client.get(reverse("rollout:toolkit", args=[program.pk])).content))
    text = archive.read("journey_map.md").decode()
    assert "## Default customer-journey enablement map" in text
    assert "### 2. Consideration" in text
    assert "- Needs-discovery interviews (level 3 required); Activities: Needs workshop" in text
    assert "Building first trust" in text.split("**Coverage gaps**")[1]


def test_spreadsheet_cells_that_look_like_formulas_are_quoted():
    from org.exports import safe_row

    assert safe_row(["=HYPERLINK(1)", "+1", "-2", "@sum", "plain", 5, None]) == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-2",
        "'@sum",
        "plain",
        5,
        None,
    ]


def test_toolkit_readme_prints_baselines_and_targets_by_the_indicators_unit(program):
    from rollout.toolkit import readme_md

    # given targets of 40 (stored Decimal("40.0000")) and no baseline yet
    readme = readme_md(program)
    # then a rate reads as a percentage, a score as a score, a missing baseline as a dash
    assert "| Win rate | Lagging | – | 40.0 % |" in readme
    assert "| Net promoter score | Lagging | – | 40.0 |" in readme
