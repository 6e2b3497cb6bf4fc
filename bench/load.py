"""Load test: gunicorn with 2 workers, production settings, hit by wrk on the loopback.

Measures requests per second for a board member's dashboard and for the login page (the
floor), each for a fixed short time, and counts non-2xx/3xx responses and socket errors.
DATABASE_URL must name a PostgreSQL database holding the plan and seed_demo data (bench/run.py
makes a scratch one). Gunicorn runs as in production: EIS_DEV_MODE unset, a SECRET_KEY made
for this run, collected static files, bound to 127.0.0.1 on a free port; it is always
stopped at the end.

    DATABASE_URL=postgres://… .venv/bin/python bench/load.py [--seconds 10] [--connections 4]
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import WrkResult, ratio, wrk_parse

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only: the load never leaves this machine
# seed_demo's board member; its password is published for development mode.
BOARD_USER, DEMO_PASSWORD = "board", "bury-demo-2026"


def production_env(database_url: str, static_root: Path) -> dict[str, str]:
    """Production settings as the README describes them, but served over plain HTTP."""
    env = {k: v for k, v in os.environ.items() if k not in ("EIS_DEV_MODE", "DEBUG")}
    return env | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


def collectstatic(env: dict[str, str]) -> str:
    """Collect static files as production does; the last line of the error, or ""."""
    run = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode == 0:
        return ""
    lines = [line for line in run.stderr.splitlines() if "Error" in line] or ["unknown error"]
    return lines[-1].split(" with <")[0].strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port: int, path: str, cookie: str = "") -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    return conn.getresponse()


@contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    """gunicorn serving the app until the block ends; stopped even if the block fails."""
    command = [sys.executable, "-m", "gunicorn", "bury_eis.wsgi:application"]
    command += ["--workers", "2", "--bind", f"{HOST}:{port}", "--error-logfile", str(log)]
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            command, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
        )
    try:
        wait_until_serving(server, port, log)
        yield server
    finally:
        stop(server)


def wait_until_serving(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()}")
        try:
            if get(port, "/login/").status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    """Stop the gunicorn we started: its arbiter and workers (its own process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def log_in(port: int, username: str, password: str) -> str:
    """Sign in through the login page as a person would; returns the Cookie header to send."""
    page = get(port, "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    csrf = SimpleCookie(page.headers.get("Set-Cookie", ""))["csrftoken"].value
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    body = urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf}",
    }
    conn.request("POST", "/login/", body=body, headers=headers)
    reply = conn.getresponse()
    cookies = SimpleCookie()
    for header in reply.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if reply.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {username} failed: HTTP {reply.status}")
    return f"sessionid={cookies['sessionid'].value}"


def wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> WrkResult:
    command = ["wrk", "--threads", "2", "--connections", str(connections)]
    command += ["--duration", f"{seconds}s", "--timeout", "10s"]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    run = subprocess.run(  # noqa: S603 - Debian's wrk, against our own loopback server
        [*command, f"http://{HOST}:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    return wrk_parse(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per page (1–60)")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    seconds = min(max(args.seconds, 1), 60)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres") or not shutil.which("wrk"):
        sys.exit("load.py needs DATABASE_URL=postgres://… and wrk (make wrk)")
    with tempfile.TemporaryDirectory(prefix="eis-load-") as tmp:
        env = production_env(database_url, Path(tmp) / "static")
        problem = collectstatic(env)
        if problem:
            print(f"note: collectstatic fails under production settings ({problem});")
            print("      serving static files without the manifest (bench/load_settings.py)")
            env["DJANGO_SETTINGS_MODULE"] = "bench.load_settings"
            collectstatic(env)
        port = free_port()
        with gunicorn(env, port, Path(tmp) / "gunicorn.log"):
            results = measure(port, seconds, args.connections)
    report(results, seconds, args.connections)


def measure(port: int, seconds: int, connections: int) -> dict[str, WrkResult]:
    cookie = log_in(port, BOARD_USER, DEMO_PASSWORD)
    # wrk counts a redirect as success, so prove the cookie reaches the dashboard itself.
    status = get(port, "/", cookie).status
    if status != 200:
        raise RuntimeError(f"the dashboard answered {status} to the signed-in board member")
    return {
        "dashboard (board)": wrk(port, "/", cookie, seconds, connections),
        "login page (floor)": wrk(port, "/login/", "", seconds, connections),
    }


def report(results: dict[str, WrkResult], seconds: int, connections: int) -> None:
    print(f"gunicorn, 2 workers, production settings; wrk {seconds} s x {connections} connections")
    floor = results["login page (floor)"].requests_per_second
    print(f"{'page':<22}{'req/s':>9}{'of floor':>10}{'requests':>10}{'non-2xx':>9}{'socket':>8}")
    for name, result in results.items():
        print(
            f"{name:<22}{result.requests_per_second:>9.1f}"
            f"{ratio(result.requests_per_second, floor):>10}{result.requests:>10}"
            f"{result.non_2xx_3xx:>9}{result.socket_errors:>8}"
        )


if __name__ == "__main__":
    main()
