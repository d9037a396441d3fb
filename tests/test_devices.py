import pytest
import torch

from lstm_lessons import available_devices, resolve_device


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)


@pytest.fixture
def two_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)


def test_cpu_is_always_listed_last():
    assert available_devices()[-1] == "cpu"


def test_auto_picks_the_first_listed_device():
    assert resolve_device("auto") == torch.device(available_devices()[0])


def test_cpu_machine(no_gpu):
    assert available_devices() == ["cpu"]
    assert resolve_device() == torch.device("cpu")
    assert resolve_device("CPU") == torch.device("cpu")
    assert resolve_device(torch.device("cpu")) == torch.device("cpu")


@pytest.mark.parametrize("name", ["cuda", "cuda:0", "mps"])
def test_absent_gpu_is_refused_with_what_the_machine_has(no_gpu, name):
    with pytest.raises(ValueError, match=rf"'{name}' is not available on this machine, which has \['cpu'\]"):
        resolve_device(name)


def test_one_gpu_is_listed_once(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert available_devices() == ["cuda", "cpu"]
    assert resolve_device("auto") == torch.device("cuda")
    assert resolve_device("cuda:0") == torch.device("cuda:0")
    with pytest.raises(ValueError, match="cuda:1"):
        resolve_device("cuda:1")


def test_gpu_machine_prefers_cuda(two_gpus):
    assert available_devices() == ["cuda:0", "cuda:1", "cpu"]
    assert resolve_device("auto") == torch.device("cuda")
    assert resolve_device("cuda") == torch.device("cuda")
    assert resolve_device("cuda:1") == torch.device("cuda:1")
    with pytest.raises(ValueError, match="cuda:2"):
        resolve_device("cuda:2")
    with pytest.raises(ValueError, match="cuda:x"):
        resolve_device("cuda:x")


def test_mps_comes_after_cuda_and_before_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert available_devices() == ["mps", "cpu"]
    assert resolve_device("auto") == torch.device("mps")


@pytest.mark.parametrize("name", ["tpu", "gpu", "", "cuda0"])
def test_unknown_names_list_the_choices(name):
    with pytest.raises(ValueError, match="unknown device") as info:
        resolve_device(name)
    assert "cpu" in str(info.value) and "auto" in str(info.value)


@pytest.mark.parametrize("name", [None, 0, 1.5])
def test_non_strings_are_refused(name):
    with pytest.raises(ValueError, match="device must be a string"):
        resolve_device(name)
