"""Template context shared by every page: the module navigation."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

MODULES = [
    ("diagnosis", _("Diagnosis"), "diagnosis:index"),
    ("talent", _("Talent"), "talent:index"),
    ("enablement", _("Enablement"), "enablement:index"),
    ("performance", _("Performance"), "performance:index"),
    ("rollout", _("Rollout"), "rollout:index"),
]


def navigation(request):
    """The five modules for the top navigation, marking the one the request is in."""
    current = getattr(getattr(request, "resolver_match", None), "app_name", "") or ""
    items = []
    for key, label, url_name in MODULES:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"key": key, "label": label, "url": url, "active": key == current})
    return {"nav_modules": items}
