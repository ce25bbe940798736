"""A codebook compiled for one language, and the keyword tagger built on it.

Compiling turns every keyword (and its plural variants) into a tuple of
match keys (:func:`analysis.text.normalise.match_key`) and indexes the
tuples by their first key. Tagging a comment is then one pass over its
tokens with a dict lookup per token: no regular expression per keyword and
no stemming of the codebook per comment.
"""

import unicodedata
from dataclasses import dataclass

from analysis.text.normalise import (
    PHRASE_BREAK_RE,
    SUBSTRING_LANGUAGES,
    LanguageError,
    fold,
    match_key,
    stopwords,
    strip_marks,
    tokenize,
)

__all__ = [
    "EXACT_PREFIX", "CompiledLanguage", "TextScan", "compile_language", "keyword_variants",
]

#: Vietnamese keywords of at least this many syllables also match when typed
#: without tone marks (common on phones without a Vietnamese keyboard); one
#: syllable without marks is too ambiguous (ma, má, mà, mả, mã, mạ).
VI_MIN_UNMARKED_SYLLABLES = 2

#: Marks a keyword matched without stemming (see :func:`compile_language`).
EXACT_PREFIX = "="

_SPANISH_VOWELS = frozenset("aeiouáéíóú")
_SPANISH_STRESSED = frozenset("áéíóú")


def _spanish_plural(word):
    # Real Academia Española, Nueva gramática (2009), §3: vowel +s, z -> ces,
    # final stressed syllable in -s (autobús, país) +es, other consonants +es.
    last = word[-1:].lower()
    if last in _SPANISH_VOWELS:
        return word + "s"
    if last == "z":
        return word[:-1] + "ces"
    if last in ("s", "x"):
        stressed_last_syllable = len(word) > 1 and word[-2].lower() in _SPANISH_STRESSED
        return word + "es" if stressed_last_syllable else word
    return word + "es"


def _french_plural(word):
    # Grevisse, Le Bon usage: +s; -s/-x/-z unchanged; -au/-eau/-eu +x; -al -> -aux.
    lower = word.lower()
    if lower.endswith(("s", "x", "z")):
        return word
    if lower.endswith(("au", "eu")):
        return word + "x"
    if lower.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def keyword_variants(keyword, lang):
    """Return the surface forms a keyword is compiled under.

    Parameters
    ----------
    keyword : str
        A codebook keyword or phrase, written in its base form.
    lang : str
        Primary language subtag.

    Returns
    -------
    set of str
        The keyword itself plus, for English, the plural of its head (last)
        word (TextBlob's inflector: bus -> buses, child -> children); for
        Spanish and French, the regular plural of every word that is not a
        stopword (transporte público -> transportes públicos); for
        Vietnamese phrases of two or more syllables, the form without tone
        marks.

    Notes
    -----
    Snowball already conflates most inflections; these variants cover the
    cases where it does not (English *buses* -> ``buse`` but *bus* ->
    ``bus``; Spanish *alquileres* -> ``alquiler`` but *alquiler* ->
    ``alquil``). Variants only ever add matches for the same theme.

    Examples
    --------
    >>> sorted(keyword_variants("bus", "en"))
    ['bus', 'buses']
    >>> sorted(keyword_variants("transporte público", "es"))
    ['transporte público', 'transportes públicos']
    >>> sorted(keyword_variants("đèn đường", "vi"))
    ['den duong', 'đèn đường']
    """
    words = keyword.split()
    variants = {keyword}
    if lang == "en":
        # Imported here: textblob imports nltk (and through it scikit-learn and
        # pandas when installed), seconds of start-up that loading or checking
        # a codebook should not pay.
        from textblob.inflect import pluralize

        variants.add(" ".join(words[:-1] + [pluralize(words[-1])]))
    elif lang in ("es", "fr"):
        plural = _spanish_plural if lang == "es" else _french_plural
        skip = stopwords(lang)
        variants.add(" ".join(w if fold(w, lang) in skip else plural(w) for w in words))
    elif lang == "vi" and len(words) >= VI_MIN_UNMARKED_SYLLABLES:
        variants.add(strip_marks(keyword).replace("đ", "d").replace("Đ", "D"))
    return variants


def _substring_fold(text):
    # Full-width Latin letters and digits, compatibility ideographs: NFKC.
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class TextScan:
    """Where a compiled codebook matched inside one text.

    Attributes
    ----------
    text : str
        The text the positions refer to (NFC, or NFKC for substring languages).
    units : int
        Number of tokens (characters that are letters or digits for
        substring languages); the denominator of match scores.
    keys : list of str
        Match key per unit (empty for substring languages).
    offsets : list of (int, int)
        Character span per unit (empty for substring languages, where unit
        ``i`` is character ``i``).
    hits : dict
        Theme key -> list of ``(start, end)`` unit ranges it matched
        directly (sub-theme matches are not yet credited to parents).
    """

    text: str
    units: int
    keys: list
    offsets: list
    hits: dict

    def surface(self, start, end):
        """Return the text of the unit range ``[start, end)`` as written."""
        if not self.offsets:
            return self.text[start:end]
        return self.text[self.offsets[start][0]:self.offsets[end - 1][1]]


