#!/usr/bin/env python3
"""Seeded MovieLens-like ratings for scaling measurements (docs/scaling.md, "Measured scaling").

usage: python3 bench/synth-ratings.py --ratings 20M [--seed 1] --out DIR [--reference FILE]

Writes DIR/ratings.dat (`user::movie::rating::timestamp`, shuffled, no duplicate pair) and a
matching DIR/movies.dat (`id::Synthetic Movie <id> (<year>)::Genre|Genre`), so that
`rec-cli train --dataset=DIR/ratings.dat` finds the catalogue next to the ratings. Then it prints
the generated skew statistics beside those of the reference file (default
dataset/ratings_train.dat, the ML-1M split), when that file exists.

How it is made (numpy only, vectorised; 20M ratings take well under 3 minutes on 2 cores):

- sizes: users = 6,040 x N / 1M (users grow with the ratings, so the mean of ~166 ratings per
  user stays ML-1M's) and movies = 3,706 x sqrt(N / 1M) (the catalogue grows more slowly:
  each movie gets more ratings as the service grows);
- activity: each user's count follows ML-1M's ratings-per-user quantile function (fitted at 23
  rank fractions, relative to the mean), at least 20 per user as in ML-1M, scaled to sum to N;
- popularity: each movie's weight follows ML-1M's ratings-per-movie quantile function the same
  way (a heavy head and a long tail; Gini 0.63), assigned to shuffled ids;
- who rated what: each user includes movie i independently with probability min(1, c_u w_i)
  (a Chung-Lu bipartite graph; the popular movies saturate for heavy raters), with c_u set so
  the expected count slightly exceeds the user's target, then a uniform subset of exactly the
  target is kept. No pair can repeat;
- values: score = user bias + movie bias (correlated with popularity, as in ML) + <p_u, q_i>
  over 8 latent factors (a movie's factors lean on its genres) + Gaussian noise, cut into 1..5 at
  the score quantiles that give ML-1M's value histogram (5.6/10.7/26.1/34.9/22.6 %);
- timestamps: each user starts between 2000-04-25 and 2003-02-28 (most in the first months, as
  in ML-1M) and rates in a burst of a lognormal length (median about a day) from then on.
"""

import argparse
import os
import sys
import time

import numpy as np

# ML-1M (dataset/ratings_train.dat): log(count / mean count) at these rank fractions, most
# active first; interpolated linearly between them.
RANK_FRACTIONS = np.array([0, .001, .005, .01, .02, .05, .1, .15, .2, .3, .4, .5, .6, .7, .8, .85, .9, .95, .98,
                           .99, .995, .999, 1])
USER_LOG_ACTIVITY = np.array([2.648, 2.097, 1.847, 1.7, 1.55, 1.211, 0.882, 0.622, 0.427, 0.042, -0.271, -0.547,
                              -0.869, -1.187, -1.475, -1.624, -1.8, -1.967, -2.063, -2.114, -2.168, -2.225, -2.286])
MOVIE_LOG_POPULARITY = np.array([2.541, 2.311, 2.139, 1.892, 1.675, 1.363, 0.986, 0.715, 0.465, 0.037, -0.354,
                                 -0.776, -1.284, -1.809, -2.456, -2.982, -3.601, -4.854, -5.547, -5.547, -5.547,
                                 -5.547, -5.547])
VALUE_HISTOGRAM = np.array([0.0562, 0.1075, 0.2612, 0.3489, 0.2262])  # ratings 1..5 in ML-1M
MINIMUM_PER_USER = 20
USERS_PER_MILLION = 6040
MOVIES_PER_SQRT_MILLION = 3706
GENRES = ["Drama", "Comedy", "Action", "Thriller", "Romance", "Horror", "Adventure", "Sci-Fi", "Children's", "Crime",
          "War", "Documentary", "Musical", "Mystery", "Animation", "Fantasy", "Western", "Film-Noir"]
GENRE_FREQUENCY = np.array([.413, .309, .13, .127, .121, .088, .073, .071, .065, .054, .037, .033, .029, .027, .027,
                            .018, .018, .011])
GENRES_PER_MOVIE = np.array([0.52, 0.34, 0.11, 0.03])  # 1, 2, 3 or 4 genres
FIRST_TIME, LAST_TIME = 956703932, 1046454590  # ML-1M's first and last timestamps
FACTORS = 8
POPULARITY_SHARPENING = 1.12  # offsets the head lost to saturation (fitted on the Gini at 1M)


