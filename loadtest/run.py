"""`make load`: the example site under gunicorn on PostgreSQL, side by side with Wagtail's
own form page, with nothing lost.

40 clients (by default) open the idea form like a browser (the CSRF cookie and token,
the form token), send it and read the confirmation, for ``--seconds``. Then the same
clients, on the same gunicorn, send a ``wagtail.contrib.forms`` page with the same
fields (``benchmarks.pages.create_form_page``) and read its thank-you page. Both sides'
submissions per second and the p50/p95 of a submission as its client waits for it
(the form, the POST and what answers it) are printed with their ratios (targets:
throughput ≥ 0.8× the form page's, p95 ≤ 1.5×). Then both again while readers read
the showcase, an innovation page and the portfolio. The sides run in the order idea,
form, form, idea, so a machine that slows down slows both; before the first, both forms
are sent on every worker for a few seconds, uncounted, so that a fresh gunicorn's warm-up
lands on neither.

The idea form's e-mails are tasks that a ``db_worker`` process beside gunicorn sends
(``--tasks worker``, the default: the worker extra, as docs/operations.md has a busy
site run; it shares the machine's cores with gunicorn), or sent in the request after
the commit (``--tasks request``, the default tasks backend). After each idea side the
next one starts once the worker has caught up.

After each run every accepted submission must be stored exactly once (an idea with a
unique reference number that its confirmation showed; a form submission once), and
with the worker every receipt sent by it. The idea form again with the mail server
down (``--mail failing``): then every receipt must be recorded as not sent
(``FailedEmail``), to be sent again later. (The form
page sends its e-mail in the request and fails with the mail server: it is compared
with mail off only.)

The run fails if a submission is lost or doubled; a missed ratio fails it only with
``--check-ratios`` (on a shared or busy machine, as CI's, the ratios are noisy).

Loopback only, bounded in time and in count; only the standard library. The site
runs with loadtest.settings: example_site.settings.load (production settings with
the minimum fill time and the rate limits off: the clients are bots from one address
by design) and the benchmarks app for the form page.

    python loadtest/run.py --seconds 30 --clients 40 --readers 8 --mail both --tasks worker
"""

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "example_site"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
FORM_PATH = "/lamna-en-ide/"
SHOWCASE_PATH = "/genomforda-innovationer/"
#: Targets of the idea form against the form page (see the module's docstring).
THROUGHPUT_TARGET = 0.8
P95_TARGET = 1.5
MAX_REQUESTS = 100_000  # a bound on the count whatever the speed
TIMEOUT = 30
#: The e-mails' worker backend (the worker extra) and its table of tasks.
WORKER_BACKEND = "django_tasks_db.DatabaseBackend"
TASK_TABLE = "django_tasks_database_dbtaskresult"
NOT_SENT = "sluss_wagtail.outbox.EmailNotSent"  # a task whose e-mail was recorded as not sent
DRAIN_SECONDS = 300  # a bound on the wait for the worker after a side


def log(*args):
    print(*args, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(url, name):
    """Drop and create the load test's own database, through the server in ``url``."""
    import psycopg

    admin = urllib.parse.urlparse(url)
    with psycopg.connect(
        host=admin.hostname or "127.0.0.1",
        port=admin.port or 5432,
        user=admin.username or "postgres",
        password=admin.password,
        dbname=admin.path.lstrip("/") or "postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin._replace(path="/" + name).geturl()


def site_env(database_url, mail, tasks="worker"):
    """The site's environment: its database, where mail goes, and where the e-mails are
    sent from (``worker``: enqueued in the database for ``db_worker``, as
    docs/operations.md has a busy site run; ``request``: in the request, after the commit)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="loadtest.settings",
        DATABASE_URL=database_url,
        SLUSS_LOAD_MAIL=mail,
        PYTHONPATH=os.pathsep.join([str(ROOT), str(SITE)]),
    )
    env.pop("TASKS_BACKEND", None)
    if tasks == "worker":
        env["TASKS_BACKEND"] = WORKER_BACKEND
    return env


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=SITE, env=env, check=True, stdout=subprocess.DEVNULL
    )


def rows(database_url, sql, params=None):
    """The rows ``sql`` reads from the load test's database (a connection of its own)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(sql, params).fetchall()


def stop(process, seconds):
    """SIGTERM, and SIGKILL if ``process`` has not stopped within ``seconds``."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Gunicorn:
    def __init__(self, env, port, workers):
        self.port = port
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "example_site.wsgi",
                f"--workers={workers}",
                f"--bind=127.0.0.1:{port}",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=SITE,
            env=env,
        )

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn stopped before it answered")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{FORM_PATH}", timeout=5)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {seconds}s")

    def stop(self):
        stop(self.process, 20)


class Worker:
    """``manage.py db_worker`` beside gunicorn, with the same settings (and mail)."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.5", "-v", "0"],
            cwd=SITE,
            env=env,
        )

    def stop(self):
        stop(self.process, 30)  # a task it runs finishes first


