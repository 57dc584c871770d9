// The article editor: live preview rendered by the server's own Markdown
// code, autosave, a copy in the browser, presence, and a warning before
// leaving with unsaved changes. The form works without this script (the
// preview button renders the same preview; the buttons save).
(function () {
  "use strict";
  var form = document.querySelector("form.editor");
  if (!form || !window.fetch) return;
  var body = form.querySelector("#body");
  var preview = form.querySelector(".editor__preview-body");
  var status = form.querySelector(".editor__autosave");
  var text = function (name) { return form.getAttribute("data-text-" + name) || ""; };
  // The form's address, read as an attribute: `form.action` would be the
  // buttons named "action".
  var address = function () { return form.getAttribute("action"); };
  var dirty = false;
  var changedSinceSave = false;
  var saving = false;
  // The autosave on its way, if any: a submit waits for it.
  var inflight = null;
  var previewTimer = null;

  function refresh() {
    fetch(form.getAttribute("data-preview"), { method: "POST", body: body.value, credentials: "same-origin", headers: { "Content-Type": "text/plain; charset=utf-8" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) preview.innerHTML = html; })
      .catch(function () {});
  }

  function say(message) { if (status) status.textContent = message; }

  // A copy of the form in this browser, so a crashed tab or a lost
  // connection loses nothing: kept until a save the server confirmed.
  var key = "manset-editor:" + address();
  function keep() {
    try {
      var fields = {};
      new FormData(form).forEach(function (value, name) { if (name !== "action") fields[name] = value; });
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: fields }));
    } catch (e) { /* private mode, full storage: the server's slot still holds it */ }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) {} }
  function kept() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function autosave() {
    if (!changedSinceSave || saving) return;
    if (!navigator.onLine) { say(text("offline")); return; }
    changedSinceSave = false;
    saving = true;
    var data = new URLSearchParams(new FormData(form));
    data.set("action", "save");
    inflight = fetch(address(), { method: "POST", body: data, credentials: "same-origin", headers: { "X-Autosave": "1", "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (reply) { return { ok: r.ok, reply: reply }; }); })
      .then(function (answer) {
        saving = false;
        say(answer.reply.message);
        if (!answer.ok) return;
        if (answer.reply.id) {
          var path = "/yonetim/haber/" + answer.reply.id;
          if (address() !== path) {
            // A new article's first autosave made its draft: from now on
            // this is that article's editor.
            forget();
            form.setAttribute("action", path);
            key = "manset-editor:" + path;
            history.replaceState(null, "", path);
            if (answer.reply.revision) form.querySelector("[name=base_revision]").value = answer.reply.revision;
          }
        }
        if (!changedSinceSave) forget();
      })
      .catch(function () {
        saving = false;
        changedSinceSave = true;
        say(text("offline"));
      })
      .then(function () { inflight = null; });
  }

  form.addEventListener("input", function (event) {
    dirty = true;
    changedSinceSave = true;
    keep();
    if (event.target === body) {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(refresh, 300);
    }
  });
  // Leaving a field saves at once; otherwise every five seconds of typing.
  form.addEventListener("change", autosave);
  setInterval(autosave, 5000);
  window.addEventListener("online", function () { say(text("online")); autosave(); });
  window.addEventListener("offline", function () { say(text("offline")); });
  form.addEventListener("submit", function (event) {
    if (inflight) {
      // An autosave is on its way (leaving the last field for the button
      // sends one; a new article's first makes its draft): submit once it
      // is back, to the address it gave, never beside it as a second story.
      event.preventDefault();
      var button = event.submitter;
      inflight.then(function () { form.requestSubmit(button); });
      return;
    }
    dirty = false;
    forget();
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty || !changedSinceSave) return;
    event.preventDefault();
    event.returnValue = form.getAttribute("data-unsaved");
  });
  if (!preview.innerHTML.trim()) refresh();

  // What this browser kept and the server never got (the tab crashed, the
  // connection dropped): offered back, like the server's own slot. A copy
  // the server confirmed was forgotten then, so any copy left is unsent.
  var copy = kept();
  if (copy) {
    var differs = Object.keys(copy.fields).some(function (name) {
      var field = form.elements[name];
      return field && field.value !== undefined && field.value !== copy.fields[name];
    });
    var banner = document.querySelector(".editor__local-copy");
    if (differs && banner) {
      banner.hidden = false;
      banner.querySelector(".editor__local-time").textContent = new Date(copy.at).toLocaleTimeString("tr", { hour: "2-digit", minute: "2-digit" });
      banner.querySelector("[data-restore]").addEventListener("click", function () {
        Object.keys(copy.fields).forEach(function (name) {
          var field = form.elements[name];
          if (field && field.value !== undefined && name !== "base_revision") field.value = copy.fields[name];
        });
        banner.hidden = true;
        dirty = true;
        changedSinceSave = true;
        refresh();
        autosave();
      });
      banner.querySelector("[data-discard]").addEventListener("click", function () { forget(); banner.hidden = true; });
    }
  }

  // Presence: a heartbeat while the editor is open; the names of the
  // others who have it open come back.
  var presence = document.querySelector(".editor__presence");
  function beat() {
    if (!/\/yonetim\/haber\/\d+$/.test(address())) return;
    fetch(address() + "/burada", { method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (reply) {
        if (!reply || !presence) return;
        presence.hidden = !reply.message;
        presence.textContent = reply.message || "";
      })
      .catch(function () {});
  }
  beat();
  setInterval(beat, 20000);
  window.addEventListener("pagehide", function () {
    if (/\/yonetim\/haber\/\d+$/.test(address()) && navigator.sendBeacon) navigator.sendBeacon(address() + "/ayrildi");
  });

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
