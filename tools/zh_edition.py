"""The Chinese edition (中文版): translations of the lessons' prose that cannot silently fall behind.

    python tools/zh_edition.py status [NN ...]       # per lesson: changed, missing, extra, unfinished blocks
    python tools/zh_edition.py sync NN               # create lessons/zh/NN_*.md, or add the blocks it lacks
    python tools/zh_edition.py stamp NN BLOCK ...    # after updating a block: record the English it now translates
    python tools/build_notebooks.py NN               # builds notebooks/NN_*.ipynb and notebooks/zh/NN_*.ipynb

A translation ``lessons/zh/NN_name.md`` holds one block per prose cell of ``lessons/NN_name.py``, counted
after the build splits prose at its ``##``/``###`` headings (so a block is one slide-sized piece)::

    <!-- block 3 en:1a2b3c4d -->
    ## 环境检查
    ...

``en:`` is the first 8 hex digits of the SHA-256 of the English cell the block translates. A block
written by ``sync`` still holds the English and is marked ``todo``; the build refuses it until the
translator has replaced the text and run ``stamp``. Code cells are never copied: the Chinese notebook
takes them from the English source, adding one line after ``import lstm_lessons`` in the first code cell
that switches the package's messages to Chinese (:data:`SWITCH`). Text above the first block is a
comment for translators and is ignored; block numbers are rewritten by ``sync`` and ``stamp``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_notebooks  # noqa: E402  (tools/ is not a package)

ROOT = build_notebooks.ROOT
SOURCES = build_notebooks.SOURCES
TRANSLATIONS = SOURCES / "zh"
NOTEBOOKS = build_notebooks.NOTEBOOKS / "zh"
FIGURES = build_notebooks.FIGURES / "zh"
SWITCH = 'lstm_lessons.set_language("zh")  # 课程包的提示信息（练习反馈、错误信息、控件）用中文显示'
_MARKER = re.compile(r"^<!-- block (\d+) en:([0-9a-f]{8})( todo)? -->$")
_HEADING = re.compile(r"^(#{1,6}) ")
HEADER = ("<!-- 中文版 of lessons/{stem}.py: one block per English prose cell, in order (code: from the English).\n"
          "     After the English changed: python tools/zh_edition.py status {nn}; update the block; then\n"
          "     python tools/zh_edition.py stamp {nn} BLOCK. Terms: docs/glossary.md. -->\n")


class TranslationError(ValueError):
    """A translation that cannot be built: the message lists what to fix and the command that shows it."""


@dataclass
class Block:
    hash: str
    text: str
    todo: bool = False


@dataclass
class Problem:
    kind: str  # "changed", "missing", "extra", "todo", "heading", "empty"
    block: int | None  # 1-based block number in the translation, None for a missing block
    english: str  # the English text concerned (the current one), "" for an extra block

    def describe(self) -> str:
        where = f"block {self.block}" if self.block else "no block"
        what = {"changed": "the English changed since this block was translated; now it reads:",
                "missing": "translates this English cell (add a block here: tools/zh_edition.py sync):",
                "extra": "translates no English cell any more (delete it, or the English was split: merge it)",
                "todo": "is not translated yet (still English, marked todo); the English:",
                "heading": "must start with a heading of the same level as its English:",
                "empty": "is empty; it translates:"}[self.kind]
        english = "\n".join("    | " + line for line in self.english.splitlines())
        return f"{where} {what}" + (f"\n{english}" if english else "")


def text_hash(text: str) -> str:
    """The short hash a block keeps of the English it translates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def translation_path(source: Path, translations: Path = TRANSLATIONS) -> Path:
    return Path(translations) / f"{Path(source).stem}.md"


def parse_translation(text: str) -> list[Block]:
    """The blocks of a translation file, in order (text above the first marker is ignored)."""
    blocks: list[Block] = []
    lines: list[str] = []
    for line in text.split("\n") + ["<!-- block 0 en:00000000 -->"]:  # a sentinel closes the last block
        match = _MARKER.match(line.rstrip())
        if match:
            if blocks:
                blocks[-1].text = "\n".join(lines).strip("\n")
            blocks.append(Block(match.group(2), "", bool(match.group(3))))
            lines = []
        else:
            lines.append(line)
    return blocks[:-1]


def write_translation(path: Path, blocks: list[Block]) -> None:
    """Write ``blocks`` to ``path``, numbered from 1, under the translators' header comment."""
    parts = [HEADER.format(stem=path.stem, nn=path.stem[:2])]
    for number, block in enumerate(blocks, 1):
        parts.append(f"<!-- block {number} en:{block.hash}{' todo' if block.todo else ''} -->\n{block.text}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")


def english_prose(source: Path) -> list[str]:
    """The English prose cells of a lesson, as the build splits them."""
    cells = build_notebooks.parse_source(Path(source).read_text(encoding="utf-8"))
    return [cell["source"] for cell in cells if cell["cell_type"] == "markdown"]


def _heading(text: str) -> str:
    match = _HEADING.match(text)
    return match.group(1) if match else ""


