"""TextBlob for English, set up to run offline with what the project ships.

TextBlob's defaults need NLTK corpora downloaded from the internet
(``punkt`` for sentences and words, ``brown`` for ``FastNPExtractor``,
``conll2000`` for ``ConllExtractor``, a trained model for ``NLTKTagger``).
Our machines reach only package registries, so we swap each for a part that
needs no corpus:

=================  =========================================================
TextBlob slot      what we use
=================  =========================================================
tokenizer          :class:`WordTokenizer`: :class:`SentenceTokenizer`, then
                   a Treebank-style regular expression
sentences          :class:`SentenceTokenizer`: NLTK's Punkt algorithm with a
                   parameter set written here (common English
                   abbreviations), no training data
pos_tagger         ``textblob.taggers.PatternTagger`` (lexicon inside textblob)
np_extractor       :class:`PatternNPExtractor`: the pattern chunker plus the
                   noun-phrase grammar of TextBlob's ``ConllExtractor``
analyzer           :class:`PatternSentimentAnalyzer`: TextBlob's
                   ``PatternAnalyzer`` (lexicon inside textblob), same numbers
parser             ``textblob.parsers.PatternParser``
=================  =========================================================

``TextBlob.sentences`` is the one property that still calls NLTK's
``sent_tokenize`` directly; use :class:`SentenceTokenizer` instead.
"""

import functools
import gc
import re
import threading
import warnings
from collections import namedtuple

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
from textblob import Blobber
from textblob.base import BaseNPExtractor, BaseTokenizer
from textblob.en import lexicon as _pattern_lexicon
from textblob.en import parser as _pattern_parser
from textblob.en import sentiment as _pattern_sentiment
from textblob.en.parsers import PatternParser
from textblob.en.sentiments import PatternAnalyzer
from textblob.en.taggers import PatternTagger

__all__ = [
    "ENGLISH_ABBREVIATIONS",
    "punkt_parameters",
    "SentenceTokenizer",
    "WordTokenizer",
    "sentence_tokens",
    "PatternNPExtractor",
    "PatternSentimentAnalyzer",
    "Sentiment",
    "english_blobber",
    "ensure_pattern_loaded",
]

#: Abbreviations that end in a period without ending a sentence, as Punkt
#: stores them (lower case, no final period). Chosen for community-survey
#: text: titles, addresses, dates, units and Latin shorthands. "no" and "us"
#: are left out on purpose: as words they often end a sentence.
ENGLISH_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "rev", "sr", "jr", "st", "mt", "ft",
    "ave", "rd", "blvd", "ln", "hwy", "apt", "bldg", "fl", "ste", "dept",
    "govt", "co", "corp", "inc", "ltd", "assn", "approx", "est", "misc",
    "etc", "vs", "e.g", "i.e", "cf", "al", "a.m", "p.m", "u.s", "u.k",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
    "sat", "sun", "hr", "hrs", "min", "mins", "wk", "yr", "yrs", "tel", "ext",
})

#: Tags dropped from a noun phrase (TextBlob's ``INSIGNIFICANT_SUFFIXES``).
INSIGNIFICANT_TAGS = ("DT", "CC", "PRP$", "PRP")

#: The noun-phrase grammar of TextBlob's ``ConllExtractor``/``FastNPExtractor``:
#: pairs of tags that merge; a phrase is kept when it reduces to a proper
#: noun (NNP) or a compound noun (NNI).
NP_GRAMMAR = {
    ("NNP", "NNP"): "NNP",
    ("NN", "NN"): "NNI",
    ("NNI", "NN"): "NNI",
    ("JJ", "JJ"): "JJ",
    ("JJ", "NN"): "NNI",
}
# Plural and comparative tags merge like their base tags (NNS like NN).
_TAG_BASE = {"NNS": "NN", "NNPS": "NNP", "JJR": "JJ", "JJS": "JJ"}

_LINE_BREAK_RE = re.compile(r"\s*\n\s*")
_WORD_RE = re.compile(
    r"""\w+(?=n't\b)                          # do|n't, ca|n't
      | n't\b
      | '(?:s|re|ve|ll|d|m)\b                 # 's 're 've 'll 'd 'm
      | \w+(?:[-.]\w+|'(?!(?:s|re|ve|ll|d|m)\b)\w+)*  # words, e-mail, o'clock
      | \.\.\.|[^\w\s]                        # punctuation
    """,
    re.VERBOSE | re.IGNORECASE,
)


