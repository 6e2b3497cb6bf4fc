// While a large plan file is checked the page would otherwise look frozen: say what is
// happening and stop a second submission. Without JavaScript the form still works.
for (const form of document.querySelectorAll("form[data-eis-progress]")) {
  form.addEventListener("submit", () => {
    const status = form.querySelector(".eis-progress");
    const button = form.querySelector("button[type=submit]");
    if (status) status.hidden = false;
    if (button) {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    }
  });
}
