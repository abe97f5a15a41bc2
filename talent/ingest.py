"""Datasets of the talent app: factors, person and candidate attributes, candidates."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.choices import PersonRole
from org.ingest import Choice, Dataset, Date, Field, FieldError, Reference, Text, not_before, register_dataset
from org.ingest.digits import decimal_from_text
from org.ingest.fields import as_text
from org.ingest.validation import Batch

from .choices import CandidateStage, FactorKind, FactorSource
from .models import Candidate, CandidateAttribute, Factor, PersonAttribute
from .stats import FALSE_TEXT, TRUE_TEXT

_TRUE_WORDS = {"true", "1", "yes"}
_FALSE_WORDS = {"false", "0", "no"}


class AttributeValue(Field):
    """A factor value as text; JSON true/false and numbers are accepted and checked against the factor's kind later."""

    type_name = "text"

    def parse(self, value):
        if value is True or value is False:
            return TRUE_TEXT if value else FALSE_TEXT
        text = as_text(value).strip()
        if len(text) > 200:
            raise FieldError(
                _("At most %(max)d characters are allowed (this value has %(length)d).")
                % {
                    "max": 200,
                    "length": len(text),
                }
            )
        return text


def _normalise(kind: str, text: str) -> str:
    """The stored form of a value of a factor of ``kind``, or FieldError when it does not fit the kind."""
    if kind == FactorKind.NUMERIC:
        number = decimal_from_text(text)  # ASCII digits only (full-width ones read as ASCII)
        if number is None:
            raise FieldError(_("“%(value)s” is not a number, but this factor is numeric.") % {"value": text})
        return format(number.normalize(), "f")
    if kind == FactorKind.BOOLEAN:
        word = text.lower()
        if word in _TRUE_WORDS:
            return TRUE_TEXT
        if word in _FALSE_WORDS:
            return FALSE_TEXT
        raise FieldError(
            _("“%(value)s” is not a yes/no value (true/false, 1/0, yes/no), but this factor is yes/no.")
            % {"value": text}
        )
    return text


def _values_fit_their_factor(batch: Batch) -> None:
    """Each value has the type of its factor (numeric, yes/no, categorical); stored in a normalised form."""
    factor_ids = {pk for pk in batch.values["factor"] if pk is not None}
    kinds = dict(Factor.objects.filter(pk__in=factor_ids).values_list("pk", "kind"))
    values = batch.values["value"]
    for index, (factor_id, text) in enumerate(zip(batch.values["factor"], values, strict=True)):
        if factor_id is None or not text:
            continue
        try:
            values[index] = _normalise(kinds[factor_id], text)
        except FieldError as exc:
            batch.error(index, "value", exc.message)


def _factor_kind_kept_with_values(batch: Batch) -> None:
    """A factor that already has values keeps its kind (the stored values were checked against it)."""
    stored = dict(Factor.objects.filter(code__in=[c for c in batch.values["code"] if c]).values_list("code", "kind"))
    changed = {
        code: index
        for index, (code, kind) in enumerate(zip(batch.values["code"], batch.values["kind"], strict=True))
        if code in stored and kind and stored[code] != kind
    }
    if not changed:
        return
    used = set(
        PersonAttribute.objects.filter(factor__code__in=list(changed)).values_list("factor__code", flat=True)
    ) | set(CandidateAttribute.objects.filter(factor__code__in=list(changed)).values_list("factor__code", flat=True))
    for code in used:
        batch.error(
            changed[code],
            "kind",
            _("This factor already has values of kind %(kind)s; create a new factor instead of changing its kind.")
            % {"kind": stored[code]},
        )


def _hired_needs_person(batch: Batch) -> None:
    """Only a hired candidate is linked to the person they became."""
    for index, (stage, person) in enumerate(zip(batch.values["stage"], batch.keys["hired_as"], strict=True)):
        if person and stage != CandidateStage.HIRED:
            batch.error(index, "hired_as", _("Only a hired candidate can be linked to a person."))


def _rescore_candidates(batch: Batch, created: int, updated: int) -> None:
    """Candidates or their attributes changed: refresh their stored match scores in the same transaction."""
    from .services import candidate_scores_refresh, candidate_stage_changes_record

    column = "candidate" if "candidate" in batch.values else None
    if column is None:
        external_ids = [key for key in batch.values["external_id"] if key]
        ids = list(Candidate.objects.filter(external_id__in=external_ids).values_list("pk", flat=True))
    else:
        ids = list({pk for pk in batch.values[column] if pk is not None})
    candidate_scores_refresh(candidate_ids=ids)
    if column is None:
        candidate_stage_changes_record(candidate_ids=ids, today=timezone.localdate())


register_dataset(
    Dataset(
        "factors",
        Factor,
        key=("code",),
        fields=[
            Text("code"),
            Text("name"),
            Text("name_en"),
            Choice("kind", choices=FactorKind),
            Choice("source", choices=FactorSource),
        ],
        label=gettext_lazy("Factors"),
        description=gettext_lazy(
            "Traits that may set high performers apart: assessments, behaviours, experience, career path, customer mix."
        ),
        checks=[_factor_kind_kept_with_values],
    )
)

register_dataset(
    Dataset(
        "person-attributes",
        PersonAttribute,
        key=("person", "factor"),
        fields=[
            Reference("person", by="external_id"),
            Reference("factor", by="code"),
            AttributeValue("value"),
        ],
        label=gettext_lazy("Person attributes"),
        description=gettext_lazy("Each person's value of each factor; the value must fit the factor's kind."),
        checks=[_values_fit_their_factor],
    )
)

register_dataset(
    Dataset(
        "candidates",
        Candidate,
        fields=[
            Text("external_id"),
            Text("name"),
            Choice("role", choices=PersonRole),
            Reference("org_unit", by="code"),
            Date("applied_on", fact=True),
            Choice("stage", choices=CandidateStage),
            Text("source_channel"),
            Reference("hired_as", by="external_id"),
            Date(
                "interviewed_on",
                fact=True,
                help_text=gettext_lazy(
                    "Optional: the interview date (for the high-match candidate ratio); without it an interviewed, "
                    "offered or hired candidate counts as interviewed on the day they applied."
                ),
            ),
        ],
        label=gettext_lazy("Candidates"),
        description=gettext_lazy("Applicants for customer-acquisition roles, with their stage and source channel."),
        checks=[not_before("interviewed_on", "applied_on"), _hired_needs_person],
        after_write=_rescore_candidates,
    )
)

register_dataset(
    Dataset(
        "candidate-attributes",
        CandidateAttribute,
        key=("candidate", "factor"),
        fields=[
            Reference("candidate", by="external_id"),
            Reference("factor", by="code"),
            AttributeValue("value"),
        ],
        label=gettext_lazy("Candidate attributes"),
        description=gettext_lazy("Each candidate's value of each factor; the value must fit the factor's kind."),
        checks=[_values_fit_their_factor],
        after_write=_rescore_candidates,
    )
)
