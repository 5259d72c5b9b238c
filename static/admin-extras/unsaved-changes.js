/*
 * Warns before leaving an admin form whose fields differ from what was loaded (the browser's own
 * "leave this page?" dialog). Saving the form is not leaving it.
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const config = document.getElementById("editing-config");
    const form = config && document.getElementById(config.dataset.form);
    if (!form || !window.newsroomFormState) return;
    const state = window.newsroomFormState;
    let baseline = state.read(form);
    let submitting = false;

    // An editor rewrites its textarea in its own words when it starts: that is not a change.
    document.addEventListener("newsroom:editor-ready", function (event) {
      const now = state.read(form);
      baseline[event.detail.name] = now[event.detail.name];
    });

    form.addEventListener("submit", function () {
      submitting = true;
    });

    window.newsroomUnsaved = {
      isDirty: function () {
        return !submitting && state.differences(baseline, state.read(form)).length > 0;
      },
      reset: function () {
        baseline = state.read(form);
      },
    };

    window.addEventListener("beforeunload", function (event) {
      if (window.newsroomUnsaved.isDirty()) {
        event.preventDefault();
        event.returnValue = config.dataset.leaveWarning || "";
        return event.returnValue;
      }
    });
  });
})();
