"""Citizen search at scale: bulk indexing rate, and /api/search latency under 20 concurrent clients.

Indexing: 10,000 generated tutorials and 200,000 transcript segments (deterministic Chinese text built from a
vocabulary of service words, as TutorialData/SegmentData, no database) go through `reindex_all` into an index prefix
of this benchmark's own; the figure is documents per second over the whole call (word segmentation, bulk requests,
refresh, alias swap), the median of 2 runs when the first leaves time for a second. Aim: >= 2,000 docs/s.

Serving: the site runs as in production, under `python -m cms.serve` (Granian: one worker process per core with
8 threads each, DEBUG off) on 127.0.0.1, with ELASTICSEARCH_INDEX_PREFIX pointing at those indices; 20 client
threads with keep-alive connections fire a bounded number of GET /api/search requests. Two kinds of load:
- every question new: 2,000 different generated questions, so every one is searched in the cluster (the cost of
  the search itself; kept answers cannot help);
- citizen mix: 2,000 questions drawn with Zipf-like popularity from 200 different ones (a few asked all the time,
  a long tail asked once, as in a search log), after a warm-up of 500 such questions, as on a site that has been
  running: popular questions are answered from kept answers (see search.services.search_citizen; in the
  Redis that `make bench` starts, SEARCH_CACHE_URL, else in each server process's memory); the "cluster" column
  shows how many requests still reached the cluster.
Before measuring, other new questions warm the cluster up (not counted), as on a node that has been running: a
freshly started node's CPU per search falls for its first tens of thousands of searches while the JVM compiles its
hot code. 12,000 different questions, in parts of 2,000, asked again in full (nothing kept) until a pass's best part
is no longer 5% below the previous pass's best (at most 48,000 searches); the bench prints each part's figure.
Baseline in the same run, same server, same clients: GET /api/search with an empty q, answered 400 before any search
(request parsing, middleware, JSON), so the ratio shows what the search itself costs. Short single-client passes
show the service time without queueing, and `search_citizen` and `queries.search` called in-process without HTTP
split it up. Each kind runs 3 rounds, each from no kept answers (as after a change to the index); the figure is
the median of their p95s. Aim: p95 <= 50 ms for search under 20 clients; both kinds are printed against it.
CPU per request of the trivial and the every-question-new loads is split by part (the cluster's process from /proc
when the node is on this machine, else its node statistics; the web server's processes from /proc; Redis from INFO;
the client threads of this process; the database is not counted: a search reads nothing there unless it found
nothing), with the most such requests a second that the machine's cores could serve.

The indices are deleted and the server stopped at the end; searches that found nothing (recorded for editors by the
site) are taken out of the database again.

    DATABASE_URL=postgres://... ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python -m bench.search_speed
"""

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

AIM_DOCS_PER_S = 2000.0
AIM_P95_MS = 50.0
# Questions searched before measuring (not counted, none of them measured): the cluster's warm-up, in
# CLUSTER_WARM_UP_PARTS parts whose cluster CPU per search is printed.
# A fresh node's CPU per search kept falling past 12,000 searches (6.1, 4.6, 4.3, 4.1, 4.0, 3.6 ms per 2,000), so the
# warm-up asks the same questions again (searched in full) until a pass's best part is no longer 5% below the
# previous pass's best, at most CLUSTER_WARM_UP_MAX_PARTS parts (4 passes).
CLUSTER_WARM_UP = 12_000
CLUSTER_WARM_UP_PARTS = 6
CLUSTER_WARM_UP_MAX_PARTS = 24
CLUSTER_WARM_UP_SETTLED = 0.95
PREFIX = "bench-speed"
SEED = 20250601
ROOT = Path(__file__).resolve().parent.parent

