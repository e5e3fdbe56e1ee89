"""cooperation pages and API.

The node endpoints (inbox, chunks, directory, keys) are machine to machine: they take no
session, and what authenticates a message is its signature under a key in the depositary's
signed directory; every role (and no login at all) gets the same answer — a signed receipt
(a rejection for the empty body sent here), a 400 for a chunk that is not for this node, the
public signed directory, the public keys.

On a node, the case officers are its central authority's: they see all its cases; the 24/7
duty officers see the urgent ones (world.coop_case is not urgent, so they are refused it).
"""

import tempfile
from pathlib import Path

from tests.matrix import EVERYONE, Operation, Page

CASE_WORKERS = ["case_officer", "duty_officer"]
OFFICER = ["case_officer"]


def prepare(world):
    from convene.cooperation import directory
    from convene.cooperation.models import Attachment, Case, Message, OnwardTransfer

    directory.publish()
    world.coop_case = Case.objects.create(side="requesting", kind="mla", requesting_state="VNM",
                                          requested_state="LAO", status="sent",
                                          peer_node_id="node-lao")
    world.coop_draft = Case.objects.create(side="requesting", kind="mla",
                                           requesting_state="VNM", status="draft")
    world.coop_transfer = OnwardTransfer.objects.create(case=world.coop_case, recipient="X",
                                                        purpose="p", status="granted")
    path = Path(tempfile.mkdtemp()) / "evidence.txt"
    path.write_bytes(b"evidence")
    msg = Message.objects.create(direction="out", case=world.coop_case, type="request",
                                 peer_node_id="node-lao", status="accepted")
    world.coop_attachment = Attachment.objects.create(message=msg, name="evidence.txt",
                                                      sha256="0" * 64, size=8, path=str(path))


PAGES = {
    "cooperation:inbox": Page(CASE_WORKERS, lambda w: "/cooperation/"),
    "cooperation:new": Page(CASE_WORKERS, lambda w: "/cooperation/new/?kind=mla"),
    "cooperation:case": Page(OFFICER, lambda w: f"/cooperation/cases/{w.coop_case.pk}/"),
    "cooperation:edit": Page(OFFICER, lambda w: f"/cooperation/cases/{w.coop_draft.pk}/edit/"),
    "cooperation:act": Page(OFFICER, lambda w: f"/cooperation/cases/{w.coop_case.pk}/act/",
                            method="post"),
    "cooperation:decide_transfer": Page(
        OFFICER, lambda w: f"/cooperation/transfers/{w.coop_transfer.pk}/decide/",
        method="post"),
    "cooperation:evidence": Page(OFFICER,
                                 lambda w: f"/cooperation/evidence/{w.coop_attachment.pk}/"),
    "cooperation:directory": Page([*CASE_WORKERS, "depositary"],
                                  lambda w: "/cooperation/directory/"),
    # Refreshing fetches from CONVENE_DEPOSITARY_URL (none here): the page says so, unchanged.
    "cooperation:directory_refresh": Page([*CASE_WORKERS, "depositary"],
                                          lambda w: "/cooperation/directory/refresh/",
                                          method="post"),
    "cooperation:statistics": Page(["case_officer", "depositary"],
                                   lambda w: "/cooperation/statistics/"),
    "cooperation:statistics_export": Page(["case_officer", "depositary"],
                                          lambda w: "/cooperation/statistics/export.csv"),
    "cooperation:roster": Page(["duty_officer"], lambda w: "/cooperation/roster/"),
}

OPERATIONS = {
    ("post", "/api/cooperation/node/inbox"): Operation(EVERYONE, ok=(200,)),
    ("post", "/api/cooperation/node/chunks"): Operation(EVERYONE, ok=(400,)),
    ("get", "/api/cooperation/directory"): Operation(EVERYONE, ok=(200,)),
    ("get", "/api/cooperation/node/keys"): Operation(EVERYONE, ok=(200,)),
    ("get", "/api/cooperation/cases"): Operation(CASE_WORKERS),
    ("get", "/api/cooperation/statistics"): Operation(["case_officer", "depositary"]),
}
