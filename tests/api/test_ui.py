"""The investigator's page, end to end in headless Debian Chromium (Python playwright, no downloads)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import KEYS
from playwright.sync_api import sync_playwright

from graphfraud.settings import PROJECT_ROOT
from graphfraud.sim import World

pytestmark = pytest.mark.neo4j

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def _search(page, number: str, done: str) -> None:
    page.fill("#number", number)
    page.click("#search-form button")
    page.wait_for_function(f"document.getElementById('status').textContent.includes({done!r})",
                           timeout=20_000)  # fmt: skip


def _nothing_drawn(page) -> bool:
    graph = page.evaluate("!window.cy || window.cy.nodes().length === 0")
    return graph and page.is_hidden("#ring-view") and page.is_hidden("#node-card")


def test_search_draws_risk_card_graph_and_ring(live_server: str, member: str, world: World) -> None:
    artifacts = PROJECT_ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    offline_requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.on("request", lambda r: r.url.startswith(live_server) or offline_requests.append(r.url))
        page.goto(f"{live_server}/ui/")
        assert page.evaluate("typeof cytoscape") == "function"  # served locally from npm's copy
        page.fill("#api-key", KEYS["investigator"])
        page.click("#key-form button")
        page.fill("#number", member)
        page.select_option("#hops", "1")
        page.click("#search-form button")
        page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=20_000)
        page.wait_for_selector("#ring-members")
        drawn = page.evaluate("window.cy.nodes().length")
        subject = page.evaluate("window.cy.nodes('[role = \"subject\"]').map(n => n.id())")
        assert drawn >= 5 and subject == [member]
        assert page.inner_text("#risk-number") == member
        card = page.inner_text("#risk-card")
        assert "suspend" in card and "CO_TARGETING" in card and "陌生人" in card
        assert member in page.inner_text("#ring-view") or page.locator("#ring-members tr").count() > 2
        page.evaluate("window.cy.nodes('[role = \"ring_member\"]')[0].emit('tap')")
        assert "ring_member" in page.inner_text("#node-card")
        page.screenshot(path=str(Path(artifacts / "ui-evidence.png")), full_page=True)
        assert page.evaluate("sessionStorage.getItem('graphfraud-key')") == KEYS["investigator"]
        # A failed search leaves nothing of the number before on screen.
        _search(page, "13000000000", "not_found")
        assert page.is_hidden("#risk-card") and _nothing_drawn(page)
        # A consumer's key reads the risk card only: no graph or ring of the suspended number before.
        _search(page, member, "edges")
        assert page.evaluate("window.cy.nodes().length") >= 5 and page.is_visible("#ring-view")
        page.fill("#api-key", KEYS["consumer"])
        page.click("#key-form button")
        normal = next(t["number"] for t in world.truth.to_pylist() if not t["fraud"])
        _search(page, normal, "forbidden")
        assert page.inner_text("#risk-number") == normal and "suspend" not in page.inner_text("#risk-card")
        assert _nothing_drawn(page)
        browser.close()
    assert offline_requests == []  # nothing fetched from anywhere but our server
