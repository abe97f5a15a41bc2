"""Template tags of the shared UI layer (org.ui): ``{% plotly_js_url %}`` for the chart block of base.html."""

from django import template
from django.urls import reverse

from org.ui.charts import plotly_bundle_digest

register = template.Library()


@register.simple_tag
def plotly_js_url() -> str:
    """The URL of the plotly.js bundle, with the bundle's digest that makes it cacheable for a year."""
    return f"{reverse('plotly-js')}?v={plotly_bundle_digest()}"
