"""Skip logic: a small expression language over earlier answers, parsed and interpreted, never eval'ed.

Grammar (Python-like, a safe subset):  ``expr := expr and expr | expr or expr | not expr
| operand (== | != | < | <= | > | >= | in | not in) operand | operand`` where an operand is a
question key, a string, a number, true/false/null, or a list of literals. Examples::

    'transport' in priorities          # a ranking or multiple choice includes a value
    age_band == '65_plus' or has_children
    household_size >= 3 and not (tenure in ['own', 'prefer_not'])

A missing answer is null: ordering comparisons with it (<, >, …) and `x in null` are false, so an
unanswered question never makes a later one relevant by accident; `x == null` tests for it.
"""
from __future__ import annotations

import ast
import operator
from dataclasses import dataclass

_COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
}
_LITERAL_NAMES = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}


class ExpressionError(ValueError):
    """An expression that cannot be parsed or names something it may not."""


@dataclass(frozen=True)
class Expression:
    source: str
    tree: ast.expr
    names: frozenset[str]

    def evaluate(self, answers: dict) -> bool:
        return bool(_evaluate(self.tree, answers))

    def to_json(self):
        """The parsed condition as a small JSON tree, for a browser to evaluate with the same
        rules (app/static/respond.js) instead of parsing or eval'ing the source:
        ``{"and"|"or": [..]}``, ``{"not": x}``, ``{"cmp": [op, ..], "args": [left, ..]}``,
        ``{"var": key}``, ``{"lit": value}``."""
        return _tree(self.tree)


def parse_expression(source: str, known_keys: set[str] | None = None) -> Expression:
    """Parse `source`; with `known_keys`, every name must be one of them (an earlier question)."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse '{source}': {exc.msg}") from None
    names: set[str] = set()
    _check(tree, names)
    if known_keys is not None:
        unknown = sorted(names - known_keys)
        if unknown:
            raise ExpressionError(
                f"'{source}' names {', '.join(unknown)}, which is not an earlier question"
            )
    return Expression(source, tree, frozenset(names))


def _check(node: ast.AST, names: set[str]) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, names)
    elif isinstance(node, ast.Compare):
        for op in node.ops:
            if type(op) not in _COMPARE and not isinstance(op, (ast.In, ast.NotIn)):
                raise ExpressionError(f"operator {type(op).__name__} is not allowed")
        for operand in [node.left, *node.comparators]:
            _check(operand, names)
    elif isinstance(node, ast.Name):
        if node.id not in _LITERAL_NAMES:
            names.add(node.id)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, (str, int, float, bool, type(None))):
            raise ExpressionError(f"literal {node.value!r} is not allowed")
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            if not isinstance(element, ast.Constant):
                raise ExpressionError("a list may hold only literal values")
    else:
        raise ExpressionError(f"'{ast.unparse(node)}' is not allowed in a condition")


_OP_NAMES = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
             ast.In: "in", ast.NotIn: "not in"}


def _tree(node: ast.expr):
    if isinstance(node, ast.BoolOp):
        return {"and" if isinstance(node.op, ast.And) else "or": [_tree(v) for v in node.values]}
    if isinstance(node, ast.UnaryOp):
        return {"not": _tree(node.operand)}
    if isinstance(node, ast.Compare):
        return {"cmp": [_OP_NAMES[type(op)] for op in node.ops],
                "args": [_tree(n) for n in (node.left, *node.comparators)]}
    if isinstance(node, ast.Name):
        if node.id in _LITERAL_NAMES:
            return {"lit": _LITERAL_NAMES[node.id]}
        return {"var": node.id}
    if isinstance(node, ast.Constant):
        return {"lit": node.value}
    return {"lit": [element.value for element in node.elts]}


def _evaluate(node: ast.expr, answers: dict):
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(_evaluate(v, answers) for v in node.values)
        return any(_evaluate(v, answers) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return not _evaluate(node.operand, answers)
    if isinstance(node, ast.Compare):
        left = _evaluate(node.left, answers)
        for op, right_node in zip(node.ops, node.comparators):
            right = _evaluate(right_node, answers)
            if not _compare(op, left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Name):
        if node.id in _LITERAL_NAMES:
            return _LITERAL_NAMES[node.id]
        return answers.get(node.id)
    if isinstance(node, ast.Constant):
        return node.value
    return [element.value for element in node.elts]  # List/Tuple of constants, checked at parse


def _compare(op: ast.cmpop, left, right) -> bool:
    if isinstance(op, (ast.In, ast.NotIn)):
        found = isinstance(right, (list, tuple, str)) and left is not None and left in right
        return found if isinstance(op, ast.In) else (right is not None and not found)
    if left is None or right is None:
        if isinstance(op, (ast.Eq, ast.NotEq)):
            return (left is right) == isinstance(op, ast.Eq)
        return False
    try:
        return _COMPARE[type(op)](left, right)
    except TypeError:  # e.g. '3' < 2: not comparable means the condition does not hold
        return False
