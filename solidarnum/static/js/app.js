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
