// Keyboard shortcuts for the review queue: j/k move, a accept, e edit, r reject, d defer.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("article.candidate"));
  if (!items.length) { return; }
  var current = 0;
  function focus(i) {
    current = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (el, n) { el.classList.toggle("current", n === current); });
    items[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target && ev.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var el = items[current].querySelector('[data-key="' + ev.key + '"]');
    if (ev.key === "j") { focus(current + 1); }
    else if (ev.key === "k") { focus(current - 1); }
    else if (el && el.tagName === "BUTTON") { el.click(); }
    else if (el) { ev.preventDefault(); el.focus(); }
  });
  focus(0);
}());