# category slug, name, services, apps (space-separated)
_CATEGORY_WORDS = [
    ("shebao", "社保", "社保缴费记录 养老保险 失业保险金 工伤保险 电子社保卡 养老金资格认证 社保关系转移 参保证明",
     "掌上12333 电子社保卡 人社服务App"),
    ("yibao", "医保", "医保电子凭证 医保码 异地就医备案 医保报销 门诊慢特病 医保个人账户 医保亲情账户 生育津贴",
     "国家医保服务平台 微信医保服务 支付宝医保"),
    ("shuiwu", "税务", "个人所得税年度汇算 专项附加扣除 纳税记录 个税退税 劳务报酬申报 赡养老人扣除",
     "个人所得税App 电子税务局"),
    ("huji", "户籍", "居住证 户口迁移 身份证换领 居住登记 新生儿落户 临时身份证",
     "公安政务服务App 微信城市服务"),
    ("gongjijin", "公积金", "住房公积金提取 公积金余额 公积金贷款 租房提取 公积金转移接续 退休提取",
     "公积金中心App 全国住房公积金小程序"),
    ("churujing", "出入境", "港澳通行证签注 护照 台湾通行证 出入境记录 港澳通行证换发",
     "移民局App 国家移民管理局公众号"),
    ("jiaotong", "交通", "电动自行车上牌 驾驶证换证 交通违法处理 机动车年检 驾驶证补领 车辆过户",
     "交管12123 交警公众号"),
    ("yiliao", "医疗", "预约挂号 检查报告 门诊缴费 住院押金 体检预约 疫苗接种预约",
     "医院公众号 健康App 支付宝城市服务"),
]  # fmt: skip
CATEGORIES = [(slug, name, services.split(), apps.split()) for slug, name, services, apps in _CATEGORY_WORDS]
ACTIONS = ["查询", "办理", "申请", "激活", "提取", "续签", "补办", "变更", "预约", "认证", "缴纳", "打印"]
CITIES = (
    "北京 上海 广州 深圳 杭州 成都 武汉 西安 南京 重庆 天津 苏州 长沙 郑州 青岛 沈阳 宁波 昆明 合肥 福州 厦门 济南 "
    "哈尔滨 长春 石家庄 太原 南昌 贵阳 南宁 兰州 海口 呼和浩特 乌鲁木齐 银川 西宁 拉萨 无锡 佛山 东莞 温州"
).split()
BUTTONS = ["下一步", "提交", "确认", "查询", "开始认证", "获取验证码", "确认支付", "提交申请", "我的", "办事大厅"]
FIELDS = ["姓名", "身份证号", "手机号", "银行卡号", "居住地址", "参保地", "办理年份", "收款账户"]
PEOPLE = ["老人", "子女", "退休职工", "新市民", "外地务工人员", "学生家长", "个体户", "残疾人"]
STEP_TEMPLATES = [
    "打开手机里的“{app}”，在首页找到“{service}”，点进去。",
    "点右下角的“我的”，再点“登录”，输入手机号，点“{button}”，把短信验证码填进去。",
    "按提示填写{field}和{field2}，再对着镜头刷脸，确认是本人在操作。",
    "选择要{action}的年份，比如{year}年，然后点“{button}”。",
    "核对页面上的{field}，确认无误后点“提交”，审核一般需要{days}个工作日。",
    "办理进度可以在“我的办件”里查看，结果会用短信通知您，{people}也可以让家人帮忙。",
    "如果显示“{service}失败”，换个光线亮的地方再试一次，或者拨打{hotline}咨询。",
    "在{city}也可以到政务服务大厅的自助机上{action}{service}，带好身份证原件。",
]
TIP_TEMPLATES = [
    "验证码只能自己在{app}里填写，任何人打电话向您要验证码都是骗子。",
    "{service}是免费的，有人以“加急”“代办”为名收钱，请提高警惕。",
    "具体要求以{city}当地部门公布的为准。",
]
SPOKEN_TEMPLATES = [
    "大家好，今天教大家在手机上{action}{service}。",
    "第{n}步，我们先打开{app}。",
    "好，现在看到首页了，点这里的“{service}”。",
    "这里要输入您的{field}，输好以后点“{button}”。",
    "注意啊，验证码不要告诉任何人。",
    "如果是帮{people}办，就点“帮他人办理”。",
    "页面显示“{action}成功”，就说明已经办好了。",
    "有不明白的地方，可以打{hotline}问一问。",
    "我们往下拉，看到{year}年的记录了，每一行是一个月。",
    "等几个工作日，结果会短信通知您，{city}的朋友也是一样的办法。",
]
HOTLINES = ["12333", "12393", "12366", "12345", "12329", "12367", "12123", "12320"]
# Queries citizens type: the mix of the load test (everyday words, fillers, abbreviations, typos, spoken words).
QUERY_TEMPLATES = [
    "怎么{action}{service}",
    "{service}怎么{action}啊",
    "我想问一下{city}{service}在哪里{action}",
    "{city}{service}",
    "{app}{service}",
    "手机上{action}{service}",
    "帮{people}{action}{service}",
    "{service}{action}要带什么",
]
EXTRA_QUERIES = [
    "怎么查社保交了多少钱", "医保卡在手机上怎么用", "退税怎么弄", "看病挂号手机上能约吗", "电动车怎么上牌照",
    "港澳通行证过期了续签", "社会保险缴费记录", "个税年度会算", "公基金提取", "医疗保险异地备按",
    "住房公积金租房能提吗", "验证码不要告诉任何人", "点右下角的我的", "每一行是一个月",
]  # fmt: skip


