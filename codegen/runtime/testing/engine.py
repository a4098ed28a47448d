"""The call engine: drives one call through an app as the platform does, and records it.

A call is a state machine: the platform sends a callback, checks the SVAML answer against
the spec (JSON Schema, and the actions that callback accepts), carries out its
instructions and its action, which may lead to the next callback (a menu's PIE, a
connected leg's ACE), until the call ends and the DICE is sent. Every step is an entry of
the call's ``Transcript``.

Where the vendor's documentation is silent, this engine chooses, and says so here:

- an ICE or PIE answer that is late (over ``callback_deadline``), not 200, not JSON, or
  not valid SVAML for that callback ends the call: DICE reason ``CALLBACKERROR``, result
  ``FAILED``; the same for an ACE answer lets the call go on (as ``continue``);
- an empty answer (``{}`` or no body) to ICE or PIE leaves the caller to hang up;
- a menu waits for the next scripted press; with none left it times out (PIE ``timeout``);
  digits pressed that no menu read are noted at the end (``unread``);
- ``park`` holds the call until ``calls.update`` gives new SVAML or the park's
  ``maxDuration`` passes (the spec's park action: the hold prompt plays "until the call is
  unparked or until the ``maxDuration`` value is reached"; then the call ends, DICE reason
  ``TIMEOUT``); with no ``maxDuration`` the platform's limit is ``PARK_LIMIT`` seconds;
- a party in a conference stays until kicked or hung up by ``calls.update``;
- ``hold`` is the scripted party's patience: parked or in a conference, it hangs up
  (``CALLERHANGUP``) after ``hold`` seconds; an incoming call placed with ``call`` stays
  ``CONFERENCE_STAY`` seconds in a conference when no ``hold`` is given, so that ``call``
  returns;
- with no callback URL (a callout on a platform with no app), callbacks are not sent and
  the call goes on as if each was answered with nothing (as on Sinch, where callbacks
  are optional): a TTS callout speaks its text, a conference callout joins, a custom
  callout carries out its inline ``ice`` and ``ace``.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import urllib.error
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, Literal, TypeAlias, get_args

import attrs

from .._check import e164_problem
from .._values import format_datetime
from ..webhooks import EVENTS
from . import _schema

Sender = Callable[[bytes], tuple[int, bytes]]
"""Delivers one signed callback body to the app; gives the HTTP status and body."""

PARK_LIMIT = 30.0
"""Seconds a call stays parked when its park action gives no ``maxDuration`` (the
vendor documents none: our choice, long enough for a test to update the call)."""

CONFERENCE_STAY = 0.2
"""Seconds an incoming call placed with ``call`` stays in a conference when no ``hold``
is given (``call`` returns when the call ends)."""

_TICK = 0.05  # how often a waiting call looks for the platform stopping


CalleeAnswer: TypeAlias = Literal["human", "machine", "busy", "no-answer"]
"""How a callee answers: ``human`` or ``machine`` (AMD tells them apart), or not at all
(``busy``, ``no-answer``)."""

CALLEE_ANSWERS: tuple[CalleeAnswer, ...] = get_args(CalleeAnswer)


@attrs.frozen
class Callee:
    """How a connected party behaves: ``human`` or ``machine`` answer (AMD tells them
    apart), ``busy`` or ``no-answer`` do not."""

    answer: CalleeAnswer = "human"

    def __attrs_post_init__(self) -> None:
        if self.answer not in CALLEE_ANSWERS:
            raise ValueError(f"a callee answers {_choices()}, not {self.answer!r}")

    @classmethod
    def parse(cls, text: str) -> Callee:
        """The callee a command line or an ini file names; ``ValueError`` for another word."""
        for answer in CALLEE_ANSWERS:
            if text == answer:
                return cls(answer)
        raise ValueError(f"a callee answers {_choices()}, not {text!r}")


def _choices() -> str:
    return ", ".join(CALLEE_ANSWERS[:-1]) + " or " + CALLEE_ANSWERS[-1]


@attrs.define
class Entry:
    at: float  # seconds since the call started
    kind: str
    text: str
    data: dict[str, Any] = attrs.field(factory=dict)


@attrs.define
class Transcript:
    """What happened on one call: callbacks and answers, prompts spoken, digits pressed,
    legs connected, with times. ``str(transcript)`` reads as text; ``as_data()`` is JSON."""

    call_id: str
    entries: list[Entry] = attrs.field(factory=list)
    started: float = attrs.field(factory=time.monotonic)
    latencies: list[float] = attrs.field(factory=list)  # each callback's answer time (s)

    def add(self, kind: str, text: str, /, **data: Any) -> None:
        self.entries.append(Entry(round(time.monotonic() - self.started, 3), kind, text, data))

    def __str__(self) -> str:
        lines = [f"call {self.call_id}"]
        lines += [f"  {e.at:7.3f}s  {e.kind:<10} {e.text}" for e in self.entries]
        return "\n".join(lines)

    def as_data(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "entries": [attrs.asdict(e) for e in self.entries]}

    # -- what tests ask ------------------------------------------------------------------
    def of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    @property
    def heard(self) -> list[str]:
        """Everything the caller heard: text spoken, files and prompts played."""
        return [
            e.data.get("text", e.text) for e in self.entries if e.kind in ("say", "play", "menu")
        ]

    @property
    def callbacks(self) -> list[dict[str, Any]]:
        """The callbacks sent, in order, as their JSON bodies."""
        return [e.data["body"] for e in self.of("callback")]

    @property
    def dice(self) -> dict[str, Any] | None:
        """The Disconnected Call Event the call ended with."""
        found = [c for c in self.callbacks if c.get("event") == "dice"]
        return found[-1] if found else None

    @property
    def unreachable(self) -> bool:
        """Whether a callback could not reach the app's server at all."""
        return any(e.data.get("unreachable") for e in self.of("callback"))

    @property
    def connected_to(self) -> list[str]:
        return [e.data["to"] for e in self.of("connect") if e.data.get("outcome") == "answered"]

    def assert_heard(self, text: str) -> None:
        if not any(text in heard for heard in self.heard):
            raise AssertionError(f"the caller did not hear {text!r}:\n{self}")

    def assert_connected(self, to: str) -> None:
        if to not in self.connected_to:
            raise AssertionError(f"the call was not connected to {to!r}:\n{self}")

    def assert_ended(self, *, reason: str, result: str | None = None) -> None:
        dice = self.dice or {}
        if dice.get("reason") != reason or (result is not None and dice.get("result") != result):
            raise AssertionError(
                f"the call ended {dice.get('reason')!r}/{dice.get('result')!r}, not "
                f"{reason!r}/{result!r}:\n{self}"
            )


