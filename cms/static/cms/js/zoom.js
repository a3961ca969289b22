/* Step screenshots open full screen, where the phone's pinch zooms them; Back closes the picture where the
   citizen was. Without this file each screenshot is a link to its full-size picture, which works the same way. */
(function () {
  "use strict";
  var steps = document.querySelector("[data-steps]");
  var links = document.querySelectorAll("a[data-zoom]");
  if (!steps || !links.length || typeof HTMLDialogElement === "undefined") return;

  var dialog = document.createElement("dialog");
  dialog.className = "zoom";
  dialog.setAttribute("aria-label", steps.dataset.zoomDialog);
  var bar = document.createElement("div");
  bar.className = "zoom__bar";
  var close = document.createElement("button");
  close.type = "button";
  close.className = "button-link zoom__close";
  close.textContent = steps.dataset.zoomClose;
  bar.appendChild(close);
  var frame = document.createElement("div");
  frame.className = "zoom__frame";
  var picture = document.createElement("img");
  picture.className = "zoom__img";
  picture.decoding = "async";
  frame.appendChild(picture);
  dialog.appendChild(bar);
  dialog.appendChild(frame);
  document.body.appendChild(dialog);

  var opener = null;
  var returnY = 0;

  function open(link) {
    var small = link.querySelector("img");
    opener = link;
    returnY = window.scrollY;
    picture.src = link.href;
    picture.alt = small ? small.alt : "";
    if (link.lang) picture.lang = link.lang; else picture.removeAttribute("lang");
    dialog.classList.remove("zoom--big");
    // An entry of its own in the history, at the same address: Back closes the picture instead of leaving.
    history.pushState({ bangbanZoom: link.closest("figure").id }, "", location.href);
    dialog.showModal();
    frame.scrollTop = 0;
    frame.scrollLeft = 0;
  }

  function shut() {
    if (!dialog.open) return;
    dialog.close();
    window.scrollTo({ top: returnY, left: 0, behavior: "instant" });
    if (opener) opener.focus({ preventScroll: true });
  }

  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      open(link);
    });
  });
  // Tapping the picture doubles it, for anyone who finds pinching hard; tapping again fits it to the screen.
  picture.addEventListener("click", function () { dialog.classList.toggle("zoom--big"); });
  close.addEventListener("click", function () { history.back(); });
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); history.back(); });
  window.addEventListener("popstate", shut);
})();
