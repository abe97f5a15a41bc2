"""Simplified Chinese pages, over Django's own ``zh_Hans`` (which it otherwise keeps).

Numbers: Django leaves Chinese digits ungrouped; Chinese business text and spreadsheets group by three with ",",
as the English pages do (see org/ui/formatting.py). Days and times: ISO first (see acquisition_hr.formats), so
that a date input always carries a value the browser's date field accepts.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05'
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年9月5日'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2016-09-05 20:45:29'
    "%Y-%m-%d %H:%M:%S.%f",  # '2016-09-05 20:45:29.000200'
    "%Y-%m-%d %H:%M",  # '2016-09-05 20:45'
    "%Y/%m/%d %H:%M:%S",  # '2016/09/05 20:45:29'
    "%Y/%m/%d %H:%M",  # '2016/09/05 20:45'
    "%Y年%m月%d日 %H:%M:%S",  # '2016年9月5日 20:45:29'
    "%Y年%m月%d日 %H:%M",  # '2016年9月5日 20:45'
]