def generate(n_tutorials: int, n_segments: int):
    """Deterministic tutorials and transcript segments (the same for the same counts)."""
    from search.es.indexing import SegmentData, TutorialData

    rng = random.Random(SEED)
    per_tutorial, extra = divmod(n_segments, n_tutorials)
    tutorials, segments = [], []
    for tid in range(1, n_tutorials + 1):
        slug, name, services, apps = rng.choice(CATEGORIES)

        def fill(template: str, n: int = 0, services=services, apps=apps) -> str:
            return template.format(
                app=rng.choice(apps), service=rng.choice(services), action=rng.choice(ACTIONS),
                button=rng.choice(BUTTONS), field=rng.choice(FIELDS), field2=rng.choice(FIELDS),
                year=rng.randint(2015, 2025), days=rng.randint(1, 15), people=rng.choice(PEOPLE),
                hotline=rng.choice(HOTLINES), city=rng.choice(CITIES), n=n,
            )  # fmt: skip

        service, action, city, app = rng.choice(services), rng.choice(ACTIONS), rng.choice(CITIES), rng.choice(apps)
        title = rng.choice([f"{city}{service}{action}", f"在“{app}”上{action}{service}", f"{service}{action}指南"])
        summary = (
            f"用“{app}”在手机上{action}{service}，不用跑腿排队。{rng.choice(PEOPLE)}也能跟着一步一步做，"
            f"{city}等地都能办理，一般{rng.randint(3, 15)}分钟就能完成。"
        )
        steps = [fill(t) for t in rng.sample(STEP_TEMPLATES, rng.randint(4, 7))]
        steps.append(fill(rng.choice(TIP_TEMPLATES)))
        url = f"/tutorials/bench-{tid}/"
        tutorials.append(
            TutorialData(
                id=tid, url=url, title=title, summary=summary, steps=steps, category_slug=slug, category_name=name,
                tags=[rng.choice(["everyone", "elderly"])], popularity=rng.randint(0, 500),
            )
        )  # fmt: skip
        start = 0.0
        for n in range(per_tutorial + (1 if tid <= extra else 0)):
            text = fill(rng.choice(SPOKEN_TEMPLATES), n=n // 3 + 1)
            end = start + len(text) * 0.22
            segments.append(
                SegmentData(
                    id=n, tutorial_id=tid, tutorial_title=title, tutorial_url=url, category_slug=slug,
                    category_name=name, step_number=n // 3 + 1,
                    video_id=f"v{tid}", start=round(start, 2), end=round(end, 2), text=text,
                )
            )  # fmt: skip
            start = end + 0.3
    return tutorials, segments


def _citizen_query(rng: random.Random) -> str:
    _slug, _name, services, apps = rng.choice(CATEGORIES)
    return rng.choice(QUERY_TEMPLATES).format(
        action=rng.choice(ACTIONS), service=rng.choice(services), app=rng.choice(apps),
        city=rng.choice(CITIES), people=rng.choice(PEOPLE),
    )  # fmt: skip


def query_pool(size: int = 200) -> list[str]:
    """The distinct questions of the citizen mix, in order of popularity (the hand-written ones first)."""
    rng = random.Random(SEED + 1)
    pool = list(EXTRA_QUERIES)
    while len(pool) < size:
        query = _citizen_query(rng)
        if query not in pool:
            pool.append(query)
    return pool


def query_mix(count: int, *, seed: int = SEED + 2, skew: float = 1.0) -> list[str]:
    """`count` questions drawn from the pool with Zipf-like popularity (the k-th most asked one 1/k^skew as often
    as the first), as in a search log: a few questions asked all the time, a long tail asked once."""
    pool = query_pool()
    rng = random.Random(seed)
    weights = [1 / (rank**skew) for rank in range(1, len(pool) + 1)]
    return rng.choices(pool, weights=weights, k=count)


def distinct_queries(count: int) -> list[str]:
    """`count` different questions, none of them in the pool: every one must be searched for real."""
    rng = random.Random(SEED + 3)
    seen = set(query_pool())
    out: list[str] = []
    attempts = 0
    while len(out) < count:
        attempts += 1
        if attempts > 50 * count:
            raise SystemExit(f"the question templates give fewer than {count} different questions")
        query = _citizen_query(rng)
        if query in seen:
            continue
        seen.add(query)
        out.append(query)
    return out


def repeats(queries: list[str], before: list[str]) -> float:
    """The share of `queries` asked before (in `before` or earlier in the list): at most this many can be kept
    answers (less: each server process keeps its own)."""
    seen, repeated = set(before), 0
    for query in queries:
        repeated += query in seen
        seen.add(query)
    return repeated / len(queries)


def segmentation_seconds(tutorials, segments, sample: int = 10) -> float:
    """Python-side word segmentation (jieba) of every indexed text, timed on 1/`sample` of the data."""
    from search.es.segment import segment

    started = time.perf_counter()
    for data in tutorials[::sample]:
        for text in (data.title, data.summary, *data.steps):
            segment(text)
    for data in segments[::sample]:
        segment(data.text)
    return (time.perf_counter() - started) * sample


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ, "ELASTICSEARCH_INDEX_PREFIX": PREFIX, "DEBUG": "0", "LOG_LEVEL": "WARNING",
        "WEB_BIND": f"127.0.0.1:{port}",
        # Production settings, as a site runs them (they need a key), over plain HTTP on loopback.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50), "SECURE_SSL_REDIRECT": "0",
    }  # fmt: skip
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "cms.serve"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/search?q=")
            status = conn.getresponse().status
            conn.close()
            if status == 400:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"the server did not come up on 127.0.0.1:{port}:\n{log.read_text(errors='replace')[-3000:]}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def _proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _process_tree(pid: int) -> list[int]:
    """`pid` and its children (the web server's main process and its workers)."""
    pids = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def _local_node_pid(es) -> int | None:
    """The Elasticsearch node's process id when it runs on this machine, else None."""
    nodes = es.nodes.info(node_id="_local", metric="process")["nodes"]
    pid = int(next(iter(nodes.values()))["process"]["id"])
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return pid if b"org.elasticsearch" in cmdline else None


