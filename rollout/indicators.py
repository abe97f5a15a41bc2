"""The rollout app's contribution to the indicator engine: ``playbooks_captured`` counts recorded stories."""

from __future__ import annotations

from performance.engine import Additive, indicator_computation

# A story counts once, in the month it was recorded, for its unit and its teller (DESIGN.md section 5).
indicator_computation(
    "playbooks_captured",
    Additive(
        source="rollout_story f",
        unit="f.org_unit_id",
        owner="f.owner_id",
        date="f.recorded_on",
        numerator="1",
        denominator="1",
        constant_denominator=True,
    ),
)
