// The guided session: plays the event script from core (kneecap.core.sessions) with timers,
// records what was done, and saves it. The session in progress is kept in localStorage as it
// happens; the finished one waits in the device's outbox (IndexedDB, outbox.js) and is sent,
// idempotently by its client id, as soon as the server answers again.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const root = $("kc-guide");
  if (!root) return;
  const script = JSON.parse($("kc-script").textContent);
  const meta = JSON.parse($("kc-meta").textContent);
  const speed = Number(root.dataset.speed || "1");
  const storeKey = `kc-session-${meta.date}-${meta.key}`;

  let state = load() || fresh();
  let timer = null;
  let started = 0; // performance.now() when the current timed event began (after pauses)
  let pausedAt = null;
  let wakeLock = null;

  function fresh() {
    return {
      clientId: crypto.randomUUID ? crypto.randomUUID() : uuid4(),
      index: 0,
      items: meta.items.map((m) => ({ exercise: m.exercise, level: m.level, side: m.side, sets: [] })),
      painAfter: null,
      startedAt: null,
      finish: {},
    };
  }
  function uuid4() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)); } catch { return null; }
  }
  function save() { localStorage.setItem(storeKey, JSON.stringify(state)); }

  // --- feedback: sound, vibration, screen awake -----------------------------------------
  let audio = null;
  function cue() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator();
      osc.frequency.value = 880;
      osc.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.15);
    } catch { /* no audio: the vibration and the screen still tell */ }
    if (navigator.vibrate) navigator.vibrate(150);
  }
  async function keepAwake() {
    try { if ("wakeLock" in navigator) wakeLock = await navigator.wakeLock.request("screen"); }
    catch { wakeLock = null; }
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && timer !== null && !wakeLock) keepAwake();
  });

  // --- playing the script -----------------------------------------------------------------
  const event = () => script.events[state.index];
  const item = (e) => (e.item === null ? null : state.items[e.item]);
  const currentSet = (e) => { const sets = item(e).sets; return sets[sets.length - 1]; };

  function show(label, big, detail) {
    $("kc-label").textContent = label;
    $("kc-big").textContent = big;
    $("kc-detail").textContent = detail || "";
    $("kc-progress").value = script.total_s ? (event().at_s / script.total_s) * 100 : 0;
  }

  function play() {
    clearInterval(timer); timer = null;
    const e = event();
    save();
    const it = e.item === null ? null : script.items[e.item];
    const where = it ? `${it.name}${e.set_no ? ` · set ${e.set_no} of ${e.sets}` : ""}${e.side ? ` · ${e.side} side` : ""}` : "";
    $("kc-skip").disabled = !e.skippable;
    $("kc-done").hidden = e.timer !== "stopwatch";
    if (e.cue) cue();
    if (e.kind === "set") {
      const side = e.side || item(e).side;
      item(e).sets.push(side ? { side } : {});
    }
    if (e.kind === "exercise" && e.set_no === null && state.index > 0 && needsExerciseForm(state.index)) return;
    if (e.kind === "end") return finish();
    if (e.timer === "none") { show(e.label, "", where); return next(); }
    started = performance.now();
    pausedAt = null;
    show(e.label, e.kind === "rep" ? String(e.rep_no) : "", where);
    timer = setInterval(() => tick(e, where), 100);
    tick(e, where);
  }

  function elapsed() { return ((pausedAt ?? performance.now()) - started) / 1000 * speed; }

  function tick(e, where) {
    const t = elapsed();
    if (e.timer === "countdown") {
      const left = Math.max(0, e.duration_s - t);
      if (e.kind !== "rep") $("kc-big").textContent = String(Math.ceil(left));
      if (left <= 0) { endTimed(e, e.duration_s); }
    } else {
      $("kc-big").textContent = String(Math.floor(t));
      if (e.target && e.unit === "s" && t >= e.target) endTimed(e, e.target);
    }
  }

  function endTimed(e, seconds) {
    clearInterval(timer); timer = null;
    $("kc-done").hidden = true;
    const set = e.item === null ? null : currentSet(e);
    if (e.kind === "rep") set.reps = (set.reps || 0) + 1;
    if (e.kind === "hold") set.hold_s = Math.round(seconds * 10) / 10;
    if (e.kind === "work" && e.records === "duration_s") set.duration_s = Math.round(seconds);
    if (e.awaits_input) return askDone(e, set);
    next();
  }

  function askDone(e, set) {
    const form = $("kc-entry");
    form.hidden = false;
    $("kc-entry-label").textContent = `How many ${e.unit === "m" ? "metres" : e.unit} did you do?`;
    const input = $("kc-entry-value");
    input.value = e.target ?? "";
    input.focus();
    form.onsubmit = (ev) => {
      ev.preventDefault();
      const value = Number(input.value);
      if (!(value >= 0)) return;
      set[e.records] = e.records === "flights" ? Math.round(value) : value;
      form.hidden = true;
      next();
    };
  }

  function next() {
    state.index += 1;
    play();
  }

  // After an exercise's last event, ask for its pain and effort before the next one starts.
  function needsExerciseForm(index) {
    const previous = script.events[index - 1];
    const it = state.items[previous.item];
    if (it.pain_during !== undefined) return false;
    const form = $("kc-exercise-form");
    $("kc-exercise-name").textContent = script.items[previous.item].name;
    form.hidden = false;
    if (it.peak !== undefined) form.elements.pain_during.value = it.peak;
    form.elements.pain_during.focus();
    form.onsubmit = (ev) => {
      ev.preventDefault();
      it.pain_during = Number(form.elements.pain_during.value);
      it.pain_location = form.elements.pain_location.value || null;
      it.rpe = form.elements.rpe.value === "" ? null : Number(form.elements.rpe.value);
      form.hidden = true;
      form.reset();
      play();
    };
    return true;
  }

  function finish() {
    const last = script.events[state.index - 1];
    if (last && last.item !== null && needsExerciseForm(state.index)) return;
    show("Session done", "✓", "How does the knee feel now?");
    releaseWake();
    const form = $("kc-finish-form");
    form.hidden = false;
    form.elements.pain_after.focus();
    form.onsubmit = (ev) => {
      ev.preventDefault();
      state.painAfter = Number(form.elements.pain_after.value);
      state.finish = {
        rpe: form.elements.rpe.value === "" ? null : Number(form.elements.rpe.value),
        twisted_or_fell: form.elements.twisted_or_fell.checked,
        swelling: form.elements.swelling.checked,
      };
      form.hidden = true;
      sentId = state.clientId;
      self.kcDevice.queue({ id: state.clientId, url: root.dataset.saveUrl, label: meta.label, body: payload() })
        .then(() => localStorage.removeItem(storeKey));
    };
  }

  function payload() {
    // minutes from the first start to the end, at the clock's speed (rule 25's session load)
    const minutes = state.startedAt ? Math.round((Date.now() - state.startedAt) * speed / 600) / 100 : null;
    return {
      client_id: state.clientId,
      date: meta.date,
      pain_before: state.painBefore ?? null,
      pain_after: state.painAfter,
      minutes,
      ...state.finish,
      exercises: state.items.filter((it) => it.sets.length || it.pain_during !== undefined).map((it) => ({
        exercise: it.exercise, level: it.level, sets: it.sets,
        pain_during: it.pain_during ?? null, pain_location: it.pain_location ?? null, rpe: it.rpe ?? null,
      })),
    };
  }

  // --- sending: the finished session waits in the device's outbox (pwa.js, outbox.js) ---------
  let sentId = null;
  document.addEventListener("kc-outbox", (ev) => {
    const { saved, refused, waiting } = ev.detail;
    if (saved.some((s) => s.id === sentId)) status(`Saved. <a href="${root.dataset.historyUrl}">See it in your history</a>.`);
    const no = refused.find((r) => r.id === sentId);
    if (no) status(`Not saved: ${escapeHtml(no.detail)}`);
    if (waiting.some((w) => w.id === sentId)) status("Saved on this device; it will be sent when the connection is back.");
  });
  function escapeHtml(s) { return String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`); }
  function status(html) { $("kc-status").innerHTML = html; }

  // --- controls ------------------------------------------------------------------------------
  function releaseWake() { if (wakeLock) { wakeLock.release().catch(() => {}); wakeLock = null; } }
  function start() {
    const before = $("kc-pain-before");
    if (before && before.value !== "" && state.painBefore === undefined) state.painBefore = Number(before.value);
    if (!state.startedAt) state.startedAt = Date.now();
    $("kc-before-form").hidden = true;
    $("kc-start").hidden = true;
    $("kc-controls").hidden = false;
    keepAwake();
    play();
  }
  function togglePause() {
    if (timer === null && pausedAt === null) return;
    if (pausedAt === null) { pausedAt = performance.now(); $("kc-pause").textContent = "Resume"; }
    else { started += performance.now() - pausedAt; pausedAt = null; $("kc-pause").textContent = "Pause"; }
  }
  function skip() { const e = event(); if (e.skippable) { clearInterval(timer); timer = null; next(); } }
  function done() { const e = event(); if (e.timer === "stopwatch") endTimed(e, elapsed()); }

  // Pain above the ceiling during a set ends that exercise at once (rule 16): its pain is
  // recorded as it is, and the guide moves on to the next exercise.
  function painNow() {
    const e = event();
    if (e.item === null) return;
    const value = window.prompt(`Knee pain now (0–10)? Above ${meta.ceiling} ends this exercise.`);
    if (value === null || value.trim() === "" || !(Number(value) >= 0 && Number(value) <= 10)) return;
    const it = state.items[e.item];
    it.peak = Math.max(it.peak ?? 0, Number(value));
    save();
    if (it.peak <= meta.ceiling) return;
    it.pain_during = it.peak;
    clearInterval(timer); timer = null;
    while (state.index < script.events.length - 1 && script.events[state.index + 1].item === e.item) state.index += 1;
    status(`${escapeHtml(script.items[e.item].name)} stopped: pain above ${meta.ceiling}/10. It will step back next time.`);
    next();
  }

  $("kc-start").addEventListener("click", start);
  $("kc-pain-now").addEventListener("click", painNow);
  $("kc-pause").addEventListener("click", togglePause);
  $("kc-skip").addEventListener("click", skip);
  $("kc-done").addEventListener("click", done);
  document.addEventListener("keydown", (ev) => {
    if (ev.target.closest("input, select, textarea, button")) return;
    if (ev.key === " ") { ev.preventDefault(); togglePause(); }
    if (ev.key === "s") skip();
    if (ev.key === "Enter") done();
  });
  if (state.index > 0) $("kc-start").textContent = "Resume the session";
})();
