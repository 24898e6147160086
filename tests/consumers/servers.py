"""Real Label Studio and doccano servers for the opt-in consumer tests (``make test-consumers``).

Each runs from its own virtual environment under ``~/.cache/quotedesk-consumers/``
(``QUOTEDESK_CONSUMERS_HOME``), made by ``make test-consumers`` from PyPI, with its data in a
fresh temporary folder, listening on 127.0.0.1 only, on a free port. ``stop`` ends the
process groups this module started (SIGTERM, then SIGKILL after a bounded wait).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOME = Path(os.environ.get("QUOTEDESK_CONSUMERS_HOME", "~/.cache/quotedesk-consumers")).expanduser()
LABEL_STUDIO_VENV = HOME / "ls-venv"  # label-studio==1.23.2
DOCCANO_VENV = HOME / "doccano-venv"  # doccano==1.8.4 "marshmallow<4" "numpy<2"
START_SECONDS = 420  # a first start migrates a new database: about 70 s for each here
STOP_SECONDS = 20
TOKEN = "quotedesk-consumers-0123456789abcdef"  # Label Studio's fixed API token
USER, PASSWORD = "admin", "quotedesk-consumers"


class ServerError(RuntimeError):
    """A server did not start or answered an API call with an error."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """Processes started for one tool, its base URL and the header that authenticates."""

    name: str
    url: str
    log: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    auth: dict[str, str] = field(default_factory=dict)

    def spawn(self, args: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        with self.log.open("ab") as log:
            self.procs.append(
                subprocess.Popen(
                    args,
                    env={**os.environ, **env},
                    cwd=cwd,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # its own process group, ended as one
                )
            )

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        ctype: str = "application/json",
        timeout: float = 120,
        binary: bool = False,
    ) -> Any:
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": ctype, **self.auth}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            raise ServerError(
                f"{self.name} {method} {path}: {exc.code} {exc.read()[:500]!r}"
            ) from exc
        if binary:
            return payload
        try:
            return json.loads(payload or b"null")
        except ValueError:
            return payload.decode("utf-8", "replace")

    def upload(self, path: str, field_name: str, file: Path) -> Any:
        """A multipart/form-data POST of one file."""
        boundary = "----quotedesk" + uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
            f'filename="{file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        body = head + file.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        return self.call("POST", path, raw=body, ctype=f"multipart/form-data; boundary={boundary}")

    def wait_task(self, task_id: str, seconds: float = 300) -> Any:
        """doccano's celery task status once it is ready (bounded)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = self.call("GET", f"/v1/tasks/status/{task_id}")
            if status.get("ready"):
                return status
            time.sleep(0.5)
        raise ServerError(f"{self.name} task {task_id} not done within {seconds:.0f} s")

    def wait_ready(self, path: str, seconds: float = START_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.procs):
                raise ServerError(f"{self.name} stopped while starting; see {self.log}")
            try:
                self.call("GET", path, timeout=5)
                return
            except (OSError, ServerError):
                time.sleep(1)
        raise ServerError(f"{self.name} did not answer within {seconds:.0f} s; see {self.log}")

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(STOP_SECONDS)


def label_studio(data: Path) -> Server:
    """Label Studio with a new database in ``data``, its admin's API token fixed."""
    port = free_port()
    server = Server("Label Studio", f"http://127.0.0.1:{port}", data / "label-studio.log")
    server.auth = {"Authorization": f"Token {TOKEN}"}
    env = {
        "LABEL_STUDIO_BASE_DATA_DIR": str(data / "label-studio"),
        "LABEL_STUDIO_USERNAME": "admin@example.org",
        "LABEL_STUDIO_PASSWORD": PASSWORD,
        "LABEL_STUDIO_USER_TOKEN": TOKEN,
        # a token fixed in advance is a "legacy" token, off by default since 1.17
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
    }
    binary = str(LABEL_STUDIO_VENV / "bin" / "label-studio")
    args = [binary, "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port)]
    server.spawn(args, env)
    try:
        server.wait_ready("/api/projects")
    except BaseException:
        server.stop()
        raise
    return server


def _doccano_env(home: Path) -> dict[str, str]:
    return {
        "DOCCANO_HOME": str(home),
        "STANDALONE": "True",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"sqlite:///{home}/db.sqlite3",
        "MEDIA_ROOT": str(home / "media"),
    }


def doccano(data: Path) -> Server:
    """doccano's web process (gunicorn, bound to 127.0.0.1: ``doccano webserver`` binds every
    address) and its celery worker, which runs imports, on a new database in ``data``."""
    home = data / "doccano"
    home.mkdir(parents=True, exist_ok=True)
    env = _doccano_env(home)
    port = free_port()
    server = Server("doccano", f"http://127.0.0.1:{port}", data / "doccano.log")
    binary = DOCCANO_VENV / "bin"
    with server.log.open("ab") as log:
        for step in (["init"], ["createuser", "--username", USER, "--password", PASSWORD]):
            subprocess.run(
                [str(binary / "doccano"), *step],
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=START_SECONDS,
            )
    backend = next((DOCCANO_VENV / "lib").glob("python3*/site-packages/backend"))
    server.spawn(
        [str(binary / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1", "config.wsgi"],
        env,
        backend,
    )
    server.spawn(
        [str(binary / "celery"), "--app=config", "worker", "--concurrency=1", "--loglevel=info"],
        env,
        backend,
    )
    try:
        server.wait_ready("/v1/health/")  # answers once the worker is up too
        login = {"username": USER, "password": PASSWORD}
        server.auth = {
            "Authorization": f"Token {server.call('POST', '/v1/auth/login/', login)['key']}"
        }
    except BaseException:
        server.stop()
        raise
    return server
