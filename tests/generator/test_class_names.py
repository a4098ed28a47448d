"""Class names for parameters: override keys scoped by their owner, and one name never
standing for two shapes (the IR builders, on small specs)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codegen import ir
from codegen.builders import build_api
from codegen.diagnostics import GenerationError
from codegen.overrides import load_overrides
from codegen.spec import load_yaml


def operation(op_id: str, path: str, state: list[str]) -> str:
    """A GET with an enum query parameter ``state`` of the given values."""
    return f"""\
  {path}:
    get:
      operationId: {op_id}
      parameters:
        - name: state
          in: query
          schema: {{type: string, enum: {state}}}
      responses:
        "204": {{description: Done.}}
"""


def build(folder: Path, operations: str, overrides: str = "", parameters: str = "") -> ir.Api:
    """The IR of a spec with these paths (and ``components.parameters``), or its error."""
    spec_file, override_file = folder / "spec.yaml", folder / "overrides.yaml"
    spec_file.write_text(
        'openapi: 3.1.0\ninfo: {title: T, version: "1"}\npaths:\n'
        + operations
        + "components:\n"
        + (f"  parameters:\n{parameters}" if parameters else "")
        + "  schemas: {}\n",
        encoding="utf-8",
    )
    override_file.write_text(textwrap.dedent(overrides), encoding="utf-8")
    return build_api(load_yaml(spec_file), load_overrides(override_file), "0" * 64)


def enum_values(api: ir.Api) -> dict[str, list[str]]:
    return {e.name: [v.wire for v in e.values] for e in api.enums}


def parameter_type(api: ir.Api, op_id: str) -> ir.TypeRef:
    op = next(o for o in api.operations if o.operation_id == op_id)
    return op.query_params[0].type


def test_same_named_parameters_of_different_shapes_stop_generation_naming_both(
    tmp_path: Path,
) -> None:
    with pytest.raises(GenerationError) as caught:
        build(
            tmp_path,
            operation("listDoors", "/doors", ["a", "b"])
            + operation("listWindows", "/windows", ["x", "y", "z"]),
        )
    (problem,) = caught.value.diagnostics
    assert problem.pointer == "/paths/~1windows/get/parameters/0/schema"
    assert "/paths/~1doors/get/parameters/0/schema" in problem.message
    assert "listWindows(state) or listDoors(state)" in problem.message


def test_same_named_parameters_of_one_shape_share_a_class(tmp_path: Path) -> None:
    api = build(
        tmp_path,
        operation("listDoors", "/doors", ["a", "b"])
        + operation("listWindows", "/windows", ["a", "b"]),
    )
    assert enum_values(api) == {"State": ["a", "b"]}
    assert parameter_type(api, "listDoors") == parameter_type(api, "listWindows")


def test_an_override_key_names_one_operations_parameter(tmp_path: Path) -> None:
    api = build(
        tmp_path,
        operation("listDoors", "/doors", ["a", "b"])
        + operation("listWindows", "/windows", ["x", "y", "z"]),
        "classes:\n  listWindows(state): WindowState\n",
    )
    assert enum_values(api) == {"State": ["a", "b"], "WindowState": ["x", "y", "z"]}
    assert parameter_type(api, "listDoors") == ir.EnumRef("State")
    assert parameter_type(api, "listWindows") == ir.EnumRef("WindowState")


def test_a_shared_parameter_is_named_by_its_component(tmp_path: Path) -> None:
    """Two paths referring to one component parameter build one class, named once."""
    operations = "".join(
        f"""\
  /{kind}/{{leg}}:
    parameters:
      - $ref: "#/components/parameters/leg"
    get:
      operationId: get{kind}
      responses:
        "204": {{description: Done.}}
"""
        for kind in ("doors", "windows")
    )
    parameters = """\
    leg:
      name: leg
      in: path
      required: true
      schema: {type: string, enum: [caller, callee]}
"""
    api = build(tmp_path, operations, "classes:\n  parameters(leg): CallLeg\n", parameters)
    assert enum_values(api) == {"CallLeg": ["caller", "callee"]}
    for op in api.operations:
        assert op.path_params[0].type == ir.EnumRef("CallLeg")


def test_the_old_unscoped_key_is_stale(tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match=r"classes\.parameter:state: the spec has no such"):
        build(
            tmp_path,
            operation("listDoors", "/doors", ["a", "b"]),
            "classes:\n  parameter:state: DoorState\n",
        )


def test_a_path_items_parameter_is_named_by_its_path(tmp_path: Path) -> None:
    operations = """\
  /doors/{leg}:
    parameters:
      - {name: leg, in: path, required: true, schema: {type: string, enum: [left, right]}}
    get:
      operationId: getDoor
      responses:
        "204": {description: Done.}
    delete:
      operationId: deleteDoor
      responses:
        "204": {description: Done.}
"""
    api = build(tmp_path, operations, "classes:\n  /doors/{leg}(leg): DoorLeg\n")
    assert enum_values(api) == {"DoorLeg": ["left", "right"]}
    assert {op.path_params[0].type for op in api.operations} == {ir.EnumRef("DoorLeg")}
