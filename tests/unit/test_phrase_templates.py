"""Templates: filled from what is known, degrading gracefully, never a raw placeholder."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assist.phrases.template import KNOWN_PLACEHOLDERS, TemplateError, check, fill, placeholders


@pytest.mark.parametrize("template,values,expected", [
    ("Thanks, {customer_name}.", {}, "Thanks."),
    ("Thanks, {customer_name}.", {"customer_name": "Anna"}, "Thanks, Anna."),
    ("{customer_name}, I'm sorry.", {}, "I'm sorry."),
    ("[{customer_name}, ]thanks for waiting.", {}, "Thanks for waiting."),
    ("[{customer_name}, ]thanks for waiting.", {"customer_name": "Anna"}, "Anna, thanks for waiting."),
    ("I'm checking your order[ {order_id}] now.", {}, "I'm checking your order now."),
    ("I'm checking your order[ {order_id}] now.", {"order_id": "A-1"}, "I'm checking your order A-1 now."),
    ("How is the {product|item} working?", {}, "How is the item working?"),
    ("How is the {product|item} working?", {"product": "kettle"}, "How is the kettle working?"),
    ("Case[ ({ticket_id})] is open.", {}, "Case is open."),
    ("Use {{braces}} and [brackets].", {}, "Use {braces} and [brackets]."),
    ("[I'm {agent_name}, and ]I'll help.", {"agent_name": "Sam"}, "I'm Sam, and I'll help."),
])
def test_fill(template, values, expected):
    assert fill(template, values) == expected


def test_unknown_and_blank_values_count_as_unknown():
    assert fill("Hi {customer_name}!", {"customer_name": "   "}) == "Hi!"
    assert fill("Hi {customer_name}!", {"customer_name": None}) == "Hi!"


def test_values_are_inserted_literally_and_never_expanded_again():
    assert fill("Hi {customer_name}.", {"customer_name": "{agent_name}"}) == "Hi {agent_name}."
    assert fill("Hi {customer_name}.", {"customer_name": "An\x07na"}) == "Hi Anna."


@pytest.mark.parametrize("bad,message", [
    ("Hi {name}", "unknown placeholder {name}"),
    ("Hi {customer_name", "never closed"),
    ("Hi }", "no opening brace"),
    ("Hi {Customer Name}", "not a placeholder"),
    ("Your {product|[x]}", "cannot hold brackets"),
])
def test_malformed_templates_are_refused_with_the_reason(bad, message):
    with pytest.raises(TemplateError, match=message.replace("{", r"\{").replace("[", r"\[")):
        check(bad)


def test_placeholders_lists_the_names_used():
    assert placeholders("[{customer_name}, ]your {product|order} ({order_id})") == {
        "customer_name", "product", "order_id"}


_name = st.sampled_from(sorted(KNOWN_PLACEHOLDERS))
_word = st.text(alphabet="abcdefgh ,.!?'", min_size=0, max_size=12)


@st.composite
def templates(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["word", "slot", "fallback", "segment"]))
        if kind == "word":
            parts.append(draw(_word))
        elif kind == "slot":
            parts.append("{" + draw(_name) + "}")
        elif kind == "fallback":
            parts.append("{" + draw(_name) + "|" + draw(st.text(alphabet="abc ", max_size=5)) + "}")
        else:
            parts.append("[" + draw(_word) + "{" + draw(_name) + "}" + draw(_word) + "]")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(templates(), st.dictionaries(_name, st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=10)))
def test_no_raw_placeholder_ever_reaches_the_customer(template, values):
    check(template)
    out = fill(template, values)
    assert "{" not in out and "}" not in out
    assert out == out.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fill_never_raises_on_any_text(text):
    out = fill(text, {"customer_name": "Anna"})
    assert isinstance(out, str)
