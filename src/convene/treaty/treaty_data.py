"""A treaty's data file (data/treaty/convention.json): its identity, structure and final clauses.

Read and checked here, in plain Python; `services.load_treaty` puts it in the database. The
structure is checked the way a reader of the official text would: chapters in order, articles
numbered 1 to N without gaps or repeats, every article with a title.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from convene.treaty import final_clauses as fc

DATA_DIR = settings.BASE_DIR / "data" / "treaty"
CONVENTION_FILE = DATA_DIR / "convention.json"
REIO_MEMBERS_FILE = DATA_DIR / "reio_members.json"


class TreatyDataError(ValueError):
    pass


@dataclass(frozen=True)
class Article:
    number: int
    title: str
    # The title was read in a stored copy of the official text (shared/reference/convention.md
    # marks it [V]); an unverified one is shown as such until an organiser confirms it.
    title_verified: bool = False


@dataclass(frozen=True)
class Chapter:
    number: str  # roman numeral, as the official text numbers chapters
    title: str
    articles: tuple[Article, ...]

    @property
    def span(self) -> str:
        return f"{self.articles[0].number}–{self.articles[-1].number}" if len(
            self.articles) > 1 else str(self.articles[0].number)


@dataclass(frozen=True)
class HistoricNotification:
    number: int
    year: int
    issued_on: date
    action: str
    title: str


@dataclass(frozen=True)
class TreatyData:
    code: str
    short_title: str
    title: str
    concluded_at: str
    concluded_on: date
    adoption: str
    official_text: str
    depositary: str
    untc_reference: str
    cn_series: str
    authentic_languages: tuple[str, ...]
    sources: tuple[dict, ...]
    chapters: tuple[Chapter, ...]
    final_clauses: fc.FinalClauses
    raw_final_clauses: dict
    notifications: tuple[HistoricNotification, ...]

    @property
    def articles(self) -> list[Article]:
        return [a for ch in self.chapters for a in ch.articles]


_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]


def parse(doc: dict) -> TreatyData:
    try:
        chapters = tuple(
            Chapter(ch["number"], ch["title"],
                    tuple(Article(int(a["number"]), a["title"].strip(),
                                  bool(a.get("title_verified", False)))
                          for a in ch["articles"]))
            for ch in doc["chapters"])
        notifications = tuple(
            HistoricNotification(int(n["number"]), int(n["year"]),
                                 date.fromisoformat(n["issued_on"]), n["action"], n["title"])
            for n in doc.get("notifications", []))
        data = TreatyData(
            code=doc["code"], short_title=doc["short_title"], title=doc["title"],
            concluded_at=doc["concluded_at"],
            concluded_on=date.fromisoformat(doc["concluded_on"]), adoption=doc["adoption"],
            official_text=doc.get("official_text", ""), depositary=doc["depositary"],
            untc_reference=doc.get("untc_reference", ""), cn_series=doc["cn_series"],
            authentic_languages=tuple(doc.get("authentic_languages", ())),
            sources=tuple(doc.get("sources", ())), chapters=chapters,
            final_clauses=fc.parse(doc["final_clauses"]),
            raw_final_clauses=doc["final_clauses"], notifications=notifications)
    except KeyError as exc:
        raise TreatyDataError(f"missing {exc.args[0]!r}") from None
    except fc.FinalClausesError as exc:
        raise TreatyDataError(str(exc)) from None
    except (TypeError, ValueError) as exc:
        raise TreatyDataError(str(exc)) from None
    _check_structure(data)
    return data


def _check_structure(data: TreatyData) -> None:
    if not data.chapters:
        raise TreatyDataError("chapters: none")
    for i, chapter in enumerate(data.chapters):
        if i >= len(_ROMAN) or chapter.number != _ROMAN[i]:
            raise TreatyDataError(f"chapters: chapter {i + 1} is numbered {chapter.number!r}")
        if not chapter.articles or not chapter.title.strip():
            raise TreatyDataError(f"chapter {chapter.number}: no title or no articles")
    numbers = [a.number for a in data.articles]
    if numbers != list(range(1, len(numbers) + 1)):
        raise TreatyDataError("articles: not numbered 1 to N in order without gaps")
    untitled = [a.number for a in data.articles if not a.title]
    if untitled:
        raise TreatyDataError(f"articles without a title: {untitled}")


def load(path: Path = CONVENTION_FILE) -> TreatyData:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TreatyDataError(f"{path}: {exc}") from None
    try:
        return parse(doc)
    except TreatyDataError as exc:
        raise TreatyDataError(f"{Path(path).name}: {exc}") from None


@lru_cache(maxsize=4)
def reio_members(path: Path = REIO_MEMBERS_FILE) -> dict[str, frozenset[str]]:
    """REIO code -> codes of its member States (data/treaty/reio_members.json)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return {code: frozenset(members) for code, members in doc.items()
            if not code.startswith("_")}
