"""Representative quotes per theme: short, strongly on-theme, and varied."""

from analysis.text.normalise import han_runs, tokenize

__all__ = ["NEAR_DUPLICATE_JACCARD", "ELLIPSIS", "select_quotes", "token_set", "jaccard"]

#: Two quotes whose word sets have a Jaccard similarity (resemblance, Broder
#: 1997) at or above this say the same thing to a reader; only the first is
#: shown. 0.5 means at least half of all their distinct words are shared.
NEAR_DUPLICATE_JACCARD = 0.5
#: Marks a quote cut at `max_length`.
ELLIPSIS = "\u2026"


def token_set(text):
    """Return the casefolded words of `text` (single characters for Han text).

    Examples
    --------
    >>> sorted(token_set("Buses, buses! 公交车"))
    ['buses', '交', '公', '车']
    """
    words = {token.group().casefold() for token in tokenize(text)}
    for run in han_runs(text):
        words.discard(run.group().casefold())
        words.update(run.group())
    return words


def jaccard(a, b):
    """Return |a & b| / |a | b| for two sets (1.0 for two empty sets).

    Examples
    --------
    >>> jaccard({"a", "b"}, {"b", "c"})
    0.3333333333333333
    """
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def _shorten(text, max_length):
    cut = text[:max_length - len(ELLIPSIS)]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + ELLIPSIS


def select_quotes(candidates, *, limit, max_length):
    """Pick up to `limit` quotes from scored candidates.

    Parameters
    ----------
    candidates : list of dict
        ``{"id", "text", "score", "lang", "group", "respondent"}`` (group and
        respondent may be None), in input order.
    limit : int
    max_length : int

    Returns
    -------
    list of dict
        ``{"id", "text", "score", "lang", "group", "truncated"}``.

    Notes
    -----
    Ranked by score (highest first), then length (shortest first), then
    input order. Quotes of at most `max_length` characters come first; longer
    ones are used, cut at a word boundary with an ellipsis, only to fill the
    remaining places. Selection is greedy and in passes that relax
    diversity: first a new respondent from a new group, then a new
    respondent, then anyone. A candidate too similar to an already chosen
    quote (:data:`NEAR_DUPLICATE_JACCARD`) is never taken.
    """
    ranked = sorted(
        ((c, i) for i, c in enumerate(candidates)),
        key=lambda pair: (-pair[0]["score"], len(pair[0]["text"]), pair[1]),
    )
    short = [c for c, _ in ranked if len(c["text"]) <= max_length]
    long = [c for c, _ in ranked if len(c["text"]) > max_length]
    chosen, words = [], []

    def new(field, candidate):
        value = candidate.get(field)
        return value is None or all(c.get(field) != value for c in chosen)

    passes = (
        lambda c: new("respondent", c) and new("group", c),
        lambda c: new("respondent", c),
        lambda c: True,
    )
    for pool in (short, long):
        for allowed in passes:
            for candidate in pool:
                if len(chosen) == limit:
                    break
                if any(c is candidate for c in chosen) or not allowed(candidate):
                    continue
                candidate_words = token_set(candidate["text"])
                if any(jaccard(candidate_words, w) >= NEAR_DUPLICATE_JACCARD for w in words):
                    continue
                chosen.append(candidate)
                words.append(candidate_words)
    return [
        {
            "id": c.get("id"),
            "text": c["text"] if len(c["text"]) <= max_length else _shorten(c["text"], max_length),
            "score": c["score"],
            "lang": c.get("lang"),
            "group": c.get("group"),
            "truncated": len(c["text"]) > max_length,
        }
        for c in chosen
    ]
