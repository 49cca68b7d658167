"""A small Python client for the RecServe HTTP API (SPEC.md; docs/openapi.yaml, also served at
/api/openapi.yaml).

    from recserve_client import RecServeClient, RecServeError

    client = RecServeClient("http://localhost:5000")          # or $RECSERVE_URL
    client.predict({"Toy Story": 5, "Heat (1995)": 4}, top=5)  # [("Toy Story 2 (1999)", 4.19), ...]
    client.recommend(42, top=5)
    client.similar("Toy Story", n=3)                           # [(3114, "Toy Story 2 (1999)"), ...]
    try:
        client.predict({"Toy Stroy 9": 5})
    except RecServeError as error:
        print(error.code, error.suggestions)                  # unknown_movie {'Toy Stroy 9': [...]}

Every error answer of the API, `{"error": {"code", "message", "request_id", ...}}`, is raised as a
`RecServeError` that carries its status, code, message and request id (and, for an unknown title,
`unknown` and `suggestions`). Network failures are `requests` exceptions. Needs only `requests`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import requests

__all__ = ["RecServeClient", "RecServeError"]

DEFAULT_URL = "http://localhost:5000"


class RecServeError(Exception):
    """An error answer of the API."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: str | None = None,
        unknown: list[str] | None = None,
        suggestions: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        #: The HTTP status, for example 422.
        self.status = status
        #: The API's error code, for example "unknown_movie" (SPEC.md, "Errors").
        self.code = code
        #: The API's sentence about what went wrong.
        self.message = message
        #: The request id, as in the X-Request-Id header and the server's log.
        self.request_id = request_id
        #: For unknown_movie: the titles that matched nothing, as sent.
        self.unknown = unknown or []
        #: For unknown_movie: up to 3 catalogue titles for each unknown title.
        self.suggestions = suggestions or {}

    @classmethod
    def from_response(cls, response: requests.Response) -> RecServeError:
        """The error an answer carries; one that is not in the API's shape (a proxy's page, say)
        becomes code "http_error" with the start of its body as the message."""
        try:
            error = response.json()["error"]
            return cls(
                response.status_code,
                error["code"],
                error["message"],
                error.get("request_id"),
                error.get("unknown"),
                error.get("suggestions"),
            )
        except (ValueError, KeyError, TypeError):
            text = response.text.strip()[:200] or response.reason or "no body"
            return cls(response.status_code, "http_error", text, response.headers.get("X-Request-Id"))


class RecServeClient:
    """The RecServe API at `base_url` (default: $RECSERVE_URL, else http://localhost:5000).

    `token` is the admin token that `/api/reload`, `/api/log` and `/api/log/download` need when
    the server sets REC_ADMIN_TOKEN (default: $RECSERVE_TOKEN). `timeout` is in seconds, per request.
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = (base_url or os.environ.get("RECSERVE_URL") or DEFAULT_URL).rstrip("/")
        self.token = token if token is not None else os.environ.get("RECSERVE_TOKEN") or None
        self.timeout = timeout
        self.session = session or requests.Session()

    def __repr__(self) -> str:
        return f"RecServeClient({self.base_url!r})"

    # Recommendations

    def predict(
        self,
        ratings: Mapping[str | int, float] | Sequence[Sequence[Any]],
        top: int | None = None,
        rank: str | None = None,
    ) -> list[tuple[str, float]]:
        """Recommendations for a new person: `ratings` maps titles (or movie ids) to ratings
        from 1 to 5, or is the homework's `[[movies], [ratings]]`. Returns up to `top` (default
        20) (title, estimated rating) pairs, best first; `rank` is "relevance" (default) or
        "rating"."""
        if isinstance(ratings, Mapping):
            pair = [list(ratings.keys()), list(ratings.values())]
        else:
            pair = [list(ratings[0]), list(ratings[1])]
        body: dict[str, Any] = {"movies": pair}
        if top is not None:
            body["top"] = top
        if rank is not None:
            body["rank"] = rank
        titles, estimates = self._request("POST", "/api/predict", json=body)
        return list(zip(titles, estimates))

    def recommend(self, user_id: int, top: int | None = None, rank: str | None = None) -> list[tuple[str, float]]:
        """Recommendations for a user of the training data, never a movie they rated there:
        (title, estimated rating) pairs, best first."""
        titles, estimates = self._request("GET", "/api/recommend", params=_without_none(user_id=user_id, top=top, rank=rank))
        return list(zip(titles, estimates))

    def similar(self, movie: str | int, n: int | None = None) -> list[tuple[int, str]]:
        """The movies most similar to `movie` (a title, loosely matched, or a movie id):
        up to `n` (default 5) (movie id, title) pairs, most similar first."""
        ids, titles = self._request("POST", "/api/similar", json=_without_none(movie_name=movie, n=n))
        return list(zip(ids, titles))

    def movies(self, query: str, limit: int | None = None) -> list[dict[str, Any]]:
        """Catalogue movies whose titles match `query`, best first: dicts with `id`, `title`,
        `year`, `genres` and `ratings` (the number of training ratings)."""
        return self._request("GET", "/api/movies", params=_without_none(q=query, limit=limit))["movies"]

    # Operations

    def log(self, lines: int | None = None) -> list[str]:
        """The last `lines` (default 20) lines of the server's log, oldest first."""
        return self._request("GET", "/api/log", params=_without_none(lines=lines), headers=self._admin_headers())

    def download_log(self) -> str:
        """The whole log file."""
        return self._request("GET", "/api/log/download", expect_json=False, headers=self._admin_headers())

    def info(self) -> dict[str, Any]:
        """`{"credentials", "service", "model"}`: who maintains the service, which build runs,
        and the served model (None while none is)."""
        return self._request("GET", "/api/info")

    def reload(self) -> dict[str, Any]:
        """Makes every worker serve the published model generation; returns `{"generation",
        "previous_generation", "model"}`. Sends the admin token when the client has one."""
        return self._request("POST", "/api/reload", headers=self._admin_headers())

    def _admin_headers(self) -> dict[str, str] | None:
        """The Authorization header of the admin token, when the client has one."""
        return {"Authorization": f"Bearer {self.token}"} if self.token else None

    def health(self) -> dict[str, Any]:
        """`{"status": "ok", "generation": N}`, or `{"status": "unavailable", "generation":
        None}` while no model is served (the API's 503, returned rather than raised)."""
        response = self._send("GET", "/api/health")
        if response.status_code == 503:
            try:
                body = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict) and "status" in body:
                return body
        return self._decode(response, expect_json=True)

    # Plumbing

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)

    def _request(self, method: str, path: str, expect_json: bool = True, **kwargs: Any) -> Any:
        return self._decode(self._send(method, path, **kwargs), expect_json)

    @staticmethod
    def _decode(response: requests.Response, expect_json: bool) -> Any:
        if not response.ok:
            raise RecServeError.from_response(response)
        return response.json() if expect_json else response.text


def _without_none(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}
