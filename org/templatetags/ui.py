"""Template tags of the shared UI layer (org.ui): ``{% plotly_js_url %}`` for the chart block of base.html."""

from django import template
from django.urls import reverse

from org.ui.charts import plotly_bundle_digest
from org.ui.words import join_words, role_labels

register = template.Library()


@register.simple_tag
def plotly_js_url() -> str:
    """The URL of the plotly.js bundle, with the bundle's digest that makes it cacheable for a year."""
    return f"{reverse('plotly-js')}?v={plotly_bundle_digest()}"


@register.filter
def role_list(codes) -> str:
    """``{{ plan.roles|role_list }}``: person-role codes as translated labels, "、"-joined in Chinese."""
    return role_labels(codes)


@register.filter
def word_list(words) -> str:
    """``{{ user_roles|word_list }}``: words joined by the active language's list separator."""
    return join_words(words)
