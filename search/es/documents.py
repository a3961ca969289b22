"""Index documents and names: tutorials and their transcript segments.

Every index is reached through an alias `<prefix>-<kind>` (prefix = environment, e.g. `bangban-prod`); the concrete
index behind it carries a version (`bangban-prod-tutorials-20261125t010203123456`), so a full reindex builds new
indices beside the live ones and swaps the aliases in one atomic call.

Field analysis uses only what every cluster has (see analysis.py): `standard` (one token per Han character, so a
`match_phrase` means "these characters in this order"), `whitespace` over text segmented by jieba in Python, and a
character-bigram analyzer built from core components (standard tokenizer + lowercase + shingle) for "did you mean".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from elasticsearch.dsl import Document, Float, Index, Integer, Keyword, Text, analyzer, token_filter

from search.es.analysis import ICU_TOKENIZER


class Kind(StrEnum):
    TUTORIALS = "tutorials"
    SEGMENTS = "segments"


PUBLIC_KINDS = (Kind.TUTORIALS, Kind.SEGMENTS)

# Index names must be lower case and may not start with -, _ or +; the prefix is the start of every name.
_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,100}$")

HAN_BIGRAM = analyzer(
    "bangban_han_bigram",
    tokenizer="standard",
    filter=[
        "lowercase",
        # 社保缴费 -> 社保 保缴 缴费: pairs of neighbouring characters survive a one-character typo elsewhere.
        token_filter(
            "bangban_bigram",
            "shingle",
            min_shingle_size=2,
            max_shingle_size=2,
            output_unigrams=False,
            token_separator="",
        ),
    ],
)


def _han(**kwargs: Any) -> Text:
    # index_phrases: each pair of neighbouring characters is also indexed as one term, so a phrase of several Han
    # characters is looked up by its pairs (rare) instead of by each character's positions (every character of
    # 社保缴费 is in thousands of texts).
    return Text(analyzer="standard", index_phrases=True, **kwargs)


def _seg(**kwargs: Any) -> Text:
    # Fed with jieba output that is already lower-cased and space-separated.
    return Text(analyzer="whitespace", **kwargs)


class TutorialDocument(Document):
    title = _han(copy_to="title_suggest")
    title_seg = _seg()
    title_suggest = Text(analyzer=HAN_BIGRAM)
    summary = _han()
    summary_seg = _seg()
    # A list of step texts; the default position gap keeps a phrase from spanning two steps.
    steps = _han(multi=True)
    steps_seg = _seg(multi=True)
    category = Keyword()
    category_name = _han(fields={"raw": Keyword()})
    tags = Keyword(multi=True)
    popularity = Integer()
    url = Keyword(index=False)


class SegmentDocument(Document):
    text = _han()
    text_seg = _seg()
    start = Float()
    end = Float()
    tutorial_id = Keyword()
    tutorial_title = Keyword(index=False)
    tutorial_url = Keyword(index=False)
    # The tutorial's category, for the category filter and for showing a tutorial found only in its video.
    category = Keyword()
    category_name = Keyword(index=False)
    step_number = Integer()
    video_id = Keyword()


DOCUMENTS: dict[Kind, type[Document]] = {
    Kind.TUTORIALS: TutorialDocument,
    Kind.SEGMENTS: SegmentDocument,
}


def check_prefix(prefix: str) -> str:
    if not _PREFIX_RE.match(prefix):
        raise ValueError(f"index prefix must be lower-case letters, digits, '.', '_' or '-': {prefix!r}")
    return prefix


def alias_name(prefix: str, kind: Kind) -> str:
    return f"{check_prefix(prefix)}-{kind.value}"


def new_version() -> str:
    # Microseconds: two reindexes in the same second (tests, a retried task) still get distinct names.
    return datetime.now(tz=UTC).strftime("%Y%m%dt%H%M%S%f")


def concrete_name(prefix: str, kind: Kind, version: str) -> str:
    return f"{alias_name(prefix, kind)}-{version}"


def is_versioned_name(name: str, prefix: str, kind: Kind) -> bool:
    """Whether `name` is one of the versioned indices of this prefix and kind (a reindex's leftovers included)."""
    return re.fullmatch(re.escape(alias_name(prefix, kind)) + r"-\d{8}t\d{12}", name) is not None


# ICU's dictionary-based word breaking (Chinese included), lower-cased like the other fields.
ICU_WORDS = analyzer("bangban_icu_words", tokenizer=ICU_TOKENIZER, filter=["lowercase"])

# Han text fields that get a `zh` sub-field analysed by the cluster's Chinese analyzer, when it has one
# (search.es.analysis): words as the cluster's own segmenter cuts them, beside jieba's in the `*_seg` fields.
ZH_SUBFIELD = "zh"
ZH_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.TUTORIALS: ("title", "summary", "steps"),
    Kind.SEGMENTS: ("text",),
}


def build_index(name: str, kind: Kind, chinese_analyzer: str | None = None) -> Index:
    """The index for `kind`; with `chinese_analyzer` (a plugin analyzer the cluster has, such as `smartcn` or
    `ik_max_word`) its Han text fields carry a `zh` sub-field analysed by it."""
    index = Index(name)
    index.settings(
        # A few thousand tutorials fit one shard; one shard also keeps BM25 statistics, and so ranking, exact.
        number_of_shards=1,
        # Green on a single test node, one replica as soon as the cluster has a second node.
        auto_expand_replicas="0-1",
    )
    index.document(DOCUMENTS[kind])
    if chinese_analyzer:
        zh = ICU_WORDS if chinese_analyzer == ICU_TOKENIZER else chinese_analyzer
        # Merged with the document's own definition of each field when the index is made.
        mapping = index.get_or_create_mapping()
        for field_name in ZH_FIELDS[kind]:
            mapping.field(field_name, Text(fields={ZH_SUBFIELD: Text(analyzer=zh)}))
    return index
