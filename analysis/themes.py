"""What people say: themes in free text, in the languages it was written in.

A :class:`Codebook` names the themes (one level of sub-themes) with labels
and keywords per language. :func:`tag` finds them in a comment;
:func:`sentiment` scores English text with TextBlob; :func:`emerging_phrases`
finds frequent phrases no theme covers; :func:`representative_quotes` picks
quotes; the agreement functions compare coders; :func:`themes_report` does
it all for the report page and ``/api/v1/reports/themes``; :func:`train` learns
from reviewed texts on top of the codebook (:mod:`analysis.text.learn`);
:func:`evaluate_tags` and :func:`cross_validate` measure a tagger against
people (:mod:`analysis.text.evaluate`).

Everything here runs offline: no NLTK corpus, no model download.
"""

from collections.abc import Mapping

from analysis.agreement import (
    AgreementError,
    InsufficientDataError,
    LengthMismatchError,
    cohens_kappa,
    kappa_by_theme,
    krippendorff_alpha,
    percent_agreement,
)
from analysis.text.codebook import (
    Codebook,
    CodebookError,
    DuplicateThemeError,
    EmptyKeywordsError,
    InvalidThemeError,
    Theme,
    ThemeNestingError,
    UnknownParentError,
)
from analysis.text.english import english_blobber
from analysis.text.evaluate import cross_validate, evaluate_tags
from analysis.text.evidence import FUZZY_MIN_LETTERS, HOW, HOW_WEIGHTS
from analysis.text.learn import LEARNED, LearnedTagger, train
from analysis.text.normalise import LanguageError, normalise_lang
from analysis.text.pipeline import (
    SENTIMENT_LANGUAGES,
    SENTIMENT_METHOD,
    ItemError,
    analyse_items,
    analyse_text,
    emerging,
    english_sentiment,
    no_sentiment,
    quote_candidates,
)
from analysis.text.quotes import NEAR_DUPLICATE_JACCARD, select_quotes
from analysis.text.sentiment import measured_accuracy, theme_sentiment
from analysis.text.report import UnknownThemeError, build_report

__all__ = [
    "Codebook", "Theme", "CodebookError", "DuplicateThemeError", "UnknownParentError",
    "ThemeNestingError", "EmptyKeywordsError", "InvalidThemeError", "LanguageError",
    "ItemError", "UnknownThemeError",
    "AgreementError", "LengthMismatchError", "InsufficientDataError",
    "SENTIMENT_LANGUAGES", "SENTIMENT_METHOD", "NEAR_DUPLICATE_JACCARD",
    "HOW", "HOW_WEIGHTS", "FUZZY_MIN_LETTERS",
    "tag", "sentiment", "theme_sentiment", "sentiment_accuracy", "noun_phrases", "analyse", "tag_items",
    "emerging_phrases", "representative_quotes", "themes_report",
    "percent_agreement", "cohens_kappa", "kappa_by_theme", "krippendorff_alpha",
    "train", "LearnedTagger", "LEARNED", "evaluate_tags", "cross_validate",
]

