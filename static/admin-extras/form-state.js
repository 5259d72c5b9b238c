/*
 * Reads and writes the values of an admin form as plain data, for the unsaved-changes warning and
 * the draft kept in the browser. Fields the server owns (CSRF token, lock version, inline counters,
 * files) are left out.
 */
(function () {
  "use strict";

  const SKIPPED = /^(csrfmiddlewaretoken|lock_version_seen)$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

  function fields(form) {
    return Array.from(form.elements).filter(function (el) {
      return el.name && !SKIPPED.test(el.name) && el.type !== "file" && el.type !== "submit" && el.type !== "button";
    });
  }

  function read(form) {
    const data = {};
    fields(form).forEach(function (el) {
      let value;
      if (el.type === "checkbox" || el.type === "radio") {
        if (!el.checked) {
          if (!(el.name in data)) data[el.name] = el.type === "checkbox" ? [] : "";
          return;
        }
        value = el.value;
      } else if (el.tagName === "SELECT") {
        value = Array.from(el.selectedOptions).map(function (option) {
          return { value: option.value, text: option.textContent };
        });
      } else {
        value = el.value;
      }
      if (el.type === "checkbox") {
        data[el.name] = (Array.isArray(data[el.name]) ? data[el.name] : []).concat([value]);
      } else {
        data[el.name] = value;
      }
    });
    return data;
  }

  function same(a, b) {
    return JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);
  }

  function differences(before, after) {
    return Object.keys(after).filter(function (name) {
      return !same(before[name], after[name]);
    });
  }

  /* The rich-text editors of the form, by textarea name (django-prose-editor announces each one). */
  const editors = {};
  document.addEventListener("prose-editor:ready", function (event) {
    const textarea = event.detail && event.detail.textarea;
    if (textarea && textarea.name) {
      editors[textarea.name] = event.detail.editor;
      document.dispatchEvent(new CustomEvent("newsroom:editor-ready", { detail: { name: textarea.name } }));
    }
  });

  function write(form, data) {
    fields(form).forEach(function (el) {
      if (!(el.name in data)) return;
      const value = data[el.name];
      if (el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.type === "radio") {
        el.checked = el.value === value;
      } else if (el.tagName === "SELECT") {
        const wanted = (value || []).map(function (option) { return option.value; });
        (value || []).forEach(function (option) {
          if (!Array.from(el.options).some(function (o) { return o.value === option.value; })) {
            el.add(new Option(option.text, option.value, false, false));
          }
        });
        Array.from(el.options).forEach(function (option) {
          option.selected = wanted.indexOf(option.value) !== -1;
        });
        if (window.django && window.django.jQuery) window.django.jQuery(el).trigger("change");
      } else if (el.value !== value) {
        el.value = value;
        const editor = editors[el.name];
        if (editor) editor.commands.setContent(value || "");
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  window.newsroomFormState = { read: read, write: write, differences: differences, editors: editors };
})();
