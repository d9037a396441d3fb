"""The Chinese edition (中文版) cannot silently fall behind the English one.

The checks run on a tiny fixture lesson (where each is shown to fail on a broken copy), then on every
real translation in ``lessons/zh/`` (none yet: those tests are skipped with the reason).
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("zh_edition", ROOT / "tools" / "zh_edition.py")
zh = importlib.util.module_from_spec(spec)
sys.modules["zh_edition"] = zh  # dataclasses look their module up there
spec.loader.exec_module(zh)

ENGLISH = """# Source of notebooks/00_tiny.ipynb -- edit here

# %% [markdown]
# # Lesson 00 — Tiny
#
# Some text. **Next:** [Lesson 01](01_next.ipynb)
#
# ## A section
# More text.

# %%
import torch
import lstm_lessons
x = torch.zeros(2, 3)

# %% [markdown] tags=["instructor", "notes"]
# Speaker notes.

# %% tags=["solution"]
# Solution
print(x.shape)
"""
CHINESE = ["# 第 00 课 — 小课\n\n一些正文，术语见[中英对照](../../docs/glossary.md)。"
           "**下一课：**[第 01 课](01_next.ipynb)", "## 一节\n更多正文。", "讲者备注。"]


# ---- helpers: each real-lesson test below uses one, and a fixture test shows it can fail ----

def code_differences(chinese: dict, english: dict) -> list[str]:
    """Code cells (source and tags) of the Chinese notebook that are not the English ones, bar the switch line."""
    def code(nb, drop_switch):
        return [("".join(c["source"]).replace(zh.SWITCH + "\n", "") if drop_switch else "".join(c["source"]),
                 c["metadata"].get("tags", [])) for c in nb["cells"] if c["cell_type"] == "code"]
    ours, theirs = code(chinese, True), code(english, False)
    found = [f"code cell {i}: {a[0][:60]!r} != {b[0][:60]!r}"
             for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b]
    if len(ours) != len(theirs):
        found.append(f"{len(ours)} code cells, the English has {len(theirs)}")
    switches = sum(zh.SWITCH in "".join(c["source"]) for c in chinese["cells"])
    if switches != 1:
        found.append(f"the language switch appears {switches} times, not once")
    return found


def saved_mismatch(saved: Path, source: Path, translations: Path) -> str:
    """'' when the saved Chinese notebook is what the build makes of its sources, else what to do."""
    expected = zh.chinese_notebook(source, translations)
    cells = json.loads(saved.read_text(encoding="utf-8"))["cells"]
    same = [(c["cell_type"], c["source"], dict(c["metadata"])) for c in expected.cells] == \
           [(c["cell_type"], "".join(c["source"]), c["metadata"]) for c in cells]
    return "" if same else f"rebuild it: python tools/build_notebooks.py --zh {source.stem[:2]}"


def unbuilt(translations: Path, notebooks: Path) -> set:
    """Lessons translated but not built, and Chinese notebooks without a translation."""
    return {p.stem for p in translations.glob("*.md")} ^ {p.stem for p in notebooks.glob("*.ipynb")}


def broken_links(notebook: Path) -> list[str]:
    """Relative links (to .ipynb and .md files) in the notebook's prose that lead to no file."""
    prose = "".join("".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                    if c["cell_type"] == "markdown")
    targets = re.findall(r"\]\(([^)#:\s]+\.(?:ipynb|md))(?:#[^)]*)?\)", prose)
    return [t for t in targets if not (notebook.parent / t).is_file()]


def unrendered_emphasis(markdown: str) -> list[str]:
    """Lines whose ``**bold**`` or ``*italic*`` markers a CommonMark renderer (JupyterLab's too) shows as
    literal asterisks: in Chinese, ``**时间：**约`` is not bold (a closing ``**`` after full-width
    punctuation must be followed by a space or punctuation); write ``**时间**：约``."""
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in token.children or []:
            if child.type == "text" and "*" in child.content:
                found.append(child.content)
    return found


def test_unrendered_emphasis_is_found():
    assert unrendered_emphasis("**时间：**约 10 分钟") == ["**时间：**约 10 分钟"]
    assert unrendered_emphasis("**时间**：约 10 分钟，`a * b` 与 *斜体*") == []


# ---- the fixture lesson ----

