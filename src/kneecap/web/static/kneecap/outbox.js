// The outbox: finished sessions kept on this device (IndexedDB) until the server has them.
// Shared by the pages and the service worker (Background Sync). Each session carries its
// client id, which the server stores once however often it arrives.
self.kcOutbox = (() => {
  "use strict";
  const DB = "kneecap";
  const STORE = "outbox";

  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "id" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  async function run(mode, action) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = action(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(req.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  // entry: {id: the session's client id, url, csrf, body, label}
  const put = (entry) => run("readwrite", (s) => s.put(entry));
  const list = () => run("readonly", (s) => s.getAll());
  const remove = (id) => run("readwrite", (s) => s.delete(id));
  const clear = () => new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(DB);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });

  // Send every waiting session. `csrf` is the current page's token (null in the worker: the
  // one kept with the session). Returns what was saved, refused, and is still waiting.
  // One flush at a time across the page and the worker (Web Locks where the browser has
  // them): Background Sync and the page's "online" would otherwise send the same session at
  // once, and the second send only finds it stored.
  function flush(csrf) {
    const locks = self.navigator && self.navigator.locks;
    return locks ? locks.request("kc-outbox-flush", () => flushNow(csrf)) : flushNow(csrf);
  }

  async function flushNow(csrf) {
    const result = { saved: [], refused: [], waiting: [], login: false };
    for (const entry of await list()) {
      let response;
      try {
        response = await fetch(entry.url, {
          method: "POST", credentials: "same-origin", redirect: "manual",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf || entry.csrf },
          body: JSON.stringify(entry.body),
        });
      } catch { result.waiting.push(entry); continue; } // no network
      if (response.ok) {
        await remove(entry.id);
        result.saved.push({ ...entry, answer: await response.json().catch(() => ({})) });
      } else if (response.type === "opaqueredirect" || response.status === 403) {
        result.login = true; // signed out or an old token: kept until the runner logs in
        result.waiting.push(entry);
      } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        await remove(entry.id); // the server will never take it: say why, once
        const detail = (await response.json().catch(() => ({}))).detail || response.statusText;
        result.refused.push({ ...entry, detail });
      } else {
        result.waiting.push(entry);
      }
    }
    return result;
  }

  return { put, list, remove, clear, flush };
})();
