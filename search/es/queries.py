"""Citizen search over tutorials and their spoken transcripts.

User text only ever reaches Elasticsearch as the *value* of match / match_phrase / multi_match / terms queries,
never through query_string syntax, so quotes, `*`, `:` or a pasted JSON body are just characters to look for.

How a query scores (all clauses are `should`; a tutorial needs at least one):
- the query's characters in order (`phrase` on the `standard` fields, one token per Han character) weigh most,
  title over category name over summary over steps;
- the jieba words of the query on the `*_seg` fields (all but one of a few, three quarters of many, in any field)
  give recall when the words come in another order (查社保 finds 社保查询);
- on a cluster with a Chinese analysis plugin (IK, smartcn, ICU), the same key words against the `zh` sub-fields,
  which hold the texts as the cluster's own segmenter cuts them (elsewhere those sub-fields do not exist and the
  clause matches nothing);
- the characters in any order (most of them) catch what segmentation missed, with a small weight;
- a query word equal to a tag;
- synonyms: for every synonym group with a form in the query, the phrase and word clauses again with the other
  form put in its place (社保 -> 社会保险), a little lighter than what the user typed;
- popularity is added, not multiplied, so it only breaks near-ties.

"Did you mean" (see _suggest_search) is offered when nothing matched well: no hits, or only hits that share
scattered characters with the query.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.dsl import Q
from elasticsearch.dsl.query import Query

from search import highlight
from search.es.documents import Kind, alias_name
from search.es.segment import cut

MAX_QUERY_CHARS = 100
MAX_SIZE = 50
# Titles fetched as "did you mean" candidates (some may already be on the page).
SUGGESTION_CANDIDATES = 4
# Transcript matches add to a tutorial's own score at this weight (scores of two indices are only roughly alike).
SPOKEN_WEIGHT = 0.5
SPOKEN_PER_TUTORIAL = 3
# Transcript lines fetched per search and grouped by tutorial; enough for a page of tutorials with a few lines each.
SPOKEN_CANDIDATES = 30
# Highlight fragments, in characters: one from the summary, up to two from the steps.
SUMMARY_FRAGMENT = 80
STEP_FRAGMENT = 60
STEP_FRAGMENTS = 2
MAX_SYNONYM_EXPANSIONS = 8

# Question words and particles elderly users type around what they want ("我想问一下怎么查社保啊");
# they are in many step texts too, so matching on them only adds noise.
FILLER_WORDS = frozenset(
    "怎么 怎样 怎么样 如何 咋 咋样 怎么办 怎么弄 咋弄 怎么搞 怎么整 "
    "我要 我想 想要 请问 问一下 一下 哪里 在哪 在哪里 哪儿 可以 能否 能不能 "
    "是否 什么 为什么 多少 多少钱 几 哪个 哪些 吗 呢 啊 呀 吧 的 了 么 我 要 想 去 问 请".split()
)
# Particles jieba glues to the word before them (交了, 好了吗); the word without them is what a tutorial says.
_TRAILING_PARTICLES = "了吗呢啊吧呀"

_SPACES = re.compile(r"\s+")

_PHRASE_FIELDS = ["title^10", "category_name^4", "summary^5", "steps^2"]
_WORD_FIELDS = ["title_seg^4", "summary_seg^2", "steps_seg"]
# The same words as the cluster's Chinese analyzer cuts them (search.es.documents.ZH_FIELDS), on clusters that have
# one; elsewhere these sub-fields do not exist and the clause matches nothing.
_ZH_FIELDS = ["title.zh^4", "summary.zh^2", "steps.zh"]
_CHAR_FIELDS = ["title^2", "summary", "steps^0.5"]
# How many of the query's key words a document needs: one of one, all but one of two to five (a question often
# carries one word the tutorial does not use: 社保 交了 多少钱), three quarters of more.
_WORDS_MATCH = "1<-1 5<75%"
# Clause names (`_name`, unique per request: Elasticsearch keys matches by name; given in the second step only,
# see _named). A tutorial matched only by the weak clause (its characters, scattered) may be a miss, so
# "did you mean" is still offered.
_STRONG, _WEAK = "strong", "weak"


class SearchUnavailableError(RuntimeError):
    """The cluster did not answer usefully; the caller falls back to database search."""


@dataclass(frozen=True)
class SpokenHit:
    start: float
    end: float
    text_highlight: str
    video_id: str
    step_number: int | None


@dataclass(frozen=True)
class TutorialHit:
    tutorial_id: int | str
    title: str
    url: str
    category_name: str
    score: float
    highlights: list[str]
    spoken: list[SpokenHit]
    # The title with matches marked, HTML-escaped (plain escaped title when the title did not match).
    title_highlight: str = ""


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: list[TutorialHit] = field(default_factory=list)
    suggestion: str | None = None


def clean_query(text: str | None) -> str:
    """Full-width forms folded (NFKC), control and invisible characters dropped, whitespace collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc":
            kept.append(" ")  # tabs and newlines separate words; NUL and the like go
        elif not category.startswith("C"):  # format, surrogate, private-use and unassigned characters
            kept.append(ch)
    return _SPACES.sub(" ", "".join(kept)).strip()


