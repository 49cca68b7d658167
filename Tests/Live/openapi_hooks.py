"""schemathesis hooks for Tests/Live/test_openapi.py: the rules of docs/openapi.yaml that JSON
Schema cannot state, applied to the generated requests (loaded through SCHEMATHESIS_HOOKS).

A JSON Schema describes one value; OpenAPI has no way to say that two query parameters exclude
each other, that the two lists of `[[movies], [ratings]]` have the same length, that a title is
one of the catalogue's, or that the body's M makes `?top=` irrelevant. The document says each of
these in words. Here, a schema-valid (positive) request is made to follow them too, so that the
positive_data_acceptance check holds the API to "a valid request is answered", and a negative
request whose only fault the API ignores by design is left out:

- one name per field: of `top`, `M`, `top_m`, `n` (and `n`, `N`, `top` for /api/similar, and
  `movie_name`, `movie_id`) a positive query keeps the first it has; a GET of /api/similar that
  names no movie is given one;
- equal lengths: the longer list of `[[movies], [ratings]]` is cut to the shorter;
- catalogue titles: half of the positive bodies and queries (chosen by a checksum of the
  generated request, so runs are reproducible) have their titles and ids replaced by ones the
  catalogue has, so that the 200 answers are fuzzed too; the other half keep the generated text,
  which exercises title matching and its 422 `unknown_movie`, the one 422 a valid request may
  get besides /api/similar's `no_similarity_data` (`positive_422_is_about_the_catalogue` below
  holds it to those);
- the body wins: a negative POST /api/predict whose query is the invalid part while its object
  body gives M or `rank` is dropped, because the SPEC says the body's value wins and the query's
  is not read;
- blank titles: a title whose only non-whitespace is a combining mark on a space is blank to the
  API (it reads titles as Swift characters, and " \u0301" is one whitespace character); a
  positive case with one gets a catalogue title instead.

The examples of the document go through the same rules (minus the catalogue titles, which they
already are) in `before_add_examples`, since schemathesis applies `map_case` to generated cases
only.

One more works around schemathesis 4.32 itself: it rewrites a response schema's `prefixItems`
into the draft-7 `items: [...]` and then refuses that form under the 3.1 dialect ("Schema Error
... is not of types boolean, object"), so it cannot check the `[[titles], [ratings]]` answers.
`before_load_schema` drops their `prefixItems` for schemathesis' copy, and
`tuple_answers_match_the_document` checks those answers against the document's exact schemas
with `jsonschema` instead (plus what the words of the document add: equal lengths, ratings in
descending order).

And one works around CPython 3.11 (Debian 12's Python): hypothesis describes a filter the first
time it rejects a draw, parsing the filter lambda's module with `ast.parse`, which deep in a
call stack can raise `SystemError: AST constructor recursion depth mismatch` (CPython issue
106905). schemathesis then reports a flaky Runtime Error for an operation at random. hypothesis
already falls back to "<unknown>" when that parse raises SyntaxError, so the SystemError is
turned into one, for hypothesis' lambda descriptions only.
"""

from __future__ import annotations

import json
import unicodedata
import zlib
from pathlib import Path

import ast
import types

import jsonschema
import schemathesis
import yaml
from hypothesis.internal import lambda_sources
from schemathesis import GenerationMode
from schemathesis.core import NotSet
from schemathesis.core.parameters import ParameterLocation

# Catalogue titles (some with the Latin-1 accents that must come out as UTF-8) and ids that the
# small live-test model knows, and that all have similar movies.
TITLES = [
    "Toy Story (1995)",
    "Heat (1995)",
    "Star Wars: Episode IV - A New Hope (1977)",
    "Lord of the Rings, The (1978)",
    "Misérables, Les (1995)",
    "Godfather, The (1972)",
    "Fargo (1996)",
    "Matrix, The (1999)",
    "Pulp Fiction (1994)",
    "Titanic (1997)",
    "Shawshank Redemption, The (1994)",
    "American Beauty (1999)",
]
MOVIE_IDS = [1, 260, 2571, 593, 608, 2858, 1196, 527, 1210, 2028]

