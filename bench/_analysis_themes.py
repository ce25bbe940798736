"""Benchmark for analysis.themes: tagging, TextBlob, report, agreement.

``run(out)`` generates 10,000 synthetic survey comments (English and Spanish,
fixed seed) from the shipped codebook's keywords and filler text, and prints
comments/s for tagging English with TextBlob sentiment and noun phrases and
Spanish with Snowball stemming, on one core, against a naive baseline that
re-stems the codebook for every comment. Peak memory via tracemalloc.
"""

import random
import time
import tracemalloc
from pathlib import Path

import numpy as np
import snowballstemmer

from analysis.agreement import cohens_kappa, krippendorff_alpha
from analysis.text.matcher import EXACT_PREFIX, keyword_variants
from analysis.text.normalise import PHRASE_BREAK_RE, strip_marks, tokenize
from analysis.themes import Codebook, analyse, tag, tag_items, themes_report

#: Seed for the synthetic comments.
DATA_SEED = 4
#: Comments generated (half English, half Spanish).
N_COMMENTS = 10_000
#: Comments the naive baseline tags per language (it is slow; rates are per comment).
N_BASELINE = 100
#: The goal from issue #4: comments per second on one core, TextBlob included.
GOAL_PER_SECOND = 1_000
CODEBOOK = Path(__file__).resolve().parents[1] / "surveys" / "codebooks" / "community-themes.yaml"

# Made-up but plausible comment parts: templates with a keyword slot, filler.
TEMPLATES = {
    "en": [
        "The {kw} in our neighbourhood is {adj}.",
        "We really need better {kw} near the {place}.",
        "My family worries about {kw} and {kw2}.",
        "Why is the {kw} always so {adj}?",
        "I have lived here {n} years and the {kw} has never been {adj}.",
        "Please do something about {kw}, it affects everyone on our street.",
    ],
    "es": [
        "El {kw} en nuestro barrio es {adj}.",
        "Necesitamos mejor {kw} cerca de la {place}.",
        "Mi familia se preocupa por {kw} y {kw2}.",
        "¿Por qué el {kw} siempre es tan {adj}?",
        "Vivo aquí hace {n} años y el {kw} nunca ha sido {adj}.",
        "Por favor hagan algo con {kw}, nos afecta a todos.",
    ],
}
FILLER = {
    "en": ["Thanks for asking.", "I hope someone listens this time.",
           "Things were better before the pandemic.", "My neighbours feel the same way.",
           "It is hard to find time for meetings after work."],
    "es": ["Gracias por preguntar.", "Ojalá alguien escuche esta vez.",
           "Antes de la pandemia las cosas eran mejores.", "Mis vecinos piensan lo mismo.",
           "Es difícil ir a las reuniones después del trabajo."],
}
WORDS = {
    "en": {"adj": ["terrible", "great", "expensive", "slow", "dirty", "wonderful", "crowded",
                   "late", "fine", "awful"],
           "place": ["school", "corner store", "library", "station", "church", "market"]},
    "es": {"adj": ["terrible", "bueno", "caro", "lento", "sucio", "maravilloso", "lleno",
                   "tarde", "regular", "horrible"],
           "place": ["escuela", "tienda", "biblioteca", "estación", "iglesia", "plaza"]},
}


