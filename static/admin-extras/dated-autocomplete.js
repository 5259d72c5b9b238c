/*
 * The admin's search-as-you-type (select2, as Django's autocomplete.js starts it) for choices that
 * depend on a day, such as people in the role they held that day. Each search also sends `on`: the
 * current value of the first filled date field named in `data-day-fields`, as typed (the server reads
 * it in the admin's date format), else `data-day` (the saved day). A date changed in the form is
 * therefore used before the form is saved.
 */
(function () {
  "use strict";

  function day(element) {
    const form = element.form;
    const names = (element.dataset.dayFields || "").split(" ").filter(Boolean);
    for (const name of names) {
      const field = form && form.elements.namedItem(name);
      if (field && field.value && field.value.trim()) return field.value.trim();
    }
    return element.dataset.day || "";
  }

  function start(element) {
    const $ = window.django.jQuery;
    $(element).select2({
      ajax: {
        data: function (params) {
          return {
            term: params.term,
            page: params.page,
            app_label: element.dataset.appLabel,
            model_name: element.dataset.modelName,
            field_name: element.dataset.fieldName,
            on: day(element),
          };
        },
      },
    });
  }

  // Started once every script of the page has run (select2 and django.jQuery included).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".dated-autocomplete:not([name*=__prefix__])").forEach(start);
  });

  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll(".dated-autocomplete").forEach(start);
  });
})();
