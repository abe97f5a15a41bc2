"""``{% unit_label unit %}`` and ``{% person_label person %}``: org units and people as every page shows them
(org.ui.names); the labels of all units are read once per request."""

from django import template

from org.ui import names

register = template.Library()


def _labels(context) -> dict[int, str]:
    request = context.get("request")
    if request is None:
        labels = context.get("_unit_labels")
        if labels is None:
            labels = names.unit_labels()
            context["_unit_labels"] = labels
        return labels
    return names.request_unit_labels(request)


@register.simple_tag(takes_context=True)
def unit_label(context, unit) -> str:
    """The unit's name, with its parents when another unit has the same name."""
    return names.unit_label(unit, _labels(context))


@register.simple_tag(takes_context=True)
def unit_labels(context, units) -> str:
    """Several units, comma-separated."""
    labels = _labels(context)
    return ", ".join(names.unit_label(unit, labels) for unit in units)


@register.simple_tag(takes_context=True)
def person_label(context, person) -> str:
    """The person's name, role and unit."""
    return names.person_label(person, _labels(context)) if person is not None else ""


@register.simple_tag(takes_context=True)
def login_label(context, user) -> str:
    """A login as the person it is (name, role, unit), never its user name when it has a person or a name."""
    return names.user_label(user, _labels(context))


@register.simple_tag
def login_name(user) -> str:
    """A login as its person's name only (for lines that already say the unit)."""
    return names.user_label(user)
