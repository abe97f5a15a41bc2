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
