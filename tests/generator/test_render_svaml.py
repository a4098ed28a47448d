"""What ``codegen.render.svaml`` prepares for the SVAML builder template, from a small IR:
the builders, their methods and ``MenuBuilder.menu``."""

from __future__ import annotations

import attrs

from codegen import ir
from codegen.builders import build_api
from codegen.overrides import load_overrides
from codegen.render import svaml
from codegen.spec import SpecSource, effective_spec

from . import small_ir

TEXT = ir.Primitive("str")
NUMBER = ir.Primitive("int")


def field(wire: str, kind: ir.TypeRef = TEXT, *, required: bool = False) -> ir.Field:
    return ir.Field(wire, wire, kind, required)


def tag(value: str) -> ir.Field:
    return ir.Field("name", "name", TEXT, True, tag=value)


MENUS = ir.SvamlMenus(
    fields={"runMenu": "menus"},
    menu="Menu",
    option="MenuOption",
    options_field="options",
    prompt_fields=("main_prompt", "repeat_prompt"),
)


def small_api(menus: ir.SvamlMenus | None = MENUS) -> ir.Api:
    """Two callbacks (ice takes instructions and both actions, dice only hangup), the
    PATCH (hangup), one instruction (say) and an action no answer accepts (park)."""
    models = (
        ir.Model("Svaml", "/s", "", (
            field("instructions", ir.ArrayOf(ir.UnionRef("Instruction"))),
            field("action", ir.UnionRef("Action")),
        )),
        ir.Model("Say", "/say", "Says something.", (
            tag("say"), field("text"), field("locale"),
        )),
        ir.Model("Hangup", "/hangup", "Hangs up.", (tag("hangup"),)),
        ir.Model("Park", "/park", "", (tag("park"), field("holdPrompt"))),
        ir.Model("RunMenu", "/runMenu", "Runs a menu.", (
            tag("runMenu"), field("barge", ir.Primitive("bool")),
            field("menus", ir.ArrayOf(ir.ModelRef("Menu"))),
        )),
        ir.Model("Menu", "/menu", "", (
            field("id", required=True), field("repeats", NUMBER), field("main_prompt"),
            field("options", ir.ArrayOf(ir.ModelRef("MenuOption"))), field("repeat_prompt"),
        )),
        ir.Model("MenuOption", "/option", "", (field("dtmf"), field("action"))),
    )  # fmt: skip
    unions = (
        ir.Union("Action", "/a", "", "name", (
            ir.UnionMember("hangup", "Hangup"), ir.UnionMember("park", "Park"),
            ir.UnionMember("runMenu", "RunMenu"),
        ), "UnknownAction"),
        ir.Union("Instruction", "/i", "", "name", (ir.UnionMember("say", "Say"),),
                 "UnknownInstruction"),
    )  # fmt: skip
    webhooks = (
        ir.Webhook("ice", "ice", "/ice", "Incoming Call Event", "", "IceEvent",
                   ir.ModelRef("Svaml"), ("hangup", "runMenu"), True),
        ir.Webhook("dice", "dice", "/dice", "", "", "DiceEvent",
                   ir.ModelRef("Svaml"), ("hangup",), False),
        ir.Webhook("notify", "notify", "/notify", "Notify", "", "NotifyEvent", None, (), False),
    )  # fmt: skip
    return small_ir.small_api(
        models=models,
        unions=unions,
        webhooks=webhooks,
        action_targets={"hangup": ("ice", "dice", "patch"), "runMenu": ("ice",), "park": ()},
        svaml_model="Svaml",
        action_union="Action",
        instruction_union="Instruction",
        positional={"say": ("text",), "runMenu": ("menus",)},
        svaml_checks=ir.SvamlChecks({}, {"say": ("text",)}, 600, {}, menus),
    )


def test_a_builder_per_callback_that_answers_with_svaml_and_one_for_the_patch() -> None:
    found = svaml.builders(small_api())
    assert [(b.place, b.class_name, b.function) for b in found] == [
        ("ice", "IceResponse", "ice_response"),
        ("dice", "DiceResponse", "dice_response"),
        ("patch", "CallUpdate", "call_update"),
    ]
    ice, dice, patch = found
    assert (ice.actions, ice.instructions, ice.summary) == (
        ("hangup", "runMenu"),
        True,
        "Incoming Call Event",
    )
    assert (dice.actions, dice.instructions, dice.summary) == (("hangup",), False, "dice")
    assert (patch.actions, patch.instructions) == (("hangup",), True)


