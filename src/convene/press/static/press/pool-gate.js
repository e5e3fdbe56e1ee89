// Press pool access at an offline gate: the twin of convene/press/poolgate.py.
//
// The gate's bundle carries the pool places admitting to its zone as a signed list
// (press.services.signed_pool_list): a JSON payload and its Ed25519 signature by the badge
// signing key. The list is believed only if the signature verifies with a key the gate already
// trusts; then a badge lacking the zone is admitted while one of its passes is in its window.
(() => {
  "use strict";
  let passes = [];

  async function adopt(signed, keys, decode) {
    passes = [];
    if (!signed || !keys.has(signed.kid)) return;
    const payload = decode(signed.payload);
    const signature = decode(signed.signature);
    if (!payload || !signature) return;
    let ok = false;
    try {
      ok = await crypto.subtle.verify({ name: "Ed25519" }, keys.get(signed.kid), signature, payload);
    } catch (e) {
      ok = false;
    }
    if (!ok) {
      console.warn("gate: the pool list's signature does not verify; it is ignored");
      return;
    }
    const data = JSON.parse(new TextDecoder().decode(payload));
    passes = data.passes || [];
    const info = document.getElementById("bundle-info");
    if (info) info.dataset.pools = String(passes.length);
  }

  function admits(badge, zoneBit, now) {
    const p = passes.find((x) => x.badge === badge && x.zone_bit === zoneBit
      && x.valid_from <= now && now < x.valid_until);
    if (!p) return null;
    return {
      opportunity: p.opportunity,
      person: { name: p.name, delegation: p.outlet, category: `${p.kind} · ${p.opportunity}`, zones: "", photo: "" },
    };
  }

  window.ConvenePoolGate = { adopt, admits };
})();
