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
        var lang = doc.lang === "en" ? "en-US" : "zh-CN";
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

  function setupPlayers() {
    var players = Array.prototype.slice.call(document.querySelectorAll("[data-player]"));
    if (!players.length) return;
    function seek(video, seconds, play) {
      var go = function () { video.currentTime = seconds; if (play) video.play().catch(function () {}); };
      if (video.readyState >= 1) go(); else video.addEventListener("loadedmetadata", go, { once: true });
    }
    players.forEach(function (figure) {
      var video = figure.querySelector("video");
      var section = figure.parentNode.querySelector("[data-transcript]");
      if (!section) return;
      var lines = Array.prototype.slice.call(section.querySelectorAll("[data-seek]"));
      lines.forEach(function (line) {
        line.addEventListener("click", function (event) {
          event.preventDefault();
          seek(video, parseFloat(line.dataset.seek), true);
        });
      });
      video.addEventListener("timeupdate", function () {
        var now = video.currentTime;
        lines.forEach(function (line) {
          var on = now >= parseFloat(line.dataset.seek) && now < parseFloat(line.dataset.end);
          if (on) line.setAttribute("aria-current", "true"); else line.removeAttribute("aria-current");
        });
      });
    });
    function seekFromHash() {
      var match = /(?:^#|&)t=(\d+(?:\.\d+)?)/.exec(location.hash);
      if (!match) return;
      var wanted = /(?:&)v=(\d+)/.exec(location.hash);
      var figure = wanted ? document.querySelector('[data-player][data-video-id="' + wanted[1] + '"]') : players[0];
      if (!figure) return;
      var step = figure.closest("[data-step]");
      var body = step && step.querySelector("[data-step-body]");
      if (body && body.hidden) { var toggle = step.querySelector(".step__toggle"); if (toggle) toggle.click(); }
      figure.scrollIntoView();
      seek(figure.querySelector("video"), parseFloat(match[1]), false);
    }
    window.addEventListener("hashchange", seekFromHash);
    seekFromHash();
  }

  function ready() { setupSteps(); setupReadAloud(); setupFeedback(); setupPlayers(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();
})();
