"""The expression language: a safe subset of Python that builds a graph of Values.

Text is parsed with `ast` and walked against a whitelist: a table from AST node type to
handler, where anything missing from the table is refused with a message naming it.
Nothing is ever `eval`-ed. `parse` raises `ExprError` and nothing else, for any input.
"""

import ast
import keyword
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field

from .engine import Value, apply
from .ops import FUNCTIONS, OPS

MAX_SOURCE_CHARS = 20_000
MAX_GRAPH_NODES = 5_000


def name_problem(text):
    """Why `text` cannot name a value, or '' if it can. The one rule for names, the
    editor's and the canvas's: Python's identifiers (α too), less keywords and the
    functions of the language."""
    if not text.isidentifier():
        return (f"'{text}' is not a name: use letters (any alphabet), digits and _, "
                "not starting with a digit")
    if unicodedata.normalize("NFKC", text) != text:
        # Python reads 'ﬁ' as 'fi': the text would name another value
        return f"'{text}' is read as '{unicodedata.normalize('NFKC', text)}': write that"
    if keyword.iskeyword(text):
        return f"'{text}' is a Python keyword"
    if text in FUNCTIONS:
        return f"'{text}' is a function of the language"
    return ""

# Python's operators the language takes, and the symbol of the op each makes (the functions
# it calls by name are the ops' names: FUNCTIONS).
BINARY_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
NEGATION = "neg"

# What the user wrote, in words, for constructs the language refuses.
CONSTRUCT_NAMES = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambdas",
    ast.ListComp: "list comprehensions", ast.SetComp: "set comprehensions",
    ast.DictComp: "dict comprehensions", ast.GeneratorExp: "generator expressions",
    ast.List: "lists", ast.Tuple: "tuples", ast.Dict: "dicts", ast.Set: "sets",
    ast.Compare: "comparisons", ast.BoolOp: "'and'/'or'", ast.IfExp: "conditional expressions",
    ast.JoinedStr: "strings", ast.Starred: "starred arguments", ast.NamedExpr: "':=' assignments",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "slices",
    ast.Import: "imports", ast.ImportFrom: "imports", ast.FunctionDef: "function definitions",
    ast.AsyncFunctionDef: "function definitions", ast.ClassDef: "class definitions",
    ast.Return: "return", ast.Delete: "del", ast.AugAssign: "augmented assignment ('+=')",
    ast.AnnAssign: "annotated assignments", ast.For: "for loops", ast.AsyncFor: "for loops",
    ast.While: "while loops", ast.If: "if statements", ast.With: "with statements",
    ast.AsyncWith: "with statements", ast.Raise: "raise", ast.Try: "try statements",
    ast.Assert: "assert", ast.Global: "global", ast.Nonlocal: "nonlocal", ast.Pass: "pass",
    ast.Break: "break", ast.Continue: "continue", ast.Match: "match statements",
}
SINGULAR_CONSTRUCTS = {"attribute access", "True/False", "'and'/'or'"}
OPERATOR_SYMBOLS = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.Not: "not", ast.Invert: "~",
}


class ExprError(Exception):
    """A problem with the user's text, located at a 1-based line and column."""

    def __init__(self, message, line=1, col=1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col

    def __str__(self):
        return f"line {self.line}, column {self.col}: {self.message}"


@dataclass(frozen=True)
class Span:
    """Where a piece of text stands in the source: 1-based lines, 0-based columns.

    `end` is a column of `end_line`, which is `line` unless the text spans lines.
    """

    line: int
    start: int
    end: int
    end_line: int = None

    def __post_init__(self):
        if self.end_line is None:
            object.__setattr__(self, "end_line", self.line)


@dataclass
class Program:
    """The result of parsing: the output Value and the names that lead to it."""

    source: str
    output: Value
    values: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    literals: dict = field(default_factory=dict)  # input name -> Span of its number in source
    groups: dict = field(default_factory=dict)  # Value -> name of the `# group:` block that made it


def parse(source):
    """Parse program text into a graph of Values. Raises ExprError, and nothing else."""
    if not isinstance(source, str):
        raise ExprError("the program must be text")
    if len(source) > MAX_SOURCE_CHARS:
        raise ExprError(f"the program is {len(source):,} characters long; "
                        f"the limit is {MAX_SOURCE_CHARS:,}")
    try:
        with warnings.catch_warnings():  # e.g. SyntaxWarning for '1if': the page shows errors only
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="exec")
    except SyntaxError as e:
        raise _syntax_error(source, e) from None
    except (RecursionError, MemoryError):
        raise ExprError("the expression is nested or chained too deeply for the parser; "
                        "split it over several lines with names") from None
    except Exception as e:  # e.g. ValueError for a NUL byte on older Pythons
        raise ExprError(f"the text cannot be read: {e}") from None
    try:
        return _Builder(source).build(tree)
    except ExprError:
        raise
    except RecursionError:
        raise ExprError("the expression is nested too deeply") from None
    except Exception as e:  # a bug here must still reach the user as a message, not a crash
        raise ExprError(f"the program could not be evaluated: {e}") from None


