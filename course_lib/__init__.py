"""Reference library of the course *Recurrent Neural Networks, from a NumPy loop
to Keras, PyTorch and TF1-style dynamic RNNs*.

Modules (imported on demand, so that ``import course_lib`` stays light and never
imports a deep-learning framework):

- :mod:`course_lib.numpy_rnn`, :mod:`course_lib.numpy_lstm`, :mod:`course_lib.numpy_gru`:
  NumPy forward and backward passes in PyTorch's weight convention.
- :mod:`course_lib.convert`: weights to and from ``torch.nn`` and Keras layers.
- :mod:`course_lib.data`: finding, verifying and reading the data sets.
- :mod:`course_lib.charmodel`: the NumPy character-level language model.
- :mod:`course_lib.config`: smoke mode, seeds, hardware description.
- :mod:`course_lib.results`: machine-readable results of the training runs.
"""

__version__ = "0.1.0"
