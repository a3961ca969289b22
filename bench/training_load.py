"""Quiz load: 200 learners answering (autosave) and submitting a quiz against the production server.

The site runs as in production (`python -m cms.serve`: Granian, DEBUG off, its default worker processes and threads,
printed) on 127.0.0.1 over a database of this benchmark's own (created beside the one DATABASE_URL names, migrated,
seeded by bench.training_data, dropped at the end). Each learner is a client thread with a keep-alive connection and
a signed-in session: it starts the course's final quiz (POST), opens the attempt page, saves an answer per question
as the page's script does (JSON POST), then submits, and submits again at once on purpose (a double click).

Two paces:
- human (the default): a class of learners. They start spread evenly over a ramp (20 s), each reads the attempt
  page and then thinks before every answer it saves (uniform 2-6 s, seeded per learner), as people take seconds per
  question. The baseline is sampled inside the same load: each learner opens the baseline endpoint before starting
  the quiz and again before submitting.
- `--no-think` (stress): every learner at once with no pause between requests, so on a small machine it measures
  queueing; its baseline is a run of its own just before, same server, same clients (12 requests each).
`--with-stress` runs the human pace, then the stress pace at another quiz with `--stress-learners` learners (capped,
as it can take long on a loaded machine).

Printed per pace: p50 and p99 per endpoint, the offered request rate (requests sent per second over the run), the
web server's CPU time per request (its processes, from /proc: the machine may be shared), its worker and thread
settings, and the count check: afterwards the database must hold exactly one submitted attempt per learner at that
quiz, with its answers, and the score of the first submission. Baseline endpoint: GET /api/search with an empty q
(answered 400 before any search: request parsing, middleware, sessions). Aim: p99 <= 300 ms at the human pace.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.training_load [--learners 200] [--think 2-6] [--ramp 20]
        [--no-think | --with-stress [--stress-learners 100]]
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIM_P99_MS = 300.0
CSRF = "b" * 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ, "DEBUG": "0", "LOG_LEVEL": "WARNING", "WEB_BIND": f"127.0.0.1:{port}", "WEB_ACCESS_LOG": "0",
        "SECURE_SSL_REDIRECT": "0", "STATIC_DIR": str(log.parent / "static"),
    }  # fmt: skip
    # Production serves collected, hashed static files.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "cms.serve"], cwd=ROOT, env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/search?q=")
            if conn.getresponse().status == 400:
                conn.close()
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"the server did not come up:\n{log.read_text(errors='replace')[-3000:]}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def cpu_seconds(root: int) -> float:
    """CPU time (user and system) used so far by a process and every process below it, from /proc."""
    parents: dict[int, list[int]] = defaultdict(list)
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[int(fields[1])].append(pid)
        times[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += times.get(pid, 0.0)
        stack.extend(parents.get(pid, []))
    return total


def session_cookies(usernames: list[str]) -> dict[str, str]:
    """A signed-in session per learner, made as django.contrib.auth.login makes one (no login form: axes would
    count 200 logins from one address)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    cookies = {}
    for user in get_user_model().objects.filter(username__in=usernames):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.username] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={CSRF}"
    return cookies


BASELINE = "baseline: GET /api/search?q= (400)"


@dataclass(frozen=True)
class Pace:
    """How a learner paces itself: ``think`` is None for no pause at all (stress)."""

    think: tuple[float, float] | None
    ramp: float
    seed: int

    def describe(self) -> str:
        if self.think is None:
            return "no think time, every learner at once (stress)"
        low, high = self.think
        return (
            f"human pace: learners start evenly over {self.ramp:g} s, think uniform {low:g}-{high:g} s "
            f"before each answer (seed {self.seed})"
        )