class CpuMeter:
    """CPU seconds used so far by each part of the serving side, to split a load's CPU per request: the cluster
    (its process in /proc when the node runs on this machine; else its node statistics, whose CPU figure the node
    refreshes only once a second, so a load of a few seconds may be off by a second's worth), the web server (its
    processes, from /proc), Redis (INFO cpu) when answers are kept there, and this process (the load's client
    threads)."""

    def __init__(self, server_pid: int) -> None:
        from django.conf import settings

        from search.services import es_client

        self.es = es_client(web_request=False)
        self.node_pid = _local_node_pid(self.es)
        self.web = _process_tree(server_pid)
        self.redis = None
        if settings.SEARCH_CACHE_URL:
            import redis

            self.redis = redis.Redis.from_url(settings.SEARCH_CACHE_URL)

    def read(self) -> dict[str, float]:
        if self.node_pid is not None:
            cluster = _proc_cpu_seconds(self.node_pid)
        else:
            nodes = self.es.nodes.stats(node_id="_local", metric="process")["nodes"]
            cluster = sum(node["process"]["cpu"]["total_in_millis"] for node in nodes.values()) / 1000
        out = {
            "cluster": cluster,
            "web": sum(_proc_cpu_seconds(pid) for pid in self.web),
            "clients": time.process_time(),
        }
        if self.redis is not None:
            info = self.redis.info("cpu")
            out["Redis"] = float(info["used_cpu_sys"]) + float(info["used_cpu_user"])
        return out


