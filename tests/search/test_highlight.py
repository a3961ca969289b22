from search.highlight import best_fragments, fragment, mark, pattern


def test_marks_whole_terms_longest_first_and_escapes_the_rest():
    found = pattern(["社保", "社保缴费记录", "app"])
    marked = mark("<b>社保缴费记录</b> 在APP里查社保", found)
    assert marked == "&lt;b&gt;<mark>社保缴费记录</mark>&lt;/b&gt; 在<mark>APP</mark>里查<mark>社保</mark>"


def test_a_space_in_a_term_matches_with_or_without_spaces():
    found = pattern(["查 社保"])
    assert mark("先查社保再查 社保", found) == "先<mark>查社保</mark>再<mark>查 社保</mark>"


def test_no_terms_means_plain_escaped_text():
    assert pattern(["", "  "]) is None
    assert mark("a<b", None) == "a&lt;b"
    assert fragment("a<b", None, 10) is None


def test_fragment_is_cut_around_the_first_match_with_ellipses():
    text = "甲" * 100 + "居住证" + "乙" * 100
    piece = fragment(text, pattern(["居住证"]), 40)
    assert piece.startswith("…") and piece.endswith("…")
    assert "<mark>居住证</mark>" in piece
    assert len(piece.replace("<mark>", "").replace("</mark>", "")) == 42
    assert fragment("短文本里的居住证", pattern(["居住证"]), 40) == "短文本里的<mark>居住证</mark>"
    assert fragment("没有匹配", pattern(["居住证"]), 40) is None


def test_best_fragments_prefer_the_most_matched_texts_and_keep_their_order():
    steps = ["打开小程序", "点社保", "选社保缴费记录", "提交"]
    found = pattern(["社保缴费记录", "社保"])
    assert best_fragments(steps, found, size=60, count=2) == ["点<mark>社保</mark>", "选<mark>社保缴费记录</mark>"]
    assert best_fragments(steps, found, size=60, count=1) == ["选<mark>社保缴费记录</mark>"]
    assert best_fragments(["提交"], found, size=60, count=2) == []


def test_touching_matches_are_one_mark():
    assert mark("查询社保缴费记录", pattern(["社保", "缴费"])) == "查询<mark>社保缴费</mark>记录"


def test_texts_without_spaces_are_matched_as_the_regular_expression_would():
    import random
    import re

    rng = random.Random(7)
    alphabet = "社保缴费记录查询医aAbB"
    for _ in range(300):
        terms = ["".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 4))]
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
        ordered = sorted(set(terms), key=lambda t: (-len(t), t))
        expected = [m.span() for m in re.finditer("|".join(map(re.escape, ordered)), text, re.I)]
        assert pattern(terms).spans(text) == expected, (terms, text)


def test_mixed_case_and_spaced_texts_still_match():
    found = pattern(["app 社保"])
    assert mark("在APP社保里", found) == "在<mark>APP社保</mark>里"
    assert mark("在App  社保里", found) == "在<mark>App  社保</mark>里"


def test_a_match_cut_by_the_fragment_window_is_marked_as_far_as_it_shows():
    text = "居住证" + "一" * 50 + "社保缴费记录" + "二" * 30
    piece = fragment(text, pattern(["居住证", "社保缴费记录"]), 56)
    assert piece == "<mark>居住证</mark>" + "一" * 50 + "<mark>社保缴</mark>…"
    # The same text as one of several: its fragment is the same.
    assert best_fragments(["无关", text], pattern(["居住证", "社保缴费记录"]), size=56, count=1) == [piece]
