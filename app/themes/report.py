"""The themes report: route → filters → tags aggregated in SQL (app.themes.queries) →
analysis.themes for quotes, emerging phrases and agreement → one dict, for the page, the
CSV/XLSX tables and ``GET /api/v1/reports/themes`` (DESIGN.md shape, more keys added).

Only quotes and emerging phrases need the texts themselves, and both read a bounded number:
the QUOTE_CANDIDATES best-scored texts per theme, and the EMERGING_SAMPLE newest texts.
"""
from __future__ import annotations

from flask_babel import format_percent
from flask_babel import gettext as _

from analysis.suppression import protect_cells
from app.reporting.labels import category_labels, dimension_name
from app.themes import queries
from app.themes.agreement import agreement
from app.themes.evaluation import reviewed_evaluation
from app.themes.learning import current_models
from app.themes.quotes import quote_candidates

#: Quotes shown per theme, and the longest shown whole (longer ones are cut at a word).
QUOTES_PER_THEME = 3
MAX_QUOTE_LENGTH = 280
#: Texts per theme the quotes are chosen from: the best-scored, so quoting never reads every text.
QUOTE_CANDIDATES = 20
#: Newest texts searched for emerging phrases, and how often a phrase must occur among them.
EMERGING_SAMPLE = 1000
EMERGING_MIN_COUNT = 3
EMERGING_LIMIT = 20
#: Fewer units than this and kappa or alpha come with a caution: their confidence intervals are
#: then wider than the distance between "fair" and "substantial" agreement (Sim and Wright 2005,
#: Physical Therapy 85(3):257-268, sample sizes for kappa; Krippendorff 2004 asks for more still).
AGREEMENT_MIN_UNITS = 30
#: Dimensions offered first, in this order, when the viewer has not chosen one.
PREFERRED_DIMENSIONS = ("age_band", "gender", "language", "neighbourhood", "ethnicity", "disability")


def choose_dimension(requested: str | None, available: list[str]) -> tuple[str | None, str | None]:
    """(dimension to show, error message or None) for the `dimension` query parameter."""
    if requested:
        if requested in available:
            return requested, None
        return None, _("There is no demographic question or participant detail called %(dimension)s. "
                       "Choose one of: %(choices)s.", dimension=requested, choices=", ".join(available) or "-")
    preferred = [d for d in PREFERRED_DIMENSIONS if d in available]
    return (preferred or available or [None])[0], None


def _primary(lang: str | None) -> str | None:
    from analysis.text.normalise import LanguageError, normalise_lang
    try:
        return normalise_lang(lang or "")
    except LanguageError:
        return None


def _languages(scope, codebook) -> tuple[dict, dict, int]:
    """({source: stored language codes the codebook covers}, {language: texts it does not}, all texts)."""
    covered = set(codebook.languages)
    supported, unsupported, total = {}, {}, 0
    for source, counts in queries.lang_counts(scope).items():
        supported[source] = {lang for lang in counts if _primary(lang) in covered}
        for lang, n in counts.items():
            total += n
            if lang not in supported[source]:
                unsupported[lang or "?"] = unsupported.get(lang or "?", 0) + n
    return supported, dict(sorted(unsupported.items())), total


def _quotes(candidates: list[dict], key: str) -> list[dict]:
    from analysis.themes import representative_quotes
    tagged = [{**c, "themes": [{"theme": key, "score": c["score"]}]} for c in candidates if c["theme"] == key]
    return representative_quotes(tagged, key, limit=QUOTES_PER_THEME, max_length=MAX_QUOTE_LENGTH)


def _protected_table(row_keys: list[str], columns: list[str], totals: dict, cells: dict, k: int) -> tuple[list, list]:
    """Totals and per-theme cells with counts 1..k-1 suppressed, each row protected as a group
    (its cells add up to a count a reader could know)."""
    flat = [totals.get(c, 0) for c in columns]
    for key in row_keys:
        flat.extend(cells.get((key, c), 0) for c in columns)
    width = len(columns)
    groups = [list(range(start, start + width)) for start in range(0, len(flat), width)] if width else []
    hidden = protect_cells(flat, groups, k=k)
    head = [{"category": c, "n": None if hidden[i] else flat[i], "suppressed": hidden[i]} for i, c in enumerate(columns)]
    rows = []
    for r, key in enumerate(row_keys, start=1):
        row = []
        for i, c in enumerate(columns):
            index = r * width + i
            count, total = flat[index], flat[i]
            gone = hidden[index] or hidden[i]
            row.append({"category": c, "count": None if hidden[index] else count, "suppressed": hidden[index],
                        "share": None if gone or not total else count / total})
        rows.append({"key": key, "cells": row})
    return head, rows


