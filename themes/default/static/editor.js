// The article editor: live preview rendered by the server's own Markdown
// code, and a warning before leaving with unsaved changes. The form works
// without this script (the preview button renders the same preview).
(function () {
  "use strict";
  var form = document.querySelector("form.editor");
  if (!form || !window.fetch) return;
  var body = form.querySelector("#body");
  var preview = form.querySelector(".editor__preview-body");
  var dirty = false;
  var timer = null;

  function refresh() {
    fetch(form.getAttribute("data-preview"), { method: "POST", body: body.value, credentials: "same-origin", headers: { "Content-Type": "text/plain; charset=utf-8" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) preview.innerHTML = html; })
      .catch(function () {});
  }

  form.addEventListener("input", function (event) {
    dirty = true;
    if (event.target === body) {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    }
  });
  form.addEventListener("submit", function () { dirty = false; });

  // Drafts save themselves every 15 seconds while they change.
  var status = form.querySelector(".editor__autosave");
  var changedSinceSave = false;
  form.addEventListener("input", function () { changedSinceSave = true; });
  setInterval(function () {
    if (!changedSinceSave || form.getAttribute("data-status") !== "draft") return;
    changedSinceSave = false;
    var data = new URLSearchParams(new FormData(form));
    data.set("action", "save");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Autosave": "1", "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (reply) {
        status.textContent = reply.message;
        if (reply.id) {
          dirty = changedSinceSave;
          var path = "/yonetim/haber/" + reply.id;
          if (form.getAttribute("action") !== path) {
            form.setAttribute("action", path);
            history.replaceState(null, "", path);
          }
        }
      })
      .catch(function () { changedSinceSave = true; });
  }, 15000);
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.getAttribute("data-unsaved");
  });
  if (!preview.innerHTML.trim()) refresh();
})();