def tag(text, codebook, lang):
    """Find the codebook's themes in one text.

    Parameters
    ----------
    text : str
        The comment as written.
    codebook : Codebook
    lang : str
        Language of the text (``"en"``, ``"es-MX"``...).

    Returns
    -------
    list of dict
        ``[{"theme", "parent", "terms", "score", "how", "span", "matched", "matches"}]``
        sorted by score (highest first), then codebook order.

        - ``terms``: the matched words as written, in order of appearance;
        - ``parent``: the parent's key for a sub-theme, else None;
        - ``how``: the strongest evidence among the theme's matches, one of :data:`HOW`
          (``"exact"``, ``"inflection"``, ``"fuzzy"``, ``"stem"``; ``"learned"`` is left to
          trained taggers);
        - ``span``: ``(start, end)`` character offsets in `text` as given of the first
          match with that evidence, and ``matched`` its text (``text[start:end]``);
        - ``matches``: every match, in text order, as ``{"span", "matched", "how",
          "keyword", "negated"}``; ``negated`` is True for a negated match the theme keeps
          or receives from a theme whose ``negated:`` names it.

    Raises
    ------
    LanguageError
        If `lang` is malformed or the codebook has no keywords in it.
    ItemError
        If `text` is not a string.

    Notes
    -----
    Text and keywords are normalised alike (casefold; accents folded for
    Latin-script languages; Arabic marks and alef forms unified) and
    stemmed with Snowball where a stemmer exists (en, es, fr, ar); Somali
    and Vietnamese match on normalised tokens; Chinese matches keywords as
    substrings of the NFKC-normalised text. Phrases match as consecutive
    stemmed tokens with no sentence or clause punctuation between them. A
    keyword written ``=word`` in the codebook is matched without stemming
    (see :func:`analysis.text.matcher.compile_language`).

    Matches are weighed by their evidence (:mod:`analysis.text.evidence`): a match through
    the Snowball stem alone ("apart" for *apartment*) is weaker than the keyword's own
    forms, and a word one edit from a keyword of :data:`FUZZY_MIN_LETTERS`+ letters that is
    not itself a word of the language (shipped word lists) matches as ``"fuzzy"``. English
    contractions match with or without the apostrophe ("dont"), and compounds hyphenated or
    joined ("lock-down", "lockdown").

    A theme's ``exclude:`` phrases cancel its matches inside them; a match negated by a
    word in the :data:`~analysis.text.negation.NEGATION_WINDOW` tokens before it ("do not
    trust") is dropped, kept (``negated: keep``) or given to the theme its ``negated:``
    names (:mod:`analysis.text.negation`).

    **score** = sum over the text's tokens covered by the theme's matches of the weight
    (:data:`HOW_WEIGHTS`) of the strongest match covering each, divided by the tokens in
    the text; for Chinese, characters instead of tokens. A phrase of k tokens therefore
    weighs k, each token counts once, and a short comment about one thing scores higher
    than a long one mentioning it in passing. A sub-theme's matches also count for its
    parent: the parent's score covers its own and all its sub-themes' keywords.

    Examples
    --------
    >>> cb = Codebook.from_dict({"themes": [
    ...     {"key": "transport", "labels": {"en": "Transport"},
    ...      "keywords": {"en": ["bus"], "es": ["transporte"]}},
    ...     {"key": "bus_stops", "parent": "transport", "labels": {"en": "Bus stops"},
    ...      "keywords": {"en": ["bus stop"]}}]})
    >>> [(m["theme"], m["terms"], m["score"]) for m in tag("More buses, safer bus stops", cb, "en")]
    [('transport', ['buses', 'bus stops'], 0.6), ('bus_stops', ['bus stops'], 0.4)]
    >>> tag("Los transportes", cb, "es")[0]["terms"]
    ['transportes']
    >>> found = tag("The bus stops were moved", cb, "en")[1]
    >>> found["how"], found["span"], found["matched"]
    ('inflection', (4, 13), 'bus stops')
    """
    if not isinstance(text, str):
        raise ItemError(f"text must be a string, not {type(text).__name__}")
    return codebook.compiled(lang).match(text)


def sentiment(text, lang):
    """Sentiment of a text where we can measure it; otherwise say why not.

    Parameters
    ----------
    text : str
    lang : str

    Returns
    -------
    dict
        ``{"polarity", "subjectivity", "available", "method", "reason"}``.
        English: TextBlob's PatternAnalyzer polarity in [-1, 1] and
        subjectivity in [0, 1]. Other languages: both None,
        ``available`` False and a ``reason``, never a made-up number.

    Notes
    -----
    PatternAnalyzer averages the polarity of the adjectives and adverbs of
    the pattern lexicon found in the text, with negation ("not good") and
    intensifiers ("very") handled (De Smedt and Daelemans 2012). It is a
    lexicon method tuned on reviews: read it as a rough direction.

    References
    ----------
    .. [1] De Smedt, T. and Daelemans, W. (2012). "Pattern for Python".
       Journal of Machine Learning Research 13, 2063-2067.

    Examples
    --------
    >>> sentiment("Simple is better than complex.", "en")["polarity"]
    0.06666666666666667
    >>> sentiment("Los autobuses son buenos.", "es")["available"]
    False
    """
    lang = normalise_lang(lang)
    if lang not in SENTIMENT_LANGUAGES:
        return no_sentiment(lang)
    return english_sentiment(english_blobber()(text))


def sentiment_accuracy():
    """How well per-theme sentiment is measured, on the project's own labelled set.

    Returns
    -------
    dict
        ``{"n", "clause", "sentence", "always_positive", "lang", "method"}``: 3-way accuracy
        (positive, neutral, negative) of the clause-level polarity, of the whole comment's
        polarity, and of always answering "positive"
        (:func:`analysis.text.sentiment.measured_accuracy`).

    Examples
    --------
    >>> figures = sentiment_accuracy()
    >>> figures["n"], round(figures["clause"], 3), round(figures["always_positive"], 3)
    (58, 0.776, 0.431)
    """
    return dict(measured_accuracy())


