"""Browser pages of the org app: home with the visible org tree, and an org unit's page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .selectors import ancestors_of, org_unit_tree_rows, org_units_visible, people_visible, subtree_unit_ids


@login_required
def home(request):
    """The org units the user may see, as a tree with head counts."""
    rows = org_unit_tree_rows(request.user)
    return render(request, "org/home.html", {"rows": rows})


@login_required
def unit_detail(request, code):
    """One org unit: its path, sub-units and the people of its subtree."""
    unit = org_units_visible(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    people = people_visible(request.user).filter(org_unit__in=subtree_unit_ids(unit)).order_by("name")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    children = org_units_visible(request.user).filter(parent=unit).order_by("code")
    return render(
        request,
        "org/unit_detail.html",
        {"unit": unit, "path": ancestors_of(unit), "children": children, "page": page},
    )