def _group_table(scope, stats: queries.ThemeStats, codebook, dimension: str, k: int, lang: str) -> dict:
    totals, cells = stats.people, stats.group_cells
    labels = category_labels(scope.surveys, lang).get(dimension, {})
    order = [c for c in labels if c in totals] + sorted(c for c in totals if c not in labels)
    head, rows = _protected_table(list(codebook.keys), order, totals, cells, k)
    for entry in head:
        entry["label"] = labels.get(entry["category"], entry["category"])
    return {"dimension": dimension, "label": dimension_name(dimension), "categories": head, "themes": rows,
            "n": sum(totals.values())}


def sub_theme_parents(codebook) -> dict[str, str]:
    """{sub-theme: parent}: a text tagged with a sub-theme counts for its parent too."""
    return {t.key: t.parent for t in codebook.themes if t.parent}


def _channel_table(totals: dict, cells: dict, codebook, k: int) -> dict:
    """Texts per channel, and per theme and channel. Suppression is per cell: texts are not
    people, so a channel with few texts hides its own count ("fewer than k"), never the other
    channels'; a theme's cells are protected along the theme's row, whose total is published."""
    from app.reporting.labels import channel_name
    columns = sorted(totals)
    head = [{"category": c, "label": channel_name(c), "n": None if 0 < totals[c] < k else totals[c],
             "suppressed": 0 < totals[c] < k} for c in columns]
    rows = []
    for key in codebook.keys:
        counts = [cells.get((key, c), {}).get("n", 0) for c in columns]
        hidden = protect_cells(counts, [list(range(len(columns)))], k=k) if columns else []
        rows.append({"key": key, "cells": [
            {"category": c, "count": None if hidden[i] else counts[i], "suppressed": hidden[i],
             "share": None if hidden[i] or head[i]["suppressed"] or not totals[c] else counts[i] / totals[c]}
            for i, c in enumerate(columns)]})
    return {"categories": head, "themes": rows, "n": sum(totals.values())}


def _per_theme(cells: dict) -> dict[str, dict]:
    """{theme: {"n", "sentiment_n", "sum_polarity", "sum_subjectivity"}} over every channel."""
    found: dict[str, dict] = {}
    for (theme, _channel), cell in cells.items():
        entry = found.setdefault(theme, dict.fromkeys(cell, 0))
        for name, value in cell.items():
            entry[name] += value
    return found


def _sentiment(sums: dict | None) -> dict | None:
    if not sums or not sums["sentiment_n"]:
        return None
    n = sums["sentiment_n"]
    return {"mean_polarity": sums["sum_polarity"] / n, "mean_subjectivity": sums["sum_subjectivity"] / n, "n": n}


def theme_counts(scope: queries.Scope, codebook, tag_hash: str) -> dict[str, int]:
    """{theme: texts counted for it} over `scope`, as the report counts them, without the rest of
    the report (quotes, emerging phrases, agreement): for pages that only need how often a theme came up."""
    supported, _unsupported, _total = _languages(scope, codebook)
    coded = {source: queries.coded_condition(source, supported[source], tag_hash) for source in scope.sources}
    stats = queries.theme_stats(scope, coded, sub_theme_parents(codebook))
    return {key: sums["n"] for key, sums in _per_theme(stats.cells).items()}


def build_report(scope: queries.Scope, codebook, tag_hash: str, *, k: int, lang: str, dimension: str | None,
                 pending: int = 0) -> dict:
    """The themes report for the texts of `scope`, labels in `lang`, small cells below `k` hidden;
    texts not yet tagged with the codebook of `tag_hash` are left out (`pending` says how many)."""
    from analysis.themes import emerging_phrases
    queries.whole_table_plans()
    supported, unsupported, total = _languages(scope, codebook)
    coded = {source: queries.coded_condition(source, supported[source], tag_hash) for source in scope.sources}
    counted = queries.theme_stats(scope, coded, sub_theme_parents(codebook), dimension)
    n = sum(counted.texts.values())
    stats = _per_theme(counted.cells)
    candidates = quote_candidates(scope, coded, QUOTE_CANDIDATES, list(codebook.keys))
    themes = []
    for t in codebook.themes:
        count = stats.get(t.key, {}).get("n", 0)
        themes.append({"key": t.key, "label": codebook.label(t.key, lang), "parent": t.parent, "count": count,
                       "share": count / n if n else None, "sentiment": _sentiment(stats.get(t.key)),
                       "quotes": _quotes(candidates, t.key)})
    sample = queries.newest_texts(scope, set().union(*supported.values()) if supported else set(), EMERGING_SAMPLE)
    emerging = emerging_phrases(sample, codebook, min_count=EMERGING_MIN_COUNT, limit=EMERGING_LIMIT) if sample else []
    codings = queries.codings(scope)
    coders = agreement(codings, codebook)
    groups = _group_table(scope, counted, codebook, dimension, k, lang) if dimension else None
    return {
        "n": n, "n_texts": total, "pending": pending, "unsupported_languages": unsupported,
        "themes": themes, "groups": groups, "channels": _channel_table(counted.texts, counted.cells, codebook, k),
        "agreement": coders["tagger_people"], "agreement_people": coders["people"],
        "agreement_units": coders["units"], "coders": coders["coders"],
        "evaluation": reviewed_evaluation(codings, codebook, current_models(tag_hash)),
        "emerging": emerging, "emerging_sample": len(sample),
        "k": k, "agreement_min": AGREEMENT_MIN_UNITS, "filters": scope.filters.describe(), "methods": methods(k, len(sample)),
    }


