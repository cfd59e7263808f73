"""Fail when the English catalogue misses strings from the sources, has untranslated or fuzzy entries, or its
committed .mo was not compiled from the committed .po. Needs GNU gettext (CI installs it)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def entries(po_text: str) -> dict[str, str]:
    """msgid -> msgstr for every non-header entry (plural forms count by their msgid)."""
    out: dict[str, str] = {}
    blocks = re.split(r"\n\s*\n", po_text)
    for block in blocks:
        if block.lstrip().startswith("#~"):
            continue
        m_id = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        m_str = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if not m_id:
            continue
        msgid = "".join(re.findall(r'"(.*)"', m_id.group(1)))
        if not msgid:
            continue
        msgstr = "".join(re.findall(r'"(.*)"', m_str.group(1))) if m_str else ""
        if "#, fuzzy" in block:
            msgstr = ""
        out[msgid] = msgstr
    return out


def main() -> int:
    committed_text = PO.read_text(encoding="utf-8")
    backup = Path(tempfile.mkdtemp()) / "django.po"
    shutil.copy2(PO, backup)
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "--no-obsolete",
                "--ignore=.venv",
                "--ignore=bench",
                "--ignore=tests",
                "--ignore=staticfiles",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "DEBUG": "True"},
        )
        fresh = entries(PO.read_text(encoding="utf-8"))
    finally:
        shutil.copy2(backup, PO)
    committed = entries(committed_text)
    problems = []
    missing = sorted(set(fresh) - set(committed))
    if missing:
        problems.append(f"{len(missing)} source strings are missing from django.po, e.g. {missing[:3]}")
    untranslated = sorted(k for k, v in committed.items() if not v)
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated or fuzzy entries, e.g. {untranslated[:3]}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "-o", str(out), str(PO)], check=True)
        if out.read_bytes() != MO.read_bytes():
            problems.append("django.mo was not compiled from the current django.po (run `make messages`)")
    for p in problems:
        print("translation check:", p)
    if not problems:
        print(f"translation check: {len(committed)} entries, all translated, .mo up to date")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
