"""The project's own locale formats (``FORMAT_MODULE_PATH``): only what differs from Django's.

Chinese digits are grouped by three with ",", as English ones are.

In every language an ISO day (``2026-12-03``) is the first way of writing a day that a form accepts and the
one a date input is filled with: the browser's ``<input type="date">`` shows nothing else. Django's zh-Hans
formats put ``2026/12/03`` first.
"""
