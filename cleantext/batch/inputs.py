"""Files and folders in: walking input paths (reading one within the size limit is ``cleantext._fs``)."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file and where its output goes, relative to the output folder."""

    path: Path
    """The file as found (the PATH argument, or PATH joined with the walked relative path)."""
    rel: str
    """POSIX relative path of the output: the path under a walked folder, the name of a file."""


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    globs: Sequence[str] = (),
    exclude: Iterable[str | os.PathLike[str]] = (),
    follow_symlinks: bool = False,
    skipped_links: list[Path] | None = None,
) -> Iterator[InputFile]:
    """Files named in ``paths``, and files under folders in ``paths`` (recursively, sorted).

    Why these rules: a file named explicitly is always taken (the user asked for it), even if it
    is hidden, so that it is cleaned or fails by name. Walking a folder skips dot-files and
    dot-folders (``.git``, ``.DS_Store``, and our own half-written temporaries) and ``exclude``
    (the output folder and report when they sit inside an input tree, so a rerun does not clean
    its own outputs). ``globs`` filter walked files: a pattern with ``/`` matches the path
    relative to its folder, one without matches the file name (``*.txt``). A folder that cannot
    be listed is yielded as an input so that it fails by name.

    Symbolic links met while walking are skipped (appended to ``skipped_links``): a link may
    point out of the tree, and an in-place run must not rewrite files elsewhere unasked. With
    ``follow_symlinks`` links to files and to folders are both followed (each real folder walked
    once, so a link loop ends) and a dangling link is an input that fails by name.

    With several ``paths``, each folder's files go under the folder's own name (``a/x.txt``,
    ``b/x.txt``), so two folders never collide in one output tree; a single folder maps to the
    output folder itself.
    """
    skip = {_resolved(p) for p in exclude}
    roots = list(paths)
    for raw in roots:
        p = Path(raw)
        if not p.is_dir():
            yield InputFile(p, p.name)
            continue
        prefix = f"{root_name(p)}/" if len(roots) > 1 else ""
        found: list[InputFile] = []
        errors: list[OSError] = []
        seen: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(p, onerror=errors.append, followlinks=follow_symlinks):
            d = Path(dirpath)
            if follow_symlinks:
                st = d.stat()
                if (st.st_dev, st.st_ino) in seen:
                    dirnames[:] = []
                    continue
                seen.add((st.st_dev, st.st_ino))
            keep = []
            for n in sorted(dirnames):
                if n.startswith(".") or _resolved(d / n) in skip:
                    continue
                if not follow_symlinks and (d / n).is_symlink():
                    if skipped_links is not None:
                        skipped_links.append(d / n)
                    continue
                keep.append(n)
            dirnames[:] = keep
            for name in filenames:
                f = d / name
                if name.startswith(".") or _resolved(f) in skip:
                    continue
                rel = f.relative_to(p).as_posix()
                if globs and not any(_glob_match(rel, g) for g in globs):
                    continue
                if not follow_symlinks and f.is_symlink():
                    if skipped_links is not None:
                        skipped_links.append(f)
                    continue
                found.append(InputFile(f, prefix + rel))
        for e in errors:
            bad = Path(e.filename) if e.filename else p
            found.append(InputFile(bad, prefix + (bad.relative_to(p).as_posix() if bad != p else bad.name)))
        yield from sorted(found, key=lambda i: i.rel)


def root_name(folder: str | os.PathLike[str]) -> str:
    """The name a folder's files go under when several inputs share one output folder."""
    p = Path(folder)
    return p.name if p.name not in ("", ".", "..") else _resolved(p).name or "root"


def _glob_match(rel: str, pattern: str) -> bool:
    if "/" in pattern:
        return fnmatch.fnmatchcase(rel, pattern.removeprefix("**/")) or fnmatch.fnmatchcase(rel, pattern)
    return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)


def _resolved(p: str | os.PathLike[str]) -> Path:
    try:
        return Path(p).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(p))
