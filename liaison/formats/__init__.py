"""Date formats per language (settings.FORMAT_MODULE_PATH). Only what differs from Django's own locale formats:
templates print dates with `|date:"DATE_FORMAT"` / `|date:"MONTH_DAY_FORMAT"`, never with a Chinese pattern,
so English reads "10 December 2026" / "Dec. 10" and Chinese "2026年12月10日" / "12月10日"."""
