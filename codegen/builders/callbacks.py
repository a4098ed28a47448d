"""Webhooks into callbacks, and the SVAML tables: which action answers where, and the
rules the spec states in prose (DTMF characters, the text-to-speech limit, prompts)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import ir
from ..diagnostics import pointer
from .context import JSON, JSON_MEDIA, Context
from .operations import OperationBuilder
from .schemas import SchemaBuilder

# Facts the spec states in field descriptions, read once here.
DTMF_DESCRIPTION = re.compile(r"0\W{0,3}-\W{0,3}9\W{1,12}#\W{1,12}(and\W{1,4})?w\b")
TEXT_LIMIT_DESCRIPTION = re.compile(
    r"maximum length is (\d+) characters|maximum characters allowed[^.]*? (\d+) characters"
)
PROMPT_DESCRIPTION = re.compile(r"#tts\[")
AVAILABLE_IN = re.compile(r"Available to use in a response to (.+?)(?:\.\s|\.$)")
# runMenu's menus: a list of menu objects, each with a list of option objects
MENUS_WIRE, OPTIONS_WIRE = "menus", "options"


class CallbackBuilder:
    def __init__(
        self, context: Context, schemas: SchemaBuilder, operations: OperationBuilder
    ) -> None:
        self.context = context
        self.schemas = schemas
        self.operations = operations
        self.raw: dict[str, JSON] = context.spec.get("webhooks", {})
        self.svaml: ir.TypeRef | None = self.svaml_type()
        self.actions = self.union_in_svaml("action")
        self.instructions = self.union_in_svaml("instructions")

    # -- the SVAML document ---------------------------------------------------------------
    def svaml_type(self) -> ir.TypeRef | None:
        """The type callbacks answer with: the first webhook 200 body that has a schema."""
        for event, item in self.raw.items():
            content = item.get("post", {}).get("responses", {}).get("200", {}).get("content", {})
            schema = content.get(JSON_MEDIA, {}).get("schema")
            if schema is not None:
                return self.schemas.type_of(
                    schema, f"{event}Answer", pointer("webhooks", event), "Answer"
                )
        return None

    def union_in_svaml(self, wire: str) -> ir.Union | None:
        """The union of the SVAML ``action`` or of the items of ``instructions``."""
        if not isinstance(self.svaml, ir.ModelRef):
            return None
        for field in self.schemas.models[self.svaml.name].fields:
            if field.wire_name != wire:
                continue
            kind = field.type.item if isinstance(field.type, ir.ArrayOf) else field.type
            if isinstance(kind, ir.UnionRef):
                return self.schemas.unions[kind.name]
        return None

    # -- where each action answers --------------------------------------------------------
    def action_targets(self) -> dict[str, tuple[str, ...]]:
        """Action tag -> the callbacks (and ``patch``) whose answer may carry it: the
        action's "Available to use in a response to ..." sentence, plus overrides.yaml."""
        by_summary = {item.get("post", {}).get("summary", ""): e for e, item in self.raw.items()}
        targets: dict[str, list[str]] = {}
        for member in self.actions.members if self.actions else ():
            description = self.schemas.models[member.model].description
            targets[member.tag] = _events_in(description, by_summary)
        for tag, places in self.context.overrides.answers.items():
            self.context.usage.lookup("answers", tag)
            if tag not in targets:
                self.context.problem("", f"overrides.yaml svaml.answers: no SVAML action {tag!r}")
                continue
            for place in places:
                if place not in self.raw and place != "patch":
                    self.context.problem(
                        "",
                        f"overrides.yaml svaml.answers.{tag}: no callback {place!r} "
                        f"(known: {sorted(self.raw)} and patch)",
                    )
                elif place not in targets[tag]:
                    targets[tag].append(place)
        return {tag: tuple(places) for tag, places in targets.items()}

    # -- callbacks ------------------------------------------------------------------------
    def webhooks(self, targets: dict[str, tuple[str, ...]]) -> tuple[ir.Webhook, ...]:
        overrides = self.context.overrides
        for event in (
            *overrides.no_instructions,
            *overrides.answer_with_svaml,
            *overrides.default_actions,
            *overrides.warn_unanswered,
        ):
            if event not in self.raw:
                self.context.problem("", f"overrides.yaml svaml: no callback {event!r}")
        for event, tag in overrides.default_actions.items():
            if event not in targets.get(tag, ()):
                self.context.problem(
                    "",
                    f"overrides.yaml svaml.default_actions.{event}: {tag!r} is not an action that "
                    "callback accepts",
                )
        out = []
        for event, item in self.raw.items():
            webhook = self.webhook(event, item, targets)
            if webhook is not None:
                out.append(webhook)
        return tuple(out)

    def webhook(
        self, event: str, item: JSON, targets: dict[str, tuple[str, ...]]
    ) -> ir.Webhook | None:
        op = item.get("post")
        at = pointer("webhooks", event, "post")
        if op is None:
            self.context.problem(pointer("webhooks", event), "webhooks must be POST")
            return None
        request = self.operations.body(
            op.get("requestBody", {}), at + "/requestBody", f"{event}Request"
        )
        if request is None or not isinstance(request.type, ir.ModelRef):
            self.context.problem(at, "a webhook needs an object request body")
            return None
        answer = self.operations.body(
            op.get("responses", {}).get("200", {}), at + "/responses/200", f"{event}Answer"
        )
        response = answer.type if answer is not None else None
        overrides = self.context.overrides
        if response is None and event in overrides.answer_with_svaml:
            response = self.svaml
        return ir.Webhook(
            event=event,
            operation_id=op.get("operationId", event),
            pointer=at,
            summary=op.get("summary", "").strip(),
            description=op.get("description", "").strip(),
            request=request.type.name,
            response=response,
            actions=tuple(tag for tag, places in targets.items() if event in places)
            if response
            else (),
            instructions=response is not None and event not in overrides.no_instructions,
            default_action=overrides.default_actions.get(event),
            warn_unanswered=event in overrides.warn_unanswered,
            variants=self.event_variants(event, at),
        )

    def event_variants(self, event: str, at: str) -> tuple[ir.EventVariant, ...]:
        """The other models a callback's body may be (overrides.yaml ``events``)."""
        by_property = self.context.usage.lookup("events", event) or {}
        out = []
        for prop, values in by_property.items():
            for value, schema in values.items():
                target = self.schemas.component(schema) if schema in self.context.schemas else None
                if not isinstance(target, ir.ModelRef):
                    self.context.problem(
                        at,
                        f"overrides.yaml events.{event}.{prop}.{value}: "
                        f"no object schema {schema!r}",
                    )
                    continue
                out.append(ir.EventVariant(property=prop, value=value, model=target.name))
        return tuple(out)

    # -- the SVAML builder's tables ---------------------------------------------------------
    def builder_positional(self) -> dict[str, tuple[str, ...]]:
        """The builder's positional arguments, checked against the SVAML models."""
        members = self._members()
        out = {}
        for tag, wires in self.context.overrides.positional.items():
            model = members.get(tag)
            if model is None:
                self.context.problem(
                    "",
                    f"overrides.yaml svaml.positional.{tag}: no such SVAML action or instruction",
                )
                continue
            fields = {f.wire_name: f.py_name for f in model.fields}
            missing = [w for w in wires if w not in fields]
            if missing:
                self.context.problem(
                    "",
                    f"overrides.yaml svaml.positional.{tag}: {model.name} has no field "
                    f"{', '.join(missing)}",
                )
                continue
            out[tag] = tuple(fields[w] for w in wires)
        return out

    def svaml_checks(self) -> ir.SvamlChecks:
        members = self._members()
        limits = [
            int(next(g for g in match.groups() if g))
            for model in members.values()
            for field in model.fields
            for match in [TEXT_LIMIT_DESCRIPTION.search(field.description)]
            if match
        ]
        return ir.SvamlChecks(
            dtmf_fields=_fields_matching(members.items(), DTMF_DESCRIPTION),
            text_limits=_fields_matching(members.items(), TEXT_LIMIT_DESCRIPTION),
            text_limit=min(limits) if limits else None,
            prompt_fields=_fields_matching(members.items(), PROMPT_DESCRIPTION),
            menus=self.svaml_menus(members),
        )

    def svaml_menus(self, members: dict[str, ir.Model]) -> ir.SvamlMenus | None:
        """The members that take menus, the menu and option models, and the menu's
        prompt fields (its main prompt first): what ``MenuBuilder`` is generated from."""
        fields: dict[str, str] = {}
        found: tuple[ir.Model, ir.Field, ir.Model] | None = None
        for tag, model in members.items():
            for field in model.fields:
                menus = self._menus_in(field)
                if menus is None:
                    continue
                if found is not None and found[0].name != menus[0].name:
                    self.context.problem(
                        model.pointer,
                        f"{tag}'s menus are {menus[0].name}, where others are {found[0].name}",
                    )
                    continue
                fields[tag], found = field.py_name, menus
        if found is None:
            return None
        menu, options, option = found
        return ir.SvamlMenus(
            fields=fields,
            menu=menu.name,
            option=option.name,
            options_field=options.py_name,
            prompt_fields=tuple(
                f.py_name for f in menu.fields if PROMPT_DESCRIPTION.search(f.description)
            ),
        )

    def _menus_in(self, field: ir.Field) -> tuple[ir.Model, ir.Field, ir.Model] | None:
        """(menu model, its options field, option model) when ``field`` holds menus: a
        list of objects named ``menus``, each with a list of objects named ``options``."""
        menu = self._listed_model(field) if field.wire_name == MENUS_WIRE else None
        for options in menu.fields if menu is not None else ():
            option = self._listed_model(options) if options.wire_name == OPTIONS_WIRE else None
            if menu is not None and option is not None:
                return menu, options, option
        return None

    def _listed_model(self, field: ir.Field) -> ir.Model | None:
        """The model of a field that is a list of objects, else None."""
        kind = field.type
        if isinstance(kind, ir.ArrayOf) and isinstance(kind.item, ir.ModelRef):
            return self.schemas.models.get(kind.item.name)
        return None

    def _members(self) -> dict[str, ir.Model]:
        """Every SVAML action and instruction by tag."""
        unions = [u for u in (self.actions, self.instructions) if u is not None]
        return {m.tag: self.schemas.models[m.model] for u in unions for m in u.members}


def _fields_matching(
    members: Iterable[tuple[str, ir.Model]], rule: re.Pattern[str]
) -> dict[str, tuple[str, ...]]:
    found = {}
    for tag, model in members:
        names = tuple(f.py_name for f in model.fields if rule.search(f.description))
        if names:
            found[tag] = names
    return found


def _events_in(description: str, by_summary: dict[str, str]) -> list[str]:
    """Callbacks named in "Available to use in a response to ..." of an action's description."""
    match = AVAILABLE_IN.search(description)
    if not match:
        return []
    sentence = match.group(1)
    return [event for summary, event in by_summary.items() if summary and summary in sentence]
