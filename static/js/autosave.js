// The article form: autosave every 30 s while the author types, a warning before leaving
// with unsaved text, and the reprint fields shown only for a reprint.
(function () {
  "use strict";

  // A copy of the text in this browser (localStorage), so nothing typed is lost even when
  // the server cannot be reached; offered back when the page opens with different text.
  var BACKED_UP = ["title", "summary", "body", "tags", "source", "source_handle", "byline",
                   "reprint_source_url", "reprint_permission", "note"];

  function backupKey(form) {
    var idInput = form.querySelector("[data-article-id]");
    return "yumao:draft:" + ((idInput && idInput.value) || "new");
  }

  function currentText(form) {
    var values = {};
    BACKED_UP.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && "value" in field) values[name] = field.value;
    });
    return values;
  }

  function writeBackup(form) {
    try {
      window.localStorage.setItem(backupKey(form), JSON.stringify({ at: Date.now(), values: currentText(form) }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }

  function clearBackup(form, key) {
    try { window.localStorage.removeItem(key || backupKey(form)); } catch (e) { /* ignore */ }
  }

  function offerBackup(form) {
    var banner = document.querySelector("[data-local-backup]");
    var stored;
    try { stored = JSON.parse(window.localStorage.getItem(backupKey(form)) || "null"); } catch (e) { stored = null; }
    if (!stored || !stored.values) return;
    var now = currentText(form);
    var differs = Object.keys(stored.values).some(function (name) { return (now[name] || "") !== stored.values[name]; });
    if (!differs) { clearBackup(form); return; }
    if (!banner) return;
    var time = new Date(stored.at);
    var label = banner.querySelector("[data-local-time]");
    if (label) label.textContent = ("0" + time.getHours()).slice(-2) + ":" + ("0" + time.getMinutes()).slice(-2);
    banner.hidden = false;
    banner.querySelector("[data-restore]").addEventListener("click", function () {
      Object.keys(stored.values).forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && "value" in field) field.value = stored.values[name];
      });
      banner.hidden = true;
      form.dispatchEvent(new Event("input", { bubbles: true }));
    });
    banner.querySelector("[data-discard]").addEventListener("click", function () {
      clearBackup(form);
      banner.hidden = true;
    });
  }

  function setup(form) {
    var url = form.getAttribute("data-autosave-url");
    var seconds = parseInt(form.getAttribute("data-autosave-interval") || "30", 10);
    var status = form.querySelector("[data-autosave-status]");
    var idInput = form.querySelector("[data-article-id]");
    var edits = 0; // bumped on every change; compared after a save to know if it is still current
    var savedEdits = 0;
    var inFlight = false;

    function dirty() { return edits !== savedEdits; }

    function show(text, isError) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("error", !!isError);
    }

    function payload() {
      var data = new FormData(form);
      data.delete("cover");
      data.delete("clear_cover");
      data.delete("action");
      return data;
    }

    function save(keepalive) {
      if (!url || inFlight || !dirty()) return;
      inFlight = true;
      var editsAtStart = edits;
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(url, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().catch(function () { return { ok: false, message: "" }; }).then(function (body) {
          if (response.ok && body.ok) {
            savedEdits = editsAtStart;
            if (!dirty()) clearBackup(form);
            if (body.article && idInput && !idInput.value) {
              idInput.value = body.article;
              // From now on the copy in this browser lives under the article's number.
              clearBackup(form, "yumao:draft:new");
              if (dirty()) writeBackup(form);
              form.action = body.edit_url;
              if (window.history && window.history.replaceState) window.history.replaceState(null, "", body.edit_url);
            }
            if (body.message) show(body.message, false);
          } else {
            show(body.message || form.getAttribute("data-autosave-failed") || "自动保存失败，请手动保存。", true);
          }
        });
      }).catch(function () {
        show("网络连接中断，自动保存失败；请不要关闭页面，恢复连接后手动保存。", true);
      }).then(function () { inFlight = false; });
    }

    form.addEventListener("input", function (event) {
      if (event.target && event.target.type === "file") return;
      edits += 1;
      writeBackup(form);
    });
    form.addEventListener("change", function (event) {
      if (event.target && event.target.type !== "file") edits += 1;
    });
    form.addEventListener("submit", function () { savedEdits = edits; });
    window.setInterval(save, Math.max(5, seconds) * 1000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty()) { event.preventDefault(); event.returnValue = ""; }
    });
    // For tests and for a "save now" shortcut: Ctrl/Cmd+S saves without leaving the page.
    form.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(false); }
    });
  }

  function reprintToggle(form) {
    var group = form.querySelector("[data-reprint-fields]");
    if (!group) return;
    function update() {
      var checked = form.querySelector("input[name=originality]:checked");
      group.hidden = !(checked && checked.value === "reprint");
    }
    form.querySelectorAll("input[name=originality]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.article-form").forEach(function (form) {
      if (form.hasAttribute("data-autosave-url")) {
        offerBackup(form);
        setup(form);
      }
      reprintToggle(form);
    });
  });
})();
