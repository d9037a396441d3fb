"""Command line: ``python -m lstm_lessons train [options]`` trains a model headless (lesson 05);
``python -m lstm_lessons student-copies OUTDIR`` writes the lessons for students (instructors).

    python -m lstm_lessons train --task digits --epochs 15 --output digits.png

Prints progress and a final summary; ``--output`` writes the loss-curve figure. A bad value
exits with code 2 and one line naming the flag.
"""

from __future__ import annotations

import argparse
import math
import os
import sys

from . import devices
from .tasks import TASKS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, exit code 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number such as 1e-3, got {text!r}") from None
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"expected a positive number such as 1e-3, got {text}")
    return value


def _png_path(text: str) -> str:
    folder = os.path.dirname(os.path.abspath(text))
    if not text.lower().endswith(".png"):
        raise argparse.ArgumentTypeError(f"expected a file name ending in .png, got {text!r}")
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"the folder {folder!r} does not exist: create it first")
    return text


def _device(text: str) -> str:
    try:
        devices.resolve_device(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lstm_lessons", description="The lstm-lessons course on the command line.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("train", help="train an LSTMClassifier on a task and report its curves",
                              description="Train an LSTMClassifier on one of the course's tasks, headless.")
    run.add_argument("--task", choices=sorted(TASKS), default="digits",
                     help="digits: handwritten digits row by row (real data); order: does A come before B "
                          "(needs memory); random: the seed's random labels (default: digits)")
    run.add_argument("--hidden-size", type=_positive_int, default=64, help="LSTM hidden size (default: 64)")
    run.add_argument("--num-layers", type=_positive_int, default=1, help="stacked LSTM layers (default: 1)")
    run.add_argument("--bidirectional", action="store_true", help="read each sequence in both directions")
    run.add_argument("--lr", type=_learning_rate, default=1e-2, help="Adam's learning rate (default: 0.01)")
    run.add_argument("--epochs", type=_positive_int, default=15, help="passes over the training set (default: 15)")
    run.add_argument("--batch-size", type=_positive_int, default=64, help="sequences per step (default: 64)")
    run.add_argument("--device", type=_device, default="auto",
                     help="auto, cpu, cuda, cuda:N or mps; auto picks the best present (default: auto)")
    run.add_argument("--seed", type=_non_negative_int, default=0, help="seed for data, weights, shuffling (default: 0)")
    run.add_argument("--output", metavar="FILE.png", type=_png_path,
                     help="write the loss and accuracy curves to this image")
    run.add_argument("--quiet", action="store_true", help="no progress bar, only the summary")
    copies = commands.add_parser("student-copies", help="write the lessons without solutions and outputs",
                                 description="Write every lesson for students: cells tagged solution or "
                                             "instructor removed, all outputs cleared.")
    copies.add_argument("outdir", help="the folder to write the copies to (created if missing)")
    copies.add_argument("--from", dest="source", default="notebooks",
                        help="the folder holding the lessons (default: notebooks)")
    copies.add_argument("--force", action="store_true", help="overwrite copies already in OUTDIR")
    return parser


def run_student_copies(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .student_copies import write_student_copies

    try:
        written = write_student_copies(Path(args.source), Path(args.outdir), force=args.force)
    except (FileExistsError, FileNotFoundError) as error:
        print(f"python -m lstm_lessons student-copies: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} student copies to {args.outdir}: " + ", ".join(p.name for p in written))
    return 0


def run_train(args: argparse.Namespace) -> int:
    import torch

    from .models import LSTMClassifier
    from .tasks import load_task
    from .threads import use_threads
    from .training import TrainingDiverged, train

    use_threads()  # 1 CPU thread unless LSTM_LESSONS_THREADS says otherwise: steady on a busy machine (lesson 00)
    task = load_task(args.task, seed=args.seed)
    torch.manual_seed(args.seed)
    model = LSTMClassifier(task.input_size, args.hidden_size, args.num_layers, task.num_classes,
                           bidirectional=args.bidirectional)
    print(f"task {task.name}: {task.description}; {len(task.train[1])} train / {len(task.val[1])} validation "
          f"sequences of {task.seq_len} steps; chance accuracy {task.chance_accuracy:.1%}")
    try:
        history = train(model, task.train, val_set=task.val, epochs=args.epochs, lr=args.lr,
                        batch_size=args.batch_size, device=args.device, seed=args.seed, progress=not args.quiet)
    except TrainingDiverged as error:
        print(f"stopped: {error}", file=sys.stderr)
        return 1
    history.settings["name"] = task.name
    print(history.summary())
    status = 130 if history.stopped == "interrupted" else 0  # Ctrl-C: the shell's code for an interrupt
    if args.output:
        import matplotlib

        matplotlib.use("Agg")
        history.plot(title=f"{task.name}: {history.label}").savefig(args.output, dpi=100)
        print(f"wrote {args.output}")
    return status


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "train":
        return run_train(args)
    return run_student_copies(args)


if __name__ == "__main__":
    sys.exit(main())
