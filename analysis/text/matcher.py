"""A codebook compiled for one language, and the keyword tagger built on it.

Compiling turns every keyword and its other written forms (:mod:`analysis.text.forms`) into
tuples of match keys (:func:`analysis.text.normalise.match_key`) indexed by their first key.
Tagging a comment is then one pass over its tokens with a dict lookup per token: no regular
expression per keyword and no stemming of the codebook per comment.

Each match remembers where it is and how it matched (:mod:`analysis.text.evidence`); the
theme's ``exclude:`` phrases remove matches inside them, and a negated match
(:mod:`analysis.text.negation`) is dropped, kept or given to the theme's ``negated:``
counterpart.
"""

import bisect
import unicodedata
from dataclasses import dataclass, field

from analysis.text.evidence import HOW_WEIGHTS, FuzzyIndex, strongest
from analysis.text.forms import EXACT_PREFIX, HYPHENS, keyword_forms, keyword_variants, text_tokens
from analysis.text.negation import is_negated, is_negated_substring
from analysis.text.normalise import (
    PHRASE_BREAK_RE, SUBSTRING_LANGUAGES, LanguageError, match_key, stopwords,
)
from analysis.text.wordlist import is_known_word

__all__ = [
    "EXACT_PREFIX", "NEGATED_DROP", "NEGATED_KEEP", "Hit", "CompiledLanguage", "TextScan",
    "compile_language", "keyword_variants",
]

#: A theme's ``negated:`` value that drops negated matches (the default) or keeps them.
NEGATED_DROP, NEGATED_KEEP = "drop", "keep"




@dataclass(frozen=True)
class Hit:
    """One keyword match: theme, unit range ``[start, end)``, how, keyword, negated."""

    theme: str
    start: int
    end: int
    how: str
    keyword: str
    negated: bool = False


@dataclass
class _Entry:
    """A keyword behind an index entry, and how each written form relates to it."""

    keyword: str
    forms: dict = field(default_factory=dict)   # folded token tuple -> "exact" | "inflection"

    def how(self, folded):
        return self.forms.get(folded, "stem")


def _substring_fold(text):
    # Full-width Latin letters and digits, compatibility ideographs: NFKC.
    return unicodedata.normalize("NFKC", text).casefold()


def _fold_with_map(text):
    """(folded text, index in `text` of each folded character), for substring languages."""
    chars, where = [], []
    for index, ch in enumerate(text):
        folded = _substring_fold(ch)
        chars.append(folded)
        where.extend([index] * len(folded))
    return "".join(chars), where


@dataclass(frozen=True)
class TextScan:
    """Where a compiled codebook matched inside one text.

    Attributes
    ----------
    text : str
        The text the unit positions refer to: as given for token languages, NFKC-casefolded
        for substring languages.
    units : int
        Number of tokens (characters that are letters or digits for substring languages);
        the denominator of match scores.
    keys : list of str
        Match key per unit (empty for substring languages).
    offsets : list of (int, int)
        Character span per unit (empty for substring languages, where unit ``i`` is
        character ``i`` of `text`).
    hits : dict
        Theme key -> ``(start, end)`` unit ranges where its keywords occur, before
        exclusions, negation and one-edit matches (what "covered by the codebook" means
        for emerging phrases).
    evidence : list of Hit
        The matches kept after exclusions and negation, with one-edit matches added.
    original : str
        The text as given; character spans in results refer to it.
    char_map : list of int
        For substring languages, the position in `original` of each character of `text`.
    """

    text: str
    units: int
    keys: list
    offsets: list
    hits: dict
    evidence: list = field(default_factory=list)
    original: str = ""
    char_map: list = field(default_factory=list)

    def char_span(self, start, end):
        """Return the ``(start, end)`` characters of `original` for units ``[start, end)``."""
        if not self.offsets:
            if self.char_map:
                return self.char_map[start], self.char_map[end - 1] + 1
            return start, end
        return self.offsets[start][0], self.offsets[end - 1][1]

    def surface(self, start, end):
        """Return the text of the unit range ``[start, end)`` as written."""
        first, last = self.char_span(start, end)
        return (self.original or self.text)[first:last]


