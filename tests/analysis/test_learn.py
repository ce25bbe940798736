"""analysis.themes.train: the codebook plus models learned from reviewed texts."""
import json

import pytest

from analysis.themes import LEARNED, Codebook, LanguageError, cross_validate, tag, train

CODEBOOK = Codebook.from_dict({"themes": [
    {"key": "transport", "labels": {"en": "Transport"}, "keywords": {"en": ["bus", "train"]}},
    {"key": "buses", "parent": "transport", "labels": {"en": "Buses"}, "keywords": {"en": ["bus stop"]}},
    {"key": "parks", "labels": {"en": "Parks"}, "keywords": {"en": ["park"]}},
]})
TEXTS = ["The bus is late", "More buses, safer bus stops", "The park is lovely", "Nothing to say",
         "Trains and parks", "I love the parking lot"]


def without_probability(matches):
    return [{k: v for k, v in m.items() if k != "probability"} for m in matches]


def test_with_no_examples_it_tags_exactly_as_the_codebook():
    tagger = train(CODEBOOK, [], "en")
    assert tagger.learned_themes == ()
    for text in TEXTS:
        learned = tagger.tag(text)
        assert without_probability(learned) == tag(text, CODEBOOK, "en")
        assert all(m["probability"] is None for m in learned)


def test_too_few_examples_per_theme_keep_the_codebook():
    # 4 texts with transport: under MIN_POSITIVES (5), so the codebook decides every theme.
    examples = [("the shuttle was late", {"transport"})] * 4 + [("the park", {"parks"})] * 6
    tagger = train(CODEBOOK, examples, "en")
    assert tagger.stats["themes"]["transport"] == {"positives": 4, "negatives": 6, "decided_by": "codebook",
                                                  "reason": "too_few"}
    assert "transport" not in tagger.learned_themes
    assert tagger.tag("the shuttle was late") == []


def shuttle_examples():
    """Reviewers tag "shuttle" and "tram" texts as transport (no keyword of the codebook), and
    reject transport on "park and ride" fundraisers, which the codebook tags through "train"."""
    positive = [f"the {word} {tail}" for word in ("shuttle", "tram") for tail in
                ("was late again", "never comes", "is too full", "stopped running", "costs too much")]
    negative = [f"the {tail}" for tail in ("park is lovely", "library is open", "school is fine",
                                          "shop closed", "market is busy", "garden is pretty",
                                          "pool is cold", "streets are clean", "cafe is nice", "choir sings")]
    return [(text, {"transport"}) for text in positive] + [(text, set()) for text in negative]


def test_words_reviewers_keep_tagging_are_learned_with_a_probability():
    tagger = train(CODEBOOK, shuttle_examples(), "en")
    stats = tagger.stats["themes"]["transport"]
    assert (stats["positives"], stats["negatives"], stats["decided_by"]) == (10, 10, "model")
    # held out, the codebook finds none of the 10 shuttle/tram texts (F1 0) and the model all.
    assert stats["cv_f1_codebook"] == 0.0 and stats["cv_f1_model"] == 1.0
    assert stats["wins"] == 10 and stats["losses"] == 0
    [suggestion] = tagger.tag("the shuttle is late")
    assert suggestion["theme"] == "transport" and suggestion["how"] == LEARNED
    assert suggestion["terms"] == [] and suggestion["span"] is None and suggestion["matches"] == []
    assert 0.5 < suggestion["probability"] == suggestion["score"] <= 1
    assert tagger.tag("the choir sings") == []
    # parks had no positive example: the codebook still decides it.
    assert [(m["theme"], m["probability"]) for m in tagger.tag("the park")] == [("parks", None)]


def test_the_uncertainty_is_one_at_the_threshold_and_zero_at_the_ends():
    tagger = train(CODEBOOK, shuttle_examples(), "en")
    t = tagger.thresholds["transport"]
    assert tagger.uncertainty({"transport": t}) == 1.0
    assert tagger.uncertainty({"transport": 1.0}) == 0.0
    assert tagger.uncertainty({"transport": 0.0}) == 0.0
    assert tagger.uncertainty({}) is None


def test_a_stored_model_tags_as_the_trained_one():
    tagger = train(CODEBOOK, shuttle_examples(), "en")
    again = type(tagger).from_dict(json.loads(json.dumps(tagger.to_dict())), CODEBOOK)
    for text in TEXTS + ["the tram never comes", "the shuttle"]:
        assert again.tag(text) == tagger.tag(text)
    other = Codebook.from_dict({"themes": [{"key": "parks", "labels": {"en": "Parks"}, "keywords": {"en": ["park"]}}]})
    with pytest.raises(ValueError, match="another codebook"):
        type(tagger).from_dict(tagger.to_dict(), other)


def test_bad_examples_and_languages_are_refused():
    with pytest.raises(ValueError, match="example 1: zoo is not a theme"):
        train(CODEBOOK, [("a", set()), ("b", {"zoo"})], "en")
    with pytest.raises(ValueError, match="example 0 must be a"):
        train(CODEBOOK, ["just text"], "en")
    with pytest.raises(LanguageError):
        train(CODEBOOK, [], "de")


def test_cross_validation_on_a_tiny_set_equals_the_codebook():
    # 4 texts, 2 folds: each model sees 2 texts, too few for any theme, so the learned tagger is
    # the codebook. Codebook: "bus" -> transport (right), "park" -> parks (right), "parking" ->
    # parks (wrong: reference {}), "tram" -> {} (missed transport).
    # transport: tp 1, fn 1 -> P 1, R .5; parks: tp 1, fp 1 -> P .5, R 1; micro tp 2 fp 1 fn 1 -> 2/3.
    examples = [("the bus", {"transport"}), ("the park", {"parks"}), ("the parking lot", set()),
                ("the tram", {"transport"})]
    result = cross_validate(CODEBOOK, examples, "en", 2)
    assert result["learned"] == result["codebook"]
    rows = {r["theme"]: r for r in result["codebook"]["themes"]}
    assert (rows["transport"]["precision"], rows["transport"]["recall"]) == (1.0, 0.5)
    assert (rows["parks"]["precision"], rows["parks"]["recall"]) == (0.5, 1.0)
    assert result["codebook"]["micro"]["f1"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="folds must be from 2 to the number of texts"):
        cross_validate(CODEBOOK, examples, "en", 5)


def test_doctests():
    import doctest

    from analysis.text import evaluate, learn
    assert doctest.testmod(learn).failed == 0
    assert doctest.testmod(evaluate).failed == 0
