"""The SVAML builder: the spec's own examples rebuilt, and what it refuses."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import pytest
import sinch_voice as sv
from sinch_voice.svaml import (
    DiceResponse,
    IceResponse,
    MenuBuilder,
    PromptLengthWarning,
    SvamlBuildError,
    ace_response,
    call_update,
    dice_response,
    goto,
    href,
    ice_response,
    pie_response,
    prompts,
    return_,
    ssml,
    tts,
)

from codegen.spec import effective_spec

from ..wire import assert_same_data

EXAMPLES = effective_spec()["components"]["examples"]


def example(name: str) -> Any:
    return EXAMPLES[name]["value"]


def rendered(builder: Any) -> Any:
    return json.loads(sv.dumps(builder.build()))


REBUILT: dict[str, Callable[[], Any]] = {
    "AcePlayMenuResponse": lambda: ace_response().run_menu(
        MenuBuilder()
        .menu(
            "main",
            tts("This is the main menu. Press 1 for support or 2 to continue to the next menu."),
            options={"1": return_("support"), "2": goto("sub")},
        )
        .menu(
            "sub",
            tts("This is the sub menu. Enter your 4-digit PIN"),
            repeat_prompt=tts("Please enter your 4-digit pin."),
            repeats=3,
            max_digits=4,
        ),
        barge=True,
    ),
    "IceSayResponse": lambda: (
        ice_response().say("Thank you for calling Sinch! This call will now end.").hangup()
    ),
    "AceHangupResponse": lambda: (
        ace_response()
        .say("This is a call from Sinch. This call will now end.", locale="en-US")
        .hangup()
    ),
    "hangup": lambda: ice_response().hangup(),
    "continue": lambda: ace_response().continue_(),
    "connectPstn": lambda: ice_response().connect_pstn(
        "+461234567890",
        locale="en-US",
        max_duration=3000,
        dial_timeout=10,
        cli="+460987654321",
        suppress_callbacks=False,
        indications=sv.Indication.SE,
        amd=sv.AmdOptions(enabled=True),
    ),
    "connectMxp": lambda: ice_response().connect_mxp(
        sv.Destination(type=sv.DestinationType.USERNAME, endpoint="johndoe"),
        call_headers=[sv.CallHeader(key="foo", value="bar"), sv.CallHeader(key="baz", value="qux")],
    ),
    "connectConf": lambda: ice_response().connect_conf("myConference", moh=sv.MusicOnHold.RING),
    "connectSip": lambda: ice_response().connect_sip(
        sv.SipDestination(endpoint="46708000000@sip.foo.com", type="Sip"),
        max_duration=3000,
        cli="private",
        transport=sv.SipTransport.TLS,  # the example writes "tls"; the enum "TLS"
        suppress_callbacks=False,
        call_headers=[sv.CallHeader(key="foo", value="bar"), sv.CallHeader(key="baz", value="qux")],
    ),
    "runMenu": lambda: ice_response().run_menu(
        MenuBuilder()
        .menu(
            "main",
            tts("Welcome to the main menu. Press 1 for support or 2 to continue."),
            options={"1": return_("support"), "2": goto("sub")},
        )
        .menu(
            "sub",
            tts("Welcome to the sub menu. Enter your 4-digit PIN."),
            options={"1": goto("main")},
        ),
        barge=True,
    ),
    "park": lambda: ice_response().park(
        intro_prompt=tts("Welcome"),
        hold_prompt=tts("Thank you for your patience, your call is very important to us."),
        max_duration=180,
    ),
    "playFiles": lambda: ice_response().play_files(["[Welcome]"], locale="en-US"),
    "say": lambda: ice_response().say("Hello, this is a text-to-speech message.", locale="en-US"),
    "sendDtmf": lambda: ace_response().send_dtmf("1234#"),
    "setCookie": lambda: ace_response().set_cookie("cookie_name", "cookie_value"),
    "answer": lambda: ice_response().answer(),
    "startRecording": lambda: ice_response().start_recording(
        options=sv.StartRecordingOptions(
            destination_url="s3://my-bucket/",
            credentials="AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY:eu-central-1",
            notification_events=True,
        )
    ),
    "stopRecording": lambda: ice_response().stop_recording(),
    "hangupExample": lambda: call_update().send_dtmf("1234#").hangup(),
    "parkCallExample": lambda: (
        call_update()
        .send_dtmf("1234#")
        .park(
            intro_prompt=tts("Welcome"),
            hold_prompt=tts("Please wait, you are on hold"),
            max_duration=180,
        )
    ),
}


@pytest.mark.parametrize("name", sorted(REBUILT))
def test_the_spec_examples_rebuilt_with_the_builder_give_the_same_json(name: str) -> None:
    assert_same_data(rendered(REBUILT[name]()), example(name))


def test_every_svaml_example_is_rebuilt() -> None:
    svaml_examples = {
        name
        for name, ex in EXAMPLES.items()
        if isinstance(ex.get("value"), dict) and set(ex["value"]) <= {"instructions", "action"}
    }
    assert svaml_examples <= set(REBUILT)


def test_the_readme_example() -> None:
    built = (
        ice_response().say("Welcome", locale="en-US").connect_pstn("+4612345678", cli="+4687654321")
    )
    assert rendered(built) == {
        "instructions": [{"name": "say", "text": "Welcome", "locale": "en-US"}],
        "action": {"name": "connectPstn", "number": "+4612345678", "cli": "+4687654321"},
    }


def test_builders_offer_only_the_actions_their_callback_accepts() -> None:
    assert hasattr(ice_response(), "connect_pstn")
    assert not hasattr(ace_response(), "connect_pstn")
    assert not hasattr(ice_response(), "continue_")
    assert hasattr(pie_response(), "run_menu")
    assert not hasattr(DiceResponse, "say")  # DICE takes no instructions
    with pytest.raises(SvamlBuildError, match="an ice answer cannot carry the 'continue' action"):
        ice_response().action(sv.SvamlActionContinue())


def test_two_actions_are_refused() -> None:
    with pytest.raises(
        SvamlBuildError, match="one action: it already has 'hangup', cannot add 'park'"
    ):
        ice_response().hangup().park()


@pytest.mark.parametrize("dtmf", ["12a", "1 2", "*", ""])
def test_dtmf_outside_digits_hash_and_w_is_refused(dtmf: str) -> None:
    with pytest.raises(SvamlBuildError, match="may only hold 0-9, '#' and 'w'"):
        ace_response().send_dtmf(dtmf)
    with pytest.raises(SvamlBuildError, match=r"connectPstn\.dtmf"):
        ice_response().connect_pstn("+1", dtmf=dtmf)


def test_ww1234_is_fine() -> None:
    assert (
        rendered(ace_response().send_dtmf("ww1234#w#"))["instructions"][0]["value"] == "ww1234#w#"
    )


def test_menus_need_main_and_options_must_go_somewhere() -> None:
    with pytest.raises(SvamlBuildError, match="needs a menu with id 'main'"):
        MenuBuilder().menu("first", tts("hi")).build()
    with pytest.raises(SvamlBuildError, match="goes to unknown menu 'nowhere'"):
        MenuBuilder().menu("main", tts("hi"), options={"1": goto("nowhere")}).build()
    with pytest.raises(SvamlBuildError, match="must be return_"):
        MenuBuilder().menu("main", tts("hi"), options={"1": "jump"})
    with pytest.raises(SvamlBuildError, match="is not one DTMF key"):
        MenuBuilder().menu("main", tts("hi"), options={"12": return_("x")})
    with pytest.raises(SvamlBuildError, match="needs a menu with id 'main'"):
        ice_response().run_menu([sv.Menu(id="other")])


@pytest.mark.parametrize(
    ("key", "action", "accepted"),
    [
        ("1", "return(x)", True),
        ("#", "menu(main)", True),
        ("*", "return(a)b)", True),  # the value runs to the last parenthesis
        ("1", "return()", False),  # an empty value
        ("1", "menu()", False),
        ("1", "return(a\nb)", False),  # one line only
        ("1", "returns(x)", False),
        ("1", "return(x", False),
        ("", "return(x)", False),
        ("11", "return(x)", False),
        ("w", "return(x)", False),  # a pause is not a key
        ("1\n", "return(x)", False),
    ],
)
def test_menu_options_take_one_key_and_a_return_or_goto(
    key: str, action: str, accepted: bool
) -> None:
    def build() -> Any:
        return MenuBuilder().menu("main", tts("hi"), options={key: action}).build()

    if accepted:
        assert build()[0].options[0].action == action
    else:
        with pytest.raises(SvamlBuildError, match="menu 'main': option"):
            build()


def test_a_goto_across_lines_is_not_read_as_a_menu_target() -> None:
    menu = sv.Menu(id="main", options=[sv.MenuOption(dtmf="1", action="menu(a\nb)")])
    ice_response().run_menu([menu])  # not a goto: nothing to look up
    with pytest.raises(SvamlBuildError, match="goes to unknown menu 'ab'"):
        ice_response().run_menu(
            [sv.Menu(id="main", options=[sv.MenuOption(dtmf="1", action="menu(ab)")])]
        )


def test_a_long_prompt_is_a_warning_not_an_error() -> None:
    long = "x" * 601
    with pytest.warns(PromptLengthWarning, match="601 characters"):
        built = ice_response().say(long)
    assert rendered(built)["instructions"][0]["text"] == long
    menus = MenuBuilder().menu("main", prompts(tts("ok"), tts(long)))
    with pytest.warns(PromptLengthWarning):
        ice_response().run_menu(menus)


def test_the_limit_and_the_menus_checked_are_the_ones_the_spec_gave() -> None:
    """TEXT_LIMIT, MENU_FIELDS and MENU_PROMPT_FIELDS are rendered from the IR, and the
    checks read nothing else: without them, nothing is checked."""
    assert ice_response().TEXT_LIMIT == 600
    assert ice_response().MENU_FIELDS == {"runMenu": "menus"}
    assert ice_response().MENU_PROMPT_FIELDS == ("main_prompt", "repeat_prompt")

    class Unchecked(IceResponse):
        TEXT_LIMIT = None
        MENU_FIELDS: ClassVar[Mapping[str, str]] = {}

    long = "x" * 700
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Unchecked().say(long).run_menu(
            [sv.Menu(id="first", main_prompt=tts(long), options=[])]  # no 'main': unchecked
        )
    limited = type("Limited", (IceResponse,), {"TEXT_LIMIT": 5})
    where = r"runMenu\.menus\.repeat_prompt: .* of 8 characters"
    with pytest.warns(PromptLengthWarning, match=where):
        limited().run_menu(MenuBuilder().menu("main", tts("ok"), repeat_prompt=tts("too long")))


def test_prompt_helpers() -> None:
    assert tts("Hi") == "#tts[Hi]"
    assert ssml("<speak>Hi</speak>") == "#ssml[<speak>Hi</speak>]"
    assert href("https://x.test/a.mp3") == "#href[https://x.test/a.mp3]"
    assert prompts(tts("a"), href("https://x.test/b.mp3")) == "#tts[a];#href[https://x.test/b.mp3]"
    with pytest.raises(SvamlBuildError, match="cannot contain"):
        tts("a]b")
    with pytest.raises(SvamlBuildError, match="needs content"):
        tts("")


def test_the_escape_hatch_passes_an_unknown_action_through_untouched() -> None:
    stream = {
        "name": "connectVideo",
        "destination": {"type": "Websocket", "endpoint": "wss://x"},
        "videoOptions": {"version": 1},
    }
    built = ice_response().say("Connecting").raw_action(stream)
    assert rendered(built) == {
        "instructions": [{"name": "say", "text": "Connecting"}],
        "action": stream,
    }
    assert rendered(ace_response().raw_instruction({"name": "futureThing", "x": 1})) == {
        "instructions": [{"name": "futureThing", "x": 1}]
    }


def test_dice_answers_take_only_hangup() -> None:
    assert rendered(dice_response().hangup()) == {"action": {"name": "hangup"}}
    with pytest.raises(SvamlBuildError, match="cannot carry instructions"):
        dice_response().instruction(sv.SvamlInstructionSay(text="bye"))


def test_a_handler_may_answer_with_a_builder() -> None:
    from sinch_voice.webhooks import Dispatcher

    dispatcher = Dispatcher(verify=False)
    dispatcher.on_ice(lambda event: ice_response().say("Hi").connect_conf("room-1"))
    answer = dispatcher.handle(
        "POST", "/cb", {"content-type": "application/json"}, b'{"event": "ice"}'
    )
    assert answer.status == 200
    assert json.loads(answer.body) == {
        "instructions": [{"name": "say", "text": "Hi"}],
        "action": {"name": "connectConf", "conferenceId": "room-1"},
    }
