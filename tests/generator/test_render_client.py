"""What ``codegen.render.client`` prepares for the client template, from a small IR."""

from __future__ import annotations

from typing import Any

import attrs

from codegen import ir
from codegen.render import client

from . import small_ir

STR = ir.Primitive("str")
THING = ir.Model(
    name="Thing",
    pointer="#/components/schemas/Thing",
    description="",
    fields=(
        ir.Field("name", "name", STR, required=True),
        ir.Field("note", "note", STR, required=False),
    ),
)
LOOSE = ir.Model(
    name="Loose",
    pointer="#/components/schemas/Loose",
    description="",
    fields=(ir.Field("note", "note", STR, required=False),),
)


def operation(**changes: Any) -> ir.Operation:
    base = ir.Operation(
        operation_id="getThing",
        group="things",
        method_name="get",
        http_method="GET",
        path="/v1/things/{thingId}",
        pointer="/paths/~1v1~1things~1{thingId}/get",
        summary="",
        description="",
        path_params=(ir.Parameter("thingId", "thing_id", "path", STR, required=True),),
        query_params=(),
        header_params=(),
        request_body=None,
        responses=(ir.Response("200", "", ir.Body(ir.ModelRef("Thing"))),),
        servers=(),
    )
    return attrs.evolve(base, **changes)


def api(*models: ir.Model, server: str = "https://calling.api.sinch.com") -> ir.Api:
    return small_ir.small_api(models=models, servers=(ir.Server(server),) if server else ())


def test_a_get_describes_its_request_in_keyword_values() -> None:
    assert client.request_fields(operation()) == [
        ("operation", "'getThing'"),
        ("method", "'GET'"),
        ("path", "'/v1/things/' + path_segment(thing_id, 'thingId')"),
        ("response", "Thing"),
        ("timeout", "timeout"),
    ]


def test_a_post_with_its_own_server_query_headers_and_no_content() -> None:
    post = operation(
        operation_id="putThing",
        http_method="POST",
        path="/v1/things",
        path_params=(),
        query_params=(
            ir.Parameter("tag", "tags", "query", ir.ArrayOf(STR), required=False, explode=True),
        ),
        header_params=(ir.Parameter("X-Trace", "trace", "header", STR, required=False),),
        request_body=ir.Body(ir.ModelRef("Thing")),
        responses=(ir.Response("204", "", None),),
        servers=(ir.Server("https://config.example.test"),),
    )
    fields = dict(client.request_fields(post, body="body_model"))
    assert fields["path"] == "'/v1/things'"
    assert fields["response"] == "NO_CONTENT"
    assert fields["server"] == "'https://config.example.test'"
    assert fields["query"] == "query_pairs([('tag', tags, True)])"
    assert fields["headers"] == "header_values([('X-Trace', trace)])"
    assert fields["body"] == "body_model"


def test_required_body_fields_are_required_in_the_keyword_overload() -> None:
    put = operation(request_body=ir.Body(ir.ModelRef("Thing")))
    whole, keywords = client.overloads(put, api(THING))
    assert whole == "self, thing_id: str, body: Thing, *, timeout: Timeout | None = None"
    assert keywords == (
        "self, thing_id: str, *, name: str, note: str | Unset = UNSET, "
        "timeout: Timeout | None = None"
    )
    # the implementation accepts both ways
    assert client.signature(put, api(THING)) == (
        "self, thing_id: str, body: Thing | None = None, *, name: str | Unset = UNSET, "
        "note: str | Unset = UNSET, timeout: Timeout | None = None"
    )


def test_no_overloads_when_no_field_is_required() -> None:
    loose = operation(request_body=ir.Body(ir.ModelRef("Loose")))
    assert client.overloads(loose, api(LOOSE)) == []
    assert client.overloads(operation(), api(THING)) == []  # no body at all


def test_the_platform_domain_is_the_default_hosts_parent() -> None:
    assert client.platform_domain(api()) == "api.sinch.com"
    assert client.platform_domain(api(server="https://api.example.test")) == "example.test"
    assert client.platform_domain(api(server="")) == ""
