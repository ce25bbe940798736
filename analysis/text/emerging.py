"""Emerging phrases: what many people say that no codebook theme covers.

Works on texts already scanned by a compiled codebook
(:meth:`analysis.text.matcher.CompiledLanguage.scan`), so the public
:func:`analysis.themes.emerging_phrases` and the themes report share it.
"""

from collections import Counter
from dataclasses import dataclass, field

from analysis.text.normalise import (
    PHRASE_BREAK_RE,
    fold,
    han_runs,
    match_key,
    stopwords,
    tokenize,
)

__all__ = [
    "Candidate", "MAX_NGRAM", "MAX_HAN_NGRAM", "MAX_EXAMPLES", "emerging_from_scans",
]

#: Longest n-gram counted (1- to 3-grams, as the codebook review asks).
MAX_NGRAM = 3
#: Character n-grams for substring languages: single Han characters are too
#: ambiguous to report; Chinese words and compounds are mostly two to four
#: characters (老年 "elderly", 老年活动 "activities for the elderly").
MIN_HAN_NGRAM = 2
MAX_HAN_NGRAM = 4
#: Example texts kept per phrase.
MAX_EXAMPLES = 3
#: Shortest single word worth reporting (drops stray letters and fragments).
MIN_UNIGRAM_LENGTH = 3

@dataclass
class Candidate:
    """A phrase candidate: its key, how often and where it was seen."""

    lang: str
    keys: tuple
    count: int = 0
    surfaces: Counter = field(default_factory=Counter)
    examples: list = field(default_factory=list)
    noun_phrase: bool = False
    han: bool = False


def _covered_units(scan):
    covered = set()
    for ranges in scan.hits.values():
        for start, end in ranges:
            covered.update(range(start, end))
    return covered


def _token_ngrams(scan, lang):
    """Yield (keys, surface) for uncovered 1..3-grams of a token-language scan."""
    stop = stopwords(lang)
    text, offsets, keys = scan.text, scan.offsets, scan.keys
    folded = [fold(text[s:e], lang) for s, e in offsets]
    covered = _covered_units(scan)
    breaks = [bool(PHRASE_BREAK_RE.search(text[offsets[i][1]:offsets[i + 1][0]]))
              for i in range(len(offsets) - 1)]
    for i in range(len(keys)):
        if i in covered:
            continue
        for n in range(1, MAX_NGRAM + 1):
            end = i + n
            if end > len(keys) or (n > 1 and (breaks[end - 2] or end - 1 in covered)):
                break
            first, last = folded[i], folded[end - 1]
            if first in stop or last in stop or first.isdigit() or last.isdigit():
                continue
            if n == 1 and len(first) < MIN_UNIGRAM_LENGTH:
                continue
            yield tuple(keys[i:end]), " ".join(folded[i:end])


def _han_ngrams(scan, lang):
    """Yield (keys, surface) for uncovered 2..4-character Han sequences."""
    stop = stopwords(lang)
    covered = _covered_units(scan)
    for run in han_runs(scan.text):
        start, chars = run.start(), run.group()
        for i in range(len(chars)):
            for n in range(MIN_HAN_NGRAM, MAX_HAN_NGRAM + 1):
                piece = chars[i:i + n]
                if len(piece) < n or any(ch in stop for ch in piece) or any(
                        start + j in covered for j in range(i, i + n)):
                    continue
                yield (piece,), piece


def _noun_phrase_keys(phrase, lang, compiled):
    tokens = [t.group() for t in tokenize(phrase)]
    stop = stopwords(lang)
    if not tokens or all(fold(t, lang) in stop for t in tokens):
        return None
    return None if compiled.covers(tokens) else tuple(match_key(t, lang) for t in tokens)


def emerging_from_scans(records, *, min_count, limit):
    """Count uncovered phrases over scanned texts and rank them.

    Parameters
    ----------
    records : iterable of dict
        ``{"text", "lang", "scan", "compiled", "noun_phrases"}`` per text;
        `scan` is None for texts in a language the codebook lacks.
    min_count : int
        Fewest texts a phrase must appear in.
    limit : int
        Most phrases returned.

    Returns
    -------
    list of dict
        ``{"phrase", "count", "lang", "examples", "kind"}``, most frequent
        first; `kind` is ``"noun_phrase"`` when TextBlob found it as a noun
        phrase in at least one text, else ``"ngram"``.

    Notes
    -----
    `count` is the number of texts containing the phrase (document
    frequency), not occurrences: ten people, not one person ten times.
    Phrases are keyed by their match keys, so *bus drivers* and *bus
    driver* count together; the phrase shown is the most common folded form.
    A shorter phrase is dropped when a longer one containing it is seen in
    at least as many texts (it adds nothing).
    """
    candidates = {}
    for record in records:
        scan, lang = record["scan"], record["lang"]
        if scan is None:
            continue
        ngrams = _han_ngrams if record["compiled"].substring else _token_ngrams
        grams = ngrams(scan, lang)
        seen = {}
        for keys, surface in grams:
            seen.setdefault(keys, (surface, False))
        for phrase in record.get("noun_phrases") or ():
            keys = _noun_phrase_keys(phrase, lang, record["compiled"])
            if keys:
                seen[keys] = (phrase, True)
        for keys, (surface, is_np) in seen.items():
            candidate = candidates.get((lang, keys))
            if candidate is None:
                candidate = candidates[(lang, keys)] = Candidate(
                    lang, keys, han=record["compiled"].substring)
            candidate.count += 1
            candidate.surfaces[surface] += 1
            candidate.noun_phrase |= is_np
            if len(candidate.examples) < MAX_EXAMPLES and record["text"] not in candidate.examples:
                candidate.examples.append(record["text"])
    frequent = [c for c in candidates.values() if c.count >= min_count]
    kept = _drop_subsumed(frequent)
    kept.sort(key=lambda c: (-c.count, -len(c.keys), _display(c)))
    return [
        {
            "phrase": _display(c),
            "count": c.count,
            "lang": c.lang,
            "examples": list(c.examples),
            "kind": "noun_phrase" if c.noun_phrase else "ngram",
        }
        for c in kept[:limit]
    ]


def _display(candidate):
    # Most common surface form; ties go to the alphabetically first.
    best = max(candidate.surfaces.values())
    return min(s for s, n in candidate.surfaces.items() if n == best)


def _size(candidate):
    return len(candidate.keys[0]) if candidate.han else len(candidate.keys)


def _within(shorter, longer):
    """True if `shorter`'s phrase is a proper part of `longer`'s."""
    if shorter.lang != longer.lang or _size(shorter) >= _size(longer):
        return False
    if shorter.han:
        return shorter.keys[0] in longer.keys[0]
    size = len(shorter.keys)
    return any(longer.keys[i:i + size] == shorter.keys
               for i in range(len(longer.keys) - size + 1))


def _drop_subsumed(candidates):
    kept = []
    for candidate in sorted(candidates, key=lambda c: -_size(c)):
        if not any(other.count >= candidate.count and _within(candidate, other) for other in kept):
            kept.append(candidate)
    return kept
