"""Text helpers behind :mod:`analysis.themes`.

Modules
-------
normalise
    Language codes, tokens, accent folding, Snowball stems, stopword lists.
codebook (with _codebook_parse)
    The theme codebook: validation, YAML loading, round-trips.
matcher
    A codebook compiled per language (stems -> themes) and the tagger.
english
    TextBlob set up to run offline (no NLTK corpora): sentence and word
    tokenizers, a noun-phrase extractor on the pattern chunker, sentiment.
emerging
    Frequent phrases that no theme of the codebook covers.
quotes
    Short, strong, diverse quotes per theme.
pipeline, report
    The per-text pipeline and the themes report built on the modules above.

The public entry point is :mod:`analysis.themes`; import from there.
"""
