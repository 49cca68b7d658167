"""Training on Spark, end to end: spark/train_als.py in local mode on MovieLens-100k's u1 split,
`rec-cli import --als`, and a stack serving the imported generation through nginx
(docs/scaling.md, "Training on Spark"). A broken interchange folder fails with `file: reason`
and publishes nothing, also beside a served generation with REC_AUTO_RELOAD=1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import BINARIES, REPOSITORY

FIXTURE = REPOSITORY / "Tests" / "Fixtures" / "ml-100k-u1"
RATINGS = FIXTURE / "u1.base"
RANK = 8


def rec_cli(data_dir, *arguments, environment=None):
    return subprocess.run(
        [str(BINARIES / "rec-cli"), *arguments],
        env={**os.environ, "REC_DATA_DIR": str(data_dir), **(environment or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def als_folder(workspace):
    """The interchange folder of one small local[2] Spark run on u1.base."""
    output = workspace / "spark-als"
    start = time.monotonic()
    result = subprocess.run(
        [
            sys.executable, str(REPOSITORY / "spark" / "train_als.py"), "--master", "local[2]",
            "--ratings", str(RATINGS), "--output", str(output),
            "--rank", str(RANK), "--max-iter", "5", "--seed", "1",
        ],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    print(f"\nspark/train_als.py on u1.base: {time.monotonic() - start:.1f} s")
    return output


@pytest.fixture(scope="module")
def imported(workspace, als_folder):
    """A data folder whose generation 1 is the imported Spark model."""
    data_dir = workspace / "spark-import"
    result = rec_cli(data_dir, "import", "--als", str(als_folder), "--dataset", str(RATINGS))
    assert result.returncode == 0, result.stderr
    assert "Imported spark-als (rank 8)" in result.stdout
    assert "80000 ratings, 943 users, 1682 movies" in result.stdout
    return data_dir


def test_the_interchange_folder_matches_its_manifest(als_folder):
    manifest = json.loads((als_folder / "manifest.json").read_text())
    assert manifest["format"] == "recserve-als" and manifest["format_version"] == 1
    assert manifest["rank"] == RANK and manifest["ratings"] == 80000 and manifest["source_format"] == "tsv"
    assert manifest["spark_version"] and manifest["seconds"] > 0
    assert 0.5 < manifest["training_rmse"] < 1.0
    users = (als_folder / "user_factors.csv").read_text().splitlines()
    items = (als_folder / "item_factors.csv").read_text().splitlines()
    assert users[0] == "id,bias," + ",".join(f"f{index}" for index in range(RANK))
    assert len(users) - 1 == manifest["users"] == 943
    assert len(items) - 1 == manifest["items"]


def test_a_stack_serves_the_imported_spark_model(start_stack, imported):
    stack = start_stack("spark-serving", model=imported / "model")
    info = stack.get("/api/info")
    assert info.status_code == 200
    model = info.json()["model"]
    assert model["algorithm"] == "spark-als"
    assert model["hyperparameters"]["factors"] == RANK
    assert model["dataset"] == str(RATINGS)
    assert model["ratings"] == 80000

    response = stack.post("/api/predict", json={"movies": [["Star Wars (1977)", "Fargo (1996)"], [5, 4]], "top": 10})
    assert response.status_code == 200, response.text
    titles, ratings = response.json()
    assert len(titles) == 10 and len(ratings) == 10
    assert "Star Wars (1977)" not in titles and "Fargo (1996)" not in titles
    assert ratings == sorted(ratings, reverse=True) and all(1 <= rating <= 5 for rating in ratings)

    similar = stack.get("/api/similar", params={"movie_name": "Star Wars (1977)", "n": 3})
    assert similar.status_code == 200 and len(similar.json()[0]) == 3
    known = stack.get("/api/recommend", params={"user_id": 1, "top": 5})
    assert known.status_code == 200 and len(known.json()[0]) == 5


def broken_copy(source, destination):
    """A copy of `source` whose item_factors.csv has a NaN on line 3."""
    shutil.copytree(source, destination)
    path = destination / "item_factors.csv"
    lines = path.read_text().splitlines()
    fields = lines[2].split(",")
    fields[3] = "nan"
    lines[2] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    return destination


def test_a_broken_folder_fails_naming_the_file_and_publishes_nothing(workspace, als_folder, imported, start_stack):
    broken = broken_copy(als_folder, workspace / "spark-broken")
    empty = workspace / "spark-broken-data"
    result = rec_cli(empty, "import", "--als", str(broken), "--dataset", str(RATINGS))
    assert result.returncode == 1
    assert f"error: {broken}/item_factors.csv: line 3: f1 is not finite (nan)" in result.stderr, result.stderr
    assert not (empty / "model" / "CURRENT").exists()

    # Beside a served generation, with auto-reload: still nothing published, nothing reloaded.
    stack = start_stack("spark-broken-serving", model=imported / "model")
    result = rec_cli(stack.data_dir, "import", "--als", str(broken), "--dataset", str(RATINGS), environment={"REC_AUTO_RELOAD": "1"})
    assert result.returncode == 1 and "item_factors.csv: line 3" in result.stderr
    assert (stack.data_dir / "model" / "CURRENT").read_text().strip() == "1"
    assert stack.get("/api/health").json()["generation"] == 1

    # The intact folder then publishes generation 2, and auto-reload serves it.
    result = rec_cli(stack.data_dir, "import", "--als", str(als_folder), "--dataset", str(RATINGS), environment={"REC_AUTO_RELOAD": "1"})
    assert result.returncode == 0, result.stderr
    assert "The API now serves generation 2" in result.stdout
    assert stack.get("/api/health").json()["generation"] == 2