def normalize_query(text: str | None) -> str:
    """The query as searched, shown and stored: cleaned (clean_query), at most MAX_QUERY_CHARS characters."""
    return clean_query(text)[:MAX_QUERY_CHARS].strip()


def _int_or_str(value: str) -> int | str:
    return int(value) if value.isdigit() else value


@dataclass(frozen=True, kw_only=True)
class _Parsed:
    text: str  # normalized query
    phrase: str  # the query without filler words before and after it, for phrase matching
    chars: str  # the query without any filler words, for matching characters in any order
    words: list[str]  # distinct non-filler jieba words

    @property
    def key_words(self) -> list[str]:
        """The words most of which a document must contain.

        One-character verbs (查 办 交 领) rarely appear alone in a tutorial, which says 查询 办理 缴纳 申领; they count
        only through the character clause, unless the query has nothing else.
        """
        return [w for w in self.words if len(w) > 1] or self.words


def _strip_particles(token: str) -> str:
    stripped = token.rstrip(_TRAILING_PARTICLES)
    return stripped or token


def _parse(text: str) -> _Parsed:
    raw = cut(text)
    tokens = [_strip_particles(t) for t in raw]
    kept = [t for t in tokens if t not in FILLER_WORDS] or tokens
    # Fillers inside the phrase stay (右上角的蓝色按钮 is one phrase); around it they go (怎么查社保啊 -> 查社保).
    start, end = 0, len(tokens)
    while start < end and tokens[start] in FILLER_WORDS:
        start += 1
    while end > start and tokens[end - 1] in FILLER_WORDS:
        end -= 1
    phrase = " ".join(raw[start:end] or raw) or text
    return _Parsed(text=text, phrase=phrase, chars=" ".join(kept) or text, words=list(dict.fromkeys(kept)))


@functools.lru_cache(maxsize=4096)
def _normalized_group(head: str, others: tuple[str, ...]) -> tuple[str, ...]:
    """A synonym group's distinct forms as queries are normalized, longest first (so 医疗保险 in a query is not also
    taken for a shorter form inside it). Cached: every search goes through every group."""
    forms = dict.fromkeys(normalize_query(form).lower() for form in [head, *others])
    return tuple(sorted((form for form in forms if form), key=len, reverse=True))


def _synonym_variants(parsed: _Parsed, synonyms: dict[str, list[str]] | None) -> list[_Parsed]:
    """The query again with each synonym form replaced by each other form of its group."""
    if not synonyms:
        return []
    lowered = parsed.text.lower()
    variants: list[_Parsed] = []
    seen = {lowered}
    for head, others in synonyms.items():
        group = _normalized_group(head, tuple(others))
        for form in group:
            if form in lowered:
                for other in group:
                    variant = lowered.replace(form, other)
                    if other != form and variant not in seen:
                        seen.add(variant)
                        variants.append(_parse(variant))
                break
    return variants[:MAX_SYNONYM_EXPANSIONS]


def _is_strong(hit: dict[str, Any]) -> bool:
    return any(name.startswith(_STRONG) for name in hit.get("matched_queries", []))


def _named(name: str, weak: bool) -> dict[str, str]:
    """A clause's name, asked only with the weak clause: without it every hit is strong, and naming clauses makes
    the cluster run each named one again on every hit returned (about a fifth of a search's CPU there)."""
    return {"_name": name} if weak else {}


