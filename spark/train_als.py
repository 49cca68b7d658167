#!/usr/bin/env python3
"""Trains a biased ALS rating model on Spark and writes it in RecServe's ALS interchange format.

    spark-submit spark/train_als.py --ratings dataset/ratings_train.dat --output /tmp/als
    rec-cli import --als /tmp/als --dataset dataset/ratings_train.dat

The model is `r̂ = μ + b_u + b_i + p_u · q_i`:

1. μ is the mean rating; the user and item biases are regularised means of the residuals,
   `b_i = Σ (r − μ − b_u) / (λ_item + n_i)`, then `b_u = Σ (r − μ − b_i) / (λ_user + n_u)`,
   alternated `--bias-iterations` times with DataFrame aggregations (RecServe's own baseline,
   `BiasBaselineModel`, does the same).
2. Spark MLlib's ALS (explicit, `implicitPrefs=False`) factorises the residuals
   `r − μ − b_u − b_i`. Its penalty is `regParam × n_u × |p_u|²` (ALS-WR), which is the
   per-rating penalty RecServe's fold-in of a new person uses.

`--tune` chooses rank and regParam on a validation split carved from the ratings with the seed
(never the test file) and records every candidate in the manifest; the defaults below are what
`--tune` chose on the course split (`docs/scaling.md`, "Training on Spark").

The output folder (`docs/scaling.md` documents it) holds `manifest.json`, `user_factors.csv`
and `item_factors.csv`: one file each, written by the driver from the factor DataFrames
(streamed partition by partition with `toLocalIterator`), so the folder is a plain local folder
whatever cluster ran the job.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import sys
import tempfile
import time

FORMAT_NAME = "recserve-als"
FORMAT_VERSION = 1
DEFAULT_RANK = 48
DEFAULT_REG_PARAM = 0.07
DEFAULT_MAX_ITER = 12
DEFAULT_BIAS_REGULARIZATION = 5.0
DEFAULT_BIAS_ITERATIONS = 3
DEFAULT_VALIDATION_FRACTION = 0.05
TUNE_RANKS = [16, 32, 48]
TUNE_REG_PARAMS = [0.05, 0.07, 0.1]


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ratings", required=True, help="a ratings file or a folder of ratings files (any Spark path)")
    parser.add_argument("--output", required=True, help="the folder to write (created; must be empty or absent)")
    parser.add_argument(
        "--format",
        choices=["auto", "dat", "tsv", "csv"],
        default="auto",
        help="dat: user::movie::rating[::timestamp]; tsv: MovieLens-100k u.data; csv: with or without a header; "
        "auto (default) detects it from the first line",
    )
    parser.add_argument("--rank", type=int, default=DEFAULT_RANK, help=f"latent factors (default {DEFAULT_RANK})")
    parser.add_argument("--reg-param", type=float, default=DEFAULT_REG_PARAM, help=f"ALS regParam (default {DEFAULT_REG_PARAM})")
    parser.add_argument("--max-iter", type=int, default=DEFAULT_MAX_ITER, help=f"ALS iterations (default {DEFAULT_MAX_ITER})")
    parser.add_argument("--user-bias-reg", type=float, default=DEFAULT_BIAS_REGULARIZATION, help="user bias shrinkage, pseudo-ratings")
    parser.add_argument("--item-bias-reg", type=float, default=DEFAULT_BIAS_REGULARIZATION, help="item bias shrinkage, pseudo-ratings")
    parser.add_argument("--bias-iterations", type=int, default=DEFAULT_BIAS_ITERATIONS, help="alternating bias passes")
    parser.add_argument("--seed", type=int, default=42, help="seed of the validation split and of ALS (default 42)")
    parser.add_argument(
        "--tune",
        action="store_true",
        help=f"choose rank in {TUNE_RANKS} and regParam in {TUNE_REG_PARAMS} on a validation split of the ratings",
    )
    parser.add_argument(
        "--validation-fraction",
        type=float,
        default=DEFAULT_VALIDATION_FRACTION,
        help="the share of the ratings held out by --tune, or to report a validation RMSE with --validate",
    )
    parser.add_argument("--validate", action="store_true", help="also fit on a split to report a validation RMSE")
    parser.add_argument("--master", default=None, help="the Spark master when not set by spark-submit, e.g. local[2]")
    parser.add_argument("--checkpoint-dir", default=None, help="ALS checkpoint folder (long runs on a cluster)")
    arguments = parser.parse_args(argv)
    for name in ("rank", "max_iter", "bias_iterations"):
        if getattr(arguments, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("reg_param", "user_bias_reg", "item_bias_reg"):
        if not getattr(arguments, name) >= 0:
            parser.error(f"--{name.replace('_', '-')} must be zero or more")
    if not 0 < arguments.validation_fraction < 0.5:
        parser.error("--validation-fraction must be in (0, 0.5)")
    return arguments


def detect_format(first_line: str) -> str:
    """The layout of a ratings file from its first line, as RecServe's own parser detects it."""
    if "::" in first_line:
        return "dat"
    if "\t" in first_line:
        return "tsv"
    if "," in first_line:
        return "csv"
    raise SystemExit(f"error: cannot tell the format of the ratings from their first line {first_line[:80]!r}; pass --format")


