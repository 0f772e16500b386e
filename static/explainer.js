/* explainer: optional enhancements. Every page reads fully without this file.
   1. A card with the summary of a [[ref]] link's target, on hover or focus (Escape hides it).
   2. In the positions matrix, a focused cell scrolled fully into view; Escape closes an opened cell.
   3. On the timeline page, filters by issue and actor.
   4. On the search page, Pagefind's search box over the index's bundles merged. */
(function () {
  "use strict";
  var script = document.currentScript;
  var previewsUrl = script ? script.getAttribute("data-previews") : null;
  var REF = /(issues|actors|events)\/([a-z0-9]+(?:-[a-z0-9]+)*)\/(?:index\.html)?(?:#.*)?$/;
  var previews = null, loading = null, card = null, owner = null, wanted = null, hideTimer = 0;

  function load() {
    if (!loading) {
      loading = fetch(previewsUrl)
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; })
        .then(function (data) { previews = data; });
    }
    return loading;
  }

  function keyOf(link) {
    var match = REF.exec(link.getAttribute("href") || "");
    return match ? match[1] + "/" + match[2] + "/" : null;
  }

  function makeCard() {
    card = document.createElement("div");
    card.className = "preview-card";
    card.id = "preview-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(card);
  }

  function line(tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    card.appendChild(element);
  }

  function show(link) {
    var key = keyOf(link);
    if (!key || !previewsUrl) return;
    wanted = link;
    clearTimeout(hideTimer);
    load().then(function () {
      var item = previews && previews[key];
      if (!item || wanted !== link) return;
      if (!card) makeCard();
      if (owner && owner !== link) owner.removeAttribute("aria-describedby");
      card.textContent = "";
      line("p", "preview-kind", item.kind);
      line("p", "preview-name", item.name);
      if (item.summary) line("p", "preview-summary", item.summary);
      card.hidden = false;
      place(link.getBoundingClientRect());
      owner = link;
      link.setAttribute("aria-describedby", "preview-card");
    });
  }

  // Below the link, or above it when it would run past the bottom of the window and there is more room
  // there; always within the window's width. The card is measured at the window's start edge, where an
  // earlier position cannot squeeze it narrower.
  function place(rect) {
    var view = document.documentElement;
    card.style.left = window.scrollX + "px";
    card.style.top = window.scrollY + "px";
    var width = Math.min(card.offsetWidth, view.clientWidth - 16);
    // In a right-to-left page the card lines up with the link's right edge, where its text starts.
    var start = getComputedStyle(view).direction === "rtl" ? rect.right - width : rect.left;
    var left = Math.max(8, Math.min(start, view.clientWidth - width - 8));
    card.style.left = left + window.scrollX + "px";
    var height = card.offsetHeight, below = view.clientHeight - rect.bottom - 6, above = rect.top - 6;
    var top = height > below && above > below ? rect.top - 6 - height : rect.bottom + 6;
    card.style.top = top + window.scrollY + "px";
  }

  function hide() {
    wanted = null;
    if (card) card.hidden = true;
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    wanted = null;
    hideTimer = setTimeout(hide, 250);
  }

  function refLink(target) {
    return target && target.closest ? target.closest("a.ref") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = refLink(event.target);
    if (link && link !== owner) show(link);
  });
  document.addEventListener("mouseout", function (event) {
    var link = refLink(event.target);
    if (link && !link.contains(event.relatedTarget)) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var link = refLink(event.target);
    if (link) show(link); else hide();
  });
  document.addEventListener("focusout", function (event) {
    if (refLink(event.target)) scheduleHide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (card && !card.hidden) { hide(); return; }
    var opened = event.target.closest ? event.target.closest(".matrix details[open]") : null;
    if (opened) {
      opened.open = false;
      opened.querySelector("summary").focus();
    }
  });

  // The scroller's scroll-padding (style.css) keeps a focused cell clear of the pinned actor column, but
  // Chromium leaves a cell that is partly past the scroller's end where it is: scroll the whole cell in,
  // then the focused element itself, in case an opened cell is taller than the window.
  document.querySelectorAll(".matrix-scroll").forEach(function (scroller) {
    scroller.addEventListener("focusin", function (event) {
      var cell = event.target.closest("td, th");
      if (!cell || cell.cellIndex === 0) return;
      cell.scrollIntoView({ block: "nearest", inline: "nearest" });
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
  });

  var form = document.querySelector("form.tl-filter");
  if (form) {
    var selects = form.querySelectorAll("select[data-filter]");
    var output = form.querySelector("output");
    var apply = function () {
      var shown = 0, total = 0;
      document.querySelectorAll(".tl-row[data-issues], .timeline-item[data-issues]").forEach(function (row) {
        var match = true;
        selects.forEach(function (select) {
          var ids = (row.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
          if (select.value && ids.indexOf(select.value) < 0) match = false;
        });
        row.hidden = !match;
        if (row.classList.contains("tl-row")) { total += 1; if (match) shown += 1; }
      });
      document.querySelectorAll("section.year").forEach(function (section) {
        section.hidden = !section.querySelector(".timeline-item:not([hidden])");
      });
      // the words come from the page, in its language ("{shown} of 12 events"); the number grouped as its locale
      // does, in Latin digits as Babel writes every other number of the page
      var number = new Intl.NumberFormat(document.documentElement.lang || undefined, { numberingSystem: "latn" })
        .format(shown);
      output.textContent = shown === total ? "" : (output.getAttribute("data-text") || "{shown}").replace("{shown}", number);
    };
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
  }

  // The index is in bundles (explainer/views/search.py): explainer-bundles.json lists them, the primary one
  // first (it holds Pagefind's scripts), and Pagefind's UI searches the others merged into it.
  var search = document.getElementById("search");
  if (search) {
    var escape = function (text) {
      var div = document.createElement("div");
      div.textContent = text;
      return div.innerHTML;
    };
    var unavailable = function () {
      var note = search.querySelector(".search-fallback");
      if (note) note.firstChild.textContent = search.getAttribute("data-unavailable") + " ";
    };
    var start = function (bundles) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = bundles[0] + "pagefind-ui.css";
      document.head.appendChild(css);
      var ui = document.createElement("script");
      ui.src = bundles[0] + "pagefind-ui.js";
      ui.onload = function () {
        search.textContent = "";
        new window.PagefindUI({
          element: "#search",
          bundlePath: bundles[0],
          mergeIndex: bundles.slice(1).map(function (path) { return { bundlePath: path }; }),
          showSubResults: false,
          showImages: false,
          processResult: function (result) {
            if (result.meta && result.meta.summary) result.excerpt = escape(result.meta.summary);
            return result;
          }
        });
        var input = search.querySelector("input");
        if (input && !input.id) {
          input.id = "search-input";
          var label = document.createElement("label");
          label.htmlFor = "search-input";
          label.className = "search-label";
          label.textContent = search.getAttribute("data-label");
          search.insertBefore(label, search.firstChild);
        }
      };
      ui.onerror = unavailable;
      document.head.appendChild(ui);
    };
    var list = new URL(search.getAttribute("data-index"), document.baseURI);
    fetch(list.href)
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (index) {
        var bundles = (index.bundles || []).map(function (folder) { return new URL(folder, list).pathname; });
        if (!bundles.length) throw new Error("no bundles");
        start(bundles);
      })
      .catch(unavailable);
  }
})();
