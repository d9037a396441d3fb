"""Messages in the student's language: English by default, Chinese (中文) on request.

Every sentence the package shows a student -- exercise feedback, errors, widget labels, status
lines, the command line's output -- is written in English and marked for translation::

    from .i18n import _
    raise ValueError(_("lr must be a positive number, got {lr!r}; try 1e-3").format(lr=lr))

(the placeholders are named, and filled by ``.format`` *after* translation, so a translator can
move them). The catalogs are standard gettext files in ``lstm_lessons/locale/``;
``python tools/translations.py`` extracts the marked messages with Babel and compiles them, and
``tests/test_i18n.py`` fails when a message has no Chinese translation.

The language is chosen once, in one of two ways:

- the Chinese lessons call ``set_language("zh")`` in their first code cell;
- otherwise the environment decides: ``LSTM_LESSONS_LANG``, then the usual ``LANGUAGE``,
  ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` (``zh_CN.UTF-8`` and the like pick Chinese).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "N_", "_", "language", "language_from_environment", "set_language"]

DOMAIN = "lstm_lessons"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = {"en": None, "zh": "zh_CN"}  # the course's languages, and each one's gettext catalog
_ENVIRONMENT = ("LSTM_LESSONS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_state: dict = {"language": None, "translations": None}


def _normalise(name: str) -> str | None:
    """``"zh"``, ``"zh_CN.UTF-8"``, ``"zh-Hans"``, ``"ZH"`` -> ``"zh"``; ``"en_GB"`` -> ``"en"``; else None."""
    code = str(name).strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def language_from_environment() -> str:
    """The language the environment asks for: the first of ``LSTM_LESSONS_LANG``, ``LANGUAGE``,
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set; Chinese when it starts with ``zh``, else English."""
    for variable in _ENVIRONMENT:
        value = os.environ.get(variable, "")
        if value:
            first = value.split(":")[0]  # LANGUAGE may list several, in order of preference
            return _normalise(first) or "en"
    return "en"


def set_language(name: str) -> str:
    """Show every later message in ``name`` (``"en"`` or ``"zh"``; ``"zh_CN"`` etc. accepted).

    Returns the language now in use. Raises ``ValueError`` for a language the course lacks.
    """
    code = _normalise(name)
    if code is None:
        raise ValueError(_("the course has no messages in {name!r}: choose one of {choices}").format(
            name=name, choices=", ".join(LANGUAGES)))
    catalog = LANGUAGES[code]
    if catalog is None:
        translations = gettext.NullTranslations()
    else:
        translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[catalog], fallback=True)
    _state.update(language=code, translations=translations)
    return code


def language() -> str:
    """The language messages are shown in now: ``"en"`` or ``"zh"``."""
    if _state["language"] is None:
        set_language(language_from_environment())
    return _state["language"]


def _(message: str) -> str:
    """``message`` in the current language (itself when it has no translation)."""
    language()
    return _state["translations"].gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation and return it unchanged: for text defined at import time
    (a module-level table), translated with ``_(text)`` where it is shown, in the language of that moment."""
    return message