DOCUMENT = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
TUPLE_SCHEMAS = {"/api/predict": "Recommendations", "/api/recommend": "Recommendations", "/api/similar": "SimilarMovies"}
WHITESPACE = set("\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}



def _parse_for_lambda_descriptions(source, *args, **kwargs):
    try:
        return ast.parse(source, *args, **kwargs)
    except SystemError as error:  # "AST constructor recursion depth mismatch"
        raise SyntaxError(str(error)) from error


lambda_sources.ast = types.SimpleNamespace(**{**vars(ast), "parse": _parse_for_lambda_descriptions})

RECOMMENDATION_COUNT_NAMES = ("top", "M", "top_m", "n")
SIMILAR_COUNT_NAMES = ("n", "N", "top")
MOVIE_NAMES = ("movie_name", "movie_id")
LIST_NAMES = ("movies", "data", "movies_ratings")


def _checksum(value) -> int:
    return zlib.crc32(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass"))


def _catalogue_movie(movie):
    """A catalogue title for a generated title, a catalogue id for a generated id."""
    if isinstance(movie, bool) or not isinstance(movie, (str, int)):
        return movie
    if isinstance(movie, int):
        return MOVIE_IDS[_checksum(movie) % len(MOVIE_IDS)]
    return TITLES[_checksum(movie) % len(TITLES)]


def _is_positive(case) -> bool:
    return case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE


def _keep_one_name(query: dict, names: tuple[str, ...]) -> None:
    present = [name for name in names if name in query]
    for name in present[1:]:
        del query[name]


def _rated_movies(body):
    """The `[[movies], [ratings]]` value of a predict body, or None."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for name in LIST_NAMES:
            if isinstance(body.get(name), list):
                return body[name]
    return None


def _positive_predict(case, use_catalogue: bool) -> None:
    if isinstance(case.query, dict):
        _keep_one_name(case.query, RECOMMENDATION_COUNT_NAMES)
    lists = _rated_movies(case.body)
    if not (isinstance(lists, list) and len(lists) == 2 and all(isinstance(part, list) for part in lists)):
        return
    movies, ratings = lists
    length = min(len(movies), len(ratings))
    del movies[length:]
    del ratings[length:]
    if use_catalogue:
        movies[:] = [_catalogue_movie(movie) for movie in movies]


def _is_blank_to_the_api(title) -> bool:
    """Whether every character of `title` (a mark joins the character before it) is whitespace."""
    if not isinstance(title, str):
        return False
    previous_is_whitespace = False
    for index, scalar in enumerate(title):
        joins = index > 0 and (unicodedata.category(scalar).startswith("M") or scalar in "\u200c\u200d")
        if joins and previous_is_whitespace and title[index - 1] not in "\t\n\v\f\r\u0085\u2028\u2029":
            continue
        if scalar not in WHITESPACE:
            return False
        previous_is_whitespace = True
    return True


def _positive_similar(case, use_catalogue: bool) -> None:
    if case.method == "POST":
        if isinstance(case.body, dict):
            if case.body.get("movie_name") is not None and case.body.get("movie_id") is not None:
                del case.body["movie_id"]
            for name in MOVIE_NAMES:
                if case.body.get(name) is not None and (use_catalogue or _is_blank_to_the_api(case.body[name])):
                    case.body[name] = _catalogue_movie(case.body[name])
        return
    if case.query is None:
        case.query = {}
    _keep_one_name(case.query, SIMILAR_COUNT_NAMES)
    _keep_one_name(case.query, MOVIE_NAMES)
    if not any(name in case.query for name in MOVIE_NAMES):
        case.query["movie_name"] = TITLES[0]
    for name in MOVIE_NAMES:
        if name in case.query and (use_catalogue or _is_blank_to_the_api(case.query[name])):
            value = case.query[name]
            if name == "movie_id" and isinstance(value, str) and value.lstrip("-").isdigit():
                value = int(value)
            case.query[name] = _catalogue_movie(value)


def _positive_recommend(case) -> None:
    if isinstance(case.query, dict):
        _keep_one_name(case.query, RECOMMENDATION_COUNT_NAMES)


def _follow_the_document(case, use_catalogue: bool) -> None:
    if case.path == "/api/predict":
        _positive_predict(case, use_catalogue)
    elif case.path == "/api/similar":
        _positive_similar(case, use_catalogue)
    elif case.path == "/api/recommend":
        _positive_recommend(case)


@schemathesis.hook
def map_case(context, case):
    if not _is_positive(case):
        return case
    body = None if isinstance(case.body, NotSet) else case.body
    _follow_the_document(case, use_catalogue=_checksum([case.method, case.path, case.query, body]) % 2 == 0)
    return case


@schemathesis.hook
def before_add_examples(context, examples):
    for case in examples:
        if case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE:
            _follow_the_document(case, use_catalogue=False)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    for name in set(TUPLE_SCHEMAS.values()):
        schema = raw_schema["components"]["schemas"][name]
        schema.pop("prefixItems", None)
        schema["items"] = {"type": "array"}


@schemathesis.hook
def filter_case(context, case):
    """Drops a negative POST /api/predict whose invalid query the object body overrides."""
    if case.path != "/api/predict" or case.meta is None:
        return True
    query_negative = case.meta.is_negative_at(ParameterLocation.QUERY)
    body_negative = case.meta.is_negative_at(ParameterLocation.BODY)
    if not query_negative or body_negative or not isinstance(case.body, dict):
        return True
    overriding = [*RECOMMENDATION_COUNT_NAMES, "rank"]
    return not any(case.body.get(name) is not None for name in overriding)


# The 422s a schema-valid request may get: what only the catalogue and the model know.
CATALOGUE_CODES = {"/api/predict": {"unknown_movie"}, "/api/similar": {"unknown_movie", "no_similarity_data"}}


@schemathesis.check
def positive_422_is_about_the_catalogue(ctx, response, case):
    """A schema-valid request answered 422 must be about an unknown title (or, for similar, a
    movie with too few ratings to have neighbours), nothing else."""
    if not _is_positive(case) or response.status_code != 422 or not response.content:
        return None
    code = json.loads(response.content)["error"]["code"]
    if code not in CATALOGUE_CODES.get(case.path, set()):
        raise AssertionError(f"a schema-valid request was refused with 422 {code}: {response.content[:300]!r}")
    return None


@schemathesis.check
def tuple_answers_match_the_document(ctx, response, case):
    """A 200 of predict, recommend or similar against the document's exact `[[...], [...]]`."""
    name = TUPLE_SCHEMAS.get(case.path)
    if name is None or response.status_code != 200 or case.method == "HEAD":
        return None
    answer = json.loads(response.content)
    jsonschema.Draft202012Validator(DOCUMENT["components"]["schemas"][name]).validate(answer)
    first, second = answer
    if len(first) != len(second):
        raise AssertionError(f"the two lists differ in length: {len(first)} and {len(second)}")
    if name == "Recommendations" and second != sorted(second, reverse=True):
        raise AssertionError(f"the ratings are not in descending order: {second}")
    return None
