# English: day month year, as read in Britain and in most English written in China.
DATE_FORMAT = "j F Y"  # 10 December 2026
MONTH_DAY_FORMAT = "N j"  # Dec. 10
YEAR_MONTH_FORMAT = "F Y"  # December 2026
