/*
 * The photo form's "published caption" (media/admin.py, PhotoAdmin.published_caption) follows the form
 * before it is saved: when the people shown, their positions, the date taken, the caption typed or the
 * "caption is generated" box change, the server says what will be published (caption-preview/, the same
 * rule as on save). Without this script the box shows the caption as saved.
 */
(function () {
  "use strict";

  function params(form, box) {
    const query = new URLSearchParams();
    const rows = [];
    form.querySelectorAll("select[name^='people_shown-'][name$='-appointment']").forEach(function (select) {
      if (select.name.indexOf("__prefix__") !== -1 || !select.value) return;
      const prefix = select.name.slice(0, -"appointment".length);
      const deleted = form.elements.namedItem(prefix + "DELETE");
      if (deleted && deleted.checked) return;
      const position = form.elements.namedItem(prefix + "position");
      const number = parseInt(position ? position.value : "", 10);
      rows.push([isNaN(number) ? 0 : number, rows.length, select.value]);
    });
    rows.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    rows.forEach(function (row) { query.append("appointment", row[2]); });
    const day = form.elements.namedItem("taken_at_0");
    if (day) query.set("taken_at", day.value);
    let edited = false;
    box.querySelectorAll("[data-language]").forEach(function (entry) {
      const field = form.elements.namedItem("caption_" + entry.dataset.language);
      if (!field) return;
      query.set("caption_" + entry.dataset.language, field.value);
      if (field.value !== field.defaultValue) edited = true;
    });
    const ticked = form.elements.namedItem("caption_is_generated");
    if (ticked && ticked.checked) query.set("caption_is_generated", "1");
    if (ticked && ticked.checked !== ticked.defaultChecked) query.set("just_ticked", "1");
    if (edited) query.set("caption_edited", "1");
    return query;
  }

  function start(box) {
    const form = box.closest("form");
    if (!form) return;
    let timer = null;
    let latest = 0;
    function refresh() {
      const request = ++latest;
      fetch(box.dataset.url + "?" + params(form, box).toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || request !== latest) return;
          box.querySelectorAll("[data-language]").forEach(function (entry) {
            entry.textContent = data.captions["caption_" + entry.dataset.language] || box.dataset.empty;
          });
        })
        .catch(function () {});
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    document.addEventListener("formset:added", later);
    document.addEventListener("formset:removed", later);
    // select2 (the people picker) announces its changes through jQuery only.
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", later);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".caption-preview[data-url]").forEach(start);
  });
})();