def test_an_instruction_method_takes_its_positional_fields_first() -> None:
    api = small_api()
    method = svaml.builder_method("say", api.model("Say"), api, "instruction")
    assert method.name == "say"
    assert method.parameters == ("self", "text: str | Unset = UNSET", "/", "*",
                                 "locale: str | Unset = UNSET")  # fmt: skip
    assert method.adds == "_add_instruction"
    assert method.model == "Say"
    # positional values may be builders (built, and so checked, by _value)
    assert method.arguments == (("text", "self._value(text)"), ("locale", "locale"))
    assert method.doc == '"""Says something."""'


def test_an_action_method_without_fields_takes_only_self() -> None:
    api = small_api()
    method = svaml.builder_method("hangup", api.model("Hangup"), api, "action")
    assert (method.name, method.parameters, method.arguments, method.adds) == (
        "hangup",
        ("self",),
        (),
        "_set_action",
    )


def test_the_field_the_ir_names_as_menus_also_takes_a_menu_builder() -> None:
    api = small_api()
    method = svaml.builder_method("runMenu", api.model("RunMenu"), api, "action")
    assert method.parameters[1] == "menus: list[Menu] | MenuBuilder | Unset = UNSET"
    without = small_api(menus=None)
    method = svaml.builder_method("runMenu", without.model("RunMenu"), without, "action")
    assert method.parameters[1] == "menus: list[Menu] | Unset = UNSET"  # a name is not enough


def test_menu_takes_the_id_and_the_main_prompt_then_options_and_the_rest_by_keyword() -> None:
    method = svaml.menu_method(small_api(), MENUS)
    assert method.parameters == (
        "self",
        "id: str",
        "main_prompt: str | Unset = UNSET",
        "*",
        "options: Mapping[str, str] | Iterable[tuple[str, str]] = ()",
        "repeats: int | Unset = UNSET",
        "repeat_prompt: str | Unset = UNSET",
    )
    assert method.id == "id"
    assert method.settings == ("repeats", "main_prompt", "repeat_prompt")


def test_the_context_offers_only_actions_some_answer_accepts() -> None:
    prepared = svaml.context(small_api())
    assert [mixin for mixin, _ in prepared["action_methods"]] == [
        "_HangupAction",
        "_RunMenuAction",
    ]  # park: no answer takes it
    assert [m.name for m in prepared["instruction_methods"]] == ["say"]
    assert (prepared["raw_action"], prepared["raw_instruction"]) == (
        "UnknownAction",
        "UnknownInstruction",
    )
    assert prepared["menus"] is MENUS
    assert prepared["menu_method"] == svaml.menu_method(small_api(), MENUS)
    assert svaml.context(small_api(menus=None))["menu_method"] is None


def test_without_svaml_checks_the_context_has_empty_tables() -> None:
    api = attrs.evolve(small_api(), svaml_checks=None)
    checks = svaml.context(api)["checks"]
    assert (checks.dtmf_fields, checks.text_limits, checks.text_limit, checks.menus) == (
        {},
        {},
        None,
        None,
    )


def test_a_builders_docstring_names_what_its_answer_may_carry() -> None:
    ice, dice, _ = svaml.builders(small_api())
    assert " ".join(svaml.builder_doc(ice).split()) == (
        '""" The answer to Incoming Call Event: instructions and one action, one of '
        '``hangup``, ``run_menu``. """'
    )
    assert svaml.builder_doc(dice) == (
        '"""The answer to dice: one action, no instructions, one of ``hangup``."""'
    )


def test_the_real_spec_gives_run_menu_its_menus_and_the_menu_its_prompts() -> None:
    """The IR builder finds the menus (codegen/builders/callbacks.py), not the renderer."""
    source = SpecSource()
    api = build_api(effective_spec(source), load_overrides(), source.sha256())
    assert api.svaml_checks is not None
    assert api.svaml_checks.text_limit == 600
    assert api.svaml_checks.menus == ir.SvamlMenus(
        fields={"runMenu": "menus"},
        menu="Menu",
        option="MenuOption",
        options_field="options",
        prompt_fields=("main_prompt", "repeat_prompt"),
    )
