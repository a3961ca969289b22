/* Bangban page behaviour. Everything works without this file; it only adds step toggles, read-aloud and in-place feedback. */
(function () {
  "use strict";
  var doc = document.documentElement;
  doc.classList.add("js");

  function setupSteps() {
    var list = document.querySelector("[data-steps]");
    if (!list) return;
    var steps = Array.prototype.slice.call(list.querySelectorAll("[data-step]"));
    var controls = document.querySelector("[data-steps-controls]");
    var showAll = document.querySelector("[data-show-all]");

    function setOpen(step, open) {
      step.querySelector("[data-step-body]").hidden = !open;
      step.querySelector(".step__toggle").setAttribute("aria-expanded", String(open));
    }
    function refreshShowAll() {
      var allOpen = steps.every(function (s) { return !s.querySelector("[data-step-body]").hidden; });
      showAll.setAttribute("aria-expanded", String(allOpen));
      showAll.textContent = allOpen ? showAll.dataset.labelHide : showAll.dataset.labelShow;
    }
    steps.forEach(function (step) {
      var heading = step.querySelector("[data-step-heading]");
      var body = step.querySelector("[data-step-body]");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "step__toggle";
      button.setAttribute("aria-controls", body.id);
      button.textContent = heading.textContent;
      if (heading.lang) button.lang = heading.lang;
      heading.replaceWith(button);
      button.addEventListener("click", function () {
        setOpen(step, body.hidden);
        refreshShowAll();
      });
    });
    function openFromHash() {
      var target = location.hash && document.getElementById(location.hash.slice(1));
      var step = target && target.closest ? target.closest("[data-step]") : null;
      steps.forEach(function (s, i) { setOpen(s, step ? s === step : i === 0); });
      refreshShowAll();
    }
    showAll.addEventListener("click", function () {
      var open = showAll.getAttribute("aria-expanded") !== "true";
      steps.forEach(function (s) { setOpen(s, open); });
      refreshShowAll();
    });
    window.addEventListener("hashchange", openFromHash);
    controls.hidden = false;
    openFromHash();
  }

  function setupReadAloud() {
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
    var speaking = null;
    function pickVoice(lang) {
      var voices = window.speechSynthesis.getVoices();
      var want = lang.toLowerCase();
      return voices.filter(function (v) { return v.lang.replace("_", "-").toLowerCase() === want; })[0] ||
        voices.filter(function (v) { return v.lang.toLowerCase().indexOf(want.slice(0, 2)) === 0; })[0] || null;
    }
    function reset(button) {
      button.textContent = button.dataset.labelRead;
      button.setAttribute("aria-pressed", "false");
    }
    document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        window.speechSynthesis.cancel();
        if (speaking === button) { reset(button); speaking = null; return; }
        if (speaking) reset(speaking);
        var step = button.closest("[data-step]");
        var title = step.querySelector(".step__toggle, [data-step-heading]");
        var parts = [title ? title.textContent : ""];
        step.querySelectorAll("[data-speak-text]").forEach(function (el) { parts.push(el.textContent); });
        // The step's own language (its text says lang="zh-CN" on an English page), else the page's.
        var said = step.querySelector("[data-speak-text]");
        var marked = (said && said.closest("[lang]")) || doc;
        var lang = marked.lang === "en" ? "en-US" : marked.lang;
        var utterance = new SpeechSynthesisUtterance(parts.join("。 "));
        utterance.lang = lang;
        var voice = pickVoice(lang);
        if (voice) utterance.voice = voice;
        utterance.rate = doc.classList.contains("elder") ? 0.85 : 1;
        utterance.onend = function () { reset(button); speaking = null; };
        speaking = button;
        button.textContent = button.dataset.labelStop;
        button.setAttribute("aria-pressed", "true");
        window.speechSynthesis.speak(utterance);
      });
    });
  }

  function setupFeedback() {
    document.querySelectorAll("[data-feedback]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.fetch || !window.FormData) return;
        event.preventDefault();
        var data = new FormData(form);
        if (event.submitter) data.append(event.submitter.name, event.submitter.value);
        fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (result) {
            var note = document.createElement("p");
            note.className = "feedback__thanks";
            note.setAttribute("role", "status");
            note.textContent = result.ok ? result.message : result.error;
            form.replaceChildren(note);
          })
          .catch(function () { form.submit(); });
      });
    });
  }

  function ready() { setupSteps(); setupReadAloud(); setupFeedback(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();
})();
