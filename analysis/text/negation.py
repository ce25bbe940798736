"""Negation: is a keyword match negated by a word just before it, in the same clause?

"do not trust them" should not count for a theme *trusts students*. A match is negated when
one of the language's negation words (:data:`NEGATORS`) stands among the
:data:`NEGATION_WINDOW` tokens before it with no clause break (``, ; . ! ?``...) between.
What happens then is the theme's choice (``negated:`` in the codebook; see
:mod:`analysis.text.matcher`): the match is dropped, kept, or given to a counterpart theme.

English contractions are one token whether or not they keep the apostrophe ("don't" and
"dont" are both ``dont``; :func:`analysis.text.matcher.text_tokens`). Chinese, written
without spaces, looks for negation characters among the :data:`NEGATION_WINDOW_CHARS`
characters before the match.

The method is the fixed-window NegEx approach (Chapman et al. 2001), with the window cut at
punctuation; it does not parse the sentence, so "not only the buses but the trains" is
read as negating "buses".

References
----------
.. [1] Chapman, W. W. et al. (2001). "A simple algorithm for identifying negated findings and
   diseases in discharge summaries". Journal of Biomedical Informatics 34(5), 301-310.
"""

from analysis.text.normalise import fold

__all__ = ["NEGATORS", "NEGATION_WINDOW", "NEGATION_WINDOW_CHARS", "is_negated",
           "is_negated_substring"]

#: Tokens before a match that are searched for a negation word. Three covers "do not really
#: trust", "ne fais pas confiance", "no hay parques" while staying inside the phrase.
NEGATION_WINDOW = 3
#: Characters before a Chinese match searched for a negation character ("不太信任", "没有公园").
NEGATION_WINDOW_CHARS = 3

_NEGATORS = {
    "en": """not no never none nothing nobody nowhere neither nor without cannot dont doesnt
             didnt isnt arent wasnt werent wont cant couldnt shouldnt wouldnt havent hasnt hadnt
             aint mustnt neednt n't lack lacking""",
    # "n" is French "n'" (n'ai pas); "ni" neither/nor.
    "es": "no nunca jamás jamas sin ningún ningun ninguna ninguno nadie nada ni tampoco",
    "fr": "ne n pas jamais sans aucun aucune rien personne ni plus guère",
    # ma/maya (not/no), aan (not, in clauses), lama (is not done), ha (don't, imperative).
    "so": "ma maya aan lama ha",
    "ar": "لا ليس ليست لم لن ما غير بدون بلا دون لست لسنا",
    "vi": "không chưa chẳng chả đừng chớ",
}
#: Folded negation words per language.
NEGATORS = {lang: frozenset(fold(word, lang) for word in words.split())
            for lang, words in _NEGATORS.items()}
#: Chinese negation characters (不 not, 没 not have, 无 without, 别 don't, 未 not yet, 非 not).
ZH_NEGATORS = frozenset("不没無无别別未非")


def is_negated(folded_tokens, start, breaks, lang):
    """Return True if the match starting at token `start` is negated.

    Parameters
    ----------
    folded_tokens : sequence of str
        The text's tokens, folded (:func:`analysis.text.normalise.fold`).
    start : int
        Index of the match's first token.
    breaks : sequence of bool
        ``breaks[i]`` is True when a clause break stands between token ``i`` and ``i + 1``.
    lang : str
        Primary language subtag; languages without a list are never negated.

    Returns
    -------
    bool

    Examples
    --------
    >>> words = ["i", "dont", "trust", "them"]
    >>> is_negated(words, 2, [False] * 3, "en"), is_negated(words, 3, [False, True, False], "en")
    (True, False)
    """
    negators = NEGATORS.get(lang)
    if not negators:
        return False
    for i in range(start - 1, max(start - NEGATION_WINDOW, 0) - 1, -1):
        if breaks[i]:
            return False
        if folded_tokens[i] in negators:
            return True
    return False


def is_negated_substring(text, start, break_re):
    """Return True if a Chinese match at character `start` of `text` is negated.

    Examples
    --------
    >>> import re
    >>> is_negated_substring("我不信任他们", 2, re.compile("[,，。]"))
    True
    >>> is_negated_substring("不好，信任他们", 3, re.compile("[,，。]"))
    False
    """
    window = text[max(start - NEGATION_WINDOW_CHARS, 0):start]
    cut = [m.end() for m in break_re.finditer(window)]
    if cut:
        window = window[cut[-1]:]
    return any(ch in ZH_NEGATORS for ch in window)
