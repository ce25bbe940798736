"""Word lists the project ships, per language (``analysis/data/words/<lang>.txt``).

Made once from wordfreq (CC BY-SA 4.0; see ``analysis/data/words/make_wordlists.py``), never
downloaded at run time. Two uses: the codebook check lists the other words a keyword's stem
also matches (:mod:`analysis.text.check`), and one-edit matching leaves a word alone when it
is a real word of the language (:mod:`analysis.text.evidence`).
"""

import functools
from importlib import resources

from analysis.text.normalise import fold, match_key

__all__ = ["known_words", "is_known_word"]


@functools.lru_cache(maxsize=None)
def known_words(lang):
    """Return the folded words of the shipped list for a language, most frequent first.

    Parameters
    ----------
    lang : str
        Primary language subtag.

    Returns
    -------
    tuple of str
        Empty when the project ships no list for `lang` (Somali, Chinese).

    Examples
    --------
    >>> "apart" in known_words("en"), len(known_words("so"))
    (True, 0)
    """
    path = resources.files("analysis") / "data" / "words" / f"{lang}.txt"
    if not path.is_file():
        return ()
    seen, words = set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = fold(line.split("#", 1)[0].strip(), lang)
        if word and word not in seen:
            seen.add(word)
            words.append(word)
    return tuple(words)


@functools.lru_cache(maxsize=None)
def _known_set(lang):
    return frozenset(known_words(lang))


@functools.lru_cache(maxsize=None)
def _known_stems(lang):
    return frozenset(match_key(word, lang) for word in known_words(lang))


def is_known_word(word, lang):
    """Return True if the folded `word`, or its stem, is that of a word in the shipped list.

    The stem counts too so that inflections of listed words ("barking" from "bark") are known
    although the list holds only the most frequent forms.

    Examples
    --------
    >>> is_known_word("barking", "en"), is_known_word("lockdwn", "en")
    (True, False)
    """
    return word in _known_set(lang) or match_key(word, lang) in _known_stems(lang)
