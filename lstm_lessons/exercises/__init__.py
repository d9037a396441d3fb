"""Checks for the lessons' exercises: a student's answer in, feedback with a hint out.

Every ``check_*`` prints one message and returns a :class:`Feedback`:

* the answer is right -> ``correct``, with what it shows;
* it is wrong -> ``wrong``, naming the difference and a likely cause;
* it is still ``None`` or ``...`` -> ``unattempted``, a prompt (never a traceback).

The function names say the lesson: ``check_01_time_step`` belongs to lesson 01.
"""

from .feedback import Feedback
from .lesson_05 import check_05_learning_rate, check_05_loop_order, check_05_steps_per_epoch
from .lesson_06 import check_06_diverging_lr, check_06_overfitting, check_06_smallest_model
from .lesson_07 import check_07_batch_sizes, check_07_both_directions, check_07_sequence_mean
from .lesson_08 import check_08_sequence_loss, check_08_targets, check_08_unigram_bits
from .lesson_09 import check_09_mape, check_09_seasonal_naive, check_09_window_count
from .lesson_10 import check_10_global_batch, check_10_padding, check_10_steps_per_epoch
from .lessons_00_02 import (
    check_00_batch_size,
    check_00_model_calls,
    check_00_num_values,
    check_01_labels,
    check_01_make_batch,
    check_01_time_step,
    check_02_backward_final,
    check_02_h_n_shape,
    check_02_second_layer_forward,
)
from .lessons_03_04 import (
    check_03_forget_gate,
    check_03_parameter_count,
    check_03_weight_shape,
    check_04_binary_loss,
    check_04_classifier_parameters,
    check_04_squeeze_shape,
)

__all__ = [
    "Feedback",
    "check_00_batch_size",
    "check_00_model_calls",
    "check_00_num_values",
    "check_01_time_step",
    "check_01_make_batch",
    "check_01_labels",
    "check_02_h_n_shape",
    "check_02_backward_final",
    "check_02_second_layer_forward",
    "check_03_parameter_count",
    "check_03_forget_gate",
    "check_03_weight_shape",
    "check_04_classifier_parameters",
    "check_04_binary_loss",
    "check_04_squeeze_shape",
    "check_05_steps_per_epoch",
    "check_05_loop_order",
    "check_05_learning_rate",
    "check_06_diverging_lr",
    "check_06_overfitting",
    "check_06_smallest_model",
    "check_07_batch_sizes",
    "check_07_both_directions",
    "check_07_sequence_mean",
    "check_09_window_count",
    "check_09_seasonal_naive",
    "check_09_mape",
    "check_10_steps_per_epoch",
    "check_10_padding",
    "check_10_global_batch",
    "check_08_targets",
    "check_08_sequence_loss",
    "check_08_unigram_bits",
]
