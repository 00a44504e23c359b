"""HTTP load on the production server: gunicorn as configured for production, real logins.

Usage: python bench/load.py [--workers 4] [--rates 10,25,50,100] [--seconds 20]
                            [--closed-seconds 8] [--overload 3]

gunicorn is started with config/gunicorn.conf.py and config.settings_bench (DEBUG off, the
product's settings plus a bare one-query page) on 127.0.0.1:8101, against DATABASE_URL (the
volume `bench/run.py` generated). A member of the first bench site's staff and a référent of one
of its structures log in through the login page (its form, CSRF token and cookies), then:

1. open loop at each fixed rate: requests leave on schedule whatever the answers (a late answer
   does not delay the next request), on the realistic mix (the staff pages people use most and
   "Mes orientations"); latencies count from the scheduled time, so queueing is included;
2. closed loop: as many requests as answers allow, with `2 × workers` clients, in alternating
   phases of the bare page and of the realistic mix, for the throughput ratio in the same run;
3. overload: `--overload` × the realistic maximum for a few seconds, then how long the server
   takes to answer the bare page promptly again, and how many requests got a fast error (under
   a second) rather than a long wait.

It prints p50/p95/p99 and errors per step, the load average while it ran, and the resident
memory of each gunicorn worker after the load (VmRSS, and its peak, VmHWM). Report:
bench/out/load.txt.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
PASSWORD = "bench-load-password-2026"  # noqa: S105 -- the bench's own users, local database
FAST_ERROR_SECONDS = 1.0
PROMPT_SECONDS = 0.2
SETTLE_LIMIT_SECONDS = 300


@dataclass
class Result:
    ok: bool
    seconds: float  # from the scheduled start (open loop) or the send (closed loop)
    kind: str  # "real" or "bare"
    error: str = ""


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings_bench",
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_LOG_LEVEL="warning",
    )
    return env


def prepare(args: argparse.Namespace) -> dict[str, list[str]]:
    """Passwords of the two bench users, static files collected; the URLs of the mix."""
    os.environ.update(server_env(args))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    from solidarnum.accounts.enums import Role
    from solidarnum.accounts.models import Membership
    from solidarnum.beneficiaries.models import Beneficiary
    from solidarnum.referrals.models import Referral

    logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per request
    call_command("collectstatic", interactive=False, verbosity=0)
    staff = (
        Membership.objects.filter(role=Role.STAFF, reception_point__name__startswith="Bench ")
        .select_related("user")
        .order_by("reception_point_id", "pk")
        .first()
    )
    if staff is None:
        sys.exit("No bench volume: run `make bench-national` first (bench/README.md).")
    site = staff.reception_point_id
    people = list(
        Beneficiary.objects.filter(reception_point_id=site, contact_notes="bench")
        .order_by("pk")
        .values_list("public_id", flat=True)[:20]
    )
    referral = Referral.objects.filter(reception_point_id=site, beneficiary__isnull=False).first()
    assert referral is not None
    referent = Membership.objects.get(
        role=Role.REFERENT, partner_structure_id=referral.partner_structure_id
    )
    for membership in (staff, referent):
        membership.user.set_password(PASSWORD)
        membership.user.save(update_fields=["password"])
    staff_urls = [
        "/accueil/orientations/",
        "/accueil/orientations/?q=martin",
        "/accueil/orientations/?status=all",
        f"/accueil/orientations/?partner_structure={referral.partner_structure_id}",
        "/beneficiaires/",
        "/beneficiaires/?q=martin",
        "/beneficiaires/?access=active",
        *(f"/beneficiaires/{public_id}/" for public_id in people[:3]),
        f"/accueil/orientations/{referral.reference}/",
        "/equipement/appareils/",
        "/equipement/",
    ]
    return {
        staff.user.email: staff_urls,
        referent.user.email: ["/orientations/suivi/", "/orientations/suivi/?q=martin"],
    }


def start_server(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    log = (OUT / "gunicorn.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 -- our own virtualenv's gunicorn
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=server_env(args),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{args.port}/healthz", timeout=2).status_code == 200:
                return server
        time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 60 s (bench/out/gunicorn.log)")


def workers_of(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def memory_mb(pid: int, field: str) -> float:
    """VmRSS (resident now) or VmHWM (the peak) of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(rf"{field}:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


async def login(client: httpx.AsyncClient, email: str) -> None:
    """Through the login page: its CSRF token, then the form, as a browser would."""
    page = await client.get("/compte/login/")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if match is None:
        raise SystemExit("No CSRF token on the login page")
    response = await client.post(
        "/compte/login/",
        data={"csrfmiddlewaretoken": match.group(1), "login": email, "password": PASSWORD},
        headers={"Referer": f"{client.base_url}/compte/login/"},
    )
    if response.status_code != 302 or "login" in response.headers.get("location", ""):
        raise SystemExit(f"Login of {email} failed: {response.status_code}")


async def fetch(
    client: httpx.AsyncClient, url: str, kind: str, scheduled: float | None = None
) -> Result:
    start = scheduled if scheduled is not None else time.perf_counter()
    try:
        response = await client.get(url)
        ok = response.status_code == 200
        error = "" if ok else str(response.status_code)
    except httpx.HTTPError as exc:
        ok, error = False, type(exc).__name__
    return Result(ok, time.perf_counter() - start, kind, error)


Next = Callable[[], tuple[httpx.AsyncClient, str, str]]


async def open_loop(rate: float, seconds: float, next_request: Next) -> list[Result]:
    """Arrivals on schedule, `rate` a second, whatever the answers."""
    tasks = []
    start = time.perf_counter()
    for k in range(round(rate * seconds)):
        at = start + k / rate
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        client, url, kind = next_request()
        tasks.append(asyncio.create_task(fetch(client, url, kind, scheduled=at)))
    return list(await asyncio.gather(*tasks))


async def closed_loop(clients: int, seconds: float, next_request: Next) -> list[Result]:
    """`clients` loops, each sending its next request when the previous one is answered."""
    deadline = time.perf_counter() + seconds
    results: list[Result] = []

    async def loop() -> None:
        while time.perf_counter() < deadline:
            client, url, kind = next_request()
            results.append(await fetch(client, url, kind))

    await asyncio.gather(*(loop() for _ in range(clients)))
    return results


async def settle(client: httpx.AsyncClient) -> float:
    """Seconds until the bare page answers promptly again: the queue a step left is served
    (requests their client gave up on included) before the next step starts."""
    started = time.perf_counter()
    while time.perf_counter() - started < SETTLE_LIMIT_SECONDS:
        probe = await fetch(client, "/bench/bare/", "bare")
        if probe.ok and probe.seconds < PROMPT_SECONDS:
            break
    return time.perf_counter() - started


def summary(label: str, results: list[Result], seconds: float | None = None) -> str:
    ok = sorted(r.seconds * 1000 for r in results if r.ok)
    errors = [r for r in results if not r.ok]

    def pct(p: float) -> float:
        return ok[min(len(ok) - 1, int(len(ok) * p))] if ok else float("nan")

    rate = f" {len(ok) / seconds:7.1f} ok/s" if seconds else ""
    kinds = sorted({r.error for r in errors})
    return (
        f"{label:34} n={len(results):5d} p50={pct(0.5):7.1f} p95={pct(0.95):7.1f} "
        f"p99={pct(0.99):7.1f} ms errors={len(errors)}{rate}"
        + (f" ({', '.join(kinds)})" if kinds else "")
    )


def cycle(items: list[tuple[httpx.AsyncClient, str, str]]) -> Next:
    it: Iterator[tuple[httpx.AsyncClient, str, str]] = itertools.cycle(items)
    return lambda: next(it)


class Report(list[str]):
    """The report's lines, each printed as soon as it is known (a run takes minutes)."""

    def append(self, line: str) -> None:
        print(line, flush=True)  # noqa: T201
        super().append(line)


async def scenario(args: argparse.Namespace, mix: dict[str, list[str]], lines: Report) -> None:
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=0)
    timeout = httpx.Timeout(args.timeout, connect=FAST_ERROR_SECONDS)
    base = f"http://127.0.0.1:{args.port}"
    clients = {
        email: httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) for email in mix
    }
    try:
        for email, client in clients.items():
            await login(client, email)
        staff_client = next(iter(clients.values()))
        # The référent's pages spread among the staff's, not in one burst.
        staff_email, referent_email = list(mix)
        others = itertools.cycle(mix[referent_email])
        realistic = []
        for n, url in enumerate(mix[staff_email]):
            realistic.append((clients[staff_email], url, "real"))
            if n % 4 == 3:
                realistic.append((clients[referent_email], next(others), "real"))
        bare = [(staff_client, "/bench/bare/", "bare")]
        for _client, url, _kind in realistic:  # warm every worker on every page
            for _ in range(args.workers):
                await fetch(_client, url, "real")
        loads = [os.getloadavg()[0]]
        for rate in args.rates:
            results = await open_loop(rate, args.seconds, cycle(realistic))
            loads.append(os.getloadavg()[0])
            lines.append(summary(f"open loop {rate:g}/s realistic", results))
            lines.append(
                f"  then {await settle(staff_client):.1f} s until the server was idle again"
            )
        phases: dict[str, list[Result]] = {"bare": [], "real": []}
        for phase in ("bare", "real", "bare", "real"):
            items = bare if phase == "bare" else realistic
            phases[phase] += await closed_loop(2 * args.workers, args.closed_seconds, cycle(items))
            loads.append(os.getloadavg()[0])
        seconds = 2 * args.closed_seconds
        lines.append(summary("closed loop bare page", phases["bare"], seconds))
        lines.append(summary("closed loop realistic", phases["real"], seconds))
        bare_rate = sum(r.ok for r in phases["bare"]) / seconds
        real_rate = sum(r.ok for r in phases["real"]) / seconds
        lines.append(
            f"realistic / bare throughput: {real_rate:.1f} / {bare_rate:.1f} = "
            f"{100 * real_rate / bare_rate if bare_rate else 0:.1f} %"
        )
        overload = max(args.overload * real_rate, 20.0)
        started = time.perf_counter()
        results = await open_loop(overload, args.overload_seconds, cycle(realistic))
        drained = time.perf_counter() - started - args.overload_seconds
        loads.append(os.getloadavg()[0])
        fast = sum(1 for r in results if not r.ok and r.seconds < FAST_ERROR_SECONDS + 0.5)
        slow = sum(1 for r in results if not r.ok) - fast
        lines.append(summary(f"overload {overload:.0f}/s realistic", results))
        lines.append(
            f"  after the last arrival, answers kept coming for {max(0.0, drained):.1f} s; "
            f"errors: {fast} fast (< {FAST_ERROR_SECONDS + 0.5:.1f} s), {slow} slow; "
            f"{sum(r.ok for r in results)} answered"
        )
        lines.append(
            f"  the bare page answered promptly again {await settle(staff_client):.1f} s "
            "after the overload's last answer"
        )
        lines.append(
            f"load average (1 min) while it ran: min {min(loads):.2f}, "
            f"mean {statistics.mean(loads):.2f}, max {max(loads):.2f}"
        )
    finally:
        for client in clients.values():
            await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8101")))
    parser.add_argument(
        "--rates", type=lambda v: [float(x) for x in v.split(",")], default=[10, 25, 50, 100]
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--closed-seconds", type=float, default=8)
    parser.add_argument("--overload", type=float, default=3.0, help="× the realistic maximum")
    parser.add_argument("--overload-seconds", type=float, default=8)
    parser.add_argument("--timeout", type=float, default=30, help="a client's patience, s")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    mix = prepare(args)
    lines = Report()
    lines.append(
        f"gunicorn {args.workers} workers, config/gunicorn.conf.py, DEBUG off; "
        f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}"
    )
    server = start_server(args)
    try:
        asyncio.run(scenario(args, mix, lines))
        # The peak includes a login's password hash if the worker served one: Argon2 takes
        # 100 MiB for a moment, by design, and gives it back.
        rss = [
            f"{memory_mb(pid, 'VmRSS'):.0f} MB (peak {memory_mb(pid, 'VmHWM'):.0f})"
            for pid in workers_of(server)
        ]
        lines.append("resident memory of each worker after the load: " + ", ".join(rss))
    finally:
        server.terminate()
        server.wait(timeout=60)
    (OUT / "load.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