@pytest.fixture
def course(tmp_path):
    """tmp/lessons/00_tiny.py, its translation, its saved Chinese notebook, and the files its links name."""
    (tmp_path / "lessons" / "zh").mkdir(parents=True)
    source = tmp_path / "lessons" / "00_tiny.py"
    source.write_text(ENGLISH, encoding="utf-8")
    english = zh.english_prose(source)
    zh.write_translation(zh.translation_path(source, tmp_path / "lessons" / "zh"),
                         [zh.Block(zh.text_hash(e), c) for e, c in zip(english, CHINESE, strict=True)])
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    nbformat.write(zh.chinese_notebook(source, tmp_path / "lessons" / "zh"),
                   tmp_path / "notebooks" / "zh" / "00_tiny.ipynb")
    nbformat.write(zh.build_notebooks.to_notebook(zh.build_notebooks.parse_source(ENGLISH), "00_tiny"),
                   tmp_path / "notebooks" / "00_tiny.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "notebooks" / "zh" / "01_next.ipynb")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "glossary.md").write_text("# 中英对照\n", encoding="utf-8")
    return tmp_path


def paths(course: Path):
    return course / "lessons" / "00_tiny.py", course / "lessons" / "zh"


def edit_english(course: Path, old: str, new: str) -> None:
    source = course / "lessons" / "00_tiny.py"
    source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_chinese_notebook_has_the_english_code_and_one_switch_line(course):
    source, translations = paths(course)
    cells = zh.chinese_cells(source, translations)
    english = zh.build_notebooks.parse_source(ENGLISH)
    assert [c["source"] for c in cells if c["cell_type"] == "markdown"] == CHINESE
    assert [c["metadata"] for c in cells] == [c["metadata"] for c in english]  # tags, hence slides and notes
    assert cells[2]["source"] == f"import torch\nimport lstm_lessons\n{zh.SWITCH}\nx = torch.zeros(2, 3)"
    assert code_differences(load(course / "notebooks" / "zh" / "00_tiny.ipynb"),
                            load(course / "notebooks" / "00_tiny.ipynb")) == []


def test_the_switch_line_really_switches_the_messages():
    from lstm_lessons import i18n
    try:
        exec(zh.SWITCH, {"lstm_lessons": __import__("lstm_lessons")})
        assert i18n.language() == "zh"
    finally:
        i18n.set_language("en")


def test_a_code_cell_that_differs_from_the_english_is_found(course):
    chinese = load(course / "notebooks" / "zh" / "00_tiny.ipynb")
    english = load(course / "notebooks" / "00_tiny.ipynb")
    chinese["cells"][-1]["source"] = "print(x.size())"
    assert code_differences(chinese, english) == ["code cell 1: 'print(x.size())' != '# Solution\\nprint(x.shape)'"]
    chinese["cells"][2]["source"] = "".join(chinese["cells"][2]["source"]).replace(zh.SWITCH + "\n", "")
    assert "the language switch appears 0 times, not once" in code_differences(chinese, english)


def test_english_changed_since_translation_is_reported_with_the_new_text(course):
    source, translations = paths(course)
    edit_english(course, "# More text.", "# More text, now longer.")
    problems = zh.status(source, translations)
    assert [(p.kind, p.block, p.english) for p in problems] == [("changed", 2, "## A section\nMore text, now longer.")]
    with pytest.raises(zh.TranslationError, match="block 2 the English changed"):
        zh.chinese_cells(source, translations)


def test_block_count_mismatch_is_reported_as_missing_or_extra(course):
    source, translations = paths(course)
    path = zh.translation_path(source, translations)
    blocks = zh.parse_translation(path.read_text(encoding="utf-8"))
    zh.write_translation(path, blocks[:2])
    assert [(p.kind, p.english) for p in zh.status(source, translations)] == [("missing", "Speaker notes.")]
    zh.write_translation(path, blocks + [zh.Block("0badc0de", "多余的一段。")])
    assert [(p.kind, p.block) for p in zh.status(source, translations)] == [("extra", 4)]
    with pytest.raises(zh.TranslationError):
        zh.chinese_cells(source, translations)


def test_an_english_cell_inserted_in_the_middle_is_one_missing_block_not_all_changed(course):
    source, translations = paths(course)
    edit_english(course, "# %% tags=[\"solution\"]", "# %% [markdown]\n# A new paragraph.\n\n# %% tags=[\"solution\"]")
    assert [(p.kind, p.english) for p in zh.status(source, translations)] == [("missing", "A new paragraph.")]


def test_sync_adds_todo_blocks_that_build_only_once_translated_and_stamped(course):
    source, translations = paths(course)
    edit_english(course, "# %% tags=[\"solution\"]", "# %% [markdown]\n# A new paragraph.\n\n# %% tags=[\"solution\"]")
    path = zh.sync(source, translations)
    assert [(p.kind, p.block) for p in zh.status(source, translations)] == [("todo", 4)]
    with pytest.raises(zh.TranslationError, match="not translated yet"):
        zh.chinese_cells(source, translations)
    path.write_text(path.read_text(encoding="utf-8").replace("A new paragraph.", "新的一段。"), encoding="utf-8")
    assert zh.stamp(source, [4], translations) == [4]
    assert zh.status(source, translations) == []
    assert zh.chinese_cells(source, translations)[4]["source"] == "新的一段。"
    with pytest.raises(zh.TranslationError, match="already current"):
        zh.stamp(source, [4], translations)


def test_stamp_records_the_new_english_after_the_translator_updated_a_block(course):
    source, translations = paths(course)
    edit_english(course, "# More text.", "# More text, now longer.")
    zh.stamp(source, [2], translations)
    assert zh.status(source, translations) == []


def test_a_heading_of_another_level_is_refused(course):
    source, translations = paths(course)
    path = zh.translation_path(source, translations)
    path.write_text(path.read_text(encoding="utf-8").replace("## 一节", "### 一节"), encoding="utf-8")
    assert [(p.kind, p.block) for p in zh.status(source, translations)] == [("heading", 2)]


def test_a_saved_chinese_notebook_that_does_not_match_its_sources_is_found(course):
    source, translations = paths(course)
    saved = course / "notebooks" / "zh" / "00_tiny.ipynb"
    assert saved_mismatch(saved, source, translations) == ""
    path = zh.translation_path(source, translations)
    path.write_text(path.read_text(encoding="utf-8").replace("更多正文。", "更多的正文。"), encoding="utf-8")
    assert "rebuild it" in saved_mismatch(saved, source, translations)


def test_a_translation_without_its_notebook_is_found(course):
    translations, notebooks = course / "lessons" / "zh", course / "notebooks" / "zh"
    (notebooks / "01_next.ipynb").unlink()
    assert unbuilt(translations, notebooks) == set()
    (translations / "02_other.md").write_text("<!-- block 1 en:00000000 -->\n标题\n", encoding="utf-8")
    assert unbuilt(translations, notebooks) == {"02_other"}


def test_links_in_a_chinese_notebook_resolve_and_a_broken_one_is_found(course):
    saved = course / "notebooks" / "zh" / "00_tiny.ipynb"
    assert broken_links(saved) == []
    (course / "docs" / "glossary.md").unlink()
    assert broken_links(saved) == ["../../docs/glossary.md"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lstm_lessons", *args], capture_output=True, text=True, cwd=ROOT)


def test_student_copies_of_the_chinese_edition(course):
    out = course / "student"
    result = run_cli("student-copies", str(out), "--from", str(course / "notebooks" / "zh"))
    assert result.returncode == 0, result.stderr
    copy = load(out / "00_tiny.ipynb")
    sources = ["".join(c["source"]) for c in copy["cells"]]
    assert sources[0].startswith("# 第 00 课") and any(zh.SWITCH in s for s in sources)
    assert not any("Solution" in s or "讲者备注" in s for s in sources)  # solution and instructor cells removed


def test_slides_of_the_chinese_edition(course):
    result = run_cli("slides", "00", str(course / "decks"), "--from", str(course / "notebooks" / "zh"))
    assert result.returncode == 0, result.stderr
    html = (course / "decks" / "00_tiny.slides.html").read_text(encoding="utf-8")
    assert "第 00 课" in html and "一节" in html and "Lesson 00" not in html


# ---- the real lessons: every translation in lessons/zh/ ----

TRANSLATED = sorted((ROOT / "lessons" / "zh").glob("[0-9][0-9]_*.md"))
LESSONS = [ROOT / "lessons" / f"{p.stem}.py" for p in TRANSLATED] or \
          [pytest.param(None, marks=pytest.mark.skip(reason="no Chinese lesson yet"))]


def lesson_id(source):
    return source.stem if source else "none"


@pytest.mark.parametrize("source", LESSONS, ids=lesson_id)
def test_the_translation_is_current(source):
    problems = zh.status(source)
    assert not problems, "\n".join(p.describe() for p in problems) + \
        f"\nsee: python tools/zh_edition.py status {source.stem[:2]}"


@pytest.mark.parametrize("source", LESSONS, ids=lesson_id)
def test_the_saved_chinese_notebook_matches_its_sources(source):
    assert saved_mismatch(zh.NOTEBOOKS / f"{source.stem}.ipynb", source, zh.TRANSLATIONS) == ""


@pytest.mark.parametrize("source", LESSONS, ids=lesson_id)
def test_the_chinese_code_cells_are_the_english_ones(source):
    assert code_differences(load(zh.NOTEBOOKS / f"{source.stem}.ipynb"),
                            load(ROOT / "notebooks" / f"{source.stem}.ipynb")) == []


@pytest.mark.parametrize("source", LESSONS, ids=lesson_id)
def test_saved_as_one_top_to_bottom_run(source):
    counts = [c["execution_count"] for c in load(zh.NOTEBOOKS / f"{source.stem}.ipynb")["cells"]
              if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("source", LESSONS, ids=lesson_id)
def test_bold_and_italics_render(source):
    blocks = zh.parse_translation(zh.translation_path(source).read_text(encoding="utf-8"))
    assert [(i, line) for i, block in enumerate(blocks, 1) for line in unrendered_emphasis(block.text)] == []


@pytest.mark.parametrize("source", LESSONS, ids=lesson_id)
def test_links_resolve_and_the_glossary_is_linked(source):
    notebook = zh.NOTEBOOKS / f"{source.stem}.ipynb"
    assert broken_links(notebook) == []
    assert "](../../docs/glossary.md" in notebook.read_text(encoding="utf-8")


def test_every_english_lesson_has_its_chinese_edition():
    english = {p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.py")}
    chinese = {p.stem for p in TRANSLATED}
    assert english - chinese == set(), "translate them: python tools/zh_edition.py sync NN (see README.zh-CN.md)"


def test_every_translation_is_built_and_every_chinese_notebook_translated():
    assert unbuilt(zh.TRANSLATIONS, zh.NOTEBOOKS) == set()


# ---- figures: Chinese labels are drawn with the package's font, never as empty boxes ----

def render(text: str, **rc) -> tuple[bytes, list[str]]:
    """PNG bytes of a small figure labelled ``text``, and the missing-glyph warnings drawing it raised."""
    import io
    import warnings

    import matplotlib.pyplot as plt

    import lstm_lessons.plots  # noqa: F401  (registers the font)

    with plt.rc_context(rc), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.plot([0, 1], [1, 0], label=text)
        ax.set_xlabel(text)
        ax.legend()
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=50)
        plt.close(fig)
    return png.getvalue(), [str(w.message) for w in caught if "missing from font" in str(w.message)]


CHINESE_LABEL = "时间步 t（seq_len）：交叉熵损失、遗忘门与梯度陷阱"


def test_a_chinese_label_renders_without_missing_glyphs():
    assert render(CHINESE_LABEL)[1] == []


def test_without_the_font_a_chinese_label_would_be_empty_boxes():
    assert render(CHINESE_LABEL, **{"font.family": ["sans-serif"]})[1]  # DejaVu Sans alone: tofu


def test_english_labels_are_drawn_exactly_as_before():
    assert render("hidden size (h_n)")[0] == render("hidden size (h_n)", **{"font.family": ["sans-serif"]})[0]


def test_the_font_has_every_chinese_character_of_the_glossary_and_the_messages():
    from fontTools.ttLib import TTFont

    from lstm_lessons.fonts import CHINESE_FONT

    cmap = TTFont(CHINESE_FONT).getBestCmap()
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8") + \
        (ROOT / "lstm_lessons" / "locale" / "zh_CN" / "LC_MESSAGES" / "lstm_lessons.po").read_text(encoding="utf-8")
    assert sorted({c for c in text if "\u4e00" <= c <= "\u9fff" and ord(c) not in cmap}) == []
    assert (CHINESE_FONT.parent / "OFL-NotoSansSC.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1


def test_the_chinese_readme_lists_every_chinese_lesson_and_its_links_resolve():
    readme = ROOT / "README.zh-CN.md"
    text = readme.read_text(encoding="utf-8")
    assert [p.name for p in sorted(zh.NOTEBOOKS.glob("*.ipynb")) if f"notebooks/zh/{p.name}" not in text] == []
    for document in (readme, ROOT / "docs" / "instructors.zh-CN.md", ROOT / "docs" / "glossary.md"):
        targets = re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", document.read_text(encoding="utf-8"))
        assert [t for t in targets if not (document.parent / t).exists()] == [], document.name