def _text_clauses(parsed: _Parsed, *, boost: float, tag: str, weak: bool) -> list[Query]:
    clauses: list[Query] = [
        Q(
            "multi_match", query=parsed.phrase, type="phrase", fields=_PHRASE_FIELDS, boost=3 * boost,
            **_named(f"{_STRONG}-{tag}-phrase", weak),
        ),
    ]  # fmt: skip
    if parsed.key_words:
        clauses.append(
            Q(
                "multi_match",
                query=" ".join(parsed.key_words),
                type="cross_fields",
                fields=_WORD_FIELDS,
                operator="or",
                minimum_should_match=_WORDS_MATCH,
                boost=boost,
                **_named(f"{_STRONG}-{tag}-words", weak),
            )
        )
        clauses.append(
            Q(
                "multi_match", query=" ".join(parsed.key_words), type="cross_fields", fields=_ZH_FIELDS,
                operator="or", minimum_should_match=_WORDS_MATCH, boost=boost, **_named(f"{_STRONG}-{tag}-zh", weak),
            )
        )  # fmt: skip
    return clauses


def _tutorial_query(parsed: _Parsed, variants: list[_Parsed], category: str | None, *, weak: bool = True) -> Query:
    should = _text_clauses(parsed, boost=1.0, tag="query", weak=weak)
    if weak:
        should.append(
            Q(
                "multi_match",
                query=parsed.chars,
                type="cross_fields",
                fields=_CHAR_FIELDS,
                operator="or",
                minimum_should_match="3<75%",
                boost=0.3,
                _name=_WEAK,
            )
        )
    if parsed.words:
        should.append(Q("terms", tags=parsed.words, boost=2.0, **_named(f"{_STRONG}-tags", weak)))
    for n, variant in enumerate(variants):
        should.extend(_text_clauses(variant, boost=0.9, tag=f"synonym{n}", weak=weak))
    query = Q("bool", should=should, minimum_should_match=1, filter=[Q("term", category=category)] if category else [])
    return Q(
        "function_score",
        query=query,
        functions=[{"field_value_factor": {"field": "popularity", "modifier": "log2p", "factor": 0.01, "missing": 0}}],
        boost_mode="sum",
    )


def _segment_query(parsed: _Parsed, variants: list[_Parsed], *, weak: bool = True) -> Query:
    def clauses(p: _Parsed, boost: float, tag: str) -> list[Query]:
        phrase = {"query": p.phrase, "boost": 3 * boost, **_named(f"{_STRONG}-{tag}-phrase", weak)}
        out: list[Query] = [Q("match_phrase", text=phrase)]
        if p.key_words:
            words = {"query": " ".join(p.key_words), "minimum_should_match": _WORDS_MATCH, "boost": boost}
            out.append(Q("match", text_seg={**words, **_named(f"{_STRONG}-{tag}-words", weak)}))
            out.append(Q("match", **{"text.zh": {**words, **_named(f"{_STRONG}-{tag}-zh", weak)}}))
        return out

    should = clauses(parsed, 1.0, "query")
    if weak:
        should.append(
            Q("match", text={"query": parsed.chars, "minimum_should_match": "3<75%", "boost": 0.3, "_name": _WEAK})
        )
    for n, variant in enumerate(variants):
        should.extend(clauses(variant, 0.9, f"synonym{n}"))
    return Q("bool", should=should, minimum_should_match=1)


def _highlight_pattern(parsed: _Parsed, variants: list[_Parsed]) -> highlight.Terms | None:
    """Whole phrases and words to mark, not every occurrence of each character of the query.

    key_words: a one-character word (查, 办) would light up every occurrence of that character.
    """
    words = [*parsed.key_words, *(w for v in variants for w in v.key_words)]
    return highlight.pattern([parsed.phrase, *(v.phrase for v in variants), *words])


def _body(query: Query, source: list[str], size: int, **extra: Any) -> dict[str, Any]:
    """A search request body around a query built with the DSL (a plain dict: the DSL's Search object clones
    itself at each step, which cost as much as the rest of building the request)."""
    return {"query": query.to_dict(), "_source": source, "size": size, **extra}


def _tutorial_search(
    parsed: _Parsed, variants: list[_Parsed], category: str | None, size: int, *, weak: bool = True
) -> dict[str, Any]:
    query = _tutorial_query(parsed, variants, category, weak=weak)
    return _body(query, ["title", "url", "category_name", "summary", "steps"], size, track_total_hits=True)


_SEGMENT_SOURCE = "tutorial_id tutorial_title tutorial_url category_name start end video_id step_number text".split()


