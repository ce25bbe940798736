"""Learning from review: a tagger that combines the codebook with what people decided.

:func:`train` fits, per theme, a logistic regression on TF-IDF features of the
text (stemmed words and word pairs) **and** the codebook's own match for every
theme, so a keyword the reviewers keep rejecting loses weight and the words
they keep tagging without a keyword gain it. The codebook is never dropped:

- a theme with too few reviewed examples either way (:data:`MIN_POSITIVES`,
  :data:`MIN_NEGATIVES`) keeps the codebook's decision;
- a theme whose model does not beat the codebook on held-out reviewed texts
  (cross-validated F1, :data:`MIN_F1_GAIN`) keeps the codebook's decision;
- the threshold of every learned theme is the one that maximised its
  cross-validated F1, not 0.5.

So with no examples the tagger *is* the codebook, and with a few it can only
move themes where the held-out evidence says it does better.

The fitted model is plain numbers (vocabulary, idf, coefficients, thresholds):
:meth:`LearnedTagger.to_dict` and :meth:`LearnedTagger.from_dict` store it as
JSON, with no pickle. scikit-learn is needed to train, not to tag.
"""

import math
import unicodedata
from collections import Counter

import numpy as np

from analysis.text.normalise import SUBSTRING_LANGUAGES, match_key, normalise_lang, tokenize

__all__ = [
    "MIN_POSITIVES", "MIN_NEGATIVES", "CV_FOLDS", "MIN_F1_GAIN", "LEARNED", "MODEL_VERSION",
    "LearnedTagger", "train", "text_features",
]

#: Fewest reviewed texts with a theme (and without it) before a model may decide that theme.
#: Below this a logistic regression's held-out F1 swings by more than the gain it could show
#: (with 5 positives one text moves recall by 0.2); the codebook decides instead.
MIN_POSITIVES = 5
MIN_NEGATIVES = 5
#: Folds of the internal cross-validation that chooses thresholds and model-or-codebook.
CV_FOLDS = 3
#: Held-out F1 the model must gain over the codebook on the same texts before it decides a
#: theme: a margin against choosing the model on noise (the best of 17 thresholds is itself
#: optimistic by a few hundredths at a few hundred examples).
MIN_F1_GAIN = 0.02
#: One-sided z of the McNemar test the model must pass on the texts where it and the codebook
#: disagree (held out): it must be right on b of them and wrong on c with
#: b - c >= z * sqrt(b + c). 1.645 is the 5% level (McNemar 1947; Dietterich 1998 recommends
#: this test for comparing two classifiers on one test set).
MCNEMAR_Z = 1.645
#: Thresholds tried for every learned theme (0.10, 0.15, ... 0.90).
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))
#: Inverse regularisation strength of the logistic regressions (scikit-learn's C). With
#: L2-normalised TF-IDF rows, C = 4 sits in the flat part of the validation curve of short-text
#: classification (Joachims 1998; Fan et al. 2008, LIBLINEAR's defaults are C = 1 to 10).
REGULARISATION_C = 4.0
#: Value of a codebook-match feature beside the L2-normalised text vector: a match weighs about
#: as much as the whole text, so with little data the model starts from the codebook's view.
CODEBOOK_FEATURE_WEIGHT = 1.0
#: How a learned suggestion says where it came from (the ``how`` of :func:`analysis.themes.tag`).
LEARNED = "learned"
#: Version of the stored model format (:meth:`LearnedTagger.to_dict`).
MODEL_VERSION = 1


def text_features(text, lang):
    """Return the text features of one text: stemmed words and stemmed word pairs.

    Parameters
    ----------
    text : str
    lang : str
        Primary language subtag.

    Returns
    -------
    list of str
        Token languages: the match key (:func:`analysis.text.normalise.match_key`)
        of every word, then every pair of neighbouring keys joined by a space.
        Chinese and Japanese: every character and every pair of neighbouring
        characters of the letters and digits of the NFKC-folded text.

    Examples
    --------
    >>> text_features("Buses are late", "en")
    ['buse', 'are', 'late', 'buse are', 'are late']
    """
    if lang in SUBSTRING_LANGUAGES:
        keys = [ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum()]
    else:
        keys = [match_key(token.group(), lang) for token in tokenize(text)]
    return keys + [f"{a} {b}" for a, b in zip(keys, keys[1:])]


