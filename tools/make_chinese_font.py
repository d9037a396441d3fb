"""Make the Chinese font the figures use: a subset of Noto Sans SC (SIL Open Font License 1.1).

    pip download --no-deps justmytype-intl-cjk==0.1.0 -d /tmp/font    # ships NotoSansSC[wght].ttf and OFL.txt
    python tools/make_chinese_font.py /tmp/font/justmytype_intl_cjk-0.1.0-py3-none-any.whl

The full font is 17.8 MB (a 30 MB wheel with JP/KR/TC beside it), too much for the course's one
``pip install``. This keeps the Regular weight (wght 400, no variations) and the characters of GB2312
(its 6,763 hanzi cover everyday and technical Chinese: levels 1 and 2 -- level 1 alone lacks 熵 of
交叉熵 and 阱 of 陷阱), ASCII, Latin-1, general and CJK punctuation and full-width forms: 2.3 MB. The
subset is renamed (a Modified Version under the OFL) and written with the licence to
``lstm_lessons/resources/``; ``lstm_lessons/fonts.py`` registers it with matplotlib.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

RESOURCES = Path(__file__).resolve().parent.parent / "lstm_lessons" / "resources"
FAMILY = "LSTM Lessons Sans SC"
FILE = "LSTMLessonsSansSC-Regular.ttf"
INNER = "justmytype_intl_cjk/fonts/ofl/notosanssc/"


def characters() -> str:
    """GB2312's hanzi (both levels) and the Latin, punctuation and symbols figure labels use."""
    hanzi = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                hanzi.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    ranges = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x3000, 0x3040), (0xFF00, 0xFFF0)]
    return "".join(hanzi) + "".join(chr(c) for a, b in ranges for c in range(a, b)) + "×÷αβγσ→←↑↓≈≠≤≥·⊙"


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        font = TTFont(io.BytesIO(archive.read(INNER + "NotoSansSC[wght].ttf")))
        licence = archive.read(INNER + "OFL.txt")
    font = instancer.instantiateVariableFont(font, {"wght": 400})
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22, 25):
            names.removeNames(nameID=record.nameID)
    for name_id, value in {1: FAMILY, 2: "Regular", 3: f"{FAMILY} Regular (subset of Noto Sans SC)",
                           4: f"{FAMILY} Regular", 6: FAMILY.replace(" ", "") + "-Regular"}.items():
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    font.save(RESOURCES / FILE)
    (RESOURCES / "OFL-NotoSansSC.txt").write_bytes(licence)
    print(f"wrote {RESOURCES / FILE} ({(RESOURCES / FILE).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_file():
        sys.exit(__doc__)
    main(sys.argv[1])