def count_argument(text):
    """20M, 1.5M, 500k or a plain integer."""
    scale = {"k": 1e3, "m": 1e6, "g": 1e9, "b": 1e9}.get(text[-1:].lower(), 1)
    number = float(text[:-1] if scale != 1 else text) * scale
    if number < 1000:
        raise argparse.ArgumentTypeError("at least 1000 ratings")
    return int(round(number))


def quantile_curve(rng, count, knots, shuffle=True):
    """`count` values exp(knots) interpolated at evenly spaced rank fractions, jittered within
    their rank, in a random order."""
    fractions = (np.arange(count) + rng.random(count)) / count
    values = np.exp(np.interp(fractions, RANK_FRACTIONS, knots))
    return rng.permutation(values) if shuffle else values


def user_targets(rng, users, movies, ratings):
    """Each user's number of ratings: ML-1M's shape, at least 20, at most 60% of the catalogue,
    summing to exactly `ratings`."""
    shape = quantile_curve(rng, users, USER_LOG_ACTIVITY)
    ceiling = max(MINIMUM_PER_USER, int(0.6 * movies))
    if ratings > users * ceiling:
        sys.exit(f"synth-ratings: {ratings} ratings do not fit {users} users x {ceiling} movies")
    low, high = 0.0, float(ratings)
    for _ in range(100):  # the scale whose clipped, rounded counts sum to the ratings
        scale = (low + high) / 2
        total = np.clip(np.floor(shape * scale), MINIMUM_PER_USER, ceiling).sum()
        low, high = (scale, high) if total < ratings else (low, scale)
    targets = np.clip(np.floor(shape * low), MINIMUM_PER_USER, ceiling).astype(np.int64)
    missing = ratings - int(targets.sum())
    room = np.flatnonzero(targets < ceiling)
    targets[rng.choice(room, size=missing, replace=False)] += 1
    return targets


def inclusion_scales(weights, expected):
    """c_u with sum_i min(1, c_u w_i) = expected_u for each user (weights in any order)."""
    w = np.sort(weights)[::-1]
    tail = np.concatenate([np.cumsum(w[::-1])[::-1], [0.0]])  # tail[j] = sum of w[j:]
    # At c = 1 / w[j], the first j movies are certain and the rest add c * tail[j]: reached[j].
    reached = np.arange(len(w)) + tail[:-1] / w
    j = np.searchsorted(reached, expected, side="right") - 1
    j = np.clip(j, 0, len(w) - 1)
    return (expected - j) / np.maximum(tail[j], 1e-300)


