"""The gate page's camera decoder: vendored, pinned, licensed, and the one CSP exception."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

import convene

STATIC = Path(convene.__file__).parent / "static" / "vendor"


def test_the_decoder_is_vendored_with_its_licence_and_matches_its_pinned_checksum():
    import hashlib
    import re

    js = (STATIC / "barcode-detector-3.2.2" / "barcode-detector.iife.js").read_text()
    wasm = STATIC / "zxing-wasm-3.1.3" / "zxing_reader.wasm"
    # The ponyfill names the zxing-wasm build it was made with and that build's SHA-256.
    assert re.search(r"te=`3\.1\.3`", js)
    pinned = re.search(r"x=`([0-9a-f]{64})`", js)  # exported as ZXING_WASM_SHA256
    assert hashlib.sha256(wasm.read_bytes()).hexdigest() == pinned.group(1)
    for package in ("barcode-detector-3.2.2", "zxing-wasm-3.1.3"):
        assert "MIT License" in (STATIC / package / "LICENSE").read_text()
    assert finders.find("vendor/zxing-wasm-3.1.3/zxing_reader.wasm")


def test_only_the_gate_page_may_compile_webassembly(security, checkpoints):
    client = Client()
    client.force_login(security)
    gate = client.get(f"/gates/{checkpoints['plenary_in'].pk}/")
    policy = gate.headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'", "'wasm-unsafe-eval'"]
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy
    assert b"zxing_reader.wasm" in gate.content and b"barcode-detector.iife.js" in gate.content
    listing = client.get("/gates/")
    assert "wasm-unsafe-eval" not in listing.headers["Content-Security-Policy"]
