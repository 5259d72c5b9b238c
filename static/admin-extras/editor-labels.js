/*
 * The rich-text editor's toolbar in the admin's language.
 *
 * django-prose-editor translates its dialogs with Django's JavaScript catalogue (window.gettext; the
 * admin loads it with the package's catalogue, see newsroom/urls.py "admin-jsi18n"), but writes the
 * titles of its toolbar buttons ("bold", "heading 2") and its block menu ("Paragraph") in English,
 * without going through gettext (version 0.28). This file rewrites those labels, and only those: each
 * known English label becomes a French msgid translated by locale/<language>/LC_MESSAGES/djangojs.po. The
 * toolbar is watched, so that labels the editor draws again later are translated too. A label the
 * package adds in a later version stays in English until it is added to LABELS below.
 */
(function () {
  "use strict";

  const translate = window.gettext || function (text) { return text; };
  const format = window.interpolate || function (text, values) { return text.replace("%s", values[0]); };

  /* The package's English labels (button titles and aria-labels, lower case) and ours. */
  const LABELS = {
    "paragraph": "paragraphe",
    "unordered list": "liste à puces",
    "ordered list": "liste numérotée",
    "blockquote": "citation",
    "horizontal rule": "ligne de séparation",
    "bold": "gras",
    "italic": "italique",
    "underline": "souligné",
    "strike": "barré",
    "subscript": "indice",
    "superscript": "exposant",
    "insert link": "insérer un lien",
    "remove link": "retirer le lien",
    "undo": "annuler la dernière modification",
    "redo": "rétablir la modification",
  };
  const HEADING = /^heading (\d)$/i;

  function label(english) {
    const key = english.trim();
    const lower = key.toLowerCase();
    let text = null;
    if (Object.prototype.hasOwnProperty.call(LABELS, lower)) {
      text = translate(LABELS[lower]);
    } else if (HEADING.test(key)) {
      text = format(translate("intertitre de niveau %s"), [key.match(HEADING)[1]]);
    }
    if (text === null) return null;
    // "Paragraph", "Heading 2" in the block menu start with a capital: so does their translation.
    return key[0] === key[0].toUpperCase() ? text[0].toUpperCase() + text.slice(1) : text;
  }

  function translateMenu(menubar) {
    menubar.querySelectorAll("[title], [aria-label]").forEach(function (element) {
      ["title", "aria-label"].forEach(function (attribute) {
        const value = element.getAttribute(attribute);
        const text = value && label(value);
        if (text && text !== value) element.setAttribute(attribute, text);
      });
    });
    // The block menu's options show their name as text ("Heading 2" inside an <h2>).
    menubar.querySelectorAll(".prose-menubar__option > *").forEach(function (element) {
      const text = element.childElementCount === 0 && label(element.textContent);
      if (text && text !== element.textContent) element.textContent = text;
    });
  }

  function watch(menubar) {
    if (menubar.dataset.labelsTranslated) return;
    menubar.dataset.labelsTranslated = "1";
    translateMenu(menubar);
    new MutationObserver(function () { translateMenu(menubar); }).observe(menubar, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["title", "aria-label"],
    });
  }

  // The toolbar may be drawn just after the editor says it is ready: wait for it if need be.
  document.addEventListener("prose-editor:ready", function (event) {
    const textarea = event.detail && event.detail.textarea;
    const container = textarea && textarea.closest(".prose-editor");
    if (!container) return;
    const found = function () {
      const menubar = container.querySelector(".prose-menubar");
      if (menubar) watch(menubar);
      return Boolean(menubar);
    };
    if (found()) return;
    const observer = new MutationObserver(function () {
      if (found()) observer.disconnect();
    });
    observer.observe(container, { childList: true, subtree: true });
  });
})();
