"""`make bench`: Code & Care against Rasa's default recipe, same data, same machine, one run.

For each configuration: train it, start the real action server and Rasa server, measure
cold start, closed-loop load at 1, 10 and 50 users, latency over a 400-turn conversation,
resident memory, then quality on the held-out NLU and conversation sets. Everything timed
runs on an otherwise idle machine; Code & Care's quality steps, which time nothing, run at
nice 19 while the default recipe trains. Writes bench/RESULTS.md and bench/latency.png.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp
import psutil

from bench.load import Run, closed_loop, long_conversation, turn
from bench.report import write_report
from codecare import launch
from tests.support.processes import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).with_name("rasa"))
USERS = (1, 10, 50)
LONG_TURNS = 400
LONG_BLOCKS = (1, 101, 201, 301, 391)  # real turns from each, 10 at a time


@dataclass
class Config:
    name: str
    label: str
    config: Path
    tracker_store: str  # "sqlite" or "memory"
    launcher: bool  # Code & Care's files, as `make run` starts it (codecare/launch.py); else Rasa's own channels


CONFIGS = (
    Config("codecare", "Code & Care", ROOT / "config.yml", "sqlite", True),
    Config("rasa-default", "Rasa default recipe", ROOT / "bench" / "default_recipe" / "config.yml", "memory", False),
)


@dataclass
class Result:
    config: Config
    train_s: float = 0.0
    cold_start_s: float = 0.0
    server_mb: float = 0.0
    actions_mb: float = 0.0
    loads: Dict[int, Run] = field(default_factory=dict)
    long: Dict[int, List[float]] = field(default_factory=dict)  # first turn of a block -> latencies
    nlu: Dict[str, float] = field(default_factory=dict)
    answers: Dict[str, Dict[str, str]] = field(default_factory=dict)
    overlap_cpu_s: float = 0.0  # CPU-seconds of other work that ran during this training


@dataclass
class Serving:
    """A configuration's running servers."""

    result: Result
    model: Path
    base: str
    procs: List[subprocess.Popen]
    api_token: str = field(default_factory=launch.new_token)


