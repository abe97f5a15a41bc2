"""Browser pages for scorecards: list, edit, and attainment per team and person."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.choices import PersonRole
from org.models import OrgUnitClosure
from org.months import MonthError, parse_day
from org.selectors import org_units_visible, scope_root, unit_from_params
from org.ui.forms import submit_form
from org.ui.names import UnitChoiceField

from .choices import IndicatorTiming, PeriodKind
from .models import Indicator, Scorecard
from .scorecards import MAX_ITEMS, NEAR_FROM, ItemSpec, scorecard_attainment, scorecard_save, scorecard_warnings
from .services import period_floor


class ScorecardForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=PersonRole.choices)
    org_unit = UnitChoiceField(
        label=gettext_lazy("Org unit"), queryset=None, required=False, empty_label=gettext_lazy("Whole company")
    )
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_units_visible(user).order_by("code")


class ScorecardItemForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Indicator"), queryset=Indicator.objects.all(), required=False
    )
    weight = forms.DecimalField(label=gettext_lazy("Weight (%)"), max_digits=6, decimal_places=2, required=False)
    target = forms.DecimalField(label=gettext_lazy("Target"), max_digits=20, decimal_places=4, required=False)
    timing = forms.ChoiceField(
        label=gettext_lazy("Leading or lagging"),
        choices=[("", gettext_lazy("as the indicator")), *IndicatorTiming.choices],
        required=False,
    )


ItemFormSet = forms.formset_factory(ScorecardItemForm, extra=0, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS)


def _visible_scorecards(user):
    cards = Scorecard.objects.select_related("org_unit").prefetch_related("items__indicator")
    root = scope_root(user)
    if root == "all":
        return cards
    if root == "none":
        return cards.none()
    # A card applies to its unit's subtree: company-wide cards and cards of the user's own
    # unit, its ancestors or its sub-units concern the user; cards of other subtrees do not.
    ancestors = OrgUnitClosure.objects.filter(descendant_id=root).values("ancestor_id")
    return cards.filter(
        Q(org_unit__isnull=True) | Q(org_unit__in=org_units_visible(user).values("pk")) | Q(org_unit__in=ancestors)
    )


@login_required
def scorecard_list(request):
    """Every scorecard the user may see, with its items and balance warnings."""
    cards = list(_visible_scorecards(request.user).order_by("role", "name"))
    rows = [
        {
            "card": card,
            "items": list(card.items.all()),
            "warnings": scorecard_warnings([(item.indicator, item.timing) for item in card.items.all()]),
        }
        for card in cards
    ]
    return render(
        request,
        "performance/scorecard_list.html",
        {"rows": rows, "can_edit": request.user.has_perm("performance.add_scorecard")},
    )


@login_required
def scorecard_edit(request, pk=None):
    """Create or edit a scorecard (HR leads)."""
    if not request.user.has_perm("performance.add_scorecard"):
        raise PermissionDenied
    card = get_object_or_404(_visible_scorecards(request.user), pk=pk) if pk else None
    if card:
        initial = {"name": card.name, "role": card.role, "org_unit": card.org_unit, "period": card.period}
        item_initial = [
            {"indicator": item.indicator, "weight": item.weight, "target": item.target, "timing": item.timing}
            for item in card.items.select_related("indicator")
        ]
    else:
        initial, item_initial = {}, []
    item_initial += [{}] * (MAX_ITEMS - len(item_initial))
    form = ScorecardForm(request.POST or None, initial=initial, user=request.user)
    formset = ItemFormSet(request.POST or None, initial=item_initial, prefix="items")

    def save(data):
        """The formset's filled rows as the card's items, saved with the form's fields: (card, warnings)."""
        items = [
            ItemSpec(
                indicator=row["indicator"],
                weight=row["weight"] or 0,
                target=row["target"] or 0,
                timing=row.get("timing") or None,
            )
            for row in formset.cleaned_data
            if row.get("indicator")
        ]
        return scorecard_save(scorecard=card, items=items, **data)

    answer = submit_form(
        request,
        form,
        save,
        formsets=[formset],
        success=_("Scorecard saved."),
        warnings=lambda result: result[1],
        redirect_to=lambda result: redirect("performance:scorecard", pk=result[0].pk),
    )
    if answer is not None:
        return answer
    return render(request, "performance/scorecard_edit.html", {"form": form, "formset": formset, "card": card})


def _parse_period_start(raw: str | None, period: str) -> dt.date:
    today = timezone.localdate()
    if raw:
        try:
            day = parse_day(raw)
        except MonthError as exc:
            raise Http404 from exc
    else:
        day = today
    return period_floor(day, period)


@login_required
def scorecard_detail(request, pk):
    """Attainment of a team and its people for one period, each item's computation shown."""
    card = get_object_or_404(_visible_scorecards(request.user), pk=pk)
    units = list(org_units_visible(request.user).order_by("code"))
    unit = unit_from_params(request.user, request.GET, default=card.org_unit)
    period_start = _parse_period_start(request.GET.get("period_start"), card.period)
    team, people = (None, [])
    if unit is not None:
        team, people = scorecard_attainment(scorecard=card, org_unit=unit, period_start=period_start)
    items = list(card.items.select_related("indicator"))
    return render(
        request,
        "performance/scorecard_detail.html",
        {
            "card": card,
            "items": items,
            "warnings": scorecard_warnings([(item.indicator, item.timing) for item in items]),
            "units": units,
            "unit": unit,
            "period_start": period_start,
            "team": team,
            "people": people,
            "near_from": NEAR_FROM,
            "can_edit": request.user.has_perm("performance.change_scorecard"),
        },
    )
