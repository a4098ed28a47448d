"""The generator as a maintainer meets it: golden output, generate-import-run on tiny
specs, clear stops, and an output folder it manages safely."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen.diagnostics import GenerationError
from codegen.generate import (
    MANIFEST,
    MARKER,
    PACKAGE,
    check_generated,
    generate_package,
    is_build_artefact,
)
from codegen.overrides import load_overrides
from codegen.spec import SpecSource
from tests.golden.update import cases, expected_path, render_case

TINY = Path(__file__).resolve().parents[1] / "golden" / "tiny"


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_golden_output(case: Path, tmp_path: Path) -> None:
    """If this fails after an intended change: python -m tests.golden.update, review, commit."""
    produced = render_case(case, tmp_path)
    expected = sorted(
        str(path.relative_to(case / "expected")).removesuffix(".expected")
        for path in (case / "expected").rglob("*.expected")
    )
    assert sorted(produced) == expected  # an error case must stop, an output case must not
    for name, content in produced.items():
        assert content == expected_path(case, name).read_bytes(), name


def test_committed_generated_folder_matches_a_fresh_generation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert check_generated() == 0, capsys.readouterr().out


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    source = SpecSource(TINY / "spec.yaml", None)
    generate_package(source, first, TINY / "overrides.yaml")
    generate_package(source, second, TINY / "overrides.yaml")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_generation_reads_the_spec_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from codegen import generate

    reads: list[SpecSource | None] = []
    real = generate.effective_spec

    def counted(source: SpecSource | None = None) -> object:
        reads.append(source)
        return real(source)

    monkeypatch.setattr(generate, "effective_spec", counted)
    source = SpecSource(TINY / "spec.yaml", None)
    generate_package(source, tmp_path, TINY / "overrides.yaml")
    assert reads == [source]


def run_in(folder: Path, code: str) -> str:
    """Run ``code`` with ``folder`` first on sys.path (its sinch_voice, not the installed one)."""
    script = f"import sys; sys.path.insert(0, {str(folder)!r})\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_tiny_spec_generates_a_package_that_imports_and_works(tmp_path: Path) -> None:
    generate_package(SpecSource(TINY / "spec.yaml", None), tmp_path, TINY / "overrides.yaml")
    out = run_in(
        tmp_path,
        """
        import sinch_voice as sv
        assert sv.__file__.startswith(sys.path[0]), sv.__file__
        thing = sv.loads(b'{"id": "t1", "from": "x", "when": "2024-01-02T03:04:05", '
                         b'"colour": "Red", "mood": "grumpy", "owner": {"name": "n"}}', sv.Thing)
        assert thing.from_ == "x" and thing.colour is sv.ThingColour.RED_TITLE
        assert thing.mood == "grumpy" and not thing.mood.is_known
        assert thing.when.tzinfo is not None
        assert isinstance(thing.owner, sv.Owner)
        answer = sv.loads(b'{"step": {"name": "jump", "height": 2}}', sv.Answer)
        assert isinstance(answer.step, sv.UnknownStep)
        print(sv.dumps(thing).decode())
        print(sv.dumps(sv.Answer(step=sv.StepWait(seconds=3))).decode())
        # the client signs in the header the spec's security scheme names
        assert sv.VoiceClient.SIGNED_HEADER == "X-Tiny-Signature"
    """,
    )
    assert out.splitlines() == [
        '{"id":"t1","from":"x","when":"2024-01-02T03:04:05Z","colour":"Red","mood":"grumpy",'
        '"owner":{"name":"n"}}',
        '{"step":{"name":"wait","seconds":3}}',
    ]


def write_spec(folder: Path, schemas: str, overrides: str = "") -> tuple[SpecSource, Path]:
    spec = folder / "spec.yaml"
    spec.write_text(
        textwrap.dedent("""\
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
        """)
        + textwrap.indent(textwrap.dedent(schemas), "    "),
        encoding="utf-8",
    )
    override_file = folder / "overrides.yaml"
    override_file.write_text(textwrap.dedent(overrides), encoding="utf-8")
    return SpecSource(spec, None), override_file


def test_an_unmodelled_construct_stops_generation_with_its_pointer(tmp_path: Path) -> None:
    source, overrides = write_spec(
        tmp_path,
        """\
        a:
          type: object
          properties:
            b:
              allOf:
                - type: string
            c:
              type: [string, "null"]
        """,
    )
    with pytest.raises(GenerationError) as caught:
        generate_package(source, tmp_path / "out", overrides)
    message = str(caught.value)
    assert (
        "/components/schemas/a/properties/b/allOf: "
        "the generator does not understand the keyword 'allOf'" in message
    )
    assert (
        "/components/schemas/a/properties/c: the generator does not model type ['string', 'null']"
        in message
    )
    assert not (tmp_path / "out").exists()  # nothing written


def test_an_allow_listed_construct_is_generated_as_any(tmp_path: Path) -> None:
    source, overrides = write_spec(
        tmp_path,
        """\
        a:
          type: object
          properties:
            c:
              type: [string, "null"]
        """,
        """\
        allow:
          /components/schemas/a/properties/c: "nullable text; kept as it comes"
        """,
    )
    generate_package(source, tmp_path / "out", overrides)
    assert "c: Any | Unset = UNSET" in (tmp_path / "out" / PACKAGE / "models.py").read_text()


def test_a_stale_override_stops_generation_naming_it(tmp_path: Path) -> None:
    source, overrides = write_spec(
        tmp_path,
        """\
        a:
          type: object
          properties:
            b: {type: string}
        """,
        """\
        classes:
          gone: Nicer
        words:
          nosuchwire: no_such_wire
        """,
    )
    with pytest.raises(
        GenerationError, match=r"overrides\.yaml classes\.gone: the spec has no such place"
    ):
        generate_package(source, tmp_path / "out", overrides)


def test_an_unknown_section_of_the_override_file_stops_loading(tmp_path: Path) -> None:
    """A misspelt or renamed key would otherwise be ignored, and its behaviour lost."""
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("svaml:\n  unanswered: {ice: hangup}\nnames: {}\n", encoding="utf-8")
    with pytest.raises(GenerationError) as caught:
        load_overrides(overrides)
    assert [str(d) for d in caught.value.diagnostics] == [
        "/names: unknown section in the override file",
        "/svaml/unanswered: unknown section in the override file",
    ]


def test_two_places_claiming_one_class_name_stop_generation(tmp_path: Path) -> None:
    source, overrides = write_spec(
        tmp_path,
        """\
        a:
          type: object
          properties:
            x: {type: object, properties: {p: {type: string}}}
        b:
          type: object
          properties:
            y: {type: object, properties: {q: {type: integer}}}
        """,
        """\
        classes:
          a.x: Shared
          b.y: Shared
        """,
    )
    with pytest.raises(GenerationError) as caught:
        generate_package(source, tmp_path / "out", overrides)
    assert (
        "/components/schemas/b/properties/y: class name Shared is also claimed by "
        "/components/schemas/a/properties/x, which has another shape" in str(caught.value)
    )


def test_the_generator_manages_only_its_own_files(tmp_path: Path) -> None:
    source = SpecSource(TINY / "spec.yaml", None)
    out = tmp_path / "out"
    generate_package(source, out, TINY / "overrides.yaml")
    manifest = (out / MANIFEST).read_text().splitlines()
    assert f"{PACKAGE}/models.py" in manifest
    # a file the generator wrote last time and no longer writes is deleted ...
    (out / PACKAGE / "old_module.py").write_text(MARKER + ". old\n")
    (out / MANIFEST).write_text("\n".join([*manifest, f"{PACKAGE}/old_module.py"]) + "\n")
    # ... but a hand-written file it never listed stays
    (out / PACKAGE / "mine.py").write_text("# hand-written\n")
    generate_package(source, out, TINY / "overrides.yaml")
    assert not (out / PACKAGE / "old_module.py").exists()
    assert (out / PACKAGE / "mine.py").read_text() == "# hand-written\n"


def test_the_generator_refuses_to_overwrite_a_hand_edited_file(tmp_path: Path) -> None:
    source = SpecSource(TINY / "spec.yaml", None)
    out = tmp_path / "out"
    generate_package(source, out, TINY / "overrides.yaml")
    models = out / PACKAGE / "models.py"
    models.write_text("# I edited this by hand\n")
    with pytest.raises(GenerationError, match=r"models\.py exists without the generator's marker"):
        generate_package(source, out, TINY / "overrides.yaml")
    assert models.read_text() == "# I edited this by hand\n"  # untouched


def test_every_generated_file_starts_with_the_marker_and_names_its_source() -> None:
    root = Path(__file__).resolve().parents[2] / "generated"
    for path in root.rglob("*"):
        if path.is_file() and not is_build_artefact(path.relative_to(root)):
            if path.suffix == ".json":  # package data: the marker is its first key
                first, second = json.loads(path.read_text())["x-generated"]
            else:
                first, second = path.read_text().splitlines()[:2]
            assert first.startswith(MARKER), path
            assert second.startswith(("# template: codegen/templates/", "# source: ")), path
