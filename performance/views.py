"""Browser pages of the performance module: the indicator library."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from org.ui.forms import submit_form

from .choices import IndicatorCategory
from .forms import CustomIndicatorForm, IndicatorEditForm
from .library import DEPARTMENTS
from .models import Indicator
from .services import indicator_create_custom, indicator_update


@login_required
def indicator_library(request):
    """The LTV-oriented indicator library grouped by Table 2's five categories."""
    indicators = list(Indicator.objects.order_by("category", "sort_order", "code"))
    order = {value: index for index, value in enumerate(IndicatorCategory.values)}
    indicators.sort(key=lambda ind: (order.get(ind.category, 99), ind.sort_order, ind.code))
    groups = [
        {"label": IndicatorCategory(category).label, "indicators": list(items)}
        for category, items in groupby(indicators, key=lambda ind: ind.category)
    ]
    return render(
        request,
        "performance/indicator_library.html",
        {
            "groups": groups,
            "departments": DEPARTMENTS,
            "can_edit": request.user.has_perm("performance.change_indicator"),
        },
    )


@login_required
def indicator_detail(request, code):
    """One indicator: definition, formula, target; HR leads edit definitions, target and departments here."""
    indicator = get_object_or_404(Indicator, code=code)
    can_edit = request.user.has_perm("performance.change_indicator")
    initial = {
        "definition_en": indicator.definition_en,
        "definition_zh": indicator.definition_zh,
        "target": indicator.target,
        "departments": indicator.departments,
    }
    form = IndicatorEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    answer = submit_form(
        request,
        form,
        lambda data: indicator_update(
            indicator=indicator,
            definition_en=data["definition_en"],
            definition_zh=data["definition_zh"],
            target=data["target"],
            clear_target=data["target"] is None,
            departments=data["departments"],
        ),
        success=_("Indicator %(code)s saved.") % {"code": indicator.code},
        redirect_to=lambda _saved: redirect("performance:indicator", code=indicator.code),
    )
    if answer is not None:
        return answer
    department_labels = [DEPARTMENTS.get(code, code) for code in indicator.departments]
    return render(
        request,
        "performance/indicator_detail.html",
        {"indicator": indicator, "form": form, "can_edit": can_edit, "department_labels": department_labels},
    )


@login_required
def indicator_new(request):
    """Add an indicator of one's own (values entered by hand or ingested)."""
    if not request.user.has_perm("performance.add_indicator"):
        raise PermissionDenied
    form = CustomIndicatorForm(request.POST or None)
    answer = submit_form(
        request,
        form,
        lambda data: indicator_create_custom(**data),
        success=lambda indicator: _("Indicator %(code)s added.") % {"code": indicator.code},
        redirect_to=lambda indicator: redirect("performance:indicator", code=indicator.code),
    )
    if answer is not None:
        return answer
    return render(request, "performance/indicator_new.html", {"form": form})
