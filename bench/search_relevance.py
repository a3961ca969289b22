"""Citizen search relevance: do colloquial questions find the right demo tutorial in the top 3?

A fixed set of queries typed (or dictated) the way older citizens ask: question words and particles around the
point, everyday words instead of the tutorial's terms (退休工资 for 养老金), abbreviations (社保 医保 个税 公积金),
homophone typos from pinyin input, and a few lines of the spoken narration of the demo video. Each names the demo
tutorial it should find. The live tutorials are indexed with `reindex_all` into an index prefix of this benchmark's
own, the usual synonym groups are made sure of, and every query goes through `search.services.search_citizen`, so
the figure is what citizens get.

Figure: precision@3, the share of queries whose expected tutorial is among the first three results. Aim: 0.9.
Baseline in the same run: the database fallback (reduced mode, no cluster configured: PostgreSQL full text over
the jieba-cut words) on the same queries.

    DATABASE_URL=postgres://... ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python -m bench.search_relevance
"""

import os
import statistics
import sys
import unicodedata
from collections import defaultdict

AIM = 0.9
TOP = 3
PREFIX = "bench-relevance"
SYNONYM_GROUPS = [
    ["社保", "社会保险"],
    ["医保", "医疗保险"],
    ["个税", "个人所得税"],
    ["公积金", "住房公积金"],
]

SOCIAL = "check-social-insurance-payments"
PENSION = "pension-eligibility-check"
MED_CODE = "activate-medical-insurance-code"
TAX = "annual-tax-reconciliation"
HOSPITAL = "book-hospital-appointment"
RESIDENCE = "apply-residence-permit"
FUND = "withdraw-housing-fund"
HK_MACAU = "renew-hk-macau-endorsement"
E_BIKE = "register-e-bike"
OUT_OF_TOWN = "medical-insurance-out-of-town"

# (query, slug of the demo tutorial it should find, kind)
# kinds: plain = everyday wording; synonym = an abbreviation or its long form, not the tutorial's own word;
# filler = question words and particles around the point; typo = a pinyin-input homophone or slip;
# spoken = words of the demo video's narration (the transcript of check-social-insurance-payments).
QUERIES: list[tuple[str, str, str]] = [
    ("怎么查社保交了多少钱", SOCIAL, "filler"),
    ("社保缴费记录在哪里看", SOCIAL, "plain"),
    ("我的社会保险交了几年了怎么查", SOCIAL, "synonym"),
    ("单位有没有给我交社保", SOCIAL, "plain"),
    ("社报缴费查询", SOCIAL, "typo"),
    ("显示未缴是怎么回事", SOCIAL, "spoken"),
    ("已实缴是什么意思", SOCIAL, "spoken"),
    ("手机桌面上蓝色的图标", SOCIAL, "spoken"),
    ("养老金认证怎么刷脸", PENSION, "filler"),
    ("退休工资每年年审手机上怎么弄", PENSION, "plain"),
    ("帮我妈做养老金资格认证", PENSION, "plain"),
    ("领养老金的认证过期了吗", PENSION, "filler"),
    ("医保卡在手机上怎么用", MED_CODE, "filler"),
    ("医保码怎么激活", MED_CODE, "filler"),
    ("看病不带医保卡能用手机付吗", MED_CODE, "plain"),
    ("医疗保险电子凭证怎么弄", MED_CODE, "synonym"),
    ("给爸妈出示医保码亲情账户", MED_CODE, "plain"),
    ("退税怎么弄", TAX, "filler"),
    ("个税年度汇算怎么办", TAX, "synonym"),
    ("个人所得税多交了能退回来吗", TAX, "filler"),
    ("赡养老人专项扣除在哪填", TAX, "plain"),
    ("个税年度会算", TAX, "typo"),
    ("看病挂号手机上能约吗", HOSPITAL, "filler"),
    ("医院挂号怎么在网上预约", HOSPITAL, "filler"),
    ("头晕挂哪个科", HOSPITAL, "plain"),
    ("网上预约挂好", HOSPITAL, "typo"),
    ("外地人怎么办居住证", RESIDENCE, "filler"),
    ("孩子在这边上学要办居住证吗", RESIDENCE, "filler"),
    ("暂住证在网上怎么申请", RESIDENCE, "plain"),
    ("公积金怎么取出来付房租", FUND, "filler"),
    ("租房提取住房公积金", FUND, "synonym"),
    ("查一下公积金还有多少钱", FUND, "filler"),
    ("公基金提取", FUND, "typo"),
    ("港澳通行证过期了续签", HK_MACAU, "plain"),
    ("去香港旅游签注怎么办", HK_MACAU, "filler"),
    ("去澳门探亲签注在网上能办吗", HK_MACAU, "filler"),
    ("电动车怎么上牌照", E_BIKE, "filler"),
    ("电瓶车上牌要带什么", E_BIKE, "plain"),
    ("新买的电动自行车要登记吗", E_BIKE, "filler"),
    ("在外地看病医保能报吗", OUT_OF_TOWN, "filler"),
    ("异地就医备案怎么办", OUT_OF_TOWN, "filler"),
    ("去子女那边养老看病怎么用医疗保险", OUT_OF_TOWN, "synonym"),
    ("医保异地备按", OUT_OF_TOWN, "typo"),
    ("社保交费记录", SOCIAL, "typo"),
    ("记录上有个月没交可以打12333问吗", SOCIAL, "spoken"),
    ("退休金认证", PENSION, "plain"),
    ("老人刷脸认证老是失败怎么办", PENSION, "filler"),
    ("养老资格人证", PENSION, "typo"),
    ("买药刷手机上的医保", MED_CODE, "plain"),
    ("一保码", MED_CODE, "typo"),
    ("有个不认识的公司给我报了工资收入", TAX, "plain"),
    ("帮父母在手机上挂个专家号", HOSPITAL, "plain"),
    ("居住证每年签注", RESIDENCE, "plain"),
    ("住房公积金租房能提吗", FUND, "filler"),
    ("去香港要办什么手续", HK_MACAU, "plain"),
    ("交管12123电动车登记", E_BIKE, "plain"),
    ("回老家看病能不能直接用医保结算", OUT_OF_TOWN, "filler"),
]


