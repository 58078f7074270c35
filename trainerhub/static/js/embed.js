/* TrainerHub booking overlay for a trainer's own website.
 *
 *   <a href="https://hub.example.com/book/alice/" data-trainerhub-book>Book now</a>
 *   <script src="https://hub.example.com/static/js/embed.js" async></script>
 *
 * A click on the link opens the booking page (?embed=1) over the page in a modal dialog;
 * Escape, the close button or a click outside closes it. Without JavaScript the link
 * simply opens the booking page. No cookies, no tracking, nothing else on the host page.
 */
(function () {
  "use strict";
  if (window.__trainerhubEmbed) return;
  window.__trainerhubEmbed = true;

  var STYLE =
    "dialog.trainerhub-overlay{width:min(760px,100vw - 16px);height:min(900px,100vh - 16px);" +
    "max-width:none;max-height:none;padding:0;border:0;border-radius:12px;overflow:hidden;" +
    "box-shadow:0 10px 40px rgba(0,0,0,.35)}" +
    "dialog.trainerhub-overlay::backdrop{background:rgba(15,17,26,.6)}" +
    "dialog.trainerhub-overlay iframe{width:100%;height:100%;border:0;display:block;background:#fff}" +
    "dialog.trainerhub-overlay button.trainerhub-close{position:absolute;top:8px;right:8px;" +
    "width:40px;height:40px;border-radius:50%;border:0;background:#1b1d29;color:#fff;" +
    "font:24px/1 system-ui,sans-serif;cursor:pointer}";

  function embedUrl(href) {
    var url = new URL(href, window.location.href);
    url.searchParams.set("embed", "1");
    return url;
  }

  function open(link) {
    var url = embedUrl(link.href);
    var dialog = document.createElement("dialog");
    dialog.className = "trainerhub-overlay";
    dialog.setAttribute("aria-label", link.textContent.trim() || "Book a session");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "trainerhub-close";
    close.setAttribute("aria-label", "Close booking");
    close.textContent = "\u00d7";
    var frame = document.createElement("iframe");
    frame.src = url.toString();
    frame.title = link.textContent.trim() || "Book a session";
    dialog.appendChild(frame);
    dialog.appendChild(close);
    document.body.appendChild(dialog);

    function onMessage(event) {
      if (event.origin !== url.origin || !event.data) return;
      if (event.data.trainerhub === "close") dialog.close();
    }
    function finish() {
      window.removeEventListener("message", onMessage);
      dialog.remove();
      link.focus(); // back where the visitor was
    }
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close(); // the backdrop
    });
    dialog.addEventListener("close", finish);
    window.addEventListener("message", onMessage);
    dialog.showModal();
    frame.focus();
  }

  function start() {
    var style = document.createElement("style");
    style.textContent = STYLE;
    document.head.appendChild(style);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-trainerhub-book]");
      if (!link || typeof HTMLDialogElement === "undefined") return;
      event.preventDefault();
      open(link);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
