// kneecap on the runner's device: registers the service worker, sends the sessions waiting
// in the outbox (outbox.js) and says what is still waiting, and forgets everything kept on
// this device when the runner logs out (or another account logs in).
(() => {
  "use strict";
  const me = document.currentScript;
  const box = self.kcOutbox;
  const user = me.dataset.user || "";
  const csrf = () => {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch { return null; }
  };

  async function forget() {
    await box.clear();
    if (self.caches) for (const key of await caches.keys()) if (key.startsWith("kc-pages-")) await caches.delete(key);
    for (const key of Object.keys(localStorage)) if (key.startsWith("kc-session-")) localStorage.removeItem(key);
    localStorage.removeItem("kc-user");
  }

  // --- what waits to be sent, on every page -------------------------------------------------
  function banner() {
    let el = document.getElementById("kc-outbox");
    if (!el) {
      el = document.createElement("p");
      el.id = "kc-outbox";
      el.className = "kc-outbox";
      el.setAttribute("role", "status");
      (document.getElementById("main") || document.body).prepend(el);
    }
    return el;
  }
  function report(result) {
    const lines = [];
    for (const s of result.saved) lines.push(`Saved: your session of ${s.label}.`);
    for (const r of result.refused) lines.push(`Not saved: your session of ${r.label}: ${r.detail}`);
    if (result.waiting.length) {
      const what = result.waiting.map((w) => w.label).join(", ");
      lines.push(`Waiting on this device to be sent: your session${result.waiting.length > 1 ? "s" : ""} of ${what}. `
        + (result.login ? "Log in again to send it." : "It is sent when the connection is back."));
    }
    if (lines.length) { const el = banner(); el.textContent = lines.join(" "); el.hidden = false; }
    document.dispatchEvent(new CustomEvent("kc-outbox", { detail: result }));
  }
  let sending = null;
  function send() {
    if (!user) return Promise.resolve(); // logged out: kept until the runner logs in
    sending = sending || box.flush(csrf()).then(report).catch(() => null).finally(() => { sending = null; });
    return sending;
  }

  // The guided session hands a finished session here: kept first, then sent.
  async function queue(entry) {
    await box.put({ ...entry, csrf: csrf() });
    try {
      const reg = await navigator.serviceWorker?.getRegistration();
      if (reg && reg.sync) await reg.sync.register("kc-outbox");
    } catch { /* no Background Sync: sent on the `online` event or the next visit */ }
    await send();
  }
  self.kcDevice = { queue, send };

  // --- start --------------------------------------------------------------------------------
  async function start() {
    const previous = localStorage.getItem("kc-user");
    if (user && previous && previous !== user) await forget(); // another account's pages
    if (user) localStorage.setItem("kc-user", user);
    // sessions an older kneecap kept in localStorage move to the outbox
    for (const body of JSON.parse(localStorage.getItem("kc-outbox") || "[]")) {
      await box.put({ id: body.client_id, url: me.dataset.save, label: body.date, body, csrf: csrf() });
    }
    localStorage.removeItem("kc-outbox");
    if ("serviceWorker" in navigator && user) {
      navigator.serviceWorker.register(me.dataset.sw, { scope: "/" }).catch(() => null);
      navigator.serviceWorker.addEventListener("message", (ev) => {
        if (ev.data && ev.data.type === "kc-outbox") report(ev.data.result);
      });
      const links = [...document.querySelectorAll("a[data-offline]")].map((a) => a.href);
      if (links.length) {
        navigator.serviceWorker.ready.then((reg) => reg.active && reg.active.postMessage({ type: "kc-keep", urls: links }));
      }
    }
    send();
  }
  window.addEventListener("online", send);

  // Logging out clears what this device keeps for the runner; a session not yet sent is
  // named first, since it would be lost.
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (form.getAttribute("action") !== me.dataset.logout || form.dataset.cleared) return;
    ev.preventDefault();
    const waiting = await box.list().catch(() => []);
    if (waiting.length && !window.confirm(
      `${waiting.length} session${waiting.length > 1 ? "s have" : " has"} not been sent yet; logging out deletes ${waiting.length > 1 ? "them" : "it"} from this device. Log out anyway?`,
    )) return;
    await forget();
    form.dataset.cleared = "1";
    form.submit();
  }, true);

  start();
})();
