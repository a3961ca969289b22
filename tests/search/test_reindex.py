import time
import warnings

import pytest
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.exceptions import GeneralAvailabilityWarning

from search.es.documents import Kind, SegmentDocument, alias_name, is_versioned_name
from search.es.indexing import (
    delete_tutorial,
    ensure_indices,
    index_tutorial,
    reindex_all,
    replace_segments,
)
from search.es.queries import search
from tests.search.conftest import CORPUS, SEGMENTS, tutorial_data


def aliased(es: Elasticsearch, prefix: str) -> dict[Kind, list[str]]:
    return {kind: sorted(es.indices.get_alias(name=alias_name(prefix, kind)).keys()) for kind in Kind}


def indices_of(es: Elasticsearch, prefix: str) -> list[str]:
    return sorted(es.indices.get(index=f"{prefix}-*").keys())


def test_ensure_indices_is_idempotent_and_writes_need_it(es: Elasticsearch, fresh_prefix: str):
    with pytest.raises(NotFoundError):
        # require_alias: no index is auto-created under the alias's name.
        index_tutorial(es, fresh_prefix, CORPUS[0])
    first = ensure_indices(es, fresh_prefix)
    assert ensure_indices(es, fresh_prefix) == first
    assert all(is_versioned_name(name, fresh_prefix, kind) for name, kind in zip(first.values(), Kind, strict=True))


def test_replace_and_delete_segments(es: Elasticsearch, fresh_prefix: str):
    ensure_indices(es, fresh_prefix)
    index_tutorial(es, fresh_prefix, CORPUS[7], refresh=True)
    replace_segments(es, fresh_prefix, 108, SEGMENTS, refresh=True)
    assert search(es, fresh_prefix, "租房合同").hits[0].spoken[0].start == 88.5
    # Subtitles corrected: segment 2 is gone, segment 1 has new words.
    replace_segments(es, fresh_prefix, 108, [SEGMENTS[0].__class__(**{**SEGMENTS[0].__dict__, "text": "点击绿色按钮"})])
    es.indices.refresh(index=alias_name(fresh_prefix, Kind.SEGMENTS))
    assert all(hit.spoken == [] for hit in search(es, fresh_prefix, "租房合同").hits)
    assert search(es, fresh_prefix, "绿色按钮").hits[0].spoken[0].start == 83.0
    with pytest.raises(ValueError):
        replace_segments(es, fresh_prefix, 999, SEGMENTS)
    delete_tutorial(es, fresh_prefix, 108, refresh=True)
    assert search(es, fresh_prefix, "绿色按钮").hits == []
    assert es.count(index=alias_name(fresh_prefix, Kind.SEGMENTS))["count"] == 0
    delete_tutorial(es, fresh_prefix, 108)  # already gone: fine


def test_reindex_swaps_aliases_and_removes_old_indices(es: Elasticsearch, fresh_prefix: str):
    ensure_indices(es, fresh_prefix)
    index_tutorial(es, fresh_prefix, tutorial_data(1, "旧的教程标题"), refresh=True)
    before = aliased(es, fresh_prefix)
    seen_during: list[list[int | str]] = []
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        # The live aliases still answer, from the old indices, while the new ones fill.
        seen_during.append([hit.tutorial_id for hit in search(es, fresh_prefix, "旧的教程标题").hits])

    report = reindex_all(es, fresh_prefix, CORPUS, SEGMENTS, progress=progress, chunk_size=4)
    after = aliased(es, fresh_prefix)

    total = len(CORPUS) + len(SEGMENTS)
    assert calls[-1] == (total, total) and len(calls) >= 2
    assert seen_during and all(found == [1] for found in seen_during)
    assert report["counts"] == {"tutorials": len(CORPUS), "segments": len(SEGMENTS)}
    assert sorted(report["removed"]) == sorted(name for names in before.values() for name in names)
    for kind in Kind:
        assert after[kind] == [report["indices"][kind.value]] != before[kind]
    # Old indices are gone; only the new ones remain.
    assert indices_of(es, fresh_prefix) == sorted(report["indices"].values())
    assert search(es, fresh_prefix, "旧的教程标题").hits == []
    assert search(es, fresh_prefix, "社保缴费记录查询").hits[0].tutorial_id == 101
    assert search(es, fresh_prefix, "右上角的蓝色按钮").hits[0].spoken[0].start == 83.0


def test_reindex_merges_each_new_index_into_one_segment(es: Elasticsearch, fresh_prefix: str):
    def progress(done: int, total: int) -> None:
        # A refresh after every chunk writes a segment each time, as a large bulk load does.
        es.indices.refresh(index=f"{fresh_prefix}-*")

    report = reindex_all(es, fresh_prefix, CORPUS, SEGMENTS, progress=progress, chunk_size=2)
    for kind in (Kind.TUTORIALS, Kind.SEGMENTS):
        name = report["indices"][kind.value]
        shards = es.indices.segments(index=name)["indices"][name]["shards"]["0"]
        assert [shard["num_search_segments"] for shard in shards if shard["routing"]["primary"]] == [1], name
    assert report["merged"] is True
    assert search(es, fresh_prefix, "右上角的蓝色按钮").hits[0].spoken[0].start == 83.0


