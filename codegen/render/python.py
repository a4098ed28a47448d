"""Python source text from IR values: literals, annotations and docstrings.

Every output module (models, client, webhooks, SVAML) writes these alike.
"""

from __future__ import annotations

import textwrap
from typing import Any

from .. import ir

PRIMITIVE_ANNOTATIONS = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "datetime": "datetime",
    "any": "Any",
}
DOC_WIDTH = 88


def literal(value: Any) -> str:
    """A Python literal for a JSON value."""
    return repr(value)


def with_article(word: str) -> str:
    """``an ice``, ``a dice``: the article by the word's first letter (good enough for
    the callback names)."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def annotation(t: ir.TypeRef) -> str:
    """The Python type of a value of ``t``."""
    if isinstance(t, ir.Primitive):
        return PRIMITIVE_ANNOTATIONS[t.kind]
    if isinstance(t, (ir.ModelRef, ir.EnumRef, ir.UnionRef)):
        return t.name
    if isinstance(t, ir.ArrayOf):
        return f"list[{annotation(t.item)}]"
    return f"dict[str, {annotation(t.value)}]"


def docstring(text: str, indent: int = 4, extra: str = "") -> str:
    """A triple-quoted docstring, wrapped, with the spec's line breaks kept as paragraphs."""
    body = text.strip()
    if extra:
        body = f"{body}\n\n{extra}" if body else extra
    if not body:
        return ""
    pad = " " * indent
    lines: list[str] = []
    for line in body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').splitlines():
        if not line.strip():
            lines.append("")
            continue
        bullet = line.lstrip()
        lead = line[: len(line) - len(bullet)]
        hang = lead + ("  " if bullet.startswith(("- ", "* ")) else "")
        lines.extend(
            textwrap.wrap(
                line,
                width=DOC_WIDTH - indent,
                subsequent_indent=hang,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    if len(lines) == 1 and len(lines[0]) + indent + 6 <= DOC_WIDTH:
        text_line = lines[0]
        if text_line.endswith('"'):
            text_line += " "
        return f'"""{text_line}"""'
    joined = "\n".join(pad + line if line else "" for line in lines)
    return f'"""\n{joined}\n{pad}"""'
