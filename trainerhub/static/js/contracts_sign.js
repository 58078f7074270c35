/* The signature widget of the signing page (and of the trainer's countersign form).
 *
 * signature_pad draws on a canvas whose backing store is sized by devicePixelRatio, so the
 * strokes are sharp and never cropped on high-DPI screens (its known issue when the canvas
 * keeps its CSS size). The strokes are kept (toData) beside the PNG, and restored after a
 * resize or rotation. Without JavaScript the page offers the typed name only. */
(function () {
  "use strict";

  function setUp(form) {
    var canvas = form.querySelector(".signature-canvas");
    var drawPanel = form.querySelector('[data-mode="drawn"]');
    var typePanel = form.querySelector('[data-mode="typed"]');
    var radios = form.querySelectorAll('input[name="signature_type"]');
    var png = form.querySelector('input[name="signature_png"]');
    var points = form.querySelector('input[name="signature_points"]');
    var typed = form.querySelector('input[name="typed_name"]');
    var preview = form.querySelector(".typed-preview");
    if (!canvas || typeof window.SignaturePad !== "function") return;

    form.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    if (form.hasAttribute("data-fresh")) {
      var drawnRadio = form.querySelector('input[name="signature_type"][value="drawn"]');
      if (drawnRadio) drawnRadio.checked = true;
    }
    var pad = new window.SignaturePad(canvas, { penColor: "#111827", minWidth: 0.8, maxWidth: 2.6 });

    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = pad.toData();
      var rect = canvas.getBoundingClientRect();
      canvas.width = Math.round(rect.width * ratio);
      canvas.height = Math.round(rect.height * ratio);
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();  // resets the pad's internal state for the new size
      if (data.length) pad.fromData(data);
    }

    function mode() {
      var checked = form.querySelector('input[name="signature_type"]:checked');
      return checked ? checked.value : "typed";
    }

    function show() {
      var drawn = mode() === "drawn";
      drawPanel.hidden = !drawn;
      typePanel.hidden = drawn;
      if (drawn) resize();
    }

    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    var clear = form.querySelector("[data-signature-clear]");
    if (clear) clear.addEventListener("click", function () { pad.clear(); });
    var lastWidth = canvas.getBoundingClientRect().width;
    window.addEventListener("resize", function () {
      var width = canvas.getBoundingClientRect().width;
      if (width !== lastWidth && !drawPanel.hidden) { lastWidth = width; resize(); }
    });
    if (typed && preview) {
      var echo = function () { preview.textContent = typed.value; };
      typed.addEventListener("input", echo);
      echo();
    }
    form.addEventListener("submit", function () {
      if (mode() === "drawn" && !pad.isEmpty()) {
        png.value = pad.toDataURL("image/png");
        points.value = JSON.stringify(pad.toData());
      } else {
        png.value = "";
        points.value = "";
      }
    });
    show();
  }

  function start() {
    document.querySelectorAll("form.signing-form").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
