"""Number formats of Simplified Chinese pages, over Django's own ``zh_Hans`` (which it otherwise keeps).

Django leaves Chinese digits ungrouped (no thousands separator, groups of four); Chinese business text and
spreadsheets group by three with ",", as the English pages do (see org/ui/formatting.py).
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
