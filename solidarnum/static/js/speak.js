// The satisfaction survey read aloud by the browser, in the page's language, when asked.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-speak]");
  if (!button || !("speechSynthesis" in window)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    window.speechSynthesis.cancel();
    const lang = document.documentElement.lang || "fr";
    document.querySelectorAll("[data-say]").forEach((element) => {
      const utterance = new SpeechSynthesisUtterance(element.textContent.trim());
      utterance.lang = lang;
      window.speechSynthesis.speak(utterance);
    });
  });
});
