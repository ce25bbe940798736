"""Agreement between coders of the same texts, from their stored tags (``queries.codings``).

Each person's coding of a text is the set of themes they accepted (with the parents of
sub-themes, as the tagger counts them); a person "coded" a text when they left any tag on it,
accepted or rejected. The tagger coded every text in a language the codebook covers.

- tagger and people: Cohen's kappa per theme, one unit per (text, person) pair;
- two people: Cohen's kappa per theme between the first two people who coded a text;
- all coders: Krippendorff's alpha per theme (nominal; the tagger and every person as coders,
  missing where a coder did not code a text), over texts coded by at least two.

The statistics are ``analysis.themes``'; this module only arranges the labels.
"""
from __future__ import annotations

from app.themes.queries import ACCEPTED, AUTO


def _arrange(rows: list[dict], codebook) -> dict:
    """{item: {"lang", "auto": set, "people": {coder: {"themes": set, "first": datetime}}}}."""
    items: dict = {}
    for row in rows:
        entry = items.setdefault(row["item"], {"lang": row["lang"], "auto": set(), "people": {}})
        known = row["theme"] in codebook
        if row["coder"] == AUTO:
            if known and row["status"] == ACCEPTED:
                entry["auto"].add(row["theme"])
            continue
        person = entry["people"].setdefault(row["coder"], {"themes": set(), "first": row["at"]})
        if row["at"] is not None and (person["first"] is None or row["at"] < person["first"]):
            person["first"] = row["at"]
        if known and row["status"] == ACCEPTED:
            person["themes"].add(row["theme"])
    for entry in items.values():
        for person in entry["people"].values():
            person["themes"] = codebook.with_parents(person["themes"])
    return items


def _supported(lang: str | None, languages: set[str]) -> bool:
    from analysis.text.normalise import LanguageError, normalise_lang
    try:
        return normalise_lang(lang or "") in languages
    except LanguageError:
        return False


def _kappa_rows(sets_a: list[set], sets_b: list[set], keys) -> list[dict]:
    from analysis.themes import kappa_by_theme, percent_agreement
    kappas = kappa_by_theme(sets_a, sets_b, keys)
    return [{"theme": key, "kappa": kappas[key],
             "percent_agreement": percent_agreement([key in s for s in sets_a], [key in s for s in sets_b]),
             "n": len(sets_a), "a_count": sum(key in s for s in sets_a), "b_count": sum(key in s for s in sets_b)}
            for key in keys]


def _alpha(items: dict, coders: list[str], supported: dict, key: str) -> tuple[float | None, int]:
    """Krippendorff's alpha for one theme over every coder, and the number of pairable texts."""
    from analysis.themes import InsufficientDataError, krippendorff_alpha
    data = []
    for coder in coders:
        row = []
        for item, entry in items.items():
            if coder == AUTO:
                row.append((key in entry["auto"]) if supported[item] else None)
            else:
                person = entry["people"].get(coder)
                row.append((key in person["themes"]) if person is not None else None)
        data.append(row)
    pairable = sum(1 for values in zip(*data) if sum(v is not None for v in values) >= 2)
    try:
        return krippendorff_alpha(data), pairable
    except InsufficientDataError:
        return None, 0


def agreement(rows: list[dict], codebook) -> dict:
    """``{"tagger_people": [per theme], "people": [per theme], "units": {...}, "coders": n}``.

    Each per-theme row has ``theme, kappa, percent_agreement, n`` (units compared), the two
    sides' counts, and for tagger_people also ``alpha`` and ``alpha_n`` (Krippendorff over all
    coders). Lists are empty when there is nothing to compare.
    """
    items = _arrange(rows, codebook)
    keys = codebook.keys
    languages = set(codebook.languages)
    supported = {item: _supported(entry["lang"], languages) for item, entry in items.items()}
    tagger, people = [], []
    for item, entry in items.items():
        if supported[item]:
            for person in entry["people"].values():
                tagger.append(entry["auto"])
                people.append(person["themes"])
    first, second = [], []
    for entry in items.values():
        if len(entry["people"]) >= 2:
            ordered = sorted(entry["people"].items(), key=lambda kv: (kv[1]["first"] is None, kv[1]["first"], kv[0]))
            first.append(ordered[0][1]["themes"])
            second.append(ordered[1][1]["themes"])
    coders = [AUTO] + sorted({coder for entry in items.values() for coder in entry["people"]})
    tagger_rows = []
    if tagger:
        for row in _kappa_rows(tagger, people, keys):
            row["tagger_count"], row["human_count"] = row.pop("a_count"), row.pop("b_count")
            row["alpha"], row["alpha_n"] = _alpha(items, coders, supported, row["theme"])
            tagger_rows.append(row)
    return {
        "tagger_people": tagger_rows,
        "people": _kappa_rows(first, second, keys) if first else [],
        "units": {"tagger_people": len(tagger), "people": len(first), "texts": len(items)},
        "coders": len(coders) - 1,
    }
