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

  // Tag suggestions for the last name in a comma-separated list: the
  // datalist offers "what is typed so far, <tag>" for every known tag.
  var tags = form.querySelector("#tags");
  var list = document.getElementById("tag-names");
  if (tags && list) {
    var known = Array.prototype.map.call(list.options, function (o) { return o.value; });
    tags.addEventListener("input", function () {
      var parts = tags.value.split(",");
      var typed = parts.pop().trim().toLocaleLowerCase("tr");
      var head = parts.map(function (p) { return p.trim(); }).filter(Boolean);
      var prefix = head.length ? head.join(", ") + ", " : "";
      list.textContent = "";
      known.filter(function (t) {
        return head.indexOf(t) < 0 && t.toLocaleLowerCase("tr").indexOf(typed) === 0;
      }).slice(0, 20).forEach(function (t) {
        var option = document.createElement("option");
        option.value = prefix + t;
        list.appendChild(option);
      });
    });
  }
})();
