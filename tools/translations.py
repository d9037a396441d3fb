"""Keep the package's message catalogs current (gettext, with Babel).

    python tools/translations.py           # extract, merge into each language's .po, compile .mo
    python tools/translations.py --check   # exit 1 and list what is missing or stale; changes nothing

A message is marked in the code with ``_()`` from ``lstm_lessons.i18n``. After adding or changing
one, run this tool: the new English text appears in ``lstm_lessons/locale/zh_CN/LC_MESSAGES/
lstm_lessons.po`` with an empty translation; write the Chinese there (keep every ``{placeholder}``)
and run the tool again to compile it. ``tests/test_i18n.py`` runs ``--check``'s logic.
"""

from __future__ import annotations

import io
import string
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lstm_lessons"
LOCALE = PACKAGE / "locale"
DOMAIN = "lstm_lessons"
CATALOGS = {"zh_CN": LOCALE / "zh_CN" / "LC_MESSAGES"}


def extract() -> Catalog:
    """Every message marked with ``_()`` in the package, with where it stands."""
    # a fixed date: the catalogs change only when their messages do
    template = Catalog(project="lstm-lessons", charset="utf-8", creation_date=datetime(2026, 1, 1, tzinfo=timezone.utc))
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords={"_": None, "N_": None},
            comment_tags=("Translators:",)):
        template.add(message, locations=[(f"lstm_lessons/{filename}", lineno)], auto_comments=comments,
                     context=context)
    return template


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale, project="lstm-lessons", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def problems() -> list[str]:
    """What is missing or stale in the catalogs; empty when they are complete and compiled."""
    found = []
    wanted = {message.id for message in extract() if message.id}
    for locale, folder in CATALOGS.items():
        po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
        catalog = _read(po_path, locale)
        have = {message.id: message for message in catalog if message.id}
        for message_id in sorted(wanted - set(have)):
            found.append(f"{locale}: not in {po_path.name} yet (run python tools/translations.py): {message_id!r}")
        for message_id in sorted(wanted & set(have)):
            message = have[message_id]
            if not message.string:
                found.append(f"{locale}: no translation for {message_id!r}")
            elif message.fuzzy:
                found.append(f"{locale}: translation marked fuzzy (the English changed) for {message_id!r}")
            elif _fields(message.string) != _fields(message_id):
                found.append(f"{locale}: the translation of {message_id!r} has placeholders "
                             f"{sorted(_fields(message.string))}, the English {sorted(_fields(message_id))}")
        for message_id in sorted(set(have) - wanted):
            found.append(f"{locale}: {message_id!r} is no longer in the code (run python tools/translations.py)")
        if not mo_path.exists() or mo_path.read_bytes() != _compiled(catalog):
            found.append(f"{locale}: {mo_path.name} is not compiled from {po_path.name} "
                         "(run python tools/translations.py)")
    return found


def update() -> None:
    """Merge the extracted messages into every language's ``.po`` and compile its ``.mo``."""
    template = extract()
    for locale, folder in CATALOGS.items():
        folder.mkdir(parents=True, exist_ok=True)
        po_path = folder / f"{DOMAIN}.po"
        catalog = _read(po_path, locale)
        catalog.update(template, no_fuzzy_matching=False)
        catalog.obsolete.clear()  # removed messages go; git keeps their history
        catalog.fuzzy = False  # the header: a fuzzy header would be left out of the .mo, and its charset with it
        catalog.last_translator = "lstm-lessons contributors"
        catalog.language_team = "lstm-lessons 中文"
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, no_location=False, sort_output=True,
                     ignore_obsolete=True)
        (folder / f"{DOMAIN}.mo").write_bytes(_compiled(_read(po_path, locale)))
        print(f"{locale}: {sum(1 for m in catalog if m.id)} messages, "
              f"{sum(1 for m in catalog if m.id and not m.string)} untranslated")


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        found = problems()
        print("\n".join(found) if found else "every message is translated and compiled")
        return 1 if found else 0
    if argv:
        print(__doc__)
        return 2
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
