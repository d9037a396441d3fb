"""Train the character-level model that lesson 08 loads (the shipped one, or your own).

    python tools/train_char_model.py --out lstm_lessons/resources/char_lstm_shakespeare.pt   # the shipped model
    python tools/train_char_model.py --epochs 2     # a quick one, saved as char_lstm.pt here

Without ``--out`` the model is saved as ``char_lstm.pt`` in the current folder: replacing the shipped file takes
its path, written out. The shipped file was made by the first command, with its defaults (seed 0, one CPU
thread; about 5-10 minutes on a laptop CPU, 15-30 s an epoch): a CharLSTM (embedding 32, one LSTM layer of 256
units) trained for 20 epochs with Adam (lr 3e-3, halved after epochs 13 and 16) on the first 90% of the four
tragedies, in 32 streams cut into chunks of 64 steps, the state carried and detached between chunks, gradients
clipped to norm 1. It prints the held-out bits per character after every epoch. Another machine gives slightly
different weights (float rounding differs between CPUs); the lesson's figures come from the shipped file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lstm_lessons.language_model import PRETRAINED_FILE, CharLSTM, bits_per_character, save_model, train_epoch  # noqa: E402
from lstm_lessons.text_data import Vocabulary, load_text, split_text  # noqa: E402


def whole_number(low: int, high: int | None = None):
    """An argparse type: a whole number from ``low`` to ``high`` (no upper end when None)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"of {low} or more"
            raise argparse.ArgumentTypeError(f"expected a whole number {span}, got {text!r}")
        return value

    return parse


positive_int = whole_number(1)
seed_value = whole_number(0, 2**64 - 1)  # what torch.manual_seed takes


def positive_float(text: str) -> float:
    """An argparse type: a finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number above 0, such as 3e-3, got {text!r}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options, checked before any training: sizes of 1 or more, a folder for --out that exists."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=positive_int, default=20)
    parser.add_argument("--hidden-size", type=positive_int, default=256)
    parser.add_argument("--embed-size", type=positive_int, default=32)
    parser.add_argument("--num-layers", type=positive_int, default=1)
    parser.add_argument("--batch-size", type=positive_int, default=32)
    parser.add_argument("--seq-len", type=positive_int, default=64)
    parser.add_argument("--lr", type=positive_float, default=3e-3)
    parser.add_argument("--seed", type=seed_value, default=0)
    parser.add_argument("--out", type=Path, default=Path("char_lstm.pt"),
                        help=f"where to save (default: char_lstm.pt here; the shipped file is {PRETRAINED_FILE})")
    args = parser.parse_args(argv)
    folder = args.out.resolve().parent
    if not folder.is_dir() or args.out.is_dir():
        parser.error(f"--out {args.out}: expected a file path in a folder that exists")
    try:  # the only test that is never wrong (read-only disks, /proc, root): make a file there
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        parser.error(f"--out {args.out}: the folder {folder} cannot be written to; choose another")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    text = load_text()
    train_text, val_text = split_text(text)
    vocab = Vocabulary.from_text(text)
    train_ids, val_ids = vocab.encode(train_text), vocab.encode(val_text)
    model = CharLSTM(vocab, args.embed_size, args.hidden_size, args.num_layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, [args.epochs * 2 // 3, args.epochs * 5 // 6], 0.5)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        train_bits = train_epoch(model, train_ids, optimizer, batch_size=args.batch_size, seq_len=args.seq_len)
        scheduler.step()
        val_bits = bits_per_character(model, val_ids)
        print(f"epoch {epoch:2d}  train {train_bits:.3f}  held-out {val_bits:.3f} bits/char  "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
    save_model(model, args.out)
    print(f"saved {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
