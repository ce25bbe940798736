"""XLSForm's XPath subset → our skip-logic language (app/surveydef/relevance.py), and constraints → bounds.

Translated: ``${q} = 'x'``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``and``, ``or``, ``not(…)``,
``selected(${q}, 'x')``, ``count-selected(${q})`` compared with 0 or 1 (answered or not: our language
has no counting), ``true()``/``false()``, strings and numbers, parentheses. Anything else (arithmetic,
other functions, paths other than ``${q}``, ``../q`` and ``.``) raises :class:`XPathError` saying what,
so the import lists it instead of guessing.

Literals are typed by the question they are compared with: a number question compares with
numbers, a yes/no question with true/false, a choice question with its (possibly renamed) values,
and ``''`` (XPath's empty answer) with null.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from app.questions import question_type


class XPathError(ValueError):
    """An expression outside the subset we translate."""


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<ref>\$\{\s*(?P<refname>[^}\s]+)\s*\})
    | (?P<rel>(?:\.\./)+(?P<relname>[A-Za-z_][\w.\-]*))
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<op>!=|<=|>=|=|<|>|\(|\)|,)
    | (?P<word>[A-Za-z_][\w:\-]*\s*(?=\()|[A-Za-z_][\w\-]*)
    | (?P<dot>\.)
    | (?P<other>\S)
    )""", re.VERBOSE)


@dataclass(frozen=True)
class Question:
    """What the translator needs to know of a question named in an expression."""
    key: str
    type: str
    values: dict[str, str]  # XLSForm choice name → our choice value
    places: int = 0         # ranking: how many places an answer holds (its rank, or every choice)


#: A ranking's top-N test as our export writes it (ODK's rank answer orders every choice):
#: ``((count-selected(${q}) > 0 and selected-at(${q}, 0) = 'x') or … N places)``.
_TOP_N = re.compile(
    r"\(\(count-selected\(\$\{(?P<q>[^}]+)\}\) > 0 and selected-at\(\$\{(?P=q)\}, 0\) = "
    r"(?P<v>'[^']*'|\"[^\"]*\")\)"
    r"(?P<rest>(?: or \(count-selected\(\$\{(?P=q)\}\) > \d+ and selected-at\(\$\{(?P=q)\}, \d+\) = "
    r"(?P=v)\))*)\)")


def _top_n(source: str, questions: dict[str, Question]) -> str:
    """Turn each top-N test whose places match the ranking's rank into ``selected(${q}, 'x')``."""
    def replace(match: re.Match) -> str:
        question = questions.get(match["q"])
        places = 1 + match["rest"].count(" or ")
        if question is None or question.type != "ranking" or places != question.places:
            return match.group(0)
        return f"selected(${{{match['q']}}}, {match['v']})"
    return _TOP_N.sub(replace, source)


def tokens(source: str) -> list[tuple[str, str]]:
    found = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup
        if match.group("ref"):
            found.append(("ref", match.group("refname")))
        elif match.group("rel"):
            found.append(("ref", match.group("relname")))
        elif kind == "other":
            raise XPathError(f"'{match.group('other')}' is not part of the XPath we translate")
        elif kind == "word":
            found.append(("word", match.group("word").strip()))
        else:
            found.append((kind, match.group(kind)))
    return found