def _syntax_error(source, e):
    line = e.lineno or 1
    col = e.offset or 1
    lines = source_lines(source)
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    message = e.msg or "invalid syntax"
    if text:
        message = f"{message}: '{_shorten(text)}'"
    return ExprError(message, line, max(col, 1))


LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as Python's tokenizer counts lines


def source_lines(source):
    """Lines as Python's tokenizer counts them (str.splitlines also breaks at \f, \x85, ...)."""
    return LINE_BREAK.split(source)


GROUP_COMMENT = re.compile(r"\s*#\s*group:\s*(?P<name>\S.*?)\s*$", re.IGNORECASE)
GROUP_NAME = re.compile(r"[\w-]+(\.[\w-]+)*")


def group_lines(lines):
    """{1-based line: group name} for the lines inside `# group: <name>` blocks.

    A block runs from its comment to the next blank line or the next group comment. Dots
    nest groups: `# group: L1.N0` is inside group `L1`. A comment whose name is not made of
    letters, digits, `_`, `-` and dots is an ordinary comment.
    """
    at, group = {}, None
    for number, text in enumerate(lines, start=1):
        match = GROUP_COMMENT.match(text)
        if match:
            name = match["name"]
            group = name if GROUP_NAME.fullmatch(name) else None
        elif not text.strip():
            group = None
        elif group:
            at[number] = group
    return at


