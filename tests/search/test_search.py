import json

from elasticsearch import Elasticsearch

from search.es.queries import search
from tests.search.conftest import SYNONYMS


def ids(results) -> list:
    return [hit.tutorial_id for hit in results.hits]


def test_title_beats_steps(es: Elasticsearch, prefix: str):
    found = ids(search(es, prefix, "社保缴费记录查询"))
    assert found[0] == 101
    assert 102 in found  # the same phrase inside a step still counts, lower


def test_phrase_beats_scattered_characters(es: Elasticsearch, prefix: str):
    found = ids(search(es, prefix, "电子社保卡"))
    # 103 says 电子社保卡 in its summary; 104 has every character, scattered, even in its title.
    assert 104 in found
    assert found.index(103) < found.index(104)


def test_question_words_and_particles_do_not_stop_a_match(es: Elasticsearch, prefix: str):
    assert ids(search(es, prefix, "我想问一下怎么查社保啊"))[0] == 101
    # 转了吗 -> 转; 社保 -> 社会保险: 社会保险关系转移
    assert ids(search(es, prefix, "社保转了吗", synonyms=SYNONYMS))[0] == 105


def test_synonym_finds_a_document_that_only_uses_the_other_form(es: Elasticsearch, prefix: str):
    without = search(es, prefix, "ETC")
    assert 106 not in ids(without)
    with_synonyms = search(es, prefix, "etc", synonyms=SYNONYMS)
    assert ids(with_synonyms)[0] == 106

    plain = {hit.tutorial_id: hit.score for hit in search(es, prefix, "社保转移").hits}
    expanded = search(es, prefix, "社保转移", synonyms=SYNONYMS)
    assert ids(expanded)[0] == 105  # 社会保险关系转移 never says 社保
    assert expanded.hits[0].score > plain.get(105, 0.0)
    # Both directions: the long form finds the abbreviation.
    assert 101 in ids(search(es, prefix, "社会保险缴费", synonyms=SYNONYMS))


def test_category_filter(es: Elasticsearch, prefix: str):
    everywhere = ids(search(es, prefix, "电子"))
    assert {103, 106, 107} <= set(everywhere)
    only = search(es, prefix, "电子", category="yibao")
    assert set(ids(only)) <= {102, 103, 107} and 107 in ids(only)
    assert search(es, prefix, "电子", category="no-such-category").hits == []


def test_transcript_hit_is_grouped_under_its_tutorial_with_its_second(es: Elasticsearch, prefix: str):
    results = search(es, prefix, "右上角的蓝色按钮")
    assert ids(results) == [108]  # only the video says it
    hit = results.hits[0]
    assert hit.url == "/tutorials/108/" and hit.title == "住房公积金提取"
    assert [(s.start, s.end, s.video_id, s.step_number) for s in hit.spoken] == [(83.0, 88.5, "video-108", 2)]
    assert "<mark>右上角的蓝色按钮</mark>" in hit.spoken[0].text_highlight


def test_text_hit_carries_its_spoken_matches(es: Elasticsearch, prefix: str):
    hit = search(es, prefix, "租房提取").hits[0]
    assert hit.tutorial_id == 108
    assert 83.0 in [s.start for s in hit.spoken]


def test_transcript_only_tutorial_obeys_the_category_filter(es: Elasticsearch, prefix: str):
    assert search(es, prefix, "右上角的蓝色按钮", category="shebao").hits == []


def test_highlights_mark_matches_and_escape_source_text(es: Elasticsearch, prefix: str):
    hit = search(es, prefix, "居住证").hits[0]
    assert hit.tutorial_id == 109
    assert "<mark>居住证</mark>" in hit.title_highlight
    text = " ".join(hit.highlights)
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert "<mark>居住证</mark>" in text


def test_did_you_mean_offers_the_closest_title_when_little_is_found(es: Elasticsearch, prefix: str):
    # Two wrong characters: 101 is not found (at most a weak hit on scattered characters elsewhere).
    results = search(es, prefix, "社报缴废")
    assert 101 not in ids(results) and len(results.hits) < 3
    assert results.suggestion == "社保缴费记录查询"
    # A title already on the page is never suggested; nonsense gets no suggestion.
    exact = search(es, prefix, "社保缴费记录查询")
    assert exact.hits[0].title == "社保缴费记录查询" and exact.suggestion is None
    assert search(es, prefix, "qwertyzxcv").suggestion is None


def test_results_are_plain_values(es: Elasticsearch, prefix: str):
    results = search(es, prefix, "  社保\n缴费  ", size=1)
    assert results.query == "社保 缴费"
    assert len(results.hits) == 1 and results.total >= 1
    assert results.hits[0].category_name == "社会保障"


def test_clauses_are_named_only_when_the_weak_clause_is_asked(es: Elasticsearch, prefix: str, monkeypatch):
    """Named clauses make the cluster run each of them again on every hit returned; the first step (strong
    clauses only, every hit strong) does without, the second needs them to tell weak hits from strong ones."""
    sent: list[list[dict]] = []
    real_msearch = es.msearch
    monkeypatch.setattr(es, "msearch", lambda searches: sent.append(searches) or real_msearch(searches=searches))

    full_page = search(es, prefix, "社保", size=1)  # the first step fills the page
    assert len(full_page.hits) == 1 and full_page.suggestion is None
    assert len(sent) == 1 and '"_name"' not in json.dumps(sent[0])

    sent.clear()
    results = search(es, prefix, "社报缴废")  # little found: the second step, with "did you mean"
    assert len(sent) == 2 and '"_name"' not in json.dumps(sent[0]) and '"_name"' in json.dumps(sent[1])
    assert results.suggestion == "社保缴费记录查询"


def test_phrases_are_looked_up_by_character_pairs_and_never_span_two_steps(es: Elasticsearch, prefix: str):
    from search.es.documents import Kind, alias_name

    tutorials = alias_name(prefix, Kind.TUTORIALS)
    explained = es.indices.validate_query(index=tutorials, explain=True, query={"match_phrase": {"steps": "社保服务"}})[
        "explanations"
    ][0]["explanation"]
    # The pairs 社保 保服 服务, not the positions of each character.
    assert explained.startswith('steps._index_phrase:"社 保 保 服 服 务"'), explained

    def phrase_hits(phrase: str) -> list[str]:
        found = es.search(index=tutorials, query={"match_phrase": {"steps": phrase}}, source=False)
        return [hit["_id"] for hit in found["hits"]["hits"]]

    # 101's steps: 打开粤省事小程序 | 点击社保服务 | 选择缴费记录
    assert "101" in phrase_hits("点击社保服务")
    assert "101" not in phrase_hits("服务选择")  # the end of one step and the start of the next
