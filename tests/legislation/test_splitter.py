import pytest

from legislation.splitter import article_label, chinese_to_int, int_to_chinese, split_draft

from .texts import REAL_SHAPED, numbered_draft


@pytest.mark.parametrize(
    "text,value",
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("九十九", 99),
        ("一百", 100),
        ("一百零一", 101),
        ("一百一十", 110),
        ("一百一十九", 119),
        ("二百", 200),
        ("二百零八", 208),
        ("一千零一", 1001),
        ("12", 12),
    ],
)
def test_numerals_both_ways(text, value):
    assert chinese_to_int(text) == value
    if not text.isdigit():
        assert int_to_chinese(value) == text


def test_every_number_to_three_hundred_round_trips():
    for n in range(1, 301):
        assert chinese_to_int(int_to_chinese(n)) == n


def test_real_shaped_text():
    r = split_draft(REAL_SHAPED)
    labels = [a.label for a in r.articles]
    assert labels == [
        "第一条",
        "第二条",
        "第三条",
        "第三条之一",
        "第三条之二",
        "第四条",
        "第五条",
        "第六条",
        "第七条",
    ]
    # the table of contents is skipped; chapter titles lose their padding
    assert r.chapters == ["第一章 总 则", "第二章 业主、业主大会和业主委员会", "第三章 附 则"]
    assert r.preamble == "商洛市物业管理条例（草案征求意见稿）"
    by = {a.label: a for a in r.articles}
    assert by["第一条"].chapter == "第一章 总 则"
    assert by["第四条"].chapter == "第二章 业主、业主大会和业主委员会 第一节 业主"
    assert by["第六条"].chapter == "第二章 业主、业主大会和业主委员会 第二节 业主大会"
    assert by["第七条"].chapter == "第三章 附 则"
    # a second paragraph and numbered items stay in their article, a reference line too
    assert by["第二条"].text.endswith("管理的活动。")
    assert "本条例所称物业管理" in by["第二条"].text
    assert by["第三条"].text.count("\n") == 3 and "（三）第五条规定的其他职责。" in by["第三条"].text
    assert "2.提议召开业主大会会议；" in by["第五条"].text
    assert by["第五条"].text.endswith("第五条规定的权利，业主可以委托他人行使。")
    assert (by["第三条之一"].number, by["第三条之一"].sub) == (3, 1)
    assert by["第三条之二"].text.startswith("居（村）民委员会")
    assert r.warnings == []


def test_two_hundred_and_more_articles():
    r = split_draft(numbered_draft(215, chapters=8))
    assert [a.number for a in r.articles] == list(range(1, 216))
    assert r.articles[199].label == "第二百条"
    assert r.articles[104].label == "第一百零五条"
    assert len(r.chapters) == 8
    assert "（二）公开办事流程。" in r.articles[9].text
    assert r.warnings == []


def test_gaps_and_repeats_are_warned_not_lost():
    r = split_draft("第一条 甲。\n第三条 丙。\n第四条之二 丁。")
    assert [a.label for a in r.articles] == ["第一条", "第三条", "第四条之二"]
    assert len(r.warnings) == 2


def test_heading_without_space_and_reference_lines():
    r = split_draft("第一条为了规范。\n第二条本法所称。\n第一条规定的事项，依照执行。\n第二条之规定。")
    assert [a.label for a in r.articles] == ["第一条", "第二条"]
    assert r.articles[0].text == "为了规范。"
    assert r.articles[1].text.endswith("第二条之规定。")


def test_windows_line_ends_and_ideographic_spaces():
    r = split_draft("第一章\u3000总则\r\n第一条\u3000\u3000目的。\r\n\r\n第二条\u3000范围。")
    assert [(a.chapter, a.text) for a in r.articles] == [("第一章 总则", "目的。"), ("第一章 总则", "范围。")]


def test_empty_and_no_articles():
    assert split_draft("").articles == []
    r = split_draft("只有一段说明，没有条文。")
    assert r.articles == [] and r.preamble == "只有一段说明，没有条文。"


def test_label():
    assert article_label(10, 1) == "第十条之一"
    assert article_label(200) == "第二百条"


def test_a_repeated_heading_is_an_article_with_a_warning():
    r = split_draft("第一条 甲。\n第二条 乙。\n第二条 丙。\n第三条 丁。")
    assert [a.label for a in r.articles] == ["第一条", "第二条", "第二条", "第三条"]
    assert any("重复" in w for w in r.warnings)
