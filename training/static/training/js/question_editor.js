// The question editor (training/admin/question_editor.html): shows the section of the chosen question type, and adds
// and removes option rows. Without this script every section shows, with a note to fill the one of the type.
(function () {
  "use strict";

  function visibleRows(section) {
    return Array.from(section.querySelectorAll("[data-rows] > [data-row]")).filter((row) => !row.hidden);
  }

  function refreshButtons(section, maxRows) {
    const rows = visibleRows(section);
    const add = section.querySelector("[data-add-row]");
    add.hidden = false;
    add.disabled = rows.length >= maxRows;
    rows.forEach((row) => {
      const remove = row.querySelector("[data-remove-row]");
      remove.hidden = false;
      remove.disabled = rows.length <= 2;
    });
  }

  function clearRow(row) {
    row.querySelectorAll("input, textarea").forEach((input) => {
      input.value = "";
    });
  }

  function setUpRows(section, maxRows) {
    const total = section.querySelector("input[name$='-TOTAL_FORMS']");
    const template = section.querySelector("template[data-row-template]");
    const container = section.querySelector("[data-rows]");
    if (!total || !template || !container) return;
    section.querySelector("[data-add-row]").addEventListener("click", () => {
      if (visibleRows(section).length >= maxRows) return;
      const index = Number(total.value);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      refreshButtons(section, maxRows);
      const added = container.lastElementChild;
      const first = added && added.querySelector("input, textarea");
      if (first) first.focus();
    });
    container.addEventListener("click", (event) => {
      const button = event.target.closest("[data-remove-row]");
      if (!button || visibleRows(section).length <= 2) return;
      const row = button.closest("[data-row]");
      clearRow(row);
      row.hidden = true;
      refreshButtons(section, maxRows);
    });
    refreshButtons(section, maxRows);
  }

  function init(editor) {
    const maxRows = Number(editor.dataset.maxRows) || 10;
    const form = editor.closest("form");
    const typeSelect = form && form.querySelector("select[name='type']");
    const sections = Array.from(editor.querySelectorAll("[data-question-section]"));
    sections.forEach((section) => setUpRows(section, maxRows));
    if (!typeSelect) return;
    const note = editor.querySelector("[data-question-editor-note]");
    function show() {
      const kind = typeSelect.value;
      sections.forEach((section) => {
        section.hidden = !section.dataset.types.split(" ").includes(kind);
      });
      if (note) note.hidden = Boolean(kind);
    }
    typeSelect.addEventListener("change", show);
    show();
  }

  function start() {
    document.querySelectorAll("[data-question-editor]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
