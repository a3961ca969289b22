// A "new tutorial" link from a search gap opens the page creation form with ?title=…: the title field starts with
// the citizens' words (the editor still writes the tutorial's own title). An "input" event lets Wagtail derive the
// slug from it as it does for typed text.
(function () {
  if (!/\/admin\/pages\/add\//.test(window.location.pathname)) return;
  var title = new URLSearchParams(window.location.search).get("title");
  if (!title) return;
  function fill() {
    var field = document.getElementById("id_title");
    if (!field || field.value) return;
    field.value = title.slice(0, 255);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