class CompiledLanguage:
    """A codebook's keywords in one language, indexed for fast tagging.

    Build with :func:`compile_language` (or :meth:`Codebook.compiled`).
    """

    def __init__(self, lang, *, index, exact, substrings, parents, order, fuzzy, excludes,
                 negated):
        self.lang = lang
        self.substring = lang in SUBSTRING_LANGUAGES
        self._index = index            # first stem -> ((stems, {theme: _Entry}), ...) longest first
        self._exact = exact            # the same for exact (=) keywords, on folded tokens
        self._substrings = substrings  # folded keyword -> {theme: keyword} (substring languages)
        self._parents = parents        # theme -> parent or None
        self._order = order            # theme -> position in the codebook
        self._fuzzy = fuzzy            # FuzzyIndex of long single-word forms -> (theme, keyword)
        self._excludes = excludes      # like _exact, for exclude phrases (substrings: folded -> themes)
        self._negated = negated        # theme -> "drop" | "keep" | counterpart theme key

    def scan(self, text):
        """Find every keyword occurrence in `text`; return a :class:`TextScan`."""
        if self.substring:
            return self._scan_substrings(text)
        lang = self.lang
        tokens = text_tokens(text, lang)
        folded = [token for token, _start, _end in tokens]
        keys = [match_key(token, lang) for token in folded]
        offsets = [(start, end) for _token, start, end in tokens]
        breaks = _breaks(text, offsets)

        def unbroken(start, end):
            return not any(breaks[start:end - 1])

        found = _find(keys, folded, self._index, unbroken)
        if self._exact:
            found += _find(folded, folded, self._exact, unbroken)
        if any(hyphen in text for hyphen in HYPHENS):
            found += self._compounds(text, folded, offsets)
        hits = {}
        for hit in found:
            hits.setdefault(hit.theme, []).append((hit.start, hit.end))
        if self._fuzzy:
            found += self._one_edit(folded, found)
        excluded = _ranges_by_theme(_find(folded, folded, self._excludes, unbroken)) if self._excludes else {}
        kept = self._decide(found, excluded,
                            lambda hit: is_negated(folded, hit.start, breaks, lang))
        return TextScan(text, len(keys), keys, offsets, hits, kept, text)

    def _compounds(self, text, folded, offsets):
        """Matches of single-word keywords written as two hyphenated halves ("lock-down")."""
        found = []
        for i in range(len(folded) - 1):
            if text[offsets[i][1]:offsets[i + 1][0]] not in HYPHENS:
                continue
            joined = folded[i] + folded[i + 1]
            for index, key in ((self._index, match_key(joined, self.lang)), (self._exact, joined)):
                for phrase, entries in index.get(key, ()):
                    if len(phrase) == 1:
                        for theme, entry in entries.items():
                            how = "inflection" if (joined,) in entry.forms else "stem"
                            found.append(Hit(theme, i, i + 2, how, entry.keyword))
        return found

    def _one_edit(self, folded, found):
        """One-edit matches of words no keyword covers and that are not words of the language."""
        covered = {unit for hit in found for unit in range(hit.start, hit.end)}
        stop = stopwords(self.lang)
        extra = []
        for i, word in enumerate(folded):
            if i in covered or word in stop or not word.isalpha() or is_known_word(word, self.lang):
                continue
            for theme, keyword in self._fuzzy.find(word):
                extra.append(Hit(theme, i, i + 1, "fuzzy", keyword))
        return extra

    def _decide(self, found, excluded, negated):
        """Drop excluded matches; drop, keep or move negated ones; one hit per theme and range."""
        best = {}
        for hit in found:
            if any(s < hit.end and hit.start < e for s, e in excluded.get(hit.theme, ())):
                continue
            if negated(hit):
                policy = self._negated.get(hit.theme, NEGATED_DROP)
                if policy == NEGATED_DROP:
                    continue
                theme = hit.theme if policy == NEGATED_KEEP else policy
                hit = Hit(theme, hit.start, hit.end, hit.how, hit.keyword, True)
            key = (hit.theme, hit.start, hit.end)
            if key not in best or strongest([hit.how, best[key].how]) != best[key].how:
                best[key] = hit
        return sorted(best.values(), key=lambda h: (h.start, -h.end, self._order[h.theme]))

    def _scan_substrings(self, original):
        text, char_map = _fold_with_map(original)
        found, hits = [], {}
        for keyword, themes in self._substrings.items():
            start = text.find(keyword)
            while start != -1:
                for theme, written in themes.items():
                    found.append(Hit(theme, start, start + len(keyword), "exact", written))
                    hits.setdefault(theme, []).append((start, start + len(keyword)))
                start = text.find(keyword, start + 1)
        excluded = {}
        for phrase, themes in self._excludes.items():
            start = text.find(phrase)
            while start != -1:
                for theme in themes:
                    excluded.setdefault(theme, []).append((start, start + len(phrase)))
                start = text.find(phrase, start + 1)
        kept = self._decide(found, excluded,
                            lambda hit: is_negated_substring(text, hit.start, PHRASE_BREAK_RE))
        units = sum(1 for ch in text if ch.isalnum())
        return TextScan(text, units, [], [], hits, kept, original, char_map)

    def covers(self, tokens):
        """Return True if a keyword occurs in a sequence of surface tokens.

        Token languages only; used to tell whether a candidate phrase is already covered by
        the codebook.
        """
        folded = [token for word in tokens for token, _s, _e in text_tokens(word, self.lang)]
        keys = [match_key(token, self.lang) for token in folded]
        return bool(_find(keys, folded, self._index) or _find(folded, folded, self._exact))

    def match(self, text):
        """Tag `text`: the themes it mentions, with terms, evidence and scores.

        Returns
        -------
        list of dict
            See :func:`analysis.themes.tag`.
        """
        return self.matches_from_scan(self.scan(text))

    def matches_from_scan(self, scan):
        """Build the :meth:`match` result from a :class:`TextScan`."""
        by_theme = {}
        for hit in scan.evidence:
            by_theme.setdefault(hit.theme, []).append(hit)
            parent = self._parents.get(hit.theme)
            if parent is not None:
                by_theme.setdefault(parent, []).append(hit)
        results = [_result(theme, self._parents.get(theme), hits, scan)
                   for theme, hits in by_theme.items()]
        results.sort(key=lambda r: (-r["score"], self._order[r["theme"]]))
        return results


