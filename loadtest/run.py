"""`make load`: the example site under gunicorn on PostgreSQL, with nothing lost.

40 clients for 30 seconds (by default) open the idea form like a browser (the CSRF
cookie and token, the form token), send it and read the confirmation; others read
the showcase at the same time. Then every accepted submission must be stored exactly
once, with a unique reference number, and the confirmation must have shown that
number. The same again with the mail server down (``--mail failing``): then every
receipt must be recorded as not sent (``FailedEmail``), to be sent again later.

Loopback only, bounded in time and in count; only the standard library. The site
runs with example_site.settings.load: production settings with the minimum fill
time and the rate limits off (the clients are bots from one address by design).

    python loadtest/run.py --seconds 30 --clients 40 --readers 8 --mail off
"""

import argparse
import http.cookiejar
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
MAX_REQUESTS = 100_000  # a bound on the count whatever the speed
TIMEOUT = 30


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


def site_env(database_url, mail):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="example_site.settings.load",
        DATABASE_URL=database_url,
        SLUSS_LOAD_MAIL=mail,
        PYTHONPATH=os.pathsep.join([str(ROOT), str(SITE)]),
    )
    return env


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=SITE, env=env, check=True, stdout=subprocess.DEVNULL
    )


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
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.errors = Counter()
        self.accepted = {}  # title -> reference shown on the confirmation
        self.requests = 0

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
        confirmation = urllib.parse.urljoin(base + FORM_PATH, result[2]["Location"])
        result = timed(stats, opener, urllib.request.Request(confirmation))
        reference = re.search(r'class="sluss-reference">([^<]+)<', result[1]) if result else None
        with stats.lock:
            stats.accepted[title] = reference.group(1) if reference else None


def reader(base, stop_at, stats):
    opener = urllib.request.build_opener()
    while time.monotonic() < stop_at and stats.room_left():
        timed(stats, opener, urllib.request.Request(base + SHOWCASE_PATH))


def stored_ideas(database_url, phase):
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT title, reference FROM sluss_wagtail_idea WHERE title LIKE %s",
            [f"Lasttest {phase} %"],
        ).fetchall()


def ideas_without_recorded_receipt(database_url, phase):
    """Stored ideas of ``phase`` whose receipt is neither sent nor recorded as not sent."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT i.title FROM sluss_wagtail_idea i WHERE i.title LIKE %s AND NOT EXISTS "
            "(SELECT 1 FROM sluss_wagtail_failedemail f "
            "WHERE f.idea_id = i.id AND f.kind = 'receipt')",
            [f"Lasttest {phase} %"],
        ).fetchall()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_phase(args, database_url, mail):
    log(f"\n== {args.clients} clients + {args.readers} readers, {args.seconds}s, mail {mail} ==")
    env = site_env(database_url, mail)
    port = free_port()
    server = Gunicorn(env, port, args.workers)
    try:
        server.wait_ready()
        base = f"http://127.0.0.1:{port}"
        stats = Stats()
        started = time.monotonic()
        stop_at = started + args.seconds
        threads = [
            threading.Thread(target=submitter, args=(n, base, stop_at, stats, mail))
            for n in range(args.clients)
        ] + [
            threading.Thread(target=reader, args=(base, stop_at, stats))
            for _ in range(args.readers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.stop()

    latencies = stats.latencies
    log(f"requests     {stats.requests} in {elapsed:.1f}s: {stats.requests / elapsed:.1f}/s")
    log(f"submissions  {len(stats.accepted)} accepted: {len(stats.accepted) / elapsed:.1f}/s")
    log(
        f"latency      p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
        f"mean {statistics.fmean(latencies) * 1000 if latencies else 0:.0f} ms"
    )
    log(f"errors       {sum(stats.errors.values())} {dict(stats.errors)}")
    return stats


def verify(stats, database_url, phase):
    """Every accepted submission stored exactly once, with a unique reference it was shown."""
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
    for problem in problems:
        log("LOST OR DOUBLED:", problem)
    if not stats.accepted:
        problems.append("no submission was accepted at all")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--mail",
        choices=["off", "failing", "both"],
        default="both",
        help="off: mail goes nowhere; failing: the SMTP server is down; both: one run each",
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
    env = site_env(database_url, "off")
    manage(env, "migrate", "--no-input")
    # The demo content (the form page, the showcase); sluss_demo runs only with DEBUG on.
    manage({**env, "DJANGO_SETTINGS_MODULE": "example_site.settings.dev"}, "sluss_demo")

    problems = []
    for mail in ["off", "failing"] if args.mail == "both" else [args.mail]:
        stats = run_phase(args, database_url, mail)
        found = verify(stats, database_url, mail)
        problems += [f"mail {mail}: {problem}" for problem in found]
    if problems:
        log("\nFAILED:\n" + "\n".join(problems))
        return 1
    log("\nnothing lost: every accepted submission is stored once with its own reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