# Per query: rank of the expected tutorial (1-based) or None, top titles, spoken lines on it, reduced mode.
Row = tuple[int | None, list[str], int, bool]


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    """Left-align in a terminal: Han characters take two cells."""
    while width(text) > cells:
        text = text[:-1]
    return text + " " * (cells - width(text))


def ensure_synonyms() -> int:
    """Create the usual synonym groups as SearchSynonym rows unless a row already holds the group; returns created."""
    from search.models import SearchSynonym

    existing = [set(synonym.words()) for synonym in SearchSynonym.objects.all()]
    created = 0
    for group in SYNONYM_GROUPS:
        if not any(set(group) <= words for words in existing):
            SearchSynonym.objects.create(terms=", ".join(group))
            created += 1
    return created


def delete_prefix_indices(client, prefix: str) -> list[str]:
    """Delete every index named after `prefix` (by explicit names: clusters refuse wildcard deletes by default)."""
    names = sorted(client.indices.get(index=f"{prefix}-*", expand_wildcards="all").keys())
    if names:
        client.options(ignore_status=404).indices.delete(index=",".join(names))
    return names


def run_queries(slugs: dict[int, str]) -> list[Row]:
    from search.services import search_citizen

    out = []
    for query, expected, _kind in QUERIES:
        outcome = search_citizen(query=query, size=10)
        found = [slugs.get(int(hit.tutorial_id), "?") for hit in outcome.results.hits]
        rank = found.index(expected) + 1 if expected in found else None
        spoken = len(outcome.results.hits[rank - 1].spoken) if rank else 0
        titles = [hit.title for hit in outcome.results.hits[:TOP]]
        out.append((rank, titles, spoken, outcome.reduced))
    return out


def precision(rows: list[Row], indices: list[int] | None = None, *, top: int = TOP) -> float:
    """Share of the queries (all, or those at `indices`) whose expected tutorial is in the first `top` results."""
    picked = [rows[i] for i in indices] if indices is not None else rows
    return sum(1 for rank, *_ in picked if rank is not None and rank <= top) / len(picked)


def reciprocal_rank(rows: list[Row]) -> float:
    return statistics.fmean(1 / rank if rank else 0.0 for rank, *_ in rows)