class Learner(threading.Thread):
    def __init__(
        self, *, port, cookie, quiz_id, timings, errors, start_gate, pace: Pace, index: int, count: int,
        baseline_only=False,
    ):  # fmt: skip
        super().__init__(daemon=True)
        self.port, self.cookie, self.quiz_id = port, cookie, quiz_id
        self.timings, self.errors, self.gate, self.baseline_only = timings, errors, start_gate, baseline_only
        self.pace = pace
        self.offset = pace.ramp * index / count if pace.think is not None else 0.0
        self.random = random.Random(pace.seed * 100_003 + index)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def think(self) -> None:
        if self.pace.think is not None:
            time.sleep(self.random.uniform(*self.pace.think))

    def call(self, label: str, method: str, path: str, body=None, content_type=None):
        headers = {"Cookie": self.cookie, "X-CSRFToken": CSRF, "Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        payload = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.errors[label] += 1
            return None, b"", {}
        self.timings[label].append((time.perf_counter() - started) * 1000)
        return response.status, data, {key.lower(): value for key, value in response.getheaders()}

    def run(self):
        self.gate.wait()
        time.sleep(self.offset)
        if self.baseline_only:
            for _ in range(12):
                self.call(BASELINE, "GET", "/api/search?q=")
            return
        human = self.pace.think is not None
        if human:
            self.call(BASELINE, "GET", "/api/search?q=")
        status, _, headers = self.call("start quiz (POST)", "POST", f"/learn/quizzes/{self.quiz_id}/")
        match = re.search(r"/learn/attempts/(\d+)/", headers.get("location", ""))
        if status != 302 or not match:
            self.errors[f"start quiz (POST): answered {status} {headers.get('location', '')}"] += 1
            return
        attempt = match.group(1)
        status, page, _ = self.call("attempt page (GET)", "GET", f"/learn/attempts/{attempt}/")
        questions = sorted({int(pk) for pk in re.findall(rb'name="q-(\d+)"', page)})
        if status != 200 or not questions:
            self.errors["attempt page (GET)"] += 1
            return
        answers = {}
        for question in questions:
            self.think()
            answers[str(question)] = 0
            status, _, _ = self.call(
                "autosave answer (POST JSON)",
                "POST",
                f"/learn/attempts/{attempt}/answer/",
                {"question": question, "response": 0},
                "application/json",
            )
            if status != 200:
                self.errors["autosave answer (POST JSON)"] += 1
        if human:
            self.call(BASELINE, "GET", "/api/search?q=")
        for label in ("submit (POST JSON)", "submit again (POST JSON)"):
            status, _, _ = self.call(
                label, "POST", f"/learn/attempts/{attempt}/submit/", {"answers": answers}, "application/json"
            )
            if status != 200:
                self.errors[label] += 1


def run_clients(*, port, cookies, quiz_id, pace: Pace, baseline_only=False):
    timings, errors = defaultdict(list), defaultdict(int)
    gate = threading.Barrier(len(cookies))
    threads = [
        Learner(
            port=port,
            cookie=cookie,
            quiz_id=quiz_id,
            timings=timings,
            errors=errors,
            start_gate=gate,
            pace=pace,
            index=index,
            count=len(cookies),
            baseline_only=baseline_only,
        )
        for index, cookie in enumerate(cookies.values())
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started


def report(timings, errors) -> float:
    from bench.training_data import percentile

    worst = 0.0
    for label, samples in timings.items():
        p99 = percentile(samples, 0.99)
        if not label.startswith("baseline"):
            worst = max(worst, p99)
        print(
            f"{label:<38} {len(samples):6d} requests   p50 {percentile(samples, 0.5):8.1f} ms   "
            f"p99 {p99:8.1f} ms   errors {errors.get(label, 0)}"
        )
    for label, count in errors.items():
        if label not in timings:
            print(f"{label:<38} errors {count}")
    return worst


def count_check(*, quiz_id: int, usernames: list[str]) -> bool:
    from django.db.models import Count

    from training.models import Answer, Attempt

    attempts = Attempt.objects.filter(quiz_id=quiz_id, user__username__in=usernames)
    per_user = attempts.values("user_id").annotate(n=Count("pk"))
    doubled = sum(1 for row in per_user if row["n"] > 1)
    missing = len(usernames) - len(per_user)
    submitted = attempts.filter(state=Attempt.State.SUBMITTED).count()
    answers = Answer.objects.filter(attempt__in=attempts).count()
    drawn = sum(len(attempt.questions) for attempt in attempts.only("questions"))
    wrong_score = attempts.exclude(score=100).count()
    print(
        f"database: {submitted}/{len(usernames)} attempts submitted, {missing} learners without one, "
        f"{doubled} with more than one, {answers}/{drawn} answers stored, {wrong_score} not scored 100%"
    )
    ok = not missing and not doubled and submitted == len(usernames) and answers == drawn and not wrong_score
    print("no attempt lost or counted twice" if ok else "ATTEMPTS LOST OR COUNTED TWICE")
    return ok


def run_pace(*, port: int, cookies: dict[str, str], quiz_id: int, pace: Pace, server_pid: int) -> bool:
    print(f"\n== {len(cookies)} learners, {pace.describe()}")
    timings, errors = defaultdict(list), defaultdict(int)
    if pace.think is None:
        base_timings, base_errors, _ = run_clients(
            port=port, cookies=cookies, quiz_id=quiz_id, pace=pace, baseline_only=True
        )
        timings.update(base_timings)
        errors.update(base_errors)
    cpu_before = cpu_seconds(server_pid)
    load_timings, load_errors, seconds = run_clients(port=port, cookies=cookies, quiz_id=quiz_id, pace=pace)
    server_cpu = cpu_seconds(server_pid) - cpu_before
    quiz_requests = sum(len(samples) for label, samples in load_timings.items() if label != BASELINE)
    all_requests = sum(len(samples) for samples in load_timings.values())
    for label, samples in load_timings.items():
        timings[label].extend(samples)
    for label, count in load_errors.items():
        errors[label] += count
    worst = report(timings, errors)
    print(
        f"the quiz load took {seconds:.1f} s: {all_requests} requests answered, offered "
        f"{all_requests / seconds:.1f} req/s ({quiz_requests / seconds:.1f} req/s of quiz requests); "
        f"worst p99 {worst:.1f} ms against the aim of {AIM_P99_MS:.0f} ms"
    )
    print(
        f"web server CPU: {server_cpu:.1f} s in {seconds:.1f} s ({server_cpu / seconds:.2f} of {os.cpu_count()} "
        f"CPUs), {server_cpu * 1000 / max(all_requests, 1):.1f} ms per request on average; machine load average "
        + " ".join(f"{load:.2f}" for load in os.getloadavg())
    )
    return count_check(quiz_id=quiz_id, usernames=list(cookies))


def think_range(raw: str) -> tuple[float, float]:
    low, sep, high = raw.partition("-")
    try:
        bounds = (float(low), float(high if sep else low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--think takes seconds as MIN-MAX, e.g. 2-6, got {raw!r}") from None
    if not 0 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"--think needs 0 <= MIN <= MAX, got {raw!r}")
    return bounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--think", type=think_range, default=(2.0, 6.0), help="seconds MIN-MAX before each answer")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which the learners start")
    parser.add_argument("--seed", type=int, default=1)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--no-think", action="store_true", help="stress: no pause, every learner at once")
    mode.add_argument("--with-stress", action="store_true", help="the human pace, then the stress pace")
    parser.add_argument("--stress-learners", type=int, default=100, help="learners in the stress run of --with-stress")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The sessions made here are signed with the key the server reads them with.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    from bench.training_data import own_database, seed
    from cms.serve import options

    human = Pace(think=args.think, ramp=args.ramp, seed=args.seed)
    stress = Pace(think=None, ramp=0.0, seed=args.seed)
    runs = [human] if not args.no_think else [stress]
    if args.with_stress:
        runs.append(stress)

    with own_database("bangban_bench_load"):
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        data = seed(learners=args.learners, attempts=False)
        usernames = list(
            get_user_model().objects.filter(username__startswith="bench").exclude(username=data.manager_username)
            .order_by("pk").values_list("username", flat=True)[: args.learners]
        )  # fmt: skip
        cookies = session_cookies(usernames)
        connections.close_all()
        port = free_port()
        served = options({**os.environ, "WEB_BIND": f"127.0.0.1:{port}"})
        oks = []
        with tempfile.TemporaryDirectory() as tmp:
            server = start_server(port, Path(tmp) / "server.log")
            try:
                print(
                    f"python -m cms.serve on 127.0.0.1:{port}: {served['workers']} worker processes x "
                    f"{served['blocking_threads']} threads (WEB_WORKERS, WEB_THREADS), {os.cpu_count()} CPUs"
                )
                for number, pace in enumerate(runs):
                    # Each run takes its own quiz, so that its count check sees its own attempts only.
                    chosen = cookies
                    if pace is stress and args.with_stress:
                        chosen = dict(list(cookies.items())[: args.stress_learners])
                    oks.append(
                        run_pace(
                            port=port, cookies=chosen, quiz_id=data.quiz_ids[number], pace=pace, server_pid=server.pid
                        )
                    )
            finally:
                stop_server(server)
                log = (Path(tmp) / "server.log").read_text(errors="replace")
        ok = bool(oks) and all(oks)
        if "Traceback" in log:
            print("server errors:\n" + log[-3000:])
        connections.close_all()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