def sample_pairs(rng, targets, weights):
    """Distinct (user, movie) pairs, exactly targets[u] for user u (fewer only if the
    oversampling fell short, which is reported)."""
    users, movies = len(targets), len(weights)
    expected = np.minimum(targets + 6 * np.sqrt(targets) + 8, 0.95 * movies)
    scales = inclusion_scales(weights, expected).astype(np.float32)
    w32 = weights.astype(np.float32)
    chunk = max(1, (1 << 24) // movies)
    user_parts, movie_parts = [], []
    for start in range(0, users, chunk):
        stop = min(users, start + chunk)
        chosen = rng.random((stop - start, movies), dtype=np.float32) < scales[start:stop, None] * w32[None, :]
        rows, columns = np.nonzero(chosen)
        user_parts.append((rows + start).astype(np.int32))
        movie_parts.append(columns.astype(np.int32))
    user_index = np.concatenate(user_parts)
    movie_index = np.concatenate(movie_parts)
    # Keep a uniform subset of each user's sampled movies: rank them by a random key.
    order = np.lexsort((rng.random(len(user_index)), user_index))
    user_index, movie_index = user_index[order], movie_index[order]
    starts = np.searchsorted(user_index, np.arange(users))
    rank = np.arange(len(user_index)) - starts[user_index]
    keep = rank < targets[user_index]
    short = int((np.bincount(user_index[keep], minlength=users) < targets).sum())
    return user_index[keep], movie_index[keep], short


def movie_catalogue(rng, movies):
    """Genre sets (as indices) and release years in ML-1M's proportions."""
    counts = rng.choice(len(GENRES_PER_MOVIE), size=movies, p=GENRES_PER_MOVIE) + 1
    keys = rng.random((movies, len(GENRES))) ** (1 / GENRE_FREQUENCY)  # weighted draws without replacement
    ranked = np.argsort(-keys, axis=1)
    genre_sets = [np.sort(ranked[m, :counts[m]]) for m in range(movies)]
    years = np.clip(np.round(2000 - rng.lognormal(np.log(6), 1.2, size=movies)), 1919, 2000).astype(np.int64)
    return genre_sets, years


def rating_values(rng, user_index, movie_index, users, movies, genre_sets, popularity):
    """1..5 from biases, latent factors and noise, cut at ML-1M's value histogram."""
    user_bias = rng.normal(0, 0.45, users).astype(np.float32)
    log_popularity = np.log(popularity)
    movie_bias = (0.35 * rng.normal(0, 1, movies) + 0.25 * (log_popularity - log_popularity.mean())
                  / log_popularity.std()).astype(np.float32)
    genre_factors = rng.normal(0, 1, (len(GENRES), FACTORS))
    movie_factors = np.stack([genre_factors[g].mean(axis=0) for g in genre_sets])
    movie_factors = (0.6 * movie_factors + 0.8 * rng.normal(0, 1, (movies, FACTORS))).astype(np.float32)
    user_factors = rng.normal(0, 0.25, (users, FACTORS)).astype(np.float32)
    score = user_bias[user_index] + movie_bias[movie_index]
    for start in range(0, len(user_index), 1 << 22):
        part = slice(start, start + (1 << 22))
        score[part] += np.einsum("ij,ij->i", user_factors[user_index[part]], movie_factors[movie_index[part]])
    score += rng.normal(0, 0.7, len(score)).astype(np.float32)
    cuts = np.quantile(score[rng.integers(0, len(score), min(len(score), 2_000_000))], np.cumsum(VALUE_HISTOGRAM)[:-1])
    return (np.searchsorted(cuts, score) + 1).astype(np.int64)


def timestamps(rng, user_index, users):
    """A start per user (most in 2000) and a lognormal burst of ratings after it."""
    span = LAST_TIME - FIRST_TIME
    start = FIRST_TIME + span * rng.beta(0.35, 3.0, users)
    burst = rng.lognormal(np.log(86400), 2.5, users)
    times = start[user_index] + burst[user_index] * rng.exponential(1.0, len(user_index))
    return np.minimum(times, LAST_TIME).astype(np.int64)


def ascii_integers(values, width):
    """Rows of `width` ASCII digits, zero-padded, and the number of leading pad bytes of each."""
    digits = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.int64).copy()
    for column in range(width - 1, -1, -1):
        digits[:, column] = 48 + rest % 10
        rest //= 10
    length = np.ones(len(values), dtype=np.int64)
    threshold = 10
    for _ in range(1, width):
        length += values >= threshold
        threshold *= 10
    return digits, width - length


def write_lines(path, columns, separator=b"::"):
    """Writes integer columns joined by `separator`, one row per line, in blocks."""
    with open(path, "wb") as file:
        for start in range(0, len(columns[0]), 1 << 21):
            parts, keep = [], []
            for position, values in enumerate(columns):
                block = values[start:start + (1 << 21)]
                width = max(1, len(str(int(block.max()))))
                digits, pad = ascii_integers(block, width)
                parts.append(digits)
                keep.append(np.arange(width)[None, :] >= pad[:, None])
                tail = separator if position < len(columns) - 1 else b"\n"
                parts.append(np.frombuffer(tail * len(block), dtype=np.uint8).reshape(len(block), len(tail)))
                keep.append(np.ones((len(block), len(tail)), dtype=bool))
            rows = np.concatenate(parts, axis=1)
            file.write(rows[np.concatenate(keep, axis=1)].tobytes())


def gini(counts):
    values = np.sort(counts).astype(np.float64)
    n = len(values)
    return float((2 * np.arange(1, n + 1) - n - 1).dot(values) / (n * values.sum()))