def punkt_parameters():
    """Return a fresh Punkt parameter set with :data:`ENGLISH_ABBREVIATIONS`.

    Returns
    -------
    nltk.tokenize.punkt.PunktParameters

    Notes
    -----
    Punkt (Kiss and Strunk 2006) normally learns abbreviations, collocations
    and sentence starters from a corpus; the pre-trained English set is the
    ``punkt`` download we cannot make. With a hand-written abbreviation list
    and no learned statistics it still applies its token-level rules
    (initials, ellipses, numbers).

    References
    ----------
    .. [1] Kiss, T. and Strunk, J. (2006). "Unsupervised Multilingual
       Sentence Boundary Detection". Computational Linguistics 32(4),
       485-525.
    """
    params = PunktParameters()
    params.abbrev_types.update(ENGLISH_ABBREVIATIONS)
    params.ortho_context = _UnseenIsZero()
    return params


class _UnseenIsZero(dict):
    """Orthographic context counts where an unseen word reads as 0.

    Punkt looks up the word after every candidate full stop; its defaultdict
    would store each one, so a long-running server's tokenizer would grow
    with the vocabulary of everything it has read.
    """

    def __missing__(self, key):
        return 0


class SentenceTokenizer(BaseTokenizer):
    """Split English text into sentences without NLTK data.

    Line breaks always end a sentence (survey answers are often lists);
    inside a line, Punkt decides with :func:`punkt_parameters`.

    Examples
    --------
    >>> SentenceTokenizer().tokenize("Ask Dr. Lee about it. Buses are late!\\n- rent")
    ['Ask Dr. Lee about it.', 'Buses are late!', '- rent']
    """

    def __init__(self):
        self._punkt = PunktSentenceTokenizer(punkt_parameters())

    def tokenize(self, text):
        """Return the list of sentences in `text`."""
        sentences = []
        for line in _LINE_BREAK_RE.split(text.strip()):
            if line:
                sentences.extend(self._punkt.tokenize(line))
        return sentences


class WordTokenizer(BaseTokenizer):
    """Treebank-style English word tokenizer that needs no NLTK data.

    Parameters
    ----------
    include_punc : bool, default True
        Keep punctuation tokens (TextBlob's ``WordTokenizer`` default).

    Examples
    --------
    >>> WordTokenizer().tokenize("We don't have buses on St. Mary's Rd.")
    ['We', 'do', "n't", 'have', 'buses', 'on', 'St.', 'Mary', "'s", 'Rd', '.']
    """

    def __init__(self, include_punc=True):
        self.include_punc = include_punc
        self._sentences = SentenceTokenizer()

    def tokenize(self, text, include_punc=None):
        """Return the tokens of `text`, sentence by sentence."""
        keep = self.include_punc if include_punc is None else include_punc
        tokens = []
        for sentence in self._sentences.tokenize(text):
            tokens.extend(sentence_tokens(sentence))
        return tokens if keep else [t for t in tokens if t[0].isalnum() or t[0] == "'"]


def sentence_tokens(sentence):
    """Tokenise one sentence; a known abbreviation keeps its period.

    The period of an abbreviation that ends the sentence stays a separate
    token, as the sentence's full stop.
    """
    matches = list(_WORD_RE.finditer(sentence.replace("\u2019", "'")))
    tokens = []
    for i, match in enumerate(matches):
        token = match.group()
        if (token == "." and tokens and i + 1 < len(matches)
                and matches[i - 1].end() == match.start()
                and tokens[-1].lower() in ENGLISH_ABBREVIATIONS):
            tokens[-1] += "."
        else:
            tokens.append(token)
    return tokens


_LOAD_LOCK = threading.Lock()
_loaded = False


def ensure_pattern_loaded():
    """Load the pattern lexicons inside textblob once, quietly.

    Notes
    -----
    textblob's ``_read`` opens the lexicon files without closing them, which
    raises ``ResourceWarning`` when the file objects are collected (an error
    under ``-W error`` and in our test settings). We force the lazy loads
    here, under a filter for that one warning, and collect the leaked file
    objects before leaving it. ``warnings.catch_warnings`` is process-wide,
    so this runs once, behind a lock, before any English text is analysed.
    """
    global _loaded
    if _loaded:
        return
    with _LOAD_LOCK:
        if _loaded:
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            for lazy in (_pattern_lexicon, _pattern_lexicon.morphology,
                         _pattern_lexicon.context, _pattern_lexicon.entities,
                         _pattern_sentiment):
                len(lazy)
            gc.collect()
        _loaded = True


