"""The written forms of a keyword, and the tokens of a text, as the matcher compares them.

A keyword written in its base form also matches its plural (:func:`keyword_variants`), its
compound written joined or hyphenated, and English contractions with or without the
apostrophe (:func:`text_tokens`); :func:`keyword_forms` says which of these forms is the
keyword itself ("exact") and which another form of it ("inflection").
"""

from analysis.text.normalise import fold, stopwords, strip_marks, tokenize

__all__ = ["EXACT_PREFIX", "VI_MIN_UNMARKED_SYLLABLES", "HYPHENS", "INFLECTION_ENDINGS", "ARABIC_PREFIXES", "inflected_forms", "keyword_variants", "keyword_forms",
           "text_tokens"]

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


#: Endings that make another form of the same word (number; Arabic also the feminine and the
#: possessive pronouns), added to a keyword: a word its stem matches that is the keyword plus
#: one of these is one of its own forms, not a collision. Anything else (a shorter word,
#: another derivation: apart/apartment, transition/transit, parce/parc, kidding/kid) is
#: listed. English leaves out -ed and -ing because they make other words as often
#: (parking/park, training/train), French the feminine -e (parce/parc).
INFLECTION_ENDINGS = {
    "en": ("s", "es"),
    "es": ("s", "es"),
    "fr": ("s", "x"),
    "ar": ("ة", "ات", "ه", "ها", "ي", "ك", "ين", "ون", "ان", "ا", "ية"),
}
#: Spanish nouns and adjectives that change gender by their last vowel (hijo, hija).
GENDER_VOWELS = {"es": ("o", "a")}
#: Arabic prefixes (article, conjunctions, prepositions) written joined to the word.
ARABIC_PREFIXES = ("ال", "وال", "بال", "لل", "فال", "كال", "و", "ب", "ل", "ف", "ك")


def inflected_forms(word, lang):
    """Return the regular inflections of a folded single word (itself left out).

    Parameters
    ----------
    word : str
        Folded word (:func:`analysis.text.normalise.fold`).
    lang : str
        Primary language subtag.

    Returns
    -------
    set of str
        `word` plus each of :data:`INFLECTION_ENDINGS`; Spanish words ending in o/a also
        with the other vowel; Arabic forms also with each of :data:`ARABIC_PREFIXES` and
        with the feminine ة dropped before an ending.

    Examples
    --------
    >>> sorted(inflected_forms("kid", "en"))
    ['kides', 'kids']
    >>> "parce" in inflected_forms("parc", "fr"), "hijas" in inflected_forms("hijo", "es")
    (False, True)
    """
    keyword = word
    endings = ("",) + INFLECTION_ENDINGS.get(lang, ())
    bases = [keyword]
    if lang in GENDER_VOWELS and keyword.endswith(GENDER_VOWELS[lang]):
        bases += [keyword[:-1] + vowel for vowel in GENDER_VOWELS[lang]]
    if lang == "ar":
        bases += [prefix + base for prefix in ARABIC_PREFIXES for base in list(bases)]
        if keyword.endswith("ة"):
            bases += [prefix + keyword[:-1] for prefix in ("",) + ARABIC_PREFIXES]
    return {base + ending for base in bases for ending in endings} - {word}


#: Characters joining the halves of a hyphenated compound ("lock-down").
HYPHENS = frozenset("-\u2010\u2011")
#: Apostrophes that join an English contraction ("don't", "don’t").
_APOSTROPHES = frozenset("'\u2019")


def text_tokens(text, lang):
    """Return the tokens of `text` as ``(folded, start, end)`` triples.

    Parameters
    ----------
    text : str
    lang : str
        Primary language subtag.

    Returns
    -------
    list of tuple
        Folded token (:func:`analysis.text.normalise.fold`) and its character span in `text`.

    Notes
    -----
    Tokens are those of :func:`analysis.text.normalise.tokenize`, except that in English a
    negative contraction is one token without its apostrophe: "don't", "don’t" and "dont"
    are all ``dont``, "can't" is ``cant``, so residents who skip the apostrophe on a phone
    match the same keywords and negations.

    Examples
    --------
    >>> [t[0] for t in text_tokens("I don’t know, I dont", "en")]
    ['i', 'dont', 'know', 'i', 'dont']
    >>> text_tokens("can't", "en")
    [('cant', 0, 5)]
    """
    matches = tokenize(text)
    if lang != "en" or not any(mark in text for mark in _APOSTROPHES):
        return [(fold(m.group(), lang), m.start(), m.end()) for m in matches]
    tokens, i = [], 0
    while i < len(matches):
        token = matches[i]
        if (i + 1 < len(matches) and matches[i + 1].group() in ("t", "T")
                and token.group()[-1:] in ("n", "N")
                and text[token.end():matches[i + 1].start()] in _APOSTROPHES):
            tokens.append((fold(token.group() + "t", lang), token.start(), matches[i + 1].end()))
            i += 2
            continue
        tokens.append((fold(token.group(), lang), token.start(), token.end()))
        i += 1
    return tokens


def keyword_forms(keyword, lang):
    """Return every written form a keyword matches, with how it relates to the keyword.

    Parameters
    ----------
    keyword : str
        A codebook keyword without its ``=`` prefix.
    lang : str
        Primary language subtag (not a substring language).

    Returns
    -------
    dict
        Folded token tuple -> ``"exact"`` (the keyword as written) or ``"inflection"``
        (a plural from :func:`keyword_variants`, a regular inflection of a single word from
        :func:`inflected_forms`, or the compound written joined: "lock-down"
        and, in English, "bed bug" also match "lockdown" and "bedbug").

    Examples
    --------
    >>> sorted(keyword_forms("lock-down", "en").items())
    [(('lock', 'down'), 'exact'), (('lock', 'downs'), 'inflection'), (('lockdown',), 'inflection'), (('lockdowns',), 'inflection')]
    """
    forms = {}
    for variant in sorted(keyword_variants(keyword, lang), key=lambda v: v != keyword):
        folded = tuple(token for token, _start, _end in text_tokens(variant, lang))
        if folded and folded not in forms:
            forms[folded] = "exact" if variant == keyword else "inflection"
    own = tuple(token for token, _start, _end in text_tokens(keyword, lang))
    if len(own) == 1:
        for form in sorted(inflected_forms(own[0], lang)):
            forms.setdefault((form,), "inflection")
    hyphenated = len(own) > 1 and any(h in keyword for h in HYPHENS)
    # English writes many two-word compounds solid too ("bedbug", "daycare").
    spaced_compound = (lang == "en" and len(own) == 2
                       and not any(word in stopwords(lang) for word in own))
    if hyphenated or spaced_compound:
        for joined in sorted(keyword_variants("".join(own), lang)):
            forms.setdefault((fold(joined, lang),), "inflection")
    return forms