class CompiledLanguage:
    """A codebook's keywords in one language, indexed for fast tagging.

    Build with :func:`compile_language` (or :meth:`Codebook.compiled`).
    """

    def __init__(self, lang, index, exact, substrings, parents, order):
        self.lang = lang
        self.substring = lang in SUBSTRING_LANGUAGES
        self._index = index            # first stem -> ((stems, themes), ...) longest first
        self._exact = exact            # the same for exact (=) keywords, on folded tokens
        self._substrings = substrings  # folded keyword -> themes (substring languages)
        self._parents = parents        # theme -> parent or None
        self._order = order            # theme -> position in the codebook

    def scan(self, text):
        """Find every keyword occurrence in `text`; return a :class:`TextScan`."""
        if self.substring:
            return self._scan_substrings(text)
        text = unicodedata.normalize("NFC", text)
        tokens = tokenize(text)
        lang = self.lang
        keys = [match_key(token.group(), lang) for token in tokens]
        offsets = [token.span() for token in tokens]

        def unbroken(start, end):
            return not PHRASE_BREAK_RE.search(text, offsets[start][1], offsets[end - 1][0])

        hits = {}
        _find(keys, self._index, hits, unbroken)
        if self._exact:
            _find([fold(token.group(), lang) for token in tokens], self._exact, hits, unbroken)
        return TextScan(text, len(keys), keys, offsets, hits)

    def _scan_substrings(self, text):
        text = _substring_fold(text)
        hits = {}
        for keyword, themes in self._substrings.items():
            start = text.find(keyword)
            while start != -1:
                for theme in themes:
                    hits.setdefault(theme, []).append((start, start + len(keyword)))
                start = text.find(keyword, start + 1)
        units = sum(1 for ch in text if ch.isalnum())
        return TextScan(text, units, [], [], hits)

    def covers(self, tokens):
        """Return True if a keyword occurs in a sequence of surface tokens.

        Token languages only; used to tell whether a candidate phrase is
        already covered by the codebook.
        """
        hits = {}
        _find([match_key(token, self.lang) for token in tokens], self._index, hits)
        if self._exact and not hits:
            _find([fold(token, self.lang) for token in tokens], self._exact, hits)
        return bool(hits)

    def match(self, text):
        """Tag `text`: the themes it mentions, with terms and scores.

        Returns
        -------
        list of dict
            ``{"theme", "parent", "terms", "score"}`` sorted by score
            (highest first), then codebook order. See
            :func:`analysis.themes.tag` for the definition of the score.
        """
        return self.matches_from_scan(self.scan(text))

    def matches_from_scan(self, scan):
        """Build the :meth:`match` result from a :class:`TextScan`."""
        spans = {}
        for theme, ranges in scan.hits.items():
            spans.setdefault(theme, []).extend(ranges)
            parent = self._parents[theme]
            if parent is not None:
                spans.setdefault(parent, []).extend(ranges)
        results = []
        for theme, ranges in spans.items():
            covered, terms, kept = set(), [], []
            # A term inside a longer matched phrase ("bus" in "bus stop") is
            # not listed again; coverage counts each unit once.
            for start, end in sorted(set(ranges), key=lambda r: (r[0], -r[1])):
                covered.update(range(start, end))
                if not any(s <= start and end <= e for s, e in kept):
                    kept.append((start, end))
                    term = scan.surface(start, end)
                    if term not in terms:
                        terms.append(term)
            results.append({
                "theme": theme,
                "parent": self._parents[theme],
                "terms": terms,
                "score": len(covered) / scan.units if scan.units else 0.0,
            })
        results.sort(key=lambda r: (-r["score"], self._order[r["theme"]]))
        return results


def _find(keys, index, hits, unbroken=None):
    """Add to `hits` every indexed phrase found in the key sequence.

    `unbroken(start, end)`, when given, vetoes a multi-token phrase that
    spans punctuation in the text.
    """
    size = len(keys)
    for i, key in enumerate(keys):
        candidates = index.get(key)
        if candidates is None:
            continue
        for phrase, themes in candidates:
            end = i + len(phrase)
            if end > i + 1 and (end > size or tuple(keys[i:end]) != phrase
                                or (unbroken is not None and not unbroken(i, end))):
                continue
            for theme in themes:
                hits.setdefault(theme, []).append((i, end))


def _group(entries):
    index = {}
    for keys, found in entries.items():
        index.setdefault(keys[0], []).append((keys, frozenset(found)))
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
    Token languages: each variant (:func:`keyword_variants`) is tokenised
    and mapped to a tuple of match keys; tuples are indexed by their first
    key, longest first. A keyword written with a leading ``=`` (``=park``)
    is matched on folded tokens without stemming, for words whose stem
    collides with another word's (Snowball: *parking* -> ``park``,
    *training* -> ``train``, Spanish *caso* -> ``cas`` like *casa*); its
    plural variants are still added. Substring languages (Chinese, Japanese): keywords
    are NFKC-normalised and casefolded and searched as substrings, because
    the text has no spaces between words.
    """
    parents = {theme.key: theme.parent for theme in themes}
    order = {theme.key: position for position, theme in enumerate(themes)}
    stemmed, exact = {}, {}
    for theme in themes:
        for keyword in theme.keywords.get(lang, ()):
            is_exact = keyword.startswith(EXACT_PREFIX)
            keyword = keyword.removeprefix(EXACT_PREFIX).strip()
            if lang in SUBSTRING_LANGUAGES:
                stemmed.setdefault(_substring_fold(keyword), set()).add(theme.key)
                continue
            key_of = fold if is_exact else match_key
            for variant in keyword_variants(keyword, lang):
                keys = tuple(key_of(token.group(), lang) for token in tokenize(variant))
                if keys:
                    (exact if is_exact else stemmed).setdefault(keys, set()).add(theme.key)
    if not stemmed and not exact:
        languages = sorted({code for theme in themes for code in theme.keywords})
        raise LanguageError(
            f"the codebook has no keywords in {lang!r}; it covers {', '.join(languages)}"
        )
    if lang in SUBSTRING_LANGUAGES:
        substrings = {word: frozenset(found) for word, found in stemmed.items()}
        return CompiledLanguage(lang, {}, {}, substrings, parents, order)
    return CompiledLanguage(lang, _group(stemmed), _group(exact), {}, parents, order)