def noun_phrases(text, lang="en"):
    """Noun phrases of an English text (TextBlob, offline); [] for other languages.

    Parameters
    ----------
    text : str
    lang : str, default "en"

    Returns
    -------
    list of str
        Lower-cased phrases in order of appearance, as ``TextBlob.noun_phrases``.

    Notes
    -----
    The pattern tagger and chunker with the noun-phrase grammar of
    TextBlob's ``ConllExtractor`` (:class:`analysis.text.english.PatternNPExtractor`);
    no NLTK corpus is needed.

    Examples
    --------
    >>> noun_phrases("The new bus shelter on Main Street is great.")
    ['new bus shelter', 'main street']
    """
    if normalise_lang(lang) not in SENTIMENT_LANGUAGES:
        return []
    return list(english_blobber()(text).noun_phrases)


def analyse(text, codebook, lang):
    """Tag one text and add sentiment and noun phrases.

    Parameters
    ----------
    text : str
    codebook : Codebook
    lang : str

    Returns
    -------
    dict
        ``{"lang", "themes": tag(...), "sentiment": sentiment(...),
        "noun_phrases": noun_phrases(...), "supported"}``; English text goes
        through TextBlob once. Unlike :func:`tag`, a language the codebook
        lacks is not an error: ``supported`` is False and ``themes`` empty.

    Raises
    ------
    ItemError, LanguageError
        `text` is not a string; `lang` is malformed.

    Examples
    --------
    >>> cb = Codebook.from_dict({"themes": [{"key": "parks", "labels": {"en": "Parks"},
    ...                                       "keywords": {"en": ["park"]}}]})
    >>> result = analyse("The parks are lovely.", cb, "en")
    >>> result["themes"][0]["terms"], result["sentiment"]["polarity"]
    (['parks'], 0.5)
    """
    return analyse_text(text, codebook, lang)[0]


def tag_items(items, codebook):
    """Analyse many items: themes, sentiment and noun phrases for each.

    Parameters
    ----------
    items : iterable of mapping
        ``{"id", "text", "lang", "group" (optional), "respondent"
        (optional)}``.
    codebook : Codebook

    Returns
    -------
    list of dict
        Per item ``{"id", "text", "group", "respondent", "lang", "themes",
        "sentiment", "noun_phrases", "supported"}``; ``supported`` is False
        (and ``themes`` empty) when the codebook has no keywords in the
        item's language. This is the input :func:`representative_quotes`
        takes.

    Raises
    ------
    ItemError
        An item without text or language, or with a malformed language code.
    """
    return analyse_items(items, codebook)[0]


def emerging_phrases(texts, codebook, *, min_count=3, limit=20):
    """Frequent phrases that no codebook theme covers: candidates for new themes.

    Parameters
    ----------
    texts : iterable
        ``(text, lang)`` pairs or mappings with ``"text"`` and ``"lang"``.
    codebook : Codebook
    min_count : int, default 3
        Fewest texts a phrase must occur in.
    limit : int, default 20
        Most phrases returned.

    Returns
    -------
    list of dict
        ``[{"phrase", "count", "lang", "examples", "kind"}]``, most frequent
        first; ``examples`` holds up to 3 texts; ``kind`` is
        ``"noun_phrase"`` or ``"ngram"``.

    Notes
    -----
    Candidates are English noun phrases (TextBlob, offline extractor) and,
    in every language, stemmed 1- to 3-grams that do not start or end with
    a stopword, do not cross punctuation and do not overlap a codebook match
    (Chinese: 2- to 4-character sequences without function characters).
    Counts are numbers of texts. Texts in languages the codebook lacks are
    skipped. See :func:`analysis.text.emerging.emerging_from_scans`.

    Examples
    --------
    >>> cb = Codebook.from_dict({"themes": [{"key": "transport",
    ...     "labels": {"en": "Transport"}, "keywords": {"en": ["bus"]}}]})
    >>> texts = [("The bus is late and the food pantry closed", "en"),
    ...          ("Food pantry hours are too short", "en")]
    >>> [(p["phrase"], p["count"]) for p in emerging_phrases(texts, cb, min_count=2)]
    [('food pantry', 2)]
    """
    if min_count < 1 or limit < 0:
        raise ValueError("min_count must be at least 1 and limit at least 0")
    items = []
    for index, entry in enumerate(texts):
        if isinstance(entry, Mapping):
            items.append(entry)
        elif isinstance(entry, (tuple, list)) and len(entry) == 2:
            items.append({"text": entry[0], "lang": entry[1]})
        else:
            raise ItemError(f"text {index} must be a (text, lang) pair or a mapping")
    records, scans = analyse_items(items, codebook)
    return emerging(records, scans, min_count=min_count, limit=limit)