def _shorten(text, limit=40):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(node):
    """The float of a numeric literal, optionally signed (`-3`, `+2.5`), else None."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        try:
            number = float(node.value)
        except OverflowError:
            return None
        return sign * number if math.isfinite(number) else None
    return None


class _Builder:
    def __init__(self, source):
        self.source = source
        self.lines = source_lines(source)
        self.values = {}
        self.inputs = {}
        self.literals = {}
        self.assigned_at = {}
        self.statement = 0
        self.current = None
        self.node_count = 0
        self.group_at = group_lines(self.lines)
        self.groups = {}
        self.group = None

    def error(self, node, message):
        line = getattr(node, "lineno", 1)
        return ExprError(message, line, self.char_col(line, getattr(node, "col_offset", 0)) + 1)

    def char_col(self, line, byte_col):
        # ast columns count UTF-8 bytes; the editor counts characters.
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))

    def quote(self, node):
        segment = ast.get_source_segment(self.source, node) or ""
        return f"'{_shorten(' '.join(segment.split()))}'"

    def refuse(self, node):
        kind = type(node)
        if kind is ast.Constant:
            what = {str: "strings", bytes: "bytes", bool: "True/False", complex: "complex numbers",
                    type(None): "None", type(...): "'...'"}.get(type(node.value), "this constant")
            if type(node.value) in (int, float):
                return self.error(node, f"the number {self.quote(node)} is too large")
        else:
            what = CONSTRUCT_NAMES.get(kind, f"'{kind.__name__}'")
        verb = "are" if what.endswith("s") and what not in SINGULAR_CONSTRUCTS else "is"
        return self.error(node, f"{what} {verb} not available: {self.quote(node)}")

    # statements ------------------------------------------------------------

    def build(self, tree):
        if not tree.body:
            raise ExprError("the program is empty: write an expression such as 'a*b + c'")
        for i, stmt in enumerate(tree.body):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ast.Name):
                self.assigned_at.setdefault(stmt.targets[0].id, (i, stmt))
        output = None
        for i, stmt in enumerate(tree.body):
            self.statement, self.current = i, stmt
            self.group = self.group_at.get(stmt.lineno)
            output = self.run(stmt)
        return Program(self.source, output, self.values, self.inputs, self.literals,
                       self.groups)

    def run(self, stmt):
        if isinstance(stmt, ast.Expr):
            return self.evaluate(stmt.value)
        if not isinstance(stmt, ast.Assign):
            raise self.refuse(stmt)
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            raise self.error(stmt, "assign to one name at a time, like 'x = 2': "
                                   + self.quote(stmt))
        target = stmt.targets[0]
        name = target.id
        if name in FUNCTIONS:
            raise self.error(target, f"'{name}' is a function and cannot be assigned to")
        first, first_stmt = self.assigned_at[name]
        if first != self.statement:
            raise self.error(target, f"'{name}' is already assigned on line {first_stmt.lineno}; "
                                     "choose a new name")
        number = _number(stmt.value)
        if number is not None:
            value = self.leaf(number, name)
            self.inputs[name] = value
            self.literals[name] = self.span(stmt.value)
        else:
            value = self.evaluate(stmt.value)
            if value.label:  # an alias (`z = x`): a node of its own, so `z` is drawn too
                value = self.made(stmt, value.identity())
            value.label = name
        self.values[name] = value
        return value

    def span(self, node):
        line = node.lineno
        return Span(line, self.char_col(line, node.col_offset),
                    self.char_col(node.end_lineno, node.end_col_offset), node.end_lineno)

    # expressions -----------------------------------------------------------

    def leaf(self, number, label=""):
        self.count(1, None)
        return self.member(Value(number, label=label))

    def member(self, value):
        if self.group:
            self.groups[value] = self.group
        return value

    def count(self, n, node):
        self.node_count += n
        if self.node_count > MAX_GRAPH_NODES:
            raise self.error(node or self.current, f"the graph would have more than "
                             f"{MAX_GRAPH_NODES:,} nodes; make the program smaller")

    def evaluate(self, root):
        # Post-order over the tree with an explicit stack: long chains like a+b+c+... nest
        # thousands deep on the left, which would exhaust Python's (and the browser's) stack.
        stack = [(root, None)]
        results = []
        while stack:
            node, children = stack.pop()
            if children is None:
                handler = EXPRESSION_HANDLERS.get(type(node))
                if handler is None:
                    raise self.refuse(node)
                children = handler(self, node)
                stack.append((node, children))
                stack.extend((c, None) for c in reversed(children))
            else:
                args = results[len(results) - len(children):]
                del results[len(results) - len(children):]
                results.append(self.combine(node, args))
        return results[0]

    def combine(self, node, args):
        if isinstance(node, ast.Name):
            return self.lookup(node)
        if isinstance(node, ast.Constant) or (isinstance(node, ast.UnaryOp) and not args):
            return self.leaf(_number(node))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return args[0]
            return self.made(node, apply(OPS[NEGATION], args[0]))
        if isinstance(node, ast.BinOp):
            if len(args) == 1:  # x ** <number>: the exponent belongs to the op
                return self.made(node, args[0] ** _number(node.right))
            return self.made(node, apply(OPS[BINARY_OPERATORS[type(node.op)]], *args))
        op = FUNCTIONS[node.func.id]
        if len(args) < op.arity:  # pow(x, <number>): as x ** <number>
            return self.made(node, args[0] ** _number(node.args[1]))
        return self.made(node, apply(op, *args))

    def made(self, node, value):
        self.count(2, node)  # the result node and its operator node
        return self.member(value)

    def lookup(self, node):
        name = node.id
        if name in self.values:
            return self.values[name]
        if name in self.inputs:
            return self.inputs[name]
        if name in FUNCTIONS:
            raise self.error(node, f"'{name}' is a function: call it, like {name}(x)")
        if name in self.assigned_at:
            line = self.assigned_at[name][1].lineno
            raise self.error(node, f"'{name}' is used before it is assigned (on line {line})")
        self.count(1, node)
        value = Value(1.0, label=name)  # a free name: an input of the program, in no group
        self.inputs[name] = value
        return value


def _name_children(builder, node):
    return []


def _constant_children(builder, node):
    if _number(node) is None:
        raise builder.refuse(node)
    return []


def _unary_children(builder, node):
    if not isinstance(node.op, (ast.USub, ast.UAdd)):
        symbol = OPERATOR_SYMBOLS.get(type(node.op), type(node.op).__name__)
        raise builder.error(node, f"the operator '{symbol}' is not available: {builder.quote(node)}")
    return [] if _number(node) is not None else [node.operand]


def _binary_children(builder, node):
    if type(node.op) not in BINARY_OPERATORS:
        symbol = OPERATOR_SYMBOLS.get(type(node.op), type(node.op).__name__)
        raise builder.error(node, f"the operator '{symbol}' is not available "
                                  f"(use {' '.join(BINARY_OPERATORS.values())}): "
                                  f"{builder.quote(node)}")
    if isinstance(node.op, ast.Pow) and _number(node.right) is not None:
        return [node.left]
    return [node.left, node.right]


def _call_children(builder, node):
    func = node.func
    if not isinstance(func, ast.Name):
        raise builder.refuse(func) if type(func) in CONSTRUCT_NAMES else \
            builder.error(node, f"only named functions can be called: {builder.quote(node)}")
    name = func.id
    if name not in FUNCTIONS:
        raise builder.error(func, f"unknown function '{name}' in {builder.quote(node)}; "
                                  f"available: {', '.join(FUNCTIONS)}")
    if node.keywords:
        raise builder.error(node.keywords[0], f"keyword arguments are not available: {builder.quote(node)}")
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise builder.refuse(arg)
    op = FUNCTIONS[name]
    wanted = op.arity
    if len(node.args) != wanted:
        raise builder.error(node, f"{name}() takes {wanted} argument{'s' * (wanted > 1)}, "
                                  f"got {len(node.args)}: {builder.quote(node)}")
    if op.symbol == "**" and _number(node.args[1]) is not None:
        return [node.args[0]]
    return list(node.args)


EXPRESSION_HANDLERS = {
    ast.Name: _name_children,
    ast.Constant: _constant_children,
    ast.UnaryOp: _unary_children,
    ast.BinOp: _binary_children,
    ast.Call: _call_children,
}
