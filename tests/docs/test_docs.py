"""The documentation is checked like code: every Python block of the guide runs (or says
why it does not), the site builds with no warning, and a real browser (Debian's
Chromium, headless) opens it, searches it and takes screenshots."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = sorted([DOCS / "index.md", *(DOCS / "guide").glob("*.md")])
BLOCK = re.compile(r"(<!-- not run: (?P<why>[^>]+) -->\n)?```(?P<lang>\w+)\n(?P<code>.*?)```", re.S)
SHOTS = Path(os.environ.get("SINCH_VOICE_SCREENSHOTS", REPO / "site" / "screenshots"))


def blocks(page: Path) -> list[tuple[str, str, str | None]]:
    return [(m["lang"], m["code"], m["why"]) for m in BLOCK.finditer(page.read_text("utf-8"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_python_block_of_the_guide_runs(page: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for lang, code, why in blocks(page):
        if why is not None:
            assert why.strip(), "a block that does not run says why"
            continue
        if lang != "python":
            continue
        exec(compile(code, str(page), "exec"), namespace)  # noqa: S102 - our own guide


def test_every_block_either_runs_or_says_why() -> None:
    for page in PAGES:
        for lang, code, why in blocks(page):
            assert lang in ("python", "sh") or why, (page.name, code[:60])
            if lang == "sh":
                assert why or page.name == "install.md", (page.name, code[:60])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    return out


@pytest.mark.slow
def test_the_site_builds_strictly_with_the_reference(site: Path) -> None:
    models = (site / "reference" / "models.html").read_text("utf-8")
    assert "IceRequest" in models
    assert "Wire name: <code>callid</code>" in models  # attribute docs are visible
    assert "Platform default: <code>" in models
    svaml = (site / "reference" / "svaml.html").read_text("utf-8")
    assert "connect_pstn" in svaml
    assert (site / "index.html").exists()


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site on loopback, as a docs host serves it."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
def test_a_browser_opens_the_site_and_finds_connect_pstn(site: Path, served: str) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        chrome = driver.chromium.launch(
            executable_path=browser,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        page = chrome.new_page(viewport={"width": 1280, "height": 900})
        page.goto((site / "index.html").as_uri())  # from disk, as a reader opens it
        assert "sinch-voice" in page.title()
        page.screenshot(path=str(SHOTS / "home.png"))
        page.goto(f"{served}/guide/quickstart.html")
        assert page.locator("h1").first.inner_text().strip().rstrip("¶") == "Quickstart"
        page.screenshot(path=str(SHOTS / "quickstart.png"))
        page.goto(f"{served}/reference/svaml.html")
        assert page.locator("text=connect_pstn").count() > 0
        page.screenshot(path=str(SHOTS / "reference.png"))
        page.locator("input.md-search__input").click()  # the header's search, typed into
        page.keyboard.type("connect_pstn", delay=20)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        assert results.count() > 0
        assert "connect_pstn" in page.locator(".md-search-result").inner_text()
        page.screenshot(path=str(SHOTS / "search.png"))
        chrome.close()
    assert sorted(p.name for p in SHOTS.glob("*.png")) == [
        "home.png", "quickstart.png", "reference.png", "search.png"
    ]  # fmt: skip


@pytest.mark.slow
def test_a_broken_link_or_reference_fails_the_build(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(DOCS, copy / "docs")
    shutil.copy(REPO / "mkdocs.yml", copy / "mkdocs.yml")
    (copy / "generated").symlink_to(REPO / "generated")
    page = copy / "docs" / "guide" / "install.md"
    for broken in ("[gone](nowhere.md)", "::: sinch_voice.no_such_module"):
        page.write_text(page.read_text("utf-8") + f"\n\n{broken}\n", encoding="utf-8")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "--site-dir",
                str(tmp_path / "s"),
            ],
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        assert result.returncode != 0, broken
        page.write_text(page.read_text("utf-8").replace(f"\n\n{broken}\n", ""), encoding="utf-8")
