/*
 * Keeps what is typed in an admin form in this browser (localStorage), per user and per object,
 * every few seconds. After a crash or a closed tab, reopening the form shows a banner offering to
 * restore the draft or to ignore it. A draft is forgotten once the form it came from is saved.
 */
(function () {
  "use strict";

  const PREFIX = "newsroom:draft:";
  const SUBMITTED = "newsroom:draft-submitted";
  const EVERY_MS = 2000;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    const store = storage();
    const config = document.getElementById("editing-config");
    if (!store) return;

    // The form posted last time was saved if the page it led to shows no error: forget its draft.
    const submitted = window.sessionStorage.getItem(SUBMITTED);
    if (submitted) {
      window.sessionStorage.removeItem(SUBMITTED);
      if (!document.querySelector(".errornote, .errorlist")) store.removeItem(submitted);
    }

    const form = config && document.getElementById(config.dataset.form);
    if (!form || !window.newsroomFormState) return;
    const state = window.newsroomFormState;
    const key = PREFIX + config.dataset.user + ":" + config.dataset.model + ":" + config.dataset.object;
    const loaded = state.read(form);
    let last = JSON.stringify(loaded);

    function saved() {
      try {
        return JSON.parse(store.getItem(key) || "null");
      } catch (error) {
        return null;
      }
    }

    function banner(draft) {
      const box = document.createElement("div");
      box.className = "draft-banner";
      box.setAttribute("role", "alert");
      const text = document.createElement("span");
      const when = new Date(draft.savedAt);
      text.textContent = config.dataset.draftText + " (" + when.toLocaleString(document.documentElement.lang || undefined) + ")";
      const restore = document.createElement("button");
      restore.type = "button";
      restore.className = "button draft-restore";
      restore.textContent = config.dataset.restoreLabel;
      const ignore = document.createElement("button");
      ignore.type = "button";
      ignore.className = "button draft-ignore";
      ignore.textContent = config.dataset.ignoreLabel;
      box.append(text, " — ", restore, " ", ignore);
      form.parentNode.insertBefore(box, form);
      restore.addEventListener("click", function () {
        state.write(form, draft.data);
        box.remove();
      });
      ignore.addEventListener("click", function () {
        store.removeItem(key);
        box.remove();
        last = JSON.stringify(state.read(form));
      });
    }

    const draft = saved();
    let offering = false;
    if (draft && draft.data && state.differences(loaded, draft.data).length > 0) {
      offering = true;
      // Wait for the rich-text editors, so that restoring also fills them.
      window.setTimeout(function () { banner(draft); }, 300);
    }

    function keep() {
      const data = state.read(form);
      const text = JSON.stringify(data);
      if (text === last) return;
      last = text;
      if (offering && !document.querySelector(".draft-banner")) offering = false;
      if (offering) return; // never overwrite a draft the user has not looked at yet
      if (window.newsroomUnsaved && !window.newsroomUnsaved.isDirty()) {
        store.removeItem(key);
        return;
      }
      store.setItem(key, JSON.stringify({ savedAt: Date.now(), data: data }));
    }

    window.setInterval(keep, EVERY_MS);
    form.addEventListener("input", function () { window.setTimeout(keep, 50); });
    form.addEventListener("submit", function () {
      keep();
      window.sessionStorage.setItem(SUBMITTED, key);
    });
    window.newsroomDraft = { key: key, keep: keep };
  });
})();
