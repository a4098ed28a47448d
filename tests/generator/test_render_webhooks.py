"""What ``codegen.render.webhooks`` prepares for the dispatcher's template, from a small IR."""

from __future__ import annotations

import ast

import attrs

from codegen import ir
from codegen.render import webhooks

from . import small_ir

ICE = ir.Webhook(
    event="ice",
    operation_id="ice",
    pointer="/webhooks/ice/post",
    summary="Incoming Call Event",
    description="",
    request="IceRequest",
    response=ir.ModelRef("Svaml"),
    actions=("connectPstn", "hangup"),
    instructions=True,
    default_action="hangup",
    warn_unanswered=True,
)
NOTIFY = attrs.evolve(
    ICE,
    event="notify",
    pointer="/webhooks/notify/post",
    summary="",
    request="NotifyRequest",
    response=None,
    actions=(),
    instructions=False,
    default_action=None,
    variants=(ir.EventVariant(property="type", value="callingerror", model="NotifyError"),),
)
ACE = attrs.evolve(
    ICE,
    event="ace",
    pointer="/webhooks/ace/post",
    summary="Answered Call Event",
    request="AceRequest",
    actions=("continue",),
    instructions=False,
    default_action=None,
)
ACTIONS = ir.Union(
    name="SvamlAction",
    pointer="/components/schemas/svaml.action",
    description="",
    discriminator="name",
    members=(
        ir.UnionMember("connectPstn", "SvamlActionConnectPstn"),
        ir.UnionMember("continue", "SvamlActionContinue"),
        ir.UnionMember("hangup", "SvamlActionHangup"),
    ),
    unknown="SvamlActionUnknown",
)


def small_api(*hooks: ir.Webhook) -> ir.Api:
    return small_ir.small_api(
        unions=(ACTIONS,), webhooks=hooks, svaml_model="Svaml", action_union="SvamlAction"
    )


def test_a_callback_is_read_into_its_model_then_its_variants() -> None:
    assert webhooks.event_models(ICE) == ["IceRequest"]
    assert webhooks.event_models(NOTIFY) == ["NotifyRequest", "NotifyError"]


def test_the_context_names_the_models_readers_and_default_answers() -> None:
    context = webhooks.context(small_api(ICE, NOTIFY, ACE))
    # events and variants, the SVAML document, and the default actions' models only
    assert context["webhook_names"] == [
        "AceRequest",
        "IceRequest",
        "NotifyError",
        "NotifyRequest",
        "Svaml",
        "SvamlActionHangup",
    ]
    assert context["event_readers"] == ["AceRequest", "IceRequest", "NotifyError", "NotifyRequest"]
    assert context["default_answers"] == {"ice": "SvamlActionHangup"}
    # callbacks answered with SVAML type their handlers' answers by their builder
    assert context["answer_builders"] == {"ice": "IceResponse", "ace": "AceResponse"}


def test_without_callbacks_only_the_svaml_document_is_named() -> None:
    context = webhooks.context(small_api())
    assert context == {
        "webhook_names": ["Svaml"],
        "event_readers": [],
        "answer_builders": {},
        "default_answers": {},
    }


def doc_text(webhook: ir.Webhook) -> str:
    text = webhooks.webhook_doc(webhook)
    value = ast.literal_eval(text.strip())  # a valid string literal, as the template pastes it
    assert isinstance(value, str)
    return " ".join(value.split())


def test_a_registration_docstring_says_what_a_handler_may_answer() -> None:
    assert doc_text(ICE) == (
        "Register ``handler(IceRequest)`` for Incoming Call Event callbacks. It may answer "
        "with these actions: ``connectPstn``, ``hangup``; with instructions. Unregistered, "
        "the dispatcher answers ``hangup``. Spec: ``#/webhooks/ice/post``."
    )
    assert doc_text(ACE) == (
        "Register ``handler(AceRequest)`` for Answered Call Event callbacks. It may answer "
        "with these actions: ``continue``; no instructions. Spec: ``#/webhooks/ace/post``."
    )
    assert doc_text(NOTIFY) == (
        "Register ``handler(NotifyRequest | NotifyError)`` for notify callbacks. Its return "
        "value is ignored; the platform gets ``{}``. Spec: ``#/webhooks/notify/post``."
    )


def test_the_template_filters_are_the_module_functions() -> None:
    filters = webhooks.filters(small_api())
    assert filters["webhook_doc"] is webhooks.webhook_doc
    assert filters["event_models"] is webhooks.event_models
    assert filters["answer_type"]("pie") == "PieAnswer"
    assert filters["with_article"]("ice") == "an ice"
    assert filters["with_article"]("dice") == "a dice"
