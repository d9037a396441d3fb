"""Command line: ``python -m lstm_lessons train [options]`` trains a model headless (lesson 05);
``python -m lstm_lessons student-copies OUTDIR`` writes the lessons for students, and
``python -m lstm_lessons slides 06 OUTDIR`` a lesson's slide deck that works offline (instructors).

    python -m lstm_lessons train --task digits --epochs 15 --output digits.png

Prints progress and a final summary; ``--output`` writes the loss-curve figure, ``--save`` the trained
``state_dict``. A bad value exits with code 2 and one line naming the flag. The same command runs on N
processes under ``torchrun --standalone --nproc_per_node N -m lstm_lessons train ...`` (lesson 10,
:mod:`lstm_lessons.distributed`).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys

from . import devices
from .distributed import only_on_rank_0
from .i18n import N_, _
from .tasks import TASKS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, exit code 2
        if os.environ.get("RANK", "0") != "0":  # under torchrun every process parses the same flags: rank 0 says it
            self.exit(2)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message) + "\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected a positive whole number, got {text!r}").format(
            text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("expected a positive whole number, got {value}").format(value=value))
    return value


MAX_SEED = 2**32 - 1  # the range every seeded generator the course uses accepts (numpy's too)


def _seed(text: str) -> int:
    try:
        value = int(text, 10) if text.strip().isascii() else None
    except ValueError:
        value = None
    if value is None or not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(_("expected a whole number from 0 to {MAX_SEED}, got {text!r}").format(
            MAX_SEED=MAX_SEED, text=text))
    return value


def _at_most(limit: int, unit: str, why: str):
    """An argparse type: a positive whole number up to ``limit`` (a larger one is a typo, or a run for days)."""
    def parse(text: str) -> int:
        value = _positive_int(text)
        if value > limit:
            raise argparse.ArgumentTypeError(_("expected at most {limit} {unit} ({why}), got {value}").format(
                limit=limit, unit=_(unit), why=_(why), value=value))
        return value

    return parse


MAX_EPOCHS = 10_000
MAX_LAYERS = 100  # a stack this deep builds in about 0.1 s
_epochs = _at_most(MAX_EPOCHS, N_("epochs"), N_("the lessons use 3 to 50"))
_num_layers = _at_most(MAX_LAYERS, N_("layers"), N_("the course uses 1 to 4; deeper LSTM stacks barely train"))


MAX_LR = 100.0  # Adam moves each weight by up to about lr a step: far beyond this every run diverges


def _learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected a positive number such as 1e-3, got {text!r}").format(
            text=text)) from None
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(_("expected a positive number such as 1e-3, got {text}").format(text=text))
    if value > MAX_LR:
        raise argparse.ArgumentTypeError(_("expected a learning rate of at most {MAX_LR:g} (Adam's usual ones are "
                                         "1e-4 to 1e-1; each step moves a weight by up to lr), got {text}").format(
                                             MAX_LR=MAX_LR, text=text))
    return value


def _writable_file(text: str, suffixes: tuple[str, ...], example: str) -> str:
    """``text`` if it names a file ending in one of ``suffixes`` that can be written: its folder exists, it is
    not a folder, and a file can be made there; else an ``ArgumentTypeError`` saying which."""
    if not text.lower().endswith(suffixes):
        raise argparse.ArgumentTypeError(_("expected a file name ending in {suffix}, got {text!r}").format(
            suffix=suffixes[0], text=text))
    folder = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(_("the folder {folder!r} does not exist: create it first").format(
            folder=folder))
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(_("{text!r} is a folder: give a file name such as {example}").format(
            text=text, example=os.path.join(text, example)))
    existed = os.path.exists(text)
    try:  # the only test that is never wrong (read-only disks, root, network drives): try it
        with open(text, "ab" if existed else "xb"):
            pass
    except OSError as error:
        raise argparse.ArgumentTypeError(_("cannot write {text!r} ({strerror}): choose another place").format(
            text=text, strerror=error.strerror)) from None
    if not existed:
        os.remove(text)
    return text


def _png_path(text: str) -> str:
    """A .png path that can be written (the figure of ``--output``)."""
    return _writable_file(text, (".png",), "curves.png")


def _pt_path(text: str) -> str:
    """A .pt or .pth path that can be written (the weights of ``--save``)."""
    return _writable_file(text, (".pt", ".pth"), "model.pt")


def _device(text: str) -> str:
    try:
        devices.resolve_device(text)
    except ValueError as error:
        message = re.sub(r"device='([^']*)'", r"--device \1", str(error))  # the flag, not train()'s argument
        raise argparse.ArgumentTypeError(message.replace(" or 'cpu'", " or --device cpu")) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lstm_lessons", description=_("The lstm-lessons course on the command line."))
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("train", help=_("train an LSTMClassifier on a task and report its curves"),
                              description=_("Train an LSTMClassifier on one of the course's tasks, headless."))
    run.add_argument("--task", choices=sorted(TASKS), default="digits",
                     help=_("digits: handwritten digits row by row (real data); order: does A come before B "
                          "(needs memory); random: the tutorial's random labels; vowels: who said /ae/, "
                          "sequences of different lengths (default: digits)"))
    run.add_argument("--hidden-size", type=_positive_int, default=64, help=_("LSTM hidden size (default: 64)"))
    run.add_argument("--num-layers", type=_num_layers, default=1,
                     help=_("stacked LSTM layers, at most {MAX_LAYERS} (default: 1)").format(MAX_LAYERS=MAX_LAYERS))
    run.add_argument("--bidirectional", action="store_true", help=_("read each sequence in both directions"))
    run.add_argument("--lr", type=_learning_rate, default=1e-2, help=_("Adam's learning rate (default: 0.01)"))
    run.add_argument("--epochs", type=_epochs, default=15,
                     help=_("passes over the training set, at most {MAX_EPOCHS} (default: 15)").format(
                         MAX_EPOCHS=MAX_EPOCHS))
    run.add_argument("--batch-size", type=_positive_int, default=64,
                     help=_("sequences per step, shared by all processes under torchrun; each epoch trains on full "
                            "batches only (default: 64)"))
    run.add_argument("--device", type=_device, default="auto",
                     help=_("auto, cpu, cuda, cuda:N or mps; auto picks the best present (default: auto)"))
    run.add_argument("--seed", type=_seed, default=0,
                     help=_("seed for data, weights, shuffling: 0 to {MAX_SEED} (default: 0)").format(
                         MAX_SEED=MAX_SEED))
    run.add_argument("--output", metavar="FILE.png", type=only_on_rank_0(_png_path),
                     help=_("write the loss and accuracy curves to this image"))
    run.add_argument("--quiet", action="store_true", help=_("no progress bar, only the summary"))
    run.add_argument("--save", metavar="FILE.pt", type=only_on_rank_0(_pt_path),
                     help=_("write the trained model's state_dict to this file; torch.load(FILE, weights_only=True) "
                            "reads it (lesson 10)"))
    copies = commands.add_parser("student-copies", help=_("write the lessons without solutions and outputs"),
                                 description=_("Write every lesson for students: cells tagged solution or "
                                             "instructor removed, all outputs cleared."))
    copies.add_argument("outdir", help=_("the folder to write the copies to (created if missing)"))
    copies.add_argument("--from", dest="source", default="notebooks",
                        help=_("the folder holding the lessons (default: notebooks)"))
    copies.add_argument("--force", action="store_true", help=_("overwrite copies already in OUTDIR"))
    slides = commands.add_parser("slides", help=_("write a lesson as a slide deck that works offline"),
                                 description=_("Write a lesson's saved notebook as a reveal.js deck with every "
                                             "script it needs beside it: it opens with no network. A snapshot: "
                                             "saved outputs and widgets are shown, but no kernel runs behind them."))
    slides.add_argument("lesson", help=_("a lesson number (06), all, or a notebook file"))
    slides.add_argument("outdir", help=_("the folder to write the deck to (created if missing)"))
    slides.add_argument("--from", dest="source", default="notebooks",
                        help=_("the folder holding the lessons (default: notebooks)"))
    slides.add_argument("--force", action="store_true", help=_("overwrite decks already in OUTDIR"))
    return parser


def run_slides(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .slides import SlidesError, write_offline_deck

    try:
        written = write_offline_deck(args.lesson, args.outdir, notebooks=Path(args.source), force=args.force)
    except SlidesError as error:
        print(_("python -m lstm_lessons slides: error: {error}").format(error=error), file=sys.stderr)
        return 2
    for path in written:
        print(_("wrote {path}").format(path=path))
    print(_("open it in a browser; no network needed"))
    return 0


def run_student_copies(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .student_copies import write_student_copies

    try:
        written = write_student_copies(Path(args.source), Path(args.outdir), force=args.force)
    except (FileExistsError, FileNotFoundError, NotADirectoryError, ValueError) as error:
        print(_("python -m lstm_lessons student-copies: error: {error}").format(error=error), file=sys.stderr)
        return 2
    except OSError as error:  # a disk full, a folder without write permission: one line, not a traceback
        print(_("python -m lstm_lessons student-copies: error: cannot write {path} "
              "({strerror})").format(path=error.filename or args.outdir, strerror=error.strerror), file=sys.stderr)
        return 2
    print(_("wrote {count} student copies to {outdir}: ").format(
        count=len(written), outdir=args.outdir) + ", ".join(p.name for p in written))
    return 0


def _does_not_fit(args: argparse.Namespace, task) -> str | None:
    """Why this device cannot hold the training of the model ``args`` ask for, or ``None`` if it can."""
    from .models import training_bytes

    device = devices.resolve_device(args.device)
    free = devices.free_memory(device)
    batch = min(args.batch_size, len(task.train[1]))

    def needs(hidden: int) -> int:
        return training_bytes(task.input_size, hidden, args.num_layers, task.num_classes,
                              bidirectional=args.bidirectional, batch_size=batch, seq_len=task.seq_len)

    if free is None or needs(args.hidden_size) <= free:
        return None
    fits = [2**k for k in range(1, 31) if needs(2**k) <= free]
    flag, advice = ("--hidden-size", _("try --hidden-size {fits} or less").format(fits=fits[-1])) if fits else \
        ("--num-layers", _("try fewer layers"))
    return _("argument {flag}: training hidden size {hidden_size} x {num_layers} layer(s) needs "
             "about {needed} (weights, gradients, Adam's state, activations), "
             "but {device} has {free} free: {advice}").format(
        flag=flag, hidden_size=args.hidden_size, num_layers=args.num_layers, needed=_gib(needs(args.hidden_size)),
        device=device, free=_gib(free), advice=advice)


def _gib(n: int) -> str:
    return f"{n / 2**30:,.1f} GiB" if n < 2**40 else f"{n / 2**40:,.1f} TiB"


def run_train(args: argparse.Namespace) -> int:
    import torch

    from .distributed import ProcessGroupError, process_group, save_state_dict, train_sharded
    from .models import LSTMClassifier
    from .tasks import load_task
    from .threads import use_threads
    from .training import TrainingDiverged

    use_threads()  # 1 CPU thread unless LSTM_LESSONS_THREADS says otherwise: steady on a busy machine (lesson 00)
    task = load_task(args.task, seed=args.seed)
    world, device, problem = _world(args, len(task.train[1]))  # under torchrun: this process's place (lesson 10)
    problem = _does_not_fit(args, task) or problem
    if problem:  # like argparse's own errors: one line, code 2, before anything is built
        if world is None or world.is_main:  # the same error in every process: said once
            print(_("python -m lstm_lessons train: error: {problem}").format(problem=problem), file=sys.stderr)
        return 2
    torch.manual_seed(args.seed)
    model = LSTMClassifier(task.input_size, args.hidden_size, args.num_layers, task.num_classes,
                           bidirectional=args.bidirectional)
    if world.is_main:
        if isinstance(task.train[0], list):  # sequences of different lengths (lesson 07)
            line = _("task {name}: {description}; {n_train} train / {n_val} validation "
                     "sequences of up to {seq_len} steps; chance accuracy {chance_accuracy:.1%}")
        else:
            line = _("task {name}: {description}; {n_train} train / {n_val} validation "
                     "sequences of {seq_len} steps; chance accuracy {chance_accuracy:.1%}")
        print(line.format(name=task.name, description=task.description, n_train=len(task.train[1]),
                          n_val=len(task.val[1]), seq_len=task.seq_len, chance_accuracy=task.chance_accuracy),
              flush=True)
    try:
        with process_group(world, device), _notebook_words_kept(world):
            history = train_sharded(model, task, world, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                                    device=device, seed=args.seed, progress=not args.quiet)
    except TrainingDiverged as error:
        if world.is_main:
            print(_("stopped: {error}").format(error=error), file=sys.stderr)
        return 1
    except ProcessGroupError as error:
        print(_("python -m lstm_lessons train: error: {problem}").format(problem=error), file=sys.stderr)
        return 1
    if world.launched and history.stopped == "interrupted":  # Ctrl-C reached torchrun, which stops every process
        if world.is_main:
            print(_("python -m lstm_lessons train: interrupted under torchrun after {finished} of {epochs} epochs: "
                    "every process stops, nothing written").format(
                finished=history.epochs, epochs=args.epochs), file=sys.stderr)
        return 130
    if not world.is_main:  # rank 0 alone reports and writes files
        return 0
    history.settings["name"] = task.name
    print(history.summary())
    status = 130 if history.stopped == "interrupted" else 0  # Ctrl-C: the shell's code for an interrupt
    if args.output and not history.epochs:
        print(_("interrupted before the first epoch ended: no curve to draw, {output} not written").format(
            output=args.output), file=sys.stderr)
    elif args.output:
        import matplotlib

        matplotlib.use("Agg")
        history.plot(title=f"{task.name}: {history.label}").savefig(args.output, dpi=100)
        print(_("wrote {path}").format(path=args.output))
    if args.save:
        save_state_dict(model, args.save)
        print(_("wrote {path}: the trained state_dict").format(path=args.save))
    return status


def _notebook_words_kept(world):
    """Under torchrun, what ``train()`` prints (on Ctrl-C, words for a notebook's stop button, in every
    process) is kept back: :func:`run_train` says it once, for a terminal."""
    import contextlib
    import io

    return contextlib.redirect_stdout(io.StringIO()) if world.launched else contextlib.nullcontext()


def _world(args: argparse.Namespace, n_train: int):
    """(this process's World, its device, None) -- or (World or None, None, why the setup cannot work)."""
    from .distributed import World, device_for, local_batch_size

    world = None
    try:
        world = World.from_environment()
        local_batch_size(args.batch_size, world.world_size, n_train)
        return world, device_for(world, args.device), None
    except ValueError as error:
        return world, None, str(error)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "train":
            return run_train(args)
        if args.command == "slides":
            return run_slides(args)
        return run_student_copies(args)
    except KeyboardInterrupt:  # Ctrl-C outside training (loading, building): no traceback, nothing written
        print(_("{prog} {command}: interrupted, nothing written").format(
            prog=parser.prog, command=args.command), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
