// Pictures in the article editor: upload by the button, by pasting and by dragging into
// the Markdown field; pick from the image library (insert, or set as the cover); the
// length counters of the title and summary; confirmation before deleting from the library.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Put `text` where the cursor is (replacing a selection) and tell the form it changed,
  // so autosave counts it and the preview (htmx, on "input") is rendered again.
  function insertAtCursor(field, text) {
    var start = field.selectionStart != null ? field.selectionStart : field.value.length;
    var end = field.selectionEnd != null ? field.selectionEnd : start;
    var before = field.value.slice(0, start);
    var after = field.value.slice(end);
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var trail = after && !/^\n/.test(after) ? "\n\n" : "\n";
    var inserted = lead + text + trail;
    field.value = before + inserted + after;
    var caret = before.length + inserted.length;
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    return { start: before.length + lead.length, text: text };
  }

  function replaceOnce(field, oldText, newText) {
    var at = field.value.indexOf(oldText);
    if (at < 0) return false;
    field.value = field.value.slice(0, at) + newText + field.value.slice(at + oldText.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  function setupToolbar(toolbar) {
    var field = document.querySelector(toolbar.getAttribute("data-target"));
    if (!field) return;
    var uploadUrl = toolbar.getAttribute("data-upload-url");
    var pickerUrl = toolbar.getAttribute("data-picker-url");
    var fileInput = toolbar.querySelector("[data-image-file]");
    var status = toolbar.querySelector("[data-image-status]");
    var dialog = document.querySelector("[data-image-dialog]");
    var counter = 0;
    var lastAlt = null; // where the last upload's alt text ("图片说明") is, to select it

    function say(text, isError) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("error", !!isError);
    }

    function upload(file) {
      counter += 1;
      var placeholder = "![正在上传第 " + counter + " 张图片……]()";
      insertAtCursor(field, placeholder);
      say("正在上传“" + (file.name || "图片") + "”……", false);
      var data = new FormData();
      data.append("image", file, file.name || "image.png");
      return fetch(uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().catch(function () { return { ok: false }; });
      }).then(function (body) {
        if (body.ok) {
          var at = field.value.indexOf(placeholder);
          replaceOnce(field, placeholder, body.markdown);
          var close = body.markdown.indexOf("](");
          lastAlt = at >= 0 && close > 2 ? [at + 2, at + close] : null;
          say(body.message, false);
        } else {
          replaceOnce(field, placeholder + "\n", "") || replaceOnce(field, placeholder, "");
          say(body.message || "图片上传失败，请稍后再试。", true);
        }
      }).catch(function () {
        replaceOnce(field, placeholder + "\n", "") || replaceOnce(field, placeholder, "");
        say("网络连接中断，图片没有上传成功；正文没有受影响，恢复连接后再试。", true);
      });
    }

    function uploadAll(files) {
      var images = Array.prototype.filter.call(files || [], function (file) { return file && file.size >= 0; });
      // One after another: each placeholder is replaced by its own picture, in order.
      lastAlt = null;
      return images.reduce(function (chain, file) {
        return chain.then(function () { return upload(file); });
      }, Promise.resolve()).then(function () {
        // Once all are in: the last picture's alt text is selected, for the author to type over.
        if (lastAlt) {
          field.focus();
          field.setSelectionRange(lastAlt[0], lastAlt[1]);
        }
      });
    }

    toolbar.querySelector("[data-image-choose]").addEventListener("click", function () { fileInput.click(); });
    fileInput.addEventListener("change", function () {
      field.focus();
      uploadAll(fileInput.files).then(function () { fileInput.value = ""; });
    });

    field.addEventListener("paste", function (event) {
      var files = event.clipboardData && event.clipboardData.files;
      if (!files || !files.length) return; // plain text pastes as usual
      event.preventDefault();
      uploadAll(files);
    });
    field.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], "Files") >= 0) {
        event.preventDefault();
        field.classList.add("drop-target");
      }
    });
    field.addEventListener("dragleave", function () { field.classList.remove("drop-target"); });
    field.addEventListener("drop", function (event) {
      field.classList.remove("drop-target");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      event.preventDefault();
      uploadAll(files);
    });

    function openLibrary(mode) {
      if (!dialog) return;
      var body = dialog.querySelector("[data-image-dialog-body]");
      body.innerHTML = "<p class=\"meta\">正在载入……</p>";
      if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
      fetch(pickerUrl + "?mode=" + encodeURIComponent(mode || ""), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
        .then(function (html) { body.innerHTML = html; })
        .catch(function () { body.innerHTML = "<p class=\"error\">图片库没有载入，请稍后再试。</p>"; });
    }

    function closeLibrary() {
      if (dialog.close) dialog.close(); else dialog.removeAttribute("open");
    }

    toolbar.querySelector("[data-image-library]").addEventListener("click", function () { openLibrary("insert"); });
    var coverButton = document.querySelector("[data-cover-library]");
    if (coverButton) coverButton.addEventListener("click", function () { openLibrary("cover"); });
    if (dialog) {
      dialog.querySelector("[data-image-dialog-close]").addEventListener("click", closeLibrary);
      dialog.addEventListener("click", function (event) {
        var insert = event.target.closest("[data-insert]");
        var cover = event.target.closest("[data-set-cover]");
        if (insert) {
          closeLibrary();
          field.focus();
          insertAtCursor(field, insert.getAttribute("data-insert"));
          say("已从图片库插入图片。", false);
        } else if (cover) {
          closeLibrary();
          setCover(cover);
        }
      });
    }
  }

  function setCover(button) {
    var box = document.querySelector("[data-cover-field]");
    if (!box) return;
    var input = box.querySelector("[data-cover-input]");
    input.value = button.getAttribute("data-set-cover");
    var preview = box.querySelector("[data-cover-preview]");
    var img = document.createElement("img");
    img.src = button.getAttribute("data-cover-src");
    img.alt = "";
    img.className = "cover cover-thumb";
    preview.innerHTML = "";
    preview.appendChild(img);
    var note = document.createElement("p");
    note.className = "meta";
    note.textContent = "已选为封面（" + button.getAttribute("data-cover-size") + "），保存后生效。";
    preview.appendChild(note);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // "还可输入 N 字" under every field that has a maximum length and asks for a counter.
  function setupCounter(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max) return;
    var note = document.createElement("p");
    note.className = "counter meta";
    note.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", note);
    function update() {
      var left = max - Array.from(field.value).length;
      note.textContent = left >= 0 ? "还可输入 " + left + " 字" : "超出 " + -left + " 字，请删减";
      note.classList.toggle("error", left < 0);
      note.classList.toggle("warning", left >= 0 && left <= Math.max(10, max * 0.1));
    }
    field.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-image-toolbar]").forEach(setupToolbar);
    document.querySelectorAll("[data-counter]").forEach(setupCounter);
    document.querySelectorAll("button[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
