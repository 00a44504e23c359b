// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Submit the role switcher as soon as a role is chosen.
  const switcher = document.getElementById("membership-switch");
  if (switcher) {
    switcher.addEventListener("change", () => switcher.form.submit());
  }
  // Ask before destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