def _segment_search(
    parsed: _Parsed, variants: list[_Parsed], category: str | None, *, weak: bool = True
) -> dict[str, Any]:
    """The best transcript lines; grouped by tutorial in Python (see _group_spoken), which is cheaper than
    collapse + inner_hits in the cluster. Each line carries its tutorial's title, URL and category, so a tutorial
    found only by what its video says needs no second request."""
    query = _segment_query(parsed, variants, weak=weak)
    if category:
        query = Q("bool", must=[query], filter=[Q("term", category=category)])
    # No count of matching lines is shown, so none is asked for: the cluster may then skip lines that cannot
    # make the best SPOKEN_CANDIDATES.
    return _body(query, _SEGMENT_SOURCE, SPOKEN_CANDIDATES, track_total_hits=False)


def _suggest_search(parsed: _Parsed, category: str | None) -> dict[str, Any]:
    """The tutorial titles closest to the query, for "did you mean" when nothing matched well.

    The built-in analyzers give no Chinese-aware term or phrase suggester (a Han character is one edit away from
    every other, and jieba cuts a mistyped word unpredictably), so instead of correcting the query word by word
    this offers the title sharing at least half of the query's characters, ranked by shared characters plus shared
    neighbouring-character pairs (`title_suggest`): 社报缴废 -> 社保缴费记录查询. A title is also what an elderly
    user can tap without retyping.
    """
    query = Q(
        "bool",
        must=[Q("match", title={"query": parsed.chars, "minimum_should_match": "2<50%"})],
        should=[Q("match", title_suggest={"query": parsed.phrase, "boost": 2.0})],
        filter=[Q("term", category=category)] if category else [],
    )
    return _body(query, ["title"], SUGGESTION_CANDIDATES)


def _check(response: dict[str, Any]) -> dict[str, Any]:
    if "error" in response:
        raise SearchUnavailableError(f"search failed: {response['error']}")
    return response


