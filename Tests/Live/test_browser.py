"""The web page at `/` (web/) in a real headless Chromium against live stacks: the type-ahead,
rating, recommendations, similar movies, the served model, the 503 message, escaping of titles
that hold markup, keyboard-only use, and the phone layout, with screenshots at both sizes.

Screenshots go to `<tmp_path>/screenshots/`, and also to $REC_SCREENSHOT_DIR when it is set
(docs/screenshot-desktop.png and docs/screenshot-phone.png come from such a run).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
from pathlib import Path

import pytest
import requests
from conftest import REPOSITORY, train
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else shutil.which("chromedriver")
STORAGE_KEY = "recserve.ratings.v1"  # web/app.js keeps the picked movies here
WEB = REPOSITORY / "web"
ESCAPING_FIXTURE = REPOSITORY / "Tests" / "Fixtures" / "web-escaping"

STAR_WARS = "Star Wars: Episode IV - A New Hope (1977)"
SEQUELS = ("Star Wars: Episode V - The Empire Strikes Back (1980)", "Star Wars: Episode VI - Return of the Jedi (1983)")
DESKTOP = (1280, 900)
PHONE = (375, 812)


# ------------------------------------------------------------------------------------------------
# The browser and page helpers


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    arguments = [
        "--headless=new",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
        "--lang=en-GB",
        "--no-first-run",
        "--no-default-browser-check",
        "--no-proxy-server",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ]
    if os.geteuid() == 0:
        arguments.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    for argument in arguments:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, seconds: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, seconds, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,))


def until(driver, condition, message: str, seconds: float = 15):
    """Waits for `condition(driver)` to be truthy; on timeout the message says what was seen."""
    try:
        return wait(driver, seconds).until(condition)
    except TimeoutException:
        raise AssertionError(f"{message} (page: {page_state(driver)})") from None


def page_state(driver) -> str:
    return json.dumps(
        driver.execute_script(
            """
            const text = (id) => { const e = document.getElementById(id); return e ? e.textContent.trim().slice(0, 300) : null; };
            return {banner: text('banner'), searchStatus: text('search-status'), recsStatus: text('recs-status'),
                    recsProblem: text('recs-problem'), recs: text('recs'), similarStatus: text('similar-status')};
            """
        )
    )


def set_viewport(driver, size: tuple[int, int], mobile: bool = False) -> None:
    """The page's viewport in CSS pixels (device scale factor 1), as a phone when `mobile`."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
    )
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile})


def open_page(driver, stack, ratings: list[dict] | None = None) -> None:
    """Opens the page with an empty list of ratings, or with `ratings` as if picked before."""
    set_viewport(driver, DESKTOP)
    driver.get(stack.url + "/")
    driver.execute_script("localStorage.clear()")
    if ratings is not None:
        driver.execute_script("localStorage.setItem(arguments[0], arguments[1])", STORAGE_KEY, json.dumps(ratings))
    driver.get(stack.url + "/")
    until(driver, lambda d: d.execute_script("return document.documentElement.dataset.ready === 'true'"), "the page never started")
    driver.get_log("browser")  # start each test's console check afresh


def texts(driver, selector: str) -> list[str]:
    """The exact textContent of every element matching `selector`."""
    return driver.execute_script("return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)", selector)


def recommendation_titles(driver) -> list[str]:
    return texts(driver, "#recs .movie-title")


def recommendation_scores(driver) -> list[float]:
    return [float(value) for value in texts(driver, "#recs .score-value")]


def picked_titles(driver) -> list[str]:
    return texts(driver, "#picked .movie-title")


def picked_item(driver, title: str):
    for item in driver.find_elements(By.CSS_SELECTOR, "#picked .picked-item"):
        if item.find_element(By.CSS_SELECTOR, ".movie-title").get_attribute("textContent") == title:
            return item
    raise AssertionError(f"{title!r} is not among the picked movies {picked_titles(driver)}")


def star_label(item, stars: int):
    return item.find_element(By.CSS_SELECTOR, f'label[for$="-{stars}"]')


def wait_for_recommendations(driver, count: int = 10) -> list[str]:
    until(
        driver,
        lambda d: len(recommendation_titles(d)) == count and d.execute_script("return document.getElementById('recs-panel').getAttribute('aria-busy') === 'false'"),
        f"no list of {count} recommendations",
    )
    return recommendation_titles(driver)


