"""How a keyword matched: the evidence a tag carries, and the word forms behind it.

Every match of a keyword is one of :data:`HOW`, from the strongest evidence to the weakest:

``exact``
    the words as written (case and accents folded) are the keyword;
``inflection``
    another form the codebook compiles the keyword under: a plural (:func:`keyword_forms`),
    a compound written joined or hyphenated ("lock-down" for *lockdown*), a contraction written
    without its apostrophe ("dont" for *don't*);
``fuzzy``
    one edit away from a keyword of :data:`FUZZY_MIN_LETTERS` letters or more, when the word
    written is not itself a word of the language (:func:`analysis.text.wordlist.is_known_word`);
``stem``
    only the Snowball stems agree ("apart" for *apartment*);
``learned``
    suggested by a model trained on reviewed texts (``analysis.themes.train``), not by a keyword.

Measured on two human-coded data sets (issue 12), stem-only matches had precision 0.17-0.41
against 0.63-0.76 for words matched in their own form, so they weigh less in the score
(:data:`HOW_WEIGHTS`) and the review queue shows them first.
"""

__all__ = [
    "HOW", "HOW_WEIGHTS", "FUZZY_MIN_LETTERS", "strongest", "within_one_edit", "one_deletions",
    "FuzzyIndex",
]

#: Kinds of evidence, strongest first ("learned" comes from a trained model, not a keyword).
HOW = ("exact", "inflection", "fuzzy", "stem", "learned")
#: Weight of each unit a match covers in the score. Stem-only: about the ratio of the measured
#: precisions (0.17-0.41 against 0.63-0.76, issue 12); one edit sits between, unmeasured, so
#: halfway. A learned suggestion's score is its model's probability instead.
HOW_WEIGHTS = {"exact": 1.0, "inflection": 1.0, "fuzzy": 0.7, "stem": 0.4}
#: Keywords shorter than this get no one-edit matches: among short words one edit is most often
#: another real word (park/bark, rent/bent), and a typo of a long word rarely is.
FUZZY_MIN_LETTERS = 7

_RANK = {how: rank for rank, how in enumerate(HOW)}


def strongest(hows):
    """Return the strongest kind of evidence among `hows` (see :data:`HOW`).

    Examples
    --------
    >>> strongest(["stem", "inflection", "fuzzy"])
    'inflection'
    """
    return min(hows, key=_RANK.__getitem__)


def one_deletions(word):
    """Return the strings made by deleting one character of `word`.

    Examples
    --------
    >>> sorted(one_deletions("abc"))
    ['ab', 'ac', 'bc']
    """
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def within_one_edit(a, b):
    """Return True if `a` and `b` differ by exactly one edit.

    One edit is inserting, deleting or substituting a character, or swapping two adjacent
    characters (the optimal string alignment distance is 1; Damerau 1964).

    References
    ----------
    .. [1] Damerau, F. J. (1964). "A technique for computer detection and correction of
       spelling errors". Communications of the ACM 7(3), 171-176.

    Examples
    --------
    >>> within_one_edit("lockdown", "lockdwn"), within_one_edit("lockdown", "lcokdown")
    (True, True)
    >>> within_one_edit("housing", "hosting"), within_one_edit("same", "same")
    (False, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    if a[i + 1:] == b[i + 1:]:
        return True
    return (i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
            and a[i + 2:] == b[i + 2:])


class FuzzyIndex:
    """Single-word keyword forms of :data:`FUZZY_MIN_LETTERS`+ letters, found by one edit.

    Symmetric-delete lookup (Garbe 2012): every form and its one-character deletions are
    indexed, so a word's candidates are found with ``len(word) + 1`` dict lookups, then
    checked with :func:`within_one_edit`.
    """

    def __init__(self):
        self._by_deletion = {}

    def add(self, form, entry):
        """Index `form` (a folded single word) for `entry` (any value)."""
        if len(form) < FUZZY_MIN_LETTERS:
            return
        for key in one_deletions(form) | {form}:
            self._by_deletion.setdefault(key, []).append((form, entry))

    def __bool__(self):
        return bool(self._by_deletion)

    def find(self, word):
        """Return the entries of the forms exactly one edit from `word`."""
        if len(word) < FUZZY_MIN_LETTERS - 1:
            return []
        found, seen = [], set()
        for key in one_deletions(word) | {word}:
            for form, entry in self._by_deletion.get(key, ()):
                if id(entry) not in seen and within_one_edit(form, word):
                    seen.add(id(entry))
                    found.append(entry)
        return found