@attrs.define
class Call:
    """A call the platform holds: what ``calls.get`` answers, and the engine's inbox."""

    call_id: str
    application_key: str
    direction: str  # "inbound" or "outbound"
    cli: str
    to: str
    custom: str = ""
    domain: str = "pstn"
    status: str = "ONGOING"
    result: str = "N/A"
    reason: str = "N/A"
    answered: bool = False
    started: float = attrs.field(factory=time.time)
    ended: float | None = None
    legs: list[str] = attrs.field(factory=list)
    cookies: dict[str, str] = attrs.field(factory=dict)
    recording: dict[str, Any] | None = None
    conference: str | None = None
    kicked: threading.Event = attrs.field(factory=threading.Event)
    updates: queue.Queue[dict[str, Any]] = attrs.field(factory=queue.Queue)
    transcript: Transcript | None = None

    @property
    def duration(self) -> int:
        return round((self.ended or time.time()) - self.started)


class CallbackError(Exception):
    """An answer the platform cannot carry out."""


@attrs.define
class Script:
    """What the scripted caller and callees do."""

    presses: list[str] = attrs.field(factory=list)
    callees: Mapping[str, Callee] = attrs.field(factory=dict)  # destination -> behaviour
    default_callee: Callee = Callee()
    hold: float | None = None  # seconds parked or in a conference before hanging up
    callback_deadline: float = 5.0
    conference_stay: float | None = None  # in a conference when no hold is given

    def callee(self, destination: str) -> Callee:
        return self.callees.get(destination, self.default_callee)


