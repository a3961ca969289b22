/* Step video players. Each plays only its step's chapter (data-start to data-end), loads nothing while its step is
   closed or far from the screen (the markup waits in <noscript> until then), and one sounds at a time. Without this file the <noscript>
   player and its media fragment still play the right chapter. */
(function () {
  "use strict";
  var figures = Array.prototype.slice.call(document.querySelectorAll("[data-player]"));
  if (!figures.length) return;
  var videos = [];

  function seconds(value, fallback) {
    var number = parseFloat(value);
    return isFinite(number) ? number : fallback;
  }
  function chapterOf(figure) {
    return { start: seconds(figure.dataset.start, 0), end: seconds(figure.dataset.end, Infinity) };
  }
  function bodyOf(figure) { return figure.closest("[data-step-body]"); }
  function isOpen(figure) { var body = bodyOf(figure); return !body || !body.hidden; }
  function lineElements(figure) {
    var step = figure.closest("[data-step]") || figure.parentNode;
    return Array.prototype.slice.call(step.querySelectorAll("[data-transcript] [data-seek]"));
  }

  function wire(figure, video) {
    var chapter = chapterOf(figure);
    var lines = lineElements(figure);
    var watching = false;
    // Stopping at the chapter's end: the fragment's end and timeupdate (every quarter second) can both overshoot
    // onto the next step's screen, so while playing each frame is checked.
    function stopAtEnd() {
      if (video.currentTime >= chapter.end - 0.02) {
        video.pause();
        video.currentTime = Math.max(chapter.start, chapter.end - 0.05);
      }
    }
    function watch() {
      if (video.paused) { watching = false; return; }
      stopAtEnd();
      window.requestAnimationFrame(watch);
    }
    video.addEventListener("play", function () {
      videos.forEach(function (other) { if (other !== video && !other.paused) other.pause(); });
      if (video.currentTime < chapter.start - 0.05 || video.currentTime >= chapter.end - 0.1) {
        video.currentTime = chapter.start;
      }
      if (!watching) { watching = true; window.requestAnimationFrame(watch); }
    });
    video.addEventListener("seeked", function () {
      if (video.currentTime < chapter.start - 0.05) video.currentTime = chapter.start;
      else if (video.currentTime > chapter.end) video.currentTime = Math.max(chapter.start, chapter.end - 0.05);
    });
    video.addEventListener("timeupdate", function () {
      stopAtEnd();
      var now = video.currentTime;
      lines.forEach(function (line) {
        var on = now >= parseFloat(line.dataset.seek) && now < parseFloat(line.dataset.end);
        if (on) line.setAttribute("aria-current", "true"); else line.removeAttribute("aria-current");
      });
    });
  }

  function load(figure) {
    var existing = figure.querySelector("video");
    if (existing) return existing;
    var markup = figure.querySelector("noscript[data-player-markup]");
    if (!markup) return null;
    var holder = document.createElement("template");
    holder.innerHTML = markup.textContent;
    var video = holder.content.querySelector("video");
    if (!video) return null;
    // An open step's player may fetch what it needs to show its first frame and length; the rest waits for play.
    video.setAttribute("preload", "metadata");
    markup.replaceWith(document.importNode(video, true));
    video = figure.querySelector("video");
    videos.push(video);
    wire(figure, video);
    return video;
  }

  function seek(video, time, play) {
    var go = function () {
      video.currentTime = time;
      if (play) video.play().catch(function () {});
    };
    if (video.readyState >= 1) go(); else video.addEventListener("loadedmetadata", go, { once: true });
  }

  // An open step's player is put in place once it is on screen: on a slow network the step's own text and picture
  // come first, and a player below them costs nothing until the citizen scrolls to it.
  var onScreen = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting && isOpen(entry.target)) { onScreen.unobserve(entry.target); load(entry.target); }
    });
  }) : null;
  function want(figure) {
    if (!isOpen(figure) || figure.querySelector("video")) return;
    if (onScreen) onScreen.observe(figure); else load(figure);
  }

  figures.forEach(function (figure) {
    lineElements(figure).forEach(function (line) {
      line.addEventListener("click", function (event) {
        event.preventDefault();
        var video = load(figure);
        if (video) seek(video, parseFloat(line.dataset.seek), true);
      });
    });
    want(figure);
    var body = bodyOf(figure);
    if (body && "MutationObserver" in window) {
      new MutationObserver(function () { want(figure); }).observe(body, { attributes: true, attributeFilter: ["hidden"] });
    }
  });

  // #t=36.43&v=5 (a search hit inside a video): open the step whose chapter holds that second and go there.
  function seekFromHash() {
    var match = /(?:^#|&)t=(\d+(?:\.\d+)?)/.exec(location.hash);
    if (!match) return;
    var time = parseFloat(match[1]);
    var wanted = /&v=(\d+)/.exec(location.hash);
    var candidates = figures.filter(function (f) { return !wanted || f.dataset.videoId === wanted[1]; });
    // Search links give whole seconds (the second a line starts in), so a chapter that starts less than a second
    // after the given time is the one meant: the latest chapter starting before time + 1.
    var figure = null;
    candidates.forEach(function (f) {
      var start = chapterOf(f).start;
      if (start < time + 1 && (!figure || start > chapterOf(figure).start)) figure = f;
    });
    figure = figure || candidates[0];
    if (!figure) return;
    time = Math.max(time, chapterOf(figure).start);
    var step = figure.closest("[data-step]");
    var body = bodyOf(figure);
    if (body && body.hidden) { var toggle = step && step.querySelector(".step__toggle"); if (toggle) toggle.click(); }
    var video = load(figure);
    figure.scrollIntoView();
    if (video) seek(video, time, false);
  }
  window.addEventListener("hashchange", seekFromHash);
  seekFromHash();
})();
