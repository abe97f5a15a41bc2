"""Browser pages of the org app: home (tasks, headline figures, the org tree), an org unit's page, people search."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .home import home_for
from .selectors import (
    ancestors_of,
    org_unit_tree_rows,
    org_units_visible,
    people_search,
    people_visible,
    subtree_unit_ids,
    unit_in_scope,
)
from .ui.names import person_label, request_unit_labels


@login_required
def home(request):
    """What waits for the user (from every app), the headline indicators of their scope, and the org units they
    may see as a tree with head counts."""
    rows = org_unit_tree_rows(request.user)
    return render(request, "org/home.html", {"rows": rows, "home": home_for(request.user)})


@login_required
def unit_detail(request, code):
    """One org unit: its path, sub-units and the people of its subtree."""
    unit = unit_in_scope(request.user, code)
    people = people_visible(request.user).filter(org_unit__in=subtree_unit_ids(unit)).order_by("name")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    children = org_units_visible(request.user).filter(parent=unit).order_by("code")
    return render(
        request,
        "org/unit_detail.html",
        {"unit": unit, "path": ancestors_of(unit), "children": children, "page": page},
    )


@login_required
@require_GET
def people_search_view(request):
    """The person pickers' type-ahead: up to 20 people of the login's scope whose name matches ``q``, each as
    its external id (the value) and its label (name, role and unit)."""
    people = people_search(request.user, request.GET.get("q", "")[:100])
    labels = request_unit_labels(request) if people else {}
    return JsonResponse({"results": [{"value": p.external_id, "label": person_label(p, labels)} for p in people]})