class LearnedTagger:
    """The codebook plus per-theme models learned from reviewed texts.

    Build with :func:`train` or :meth:`from_dict`. :meth:`tag` returns what
    :func:`analysis.themes.tag` returns, with a ``probability`` on every
    theme (None where the codebook decides alone) and learned suggestions
    marked ``how: "learned"``.

    Attributes
    ----------
    lang : str
    learned_themes : tuple of str
        Themes a model decides (the others follow the codebook).
    thresholds : dict
        Theme -> probability at or above which the theme is suggested.
    stats : dict
        What training saw and chose, per theme: ``{"positives",
        "negatives", "decided_by" ("model"|"codebook"), "reason",
        "cv_f1_model", "cv_f1_codebook", "wins", "losses", "threshold"}``, and ``"examples"``.
    """

    def __init__(self, codebook, lang, *, vocabulary, idf, themes, coef, intercept, thresholds, stats):
        self.codebook = codebook
        self.lang = normalise_lang(lang)
        self._compiled = codebook.compiled(self.lang)
        self._vocabulary = list(vocabulary)
        self._idf = np.asarray(idf, dtype=float)
        # feature -> (column, idf) as plain Python numbers: tagging one short text is a few dict
        # look-ups, and numpy scalars would cost more than the arithmetic.
        self._index = {feature: (i, float(weight)) for i, (feature, weight) in enumerate(zip(vocabulary, self._idf))}
        self.learned_themes = tuple(themes)
        self._coef = np.asarray(coef, dtype=float).reshape(len(vocabulary) + len(codebook.keys), len(themes))
        self._intercept = np.asarray(intercept, dtype=float)
        self.thresholds = dict(thresholds)
        self.stats = stats
        self._cb_column = {key: len(vocabulary) + i for i, key in enumerate(codebook.keys)}

    # -- features ---------------------------------------------------------------------------
    def _codebook_themes(self, matches):
        return {m["theme"] for m in matches}

    def _row(self, text, found):
        """(column indices, values) of one text: TF-IDF of its features, then codebook matches."""
        index = self._index
        columns, values = [], []
        for feature, count in Counter(text_features(text, self.lang)).items():
            entry = index.get(feature)
            if entry is not None:
                columns.append(entry[0])
                values.append((1.0 + math.log(count)) * entry[1])
        norm = math.sqrt(sum(v * v for v in values))
        if norm:
            values = [v / norm for v in values]
        for theme in found:
            column = self._cb_column.get(theme)
            if column is not None:
                columns.append(column)
                values.append(CODEBOOK_FEATURE_WEIGHT)
        return columns, np.array(values)

    def probabilities(self, text, matches=None):
        """Return ``{theme: probability}`` for the themes a model decides.

        Parameters
        ----------
        text : str
        matches : list of dict, optional
            The codebook's matches of `text` (:func:`analysis.themes.tag`),
            when the caller has them already.
        """
        if not self.learned_themes:
            return {}
        if matches is None:
            matches = self._compiled.match(text)
        columns, values = self._row(text, self._codebook_themes(matches))
        logits = values @ self._coef[columns] + self._intercept if columns else self._intercept.copy()
        probs = 1.0 / (1.0 + np.exp(-logits))
        return {theme: float(p) for theme, p in zip(self.learned_themes, probs)}

    def uncertainty(self, probabilities):
        """How unsure the models are about a text, from 0 (sure) to 1 (at a threshold).

        Parameters
        ----------
        probabilities : mapping
            :meth:`probabilities` of the text.

        Returns
        -------
        float or None
            The largest, over learned themes, of ``1 - |p - t| / d`` where ``t`` is the theme's
            threshold and ``d`` the distance from ``t`` to the end (0 or 1) on ``p``'s side:
            uncertainty sampling with the margin to each theme's own threshold (Lewis and Gale
            1994). None when no theme is learned.

        References
        ----------
        .. [1] Lewis, D. D. and Gale, W. A. (1994). "A sequential algorithm for training text
           classifiers". SIGIR '94, 3-12.
        """
        worst = None
        for theme, p in probabilities.items():
            t = self.thresholds[theme]
            span = t if p < t else 1.0 - t
            value = 1.0 - abs(p - t) / span if span > 0 else 0.0
            worst = value if worst is None else max(worst, value)
        return worst

    # -- tagging ----------------------------------------------------------------------------
    def tag(self, text, matches=None):
        """Tag one text: the codebook's matches, corrected and completed by the models.

        Parameters
        ----------
        text : str
        matches : list of dict, optional
            The codebook's matches, if already computed.

        Returns
        -------
        list of dict
            As :func:`analysis.themes.tag`, each with ``probability`` (None for themes the
            codebook decides). A theme the models suggest and the codebook did not find comes
            with ``how`` = ``"learned"``, ``score`` equal to its probability, ``terms`` and
            ``matches`` empty and ``span`` and ``matched`` None; a codebook match a model turns down is left out. A sub-theme
            brings its parent, as in the codebook.
        """
        if matches is None:
            matches = self._compiled.match(text)
        return self.combine(matches, self.probabilities(text, matches))

    def combine(self, matches, probabilities):
        """The :meth:`tag` result from the codebook's matches and the models' probabilities."""
        by_theme = {m["theme"]: m for m in matches}
        result = []
        for match in matches:
            theme = match["theme"]
            if theme in probabilities:
                if probabilities[theme] >= self.thresholds[theme]:
                    result.append({**match, "probability": probabilities[theme]})
            else:
                result.append({**match, "probability": None})
        kept = {m["theme"] for m in result}
        for theme, p in probabilities.items():
            if theme not in by_theme and p >= self.thresholds[theme]:
                result.append(self._learned_entry(theme, p))
                kept.add(theme)
        for entry in list(result):  # a sub-theme brings its parent, even one a model turned down
            parent = entry["parent"]
            if parent is not None and parent not in kept:
                p = probabilities.get(parent, entry["probability"])
                result.append({**by_theme[parent], "probability": p} if parent in by_theme
                              else self._learned_entry(parent, p))
                kept.add(parent)
        order = {key: i for i, key in enumerate(self.codebook.keys)}
        result.sort(key=lambda r: (-r["score"], order[r["theme"]]))
        return result

    def _learned_entry(self, theme, p):
        return {"theme": theme, "parent": self.codebook.parent(theme), "terms": [], "score": p,
                "how": LEARNED, "span": None, "matched": None, "matches": [], "probability": p}

    # -- storage ----------------------------------------------------------------------------
    def to_dict(self):
        """The fitted model as plain JSON-able data (read back by :meth:`from_dict`)."""
        return {"version": MODEL_VERSION, "lang": self.lang, "vocabulary": self._vocabulary,
                "idf": self._idf.tolist(), "themes": list(self.learned_themes),
                "coef": self._coef.ravel().tolist(), "intercept": self._intercept.tolist(),
                "thresholds": self.thresholds, "codebook_keys": list(self.codebook.keys), "stats": self.stats}

    @classmethod
    def from_dict(cls, data, codebook):
        """Rebuild a tagger from :meth:`to_dict` data and the codebook it was trained with.

        Raises
        ------
        ValueError
            If the data is of another format version or the codebook's themes differ.
        """
        if data.get("version") != MODEL_VERSION:
            raise ValueError(f"model format {data.get('version')!r} is not {MODEL_VERSION}")
        if list(data["codebook_keys"]) != list(codebook.keys):
            raise ValueError("the model was trained with another codebook")
        return cls(codebook, data["lang"], vocabulary=data["vocabulary"], idf=data["idf"], themes=data["themes"],
                   coef=data["coef"], intercept=data["intercept"], thresholds=data["thresholds"],
                   stats=data["stats"])


