"""Lesson 10: `python -m lstm_lessons train` under torchrun trains to the weights of one process."""

import subprocess
import sys

import pytest
import torch
import torch.distributed as dist

from lstm_lessons import distributed
from lstm_lessons.__main__ import main
from lstm_lessons.distributed import ProcessGroupError, World, check_gpus, device_for, local_batch_size
from lstm_lessons.distributed_demos import free_port, global_batches, half_batch_gradient, port_in_use, run_processes

# 64 sequences, global batch 24: 2 steps an epoch and 16 left over; 12 per process, 32 per process's share
SMALL = ["--task", "random", "--epochs", "3", "--batch-size", "24", "--hidden-size", "8", "--quiet", "--seed", "3"]


def _train(tmp_path, processes):
    saved = tmp_path / f"{processes or 0}.pt"
    launcher = [] if processes is None else ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node",
                                             str(processes)]
    run = subprocess.run([sys.executable, *launcher, "-m", "lstm_lessons", "train", *SMALL, "--save", str(saved)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return run, torch.load(saved, weights_only=True)


def test_two_processes_under_torchrun_train_to_the_weights_of_one(tmp_path):
    one_run, one = _train(tmp_path, None)
    two_run, two = _train(tmp_path, 2)
    assert list(one) == list(two) and len(one) > 0
    for name in one:
        torch.testing.assert_close(two[name], one[name], rtol=0, atol=1e-5, msg=name)
    assert not all(torch.equal(one[name], torch.zeros_like(one[name])) for name in one)
    for run in (one_run, two_run):  # rank 0 alone reports: one task line, one summary, one file written
        assert run.stdout.count("task random") == 1 and run.stdout.count("3 epochs") == 1
        assert run.stdout.count("wrote") == 1
    summary = [line.rsplit(",", 1)[0] for line in (one_run.stdout, two_run.stdout) for line in line.splitlines()
               if line.startswith("3 epochs")]
    assert summary[0] == summary[1]  # the same losses and accuracies (the seconds aside)


@pytest.mark.parametrize("n, batch_size, world_size", [(10, 4, 2), (11, 4, 2), (64, 24, 2), (64, 24, 3),
                                                       (64, 24, 4), (1438, 64, 4)])
def test_the_global_batches_do_not_depend_on_the_number_of_processes(n, batch_size, world_size):
    alone = global_batches(n, batch_size, 1, seed=5, epoch=2)
    shared = global_batches(n, batch_size, world_size, seed=5, epoch=2)
    assert shared == alone and len(alone) == n // batch_size
    used = sum(alone, [])
    assert all(len(batch) == batch_size for batch in alone) and len(set(used)) == len(used)  # full, no repeats


def test_each_epoch_shuffles_anew_and_leaves_different_samples_over():
    first, second = global_batches(64, 24, 2, epoch=1), global_batches(64, 24, 2, epoch=2)
    assert first != second
    assert set(range(64)) - set(sum(first, [])) != set(range(64)) - set(sum(second, []))


@pytest.mark.parametrize("batch_size, world_size, words", [(63, 2, "Try --batch-size 62 or 64"),
                                                           (64, 3, "Try --batch-size 63 or 66"),
                                                           (2, 3, "Try --batch-size 3 or 3"),
                                                           (100, 1, "more than the 64 training sequences")])
def test_a_global_batch_that_cannot_be_shared_says_what_to_try(batch_size, world_size, words):
    with pytest.raises(ValueError, match=words):
        local_batch_size(batch_size, world_size, 64)


def test_the_local_batch_is_the_share_of_one_process():
    assert local_batch_size(64, 4, 1438) == 16 and local_batch_size(64, 1, 64) == 64


def test_more_processes_than_gpus_is_refused_with_what_to_do():
    check_gpus(2, 2)
    with pytest.raises(ValueError, match=r"2 processes on this machine but 1 GPU.*--nproc_per_node 1.*--device cpu"):
        check_gpus(2, 1)


def test_device_for_gives_each_process_its_own_gpu(monkeypatch):
    monkeypatch.setattr(distributed, "resolve_device", lambda name: torch.device(name))
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    world = World(rank=1, world_size=2, local_rank=1, local_world_size=2, launched=True)
    assert device_for(world, "cuda") == torch.device("cuda", 1)
    with pytest.raises(ValueError, match="names one GPU for 2 processes"):
        device_for(world, "cuda:1")
    with pytest.raises(ValueError, match="not on mps: use --device cpu"):
        device_for(world, "mps")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(ValueError, match="but 1 GPU"):
        device_for(world, "cuda")
    assert device_for(World(), "cuda:1") == torch.device("cuda", 1)  # alone: the device named


def test_the_world_comes_from_torchruns_environment():
    assert World.from_environment({}) == World() and not World().launched
    world = World.from_environment({"RANK": "1", "WORLD_SIZE": "2", "MASTER_ADDR": "10.0.0.5", "MASTER_PORT": "29400",
                                    "LOCAL_RANK": "0", "LOCAL_WORLD_SIZE": "1"})
    assert (world.rank, world.world_size, world.local_rank, world.local_world_size) == (1, 2, 0, 1)
    assert world.launched and not world.is_main and world.master_addr == "10.0.0.5"


@pytest.mark.parametrize("env, words", [
    ({"RANK": "0", "WORLD_SIZE": "2"}, "RANK, WORLD_SIZE set but MASTER_ADDR, MASTER_PORT not"),
    ({"RANK": "2", "WORLD_SIZE": "2", "MASTER_ADDR": "x", "MASTER_PORT": "1"}, "ranks go from 0 to WORLD_SIZE - 1"),
    ({"RANK": "0", "WORLD_SIZE": "two", "MASTER_ADDR": "x", "MASTER_PORT": "1"}, "WORLD_SIZE='two'"),
])
def test_a_half_set_environment_is_refused_with_what_to_do(env, words):
    with pytest.raises(ValueError, match=words):
        World.from_environment(env)


def test_a_process_group_that_cannot_start_says_why_and_leaves_nothing_behind():
    world = World(rank=0, world_size=2, master_port=free_port(), launched=True)
    words = r"could not start: process 0 of 2 at 127.0.0.1:\d+ \(Timed out.* Start all 2 processes"
    with pytest.raises(ProcessGroupError, match=words):
        with distributed.process_group(world, torch.device("cpu"), timeout=1):
            pass
    assert not dist.is_initialized()


def test_a_port_another_program_has_is_refused_at_once():
    with port_in_use(free_port()) as port, pytest.raises(ProcessGroupError, match="EADDRINUSE.*a port no other"):
        with distributed.process_group(World(world_size=2, master_port=port, launched=True), torch.device("cpu")):
            pass
    assert not dist.is_initialized()


def test_the_all_reduce_demo_averages_two_halves_into_the_whole_batchs_gradient():
    (rank0, own0, mean0), (rank1, own1, mean1) = run_processes(half_batch_gradient, world_size=2)
    torch.manual_seed(0)
    model, x, y = torch.nn.Linear(3, 1), torch.randn(8, 3), torch.randn(8, 1)
    torch.nn.functional.mse_loss(model(x), y).backward()
    assert (rank0, rank1) == (0, 1) and own0 != own1 and mean0 == mean1
    torch.testing.assert_close(torch.tensor(mean0), model.weight.grad)


def test_a_global_batch_that_does_not_divide_stops_before_the_group_forms(monkeypatch, capsys):
    monkeypatch.setenv("RANK", "0")
    for name, value in [("WORLD_SIZE", "2"), ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", str(free_port()))]:
        monkeypatch.setenv(name, value)
    assert main(["train", "--task", "random", "--batch-size", "63", "--quiet"]) == 2
    error = capsys.readouterr().err
    assert "error: --batch-size 63 is the global batch, shared by 2 processes" in error and not dist.is_initialized()


def test_rank_1_keeps_quiet_about_an_error_rank_0_reports(monkeypatch, capsys):
    for name, value in [("RANK", "1"), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", "1")]:
        monkeypatch.setenv(name, value)
    assert main(["train", "--task", "random", "--batch-size", "63", "--quiet"]) == 2
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name, words", [("model.png", "ending in .pt"), ("no/such/dir/m.pt", "does not exist")])
def test_save_refuses_a_path_it_could_not_write(name, words, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["train", "--save", name])
    assert stop.value.code == 2 and words in capsys.readouterr().err


def test_train_with_a_sampler_sets_each_epoch_and_trains_on_full_batches_only():
    from lstm_lessons import LSTMClassifier, train
    from lstm_lessons.tasks import random_labels_task

    class Recording(torch.utils.data.SequentialSampler):
        epochs = []

        def set_epoch(self, epoch):
            self.epochs.append(epoch)

    task, seen = random_labels_task(), []
    sampler = Recording(range(64))
    combine = lambda loss, accuracy, count: (seen.append(count), (loss, accuracy, count))[1]  # noqa: E731
    torch.manual_seed(0)
    train(LSTMClassifier(10, 4, 1, 2), task.train, epochs=3, lr=1e-2, batch_size=24, sampler=sampler,
          combine=combine, progress=False, device="cpu")
    assert Recording.epochs == [1, 2, 3] and seen == [48, 48, 48]  # 2 full batches of 24; 16 wait


@pytest.mark.parametrize("language", ["en", "zh"])
def test_launched_finds_the_summary_and_its_seconds_in_either_language(language):
    from lstm_lessons import i18n
    from lstm_lessons.distributed_demos import Launched
    try:
        i18n.set_language(language)
        head = i18n._("{epochs} epochs").format(epochs=2) + ", "
        line = head + i18n._("{seconds:.1f} s on {device}").format(seconds=12.3, device="cpu")
        run = Launched("shown", 0, f"task line\n{line}\nwrote one.pt\n", "", 20.0)
        assert run.training_seconds == 12.3
        assert run.summaries == [head]
        assert Launched("shown", 0, "task line\n", "", 1.0).training_seconds is None
    finally:
        i18n.set_language("en")


def _torchrun_environment(monkeypatch, rank, world_size):
    for name, value in [("RANK", str(rank)), ("WORLD_SIZE", str(world_size)), ("MASTER_ADDR", "127.0.0.1"),
                        ("MASTER_PORT", str(free_port())), ("LOCAL_RANK", str(rank)),
                        ("LOCAL_WORLD_SIZE", str(world_size))]:
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("rank, said", [(0, 1), (1, 0)])
def test_a_bad_flag_under_torchrun_is_said_once_by_rank_0(rank, said, monkeypatch, capsys):
    _torchrun_environment(monkeypatch, rank, 2)
    with pytest.raises(SystemExit) as stop:
        main(["train", "--epochs", "ten"])
    assert stop.value.code == 2 and capsys.readouterr().err.count("argument --epochs") == said


def _interrupted_in_epoch(monkeypatch, epoch):
    from lstm_lessons import training
    real, calls = training._train_one_epoch, []

    def one_epoch(*args, **kwargs):
        calls.append(1)
        if len(calls) == epoch:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(training, "_train_one_epoch", one_epoch)


def test_ctrl_c_under_torchrun_is_said_once_for_a_terminal_and_writes_nothing(monkeypatch, capsys, tmp_path):
    _torchrun_environment(monkeypatch, 0, 1)  # a real gloo group, of one process
    _interrupted_in_epoch(monkeypatch, 2)
    saved, figure = tmp_path / "m.pt", tmp_path / "m.png"
    assert main(["train", *SMALL, "--save", str(saved), "--output", str(figure)]) == 130
    out, err = capsys.readouterr()
    assert "press stop" not in out + err and "3 epochs" not in out  # no notebook words, no summary
    assert err.splitlines() == ["python -m lstm_lessons train: interrupted under torchrun after 1 of 3 epochs: "
                                "every process stops, nothing written"]
    assert not saved.exists() and not figure.exists() and not dist.is_initialized()


def test_ctrl_c_under_torchrun_leaves_the_other_ranks_silent(monkeypatch, capsys):
    _torchrun_environment(monkeypatch, 1, 2)
    _interrupted_in_epoch(monkeypatch, 1)
    monkeypatch.setattr(distributed, "process_group", lambda world, device: __import__("contextlib").nullcontext())
    monkeypatch.setattr(distributed, "DistributedDataParallel", lambda model, device_ids: model)  # no group here
    assert main(["train", *SMALL]) == 130
    assert capsys.readouterr() == ("", "")


def test_averaged_halves_drift_from_whole_batches_a_little_more_every_epoch():
    from lstm_lessons import use_threads
    from lstm_lessons.distributed_demos import two_halves_drift
    from lstm_lessons.tasks import load_task
    use_threads()
    drift = two_halves_drift(load_task("digits", seed=0), hidden_size=16, epochs=6, batch_size=64)
    assert len(drift) == 6 and 0 < drift[0] < 1e-5  # equal to 1e-5 after a short run, not identical
    assert drift[-1] > 1.5 * drift[0]  # and further apart the longer it trains


def test_run_here_runs_the_command_in_a_folder_and_keeps_what_it_said(tmp_path):
    import os

    from lstm_lessons.distributed_demos import run_here
    before = os.getcwd()
    run = run_here([*SMALL, "--save", "here.pt"], cwd=str(tmp_path))
    assert run.returncode == 0 and (tmp_path / "here.pt").is_file() and os.getcwd() == before
    assert run.summaries == [line.rsplit(",", 1)[0] + ", " for line in run.stdout.splitlines()
                             if line.startswith("3 epochs")]
    refused = run_here(["--epochs", "ten"], cwd=str(tmp_path))
    assert refused.returncode == 2 and "argument --epochs" in refused.stderr and refused.stdout == ""
