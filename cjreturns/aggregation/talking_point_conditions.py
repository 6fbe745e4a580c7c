"""The two small languages of a talking-point rule: its condition (`when:`), read by a safe
evaluator that allows only names, numbers, text, arithmetic, comparisons, `and`/`or`/`not` and
`in`, never Python's eval; and its sentence (`text:`), a format template over the same names.
"""

from __future__ import annotations

import ast
import operator
import string
from collections.abc import Callable, Iterator, Mapping
from typing import Any

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


class Condition:
    """A parsed `when:` expression, checked once for allowed syntax and known names."""

    def __init__(self, source: str, names: frozenset[str]) -> None:
        self.source = source
        try:
            self.tree = ast.parse(source.strip(), mode="eval").body
        except SyntaxError as exc:
            raise ValueError(f"cannot read the condition {source!r}: {exc.msg}") from exc
        self.names = tuple(dict.fromkeys(self._check(self.tree, names)))

    def _check(self, node: ast.AST, names: frozenset[str]) -> Iterator[str]:
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ValueError(f"unknown name `{node.id}` (known: {', '.join(sorted(names))})")
            yield node.id
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, int | float | str | None):
                raise ValueError(f"unsupported value {node.value!r}")
        elif isinstance(
            node, ast.BoolOp | ast.Compare | ast.BinOp | ast.UnaryOp | ast.Tuple | ast.List
        ):
            ok = (
                (isinstance(node, ast.BinOp) and type(node.op) in _BINARY)
                or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub))
                or (isinstance(node, ast.Compare) and all(type(o) in _COMPARE for o in node.ops))
                or isinstance(node, ast.BoolOp | ast.Tuple | ast.List)
            )
            if not ok:
                raise ValueError(f"unsupported operator in {ast.unparse(node)!r}")
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    yield from self._check(child, names)
        else:
            raise ValueError(f"unsupported expression {ast.unparse(node)!r}")

    def __call__(self, variables: Mapping[str, Any]) -> bool:
        """True when the condition holds; a comparison with a missing number (None) or a
        division by zero makes the condition false rather than failing the run."""
        try:
            return bool(self._eval(self.tree, variables))
        except (TypeError, ZeroDivisionError):
            return False

    def _eval(self, node: ast.AST, v: Mapping[str, Any]) -> Any:
        if isinstance(node, ast.Name):
            return v[node.id]
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Tuple | ast.List):
            return tuple(self._eval(e, v) for e in node.elts)
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, v)
            return (not value) if isinstance(node.op, ast.Not) else -value
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self._eval(node.left, v), self._eval(node.right, v))
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return all(self._eval(e, v) for e in node.values)
            return any(self._eval(e, v) for e in node.values)
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, v)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self._eval(right_node, v)
                if not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        raise AssertionError(f"unchecked node {node!r}")  # pragma: no cover - _check stops it


class TextTemplate(string.Formatter):
    """Formats a template; a missing number reads "not available" instead of failing."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            return "not available"
        return super().format_field(value, format_spec)


def template_names(template: str, names: frozenset[str]) -> tuple[str, ...]:
    """The names a `text:` template uses, each checked to be one of `names`; raises ValueError
    for any other name or for formatting beyond a format spec ({n:.1f})."""
    found = []
    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or field not in names:
            raise ValueError(
                f"unknown name {{{field}}} in the text (known: {', '.join(sorted(names))})"
            )
        if conversion or (spec and "{" in spec):
            raise ValueError(f"unsupported formatting in {{{field}}}")
        found.append(field)
    return tuple(found)
