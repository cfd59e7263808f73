"""Formal-suggestion filing rules: `conf.NAME` is the setting `MOTION_NAME`.

Deadlines live with the handling machinery (suggestions.conf FORMAL_* and DELEGATE_REPLY_*). Each rule is parsed
from the environment at start-up in liaison/settings.py and listed in .env.example.
"""

from liaison.env import AppConf

conf = AppConf("MOTION_", ["COSIGNERS_REQUIRED", "ATTACHMENT_MAX_BYTES", "ATTACHMENTS_MAX", "COSIGNERS_MAX"])
