"""The harness itself: a stack with a model is healthy, one without answers 503 in the API's shape."""


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
