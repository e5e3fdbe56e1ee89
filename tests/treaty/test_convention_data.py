"""The Convention as data (data/treaty/convention.json): structure, final clauses, and the
checks that catch a wrong data file before a depositary relies on it."""

import copy
import json
from datetime import date

import pytest

from convene.treaty import treaty_data
from convene.treaty.treaty_data import TreatyDataError

# Which articles each chapter holds, as the official text has them (C4IR Viet Nam confirms
# 17–21 in II, 31–34 in IV, 35–52 in V, 59–68 in IX; UNTC cites arts 64 and 65).
SPANS = {"I": "1–6", "II": "7–21", "III": "22", "IV": "23–34", "V": "35–52", "VI": "53",
         "VII": "54–56", "VIII": "57–58", "IX": "59–68"}


def test_sixty_eight_articles_in_nine_chapters(convention):
    assert len(convention.chapters) == 9
    assert len(convention.articles) == 68  # not 71, as press reports said
    assert {ch.number: ch.span for ch in convention.chapters} == SPANS


def test_titles_of_articles_the_record_relies_on(convention):
    titles = {a.number: a.title for a in convention.articles}
    assert titles[11] == "Misuse of devices"
    assert titles[41] == "24/7 network"
    assert titles[63] == "Settlement of disputes"
    assert titles[64] == "Signature, ratification, acceptance, approval and accession"
    assert titles[65] == "Entry into force"
    assert titles[68] == "Depositary and languages"
    assert [ch.title for ch in convention.chapters][-1] == "Final provisions"


def test_identity_and_adoption(convention):
    assert convention.short_title == "United Nations Convention against Cybercrime"
    assert convention.concluded_on == date(2024, 12, 24)
    assert "79/243" in convention.adoption
    assert convention.cn_series == "TREATIES-XVIII.16"
    assert convention.notifications[0].number == 196  # C.N.196.2025, opening for signature


def test_final_clauses(clauses):
    assert [(p.place, p.start, p.end) for p in clauses.periods] == [
        ("Hanoi", date(2025, 10, 25), date(2025, 10, 26)),
        ("United Nations Headquarters, New York", date(2025, 10, 27), date(2026, 12, 31)),
    ]
    assert [(k.code, k.mark) for k in clauses.instrument_kinds] == [
        ("ratification", ""), ("acceptance", "A"), ("approval", "AA"), ("accession", "a"),
        ("succession", "d")]
    assert clauses.match_place("New York") == "United Nations Headquarters, New York"
    assert clauses.match_place("hanoi") == "Hanoi" and clauses.match_place("Geneva") is None
    assert clauses.statement_kind("reservation-11-3").when == ("signature", "deposit")
    assert clauses.denunciation_article == "67"


@pytest.fixture
def doc():
    return json.loads(treaty_data.CONVENTION_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("break_it, says", [
    (lambda d: d["chapters"][1]["articles"].pop(3), "without gaps"),
    (lambda d: d["chapters"][2].update(number="IV"), "chapter 3 is numbered 'IV'"),
    (lambda d: d["chapters"][0]["articles"][0].update(title=" "), "without a title"),
    (lambda d: d["final_clauses"]["signature"]["periods"].reverse(), "overlap or are out of "
                                                                     "order"),
    (lambda d: d["final_clauses"]["signature"]["periods"][0].update(until="26 Oct"),
     "not a YYYY-MM-DD date"),
    (lambda d: d["final_clauses"]["entry_into_force"].pop("days_after"), "days_after"),
    (lambda d: d["final_clauses"]["statements"][0].update(when=["never"]), "reservation-11-3"),
])
def test_a_wrong_data_file_is_refused_saying_where(doc, break_it, says):
    broken = copy.deepcopy(doc)
    break_it(broken)
    with pytest.raises(TreatyDataError, match=".*" + says.replace("(", r"\(").replace(")", r"\)")):
        treaty_data.parse(broken)


def test_every_eu_member_state_is_a_un_member_state():
    codes = {line.split(",")[0] for line in
             (treaty_data.DATA_DIR.parent / "un_member_states.csv").read_text().splitlines()[1:]}
    members = treaty_data.reio_members()["EU"]
    assert len(members) == 27 and members <= codes
