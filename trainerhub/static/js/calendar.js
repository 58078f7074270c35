// The calendar page: FullCalendar in the trainer's timezone, with a side panel (a <dialog>)
// for booking a free time and for a session's details and actions. The rules live on the
// server: a refused drag snaps back with the server's reason.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("calendar-config").textContent);
  var dialog = document.getElementById("panel-dialog");
  var panelBody = document.getElementById("panel-body");
  var panelTitle = document.getElementById("panel-title");
  var statusBox = document.getElementById("calendar-status");
  var showCancelled = document.getElementById("show-cancelled");
  var calendar;

  function csrfToken() {
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"];
  }

  function say(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "calendar-status message message-" + (kind || "info");
    statusBox.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { statusBox.hidden = true; }, 8000);
  }

  function openPanel(title, url) {
    panelTitle.textContent = title;
    panelBody.innerHTML = '<p class="muted">Loading…</p>';
    if (!dialog.open) dialog.showModal();
    htmx.ajax("GET", url, { target: "#panel-body", swap: "innerHTML" });
  }

  function isNarrow() { return window.matchMedia("(max-width: 40rem)").matches; }

  function eventsSource(info, success, failure) {
    var params = new URLSearchParams({ start: info.startStr, end: info.endStr });
    if (showCancelled.checked) params.set("cancelled", "1");
    fetch(config.eventsUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(success)
      .catch(function (err) { say("Could not load the calendar: " + err.message, "error"); failure(err); });
  }

  // A group class moves as a whole, or one attendee alone: the drop asks which in the panel
  // (the time it was dropped at filled in) and the event waits where it was until then.
  function moveSession(info) {
    var start = info.event.startStr;
    var session = info.event.extendedProps.session;
    info.revert();
    openPanel("Move " + info.event.extendedProps.service,
      config.sessionMoveUrl.replace("/0/", "/" + session + "/") + "?start=" + encodeURIComponent(start));
  }

  // The drag snaps to the service's start interval: FullCalendar snaps to a divisor of the
  // 30-minute rows (set when the pointer reaches the event, before any drag), and only drops
  // a whole number of intervals away from the start are allowed.
  function gcd(a, b) { return b ? gcd(b, a % b) : a; }

  function snapTo(info) {
    if (dragging) return;
    var snap = gcd(info.event.extendedProps.snap || 30, 30);
    if (snap !== currentSnap) {
      currentSnap = snap;
      calendar.setOption("snapDuration", { minutes: snap });
    }
  }

  function onInterval(dropInfo, dragged) {
    var step = dragged.extendedProps.snap;
    if (!step) return true;
    var minutes = Math.round((dropInfo.start - dragged.start) / 60000);
    var rest = ((minutes % 1440) + 1440) % 1440;
    return rest % step === 0 || (1440 - rest) % step === 0;
  }

  var dragging = false;
  var currentSnap = 30;

  function move(info) {
    if (info.event.extendedProps.session) { moveSession(info); return; }
    var url = config.moveUrl.replace("/0/", "/" + info.event.id + "/");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ start: info.event.startStr })
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) {
          info.revert();
          say("Not moved: " + (res.body.detail || "the move was refused."), "error");
          return;
        }
        say("Moved " + info.event.title + " to " + info.event.start.toLocaleString("en-GB", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: config.timeZone }) + ".", "success");
        calendar.refetchEvents();
      })
      .catch(function () { info.revert(); say("Not moved: the server did not answer.", "error"); });
  }

  // FullCalendar draws prev/next as icon fonts in a role="img" span with no name: give each
  // button its hint ("Previous week") as its name and hide the glyph from screen readers.
  // Re-applied after every render of the toolbar (the view or the dates changed).
  function labelToolbar() {
    document.querySelectorAll(".fc-prev-button, .fc-next-button").forEach(function (button) {
      if (button.title) button.setAttribute("aria-label", button.title);
      var icon = button.querySelector(".fc-icon");
      if (icon) { icon.setAttribute("aria-hidden", "true"); icon.removeAttribute("role"); }
    });
    // A month cell is labelled by its day number alone, hiding the sessions inside it from
    // its name; without the label the cell is named by what it shows.
    document.querySelectorAll(".fc-daygrid-day[aria-labelledby]").forEach(unlabelCell);
  }

  function unlabelCell(el) { el.removeAttribute("aria-labelledby"); }

  // Free times are drawn, not focusable: each day of the week and day views gets a "Book"
  // button in its header, reachable by Tab, that opens the booking form for that day with
  // its free starts as buttons.
  function addDayButton(info) {
    var day = info.el.getAttribute("data-date");
    if (!day || info.view.type.indexOf("timeGrid") !== 0 || info.el.querySelector(".day-book")) return;
    var name = new Date(day + "T12:00:00Z").toLocaleDateString("en-GB", {
      weekday: "long", day: "numeric", month: "long", timeZone: "UTC"
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link day-book";
    button.textContent = "Book";
    button.setAttribute("aria-label", "Book a session on " + name);
    button.addEventListener("click", function () {
      openPanel("Book a session", config.newUrl + "?start=" + encodeURIComponent(day + "T" + config.dayStart));
    });
    info.el.appendChild(button);
  }

  function init() {
    calendar = new FullCalendar.Calendar(document.getElementById("calendar"), {
      timeZone: config.timeZone,
      locale: "en-gb",  // "30 Nov – 6 Dec 2026", never the US "Nov 30 – Dec 6, 2026"
      initialView: isNarrow() ? "timeGridDay" : "timeGridWeek",
      headerToolbar: isNarrow()
        ? { left: "prev,next", center: "title", right: "today" }
        : { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listWeek" },
      footerToolbar: isNarrow() ? { center: "dayGridMonth,timeGridWeek,timeGridDay,listWeek" } : false,
      buttonText: { today: "Today", month: "Month", week: "Week", day: "Day", list: "List" },
      firstDay: 1,
      views: {
        timeGridWeek: { dayHeaderFormat: { weekday: "short", day: "numeric" } },
        dayGridMonth: { dayHeaderFormat: { weekday: "short" } }
      },
      nowIndicator: true,
      allDaySlot: false,
      slotMinTime: "06:00:00",
      slotMaxTime: "22:00:00",
      scrollTime: "07:00:00",
      height: "auto",
      expandRows: true,
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      editable: true,
      eventDurationEditable: false,
      selectable: true,
      selectMirror: true,
      events: eventsSource,
      loading: function (busy) { document.getElementById("loading").classList.toggle("htmx-request", busy); },
      datesSet: labelToolbar,
      dayHeaderDidMount: addDayButton,
      dayCellDidMount: function (info) { if (info.el.tagName === "TD") unlabelCell(info.el); },
      eventDidMount: function (info) {
        var p = info.event.extendedProps;
        if (p.service) info.el.setAttribute("title", p.service + " · " + p.status + (p.series ? " · series" : ""));
      },
      dateClick: function (info) {
        if (info.view.type === "dayGridMonth") {
          calendar.changeView("timeGridDay", info.dateStr);
          return;
        }
        openPanel("Book a session", config.newUrl + "?start=" + encodeURIComponent(info.dateStr));
      },
      select: function (info) {
        // A plain click is a dateClick; only a drag over several slots books from here.
        if (info.view.type === "dayGridMonth" || info.end - info.start <= 30 * 60 * 1000) return;
        calendar.unselect();
        openPanel("Book a session", config.newUrl + "?start=" + encodeURIComponent(info.startStr));
      },
      eventClick: function (info) {
        if (!info.event.id) return;
        info.jsEvent.preventDefault();
        var session = info.event.extendedProps.session;
        // A group class is one event; its panel lists the attendees.
        if (session) openPanel(info.event.title, config.sessionUrl.replace("/0/", "/" + session + "/"));
        else openPanel(info.event.title, config.detailUrl.replace("/0/", "/" + info.event.id + "/"));
      },
      eventMouseEnter: snapTo,
      eventDragStart: function () { dragging = true; },
      eventDragStop: function () { dragging = false; },
      eventAllow: onInterval,
      eventDrop: move
    });
    calendar.render();
    window.trainerCalendar = calendar;

    showCancelled.addEventListener("change", function () { calendar.refetchEvents(); });
    // Any booking change from the panel (htmx answers with HX-Trigger) refreshes the events.
    document.body.addEventListener("bookingChanged", function () { calendar.refetchEvents(); });
    document.body.addEventListener("htmx:afterSettle", function () {
      var done = panelBody.querySelector("[data-booking-done]");
      if (done && dialog.open) {
        say(done.textContent, "success");
        dialog.close();
      }
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();  // a click on the backdrop
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
