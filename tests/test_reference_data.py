"""The reference data under data/ and the plain-Python loader (no database needed)."""

import csv
import shutil
from collections import Counter

import pytest
from babel.core import get_global

from convene.directory.reference import (
    UN_LANGUAGES,
    ReferenceDataError,
    cldr_name,
    data_dir,
    load_reference_entities,
)

UN_NAMES_EN = {
    "VNM": "Viet Nam",
    "TUR": "Türkiye",
    "CIV": "Côte d'Ivoire",
    "LAO": "Lao People's Democratic Republic",
    "KOR": "Republic of Korea",
    "PRK": "Democratic People's Republic of Korea",
    "IRN": "Iran (Islamic Republic of)",
    "BOL": "Bolivia (Plurinational State of)",
    "VEN": "Venezuela (Bolivarian Republic of)",
    "TZA": "United Republic of Tanzania",
    "MDA": "Republic of Moldova",
    "RUS": "Russian Federation",
    "SYR": "Syrian Arab Republic",
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "USA": "United States of America",
    "FSM": "Micronesia (Federated States of)",
    "NLD": "Netherlands (Kingdom of the)",
    "CZE": "Czechia",
    "SWZ": "Eswatini",
    "MKD": "North Macedonia",
    "CPV": "Cabo Verde",
    "BRN": "Brunei Darussalam",
    "COD": "Democratic Republic of the Congo",
    "COG": "Congo",
    "GMB": "Gambia (Republic of The)",
    "BHS": "Bahamas",
    "STP": "Sao Tome and Principe",
    "TLS": "Timor-Leste",
    "MMR": "Myanmar",
    "KNA": "Saint Kitts and Nevis",
}


@pytest.fixture(scope="module")
def entities():
    return load_reference_entities()


@pytest.fixture(scope="module")
def by_code(entities):
    return {e.code: e for e in entities}


def test_exactly_193_member_states(entities):
    members = [e for e in entities if e.kind == "member_state"]
    assert len(members) == 193
    assert len({e.code for e in members}) == 193
    assert len({e.iso2 for e in members}) == 193


def test_no_non_members_among_member_states(by_code):
    for code in ("XKX", "TWN", "VAT", "PSE"):  # Kosovo, Taiwan, Holy See, State of Palestine
        assert by_code.get(code) is None or by_code[code].kind != "member_state"


@pytest.mark.parametrize(("code", "name"), sorted(UN_NAMES_EN.items()))
def test_un_english_names(by_code, code, name):
    assert by_code[code].name_en == name
    assert by_code[code].names["en"] == name


def test_viet_nam_in_all_six_languages(by_code):
    names = by_code["VNM"].names
    assert set(names) == set(UN_LANGUAGES)
    assert all(names[lang].strip() for lang in UN_LANGUAGES)
    assert names["fr"] == "Viet Nam"  # CLDR says "Viêt Nam"; the UN does not


def test_every_state_has_all_six_names(entities):
    for e in entities:
        if e.kind in ("member_state", "observer_state"):
            assert set(e.names) == set(UN_LANGUAGES), e.code
            assert all(e.names.values()), e.code


def test_observer_states(by_code, entities):
    observers = {e.code: e for e in entities if e.kind == "observer_state"}
    assert set(observers) == {"VAT", "PSE"}
    assert observers["VAT"].name_en == "Holy See"
    assert observers["PSE"].name_en == "State of Palestine"
    assert observers["PSE"].names["fr"] == "État de Palestine"


def test_eu_is_the_only_reio(entities):
    reios = [e for e in entities if e.kind == "reio"]
    assert [e.code for e in reios] == ["EU"]
    assert reios[0].names == {
        "en": "European Union",
        "fr": "Union européenne",
        "es": "Unión Europea",
        "ru": "Европейский союз",
        "zh": "欧洲联盟",
        "ar": "الاتحاد الأوروبي",
    }


def test_organisations(by_code, entities):
    orgs = [e for e in entities if e.kind in ("reio", "un_system", "igo")]
    assert 25 <= len(orgs) <= 40
    assert by_code["UN"].kind == "un_system"
    assert by_code["UN"].name_en == "United Nations"
    for org in orgs:
        assert org.names["en"] == org.name_en
        assert set(org.names) <= set(UN_LANGUAGES)
        assert org.source, org.code


def test_codes_unique(entities):
    duplicates = [c for c, n in Counter(e.code for e in entities).items() if n > 1]
    assert duplicates == []


