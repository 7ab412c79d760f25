"""Golden-file checks for cleaned documents, and rule-pack examples as pytest items.

This is the logic behind the pytest plugin; ``cleantext.testing.plugin`` keeps only hooks, options
and the fixture and imports this module the first time a test asks for ``cleantext_golden`` or
``--cleantext-packs`` names a pack, so a test run that uses neither never pays for it.

Golden files, one pair per check, in the golden directory (``golden/`` next to the test file unless
``golden_dir=`` or the ``cleantext_golden_dir`` ini option says otherwise):

``<basename>.txt``
    The clean text (``Cleaned.text``) as UTF-8, byte for byte: line endings as in the source (CRLF,
    lone CR, mixed), invisible characters kept. Written and read in binary and compared as bytes.
    **No BOM is added**: a source BOM belongs to the encoding, not the text (DESIGN.md §3), so it is
    recorded as ``"bom": true`` in the ``.json``; a U+FEFF that is part of the text (a BOM repeated
    inside the document) stays in the ``.txt`` like any other character. UTF-8 for every source
    encoding so that golden files of GBK, Big5 and UTF-16 inputs are all readable and diffable.
``<basename>.json``
    ``Report.to_dict()`` without the ``VOLATILE_FIELDS``: keys sorted, two-space indent, UTF-8
    with Chinese as is, invisible characters written as JSON escapes (``\\u200b``) so a reviewer
    sees them. It is compared as parsed data, so re-indenting the file does no harm.

A mismatch writes ``<golden>.obtained`` sidecars (``*.obtained`` belongs in ``.gitignore``) and
fails with a diff in which invisible characters are visible and with the removals that appeared or
disappeared, by rule id. ``--cleantext-regen`` rewrites the golden files and fails the test, as
pytest-regressions does, so a regeneration is never silently green.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .. import api
from ..batch import write_atomic
from ..check import pack_allow, run_examples
from ..errors import CleantextError
from ..report import Cleaned, Report
from ..rules import RulePack, builtin_sources, read_source
from ..rules.compile import CompiledRule, compile_rule
from ..rules.examples import EXAMPLE_TIMEOUT, ExampleResult
from ..rules.schema import Rule
from ..rules.shadow import shadow
from ..visible import LEGEND, is_invisible, split_lines, visible, visible_line

if TYPE_CHECKING:
    import regex
    from _pytest._code.code import ExceptionInfo, TerminalRepr

RawInput = bytes | bytearray | memoryview | str | os.PathLike[str]
"""What ``check`` accepts: bytes are decoded like a file, ``str`` is cleaned as text (it is never
taken for a path: wrap paths in ``pathlib.Path``), a path is read with ``clean_file``."""

VOLATILE_FIELDS: tuple[tuple[str, str], ...] = (
    ("pack", "sha256"),
    ("pack", "version"),
    ("encoding", "confidence"),
)
"""Report fields left out of golden ``.json`` files, because they change without the output
changing. ``pack.sha256`` changes whenever any rule of the pack changes, including rules that never
fire on the document; ``pack.version`` changes with every release of the built-in packs. What the
rules did is pinned by the removals (rule id, span, text), which stay. ``encoding.confidence`` is a
detector score (chardet's for legacy encodings) that moves between detector versions while the
decoded text does not; the encoding name, BOM, ``lossless``, ``replaced`` and the deciding stage
(``detector``) stay. ``pack.name`` stays: it says which packs ran."""

MAX_DIFF_LINES = 200
"""Diff lines shown per file; the ``.obtained`` sidecar has the rest."""
MAX_REMOVAL_LINES = 30
"""Appeared/disappeared removals listed per direction."""
MAX_HINTS = 5
"""Changed lines that get a "line N, column M: golden X (U+...), obtained Y (U+...)" hint."""
MAX_BASENAME = 100
"""Longer default basenames (long parametrize ids) are cut and get a hash suffix."""

REGEN_HINT = (
    "run `pytest --cleantext-regen` to write the golden files (that run fails on purpose), review and commit them"
)

# ---------------------------------------------------------------------------------------------
# Making invisible characters visible


def _shorten(s: str, width: int = 60) -> str:
    """``visible(s)`` of at most ``width`` characters of ``s`` (cut before rendering, so no
    ``⟨U+...⟩`` is cut in half)."""
    return visible(s) if len(s) <= width else visible(s[: width - 1]) + "…"


# ---------------------------------------------------------------------------------------------
# Golden file contents


def golden_report(report: Report) -> dict[str, Any]:
    """``report.to_dict()`` without ``VOLATILE_FIELDS``."""
    d = report.to_dict()
    for table, key in VOLATILE_FIELDS:
        sub = d.get(table)
        if isinstance(sub, dict):
            sub.pop(key, None)
    return d


_PLACEHOLDERS: dict[str, Any] = {"sha256": "", "version": "", "confidence": 0.0}


def report_from_golden(d: Mapping[str, Any]) -> Report:
    """A ``Report`` from golden JSON data, the volatile fields filled with placeholders (empty
    strings, confidence 0.0). Enough for ``cleantext.restore_bytes(golden_text, report)``, which
    gives back the original input: a golden pair is a complete record of its document."""
    data = json.loads(json.dumps(d))
    for table, key in VOLATILE_FIELDS:
        sub = data.get(table)
        if isinstance(sub, dict):
            sub.setdefault(key, _PLACEHOLDERS[key])
    return Report.from_dict(data)


def _json_char(c: str) -> str:
    if c < "\x80" or not is_invisible(c):
        return c
    o = ord(c)
    if o > 0xFFFF:
        o -= 0x10000
        return f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}"
    return f"\\u{o:04x}"


def dump_report(d: Mapping[str, Any]) -> bytes:
    """Golden JSON bytes. Outside strings ``json.dumps`` writes only ASCII, so escaping every
    invisible character it left raw can only touch string contents, and stays valid JSON."""
    text = json.dumps(d, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    return "".join(map(_json_char, text)).encode("utf-8", "surrogatepass")


def dump_text(text: str) -> bytes:
    """Golden text bytes: UTF-8, nothing added, nothing normalised (``surrogatepass`` so even a
    lone surrogate in a ``str`` input round-trips)."""
    return text.encode("utf-8", "surrogatepass")


def load_text(data: bytes) -> str:
    """Golden text bytes back to ``str``, for display only (comparison is on bytes)."""
    return data.decode("utf-8", "surrogateescape")


# ---------------------------------------------------------------------------------------------
# Diffs


def text_diff(
    golden: str, obtained: str, from_name: str, to_name: str, *, context: int = 3, document: bool = True
) -> list[str]:
    """A unified diff of two texts, lines rendered with ``visible_line``. For a ``document``, a hint
    under the diff names the first differing column of each changed line and both characters there
    (Chinese paragraphs are long single lines, and confusables look alike even when visible);
    otherwise (our own JSON) line breaks are not marked."""
    a, b = split_lines(golden), split_lines(obtained)
    show = visible_line if document else _visible_no_newline
    # autojunk (difflib's default) keeps big documents with thousands of identical blank lines from
    # going quadratic; the diff may be a little less minimal, never wrong.
    sm = difflib.SequenceMatcher(None, a, b)
    out = [f"--- {from_name}", f"+++ {to_name}"]
    pairs: list[tuple[int, int]] = []
    for group in sm.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@")
        for tag, ai1, ai2, bj1, bj2 in group:
            if tag == "equal":
                out.extend(" " + show(x) for x in a[ai1:ai2])
                continue
            out.extend("-" + show(x) for x in a[ai1:ai2])
            out.extend("+" + show(x) for x in b[bj1:bj2])
            if document and tag == "replace" and ai2 - ai1 == bj2 - bj1:
                pairs.extend((ai1 + k, bj1 + k) for k in range(ai2 - ai1))
    if len(out) > MAX_DIFF_LINES + 2:
        more = len(out) - MAX_DIFF_LINES - 2
        out = [*out[: MAX_DIFF_LINES + 2], f"… {more} more diff lines (see the .obtained file)"]
    out.extend(_first_difference(a[i], b[j], i + 1) for i, j in pairs[:MAX_HINTS])
    if len(pairs) > MAX_HINTS:
        out.append(f"… and {len(pairs) - MAX_HINTS} more changed lines")
    if document and golden != obtained and _lf(golden) == _lf(obtained):
        out.insert(0, "the texts differ only in line endings (CRLF vs LF): was the golden file converted by Git? "
                      "Mark golden files -text in .gitattributes")
    return out


def _lf(s: str) -> str:
    return s.replace("\r\n", "\n")


def _visible_no_newline(line: str) -> str:
    return visible_line(line.removesuffix("\n"))


def _range(start: int, stop: int) -> str:
    n = stop - start
    first = start + 1 if n else start
    return f"{first}" if n == 1 else f"{first},{n}"


_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def _char_name(c: str) -> str:
    return f"U+{ord(c):04X} {_CONTROL_NAMES.get(c) or unicodedata.name(c, 'unnamed')}"


def _first_difference(old: str, new: str, lineno: int) -> str:
    """Where two versions of a line first differ, naming both characters, so confusables that
    render alike (一 U+4E00 and ー U+30FC, ： and :, NBSP and space) are told apart."""
    k = next((i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), min(len(old), len(new)))
    if k < len(old) and k < len(new):
        what = f"golden {visible(old[k])} ({_char_name(old[k])}), obtained {visible(new[k])} ({_char_name(new[k])})"
    elif k < len(old):
        what = f"golden goes on with {_shorten(old[k:], 24)}"
    else:
        what = f"obtained goes on with {_shorten(new[k:], 24)}"
    lo = max(0, k - 10)
    return (
        f"line {lineno}, column {k + 1}: {what}; "
        f"context: golden …{visible(old[lo : k + 10])}… obtained …{visible(new[lo : k + 10])}…"
    )


def _removal_key(r: Mapping[str, Any]) -> str:
    return json.dumps(r, sort_keys=True, ensure_ascii=False)


def _describe_removal(r: Mapping[str, Any]) -> str:
    return (
        f"{r.get('rule', '?')} line {r.get('line', '?')} [{r.get('start', '?')}, {r.get('end', '?')}) "
        f"{r.get('zone', '?')}/{r.get('action', '?')} '{_shorten(str(r.get('text', '')))}'"
    )


def removal_changes(golden: Sequence[Mapping[str, Any]], obtained: Sequence[Mapping[str, Any]]) -> list[str]:
    """Which removals appeared or disappeared, counted by rule id, then listed."""
    g = Counter(_removal_key(r) for r in golden)
    o = Counter(_removal_key(r) for r in obtained)
    if g == o:
        return []
    by_key = {_removal_key(r): r for r in (*golden, *obtained)}
    gone = sorted((by_key[k] for k in (g - o).elements()), key=_position)
    new = sorted((by_key[k] for k in (o - g).elements()), key=_position)
    g_rules = Counter(str(r.get("rule")) for r in golden)
    o_rules = Counter(str(r.get("rule")) for r in obtained)
    touched = sorted({str(r.get("rule")) for r in (*gone, *new)})
    out = [f"removals differ: {len(gone)} disappeared, {len(new)} appeared; by rule id (golden → obtained):"]
    for rule in touched:
        a, b = g_rules[rule], o_rules[rule]
        out.append(f"  {rule}: {a} → {b}" + (f" ({b - a:+d})" if a != b else " (same count, different spans)"))
    for sign, what, items in (("-", "disappeared", gone), ("+", "appeared", new)):
        out.extend(f"  {sign} {what}: {_describe_removal(r)}" for r in items[:MAX_REMOVAL_LINES])
        if len(items) > MAX_REMOVAL_LINES:
            out.append(f"  … {len(items) - MAX_REMOVAL_LINES} more {what}")
    return out


def _position(r: Mapping[str, Any]) -> tuple[int, str]:
    start = r.get("start")
    return (start if isinstance(start, int) else -1, str(r.get("rule")))


def _removals_of(d: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rs = d.get("removals")
    return [r for r in rs if isinstance(r, Mapping)] if isinstance(rs, list) else []


def report_changes(golden: Mapping[str, Any], obtained: Mapping[str, Any], from_name: str) -> list[str]:
    """Removals by rule id, then a diff of every other report field that changed."""
    out = removal_changes(_removals_of(golden), _removals_of(obtained))
    rest_g = {k: v for k, v in golden.items() if k != "removals"}
    rest_o = {k: v for k, v in obtained.items() if k != "removals"}
    if rest_g != rest_o:
        out.append("other report fields differ:")
        out.extend(
            "  " + line
            for line in text_diff(
                dump_report(rest_g).decode("utf-8"),
                dump_report(rest_o).decode("utf-8"),
                from_name,
                "obtained",
                document=False,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# The fixture object

_UNSAFE = re.compile(r"[^\w\-]+")


def default_basename(test_name: str) -> str:
    """A file-name-safe basename from a test name: ``test_doc[a/b-中文]`` → ``test_doc_a_b-中文``.
    Dots go too (``test_x[a.txt]`` → ``test_x_a_txt``), so no golden file is ``test_x_a.txt.txt``.
    Long names (long parametrize ids) are cut and get a hash suffix so they stay distinct."""
    s = _UNSAFE.sub("_", test_name).strip("._") or "golden"
    if len(s) > MAX_BASENAME:
        digest = hashlib.sha1(test_name.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
        s = f"{s[: MAX_BASENAME - 11]}-{digest[:10]}"
    return s


def _check_basename(basename: str) -> str:
    if (
        not basename
        or basename in {".", ".."}
        or basename != basename.strip()
        or any(c in basename for c in '/\\:*?"<>|\0')
    ):
        raise ValueError(
            f"cleantext_golden: basename {basename!r} must be a plain file name (no path separators); "
            "use golden_dir= to choose the directory"
        )
    return basename


def _obtained(path: Path) -> Path:
    return path.with_name(path.name + ".obtained")


def clean_raw(raw: RawInput, pack: api.PackArg = None) -> Cleaned:
    """Clean ``raw`` the way ``check`` does: bytes-like → ``clean_bytes``, ``str`` → ``clean``,
    path → ``clean_file``."""
    if isinstance(raw, bytes | bytearray | memoryview):
        return api.clean_bytes(bytes(raw), pack=pack)
    if isinstance(raw, str):
        return api.clean(raw, pack=pack)
    if isinstance(raw, os.PathLike):
        return api.clean_file(os.fsdecode(raw), pack=pack)
    raise TypeError(
        f"cleantext_golden.check: raw must be bytes, str (text) or a path (os.PathLike), not {type(raw).__name__}"
    )


def relative_to(pack: api.PackArg, base: Path) -> api.PackArg:
    """Pack paths resolved against ``base`` (the test file's folder), like ``golden_dir``: a
    test must not depend on the directory pytest was started from."""
    if isinstance(pack, str | os.PathLike):
        return base / pack
    if isinstance(pack, Sequence):
        return [base / p for p in pack]
    return pack


@dataclass(repr=False)
class GoldenChecker:
    """The ``cleantext_golden`` fixture: ``check`` cleans a document and compares the clean text
    and the report with golden files."""

    test_dir: Path
    """Directory of the test file; relative ``golden_dir`` values are resolved against it."""
    test_name: str
    nodeid: str
    regen: bool
    golden_dir: Path
    """Default directory for golden files: the ini option ``cleantext_golden_dir`` or
    ``<test dir>/golden``."""
    rootpath: Path
    claimed: dict[Path, str]
    """Session-wide: golden file → node id of the test that uses it, to catch two tests sharing one
    file (they would overwrite each other on every regeneration)."""
    tally: Counter[str] = field(default_factory=Counter)
    """Session-wide counts for the terminal summary: ``new``/``changed``/``unchanged`` golden files
    written by ``--cleantext-regen``, ``failed`` checks, ``obtained`` sidecars written."""
    written: list[tuple[Path, str]] = field(default_factory=list)
    """Files written by ``--cleantext-regen`` in this test, with ``new``/``changed``/``unchanged``.
    The plugin fails the test after its body ran, so every check of the test is regenerated in one
    run."""
    _used: set[Path] = field(default_factory=set)

    def check(
        self,
        raw: RawInput,
        basename: str | None = None,
        *,
        pack: api.PackArg = None,
        golden_dir: str | os.PathLike[str] | None = None,
    ) -> Cleaned:
        """Clean ``raw`` and compare with ``<golden_dir>/<basename>.txt`` and ``.json``.

        ``raw``: bytes (decoded like a file), ``str`` (cleaned as text, never taken for a path) or
        a path. ``basename`` defaults to the test name, made file-name safe (parametrize ids
        included). ``pack`` is passed to ``cleantext.clean*``, a relative pack path taken relative
        to the test file. ``golden_dir`` overrides the directory; a relative one is relative to the
        test file too. Returns the ``Cleaned`` result, for
        further assertions.
        """
        __tracebackhide__ = True
        name = default_basename(self.test_name) if basename is None else _check_basename(basename)
        directory = self.golden_dir if golden_dir is None else self.test_dir / Path(golden_dir)
        txt_path, json_path = directory / f"{name}.txt", directory / f"{name}.json"
        self._claim(name, txt_path)
        res = clean_raw(raw, relative_to(pack, self.test_dir))
        obtained_dict = golden_report(res.report)
        obtained = {txt_path: dump_text(res.text), json_path: dump_report(obtained_dict)}
        if self.regen:
            for path, data in obtained.items():
                old = path.read_bytes() if path.is_file() else None
                write_atomic(path, data)
                _obtained(path).unlink(missing_ok=True)
                state = "new" if old is None else "unchanged" if old == data else "changed"
                self.written.append((path, state))
                self.tally[state] += 1
            return res
        missing = [p for p in obtained if not p.is_file()]
        text_problems = [] if txt_path in missing else self._compare_text(txt_path, res.text, obtained[txt_path])
        report_problems = [] if json_path in missing else self._compare_report(json_path, obtained_dict)
        problems = text_problems + report_problems
        differing = [
            p for p, found in ((txt_path, text_problems), (json_path, report_problems)) if p in missing or found
        ]
        for path, data in obtained.items():
            if path in differing:
                write_atomic(_obtained(path), data)
            else:
                _obtained(path).unlink(missing_ok=True)
        if differing:
            self.tally["failed"] += 1
            self.tally["obtained"] += len(differing)
            pytest.fail(self._failure(name, missing, problems, differing))
        return res

    def _compare_text(self, path: Path, text: str, data: bytes) -> list[str]:
        golden = path.read_bytes()
        if golden == data:
            return []
        shown = self._show(path)
        diff = text_diff(load_text(golden), text, shown, "obtained")
        return [f"clean text differs from {shown}:", "  " + LEGEND, *("  " + line for line in diff)]

    def _compare_report(self, path: Path, obtained: dict[str, Any]) -> list[str]:
        golden, error = _read_json(path)
        if golden == obtained:
            return []
        shown = self._show(path)
        lines = [f"report differs from {shown}:"]
        if error:
            lines.append(f"  the golden file cannot be read: {error}")
        lines.extend("  " + line for line in report_changes(golden, obtained, shown))
        return lines

    def _failure(self, name: str, missing: list[Path], problems: list[str], differing: list[Path]) -> str:
        lines = [f"cleantext golden check {name!r} failed"]
        if missing:
            lines.append("golden file(s) missing: " + ", ".join(self._show(p) for p in missing))
        lines.extend(problems)
        lines.append("obtained output written to: " + ", ".join(self._show(_obtained(p)) for p in differing))
        if problems:
            lines.append(
                f"If the new output is right: {REGEN_HINT} (or copy the .obtained files over the golden ones)."
            )
        else:
            lines.append(f"To create them: {REGEN_HINT}.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<cleantext_golden {self.nodeid} in {self._show(self.golden_dir)}/>"

    def regen_message(self) -> str:
        """Why a ``--cleantext-regen`` run fails: what was written."""
        width = max(len(self._show(p)) for p, _ in self.written)
        lines = ["cleantext golden files written by --cleantext-regen (the test fails on purpose, so a "
                 "regeneration is never silently green):"]
        lines.extend(f"  {self._show(p):<{width}}  {state}" for p, state in self.written)
        lines.append("Review them (git diff), commit them, and run the tests again without --cleantext-regen.")
        return "\n".join(lines)

    def _claim(self, name: str, txt_path: Path) -> None:
        __tracebackhide__ = True
        key = txt_path.resolve()
        if key in self._used:
            pytest.fail(
                f"cleantext_golden: basename {name!r} is used twice in this test; pass a distinct basename= "
                "to each check",
                pytrace=False,
            )
        self._used.add(key)
        other = self.claimed.setdefault(key, self.nodeid)
        if other != self.nodeid:
            pytest.fail(
                f"cleantext_golden: {self._show(txt_path)} is already used by {other}; two tests sharing "
                "golden files overwrite each other, pass a distinct basename=",
                pytrace=False,
            )

    def _show(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.rootpath).as_posix()
        except ValueError:
            return str(path)


def summary_line(tally: Counter[str]) -> str:
    """One line for the end of the run, or ``""`` when no golden check wrote anything."""
    parts = []
    wrote = tally["new"] + tally["changed"] + tally["unchanged"]
    if wrote:
        parts.append(
            f"--cleantext-regen wrote {wrote} golden file(s): {tally['new']} new, {tally['changed']} changed, "
            f"{tally['unchanged']} unchanged; review with git diff and commit"
        )
    if tally["failed"]:
        parts.append(
            f"{tally['failed']} golden check(s) failed, {tally['obtained']} .obtained file(s) written next to the "
            "golden files; if the new output is right, rerun with --cleantext-regen"
        )
    return "\n".join(parts)


def _read_json(path: Path) -> tuple[dict[str, Any], str]:
    try:
        d = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return {}, f"{type(e).__name__}: {e}"
    if not isinstance(d, dict):
        return {}, "not a JSON object"
    return d, ""


# ---------------------------------------------------------------------------------------------
# Rule-pack examples as test items: pack.toml::rule-id::match[0]


class PackExampleError(Exception):
    """A rule example that does not behave as its pack says; the message is the whole report."""


def load_user_rules(path: Path, name: str | None = None) -> tuple[RulePack, tuple[Rule, ...], str]:
    """The pack at ``path`` on top of the built-ins (so overrides and ``disabled`` resolve as with
    ``--pack``), its enabled rules in file order, and its text. ``name`` is how messages call the
    file. Examples are not run here: each becomes a test item."""
    _, text = read_source(path)
    source = name or str(path)
    pack = RulePack((*builtin_sources(), (source, text)))
    rules = sorted((r for r in pack.rules if r.source == source), key=lambda r: _rule_line(text, r.id) or 0)
    return pack, tuple(rules), text


class PackFile(pytest.File):
    """A user rule pack: one collector per rule, one item per example."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        try:
            pack, rules, text = load_user_rules(self.path, _display(self))
            allow = pack_allow(pack)
        except CleantextError as e:
            yield PackLoadItem.from_parent(self, name="load", error=str(e))
            return
        # Loading does not compile patterns (that happens on first use): a pattern that does not
        # compile must fail `load` too, not only every example of its rule.
        broken = []
        for rule in rules:
            try:
                compile_rule(rule)
            except CleantextError as e:
                broken.append(str(e))
        yield PackLoadItem.from_parent(self, name="load", error="\n  ".join(broken) or None)
        for rule in rules:
            yield RuleNode.from_parent(self, name=rule.id, rule=rule, lineno=_rule_line(text, rule.id), allow=allow)


def _display(node: pytest.Collector) -> str:
    """The pack path as messages show it: relative to the rootdir when inside it."""
    try:
        return node.path.relative_to(node.config.rootpath).as_posix()
    except ValueError:
        return str(node.path)


def _rule_line(text: str, rule_id: str) -> int | None:
    m = re.search(rf"""^[^\S\n]*id[^\S\n]*=[^\S\n]*["']{re.escape(rule_id)}["']""", text, re.MULTILINE)
    return None if m is None else text.count("\n", 0, m.start())


class PackLoadItem(pytest.Item):
    """``pack.toml::load``: the pack reads, validates and merges with the built-ins (its
    ``disabled`` names exist). A pack that does not load (bad TOML, schema error) is this one
    failing item instead of a collection crash, so the rest of the run goes on."""

    def __init__(self, *, error: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        if self.error is not None:
            raise PackExampleError(f"rule pack does not load:\n  {self.error}")

    def repr_failure(
        self, excinfo: ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, PackExampleError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        # A domain that is not a suffix of the node id, as doctest items do: pytest's verbose
        # output would otherwise turn the dots of "pack.toml" and rule ids into "::".
        return self.path, None, f"[cleantext pack] {self.path.name}::load"


class RuleNode(pytest.Collector):
    """One rule of a user pack; compiles once and runs all its examples once."""

    def __init__(self, *, rule: Rule, lineno: int | None, allow: tuple[regex.Pattern[str], ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rule = rule
        self.lineno = lineno
        self.allow = allow
        """The merged pack's ``[[allow]]`` patterns: they protect lines from this rule in real use."""
        self._results: list[ExampleResult] | None = None
        self._compiled: CompiledRule | None = None

    def collect(self) -> Iterator[pytest.Item]:
        for kind, examples in (("match", self.rule.examples_match), ("no_match", self.rule.examples_no_match)):
            for i, ex in enumerate(examples):
                yield RuleExampleItem.from_parent(self, name=f"{kind}[{i}]", kind=kind, index=i, example=ex)

    def compiled(self) -> CompiledRule:
        if self._compiled is None:
            self._compiled = compile_rule(self.rule)
        return self._compiled

    def result(self, kind: str, index: int) -> ExampleResult:
        if self._results is None:
            self._results = run_examples(self.compiled(), self.allow)
        return next(r for r in self._results if r.kind == kind and r.index == index)


class RuleExampleItem(pytest.Item):
    """``pack.toml::rule-id::match[0]``: the rule must remove a ``match`` example and leave a
    ``no_match`` example alone, judged by the same runner as ``check-pack`` and pack loading."""

    def __init__(self, *, kind: str, index: int, example: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.index = index
        self.example = example

    @property
    def rule_node(self) -> RuleNode:
        assert isinstance(self.parent, RuleNode)
        return self.parent

    def runtest(self) -> None:
        node = self.rule_node
        res = node.result(self.kind, self.index)
        if not res.ok:
            raise PackExampleError(self._explain(node.compiled(), res))

    def _explain(self, compiled: CompiledRule, res: ExampleResult) -> str:
        rule = compiled.rule
        sh = shadow(self.example)
        why = res.why or res.message
        timed_out = "timed out" in why
        m = compiled.pattern.search(sh, timeout=EXAMPLE_TIMEOUT) if self.kind == "no_match" and not timed_out else None
        lines = [f"rule {rule.id!r} ({rule.source}), example {self.name} failed:", f"  {why}"]
        lines.append(f"  example:  {visible(self.example)}")
        if sh != self.example:
            lines.append(f"  shadow:   {visible(sh)}   (what the pattern sees: full width folded, Simplified)")
        if self.kind == "no_match" and m is not None:
            lines.append(f"  matched:  {visible(m.group(0))} at {m.start()}-{m.end()}")
        lines.append(f"  pattern:  {rule.pattern}")
        if rule.keywords:
            lines.append(f"  keywords: {', '.join(rule.keywords)}")
        if rule.max_chars:
            lines.append(f"  max_chars: {rule.max_chars}")
        if rule.flags:
            lines.append(f"  flags:    {', '.join(rule.flags)}")
        lines.extend(f"  allow:    {a}" for a in rule.allow)
        return "\n".join(lines)

    def repr_failure(
        self, excinfo: ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, PackExampleError | CleantextError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        return self.path, self.rule_node.lineno, f"[cleantext rule] {self.rule_node.name}::{self.name}"


__all__ = [
    "LEGEND",
    "VOLATILE_FIELDS",
    "GoldenChecker",
    "PackFile",
    "RawInput",
    "clean_raw",
    "default_basename",
    "dump_report",
    "dump_text",
    "golden_report",
    "removal_changes",
    "report_from_golden",
    "summary_line",
    "text_diff",
    "visible",
    "visible_line",
]