def tasks_waiting(database_url):
    return rows(
        database_url, f"SELECT count(*) FROM {TASK_TABLE} WHERE status IN ('READY', 'RUNNING')"
    )[0][0]


def drain(database_url, worker, seconds=DRAIN_SECONDS):
    """Wait until the worker has run every task enqueued so far; the seconds waited."""
    started = time.monotonic()
    while tasks_waiting(database_url):
        if worker.process.poll() is not None:
            raise SystemExit("the task worker stopped while tasks were waiting")
        if time.monotonic() - started > seconds:
            raise SystemExit(f"the task worker did not finish its tasks within {seconds}s")
        time.sleep(0.2)
    return time.monotonic() - started


def ideas_without_sent_receipt(database_url, phase):
    """Stored ideas of ``phase`` whose receipt task the worker did not run to the end."""
    return rows(
        database_url,
        "SELECT i.title FROM sluss_wagtail_idea i WHERE i.title LIKE %s AND NOT EXISTS "
        f"(SELECT 1 FROM {TASK_TABLE} t WHERE t.status = 'SUCCESSFUL' "
        "AND t.task_path = 'sluss_wagtail.tasks.send_idea_receipt' "
        "AND t.args_kwargs->'args'->>0 = i.id::text)",
        [f"Lasttest {phase} %"],
    )


def failed_tasks(database_url):
    return rows(
        database_url,
        f"SELECT task_path, exception_class_path FROM {TASK_TABLE} WHERE status = 'FAILED'",
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.errors = Counter()
        self.accepted = {}  # title -> reference shown on the confirmation (or "form")
        self.requests = 0
        self.submissions = []  # seconds from opening the form to reading its answer

    def submitted(self, title, answer, seconds):
        with self.lock:
            self.accepted[title] = answer
            self.submissions.append(seconds)

    def record(self, seconds, error=None):
        with self.lock:
            self.requests += 1
            self.latencies.append(seconds)
            if error:
                self.errors[error] += 1

    def room_left(self):
        with self.lock:
            return self.requests < MAX_REQUESTS


def timed(stats, opener, request):
    """``(status, body, headers)``; a failure is counted as an error and returns None."""
    started = time.perf_counter()
    try:
        response = opener.open(request, timeout=TIMEOUT)
        status, body, headers = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read().decode(errors="replace"), error.headers
    except (urllib.error.URLError, OSError) as error:
        stats.record(time.perf_counter() - started, type(error).__name__)
        return None
    expected = status in (200, 302)
    stats.record(time.perf_counter() - started, None if expected else f"HTTP {status}")
    return status, body, headers


def submitter(number, base, stop_at, stats, phase):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    sequence = 0
    while time.monotonic() < stop_at and stats.room_left():
        sequence += 1
        began = time.perf_counter()
        result = timed(stats, opener, urllib.request.Request(base + FORM_PATH))
        if result is None or result[0] != 200:
            continue
        html = result[1]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        token = re.search(r'name="form_token" value="([^"]+)"', html)
        if not csrf or not token:
            stats.errors["form without tokens"] += 1
            continue
        title = f"Lasttest {phase} {number}-{sequence}"
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "form_token": token.group(1),
                **form_fields(number, sequence, title),
            }
        ).encode()
        request = urllib.request.Request(
            base + FORM_PATH, data=data, headers={"Referer": base + FORM_PATH}
        )
        result = timed(stats, opener, request)
        if result is None:
            continue
        if result[0] != 302:
            stats.errors[f"form answered {result[0]}, not a redirect"] += 1
            continue
        # On this server whatever host the site names (the demo's site is on port 8000).
        location = urllib.parse.urlsplit(result[2]["Location"])
        confirmation = urllib.parse.urljoin(
            base + FORM_PATH, urllib.parse.urlunsplit(("", "", *location[2:]))
        )
        result = timed(stats, opener, urllib.request.Request(confirmation))
        reference = re.search(r'class="sluss-reference">([^<]+)<', result[1]) if result else None
        stats.submitted(
            title, reference.group(1) if reference else None, time.perf_counter() - began
        )


