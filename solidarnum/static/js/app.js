// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});

// After an htmx swap, say what changed in the page's one status region (base.html): the
// swapped block is not a live region itself (a replaced region is not announced); it marks the
// text to read with data-announce (result count, the scanner's answer). Emptied first, so that
// the same text twice in a row is read twice.
document.addEventListener("htmx:afterSettle", (event) => {
  const region = document.getElementById("status-region");
  const swapped = event.target;
  if (!region || !(swapped instanceof Element)) return;
  const parts = [swapped, ...swapped.querySelectorAll("[data-announce]")]
    .filter((element) => element.hasAttribute("data-announce"))
    .map((element) => element.textContent.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  if (parts.length === 0) return;
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = parts.join(" ");
  }, 50);
});

// Suggestions of an autocomplete field (common/autocomplete.html; htmx fetches them):
// arrows move through them, Enter or a click chooses one, Escape closes. Delegated from the
// document, so fields swapped in by htmx work too. Without JavaScript the typed name is sent.
(() => {
  const parts = (element) => {
    const box = element.closest("[data-autocomplete]");
    if (!box) return null;
    return {
      input: box.querySelector('[role="combobox"]'),
      hidden: box.querySelector('input[type="hidden"]'),
      list: box.querySelector('[role="listbox"]'),
    };
  };
  const options = (list) => [...list.querySelectorAll('[role="option"]')];
  const open = (field, yes) => {
    field.list.hidden = !yes;
    field.input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) field.input.removeAttribute("aria-activedescendant");
  };
  const activeIndex = (field) => options(field.list).findIndex((o) => o.getAttribute("aria-selected") === "true");
  const highlight = (field, index) => {
    const all = options(field.list);
    if (!all.length) return;
    const active = (index + all.length) % all.length;
    all.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
    field.input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  };
  const choose = (field, option) => {
    field.input.value = option.dataset.label;
    field.hidden.value = option.dataset.value;
    open(field, false);
    // Filter forms refresh on "change": a chosen suggestion is the change.
    field.hidden.dispatchEvent(new Event("change", { bubbles: true }));
  };
  document.addEventListener("input", (event) => {
    const field = event.target.matches?.('[role="combobox"]') && parts(event.target);
    if (field) field.hidden.value = "";
  });
  document.addEventListener("change", (event) => {
    // Typing is not choosing: the text input's own change does not refresh a filter form.
    if (event.target.matches?.('[data-autocomplete] [role="combobox"]')) event.stopPropagation();
  }, true);
  document.addEventListener("keydown", (event) => {
    const field = event.target.matches?.('[role="combobox"]') && parts(event.target);
    if (!field) return;
    const all = options(field.list);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      open(field, true);
      highlight(field, activeIndex(field) + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && !field.list.hidden && activeIndex(field) >= 0) {
      event.preventDefault();
      choose(field, all[activeIndex(field)]);
    } else if (event.key === "Escape" && !field.list.hidden) {
      event.preventDefault();
      open(field, false);
    }
  });
  // Keep the focus in the text input while a suggestion is clicked.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest?.('[data-autocomplete] [role="option"]')) event.preventDefault();
  });
  document.addEventListener("click", (event) => {
    const option = event.target.closest?.('[data-autocomplete] [role="option"]');
    if (option) choose(parts(option), option);
  });
  document.addEventListener("focusout", (event) => {
    const field = event.target.matches?.('[role="combobox"]') && parts(event.target);
    if (field) open(field, false);
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail?.target || event.target;
    if (!target.matches?.('[data-autocomplete] [role="listbox"]')) return;
    const field = parts(target);
    // New suggestions arrive only after typing: show them (the input keeps the focus).
    open(field, options(field.list).length > 0);
  });
})();
