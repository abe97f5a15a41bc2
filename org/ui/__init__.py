"""The shared UI layer every app's pages build on (org knows no other app; the apps import from here).

- ``org.ui.charts``: the plotly.js bundle view, the one chart look (layout defaults and palette), figures as JSON.
- ``org.ui.formatting``: values as a page prints them (``format_value`` and its helpers).
- ``org.ui.forms``: a service's ``ValidationError`` on a form or as page messages, and the standard form POST.
- ``org.ui.pages``: page classes the modules share (``ModuleLandingView``).

``templates/base.html`` loads the chart scripts once for any page whose context has ``charts``
(``org.templatetags.ui`` gives it the bundle's URL).
"""