def _pairs(blocks: list[Block], english: list[str]):
    """Align blocks with English cells by hash: yields (block index or None, English index or None, same)."""
    matcher = difflib.SequenceMatcher(None, [b.hash for b in blocks], [text_hash(e) for e in english], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            i = i1 + k if i1 + k < i2 else None
            j = j1 + k if j1 + k < j2 else None
            yield i, j, op == "equal"


def check(blocks: list[Block], english: list[str]) -> list[Problem]:
    """What keeps ``blocks`` from being the current translation of ``english`` (empty: it is current)."""
    problems = []
    for i, j, same in _pairs(blocks, english):
        if j is None:
            problems.append(Problem("extra", i + 1, ""))
        elif i is None:
            problems.append(Problem("missing", None, english[j]))
        elif not same:
            problems.append(Problem("changed", i + 1, english[j]))
        elif blocks[i].todo:
            problems.append(Problem("todo", i + 1, english[j]))
        elif not blocks[i].text.strip():
            problems.append(Problem("empty", i + 1, english[j]))
        elif _heading(blocks[i].text) != _heading(english[j]):
            problems.append(Problem("heading", i + 1, english[j]))
    return problems


def status(source: Path, translations: Path = TRANSLATIONS) -> list[Problem]:
    """The problems of a lesson's translation (``FileNotFoundError`` when it has none)."""
    text = translation_path(source, translations).read_text(encoding="utf-8")
    return check(parse_translation(text), english_prose(source))


def sync(source: Path, translations: Path = TRANSLATIONS) -> Path:
    """Create the lesson's translation file, or insert the blocks it lacks, holding the English, marked todo."""
    path = translation_path(source, translations)
    blocks = parse_translation(path.read_text(encoding="utf-8")) if path.exists() else []
    english = english_prose(source)
    synced = [blocks[i] if i is not None else Block(text_hash(english[j]), english[j], todo=True)
              for i, j, _ in _pairs(blocks, english)]
    write_translation(path, synced)
    return path


def stamp(source: Path, numbers: list[int], translations: Path = TRANSLATIONS) -> list[int]:
    """Record that blocks ``numbers`` now translate the current English they are aligned with; return them.

    Raises ``TranslationError`` for a block that is extra or not out of date (nothing to stamp).
    """
    path = translation_path(source, translations)
    blocks = parse_translation(path.read_text(encoding="utf-8"))
    english = english_prose(source)
    aligned = {i + 1: j for i, j, _ in _pairs(blocks, english) if i is not None}
    for number in numbers:
        if aligned.get(number) is None:
            raise TranslationError(f"{path.name}: block {number} translates no English cell (see: status)")
        block = blocks[number - 1]
        if block.hash == text_hash(english[aligned[number]]) and not block.todo:
            raise TranslationError(f"{path.name}: block {number} is already current")
        block.hash, block.todo = text_hash(english[aligned[number]]), False
    write_translation(path, blocks)
    return numbers


def chinese_cells(source: Path, translations: Path = TRANSLATIONS) -> list[dict]:
    """The Chinese lesson's cells: the English cells, prose replaced by the blocks, the switch line added.

    Raises ``TranslationError`` listing the problems when the translation is not current.
    """
    path = translation_path(source, translations)
    blocks = parse_translation(path.read_text(encoding="utf-8"))
    problems = check(blocks, english_prose(source))
    if problems:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        raise TranslationError(f"{shown} is not current ({len(problems)} problems):\n"
                               + "\n".join(p.describe() for p in problems)
                               + f"\nsee: python tools/zh_edition.py status {source.stem[:2]}")
    cells = build_notebooks.parse_source(Path(source).read_text(encoding="utf-8"))
    prose = iter(blocks)
    switched = False
    out = []
    for cell in cells:
        if cell["cell_type"] == "markdown":
            cell = dict(cell, source=next(prose).text)
        elif not switched:
            lines = cell["source"].split("\n")
            if "import lstm_lessons" not in lines:
                raise TranslationError(f"{source.name}: the first code cell must have the line 'import lstm_lessons' "
                                       "(the Chinese edition adds the language switch after it)")
            at = lines.index("import lstm_lessons") + 1
            cell = dict(cell, source="\n".join(lines[:at] + [SWITCH] + lines[at:]))
            switched = True
        out.append(cell)
    return out


def chinese_notebook(source: Path, translations: Path = TRANSLATIONS):
    """The unexecuted Chinese notebook of ``source`` (same cell ids and slide structure as the English)."""
    return build_notebooks.to_notebook(chinese_cells(source, translations), Path(source).stem)


def build(source: Path) -> Path:
    """Execute and save ``notebooks/zh/NN_name.ipynb``; ``TranslationError`` when the translation is not current."""
    return build_notebooks.run_and_save(chinese_notebook(source), NOTEBOOKS / f"{source.stem}.ipynb", FIGURES)


def lessons(prefixes: list[str]) -> list[Path]:
    found = [s for s in sorted(SOURCES.glob("*.py")) if not prefixes or any(s.stem.startswith(p) for p in prefixes)]
    if not found:
        raise SystemExit(f"no lesson in lessons/ starts with {' or '.join(prefixes)}")
    return found


def main(argv: list[str]) -> int:
    command, *args = argv or ["status"]
    if command == "status":
        dirty = 0
        for source in lessons(args):
            if not translation_path(source).exists():
                print(f"{source.stem}: no translation yet (start: python tools/zh_edition.py sync {source.stem[:2]})")
                continue
            problems = status(source)
            dirty += bool(problems)
            print(f"{source.stem}: " + (f"{len(problems)} problems" if problems else "current"))
            for problem in problems:
                print("  " + problem.describe().replace("\n", "\n  "))
        return 1 if dirty else 0
    if command == "sync" and len(args) == 1:
        for source in lessons(args):
            print("wrote", sync(source).relative_to(ROOT))
        return 0
    if command == "stamp" and len(args) >= 2 and all(a.isdigit() for a in args[1:]):
        (source,) = lessons(args[:1])
        try:
            done = stamp(source, [int(a) for a in args[1:]])
        except TranslationError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{source.stem}: stamped blocks {', '.join(map(str, done))}")
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
