"""The documentation is checked like code: every Python and shell block of the guide runs
(or says why it does not), the site builds with no warning, and a real browser (Debian's
Chromium, headless) opens it, searches it and takes screenshots."""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = sorted([DOCS / "index.md", DOCS / "changelog.md", *(DOCS / "guide").glob("*.md")])
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


def shell_blocks() -> list[tuple[str, str]]:
    """Each shell block of the guide that runs here, named by its page and place."""
    found = []
    for page in PAGES:
        sh = [code for lang, code, why in blocks(page) if lang == "sh" and why is None]
        found += [(f"{page.relative_to(DOCS).as_posix()}#{n}", code) for n, code in enumerate(sh)]
    return found


BASH = shutil.which("bash") or "/bin/bash"
SERVERS = ("gunicorn", "uvicorn")  # long-running: started, probed with a call, stopped
LOOPBACK_ADDRESS = re.compile(r"(?:0\.0\.0\.0|127\.0\.0\.1|localhost):8000|--port 8000")


@pytest.mark.slow
@pytest.mark.parametrize(("where", "code"), shell_blocks(), ids=[w for w, _ in shell_blocks()])
def test_every_shell_block_of_the_guide_runs(where: str, code: str) -> None:
    """Each command runs as written from the repository's root, with the venv's tools first
    on PATH. A server command (gunicorn, uvicorn) names port 8000; it is moved to a free
    loopback port, started, sent a whole call by the local platform, then stopped."""
    commands = [line for line in code.splitlines() if line.strip() and not line.startswith("#")]
    assert commands, where
    for command in commands:
        if shlex.split(command, comments=True)[0] in SERVERS:
            serve_and_probe(where, command)
        else:
            result = subprocess.run(
                [BASH, "-euo", "pipefail", "-c", command],
                cwd=REPO,
                env=tool_env(),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert result.returncode == 0, (where, command, result.stdout, result.stderr)


def tool_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SINCH_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_and_probe(where: str, command: str) -> None:
    from sinch_voice.testing import LocalPlatform

    assert LOOPBACK_ADDRESS.search(command), f"{where}: a server command names port 8000"
    port = free_port()
    moved = LOOPBACK_ADDRESS.sub(
        lambda m: f"--port {port}" if m[0].startswith("--") else f"127.0.0.1:{port}", command
    )
    server = subprocess.Popen(
        shlex.split(moved, comments=True),
        cwd=REPO,
        env=tool_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the workers too are stopped with the group
    )
    try:
        wait_for_port(port, server, where)
        with LocalPlatform() as platform:  # the example's default application
            call = platform.call(url=f"http://127.0.0.1:{port}/sinch/callback", press=["1", "1"])
        call.assert_heard("Welcome to Example Corp.")
        call.assert_connected("+46700000100")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        assert server.stdout is not None
        server.stdout.close()


def wait_for_port(port: int, server: subprocess.Popen[bytes], where: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            assert server.stdout is not None
            output = server.stdout.read().decode(errors="replace")
            raise AssertionError(f"{where}: the server exited {server.returncode}\n{output}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"{where}: nothing listened on {port} within 60 s")


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
    models = (site / "reference" / "models-callbacks.html").read_text("utf-8")
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


SITE_PATH = "/sinch-voice/"  # site_url's path, where the site is published


@pytest.mark.slow
def test_the_404_page_links_under_the_published_path(site: Path) -> None:
    links = re.findall(r'href="([^"#]+)"', (site / "404.html").read_text("utf-8"))
    local = [link for link in links if not link.startswith(("http:", "https:"))]
    assert local
    assert all(link.startswith(SITE_PATH) for link in local), local[:5]


def search(page: object, query: str) -> list[tuple[str, str]]:
    """Type into the header's search; each result's (link, text), once they settle."""
    page.locator("input.md-search__input").fill("")  # type: ignore[attr-defined]
    page.locator("input.md-search__input").click()  # type: ignore[attr-defined]
    page.keyboard.type(query, delay=20)  # type: ignore[attr-defined]
    items = page.locator(".md-search-result__item")  # type: ignore[attr-defined]
    items.first.wait_for(timeout=15_000)
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    links = page.locator(".md-search-result__link")  # type: ignore[attr-defined]
    return [  # without the ?h= that highlights the query on the page
        (
            re.sub(r"\?h=[^#]*", "", links.nth(i).get_attribute("href") or ""),
            links.nth(i).inner_text(),
        )
        for i in range(links.count())
    ]


def test_the_enums_page_lists_each_enum_in_its_contents_and_not_their_members(
    site: Path,
) -> None:
    import enum

    import sinch_voice.models as models

    page = (site / "reference" / "models-enums.html").read_text("utf-8")
    contents = page[page.index("md-nav--secondary") :]
    contents = contents[: contents.index("</nav>")]
    linked = re.findall(r'href="#sinch_voice\.models\.([\w.]+)"', contents)
    enums = [n for n, v in vars(models).items() if isinstance(v, type) and issubclass(v, enum.Enum)]
    assert set(linked) == {n for n in enums if f'id="sinch_voice.models.{n}"' in page}
    assert all("." not in name for name in linked)  # no member of an enum
    assert 'id="sinch_voice.models.AmdStatus.HUMAN"' in page  # the members are documented


@pytest.mark.slow
@pytest.mark.once  # the built site in Chromium: no Python of ours runs in it
def test_a_browser_opens_the_site_and_finds_code_in_guide_and_reference(
    site: Path, served: str
) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()  # the folder holds this run's screenshots and nothing older
    with sync_playwright() as driver:
        chrome = driver.chromium.launch(
            executable_path=browser,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        page = chrome.new_page(viewport={"width": 1280, "height": 900})
        page.goto((site / "index.html").as_uri())  # from disk, as a reader opens it
        assert "sinch-voice" in page.title()
        tabs = page.locator(".md-tabs__link").all_inner_texts()
        assert [t.strip() for t in tabs][:4] == ["Home", "Guide", "Changelog", "Reference"]
        page.screenshot(path=str(SHOTS / "home.png"))
        for guide in sorted(p.stem for p in (DOCS / "guide").glob("*.md")):
            page.goto(f"{served}/guide/{guide}.html")
            cut = page.evaluate(
                "[...document.querySelectorAll('.md-content pre > code')]"
                ".filter(c => c.scrollWidth > c.clientWidth + 1).length"
            )
            assert cut == 0, f"{guide}: {cut} code blocks cut off at 1280 px"
        page.goto(f"{served}/guide/quickstart.html")
        assert page.locator("h1").first.inner_text().strip().rstrip("¶") == "Quickstart"
        page.screenshot(path=str(SHOTS / "quickstart.png"))
        page.goto(f"{served}/reference/svaml.html")
        assert page.locator("text=connect_pstn").count() > 0
        page.screenshot(path=str(SHOTS / "reference.png"))

        found = search(page, "connect_pstn")
        pages = {href.split("#")[0].rsplit("/", 1)[-1] for href, _ in found}
        assert {"svaml.html", "callbacks.html"} <= pages, pages  # the reference and guides
        builders = [text for href, text in found if "sinch_voice.svaml." in href]
        assert any("IceResponse.connect_pstn" in text for text in builders), builders
        assert any("PieResponse.connect_pstn" in text for text in builders), builders
        page.screenshot(path=str(SHOTS / "search.png"))

        found = search(page, "RateLimitError")
        hrefs = [href for href, _ in found]
        assert any("errors.html#sinch_voice.errors.RateLimitError" in h for h in hrefs), hrefs
        assert any("guide/errors.html" in h for h in hrefs), hrefs
        page.screenshot(path=str(SHOTS / "search-errors.png"))
        chrome.close()
    assert sorted(p.name for p in SHOTS.glob("*.png")) == SHOT_NAMES


SHOT_NAMES = ["home.png", "quickstart.png", "reference.png", "search-errors.png", "search.png"]


def test_the_committed_screenshots_are_the_ones_the_browser_test_takes() -> None:
    """docs/screenshots is refreshed with SINCH_VOICE_SCREENSHOTS=docs/screenshots."""
    assert sorted(p.name for p in (DOCS / "screenshots").glob("*.png")) == SHOT_NAMES


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


def test_the_errors_page_maps_each_status_to_the_class_the_client_raises() -> None:
    from sinch_voice import errors

    page = (DOCS / "guide" / "errors.md").read_text("utf-8")
    table = dict(re.findall(r"^\| (\d{3}(?:-\d{3})?) \| `(\w+)` \|", page, re.M))
    assert table.pop("500-599") == errors.ServerError.__name__
    assert {int(s): name for s, name in table.items()} == {
        status: cls.__name__ for status, cls in errors.STATUS_ERRORS.items()
    }
    assert all(errors.status_error_class(s) is errors.ServerError for s in (500, 503, 599))


def inventory(site: Path) -> dict[str, str]:
    """The built site's ``objects.inv``: each documented path and its page. The format is
    four header lines, then zlib-compressed lines of ``name domain:role priority uri
    display name``."""
    import zlib

    *_, packed = (site / "objects.inv").read_bytes().split(b"\n", 4)
    found: dict[str, str] = {}
    for line in zlib.decompress(packed).decode("utf-8").splitlines():
        name, _role, _priority, uri = line.split(" ", 4)[:4]
        found[name] = uri
    return found


def public_modules() -> dict[str, list[str]]:
    """Each public module of the package with its ``__all__`` (None when it has none)."""
    import importlib
    import pkgutil

    import sinch_voice

    found = {"sinch_voice": list(sinch_voice.__all__)}
    for info in pkgutil.walk_packages(sinch_voice.__path__, "sinch_voice."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            exported = getattr(importlib.import_module(info.name), "__all__", None)
            if exported is not None:
                found[info.name] = list(exported)
    return found


# members users reach for first, beside each module's __all__
MEMBERS = [
    "sinch_voice.client.VoiceClient.with_options",
    "sinch_voice.client.VoiceClient.for_call",
    "sinch_voice.client.VoiceClient.close",
    "sinch_voice.client.VoiceClient.REGIONS",
    "sinch_voice.client.VoiceClient.calls",
    "sinch_voice.client.VoiceClient.callouts",
    "sinch_voice.client.VoiceClient.conferences",
    "sinch_voice.client.VoiceClient.applications",
    "sinch_voice.webhooks.Dispatcher.handle",
    "sinch_voice.webhooks.Dispatcher.handle_async",
    "sinch_voice.webhooks.Dispatcher.on",
    "sinch_voice.webhooks.Dispatcher.on_unknown",
    "sinch_voice.webhooks.Dispatcher.respond",
    "sinch_voice.webhooks.Dispatcher.respond_async",
    "sinch_voice.webhooks.CallbackRequest.path",
    "sinch_voice.webhooks.CallbackRequest.delivery_key",
    "sinch_voice.testing.LocalPlatform.start",
    "sinch_voice.testing.LocalPlatform.stop",
    "sinch_voice.testing.LocalPlatform.url",
    "sinch_voice.testing.LocalPlatform.join",
    "sinch_voice.testing.LocalPlatform.leave",
    "sinch_voice.testing.LocalPlatform.serve",
    "sinch_voice.testing.Transcript.assert_heard",
    "sinch_voice.testing.Transcript.assert_connected",
    "sinch_voice.testing.Transcript.assert_ended",
    "sinch_voice.testing.Transcript.as_data",
    "sinch_voice.testing.Transcript.entries",
]


@pytest.mark.slow
def test_the_reference_documents_every_public_name_and_no_private_one(site: Path) -> None:
    documented = inventory(site)
    modules = public_modules()
    missing = [
        f"{module}.{name}"
        for module, names in modules.items()
        for name in names
        if f"{module}.{name}" not in documented
    ]
    missing += [member for member in MEMBERS if member not in documented]
    assert not missing, f"{len(missing)} public names missing from the reference: {missing}"
    leaked = [
        name
        for name in documented
        if any(p.startswith("_") and p != "__init__" for p in name.split("."))
        or (
            name.rpartition(".")[0] in modules
            and name.rpartition(".")[2] not in modules[name.rpartition(".")[0]]
            and name not in modules  # a submodule
            and not (DOCS.parent / "generated" / name.replace(".", "/")).is_dir()
        )
    ]
    assert not leaked, f"private names in the reference: {leaked}"


@pytest.mark.slow
def test_the_client_page_shows_the_constructor_and_links_its_types(site: Path) -> None:
    import inspect

    from sinch_voice.client import VoiceClient

    page = (site / "reference" / "client.html").read_text("utf-8")
    parameters = list(inspect.signature(VoiceClient).parameters)
    assert len(parameters) >= 13
    assert [p for p in parameters if f">{p}<" not in page and f"<code>{p}</code>" not in page] == []
    assert page.count('href="models-requests.html#sinch_voice.models.') > 10  # signature_crossrefs


@pytest.mark.slow
def test_the_changelog_page_holds_every_release_of_changelog_md(site: Path) -> None:
    releases = re.findall(r"^## \[([\d.]+)\]", (REPO / "CHANGELOG.md").read_text("utf-8"), re.M)
    assert releases, "CHANGELOG.md names its releases"
    page = (site / "changelog.html").read_text("utf-8")
    assert [r for r in releases if f'id="{r.replace(".", "")}-' not in page] == []
    assert "docs/guide/maintainers.md" not in page  # the file's preamble gives way to the policy


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "source", "marker"),
    [
        ("guide/frameworks.html", "examples/flask_app.py", "def sinch_callback"),
        ("guide/frameworks.html", "examples/django_app.py", "csrf_exempt"),
        ("guide/frameworks.html", "examples/starlette_app.py", "handle_async"),
        ("guide/regenerating.html", "README.md", "### Patch the spec"),
    ],
)
def test_included_files_reach_the_site_as_they_are(
    site: Path, page: str, source: str, marker: str
) -> None:
    import html

    assert marker in (REPO / source).read_text("utf-8")  # the marker is the file's own
    text = html.unescape(re.sub(r"<[^>]+>", "", (site / page).read_text("utf-8")))
    assert marker.lstrip("# ") in text


def test_the_package_metadata_links_the_site_and_names_the_testing_extra() -> None:
    from importlib.metadata import metadata

    config = (REPO / "mkdocs.yml").read_text("utf-8")
    site_url = re.search(r"^site_url: (\S+)", config, re.M)
    repo_url = re.search(r"^repo_url: (\S+)", config, re.M)
    assert site_url
    assert repo_url
    urls = dict(u.split(", ", 1) for u in metadata("sinch-voice").get_all("Project-URL") or [])
    assert urls["Documentation"] == site_url[1]
    assert urls["Changelog"] == site_url[1] + "changelog.html"
    assert urls["Source"] == repo_url[1]
    long_description = (DOCS / "package.md").read_text("utf-8")
    assert 'pip install "sinch-voice[testing]"' in long_description
    assert "sinch_platform" in long_description
