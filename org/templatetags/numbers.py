"""Template filters of the one number rule (org.ui.formatting): ``{% load numbers %}``, then

``{{ x|number:1 }}`` exactly one place, ``{{ x|decimal }}`` the places an entered figure has,
``{{ x|percent }}`` a value 0-100 ("12.5 %"), ``{{ x|rate }}`` a percentage someone set ("2.25 %"),
``{{ x|share }}`` a fraction 0-1 ("25 %"),
``{{ x|money }}`` / ``{{ x|money:2 }}`` an amount with the currency, ``{{ x|unit_value:indicator.unit }}``.
A missing value prints "–". They replace ``floatformat`` and ``intcomma`` on every page.
"""

from decimal import Decimal, InvalidOperation

from django import template

from org.ui import formatting

register = template.Library()


def _number(value):
    """What a template hands over, as a number: a missing variable ("") or text that is no number is None."""
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return value


@register.filter
def number(value, decimals=0):
    """Grouped digits with exactly ``decimals`` places."""
    return formatting.format_number(_number(value), decimals=int(decimals))


@register.filter
def decimal(value, max_decimals=4):
    """An entered figure with its own places (at most ``max_decimals``): 60 reads "60", 2.50 "2.5"."""
    return formatting.format_decimal(_number(value), max_decimals=int(max_decimals))


@register.filter
def percent(value, decimals=None):
    """A percentage stored 0-100."""
    return formatting.format_percent(_number(value), decimals=None if decimals is None else int(decimals))


@register.filter
def rate(value):
    """A percentage someone set (a commission rate, a weight), with its own places: "2.25 %", "40 %"."""
    return formatting.format_percent(_number(value), entered=True)


@register.filter
def share(value, decimals=0):
    """A fraction 0-1 as a percentage."""
    return formatting.format_share(_number(value), decimals=int(decimals))


@register.filter
def money(value, decimals=None):
    """An amount of the deployment's currency."""
    return formatting.format_money(_number(value), decimals=None if decimals is None else int(decimals))


@register.filter
def unit_value(value, unit):
    """A value of an indicator unit, as ``format_value`` prints it."""
    return formatting.format_value(_number(value), unit)
