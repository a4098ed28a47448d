"""What the SVAML builders share: one action, checked values, prompts and menus.

The generated ``sinch_voice.svaml`` module gives each callback a builder class with a
method per instruction and per action that callback accepts (from the spec). This
module holds the behaviour: it refuses what the platform would reject (two actions, an
action the callback does not accept, DTMF outside ``0-9 # w``, menus without ``main``)
and warns about text-to-speech prompts over the limit the spec states, and about a
``connectPstn`` number that is not E.164 (as the checked writer does: ``_check``). Which fields hold
what (DTMF, prompts, menus) and the limit come from the spec, in the generated classes.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ._check import check_e164
from ._unset import UNSET
from .errors import SinchVoiceError, with_article

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "BaseMenuBuilder",
    "BaseSvamlBuilder",
    "PromptLengthWarning",
    "SvamlBuildError",
    "goto",
    "href",
    "prompts",
    "return_",
    "ssml",
    "tts",
]

DTMF = re.compile(r"[0-9#w]+")
PROMPT = re.compile(r"#(tts|ssml)\[(.*?)\]", re.DOTALL)


class SvamlBuildError(SinchVoiceError, ValueError):
    """The SVAML being built would be rejected by the platform."""


class PromptLengthWarning(UserWarning):
    """A text-to-speech prompt is over the default limit of an account (the spec's)."""


# --- prompts -----------------------------------------------------------------------------


def _element(kind: str, content: str) -> str:
    if not content:
        raise SvamlBuildError(f"#{kind}[...] needs content")
    if "]" in content:
        raise SvamlBuildError(f"#{kind}[...] content cannot contain ']': {content[:40]!r}")
    return f"#{kind}[{content}]"


def tts(text: str) -> str:
    """A text-to-speech prompt: ``#tts[text]``."""
    return _element("tts", text)


def ssml(markup: str) -> str:
    """An SSML prompt: ``#ssml[markup]``."""
    return _element("ssml", markup)


def href(url: str) -> str:
    """A prompt played from a URL: ``#href[url]``."""
    return _element("href", url)


def prompts(*parts: str) -> str:
    """Several prompts played one after another: joined with ``;``."""
    if not parts:
        raise SvamlBuildError("prompts() needs at least one prompt")
    return ";".join(parts)


def return_(value: str) -> str:
    """A menu option that ends the menu and sends ``value`` in a PIE: ``return(value)``."""
    return f"return({value})"


def goto(menu_id: str) -> str:
    """A menu option that moves to another menu: ``menu(menu_id)``."""
    return f"menu({menu_id})"


# --- checks ------------------------------------------------------------------------------


def check_dtmf(value: object, where: str) -> None:
    if isinstance(value, str) and not DTMF.fullmatch(value):
        raise SvamlBuildError(
            f"{where}: DTMF {value!r} may only hold 0-9, '#' and 'w' (a 500 ms pause)"
        )


def check_text_length(
    value: object, where: tuple[str, ...], limit: int, *, plain_text: bool
) -> None:
    """Warn about prompts (and, with ``plain_text``, text to speak) longer than ``limit``.

    ``where`` names the field in parts (``("say", "text")``), joined only for a warning.
    """
    if not isinstance(value, str) or len(value) <= limit:
        return  # no part of it can be longer than the whole
    segments = [m.group(2) for m in PROMPT.finditer(value)]
    if plain_text and not segments:
        segments = [value]
    for segment in segments:
        if len(segment) > limit:
            warnings.warn(
                f"{'.'.join(where)}: a text-to-speech prompt of {len(segment)} characters "
                f"is over the default limit of {limit} (the platform may not play it)",
                PromptLengthWarning,
                stacklevel=4,
            )


def check_menus(menus: object, where: str) -> None:
    if not isinstance(menus, list):
        return
    ids = [getattr(menu, "id", None) for menu in menus]
    if "main" not in ids:
        raise SvamlBuildError(f"{where}: a menu set needs a menu with id 'main' (got {ids})")
    for menu in menus:
        for option in getattr(menu, "options", None) or []:
            target = _goto_target(getattr(option, "action", ""))
            if target is not None and target not in ids:
                raise SvamlBuildError(
                    f"{where}: menu {menu.id!r} option {option.dtmf!r} goes to unknown menu "
                    f"{target!r}"
                )


def _goto_target(action: object) -> str | None:
    """The menu id of a ``menu(id)`` option action, else None."""
    text = action if type(action) is str else str(action)
    if text.startswith("menu(") and text.endswith(")") and "\n" not in text:
        return text[5:-1]
    return None


DTMF_KEYS = frozenset("0123456789#*")


def _is_option_action(text: str) -> bool:
    """``return(value)`` or ``menu(id)``: a non-empty argument on one line."""
    if not text.endswith(")") or "\n" in text:
        return False
    return (text.startswith("return(") and len(text) > 8) or (
        text.startswith("menu(") and len(text) > 6
    )


# --- builders ----------------------------------------------------------------------------


class BaseSvamlBuilder:
    """A chainable SVAML document: instructions in order, then exactly one action.

    Generated subclasses set the class attributes and add the methods.
    """

    PLACE: ClassVar[str] = ""  # the callback (or "patch") this answers
    SVAML: ClassVar[type]  # the SVAML document model
    ACTIONS: ClassVar[frozenset[str]] = frozenset()  # action tags this place accepts
    INSTRUCTIONS: ClassVar[bool] = True
    RAW_ACTION: ClassVar[type]  # the union's "unknown action" class
    RAW_INSTRUCTION: ClassVar[type]
    DTMF_FIELDS: ClassVar[Mapping[str, tuple[str, ...]]] = {}  # tag -> fields holding DTMF
    TEXT_LIMITS: ClassVar[Mapping[str, tuple[str, ...]]] = {}  # tag -> plain TTS text fields
    TEXT_LIMIT: ClassVar[int | None] = None  # characters per prompt, when the spec says
    PROMPT_FIELDS: ClassVar[Mapping[str, tuple[str, ...]]] = {}  # tag -> fields holding prompts
    MENU_FIELDS: ClassVar[Mapping[str, str]] = {}  # tag -> its field holding menus
    MENU_PROMPT_FIELDS: ClassVar[tuple[str, ...]] = ()  # a menu's fields holding prompts
    # tag -> fields holding a phone number the vendor documents as E.164 (see ``_check``)
    E164_FIELDS: ClassVar[Mapping[str, tuple[str, ...]]] = {"connectPstn": ("number",)}

    def __init__(self) -> None:
        self._instructions: list[Any] = []
        self._action: Any = None
        self._built_menus: Any = None  # menus a MenuBuilder checked as it built them

    def __repr__(self) -> str:
        names = [getattr(i, "name", "?") for i in self._instructions]
        action = getattr(self._action, "name", None)
        return f"{type(self).__name__}(instructions={names}, action={action!r})"

    # -- used by the generated methods ---------------------------------------------------
    def _add_instruction(self, instruction: Any) -> Self:
        if not self.INSTRUCTIONS:
            raise SvamlBuildError(f"{with_article(self.PLACE)} answer cannot carry instructions")
        self._check(instruction)
        self._instructions.append(instruction)
        return self

    def _set_action(self, action: Any) -> Self:
        name = getattr(action, "name", None)
        if self._action is not None:
            raise SvamlBuildError(
                f"a SVAML answer carries one action: it already has {self._action.name!r}, "
                f"cannot add {name!r}"
            )
        if not isinstance(action, self.RAW_ACTION) and name not in self.ACTIONS:
            allowed = ", ".join(sorted(self.ACTIONS)) or "none"
            raise SvamlBuildError(
                f"{with_article(self.PLACE)} answer cannot carry the {name!r} action "
                f"(allowed: {allowed})"
            )
        self._check(action)
        self._action = action
        return self

    def _check(self, model: Any) -> None:
        tag = getattr(model, "name", "")
        for field in self.E164_FIELDS.get(tag, ()):
            check_e164(getattr(model, field, UNSET), f"{tag}.{field}")
        for field in self.DTMF_FIELDS.get(tag, ()):
            check_dtmf(getattr(model, field, UNSET), f"{tag}.{field}")
        menus_field = self.MENU_FIELDS.get(tag, "")
        menus: Any = getattr(model, menus_field, UNSET) if menus_field else UNSET
        if menus is not UNSET and menus is not self._built_menus:
            check_menus(menus, tag)
        limit = self.TEXT_LIMIT
        if limit is None:
            return  # the spec states no limit to warn about
        for field in self.TEXT_LIMITS.get(tag, ()):
            text = getattr(model, field, UNSET)
            check_text_length(text, (tag, field), limit, plain_text=True)
        for field in self.PROMPT_FIELDS.get(tag, ()):
            text = getattr(model, field, UNSET)
            check_text_length(text, (tag, field), limit, plain_text=False)
        for menu in menus or []:  # UNSET is false
            for field in self.MENU_PROMPT_FIELDS:
                text = getattr(menu, field, UNSET)
                check_text_length(text, (tag, menus_field, field), limit, plain_text=False)

    def _value(self, value: Any) -> Any:
        """Builders given as arguments (a ``MenuBuilder``) are built (and so checked)."""
        if isinstance(value, BaseMenuBuilder):
            value = self._built_menus = value.build()
        return value

    # -- public --------------------------------------------------------------------------
    def action(self, action: Any) -> Self:
        """Set the action from a model (for actions without a method of their own)."""
        return self._set_action(action)

    def instruction(self, instruction: Any) -> Self:
        """Add an instruction from a model."""
        return self._add_instruction(instruction)

    def raw_action(self, data: Mapping[str, Any]) -> Self:
        """An action the spec does not have yet (e.g. ``connectStream``), passed through
        untouched. ``data`` must carry its ``name``."""
        return self._set_action(_raw(self.RAW_ACTION, data, "action"))

    def raw_instruction(self, data: Mapping[str, Any]) -> Self:
        """An instruction the spec does not have yet, passed through untouched."""
        return self._add_instruction(_raw(self.RAW_INSTRUCTION, data, "instruction"))

    def build(self) -> Any:
        """The SVAML model (``Svaml``), ready for ``dumps`` or a webhook answer."""
        fields: dict[str, Any] = {}
        if self._instructions:
            fields["instructions"] = list(self._instructions)
        if self._action is not None:
            fields["action"] = self._action
        return self.SVAML(**fields)


def _raw(cls: type, data: Mapping[str, Any], kind: str) -> Any:
    """A union's unknown member holding ``data`` as given; it must name itself."""
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise SvamlBuildError(f"a raw {kind} needs a string 'name'")
    return cls(name=name, data=dict(data))


class BaseMenuBuilder:
    """Menus for ``runMenu``: ``menu(id, prompt, options={"1": return_("x"), "2": goto("b")})``.

    The generated subclass sets the models and offers ``menu`` with the menu's fields.
    """

    MENU: ClassVar[type]
    OPTION: ClassVar[type]

    def __init__(self) -> None:
        self._menus: list[Any] = []
        self._ids: set[str] = set()
        self._gotos: list[tuple[str, str, str]] = []  # (menu, key, target) of menu(...) options

    def _add_menu(
        self,
        id: str,
        options: Mapping[str, str] | Iterable[tuple[str, str]],
        **settings: Any,
    ) -> Self:
        """Add a menu; ``options`` maps a DTMF key to ``return_(value)`` or ``goto(menu)``."""
        if id in self._ids:
            raise SvamlBuildError(f"there is already a menu {id!r}")
        # dict first: a plain dict needs no ABC check
        pairs = options.items() if isinstance(options, (dict, Mapping)) else options
        built = []
        for key, action in pairs:
            if key not in DTMF_KEYS:
                raise SvamlBuildError(f"menu {id!r}: option key {key!r} is not one DTMF key")
            if not _is_option_action(action if type(action) is str else str(action)):
                raise SvamlBuildError(
                    f"menu {id!r}: option {key!r} must be return_(value) or goto(menu), "
                    f"not {str(action)!r}"
                )
            built.append(self.OPTION(dtmf=key, action=action))
            target = _goto_target(action)
            if target is not None:
                self._gotos.append((id, key, target))
        menu = self.MENU(id=id, options=built or UNSET, **settings)
        self._menus.append(menu)
        self._ids.add(id)
        return self

    def build(self) -> list[Any]:
        """The menus; refuses a set without ``main`` or options that go nowhere (what
        ``check_menus`` refuses, from what ``menu`` noted: the menus are this builder's)."""
        if "main" not in self._ids:
            ids = [menu.id for menu in self._menus]
            raise SvamlBuildError(f"menus: a menu set needs a menu with id 'main' (got {ids})")
        for menu_id, key, target in self._gotos:
            if target not in self._ids:
                raise SvamlBuildError(
                    f"menus: menu {menu_id!r} option {key!r} goes to unknown menu {target!r}"
                )
        return list(self._menus)
