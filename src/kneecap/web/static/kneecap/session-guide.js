// The guided session: plays the event script from core (kneecap.core.sessions) with timers,
// records what was done, and saves it. Made for a phone on the floor: big numbers, one large
// button for the next action, spoken cues, the screen kept awake. The session in progress is
// kept in localStorage as it happens; the finished one waits in the device's outbox
// (IndexedDB, outbox.js) and is sent, idempotently by its client id, when the server answers.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const root = $("kc-guide");
  if (!root) return;
  const script = JSON.parse($("kc-script").textContent);
  const meta = JSON.parse($("kc-meta").textContent);
  const speed = Number(root.dataset.speed || "1");
  const storeKey = `kc-session-${meta.date}-${meta.key}`;
  const VOICE = "kc-voice";

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

  // --- feedback: voice, beep, vibration, screen awake ----------------------------------------
  let muted = localStorage.getItem(VOICE) === "off";
  function showMute() {
    $("kc-mute").setAttribute("aria-pressed", String(muted));
    $("kc-mute").textContent = muted ? "Voice off" : "Voice on";
  }
  function say(text) {
    if (muted || !text || !("speechSynthesis" in window)) return;
    speechSynthesis.cancel(); // never a backlog of stale cues
    speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }
  let audio = null;
  function beep() {
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
  function releaseWake() { if (wakeLock) { wakeLock.release().catch(() => {}); wakeLock = null; } }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && timer !== null && !wakeLock) keepAwake();
  });

  // What the voice says as an event begins: short, so it is over before the next one.
  function spoken(e) {
    const it = e.item === null ? null : script.items[e.item];
    const p = it ? it.prescription : {};
    switch (e.kind) {
      case "exercise": return it.name;
      case "get-ready": return "get ready";
      case "set": {
        const amount = p.reps ? `${p.reps} reps` : p.hold_s ? `hold ${p.hold_s} seconds`
          : p.distance_m ? `${p.distance_m} metres` : p.flights ? `${p.flights} flights`
          : p.duration_s ? `${p.duration_s} seconds` : "";
        return `set ${e.set_no} of ${e.sets}${e.side ? `, ${e.side} side` : ""}${amount ? `, ${amount}` : ""}`;
      }
      case "setup": return "get into position";
      case "rep": return String(e.rep_no);
      case "hold": return "hold";
      case "hold-end": return "release";
      case "side-switch": return "switch to the right side";
      case "rest": return `rest ${Math.round(e.duration_s)} seconds`;
      case "end": return "session done";
      default: return "";
    }
  }

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

  // The exercise being done shows in the player (its picture, a cue for each set) and only
  // its card stays on the page, under the timer.
  function showCard(index, setNo) {
    document.querySelectorAll("article.exercise-today").forEach((card, i) => { card.hidden = index !== null && i !== index; });
    const m = index === null ? null : meta.items[index];
    $("kc-now").hidden = !m || !(m.picture || m.cues.length);
    if (!m) return;
    const picture = $("kc-picture");
    picture.hidden = !m.picture;
    if (m.picture && picture.getAttribute("src") !== m.picture) {
      picture.src = m.picture;
      picture.alt = `Start and end positions of ${script.items[index].name}`;
    }
    $("kc-cue").textContent = m.cues.length ? m.cues[((setNo || 1) - 1) % m.cues.length] : "";
  }

  // The one large button says what it does now.
  function nextAction(e) {
    const button = $("kc-next");
    let action = "none";
    if (e.timer === "stopwatch") action = "done";
    else if (e.skippable) action = "skip";
    else if (e.kind === "rep" || (e.kind === "hold" && e.rep_no)) action = "end-set";
    else if (e.kind === "work" && e.timer === "countdown") action = "end-work";
    button.dataset.action = action;
    button.disabled = action === "none";
    button.textContent = {
      done: "Done", skip: e.kind === "rest" ? "Skip rest" : "I'm ready", "end-set": "End this set here",
      "end-work": "Stop here", none: "…",
    }[action];
  }

  function play() {
    clearInterval(timer); timer = null;
    const e = event();
    save();
    // the previous exercise's pain and effort are asked before the next one begins
    if (e.kind === "exercise" && state.index > 0 && needsExerciseForm(state.index)) return;
    if (e.kind === "end") return finish();
    const it = e.item === null ? null : script.items[e.item];
    const where = it ? `${it.name}${e.set_no ? ` · set ${e.set_no} of ${e.sets}` : ""}${e.side ? ` · ${e.side} side` : ""}` : "";
    if (e.item !== null) showCard(e.item, e.set_no);
    nextAction(e);
    if (e.cue) beep();
    say(spoken(e));
    if (e.kind === "set") {
      const side = e.side || item(e).side;
      item(e).sets.push(side ? { side } : {});
    }
    if (e.timer === "none") { show(e.label, "", where); return next(); }
    started = performance.now();
    pausedAt = null;
    show(e.label, e.kind === "rep" ? String(e.rep_no) : "", where);
    timer = setInterval(() => tick(e), 100);
    tick(e);
  }

  function elapsed() { return ((pausedAt ?? performance.now()) - started) / 1000 * speed; }

  function tick(e) {
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
    const set = e.item === null ? null : currentSet(e);
    if (e.kind === "rep") set.reps = (set.reps || 0) + 1;
    if (e.kind === "hold") set.hold_s = Math.round(seconds * 10) / 10;
    if (e.kind === "work" && e.records === "duration_s") set.duration_s = Math.round(seconds);
    if (e.awaits_input) return askDone(e, set);
    next();
  }

  function askDone(e, set) {
    const form = $("kc-entry");
    $("kc-controls").hidden = true;
    form.hidden = false;
    const words = { m: "metres", yd: "yards" }[e.unit] ?? e.unit;
    $("kc-entry-label").textContent = `How many ${words} did you do?`;
    const input = $("kc-entry-value");
    input.value = e.target ?? "";
    input.focus();
    form.onsubmit = (ev) => {
      ev.preventDefault();
      const value = Number(input.value);
      if (!(value >= 0)) return;
      // entered in the runner's units (yards), logged in the field's (metres)
      set[e.records] = e.records === "flights" ? Math.round(value) : value * (e.per_unit ?? 1);
      form.hidden = true;
      $("kc-controls").hidden = false;
      next();
    };
  }

  function next() {
    state.index += 1;
    play();
  }

  // A set left before its first rep (or hold) is finished holds nothing: it is not logged.
  function dropEmptySet(it) {
    const last = it.sets[it.sets.length - 1];
    if (last && !["reps", "hold_s", "duration_s", "distance_m", "flights"].some((k) => k in last)) it.sets.pop();
  }

  // Jump to the last event of the current exercise, or of the current set with `setOnly`.
  function jumpToEnd(e, setOnly) {
    const same = (x) => x.item === e.item && (!setOnly || (x.set_no === e.set_no && x.side === e.side && ["rep", "hold", "hold-end"].includes(x.kind)));
    while (state.index < script.events.length - 1 && same(script.events[state.index + 1])) state.index += 1;
  }

  // After an exercise's last event, ask for its pain and effort before the next one starts;
  // an exercise skipped before any set was done is not asked about, nor logged.
  function needsExerciseForm(index) {
    const previous = script.events[index - 1];
    const it = state.items[previous.item];
    if (it.pain_during !== undefined || !it.sets.length) return false;
    releaseTimer();
    const form = $("kc-exercise-form");
    $("kc-exercise-name").textContent = script.items[previous.item].name;
    show(`${script.items[previous.item].name}: done`, "", "");
    $("kc-controls").hidden = true;
    form.hidden = false;
    if (it.peak !== undefined) form.elements.pain_during.value = String(it.peak);
    form.onsubmit = (ev) => {
      ev.preventDefault();
      it.pain_during = Number(form.elements.pain_during.value);
      it.pain_location = form.elements.pain_location.value || null;
      it.rpe = form.elements.rpe.value === "" ? null : Number(form.elements.rpe.value);
      form.hidden = true;
      form.reset();
      $("kc-controls").hidden = false;
      play();
    };
    return true;
  }
  function releaseTimer() { clearInterval(timer); timer = null; }

  function finish() {
    const last = script.events[state.index - 1];
    if (last && last.item !== null && needsExerciseForm(state.index)) return;
    showCard(null);
    say(spoken(event()));
    $("kc-controls").hidden = true;
    show("Session done", "✓", "How does the knee feel now?");
    releaseWake();
    const form = $("kc-finish-form");
    form.hidden = false;
    form.onsubmit = (ev) => {
      ev.preventDefault();
      state.painAfter = Number(form.elements.pain_after.value);
      state.finish = {
        rpe: form.elements.rpe.value === "" ? null : Number(form.elements.rpe.value),
        twisted_or_fell: form.elements.twisted_or_fell.checked,
        swelling: form.elements.swelling.checked,
      };
      form.hidden = true;
      const body = payload();
      const sets = body.exercises.reduce((n, x) => n + x.sets.length, 0);
      $("kc-end-summary").textContent = `${body.exercises.length} exercise${body.exercises.length === 1 ? "" : "s"}, ${sets} set${sets === 1 ? "" : "s"}, knee pain after ${state.painAfter}/10.`;
      $("kc-end").hidden = false;
      show("", "✓", "");
      sentId = state.clientId;
      self.kcDevice.queue({ id: state.clientId, url: root.dataset.saveUrl, label: meta.label, body })
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
      // a skipped exercise is left out; one stopped by pain is logged, with its pain
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
  function start() {
    const before = $("kc-before-form").elements.pain_before.value;
    if (before !== "" && state.painBefore === undefined) state.painBefore = Number(before);
    if (!state.startedAt) state.startedAt = Date.now();
    $("kc-before-form").hidden = true;
    $("kc-start").hidden = true;
    $("kc-controls").hidden = false;
    root.classList.add("playing");
    root.scrollIntoView({ block: "start" }); // the player fills the screen, nothing above it
    keepAwake();
    play();
  }
  function togglePause() {
    if (timer === null && pausedAt === null) return;
    if (pausedAt === null) { pausedAt = performance.now(); $("kc-pause").textContent = "Resume"; say("paused"); }
    else { started += performance.now() - pausedAt; pausedAt = null; $("kc-pause").textContent = "Pause"; }
  }
  function act() {
    const e = event();
    if (!e || $("kc-controls").hidden) return;
    const action = $("kc-next").dataset.action;
    if (action === "done" || action === "end-work") return endTimed(e, elapsed());
    if (action === "skip") { releaseTimer(); return next(); }
    if (action === "end-set") { // fewer reps than planned: the reps finished so far count
      releaseTimer();
      if (e.kind === "hold") currentSet(e).hold_s = Math.round(elapsed() * 10) / 10;
      dropEmptySet(item(e));
      jumpToEnd(e, true);
      next();
    }
  }
  function skipExercise() {
    const e = event();
    if (!e || e.item === null) return;
    releaseTimer();
    dropEmptySet(item(e));
    jumpToEnd(e, false);
    status(`${escapeHtml(script.items[e.item].name)} skipped.`);
    next();
  }

  // Pain above the ceiling during a set ends that exercise at once (rule 16): its pain is
  // recorded as it is, and the guide moves on to the next exercise.
  function painNow(value) {
    const e = event();
    if (!e || e.item === null) return;
    const it = state.items[e.item];
    it.peak = Math.max(it.peak ?? 0, value);
    save();
    if (it.peak <= meta.ceiling) { status(`Knee pain ${value}/10 noted: carry on.`); return; }
    releaseTimer();
    dropEmptySet(it);
    it.pain_during = it.peak;
    jumpToEnd(e, false);
    status(`${escapeHtml(script.items[e.item].name)} stopped: pain above ${meta.ceiling}/10. It will step back next time.`);
    say("stop this exercise");
    next();
  }

  $("kc-start").addEventListener("click", start);
  $("kc-next").addEventListener("click", act);
  $("kc-pause").addEventListener("click", togglePause);
  $("kc-skip-exercise").addEventListener("click", skipExercise);
  $("kc-pain-now").addEventListener("click", (ev) => {
    const button = ev.target.closest("button");
    if (button) painNow(Number(button.value));
  });
  $("kc-mute").addEventListener("click", () => {
    muted = !muted;
    localStorage.setItem(VOICE, muted ? "off" : "on");
    if (muted && "speechSynthesis" in window) speechSynthesis.cancel();
    showMute();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.target.closest("input, select, textarea, button")) return;
    if (ev.key === " ") { ev.preventDefault(); togglePause(); }
    if (ev.key === "Enter") act();
  });
  showMute();
  if (state.index > 0) $("kc-start").textContent = "Resume the session";
})();
