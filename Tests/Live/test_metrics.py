"""GET /api/metrics on live pools: Prometheus' own parser reads it, the counts are exact and summed
over every worker, reloads and refused reloads are counted, a worker killed with SIGKILL is counted
as a restart without losing its counts, and REC_METRICS=0 turns the endpoint into a 404."""

from __future__ import annotations

import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

PREDICT = [["Toy Story", "Heat (1995)"], [5, 4]]
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def scrape(stack) -> dict[tuple[str, frozenset], float]:
    """Every sample of /api/metrics, keyed by (sample name, labels)."""
    response = stack.get("/api/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == CONTENT_TYPE
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def predicts(samples, status: str = "200") -> float:
    return value(samples, "recserve_requests_total", endpoint="/api/predict", status=status)


def workers(stack) -> list[int]:
    """The pids of the pool's workers: the master's children."""
    master = int((stack.data_dir / "run" / "rec-fcgi.pid").read_text())
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def wait_until(what: str, condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.1)


def send_predicts(stack, good: int, bad: int = 0) -> None:
    """`good` valid predicts and `bad` malformed ones, eight at a time, so both workers get some."""
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: stack.post("/api/predict", json=PREDICT).status_code, range(good)))
        statuses += list(
            pool.map(
                lambda _: stack.post(
                    "/api/predict", data="[[", headers={"Content-Type": "application/json"}
                ).status_code,
                range(bad),
            )
        )
    assert statuses == [200] * good + [400] * bad


@pytest.fixture(scope="module")
def events_stack(start_stack):
    """A stack for the reload and restart tests, which look at differences only."""
    return start_stack("metrics-events", workers=2)


def test_counts_are_exact_and_summed_over_both_workers(start_stack):
    stack = start_stack("metrics", workers=2)
    assert predicts(scrape(stack)) == 0
    send_predicts(stack, good=37, bad=5)

    samples = scrape(stack)
    assert predicts(samples, "200") == 37
    assert predicts(samples, "400") == 5
    duration = "recserve_request_duration_seconds"
    assert value(samples, duration + "_count", endpoint="/api/predict") == 42
    assert value(samples, duration + "_bucket", endpoint="/api/predict", le="+Inf") == 42
    assert value(samples, duration + "_sum", endpoint="/api/predict") > 0
    buckets = sorted(
        (float(dict(labels)["le"]), count)
        for (name, labels), count in samples.items()
        if name == duration + "_bucket" and dict(labels)["endpoint"] == "/api/predict"
    )
    assert [bound for bound, _ in buckets][:3] == [0.0001, 0.00025, 0.0005] and buckets[-2][0] == 10.0
    assert [count for _, count in buckets] == sorted(count for _, count in buckets), "buckets are cumulative"

    # Both workers answered some of them: the counts are the pool's, not one worker's.
    def predict_lines():
        return re.findall(r"rec-fcgi\.worker\[(\d+)\] request: served .*path=/api/predict ", stack.log())

    wait_until("every predict is logged", lambda: len(predict_lines()) == 42)
    assert len(set(predict_lines())) == 2

    health = stack.get("/api/health").json()
    assert value(samples, "recserve_served_generation") == health["generation"]
    model_file = next((stack.data_dir / "model").glob(f"model-{health['generation']}.*"))
    assert value(samples, "recserve_model_file_bytes") == model_file.stat().st_size
    assert value(samples, "recserve_reloads_total") == 0
    assert value(samples, "recserve_worker_restarts_total") == 0


def test_reloads_and_refused_reloads_are_counted(events_stack):
    stack = events_stack
    before = scrape(stack)
    assert stack.post("/api/reload").status_code == 200
    after = scrape(stack)
    assert value(after, "recserve_reloads_total") == value(before, "recserve_reloads_total") + 1
    assert value(after, "recserve_reloads_refused_total") == value(before, "recserve_reloads_refused_total")

    current = stack.data_dir / "model" / "CURRENT"
    original = current.read_bytes()
    try:
        current.write_bytes(b"not a generation\n")
        time.sleep(0.6)  # nginx admits 2 reloads a second
        refused = stack.post("/api/reload")
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_model"
    finally:
        current.write_bytes(original)
    refused_after = scrape(stack)
    assert value(refused_after, "recserve_reloads_total") == value(after, "recserve_reloads_total")
    assert value(refused_after, "recserve_reloads_refused_total") == value(after, "recserve_reloads_refused_total") + 1
    assert value(refused_after, "recserve_served_generation") == stack.get("/api/health").json()["generation"]


def test_a_killed_worker_is_a_restart_and_its_counts_stay(events_stack):
    stack = events_stack
    send_predicts(stack, good=6)
    before = scrape(stack)
    victim = workers(stack)[0]
    os.kill(victim, signal.SIGKILL)
    wait_until("the killed worker is replaced", lambda: victim not in workers(stack) and len(workers(stack)) == 2)

    after = scrape(stack)
    assert value(after, "recserve_worker_restarts_total") == value(before, "recserve_worker_restarts_total") + 1
    assert predicts(after) == predicts(before), "the killed worker's counts stay"
    send_predicts(stack, good=8)
    assert predicts(scrape(stack)) == predicts(before) + 8, "its replacement counts on"


def test_get_and_head_answer_others_are_405(events_stack):
    stack = events_stack
    head = requests.head(stack.url + "/api/metrics", timeout=10)
    assert head.status_code == 200 and head.headers["Content-Type"] == CONTENT_TYPE and head.content == b""
    post = stack.post("/api/metrics")
    assert post.status_code == 405 and post.headers["Allow"] == "GET, HEAD"
    assert post.json()["error"]["code"] == "method_not_allowed"
    options = requests.options(stack.url + "/api/metrics", timeout=10)
    assert options.status_code == 204 and options.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_with_metrics_off_the_endpoint_is_404_and_no_file_is_kept(start_stack):
    stack = start_stack("metrics-off", environment={"REC_METRICS": "0"})
    assert stack.post("/api/predict", json=PREDICT).status_code == 200
    response = stack.get("/api/metrics")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not list((stack.data_dir / "run").glob("metrics-*"))
