import pytest
import torch

from lstm_lessons import make_seed_data


def test_default_is_the_seeds_batch():
    x, y = make_seed_data()
    assert x.shape == (64, 5, 10) and x.dtype == torch.float32
    assert y.shape == (64,) and y.dtype == torch.int64
    assert set(y.unique().tolist()) <= {0, 1}


def test_same_values_as_the_seed_program_after_manual_seed():
    torch.manual_seed(7)
    x_ref = torch.randn(64, 5, 10)
    y_ref = torch.randint(0, 2, (64,))
    x, y = make_seed_data(seed=7)
    assert torch.equal(x, x_ref) and torch.equal(y, y_ref)


def test_reproducible_and_seed_dependent():
    a, b, c = make_seed_data(seed=1), make_seed_data(seed=1), make_seed_data(seed=2)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


def test_leaves_the_global_random_state_alone():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    make_seed_data(seed=5)
    assert torch.equal(torch.rand(3), expected)


def test_sizes_and_classes_are_arguments():
    x, y = make_seed_data(batch_size=8, seq_len=3, input_size=12, num_classes=4, seed=3)
    assert x.shape == (8, 3, 12) and y.shape == (8,)
    assert y.min() >= 0 and y.max() < 4


@pytest.mark.parametrize("kwargs, name", [
    (dict(batch_size=0), "batch_size"), (dict(seq_len=-1), "seq_len"), (dict(input_size=2.0), "input_size"),
    (dict(num_classes=1), "num_classes"), (dict(seed=-3), "seed"),
])
def test_bad_arguments_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        make_seed_data(**kwargs)
