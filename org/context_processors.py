"""Template context shared by every page: the module navigation and the login's role names."""

from functools import cache
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .choices import Role

# (key, label, url name, one-line summary). The key is the URL namespace of the module's app.
MODULES = [
    ("diagnosis", _("Diagnosis"), "diagnosis:index", _("Self-check and root causes behind weak acquisition results")),
    ("talent", _("Talent"), "talent:index", _("Success profiles of high performers and precise hiring")),
    ("enablement", _("Enablement"), "enablement:index", _("Learning designed around the customer journey")),
    ("performance", _("Performance"), "performance:index", _("LTV-oriented indicators, scorecards and incentives")),
    ("rollout", _("Rollout"), "rollout:index", _("Five steps from pilot to an embedded practice")),
]


@cache
def module_has_pages(key: str) -> bool:
    """Whether a module offers pages beyond its landing page (until then the landing says "coming soon")."""
    try:
        patterns = import_module(f"{key}.urls").urlpatterns
    except ImportError:
        return False
    return len(patterns) > 1


def _role_labels(user) -> list[str]:
    """Display names of the login's roles (one query, run only when a template shows them)."""
    if not getattr(user, "is_authenticated", False):
        return []
    labels = dict(Role.choices)
    names = sorted(user.groups.values_list("name", flat=True))
    roles = [str(labels.get(name, name)) for name in names]
    if user.is_superuser:
        roles.insert(0, str(_("Administrator")))
    return roles


def navigation(request):
    """The five modules for the top navigation, marking the one the request is in."""
    current = getattr(getattr(request, "resolver_match", None), "app_name", "") or ""
    items = []
    for key, label, url_name, summary in MODULES:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"key": key, "label": label, "url": url, "summary": summary, "active": key == current})
    user = getattr(request, "user", None)
    return {
        "nav_modules": items,
        "module_built": {key: module_has_pages(key) for key, *_rest in MODULES},
        "user_roles": SimpleLazyObject(lambda: _role_labels(user)),
    }
