from dataclasses import dataclass

from moderation.highlight import Segment, excerpts, highlight


@dataclass
class Hit:
    start: int
    end: int
    rule: str = "3.1"
    field: str = "body"


def test_highlight_marks_each_finding_and_keeps_every_character():
    text = "前文加我微信中间电话号码后文"
    segments = highlight(text, [Hit(2, 6, "3.8"), Hit(8, 12, "3.8")])
    assert "".join(s.text for s in segments) == text
    assert [s.text for s in segments if s.marked] == ["加我微信", "电话号码"]


def test_overlapping_findings_merge_into_one_mark_naming_both_rules():
    segments = highlight("abcdefgh", [Hit(1, 4, "3.1"), Hit(3, 6, "3.8")])
    assert segments == [Segment("a"), Segment("bcdef", True, "3.1 3.8"), Segment("gh")]


def test_findings_of_the_other_field_and_offsets_past_the_end_are_ignored_or_clipped():
    segments = highlight("短文", [Hit(0, 1, field="title"), Hit(1, 99)])
    assert segments == [Segment("短"), Segment("文", True, "3.1")]
    assert highlight("", [Hit(0, 5)]) == []


def test_excerpts_show_context_around_hits_and_join_close_ones():
    text = "一" * 100 + "甲" + "二" * 5 + "乙" + "三" * 100
    passages = excerpts(text, [Hit(100, 101), Hit(106, 107)], context=10)
    assert len(passages) == 1
    (passage,) = passages
    assert passage[0] == Segment("…") and passage[-1] == Segment("…")
    assert [s.text for s in passage if s.marked] == ["甲", "乙"]
    far = excerpts("甲" + "二" * 100 + "乙", [Hit(0, 1), Hit(101, 102)], context=5)
    assert len(far) == 2