def _f1(truth, predicted):
    tp = int(np.sum(truth & predicted))
    denominator = 2 * tp + int(np.sum(truth ^ predicted))
    return 2 * tp / denominator if denominator else 1.0


def _design(codebook, lang, texts, matches):
    """The training matrix: sublinear TF-IDF rows (L2-normalised) beside codebook-match columns."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    vectorizer = TfidfVectorizer(analyzer=lambda text: text_features(text, lang), sublinear_tf=True)
    tfidf = vectorizer.fit_transform(texts)
    keys = codebook.keys
    found = np.array([[key in m for key in keys] for m in matches], dtype=float).reshape(len(texts), len(keys))
    design = sparse.hstack([tfidf, sparse.csr_matrix(found * CODEBOOK_FEATURE_WEIGHT)]).tocsr()
    vocabulary = [None] * len(vectorizer.vocabulary_)
    for feature, column in vectorizer.vocabulary_.items():
        vocabulary[column] = feature
    return design, vocabulary, vectorizer.idf_, found.astype(bool)


def _model():
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=REGULARISATION_C, solver="liblinear", class_weight="balanced")


def _held_out_probabilities(design, y, seed):
    """Out-of-fold probabilities of one theme (stratified CV_FOLDS-fold)."""
    from sklearn.model_selection import StratifiedKFold
    folds = StratifiedKFold(n_splits=min(CV_FOLDS, int(y.sum()), int((~y).sum())), shuffle=True, random_state=seed)
    probabilities = np.zeros(len(y))
    for fit, held in folds.split(np.zeros(len(y)), y):
        model = _model().fit(design[fit], y[fit])
        probabilities[held] = model.predict_proba(design[held])[:, 1]
    return probabilities


def train(codebook, examples, lang, *, seed=0):
    """Train a tagger on reviewed texts, on top of the codebook.

    Parameters
    ----------
    codebook : Codebook
    examples : iterable of (str, set of str)
        Reviewed texts and the theme keys people gave them (an empty set: no theme). A sub-theme
        counts for its parent too.
    lang : str
        Language of the texts; the codebook must have keywords in it.
    seed : int, default 0
        Seed of the cross-validation's shuffling (the result is deterministic for a seed).

    Returns
    -------
    LearnedTagger
        Its ``tag(text)`` has the shape of :func:`analysis.themes.tag`. With no examples, or
        too few per theme, it tags exactly as the codebook does.

    Raises
    ------
    analysis.text.normalise.LanguageError
        If `lang` is malformed or the codebook has no keywords in it.
    ValueError
        If an example is not a ``(text, themes)`` pair or names a theme the codebook lacks.

    Notes
    -----
    Method, per theme of the codebook (parents included):

    1. Features: sublinear TF-IDF (``1 + ln tf``, smoothed idf, rows L2-normalised) of the
       stemmed words and word pairs (:func:`text_features`), and one column per codebook theme
       that is :data:`CODEBOOK_FEATURE_WEIGHT` when the codebook finds that theme.
    2. A theme with fewer than :data:`MIN_POSITIVES` reviewed texts with it, or
       :data:`MIN_NEGATIVES` without, follows the codebook.
    3. Otherwise an L2 logistic regression (liblinear, C = :data:`REGULARISATION_C`, classes
       weighted inversely to their frequency) gives out-of-fold probabilities by stratified
       :data:`CV_FOLDS`-fold cross-validation; the threshold in :data:`THRESHOLDS` with the best
       F1 is kept. Unless that F1 beats the codebook's F1 on the same texts by
       :data:`MIN_F1_GAIN` **and** the model is right significantly more often than the
       codebook on the texts where they disagree (one-sided McNemar test, z =
       :data:`MCNEMAR_Z`), the theme follows the codebook; else a model fitted on all the
       examples decides it.

    References
    ----------
    .. [1] Joachims, T. (1998). "Text categorization with support vector machines: learning
       with many relevant features". ECML-98, 137-142.
    .. [2] Fan, R.-E. et al. (2008). "LIBLINEAR: A library for large linear classification".
       JMLR 9, 1871-1874.
    .. [3] McNemar, Q. (1947). "Note on the sampling error of the difference between
       correlated proportions or percentages". Psychometrika 12(2), 153-157.
    .. [4] Dietterich, T. G. (1998). "Approximate statistical tests for comparing supervised
       classification learning algorithms". Neural Computation 10(7), 1895-1923.
    .. [5] Pedregosa, F. et al. (2011). "Scikit-learn: Machine learning in Python". JMLR 12,
       2825-2830.

    Examples
    --------
    >>> from analysis.themes import Codebook
    >>> cb = Codebook.from_dict({"themes": [{"key": "parks", "labels": {"en": "Parks"},
    ...                                       "keywords": {"en": ["park"]}}]})
    >>> tagger = train(cb, [], "en")
    >>> [(m["theme"], m["terms"], m["probability"]) for m in tagger.tag("The park is lovely")]
    [('parks', ['park'], None)]
    """
    lang = normalise_lang(lang)
    compiled = codebook.compiled(lang)  # raises LanguageError for a language the codebook lacks
    texts, labels = [], []
    for index, example in enumerate(examples):
        try:
            text, themes = example
        except (TypeError, ValueError):
            raise ValueError(f"example {index} must be a (text, set of theme keys) pair") from None
        if not isinstance(text, str):
            raise ValueError(f"example {index}: the text must be a string")
        unknown = sorted(set(themes) - set(codebook.keys))
        if unknown:
            raise ValueError(f"example {index}: {', '.join(unknown)} is not a theme of the codebook")
        texts.append(text)
        labels.append(codebook.with_parents(themes))
    stats = {"examples": len(texts), "themes": {}}
    empty = dict(vocabulary=[], idf=[], themes=[], coef=np.zeros((len(codebook.keys), 0)), intercept=[],
                 thresholds={})
    if not texts:
        for key in codebook.keys:
            stats["themes"][key] = {"positives": 0, "negatives": 0, "decided_by": "codebook", "reason": "too_few"}
        return LearnedTagger(codebook, lang, **empty, stats=stats)
    matches = [compiled.match(text) for text in texts]
    match_sets = [{m["theme"] for m in found} for found in matches]
    design, vocabulary, idf, found = _design(codebook, lang, texts, match_sets)
    learned, columns, intercepts, thresholds = [], [], [], {}
    for position, key in enumerate(codebook.keys):
        y = np.array([key in themes for themes in labels])
        positives, negatives = int(y.sum()), int((~y).sum())
        entry = {"positives": positives, "negatives": negatives, "decided_by": "codebook"}
        stats["themes"][key] = entry
        if positives < MIN_POSITIVES or negatives < MIN_NEGATIVES:
            entry["reason"] = "too_few"
            continue
        held_out = _held_out_probabilities(design, y, seed)
        codebook_f1 = _f1(y, found[:, position])
        best_f1, best_threshold = max((_f1(y, held_out >= t), -t) for t in THRESHOLDS)
        entry.update(cv_f1_model=best_f1, cv_f1_codebook=codebook_f1, threshold=-best_threshold)
        model_says = held_out >= -best_threshold
        wins = int(np.sum((model_says == y) & (found[:, position] != y)))
        losses = int(np.sum((model_says != y) & (found[:, position] == y)))
        entry.update(wins=wins, losses=losses)
        if best_f1 < codebook_f1 + MIN_F1_GAIN or wins - losses < MCNEMAR_Z * math.sqrt(wins + losses):
            entry["reason"] = "codebook_better"
            continue
        model = _model().fit(design, y)
        entry.update(decided_by="model", reason="model_better")
        learned.append(key)
        columns.append(model.coef_[0])
        intercepts.append(model.intercept_[0])
        thresholds[key] = -best_threshold
    coef = np.column_stack(columns) if columns else np.zeros((design.shape[1], 0))
    return LearnedTagger(codebook, lang, vocabulary=vocabulary, idf=idf, themes=learned, coef=coef,
                         intercept=intercepts, thresholds=thresholds, stats=stats)
