"""`make bench`: Code & Care against Rasa's default recipe, same data, same machine, one run.

For each configuration: train it, start the real action server and Rasa server, measure
cold start, closed-loop load at 1, 10 and 50 users, latency over a 400-turn conversation,
resident memory, then quality on the held-out NLU and conversation sets. Writes
bench/RESULTS.md and bench/latency.png.
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
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import aiohttp
import psutil

from bench.load import Run, closed_loop, long_conversation, turn
from bench.report import write_report
from ops.processes import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).with_name("rasa"))
USERS = (1, 10, 50)
LONG_TURNS = 400


@dataclass
class Config:
    name: str
    label: str
    config: Path
    tracker_store: str  # "sqlite" or "memory"
    launcher: bool  # start through ops.launch, as `make run` does


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
    long: List[float] = field(default_factory=list)
    nlu: Dict[str, float] = field(default_factory=dict)
    answers: Dict[str, Dict[str, str]] = field(default_factory=dict)


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


def rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def train(c: Config, work: Path) -> tuple[Path, float]:
    """Train from scratch: Rasa's training cache from an earlier run would make it look instant."""
    shutil.rmtree(work / f"cache-{c.name}", ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([RASA, "train", "--config", str(c.config), "--domain", str(ROOT / "domain.yml"),
                    "--data", str(ROOT / "data"), "--out", str(work / "models"), "--fixed-model-name", c.name],
                   cwd=ROOT, env=env(work, c.name), check=True, stdout=subprocess.DEVNULL,
                   stderr=open(work / f"train-{c.name}.log", "w"))
    return work / "models" / f"{c.name}.tar.gz", time.perf_counter() - start


def endpoints(c: Config, work: Path, action_port: int) -> Path:
    text = f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
    if c.tracker_store == "sqlite":  # as `make run`: the project's SQL tracker store on SQLite
        text += (f"tracker_store:\n  type: ops.tracker_store.HealthAwareSQLTrackerStore\n"
                 f"  url: sqlite:///{work / (c.name + '.db')}\n")
    path = work / f"endpoints-{c.name}.yml"
    path.write_text(text)
    return path


def grade(base: str, cases: Path, out: Path) -> Dict[str, str]:
    subprocess.run([sys.executable, str(ROOT / "tests" / "e2e" / "grade.py"), base, "--cases", str(cases),
                    "--json", str(out)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = json.loads(out.read_text())
    return {"overall": f"{result['passed']}/{result['graded']}", **result["by_category"]}


def nlu_quality(model: Path, c: Config, work: Path) -> Dict[str, float]:
    out = work / f"nlu-{c.name}"
    subprocess.run([RASA, "test", "nlu", "--model", str(model), "--nlu", str(ROOT / "tests" / "nlu" / "holdout.yml"),
                    "--out", str(out)], cwd=ROOT, env=env(work, c.name), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    intents = json.loads((out / "intent_report.json").read_text())
    scores = {"intent_f1": intents["weighted avg"]["f1-score"]}
    reports = [p for p in out.glob("*_report.json") if p.name != "intent_report.json"]
    entity = {}
    for report in reports:
        data = json.loads(report.read_text())
        entity.update({k: v["f1-score"] for k, v in data.items() if k in ("role", "background")})
    scores["entity_f1"] = statistics.mean([entity.get("role", 0.0), entity.get("background", 0.0)])
    return scores


def measure(c: Config, work: Path, load_seconds: float) -> Result:
    result = Result(c)
    log(f"{c.label}: training")
    model, result.train_s = train(c, work)
    log(f"{c.label}: trained in {result.train_s:.0f} s")
    action_port, port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    procs: List[subprocess.Popen] = []
    try:
        procs.append(subprocess.Popen([RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
                                      cwd=ROOT, env=env(work, c.name), stdout=subprocess.DEVNULL,
                                      stderr=open(work / f"actions-{c.name}.log", "w")))
        wait_http(f"http://127.0.0.1:{action_port}/health", procs[0])
        start = time.perf_counter()
        server = [sys.executable, "-m", "ops.launch"] if c.launcher else [RASA]
        procs.append(subprocess.Popen([*server, "run", "--model", str(model), "--enable-api", "--interface", "127.0.0.1",
                                       "--port", str(port), "--endpoints", str(endpoints(c, work, action_port))],
                                      cwd=ROOT, env=env(work, c.name), stdout=subprocess.DEVNULL,
                                      stderr=open(work / f"rasa-{c.name}.log", "w")))
        result.cold_start_s = asyncio.run(first_answer(base, procs[1])) - start
        log(f"{c.label}: first answer {result.cold_start_s:.1f} s after start")
        asyncio.run(closed_loop(base, 2, 5))  # warm-up
        for users in USERS:
            result.loads[users] = asyncio.run(closed_loop(base, users, load_seconds))
            run = result.loads[users]
            log(f"{c.label}: {users} users {run.rate:.0f} msg/s p50 {run.p50:.0f} p95 {run.pct(.95):.0f} "
                f"p99 {run.pct(.99):.0f} ms, {run.errors} errors")
        result.long = asyncio.run(long_conversation(base, LONG_TURNS))
        result.server_mb, result.actions_mb = rss_mb(procs[1].pid), rss_mb(procs[0].pid)
        log(f"{c.label}: memory server {result.server_mb:.0f} MB, actions {result.actions_mb:.0f} MB")
        for name in ("holdout", "blind"):
            result.answers[name] = grade(base, ROOT / "tests" / "conversations" / f"{name}.yml",
                                         work / f"grade-{c.name}-{name}.json")
        log(f"{c.label}: answers {result.answers}")
    finally:
        stop(procs, seconds=30)
    result.nlu = nlu_quality(model, c, work)
    log(f"{c.label}: NLU {result.nlu}")
    return result


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
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each load level")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = [measure(c, work, args.seconds) for c in CONFIGS]
    write_report(results, ROOT / "bench", time.perf_counter() - started)
    log(f"done in {(time.perf_counter() - started) / 60:.1f} min: bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