class PatternNPExtractor(BaseNPExtractor):
    """Noun phrases from the pattern chunker, with ConllExtractor's grammar.

    Notes
    -----
    Sentences come from :class:`SentenceTokenizer`, tokens from
    :func:`sentence_tokens`; the pattern parser (Brill-style tagger and
    rule-based chunker, De Smedt and Daelemans 2012) tags and chunks them.
    Each NP chunk loses its determiners, conjunctions and pronouns
    (:data:`INSIGNIFICANT_TAGS`) and is kept if it reduces to a compound
    or proper noun under :data:`NP_GRAMMAR`, as TextBlob's own extractors do.

    References
    ----------
    .. [1] De Smedt, T. and Daelemans, W. (2012). "Pattern for Python".
       Journal of Machine Learning Research 13, 2063-2067.

    Examples
    --------
    >>> PatternNPExtractor().extract("The new bus shelter on Main Street is great.")
    ['new bus shelter', 'Main Street']
    """

    def __init__(self):
        self._sentences = SentenceTokenizer()

    def extract(self, text):
        """Return the noun phrases of `text` as written (not lower-cased)."""
        ensure_pattern_loaded()
        sentences = [sentence_tokens(s) for s in self._sentences.tokenize(text)]
        sentences = [tokens for tokens in sentences if tokens]
        if not sentences:
            return []
        parsed = _pattern_parser.parse(sentences, tokenize=False, tags=True, chunks=True,
                                       relations=False, lemmata=False, collapse=False)
        phrases = []
        for sentence in parsed:
            for chunk in _noun_chunks(sentence):
                words = [(word, _TAG_BASE.get(tag, tag)) for word, tag in chunk
                         if not tag.endswith(INSIGNIFICANT_TAGS)]
                if words and _reduces_to_noun(words):
                    phrases.append(" ".join(word for word, _ in words))
        return phrases


#: TextBlob's result type for PatternAnalyzer sentiment, built once.
Sentiment = namedtuple("Sentiment", ["polarity", "subjectivity"])


class PatternSentimentAnalyzer(PatternAnalyzer):
    """TextBlob's ``PatternAnalyzer``, without its per-call class creation.

    ``PatternAnalyzer.analyze`` defines a new ``namedtuple`` class on every
    call (about 0.1 ms, as long as the scoring itself). This subclass returns
    the same numbers from the same pattern lexicon in a class made once.

    Examples
    --------
    >>> PatternSentimentAnalyzer().analyze("Simple is better than complex.")
    Sentiment(polarity=0.06666666666666667, subjectivity=0.41904761904761906)
    """

    def analyze(self, text, keep_assessments=False):
        """Return ``Sentiment(polarity, subjectivity)`` as PatternAnalyzer does."""
        ensure_pattern_loaded()
        if keep_assessments:
            return super().analyze(text, keep_assessments=True)
        return Sentiment(*_pattern_sentiment(text))


def _noun_chunks(sentence):
    """Yield the NP chunks of a parsed sentence as lists of (word, tag).

    A personal pronoun is a whole noun phrase; when the chunker glues a
    following word to it, that word is a verb the tagger took for a noun
    ("We need better lighting": need/NN), so both are cut off the chunk.
    """
    for chunk in _raw_noun_chunks(sentence):
        cut = max((i for i, (_, tag) in enumerate(chunk) if tag == "PRP"), default=None)
        if cut is not None:
            chunk = chunk[cut + 2:]
        if chunk:
            yield chunk


def _raw_noun_chunks(sentence):
    chunk = None
    for word, tag, iob, *_ in sentence:
        if iob == "B-NP" or (iob == "I-NP" and chunk is None):
            if chunk:
                yield chunk
            chunk = [(word, tag)]
        elif iob == "I-NP":
            chunk.append((word, tag))
        else:
            if chunk:
                yield chunk
            chunk = None
    if chunk:
        yield chunk


def _reduces_to_noun(tagged):
    tags = [tag for _, tag in tagged]
    merged = True
    while merged:
        merged = False
        for i in range(len(tags) - 1):
            combined = NP_GRAMMAR.get((tags[i], tags[i + 1]))
            if combined:
                tags[i:i + 2] = [combined]
                merged = True
                break
    return any(tag in ("NNP", "NNI") for tag in tags)


@functools.lru_cache(maxsize=None)
def english_blobber():
    """Return a TextBlob ``Blobber`` wired to the offline components.

    Returns
    -------
    textblob.Blobber
        ``blob = english_blobber()(text)`` gives ``blob.noun_phrases``,
        ``blob.sentiment``, ``blob.tags``, ``blob.tokens`` with no NLTK data.

    Examples
    --------
    >>> blob = english_blobber()("Simple is better than complex.")
    >>> round(blob.sentiment.polarity, 4), round(blob.sentiment.subjectivity, 4)
    (0.0667, 0.419)
    """
    ensure_pattern_loaded()
    return Blobber(
        tokenizer=WordTokenizer(),
        pos_tagger=PatternTagger(),
        np_extractor=PatternNPExtractor(),
        analyzer=PatternSentimentAnalyzer(),
        parser=PatternParser(),
    )