def env(work: Path, name: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "RASA_CACHE_DIRECTORY": str(work / f"cache-{name}")}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_http(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {seconds} s")


def spawn(args: List[str], log_path: Path, environment: dict, nice: bool = False) -> subprocess.Popen:
    """Start a process in the project folder, its stderr to `log_path` (at nice 19 if `nice`)."""
    with open(log_path, "w") as stderr:
        return subprocess.Popen(args, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=stderr,
                                preexec_fn=(lambda: os.nice(19)) if nice else None)


def rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


class Training:
    """`rasa train` from scratch in the background, timed to the moment the process exits.

    From scratch: Rasa's training cache from an earlier run would make it look instant.
    """

    def __init__(self, c: Config, work: Path) -> None:
        shutil.rmtree(work / f"cache-{c.name}", ignore_errors=True)
        self.config, self.log = c, work / f"train-{c.name}.log"
        self.model = work / "models" / f"{c.name}.tar.gz"
        self.started = time.perf_counter()
        self.proc = spawn([RASA, "train", "--config", str(c.config), "--domain", str(ROOT / "domain.yml"), "--data",
                           str(ROOT / "data"), "--out", str(work / "models"), "--fixed-model-name", c.name],
                          self.log, env(work, c.name))
        self._ended = 0.0
        self._waiter = threading.Thread(target=self._wait, daemon=True)
        self._waiter.start()

    def _wait(self) -> None:
        self.proc.wait()
        self._ended = time.perf_counter()

    def finish(self) -> Tuple[Path, float]:
        """The model and the training's wall time."""
        self._waiter.join()
        if self.proc.returncode:
            raise RuntimeError(f"{self.config.label}: training failed, see {self.log}")
        return self.model, self._ended - self.started


def endpoints(c: Config, work: Path, action_port: int) -> Path:
    action_url = f"http://127.0.0.1:{action_port}/webhook"
    if c.tracker_store == "sqlite":  # as `make run`: the root endpoints.yml, a new SQLite file in `work`
        database = work / f"{c.name}.db"
        for stale in (database, database.with_name(f"{database.name}-wal"), database.with_name(f"{database.name}-shm")):
            stale.unlink(missing_ok=True)  # an earlier run's conversations would make every run slower than the last
        return launch.endpoints_file(work, action_url, {"tracker_store": {"url": f"sqlite:///{database}"}},
                                     name=f"endpoints-{c.name}.yml")
    path = work / f"endpoints-{c.name}.yml"  # Rasa's in-memory stores
    path.write_text(f'action_endpoint:\n  url: "{action_url}"\n')
    return path


def credentials(c: Config, work: Path) -> Path:
    """Code & Care's channels, or Rasa's own REST channel for the default recipe."""
    if c.launcher:
        return launch.CREDENTIALS
    path = work / f"credentials-{c.name}.yml"
    path.write_text("rest:\n")
    return path


def start_actions(c: Config, work: Path) -> Tuple[subprocess.Popen, int]:
    """The real action server (the same code for both configurations), once it answers."""
    port = free_port()
    proc = spawn(launch.actions_command(port), work / f"actions-{c.name}.log", env(work, c.name))
    try:
        wait_http(f"http://127.0.0.1:{port}/health", proc)
    except BaseException:
        stop([proc])
        raise
    return proc, port


def serve(c: Config, work: Path, model: Path, train_s: float, actions: Tuple[subprocess.Popen, int]) -> Serving:
    """Start the Rasa server beside its running action server, timing its cold start."""
    result = Result(c, train_s=train_s)
    log(f"{c.label}: trained in {train_s:.0f} s")
    action_proc, action_port = actions
    port = free_port()
    serving = Serving(result, model, f"http://127.0.0.1:{port}", [action_proc])
    try:
        start = time.perf_counter()
        serving.procs.append(spawn(
            launch.rasa_command(model, port, endpoints(c, work, action_port), credentials(c, work),
                                api=True, auth_token=serving.api_token),
            work / f"rasa-{c.name}.log", env(work, c.name)))
        result.cold_start_s = asyncio.run(first_answer(serving.base, serving.procs[1])) - start
    except BaseException:
        stop(serving.procs, seconds=30)
        raise
    log(f"{c.label}: first answer {result.cold_start_s:.1f} s after start")
    return serving


def timing(s: Serving, load_seconds: float) -> None:
    """Everything timed, on an otherwise idle machine: load, a long conversation, memory."""
    result, label = s.result, s.result.config.label
    asyncio.run(closed_loop(s.base, 2, 3))  # warm-up
    for users in USERS:
        result.loads[users] = run = asyncio.run(closed_loop(s.base, users, load_seconds))
        log(f"{label}: {users} users {run.rate:.0f} msg/s p50 {run.p50:.0f} p95 {run.pct(.95):.0f} "
            f"p99 {run.pct(.99):.0f} ms, {run.errors} errors")
    result.long = asyncio.run(long_conversation(s.base, s.api_token, LONG_TURNS, LONG_BLOCKS))
    result.server_mb, result.actions_mb = rss_mb(s.procs[1].pid), rss_mb(s.procs[0].pid)
    log(f"{label}: memory server {result.server_mb:.0f} MB, actions {result.actions_mb:.0f} MB")


def quality(s: Serving, work: Path, nice: bool) -> float:
    """Nothing here is timed: the NLU hold-out test and the hold-out conversations run at
    once, at the lowest CPU priority when `nice` (the other configuration is training
    meanwhile). Returns the CPU-seconds they used, servers included."""
    result, name = s.result, s.result.config.name
    servers = [psutil.Process(p.pid) for p in s.procs]
    if nice:
        for process in servers:
            process.nice(19)
    before = sum(_cpu_s(p) for p in servers)
    nlu_out, graded = work / f"nlu-{name}", work / f"grade-{name}-holdout.json"
    steps = {
        "nlu": [RASA, "test", "nlu", "--model", str(s.model), "--nlu", str(ROOT / "tests" / "nlu" / "holdout.yml"),
                "--out", str(nlu_out)],
        "grade": [sys.executable, str(ROOT / "tests" / "e2e" / "grade.py"), s.base, s.api_token,
                  "--cases", str(ROOT / "tests" / "conversations" / "holdout.yml"), "--json", str(graded)],
    }
    with ThreadPoolExecutor(len(steps)) as pool:
        cpu = list(pool.map(lambda step: run_measured(steps[step], work / f"{step}-{name}.log", env(work, name), nice),
                            steps))
    used = sum(cpu) + sum(_cpu_s(p) for p in servers) - before
    result.nlu = nlu_scores(nlu_out)
    answers = json.loads(graded.read_text())
    result.answers["holdout"] = {"overall": f"{answers['passed']}/{answers['graded']}", **answers["by_category"]}
    log(f"{result.config.label}: NLU {result.nlu}; answers {result.answers}; "
        f"{used:.0f} CPU-s{' at nice 19' if nice else ''}")
    return used


def _cpu_s(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def run_measured(args: List[str], log_path: Path, environment: dict, nice: bool) -> float:
    """Run to completion (at nice 19 if `nice`); return the CPU seconds it and its children used."""
    proc = spawn(args, log_path, environment, nice)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args[:3])} failed (exit {proc.returncode}), see {log_path}")
    return usage.ru_utime + usage.ru_stime


