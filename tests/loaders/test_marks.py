"""marks: checkbox states read as written, or inferred with a confidence below 1 — never silently."""

from loaders.marks import DocumentHabit, read_choice, read_count, read_ticks
from loaders.records import Evidence

METHODS = ["情報提供ネットワークシステム", "専用線", "電子メール", "電子記録媒体(フラッシュメモリを除く。)",
           "フラッシュメモリ", "紙", "庁内連携システム", "その他"]
HERE = Evidence("II-5 提供先1", 10)
NO_HABIT = DocumentHabit(None)


def states(text: str, habit: DocumentHabit = NO_HABIT) -> dict[str, tuple[bool, float]]:
    return {t.option: (t.ticked, t.confidence) for t in read_ticks(text, METHODS, HERE, habit)}


def test_explicit_marks_are_certain():
    assert states("☑ 専用線 ☐ 紙") == {"専用線": (True, 1.0), "紙": (False, 1.0)}


def test_a_bare_checkbox_beside_ticked_marks_is_read_as_empty_with_lower_confidence():
    read = states("☑ 専用線 ▢ 紙")
    assert read["紙"][0] is False and read["紙"][1] < 1


def test_a_bare_checkbox_beside_empty_marks_is_read_as_ticked_with_lower_confidence():
    read = states("▢ 紙 ☐ 専用線")
    assert read["紙"][0] is True and read["紙"][1] < 1


def test_a_bare_radio_is_a_ticked_mark_whose_state_was_inferred():
    read = states("▢ 情報提供ネットワークシステム ◉ 専用線 ▢ 紙")
    assert read["専用線"][0] is True and read["専用線"][1] < 1
    assert read["紙"][0] is False


def test_text_in_the_brackets_of_その他_is_evidence_of_a_tick():
    ticks = read_ticks("▢ 紙 ▢ その他 (後期高齢者医療システム)", METHODS, HERE, NO_HABIT)
    other = next(t for t in ticks if t.option == "その他")
    assert other.ticked and other.detail == "後期高齢者医療システム" and 0.5 < other.confidence < 1


def test_a_group_the_text_cannot_settle_falls_back_to_the_documents_habit_or_says_undecided():
    habit = DocumentHabit.learn(["☐ 専用線 ▢ 紙", "☐ 電子メール ▢ 紙"])
    assert habit.bare_means_ticked is True
    assert states("▢ 紙 ▢ 専用線", habit)["紙"] == (True, 0.6)
    assert states("▢ 紙 ▢ 専用線")["紙"] == (False, 0.5)


def test_single_choice_in_its_many_shapes():
    ratings = ["特に力を入れている", "十分である", "課題が残されている"]
    assert read_choice("[十分である] <選択肢> 1) 特に力を入れている 2) 十分である", ratings, HERE).value == "十分である"
    assert read_choice("<選択肢> [課題が残されている] 1) 特に力を入れている", ratings, HERE).value == "課題が残されている"
    marked = read_choice("▢ 十分である ▢ <選択肢> 1) 特に力を入れている 2) 十分である", ratings, HERE)
    assert marked.value == "十分である"
    assert read_choice("[] <選択肢> 1) 特に力を入れている", ratings, HERE).value is None


def test_stated_counts():
    text = "◉ 提供を行っている (1) 件 ◉ 移転を行っている ( 3 ) 件 ▢ 行っていない"
    assert read_count(text, "提供を行っている") == 1 and read_count(text, "移転を行っている") == 3
    assert read_count("☐ 提供を行っている () 件", "提供を行っている") is None
