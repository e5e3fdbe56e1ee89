"""`convene cooperation <subcommand>`: this node's keys, the directory, the outbox, a demo node.

  keys show|rotate-sign|rotate-enc|export FILE   this node's keys (export: the public JWKS)
  designate STATE NODE_ID URL --keys FILE ...    (depositary) record a State's node
  publish                                        (depositary) sign and publish the directory
  refresh [--file FILE]                          fetch the directory, verify, accept
  outbox                                         deliver every queued message now, once
  verify MESSAGE_ID                              re-verify a kept message's signature
  demo-node                                      start a second node (State B) for the demo
"""

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from convene.cooperation import crypto, keys
from convene.cooperation import directory as directory_service


class Command(BaseCommand):
    help = "The cooperation channel: keys, directory, outbox, demo node."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        k = sub.add_parser("keys", help="Show, rotate or export this node's keys.")
        k.add_argument("action", choices=["show", "rotate-sign", "rotate-enc", "export"])
        k.add_argument("file", nargs="?", help="export: where to write the public keys")
        d = sub.add_parser("designate", help="(Depositary) record the node of a State Party.")
        d.add_argument("state", help="ISO 3166 alpha-3 code of the State Party")
        d.add_argument("node_id")
        d.add_argument("url")
        d.add_argument("--keys", required=True, help="the node's exported public keys (JSON)")
        d.add_argument("--central-authority", default="")
        d.add_argument("--contact-point", default="")
        d.add_argument("--languages", default="en", help="comma-separated, e.g. en,fr")
        d.add_argument("--name", default="", help="the State's name if it is not yet known")
        sub.add_parser("publish", help="(Depositary) sign and publish the directory.")
        r = sub.add_parser("refresh", help="Fetch the directory from the depositary, verify it "
                                           "under the pinned key, accept it.")
        r.add_argument("--file", help="read the signed directory from a file instead")
        sub.add_parser("outbox", help="Deliver every queued message now (once each).")
        v = sub.add_parser("verify", help="Re-verify a kept message's signature.")
        v.add_argument("message_id")
        n = sub.add_parser("demo-node", help="Start State B's node beside the demo (port 8001).")
        n.add_argument("--port", type=int, default=8001)
        n.add_argument("--var-dir", default="")

    def handle(self, *args, subcommand, **o):
        getattr(self, "do_" + subcommand.replace("-", "_"))(**o)

    def do_keys(self, action, file=None, **o):
        if action == "rotate-sign":
            self.stdout.write(f"new signing key {keys.rotate(keys.SIGN)}")
        elif action == "rotate-enc":
            self.stdout.write(f"new encryption key {keys.rotate(keys.ENC)}")
        elif action == "export":
            data = {"node_id": settings.CONVENE_NODE_ID, "state": settings.CONVENE_NODE_STATE,
                    "url": settings.CONVENE_NODE_URL, "keys": keys.public_keys()}
            text = json.dumps(data, indent=1)
            if file:
                Path(file).write_text(text)
            else:
                self.stdout.write(text)
        else:
            for use, items in keys.public_keys().items():
                for jwk in items:
                    self.stdout.write(f"{use} {jwk['kid']} {jwk['status']}")

    def do_designate(self, state, node_id, url, keys, central_authority, contact_point,
                     languages, name, **o):
        from convene.cooperation.designations import designate

        data = json.loads(Path(keys).read_text())
        d = designate(state=state, node_id=node_id, url=url, keys=data.get("keys", data),
                      central_authority=central_authority, contact_point=contact_point,
                      languages=[x.strip() for x in languages.split(",") if x.strip()],
                      name=name)
        self.stdout.write(f"designated {d}")

    def do_publish(self, **o):
        if not settings.CONVENE_NODE_IS_DEPOSITARY:
            raise CommandError("only the depositary's node publishes the directory "
                               "(CONVENE_NODE_IS_DEPOSITARY)")
        pub = directory_service.publish()
        self.stdout.write(f"directory v{pub.version} published, sha256 {pub.sha256}")

    def do_refresh(self, file=None, **o):
        try:
            if file:
                snap = directory_service.accept(json.loads(Path(file).read_text())["directory"])
            else:
                snap = directory_service.refresh()
        except directory_service.DirectoryRefused as exc:
            raise CommandError(f"directory refused: {exc}") from None
        except OSError as exc:
            raise CommandError(f"cannot fetch the directory from "
                               f"{settings.CONVENE_DEPOSITARY_URL or '(no CONVENE_DEPOSITARY_URL)'}"
                               f": {exc}") from None
        self.stdout.write(f"directory v{snap.version} accepted ({len(snap.entries)} States)")

    def do_outbox(self, **o):
        from convene.cooperation import exchange
        from convene.cooperation.models import Message, MessageStatus

        for m in Message.objects.filter(status__in=[MessageStatus.QUEUED,
                                                    MessageStatus.RETRYING]).order_by("pk"):
            try:
                self.stdout.write(f"{m.message_id} {m.type} -> {exchange.deliver(m)}")
            except OSError as exc:
                self.stdout.write(f"{m.message_id} {m.type} -> not delivered: {exc}")

    def do_verify(self, message_id, **o):
        from convene.cooperation.models import Message

        m = Message.objects.filter(message_id=uuid.UUID(message_id)).first()
        if m is None:
            raise CommandError("no such message")
        if m.direction == "out":
            kid = crypto.unverified_header(m.jws)["kid"]
            key = {k.thumbprint(): k for k in [keys.private_key(keys.SIGN, kid)] if k}
        else:
            found = directory_service.signing_key_of(crypto.unverified_header(m.jws)["kid"])
            key = {found[1].thumbprint(): found[1]} if found else {}
        try:
            payload, kid = crypto.verify(m.jws, key, crypto.MESSAGE_TYP)
        except crypto.EnvelopeError as exc:
            raise CommandError(f"signature does NOT verify: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"signature verifies under key {kid}: "
                                             f"{payload['type']} from {payload['from']}"))

    def do_demo_node(self, port, var_dir, **o):
        from convene.cooperation.demo import run_demo_node

        run_demo_node(port=port, var_dir=var_dir or None, stdout=self.stdout)
