"""The per-text pipeline behind :mod:`analysis.themes`: tag, score, extract.

Kept apart from the public facade so that the report builder can reuse the
intermediate results (compiled codebook and scans) without recomputing them.
"""

from collections.abc import Mapping

from analysis.text.emerging import emerging_from_scans
from analysis.text.english import english_blobber
from analysis.text.normalise import LanguageError, normalise_lang

__all__ = [
    "SENTIMENT_LANGUAGES", "SENTIMENT_METHOD", "TAGGING_METHOD", "ItemError",
    "no_sentiment", "english_sentiment", "analyse_text", "analyse_items", "emerging",
    "quote_candidates",
]

#: Languages with a sentiment lexicon we trust (TextBlob's pattern lexicon).
SENTIMENT_LANGUAGES = frozenset({"en"})
SENTIMENT_METHOD = "textblob.PatternAnalyzer (pattern en-sentiment lexicon)"
TAGGING_METHOD = (
    "codebook keywords matched on Snowball stems (English, Spanish, French, Arabic), "
    "normalised tokens (Somali, Vietnamese) or substrings (Chinese); score = share of "
    "the text's tokens covered by the theme's keywords; a sub-theme also counts for "
    "its parent"
)


class ItemError(ValueError):
    """An item of text that cannot be analysed (missing text or language)."""


def no_sentiment(lang):
    """Return the sentiment record for a language we cannot score."""
    return {
        "polarity": None, "subjectivity": None, "available": False, "method": None,
        "reason": f"no sentiment lexicon for {lang!r}; only English is scored",
    }


def english_sentiment(blob):
    """Return the sentiment record of an English ``TextBlob``."""
    polarity, subjectivity = blob.sentiment
    return {"polarity": polarity, "subjectivity": subjectivity, "available": True,
            "method": SENTIMENT_METHOD, "reason": None}


def analyse_text(text, codebook, lang):
    """Analyse one text.

    Returns
    -------
    tuple
        ``(record, (compiled, scan))``: the record is ``{"lang", "themes",
        "sentiment", "noun_phrases", "supported"}``; `compiled` and `scan`
        are None when the codebook has no keywords in `lang`.

    Raises
    ------
    ItemError
        `text` is not a string.
    LanguageError
        `lang` is malformed.
    """
    if not isinstance(text, str):
        raise ItemError(f"text must be a string, not {type(text).__name__}")
    lang = normalise_lang(lang)
    try:
        compiled = codebook.compiled(lang)
    except LanguageError:
        compiled = None
    scan = compiled.scan(text) if compiled is not None else None
    if lang in SENTIMENT_LANGUAGES:
        blob = english_blobber()(text)
        mood, phrases = english_sentiment(blob), list(blob.noun_phrases)
    else:
        mood, phrases = no_sentiment(lang), []
    record = {
        "lang": lang,
        "themes": compiled.matches_from_scan(scan) if compiled is not None else [],
        "sentiment": mood,
        "noun_phrases": phrases,
        "supported": compiled is not None,
    }
    return record, (compiled, scan)


def _item_fields(item, index):
    if not isinstance(item, Mapping):
        raise ItemError(f"item {index} must be a mapping with 'id', 'text' and 'lang'")
    for field in ("text", "lang"):
        if field not in item:
            raise ItemError(f"item {index} (id {item.get('id')!r}) has no {field!r}")
    if not isinstance(item["text"], str):
        raise ItemError(f"item {index} (id {item.get('id')!r}): text must be a string")
    return item.get("id"), item["text"], item["lang"]


def analyse_items(items, codebook):
    """Analyse many items; return ``(records, scans)`` in input order.

    Each record is :func:`analyse_text`'s plus ``"id"``, ``"text"``,
    ``"group"`` and ``"respondent"`` from the item.

    Raises
    ------
    ItemError
        Naming the item's position and id.
    """
    records, scans = [], []
    for index, item in enumerate(items):
        item_id, text, lang = _item_fields(item, index)
        try:
            record, scan = analyse_text(text, codebook, lang)
        except LanguageError as error:
            raise ItemError(f"item {index} (id {item_id!r}): {error}") from None
        records.append({"id": item_id, "text": text, "group": item.get("group"),
                        "respondent": item.get("respondent"), **record})
        scans.append(scan)
    return records, scans


def emerging(records, scans, *, min_count, limit):
    """Emerging phrases from :func:`analyse_items` output."""
    rows = ({"text": record["text"], "lang": record["lang"], "compiled": compiled,
             "scan": scan, "noun_phrases": record["noun_phrases"]}
            for record, (compiled, scan) in zip(records, scans))
    return emerging_from_scans(rows, min_count=min_count, limit=limit)


def quote_candidates(tagged_texts, theme):
    """Return the quote candidates for one theme from tagged texts."""
    candidates = []
    for item in tagged_texts:
        match = next((m for m in item.get("themes", ()) if m["theme"] == theme), None)
        text = item.get("text") or ""
        if match is not None and text.strip():
            candidates.append({"id": item.get("id"), "text": text.strip(),
                               "score": match["score"], "lang": item.get("lang"),
                               "group": item.get("group"), "respondent": item.get("respondent")})
    return candidates