def statistics(users, movies, values):
    """The skew figures the summary compares, from the id columns and the values."""
    per_user = np.bincount(users)
    per_user = per_user[per_user > 0]
    per_movie = np.bincount(movies)
    per_movie = np.sort(per_movie[per_movie > 0])[::-1]
    histogram = np.bincount(values, minlength=6)[1:6] / len(values)
    return {
        "ratings": len(values), "users": len(per_user), "movies": len(per_movie),
        "density %": 100 * len(values) / (len(per_user) * len(per_movie)),
        "ratings/user min": per_user.min(), "ratings/user median": np.median(per_user),
        "ratings/user p90": np.percentile(per_user, 90), "ratings/user max": per_user.max(),
        "Gini ratings/user": gini(per_user),
        "ratings/movie median": np.median(per_movie), "ratings/movie p90": np.percentile(per_movie, 90),
        "top movie: % of users": 100 * per_movie[0] / len(per_user),
        "Gini ratings/movie": gini(per_movie),
        "top 1% movies: % of ratings": 100 * per_movie[:max(1, len(per_movie) // 100)].sum() / len(values),
        "top 10% movies: % of ratings": 100 * per_movie[:max(1, len(per_movie) // 10)].sum() / len(values),
        "movies with < 10 ratings %": 100 * (per_movie < 10).mean(),
        "mean rating": float(values.mean()), "rating sd": float(values.std()),
        **{f"rating {v} %": 100 * histogram[v - 1] for v in range(1, 6)},
    }


def read_reference(path):
    """user, movie, rating columns of a `::` ratings file."""
    with open(path, "rb") as file:
        fields = np.array(file.read().replace(b"::", b" ").split(), dtype=np.int64)
    first_line = open(path, "rb").readline()
    width = first_line.count(b"::") + 1
    table = fields.reshape(-1, width)
    return table[:, 0], table[:, 1], table[:, 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ratings", type=count_argument, required=True, help="how many ratings: 1M, 5M, 20M, ...")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="the folder for ratings.dat and movies.dat")
    parser.add_argument("--reference", default=os.path.join(os.path.dirname(__file__), "..", "dataset",
                                                            "ratings_train.dat"),
                        help="a ratings file to compare the statistics with (skipped if missing)")
    arguments = parser.parse_args()
    began = time.monotonic()
    rng = np.random.default_rng(arguments.seed)
    n = arguments.ratings
    users = max(1, round(USERS_PER_MILLION * n / 1e6))
    movies = max(MINIMUM_PER_USER * 2, round(MOVIES_PER_SQRT_MILLION * np.sqrt(n / 1e6)))
    popularity = quantile_curve(rng, movies, MOVIE_LOG_POPULARITY)
    targets = user_targets(rng, users, movies, n)
    user_index, movie_index, short = sample_pairs(rng, targets, popularity ** POPULARITY_SHARPENING)
    genre_sets, years = movie_catalogue(rng, movies)
    values = rating_values(rng, user_index, movie_index, users, movies, genre_sets, popularity)
    times = timestamps(rng, user_index, users)
    order = rng.permutation(len(values))
    os.makedirs(arguments.out, exist_ok=True)
    ratings_path = os.path.join(arguments.out, "ratings.dat")
    write_lines(ratings_path, [user_index[order] + 1, movie_index[order] + 1, values[order], times[order]])
    with open(os.path.join(arguments.out, "movies.dat"), "w", encoding="ascii") as file:
        for movie in range(movies):
            genres = "|".join(GENRES[g] for g in genre_sets[movie])
            file.write(f"{movie + 1}::Synthetic Movie {movie + 1} ({years[movie]})::{genres}\n")
    seconds = time.monotonic() - began
    print(f"wrote {len(values):,} ratings of {users:,} users and {movies:,} movies to {ratings_path} "
          f"in {seconds:.1f} s (seed {arguments.seed}; users short of their target: {short})")
    generated = statistics(user_index, movie_index, values)
    reference = None
    if os.path.exists(arguments.reference):
        reference = statistics(*read_reference(arguments.reference))
    print()
    print("| statistic | generated | " + ("reference (" + os.path.basename(arguments.reference) + ") |"
                                        if reference else ""))
    print("|---|---|" + ("---|" if reference else ""))
    for key, value in generated.items():
        cells = [value] + ([reference[key]] if reference else [])
        text = [f"{c:,}" if isinstance(c, (int, np.integer)) else f"{c:,.3f}" for c in cells]
        print(f"| {key} | " + " | ".join(text) + " |")


if __name__ == "__main__":
    main()