class Load:
    """`clients` threads, each with one keep-alive connection, share a fixed list of paths (each fired once)."""

    def __init__(
        self,
        port: int,
        paths: list[str],
        clients: int,
        *,
        check_json: bool = False,
        cluster_queries=None,
        cpu: CpuMeter | None = None,
    ) -> None:
        self.port, self.paths, self.clients, self.check_json = port, paths, clients, check_json
        # A function giving the cluster's count of tutorial queries so far: the load then reports how many of its
        # requests were searched in the cluster (the rest were kept answers).
        self.cluster_queries = cluster_queries
        self.searched: int | None = None
        self.cpu = cpu
        self.cpu_ms: dict[str, float] = {}  # CPU milliseconds per request, by part (with a CpuMeter)
        self.latencies: list[float] = []
        self.client_means: list[float] = []  # each client's mean latency, seconds
        self.statuses: Counter = Counter()
        self.notes: Counter = Counter()
        self.next = 0
        self.lock = threading.Lock()

    def _take(self) -> str | None:
        with self.lock:
            if self.next >= len(self.paths):
                return None
            self.next += 1
            return self.paths[self.next - 1]

    def _client(self) -> None:
        conn = None
        latencies, statuses, notes = [], Counter(), Counter()
        while (path := self._take()) is not None:
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
            except (OSError, http.client.HTTPException) as exc:
                statuses[type(exc).__name__] += 1
                if conn is not None:
                    conn.close()
                conn = None
                continue
            latencies.append(elapsed)
            statuses[response.status] += 1
            if response.will_close:
                conn.close()
                conn = None
                notes["reconnects"] += 1
            if self.check_json and response.status == 200:
                data = json.loads(body)
                notes["reduced_mode"] += bool(data.get("reduced_mode"))
                notes["no_results"] += not data.get("results")
        if conn is not None:
            conn.close()
        with self.lock:
            self.latencies.extend(latencies)
            if latencies:
                self.client_means.append(statistics.mean(latencies))
            self.statuses.update(statuses)
            self.notes.update(notes)

    def run(self) -> "Load":
        threads = [threading.Thread(target=self._client) for _ in range(self.clients)]
        queries_before = self.cluster_queries() if self.cluster_queries else None
        cpu_before = self.cpu.read() if self.cpu else None
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.wall = time.perf_counter() - started
        if cpu_before is not None:
            cpu_after = self.cpu.read()
            self.cpu_ms = {part: (cpu_after[part] - cpu_before[part]) * 1000 / len(self.paths) for part in cpu_after}
        if queries_before is not None:
            self.searched = self.cluster_queries() - queries_before
        return self

    def percentiles_ms(self) -> tuple[float, float, float]:
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000

    def line(self, label: str) -> str:
        p50, p95, p99 = self.percentiles_ms()
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items(), key=str))
        searched = f"{self.searched / len(self.paths):.0%}" if self.searched is not None else "-"
        return (
            f"{label:<24} {self.clients:>7} {len(self.paths):>8} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f} "
            f"{len(self.latencies) / self.wall:>7.0f} {searched:>8}  {statuses}"
        )


def index_runs(client, tutorials, segments, runs: int, budget_s: float) -> list[float]:
    """Seconds per reindex_all run; a further run only when the runs so far leave time for it in `budget_s`."""
    from search.es.indexing import reindex_all

    seconds: list[float] = []
    for _ in range(runs):
        if seconds and sum(seconds) + seconds[-1] > budget_s:
            break
        started = time.perf_counter()
        summary = reindex_all(client, PREFIX, tutorials, segments)
        seconds.append(time.perf_counter() - started)
        counts = summary["counts"]
        if counts["tutorials"] != len(tutorials) or counts["segments"] != len(segments):
            raise SystemExit(f"indexed {counts}, expected {len(tutorials)} tutorials and {len(segments)} segments")
    return seconds


def zero_result_snapshot() -> dict[int, tuple]:
    from search.models import ZeroResultQuery

    return {row.pk: (row.count, row.last_seen) for row in ZeroResultQuery.objects.all()}


def zero_result_restore(before: dict[int, tuple]) -> int:
    """Undo what the load test added to the editors' list of searches with no results; returns queries touched."""
    from search.models import ZeroResultQuery

    touched = 0
    for row in ZeroResultQuery.objects.all():
        if row.pk not in before:
            row.delete()
            touched += 1
        elif (row.count, row.last_seen) != before[row.pk]:
            count, last_seen = before[row.pk]
            ZeroResultQuery.objects.filter(pk=row.pk).update(count=count, last_seen=last_seen)
            touched += 1
    return touched


