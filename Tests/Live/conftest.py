"""Fixtures of the live tests: real stacks (deploy/serve.sh, nginx and the rec-fcgi pool) on free
loopback ports, each with its own data folder, serving the release binaries `make test` built.

- `stack`: a pool of two workers serving a model trained once per run on the committed
  MovieLens-1M training file (the same small model as the Swift integration tests).
- `empty_stack`: the same stack with no model, where the API answers 503.
- `start_stack(...)`: a further stack, for a test that needs its own settings or catalogue.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

REPOSITORY = Path(__file__).resolve().parents[2]
BINARIES = REPOSITORY / ".build" / "release"
SMALL_MODEL_ARGUMENTS = [
    "--model", "mf", "--no-search", "--seed", "1",
    "--hyperparameter", "factors=16", "--hyperparameter", "epochs=8",
]


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def train(data_dir: Path, dataset: Path, movies: Path | None = None) -> None:
    """Trains the small model on `dataset` into `data_dir/model` (titles from `movies`, or the
    movies.dat beside the dataset)."""
    arguments = [str(BINARIES / "rec-cli"), "train", f"--dataset={dataset}", *SMALL_MODEL_ARGUMENTS]
    if movies is not None:
        arguments.append(f"--movies={movies}")
    result = subprocess.run(
        arguments, env={**os.environ, "REC_DATA_DIR": str(data_dir)}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"training failed ({result.returncode}): {result.stderr[-2000:]}")


@dataclass
class LiveStack:
    """One running `deploy/serve.sh`: `url` is its nginx, `data_dir` its data folder."""

    data_dir: Path
    port: int
    process: subprocess.Popen
    output: Path
    environment: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=10, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=10, **kwargs)

    def log(self) -> str:
        path = self.data_dir / "log_file.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_until_serving(self, expect_model: bool, seconds: float = 90) -> None:
        """Waits until `/api/health` answers 200 (or 503 without a model) through nginx."""
        wanted = 200 if expect_model else 503
        deadline = time.monotonic() + seconds
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve.sh exited with {self.process.returncode}: {self.output.read_text()[-2000:]}")
            try:
                response = self.get("/api/health")
                last = f"{response.status_code} {response.text[:200]}"
                if response.status_code == wanted:
                    return
            except requests.RequestException as error:
                last = str(error)
            time.sleep(0.2)
        raise RuntimeError(f"the stack on :{self.port} did not answer {wanted} within {seconds} s (last: {last})")

    def stop(self, seconds: float = 30) -> int:
        """SIGTERM to serve.sh, which drains nginx and the pool; kills the group if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(seconds)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def launch(data_dir: Path, expect_model: bool, workers: int = 2, environment: dict | None = None) -> LiveStack:
    """Starts deploy/serve.sh on a free port over `data_dir` and waits until it serves."""
    port = free_port()
    settings = {
        **os.environ,
        "REC_DATA_DIR": str(data_dir),
        "REC_PORT": str(port),
        "REC_WORKERS": str(workers),
        "REC_SKIP_INSTALL": "1",
        "REC_SKIP_BUILD": "1",
        "REC_SKIP_TRAIN": "1",
        "REC_LOG_LEVEL": os.environ.get("REC_LOG_LEVEL", "info"),
        # One test client drives the stack from one address: lift nginx's per-client request
        # rate, as the Swift integration tests do (the connection limit stays).
        "REC_REQUESTS_PER_CLIENT": "1000000",
        "REC_REQUEST_BURST_PER_CLIENT": "1000000",
        **(environment or {}),
    }
    output = data_dir / "serve-output.log"
    process = subprocess.Popen(
        ["/bin/bash", str(REPOSITORY / "deploy" / "serve.sh")],
        env=settings,
        stdout=output.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack = LiveStack(data_dir=data_dir, port=port, process=process, output=output, environment=environment or {})
    try:
        stack.wait_until_serving(expect_model)
    except Exception:
        stack.stop()
        raise
    return stack


@pytest.fixture(scope="session")
def workspace():
    """A temporary folder for this run's data folders, removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix="recserve-live-"))
    # mkdtemp makes it 0700; a pool started as root runs as REC_USER (nobody), which must reach it.
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def trained_model(workspace) -> Path:
    """A data folder holding the small model trained on dataset/ratings_train.dat."""
    folder = workspace / "trained"
    train(folder, REPOSITORY / "dataset" / "ratings_train.dat")
    return folder / "model"


@pytest.fixture(scope="session")
def start_stack(workspace, trained_model):
    """Starts further stacks: `start_stack(name, model=True, workers=2, environment={})`, or
    `model=PATH` for a model folder of the test's own. All are stopped at the end of the run."""
    stacks = []

    def start(name: str, model: bool | Path = True, workers: int = 2, environment: dict | None = None) -> LiveStack:
        data_dir = workspace / name
        data_dir.mkdir(parents=True)
        if model is not False:
            shutil.copytree(trained_model if model is True else model, data_dir / "model", symlinks=True)
        stack = launch(data_dir, expect_model=model is not False, workers=workers, environment=environment)
        stacks.append(stack)
        return stack

    yield start
    for stack in stacks:
        stack.stop()


@pytest.fixture(scope="session")
def stack(start_stack) -> LiveStack:
    """The shared stack serving the trained model."""
    return start_stack("serving")


@pytest.fixture(scope="session")
def empty_stack(start_stack) -> LiveStack:
    """A stack with no model: every model endpoint answers 503."""
    return start_stack("empty", model=False)
