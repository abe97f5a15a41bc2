"""The enablement app's contributions to the indicator engine (DESIGN.md section 5).

* ``certification_pass_rate``: drill sessions passed in P / drill sessions held in P (each session is one
  certification attempt), for the unit the person belonged to on the day and for the person.
* ``enablement_hours``: the hours of learning activities completed in P (an activity without hours counts 0),
  for the person's unit and the person.
"""

from __future__ import annotations

from performance.engine import Additive, indicator_computation

indicator_computation(
    "certification_pass_rate",
    Additive(
        source="enablement_drillsession f",
        unit="f.org_unit_id",
        owner="f.person_id",
        date="f.held_on",
        numerator="CASE WHEN f.passed THEN 1 ELSE 0 END",
        denominator="1",
        scale=100,
    ),
)

indicator_computation(
    "enablement_hours",
    Additive(
        source=(
            "enablement_enrolment f JOIN enablement_learningactivity a ON a.id = f.activity_id "
            "JOIN org_person p ON p.id = f.person_id"
        ),
        unit="p.org_unit_id",
        owner="f.person_id",
        date="f.completed_on",
        numerator="COALESCE(a.hours, 0)",
        denominator="1",
        where="f.completed_on IS NOT NULL",
        constant_denominator=True,
    ),
)
