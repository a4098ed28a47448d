"""The webhook dispatcher's table of callbacks (``webhooks/__init__.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import ir, naming
from .python import docstring, with_article


def filters(api: ir.Api) -> dict[str, Callable[..., Any]]:
    return {
        "webhook_doc": webhook_doc,
        "event_models": event_models,
        "event_reader": naming.event_reader,
        "handler_type": naming.handler_type,
        "answer_type": naming.answer_type,
        "with_article": with_article,
    }


def context(api: ir.Api) -> dict[str, Any]:
    actions = {m.tag: m.model for m in api.members(api.action_union)}
    return {
        "webhook_names": webhook_model_names(api),
        "event_readers": sorted({m for w in api.webhooks for m in event_models(w)}),
        "answer_builders": answer_builders(api),
        "default_answers": {
            w.event: actions[w.default_action] for w in api.webhooks if w.default_action
        },
    }


def webhook_doc(webhook: ir.Webhook) -> str:
    """The docstring of an ``on_<event>`` registration."""
    handler = f"``handler({' | '.join(event_models(webhook))})``"
    if webhook.response is None:
        answer = "Its return value is ignored; the platform gets ``{}``."
    else:
        actions = ", ".join(f"``{a}``" for a in webhook.actions) or "none"
        answer = f"It may answer with these actions: {actions}"
        answer += "; with instructions." if webhook.instructions else "; no instructions."
        if webhook.default_action:
            answer += f" Unregistered, the dispatcher answers ``{webhook.default_action}``."
    summary = f"Register {handler} for {webhook.summary or webhook.event} callbacks."
    return docstring(f"{summary} {answer} Spec: ``#{webhook.pointer}``.", 8)


def answer_builders(api: ir.Api) -> dict[str, str]:
    """Callbacks answered with SVAML -> their builder class (a handler's answer type)."""
    if not api.svaml_model:
        return {}
    return {w.event: naming.builder_class(w.event) for w in api.webhooks if w.response}


def event_models(webhook: ir.Webhook) -> list[str]:
    """The models a callback's body is read into: its own, then its variants'."""
    return [webhook.request, *(v.model for v in webhook.variants)]


def webhook_model_names(api: ir.Api) -> list[str]:
    """The models the webhooks module uses: events, the SVAML answer, default actions."""
    names = {m for w in api.webhooks for m in event_models(w)}
    if api.svaml_model:
        names.add(api.svaml_model)
    defaults = {w.default_action for w in api.webhooks if w.default_action}
    names |= {m.model for m in api.members(api.action_union) if m.tag in defaults}
    return sorted(names)