def representative_quotes(tagged_texts, theme, *, limit=3, max_length=280):
    """Pick short, on-theme, varied quotes for one theme.

    Parameters
    ----------
    tagged_texts : iterable of dict
        Output of :func:`tag_items` (or dicts with ``"text"`` and
        ``"themes"`` as :func:`tag` returns them, plus optional ``"id"``,
        ``"lang"``, ``"group"``, ``"respondent"``).
    theme : str
        Theme key.
    limit : int, default 3
    max_length : int, default 280
        Longest quote shown whole; longer texts are used only to fill up,
        cut at a word boundary with an ellipsis.

    Returns
    -------
    list of dict
        ``[{"id", "text", "score", "lang", "group", "truncated"}]``.

    Notes
    -----
    Highest theme score first, then shortest; never two near-duplicates
    (Jaccard similarity of word sets >= :data:`NEAR_DUPLICATE_JACCARD`);
    different respondents, then different groups, preferred. See
    :func:`analysis.text.quotes.select_quotes`.

    References
    ----------
    .. [1] Broder, A. Z. (1997). "On the resemblance and containment of
       documents". Compression and Complexity of Sequences, 21-29.
    """
    if limit < 0 or max_length < 2:
        raise ValueError("limit must be at least 0 and max_length at least 2")
    return select_quotes(quote_candidates(tagged_texts, theme), limit=limit,
                         max_length=max_length)


def themes_report(items, codebook, *, human_tags=None, lang=None, quotes=3,
                  max_quote_length=280, emerging_min_count=3, emerging_limit=20):
    """Build the themes report: counts, sentiment, quotes, agreement, emerging.

    Parameters
    ----------
    items : iterable of mapping
        ``{"id", "text", "lang", "group" (optional), "respondent"
        (optional)}``: free-text answers and focus-group notes.
    codebook : Codebook
    human_tags : mapping, optional
        Item id -> set of theme keys a person assigned. When given, the
        report compares the tagger with the people, theme by theme.
    lang : str, optional
        Language of the theme labels (default: the codebook's).
    quotes : int, default 3
        Quotes per theme.
    max_quote_length : int, default 280
    emerging_min_count : int, default 3
    emerging_limit : int, default 20

    Returns
    -------
    dict
        ``{"n", "n_tagged", "unsupported_languages": {lang: count},
        "themes": [{"key", "label", "parent", "count", "share",
        "sentiment": {"mean_polarity", "mean_subjectivity", "n"} or None,
        "quotes": [...]}], "agreement": [{"theme", "kappa",
        "percent_agreement", "n", "tagger_count", "human_count"}],
        "emerging": [{"phrase", "count", "lang", "examples", "kind"}],
        "methods": {...}}`` (DESIGN.md, themes report).

    Raises
    ------
    ItemError
        An item without text or language, a malformed language code, or
        duplicate ids when `human_tags` is given.
    UnknownThemeError
        `human_tags` naming a theme the codebook lacks.

    Notes
    -----
    - Themes are listed in codebook order, zero counts included. ``count``
      is the number of items tagged with the theme (a sub-theme's items
      count for the parent); ``share`` divides by the items in languages
      the codebook covers. Items in other languages are counted in
      ``unsupported_languages`` and otherwise left out.
    - ``sentiment`` is the mean TextBlob polarity of the theme's English
      items (``n`` of them); None when there are none.
    - ``agreement``: for items that have human tags, Cohen's kappa per theme
      with each theme coded present/absent (:func:`kappa_by_theme`); human
      sub-theme tags count for their parents, as the tagger's do.
    - ``emerging``: :func:`emerging_phrases` over the same items.

    Examples
    --------
    >>> cb = Codebook.from_dict({"themes": [{"key": "parks", "labels": {"en": "Parks"},
    ...     "keywords": {"en": ["park"]}}]})
    >>> items = [{"id": 1, "text": "Lovely parks.", "lang": "en"},
    ...          {"id": 2, "text": "The park needs toilets.", "lang": "en"}]
    >>> report = themes_report(items, cb, human_tags={1: {"parks"}, 2: set()})
    >>> report["themes"][0]["count"], report["agreement"][0]["percent_agreement"]
    (2, 0.5)
    """
    return build_report(items, codebook, human_tags=human_tags, lang=lang, quotes=quotes,
                        max_quote_length=max_quote_length,
                        emerging_min_count=emerging_min_count, emerging_limit=emerging_limit)
