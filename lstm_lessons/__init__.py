"""lstm_lessons: the code behind the lstm-lessons course (notebooks/ in the repository).

Importing the package costs little beyond ``import torch``: the parts that need matplotlib
(``lstm_lessons.plots``) or ipywidgets (``lstm_lessons.widgets``) are imported only when a
lesson asks for them.
"""

from . import exercises
from .data import make_seed_data
from .devices import available_devices, resolve_device
from .i18n import set_language
from .models import LSTMClassifier, MeanPoolClassifier, SeedLSTM
from .scratch import ScratchLSTM, ScratchLSTMCell, lstm_cell
from .seed_program import run_seed_program, seed_program_path, seed_program_source
from .shapes import count_parameters, lstm_parameter_count, lstm_shapes, measure_lstm_shapes
from .tasks import Task, load_task
from .threads import use_threads
from .training import History, TrainingDiverged, shuffling_generator, train

__version__ = "0.1.0"

__all__ = [
    "History",
    "LSTMClassifier",
    "MeanPoolClassifier",
    "Task",
    "TrainingDiverged",
    "load_task",
    "train",
    "shuffling_generator",
    "ScratchLSTM",
    "ScratchLSTMCell",
    "SeedLSTM",
    "count_parameters",
    "lstm_cell",
    "lstm_parameter_count",
    "available_devices",
    "exercises",
    "lstm_shapes",
    "make_seed_data",
    "measure_lstm_shapes",
    "resolve_device",
    "run_seed_program",
    "seed_program_path",
    "seed_program_source",
    "set_language",
    "use_threads",
]
