"""The benchmarks' own logic: reading wrk, counting lost updates, naming scratch databases."""

import pytest

from bench.report import concurrency_tally, marker, ratio, scratch_url, wrk_parse

CLEAN_RUN = """\
Running 10s test @ http://127.0.0.1:40123/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   236.71ms   30.25ms 353.41ms   72.62%
    Req/Sec     8.90      3.82    20.00     74.70%
  168 requests in 10.01s, 5.66MB read
Requests/sec:     16.78
Transfer/sec:    578.04KB
"""

FAILING_RUN = """\
Running 10s test @ http://127.0.0.1:40123/login/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.10ms    3.02ms  40.11ms   80.00%
    Req/Sec   141.37     20.12   190.00     70.00%
  2830 requests in 10.00s, 19.01MB read
  Socket errors: connect 0, read 2, write 1, timeout 4
  Non-2xx or 3xx responses: 12
Requests/sec:    282.95
Transfer/sec:      1.90MB
"""


def test_wrk_summary_without_errors_reads_as_none():
    result = wrk_parse(CLEAN_RUN)
    assert (result.requests, result.requests_per_second) == (168, 16.78)
    assert (result.non_2xx_3xx, result.socket_errors, result.errors) == (0, 0, 0)


def test_wrk_errors_are_counted_by_kind_and_in_total():
    result = wrk_parse(FAILING_RUN)
    assert (result.requests, result.requests_per_second) == (2830, 282.95)
    assert (result.non_2xx_3xx, result.socket_errors, result.errors) == (12, 7, 19)


def test_wrk_output_without_a_summary_is_refused():
    with pytest.raises(ValueError, match="no summary"):
        wrk_parse("unable to connect to 127.0.0.1:40123 Connection refused\n")


def tally(accepted: list[str], narrative: str, counter: int, changes: int):
    return concurrency_tally(
        accepted_markers=accepted,
        conflicts=3,
        errors=0,
        final_narrative=narrative,
        final_counter=counter,
        narrative_changes=changes,
    )


def test_when_every_accepted_save_survives_nothing_is_lost():
    saves = [marker(1, 0), marker(2, 0), marker(1, 2)]
    result = tally(saves, " ".join(saves), counter=3, changes=3)
    assert (result.accepted, result.conflicts, result.lost_updates) == (3, 3, 0)


def test_a_save_overwritten_by_a_stale_one_is_a_lost_update():
    # Worker 2 saved on top of a narrative read before worker 1's accepted save.
    saves = [marker(1, 0), marker(2, 0)]
    result = tally(saves, marker(2, 0), counter=1, changes=2)
    assert (result.lost_markers, result.counter_shortfall, result.history_shortfall) == (1, 1, 0)
    assert result.lost_updates == 1


def test_a_lost_write_seen_only_in_the_history_still_counts():
    saves = [marker(1, 0), marker(1, 1)]
    result = tally(saves, " ".join(saves), counter=2, changes=1)
    assert result.lost_updates == 1


def test_markers_are_distinct_and_none_is_a_prefix_of_another():
    markers = [marker(w, a) for w in (1, 2) for a in range(200)]
    assert len(set(markers)) == 400
    assert marker(1, 1) not in marker(1, 10) + marker(1, 100)


def test_scratch_databases_live_on_the_same_server_with_the_same_login():
    url = "postgres://eis:s3cret@db.internal:6543/bury_eis?sslmode=require"
    assert scratch_url(url, "eis_bench_100x") == (
        "postgres://eis:s3cret@db.internal:6543/eis_bench_100x?sslmode=require"
    )


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:///db.sqlite3", "eis_bench_1x"),
        ("postgres://postgres@127.0.0.1/x", "eis; DROP DATABASE bury_eis"),
        ("postgres://postgres@127.0.0.1/x", "Eis-Bench"),
    ],
)
def test_scratch_url_refuses_other_vendors_and_unsafe_names(url, name):
    with pytest.raises(ValueError):
        scratch_url(url, name)


def test_ratio_to_the_floor():
    assert ratio(16.78, 282.95) == "0.06x"
    assert ratio(5.0, 0) == "n/a"
