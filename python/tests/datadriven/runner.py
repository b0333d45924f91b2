# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# runner.py: reader, runner, rewriter and differ for cockroachdb's datadriven format
# (HARNESS.md §1), a port of tests/conformance/datadriven.c (same parsing, same transcript
# rules, same exit codes).
"""The datadriven file runner shared by the suites."""
import difflib
import sys
from typing import Callable, List, Optional, Protocol, TextIO, Tuple

_WS = " \t\n\r\v\f"


class Arg:
    """One directive argument: ``key`` and its values (``key=(a, b)`` -> ["a", "b"])."""

    __slots__ = ("key", "vals")

    def __init__(self, key: str, vals: List[str]) -> None:
        self.key = key
        self.vals = vals

    def __repr__(self) -> str:
        return "Arg(%r, %r)" % (self.key, self.vals)


class Directive:
    """A parsed directive: command, args, trimmed input, file and line."""

    __slots__ = ("file", "line", "cmd", "args", "input")

    def __init__(self, file: str, line: int, cmd: str, args: List[Arg], input: str) -> None:
        self.file = file
        self.line = line
        self.cmd = cmd
        self.args = args
        self.input = input

    def find_arg(self, key: str) -> Optional[Arg]:
        """The first argument named key, or None."""
        for a in self.args:
            if a.key == key:
                return a
        return None


class Fatal(Exception):
    """A harness-level error (what Go's t.Fatal would do): aborts the file."""


class Suite(Protocol):
    """A suite: ``new_env()`` per file and ``handle(env, directive) -> output``; handle raises
    Fatal for harness errors."""

    name: str

    def new_env(self) -> object:
        """A fresh environment for one file."""

    def handle(self, env: object, d: Directive) -> str:
        """Runs one directive and returns its output (the runner adds a final newline)."""


class ParseError(Exception):
    """A directive line that cannot be parsed; column (1-based) is where parsing failed."""

    def __init__(self, column: int) -> None:
        super().__init__("column %d" % column)
        self.column = column


def split_lines(data: str) -> List[str]:
    """bufio.ScanLines: split on LF, drop a CR before it, keep a last unterminated line."""
    if not data:
        return []
    parts = data.split("\n")
    if parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def parse_line(line: str) -> Tuple[Optional[str], List[Arg]]:
    """line_parser.go ParseLine on a trimmed line; raises ParseError(column)."""
    if not line:
        return None, []
    end = len(line)
    sp = line.find(" ")
    cmd_end = sp if sp >= 0 else end
    if cmd_end == 0:
        raise ParseError(1)
    cmd = line[:cmd_end]
    p = cmd_end
    args: List[Arg] = []
    while p < end and line[p] in _WS:
        p += 1
    while p < end:
        k = p
        while p < end and line[p] != " " and line[p] != "=":
            p += 1
        if p == k:
            raise ParseError(p + 1)
        arg = Arg(line[k:p], [])
        args.append(arg)
        if p < end and line[p] == "=":
            p += 1
            if p == end or line[p] == " ":
                arg.vals.append("")
            elif line[p] != "(":
                v = p
                while p < end and line[p] != " ":
                    p += 1
                arg.vals.append(line[v:p])
            else:
                q = p + 1
                val = q
                depth = 1
                while depth > 0:
                    if q == end:
                        raise ParseError(q + 1)
                    c = line[q]
                    if c == "(":
                        depth += 1
                    elif c == ")":
                        depth -= 1
                    elif c == "," and depth == 1:
                        arg.vals.append(line[val:q])
                        while q + 1 < end and line[q + 1] == " ":
                            q += 1
                        val = q + 1
                    q += 1
                arg.vals.append(line[val:q - 1])
                p = q
        while p < end and line[p] in _WS:
            p += 1
    return cmd, args


def _is_blank(s: str) -> bool:
    return s.strip(_WS) == ""


def _has_blank_line(s: str) -> bool:
    return any(_is_blank(line) for line in split_lines(s))


class _Reader:
    def __init__(self, path: str, lines: List[str]) -> None:
        self.path = path
        self.lines = lines
        self.pos = 0
        self.out: List[str] = []

    def next(self) -> Optional[str]:
        if self.pos >= len(self.lines):
            return None
        line = self.lines[self.pos]
        self.pos += 1
        return line

    def emit(self, s: str) -> None:
        self.out.append(s)
        self.out.append("\n")


