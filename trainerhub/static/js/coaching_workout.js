// The workout page, phone first: a tap on a set logs it with its target; ✎ opens the
// fields to change reps/weight first (the second tap logs). Every set carries its own
// idempotency key: a set waiting in the offline queue (localStorage) is sent again when the
// phone is back online, and the server stores it once however often it arrives.
(function () {
  "use strict";

  var root = document.getElementById("workout");
  if (!root) return;
  var QUEUE = "coaching-queue:" + root.dataset.logUrl;
  var restTimer = null;

  function csrf() {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }

  function writeQueue(items) {
    try { localStorage.setItem(QUEUE, JSON.stringify(items)); } catch (e) { /* private mode */ }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    });
  }

  function toast(text) {
    var el = root.querySelector("[data-toast]");
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
    setTimeout(function () { el.hidden = true; }, 4000);
  }

  function offlineNote(show) {
    var el = root.querySelector("[data-offline-note]");
    if (el) el.hidden = !show;
  }

  function flush() {
    var items = readQueue();
    if (!items.length) { offlineNote(false); return Promise.resolve(); }
    var item = items[0];
    return post(root.dataset.logUrl, item).then(function (r) {
      // Stored (201), stored before (200) or refused (400): either way it leaves the queue.
      writeQueue(readQueue().filter(function (q) { return q.idempotency_key !== item.idempotency_key; }));
      if (r.status === 400) toast("A set could not be saved: check it and log it again.");
      return r.json().then(function (data) { celebrate(data); }).then(flush);
    }).catch(function () { offlineNote(true); });
  }

  function celebrate(data) {
    if (data && data.records && data.records.length) toast("New personal record! " + data.records.join(" · "));
  }

  function startRest(seconds) {
    var box = root.querySelector("[data-rest-timer]");
    if (!box || !seconds) return;
    var left = seconds;
    var label = box.querySelector("[data-rest-left]");
    clearInterval(restTimer);
    box.hidden = false;
    function show() {
      label.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    }
    show();
    restTimer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(restTimer);
        box.hidden = true;
        if (navigator.vibrate) navigator.vibrate(200);
        return;
      }
      show();
    }, 1000);
  }

  function values(set) {
    var out = {};
    set.querySelectorAll("[data-fields] input").forEach(function (input) {
      if (input.value !== "") out[input.name] = input.value;
    });
    return out;
  }

  function label(v, unit) {
    var parts = [];
    if (v.reps) parts.push(v.reps + " reps");
    if (v.weight) parts.push(v.weight + " " + unit);
    if (v.duration_seconds) parts.push(v.duration_seconds + " s");
    if (v.distance_m) parts.push(v.distance_m + " m");
    return parts.join(" · ") || "done";
  }

  function logSet(set) {
    var v = values(set);
    var key = uuid();
    var body = {
      workout_key: root.dataset.workoutKey,
      program: root.dataset.program,
      day: root.dataset.day,
      date: root.dataset.date,
      booking: root.dataset.booking || undefined,
      item: set.dataset.item,
      exercise: set.dataset.exercise,
      set_number: set.dataset.number,
      reps: v.reps,
      weight: v.weight,
      duration_seconds: v.duration_seconds,
      distance_m: v.distance_m,
      idempotency_key: key
    };
    set.dataset.key = key;
    set.classList.add("done");
    set.querySelector("[data-tap]").setAttribute("aria-pressed", "true");
    set.querySelector("[data-label]").textContent = label(v, root.dataset.unit);
    var fields = set.querySelector("[data-fields]");
    fields.hidden = true;
    set.querySelector("[data-edit]").setAttribute("aria-expanded", "false");
    writeQueue(readQueue().concat([body]));
    flush();
    startRest(parseInt(set.dataset.rest || "0", 10));
  }

  function undoSet(set) {
    var key = set.dataset.key;
    var queued = readQueue();
    var waiting = queued.some(function (q) { return q.idempotency_key === key; });
    set.classList.remove("done");
    set.querySelector("[data-tap]").setAttribute("aria-pressed", "false");
    delete set.dataset.key;
    if (waiting) {
      writeQueue(queued.filter(function (q) { return q.idempotency_key !== key; }));
      return;
    }
    post(root.dataset.logUrl, { undo: true, idempotency_key: key }).catch(function () {
      toast("Offline: the set could not be undone.");
    });
  }

  root.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    var set = target.closest("[data-set]");
    if (target.hasAttribute("data-tap") && set) {
      if (set.classList.contains("done")) undoSet(set); else logSet(set);
    } else if (target.hasAttribute("data-edit") && set) {
      var fields = set.querySelector("[data-fields]");
      fields.hidden = !fields.hidden;
      target.setAttribute("aria-expanded", fields.hidden ? "false" : "true");
      var first = fields.querySelector("input");
      if (!fields.hidden && first) first.focus();
    } else if (target.hasAttribute("data-save") && set) {
      logSet(set);
    } else if (target.hasAttribute("data-rest-skip")) {
      clearInterval(restTimer);
      root.querySelector("[data-rest-timer]").hidden = true;
    } else if (target.hasAttribute("data-finish")) {
      finish();
    }
  });

  function finish() {
    var feel = root.querySelector("input[name=feel]:checked");
    var status = root.querySelector("[data-finish-status]");
    var error = root.querySelector("[data-finish-error]");
    flush().then(function () {
      return post(root.dataset.doneUrl, {
        workout_key: root.dataset.workoutKey,
        feel: feel ? feel.value : null,
        notes: root.querySelector("#workout-notes").value
      });
    }).then(function (r) {
      return r.json().then(function (data) {
        if (r.ok) {
          error.hidden = true;
          status.textContent = "Workout done. Well done!";
          status.hidden = false;
        } else {
          var first = Object.keys(data)[0];
          error.textContent = first ? data[first][0] : "Could not finish the workout.";
          error.hidden = false;
        }
      });
    }).catch(function () {
      error.textContent = "Offline: your sets are kept on this phone. Finish again when you are back online.";
      error.hidden = false;
    });
  }

  window.addEventListener("online", flush);
  flush();
})();
