// Keeps a video's processing status up to date while it is pending or processing (the video status page and the
// status panel on the video's edit page), and reloads once it has finished or failed.
(function () {
  function watch(box) {
    if (!window.fetch) return;
    function poll() {
      if (["pending", "processing"].indexOf(box.dataset.status) < 0) return;
      fetch(box.dataset.url, { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          box.querySelector("[data-progress]").value = data.progress;
          box.querySelector("[data-progress-text]").textContent = data.progress + "%";
          box.querySelector("[data-status-label]").textContent = data.status_label;
          var subtitles = box.querySelector("[data-subtitles-label]");
          if (subtitles) subtitles.textContent = data.subtitles_label;
          if (data.can_retry && !box.querySelector("[data-retry]")) {
            location.reload();
            return;
          }
          if (data.status !== box.dataset.status && ["ready", "failed"].indexOf(data.status) >= 0) {
            location.reload();
            return;
          }
          box.dataset.status = data.status;
          setTimeout(poll, 2000);
        })
        .catch(function () {
          setTimeout(poll, 5000);
        });
    }
    setTimeout(poll, 2000);
  }

  function start() {
    document.querySelectorAll("[data-video-status]").forEach(watch);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
