import pytest
import torch

from lstm_lessons import available_devices, resolve_device
from lstm_lessons.devices import free_memory


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


@pytest.mark.parametrize("name, meant", [("gpu", "cuda"), ("GPU:1", "cuda:1"), ("cdua", "cuda"), ("cpuu", "cpu"),
                                         ("tpu", None), ("cuda0", "cuda")])
def test_a_typo_gets_a_guess_and_examples_of_real_names(name, meant):
    with pytest.raises(ValueError, match="unknown device") as info:
        resolve_device(name)
    message = str(info.value)
    assert ("did you mean" not in message) if meant is None else (f"(did you mean '{meant}'?)" in message)
    assert "such as 'cpu', 'cuda', 'cuda:1', 'mps'" in message


@pytest.mark.parametrize("name", [None, 0, 1.5])
def test_non_strings_are_refused(name):
    with pytest.raises(ValueError, match="device must be a string"):
        resolve_device(name)


@pytest.mark.parametrize("name", ["cpu:0", "CPU:0", " cpu ", torch.device("cpu", 0)])
def test_cpu_0_is_the_cpu(no_gpu, name):
    assert resolve_device(name) == torch.device("cpu")  # what CPU tensors report, so comparisons hold
    assert torch.zeros(1, device=resolve_device(name)).device == resolve_device(name)


def test_a_cpu_index_other_than_0_is_refused(no_gpu):
    with pytest.raises(ValueError, match=r"'cpu:1' is not available on this machine, which has \['cpu'\]"):
        resolve_device("cpu:1")


@pytest.mark.parametrize("name", ["xpu", "xpu:0", "mps:1", "cuda:-1"])
def test_other_device_strings_torch_accepts_are_checked_against_the_machine(no_gpu, name):
    with pytest.raises(ValueError, match=r"(not available on this machine|unknown device).*Try device='auto'"):
        resolve_device(name)


def test_a_backend_the_machine_has_is_accepted(no_gpu, monkeypatch):
    monkeypatch.setattr(torch.xpu, "is_available", lambda: True)
    monkeypatch.setattr(torch.xpu, "device_count", lambda: 1)
    assert resolve_device("xpu:0") == torch.device("xpu:0")
    with pytest.raises(ValueError, match="xpu:1"):
        resolve_device("xpu:1")


def test_meta_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="holds shapes but no numbers"):
        resolve_device("meta")


def test_free_memory_of_the_cpu_is_known_and_plausible():
    free = free_memory(torch.device("cpu"))
    assert free is None or 2**26 < free < 2**50  # 64 MiB .. 1 PiB


@pytest.mark.parametrize("typo, guess", [("gpu", "'cuda'"), ("gpus", "'cuda'"), ("gpu0", "'cuda:0'"),
                                         ("gpu:1", "'cuda:1'"), ("gpu:abc", "'cuda'")])
def test_a_gpu_typo_is_answered_with_a_real_device_name(typo, guess):
    with pytest.raises(ValueError, match=f"did you mean {guess}"):
        resolve_device(typo)