class _Parser:
    """Recursive descent over the subset; returns our language's source text."""

    def __init__(self, source: str, questions: dict[str, Question], self_question: Question | None = None):
        self.source = source
        self.items = tokens(source)
        self.at = 0
        self.questions = questions
        self.self_question = self_question

    def peek(self, offset: int = 0):
        index = self.at + offset
        return self.items[index] if index < len(self.items) else (None, None)

    def take(self, kind=None, text=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (text and token[1] != text):
            want = text or kind or "more"
            raise XPathError(f"expected {want} in '{self.source}'")
        self.at += 1
        return token

    def parse(self) -> str:
        if not self.items:
            raise XPathError("the expression is empty")
        result = self.or_expr()
        if self.peek()[0] is not None:
            raise XPathError(f"cannot read '{self.source}' past '{self.peek()[1]}'")
        return _strip_outer(self.condition(result))

    # Each method returns (kind, text): kind "bool" for a condition, "var"/"lit"/"count" for operands.
    def or_expr(self):
        return self._joined("or", self.and_expr)

    def and_expr(self):
        return self._joined("and", self.comparison)

    def _joined(self, word: str, operand):
        """operand (word operand)*: one operand as it is, several as one condition."""
        parts = [operand()]
        while self.peek() == ("word", word):
            self.take()
            parts.append(operand())
        if len(parts) == 1:
            return parts[0]
        return "bool", f" {word} ".join(self.condition(p, wrap=True) for p in parts)

    def condition(self, part, wrap=False) -> str:
        kind, text = part
        if kind == "bool":
            bare = not (text.startswith("(") and text.endswith(")"))
            return f"({text})" if wrap and bare and (" or " in text or " and " in text) else text
        if kind == "var":
            return text.key  # a bare answer: truthy when answered
        raise XPathError(f"'{text}' is not a condition in '{self.source}'")

    def comparison(self):
        left = self.primary()
        if self.peek()[0] == "op" and self.peek()[1] in ("=", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            right = self.primary()
            return "bool", self.compare(left, op, right)
        return left

    def primary(self):
        kind, text = self.peek()
        if kind == "op" and text == "(":
            self.take()
            inner = self.or_expr()
            self.take("op", ")")
            return ("bool", f"({inner[1]})") if inner[0] == "bool" else inner
        if kind == "ref":
            self.take()
            return "var", self.question(text)
        if kind == "dot":
            self.take()
            if self.self_question is None:
                raise XPathError("'.' (this question) has no meaning here")
            return "var", self.self_question
        if kind == "string":
            self.take()
            return "lit", text[1:-1]
        if kind == "number":
            self.take()
            return "num", text
        if kind == "word" and self.peek(1) == ("op", "("):
            return self.function(text)
        raise XPathError(f"'{text}' is not part of the XPath we translate")

    def function(self, name: str):
        self.take()
        self.take("op", "(")
        if name in ("true", "false"):
            self.take("op", ")")
            return "bool", name
        args = [] if self.peek() == ("op", ")") else [self.or_expr()]
        while self.peek() == ("op", ","):
            self.take()
            args.append(self.or_expr())
        self.take("op", ")")
        if name == "not" and len(args) == 1:
            inner = self.condition(args[0])
            return "bool", f"not {inner}" if args[0][0] == "var" or inner.startswith("(") else f"not ({inner})"
        if name == "selected" and len(args) == 2 and args[0][0] == "var" and args[1][0] == "lit":
            question = args[0][1]
            value = self.value(question, args[1][1])
            if question_type(question.type).is_list:
                return "bool", f"{_quote(value)} in {question.key}"
            return "bool", f"{question.key} == {_quote(value)}"
        if name == "count-selected" and len(args) == 1 and args[0][0] == "var":
            return "count", args[0][1]
        raise XPathError(f"the function {name}() has no equivalent in our skip logic")

    def question(self, name: str) -> Question:
        if name not in self.questions:
            raise XPathError(f"${{{name}}} is not an earlier question that was carried over")
        return self.questions[name]

    def value(self, question: Question, literal: str) -> str:
        if question.values and literal not in question.values:
            raise XPathError(f"'{literal}' is not a choice of ${{{question.key}}}")
        return question.values.get(literal, literal)

    def compare(self, left, op: str, right) -> str:
        ours = "==" if op == "=" else op
        if left[0] in ("lit", "num") and right[0] == "var":
            left, right = right, left
            ours = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(ours, ours)
        if left[0] == "count":
            return self.count(left[1].key, ours, right)
        if left[0] != "var":
            raise XPathError(f"cannot compare '{left[1]}' in '{self.source}'")
        question = left[1]
        if right[0] == "var":
            return f"{question.key} {ours} {right[1].key}"
        if right[0] == "lit" and right[1] == "":
            if ours not in ("==", "!="):
                raise XPathError(f"cannot order an answer against '' in '{self.source}'")
            return f"{question.key} {ours} null"
        if question_type(question.type).is_list:
            raise XPathError(f"${{{question.key}}} {op} … compares a whole list of picks; use selected()")
        if question_type(question.type).is_numeric:
            return f"{question.key} {ours} {_number(right[1], self.source)}"
        if question.type == "yes_no":
            if right[1] not in ("yes", "no") or ours not in ("==", "!="):
                raise XPathError(f"a yes/no question compares only with 'yes' or 'no' in '{self.source}'")
            return f"{question.key} {ours} {'true' if right[1] == 'yes' else 'false'}"
        if right[0] == "num" and not question.values:
            return f"{question.key} {ours} {_quote(right[1])}"
        return f"{question.key} {ours} {_quote(self.value(question, right[1]))}"

    def count(self, key: str, op: str, right) -> str:
        """count-selected compared with 0 or 1: whether anything is picked (our language cannot count)."""
        if right[0] != "num":
            raise XPathError(f"count-selected() compares with a number in '{self.source}'")
        number = float(right[1])
        picked = {(">", 0), (">=", 1), ("!=", 0)}
        none = {("==", 0), ("<", 1), ("<=", 0)}
        if (op, number) in picked:
            return f"not ({key} == null or {key} == [])"
        if (op, number) in none:
            return f"({key} == null or {key} == [])"
        raise XPathError(f"count-selected() {op} {right[1]}: our skip logic can only tell picked from not picked")


def _strip_outer(text: str) -> str:
    """``(a or b)`` → ``a or b`` when the parentheses hold the whole condition."""
    while text.startswith("(") and text.endswith(")"):
        depth, quote = 0, None
        for index, char in enumerate(text):
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0 and index < len(text) - 1:
                    return text  # the first group closes before the end: (a) or (b)
        text = text[1:-1].strip()
    return text


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _number(text: str, source: str) -> str:
    try:
        number = float(text)
    except ValueError:
        raise XPathError(f"'{text}' is not a number in '{source}'") from None
    return str(int(number)) if number.is_integer() else str(number)


def translate_relevant(source: str, questions: dict[str, Question]) -> str:
    """Our skip-logic text for the XLSForm `relevant` `source`; `questions` maps XLSForm names of
    earlier questions to what we know of them. Raises XPathError for anything outside the subset."""
    return _Parser(_top_n(source, questions), questions).parse()


@dataclass
class Bounds:
    """What a constraint says in terms our question types carry."""
    min: float | None = None
    max: float | None = None
    min_picks: int | None = None
    max_picks: int | None = None
    max_length: int | None = None


_BOUND = re.compile(
    r"^\s*(?P<subject>\.|count-selected\(\s*\.\s*\)|string-length\(\s*\.\s*\))\s*"
    r"(?P<op><=|>=|<|>)\s*(?P<number>-?\d+(?:\.\d+)?)\s*$")


def constraint_bounds(source: str, whole: bool) -> tuple[Bounds, list[str]]:
    """Split a constraint on top-level `and`; read `. >= N`, `count-selected(.) <= N` and
    `string-length(.) <= N` parts into Bounds. Returns (bounds, the parts not understood)."""
    bounds, rest = Bounds(), []
    for part in _split_and(source):
        match = _BOUND.match(_unwrap(part))
        if not match:
            rest.append(part.strip())
            continue
        subject, op, number = match["subject"], match["op"], float(match["number"])
        if op in ("<", ">"):
            if not whole and subject == ".":
                rest.append(part.strip())  # a strict bound on a decimal: ours are inclusive
                continue
            number, op = (math.floor(number) + 1.0, ">=") if op == ">" else (math.ceil(number) - 1.0, "<=")
        value = int(number) if number.is_integer() else number
        if subject == ".":
            setattr(bounds, "min" if op == ">=" else "max", value)
        elif subject.startswith("count"):
            setattr(bounds, "min_picks" if op == ">=" else "max_picks", int(value))
        elif op == "<=":
            bounds.max_length = int(value)
        else:
            rest.append(part.strip())
    return bounds, rest


def _unwrap(part: str) -> str:
    part = part.strip()
    while part.startswith("(") and part.endswith(")") and part.count("(") == 1:
        part = part[1:-1].strip()
    return part


def _split_and(source: str) -> list[str]:
    parts, depth, start, quote = [], 0, 0, None
    i = 0
    while i < len(source):
        char = source[i]
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and source[i:i + 5] == " and ":
            parts.append(source[start:i])
            start = i + 5
            i += 4
        i += 1
    parts.append(source[start:])
    return [p for p in parts if p.strip()]