def direct_ms(queries: list[str]) -> dict[str, tuple[float, float]]:
    """p50 and p95 of `search_citizen` called in this process (one caller, no HTTP, nothing kept), and of the part
    of it that is `queries.search` (the Elasticsearch round trip and building the results; no database reads),
    each on its own half of `queries` (all different), so neither answers from the cluster's cache of the other."""
    from django.conf import settings
    from django.test import override_settings

    from search.es import queries as es_queries
    from search.services import es_client, search_citizen, site_terms

    timings: dict[str, list[float]] = {"search_citizen": [], "queries.search": []}
    reduced = 0
    with override_settings(ELASTICSEARCH_INDEX_PREFIX=PREFIX, SEARCH_RESULTS_SECONDS=0):
        search_citizen(query="社保")  # warm-up: the segmenter, the client's connection pool
        synonyms, client = site_terms().synonyms, es_client()
        for citizen_query, plain_query in zip(queries[::2], queries[1::2], strict=False):
            started = time.perf_counter()
            reduced += search_citizen(query=citizen_query).reduced
            timings["search_citizen"].append(time.perf_counter() - started)
            started = time.perf_counter()
            es_queries.search(client, settings.ELASTICSEARCH_INDEX_PREFIX, plain_query, synonyms=synonyms)
            timings["queries.search"].append(time.perf_counter() - started)
    if reduced:
        print(f"warning: {reduced} in-process searches fell back to the database", file=sys.stderr)
    out = {}
    for name, seconds in timings.items():
        cuts = statistics.quantiles(seconds, n=100, method="inclusive")
        out[name] = (cuts[49] * 1000, cuts[94] * 1000)
    return out


def forget_kept_answers() -> None:
    """As after a change to the index: every server process stops using the answers it kept."""
    from django.conf import settings

    from search.services import search_changed

    search_changed()
    time.sleep(settings.SEARCH_CHANGES_SECONDS + 0.5)


def clear_request_cache() -> None:
    """Empty the cluster's shard request cache of the benchmark's indices (it keeps answers to repeated searches)."""
    from search.es.documents import Kind, alias_name
    from search.services import es_client

    aliases = ",".join(alias_name(PREFIX, kind) for kind in Kind)
    es_client(web_request=False).indices.clear_cache(index=aliases, request=True)


def cluster_query_counter():
    """The tutorial index's count of queries run (one per search sent to the cluster, two when a search needs its
    second step); kept answers never reach it."""
    from search.es.documents import Kind, alias_name
    from search.services import es_client

    client, alias = es_client(web_request=False), alias_name(PREFIX, Kind.TUTORIALS)

    def count() -> int:
        stats = client.indices.stats(index=alias, metric="search")
        return int(stats["_all"]["primaries"]["search"]["query_total"])

    return count


