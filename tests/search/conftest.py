"""Search tests run against a real Elasticsearch node (`eval "$(scripts/es.sh start)"` sets ELASTICSEARCH_URL).

Each session works under its own index prefix and deletes every index under it at the end, so sessions can share a
cluster. A missing URL is a failure, not a skip: a suite that silently skips search has not tested search.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from search.es.client import connect
from search.es.indexing import (
    SegmentData,
    TutorialData,
    ensure_indices,
    index_tutorial,
    replace_segments,
)

SYNONYMS = {
    "社保": ["社会保险"],
    "医保": ["医疗保险"],
    "个税": ["个人所得税"],
    "ETC": ["电子不停车收费"],
}


def tutorial_data(
    id: int,
    title: str,
    *,
    summary: str = "",
    steps: list[str] | None = None,
    category: str = "general",
    category_name: str = "综合服务",
    tags: list[str] | None = None,
    popularity: int = 0,
) -> TutorialData:
    return TutorialData(
        id=id,
        url=f"/tutorials/{id}/",
        title=title,
        summary=summary,
        steps=steps or [],
        category_slug=category,
        category_name=category_name,
        tags=tags or [],
        popularity=popularity,
    )


# The shared corpus. Each document is here for one behaviour; the comments say which.
CORPUS = [
    # title beats steps: the same phrase in 101's title and in 102's steps.
    tutorial_data(
        101,
        "社保缴费记录查询",
        summary="用手机查看每个月的缴费明细",
        steps=["打开粤省事小程序", "点击社保服务", "选择缴费记录"],
        category="shebao",
        category_name="社会保障",
        tags=["社保"],
    ),
    tutorial_data(
        102,
        "医院挂号指南",
        summary="在家预约门诊",
        steps=["打开医院公众号", "如需报销，先完成社保缴费记录查询", "选择科室和医生"],
        category="yibao",
        category_name="医疗服务",
    ),
    # phrase beats scattered characters: 电子社保卡 in 103's summary; 电 子 社 保 卡 scattered over 104's title.
    tutorial_data(
        103,
        "看病买药扫码支付",
        summary="先申领电子社保卡，看病买药都能用",
        steps=["打开微信", "进入卡包"],
        category="yibao",
        category_name="医疗服务",
    ),
    tutorial_data(104, "电子设备社区保安门卡登记", summary="小区门禁登记", steps=["到物业填表"]),
    # synonyms: says only 社会保险, never 社保.
    tutorial_data(
        105,
        "社会保险关系转移",
        summary="换工作后把社会保险转到新城市",
        steps=["登录国家政务服务平台", "提交转移申请"],
        category="shebao",
        category_name="社会保障",
    ),
    # synonyms across scripts: 电子不停车收费 only, no ETC anywhere.
    tutorial_data(106, "电子不停车收费办理", summary="高速公路不用排队", steps=["绑定银行卡", "邮寄设备"]),
    # category filter: 电子 in two categories.
    tutorial_data(
        107,
        "医保电子凭证激活",
        summary="激活后看病可以扫码",
        steps=["打开支付宝", "搜索医保电子凭证"],
        category="yibao",
        category_name="医疗服务",
    ),
    # transcript: found by what the video says.
    tutorial_data(
        108, "住房公积金提取", summary="租房也能提取", steps=["登录公积金网站", "填写提取原因"], category="housing"
    ),
    # escaping: markup in editor text must come back escaped.
    tutorial_data(109, "居住证办理", summary="<script>alert(1)</script> 办理居住证需要的材料", steps=["准备照片"]),
]

SEGMENTS = [
    SegmentData(
        id=1,
        tutorial_id=108,
        tutorial_title="住房公积金提取",
        tutorial_url="/tutorials/108/",
        category_slug="housing",
        category_name="综合服务",
        step_number=2,
        video_id="video-108",
        start=83.0,
        end=88.5,
        text="接下来点击右上角的蓝色按钮，选择租房提取",
    ),
    SegmentData(
        id=2,
        tutorial_id=108,
        tutorial_title="住房公积金提取",
        tutorial_url="/tutorials/108/",
        category_slug="housing",
        category_name="综合服务",
        step_number=2,
        video_id="video-108",
        start=88.5,
        end=92.0,
        text="然后上传租房合同的照片",
    ),
]

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def es_url() -> str:
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    if not url:
        pytest.fail(
            "ELASTICSEARCH_URL is not set. The search tests need a real node: "
            'eval "$(scripts/es.sh start)" (and scripts/es.sh stop "$ES_TMP" afterwards).',
            pytrace=False,
        )
    return url


@pytest.fixture(scope="session")
def es_zh() -> Iterator[Elasticsearch]:
    """A second node with a Chinese analysis plugin (smartcn), as a site's own cluster may have."""
    url = os.environ.get("ELASTICSEARCH_ZH_URL", "").strip()
    if not url:
        pytest.fail(
            "ELASTICSEARCH_ZH_URL is not set. These tests need a node with the smartcn analyzer: "
            'eval "$(ES_PLUGINS=smartcn scripts/es.sh start)" and set ELASTICSEARCH_ZH_URL to its URL '
            "(make test does this).",
            pytrace=False,
        )
    client = connect(url=url, web_request=False)
    client.cluster.health(wait_for_status="yellow", timeout="30s")
    yield client
    client.close()


@pytest.fixture(scope="session")
def es(es_url: str) -> Iterator[Elasticsearch]:
    client = connect(url=es_url, web_request=False)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="30s")
    except Exception as exc:  # noqa: BLE001 - any failure to reach the node means the same thing here
        pytest.fail(f"Elasticsearch at {es_url} does not answer: {exc}", pytrace=False)
    yield client
    client.close()


@pytest.fixture(scope="session")
def session_prefix(es: Elasticsearch) -> Iterator[str]:
    prefix = f"bangban-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    delete_prefix(es, prefix)


def delete_prefix(es: Elasticsearch, prefix: str) -> None:
    # Names, not a wildcard delete: clusters may refuse wildcard deletes (action.destructive_requires_name).
    names = list(es.indices.get(index=f"{prefix}-*", expand_wildcards="all").keys())
    if names:
        es.indices.delete(index=",".join(names))


@pytest.fixture
def fresh_prefix(session_prefix: str) -> str:
    """An empty prefix of its own, for tests that reindex or break things; cleaned up with the session's."""
    return f"{session_prefix}-t{next(_counter)}"


@pytest.fixture(scope="session")
def prefix(es: Elasticsearch, session_prefix: str) -> str:
    """The shared corpus, indexed once per session through the same functions publishing uses."""
    prefix = f"{session_prefix}-shared"
    ensure_indices(es, prefix)
    for data in CORPUS:
        index_tutorial(es, prefix, data)
    replace_segments(es, prefix, 108, SEGMENTS)
    es.indices.refresh(index=f"{prefix}-*")
    return prefix