def _breaks(text, offsets):
    """``breaks[i]``: True when clause punctuation stands between token ``i`` and ``i + 1``."""
    breaks = [False] * max(len(offsets) - 1, 0)
    if not breaks:
        return breaks
    starts = [start for start, _end in offsets]
    for found in PHRASE_BREAK_RE.finditer(text, offsets[0][1], offsets[-1][0]):
        # the gap before the first token that starts after the punctuation
        gap = bisect.bisect_right(starts, found.start()) - 1
        if 0 <= gap < len(breaks):
            breaks[gap] = True
    return breaks


def _result(theme, parent, hits, scan):
    """One theme's tag from its hits (its own and its sub-themes')."""
    weights, ranges = {}, {}
    for hit in hits:
        for unit in range(hit.start, hit.end):
            weights[unit] = max(weights.get(unit, 0.0), HOW_WEIGHTS[hit.how])
        ranges.setdefault((hit.start, hit.end), []).append(hit)
    matches, terms, kept = [], [], []
    # A term inside a longer matched phrase ("bus" in "bus stop") is not listed again.
    for start, end in sorted(ranges, key=lambda r: (r[0], -r[1])):
        if any(s <= start and end <= e for s, e in kept):
            continue
        kept.append((start, end))
        group = ranges[(start, end)]
        how = strongest([hit.how for hit in group])
        hit = next(h for h in group if h.how == how)
        span = scan.char_span(start, end)
        matched = scan.surface(start, end)
        if matched not in terms:
            terms.append(matched)
        matches.append({"span": span, "matched": matched, "how": how, "keyword": hit.keyword,
                        "negated": hit.negated})
    how = strongest([m["how"] for m in matches])
    first = next(m for m in matches if m["how"] == how)
    return {"theme": theme, "parent": parent, "terms": terms,
            "score": sum(weights.values()) / scan.units if scan.units else 0.0,
            "how": how, "span": first["span"], "matched": first["matched"], "matches": matches}


def _ranges_by_theme(hits):
    ranges = {}
    for hit in hits:
        ranges.setdefault(hit.theme, []).append((hit.start, hit.end))
    return ranges


