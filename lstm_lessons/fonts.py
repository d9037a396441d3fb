"""Chinese text in figures, with no tofu boxes (needs matplotlib; ``lstm_lessons.plots`` calls it).

matplotlib's own font, DejaVu Sans, has no Chinese glyphs. The package ships a 2.3 MB subset of
Noto Sans SC (``resources/LSTMLessonsSansSC-Regular.ttf``, SIL Open Font License: ``resources/
OFL-NotoSansSC.txt``; made by ``tools/make_chinese_font.py``) and registers it as a fallback after
DejaVu Sans (in ``font.family``): Latin text is drawn exactly as before, and a character DejaVu
Sans lacks comes from it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CHINESE_FAMILY", "CHINESE_FONT", "register_chinese_font"]

CHINESE_FONT = Path(__file__).resolve().parent / "resources" / "LSTMLessonsSansSC-Regular.ttf"
CHINESE_FAMILY = "LSTM Lessons Sans SC"


def register_chinese_font() -> str:
    """Make matplotlib draw Chinese with the course's font (a fallback after DejaVu Sans); idempotent.

    Returns the font's family name.
    """
    import matplotlib
    from matplotlib import font_manager

    if CHINESE_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(CHINESE_FONT))
    families = list(matplotlib.rcParams["font.family"])  # ["sans-serif"]: DejaVu Sans; a glyph it lacks comes
    if CHINESE_FAMILY not in families:                    # from the next family in this list
        matplotlib.rcParams["font.family"] = families + [CHINESE_FAMILY]
    return CHINESE_FAMILY
