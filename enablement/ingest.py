"""Datasets of the enablement app: learning activities, enrolments, behaviour metrics and observations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from org.ingest import Choice, Dataset, Date, DecimalNumber, Month, Reference, Text, not_before, register_dataset
from org.marks import track_dataset

from .choices import ActivityKind, StageCode
from .models import BehaviourMetric, BehaviourObservation, Enrolment, LearningActivity


def _refresh_readiness(batch, created: int, updated: int) -> None:
    """Enrolments changed: the readiness of the people in the upload, in the same transaction."""
    from .readiness import readiness_refresh

    readiness_refresh(person_ids={pk for pk in batch.values["person"] if pk is not None})


register_dataset(
    Dataset(
        "learning-activities",
        LearningActivity,
        key=("code",),
        fields=[
            Text("code"),
            Text("name"),
            Choice("kind", choices=ActivityKind),
            Choice(
                "journey_stage",
                choices=StageCode,
                help_text=gettext_lazy("Optional: the customer-journey stage the activity serves."),
            ),
            DecimalNumber("hours", min_value=0),
        ],
        label=gettext_lazy("Learning activities"),
        description=gettext_lazy(
            "Courses, role plays, joint visits, recording reviews and coaching; link them to capability items on "
            "the journey map."
        ),
    )
)

register_dataset(
    Dataset(
        "enrolments",
        Enrolment,
        key=("person", "activity"),
        fields=[
            Reference("person", by="external_id"),
            Reference("activity", by="code"),
            Date("enrolled_on", fact=True),
            Date("completed_on", fact=True),
            DecimalNumber("score", min_value=0, max_value=100),
        ],
        label=gettext_lazy("Enrolments"),
        description=gettext_lazy("Who enrolled in which activity, and when they completed it (with a score 0-100)."),
        checks=[not_before("completed_on", "enrolled_on")],
        after_write=_refresh_readiness,
    )
)

register_dataset(
    Dataset(
        "behaviour-metrics",
        BehaviourMetric,
        key=("code",),
        fields=[Text("code"), Text("name"), Text("unit")],
        label=gettext_lazy("Behaviour metrics"),
        description=gettext_lazy(
            "Key customer-facing behaviours counted per person and month, such as needs-discovery interviews."
        ),
    )
)

register_dataset(
    Dataset(
        "behaviour-observations",
        BehaviourObservation,
        key=("person", "metric", "month"),
        fields=[
            Reference("person", by="external_id"),
            Reference("metric", by="code"),
            Month("month", fact=True),
            DecimalNumber("value"),
        ],
        label=gettext_lazy("Behaviour observations"),
        description=gettext_lazy("Each person's value of a behaviour metric in a month (YYYY-MM)."),
    )
)

# Recompute marks: enrolments touch the years of their dates; an activity's new hours change enablement_hours
# of every year it was completed in.
track_dataset("enrolments", dates=("enrolled_on", "completed_on"))
track_dataset("learning-activities", moves=("hours",))
