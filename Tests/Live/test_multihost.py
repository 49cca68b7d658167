"""Several hosts kept in step through object storage (issue 13): two stacks, each with its own
data folder, nginx, pool and `rec-cli sync`, follow one bucket of moto's S3 server. Under load on
both, a generation that `rec-cli train` then `rec-cli publish` put there must be served by both
within 15 s with no failed request, and a corrupt upload must be refused by both, which keep
serving the previous generation. The propagation times are printed (`pytest -s`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
import requests

from conftest import BINARIES, REPOSITORY, free_port

BUCKET = "recserve-models"
PREFIX = "generations"
LOCATION = f"s3://{BUCKET}/{PREFIX}"
# Test credentials that moto accepts; the test checks that no log line ever holds them.
ACCESS_KEY = "AKIARECSERVETESTKEY7"
SECRET_KEY = "recserve/Secret+Test+Key+0123456789abcdef"
PROPAGATION_LIMIT_SECONDS = 15
# The documented interval of `rec-cli sync` beside a pool (README, docs/scaling.md).
SYNC_INTERVAL = "5s"
# A different small model from the one the stacks start with (conftest's), so that its
# `trained_at` and contents differ.
NEW_MODEL_ARGUMENTS = [
    "--model", "mf", "--no-search", "--seed", "2", "--hyperparameter", "factors=16", "--hyperparameter", "epochs=6",
]


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free loopback port, with the bucket created."""
    executable = Path(sys.executable).parent / "moto_server"
    command = str(executable) if executable.exists() else shutil.which("moto_server")
    assert command, "moto_server is missing: install Tests/Live/requirements.txt"
    port = free_port()
    process = subprocess.Popen(
        [command, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(endpoint, timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("moto_server did not start")
                time.sleep(0.2)
        s3_client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        process.terminate()
        process.wait(10)


def s3_client(endpoint: str):
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
    )


def cli_environment(data_dir: Path, endpoint: str) -> dict:
    return {
        **os.environ, "REC_DATA_DIR": str(data_dir), "REC_S3_ENDPOINT": endpoint,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def rec_cli(data_dir: Path, endpoint: str, *arguments: str) -> str:
    result = subprocess.run(
        [str(BINARIES / "rec-cli"), *arguments], env=cli_environment(data_dir, endpoint),
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, f"rec-cli {' '.join(arguments)} failed: {result.stderr[-2000:]}"
    return result.stdout


class Load:
    """A thread pool sending recommend and predict requests to every host until stopped."""

    def __init__(self, urls: list[str], threads_per_host: int = 3):
        self.urls = urls
        self.threads = threads_per_host * len(urls)
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.failures: list[str] = []
        self.executor = ThreadPoolExecutor(self.threads)

    def __enter__(self):
        self.futures = [self.executor.submit(self.drive, self.urls[i % len(self.urls)], i) for i in range(self.threads)]
        return self

    def drive(self, url: str, index: int) -> None:
        session = requests.Session()
        count = 0
        while not self.stop_event.is_set():
            count += 1
            try:
                if count % 2:
                    response = session.get(f"{url}/api/recommend", params={"user_id": 1 + (count + index) % 500, "top": 10}, timeout=10)
                else:
                    response = session.post(f"{url}/api/predict", json=[[1, 260, 1196], [5, 4, 5]], timeout=10)
                ok = response.status_code == 200
                detail = f"{response.status_code} {response.text[:200]}"
            except requests.RequestException as error:
                ok, detail = False, str(error)
            with self.lock:
                self.requests += 1
                if not ok:
                    self.failures.append(f"{url}: {detail}")

    def __exit__(self, *exc):
        self.stop_event.set()
        for future in self.futures:
            future.result()
        self.executor.shutdown()


def generation(stack) -> int:
    return stack.get("/api/health").json()["generation"]


def wait_until(condition, seconds: float, what: str) -> float:
    """Polls `condition` every 50 ms; returns the seconds it took, fails after `seconds`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.05)
    return time.monotonic() - start


def test_two_hosts_follow_one_bucket(start_stack, trained_model, workspace, s3_endpoint):
    publisher = workspace / "multihost-publisher"
    publisher.mkdir()
    shutil.copytree(trained_model, publisher / "model", symlinks=True)
    rec_cli(publisher, s3_endpoint, "publish", "--to", LOCATION)

    hosts = [start_stack("multihost-a"), start_stack("multihost-b")]
    initial = [generation(host) for host in hosts]
    syncs = []
    try:
        for host in hosts:
            output = (host.data_dir / "sync-output.log").open("w")
            syncs.append(subprocess.Popen(
                [str(BINARIES / "rec-cli"), "sync", "--from", LOCATION, "--interval", SYNC_INTERVAL],
                env=cli_environment(host.data_dir, s3_endpoint), stdout=output, stderr=subprocess.STDOUT,
            ))
        # The hosts already hold the published file: the first poll recognises it by its checksum.
        for host in hosts:
            wait_until(lambda: "already the local generation" in (host.data_dir / "sync-output.log").read_text(), 30, "first poll")
        assert [generation(host) for host in hosts] == initial

        with Load([host.url for host in hosts]) as load:
            time.sleep(1)
            subprocess.run(
                [str(BINARIES / "rec-cli"), "train", f"--dataset={REPOSITORY / 'dataset' / 'ratings_train.dat'}",
                 *NEW_MODEL_ARGUMENTS],
                env=cli_environment(publisher, s3_endpoint), capture_output=True, check=True,
            )
            new_trained_at = rec_info(publisher, s3_endpoint)["trained_at"]
            rec_cli(publisher, s3_endpoint, "publish", "--to", LOCATION)
            uploaded = time.monotonic()
            times = []
            for host, before in zip(hosts, initial):
                wait_until(lambda: generation(host) != before, PROPAGATION_LIMIT_SECONDS - (time.monotonic() - uploaded), "propagation")
                times.append(time.monotonic() - uploaded)
            print(f"\nmulti-host propagation after the upload (--interval {SYNC_INTERVAL}): {', '.join(f'{t:.2f} s' for t in times)}")
            for host in hosts:
                assert host.get("/api/info").json()["model"]["trained_at"] == new_trained_at
            served = [generation(host) for host in hosts]

            corrupt_upload(s3_endpoint, publisher)
            for host in hosts:
                wait_until(lambda: "refused a remote model generation" in host.log(), PROPAGATION_LIMIT_SECONDS, "refusal")
            time.sleep(2)
            assert [generation(host) for host in hosts] == served
            for host in hosts:
                assert host.get("/api/info").json()["model"]["trained_at"] == new_trained_at
        print(f"multi-host load: {load.requests} requests, {len(load.failures)} failed")
        assert load.requests > 100
        assert load.failures == []
    finally:
        for process in syncs:
            process.terminate()
            process.wait(10)
    for folder in [publisher, *(host.data_dir for host in hosts)]:
        for name in ["log_file.log", "sync-output.log"]:
            path = folder / name
            if path.exists():
                text = path.read_text(errors="replace")
                assert SECRET_KEY not in text and ACCESS_KEY not in text, f"a credential is in {path}"


def rec_info(data_dir: Path, endpoint: str) -> dict:
    import json

    return json.loads(rec_cli(data_dir, endpoint, "info"))


def corrupt_upload(endpoint: str, publisher: Path) -> None:
    """Uploads a copy of the publisher's current file with bytes flipped in its middle as a new
    generation, then a CURRENT naming it, as a faulty publisher would."""
    model = publisher / "model"
    current = int((model / "CURRENT").read_text())
    data = bytearray((model / f"model-{current}.recmodel").read_bytes())
    for offset in range(len(data) // 2, len(data) // 2 + 16):
        data[offset] ^= 0xFF
    client = s3_client(endpoint)
    client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/model-{current + 50}.recmodel", Body=bytes(data))
    client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/CURRENT", Body=f"{current + 50}\n".encode())


def test_sync_logs_an_unreachable_bucket_keeps_serving_and_backs_off(start_stack):
    host = start_stack("sync-unreachable")
    before = generation(host)
    dead_endpoint = f"http://127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [str(BINARIES / "rec-cli"), "sync", "--from", LOCATION, "--interval", "1s", "--max-backoff", "4s"],
        env=cli_environment(host.data_dir, dead_endpoint), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_until(lambda: host.log().count("sync poll failed") >= 3, 30, "three failed polls")
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    failures = [line for line in host.log().splitlines() if "sync poll failed" in line]
    assert all("code=storage" in line and "connection refused" in line for line in failures), failures[0]
    waits = [line.split("retry_in_seconds=")[1].split()[0] for line in failures]
    assert waits[:3] == ["2", "4", "4"], waits
    assert generation(host) == before and host.get("/api/recommend?user_id=1").status_code == 200
    for text in [host.log(), stderr]:
        assert SECRET_KEY not in text and ACCESS_KEY not in text


def test_sync_once_names_a_missing_current(s3_endpoint, workspace):
    folder = workspace / "sync-missing-current"
    result = subprocess.run(
        [str(BINARIES / "rec-cli"), "sync", "--once", "--from", f"s3://{BUCKET}/nothing-here"],
        env=cli_environment(folder, s3_endpoint), capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert f"s3://{BUCKET}/nothing-here/CURRENT does not exist" in result.stderr
    assert SECRET_KEY not in result.stderr + result.stdout
