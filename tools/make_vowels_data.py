"""Write ``lstm_lessons/resources/japanese_vowels.csv.gz`` from the copy of the data in an sktime wheel.

    pip download --no-deps sktime==1.2.0 -d /tmp/wheel
    python tools/make_vowels_data.py /tmp/wheel/sktime-1.2.0-py3-none-any.whl

Reads ``sktime/datasets/data/JapaneseVowels/JapaneseVowels_{TRAIN,TEST}.ts`` straight from the wheel
(sktime itself is neither installed nor imported) and writes one CSV row per frame:
``utterance,speaker,c1,...,c12`` -- utterances numbered 0-269 for the published training set and
270-639 for the test set, in the published order; speakers 1-9 as published; the 12 LPC cepstrum
coefficients copied as written in the source, so nothing is rounded. Gzipped with a fixed time
stamp: the same wheel gives the same bytes. The source and licence are in ``resources/DATA.md``.
"""

from __future__ import annotations

import gzip
import io
import sys
import zipfile
from pathlib import Path

FOLDER = "sktime/datasets/data/JapaneseVowels/"
OUTPUT = Path(__file__).resolve().parent.parent / "lstm_lessons" / "resources" / "japanese_vowels.csv.gz"


def read_ts(text: str) -> list[tuple[str, list[list[str]]]]:
    """The utterances of one ``.ts`` file: (speaker, frames), each frame 12 numbers as written."""
    utterances, in_data = [], False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower() == "@data":
            in_data = True
            continue
        if in_data:
            *channels, speaker = line.split(":")
            columns = [channel.split(",") for channel in channels]  # 12 channels, each [length] values
            if len(columns) != 12 or len({len(c) for c in columns}) != 1:
                raise ValueError(f"expected 12 channels of equal length, got {[len(c) for c in columns]}")
            utterances.append((speaker, [list(frame) for frame in zip(*columns, strict=True)]))
    return utterances


def main(wheel: str) -> int:
    with zipfile.ZipFile(wheel) as archive:
        train = read_ts(archive.read(FOLDER + "JapaneseVowels_TRAIN.ts").decode())
        test = read_ts(archive.read(FOLDER + "JapaneseVowels_TEST.ts").decode())
    lines = io.StringIO()
    for number, (speaker, frames) in enumerate(train + test):
        for frame in frames:
            lines.write(",".join([str(number), speaker, *frame]) + "\n")
    with OUTPUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as packed:
        packed.write(lines.getvalue().encode())
    print(f"wrote {OUTPUT}: {len(train)} train + {len(test)} test utterances, {OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