def nlu_scores(out: Path) -> Dict[str, float]:
    intents = json.loads((out / "intent_report.json").read_text())
    entity: Dict[str, float] = {}
    for report in out.glob("*_report.json"):
        if report.name != "intent_report.json":
            data = json.loads(report.read_text())
            entity.update({k: v["f1-score"] for k, v in data.items() if k in ("role", "background")})
    return {"intent_f1": intents["weighted avg"]["f1-score"],
            "entity_f1": statistics.mean([entity.get("role", 0.0), entity.get("background", 0.0)])}


async def first_answer(base: str, proc: subprocess.Popen) -> float:
    """Poll with a real message until the server answers it; returns the time it did."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        while True:
            if proc.poll() is not None:
                raise RuntimeError("Rasa server exited during start-up")
            try:
                await turn(session, base, "bench-cold-start", "hello")
                return time.perf_counter()
            except Exception:  # noqa: BLE001 - not up yet
                await asyncio.sleep(0.1)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each load level")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ours_config, default_config = CONFIGS
    ours = serve(ours_config, work, *Training(ours_config, work).finish(), start_actions(ours_config, work))
    training: Optional[Training] = None
    try:
        timing(ours, args.seconds)
        log(f"{default_config.label}: training; meanwhile {ours_config.label}'s quality at nice 19, "
            "then the default recipe's action server starts")
        training = Training(default_config, work)
        overlap = quality(ours, work, nice=True)
        stop(ours.procs, seconds=30)
        actions = start_actions(default_config, work)
        overlap += _cpu_s(psutil.Process(actions[0].pid))
    except BaseException:
        stop(ours.procs, seconds=30)
        if training:
            stop([training.proc])
        raise
    try:
        default = serve(default_config, work, *training.finish(), actions)
    except BaseException:
        stop([actions[0]])
        raise
    default.result.overlap_cpu_s = overlap
    try:
        timing(default, args.seconds)
        quality(default, work, nice=False)
    finally:
        stop(default.procs, seconds=30)
    write_report([ours.result, default.result], ROOT / "bench", time.perf_counter() - started)
    log(f"done in {(time.perf_counter() - started) / 60:.1f} min: bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
