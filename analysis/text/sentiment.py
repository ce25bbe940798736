"""Sentiment per theme: the clause around each match, not the whole comment.

"The buses are great but the rent is terrible" says something good about buses and something
bad about rent; the whole sentence's polarity (about 0.0) says neither. Each theme is scored
on the clauses that hold its matches (:func:`clause_around`), with the same lexicon as before
(TextBlob's PatternAnalyzer, English only), and the project measures how well that works on
its own labelled set (:func:`measured_accuracy`), so the report can show the figure next to
the numbers.
"""

import functools
import re
from importlib import resources

from analysis.text.english import english_blobber
from analysis.text.normalise import normalise_lang
from analysis.text.pipeline import SENTIMENT_LANGUAGES, english_sentiment, no_sentiment

__all__ = ["CLAUSE_BREAK_RE", "NEUTRAL_BAND", "clause_around", "theme_sentiment",
           "polarity_label", "measured_accuracy"]

#: What ends a clause: sentence and clause punctuation, and English contrastive conjunctions
#: (the feeling often turns there: "great, but expensive").
CLAUSE_BREAK_RE = re.compile(
    r"[.!?;:,()\[\]{}\"\u3002\uff0c\uff01\uff1f\uff1b\u060c\u061b\u061f\u06d4\n]"
    r"|\b(?:but|although|though|however|whereas|yet|while)\b", re.IGNORECASE)
#: Polarities within this distance of 0 read as neutral when a score is turned into a label:
#: the pattern lexicon gives small non-zero scores to many plain statements.
NEUTRAL_BAND = 0.05
#: The labelled set shipped with the project (analysis/data/sentiment/).
TEST_SET = "en-themes.tsv"


def clause_around(text, start, end):
    """Return ``(clause_start, clause_end)``: the clause of `text` holding ``[start, end)``.

    Examples
    --------
    >>> text = "The buses are great but the rent is terrible."
    >>> s, e = clause_around(text, 28, 32)
    >>> text[s:e]
    ' the rent is terrible'
    """
    clause_start = 0
    for found in CLAUSE_BREAK_RE.finditer(text, 0, start):
        clause_start = found.end()
    found = CLAUSE_BREAK_RE.search(text, end)
    return clause_start, found.start() if found else len(text)


def _clause_sentiment(text, spans):
    clauses = sorted({clause_around(text, start, end) for start, end in spans})
    scores = [english_sentiment(english_blobber()(text[s:e])) for s, e in clauses]
    return {"polarity": sum(r["polarity"] for r in scores) / len(scores),
            "subjectivity": sum(r["subjectivity"] for r in scores) / len(scores),
            "available": True, "method": scores[0]["method"], "reason": None,
            "clauses": [text[s:e].strip() for s, e in clauses]}


def theme_sentiment(text, tags, lang):
    """Sentiment of each tagged theme, from the clauses around its matches.

    Parameters
    ----------
    text : str
        The text the tags were found in (spans refer to it).
    tags : list of dict
        :func:`analysis.themes.tag` output for `text`.
    lang : str

    Returns
    -------
    dict
        Theme key -> ``{"polarity", "subjectivity", "available", "method", "reason",
        "clauses"}``: the mean over the distinct clauses holding the theme's matches. In
        a language without a lexicon, or for a tag without spans (a learned one), the
        record says ``available`` False and why, with polarity None.

    Examples
    --------
    >>> tags = [{"theme": "buses", "matches": [{"span": (4, 9)}]},
    ...         {"theme": "rent", "matches": [{"span": (28, 32)}]}]
    >>> found = theme_sentiment("The buses are great but the rent is terrible.", tags, "en")
    >>> found["buses"]["polarity"], found["rent"]["polarity"]
    (0.8, -1.0)
    """
    lang = normalise_lang(lang)
    result = {}
    for tag in tags:
        spans = [m["span"] for m in tag.get("matches", ()) if m.get("span")]
        if lang not in SENTIMENT_LANGUAGES:
            result[tag["theme"]] = {**no_sentiment(lang), "clauses": []}
        elif not spans:
            result[tag["theme"]] = {**no_sentiment(lang), "clauses": [],
                                    "reason": "no matched words to score around"}
        else:
            result[tag["theme"]] = _clause_sentiment(text, spans)
    return result


def polarity_label(polarity):
    """Return "positive", "negative" or "neutral" for a polarity (see :data:`NEUTRAL_BAND`).

    Examples
    --------
    >>> polarity_label(0.3), polarity_label(-0.02), polarity_label(-0.4)
    ('positive', 'neutral', 'negative')
    """
    if polarity > NEUTRAL_BAND:
        return "positive"
    if polarity < -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def _test_rows():
    path = resources.files("analysis") / "data" / "sentiment" / TEST_SET
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, target, label = line.split("\t")
            rows.append((text, target, label))
    return rows


@functools.lru_cache(maxsize=None)
def measured_accuracy():
    """How well per-theme sentiment agrees with people, on the project's labelled set.

    Returns
    -------
    dict
        ``{"n", "clause", "sentence", "always_positive", "lang", "method"}``: the share of
        rows (a comment and a target word in it, labelled positive, neutral or negative by
        the project team) on which the label of the clause's polarity (:func:`polarity_label`)
        equals the person's; the same for the whole comment's polarity (the method used
        before); and the share a method that always answers "positive" would get.

    Notes
    -----
    The set, ``analysis/data/sentiment/en-themes.tsv``, is small (tens of rows), English
    only and written to contain mixed comments: read the figures as a check, not as a
    general accuracy.

    Examples
    --------
    >>> figures = measured_accuracy()
    >>> figures["n"], figures["clause"] > figures["sentence"] > figures["always_positive"]
    (58, True)
    """
    rows = _test_rows()
    blob = english_blobber()
    clause = sentence = positive = 0
    for text, target, label in rows:
        start = text.index(target)
        s, e = clause_around(text, start, start + len(target))
        clause += polarity_label(blob(text[s:e]).sentiment[0]) == label
        sentence += polarity_label(blob(text).sentiment[0]) == label
        positive += label == "positive"
    n = len(rows)
    return {"n": n, "clause": clause / n, "sentence": sentence / n, "always_positive": positive / n,
            "lang": "en", "method": "textblob.PatternAnalyzer per clause"}