def load_ratings(spark, path: str, layout: str):
    """The ratings as a DataFrame (user int, item int, rating double); a line that does not parse
    fails the job with its text, never skipped silently."""
    from pyspark.sql import functions as F

    lines = spark.read.text(path).where(F.trim(F.col("value")) != "")
    first = lines.first()
    if first is None:
        raise SystemExit(f"error: {path}: no ratings")
    if layout == "auto":
        layout = detect_format(first.value)
    separator = {"dat": "::", "tsv": "\t", "csv": ","}[layout]
    line = F.regexp_replace(F.col("value"), "\r$", "")
    parts = F.split(line, separator)
    parsed = lines.select(
        line.alias("line"),
        F.size(parts).alias("columns"),
        F.trim(parts[0]).cast("int").alias("user"),
        F.trim(parts[1]).cast("int").alias("item"),
        F.trim(parts[2]).cast("double").alias("rating"),
    )
    if layout == "csv" and not first.value.strip()[:1].isdigit():
        # The header line (of each file of a folder) is dropped.
        parsed = parsed.where(F.col("line") != first.value.rstrip("\r"))
    bad = parsed.where(
        (F.col("columns") < 3)
        | (F.col("columns") > 4)
        | F.col("user").isNull()
        | F.col("item").isNull()
        | F.col("rating").isNull()
        | F.isnan("rating")
        | (F.abs(F.col("rating")) == float("inf"))
    )
    example = bad.limit(1).collect()
    if example:
        raise SystemExit(f"error: {path}: malformed {layout} rating line {example[0].line[:120]!r}")
    return parsed.select("user", "item", "rating"), layout


def fit_biases(ratings, mean: float, user_reg: float, item_reg: float, iterations: int):
    """Alternating regularised biases: (user DataFrame (user, user_bias), item DataFrame (item, item_bias))."""
    from pyspark.sql import functions as F

    users = ratings.select("user").distinct().withColumn("user_bias", F.lit(0.0))
    items = None
    for _ in range(iterations):
        items = (
            ratings.join(users, "user")
            .groupBy("item")
            .agg((F.sum(F.col("rating") - mean - F.col("user_bias")) / (F.count("*") + item_reg)).alias("item_bias"))
            .localCheckpoint()
        )
        users = (
            ratings.join(items, "item")
            .groupBy("user")
            .agg((F.sum(F.col("rating") - mean - F.col("item_bias")) / (F.count("*") + user_reg)).alias("user_bias"))
            .localCheckpoint()
        )
    return users, items


class FittedModel:
    """μ, the biases and the ALS factors, as DataFrames keyed by id."""

    def __init__(self, mean, users, items, als_model):
        from pyspark.sql import functions as F

        self.mean = mean
        self.users = users.join(als_model.userFactors.withColumnRenamed("id", "user"), "user", "left").select(
            "user", "user_bias", F.col("features").alias("user_factors")
        )
        self.items = items.join(als_model.itemFactors.withColumnRenamed("id", "item"), "item", "left").select(
            "item", "item_bias", F.col("features").alias("item_factors")
        )

    def rmse(self, ratings) -> float:
        """RMSE on `ratings`; an unknown user or item contributes no bias and no factors."""
        from pyspark.sql import functions as F

        dot = F.aggregate(
            F.zip_with("user_factors", "item_factors", lambda x, y: x * y), F.lit(0.0), lambda total, x: total + x
        )
        scored = (
            ratings.join(self.users, "user", "left")
            .join(self.items, "item", "left")
            .select(
                (
                    F.col("rating")
                    - (
                        F.lit(self.mean)
                        + F.coalesce("user_bias", F.lit(0.0))
                        + F.coalesce("item_bias", F.lit(0.0))
                        + F.coalesce(dot, F.lit(0.0))
                    )
                ).alias("error")
            )
        )
        row = scored.agg(F.avg(F.col("error") * F.col("error")).alias("mse")).first()
        return math.sqrt(row.mse)


def fit(ratings, rank: int, reg_param: float, arguments: argparse.Namespace) -> FittedModel:
    from pyspark.ml.recommendation import ALS
    from pyspark.sql import functions as F

    mean = ratings.agg(F.avg("rating")).first()[0]
    users, items = fit_biases(ratings, mean, arguments.user_bias_reg, arguments.item_bias_reg, arguments.bias_iterations)
    residuals = (
        ratings.join(users, "user")
        .join(items, "item")
        .select("user", "item", (F.col("rating") - mean - F.col("user_bias") - F.col("item_bias")).alias("residual"))
    )
    als = ALS(
        rank=rank,
        maxIter=arguments.max_iter,
        regParam=reg_param,
        implicitPrefs=False,
        nonnegative=False,
        userCol="user",
        itemCol="item",
        ratingCol="residual",
        coldStartStrategy="drop",
        seed=arguments.seed,
        checkpointInterval=5 if arguments.checkpoint_dir else -1,
    )
    return FittedModel(mean, users, items, als.fit(residuals))


