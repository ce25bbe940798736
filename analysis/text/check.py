"""Check a codebook for keywords that match more than their author meant.

Two kinds of problem (issue 12 measured both on real codebooks):

``collision``
    a stemmed keyword whose Snowball stem is also the stem of other, unrelated words of the
    language: *apartment* and *apart* are both ``apart``, so "falling apart" was tagged
    housing; Spanish *comida* and *como* are both ``com``. The other words come from the
    word list and stopwords the project ships (:mod:`analysis.text.wordlist`,
    :func:`analysis.text.normalise.stopwords`), leaving out the keyword's own forms
    (:func:`analysis.text.forms.inflected_forms`) and the theme's other keywords. The fix offered: write the keyword ``=word``,
    which matches its own forms only, and list the other forms wanted as keywords.
``shared``
    one keyword (the same match keys) in two themes of one language.

Only single-word stemmed keywords are checked for collisions: a phrase matches only when all
its words do, and ``=`` keywords and languages without a stemmer (Somali, Vietnamese) or
written without spaces (Chinese) are not stemmed at all.
"""

import functools
from dataclasses import dataclass

import yaml

from analysis.text.forms import EXACT_PREFIX, keyword_forms, text_tokens
from analysis.text.normalise import SNOWBALL_ALGORITHMS, SUBSTRING_LANGUAGES, match_key, stopwords
from analysis.text.wordlist import known_words

__all__ = ["CodebookProblem", "check_codebook", "keyword_lines", "stem_collisions"]

#: Most colliding words listed per keyword (the most frequent first).
MAX_WORDS_LISTED = 8


@dataclass(frozen=True)
class CodebookProblem:
    """One problem the check found.

    Attributes
    ----------
    kind : str
        ``"collision"`` or ``"shared"``.
    lang : str
    keyword : str
        The keyword as written in the codebook.
    themes : tuple of str
        The theme (collision) or the themes that share the keyword, in codebook order.
    words : tuple of str
        For a collision, the other words the keyword's stem matches, most frequent first.
    suggestion : str or None
        For a collision, the exact-form keyword to write instead (``"=apartment"``).
    """

    kind: str
    lang: str
    keyword: str
    themes: tuple
    words: tuple = ()
    suggestion: str | None = None

    def message(self):
        """The problem in one English sentence (the app translates its own)."""
        if self.kind == "collision":
            return (f"theme {self.themes[0]!r} ({self.lang}): keyword {self.keyword!r} also "
                    f"matches {', '.join(self.words)} through its stem; write "
                    f"{self.suggestion!r} to match only its own forms")
        return (f"keyword {self.keyword!r} ({self.lang}) is in more than one theme: "
                f"{', '.join(self.themes)}; keep it in one")


@functools.lru_cache(maxsize=None)
def _words_by_stem(lang):
    by_stem = {}
    for word in (*known_words(lang), *sorted(stopwords(lang))):
        words = by_stem.setdefault(match_key(word, lang), [])
        if word not in words:
            words.append(word)
    return by_stem


def stem_collisions(keyword, lang, *, allowed=()):
    """Return the shipped words, other than the keyword's own forms, that share its stem.

    Parameters
    ----------
    keyword : str
        One word, without ``=``.
    lang : str
        Primary language subtag with a Snowball stemmer.
    allowed : iterable of str
        Folded words that do not count (the theme's other keywords).

    Returns
    -------
    list of str
        Folded words, most frequent first (stopwords last).

    Examples
    --------
    >>> stem_collisions("apartment", "en")
    ['apart']
    >>> stem_collisions("comida", "es")[:3]
    ['como', 'comer', 'come']
    """
    own = {form[0] for form in keyword_forms(keyword, lang) if len(form) == 1}
    own.update(allowed)
    stem = match_key(keyword, lang)
    return [word for word in _words_by_stem(lang).get(stem, ()) if word not in own]


def _single_word(keyword, lang):
    tokens = text_tokens(keyword, lang)
    return tokens[0][0] if len(tokens) == 1 else None


def check_codebook(codebook, *, languages=None):
    """Find stem collisions and keywords shared between themes.

    Parameters
    ----------
    codebook : Codebook
    languages : iterable of str, optional
        Languages to check (default: every language with keywords).

    Returns
    -------
    list of CodebookProblem
        In codebook order: collisions theme by theme, then shared keywords.

    Examples
    --------
    >>> from analysis.text.codebook import Codebook
    >>> cb = Codebook.from_dict({"themes": [
    ...     {"key": "housing", "labels": {"en": "Housing"}, "keywords": {"en": ["apartment", "=rent"]}},
    ...     {"key": "costs", "labels": {"en": "Costs"}, "keywords": {"en": ["=rent", "=bill"]}}]})
    >>> [(p.kind, p.keyword, p.themes, p.words, p.suggestion) for p in check_codebook(cb)]
    [('collision', 'apartment', ('housing',), ('apart',), '=apartment'), ('shared', '=rent', ('housing', 'costs'), (), None)]
    """
    wanted = codebook.languages if languages is None else tuple(languages)
    problems, shared = [], {}
    for lang in wanted:
        for theme in codebook.themes:
            words = theme.keywords.get(lang, ())
            own = {form[0] for word in words
                   if lang not in SUBSTRING_LANGUAGES
                   for form in keyword_forms(word.removeprefix(EXACT_PREFIX), lang) if len(form) == 1}
            for written in words:
                is_exact = written.startswith(EXACT_PREFIX)
                keyword = written.removeprefix(EXACT_PREFIX)
                key = (lang, _shared_key(keyword, lang, is_exact))
                if theme.key not in shared.setdefault(key, {}):
                    shared[key][theme.key] = written
                if is_exact or lang not in SNOWBALL_ALGORITHMS:
                    continue
                word = _single_word(keyword, lang)
                others = stem_collisions(word, lang, allowed=own) if word else []
                if others:
                    problems.append(CodebookProblem(
                        "collision", lang, written, (theme.key,),
                        tuple(others[:MAX_WORDS_LISTED]), EXACT_PREFIX + keyword))
    for (lang, _key), themes in shared.items():
        if len(themes) > 1:
            problems.append(CodebookProblem("shared", lang, next(iter(themes.values())),
                                            tuple(themes)))
    return problems


def _shared_key(keyword, lang, is_exact):
    """What makes two keywords the same: their match keys (exact: folded words)."""
    if lang in SUBSTRING_LANGUAGES:
        return ("substring", keyword.casefold())
    folded = tuple(token for token, _s, _e in text_tokens(keyword, lang))
    return folded if is_exact else tuple(match_key(token, lang) for token in folded)


def keyword_lines(yaml_text):
    """Return ``{(theme key, lang): line}`` of each keyword list in codebook YAML text.

    Used to point check messages at ``file:line``; themes or lists that cannot be found are
    left out (the message then names the theme's line, or none).

    Examples
    --------
    >>> keyword_lines("themes:\\n  - key: a\\n    keywords:\\n      en: [x]\\n")
    {('a', 'en'): 4}
    """
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines = {}
    for theme in _mapping_value(node, "themes", yaml.SequenceNode).value if _mapping_value(
            node, "themes", yaml.SequenceNode) else ():
        key = _mapping_value(theme, "key", yaml.ScalarNode)
        keywords = _mapping_value(theme, "keywords", yaml.MappingNode)
        if key is None or keywords is None:
            continue
        for lang_node, words_node in keywords.value:
            lines[(key.value, lang_node.value)] = words_node.start_mark.line + 1
    return lines


def _mapping_value(node, name, kind):
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if key_node.value == name and isinstance(value_node, kind):
            return value_node
    return None
