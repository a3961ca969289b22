// Keeps a channel package's build progress up to date while it is queued or building, and reloads once the
// build has finished or failed so the previews of the new files show.
(function () {
  function watch(box) {
    if (!window.fetch) return;
    function poll() {
      if (["queued", "building"].indexOf(box.dataset.status) < 0) return;
      fetch(box.dataset.url, { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          box.querySelector("[data-progress]").value = data.progress;
          box.querySelector("[data-progress-text]").textContent = data.progress + "%";
          box.querySelector("[data-status-label]").textContent = data.status_label;
          box.querySelector("[data-stage]").textContent = data.stage;
          if (data.status !== box.dataset.status && ["ready", "failed"].indexOf(data.status) >= 0) {
            location.reload();
            return;
          }
          box.dataset.status = data.status;
          setTimeout(poll, 1500);
        })
        .catch(function () {
          setTimeout(poll, 5000);
        });
    }
    setTimeout(poll, 1500);
  }

  function start() {
    document.querySelectorAll("[data-package-status]").forEach(watch);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