def _find(keys, folded, index, unbroken=None):
    """Return a :class:`Hit` for every indexed phrase found in the key sequence.

    `folded` are the text's folded tokens (to tell how a stemmed match relates to its
    keyword); `unbroken(start, end)`, when given, vetoes a multi-token phrase that spans
    punctuation in the text.
    """
    size, found = len(keys), []
    for i, key in enumerate(keys):
        candidates = index.get(key)
        if candidates is None:
            continue
        for phrase, entries in candidates:
            end = i + len(phrase)
            if end > i + 1 and (end > size or tuple(keys[i:end]) != phrase
                                or (unbroken is not None and not unbroken(i, end))):
                continue
            written = tuple(folded[i:end])
            for theme, entry in entries.items():
                found.append(Hit(theme, i, end, entry.how(written), entry.keyword))
    return found


def _add(table, keys, theme, keyword, forms):
    entry = table.setdefault(keys, {}).setdefault(theme, _Entry(keyword))
    for form, how in forms.items():
        if entry.forms.get(form) != "exact":
            entry.forms[form] = how


def _group(table):
    index = {}
    for keys, entries in table.items():
        index.setdefault(keys[0], []).append((keys, entries))
    return {first: tuple(sorted(group, key=lambda e: -len(e[0]))) for first, group in index.items()}


def compile_language(themes, lang):
    """Compile a codebook's keywords for one language.

    Parameters
    ----------
    themes : sequence of Theme
        The codebook's themes (``Codebook.themes``).
    lang : str
        Primary language subtag.

    Returns
    -------
    CompiledLanguage

    Raises
    ------
    LanguageError
        If no theme has keywords in `lang`.

    Notes
    -----
    Token languages: each written form of a keyword (:func:`analysis.text.forms.keyword_forms`)
    is mapped to a tuple of match keys; tuples are indexed by their first key, longest first.
    A keyword written with a leading ``=`` (``=park``) is matched on folded tokens without
    stemming, for words whose stem collides with another word's (Snowball: *parking* ->
    ``park``, *training* -> ``train``, Spanish *caso* -> ``cas`` like *casa*); its other
    forms still match. Single-word forms of :data:`~analysis.text.evidence.FUZZY_MIN_LETTERS`
    letters or more also match one edit away. ``exclude:`` phrases are matched like ``=``
    keywords. Substring languages (Chinese, Japanese): keywords and exclusions are
    NFKC-normalised and casefolded and searched as substrings, because the text has no
    spaces between words.
    """
    parents = {theme.key: theme.parent for theme in themes}
    order = {theme.key: position for position, theme in enumerate(themes)}
    negated = {theme.key: theme.negated for theme in themes if theme.negated}
    stemmed, exact, excludes, fuzzy = {}, {}, {}, FuzzyIndex()
    substrings, substring_excludes = {}, {}
    for theme in themes:
        for keyword in theme.keywords.get(lang, ()):
            is_exact = keyword.startswith(EXACT_PREFIX)
            keyword = keyword.removeprefix(EXACT_PREFIX).strip()
            if lang in SUBSTRING_LANGUAGES:
                substrings.setdefault(_substring_fold(keyword), {}).setdefault(theme.key, keyword)
                continue
            forms = keyword_forms(keyword, lang)
            for form in forms:
                keys = form if is_exact else tuple(match_key(token, lang) for token in form)
                _add(exact if is_exact else stemmed, keys, theme.key, keyword, forms)
                if len(form) == 1:
                    fuzzy.add(form[0], (theme.key, keyword))
        for phrase in getattr(theme, "exclude", {}).get(lang, ()):
            if lang in SUBSTRING_LANGUAGES:
                substring_excludes.setdefault(_substring_fold(phrase), set()).add(theme.key)
                continue
            forms = keyword_forms(phrase, lang)
            for form in forms:
                _add(excludes, form, theme.key, phrase, forms)
    if not stemmed and not exact and not substrings:
        languages = sorted({code for theme in themes for code in theme.keywords})
        raise LanguageError(
            f"the codebook has no keywords in {lang!r}; it covers {', '.join(languages)}"
        )
    common = {"parents": parents, "order": order, "negated": negated}
    if lang in SUBSTRING_LANGUAGES:
        return CompiledLanguage(lang, index={}, exact={}, substrings=substrings,
                                fuzzy=FuzzyIndex(), excludes=substring_excludes, **common)
    return CompiledLanguage(lang, index=_group(stemmed), exact=_group(exact), substrings={},
                            fuzzy=fuzzy, excludes=_group(excludes), **common)
