// Applies the saved theme before first paint so a dark-theme user never sees a white flash
// (loaded without defer in <head>). Storage is refused inside another site's frame (the
// embedded booking page): keep "auto" there.
(function () {
  try {
    var t = localStorage.getItem("theme");
    if (t) document.documentElement.dataset.theme = t;
  } catch (e) { /* no storage: the theme follows the system */ }
})();