def report(es_rows: list[Row], db_rows: list[Row]) -> None:
    print(f"\n{pad('query', 34)} {pad('expected', 44)} {'ES':>3} {'DB':>3} {'spk':>3}  top {TOP} on Elasticsearch")
    for (query, expected, kind), es, db in zip(QUERIES, es_rows, db_rows, strict=True):
        (rank, titles, spoken, _), db_rank = es, db[0]
        cells = f"{rank or '-':>3} {db_rank or '-':>3} {spoken or '':>3}"
        print(f"{pad(query, 34)} {pad(f'{expected} ({kind})', 44)} {cells}  {' | '.join(titles) or '(nothing)'}")

    by_kind: dict[str, list[int]] = defaultdict(list)
    for n, (_, _, kind) in enumerate(QUERIES):
        by_kind[kind].append(n)
    print(f"\nprecision@{TOP} by kind of query  (Elasticsearch / database fallback)")
    for kind, at in sorted(by_kind.items()):
        print(f"  {kind:<8} {len(at):>3} queries  {precision(es_rows, at):.2f} / {precision(db_rows, at):.2f}")
    es_p, db_p = precision(es_rows), precision(db_rows)
    print(
        f"\nprecision@{TOP} over {len(QUERIES)} queries: Elasticsearch {es_p:.2f} (aim {AIM:.1f} -> "
        f"{es_p / AIM:.0%} of aim), database fallback {db_p:.2f} (baseline); "
        f"Elasticsearch/database {es_p / db_p if db_p else float('inf'):.2f}x"
    )
    print(
        f"precision@1: Elasticsearch {precision(es_rows, top=1):.2f}, database fallback "
        f"{precision(db_rows, top=1):.2f}; mean reciprocal rank (top 10): Elasticsearch "
        f"{reciprocal_rank(es_rows):.2f}, database fallback {reciprocal_rank(db_rows):.2f}"
    )
    spoken = by_kind.get("spoken", [])
    with_line = sum(1 for n in spoken if es_rows[n][2] > 0)
    print(f"spoken-transcript queries with a transcript line on the expected tutorial: {with_line}/{len(spoken)}")
    misses = [(q, e) for (q, e, _), (rank, *_) in zip(QUERIES, es_rows, strict=True) if not rank or rank > TOP]
    if misses:
        print("misses on Elasticsearch: " + "; ".join(f"{q} (want {e})" for q, e in misses))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    # Figures only: one log line per cluster request (elastic_transport logs at INFO) would bury them.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    from search.es.analysis import cluster_capabilities
    from search.es.indexing import reindex_all
    from search.selectors import searchable_tutorials, segment_data, tutorial_data
    from search.services import es_client, fallback_rebuild, load_site_words

    if not settings.ELASTICSEARCH_URL:
        print("ELASTICSEARCH_URL is not set", file=sys.stderr)
        return 1
    pages = list(searchable_tutorials())
    slugs = {page.pk: page.slug for page in pages}
    missing = sorted({slug for _, slug, _ in QUERIES} - set(slugs.values()))
    if missing:
        print(f"demo tutorials missing ({', '.join(missing)}): run `manage.py seed_demo` first", file=sys.stderr)
        return 1
    created = ensure_synonyms()
    load_site_words()
    # The database search's entries, as `search_reindex` builds them (publishing leaves them to a task worker).
    fallback_rebuild()
    tutorials = [tutorial_data(page) for page in pages]
    segments = [segment for page in pages for segment in segment_data(page)]
    client = es_client(web_request=False)
    try:
        summary = reindex_all(client, PREFIX, tutorials, segments)
        print(
            f"indexed {summary['counts']['tutorials']} tutorials and {summary['counts']['segments']} transcript "
            f"segments under prefix {PREFIX!r}; synonym groups created: {created} of {len(SYNONYM_GROUPS)}"
        )
        analyzer = cluster_capabilities(client).chinese_analyzer
        print(
            f"the cluster's Chinese analyzer: {analyzer} (zh sub-fields searched too)"
            if analyzer
            else "the cluster's Chinese analyzer: none (built-in analyzers and jieba only)"
        )
        # Zero-result queries are recorded for editors; a benchmark must not add to that list: roll back.
        with transaction.atomic():
            with override_settings(ELASTICSEARCH_INDEX_PREFIX=PREFIX):
                es_rows = run_queries(slugs)
            with override_settings(ELASTICSEARCH_URL=""):
                db_rows = run_queries(slugs)
            transaction.set_rollback(True)
    finally:
        delete_prefix_indices(client, PREFIX)

    if any(reduced for *_, reduced in es_rows):
        print("warning: some Elasticsearch queries fell back to the database (cluster errors)", file=sys.stderr)
    if not all(reduced for *_, reduced in db_rows):
        print("warning: some database-fallback queries did not run in reduced mode", file=sys.stderr)
    report(es_rows, db_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