def sentiment_quality() -> str:
    """How well sentiment is measured, on the project's labelled set, in the viewer's language."""
    from analysis.themes import sentiment_accuracy
    figures = sentiment_accuracy()
    return _("How well it is measured: on %(n)s English comments labelled by hand by the project (positive, "
             "neutral or negative towards one thing they mention), the clause's sentiment agrees with the label "
             "%(clause)s of the time; the whole comment's agrees %(sentence)s, and always answering “positive” "
             "would agree %(positive)s.", n=figures["n"], clause=format_percent(figures["clause"]),
             sentence=format_percent(figures["sentence"]), positive=format_percent(figures["always_positive"]))


def methods(k: int, sample: int) -> dict:
    """How every figure was computed, in the viewer's language."""
    from app.themes.evaluation import PAGE_FOLDS
    return {
        "count": _("A text counts for a theme when a person accepted the theme, or when the automatic tagger found "
                   "one of the theme's keywords (in the text's language, after stemming) and no person rejected "
                   "it. A sub-theme also counts for its parent. Shares are of the texts counted: those in a "
                   "language the codebook has keywords for, and those a person tagged."),
        "sentiment": _("Sentiment is the mean polarity, from -1 (negative) to +1 (positive), of the clauses around "
                       "the theme's words in its English texts (the whole text when a person added the theme), "
                       "scored with TextBlob's pattern lexicon; texts in other languages have no sentiment score, "
                       "because there is no lexicon for them. Read it as a rough direction."),
        "sentiment_quality": sentiment_quality(),
        "quotes": _("Up to %(quotes)s quotes per theme, chosen among the %(candidates)s texts the tagger scored "
                    "highest for it: the most on-theme and shortest first, near-duplicates left out, different "
                    "people preferred.", quotes=QUOTES_PER_THEME, candidates=QUOTE_CANDIDATES),
        "groups": _("People, not texts: those in each group who wrote at least one counted text, and among them "
                    "those with a text on the theme. Counts from 1 to %(max)s are hidden, and further cells where "
                    "needed so that hidden counts cannot be worked out by subtraction. Focus-group notes not "
                    "linked to a participant are left out.", max=k - 1),
        "channels": _("Texts per channel the answer came through (focus-group contributions under focus groups). "
                      "A channel with fewer than %(k)s texts shows no count and hides no other channel; a theme's "
                      "counts from 1 to %(max)s are hidden, with another cell of its row where needed.", k=k, max=k - 1),
        "agreement": _("Cohen's kappa per theme, each theme coded present or absent, between the automatic tagger "
                       "and each person who reviewed a text (one unit per text and person), with the percent of "
                       "units on which they agree. Krippendorff's alpha (nominal) treats the tagger and every "
                       "person as coders, over texts coded by at least two. Kappa is empty when neither side used "
                       "the theme. A text on which nobody found any theme leaves no tag, so it is not counted."),
        "agreement_people": _("Cohen's kappa per theme between the first two people who coded each text."),
        "evaluation": _("The reviewed texts, with every theme a person accepted taken as right: precision is the "
                        "share of the tagger's themes people accepted, recall the share of people's themes the "
                        "tagger found, F1 their harmonic mean, kappa Cohen's. Micro pools every theme's counts; "
                        "macro is the mean over the themes used. The learned tagger is measured by %(folds)s-fold "
                        "cross-validation on every reviewed text of its language: each text is tagged by a model "
                        "trained without it. The same figures as flask themes evaluate.", folds=PAGE_FOLDS),
        "emerging": _("Phrases no theme covers (English noun phrases, and word sequences of one to three words in "
                      "every language), found in at least %(min)s of the newest %(sample)s texts; counts are texts "
                      "within that sample.", min=EMERGING_MIN_COUNT, sample=sample),
    }
