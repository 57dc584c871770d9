// "Düzenle" for a newsroom member reading the site: the marker cookie says
// this browser is one (it proves nothing; the editor asks for the session
// itself). Readers get no cookie and no link; the page stays cacheable.
(function () {
  "use strict";
  var article = document.querySelector("article[data-edit]");
  if (!article || !/(?:^|;\s*)manset_staff=1(?:;|$)/.test(document.cookie)) return;
  var headline = article.querySelector(".article__headline");
  if (!headline) return;
  var link = document.createElement("a");
  link.href = article.getAttribute("data-edit");
  link.className = "article__edit";
  link.textContent = article.getAttribute("data-edit-label");
  headline.parentNode.insertBefore(link, headline);
})();

// Comments without page reloads: reply inline, post with fetch.
// Everything works without this script; it only makes it smoother.
(function () {
  "use strict";
  var form = document.querySelector(".comment-form");
  if (!form || !window.fetch || !window.FormData) return;
  var respond = document.getElementById("yorum-yaz");
  var home = respond.parentNode;
  var homeNext = respond.nextSibling;
  var parentInput = form.querySelector("input[name=parent_id]");
  var replying = form.querySelector(".comment-form__replying");
  var replyingText = form.querySelector(".comment-form__replying-text");
  var status = form.querySelector(".comment-form__status");
  var button = form.querySelector("button[type=submit]");

  function say(kind, text) {
    status.textContent = "";
    var p = document.createElement("p");
    p.className = "notice-box notice-box--" + kind;
    p.textContent = text;
    status.appendChild(p);
  }

  function clearErrors() {
    form.querySelectorAll(".field__error").forEach(function (e) { e.remove(); });
    form.querySelectorAll(".field--error").forEach(function (f) { f.classList.remove("field--error"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
  }

  function cancelReply(event) {
    if (event) event.preventDefault();
    parentInput.value = "";
    replying.hidden = true;
    home.insertBefore(respond, homeNext);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (link) {
      event.preventDefault();
      var item = document.getElementById("yorum-" + link.getAttribute("data-reply-to"));
      parentInput.value = link.getAttribute("data-reply-to");
      replyingText.textContent = form.getAttribute("data-replying-to").replace("{name}", link.getAttribute("data-reply-name"));
      replying.hidden = false;
      item.querySelector(".comment__body").after(respond);
      form.querySelector("textarea").focus();
    } else if (event.target.closest(".comment-form__cancel")) {
      cancelReply(event);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    button.disabled = true;
    say("info", form.getAttribute("data-sending"));
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      var data = result.data;
      if (!result.ok) {
        say("error", data.message);
        Object.keys(data.errors || {}).forEach(function (name) {
          var input = form.querySelector("[name=" + name + "]");
          if (!input) return;
          input.setAttribute("aria-invalid", "true");
          input.parentNode.classList.add("field--error");
          var span = document.createElement("span");
          span.className = "field__error";
          span.textContent = data.errors[name];
          input.after(span);
        });
        return;
      }
      var template = document.createElement("template");
      template.innerHTML = data.html;
      var item = template.content.firstElementChild;
      var parentId = parentInput.value;
      var list;
      if (parentId) {
        var parent = document.getElementById("yorum-" + parentId);
        list = parent.querySelector(":scope > ol.comment-list");
        if (!list) {
          list = document.createElement("ol");
          list.className = "comment-list comment-list--replies";
          parent.appendChild(list);
        }
      } else {
        list = document.querySelector("#yorumlar > ol.comment-list");
      }
      list.appendChild(item);
      var empty = document.querySelector(".comments__empty");
      if (empty) empty.remove();
      form.querySelector("textarea").value = "";
      cancelReply();
      say("success", data.message);
      item.scrollIntoView({ block: "nearest" });
    }).catch(function () {
      say("error", form.getAttribute("data-network-error"));
    }).finally(function () {
      button.disabled = false;
    });
  });
})();
