// The volunteer check: a "Tout est OK" button ticks OK on every point (the form works without it).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-all-ok]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      button.form.querySelectorAll('input[type="radio"][value="ok"]').forEach((radio) => {
        radio.checked = true;
      });
    });
  });
});
