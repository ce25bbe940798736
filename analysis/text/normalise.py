"""Normalisation for theme matching: language codes, tokens, folding, stems.

Every comparison between a codebook keyword and a resident's words goes
through the same two steps, so both sides always agree:

``fold(token, lang)``
    casefold, then a language-specific clean-up (accents, Arabic marks).
``match_key(token, lang)``
    ``fold`` followed by the language's Snowball stemmer, where it has one.

Both are memoised: free text follows a Zipf distribution, so after the
first few hundred comments almost every token is a cache hit and the pure
Python stemmer rarely runs.
"""

import functools
import re
import threading
import unicodedata
from importlib import resources

import snowballstemmer

__all__ = [
    "LanguageError",
    "ACCENT_FOLDED_LANGUAGES",
    "SNOWBALL_ALGORITHMS",
    "SUBSTRING_LANGUAGES",
    "PHRASE_BREAK_RE",
    "normalise_lang",
    "tokenize",
    "han_runs",
    "strip_marks",
    "fold",
    "match_key",
    "stopwords",
]


class LanguageError(ValueError):
    """A language code that is malformed or that the codebook does not cover."""


#: ISO 639-1 code -> Snowball algorithm name (Porter 2001, "Snowball: a
#: language for stemming algorithms"; the set shipped by `snowballstemmer`).
#: Somali and Vietnamese have no Snowball stemmer: they match on folded tokens.
_SNOWBALL_BY_ISO = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish",
    "de": "german", "el": "greek", "en": "english", "eo": "esperanto",
    "es": "spanish", "et": "estonian", "eu": "basque", "fa": "persian",
    "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "st": "sesotho", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
_AVAILABLE = frozenset(snowballstemmer.algorithms())
#: The stemmers this installation really has (older snowballstemmer
#: releases ship fewer algorithms).
SNOWBALL_ALGORITHMS = {
    iso: name for iso, name in _SNOWBALL_BY_ISO.items() if name in _AVAILABLE
}

#: Languages written without spaces between words. Keywords match as
#: substrings of the text instead of as token sequences.
SUBSTRING_LANGUAGES = frozenset({"zh", "ja"})

#: Latin-script languages whose accents are folded for matching (é -> e,
#: ñ -> n, ç -> c): residents on phone keyboards often leave them out, and
#: folding both sides before stemming keeps keyword and text in step.
#: Vietnamese is deliberately absent: its tone marks tell words apart.
ACCENT_FOLDED_LANGUAGES = frozenset({"en", "es", "fr", "so", "pt", "it", "ca"})

#: Upper bound on memoised tokens per cache (a few MB at most).
TOKEN_CACHE_SIZE = 1 << 17

# Letters and digits, with any combining marks that follow them (Arabic
# harakat, decomposed Latin accents), so a vowelled Arabic word or a
# decomposed "é" is one token rather than several.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_TOKEN_RE = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}])*")
#: Punctuation that ends a phrase: a sentence or clause break between two
#: tokens ("the bus. Stop raising rents" has no "bus stop"). Latin, CJK and
#: Arabic full stops, commas, question marks and semicolons, plus line breaks.
PHRASE_BREAK_RE = re.compile(
    r"[.!?;:,()\[\]{}\"\u3002\uff0c\uff01\uff1f\uff1b\u060c\u061b\u061f\u06d4\n]"
)
_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LANG_RE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")

# Arabic: harakat, Quranic annotation marks and tatweel carry no meaning for
# matching; the hamza-carrying alefs are written interchangeably online.
_ARABIC_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
# "wa-"/"fa-" (and, so) before the article "al-": Snowball leaves "وال..."
# untouched, so we drop the conjunction and let the stemmer take the article.
_ARABIC_CONJ_ARTICLE = ("وال", "فال")
_ARABIC_MIN_CONJ_LENGTH = 5  # conjunction + article + at least two letters
# Snowball strips the feminine plural "ـات" only from long words and leaves
# "ـا" on shorter ones (حافلات -> حافلا but الحافلات -> حافل); finish the job.
_ARABIC_PLURAL = "ات"


def normalise_lang(lang):
    """Return the primary ISO 639 subtag of a language tag, lower-cased.

    Parameters
    ----------
    lang : str
        A BCP 47 tag such as ``"en"``, ``"es-MX"`` or ``"zh-Hant"``.

    Returns
    -------
    str
        The primary subtag (``"es"``, ``"zh"``).

    Raises
    ------
    LanguageError
        If `lang` is not a string shaped like a language tag.

    Notes
    -----
    Matching works per primary language: regional variants share keywords.

    References
    ----------
    .. [1] Phillips, A. and Davis, M. (2009). "Tags for Identifying
       Languages", BCP 47 / RFC 5646.

    Examples
    --------
    >>> normalise_lang("es-MX"), normalise_lang("ZH_Hant")
    ('es', 'zh')
    """
    match = _LANG_RE.match(lang) if isinstance(lang, str) else None
    if match is None:
        raise LanguageError(
            f"{lang!r} is not a language code; use an ISO 639 code such as 'en' or 'es-MX'"
        )
    return match.group(1).lower()


