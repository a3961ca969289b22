"""Writing to the search indices: one tutorial on publish, its transcript segments, a full reindex with alias swap.

Writes always go through the aliases with `require_alias`, so a write before `ensure_indices` fails loudly instead
of letting Elasticsearch auto-create a concrete index (with guessed mappings) under the alias's name.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass
from typing import Any, Literal

from elasticsearch import ApiError, BadRequestError, Elasticsearch, helpers
from elasticsearch.exceptions import GeneralAvailabilityWarning

from search.es.analysis import cluster_capabilities
from search.es.client import BACKGROUND_TIMEOUT_S
from search.es.documents import (
    Kind,
    SegmentDocument,
    TutorialDocument,
    alias_name,
    build_index,
    concrete_name,
    new_version,
)
from search.es.segment import segment

Refresh = bool | Literal["wait_for"]
# Merging a fresh index into one segment takes seconds for the bench's 210,000 documents; allow for far larger sites.
# Past this the reindex swaps without waiting: the merge is a saving, not a condition of correctness.
FORCE_MERGE_WAIT_S = 600.0

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TutorialData:
    id: int
    url: str
    title: str
    summary: str
    steps: list[str]
    category_slug: str
    category_name: str
    tags: list[str]
    popularity: int


@dataclass(frozen=True)
class SegmentData:
    id: int | str
    tutorial_id: int
    tutorial_title: str
    tutorial_url: str
    category_slug: str
    category_name: str
    step_number: int | None
    video_id: str
    start: float
    end: float
    text: str


def _tutorial_source(data: TutorialData) -> dict[str, Any]:
    steps = [step for step in data.steps if step.strip()]
    return TutorialDocument(
        title=data.title,
        title_seg=segment(data.title),
        summary=data.summary,
        summary_seg=segment(data.summary),
        steps=steps,
        steps_seg=[segment(step) for step in steps],
        category=data.category_slug,
        category_name=data.category_name,
        tags=list(data.tags),
        popularity=data.popularity,
        url=data.url,
    ).to_dict(skip_empty=False)


def _segment_id(data: SegmentData) -> str:
    # Segment ids may be numbered per tutorial or per video; the tutorial id makes them unique in the index.
    return f"{data.tutorial_id}-{data.id}"


def _segment_source(data: SegmentData) -> dict[str, Any]:
    return SegmentDocument(
        text=data.text,
        text_seg=segment(data.text),
        start=float(data.start),
        end=float(data.end),
        tutorial_id=str(data.tutorial_id),
        tutorial_title=data.tutorial_title,
        tutorial_url=data.tutorial_url,
        category=data.category_slug,
        category_name=data.category_name,
        step_number=data.step_number,
        video_id=data.video_id,
    ).to_dict(skip_empty=False)


def _action(kind: Kind, index: str, item: Any) -> dict[str, Any]:
    if kind is Kind.TUTORIALS:
        return {"_index": index, "_id": str(item.id), "_source": _tutorial_source(item)}
    return {"_index": index, "_id": _segment_id(item), "_source": _segment_source(item)}


def _actions(kind: Kind, index: str, items: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield _action(kind, index, item)


def _background(client: Elasticsearch) -> Elasticsearch:
    # Indexing may be handed the web client; bulk chunks and index creation need more than its 2 s.
    return client.options(request_timeout=BACKGROUND_TIMEOUT_S)


class IndexOutOfDateError(RuntimeError):
    """A live index was made with a mapping that cannot be changed in place: only a full reindex brings it up to
    date (until then it still answers searches, and the outbox keeps the changes)."""


def ensure_indices(client: Elasticsearch, prefix: str) -> dict[str, str]:
    """Create any missing index (versioned, behind its alias); returns alias -> concrete index. Idempotent.

    Raises IndexOutOfDateError when an existing index's mapping differs in a way Elasticsearch cannot change in
    place (a field's analysis, say): `manage.py search_reindex` builds new indices and swaps them in."""
    client = _background(client)
    chinese_analyzer = cluster_capabilities(client).chinese_analyzer
    result: dict[str, str] = {}
    for kind in Kind:
        alias = alias_name(prefix, kind)
        if not client.indices.exists_alias(name=alias):
            if client.indices.exists(index=alias):
                raise RuntimeError(f"{alias} is an index, not an alias; run a full reindex to replace it")
            index = build_index(concrete_name(prefix, kind, new_version()), kind, chinese_analyzer)
            index.aliases(**{alias: {}})
            index.create(using=client)
        else:
            # Fields added to a document class since its index was made, or sub-fields for a Chinese analyzer the
            # cluster gained (adding a field is allowed in place; documents indexed before carry it after their
            # next write or a full reindex).
            mappings = build_index(alias, kind, chinese_analyzer).to_dict()["mappings"]
            try:
                client.indices.put_mapping(index=alias, **mappings)
            except BadRequestError as exc:
                raise IndexOutOfDateError(
                    f"{alias} was built by an earlier version and cannot be updated in place "
                    f"({_reason(exc)}): run `manage.py search_reindex`"
                ) from exc
        result[alias] = _settle_alias(client, alias)
    return result


def _reason(exc: BadRequestError) -> str:
    error = exc.body.get("error") if isinstance(exc.body, dict) else None
    reason = error.get("reason") if isinstance(error, dict) else error
    return str(reason or exc.message)[:200]


def _settle_alias(client: Elasticsearch, alias: str) -> str:
    """Leave the alias on exactly one index: two processes may have run ensure_indices at the same moment.

    Both keep the oldest name (versions sort by time) and drop the other, still empty, index.
    """
    names = sorted(client.indices.get_alias(name=alias).keys())
    keep, extra = names[0], names[1:]
    if extra:
        client.indices.update_aliases(actions=[{"remove": {"index": name, "alias": alias}} for name in extra])
        client.options(ignore_status=404).indices.delete(index=",".join(extra))
    return keep


def index_tutorial(client: Elasticsearch, prefix: str, data: TutorialData, *, refresh: Refresh = False) -> None:
    client.index(
        index=alias_name(prefix, Kind.TUTORIALS),
        id=str(data.id),
        document=_tutorial_source(data),
        require_alias=True,
        refresh=refresh,
    )


def delete_tutorial(client: Elasticsearch, prefix: str, tutorial_id: int, *, refresh: Refresh = False) -> None:
    """Remove a tutorial (unpublished or deleted) and its transcript segments; missing ones are fine."""
    client.options(ignore_status=404).delete(
        index=alias_name(prefix, Kind.TUTORIALS), id=str(tutorial_id), refresh=refresh
    )
    _delete_segments(client, prefix, tutorial_id, keep=frozenset(), refresh=refresh)


def _delete_segments(
    client: Elasticsearch, prefix: str, tutorial_id: int, *, keep: frozenset[str], refresh: Refresh
) -> int:
    """Delete the tutorial's segments except the ids in `keep`.

    Delete-by-query lives in the reindex module, which small clusters (the integration-test node) lack, so this
    finds the ids with a scroll and deletes them in bulk. The refresh first makes just-written segments visible.
    """
    client = _background(client)
    alias = alias_name(prefix, Kind.SEGMENTS)
    client.indices.refresh(index=alias)
    stale = [
        hit["_id"]
        for hit in helpers.scan(
            client,
            index=alias,
            query={"query": {"term": {"tutorial_id": str(tutorial_id)}}, "_source": False},
            size=1000,
        )
        if hit["_id"] not in keep
    ]
    if stale:
        helpers.bulk(
            client,
            ({"_op_type": "delete", "_index": alias, "_id": doc_id} for doc_id in stale),
            ignore_status=404,
            refresh=refresh,
        )
    return len(stale)


def replace_segments(
    client: Elasticsearch,
    prefix: str,
    tutorial_id: int,
    segments: Iterable[SegmentData],
    *,
    refresh: Refresh = False,
) -> int:
    """Make the index hold exactly `segments` for this tutorial (after subtitle review, on publish).

    New segments are written first and stale ones deleted after, so a search meanwhile never finds the video mute.
    """
    items = list(segments)
    for item in items:
        if item.tutorial_id != tutorial_id:
            raise ValueError(f"segment {item.id} belongs to tutorial {item.tutorial_id}, not {tutorial_id}")
    alias = alias_name(prefix, Kind.SEGMENTS)
    if items:
        helpers.bulk(
            _background(client),
            ({"_index": alias, "_id": _segment_id(item), "_source": _segment_source(item)} for item in items),
            refresh=refresh,
            require_alias=True,
        )
    _delete_segments(client, prefix, tutorial_id, keep=frozenset(_segment_id(item) for item in items), refresh=refresh)
    return len(items)


def reindex_all(
    client: Elasticsearch,
    prefix: str,
    tutorials: Iterable[TutorialData],
    segments: Iterable[SegmentData],
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = 500,
    merge_wait_s: float = FORCE_MERGE_WAIT_S,
) -> dict[str, Any]:
    """Build fresh versioned indices from the inputs and swap all aliases to them in one atomic call.

    `progress(done, total)` is called after every chunk; total is -1 when an input has no len(). Until the swap the
    live aliases are untouched and keep answering queries; any failure before it deletes the new indices and
    re-raises. After the swap the previous indices are deleted. Writes made through the aliases while a reindex
    runs land in the old indices and are lost with them; `manage.py search_reindex` therefore holds the outbox
    (search.services.reindex_running) and applies what was published meanwhile after the swap.
    """
    client = _background(client)
    chinese_analyzer = cluster_capabilities(client).chinese_analyzer
    version = new_version()
    names = {kind: concrete_name(prefix, kind, version) for kind in Kind}
    inputs: dict[Kind, Iterable[Any]] = {Kind.TUTORIALS: tutorials, Kind.SEGMENTS: segments}
    total = sum(len(i) for i in inputs.values()) if all(isinstance(i, Sized) for i in inputs.values()) else -1
    counts: dict[str, int] = {}
    created: list[str] = []
    try:
        for kind in Kind:
            index = build_index(names[kind], kind, chinese_analyzer)
            # No refreshes while bulk loading: nobody searches these indices before the swap.
            index.settings(refresh_interval="-1")
            index.create(using=client)
            created.append(names[kind])
        done = 0
        for kind in Kind:
            counts[kind.value] = 0
            for _ok, _item in helpers.streaming_bulk(
                client, _actions(kind, names[kind], inputs[kind]), chunk_size=chunk_size, max_retries=3
            ):
                counts[kind.value] += 1
                done += 1
                if progress is not None and done % chunk_size == 0:
                    progress(done, total)
        if progress is not None:
            progress(done, total)
        all_new = ",".join(created)
        client.indices.put_settings(index=all_new, settings={"index": {"refresh_interval": None}})
        client.indices.refresh(index=all_new)
        merged = merge_segments(client, all_new, merge_wait_s)
        client.cluster.health(index=all_new, wait_for_status="yellow", timeout="30s")
        actions, previous = _swap_actions(client, prefix, names)
        client.indices.update_aliases(actions=actions)
    except BaseException:
        # Nothing half-written stays behind: the aliases still point at the previous indices.
        if created:
            client.options(ignore_status=404).indices.delete(index=",".join(created))
        raise
    if previous:
        client.options(ignore_status=404).indices.delete(index=",".join(previous))
    return {
        "version": version,
        "indices": {kind.value: names[kind] for kind in Kind},
        "counts": counts,
        "removed": previous,
        "merged": merged,
    }


def merge_segments(client: Elasticsearch, indices: str, wait_s: float) -> bool:
    """Merge each shard of `indices` into one Lucene segment, waiting at most `wait_s`; True when it finished.

    Bulk loading leaves a few segments per index, and a search visits each of them: merged into one, a search costs
    the cluster about a tenth less CPU (bench/search_speed's corpus). Elasticsearch holds merges back while its disk
    is nearly full (indices.merge.disk.watermark.high), and a blocking force merge then waits for as long as that
    lasts: so the merge runs as a task, and past `wait_s` it is left to finish in the background.
    """
    started = client.options(max_retries=0).indices.forcemerge(
        index=indices, max_num_segments=1, wait_for_completion=False
    )
    task = started["task"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GeneralAvailabilityWarning)  # the task API is marked as a preview
            result = client.options(request_timeout=wait_s + 30, max_retries=0).tasks.get(
                task_id=task, wait_for_completion=True, timeout=f"{max(int(wait_s), 1)}s"
            )
    except ApiError as error:
        if error.error != "timeout_exception":
            raise
        result = {"completed": False}
    if not result.get("completed"):
        logger.warning(
            "search indices %s: the merge into one segment did not finish within %.0f s (is the disk nearly "
            "full?); it goes on in the cluster (task %s) and searches work meanwhile",
            indices,
            wait_s,
            task,
        )
        return False
    if result.get("error"):
        raise RuntimeError(f"merging {indices} failed: {result['error']}")
    return True


def _swap_actions(client: Elasticsearch, prefix: str, names: dict[Kind, str]) -> tuple[list[dict[str, Any]], list[str]]:
    actions: list[dict[str, Any]] = []
    previous: list[str] = []
    for kind in Kind:
        alias = alias_name(prefix, kind)
        if client.indices.exists_alias(name=alias):
            for old in sorted(client.indices.get_alias(name=alias).keys()):
                actions.append({"remove": {"index": old, "alias": alias}})
                previous.append(old)
        elif client.indices.exists(index=alias):
            # A concrete index squats on the alias name (auto-created by a stray write): replace it in the same call.
            actions.append({"remove_index": {"index": alias}})
        actions.append({"add": {"index": names[kind], "alias": alias}})
    return actions, previous
