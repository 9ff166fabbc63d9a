"""Acts a text tells as not done, only supposed, or done by one side alone (issue 9, session 9): no
suspension, no agreement. Each text is written for its test."""

from __future__ import annotations

import pytest

from tests.extracting import events_of


def _kinds(extractor, text: str, published: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(e.type, e.status) for e in events_of(extractor, text, published)]


@pytest.mark.parametrize("text", [
    "Juan Manuel Santos did not suspend the talks on Friday, despite the attack.",
    "Neither side suggested on Friday that the negotiations in Havana should be broken off.",
    "The negotiations have not been suspended, a government official said on Friday.",
])
def test_a_suspension_denied_or_supposed_is_none(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [k for k in _kinds(farc, text, "2015-05-22") if k[0] in {"suspension", "talks", "meeting"}] == []


def test_a_suspension_done_is_one(farc) -> None:  # type: ignore[no-untyped-def]
    assert ("suspension", "in_effect") in _kinds(farc, "Juan Manuel Santos suspended the talks on Friday.", "2015-05-22")


@pytest.mark.parametrize("text", [
    "The FARC's unilateral ceasefire took effect on December 20.",
    "The rebels declared a unilateral truce on December 20.",
])
def test_a_unilateral_truce_is_no_agreement(farc, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [k for k in _kinds(farc, text, "2015-01-10") if k[0] == "agreement"] == []


def test_a_bilateral_truce_is_an_agreement(farc) -> None:  # type: ignore[no-untyped-def]
    assert ("agreement", "agreed") in _kinds(farc, "The two delegations agreed a bilateral ceasefire in Havana on Thursday.",
                                             "2016-06-25")


def test_a_view_agreed_is_no_agreement(farc) -> None:  # type: ignore[no-untyped-def]
    view = "The two delegations agreed on Friday that this was a decisive moment for the talks."
    assert [k for k in _kinds(farc, view, "2015-05-23") if k[0] == "agreement"] == []
    deal = "The two delegations agreed on Friday that a truth commission would be created after a final accord."
    assert ("agreement", "agreed") in _kinds(farc, deal, "2015-05-23")


def test_agreeing_to_a_delay_is_no_agreement(farc) -> None:  # type: ignore[no-untyped-def]
    text = "Juan Manuel Santos said on Friday that he had agreed to the delay at the request of the FARC's negotiators."
    assert [k for k in _kinds(farc, text, "2015-05-23") if k[0] == "agreement"] == []
