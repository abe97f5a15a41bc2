"""zh-Hans: ISO days and times first (see acquisition_hr.formats); the rest is Django's zh_Hans."""

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