def synthetic_comments(codebook, n=N_COMMENTS, seed=DATA_SEED):
    """Return n items ``{"id", "text", "lang", "group"}``, half en, half es."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        lang = "en" if i % 2 == 0 else "es"
        keywords = [k.removeprefix(EXACT_PREFIX) for t in codebook.themes
                    for k in t.keywords[lang]]
        sentences = []
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.25:
                sentences.append(rng.choice(FILLER[lang]))
                continue
            sentences.append(rng.choice(TEMPLATES[lang]).format(
                kw=rng.choice(keywords), kw2=rng.choice(keywords), n=rng.randint(2, 30),
                adj=rng.choice(WORDS[lang]["adj"]), place=rng.choice(WORDS[lang]["place"])))
        items.append({"id": i, "text": " ".join(sentences), "lang": lang,
                      "group": f"area_{rng.randint(1, 6)}"})
    return items


class NaiveTagger:
    """Baseline: re-stem every codebook keyword for every comment, no caches.

    Same normalisation and matching rules as the real tagger (so the themes
    found agree), but what a first implementation does: a fresh Snowball
    stemmer call per token of the text and of every keyword, then a scan per
    keyword.
    """

    ALGORITHMS = {"en": "english", "es": "spanish"}

    def __init__(self, codebook, lang):
        self.codebook, self.lang = codebook, lang
        self.stemmer = snowballstemmer.stemmer(self.ALGORITHMS[lang])

    def _key(self, token, exact):
        folded = strip_marks(token.casefold())
        return folded if exact else self.stemmer.stemWord(folded)

    def themes(self, text):
        """Return the set of themes whose keywords occur in `text`."""
        tokens = tokenize(text)
        found = set()
        for exact in (False, True):
            keys = [self._key(t.group(), exact) for t in tokens]
            for theme in self.codebook.themes:
                for keyword in theme.keywords.get(self.lang, ()):
                    if keyword.startswith(EXACT_PREFIX) != exact:
                        continue
                    for variant in keyword_variants(keyword.removeprefix(EXACT_PREFIX), self.lang):
                        phrase = [self._key(t.group(), exact) for t in tokenize(variant)]
                        if self._occurs(phrase, keys, tokens, text):
                            found.add(theme.key)
        return found

    @staticmethod
    def _occurs(phrase, keys, tokens, text):
        size = len(phrase)
        return any(
            keys[i:i + size] == phrase and not PHRASE_BREAK_RE.search(
                text, tokens[i].end(), tokens[i + size - 1].start())
            for i in range(len(keys) - size + 1)
        )


def _rate(function, texts):
    start = time.perf_counter()
    for text in texts:
        function(text)
    seconds = time.perf_counter() - start
    return len(texts) / seconds, seconds


def run(out):
    """Run the benchmark and print its figures with `out` (e.g. ``print``).

    Everything runs in this one thread, so on one core; the figures are
    wall-clock and drop when other processes share the machine.
    """
    out("== analysis.themes ==")
    start = time.perf_counter()
    codebook = Codebook.from_yaml(CODEBOOK)
    codebook.compiled("en"), codebook.compiled("es")
    analyse("Warm up: the bus stop.", codebook, "en")   # loads TextBlob's pattern lexicons
    out(f"cold start (load codebook, compile en+es, load TextBlob lexicons): "
        f"{time.perf_counter() - start:.2f} s")

    items = synthetic_comments(codebook)
    english = [i["text"] for i in items if i["lang"] == "en"]
    spanish = [i["text"] for i in items if i["lang"] == "es"]
    out(f"{len(items)} synthetic comments (seed {DATA_SEED}), "
        f"{np.mean([len(t.split()) for t in english]):.0f} words per English comment, "
        f"{len(codebook)} themes, one core")

    rate, seconds = _rate(lambda t: analyse(t, codebook, "en"), english)
    out(f"English, tag + TextBlob sentiment + noun phrases: {rate:,.0f} comments/s "
        f"({seconds:.2f} s for {len(english)}; goal {GOAL_PER_SECOND:,}/s: "
        f"{'met' if rate >= GOAL_PER_SECOND else 'NOT met'})")
    fast_en, _ = _rate(lambda t: tag(t, codebook, "en"), english)
    out(f"English, tag only: {fast_en:,.0f} comments/s")
    fast_es, seconds = _rate(lambda t: analyse(t, codebook, "es"), spanish)
    out(f"Spanish, tag with Snowball stems: {fast_es:,.0f} comments/s ({seconds:.2f} s)")

    for lang, texts, fast in (("en", english, fast_en), ("es", spanish, fast_es)):
        naive, compiled = NaiveTagger(codebook, lang), codebook.compiled(lang)
        sample = texts[:N_BASELINE]
        start = time.perf_counter()
        found = [naive.themes(t) for t in sample]
        naive_rate = len(sample) / (time.perf_counter() - start)
        same = sum(f == set(compiled.scan(t).hits) for f, t in zip(found, sample))
        out(f"{lang} naive baseline (re-stem codebook per comment): {naive_rate:,.1f} comments/s;"
            f" compiled tagger is {fast / naive_rate:,.0f}x faster; same themes on "
            f"{same}/{len(sample)} comments")

    tracemalloc.start()
    tag_items([i for i in items if i["lang"] == "en"][:1000], codebook)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out(f"peak memory, tag_items on 1,000 English comments (results kept): "
        f"{peak / 2**20:.1f} MiB")
    tracemalloc.start()
    fresh = Codebook.from_yaml(CODEBOOK)
    for lang in fresh.languages:
        fresh.compiled(lang)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out(f"peak memory, load + compile the codebook in {len(fresh.languages)} languages: "
        f"{peak / 2**20:.1f} MiB")

    start = time.perf_counter()
    report = themes_report(items, codebook, human_tags={i["id"]: set() for i in items[:500]})
    out(f"themes_report over {len(items):,} comments (tags, sentiment, quotes, agreement, "
        f"emerging): {time.perf_counter() - start:.2f} s; "
        f"{len(report['emerging'])} emerging phrases")

    rng = np.random.default_rng(DATA_SEED)
    a = rng.integers(0, 4, 10_000).tolist()
    b = rng.integers(0, 4, 10_000).tolist()
    start = time.perf_counter()
    cohens_kappa(a, b)
    out(f"cohens_kappa, 10,000 units: {(time.perf_counter() - start) * 1e3:.1f} ms")
    data = rng.integers(0, 4, (4, 10_000)).astype(object)
    data[rng.random((4, 10_000)) < 0.1] = None
    start = time.perf_counter()
    krippendorff_alpha(data.tolist())
    out(f"krippendorff_alpha, 4 coders x 10,000 units: "
        f"{(time.perf_counter() - start) * 1e3:.1f} ms")
