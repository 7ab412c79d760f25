"""Rule-pack examples as pytest items: ``pack.toml::rule-id::match[0]``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..check import pack_allow, run_examples
from ..errors import CleantextError
from ..rules import RulePack, builtin_sources, read_source
from ..rules.compile import CompiledRule, compile_rule
from ..rules.definitions import Rule
from ..rules.examples import EXAMPLE_TIMEOUT, ExampleResult
from ..rules.shadow import shadow
from ..visible import visible

if TYPE_CHECKING:
    import regex
    from _pytest._code.code import ExceptionInfo, TerminalRepr



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


class RulePackFile(pytest.File):
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
