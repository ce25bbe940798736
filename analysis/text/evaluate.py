"""Measuring a tagger against people: precision, recall, F1 and kappa per theme, and averages.

:func:`evaluate_tags` compares two codings of the same texts (a tagger's and a person's, or two
people's); :func:`cross_validate` measures the learned tagger (:func:`analysis.text.learn.train`)
on texts it was not trained on.
"""

import random

from analysis.agreement import cohens_kappa

__all__ = ["evaluate_tags", "cross_validate"]


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def evaluate_tags(reference, predicted, themes):
    """Per-theme precision, recall, F1 and Cohen's kappa of `predicted` against `reference`.

    Parameters
    ----------
    reference : sequence of set
        Theme keys per text from the reference coder (e.g. the first human coder).
    predicted : sequence of set
        Theme keys per text from the coder measured (the tagger, or a second person), same order.
    themes : sequence of str
        The themes to report, in order.

    Returns
    -------
    dict
        ``{"n", "themes": [{"theme", "tp", "fp", "fn", "tn", "support", "precision", "recall",
        "f1", "kappa"}], "micro": {"precision", "recall", "f1"}, "macro": {"precision",
        "recall", "f1", "kappa"}}``.

    Raises
    ------
    ValueError
        If the two sequences differ in length.

    Notes
    -----
    Each theme is a present/absent decision per text. precision = tp / (tp + fp), recall =
    tp / (tp + fn), F1 = 2 tp / (2 tp + fp + fn); each is None when its denominator is 0 (a
    theme nobody used has no F1, not a perfect one). Kappa is Cohen's (1960) on the two
    present/absent columns (:func:`analysis.agreement.cohens_kappa`; None when both coders give
    every text the same value). **Micro** averages pool tp, fp and fn over the themes; **macro**
    averages are the mean of the per-theme values that are defined (Sokolova and Lapalme 2009).

    References
    ----------
    .. [1] Sokolova, M. and Lapalme, G. (2009). "A systematic analysis of performance measures
       for classification tasks". Information Processing and Management 45(4), 427-437.

    Examples
    --------
    >>> result = evaluate_tags([{"a"}, {"a", "b"}, set()], [{"a"}, {"a"}, {"b"}], ["a", "b"])
    >>> [(t["theme"], t["precision"], t["recall"]) for t in result["themes"]]
    [('a', 1.0, 1.0), ('b', 0.0, 0.0)]
    >>> round(result["micro"]["f1"], 4)
    0.6667
    """
    if len(reference) != len(predicted):
        raise ValueError(f"{len(reference)} reference codings but {len(predicted)} predicted")
    rows, total = [], {"tp": 0, "fp": 0, "fn": 0}
    for theme in themes:
        truth = [theme in s for s in reference]
        guess = [theme in s for s in predicted]
        tp = sum(t and g for t, g in zip(truth, guess))
        fp = sum(g and not t for t, g in zip(truth, guess))
        fn = sum(t and not g for t, g in zip(truth, guess))
        tn = len(truth) - tp - fp - fn
        for name, value in (("tp", tp), ("fp", fp), ("fn", fn)):
            total[name] += value
        rows.append({"theme": theme, "tp": tp, "fp": fp, "fn": fn, "tn": tn, "support": tp + fn,
                     "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
                     "f1": _ratio(2 * tp, 2 * tp + fp + fn),
                     "kappa": cohens_kappa(truth, guess) if truth else None})
    tp, fp, fn = total["tp"], total["fp"], total["fn"]
    return {
        "n": len(reference),
        "themes": rows,
        "micro": {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn), "f1": _ratio(2 * tp, 2 * tp + fp + fn)},
        "macro": {name: _mean(r[name] for r in rows) for name in ("precision", "recall", "f1", "kappa")},
    }


def cross_validate(codebook, examples, lang, folds, *, seed=0):
    """Measure the learned tagger by K-fold cross-validation on human-coded texts.

    Parameters
    ----------
    codebook : Codebook
    examples : sequence of (str, set of str)
        Texts and the themes people gave them.
    lang : str
    folds : int
        K, at least 2 and at most the number of examples.
    seed : int, default 0
        Seed of the shuffle that deals the texts into folds.

    Returns
    -------
    dict
        ``{"folds", "codebook": evaluate_tags(...), "learned": evaluate_tags(...)}``: the
        codebook alone and the learned tagger, each over every text once, the learned tagger's
        prediction for a text coming from the model trained on the other K - 1 folds.

    Raises
    ------
    ValueError
        For fewer than 2 folds or more folds than examples.

    Notes
    -----
    Texts are shuffled with `seed` and dealt round-robin into K folds (sizes differ by at most
    one). References use the examples' themes with the parents of sub-themes added, as the
    tagger counts them.
    """
    from analysis.text.learn import train
    examples = [(text, set(themes)) for text, themes in examples]
    if folds < 2 or folds > len(examples):
        raise ValueError(f"folds must be from 2 to the number of texts ({len(examples)}), not {folds}")
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    fold_of = {index: position % folds for position, index in enumerate(order)}
    predicted = [None] * len(examples)
    for fold in range(folds):
        tagger = train(codebook, [examples[i] for i in order if fold_of[i] != fold], lang, seed=seed)
        for i in order:
            if fold_of[i] == fold:
                predicted[i] = {m["theme"] for m in tagger.tag(examples[i][0])}
    compiled = codebook.compiled(lang)
    reference = [codebook.with_parents(themes) for _text, themes in examples]
    plain = [{m["theme"] for m in compiled.match(text)} for text, _themes in examples]
    return {"folds": folds, "codebook": evaluate_tags(reference, plain, codebook.keys),
            "learned": evaluate_tags(reference, predicted, codebook.keys)}
