"""GET /api/movies, the type-ahead movie search, through nginx and the worker pool (the contract in
SPEC.md and /api/movies' section of the issue-12 interfaces)."""

import pytest
import requests

STAR_WARS = {260, 1196, 1210, 2628}


def search(stack, text, **parameters):
    return stack.get("/api/movies", params={"q": text, **parameters})


def test_each_keystroke_of_star_wars_finds_the_films(stack):
    for typed in ["star w", "star wa", "star war", "star wars"]:
        response = search(stack, typed)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["query"] == typed
        assert {movie["id"] for movie in body["movies"][:4]} == STAR_WARS, typed
        ratings = [movie["ratings"] for movie in body["movies"][:4]]
        assert ratings == sorted(ratings, reverse=True)


def test_every_movie_has_the_contract_fields(stack):
    movies = search(stack, "lord of the", limit=5).json()["movies"]
    assert movies[0]["id"] in {2116, 3461}
    assert 2116 in {movie["id"] for movie in movies[:2]}
    for movie in movies:
        assert list(movie) == ["id", "title", "year", "genres", "ratings"]
        assert isinstance(movie["id"], int) and isinstance(movie["title"], str)
        assert movie["year"] is None or isinstance(movie["year"], int)
        assert all(isinstance(genre, str) for genre in movie["genres"]) and movie["genres"]
        assert isinstance(movie["ratings"], int)


def test_misspellings_and_no_match(stack):
    assert search(stack, "godfater").json()["movies"][0]["title"] == "Godfather, The (1972)"
    nothing = search(stack, "xqzzv blorf")
    assert nothing.status_code == 200 and nothing.json() == {"query": "xqzzv blorf", "movies": []}


@pytest.mark.parametrize(
    ("parameters", "status", "code"),
    [
        ({}, 400, "invalid_parameter"),
        ({"q": "  "}, 400, "invalid_parameter"),
        ({"q": "x" * 201}, 400, "invalid_parameter"),
        ({"q": "star", "limit": "ten"}, 400, "invalid_parameter"),
        ({"q": "star", "limit": "0"}, 422, "count_out_of_range"),
        ({"q": "star", "limit": "51"}, 422, "count_out_of_range"),
    ],
)
def test_bad_input_answers_in_the_error_shape(stack, parameters, status, code):
    response = stack.get("/api/movies", params=parameters)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["request_id"] == response.headers["X-Request-Id"]


def test_methods(stack):
    head = requests.head(stack.url + "/api/movies", params={"q": "star"}, timeout=10)
    assert head.status_code == 200 and head.content == b""
    refused = stack.post("/api/movies?q=star", json={})
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD"


def test_without_a_model_it_answers_503_no_model(empty_stack):
    response = search(empty_stack, "star wa")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "no_model"
