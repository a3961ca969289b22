from concurrent.futures import ThreadPoolExecutor

from search.es.segment import cut, load_user_words, segment, words


def test_search_mode_yields_long_words_and_their_parts_lower_cased():
    assert segment("个人所得税App") == "个人 所得 所得税 个人所得税 app"


def test_punctuation_and_whitespace_never_become_tokens():
    assert words("  社保，缴费！(查询)  ") == ["社保", "缴费", "查询"]
    assert segment("") == "" and segment(" \n\t") == "" and segment("！？…") == ""


def test_user_words_from_the_glossary_stay_whole():
    assert "穗好办" not in cut("穗好办怎么用")
    load_user_words(["穗好办", "  ", "with space"])
    load_user_words(["穗好办"])  # a second load is harmless
    assert cut("穗好办怎么用")[0] == "穗好办"
    assert "穗好办" in segment("打开穗好办小程序").split()


def test_segmentation_is_the_same_from_many_threads():
    texts = ["社保缴费记录查询", "医保电子凭证激活", "住房公积金提取"] * 20
    expected = [segment(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(segment, texts)) == expected
