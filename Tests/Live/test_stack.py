"""The harness itself: a stack with a model is healthy, one without answers 503 in the API's shape;
and the image's health check (deploy/healthcheck.sh) tells the two apart as the probes need."""

import os
import subprocess
from pathlib import Path

HEALTHCHECK = Path(__file__).resolve().parents[2] / "deploy" / "healthcheck.sh"


def healthcheck(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess:
    """rec-healthcheck against the pool of the stack over `data_dir` (its unix socket)."""
    environment = {key: value for key, value in os.environ.items() if key != "REC_LISTEN"}
    environment["REC_DATA_DIR"] = str(data_dir)
    return subprocess.run(["bash", str(HEALTHCHECK), *arguments], env=environment, capture_output=True, text=True, timeout=30, check=False)


def test_stack_with_a_model_is_healthy(stack):
    response = stack.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and isinstance(body["generation"], int)


def test_stack_without_a_model_answers_503_no_model(empty_stack):
    health = empty_stack.get("/api/health")
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "generation": None}
    predict = empty_stack.post("/api/predict", json=[["Toy Story"], [5]])
    assert predict.status_code == 503
    assert predict.json()["error"]["code"] == "no_model"


def test_the_healthcheck_is_ready_only_with_a_model_and_alive_either_way(stack, empty_stack, tmp_path):
    # Readiness (Docker's HEALTHCHECK, the Kubernetes readinessProbe): a model must be served.
    assert healthcheck(stack.data_dir).returncode == 0
    waiting = healthcheck(empty_stack.data_dir)
    assert waiting.returncode == 1 and "answered 503" in waiting.stderr
    # Liveness (--live): the pool answers, model or not, so a pod waiting for its first model lives.
    assert healthcheck(stack.data_dir, "--live").returncode == 0
    assert healthcheck(empty_stack.data_dir, "--live").returncode == 0
    # No pool at all fails both.
    (tmp_path / "run").mkdir()
    for arguments in ((), ("--live",)):
        gone = healthcheck(tmp_path, *arguments)
        assert gone.returncode == 1 and "no FastCGI answer" in gone.stderr, arguments
    assert healthcheck(stack.data_dir, "--bogus").returncode == 2
