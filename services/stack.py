"""The local stack without Docker: real redis-server and mongod, then the four services as processes.

``up`` records what it started in ``<state_dir>/stack.json``; ``down`` stops exactly that, services
first (they finish in-flight messages), then the servers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sahelwatch.errors import StackError
from sahelwatch.localstack import LocalServers, free_port, stop_pid, wait_for
from sahelwatch.settings import Settings

STAGES = ("ingest", "extraction", "geocoding", "alerting")


@dataclass
class StackState:
    redis_url: str
    mongo_url: str
    servers: dict[str, int] = field(default_factory=dict)  # name -> pid (only those we started)
    services: dict[str, dict[str, int | str]] = field(default_factory=dict)  # stage -> {pid, port, url}

    @property
    def ingest_url(self) -> str:
        return str(self.services["ingest"]["url"])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, path: Path) -> StackState:
        return cls(**json.loads(path.read_text()))


def state_file(settings: Settings) -> Path:
    return settings.state_dir / "stack.json"


def _healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
        return int(response.status) == 200


def start_service(
    stage: str, state: StackState, settings: Settings, extra_env: dict[str, str] | None = None, name: str | None = None
) -> None:
    """Start one service process; ``name`` (default: the stage) keys it in the state, e.g. ``extraction-2``."""
    name = name or stage
    port = free_port()
    log_path = settings.state_dir / "logs" / f"{name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "REDIS_URL": state.redis_url,
        "MONGO_URL": state.mongo_url,
        "SAHELWATCH_PORT": str(port),
        "SAHELWATCH_HOST": "127.0.0.1",
        **(extra_env or {}),
    }
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "serve", stage],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    state.services[name] = {"pid": process.pid, "port": port, "url": f"http://127.0.0.1:{port}"}


def up(
    settings: Settings,
    stages: tuple[str, ...] = STAGES,
    timeout: float = 90.0,
    extra_env: dict[str, str] | None = None,
    workers: dict[str, int] | None = None,
) -> StackState:
    """Start servers (unless URLs are set) and services; wait until every /health is 200.

    ``workers``: processes per stage (default 1); extra ones join the stage's consumer group and
    are recorded as ``<stage>-2``, ``<stage>-3``, ...
    """
    path = state_file(settings)
    if path.exists():
        raise StackError(f"a stack is already recorded in {path}: run 'sahelwatch down' first")
    servers = LocalServers.start(settings.state_dir, settings.redis_url, settings.mongo_url)
    state = StackState(servers.redis_url, servers.mongo_url, servers=servers.pids())
    state.save(path)
    try:
        for stage in stages:
            for n in range(1, max(1, (workers or {}).get(stage, 1)) + 1):
                start_service(stage, state, settings, extra_env, name=stage if n == 1 else f"{stage}-{n}")
                state.save(path)
        for stage in list(state.services):
            url = str(state.services[stage]["url"])
            pid = int(state.services[stage]["pid"])

            def ready(url: str = url, pid: int = pid, stage: str = stage) -> bool:
                if _exited(pid):
                    log = settings.state_dir / "logs" / f"{stage}.log"
                    raise StackError(f"{stage} exited at start; see {log}:\n{log.read_text()[-1500:]}")
                return _healthy(url)

            try:
                wait_for(ready, timeout, f"{stage} /health at {url}", interval=0.1)
            except StackError as exc:
                log = settings.state_dir / "logs" / f"{stage}.log"
                raise StackError(f"{exc}; {log} ends with:\n{log.read_text()[-1500:]}") from exc
    except BaseException:
        down(settings)
        raise
    return state


def _exited(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child (another `sahelwatch` process started it)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return done == pid


def down(settings: Settings) -> list[str]:
    """Stop what ``up`` recorded; returns the names of what was running."""
    path = state_file(settings)
    if not path.exists():
        return []
    state = StackState.load(path)
    stopped: list[str] = []
    for stage, info in reversed(list(state.services.items())):
        if stop_pid(int(info["pid"]), timeout=25):
            stopped.append(stage)
    for name, pid in reversed(list(state.servers.items())):
        if stop_pid(pid, timeout=30):
            stopped.append(name)
    path.unlink()
    return stopped