def test_codes_agree_with_cldr(entities):
    """iso3 and M49 must name the same territory as iso2 (CLDR's code mappings)."""
    aliases = get_global("territory_aliases")
    rows = _csv_rows("un_member_states.csv") + _csv_rows("observer_states.csv")
    for row in rows:
        assert aliases.get(row["iso3"]) == [row["iso2"]], row
        assert aliases.get(row["m49"]) == [row["iso2"]], row


def test_overrides_differ_from_cldr(by_code):
    """An override equal to CLDR's name is dead weight: the table lists differences only."""
    for row in _csv_rows("un_name_overrides.csv"):
        entity = by_code[row["iso3"]]
        assert row["name"] != cldr_name(entity.iso2, row["lang"]), row
        assert entity.names[row["lang"]] == row["name"]


def test_data_dir_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVENE_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    monkeypatch.delenv("CONVENE_DATA_DIR")
    assert (data_dir() / "un_member_states.csv").is_file()


# --- malformed files -------------------------------------------------------------------------


@pytest.fixture
def copy(tmp_path):
    """A writable copy of data/; returns a function that appends or replaces lines."""
    for name in ("un_member_states.csv", "observer_states.csv", "organisations.csv",
                 "un_name_overrides.csv"):
        shutil.copy(data_dir() / name, tmp_path / name)

    def edit(name, append=None, replace=None):
        path = tmp_path / name
        text = path.read_text(encoding="utf-8")
        if replace:
            assert replace[0] in text
            text = text.replace(replace[0], replace[1], 1)
        if append:
            text += append + "\n"
        path.write_text(text, encoding="utf-8")
        return text.count("\n")  # line number of the last line

    edit.dir = tmp_path
    return edit


def test_copy_loads_unchanged(copy):
    assert len(load_reference_entities(copy.dir)) == len(load_reference_entities())


def test_bad_iso2_names_file_and_line(copy):
    copy("un_member_states.csv", replace=("VNM,VN,704", "VNM,vn,704"))
    line = 1 + _line_of("un_member_states.csv", "VNM,")
    with pytest.raises(ReferenceDataError, match=rf"un_member_states\.csv:{line}: iso2 'vn'"):
        load_reference_entities(copy.dir)


def test_missing_required_value(copy):
    line = copy("observer_states.csv", append="XXA,XA,999,,")
    with pytest.raises(ReferenceDataError, match=rf"observer_states\.csv:{line}: .*un_name_en"):
        load_reference_entities(copy.dir)


def test_too_few_fields(copy):
    line = copy("organisations.csv", append="XYZ,XYZ,igo")
    with pytest.raises(ReferenceDataError, match=rf"organisations\.csv:{line}: expected 10"):
        load_reference_entities(copy.dir)


def test_missing_column(copy):
    copy("un_member_states.csv", replace=("un_name_en", "name"))
    with pytest.raises(ReferenceDataError, match=r"un_member_states\.csv:1: missing column"):
        load_reference_entities(copy.dir)


def test_duplicate_code_across_files(copy):
    line = copy("observer_states.csv", append="FRA,FR,250,France again,")
    with pytest.raises(ReferenceDataError, match=rf"observer_states\.csv:{line}: duplicate code"):
        load_reference_entities(copy.dir)


def test_unknown_organisation_kind(copy):
    line = copy("organisations.csv", append="XYZ,XYZ,club,Some Club,,,,,,x")
    with pytest.raises(ReferenceDataError, match=rf"organisations\.csv:{line}: kind 'club'"):
        load_reference_entities(copy.dir)


def test_override_for_unknown_state(copy):
    line = copy("un_name_overrides.csv", append="XKX,fr,Kosovo,test")
    with pytest.raises(ReferenceDataError, match=rf"un_name_overrides\.csv:{line}: .*'XKX'"):
        load_reference_entities(copy.dir)


def test_override_for_unknown_language(copy):
    line = copy("un_name_overrides.csv", append="FRA,de,Frankreich,test")
    with pytest.raises(ReferenceDataError, match=rf"un_name_overrides\.csv:{line}: .*'de'"):
        load_reference_entities(copy.dir)


def test_duplicate_override(copy):
    line = copy("un_name_overrides.csv", append="VNM,fr,Viêt-nam,test")
    with pytest.raises(ReferenceDataError, match=rf"un_name_overrides\.csv:{line}: duplicate"):
        load_reference_entities(copy.dir)


def _csv_rows(name):
    with (data_dir() / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _line_of(name, prefix):
    """0-based index of the first line of data/<name> starting with prefix."""
    lines = (data_dir() / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(prefix))
