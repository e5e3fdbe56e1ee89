"""The Convention's rules for a request, as plain functions."""

from datetime import date

from convene.cooperation import convention as rules


def _draft(kind, **elements):
    return rules.Draft(kind=kind, requested_state="BBB", language="en", offence="art7",
                       elements=elements)


def test_an_empty_preservation_request_lacks_each_element_of_art_42_with_its_paragraph():
    missing = rules.missing_elements(_draft(rules.PRESERVATION), ["en"])
    by_field = {m.field: m.cite for m in missing}
    assert by_field == {"requesting_authority": "40(15)(a)", "facts_summary": "40(15)(c)",
                        "data_description": "42(2)", "necessity": "42(2)",
                        "intends_mla": "42(2)"}
    # The custodian is asked for only "if known": not required.
    assert "custodian" not in by_field


def test_a_complete_mla_request_lacks_nothing_and_the_person_is_only_where_possible():
    d = _draft(rules.MLA, requesting_authority="x", subject_matter="x", conducting_authority="x",
               facts_summary="x", assistance_sought="x", purpose="x")
    assert rules.missing_elements(d, ["en", "fr"]) == []


def test_language_must_be_one_the_requested_state_accepts():
    d = _draft(rules.SPONTANEOUS, requesting_authority="x", facts_summary="x", information="x")
    d.language = "ru"
    [m] = rules.missing_elements(d, ["en", "fr"])
    assert m.field == "language" and m.cite == "40(14)" and "en, fr" in m.message


def test_a_state_outside_the_directory_cannot_be_addressed():
    d = _draft(rules.SPONTANEOUS, requesting_authority="x", facts_summary="x", information="x")
    [m] = rules.missing_elements(d, None)
    assert m.field == "requested_state" and m.cite == "40(13)"


def test_serious_crime_needs_a_maximum_penalty_of_at_least_four_years():
    d = _draft(rules.SPONTANEOUS)
    d.kind, d.offence = rules.CONTACT_24_7, "serious"
    d.elements = {"requesting_authority": "x", "facts_summary": "x", "assistance_sought": "x",
                  "purpose": "x"}
    d.max_penalty_years = 3
    assert [m.cite for m in rules.missing_elements(d, ["en"])] == ["2(h)"]
    d.max_penalty_years = 4
    assert rules.missing_elements(d, ["en"]) == []


def test_lifecycle_moves_forward_only_by_the_right_side():
    assert rules.next_status(rules.SENT, "acknowledge", "requested") == rules.ACKNOWLEDGED
    for bad in [(rules.SENT, "acknowledge", "requesting"), (rules.DRAFT, "execute", "requested"),
                (rules.EXECUTED, "withdraw", "requesting")]:
        try:
            rules.next_status(*bad)
        except rules.TransitionError:
            continue
        raise AssertionError(bad)
    assert rules.next_status(rules.MORE_INFO, "reply", "requesting") == rules.IN_EXECUTION
    assert rules.next_status(rules.IN_EXECUTION, "consult", "requested") is None


def test_refusal_needs_a_listed_ground_reasons_and_prior_consultation():
    problems = rules.refusal_problems("bank_secrecy", "", consulted=False)
    assert [p.field for p in problems] == ["ground", "reasons", "consultation"]
    assert problems[0].cite == "40(8)"
    assert rules.refusal_problems("essential_interests", "Security.", consulted=True) == []


def test_preservation_lasts_at_least_sixty_days_and_is_extended_by_the_follow_up():
    start = date(2026, 1, 1)
    assert rules.preservation_until(start) == date(2026, 3, 2)
    assert rules.preservation_until(start, 90) == date(2026, 4, 1)
    assert rules.extended_preservation(date(2026, 3, 2), date(2026, 2, 20)) == date(2026, 4, 21)


def test_percentiles_for_the_statistics():
    assert rules.median([1, 2, 3, 4]) == 2.5
    assert rules.percentile(list(range(1, 11)), 90) == 9
    assert rules.median([]) is None
