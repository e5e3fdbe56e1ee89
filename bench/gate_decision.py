"""Gate decision throughput in-process, against a bare Ed25519 verification of the same tokens.

A decision (convene/gates/decision.py) decodes the QR text, parses the versioned credential,
finds the key by its id, verifies the Ed25519 signature, then checks the revocation list, the
validity window, the zone and anti-passback. The signature is the costly part; the goal is a
full decision at most 1.25 times a bare verify. Prints one JSON object on its last line.
"""

import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from convene.accreditation import credential  # noqa: E402
from convene.gates import decision  # noqa: E402

N = 3000
ROUNDS = 7
NOW = 1_761_350_400

random.seed(3)
keys = [Ed25519PrivateKey.generate() for _ in range(3)]  # rotated keys: three in service
public = {credential.key_id(k.public_key()): k.public_key() for k in keys}
badges = [uuid.uuid4() for _ in range(N)]
tokens = [credential.sign(random.choice(keys), badge_id=b, category=random.randint(1, 14),
                          zones=credential.zone_mask(random.sample(range(8), 4)),
                          valid_from=NOW - 86400, valid_until=NOW + 86400) for b in badges]
# What a busy gate holds: a revocation list, and half the badges already inside the zone.
revoked = set(random.sample(badges, 150))
inside = set(random.sample(badges, N // 2))
gate = decision.Checkpoint(zone_bit=0, direction=decision.ENTRY)
# The baseline gets its bytes already split: verify(signature, payload), nothing else.
split = []
for t in tokens:
    raw = credential.decode(t)
    split.append((public[raw[1:5]], raw[credential.PAYLOAD_SIZE:],
                  raw[:credential.PAYLOAD_SIZE]))


def bare_verify() -> float:
    start = time.perf_counter()
    for key, signature, payload in split:
        key.verify(signature, payload)
    return time.perf_counter() - start


def full_decision() -> float:
    start = time.perf_counter()
    for t in tokens:
        decision.decide(t, gate, NOW, keys=public, revoked=revoked, inside=inside)
    return time.perf_counter() - start


verdicts = {}
for t in tokens:
    reason = decision.decide(t, gate, NOW, keys=public, revoked=revoked, inside=inside).reason
    verdicts[reason] = verdicts.get(reason, 0) + 1

# Interleaved rounds, so that a busy neighbour on the machine slows both alike.
verify_times, decision_times = [], []
for _ in range(ROUNDS):
    verify_times.append(bare_verify())
    decision_times.append(full_decision())
verify_s, decision_s = statistics.median(verify_times), statistics.median(decision_times)
print(f"{N} tokens x {ROUNDS} rounds (median): bare verify {verify_s / N * 1e6:.1f} µs, "
      f"full decision {decision_s / N * 1e6:.1f} µs; verdicts {verdicts}")
print(json.dumps({
    "tokens": N,
    "verify_us": round(verify_s / N * 1e6, 1),
    "decision_us": round(decision_s / N * 1e6, 1),
    "decisions_per_second_per_core": round(N / decision_s),
    "decision_over_verify": round(decision_s / verify_s, 3),
}))
