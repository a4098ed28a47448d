"""The framework examples, run with each framework's own test client."""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from .helpers import KEY, SECRET, event_body, signed_headers

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], ModuleType]]:
    monkeypatch.setenv("SINCH_APPLICATION_KEY", KEY)
    monkeypatch.setenv("SINCH_APPLICATION_SECRET", SECRET)
    monkeypatch.syspath_prepend(str(EXAMPLES))
    loaded: list[str] = []

    def load(name: str) -> ModuleType:
        loaded.append(name)
        sys.modules.pop(name, None)
        return importlib.import_module(name)

    yield load
    for name in loaded:
        sys.modules.pop(name, None)


def now_signed(body: bytes, path: str) -> dict[str, str]:
    return signed_headers(body, path, when=time.time())


def test_flask_example(example: Callable[[str], ModuleType]) -> None:
    module = example("flask_app")
    client = module.app.test_client()
    body = event_body("ice")
    response = client.post(
        "/sinch/callback", data=body, headers=now_signed(body, "/sinch/callback")
    )
    assert response.status_code == 200
    assert json.loads(response.data)["action"] == {"name": "hangup"}
    tampered = client.post(
        "/sinch/callback", data=body + b" ", headers=now_signed(body, "/sinch/callback")
    )
    assert tampered.status_code == 401


def configure_django() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            ROOT_URLCONF=__name__,
            ALLOWED_HOSTS=["testserver"],
            SECRET_KEY="tests-only",
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        )
        import django

        django.setup()


def django_post(body: bytes) -> object:
    """A signed POST of ``body`` to the example's view, as Django's RequestFactory builds it."""
    from django.test import RequestFactory

    headers = {
        f"HTTP_{k.upper().replace('-', '_')}": v
        for k, v in now_signed(body, "/sinch/callback").items()
        if k.lower() != "content-type"
    }
    return RequestFactory().post(
        "/sinch/callback", data=body, content_type="application/json", **headers
    )


def test_django_example(example: Callable[[str], ModuleType]) -> None:
    configure_django()
    module = example("django_app")
    response = module.sinch_callback(django_post(event_body("ice")))
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "action": {"name": "connectPstn", "number": "+46700000000"}
    }


def test_django_example_answers_413_over_djangos_upload_limit(
    example: Callable[[str], ModuleType],
) -> None:
    """Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE; the platform is told
    413 (too large, do not resend as is), as the dispatcher tells it, not Django's own 400."""
    from django.test import override_settings

    configure_django()
    module = example("django_app")
    body = event_body("ice")
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=len(body) - 1):
        response = module.sinch_callback(django_post(body))
    assert response.status_code == 413
    assert json.loads(response.content) == {"error": "body too large"}


def test_starlette_example_mounted_and_as_a_route(example: Callable[[str], ModuleType]) -> None:
    from starlette.testclient import TestClient

    module = example("starlette_app")
    with TestClient(module.app) as client:
        body = event_body("ace")
        for path in ("/voice/sinch/callback", "/sinch/callback"):
            response = client.post(path, content=body, headers=now_signed(body, path))
            assert response.status_code == 200, path
            assert response.json() == {
                "instructions": [{"name": "say", "text": "Hello!"}],
                "action": {"name": "continue"},
            }
        assert client.get("/sinch/callback").status_code == 405


urlpatterns: list[object] = []  # the Django settings above point ROOT_URLCONF here