def write_factors(frame, key: str, bias: str, factors: str, rank: int, path: str) -> int:
    """One CSV `id,bias,f0..f{rank-1}` sorted by id, streamed to the driver; returns the row count."""
    count = 0
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "bias", *[f"f{index}" for index in range(rank)]])
        for row in frame.orderBy(key).toLocalIterator():
            vector = row[factors]
            if vector is None:  # never for a row of the training ratings
                vector = [0.0] * rank
            writer.writerow([row[key], repr(float(row[bias])), *[repr(float(value)) for value in vector]])
            count += 1
    return count


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    if os.path.exists(arguments.output) and os.listdir(arguments.output):
        raise SystemExit(f"error: {arguments.output} exists and is not empty")
    from pyspark.sql import SparkSession

    start = time.monotonic()
    builder = SparkSession.builder.appName("recserve-train-als")
    if arguments.master:
        builder = builder.master(arguments.master)
    spark = (
        builder.config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    if arguments.checkpoint_dir:
        spark.sparkContext.setCheckpointDir(arguments.checkpoint_dir)
    try:
        ratings, layout = load_ratings(spark, arguments.ratings, arguments.format)
        ratings = ratings.cache()
        rating_count = ratings.count()
        if rating_count == 0:
            raise SystemExit(f"error: {arguments.ratings}: no ratings")
        print(f"train_als: {rating_count} ratings ({layout}) from {arguments.ratings}", file=sys.stderr)

        rank, reg_param = arguments.rank, arguments.reg_param
        candidates = []
        validation_rmse = None
        if arguments.tune or arguments.validate:
            fraction = arguments.validation_fraction
            fit_part, held_out = ratings.randomSplit([1 - fraction, fraction], seed=arguments.seed)
            fit_part, held_out = fit_part.cache(), held_out.cache()
            grid = [(r, g) for r in TUNE_RANKS for g in TUNE_REG_PARAMS] if arguments.tune else [(rank, reg_param)]
            for candidate_rank, candidate_reg in grid:
                candidate_start = time.monotonic()
                rmse = fit(fit_part, candidate_rank, candidate_reg, arguments).rmse(held_out)
                candidates.append(
                    {
                        "rank": candidate_rank,
                        "reg_param": candidate_reg,
                        "validation_rmse": rmse,
                        "seconds": round(time.monotonic() - candidate_start, 1),
                    }
                )
                print(f"train_als: rank {candidate_rank} regParam {candidate_reg}: validation RMSE {rmse:.4f}", file=sys.stderr)
            best = min(candidates, key=lambda candidate: candidate["validation_rmse"])
            rank, reg_param, validation_rmse = best["rank"], best["reg_param"], best["validation_rmse"]

        model = fit(ratings, rank, reg_param, arguments)
        training_rmse = model.rmse(ratings)
        print(f"train_als: rank {rank} regParam {reg_param}: training RMSE {training_rmse:.4f}", file=sys.stderr)

        folder = tempfile.mkdtemp(prefix=".train_als-", dir=os.path.dirname(os.path.abspath(arguments.output)))
        try:
            users = write_factors(model.users, "user", "user_bias", "user_factors", rank, os.path.join(folder, "user_factors.csv"))
            items = write_factors(model.items, "item", "item_bias", "item_factors", rank, os.path.join(folder, "item_factors.csv"))
            manifest = {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "rank": rank,
                "users": users,
                "items": items,
                "ratings": rating_count,
                "global_mean": model.mean,
                "hyperparameters": {
                    "rank": rank,
                    "reg_param": reg_param,
                    "max_iter": arguments.max_iter,
                    "user_bias_reg": arguments.user_bias_reg,
                    "item_bias_reg": arguments.item_bias_reg,
                    "bias_iterations": arguments.bias_iterations,
                },
                "selection": {
                    "method": "validation grid" if arguments.tune else "fixed",
                    "validation_fraction": arguments.validation_fraction if candidates else None,
                    "validation_rmse": validation_rmse,
                    "candidates": candidates,
                },
                "training_rmse": training_rmse,
                "seed": arguments.seed,
                "source": arguments.ratings,
                "source_format": layout,
                "spark_version": spark.version,
                "master": spark.sparkContext.master,
                "seconds": round(time.monotonic() - start, 1),
            }
            with open(os.path.join(folder, "manifest.json"), "w") as handle:
                json.dump(manifest, handle, indent=2, sort_keys=True)
                handle.write("\n")
            if os.path.exists(arguments.output):
                os.rmdir(arguments.output)
            os.rename(folder, arguments.output)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        print(
            f"train_als: wrote {users} users and {items} movies to {arguments.output} in {manifest['seconds']} s",
            file=sys.stderr,
        )
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
