// Warns before the idle limit signs the person out and lets them stay signed in
// (WCAG 2.2.1, Timing Adjustable; GOV.UK's timeout warning). The server decides when a
// session ends; this only follows its count, which the page carries from when it loaded.
const dialog = document.querySelector("dialog.eis-timeout");

if (dialog) {
  const form = dialog.querySelector("form[data-eis-refresh]");
  const button = form.querySelector("button");
  const warning = Number(dialog.dataset.warning) * 1000;
  const idleLimit = Number(dialog.dataset.idleLimit) * 1000;
  const KEY = "eis-sign-out-at";
  let deadline = shared(Date.now() + Number(dialog.dataset.secondsLeft) * 1000);
  let busy = false;

  // Tabs share one session, so they share its deadline: a page opened or a "Stay signed
  // in" in one tab keeps another tab, with an unsaved update in it, from warning or leaving.
  function shared(mine) {
    try {
      const stored = Number(localStorage.getItem(KEY)) || 0;
      if (mine > stored) localStorage.setItem(KEY, String(mine));
      return Math.max(mine, stored);
    } catch {
      return mine; // storage blocked: this tab's own count
    }
  }

  function signIn() {
    const next = encodeURIComponent(location.pathname + location.search);
    location.assign(`${dialog.dataset.signInUrl}?next=${next}`);
  }

  async function stay() {
    if (busy) return;
    busy = true;
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        // A signed-out session answers with a redirect; following it would show (and
        // use up) the "You were signed out" message before the sign-in page can.
        redirect: "manual",
        headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      });
    } catch {
      busy = false; // the network, not the session: leave the warning up to try again
      return;
    }
    busy = false;
    if (response.status !== 204) return signIn();
    deadline = shared(Date.now() + idleLimit);
    if (dialog.open) dialog.close();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });
  // Escape closes the warning; that counts as staying.
  dialog.addEventListener("cancel", stay);

  // A check every second rather than one long timer, which stops while a laptop sleeps.
  // The extra two seconds let the server's own (whole-second) limit pass first.
  const timer = setInterval(() => {
    if (busy) return;
    deadline = shared(deadline);
    const left = deadline - Date.now();
    if (left < -2000) {
      clearInterval(timer);
      signIn();
    } else if (left <= warning && !dialog.open) {
      dialog.showModal();
      button.focus();
    } else if (left > warning && dialog.open) {
      dialog.close(); // stayed signed in from another tab
    }
  }, 1000);
}