def _merges_held_back(es: Elasticsearch, held: bool) -> None:
    # Elasticsearch holds merges back while free disk is under indices.merge.disk.watermark.high; asking for 99 %
    # free does that on any disk. Released with an explicit 100 % so the held merges run (a reset to the node's
    # default keeps the last decision until the next check).
    watermark = "1%" if held else "100%"
    es.cluster.put_settings(
        persistent={"indices.merge.disk.check_interval": "1s", "indices.merge.disk.watermark.high": watermark}
    )


def test_reindex_does_not_wait_for_a_merge_the_cluster_holds_back(es: Elasticsearch, fresh_prefix: str, caplog):
    _merges_held_back(es, True)
    try:
        time.sleep(2)  # the node applies the watermark at its next disk check

        def progress(done: int, total: int) -> None:
            es.indices.refresh(index=f"{fresh_prefix}-*")  # a segment per chunk: something to merge

        report = reindex_all(es, fresh_prefix, CORPUS, SEGMENTS, progress=progress, chunk_size=2, merge_wait_s=2)
        assert report["merged"] is False
        assert "did not finish within 2 s" in caplog.text
        # Swapped and searchable all the same.
        assert search(es, fresh_prefix, "社保缴费记录查询").hits[0].tutorial_id == 101
        assert search(es, fresh_prefix, "右上角的蓝色按钮").hits[0].spoken[0].start == 83.0
    finally:
        _merges_held_back(es, False)
        time.sleep(2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GeneralAvailabilityWarning)
            es.options(request_timeout=60).tasks.list(actions="indices:admin/forcemerge*", wait_for_completion=True)
        es.cluster.put_settings(
            persistent={"indices.merge.disk.check_interval": None, "indices.merge.disk.watermark.high": None}
        )
    # Once released, the merge the reindex started finishes in the background.
    name = report["indices"][Kind.TUTORIALS.value]
    shards = es.indices.segments(index=name)["indices"][name]["shards"]["0"]
    assert [shard["num_search_segments"] for shard in shards if shard["routing"]["primary"]] == [1]


def test_failed_reindex_leaves_the_old_aliases_working(es: Elasticsearch, fresh_prefix: str):
    reindex_all(es, fresh_prefix, CORPUS[:3], [])
    before = aliased(es, fresh_prefix)
    names_before = indices_of(es, fresh_prefix)

    def broken_source():
        yield from CORPUS
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        reindex_all(es, fresh_prefix, broken_source(), SEGMENTS, chunk_size=2)
    assert aliased(es, fresh_prefix) == before
    assert indices_of(es, fresh_prefix) == names_before  # the half-built indices are deleted
    assert search(es, fresh_prefix, "社保缴费记录查询").hits[0].tutorial_id == 101
    assert search(es, fresh_prefix, "居住证").hits == []  # not in the old index, and nothing half-written shows


def test_reindex_replaces_an_index_squatting_on_the_alias_name(es: Elasticsearch, fresh_prefix: str):
    # What a write without require_alias would have left behind.
    es.indices.create(index=alias_name(fresh_prefix, Kind.TUTORIALS))
    with pytest.raises(RuntimeError):
        ensure_indices(es, fresh_prefix)
    reindex_all(es, fresh_prefix, CORPUS, [])
    assert es.indices.exists_alias(name=alias_name(fresh_prefix, Kind.TUTORIALS))
    assert search(es, fresh_prefix, "社保缴费记录查询").hits[0].tutorial_id == 101


def test_ensure_indices_adds_fields_new_to_a_document_class(es: Elasticsearch, fresh_prefix: str):
    """An index made before a field existed gets it in place (here: the category of transcript lines)."""
    ensure_indices(es, fresh_prefix)
    alias = alias_name(fresh_prefix, Kind.SEGMENTS)
    (name,) = es.indices.get_alias(name=alias).keys()
    # The segments index as it was before: rebuilt without the category fields.
    old = SegmentDocument._doc_type.mapping.to_dict()
    del old["properties"]["category"], old["properties"]["category_name"]
    es.indices.delete(index=name)
    es.indices.create(index=name, aliases={alias: {}}, mappings=old)
    assert "category" not in es.indices.get_mapping(index=alias)[name]["mappings"]["properties"]
    ensure_indices(es, fresh_prefix)
    fields = es.indices.get_mapping(index=alias)[name]["mappings"]["properties"]
    assert fields["category"]["type"] == "keyword" and "tutorial_id" in fields
