"""The lessons-under-load benchmark never leaves its CPU-bound background processes running."""

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lessons_under_load", ROOT / "benchmarks" / "lessons_under_load.py")
lessons_under_load = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lessons_under_load)


def test_background_processes_run_inside_and_stop_on_ctrl_c():
    with pytest.raises(KeyboardInterrupt), lessons_under_load.cpu_load(2) as burners:
        assert len(burners) == 2 and all(b.poll() is None for b in burners)  # running
        raise KeyboardInterrupt
    assert all(b.poll() is not None for b in burners)


def test_background_processes_stop_when_the_benchmark_is_terminated(tmp_path):
    script = (f"import sys, time; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
              "from lessons_under_load import cpu_load\n"
              "with cpu_load(2) as burners:\n"
              "    print(*[b.pid for b in burners], flush=True); time.sleep(60)")
    benchmark = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in benchmark.stdout.readline().split()]
    benchmark.send_signal(signal.SIGTERM)
    assert benchmark.wait(timeout=30) == 128 + signal.SIGTERM
    time.sleep(0.5)
    for pid in pids:  # gone: killed and reaped by the benchmark
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


@pytest.mark.parametrize("repeat", ["0", "-3"])
def test_scratch_vs_fused_refuses_fewer_than_one_pass(repeat):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scratch_vs_fused.py"), "--repeat", repeat],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and f"expected at least 1 timed pass, got {repeat}" in run.stderr
    assert "Traceback" not in run.stderr