class CallEngine:
    """Runs calls for a platform (which keeps the state and the conferences)."""

    def __init__(self, platform: Any, sender: Sender | None, script: Script) -> None:
        """``sender`` None: no callback URL, so no callback is sent (a callout's)."""
        self.platform = platform
        self.send = sender
        self.script = script
        self.presses = list(script.presses)

    # -- a whole call -------------------------------------------------------------------
    def incoming(self, call: Call) -> Transcript:
        transcript = call.transcript = Transcript(call.call_id)
        transcript.add("call", f"incoming from {call.cli} to {call.to}")
        answer = self.ask(call, "ice", self.event(call, "ice"))
        if answer is not None:
            self.carry_out(call, answer, "ice")
        self.end(call, "CALLERHANGUP")
        return transcript

    def outgoing(self, call: Call, callout: Mapping[str, Any]) -> Transcript:
        """A callout: the callee is called; ``tts``, ``conference`` or ``custom`` as asked."""
        transcript = call.transcript = Transcript(call.call_id)
        method = callout.get("method", "")
        details = callout.get(method, {}) if isinstance(callout.get(method), dict) else {}
        transcript.add("call", f"callout ({method}) from {call.cli or '-'} to {call.to}")
        if (details.get("destination") or {}).get("type") == "number":
            self.note_number(call, call.to, "destination.endpoint")
        callee = self.script.callee(call.to)
        if callee.answer in ("busy", "no-answer"):
            transcript.add(
                "connect", f"{call.to}: {callee.answer}", to=call.to, outcome=callee.answer
            )
            self.end(call, "N/A" if callee.answer == "busy" else "TIMEOUT", result=_result(callee))
            return transcript
        call.answered = True
        transcript.add("connect", f"{call.to} answered", to=call.to, outcome="answered")
        custom = method == "customCallout"
        if custom:
            svaml = _embedded(details.get("ice"))
            if svaml is not None:
                self.carry_out(call, svaml, "ice")
        if call.status == "ONGOING" and custom and _embedded(details.get("ace")) is not None:
            self.carry_out(call, _embedded(details.get("ace")), "ace")  # inline: no callback
        elif call.status == "ONGOING" and details.get("enableAce", custom):
            answer = self.ask(call, "ace", self.event(call, "ace"))
            if answer is not None and answer.get("action"):
                self.carry_out(call, answer, "ace")
            elif answer is not None:
                self.instructions(call, answer)
        if call.status == "ONGOING":
            if method == "ttsCallout":
                for text in (details.get("text"), details.get("prompts")):
                    if text:
                        call.transcript.add("say", str(text), text=str(text))
            elif method == "conferenceCallout":
                self.conference(call, {"conferenceId": details.get("conferenceId", "")})
        self.end(call, "CALLEEHANGUP")
        return transcript

    # -- callbacks --------------------------------------------------------------------------
    def event(self, call: Call, name: str, **fields: Any) -> dict[str, Any]:
        """A callback body in the platform's wire form (``callid``, timestamps with Z)."""
        body: dict[str, Any] = {"event": name, "callid": call.call_id}
        if name != "notify":  # notifications carry neither (the Java SDK's fixture)
            body["timestamp"] = format_datetime(datetime.now(timezone.utc))
        body["version"] = 1
        if call.custom:
            body["custom"] = call.custom
        if name != "notify":
            body["applicationKey"] = call.application_key
        if name == "ice":
            body.update(
                callResourceUrl=f"{self.platform.url}/calling/v1/calls/id/{call.call_id}",
                cli=call.cli,
                to={"type": "number", "endpoint": call.to},
                domain=call.domain,
                originationType=call.domain.upper(),
            )
        if call.conference:
            body["conferenceId"] = call.conference
        body.update(fields)
        return body

    def ask(self, call: Call, name: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """Send one callback; the SVAML to carry out, None when there is none to act on
        (or the answer was refused: then the call has ended, for ICE and PIE)."""
        assert call.transcript is not None
        if self.send is None:
            call.transcript.add("unsent", f"{name.upper()} not sent: no callback URL", body=body)
            return None
        raw = json.dumps(body).encode()
        started = time.monotonic()
        unreachable = False
        try:
            status, content = self.send(raw)
        except (urllib.error.URLError, ConnectionError) as error:  # the app's server is down
            status, content, unreachable = 0, str(error)[:200].encode(), True
        except Exception as error:  # the app raised
            status, content = 0, str(error)[:200].encode()
        took = time.monotonic() - started
        call.transcript.latencies.append(took)
        call.transcript.add(
            "callback",
            f"{name.upper()} -> {status or 'no answer'} in {took * 1000:.0f} ms"
            + (f" (unreachable: {content.decode(errors='replace')})" if unreachable else ""),
            body=body,
            unreachable=unreachable,
        )
        if name not in EVENTS or not EVENTS[name].answers:
            return None  # a notification: its answer is not read
        try:
            answer = self.check_answer(name, status, content, took)
        except CallbackError as problem:
            hint = ""
            if status == 401:  # the app does not know the key (or the secret) it was signed with
                hint = (
                    f" (the platform signed with application key {call.application_key!r}:"
                    " give the app that key and its secret, or the platform the app's)"
                )
            call.transcript.add("error", f"{name.upper()} answer refused: {problem}{hint}")
            if name in ("ice", "pie"):
                self.end(call, "CALLBACKERROR", result="FAILED")
            return None
        if answer:
            call.transcript.add("answer", _summary(answer), svaml=answer)
        return answer or None

    def check_answer(self, name: str, status: int, content: bytes, took: float) -> dict[str, Any]:
        if took > self.script.callback_deadline:
            raise CallbackError(
                f"late ({took:.1f} s; the deadline is {self.script.callback_deadline:g} s)"
            )
        if status != 200:
            raise CallbackError(f"HTTP {status or 'failure'}")
        if not content.strip():
            return {}
        try:
            answer = json.loads(content)
        except ValueError:
            raise CallbackError("not JSON") from None
        if not isinstance(answer, dict):
            raise CallbackError("not a JSON object")
        if not answer:
            return {}
        pointer = _schema.answer_pointer(name)
        problems = _schema.problems(pointer, answer) if pointer else []
        if problems:
            raise CallbackError("not valid SVAML: " + "; ".join(problems[:3]))
        info = EVENTS[name]
        action = (answer.get("action") or {}).get("name")
        if action is not None and action not in info.actions:
            raise CallbackError(f"{name.upper()} cannot be answered with {action!r}")
        if answer.get("instructions") and not info.instructions:
            raise CallbackError(f"{name.upper()} cannot be answered with instructions")
        return answer

    # -- carrying out SVAML ----------------------------------------------------------------
    def carry_out(self, call: Call, svaml: dict[str, Any] | None, name: str) -> None:
        while svaml is not None and call.status == "ONGOING":
            self.instructions(call, svaml)
            action = svaml.get("action")
            if not action:
                return
            svaml, name = self.action(call, action, name)

    def instructions(self, call: Call, svaml: Mapping[str, Any]) -> None:
        assert call.transcript is not None
        log = call.transcript.add
        for instruction in svaml.get("instructions") or []:
            kind = instruction.get("name")
            if kind == "say":
                call.answered = True
                log(
                    "say",
                    instruction.get("text", ""),
                    text=instruction.get("text", ""),
                    locale=instruction.get("locale"),
                )
            elif kind == "playFiles":
                call.answered = True
                for item in instruction.get("ids", []):
                    log("play", item, text=item)
            elif kind == "sendDtmf":
                log("dtmf", instruction.get("value", ""))
            elif kind == "setCookie":
                call.cookies[instruction.get("key", "")] = instruction.get("value", "")
                log("cookie", f"{instruction.get('key')}={instruction.get('value')}")
            elif kind == "answer":
                call.answered = True
                log("answer", "the call is answered")
            elif kind == "startRecording":
                call.recording = dict(instruction.get("options") or {})
                log("recording", "recording started", options=call.recording)
            elif kind == "stopRecording":
                self.stop_recording(call)
            else:
                log("unknown", f"instruction {kind!r} ignored")

    def action(
        self, call: Call, action: Mapping[str, Any], name: str
    ) -> tuple[dict[str, Any] | None, str]:
        """Carry out one action; the next SVAML (and the callback it answered), if any."""
        assert call.transcript is not None
        kind = action.get("name")
        if kind == "hangup":
            call.transcript.add("hangup", "the app hung up")
            self.end(call, "MANAGERHANGUP")
            return None, name
        if kind == "continue":
            call.transcript.add("continue", "the call goes on")
            return None, name
        if kind == "runMenu":
            return self.menu(call, action)
        if kind == "park":
            return self.park(call, action)
        if kind == "connectConf":
            self.conference(call, action)
            return None, name
        if kind in ("connectPstn", "connectSip", "connectMxp", "connectStream"):
            return self.connect(call, action)
        call.transcript.add("unknown", f"action {kind!r} not carried out")
        return None, name

    def menu(self, call: Call, action: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
        assert call.transcript is not None
        call.answered = True
        menus = {m.get("id"): m for m in action.get("menus") or []}
        current = action.get("mainMenu") or "main"
        for _ in range(20):  # menus that lead to each other: a bound, not a loop
            menu = menus.get(current, {})
            prompt = menu.get("mainPrompt", "")
            call.transcript.add("menu", f"{current}: {prompt}", text=prompt, menu=current)
            if not self.presses:
                call.transcript.add("timeout", f"nothing pressed at menu {current}")
                result = {"menuId": current, "type": "timeout", "value": "", "inputMethod": "dtmf"}
                break
            digits = self.presses.pop(0)
            call.transcript.add("press", digits, digits=digits, menu=current)
            options = {o.get("dtmf"): o.get("action", "") for o in menu.get("options") or []}
            chosen = options.get(digits) if len(digits) == 1 else None
            if chosen and chosen.startswith("menu("):
                current = chosen[5:-1]
                continue
            if chosen and chosen.startswith("return("):
                result = {
                    "menuId": current,
                    "type": "return",
                    "value": chosen[7:-1],
                    "inputMethod": "dtmf",
                }
            elif menu.get("maxDigits", 1) > 1 or not options:
                result = {
                    "menuId": current,
                    "type": "sequence",
                    "value": digits,
                    "inputMethod": "dtmf",
                }
            else:
                result = {
                    "menuId": current,
                    "type": "invalidinput",
                    "value": digits,
                    "inputMethod": "dtmf",
                }
            break
        else:
            result = {"menuId": current, "type": "error", "value": "", "inputMethod": "dtmf"}
        answer = self.ask(call, "pie", self.event(call, "pie", menuResult=result))
        return answer, "pie"

    def connect(self, call: Call, action: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
        assert call.transcript is not None
        kind = action["name"]
        destination = action.get("destination") or {}
        to = action.get("number") or destination.get("endpoint") or ""
        callee = self.script.callee(to)
        if kind == "connectPstn" and action.get("number"):
            self.note_number(call, action["number"], "connectPstn.number")
        call.transcript.add("dialling", f"{kind} to {to}", to=to, action=kind)
        if callee.answer in ("busy", "no-answer"):
            call.transcript.add("connect", f"{to}: {callee.answer}", to=to, outcome=callee.answer)
            self.end(call, "N/A" if callee.answer == "busy" else "TIMEOUT", result=_result(callee))
            return None, "ace"
        call.answered = True
        call.legs.append(to)
        call.transcript.add(
            "connect", f"{to} answered ({callee.answer})", to=to, outcome="answered"
        )
        fields: dict[str, Any] = {}
        amd = action.get("amd") or {}
        if amd.get("enabled"):
            result = (
                {"status": "machine", "reason": "longgreeting", "duration": 4}
                if callee.answer == "machine"
                else {"status": "human", "reason": "n/a", "duration": 1}
            )
            if amd.get("async"):
                self.ask(call, "notify", self.event(call, "notify", type="amd", amd=result))
            else:
                fields["amd"] = result
            call.transcript.add("amd", f"{result['status']} ({result['reason']})", **result)
        answer = self.ask(call, "ace", self.event(call, "ace", **fields))
        if answer and answer.get("action", {}).get("name") != "continue":
            return answer, "ace"
        if answer:
            self.instructions(call, answer)
        call.transcript.add("talk", f"talking to {to}")
        self.end(call, "CALLEEHANGUP")
        return None, "ace"

    def conference(self, call: Call, action: Mapping[str, Any]) -> None:
        assert call.transcript is not None
        conference = action.get("conferenceId", "")
        call.answered = True
        call.conference = conference
        self.platform.join(conference, call)
        call.transcript.add("conference", f"joined conference {conference}", conference=conference)
        stay = self.script.hold if self.script.hold is not None else self.script.conference_stay
        what, update = self.wait(call, stay, kicked=True)
        self.platform.leave(conference, call)
        if what == "kicked":
            call.transcript.add("kicked", f"removed from conference {conference}")
            self.end(call, "MANAGERHANGUP")
        elif what == "update":
            call.transcript.add("update", _summary(update), svaml=update)
            self.carry_out(call, update, "patch")
            self.end(call, "CALLERHANGUP")
        else:
            self.gave_up(call, what, stay)

    def park(self, call: Call, action: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
        assert call.transcript is not None
        call.answered = True
        call.transcript.add(
            "park", f"parked: {action.get('introPrompt', '')}", hold=action.get("holdPrompt", "")
        )
        limit = action.get("maxDuration") or PARK_LIMIT
        hold = self.script.hold
        what, update = self.wait(call, limit if hold is None else min(hold, limit))
        if what == "update":
            call.transcript.add("update", _summary(update), svaml=update)
            return update, "patch"
        if what == "timeout" and (hold is None or hold >= limit):
            call.transcript.add("unpark", f"parked {limit:g} s, the park's limit: the call ends")
            self.end(call, "TIMEOUT")
        else:
            self.gave_up(call, what, hold)
        return None, "patch"

    def wait(
        self, call: Call, seconds: float | None, *, kicked: bool = False
    ) -> tuple[str, dict[str, Any]]:
        """Wait for an update (``calls.update``), a kick (in a conference), ``seconds``
        (None: no limit) or the platform stopping: which came, and the update if any."""
        ends = None if seconds is None else time.monotonic() + seconds
        stopping: threading.Event | None = getattr(self.platform, "stopping", None)
        while True:
            left = _TICK if ends is None else min(_TICK, ends - time.monotonic())
            try:
                return "update", call.updates.get(timeout=max(left, 0))
            except queue.Empty:
                pass
            if kicked and call.kicked.is_set():
                return "kicked", {}
            if stopping is not None and stopping.is_set():
                return "stopped", {}
            if ends is not None and time.monotonic() >= ends:
                return "timeout", {}

    def gave_up(self, call: Call, what: str, waited: float | None) -> None:
        """The scripted party hangs up after ``waited`` seconds (its patience, ``hold``),
        or as the platform stops."""
        assert call.transcript is not None
        why = "the platform stops" if what == "stopped" else f"after {waited or 0:g} s"
        call.transcript.add("hangup", f"the caller hangs up: {why}")
        self.end(call, "CALLERHANGUP")

    def note_number(self, call: Call, number: str, where: str) -> None:
        """A number that is not E.164 is noted, and used as given (as the client and the
        builder warn: the vendor's own examples show one without '+')."""
        assert call.transcript is not None
        problem = e164_problem(number, where)
        if problem is not None:
            call.transcript.add("warning", problem)

    def stop_recording(self, call: Call) -> None:
        assert call.transcript is not None
        options, call.recording = call.recording, None
        if options is None:
            return
        call.transcript.add("recording", "recording stopped")
        if options.get("notificationEvents"):
            where = options.get("destinationUrl", "")
            for kind in ("recording_finished", "recording_available"):
                extra = {"destination": where} if kind == "recording_available" else {}
                self.ask(call, "notify", self.event(call, "notify", type=kind, **extra))

    def end(self, call: Call, reason: str, *, result: str | None = None) -> None:
        """The call ends (once): the recording stops, the DICE is sent."""
        if call.status != "ONGOING":
            return
        self.stop_recording(call)
        call.status = "FINAL"
        call.ended = time.time()
        call.reason = reason
        call.result = result or ("ANSWERED" if call.answered else "NOANSWER")
        if reason == "CALLBACKERROR":
            call.result = "FAILED"
        assert call.transcript is not None
        if self.presses:
            unread = ", ".join(self.presses)
            call.transcript.add("unread", f"digits pressed that no menu read: {unread}")
        call.transcript.add("end", f"{call.reason} / {call.result}")
        dice = self.event(
            call,
            "dice",
            reason=call.reason,
            result=call.result,
            duration=call.duration,
            to={"type": "number", "endpoint": call.to},
            **({"from": call.cli} if call.cli else {}),
        )
        self.ask(call, "dice", dice)


def new_call_id() -> str:
    return uuid.uuid4().hex


def _result(callee: Callee) -> str:
    return {"busy": "BUSY", "no-answer": "NOANSWER"}.get(callee.answer, "ANSWERED")


def _embedded(value: Any) -> dict[str, Any] | None:
    """SVAML given inline in a custom callout (``ice``, ``ace``): JSON text."""
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            document = json.loads(value)
        except ValueError:
            return None
        return document if isinstance(document, dict) else None
    return None


def _summary(svaml: Mapping[str, Any]) -> str:
    names: Iterable[str] = [i.get("name", "?") for i in svaml.get("instructions") or []]
    action = (svaml.get("action") or {}).get("name")
    return ", ".join([*names, *([f"-> {action}"] if action else [])]) or "(nothing)"
