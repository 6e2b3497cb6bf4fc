"""Sign-in flood: one address sends wrong passwords; can someone elsewhere still sign in?

gunicorn with 2 workers and production settings behind a pretend proxy (BEHIND_PROXY=true),
bound to 127.0.0.1 on a free port; every request comes from the loopback, so each says in
X-Forwarded-For which address it is from, as the council's proxy would. One address sends
--attempts wrong passwords (bounded also by --seconds) over --connections connections,
cycling through seed_demo's usernames, the admin's among them. A real sign-in as the demo
admin from another address is timed before the flood, during it (once the flood is being
refused) and after it. Prints how
the flood was answered (a wrong password, which costs a password hash, or refused with 429,
which should not, once a limit is reached) with the median and 95th percentile time of each.

DATABASE_URL must name a PostgreSQL database holding the plan and seed_demo data (bench/run.py
makes a scratch one). The database's sign-in failures (django-axes' records) are kept.

    DATABASE_URL=postgres://… .venv/bin/python bench/sign_in_flood.py [--attempts 300]
"""

import argparse
import http.client
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import DEMO_PASSWORD, HOST, collectstatic, free_port, gunicorn, production_env

ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"  # documentation addresses (RFC 5737)
USERNAMES = ["admin", "officer", "board", "send", "administrator", "root"]
REAL_USER = "admin"


class Form:
    """The sign-in form's CSRF cookie and token, fetched once and sent with every POST."""

    def __init__(self, port: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        conn.request("GET", "/login/")
        page = conn.getresponse()
        html = page.read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        self.cookie = SimpleCookie(page.headers.get("Set-Cookie", ""))["csrftoken"].value
        self.port = port

    def post(self, username: str, password: str, address: str) -> tuple[int, float]:
        """Sign in as `username` from `address`; the status and the seconds it took."""
        body = urlencode(
            {"csrfmiddlewaretoken": self.token, "username": username, "password": password}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.cookie}",
            "X-Forwarded-For": address,
        }
        start = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request("POST", "/login/", body=body, headers=headers)
            reply = conn.getresponse()
            reply.read()
            return reply.status, time.perf_counter() - start
        finally:
            conn.close()


class Flood:
    """Wrong passwords from one address, at most `attempts` of them and for `seconds`."""

    def __init__(self, form: Form, attempts: int, seconds: float) -> None:
        self.form, self.attempts, self.deadline = form, attempts, time.monotonic() + seconds
        self.times: dict[int, list[float]] = defaultdict(list)
        self.sent = 0
        self.lock = threading.Lock()
        self.started = time.perf_counter()
        self.took = 0.0

    def _next(self) -> int | None:
        with self.lock:
            if self.sent >= self.attempts or time.monotonic() > self.deadline:
                return None
            self.sent += 1
            return self.sent

    def refused(self) -> int:
        with self.lock:
            return len(self.times[429])

    def worker(self) -> None:
        while (n := self._next()) is not None:
            username = USERNAMES[n % len(USERNAMES)]
            status, seconds = self.form.post(username, f"guess-{n}", ATTACKER)
            with self.lock:
                self.times[status].append(seconds)

    def run(self, connections: int) -> None:
        with ThreadPoolExecutor(connections) as pool:
            for _ in range(connections):
                pool.submit(self.worker)
        self.took = time.perf_counter() - self.started


def real_sign_in(form: Form) -> str:
    status, seconds = form.post(REAL_USER, DEMO_PASSWORD, OFFICE)
    return f"{seconds:.2f} s ({'signed in' if status == 302 else f'HTTP {status}'})"


def measure(port: int, attempts: int, seconds: float, connections: int) -> None:
    form = Form(port)
    before = real_sign_in(form)
    flood = Flood(form, attempts, seconds)
    runner = threading.Thread(target=flood.run, args=(connections,))
    runner.start()
    # Into the flood, once the address is refused: the workers should be free again.
    while runner.is_alive() and flood.refused() < 20:
        time.sleep(0.05)
    during = real_sign_in(form)
    runner.join()
    after = real_sign_in(form)
    report(flood, connections, {"before": before, "during": during, "after": after})


def report(flood: Flood, connections: int, real: dict[str, str]) -> None:
    print(
        f"{flood.sent} wrong sign-ins from {ATTACKER} over {connections} connections "
        f"in {flood.took:.1f} s ({flood.sent / flood.took:.0f} a second)"
    )
    print(f"{'answered':<26}{'count':>7}{'median ms':>11}{'95% ms':>9}")
    names = {200: "wrong password (hashed)", 429: "refused (429)"}
    for status in sorted(flood.times):
        times = sorted(flood.times[status])
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        name = names.get(status, f"HTTP {status}")
        median = statistics.median(times)
        print(f"{name:<26}{len(times):>7}{median * 1000:>11.0f}{p95 * 1000:>9.0f}")
    for when, result in real.items():
        print(f"real sign-in as {REAL_USER} from {OFFICE}, {when + ' the flood:':<18}{result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=300, help="wrong sign-ins (1-5000)")
    parser.add_argument("--seconds", type=float, default=60, help="at most this long (1-300)")
    parser.add_argument("--connections", type=int, default=4, help="at once (1-16)")
    args = parser.parse_args()
    attempts = min(max(args.attempts, 1), 5000)
    seconds = min(max(args.seconds, 1), 300)
    connections = min(max(args.connections, 1), 16)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("sign_in_flood.py needs DATABASE_URL=postgres://…")
    with tempfile.TemporaryDirectory(prefix="eis-flood-") as tmp:
        env = production_env(database_url, Path(tmp) / "static") | {"BEHIND_PROXY": "true"}
        problem = collectstatic(env)
        if problem:
            env["DJANGO_SETTINGS_MODULE"] = "bench.load_settings"
            collectstatic(env)
        port = free_port()
        with gunicorn(env, port, Path(tmp) / "gunicorn.log"):
            measure(port, attempts, seconds, connections)


if __name__ == "__main__":
    main()
