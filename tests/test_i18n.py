"""Messages in English or Chinese: the switch, the environment, and catalogs that cannot fall behind."""

import importlib.util
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