def type_into_search(driver, text: str):
    box = driver.find_element(By.ID, "search")
    box.click()
    box.send_keys(text)
    return box


def option_titles(driver) -> list[str]:
    return texts(driver, "#search-results [role=option] .option-title")


def wait_for_option(driver, title: str):
    until(driver, lambda d: title in option_titles(d), f"the type-ahead never offered {title!r}")
    for option in driver.find_elements(By.CSS_SELECTOR, "#search-results [role=option]"):
        if option.find_element(By.CSS_SELECTOR, ".option-title").get_attribute("textContent") == title:
            return option
    raise AssertionError(f"{title!r} vanished from the type-ahead")


def dialog_is_open(driver) -> bool:
    return driver.execute_script("return document.getElementById('similar-dialog').open")


def console_problems(driver) -> list[str]:
    """Console messages that mean a bug: uncaught errors and CSP refusals. Failed requests (the
    4xx and 5xx a test provokes on purpose) are not."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]
    ]


def focused_outline(driver, selector_js: str = "document.activeElement") -> str:
    """The computed outline of the focused element (or of the element the JS expression names)."""
    return driver.execute_script(
        f"const e = {selector_js}; const s = getComputedStyle(e); return s.outlineStyle + ' ' + s.outlineWidth;"
    )


def assert_visible_focus(driver, selector_js: str = "document.activeElement") -> None:
    outline = focused_outline(driver, selector_js)
    style, width = outline.split()
    assert style != "none" and float(width.rstrip("px")) >= 2, f"no visible focus ring: outline {outline}"


def catalogue_entry(movie_id: int, rating: int | None) -> dict:
    """A stored pick for a movie of dataset/movies.dat, as the page stores a type-ahead pick."""
    for line in (REPOSITORY / "dataset" / "movies.dat").read_text(encoding="latin-1").splitlines():
        identifier, title, genres = line.split("::")
        if int(identifier) == movie_id:
            year = re.search(r"\((\d{4})\)\s*$", title)
            return {"id": movie_id, "title": title, "rating": rating, "year": int(year.group(1)) if year else None, "genres": genres.split("|")}
    raise KeyError(movie_id)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


# ------------------------------------------------------------------------------------------------
# The files and their headers


def test_browser_page_and_assets_are_served_with_their_headers(stack):
    page = stack.get("/")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-Id"])
    assert page.headers["Cache-Control"] == "no-cache"
    assert "ETag" in page.headers or "Last-Modified" in page.headers
    assert page.text == (WEB / "index.html").read_text()
    assert stack.get("/index.html").status_code == 200
    assert requests.head(stack.url + "/", timeout=10).status_code == 200
    for name, content_type in [
        ("app.js", "text/javascript; charset=utf-8"),
        ("api.js", "text/javascript; charset=utf-8"),
        ("combobox.js", "text/javascript; charset=utf-8"),
        ("dom.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("favicon.svg", "image/svg+xml; charset=utf-8"),
    ]:
        response = stack.get("/" + name)
        assert response.status_code == 200, name
        assert response.headers["Content-Type"] == content_type, name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.content == (WEB / name).read_bytes(), name
    # Paths that are no file of web/ keep the API's JSON 404, with the API's headers.
    for path in ["/nope", "/web/index.html", "/index.htm", "/README.md", "/deploy/nginx.conf", "/app.js/"]:
        missing = stack.get(path)
        assert missing.status_code == 404, path
        assert missing.headers["Content-Type"].startswith("application/json"), path
        assert missing.headers["Cache-Control"] == "no-store", path
        assert missing.json()["error"]["code"] == "not_found", path
    unknown_api = stack.get("/api/nothing-here")
    assert unknown_api.status_code == 404 and unknown_api.json()["error"]["code"] == "not_found"
    assert "Content-Security-Policy" not in unknown_api.headers
    # The page's files take GET and HEAD only, refused in the API's shape.
    refused = stack.post("/", data="x")
    assert refused.status_code == 405 and refused.json()["error"]["code"] == "method_not_allowed"


def test_browser_page_sources_never_parse_data_as_html():
    """The page builds DOM with createElement and textContent only, loads nothing from elsewhere
    and has no inline script or style (the CSP would refuse them)."""
    html = (WEB / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=\"/)", html), "an inline script"
    assert not re.search(r"\sstyle=|<style", html), "inline style"
    assert not re.search(r"\son[a-z]+=", html), "an inline event handler"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "something loaded from elsewhere"
    for script in WEB.glob("*.js"):
        source = script.read_text()
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "createContextualFragment"]:
            assert sink not in source, f"{script.name} uses {sink}"
        assert not re.search(r"import[^;]*['\"](https?:)?//", source), f"{script.name} imports from elsewhere"


# ------------------------------------------------------------------------------------------------
# Search, rate, recommend


def test_browser_search_pick_rate_and_see_recommendations(browser, stack):
    open_page(browser, stack)
    type_into_search(browser, "star wa")
    wait_for_option(browser, STAR_WARS).click()
    until(browser, lambda d: picked_titles(d) == [STAR_WARS], "Star Wars was not picked")
    assert browser.find_element(By.ID, "search").get_attribute("value") == ""
    assert browser.find_element(By.ID, "search").get_attribute("aria-expanded") == "false"
    assert "Rate a movie" in browser.find_element(By.ID, "recs-status").text or "stars" in browser.find_element(By.ID, "recs-status").text

    star_label(picked_item(browser, STAR_WARS), 5).click()
    until(
        browser,
        lambda d: any(sequel in recommendation_titles(d) for sequel in SEQUELS),
        "neither The Empire Strikes Back nor Return of the Jedi was recommended",
    )
    titles = wait_for_recommendations(browser)
    scores = recommendation_scores(browser)
    assert STAR_WARS not in titles
    assert all(1 <= score <= 5 for score in scores) and scores == sorted(scores, reverse=True), scores
    # The same list as the API gives for the same request.
    expected = stack.post("/api/predict", json={"movies": [[STAR_WARS], [5]], "top": 10}).json()
    assert titles == expected[0]
    assert all(abs(shown - value) <= 0.005 + 1e-9 for shown, value in zip(scores, expected[1])), (scores, expected[1])
    # It survives a reload (the picks are kept in the browser).
    browser.refresh()
    until(browser, lambda d: picked_titles(d) == [STAR_WARS] and recommendation_titles(d) == titles, "the picks were lost on reload")
    assert browser.find_element(By.CSS_SELECTOR, "#picked input[value='5']").is_selected()
    assert console_problems(browser) == []


def test_browser_footer_shows_the_served_model(browser, stack):
    open_page(browser, stack)
    model = stack.get("/api/info").json()["model"]
    until(browser, lambda d: "Model generation" in d.find_element(By.ID, "model-info").text, "no model in the footer")
    facts = dict(zip(texts(browser, "#model-info dt"), texts(browser, "#model-info dd")))
    assert facts["Model generation"] == str(model["generation"])
    assert facts["Algorithm"] == model["algorithm"]
    metrics = model.get("metrics") or {}
    for name, key in [("Validation RMSE", "validation_rmse"), ("Test RMSE", "test_rmse")]:
        value = metrics.get(key)
        assert facts[name] == (f"{value:.4f}" if isinstance(value, (int, float)) else "not evaluated"), (name, facts[name])
    trained = browser.find_element(By.CSS_SELECTOR, "#model-info time")
    assert trained.get_attribute("datetime") == model["trained_at"]
    assert console_problems(browser) == []


# ------------------------------------------------------------------------------------------------
# Keyboard only


def test_browser_keyboard_only_typeahead_rating_and_removal(browser, stack):
    open_page(browser, stack)
    active = lambda: browser.switch_to.active_element  # noqa: E731
    # Tab from the top of the page reaches the search box (after the skip link).
    for _ in range(4):
        if active().get_attribute("id") == "search":
            break
        active().send_keys(Keys.TAB)
    assert active().get_attribute("id") == "search", "Tab does not reach the search box"
    assert_visible_focus(browser)
    active().send_keys("star wa")
    until(browser, lambda d: STAR_WARS in option_titles(d), "the type-ahead never offered Star Wars")
    search = browser.find_element(By.ID, "search")
    assert search.get_attribute("aria-expanded") == "true"
    options = browser.find_elements(By.CSS_SELECTOR, "#search-results [role=option]")

    def active_option_title():
        option_id = search.get_attribute("aria-activedescendant")
        if not option_id:
            return None
        option = browser.find_element(By.ID, option_id)
        assert option.get_attribute("aria-selected") == "true"
        return option.find_element(By.CSS_SELECTOR, ".option-title").get_attribute("textContent")

    assert active_option_title() is None
    active().send_keys(Keys.ARROW_DOWN)
    assert search.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    active().send_keys(Keys.ARROW_UP)  # wraps to the last option
    assert search.get_attribute("aria-activedescendant") == options[-1].get_attribute("id")
    active().send_keys(Keys.ARROW_DOWN)  # and back to the first
    assert search.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#search-results [aria-selected=true]")) == 1
    for _ in range(len(options)):
        if active_option_title() == STAR_WARS:
            break
        active().send_keys(Keys.ARROW_DOWN)
    assert active_option_title() == STAR_WARS
    active().send_keys(Keys.ENTER)
    until(browser, lambda d: picked_titles(d) == [STAR_WARS], "Enter did not pick Star Wars")
    assert active().get_attribute("id") == "search", "focus left the search box"
    assert search.get_attribute("aria-expanded") == "false"
    assert search.get_attribute("aria-activedescendant") in (None, "")

    # Escape closes the list, and a second Escape clears the text.
    active().send_keys("toy story")
    until(browser, lambda d: search.get_attribute("aria-expanded") == "true", "no list for 'toy story'")
    active().send_keys(Keys.ESCAPE)
    assert search.get_attribute("aria-expanded") == "false"
    assert search.get_attribute("value") == "toy story"
    active().send_keys(Keys.ESCAPE)
    assert search.get_attribute("value") == ""

    # Tab reaches the movie's title, then its stars, rated with the arrow keys.
    active().send_keys(Keys.TAB)
    assert "movie-link" in active().get_attribute("class")
    active().send_keys(Keys.TAB)
    assert active().get_attribute("type") == "radio" and active().get_attribute("value") == "1"
    assert_visible_focus(browser, "document.querySelector(`label[for='${document.activeElement.id}']`)")
    for _ in range(4):
        active().send_keys(Keys.ARROW_RIGHT)
    assert active().get_attribute("value") == "5" and active().is_selected()
    until(browser, lambda d: any(sequel in recommendation_titles(d) for sequel in SEQUELS), "no sequel recommended")

    # Enter on a recommendation opens its similar movies; Escape closes them and focus returns.
    first = browser.find_element(By.CSS_SELECTOR, "#recs .movie-link")
    browser.execute_script("arguments[0].focus()", first)
    first_title = first.find_element(By.CSS_SELECTOR, ".movie-title").get_attribute("textContent")
    active().send_keys(Keys.ENTER)
    until(browser, dialog_is_open, "Enter did not open the similar movies")
    assert browser.find_element(By.ID, "similar-title").get_attribute("textContent") == first_title
    until(browser, lambda d: len(texts(d, "#similar-list .movie-title")) > 0, "no similar movies")
    active().send_keys(Keys.ESCAPE)
    until(browser, lambda d: not dialog_is_open(d), "Escape did not close the dialog")
    assert active().get_attribute("textContent").startswith(first_title), "focus did not return to the opener"

    # Tab back to the Remove button and press Enter: the list empties, focus goes to the search.
    remove = browser.find_element(By.CSS_SELECTOR, "#picked .remove")
    browser.execute_script("arguments[0].focus()", remove)
    assert remove.get_attribute("aria-label") == f"Remove {STAR_WARS}"
    active().send_keys(Keys.ENTER)
    until(browser, lambda d: picked_titles(d) == [], "Enter on Remove kept the movie")
    assert active().get_attribute("id") == "search"
    until(browser, lambda d: recommendation_titles(d) == [], "the recommendations stayed after the last movie went")
    assert console_problems(browser) == []


# ------------------------------------------------------------------------------------------------
# Similar movies


def test_browser_similar_movies_view(browser, stack):
    open_page(browser, stack, ratings=[catalogue_entry(260, 5)])
    wait_for_recommendations(browser)
    opener = picked_item(browser, STAR_WARS).find_element(By.CSS_SELECTOR, ".movie-link")
    opener.click()
    until(browser, dialog_is_open, "the similar-movies dialog did not open")
    assert browser.find_element(By.ID, "similar-title").get_attribute("textContent") == STAR_WARS
    expected = stack.get("/api/similar?movie_id=260&n=10").json()
    until(browser, lambda d: texts(d, "#similar-list .movie-title") == expected[1], f"the dialog does not list {expected[1]}")
    assert STAR_WARS not in expected[1] and len(expected[1]) == 10

    # A similar movie opens its own similar movies; Back returns.
    browser.find_elements(By.CSS_SELECTOR, "#similar-list .movie-link")[0].click()
    next_expected = stack.get(f"/api/similar?movie_id={expected[0][0]}&n=10").json()
    until(browser, lambda d: texts(d, "#similar-list .movie-title") == next_expected[1], "the second level never showed")
    assert browser.find_element(By.ID, "similar-title").get_attribute("textContent") == expected[1][0]
    back = browser.find_element(By.ID, "similar-back")
    assert back.is_displayed() and STAR_WARS in back.text
    back.click()
    until(browser, lambda d: texts(d, "#similar-list .movie-title") == expected[1], "Back did not return to Star Wars")
    assert not browser.find_element(By.ID, "similar-back").is_displayed()
    # Star Wars is in the list already, so the dialog cannot add it again.
    assert not browser.find_element(By.ID, "similar-add").is_enabled()
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    until(browser, lambda d: not dialog_is_open(d), "Escape did not close the dialog")
    assert browser.switch_to.active_element == opener

    # From a recommendation (opened by title), then added to the ratings from the dialog.
    recommended = recommendation_titles(browser)[0]
    browser.find_elements(By.CSS_SELECTOR, "#recs .movie-link")[0].click()
    until(browser, dialog_is_open, "the dialog did not open from a recommendation")
    by_name = stack.get("/api/similar", params={"movie_name": recommended, "n": 10}).json()
    until(browser, lambda d: texts(d, "#similar-list .movie-title") == by_name[1], "the recommendation's similar movies")
    browser.find_element(By.ID, "similar-add").click()
    until(browser, lambda d: not dialog_is_open(d) and picked_titles(d) == [recommended, STAR_WARS], "Add did not add it")
    focused = browser.switch_to.active_element
    assert focused.get_attribute("type") == "radio", "focus is not on the new movie's stars"
    assert console_problems(browser) == []


# ------------------------------------------------------------------------------------------------
# No model


def test_browser_without_a_model_says_so(browser, empty_stack):
    open_page(browser, empty_stack, ratings=[catalogue_entry(1, 5)])
    banner = browser.find_element(By.ID, "banner")
    until(browser, lambda d: banner.is_displayed() and "No model is loaded yet" in banner.text, "no 503 banner")
    problem = browser.find_element(By.ID, "recs-problem")
    until(browser, lambda d: problem.is_displayed() and "No model is loaded yet" in problem.text, "no 503 message for the list")
    api_message = empty_stack.post("/api/predict", json=[["Toy Story (1995)"], [5]]).json()["error"]["message"]
    assert api_message.split(";")[0].lower() in problem.text.lower(), "the API's own message is not shown"
    assert recommendation_titles(browser) == []
    until(browser, lambda d: "No model is loaded yet" in d.find_element(By.ID, "model-info").text, "the footer claims a model")
    # Similar movies say the same.
    picked_item(browser, "Toy Story (1995)").find_element(By.CSS_SELECTOR, ".movie-link").click()
    until(browser, lambda d: "No model is loaded yet" in d.find_element(By.ID, "similar-status").text, "no 503 message for similar movies")
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert console_problems(browser) == []


def test_browser_picks_up_a_model_once_one_is_loaded(browser, start_stack, trained_model):
    late = start_stack("late-model", model=False)
    open_page(browser, late, ratings=[catalogue_entry(260, 5)])
    until(browser, lambda d: d.find_element(By.ID, "banner").is_displayed(), "no 503 banner")
    # Publish a generation as rec-cli train does: the model file, then CURRENT (the pool has
    # made the folder and its own SERVED control file, which must not be overwritten).
    for source in sorted(trained_model.iterdir(), key=lambda path: path.name == "CURRENT"):
        if source.name != "SERVED" and not source.name.startswith(".") and source.is_file():
            shutil.copy2(source, late.data_dir / "model" / source.name)
    assert late.post("/api/reload").status_code == 200
    # The page polls /api/health every few seconds, then asks for the list and the model again.
    until(browser, lambda d: len(recommendation_titles(d)) == 10, "the page did not pick up the new model", seconds=20)
    assert not browser.find_element(By.ID, "banner").is_displayed()
    assert not browser.find_element(By.ID, "recs-problem").is_displayed()
    until(browser, lambda d: "Model generation" in d.find_element(By.ID, "model-info").text, "the footer kept 'no model'")
    assert console_problems(browser) == []


def test_browser_search_without_a_model_says_so(browser, empty_stack):
    open_page(browser, empty_stack)
    type_into_search(browser, "toy")
    until(
        browser,
        lambda d: "No model is loaded yet" in d.find_element(By.ID, "search-status").text,
        "the type-ahead does not say that no model is loaded",
    )
    assert option_titles(browser) == []


# ------------------------------------------------------------------------------------------------
# Titles that hold markup


def fixture_titles() -> list[str]:
    return [line.split("::")[1] for line in (ESCAPING_FIXTURE / "movies.dat").read_text().splitlines()]


HOSTILE_TITLES = [title for title in fixture_titles() if "<" in title or "&" in title]
ALLOWED_TAGS = "LI SPAN BUTTON FIELDSET LEGEND INPUT LABEL DIV P STRONG".split()


@pytest.fixture(scope="module")
def escaping_stack(start_stack, workspace):
    """A stack serving a model trained on Tests/Fixtures/web-escaping, whose titles are markup."""
    folder = workspace / "escaping-model"
    train(folder, ESCAPING_FIXTURE / "ratings.dat", ESCAPING_FIXTURE / "movies.dat")
    return start_stack("escaping", model=folder / "model")


def assert_only_page_markup(driver, container: str) -> None:
    """No element under `container` that the page did not create itself, and no script ran."""
    tags = driver.execute_script("return [...document.querySelectorAll(arguments[0] + ' *')].map((e) => e.tagName)", container)
    unexpected = sorted(set(tags) - set(ALLOWED_TAGS))
    assert unexpected == [], f"{container} holds elements made from data: {unexpected}"
    assert driver.execute_script("return window.__xss === undefined"), f"a title's script ran: {driver.execute_script('return window.__xss')}"


def test_browser_titles_with_markup_render_as_text(browser, escaping_stack):
    script_title = HOSTILE_TITLES[0]
    assert script_title.startswith("<script>")
    # Too far from every title to be matched fuzzily, close enough to get suggestions.
    misspelled = "<scrip onclick=\"window.__xss = 'unknown'\">"
    # An unknown title (a pick from an older model, say): its message and suggestions are text.
    open_page(browser, escaping_stack, ratings=[{"id": 1, "title": "Plain Sailing (1990)", "rating": 5}, {"id": None, "title": misspelled, "rating": 4}])
    problem = browser.find_element(By.ID, "recs-problem")
    until(browser, lambda d: problem.is_displayed() and d.find_elements(By.CSS_SELECTOR, "#recs-problem .suggestion"), "no unknown_movie suggestions")
    api_error = escaping_stack.post("/api/predict", json={"movies": [["Plain Sailing (1990)", misspelled], [5, 4]], "top": 10}).json()["error"]
    assert api_error["code"] == "unknown_movie"
    assert api_error["message"][1:] in texts(browser, "#recs-problem .problem-message")[0]  # the API's message, as text
    assert misspelled in problem.get_attribute("textContent")
    shown = texts(browser, "#recs-problem .suggestion:not(.secondary)")
    assert shown == api_error["suggestions"][misspelled] and script_title in shown
    assert_only_page_markup(browser, "#recs-problem")
    assert_only_page_markup(browser, "#picked")
    assert picked_titles(browser) == ["Plain Sailing (1990)", misspelled]

    # Taking the suggestion fixes the pick; the list then holds the markup titles, as text.
    for button in browser.find_elements(By.CSS_SELECTOR, "#recs-problem .suggestion"):
        if button.get_attribute("textContent") == script_title:
            button.click()
            break
    until(browser, lambda d: picked_titles(d) == ["Plain Sailing (1990)", script_title], "the suggestion was not taken")
    titles = wait_for_recommendations(browser)
    expected = escaping_stack.post("/api/predict", json={"movies": [["Plain Sailing (1990)", script_title], [5, 4]], "top": 10}).json()
    assert titles == expected[0]
    assert len(set(titles) & set(HOSTILE_TITLES)) >= 3, titles
    assert_only_page_markup(browser, "#recs")
    assert_only_page_markup(browser, "#picked")

    # The similar movies of a markup title are text too, and so is its heading.
    picked_item(browser, script_title).find_element(By.CSS_SELECTOR, ".movie-link").click()
    until(browser, dialog_is_open, "no dialog")
    similar = escaping_stack.get("/api/similar?movie_id=2&n=10").json()
    until(browser, lambda d: texts(d, "#similar-list .movie-title") == similar[1], "the similar movies of the script title")
    assert browser.find_element(By.ID, "similar-title").get_attribute("textContent") == script_title
    assert set(similar[1]) & set(HOSTILE_TITLES)
    assert_only_page_markup(browser, "#similar-list")
    assert browser.execute_script("return document.querySelectorAll('#similar-heading *').length") == 2  # the page's two spans
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert browser.execute_script("return document.scripts.length") == 1  # app.js only
    problems = console_problems(browser)
    assert problems == [], problems  # also: no CSP refusal, which parsed markup would have caused


def test_browser_typeahead_shows_markup_titles_as_text(browser, escaping_stack):
    open_page(browser, escaping_stack)
    type_into_search(browser, "window")
    until(browser, lambda d: len(option_titles(d)) >= 3, "the type-ahead found no markup titles")
    offered = option_titles(browser)
    assert set(offered) <= set(fixture_titles()) and set(offered) & set(HOSTILE_TITLES), offered
    assert_only_page_markup(browser, "#search-results")
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    until(browser, lambda d: picked_titles(d) == [offered[0]], "the first markup title was not picked")
    assert_only_page_markup(browser, "#picked")
    assert console_problems(browser) == []


# ------------------------------------------------------------------------------------------------
# Phone size and screenshots


def test_browser_screenshots_at_desktop_and_phone_sizes(browser, stack, tmp_path):
    folder = tmp_path / "screenshots"
    folder.mkdir()
    ratings = [catalogue_entry(260, 5), catalogue_entry(1198, 5), catalogue_entry(2571, 4), catalogue_entry(1, 4), catalogue_entry(608, 2)]
    open_page(browser, stack, ratings=ratings)
    wait_for_recommendations(browser)
    until(browser, lambda d: "Model generation" in d.find_element(By.ID, "model-info").text, "no model in the footer")
    desktop = folder / "desktop.png"
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(desktop))
    assert png_size(desktop) == DESKTOP

    set_viewport(browser, PHONE, mobile=True)
    until(browser, lambda d: d.execute_script("return window.innerWidth") == PHONE[0], "the phone viewport did not apply")
    layout = browser.execute_script(
        """
        const width = window.innerWidth;
        const controls = [...document.querySelectorAll('input:not([type=radio]), button, label, .rec, .picked-item')]
            .filter((e) => e.getClientRects().length > 0 && !e.closest('dialog'));
        const outside = controls.filter((e) => { const r = e.getBoundingClientRect(); return r.left < -0.5 || r.right > width + 0.5; })
            .map((e) => e.outerHTML.slice(0, 80));
        const stars = [...document.querySelectorAll('.stars label')].map((e) => e.getBoundingClientRect());
        return {width, scrollWidth: document.documentElement.scrollWidth, outside,
                columns: getComputedStyle(document.querySelector('main')).gridTemplateColumns.split(' ').length,
                smallestStar: Math.min(...stars.map((r) => Math.min(r.width, r.height)))};
        """
    )
    assert layout["scrollWidth"] <= PHONE[0], f"the page scrolls sideways on a phone: {layout}"
    assert layout["outside"] == [], layout
    assert layout["columns"] == 1, "the phone layout is not one column"
    assert layout["smallestStar"] >= 40, f"star targets under 40 px: {layout['smallestStar']}"
    phone = folder / "phone.png"
    # One column: the recommendations come after the ratings, so show where they start.
    browser.execute_script("window.scrollTo(0, document.getElementById('recs-panel').offsetTop - 190)")
    assert browser.save_screenshot(str(phone))
    assert png_size(phone) == PHONE
    set_viewport(browser, DESKTOP)

    if os.environ.get("REC_SCREENSHOT_DIR"):
        target = Path(os.environ["REC_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(desktop, target / "screenshot-desktop.png")
        shutil.copy(phone, target / "screenshot-phone.png")
    print(f"screenshots: {desktop} {phone}")
    assert console_problems(browser) == []
