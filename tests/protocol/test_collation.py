"""UN alphabetical order: accents folded, names sorted as written (no inversion, no skipped
words), as on the UN's own list of Member States."""

import csv

from django.conf import settings

from convene.protocol.collation import fold, un_sort_key


def _sorted(names):
    return sorted(names, key=un_sort_key)


def test_accents_are_folded():
    assert fold("Côte d'Ivoire") == "cote divoire"
    assert fold("Türkiye") == "turkiye"
    assert _sorted(["Croatia", "Côte d'Ivoire", "Costa Rica"]) == [
        "Costa Rica", "Côte d'Ivoire", "Croatia"]
    assert _sorted(["Turkmenistan", "Türkiye", "Tunisia", "Tuvalu"]) == [
        "Tunisia", "Türkiye", "Turkmenistan", "Tuvalu"]


def test_names_sort_as_written_without_inversion():
    names = ["Republic of Korea", "Democratic Republic of the Congo", "Congo", "Iran (Islamic "
             "Republic of)", "Iraq", "Netherlands (Kingdom of the)", "Nepal", "New Zealand",
             "Democratic People's Republic of Korea", "Denmark", "Qatar", "Romania",
             "United Republic of Tanzania", "Tajikistan", "Uruguay", "Kenya"]
    assert _sorted(names) == [
        "Congo", "Democratic People's Republic of Korea", "Democratic Republic of the Congo",
        "Denmark", "Iran (Islamic Republic of)", "Iraq", "Kenya", "Nepal",
        "Netherlands (Kingdom of the)", "New Zealand", "Qatar", "Republic of Korea", "Romania",
        "Tajikistan", "United Republic of Tanzania", "Uruguay"]


def test_prefixes_hyphens_and_case():
    assert _sorted(["Guyana", "Guinea-Bissau", "Guinea"]) == ["Guinea", "Guinea-Bissau", "Guyana"]
    assert _sorted(["Sudan", "South Sudan", "South Africa", "Spain"]) == [
        "South Africa", "South Sudan", "Spain", "Sudan"]
    assert _sorted(["Niger", "Nigeria", "Nicaragua"]) == ["Nicaragua", "Niger", "Nigeria"]
    assert _sorted(["Sao Tome and Principe", "San Marino", "Samoa", "Saint Lucia"]) == [
        "Saint Lucia", "Samoa", "San Marino", "Sao Tome and Principe"]


def test_the_193_member_states_match_the_un_list_at_its_tricky_places():
    """Positions on the UN's list (un.org/en/about-us/member-states), which is in this order."""
    with open(settings.BASE_DIR / "data" / "un_member_states.csv", encoding="utf-8") as f:
        names = [row["un_name_en"] for row in csv.DictReader(f)]
    order = _sorted(names)
    assert len(order) == 193
    assert order[0] == "Afghanistan" and order[-1] == "Zimbabwe"

    def neighbours(name):
        i = order.index(name)
        return order[i - 1], order[i + 1]

    assert neighbours("Côte d'Ivoire") == ("Costa Rica", "Croatia")
    assert neighbours("Türkiye") == ("Tunisia", "Turkmenistan")
    assert neighbours("Democratic Republic of the Congo") == (
        "Democratic People's Republic of Korea", "Denmark")
    assert neighbours("Republic of Korea") == ("Qatar", "Republic of Moldova")
    assert neighbours("Iran (Islamic Republic of)") == ("Indonesia", "Iraq")
    assert neighbours("Netherlands (Kingdom of the)") == ("Nepal", "New Zealand")
    assert neighbours("United Republic of Tanzania") == (
        "United Kingdom of Great Britain and Northern Ireland", "United States of America")
    assert neighbours("Viet Nam") == ("Venezuela (Bolivarian Republic of)", "Yemen")
