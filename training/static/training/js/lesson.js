// Lesson progress: "mark as done", read to the end, and the watched stretches of a lesson video, all posted to
// the server (which decides what counts). Without JavaScript the "mark as done" form still works.
(function () {
  "use strict";
  const READ_SECONDS = 8;
  const lesson = document.querySelector("[data-lesson]");
  if (!lesson) return;
  const token = document.querySelector("[data-done-form] input[name=csrfmiddlewaretoken]");
  const doneForm = document.querySelector("[data-done-form][action]");
  const status = document.querySelector("[data-lesson-status]");

  function post(url, body, contentType, keepalive) {
    return fetch(url, {
      method: "POST",
      body: body,
      keepalive: Boolean(keepalive),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json", "Content-Type": contentType },
    }).then((response) => response.json().then((data) => ({ ok: response.ok, data: data })));
  }

  function show(result) {
    if (!result.ok) {
      if (status && result.data.error) status.textContent = result.data.error;
      return;
    }
    const data = result.data;
    document.querySelectorAll("[data-course-progress]").forEach((bar) => {
      bar.value = data.course_percent;
      bar.textContent = `${data.course_percent}%`;
    });
    document.querySelectorAll("[data-course-count]").forEach((line) => {
      line.textContent = data.course_count;
    });
    if (data.complete && status) {
      status.textContent = `✓ ${lesson.dataset.doneText || ""}`.trim();
      if (doneForm) doneForm.hidden = true;
    }
  }

  function markDone(how) {
    if (!doneForm) return Promise.resolve();
    const body = new URLSearchParams({ how: how });
    return post(doneForm.action, body, "application/x-www-form-urlencoded").then(show);
  }

  if (doneForm) {
    doneForm.addEventListener("submit", (event) => {
      event.preventDefault();
      markDone("marked_done");
    });
    const end = document.querySelector("[data-read-end]");
    const openedAt = Date.now();
    let sent = false;
    if (end && "IntersectionObserver" in window) {
      let visible = false;
      const tryRead = () => {
        if (!sent && visible && Date.now() - openedAt >= READ_SECONDS * 1000) {
          sent = true;
          markDone("read_to_end");
        }
      };
      new IntersectionObserver((entries) => {
        visible = entries.some((entry) => entry.isIntersecting);
        tryRead();
        if (visible) window.setTimeout(tryRead, READ_SECONDS * 1000);
      }).observe(end);
    }
  }

  const video = document.querySelector("video[data-watch]");
  if (video) {
    const bar = document.querySelector("[data-watched-progress]");
    const report = (keepalive) => {
      const ranges = [];
      for (let i = 0; i < video.played.length; i += 1) ranges.push([video.played.start(i), video.played.end(i)]);
      if (!ranges.length) return;
      const body = JSON.stringify({ ranges: ranges, position: video.currentTime });
      post(video.dataset.watchedUrl, body, "application/json", keepalive).then((result) => {
        show(result);
        if (bar && result.ok && video.duration) {
          bar.value = Math.min(100, Math.floor((result.data.watched_seconds * 100) / video.duration));
        }
      }).catch(() => {});
    };
    let timer = null;
    video.addEventListener("play", () => {
      if (!timer) timer = window.setInterval(() => report(false), 15000);
    });
    video.addEventListener("pause", () => {
      window.clearInterval(timer);
      timer = null;
      report(false);
    });
    video.addEventListener("ended", () => report(false));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") report(true);
    });
  }
})();
