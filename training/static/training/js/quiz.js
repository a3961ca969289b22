// A quiz attempt: each answer is saved to the server as it changes, a countdown from the server's deadline submits
// the form at 0:00, and the submit button works once. Without JavaScript the form's submit button saves everything.
(function () {
  "use strict";
  const form = document.querySelector("form[data-attempt]");
  if (!form) return;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]");
  const submit = form.querySelector("[data-submit]");
  let submitting = false;

  function responseOf(fieldset) {
    const type = fieldset.dataset.type;
    if (type === "single") {
      const chosen = fieldset.querySelector("input:checked");
      return chosen ? Number(chosen.value) : null;
    }
    if (type === "multiple") {
      const values = Array.from(fieldset.querySelectorAll("input:checked")).map((input) => Number(input.value));
      return values.length ? values : null;
    }
    if (type === "true_false") {
      const chosen = fieldset.querySelector("input:checked");
      return chosen ? chosen.value === "true" : null;
    }
    if (type === "short_answer") {
      const value = fieldset.querySelector("input").value.trim();
      return value || null;
    }
    if (type === "matching") {
      const pairs = {};
      let any = false;
      fieldset.querySelectorAll("select[data-prompt]").forEach((select) => {
        pairs[select.dataset.prompt] = select.value || null;
        any = any || Boolean(select.value);
      });
      return any ? pairs : null;
    }
    return null;
  }

  function save(fieldset) {
    const status = fieldset.querySelector("[data-saved]");
    const body = JSON.stringify({ question: Number(fieldset.dataset.question), response: responseOf(fieldset) });
    return fetch(form.dataset.answerUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json", "Content-Type": "application/json" },
    })
      .then((response) => response.json().then((data) => ({ ok: response.ok, data: data })))
      .then((result) => {
        if (result.ok) {
          if (status) status.textContent = `✓ ${form.dataset.savedText}`;
        } else if (result.data.result_url) {
          window.location.assign(result.data.result_url);
        } else if (status) {
          status.textContent = result.data.error || form.dataset.failedText;
        }
      })
      .catch(() => {
        if (status) status.textContent = form.dataset.failedText;
      });
  }

  const timers = new WeakMap();
  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("[data-question]");
    if (fieldset) save(fieldset);
  });
  form.addEventListener("input", (event) => {
    const fieldset = event.target.closest("[data-question]");
    if (!fieldset || fieldset.dataset.type !== "short_answer") return;
    clearTimeout(timers.get(fieldset));
    timers.set(fieldset, setTimeout(() => save(fieldset), 800));
  });

  form.addEventListener("submit", (event) => {
    if (submitting) {
      event.preventDefault();
      return;
    }
    submitting = true;
    if (submit) {
      // Disabled after the browser has taken the form's data, so the submission itself goes through once.
      setTimeout(() => {
        submit.disabled = true;
      }, 0);
    }
  });

  const timer = document.querySelector("[data-remaining]");
  if (timer) {
    const text = timer.querySelector("[data-timer-text]");
    const end = Date.now() + Number(timer.dataset.remaining) * 1000;
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      if (text) text.textContent = `${minutes}:${seconds}`;
      if (left === 0) {
        if (!submitting) {
          submitting = true;
          form.submit();
        }
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
