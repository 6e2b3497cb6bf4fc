"""Pure logic the benchmarks share, kept free of Django so tests can prove it quickly:
reading wrk's output, counting lost updates, and naming scratch databases."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run reports: throughput, and every way a request went wrong."""

    requests: int
    requests_per_second: float
    non_2xx_3xx: int
    socket_errors: int

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + self.socket_errors


def wrk_parse(output: str) -> WrkResult:
    """Read wrk's summary; its error lines appear only when there were errors."""
    total = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not (total and rate):
        raise ValueError(f"wrk printed no summary:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(total.group(1)),
        requests_per_second=float(rate.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def marker(worker: int, attempt: int) -> str:
    """A token that one accepted save appends to the narrative; unique per save."""
    return f"[w{worker}-{attempt:03d}]"


@dataclass(frozen=True)
class ConcurrencyTally:
    """Two writers' outcomes against what the database kept in the end."""

    accepted: int
    conflicts: int
    errors: int
    lost_markers: int  # accepted saves whose marker is missing from the final narrative
    counter_shortfall: int  # accepted saves minus the final value of the counted KPI
    history_shortfall: int  # accepted saves minus the narrative changes in the history

    @property
    def lost_updates(self) -> int:
        """An accepted save overwritten by one that had not seen it, by any of the three
        independent checks; 0 when the optimistic version check works."""
        return max(self.lost_markers, self.counter_shortfall, self.history_shortfall)


def concurrency_tally(
    *,
    accepted_markers: list[str],
    conflicts: int,
    errors: int,
    final_narrative: str,
    final_counter: int,
    narrative_changes: int,
) -> ConcurrencyTally:
    """Compare the saves the writers were told succeeded with what survived.

    Each accepted save appended its marker to the narrative it had read and added one to
    the KPI value it had read, so a save built on a stale read drops earlier markers and
    leaves the counter short; each accepted save also records one narrative change.
    """
    present = set(re.findall(r"\[w\d+-\d+\]", final_narrative))
    accepted = len(accepted_markers)
    return ConcurrencyTally(
        accepted=accepted,
        conflicts=conflicts,
        errors=errors,
        lost_markers=sum(1 for m in accepted_markers if m not in present),
        counter_shortfall=accepted - final_counter,
        history_shortfall=accepted - narrative_changes,
    )


def scratch_url(database_url: str, name: str) -> str:
    """The same PostgreSQL server and credentials as `database_url`, another database."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        raise ValueError(f"not a PostgreSQL URL: {parts.scheme}://…")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a safe database name: {name!r}")
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}x" if floor else "n/a"
