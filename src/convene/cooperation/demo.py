"""Demo of the cooperation channel: this node's officers, and a second State's node to send to.

`convene demo_data` gives this node a case officer and a 24/7 duty officer (and an on-call
roster). `convene cooperation demo-node` then starts State B's node (Lao PDR) beside it on
port 8001, with its own database and keys, makes this node the demo's depositary (it signs the
directory listing both, and both pin its key), and runs both outboxes. Then log in here as
`case.officer`, send a request to Lao PDR, and read it at http://127.0.0.1:8001 as
`lao.case.officer` (password: the demo password).

In the demo this node is at once Viet Nam's node and the depositary's: in production they are
different organisations and different servers (docs/cooperation.md).
"""

import json
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from convene.accounts.models import Role, User
from convene.accounts.services import assign_role, create_account
from convene.cooperation.models import OnCallEntry

DEMO_PASSWORD = "hanoi-demo-2025"
OFFICERS = [("case.officer", Role.CASE_OFFICER, "Central Authority Case Officer"),
            ("duty.officer", Role.DUTY_OFFICER, "24/7 Duty Officer")]


def _officers(prefix: str = "") -> None:
    for username, role, name in OFFICERS:
        username = prefix + username
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _, last = name.partition(" ")
            user = create_account(None, username, password=DEMO_PASSWORD, first_name=first,
                                  last_name=last, email=f"{username}@demo.convene.invalid")
        assign_role(None, user, role)


def load_demo(event=None) -> None:
    """Idempotent: the officers of this node and one person on call."""
    _officers()
    if not OnCallEntry.objects.exists():
        OnCallEntry.objects.create(name="On-call prosecutor (demo)",
                                   email="on-call@demo.convene.invalid")


def run_demo_node(*, port: int = 8001, var_dir: str | None = None, stdout=sys.stdout) -> None:
    from convene.cooperation import directory, keys
    from convene.cooperation.designations import designate
    from convene.cooperation.nodes import LocalNode

    own_state = settings.CONVENE_NODE_STATE or "VNM"
    root = Path(var_dir) if var_dir else Path(settings.VAR_DIR) / "demo-node-b"
    b = LocalNode("demo-lao", "LAO", root, port=port)
    stdout.write(f"Setting up State B's node (LAO) in {root} …\n")
    b.setup()
    b_keys = json.loads(b.export_keys().read_text())["keys"]
    keys.ensure_keys()
    pin = Path(settings.VAR_DIR) / "cooperation-depositary-key.json"
    pin.write_text(json.dumps({"keys": [{k: v for k, v in j.items() if k != "status"}
                                        for j in keys.public_keys()["sign"]]}))
    designate(state=own_state, node_id=settings.CONVENE_NODE_ID, url=settings.CONVENE_NODE_URL,
              keys=keys.public_keys(), languages=["en", "fr"],
              central_authority="Ministry of Public Security (demo)",
              contact_point="Cybercrime 24/7 desk (demo)")
    designate(state="LAO", node_id=b.node_id, url=b.url, keys=b_keys, languages=["en", "fr"],
              central_authority="Office of the Supreme People's Prosecutor (demo)",
              contact_point="Lao 24/7 point of contact (demo)")
    pub = directory.publish()
    directory.accept(pub.token, pinned={k: v for k, v in _pinned(pin).items()})
    b.extra_env.update({"CONVENE_DEPOSITARY_URL": settings.CONVENE_NODE_URL,
                        "CONVENE_DEPOSITARY_PUBLIC_KEY": str(pin)})
    # B gets the signed directory as a file (this node may not be serving yet); it verifies it
    # under the pinned key all the same, and later refreshes fetch it from this node.
    signed = root / "directory.json"
    signed.write_text(json.dumps({"directory": pub.token}))
    b.manage("cooperation", "refresh", "--file", str(signed))
    b.python("from convene.cooperation.demo import _officers\n_officers('lao.')\nprint('1')")
    b.start()
    worker = subprocess.Popen([sys.executable, "-m", "convene", "db_worker", "--no-reload"])
    stdout.write(f"State B's node runs at {b.url} (log in as lao.case.officer / "
                 f"{DEMO_PASSWORD}); this node's outbox worker runs too. Ctrl-C stops both.\n")
    try:
        while all(p.poll() is None for p in b.procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        b.stop()
        worker.terminate()


def _pinned(path: Path) -> dict:
    from convene.cooperation import crypto

    data = json.loads(path.read_text())
    return {j["kid"]: crypto.import_public(j) for j in data["keys"]}
