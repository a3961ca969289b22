// Keeps a background job's status box up to date (a video being processed, a channel package being built) from
// its JSON status view, and reloads the page once the job has finished or failed so what it made shows.
//
// On the box:
//   data-status-poll            marks the box
//   data-url                    the JSON status view
//   data-status                 the status the page was drawn with
//   data-poll-while             statuses (space separated) in which to keep asking
//   data-poll-every             milliseconds between questions (default 2000)
//   data-reload-on              statuses that reload the page when the job reaches them (default "ready failed")
//   data-reload-if              a JSON field: reload once it is true, unless the box already holds an element
//                               marked data-poll-shown with that field's name (it was drawn for it)
// Inside the box:
//   data-poll-value="FIELD"     the element's value is set to the field (a <progress>)
//   data-poll-text="FIELD"      its text is set to the field, followed by data-poll-suffix if given
(function () {
  var RETRY_AFTER_ERROR = 5000;

  function words(value) {
    return (value || "").split(/\s+/).filter(Boolean);
  }

  function show(box, data) {
    box.querySelectorAll("[data-poll-value]").forEach(function (element) {
      var key = element.dataset.pollValue;
      if (key in data) element.value = data[key];
    });
    box.querySelectorAll("[data-poll-text]").forEach(function (element) {
      var key = element.dataset.pollText;
      if (key in data) element.textContent = String(data[key]) + (element.dataset.pollSuffix || "");
    });
  }

  function mustReload(box, data) {
    var flag = box.dataset.reloadIf;
    if (flag && data[flag]) {
      var shown = Array.prototype.some.call(box.querySelectorAll("[data-poll-shown]"), function (element) {
        return words(element.dataset.pollShown).indexOf(flag) >= 0;
      });
      if (!shown) return true;
    }
    var reloadOn = words(box.dataset.reloadOn || "ready failed");
    return data.status !== box.dataset.status && reloadOn.indexOf(data.status) >= 0;
  }

  function watch(box) {
    if (!window.fetch) return;
    var polling = words(box.dataset.pollWhile);
    var every = parseInt(box.dataset.pollEvery, 10) || 2000;

    function poll() {
      if (polling.indexOf(box.dataset.status) < 0) return;
      fetch(box.dataset.url, { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          show(box, data);
          if (mustReload(box, data)) {
            location.reload();
            return;
          }
          box.dataset.status = data.status;
          setTimeout(poll, every);
        })
        .catch(function () {
          setTimeout(poll, RETRY_AFTER_ERROR);
        });
    }
    setTimeout(poll, every);
  }

  function start() {
    document.querySelectorAll("[data-status-poll]").forEach(watch);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
