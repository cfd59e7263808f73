"""Splitting the pasted text of a draft law into chapters and articles — a pure function, no database.

A draft as published (法规草案征求意见稿) reads:

    第一章　总则
    第一条　为了……，制定本条例。
    第二条　本条例所称……包括：
    （一）……；
    （二）……。
    第十条之一　……
    第二章　……

Rules:
- A line starting with 第X章 (X in Chinese numerals or digits) begins a chapter; its title is the rest of the line.
  第X节 (sections) are kept as part of the chapter heading they fall under (`chapter` reads "第二章 管理 第一节 …").
- A line starting with 第X条 or 第X条之Y begins an article; everything up to the next article or chapter heading
  belongs to it, numbered items （一）… and 1. … included.
- Text before the first article that is not a heading (the title, 目录, a preamble) is returned as `preamble`.
- 目录 (a table of contents listing the chapters again) is recognised and skipped: a chapter heading that is
  followed by another chapter heading without any article in between is a line of the contents.
- Numbers are parsed to integers (`number`, `sub`) so that 第十条之一 sorts after 第十条, and the label
  ("第十条之一") is kept as written, normalised to Chinese numerals.
"""

import re
from dataclasses import dataclass, field

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = r"[零〇一二两三四五六七八九十百千\d]+"
# Full-width and ideographic spaces are common after the heading.
_SPACE = "[\\s\u3000]"
CHAPTER_RE = re.compile(rf"^{_SPACE}*第({NUMERAL})章{_SPACE}*(.*)$")
SECTION_RE = re.compile(rf"^{_SPACE}*第({NUMERAL})节{_SPACE}*(.*)$")
ARTICLE_RE = re.compile(rf"^{_SPACE}*第({NUMERAL})条(?:之({NUMERAL}))?({_SPACE}*)(.*)$")


def chinese_to_int(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 一百零五 → 105, 二百 → 200, 一千零一 → 1001; digits as they are."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


def int_to_chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 105 → 一百零五, 110 → 一百一十, 200 → 二百 (the way laws number articles)."""
    if n <= 0:
        return "零"
    digits = "零一二三四五六七八九"
    out = ""
    parts = [(1000, "千"), (100, "百"), (10, "十")]
    zero = False
    started = False
    for value, unit in parts:
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if (unit == "十" and d == 1 and not started) else digits[d]) + unit
            started = True
        elif started:
            zero = True
    if n:
        if zero:
            out += "零"
        out += digits[n]
    return out


def article_label(number: int, sub: int = 0) -> str:
    label = f"第{int_to_chinese(number)}条"
    return f"{label}之{int_to_chinese(sub)}" if sub else label


@dataclass
class SplitArticle:
    number: int
    sub: int
    label: str
    chapter: str
    text: str

    @property
    def key(self) -> tuple[int, int]:
        return (self.number, self.sub)


@dataclass
class SplitResult:
    preamble: str = ""
    chapters: list[str] = field(default_factory=list)
    articles: list[SplitArticle] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _clean_lines(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [line.replace("\u3000", " ").strip() for line in text.split("\n")]


def _in_contents(lines: list[str], start: int) -> bool:
    """Whether the heading at `start` (before any article) is a line of a table of contents: the next line that
    is neither empty nor a section heading is another chapter heading, or there is none."""
    for line in lines[start + 1 :]:
        if not line or SECTION_RE.match(line):
            continue
        return bool(CHAPTER_RE.match(line))
    return True


# What follows 第X条 without a space when it is a reference inside a sentence, not a heading.
_REFERENCE_TAIL = re.compile(r"^(规定|所|的|中|、|，|,|和|与|至|及|或|第|项|款|之|以|关于)")


def _article_heading(line: str) -> tuple[str, str | None, str, bool] | None:
    """(number, sub, rest) when the line begins an article; a reference that merely starts a line
    ("第五条规定的……", no space after the label) is not a heading."""
    m = ARTICLE_RE.match(line)
    if not m:
        return None
    number, sub, space, rest = m.groups()
    if not space and rest and _REFERENCE_TAIL.match(rest):
        return None
    return number, sub, rest, bool(space)


def split_draft(text: str) -> SplitResult:
    """Split a draft's text into chapters and articles (see the module docstring)."""
    lines = _clean_lines(text)
    result = SplitResult()
    chapter = section = ""
    preamble: list[str] = []
    current: SplitArticle | None = None
    body: list[str] = []
    last_key: tuple[int, int] = (0, 0)

    def finish():
        nonlocal current, body
        if current is not None:
            current.text = "\n".join(x for x in body if x).strip()
            result.articles.append(current)
        current, body = None, []

    for i, line in enumerate(lines):
        if not line or line.replace(" ", "") == "目录":
            continue
        m = CHAPTER_RE.match(line)
        if m:
            if current is None and not result.articles and _in_contents(lines, i):
                continue
            finish()
            title = " ".join(m.group(2).split())
            chapter = f"第{int_to_chinese(chinese_to_int(m.group(1)))}章" + (f" {title}" if title else "")
            section = ""
            result.chapters.append(chapter)
            continue
        m = SECTION_RE.match(line)
        if m and (chapter or current is not None):
            finish()
            title = " ".join(m.group(2).split())
            section = f"第{int_to_chinese(chinese_to_int(m.group(1)))}节" + (f" {title}" if title else "")
            continue
        if m and not result.articles:
            continue  # a section line of the table of contents
        heading = _article_heading(line)
        if heading:
            number = chinese_to_int(heading[0])
            sub = chinese_to_int(heading[1]) if heading[1] else 0
            key = (number, sub)
            # A reference at the start of a line of an article's body ("第五条规定的……" after 第九条) is not a
            # new article: article numbers only go forward. Set off by a space like a heading, it is one (a
            # repeated or misnumbered article, warned about).
            if current is not None and key <= last_key and not heading[3]:
                body.append(line)
                continue
            finish()
            if key <= last_key:
                result.warnings.append(f"{article_label(*key)}：编号重复或倒退")
            elif last_key != (0, 0) and not _follows(last_key, key):
                result.warnings.append(
                    f"{article_label(*key)}：编号不连续（前一条为{article_label(*last_key)}）"
                )
            last_key = max(last_key, key)
            current = SplitArticle(
                number=number,
                sub=sub,
                label=article_label(number, sub),
                chapter=f"{chapter} {section}".strip(),
                text="",
            )
            body = [heading[2].strip()]
            continue
        if current is None:
            preamble.append(line)
        else:
            body.append(line)
    finish()
    result.preamble = "\n".join(preamble).strip()
    return result


def _follows(prev: tuple[int, int], key: tuple[int, int]) -> bool:
    """Whether `key` is the article expected after `prev`: the next number, or the next 之 of the same one."""
    number, sub = key
    if sub:
        return number == prev[0] and sub == prev[1] + 1
    return number == prev[0] + 1
