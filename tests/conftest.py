"""Shared by every test: PyTorch computes on one CPU thread (LSTM_LESSONS_THREADS to change it), so the
suite does not slow many-fold when other programs keep the cores busy (lstm_lessons/threads.py)."""

from lstm_lessons.threads import use_threads

use_threads()