def _msearch(client: Elasticsearch, searches: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """One round trip for several searches, each on one alias."""
    body: list[dict[str, Any]] = []
    for index, search_body in searches:
        body.append({"index": index})
        body.append(search_body)
    try:
        response = client.msearch(searches=body)
    except (ApiError, TransportError) as exc:
        raise SearchUnavailableError(str(exc)) from exc
    return [_check(r) for r in response["responses"]]


@dataclass
class _SpokenGroup:
    score: float  # the best line's
    strong: bool
    source: dict[str, Any]  # the best line's: tutorial title, URL and category name
    lines: list[dict[str, Any]]


def _group_spoken(hits: list[dict[str, Any]]) -> dict[str, _SpokenGroup]:
    """Transcript lines (best first) grouped by tutorial, at most SPOKEN_PER_TUTORIAL lines each, best first."""
    groups: dict[str, _SpokenGroup] = {}
    for hit in hits:
        tutorial_id = str(hit["_source"]["tutorial_id"])
        group = groups.get(tutorial_id)
        if group is None:
            group = groups[tutorial_id] = _SpokenGroup(float(hit["_score"] or 0.0), False, hit["_source"], [])
        group.strong = group.strong or _is_strong(hit)
        if len(group.lines) < SPOKEN_PER_TUTORIAL:
            group.lines.append(hit["_source"])
    return groups


def _spoken_hits(group: _SpokenGroup | None, found: highlight.Terms | None) -> list[SpokenHit]:
    if group is None:
        return []
    return [
        SpokenHit(
            start=float(line["start"]),
            end=float(line["end"]),
            text_highlight=highlight.mark(line.get("text", ""), found),
            video_id=str(line.get("video_id") or ""),
            step_number=line.get("step_number"),
        )
        for line in group.lines
    ]


def _tutorial_hit(
    tutorial_id: str, source: dict[str, Any], *, score: float, spoken: list[SpokenHit], found: highlight.Terms | None
) -> TutorialHit:
    title = source.get("title", "")
    highlights = [
        *(f for f in [highlight.fragment(source.get("summary") or "", found, SUMMARY_FRAGMENT)] if f),
        *highlight.best_fragments(source.get("steps") or [], found, size=STEP_FRAGMENT, count=STEP_FRAGMENTS),
    ]
    return TutorialHit(
        tutorial_id=_int_or_str(tutorial_id),
        title=title,
        url=source.get("url", ""),
        category_name=source.get("category_name", ""),
        score=score,
        highlights=highlights,
        spoken=spoken,
        title_highlight=highlight.mark(title, found),
    )


def search(
    client: Elasticsearch,
    prefix: str,
    query: str,
    *,
    category: str | None = None,
    synonyms: dict[str, list[str]] | None = None,
    size: int = 10,
) -> SearchResults:
    """Tutorials for a citizen's query, best first, with spoken (transcript) matches grouped under each tutorial.

    First the strong clauses only (tutorials and transcript lines in one msearch); when they fill less than a
    page, again with the weak one (the query's characters in any order), which costs more than the rest of the
    query together and only matters when little else matched, and with the "did you mean" titles. Never raises
    for any query text; raises SearchUnavailableError when the cluster fails.
    """
    text = normalize_query(query)
    size = max(1, min(int(size), MAX_SIZE))
    category = (category or "").strip()[:100] or None
    # Nothing to look for (empty, only punctuation or emoji): answer without asking the cluster.
    if not any(ch.isalnum() for ch in text):
        return SearchResults(query=text, total=0)
    parsed = _parse(text)
    variants = _synonym_variants(parsed, synonyms)
    tutorial_alias, segment_alias = alias_name(prefix, Kind.TUTORIALS), alias_name(prefix, Kind.SEGMENTS)
    tutorials, segments = _msearch(
        client,
        [
            (tutorial_alias, _tutorial_search(parsed, variants, category, size, weak=False)),
            (segment_alias, _segment_search(parsed, variants, category, weak=False)),
        ],
    )
    suggestions = None
    # A full page from the strong clauses is a page of strong hits: no "did you mean" is offered then, so the
    # titles for it are asked only with the weak clause. (Hits of the first step alone carry no clause names, so
    # _is_strong says False for them; it only matters for a suggestion, which that step never has.)
    if int(tutorials["hits"]["total"]["value"]) < size:
        tutorials, segments, suggestions = _msearch(
            client,
            [
                (tutorial_alias, _tutorial_search(parsed, variants, category, size)),
                (segment_alias, _segment_search(parsed, variants, category)),
                (tutorial_alias, _suggest_search(parsed, category)),
            ],
        )
    found = _highlight_pattern(parsed, variants)
    spoken = _group_spoken(segments["hits"]["hits"])
    strong_ids = {hit["_id"] for hit in tutorials["hits"]["hits"] if _is_strong(hit)}
    strong_ids |= {tutorial_id for tutorial_id, group in spoken.items() if group.strong}
    # (score, tutorial id, title/url/category source)
    scored: list[tuple[float, str, dict[str, Any]]] = [
        (float(hit["_score"] or 0.0), hit["_id"], hit["_source"]) for hit in tutorials["hits"]["hits"]
    ]
    in_text = {hit["_id"] for hit in tutorials["hits"]["hits"]}
    # A tutorial found only in its video: its title, URL and category come with its transcript lines.
    only_spoken = [
        (0.0, tutorial_id, {"title": g.source.get("tutorial_title", ""), "url": g.source.get("tutorial_url", ""),
                            "category_name": g.source.get("category_name", "")})
        for tutorial_id, g in spoken.items()
        if tutorial_id not in in_text
    ]  # fmt: skip
    scored.extend(only_spoken)
    ranked = sorted(
        (
            (score + SPOKEN_WEIGHT * (spoken[tid].score if tid in spoken else 0.0), tid, source)
            for score, tid, source in scored
        ),
        key=lambda item: item[0],
        reverse=True,
    )[:size]
    hits = [
        _tutorial_hit(tid, source, score=score, spoken=_spoken_hits(spoken.get(tid), found), found=found)
        for score, tid, source in ranked
    ]
    confident = any(str(hit.tutorial_id) in strong_ids for hit in hits)
    return SearchResults(
        query=text,
        total=int(tutorials["hits"]["total"]["value"]) + len(only_spoken),
        hits=hits,
        suggestion=None if confident or suggestions is None else _suggestion(suggestions, hits),
    )


def _suggestion(response: dict[str, Any], hits: list[TutorialHit]) -> str | None:
    """The closest title not already on the page; asked only when no hit matched more than scattered characters."""
    shown = {hit.title for hit in hits}
    for hit in response["hits"]["hits"]:
        title = hit["_source"].get("title", "")
        if title and title not in shown:
            return title
    return None
