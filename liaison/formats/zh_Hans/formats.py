# Chinese: as the portal has always printed them (Django's own MONTH_DAY_FORMAT pads the month: "09月5日").
DATE_FORMAT = "Y年n月j日"  # 2026年12月10日
MONTH_DAY_FORMAT = "n月j日"  # 12月10日
YEAR_MONTH_FORMAT = "Y年n月"  # 2026年12月
