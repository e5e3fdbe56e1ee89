// The gate page: reads a badge's QR code (handheld scanner = keyboard, or the camera), shows a
// big PASS / STOP with the reason and the person's photo, and keeps working offline.
//
// Online, the server decides (it knows revocations the moment they happen). When the network
// is down, this page decides with the same rules as convene/gates/decision.py, from what it
// cached while online: the public keys, the revocation list, who is inside the zone and the
// people (with photos) it may have to show. It verifies the Ed25519 signature with WebCrypto,
// queues each scan with a UUID made here, and uploads the queue when the network returns; the
// server stores each UUID once, so a repeated upload changes nothing.
(() => {
  "use strict";
  const root = document.getElementById("gate");
  if (!root) return;
  const cfg = root.dataset;
  const reasons = JSON.parse(document.getElementById("gate-reasons").textContent);
  const prefix = `convene.gate.${cfg.checkpoint}.`;
  const el = (id) => document.getElementById(id);
  const verdictBox = el("verdict");
  const input = el("scan-input");

  const TOKEN_SIZE = 102;
  const PAYLOAD_SIZE = 38;
  const SYNC_BATCH = 500;
  const REQUEST_TIMEOUT_MS = 2500;
  const BUNDLE_EVERY_MS = 30000;

  // ---- storage (localStorage: synchronous, so a queued scan is on disk before it is shown)
  const load = (name, fallback) => {
    try {
      const value = JSON.parse(localStorage.getItem(prefix + name));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  };
  const save = (name, value) => localStorage.setItem(prefix + name, JSON.stringify(value));

  let bundle = load("bundle", null);
  let queue = load("queue", []);
  let lastSync = load("lastSync", null);
  let inside = new Set();
  let revoked = new Set();
  let keys = new Map(); // key id (hex) -> CryptoKey
  let syncing = false;
  let lastToken = "";

  // ---- encoding helpers
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const uuidOf = (bytes) => {
    const h = hex(bytes);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const BASE64URL = /^[A-Za-z0-9_-]+$/;
  function decodeBase64url(text) {
    if (!text || text.length > 4 * TOKEN_SIZE || !BASE64URL.test(text) || text.length % 4 === 1) {
      return null;
    }
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
    try {
      return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    } catch (e) {
      return null;
    }
  }

  // ---- state from the bundle, replaying scans not yet uploaded
  async function adoptBundle(data) {
    bundle = data;
    revoked = new Set(data.revoked);
    inside = new Set(data.inside);
    for (const scan of queue) applyEffect(scan);
    const imported = new Map();
    for (const k of data.keys) {
      try {
        const raw = decodeBase64url(k.public_key);
        imported.set(k.kid, await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]));
      } catch (e) {
        console.warn("gate: key", k.kid, "could not be imported", e);
      }
    }
    keys = imported;
    if (window.ConvenePoolGate) await window.ConvenePoolGate.adopt(data.pools, keys, decodeBase64url);
    const people = Object.keys(data.people).length;
    const info = el("bundle-info");
    info.dataset.ready = "1";
    info.dataset.people = String(people);
    info.textContent = `${people} ${cfg.textCached}`;
    info.title = data.server_time;
  }

  function applyEffect(scan) {
    if (!scan.accepted || !scan.badge_id) return;
    if (cfg.direction === "exit") inside.delete(scan.badge_id);
    else inside.add(scan.badge_id);
  }

  // ---- network
  async function request(url, options = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        signal: controller.signal,
        ...options,
        headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf, ...(options.headers || {}) },
      });
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  async function refreshBundle() {
    try {
      const response = await request(cfg.bundleUrl);
      if (!response.ok) return false;
      const data = await response.json();
      save("bundle", data);
      await adoptBundle(data);
      cachePhotos(data);
      setOnline(navigator.onLine);
      return true;
    } catch (e) {
      return false;
    }
  }

  // Photos are fetched into the cache the service worker serves them from when offline.
  // #bundle-info[data-photos] says how many of the people's photos are cached.
  async function cachePhotos(data) {
    if (!("caches" in window)) return;
    const info = el("bundle-info");
    const urls = Object.values(data.people).map((p) => p.photo).filter(Boolean);
    let cached = 0;
    try {
      const cache = await caches.open("convene-gate-photos");
      for (let i = 0; i < urls.length; i += 20) {
        await Promise.all(urls.slice(i, i + 20).map(async (url) => {
          if (!(await cache.match(url))) {
            const response = await fetch(url, { credentials: "same-origin" });
            if (!response.ok) return;
            await cache.put(url, response);
          }
          cached += 1;
        }));
      }
    } catch (e) {
      console.warn("gate: photos not cached", e);
    }
    info.dataset.photos = `${cached}/${urls.length}`;
  }

  // ---- the offline decision (mirror of convene/gates/decision.py)
  async function decideLocally(token, override) {
    const raw = decodeBase64url(token);
    if (!raw || raw.length < 1) return { accepted: false, reason: "unreadable" };
    if (raw[0] !== 1) return { accepted: false, reason: "unknown_version" };
    if (raw.length !== TOKEN_SIZE) return { accepted: false, reason: "unreadable" };
    const view = new DataView(raw.buffer);
    const kid = hex(raw.slice(1, 5));
    const badge = uuidOf(raw.slice(5, 21));
    const zones = view.getBigUint64(22);
    const validFrom = view.getUint32(30);
    const validUntil = view.getUint32(34);
    const key = keys.get(kid);
    if (!key) return { accepted: false, reason: "unknown_key" };
    let ok = false;
    try {
      ok = await crypto.subtle.verify({ name: "Ed25519" }, key, raw.slice(PAYLOAD_SIZE), raw.slice(0, PAYLOAD_SIZE));
    } catch (e) {
      ok = false;
    }
    if (!ok) return { accepted: false, reason: "bad_signature" };
    const result = (accepted, reason) => ({ accepted, reason, badge_id: badge });
    if (revoked.has(badge)) return result(false, "revoked");
    const now = Math.floor(Date.now() / 1000);
    if (now < validFrom) return result(false, "not_yet_valid");
    if (now >= validUntil) return result(false, "expired");
    if (cfg.direction === "exit") return result(true, "exit_recorded");
    if (((zones >> BigInt(cfg.zoneBit)) & 1n) === 0n) {
      // A signed press pool place may admit here in its window (static/press/pool-gate.js).
      const pool = window.ConvenePoolGate && window.ConvenePoolGate.admits(badge, Number(cfg.zoneBit), now);
      return pool ? { ...result(true, "pool_position"), pool } : result(false, "zone_not_allowed");
    }
    if (inside.has(badge)) return override ? result(true, "overridden") : result(false, "already_inside");
    return result(true, "accepted");
  }

  // ---- one scan
  async function handle(token, override = false, overrideReason = "") {
    token = token.trim();
    if (!token) return;
    lastToken = token;
    show({ pending: true });
    const scan = {
      uuid: crypto.randomUUID(), token, scanned_at: new Date().toISOString(),
      override, override_reason: overrideReason,
    };
    let result = null;
    if (navigator.onLine) {
      try {
        const response = await request(cfg.scanUrl, { method: "POST", body: JSON.stringify(scan) });
        if (response.ok) {
          const data = await response.json();
          result = { ...data, mode: "online" };
          applyEffect({ accepted: data.accepted, badge_id: data.badge_id });
          if (data.reason === "revoked" && data.badge_id) revoked.add(data.badge_id);
          setOnline(true);
        } else if (response.status === 409) {
          const data = await response.json();
          show({ error: data.detail });
          return;
        }
      } catch (e) {
        result = null; // the network failed: decide here
      }
    }
    if (!result) {
      if (!bundle) {
        show({ error: cfg.textNoBundle });
        return;
      }
      setOnline(false);
      const local = await decideLocally(token, override);
      const queued = { ...scan, accepted: local.accepted, reason: local.reason, badge_id: local.badge_id || null };
      queue.push(queued);
      save("queue", queue);
      applyEffect(queued);
      const person = (local.badge_id && bundle.people[local.badge_id]) || (local.pool && local.pool.person);
      result = { ...local, person: person || null, mode: "offline" };
    }
    show(result);
    renderStatus();
  }

  // ---- upload of offline scans
  async function sync() {
    if (syncing || !queue.length) return;
    syncing = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, SYNC_BATCH);
        const body = batch.map(({ badge_id, ...scan }) => scan);
        const response = await request(cfg.syncUrl, { method: "POST", body: JSON.stringify({ scans: body }) });
        if (!response.ok) break;
        const answer = await response.json().catch(() => null);
        if (answer && Array.isArray(answer.conflicts)) reportConflicts(answer.conflicts);
        const sent = new Set(batch.map((s) => s.uuid));
        queue = queue.filter((s) => !sent.has(s.uuid));
        save("queue", queue);
        lastSync = new Date().toISOString();
        save("lastSync", lastSync);
      }
      if (!queue.length) await refreshBundle();
      setOnline(navigator.onLine);
    } catch (e) {
      setOnline(false);
    } finally {
      syncing = false;
      renderStatus();
    }
  }

  // The server merged this gate's offline scans with the other gates' and found entries made
  // while the badge was already inside (anti-passback across gates): tell the operator too.
  function reportConflicts(conflicts) {
    const recent = el("recent");
    for (const c of conflicts) {
      const item = document.createElement("li");
      item.className = "bad";
      item.dataset.reason = "passback_conflict";
      const when = new Date(c.scanned_at).toLocaleTimeString();
      item.textContent = `${when} · ${c.name || "—"} · ${cfg.textConflict} ${c.entered_at || ""}`;
      recent.prepend(item);
    }
  }

  // ---- display
  function setOnline(online) {
    const net = el("net");
    net.dataset.online = online ? "1" : "0";
    net.textContent = online ? cfg.textOnline : cfg.textOffline;
  }

  function renderStatus() {
    const pending = el("pending");
    pending.textContent = String(queue.length);
    pending.dataset.count = String(queue.length);
    el("last-sync").textContent = lastSync ? new Date(lastSync).toLocaleTimeString() : "—";
  }

  function show(result) {
    const overrideForm = el("override-form");
    overrideForm.hidden = true;
    const word = verdictBox.querySelector(".verdict-word");
    const reason = verdictBox.querySelector(".verdict-reason");
    const personBox = verdictBox.querySelector(".verdict-person");
    const mode = verdictBox.querySelector(".verdict-mode");
    personBox.hidden = true;
    mode.textContent = "";
    if (result.pending) {
      verdictBox.dataset.verdict = "pending";
      word.textContent = cfg.textChecking;
      reason.textContent = "";
      return;
    }
    if (result.error) {
      verdictBox.dataset.verdict = "error";
      word.textContent = cfg.textNo;
      reason.textContent = result.error;
      return;
    }
    verdictBox.dataset.verdict = result.accepted ? "accepted" : "rejected";
    verdictBox.dataset.reason = result.reason;
    verdictBox.dataset.mode = result.mode;
    word.textContent = result.accepted ? cfg.textYes : cfg.textNo;
    reason.textContent = reasons[result.reason] || result.reason;
    mode.textContent = result.mode === "offline" ? cfg.textOffline : "";
    const person = result.person;
    if (person) {
      personBox.hidden = false;
      personBox.querySelector(".verdict-name").textContent = person.name;
      personBox.querySelector(".verdict-delegation").textContent = person.delegation;
      personBox.querySelector(".verdict-category").textContent = person.category;
      personBox.querySelector(".verdict-zones").textContent = person.zones;
      const img = personBox.querySelector(".verdict-photo");
      if (person.photo) {
        img.src = person.photo;
        img.hidden = false;
      } else {
        img.removeAttribute("src");
        img.hidden = true;
      }
    } else if (result.accepted) {
      personBox.hidden = false;
      personBox.querySelector(".verdict-name").textContent = cfg.textUnknownPerson;
    }
    if (result.reason === "already_inside" && cfg.canOverride === "1") overrideForm.hidden = false;
    const item = document.createElement("li");
    item.className = result.accepted ? "ok" : "bad";
    item.dataset.reason = result.reason;
    item.dataset.mode = result.mode;
    item.textContent = `${new Date().toLocaleTimeString()} · ${person ? person.name : "—"} · ${reasons[result.reason] || result.reason}`;
    const recent = el("recent");
    recent.prepend(item);
    while (recent.children.length > 15) recent.lastElementChild.remove();
  }

  // ---- input: handheld scanner (types the code and Enter), typing, or the camera
  el("scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = input.value;
    input.value = "";
    handle(token);
    input.focus();
  });
  el("override-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const why = el("override-reason").value.trim();
    if (!why || !lastToken) return;
    el("override-reason").value = "";
    handle(lastToken, true, why);
    input.focus();
  });

  // ---- the camera: the phone's rear camera reads badge QR codes continuously.
  // The browser's own BarcodeDetector when it has one that reads QR codes (Chrome on Android,
  // macOS); elsewhere (Chromium on Linux, Safari on iOS, Firefox) the vendored barcode-detector
  // ponyfill, which runs ZXing compiled to WebAssembly from our own static files (never a CDN).
  // A code is handled once while it stays in view; it is read again only after it has been out
  // of view for SAME_CODE_GAP_MS, or when another code appears.
  const SAME_CODE_GAP_MS = 2500;
  const FRAME_EVERY_MS = 200;

  async function makeDetector() {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) return new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (e) {
        // fall through to the vendored decoder
      }
    }
    const api = window.BarcodeDetectionAPI;
    if (!api) return null;
    api.setZXingModuleOverrides({ locateFile: (path, prefix) => (path.endsWith(".wasm") ? cfg.wasmUrl : prefix + path) });
    return new api.BarcodeDetector({ formats: ["qr_code"] });
  }

  let cameraOn = false;
  async function startCamera() {
    if (cameraOn) return;
    const video = el("camera");
    const status = el("camera-status");
    try {
      const detector = await makeDetector();
      if (!detector) throw new Error(cfg.textNoDecoder);
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      cameraOn = true;
      root.dataset.camera = "on";
      status.textContent = cfg.textCameraOn;
      el("camera-button").hidden = true;
      let current = "";
      let seenAt = 0;
      let busy = false;
      const tick = async () => {
        if (!busy && video.readyState >= 2) {
          busy = true;
          try {
            const codes = await detector.detect(video);
            const value = codes.length ? codes[0].rawValue.trim() : "";
            const now = Date.now();
            if (value) {
              const fresh = value !== current || now - seenAt > SAME_CODE_GAP_MS;
              current = value;
              seenAt = now;
              if (fresh) {
                root.dataset.cameraReads = String(Number(root.dataset.cameraReads || "0") + 1);
                await handle(value);
              }
            }
          } catch (e) {
            // a frame that cannot be read; try the next one
          } finally {
            busy = false;
          }
        }
        setTimeout(tick, FRAME_EVERY_MS);
      };
      tick();
    } catch (e) {
      root.dataset.camera = "failed";
      status.textContent = `${cfg.textCameraFailed} (${e.name || e})`;
    }
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    const button = el("camera-button");
    button.hidden = false;
    button.addEventListener("click", startCamera);
    // Without a native decoder, fetch the WebAssembly decoder once while online, so that the
    // service worker has it when the network is down.
    if (!("BarcodeDetector" in window) && navigator.onLine && cfg.wasmUrl) {
      fetch(cfg.wasmUrl, { credentials: "same-origin" }).catch(() => {});
    }
  }

  // ---- start
  window.addEventListener("online", () => { setOnline(true); sync(); });
  window.addEventListener("offline", () => setOnline(false));
  if ("serviceWorker" in navigator && cfg.swUrl) {
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.swScope }).catch((e) => {
      console.warn("gate: no service worker", e);
    });
  }
  (async () => {
    if (bundle) await adoptBundle(bundle);
    setOnline(navigator.onLine);
    renderStatus();
    if (navigator.onLine) {
      await refreshBundle();
      await sync();
    }
    root.dataset.started = "1";
  })();
  setInterval(() => {
    if (!navigator.onLine) return;
    if (queue.length) sync();
  }, 5000);
  setInterval(() => {
    if (navigator.onLine) refreshBundle();
  }, BUNDLE_EVERY_MS);
  input.focus();
})();