def _read_expected(r: _Reader, err: TextIO) -> Optional[str]:
    exp: List[str] = []
    line = r.next()
    if line is not None and line == "----":
        while True:
            line = r.next()
            if line is None:
                break
            if line == "----":
                line2 = r.next()
                if line2 is not None:
                    if line2 == "----":
                        after = r.next()
                        if after is not None and after != "":
                            err.write("%s:%d: non-blank line after end of double ---- separator "
                                      "section\n" % (r.path, r.pos))
                            return None
                        break
                    exp.append(line + "\n")
                    line = line2
            exp.append(line + "\n")
        return "".join(exp)
    while line is not None and not _is_blank(line):
        exp.append(line + "\n")
        line = r.next()
    return "".join(exp)


def _emit_output(r: _Reader, actual: str) -> None:
    r.emit("----")
    if _has_blank_line(actual):
        r.emit("----")
        r.out.append(actual)
        r.emit("----")
        r.emit("----")
        r.emit("")
    else:
        r.emit(actual)


def _trim_final_newline(text: str) -> str:
    if len(text) > 2 and text.endswith("\n\n"):
        return text[:-1]
    return text


def _report_mismatch(r: _Reader, d: Directive, text: str, err: TextIO) -> None:
    for i in range(r.pos, len(r.lines)):
        r.emit(r.lines[i])
    got = split_lines(_trim_final_newline("".join(r.out)))
    err.write("%s:%d: output mismatch for: %s\n" % (r.path, d.line, text))
    for line in difflib.unified_diff(r.lines, got, r.path + " (expected)", r.path + " (actual)",
                                     lineterm=""):
        err.write(line + "\n")


def _run(suite: Suite, r: _Reader, env: object, rewrite: bool, err: TextIO) -> int:
    while True:
        raw = r.next()
        if raw is None:
            return 0
        line_no = r.pos
        r.emit(raw)
        t = raw.strip(_WS)
        if t.startswith("#"):
            continue
        text = t
        while text.endswith("\\"):
            nxt = r.next()
            if nxt is None:
                break
            r.emit(nxt)
            text = text[:-1] + " " + nxt.strip(_WS)
        text = text.strip(_WS)
        try:
            cmd, args = parse_line(text)
        except ParseError as e:
            err.write("%s:%d: cannot parse directive at column %d: %s\n"
                      % (r.path, line_no, e.column, text))
            return 2
        if cmd is None:
            continue
        inp: List[str] = []
        separator = False
        while True:
            line = r.next()
            if line is None:
                break
            if line == "----":
                separator = True
                break
            r.emit(line)
            inp.append(line + "\n")
        d = Directive(r.path, line_no, cmd, args, "".join(inp).strip(_WS))
        expected = ""
        if separator:
            exp = _read_expected(r, err)
            if exp is None:
                return 2
            expected = exp
        try:
            actual = suite.handle(env, d)
        except Fatal as e:
            err.write("%s:%d: %s: %s\n" % (r.path, line_no, text, e))
            return 2
        if actual and not actual.endswith("\n"):
            actual += "\n"
        _emit_output(r, actual)
        if not rewrite and expected != actual:
            _report_mismatch(r, d, text, err)
            return 1


def run_file(suite: Suite, path: str, rewrite: bool = False,
             out: Optional[Callable[[str], None]] = None, err: TextIO = sys.stderr) -> int:
    """Replays path with suite. Returns 0 (all matched, or rewritten: the transcript is passed
    to out), 1 (first mismatch; a unified diff goes to err) or 2 (harness error)."""
    try:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "surrogateescape")
    except OSError as e:
        err.write("%s: cannot read file: %s\n" % (path, e))
        return 2
    r = _Reader(path, split_lines(data))
    env = suite.new_env()
    try:
        rc = _run(suite, r, env, rewrite, err)
    finally:
        close = getattr(env, "close", None)
        if close is not None:
            close()
    if rc == 0 and rewrite and out is not None:
        out(_trim_final_newline("".join(r.out)))
    return rc
