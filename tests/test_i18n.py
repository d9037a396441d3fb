"""Messages in English or Chinese: the switch, the environment, and catalogs that cannot fall behind."""

import ast
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_lessons import i18n

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("translations", ROOT / "tools" / "translations.py")
translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(translations)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("name, code", [("zh", "zh"), ("zh_CN", "zh"), ("zh-Hans", "zh"), ("ZH_CN.UTF-8", "zh"),
                                        ("en", "en"), ("en_GB", "en")])
def test_set_language_accepts_the_usual_spellings(name, code):
    assert i18n.set_language(name) == code
    assert i18n.language() == code


@pytest.mark.parametrize("name", ["fr", "", "bogus"])
def test_a_language_the_course_lacks_is_refused_naming_the_choices(name):
    with pytest.raises(ValueError, match="choose one of en, zh"):
        i18n.set_language(name)


def test_messages_follow_the_language():
    english = "the course has no messages in {name!r}: choose one of {choices}"
    assert i18n._(english) == english
    i18n.set_language("zh")
    chinese = i18n._(english)
    assert chinese != english and "请" in chinese
    with pytest.raises(ValueError, match="本课程"):
        i18n.set_language("fr")


@pytest.mark.parametrize("environment, code", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LSTM_LESSONS_LANG": "en"}, "en"),  # the course's own variable wins
    ({"LANGUAGE": "zh_TW:en", "LANG": "en_US.UTF-8"}, "zh"),  # LANGUAGE's first choice
    ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL overrides LANG, as in the C library
])
def test_the_environment_chooses_when_no_lesson_did(monkeypatch, environment, code):
    for variable in ("LSTM_LESSONS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert i18n.language_from_environment() == code


def test_every_message_has_a_chinese_translation_and_is_compiled():
    assert translations.problems() == []


def test_the_check_finds_an_untranslated_message(monkeypatch):
    extracted = translations.extract()
    extracted.add("a message nobody translated yet {count}")
    monkeypatch.setattr(translations, "extract", lambda: extracted)
    found = translations.problems()
    assert any("a message nobody translated yet" in line and "not in" in line for line in found)


# -- every student-facing string is marked -------------------------------------------------------

PACKAGE = ROOT / "lstm_lessons"
WIDGET_TEXT = {"description", "tooltip", "placeholder"}  # keywords of any call: a widget's words
TEXT_WIDGETS = ("Label", "HTML", "HTMLMath")  # ... and value= of these
WORDS = re.compile(r"[A-Za-z]{2,}")
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")  # "batch_first", "train_set": a name from the code, not prose

# Each entry: (file, start of the literal) -> why it stays English. Keep it short.
ALLOWED = {
    ("resources/seed_program.py", "Epoch ["): "the tutorial's own program, kept exactly as published",
    ("seed_program.py", "Epoch ["): "prints the tutorial's log line verbatim: the lesson compares the two",
}


def _literal_words(node) -> str | None:
    """The text of a string literal (or f-string, or a concatenation / choice of them) that holds
    words and is not wrapped in ``_()``; None when there is none."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if WORDS.search(node.value) and not IDENTIFIER.fullmatch(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        return text if WORDS.search(text) else None
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) or _literal_words(node.orelse)
    return None  # a call (_() itself, .format, str()), a name, ...


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def unmarked_messages(source: str, filename: str = "<example>") -> list[tuple[int, str]]:
    """(line, text) of each literal with words shown to a student without ``_()``: the message of a
    ``raise``, the arguments of ``print``, ``warnings.warn``, ``say`` and ``prompt`` (the exercise
    checks), widget ``description=``/``tooltip=``/``placeholder=``, ``value=`` of a Label or HTML,
    and ``something.value``/``.description`` assignments (a status line)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        shown = []
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            shown += node.exc.args
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in ("print", "warn", "prompt", "error", "exit", "ArgumentTypeError"):
                shown += node.args
            if name == "say":  # say(status, text): the status is a key
                shown += node.args[1:]
            for keyword in node.keywords:
                if keyword.arg in WIDGET_TEXT or keyword.arg == "help" or \
                        (keyword.arg == "value" and name in TEXT_WIDGETS):
                    shown.append(keyword.value)
        if isinstance(node, ast.Assign):
            if any(isinstance(target, ast.Attribute) and target.attr in ("value", "description")
                   for target in node.targets):
                shown.append(node.value)
        for argument in shown:
            text = _literal_words(argument)
            if text is not None and not any(filename == file and text.startswith(start)
                                            for file, start in ALLOWED):
                found.append((argument.lineno, text))
    return found


def test_every_student_facing_string_in_the_package_is_marked():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        found += [f"lstm_lessons/{name}:{line}: {text!r}" for line, text in unmarked_messages(path.read_text(), name)]
    assert found == [], "wrap these in _() from lstm_lessons.i18n:\n" + "\n".join(found)


@pytest.mark.parametrize("source", [
    'raise ValueError(f"lr must be > 0, got {lr}")',
    'raise TypeError("expected a tensor")',
    'print(f"wrote {path}")',
    'print("wrote " + str(path))',
    'warnings.warn("this is slow")',
    'say("wrong", "not yet" if x else "nearly")',
    'widgets.Button(description="Clear runs")',
    'widgets.Label(value="Training ...")',
    'self.status.value = "<b>stopping...</b>"',
    'parser.add_argument("--lr", help="the learning rate")',
])
def test_the_scan_finds_an_unmarked_message(source):
    assert len(unmarked_messages(source)) == 1


@pytest.mark.parametrize("source", [
    'raise ValueError(_("lr must be > 0, got {lr}").format(lr=lr))',
    'print(_("wrote {path}").format(path=path))',
    'widgets.Button(description=_("Clear runs"), icon="trash")',
    'widgets.Dropdown(options=names, value="order")',  # a value, not words
    'self.progress.value = 0',
    'raise ValueError(message)',
    'print(", ".join(names))',  # no words of its own
])
def test_the_scan_passes_marked_messages_and_data(source):
    assert unmarked_messages(source) == []


def test_no_function_hides_the_translation_function_behind_a_local_underscore():
    """``out, _ = lstm(x)`` in a function that also calls ``_()`` makes ``_`` local there: the call fails."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            in_comprehension = {id(node) for loop in ast.walk(function)  # a comprehension is a scope of its own
                                if isinstance(loop, ast.comprehension) for node in ast.walk(loop.target)}
            names = [node for node in ast.walk(function)
                     if isinstance(node, ast.Name) and node.id == "_" and id(node) not in in_comprehension]
            if any(isinstance(n.ctx, ast.Store) for n in names) and \
                    any(isinstance(n.ctx, ast.Load) for n in names):
                found.append(f"{path.name}: {function.name}")
    assert found == []


# -- the switch, end to end ------------------------------------------------------------------------

@pytest.fixture
def chinese():
    before = i18n.language()
    i18n.set_language("zh")
    yield
    i18n.set_language(before)


def test_exercise_feedback_in_chinese(chinese, capsys):
    from lstm_lessons.exercises import check_00_batch_size

    feedback = check_00_batch_size(5)
    assert not feedback.correct
    assert capsys.readouterr().out.strip() == feedback.message
    assert feedback.message.startswith("✗ 还不对：") and "seq_len" in feedback.message  # code stays code
    assert check_00_batch_size(64).message.startswith("✓ 正确：")


def test_train_refuses_a_bad_learning_rate_in_chinese(chinese):
    import torch

    from lstm_lessons import LSTMClassifier, train

    data = (torch.randn(4, 3, 2), torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match=r"lr 必须是不超过 .* 的正数，你给的是 -1"):
        train(LSTMClassifier(2, 4, 1, 2), data, epochs=1, lr=-1)
    i18n.set_language("en")
    with pytest.raises(ValueError, match="lr must be a positive number"):
        train(LSTMClassifier(2, 4, 1, 2), data, epochs=1, lr=-1)


def test_playground_status_line_in_chinese(chinese):
    from lstm_lessons.playground import Playground

    playground = Playground(task="order", hidden_size=4, epochs=1, seq_len=6)
    assert playground.train().ended == "finished"
    assert playground.status.value.startswith("已完成 1 个迭代周期：它的曲线和模型都已保留")
    assert playground.train_button.description == "训练" and playground.progress.description == "迭代周期 1"



def test_summary_line_and_figure_labels_in_chinese(chinese):
    import torch

    from lstm_lessons import LSTMClassifier, train
    from lstm_lessons.plots import plot_history

    data = (torch.randn(8, 3, 2), torch.tensor([0, 1] * 4))
    history = train(LSTMClassifier(2, 4, 1, 2), data, val_set=data, epochs=1, lr=1e-2, progress=False)
    summary = history.summary()
    assert "，" in summary and ", " not in summary  # one kind of comma in a Chinese line
    figure = plot_history(history, labels=["a"], pyplot=False)
    texts = [t.get_text() for t in figure.axes[0].get_legend().get_texts()] + [figure.axes[0].get_xlabel()]
    assert texts == ["a（训练）", "a（验证）", "迭代周期"]
    i18n.set_language("en")
    assert ", " in history.summary()


def _cli(*args, **environment):
    env = {key: value for key, value in os.environ.items()
           if key not in ("LSTM_LESSONS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "lstm_lessons", *args], capture_output=True, text=True,
                          timeout=120, env=env | environment)


def test_the_command_line_speaks_the_language_of_the_environment():
    chinese = _cli("train", "--lr", "-1", LANG="zh_CN.UTF-8")
    assert chinese.returncode == 2
    assert "argument --lr: 需要一个正数，例如 1e-3，你给的是 -1" in chinese.stderr
    english = _cli("train", "--lr", "-1", LANG="zh_CN.UTF-8", LSTM_LESSONS_LANG="en")
    assert english.returncode == 2
    assert "argument --lr: expected a positive number such as 1e-3, got -1" in english.stderr


def test_the_suite_and_the_kernels_it_starts_see_english():
    """conftest.py pins LSTM_LESSONS_LANG=en, so a machine running LANG=zh_CN.UTF-8 still checks the
    English notebooks in English: nbval's kernels, like this child process, inherit the variable."""
    assert os.environ["LSTM_LESSONS_LANG"] == "en"
    child = subprocess.run([sys.executable, "-c", "from lstm_lessons.i18n import language; print(language())"],
                           capture_output=True, text=True, timeout=60, env=os.environ | {"LANG": "zh_CN.UTF-8"})
    assert child.stdout.strip() == "en", child.stderr
