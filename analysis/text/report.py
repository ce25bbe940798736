"""The themes report (DESIGN.md "Report JSON": themes) built from items."""

from collections import Counter
from collections.abc import Mapping
from statistics import fmean

from analysis.agreement import kappa_by_theme, percent_agreement
from analysis.text.pipeline import (
    SENTIMENT_METHOD,
    TAGGING_METHOD,
    ItemError,
    analyse_items,
    emerging,
    quote_candidates,
)
from analysis.text.quotes import NEAR_DUPLICATE_JACCARD, select_quotes

__all__ = ["UnknownThemeError", "build_report"]

AGREEMENT_METHOD = (
    "Cohen's kappa per theme between the automatic tagger and human coders, each theme "
    "coded present/absent per comment, expected agreement from each coder's own "
    "marginals; None when undefined (both never or always used the theme)"
)
EMERGING_METHOD = (
    "noun phrases (English) and stemmed 1-3-grams not covered by any theme, counted as "
    "the number of comments containing them"
)


class UnknownThemeError(ValueError):
    """A theme key (e.g. in human tags) that is not in the codebook."""


def build_report(items, codebook, *, human_tags, lang, quotes, max_quote_length,
                 emerging_min_count, emerging_limit):
    """Build the themes report; see :func:`analysis.themes.themes_report`."""
    records, scans = analyse_items(items, codebook)
    supported = [record for record in records if record["supported"]]
    theme_sets = [{match["theme"] for match in record["themes"]} for record in supported]
    themes = []
    for theme in codebook.themes:
        members = [record for record, found in zip(supported, theme_sets) if theme.key in found]
        themes.append({
            "key": theme.key,
            "label": codebook.label(theme.key, lang),
            "parent": theme.parent,
            "count": len(members),
            "share": len(members) / len(supported) if supported else None,
            "sentiment": _theme_sentiment(members),
            "quotes": select_quotes(quote_candidates(members, theme.key), limit=quotes,
                                    max_length=max_quote_length),
        })
    unsupported = Counter(record["lang"] for record in records if not record["supported"])
    return {
        "n": len(records),
        "n_tagged": sum(1 for found in theme_sets if found),
        "unsupported_languages": dict(sorted(unsupported.items())),
        "themes": themes,
        "agreement": _agreement(records, codebook, human_tags) if human_tags is not None else [],
        "emerging": emerging(records, scans, min_count=emerging_min_count, limit=emerging_limit),
        "methods": {
            "tagging": TAGGING_METHOD,
            "sentiment": f"mean polarity of English comments, {SENTIMENT_METHOD}",
            "quotes": "highest theme score, shortest first; near-duplicates (word-set "
                      f"Jaccard >= {NEAR_DUPLICATE_JACCARD}) skipped; different respondents "
                      "and groups preferred",
            "agreement": AGREEMENT_METHOD,
            "emerging": EMERGING_METHOD,
        },
    }


def _theme_sentiment(members):
    scored = [r["sentiment"] for r in members if r["sentiment"]["available"]]
    if not scored:
        return None
    return {
        "mean_polarity": fmean(s["polarity"] for s in scored),
        "mean_subjectivity": fmean(s["subjectivity"] for s in scored),
        "n": len(scored),
    }


def _human_set(item_id, keys, codebook):
    if isinstance(keys, (str, bytes)) or not hasattr(keys, "__iter__"):
        raise UnknownThemeError(
            f"human tags for item {item_id!r} must be a set or list of theme keys, not {keys!r}"
        )
    keys = set(keys)
    unknown = sorted(str(key) for key in keys if key not in codebook)
    if unknown:
        raise UnknownThemeError(
            f"human tags for item {item_id!r} name {', '.join(unknown)}, which "
            "the codebook does not have; fix the keys or update the codebook"
        )
    return codebook.with_parents(keys)


def _agreement(records, codebook, human_tags):
    if not isinstance(human_tags, Mapping):
        raise UnknownThemeError("human_tags must map item ids to sets of theme keys")
    ids = Counter(record["id"] for record in records)
    duplicated = sorted(str(item_id) for item_id, n in ids.items() if n > 1)
    if duplicated:
        raise ItemError(f"item ids must be unique to compare with human tags: {duplicated}")
    tagger, human = [], []
    for record in records:
        if record["supported"] and record["id"] in human_tags:
            tagger.append({match["theme"] for match in record["themes"]})
            human.append(_human_set(record["id"], human_tags[record["id"]], codebook))
    if not tagger:
        return []
    kappas = kappa_by_theme(tagger, human, codebook.keys)
    return [
        {
            "theme": key,
            "kappa": kappas[key],
            "percent_agreement": percent_agreement([key in s for s in tagger],
                                                   [key in s for s in human]),
            "n": len(tagger),
            "tagger_count": sum(key in s for s in tagger),
            "human_count": sum(key in s for s in human),
        }
        for key in codebook.keys
    ]
