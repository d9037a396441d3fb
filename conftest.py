"""Loaded by every pytest run in this repository -- the unit tests and `pytest notebooks/` alike.

The English notebooks are checked in English: a student whose machine runs ``LANG=zh_CN.UTF-8``
would otherwise get the package's messages in Chinese and fail nbval's comparison with the saved
English outputs. The kernels nbval starts inherit this variable; the Chinese notebooks choose
their language themselves (``set_language("zh")`` in their first cell), so they are unaffected.
"""

import os

os.environ["LSTM_LESSONS_LANG"] = "en"
