"""Local node processes: each a `convene` with its own database, var dir and node identity.

Used by `convene cooperation demo-node`, the three-node integration test and the bench. A node
here is what a State's authority runs in production, only on loopback: a web process
(`convene runserver --noreload`) and a task worker (`convene db_worker`) for its outbox.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LocalNode:
    node_id: str
    state: str
    root: Path
    port: int = field(default_factory=free_port)
    depositary: bool = False
    extra_env: dict = field(default_factory=dict)
    procs: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("CONVENE_", "DATABASE_URL", "DJANGO_SETTINGS"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "convene.settings",
            "CONVENE_VAR_DIR": str(self.root),
            "DATABASE_URL": f"sqlite:///{self.root / 'node.sqlite3'}",
            "CONVENE_NODE_ID": self.node_id,
            "CONVENE_NODE_STATE": self.state,
            "CONVENE_NODE_URL": self.url,
            "CONVENE_SITE_URL": self.url,
            "CONVENE_NODE_IS_DEPOSITARY": "true" if self.depositary else "false",
            "CONVENE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.extra_env)
        return env

    def manage(self, *args, check=True, timeout=180) -> str:
        result = subprocess.run([sys.executable, "-m", "convene", *args], env=self.env(),
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"{self.node_id}: convene {' '.join(args)} failed:\n"
                               f"{result.stdout}\n{result.stderr}")
        return result.stdout

    def python(self, code: str, timeout=120):
        """Run Python inside the node's Django (its own database); return the JSON it prints
        on its last line."""
        out = self.manage("shell", "-c", code, timeout=timeout)
        return json.loads(out.strip().splitlines()[-1]) if out.strip() else None

    def setup(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--verbosity", "0")

    def export_keys(self) -> Path:
        path = self.root / "public-keys.json"
        self.manage("cooperation", "keys", "export", str(path))
        return path

    def start(self, worker: bool = True) -> None:
        log = open(self.root / "server.log", "ab")
        self.procs.append(subprocess.Popen(
            [sys.executable, "-m", "convene", "runserver", f"127.0.0.1:{self.port}",
             "--noreload", "--skip-checks"], env=self.env(), stdout=log, stderr=log,
            start_new_session=True))
        if worker:
            wlog = open(self.root / "worker.log", "ab")
            self.procs.append(subprocess.Popen(
                [sys.executable, "-m", "convene", "db_worker", "--interval", "0.2",
                 "--no-startup-delay", "--no-reload"], env=self.env(), stdout=wlog,
                stderr=wlog, start_new_session=True))
        self.wait_up()

    def wait_up(self, timeout=60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/cooperation/node/keys", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.node_id} did not start: see {self.root / 'server.log'}")

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        self.procs = []


def federate(depositary: LocalNode, states: list[LocalNode], languages: dict | None = None,
             start: bool = True) -> None:
    """Set up a depositary and State nodes: keys, designations, signed directory, pinning."""
    from concurrent.futures import ThreadPoolExecutor

    nodes = [depositary, *states]
    with ThreadPoolExecutor(len(nodes)) as pool:  # each its own database: migrate side by side
        list(pool.map(lambda n: (n.setup(), n.export_keys()), nodes))
    dep_keys = json.loads((depositary.root / "public-keys.json").read_text())["keys"]
    pinned = depositary.root / "depositary-public-key.json"
    pinned.write_text(json.dumps({"keys": [
        {k: v for k, v in j.items() if k != "status"} for j in dep_keys["sign"]]}))
    for n in [depositary, *states]:
        n.extra_env.update({"CONVENE_DEPOSITARY_URL": depositary.url,
                            "CONVENE_DEPOSITARY_PUBLIC_KEY": str(pinned)})
    designations = [{"state": n.state, "node_id": n.node_id, "url": n.url,
                     "keys": json.loads((n.root / "public-keys.json").read_text())["keys"],
                     "languages": (languages or {}).get(n.state, "en").split(","),
                     "central_authority": f"Central authority of {n.state}",
                     "contact_point": f"24/7 point of contact of {n.state}",
                     "name": f"State {n.state}"} for n in states]
    # What `convene cooperation designate` does for each State, then `publish`, in one process.
    depositary.python(
        "import json\n"
        "from convene.cooperation.designations import designate\n"
        "from convene.cooperation import directory\n"
        f"for d in json.loads({json.dumps(json.dumps(designations))}):\n"
        "    designate(**d)\n"
        "print(json.dumps(directory.publish().version))")
    if start:
        depositary.start(worker=False)
        with ThreadPoolExecutor(len(states)) as pool:
            list(pool.map(lambda n: (n.manage("cooperation", "refresh"), n.start()), states))
