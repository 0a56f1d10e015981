/* Polis: tag name suggestions for `input.tags` fields (ARIA combobox with a listbox popup).
 *
 * Progressive enhancement only: without this script the fields are plain text inputs and
 * /tags/search looks names up. Suggestions are for the last comma-separated name; choosing
 * one replaces it (and adds ", " so the next name can follow, unless the field holds one
 * name: `data-single`). The type comes from `data-tag-type` or the field's name; a
 * `data-fandom` attribute narrows characters and relationships to one fandom.
 * Keys: ArrowDown/ArrowUp move, Enter chooses (the first suggestion when none is highlighted;
 * it never submits while the list is open), Escape closes; typing goes on as usual.
 * Loaded only by pages with tag fields (templates/includes/tag_autocomplete.html).
 */
(function () {
  "use strict";

  var ENDPOINT = "/autocomplete/tags";
  var DELAY = 150; // ms of quiet typing before asking the server
  var MIN_LENGTH = 1;
  var counter = 0;

  function guessType(input) {
    if (input.dataset.tagType) return input.dataset.tagType;
    var name = (input.name || "").toLowerCase();
    var types = ["fandom", "character", "relationship", "freeform"];
    for (var i = 0; i < types.length; i++) {
      if (name.indexOf(types[i]) !== -1) return types[i];
    }
    return "";
  }

  function lastPart(value, single) {
    if (single) return { head: "", term: value.trim() };
    var cut = value.lastIndexOf(",");
    return { head: value.slice(0, cut + 1), term: value.slice(cut + 1).trim() };
  }

  function enhance(input) {
    if (input.getAttribute("role") === "combobox") return;
    var id = input.id || "tag-input-" + ++counter;
    input.id = id;
    var single = input.hasAttribute("data-single");
    var endpoint = input.dataset.autocompleteUrl || ENDPOINT;

    var listbox = document.createElement("ul");
    listbox.id = id + "-listbox";
    listbox.setAttribute("role", "listbox");
    // Named apart from the field, so the field's label still finds only the field.
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.className = "autocomplete";
    listbox.hidden = true;
    Object.assign(listbox.style, {
      position: "absolute", zIndex: "20", margin: "0", padding: "0", listStyle: "none",
      background: "#fff", border: "1px solid #999", maxHeight: "16em", overflowY: "auto",
      boxShadow: "0 2px 6px rgba(0,0,0,.2)"
    });

    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "visually-hidden";

    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var asked = 0;

    function place() {
      listbox.style.left = input.offsetLeft + "px";
      listbox.style.top = input.offsetTop + input.offsetHeight + "px";
      listbox.style.minWidth = input.offsetWidth + "px";
    }

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        var on = i === index;
        option.setAttribute("aria-selected", on ? "true" : "false");
        option.style.background = on ? "#1a5fb4" : "";
        option.style.color = on ? "#fff" : "";
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var name = options[index].dataset.name;
      var head = lastPart(input.value, single).head;
      input.value = single ? name : (head ? head.replace(/\s*$/, " ") : "") + name + ", ";
      close();
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(tags) {
      close();
      if (!tags.length || document.activeElement !== input) {
        status.textContent = tags.length ? "" : "No suggestions.";
        return;
      }
      tags.forEach(function (tag, i) {
        var option = document.createElement("li");
        option.id = id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.name = tag.name;
        option.textContent = tag.name;
        option.style.padding = ".2em .5em";
        option.style.cursor = "pointer";
        if (tag.canonical) option.style.fontWeight = "bold";
        // mousedown, not click: the input must keep focus (blur would close the list first).
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        listbox.appendChild(option);
        options.push(option);
      });
      place();
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = tags.length + (tags.length === 1 ? " suggestion." : " suggestions.");
    }

    function ask() {
      var term = lastPart(input.value, single).term;
      if (term.length < MIN_LENGTH) {
        close();
        return;
      }
      var params = new URLSearchParams({ term: term });
      var type = guessType(input);
      if (type) params.set("type", type);
      if (input.dataset.fandom) params.set("fandom", input.dataset.fandom);
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var mine = ++asked;
      fetch(endpoint + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (tags) { if (mine === asked) show(Array.isArray(tags) ? tags : []); })
        .catch(function () { /* offline or aborted: typing goes on without suggestions */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { ask(); return; }
        event.preventDefault();
        highlight(active + 1 >= options.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        // With the list open, Enter chooses (the highlighted suggestion, else the first) and
        // never submits the form: on Post New Work that would preview and save a draft.
        if (open) {
          event.preventDefault();
          choose(active >= 0 ? active : 0);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      clearTimeout(timer);
      asked++; // answers still on their way are no longer wanted
      close();
    });
  }

  function start() {
    var inputs = document.querySelectorAll("input.tags");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