def serve_and_measure(port: int, server_pid: int, requests: int, clients: int, single: int, rounds: int) -> None:
    def paths(queries: list[str]) -> list[str]:
        return [f"/api/search?q={quote(q)}" for q in queries]

    counted = cluster_query_counter()
    cpu = CpuMeter(server_pid)

    trivial = ["/api/search?q="] * requests
    warm_up, mix = query_mix(500, seed=SEED + 4), query_mix(requests)
    new = distinct_queries(rounds * requests + single + CLUSTER_WARM_UP)
    new, cluster_warm_up = new[:-CLUSTER_WARM_UP], new[-CLUSTER_WARM_UP:]
    # Not counted: every server thread's connections, the segmenter, the cluster's file caches and compiled code
    # (a node that has just started answers its first thousands of searches several times slower, unlike a site's).
    Load(port, paths(warm_up), clients).run()
    part = CLUSTER_WARM_UP // CLUSTER_WARM_UP_PARTS
    warming: list[float] = []
    while len(warming) < CLUSTER_WARM_UP_MAX_PARTS:
        if warming:
            # The same questions again, searched in full: nothing kept, not even in the cluster's request cache.
            forget_kept_answers()
            clear_request_cache()
        for n in range(0, CLUSTER_WARM_UP, part):
            warming.append(Load(port, paths(cluster_warm_up[n : n + part]), clients, cpu=cpu).run().cpu_ms["cluster"])
        passes = [warming[n : n + CLUSTER_WARM_UP_PARTS] for n in range(0, len(warming), CLUSTER_WARM_UP_PARTS)]
        if len(passes) > 1 and min(passes[-1]) >= CLUSTER_WARM_UP_SETTLED * min(passes[-2]):
            break
    print(
        f"cluster warm-up, {len(warming) * part:,} new questions ({CLUSTER_WARM_UP:,} different, asked again until a "
        f"pass no longer cut the cluster's best CPU per search by {1 - CLUSTER_WARM_UP_SETTLED:.0%}), per {part:,}: "
        + ", ".join(f"{ms:.1f}" for ms in warming)
        + " ms (not counted)"
    )
    rows = [("/api/search?q= (400)", Load(port, trivial, clients, cpu=cpu).run())]
    mix_loads, new_loads = [], []
    for n in range(rounds):
        # Each round from no kept answers: the warm-up (not counted) keeps the answers to the popular questions
        # that a server running for a while has, then the mix, then questions never asked.
        forget_kept_answers()
        Load(port, paths(warm_up), clients).run()
        mix_loads.append(Load(port, paths(mix), clients, check_json=True, cluster_queries=counted).run())
        new_paths = paths(new[n * requests : (n + 1) * requests])
        new_loads.append(Load(port, new_paths, clients, check_json=True, cluster_queries=counted, cpu=cpu).run())
        rows += [(f"citizen mix #{n + 1}", mix_loads[-1]), (f"every question new #{n + 1}", new_loads[-1])]
    forget_kept_answers()
    Load(port, paths(warm_up), clients).run()
    rows += [
        ("/api/search?q= (400)", Load(port, trivial[:single], 1).run()),
        ("citizen mix", Load(port, paths(query_mix(single, seed=SEED + 5)), 1, check_json=True).run()),
        ("every question new", Load(port, paths(new[rounds * requests :]), 1, check_json=True).run()),
    ]
    head = f"{'clients':>7} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} {'cluster':>8}"
    print(f"\n{'GET /api/search':<24} {head}  status")
    for label, load in rows:
        print(load.line(label))
    notes = sum((load.notes for _label, load in rows), Counter())
    answered = sum(load.statuses[200] for _label, load in rows)
    print(
        f"\nsearch responses: {answered} answered 200, {notes['reduced_mode']} from the database fallback "
        f"(should be 0), {notes['no_results']} with no results, {notes['reconnects']} connections closed by the server"
    )
    print(
        f"citizen mix: {len(set(mix))} different questions in {len(mix)}, {repeats(mix, warm_up):.0%} of them asked "
        f"before (warm-up included); every question new: {requests} different questions a round; 'cluster': "
        f"tutorial queries the cluster ran per request (the rest were kept answers; over 100%: second steps)"
    )
    b95 = rows[0][1].percentiles_ms()[1]
    for label, loads in (("citizen mix", mix_loads), ("every question new", new_loads)):
        p95 = statistics.median(load.percentiles_ms()[1] for load in loads)
        verdict = "met" if p95 <= AIM_P95_MS else "NOT met"
        print(
            f"search p95 at {clients} clients, {label}: median of {rounds} rounds {p95:.1f} ms = {p95 / b95:.1f}x the "
            f"trivial endpoint's {b95:.1f} ms (aim <= {AIM_P95_MS:.0f} ms -> {verdict})"
        )
    # Each client keeps one connection, so one server process answers it throughout: a process holding more of the
    # connections is busier, and its clients wait longer.
    spread = [(min(load.client_means) * 1000, max(load.client_means) * 1000) for load in new_loads]
    print(
        "every question new, each client's mean latency by round (fastest - slowest client): "
        + ", ".join(f"{low:.0f} - {high:.0f} ms" for low, high in spread)
    )
    # Where the CPU goes: what the machine's cores can serve at most, whatever the order of serving.
    cores = os.cpu_count() or 1
    for label, loads in (("/api/search?q= (400)", [rows[0][1]]), ("every question new", new_loads)):
        parts = {part: statistics.median(load.cpu_ms[part] for load in loads) for part in loads[0].cpu_ms}
        total = sum(parts.values())
        print(
            f"CPU per request, {label}, under {clients} clients: "
            + " + ".join(f"{part} {ms:.2f}" for part, ms in parts.items())
            + f" = {total:.2f} ms; {cores} cores serve at most {cores * 1000 / total:.0f} of these a second"
        )
    # Closed-loop clients never wait for nothing: the mean latency is the clients over the throughput (Little's
    # law), so a p95 aim needs at least clients / aim requests per second from this machine.
    rate = statistics.median(len(load.latencies) / load.wall for load in new_loads)
    wait_ms, needed = clients / rate * 1000, clients / AIM_P95_MS * 1000
    print(
        f"every question new: {rate:.0f} searches/s on this machine, so {clients} clients wait {wait_ms:.0f} ms on "
        f"average whatever the order of serving; a p95 <= {AIM_P95_MS:.0f} ms needs at least {needed:.0f} "
        f"searches/s ({needed / rate:.1f}x this rate)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tutorials", type=int, default=10_000)
    parser.add_argument("--segments", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=2, help="indexing runs (median); fewer when over --index-budget")
    parser.add_argument("--index-budget", type=float, default=150.0, help="seconds of indexing before skipping runs")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--single", type=int, default=200, help="requests of the single-client pass")
    parser.add_argument("--rounds", type=int, default=3, help="load rounds of each kind (median p95)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    # Figures only: one log line per cluster request (elastic_transport logs at INFO) would bury them.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    from bench.search_relevance import delete_prefix_indices, ensure_synonyms
    from search.services import es_client, load_site_words, search_changed

    if not settings.ELASTICSEARCH_URL:
        print("ELASTICSEARCH_URL is not set", file=sys.stderr)
        return 1
    # The server expands the usual synonyms, and documents are cut with the site's words, as on the site.
    ensure_synonyms()
    load_site_words()
    started = time.perf_counter()
    tutorials, segments = generate(args.tutorials, args.segments)
    docs = len(tutorials) + len(segments)
    print(
        f"generated {len(tutorials)} tutorials and {len(segments)} transcript segments in "
        f"{time.perf_counter() - started:.1f} s (not counted)"
    )
    client = es_client(web_request=False)
    delete_prefix_indices(client, PREFIX)  # leftovers of an interrupted run
    try:
        seconds = index_runs(client, tutorials, segments, args.runs, args.index_budget)
        # As after `manage.py search_reindex`: answers kept from before (an earlier run) are not used.
        search_changed()
        rates = [docs / s for s in seconds]
        cut_s = segmentation_seconds(tutorials, segments)
        print(
            f"bulk indexing with reindex_all: {', '.join(f'{s:.1f} s' for s in seconds)} for {docs} documents -> "
            f"{', '.join(f'{r:.0f}' for r in rates)} docs/s; median {statistics.median(rates):.0f} docs/s "
            f"(aim >= {AIM_DOCS_PER_S:.0f} -> {statistics.median(rates) / AIM_DOCS_PER_S:.0%} of aim, "
            f"{len(seconds)} of {args.runs} runs)"
        )
        print(
            f"of which Python word segmentation (jieba, timed on a 1/10 sample): ~{cut_s:.1f} s, "
            f"{cut_s / statistics.median(seconds):.0%} of a run"
        )
        before = zero_result_snapshot()
        where = "a shared Redis (SEARCH_CACHE_URL)" if settings.SEARCH_CACHE_URL else "each server process's memory"
        print(f"kept answers: in {where}")
        port = free_port()
        with tempfile.TemporaryDirectory(prefix="bangban-bench-server-") as tmp:
            server = start_server(port, Path(tmp) / "server.log")
            try:
                serve_and_measure(port, server.pid, args.requests, args.clients, args.single, args.rounds)
            finally:
                stop_server(server)
        for name, (p50, p95) in direct_ms(
            distinct_queries(args.rounds * args.requests + 3 * args.single + CLUSTER_WARM_UP)[-2 * args.single :]
        ).items():
            print(
                f"{name}() in-process, one caller, no HTTP, nothing kept ({args.single} new questions): "
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            )
        restored = zero_result_restore(before)
        if restored:
            print(f"(took {restored} no-result queries of the load test back out of the editors' list)")
    finally:
        removed = delete_prefix_indices(client, PREFIX)
        print(f"removed {len(removed)} benchmark indices")
    return 0


if __name__ == "__main__":
    sys.exit(main())