def form_fields(number, sequence, title):
    """What a client types into either form: the same on both sides."""
    return {
        "title": title,
        "description": f"Idé nummer {sequence} från klient {number}.",
        "need": "Att se att inget försvinner under last.",
        "beneficiaries": "",
        "submitter_kind": "resident",
        "organisation": "",
        "name": f"Klient {number}",
        "email": f"klient{number}@exempelby.invalid",
        "phone": "",
        "publish_idea": "no",
        "publish_name": "no",
    }


def form_page_submitter(number, base, stop_at, stats, phase, path):
    """The same client against the ``wagtail.contrib.forms`` page: the form (CSRF cookie
    and token), the POST, whose answer is the thank-you page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    sequence = 0
    while time.monotonic() < stop_at and stats.room_left():
        sequence += 1
        began = time.perf_counter()
        result = timed(stats, opener, urllib.request.Request(base + path))
        if result is None or result[0] != 200:
            continue
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', result[1])
        if not csrf:
            stats.errors["form without tokens"] += 1
            continue
        title = f"Lasttest {phase} {number}-{sequence}"
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": csrf.group(1), **form_fields(number, sequence, title)}
        ).encode()
        request = urllib.request.Request(base + path, data=data, headers={"Referer": base + path})
        result = timed(stats, opener, request)
        if result is None:
            continue
        if result[0] != 200 or "Tack!" not in result[1]:
            stats.errors[f"form page answered {result[0]} without its thanks"] += 1
            continue
        stats.submitted(title, "form", time.perf_counter() - began)


def reader(base, stop_at, stats, paths):
    """Reads ``paths`` in turn (the showcase, an innovation page, the portfolio)."""
    opener = urllib.request.build_opener()
    turn = 0
    while time.monotonic() < stop_at and stats.room_left():
        timed(stats, opener, urllib.request.Request(base + paths[turn % len(paths)]))
        turn += 1


def stored_ideas(database_url, phase):
    return rows(
        database_url,
        "SELECT title, reference FROM sluss_wagtail_idea WHERE title LIKE %s",
        [f"Lasttest {phase} %"],
    )


def ideas_without_recorded_receipt(database_url, phase):
    """Stored ideas of ``phase`` whose receipt is neither sent nor recorded as not sent."""
    return rows(
        database_url,
        "SELECT i.title FROM sluss_wagtail_idea i WHERE i.title LIKE %s AND NOT EXISTS "
        "(SELECT 1 FROM sluss_wagtail_failedemail f "
        "WHERE f.idea_id = i.id AND f.kind = 'receipt')",
        [f"Lasttest {phase} %"],
    )


def stored_form_submissions(database_url, phase):
    return rows(
        database_url,
        "SELECT form_data->>'title' FROM wagtailforms_formsubmission "
        "WHERE form_data->>'title' LIKE %s",
        [f"Lasttest {phase} %"],
    )


def verify_form_page(stats, database_url, phase):
    """Every thanked submission of the form page stored exactly once."""
    titles = Counter(title for (title,) in stored_form_submissions(database_url, phase))
    problems = []
    missing = [title for title in stats.accepted if title not in titles]
    twice = [title for title, count in titles.items() if count > 1]
    if missing:
        problems.append(f"{len(missing)} thanked submissions are not stored, e.g. {missing[:3]}")
    if twice:
        problems.append(f"{len(twice)} submissions are stored more than once: {twice[:3]}")
    log(
        f"stored       {sum(titles.values())} form submissions; "
        f"{sum(titles.values()) - len(stats.accepted)} stored whose answer the client did not get"
    )
    for problem in problems:
        log("LOST OR DOUBLED:", problem)
    if not stats.accepted:
        problems.append("no submission was accepted at all")
    return problems


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


class Side:
    """One side of a run: the idea form or the form page, with or without readers."""

    def __init__(self, name, phase, path, readers):
        self.name, self.phase, self.path, self.readers = name, phase, path, readers
        self.stats = self.reads = None
        self.elapsed = 0.0


def run_side(args, base, side, read_paths):
    """``args.clients`` clients on ``side`` for ``args.seconds``, with ``side.readers``
    readers of ``read_paths``: their requests are counted apart."""
    log(
        f"\n== {side.name}: {args.clients} clients + {side.readers} readers, "
        f"{args.seconds}s, phase {side.phase} =="
    )
    stats, reads = Stats(), Stats()
    started = time.monotonic()
    stop_at = started + args.seconds
    if side.path == FORM_PATH:
        clients = [(submitter, (n, base, stop_at, stats, side.phase)) for n in range(args.clients)]
    else:
        clients = [
            (form_page_submitter, (n, base, stop_at, stats, side.phase, side.path))
            for n in range(args.clients)
        ]
    # The readers first: on a busy machine a thread started last may first run when the
    # time is up, and a reader that never reads measures nothing.
    threads = [
        threading.Thread(target=reader, args=(base, stop_at, reads, read_paths))
        for _ in range(side.readers)
    ]
    threads += [threading.Thread(target=target, args=arguments) for target, arguments in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    side.elapsed = time.monotonic() - started
    side.stats, side.reads = stats, reads
    latencies = stats.latencies
    log(
        f"requests     {stats.requests} in {side.elapsed:.1f}s: "
        f"{stats.requests / side.elapsed:.1f}/s"
    )
    log(
        f"submissions  {len(stats.accepted)} accepted: {throughput(side):.1f}/s; "
        f"a submission p50 {percentile(stats.submissions, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(stats.submissions, 0.95) * 1000:.0f} ms"
    )
    log(
        f"latency      p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
        f"mean {statistics.fmean(latencies) * 1000 if latencies else 0:.0f} ms"
    )
    if side.readers:
        log(
            f"reads        {reads.requests}: {reads.requests / side.elapsed:.1f}/s, "
            f"p50 {percentile(reads.latencies, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(reads.latencies, 0.95) * 1000:.0f} ms, "
            f"errors {sum(reads.errors.values())} {dict(reads.errors)}"
        )
    log(f"errors       {sum(stats.errors.values())} {dict(stats.errors)}")
    return stats


def throughput(side):
    return len(side.stats.accepted) / side.elapsed if side.elapsed else 0.0


def compare(idea, form):
    """Print the idea form against the form page; the ratios that miss their targets."""
    idea_p95 = percentile(idea.stats.submissions, 0.95)
    form_p95 = percentile(form.stats.submissions, 0.95)
    ratios = {
        "throughput": (throughput(idea) / throughput(form) if throughput(form) else 0.0),
        "p95": idea_p95 / form_p95 if form_p95 else float("inf"),
    }
    readers = f", {idea.readers} readers" if idea.readers else ""
    log(f"\n-- side by side{readers}: idea form | form page (contrib.forms) | ratio (target)")
    log(
        f"submissions/s  {throughput(idea):8.1f} | {throughput(form):8.1f} | "
        f"{ratios['throughput']:.2f} (≥ {THROUGHPUT_TARGET})"
    )
    for name, fraction in (("p50", 0.5), ("p95", 0.95)):
        mine = percentile(idea.stats.submissions, fraction) * 1000
        theirs = percentile(form.stats.submissions, fraction) * 1000
        target = f" (≤ {P95_TARGET})" if name == "p95" else ""
        log(
            f"submission {name}  {mine:6.0f} ms | {theirs:6.0f} ms | "
            f"{mine / theirs if theirs else float('inf'):.2f}{target}"
        )
    missed = []
    if ratios["throughput"] < THROUGHPUT_TARGET:
        missed.append(f"throughput {ratios['throughput']:.2f} < {THROUGHPUT_TARGET}{readers}")
    if ratios["p95"] > P95_TARGET:
        missed.append(f"p95 {ratios['p95']:.2f} > {P95_TARGET}{readers}")
    return missed


def warm_up(args, base, form_page_path):
    """Both forms sent a few times on every worker before the first side is measured: a
    fresh gunicorn's first requests (imports, templates compiled, connections opened,
    caches filled) would otherwise land on the idea form, which runs first. Not counted;
    what they store is left alone (their own phase, outside the checks)."""
    clients = 2 * args.workers
    stop_at = time.monotonic() + max(3.0, min(args.seconds / 4, 10.0))
    stats = Stats()
    threads = [
        threading.Thread(target=submitter, args=(n, base, stop_at, stats, "warmup"))
        for n in range(clients)
    ] + [
        threading.Thread(
            target=form_page_submitter,
            args=(n, base, stop_at, stats, "warmup-form", form_page_path),
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log(
        f"warm-up      {len(stats.accepted)} submissions of both forms on {args.workers} "
        f"workers, {stats.requests} requests (not counted)"
    )


def serve(args, database_url, mail, work):
    """``work(base, worker)`` against a gunicorn of the site with ``mail`` (and its task
    worker with ``--tasks worker``, else None), both stopped after it."""
    env = site_env(database_url, mail, args.tasks)
    server = Gunicorn(env, free_port(), args.workers)
    worker = Worker(env) if args.tasks == "worker" else None
    try:
        server.wait_ready()
        return work(f"http://127.0.0.1:{server.port}", worker)
    finally:
        server.stop()
        if worker is not None:
            worker.stop()


def verify(stats, database_url, phase, tasks):
    """Every accepted submission stored exactly once, with a unique reference it was shown;
    with the worker, every receipt sent by it (or, with the mail server down, recorded)."""
    rows = stored_ideas(database_url, phase)
    titles = Counter(title for title, _ in rows)
    references = Counter(reference for _, reference in rows)
    stored = dict(rows)
    problems = []
    missing = [title for title in stats.accepted if title not in stored]
    twice = [title for title, count in titles.items() if count > 1]
    shared = [reference for reference, count in references.items() if count > 1]
    wrong = [
        title
        for title, reference in stats.accepted.items()
        if reference is not None and stored.get(title) != reference
    ]
    if missing:
        problems.append(f"{len(missing)} accepted submissions are not stored, e.g. {missing[:3]}")
    if twice:
        problems.append(f"{len(twice)} submissions are stored more than once: {twice[:3]}")
    if shared:
        problems.append(f"{len(shared)} reference numbers are shared: {shared[:3]}")
    if wrong:
        problems.append(f"{len(wrong)} confirmations showed another reference: {wrong[:3]}")
    unconfirmed = [title for title, reference in stats.accepted.items() if reference is None]
    extra = len(rows) - len(stats.accepted)
    log(
        f"stored       {len(rows)} ideas, {len(references)} unique references; "
        f"{len(unconfirmed)} accepted without a confirmation read; "
        f"{extra} stored whose answer the client did not get"
    )
    if phase == "failing":
        # With the mail server down no receipt goes out: each is recorded, to be sent again
        # (sluss_resend_emails), so none is lost either.
        unrecorded = ideas_without_recorded_receipt(database_url, phase)
        log(f"receipts     {len(rows) - len(unrecorded)} of {len(rows)} recorded as not sent")
        if unrecorded:
            problems.append(
                f"{len(unrecorded)} receipts neither sent nor recorded, e.g. {unrecorded[:3]}"
            )
    elif tasks == "worker":
        unsent = ideas_without_sent_receipt(database_url, phase)
        log(f"receipts     {len(rows) - len(unsent)} of {len(rows)} sent by the worker")
        if unsent:
            problems.append(f"{len(unsent)} receipts not sent by the worker, e.g. {unsent[:3]}")
    if tasks == "worker":
        # With the mail server down a task ends failed once its e-mail is recorded as not
        # sent (outbox.EmailNotSent); any other failure is a task that broke.
        failed = [row for row in failed_tasks(database_url) if row[1] != NOT_SENT]
        if failed:
            problems.append(f"{len(failed)} tasks failed in the worker, e.g. {failed[:3]}")
    for problem in problems:
        log("LOST OR DOUBLED:", problem)
    if not stats.accepted:
        problems.append("no submission was accepted at all")
    return problems


def prepare_site(database_url):
    """The database from nothing: migrations, the demo content (the idea form, the
    showcase, the portfolio), the form page; the paths the readers read."""
    env = site_env(database_url, "off")
    manage(env, "migrate", "--no-input")
    # The demo content; sluss_demo runs only with DEBUG on.
    manage({**env, "DJANGO_SETTINGS_MODULE": "example_site.settings.dev"}, "sluss_demo")
    found = subprocess.run(
        [PYTHON, "-m", "loadtest.prepare"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    paths = json.loads(found.stdout.strip().splitlines()[-1])
    paths["read"] = [SHOWCASE_PATH] + [
        paths[key] for key in ("innovation", "portfolio") if paths.get(key)
    ]
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="of each side of each run")
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--mail",
        choices=["off", "failing", "both"],
        default="both",
        help="off: mail goes nowhere, side by side with the form page; failing: the SMTP "
        "server is down (the idea form only); both: one run each",
    )
    parser.add_argument(
        "--tasks",
        choices=["worker", "request"],
        default="worker",
        help="worker: the e-mails are tasks a db_worker process beside gunicorn sends (the "
        "worker extra, as a busy site runs: docs/operations.md); request: sent in the "
        "request, after the commit (the default tasks backend)",
    )
    parser.add_argument(
        "--check-ratios",
        action="store_true",
        help="fail if the idea form misses a ratio target against the form page",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"),
        help="the PostgreSQL server to use (its database is only used to connect)",
    )
    parser.add_argument("--database-name", default="sluss_load")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 600)  # bounded in time

    database_url = recreate_database(args.database_url, args.database_name)
    log(f"database     {args.database_name} (dropped and created)")
    log(
        "e-mails      "
        + (
            f"tasks for a db_worker beside gunicorn ({WORKER_BACKEND})"
            if args.tasks == "worker"
            else "sent in the request, after the commit"
        )
    )
    paths = prepare_site(database_url)
    log(f"form page    {paths['form_page']}; readers read {', '.join(paths['read'])}")

    problems, missed = [], []

    def check(side, worker):
        if side.path == FORM_PATH:
            if worker is not None:
                # The next side starts once the worker has caught up: its backlog is this
                # side's work, not the next one's.
                log(f"worker       caught up {drain(database_url, worker):.1f}s after the side")
            found = verify(side.stats, database_url, side.phase, args.tasks)
        else:
            found = verify_form_page(side.stats, database_url, side.phase)
        problems.extend(f"{side.name}, {side.phase}: {problem}" for problem in found)

    def side_by_side(base, worker):
        warm_up(args, base, paths["form_page"])
        if worker is not None:
            drain(database_url, worker)
        # Idea, form, form, idea: a machine that slows down slows both sides alike.
        alone = Side("idea form", "off", FORM_PATH, 0), Side("form page", "form", None, 0)
        read = (
            Side("form page", "form-readers", None, args.readers),
            Side("idea form", "readers", FORM_PATH, args.readers),
        )
        for side in (*alone, *read):
            side.path = side.path or paths["form_page"]
            run_side(args, base, side, paths["read"])
            check(side, worker)
        missed.extend(compare(*alone))
        missed.extend(compare(read[1], read[0]))

    def failing(base, worker):
        side = Side("idea form", "failing", FORM_PATH, args.readers)
        run_side(args, base, side, paths["read"])
        check(side, worker)

    if args.mail in ("off", "both"):
        serve(args, database_url, "off", side_by_side)
    if args.mail in ("failing", "both"):
        serve(args, database_url, "failing", failing)
    if missed:
        log("\nratio targets missed: " + "; ".join(missed))
    if problems:
        log("\nFAILED:\n" + "\n".join(problems))
        return 1
    log("\nnothing lost: every accepted submission is stored once (an idea with its own reference)")
    if missed and args.check_ratios:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