def tokenize(text):
    """Return the word tokens of `text` as regex matches (with their spans).

    Parameters
    ----------
    text : str

    Returns
    -------
    list of re.Match
        One per run of letters/digits (with trailing combining marks);
        ``m.group()`` is the surface token and ``m.span()`` its position.

    Notes
    -----
    Punctuation, apostrophes and hyphens separate tokens, so French elision
    (``l'éclairage``) and hyphenated compounds (``bus-stop``) split into
    words that the codebook can name.

    Examples
    --------
    >>> [m.group() for m in tokenize("L'éclairage du bus-stop, SVP!")]
    ['L', 'éclairage', 'du', 'bus', 'stop', 'SVP']
    """
    return list(_TOKEN_RE.finditer(text))


def han_runs(text):
    """Return the runs of Han characters in `text` as regex matches.

    Examples
    --------
    >>> [m.group() for m in han_runs("公交车太少, bus 不准时")]
    ['公交车太少', '不准时']
    """
    return list(_HAN_RE.finditer(text))


def strip_marks(text):
    """Remove combining marks (accents) from `text`.

    Examples
    --------
    >>> strip_marks("éclairage, niños, garçon")
    'eclairage, ninos, garcon'
    """
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


@functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)
def fold(token, lang):
    """Casefold a token and apply the language's matching clean-up.

    Parameters
    ----------
    token : str
        One token as written.
    lang : str
        Primary language subtag (see :func:`normalise_lang`).

    Returns
    -------
    str

    Notes
    -----
    - Latin-script languages in :data:`ACCENT_FOLDED_LANGUAGES`: accents
      removed.
    - Arabic (``ar``): harakat, Quranic marks and tatweel removed; أ إ آ ٱ
      written as ا. ة and ى are left to the Snowball stemmer, which handles
      them.
    - Vietnamese and all others: casefold and NFC only (Vietnamese tone
      marks distinguish words: *nhà* house, *nhá* no).

    Examples
    --------
    >>> fold("Autobús", "es"), fold("Nhà", "vi"), fold("الإيجَار", "ar")
    ('autobus', 'nhà', 'الايجار')
    """
    folded = token.casefold()
    if lang == "ar":
        return _ARABIC_MARKS_RE.sub("", folded).translate(_ARABIC_ALEFS)
    if lang in ACCENT_FOLDED_LANGUAGES:
        return strip_marks(folded)
    return unicodedata.normalize("NFC", folded)


class _Stemmer:
    """A Snowball stemmer shared between threads (its state is per call)."""

    def __init__(self, algorithm):
        self._stemmer = snowballstemmer.stemmer(algorithm)
        self._lock = threading.Lock()

    def __call__(self, word):
        with self._lock:
            return self._stemmer.stemWord(word)


@functools.lru_cache(maxsize=None)
def _stemmer_for(lang):
    algorithm = SNOWBALL_ALGORITHMS.get(lang)
    return _Stemmer(algorithm) if algorithm else None


@functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)
def match_key(token, lang):
    """Return the key a token is matched on: folded, then stemmed.

    Parameters
    ----------
    token : str
        One token as written.
    lang : str
        Primary language subtag.

    Returns
    -------
    str

    Notes
    -----
    Snowball stemmers exist for English, Spanish, French, Arabic and the
    other languages in :data:`SNOWBALL_ALGORITHMS`; other languages (Somali,
    Vietnamese) match on :func:`fold` alone. For Arabic, a leading
    conjunction before the article (وال, فال) is dropped before stemming and a
    feminine-plural remainder ``ا`` is dropped after it, so singular, plural
    and article forms share a key.

    References
    ----------
    .. [1] Porter, M. F. (2001). "Snowball: A language for stemming
       algorithms". https://snowballstem.org/

    Examples
    --------
    >>> match_key("transportes", "es") == match_key("transporte", "es")
    True
    >>> match_key("الحافلات", "ar") == match_key("حافلات", "ar")
    True
    """
    folded = fold(token, lang)
    stem = _stemmer_for(lang)
    if stem is None:
        return folded
    if (lang == "ar" and folded.startswith(_ARABIC_CONJ_ARTICLE)
            and len(folded) >= _ARABIC_MIN_CONJ_LENGTH):
        folded = folded[1:]
    key = stem(folded)
    if lang == "ar" and folded.endswith(_ARABIC_PLURAL) and key.endswith(_ARABIC_PLURAL[0]):
        key = key[:-1]
    return key


@functools.lru_cache(maxsize=None)
def stopwords(lang):
    """Return the folded stopwords shipped for a language.

    Parameters
    ----------
    lang : str
        Primary language subtag.

    Returns
    -------
    frozenset of str
        Empty when the project ships no list for `lang`.

    Notes
    -----
    The lists live in ``analysis/data/stopwords/<lang>.txt`` (words
    separated by white space, ``#`` comments); the NLTK stopwords corpus is not available
    offline. For Chinese the list holds single function characters.

    Examples
    --------
    >>> "the" in stopwords("en"), "bus" in stopwords("en")
    (True, False)
    """
    path = resources.files("analysis") / "data" / "stopwords" / f"{lang}.txt"
    if not path.is_file():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words.update(fold(word, lang) for word in line.split("#", 1)[0].split())
    return frozenset(words)
